//! The store is an ordinary git repository: plain git can read, list and
//! check everything livedoc wrote.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::{AUTHOR, EPOCH, TestEnv, real_bytes, real_text, synthetic_bytes};

#[test]
fn git_log_lists_the_editions() {
    let env = TestEnv::new();
    env.import_both();
    assert_eq!(
        env.git_ok(&["log", "editions", "--format=%s"]),
        "Edition 2025-03 (March 2025)\nEdition 2024-04 (April 2024)"
    );
    // HEAD names the editions branch, so a bare `git log` works too.
    assert_eq!(env.git_ok(&["symbolic-ref", "HEAD"]), "refs/heads/editions");
    assert_eq!(env.git_ok(&["rev-parse", "--is-bare-repository"]), "true");
    assert_eq!(env.git_ok(&["log", "--format=%s"]).lines().count(), 2);
    assert_eq!(
        env.git_ok(&[
            "log",
            "-1",
            "--format=%(trailers:key=Edition-Id,valueonly,separator=)|%(trailers:key=Source-Sha256,valueonly,separator=)",
        ]),
        format!("2025-03|{}", hex::encode(Sha256::digest(synthetic_bytes())))
    );
}

#[test]
fn edition_json_is_readable_with_git_show() {
    let env = TestEnv::new();
    env.import_real();
    let record: Value =
        serde_json::from_str(&env.git_ok(&["show", "edition/2024-04:edition.json"]))
            .expect("edition.json parses as JSON");
    // Record version 5: version 3 (the rules the edition was cut with,
    // the counts of splits and merges), version 4's meeting headings
    // beside their files in compact JSON, and the count of restorations
    // (and for a Word edition the reader that read it).
    assert_eq!(record["schema_version"], 5);
    assert_eq!(record["changes"]["items_restored"], 0);
    assert!(
        record["source"].get("reader").is_none(),
        "Markdown has no reader"
    );
    let first = &record["parts"][0]["meetings"][0];
    assert_eq!(first["symbol"], "CTOC/COP/WG.4/2022/4");
    assert_eq!(first["items"], 1, "{first}");
    assert!(
        first["path"]
            .as_str()
            .is_some_and(|p| p.starts_with("meetings/a/2022/")),
        "{first}"
    );
    assert_eq!(record["provenance"]["rules"], 4);
    assert_eq!(record["changes"]["items_split"], 0);
    assert_eq!(record["id"], "2024-04");
    assert_eq!(record["date"], "2024-04");
    assert_eq!(record["source"]["file"], "2024-04.md");
    assert_eq!(record["source"]["bytes"], real_bytes().len());
    assert_eq!(
        record["source"]["sha256"],
        hex::encode(Sha256::digest(real_bytes()))
    );
    assert_eq!(
        record["counts"],
        serde_json::json!({"meetings": 10, "recommendations": 16, "observations": 21})
    );
    assert_eq!(record["provenance"]["cut_by"]["name"], "Test Secretariat");

    // A first edition pairs with nothing: its pairings list nothing, since
    // every meeting and item it holds was added.
    assert_eq!(
        env.git_ok(&["show", "edition/2024-04:pairings.json"]),
        r#"{"schema_version":4,"from":"","meetings":[],"items":[]}"#
    );
    // Its items are still traced to it, reading one meeting file each.
    let t = env
        .ok(&["trace", "CTOC/COP/WG.4/2022/4#14", "--format", "json"])
        .json();
    assert_eq!(t["entries"][0]["status"], "added", "{t:#}");
    assert_eq!(t["entries"][0]["edition"], "2024-04");
    assert_eq!(t["meeting_reads"], 1, "{t:#}");
    let b = env.ok(&["blame", "--format", "json"]).json();
    assert!(b.to_string().contains(r#""introduced":"2024-04""#), "{b:#}");

    // Every meeting path the record lists is a JSON file in the commit,
    // whose heading and item count are what the record says of it.
    for part in record["parts"].as_array().expect("parts") {
        for entry in part["meetings"].as_array().expect("meetings") {
            let path = entry["path"].as_str().expect("path");
            let meeting: Value =
                serde_json::from_str(&env.git_ok(&["show", &format!("edition/2024-04:{path}")]))
                    .expect("meeting JSON");
            assert_eq!(meeting["part"], part["key"], "{path}");
            for field in [
                "key", "part", "year", "body", "kind", "symbol", "source", "link",
            ] {
                assert_eq!(meeting[field], entry[field], "{path}: {field}");
            }
            let items = meeting["items"].as_array().expect("items");
            assert!(!items.is_empty());
            assert_eq!(entry["items"], items.len(), "{path}");
        }
    }
}

#[test]
fn the_tag_is_annotated_and_tagged_by_the_author() {
    let env = TestEnv::new();
    env.import_real();
    assert_eq!(env.git_ok(&["cat-file", "-t", "edition/2024-04"]), "tag");
    assert_eq!(
        env.git_ok(&[
            "for-each-ref",
            "--format=%(taggername) %(taggeremail)|%(taggerdate:raw)|%(contents:subject)",
            "refs/tags/edition/2024-04",
        ]),
        format!("{AUTHOR}|{EPOCH} +0000|Edition 2024-04 (April 2024)")
    );
    assert_eq!(
        env.git_ok(&["rev-parse", "edition/2024-04^{commit}"]),
        env.git_ok(&["rev-parse", "editions"])
    );
    let message = env.git_ok(&["tag", "-l", "--format=%(contents)", "edition/2024-04"]);
    assert!(
        message.contains(
            "- 2023 Working Group on International Cooperation (new): (l), (m), (n), (o)"
        ),
        "{message}"
    );

    // --author is the tagger as well as the commit author.
    let file = env.copy_synthetic();
    env.ok(&["import", &file, "--author", "Ana Ruiz <ana@example.org>"]);
    assert_eq!(
        env.git_ok(&[
            "for-each-ref",
            "--format=%(taggername) %(taggeremail)",
            "refs/tags/edition/2025-03",
        ]),
        "Ana Ruiz <ana@example.org>"
    );
}

#[test]
fn git_fsck_finds_nothing_wrong() {
    let env = TestEnv::new();
    env.import_both();
    let out = env.git(&["fsck", "--full", "--strict"]);
    out.success();
    assert_eq!(out.stdout, "", "{}", out.stderr);
    for word in ["error", "warning", "missing", "broken", "dangling"] {
        assert!(!out.stderr.contains(word), "{word}: {}", out.stderr);
    }
}

#[test]
fn source_md_is_the_imported_bytes() {
    let env = TestEnv::new();
    env.import_both();
    for (id, bytes) in [("2024-04", real_bytes()), ("2025-03", synthetic_bytes())] {
        let out = env.git(&["show", &format!("edition/{id}:source.md")]);
        out.success();
        assert!(out.stdout_bytes == bytes, "source.md of {id} differs");
    }

    // Even bytes the parser normalises (a BOM, CRLF) are stored as given.
    let mut crlf = b"\xef\xbb\xbf".to_vec();
    crlf.extend(real_text().replace('\n', "\r\n").into_bytes());
    let file = env.write("crlf.md", &crlf);
    env.ok(&["import", &file]);
    let out = env.git(&["show", "edition/crlf:source.md"]);
    assert!(out.success().stdout_bytes == crlf, "CRLF source changed");
}

#[test]
fn same_input_same_clock_same_commit() {
    let a = TestEnv::new();
    let b = TestEnv::new();
    a.import_both();
    b.import_both();
    for spec in [
        "editions",
        "refs/tags/edition/2024-04",
        "refs/tags/edition/2025-03",
    ] {
        assert_eq!(
            a.git_ok(&["rev-parse", spec]),
            b.git_ok(&["rev-parse", spec]),
            "{spec}"
        );
    }
    assert_eq!(a.refs_and_objects(), b.refs_and_objects());
}

#[test]
fn a_tag_made_outside_livedoc_blocks_that_id() {
    let env = TestEnv::new();
    env.import_real();
    env.git_ok(&[
        "-c",
        "user.name=Someone Else",
        "-c",
        "user.email=else@example.org",
        "tag",
        "-a",
        "-m",
        "made by hand",
        "edition/ghost",
        "editions",
    ]);
    let before = env.refs_and_objects();
    let out = env.run(&["import", "editions/2024-04.md", "--edition", "ghost"]);
    out.failure();
    assert_eq!(
        out.error_lines(),
        ["error: the tag edition/ghost exists but the editions branch has no edition ghost"]
    );
    assert!(out.hint().contains("inspect it with git"));
    assert_eq!(env.refs_and_objects(), before);
}

#[test]
fn a_directory_that_is_no_repository_is_not_a_store() {
    let env = TestEnv::new();
    let file = env.copy_real();
    env.write("plain/notes.txt", "not a repository");
    let out = env.run(&["--store", "plain", "import", &file]);
    out.failure();
    assert!(
        out.error_lines()[0].starts_with("error: plain is not an edition store"),
        "{}",
        out.stderr
    );
    out.hint();
    assert!(!env.root().join("plain/HEAD").exists());
    let out = env.run(&["--store", "plain", "log"]);
    out.failure();

    // A file is no store either, and is left alone.
    env.write("a-file", "precious");
    let out = env.run(&["--store", "a-file", "import", &file]);
    out.failure();
    assert!(
        out.error_lines()[0].starts_with("error: a-file is not an edition store"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(env.root().join("a-file")).expect("still there"),
        "precious"
    );
}
