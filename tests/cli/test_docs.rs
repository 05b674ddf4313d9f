//! The documentation holds together, and its examples are the
//! specification:
//!
//! - every page under docs/ is reachable from the README, and every
//!   relative link points at a file that exists;
//! - the README's quick start is exactly the two commands `.ci/run` relies
//!   on;
//! - every shell block of the README and of every page under docs/ runs as
//!   printed in a fresh clone, and every sample of output beside it is what
//!   the binary prints ([`every_shell_block_runs_as_printed`]);
//! - docs/reference/commands.md names every subcommand and each of its
//!   options ([`the_command_reference_names_every_option`]).
//!
//! # How the examples run
//!
//! **Which blocks.** Fenced blocks tagged `sh`, `bash` or `console` run;
//! `text`, `toml`, `json`, `python` and the rest do not (a `text` block is
//! checked as a sample of output when it is marked so, below). In an `sh`
//! or `bash` block every line that is not blank or a comment is a command
//! (a line ending in `\` continues on the next). In a `console` block a line
//! starting with `$ ` is a command, and the lines after it, up to the next
//! `$ `, are a sample of what it prints on standard output. A `text`
//! block that begins with `$ ` fails: a session shown there would escape
//! the test, so it goes in a `console` block.
//!
//! **Where.** Each page starts from a fresh copy of the repository's
//! git-tracked files (a fresh clone, without `.git`), and its blocks run in
//! order in that one directory: a page is a walkthrough (import, then diff,
//! then site). Each command runs with `sh -c` there; a command that is
//! exactly `cd DIR` moves the page's later commands into DIR, as in a
//! terminal.
//!
//! **What `livedoc` is.** The binary under test, first on `PATH`. The
//! README's `cargo run --release --` prefix runs that binary too, and
//! `cargo test` is not run again (it is what runs this test); the test
//! prints it as not run. No other cargo command runs: mark its block.
//!
//! **The environment** is hermetic, as in the other CLI tests: a private
//! `HOME`, `SOURCE_DATE_EPOCH`, `NO_COLOR=1`, `GIT_CONFIG_GLOBAL=/dev/null`,
//! `LIVEDOC_AUTHOR`, `COLUMNS=100`, and `EDITOR=true` (the reader's edits
//! are their own: `$EDITOR FILE` leaves the file as it is).
//!
//! **What the reader brings** ([`BRINGS`]): the docs name the reader's own
//! files plainly, and the test puts synthetic ones from the repository
//! under those names in each page's directory: `DRAFT.md` and `DRAFT.docx`
//! (the draft of the next edition), the SSH key `~/.ssh/secretariat` (made
//! with `ssh-keygen`), and for the reference pages that read a store
//! without making one, the store ([`PAGE_BRINGS`]).
//!
//! **Markers**, an HTML comment on the line just before the fence:
//!
//! - `<!-- not run: REASON -->`: the block cannot run here (a remote host,
//!   a web server); it is skipped and its reason printed;
//! - `<!-- output of: COMMAND -->` before a `text` block: the block is a
//!   sample of what COMMAND, run earlier on the page as printed there
//!   (without its comment), printed on standard output.
//!
//! **Exit status.** Every command must exit 0, unless its comment begins
//! with `exits N` (`livedoc check x.md --strict   # exits 1: warnings`).
//!
//! **Samples** are of standard output only (stderr is never checked) and
//! match line by line (trailing spaces and blank lines at either end
//! ignored), with three wildcards: `…` matches any text within a line, a
//! line that is only `…` any number of lines, and a word of 7 to 64 hex digits
//! with at least one digit in it (a commit, a tag, a digest) matches any
//! such word of the same length.
//!
//! **Skips are never silent.** The test prints, per page, the blocks run
//! and the blocks skipped with their reasons. A block that needs a tool
//! this machine lacks (`pandoc`, `python3`, `ssh-keygen` for signatures)
//! is skipped with that reason, and so is the rest of its page, which
//! builds on it. A page with blocks that ran none fails, unless a missing
//! tool stopped it. A failure names the page, the line of the block and of
//! the command, and the command's stderr.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use regex::Regex;

use crate::common::{AUTHOR, EPOCH};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const LIVEDOC: &str = env!("CARGO_BIN_EXE_livedoc");

/// What the reader brings to every page: `(the name the docs use, the
/// synthetic file in the repository the test puts there)`.
const BRINGS: &[(&str, &str)] = &[
    ("DRAFT.md", "examples/draft-next-edition.md"),
    ("DRAFT.docx", "examples/draft-next-edition.docx"),
];

