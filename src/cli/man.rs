//! `livedoc man`: the manual pages.

use std::io::Write;
use std::path::PathBuf;

use clap::CommandFactory;

use super::{Cli, CliError, exit};

/// Write the manual pages (livedoc.1 and one per command) into a directory.
///
/// Example:
///   livedoc man --out /usr/local/share/man/man1
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Where to write them.
    #[arg(long, default_value = "man")]
    out: PathBuf,
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let write_err = |path: PathBuf| move |source| CliError::Read { path, source };
    std::fs::create_dir_all(&args.out).map_err(write_err(args.out.clone()))?;
    // Building the command propagates the global options (--store, …)
    // and the version into every subcommand, so that each page has them.
    let mut cmd = Cli::command().propagate_version(true);
    cmd.build();
    let mut pages = vec![("livedoc".to_string(), cmd.clone())];
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("livedoc-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name)));
    }
    for (name, page) in pages {
        let path = args.out.join(format!("{name}.1"));
        let mut buf = Vec::new();
        clap_mangen::Man::new(page).render(&mut buf)?;
        std::fs::write(&path, buf).map_err(write_err(path.clone()))?;
        writeln!(out, "{}", path.display())?;
    }
    Ok(exit::SUCCESS)
}
