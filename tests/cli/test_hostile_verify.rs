//! Issue 29 (third adversarial campaign): regression tests, each named for what it proves.

use serde_json::Value;

use crate::common::{TestEnv, import_real_as};

fn one_edition() -> TestEnv {
    let env = TestEnv::new();
    env.copy_real();
    env.ok(&import_real_as("e1"));
    env
}

/// The `kind` of each entry of `list` (`violations`, `notices`, `repairs`).
fn kinds(json: &Value, list: &str) -> Vec<String> {
    json[list]
        .as_array()
        .unwrap_or_else(|| panic!("{list} in {json}"))
        .iter()
        .map(|v| v["kind"].as_str().expect("kind").to_string())
        .collect()
}

/// Edition `id` made in a scratch copy of the store with a forged
/// text: canonical livedoc output in every file. Returns its tree, for a
/// commit made with plain git in the real store.
fn forged_tree(env: &TestEnv, id: &str) -> String {
    let forged = crate::common::real_text().replacen("Vienna, April 2024", "Vienna, March 2025", 1);
    let forged = forged.replacen(
        "are urged to nominate, without undue delay",
        "need not nominate",
        1,
    );
    env.write("forged.md", forged);
    let copy = env.root().join("copy.git");
    copy_dir(&env.store(), &copy);
    env.ok(&[
        "--store",
        "copy.git",
        "import",
        "forged.md",
        "--edition",
        id,
    ]);
    // Its objects into the real store, no ref of it.
    env.git_ok(&[
        "fetch",
        copy.to_str().expect("utf-8"),
        "refs/heads/editions",
    ]);
    env.git_ok(&["rev-parse", "FETCH_HEAD^{tree}"])
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Who commits with plain git in these tests.
const FORGER: [(&str, &str); 4] = [
    ("GIT_AUTHOR_NAME", "Forger"),
    ("GIT_AUTHOR_EMAIL", "forger@example.org"),
    ("GIT_COMMITTER_NAME", "Forger"),
    ("GIT_COMMITTER_EMAIL", "forger@example.org"),
];

/// Defect 15: `verify` read the ledger, then the branch, then the tags and
/// the index, each when it came to it, so an import running meanwhile
/// showed it a branch ahead of the ledger ("a commit made outside
/// livedoc") or an index ahead of the records (`index-differs`): 5 to 8
/// of 20 verifies failed. It now checks one moment of the store.
#[test]
fn verify_run_while_imports_run_never_reports_tampering() {
    let env = one_edition();
    let done = std::sync::atomic::AtomicBool::new(false);
    let verify_in_a_loop = || {
        let (mut runs, mut failures) = (0, Vec::new());
        while !done.load(std::sync::atomic::Ordering::SeqCst) || runs < 3 {
            let out = env.run(&["verify", "--format", "json"]);
            if out.code != Some(0) {
                failures.push(out.stdout);
            }
            runs += 1;
        }
        failures
    };
    let failures: Vec<String> = std::thread::scope(|s| {
        let verifiers: Vec<_> = (0..3).map(|_| s.spawn(verify_in_a_loop)).collect();
        for n in 2..=13 {
            env.ok(&import_real_as(&format!("e{n}")));
        }
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        verifiers
            .into_iter()
            .flat_map(|v| v.join().expect("a verifier"))
            .collect()
    });
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(env.log_ids().len(), 13);
}

/// Defect 15, the state itself: an import that has moved the branch and
/// not yet sealed its edition (its commit named by `refs/livedoc/pending`,
/// its writer alive and holding the lock) is an import in progress, not
/// an unrecorded edition.
#[test]
fn an_import_between_branch_and_ledger_is_in_progress_not_tampering() {
    for step in ["import:branch-moved", "import:tag-written"] {
        let env = one_edition();
        let mut cmd = env.command(&import_real_as("e2"));
        cmd.env("LIVEDOC_TEST_FAILPOINT", step);
        assert_eq!(TestEnv::output(cmd).code, None, "{step}: killed");
        // The same state with a writer still running: this test process
        // stands for it.
        let lock = env.store().join("livedoc.lock");
        std::fs::write(&lock, format!("pid={}\nhost=\n", std::process::id())).expect("lock");
        let out = env.run(&["verify", "--format", "json"]);
        assert_eq!(out.code, Some(0), "{step}: {}", out.stdout);
        let json = out.json();
        assert_eq!(kinds(&json, "violations"), Vec::<String>::new(), "{step}");
        assert_eq!(kinds(&json, "notices"), ["import-in-progress"], "{step}");
        assert_eq!(json["notices"][0]["edition"], "e2", "{step}");
        let text = env.ok(&["verify"]).stdout;
        assert!(text.contains("an import is in progress"), "{step}: {text}");
        // Once the writer is gone, it is an interrupted import again.
        std::fs::write(&lock, "pid=4294967\nhost=\n").expect("lock");
        let out = env.run(&["verify", "--format", "json"]);
        assert_eq!(out.code, Some(1), "{step}: {}", out.stdout);
        assert!(
            kinds(&out.json(), "violations").contains(&"edition-unrecorded".to_string()),
            "{step}: {}",
            out.stdout
        );
    }
}

/// Defect 16: `git replace` made plain git show a forged `source.md`
/// while `verify` (libgit2 reads no replace refs) said everything holds.
#[test]
fn a_replace_ref_is_a_violation() {
    let env = one_edition();
    let blob = env.git_ok(&["rev-parse", "edition/e1:source.md"]);
    let forged = env.git_stdin(&["hash-object", "-w", "--stdin"], "forged text\n");
    env.git_ok(&["replace", blob.trim(), forged.trim()]);
    assert_eq!(env.git_ok(&["show", "edition/e1:source.md"]), "forged text");
    let out = env.run(&["verify", "--format", "json"]);
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert_eq!(kinds(&out.json(), "violations"), ["replace-ref"]);
    let text = env.run(&["verify"]);
    assert!(text.stdout.contains("hint: replace-ref"), "{}", text.stdout);
}

/// Defect 16: a graft (`info/grafts`) or a `shallow` file made plain git
/// show a history with a forged edition in it while `verify` said
/// everything holds.
#[test]
fn a_graft_or_a_shallow_file_is_a_violation() {
    for file in ["info/grafts", "shallow"] {
        let env = one_edition();
        env.ok(&import_real_as("e2"));
        let tree = forged_tree(&env, "e3");
        let e1 = env.git_ok(&["rev-parse", "edition/e1^{}"]);
        let e2 = env.git_ok(&["rev-parse", "edition/e2^{}"]);
        let forged = env.git_env_ok(
            &FORGER,
            &["commit-tree", tree.trim(), "-p", e1.trim(), "-m", "Edition"],
        );
        let line = match file {
            "info/grafts" => format!("{} {}\n", e2.trim(), forged.trim()),
            _ => format!("{}\n", e1.trim()),
        };
        let path = env.store().join(file);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&path, line).expect("plant the graft");
        let out = env.run(&["verify", "--format", "json"]);
        assert_eq!(out.code, Some(1), "{file}: {}", out.stdout);
        assert_eq!(kinds(&out.json(), "violations"), ["graft"], "{file}");
    }
}

