//! `livedoc trace`: the history of one item across editions, under its
//! permanent id, through renumbering, rewording, moves between meetings and
//! removal; items found by their text or by symbol and label in the
//! edition named; unknown items refused with a hint. The stores are those
//! of `common::stores` (e1, e2, e3).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::fixtures::diff_fixture;
use crate::common::json::blame_item;
use crate::common::stores::{
    NEW_WORDING, OLD_WORDING, REC3, REC4, UNTOUCHED, WG2, import_ok, renumbered_store, rev,
    three_edition_store,
};
use crate::common::{Output, TestEnv, replace_once};

/// Fields every trace entry has.
const TRACE_ENTRY_FIELDS: [&str; 12] = [
    "edition", "date", "status", "reason", "meeting", "label", "text", "changes", "commit", "tag",
    "cut_by", "cut_at",
];

/// `trace ARGS --format json`, checked against the contract; also returns
/// the output (for stderr).
#[track_caller]
fn trace_json(env: &TestEnv, args: &[&str]) -> (Value, Output) {
    let mut a = vec!["trace"];
    a.extend_from_slice(args);
    a.extend(["--format", "json"]);
    let out = env.run(&a);
    out.success();
    let v = out.json();
    assert_eq!(v["schema_version"], 2);
    assert!(v["id"].is_string(), "{v:#}");
    assert!(v["kind"].is_string(), "{v:#}");
    assert!(v["meeting_reads"].is_u64(), "{v:#}");
    let entries = v["entries"].as_array().expect("entries is a list");
    assert!(!entries.is_empty());
    for e in entries {
        for f in TRACE_ENTRY_FIELDS {
            assert!(e.get(f).is_some(), "no {f} in {e:#}");
        }
        let status = e["status"].as_str().expect("status");
        assert!(
            [
                "added",
                "unchanged",
                "modified",
                "renumbered",
                "moved",
                "removed"
            ]
            .contains(&status),
            "{status}"
        );
        assert!(e["label"].is_string() || e["label"].is_null());
        assert!(e["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(e["changes"].is_array());
        assert_eq!(e["commit"].as_str().map(str::len), Some(40), "{e:#}");
    }
    (v, out)
}

fn column<'a>(v: &'a Value, field: &str) -> Vec<Option<&'a str>> {
    v["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e[field].as_str())
        .collect()
}

fn statuses(v: &Value) -> Vec<&str> {
    column(v, "status").into_iter().flatten().collect()
}

fn notes(out: &Output) -> Vec<&str> {
    out.stderr
        .lines()
        .filter(|l| l.starts_with("note: "))
        .collect()
}

/// e1, e2, and e3m: e2 with the (still labelled 5) recommendation reworded.
fn reworded_store() -> TestEnv {
    let env = renumbered_store();
    let after = String::from_utf8(diff_fixture("renumbered-items", "after.md")).expect("UTF-8");
    let reworded = replace_once(&after, OLD_WORDING, NEW_WORDING);
    let file = env.write("reworded/after.md", reworded);
    env.ok(&["import", &file, "--edition", "e3m"]);
    env
}

#[test]
fn trace_follows_a_renumbered_item_under_one_id() {
    let env = renumbered_store();
    // The permanent id now means something else as a label: the name
    // alone is ambiguous (it used to resolve to the id with a note), and
    // the error lists both and the flags that pick one.
    let ambiguous = env.run(&["trace", REC4]);
    ambiguous.failure();
    assert!(
        ambiguous.stderr.contains(&format!("{REC4} is ambiguous"))
            && ambiguous.stderr.contains(REC3),
        "{}",
        ambiguous.stderr
    );
    assert!(ambiguous.hint().contains("--id"), "{}", ambiguous.stderr);
    let (v, out) = trace_json(&env, &[REC4, "--id"]);
    assert_eq!(v["id"], REC4);
    assert_eq!(v["kind"], "recommendation");
    assert_eq!(statuses(&v), ["added", "renumbered"]);
    assert_eq!(column(&v, "label"), [Some("4"), Some("5")]);
    assert_eq!(column(&v, "edition"), [Some("e1"), Some("e2")]);
    assert_eq!(column(&v, "meeting"), [Some(WG2), Some(WG2)]);
    for e in v["entries"].as_array().expect("entries") {
        let id = e["edition"].as_str().expect("edition");
        assert_eq!(e["commit"], rev(&env, &format!("edition/{id}^{{commit}}")));
        assert_eq!(e["tag"], format!("edition/{id}"));
        assert_eq!(
            e["tag_object"],
            rev(&env, &format!("refs/tags/edition/{id}"))
        );
        assert!(e["text"].as_str().expect("text").starts_with(OLD_WORDING));
        assert_eq!(e["changes"], serde_json::json!([]));
        assert_eq!(e["cut_by"], crate::common::AUTHOR);
        assert_eq!(e["cut_at"], crate::common::CUT_AT);
    }
    assert_eq!(column(&v, "date"), [Some("2024-04"), Some("2025-03")]);
    assert_eq!(notes(&out), Vec::<&str>::new());
    let (v, _) = trace_json(&env, &[REC4, "--in", "latest"]);
    assert_eq!(v["id"], REC3, "--in reads the label");
    // SYMBOL#LABEL as printed in the newest edition, where 8 was never an id.
    let (v, out) = trace_json(&env, &["CTOC/COP/WG.2/2023/4#8"]);
    assert_eq!(v["id"], "CTOC/COP/WG.2/2023/4#7");
    assert_eq!(notes(&out), Vec::<&str>::new());

    // e3 relabels it 4 again and rewords it in the same edition: it keeps
    // its id (rule 2b, its neighbours renumbered with it), and the note
    // is gone, since label 4 means it again.
    import_ok(&env, "modified-recommendation", "after.md", "e3", &[]);
    let (v, out) = trace_json(&env, &[REC4]);
    assert_eq!(v["id"], REC4);
    assert_eq!(statuses(&v), ["added", "renumbered", "modified"]);
    assert_eq!(column(&v, "label"), [Some("4"), Some("5"), Some("4")]);
    assert_eq!(v["entries"][2]["reason"], "similar_text_other_label");
    assert_eq!(notes(&out), Vec::<&str>::new());
    assert!(
        v["entries"][2]["text"]
            .as_str()
            .expect("text")
            .starts_with(NEW_WORDING)
    );
    // No new item was minted for the reworded text.
    let out = env.run(&["trace", "CTOC/COP/WG.2/2023/4#4~2"]);
    out.failure();
}

#[test]
fn trace_follows_a_renumbered_then_reworded_item() {
    let env = reworded_store();
    let (v, _) = trace_json(&env, &[REC4, "--id"]);
    assert_eq!(statuses(&v), ["added", "renumbered", "modified"]);
    assert_eq!(column(&v, "label"), [Some("4"), Some("5"), Some("5")]);
    let last = &v["entries"][2];
    assert_eq!(last["edition"], "e3m");
    assert!(
        last["text"]
            .as_str()
            .expect("text")
            .starts_with(NEW_WORDING)
    );
    let changes = last["changes"].as_array().expect("changes");
    assert!(!changes.is_empty(), "a modification shows its word changes");
    assert_eq!(v["entries"][1]["changes"], serde_json::json!([]));
    let out = env.ok(&["trace", REC4, "--id"]);
    assert!(
        out.stdout.contains("[-should-]{+are encouraged to+}"),
        "{}",
        out.stdout
    );
    insta::assert_snapshot!("trace_text", env.snapshot(&out));

    // Blame agrees: introduced in e1, last changed (reworded) in e3m.
    let b = env.ok(&["blame", "--format", "json"]).json();
    let line = blame_item(&b, REC4);
    assert_eq!(
        (
            &line["introduced"],
            &line["last_changed"],
            &line["last_change"]
        ),
        (&"e1".into(), &"e3m".into(), &"modified".into())
    );
}

#[test]
fn trace_finds_items_by_their_text() {
    let env = three_edition_store();
    // Newest edition first: the new wording is the same item ...
    let (v, _) = trace_json(&env, &["--text", "revmod"]);
    assert_eq!(v["id"], REC4);
    // ... and the old wording, gone from e3, is found in e2: the same one.
    let (v, _) = trace_json(&env, &["--text", OLD_WORDING]);
    assert_eq!(v["id"], REC4);
    // Case and spacing are ignored.
    let (v, _) = trace_json(
        &env,
        &[
            "--text",
            "  ARE   encouraged to consider providing EXTRABUDGETARY",
        ],
    );
    assert_eq!(v["id"], REC4);

    // Ambiguous: exit 2, and the hint lists every candidate.
    let out = env.run(&["trace", "--text", "States parties"]);
    out.failure();
    let error = out.error_lines()[0];
    let count: usize = error
        .strip_prefix("error: ")
        .and_then(|e| e.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{error}"));
    assert!(
        error.ends_with("items contain \"States parties\""),
        "{error}"
    );
    let ids: Vec<&str> = out
        .hint()
        .strip_prefix("hint: trace one of them by its id: ")
        .unwrap_or_else(|| panic!("{}", out.stderr))
        .split(", ")
        .collect();
    assert!(count > 1);
    assert_eq!(ids.len(), count, "{}", out.stderr);
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), count);
    assert!(ids.contains(&"CTOC/COP/WG.6/2023/5#18"), "{ids:?}");
    for id in ids {
        let (v, _) = trace_json(&env, &[id]);
        let last = v["entries"]
            .as_array()
            .expect("entries")
            .last()
            .expect("one");
        assert_eq!(last["edition"], "e3", "{id} is not in the newest edition");
        assert!(
            last["text"]
                .as_str()
                .expect("text")
                .to_lowercase()
                .contains("states parties"),
            "{id}"
        );
    }

    let out = env.run(&["trace", "--text", "no such words anywhere"]);
    out.failure();
    assert_eq!(
        out.error_lines(),
        ["error: no item's text contains \"no such words anywhere\""]
    );
    out.hint();
}

