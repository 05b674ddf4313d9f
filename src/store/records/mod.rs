//! What a snapshot stores: versioned records, read forever once released.
//!
//! Three kinds of types meet here. The model (`crate::model`) and the diff
//! are free to change and know nothing of serde; the JSON views
//! (`crate::render::json`) are the printed contract; these records are the
//! bytes a published edition was sealed with.
//!
//! Each kind of file is declared once, for every version
//! ([`edition`], [`meeting`], [`pairings`], [`ledger`], [`index`]): a
//! version adds optional fields and enum values that earlier versions
//! never write, and the version a record names decides what is written
//! and what is accepted. `edition.json`, `pairings.json` and the ledger's
//! `entry.json` name their version in their `schema_version` field; a
//! meeting file is of the version of the `edition.json` beside it. A new
//! edition is always written in [`CURRENT`]; an existing one is read,
//! re-serialised and verified in the version it was written with, so a
//! store cut today verifies under every later livedoc. The golden stores
//! under `tests/fixtures/store/` (one per version, cut by the build that
//! wrote it) pin every version's bytes.
//!
//! Adding a version: add its optional fields or enum values (with the
//! version in their `Since`), extend the shapes, bump [`CURRENT`], cut a
//! golden store with the new build and add it to the golden-store tests.

pub mod edition;
pub mod enums;
pub mod index;
pub mod ledger;
pub mod meeting;
pub mod pairings;
pub mod schema;

use serde::Serialize;
use serde::de::DeserializeOwned;
use thiserror::Error;

pub use edition::EditionRecord;
pub use pairings::PairingsRecord;

use crate::model::Meeting;
use crate::store::ledger::LedgerEntry;
use crate::store::snapshot::{EditionMeta, Pairings};

/// The version of `edition.json` (and of the meeting files beside it) new
/// editions are written with.
pub const CURRENT: u32 = 5;
/// The version new `pairings.json` files are written with.
pub const PAIRINGS_CURRENT: u32 = 4;
/// The version new ledger entries are written with.
pub const LEDGER_CURRENT: u32 = 1;

/// Why a stored file could not be read as a record.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RecordError {
    #[error(
        "was written by a newer livedoc (record version {version}; this livedoc reads versions 1 to {newest})"
    )]
    Newer { version: u32, newest: u32 },
    #[error("names record version {version}, which no livedoc writes")]
    Unknown { version: u32 },
    #[error("does not parse: {0}")]
    Parse(String),
}

/// How a version lays its JSON out: versions 1 to 3 with a two-space
/// indent, version 4 compact. Either way fields come in their declared
/// order, strings are escaped as serde_json escapes them (only `"`, `\`
/// and control characters), and one newline ends the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Indented,
    Compact,
}

impl Layout {
    pub fn of(version: u32) -> Layout {
        if version >= 4 {
            Layout::Compact
        } else {
            Layout::Indented
        }
    }

    pub fn write<T: Serialize>(self, value: &T) -> Vec<u8> {
        let mut out = match self {
            Layout::Indented => serde_json::to_vec_pretty(value),
            Layout::Compact => serde_json::to_vec(value),
        }
        .expect("records always serialise");
        out.push(b'\n');
        out
    }
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, RecordError> {
    serde_json::from_slice(bytes).map_err(|e| RecordError::Parse(e.to_string()))
}

/// The version a versioned file names, if this livedoc reads it (`newest`
/// is the newest it knows for that kind of file).
fn version_of(bytes: &[u8], newest: u32) -> Result<u32, RecordError> {
    #[derive(serde::Deserialize)]
    struct Probe {
        schema_version: u32,
    }
    known(parse::<Probe>(bytes)?.schema_version, newest)
}

fn known(version: u32, newest: u32) -> Result<u32, RecordError> {
    match version {
        0 => Err(RecordError::Unknown { version }),
        v if v > newest => Err(RecordError::Newer { version: v, newest }),
        v => Ok(v),
    }
}

impl EditionRecord {
    pub fn decode(bytes: &[u8]) -> Result<Self, RecordError> {
        version_of(bytes, CURRENT)?;
        parse(bytes)
    }

