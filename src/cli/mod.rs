//! The command line: one file per subcommand, one `enum Command` and one
//! `match` to dispatch them. Only this module touches clap, stdout, stderr
//! and exit codes.

mod blame;
mod changelog;
mod check;
mod completions;
mod diff;
mod doctor;
mod exit;
mod format;
mod hints;
mod import;
mod init;
mod log;
mod man;
mod printable;
mod push;
mod show;
mod site;
mod source;
mod trace;
mod verify;
mod whatsnew;

use printable::Printable;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use livedoc::diagnostic::Diagnostic;
use livedoc::ids::{EditionSpec, InvalidEditionId};
use livedoc::parse::ParseError;
use livedoc::render::text::Palette;
use livedoc::store::{Store, StoreError};

/// Keep every edition of a living document in git and see exactly what
/// changed between editions.
#[derive(Debug, Parser)]
#[command(name = "livedoc", version)]
#[command(
    after_help = "Quick start:\n  livedoc import editions/     create ./livedoc.git and import every edition\n  livedoc log                  list the editions\n  livedoc show latest          show the newest edition"
)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Args)]
struct GlobalArgs {
    /// The edition store (a bare git repository).
    #[arg(
        long,
        global = true,
        env = "LIVEDOC_STORE",
        default_value = DEFAULT_STORE,
        help_heading = "Global options"
    )]
    store: PathBuf,
    /// When to colour the output; `auto` colours a terminal unless NO_COLOR is set.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = ColorChoice::Auto,
        help_heading = "Global options"
    )]
    color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    Init(init::Args),
    Check(check::Args),
    Import(import::Args),
    Log(log::Args),
    Show(show::Args),
    Diff(diff::Args),
    Whatsnew(whatsnew::Args),
    Trace(trace::Args),
    Blame(blame::Args),
    Verify(verify::Args),
    Doctor(doctor::Args),
    Changelog(changelog::Args),
    Site(site::Args),
    Push(push::PushArgs),
    Pull(push::PullArgs),
    Completions(completions::Args),
    Man(man::Args),
}

/// What every command gets: the global options and the output streams.
pub struct Ctx {
    store: PathBuf,
    palette: Palette,
    err_palette: Palette,
}

impl Ctx {
    /// `livedoc`, with `--store PATH` when the store is not the default:
    /// the words a hint gives for running livedoc on this store again.
    fn livedoc(&self) -> String {
        if self.store == std::path::Path::new(DEFAULT_STORE) {
            "livedoc".to_string()
        } else {
            format!("livedoc --store {}", self.store.display())
        }
    }

    fn open_store(&self) -> Result<Store, CliError> {
        Ok(Store::open(&self.store)?)
    }

    /// Opens the store for a command that checks every object it reads
    /// against its id (`verify`, `doctor`).
    fn open_store_checking(&self) -> Result<Store, CliError> {
        Ok(Store::open_with(
            &self.store,
            livedoc::store::Options::checking(),
        )?)
    }

    /// Prints a warning on stderr.
    fn warn(&self, file: &str, d: &Diagnostic) {
        let mut err = Printable::new(io::stderr().lock(), self.err_palette.enabled);
        let _ = writeln!(
            err,
            "{} {}",
            self.err_palette.yellow("warning:"),
            d.located(file)
        );
    }

    fn note(&self, msg: &str) {
        let _ = writeln!(
            Printable::new(io::stderr().lock(), self.err_palette.enabled),
            "{msg}"
        );
    }
}

/// The store used when neither --store nor LIVEDOC_STORE names one.
pub const DEFAULT_STORE: &str = "livedoc.git";

