//! `livedoc push` and `livedoc pull`: share editions through git remotes.

use std::io::Write;

use livedoc::store::sync::{self, SyncReport};

use super::{CliError, Ctx, exit};

/// Send this store's new editions to another store, fast-forward only.
///
/// REMOTE is a remote's name (configure one with
/// `git --git-dir livedoc.git remote add origin URL`), a path or a URL of
/// another store; any remote git can reach works. A diverged history is
/// refused and nothing changes.
///
/// Examples:
///   livedoc push
///   livedoc push /srv/shared/untoc.git
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct PushArgs {
    #[arg(default_value = "origin")]
    remote: String,
}

/// Bring another store's new editions into this one, fast-forward only.
///
/// REMOTE is a remote's name, a path or a URL of another store. A diverged
/// history is refused and nothing changes; an edition id present on both
/// sides with different content is reported as a conflict.
///
/// Examples:
///   livedoc pull
///   livedoc pull https://git.example.org/unodc/untoc-compilation.git
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct PullArgs {
    #[arg(default_value = "origin")]
    remote: String,
}

/// Which way editions went.
#[derive(Clone, Copy)]
enum Direction {
    Push,
    Pull,
}

fn report(
    way: Direction,
    remote: &str,
    r: &SyncReport,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let (what, verb, preposition) = match way {
        Direction::Push => ("push", "Pushed", "to"),
        Direction::Pull => ("pull", "Pulled", "from"),
    };
    if r.up_to_date || r.editions.is_empty() {
        writeln!(
            out,
            "Nothing to {what}: {remote} and this store have the same editions."
        )
    } else {
        writeln!(
            out,
            "{verb} {} edition{} ({}) {preposition} {remote}.",
            r.editions.len(),
            if r.editions.len() == 1 { "" } else { "s" },
            r.editions.join(", "),
        )
    }
}

pub fn push(ctx: &Ctx, args: PushArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let store = ctx.open_store()?;
    let r = sync::push(&store, &args.remote)?;
    report(Direction::Push, &args.remote, &r, out)?;
    Ok(exit::SUCCESS)
}

pub fn pull(ctx: &Ctx, args: PullArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    sync::check_remote(&args.remote)?;
    let (store, created) =
        livedoc::store::Store::init_with(&ctx.store, livedoc::store::Options::checking())?;
    let r = match sync::pull(&store, &args.remote) {
        Ok(r) => r,
        Err(e) => {
            // A store created for this pull is not left behind empty.
            if created {
                let _ = store.discard_if_empty();
            }
            return Err(e.into());
        }
    };
    report(Direction::Pull, &args.remote, &r, out)?;
    if !r.editions.is_empty() {
        ctx.note("Run livedoc verify to check what arrived.");
    }
    Ok(exit::SUCCESS)
}