    /// The record written for a new edition.
    pub fn current(meta: &EditionMeta) -> Self {
        EditionRecord::new(CURRENT, meta).expect("the current version is known")
    }

    /// The edition as this version would store it: what `verify` compares
    /// a re-imported edition with.
    pub fn project(version: u32, meta: &EditionMeta) -> Option<Self> {
        EditionRecord::new(version, meta)
    }

    pub fn version(&self) -> u32 {
        self.schema_version
    }

    pub fn encode(&self) -> Vec<u8> {
        Layout::of(self.schema_version).write(self)
    }
}

/// One meeting file, in the version of its edition record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRecord {
    pub version: u32,
    pub file: meeting::MeetingFileRecord,
}

impl MeetingRecord {
    pub fn decode(version: u32, bytes: &[u8]) -> Result<Self, RecordError> {
        let version = known(version, CURRENT)?;
        Ok(MeetingRecord {
            version,
            file: parse(bytes)?,
        })
    }

    /// The record written for a meeting of a new edition.
    pub fn current(meeting: &Meeting) -> Self {
        MeetingRecord {
            version: CURRENT,
            file: meeting.into(),
        }
    }

    /// The meeting as this record's version would store it: what `verify`
    /// compares a re-imported meeting with.
    pub fn project(version: u32, meeting: &Meeting) -> Option<Self> {
        known(version, CURRENT).ok().map(|version| MeetingRecord {
            version,
            file: meeting.into(),
        })
    }

    pub fn encode(&self) -> Vec<u8> {
        Layout::of(self.version).write(&self.file)
    }

    pub fn into_model(self) -> Meeting {
        self.file.into()
    }
}

impl PairingsRecord {
    pub fn decode(bytes: &[u8]) -> Result<Self, RecordError> {
        version_of(bytes, PAIRINGS_CURRENT)?;
        let record: PairingsRecord = parse(bytes)?;
        record.check_shape()?;
        Ok(record)
    }

    /// The record written for a new edition. A first edition's (paired
    /// with nothing) hold no pairing at all, since every meeting and item
    /// it holds was added.
    pub fn current(p: &Pairings) -> Self {
        if p.from.is_empty() {
            return PairingsRecord {
                schema_version: PAIRINGS_CURRENT,
                ..Default::default()
            };
        }
        PairingsRecord::new(PAIRINGS_CURRENT, p).expect("the current version holds every pairing")
    }

    /// Pairings as the current version stores them (a first edition's
    /// emptied): what reading them back gives.
    pub fn stored_form(p: Pairings) -> Pairings {
        if p.from.is_empty() {
            Pairings::default()
        } else {
            p
        }
    }

    /// The pairings as this record's version would store them; `None` when
    /// they hold a reason that version cannot (rules newer than its own).
    pub fn project(&self, p: &Pairings) -> Option<Self> {
        if self.schema_version == PAIRINGS_CURRENT {
            return Some(PairingsRecord::current(p));
        }
        PairingsRecord::new(self.schema_version, p)
    }

    pub fn encode(&self) -> Vec<u8> {
        Layout::of(self.schema_version).write(self)
    }

    pub fn to_pairings(&self) -> Pairings {
        self.clone().into()
    }
}

/// A ledger commit's `entry.json`, in the version it was written with.
pub type LedgerRecord = ledger::LedgerEntryRecord;

impl LedgerRecord {
    pub fn decode(bytes: &[u8]) -> Result<Self, RecordError> {
        version_of(bytes, LEDGER_CURRENT)?;
        parse(bytes)
    }

    /// The record written for a new entry.
    pub fn current(e: &LedgerEntry) -> Self {
        LedgerRecord::new(LEDGER_CURRENT, e)
    }

