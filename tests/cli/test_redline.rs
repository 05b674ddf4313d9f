//! `diff A B --format docx`: a comparison as a Word redline with tracked
//! changes, opened, accepted and rejected by LibreOffice.
//!
//! A redline is right when accepting every change gives edition B and
//! rejecting every change gives edition A, as livedoc reads them back:
//! `diff B accepted.docx` and `diff A rejected.docx` find nothing. The
//! tests that always run accept through livedoc's own Word reader, which
//! reads tracked changes as accepted, and reject with [`rejected`], which
//! rewrites the markup as Reject All does. The `libreoffice` test, ignored
//! unless asked for (`.ci/run` runs it with `cargo test -- --ignored
//! libreoffice`), has LibreOffice do both through
//! `scripts/lo-tracked-changes`, and fails when LibreOffice or
//! python3-uno is missing.

use std::io::{Cursor, Read, Write};
use std::process::Command;

use regex::Regex;
use serde_json::Value;

use crate::common::diff::{CASES, REMOVED_OBSERVATION, case_env, listed, three_editions};
use crate::common::fixtures::diff_fixture;
use crate::common::json::{list, string};
use crate::common::pdf::{
    HOSTILE, assert_tagged_english_a4_embedded, body_text, pages, pending, plain, poppler, pty,
    squeezed,
};
use crate::common::{CUT_AT, Output, SYNTHETIC_EDITION, TestEnv, real_text, replace_once};

/// The name of who cuts editions in the tests (`AUTHOR` without its
/// address).
const WHO: &str = "Test Secretariat";

/// A part of a .docx, as text; `None` when it has no such part.
fn part(docx: &[u8], name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip archive");
    let mut f = zip.by_name(name).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).expect("UTF-8");
    Some(s)
}

fn document(docx: &[u8]) -> String {
    part(docx, "word/document.xml").expect("a document part")
}

/// The .docx with its document part replaced.
fn with_document(docx: &[u8], xml: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip archive");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("a part");
        let name = f.name().expect("a part name").to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).expect("readable");
        out.start_file(name.as_str(), opts).expect("a part");
        if name == "word/document.xml" {
            out.write_all(xml.as_bytes()).expect("written");
        } else {
            out.write_all(&bytes).expect("written");
        }
    }
    out.finish().expect("a zip").into_inner()
}

/// The paragraphs of a document part.
fn paragraphs(xml: &str) -> Vec<&str> {
    Regex::new(r"(?s)<w:p>.*?</w:p>")
        .expect("a regex")
        .find_iter(xml)
        .map(|m| m.as_str())
        .collect()
}

/// The redline with every change rejected, as Word's and LibreOffice's
/// Reject All do it to livedoc's markup: inserted and moved-in runs go,
/// and so does a paragraph whose mark is inserted (all of whose runs are);
/// deleted and moved-away runs stay as text, and a paragraph whose mark
/// is deleted stays a paragraph.
fn rejected(docx: &[u8]) -> Vec<u8> {
    let xml = document(docx);
    let inserted = [
        Regex::new(r"(?s)<w:ins w:id=[^>]*>.*?</w:ins>").expect("a regex"),
        Regex::new(r"(?s)<w:moveTo w:id=[^>]*>.*?</w:moveTo>").expect("a regex"),
    ];
    let mark = Regex::new(r"<w:rPr><w:(del|moveFrom) [^>]*/></w:rPr>").expect("a regex");
    let wrapper = Regex::new(r"</?w:(del|moveFrom)( [^>]*)?>").expect("a regex");
    let ranges = Regex::new(r"<w:move(From|To)Range(Start|End) [^>]*/>").expect("a regex");
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml.as_str();
    for p in paragraphs(&xml) {
        let at = rest.find(p).expect("in order");
        out.push_str(&rest[..at]);
        rest = &rest[at + p.len()..];
        let ppr = &p[..p.find("</w:pPr>").unwrap_or(0)];
        if ppr.contains("<w:rPr><w:ins ") || ppr.contains("<w:rPr><w:moveTo ") {
            continue;
        }
        let mut q = mark.replace_all(p, "").into_owned();
        for r in &inserted {
            q = r.replace_all(&q, "").into_owned();
        }
        q = wrapper.replace_all(&q, "").into_owned();
        q = ranges.replace_all(&q, "").into_owned();
        q = q
            .replace("w:delText", "w:t")
            .replace("w:delInstrText", "w:instrText");
        out.push_str(&q);
    }
    out.push_str(rest);
    for left in [
        "<w:ins ",
        "<w:del ",
        "<w:moveTo ",
        "<w:moveFrom ",
        "delText",
    ] {
        assert!(!out.contains(left), "{left} left after rejecting");
    }
    with_document(docx, &out)
}

/// `diff FROM TO --format docx --out NAME` in `env`: the redline's bytes.
fn redline(env: &TestEnv, from: &str, to: &str, name: &str) -> Vec<u8> {
    env.ok(&["diff", from, to, "--format", "docx", "--out", name]);
    std::fs::read(env.root().join(name)).expect("the redline")
}

/// What `diff A B` finds, summed: each count of its summary that is not
/// zero, but the unchanged items.
fn differences(env: &TestEnv, a: &str, b: &str) -> Vec<String> {
    let out = env.run(&["diff", a, b, "--format", "json"]);
    let view = out.success().json();
    summary_of(&view)
}

fn summary_of(view: &Value) -> Vec<String> {
    view["summary"]
        .as_object()
        .expect("a summary")
        .iter()
        .filter(|(k, v)| *k != "items_unchanged" && v.as_u64() != Some(0))
        .map(|(k, v)| format!("{k}: {v}"))
        .collect()
}

/// The redline of FROM → TO, accepted, reads as TO and, rejected, as
/// FROM. Its bytes.
#[track_caller]
fn assert_reads_back_as_either(env: &TestEnv, from: &str, to: &str, name: &str) -> Vec<u8> {
    let bytes = redline(env, from, to, name);
    let accepted = differences(env, to, name);
    assert!(accepted.is_empty(), "{from} → {to}, accepted: {accepted:?}");
    let reject = format!("rejected-{name}");
    env.write(&reject, rejected(&bytes));
    let rejected = differences(env, from, &reject);
    assert!(rejected.is_empty(), "{from} → {to}, rejected: {rejected:?}");
    bytes
}

