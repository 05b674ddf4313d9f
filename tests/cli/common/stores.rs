//! Stores built for the tests, and what plain git reads in them.
//!
//! The audit tests (`verify`, `trace`, `blame`, signed tags, the writers'
//! lock) build their stores from the synthetic fixture pairs:
//!
//! - e1 = `renumbered-items/before.md`: WG.2 has Recommendations 2–7;
//! - e2 = `renumbered-items/after.md`: the same six renumbered 3–8;
//! - e3 = `modified-recommendation/after.md`: back to 2–7, with
//!   Recommendation 4 reworded. Relabelled *and* reworded in one edition,
//!   the old Recommendation 4 (then labelled 5) keeps its id: rule 2b
//!   pairs it (a similar text under another label, its neighbours
//!   renumbered with it). Under rules 1 its history ended as removed and
//!   the reworded text became a new item, `…#4~2`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

use crate::common::fixtures::diff_fixture;
use crate::common::{Output, TestEnv};

/// The meeting whose recommendations the fixtures renumber and reword.
pub const WG2: &str = "CTOC/COP/WG.2/2023/4";
/// Recommendation 4 of WG.2 in e1 (the "RevMod" one): labelled 5 in e2.
pub const REC4: &str = "CTOC/COP/WG.2/2023/4#4";
/// Recommendation 3 of WG.2 in e1: labelled 4 in e2.
pub const REC3: &str = "CTOC/COP/WG.2/2023/4#3";
/// A recommendation no fixture touches.
pub const UNTOUCHED: &str = "CTOC/COP/WG.4/2022/4#14";
/// The wording of REC4 up to e2, and after the rewording.
pub const OLD_WORDING: &str = "Parties should consider providing extrabudgetary resources to UNODC to support the further development of the secure module";
pub const NEW_WORDING: &str = "Parties are encouraged to consider providing extrabudgetary resources to UNODC to support the further development of the secure module";

// ---------------------------------------------------------------------------
// Building stores

/// Copies a fixture into the test directory as `CASE/FILE` and runs
/// `import CASE/FILE --edition ID` plus `extra`.
pub fn import_fixture(env: &TestEnv, case: &str, file: &str, id: &str, extra: &[&str]) -> Output {
    let rel = env.write(&format!("{case}/{file}"), diff_fixture(case, file));
    let mut args = vec!["import", rel.as_str(), "--edition", id];
    args.extend_from_slice(extra);
    env.run(&args)
}

/// Imports a fixture, asserting that the edition landed and that the
/// writers' lock was released.
#[track_caller]
pub fn import_ok(env: &TestEnv, case: &str, file: &str, id: &str, extra: &[&str]) -> Output {
    let out = import_fixture(env, case, file, id, extra);
    out.success();
    assert!(
        out.stdout.starts_with(&format!("Imported edition {id} (")),
        "{}",
        out.stdout
    );
    assert_no_lock(env);
    out
}

pub fn lock_path(env: &TestEnv) -> PathBuf {
    env.store().join("livedoc.lock")
}

#[track_caller]
pub fn assert_no_lock(env: &TestEnv) {
    assert!(
        !lock_path(env).exists(),
        "a successful import left {} behind",
        lock_path(env).display()
    );
}

/// e1 and e2: WG.2's Recommendations 2–7 renumbered 3–8.
pub fn renumbered_store() -> TestEnv {
    let env = TestEnv::new();
    import_ok(&env, "renumbered-items", "before.md", "e1", &[]);
    import_ok(&env, "renumbered-items", "after.md", "e2", &[]);
    env
}

/// e1, e2 and e3 (see the module documentation).
pub fn three_edition_store() -> TestEnv {
    let env = renumbered_store();
    import_ok(&env, "modified-recommendation", "after.md", "e3", &[]);
    env
}

// ---------------------------------------------------------------------------
// Reading a store with plain git

pub fn rev(env: &TestEnv, spec: &str) -> String {
    env.git_ok(&["rev-parse", spec])
}

/// The commit and tag object of each edition tag, by edition id.
pub fn edition_objects(env: &TestEnv) -> BTreeMap<String, (String, String)> {
    env.git_ok(&[
        "for-each-ref",
        "--format=%(refname:strip=3) %(*objectname) %(objectname)",
        "refs/tags/edition/",
    ])
    .lines()
    .map(|l| {
        let f: Vec<&str> = l.split(' ').collect();
        (f[0].to_string(), (f[1].to_string(), f[2].to_string()))
    })
    .collect()
}

