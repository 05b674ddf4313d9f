//! `livedoc diff` as HTML (one self-contained page, the documents' text
//! escaped) and as Markdown (what each meeting added, where a moved item
//! went), and the committed what's-new example that docs/readers.md links to.

use crate::common::diff::{case_env, diff_files, section};
use crate::common::fixtures::{diff_fixture, diff_fixture_text};
use crate::common::replace_once;

#[test]
fn html_is_one_self_contained_page() {
    let env = case_env("modified-recommendation");
    let html = diff_files(&env, &["--format", "html"])
        .success()
        .stdout
        .clone();
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..80]);
    assert!(html.ends_with("</html>\n"));
    assert_eq!(html.matches("<html").count(), 1);
    assert!(
        html.contains("<del><span class=\"visually-hidden\">removed: </span>should</del>"),
        "{html}"
    );
    assert!(
        html.contains("<ins><span class=\"visually-hidden\">added: </span>are encouraged to</ins>"),
        "{html}"
    );
    let lower = html.to_lowercase();
    for external in [
        "<script",
        "<link",
        "<img",
        "src=",
        "href=\"http",
        "url(",
        "@import",
    ] {
        assert!(!lower.contains(external), "{external} in\n{html}");
    }
}

#[test]
fn html_escapes_the_documents_text() {
    let env = case_env("modified-recommendation");
    let after = replace_once(
        &diff_fixture_text("modified-recommendation", "after.md"),
        "Parties are encouraged to consider providing",
        "Parties are encouraged to <script>alert(1)</script> consider <img src=x onerror=alert(2)> providing",
    );
    env.write("after.md", after);
    let html = diff_files(&env, &["--format", "html"])
        .success()
        .stdout
        .clone();
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "{html}"
    );
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "{html}");
    assert!(!lower.contains("<img"), "{html}");
    assert!(!lower.contains("onerror=alert(2)>"), "{html}");
}

#[test]
fn markdown_lists_what_each_meeting_added() {
    let env = case_env("new-year");
    let md = diff_files(&env, &["--format", "markdown"])
        .success()
        .stdout
        .clone();
    assert!(md.starts_with("# What's new in this edition\n\n"), "{md}");
    assert!(md.contains("In short: 2 new meetings; 2 recommendations and 3 observations added."));
    let a = section(
        &md,
        "### Working Group on Firearms (CTOC/COP/WG.6/2024/4), 2024 (new)",
    );
    assert_eq!(a[2], "Added:", "{a:#?}");
    let listed = |s: &[&str]| s.iter().filter(|l| l.starts_with("- **")).count();
    assert_eq!(listed(&a), 2, "{a:#?}");
    assert!(a[4].starts_with("- **Recommendation 19.** States parties are encouraged"));
    let b = section(
        &md,
        "### Constructive Dialogue on Firearms (Summary by the Chair), 2024 (new)",
    );
    assert_eq!(b[2], "Added:", "{b:#?}");
    assert_eq!(listed(&b), 3, "{b:#?}");
    assert!(b[4].starts_with("- **Observation 1.** States should involve the private sector"));
}

#[test]
fn markdown_says_where_a_moved_item_went() {
    let env = case_env("moved-item");
    let md = diff_files(&env, &["--format", "markdown"])
        .success()
        .stdout
        .clone();
    let source = section(
        &md,
        "### Working Group on Firearms (CTOC/COP/WG.6/2023/5), 2023",
    );
    assert!(
        source.contains(
            &"- **Recommendation 18** moved to Working Group of Government Experts on Technical Assistance (CTOC/COP/WG.2/2023/4), where it is Recommendation 8."
        ),
        "{source:#?}"
    );
    let target = section(
        &md,
        "### Working Group of Government Experts on Technical Assistance (CTOC/COP/WG.2/2023/4), 2023",
    );
    assert!(
        target.contains(
            &"- **Recommendation 8** moved here from Working Group on Firearms (CTOC/COP/WG.6/2023/5), where it was Recommendation 18."
        ),
        "{target:#?}"
    );
}

