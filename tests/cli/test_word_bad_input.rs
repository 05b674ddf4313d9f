//! Word documents livedoc must refuse: each with its own error naming the
//! file and the problem, a hint, exit 2 (`check`: the file cannot be
//! read), no panic, and nothing written to the store.

use std::io::Write;

use crate::common::contracts::assert_check_contract;
use crate::common::{Output, TestEnv};

/// A zip archive of the given entries.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("an entry");
        zip.write_all(body).expect("written");
    }
    zip.finish().expect("a zip").into_inner()
}

/// An OLE compound file (the container of a .doc, and of an encrypted
/// .docx) that names the given stream.
fn compound_file(stream: &str) -> Vec<u8> {
    let mut b = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    b.resize(512, 0);
    b.extend(stream.encode_utf16().flat_map(u16::to_le_bytes));
    b.resize(2048, 0);
    b
}

/// A document part that inflates past the 64 MiB cap.
fn bomb() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", opts).expect("an entry");
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..65 {
        zip.write_all(&chunk).expect("written");
    }
    zip.finish().expect("a zip").into_inner()
}

/// (name, bytes, the error code, words the message must hold).
fn cases() -> Vec<(&'static str, Vec<u8>, &'static str, &'static str)> {
    vec![
        (
            "text",
            b"# Not Word\n\nJust text.\n".to_vec(),
            "docx-not-zip",
            "not a zip archive",
        ),
        ("empty", Vec::new(), "docx-not-zip", "not a zip archive"),
        (
            "no-document",
            zip_of(&[("word/styles.xml", b"<w:styles/>")]),
            "docx-no-document",
            "word/document.xml is missing",
        ),
        (
            "encrypted",
            compound_file("EncryptedPackage"),
            "docx-encrypted",
            "encrypted",
        ),
        (
            "legacy",
            compound_file("WordDocument"),
            "docx-legacy",
            "Word 97-2003",
        ),
        ("bomb", bomb(), "docx-too-large", "zip bomb"),
        (
            "damaged",
            zip_of(&[("word/document.xml", b"<w:document><w:body><w:p></w:body>")]),
            "docx-xml",
            "damaged",
        ),
    ]
}

#[test]
fn bad_word_documents_are_refused_each_with_its_own_error() {
    let env = TestEnv::new();
    let real = env.copy_real();
    for (name, bytes, code, words) in cases() {
        let file = format!("{name}.docx");
        env.write(&file, &bytes);

        let out = env.run(&["check", &file]);
        out.assert_no_panic();
        assert_eq!(
            out.code,
            Some(2),
            "check {file}: {}{}",
            out.stdout,
            out.stderr
        );
        let text = format!("{}{}", out.stdout, out.stderr);
        assert!(
            text.contains(&file) && text.contains(words),
            "check {file}: {text}"
        );
        assert!(text.contains("hint:"), "check {file}: {text}");

        let view = env.run(&["check", &file, "--format", "json"]).json();
        let codes: Vec<&str> = view["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter_map(|f| f["code"].as_str())
            .collect();
        assert_eq!(codes, [code], "check {file} --format json");

        let out = env.run(&["diff", &real, &file]);
        out.assert_no_panic();
        assert_eq!(out.code, Some(2), "diff {file}: {}", out.stderr);
        let err = out.error_lines().join("\n");
        assert!(
            err.contains(&file) && err.contains(words),
            "diff {file}: {err}"
        );

        let out = env.run(&["import", &file, "--edition", "2025-01"]);
        out.assert_no_panic();
        assert_eq!(out.code, Some(2), "import {file}: {}", out.stderr);
        assert!(
            out.error_lines().join("\n").contains(words),
            "import {file}: {}",
            out.stderr
        );
        assert!(!out.hint().is_empty(), "import {file} gives a hint");
        assert!(!env.store().exists(), "import {file} wrote nothing");
    }
}

#[test]
fn a_bad_word_draft_in_a_directory_stops_the_whole_import() {
    let env = TestEnv::new();
    env.write(
        "eds/2024-04.md",
        std::fs::read(crate::common::REAL_EDITION).expect("edition"),
    );
    env.write("eds/2025-01.docx", b"not a zip");
    let out = env.run(&["import", "eds"]);
    out.assert_no_panic();
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.error_lines().join("\n").contains("2025-01.docx"),
        "{}",
        out.stderr
    );
    assert!(
        !env.store().exists(),
        "a directory is checked before anything is written"
    );
}

/// The name a case's file has, as a user would have it: the text and the
/// empty file are drafts named `draft.docx`, the legacy document keeps
/// its `.doc`.
fn file_name(case: &str) -> String {
    match case {
        "text" | "empty" => "draft.docx".to_string(),
        "legacy" => "draft.doc".to_string(),
        other => format!("{other}.docx"),
    }
}

/// Asserts the command failed as livedoc fails on bad input (exit 2, no
/// panic), that its first `error:` line is `error: FILE: MESSAGE` with the
/// problem's words in it, and that it gives a non-empty hint.
#[track_caller]
fn assert_refused_naming(out: &Output, what: &str, file: &str, words: &str) {
    out.failure();
    let first = out.error_lines()[0];
    assert!(
        first.starts_with(&format!("error: {file}: ")) && first.contains(words),
        "{what}: expected `error: {file}: …{words}…`:\n{}",
        out.stderr
    );
    assert!(out.hint().len() > "hint: ".len(), "{what}: {}", out.stderr);
}

