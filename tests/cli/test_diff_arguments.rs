//! What `livedoc diff` compares and how it is asked: stored editions and
//! the files they came from give the same report; the defaults (the newest
//! edition and the one before), `latest~N`, edition ids and files in any
//! order; two files need no store and create none; `--stat`;
//! `--exit-code`; and bad arguments refused with exit 2, an error and a
//! hint, writing nothing.

use serde_json::Value;

use crate::common::TestEnv;
use crate::common::contracts::assert_contract;
use crate::common::diff::{
    REMOVED_OBSERVATION, assert_summary, case_env, cases, changed_meetings, changes, diff_files,
    items, three_editions,
};

/// A report without its `from` and `to` names.
fn without_names(mut v: Value) -> Value {
    let obj = v.as_object_mut().expect("a report is an object");
    obj.remove("from").expect("from");
    obj.remove("to").expect("to");
    v
}

#[test]
fn stored_editions_and_files_give_the_same_report() {
    for case in cases() {
        let env = case_env(&case);
        env.ok(&["import", "before.md"]);
        env.ok(&["import", "after.md"]);
        assert_eq!(env.log_ids(), ["after", "before"], "{case}");

        let stored = env.ok(&["diff", "--format", "json"]).json();
        assert_contract(&stored);
        assert_eq!(
            (&stored["from"], &stored["to"]),
            (&"before".into(), &"after".into())
        );
        let named = env
            .ok(&["diff", "before", "after", "--format", "json"])
            .json();
        assert_eq!(named, stored, "{case}: diff before after");

        let files = diff_files(&env, &["--format", "json"]).success().json();
        assert_eq!(
            (&files["from"], &files["to"]),
            (&"before.md".into(), &"after.md".into())
        );
        assert_eq!(without_names(stored), without_names(files), "{case}");
    }
}

#[test]
fn diff_defaults_to_the_newest_edition_and_the_one_before() {
    let env = three_editions();
    let default = env.ok(&["diff"]);
    assert!(
        default
            .stdout
            .starts_with("diff 2025-03 (March 2025) → 2025-06 (June 2025)\n"),
        "{}",
        default.stdout
    );
    assert!(
        default.stdout.contains("Recommendation 19 modified"),
        "{}",
        default.stdout
    );
    // One edition alone: what that edition changed, as `git show` does.
    for args in [
        &["diff", "latest~1", "latest"][..],
        &["diff", "latest"],
        &["diff", "2025-06"],
        &["diff", "2025-03", "2025-06"],
        &["diff", "2025-03", "latest"],
    ] {
        assert_eq!(env.ok(args).stdout, default.stdout, "{args:?}");
    }
    let middle = env.ok(&["diff", "latest~1"]);
    assert!(
        middle
            .stdout
            .starts_with("diff 2024-04 (April 2024) → 2025-03 (March 2025)\n"),
        "{}",
        middle.stdout
    );
    // The first edition alone: everything it added, and a note saying so.
    let first = env.ok(&["diff", "latest~2"]);
    assert!(
        first
            .stdout
            .starts_with("diff (no edition before) → 2024-04 (April 2024)\nmeetings: 10 added"),
        "{}",
        first.stdout
    );
    assert!(first.stderr.contains("first edition"), "{}", first.stderr);
}

/// `diff latest --exit-code` asks "did the newest edition change
/// anything?": it did, so 1 (it compared latest with itself and said 0).
#[test]
fn one_edition_alone_answers_what_it_changed_with_the_right_exit_code() {
    let env = three_editions();
    for spec in ["latest", "latest~1", "latest~2", "2025-06"] {
        let out = env.run(&["diff", spec, "--exit-code"]);
        assert_eq!(out.code, Some(1), "{spec}: {}", out.rendered());
    }
    // A store of one edition: `diff` shows what it added, not an error.
    let one = TestEnv::new();
    one.ok(&[
        "import",
        crate::common::REAL_EDITION,
        "--edition",
        "2024-04",
    ]);
    let out = one.run(&["diff", "--exit-code"]);
    assert_eq!(out.code, Some(1), "{}", out.rendered());
    assert!(out.stdout.contains("meetings: 10 added"), "{}", out.stdout);
    assert!(
        out.stderr.contains("livedoc diff DRAFT.md"),
        "{}",
        out.stderr
    );
}

