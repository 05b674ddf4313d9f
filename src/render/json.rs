//! The versioned JSON view models that scripts depend on. They are built
//! from small `Serialize` structs, not by serialising internal types, so
//! the internal model can change without breaking the contract:
//! field names here are never renamed, only added.

use std::io::{self, Write};

use serde::Serialize;

use crate::diff::matching::MeetingReason;
use crate::diff::words::Change;
use crate::diff::{Added, EditionDiff, ItemStatus, MeetingStatus, Reason, SectionDiff, Summary};
use crate::history::blame::Blame;
use crate::history::trace::Trace;
use crate::model::{Counts, Edition};
use crate::store::EditionInfo;
use crate::verify::Report as VerifyReport;

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
    /// Counts of everything the edition changed.
    pub changes: &'a Summary,
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
                changes: &e.record.changes,
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

/// The view of `diff --format json` (and `whatsnew`).
#[derive(Serialize)]
pub struct DiffView<'a> {
    pub schema_version: u32,
    /// The edition id or file path of each side.
    pub from: &'a str,
    pub to: &'a str,
    pub from_edition: SideView<'a>,
    pub to_edition: SideView<'a>,
    pub summary: &'a Summary,
    pub meetings: Vec<MeetingDiffView<'a>>,
    pub sections: &'a [SectionDiff],
}

#[derive(Serialize)]
pub struct SideView<'a> {
    pub id: &'a str,
    pub date: &'a str,
    pub title: &'a str,
}

#[derive(Serialize)]
pub struct MeetingDiffView<'a> {
    pub key: &'a str,
    pub old_key: Option<&'a str>,
    pub part: &'a str,
    pub year: i32,
    pub body: &'a str,
    pub symbol: Option<&'a str>,
    pub old_symbol: Option<&'a str>,
    pub status: MeetingStatus,
    pub reason: Option<MeetingReason>,
    pub items: Vec<ItemDiffView<'a>>,
}

#[derive(Serialize)]
pub struct ItemDiffView<'a> {
    pub id: &'a str,
    pub kind: &'static str,
    pub status: ItemStatus,
    pub old_label: Option<&'a str>,
    pub new_label: Option<&'a str>,
    pub old_text: Option<&'a str>,
    pub new_text: Option<&'a str>,
    pub similarity: Option<f64>,
    pub reason: Reason,
    /// The reason in words.
    pub reason_text: &'static str,
    pub changes: &'a [Change],
    pub from_meeting: Option<&'a str>,
    pub old_position: Option<usize>,
    pub new_position: Option<usize>,
}

pub fn diff_view(d: &EditionDiff) -> DiffView<'_> {
    DiffView {
        schema_version: SCHEMA_VERSION,
        from: &d.from.name,
        to: &d.to.name,
        from_edition: SideView {
            id: &d.from.edition_id,
            date: &d.from.date,
            title: &d.from.title,
        },
        to_edition: SideView {
            id: &d.to.edition_id,
            date: &d.to.date,
            title: &d.to.title,
        },
        summary: &d.summary,
        meetings: d
            .meetings
            .iter()
            .map(|m| MeetingDiffView {
                key: &m.key,
                old_key: m.old_key.as_deref(),
                part: &m.part,
                year: m.year,
                body: &m.body,
                symbol: m.symbol.as_deref(),
                old_symbol: m.old_symbol.as_deref(),
                status: m.status,
                reason: m.reason,
                items: m
                    .items
                    .iter()
                    .map(|i| ItemDiffView {
                        id: &i.id,
                        kind: i.kind.as_str(),
                        status: i.status,
                        old_label: i.old_label.as_deref(),
                        new_label: i.new_label.as_deref(),
                        old_text: i.old_text.as_deref(),
                        new_text: i.new_text.as_deref(),
                        similarity: i.similarity,
                        reason: i.reason,
                        reason_text: i.reason.describe(),
                        changes: &i.changes,
                        from_meeting: i.from_meeting.as_deref(),
                        old_position: i.old_position,
                        new_position: i.new_position,
                    })
                    .collect(),
            })
            .collect(),
        sections: &d.sections,
    }
}

/// The view of `trace --format json`.
#[derive(Serialize)]
pub struct TraceView<'a> {
    pub schema_version: u32,
    pub item: &'a str,
    pub kind: Option<&'static str>,
    pub entries: Vec<TraceEntryView<'a>>,
    pub meeting_reads: usize,
}

