//! `livedoc log` and `livedoc show`: the JSON contract, edition references,
//! the Markdown round trip and the text renderings.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::json::{list, meetings, string, string_or_null};
use crate::common::{AUTHOR, CUT_AT, TestEnv, real_bytes, synthetic_bytes};

#[test]
fn show_json_honours_the_contract() {
    let env = TestEnv::new();
    env.import_real();
    let view = env.show_json("latest");

    assert_eq!(view["schema_version"], 2);
    // The edition id is a string; its metadata sits under its own key.
    assert_eq!(view["edition"], "2024-04");
    let edition = &view["metadata"];
    assert_eq!(edition["date"], "2024-04");
    assert!(
        string(&edition["title"], "title").starts_with("COMPILATION OF RECOMMENDATIONS"),
        "{}",
        edition["title"]
    );
    assert_eq!(edition["place"], "Vienna");
    assert_eq!(edition["cut_by"], AUTHOR);
    assert_eq!(edition["cut_at"], CUT_AT);
    assert_eq!(
        string(&edition["commit"], "commit"),
        env.git_ok(&["rev-parse", "editions"])
    );
    // The tag by its name, and its object by id.
    assert_eq!(edition["tag"], "edition/2024-04");
    assert_eq!(
        string(&edition["tag_object"], "tag_object"),
        env.git_ok(&["rev-parse", "refs/tags/edition/2024-04"])
    );
    assert_eq!(
        string(&edition["source_sha256"], "source_sha256"),
        hex::encode(Sha256::digest(real_bytes()))
    );

    let parts = list(&view["parts"], "parts");
    assert_eq!(
        parts
            .iter()
            .map(|p| string(&p["key"], "key"))
            .collect::<Vec<_>>(),
        ["A", "B"]
    );
    let mut items = 0;
    for part in parts {
        string(&part["title"], "part title");
        for m in list(&part["meetings"], "meetings") {
            let key = string(&m["key"], "meeting key");
            assert!(m["year"].is_i64(), "{key}: year {}", m["year"]);
            string(&m["body"], "body");
            string_or_null(&m["symbol"], "symbol");
            for item in list(&m["items"], "items") {
                items += 1;
                let id = string(&item["id"], "item id");
                assert!(id.starts_with(&format!("{key}#")), "{id} is not in {key}");
                let kind = string(&item["kind"], "kind");
                assert!(
                    kind == "recommendation" || kind == "observation",
                    "{id}: kind {kind}"
                );
                string_or_null(&item["label"], "label");
                assert!(
                    !string(&item["text"], "text").is_empty(),
                    "{id} has no text"
                );
                for sub in list(&item["subitems"], "subitems") {
                    string(&sub["label"], "subitem label");
                    string(&sub["text"], "subitem text");
                }
            }
        }
    }
    assert_eq!(items, 37);
    assert_eq!(list(&view["front_matter"], "front_matter").len(), 2);
}

