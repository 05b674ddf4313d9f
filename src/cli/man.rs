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
    // into every subcommand, so that each page has them. Not the version:
    // `livedoc show -V` is refused, so no page offers it. The `help`
    // subcommand has no page, so the main page does not list it.
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = vec![("livedoc".to_string(), cmd.clone())];
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("livedoc-{}", sub.get_name());
        // The page's VERSION section names the version; its synopsis
        // offers no `-V`, which the subcommand refuses.
        let page = sub
            .clone()
            .name(name.clone())
            .version(env!("CARGO_PKG_VERSION"))
            .disable_version_flag(true);
        pages.push((name, page));
    }
    for (name, page) in pages {
        let path = args.out.join(format!("{name}.1"));
        let buf = render(page)?;
        std::fs::write(&path, buf).map_err(write_err(path.clone()))?;
        writeln!(out, "{}", path.display())?;
    }
    Ok(exit::SUCCESS)
}

/// One manual page: clap_mangen's sections, with the examples taken out
/// of the description and kept as written (roff would reflow them), then
/// EXIT STATUS, ENVIRONMENT and FILES.
fn render(page: clap::Command) -> std::io::Result<Vec<u8>> {
    let about = page
        .get_long_about()
        .or(page.get_about())
        .map(|s| s.to_string())
        .unwrap_or_default();
    let (description, examples) = match about
        .find("\nExamples:\n")
        .or_else(|| about.find("\nExample:"))
    {
        Some(at) => (
            about[..at].trim_end().to_string(),
            about[at..].trim().to_string(),
        ),
        None => (about.clone(), String::new()),
    };
    let has_subcommands = page.get_subcommands().next().is_some();
    let page = page.long_about(description);
    let man = clap_mangen::Man::new(page);
    let mut buf = Vec::new();
    man.render_title(&mut buf)?;
    man.render_name_section(&mut buf)?;
    man.render_synopsis_section(&mut buf)?;
    man.render_description_section(&mut buf)?;
    man.render_options_section(&mut buf)?;
    if has_subcommands {
        man.render_subcommands_section(&mut buf)?;
    }
    if !examples.is_empty() {
        let body = examples
            .lines()
            .skip_while(|l| l.trim_end().ends_with(':'))
            .map(roff_line)
            .collect::<Vec<_>>()
            .join("\n");
        write!(buf, ".SH EXAMPLES\n.nf\n{body}\n.fi\n")?;
    }
    buf.extend_from_slice(COMMON_SECTIONS.as_bytes());
    man.render_version_section(&mut buf)?;
    Ok(buf)
}

/// A line of literal text for roff: backslashes escaped, and a leading
/// `.` or `'` (a roff request) neutralised.
fn roff_line(line: &str) -> String {
    let line = line.replace('\\', "\\e");
    if line.starts_with('.') || line.starts_with('\'') {
        format!("\\&{line}")
    } else {
        line
    }
}

const COMMON_SECTIONS: &str = r#".SH "EXIT STATUS"
.TP
0
Success; for diff --exit-code, the editions do not differ.
.TP
1
diff --exit-code: the editions differ; verify and doctor: violations remain; check: errors (or warnings with --strict).
.TP
2
An error: bad input, bad arguments, a missing, foreign or damaged store. A closed pipe ends quietly with 0.
.SH ENVIRONMENT
.TP
LIVEDOC_STORE
The edition store, when --store is not given (default: livedoc.git).
.TP
LIVEDOC_AUTHOR
Who cuts an edition, as "Name <email>", when --author is not given; else git's user.name and user.email.
.TP
NO_COLOR
When set and not empty, no colour (as --color never), unless --color always.
.TP
SOURCE_DATE_EPOCH
The time recorded as an edition's cut time, for reproducible stores.
.SH FILES
.TP
livedoc.git
The default edition store: a bare git repository (refs/heads/editions, refs/tags/edition/*, refs/livedoc/ledger).
.TP
livedoc.git/livedoc.lock
The writers' lock, held while an edition is cut.
.TP
DRAFT.pairs.toml
Pairing overrides beside a draft ([[same]] and [[different]] entries), applied by diff, import and verify.
"#;
