//! Issue 29 (third adversarial campaign): regression tests, each named for what it proves.
//!
//! Remotes that are caught mid-import, ledgers that diverged while the
//! branches did not, and records too large to read: `push` and `pull`
//! move only what a ledger seals, name a ledger divergence as such, and
//! refuse an oversized record before reading it, leaving no lock and no
//! incoming refs behind.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::fixtures::{after_dated, diff_fixture_text};
use crate::common::{TestEnv, assert_verified};

/// Edition e1 in `remote.git`, then an import of e2 killed at `failpoint`
/// (`import:branch-moved`: the branch names e2, no tag, no ledger entry;
/// `import:tag-written`: the tag too, still no ledger entry).
fn remote_with_killed_import(failpoint: &str) -> TestEnv {
    let env = TestEnv::new();
    env.write("e1.md", diff_fixture_text("new-year", "before.md"));
    env.write("e2.md", diff_fixture_text("new-year", "after.md"));
    env.write("e3.md", after_dated("June 2025"));
    env.ok_at("remote.git", &["import", "e1.md"]);
    let mut cmd = env.command(&["--store", "remote.git", "import", "e2.md"]);
    cmd.env("LIVEDOC_TEST_FAILPOINT", failpoint);
    let killed = TestEnv::output(cmd);
    assert_eq!(killed.code, None, "the import was killed");
    let branch = env.git_in(
        &env.root().join("remote.git"),
        &["log", "--format=%s", "editions"],
    );
    assert_eq!(branch.stdout.lines().count(), 2, "{}", branch.stdout);
    env
}

/// The ids of a store's editions, oldest first.
fn ids(env: &TestEnv, store: &str) -> Vec<String> {
    let mut ids: Vec<String> = env.editions_at(store).into_iter().map(|e| e.0).collect();
    ids.reverse();
    ids
}

/// Every ref under `refs/livedoc/incoming` of a store, and whether its
/// writers' lock is there: what a push or pull must never leave behind.
fn leftovers(env: &TestEnv, store: &str) -> (String, bool) {
    let path = env.root().join(store);
    let refs = env
        .git_in(&path, &["for-each-ref", "refs/livedoc/incoming"])
        .stdout;
    (refs, path.join("livedoc.lock").exists())
}

/// Issue 29 #12: a pull from a store whose import was killed after its
/// branch moved copied the unsealed edition (exit 0); the next import made
/// `verify` report it for good. Only what the remote's ledger seals moves.
#[test]
fn pull_leaves_an_edition_the_remote_has_not_sealed_behind() {
    let env = remote_with_killed_import("import:branch-moved");
    let pull = env.ok_at("b.git", &["pull", "./remote.git"]);
    assert_eq!(pull.stdout, "Pulled 1 edition (e1) from ./remote.git.\n");
    assert!(
        pull.stderr.contains(
            "the remote's newest edition e2 is not sealed yet (an import is running or was interrupted there); pulled up to e1"
        ),
        "{}",
        pull.stderr
    );
    assert_eq!(ids(&env, "b.git"), ["e1"]);
    assert_verified(&env, "b.git");
    assert_eq!(leftovers(&env, "b.git"), (String::new(), false));

    // Once the remote's import is finished, e2 arrives sealed, and an
    // ordinary import on top of it verifies.
    env.ok_at("remote.git", &["doctor"]);
    let again = env.ok_at("b.git", &["pull", "./remote.git"]);
    assert_eq!(again.stdout, "Pulled 1 edition (e2) from ./remote.git.\n");
    assert!(!again.stderr.contains("not sealed"), "{}", again.stderr);
    env.ok_at("b.git", &["import", "e3.md"]);
    assert_eq!(ids(&env, "b.git"), ["e1", "e2", "e3"]);
    assert_verified(&env, "b.git");
}