#[test]
fn show_json_holds_the_real_documents_content() {
    let env = TestEnv::new();
    env.import_real();
    let view = env.show_json("2024-04");
    let counts = |part: &str| -> Vec<usize> {
        meetings(&view, part)
            .iter()
            .map(|m| list(&m["items"], "items").len())
            .collect()
    };
    assert_eq!(counts("A"), [1, 1, 2, 6, 4, 2]);
    assert_eq!(counts("B"), [4, 5, 5, 7]);
    assert_eq!(
        view["metadata"]["counts"],
        serde_json::json!({"meetings": 10, "recommendations": 16, "observations": 21})
    );

    // Part A: recommendations under UN symbols, with labels.
    for m in meetings(&view, "A") {
        assert_eq!(m["kind"], "working_group");
        assert!(string(&m["symbol"], "symbol").starts_with("CTOC/COP/WG."));
        for item in list(&m["items"], "items") {
            assert_eq!(item["kind"], "recommendation");
            assert!(item["label"].is_string());
        }
    }
    let wg3 = &meetings(&view, "A")[4];
    assert_eq!(wg3["symbol"], "CTOC/COP/WG.3/2023/4");
    assert_eq!(
        list(&wg3["items"], "items")
            .iter()
            .map(|i| string(&i["label"], "label"))
            .collect::<Vec<_>>(),
        ["(l)", "(m)", "(n)", "(o)"]
    );

    // Part B: unlabelled observations, no symbols.
    for m in meetings(&view, "B") {
        assert_eq!(m["kind"], "constructive_dialogue");
        assert!(m["symbol"].is_null());
        assert_eq!(m["source"], "Summary by the Chair");
        for item in list(&m["items"], "items") {
            assert_eq!(item["kind"], "observation");
            assert!(item["label"].is_null());
        }
    }

    let tip = meetings(&view, "B")
        .iter()
        .find(|m| m["body"] == "Constructive Dialogue on Trafficking in Persons")
        .expect("the dialogue on trafficking in persons");
    assert_eq!(tip["year"], 2023);
    let first = &list(&tip["items"], "items")[0];
    assert_eq!(
        first["id"],
        "B/2023/constructive-dialogue-on-trafficking-in-persons#o1"
    );
    assert!(
        string(&first["text"], "text").ends_with("through, among others:"),
        "{}",
        first["text"]
    );
    let subs = list(&first["subitems"], "subitems");
    assert_eq!(
        subs.iter()
            .map(|s| string(&s["label"], "label"))
            .collect::<Vec<_>>(),
        ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)"]
    );
    // (f) and (g) were split from the list by a page break in the source.
    assert!(string(&subs[5]["text"], "text").starts_with("promoting the economic"));
    assert!(string(&subs[6]["text"], "text").ends_with("in a safe environment."));
    assert_eq!(
        view["contact"],
        "[untoc.review@un.org](mailto:untoc.review@un.org)"
    );
}