#[test]
fn trace_reads_symbol_and_label_in_the_edition_named() {
    let env = three_edition_store();
    // Label 4 of WG.2: in e1 the "RevMod" recommendation, in e2 the old
    // Recommendation 3, in e3 the "RevMod" one again, reworded.
    for (edition, id) in [("e1", REC4), ("e2", REC3), ("e3", REC4), ("latest", REC4)] {
        let (v, out) = trace_json(&env, &["CTOC/COP/WG.2/2023/4#4", "--in", edition]);
        assert_eq!(v["id"], id, "--in {edition}");
        assert_eq!(notes(&out), Vec::<&str>::new(), "--in means the label");
        let entries = v["entries"].as_array().expect("entries");
        if edition.starts_with('e') {
            let there = entries
                .iter()
                .find(|e| e["edition"] == edition)
                .unwrap_or_else(|| panic!("{id} has no entry in {edition}"));
            assert_eq!(there["label"], "4", "{id} in {edition}");
        }
    }
    // Label 8 exists only in e2.
    let (v, _) = trace_json(&env, &["CTOC/COP/WG.2/2023/4#8", "--in", "e2"]);
    assert_eq!(v["id"], "CTOC/COP/WG.2/2023/4#7");
    let out = env.run(&["trace", "CTOC/COP/WG.2/2023/4#8", "--in", "e1"]);
    out.failure();
    assert_eq!(
        out.error_lines(),
        ["error: no item CTOC/COP/WG.2/2023/4#8 in edition e1 in the store"]
    );
    out.hint();
    let out = env.run(&["trace", REC4, "--in", "e9"]);
    out.failure();
    assert!(out.hint().contains("e1, e2, e3"), "{}", out.stderr);
    // An unchanged item's permanent id is its label everywhere: no note.
    let (v, out) = trace_json(&env, &[UNTOUCHED]);
    assert_eq!(statuses(&v), ["added", "unchanged", "unchanged"]);
    assert_eq!(notes(&out), Vec::<&str>::new());
}

