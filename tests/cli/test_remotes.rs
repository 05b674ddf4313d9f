//! Push and pull over real remotes, not only paths: a smart-HTTP server
//! (`git http-backend` behind a small HTTP server on the loopback address)
//! and an SSH server (Debian's `sshd` on the loopback address with a
//! throwaway key), both started by the test. The hosted-server recipe of
//! docs/secretariat.md is what these tests do.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::common::http::GitHttp;
use crate::common::{Output, TestEnv};

/// Two stores: `a.git` with e1 and e2, `b.git` empty; the hub, an empty
/// bare repository `srv/hub.git`.
fn hub_env() -> TestEnv {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.root().join("srv")).expect("mkdir");
    env.bare_repo("srv/hub.git");
    env.write(
        "e1.md",
        crate::common::fixtures::diff_fixture_text("new-year", "before.md"),
    );
    env.write("e2.md", crate::common::fixtures::after_dated("March 2025"));
    env.ok_at("a.git", &["import", "e1.md", "--edition", "e1"]);
    env.ok_at("a.git", &["import", "e2.md", "--edition", "e2"]);
    env
}

/// Every ref but the history index, which is each store's own (derived
/// from the records, written by its own imports and pulls).
fn refs(env: &TestEnv, repo: &str) -> String {
    env.git_in(&env.root().join(repo), &["for-each-ref"])
        .stdout
        .lines()
        .filter(|l| !l.ends_with("refs/livedoc/index"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// What a store's history index holds (its tree), if it has one.
fn index_tree(env: &TestEnv, repo: &str) -> String {
    env.git_in(
        &env.root().join(repo),
        &["rev-parse", "--verify", "-q", "refs/livedoc/index^{tree}"],
    )
    .stdout
}

/// The edition stores of `a.git` and `b.git` hold the same refs, and the
/// same history index (the pulled one caught up with what it pulled), and
/// both verify.
fn same_and_whole(env: &TestEnv) {
    assert_eq!(refs(env, "a.git"), refs(env, "b.git"));
    if !index_tree(env, "b.git").is_empty() {
        assert_eq!(index_tree(env, "a.git"), index_tree(env, "b.git"));
    }
    env.ok_at("a.git", &["verify"]);
    env.ok_at("b.git", &["verify"]);
}

#[test]
fn push_and_pull_over_smart_http() {
    let env = hub_env();
    let server = GitHttp::start(&env.root().join("srv"));
    let url = server.url("hub.git");
    let push = env.ok_at("a.git", &["push", &url]);
    assert_eq!(
        push.stdout,
        format!("Pushed 2 editions (e1, e2) to {url}.\n")
    );
    let pull = env.ok_at("b.git", &["pull", &url]);
    assert_eq!(
        pull.stdout,
        format!("Pulled 2 editions (e1, e2) from {url}.\n")
    );
    same_and_whole(&env);
    assert_eq!(
        env.ok_at("b.git", &["pull", &url]).stdout,
        format!("Nothing to pull: {url} and this store have the same editions.\n")
    );
}

/// A transfer cut off halfway fails cleanly: nothing moves, nothing is
/// left half-fetched, and the next pull brings everything.
#[test]
fn an_interrupted_http_transfer_changes_nothing() {
    let env = hub_env();
    let server = GitHttp::start(&env.root().join("srv"));
    let url = server.url("hub.git");
    env.ok_at("a.git", &["push", &url]);
    env.ok_at("b.git", &["init"]);
    let before = env.refs_and_objects_of(&env.root().join("b.git"));
    server.cut_fetches.store(true, Ordering::SeqCst);
    let out = env.run_at("b.git", &["pull", &url]);
    out.failure();
    assert!(
        out.stderr
            .contains("the remote cannot be reached or read (git fetch)"),
        "{}",
        out.stderr
    );
    let after = env.refs_and_objects_of(&env.root().join("b.git"));
    let refs_of = |s: &str| {
        s.split("--- objects")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(refs_of(&after), refs_of(&before), "no ref moved");
    server.cut_fetches.store(false, Ordering::SeqCst);
    env.ok_at("b.git", &["pull", &url]);
    same_and_whole(&env);
}

/// A server that refuses to rewrite history (receive.denyNonFastForwards)
/// never sees a forced push from livedoc: a diverged store is refused
/// before anything is sent, and the hub keeps what it had.
#[test]
fn a_hub_that_refuses_force_pushes_keeps_its_editions() {
    let env = hub_env();
    let hub = env.root().join("srv/hub.git");
    env.git_in(&hub, &["config", "receive.denyNonFastForwards", "true"])
        .success();
    let server = GitHttp::start(&env.root().join("srv"));
    let url = server.url("hub.git");
    env.ok_at("a.git", &["push", &url]);
    // b.git: e1 and a different e2.
    env.write(
        "other.md",
        crate::common::fixtures::after_dated("June 2025"),
    );
    env.ok_at("b.git", &["import", "e1.md", "--edition", "e1"]);
    env.ok_at("b.git", &["import", "other.md", "--edition", "e3"]);
    let hub_before = env.refs_and_objects_of(&hub);
    let out = env.run_at("b.git", &["push", &url]);
    out.failure();
    assert!(
        out.stderr.contains("diverged") || out.stderr.contains("differs"),
        "{}",
        out.stderr
    );
    assert_eq!(env.refs_and_objects_of(&hub), hub_before);
    // And the server's own refusal, reached with plain git, is git's.
    let forced = env.git_in(
        &env.root().join("b.git"),
        &[
            "push",
            "--force",
            &url,
            "refs/heads/editions:refs/heads/editions",
        ],
    );
    assert_ne!(forced.code, Some(0), "the hub refused the forced push");
    let refs_of = |s: &str| {
        s.split("--- objects")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        refs_of(&env.refs_and_objects_of(&hub)),
        refs_of(&hub_before)
    );
    env.run_at("srv/hub.git", &["verify"]).success();
}

// ---------------------------------------------------------------------------
// SSH

/// An sshd on the loopback address that accepts one throwaway key.
struct Sshd {
    child: Child,
    port: u16,
    key: PathBuf,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts sshd. The SSH test is `#[ignore]`d, so `cargo test` shows it as
/// ignored rather than passing without running; run it with
/// `cargo test -- --ignored ssh` (`.ci/run` does). Once asked for, it
/// fails when sshd cannot run.
fn sshd(dir: &Path) -> Sshd {
    let sshd = Path::new("/usr/sbin/sshd");
    let have = sshd.exists()
        && Command::new("ssh")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
    assert!(
        have,
        "the SSH test cannot run: apt-get install openssh-server openssh-client"
    );
    std::fs::create_dir_all(dir).expect("mkdir");
    let keygen = |path: &Path| {
        let ok = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-f"])
            .arg(path)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "ssh-keygen made {}", path.display());
    };
    let (host, key) = (dir.join("host_key"), dir.join("user_key"));
    keygen(&host);
    keygen(&key);
    std::fs::copy(dir.join("user_key.pub"), dir.join("authorized_keys")).expect("copy");
    // sshd's privilege-separation directory, which only root may need.
    let _ = std::fs::create_dir_all("/run/sshd");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let config = dir.join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nAuthorizedKeysFile {}\nPidFile {}\nStrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nPermitRootLogin prohibit-password\n",
            host.display(),
            dir.join("authorized_keys").display(),
            dir.join("sshd.pid").display()
        ),
    )
    .expect("write the config");
    let child = Command::new(sshd)
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sshd starts");
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "sshd did not listen on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
    Sshd { child, port, key }
}

/// livedoc with GIT_SSH_COMMAND using the throwaway key.
fn over_ssh(env: &TestEnv, s: &Sshd, store: &str, args: &[&str]) -> Output {
    let mut full = vec!["--store", store];
    full.extend_from_slice(args);
    let mut cmd = env.command(&full);
    cmd.env(
        "GIT_SSH_COMMAND",
        format!(
            "ssh -i {} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR",
            s.key.display()
        ),
    );
    TestEnv::output(cmd)
}

fn user() -> String {
    let out = Command::new("id").arg("-un").output().expect("id runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
#[ignore = "needs sshd (openssh-server): cargo test -- --ignored ssh (.ci/run runs it)"]
fn push_and_pull_over_ssh() {
    let env = hub_env();
    let server = sshd(&env.root().join("sshd"));
    let url = format!(
        "ssh://{}@127.0.0.1:{}{}",
        user(),
        server.port,
        env.root().join("srv/hub.git").display()
    );
    let push = over_ssh(&env, &server, "a.git", &["push", &url]);
    push.success();
    assert!(
        push.stdout.starts_with("Pushed 2 editions (e1, e2)"),
        "{}",
        push.stdout
    );
    let pull = over_ssh(&env, &server, "b.git", &["pull", &url]);
    pull.success();
    assert!(
        pull.stdout.starts_with("Pulled 2 editions (e1, e2)"),
        "{}",
        pull.stdout
    );
    same_and_whole(&env);

    // A connection that fails (no server on that port any more) changes
    // nothing and says which command failed.
    let port = server.port;
    drop(server);
    let before = refs(&env, "b.git");
    let dead = format!(
        "ssh://{}@127.0.0.1:{port}{}",
        user(),
        env.root().join("srv/hub.git").display()
    );
    let out = env.run_at("b.git", &["pull", &dead]);
    out.failure();
    assert!(
        out.stderr
            .contains("the remote cannot be reached or read (git ls-remote)"),
        "{}",
        out.stderr
    );
    assert_eq!(refs(&env, "b.git"), before);
}
