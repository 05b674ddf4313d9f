//! Several `livedoc import` processes writing to one store at once: every
//! edition lands exactly once, on one linear branch, each with its tag.

use std::collections::BTreeSet;

use crate::common::stores::assert_landed_once;
use crate::common::{TestEnv, import_real_as, race};

/// `import editions/2024-04.md --edition eN` for N in 1..=n.
fn imports_of_real(n: usize) -> Vec<Vec<String>> {
    (1..=n).map(|i| import_real_as(&format!("e{i}"))).collect()
}

/// Races `n` imports of different editions into a store just created
/// with `livedoc init` (racing to create the store itself is a known bug:
/// see the ignored test at the end).
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
