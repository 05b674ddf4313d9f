//! The versioned JSON view models that scripts depend on. They are built
//! from small `Serialize` structs, not by serialising internal types, so
//! the internal model can change without breaking the contract:
//! field names here are never renamed, only added.

use std::io::{self, Write};

use serde::Serialize;

use crate::diff::Added;
use crate::model::{Counts, Edition};
use crate::store::EditionInfo;

/// The version of every JSON document livedoc prints.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
pub struct ShowView<'a> {
    pub schema_version: u32,
    pub edition: EditionMeta<'a>,
    pub front_matter: Vec<SectionView<'a>>,
    pub parts: Vec<PartView<'a>>,
    pub contact: Option<&'a str>,
}

#[derive(Serialize)]
pub struct EditionMeta<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub date: String,
    pub place: Option<&'a str>,
    pub counts: Counts,
    pub commit: Option<String>,
    pub tag: Option<String>,
    pub cut_by: Option<String>,
    pub cut_at: Option<&'a str>,
    pub source_sha256: Option<&'a str>,
}

#[derive(Serialize)]
pub struct SectionView<'a> {
    pub title: &'a str,
    pub body: &'a str,
}

#[derive(Serialize)]
pub struct PartView<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub counts: Counts,
    pub meetings: Vec<MeetingView<'a>>,
}

#[derive(Serialize)]
pub struct MeetingView<'a> {
    pub key: &'a str,
    pub part: &'a str,
    pub year: i32,
    pub body: &'a str,
    pub kind: &'static str,
    pub symbol: Option<&'a str>,
    pub source: Option<&'a str>,
    pub link: Option<&'a str>,
    pub items: Vec<ItemView<'a>>,
}

#[derive(Serialize)]
pub struct ItemView<'a> {
    pub id: &'a str,
    pub kind: &'static str,
    pub label: Option<&'a str>,
    pub text: &'a str,
    pub subitems: Vec<SubItemView<'a>>,
}

#[derive(Serialize)]
pub struct SubItemView<'a> {
    pub label: &'a str,
    pub text: &'a str,
}

/// The view of `show --format json`.
pub fn show_view<'a>(edition: &'a Edition, info: Option<&'a EditionInfo>) -> ShowView<'a> {
    ShowView {
        schema_version: SCHEMA_VERSION,
        edition: EditionMeta {
            id: &edition.id,
            title: &edition.title,
            date: edition.date.to_string(),
            place: edition.place.as_deref(),
            counts: edition.counts(),
            commit: info.map(|i| i.commit.to_string()),
            tag: info.and_then(|i| i.tag).map(|t| t.to_string()),
            cut_by: info.map(|i| i.record.provenance.cut_by.to_string()),
            cut_at: info.map(|i| i.record.provenance.cut_at.as_str()),
            source_sha256: info.map(|i| i.record.source.sha256.as_str()),
        },
        front_matter: edition
            .front_matter
            .iter()
            .map(|s| SectionView {
                title: &s.title,
                body: &s.body,
            })
            .collect(),
        parts: edition
            .parts
            .iter()
            .map(|p| PartView {
                key: &p.key,
                title: &p.title,
                counts: p.counts(),
                meetings: p
                    .meetings
                    .iter()
                    .map(|m| MeetingView {
                        key: &m.key,
                        part: &m.part,
                        year: m.year,
                        body: &m.body,
                        kind: m.kind.as_str(),
                        symbol: m.symbol.as_deref(),
                        source: m.source.as_deref(),
                        link: m.link.as_deref(),
                        items: m
                            .items
                            .iter()
                            .map(|i| ItemView {
                                id: &i.id,
                                kind: i.kind.as_str(),
                                label: i.label.as_deref(),
                                text: &i.text,
                                subitems: i
                                    .subitems
                                    .iter()
                                    .map(|s| SubItemView {
                                        label: &s.label,
                                        text: &s.text,
                                    })
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        contact: edition.contact.as_deref(),
    }
}

#[derive(Serialize)]
pub struct LogView<'a> {
    pub schema_version: u32,
    pub editions: Vec<LogEntry<'a>>,
}

#[derive(Serialize)]
pub struct LogEntry<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub date: String,
    pub counts: &'a Counts,
    pub added: &'a Added,
    pub commit: String,
    pub tag: Option<String>,
    pub cut_by: String,
    pub cut_at: &'a str,
    pub source_sha256: &'a str,
}

/// The view of `log --format json`, newest edition first.
pub fn log_view(editions: &[EditionInfo]) -> LogView<'_> {
    LogView {
        schema_version: SCHEMA_VERSION,
        editions: editions
            .iter()
            .rev()
            .map(|e| LogEntry {
                id: &e.record.id,
                title: &e.record.title,
                date: e.record.date.to_string(),
                counts: &e.record.counts,
                added: &e.record.added,
                commit: e.commit.to_string(),
                tag: e.tag.map(|t| t.to_string()),
                cut_by: e.record.provenance.cut_by.to_string(),
                cut_at: &e.record.provenance.cut_at,
                source_sha256: &e.record.source.sha256,
            })
            .collect(),
    }
}

/// Writes a view as pretty JSON with a trailing newline.
pub fn write<T: Serialize>(view: &T, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, view)?;
    writeln!(out)
}