/// Defect 17: docs/auditors.md said `--expect N` catches a rewrite; it
/// proves only that no edition was removed, count-wise. The newest
/// edition replaced consistently (branch, tag and ledger) keeps the
/// count: only `--anchor` catches it.
#[test]
fn a_consistent_rewrite_of_the_newest_edition_passes_expect_but_not_anchor() {
    let env = one_edition();
    env.ok(&import_real_as("e2"));
    let anchor = env.ok(&["verify", "--format", "json"]).json()["anchor"]
        .as_str()
        .expect("anchor")
        .to_string();
    env.git_ok(&["update-ref", "refs/heads/editions", "refs/heads/editions~1"]);
    env.git_ok(&["update-ref", "-d", "refs/tags/edition/e2"]);
    env.git_ok(&["update-ref", "refs/livedoc/ledger", "refs/livedoc/ledger~1"]);
    let other = crate::common::real_text().replacen("Vienna, April 2024", "Vienna, May 2024", 1);
    env.write("other.md", other);
    env.ok(&["import", "other.md", "--edition", "e2"]);
    env.ok(&["verify", "--expect", "2"]);
    let out = env.run(&[
        "verify", "--expect", "2", "--anchor", &anchor, "--format", "json",
    ]);
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert_eq!(kinds(&out.json(), "violations"), ["anchor-missing"]);
}

/// Defect 18: an abandoned writers' lock and a stale git ref lock left
/// `verify` saying only "everything holds", though the store reference
/// says verify names them. They are notices (no tampering: the store
/// holds), with the hint to run `livedoc doctor`, which removes both.
#[test]
fn verify_names_an_abandoned_lock_and_a_stale_ref_lock() {
    let env = one_edition();
    let lock = env.store().join("livedoc.lock");
    std::fs::write(&lock, "pid=4294967\nhost=\n").expect("plant the lock");
    let ref_lock = env.store().join("refs/tags/edition/e2.lock");
    std::fs::write(&ref_lock, "").expect("plant the ref lock");
    let packed_lock = env.store().join("packed-refs.lock");
    std::fs::write(&packed_lock, "").expect("plant the packed-refs lock");
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for p in [&ref_lock, &packed_lock] {
        std::fs::File::options()
            .write(true)
            .open(p)
            .and_then(|f| f.set_modified(old))
            .expect("age the lock");
    }
    let out = env.run(&["verify", "--format", "json"]);
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    let json = out.json();
    assert_eq!(
        kinds(&json, "notices"),
        ["lock-abandoned", "ref-lock-stale", "ref-lock-stale"]
    );
    let text = env.ok(&["verify"]).stdout;
    assert!(
        text.contains("note: lock-abandoned")
            && text.contains("hint: lock-abandoned: run livedoc doctor"),
        "{text}"
    );
    let doctor = env.ok(&["doctor", "--format", "json"]).json();
    assert_eq!(
        kinds(&doctor, "repairs"),
        ["lock-removed", "ref-lock-removed", "ref-lock-removed"]
    );
    assert!(!lock.exists() && !ref_lock.exists() && !packed_lock.exists());
    let json = env.ok(&["verify", "--format", "json"]).json();
    assert_eq!(kinds(&json, "notices"), Vec::<String>::new());
}

