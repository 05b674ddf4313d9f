//! Reading the reports of `diff`, `whatsnew` and `changelog`.

use serde_json::Value;

use crate::common::json::{list, string};

/// `(status, id, reason)` of every listed item, in report order.
pub fn listed(view: &Value) -> Vec<(String, String, String)> {
    list(&view["meetings"], "meetings")
        .iter()
        .flat_map(|m| list(&m["items"], "items"))
        .map(|i| {
            (
                string(&i["status"], "status"),
                string(&i["id"], "id"),
                string(&i["reason"], "reason"),
            )
        })
        .collect()
}

/// The listed item with this id.
#[track_caller]
pub fn listed_item<'a>(view: &'a Value, id: &str) -> &'a Value {
    list(&view["meetings"], "meetings")
        .iter()
        .flat_map(|m| list(&m["items"], "items"))
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id} in {view}"))
}

/// The lines of a Markdown document from `## {heading}` to the next `## `.
#[track_caller]
pub fn md_section<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    let mut lines = text.lines().skip_while(|l| *l != heading);
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no {heading:?} in\n{text}"));
    std::iter::once(first)
        .chain(lines.take_while(|l| !l.starts_with("## ")))
        .collect()
}
