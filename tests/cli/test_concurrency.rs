//! Several `livedoc import` processes writing to one store at once: every
//! edition lands exactly once, on one linear branch, each with its tag,
//! and the ledger records them in branch order, each entry chained to the
//! one before.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::contracts::verify_json;
use crate::common::fixtures::diff_fixture;
use crate::common::stores::{
    assert_landed_once, assert_no_lock, branch_commits, edition_objects, ledger_entries,
};
use crate::common::{TestEnv, import_real_as, race};

/// `import editions/2024-04.md --edition eN` for N in 1..=n.
fn imports_of_real(n: usize) -> Vec<Vec<String>> {
    (1..=n).map(|i| import_real_as(&format!("e{i}"))).collect()
}

/// Races `n` imports of different editions into a store just created
/// with `livedoc init`.
fn race_into_new_store(n: usize) {
    let env = TestEnv::new();
    env.copy_real();
    env.ok(&["init"]);
    let imports = imports_of_real(n);
    for (i, out) in race(&env, &imports).iter().enumerate() {
        out.success();
        assert!(
            out.stdout
                .starts_with(&format!("Imported edition e{} (April 2024)", i + 1)),
            "{}",
            out.stdout
        );
    }
    let ids: Vec<String> = (1..=n).map(|i| format!("e{i}")).collect();
    assert_landed_once(&env, &ids);
    // Exactly one of them was first and added everything.
    let log = env.log_json();
    let firsts = log["editions"]
        .as_array()
        .expect("editions")
        .iter()
        .filter(|e| e["added"]["meetings"] == 10)
        .count();
    assert_eq!(firsts, 1);
}

#[test]
fn two_importers_at_once_both_land_repeatedly() {
    for _ in 0..5 {
        race_into_new_store(2);
    }
}

#[test]
fn four_importers_at_once_all_land() {
    race_into_new_store(4);
}

#[test]
fn different_documents_at_once_both_land() {
    let env = TestEnv::new();
    env.copy_real();
    env.copy_synthetic();
    env.ok(&["init"]);
    let imports = vec![
        vec!["import".into(), "editions/2024-04.md".into()],
        vec!["import".into(), "editions/2025-03.md".into()],
    ];
    for out in race(&env, &imports) {
        out.success();
    }
    assert_landed_once(&env, &["2024-04".into(), "2025-03".into()]);
}

#[test]
fn the_same_edition_imported_at_once_lands_once() {
    let env = TestEnv::new();
    env.copy_real();
    env.ok(&["init"]);
    let imports = vec![vec!["import".to_string(), "editions/2024-04.md".to_string()]; 4];
    let outs = race(&env, &imports);
    for out in &outs {
        out.success();
    }
    let imported = outs
        .iter()
        .filter(|o| o.stdout.starts_with("Imported edition 2024-04"))
        .count();
    let skipped = outs
        .iter()
        .filter(|o| {
            o.stdout
                .contains("is already in the store with the same content")
        })
        .count();
    assert_eq!((imported, skipped), (1, 3));
    assert_landed_once(&env, &["2024-04".into()]);
}

#[test]
fn different_content_for_one_id_at_once_lands_once_and_refuses_the_other() {
    let env = TestEnv::new();
    env.copy_real();
    env.copy_synthetic();
    env.ok(&["init"]);
    let imports: Vec<Vec<String>> = ["editions/2024-04.md", "editions/2025-03.md"]
        .iter()
        .map(|f| vec!["import".into(), (*f).into(), "--edition".into(), "x".into()])
        .collect();
    let outs = race(&env, &imports);
    let codes: BTreeSet<Option<i32>> = outs.iter().map(|o| o.code).collect();
    assert_eq!(codes, BTreeSet::from([Some(0), Some(2)]), "{outs:#?}");
    let refused = outs
        .iter()
        .find(|o| o.code == Some(2))
        .expect("one refused");
    refused.failure();
    assert!(
        refused
            .stderr
            .contains("already published with different content")
    );
    assert_landed_once(&env, &["x".into()]);
}

/// Regression: two first imports that both had to create the store raced
/// in `Store::init` and one of them exited 2 with
/// "livedoc.git is not an edition store: failed to lock file
/// '…/config.lock' …" (or `HEAD.lock`), in roughly 5% of the races.
#[test]
fn importers_racing_to_create_the_store_all_land() {
    for _ in 0..40 {
        let env = TestEnv::new();
        env.copy_real();
        let outs = race(&env, &imports_of_real(2));
        for out in &outs {
            out.success();
        }
        assert_landed_once(&env, &["e1".into(), "e2".into()]);
    }
}

// ---------------------------------------------------------------------------
// Concurrent importers and the ledger

/// The hash before the first ledger entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[test]
fn four_importers_at_once_leave_a_ledger_in_branch_order() {
    let documents = [
        ("renumbered-items", "before.md"),
        ("renumbered-items", "after.md"),
        ("modified-recommendation", "after.md"),
        ("moved-item", "after.md"),
    ];
    for _ in 0..3 {
        let env = TestEnv::new();
        env.ok(&["init"]);
        let imports: Vec<Vec<String>> = documents
            .iter()
            .enumerate()
            .map(|(n, (case, file))| {
                let rel = env.write(&format!("{case}/{file}"), diff_fixture(case, file));
                vec![
                    "import".into(),
                    rel,
                    "--edition".into(),
                    format!("c{}", n + 1),
                ]
            })
            .collect();
        for out in race(&env, &imports) {
            out.success();
        }
        assert_no_lock(&env);

        let v = verify_json(&env, &[]);
        assert_eq!(v["ok"], true, "{v:#}");
        assert_eq!(v["editions_checked"], 4);

        let branch = branch_commits(&env);
        let entries = ledger_entries(&env);
        assert_eq!(branch.len(), 4);
        assert_eq!(entries.len(), 4, "one ledger entry per edition");
        let tags = edition_objects(&env);
        let mut prev = GENESIS.to_string();
        let mut ids = BTreeSet::new();
        for (n, (entry, commit)) in entries.iter().zip(&branch).enumerate() {
            assert_eq!(entry["seq"], n + 1);
            assert_eq!(
                entry["commit"],
                commit.as_str(),
                "entry {} is not in branch order",
                n + 1
            );
            let record: Value =
                serde_json::from_str(&env.git_ok(&["show", &format!("{commit}:edition.json")]))
                    .expect("edition.json");
            let id = record["id"].as_str().expect("id");
            assert_eq!(entry["edition"], id);
            assert_eq!(entry["tag"], tags[id].1.as_str());
            assert_eq!(tags[id].0, *commit);
            assert_eq!(entry["prev_entry_sha256"], prev.as_str());
            prev = entry["entry_sha256"].as_str().expect("seal").to_string();
            ids.insert(id.to_string());
        }
        assert_eq!(
            ids,
            BTreeSet::from(["c1", "c2", "c3", "c4"].map(String::from))
        );
    }
}