/// A revision of the real edition as an editor would make it: a new
/// meeting in each part and a new date (the synthetic edition), then the
/// two meetings of 2022 in the other order, an item moved to another
/// meeting and renumbered, items renumbered in place, an item reworded, a
/// meeting renamed, a lettered sub-item removed and the later ones
/// lettered again, an observation removed, one split in two, two merged
/// into one, and a sentence of the front matter reworded.
fn revision() -> String {
    let e = std::fs::read_to_string(SYNTHETIC_EDITION).expect("the synthetic edition");
    let wg4 = "## **Working Group on Trafficking in Persons** ([CTOC/COP/WG.4/2022/4](#))";
    let wg7 = "## **Working Group on the Smuggling of Migrants** ([CTOC/COP/WG.7/2022/4](#))";
    let (a, b) = (e.find(wg4).expect("WG.4"), e.find(wg7).expect("WG.7"));
    let end = b + e[b..].find("\n\n\n").expect("the end of 2022");
    let e = format!(
        "{}{}\n\n{}{}",
        &e[..a],
        &e[b..end],
        &e[a..b].trim_end(),
        &e[end..]
    );
    let rec18 = "### *Recommendation 18*\n\nIn the light of the challenges identified in the course of the review process, States parties may wish to consider making voluntary contributions to the secretariat of the Implementation Review Mechanism in order to ensure sufficient and sustainable funding to support the review process.\n\n";
    let e = replace_once(&e, rec18, "");
    let e = replace_once(
        &e,
        "## **Working Group on Firearms** ([CTOC/COP/WG.6/2023/5](#))",
        "## **Working Group on Firearms, their Parts and Components and Ammunition** ([CTOC/COP/WG.6/2023/5](#))",
    );
    let at = e.find("#### *Recommendation 7*").expect("Recommendation 7");
    let end = at + e[at..].find("\n\n###").expect("the next meeting");
    let moved = rec18
        .replace("### *Recommendation 18*", "#### *Recommendation 8*")
        .trim_end()
        .to_string();
    let e = format!("{}\n\n{moved}{}", &e[..end], &e[end..]);
    let e = replace_once(&e, "### *Recommendation 16*", "### *Recommendation 17*");
    let e = replace_once(&e, "### *Recommendation 15*", "### *Recommendation 16*");
    let e = replace_once(
        &e,
        "States parties, if they have not done so, are urged to nominate",
        "States parties, if they have not done so, are strongly urged to nominate",
    );
    // The lettered list: (b) goes, (c)…(g) become (b)…(f).
    let b = e.find("- (b) conducting").expect("(b)");
    let b_end = b + e[b..].find('\n').expect("a line") + 1;
    let mut e = format!("{}{}", &e[..b], &e[b_end..]);
    for (old, new) in [
        ("- (c) implementing", "- (b) implementing"),
        ("- (d) fostering", "- (c) fostering"),
        ("- (e) providing", "- (d) providing"),
        ("(f) promoting", "(e) promoting"),
        ("(g) addressing", "(f) addressing"),
    ] {
        e = replace_once(&e, old, new);
    }
    let e = replace_once(&e, &format!("{REMOVED_OBSERVATION}\n\n"), "");
    let e = replace_once(
        &e,
        "(civil society, academia, and the private sector) in the fight against transnational organized crime. In doing so,",
        "(civil society, academia, and the private sector) in the fight against transnational organized crime.\n\nIn doing so,",
    );
    let e = replace_once(
        &e,
        "including the establishment of dedicated anti-corruption units.\n\nStates parties are encouraged to provide safe reporting",
        "including the establishment of dedicated anti-corruption units. States parties are encouraged to provide safe reporting",
    );
    replace_once(
        &e,
        "This publication is composed by two parts:",
        "This publication is composed of two parts:",
    )
}

#[test]
fn the_redline_of_every_fixture_case_accepts_to_the_newer_and_rejects_to_the_older() {
    for case in CASES {
        let env = case_env(case);
        assert_reads_back_as_either(&env, "before.md", "after.md", "redline.docx");
    }
}

#[test]
fn the_redline_of_the_real_edition_and_a_revision_reads_back_as_either() {
    let env = TestEnv::new();
    env.write("editions/2024-04.md", real_text());
    env.write("revision.md", revision());
    // Two files, the stored edition and a draft, two stored editions.
    let files = assert_reads_back_as_either(&env, "editions/2024-04.md", "revision.md", "f.docx");
    env.ok(&["import", "editions/2024-04.md"]);
    assert_reads_back_as_either(&env, "2024-04", "revision.md", "d.docx");
    env.write("editions/2025-03.md", revision());
    env.ok(&["import", "editions/2025-03.md"]);
    let stored = assert_reads_back_as_either(&env, "2024-04", "2025-03", "s.docx");
    // What the revision did, each as the diff found it, as Word shows it.
    let doc = document(&stored);
    // Recommendation 18, and Recommendation 13 with its meeting.
    assert_eq!(doc.matches("<w:moveFromRangeStart ").count(), 2);
    assert_eq!(doc.matches("<w:moveToRangeStart ").count(), 2);
    let comments = part(&stored, "word/comments.xml").expect("comments");
    for note in [
        "Moved here with its items from its place among the meetings of 2022",
        "Moved from CTOC/COP/WG.6/2023/5, where it was Recommendation 18",
        "Split off Observation 4",
        "Observation 4 was merged into this one",
    ] {
        assert!(comments.contains(note), "{note}:\n{comments}");
    }
    // The lettered list that lost an entry has its letters as text, each
    // changed where it changed: livedoc's reader, and a word processor
    // until the deletion is accepted, would count the deleted entry.
    let texts: Vec<&str> = paragraphs(&doc)
        .into_iter()
        .filter(|p| p.contains("implementing dedicated child-focused"))
        .collect();
    assert_eq!(texts.len(), 1);
    assert!(
        texts[0].contains("<w:delText xml:space=\"preserve\">(c) </w:delText>")
            && texts[0].contains("<w:t xml:space=\"preserve\">(b) </w:t></w:r></w:ins>"),
        "{}",
        texts[0]
    );
    // Compared as files or as stored editions, the same redline.
    assert_eq!(document(&files), doc);
}

