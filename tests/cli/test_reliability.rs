//! Reliability of the command line under load and against hostile input:
//! eight importers filling one new store with forty editions at once; every
//! read-only command leaving every byte (and every time stamp) of the store
//! as it was, and `verify`, `trace` and `blame` writing nothing even to a
//! tampered store; and edition ids, file names, item ids and edition
//! references that try to escape the store, inject into git or a terminal,
//! or overflow.
//!
//! (Ids covered elsewhere are not repeated here: `../x`, `a/b`, `a b`,
//! `a..b`, `x.lock`, `latest` and `a~1` through `--edition` in
//! `test_bad_input.rs`; remotes starting with `-` in `test_push_pull.rs`.)

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use sha2::{Digest, Sha256};

use livedoc::model::MONTHS;

use crate::common::stores::{REC4, assert_landed_once, three_edition_store};
use crate::common::{Output, TestEnv, race, real_text, replace_once};

// ---------------------------------------------------------------------------
// Synthetic editions

/// The end of the last observation of the real edition, after which each
/// variant adds one of its own.
const LAST_OBSERVATION: &str = "irregular migration more generally.";

/// The `n`-th (from 0) synthetic edition: id `2030-01` for 0, then one a
/// month. It is the real edition with a title that says it is synthetic,
/// its own date line, and one synthetic observation of its own at the end
/// of Part B, so that no two variants have the same content.
fn variant(n: usize) -> (String, String) {
    let (year, month) = (2030 + n / 12, n % 12 + 1);
    let id = format!("{year}-{month:02}");
    let text = real_text();
    let text = replace_once(
        &text,
        "# COMPILATION\n",
        &format!("# COMPILATION (SYNTHETIC TEST EDITION {id})\n"),
    );
    let text = replace_once(
        &text,
        "Vienna, April 2024",
        &format!("Vienna, {} {year}", MONTHS[month - 1]),
    );
    let text = replace_once(
        &text,
        LAST_OBSERVATION,
        &format!(
            "{LAST_OBSERVATION}\n\nSynthetic test observation {n} of edition {id}: States \
             parties should report on synthetic topic number {n}."
        ),
    );
    (id, text)
}

// ---------------------------------------------------------------------------
// The state of a directory tree

/// What identifies one entry of a tree on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    kind: &'static str,
    mode: u32,
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    /// SHA-256 of a file's bytes, a symlink's target; empty for directories.
    content: String,
}

