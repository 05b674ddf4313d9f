//! The JSON contracts that livedoc's reports promise, asserted: the fields
//! each report has, their types, and counts that agree with what is listed.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::common::TestEnv;
use crate::common::json::{list, string, string_or_null};

/// The counts the JSON contract promises in `summary`.
pub const SUMMARY_FIELDS: [&str; 14] = [
    "meetings_added",
    "meetings_removed",
    "meetings_changed",
    "items_added",
    "items_removed",
    "items_modified",
    "items_renumbered",
    "items_moved",
    "items_typography",
    "items_split",
    "items_merged",
    "items_restored",
    "recommendations_added",
    "observations_added",
];

/// The fields the JSON contract promises for each item.
pub const ITEM_FIELDS: [&str; 9] = [
    "id",
    "kind",
    "status",
    "old_label",
    "new_label",
    "old_text",
    "new_text",
    "similarity",
    "reason",
];

/// Asserts the JSON contract of `diff --format json` and `whatsnew`, and
/// that the summary counts what the meetings list.
#[track_caller]
pub fn assert_contract(view: &Value) {
    // A diff states its schema version, unless nested in a changelog.
    assert!(
        view["schema_version"] == 2 || view.get("schema_version").is_none(),
        "{}",
        view["schema_version"]
    );
    assert!(view["from"].is_string(), "from is {}", view["from"]);
    assert!(view["to"].is_string(), "to is {}", view["to"]);
    let summary = &view["summary"];
    for f in SUMMARY_FIELDS {
        assert!(summary[f].is_u64(), "summary.{f} is {}", summary[f]);
    }

    let mut counted: BTreeMap<&str, u64> = BTreeMap::new();
    for m in list(&view["meetings"], "meetings") {
        let key = m["key"].as_str().unwrap_or_else(|| panic!("key: {m}"));
        let status = m["status"]
            .as_str()
            .unwrap_or_else(|| panic!("status: {m}"));
        match status {
            "added" => *counted.entry("meetings_added").or_default() += 1,
            "removed" => *counted.entry("meetings_removed").or_default() += 1,
            "changed" | "symbol_corrected" => {
                *counted.entry("meetings_changed").or_default() += 1;
            }
            "unchanged" => {}
            other => panic!("{key}: meeting status {other}"),
        }
        for item in list(&m["items"], "items") {
            let obj = item.as_object().expect("an item is an object");
            for f in ITEM_FIELDS {
                assert!(obj.contains_key(f), "{key}: item without {f}: {item}");
            }
            let id = item["id"].as_str().unwrap_or_else(|| panic!("id: {item}"));
            let kind = item["kind"].as_str().expect("kind");
            assert!(
                kind == "recommendation" || kind == "observation",
                "{id}: kind {kind}"
            );
            string_or_null(&item["old_label"], "old_label");
            string_or_null(&item["new_label"], "new_label");
            assert!(
                item["reason"].is_string(),
                "{id}: reason {}",
                item["reason"]
            );
            let status = item["status"].as_str().expect("item status");
            // What changed of a paired item; nothing for an added or a
            // removed one.
            let aspects = list(&item["aspects"], "aspects");
            assert!(
                aspects.iter().all(|a| matches!(
                    a.as_str(),
                    Some("label" | "text" | "meeting" | "position" | "typography")
                )),
                "{id}: aspects {aspects:?}"
            );
            assert_eq!(
                aspects.is_empty(),
                matches!(
                    status,
                    "added" | "removed" | "split" | "merged" | "restored"
                ),
                "{id}: {status} with aspects {aspects:?}"
            );
            // Only a split names the item it came from, only a merge the
            // item it went into.
            assert_eq!(
                item["split_from"].is_string(),
                status == "split",
                "{id}: {item}"
            );
            assert_eq!(
                item["merged_into"].is_string(),
                status == "merged",
                "{id}: {item}"
            );
            let (old_text, new_text) = (&item["old_text"], &item["new_text"]);
            match status {
                "added" => {
                    assert!(old_text.is_null() && new_text.is_string(), "{id}: {item}");
                    assert!(item["similarity"].is_null(), "{id}: {item}");
                    assert_eq!(item["reason"], "no_counterpart", "{id}");
                    *counted.entry("items_added").or_default() += 1;
                    *counted
                        .entry(if kind == "recommendation" {
                            "recommendations_added"
                        } else {
                            "observations_added"
                        })
                        .or_default() += 1;
                }
                "removed" => {
                    assert!(old_text.is_string() && new_text.is_null(), "{id}: {item}");
                    assert!(item["similarity"].is_null(), "{id}: {item}");
                    assert_eq!(item["reason"], "no_counterpart", "{id}");
                    *counted.entry("items_removed").or_default() += 1;
                }
                "modified" | "renumbered" | "moved" | "typography" => {
                    assert!(old_text.is_string() && new_text.is_string(), "{id}: {item}");
                    let s = item["similarity"]
                        .as_f64()
                        .unwrap_or_else(|| panic!("{id}: similarity {}", item["similarity"]));
                    assert!((0.0..=1.0).contains(&s), "{id}: similarity {s}");
                    let field = match status {
                        "modified" => "items_modified",
                        "renumbered" => "items_renumbered",
                        "typography" => "items_typography",
                        _ => "items_moved",
                    };
                    *counted.entry(field).or_default() += 1;
                }
                "split" | "merged" => {
                    assert!(old_text.is_string() && new_text.is_string(), "{id}: {item}");
                    assert!(item["similarity"].is_null(), "{id}: {item}");
                    let (reason, field) = if status == "split" {
                        ("split_from", "items_split")
                    } else {
                        ("merged_into", "items_merged")
                    };
                    assert_eq!(item["reason"], reason, "{id}");
                    *counted.entry(field).or_default() += 1;
                }
                // Back under the id of an item withdrawn before: its text
                // then, and how alike, where the diff knows them.
                "restored" => {
                    assert!(new_text.is_string(), "{id}: {item}");
                    assert_eq!(
                        old_text.is_string(),
                        item["similarity"].is_number(),
                        "{id}: {item}"
                    );
                    assert_eq!(item["reason"], "withdrawn_before", "{id}");
                    *counted.entry("items_restored").or_default() += 1;
                }
                other => panic!("{id}: item status {other} (unchanged items are not listed)"),
            }
        }
    }
    for f in SUMMARY_FIELDS {
        assert_eq!(
            summary[f].as_u64(),
            Some(counted.get(f).copied().unwrap_or(0)),
            "summary.{f} does not count what the meetings list"
        );
    }
}

