//! Issue 29 (third adversarial campaign): regression tests, each named for what it proves.

use crate::common::{Output, TestEnv};

const HEAD: &str = "# COMPILATION (SYNTHETIC)\n\nVienna, April 2024\n\n";

/// A draft of one Part A meeting of 2023 whose one recommendation has
/// `text`.
fn one_meeting(body: &str, text: &str) -> String {
    format!(
        "{HEAD}# A. Recommendations by the Working Groups\n\n2023\n\n## {body} (CTOC/COP/WG.7/2023/5)\n\n### *Recommendation 1*\n\n{text}\n"
    )
}

/// `n` meetings of one recommendation each, all in 2023.
fn many_meetings(n: usize) -> String {
    let mut doc = format!("{HEAD}# A. Recommendations by the Working Groups\n\n2023\n\n");
    for i in 0..n {
        doc.push_str(&format!(
            "## Working Group number {i} (CTOC/COP/WG.{}/2023/{})\n\n### *Recommendation 1*\n\nStates act {i}.\n\n",
            i % 10,
            i / 10
        ));
    }
    doc
}

fn count(out: &Output, needle: &str) -> usize {
    out.stderr.matches(needle).count() + out.stdout.matches(needle).count()
}

/// Defect 6: a text of one word repeated gave a doubled-word finding per
/// word, with no cap (48 MB aborted). Now `check` and `import` list the
/// first hundred and one summary.
#[test]
fn a_flood_of_doubled_words_is_capped_in_check_and_import() {
    let env = TestEnv::new();
    let text = format!("{}.", vec!["word"; 5_000].join(" "));
    let f = env.write(
        "2024-04.md",
        one_meeting("Working Group on Firearms", &text),
    );
    let json = env.ok(&["check", &f, "--format", "json"]).json();
    let findings = json["findings"].as_array().expect("findings");
    let doubled: Vec<_> = findings
        .iter()
        .filter(|d| d["code"] == "doubled-word")
        .collect();
    assert_eq!(doubled.len(), 101, "a hundred and a summary");
    assert_eq!(
        doubled[100]["message"],
        "… and 4,899 more doubled-word findings"
    );
    let out = env.ok(&["import", &f]);
    assert_eq!(count(&out, "a word is doubled"), 100);
    assert_eq!(count(&out, "… and 4,899 more doubled-word findings"), 1);
}

/// Defect 7: reading an edition of many meetings was quadratic (a tree
/// of all the meeting files inflated again for each of them; a meeting
/// found by a scan for each line of `blame`). 5,000 meetings: `show` in
/// every format, `blame` in every format and `site` all complete, and
/// say all of them.
#[test]
fn an_edition_of_five_thousand_meetings_is_shown_blamed_and_published() {
    const N: usize = 5_000;
    let env = TestEnv::new();
    let f = env.write("editions/2024-04.md", many_meetings(N));
    env.ok(&["import", &f]);
    let json = env.show_json("latest");
    assert_eq!(
        json["parts"][0]["meetings"].as_array().map(Vec::len),
        Some(N)
    );
    let text = env.ok(&["show", "latest"]);
    assert_eq!(text.stdout.matches("Working Group number").count(), N);
    let md = env.ok(&["show", "latest", "--format", "markdown"]);
    assert_eq!(
        md.stdout.matches("Working Group number").count(),
        2 * N,
        "contents and body"
    );
    for format in ["text", "markdown"] {
        let b = env.ok(&["blame", "latest", "--format", format]);
        assert_eq!(
            b.stdout.matches("Working Group number").count(),
            N,
            "{format}"
        );
    }
    let b = env.ok(&["blame", "latest", "--format", "json"]).json();
    assert_eq!(b["items"].as_array().map(Vec::len), Some(N));
    env.ok(&["site", "--out", "site"]);
    let meetings = std::fs::read_dir(env.root().join("site/meetings"))
        .expect("site/meetings")
        .count();
    assert!(meetings >= N, "{meetings} meeting pages");
}

const CONCEAL: &str = "States should \u{1b}[8mnot\u{1b}[0m act";

/// Defect 8: a document's `ESC [ 8 m` (conceal) reached the terminal even
/// with `--color never` or NO_COLOR, hiding the word "not": every colour
/// sequence passed the terminal filter. (A draft holding it is refused by
/// import and diff since issue 28; `check` still quotes its text, here in
/// the finding that it ends without punctuation.)
#[test]
fn a_documents_escape_sequence_never_reaches_text_output() {
    let env = TestEnv::new();
    let a = env.write("a.md", one_meeting("Working Group on Firearms", CONCEAL));
    // NO_COLOR (the test environment's), --color never, and a pipe.
    for extra in [&[][..], &["--color", "never"][..], &["--color", "auto"][..]] {
        let mut args = vec!["check", &a];
        args.extend_from_slice(extra);
        let out = env.run(&args);
        assert!(
            !out.stdout_bytes.contains(&0x1b) && !out.stderr.contains('\u{1b}'),
            "{extra:?}: {}",
            out.stdout
        );
        assert!(out.stdout.contains("\\x1b[8mnot"), "{}", out.stdout);
    }
    // Colour on: livedoc's own colours pass, the document's sequence not.
    let out = env.run(&["check", &a, "--color", "always"]);
    assert!(out.stdout.contains("\u{1b}["), "colours are on");
    assert!(!out.stdout.contains("\u{1b}[8m"), "{}", out.stdout);
    assert!(out.stdout.contains("\\x1b[8mnot"), "{}", out.stdout);
}

