//! Input livedoc must refuse: exit 2, an `error:` line that locates the
//! problem, a `hint:` line, never a panic, and nothing written to the
//! store (nor a store created).

use crate::common::{Output, TestEnv, line_of, real_bytes, real_text, replace_once};

/// Imports `bytes` as `bad/<name>` into a store holding the real edition
/// and into a directory without a store; both must fail alike and write
/// nothing. Returns the output of the first.
#[track_caller]
fn assert_refused(name: &str, bytes: &[u8], extra: &[&str]) -> Output {
    let env = TestEnv::new();
    env.import_real();
    let before = env.refs_and_objects();
    let file = env.write(&format!("bad/{name}"), bytes);
    let mut args = vec!["import", file.as_str()];
    args.extend_from_slice(extra);
    let out = env.run(&args);
    out.failure();
    out.hint();
    assert_eq!(env.refs_and_objects(), before, "{name}: the store changed");

    let fresh = TestEnv::new();
    fresh.write(&format!("bad/{name}"), bytes);
    let again = fresh.run(&args);
    again.failure();
    assert_eq!(again.stderr, out.stderr, "{name}: depends on the store");
    assert!(!fresh.store().exists(), "{name}: a store was created");
    out
}

/// Asserts the first `error:` line is `error: bad/<name>[:<line>]: <message…>`.
#[track_caller]
fn assert_located(out: &Output, name: &str, line: Option<usize>, message: &str) {
    let location = match line {
        Some(l) => format!("error: bad/{name}:{l}: "),
        None => format!("error: bad/{name}: "),
    };
    let first = out.error_lines()[0];
    assert!(
        first.starts_with(&location),
        "expected {location:?}…\n{}",
        out.stderr
    );
    assert!(
        first.contains(message),
        "expected {message:?}\n{}",
        out.stderr
    );
}

#[test]
fn an_empty_file_is_refused() {
    for (name, bytes) in [("empty.md", &b""[..]), ("blank.md", &b"\n \n\t\r\n"[..])] {
        let out = assert_refused(name, bytes, &[]);
        assert_located(&out, name, None, "the file is empty");
        assert_eq!(
            out.hint(),
            "hint: import a Markdown text file (UTF-8) of the compilation"
        );
    }
}

#[test]
fn binary_garbage_is_refused() {
    // Deterministic pseudo-random bytes, a NUL among them.
    let mut state: u32 = 0x9e37_79b9;
    let mut bytes: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    bytes[3000] = 0;
    let nul = bytes.iter().position(|&b| b == 0).expect("a NUL");
    let line = 1 + bytes[..nul].iter().filter(|&&b| b == b'\n').count();
    let out = assert_refused("garbage.md", &bytes, &[]);
    assert_located(
        &out,
        "garbage.md",
        Some(line),
        "the file holds binary data (a NUL byte)",
    );

    // A real-looking document with one NUL in it.
    let text = real_text();
    let mut doc = text.clone().into_bytes();
    let at = text.find("Recommendation 17").expect("present");
    doc.insert(at, 0);
    let out = assert_refused("nul.md", &doc, &[]);
    assert_located(
        &out,
        "nul.md",
        Some(line_of(&text, "Recommendation 17")),
        "binary data",
    );
}

#[test]
fn invalid_utf8_is_refused_with_its_line() {
    // Latin-1 "é" in the date line, no NUL anywhere.
    let text = real_text();
    let line = line_of(&text, "Vienna, April 2024");
    let mut bytes = Vec::new();
    let (before, after) = text.split_at(text.find("Vienna, April").expect("present"));
    bytes.extend_from_slice(before.as_bytes());
    bytes.extend_from_slice(b"Vi\xe9nna");
    bytes.extend_from_slice(&after.as_bytes()["Vienna".len()..]);
    assert!(!bytes.contains(&0));
    let out = assert_refused("latin1.md", &bytes, &[]);
    assert_located(&out, "latin1.md", Some(line), "the file is not UTF-8 text");
    assert!(out.hint().contains("UTF-8"), "{}", out.stderr);
}