    /// The entry as this version writes it: what its seal is computed over.
    pub fn project(version: u32, e: &LedgerEntry) -> Option<Self> {
        (version == LEDGER_CURRENT).then(|| LedgerRecord::new(version, e))
    }

    pub fn encode(&self) -> Vec<u8> {
        Layout::Indented.write(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn golden(version: u32) -> git2::Repository {
        let path = format!(
            "{}/tests/fixtures/store/v{version}.git",
            env!("CARGO_MANIFEST_DIR")
        );
        git2::Repository::open_bare(path).expect("the golden store opens")
    }

    /// The files of every edition of a golden store, newest first.
    fn golden_editions(version: u32) -> Vec<Vec<(String, Vec<u8>)>> {
        let repo = golden(version);
        let mut walk = repo.revwalk().expect("a walk");
        walk.push_ref(crate::store::BRANCH).expect("the branch");
        walk.map(|oid| {
            let tree = repo
                .find_commit(oid.expect("an oid"))
                .and_then(|c| c.tree())
                .expect("a tree");
            crate::store::ledger::tree_files(&repo, &tree).expect("its files read")
        })
        .collect()
    }

    /// The files of the newest edition of the store cut by livedoc 0.1.0,
    /// committed in `tests/fixtures/store/v1.git`.
    fn fixture_files() -> Vec<(String, Vec<u8>)> {
        golden_editions(1).swap_remove(0)
    }

    /// Every record of every golden store (each cut by the build that
    /// wrote its version, never regenerated) decodes, re-encodes to the
    /// very bytes it was sealed with, and projects back from the in-memory
    /// form to those bytes: what verify does under every later livedoc.
    #[test]
    fn every_golden_store_record_round_trips_byte_for_byte() {
        for version in 1..=CURRENT {
            let editions = golden_editions(version);
            assert!(editions.len() >= 3, "v{version}");
            for files in &editions {
                let bytes = file(files, crate::store::RECORD_FILE);
                let record = EditionRecord::decode(bytes).expect("decodes");
                assert_eq!(record.version(), version);
                assert_eq!(record.encode(), bytes, "v{version} edition.json");
                let meta = record.to_meta().expect("converts");
                let again = EditionRecord::project(version, &meta).expect("known");
                assert_eq!(again.encode(), bytes, "v{version} edition.json projected");

                let bytes = file(files, crate::store::PAIRINGS_FILE);
                let p = PairingsRecord::decode(bytes).expect("pairings decode");
                assert_eq!(p.encode(), bytes, "v{version} pairings.json");
                let projected = p.project(&p.to_pairings()).map(|r| r.encode());
                assert_eq!(projected.as_deref(), Some(bytes), "v{version} pairings");

                for path in meta.meeting_paths() {
                    let bytes = file(files, path);
                    let m = MeetingRecord::decode(version, bytes).expect("decodes");
                    assert_eq!(m.encode(), bytes, "v{version} {path}");
                    let model = m.into_model();
                    let again = MeetingRecord::project(version, &model).expect("known");
                    assert_eq!(again.encode(), bytes, "v{version} {path} projected");
                }
            }
            let repo = golden(version);
            let ledger = crate::store::ledger::read(&repo).expect("the ledger reads");
            assert_eq!(ledger.len(), editions.len(), "v{version} ledger");
            for lc in ledger {
                let entry = lc.entry.expect("an entry");
                assert_eq!(entry.compute_hash(), entry.entry_sha256, "v{version} seal");
                let tree = repo
                    .find_commit(lc.commit)
                    .and_then(|c| c.tree())
                    .expect("a tree");
                let files = crate::store::ledger::tree_files(&repo, &tree).expect("files");
                let bytes = file(&files, crate::store::ledger::ENTRY_FILE);
                let record = LedgerRecord::decode(bytes).expect("decodes");
                assert_eq!(record.encode(), bytes);
                assert_eq!(LedgerRecord::current(&entry).encode(), bytes);
            }
        }
    }

    #[test]
    fn the_golden_stores_hold_what_each_version_brought() {
        use crate::diff::ItemStatus;
        let newest = |v| golden_editions(v).swap_remove(0);
        let statuses = |v| {
            let files = newest(v);
            let p =
                PairingsRecord::decode(file(&files, crate::store::PAIRINGS_FILE)).expect("decodes");
            p.to_pairings()
                .items
                .iter()
                .map(|i| i.status)
                .collect::<Vec<_>>()
        };
        for v in [3, 4, 5] {
            let s = statuses(v);
            assert!(s.contains(&ItemStatus::Split), "v{v}: {s:?}");
            assert!(s.contains(&ItemStatus::Merged), "v{v}: {s:?}");
        }
        let s = statuses(2);
        assert!(!s.contains(&ItemStatus::Split), "rules 2 know no split");
        for v in 1..=CURRENT {
            let meta = EditionRecord::decode(file(&newest(v), crate::store::RECORD_FILE))
                .and_then(|r| r.to_meta())
                .expect("reads");
            assert_eq!(meta.record_version, v);
            // Rules 4 came with version 5 (version 4 was cut under 3).
            let rules = if v >= 5 { 4 } else { v.min(3) };
            assert_eq!(
                meta.rules.number(),
                rules,
                "v{v} was cut under rules {rules}"
            );
            assert_eq!(meta.parts.iter().all(|p| !p.headers.is_empty()), v >= 4);
            // Version 5's newest edition was cut from Word, and names the
            // reader that read it.
            assert_eq!(
                meta.source.reader,
                (v >= 5).then_some(crate::parse::docx::READER),
                "v{v}"
            );
        }
    }

    /// A record that holds what its version cannot is refused on reading,
    /// though serde alone would accept it.
    #[test]
    fn a_record_holding_what_its_version_cannot_is_refused() {
        let v1 = String::from_utf8(file(&fixture_files(), crate::store::RECORD_FILE).to_vec())
            .expect("UTF-8");
        // A field out of place does not decode into the layout at all,
        // or decodes and is refused by its shape.
        let smuggled = v1.replacen(
            "\"items_moved\": ",
            "\"items_split\": 0,\n    \"items_moved\": ",
            1,
        );
        assert_ne!(smuggled, v1);
        let e = EditionRecord::decode(smuggled.as_bytes())
            .and_then(|r| r.to_meta())
            .expect_err("version 1 counts no splits");
        assert!(e.to_string().contains("version 1"), "{e}");
        let v4 = String::from_utf8(
            file(
                &golden_editions(4).swap_remove(0),
                crate::store::PAIRINGS_FILE,
            )
            .to_vec(),
        )
        .expect("UTF-8");
        let as_v2 = v4.replacen("\"schema_version\":4", "\"schema_version\":2", 1);
        let e = PairingsRecord::decode(as_v2.as_bytes()).expect_err("v2 holds no split");
        assert!(e.to_string().contains("version 2"), "{e}");
    }

    fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
        files
            .iter()
            .find(|(p, _)| p == name)
            .map(|(_, b)| b.as_slice())
            .unwrap_or_else(|| panic!("the fixture has {name}"))
    }

    #[test]
    fn version_1_records_round_trip_byte_for_byte_through_the_in_memory_types() {
        let files = fixture_files();
        let bytes = file(&files, crate::store::RECORD_FILE);
        let record = EditionRecord::decode(bytes).expect("a v1 record decodes");
        assert_eq!(record.version(), 1);
        assert_eq!(record.encode(), bytes, "re-serialised in its own version");
        let meta = record.to_meta().expect("converts");
        assert_eq!(
            meta.rules,
            crate::rules::Rules::V1,
            "version 1 editions were cut under the first rules, and verify replays them"
        );
        // Projected back into version 1 from the in-memory form: what
        // verify compares a re-import with, under every later livedoc.
        let again = EditionRecord::project(1, &meta).expect("version 1 is known");
        assert_eq!(again.encode(), bytes);

        let pairings = file(&files, crate::store::PAIRINGS_FILE);
        let p = PairingsRecord::decode(pairings).expect("v1 pairings decode");
        assert_eq!(p.encode(), pairings);
        assert_eq!(
            p.project(&p.to_pairings()).map(|r| r.encode()),
            Some(pairings.to_vec())
        );
        assert!(
            p.to_pairings()
                .items
                .iter()
                .any(|i| i.reason == crate::diff::Reason::Override),
            "the fixture records a pairing the secretariat confirmed"
        );

        let mut meetings = 0;
        for path in meta.meeting_paths() {
            let bytes = file(&files, path);
            let m = MeetingRecord::decode(1, bytes).expect("a v1 meeting decodes");
            assert_eq!(m.encode(), bytes);
            let model = m.into_model();
            let again = MeetingRecord::project(1, &model).expect("version 1 is known");
            assert_eq!(again.encode(), bytes, "{path}");
            meetings += 1;
        }
        assert_eq!(meetings, meta.counts.meetings);
    }

    #[test]
    fn version_1_ledger_entries_keep_their_bytes_and_their_seals() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store/v1.git");
        let repo = git2::Repository::open_bare(path).expect("the fixture store opens");
        let ledger = crate::store::ledger::read(&repo).expect("the ledger reads");
        assert_eq!(ledger.len(), 3);
        for lc in ledger {
            let entry = lc.entry.expect("an entry");
            assert_eq!(entry.record_version, 1);
            assert_eq!(
                entry.compute_hash(),
                entry.entry_sha256,
                "seal of {}",
                entry.seq
            );
            let tree = repo
                .find_commit(lc.commit)
                .and_then(|c| c.tree())
                .expect("a tree");
            let files = crate::store::ledger::tree_files(&repo, &tree).expect("files");
            let bytes = file(&files, crate::store::ledger::ENTRY_FILE);
            assert_eq!(LedgerRecord::current(&entry).encode(), bytes);
        }
    }

