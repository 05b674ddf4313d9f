//! The test environment: a temporary directory, the real `livedoc` binary
//! run hermetically inside it, and plain `git` run against its store.
//!
//! What several test files use lives here or in a submodule, so that a
//! test file imports only from `common`:
//!
//! - [`contracts`]: the JSON contracts of livedoc's reports, asserted;
//! - [`diff`]: the diff fixture cases and the stores made of them, and
//!   reading the reports of `diff`, `whatsnew` and `changelog`;
//! - [`fixtures`]: the fixture files under `tests/fixtures/`, read, and
//!   the drafts derived from them;
//! - [`json`]: typed access to the JSON livedoc prints;
//! - [`stores`]: the stores the audit tests build from the fixture pairs
//!   (e1, e2, e3), and what plain git reads in a store.

pub mod browser;
pub mod contracts;
pub mod diff;
pub mod fixtures;
pub mod http;
pub mod json;
pub mod pdf;
pub mod stores;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// The published April 2024 edition.
pub const REAL_EDITION: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/editions/2024-04.md");
/// A synthetic March 2025 edition: the real one plus one new meeting in
/// each part.
pub const SYNTHETIC_EDITION: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/foundation/2025-03.md"
);
/// Who cuts editions in the tests (LIVEDOC_AUTHOR).
pub const AUTHOR: &str = "Test Secretariat <secretariat@example.org>";
/// SOURCE_DATE_EPOCH, and the same instant as RFC 3339.
pub const EPOCH: &str = "1714000000";
pub const CUT_AT: &str = "2024-04-24T23:06:40Z";

/// Every subcommand, in the order `--help` lists them.
pub const SUBCOMMANDS: [&str; 17] = [
    "init",
    "check",
    "import",
    "log",
    "show",
    "diff",
    "whatsnew",
    "trace",
    "blame",
    "verify",
    "doctor",
    "changelog",
    "site",
    "push",
    "pull",
    "completions",
    "man",
];

pub fn real_bytes() -> Vec<u8> {
    std::fs::read(REAL_EDITION).expect("editions/2024-04.md is readable")
}

pub fn synthetic_bytes() -> Vec<u8> {
    std::fs::read(SYNTHETIC_EDITION).expect("the synthetic fixture is readable")
}

pub fn real_text() -> String {
    String::from_utf8(real_bytes()).expect("the real edition is UTF-8")
}

/// `import editions/2024-04.md --edition ID` (see [`TestEnv::copy_real`]).
pub fn import_real_as(id: &str) -> Vec<String> {
    vec![
        "import".into(),
        "editions/2024-04.md".into(),
        "--edition".into(),
        id.into(),
    ]
}

/// What one process did.
#[derive(Debug, Clone)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub stdout_bytes: Vec<u8>,
    /// The exit code; `None` when killed by a signal.
    pub code: Option<i32>,
}

impl Output {
    pub fn from_std(o: std::process::Output) -> Output {
        Output {
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            stdout_bytes: o.stdout,
            code: o.status.code(),
        }
    }