const OVERRIDE: &str = "States should act\u{202e} now, and \u{85}report.";

/// Defect 9: the terminal filter wrote `\u{202e}` into JSON and Markdown
/// on a pipe: the JSON was invalid and `show --format markdown > file`
/// was another document. Machine formats are written as they are; text
/// still escapes.
#[test]
fn json_and_markdown_are_not_escaped_for_a_terminal_and_text_is() {
    let env = TestEnv::new();
    let f = env.write(
        "editions/2024-04.md",
        one_meeting("Working Group on Firearms", OVERRIDE),
    );
    env.ok(&["import", &f]);
    let out = env.ok(&["show", "latest", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("show --format json is not JSON ({e}):\n{}", out.stdout));
    let text = json.to_string();
    assert!(
        text.contains("act\u{202e} now, and \u{85}report."),
        "{text}"
    );
    let md = env.ok(&["show", "latest", "--format", "markdown"]);
    assert!(md.stdout.contains(OVERRIDE), "{}", md.stdout);
    let again = env.write("editions/2024-05.md", &md.stdout_bytes);
    env.ok(&["import", &again]);
    let a = env.show_json("2024-04");
    let b = env.show_json("2024-05");
    assert_eq!(
        a["parts"], b["parts"],
        "the Markdown imports as the same edition"
    );
    let diff = env
        .ok(&["diff", "2024-04", "2024-05", "--format", "json"])
        .json();
    assert_eq!(diff["summary"]["items_unchanged"], 1, "{diff}");
    // Text: escaped, on a pipe as on a terminal.
    let t = env.ok(&["show", "latest"]);
    assert!(!t.stdout.contains('\u{202e}') && !t.stdout.contains('\u{85}'));
    assert!(t.stdout.contains("act\\u{202e} now"), "{}", t.stdout);
}

/// Defect 10: livedoc's own table of contents failed its own check: the
/// "2" ending "… Smuggling of Migrants 2" read back as a page number.
#[test]
fn a_meeting_name_ending_in_a_number_survives_the_regenerated_contents() {
    let env = TestEnv::new();
    let f = env.write(
        "editions/2024-04.md",
        one_meeting(
            "Working Group on the Smuggling of Migrants 2",
            "States should act.",
        ),
    );
    env.ok(&["import", &f]);
    let md = env.ok(&["show", "latest", "--format", "markdown"]);
    let again = env.write("again.md", &md.stdout_bytes);
    let json = env.ok(&["check", &again, "--format", "json"]).json();
    let toc: Vec<_> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("toc")))
        .collect();
    assert!(toc.is_empty(), "{toc:?}\n{}", md.stdout);
}

/// Defect 11: a UTF-16 file with a byte order mark was "binary data (a
/// NUL byte)". It is read, its findings at the file's own lines.
#[test]
fn a_utf16_file_with_either_byte_order_mark_is_read_at_its_own_lines() {
    let env = TestEnv::new();
    let doc =
        one_meeting("Working Group on Firearms", "States should should act.").replace('\n', "\r\n");
    let utf8 = env.write("utf8.md", &doc);
    let want = env.ok(&["check", &utf8, "--format", "json"]).json()["findings"].clone();
    assert!(want.to_string().contains("doubled-word"), "{want}");
    let le: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(doc.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xfe, 0xff]
        .into_iter()
        .chain(doc.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for (name, bytes) in [("le.md", le), ("be.md", be)] {
        let f = env.write(name, &bytes);
        let json = env.ok(&["check", &f, "--format", "json"]).json();
        assert_eq!(json["findings"], want, "{name}");
    }
    env.ok(&["import", "le.md", "--edition", "2024-04"]);
    let json = env.show_json("latest");
    assert_eq!(json["parts"][0]["counts"]["recommendations"], 1, "{json}");
}

/// A UTF-16 file that breaks off inside a character is refused at its
/// line, saying how to convert it.
#[test]
fn a_broken_utf16_file_is_refused_saying_how_to_convert_it() {
    let env = TestEnv::new();
    let mut bytes: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain("a\nb\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    bytes.extend_from_slice(&0xd800u16.to_le_bytes());
    let f = env.write("broken.md", &bytes);
    let out = env.run(&["check", &f]);
    assert!(
        out.stdout
            .contains("broken.md:3: the file is UTF-16 (little-endian"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("iconv -f UTF-16 -t UTF-8"),
        "{}",
        out.stdout
    );
}
