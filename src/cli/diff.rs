//! `livedoc diff`: what changed between two editions.

use clap_complete::engine::ArgValueCompleter;
use std::io::Write;
use std::path::{Path, PathBuf};

use livedoc::diff::{self, EditionDiff, Pairing, Sides};
use livedoc::ids::EditionSpec;
use livedoc::model::Edition;
use livedoc::render::redline::{Redline, RedlineOptions};
use livedoc::render::{docx, html, json, markdown, pdf, text};
use livedoc::store::snapshot::Timestamp;

use livedoc::diff::overrides;
use livedoc::store::{Newer, StoreError};

use super::format::{Format, document, refuse_on_terminal, write_out};
use super::source::{Pair, Source, Stores, locate_override_errors, read_overrides};
use super::{CliError, Ctx, exit};

/// Show what changed between two editions.
///
/// Meetings added, changed or removed, and items added, modified,
/// renumbered, moved or removed, each with the reason for its pairing.
/// FROM and TO are edition ids (`latest`, `latest~N` too) or Markdown
/// (.md) or Word (.docx) files, in any combination; two files need no
/// store.
///
/// With one argument: an edition shows what that edition changed (against
/// the edition before it; the first edition against nothing, so it shows
/// everything it added), and a file shows what that draft would change
/// against the newest edition. With none: what the newest edition changed.
///
/// `docx` writes TO as a Word document in the compilation's layout with
/// the changes from FROM as tracked changes, by who cut TO and when (for
/// a draft: LIVEDOC_AUTHOR, else git's user.name, else "livedoc", at
/// SOURCE_DATE_EPOCH or now), so that Accept All gives TO and Reject All
/// gives FROM. A renumbering changes only the label; a reworded item only
/// the words that changed; a moved item is a tracked move, with a comment
/// saying where it was; a split-off, merged or restored item has a
/// comment saying what it came from.
///
/// `pdf` typesets the same redline: a first page sums up the changes by
/// meeting, then TO in the compilation's layout with inserted text
/// underlined and deleted text struck through (in colour too), a bar in
/// the margin beside every changed paragraph, and what happened to each
/// meeting and item (added, removed, renumbered from…, moved from…, split
/// off…) in the margin. The same comparison gives the same bytes.
///
/// Examples:
///   livedoc diff                               what the newest edition changed
///   livedoc diff 2025-03                       what edition 2025-03 changed
///   livedoc diff DRAFT.docx                    preview what a draft would change
///   livedoc diff 2024-04 latest --stat         one line per meeting
///   livedoc diff old.md new.md --format html > changes.html
///   livedoc diff latest~1 latest --format docx --out redline.docx
///   livedoc diff 2024-04 latest --format pdf --out changes.pdf
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The earlier edition or file (alone: the edition or file to show).
    #[arg(add = ArgValueCompleter::new(super::completions::editions_or_files))]
    from: Option<String>,
    /// The later edition or file.
    #[arg(add = ArgValueCompleter::new(super::completions::editions_or_files))]
    to: Option<String>,
    /// How to print the report: text, markdown (a "what's new" document), json (the published contract), html (one self-contained page), docx (a Word redline: TO with the changes tracked) or pdf (the redline typeset, with a summary first).
    #[arg(long, value_parser = Format::only(&[Format::Text, Format::Markdown, Format::Json, Format::Html, Format::Docx, Format::Pdf]), default_value = "text")]
    format: Format,
    /// Write to this file instead of standard output (replaced whole, never left half-written).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// One line per changed meeting with its counts (text only).
    #[arg(long)]
    stat: bool,
    /// Exit with 1 when the editions differ, 0 when they do not.
    #[arg(long)]
    exit_code: bool,
    /// Fold each changed item's unchanged words to a few around each
    /// change (text only; the full text is shown by default).
    #[arg(long)]
    compact: bool,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let redline = refuse_document_misuse(
        args.format,
        args.stat,
        args.out.as_deref(),
        "livedoc diff FROM TO",
    )?;
    let mut stores = Stores::new(ctx);
    let (from, to) = match (&args.from, &args.to) {
        (Some(f), Some(t)) => (Source::parse(f)?, Source::parse(t)?),
        // One side named (or none): what it changed.
        (one, _) => {
            let to = match one {
                Some(t) => Source::parse(t)?,
                None => Source::Stored(EditionSpec::Latest(0)),
            };
            (before(ctx, &mut stores, &to)?, to)
        }
    };
    let compared = compare_keeping(&mut stores, &from, &to, redline)?;
    let report = &compared.report;
    print_comparison(
        ctx,
        &compared,
        args.format,
        (args.stat, args.compact),
        args.out.as_deref(),
        out,
    )?;
    let found = args.exit_code && !report.summary.is_empty();
    std::mem::forget(compared);
    Ok(if found { exit::FOUND } else { exit::SUCCESS })
}

