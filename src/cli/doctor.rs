//! `livedoc doctor`: complete what an interrupted import left half done.

use std::io::Write;

use livedoc::render::{json, text::audit as render};

use super::format::FormatArgs;
use super::{CliError, Ctx, exit};

/// Complete what an interrupted import left half done.
///
/// It never removes or moves published data.
/// A crash during `import` can leave an edition on the branch without its
/// tag or ledger entry, a ledger entry without its tag ref, the lock of
/// a process that is gone, git ref locks, or temporary pack files. The
/// doctor re-creates the tag (unsigned) and the ledger entry, restores
/// the tag ref from the ledger, removes the abandoned locks and
/// livedoc's temporary packs, and says what it did. It seals only the
/// commit refs/livedoc/pending names, and only if it is, byte for byte,
/// the commit livedoc writes for its snapshot. Anything else verify finds
/// is reported and left alone. Running it again does nothing.
///
/// Exits 0 when the store is whole afterwards, 1 when violations remain,
/// 2 when it cannot run.
///
/// Examples:
///   livedoc doctor
///   livedoc doctor --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    format: FormatArgs,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let store = ctx.open_store_checking()?;
    let report = livedoc::store::repair::doctor(&store)?;
    args.format.print(
        out,
        |w| {
            render::doctor(&report, ctx.palette, w)?;
            super::hints::print_findings(report.remaining.iter().map(|v| v.kind.as_str()), w)
        },
        || json::doctor_view(&report),
    )?;
    Ok(if report.ok() {
        exit::SUCCESS
    } else {
        exit::FOUND
    })
}
