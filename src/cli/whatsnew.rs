//! `livedoc whatsnew`: everything that changed since an edition, folded
//! into one report.

use clap_complete::engine::ArgValueCompleter;
use std::io::Write;

use livedoc::ids::EditionSpec;

use super::diff::{compare, write_report};
use super::format::Format;
use super::source::{Source, Stores};
use super::{CliError, Ctx, edition_spec, exit};

/// Everything that changed from an edition to the newest, as one report.
///
/// An item added and then modified is reported once, as added, with its
/// newest text; an item renumbered twice once, with its first and last
/// label.
///
/// Examples:
///   livedoc whatsnew                      since the edition before the newest
///   livedoc whatsnew --since 2024-04 --format markdown
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The edition you last read [default: the one before the newest; in a
    /// store of one edition, all it brought].
    #[arg(long, value_parser = edition_spec, add = ArgValueCompleter::new(super::completions::editions))]
    since: Option<EditionSpec>,
    /// How to print the report: text, markdown, json or html.
    #[arg(long, value_parser = Format::only(&[Format::Text, Format::Markdown, Format::Json, Format::Html]), default_value = "text")]
    format: Format,
    /// One line per changed meeting with its counts (text only).
    #[arg(long)]
    stat: bool,
    /// Fold each changed item's unchanged words to a few around each
    /// change (text only).
    #[arg(long)]
    compact: bool,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let mut stores = Stores::new(ctx);
    let newest = Source::Stored(EditionSpec::Latest(0));
    // By default, since the edition before the newest; in a store of one
    // edition, everything it added, as `diff` says (never an error about
    // `latest~1`, an argument the reader did not type).
    let since = match args.since {
        Some(spec) => Source::Stored(spec),
        None => super::diff::before(ctx, &mut stores, &newest)?,
    };
    let report = compare(&mut stores, &since, &newest)?;
    write_report(ctx, &report, args.format, args.stat, args.compact, out)?;
    Ok(exit::SUCCESS)
}
