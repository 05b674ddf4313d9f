//! Issue 35: `scripts/verify-store`, the stand-alone verifier written
//! from docs/reference/store-format.md alone (Python's standard library
//! and git), against `livedoc verify`. On every fixture store and on
//! every tampering made here with plain git the two must agree, except
//! where the specification names a check as needing livedoc's parser
//! (re-importing `source.md`): there the stand-alone verifier holds and
//! says what it did not check, and an anchor taken before the forgery
//! makes both fail.
//!
//! Needs `python3` (CI installs it); without it the tests fail in CI and
//! say so elsewhere, as the other tests that need a tool do.

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::stores::{
    branch_commits, edition_objects, entry_text, ledger_commits, rev, three_edition_store,
};
use crate::common::{TestEnv, replace_once};
use crate::test_fixture_store::copy_dir;
use crate::test_verify::{FORGER, commit_tree, ledger_commit, reseal, with_field, write_blob};

const VERIFY_STORE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/verify-store");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store");

/// What one verifier said: whether everything holds, and the kinds found.
#[derive(Debug)]
struct Verdict {
    ok: bool,
    kinds: Vec<String>,
    not_checked: Vec<String>,
}

/// `scripts/verify-store STORE --json` with `args`.
fn standalone(env: &TestEnv, store: &Path, args: &[&str]) -> Verdict {
    let mut cmd = Command::new("python3");
    env.hermetic(&mut cmd);
    cmd.arg(VERIFY_STORE).arg(store).arg("--json").args(args);
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("python3 did not run ({e}); install it: apt-get install python3")
    });
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "verify-store exited {code:?}:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "verify-store --json printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    assert_eq!(
        v["ok"],
        code == Some(0),
        "exit code and \"ok\" agree: {v:#}"
    );
    Verdict {
        ok: code == Some(0),
        kinds: kinds(&v),
        not_checked: v["not_checked"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect(),
    }
}

