//! `livedoc check`: what to fix in a draft before it becomes an edition.

use std::io::Write;
use std::path::PathBuf;

use livedoc::parse::check;
use livedoc::render::{json, text::check as render};

use super::format::FormatArgs;
use super::{CliError, Ctx, exit};

/// Check a draft before it becomes an edition.
///
/// A draft is Markdown (.md) or Word (.docx), read alike: Word headings,
/// lists and their numbering, links and the table of contents as the
/// structure they stand for. Errors would stop its import; warnings are
/// worth a look. Each finding has its file:line (in a .docx, its
/// paragraph and the heading it is under) and a hint.
///
/// Warnings that belong to the published text (a page number the PDF
/// left inside an item) can be accepted, with a reason, in
/// DRAFT.accepted.toml beside the draft: they are then listed as accepted
/// and not counted, so that --strict can guard a CI.
///
/// Exits 0 when there is no error (1 with --strict when there are
/// warnings), 1 when there are errors, 2 when the file cannot be read.
///
/// Examples:
///   livedoc check DRAFT.md
///   livedoc check DRAFT.docx --strict --format json
///   livedoc check editions/2024-04.md --strict
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The draft: a Markdown (.md) or Word (.docx) file.
    file: PathBuf,
    /// Treat warnings as failures (exit 1); accepted ones are not counted.
    #[arg(long)]
    strict: bool,
    /// Pairing overrides [default: the draft's .pairs.toml beside it, if
    /// any]; with a store, the items they name are checked against it.
    #[arg(long, value_name = "FILE")]
    pairs: Option<PathBuf>,
    /// The accepted findings [default: the draft's .accepted.toml beside
    /// it, if any].
    #[arg(long, value_name = "FILE")]
    accepted: Option<PathBuf>,
    #[command(flatten)]
    format: FormatArgs,
}

/// The items the overrides name, looked up as import looks them up: old
/// ones in the store's newest edition, new ones in the draft. Without a
/// store (or a draft that does not parse, which the check reports) there
/// is nothing to look them up in.
fn check_override_names(
    ctx: &Ctx,
    args: &Args,
    bytes: &[u8],
    overrides: &[livedoc::diff::overrides::Override],
) -> Result<(), CliError> {
    if overrides.is_empty() || !ctx.store.exists() {
        return Ok(());
    }
    let store = ctx.open_store()?;
    let Some(head) = store.head()? else {
        return Ok(());
    };
    let newest = store.load(&store.info(head)?)?;
    let opts = livedoc::parse::ParseOptions {
        id: livedoc::ids::EditionId::new("draft").expect("'draft' is a valid id"),
        date: None,
        rules: Default::default(),
    };
    let Ok(draft) = livedoc::parse::parse_any(bytes, &super::source::display(&args.file), &opts)
    else {
        return Ok(());
    };
    livedoc::diff::overrides::resolve(overrides, &newest, &draft.edition).map_err(|errors| {
        super::source::locate_override_errors(livedoc::store::StoreError::Overrides {
            file: overrides.first().and_then(|o| o.file.clone()),
            errors,
        })
    })?;
    Ok(())
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let bytes = super::source::read_input(&args.file)?;
    // The pairing overrides beside the draft (`DRAFT.pairs.toml`) are read
    // as import will read them: one that does not parse, or (with a store)
    // names an item that is not there, stops the check as it would stop
    // the import.
    if !super::source::is_stdin(&args.file) || args.pairs.is_some() {
        let overrides = super::source::read_overrides(&args.file, args.pairs.as_deref())?;
        check_override_names(ctx, &args, &bytes, &overrides)?;
    }
    let accepted = super::source::read_accepted(&args.file, args.accepted.as_deref())?;
    let mut report = check::check(&bytes, &super::source::display(&args.file));
    if let Some(a) = &accepted {
        livedoc::parse::accepted::apply(&mut report, a);
    }
    args.format.print(
        out,
        |w| render::check(&report, ctx.palette, w),
        || json::check_view(&report),
    )?;
    if args.strict && report.errors() == 0 && report.warnings() > 0 {
        let beside = livedoc::parse::accepted::beside(&args.file);
        ctx.note(&format!(
            "note: a warning that belongs to the published text can be accepted, with its reason, in {} (docs/reference/findings.md shows how)",
            args.accepted.as_deref().unwrap_or(&beside).display()
        ));
    }
    Ok(if !report.readable {
        exit::ERROR
    } else if report.errors() > 0 || (args.strict && report.warnings() > 0) {
        exit::FOUND
    } else {
        exit::SUCCESS
    })
}