#[test]
fn a_redline_of_stored_editions_is_by_who_cut_the_newer_and_when() {
    let env = three_editions();
    let bytes = assert_reads_back_as_either(&env, "2024-04", "2025-06", "r.docx");
    let doc = document(&bytes);
    let authors: Vec<&str> = Regex::new(r#"w:author="([^"]*)""#)
        .expect("a regex")
        .captures_iter(&doc)
        .map(|c| c.get(1).expect("a name").as_str())
        .collect();
    assert!(authors.len() > 5, "{doc}");
    assert!(authors.iter().all(|a| *a == WHO), "{authors:?}");
    let dates: Vec<&str> = Regex::new(r#"w:date="([^"]*)""#)
        .expect("a regex")
        .captures_iter(&doc)
        .map(|c| c.get(1).expect("a date").as_str())
        .collect();
    assert_eq!(dates.len(), authors.len());
    assert!(dates.iter().all(|d| *d == CUT_AT), "{dates:?}");
    // An edition against itself: nothing to track.
    let same = assert_reads_back_as_either(&env, "2025-06", "2025-06", "same.docx");
    assert!(!document(&same).contains(" w:author="));
    // One edition named: what it changed, against the one before.
    let one = {
        env.ok(&["diff", "2025-06", "--format", "docx", "--out", "one.docx"]);
        std::fs::read(env.root().join("one.docx")).expect("the redline")
    };
    assert!(differences(&env, "2025-06", "one.docx").is_empty());
    env.write("rejected-one.docx", rejected(&one));
    assert!(differences(&env, "2025-03", "rejected-one.docx").is_empty());
    // The first edition against nothing: everything inserted.
    env.ok(&["diff", "2024-04", "--format", "docx", "--out", "first.docx"]);
    let first = std::fs::read(env.root().join("first.docx")).expect("the redline");
    assert!(differences(&env, "2024-04", "first.docx").is_empty());
    let doc = document(&first);
    assert!(!doc.contains("<w:del ") && doc.contains("<w:ins "));
}

#[test]
fn a_draft_redline_is_by_the_importer_s_author_at_source_date_epoch() {
    let env = case_env("modified-recommendation");
    let bytes = redline(&env, "before.md", "after.md", "r.docx");
    let doc = document(&bytes);
    assert!(doc.contains(&format!("w:author=\"{WHO}\" w:date=\"{CUT_AT}\"")));
    // Nobody configured: "livedoc", at the time given.
    let mut cmd = env.command(&[
        "diff",
        "before.md",
        "after.md",
        "--format",
        "docx",
        "--out",
        "anon.docx",
    ]);
    cmd.env_remove("LIVEDOC_AUTHOR")
        .env("SOURCE_DATE_EPOCH", "1700000000");
    TestEnv::output(cmd).success();
    let anon = document(&std::fs::read(env.root().join("anon.docx")).expect("the redline"));
    assert!(anon.contains("w:author=\"livedoc\" w:date=\"2023-11-14T22:13:20Z\""));
    assert!(!anon.contains(WHO));
}

#[test]
fn a_renumbering_tracks_only_the_label() {
    let env = case_env("renumbered-items");
    let doc = document(&redline(&env, "before.md", "after.md", "r.docx"));
    let run_text = |p: &str, tag: &str| -> Vec<String> {
        Regex::new(&format!(r"(?s)<w:{tag} w:id=[^>]*>(.*?)</w:{tag}>"))
            .expect("a regex")
            .captures_iter(p)
            .map(|c| {
                Regex::new(r"<w:(?:t|delText) [^>]*>([^<]*)<")
                    .expect("a regex")
                    .captures_iter(c.get(1).expect("a change").as_str())
                    .map(|t| t[1].to_string())
                    .collect()
            })
            .collect()
    };
    let (mut deleted, mut inserted) = (Vec::new(), Vec::new());
    for p in paragraphs(&doc) {
        if !p.contains("<w:ins ") && !p.contains("<w:del ") || p.contains("DateLine") {
            continue;
        }
        assert!(p.contains("<w:pStyle w:val=\"Heading4\"/>"), "{p}");
        assert!(!p.contains("<w:rPr><w:ins ") && !p.contains("<w:rPr><w:del "));
        assert!(p.contains(">Recommendation </w:t>"), "{p}");
        deleted.extend(run_text(p, "del"));
        inserted.extend(run_text(p, "ins"));
    }
    assert_eq!(deleted, ["2", "3", "4", "5", "6", "7"]);
    assert_eq!(inserted, ["3", "4", "5", "6", "7", "8"]);
}

#[test]
fn a_moved_item_is_one_tracked_move_with_a_comment_naming_where_it_was() {
    let env = case_env("moved-item");
    let bytes = redline(&env, "before.md", "after.md", "r.docx");
    let doc = document(&bytes);
    let names = |side: &str| -> Vec<String> {
        Regex::new(&format!(r#"<w:move{side}RangeStart [^>]*w:name="([^"]*)""#))
            .expect("a regex")
            .captures_iter(&doc)
            .map(|c| c[1].to_string())
            .collect()
    };
    assert_eq!(names("From"), ["move1"]);
    assert_eq!(names("To"), ["move1"]);
    // Nothing else changed but the date.
    let changed: Vec<&str> = paragraphs(&doc)
        .into_iter()
        .filter(|p| p.contains("<w:ins ") || p.contains("<w:del "))
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].contains("DateLine"));
    let comments = part(&bytes, "word/comments.xml").expect("a comments part");
    assert_eq!(comments.matches("<w:comment ").count(), 1, "{comments}");
    assert!(
        comments.contains(">Moved from CTOC/COP/WG.6/2023/5, where it was Recommendation 18<"),
        "{comments}"
    );
    assert!(comments.contains(&format!("w:author=\"{WHO}\" w:date=\"{CUT_AT}\"")));
    // The comment is on the item at its new place.
    let to = doc.find("<w:moveToRangeStart ").expect("a move");
    let start = doc.find("<w:commentRangeStart ").expect("a comment");
    let end = doc.find("<w:moveToRangeEnd ").expect("its end");
    assert!(to < start && start < end);
    assert!(
        part(&bytes, "word/_rels/document.xml.rels")
            .expect("relationships")
            .contains("Target=\"comments.xml\"")
    );
}

#[test]
fn a_split_and_a_merge_say_what_they_came_from() {
    for (case, note) in [
        ("split-observation", "Split off Observation 4"),
        (
            "merged-observations",
            "Observation 4 was merged into this one",
        ),
        (
            "corrected-symbol",
            "Symbol corrected: CTOC/COP/WG.7/2023/5 is now CTOC/COP/WG.7/2023/6",
        ),
    ] {
        let env = case_env(case);
        let bytes = redline(&env, "before.md", "after.md", "r.docx");
        let comments = part(&bytes, "word/comments.xml").expect("a comments part");
        assert!(
            comments.contains(&format!(">{note}<")),
            "{case}: {comments}"
        );
    }
}

#[test]
fn the_same_comparison_gives_the_same_bytes() {
    let env = three_editions();
    assert_eq!(
        redline(&env, "2024-04", "2025-06", "a.docx"),
        redline(&env, "2024-04", "2025-06", "b.docx")
    );
    env.write("after.md", diff_fixture("moved-item", "after.md"));
    assert_eq!(
        redline(&env, "2025-03", "after.md", "c.docx"),
        redline(&env, "2025-03", "after.md", "d.docx")
    );
}

#[test]
fn a_redline_goes_to_a_pipe_as_bytes_and_stat_is_refused() {
    let env = case_env("moved-item");
    let file = redline(&env, "before.md", "after.md", "r.docx");
    let piped = env.run(&["diff", "before.md", "after.md", "--format", "docx"]);
    piped.success();
    assert_eq!(piped.stdout_bytes, file);
    let out = env.run(&[
        "diff",
        "before.md",
        "after.md",
        "--format",
        "docx",
        "--stat",
    ]);
    out.failure();
    assert!(
        out.stderr.contains("--stat prints text, not docx"),
        "{}",
        out.stderr
    );
    assert!(!env.root().join("stat.docx").exists());
}

// ---------------------------------------------------------------------------
// In LibreOffice

/// What `diff A B` finds, but for typography only: LibreOffice saves a
/// non-breaking hyphen (U+2011) as Word's `w:noBreakHyphen`, which
/// livedoc reads as a hyphen, so a text with one comes back from
/// LibreOffice as a typography change, redline or not.
fn differences_but_typography(env: &TestEnv, a: &str, b: &str) -> Vec<String> {
    let out = env.run(&["diff", a, b, "--format", "json"]);
    let view = out.success().json();
    let items = listed(&view);
    if !items.is_empty() && items.iter().all(|(status, _, _)| status == "typography") {
        return summary_of(&view)
            .into_iter()
            .filter(|s| !s.starts_with("items_typography") && !s.starts_with("meetings_changed"))
            .collect();
    }
    summary_of(&view)
}

/// Runs `scripts/lo-tracked-changes` on `jobs`, or fails saying what is
/// missing.
fn libreoffice(env: &TestEnv, jobs: &[String]) -> Output {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/lo-tracked-changes");
    let mut cmd = Command::new("/usr/bin/python3");
    env.hermetic(&mut cmd);
    cmd.arg(script)
        .arg(env.root().join("lo-profile"))
        .args(jobs);
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("/usr/bin/python3 did not run ({e}); install python3 and python3-uno")
    });
    let out = Output::from_std(out);
    assert_eq!(
        out.code,
        Some(0),
        "LibreOffice did not accept and reject the redlines (install libreoffice-writer-nogui and python3-uno):\n{}{}",
        out.stdout,
        out.stderr
    );
    out
}