    #[test]
    fn a_record_of_an_unknown_version_is_refused_with_what_to_do() {
        let files = fixture_files();
        let text = String::from_utf8(file(&files, crate::store::RECORD_FILE).to_vec())
            .expect("JSON is UTF-8");
        let bumped = text.replacen("\"schema_version\": 1", "\"schema_version\": 99", 1);
        assert_ne!(bumped, text);
        let e = EditionRecord::decode(bumped.as_bytes()).expect_err("a newer version");
        assert_eq!(
            e,
            RecordError::Newer {
                version: 99,
                newest: CURRENT
            }
        );
        let zero = text.replacen("\"schema_version\": 1", "\"schema_version\": 0", 1);
        assert_eq!(
            EditionRecord::decode(zero.as_bytes()),
            Err(RecordError::Unknown { version: 0 })
        );
        assert!(matches!(
            MeetingRecord::decode(99, b"{}"),
            Err(RecordError::Newer { version: 99, .. })
        ));
    }

    proptest::proptest! {
        /// Whatever the importer can produce is stored and read back as the
        /// same edition, and its files re-serialise to the same bytes.
        #[test]
        fn an_edition_round_trips_through_its_records(e in crate::testgen::edition()) {
            use crate::diff::{Added, Summary};
            use crate::store::import::DateFrom;
            use crate::store::snapshot::{self, NewEdition, Person, Provenance, SourceInfo};
            let files = snapshot::to_files(NewEdition {
                edition: &e,
                added: Added::default(),
                changes: Summary { items_added: 3, ..Summary::default() },
                retired_ids: vec!["K#1".into()],
                source: SourceInfo { file: "t.md".into(), sha256: "00".into(), bytes: 2, reader: None },
                provenance: Provenance {
                    cut_by: Person { name: "N".into(), email: String::new() },
                    cut_at: crate::store::snapshot::Timestamp::parse("2026-01-01T00:00:00Z").expect("RFC 3339"),
                    livedoc_version: "0.1.0".into(),
                    date_from: DateFrom::Flag,
                    overrides: Vec::new(),
                },
            });
            let record = EditionRecord::decode(&files.record).expect("decodes");
            proptest::prop_assert_eq!(record.encode(), files.record.clone());
            let meta = record.to_meta().expect("converts");
            proptest::prop_assert_eq!(&meta, &files.meta);
            let back = snapshot::from_files(&meta, |path| {
                let bytes = &files.meetings.iter().find(|(p, _)| p == path).expect("a file").1;
                let m = MeetingRecord::decode(meta.record_version, bytes)?;
                proptest::prop_assert_eq!(&m.encode(), bytes);
                Ok(m.into_model())
            });
            match back {
                Ok(back) => proptest::prop_assert_eq!(back, e.clone()),
                Err(err) => return Err(proptest::test_runner::TestCaseError::fail(format!("{err:?}"))),
            }
        }
    }

