//! A store from the past, forever: `tests/fixtures/store/v1.git` was cut by
//! livedoc 0.1.0 (record version 1: the real April 2024 edition and two
//! synthetic ones, a pairing the secretariat confirmed, SSH-signed tags,
//! the ledger). Every later build must read, diff, trace, blame, verify
//! and serve it exactly as that version did, and write nothing to it.
//! The store is never regenerated (see `scripts/make-fixture-store`); a
//! new record version gets a fixture store of its own beside it.

use std::path::Path;

use crate::common::{TestEnv, replace_once};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store/v1.git");
const SIGNERS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/store/allowed_signers"
);
/// The newest edition's commit, as cut: a store that was re-cut is not the
/// store from the past any more.
const HEAD: &str = "a6978be9ff09b1d23d605c266b4f9377d85c8a4f";

/// Copies a fixture store (also for `test_golden_stores`).
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy");
    for entry in std::fs::read_dir(from).expect("read the fixture") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// A test environment whose default store is a copy of the fixture.
fn fixture_env() -> TestEnv {
    let env = TestEnv::new();
    copy_dir(Path::new(FIXTURE), &env.store());
    env
}

#[test]
fn the_fixture_store_is_the_one_livedoc_0_1_cut() {
    let env = fixture_env();
    let head = env.git_ok(&["rev-parse", "refs/heads/editions"]);
    assert_eq!(head, HEAD, "tests/fixtures/store/v1.git was re-cut");
    assert_eq!(env.log_ids(), ["2025-09", "2025-03", "2024-04"]);
    let record = env.git_ok(&["show", "edition/2024-04:edition.json"]);
    assert!(record.contains("\"schema_version\": 1"), "{record}");
    assert!(
        record.contains("\"livedoc_version\": \"0.1.0\""),
        "{record}"
    );
}

#[test]
fn the_fixture_store_verifies_with_its_signatures() {
    let env = fixture_env();
    let out = env.ok(&["verify", "--allowed-signers", SIGNERS]);
    let mut lines = out.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("verify: 3 editions, 57 objects, the signatures of 3 tags checked: everything holds")
    );
    // The anchor of a store cut by 0.1.0 (its newest ledger entry).
    assert!(
        lines.next().is_some_and(|l| l.starts_with("anchor: 3:")),
        "{}",
        out.stdout
    );
    let view = env
        .ok(&["verify", "--allowed-signers", SIGNERS, "--format", "json"])
        .json();
    assert_eq!(view["ok"], true);
    assert_eq!(view["editions_checked"], 3);
    assert_eq!(view["signatures_checked"], 3);
    assert_eq!(view["violations"].as_array().map(Vec::len), Some(0));
    let doctor = env.ok(&["doctor", "--format", "json"]).json();
    assert_eq!(doctor["repairs"].as_array().map(Vec::len), Some(0));
    assert_eq!(doctor["ok"], true);
}

#[test]
fn the_fixture_store_reads_as_it_did() {
    let env = fixture_env();
    for (name, args) in [
        ("fixture_log", &["log"][..]),
        ("fixture_log_json", &["log", "--format", "json"]),
        ("fixture_show_latest", &["show", "latest"]),
        (
            "fixture_show_2025_03_json",
            &["show", "2025-03", "--format", "json"],
        ),
        ("fixture_diff", &["diff", "2024-04", "2025-09"]),
        (
            "fixture_diff_json",
            &["diff", "latest~1", "latest", "--format", "json"],
        ),
        (
            "fixture_diff_markdown",
            &["diff", "2024-04", "latest", "--format", "markdown"],
        ),
        (
            "fixture_trace_override",
            &[
                "trace",
                "B/2023/constructive-dialogue-on-international-cooperation#o3",
            ],
        ),
        (
            "fixture_trace_json",
            &["trace", "CTOC/COP/WG.4/2024/4#19", "--format", "json"],
        ),
        ("fixture_blame", &["blame", "latest"]),
        ("fixture_changelog", &["changelog"]),
        ("fixture_whatsnew", &["whatsnew", "--since", "2024-04"]),
    ] {
        let out = env.ok(args);
        insta::assert_snapshot!(name, env.snapshot(&out));
    }
}

#[test]
fn the_fixture_store_serves_a_site() {
    let env = fixture_env();
    let out = env.ok(&["site", "--out", "site"]);
    assert!(out.stdout.contains("for 3 editions"), "{}", out.stdout);
    let index = std::fs::read_to_string(env.root().join("site/index.html")).expect("index");
    for id in ["2024-04", "2025-03", "2025-09"] {
        assert!(index.contains(id), "the index names edition {id}");
    }
    let diff = std::fs::read_to_string(env.root().join("site/diff/2025-03..2025-09.html"))
        .expect("a diff page");
    assert!(
        diff.contains("pairing confirmed by the secretariat"),
        "the recorded override keeps its reason on the site"
    );
}

#[test]
fn nothing_reads_the_fixture_store_into_a_changed_store() {
    let env = fixture_env();
    let before = env.refs_and_objects();
    for args in [
        &["log"][..],
        &["show", "latest", "--format", "json"],
        &["diff", "2024-04", "latest"],
        &["trace", "CTOC/COP/WG.4/2024/4#19"],
        &["blame", "2024-04"],
        &["verify"],
        &["doctor"],
        &["changelog", "--format", "json"],
        &["site", "--out", "site"],
    ] {
        env.ok(args);
    }
    assert_eq!(env.refs_and_objects(), before);
}

#[test]
fn a_new_edition_cut_on_the_fixture_store_verifies_with_it() {
    let env = fixture_env();
    let latest = env.git_ok(&["show", "edition/2025-09:source.md"]);
    let next = replace_once(&latest, "Vienna, September 2025", "Vienna, March 2026");
    let next = replace_once(
        &next,
        "up to date and publicly available.",
        "up to date, complete and publicly available.",
    );
    env.write("2026-03.md", next);
    let out = env.ok(&["import", "2026-03.md"]);
    assert!(out.stdout.contains("modifies 1 item"), "{}", out.stdout);
    let verify = env.ok(&["verify"]);
    assert!(
        verify.stdout.contains("4 editions") && verify.stdout.contains("everything holds"),
        "{}",
        verify.stdout
    );
    let trace = env
        .ok(&["trace", "CTOC/COP/WG.4/2024/4#19", "--format", "json"])
        .json();
    let editions: Vec<&str> = trace["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["edition"].as_str())
        .collect();
    assert_eq!(editions, ["2025-03", "2025-09", "2026-03"]);
}
