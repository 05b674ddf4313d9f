//! What `livedoc diff` reports for each synthetic fixture pair
//! (`tests/fixtures/diff/<case>/before.md` and `after.md`), in text and
//! JSON, each JSON report checked against the contract: a new year, a
//! reworded recommendation, a reflowed paragraph, renumbered items,
//! reordered observations, a removed observation, a typo in a sub-item, a
//! corrected symbol and an item moved between meetings.

use serde_json::Value;

use crate::common::contracts::assert_contract;
use crate::common::diff::{
    assert_summary, case_env, cases, changed_meetings, changes, diff_files, items, listed, section,
};
use crate::common::fixtures::{diff_fixture, diff_fixture_text};
use crate::common::json::string;
use crate::common::{TestEnv, replace_once};

/// The JSON report of a case's two files, checked against the contract.
#[track_caller]
fn case_json(case: &str) -> Value {
    let env = case_env(case);
    let view = diff_files(&env, &["--format", "json"]).success().json();
    assert_contract(&view);
    assert_eq!(view["from"], "before.md");
    assert_eq!(view["to"], "after.md");
    view
}

/// The one listed item; fails unless there is exactly one.
#[track_caller]
fn only_item(view: &Value) -> (String, &Value) {
    let mut all = items(view);
    assert_eq!(all.len(), 1, "{:#?}", all);
    all.remove(0)
}

#[test]
fn every_fixture_case_in_text_and_json() {
    for case in cases() {
        let env = case_env(&case);
        let text = diff_files(&env, &[]);
        text.success();
        assert!(
            text.stdout
                .starts_with("diff before.md (April 2024) → after.md (March 2025)\n"),
            "{case}:\n{}",
            text.stdout
        );
        let json = diff_files(&env, &["--format", "json"]);
        assert_contract(&json.success().json());
        assert!(
            !env.store().exists(),
            "{case}: diffing two files made a store"
        );
        insta::with_settings!({ snapshot_suffix => case.as_str() }, {
            insta::assert_snapshot!("diff_text", env.snapshot(&text));
            insta::assert_snapshot!("diff_json", env.snapshot(&json));
        });
    }
}

#[test]
fn new_year_adds_a_meeting_in_each_part() {
    let view = case_json("new-year");
    assert_summary(
        &view,
        &[
            ("meetings_added", 2),
            ("items_added", 5),
            ("recommendations_added", 2),
            ("observations_added", 3),
        ],
    );
    let added: Vec<(&Value, &Value, &Value)> = changed_meetings(&view)
        .into_iter()
        .map(|m| {
            assert_eq!(m["status"], "added", "{m}");
            (&m["part"], &m["year"], &m["key"])
        })
        .collect();
    assert_eq!(
        added,
        [
            (
                &Value::from("A"),
                &Value::from(2024),
                &Value::from("CTOC/COP/WG.6/2024/4")
            ),
            (
                &Value::from("B"),
                &Value::from(2024),
                &Value::from("B/2024/constructive-dialogue-on-firearms")
            ),
        ]
    );
    let labels: Vec<(String, &Value, &Value)> = items(&view)
        .into_iter()
        .map(|(key, i)| (key, &i["kind"], &i["new_label"]))
        .collect();
    assert_eq!(labels.len(), 5);
    assert!(
        labels[..2]
            .iter()
            .all(|(k, kind, _)| k == "CTOC/COP/WG.6/2024/4" && *kind == "recommendation")
    );
    assert_eq!(
        (labels[0].2, labels[1].2),
        (&Value::from("19"), &Value::from("20"))
    );
    assert!(
        labels[2..]
            .iter()
            .all(|(_, kind, label)| *kind == "observation" && label.is_null())
    );
}

