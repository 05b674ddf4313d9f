//! The audit trail from the command line: `verify` against tampering done
//! with plain git, `verify`, `trace` and `blame` writing nothing, `trace`
//! and `blame` on renumbered, reworded, moved and removed items, SSH-signed
//! edition tags, the writers' lock, and the ledger after concurrent imports.
//!
//! The stores are built from the synthetic fixture pairs:
//!
//! - e1 = `renumbered-items/before.md`: WG.2 has Recommendations 2–7;
//! - e2 = `renumbered-items/after.md`: the same six renumbered 3–8;
//! - e3 = `modified-recommendation/after.md`: back to 2–7, with
//!   Recommendation 4 reworded. Relabelled *and* reworded in one edition,
//!   the old Recommendation 4 (then labelled 5) pairs with nothing, since
//!   labelled items are never paired by similarity alone: its history ends
//!   as removed and the reworded text is a new item, `…#4~2`.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::fixtures::diff_fixture;
use crate::common::{Output, TestEnv, race, replace_once};

/// The meeting whose recommendations the fixtures renumber and reword.
const WG2: &str = "CTOC/COP/WG.2/2023/4";
/// Recommendation 4 of WG.2 in e1 (the "RevMod" one): labelled 5 in e2.
const REC4: &str = "CTOC/COP/WG.2/2023/4#4";
/// Recommendation 3 of WG.2 in e1: labelled 4 in e2.
const REC3: &str = "CTOC/COP/WG.2/2023/4#3";
/// The reworded Recommendation 4 of e3, a new item.
const REC4_REWORDED: &str = "CTOC/COP/WG.2/2023/4#4~2";
/// A recommendation no fixture touches.
const UNTOUCHED: &str = "CTOC/COP/WG.4/2022/4#14";
/// The wording of REC4 up to e2, and after the rewording.
const OLD_WORDING: &str = "Parties should consider providing extrabudgetary resources to UNODC to support the further development of the secure module";
const NEW_WORDING: &str = "Parties are encouraged to consider providing extrabudgetary resources to UNODC to support the further development of the secure module";
/// The hash before the first ledger entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who forges commits with plain git, at a fixed time so ids are stable.
const FORGER: [(&str, &str); 6] = [
    ("GIT_AUTHOR_NAME", "Mallory"),
    ("GIT_AUTHOR_EMAIL", "mallory@example.org"),
    ("GIT_AUTHOR_DATE", "1714000000 +0000"),
    ("GIT_COMMITTER_NAME", "Mallory"),
    ("GIT_COMMITTER_EMAIL", "mallory@example.org"),
    ("GIT_COMMITTER_DATE", "1714000000 +0000"),
];

// ---------------------------------------------------------------------------
// Building stores

/// Copies a fixture into the test directory as `CASE/FILE` and runs
/// `import CASE/FILE --edition ID` plus `extra`.
fn import_fixture(env: &TestEnv, case: &str, file: &str, id: &str, extra: &[&str]) -> Output {
    let rel = env.write(&format!("{case}/{file}"), diff_fixture(case, file));
    let mut args = vec!["import", rel.as_str(), "--edition", id];
    args.extend_from_slice(extra);
    env.run(&args)
}