/// The SSH key the secretariat signs with, `~/.ssh/secretariat` (and
/// `.pub`): made for each page with `ssh-keygen` when it is installed.
const SIGNING_KEY: &str = ".ssh/secretariat";

/// What the reader brings to one page only: `(page, name, from)`, where
/// `from` is a file or directory of the repository, or `import editions/`
/// for the store the README's quick start makes.
const PAGE_BRINGS: &[(&str, &str, &str)] = &[
    // The auditor's plain-git commands read the store the quick start made.
    ("docs/reference/store.md", "livedoc.git", "import editions/"),
    // Section 6 verifies a signed tag of STORE with its ALLOWED signers:
    // the golden store v5 and its allowed-signers file.
    (
        "docs/reference/store-format.md",
        "STORE",
        "tests/fixtures/store/v5.git",
    ),
    (
        "docs/reference/store-format.md",
        "ALLOWED",
        "tests/fixtures/store/v5.allowed_signers",
    ),
];

/// Words in a command that mean it needs `ssh-keygen` (signing, or
/// checking signatures), which is not on every machine.
const NEEDS_SSH_KEYGEN: &[&str] = &[
    "--sign",
    "--allowed-signers",
    "allowed_signers",
    "allowedSignersFile",
    "verify-tag",
    ".ssh/",
];

/// How long one command may run before it is killed and reported.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(600);

// ---------------------------------------------------------------------------
// The documentation holds together.

/// The relative link targets of a Markdown file (anchors dropped).
fn links(file: &Path) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(file).expect("a doc page");
    let dir = file.parent().expect("a directory");
    let mut out = Vec::new();
    for (at, _) in text.match_indices("](") {
        let rest = &text[at + 2..];
        let Some(end) = rest.find(')') else { continue };
        let target = &rest[..end];
        if target.starts_with("http") || target.starts_with('#') || target.starts_with("mailto:") {
            continue;
        }
        let path = target.split('#').next().unwrap_or_default();
        if !path.is_empty() {
            out.push(dir.join(path));
        }
    }
    out
}

#[test]
fn every_doc_page_is_reachable_and_every_link_resolves() {
    let readme = Path::new(ROOT).join("README.md");
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    let mut queue = vec![readme];
    while let Some(page) = queue.pop() {
        let page = page
            .canonicalize()
            .unwrap_or_else(|_| panic!("{} exists", page.display()));
        if !seen.insert(page.clone()) {
            continue;
        }
        for target in links(&page) {
            assert!(
                target.exists(),
                "{} links to {}, which does not exist",
                page.display(),
                target.display()
            );
            if target.extension().is_some_and(|e| e == "md") && target.starts_with(ROOT) {
                queue.push(target);
            }
        }
    }
    for p in doc_pages() {
        let p = Path::new(ROOT).join(p).canonicalize().expect("a page");
        assert!(
            seen.contains(&p),
            "{} is not reachable from the README",
            p.display()
        );
    }
}

#[test]
fn the_quick_start_is_two_commands() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README");
    let quick = readme
        .split("## Quick start")
        .nth(1)
        .expect("a quick start");
    let block = quick.split("```sh\n").nth(1).expect("a sh block");
    let block = block.split("```").next().expect("its end");
    let commands: Vec<&str> = block
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        commands,
        ["cargo run --release -- import editions/", "cargo test"]
    );
    let ci = std::fs::read_to_string(Path::new(ROOT).join(".ci/run")).expect(".ci/run");
    assert!(
        ci.contains("cargo test --locked"),
        "CI runs the README's test command"
    );
}

/// The README and every page under docs/, as paths relative to the root,
/// in a stable order.
fn doc_pages() -> Vec<String> {
    let mut pages = vec!["README.md".to_string()];
    let mut found = Vec::new();
    let mut stack = vec![Path::new(ROOT).join("docs")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("docs/").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                let rel = p.strip_prefix(ROOT).expect("under the root");
                found.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    pages.extend(found);
    pages
}

// ---------------------------------------------------------------------------
// The blocks of a page.

/// A fenced block of a page.
#[derive(Debug)]
struct Block {
    /// The 1-based line of its opening fence.
    line: usize,
    /// The first word of the fence's info string (`sh`, `console`, …).
    lang: String,
    /// The marker on the line before the fence.
    marker: Option<Marker>,
    /// Its lines, each with its 1-based line number.
    body: Vec<(usize, String)>,
}

#[derive(Debug)]
enum Marker {
    /// `<!-- not run: REASON -->`
    NotRun(String),
    /// `<!-- output of: COMMAND -->`
    OutputOf(String),
}

impl Block {
    fn runs(&self) -> bool {
        matches!(self.lang.as_str(), "sh" | "bash" | "console")
    }
}

/// The fenced blocks of a page, or what is wrong with its fences.
fn blocks(text: &str) -> Result<Vec<Block>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(info) = lines[i].trim_start().strip_prefix("```") else {
            i += 1;
            continue;
        };
        let open = i;
        let lang = info.split_whitespace().next().unwrap_or("").to_string();
        let marker = if open > 0 {
            marker(lines[open - 1]).map_err(|e| format!("line {open}: {e}"))?
        } else {
            None
        };
        let mut body = Vec::new();
        i += 1;
        while i < lines.len() && lines[i].trim() != "```" {
            body.push((i + 1, lines[i].to_string()));
            i += 1;
        }
        if i == lines.len() {
            return Err(format!("line {}: the block is never closed", open + 1));
        }
        out.push(Block {
            line: open + 1,
            lang,
            marker,
            body,
        });
        i += 1;
    }
    Ok(out)
}