/// The redline of a comparison in `format`: a Word document with tracked
/// changes, or a PDF.
fn write_redline(
    sides: &Editions,
    report: &EditionDiff,
    format: Format,
    w: &mut dyn Write,
) -> Result<(), CliError> {
    let options = RedlineOptions {
        documents_url: livedoc::render::DOCUMENTS_URL.to_string(),
        author: sides.author.clone(),
        date: sides.date.clone(),
    };
    let r = Redline::build(sides.old.as_ref(), &sides.new, report, &options);
    match format {
        Format::Pdf => pdf::render_redline(&r, report, w).map_err(|e| match e {
            pdf::PdfError::Io(e) => CliError::Io(e),
            other => CliError::Pdf(other),
        })?,
        _ => docx::render_redline(&r, w)?,
    }
    Ok(())
}

/// What `to` is compared with when only it is named: the edition before
/// it; for a draft, the newest edition; for the first edition, or a draft
/// with no edition stored yet, nothing.
pub(super) fn before(ctx: &Ctx, stores: &mut Stores<'_>, to: &Source) -> Result<Source, CliError> {
    match to {
        Source::Stored(spec) => {
            let store = stores.get()?;
            let to_info = store.resolve(spec)?;
            let commits = store.commits()?;
            let pos = commits
                .iter()
                .position(|c| *c == to_info.commit)
                .unwrap_or(0);
            if pos == 0 {
                ctx.note(&format!(
                    "{} is the store's first edition: this is everything it added. To preview a draft of the next edition: livedoc diff DRAFT.md",
                    to_info.id()
                ));
                return Ok(Source::Nothing);
            }
            Ok(Source::Stored(EditionSpec::Latest(commits.len() - pos)))
        }
        Source::File(_) => match stores.get() {
            Ok(store) if store.head()?.is_some() => Ok(Source::Stored(EditionSpec::Latest(0))),
            Ok(_) | Err(CliError::Store(StoreError::NotFound { .. })) => {
                ctx.note("no edition is stored yet: this is everything the draft would add");
                Ok(Source::Nothing)
            }
            Err(e) => Err(e),
        },
        Source::Nothing => Ok(Source::Nothing),
    }
}

/// A document format (docx, pdf) takes no `--stat` and is not printed on
/// a terminal: refused before anything is read. Returns whether the
/// format is a document, a redline.
pub(super) fn refuse_document_misuse(
    format: Format,
    stat: bool,
    out: Option<&Path>,
    usage: &str,
) -> Result<bool, CliError> {
    let redline = document(format).is_some();
    if redline && stat {
        return Err(stat_refused(format));
    }
    refuse_on_terminal(format, out, usage)?;
    Ok(redline)
}

/// Prints a comparison: its redline when it kept both editions, else its
/// report in `format` (with `--stat` and `--compact`), to `path` or
/// standard output.
pub(super) fn print_comparison(
    ctx: &Ctx,
    compared: &Compared,
    format: Format,
    (stat, compact): (bool, bool),
    path: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let palette = if path.is_some() {
        text::Palette { enabled: false }
    } else {
        ctx.palette
    };
    write_out(
        ctx,
        path,
        compared.editions.is_some(),
        out,
        |w| match &compared.editions {
            Some(sides) => write_redline(sides, &compared.report, format, w),
            None => render_report(palette, &compared.report, format, stat, compact, w),
        },
    )
}

/// A comparison, and what a redline of it needs besides.
pub(super) struct Compared {
    pub(super) report: EditionDiff,
    /// The two editions whole, when asked for.
    pub(super) editions: Option<Editions>,
}

/// Both editions of a comparison, whole, and who cut the newer.
pub(super) struct Editions {
    /// `None` before the first edition.
    old: Option<Edition>,
    /// With the ids the diff carried to it from the older edition.
    new: Edition,
    /// Who cut the newer edition (for a draft: who would), and when, in
    /// RFC 3339 and UTC.
    author: String,
    date: String,
}