#[test]
fn latest_and_latest_tilde_n_count_back_from_the_newest() {
    let env = TestEnv::new();
    env.import_real();
    let out = env.run(&["show", "latest~1"]);
    out.failure();
    assert_eq!(
        out.error_lines(),
        ["error: latest~1 goes back further than the store's 1 edition"]
    );
    assert_eq!(out.hint(), "hint: run livedoc log to see the editions");

    let file = env.copy_synthetic();
    env.ok(&["import", &file]);
    let id = |spec: &str| env.show_json(spec)["edition"].clone();
    assert_eq!(id("latest"), "2025-03");
    assert_eq!(id("latest~0"), "2025-03");
    assert_eq!(id("latest~1"), "2024-04");
    assert_eq!(id("2024-04"), "2024-04");
    assert_eq!(
        env.ok(&["show", "latest~1"]).stdout,
        env.ok(&["show", "2024-04"]).stdout
    );
    let out = env.run(&["show", "latest~2"]);
    out.failure();
    assert!(
        out.stderr
            .contains("latest~2 goes back further than the store's 2 editions")
    );

    let out = env.run(&["show", "latest~x"]);
    assert_eq!(out.code, Some(2));
    out.assert_no_panic();
    assert!(
        out.stderr.contains("after 'latest~' comes a number"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_unknown_edition_is_an_error_that_lists_the_known_ones() {
    let env = TestEnv::new();
    env.import_both();
    let out = env.run(&["show", "2023-01"]);
    out.failure();
    assert_eq!(
        out.hint(),
        "hint: known editions: 2024-04, 2025-03 (or latest, latest~N)"
    );
    insta::assert_snapshot!("show_unknown_edition", env.snapshot(&out));
}

#[test]
fn without_a_store_log_and_show_say_how_to_create_one() {
    let env = TestEnv::new();
    for args in [&["log"][..], &["show", "latest"][..]] {
        let out = env.run(args);
        out.failure();
        assert_eq!(
            out.error_lines(),
            ["error: no edition store at livedoc.git"]
        );
        assert!(out.hint().contains("livedoc import"), "{}", out.stderr);
        assert!(!env.store().exists(), "{args:?} created the store");
    }
}

#[test]
fn an_empty_store_has_an_empty_log_and_nothing_to_show() {
    let env = TestEnv::new();
    let out = env.ok(&["init"]);
    assert_eq!(
        out.stdout,
        "Created an empty edition store at livedoc.git\n"
    );
    assert_eq!(
        env.ok(&["init"]).stdout,
        "livedoc.git is already an edition store\n"
    );
    assert_eq!(env.ok(&["log"]).stdout, "");
    assert_eq!(
        env.log_json(),
        serde_json::json!({"schema_version": 2, "editions": []})
    );
    let out = env.run(&["show", "latest"]);
    out.failure();
    assert_eq!(
        out.error_lines(),
        ["error: the store at livedoc.git has no editions yet"]
    );
    out.hint();
    let out = env.run(&["show", "2024-04"]);
    out.failure();
    assert_eq!(
        out.hint(),
        "hint: the store is empty; import an edition first"
    );
}

#[test]
fn log_json_lists_every_edition_newest_first_with_its_provenance() {
    let env = TestEnv::new();
    env.import_real();
    let file = env.copy_synthetic();
    env.ok(&["import", &file, "--author", "Ana Ruiz <ana@example.org>"]);
    let log = env.log_json();
    assert_eq!(log["schema_version"], 2);
    let editions = list(&log["editions"], "editions");
    assert_eq!(editions.len(), 2);
    for (e, id, bytes, who) in [
        (
            &editions[0],
            "2025-03",
            synthetic_bytes(),
            "Ana Ruiz <ana@example.org>",
        ),
        (&editions[1], "2024-04", real_bytes(), AUTHOR),
    ] {
        assert_eq!(e["id"], id);
        assert_eq!(e["date"], id);
        assert_eq!(e["cut_by"], who);
        assert_eq!(e["cut_at"], CUT_AT);
        assert_eq!(
            string(&e["source_sha256"], "sha"),
            hex::encode(Sha256::digest(&bytes))
        );
        assert_eq!(
            string(&e["commit"], "commit"),
            env.git_ok(&["rev-parse", &format!("edition/{id}^{{commit}}")])
        );
        assert_eq!(
            string(&e["tag_object"], "tag_object"),
            env.git_ok(&["rev-parse", &format!("refs/tags/edition/{id}")])
        );
    }
    assert_eq!(
        editions[0]["counts"],
        serde_json::json!({"meetings": 12, "recommendations": 18, "observations": 24})
    );
}

#[test]
fn log_text() {
    let env = TestEnv::new();
    env.import_real();
    let file = env.copy_synthetic();
    env.ok(&["import", &file, "--author", "Ana Ruiz <ana@example.org>"]);
    let out = env.ok(&["log"]);
    assert_eq!(
        out.stdout.lines().count(),
        3,
        "a header row and two editions"
    );
    assert!(
        out.stdout.lines().nth(1).is_some_and(|l| l.starts_with(
            "2025-03  March 2025  12 meetings, 18 recommendations, 24 observations  added 2 meetings"
        )),
        "{}",
        out.stdout
    );
    insta::assert_snapshot!("log_text", env.snapshot(&out));
}

/// Issue 30: `log` printed each edition's date as its id did
/// (`2024-04  2024-04`), where every other command writes "April 2024";
/// its columns were not aligned and had no header.
#[test]
fn log_names_each_edition_by_id_and_long_date_in_aligned_columns() {
    let env = TestEnv::new();
    env.import_real();
    let file = env.copy_synthetic();
    env.ok(&["import", &file, "--edition", "draft-next-edition"]);
    let out = env.ok(&["log"]).stdout;
    let lines: Vec<&str> = out.lines().collect();
    let names = ["edition", "date", "holds", "changes", "commit", "cut by"];
    let starts = crate::test_blame::column_starts(lines[0], &names);
    assert_eq!(starts[0], 0, "{out}");
    assert_eq!(lines.len(), 3, "{out}");
    for row in &lines[1..] {
        for (name, &at) in names.iter().zip(&starts).skip(1) {
            assert!(
                crate::test_blame::cell_at(row, at),
                "{row:?}: {name} at column {at}\n{out}"
            );
        }
    }
    assert!(
        lines[1].starts_with("draft-next-edition  March 2025  "),
        "{out}"
    );
    assert!(
        lines[2].starts_with("2024-04             April 2024  "),
        "{out}"
    );
    assert!(!out.contains("2024-04  2024-04"), "{out}");
    // Who cut it, by name: the address is in `show` and the JSON.
    assert!(lines[2].ends_with("  Test Secretariat"), "{out}");
    crate::test_blame::assert_colour_keeps_columns(&env, &["log"]);
}

#[test]
fn show_text() {
    let env = TestEnv::new();
    env.import_real();
    let out = env.ok(&["show", "latest"]);
    assert!(
        out.stdout
            .starts_with("Edition 2024-04 (April 2024), Vienna\n")
    );
    assert_eq!(out.stdout.matches("\n      Recommendation ").count(), 16);
    assert_eq!(out.stdout.matches("\n      Observation ").count(), 21);
    assert!(
        !out.stdout.contains('\u{1b}'),
        "NO_COLOR output is coloured"
    );
    insta::assert_snapshot!("show_text", env.snapshot(&out));
}

#[test]
fn color_always_colours_and_never_does_not() {
    let env = TestEnv::new();
    env.import_real();
    let coloured = env.ok(&["show", "latest", "--color", "always"]);
    assert!(coloured.stdout.contains("\u{1b}["));
    let plain = env.ok(&["show", "latest", "--color", "never"]);
    assert!(!plain.stdout.contains('\u{1b}'));
    assert_eq!(plain.stdout, env.ok(&["show", "latest"]).stdout);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let env = TestEnv::new();
    env.import_both();
    for args in [
        &["show", "latest", "--format", "json"][..],
        &["log"][..],
        // clap_complete panicked on a closed pipe (exit 101).
        &["completions", "bash"][..],
    ] {
        let mut cmd = env.command(args);
        cmd.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("spawn livedoc");
        // Close the reading end before livedoc has started writing (it
        // still has to open the store), so its writes fail with EPIPE.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

/// A full disk is an error, reported once, never a panic.
#[test]
fn a_full_disk_is_an_error_not_a_panic() {
    if !std::path::Path::new("/dev/full").exists() {
        panic!("this test needs /dev/full");
    }
    let env = TestEnv::new();
    env.import_both();
    for args in [
        &["completions", "bash"][..],
        &["log"][..],
        &["show", "latest"][..],
    ] {
        let mut cmd = env.command(args);
        cmd.stdout(std::fs::File::create("/dev/full").expect("/dev/full opens"));
        let out = TestEnv::output(cmd);
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("No space left"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("panicked"), "{args:?}: {}", out.stderr);
    }
}

/// The parts of a `show --format json` view that describe the document
/// rather than the edition's identity and provenance.
fn document(view: &Value) -> Value {
    let e = &view["metadata"];
    serde_json::json!({
        "title": e["title"],
        "date": e["date"],
        "place": e["place"],
        "counts": e["counts"],
        "front_matter": view["front_matter"],
        "parts": view["parts"],
        "contact": view["contact"],
        "schema_version": view["schema_version"],
    })
}

#[test]
fn show_markdown_imports_back_to_the_same_edition() {
    for (source, id) in [(real_bytes(), "2024-04"), (synthetic_bytes(), "2025-03")] {
        let env = TestEnv::new();
        let file = env.write(&format!("editions/{id}.md"), &source);
        env.ok(&["import", &file]);
        let markdown = env.ok(&["show", "latest", "--format", "markdown"]);
        assert!(markdown.stdout.contains("# Table of Contents\n"));
        let copy = env.write("copy.md", &markdown.stdout_bytes);
        let out = env.ok(&["import", &copy, "--edition", "copy"]);
        assert!(
            out.stdout.contains("It adds no meetings and no items."),
            "{}",
            out.stdout
        );

        let original = env.show_json(id);
        let again = env.show_json("copy");
        assert_eq!(original["parts"], again["parts"], "{id}: parts differ");
        assert_eq!(
            original["front_matter"], again["front_matter"],
            "{id}: front matter differs"
        );
        assert_eq!(document(&original), document(&again), "{id}");
        assert_eq!(again["edition"], "copy");
        assert_ne!(
            original["metadata"]["source_sha256"],
            again["metadata"]["source_sha256"]
        );
        // The regenerated Markdown is a fixed point.
        assert_eq!(
            env.ok(&["show", "copy", "--format", "markdown"]).stdout,
            markdown.stdout,
            "{id}"
        );
    }
}