#[test]
#[ignore = "needs LibreOffice (soffice) and python3-uno: cargo test -- --ignored libreoffice"]
fn redlines_in_libreoffice_accept_to_the_newer_and_reject_to_the_older() {
    let env = TestEnv::new();
    let cases = [
        "renumbered-items",
        "modified-recommendation",
        "moved-item",
        "moved-reworded",
        "reordered-observations",
        "split-observation",
        "merged-observations",
        "removed-observation",
        "new-year",
        "year-corrected",
        "corrected-symbol",
        "renamed-meeting",
        "renamed-section",
        "divided-recommendation",
        "subitem-typo",
        "typography-reexport",
    ];
    // (older, newer, redline) of each comparison.
    let mut sides = Vec::new();
    for case in cases {
        let (a, b) = (format!("{case}/before.md"), format!("{case}/after.md"));
        env.write(&a, diff_fixture(case, "before.md"));
        env.write(&b, diff_fixture(case, "after.md"));
        let r = format!("{case}.docx");
        redline(&env, &a, &b, &r);
        sides.push((a, b, r));
    }
    env.write("editions/2024-04.md", real_text());
    env.write("editions/2025-03.md", revision());
    env.ok(&["import", "editions"]);
    redline(&env, "2024-04", "2025-03", "real.docx");
    sides.push(("2024-04".into(), "2025-03".into(), "real.docx".into()));

    let mut jobs = Vec::new();
    for (_, _, r) in &sides {
        let path = env.root().join(r).display().to_string();
        for action in ["accept", "reject"] {
            jobs.push(format!("{action}:{path}:{path}.{action}ed.docx"));
        }
    }
    let out = libreoffice(&env, &jobs);
    // LibreOffice read changes in each, and left none.
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), jobs.len(), "{}", out.stdout);
    for line in &lines {
        let n: usize = line
            .split(": ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{line}"));
        assert!(n > 0, "LibreOffice read no tracked change: {line}");
        assert!(line.contains("all: 0 left"), "{line}");
    }
    for (a, b, r) in &sides {
        let accepted = differences_but_typography(&env, b, &format!("{r}.accepted.docx"));
        assert!(
            accepted.is_empty(),
            "{r} accepted by LibreOffice: {accepted:?}"
        );
        let rejected = differences_but_typography(&env, a, &format!("{r}.rejected.docx"));
        assert!(
            rejected.is_empty(),
            "{r} rejected by LibreOffice: {rejected:?}"
        );
    }

    // The comments, set aside above (see the script), LibreOffice reads
    // and saves again with the tracked changes.
    let saved = env.root().join("saved");
    let mut cmd = Command::new("soffice");
    env.hermetic(&mut cmd);
    cmd.arg(format!(
        "-env:UserInstallation=file://{}/lo-convert",
        env.root().display()
    ))
    .args([
        "--headless",
        "--norestore",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
    ])
    .arg(&saved)
    .arg(env.root().join("real.docx"));
    let out = Output::from_std(cmd.output().expect("soffice runs"));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let resaved = std::fs::read(saved.join("real.docx")).expect("LibreOffice saved it");
    let comments = part(&resaved, "word/comments.xml").expect("the comments kept");
    assert!(
        comments.contains("Moved from CTOC/COP/WG.6/2023/5"),
        "{comments}"
    );
    let accepted = differences_but_typography(&env, "2025-03", "saved/real.docx");
    assert!(accepted.is_empty(), "saved again: {accepted:?}");
}

// ---------------------------------------------------------------------------
// As a PDF
//
// `diff A B --format pdf` typesets the same redline. The tests that read
// the PDF need poppler-utils (`pdftotext`, `pdfinfo`, `pdffonts`): they
// are ignored by default, carry `poppler` in their names (`cargo test
// --test cli -- --ignored poppler`), and fail, never pass, when a tool is
// missing. Those that need no tool (the bytes,
// their reproducibility, the refusals, hostile text typesetting at all,
// `whatsnew` giving the same document) always run.
//
// The marks are read back from the PDF itself: pdftotext places every
// word (`-bbox-layout`), and each page's content stream (found through
// the page tree and inflated) draws every line; a word is struck through
// when a horizontal line crosses its middle, and underlined when one
// runs along its foot. Comparing
// with a rendering without marks would need a switch in the product for
// the tests' sake; reading the drawing needs none.

