//! `livedoc man`: one roff page per command, each with its header and
//! NAME section, the root page naming every other, and the global options
//! documented.

use crate::common::fixtures::read;
use crate::common::{SUBCOMMANDS, TestEnv};

#[test]
fn man_writes_one_page_per_command() {
    let env = TestEnv::new();
    let out = env.ok(&["man", "--out", "pages"]);
    let mut want: Vec<String> = vec!["livedoc.1".to_string()];
    want.extend(SUBCOMMANDS.iter().map(|s| format!("livedoc-{s}.1")));
    let listed: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        listed,
        want.iter()
            .map(|w| format!("pages/{w}"))
            .collect::<Vec<_>>()
    );
    let mut files: Vec<String> = std::fs::read_dir(env.root().join("pages"))
        .expect("the pages were written")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    want.sort();
    assert_eq!(files, want);

    let root = read(&env.root().join("pages/livedoc.1"));
    for name in std::iter::once("livedoc".to_string())
        .chain(SUBCOMMANDS.iter().map(|s| format!("livedoc-{s}")))
    {
        let page = read(&env.root().join(format!("pages/{name}.1")));
        // The roff header comes first (after clap's string definitions),
        // before any section.
        let first_macro = page
            .lines()
            .find(|l| !l.starts_with(".ie ") && !l.starts_with(".el "))
            .unwrap_or("");
        assert!(
            first_macro.starts_with(&format!(".TH {name} 1 ")),
            "{name}: {first_macro:?}"
        );
        let roff_name = name.replace('-', "\\-");
        assert!(
            page.contains(&format!(".SH NAME\n{roff_name} \\- ")),
            "{name}:\n{page}"
        );
        if name != "livedoc" {
            assert!(
                root.contains(&format!("{roff_name}(1)")),
                "livedoc.1 does not name {name}"
            );
        }
    }
    let check = read(&env.root().join("pages/livedoc-check.1"));
    assert!(check.contains("\\fB\\-\\-strict\\fR"), "{check}");
}

// ---------------------------------------------------------------------------
// Regressions: bugs in src/ that these tests found, now fixed.

#[test]
fn bug_man_pages_document_the_global_options() {
    let env = TestEnv::new();
    env.ok(&["man", "--out", "pages"]);
    assert!(
        env.ok(&["import", "--help"])
            .stdout
            .contains("--store <STORE>")
    );
    let page = read(&env.root().join("pages/livedoc-import.1"));
    assert!(page.contains("\\-\\-store"), "{page}");
}

/// The man pages had the examples reflowed into one paragraph and no
/// EXIT STATUS, ENVIRONMENT or FILES sections.
#[test]
fn man_pages_keep_examples_as_written_and_have_the_standard_sections() {
    let env = crate::common::TestEnv::new();
    env.ok(&["man", "--out", "man"]);
    let diff = std::fs::read_to_string(env.root().join("man/livedoc-diff.1")).expect("a page");
    let examples = diff
        .find(".SH EXAMPLES\n.nf\n")
        .expect("an EXAMPLES section, not filled");
    assert!(
        diff[examples..]
            .contains("  livedoc diff 2024-04 latest --stat         one line per meeting\n"),
        "{diff}"
    );
    for page in std::fs::read_dir(env.root().join("man"))
        .expect("the pages")
        .flatten()
    {
        let text = std::fs::read_to_string(page.path()).expect("a page");
        for section in [
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH FILES",
            "LIVEDOC_STORE",
        ] {
            assert!(
                text.contains(section),
                "{}: {section}",
                page.path().display()
            );
        }
    }
}

/// Issue 30: the subcommands' pages offered `-V`, which each subcommand
/// refuses, and the main page listed a `livedoc-help(1)` that is not
/// written. Each page offers what the command takes.
#[test]
fn pages_offer_only_what_the_commands_take() {
    let env = TestEnv::new();
    env.ok(&["man", "--out", "pages"]);
    let main = std::fs::read_to_string(env.root().join("pages/livedoc.1")).expect("the main page");
    assert!(
        !main.contains("livedoc\\-help"),
        "a page that is not written is listed"
    );
    for entry in std::fs::read_dir(env.root().join("pages")).expect("pages") {
        let path = entry.expect("a page").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        if name == "livedoc.1" {
            continue;
        }
        let page = std::fs::read_to_string(&path).expect("a page");
        assert!(!page.contains("\\-V"), "{name} offers -V");
        assert!(page.contains(".SH VERSION"), "{name} names its version");
    }
    // And each subcommand does refuse it.
    assert_eq!(env.run(&["show", "-V"]).code, Some(2));
}
