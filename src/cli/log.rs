//! `livedoc log`: the editions, newest first.

use std::io::Write;

use livedoc::render::{json, text};

use super::format::FormatArgs;
use super::{CliError, Ctx, exit};

/// List the editions, newest first.
///
/// One line per edition: id, date, counts, what it added, its commit and
/// who cut it.
///
/// Example: livedoc log --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    format: FormatArgs,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let store = ctx.open_store()?;
    let editions = store.editions()?;
    if editions.is_empty() {
        ctx.note(&format!(
            "{} holds no editions yet: import one with livedoc import FILE",
            ctx.store.display()
        ));
    }
    args.format.print(
        out,
        |w| text::log(&editions, ctx.palette, w),
        || json::log_view(&editions),
    )?;
    Ok(exit::SUCCESS)
}
