//! The Word export in a real word processor: LibreOffice opens it, saves
//! it again as Word and prints it as PDF. The re-saved file must read as
//! the same edition, and the PDF must show every item's text and the
//! table of contents' page numbers.
//!
//! The test is `#[ignore]`d, so that `cargo test` shows it as ignored
//! rather than passing without running; `.ci/run` runs it with
//! `cargo test -- --ignored libreoffice`. Once asked for, it fails when
//! LibreOffice or poppler is missing.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::{Output, REAL_EDITION, TestEnv};

/// Runs a tool of the word processor's in the test's hermetic
/// environment, or fails the test saying what is missing.
fn tool(env: &TestEnv, program: &str, args: &[&str], install: &str) -> Output {
    let mut cmd = Command::new(program);
    env.hermetic(&mut cmd);
    cmd.args(args);
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{program} did not run ({e}); install it: {install}"));
    let out = Output::from_std(out);
    assert_eq!(
        out.code,
        Some(0),
        "{program} {args:?} failed:\n{}",
        out.stderr
    );
    out
}

/// LibreOffice converting `file` to `to` into `dir`, with a profile of
/// the test's own so that runs do not share one.
fn soffice(env: &TestEnv, to: &str, dir: &str, file: &str) {
    let profile = format!(
        "-env:UserInstallation=file://{}/lo-profile",
        env.root().display()
    );
    let args = [
        profile.as_str(),
        "--headless",
        "--norestore",
        "--convert-to",
        to,
        "--outdir",
        dir,
        file,
    ];
    tool(
        env,
        "soffice",
        &args,
        "apt-get install libreoffice-writer-nogui",
    );
    let name = Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    let ext = to.split(':').next().unwrap_or(to);
    let made = env.root().join(dir).join(format!("{name}.{ext}"));
    assert!(made.is_file(), "LibreOffice wrote no {}", made.display());
}

/// The words of a text, ligatures undone: what must survive Markdown
/// syntax, line breaking and PDF text extraction.
fn words(s: &str) -> Vec<String> {
    s.replace('\u{FB01}', "fi")
        .replace('\u{FB02}', "fl")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Every item's text and its sub-items' in `show --format json`.
fn item_texts(show: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for part in show["parts"].as_array().expect("parts") {
        for m in part["meetings"].as_array().expect("meetings") {
            for item in m["items"].as_array().expect("items") {
                out.push(item["text"].as_str().expect("text").to_string());
                for s in item["subitems"].as_array().into_iter().flatten() {
                    out.push(s["text"].as_str().expect("text").to_string());
                }
            }
        }
    }
    out
}

#[test]
#[ignore = "needs LibreOffice and poppler: cargo test -- --ignored libreoffice (.ci/run runs it)"]
fn in_libreoffice_the_word_export_reads_and_prints_as_the_edition() {
    let env = TestEnv::new();
    env.import_real();
    env.ok(&["show", "latest", "--format", "docx", "--out", "e.docx"]);
    soffice(&env, "docx:MS Word 2007 XML", "resaved", "e.docx");
    soffice(&env, "pdf", "pdf", "e.docx");

    // (a) Saved again by LibreOffice, it is the same edition: nothing
    // added, removed or changed but items' typography.
    for side in ["latest", REAL_EDITION] {
        let out = env.run(&["diff", side, "resaved/e.docx", "--format", "json"]);
        let view = out.success().json();
        let summary = view["summary"].as_object().expect("a summary");
        for (k, v) in summary {
            if k != "items_unchanged" && k != "items_typography" {
                assert_eq!(v, 0, "{side} → resaved: {k} is {v}:\n{}", out.stdout);
            }
        }
        assert!(summary["items_unchanged"].as_u64().unwrap_or(0) > 0);
    }

    // …and checks as the export does: the contents LibreOffice restyles
    // still reads as the contents.
    let codes = |file: &str| -> Vec<String> {
        env.run(&["check", file, "--format", "json"]).json()["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["code"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(codes("resaved/e.docx"), codes("e.docx"));
    assert!(
        !codes("resaved/e.docx")
            .iter()
            .any(|c| c.starts_with("toc-"))
    );

    // (b) The PDF shows every item's text…
    let pdf = tool(
        &env,
        "pdftotext",
        &["-layout", "pdf/e.pdf", "-"],
        "apt-get install poppler-utils",
    )
    .stdout;
    let printed = format!(" {} ", words(&pdf).join(" "));
    let texts = item_texts(&env.show_json("latest"));
    assert_eq!(
        texts.len(),
        37 + 7,
        "items and sub-items of the real edition"
    );
    for t in &texts {
        let w = format!(" {} ", words(t).join(" "));
        assert!(printed.contains(&w), "not in the PDF:{w}\n{pdf}");
    }
    // …and the table of contents' page numbers, which LibreOffice
    // computes as it lays out the pages: each entry's line ends with its
    // dot leader and a page number.
    let toc: Vec<&str> = pdf
        .lines()
        .skip_while(|l| l.trim() != "Table of Contents")
        .skip(1)
        .take_while(|l| l.trim() != "Guidance for Readers")
        .filter(|l| l.contains("...."))
        .collect();
    assert_eq!(toc.len(), 14, "the entries:\n{pdf}");
    let numbered = |l: &&str| {
        let t = l.trim_end();
        t.ends_with(|c: char| c.is_ascii_digit())
            && t.trim_end_matches(|c: char| c.is_ascii_digit())
                .ends_with('.')
    };
    assert!(
        toc.iter().all(numbered),
        "entries without a page number:\n{}",
        toc.join("\n")
    );
}
