//! `livedoc push` and `livedoc pull` through plain git remotes (a bare hub
//! named by its path, or as the remote `origin`): stores share editions
//! with the same commits, tags and ledger; a store behind, diverged
//! histories, one edition id with two contents and bad remotes are refused,
//! and nothing moves.

use std::path::Path;

use crate::common::fixtures::{after_dated, diff_fixture_text};
use crate::common::{TestEnv, assert_verified};

/// Two stores, `a.git` and `b.git`, sharing edition e1 (new-year before)
/// through the bare repository `hub.git`; returns the hub's path.
fn shared_env() -> (TestEnv, std::path::PathBuf) {
    let env = TestEnv::new();
    let hub = env.bare_repo("hub.git");
    env.write("e1.md", diff_fixture_text("new-year", "before.md"));
    env.ok_at("a.git", &["import", "e1.md"]);
    let push = env.ok_at("a.git", &["push", "./hub.git"]);
    assert_eq!(push.stdout, "Pushed 1 edition (e1) to ./hub.git.\n");
    let pull = env.ok_at("b.git", &["pull", "./hub.git"]);
    assert_eq!(pull.stdout, "Pulled 1 edition (e1) from ./hub.git.\n");
    // The hint names the store it was run on (issue 30: it said `livedoc
    // verify`, which verifies ./livedoc.git).
    assert_eq!(
        pull.stderr,
        "Run livedoc --store b.git verify to check what arrived.\n"
    );
    (env, hub)
}

#[test]
fn push_and_pull_share_editions_through_a_bare_hub() {
    let (env, hub) = shared_env();
    assert_verified(&env, "a.git");
    assert_verified(&env, "b.git");
    assert_eq!(env.editions_at("a.git"), env.editions_at("b.git"));
    // The hub holds the branch, the tag and the ledger, as A has them.
    // (Only livedoc's refs: see the ignored test about remote-tracking refs.)
    // The history index is each store's own, derived from the records: it
    // is not shared.
    let refs = |repo: &Path| {
        env.git_in(
            repo,
            &[
                "for-each-ref",
                "refs/heads/",
                "refs/livedoc/ledger",
                "refs/tags/",
            ],
        )
        .stdout
    };
    assert_eq!(refs(&hub), refs(&env.root().join("a.git")));
    assert_eq!(
        env.git_in(&hub, &["for-each-ref", "--format=%(refname)"])
            .stdout,
        "refs/heads/editions\nrefs/livedoc/ledger\nrefs/tags/edition/e1\n"
    );

    // Up to date both ways.
    assert_eq!(
        env.ok_at("a.git", &["push", "./hub.git"]).stdout,
        "Nothing to push: ./hub.git and this store have the same editions.\n"
    );
    let again = env.ok_at("b.git", &["pull", "./hub.git"]);
    assert_eq!(
        again.stdout,
        "Nothing to pull: ./hub.git and this store have the same editions.\n"
    );
    assert_eq!(again.stderr, "");

    // A second edition, through remotes named origin.
    env.write("e2.md", diff_fixture_text("new-year", "after.md"));
    env.ok_at("a.git", &["import", "e2.md"]);
    let hub_path = hub.display().to_string();
    for store in ["a.git", "b.git"] {
        env.git_in(
            &env.root().join(store),
            &["remote", "add", "origin", &hub_path],
        )
        .success();
    }
    assert_eq!(
        env.ok_at("a.git", &["push"]).stdout,
        "Pushed 1 edition (e2) to origin.\n"
    );
    assert_eq!(
        env.ok_at("b.git", &["pull"]).stdout,
        "Pulled 1 edition (e2) from origin.\n"
    );
    let a = env.editions_at("a.git");
    assert_eq!(
        a.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(),
        ["e2", "e1"]
    );
    assert_eq!(env.editions_at("b.git"), a, "ids, commits and tags");
    assert_eq!(refs(&hub), refs(&env.root().join("b.git")));
    assert_verified(&env, "a.git");
    assert_verified(&env, "b.git");
    assert_eq!(
        env.ok_at("b.git", &["push"]).stdout,
        "Nothing to push: origin and this store have the same editions.\n"
    );
}

