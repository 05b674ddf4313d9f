//! Pairing overrides, the secretariat's decisions in `DRAFT.pairs.toml`
//! (or the file `--pairs` names): `[[same]]` pairs an observation reworded
//! beyond recognition, `[[different]]` splits a pair the matcher would
//! make. `diff`, `import --dry-run` and `import` read them; the import
//! records them, stored diffs follow them, and `verify` re-applies them.
//! Entries naming no item, syntax errors and contradictions are refused
//! with file and line, and nothing is written.
//!
//! The drafts are derived in the tests from the synthetic
//! `removed-observation` fixture, each change spelled out with
//! `replace_once`.

use serde_json::{Value, json};

use crate::common::contracts::assert_contract;
use crate::common::diff::{listed, listed_item};
use crate::common::fixtures::{diff_fixture_text, pairs_toml};
use crate::common::json::{list, shown_items};
use crate::common::stores::edition_record;
use crate::common::{TestEnv, line_of, replace_once};

/// `(status, id, reason)` triples as [`listed`] gives them.
fn triples(v: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    v.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

/// The dialogue whose observations the override tests reword.
const IC: &str = "B/2023/constructive-dialogue-on-international-cooperation";
/// Its third observation, and a rewording the matcher cannot recognise.
const IC_O3: &str = "States and the international community should pay attention to the balance between data protection and the need for evidence in criminal investigations and should carefully examine the role of artificial intelligence in international cooperation.";
const IC_O3_REWRITTEN: &str = "Member States ought to weigh privacy safeguards against evidentiary needs when machine learning tools are deployed across borders.";
/// The start of its second observation, and a light rewording of it.
const IC_O2: &str = "States should strengthen capacity-building in international cooperation";
const IC_O2_REWORDED: &str =
    "States should further strengthen capacity-building in international cooperation";

fn ic(n: &str) -> String {
    format!("{IC}#{n}")
}

/// A store holding `removed-observation/before.md` as edition e1.
fn overrides_env() -> TestEnv {
    let env = TestEnv::new();
    env.write(
        "e1.md",
        diff_fixture_text("removed-observation", "before.md"),
    );
    env.ok(&["import", "e1.md"]);
    env
}

/// Writes the draft `e2.md`: e1 dated March 2025, with `old` replaced by
/// `new`.
fn write_draft(env: &TestEnv, old: &str, new: &str) {
    let before = diff_fixture_text("removed-observation", "before.md");
    let text = replace_once(&before, "Vienna, April 2024", "Vienna, March 2025");
    env.write("e2.md", replace_once(&text, old, new));
}

#[test]
fn a_same_override_pairs_an_observation_reworded_beyond_recognition() {
    let env = overrides_env();
    write_draft(&env, IC_O3, IC_O3_REWRITTEN);

    // The matcher alone: one observation removed, an unrelated one added.
    let view = env
        .ok(&["diff", "latest", "e2.md", "--format", "json"])
        .json();
    assert_contract(&view);
    assert_eq!(
        listed(&view),
        triples(&[
            ("added", &ic("o6"), "no_counterpart"),
            ("removed", &ic("o3"), "no_counterpart"),
        ])
    );

    // The secretariat says they are the same observation.
    env.write(
        "e2.pairs.toml",
        pairs_toml(&[("same", &ic("o3"), &ic("o3"))]),
    );
    let view = env
        .ok(&["diff", "latest", "e2.md", "--format", "json"])
        .json();
    assert_contract(&view);
    assert_eq!(
        listed(&view),
        triples(&[("modified", &ic("o3"), "override")])
    );
    let item = listed_item(&view, &ic("o3"));
    assert_eq!(item["old_text"], IC_O3);
    assert_eq!(item["new_text"], IC_O3_REWRITTEN);
    assert_eq!(item["reason_text"], "pairing confirmed by the secretariat");
    let text = env.ok(&["diff", "latest", "e2.md"]);
    assert!(
        text.stdout.contains(
            "~ Observation 3 modified (pairing confirmed by the secretariat, similarity 0.08)"
        ),
        "{}",
        text.stdout
    );
    insta::assert_snapshot!("override_same_preview", env.snapshot(&text));

    // The dry run shows it and writes nothing.
    let before = env.refs_and_objects();
    let dry = env.ok(&["import", "e2.md", "--dry-run"]);
    assert!(
        dry.stdout
            .contains("It adds no meetings and no items.\nIt also modifies 1 item.\n")
            && dry
                .stdout
                .contains("(pairing confirmed by the secretariat, similarity 0.08)"),
        "{}",
        dry.stdout
    );
    assert_eq!(env.refs_and_objects(), before, "the dry run wrote");

    // The import records the decision and carries the permanent id.
    let out = env.ok(&["import", "e2.md"]);
    assert!(
        out.stdout.contains("It also modifies 1 item."),
        "{}",
        out.stdout
    );
    assert_eq!(
        edition_record(&env, "e2")["provenance"]["overrides"],
        json!([{ "kind": "same", "old": ic("o3"), "new": ic("o3") }])
    );
    let pairings: Value = serde_json::from_str(&env.git_ok(&["show", "edition/e2:pairings.json"]))
        .expect("pairings.json is JSON");
    let recorded: Vec<(&Value, &Value)> = list(&pairings["items"], "items")
        .iter()
        .map(|i| (&i["id"], &i["reason"]))
        .collect();
    assert_eq!(recorded, [(&json!(ic("o3")), &json!("override"))]);
    let items = shown_items(&env.show_json("e2"), "B", IC);
    assert_eq!(items.len(), 5);
    assert_eq!(items[2], (ic("o3"), IC_O3_REWRITTEN.to_string()));
    assert!(!items.iter().any(|(id, _)| id == &ic("o6")), "{items:?}");

    // verify re-imports the source with the recorded decision.
    let verify = env.ok(&["verify"]);
    assert!(
        verify.stdout.contains("everything holds"),
        "{}",
        verify.stdout
    );
}

#[test]
fn a_different_override_splits_a_pair_the_matcher_would_make() {
    let env = overrides_env();
    write_draft(&env, IC_O2, IC_O2_REWORDED);

    let view = env
        .ok(&["diff", "latest", "e2.md", "--format", "json"])
        .json();
    assert_eq!(
        listed(&view),
        triples(&[("modified", &ic("o2"), "similar_text")])
    );

    env.write(
        "e2.pairs.toml",
        pairs_toml(&[("different", &ic("o2"), &ic("o2"))]),
    );
    let view = env
        .ok(&["diff", "latest", "e2.md", "--format", "json"])
        .json();
    assert_contract(&view);
    assert_eq!(
        listed(&view),
        triples(&[
            ("added", &ic("o6"), "no_counterpart"),
            ("removed", &ic("o2"), "no_counterpart"),
        ])
    );

    let before = env.refs_and_objects();
    let dry = env.ok(&["import", "e2.md", "--dry-run"]);
    assert!(
        dry.stdout.contains("It adds 1 observation:")
            && dry.stdout.contains("It also removes 1 item."),
        "{}",
        dry.stdout
    );
    assert_eq!(env.refs_and_objects(), before, "the dry run wrote");

    env.ok(&["import", "e2.md"]);
    assert_eq!(
        edition_record(&env, "e2")["provenance"]["overrides"],
        json!([{ "kind": "different", "old": ic("o2"), "new": ic("o2") }])
    );
    let ids: Vec<String> = shown_items(&env.show_json("e2"), "B", IC)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids, [ic("o1"), ic("o6"), ic("o3"), ic("o4"), ic("o5")]);
    // verify pairs the source again as recorded (without the override the
    // matcher would carry o2 and the ids would not match).
    env.ok(&["verify"]);
}