#[test]
fn edition_ids_and_files_combine_in_any_order() {
    let env = three_editions();
    let json = |args: &[&str]| {
        let mut a = args.to_vec();
        a.extend_from_slice(&["--format", "json"]);
        let v = env.ok(&a).json();
        assert_contract(&v);
        v
    };

    // Two stored editions named by id, and the same two files.
    let ids = json(&["diff", "2024-04", "2025-03"]);
    assert_eq!(
        (&ids["from"], &ids["to"]),
        (&"2024-04".into(), &"2025-03".into())
    );
    assert_summary(
        &ids,
        &[
            ("meetings_added", 2),
            ("items_added", 5),
            ("recommendations_added", 2),
            ("observations_added", 3),
        ],
    );
    let files = json(&["diff", "editions/2024-04.md", "editions/2025-03.md"]);
    assert_eq!(without_names(ids), without_names(files));

    // The store against a file: what the file would change. It brings
    // back the observation 2025-06 withdrew: restored, under its id.
    let draft = json(&["diff", "latest", "editions/2025-03.md"]);
    assert_eq!(
        (&draft["from"], &draft["to"]),
        (&"2025-06".into(), &"editions/2025-03.md".into())
    );
    assert_summary(
        &draft,
        &[
            ("meetings_changed", 2),
            ("items_restored", 1),
            ("items_modified", 1),
        ],
    );
    for (_, item) in items(&draft) {
        match item["status"].as_str() {
            Some("modified") => {
                assert_eq!(item["id"], "CTOC/COP/WG.6/2024/4#19");
                assert_eq!(changes(item, "delete"), ["strongly"]);
            }
            Some("restored") => {
                assert_eq!(item["new_text"], REMOVED_OBSERVATION);
                assert_eq!(item["withdrawn_in"], "2025-06");
                assert_eq!(item["similarity"], 1.0);
            }
            other => panic!("unexpected {other:?}: {item}"),
        }
    }
    // A stored edition against a file gives the report of the two stored.
    let mixed = json(&["diff", "2025-03", "editions/2025-06.md"]);
    let stored = json(&["diff", "2025-03", "2025-06"]);
    assert_eq!(without_names(mixed), without_names(stored));

    // A file alone: what this draft would change against the newest
    // edition; it is that edition, so nothing.
    let same = env.run(&["diff", "editions/2025-06.md", "--exit-code"]);
    assert_eq!(same.code, Some(0), "{}", same.rendered());
    assert!(
        same.stdout.starts_with(
            "diff 2025-06 (June 2025) → editions/2025-06.md (June 2025)\nno changes\n"
        ),
        "{}",
        same.stdout
    );
    let draft_alone = json(&["diff", "editions/2025-03.md"]);
    assert_eq!(without_names(draft_alone), without_names(draft));
}

#[test]
fn two_files_need_no_store_and_create_none() {
    let env = case_env("new-year");
    let plain = diff_files(&env, &[]);
    plain.success();
    for args in [
        &[
            "--store",
            "nowhere/livedoc.git",
            "diff",
            "before.md",
            "after.md",
        ][..],
        &[
            "diff",
            "before.md",
            "after.md",
            "--store",
            "nowhere/livedoc.git",
        ],
    ] {
        let out = env.run(args);
        out.success();
        assert_eq!(out.stdout, plain.stdout, "{args:?}");
    }
    let mut cmd = env.command(&["diff", "before.md", "after.md"]);
    cmd.env("LIVEDOC_STORE", env.root().join("elsewhere/store.git"));
    let out = TestEnv::output(cmd);
    out.success();
    assert_eq!(out.stdout, plain.stdout);
    for path in ["nowhere", "elsewhere", "livedoc.git"] {
        assert!(!env.root().join(path).exists(), "{path} was created");
    }
}

#[test]
fn stat_prints_one_line_per_changed_meeting_and_the_summary() {
    let env = three_editions();
    let out = env.ok(&["diff", "2024-04", "2025-06", "--stat"]);
    let view = env
        .ok(&["diff", "2024-04", "2025-06", "--format", "json"])
        .json();
    let changed = changed_meetings(&view);
    assert_eq!(changed.len(), 3);
    let lines: Vec<&str> = out.stdout.lines().collect();
    // A line per meeting, the legend of its columns, the summary.
    assert_eq!(lines.len(), changed.len() + 2, "{}", out.stdout);
    for (line, m) in lines.iter().zip(&changed) {
        let status = m["status"].as_str().expect("status");
        assert!(line.starts_with(&format!(" {status} ")), "{line}");
        assert!(line.contains(m["body"].as_str().expect("body")), "{line}");
    }
    assert_eq!(
        lines[3],
        " (per meeting: +added -removed ~modified #renumbered >moved items)"
    );
    assert_eq!(
        lines[4],
        " meetings: 2 added, 1 changed; items: 5 added, 1 removed"
    );
    insta::assert_snapshot!("diff_stat", env.snapshot(&out));
}