/// Issue 29 #12: an import killed after it tagged its edition but before
/// the ledger entry leaves a tag for an unsealed edition; the pull leaves
/// both behind (and does not call the tag unacceptable).
#[test]
fn pull_leaves_a_tagged_but_unsealed_remote_edition_behind() {
    let env = remote_with_killed_import("import:tag-written");
    let pull = env.ok_at("b.git", &["pull", "./remote.git"]);
    assert_eq!(pull.stdout, "Pulled 1 edition (e1) from ./remote.git.\n");
    assert!(pull.stderr.contains("pulled up to e1"), "{}", pull.stderr);
    let b = env.root().join("b.git");
    assert_eq!(
        env.git_in(&b, &["for-each-ref", "--format=%(refname)", "refs/tags"])
            .stdout,
        "refs/tags/edition/e1\n"
    );
    assert_verified(&env, "b.git");
}

/// Issue 29 #12: an edition put on the branch with plain git, never
/// sealed, is not pulled either; a remote with nothing sealed gives nothing.
#[test]
fn pull_leaves_an_edition_appended_with_plain_git_behind() {
    let env = TestEnv::new();
    env.write("e1.md", diff_fixture_text("new-year", "before.md"));
    env.ok_at("a.git", &["import", "e1.md"]);
    let a = env.root().join("a.git");
    // e2, cut elsewhere, put on a's branch by plain git: no tag, no
    // ledger entry, no import in progress.
    env.write("e2.md", diff_fixture_text("new-year", "after.md"));
    env.ok_at("elsewhere.git", &["pull", "./a.git"]);
    env.ok_at("elsewhere.git", &["import", "e2.md"]);
    env.git_in(
        &a,
        &[
            "fetch",
            "--quiet",
            "./elsewhere.git",
            "refs/heads/editions:refs/heads/editions",
        ],
    )
    .success();
    let pull = env.ok_at("b.git", &["pull", "./a.git"]);
    assert_eq!(pull.stdout, "Pulled 1 edition (e1) from ./a.git.\n");
    assert!(
        pull.stderr.contains("not sealed yet") && pull.stderr.contains("pulled up to e1"),
        "{}",
        pull.stderr
    );
    assert_verified(&env, "b.git");
}

/// Issue 29 #12, the push side: a store whose own import was interrupted
/// after its branch moved sent that unsealed edition to the hub.
#[test]
fn push_sends_only_what_this_store_has_sealed() {
    let env = remote_with_killed_import("import:tag-written");
    let hub = env.bare_repo("hub.git");
    // The user removed the dead importer's lock by hand instead of
    // running doctor.
    std::fs::remove_file(env.root().join("remote.git/livedoc.lock")).expect("the dead lock");
    let push = env.ok_at("remote.git", &["push", "./hub.git"]);
    assert_eq!(push.stdout, "Pushed 1 edition (e1) to ./hub.git.\n");
    assert!(
        push.stderr
            .contains("this store's newest edition e2 is not sealed yet")
            && push.stderr.contains("pushed up to e1"),
        "{}",
        push.stderr
    );
    assert_eq!(
        env.git_in(&hub, &["for-each-ref", "--format=%(refname)"])
            .stdout,
        "refs/heads/editions\nrefs/livedoc/ledger\nrefs/tags/edition/e1\n"
    );
    assert_eq!(
        env.git_in(&hub, &["rev-parse", "editions"]).stdout,
        env.git_in(&env.root().join("remote.git"), &["rev-parse", "editions~1"])
            .stdout
    );
    assert_eq!(leftovers(&env, "remote.git"), (String::new(), false));
    // What the hub got is whole.
    env.ok_at("c.git", &["pull", "./hub.git"]);
    assert_verified(&env, "c.git");
}

/// The state an earlier livedoc's pull of an unsealed edition left: `b`
/// holds e2 on its branch without a ledger entry (copied with plain git,
/// as that pull did), the remote then finished its import, and `b` cut e3
/// on top. The branches agree; the ledgers do not.
fn diverged_ledgers() -> TestEnv {
    let env = holding_an_unsealed_edition();
    env.ok_at("b.git", &["import", "e3.md"]);
    env
}

/// `b` holds the remote's e2 unsealed, copied with plain git as an earlier
/// livedoc's pull did, and the remote has sealed it since.
fn holding_an_unsealed_edition() -> TestEnv {
    let env = remote_with_killed_import("import:branch-moved");
    env.ok_at("b.git", &["pull", "./remote.git"]);
    env.git_in(
        &env.root().join("b.git"),
        &[
            "fetch",
            "--quiet",
            "./remote.git",
            "refs/heads/editions:refs/heads/editions",
        ],
    )
    .success();
    env.ok_at("remote.git", &["doctor"]);
    env
}

