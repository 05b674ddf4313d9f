//! `livedoc completions`: shell completion scripts.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, CliError, exit};

/// Print a completion script for a shell.
///
/// Example: livedoc completions bash > /etc/bash_completion.d/livedoc
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    shell: Shell,
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    // clap_complete panics when its writer fails (a closed pipe, a full
    // disk): generate into memory, then write, so that a write error is
    // reported (or, for a closed pipe, ends quietly) like any other.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "livedoc", &mut script);
    out.write_all(&script)?;
    out.flush()?;
    Ok(exit::SUCCESS)
}