#[test]
fn a_document_without_parts_is_refused() {
    let text = real_text();
    let cut = text.find("# A. Recommendations").expect("part A");
    let out = assert_refused("no-parts.md", &text.as_bytes()[..cut], &[]);
    assert_located(
        &out,
        "no-parts.md",
        None,
        "the document has no parts (neither Part A nor Part B)",
    );
    assert!(out.hint().contains("# A."), "{}", out.stderr);
}

#[test]
fn an_item_before_any_meeting_heading_is_refused() {
    let text = real_text();
    let anchor = "2022\n\n## **Working Group on Trafficking in Persons**";
    let doc = replace_once(
        &text,
        anchor,
        "2022\n\nStates parties are urged to do something, under no meeting at all.\n\n## **Working Group on Trafficking in Persons**",
    );
    let line = line_of(&doc, "under no meeting at all");
    assert!(line > line_of(&doc, "# A. Recommendations"));
    let out = assert_refused("orphan.md", doc.as_bytes(), &[]);
    assert_located(
        &out,
        "orphan.md",
        Some(line),
        "comes before any meeting heading",
    );
    assert!(out.hint().contains("meeting heading"), "{}", out.stderr);
}

#[test]
fn a_label_repeated_within_one_meeting_is_refused_naming_both_lines() {
    let text = real_text();
    let first = line_of(&text, "### *Recommendation 2*");
    let doc = replace_once(&text, "### *Recommendation 3*", "### *Recommendation 2*");
    let second = line_of(&text, "### *Recommendation 3*");
    let out = assert_refused("repeated.md", doc.as_bytes(), &[]);
    assert_located(
        &out,
        "repeated.md",
        Some(second),
        &format!(
            "recommendation label \"2\" repeats in CTOC/COP/WG.2/2023/4 (first at line {first})"
        ),
    );
}

#[test]
fn a_recommendation_heading_without_text_is_refused() {
    let text = real_text();
    let anchor = "## **Working Group of Government Experts";
    let doc = replace_once(
        &text,
        anchor,
        &format!("### *Recommendation 19*\n\n{anchor}"),
    );
    let line = line_of(&doc, "### *Recommendation 19*");
    let out = assert_refused("no-text.md", doc.as_bytes(), &[]);
    assert_located(
        &out,
        "no-text.md",
        Some(line),
        "Recommendation 19 has no text",
    );
}

#[test]
fn a_missing_file_is_refused() {
    let env = TestEnv::new();
    env.import_real();
    let before = env.refs_and_objects();
    let out = env.run(&["import", "missing.md"]);
    out.failure();
    assert!(
        out.error_lines()[0].starts_with("error: cannot read missing.md: "),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.hint(),
        "hint: check the path and that the file is readable"
    );
    assert_eq!(env.refs_and_objects(), before);

    let fresh = TestEnv::new();
    fresh.run(&["import", "missing.md"]).failure();
    assert!(!fresh.store().exists());
}

const UNSAFE_IDS: [&str; 7] = ["../x", "a/b", "a b", "a..b", "x.lock", "latest", "a~1"];

#[test]
fn unsafe_edition_ids_are_refused_before_anything_is_written() {
    for id in UNSAFE_IDS {
        for dry_run in [false, true] {
            let mut extra = vec!["--edition", id];
            if dry_run {
                extra.push("--dry-run");
            }
            let out = assert_refused("2024-04.md", &real_bytes(), &extra);
            assert!(
                out.error_lines()[0]
                    .starts_with(&format!("error: \"{id}\" is not a valid edition id: ")),
                "{id}: {}",
                out.stderr
            );
            assert!(out.hint().contains("--edition ID"), "{id}: {}", out.stderr);
            assert!(out.stdout.is_empty(), "{id}: {}", out.stdout);
        }
    }
}