/// Issue 29 #13: with diverged ledgers and agreeing branches, `pull` said
/// "Nothing to pull … same editions" (exit 0) and `push` blamed "another
/// push reached it first", its hint looping. Both name the divergence.
#[test]
fn diverged_ledgers_are_named_by_pull_and_push() {
    let env = diverged_ledgers();
    let b = env.root().join("b.git");
    let before = env.refs_of(&b);
    let remote_before = env.refs_of(&env.root().join("remote.git"));
    for (cmd, other) in [("pull", "./remote.git"), ("push", "./remote.git")] {
        let out = env.run_at("b.git", &[cmd, other]);
        out.failure();
        out.assert_no_panic();
        let err = out.stderr.clone();
        assert!(
            err.contains("the ledgers have diverged although the editions branches have not"),
            "{cmd}: {err}"
        );
        assert!(
            err.contains("edition e3") && err.contains("edition e2"),
            "{cmd}: {err}"
        );
        let hint = out.hint().to_string();
        assert!(hint.contains("livedoc verify"), "{cmd}: {hint}");
        assert!(
            !hint.contains("pull") || hint.contains("new store"),
            "{cmd}: the hint must not send the user round again: {hint}"
        );
        assert!(!err.contains("another push"), "{cmd}: {err}");
        assert_eq!(env.refs_of(&b), before, "{cmd} moved nothing here");
        assert_eq!(
            env.refs_of(&env.root().join("remote.git")),
            remote_before,
            "{cmd} moved nothing there"
        );
        assert_eq!(leftovers(&env, "b.git"), (String::new(), false));
    }
}

/// Issue 29 #13, the case that can heal: `b` holds e2 unsealed, the
/// remote has sealed it since, and `b` cut nothing on top. Its ledger is
/// behind the remote's for the same branch: the pull takes the remote's
/// ledger entries (and tag), and `b` verifies; a push first says to pull.
#[test]
fn pull_takes_the_ledger_entries_of_an_edition_held_unsealed() {
    let env = holding_an_unsealed_edition();
    let push = env.run_at("b.git", &["push", "./remote.git"]);
    push.failure();
    assert!(push.hint().contains("pull first"), "{}", push.stderr);
    let pull = env.ok_at("b.git", &["pull", "./remote.git"]);
    assert_eq!(
        pull.stdout,
        "Pulled the ledger entries of 1 edition (e2) from ./remote.git; this store held it unsealed.\n"
    );
    assert_verified(&env, "b.git");
    assert_eq!(
        env.editions_at("b.git"),
        env.editions_at("remote.git"),
        "the same commits and tags"
    );
    let again = env.ok_at("b.git", &["pull", "./remote.git"]);
    assert!(
        again.stdout.starts_with("Nothing to pull"),
        "{}",
        again.stdout
    );
}