#[test]
fn trace_follows_a_moved_item() {
    let env = TestEnv::new();
    import_ok(&env, "moved-item", "before.md", "m1", &[]);
    import_ok(&env, "moved-item", "after.md", "m2", &[]);
    let moved = "CTOC/COP/WG.6/2023/5#18";
    let (v, out) = trace_json(&env, &[moved]);
    assert_eq!(v["id"], moved);
    assert_eq!(statuses(&v), ["added", "moved"]);
    assert_eq!(
        column(&v, "meeting"),
        [Some("CTOC/COP/WG.6/2023/5"), Some(WG2)]
    );
    assert_eq!(column(&v, "label"), [Some("18"), Some("8")]);
    assert_eq!(notes(&out), Vec::<&str>::new());
    // Its label in the newest edition names the same item.
    let (v, _) = trace_json(&env, &["CTOC/COP/WG.2/2023/4#8"]);
    assert_eq!(v["id"], moved);
    let text = env.ok(&["trace", moved]);
    assert!(
        text.stdout.lines().any(|l| l.starts_with("m2 ")
            && l.contains("moved")
            && l.contains("Recommendation 8 ")
            && l.ends_with(&format!("  in {WG2}"))),
        "{}",
        text.stdout
    );
    // The meeting its id names is not repeated on every line.
    assert!(
        text.stdout
            .lines()
            .any(|l| l.starts_with("m1 ") && l.ends_with("Recommendation 18")),
        "{}",
        text.stdout
    );
}

