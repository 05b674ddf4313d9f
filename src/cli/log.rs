//! `livedoc log`: the editions, newest first.

use std::io::Write;

use livedoc::render::{json, text};

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
    /// How to print the list: text, or json for scripts.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
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
    match args.format {
        Format::Text => text::log(&editions, ctx.palette, out)?,
        Format::Json => json::write(&json::log_view(&editions), out)?,
    }
    Ok(exit::SUCCESS)
}
