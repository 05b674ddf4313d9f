//! Output formats, one module per format: `text` (the terminal's,
//! coloured by a `Palette`), `markdown`, `html`, `json` (the views, each a
//! type of its own), `docx`. Inside a format, one file per report:
//! `text::diff`, `text::history` (trace, blame), `text::audit` (verify,
//! doctor), `text::check`, `markdown::diff` (and the changelog),
//! `markdown::blame`. Each renderer takes a command's report and writes to
//! a `&mut dyn Write`; the CLI picks one by its `Format`. The words that
//! every format shares (an item's name, a status, a summary line) are in
//! `describe`.

pub mod akn;
pub mod describe;
pub mod docx;
pub mod html;
pub mod json;
pub mod markdown;
pub mod pdf;
pub mod redline;
pub mod text;

/// Where an official UN document is found by its symbol unless told
/// otherwise: every UN document has a permanent address there.
pub const DOCUMENTS_URL: &str = "https://undocs.org/";

/// The address of the UN document `symbol` under `base` (a URL ending in
/// `/`, such as [`DOCUMENTS_URL`]), in one official language (`en`,
/// `fr`…) or in the reader's own: the site and the Word export link
/// meeting symbols alike.
pub fn document_url(base: &str, language: Option<&str>, symbol: &str) -> String {
    match language {
        Some(l) => format!("{base}{l}/{symbol}"),
        None => format!("{base}{symbol}"),
    }
}

/// Which items of a meeting are written back as list entries rather than
/// paragraphs: those at its head (before any labelled item or item with a
/// sub-list) whose text reads as structure, which came from a list entry
/// such as `- Recommendation 14`. Only the head of a meeting reads a list
/// entry as an item, so later items are paragraphs.
pub fn as_list_entries(items: &[crate::model::Item]) -> Vec<bool> {
    let mut head = true;
    items
        .iter()
        .map(|item| {
            head &= item.label.is_none();
            let entry = head
                && item.subitems.is_empty()
                && !crate::parse::reads_as_item_paragraphs(&item.text);
            head &= entry;
            entry
        })
        .collect()
}

/// What an import did with one file, as its reports say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    /// Cut as a new edition.
    Imported,
    /// The same content was in the store already: nothing to do.
    AlreadyPresent,
    /// An interrupted import of it was finished (its tag and ledger entry).
    Completed,
    /// A dry run: it would be cut.
    WouldImport,
    /// A dry run: it is in the store already and would be skipped.
    WouldSkip,
}