/// Every bad Word input, one environment each, through every command
/// that reads a draft:
///
/// - `check FILE` exits 2 with its report on stdout (and nothing on
///   stderr): `error: FILE: MESSAGE [CODE]`, then an indented hint, then
///   `FILE: 1 error, 0 warnings`;
/// - `check FILE --format json` exits 2 with the check contract and one
///   finding: an error of that code, with a hint, and no line, paragraph
///   or heading (the document was never read that far);
/// - `diff FILE REAL.md` and `diff REAL.md FILE` exit 2 with an `error:`
///   line naming the file and the problem, and a hint;
/// - `--store S import FILE --edition 2025-01` exits 2 the same way and
///   creates no store S; into a store that already holds the real
///   edition it changes no ref and no object, and `log` still lists only
///   that edition.
#[test]
fn each_bad_word_document_is_refused_by_check_diff_and_import_naming_the_file() {
    for (case, bytes, code, words) in cases() {
        let env = TestEnv::new();
        let real = env.copy_real();
        env.ok(&["--store", "held.git", "import", &real]);
        let held = env.root().join("held.git");
        let before = env.refs_and_objects_of(&held);
        let file = file_name(case);
        env.write(&file, &bytes);
        let what = |cmd: &str| format!("{case} ({file}), {cmd}");

        let out = env.run(&["check", &file]);
        out.assert_no_panic();
        assert_eq!(out.code, Some(2), "{}:\n{}", what("check"), out.rendered());
        assert_eq!(out.stderr, "", "{}", what("check"));
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert!(
            lines[0].starts_with(&format!("error: {file}: "))
                && lines[0].contains(words)
                && lines[0].ends_with(&format!("[{code}]")),
            "{}:\n{}",
            what("check"),
            out.stdout
        );
        assert!(
            lines.get(1).is_some_and(|l| l.starts_with("  hint: ")),
            "{}:\n{}",
            what("check"),
            out.stdout
        );
        assert_eq!(
            lines.last().copied(),
            Some(format!("{file}: 1 error, 0 warnings").as_str()),
            "{}",
            what("check")
        );

        let out = env.run(&["check", &file, "--format", "json"]);
        out.assert_no_panic();
        assert_eq!(out.code, Some(2), "{}", what("check --format json"));
        let view = out.json();
        let findings = assert_check_contract(&view, &file);
        assert_eq!(
            findings,
            [("error".to_string(), code.to_string(), None)],
            "{}",
            what("check --format json")
        );
        let f = &view["findings"][0];
        assert!(
            f["message"].as_str().is_some_and(|m| m.contains(words)),
            "{f}"
        );
        assert!(f["hint"].as_str().is_some_and(|h| !h.is_empty()), "{f}");
        assert!(f["paragraph"].is_null() && f["heading"].is_null(), "{f}");

        let out = env.run(&["diff", &file, &real]);
        assert_refused_naming(&out, &what("diff FILE REAL"), &file, words);
        let out = env.run(&["diff", &real, &file]);
        assert_refused_naming(&out, &what("diff REAL FILE"), &file, words);

        let import = ["import", file.as_str(), "--edition", "2025-01"];
        let out = env.run_at("S", &import);
        assert_refused_naming(&out, &what("import into no store"), &file, words);
        assert!(
            !env.root().join("S").exists(),
            "{}: S was created",
            what("import")
        );

        let out = env.run_at("held.git", &import);
        assert_refused_naming(&out, &what("import into a store"), &file, words);
        assert_eq!(
            env.refs_and_objects_of(&held),
            before,
            "{}: the store changed",
            what("import")
        );
        let ids: Vec<String> = env
            .editions_at("held.git")
            .into_iter()
            .map(|(id, _, _)| id)
            .collect();
        assert_eq!(ids, ["2024-04"], "{}", what("import"));
    }
}

/// The other side: a .docx that livedoc itself writes (`show latest
/// --format docx --out FILE` after importing the real edition) is a
/// draft `check` reads, with no error (exit 0), its findings placed at
/// Word paragraphs (`paragraph N (under "…")`, no line) rather than
/// lines, and it previews as the same edition (`diff latest FILE` finds
/// no change).
#[test]
fn a_word_document_livedoc_writes_checks_without_errors() {
    let env = TestEnv::new();
    env.import_real();
    env.ok(&["show", "latest", "--format", "docx", "--out", "draft.docx"]);
    let bytes = std::fs::read(env.root().join("draft.docx")).expect("written");
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip archive");

    let out = env.run(&["check", "draft.docx"]);
    out.success();
    assert!(
        out.stdout.ends_with("draft.docx: 0 errors, 2 warnings\n"),
        "{}",
        out.stdout
    );
    for l in out.stdout.lines().filter(|l| l.starts_with("warning: ")) {
        assert!(l.starts_with("warning: draft.docx: paragraph "), "{l}");
    }

    let view = env.ok(&["check", "draft.docx", "--format", "json"]).json();
    let findings = assert_check_contract(&view, "draft.docx");
    assert_eq!(view["errors"], 0, "{view}");
    assert!(!findings.is_empty());
    for f in view["findings"].as_array().expect("findings") {
        assert!(f["line"].is_null(), "{f}");
        assert!(f["paragraph"].as_u64().is_some_and(|p| p >= 1), "{f}");
    }

    let diff = env
        .ok(&["diff", "latest", "draft.docx", "--format", "json"])
        .json();
    let summary = diff["summary"].as_object().expect("a summary");
    for (k, v) in summary {
        if k != "items_unchanged" {
            assert_eq!(v, 0, "{k}: {diff}");
        }
    }
    assert_eq!(summary["items_unchanged"], 37, "{diff}");
}
