//! `livedoc blame`: for each item of an edition, the edition that
//! introduced it and the one that last changed it (and how), in text,
//! Markdown and JSON; the latest edition by default; unknown editions
//! refused. The stores are those of `common::stores` (e1, e2, e3).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::json::blame_item;
use crate::common::stores::{REC3, REC4, UNTOUCHED, renumbered_store, rev, three_edition_store};

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