/// Every entry under `root` (the root itself included), with its type,
/// mode, size, modification and change times and content: equal snapshots
/// mean nothing was created, removed, written or even touched.
fn tree(root: &Path) -> BTreeMap<PathBuf, Entry> {
    fn walk(path: &Path, root: &Path, out: &mut BTreeMap<PathBuf, Entry>) {
        let meta =
            std::fs::symlink_metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ft = meta.file_type();
        let (kind, content) = if ft.is_symlink() {
            let target = std::fs::read_link(path).expect("readable link");
            ("symlink", target.display().to_string())
        } else if ft.is_dir() {
            ("dir", String::new())
        } else {
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            ("file", hex::encode(Sha256::digest(bytes)))
        };
        out.insert(
            path.strip_prefix(root)
                .expect("inside the root")
                .to_path_buf(),
            Entry {
                kind,
                mode: meta.mode(),
                len: meta.len(),
                mtime: (meta.mtime(), meta.mtime_nsec()),
                ctime: (meta.ctime(), meta.ctime_nsec()),
                content,
            },
        );
        if ft.is_dir() {
            let mut children: Vec<PathBuf> = std::fs::read_dir(path)
                .expect("readable directory")
                .map(|e| e.expect("a directory entry").path())
                .collect();
            children.sort();
            for child in children {
                walk(&child, root, out);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// The entries that differ between two snapshots, for a readable failure.
fn tree_changes(
    before: &BTreeMap<PathBuf, Entry>,
    after: &BTreeMap<PathBuf, Entry>,
) -> Vec<String> {
    let paths: BTreeSet<&PathBuf> = before.keys().chain(after.keys()).collect();
    paths
        .into_iter()
        .filter_map(|p| match (before.get(p), after.get(p)) {
            (Some(a), Some(b)) if a == b => None,
            (Some(a), Some(b)) => Some(format!("changed {}: {a:?} -> {b:?}", p.display())),
            (Some(_), None) => Some(format!("removed {}", p.display())),
            (None, Some(_)) => Some(format!("created {}", p.display())),
            (None, None) => None,
        })
        .collect()
}

/// The store's refs and objects and the whole test directory (the store,
/// the sources, the home directory), which a command must leave alone.
struct Untouched {
    refs: String,
    files: BTreeMap<PathBuf, Entry>,
}

impl Untouched {
    fn record(env: &TestEnv) -> Untouched {
        let files = tree(env.root());
        let refs = env.refs_and_objects();
        // Reading the store with git wrote nothing itself.
        assert_eq!(
            tree_changes(&files, &tree(env.root())),
            Vec::<String>::new()
        );
        Untouched { refs, files }
    }

    #[track_caller]
    fn assert_same(&self, env: &TestEnv, what: &str) {
        let changes = tree_changes(&self.files, &tree(env.root()));
        assert!(changes.is_empty(), "{what} touched the disk:\n{changes:#?}");
        assert_eq!(
            env.refs_and_objects(),
            self.refs,
            "{what} wrote to the store"
        );
    }
}

/// Asserts that output holds no control character but the newline (and
/// the tab), so that hostile input cannot drive the reader's terminal.
#[track_caller]
fn assert_no_control_characters(out: &Output, what: &str) {
    for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| c.is_control() && c != '\n' && c != '\t')
            .collect();
        assert!(
            bad.is_empty(),
            "{what}: raw control characters {bad:?} in {stream}:\n{text}"
        );
    }
}

// ---------------------------------------------------------------------------
// Concurrency

/// Eight `livedoc import DIR` processes, started together on a store that
/// does not exist yet, each importing a directory of five of forty distinct
/// editions: every process succeeds and reports each of its editions as
/// imported; the store then holds each edition exactly once (log), on one
/// linear branch of forty commits (no merge, one root, every commit the
/// single parent of the next), with forty edition tags each pointing at the
/// commit `log` gives for its edition; `verify` finds everything in order.
#[test]
fn eight_importers_forty_editions() {
    const PROCESSES: usize = 8;
    const EDITIONS: usize = 40;
    let started = Instant::now();
    let env = TestEnv::new();
    let mut ids = Vec::new();
    let mut batches: Vec<Vec<String>> = vec![Vec::new(); PROCESSES];
    let mut sources = BTreeSet::new();
    for n in 0..EDITIONS {
        let (id, text) = variant(n);
        assert!(sources.insert(text.clone()), "{id} repeats another variant");
        // Interleaved, so that the processes' editions alternate by date.
        env.write(&format!("batch{}/{id}.md", n % PROCESSES), text);
        batches[n % PROCESSES].push(id.clone());
        ids.push(id);
    }
    assert!(!env.store().exists());

    let imports: Vec<Vec<String>> = (0..PROCESSES)
        .map(|p| vec!["import".to_string(), format!("batch{p}")])
        .collect();
    let outs = race(&env, &imports);
    let raced = started.elapsed();
    for (p, out) in outs.iter().enumerate() {
        out.success();
        for id in &batches[p] {
            assert!(
                out.stdout.contains(&format!("Imported edition {id} (")),
                "process {p} did not import {id}:\n{}",
                out.stdout
            );
        }
    }

    // Each edition exactly once, on a linear branch, tagged on the branch
    // at a commit that records its id; fsck clean.
    assert_landed_once(&env, &ids);
    let log = env.editions_at("livedoc.git");
    assert_eq!(log.len(), EDITIONS);
    let logged: BTreeSet<&str> = log.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(logged.len(), EDITIONS, "an edition is logged twice");
    let shas: BTreeSet<String> = env.log_json()["editions"]
        .as_array()
        .expect("editions")
        .iter()
        .map(|e| e["source_sha256"].as_str().expect("sha").to_string())
        .collect();
    assert_eq!(shas.len(), EDITIONS, "two editions share a source");

    // The parent chain: one root, no commit with two parents, and walking
    // first parents from the tip visits all forty commits.
    let parents: BTreeMap<String, Vec<String>> = env
        .git_ok(&["rev-list", "--parents", "editions"])
        .lines()
        .map(|l| {
            let mut f = l.split(' ').map(String::from);
            let commit = f.next().expect("a commit");
            (commit, f.collect())
        })
        .collect();
    assert_eq!(parents.len(), EDITIONS);
    assert!(parents.values().all(|p| p.len() <= 1), "{parents:#?}");
    assert_eq!(parents.values().filter(|p| p.is_empty()).count(), 1);
    let mut chain = Vec::new();
    let mut at = Some(env.git_ok(&["rev-parse", "editions"]));
    while let Some(commit) = at {
        assert!(!chain.contains(&commit), "the chain loops at {commit}");
        at = parents[&commit].first().cloned();
        chain.push(commit);
    }
    assert_eq!(chain.len(), EDITIONS);

    // Forty edition tags, each at its edition's commit.
    let tags: BTreeMap<String, (String, String)> = env
        .git_ok(&[
            "for-each-ref",
            "--format=%(refname:strip=3) %(objectname) %(*objectname)",
            "refs/tags/edition/",
        ])
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            assert_eq!(f.len(), 3, "{l}");
            (f[0].to_string(), (f[1].to_string(), f[2].to_string()))
        })
        .collect();
    assert_eq!(tags.len(), EDITIONS);
    for (id, commit, tag) in &log {
        assert_eq!(
            tags.get(id),
            Some(&(tag.clone(), commit.clone())),
            "the tag of {id}"
        );
        assert!(chain.contains(commit), "{id} is off the branch");
    }

    let verify = env.run(&["verify"]);
    verify.success();
    assert!(
        verify.stdout.contains("40 editions") && verify.stdout.contains("everything holds"),
        "{}",
        verify.stdout
    );
    let v = env.ok(&["verify", "--format", "json"]).json();
    assert_eq!(v["ok"], true, "{v:#}");
    eprintln!(
        "eight_importers_forty_editions: imports {:.1} s, all {:.1} s",
        raced.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------------------
// Read-only commands

/// Every read-only command, in every format it has, leaves the store and
/// everything else in the test directory exactly as it was: the same refs
/// and objects, and every file and directory with the same size, content,
/// mode, modification and change time (so not even a lock file came and
/// went). `site` writes only where `--out` says, outside the store.
#[test]
fn read_only_commands_never_modify_the_store() {
    let env = TestEnv::new();
    env.import_both();
    let (id, text) = variant(0);
    let third = env.write(&format!("editions/{id}.md"), text);
    env.ok(&["import", &third]);
    assert_eq!(env.log_ids(), ["2030-01", "2025-03", "2024-04"]);
    let site = tempfile::Builder::new()
        .prefix("livedoc-site-")
        .tempdir()
        .expect("a directory for the site");
    let site_out = site.path().join("site");
    let site_arg = site_out.display().to_string();

    let item = "CTOC/COP/WG.4/2022/4#14";
    // (arguments, expected exit code)
    let commands: Vec<(Vec<&str>, i32)> = vec![
        (vec!["log"], 0),
        (vec!["log", "--format", "json"], 0),
        (vec!["show", "latest"], 0),
        (vec!["show", "2024-04", "--format", "json"], 0),
        (vec!["show", "latest~1", "--format", "markdown"], 0),
        (vec!["show", "latest", "--format", "text"], 0),
        (vec!["diff"], 0),
        (vec!["diff", "--format", "json"], 0),
        (vec!["diff", "--format", "markdown"], 0),
        (vec!["diff", "--format", "html"], 0),
        (vec!["diff", "--stat"], 0),
        (vec!["diff", "--exit-code"], 1),
        (vec!["diff", "2024-04", "latest", "--format", "json"], 0),
        (vec!["diff", "latest", "editions/2025-03.md"], 0),
        (vec!["whatsnew", "--since", "2024-04"], 0),
        (
            vec!["whatsnew", "--since", "2024-04", "--format", "json"],
            0,
        ),
        (vec!["whatsnew", "--format", "markdown"], 0),
        (vec!["whatsnew", "--format", "html"], 0),
        (vec!["whatsnew", "--stat"], 0),
        (vec!["trace", item], 0),
        (vec!["trace", item, "--format", "json"], 0),
        (
            vec!["trace", item, "--in", "2024-04", "--format", "text"],
            0,
        ),
        (vec!["trace", "--text", "Synthetic test observation"], 0),
        (vec!["blame"], 0),
        (vec!["blame", "2024-04", "--format", "json"], 0),
        (vec!["blame", "latest~1", "--format", "markdown"], 0),
        (vec!["blame", "--format", "text"], 0),
        (vec!["verify"], 0),
        (vec!["verify", "--format", "json"], 0),
        (vec!["verify", "--format", "text"], 0),
        (vec!["changelog"], 0),
        (vec!["changelog", "--format", "json"], 0),
        (vec!["changelog", "--format", "markdown"], 0),
        (vec!["check", "editions/2025-03.md"], 0),
        (vec!["check", "editions/2024-04.md", "--format", "json"], 0),
        (vec!["site", "--out", &site_arg], 0),
    ];
    let before = Untouched::record(&env);
    for (args, code) in &commands {
        let out = env.run(args);
        out.assert_no_panic();
        assert_eq!(
            out.code,
            Some(*code),
            "{args:?}\n--- stdout\n{}\n--- stderr\n{}",
            out.stdout,
            out.stderr
        );
        assert!(!out.stdout.is_empty(), "{args:?} printed nothing");
        before.assert_same(&env, &format!("{args:?}"));
    }
    assert!(
        site_out.join("index.html").is_file(),
        "site wrote no index.html to {site_arg}"
    );
}

/// Every file of a store with the sha256 of its content: equal listings
/// mean not a byte was written (no lock, no reflog, no config change).
fn store_files(store: &Path) -> BTreeMap<PathBuf, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<PathBuf, String>) {
        for e in std::fs::read_dir(dir).expect("readable store") {
            let path = e.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                let bytes = std::fs::read(&path).expect("readable file");
                out.insert(
                    path.strip_prefix(root).expect("inside").to_path_buf(),
                    hex::encode(Sha256::digest(bytes)),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(store, store, &mut out);
    out
}

#[test]
fn verify_trace_and_blame_write_nothing() {
    let env = three_edition_store();
    let refs = env.refs_and_objects();
    let files = store_files(&env.store());
    let commands: [&[&str]; 10] = [
        &["verify"],
        &["verify", "--format", "json"],
        &["trace", REC4],
        &["trace", REC4, "--format", "json"],
        &["trace", "CTOC/COP/WG.2/2023/4#5", "--in", "e2"],
        &["trace", "--text", "RevMod"],
        &["trace", "--text", "States parties"],
        &["blame"],
        &["blame", "e2", "--format", "json"],
        &["blame", "e1", "--format", "markdown"],
    ];
    for args in commands {
        let out = env.run(args);
        out.assert_no_panic();
        assert_eq!(env.refs_and_objects(), refs, "{args:?} wrote to the store");
        assert_eq!(store_files(&env.store()), files, "{args:?} wrote a file");
    }
    // And after a tampering, verify still only reads.
    env.git_ok(&["tag", "-d", "edition/e1"]);
    let refs = env.refs_and_objects();
    let files = store_files(&env.store());
    assert_eq!(env.run(&["verify"]).code, Some(1));
    assert_eq!(env.refs_and_objects(), refs);
    assert_eq!(store_files(&env.store()), files);
}

// ---------------------------------------------------------------------------
// Hostile edition ids

/// The store holding the real edition that the refusals are checked
/// against.
fn store_with_real() -> TestEnv {
    let env = TestEnv::new();
    env.import_real();
    env
}

/// Asserts a refusal of an edition id: exit 2, an `error:` line naming the
/// id (escaped) as invalid, a hint about `--edition`, no control character
/// on the terminal, and nothing written anywhere.
#[track_caller]
fn assert_id_refused(env: &TestEnv, before: &Untouched, out: &Output, id: &str, what: &str) {
    out.failure();
    assert_no_control_characters(out, what);
    let first = out.error_lines()[0];
    assert!(
        first.starts_with(&format!("error: {id:?} is not a valid edition id: ")),
        "{what}: {}",
        out.stderr
    );
    assert!(out.hint().contains("--edition"), "{what}: {}", out.stderr);
    assert!(out.stdout.is_empty(), "{what}: {}", out.stdout);
    before.assert_same(env, what);
}

/// Edition ids given with `--edition` that would be absolute paths, git
/// reflog syntax (`@{`), revision syntax (`^`, `:`, `?`, `*`, `[`), hidden
/// or dangling names, too long, non-ASCII, empty, an option (`-x`), or
/// would carry tabs, newlines, carriage returns and terminal escapes: each
/// is refused before anything is written, with the id shown escaped.
#[test]
fn hostile_edition_flags_are_refused_and_write_nothing() {
    let env = store_with_real();
    let file = "editions/2024-04.md";
    let inside = format!("{}/escaped", env.root().display());
    let long = "x".repeat(65);
    let ids: Vec<&str> = vec![
        "/abs",
        &inside,
        "@{",
        "a@{1}",
        "HEAD@{0}",
        "@",
        "a^b",
        "a:b",
        "a?b",
        "a*b",
        "a[b",
        "a\\b",
        ".x",
        "x.",
        "-x",
        "a/../b",
        "refs/heads/editions",
        &long,
        "café",
        "a\tb",
        "a\nb",
        "a\rb",
        "a\u{1b}[31mb",
        "a\u{7f}b",
        "a\u{202e}b",
        "",
    ];
    let before = Untouched::record(&env);
    for id in ids {
        let out = env.run(&["import", file, &format!("--edition={id}")]);
        assert_id_refused(&env, &before, &out, id, &format!("--edition={id:?}"));
    }
}

/// A file name that cannot be an edition id, taken as the default id.
fn hostile_file_names() -> Vec<OsString> {
    let mut names: Vec<OsString> = [
        "a b", "a..b", "x.lock", "@{", "a@{1}", "a\tb", "a\u{1b}b", "-x", ".x", "café", "latest",
        "a~1", "a:b", "a\nb",
    ]
    .iter()
    .map(|s| OsString::from(format!("{s}.md")))
    .collect();
    // Not UTF-8 at all.
    names.push(OsString::from_vec(b"\xff\xfe.md".to_vec()));
    names
}

/// Files whose names are no valid edition id (spaces, `..`, `.lock`, `@{`,
/// a tab, an escape, a newline, a leading `-` or `.`, non-ASCII, `latest`,
/// `~`, `:`, bytes that are not UTF-8) are refused when imported without
/// `--edition`, with the id escaped and a hint to name one with
/// `--edition`; a directory holding one of them among valid editions is
/// refused as a whole, and nothing is written.
#[test]
fn hostile_file_names_are_refused_and_write_nothing() {
    let env = store_with_real();
    let (_, text) = variant(0);
    for name in hostile_file_names() {
        let path = env.root().join("bad").join(&name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&path, &text).expect("write");
    }
    let before = Untouched::record(&env);
    for name in hostile_file_names() {
        let rel = Path::new("bad").join(&name);
        let mut cmd = env.command(&["import"]);
        cmd.arg(&rel);
        let out = TestEnv::output(cmd);
        let what = format!("{rel:?}");
        let stem = name.as_bytes().strip_suffix(b".md").expect(".md");
        match std::str::from_utf8(stem) {
            Ok(id) => assert_id_refused(&env, &before, &out, id, &what),
            Err(_) => {
                // Not even text: refused, with some message, writing nothing.
                out.failure();
                assert_no_control_characters(&out, &what);
                assert!(out.hint().contains("--edition"), "{what}: {}", out.stderr);
                before.assert_same(&env, &what);
            }
        }
    }

    // A directory with one bad name among good ones imports nothing.
    let (good, good_text) = variant(1);
    env.write(&format!("mixed/{good}.md"), &good_text);
    env.write("mixed/a..b.md", &text);
    let before = Untouched::record(&env);
    let out = env.run(&["import", "mixed"]);
    out.failure();
    assert!(out.stderr.contains("\"a..b\""), "{}", out.stderr);
    before.assert_same(&env, "import mixed");
    assert_eq!(env.log_ids(), ["2024-04"]);
    // The bad file given a valid id with --edition is imported.
    env.ok(&["import", "bad/a..b.md", "--edition", "a-b"]);
    assert_eq!(env.log_ids(), ["a-b", "2024-04"]);
}

// ---------------------------------------------------------------------------
// Hostile item ids and edition references

/// Item ids, text fragments and edition references that are paths,
/// shell or format strings, regex syntax, terminal escapes, huge numbers or
/// very long: `trace`, `show`, `blame`, `diff` and `whatsnew` answer each
/// with a result or an error (exit 0 or 2, an `error:` line and a hint),
/// never a crash; nothing is written and nothing is run. (That no control
/// character reaches the terminal is the ignored test below.)
#[test]
fn hostile_item_ids_and_edition_references_never_crash() {
    let env = TestEnv::new();
    env.import_both();
    let long = "A".repeat(100_000);
    let items: Vec<String> = vec![
        "../../etc/passwd".into(),
        "/etc/passwd".into(),
        "$(touch pwned)".into(),
        "`touch pwned`".into(),
        "%s%n%x".into(),
        "#".into(),
        "##".into(),
        "CTOC/COP/WG.4/2022/4#".into(),
        "#14".into(),
        "CTOC/COP/WG.4/2022/4#14~0".into(),
        "CTOC/COP/WG.4/2022/4#14~2".into(),
        "CTOC/COP/WG.4/2022/4#14~18446744073709551615".into(),
        "CTOC/COP/WG.4/2022/4#14~99999999999999999999999".into(),
        "B/2023/constructive-dialogue-on-technical-assistance#o0".into(),
        "B/2023/constructive-dialogue-on-technical-assistance#o18446744073709551615".into(),
        "B/2023/constructive-dialogue-on-technical-assistance#o-1".into(),
        "\u{1b}[2J\u{1b}[31mred".into(),
        "a\rb".into(),
        "\u{202e}txt.exe".into(),
        long.clone(),
        format!("CTOC/COP/WG.4/2022/4#{long}"),
    ];
    let fragments: Vec<String> = vec![
        "(".into(),
        "[".into(),
        "*".into(),
        ".*".into(),
        "\\".into(),
        "(?i)x{99999}".into(),
        "\u{1b}[31m".into(),
        " ".into(),
        long.clone(),
    ];
    let specs: Vec<String> = vec![
        "latest~18446744073709551616".into(),
        "latest~99999999999999999999999".into(),
        "latest~2".into(),
        "latest~-1".into(),
        "latest~".into(),
        "latest~1~1".into(),
        "../x".into(),
        "@{-1}".into(),
        "\u{1b}[31m".into(),
        "HEAD".into(),
        long.clone(),
    ];
    let mut runs: Vec<Vec<String>> = Vec::new();
    for item in &items {
        runs.push(vec!["trace".into(), "--".into(), item.clone()]);
        runs.push(vec![
            "trace".into(),
            "--format".into(),
            "json".into(),
            "--".into(),
            item.clone(),
        ]);
    }
    for fragment in &fragments {
        runs.push(vec!["trace".into(), "--text".into(), fragment.clone()]);
    }
    for spec in &specs {
        let s = spec.clone();
        runs.push(vec!["show".into(), "--".into(), s.clone()]);
        runs.push(vec!["blame".into(), "--".into(), s.clone()]);
        runs.push(vec!["diff".into(), "--".into(), s.clone(), "latest".into()]);
        runs.push(vec!["whatsnew".into(), format!("--since={s}")]);
        runs.push(vec![
            "trace".into(),
            "CTOC/COP/WG.4/2022/4#14".into(),
            format!("--in={s}"),
        ]);
    }
    let before = Untouched::record(&env);
    for args in &runs {
        let out = env.run(args);
        let what = format!("{args:?}");
        let what: String = what.chars().take(200).collect();
        out.assert_no_panic();
        match out.code {
            Some(0) => {}
            Some(2) => {
                out.failure();
                // livedoc's own hint, or clap's pointer to --help for a
                // value its parser refused.
                assert!(
                    out.stderr.lines().any(|l| l.starts_with("hint: "))
                        || out.stderr.contains("For more information, try '--help'."),
                    "{what}: {}",
                    out.stderr
                );
            }
            other => panic!("{what}: exit {other:?}\n{}", out.stderr),
        }
        before.assert_same(&env, &what);
    }
}

/// Regression test of a crash: `latest~N` with N = usize::MAX overflows in
/// `Store::resolve` (`commits.len().checked_sub(1 + n)`): "attempt to add
/// with overflow" in a debug build, "index out of bounds" in a release
/// build (1 + n wraps to 0, so the index is the number of editions).
#[test]
fn latest_tilde_usize_max_is_refused_not_a_crash() {
    let env = TestEnv::new();
    env.import_both();
    let before = Untouched::record(&env);
    let spec = format!("latest~{}", usize::MAX);
    for args in [
        vec!["show", spec.as_str()],
        vec!["blame", spec.as_str()],
        vec!["diff", spec.as_str(), "latest"],
    ] {
        let out = env.run(&args);
        out.failure();
        assert!(
            out.error_lines()[0].contains("goes back further than the store's 2 editions"),
            "{args:?}: {}",
            out.stderr
        );
        before.assert_same(&env, &format!("{args:?}"));
    }
    let out = env.run(&["whatsnew", &format!("--since={spec}")]);
    out.failure();
}

/// Control characters from the command line, from a file name or from a
/// document's text never reach the terminal raw: a terminal escape in an
/// item id given to `trace`, in the text of a draft given to `check`, in a
/// draft's file name, or in a file compared with `diff`, is shown escaped
/// (or dropped), so that a hostile draft or argument cannot clear the
/// screen, retitle the window or hide text.
#[test]
fn control_characters_never_reach_the_terminal() {
    let env = TestEnv::new();
    env.import_real();
    let escape = "\u{1b}]0;pwned\u{7}\u{1b}[2J";
    let text = real_text();
    let hostile = replace_once(
        &text,
        "Organized Crime Convention\n",
        &format!("Organized Crime Convention {escape}\n"),
    );
    let draft = env.write("drafts/2025-03.md", &hostile);
    let named = env.write(&format!("drafts/x{escape}.md"), &text);
    let item = format!("CTOC/COP/WG.4/2022/4#{escape}");
    let runs: Vec<Vec<&str>> = vec![
        vec!["trace", "--", &item],
        vec!["check", &draft],
        vec!["check", &named],
        vec!["diff", "latest", &draft],
        vec!["diff", "editions/2024-04.md", &draft],
        vec!["import", &draft, "--dry-run"],
    ];
    for args in runs {
        let out = env.run(&args);
        out.assert_no_panic();
        assert_no_control_characters(&out, &format!("{args:?}"));
    }
}
