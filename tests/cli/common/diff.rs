//! The diff fixture cases and the stores made of them, and reading the
//! reports of `diff`, `whatsnew` and `changelog`.

use serde_json::Value;

use crate::common::contracts::SUMMARY_FIELDS;
use crate::common::fixtures::{DIFF_FIXTURES, diff_fixture, diff_fixture_text};
use crate::common::json::{list, string};
use crate::common::{Output, TestEnv, replace_once};

/// Every diff fixture case, in name order; each has its own test in
/// `test_diff_cases.rs`.
pub const CASES: [&str; 26] = [
    "corrected-symbol",
    "divided-recommendation",
    "draft-symbol-replaced",
    "headings-as-written",
    "invisible-marks",
    "merged-observations",
    "modified-recommendation",
    "moved-item",
    "moved-reworded",
    "new-year",
    "page-break-paragraph",
    "reflowed-paragraph",
    "removed-observation",
    "renamed-dialogue",
    "renamed-meeting",
    "renamed-section",
    "renumbered-items",
    "renumbered-reworded",
    "reordered-observations",
    "replaced-meeting",
    "split-observation",
    "split-repeating-subject",
    "subitem-typo",
    "swapped-symbols",
    "typography-reexport",
    "year-corrected",
];

/// The case directories, in name order; they must be exactly [`CASES`], so
/// that a new fixture cannot go untested.
pub fn cases() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(DIFF_FIXTURES)
        .expect("the diff fixtures directory is readable")
        .map(|e| e.expect("a directory entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names, CASES,
        "a fixture case without its test, or the reverse"
    );
    names
}

/// A directory without a store holding the case's `before.md` and `after.md`.
pub fn case_env(case: &str) -> TestEnv {
    let env = TestEnv::new();
    for file in ["before.md", "after.md"] {
        env.write(file, diff_fixture(case, file));
    }
    env
}

/// `diff before.md after.md` plus `extra`.
pub fn diff_files(env: &TestEnv, extra: &[&str]) -> Output {
    let mut args = vec!["diff", "before.md", "after.md"];
    args.extend_from_slice(extra);
    env.run(&args)
}

/// The text of the new Recommendation 19 of the new-year fixture, and as
/// the third edition rewords it.
pub const REC19: &str = "States parties are encouraged to share their experiences";

pub const REC19_REWORDED: &str =
    "States parties are strongly encouraged to share their experiences";

/// An observation of the first edition that the third one removes.
pub const REMOVED_OBSERVATION: &str = "States and the international community should pay attention to the balance between data protection and the need for evidence in criminal investigations and should carefully examine the role of artificial intelligence in international cooperation.";

/// A store with three editions: 2024-04 (new-year/before.md), 2025-03
/// (new-year/after.md) and 2025-06, which rewords Recommendation 19 (new
/// in 2025-03) and removes an observation of 2024-04. The sources stay in
/// `editions/`.
pub fn three_editions() -> TestEnv {
    let env = TestEnv::new();
    env.write("editions/2024-04.md", diff_fixture("new-year", "before.md"));
    let e2 = diff_fixture_text("new-year", "after.md");
    env.write("editions/2025-03.md", &e2);
    let e3 = replace_once(&e2, "Vienna, March 2025", "Vienna, June 2025");
    let e3 = replace_once(&e3, REC19, REC19_REWORDED);
    let e3 = replace_once(&e3, &format!("{REMOVED_OBSERVATION}\n\n"), "");
    env.write("editions/2025-06.md", e3);
    env.ok(&["import", "editions"]);
    assert_eq!(env.log_ids(), ["2025-06", "2025-03", "2024-04"]);
    env
}

// ---------------------------------------------------------------------------
// Reading the reports

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

/// The lines of `text` from the first that `starts` accepts up to the
/// next that `ends` accepts; a failure names `heading`.
#[track_caller]
fn lines_of_section<'a>(
    text: &'a str,
    heading: &str,
    starts: impl Fn(&str) -> bool,
    ends: impl Fn(&str) -> bool,
) -> Vec<&'a str> {
    let mut lines = text.lines().skip_while(|l| !starts(l));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no {heading:?} in\n{text}"));
    std::iter::once(first)
        .chain(lines.take_while(|l| !ends(l)))
        .collect()
}

/// The lines of a Markdown document from `## {heading}` to the next `## `.
#[track_caller]
pub fn md_section<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    lines_of_section(text, heading, |l| l == heading, |l| l.starts_with("## "))
}

/// The lines of `text` from the one starting with `heading` up to the
/// next line starting with `#`.
#[track_caller]
pub fn section<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    lines_of_section(
        text,
        heading,
        |l| l.starts_with(heading),
        |l| l.starts_with('#'),
    )
}

/// Asserts the contract's summary counts: those named, and zero for the rest.
#[track_caller]
pub fn assert_summary(view: &Value, nonzero: &[(&str, u64)]) {
    for f in SUMMARY_FIELDS {
        let want = nonzero.iter().find(|(k, _)| *k == f).map_or(0, |&(_, n)| n);
        assert_eq!(
            view["summary"][f].as_u64(),
            Some(want),
            "summary.{f} in {}",
            view["summary"]
        );
    }
}

/// The meetings whose status is not `unchanged`.
pub fn changed_meetings(view: &Value) -> Vec<&Value> {
    list(&view["meetings"], "meetings")
        .iter()
        .filter(|m| m["status"] != "unchanged")
        .collect()
}

/// Every listed item, with its meeting's key.
pub fn items(view: &Value) -> Vec<(String, &Value)> {
    list(&view["meetings"], "meetings")
        .iter()
        .flat_map(|m| {
            let key = m["key"].as_str().expect("key").to_string();
            list(&m["items"], "items")
                .iter()
                .map(move |i| (key.clone(), i))
        })
        .collect()
}

/// The texts of an item's word changes with this op.
pub fn changes(item: &Value, op: &str) -> Vec<String> {
    list(&item["changes"], "changes")
        .iter()
        .filter(|c| c["op"] == op)
        .map(|c| c["text"].as_str().expect("change text").to_string())
        .collect()
}