/// The ledger's commits, oldest first.
pub fn ledger_commits(env: &TestEnv) -> Vec<String> {
    let mut c: Vec<String> = env
        .git_ok(&["log", "--format=%H", "refs/livedoc/ledger"])
        .lines()
        .map(String::from)
        .collect();
    c.reverse();
    c
}

/// The exact bytes of a ledger commit's `entry.json`.
pub fn entry_text(env: &TestEnv, commit: &str) -> String {
    let out = env.git(&["show", &format!("{commit}:entry.json")]);
    out.success();
    out.stdout
}

/// The ledger's entries, oldest first.
pub fn ledger_entries(env: &TestEnv) -> Vec<Value> {
    ledger_commits(env)
        .iter()
        .map(|c| serde_json::from_str(&entry_text(env, c)).expect("entry.json is JSON"))
        .collect()
}

/// The commits of the editions branch, oldest first.
pub fn branch_commits(env: &TestEnv) -> Vec<String> {
    env.git_ok(&["rev-list", "--reverse", "--first-parent", "editions"])
        .lines()
        .map(String::from)
        .collect()
}

/// Asserts the store holds exactly `ids`, once each, on a linear branch,
/// each tagged at a commit of the branch that records that id.
#[track_caller]
pub fn assert_landed_once(env: &TestEnv, ids: &[String]) {
    let logged = env.log_ids();
    assert_eq!(logged.len(), ids.len(), "log: {logged:?}");
    let logged: BTreeSet<&String> = logged.iter().collect();
    let wanted: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(logged, wanted);

    let n = ids.len().to_string();
    assert_eq!(
        env.git_ok(&["rev-list", "--first-parent", "--count", "editions"]),
        n
    );
    assert_eq!(env.git_ok(&["rev-list", "--count", "editions"]), n);
    assert_eq!(env.git_ok(&["rev-list", "--merges", "editions"]), "");
    let on_branch: BTreeSet<String> = env
        .git_ok(&["rev-list", "editions"])
        .lines()
        .map(String::from)
        .collect();
    for id in ids {
        let tag = format!("refs/tags/edition/{id}");
        assert_eq!(env.git_ok(&["cat-file", "-t", &tag]), "tag", "{id}");
        let commit = env.git_ok(&["rev-parse", &format!("{tag}^{{commit}}")]);
        assert!(on_branch.contains(&commit), "tag of {id} is off the branch");
        let record: serde_json::Value =
            serde_json::from_str(&env.git_ok(&["show", &format!("{commit}:edition.json")]))
                .expect("edition.json");
        assert_eq!(
            record["id"],
            id.as_str(),
            "tag of {id} points at another edition"
        );
    }
    let fsck = env.git(&["fsck", "--full", "--no-dangling"]);
    fsck.success();
    assert_eq!(fsck.stdout, "", "{}", fsck.stderr);
}

/// The edition record (`edition.json`) of a stored edition, read with git.
#[track_caller]
pub fn edition_record(env: &TestEnv, id: &str) -> Value {
    let text = env.git_ok(&["show", &format!("edition/{id}:edition.json")]);
    serde_json::from_str(&text).expect("edition.json is JSON")
}

/// Turns every pack of the default store into loose objects (as stores
/// written before packs hold them), with plain git: a test that damages
/// one object's file needs it alone in a file.
pub fn unpack_to_loose(env: &TestEnv) {
    let dir = env.store().join("objects/pack");
    let packs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("objects/pack")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "pack"))
        .collect();
    for pack in packs {
        let bytes = std::fs::read(&pack).expect("a pack");
        for ext in ["pack", "idx", "rev"] {
            let _ = std::fs::remove_file(pack.with_extension(ext));
        }
        let mut cmd = std::process::Command::new("git");
        env.hermetic(&mut cmd);
        let mut child = cmd
            .arg("--git-dir")
            .arg(env.store())
            .args(["unpack-objects", "-q"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .expect("git runs");
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), &bytes).expect("write");
        assert!(
            child.wait().expect("git waits").success(),
            "git unpack-objects"
        );
    }
}
