//! Word in, Word out: a .docx draft is checked, previewed and cut as a
//! Markdown one is, and any edition comes back out as a Word document.
//!
//! Word fixtures are built in two independent ways: by pandoc
//! (`scripts/word-fixtures` commits them under `tests/fixtures/word/`,
//! and an ignored test that `.ci/run` runs builds them again with the
//! installed pandoc), and by livedoc's own `show --format docx`. Both must
//! import to the model of the Markdown they were made from.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::diff::CASES;
use crate::common::fixtures::diff_fixture;
use crate::common::{Output, REAL_EDITION, SYNTHETIC_EDITION, TestEnv};

const WORD_FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/word");
const THIRD_EDITION: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/site/third-edition.md"
);

/// Each committed pandoc fixture and the Markdown it was built from.
fn pandoc_fixtures() -> [(&'static str, String); 3] {
    [
        (REAL_EDITION, format!("{WORD_FIXTURES}/2024-04.docx")),
        (SYNTHETIC_EDITION, format!("{WORD_FIXTURES}/2025-03.docx")),
        (THIRD_EDITION, format!("{WORD_FIXTURES}/third-edition.docx")),
    ]
}

/// The summary of a diff, which must say nothing changed.
fn assert_unchanged(out: &Output, what: &str) {
    let view = out.json();
    let summary = &view["summary"];
    for (k, v) in summary.as_object().expect("a summary object") {
        if k != "items_unchanged" {
            assert_eq!(v, 0, "{what}: {k} is {v}:\n{}", out.stdout);
        }
    }
    assert!(
        summary["items_unchanged"].as_u64().unwrap_or(0) > 0,
        "{what}: nothing compared"
    );
}

/// The (code, message) of each finding of `check --format json`; the
/// messages with their places taken out, since a line and a paragraph
/// differ.
/// The codes of a document's findings, those its accepted-findings file
/// accepts included (the real edition has one beside it), in line order.
fn findings(env: &TestEnv, file: &str) -> Vec<String> {
    let out = env.run(&["check", file, "--format", "json"]);
    let view = out.json();
    let mut all: Vec<(u64, String)> = ["findings", "accepted"]
        .iter()
        .flat_map(|k| view[*k].as_array().expect("findings").clone())
        .map(|f| {
            (
                f["line"].as_u64().or(f["paragraph"].as_u64()).unwrap_or(0),
                f["code"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    all.sort();
    all.into_iter().map(|(_, c)| c).collect()
}

/// The real edition's counts: meetings per part, recommendations,
/// observations, and the sub-items of the first Trafficking in Persons
/// observation.
fn real_counts(show: &Value) -> (Vec<usize>, usize, usize, usize) {
    let parts = show["parts"].as_array().expect("parts");
    let per_part = parts
        .iter()
        .map(|p| p["meetings"].as_array().map_or(0, Vec::len))
        .collect();
    let items: Vec<&Value> = parts
        .iter()
        .flat_map(|p| p["meetings"].as_array().into_iter().flatten())
        .flat_map(|m| m["items"].as_array().into_iter().flatten())
        .collect();
    let of = |k: &str| items.iter().filter(|i| i["kind"] == k).count();
    let tip = parts
        .iter()
        .flat_map(|p| p["meetings"].as_array().into_iter().flatten())
        .find(|m| m["body"] == "Constructive Dialogue on Trafficking in Persons")
        .expect("the Trafficking in Persons dialogue");
    let subs = tip["items"][0]["subitems"].as_array().map_or(0, Vec::len);
    (per_part, of("recommendation"), of("observation"), subs)
}

#[test]
fn word_drafts_built_by_pandoc_import_as_the_markdown_they_were_made_from() {
    let env = TestEnv::new();
    for (md, docx) in pandoc_fixtures() {
        let out = env.run(&["diff", md, &docx, "--format", "json"]);
        out.success();
        assert_unchanged(&out, &docx);
        assert_eq!(findings(&env, &docx), findings(&env, md), "{docx}");
    }
    // The real edition, imported from Word, is the compilation.
    env.ok(&["import", &format!("{WORD_FIXTURES}/2024-04.docx")]);
    assert_eq!(
        real_counts(&env.show_json("latest")),
        (vec![6, 4], 16, 21, 7)
    );
}

/// The real edition as other producers write it with their defaults
/// (`scripts/word-fixtures`): pandoc's default reader and writer,
/// LibreOffice Writer saving it from HTML, and LibreOffice opening
/// pandoc's file and saving it again.
fn producer_fixtures() -> [String; 3] {
    [
        format!("{WORD_FIXTURES}/producers/2024-04.pandoc-default.docx"),
        format!("{WORD_FIXTURES}/producers/2024-04.libreoffice.docx"),
        format!("{WORD_FIXTURES}/producers/2024-04.libreoffice-resaved.docx"),
    ]
}

/// A diff in which no item and no meeting was added, removed or changed
/// in wording, label or place: typography (curly quotes, a list's `a.`
/// for `(a)`) and the front matter's layout may differ.
fn assert_no_item_changed(out: &Output, what: &str) {
    let summary = &out.json()["summary"];
    for k in [
        "meetings_added",
        "meetings_removed",
        "items_added",
        "items_removed",
        "items_modified",
        "items_renumbered",
        "items_moved",
        "items_split",
        "items_merged",
        "items_restored",
    ] {
        assert_eq!(summary[k], 0, "{what}: {k}:\n{}", out.stdout);
    }
    assert_eq!(
        summary["items_unchanged"].as_u64().unwrap_or(0)
            + summary["items_typography"].as_u64().unwrap_or(0),
        37,
        "{what}: every item paired:\n{}",
        out.stdout
    );
}

#[test]
fn the_real_edition_as_pandoc_and_libreoffice_write_it_reads_as_the_markdown() {
    let env = TestEnv::new();
    // What the Markdown's own layout gives: a sub-item (f) left as a
    // paragraph after a page break, which both producers make a list
    // entry again.
    let mut expected = findings(&env, REAL_EDITION);
    expected.retain(|c| c != "split-list");
    for docx in producer_fixtures() {
        let out = env.run(&["diff", REAL_EDITION, &docx, "--format", "json"]);
        out.success();
        assert_no_item_changed(&out, &docx);
        assert_eq!(findings(&env, &docx), expected, "{docx}");
        // The lettered sub-list is read with its labels, whatever the
        // producer printed around the letters.
        let text = env.run(&["diff", REAL_EDITION, &docx]).stdout;
        assert!(
            !text.contains("{+-+}") && !text.contains("[-(a)-]"),
            "{docx}:\n{text}"
        );
    }
    for docx in producer_fixtures() {
        let env = TestEnv::new();
        env.ok(&["import", &docx, "--edition", "2024-04"]);
        assert_eq!(
            real_counts(&env.show_json("latest")),
            (vec![6, 4], 16, 21, 7),
            "{docx}"
        );
        let tip = env.show_json("latest");
        let labels: Vec<&str> = tip["parts"][1]["meetings"][2]["items"][0]["subitems"]
            .as_array()
            .expect("sub-items")
            .iter()
            .filter_map(|s| s["label"].as_str())
            .collect();
        assert_eq!(
            labels,
            ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)"],
            "{docx}"
        );
    }
}

#[test]
fn texts_come_back_from_word_as_they_went_out() {
    // Brackets, underscores, asterisks, angle brackets, code spans and
    // entities: written to Word and read back, a text is the same text;
    // one that a Markdown source wrote with syntax (an entity, a needless
    // escape, a code span, an HTML tag) prints the same, which the diff
    // calls typography, never a change of wording.
    let env = TestEnv::new();
    let needle = "Parties are encouraged to make voluntary contributions";
    let plain =
        "Parties [sic] are encouraged, under A_B_C and 2 * 3, to make voluntary contributions";
    let written = "Parties \\[sic\\] are <b>encouraged</b>, under `A_B_C` &amp; 2 \\* 3, to make voluntary contributions";
    for (name, text) in [("plain.md", plain), ("written.md", written)] {
        let md = crate::common::replace_once(&crate::common::real_text(), needle, text);
        env.write(name, &md);
        let store = format!("{name}.git");
        env.ok(&["--store", &store, "import", name, "--edition", "2024-04"]);
        let docx = format!("{name}.docx");
        env.ok(&[
            "--store", &store, "show", "latest", "--format", "docx", "--out", &docx,
        ]);
        let out = env.run(&["diff", name, &docx, "--format", "json"]);
        let summary = &out.success().json()["summary"];
        assert_eq!(summary["items_modified"], 0, "{name}: {}", out.stdout);
        assert_eq!(summary["items_added"], 0, "{name}: {}", out.stdout);
        let typography = summary["items_typography"].as_u64().unwrap_or(0);
        if name == "plain.md" {
            // Nothing to resolve: the very text.
            assert_eq!(typography, 0, "{name}: {}", out.stdout);
            env.ok(&["--store", &store, "import", &docx, "--edition", "2024-05"]);
            let show = env
                .ok(&["--store", &store, "show", "2024-05", "--format", "json"])
                .json();
            let text = show["parts"][0]["meetings"][3]["items"][0]["text"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            assert!(text.starts_with(plain), "{text}");
        } else {
            assert_eq!(typography, 1, "{name}: {}", out.stdout);
        }
    }
}

/// Runs a command, or fails the test saying what is missing.
fn pandoc(args: &[&str]) {
    let status = Command::new("pandoc")
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .status()
        .unwrap_or_else(|e| panic!("pandoc did not run ({e}); install it: apt-get install pandoc"));
    assert!(status.success(), "pandoc {args:?} failed");
}

/// A Markdown draft as Word, as pandoc writes it (a footnote of the
/// Markdown a Word footnote).
fn pandoc_docx(md: &str, out: &Path) {
    let out = out.to_string_lossy();
    pandoc(&[
        "-f",
        "commonmark+hard_line_breaks+footnotes",
        "-t",
        "docx",
        md,
        "-o",
        &out,
    ]);
}

/// What a diff reports, without the names of its two sides.
fn diff_without_names(env: &TestEnv, old: &str, new: &str) -> Value {
    let mut v = env.run(&["diff", old, new, "--format", "json"]).json();
    for k in ["from", "to", "from_edition", "to_edition"] {
        v.as_object_mut().map(|o| o.remove(k));
    }
    v
}

#[test]
#[ignore = "needs pandoc: cargo test -- --ignored pandoc (.ci/run runs it)"]
fn word_drafts_built_by_pandoc_today_import_as_their_markdown() {
    let env = TestEnv::new();
    for (md, _) in pandoc_fixtures() {
        let docx = env.root().join("fresh.docx");
        pandoc_docx(md, &docx);
        let docx = docx.to_string_lossy().into_owned();
        let out = env.run(&["diff", md, &docx, "--format", "json"]);
        assert_unchanged(&out, md);
        assert_eq!(findings(&env, &docx), findings(&env, md), "{md}");
    }
    // Every diff fixture: the two drafts as Word diff as their Markdown.
    for case in CASES {
        let dir = env.root().join(case);
        std::fs::create_dir_all(dir.join("md")).expect("a directory");
        std::fs::create_dir_all(dir.join("docx")).expect("a directory");
        let mut md = Vec::new();
        let mut docx = Vec::new();
        for side in ["before", "after"] {
            let m = dir.join("md").join(format!("{side}.md"));
            std::fs::write(&m, diff_fixture(case, &format!("{side}.md"))).expect("writes");
            let d = dir.join("docx").join(format!("{side}.docx"));
            pandoc_docx(&m.to_string_lossy(), &d);
            md.push(m.to_string_lossy().into_owned());
            docx.push(d.to_string_lossy().into_owned());
        }
        assert_eq!(
            diff_without_names(&env, &docx[0], &docx[1]),
            diff_without_names(&env, &md[0], &md[1]),
            "{case}"
        );
    }
}

#[test]
fn an_edition_exported_to_word_imports_as_the_same_edition() {
    let env = TestEnv::new();
    env.import_real();
    env.ok(&["show", "latest", "--format", "docx", "--out", "out.docx"]);
    let bytes = std::fs::read(env.root().join("out.docx")).expect("the export");
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip archive");
    // Against the Markdown, against the stored edition: nothing changed.
    assert_unchanged(
        &env.run(&["diff", REAL_EDITION, "out.docx", "--format", "json"]),
        "export",
    );
    assert_unchanged(
        &env.run(&["diff", "latest", "out.docx", "--format", "json"]),
        "export",
    );
    // Its table of contents is a field whose entries check clean, and the
    // findings are those of the Markdown but the split list, which Word
    // numbering has joined.
    let mut md = findings(&env, REAL_EDITION);
    md.retain(|c| c != "split-list");
    assert_eq!(findings(&env, "out.docx"), md);
    // Imported as the next edition, it is the same edition again.
    env.ok(&["import", "out.docx", "--edition", "2024-05"]);
    let mut a = env.show_json("2024-04");
    let mut b = env.show_json("2024-05");
    // The export links each symbol to its report: a meeting whose source
    // gave no address (`#`) comes back with its report's, and nothing
    // else changes.
    for v in [&mut a, &mut b] {
        for m in v["parts"]
            .as_array_mut()
            .into_iter()
            .flatten()
            .flat_map(|p| p["meetings"].as_array_mut().into_iter().flatten())
        {
            let report = m["symbol"]
                .as_str()
                .map(|s| format!("https://undocs.org/{s}"));
            let link = m["link"].as_str().map(str::to_string);
            if link.as_deref() == Some("#") || (link.is_some() && link == report) {
                m["link"] = Value::Null;
            }
        }
    }
    assert!(
        env.git_ok(&["show", "edition/2024-05:source.md"])
            .contains("([CTOC/COP/WG.4/2022/4](https://undocs.org/CTOC/COP/WG.4/2022/4))")
    );
    assert_eq!(a["parts"], b["parts"]);
    assert_eq!(a["front_matter"], b["front_matter"]);
    assert_eq!(real_counts(&b), (vec![6, 4], 16, 21, 7));
    // Written to standard output when it is not a terminal.
    let out = env.ok(&["show", "latest", "--format", "docx"]);
    assert!(out.stdout_bytes.starts_with(b"PK\x03\x04"));
}

#[test]
fn a_word_draft_is_checked_previewed_and_cut() {
    let env = TestEnv::new();
    env.import_real();
    let draft = format!("{WORD_FIXTURES}/2025-03.docx");
    env.ok(&["check", &draft]);
    // The preview says what the Markdown's says.
    assert_eq!(
        diff_without_names(&env, "latest", &draft),
        diff_without_names(&env, "latest", SYNTHETIC_EDITION),
    );
    env.write(
        "drafts/2025-03.docx",
        std::fs::read(&draft).expect("the fixture"),
    );
    env.ok(&["import", "drafts/2025-03.docx"]);
    assert_eq!(env.log_ids(), ["2025-03", "2024-04"]);
    // The store keeps the Word document as given, and the Markdown read
    // from it for plain git.
    let given = std::fs::read(&draft).expect("the fixture");
    let kept = env.git(&["show", "refs/tags/edition/2025-03:source.docx"]);
    assert_eq!(kept.stdout_bytes, given);
    let md = env.git_ok(&["show", "refs/tags/edition/2025-03:source.md"]);
    assert!(
        md.contains("# COMPILATION (SYNTHETIC TEST EDITION)"),
        "{md}"
    );
    let sha = env.show_json("2025-03")["metadata"]["source_sha256"]
        .as_str()
        .map(str::to_string);
    assert_eq!(sha.as_deref(), Some(sha256_hex(&given).as_str()));
    let verify = env.ok(&["verify"]);
    assert!(
        verify.stdout.contains("everything holds"),
        "{}",
        verify.stdout
    );
    // Cutting it again is a no-op: the same bytes are already stored.
    env.ok(&["import", "drafts/2025-03.docx"]);
    assert_eq!(env.log_ids(), ["2025-03", "2024-04"]);
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[test]
fn a_directory_of_drafts_takes_word_beside_markdown_in_name_order() {
    let env = TestEnv::new();
    env.write(
        "eds/2024-04.md",
        std::fs::read(REAL_EDITION).expect("the edition"),
    );
    env.write(
        "eds/2025-03.docx",
        std::fs::read(format!("{WORD_FIXTURES}/2025-03.docx")).expect("the fixture"),
    );
    // Word's lock file of an open document is not a draft.
    env.write("eds/~$2025-03.docx", "lock");
    env.ok(&["import", "eds"]);
    assert_eq!(env.log_ids(), ["2025-03", "2024-04"]);
}

#[test]
fn an_edition_there_as_both_markdown_and_word_is_refused() {
    let env = TestEnv::new();
    env.write(
        "eds/2024-04.md",
        std::fs::read(REAL_EDITION).expect("the edition"),
    );
    env.write(
        "eds/2024-04.docx",
        std::fs::read(format!("{WORD_FIXTURES}/2024-04.docx")).expect("the fixture"),
    );
    let out = env.run(&["import", "eds"]);
    out.failure();
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    let err = out.error_lines().join("\n");
    assert!(
        err.contains("2024-04") && err.contains("ambiguous"),
        "{err}"
    );
    assert!(
        err.contains("2024-04.docx") && err.contains("2024-04.md"),
        "{err}"
    );
    assert!(!env.store().exists(), "nothing was imported");
}

/// Rewrites one part of a .docx.
pub(crate) fn edit_part(docx: &[u8], part: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("an entry");
        let name = f.name().expect("a name").to_string();
        let mut body = String::new();
        f.read_to_string(&mut body).expect("text");
        if name == part {
            body = edit(&body);
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("an entry");
        out.write_all(body.as_bytes()).expect("written");
    }
    out.finish().expect("a zip").into_inner()
}

#[test]
fn findings_in_a_word_draft_name_the_paragraph_and_its_heading() {
    let env = TestEnv::new();
    env.import_real();
    env.ok(&["show", "latest", "--format", "docx", "--out", "out.docx"]);
    let docx = std::fs::read(env.root().join("out.docx")).expect("the export");
    // The Firearms meeting labels both its recommendations 17.
    let broken = edit_part(&docx, "word/document.xml", |x| {
        x.replacen("Recommendation 18", "Recommendation 17", 1)
    });
    env.write("draft.docx", broken);
    let out = env.run(&["check", "draft.docx"]);
    assert_eq!(
        out.code,
        Some(1),
        "check exits 1 on an error: {}",
        out.stdout
    );
    let err = out.stdout.clone();
    assert!(
        err.contains("draft.docx: paragraph ")
            && err.contains("(under \"Working Group on Firearms (CTOC/COP/WG.6/2023/5)\")")
            && err.contains("(first at paragraph "),
        "{err}"
    );
    let view = env.run(&["check", "draft.docx", "--format", "json"]).json();
    let f = view["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["code"] == "label-repeated"))
        .expect("the repeated label");
    assert!(f["line"].is_null(), "{f}");
    assert!(f["paragraph"].as_u64().is_some_and(|p| p > 1), "{f}");
    assert_eq!(
        f["heading"],
        "Working Group on Firearms (CTOC/COP/WG.6/2023/5)"
    );
    // The import refuses it the same way, and stores nothing.
    let out = env.run(&["import", "draft.docx", "--edition", "2025-01"]);
    out.failure();
    assert_eq!(env.log_ids(), ["2024-04"]);
}

#[test]
fn show_writes_a_word_file_whole_or_not_at_all() {
    let env = TestEnv::new();
    env.import_real();
    let out = env.run(&[
        "show",
        "latest",
        "--format",
        "docx",
        "--out",
        "missing/dir/x.docx",
    ]);
    out.failure();
    assert!(
        out.error_lines().join("\n").contains("cannot write"),
        "{}",
        out.stderr
    );
    assert!(!env.root().join("missing").exists());
    // An existing file is replaced whole, and the command says so
    // (issue 30: it printed nothing on success).
    env.write("x.docx", "old");
    let wrote = env.ok(&["show", "latest", "--format", "docx", "--out", "x.docx"]);
    let size = std::fs::metadata(env.root().join("x.docx"))
        .expect("written")
        .len();
    assert_eq!(wrote.stderr.trim(), format!("Wrote x.docx ({size} bytes)."));
    assert!(wrote.stdout.is_empty());
    let bytes = std::fs::read(env.root().join("x.docx")).expect("written");
    assert!(bytes.starts_with(b"PK\x03\x04"));
    let leftovers: Vec<_> = std::fs::read_dir(env.root())
        .expect("readable")
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(".tmp") || n.starts_with(".livedoc-")
        })
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left");
}

/// The README's Word round, as it is written there.
#[test]
fn the_readmes_word_round_runs_as_it_says() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("the README");
    let draft = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/draft-next-edition.docx"
    );
    // DRAFT.docx is the reader's draft; the doc-example test runs these
    // lines with examples/draft-next-edition.docx as it.
    for cmd in [
        "livedoc check DRAFT.docx",
        "livedoc diff 2024-04 DRAFT.docx",
        "livedoc import DRAFT.docx --edition 2025-03",
        "livedoc show latest --format docx --out next-draft.docx",
    ] {
        assert!(readme.contains(cmd), "the README shows {cmd:?}");
    }
    let env = TestEnv::new();
    env.import_real();
    let out = env.run(&["check", draft]);
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    assert!(
        out.stdout.contains("0 errors, 3 warnings"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(": paragraph 99 (under "),
        "{}",
        out.stdout
    );
    let out = env.ok(&["diff", draft]);
    assert!(
        out.stdout.contains("meetings: 2 added; items: 5 added"),
        "{}",
        out.stdout
    );
    // The same preview as the Markdown draft it was made from.
    let md = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/draft-next-edition.md"
    );
    assert_eq!(
        diff_without_names(&env, "latest", draft),
        diff_without_names(&env, "latest", md)
    );
    env.ok(&["import", draft, "--edition", "2025-03"]);
    env.ok(&[
        "show",
        "latest",
        "--format",
        "docx",
        "--out",
        "next-draft.docx",
    ]);
    assert_unchanged(
        &env.run(&["diff", "latest", "next-draft.docx", "--format", "json"]),
        "the exported draft",
    );
}