#[test]
fn modified_recommendation_is_one_reworded_item() {
    let view = case_json("modified-recommendation");
    assert_summary(&view, &[("meetings_changed", 1), ("items_modified", 1)]);
    let (key, item) = only_item(&view);
    assert_eq!(key, "CTOC/COP/WG.2/2023/4");
    assert_eq!(item["id"], "CTOC/COP/WG.2/2023/4#4");
    assert_eq!(item["status"], "modified");
    assert_eq!(item["reason"], "same_label");
    assert_eq!(
        (&item["old_label"], &item["new_label"]),
        (&"4".into(), &"4".into())
    );
    let s = item["similarity"].as_f64().expect("similarity");
    assert!(s < 1.0 && s > 0.9, "similarity {s}");
    assert_eq!(changes(item, "delete"), ["should"]);
    assert_eq!(changes(item, "insert"), ["are encouraged to"]);
}

/// A re-conversion of the PDF that cut a recommendation and an
/// observation mid-sentence at a page break: the importer joins each
/// (rules 2), says so with the line, and the diff finds nothing (rules 1
/// reported a phantom observation added and the observation reworded).
#[test]
fn a_paragraph_cut_by_a_page_break_is_no_change() {
    let view = case_json("page-break-paragraph");
    assert_summary(&view, &[]);
    assert!(changed_meetings(&view).is_empty(), "{view}");
    let env = case_env("page-break-paragraph");
    let out = diff_files(&env, &["--exit-code"]);
    assert_eq!(out.code, Some(0), "{}", out.rendered());
    let joined: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains("continues mid-sentence"))
        .collect();
    assert_eq!(joined.len(), 2, "{}", out.stderr);
    assert!(
        joined[0].starts_with("warning: after.md:117: "),
        "{joined:?}"
    );
    assert!(
        joined[1].starts_with("warning: after.md:209: "),
        "{joined:?}"
    );
}

