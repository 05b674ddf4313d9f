//! `livedoc changelog`: one section per edition, newest first, in Markdown
//! and as JSON, each entry the diff of that edition against the one
//! before.

use crate::common::TestEnv;
use crate::common::contracts::assert_contract;
use crate::common::diff::md_section;
use crate::common::fixtures::{diff_fixture_text, september_2025};
use crate::common::json::{list, string};

/// A store with three editions: new-year before (2024-04), after (2025-03)
/// and [`september_2025`] (2025-09).
fn three_editions() -> TestEnv {
    let env = TestEnv::new();
    env.write("eds/2024-04.md", diff_fixture_text("new-year", "before.md"));
    env.write("eds/2025-03.md", diff_fixture_text("new-year", "after.md"));
    env.write("eds/2025-09.md", september_2025());
    env.ok(&["import", "eds"]);
    assert_eq!(env.log_ids(), ["2025-09", "2025-03", "2024-04"]);
    env
}

#[test]
fn changelog_lists_each_edition_newest_first() {
    let env = three_editions();
    let md = env.ok(&["changelog"]);
    assert_eq!(md.stderr, "");
    let headings: Vec<&str> = md.stdout.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Edition 2025-09 (September 2025)",
            "## Edition 2025-03 (March 2025)",
            "## Edition 2024-04 (April 2024)",
        ]
    );
    let newest = md_section(&md.stdout, headings[0]).join("\n");
    assert!(
        newest
            .contains("Changes since edition 2025-03. In short: 1 item modified; 1 item removed.")
            && newest.contains("**and ammunition**"),
        "{newest}"
    );
    let second = md_section(&md.stdout, headings[1]).join("\n");
    assert!(
        second.contains("- **Recommendation 19.** ") && second.contains("- **Observation 3.** "),
        "{second}"
    );
    assert_eq!(
        md_section(&md.stdout, headings[2]),
        [
            headings[2],
            "",
            "The first edition: 10 meetings, 16 recommendations and 21 observations."
        ]
    );
    insta::assert_snapshot!("changelog_markdown", env.snapshot(&md));

    let view = env.ok(&["changelog", "--format", "json"]).json();
    assert_eq!(view["schema_version"], 2);
    // Stated once, not in each edition's diff.
    for e in list(&view["editions"], "editions") {
        assert!(e.get("schema_version").is_none(), "{e}");
    }
    let editions = list(&view["editions"], "editions");
    let ends: Vec<(String, String)> = editions
        .iter()
        .map(|e| (string(&e["from"], "from"), string(&e["to"], "to")))
        .collect();
    assert_eq!(
        ends,
        [
            ("2025-03", "2025-09"),
            ("2024-04", "2025-03"),
            ("", "2024-04")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    for e in editions {
        assert_contract(e);
    }
    assert_eq!(editions[0]["summary"]["items_modified"], 1);
    assert_eq!(editions[0]["summary"]["items_removed"], 1);
    assert_eq!(editions[1]["summary"]["meetings_added"], 2);
    assert_eq!(editions[1]["summary"]["items_added"], 5);
    assert_eq!(editions[2]["summary"]["meetings_added"], 10);
    assert_eq!(editions[2]["summary"]["items_added"], 37);
    // Each entry is the diff of the edition against the one before.
    for (e, (from, to)) in editions.iter().zip(&ends).take(2) {
        let mut diff = env.ok(&["diff", from, to, "--format", "json"]).json();
        diff.as_object_mut()
            .expect("an object")
            .remove("schema_version");
        assert_eq!(e, &diff, "{from} → {to}");
    }
}

/// Issue 30: `changelog --help` offered `text`, which was refused; every
/// value the help names is taken (text prints the Markdown, which reads
/// as text).
#[test]
fn every_format_the_help_names_is_taken() {
    let env = three_editions();
    let help = env.ok(&["changelog", "--help"]).stdout;
    let markdown = env.ok(&["changelog", "--format", "markdown"]).stdout;
    for format in ["markdown", "text", "json"] {
        assert!(help.contains(format), "{help}");
        let out = env.ok(&["changelog", "--format", format]);
        if format == "text" {
            assert_eq!(out.stdout, markdown);
        }
    }
}