/// The three commands that read a draft's overrides.
/// Every command that reads a draft with its overrides: `check` too
/// (issue 30: it did not look the names up, and import then refused them).
const READERS: [&[&str]; 4] = [
    &["check", "e2.md"],
    &["diff", "latest", "e2.md"],
    &["import", "e2.md", "--dry-run"],
    &["import", "e2.md"],
];

#[test]
fn overrides_naming_nothing_are_refused_with_file_and_line() {
    let env = overrides_env();
    write_draft(&env, IC_O3, IC_O3_REWRITTEN);
    env.write(
        "e2.pairs.toml",
        pairs_toml(&[
            ("same", &ic("o9"), &ic("o3")),
            ("different", &ic("o2"), "CTOC/COP/WG.9/2023/1#1"),
        ]),
    );
    let before = env.refs_and_objects();
    for args in READERS {
        let out = env.run(args);
        out.failure();
        assert_eq!(out.stdout, "", "{args:?}");
        let errors = out.error_lines();
        assert_eq!(errors.len(), 2, "{args:?}:\n{}", out.stderr);
        assert_eq!(
            errors[0],
            format!(
                "error: e2.pairs.toml:4: old = \"{}\" names no item of the previous edition (e1)",
                ic("o9")
            )
        );
        // The second entry spans lines 7–9; its `new` is on line 9 (see
        // the ignored test below for the exact line).
        let second = errors[1];
        assert!(
            (second.starts_with("error: e2.pairs.toml:8: ")
                || second.starts_with("error: e2.pairs.toml:9: "))
                && second.ends_with("new = \"CTOC/COP/WG.9/2023/1#1\" names no item of the draft"),
            "{second}"
        );
        assert!(
            out.hint().contains("livedoc show latest --format json"),
            "{}",
            out.stderr
        );
        assert_eq!(
            env.refs_and_objects(),
            before,
            "{args:?}: the store changed"
        );
    }
    assert_eq!(env.log_ids(), ["e1"]);
}