/// The marker an HTML comment line holds, if it is one.
fn marker(line: &str) -> Result<Option<Marker>, String> {
    let Some(inner) = line
        .trim()
        .strip_prefix("<!--")
        .and_then(|l| l.strip_suffix("-->"))
    else {
        return Ok(None);
    };
    let inner = inner.trim();
    let (what, arg) = if let Some(reason) = inner.strip_prefix("not run:") {
        ("not run", reason.trim())
    } else if let Some(command) = inner.strip_prefix("output of:") {
        ("output of", command.trim())
    } else {
        return Ok(None);
    };
    if arg.is_empty() {
        return Err(format!("`<!-- {what}: … -->` says nothing after the colon"));
    }
    Ok(Some(if what == "not run" {
        Marker::NotRun(arg.to_string())
    } else {
        Marker::OutputOf(arg.to_string())
    }))
}

/// One command of a block.
#[derive(Debug)]
struct Step {
    /// The 1-based line of the command in the page.
    line: usize,
    /// The command as printed, without its comment (continued lines
    /// joined): what `<!-- output of: … -->` names.
    command: String,
    /// The exit status the doc expects (`# exits N`), 0 otherwise.
    exit: i32,
    /// What it prints on standard output, from a `console` block.
    sample: Option<Vec<String>>,
}

/// The commands of a runnable block.
fn steps(block: &Block) -> Result<Vec<Step>, String> {
    let mut out: Vec<Step> = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (line, text) in &block.body {
        let text = text.as_str();
        if let Some((start, mut acc)) = pending.take() {
            acc.push(' ');
            acc.push_str(text.trim());
            match acc.strip_suffix('\\') {
                Some(more) => pending = Some((start, more.trim_end().to_string())),
                None => {
                    let mut s = step(start, &acc)?;
                    if block.lang == "console" {
                        s.sample = Some(Vec::new());
                    }
                    out.push(s);
                }
            }
            continue;
        }
        let command = if block.lang == "console" {
            match text.strip_prefix("$ ") {
                Some(c) => c,
                None => match out.last_mut() {
                    Some(last) => {
                        last.sample
                            .get_or_insert_with(Vec::new)
                            .push(text.to_string());
                        continue;
                    }
                    None => return Err(format!("line {line}: output before any `$ ` command")),
                },
            }
        } else {
            let t = text.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            t
        };
        match command.trim_end().strip_suffix('\\') {
            Some(more) => pending = Some((*line, more.trim_end().to_string())),
            None => {
                let mut s = step(*line, command)?;
                if block.lang == "console" {
                    s.sample = Some(Vec::new());
                }
                out.push(s);
            }
        }
    }
    if let Some((line, _)) = pending {
        return Err(format!("line {line}: the command's last line ends in `\\`"));
    }
    Ok(out)
}

fn step(line: usize, printed: &str) -> Result<Step, String> {
    let (command, comment) = split_comment(printed);
    let exit = match comment.and_then(|c| c.strip_prefix("exits ")) {
        Some(rest) => {
            let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
            n.parse()
                .map_err(|_| format!("line {line}: `# exits` without a number"))?
        }
        None => 0,
    };
    Ok(Step {
        line,
        command: command.to_string(),
        exit,
        sample: None,
    })
}

/// A shell line split into its command and its comment: a `#` that
/// starts a word outside quotes (so `'CTOC/COP/WG.3/2023/4#(l)'` is not
/// one).
fn split_comment(line: &str) -> (&str, Option<&str>) {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut word_start = true;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
            word_start = false;
            continue;
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some('"') if c == '\\' => escaped = true,
            Some(_) => {}
            None => match c {
                '\\' => escaped = true,
                '\'' | '"' => quote = Some(c),
                '#' if word_start => {
                    return (line[..i].trim(), Some(line[i + 1..].trim()));
                }
                _ => {}
            },
        }
        word_start = quote.is_none() && c.is_whitespace();
    }
    (line.trim(), None)
}

