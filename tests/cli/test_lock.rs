//! The writers' lock: a lock left by a process that is no longer running
//! stops an import at once, naming the lock by the path the store was
//! given and pointing to `livedoc doctor`; the lock is left in place and
//! the store unchanged until it is removed.

use std::time::{Duration, Instant};

use crate::common::TestEnv;
use crate::common::contracts::verify_json;
use crate::common::fixtures::diff_fixture;
use crate::common::stores::{import_fixture, import_ok, lock_path};

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
