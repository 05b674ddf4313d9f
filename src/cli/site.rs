//! `livedoc site`: the reader website.

use std::io::Write;
use std::path::PathBuf;

use livedoc::site;

use super::{CliError, Ctx, exit};

/// Write the static reader website: editions, changes, item histories.
///
/// No server and no external assets: it works opened from disk and from any
/// static host. A rebuild rewrites only the files that changed.
///
/// Examples:
///   livedoc site --out site && xdg-open site/index.html
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Where to write the site.
    #[arg(long, default_value = "site")]
    out: PathBuf,
    /// Write into --out even if it holds files livedoc did not write
    /// (files of the same names are replaced).
    #[arg(long)]
    force: bool,
    /// Where an official UN document is found by its symbol: links go to
    /// URL followed by the symbol.
    #[arg(long, value_name = "URL", default_value = "https://undocs.org/")]
    documents_url: String,
    /// The address the site will be published at (https://…/): the feed's
    /// links become absolute.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let store = ctx.open_store()?;
    // A progress bar on stderr, shown only on a terminal.
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg}").expect("a valid template"),
    );
    let mut data = site::collect(&store, |what| bar.set_message(what.to_string()))?;
    data.options = site::SiteOptions {
        documents_url: args.documents_url.clone(),
        base_url: args.base_url.as_ref().map(|u| {
            if u.ends_with('/') {
                u.clone()
            } else {
                format!("{u}/")
            }
        }),
    };
    bar.set_length(site::page_count(&data) as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} pages {msg}")
            .expect("a valid template"),
    );
    let report = site::build(&data, &args.out, args.force, |page| {
        bar.inc(1);
        bar.set_message(page.to_string());
    })?;
    bar.finish_and_clear();
    writeln!(
        out,
        "Wrote the site for {} to {}: {} pages, {} written, {} unchanged. Open {}.",
        livedoc::text::plural(data.editions.len(), "edition", "editions"),
        args.out.display(),
        report.pages,
        report.written,
        report.unchanged,
        args.out.join("index.html").display()
    )?;
    Ok(exit::SUCCESS)
}