#[test]
fn diverged_histories_are_refused_and_nothing_moves() {
    let (env, hub) = shared_env();
    let b = env.root().join("b.git");
    env.write("e3a.md", after_dated("June 2025"));
    env.write("e3b.md", after_dated("July 2025"));
    env.ok_at("a.git", &["import", "e3a.md"]);
    env.ok_at("a.git", &["push", "./hub.git"]);

    // B is behind: it must pull first.
    let b_refs = env.refs_of(&b);
    let ahead = env.run_at("b.git", &["push", "./hub.git"]);
    ahead.failure();
    assert_eq!(
        ahead.error_lines(),
        ["error: the remote is ahead: it has editions this store has not (e3a)"]
    );
    assert_eq!(ahead.hint(), "hint: pull first: livedoc pull REMOTE");
    assert_eq!(env.refs_of(&b), b_refs);

    // B cuts another edition: the histories diverge.
    env.ok_at("b.git", &["import", "e3b.md"]);
    let b_refs = env.refs_of(&b);
    let hub_state = env.refs_and_objects_of(&hub);
    for verb in ["push", "pull"] {
        let out = env.run_at("b.git", &[verb, "./hub.git"]);
        out.failure();
        assert_eq!(
            out.error_lines(),
            [
                "error: the histories have diverged: this store has e3b and the remote has e3a since their common editions"
            ],
            "{verb}"
        );
        assert!(
            out.hint().contains("published editions never change"),
            "{verb}"
        );
        assert_eq!(
            env.refs_and_objects_of(&hub),
            hub_state,
            "{verb}: the hub changed"
        );
        assert_eq!(env.refs_of(&b), b_refs, "{verb}: B changed");
    }
    assert_eq!(env.log_json_at("b.git")["editions"][0]["id"], "e3b");
    assert_verified(&env, "b.git");
    assert_verified(&env, "a.git");
}

#[test]
fn one_edition_id_with_two_contents_is_a_conflict() {
    let (env, hub) = shared_env();
    let b = env.root().join("b.git");
    env.write("a/e3.md", after_dated("June 2025"));
    env.write("b/e3.md", after_dated("July 2025"));
    env.ok_at("a.git", &["import", "a/e3.md"]);
    env.ok_at("a.git", &["push", "./hub.git"]);
    env.ok_at("b.git", &["import", "b/e3.md"]);
    let theirs = &env.editions_at("a.git")[0];
    let ours = &env.editions_at("b.git")[0];
    assert_eq!((theirs.0.as_str(), ours.0.as_str()), ("e3", "e3"));
    assert_ne!(theirs.1, ours.1);

    let b_refs = env.refs_of(&b);
    let hub_state = env.refs_and_objects_of(&hub);
    for verb in ["pull", "push"] {
        let out = env.run_at("b.git", &[verb, "./hub.git"]);
        out.failure();
        let error = out.error_lines().join("\n");
        assert!(
            error.contains(&format!(
                "edition e3 differs (here commit {}, there commit {})",
                ours.1, theirs.1
            )),
            "{verb}: {error}"
        );
        assert!(
            error.contains(&format!(
                "tag edition/e3 differs (here {}, there {})",
                ours.2, theirs.2
            )),
            "{verb}: {error}"
        );
        assert_eq!(
            env.refs_and_objects_of(&hub),
            hub_state,
            "{verb}: the hub changed"
        );
        assert_eq!(env.refs_of(&b), b_refs, "{verb}: B changed");
    }
}

#[test]
fn bad_remotes_are_refused() {
    let (env, hub) = shared_env();
    let a = env.root().join("a.git");
    let a_refs = env.refs_of(&a);
    let hub_state = env.refs_and_objects_of(&hub);
    for verb in ["push", "pull"] {
        // A remote that would be an option to git.
        for remote in ["-x", "--upload-pack=touch pwned"] {
            let out = env.run_at("a.git", &[verb, "--", remote]);
            out.failure();
            assert_eq!(
                out.error_lines(),
                [format!(
                    "error: {remote:?} is not a remote: it starts with '-'"
                )]
            );
            assert_eq!(out.hint(), "hint: name a remote, a path or a URL");
        }
        // A path where there is no repository.
        let out = env.run_at("a.git", &[verb, "./nowhere.git"]);
        out.failure();
        // What happened in one line, git's finding as its detail, none of
        // git's generic advice and no empty line (issue 30: five lines,
        // one of them empty).
        assert_eq!(out.error_lines().len(), 1, "{}", out.stderr);
        assert!(
            out.error_lines()[0]
                .starts_with("error: the remote cannot be reached or read (git ls-remote): ")
                && out.stderr.contains("nowhere.git"),
            "{}",
            out.stderr
        );
        assert!(!out.stderr.contains("Please make sure"), "{}", out.stderr);
        assert!(!out.hint().contains("STORE"), "{}", out.stderr);
        assert!(
            out.hint()
                .starts_with("hint: check the remote's path or URL"),
            "{}",
            out.stderr
        );
        // No remote named origin yet.
        let out = env.run_at("a.git", &[verb]);
        out.failure();
        assert!(out.stderr.contains("'origin'"), "{}", out.stderr);
        // The hint's command names this store.
        assert!(
            out.hint()
                .contains("git --git-dir a.git remote add origin URL"),
            "{}",
            out.stderr
        );
    }
    assert!(!env.root().join("pwned").exists());
    assert!(!env.root().join("nowhere.git").exists());
    assert_eq!(env.refs_of(&a), a_refs);
    assert_eq!(env.refs_and_objects_of(&hub), hub_state);
}