/// The fixture cases the PDF tests read, each with what its margin must
/// say.
const PDF_CASES: [(&str, &[&str]); 6] = [
    ("modified-recommendation", &["reworded"]),
    (
        "renumbered-items",
        &["renumbered from 2", "renumbered from 7"],
    ),
    (
        "moved-item",
        &[
            "Moved from CTOC/COP/WG.6/2023/5, where it was Recommendation 18",
            "Moved to CTOC/COP/WG.2/2023/4, where it is Recommendation 8",
        ],
    ),
    (
        "split-observation",
        &["Split off Observation 4", "reworded"],
    ),
    ("removed-observation", &["removed"]),
    ("new-year", &["new meeting", "added"]),
];

/// `diff FROM TO --format pdf --out NAME` in `env`: the PDF's bytes.
fn pdf_redline(env: &TestEnv, from: &str, to: &str, name: &str) -> Vec<u8> {
    let out = env.ok(&["diff", from, to, "--format", "pdf", "--out", name]);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains(&format!("Wrote {name} (")),
        "{}",
        out.stderr
    );
    std::fs::read(env.root().join(name)).expect("the PDF")
}

/// A store of a fixture case: `before.md` as edition 2024-04, `after.md`
/// as 2025-03.
fn case_store(case: &str) -> TestEnv {
    let env = TestEnv::new();
    env.write("editions/2024-04.md", diff_fixture(case, "before.md"));
    env.write("editions/2025-03.md", diff_fixture(case, "after.md"));
    env.ok(&["import", "editions"]);
    env
}

/// The hostile edition, and a revision of it whose every change holds
/// typst markup too.
fn hostile_pair() -> (String, String) {
    let before = std::fs::read_to_string(HOSTILE).expect("the hostile fixture");
    let after = replace_once(
        &before,
        "States parties should print #set text(size: 0.1pt) and $ x $",
        "States parties must print #pagebreak() #set text(size: 0.1pt) and $ y $ \\<end>",
    );
    let after = replace_once(
        &after,
        "Working Group on #set page(height: 1cm) Firearms",
        "Working Group on #set page(height: 2cm) Firearms",
    );
    let after = replace_once(
        &after,
        "- (b) \\#escaped hash and \\$escaped dollar\\$ and \\@escaped at; and\n",
        "",
    );
    let after = replace_once(&after, "- (c) `#let x", "- (b) `#let x");
    let after = replace_once(
        &after,
        "# B. Observations by the Chair",
        "### *Recommendation 3*\n\nAdded: #let y = 2 and #y and @ref and \\<label> and $#y$ and ] } ).\n\n# B. Observations by the Chair",
    );
    let after = replace_once(&after, "Vienna, April 2024", "Vienna, March 2025");
    (before, after)
}

#[test]
fn a_pdf_redline_is_the_same_bytes_every_time() {
    let env = three_editions();
    let once = env.ok(&["diff", "2024-04", "2025-06", "--format", "pdf"]);
    let bytes = &once.stdout_bytes;
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{:?}",
        &bytes[..bytes.len().min(16)]
    );
    assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"));
    // Written raw: no byte of it is escaped as text output would be.
    assert!(bytes.iter().any(|b| *b >= 0x80 || *b < 0x09));
    assert!(!bytes.windows(13).any(|w| w == b"/CreationDate"));
    let again = env.ok(&["diff", "2024-04", "latest", "--format", "pdf"]);
    assert!(again.stdout_bytes == *bytes, "a second run differs");
    // Nor does the time of the run matter.
    let mut later = env.command(&["diff", "2024-04", "2025-06", "--format", "pdf"]);
    later.env("SOURCE_DATE_EPOCH", "1900000000");
    let later = TestEnv::output(later);
    later.success();
    assert!(
        later.stdout_bytes == *bytes,
        "a run at another time differs"
    );
    assert!(pdf_redline(&env, "2024-04", "2025-06", "r.pdf") == *bytes);
    // A draft's redline is dated now, but the PDF prints no date: the
    // same draft gives the same bytes at any time.
    env.write("after.md", diff_fixture("moved-item", "after.md"));
    let draft = pdf_redline(&env, "2025-03", "after.md", "d.pdf");
    let mut later = env.command(&["diff", "2025-03", "after.md", "--format", "pdf"]);
    later.env("SOURCE_DATE_EPOCH", "1900000000");
    let later = TestEnv::output(later);
    assert!(later.success().stdout_bytes == draft);
    // Another comparison, other bytes.
    assert!(pdf_redline(&env, "2025-03", "2025-06", "o.pdf") != *bytes);
}

#[test]
fn whatsnew_as_a_document_is_the_redline_from_since_to_the_newest() {
    let env = three_editions();
    for format in ["pdf", "docx"] {
        let diff = env.ok(&["diff", "2024-04", "latest", "--format", format]);
        let whatsnew = env.ok(&["whatsnew", "--since", "2024-04", "--format", format]);
        assert!(
            whatsnew.stdout_bytes == diff.stdout_bytes,
            "whatsnew --format {format} differs from diff 2024-04 latest"
        );
        // By default, since the edition before the newest.
        let diff = env.ok(&["diff", "2025-03", "2025-06", "--format", format]);
        let out = env.ok(&["whatsnew", "--format", format, "--out", "w"]);
        assert!(out.stderr.contains("Wrote w ("), "{}", out.stderr);
        let file = std::fs::read(env.root().join("w")).expect("written");
        assert!(file == diff.stdout_bytes, "whatsnew --format {format}");
        // --stat prints text.
        let stat = env.run(&["whatsnew", "--format", format, "--stat"]);
        stat.failure();
        assert_eq!(
            stat.error_lines(),
            [format!("error: --stat prints text, not {format}")]
        );
    }
    // The text formats write to a file too.
    let text = env.ok(&["whatsnew", "--since", "2024-04"]);
    env.ok(&["whatsnew", "--since", "2024-04", "--out", "w.txt"]);
    let file = std::fs::read_to_string(env.root().join("w.txt")).expect("written");
    assert_eq!(file, text.stdout);
}

#[test]
fn a_pdf_redline_with_stat_is_refused() {
    let env = case_env("moved-item");
    let out = env.run(&[
        "diff",
        "before.md",
        "after.md",
        "--format",
        "pdf",
        "--stat",
        "--out",
        "stat.pdf",
    ]);
    out.failure();
    assert_eq!(out.error_lines(), ["error: --stat prints text, not pdf"]);
    assert_eq!(out.hint(), "hint: drop --format pdf, or drop --stat");
    assert!(!env.root().join("stat.pdf").exists());
}

