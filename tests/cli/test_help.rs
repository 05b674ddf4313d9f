//! Help, version and shell completions.

use crate::common::{SUBCOMMANDS, TestEnv};

#[test]
fn every_subcommand_has_help_with_an_example() {
    let env = TestEnv::new();
    for sub in SUBCOMMANDS {
        let out = env.ok(&[sub, "--help"]);
        assert!(
            out.stdout.contains("Example"),
            "{sub} --help:\n{}",
            out.stdout
        );
        assert!(
            out.stdout.contains(&format!("Usage: livedoc {sub} ")),
            "{sub} --help:\n{}",
            out.stdout
        );
        assert_eq!(out.stderr, "");
        // `livedoc help SUB` says the same.
        assert_eq!(env.ok(&["help", sub]).stdout, out.stdout, "{sub}");
    }
    assert!(!env.store().exists(), "help touched the store");
}

#[test]
fn top_level_help() {
    let env = TestEnv::new();
    let out = env.ok(&["--help"]);
    for sub in SUBCOMMANDS {
        assert!(out.stdout.contains(&format!("\n  {sub} ")), "{sub} missing");
    }
    insta::assert_snapshot!("help", env.snapshot(&out));
}

#[test]
fn no_subcommand_is_a_usage_error() {
    let env = TestEnv::new();
    let out = env.run::<&str>(&[]);
    assert_eq!(out.code, Some(2));
    out.assert_no_panic();
    assert!(out.stderr.contains("Usage: livedoc"), "{}", out.stderr);
    let out = env.run(&["frobnicate"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("unrecognized subcommand 'frobnicate'"));
}

#[test]
fn version() {
    let env = TestEnv::new();
    let expected = format!("livedoc {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(env.ok(&["--version"]).stdout, expected);
    assert_eq!(env.ok(&["-V"]).stdout, expected);
    // Only the program has a version, not each subcommand.
    env.run(&["show", "--version"]).failure();
}

#[test]
fn completions() {
    let env = TestEnv::new();
    let bash = env.ok(&["completions", "bash"]);
    // The script calls back into livedoc at each TAB.
    assert!(bash.stdout.contains("COMPLETE=\"bash\""), "{}", bash.stdout);
    assert!(
        bash.stdout.contains("complete -o nospace"),
        "{}",
        bash.stdout
    );
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = env.ok(&["completions", shell]);
        assert!(out.stdout.contains("livedoc"), "{shell}");
    }
    let out = env.run(&["completions", "tcsh"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("invalid value 'tcsh'"),
        "{}",
        out.stderr
    );
    assert!(!env.store().exists());
    // Subcommands come from the binary itself.
    let subs = complete(&env, &["livedoc", ""]);
    for sub in SUBCOMMANDS {
        assert!(
            subs.iter().any(|c| c.0 == sub),
            "{sub} not offered: {subs:?}"
        );
    }
}

/// What livedoc offers for the last word of `line`, as the fish script
/// asks for it: `(value, help)`.
fn complete(env: &TestEnv, line: &[&str]) -> Vec<(String, String)> {
    let mut cmd = env.command(&["--"]);
    cmd.args(line).env("COMPLETE", "fish");
    let out = TestEnv::output(cmd);
    out.success();
    out.stdout
        .lines()
        .map(|l| {
            let (v, h) = l.split_once('\t').unwrap_or((l, ""));
            (v.to_string(), h.to_string())
        })
        .collect()
}

/// Issue 30: `livedoc show <TAB>` did not offer edition ids, nor `push
/// <TAB>` the store's remotes, as git completes branches and jj revisions.
/// They come from the store the line names (`--store`, else
/// LIVEDOC_STORE, else ./livedoc.git), each edition with its date.
#[test]
fn completion_offers_the_stores_editions_and_remotes() {
    let env = crate::common::diff::three_editions();
    let values =
        |line: &[&str]| -> Vec<String> { complete(&env, line).into_iter().map(|c| c.0).collect() };
    let shown = complete(&env, &["livedoc", "show", ""]);
    assert_eq!(
        shown.iter().take(4).cloned().collect::<Vec<_>>(),
        [
            ("2025-06", "June 2025"),
            ("2025-03", "March 2025"),
            ("2024-04", "April 2024"),
            ("latest", "the newest edition"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(
        values(&["livedoc", "show", "2025"])[..2],
        ["2025-06", "2025-03"]
    );
    assert!(values(&["livedoc", "blame", ""]).contains(&"2024-04".to_string()));
    assert!(values(&["livedoc", "whatsnew", "--since", ""]).contains(&"2024-04".to_string()));
    assert!(values(&["livedoc", "trace", "x", "--in", ""]).contains(&"2025-03".to_string()));
    // diff compares editions or files: both are offered.
    let diff = values(&["livedoc", "diff", ""]);
    assert!(diff.contains(&"2025-06".to_string()), "{diff:?}");
    assert!(diff.iter().any(|v| v.starts_with("editions")), "{diff:?}");

    // Another store, named on the line or by LIVEDOC_STORE.
    std::fs::rename(env.store(), env.root().join("other.git")).expect("move the store");
    assert!(
        values(&["livedoc", "show", ""])
            .iter()
            .all(|v| v.starts_with("--"))
    );
    assert!(
        values(&["livedoc", "--store", "other.git", "show", ""]).contains(&"2025-06".to_string())
    );
    assert!(values(&["livedoc", "--store=other.git", "show", ""]).contains(&"2025-06".to_string()));

    // Remotes by name, with their URL.
    env.git_in(
        &env.root().join("other.git"),
        &["remote", "add", "origin", "/srv/shared/untoc.git"],
    );
    let remotes = complete(&env, &["livedoc", "--store", "other.git", "push", ""]);
    assert_eq!(
        remotes.first(),
        Some(&("origin".to_string(), "/srv/shared/untoc.git".to_string()))
    );
}

/// Fails today: clap reflows the doc comment, so `import --help` prints
/// "Examples: livedoc import editions/ livedoc import draft.md …" on one
/// line. See the report.
#[test]
fn import_help_shows_each_example_on_its_own_line() {
    let env = TestEnv::new();
    let out = env.ok(&["import", "--help"]);
    assert!(
        out.stdout.contains("\n  livedoc import editions/\n"),
        "{}",
        out.stdout
    );
}

/// `--color` governs clap's own errors too (they ignored it), and the
/// global options have their own heading in every command's help.
#[test]
fn color_reaches_argument_errors_and_global_options_have_a_heading() {
    let env = TestEnv::new();
    let coloured = env.run(&["--color", "always", "diff", "--bogus"]);
    assert_eq!(coloured.code, Some(2));
    assert!(coloured.stderr.contains('\u{1b}'), "{:?}", coloured.stderr);
    let plain = env.run(&["--color", "never", "diff", "--bogus"]);
    assert!(!plain.stderr.contains('\u{1b}'), "{:?}", plain.stderr);
    let help = env.ok(&["diff", "--help"]);
    let global = help.stdout.find("Global options:").expect("a heading");
    assert!(help.stdout[global..].contains("--store"), "{}", help.stdout);
    assert!(
        !help.stdout[..global].contains("--store"),
        "{}",
        help.stdout
    );
    // Every option is described.
    for cmd in [
        "diff",
        "log",
        "show",
        "trace",
        "blame",
        "verify",
        "doctor",
        "check",
        "whatsnew",
        "changelog",
    ] {
        let out = env.ok(&[cmd, "--help"]);
        let format = out.stdout.find("--format <FORMAT>").expect("--format");
        let next = &out.stdout[format..];
        let line2 = next.lines().nth(1).unwrap_or_default();
        assert!(
            line2.trim_start().starts_with("How to print"),
            "{cmd}: {next}"
        );
    }
}

#[test]
fn every_command_that_reads_a_draft_says_it_reads_word() {
    // A secretariat's drafts are Word documents: the help and the manual
    // pages of the commands that read one say so, not "Markdown" alone.
    let env = TestEnv::new();
    env.ok(&["man", "--out", "pages"]);
    for cmd in ["check", "import", "diff"] {
        let help = env.ok(&[cmd, "--help"]).stdout;
        assert!(help.contains(".docx"), "{cmd} --help:\n{help}");
        let page = std::fs::read_to_string(env.root().join(format!("pages/livedoc-{cmd}.1")))
            .expect("the manual page");
        assert!(page.contains(".docx"), "livedoc-{cmd}.1");
    }
}

/// Issue 30: the value sets of `--format` were listed in a different order
/// by each command, and `import`, `push` and `pull` had none, so a script
/// could not read their result. Every command that prints a report takes
/// `--format` with `json` among its values, listed in one order; a value a
/// command does not print is a usage error (exit 2) naming what it takes.
#[test]
fn every_report_command_takes_format_json_in_one_order() {
    let env = TestEnv::new();
    let order = ["text", "markdown", "json", "html", "docx", "pdf", "akn"];
    // Commands that write files or scripts rather than a report.
    let no_report = ["init", "site", "completions", "man"];
    for sub in SUBCOMMANDS {
        let help = env.ok(&[sub, "--help"]).stdout;
        let Some(line) = help
            .lines()
            .skip_while(|l| !l.trim_start().starts_with("--format"))
            .find(|l| l.contains("[possible values:"))
        else {
            assert!(no_report.contains(&sub), "{sub} has no --format:\n{help}");
            continue;
        };
        let values: Vec<&str> = line
            .split("[possible values: ")
            .nth(1)
            .and_then(|v| v.split(']').next())
            .expect("a value list")
            .split(", ")
            .collect();
        assert!(values.contains(&"json"), "{sub}: {values:?}");
        let mut sorted = values.clone();
        sorted.sort_by_key(|v| order.iter().position(|o| o == v));
        assert_eq!(values, sorted, "{sub}: values out of the common order");
        let refused = order.iter().find(|o| !values.contains(o)).copied();
        if let Some(refused) = refused {
            let out = env.run(&[sub, "--format", refused]);
            assert_eq!(out.code, Some(2), "{sub} --format {refused}");
            assert!(
                out.stderr.contains("possible values"),
                "{sub}: {}",
                out.stderr
            );
        }
    }
}

/// Usage errors exit 2 in every command, whether clap or livedoc finds
/// them, with one `error:` line first (issue 30: `verify --anchor garbage`
/// exited 1 as if it had found tampering).
#[test]
fn usage_errors_exit_2_everywhere() {
    let env = crate::common::diff::three_editions();
    for args in [
        &["show"][..],
        &["show", "bogus~x"],
        &["diff", "a", "b", "c"],
        &["diff", "--stat", "--format", "json"],
        &["trace"],
        &["blame", "1", "2"],
        &["whatsnew", "--since"],
        &["whatsnew", "--since", "latest~9"],
        &["log", "--format", "docx"],
        &["verify", "--anchor", "garbage"],
        &["import", "editions", "--edition", "x"],
        &["push", "a", "b"],
        &["check"],
        &["changelog", "--format", "docx"],
        &["completions", "tcsh"],
    ] {
        let before = env.refs_and_objects();
        let out = env.run(args);
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        out.assert_no_panic();
        assert!(out.stderr.starts_with("error:"), "{args:?}: {}", out.stderr);
        assert_eq!(env.refs_and_objects(), before, "{args:?} changed the store");
    }
}
