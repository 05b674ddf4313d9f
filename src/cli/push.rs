//! `livedoc push` and `livedoc pull`: share editions through git remotes.

use clap_complete::engine::ArgValueCompleter;
use std::io::Write;

use livedoc::store::sync::{self, SyncReport, Unsealed};

use livedoc::render::json;

use super::format::FormatArgs;
use super::{CliError, Ctx, exit};

/// Send this store's new editions to another store, fast-forward only.
///
/// REMOTE is a remote's name (configure one with
/// `git --git-dir livedoc.git remote add origin URL`), a path or a URL of
/// another store; any remote git can reach works. A diverged history is
/// refused and nothing changes. Only the editions this store's ledger
/// seals are sent: an edition an import is still cutting here, or one an
/// interrupted import left unsealed, stays here and is named.
///
/// Examples:
///   livedoc push
///   livedoc push /srv/shared/untoc.git
///   livedoc push --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct PushArgs {
    /// A remote's name, a path or a URL.
    #[arg(default_value = "origin", add = ArgValueCompleter::new(super::completions::remotes))]
    remote: String,
    #[command(flatten)]
    format: FormatArgs,
}

/// Bring another store's new editions into this one, fast-forward only.
///
/// REMOTE is a remote's name, a path or a URL of another store. A diverged
/// history is refused and nothing changes; an edition id present on both
/// sides with different content is reported as a conflict. Only the
/// editions the remote's ledger seals are brought: one an import is still
/// cutting there stays behind and is named. Ledgers that disagree about
/// editions both stores hold are refused.
///
/// Examples:
///   livedoc pull
///   livedoc pull https://git.example.org/unodc/untoc-compilation.git
///   livedoc pull --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct PullArgs {
    /// A remote's name, a path or a URL.
    #[arg(default_value = "origin", add = ArgValueCompleter::new(super::completions::remotes))]
    remote: String,
    #[command(flatten)]
    format: FormatArgs,
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
    let editions = |ids: &[String]| {
        format!(
            "{} edition{} ({})",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" },
            ids.join(", ")
        )
    };
    if !r.editions.is_empty() {
        writeln!(
            out,
            "{verb} {} {preposition} {remote}.",
            editions(&r.editions)
        )?;
    }
    if !r.sealed.is_empty() {
        writeln!(
            out,
            "{verb} the ledger entries of {} {preposition} {remote}; this store held {} unsealed.",
            editions(&r.sealed),
            if r.sealed.len() == 1 { "it" } else { "them" }
        )?;
    }
    if r.editions.is_empty() && r.sealed.is_empty() {
        match (&r.unsealed, way) {
            (Some(u), Direction::Pull) if u.sealed.is_none() => {
                writeln!(out, "Nothing to pull: {remote} has sealed no edition yet.")?
            }
            (Some(_), Direction::Pull) => writeln!(
                out,
                "Nothing to pull: this store has every edition {remote} has sealed."
            )?,
            (Some(_), Direction::Push) => writeln!(
                out,
                "Nothing to push: {remote} has every edition this store has sealed."
            )?,
            (None, _) => writeln!(
                out,
                "Nothing to {what}: {remote} and this store have the same editions."
            )?,
        }
    }
    Ok(())
}

/// What stayed behind because its ledger does not seal it, in words.
fn unsealed_note(way: Direction, u: &Unsealed) -> String {
    let (whose, there, verb) = match way {
        Direction::Pull => ("the remote's", "there", "pulled"),
        Direction::Push => (
            "this store's",
            "here; livedoc verify says which, and livedoc doctor finishes an interrupted import",
            "pushed",
        ),
    };
    let upto = match &u.sealed {
        Some(id) => format!("{verb} up to {id}"),
        None => format!("{verb} nothing"),
    };
    format!(
        "note: {whose} newest edition {} is not sealed yet (an import is running or was interrupted {there}); {upto}.",
        u.newest
    )
}

pub fn push(ctx: &Ctx, args: PushArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let store = ctx.open_store()?;
    let r = sync::push(&store, &args.remote)?;
    args.format.print(
        out,
        |w| report(Direction::Push, &args.remote, &r, w),
        || json::sync_view("push", &args.remote, &r),
    )?;
    if let Some(u) = &r.unsealed {
        ctx.note(&unsealed_note(Direction::Push, u));
    }
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
    args.format.print(
        out,
        |w| report(Direction::Pull, &args.remote, &r, w),
        || json::sync_view("pull", &args.remote, &r),
    )?;
    if let Some(u) = &r.unsealed {
        ctx.note(&unsealed_note(Direction::Pull, u));
    }
    if !r.editions.is_empty() || !r.sealed.is_empty() {
        ctx.note(&format!(
            "Run {} verify to check what arrived.",
            ctx.livedoc()
        ));
    }
    Ok(exit::SUCCESS)
}
