//! The site as it grows (issue 32): an edition's page as contents with
//! each meeting's text on its page for any edition, histories that fold
//! the editions that changed nothing, downloads for the newest editions
//! only, documents typeset once, pages a build no longer has removed; and
//! every page valid HTML by the Nu HTML Checker (ignored: needs java and
//! tests/browser/node_modules; .ci/run runs it).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// Four editions: e2 adds a year of meetings, e3 rewords Recommendation 4
/// of CTOC/COP/WG.2/2023/4, e4 removes an observation and rewords it back.
fn store() -> TestEnv {
    let env = TestEnv::new();
    for (n, f) in [
        "diff/modified-recommendation/before.md",
        "diff/new-year/after.md",
        "diff/modified-recommendation/after.md",
        "diff/removed-observation/after.md",
    ]
    .iter()
    .enumerate()
    {
        env.ok(&[
            "import",
            &format!("{FIXTURES}/{f}"),
            "--edition",
            &format!("e{}", n + 1),
        ]);
    }
    env
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn contents_pages_lead_to_each_meetings_text_in_that_edition() {
    let env = store();
    env.ok(&["site", "--out", "site", "--edition-pages", "contents"]);
    let dir = env.root().join("site");
    let e3 = read(&dir, "editions/e3.html");
    // The edition's changes, then its contents: no item's text is here.
    assert!(e3.contains("What this edition changed"), "{e3}");
    assert!(!e3.contains(r#"<article class="item"#), "{e3}");
    // Each meeting links to its page at this edition.
    let link = "../meetings/ctoc-cop-wg-2-2023-4.html?seq=2&amp;edition=e3\"";
    assert!(e3.contains(link), "{e3}");
    // That page carries the history its script shows any edition from,
    // and names no later edition (its text, and the spans it was in).
    let meeting = read(&dir, "meetings/ctoc-cop-wg-2-2023-4.html");
    let block = meeting
        .split(r#"<script id="meeting-history" type="application/json">"#)
        .nth(1)
        .and_then(|b| b.split("</script>").next())
        .expect("the history block");
    let history: serde_json::Value = serde_json::from_str(block).expect("JSON");
    assert_eq!(
        history["spans"],
        serde_json::json!([[0, null]]),
        "{history}"
    );
    let rec4 = history["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["anchor"] == "i-ctoc-cop-wg-2-2023-4-4")
        .expect("Recommendation 4");
    let moments = rec4["moments"].as_array().expect("moments");
    // Added in e1, reworded in e3 and back in e4: three moments, not one
    // per edition.
    assert_eq!(moments.len(), 3, "{rec4}");
    assert_eq!(moments[2][0], 3);
    assert_eq!(moments[1][0], 2);
    assert_eq!(moments[1][1], "modified");
    assert!(
        moments[1][5]
            .as_str()
            .expect("text")
            .contains("are encouraged to")
    );
    assert!(
        meeting.contains("script-src 'sha256-"),
        "the script is allowed by its hash"
    );
    // The latest edition is whole at latest.html.
    assert!(read(&dir, "latest.html").contains(r#"<article class="item"#));
}

#[test]
fn histories_fold_what_did_not_change_and_name_no_later_edition() {
    let env = store();
    env.ok(&["site", "--out", "site"]);
    let dir = env.root().join("site");
    let item = read(&dir, "items/ctoc-cop-wg-2-2023-4-4.html");
    assert!(item.contains("Unchanged in edition e2"), "{item}");
    assert!(
        item.contains("Unchanged in every edition since e4."),
        "{item}"
    );
    // Cite this: the permanent address, and the text as worded in e4.
    assert!(item.contains("Cite this"), "{item}");
    assert!(
        item.contains("<code>items/ctoc-cop-wg-2-2023-4-4.html</code>"),
        "{item}"
    );
    assert!(
        item.contains("<code>editions/e4.html#i-ctoc-cop-wg-2-2023-4-4</code>"),
        "{item}"
    );
    // An item no later edition changed names none of them: its page stays
    // as it is while editions come.
    let still = read(&dir, "items/ctoc-cop-wg-2-2023-4-5.html");
    assert!(
        still.contains("Unchanged in every edition since e1."),
        "{still}"
    );
    for later in ["e2", "e3", "e4"] {
        assert!(
            !still.contains(&format!(">{later}<")) && !still.contains(&format!(" {later} ")),
            "{later}: {still}"
        );
    }
    // A meeting's page has its history and says when an item went.
    let meeting = read(&dir, "meetings/ctoc-cop-wg-2-2023-4.html");
    assert!(meeting.contains("(March 2025): 1 reworded"), "{meeting}");
    let index = read(&dir, "items/index.html");
    assert!(
        index.contains("(withdrawn: removed in edition e4)"),
        "{index}"
    );
}

#[test]
fn downloads_are_for_the_newest_editions_and_typeset_once() {
    let env = store();
    let out = env.ok(&["site", "--out", "site", "--downloads", "2"]);
    assert!(out.stdout.contains(" 0 removed."), "{}", out.stdout);
    let dir = env.root().join("site");
    for e in ["e3", "e4"] {
        for ext in ["pdf", "docx", "json", "akn.xml"] {
            assert!(
                dir.join(format!("editions/{e}.{ext}")).is_file(),
                "{e}.{ext}"
            );
        }
    }
    assert!(!dir.join("editions/e1.pdf").exists());
    assert!(
        dir.join("diff/e3..e4.pdf").is_file(),
        "the redline into a kept edition"
    );
    assert!(!dir.join("diff/e1..e2.pdf").exists());
    let e1 = read(&dir, "editions/e1.html");
    assert!(e1.contains("livedoc show e1 --format pdf"), "{e1}");
    // Nothing changed: nothing is typeset or written again.
    let pdf = dir.join("editions/e4.pdf");
    let before = std::fs::metadata(&pdf)
        .and_then(|m| m.modified())
        .expect("mtime");
    let out = env.ok(&["site", "--out", "site", "--downloads", "2"]);
    assert!(out.stdout.contains(" 0 written, "), "{}", out.stdout);
    assert_eq!(
        std::fs::metadata(&pdf)
            .and_then(|m| m.modified())
            .expect("mtime"),
        before
    );
    // One download fewer: e3's go, and nothing else of the site.
    let out = env.ok(&["site", "--out", "site", "--downloads", "1"]);
    assert!(!dir.join("editions/e3.pdf").exists());
    assert!(!dir.join("diff/e2..e3.pdf").exists());
    assert!(out.stdout.contains(" 6 removed."), "{}", out.stdout);
    assert!(dir.join("editions/e3.html").is_file());
    // A file the publisher put at the top stays.
    std::fs::write(dir.join("CNAME"), "compilation.example.org\n").expect("write");
    env.ok(&["site", "--out", "site", "--downloads", "1"]);
    assert!(dir.join("CNAME").is_file());
}

#[test]
fn the_header_names_the_publisher_and_the_status() {
    let env = store();
    env.ok(&[
        "site",
        "--out",
        "site",
        "--publisher",
        "Secretariat of the Review Mechanism",
        "--status",
        "Official version",
    ]);
    let dir = env.root().join("site");
    for rel in [
        "index.html",
        "editions/e2.html",
        "items/index.html",
        "data.html",
    ] {
        let page = read(&dir, rel);
        assert!(
            page.contains(
                r#"<span class="publisher-name">Secretariat of the Review Mechanism</span>"#
            ),
            "{rel}"
        );
        assert!(
            page.contains(r#"<p class="site-status">Official version</p>"#),
            "{rel}"
        );
        assert!(!page.contains("Made by livedoc"), "{rel}");
    }
    // Editions are dated by their own date, not when they were stored.
    let e2 = read(&dir, "editions/e2.html");
    assert!(e2.contains("<h1>Edition e2 of March 2025</h1>"), "{e2}");
}

fn vnu() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar")
}

#[test]
#[ignore = "needs java and tests/browser/node_modules (npm ci): cargo test -- --ignored nu_html_checker (.ci/run runs it)"]
fn nu_html_checker_finds_no_error_on_any_page() {
    assert!(
        vnu().is_file(),
        "vnu.jar is missing: run npm ci in tests/browser"
    );
    let env = store();
    env.ok(&["site", "--out", "whole"]);
    env.ok(&["site", "--out", "contents", "--edition-pages", "contents"]);
    let hostile = TestEnv::new();
    hostile.ok(&[
        "import",
        &format!("{FIXTURES}/site/hostile.md"),
        "--edition",
        "h1",
    ]);
    hostile.ok(&["site", "--out", "site"]);
    let real = TestEnv::new();
    real.ok(&["import", REAL_EDITION]);
    real.ok(&["site", "--out", "site"]);
    for dir in [
        env.root().join("whole"),
        env.root().join("contents"),
        hostile.root().join("site"),
        real.root().join("site"),
    ] {
        let out = Command::new("java")
            .arg("-jar")
            .arg(vnu())
            .args(["--errors-only", "--skip-non-html", "--exit-zero-always"])
            .arg(&dir)
            .output()
            .expect("java runs");
        let errors = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "the checker failed: {errors}");
        assert!(errors.trim().is_empty(), "{}:\n{errors}", dir.display());
        // It read the pages: a page with an error is reported.
        let probe = dir.join("probe.html");
        std::fs::write(
            &probe,
            "<!DOCTYPE html><html lang=en><title>x</title><a href=\"#a#b\">x</a>",
        )
        .expect("write");
        let out = Command::new("java")
            .arg("-jar")
            .arg(vnu())
            .args(["--errors-only", "--exit-zero-always"])
            .arg(&probe)
            .output()
            .expect("java runs");
        assert!(String::from_utf8_lossy(&out.stderr).contains("Illegal character in fragment"));
        std::fs::remove_file(&probe).expect("remove");
    }
}
