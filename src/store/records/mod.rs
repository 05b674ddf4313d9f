//! What a snapshot stores: versioned records, read forever once released.
//!
//! Three kinds of types meet here. The model (`crate::model`) and the diff
//! are free to change and know nothing of serde; the JSON views
//! (`crate::render::json`) are the printed contract; these records are the
//! bytes a published edition was sealed with. Each record version lives in
//! a module of its own ([`v1`], ...) and converts explicitly to and from
//! the in-memory types.
//!
//! `edition.json` and `pairings.json` name their version in their
//! `schema_version` field; a meeting file is of the version of the
//! `edition.json` beside it. A new edition is always written in
//! [`CURRENT`]; an existing one is read, re-serialised and verified in the
//! version it was written with, so a store cut today verifies under every
//! later livedoc.

pub mod v1;

use serde::Serialize;
use serde::de::DeserializeOwned;
use thiserror::Error;

use crate::model::Meeting;
use crate::store::snapshot::{EditionMeta, Pairings};

/// The version new editions are written with.
pub const CURRENT: u32 = 1;

/// Why a stored file could not be read as a record.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RecordError {
    #[error(
        "was written by a newer livedoc (record version {version}; this livedoc reads versions 1 to {CURRENT})"
    )]
    Newer { version: u32 },
    #[error("names record version {version}, which no livedoc writes")]
    Unknown { version: u32 },
    #[error("does not parse: {0}")]
    Parse(String),
}

impl RecordError {
    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            RecordError::Newer { .. } => "upgrade livedoc to read this store",
            RecordError::Unknown { .. } | RecordError::Parse(_) => {
                "the store may have been altered outside livedoc; run livedoc verify"
            }
        }
    }
}

/// Serialises a record canonically: fields in their declared order,
/// two-space indent, trailing newline.
pub fn canonical_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value).expect("records always serialise");
    out.push(b'\n');
    out
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, RecordError> {
    serde_json::from_slice(bytes).map_err(|e| RecordError::Parse(e.to_string()))
}

/// The version a versioned file names.
fn version_of(bytes: &[u8]) -> Result<u32, RecordError> {
    #[derive(serde::Deserialize)]
    struct Probe {
        schema_version: u32,
    }
    let v = parse::<Probe>(bytes)?.schema_version;
    match v {
        1..=CURRENT => Ok(v),
        v if v > CURRENT => Err(RecordError::Newer { version: v }),
        v => Err(RecordError::Unknown { version: v }),
    }
}

/// `edition.json`, in the version it was written with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditionRecord {
    V1(v1::EditionRecord),
}

impl EditionRecord {
    pub fn decode(bytes: &[u8]) -> Result<Self, RecordError> {
        match version_of(bytes)? {
            1 => parse(bytes).map(EditionRecord::V1),
            version => Err(RecordError::Unknown { version }),
        }
    }

    /// The record written for a new edition.
    pub fn current(meta: &EditionMeta) -> Self {
        EditionRecord::V1(meta.into())
    }

    /// The edition as this version would store it: what `verify` compares
    /// a re-imported edition with.
    pub fn project(version: u32, meta: &EditionMeta) -> Option<Self> {
        match version {
            1 => Some(EditionRecord::V1(meta.into())),
            _ => None,
        }
    }

    pub fn version(&self) -> u32 {
        match self {
            EditionRecord::V1(_) => 1,
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        match self {
            EditionRecord::V1(r) => canonical_json(r),
        }
    }

    pub fn to_meta(&self) -> Result<EditionMeta, RecordError> {
        match self {
            EditionRecord::V1(r) => r.to_meta().map_err(RecordError::Parse),
        }
    }
}

/// One meeting file, in the version of its edition record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingRecord {
    V1(v1::MeetingRecord),
}

impl MeetingRecord {
    pub fn decode(version: u32, bytes: &[u8]) -> Result<Self, RecordError> {
        match version {
            1 => parse(bytes).map(MeetingRecord::V1),
            v if v > CURRENT => Err(RecordError::Newer { version: v }),
            v => Err(RecordError::Unknown { version: v }),
        }
    }

    /// The record written for a meeting of a new edition.
    pub fn current(meeting: &Meeting) -> Self {
        MeetingRecord::V1(meeting.into())
    }

    /// The meeting as this record's version would store it: what `verify`
    /// compares a re-imported meeting with.
    pub fn project(version: u32, meeting: &Meeting) -> Option<Self> {
        match version {
            1 => Some(MeetingRecord::V1(meeting.into())),
            _ => None,
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        match self {
            MeetingRecord::V1(r) => canonical_json(r),
        }
    }

    pub fn into_model(self) -> Meeting {
        match self {
            MeetingRecord::V1(r) => r.into(),
        }
    }
}

/// `pairings.json`, in the version it was written with.
#[derive(Debug, Clone, PartialEq)]
pub enum PairingsRecord {
    V1(v1::PairingsRecord),
}

impl PairingsRecord {
    pub fn decode(bytes: &[u8]) -> Result<Self, RecordError> {
        match version_of(bytes)? {
            1 => parse(bytes).map(PairingsRecord::V1),
            version => Err(RecordError::Unknown { version }),
        }
    }

    /// The record written for a new edition.
    pub fn current(p: &Pairings) -> Self {
        PairingsRecord::V1(p.into())
    }

    /// The pairings as this record's version would store them.
    pub fn project(&self, p: &Pairings) -> Self {
        match self {
            PairingsRecord::V1(_) => PairingsRecord::V1(p.into()),
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        match self {
            PairingsRecord::V1(r) => canonical_json(r),
        }
    }

    pub fn to_pairings(&self) -> Pairings {
        match self {
            PairingsRecord::V1(r) => r.into(),
        }
    }
}
