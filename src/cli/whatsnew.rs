//! `livedoc whatsnew`: everything that changed since an edition, folded
//! into one report.

use clap_complete::engine::ArgValueCompleter;
use std::io::Write;
use std::path::PathBuf;

use livedoc::ids::EditionSpec;

use super::diff::{compare_keeping, print_comparison, refuse_document_misuse};
use super::format::Format;
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
    let redline = refuse_document_misuse(
        args.format,
        args.stat,
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
    print_comparison(
        ctx,
        &compared,
        args.format,
        (args.stat, args.compact),
        args.out.as_deref(),
        out,
    )?;
    std::mem::forget(compared);
    Ok(exit::SUCCESS)
}