fn kinds(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v["violations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x["kind"].as_str().map(str::to_string))
        .collect();
    k.sort();
    k.dedup();
    k
}

/// `livedoc verify --format json` on `store` with `args`.
fn livedoc(env: &TestEnv, store: &Path, args: &[&str]) -> Verdict {
    let store = store.to_str().expect("UTF-8 path");
    let mut all = vec!["--store", store, "verify", "--format", "json"];
    all.extend_from_slice(args);
    let out = env.run(&all);
    let v = out.json();
    Verdict {
        ok: v["ok"] == true,
        kinds: kinds(&v),
        not_checked: Vec::new(),
    }
}

/// The two verifiers agree on `store`: both hold, or both find it altered
/// with at least one kind in common. Returns livedoc's verdict.
#[track_caller]
fn agree(env: &TestEnv, store: &Path, args: &[&str], case: &str) -> Verdict {
    let theirs = livedoc(env, store, args);
    let ours = standalone(env, store, args);
    assert_eq!(
        ours.ok, theirs.ok,
        "{case}: verify-store says {ours:?}, livedoc verify says {theirs:?}"
    );
    if !theirs.ok {
        assert!(
            ours.kinds.iter().any(|k| theirs.kinds.contains(k)),
            "{case}: no kind in common: verify-store {:?}, livedoc {:?}",
            ours.kinds,
            theirs.kinds
        );
    }
    theirs
}

#[test]
#[ignore = "needs python3: cargo test -- --ignored standalone (.ci/run runs it)"]
fn standalone_every_fixture_store_verifies_with_both() {
    for (name, signers) in [
        ("v1.git", Some("allowed_signers")),
        ("v2.git", Some("v2.allowed_signers")),
        ("v3.git", Some("v3.allowed_signers")),
        ("v4.git", Some("v4.allowed_signers")),
        ("v5.git", Some("v5.allowed_signers")),
        ("word-566d7b4.git", None),
    ] {
        let env = TestEnv::new();
        copy_dir(&Path::new(FIXTURES).join(name), &env.store());
        let signers = signers.map(|s| format!("{FIXTURES}/{s}"));
        let mut args = Vec::new();
        if let Some(s) = &signers {
            args.extend(["--allowed-signers", s.as_str()]);
        }
        let v = agree(&env, &env.store(), &args, name);
        assert!(v.ok, "{name}: {v:?}");
    }
}

/// A snapshot's digest as the specification defines it: for each file of
/// the commit's tree in bytewise path order, `path NUL hex(sha256) LF`.
fn snapshot_sha256(env: &TestEnv, commit: &str) -> String {
    let list = env.git_ok(&["ls-tree", "-r", "--full-tree", commit]);
    let mut files: Vec<(String, String)> = list
        .lines()
        .map(|l| {
            let (meta, path) = l.split_once('\t').expect("mode type id\tpath");
            let id = meta.split(' ').nth(2).expect("an id").to_string();
            (path.to_string(), id)
        })
        .collect();
    files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut h = Sha256::new();
    for (path, id) in files {
        let out = env.git(&["cat-file", "blob", &id]);
        out.success();
        let digest = hex::encode(Sha256::digest(&out.stdout_bytes));
        h.update(format!("{path}\0{digest}\n").as_bytes());
    }
    hex::encode(h.finalize())
}

/// Replaces the newest edition (e3) by a commit whose `path` holds `bytes`,
/// and forges everything after it as a thorough forger would: the commit,
/// an annotated tag, the ledger entry's commit, tag and snapshot digest,
/// its seal, and the refs.
fn reforge_newest(env: &TestEnv, path: &str, edit: impl Fn(&str) -> String) {
    let commits = branch_commits(env);
    let (parent, newest) = (&commits[1], &commits[2]);
    // The file's exact bytes (`git_ok` trims the last line end).
    let shown = env.git(&["show", &format!("{newest}:{path}")]);
    shown.success();
    let old = shown.stdout.clone();
    let new = edit(&old);
    assert_ne!(new, old, "the forgery changes {path}");
    let blob = write_blob(env, "forged-file", new.as_bytes());
    let tree = crate::test_verify::tree_with(env, Some(&format!("{newest}^{{tree}}")), path, &blob);
    let commit = commit_tree(env, &tree, &[parent], "Edition e3");
    env.git_ok(&["update-ref", "refs/heads/editions", &commit]);
    env.git_env_ok(
        &FORGER,
        &["tag", "-f", "-a", "-m", "Edition e3", "edition/e3", &commit],
    );
    let tag = rev(env, "refs/tags/edition/e3");
    let ledger = ledger_commits(env);
    let entry = entry_text(env, &ledger[2]);
    let entry = with_field(&entry, "commit", &commit);
    let entry = with_field(&entry, "tag", &tag);
    let entry = with_field(&entry, "snapshot_sha256", &snapshot_sha256(env, &commit));
    let sealed = ledger_commit(env, &reseal(&entry), &[&ledger[1]], "Ledger entry 3");
    env.git_ok(&["update-ref", "refs/livedoc/ledger", &sealed]);
}

/// The anchor a clean verify prints.
fn anchor(env: &TestEnv) -> String {
    env.ok(&["verify", "--format", "json"]).json()["anchor"]
        .as_str()
        .expect("an anchor")
        .to_string()
}

#[test]
#[ignore = "needs python3: cargo test -- --ignored standalone (.ci/run runs it)"]
fn standalone_and_livedoc_agree_on_every_tampering() {
    type Tamper = fn(&TestEnv);
    let cases: Vec<(&str, Tamper)> = vec![
        ("nothing", |_| {}),
        ("a tag moved to another edition", |env| {
            let e2 = edition_objects(env)["e2"].0.clone();
            env.git_env_ok(&FORGER, &["tag", "-f", "-a", "-m", "x", "edition/e3", &e2]);
        }),
        ("a tag made lightweight", |env| {
            let e3 = edition_objects(env)["e3"].0.clone();
            env.git_ok(&["tag", "-d", "edition/e3"]);
            env.git_ok(&["tag", "edition/e3", &e3]);
        }),
        ("a tag deleted", |env| {
            env.git_ok(&["tag", "-d", "edition/e2"]);
        }),
        ("a tag made by hand", |env| {
            let e1 = edition_objects(env)["e1"].0.clone();
            env.git_env_ok(&FORGER, &["tag", "-a", "-m", "x", "edition/e9", &e1]);
        }),
        ("the branch rewritten", |env| {
            let commits = branch_commits(env);
            let forged = commit_tree(
                env,
                &rev(env, &format!("{}^{{tree}}", commits[2])),
                &[&commits[1]],
                "forged",
            );
            env.git_ok(&["update-ref", "refs/heads/editions", &forged]);
        }),
        ("a ledger field edited, its seal kept", |env| {
            let ledger = ledger_commits(env);
            let text = entry_text(env, &ledger[2]);
            let forged = with_field(&text, "snapshot_sha256", &hex::encode(Sha256::digest(b"x")));
            let c = ledger_commit(env, &forged, &[&ledger[1]], "forged");
            env.git_ok(&["update-ref", "refs/livedoc/ledger", &c]);
        }),
        ("a ledger entry edited and resealed", |env| {
            let ledger = ledger_commits(env);
            let text = entry_text(env, &ledger[1]);
            let forged = reseal(&with_field(
                &text,
                "snapshot_sha256",
                &hex::encode(Sha256::digest(b"x")),
            ));
            let two = ledger_commit(env, &forged, &[&ledger[0]], "forged 2");
            let three = commit_tree(
                env,
                &rev(env, &format!("{}^{{tree}}", ledger[2])),
                &[&two],
                "3",
            );
            env.git_ok(&["update-ref", "refs/livedoc/ledger", &three]);
        }),
        ("the newest ledger entry dropped", |env| {
            let ledger = ledger_commits(env);
            env.git_ok(&["update-ref", "refs/livedoc/ledger", &ledger[1]]);
        }),
        ("two ledger entries reordered", |env| {
            let ledger = ledger_commits(env);
            let tree = |c: &str| rev(env, &format!("{c}^{{tree}}"));
            let three = commit_tree(env, &tree(&ledger[2]), &[&ledger[0]], "3");
            let two = commit_tree(env, &tree(&ledger[1]), &[&three], "2");
            env.git_ok(&["update-ref", "refs/livedoc/ledger", &two]);
        }),
        (
            "edition.json with two fields swapped, everything re-forged",
            |env| {
                reforge_newest(env, "edition.json", |text| {
                    // `title` moved before `id`: same values, another order.
                    let v: Value = serde_json::from_str(text).expect("JSON");
                    let id = format!("\"id\":{}", serde_json::to_string(&v["id"]).expect("id"));
                    let title = format!(
                        "\"title\":{}",
                        serde_json::to_string(&v["title"]).expect("title")
                    );
                    let swapped =
                        replace_once(text, &format!("{id},{title}"), &format!("{title},{id}"));
                    assert_ne!(swapped, text, "record version 5 is compact JSON");
                    swapped
                });
            },
        ),
        (
            "a meeting file's text changed, everything re-forged",
            |env| {
                let path = env
                    .git_ok(&[
                        "ls-tree",
                        "-r",
                        "--name-only",
                        "refs/heads/editions",
                        "meetings/",
                    ])
                    .lines()
                    .next()
                    .expect("a meeting file")
                    .to_string();
                reforge_newest(env, &path, |t| t.replacen("States", "Forged States", 1));
            },
        ),
        (
            "a lightweight tag with the ledger re-sealed to match",
            |env| {
                let ledger = ledger_commits(env);
                let commit = rev(env, "refs/tags/edition/e3^{commit}");
                env.git_ok(&["tag", "-d", "edition/e3"]);
                env.git_ok(&["tag", "edition/e3", &commit]);
                let text = entry_text(env, &ledger[2]);
                let forged = reseal(&with_field(&text, "tag", &commit));
                let c = ledger_commit(env, &forged, &[&ledger[1]], "entry 3");
                env.git_ok(&["update-ref", "refs/livedoc/ledger", &c]);
            },
        ),
        ("a replace ref", |env| {
            let blob = rev(env, "refs/heads/editions:source.md");
            let forged = write_blob(env, "replacement", b"forged\n");
            env.git_ok(&["replace", &blob, &forged]);
        }),
        ("a graft", |env| {
            let commits = branch_commits(env);
            std::fs::create_dir_all(env.store().join("info")).expect("info/");
            std::fs::write(
                env.store().join("info/grafts"),
                format!("{} {}\n", commits[2], commits[0]),
            )
            .expect("grafts");
        }),
        ("objects borrowed from another store", |env| {
            let other = env.root().join("other.git");
            std::fs::create_dir_all(other.join("objects")).expect("another store");
            std::fs::write(
                env.store().join("objects/info/alternates"),
                format!("{}\n", other.join("objects").display()),
            )
            .expect("alternates");
        }),
        ("a stale ref lock", |env| {
            let lock = env.store().join("refs/heads/editions.lock");
            std::fs::write(&lock, b"").expect("a lock");
            let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
            std::fs::File::options()
                .write(true)
                .open(&lock)
                .and_then(|f| f.set_modified(old))
                .expect("an old mtime");
        }),
        ("the history index edited", |env| {
            let index = rev(env, "refs/livedoc/index");
            let path = "heads/0000.json";
            let text = env.git_ok(&["show", &format!("{index}:{path}")]);
            let forged = text.replacen("\"seq\":1", "\"seq\":1 ", 1);
            let blob = write_blob(env, "index-heads", format!("{forged}\n").as_bytes());
            let tree =
                crate::test_verify::tree_with(env, Some(&format!("{index}^{{tree}}")), path, &blob);
            let c = commit_tree(env, &tree, &[&index], "index");
            env.git_ok(&["update-ref", "refs/livedoc/index", &c]);
        }),
    ];
    let (mut altered, mut parser_only_cases) = (0, 0);
    let count = cases.len();
    for (case, tamper) in cases {
        let env = three_edition_store();
        let before = anchor(&env);
        tamper(&env);
        let theirs = livedoc(&env, &env.store(), &[]);
        let parser_only = theirs.kinds.iter().all(|k| {
            matches!(
                k.as_str(),
                "reimport-differs" | "reimport-fails" | "pairings-differ"
            )
        });
        altered += usize::from(!theirs.ok);
        parser_only_cases += usize::from(!theirs.ok && parser_only);
        if !theirs.ok && parser_only {
            // Only livedoc's parser sees it: the stand-alone verifier holds
            // and says what it did not check; an anchor kept from before
            // makes both fail.
            let ours = standalone(&env, &env.store(), &[]);
            assert!(ours.ok, "{case}: {ours:?}");
            assert!(
                ours.not_checked.iter().any(|c| c.contains("source.md")),
                "{case}: says nothing of the re-import: {ours:?}"
            );
            let v = agree(&env, &env.store(), &["--anchor", &before], case);
            assert!(
                v.kinds.contains(&"anchor-missing".to_string()),
                "{case}: {v:?}"
            );
        } else {
            agree(&env, &env.store(), &[], case);
        }
        // With the anchor, both see every tampering but the harmless ones.
        agree(&env, &env.store(), &["--anchor", &before], case);
    }
    // Every case but the clean store and the stale lock is tampering, and
    // one of them only the parser sees.
    assert_eq!(altered, count - 2, "cases livedoc found altered");
    assert_eq!(parser_only_cases, 1, "parser-only cases");
}
