//! `livedoc whatsnew`: everything that changed since an edition, folded
//! into one report.

use clap_complete::engine::ArgValueCompleter;
use std::io::Write;
use std::path::PathBuf;

use livedoc::ids::EditionSpec;
use livedoc::render::text;

use super::diff::{compare_keeping, render_report, stat_refused, write_redline};
use super::format::{Format, document, refuse_on_terminal, write_out};
use super::source::{Source, Stores};
use super::{CliError, Ctx, edition_spec, exit};

/// Everything that changed from an edition to the newest, as one report.
///
/// An item added and then modified is reported once, as added, with its
/// newest text; an item renumbered twice once, with its first and last
/// label.
///
/// `docx` and `pdf` write it as a document: the newest edition with every
/// change since the edition you read marked, as `diff SINCE latest
/// --format docx` (Word's tracked changes) and `--format pdf` (typeset,
/// with a summary first) write it, byte for byte.
///
/// Examples:
///   livedoc whatsnew                      since the edition before the newest
///   livedoc whatsnew --since 2024-04 --format markdown
///   livedoc whatsnew --since 2024-04 --format pdf --out whats-new.pdf
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The edition you last read [default: the one before the newest; in a
    /// store of one edition, all it brought].
    #[arg(long, value_parser = edition_spec, add = ArgValueCompleter::new(super::completions::editions))]
    since: Option<EditionSpec>,
    /// How to print the report: text, markdown, json, html, docx (a Word redline: the newest edition with the changes tracked) or pdf (the redline typeset, with a summary first).
    #[arg(long, value_parser = Format::only(&[Format::Text, Format::Markdown, Format::Json, Format::Html, Format::Docx, Format::Pdf]), default_value = "text")]
    format: Format,
    /// Write to this file instead of standard output (replaced whole, never left half-written).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// One line per changed meeting with its counts (text only).
    #[arg(long)]
    stat: bool,
    /// Fold each changed item's unchanged words to a few around each
    /// change (text only).
    #[arg(long)]
    compact: bool,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let redline = document(args.format).is_some();
    if redline && args.stat {
        return Err(stat_refused(args.format));
    }
    refuse_on_terminal(
        args.format,
        args.out.as_deref(),
        "livedoc whatsnew --since EDITION",
    )?;
    let mut stores = Stores::new(ctx);
    let newest = Source::Stored(EditionSpec::Latest(0));
    // By default, since the edition before the newest; in a store of one
    // edition, everything it added, as `diff` says (never an error about
    // `latest~1`, an argument the reader did not type).
    let since = match args.since {
        Some(spec) => Source::Stored(spec),
        None => super::diff::before(ctx, &mut stores, &newest)?,
    };
    // The same comparison as `diff SINCE latest`, so the same redline.
    let compared = compare_keeping(&mut stores, &since, &newest, redline)?;
    let palette = if args.out.is_some() {
        text::Palette { enabled: false }
    } else {
        ctx.palette
    };
    write_out(
        ctx,
        args.out.as_deref(),
        redline,
        out,
        |w| match &compared.editions {
            Some(sides) => write_redline(sides, &compared.report, args.format, w),
            None => render_report(
                palette,
                &compared.report,
                args.format,
                args.stat,
                args.compact,
                w,
            ),
        },
    )?;
    std::mem::forget(compared);
    Ok(exit::SUCCESS)
}