    #[test]
    fn version_2_records_the_rules_and_refuses_rules_it_does_not_know() {
        let files = fixture_files();
        let v1 = EditionRecord::decode(file(&files, crate::store::RECORD_FILE)).expect("v1");
        let meta = v1.to_meta().expect("converts");
        let v2 = EditionRecord::project(2, &meta).expect("version 2 is known");
        assert_eq!(v2.version(), 2);
        let text = String::from_utf8(v2.encode()).expect("JSON is UTF-8");
        assert!(text.contains("\"schema_version\": 2"), "{text}");
        assert!(text.contains("\"rules\": 1"), "{text}");
        let back = EditionRecord::decode(text.as_bytes()).expect("decodes");
        assert_eq!(back.encode(), text.as_bytes());
        assert_eq!(
            back.to_meta().expect("converts"),
            EditionMeta {
                record_version: 2,
                ..meta
            }
        );
        let unknown = text.replacen("\"rules\": 1", "\"rules\": 9", 1);
        let e = EditionRecord::decode(unknown.as_bytes())
            .and_then(|r| r.to_meta())
            .expect_err("rules 9 are unknown");
        assert!(e.to_string().contains("rules 9"), "{e}");
    }

    #[test]
    fn version_3_records_splits_and_merges_that_version_2_cannot_hold() {
        use crate::diff::{ItemStatus, Reason};
        let files = fixture_files();
        let v1 = EditionRecord::decode(file(&files, crate::store::RECORD_FILE)).expect("v1");
        let mut meta = v1.to_meta().expect("converts");
        meta.rules = crate::rules::Rules::V3;
        meta.changes.items_split = 1;
        meta.changes.items_merged = 2;
        let v3 = EditionRecord::project(3, &meta).expect("version 3 is known");
        assert_eq!(v3.version(), 3);
        let text = String::from_utf8(v3.encode()).expect("JSON is UTF-8");
        assert!(text.contains("\"schema_version\": 3"), "{text}");
        assert!(text.contains("\"rules\": 3"), "{text}");
        assert!(text.contains("\"items_split\": 1"), "{text}");
        let back = EditionRecord::decode(text.as_bytes()).expect("decodes");
        assert_eq!(back.encode(), text.as_bytes());
        assert_eq!(
            back.to_meta().expect("converts"),
            EditionMeta {
                record_version: 3,
                ..meta
            }
        );

        let p1 = PairingsRecord::decode(file(&files, crate::store::PAIRINGS_FILE)).expect("v1");
        let mut pairings = p1.to_pairings();
        let mut split = pairings.items[0].clone();
        split.id = "K#o9".into();
        split.status = ItemStatus::Split;
        split.reason = Reason::SplitFrom;
        split.split_from = Some("K#o1".into());
        pairings.items.push(split);
        let v3 = PairingsRecord {
            schema_version: 3,
            ..Default::default()
        }
        .project(&pairings)
        .expect("version 3 holds splits");
        let bytes = v3.encode();
        let again = PairingsRecord::decode(&bytes).expect("v3 pairings decode");
        assert_eq!(again, v3);
        assert_eq!(again.to_pairings(), pairings, "a split survives version 3");
        // Version 4 holds the same, compact.
        let v4 = PairingsRecord::current(&pairings).encode();
        assert!(v4.starts_with(b"{\"schema_version\":4,"));
        assert!(v4.len() < bytes.len());
        let again = PairingsRecord::decode(&v4).expect("v4 pairings decode");
        assert_eq!(again.encode(), v4, "canonical");
        assert_eq!(again.to_pairings(), pairings);
        let as_v2 = PairingsRecord {
            schema_version: 2,
            ..Default::default()
        };
        assert_eq!(
            as_v2.project(&pairings),
            None,
            "version 2 cannot hold a split: verify must not write one into it"
        );
        assert!(p1.project(&pairings).is_none(), "nor can version 1");
    }

