//! `livedoc blame`: for each item of an edition, the edition that
//! introduced it and the one that last changed it (and how), in text,
//! Markdown and JSON; the latest edition by default; unknown editions
//! refused. The stores are those of `common::stores` (e1, e2, e3).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::json::blame_item;
use crate::common::stores::{REC3, REC4, UNTOUCHED, renumbered_store, rev, three_edition_store};

// ---------------------------------------------------------------------------
// Reading text tables as a terminal shows them (also used by the tests of
// `log`, `trace`, `diff --stat` and `whatsnew`).

/// `s` without its colour sequences (`ESC [ … m`), as a reader sees it.
pub(crate) fn uncoloured(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find("\u{1b}[") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 2..];
        match tail.find('m') {
            Some(end) => rest = &tail[end + 1..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

/// How many columns `s` takes (the test data has no wide characters).
pub(crate) fn columns(s: &str) -> usize {
    s.chars().count()
}

/// Where each of `names` starts in `header`, in display columns.
#[track_caller]
pub(crate) fn column_starts(header: &str, names: &[&str]) -> Vec<usize> {
    names
        .iter()
        .map(|n| {
            let at = header
                .find(n)
                .unwrap_or_else(|| panic!("no {n:?} in {header:?}"));
            columns(&header[..at])
        })
        .collect()
}

/// Whether a cell starts at display column `at` of `line`: a space before
/// it and none at it.
pub(crate) fn cell_at(line: &str, at: usize) -> bool {
    let chars: Vec<char> = line.chars().collect();
    at > 0 && chars.get(at - 1) == Some(&' ') && chars.get(at).is_some_and(|c| *c != ' ')
}

/// The output of `args` with colour forced on, once its colours are taken
/// out, is the output without colour: colour never moves a column.
#[track_caller]
pub(crate) fn assert_colour_keeps_columns(env: &crate::common::TestEnv, args: &[&str]) {
    let plain = env.ok(args).stdout;
    let mut forced = vec!["--color", "always"];
    forced.extend_from_slice(args);
    let coloured = env.ok(&forced).stdout;
    assert!(
        coloured.contains('\u{1b}'),
        "{args:?} is coloured: {coloured}"
    );
    assert_eq!(uncoloured(&coloured), plain, "{args:?}");
}

fn blame_of(b: &Value, id: &str) -> (String, String, String) {
    let i = blame_item(b, id);
    let s = |f: &str| i[f].as_str().expect(f).to_string();
    (s("introduced"), s("last_changed"), s("last_change"))
}

fn triple(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

#[test]
fn blame_text_and_markdown() {
    let env = renumbered_store();
    let text = env.ok(&["blame"]);
    assert!(
        text.stdout.starts_with("blame of edition e2 (March 2025)"),
        "{}",
        text.stdout
    );
    insta::assert_snapshot!("blame_text", env.snapshot(&text));
    let markdown = env.ok(&["blame", "e2", "--format", "markdown"]);
    assert!(markdown.stdout.contains(&format!(
        "| Recommendation 5 | e1 | e2 (renumbered) | `{REC4}` |"
    )));
    insta::assert_snapshot!("blame_markdown", env.snapshot(&markdown));
}

#[test]
fn blame_json_dates_each_item() {
    let env = three_edition_store();
    let b = env.ok(&["blame", "e2", "--format", "json"]).json();
    assert_eq!(b["schema_version"], 2);
    assert_eq!(b["edition"], "e2");
    assert_eq!(b["commit"], rev(&env, "edition/e2^{commit}"));
    assert_eq!(blame_of(&b, REC4), triple("e1", "e2", "renumbered"));
    assert_eq!(blame_item(&b, REC4)["label"], "5");
    assert_eq!(blame_of(&b, UNTOUCHED), triple("e1", "e1", "added"));
    // 37 items in every edition, each once.
    let items = b["items"].as_array().expect("items");
    assert_eq!(items.len(), 37);
    let ids: BTreeSet<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    assert_eq!(ids.len(), 37);

    // The default is the latest edition.
    let latest = env.ok(&["blame", "--format", "json"]).json();
    assert_eq!(latest, env.ok(&["blame", "e3", "--format", "json"]).json());
    assert_eq!(
        latest,
        env.ok(&["blame", "latest", "--format", "json"]).json()
    );
    assert_eq!(latest["edition"], "e3");
    assert_eq!(blame_of(&latest, REC3), triple("e1", "e3", "renumbered"));
    // Relabelled and reworded in e3, it keeps its id and its history.
    assert_eq!(blame_of(&latest, REC4), triple("e1", "e3", "modified"));
    assert_eq!(blame_item(&latest, REC4)["label"], "4");
    // An older edition is blamed as it stood.
    let first = env.ok(&["blame", "e1", "--format", "json"]).json();
    assert_eq!(blame_of(&first, REC4), triple("e1", "e1", "added"));
    assert_eq!(
        env.ok(&["blame", "latest~2", "--format", "json"]).json(),
        first
    );
}

#[test]
fn blame_of_an_unknown_edition_exits_2() {
    let env = renumbered_store();
    let out = env.run(&["blame", "e9"]);
    out.failure();
    assert_eq!(out.stdout, "");
    assert_eq!(out.error_lines(), ["error: no edition e9 in the store"]);
    assert_eq!(
        out.hint(),
        "hint: known editions: e1, e2 (or latest, latest~N)"
    );
    let out = env.run(&["blame", "latest~2"]);
    out.failure();
}

/// Issue 30: text blame had no column headers, and its columns were set by
/// byte counts (`{:<24}`), so a reader had to guess which edition was
/// which.
#[test]
fn blame_text_has_a_header_row_and_aligned_columns() {
    let env = renumbered_store();
    let out = env.ok(&["blame"]).stdout;
    let header = out
        .lines()
        .find(|l| l.trim_start().starts_with("introduced"))
        .unwrap_or_else(|| panic!("a header row in\n{out}"));
    let names = ["introduced", "last changed", "item", "id"];
    let starts = column_starts(header, &names);
    assert!(
        starts.windows(2).all(|w| w[0] < w[1]),
        "{header:?}: columns in order"
    );
    // Item rows are indented under the header; meeting headings are not.
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("  ") && *l != header)
        .collect();
    assert_eq!(rows.len(), 37, "{out}");
    for row in &rows {
        assert!(row[starts[0]..].starts_with('e'), "{row:?}");
        for (name, &at) in names.iter().zip(&starts).skip(1) {
            // "last changed" is blank for an item never changed.
            if *name == "last changed" && row.chars().nth(at) == Some(' ') {
                continue;
            }
            assert!(cell_at(row, at), "{row:?}: {name} at column {at}");
        }
    }
    assert!(rows.iter().any(|r| r.contains("e2 (renumbered)")), "{out}");
    assert_colour_keeps_columns(&env, &["blame"]);
}