/// Imports a fixture, asserting that the edition landed and that the
/// writers' lock was released.
#[track_caller]
fn import_ok(env: &TestEnv, case: &str, file: &str, id: &str, extra: &[&str]) -> Output {
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

fn lock_path(env: &TestEnv) -> PathBuf {
    env.store().join("livedoc.lock")
}

#[track_caller]
fn assert_no_lock(env: &TestEnv) {
    assert!(
        !lock_path(env).exists(),
        "a successful import left {} behind",
        lock_path(env).display()
    );
}

/// e1 and e2: WG.2's Recommendations 2–7 renumbered 3–8.
fn renumbered_store() -> TestEnv {
    let env = TestEnv::new();
    import_ok(&env, "renumbered-items", "before.md", "e1", &[]);
    import_ok(&env, "renumbered-items", "after.md", "e2", &[]);
    env
}

/// e1, e2 and e3 (see the module documentation).
fn three_edition_store() -> TestEnv {
    let env = renumbered_store();
    import_ok(&env, "modified-recommendation", "after.md", "e3", &[]);
    env
}

// ---------------------------------------------------------------------------
// Reading the store with plain git

fn rev(env: &TestEnv, spec: &str) -> String {
    env.git_ok(&["rev-parse", spec])
}

/// The commit and tag object of each edition tag, by edition id.
fn edition_objects(env: &TestEnv) -> BTreeMap<String, (String, String)> {
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
fn ledger_commits(env: &TestEnv) -> Vec<String> {
    let mut c: Vec<String> = env
        .git_ok(&["log", "--format=%H", "refs/livedoc/ledger"])
        .lines()
        .map(String::from)
        .collect();
    c.reverse();
    c
}

/// The exact bytes of a ledger commit's `entry.json`.
fn entry_text(env: &TestEnv, commit: &str) -> String {
    let out = env.git(&["show", &format!("{commit}:entry.json")]);
    out.success();
    out.stdout
}

/// The ledger's entries, oldest first.
fn ledger_entries(env: &TestEnv) -> Vec<Value> {
    ledger_commits(env)
        .iter()
        .map(|c| serde_json::from_str(&entry_text(env, c)).expect("entry.json is JSON"))
        .collect()
}

/// The commits of the editions branch, oldest first.
fn branch_commits(env: &TestEnv) -> Vec<String> {
    env.git_ok(&["rev-list", "--reverse", "--first-parent", "editions"])
        .lines()
        .map(String::from)
        .collect()
}

/// Every file of a store with the sha256 of its content: equal listings
/// mean not a byte was written (no lock, no reflog, no config change).
fn store_files(store: &Path) -> BTreeMap<PathBuf, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<PathBuf, String>) {
        for e in std::fs::read_dir(dir).expect("readable store") {
            let path = e.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                let bytes = std::fs::read(&path).expect("readable file");
                out.insert(
                    path.strip_prefix(root).expect("inside").to_path_buf(),
                    hex::encode(Sha256::digest(bytes)),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(store, store, &mut out);
    out
}

// ---------------------------------------------------------------------------
// Forging with plain git

/// Writes `bytes` as a blob with `git hash-object -w`; returns its id.
fn write_blob(env: &TestEnv, name: &str, bytes: &[u8]) -> String {
    let rel = env.write(&format!("forged/{name}"), bytes);
    env.git_ok(&["hash-object", "-w", &rel])
}

/// The tree `base` (none: the empty tree) with `path` set to `blob`, built
/// in a temporary index (`GIT_INDEX_FILE`).
fn tree_with(env: &TestEnv, base: Option<&str>, path: &str, blob: &str) -> String {
    let index = env.root().join(format!("forged/{blob}.index"));
    let index = index.to_str().expect("UTF-8 path");
    let vars = [("GIT_INDEX_FILE", index)];
    match base {
        Some(tree) => env.git_env_ok(&vars, &["read-tree", tree]),
        None => env.git_env_ok(&vars, &["read-tree", "--empty"]),
    };
    env.git_env_ok(
        &vars,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("100644,{blob},{path}"),
        ],
    );
    env.git_env_ok(&vars, &["write-tree"])
}

/// `git commit-tree` as Mallory.
fn commit_tree(env: &TestEnv, tree: &str, parents: &[&str], message: &str) -> String {
    let mut args = vec!["commit-tree", tree];
    for p in parents {
        args.extend(["-p", p]);
    }
    args.extend(["-m", message]);
    env.git_env_ok(&FORGER, &args)
}

/// An entry's text with its seal recomputed as livedoc seals: the sha256
/// of the entry's canonical JSON with `entry_sha256` empty.
fn reseal(entry: &str) -> String {
    let v: Value = serde_json::from_str(entry).expect("entry.json is JSON");
    let old = v["entry_sha256"].as_str().expect("entry_sha256");
    let unsealed = replace_once(
        entry,
        &format!("\"entry_sha256\": \"{old}\""),
        "\"entry_sha256\": \"\"",
    );
    let seal = hex::encode(Sha256::digest(unsealed.as_bytes()));
    replace_once(
        &unsealed,
        "\"entry_sha256\": \"\"",
        &format!("\"entry_sha256\": \"{seal}\""),
    )
}

/// A ledger commit holding `entry` as its `entry.json`.
fn ledger_commit(env: &TestEnv, entry: &str, parents: &[&str], message: &str) -> String {
    let blob = write_blob(env, &format!("{message}.json"), entry.as_bytes());
    let tree = tree_with(env, None, "entry.json", &blob);
    commit_tree(env, &tree, parents, message)
}

/// Replaces one field's string value in an entry's text, keeping its form.
fn with_field(entry: &str, field: &str, value: &str) -> String {
    let v: Value = serde_json::from_str(entry).expect("entry.json is JSON");
    let old = v[field].as_str().expect("a string field");
    replace_once(
        entry,
        &format!("\"{field}\": \"{old}\""),
        &format!("\"{field}\": \"{value}\""),
    )
}

// ---------------------------------------------------------------------------
// Verify

/// `verify --format json` plus `extra`: checks the JSON contract and that
/// the exit code agrees with `ok`.
#[track_caller]
fn verify_json(env: &TestEnv, extra: &[&str]) -> Value {
    let mut args = vec!["verify", "--format", "json"];
    args.extend_from_slice(extra);
    let out = env.run(&args);
    out.assert_no_panic();
    let v = out.json();
    for field in [
        "schema_version",
        "ok",
        "editions",
        "objects_checked",
        "signatures_checked",
        "violations",
    ] {
        assert!(v.get(field).is_some(), "no {field} in {v:#}");
    }
    assert_eq!(v["schema_version"], 1);
    let ok = v["ok"].as_bool().expect("ok is a boolean");
    let violations = v["violations"].as_array().expect("violations is a list");
    assert_eq!(ok, violations.is_empty(), "{v:#}");
    assert_eq!(
        out.code,
        Some(if ok { 0 } else { 1 }),
        "exit code against ok\n{v:#}\n{}",
        out.stderr
    );
    for x in violations {
        assert!(
            x["kind"].as_str().is_some_and(|k| !k.is_empty()),
            "kind: {x}"
        );
        assert!(
            x["edition"].is_string() || x["edition"].is_null(),
            "edition: {x}"
        );
        assert!(
            x["message"].as_str().is_some_and(|m| !m.is_empty()),
            "message: {x}"
        );
    }
    v
}

/// `verify --format json` on a store that was tampered with: exit 1.
#[track_caller]
fn verify_tampered(env: &TestEnv) -> Value {
    let v = verify_json(env, &[]);
    assert_eq!(v["ok"], false, "the tampering went unnoticed");
    v
}

/// `(kind, edition)` of each violation.
fn found(v: &Value) -> Vec<(String, Option<String>)> {
    v["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|x| {
            (
                x["kind"].as_str().expect("kind").to_string(),
                x["edition"].as_str().map(String::from),
            )
        })
        .collect()
}

fn pair(kind: &str, edition: &str) -> (String, Option<String>) {
    (kind.to_string(), Some(edition.to_string()))
}

#[track_caller]
fn assert_found(v: &Value, kind: &str, edition: &str) {
    assert!(
        found(v).contains(&pair(kind, edition)),
        "no {kind} naming edition {edition} in\n{v:#}"
    );
}

/// The message of the first violation of `kind`.
#[track_caller]
fn message_of<'a>(v: &'a Value, kind: &str) -> &'a str {
    v["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .find(|x| x["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {v:#}"))["message"]
        .as_str()
        .expect("message")
}

/// Names for the object ids and digests that verify's messages print, taken
/// before tampering, so a snapshot shows which is named where.
struct Names(Vec<(String, String)>);

impl Names {
    fn before_tampering(env: &TestEnv) -> Names {
        let mut names = Names(Vec::new());
        for (id, (commit, tag)) in edition_objects(env) {
            names.add(&commit, &format!("[commit {id}]"));
            names.add(&tag, &format!("[tag {id}]"));
        }
        for e in ledger_entries(env) {
            let id = e["edition"].as_str().expect("edition");
            let digest = e["snapshot_sha256"].as_str().expect("digest");
            names.add(digest, &format!("[snapshot {id}]"));
        }
        names
    }

    fn add(&mut self, oid: &str, label: &str) {
        self.0.push((oid.to_string(), label.to_string()));
    }

    /// Full ids become their names; any other sha256 becomes `[sha256]`.
    fn apply(&self, env: &TestEnv, text: &str) -> String {
        let mut s = text.to_string();
        for (oid, label) in &self.0 {
            s = s.replace(oid, label);
        }
        let digest = regex::Regex::new("[0-9a-f]{64}").expect("regex");
        env.normalize(&digest.replace_all(&s, "[sha256]"))
    }
}

#[test]
fn a_clean_store_verifies() {
    let env = three_edition_store();
    let v = verify_json(&env, &[]);
    assert_eq!(v["ok"], true);
    assert_eq!(v["editions"], 3);
    assert_eq!(v["signatures_checked"], 0);
    assert_eq!(v["violations"], serde_json::json!([]));
    // Every edition has at least its commit, tree, tag, ledger commit and
    // entry blob, and the meeting files.
    let objects = v["objects_checked"].as_u64().expect("a count");
    assert!(objects >= 3 * 5 + 10, "{objects}");
    let text = env.ok(&["verify"]);
    assert_eq!(
        text.stdout,
        format!("verify: 3 editions, {objects} objects checked: everything holds\n")
    );

    // An empty store holds nothing that could be wrong.
    let empty = TestEnv::new();
    empty.ok(&["init"]);
    let v = verify_json(&empty, &[]);
    assert_eq!(v["ok"], true);
    assert_eq!(v["editions"], 0);
}

#[test]
fn verify_without_a_store_cannot_run() {
    let env = TestEnv::new();
    for format in ["text", "json"] {
        let out = env.run(&["verify", "--format", format]);
        out.failure();
        assert_eq!(out.stdout, "", "nothing on stdout when verify cannot run");
        assert_eq!(
            out.error_lines(),
            ["error: no edition store at livedoc.git"]
        );
        assert!(out.hint().contains("--store"), "{}", out.stderr);
    }
    let out = env.run(&["--store", "elsewhere.git", "verify"]);
    out.failure();
    assert!(out.stderr.contains("elsewhere.git"), "{}", out.stderr);
    assert!(!env.store().exists() && !env.root().join("elsewhere.git").exists());
}

#[test]
fn a_moved_tag_is_tag_moved() {
    let env = three_edition_store();
    let published = rev(&env, "refs/tags/edition/e2");
    let e1 = rev(&env, "edition/e1^{commit}");
    env.git_ok(&["tag", "-f", "edition/e2", &e1]);
    assert_eq!(rev(&env, "refs/tags/edition/e2"), e1);
    let v = verify_tampered(&env);
    assert_eq!(found(&v), [pair("tag-moved", "e2")], "{v:#}");
    let message = message_of(&v, "tag-moved");
    assert!(
        message.contains(&e1) && message.contains(&published),
        "{message}"
    );
}

#[test]
fn a_deleted_tag_is_tag_missing() {
    let env = three_edition_store();
    let names = Names::before_tampering(&env);
    env.git_ok(&["tag", "-d", "edition/e2"]);
    let v = verify_tampered(&env);
    assert_eq!(found(&v), [pair("tag-missing", "e2")], "{v:#}");
    let out = env.run(&["verify"]);
    assert_eq!(out.code, Some(1));
    insta::assert_snapshot!("verify_tag_missing", names.apply(&env, &out.rendered()));
}

#[test]
fn a_tag_made_by_hand_is_tag_unrecorded() {
    let env = three_edition_store();
    env.git_ok(&[
        "-c",
        "user.name=Mallory",
        "-c",
        "user.email=mallory@example.org",
        "tag",
        "-a",
        "-m",
        "Edition e4",
        "edition/e4",
        "editions",
    ]);
    let v = verify_tampered(&env);
    assert_eq!(found(&v), [pair("tag-unrecorded", "e4")], "{v:#}");
}

#[test]
fn a_rewritten_branch_is_branch_rewritten() {
    let env = three_edition_store();
    let mut names = Names::before_tampering(&env);
    // e2 again, with a changed edition.json, then e3 re-parented on it.
    let record = env.git_ok(&["show", "edition/e2:edition.json"]) + "\n";
    let forged = replace_once(&record, "\"place\": \"Vienna\"", "\"place\": \"Geneva\"");
    let blob = write_blob(&env, "edition.json", forged.as_bytes());
    let tree = tree_with(&env, Some("edition/e2^{tree}"), "edition.json", &blob);
    assert_ne!(tree, rev(&env, "edition/e2^{tree}"));
    let e2 = commit_tree(
        &env,
        &tree,
        &[&rev(&env, "edition/e1^{commit}")],
        "Edition e2",
    );
    let e3 = commit_tree(&env, &rev(&env, "edition/e3^{tree}"), &[&e2], "Edition e3");
    env.git_ok(&["update-ref", "refs/heads/editions", &e3]);
    names.add(&e2, "[forged commit e2]");
    names.add(&e3, "[re-parented commit e3]");

    let v = verify_tampered(&env);
    assert_found(&v, "branch-rewritten", "e2");
    assert_found(&v, "branch-rewritten", "e3");
    assert_found(&v, "snapshot-altered", "e2");
    let kinds = found(&v);
    // e3's files are what was published; e1 was not touched at all.
    assert!(!kinds.contains(&pair("snapshot-altered", "e3")), "{v:#}");
    assert!(
        kinds.iter().all(|(_, ed)| ed.as_deref() != Some("e1")),
        "{v:#}"
    );
    assert!(message_of(&v, "branch-rewritten").contains(&e2), "{v:#}");

    let out = env.run(&["verify"]);
    assert_eq!(out.code, Some(1));
    insta::assert_snapshot!(
        "verify_branch_rewritten",
        names.apply(&env, &out.rendered())
    );
}

/// Overwrites the loose object of e2's WG.2 meeting file (a blob no other
/// edition shares) with garbage; returns the blob's id.
fn corrupt_a_meeting_blob(env: &TestEnv) -> String {
    let path = "meetings/a/2023/ctoc-cop-wg-2-2023-4.json";
    let blob = rev(env, &format!("edition/e2:{path}"));
    for other in ["e1", "e3"] {
        assert_ne!(rev(env, &format!("edition/{other}:{path}")), blob);
    }
    let file = env
        .store()
        .join("objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    assert!(file.is_file(), "{} is not a loose object", file.display());
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    std::fs::write(&file, b"garbage, not a zlib stream\n").expect("overwrite");
    blob
}

#[test]
fn a_corrupt_object_is_object_corrupt() {
    let env = three_edition_store();
    let e2 = rev(&env, "edition/e2^{commit}");
    let blob = corrupt_a_meeting_blob(&env);
    let v = verify_tampered(&env);
    let kinds: BTreeSet<String> = found(&v).into_iter().map(|(k, _)| k).collect();
    assert!(kinds.contains("object-corrupt"), "{v:#}");
    assert!(message_of(&v, "object-corrupt").contains(&blob), "{v:#}");
    // The edition whose files cannot be read is named by its commit.
    assert!(message_of(&v, "snapshot-unreadable").contains(&e2), "{v:#}");
    // The history commands stop with an error rather than print a guess.
    let out = env.run(&["trace", REC4]);
    out.failure();
}

/// Regression: `object-corrupt` and `snapshot-unreadable` carried
/// `"edition": null`, although the ledger entry at the unreadable commit's
/// place names the edition (e2).
#[test]
fn a_corrupt_object_names_the_edition_it_damages() {
    let env = three_edition_store();
    corrupt_a_meeting_blob(&env);
    let v = verify_tampered(&env);
    let kinds = found(&v);
    assert!(
        kinds.contains(&pair("snapshot-unreadable", "e2"))
            || kinds.contains(&pair("object-corrupt", "e2")),
        "no violation names e2:\n{v:#}"
    );
}

/// Regression: when one edition's snapshot could not be read, verify
/// re-imported the next edition as if it were the first and reported
/// `reimport-differs` for e3, whose source and files are intact.
#[test]
fn a_corrupt_object_in_one_edition_is_no_violation_of_the_next() {
    let env = three_edition_store();
    corrupt_a_meeting_blob(&env);
    let v = verify_tampered(&env);
    assert!(
        found(&v).iter().all(|(_, ed)| ed.as_deref() != Some("e3")),
        "a violation names the untouched edition e3:\n{v:#}"
    );
}

#[test]
fn an_edited_ledger_entry_is_ledger_entry_altered() {
    let other = hex::encode(Sha256::digest(b"another snapshot"));
    // Keep the old seal, or empty it.
    for keep_seal in [true, false] {
        let env = three_edition_store();
        let ledger = ledger_commits(&env);
        assert_eq!(ledger.len(), 3);
        let text = entry_text(&env, &ledger[2]);
        assert_eq!(reseal(&text), text, "reseal reproduces livedoc's seal");
        let mut forged = with_field(&text, "snapshot_sha256", &other);
        if !keep_seal {
            forged = with_field(&forged, "entry_sha256", "");
        }
        let commit = ledger_commit(&env, &forged, &[&ledger[1]], "forged entry 3");
        env.git_ok(&["update-ref", "refs/livedoc/ledger", &commit]);
        assert_eq!(
            env.git_ok(&["rev-parse", "refs/livedoc/ledger^"]),
            ledger[1]
        );
        let v = verify_tampered(&env);
        assert_found(&v, "ledger-entry-altered", "e3");
        let kinds = found(&v);
        assert!(
            !kinds.iter().any(|(k, _)| k == "ledger-chain-broken"),
            "{v:#}"
        );
        assert!(
            !kinds
                .iter()
                .any(|(k, ed)| k == "ledger-entry-altered" && ed.as_deref() != Some("e3")),
            "{v:#}"
        );
    }
}

#[test]
fn a_resealed_ledger_entry_breaks_the_chain() {
    let env = three_edition_store();
    let ledger = ledger_commits(&env);
    // Entry 2 changed and sealed again as livedoc would; entry 3 put back on
    // top of it unchanged.
    let text = entry_text(&env, &ledger[1]);
    let forged = reseal(&with_field(
        &text,
        "snapshot_sha256",
        &hex::encode(Sha256::digest(b"another snapshot")),
    ));
    assert_ne!(forged, text);
    let two = ledger_commit(&env, &forged, &[&ledger[0]], "forged entry 2");
    let three = commit_tree(
        &env,
        &rev(&env, &format!("{}^{{tree}}", ledger[2])),
        &[&two],
        "entry 3",
    );
    env.git_ok(&["update-ref", "refs/livedoc/ledger", &three]);

    let v = verify_tampered(&env);
    assert_found(&v, "ledger-chain-broken", "e3");
    // The seal of the forged entry holds; what gives it away is the chain,
    // and the snapshot it now claims.
    let kinds = found(&v);
    assert!(
        !kinds.iter().any(|(k, _)| k == "ledger-entry-altered"),
        "{v:#}"
    );
    assert_found(&v, "snapshot-altered", "e2");
}

#[test]
fn a_dropped_ledger_entry_breaks_the_chain() {
    let env = three_edition_store();
    let ledger = ledger_commits(&env);
    // Entry 3 re-parented on entry 1: entry 2 is gone from the ledger.
    let three = commit_tree(
        &env,
        &rev(&env, &format!("{}^{{tree}}", ledger[2])),
        &[&ledger[0]],
        "entry 3",
    );
    env.git_ok(&["update-ref", "refs/livedoc/ledger", &three]);
    assert_eq!(ledger_commits(&env).len(), 2);

    let v = verify_tampered(&env);
    assert_found(&v, "ledger-chain-broken", "e3");
    assert_found(&v, "ledger-sequence", "e3");
    // e2 is now on the branch and tagged but in no ledger entry.
    assert_found(&v, "tag-unrecorded", "e2");
    assert!(
        !found(&v).iter().any(|(k, _)| k == "ledger-entry-altered"),
        "{v:#}"
    );
}

// ---------------------------------------------------------------------------
// Read-only commands

#[test]
fn verify_trace_and_blame_write_nothing() {
    let env = three_edition_store();
    let refs = env.refs_and_objects();
    let files = store_files(&env.store());
    let commands: [&[&str]; 10] = [
        &["verify"],
        &["verify", "--format", "json"],
        &["trace", REC4],
        &["trace", REC4, "--format", "json"],
        &["trace", "CTOC/COP/WG.2/2023/4#5", "--in", "e2"],
        &["trace", "--text", "RevMod"],
        &["trace", "--text", "States parties"],
        &["blame"],
        &["blame", "e2", "--format", "json"],
        &["blame", "e1", "--format", "markdown"],
    ];
    for args in commands {
        let out = env.run(args);
        out.assert_no_panic();
        assert_eq!(env.refs_and_objects(), refs, "{args:?} wrote to the store");
        assert_eq!(store_files(&env.store()), files, "{args:?} wrote a file");
    }
    // And after a tampering, verify still only reads.
    env.git_ok(&["tag", "-d", "edition/e1"]);
    let refs = env.refs_and_objects();
    let files = store_files(&env.store());
    assert_eq!(env.run(&["verify"]).code, Some(1));
    assert_eq!(env.refs_and_objects(), refs);
    assert_eq!(store_files(&env.store()), files);
}

// ---------------------------------------------------------------------------
// Trace

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
    assert_eq!(v["schema_version"], 1);
    assert!(v["item"].is_string(), "{v:#}");
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

#[test]
fn trace_follows_a_renumbered_item_under_one_id() {
    let env = renumbered_store();
    let (v, out) = trace_json(&env, &[REC4]);
    assert_eq!(v["item"], REC4);
    assert_eq!(v["kind"], "recommendation");
    assert_eq!(statuses(&v), ["added", "renumbered"]);
    assert_eq!(column(&v, "label"), [Some("4"), Some("5")]);
    assert_eq!(column(&v, "edition"), [Some("e1"), Some("e2")]);
    assert_eq!(column(&v, "meeting"), [Some(WG2), Some(WG2)]);
    for e in v["entries"].as_array().expect("entries") {
        let id = e["edition"].as_str().expect("edition");
        assert_eq!(e["commit"], rev(&env, &format!("edition/{id}^{{commit}}")));
        assert_eq!(e["tag"], rev(&env, &format!("refs/tags/edition/{id}")));
        assert!(e["text"].as_str().expect("text").starts_with(OLD_WORDING));
        assert_eq!(e["changes"], serde_json::json!([]));
        assert_eq!(e["cut_by"], crate::common::AUTHOR);
        assert_eq!(e["cut_at"], crate::common::CUT_AT);
    }
    assert_eq!(column(&v, "date"), [Some("2024-04"), Some("2025-03")]);
    // The permanent id now means something else as a label: say so.
    assert_eq!(
        notes(&out),
        [format!(
            "note: {REC4} is a permanent id; the item labelled 4 in the newest edition is {REC3} (trace it with --in latest)"
        )]
    );
    // SYMBOL#LABEL as printed in the newest edition, where 8 was never an id.
    let (v, out) = trace_json(&env, &["CTOC/COP/WG.2/2023/4#8"]);
    assert_eq!(v["item"], "CTOC/COP/WG.2/2023/4#7");
    assert_eq!(notes(&out), Vec::<&str>::new());

    // e3 relabels it 4 again and rewords it in the same edition: its
    // history ends (see the module documentation), and the reworded text is
    // a new item.
    import_ok(&env, "modified-recommendation", "after.md", "e3", &[]);
    let (v, out) = trace_json(&env, &[REC4]);
    assert_eq!(v["item"], REC4);
    assert_eq!(statuses(&v), ["added", "renumbered", "removed"]);
    assert_eq!(column(&v, "label"), [Some("4"), Some("5"), Some("5")]);
    assert!(notes(&out)[0].contains(REC4_REWORDED), "{}", out.stderr);
    let (v, _) = trace_json(&env, &[REC4_REWORDED]);
    assert_eq!(statuses(&v), ["added"]);
    assert_eq!(column(&v, "edition"), [Some("e3")]);
    assert!(
        v["entries"][0]["text"]
            .as_str()
            .expect("text")
            .starts_with(NEW_WORDING)
    );
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
fn trace_follows_a_renumbered_then_reworded_item() {
    let env = reworded_store();
    let (v, _) = trace_json(&env, &[REC4]);
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
    let out = env.ok(&["trace", REC4]);
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
    // Newest edition first: the new wording is the new item ...
    let (v, _) = trace_json(&env, &["--text", "revmod"]);
    assert_eq!(v["item"], REC4_REWORDED);
    // ... and the old wording, gone from e3, is found in e2.
    let (v, _) = trace_json(&env, &["--text", OLD_WORDING]);
    assert_eq!(v["item"], REC4);
    // Case and spacing are ignored.
    let (v, _) = trace_json(
        &env,
        &[
            "--text",
            "  ARE   encouraged to consider providing EXTRABUDGETARY",
        ],
    );
    assert_eq!(v["item"], REC4_REWORDED);

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
    // Recommendation 3, in e3 the reworded one.
    for (edition, id) in [
        ("e1", REC4),
        ("e2", REC3),
        ("e3", REC4_REWORDED),
        ("latest", REC4_REWORDED),
    ] {
        let (v, out) = trace_json(&env, &["CTOC/COP/WG.2/2023/4#4", "--in", edition]);
        assert_eq!(v["item"], id, "--in {edition}");
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
    assert_eq!(v["item"], "CTOC/COP/WG.2/2023/4#7");
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
    assert_eq!(v["item"], moved);
    assert_eq!(statuses(&v), ["added", "moved"]);
    assert_eq!(
        column(&v, "meeting"),
        [Some("CTOC/COP/WG.6/2023/5"), Some(WG2)]
    );
    assert_eq!(column(&v, "label"), [Some("18"), Some("8")]);
    assert_eq!(notes(&out), Vec::<&str>::new());
    // Its label in the newest edition names the same item.
    let (v, _) = trace_json(&env, &["CTOC/COP/WG.2/2023/4#8"]);
    assert_eq!(v["item"], moved);
    let text = env.ok(&["trace", moved]);
    assert!(
        text.stdout.lines().any(|l| l.starts_with("m2 ")
            && l.contains("moved")
            && l.contains(&format!("Recommendation 8  in {WG2}"))),
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
    let id = v["item"].as_str().expect("item").to_string();
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

// ---------------------------------------------------------------------------
// Blame

#[track_caller]
fn blame_item<'a>(b: &'a Value, id: &str) -> &'a Value {
    b["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not blamed in {}", b["edition"]))
}

fn blame_of(b: &Value, id: &str) -> (String, String, String) {
    let i = blame_item(b, id);
    let s = |f: &str| i[f].as_str().expect(f).to_string();
    (s("introduced"), s("last_changed"), s("last_change"))
}

fn triple(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

#[test]
fn blame_text_and_markdown() {
    let env = renumbered_store();
    let text = env.ok(&["blame"]);
    assert!(
        text.stdout.starts_with("blame of edition e2 (March 2025)"),
        "{}",
        text.stdout
    );
    insta::assert_snapshot!("blame_text", env.snapshot(&text));
    let markdown = env.ok(&["blame", "e2", "--format", "markdown"]);
    assert!(markdown.stdout.contains(&format!(
        "| Recommendation 5 | e1 | e2 (renumbered) | `{REC4}` |"
    )));
    insta::assert_snapshot!("blame_markdown", env.snapshot(&markdown));
}

#[test]
fn blame_json_dates_each_item() {
    let env = three_edition_store();
    let b = env.ok(&["blame", "e2", "--format", "json"]).json();
    assert_eq!(b["schema_version"], 1);
    assert_eq!(b["edition"], "e2");
    assert_eq!(b["commit"], rev(&env, "edition/e2^{commit}"));
    assert_eq!(blame_of(&b, REC4), triple("e1", "e2", "renumbered"));
    assert_eq!(blame_item(&b, REC4)["label"], "5");
    assert_eq!(blame_of(&b, UNTOUCHED), triple("e1", "e1", "added"));
    // 37 items in every edition, each once.
    let items = b["items"].as_array().expect("items");
    assert_eq!(items.len(), 37);
    let ids: BTreeSet<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    assert_eq!(ids.len(), 37);

    // The default is the latest edition.
    let latest = env.ok(&["blame", "--format", "json"]).json();
    assert_eq!(latest, env.ok(&["blame", "e3", "--format", "json"]).json());
    assert_eq!(
        latest,
        env.ok(&["blame", "latest", "--format", "json"]).json()
    );
    assert_eq!(latest["edition"], "e3");
    assert_eq!(blame_of(&latest, REC3), triple("e1", "e3", "renumbered"));
    assert_eq!(
        blame_of(&latest, REC4_REWORDED),
        triple("e3", "e3", "added")
    );
    assert!(
        !latest["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["id"] == REC4)
    );
    // An older edition is blamed as it stood.
    let first = env.ok(&["blame", "e1", "--format", "json"]).json();
    assert_eq!(blame_of(&first, REC4), triple("e1", "e1", "added"));
    assert_eq!(
        env.ok(&["blame", "latest~2", "--format", "json"]).json(),
        first
    );
}

#[test]
fn blame_of_an_unknown_edition_exits_2() {
    let env = renumbered_store();
    let out = env.run(&["blame", "e9"]);
    out.failure();
    assert_eq!(out.stdout, "");
    assert_eq!(out.error_lines(), ["error: no edition e9 in the store"]);
    assert_eq!(
        out.hint(),
        "hint: known editions: e1, e2 (or latest, latest~N)"
    );
    let out = env.run(&["blame", "latest~2"]);
    out.failure();
}

// ---------------------------------------------------------------------------
// Signed tags

/// An ed25519 key pair `NAME` and `NAME.pub` in the test directory, and an
/// allowed-signers file `NAME.allowed` that trusts it for sec@example.org.
fn ssh_key(env: &TestEnv, name: &str) -> PathBuf {
    let status = Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "sec@example.org",
            "-f",
            name,
        ])
        .current_dir(env.root())
        .stdin(Stdio::null())
        .status()
        .expect("ssh-keygen runs");
    assert!(status.success());
    let public = std::fs::read_to_string(env.root().join(format!("{name}.pub"))).expect("pub");
    let allowed = env.root().join(format!("{name}.allowed"));
    std::fs::write(&allowed, format!("sec@example.org {public}")).expect("write allowed");
    allowed
}

/// Stock `git verify-tag` with git's SSH signature support.
fn git_verify_tag(env: &TestEnv, allowed: &Path, id: &str) -> Output {
    let allowed = format!("gpg.ssh.allowedSignersFile={}", allowed.display());
    env.git(&[
        "-c",
        "gpg.format=ssh",
        "-c",
        &allowed,
        "verify-tag",
        &format!("edition/{id}"),
    ])
}

#[test]
fn signed_tags_verify_with_git_and_livedoc() {
    let env = TestEnv::new();
    let allowed = ssh_key(&env, "key");
    let wrong = ssh_key(&env, "other");
    let allowed_arg = allowed.to_str().expect("UTF-8");
    import_ok(
        &env,
        "renumbered-items",
        "before.md",
        "e1",
        &["--sign", "key"],
    );
    import_ok(
        &env,
        "renumbered-items",
        "after.md",
        "e2",
        &["--sign", "key"],
    );
    for id in ["e1", "e2"] {
        let out = git_verify_tag(&env, &allowed, id);
        out.success();
        assert!(
            out.stderr
                .contains("Good \"git\" signature for sec@example.org"),
            "{}",
            out.stderr
        );
        // Another key does not make it good.
        assert_ne!(git_verify_tag(&env, &wrong, id).code, Some(0));
    }
    let v = verify_json(&env, &["--allowed-signers", allowed_arg]);
    assert_eq!(v["ok"], true, "{v:#}");
    assert_eq!(v["editions"], 2);
    assert_eq!(v["signatures_checked"], 2);
    let text = env.ok(&["verify", "--allowed-signers", allowed_arg]);
    assert!(
        text.stdout
            .contains(", 2 signatures checked: everything holds"),
        "{}",
        text.stdout
    );
    // Without the file, signatures are not checked.
    assert_eq!(verify_json(&env, &[])["signatures_checked"], 0);

    // Signed by a key the file does not trust.
    let v = verify_json(&env, &["--allowed-signers", wrong.to_str().expect("UTF-8")]);
    assert_eq!(
        found(&v),
        [pair("signature-bad", "e1"), pair("signature-bad", "e2")]
    );

    // An edition imported without --sign.
    import_ok(&env, "modified-recommendation", "after.md", "e3", &[]);
    assert_ne!(git_verify_tag(&env, &allowed, "e3").code, Some(0));
    let v = verify_json(&env, &["--allowed-signers", allowed_arg]);
    assert_eq!(found(&v), [pair("signature-missing", "e3")]);
    assert_eq!(v["signatures_checked"], 3);
    // Only the signature is missing: everything else holds.
    assert_eq!(verify_json(&env, &[])["ok"], true);
}

#[test]
fn sign_with_a_missing_key_exits_2_with_a_hint() {
    let env = TestEnv::new();
    import_ok(&env, "renumbered-items", "before.md", "e1", &[]);
    let out = import_fixture(
        &env,
        "renumbered-items",
        "after.md",
        "e2",
        &["--sign", "no-such-key"],
    );
    out.failure();
    assert!(
        out.error_lines()[0].contains("no-such-key"),
        "the error names the key: {}",
        out.stderr
    );
    assert!(out.hint().contains("key path"), "{}", out.stderr);
    assert_no_lock(&env);
    // No tag was made for it.
    assert!(!edition_objects(&env).contains_key("e2"));
}

/// Regression: `Store::import` moved the editions branch before it signed
/// the tag, so a signing failure left the new edition's commit on the
/// branch with no tag and no ledger entry.
#[test]
fn sign_with_a_missing_key_leaves_the_store_unchanged() {
    let env = TestEnv::new();
    import_ok(&env, "renumbered-items", "before.md", "e1", &[]);
    let before = env.refs_and_objects();
    let out = import_fixture(
        &env,
        "renumbered-items",
        "after.md",
        "e2",
        &["--sign", "no-such-key"],
    );
    out.failure();
    assert_eq!(env.refs_and_objects(), before);
}

/// Regression: after a failed signed import, the same import with a good
/// key said "already in the store … nothing to do", and the edition stayed
/// untagged and outside the ledger for good.
#[test]
fn a_failed_signed_import_can_be_retried() {
    let env = TestEnv::new();
    let allowed = ssh_key(&env, "key");
    import_ok(
        &env,
        "renumbered-items",
        "before.md",
        "e1",
        &["--sign", "key"],
    );
    import_fixture(
        &env,
        "renumbered-items",
        "after.md",
        "e2",
        &["--sign", "no-such-key"],
    )
    .failure();
    import_ok(
        &env,
        "renumbered-items",
        "after.md",
        "e2",
        &["--sign", "key"],
    );
    git_verify_tag(&env, &allowed, "e2").success();
    let v = verify_json(
        &env,
        &["--allowed-signers", allowed.to_str().expect("UTF-8")],
    );
    assert_eq!(v["ok"], true, "{v:#}");
}

#[test]
fn allowed_signers_naming_a_missing_file_exits_2() {
    let env = renumbered_store();
    let out = env.run(&["verify", "--allowed-signers", "no-such-file"]);
    out.failure();
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.error_lines(),
        ["error: cannot read no-such-file: no such file"]
    );
    out.hint();
    // A directory is no file either.
    env.run(&["verify", "--allowed-signers", "."]).failure();
}

// ---------------------------------------------------------------------------
// The writers' lock

#[test]
fn a_lock_left_by_a_dead_process_stops_import_at_once() {
    let env = TestEnv::new();
    import_ok(&env, "renumbered-items", "before.md", "e1", &[]);
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").expect("hostname");
    // 4294967 is above the largest pid Linux gives.
    let content = format!("pid=4294967\nhost={}\n", host.trim());
    std::fs::write(lock_path(&env), &content).expect("write the lock");
    let before = env.refs_and_objects();

    let started = Instant::now();
    let out = import_fixture(&env, "renumbered-items", "after.md", "e2", &[]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "waited {:?} for a dead process",
        started.elapsed()
    );
    out.failure();
    assert_eq!(
        out.error_lines(),
        [
            "error: the store is locked by livedoc.git/livedoc.lock, left by process 4294967, which is no longer running"
        ]
    );
    assert!(out.hint().contains("livedoc doctor"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(lock_path(&env)).expect("still there"),
        content
    );
    assert_eq!(env.refs_and_objects(), before);

    // With the store named by its full path, so is the lock.
    let store = env.store().display().to_string();
    let file = env.write(
        "renumbered-items/after.md",
        diff_fixture("renumbered-items", "after.md"),
    );
    let out = env.run(&["--store", &store, "import", &file, "--edition", "e2"]);
    out.failure();
    assert!(
        out.error_lines()[0].contains(&format!("{store}/livedoc.lock,")),
        "{}",
        out.stderr
    );
    assert!(lock_path(&env).exists());
    assert_eq!(env.refs_and_objects(), before);

    std::fs::remove_file(lock_path(&env)).expect("rm the lock");
    import_ok(&env, "renumbered-items", "after.md", "e2", &[]);
    assert_eq!(verify_json(&env, &[])["ok"], true);
}

// ---------------------------------------------------------------------------
// Concurrent importers and the ledger

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
        assert_eq!(v["editions"], 4);

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