    #[test]
    fn the_current_version_records_each_meetings_heading_in_compact_json() {
        let src = include_bytes!("../../../editions/2024-04.md");
        let opts = crate::parse::ParseOptions {
            id: crate::ids::EditionId::new("2024-04").expect("valid"),
            date: None,
            rules: Default::default(),
        };
        let edition = crate::parse::parse(src, "2024-04.md", &opts)
            .expect("imports")
            .edition;
        let v1 = EditionRecord::decode(file(&fixture_files(), crate::store::RECORD_FILE))
            .expect("v1")
            .to_meta()
            .expect("converts");
        let files = crate::store::snapshot::to_files(crate::store::snapshot::NewEdition {
            edition: &edition,
            added: Default::default(),
            changes: Default::default(),
            retired_ids: Vec::new(),
            source: v1.source.clone(),
            provenance: v1.provenance.clone(),
        });
        assert_eq!(CURRENT, 5);
        let text = String::from_utf8(files.record.clone()).expect("JSON is UTF-8");
        assert!(
            text.starts_with("{\"schema_version\":5,\"id\":\"2024-04\""),
            "{text}"
        );
        assert_eq!(
            text.matches('\n').count(),
            1,
            "one line, newline-terminated"
        );
        assert!(
            text.contains(r#""symbol":"CTOC/COP/WG.4/2022/4","source":null"#),
            "{text}"
        );
        let back = EditionRecord::decode(&files.record).expect("decodes");
        assert_eq!(back.encode(), files.record, "canonical");
        let meta = back.to_meta().expect("converts");
        assert_eq!(meta, files.meta, "every heading survives the record");
        let headers: Vec<_> = meta.parts.iter().flat_map(|p| &p.headers).collect();
        let meetings: Vec<_> = edition.meetings().collect();
        assert_eq!(headers.len(), 10);
        for (h, m) in headers.iter().zip(&meetings) {
            assert_eq!(**h, m.header());
        }
        // Meeting files are compact too, and decode to the same meeting.
        let (_, bytes) = &files.meetings[0];
        assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), 1);
        let m = MeetingRecord::decode(CURRENT, bytes)
            .expect("decodes")
            .into_model();
        assert_eq!(&m, meetings[0]);
        assert_eq!(
            MeetingRecord::project(CURRENT, &m).expect("known").encode(),
            *bytes
        );
        // A layout without headings (read from an older record) cannot
        // pass for version 4: its meetings are missing, and verify sees it.
        let projected = EditionRecord::project(4, &v1).expect("known");
        assert_ne!(projected.to_meta().expect("converts").parts, v1.parts);
    }

    #[test]
    fn a_field_unknown_to_version_1_does_not_survive_re_serialisation() {
        // A file that is not exactly what version 1 writes must fail
        // verify's canonical check, not be silently accepted.
        let files = fixture_files();
        let text = String::from_utf8(file(&files, crate::store::RECORD_FILE).to_vec())
            .expect("JSON is UTF-8");
        let extra = text.replacen('{', "{\n  \"injected\": true,", 1);
        let record = EditionRecord::decode(extra.as_bytes()).expect("still decodes");
        assert_ne!(record.encode(), extra.as_bytes());
        assert_eq!(record.encode(), text.as_bytes());
    }
}
