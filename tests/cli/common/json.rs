//! Reading the JSON that livedoc prints: typed access that fails with the
//! value it found.

use serde_json::Value;

#[track_caller]
pub fn list<'a>(v: &'a Value, what: &str) -> &'a Vec<Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("{what} is not a list: {v}"))
}

#[track_caller]
pub fn string(v: &Value, what: &str) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("{what} is not a string: {v}"))
        .to_string()
}

#[track_caller]
pub fn string_or_null(v: &Value, what: &str) {
    assert!(v.is_string() || v.is_null(), "{what} is {v}");
}

/// The meetings of one part of a `show --format json` view.
#[track_caller]
pub fn meetings<'a>(view: &'a Value, part: &str) -> &'a Vec<Value> {
    view["parts"]
        .as_array()
        .expect("parts is a list")
        .iter()
        .find(|p| p["key"] == part)
        .unwrap_or_else(|| panic!("no part {part}"))["meetings"]
        .as_array()
        .expect("meetings is a list")
}

/// `(id, text)` of the items of one meeting in `show --format json`.
#[track_caller]
pub fn shown_items(view: &Value, part: &str, key: &str) -> Vec<(String, String)> {
    let m = meetings(view, part)
        .iter()
        .find(|m| m["key"] == key)
        .unwrap_or_else(|| panic!("no meeting {key}"));
    list(&m["items"], "items")
        .iter()
        .map(|i| (string(&i["id"], "id"), string(&i["text"], "text")))
        .collect()
}

#[track_caller]
pub fn blame_item<'a>(b: &'a Value, id: &str) -> &'a Value {
    b["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not blamed in {}", b["edition"]))
}