// ---------------------------------------------------------------------------
// Samples of output.

enum Pattern {
    /// A line that is only `…`: any number of lines.
    AnyLines,
    Line(Regex),
}

fn hex_word() -> &'static Regex {
    static HEX: OnceLock<Regex> = OnceLock::new();
    HEX.get_or_init(|| Regex::new(r"\b[0-9a-f]{7,64}\b").expect("a regex"))
}

fn patterns(sample: &[String]) -> Vec<Pattern> {
    sample
        .iter()
        .map(|line| {
            if line.trim() == "…" {
                return Pattern::AnyLines;
            }
            let mut re = String::from("^");
            for (n, piece) in line.trim_end().split('…').enumerate() {
                if n > 0 {
                    re.push_str(".*");
                }
                let mut last = 0;
                for m in hex_word().find_iter(piece) {
                    if m.as_str().bytes().any(|b| b.is_ascii_digit()) {
                        re.push_str(&regex::escape(&piece[last..m.start()]));
                        let _ = write!(re, "[0-9a-f]{{{}}}", m.len());
                        last = m.end();
                    }
                }
                re.push_str(&regex::escape(&piece[last..]));
            }
            re.push('$');
            Pattern::Line(Regex::new(&re).expect("an escaped sample line"))
        })
        .collect()
}

/// Lines without trailing spaces, and without blank lines at either end.
fn trimmed_lines<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut v: Vec<&str> = lines.map(str::trim_end).collect();
    while v.last().is_some_and(|l| l.is_empty()) {
        v.pop();
    }
    let first = v.iter().position(|l| !l.is_empty()).unwrap_or(v.len());
    v.drain(..first);
    v
}

fn sample_matches(sample: &[String], output: &str) -> bool {
    sample_mismatch(sample, output).is_none()
}

/// Where a sample stops matching the output, in words; `None` when it
/// matches.
fn sample_mismatch(sample: &[String], output: &str) -> Option<String> {
    let sample: Vec<&str> = trimmed_lines(sample.iter().map(String::as_str));
    let owned: Vec<String> = sample.iter().map(|l| l.to_string()).collect();
    let pats = patterns(&owned);
    let lines = trimmed_lines(output.lines());
    let (n, m) = (pats.len(), lines.len());
    // reach[i][j]: the first i sample lines match the first j output lines.
    let mut reach = vec![vec![false; m + 1]; n + 1];
    reach[0][0] = true;
    for i in 0..n {
        for j in 0..=m {
            if !reach[i][j] {
                continue;
            }
            match &pats[i] {
                Pattern::AnyLines => (j..=m).for_each(|k| reach[i + 1][k] = true),
                Pattern::Line(re) => {
                    if j < m && re.is_match(lines[j]) {
                        reach[i + 1][j + 1] = true;
                    }
                }
            }
        }
    }
    if reach[n][m] {
        return None;
    }
    let i = (0..=n).rev().find(|&i| reach[i].iter().any(|r| *r))?;
    Some(if i == n {
        let j = (0..=m).rev().find(|&j| reach[n][j]).unwrap_or(0);
        format!(
            "the output goes on after the sample ends, at its line {}: {:?}",
            j + 1,
            lines.get(j).unwrap_or(&"")
        )
    } else {
        format!(
            "the sample's line {} matches nothing where it stands: {:?}",
            i + 1,
            sample[i]
        )
    })
}

#[test]
fn samples_match_with_their_wildcards() {
    let s = |t: &str| t.lines().map(str::to_string).collect::<Vec<_>>();
    let out = "Imported 2024-04: commit 1a805c0, tag edition/2024-04.\nline a\nline b\nend\n";
    assert!(sample_matches(
        &s("Imported 2024-04: commit 800321f, tag edition/2024-04.\n  …\nend"),
        out
    ));
    assert!(sample_matches(
        &s("Imported … commit 800321f, …\nline a\n…"),
        out
    ));
    assert!(!sample_matches(
        &s("Imported 2024-04: commit 800321f,"),
        out
    ));
    assert!(!sample_matches(
        &s("Imported 2024-04: commit 800321f, tag edition/2024-04.\nend"),
        out
    ));
    // A hex word matches only a hex word of its length.
    assert!(!sample_matches(&s("… commit 800321f0, …\n…"), out));
    assert_eq!(
        sample_mismatch(&s("Imported …\nline b\n…"), out).as_deref(),
        Some("the sample's line 2 matches nothing where it stands: \"line b\"")
    );
    assert_eq!(
        sample_mismatch(&s("Imported …\nline a"), out).as_deref(),
        Some("the output goes on after the sample ends, at its line 3: \"line b\"")
    );
    assert_eq!(
        split_comment("livedoc trace 'A/1#(l)'   # exits 1: why"),
        ("livedoc trace 'A/1#(l)'", Some("exits 1: why"))
    );
    assert_eq!(split_comment("echo \"a # b\""), ("echo \"a # b\"", None));
}

