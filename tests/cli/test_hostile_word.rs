//! Issue 29 (third adversarial campaign): Word drafts that smuggle
//! structure into one paragraph or exhaust the machine. Each test starts
//! from the real edition as pandoc writes it
//! (`tests/fixtures/word/2024-04.docx`) and changes one part the way the
//! attack did; each runs livedoc under a memory limit, so that an input
//! that makes it allocate without end fails the test rather than the
//! machine.

use std::os::unix::process::CommandExt;

use serde_json::Value;

use crate::common::{Output, REAL_EDITION, TestEnv};
use crate::test_word::edit_part;

const WORD_EDITION: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/word/2024-04.docx"
);

/// The most address space livedoc may take on these inputs: far above
/// what the compilation needs, far below what the attacks took.
const MEMORY_LIMIT: u64 = 1 << 30;

fn real_docx() -> Vec<u8> {
    std::fs::read(WORD_EDITION).expect("the Word fixture")
}

/// Runs livedoc in `env` with its address space bounded.
fn bounded(env: &TestEnv, args: &[&str]) -> Output {
    let mut cmd = env.command(args);
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between
    // fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: MEMORY_LIMIT,
                rlim_max: MEMORY_LIMIT,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    TestEnv::output(cmd)
}

/// The meetings' keys and the number of items of a diff's new side.
fn new_structure(diff: &Value) -> (Vec<String>, u64, u64) {
    let keys = diff["meetings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["status"] == "added")
        .filter_map(|m| m["key"].as_str().map(str::to_string))
        .collect();
    let s = &diff["summary"];
    (
        keys,
        s["items_added"].as_u64().unwrap_or(0),
        s["meetings_added"].as_u64().unwrap_or(0),
    )
}

#[test]
fn line_ends_inside_one_word_paragraph_never_become_structure() {
    // Shift+Enter twice, and line feeds and carriage returns written as
    // character references inside a run's text: before, each put a line
    // "Recommendation 99" or a meeting heading with a forged symbol on a
    // line of its own, and the draft gained an item and a meeting that
    // no paragraph of the document holds.
    let breaks = "<w:br/><w:br/><w:t xml:space=\"preserve\">Recommendation 99</w:t><w:br/><w:br/><w:t xml:space=\"preserve\">## Fake Meeting (CTOC/COP/WG.9/2023/1)</w:t><w:br/><w:br/><w:t xml:space=\"preserve\">";
    let refs =
        "&#10;&#10;Recommendation 98&#13;&#13;## Other Fake (CTOC/COP/WG.8/2023/1)&#13;&#10;&#10;";
    let docx = edit_part(&real_docx(), "word/document.xml", |x| {
        let x = x.replacen(
            "States should enhance collaboration",
            &format!("States should enhance</w:t>{breaks}collaboration"),
            1,
        );
        x.replacen(
            "States should prioritize the integration",
            &format!("States should prioritize{refs}the integration"),
            1,
        )
    });
    let env = TestEnv::new();
    env.write("draft.docx", &docx);
    let out = bounded(
        &env,
        &["diff", REAL_EDITION, "draft.docx", "--format", "json"],
    );
    let diff = out.success().json();
    assert_eq!(
        new_structure(&diff),
        (Vec::new(), 0, 0),
        "no item or meeting is added:\n{}",
        out.stdout
    );
    // The two paragraphs' items changed wording, nothing else.
    assert_eq!(diff["summary"]["items_modified"], 2, "{}", out.stdout);
    let text = env.ok(&["diff", REAL_EDITION, "draft.docx"]).stdout;
    assert!(text.contains("{+Recommendation 99"), "{text}");
}

/// The real edition with `n` paragraphs numbered by a list whose level
/// has `lvl_text`, `format` and `start`, put after the Guidance's list.
fn numbered_draft(lvl_text: &str, format: &str, start: u32, n: usize) -> Vec<u8> {
    let docx = edit_part(&real_docx(), "word/numbering.xml", |x| {
        let abs = format!(
            "<w:abstractNum w:abstractNumId=\"7770\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"{start}\"/><w:numFmt w:val=\"{format}\"/><w:lvlText w:val=\"{lvl_text}\"/></w:lvl></w:abstractNum>"
        );
        let at = x.find("<w:num ").expect("a w:num");
        let x = format!("{}{abs}{}", &x[..at], &x[at..]);
        x.replacen(
            "</w:numbering>",
            "<w:num w:numId=\"7771\"><w:abstractNumId w:val=\"7770\"/></w:num></w:numbering>",
            1,
        )
    });
    let para = "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"7771\"/></w:numPr></w:pPr><w:r><w:t>An entry.</w:t></w:r></w:p>";
    edit_part(&docx, "word/document.xml", |x| {
        let at = x
            .find("<w:p><w:pPr><w:pStyle w:val=\"Heading1\" /></w:pPr><w:r><w:t xml:space=\"preserve\">Background")
            .expect("the Background heading");
        format!("{}{}{}", &x[..at], para.repeat(n), &x[at..])
    })
}

/// Imports a draft and returns the stored `source.md` and the import.
fn import_draft(env: &TestEnv, docx: &[u8]) -> (String, Output) {
    env.write("draft.docx", docx);
    let out = bounded(env, &["import", "draft.docx", "--edition", "2024-04"]);
    out.success();
    let md = env.git_ok(&["show", "edition/2024-04:source.md"]);
    (md, out)
}

#[test]
fn a_huge_list_number_text_is_not_multiplied_by_its_paragraphs() {
    // A 100 KB w:lvlText used by 300 paragraphs made 30 MB of Markdown
    // (a 1 MiB one, 300 MB and an out-of-memory import).
    let docx = numbered_draft(&"x".repeat(100_000), "decimal", 1, 300);
    let env = TestEnv::new();
    let (md, out) = import_draft(&env, &docx);
    out.success();
    assert!(md.len() < 100_000, "source.md is {} bytes", md.len());
    assert!(out.stderr.contains("not read"), "{}", out.stderr);
    env.ok(&["verify"]);
}

#[test]
fn placeholders_in_a_letter_format_give_short_numbers() {
    // `%1` 32 times in a lowerLetter list counted from 2600: each number
    // was 3,200 letters long (with longer texts the process aborted).
    let docx = numbered_draft(&"%1".repeat(32), "lowerLetter", 2600, 40);
    let env = TestEnv::new();
    let (md, out) = import_draft(&env, &docx);
    out.success();
    let longest = md.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 2_000, "a line of {longest} bytes");
    assert!(
        out.stderr.contains("[docx-numbering]") || out.stderr.contains("not read"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_style_name_longer_than_any_word_allows_means_nothing() {
    // A 5 MiB style name, used by 2,000 paragraphs, was lower-cased for
    // each of them (check 43 s, and every verify after). Now a name past
    // 256 characters is no name: here "heading 3" padded with spaces is
    // no heading, and the document reads as it does without it.
    let name = format!("heading 3{}", " ".repeat(5 << 20));
    let docx = edit_part(&real_docx(), "word/styles.xml", |x| {
        x.replacen(
            "</w:styles>",
            &format!(
                "<w:style w:type=\"paragraph\" w:styleId=\"Huge\"><w:name w:val=\"{name}\"/></w:style></w:styles>"
            ),
            1,
        )
    });
    let para = "<w:p><w:pPr><w:pStyle w:val=\"Huge\"/></w:pPr><w:r><w:t>Plain.</w:t></w:r></w:p>";
    let docx = edit_part(&docx, "word/document.xml", |x| {
        let at = x
            .find("<w:p><w:pPr><w:pStyle w:val=\"Heading1\" /></w:pPr><w:r><w:t xml:space=\"preserve\">Background")
            .expect("the Background heading");
        format!("{}{}{}", &x[..at], para.repeat(2_000), &x[at..])
    });
    let env = TestEnv::new();
    let (md, out) = import_draft(&env, &docx);
    out.success();
    assert!(!md.contains("### Plain."), "a paragraph became a heading");
    assert_eq!(md.matches("\nPlain.\n").count(), 2_000);
}

#[test]
fn fields_begun_and_never_ended_cost_their_size_once() {
    // 200,000 fields begun and never ended, then 200,000 runs: each run
    // looked through every open field (29 s; a 152 KB file, minutes).
    // Here 20,000 of each, then a hyperlink field whose result keeps its
    // link however many fields are open around it.
    let open = "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>".repeat(20_000);
    let runs = "<w:r><w:t>a</w:t></w:r>".repeat(20_000);
    let link = "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> HYPERLINK \"https://undocs.org/X\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>the report</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>";
    let docx = edit_part(&real_docx(), "word/document.xml", |x| {
        let at = x
            .find("<w:p><w:pPr><w:pStyle w:val=\"Heading1\" /></w:pPr><w:r><w:t xml:space=\"preserve\">Background")
            .expect("the Background heading");
        let end = x.rfind("<w:sectPr").expect("the body's section");
        format!(
            "{}<w:p>{link}</w:p>{}<w:p>{open}{runs}</w:p>{}",
            &x[..at],
            &x[at..end],
            &x[end..]
        )
    });
    let env = TestEnv::new();
    env.write("draft.docx", &docx);
    let out = bounded(&env, &["check", "draft.docx", "--format", "json"]);
    assert!(out.code.is_some(), "killed: {}", out.stderr);
    let (md, out) = import_draft(&env, &docx);
    out.success();
    assert!(md.contains("[the report](https://undocs.org/X)"), "{md}");
    // The fields left open are named, not passed over in silence.
    assert!(out.stderr.contains("20000 fields"), "{}", out.stderr);
}

#[test]
fn a_draft_larger_than_the_store_reads_back_is_refused_unread() {
    // The store reads a source back under 256 MiB: a larger draft is
    // refused before it is read (a sparse file: nothing is written to disk),
    // and nothing is stored.
    let env = TestEnv::new();
    let path = env.root().join("huge.md");
    let f = std::fs::File::create(&path).expect("a file");
    f.set_len((256 << 20) + 1).expect("a sparse length");
    for cmd in [&["check", "huge.md"][..], &["import", "huge.md"]] {
        let out = bounded(&env, cmd);
        out.failure();
        assert!(
            out.stderr
                .contains("over the 256 MiB livedoc reads of a draft"),
            "{}",
            out.stderr
        );
        out.hint();
    }
    assert!(!env.store().exists(), "a store was created");
}
