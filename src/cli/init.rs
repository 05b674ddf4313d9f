//! `livedoc init`: create an empty edition store.

use std::io::Write;
use std::path::PathBuf;

use livedoc::store::Store;

use super::{CliError, Ctx, exit};

/// Create an empty edition store (a bare git repository).
///
/// Example: livedoc init /srv/livedoc/untoc.git
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Where to create it; defaults to --store (./livedoc.git).
    path: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let path = args.path.unwrap_or_else(|| ctx.store.clone());
    let (_, created) = Store::init(&path)?;
    if created {
        writeln!(out, "Created an empty edition store at {}", path.display())?;
    } else {
        writeln!(out, "{} is already an edition store", path.display())?;
    }
    Ok(exit::SUCCESS)
}
