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
    /// The address the site will be published at (https://…/): the feeds,
    /// canonical links and "Cite this" addresses become absolute.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Who publishes the site, named at the top of every page (default:
    /// the latest edition's masthead).
    #[arg(long, value_name = "NAME")]
    publisher: Option<String>,
    /// What the site is, said under the publisher's name on every page
    /// (for example "Official version").
    #[arg(long, value_name = "TEXT")]
    status: Option<String>,
    /// How many of the newest editions have their PDF, Word, JSON and Akoma
    /// Ntoso on the site (older ones: livedoc show EDITION --format …).
    /// Default: the newest editions that hold 10,000 items in all.
    #[arg(long, value_name = "N")]
    downloads: Option<usize>,
    /// What an edition's page holds: its whole text, or its contents and
    /// changes with each meeting's text on the meeting's page (default:
    /// whole while all editions together hold 150,000 items).
    #[arg(long, value_name = "WHAT")]
    edition_pages: Option<EditionPages>,
}

/// What an edition's page holds.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum EditionPages {
    Whole,
    Contents,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let store = ctx.open_store()?;
    // A progress bar on stderr, shown only on a terminal.
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg}").expect("a valid template"),
    );
    let options = site::SiteOptions {
        documents_url: args.documents_url.clone(),
        base_url: args.base_url.as_ref().map(|u| {
            if u.ends_with('/') {
                u.clone()
            } else {
                format!("{u}/")
            }
        }),
        publisher: args.publisher.clone(),
        status: args
            .status
            .clone()
            .unwrap_or_else(|| site::DEFAULT_STATUS.to_string()),
        downloads: args.downloads,
        whole: args.edition_pages.map(|p| matches!(p, EditionPages::Whole)),
    };
    let report = site::build(&store, options, &args.out, args.force, |k, n, what| {
        if bar.length() != Some(n as u64 + 1) {
            bar.set_length(n as u64 + 1);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} editions {msg}")
                    .expect("a valid template"),
            );
        }
        bar.set_position(k as u64);
        bar.set_message(what.to_string());
    })?;
    bar.finish_and_clear();
    writeln!(
        out,
        "Wrote the site for {} to {}: {} files, {} written, {} unchanged, {} removed. Open {}.",
        livedoc::text::plural(report.editions, "edition", "editions"),
        args.out.display(),
        report.pages,
        report.written,
        report.unchanged,
        report.removed,
        args.out.join("index.html").display()
    )?;
    Ok(exit::SUCCESS)
}