/// Issue 30: `--stat --format text` was refused, though text is the
/// default; another format with `--stat` is a usage error that says what
/// to drop.
#[test]
fn stat_takes_the_text_format_it_prints_and_refuses_another() {
    let env = three_editions();
    let plain = env.ok(&["diff", "2024-04", "2025-06", "--stat"]);
    let text = env.ok(&["diff", "2024-04", "2025-06", "--stat", "--format", "text"]);
    assert_eq!(text.stdout, plain.stdout);
    let whatsnew = env.ok(&[
        "whatsnew", "--since", "2024-04", "--stat", "--format", "text",
    ]);
    assert!(!whatsnew.stdout.is_empty());
    let out = env.run(&["diff", "2024-04", "2025-06", "--stat", "--format", "json"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("--stat prints text, not json"),
        "{}",
        out.stderr
    );
    assert!(out.hint().contains("drop --format json"), "{}", out.stderr);
}

#[test]
fn exit_code_says_whether_the_editions_differ() {
    let env = case_env("new-year");
    assert_eq!(
        diff_files(&env, &[]).code,
        Some(0),
        "differing, without --exit-code"
    );
    let differ = diff_files(&env, &["--exit-code"]);
    assert_eq!(differ.code, Some(1), "{}", differ.rendered());
    assert!(
        differ.stdout.contains("[new meeting]"),
        "the report is still printed"
    );
    let json = diff_files(&env, &["--exit-code", "--format", "json"]);
    assert_eq!(json.code, Some(1));
    assert_contract(&json.json());

    let same = env.run(&["diff", "after.md", "after.md", "--exit-code"]);
    assert_eq!(same.code, Some(0), "{}", same.rendered());
    assert_eq!(
        same.stdout,
        "diff after.md (March 2025) → after.md (March 2025)\nno changes\n\n\
         42 items paired unchanged (same label and text, or same text).\n"
    );
}

#[test]
fn bad_arguments_exit_2_with_an_error_and_a_hint() {
    let env = three_editions();
    env.write("bad.md", "hello, not a compilation\n");
    let before = env.refs_and_objects();
    let cases: [(&[&str], &str); 5] = [
        (
            &["diff", "editions/2024-04.md", "missing.md"],
            "error: cannot read missing.md",
        ),
        (&["diff", "missing.md"], "error: cannot read missing.md"),
        (&["diff", "nope"], "error: no edition nope in the store"),
        (
            &["diff", "latest~9"],
            "error: latest~9 goes back further than",
        ),
        (
            &["diff", "editions/2024-04.md", "bad.md"],
            "error: bad.md: ",
        ),
    ];
    for (args, error) in cases {
        for extra in [&[][..], &["--exit-code"], &["--format", "json"]] {
            let mut a = args.to_vec();
            a.extend_from_slice(extra);
            let out = env.run(&a);
            out.failure();
            assert!(
                out.error_lines()[0].starts_with(error),
                "{a:?}:\n{}",
                out.stderr
            );
            out.hint();
            assert_eq!(out.stdout, "", "{a:?}");
        }
    }
    let unknown = env.run(&["diff", "nope"]);
    assert_eq!(
        unknown.hint(),
        "hint: known editions: 2024-04, 2025-03, 2025-06 (or latest, latest~N)"
    );
    assert_eq!(
        env.refs_and_objects(),
        before,
        "a failed diff wrote to the store"
    );

    // No store at all, and no file named: nothing to compare.
    let empty = TestEnv::new();
    let out = empty.run(&["diff"]);
    out.failure();
    assert!(out.stderr.contains("no edition store"), "{}", out.stderr);
    out.hint();
    assert!(!empty.store().exists());
}

/// Issue 30: a draft whose meeting symbol is missing was refused by
/// `check` and `import`, but `diff` previewed it without a word ("symbol
/// corrected: … → none", ids import would never mint). The preview
/// refuses what the import refuses, with the same error.
#[test]
fn diff_of_a_draft_refuses_what_import_refuses() {
    let env = TestEnv::new();
    env.import_real();
    let draft = env.write(
        "draft.md",
        crate::common::replace_once(
            &crate::common::real_text(),
            "## **Working Group on Firearms** ([CTOC/COP/WG.6/2023/5](#))",
            "## **Working Group on Firearms**",
        ),
    );
    let import = env.run(&["import", &draft, "--dry-run"]);
    import.failure();
    let diff = env.run(&["diff", &draft]);
    diff.failure();
    assert_eq!(diff.code, import.code, "{}", diff.stderr);
    let first = |s: &str| {
        s.lines()
            .find(|l| l.starts_with("error:"))
            .map(str::to_string)
    };
    assert_eq!(first(&diff.stderr), first(&import.stderr));
    assert!(
        diff.stderr.contains("has no document symbol"),
        "{}",
        diff.stderr
    );
    assert!(diff.stdout.is_empty(), "nothing previewed: {}", diff.stdout);
}