#[test]
fn trace_ends_with_removed_for_a_removed_item() {
    let env = TestEnv::new();
    import_ok(&env, "removed-observation", "before.md", "r1", &[]);
    import_ok(&env, "removed-observation", "after.md", "r2", &[]);
    // Found in the older edition, as the newest no longer has it.
    let (v, _) = trace_json(&env, &["--text", "balance between data protection"]);
    let id = v["id"].as_str().expect("item").to_string();
    assert!(
        id.starts_with("B/2023/constructive-dialogue-on-international-cooperation#o"),
        "{id}"
    );
    assert_eq!(v["kind"], "observation");
    assert_eq!(statuses(&v), ["added", "removed"]);
    let last = &v["entries"][1];
    assert_eq!(last["edition"], "r2");
    assert!(
        last["text"]
            .as_str()
            .expect("text")
            .contains("balance between data protection")
    );
    let (by_id, _) = trace_json(&env, &[&id]);
    assert_eq!(by_id, v);
    // Blame of the newest edition no longer lists it.
    let b = env.ok(&["blame", "--format", "json"]).json();
    assert!(
        !b["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["id"] == id.as_str()),
        "{id} is blamed after its removal"
    );
}

#[test]
fn trace_of_an_unknown_item_exits_2_with_a_hint() {
    let env = renumbered_store();
    for item in ["CTOC/COP/WG.2/2023/4#99", "NO/SUCH/SYMBOL#1", "nothing"] {
        let out = env.run(&["trace", item]);
        out.failure();
        assert_eq!(out.stdout, "");
        assert_eq!(
            out.error_lines(),
            [format!("error: no item {item} in the store")]
        );
        assert!(out.hint().contains("--text"), "{}", out.stderr);
    }
    let out = TestEnv::new().run(&["trace", REC4]);
    out.failure();
    assert!(out.hint().contains("import"), "{}", out.stderr);
}

/// The README's store: the published edition and the draft after it, whose
/// ids differ in length.
fn readme_store() -> TestEnv {
    let env = TestEnv::new();
    env.import_real();
    let file = env.copy_synthetic();
    env.ok(&["import", &file, "--edition", "draft-next-edition"]);
    env
}

/// The lines of a text trace that begin an entry (an edition's id first).
fn entry_lines<'a>(out: &'a str, editions: &[&str]) -> Vec<&'a str> {
    out.lines()
        .filter(|l| editions.iter().any(|e| l.starts_with(&format!("{e} "))))
        .collect()
}

