//! Word documents livedoc must refuse: each with its own error naming the
//! file and the problem, a hint, exit 2 (`check`: the file cannot be
//! read), no panic, and nothing written to the store.

use std::io::Write;

use crate::common::TestEnv;

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