/// A blob of `len` spaces written into `repo` with plain git; its id.
fn spaces_blob(env: &TestEnv, repo: &Path, len: usize) -> String {
    let mut cmd = Command::new("git");
    env.hermetic(&mut cmd);
    cmd.arg("--git-dir")
        .arg(repo)
        .args(["hash-object", "-w", "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("git runs");
    {
        let mut stdin = child.stdin.take().expect("a stdin");
        let chunk = vec![b' '; 1 << 20];
        let mut left = len;
        while left > 0 {
            let n = left.min(chunk.len());
            stdin.write_all(&chunk[..n]).expect("git reads");
            left -= n;
        }
    }
    let out = child.wait_with_output().expect("git ends");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .expect("hex")
        .trim()
        .to_string()
}

/// Replaces `file` in the tree of `base` with `blob`, commits it on top of
/// `base` with plain git and moves `reference` there.
fn commit_with(env: &TestEnv, repo: &Path, base: &str, file: &str, blob: &str, reference: &str) {
    let ls = env.git_in(repo, &["ls-tree", base]);
    ls.success();
    let mut tree_text: String = ls
        .stdout
        .lines()
        .filter(|l| !l.ends_with(&format!("\t{file}")))
        .map(|l| format!("{l}\n"))
        .collect();
    tree_text.push_str(&format!("100644 blob {blob}\t{file}\n"));
    let mut cmd = Command::new("git");
    env.hermetic(&mut cmd);
    cmd.arg("--git-dir")
        .arg(repo)
        .arg("mktree")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut child = cmd.spawn().expect("git runs");
    child
        .stdin
        .take()
        .expect("a stdin")
        .write_all(tree_text.as_bytes())
        .expect("git reads");
    let out = child.wait_with_output().expect("git ends");
    assert!(out.status.success());
    let tree = String::from_utf8(out.stdout).expect("hex");
    let commit = env.git_in(
        repo,
        &[
            "-c",
            "user.name=x",
            "-c",
            "user.email=x@example.org",
            "commit-tree",
            tree.trim(),
            "-p",
            base,
            "-m",
            "huge",
        ],
    );
    commit.success();
    env.git_in(repo, &["update-ref", reference, commit.stdout.trim()])
        .success();
}

/// Just over the 64 MiB livedoc reads of one record
/// (`livedoc::store::MAX_RECORD_BYTES`): compressed, it is a few tens of
/// kilobytes on disk, as the campaign's 2 GB `edition.json` was 8.6 MB.
const OVER_THE_RECORD_BOUND: usize = (64 << 20) + 1;

/// Issue 29 #14: a remote whose newest `edition.json` was 2 GB of
/// whitespace made `pull` abort on a failed allocation, leaving its lock
/// and incoming refs behind. A record over the bound is refused by its
/// size before it is read.
#[test]
fn a_remote_edition_record_over_the_bound_is_refused_and_leaves_nothing_behind() {
    let env = TestEnv::new();
    env.write("e1.md", diff_fixture_text("new-year", "before.md"));
    env.ok_at("a.git", &["import", "e1.md"]);
    env.ok_at("b.git", &["pull", "./a.git"]);
    let a = env.root().join("a.git");
    let blob = spaces_blob(&env, &a, OVER_THE_RECORD_BOUND);
    commit_with(
        &env,
        &a,
        "editions",
        "edition.json",
        &blob,
        "refs/heads/editions",
    );
    let before = env.refs_and_objects_of(&env.root().join("b.git"));
    let pull = env.run_at("b.git", &["pull", "./a.git"]);
    pull.failure();
    pull.assert_no_panic();
    assert!(
        pull.stderr.contains("edition.json is 67108865 bytes") && pull.stderr.contains("64 MiB"),
        "{}",
        pull.stderr
    );
    assert!(pull.hint().contains("livedoc verify"), "{}", pull.stderr);
    assert_eq!(leftovers(&env, "b.git"), (String::new(), false));
    let after = env.refs_and_objects_of(&env.root().join("b.git"));
    // Objects may have arrived; no ref moved.
    let refs = |s: &str| {
        s.split("--- objects")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(refs(&after), refs(&before));
    assert_verified(&env, "b.git");
}

/// Issue 29 #14, the ledger's records: an `entry.json` over the bound on
/// the remote's ledger is refused the same way.
#[test]
fn a_remote_ledger_entry_over_the_bound_is_refused_and_leaves_nothing_behind() {
    let env = TestEnv::new();
    env.write("e1.md", diff_fixture_text("new-year", "before.md"));
    env.ok_at("a.git", &["import", "e1.md"]);
    let a = env.root().join("a.git");
    let blob = spaces_blob(&env, &a, OVER_THE_RECORD_BOUND);
    commit_with(
        &env,
        &a,
        "refs/livedoc/ledger",
        "entry.json",
        &blob,
        "refs/livedoc/ledger",
    );
    let pull = env.run_at("b.git", &["pull", "./a.git"]);
    pull.failure();
    pull.assert_no_panic();
    assert!(
        pull.stderr.contains("entry.json of ledger commit")
            && pull.stderr.contains("is 67108865 bytes, over the 64 MiB"),
        "{}",
        pull.stderr
    );
    // The store this pull created is not left behind.
    assert!(!env.root().join("b.git").exists());
}