/// Issue 30: `trace` named an observation "Observation", where `diff` and
/// `blame` say "Observation 1" (its position in the meeting).
#[test]
fn trace_names_an_observation_by_its_position() {
    let env = readme_store();
    let id = "B/2023/constructive-dialogue-on-trafficking-in-persons#o1";
    let out = env.ok(&["trace", id]).stdout;
    let entries = entry_lines(&out, &["2024-04", "draft-next-edition"]);
    assert_eq!(entries.len(), 2, "{out}");
    for e in &entries {
        assert!(e.ends_with("Observation 1"), "{e:?}\n{out}");
    }
    let blame = env.ok(&["blame"]).stdout;
    assert!(
        blame
            .lines()
            .any(|l| l.contains("Observation 1 ") && l.contains(id)),
        "{blame}"
    );
}

/// An observation after one that was removed moves up a place: trace
/// names it by its new position in that edition, as blame does, though
/// its own text did not change.
#[test]
fn trace_follows_an_observation_moved_up_by_a_removal() {
    let env = crate::common::diff::three_editions();
    let (removed, _) = trace_json(&env, &["--text", "balance between data protection"]);
    let removed = removed["id"].as_str().expect("id").to_string();
    let (meeting, n) = removed.rsplit_once("#o").expect("an observation id");
    let n: usize = n.parse().expect("a number");
    let next = format!("{meeting}#o{}", n + 1);
    let out = env.ok(&["trace", &next]).stdout;
    let entries = entry_lines(&out, &["2024-04", "2025-03", "2025-06"]);
    assert_eq!(entries.len(), 3, "{out}");
    assert!(
        entries[1].ends_with(&format!("Observation {}", n + 1)),
        "{out}"
    );
    assert!(entries[2].contains("unchanged"), "{out}");
    assert!(entries[2].ends_with(&format!("Observation {n}")), "{out}");
    let blame = env.ok(&["blame"]).stdout;
    assert!(
        blame
            .lines()
            .any(|l| l.contains(&format!("Observation {n} ")) && l.ends_with(&next)),
        "{blame}"
    );
}

/// Issue 30: a trace line was about 230 columns (commit, tag, who cut the
/// edition with their address, and when, after the status); and its
/// columns were padded by bytes, so colour shifted them.
#[test]
fn trace_lines_stay_narrow_and_aligned_with_provenance_below() {
    let env = readme_store();
    for id in [
        UNTOUCHED,
        "B/2023/constructive-dialogue-on-trafficking-in-persons#o1",
    ] {
        let out = env.ok(&["trace", id]).stdout;
        let lines: Vec<&str> = out.lines().collect();
        let entries = entry_lines(&out, &["2024-04", "draft-next-edition"]);
        assert_eq!(entries.len(), 2, "{out}");
        // The date and the status start at the same columns on each line.
        let date = entries[1].find("March 2025").expect("the date");
        let status = entries[1].find("unchanged").expect("the status");
        assert!(entries[0][date..].starts_with("April 2024"), "{out}");
        assert!(entries[0][status..].starts_with("added"), "{out}");
        for (n, line) in lines.iter().enumerate() {
            if !entries.contains(line) {
                continue;
            }
            assert!(
                crate::test_blame::columns(line) <= 100,
                "{line:?} is {} columns",
                crate::test_blame::columns(line)
            );
            // Where the edition came from, on the line below, short.
            let below = lines.get(n + 1).expect("a provenance line");
            assert!(
                below.trim_start().starts_with("commit ")
                    && below.contains(", tag ")
                    && below.ends_with(", cut by Test Secretariat on 2024-04-24"),
                "{below:?}"
            );
            assert!(crate::test_blame::columns(below) <= 100, "{below:?}");
            assert!(!line.contains("commit"), "{line:?}");
        }
        crate::test_blame::assert_colour_keeps_columns(&env, &["trace", id]);
    }
}