    /// Asserts exit code 0 and returns self.
    #[track_caller]
    pub fn success(&self) -> &Output {
        assert_eq!(
            self.code,
            Some(0),
            "expected success\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts the command failed the way livedoc fails: exit 2, an
    /// `error:` line, no panic.
    #[track_caller]
    pub fn failure(&self) -> &Output {
        assert_eq!(
            self.code,
            Some(2),
            "expected exit 2\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self.assert_no_panic();
        assert!(
            self.stderr.lines().any(|l| l.starts_with("error: ")),
            "no `error:` line in stderr:\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn assert_no_panic(&self) {
        assert!(
            !self.stderr.contains("panicked"),
            "the binary panicked:\n{}",
            self.stderr
        );
    }

    /// The `error:` lines of stderr.
    pub fn error_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect()
    }

    /// The `hint:` line of stderr.
    #[track_caller]
    pub fn hint(&self) -> &str {
        self.stderr
            .lines()
            .find(|l| l.starts_with("hint: "))
            .unwrap_or_else(|| panic!("no `hint:` line in stderr:\n{}", self.stderr))
    }

    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// Exit code, stdout and stderr in one string, for a snapshot.
    pub fn rendered(&self) -> String {
        let code = self
            .code
            .map_or_else(|| "signal".to_string(), |c| c.to_string());
        format!(
            "exit: {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        )
    }
}

/// A temporary directory in which livedoc runs as it would for a user with
/// no configuration at all.
pub struct TestEnv {
    _tmp: tempfile::TempDir,
    /// The directory as created, and canonicalised (both may appear in
    /// output).
    raw_root: PathBuf,
    root: PathBuf,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let tmp = tempfile::Builder::new()
            .prefix("livedoc-cli-")
            .tempdir()
            .expect("a temporary directory");
        let raw_root = tmp.path().to_path_buf();
        let root = raw_root.canonicalize().expect("the tempdir exists");
        for d in ["home", "xdg"] {
            std::fs::create_dir_all(root.join(d)).expect("create dir");
        }
        TestEnv {
            _tmp: tmp,
            raw_root,
            root,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The default store, `./livedoc.git`.
    pub fn store(&self) -> PathBuf {
        self.root.join("livedoc.git")
    }

    /// Applies the hermetic environment to a command.
    pub fn hermetic(&self, cmd: &mut Command) {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.root.join("home"))
            .env("XDG_CONFIG_HOME", self.root.join("xdg"))
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("LIVEDOC_AUTHOR", AUTHOR)
            .env("COLUMNS", "100")
            .current_dir(&self.root)
            .stdin(Stdio::null());
    }

    /// The livedoc command with the hermetic environment, not yet run.
    pub fn command<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_livedoc"));
        self.hermetic(&mut cmd);
        cmd.args(args);
        cmd
    }

    /// Runs livedoc and waits for it.
    pub fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Output {
        Self::output(self.command(args))
    }

    /// Runs a prepared command and waits for it.
    pub fn output(mut cmd: Command) -> Output {
        Output::from_std(cmd.output().expect("the command runs"))
    }

    /// Runs livedoc, asserting success.
    #[track_caller]
    pub fn ok<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Output {
        let out = self.run(args);
        out.success();
        out
    }

    /// Writes a file under the root, creating directories; returns the
    /// path relative to the root (as the tests pass it to livedoc).
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> String {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create parent dir");
        }
        std::fs::write(&path, bytes).expect("write file");
        rel.to_string()
    }

    /// Copies the real edition to `editions/2024-04.md`.
    pub fn copy_real(&self) -> String {
        self.write("editions/2024-04.md", real_bytes())
    }

    /// Copies the synthetic edition to `editions/2025-03.md`.
    pub fn copy_synthetic(&self) -> String {
        self.write("editions/2025-03.md", synthetic_bytes())
    }

    /// Imports the real edition into the default store.
    pub fn import_real(&self) -> Output {
        let f = self.copy_real();
        self.ok(&["import", &f])
    }

    /// Imports the real edition and then the synthetic one.
    pub fn import_both(&self) {
        self.import_real();
        let f = self.copy_synthetic();
        self.ok(&["import", &f]);
    }

    pub fn show_json(&self, spec: &str) -> Value {
        self.ok(&["show", spec, "--format", "json"]).json()
    }

    pub fn log_json(&self) -> Value {
        self.ok(&["log", "--format", "json"]).json()
    }

    /// The ids in `log --format json`, newest first.
    pub fn log_ids(&self) -> Vec<String> {
        self.log_json()["editions"]
            .as_array()
            .expect("editions is a list")
            .iter()
            .map(|e| e["id"].as_str().expect("id is a string").to_string())
            .collect()
    }

    /// Runs system git against a repository (the default store unless
    /// `git_dir` names another) with the same environment.
    pub fn git_in<S: AsRef<std::ffi::OsStr>>(&self, git_dir: &Path, args: &[S]) -> Output {
        let mut cmd = Command::new("git");
        self.hermetic(&mut cmd);
        cmd.arg("--git-dir").arg(git_dir).args(args);
        Self::output(cmd)
    }

    /// Runs system git against the default store.
    pub fn git<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Output {
        self.git_in(&self.store(), args)
    }

    /// Runs system git against the default store with extra environment
    /// variables (such as `GIT_INDEX_FILE` or `GIT_AUTHOR_DATE`) on top of
    /// the hermetic ones, asserting success; returns stdout without the
    /// trailing newline.
    #[track_caller]
    pub fn git_env_ok<S: AsRef<std::ffi::OsStr>>(
        &self,
        vars: &[(&str, &str)],
        args: &[S],
    ) -> String {
        let mut cmd = Command::new("git");
        self.hermetic(&mut cmd);
        cmd.envs(vars.iter().copied())
            .arg("--git-dir")
            .arg(self.store())
            .args(args);
        let out = Self::output(cmd);
        out.success();
        out.stdout.trim_end_matches('\n').to_string()
    }

    /// Runs git, asserting success; returns stdout without the trailing
    /// newline.
    #[track_caller]
    pub fn git_ok<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> String {
        let out = self.git(args);
        out.success();
        out.stdout.trim_end_matches('\n').to_string()
    }

    /// Runs system git against the default store with `input` on its
    /// standard input, asserting success; returns stdout trimmed.
    #[track_caller]
    pub fn git_stdin<S: AsRef<std::ffi::OsStr>>(&self, args: &[S], input: &str) -> String {
        use std::io::Write as _;
        let mut cmd = Command::new("git");
        self.hermetic(&mut cmd);
        cmd.arg("--git-dir")
            .arg(self.store())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("git runs");
        child
            .stdin
            .take()
            .expect("a stdin")
            .write_all(input.as_bytes())
            .expect("git reads its input");
        let out = Output::from_std(child.wait_with_output().expect("git ends"));
        out.success();
        out.stdout.trim_end_matches('\n').to_string()
    }

    /// Every ref of the store with what it points at.
    pub fn refs_and_objects_refs_only(&self) -> String {
        self.git_ok(&["for-each-ref"])
    }

    /// Everything that identifies the state of a store: HEAD, every ref
    /// and every object id. Equal snapshots mean nothing was written.
    pub fn refs_and_objects_of(&self, store: &Path) -> String {
        if !store.exists() {
            return "<no store>".to_string();
        }
        let head = self.git_in(store, &["symbolic-ref", "HEAD"]);
        let refs = self.git_in(store, &["for-each-ref"]);
        refs.success();
        let objects = self.git_in(store, &["cat-file", "--batch-all-objects", "--batch-check"]);
        objects.success();
        let mut ids: Vec<&str> = objects.stdout.lines().collect();
        ids.sort_unstable();
        format!(
            "HEAD: {}\n--- refs\n{}--- objects ({})\n{}\n",
            head.stdout.trim(),
            refs.stdout,
            ids.len(),
            ids.join("\n")
        )
    }

    pub fn refs_and_objects(&self) -> String {
        self.refs_and_objects_of(&self.store())
    }

    /// Makes output stable: the temporary directory becomes `$TEST`, and
    /// the id of each edition's commit and tag (full or abbreviated to 7)
    /// becomes `[commit ID]` / `[tag ID]`, so a snapshot still shows which
    /// object is named where.
    pub fn normalize(&self, s: &str) -> String {
        let mut s = s.replace(&self.root.display().to_string(), "$TEST");
        s = s.replace(&self.raw_root.display().to_string(), "$TEST");
        if !self.store().exists() {
            return s;
        }
        let refs = self.git(&[
            "for-each-ref",
            "--format=%(objectname) %(*objectname) %(refname:strip=3)",
            "refs/tags/edition/",
        ]);
        for line in refs.stdout.lines() {
            let mut f = line.split(' ');
            let (Some(tag), Some(commit), Some(id)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            for (oid, what) in [(tag, "tag"), (commit, "commit")] {
                if oid.len() == 40 {
                    let label = format!("[{what} {id}]");
                    s = s.replace(oid, &label).replace(&oid[..7], &label);
                }
            }
        }
        s
    }

    /// `Output::rendered`, normalised.
    pub fn snapshot(&self, out: &Output) -> String {
        self.normalize(&out.rendered())
    }
}

/// Starts every command before waiting for any of them.
pub fn race(env: &TestEnv, commands: &[Vec<String>]) -> Vec<Output> {
    let children: Vec<Child> = commands
        .iter()
        .map(|args| {
            let mut cmd = env.command(args);
            cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
            cmd.spawn().expect("spawn livedoc")
        })
        .collect();
    children
        .into_iter()
        .map(|c| Output::from_std(c.wait_with_output().expect("wait for livedoc")))
        .collect()
}

/// The 1-based number of the first line of `text` that contains `needle`.
#[track_caller]
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} is not in the text"))
        + 1
}

/// Replaces exactly one occurrence of `old`.
#[track_caller]
pub fn replace_once(text: &str, old: &str, new: &str) -> String {
    assert_eq!(text.matches(old).count(), 1, "{old:?} must occur once");
    text.replacen(old, new, 1)
}

// ---------------------------------------------------------------------------
// Several stores in one environment (push and pull).

impl TestEnv {
    /// Runs livedoc against the store `store` (a path relative to the
    /// root): `--store STORE` before `args`.
    pub fn run_at<S: AsRef<std::ffi::OsStr>>(&self, store: &str, args: &[S]) -> Output {
        let mut cmd = self.command(&["--store", store]);
        cmd.args(args);
        Self::output(cmd)
    }

