//! A newcomer's first five minutes (issue 15): import the bundled
//! editions, follow what livedoc suggests next, preview the bundled
//! synthetic draft and build the site. Every suggestion printed must work
//! when run as printed.

use crate::common::{Output, TestEnv};

const DRAFT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/draft-next-edition.md"
);

/// The `livedoc …` commands a message suggests, as argument lists: each
/// runs from `livedoc ` up to the first word that is not part of it.
fn suggested(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("livedoc ") {
        let mut args = Vec::new();
        for word in text[at + "livedoc ".len()..].split_whitespace() {
            let word = word.trim_end_matches([';', ')', ',']);
            let ends = word.ends_with('.') && !word.ends_with(".md");
            let word = word.trim_end_matches('.');
            if ["shows", "previews", "builds", "to", "and"].contains(&word) {
                break;
            }
            args.push(word.to_string());
            if ends {
                break;
            }
        }
        out.push(args);
    }
    out
}

fn run_suggestion(env: &TestEnv, args: &[String]) -> Output {
    // DRAFT.md stands for the user's draft: here, the bundled one.
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            if a == "DRAFT.md" {
                DRAFT.to_string()
            } else {
                a.clone()
            }
        })
        .collect();
    env.run(&args)
}

#[test]
fn a_newcomer_imports_previews_a_draft_and_builds_the_site() {
    let env = TestEnv::new();
    env.copy_real();
    let import = env.ok(&["import", "editions/"]);
    assert!(
        import
            .stdout
            .contains("It adds 10 meetings, 16 recommendations and 21 observations"),
        "{}",
        import.stdout
    );
    let next = import
        .stderr
        .lines()
        .find(|l| l.starts_with("Next: "))
        .unwrap_or_else(|| panic!("import suggests what to run next: {}", import.stderr));
    let commands = suggested(next);
    assert!(commands.len() >= 3, "{commands:?}");
    for args in &commands {
        let out = run_suggestion(&env, args);
        assert_eq!(out.code, Some(0), "{args:?}: {}", out.rendered());
    }
    // `livedoc diff` with one edition: everything it added, and how to go on.
    let diff = env.ok(&["diff"]);
    assert!(
        diff.stdout.contains("meetings: 10 added"),
        "{}",
        diff.stdout
    );
    for args in suggested(&diff.stderr) {
        let out = run_suggestion(&env, &args);
        assert_eq!(out.code, Some(0), "{args:?}: {}", out.rendered());
    }
    // The bundled draft previews a next edition.
    let preview = env.ok(&["diff", DRAFT]);
    assert!(
        preview.stdout.contains("meetings: 2 added; items: 5 added"),
        "{}",
        preview.stdout
    );
    assert!(
        env.root().join("site/index.html").is_file(),
        "the site was built"
    );
    // Importing the same directory again is quiet: nothing new, no warning.
    let again = env.ok(&["import", "editions/"]);
    assert!(again.stdout.contains("nothing to do"), "{}", again.stdout);
    assert_eq!(again.stderr, "", "a re-run warns about nothing");
}

/// The draft bundled under examples/ says it is synthetic, and is not in
/// editions/ (which holds published editions only).
#[test]
fn the_bundled_draft_is_synthetic_and_not_an_edition() {
    let text = std::fs::read_to_string(DRAFT).expect("the draft is there");
    assert!(
        text.contains("SYNTHETIC EXAMPLE DRAFT"),
        "its title says so"
    );
    let editions = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/editions"))
        .expect("editions/")
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect::<Vec<_>>();
    assert!(editions.iter().all(|e| !e.contains("SYNTHETIC")));
}

/// `--store` naming a git repository that is not an edition store was
/// read as an empty store: `verify` said "0 editions … everything holds"
/// and exited 0, `log` printed nothing. Now both refuse it, saying what it
/// is; an empty edition store is said to be empty.
#[test]
fn a_foreign_repository_is_refused_and_an_empty_store_said_to_be_empty() {
    let env = TestEnv::new();
    env.bare_repo("other.git");
    for cmd in [
        &["verify"][..],
        &["log"],
        &["show", "latest"],
        &["blame"],
        &["diff"],
    ] {
        let mut args = vec!["--store", "other.git"];
        args.extend_from_slice(cmd);
        let out = env.run(&args);
        out.failure();
        assert!(
            out.stderr.contains("other.git is not an edition store")
                && out.stderr.contains("without livedoc's editions branch"),
            "{cmd:?}: {}",
            out.stderr
        );
    }
    env.ok(&["--store", "empty.git", "init"]);
    let log = env.ok(&["--store", "empty.git", "log"]);
    assert_eq!(log.stdout, "");
    assert!(
        log.stderr.contains("holds no editions yet"),
        "{}",
        log.stderr
    );
    let verify = env.ok(&["--store", "empty.git", "verify"]);
    assert_eq!(
        verify.stdout,
        "verify: the store holds no editions yet; there is nothing to verify\n"
    );
}

/// `-` reads standard input wherever a file is read: `check`, `diff` and
/// `import` (which then needs `--edition`, having no file name).
#[test]
fn a_dash_reads_standard_input() {
    let env = TestEnv::new();
    env.copy_real();
    env.ok(&["import", "editions/"]);
    let draft = std::fs::read(DRAFT).expect("the draft");
    let piped = |args: &[&str]| {
        let mut cmd = env.command(args);
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("livedoc starts");
        // A command that refuses its arguments exits without reading: the
        // pipe is then closed, which is no failure of this test.
        match std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), &draft) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => panic!("livedoc's standard input: {e}"),
        }
        Output::from_std(child.wait_with_output().expect("livedoc ends"))
    };
    let check = piped(&["check", "-"]);
    assert_eq!(check.code, Some(0), "{}", check.rendered());
    let diff = piped(&["diff", "-"]);
    assert_eq!(diff.code, Some(0), "{}", diff.rendered());
    assert!(
        diff.stdout.contains("→ (stdin) (March 2025)"),
        "{}",
        diff.stdout
    );
    assert!(
        diff.stdout.contains("meetings: 2 added; items: 5 added"),
        "{}",
        diff.stdout
    );
    let unnamed = piped(&["import", "-"]);
    unnamed.failure();
    assert!(unnamed.hint().contains("--edition"), "{}", unnamed.stderr);
    let named = piped(&["import", "-", "--edition", "2025-03"]);
    assert_eq!(named.code, Some(0), "{}", named.rendered());
    assert_eq!(env.log_ids(), ["2025-03", "2024-04"]);
}

/// The text diff showed a changed item's text cut to "… development of
/// …" with no way to see it whole; now it is whole, and `--compact` folds
/// it. One edition is "1 edition", not "1 editions".
#[test]
fn the_text_diff_shows_whole_texts_unless_compact_and_counts_are_singular() {
    let env = crate::common::diff::case_env("modified-recommendation");
    let whole = env.ok(&["diff", "before.md", "after.md"]);
    assert!(
        whole
            .stdout
            .contains("development of the secure module of SHERLOC known as “RevMod”"),
        "{}",
        whole.stdout
    );
    assert!(!whole.stdout.contains('…'), "{}", whole.stdout);
    let compact = env.ok(&["diff", "before.md", "after.md", "--compact"]);
    assert!(
        compact.stdout.contains("development of …"),
        "{}",
        compact.stdout
    );
    env.ok(&["import", "before.md", "--edition", "e1"]);
    let verify = env.ok(&["verify"]);
    assert!(
        verify.stdout.starts_with("verify: 1 edition, "),
        "{}",
        verify.stdout
    );
}
