//! `livedoc verify`: prove that nothing published was altered.

use std::io::Write;
use std::path::PathBuf;

use livedoc::render::{json, text::audit as render};
use livedoc::store::audit::{self, VerifyOptions};

use super::format::FormatArgs;
use super::{CliError, Ctx, exit};

/// Check that no published edition was altered: the ledger's hash chain,
/// the editions branch and tags against the ledger, every snapshot's
/// sha256, canonical form and re-import, and every object's hash.
///
/// Exits 0 when everything holds, 1 with the list of violations otherwise,
/// 2 when it cannot run.
///
/// Examples:
///   livedoc verify
///   livedoc verify --allowed-signers secretariat.allowed --format json
///   livedoc verify --anchor 12:3f1e…   (the anchor an earlier verify printed)
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Also check every edition tag's SSH signature against this
    /// allowed-signers file (the format of ssh-keygen and git).
    #[arg(long, value_name = "FILE")]
    allowed_signers: Option<PathBuf>,
    /// The anchor a previous verify printed (SEQ:SHA256): fail if the
    /// ledger no longer holds that entry (editions removed, even
    /// consistently from branch, tags and ledger).
    #[arg(long, value_name = "ANCHOR", value_parser = parse_anchor)]
    anchor: Option<String>,
    /// Fail if the store holds fewer than N editions.
    #[arg(long, value_name = "N")]
    expect: Option<usize>,
    #[command(flatten)]
    format: FormatArgs,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let store = ctx.open_store_checking()?;
    if let Some(f) = &args.allowed_signers
        && !f.is_file()
    {
        return Err(CliError::Read {
            path: f.clone(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let report = audit::verify(
        &store,
        &VerifyOptions {
            allowed_signers: args.allowed_signers.as_deref(),
            anchor: args.anchor.as_deref(),
            expect_editions: args.expect,
        },
    )?;
    args.format.print(
        out,
        |w| {
            render::verify(&report, ctx.palette, w)?;
            super::hints::print_findings(
                report
                    .notices
                    .iter()
                    .map(|n| n.kind.as_str())
                    .chain(report.violations.iter().map(|v| v.kind.as_str())),
                w,
            )
        },
        || json::verify_view(&report),
    )?;
    Ok(if report.ok() {
        exit::SUCCESS
    } else {
        exit::FOUND
    })
}

/// An anchor as a clean verify prints it: `SEQ:SHA256`, SEQ a number from
/// 1 and SHA256 64 lowercase hex digits; anything else is a usage error
/// (exit 2), never a finding about the store.
fn parse_anchor(s: &str) -> Result<String, String> {
    let ok = s.split_once(':').is_some_and(|(seq, hash)| {
        !seq.is_empty()
            && seq.bytes().all(|b| b.is_ascii_digit())
            && !seq.starts_with('0')
            && hash.len() == 64
            && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    });
    if ok {
        Ok(s.to_string())
    } else {
        Err(
            "an anchor is SEQ:SHA256 as a clean verify prints it (such as 3:5f2c…, 64 hex digits)"
                .to_string(),
        )
    }
}