/// Defect 19: `doctor` sealed a commit made with plain git once
/// `refs/livedoc/pending` named it, since its files (made by livedoc in
/// another store, with a forged text) re-imported to themselves. It now
/// seals only the commit livedoc writes for that snapshot, byte for byte,
/// and otherwise refuses, names it and writes nothing.
#[test]
fn doctor_refuses_a_plain_git_commit_named_by_a_plain_git_pending_ref() {
    let env = one_edition();
    let tree = forged_tree(&env, "e2");
    let head = env.git_ok(&["rev-parse", "editions"]);
    let commit = env.git_env_ok(
        &FORGER,
        &[
            "commit-tree",
            tree.trim(),
            "-p",
            head.trim(),
            "-m",
            "Edition e2",
        ],
    );
    env.git_ok(&["update-ref", "refs/heads/editions", commit.trim()]);
    env.git_ok(&["update-ref", "refs/livedoc/pending", commit.trim()]);
    let state = env.refs_and_objects();
    let doctor = env.run(&["doctor"]);
    assert_eq!(doctor.code, Some(1), "{}", doctor.stdout);
    assert!(!doctor.stdout.contains("repaired:"), "{}", doctor.stdout);
    assert!(
        doctor.stdout.contains(&format!(
            "refs/livedoc/pending names commit {}",
            commit.trim()
        )) && doctor.stdout.contains("not sealed"),
        "{}",
        doctor.stdout
    );
    assert_eq!(env.refs_and_objects(), state, "the doctor wrote nothing");
    let verify = env.run(&["verify", "--format", "json"]);
    assert_eq!(verify.code, Some(1));
    assert!(kinds(&verify.json(), "violations").contains(&"edition-unrecorded".to_string()));
}

/// Defect 19, the other way round: a file its record does not name, added
/// to livedoc's own tree, is no commit livedoc wrote either.
#[test]
fn doctor_refuses_a_pending_commit_with_a_file_livedoc_does_not_write() {
    let env = one_edition();
    let tree = forged_tree(&env, "e2");
    let listing = env.git_ok(&["ls-tree", tree.trim()]);
    let extra = env.git_stdin(&["hash-object", "-w", "--stdin"], "not livedoc's\n");
    let entries = format!("{listing}\n100644 blob {}\tnotes.txt\n", extra.trim());
    let bigger = env.git_stdin(&["mktree"], &entries);
    let head = env.git_ok(&["rev-parse", "editions"]);
    let commit = env.git_env_ok(
        &FORGER,
        &["commit-tree", bigger.trim(), "-p", head.trim(), "-m", "e2"],
    );
    env.git_ok(&["update-ref", "refs/heads/editions", commit.trim()]);
    env.git_ok(&["update-ref", "refs/livedoc/pending", commit.trim()]);
    let state = env.refs_and_objects();
    let doctor = env.run(&["doctor"]);
    assert_eq!(doctor.code, Some(1), "{}", doctor.stdout);
    assert!(doctor.stdout.contains("notes.txt"), "{}", doctor.stdout);
    assert_eq!(env.refs_and_objects(), state, "the doctor wrote nothing");
}

/// Defect 20: a full disk (or a kill) during a pack write left
/// `objects/pack/tmp_livedoc_*.pack`, which nothing removed. `doctor`
/// removes livedoc's own temporary packs, and says so; git's are left.
#[test]
fn doctor_removes_livedocs_abandoned_temporary_packs() {
    let env = one_edition();
    let packs = env.store().join("objects/pack");
    let ours = packs.join("tmp_livedoc_0123abcd.pack");
    let gits = packs.join("tmp_pack_XYZ");
    std::fs::write(&ours, vec![0u8; 4096]).expect("plant a temporary pack");
    std::fs::write(&gits, b"git's own").expect("plant git's");
    let doctor = env.ok(&["doctor", "--format", "json"]).json();
    assert_eq!(kinds(&doctor, "repairs"), ["temp-pack-removed"]);
    assert!(
        doctor["repairs"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("tmp_livedoc_0123abcd.pack")),
        "{doctor}"
    );
    assert!(!ours.exists());
    assert!(gits.exists(), "git's temporary files are git's business");
    // An import removes them too, under its lock.
    std::fs::write(&ours, vec![0u8; 4096]).expect("plant again");
    env.ok(&import_real_as("e2"));
    assert!(!ours.exists());
}