    /// `run_at`, asserting success.
    #[track_caller]
    pub fn ok_at<S: AsRef<std::ffi::OsStr>>(&self, store: &str, args: &[S]) -> Output {
        let out = self.run_at(store, args);
        out.success();
        out
    }

    /// `log --format json` of the store `store`.
    #[track_caller]
    pub fn log_json_at(&self, store: &str) -> Value {
        self.ok_at(store, &["log", "--format", "json"]).json()
    }

    /// `(id, commit, tag object)` of each edition of the store `store`,
    /// newest first, as `log --format json` lists them.
    #[track_caller]
    pub fn editions_at(&self, store: &str) -> Vec<(String, String, String)> {
        self.log_json_at(store)["editions"]
            .as_array()
            .expect("editions is a list")
            .iter()
            .map(|e| {
                let field = |k: &str| {
                    e[k].as_str()
                        .unwrap_or_else(|| panic!("{k} is not a string: {e}"))
                        .to_string()
                };
                (field("id"), field("commit"), field("tag_object"))
            })
            .collect()
    }

    /// Creates an empty bare git repository at `rel` under the root and
    /// returns its absolute path.
    #[track_caller]
    pub fn bare_repo(&self, rel: &str) -> PathBuf {
        let path = self.root.join(rel);
        self.git_in(&path, &["init", "--quiet", "--bare"]).success();
        path
    }

    /// HEAD and every ref of a repository, with their targets: equal
    /// snapshots mean no ref moved (objects may have arrived).
    #[track_caller]
    pub fn refs_of(&self, repo: &Path) -> String {
        let head = self.git_in(repo, &["symbolic-ref", "HEAD"]);
        let refs = self.git_in(repo, &["for-each-ref"]);
        refs.success();
        format!("HEAD: {}\n{}", head.stdout.trim(), refs.stdout)
    }
}

/// Asserts that `verify` of the store `store` (a path relative to the
/// root) says everything holds.
#[track_caller]
pub fn assert_verified(env: &TestEnv, store: &str) {
    let out = env.ok_at(store, &["verify"]);
    assert!(
        out.stdout.contains("everything holds"),
        "{store}: {}",
        out.stdout
    );
}
