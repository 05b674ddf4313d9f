//! `livedoc whatsnew`: every edition since the one named folded into one
//! report (an item added and then reworded is one addition, with its newest
//! text), the same as `diff SINCE latest`; the edition before the newest by
//! default; an unknown edition refused.

use serde_json::Value;

use crate::common::contracts::assert_contract;
use crate::common::diff::{
    REC19_REWORDED, REMOVED_OBSERVATION, assert_summary, changes, items, three_editions,
};

#[test]
fn whatsnew_folds_every_edition_since_into_one_report() {
    let env = three_editions();
    let view = env
        .ok(&["whatsnew", "--since", "2024-04", "--format", "json"])
        .json();
    assert_contract(&view);
    assert_eq!(
        (&view["from"], &view["to"]),
        (&"2024-04".into(), &"2025-06".into())
    );
    assert_summary(
        &view,
        &[
            ("meetings_added", 2),
            ("meetings_changed", 1),
            ("items_added", 5),
            ("recommendations_added", 2),
            ("observations_added", 3),
            ("items_removed", 1),
        ],
    );
    // Recommendation 19, added in 2025-03 and reworded in 2025-06, is
    // reported once, as added, with its newest text.
    let rec19: Vec<(String, &Value)> = items(&view)
        .into_iter()
        .filter(|(_, i)| i["id"] == "CTOC/COP/WG.6/2024/4#19")
        .collect();
    assert_eq!(rec19.len(), 1, "{rec19:#?}");
    let (key, item) = &rec19[0];
    assert_eq!(key, "CTOC/COP/WG.6/2024/4");
    assert_eq!(item["status"], "added");
    assert_eq!(item["new_label"], "19");
    assert!(
        item["new_text"]
            .as_str()
            .expect("new_text")
            .starts_with(REC19_REWORDED),
        "{item}"
    );
    let removed: Vec<&Value> = items(&view)
        .into_iter()
        .map(|(_, i)| i)
        .filter(|i| i["status"] == "removed")
        .collect();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0]["old_text"], REMOVED_OBSERVATION);
    assert_eq!(
        removed[0]["id"],
        "B/2023/constructive-dialogue-on-international-cooperation#o3"
    );

    // whatsnew --since X is diff X latest.
    let diff = env.ok(&["diff", "2024-04", "latest", "--format", "json"]);
    assert_eq!(diff.json(), view);

    // The same, ready for the preface.
    let md = env.ok(&["whatsnew", "--since", "2024-04", "--format", "markdown"]);
    assert!(
        md.stdout
            .contains(&format!("- **Recommendation 19.** {REC19_REWORDED}")),
        "{}",
        md.stdout
    );
    assert!(!md.stdout.contains("reworded"), "{}", md.stdout);
}

#[test]
fn whatsnew_defaults_to_the_edition_before_the_newest() {
    let env = three_editions();
    let view = env.ok(&["whatsnew", "--format", "json"]).json();
    assert_contract(&view);
    assert_eq!(
        (&view["from"], &view["to"]),
        (&"2025-03".into(), &"2025-06".into())
    );
    assert_summary(
        &view,
        &[
            ("meetings_changed", 2),
            ("items_modified", 1),
            ("items_removed", 1),
        ],
    );
    let modified: Vec<(String, &Value)> = items(&view)
        .into_iter()
        .filter(|(_, i)| i["status"] == "modified")
        .collect();
    assert_eq!(modified.len(), 1);
    let item = modified[0].1;
    assert_eq!(item["id"], "CTOC/COP/WG.6/2024/4#19");
    assert_eq!(item["reason"], "same_label");
    assert_eq!(changes(item, "insert"), ["strongly"]);
    assert!(changes(item, "delete").is_empty(), "{item}");

    let text = env.ok(&["whatsnew"]);
    assert_eq!(
        text.stdout,
        env.ok(&["whatsnew", "--since", "latest~1"]).stdout
    );
    assert_eq!(text.stdout, env.ok(&["diff"]).stdout);
}

#[test]
fn whatsnew_since_an_unknown_edition_is_an_error() {
    let env = three_editions();
    let out = env.run(&["whatsnew", "--since", "2023-01"]);
    out.failure();
    assert_eq!(
        out.error_lines(),
        ["error: no edition 2023-01 in the store"]
    );
    assert_eq!(
        out.hint(),
        "hint: known editions: 2024-04, 2025-03, 2025-06 (or latest, latest~N)"
    );
    assert_eq!(out.stdout, "");
    let out = env.run(&["whatsnew", "--since", "latest~3"]);
    out.failure();
    out.hint();
}

/// Issue 30: in a store of one edition, `whatsnew` failed with "latest~1
/// goes back further than the store's 1 edition", an argument the reader
/// never typed. It shows what that first edition brought, as `diff` does.
#[test]
fn whatsnew_in_a_store_of_one_edition_shows_what_it_brought() {
    let env = crate::common::TestEnv::new();
    env.import_real();
    let out = env.ok(&["whatsnew", "--format", "json"]);
    assert!(!out.stderr.contains("latest~1"), "{}", out.stderr);
    assert!(out.stderr.contains("first edition"), "{}", out.stderr);
    let v = out.json();
    assert_eq!(v["summary"]["items_added"], 37, "{}", v["summary"]);
}

/// Issue 30: whatsnew's header named each edition's date as its id did
/// (`2024-04 (2024-04)`); it writes it as a reader would, and its `--stat`
/// keeps its columns with colour on.
#[test]
fn whatsnew_names_editions_by_id_and_long_date() {
    let env = three_editions();
    let out = env.ok(&["whatsnew", "--since", "2024-04"]).stdout;
    assert!(
        out.starts_with("diff 2024-04 (April 2024) → 2025-06 (June 2025)\n"),
        "{out}"
    );
    let stat = env.ok(&["whatsnew", "--since", "2024-04", "--stat"]).stdout;
    let bars: Vec<usize> = stat.lines().filter_map(|l| l.find(" | ")).collect();
    assert_eq!(bars.len(), 3, "{stat}");
    assert!(bars.iter().all(|b| *b == bars[0]), "{stat}");
    crate::test_blame::assert_colour_keeps_columns(
        &env,
        &["whatsnew", "--since", "2024-04", "--stat"],
    );
    crate::test_blame::assert_colour_keeps_columns(&env, &["whatsnew", "--since", "2024-04"]);
}