// ---------------------------------------------------------------------------
// Regressions: bugs in src/ that these tests found, now fixed.

#[test]
fn bug_pull_from_a_named_remote_adds_no_other_ref() {
    let (env, hub) = shared_env();
    let b = env.root().join("b.git");
    env.git_in(
        &b,
        &["remote", "add", "origin", hub.to_str().expect("UTF-8")],
    )
    .success();
    env.write("e2.md", diff_fixture_text("new-year", "after.md"));
    env.ok_at("a.git", &["import", "e2.md"]);
    env.ok_at("a.git", &["push", "./hub.git"]);
    env.ok_at("b.git", &["pull"]);
    // git fetch updates the remote-tracking ref opportunistically for the
    // configured remote: b.git gains refs/remotes/origin/editions.
    assert_eq!(
        env.git_in(&b, &["for-each-ref", "--format=%(refname)"])
            .stdout,
        "refs/heads/editions\nrefs/livedoc/index\nrefs/livedoc/ledger\nrefs/tags/edition/e1\nrefs/tags/edition/e2\n"
    );
}

#[test]
fn bug_a_failed_pull_creates_no_store() {
    let env = TestEnv::new();
    for remote in ["./nowhere.git", "-x"] {
        let out = env.run_at("new.git", &["pull", "--", remote]);
        out.failure();
        assert!(
            !env.root().join("new.git").exists(),
            "pull {remote} created new.git"
        );
    }
}

/// Issue 30: two people who each imported the same published edition got
/// "the histories have diverged … since their common editions" (they have
/// none) and the hint to re-import under new ids, the wrong fix. They are
/// told that the stores share no history, that the text is the same, and
/// to start one store again from the other; doing so works.
#[test]
fn stores_that_imported_the_same_edition_separately_are_told_to_keep_one() {
    let env = TestEnv::new();
    env.write("e1.md", diff_fixture_text("new-year", "before.md"));
    env.ok_at("a.git", &["import", "e1.md"]);
    // Another person, another author: another commit for the same text.
    let mut cmd = env.command(&["--store", "b.git", "import", "e1.md"]);
    cmd.env("LIVEDOC_AUTHOR", "Other Person <other@example.org>");
    TestEnv::output(cmd).success();
    env.write("e2.md", after_dated("June 2025"));
    env.ok_at("a.git", &["import", "e2.md"]);

    let a_refs = env.refs_of(&env.root().join("a.git"));
    for (store, verb, remote) in [("b.git", "pull", "a.git"), ("a.git", "push", "b.git")] {
        let out = env.run_at(store, &[verb, remote]);
        out.failure();
        assert_eq!(
            out.error_lines(),
            [
                "error: this store and the remote share no history: each imported its editions on its own (edition e1 has the same text on both sides, imported twice)"
            ],
            "{verb}"
        );
        assert!(
            out.hint().contains("nothing is lost: keep one store")
                && !out.hint().contains("new edition ids"),
            "{verb}: {}",
            out.hint()
        );
    }
    assert_eq!(env.refs_of(&env.root().join("a.git")), a_refs);

    // The hint's remedy: move B aside and pull A into a new B.
    let hint = env.run_at("b.git", &["pull", "a.git"]).hint().to_string();
    assert!(hint.contains("mv b.git b.git.old"), "{hint}");
    assert!(hint.contains("livedoc --store b.git pull"), "{hint}");
    std::fs::rename(env.root().join("b.git"), env.root().join("b.git.old")).expect("move");
    env.ok_at("b.git", &["pull", "a.git"]);
    assert_eq!(env.editions_at("a.git"), env.editions_at("b.git"));
    assert_verified(&env, "b.git");

    // Different text under one id, separately imported: named as such.
    env.write("x.md", after_dated("July 2025"));
    env.ok_at("c.git", &["import", "x.md", "--edition", "e1"]);
    let out = env.run_at("c.git", &["pull", "a.git"]);
    out.failure();
    assert!(
        out.error_lines()[0].contains("share no history")
            && out.error_lines()[0].contains("edition e1 differs"),
        "{:?}",
        out.error_lines()
    );
    assert!(
        out.hint().contains("first agree which text was published"),
        "{}",
        out.hint()
    );
}
