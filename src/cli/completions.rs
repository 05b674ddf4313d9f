//! `livedoc completions`: shell completion that knows the store, as git
//! completes branches and jj revisions: `livedoc show <TAB>` offers the
//! store's edition ids, `livedoc push <TAB>` its remotes.
//!
//! The script a shell sources calls back into livedoc at each TAB
//! (clap_complete's dynamic completion: `COMPLETE=bash livedoc -- …`), so
//! subcommands and options come from the running binary and edition ids
//! from the store the command line names (`--store`, else
//! `LIVEDOC_STORE`, else `livedoc.git`).

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::PathBuf;

use clap::CommandFactory;
use clap_complete::engine::{CompletionCandidate, PathCompleter, ValueCompleter};
use clap_complete::env::Shells;
use clap_complete::{CompleteEnv, Shell};

use livedoc::store::Store;

use super::{Cli, CliError, exit};

/// The environment variable the completion scripts set when they call
/// back into livedoc.
const VAR: &str = "COMPLETE";

/// Print a completion script for a shell.
///
/// The script completes subcommands and options, and asks livedoc at each
/// TAB for the store's edition ids (`livedoc show <TAB>`) and remotes
/// (`livedoc push <TAB>`). Source it from the shell's startup file so that
/// it follows livedoc's upgrades.
///
/// Examples:
///   echo 'source <(livedoc completions bash)' >> ~/.bashrc
///   livedoc completions zsh > ~/.zfunc/_livedoc
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    shell: Shell,
}

/// Answers a completion request (`COMPLETE=SHELL livedoc -- …`) and exits;
/// returns at once on a normal run.
pub fn answer_if_asked() {
    CompleteEnv::with_factory(Cli::command).var(VAR).complete();
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let name = args.shell.to_string();
    let shells = Shells::builtins();
    let Some(shell) = shells.completer(&name) else {
        return Err(CliError::Usage {
            message: format!("livedoc has no completion script for {name}"),
            hint: "use bash, elvish, fish, powershell or zsh".into(),
        });
    };
    // The program the script calls back: as this one was started, so that
    // a livedoc outside PATH completes itself.
    let program = std::env::args_os()
        .next()
        .filter(|p| p.to_string_lossy().contains('/'))
        .and_then(|p| std::fs::canonicalize(p).ok())
        .map_or_else(|| "livedoc".to_string(), |p| p.display().to_string());
    // Written to memory first, so that a write error is reported (or, for a
    // closed pipe, ends quietly) like any other.
    let mut script = Vec::new();
    shell.write_registration(VAR, "livedoc", "livedoc", &program, &mut script)?;
    out.write_all(&script)?;
    out.flush()?;
    Ok(exit::SUCCESS)
}

/// The store the command line being completed names: its `--store`, else
/// `LIVEDOC_STORE`, else `livedoc.git`.
fn store_being_completed() -> PathBuf {
    let words: Vec<OsString> = std::env::args_os()
        .skip_while(|a| a != "--")
        .skip(1)
        .collect();
    let mut store = None;
    for (i, w) in words.iter().enumerate() {
        let w = w.to_string_lossy();
        if w == "--store" {
            store = words.get(i + 1).map(PathBuf::from);
        } else if let Some(s) = w.strip_prefix("--store=") {
            store = Some(PathBuf::from(s));
        }
    }
    store
        .or_else(|| std::env::var_os("LIVEDOC_STORE").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(super::DEFAULT_STORE))
}

/// The store's edition ids (newest first, each with its date), and
/// `latest`, that start with `current`. None when there is no store.
pub fn editions(current: &OsStr) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy();
    let Ok(store) = Store::open(&store_being_completed()) else {
        return Vec::new();
    };
    let Ok(editions) = store.editions() else {
        return Vec::new();
    };
    let mut out: Vec<CompletionCandidate> = editions
        .iter()
        .rev()
        .map(|e| CompletionCandidate::new(e.id()).help(Some(e.meta.date.long().into())))
        .collect();
    if !editions.is_empty() {
        out.push(CompletionCandidate::new("latest").help(Some("the newest edition".into())));
    }
    out.retain(|c| c.get_value().to_string_lossy().starts_with(&*prefix));
    out
}

/// Edition ids, then files (`diff` compares either).
pub fn editions_or_files(current: &OsStr) -> Vec<CompletionCandidate> {
    let mut out = editions(current);
    out.extend(PathCompleter::any().complete(current));
    out
}

/// The store's remotes by name, then paths (a remote can be another
/// store's directory).
pub fn remotes(current: &OsStr) -> Vec<CompletionCandidate> {
    let prefix = current.to_string_lossy();
    let mut out = Vec::new();
    if let Ok(repo) = git2::Repository::open_bare(store_being_completed())
        && let Ok(names) = repo.remotes()
    {
        for name in names.iter().flatten().flatten() {
            if name.starts_with(&*prefix) {
                let url = repo
                    .find_remote(name)
                    .ok()
                    .and_then(|r| r.url().ok().map(str::to_string));
                out.push(CompletionCandidate::new(name).help(url.map(Into::into)));
            }
        }
    }
    out.extend(PathCompleter::dir().complete(current));
    out
}