#[test]
fn unsafe_ids_leave_no_trace_in_the_file_system() {
    // `../x` must not be turned into a path anywhere near the store.
    let env = TestEnv::new();
    let file = env.copy_real();
    for id in UNSAFE_IDS {
        env.run(&["import", &file, "--edition", id]).failure();
    }
    let mut entries: Vec<String> = std::fs::read_dir(env.root())
        .expect("read root")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(entries, ["editions", "home", "xdg"]);
}

#[test]
fn truncated_documents_never_panic() {
    let env = TestEnv::new();
    let bytes = real_bytes();
    let cuts = 40;
    let mut outcomes = [0usize; 2];
    for i in 0..=cuts {
        // Spread over the file, one byte off the even spacing so that some
        // cuts fall inside multi-byte characters and mid-line.
        let at = (i * bytes.len() / cuts).saturating_sub(i % 2);
        let file = env.write(&format!("cut/{at:05}.md"), &bytes[..at]);
        let out = env.run(&["import", &file, "--dry-run"]);
        out.assert_no_panic();
        match out.code {
            Some(0) => {
                outcomes[0] += 1;
                assert!(out.stdout.starts_with("Would import"), "cut at {at}");
            }
            Some(2) => {
                outcomes[1] += 1;
                assert!(!out.error_lines().is_empty(), "cut at {at}: {}", out.stderr);
            }
            other => panic!("cut at {at}: exit {other:?}\n{}", out.stderr),
        }
    }
    assert!(!env.store().exists(), "a dry run created the store");
    // Early cuts have no parts; late cuts are whole enough to import.
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "{outcomes:?}");
}

#[test]
fn a_control_character_in_a_text_is_refused_with_its_line() {
    // U+0001, U+000B (a vertical tab Word writes for Shift+Enter in old
    // files) and U+FFFE print as nothing and cannot be held by a Word
    // document: an edition that had one could not be published as Word.
    let text = real_text();
    let needle = "States parties are urged to nominate, without undue delay";
    for (c, name) in [
        ('\u{1}', "soh.md"),
        ('\u{b}', "vt.md"),
        ('\u{fffe}', "fffe.md"),
    ] {
        let bad = replace_once(
            &text,
            needle,
            &format!("States parties are urged{c} to nominate, without undue delay"),
        );
        let out = assert_refused(name, bad.as_bytes(), &[]);
        assert_located(
            &out,
            name,
            Some(line_of(&text, needle)),
            &format!("holds the control character U+{:04X}", c as u32),
        );
        let env = TestEnv::new();
        let file = env.write(name, bad.as_bytes());
        let check = env.run(&["check", &file]);
        assert!(
            check.stdout.contains("[control-character]"),
            "{}",
            check.stdout
        );
    }
}

#[test]
fn a_list_marker_or_label_read_into_a_text_is_refused() {
    // A list the reader did not take as one must never be stored as
    // text: an empty bullet around a lettered entry (`- - (a) …`), a
    // label typed after Word's own (`(a) (a) …`).
    let text = real_text();
    let entry = "- (a) strengthening measures";
    for (name, written) in [
        ("nested.md", "- - (a) strengthening measures"),
        ("twice.md", "- (a) (a) strengthening measures"),
    ] {
        let bad = replace_once(&text, entry, written);
        let out = assert_refused(name, bad.as_bytes(), &[]);
        assert_located(
            &out,
            name,
            Some(line_of(&text, entry)),
            "a list marker or label read as text",
        );
        // `check` says the same, as an error.
        let env = TestEnv::new();
        let file = env.write(name, bad.as_bytes());
        let check = env.run(&["check", &file]);
        assert!(
            check.stdout.contains("error:") && check.stdout.contains("[marker-in-text]"),
            "{}",
            check.stdout
        );
    }
}
