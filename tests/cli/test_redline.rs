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
