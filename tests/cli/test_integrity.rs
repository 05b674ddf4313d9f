//! Integrity under faults and hostile hands (issue 14): an import lands
//! whole or not at all, stale lock files are named and cleared, `doctor`
//! seals only what livedoc itself half-wrote. Each test is named for the
//! defect it guards against.

use std::time::{Duration, SystemTime};

use crate::common::{TestEnv, import_real_as};

/// Makes a file look `age` old, as a lock left by a killed process is.
fn age_file(path: &std::path::Path, age: Duration) {
    let f = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("the file opens");
    f.set_modified(SystemTime::now() - age)
        .expect("its time can be set");
}

/// A store with edition e1 and the real edition's source in `editions/`.
fn one_edition() -> TestEnv {
    let env = TestEnv::new();
    env.copy_real();
    env.ok(&import_real_as("e1"));
    env
}

/// Defect 1: with a stale `refs/tags/edition/<id>.lock` the import moved
/// the branch, failed on the tag after ~20 s of retries, blamed "other
/// writers", and left an edition that a re-run called "already in the
/// store" and `verify` later called tampering. Now the import names the
/// lock file, undoes the branch, and leaves the store as it was; `doctor`
/// clears the stale lock; the import then lands whole.
#[test]
fn a_failed_tag_write_leaves_the_store_as_it_was() {
    let env = one_edition();
    let lock = env.store().join("refs/tags/edition/e2.lock");
    std::fs::create_dir_all(lock.parent().expect("a parent")).expect("mkdir");
    std::fs::write(&lock, "").expect("plant the lock");
    let before = env.refs_and_objects_refs_only();
    let out = env.run(&import_real_as("e2"));
    out.failure();
    assert!(
        out.stderr.contains("refs/tags/edition/e2.lock exists"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("other writers"), "{}", out.stderr);
    assert!(out.hint().contains("doctor"), "{}", out.stderr);
    assert_eq!(
        env.refs_and_objects_refs_only(),
        before,
        "refs as they were"
    );
    assert_eq!(env.log_ids(), ["e1"]);
    env.ok(&["verify"]);

    // A fresh lock may belong to a running git: doctor leaves it.
    let kept = env.ok(&["doctor"]);
    assert!(lock.exists(), "{}", kept.stdout);
    age_file(&lock, Duration::from_secs(3600));
    let cleared = env.ok(&["doctor"]);
    assert!(
        cleared.stdout.contains("repaired: ref-lock-removed"),
        "{}",
        cleared.stdout
    );
    assert!(!lock.exists());
    env.ok(&import_real_as("e2"));
    env.ok(&["verify"]);
    assert_eq!(env.log_ids(), ["e2", "e1"]);
}

/// Defect 1, the ledger side: a stale lock on the ledger's ref undoes the
/// tag and the branch.
#[test]
fn a_failed_ledger_write_undoes_the_tag_and_the_branch() {
    let env = one_edition();
    let lock = env.store().join("refs/livedoc/ledger.lock");
    std::fs::write(&lock, "").expect("plant the lock");
    let out = env.run(&import_real_as("e2"));
    out.failure();
    assert!(
        out.stderr.contains("refs/livedoc/ledger.lock exists"),
        "{}",
        out.stderr
    );
    assert_eq!(env.log_ids(), ["e1"]);
    assert!(
        env.git(&["rev-parse", "--verify", "-q", "refs/tags/edition/e2"])
            .code
            != Some(0),
        "the tag was deleted again"
    );
    std::fs::remove_file(&lock).expect("remove the lock");
    env.ok(&["verify"]);
    env.ok(&import_real_as("e2"));
    env.ok(&["verify"]);
}

/// Defect 8: a stale `refs/heads/editions.lock` (a killed `git push` into
/// the store) made every import wait 20 s and blame "other writers", and
/// `doctor` called the store whole. Now the import names the file at once,
/// and `doctor` removes it once it is stale.
#[test]
fn a_stale_branch_lock_is_named_and_cleared_by_doctor() {
    let env = one_edition();
    let lock = env.store().join("refs/heads/editions.lock");
    std::fs::write(&lock, "").expect("plant the lock");
    let out = env.run(&import_real_as("e2"));
    out.failure();
    assert!(
        out.stderr.contains("refs/heads/editions.lock exists"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("other writers"), "{}", out.stderr);
    age_file(&lock, Duration::from_secs(3600));
    let doctor = env.ok(&["doctor"]);
    assert!(
        doctor.stdout.contains("repaired: ref-lock-removed"),
        "{}",
        doctor.stdout
    );
    env.ok(&import_real_as("e2"));
    env.ok(&["verify"]);
}

/// Defect 3: a commit appended to the branch with plain git, its snapshot
/// altered and no ledger entry, was tagged and sealed into the ledger by
/// `doctor`. Now the doctor seals nothing it did not see livedoc cutting;
/// `verify` and the doctor report it, and importing over it is refused
/// with the reason.
#[test]
fn doctor_never_seals_a_commit_livedoc_did_not_write() {
    let env = one_edition();
    // A forged edition: e1's tree with its record edited, as a new commit.
    let tree = env.git_ok(&["rev-parse", "editions^{tree}"]);
    let record = env.git_ok(&["show", "editions:edition.json"]);
    let forged = record
        .replacen("\"id\": \"e1\"", "\"id\": \"e9\"", 1)
        .replacen("Vienna", "Geneva", 1);
    let blob = env.git_stdin(&["hash-object", "-w", "--stdin"], &forged);
    let listing = env.git_ok(&["ls-tree", tree.trim()]);
    let entries: String = listing
        .lines()
        .map(|l| {
            if l.ends_with("\tedition.json") {
                format!("100644 blob {}\tedition.json\n", blob.trim())
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let new_tree = env.git_stdin(&["mktree"], &entries);
    let head = env.git_ok(&["rev-parse", "editions"]);
    let who = [
        ("GIT_AUTHOR_NAME", "Forger"),
        ("GIT_AUTHOR_EMAIL", "forger@example.org"),
        ("GIT_COMMITTER_NAME", "Forger"),
        ("GIT_COMMITTER_EMAIL", "forger@example.org"),
    ];
    let commit = env.git_env_ok(
        &who,
        &[
            "commit-tree",
            new_tree.trim(),
            "-p",
            head.trim(),
            "-m",
            "Edition e9",
        ],
    );
    env.git_ok(&["update-ref", "refs/heads/editions", commit.trim()]);
    let state = env.refs_and_objects();

    let doctor = env.run(&["doctor"]);
    assert_eq!(doctor.code, Some(1), "{}", doctor.stdout);
    assert!(!doctor.stdout.contains("repaired:"), "{}", doctor.stdout);
    assert!(
        doctor.stdout.contains("edition-unrecorded"),
        "{}",
        doctor.stdout
    );
    assert_eq!(env.refs_and_objects(), state, "the doctor wrote nothing");
    assert_eq!(env.run(&["verify"]).code, Some(1));
}

/// Defect 5: the lock was written in several writes, so a kill between
/// them left `pid=N\nhost=`, which counted as another machine's lock that
/// `doctor` could not clear. A lock naming no host, or an empty one, is
/// this machine's: a dead holder's lock is abandoned, and cleared.
#[test]
fn a_half_written_lock_of_a_dead_process_is_cleared_by_doctor() {
    let env = one_edition();
    let lock = env.store().join("livedoc.lock");
    std::fs::write(&lock, "pid=4294967\nhost=").expect("plant the lock");
    let out = env.run(&import_real_as("e2"));
    out.failure();
    assert!(out.stderr.contains("no longer running"), "{}", out.stderr);
    let doctor = env.ok(&["doctor"]);
    assert!(
        doctor.stdout.contains("repaired: lock-removed"),
        "{}",
        doctor.stdout
    );
    env.ok(&import_real_as("e2"));
}

/// An import run again after it was interrupted once its branch moved
/// finishes the edition (tag, ledger entry) and says so.
#[test]
fn the_same_import_run_again_finishes_an_interrupted_one() {
    let env = one_edition();
    let mut cmd = env.command(&import_real_as("e2"));
    cmd.env("LIVEDOC_TEST_FAILPOINT", "import:branch-moved");
    let crashed = TestEnv::output(cmd);
    assert_eq!(crashed.code, None, "the import was killed");
    std::fs::remove_file(env.store().join("livedoc.lock")).expect("the dead writer's lock");
    let again = env.ok(&import_real_as("e2"));
    assert!(
        again
            .stdout
            .starts_with("Completed edition e2, which an interrupted import"),
        "{}",
        again.stdout
    );
    env.ok(&["verify"]);
    let once_more = env.ok(&import_real_as("e2"));
    assert!(
        once_more.stdout.contains("nothing to do"),
        "{}",
        once_more.stdout
    );
}

/// A store with two editions, for site builds.
fn two_editions() -> TestEnv {
    let env = one_edition();
    let e2 = crate::common::real_text().replacen("Vienna, April 2024", "Vienna, March 2025", 1);
    env.write("editions/2025-03.md", e2);
    env.ok(&["import", "editions/2025-03.md", "--edition", "e2"]);
    env
}

/// Defect 2: `site` wrote each page through a temporary file of a fixed
/// name (`index.livedoc-tmp`), opened following links: a symlink planted
/// there made a rebuild overwrite any file the user could write. Now the
/// temporary file has a unique name and is created exclusively.
#[test]
fn a_symlink_planted_at_the_old_temporary_name_is_never_written_through() {
    let env = two_editions();
    env.ok(&["site", "--out", "site"]);
    let victim = env.root().join("victim.txt");
    std::fs::write(&victim, "the user's own file\n").expect("write");
    let site = env.root().join("site");
    for page in ["index", "feed", "editions"] {
        std::os::unix::fs::symlink(&victim, site.join(format!("{page}.livedoc-tmp")))
            .expect("plant a link");
    }
    // A new edition changes the index, so the rebuild writes it.
    let e3 = crate::common::real_text().replacen("Vienna, April 2024", "Vienna, June 2025", 1);
    env.write("editions/2025-06.md", e3);
    env.ok(&["import", "editions/2025-06.md", "--edition", "e3"]);
    env.ok(&["site", "--out", "site"]);
    assert_eq!(
        std::fs::read_to_string(&victim).expect("read"),
        "the user's own file\n",
        "nothing written through the link"
    );
    assert!(
        std::fs::read_to_string(site.join("index.html"))
            .expect("index")
            .contains("editions/e3.html")
    );
}

/// Defect 2, the other half: the fixed temporary name made concurrent
/// builds into one directory fail (48 of 80). Eight at once all succeed.
#[test]
fn concurrent_site_builds_into_one_directory_all_succeed() {
    let env = two_editions();
    // Into a new directory (the first writers race to create it), then
    // into the site they made.
    for _round in 0..3 {
        let children: Vec<_> = (0..8)
            .map(|_| {
                let mut cmd = env.command(&["site", "--out", "site"]);
                cmd.stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped());
                cmd.spawn().expect("site starts")
            })
            .collect();
        for child in children {
            let out = crate::common::Output::from_std(child.wait_with_output().expect("site ends"));
            out.success();
        }
    }
    let leftovers: Vec<String> = std::fs::read_dir(env.root().join("site"))
        .expect("the site")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

/// `site --out DIR` into a directory of the user's own files wrote there
/// and replaced their `index.html`. Now it refuses unless `--force`, and
/// `--out /` is refused too.
#[test]
fn site_refuses_a_directory_that_is_not_a_livedoc_site() {
    let env = two_editions();
    let mine = env.root().join("mine");
    std::fs::create_dir(&mine).expect("mkdir");
    std::fs::write(mine.join("index.html"), "my own page\n").expect("write");
    let out = env.run(&["site", "--out", "mine"]);
    out.failure();
    assert!(
        out.stderr.contains("neither empty nor a site"),
        "{}",
        out.stderr
    );
    assert!(out.hint().contains("--force"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(mine.join("index.html")).expect("read"),
        "my own page\n"
    );
    env.run(&["site", "--out", "/"]).failure();
    env.ok(&["site", "--out", "mine", "--force"]);
    // Once written, it is a livedoc site: a rebuild needs no --force.
    env.ok(&["site", "--out", "mine"]);
    // An empty directory is fine.
    std::fs::create_dir(env.root().join("empty")).expect("mkdir");
    env.ok(&["site", "--out", "empty"]);
}

// ---------------------------------------------------------------------------
// Pull from hostile or broken remotes.

/// `a.git` with e1 and e2 (new-year before and after), `b.git` with e1,
/// both cut from the same files.
fn remote_env() -> TestEnv {
    let env = TestEnv::new();
    env.write(
        "e1.md",
        crate::common::fixtures::diff_fixture_text("new-year", "before.md"),
    );
    env.write("e2.md", crate::common::fixtures::after_dated("March 2025"));
    env.ok_at("a.git", &["import", "e1.md", "--edition", "e1"]);
    env.ok_at("b.git", &["pull", "./a.git"]);
    env.ok_at("a.git", &["import", "e2.md", "--edition", "e2"]);
    env
}

fn a_git(env: &TestEnv, args: &[&str]) -> String {
    let out = env.git_in(&env.root().join("a.git"), args);
    out.success();
    out.stdout.trim().to_string()
}

/// Defect 6: `pull` copied the remote's edition tags without validating
/// them. A tag whose name is not an edition id, a tag of an edition that
/// is not on the remote's branch, and a tag pointing at another edition
/// are each refused, and nothing moves.
#[test]
fn pull_refuses_edition_tags_that_do_not_name_their_edition() {
    let hostile = [
        ("refs/tags/edition/x/y", "e2"),
        ("refs/tags/edition/e9", "e2"),
        ("refs/tags/edition/<b>e3\"", "e2"),
    ];
    for (name, at) in hostile {
        let env = remote_env();
        let target = a_git(&env, &["rev-parse", &format!("refs/tags/edition/{at}")]);
        a_git(&env, &["update-ref", name, &target]);
        let before = env.refs_and_objects_of(&env.root().join("b.git"));
        let out = env.run_at("b.git", &["pull", "./a.git"]);
        out.failure();
        assert!(
            out.stderr.contains("the remote's tag edition/"),
            "{name}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("<b>e3\"\n"), "{}", out.stderr);
        assert_eq!(
            env.refs_and_objects_of(&env.root().join("b.git"))
                .lines()
                .find(|l| l.starts_with("--- refs")),
            before.lines().find(|l| l.starts_with("--- refs")),
        );
        assert_eq!(
            env.git_in(
                &env.root().join("b.git"),
                &["for-each-ref", "--format=%(refname)"]
            )
            .stdout,
            "refs/heads/editions\nrefs/livedoc/index\nrefs/livedoc/ledger\nrefs/tags/edition/e1\n",
            "{name}: nothing moved"
        );
    }
    // A tag pointing at another edition's commit.
    let env = remote_env();
    let e1 = a_git(&env, &["rev-parse", "refs/tags/edition/e1"]);
    a_git(&env, &["update-ref", "refs/tags/edition/e2", &e1]);
    let out = env.run_at("b.git", &["pull", "./a.git"]);
    out.failure();
    assert!(
        out.stderr.contains("does not point at edition e2"),
        "{}",
        out.stderr
    );
    assert_eq!(env.editions_at("b.git").len(), 1);
}

/// Defect 7: a pull from a shallow clone pulled nothing and said the
/// stores had the same editions. It is refused, with the way out.
#[test]
fn pull_refuses_a_shallow_remote() {
    let env = remote_env();
    let a = env.root().join("a.git");
    let shallow = env.root().join("shallow.git");
    let out = std::process::Command::new("git")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args([
            "clone", "-q", "--bare", "--depth", "1", "--branch", "editions",
        ])
        .arg(format!("file://{}", a.display()))
        .arg(&shallow)
        .output()
        .expect("git clone runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = env.run_at("b.git", &["pull", "./shallow.git"]);
    out.failure();
    assert!(out.stderr.contains("shallow clone"), "{}", out.stderr);
    assert!(out.hint().contains("--unshallow"), "{}", out.stderr);
    assert_eq!(env.editions_at("b.git").len(), 1);
    assert!(!env.root().join("b.git/shallow").exists());
}

/// Transports that run commands (`ext::`, `fd::`) are refused before git
/// is asked, and git is told to refuse them too (for a named remote).
#[test]
fn pull_and_push_refuse_transports_that_run_commands() {
    let env = remote_env();
    for verb in ["pull", "push"] {
        for remote in ["ext::sh -c touch% pwned", "fd::3", "foo://host/x"] {
            let out = env.run_at("b.git", &[verb, remote]);
            out.failure();
            assert!(
                out.stderr
                    .contains("names a transport livedoc does not use"),
                "{remote}: {}",
                out.stderr
            );
        }
    }
    env.git_in(
        &env.root().join("b.git"),
        &["remote", "add", "evil", "ext::sh -c touch% pwned"],
    )
    .success();
    env.run_at("b.git", &["pull", "evil"]).failure();
    assert!(!env.root().join("pwned").exists());
}

/// Defect 4: a pull killed after it moved the tags left tags of editions
/// that were not on the branch, which `doctor` called "not an interrupted
/// import". Now `doctor` finishes the pull; the store verifies.
#[test]
fn doctor_finishes_a_pull_killed_while_it_moved_refs() {
    for step in ["pull:tags-moved", "pull:branch-moved"] {
        let env = remote_env();
        let mut cmd = env.command(&["--store", "b.git", "pull", "./a.git"]);
        cmd.env("LIVEDOC_TEST_FAILPOINT", step);
        let crashed = TestEnv::output(cmd);
        assert_eq!(crashed.code, None, "{step}: the pull was not killed");
        let doctor = env.run_at("b.git", &["doctor"]);
        doctor.success();
        assert!(
            doctor.stdout.contains("repaired: pull-finished"),
            "{step}: {}",
            doctor.stdout
        );
        env.ok_at("b.git", &["verify"]);
        assert_eq!(env.editions_at("b.git").len(), 2, "{step}");
        let again = env.ok_at("b.git", &["doctor"]);
        assert_eq!(
            again.stdout,
            "doctor: nothing to repair\ndoctor: the store is whole\n"
        );
    }
}

/// The newest edition removed consistently (branch, tag and ledger rolled
/// back together) leaves a store that is whole in itself: plain `verify`
/// cannot see it. The anchor an earlier `verify` printed, or the number
/// of editions expected, catches it.
#[test]
fn an_anchor_or_an_expected_count_catches_a_consistently_removed_edition() {
    let env = two_editions();
    let before = env.ok(&["verify", "--format", "json"]).json();
    let anchor = before["anchor"].as_str().expect("an anchor").to_string();
    assert!(anchor.starts_with("2:"), "{anchor}");
    let text = env.ok(&["verify"]).stdout;
    assert!(text.contains(&format!("anchor: {anchor} ")), "{text}");
    env.ok(&["verify", "--anchor", &anchor, "--expect", "2"]);

    env.git_ok(&["update-ref", "refs/heads/editions", "refs/heads/editions~1"]);
    env.git_ok(&["update-ref", "-d", "refs/tags/edition/e2"]);
    env.git_ok(&["update-ref", "refs/livedoc/ledger", "refs/livedoc/ledger~1"]);
    env.ok(&["verify"]);
    let out = env.run(&["verify", "--anchor", &anchor, "--format", "json"]);
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert_eq!(out.json()["violations"][0]["kind"], "anchor-missing");
    let out = env.run(&["verify", "--expect", "2", "--format", "json"]);
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert_eq!(out.json()["violations"][0]["kind"], "editions-fewer");
}

/// The losing side of two concurrent pushes got git's raw message. It now
/// hears that another push got there first (or that the histories
/// diverged), and what to do; exactly one push lands.
#[test]
fn the_losing_side_of_two_concurrent_pushes_is_told_why() {
    for round in 0..4 {
        let env = TestEnv::new();
        env.bare_repo("hub.git");
        env.write(
            "e1.md",
            crate::common::fixtures::diff_fixture_text("new-year", "before.md"),
        );
        env.write("e2.md", crate::common::fixtures::after_dated("March 2025"));
        env.write("e3.md", crate::common::fixtures::after_dated("June 2025"));
        env.ok_at("a.git", &["import", "e1.md", "--edition", "e1"]);
        env.ok_at("a.git", &["push", "./hub.git"]);
        env.ok_at("b.git", &["pull", "./hub.git"]);
        env.ok_at("a.git", &["import", "e2.md", "--edition", "e2"]);
        env.ok_at("b.git", &["import", "e3.md", "--edition", "e3"]);
        let spawn = |store: &str| {
            let mut cmd = env.command(&["--store", store, "push", "./hub.git"]);
            cmd.stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            cmd.spawn().expect("push starts")
        };
        let (a, b) = (spawn("a.git"), spawn("b.git"));
        let outs: Vec<crate::common::Output> = [a, b]
            .into_iter()
            .map(|c| crate::common::Output::from_std(c.wait_with_output().expect("push ends")))
            .collect();
        let won = outs.iter().filter(|o| o.code == Some(0)).count();
        assert_eq!(won, 1, "round {round}: {outs:#?}");
        let lost = outs.iter().find(|o| o.code != Some(0)).expect("a loser");
        lost.failure();
        assert!(
            lost.stderr.contains("another push reached it first")
                || lost.stderr.contains("the histories have diverged"),
            "round {round}: {}",
            lost.stderr
        );
        assert!(!lost.stderr.contains("git push failed"), "{}", lost.stderr);
        assert!(lost.hint().contains("pull"), "{}", lost.stderr);
    }
}