// ---------------------------------------------------------------------------
// Running a page.

/// The tracked files of the repository, as `git ls-files` lists them.
fn tracked_files() -> &'static [String] {
    static FILES: OnceLock<Vec<String>> = OnceLock::new();
    FILES.get_or_init(|| {
        let out = Command::new("git")
            .args(["ls-files", "-z"])
            .current_dir(ROOT)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "the doc examples run in a copy of the repository's tracked files, \
             and `git ls-files` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .expect("UTF-8 paths")
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    })
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a directory");
    for e in std::fs::read_dir(from).expect("read a directory").flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy a file");
        }
    }
}

/// Whether `tool` is an executable on `PATH`.
fn on_path(tool: &str) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|d| {
            std::fs::metadata(d.join(tool))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    })
}

/// The directories of one page's run.
struct Page {
    name: String,
    _tmp: tempfile::TempDir,
    /// The fresh clone, where the blocks run.
    clone: PathBuf,
    home: PathBuf,
    xdg: PathBuf,
    bin: PathBuf,
    /// Where each command's stdout and stderr go.
    scratch: PathBuf,
}

/// What one command did.
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Page {
    fn new(name: &str) -> Page {
        let tmp = tempfile::Builder::new()
            .prefix("livedoc-docs-")
            .tempdir()
            .expect("a temporary directory");
        let root = tmp.path().canonicalize().expect("the tempdir exists");
        let page = Page {
            name: name.to_string(),
            clone: root.join("clone"),
            home: root.join("home"),
            xdg: root.join("xdg"),
            bin: root.join("bin"),
            scratch: root.join("scratch"),
            _tmp: tmp,
        };
        for d in [&page.clone, &page.home, &page.xdg, &page.bin, &page.scratch] {
            std::fs::create_dir_all(d).expect("create a directory");
        }
        std::os::unix::fs::symlink(LIVEDOC, page.bin.join("livedoc")).expect("link livedoc");
        for rel in tracked_files() {
            let from = Path::new(ROOT).join(rel);
            // A tracked file deleted in the working tree is not copied.
            if from.is_file() {
                let to = page.clone.join(rel);
                std::fs::create_dir_all(to.parent().expect("a parent")).expect("mkdir");
                std::fs::copy(&from, &to).expect("copy a tracked file");
            }
        }
        page
    }

    /// Puts what the reader brings in place; returns what it did, to print.
    fn bring(&self) -> Result<Vec<String>, String> {
        let mut said = Vec::new();
        for (name, from) in BRINGS {
            std::fs::copy(Path::new(ROOT).join(from), self.clone.join(name))
                .map_err(|e| format!("{from}: {e}"))?;
            said.push(format!("{name} = {from}"));
        }
        if on_path("ssh-keygen") {
            let key = self.home.join(SIGNING_KEY);
            std::fs::create_dir_all(key.parent().expect("~/.ssh")).expect("mkdir ~/.ssh");
            let ran = self.run(&format!(
                "ssh-keygen -q -t ed25519 -N '' -C secretariat@example.org -f '{}'",
                key.display()
            ));
            if ran.code != Some(0) {
                return Err(format!("ssh-keygen failed: {}", ran.stderr));
            }
            said.push(format!("~/{SIGNING_KEY} = a new ed25519 key"));
        }
        for (page, name, from) in PAGE_BRINGS {
            if *page != self.name {
                continue;
            }
            if let Some(args) = from.strip_prefix("import ") {
                let ran = self.run(&format!("livedoc import {args}"));
                if ran.code != Some(0) {
                    return Err(format!("livedoc import {args} failed: {}", ran.stderr));
                }
            } else {
                let from_path = Path::new(ROOT).join(from);
                if from_path.is_dir() {
                    copy_tree(&from_path, &self.clone.join(name));
                } else {
                    std::fs::copy(&from_path, self.clone.join(name))
                        .map_err(|e| format!("{from}: {e}"))?;
                }
            }
            said.push(format!("{name} = {from}"));
        }
        Ok(said)
    }

    fn run(&self, script: &str) -> Ran {
        self.run_in(&self.clone, script)
    }

    /// Runs `sh -c SCRIPT` in `dir`, hermetically.
    fn run_in(&self, dir: &Path, script: &str) -> Ran {
        use std::os::unix::process::CommandExt as _;
        let out_path = self.scratch.join("stdout");
        let err_path = self.scratch.join("stderr");
        let mut path = std::ffi::OsString::from(self.bin.as_os_str());
        if let Some(p) = std::env::var_os("PATH") {
            path.push(":");
            path.push(p);
        }
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(script)
            .env_clear()
            .env("PATH", path)
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", &self.xdg)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("LIVEDOC_AUTHOR", AUTHOR)
            .env("COLUMNS", "100")
            .env("EDITOR", "true")
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out_path).expect("a stdout file"))
            .stderr(std::fs::File::create(&err_path).expect("a stderr file"))
            .process_group(0);
        let mut child = cmd.spawn().expect("sh runs");
        let started = Instant::now();
        let code = loop {
            if let Some(status) = child.try_wait().expect("wait for sh") {
                break status.code();
            }
            if started.elapsed() > COMMAND_TIMEOUT {
                let pgid = i32::try_from(child.id()).expect("a pid");
                // SAFETY: kill(2) on the process group this test started.
                unsafe { libc::kill(-pgid, libc::SIGKILL) };
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let read =
            |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
        let mut stderr = read(&err_path);
        if code.is_none() {
            let _ = write!(
                stderr,
                "\n(killed after {COMMAND_TIMEOUT:?}, or by a signal)"
            );
        }
        Ran {
            code,
            stdout: read(&out_path),
            stderr,
        }
    }
}

