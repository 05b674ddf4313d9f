//! `livedoc diff`: what changed between two editions.

use clap_complete::engine::ArgValueCompleter;
use std::io::Write;

use livedoc::diff::{self, EditionDiff, Pairing, Sides};
use livedoc::ids::EditionSpec;
use livedoc::render::{html, json, markdown, text};

use livedoc::diff::overrides;
use livedoc::store::{Newer, StoreError};

use super::format::Format;
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
/// Examples:
///   livedoc diff                               what the newest edition changed
///   livedoc diff 2025-03                       what edition 2025-03 changed
///   livedoc diff DRAFT.docx                    preview what a draft would change
///   livedoc diff 2024-04 latest --stat         one line per meeting
///   livedoc diff old.md new.md --format html > changes.html
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The earlier edition or file (alone: the edition or file to show).
    #[arg(add = ArgValueCompleter::new(super::completions::editions_or_files))]
    from: Option<String>,
    /// The later edition or file.
    #[arg(add = ArgValueCompleter::new(super::completions::editions_or_files))]
    to: Option<String>,
    /// How to print the report: text, markdown (a "what's new" document), json (the published contract) or html (one self-contained page).
    #[arg(long, value_parser = Format::only(&[Format::Text, Format::Markdown, Format::Json, Format::Html]), default_value = "text")]
    format: Format,
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
    let report = compare(&mut stores, &from, &to)?;
    write_report(ctx, &report, args.format, args.stat, args.compact, out)?;
    let found = args.exit_code && !report.summary.is_empty();
    std::mem::forget(report);
    Ok(if found { exit::FOUND } else { exit::SUCCESS })
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

/// Loads both sides and diffs them; ids are trusted only when both come
/// from the store. A draft's pairing overrides (its `.pairs.toml`) apply,
/// so the diff previews exactly what importing it would do.
pub fn compare(
    stores: &mut Stores<'_>,
    from: &Source,
    to: &Source,
) -> Result<EditionDiff, CliError> {
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
    // One comparison per process: the models are left for the exit to
    // free at once, not node by node (a tenth of a large diff's time).
    std::mem::forget((old, new, edition));
    Ok(report)
}

pub fn write_report(
    ctx: &Ctx,
    report: &EditionDiff,
    format: Format,
    stat: bool,
    compact: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match (format, stat) {
        // `--stat` is a text report: with the default `--format text`
        // (given or not) it prints; with another format it is refused.
        (Format::Text, true) => text::diff::stat(report, ctx.palette, out)?,
        (other, true) => {
            use clap::ValueEnum;
            let name = other
                .to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default();
            return Err(CliError::Usage {
                message: format!("--stat prints text, not {name}"),
                hint: format!("drop --format {name}, or drop --stat"),
            });
        }
        (Format::Text, false) => text::diff::render(report, ctx.palette, compact, out)?,
        (Format::Markdown, false) => markdown::diff::render(report, out)?,
        (Format::Json, false) => json::write(&json::diff_view(report), out)?,
        (Format::Html, false) => html::render(report, out)?,
        (other, false) => return Err(other.unsupported("diff")),
    }
    Ok(())
}