pub const FINDING_FIELDS: [&str; 8] = [
    "code",
    "heading",
    "hint",
    "item",
    "line",
    "message",
    "paragraph",
    "severity",
];

/// Asserts the JSON contract of `check --format json` and returns the
/// findings as `(severity, code, line)`.
#[track_caller]
pub fn assert_check_contract(view: &Value, file: &str) -> Vec<(String, String, Option<u64>)> {
    let obj = view.as_object().expect("the report is an object");
    let keys: BTreeSet<&str> = obj.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "accepted",
            "accepted_file",
            "errors",
            "file",
            "findings",
            "schema_version",
            "warnings"
        ]),
        "{view}"
    );
    assert_eq!(view["schema_version"], 2);
    assert_eq!(view["file"], file);
    let findings: Vec<(String, String, Option<u64>)> = list(&view["findings"], "findings")
        .iter()
        .map(|f| {
            let keys: Vec<&str> = f
                .as_object()
                .expect("a finding is an object")
                .keys()
                .map(String::as_str)
                .collect();
            let mut keys = keys;
            keys.sort_unstable();
            assert_eq!(keys, FINDING_FIELDS, "{f}");
            let severity = string(&f["severity"], "severity");
            assert!(severity == "error" || severity == "warning", "{f}");
            let code = string(&f["code"], "code");
            assert!(!code.is_empty(), "{f}");
            assert!(!string(&f["message"], "message").is_empty(), "{f}");
            assert!(f["hint"].is_string() || f["hint"].is_null(), "{f}");
            let line = match &f["line"] {
                Value::Null => None,
                l => Some(l.as_u64().filter(|&n| n > 0).expect("a line from 1")),
            };
            (severity, code, line)
        })
        .collect();
    let errors = findings.iter().filter(|f| f.0 == "error").count();
    assert_eq!(view["errors"].as_u64(), Some(errors as u64), "{view}");
    assert_eq!(
        view["warnings"].as_u64(),
        Some((findings.len() - errors) as u64),
        "{view}"
    );
    findings
}

/// `verify --format json` plus `extra`: checks the JSON contract and that
/// the exit code agrees with `ok`.
#[track_caller]
pub fn verify_json(env: &TestEnv, extra: &[&str]) -> Value {
    let mut args = vec!["verify", "--format", "json"];
    args.extend_from_slice(extra);
    let out = env.run(&args);
    out.assert_no_panic();
    let v = out.json();
    for field in [
        "schema_version",
        "ok",
        "editions_checked",
        "objects_checked",
        "signatures_checked",
        "violations",
    ] {
        assert!(v.get(field).is_some(), "no {field} in {v:#}");
    }
    assert_eq!(v["schema_version"], 2);
    let ok = v["ok"].as_bool().expect("ok is a boolean");
    let violations = v["violations"].as_array().expect("violations is a list");
    assert_eq!(ok, violations.is_empty(), "{v:#}");
    assert_eq!(
        out.code,
        Some(if ok { 0 } else { 1 }),
        "exit code against ok\n{v:#}\n{}",
        out.stderr
    );
    for x in violations {
        assert!(
            x["kind"].as_str().is_some_and(|k| !k.is_empty()),
            "kind: {x}"
        );
        assert!(
            x["edition"].is_string() || x["edition"].is_null(),
            "edition: {x}"
        );
        assert!(
            x["message"].as_str().is_some_and(|m| !m.is_empty()),
            "message: {x}"
        );
    }
    v
}

/// `(kind, edition)` of each violation.
pub fn found(v: &Value) -> Vec<(String, Option<String>)> {
    v["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|x| {
            (
                x["kind"].as_str().expect("kind").to_string(),
                x["edition"].as_str().map(String::from),
            )
        })
        .collect()
}

pub fn pair(kind: &str, edition: &str) -> (String, Option<String>) {
    (kind.to_string(), Some(edition.to_string()))
}
