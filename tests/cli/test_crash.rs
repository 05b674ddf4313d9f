//! Crashes during `import`: at each step (failpoints) and at random
//! moments (SIGKILL, 50 times). Afterwards `verify` is clean or names
//! exactly the half-written edition, `doctor` completes it, a second
//! `doctor` does nothing, and no published edition is ever lost.

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::{Output, TestEnv, import_real_as};

const STEPS: [&str; 3] = [
    "import:objects-written",
    "import:branch-moved",
    "import:tag-written",
];

fn ids(env: &TestEnv) -> BTreeSet<String> {
    env.log_ids().into_iter().collect()
}

/// `doctor`, then `verify`, then `doctor` again: whole, and idempotent.
fn heal(env: &TestEnv) -> Output {
    let first = env.run(&["doctor"]);
    first.success();
    env.ok(&["verify"]);
    let second = env.ok(&["doctor"]);
    assert_eq!(
        second.stdout, "doctor: nothing to repair\ndoctor: the store is whole\n",
        "a second doctor changed something"
    );
    first
}

/// A crash at each step of an import leaves exactly what that step
/// implies, and `doctor` completes it: before the branch moves nothing is
/// published (verify is clean, the edition can be imported again); after,
/// the edition is named as unrecorded and the doctor gives it its tag and
/// ledger entry.
#[test]
fn a_crash_at_each_step_is_completed_by_doctor() {
    for step in STEPS {
        let env = TestEnv::new();
        env.copy_real();
        env.ok(&import_real_as("e1"));
        let mut cmd = env.command(&import_real_as("e2"));
        cmd.env("LIVEDOC_TEST_FAILPOINT", step);
        let crashed = TestEnv::output(cmd);
        assert_eq!(crashed.code, None, "{step}: the import was not killed");
        // The dead importer's lock is reported, not removed.
        let blocked = env.run(&import_real_as("e3"));
        blocked.failure();
        assert!(
            blocked.stderr.contains("no longer running") && blocked.hint().contains("doctor"),
            "{step}: {}",
            blocked.stderr
        );

        let verify = env.run(&["verify", "--format", "json"]).json();
        let kinds: Vec<&str> = verify["violations"]
            .as_array()
            .expect("violations")
            .iter()
            .map(|v| v["kind"].as_str().expect("kind"))
            .collect();
        let published = step != "import:objects-written";
        let expected: &[&str] = match step {
            "import:objects-written" => &[],
            "import:branch-moved" => &["edition-unrecorded"],
            _ => &["edition-unrecorded", "tag-unrecorded"],
        };
        assert_eq!(kinds, expected, "{step}");

        let repaired = heal(&env);
        let expected: &[&str] = match step {
            "import:objects-written" => &["lock-removed"],
            "import:branch-moved" => &["lock-removed", "tag-recreated", "ledger-entry-added"],
            _ => &["lock-removed", "ledger-entry-added"],
        };
        let done: Vec<String> = repaired
            .stdout
            .lines()
            .filter_map(|l| l.strip_prefix("repaired: "))
            .map(|l| l.split(' ').next().unwrap_or_default().to_string())
            .collect();
        assert_eq!(done, expected, "{step}: {}", repaired.stdout);

        let want: BTreeSet<String> = if published {
            ["e1", "e2"].map(String::from).into()
        } else {
            ["e1"].map(String::from).into()
        };
        assert_eq!(ids(&env), want, "{step}");
        env.ok(&import_real_as("e2"));
        env.ok(&import_real_as("e3"));
        env.ok(&["verify"]);
        assert_eq!(ids(&env).len(), 3, "{step}");
    }
}

/// A ledger entry whose tag ref was deleted gets the ref back, pointing
/// at the very tag object the ledger recorded.
#[test]
fn doctor_restores_a_deleted_tag_ref_from_the_ledger() {
    let env = TestEnv::new();
    env.copy_real();
    env.ok(&import_real_as("e1"));
    let before = env.git_ok(&["rev-parse", "refs/tags/edition/e1"]);
    env.git_ok(&["update-ref", "-d", "refs/tags/edition/e1"]);
    assert_eq!(env.run(&["verify"]).code, Some(1));
    let repaired = heal(&env);
    assert!(
        repaired.stdout.contains("tag-ref-restored"),
        "{}",
        repaired.stdout
    );
    assert_eq!(env.git_ok(&["rev-parse", "refs/tags/edition/e1"]), before);
}

/// Tampering is not an interrupted import: the doctor reports it, repairs
/// nothing and exits 1.
#[test]
fn doctor_leaves_tampering_alone() {
    let env = TestEnv::new();
    env.copy_real();
    env.ok(&import_real_as("e1"));
    env.ok(&import_real_as("e2"));
    let e1 = env.git_ok(&["rev-parse", "refs/tags/edition/e1^{}"]);
    env.git_ok(&["update-ref", "refs/tags/edition/e2", e1.trim()]);
    let state = env.refs_and_objects();
    let out = env.run(&["doctor"]);
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert!(!out.stdout.contains("repaired:"), "{}", out.stdout);
    assert!(out.stdout.contains("tag-moved"), "{}", out.stdout);
    assert_eq!(env.refs_and_objects(), state);
}

/// Fifty imports killed with SIGKILL at random moments (seeded): after
/// each, the doctor makes the store whole, verify is clean, and every
/// edition that was published before the kill is still there.
#[test]
fn fifty_imports_killed_at_random_moments_lose_nothing() {
    let env = TestEnv::new();
    env.copy_real();
    env.ok(&import_real_as("e0"));
    // How long an import takes here, to spread the kills over it.
    let started = Instant::now();
    env.ok(&import_real_as("probe"));
    let span = started.elapsed().as_micros() as u64;
    let mut rng = fastrand::Rng::with_seed(7);
    let (mut landed, mut repaired) = (0, 0);
    for n in 1..=50 {
        let before = ids(&env);
        let mut cmd = env.command(&import_real_as(&format!("k{n}")));
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        let mut child = cmd.spawn().expect("spawn livedoc");
        std::thread::sleep(Duration::from_micros(rng.u64(0..=span + span / 4)));
        let _ = child.kill();
        let _ = child.wait();
        let first = heal(&env);
        repaired += first
            .stdout
            .lines()
            .filter(|l| l.starts_with("repaired: ledger-entry-added"))
            .count();
        let after = ids(&env);
        assert!(after.is_superset(&before), "kill {n} lost editions");
        landed += after.len() - before.len();
    }
    // The kills fell at different moments: some before anything was
    // published, some after; every edition that landed is whole.
    assert!(landed > 0 && landed < 50, "{landed} of 50 landed");
    eprintln!("50 kills: {landed} editions landed, {repaired} completed by doctor");
}