/// What a page's run came to.
#[derive(Default)]
struct Report {
    ran: usize,
    commands: usize,
    samples: usize,
    /// The runnable blocks of the page.
    blocks: usize,
    /// `(line of the block, why it was skipped)`
    skipped: Vec<(usize, String)>,
    /// `(line of the command, why it was not run)`: `cargo test`.
    not_run: Vec<(usize, String)>,
    brought: Vec<String>,
    /// A missing tool stopped the page.
    stopped: Option<String>,
    failures: Vec<String>,
}

/// The command as it runs: the README's `cargo run --release --` is the
/// binary under test, `livedoc` on `PATH`.
fn as_run(command: &str) -> String {
    command.replace("cargo run --release -- ", "livedoc ")
}

/// What the command needs that this machine may lack: a program named
/// first, a script's interpreter, or `ssh-keygen` for signatures.
fn missing_tool(clone: &Path, command: &str) -> Option<String> {
    if NEEDS_SSH_KEYGEN.iter().any(|w| command.contains(w)) && !on_path("ssh-keygen") {
        return Some("ssh-keygen".into());
    }
    let first = command.trim_start_matches('(').split_whitespace().next()?;
    if first.contains('=') || first.starts_with('$') {
        return None;
    }
    if first.contains('/') {
        // A script of the repository: its interpreter.
        let text = std::fs::read_to_string(clone.join(first)).ok()?;
        let shebang = text.lines().next()?.strip_prefix("#!")?;
        let interpreter = shebang.split_whitespace().last()?;
        let interpreter = interpreter.rsplit('/').next()?;
        return (!on_path(interpreter)).then(|| interpreter.to_string());
    }
    const BUILTINS: &[&str] = &[
        "cd", "echo", "export", "test", "[", "true", "false", "printf",
    ];
    let present = BUILTINS.contains(&first) || first == "livedoc" || on_path(first);
    (!present).then(|| first.to_string())
}