#[cfg(unix)]
#[test]
fn a_pdf_redline_is_refused_on_a_terminal() {
    let env = three_editions();
    let before = env.refs_and_objects();
    for (args, hint) in [
        (
            &["diff", "2024-04", "2025-06", "--format", "pdf"][..],
            "hint: name a file: livedoc diff FROM TO --format pdf --out FILE",
        ),
        (
            &["whatsnew", "--since", "2024-04", "--format", "pdf"][..],
            "hint: name a file: livedoc whatsnew --since EDITION --format pdf --out FILE",
        ),
        (
            &["whatsnew", "--format", "docx"][..],
            "hint: name a file: livedoc whatsnew --since EDITION --format docx --out FILE",
        ),
    ] {
        let (master, slave) = pty();
        let mut cmd = env.command(args);
        cmd.stdout(slave);
        let out = TestEnv::output(cmd);
        let what = if args.contains(&"pdf") {
            "a PDF"
        } else {
            "a Word document"
        };
        assert_eq!(
            out.error_lines(),
            [format!("error: {what} is not text to print on a terminal")],
            "{}",
            out.stderr
        );
        assert_eq!(out.hint(), hint);
        out.failure();
        // Nothing reached the terminal.
        assert_eq!(pending(&master), 0);
    }
    assert_eq!(env.refs_and_objects(), before);
}

#[test]
fn hostile_text_in_a_pdf_redline_typesets() {
    let env = TestEnv::new();
    let (before, after) = hostile_pair();
    env.write("before.md", &before);
    env.write("after.md", &after);
    for (a, b) in [("before.md", "after.md"), ("after.md", "before.md")] {
        let bytes = pdf_redline(&env, a, b, "hostile.pdf");
        assert!(bytes.starts_with(b"%PDF-"));
    }
    // Everything new: the hostile edition against the real one.
    env.write("real.md", real_text());
    assert!(pdf_redline(&env, "real.md", "before.md", "all.pdf").starts_with(b"%PDF-"));
}

// --- Read back with poppler ---------------------------------------------------

/// What a diff's JSON report says was deleted and inserted: the words of
/// its word changes, the texts of items removed or added whole (a moved
/// item's at each place), the labels that changed.
fn deleted_and_inserted(view: &Value) -> (Vec<String>, Vec<String>) {
    let (mut deleted, mut inserted) = (Vec::new(), Vec::new());
    let changes = |v: &Value, deleted: &mut Vec<String>, inserted: &mut Vec<String>| {
        for c in v.as_array().into_iter().flatten() {
            let text = string(&c["text"], "a change's text");
            match c["op"].as_str() {
                Some("delete") => deleted.push(text),
                Some("insert") => inserted.push(text),
                _ => {}
            }
        }
    };
    for m in list(&view["meetings"], "meetings") {
        for i in list(&m["items"], "items") {
            let text = |field: &str| plain(i[field].as_str().unwrap_or_default());
            match i["status"].as_str() {
                Some("removed" | "merged") => deleted.push(text("old_text")),
                Some("added" | "split") => inserted.push(text("new_text")),
                // Moved to another meeting: gone whole from the old place,
                // there whole at the new.
                Some("moved") if i["changes"].as_array().is_none_or(|c| c.is_empty()) => {
                    deleted.push(text("old_text"));
                    inserted.push(text("new_text"));
                }
                _ => changes(&i["changes"], &mut deleted, &mut inserted),
            }
            if let (Some(old), Some(new)) = (i["old_label"].as_str(), i["new_label"].as_str())
                && old != new
            {
                deleted.push(old.to_string());
                inserted.push(new.to_string());
            }
        }
    }
    for s in list(&view["sections"], "sections") {
        changes(&s["changes"], &mut deleted, &mut inserted);
    }
    (deleted, inserted)
}

/// The texts of edition B (`show` of it) that its redline prints whole:
/// the front matter's titles, and the items and meetings no word of
/// which was deleted.
fn texts_of_b(show: &Value, diff: &Value) -> Vec<String> {
    let mut cut = std::collections::HashSet::new();
    for m in list(&diff["meetings"], "meetings") {
        if m["status"] != "unchanged" {
            cut.insert(string(&m["body"], "a body"));
        }
        for i in list(&m["items"], "items") {
            let deletes = i["changes"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|c| c["op"] == "delete");
            if deletes || i["old_label"] != i["new_label"] {
                cut.insert(string(&i["id"], "an id"));
            }
        }
    }
    let mut texts = Vec::new();
    for s in list(&show["front_matter"], "front_matter") {
        texts.push(string(&s["title"], "a section title"));
    }
    for p in list(&show["parts"], "parts") {
        for m in list(&p["meetings"], "meetings") {
            let body = string(&m["body"], "a meeting body");
            if !cut.contains(&body) {
                texts.push(body);
            }
            for item in list(&m["items"], "items") {
                if cut.contains(&string(&item["id"], "an id")) {
                    continue;
                }
                texts.push(plain(&string(&item["text"], "an item's text")));
                if let Some(label) = item["label"].as_str() {
                    texts.push(format!("Recommendation {label}"));
                }
            }
        }
    }
    texts
}

/// The redline of 2024-04 → 2025-03 in `env`, read back: every page
/// numbered and headed; page 1 sums up the diff by meeting; every word
/// deleted and inserted, every margin note in `notes` and every text of
/// edition B is in it. The PDF's path.
#[track_caller]
fn assert_redline_reads_back(env: &TestEnv, notes: &[&str]) -> String {
    pdf_redline(env, "2024-04", "2025-03", "redline.pdf");
    let pdf = env.root().join("redline.pdf").display().to_string();
    let pages = pages(&pdf, false);
    assert!(pages.len() > 4, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        assert_eq!(page.number, Some(i as u32 + 1), "{page:?}");
        assert!(
            page.header.as_deref().is_some_and(
                |h| h.starts_with("COMPILATION") && h.ends_with("changes since 2024-04")
            ),
            "no running header: {page:?}"
        );
    }
    // The summary: the editions, the counts, each changed meeting.
    let diff = env
        .ok(&["diff", "2024-04", "2025-03", "--format", "json"])
        .json();
    let text = env.ok(&["diff", "2024-04", "2025-03"]).stdout;
    let totals = text.lines().nth(1).expect("the summary line");
    let first = squeezed(&pages[0].body);
    for t in [
        "Changes since 2024-04",
        "2024-04 (April 2024) → 2025-03 (March 2025)",
        totals,
    ] {
        assert!(
            first.contains(&squeezed(t)),
            "{t} is not on page 1:\n{}",
            pages[0].body
        );
    }
    for m in list(&diff["meetings"], "meetings") {
        if m["status"] != "unchanged" {
            let body = string(&m["body"], "a body");
            assert!(
                first.contains(&squeezed(&body)),
                "{body} is not on page 1:\n{}",
                pages[0].body
            );
        }
    }
    // Every change, deleted text as extractable as the rest; the margin.
    let all = squeezed(&body_text(&pages[1..]));
    let (deleted, inserted) = deleted_and_inserted(&diff);
    assert!(!deleted.is_empty() || !inserted.is_empty());
    for t in deleted
        .iter()
        .chain(&inserted)
        .map(String::as_str)
        .chain(notes.iter().copied())
    {
        assert!(all.contains(&squeezed(t)), "not in the redline: {t}");
    }
    // Edition B.
    let show = env.show_json("2025-03");
    let missing: Vec<String> = texts_of_b(&show, &diff)
        .into_iter()
        .filter(|t| !all.contains(&squeezed(t)))
        .collect();
    assert!(missing.is_empty(), "not in the redline: {missing:#?}");
    pdf
}

