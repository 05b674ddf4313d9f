//! Stores from the past, forever: `tests/fixtures/store/v<N>.git` was cut
//! by the build that wrote record version N (see
//! `scripts/make-fixture-store`) and is never regenerated. Every later
//! build must verify, read and diff each of them as that build did, write
//! nothing to them, and cut a new edition on top that verifies with them.
//! Version 1's store has its own, older tests in `test_fixture_store.rs`.

use std::path::Path;

use crate::common::{TestEnv, replace_once};
use crate::test_fixture_store::copy_dir;

/// Version, and the newest edition's commit as cut: a store that was
/// re-cut is not the store from the past any more.
const GOLDEN: [(u32, &str); 4] = [
    (2, "cc80e6d94f8f89daf5e542da6b2e981206de35a0"),
    (3, "05cab8c789edbc0ef72d9bb7a8290f4d23dae5e0"),
    (4, "e54b22ff19a8bb9a6accbc4bd27aa438420637bc"),
    (5, "7f346dac30dc643fae4aa79397dd06923aad5419"),
];

fn dir(version: u32) -> String {
    format!(
        "{}/tests/fixtures/store/v{version}.git",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn signers(version: u32) -> String {
    format!(
        "{}/tests/fixtures/store/v{version}.allowed_signers",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn golden_env(version: u32) -> TestEnv {
    let env = TestEnv::new();
    copy_dir(Path::new(&dir(version)), &env.store());
    env
}

#[test]
fn every_golden_store_is_the_one_its_build_cut() {
    for (version, head) in GOLDEN {
        let env = golden_env(version);
        assert_eq!(
            env.git_ok(&["rev-parse", "refs/heads/editions"]),
            head,
            "tests/fixtures/store/v{version}.git was re-cut"
        );
        assert_eq!(env.log_ids(), ["2026-03", "2025-09", "2025-03", "2024-04"]);
        let record = env.git_ok(&["show", "edition/2024-04:edition.json"]);
        let compact = format!("\"schema_version\":{version},");
        let indented = format!("\"schema_version\": {version},");
        assert!(
            record.contains(&compact) || record.contains(&indented),
            "{record}"
        );
    }
}

#[test]
fn every_golden_store_verifies_with_its_signatures_and_needs_no_repair() {
    for (version, _) in GOLDEN {
        let env = golden_env(version);
        let out = env.ok(&["verify", "--allowed-signers", &signers(version)]);
        let first = out.stdout.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("verify: 4 editions,")
                && first.ends_with("the signatures of 4 tags checked: everything holds"),
            "v{version}: {}",
            out.stdout
        );
        let doctor = env.ok(&["doctor", "--format", "json"]).json();
        assert_eq!(doctor["ok"], true, "v{version}");
        assert_eq!(
            doctor["repairs"].as_array().map(Vec::len),
            Some(0),
            "v{version}"
        );
    }
}

#[test]
fn every_golden_store_tells_its_history_as_its_build_did() {
    for (version, _) in GOLDEN {
        let env = golden_env(version);
        let before = env.refs_and_objects();
        let diff = env
            .ok(&["diff", "2025-09", "2026-03", "--format", "json"])
            .json();
        let statuses: Vec<&str> = diff["meetings"]
            .as_array()
            .expect("meetings")
            .iter()
            .flat_map(|m| m["items"].as_array().into_iter().flatten())
            .filter_map(|i| i["status"].as_str())
            .collect();
        if version >= 3 {
            // Cut under rules 3: the split and the merge were recorded.
            assert!(statuses.contains(&"split"), "v{version}: {statuses:?}");
            assert!(statuses.contains(&"merged"), "v{version}: {statuses:?}");
        } else {
            // Rules 2 knew no split: the edition answers as it was cut.
            assert!(!statuses.contains(&"split"), "v{version}: {statuses:?}");
            assert!(statuses.contains(&"added"), "v{version}: {statuses:?}");
        }
        let trace = env
            .ok(&[
                "trace",
                "B/2023/constructive-dialogue-on-international-cooperation#o3",
                "--format",
                "json",
            ])
            .json();
        assert!(
            trace["entries"].as_array().is_some_and(|e| e.len() >= 2),
            "v{version}: {trace:#}"
        );
        for args in [
            &["log"][..],
            &["show", "latest", "--format", "json"],
            &["blame", "latest"],
            &["whatsnew", "--since", "2024-04"],
            &["changelog", "--format", "json"],
        ] {
            env.ok(args);
        }
        assert_eq!(
            env.refs_and_objects(),
            before,
            "v{version}: nothing written"
        );
    }
}

#[test]
fn a_new_edition_cut_on_every_golden_store_verifies_with_it() {
    for (version, _) in GOLDEN {
        let env = golden_env(version);
        let latest = env.git_ok(&["show", "edition/2026-03:source.md"]);
        let next = replace_once(&latest, "Vienna, March 2026", "Vienna, September 2026");
        let next = replace_once(
            &next,
            "up to date and publicly available.",
            "up to date, complete and publicly available.",
        );
        env.write("2026-09.md", next);
        let out = env.ok(&["import", "2026-09.md"]);
        assert!(
            out.stdout.contains("modifies 1 item"),
            "v{version}: {}",
            out.stdout
        );
        let verify = env.ok(&["verify"]);
        assert!(
            verify.stdout.contains("5 editions") && verify.stdout.contains("everything holds"),
            "v{version}: {}",
            verify.stdout
        );
        let record = env.git_ok(&["show", "edition/2026-09:edition.json"]);
        assert!(record.starts_with("{\"schema_version\":5,"), "{record}");
    }
}

/// `tests/fixtures/store/word-566d7b4.git` was cut from Word by the build
/// at 566d7b4, before Word readers had versions (see
/// `scripts/make-word-reader-store`): its 2024-04 from a .docx with a
/// Word-numbered meeting heading, its 2025-03 from one with `[sic]` and
/// `focal_points_list`, which that reader escaped and today's does not.
/// Every later build verifies it clean: a reader that reads an old
/// document otherwise is a notice, never tampering.
#[test]
fn a_store_cut_from_word_by_an_older_reader_verifies_with_a_notice() {
    let env = TestEnv::new();
    copy_dir(
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/store/word-566d7b4.git"
        )),
        &env.store(),
    );
    let before = env.refs_and_objects();
    let out = env.ok(&["verify", "--format", "json"]);
    let view = out.json();
    assert_eq!(view["ok"], true, "{}", out.stdout);
    assert_eq!(view["violations"], serde_json::json!([]));
    let notices: Vec<(&str, &str)> = view["notices"]
        .as_array()
        .expect("notices")
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().unwrap_or_default(),
                n["edition"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    // The numbered heading reads as it did (an outline number is not the
    // meeting's name); the escapes do not.
    assert_eq!(notices, [("reader-changed", "2025-03")]);
    let text = env.ok(&["verify"]).stdout;
    assert!(
        text.contains("note: reader-changed") && text.contains("everything holds"),
        "{text}"
    );
    // The meeting keeps its name and kind, and the stored text is the one
    // imported.
    let show = env.show_json("2024-04");
    let firearms = &show["parts"][0]["meetings"][2];
    assert_eq!(firearms["body"], "Working Group on Firearms");
    assert_eq!(firearms["kind"], "working_group");
    let md = env.git_ok(&["show", "edition/2025-03:source.md"]);
    assert!(md.contains("\\[sic\\]"), "{md}");
    // A new edition cut on top verifies with it.
    env.ok(&[
        "import",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/store/editions/2025-09.md"
        ),
    ]);
    assert_ne!(env.refs_and_objects(), before);
    env.ok(&["verify"]);
}