/// Runs one page's blocks in order in a fresh clone.
fn run_page(name: &str) -> Report {
    let mut report = Report::default();
    let text = std::fs::read_to_string(Path::new(ROOT).join(name)).expect("a doc page");
    let blocks = match blocks(&text) {
        Ok(b) => b,
        Err(e) => {
            report.failures.push(format!("{name}:{e}"));
            return report;
        }
    };
    report.blocks = blocks.iter().filter(|b| b.runs()).count();
    if report.blocks == 0 {
        return report;
    }
    let page = Page::new(name);
    match page.bring() {
        Ok(said) => report.brought = said,
        Err(e) => {
            report
                .failures
                .push(format!("{name}: what the reader brings: {e}"));
            return report;
        }
    }
    let mut cwd = page.clone.clone();
    // The stdout of each command run so far, by the command as printed.
    let mut outputs: Vec<(String, String)> = Vec::new();
    for block in &blocks {
        let at = format!("{name}:{}", block.line);
        if let Some(tool) = &report.stopped {
            if block.runs() {
                report
                    .skipped
                    .push((block.line, format!("follows a block that needs {tool}")));
            }
            continue;
        }
        match (&block.marker, block.runs()) {
            (Some(Marker::NotRun(reason)), true) => {
                report.skipped.push((block.line, reason.clone()));
                continue;
            }
            (Some(Marker::NotRun(_)), false) => {
                report.failures.push(format!(
                    "{at}: `not run` marks a `{}` block, which never runs",
                    block.lang
                ));
                return report;
            }
            (Some(Marker::OutputOf(command)), false) if block.lang == "text" => {
                let Some((_, stdout)) = outputs.iter().rev().find(|(c, _)| c == command) else {
                    report.failures.push(format!(
                        "{at}: `output of: {command}`, and no command before it on the page is that"
                    ));
                    return report;
                };
                let sample: Vec<String> = block.body.iter().map(|(_, l)| l.clone()).collect();
                report.samples += 1;
                if let Some(why) = sample_mismatch(&sample, stdout) {
                    report.failures.push(format!(
                        "{at}: the sample of `{command}` is not what it prints now: {why}\n\
                         --- sample (wildcards: `…`, hex words)\n{}\n--- stdout\n{stdout}",
                        sample.join("\n")
                    ));
                    return report;
                }
                continue;
            }
            (Some(Marker::OutputOf(_)), _) => {
                report.failures.push(format!(
                    "{at}: `output of` marks a `{}` block; it goes before a `text` block",
                    block.lang
                ));
                return report;
            }
            (None, false) => {
                // A session in a `text` block would escape the test.
                if block.body.first().is_some_and(|(_, l)| l.starts_with("$ ")) {
                    report.failures.push(format!(
                        "{at}: a `{}` block shows a `$ ` command: make it a `console` block, \
                         so that it runs",
                        block.lang
                    ));
                    return report;
                }
                continue;
            }
            (None, true) => {}
        }
        let steps = match steps(block) {
            Ok(s) => s,
            Err(e) => {
                report.failures.push(format!("{name}:{e}"));
                return report;
            }
        };
        if let Some(tool) = steps.iter().find_map(|s| missing_tool(&cwd, &s.command)) {
            report
                .skipped
                .push((block.line, format!("needs {tool}, which is not installed")));
            report.stopped = Some(tool);
            continue;
        }
        report.ran += 1;
        for s in &steps {
            let at = format!("{name}:{} (the block at line {})", s.line, block.line);
            if s.command == "cargo test" || s.command.starts_with("cargo test ") {
                report.not_run.push((
                    s.line,
                    format!("`{}`: not run again, it is what runs this test", s.command),
                ));
                continue;
            }
            let script = as_run(&s.command);
            if script.split_whitespace().next() == Some("cargo") {
                report.failures.push(format!(
                    "{at}: `{}`: the examples run no cargo command but \
                     `cargo run --release --`; mark the block `<!-- not run: … -->`",
                    s.command
                ));
                return report;
            }
            report.commands += 1;
            if let Some(dir) = script.strip_prefix("cd ").filter(|d| !d.contains(' ')) {
                let next = cwd.join(dir);
                if !next.is_dir() {
                    report
                        .failures
                        .push(format!("{at}: `{}`: no such directory", s.command));
                    return report;
                }
                cwd = next;
                continue;
            }
            let ran = page.run_in(&cwd, &script);
            if ran.code != Some(s.exit) {
                let expected = if s.exit == 0 {
                    "0".to_string()
                } else {
                    format!("{} (`# exits {}`)", s.exit, s.exit)
                };
                report.failures.push(format!(
                    "{at}: `{}` exited {}, not {expected}\n--- stderr\n{}\n--- stdout\n{}",
                    s.command,
                    ran.code.map_or("by a signal".into(), |c| c.to_string()),
                    ran.stderr.trim_end(),
                    ran.stdout.trim_end(),
                ));
                return report;
            }
            if let Some(sample) = &s.sample {
                report.samples += 1;
                if let Some(why) = sample_mismatch(sample, &ran.stdout) {
                    report.failures.push(format!(
                        "{at}: the sample of `{}` is not what it prints now: {why}\n\
                         --- sample (wildcards: `…`, hex words)\n{}\n--- stdout\n{}",
                        s.command,
                        sample.join("\n"),
                        ran.stdout.trim_end()
                    ));
                    return report;
                }
            }
            outputs.push((s.command.clone(), ran.stdout));
        }
    }
    report
}