/// Loads both sides and diffs them, keeping both editions whole when
/// `keep` (a redline needs them; otherwise they are left for the exit to
/// free). Ids are trusted only when both come from the store. A draft's
/// pairing overrides (its `.pairs.toml`) apply, so the diff previews
/// exactly what importing it would do.
pub(super) fn compare_keeping(
    stores: &mut Stores<'_>,
    from: &Source,
    to: &Source,
    keep: bool,
) -> Result<Compared, CliError> {
    let Pair {
        old,
        new,
        unchanged,
        recorded,
    } = stores.load_pair(from, to)?;
    let pairing = match &recorded {
        // Both stored: by the ids the store carried, with what it
        // recorded between them.
        Some(recorded) => Pairing::ByRecord(recorded),
        None => {
            let list = match to {
                Source::File(path) => read_overrides(path, None)?,
                Source::Stored(_) | Source::Nothing => Vec::new(),
            };
            let (forced, apart) =
                overrides::resolve(&list, &old.edition, &new.edition).map_err(|errors| {
                    locate_override_errors(StoreError::Overrides {
                        file: list.iter().find_map(|o| o.file.clone()),
                        errors,
                    })
                })?;
            // A diff shows what today's rules find.
            Pairing::ByRules {
                rules: Default::default(),
                forced,
                apart,
            }
        }
    };
    // A stored older edition: the ids it had retired, and the items
    // withdrawn under them, which a draft that brings one back restores,
    // as its import would.
    let newer = if recorded.is_some() {
        Newer::Stored
    } else {
        Newer::Draft
    };
    let sides = match &old.info {
        Some(info) => Sides {
            to_name: new.name.clone(),
            unchanged,
            ..stores.get()?.sides(info, &new.edition, newer)?
        },
        None => Sides {
            from_name: old.name.clone(),
            to_name: new.name.clone(),
            unchanged,
            ..Sides::default()
        },
    };
    let diff::Diffed {
        report, edition, ..
    } = diff::compare(&old.edition, &new.edition, &pairing, sides);
    if !keep {
        // One comparison per process: the models are left for the exit
        // to free at once, not node by node (a tenth of a large diff's
        // time).
        std::mem::forget((old, new, edition));
        return Ok(Compared {
            report,
            editions: None,
        });
    }
    let (author, date) = match &new.info {
        Some(info) => {
            let p = &info.meta.provenance;
            (p.cut_by.name.clone(), utc(&p.cut_at))
        }
        None => (draft_author(stores), utc(&super::import::now())),
    };
    // Two stored editions were read without the meetings they share: a
    // redline lays out both whole. Their ids are the store's, as the
    // diff's are.
    let (old_edition, new_edition) = match (&old.info, &new.info, recorded.is_some()) {
        (Some(a), Some(b), true) => {
            let store = stores.get()?;
            (Some(store.load(a)?), store.load(b)?)
        }
        _ => {
            let nothing = matches!(from, Source::Nothing);
            ((!nothing).then_some(old.edition), edition)
        }
    };
    Ok(Compared {
        report,
        editions: Some(Editions {
            old: old_edition,
            new: new_edition,
            author,
            date,
        }),
    })
}

/// RFC 3339 in UTC, to the second: how Word dates a change.
fn utc(t: &Timestamp) -> String {
    t.at()
        .with_timezone(&chrono::Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Who would cut a draft, as the importer finds its author (without its
/// warning): LIVEDOC_AUTHOR, else git's user.name, else "livedoc".
fn draft_author(stores: &mut Stores<'_>) -> String {
    let store = stores.get().ok();
    super::import::configured_author(store)
        .map(|p| p.name)
        .unwrap_or_else(|| "livedoc".to_string())
}

/// `--stat` with a format other than text.
fn stat_refused(format: Format) -> CliError {
    use clap::ValueEnum;
    let name = format
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    CliError::Usage {
        message: format!("--stat prints text, not {name}"),
        hint: format!("drop --format {name}, or drop --stat"),
    }
}

/// The report in `format`, coloured by `palette` (none in a file).
fn render_report(
    palette: text::Palette,
    report: &EditionDiff,
    format: Format,
    stat: bool,
    compact: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match (format, stat) {
        // `--stat` is a text report: with the default `--format text`
        // (given or not) it prints; with another format it is refused.
        (Format::Text, true) => text::diff::stat(report, palette, out)?,
        (other, true) => return Err(stat_refused(other)),
        (Format::Text, false) => text::diff::render(report, palette, compact, out)?,
        (Format::Markdown, false) => markdown::diff::render(report, out)?,
        (Format::Json, false) => json::write(&json::diff_view(report), out)?,
        (Format::Html, false) => html::render(report, out)?,
        (other, false) => return Err(other.unsupported("diff")),
    }
    Ok(())
}
