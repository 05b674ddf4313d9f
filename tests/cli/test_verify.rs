//! `livedoc verify` against tampering done with plain git: a clean store
//! verifies; a moved, deleted or hand-made tag, a rewritten branch, a
//! corrupt object, and an edited, resealed or dropped ledger entry are each
//! found and named by kind and edition, with exit code 1. The stores are
//! those of `common::stores` (e1, e2, e3).

use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::contracts::{found, pair, verify_json};
use crate::common::stores::{
    REC4, edition_objects, entry_text, ledger_commits, ledger_entries, rev, three_edition_store,
};
use crate::common::{TestEnv, replace_once};

/// Who forges commits with plain git, at a fixed time so ids are stable.
pub(crate) const FORGER: [(&str, &str); 6] = [
    ("GIT_AUTHOR_NAME", "Mallory"),
    ("GIT_AUTHOR_EMAIL", "mallory@example.org"),
    ("GIT_AUTHOR_DATE", "1714000000 +0000"),
    ("GIT_COMMITTER_NAME", "Mallory"),
    ("GIT_COMMITTER_EMAIL", "mallory@example.org"),
    ("GIT_COMMITTER_DATE", "1714000000 +0000"),
];

// ---------------------------------------------------------------------------
// Forging with plain git

/// Writes `bytes` as a blob with `git hash-object -w`; returns its id.
pub(crate) fn write_blob(env: &TestEnv, name: &str, bytes: &[u8]) -> String {
    let rel = env.write(&format!("forged/{name}"), bytes);
    env.git_ok(&["hash-object", "-w", &rel])
}

/// The tree `base` (none: the empty tree) with `path` set to `blob`, built
/// in a temporary index (`GIT_INDEX_FILE`).
pub(crate) fn tree_with(env: &TestEnv, base: Option<&str>, path: &str, blob: &str) -> String {
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
pub(crate) fn commit_tree(env: &TestEnv, tree: &str, parents: &[&str], message: &str) -> String {
    let mut args = vec!["commit-tree", tree];
    for p in parents {
        args.extend(["-p", p]);
    }
    args.extend(["-m", message]);
    env.git_env_ok(&FORGER, &args)
}

/// An entry's text with its seal recomputed as livedoc seals: the sha256
/// of the entry's canonical JSON with `entry_sha256` empty.
pub(crate) fn reseal(entry: &str) -> String {
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
pub(crate) fn ledger_commit(env: &TestEnv, entry: &str, parents: &[&str], message: &str) -> String {
    let blob = write_blob(env, &format!("{message}.json"), entry.as_bytes());
    let tree = tree_with(env, None, "entry.json", &blob);
    commit_tree(env, &tree, parents, message)
}

/// Replaces one field's string value in an entry's text, keeping its form.
pub(crate) fn with_field(entry: &str, field: &str, value: &str) -> String {
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

/// `verify --format json` on a store that was tampered with: exit 1.
#[track_caller]
fn verify_tampered(env: &TestEnv) -> Value {
    let v = verify_json(env, &[]);
    assert_eq!(v["ok"], false, "the tampering went unnoticed");
    v
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
    assert_eq!(v["editions_checked"], 3);
    assert_eq!(v["signatures_checked"], 0);
    assert_eq!(v["violations"], serde_json::json!([]));
    // Every edition has at least its commit, tree, tag, ledger commit and
    // entry blob, and the meeting files.
    let objects = v["objects_checked"].as_u64().expect("a count");
    assert!(objects >= 3 * 5 + 10, "{objects}");
    let text = env.ok(&["verify"]);
    let anchor = v["anchor"].as_str().expect("an anchor");
    assert_eq!(
        text.stdout,
        format!(
            "verify: 3 editions, {objects} objects checked: everything holds\nanchor: {anchor} (keep it: verify --anchor {anchor} proves later that no edition up to here was removed)\n"
        )
    );

    // An empty store holds nothing that could be wrong.
    let empty = TestEnv::new();
    empty.ok(&["init"]);
    let v = verify_json(&empty, &[]);
    assert_eq!(v["ok"], true);
    assert_eq!(v["editions_checked"], 0);
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
    let forged = replace_once(&record, "\"place\":\"Vienna\"", "\"place\":\"Geneva\"");
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
/// edition shares) with garbage, the store's packs first turned into loose
/// objects (as stores written before packs hold them); returns the blob's
/// id.
fn corrupt_a_meeting_blob(env: &TestEnv) -> String {
    crate::common::stores::unpack_to_loose(env);
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

/// Issue 35: the seal covers an entry's fields, not its bytes, so a ledger
/// entry written otherwise (a field added, the layout changed) kept its
/// seal and verified. Its bytes must be those livedoc writes.
#[test]
fn a_ledger_entry_written_otherwise_is_not_canonical() {
    let env = three_edition_store();
    let ledger = ledger_commits(&env);
    let text = entry_text(&env, &ledger[2]);
    let forged = replace_once(&text, "{\n", "{\n  \"note\": \"added by hand\",\n");
    let c = ledger_commit(&env, &forged, &[&ledger[1]], "entry 3");
    env.git_ok(&["update-ref", "refs/livedoc/ledger", &c]);
    let v = verify_tampered(&env);
    assert_found(&v, "not-canonical", "e3");
    assert!(
        !found(&v).iter().any(|(k, _)| k == "ledger-entry-altered"),
        "the seal itself holds: {v:#}"
    );
}

/// Issue 35: a ledger re-sealed to record a lightweight tag (the commit
/// itself as the entry's `tag`) verified: livedoc writes annotated tags
/// only, and says so.
#[test]
fn a_ledger_recording_a_lightweight_tag_is_found() {
    let env = three_edition_store();
    let ledger = ledger_commits(&env);
    let commit = rev(&env, "refs/tags/edition/e3^{commit}");
    env.git_ok(&["tag", "-d", "edition/e3"]);
    env.git_ok(&["tag", "edition/e3", &commit]);
    let text = entry_text(&env, &ledger[2]);
    let forged = reseal(&with_field(&text, "tag", &commit));
    let c = ledger_commit(&env, &forged, &[&ledger[1]], "entry 3");
    env.git_ok(&["update-ref", "refs/livedoc/ledger", &c]);
    let v = verify_tampered(&env);
    assert_found(&v, "tag-unreadable", "e3");
}

/// Issue 30: `verify --anchor garbage` reported a tampering ("editions …
/// were removed or the ledger was rewritten", exit 1); a malformed anchor
/// is a usage error (exit 2) that says what an anchor looks like.
#[test]
fn a_malformed_anchor_is_a_usage_error_not_a_finding() {
    let env = three_edition_store();
    for bad in ["garbage", "3", "03:abc", "3:XYZ"] {
        let out = env.run(&["verify", "--anchor", bad]);
        assert_eq!(out.code, Some(2), "{bad}: {}", out.stderr);
        assert!(out.stderr.contains("SEQ:SHA256"), "{bad}: {}", out.stderr);
        assert!(!out.stderr.contains("removed"), "{bad}: {}", out.stderr);
    }
}