/// Why a command failed; reported once, in [`main`].
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error(transparent)]
    Id(#[from] InvalidEditionId),
    #[error(transparent)]
    History(#[from] livedoc::history::HistoryError),
    #[error(transparent)]
    Share(#[from] livedoc::store::sync::ShareError),
    #[error(transparent)]
    Site(#[from] livedoc::site::SiteError),
    #[error(transparent)]
    Pdf(livedoc::render::pdf::PdfError),
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("{} is {size} bytes, over the {} MiB livedoc reads of a draft", path.display(), limit >> 20)]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("{message}")]
    Usage { message: String, hint: String },
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl CliError {
    fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Io(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// Parses an edition reference argument (`2024-04`, `latest`, `latest~1`).
pub fn edition_spec(s: &str) -> Result<EditionSpec, String> {
    s.parse().map_err(|e: InvalidEditionId| e.to_string())
}

fn color_enabled(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// The colour choice for clap's own help and errors, which are printed
/// before the arguments are parsed: `--color` as given, else NO_COLOR.
fn clap_color() -> clap::ColorChoice {
    // args_os: an argument that is not UTF-8 (a hostile file name) is
    // clap's to report, not a reason to panic here.
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut choice = None;
    for (i, a) in args.iter().enumerate() {
        if a == "--" {
            break;
        }
        if let Some(v) = a.strip_prefix("--color=") {
            choice = Some(v.to_string());
        } else if a == "--color" {
            choice = args.get(i + 1).cloned();
        }
    }
    match choice.as_deref() {
        Some("always") => clap::ColorChoice::Always,
        Some("never") => clap::ColorChoice::Never,
        _ if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => {
            clap::ColorChoice::Never
        }
        _ => clap::ColorChoice::Auto,
    }
}

/// The largest tree libgit2 keeps parsed in its object cache. Its default
/// (4 KiB) leaves out the tree of one year's meeting files (about 55 bytes
/// an entry, so 4 KiB is some 75 meetings): every meeting file looked up
/// by path inflated and parsed that whole tree again, and reading an
/// edition of N meetings in one year cost N × N (20,000 meetings: 10 s of
/// zlib in `show`). Cached, the tree is read once and each lookup is a
/// binary search. 64 MiB holds a year of a million meetings; libgit2's
/// cache as a whole stays under its own limit (256 MiB), evicting as it
/// needs to.
const TREE_CACHE_LIMIT: usize = 64 << 20;

/// Lets libgit2 cache big trees ([`TREE_CACHE_LIMIT`]).
fn cache_big_trees() {
    // SAFETY: libgit2's options are process-global and not synchronised;
    // this runs first thing in `main`, before any thread exists and
    // before any repository is opened.
    let set =
        unsafe { git2::opts::set_cache_object_limit(git2::ObjectType::Tree, TREE_CACHE_LIMIT) };
    // A libgit2 that refuses only leaves reading slower, never wrong.
    let _ = set;
}

/// Whether the command prints text (its `--format` is `text`, or it has
/// none) rather than a machine format (json, markdown, html, docx).
fn prints_text(matches: &clap::ArgMatches) -> bool {
    let format = matches
        .subcommand()
        .and_then(|(_, sub)| sub.try_get_one::<format::Format>("format").ok().flatten());
    format.is_none_or(|f| *f == format::Format::Text)
}

pub fn main() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    // A shell asking for completions gets them, and nothing else runs.
    completions::answer_if_asked();
    cache_big_trees();
    let matches = Cli::command().color(clap_color()).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let ctx = Ctx {
        store: cli.global.store.clone(),
        palette: Palette {
            enabled: color_enabled(cli.global.color, io::stdout().is_terminal()),
        },
        err_palette: Palette {
            enabled: color_enabled(cli.global.color, io::stderr().is_terminal()),
        },
    };
    let stdout = io::stdout();
    // On a terminal, each line shows as it is written (stdout's own line
    // buffer); into a pipe or a file, output goes in large writes: a JSON
    // report of a few hundred kilobytes was thousands of `write` calls,
    // one per line.
    let sink: Box<dyn Write> = if stdout.is_terminal() {
        Box::new(stdout.lock())
    } else {
        Box::new(io::BufWriter::with_capacity(1 << 16, stdout.lock()))
    };
    // Text goes through the terminal filter; JSON, Markdown and HTML are
    // escaped by their own rules and written as they are.
    let mut out: Box<dyn Write> = if prints_text(&matches) {
        Box::new(Printable::new(sink, ctx.palette.enabled))
    } else {
        sink
    };
    let out = &mut *out;
    let result = match cli.command {
        Command::Init(args) => init::run(&ctx, args, out),
        Command::Check(args) => check::run(&ctx, args, out),
        Command::Import(args) => import::run(&ctx, args, out),
        Command::Log(args) => log::run(&ctx, args, out),
        Command::Show(args) => show::run(&ctx, args, out),
        Command::Diff(args) => diff::run(&ctx, args, out),
        Command::Whatsnew(args) => whatsnew::run(&ctx, args, out),
        Command::Trace(args) => trace::run(&ctx, args, out),
        Command::Blame(args) => blame::run(&ctx, args, out),
        Command::Verify(args) => verify::run(&ctx, args, out),
        Command::Doctor(args) => doctor::run(&ctx, args, out),
        Command::Changelog(args) => changelog::run(&ctx, args, out),
        Command::Site(args) => site::run(&ctx, args, out),
        Command::Push(args) => push::push(&ctx, args, out),
        Command::Pull(args) => push::pull(&ctx, args, out),
        Command::Completions(args) => completions::run(args, out),
        Command::Man(args) => man::run(args, out),
    };
    let result = result.and_then(|code| {
        out.flush()?;
        Ok(code)
    });
    match result {
        Ok(code) => exit::code(code),
        Err(e) if e.is_broken_pipe() => exit::code(exit::SUCCESS),
        Err(e) => {
            let p = ctx.err_palette;
            let mut err = Printable::new(io::stderr().lock(), p.enabled);
            for line in e.to_string().lines() {
                let _ = writeln!(err, "{} {line}", p.red("error:"));
            }
            if let Some(hint) = hints::hint(&e, &ctx.store) {
                let _ = writeln!(err, "{} {hint}", p.bold("hint:"));
            }
            exit::code(exit::ERROR)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
