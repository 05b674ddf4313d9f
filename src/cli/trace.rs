//! `livedoc trace`: one item's history across editions.

use clap_complete::engine::ArgValueCompleter;
use std::io::Write;

use livedoc::history::{self, trace};
use livedoc::ids::EditionSpec;
use livedoc::render::{json, text::history as render};

use super::format::FormatArgs;
use super::{CliError, Ctx, edition_spec, exit};

/// Trace one item through every edition: when it first appeared, every
/// edition that changed its wording, label or meeting, and who cut each.
///
/// ITEM is a permanent id (CTOC/COP/WG.2/2023/4#4), or SYMBOL#LABEL as
/// printed in the newest edition (or in --in EDITION); --text finds the item
/// by a few words of its text instead.
///
/// Examples:
///   livedoc trace 'CTOC/COP/WG.3/2023/4#(l)'
///   livedoc trace --text "multilingualism and translation"
///   livedoc trace 'CTOC/COP/WG.2/2023/4#5' --in 2024-04 --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The item: a permanent id or SYMBOL#LABEL.
    #[arg(required_unless_present = "text", conflicts_with = "text")]
    item: Option<String>,
    /// Find the item by a fragment of its text (case and spacing ignored).
    #[arg(long, value_name = "FRAGMENT")]
    text: Option<String>,
    /// Read SYMBOL#LABEL as printed in this edition.
    #[arg(long = "in", value_name = "EDITION", value_parser = edition_spec, add = ArgValueCompleter::new(super::completions::editions))]
    within: Option<EditionSpec>,
    /// Read ITEM as a permanent id, never as SYMBOL#LABEL.
    #[arg(long, conflicts_with = "within")]
    id: bool,
    #[command(flatten)]
    format: FormatArgs,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let store = ctx.open_store()?;
    let id = match (&args.item, &args.text) {
        (_, Some(fragment)) => history::find_text(&store, fragment)?,
        (Some(name), None) => {
            let resolved = history::resolve(&store, name, args.within.as_ref(), args.id)?;
            if let Some(note) = &resolved.note {
                ctx.note(&format!("note: {note}"));
            }
            resolved.id
        }
        (None, None) => unreachable!("clap requires ITEM or --text"),
    };
    let t = trace::trace(&store, &id)?;
    args.format.print(
        out,
        |w| render::trace(&t, ctx.palette, w),
        || json::trace_view(&t),
    )?;
    Ok(exit::SUCCESS)
}