#[test]
#[ignore = "needs poppler-utils: cargo test -- --ignored poppler"]
fn poppler_the_redline_of_each_fixture_case_shows_its_changes() {
    for (case, notes) in PDF_CASES {
        let env = case_store(case);
        assert_redline_reads_back(&env, notes);
    }
}

#[test]
#[ignore = "needs poppler-utils: cargo test -- --ignored poppler"]
fn poppler_the_redline_of_the_real_edition_and_a_revision_shows_its_changes() {
    let env = TestEnv::new();
    env.write("editions/2024-04.md", real_text());
    env.write("editions/2025-03.md", revision());
    env.ok(&["import", "editions"]);
    let pdf = assert_redline_reads_back(
        &env,
        &[
            "Moved here with its items from its place among the meetings of 2022",
            "Moved with its items: see its new place",
            "Moved from CTOC/COP/WG.6/2023/5, where it was Recommendation 18",
            "Moved to CTOC/COP/WG.2/2023/4, where it is Recommendation 8",
            "renumbered from 15",
            "renumbered from 16",
            "Split off Observation 4",
            "Observation 4 was merged into this one",
            "renamed from Working Group on Firearms",
            "revised",
        ],
    );
    // The contents come after the summary, with the page of each heading.
    let pages = pages(&pdf, false);
    assert!(
        pages[1].body.starts_with("Table of Contents"),
        "{:?}",
        pages[1]
    );
    // The same as a draft against the stored edition: the names differ,
    // the changes do not.
    let draft = env.write("draft.md", revision());
    env.ok(&[
        "diff", "2024-04", &draft, "--format", "pdf", "--out", "d.pdf",
    ]);
    let d = pages_text(&env.root().join("d.pdf").display().to_string());
    let s = pages_text(&pdf);
    assert_eq!(
        d.replace("draft.md", "2025-03")
            .replace("changes since 2024-04", ""),
        s.replace("changes since 2024-04", "")
    );
}

