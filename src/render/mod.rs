//! Output formats. Each renderer takes a plain data type and writes to a
//! `&mut dyn Write`; the CLI picks one by an enum.

pub mod describe;
pub mod diff_markdown;
pub mod diff_text;
pub mod docx;
pub mod history;
pub mod html;
pub mod json;
pub mod markdown;
pub mod text;

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