#[derive(Serialize)]
pub struct TraceEntryView<'a> {
    pub edition: &'a str,
    pub date: String,
    pub status: ItemStatus,
    pub reason: Option<Reason>,
    pub meeting: &'a str,
    pub label: Option<&'a str>,
    pub text: &'a str,
    pub changes: &'a [Change],
    pub commit: String,
    pub tag: Option<String>,
    pub cut_by: String,
    pub cut_at: &'a str,
}

pub fn trace_view(t: &Trace) -> TraceView<'_> {
    TraceView {
        schema_version: SCHEMA_VERSION,
        item: &t.item,
        kind: t.kind.map(|k| k.as_str()),
        entries: t
            .entries
            .iter()
            .map(|e| TraceEntryView {
                edition: &e.edition,
                date: e.date.to_string(),
                status: e.status,
                reason: e.reason,
                meeting: &e.meeting,
                label: e.label.as_deref(),
                text: &e.text,
                changes: &e.changes,
                commit: e.commit.to_string(),
                tag: e.tag.map(|t| t.to_string()),
                cut_by: e.cut_by.to_string(),
                cut_at: &e.cut_at,
            })
            .collect(),
        meeting_reads: t.meeting_reads,
    }
}

/// The view of `blame --format json`.
#[derive(Serialize)]
pub struct BlameView<'a> {
    pub schema_version: u32,
    pub edition: &'a str,
    pub commit: String,
    pub items: Vec<BlameItemView<'a>>,
}

#[derive(Serialize)]
pub struct BlameItemView<'a> {
    pub id: &'a str,
    pub kind: &'static str,
    pub meeting: &'a str,
    pub label: Option<&'a str>,
    pub introduced: &'a str,
    pub last_changed: &'a str,
    pub last_change: ItemStatus,
}

pub fn blame_view(b: &Blame) -> BlameView<'_> {
    BlameView {
        schema_version: SCHEMA_VERSION,
        edition: b.info.id(),
        commit: b.info.commit.to_string(),
        items: b
            .lines
            .iter()
            .map(|l| BlameItemView {
                id: &l.id,
                kind: l.kind.as_str(),
                meeting: &l.meeting,
                label: l.label.as_deref(),
                introduced: &l.introduced,
                last_changed: &l.last_changed,
                last_change: l.last_change,
            })
            .collect(),
    }
}

/// The view of `verify --format json`.
#[derive(Serialize)]
pub struct VerifyView<'a> {
    pub schema_version: u32,
    pub ok: bool,
    #[serde(flatten)]
    pub report: &'a VerifyReport,
}

pub fn verify_view(r: &VerifyReport) -> VerifyView<'_> {
    VerifyView {
        schema_version: SCHEMA_VERSION,
        ok: r.ok(),
        report: r,
    }
}

/// The view of `doctor --format json`.
#[derive(Serialize)]
pub struct DoctorView<'a> {
    pub schema_version: u32,
    pub ok: bool,
    #[serde(flatten)]
    pub report: &'a crate::doctor::DoctorReport,
}

pub fn doctor_view(r: &crate::doctor::DoctorReport) -> DoctorView<'_> {
    DoctorView {
        schema_version: SCHEMA_VERSION,
        ok: r.ok(),
        report: r,
    }
}

/// The view of `check --format json`.
#[derive(Serialize)]
pub struct CheckView<'a> {
    pub schema_version: u32,
    pub file: &'a str,
    pub errors: usize,
    pub warnings: usize,
    pub findings: &'a [crate::diagnostic::Diagnostic],
}

pub fn check_view(r: &crate::check::CheckReport) -> CheckView<'_> {
    CheckView {
        schema_version: SCHEMA_VERSION,
        file: &r.file,
        errors: r.errors(),
        warnings: r.warnings(),
        findings: &r.findings,
    }
}

/// The view of `changelog --format json`: one diff per edition, newest
/// first.
#[derive(Serialize)]
pub struct ChangelogView<'a> {
    pub schema_version: u32,
    pub editions: Vec<DiffView<'a>>,
}

pub fn changelog_view(reports: &[EditionDiff]) -> ChangelogView<'_> {
    ChangelogView {
        schema_version: SCHEMA_VERSION,
        editions: reports.iter().map(diff_view).collect(),
    }
}

/// `editions.json` of the site: every edition as `show --format json`
/// gives it, oldest first.
#[derive(Serialize)]
pub struct SiteExport<'a> {
    pub schema_version: u32,
    pub editions: Vec<ShowView<'a>>,
}

pub fn site_export<'a>(editions: &'a [Edition], infos: &'a [EditionInfo]) -> SiteExport<'a> {
    SiteExport {
        schema_version: SCHEMA_VERSION,
        editions: editions
            .iter()
            .zip(infos)
            .map(|(e, i)| show_view(e, Some(i)))
            .collect(),
    }
}