/// The example docs/readers.md links to is the current output, byte for byte.
/// After an intended change of the Markdown report, regenerate it with
/// `cd tests/fixtures/diff/new-year && livedoc diff before.md after.md
/// --format markdown > whats-new.md`.
#[test]
fn the_committed_whats_new_example_is_current() {
    let env = case_env("new-year");
    let out = diff_files(&env, &["--format", "markdown"]);
    out.success();
    let committed = diff_fixture("new-year", "whats-new.md");
    assert!(
        out.stdout_bytes == committed,
        "tests/fixtures/diff/new-year/whats-new.md is stale; the output is now:\n{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Changes from edition before (April 2024) to edition after (March 2025).")
    );
}

/// A reworded sub-item shows inside its list, the other entries as list
/// entries too, and the page opens with a jump list of what changed.
#[test]
fn html_shows_sub_items_as_a_list_and_a_jump_list_on_top() {
    let env = case_env("subitem-typo");
    let html = diff_files(&env, &["--format", "html"])
        .success()
        .stdout
        .clone();
    let main = &html[html.find("<main>").expect("main")..html.find("</main>").expect("/main")];
    assert!(main.starts_with("<main><nav class=\"jump\""), "{main}");
    let list = &main[main.find("<ul class=\"sub\">").expect("a sub-list")..];
    let list = &list[..list.find("</ul>").expect("closed")];
    assert_eq!(list.matches("<li>").count(), 7, "(a) to (g): {list}");
    assert!(list.contains("<li>(b) conducting"), "{list}");
    insta::assert_snapshot!("diff_html_sublist", list);
}

/// The `|` of each `--stat` row and the end of each of its counts, in
/// display columns.
fn stat_columns(line: &str) -> (usize, Vec<usize>) {
    let bar = line
        .find(" | ")
        .unwrap_or_else(|| panic!("no ` | ` in {line:?}"));
    let mut ends = Vec::new();
    let mut at = crate::test_blame::columns(&line[..bar + 3]);
    for count in line[bar + 3..].split(' ') {
        at += crate::test_blame::columns(count);
        if !count.is_empty() {
            ends.push(at);
        }
        at += 1;
    }
    (crate::test_blame::columns(&line[..bar]), ends)
}

/// Issue 30: `--stat` wrote each meeting's counts right after its name, so
/// they started wherever the name ended; now they stand in one column
/// after a `|`, as `git diff --stat` writes them, coloured or not.
#[test]
fn stat_counts_line_up_in_one_column() {
    let env = crate::common::diff::three_editions();
    let out = env.ok(&["whatsnew", "--since", "2024-04", "--stat"]).stdout;
    let rows: Vec<&str> = out.lines().filter(|l| l.contains(" | ")).collect();
    assert_eq!(rows.len(), 3, "{out}");
    let first = stat_columns(rows[0]);
    assert_eq!(first.1.len(), 5, "{out}");
    for row in &rows {
        assert_eq!(stat_columns(row), first, "{row:?}\n{out}");
    }
    // The meeting names differ in length; the status column too.
    assert!(
        rows.iter().any(|r| r.starts_with(" added   A 2024 ")),
        "{out}"
    );
    assert!(
        rows.iter().any(|r| r.starts_with(" changed B 2023 ")),
        "{out}"
    );
    crate::test_blame::assert_colour_keeps_columns(&env, &["diff", "2024-04", "2025-06", "--stat"]);
}

/// Issue 30: the diff header wrote each side's date as its id
/// (`2024-04 (2024-04)`); every text output now writes the long date.
#[test]
fn the_diff_header_writes_each_date_long() {
    let env = case_env("new-year");
    let out = diff_files(&env, &[]).success().stdout.clone();
    assert!(
        out.starts_with("diff before.md (April 2024) → after.md (March 2025)\n"),
        "{out}"
    );
}