#[test]
fn a_syntax_error_in_the_overrides_is_refused_with_file_and_line() {
    let env = overrides_env();
    write_draft(&env, IC_O3, IC_O3_REWRITTEN);
    let good = pairs_toml(&[("same", &ic("o3"), &ic("o3"))]);
    let unterminated = format!("{good}\n[[different]]\nold = \"{}\nnew = \"x\"\n", ic("o2"));
    let misspelt = format!(
        "{good}\n[[different]]\nold = \"{}\"\nnwe = \"x\"\n",
        ic("o2")
    );
    let before = env.refs_and_objects();
    for (text, line, what) in [
        (unterminated, 8, "invalid basic string"),
        (misspelt, 9, "unknown field `nwe`"),
    ] {
        assert_eq!(line_of(&text, "[[different]]") + 1, 8);
        env.write("e2.pairs.toml", &text);
        for args in READERS {
            let out = env.run(args);
            out.failure();
            let first = out.error_lines()[0];
            assert!(
                first.starts_with(&format!(
                    "error: e2.pairs.toml:{line}: the pairing overrides do not parse: "
                )) && first.contains(what),
                "{args:?}: {first}"
            );
            assert_eq!(
                out.hint(),
                "hint: each entry is [[same]] or [[different]] with old = \"…\" and new = \"…\""
            );
            assert_eq!(
                env.refs_and_objects(),
                before,
                "{args:?}: the store changed"
            );
        }
    }
}

#[test]
fn pairs_given_explicitly_replace_the_file_beside_the_draft() {
    let env = overrides_env();
    write_draft(&env, IC_O3, IC_O3_REWRITTEN);
    // The file beside the draft is broken; it is read unless --pairs names
    // another.
    env.write("e2.pairs.toml", "[[same]\n");
    env.write(
        "decisions/e2.toml",
        pairs_toml(&[("same", &ic("o3"), &ic("o3"))]),
    );
    env.write(
        "decisions/bad.toml",
        pairs_toml(&[("same", &ic("o9"), &ic("o3"))]),
    );
    let before = env.refs_and_objects();

    let beside = env.run(&["import", "e2.md", "--dry-run"]);
    beside.failure();
    assert!(
        beside.error_lines()[0].starts_with("error: e2.pairs.toml:1: "),
        "{}",
        beside.stderr
    );

    let dry = env.ok(&[
        "import",
        "e2.md",
        "--dry-run",
        "--pairs",
        "decisions/e2.toml",
    ]);
    assert!(
        dry.stdout.contains("(pairing confirmed by the secretariat"),
        "{}",
        dry.stdout
    );

    let bad = env.run(&["import", "e2.md", "--pairs", "decisions/bad.toml"]);
    bad.failure();
    assert!(
        bad.error_lines()[0].starts_with("error: decisions/bad.toml:4: old = "),
        "{}",
        bad.stderr
    );
    let missing = env.run(&["import", "e2.md", "--pairs", "decisions/missing.toml"]);
    missing.failure();
    assert!(
        missing.error_lines()[0].starts_with("error: cannot read decisions/missing.toml: "),
        "{}",
        missing.stderr
    );
    let dir = env.run(&["import", ".", "--pairs", "decisions/e2.toml"]);
    dir.failure();
    assert!(
        dir.stderr.contains("apply to a single file"),
        "{}",
        dir.stderr
    );
    assert_eq!(env.refs_and_objects(), before, "a refused command wrote");

    env.ok(&["import", "e2.md", "--pairs", "decisions/e2.toml"]);
    assert_eq!(
        edition_record(&env, "e2")["provenance"]["overrides"],
        json!([{ "kind": "same", "old": ic("o3"), "new": ic("o3") }])
    );
    // verify re-applies the recorded decision, whatever lies beside the
    // draft.
    env.ok(&["verify"]);
}

// ---------------------------------------------------------------------------
// Regressions: bugs in src/ that these tests found, now fixed.

#[test]
fn bug_override_error_about_new_names_the_line_of_new() {
    let env = overrides_env();
    write_draft(&env, IC_O3, IC_O3_REWRITTEN);
    env.write(
        "e2.pairs.toml",
        pairs_toml(&[("same", &ic("o3"), "CTOC/COP/WG.9/2023/1#1")]),
    );
    let out = env.run(&["diff", "latest", "e2.md"]);
    out.failure();
    // `new = …` is on line 5; livedoc says line 4 (that of `old`).
    assert_eq!(
        out.error_lines(),
        ["error: e2.pairs.toml:5: new = \"CTOC/COP/WG.9/2023/1#1\" names no item of the draft"]
    );
}