/// Every `sh`, `bash` and `console` block of the README and of every page
/// under docs/ runs as printed in a fresh clone, with the samples of output
/// checked; see the module's doc for the conventions.
#[test]
fn every_shell_block_runs_as_printed() {
    let pages = doc_pages();
    let reports: Vec<(String, Report)> = std::thread::scope(|s| {
        let handles: Vec<_> = pages
            .iter()
            .map(|p| (p.clone(), s.spawn(move || run_page(p))))
            .collect();
        handles
            .into_iter()
            .map(|(p, h)| (p, h.join().expect("a page's run does not panic")))
            .collect()
    });
    let mut failures = Vec::new();
    let mut ran = 0;
    for (page, r) in &reports {
        println!(
            "{page}: blocks run {} of {} (commands: {}, samples checked: {}), skipped {}",
            r.ran,
            r.blocks,
            r.commands,
            r.samples,
            r.skipped.len()
        );
        if !r.brought.is_empty() {
            println!("  the reader brings: {}", r.brought.join(", "));
        }
        for (line, why) in &r.skipped {
            println!("  skipped: the block at {page}:{line}: {why}");
        }
        for (line, why) in &r.not_run {
            println!("  not run: {page}:{line}: {why}");
        }
        ran += r.ran;
        if r.blocks > 0 && r.ran == 0 && r.stopped.is_none() && r.failures.is_empty() {
            failures.push(format!(
                "{page}: none of its {} blocks ran; every one is marked `not run`",
                r.blocks
            ));
        }
        failures.extend(r.failures.iter().cloned());
    }
    assert!(ran > 0, "no block ran at all");
    assert!(
        failures.is_empty(),
        "{} doc example(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------------------
// The command reference.

/// `livedoc ARGS`, its stdout.
fn livedoc(args: &[&str]) -> String {
    let out = Command::new(LIVEDOC)
        .args(args)
        .env_clear()
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("livedoc runs");
    assert!(out.status.success(), "livedoc {args:?} fails");
    String::from_utf8(out.stdout).expect("UTF-8 help")
}

/// The long options of one section of a `--help` text (`Options:` or
/// `Global options:`), each with its possible values.
fn options(help: &str, section: &str) -> Vec<(String, Vec<String>)> {
    let option = Regex::new(r"^\s+(?:-\w, )?(--[a-z][a-z0-9-]*)").expect("a regex");
    let values = Regex::new(r"\[possible values: ([^\]]*)\]").expect("a regex");
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut inside = false;
    for line in help.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            inside = line == section;
            continue;
        }
        if !inside {
            continue;
        }
        if let Some(c) = option.captures(line) {
            out.push((c[1].to_string(), Vec::new()));
        }
        if let (Some(c), Some(last)) = (values.captures(line), out.last_mut()) {
            last.1 = c[1].split(", ").map(str::to_string).collect();
        }
    }
    out.retain(|(o, _)| o != "--help" && o != "--version");
    out
}

/// Whether `text` names `word` as a word of its own (`--in` is not in
/// `--include`).
fn names(text: &str, word: &str) -> bool {
    Regex::new(&format!(
        r"(^|[^a-z0-9-]){}($|[^a-z0-9-])",
        regex::escape(word)
    ))
    .expect("a regex")
    .is_match(text)
}

/// docs/reference/commands.md names every subcommand `livedoc --help`
/// lists, in a row of its own, with every long option of its `--help` and
/// every possible value of each; and the global options.
#[test]
fn the_command_reference_names_every_option() {
    let reference = std::fs::read_to_string(Path::new(ROOT).join("docs/reference/commands.md"))
        .expect("commands.md");
    let top = livedoc(&["--help"]);
    let subcommands: Vec<&str> = top
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(subcommands.len() > 10, "--help lists the commands:\n{top}");
    let mut missing = Vec::new();
    for cmd in &subcommands {
        let row_start = format!("| `livedoc {cmd}");
        let row = reference.lines().find(|l| {
            l.strip_prefix(&row_start)
                .is_some_and(|rest| rest.starts_with([' ', '`']))
        });
        let Some(row) = row else {
            missing.push(format!("`livedoc {cmd}` has no row of its own"));
            continue;
        };
        for (opt, values) in options(&livedoc(&[cmd, "--help"]), "Options:") {
            if !names(row, &opt) {
                missing.push(format!("`livedoc {cmd}`: {opt}"));
            }
            for v in values {
                if !names(row, &v) {
                    missing.push(format!("`livedoc {cmd}`: {opt} {v}"));
                }
            }
        }
    }
    for (opt, values) in options(&top, "Global options:") {
        if !names(&reference, &opt) {
            missing.push(format!("the global option {opt}"));
        }
        for v in values {
            if !names(&reference, &v) {
                missing.push(format!("the global option {opt} {v}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/reference/commands.md does not name what `--help` does:\n  {}",
        missing.join("\n  ")
    );
}