/// The whole text of a PDF, its running headers' titles set aside.
fn pages_text(pdf: &str) -> String {
    pages(pdf, false)
        .iter()
        .map(|p| format!("{}\n{}", p.body, p.number.unwrap_or(0)))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
#[ignore = "needs poppler-utils: cargo test -- --ignored poppler"]
fn poppler_a_pdf_redline_is_tagged_titled_english_and_embeds_its_fonts() {
    let env = case_store("new-year");
    pdf_redline(&env, "2024-04", "2025-03", "r.pdf");
    let pdf = env.root().join("r.pdf").display().to_string();
    let title = string(&env.show_json("2025-03")["metadata"]["title"], "title");
    assert_tagged_english_a4_embedded(
        &pdf,
        &format!("{title} (changes since 2024-04)"),
        &[
            "H1", "H2", "H3", "H4", "L", "LI", "Lbl", "TOC", "TOCI", "Link",
        ],
    );
}

#[test]
#[ignore = "needs poppler-utils: cargo test -- --ignored poppler"]
fn poppler_typst_markup_in_a_redline_prints_as_written() {
    let env = TestEnv::new();
    let (before, after) = hostile_pair();
    env.write("before.md", &before);
    env.write("after.md", &after);
    pdf_redline(&env, "before.md", "after.md", "h.pdf");
    let pdf = env.root().join("h.pdf").display().to_string();
    let text = squeezed(&poppler("pdftotext", &["-raw", &pdf, "-"]));
    for literal in [
        // Deleted and inserted words side by side: "should must", "x y".
        "States parties should must print #pagebreak() #set text(size: 0.1pt) and $ x y $ <end>",
        "#set page(height: 2cm)",
        "(b) #escaped hash and $escaped dollar$ and @escaped at; and",
        "Added: #let y = 2 and #y and @ref and <label> and $#y$ and ] } ).",
        "#set text(size: 1pt) $x$ @ref <b>",
    ] {
        assert!(
            text.contains(&squeezed(literal)),
            "not printed as written: {literal}"
        );
    }
    let info = poppler("pdfinfo", &[&pdf]);
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
}

/// A word as pdftotext places it: its page (from 1), its box (in points
/// from the page's top left) and its text.
#[derive(Debug)]
struct Word {
    page: usize,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

/// Every word of a PDF, in reading order.
fn words(pdf: &str) -> (Vec<Word>, Vec<f64>) {
    let xml = poppler("pdftotext", &["-bbox-layout", pdf, "-"]);
    let page_re = Regex::new(r#"<page width="[\d.]+" height="([\d.]+)">"#).expect("a regex");
    let word_re = Regex::new(
        r#"<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>"#,
    )
    .expect("a regex");
    let (mut out, mut heights) = (Vec::new(), Vec::new());
    for (k, chunk) in xml.split("<page ").skip(1).enumerate() {
        let chunk = format!("<page {chunk}");
        let height = page_re.captures(&chunk).expect("a page")[1]
            .parse()
            .expect("a height");
        heights.push(height);
        for c in word_re.captures_iter(&chunk) {
            let n = |i: usize| c[i].parse::<f64>().expect("a number");
            out.push(Word {
                page: k + 1,
                x0: n(1),
                y0: n(2),
                x1: n(3),
                y1: n(4),
                text: c[5]
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'")
                    .replace("&amp;", "&"),
            });
        }
    }
    (out, heights)
}

/// Each page's content, inflated, in page order: the page tree's kids
/// (typst writes one `/Pages` node of `/Page` objects, each with one
/// content stream, as plain objects).
fn page_contents(pdf: &[u8]) -> Vec<Vec<u8>> {
    use regex::bytes::Regex;
    use std::io::Read as _;
    let number = |b: &[u8]| -> usize {
        std::str::from_utf8(b)
            .expect("digits")
            .parse()
            .expect("a number")
    };
    let object = |n: usize| -> &[u8] {
        let head = Regex::new(&format!(r"(?m)^{n} 0 obj\b")).expect("a regex");
        let start = head
            .find(pdf)
            .unwrap_or_else(|| panic!("no object {n}"))
            .end();
        let len = pdf[start..]
            .windows(6)
            .position(|w| w == b"endobj")
            .expect("its end");
        &pdf[start..start + len]
    };
    let kids = Regex::new(r"/Type\s*/Pages\b[^>]*?/Kids\s*\[([^\]]*)\]").expect("a regex");
    let reference = Regex::new(r"(\d+) 0 R").expect("a regex");
    let contents = Regex::new(r"/Contents\s*(\d+) 0 R").expect("a regex");
    let list = &kids.captures(pdf).expect("a page tree")[1];
    reference
        .captures_iter(list)
        .map(|page| {
            let page = object(number(&page[1]));
            assert!(
                !page.windows(11).any(|w| w == b"/Type/Pages"),
                "a nested page tree"
            );
            let c = contents.captures(page).expect("a page's content stream");
            let stream = object(number(&c[1]));
            let start = stream
                .windows(6)
                .position(|w| w == b"stream")
                .expect("a stream")
                + 6;
            let data = stream[start..]
                .strip_prefix(b"\r\n")
                .or_else(|| stream[start..].strip_prefix(b"\n"))
                .expect("a stream's data");
            let mut inflated = Vec::new();
            flate2::read::ZlibDecoder::new(data)
                .read_to_end(&mut inflated)
                .expect("a deflated content stream");
            inflated
        })
        .collect()
}

/// The horizontal lines a page's content draws, each as its left and
/// right end and its height, in points from the page's top left: read
/// for `q a b c d e f cm … x0 y0 m x1 y1 l S`, the path typst writes a
/// line as.
fn lines(content: &[u8], height: f64) -> Vec<(f64, f64, f64)> {
    let line = Regex::new(
        r"q (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) cm[^Q]*? (-?[\d.]+) (-?[\d.]+) m (-?[\d.]+) (-?[\d.]+) l\s*S",
    )
    .expect("a regex");
    let content = String::from_utf8_lossy(content);
    let mut out = Vec::new();
    for c in line.captures_iter(&content) {
        let v: Vec<f64> = (1..=10).map(|i| c[i].parse().expect("a number")).collect();
        let (a, b, cc, d, e, f) = (v[0], v[1], v[2], v[3], v[4], v[5]);
        let at = |x: f64, y: f64| (a * x + cc * y + e, b * x + d * y + f);
        let (x0, y0) = at(v[6], v[7]);
        let (x1, y1) = at(v[8], v[9]);
        if (y0 - y1).abs() < 0.01 {
            out.push((x0.min(x1), x0.max(x1), height - y0));
        }
    }
    out
}

/// The words of a PDF's body (below the running header) that a line
/// strikes through, and those a line underlines, each in reading order,
/// joined.
fn marked_words(pdf: &str) -> (String, String, String) {
    let (words, heights) = words(pdf);
    let contents = page_contents(&std::fs::read(pdf).expect("the PDF"));
    assert_eq!(contents.len(), heights.len(), "a content stream per page");
    let lines: Vec<Vec<(f64, f64, f64)>> = contents
        .iter()
        .zip(&heights)
        .map(|(c, h)| lines(c, *h))
        .collect();
    let (mut struck, mut underlined, mut plain_words) =
        (String::new(), String::new(), String::new());
    for w in &words {
        // The running header stands above the top margin (2.8 cm).
        if w.y0 < 2.8 / 2.54 * 72.0 - 5.0 {
            continue;
        }
        let lines = &lines[w.page - 1];
        let h = w.y1 - w.y0;
        let centre = (w.x0 + w.x1) / 2.0;
        let across = |lo: f64, hi: f64| {
            lines
                .iter()
                .any(|&(x0, x1, y)| x0 <= centre && centre <= x1 && lo <= y && y <= hi)
        };
        if across(w.y0 + 0.3 * h, w.y0 + 0.72 * h) {
            struck.push_str(&w.text);
        } else if across(w.y0 + 0.72 * h, w.y1 + 1.5) {
            underlined.push_str(&w.text);
        } else {
            plain_words.push_str(&w.text);
        }
    }
    (struck, underlined, plain_words)
}

#[test]
#[ignore = "needs poppler-utils: cargo test -- --ignored poppler"]
fn poppler_deleted_words_are_struck_through_and_inserted_words_underlined() {
    let label = Regex::new(r"^(Recommendation\d*)?$").expect("a regex");
    for case in ["modified-recommendation", "renumbered-items", "moved-item"] {
        let env = case_store(case);
        pdf_redline(&env, "2024-04", "2025-03", "r.pdf");
        let pdf = env.root().join("r.pdf").display().to_string();
        let (struck, underlined, kept) = marked_words(&pdf);
        let diff = env
            .ok(&["diff", "2024-04", "2025-03", "--format", "json"])
            .json();
        let (deleted, inserted) = deleted_and_inserted(&diff);
        for d in &deleted {
            assert!(
                struck.contains(&squeezed(d)),
                "{case}: not struck through: {d}\nstruck: {struck}"
            );
        }
        for i in &inserted {
            assert!(
                underlined.contains(&squeezed(i)),
                "{case}: not underlined: {i}\nunderlined: {underlined}"
            );
        }
        // Nothing else is marked but the date on the title page, the
        // legend's samples and the label of a moved item's heading.
        let only = |marked: &str, first: &str, changes: &[String]| {
            let mut rest = marked
                .strip_prefix(first)
                .unwrap_or_else(|| panic!("{case}: {marked}"))
                .to_string();
            for c in changes {
                rest = rest.replacen(&squeezed(c), "", 1);
            }
            assert!(
                label.is_match(&rest),
                "{case}: marked beyond the changes: {rest}"
            );
        };
        only(&struck, "April2024deletedtextstruckthrough,", &deleted);
        only(&underlined, "March2025insertedtextunderlined,", &inserted);
        // What stayed is neither: each run of words a change left alone.
        for m in list(&diff["meetings"], "meetings") {
            for i in list(&m["items"], "items") {
                for c in i["changes"].as_array().into_iter().flatten() {
                    let text = squeezed(&string(&c["text"], "a change's text"));
                    if c["op"] == "equal" && text.len() > 20 {
                        assert!(kept.contains(&text), "{case}: not kept: {text}");
                        assert!(
                            !struck.contains(&text) && !underlined.contains(&text),
                            "{case}: marked, but kept: {text}"
                        );
                    }
                }
            }
        }
        assert!(kept.contains("Recommendation"), "{case}");
    }
}
