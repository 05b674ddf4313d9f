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