#[test]
fn reflowed_paragraph_is_no_change() {
    let view = case_json("reflowed-paragraph");
    assert_summary(&view, &[]);
    assert_eq!(view["summary"]["items_unchanged"], 37);
    assert!(changed_meetings(&view).is_empty(), "{view}");
    let env = case_env("reflowed-paragraph");
    let out = diff_files(&env, &["--exit-code"]);
    assert_eq!(out.code, Some(0), "{}", out.rendered());
    assert!(out.stdout.contains("\nno changes\n"), "{}", out.stdout);
    assert!(
        out.stdout
            .ends_with("\n37 items paired unchanged (same label and text, or same text).\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn renumbered_items_are_renumbered_not_added_and_removed() {
    let view = case_json("renumbered-items");
    assert_summary(&view, &[("meetings_changed", 1), ("items_renumbered", 6)]);
    let all = items(&view);
    assert_eq!(all.len(), 6);
    for (n, (key, item)) in all.iter().enumerate() {
        assert_eq!(key, "CTOC/COP/WG.2/2023/4");
        assert_eq!(item["status"], "renumbered", "{item}");
        assert_eq!(item["reason"], "same_text_other_label", "{item}");
        assert_eq!(item["old_text"], item["new_text"]);
        let old = n + 2;
        assert_eq!(item["old_label"], old.to_string(), "{item}");
        assert_eq!(item["new_label"], (old + 1).to_string(), "{item}");
        assert_eq!(item["id"], format!("CTOC/COP/WG.2/2023/4#{old}"));
    }
}

/// Recommendation 3 of a working group withdrawn: the ones after it are
/// renumbered, and two of them reworded on the way (one word of 5, now 4;
/// several of 7, now 6). Each keeps its id and is reported as what it is:
/// rules 1 reported them as two recommendations added and two removed.
#[test]
fn renumbered_and_reworded_items_keep_their_ids() {
    let view = case_json("renumbered-reworded");
    assert_summary(
        &view,
        &[
            ("meetings_changed", 1),
            ("items_removed", 1),
            ("recommendations_removed", 1),
            ("items_renumbered", 2),
            ("items_modified", 2),
        ],
    );
    let key = "CTOC/COP/WG.2/2023/4";
    let id = |n: u32| format!("{key}#{n}");
    assert_eq!(
        listed(&view),
        [
            ("removed", id(3), "no_counterpart"),
            ("renumbered", id(4), "same_text_other_label"),
            ("modified", id(5), "similar_text_other_label"),
            ("renumbered", id(6), "same_text_other_label"),
            ("modified", id(7), "similar_text_other_label"),
        ]
        .map(|(s, i, r)| (s.to_string(), i, r.to_string()))
    );
    for (key_of, item) in items(&view) {
        assert_eq!(key_of, key);
        if item["status"] == "modified" {
            let old: u32 = string(&item["old_label"], "old_label")
                .parse()
                .expect("a number");
            assert_eq!(item["new_label"], (old - 1).to_string(), "{item}");
        }
    }
}

/// An observation moved to another dialogue and edited in the same
/// edition (one word added): one move with its word change, under its id
/// (rules 1 reported one observation removed and another added).
#[test]
fn an_observation_moved_and_reworded_is_one_move() {
    let view = case_json("moved-reworded");
    assert_summary(&view, &[("meetings_changed", 2), ("items_moved", 1)]);
    let ic = "B/2023/constructive-dialogue-on-international-cooperation";
    let ta = "B/2023/constructive-dialogue-on-technical-assistance";
    assert_eq!(
        listed(&view),
        [(
            "moved".to_string(),
            format!("{ic}#o2"),
            "similar_text_other_meeting".to_string()
        )]
    );
    let (key, item) = only_item(&view);
    assert_eq!(key, ta);
    assert_eq!(item["from_meeting"], ic);
    assert_eq!(changes(item, "insert"), ["further"]);
    assert_eq!(changes(item, "delete"), Vec::<String>::new());
}

/// A re-export that straightens curly quotes, curls an apostrophe and
/// writes a non-breaking hyphen: three items whose wording did not change,
/// counted apart from modifications and listed with what changed (rules
/// 1 reported them as three items modified).
#[test]
fn a_typographic_re_export_is_not_a_change_of_wording() {
    let view = case_json("typography-reexport");
    assert_summary(&view, &[("meetings_changed", 3), ("items_typography", 3)]);
    let all = items(&view);
    assert_eq!(all.len(), 3);
    for (_, item) in &all {
        assert_eq!(item["status"], "typography", "{item}");
        assert_eq!(item["similarity"], 1.0, "{item}");
        assert!(!changes(item, "insert").is_empty(), "{item}");
    }
    let env = case_env("typography-reexport");
    let out = diff_files(&env, &[]);
    assert!(
        out.stdout.contains("items: 3 typography only"),
        "{}",
        out.stdout
    );
}

/// A working group renamed under the same symbol: the meeting changed,
/// and every format says how, with the old name (rules 1 said "changed"
/// with no reason).
#[test]
fn a_renamed_meeting_says_it_was_renamed() {
    let view = case_json("renamed-meeting");
    assert_summary(&view, &[("meetings_changed", 1)]);
    let m = changed_meetings(&view)[0];
    assert_eq!(m["key"], "CTOC/COP/WG.6/2023/5");
    assert_eq!(
        m["reasons"],
        serde_json::json!([{
            "kind": "renamed",
            "old": "Working Group on Firearms",
            "new": "Working Group on Firearms, their Parts and Components and Ammunition"
        }])
    );
    let env = case_env("renamed-meeting");
    let text = diff_files(&env, &[]);
    assert!(
        text.stdout
            .contains("[renamed from Working Group on Firearms]"),
        "{}",
        text.stdout
    );
    for format in ["markdown", "html"] {
        let out = diff_files(&env, &["--format", format]);
        assert!(
            out.stdout
                .contains("renamed from Working Group on Firearms"),
            "{format}: {}",
            out.stdout
        );
    }
}

/// A front-matter section renamed, its text unchanged: one section
/// renamed, with its old title (rules 1 said one added and one removed).
#[test]
fn a_renamed_section_is_one_change() {
    let view = case_json("renamed-section");
    assert_summary(&view, &[]);
    assert_eq!(view["summary"]["sections_changed"], 1);
    assert_eq!(
        view["sections"],
        serde_json::json!([{
            "title": "Guidance for the Reader",
            "old_title": "Guidance for Readers",
            "status": "renamed",
            "changes": []
        }])
    );
}

/// A working group's meeting withdrawn and replaced by another meeting of
/// the same body under a new symbol, with none of its recommendations:
/// one meeting removed and one added, not a corrected symbol (rules 1 said
/// "symbol corrected" and paired nothing in it).
#[test]
fn a_replaced_meeting_is_not_a_corrected_symbol() {
    let view = case_json("replaced-meeting");
    assert_summary(
        &view,
        &[
            ("meetings_added", 1),
            ("meetings_removed", 1),
            ("items_added", 2),
            ("recommendations_added", 2),
            ("items_removed", 2),
            ("recommendations_removed", 2),
        ],
    );
    let statuses: Vec<(&str, &str)> = changed_meetings(&view)
        .iter()
        .map(|m| {
            (
                m["key"].as_str().expect("key"),
                m["status"].as_str().expect("status"),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("CTOC/COP/WG.7/2023/6", "added"),
            ("CTOC/COP/WG.7/2023/5", "removed")
        ]
    );
    // A real correction, with its items kept, is still one.
    let corrected = case_json("corrected-symbol");
    assert_eq!(corrected["summary"]["meetings_symbol_corrected"], 1);
}

#[test]
fn reordered_observations_are_one_move() {
    let view = case_json("reordered-observations");
    assert_summary(&view, &[("meetings_changed", 1), ("items_moved", 1)]);
    let (key, item) = only_item(&view);
    assert_eq!(key, "B/2023/constructive-dialogue-on-technical-assistance");
    assert_eq!(item["status"], "moved");
    assert_eq!(item["reason"], "same_text");
    assert!(item["from_meeting"].is_null(), "{item}");
    assert_eq!(
        (&item["old_position"], &item["new_position"]),
        (&1.into(), &4.into())
    );
}

#[test]
fn removed_observation_is_one_removal() {
    let view = case_json("removed-observation");
    assert_summary(&view, &[("meetings_changed", 1), ("items_removed", 1)]);
    let (key, item) = only_item(&view);
    assert_eq!(
        key,
        "B/2023/constructive-dialogue-on-international-cooperation"
    );
    assert_eq!(item["status"], "removed");
    assert_eq!(item["kind"], "observation");
    assert!(
        item["old_text"]
            .as_str()
            .expect("old_text")
            .ends_with("the role of artificial intelligence in international cooperation."),
        "{item}"
    );
}

#[test]
fn subitem_typo_is_one_word_in_one_observation() {
    let view = case_json("subitem-typo");
    assert_summary(&view, &[("meetings_changed", 1), ("items_modified", 1)]);
    let (key, item) = only_item(&view);
    assert_eq!(
        key,
        "B/2023/constructive-dialogue-on-trafficking-in-persons"
    );
    assert_eq!(item["status"], "modified");
    assert_eq!(item["reason"], "similar_text");
    assert_eq!(changes(item, "delete"), ["relates"]);
    assert_eq!(changes(item, "insert"), ["related"]);
}

#[test]
fn corrected_symbol_changes_the_meeting_and_no_item() {
    let view = case_json("corrected-symbol");
    assert_summary(&view, &[("meetings_changed", 1)]);
    let changed = changed_meetings(&view);
    assert_eq!(changed.len(), 1);
    let m = changed[0];
    assert_eq!(m["status"], "symbol_corrected");
    assert_eq!(m["key"], "CTOC/COP/WG.7/2023/6");
    assert_eq!(m["symbol"], "CTOC/COP/WG.7/2023/6");
    assert_eq!(m["old_symbol"], "CTOC/COP/WG.7/2023/5");
    assert_eq!(m["old_key"], "CTOC/COP/WG.7/2023/5");
    assert!(items(&view).is_empty(), "{view}");
}

#[test]
fn moved_item_is_one_move_between_meetings() {
    let view = case_json("moved-item");
    assert_summary(&view, &[("meetings_changed", 2), ("items_moved", 1)]);
    let (key, item) = only_item(&view);
    assert_eq!(key, "CTOC/COP/WG.2/2023/4");
    assert_eq!(item["status"], "moved");
    assert_eq!(item["from_meeting"], "CTOC/COP/WG.6/2023/5");
    assert_eq!(item["reason"], "same_text_other_meeting");
    assert_eq!(
        (&item["old_label"], &item["new_label"]),
        (&"18".into(), &"8".into())
    );
    assert_eq!(item["id"], "CTOC/COP/WG.6/2023/5#18");
    // The meeting it left changed too.
    let keys: Vec<&Value> = changed_meetings(&view).iter().map(|m| &m["key"]).collect();
    assert_eq!(keys, ["CTOC/COP/WG.6/2023/5", "CTOC/COP/WG.2/2023/4"]);
}

// ---------------------------------------------------------------------------
// Regressions: bugs in src/ that these tests found, now fixed.

/// When a meeting's symbol is corrected and, in the same edition, one of
/// its items moves to another meeting, `from_meeting` holds the meeting's
/// old key, which no meeting of the report has: the item is said to come
/// from a bare symbol, and the meeting it left does not say where it went.
#[test]
fn an_item_moved_out_of_a_meeting_with_a_corrected_symbol_names_both_meetings() {
    let env = TestEnv::new();
    env.write("before.md", diff_fixture("corrected-symbol", "before.md"));
    let after = diff_fixture_text("corrected-symbol", "after.md");
    let rec16 = "### *Recommendation 16*\n\n";
    let start = after.find(rec16).expect("Recommendation 16 of WG.7/2023");
    let end = start
        + after[start..]
            .find("\n\n\n")
            .expect("the recommendation ends with the meeting");
    let text = after[start + rec16.len()..end].to_string();
    let after = after.replacen(&after[start..end], "", 1);
    let after = replace_once(
        &after,
        "### **Working Group on International Cooperation",
        &format!(
            "#### *Recommendation 8*\n\n{text}\n\n### **Working Group on International Cooperation"
        ),
    );
    env.write("after.md", after);

    let view = diff_files(&env, &["--format", "json"]).success().json();
    assert_summary(&view, &[("meetings_changed", 2), ("items_moved", 1)]);
    let text = diff_files(&env, &[]).success().stdout.clone();
    assert!(
        text.contains("moved here from Working Group on the Smuggling of Migrants"),
        "{text}"
    );
    assert!(
        text.contains("< Recommendation 16 moved to Working Group of Government Experts"),
        "{text}"
    );
    let md = diff_files(&env, &["--format", "markdown"])
        .success()
        .stdout
        .clone();
    let source = section(
        &md,
        "### Working Group on the Smuggling of Migrants (CTOC/COP/WG.7/2023/6), 2023",
    );
    assert!(
        source
            .iter()
            .any(|l| l.starts_with("- **Recommendation 16** moved to")),
        "{md}"
    );
}

/// Part B's year marker corrected (2023 → 2022, the table of contents
/// too): four dialogues changed, each with its reason and the old value,
/// under their old keys; no item added, removed or moved (rules 2 said four
/// meetings removed, four added and every observation moved).
#[test]
fn a_corrected_year_keeps_every_dialogue_and_its_key() {
    let view = case_json("year-corrected");
    assert_summary(&view, &[("meetings_changed", 4)]);
    for m in changed_meetings(&view) {
        let key = string(&m["key"], "key");
        assert!(
            key.starts_with("B/2023/"),
            "the key minted first is kept: {key}"
        );
        assert_eq!(m["year"], 2022);
        assert_eq!(m["old_key"], Value::Null);
        assert_eq!(
            m["reasons"],
            serde_json::json!([{"kind": "year_corrected", "old": "2023", "new": "2022"}])
        );
    }
    let env = case_env("year-corrected");
    let text = diff_files(&env, &[]);
    assert!(
        text.stdout.contains("[year corrected from 2023]"),
        "{}",
        text.stdout
    );
    // Imported, the dialogues keep their keys and the import says why
    // the edition changed.
    env.ok(&["import", "before.md", "--edition", "2024-04"]);
    let out = env.ok(&["import", "after.md", "--edition", "2025-03"]);
    assert!(
        out.stdout
            .contains("It also corrects the heading (year, body or source) of 4 meetings."),
        "{}",
        out.stdout
    );
    let t = env
        .ok(&[
            "trace",
            "B/2023/constructive-dialogue-on-technical-assistance#o1",
            "--format",
            "json",
        ])
        .json();
    let entries = t["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2, "one history across both editions: {t}");
    assert_eq!(entries[1]["status"], "unchanged");
    env.ok(&["verify"]);
}

/// A dialogue's body renamed: one meeting changed, renamed, under its old
/// key, every observation under its id.
#[test]
fn a_renamed_dialogue_keeps_its_key_and_its_observations() {
    let view = case_json("renamed-dialogue");
    assert_summary(&view, &[("meetings_changed", 1)]);
    let m = changed_meetings(&view)[0];
    assert_eq!(
        m["key"],
        "B/2023/constructive-dialogue-on-trafficking-in-persons"
    );
    assert_eq!(
        m["reasons"][0]["new"],
        "Constructive Dialogue on Trafficking in Persons, especially Women and Children"
    );
    assert_eq!(list_len(&m["items"]), 0, "no observation changed");
}

fn list_len(v: &Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

/// An observation cut in two at a sentence: the second, longer part keeps
/// the id (modified: it lost the first sentence); the first sentence is
/// split off it under a new id that names where it came from (rules 2
/// paired the old observation with one part and called the first sentence
/// new).
#[test]
fn a_split_observation_is_one_split_not_an_addition() {
    let view = case_json("split-observation");
    assert_summary(
        &view,
        &[
            ("meetings_changed", 1),
            ("items_modified", 1),
            ("items_split", 1),
        ],
    );
    let key = "B/2023/constructive-dialogue-on-international-cooperation";
    let all = items(&view);
    let split = &all
        .iter()
        .find(|(_, i)| i["status"] == "split")
        .expect("a split")
        .1;
    assert_eq!(split["split_from"], format!("{key}#o4"));
    assert_eq!(split["reason"], "split_from");
    assert_ne!(split["id"], format!("{key}#o4"));
    let kept = &all
        .iter()
        .find(|(_, i)| i["status"] == "modified")
        .expect("kept")
        .1;
    assert_eq!(kept["id"], format!("{key}#o4"));
    assert!(
        string(&kept["new_text"], "new_text").starts_with("In doing so"),
        "{kept}"
    );
}

/// Two observations joined into one paragraph: the longer one's id
/// continues (modified), the other is merged into it.
#[test]
fn merged_observations_are_one_merge_not_a_removal() {
    let view = case_json("merged-observations");
    assert_summary(
        &view,
        &[
            ("meetings_changed", 1),
            ("items_modified", 1),
            ("items_merged", 1),
        ],
    );
    let key = "B/2023/constructive-dialogue-on-trafficking-in-persons";
    let all = items(&view);
    let merged = &all
        .iter()
        .find(|(_, i)| i["status"] == "merged")
        .expect("a merge")
        .1;
    assert_eq!(merged["id"], format!("{key}#o4"));
    assert_eq!(merged["merged_into"], format!("{key}#o5"));
}

/// Imported as editions, a split is told the same way by the stored diff,
/// `trace` of both ids and `blame`, and the store verifies.
#[test]
fn a_stored_split_is_traced_and_blamed_from_both_sides() {
    let env = case_env("split-observation");
    env.ok(&["import", "before.md", "--edition", "2024-04"]);
    let out = env.ok(&["import", "after.md", "--edition", "2025-03"]);
    assert!(
        out.stdout
            .contains("It also modifies 1 item and splits 1 item off another."),
        "{}",
        out.stdout
    );
    let stored = env
        .ok(&["diff", "2024-04", "2025-03", "--format", "json"])
        .json();
    assert_contract(&stored);
    assert_eq!(stored["summary"]["items_split"], 1, "{}", stored["summary"]);
    let key = "B/2023/constructive-dialogue-on-international-cooperation";
    let part = items(&stored)
        .into_iter()
        .find(|(_, i)| i["status"] == "split")
        .map(|(_, i)| string(&i["id"], "id").to_string())
        .expect("the split part");
    let old = format!("{key}#o4");

    let t = env.ok(&["trace", &part, "--format", "json"]).json();
    let entries = t["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{t}");
    assert_eq!(entries[0]["status"], "split");
    assert_eq!(entries[0]["split_from"], old.as_str());
    let text = env.ok(&["trace", &part]).stdout;
    assert!(text.contains(&format!("split off {old}")), "{text}");

    let t = env.ok(&["trace", &old, "--format", "json"]).json();
    let last = t["entries"]
        .as_array()
        .and_then(|e| e.last())
        .expect("entries");
    assert_eq!(last["status"], "modified");
    assert_eq!(last["split_off"], serde_json::json!([part.as_str()]));

    let b = env.ok(&["blame", "latest", "--format", "json"]).json();
    let line = b["items"]
        .as_array()
        .and_then(|l| l.iter().find(|i| i["id"] == part.as_str()))
        .expect("the part is blamed")
        .clone();
    assert_eq!(
        line["introduced"], "2024-04",
        "its text was first published then"
    );
    assert_eq!(line["last_changed"], "2025-03");
    assert_eq!(line["last_change"], "split");
    assert_eq!(line["split_from"], old.as_str());
    env.ok(&["verify"]);
}

/// Headings as the secretariat writes them: a symbol set off by a dash, a
/// symbol in square brackets, a corrigendum cited after the symbol, a
/// meeting heading turned into a bold paragraph, and a label with parts
/// (`Recommendation 6 (a)`). Every meeting keeps its key, so nothing is
/// added or removed; the changes are the label and the citation of the
/// corrigendum, a change of its meeting's heading.
#[test]
fn headings_as_written_keep_their_meetings() {
    let view = case_json("headings-as-written");
    assert_summary(&view, &[("meetings_changed", 2), ("items_renumbered", 1)]);
    let cited: Vec<&Value> = changed_meetings(&view)
        .into_iter()
        .filter(|m| m["key"] == "CTOC/COP/WG.7/2022/4")
        .collect();
    assert_eq!(cited.len(), 1);
    assert_eq!(cited[0]["symbol"], "CTOC/COP/WG.7/2022/4 and Corr.1");
    assert_eq!(cited[0]["old_symbol"], "CTOC/COP/WG.7/2022/4");
    let (key, item) = only_item(&view);
    assert_eq!(key, "CTOC/COP/WG.2/2023/4");
    assert_eq!(item["id"], "CTOC/COP/WG.2/2023/4#6");
    assert_eq!(item["new_label"], "6 (a)");
    // The edition as imported shows the citation as written, keyed by the
    // symbol it amends.
    let env = case_env("headings-as-written");
    env.ok(&["import", "before.md", "--edition", "2024-04"]);
    env.ok(&["import", "after.md", "--edition", "2025-03"]);
    let show = env.show_json("2025-03");
    let meetings: Vec<&Value> = show["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .flat_map(|p| p["meetings"].as_array().expect("meetings"))
        .collect();
    let symbol_of = |key: &str| {
        meetings
            .iter()
            .find(|m| m["key"] == key)
            .map(|m| m["symbol"].clone())
    };
    assert_eq!(
        symbol_of("CTOC/COP/WG.7/2022/4"),
        Some("CTOC/COP/WG.7/2022/4 and Corr.1".into())
    );
    assert_eq!(
        symbol_of("CTOC/COP/WG.6/2023/5"),
        Some("CTOC/COP/WG.6/2023/5".into())
    );
    assert_eq!(
        symbol_of("CTOC/COP/WG.7/2023/5"),
        Some("CTOC/COP/WG.7/2023/5".into())
    );
    assert_eq!(
        symbol_of("CTOC/COP/WG.4/2022/4"),
        Some("CTOC/COP/WG.4/2022/4".into())
    );
    let check = env.ok(&["check", "after.md"]);
    assert!(
        !check.stdout.contains("symbol-malformed"),
        "{}",
        check.stdout
    );
    assert!(!check.stdout.contains("label-gap"), "{}", check.stdout);
}

/// Marks that print as nothing (soft hyphens, zero-width characters, a
/// word joiner) and a footnote, which Word keeps apart from the text,
/// change nothing; no-break spaces are spaces. A Word draft of the same
/// text reads the same (`test_word.rs`, with pandoc).
#[test]
fn invisible_marks_and_footnotes_change_nothing() {
    let view = case_json("invisible-marks");
    assert!(items(&view).is_empty(), "{:#?}", items(&view));
    assert_eq!(view["summary"]["items_unchanged"], 37);
}

/// Two meetings whose symbols had been swapped, once corrected: two
/// symbol corrections, and not one word of any item changed (rules 4; they
/// were two meetings renamed, each with reworded recommendations).
#[test]
fn swapped_symbols_corrected_are_two_corrections_and_no_item_change() {
    let view = case_json("swapped-symbols");
    assert_summary(
        &view,
        &[("meetings_changed", 2), ("meetings_symbol_corrected", 2)],
    );
    assert!(items(&view).is_empty(), "{:#?}", items(&view));
    let corrected: Vec<(String, String)> = changed_meetings(&view)
        .iter()
        .map(|m| {
            (
                m["old_symbol"].as_str().unwrap_or_default().to_string(),
                m["symbol"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        corrected,
        [
            (
                "CTOC/COP/WG.7/2022/4".to_string(),
                "CTOC/COP/WG.4/2022/4".to_string()
            ),
            (
                "CTOC/COP/WG.4/2022/4".to_string(),
                "CTOC/COP/WG.7/2022/4".to_string()
            ),
        ]
    );
}

/// A split whose second part repeats the subject of the old text ("States
/// should consider cooperating with …" twice) is a split (rules 4; it was
/// a new observation beside a modified one), and read backwards a merge.
#[test]
fn a_split_repeating_the_subject_is_a_split() {
    let view = case_json("split-repeating-subject");
    assert_summary(
        &view,
        &[
            ("meetings_changed", 1),
            ("items_modified", 1),
            ("items_split", 1),
        ],
    );
    let env = case_env("split-repeating-subject");
    let back = env
        .ok(&["diff", "after.md", "before.md", "--format", "json"])
        .json();
    assert_eq!(back["summary"]["items_merged"], 1, "{}", back["summary"]);
    assert_eq!(back["summary"]["items_removed"], 0, "{}", back["summary"]);
}

/// A recommendation divided into parts labelled after it (`6` →
/// `6 (a)` and `6 (b)`) is a split of 6 (rules 4): the part that carries
/// most of its words keeps its id, the other is split off it; backwards, a
/// merge.
#[test]
fn a_divided_recommendation_is_a_split_of_it() {
    let view = case_json("divided-recommendation");
    assert_summary(
        &view,
        &[
            ("meetings_changed", 1),
            ("items_modified", 1),
            ("items_split", 1),
        ],
    );
    let all = items(&view);
    let split = all
        .iter()
        .find(|(_, i)| i["status"] == "split")
        .expect("a split part");
    assert_eq!(split.1["new_label"], "6 (a)");
    assert_eq!(split.1["split_from"], "CTOC/COP/WG.2/2023/4#6");
    let kept = all
        .iter()
        .find(|(_, i)| i["status"] == "modified")
        .expect("the part that keeps the id");
    assert_eq!(kept.1["id"], "CTOC/COP/WG.2/2023/4#6");
    assert_eq!(kept.1["new_label"], "6 (b)");
    let env = case_env("divided-recommendation");
    let back = env
        .ok(&["diff", "after.md", "before.md", "--format", "json"])
        .json();
    assert_eq!(back["summary"]["items_merged"], 1, "{}", back["summary"]);
    assert_eq!(back["summary"]["items_removed"], 0, "{}", back["summary"]);
}

/// A draft report's symbol (`…/L.1`) replaced by the final one is a symbol
/// correction of the same meeting: its items keep their ids, none changes.
#[test]
fn a_draft_symbol_replaced_by_the_final_one_is_a_correction() {
    let view = case_json("draft-symbol-replaced");
    assert_summary(
        &view,
        &[("meetings_changed", 1), ("meetings_symbol_corrected", 1)],
    );
    assert!(items(&view).is_empty(), "{:#?}", items(&view));
    let m = changed_meetings(&view);
    assert_eq!(m[0]["old_symbol"], "CTOC/COP/WG.6/2023/L.1");
    assert_eq!(m[0]["symbol"], "CTOC/COP/WG.6/2023/5");
}