#[test]
fn bug_contradictory_overrides_are_refused() {
    let env = overrides_env();
    write_draft(&env, IC_O2, IC_O2_REWORDED);
    let before = env.refs_and_objects();
    for entries in [
        // The same pair declared both the same and different: `same` wins.
        [
            ("same", ic("o2"), ic("o2")),
            ("different", ic("o2"), ic("o2")),
        ],
        // One old item declared the same as two new ones: the second is dropped.
        [("same", ic("o1"), ic("o2")), ("same", ic("o1"), ic("o4"))],
    ] {
        let entries: Vec<(&str, &str, &str)> = entries
            .iter()
            .map(|(k, o, n)| (*k, o.as_str(), n.as_str()))
            .collect();
        env.write("e2.pairs.toml", pairs_toml(&entries));
        let out = env.run(&["import", "e2.md"]);
        out.failure();
        assert!(
            out.error_lines()[0].starts_with("error: e2.pairs.toml:8: "),
            "{}",
            out.stderr
        );
        assert_eq!(env.refs_and_objects(), before);
    }
}

#[test]
fn bug_override_pairing_a_recommendation_with_an_observation_is_refused() {
    let env = overrides_env();
    write_draft(&env, IC_O2, IC_O2_REWORDED);
    env.write(
        "e2.pairs.toml",
        pairs_toml(&[("same", "CTOC/COP/WG.2/2023/4#4", &ic("o2"))]),
    );
    // livedoc accepts it: Recommendation 4 of CTOC/COP/WG.2/2023/4 is
    // reported as "Observation 4 moved to Constructive Dialogue on
    // International Cooperation", the observation takes the id
    // CTOC/COP/WG.2/2023/4#4, and the unchanged Recommendation 4 of the
    // draft becomes a new item CTOC/COP/WG.2/2023/4#4~2.
    let out = env.run(&["diff", "latest", "e2.md"]);
    out.failure();
    assert!(
        out.error_lines()[0].starts_with("error: e2.pairs.toml:4: "),
        "{}",
        out.stderr
    );
}

#[test]
fn bug_stored_diff_follows_the_recorded_overrides() {
    // [[same]]: pairings.json records reason "override"; `diff e1 e2` (and
    // so `changelog` and `whatsnew`) says "similar_text" at similarity
    // 0.077, far below the 0.6 that rule needs.
    let env = overrides_env();
    write_draft(&env, IC_O3, IC_O3_REWRITTEN);
    env.write(
        "e2.pairs.toml",
        pairs_toml(&[("same", &ic("o3"), &ic("o3"))]),
    );
    let files = env
        .ok(&["diff", "e1.md", "e2.md", "--format", "json"])
        .json();
    assert_eq!(
        listed(&files),
        triples(&[("modified", &ic("o3"), "override")])
    );
    env.ok(&["import", "e2.md"]);
    let stored = env.ok(&["diff", "e1", "e2", "--format", "json"]).json();
    let changelog = env.ok(&["changelog", "--format", "json"]).json();
    assert_eq!(listed(&stored), listed(&files), "diff e1 e2");
    assert_eq!(
        listed(&changelog["editions"][0]),
        listed(&files),
        "changelog"
    );

    // [[different]]: e2 holds the reworded observation under a new id
    // (o6) and o2 is retired, yet `diff e1 e2` reports "o2 modified
    // (similar_text)", the very pairing the secretariat forbade.
    let env = overrides_env();
    write_draft(&env, IC_O2, IC_O2_REWORDED);
    env.write(
        "e2.pairs.toml",
        pairs_toml(&[("different", &ic("o2"), &ic("o2"))]),
    );
    let files = env
        .ok(&["diff", "e1.md", "e2.md", "--format", "json"])
        .json();
    let apart = triples(&[
        ("added", &ic("o6"), "no_counterpart"),
        ("removed", &ic("o2"), "no_counterpart"),
    ]);
    assert_eq!(listed(&files), apart);
    env.ok(&["import", "e2.md"]);
    let stored = env.ok(&["diff", "e1", "e2", "--format", "json"]).json();
    assert_eq!(listed(&stored), apart, "diff e1 e2");
}

#[test]
fn bug_a_refused_first_import_creates_no_store() {
    let env = TestEnv::new();
    write_draft(&env, IC_O3, IC_O3_REWRITTEN);
    env.write(
        "e2.pairs.toml",
        pairs_toml(&[("same", &ic("o3"), &ic("o3"))]),
    );
    let out = env.run(&["import", "e2.md"]);
    out.failure();
    // The message reads "… names no item of the previous edition ()".
    assert!(!env.store().exists(), "{}", out.stderr);
}
