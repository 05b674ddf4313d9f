//! The importer against the real April 2024 edition and against each quirk
//! of its layout, one small document per quirk.

use super::*;
use crate::model::ItemKind;

const REAL: &str = include_str!("../../editions/2024-04.md");

fn opts() -> ParseOptions {
    ParseOptions {
        id: EditionId::new("t").expect("valid id"),
        date: None,
        rules: Default::default(),
    }
}

fn parse_ok(src: &str) -> Parsed {
    match parse(src.as_bytes(), "doc.md", &opts()) {
        Ok(p) => p,
        Err(e) => panic!("expected the document to import, got:\n{e}"),
    }
}

fn parse_err(src: &str) -> ParseError {
    match parse(src.as_bytes(), "doc.md", &opts()) {
        Ok(p) => panic!("expected an error, got {:#?}", p.edition),
        Err(e) => e,
    }
}

fn codes(ds: &[Diagnostic]) -> Vec<(&'static str, Option<usize>)> {
    ds.iter().map(|d| (d.code.as_str(), d.line)).collect()
}

/// A minimal document around a body.
fn doc(body: &str) -> String {
    format!("# COMPILATION (SYNTHETIC)\n\nVienna, April 2024\n\n---\n\n{body}")
}

#[test]
fn real_edition_has_the_published_shape() {
    let p = parse_ok(REAL);
    let e = &p.edition;
    assert_eq!(e.parts.len(), 2);
    let a = &e.parts[0];
    let b = &e.parts[1];
    assert_eq!((a.key.as_str(), b.key.as_str()), ("A", "B"));
    let counts = |p: &Part| p.meetings.iter().map(|m| m.items.len()).collect::<Vec<_>>();
    assert_eq!(counts(a), vec![1, 1, 2, 6, 4, 2]);
    assert_eq!(counts(b), vec![4, 5, 5, 7]);
    assert!(
        a.meetings
            .iter()
            .flat_map(|m| &m.items)
            .all(|i| i.kind == ItemKind::Recommendation)
    );
    assert!(
        b.meetings
            .iter()
            .flat_map(|m| &m.items)
            .all(|i| i.kind == ItemKind::Observation)
    );
    assert_eq!(e.counts().recommendations, 16);
    assert_eq!(e.counts().observations, 21);

    let tip = b
        .meetings
        .iter()
        .find(|m| m.body == "Constructive Dialogue on Trafficking in Persons")
        .expect("the dialogue is there");
    let labels: Vec<&str> = tip.items[0]
        .subitems
        .iter()
        .map(|s| s.label.as_str())
        .collect();
    assert_eq!(
        labels,
        vec!["(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)"]
    );
    assert!(
        tip.items[0].subitems[6]
            .text
            .starts_with("addressing the root causes")
    );
    assert_eq!(
        tip.items[1].id,
        "B/2023/constructive-dialogue-on-trafficking-in-persons#o2"
    );

    assert_eq!(e.date.to_string(), "2024-04");
    assert_eq!(e.place.as_deref(), Some("Vienna"));
    assert!(
        e.title
            .starts_with("COMPILATION OF RECOMMENDATIONS ON THE UNTOC REVIEW MECHANISM")
    );
    let titles: Vec<&str> = e.front_matter.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        vec!["Guidance for Readers", "Background on the Review Mechanism"]
    );
    assert_eq!(
        e.contact.as_deref(),
        Some("[untoc.review@un.org](mailto:untoc.review@un.org)")
    );
}

#[test]
fn real_edition_meetings_keys_symbols_and_sources() {
    let e = parse_ok(REAL).edition;
    let a: Vec<(&str, i32, Option<&str>)> = e.parts[0]
        .meetings
        .iter()
        .map(|m| (m.key.as_str(), m.year, m.symbol.as_deref()))
        .collect();
    assert_eq!(
        a,
        vec![
            ("CTOC/COP/WG.4/2022/4", 2022, Some("CTOC/COP/WG.4/2022/4")),
            ("CTOC/COP/WG.7/2022/4", 2022, Some("CTOC/COP/WG.7/2022/4")),
            ("CTOC/COP/WG.6/2023/5", 2023, Some("CTOC/COP/WG.6/2023/5")),
            ("CTOC/COP/WG.2/2023/4", 2023, Some("CTOC/COP/WG.2/2023/4")),
            ("CTOC/COP/WG.3/2023/4", 2023, Some("CTOC/COP/WG.3/2023/4")),
            ("CTOC/COP/WG.7/2023/5", 2023, Some("CTOC/COP/WG.7/2023/5")),
        ]
    );
    // The symbol is a link in most headings, bare text in the last one.
    assert_eq!(e.parts[0].meetings[0].link.as_deref(), Some("#"));
    assert_eq!(e.parts[0].meetings[5].link, None);
    let ic = &e.parts[0].meetings[4];
    let labels: Vec<_> = ic.items.iter().map(|i| i.label.as_deref()).collect();
    assert_eq!(
        labels,
        vec![Some("(l)"), Some("(m)"), Some("(n)"), Some("(o)")]
    );
    assert_eq!(ic.items[0].id, "CTOC/COP/WG.3/2023/4#(l)");
    for m in &e.parts[1].meetings {
        assert_eq!(m.symbol, None);
        assert_eq!(m.source.as_deref(), Some("Summary by the Chair"));
        assert_eq!(m.kind, MeetingKind::ConstructiveDialogue);
        assert!(m.key.starts_with("B/2023/constructive-dialogue-on-"));
    }
}

#[test]
fn real_edition_text_is_kept_exactly() {
    let e = parse_ok(REAL).edition;
    let o = &e.parts[0].meetings[4].items[3];
    assert_eq!(o.label.as_deref(), Some("(o)"));
    // No final full stop in the published text; it is not added.
    assert!(o.text.ends_with("Organized Crime Convention"));
    let tip = &e.parts[1].meetings[2].items[0];
    assert!(tip.subitems[3].text.contains("law 7/7 enforcement"));
    assert!(e.parts[0].meetings[3].items[2].text.contains("“RevMod”"));
}

#[test]
fn real_edition_warns_about_its_artefacts_on_their_lines() {
    let p = parse_ok(REAL);
    assert_eq!(
        codes(&p.warnings),
        vec![("page-artefact", Some(220)), ("split-list", Some(225))]
    );
    let line = |n: usize| REAL.lines().nth(n - 1).expect("line exists");
    assert!(line(220).contains("7/7"));
    assert!(line(225).starts_with("(f)"));
}

#[test]
fn real_edition_lines_of_meetings_and_items() {
    let p = parse_ok(REAL);
    assert_eq!(p.lines.get("CTOC/COP/WG.4/2022/4"), Some(&95));
    assert_eq!(p.lines.get("CTOC/COP/WG.4/2022/4#14"), Some(&97));
    assert_eq!(p.lines.get("CTOC/COP/WG.2/2023/4#6"), Some(&141));
}

#[test]
fn year_markers_as_plain_lines_or_headings() {
    let p = parse_ok(&doc(
        "# A. Recommendations\n\n2022\n\n## WG on X (CTOC/COP/WG.1/2022/1)\n\n### Recommendation 1\n\nText one.\n\n# 2023\n\n## WG on Y (CTOC/COP/WG.1/2023/1)\n\n### Recommendation 2\n\nText two.\n\n### 2024\n\n## WG on Z (CTOC/COP/WG.1/2024/1)\n\n### Recommendation 3\n\nText three.\n",
    ));
    let years: Vec<i32> = p.edition.meetings().map(|m| m.year).collect();
    assert_eq!(years, vec![2022, 2023, 2024]);
}

#[test]
fn meeting_headings_at_any_level_with_any_emphasis() {
    let variants = [
        "## **Working Group on X** ([CTOC/COP/WG.1/2022/1](#))",
        "### **Working Group on X ([CTOC/COP/WG.1/2022/1](#))**",
        "#### *Working Group on X* (CTOC/COP/WG.1/2022/1)",
        "## **Working Group on X (CTOC/COP/WG.1/2022/1)**",
        "### Working Group on X ([CTOC/COP/WG.1/2022/1](http://undocs.org/x))",
        "## ***Working Group on X*** ([CTOC/COP/WG.1/2022/1](#))",
    ];
    for heading in variants {
        let p = parse_ok(&doc(&format!(
            "# A. Recommendations\n\n2022\n\n{heading}\n\n#### *Recommendation 14*\n\nText.\n"
        )));
        let m = p.edition.meetings().next().expect("one meeting");
        assert_eq!(m.body, "Working Group on X", "{heading}");
        assert_eq!(
            m.symbol.as_deref(),
            Some("CTOC/COP/WG.1/2022/1"),
            "{heading}"
        );
        assert_eq!(m.key, "CTOC/COP/WG.1/2022/1");
        assert_eq!(m.items[0].label.as_deref(), Some("14"));
    }
}

#[test]
fn recommendation_headings_with_or_without_emphasis() {
    for h in [
        "### *Recommendation 14*",
        "#### Recommendation 14",
        "## **Recommendation 14**",
        "*Recommendation 14*",
    ] {
        let p = parse_ok(&doc(&format!(
            "# A. Recommendations\n\n2022\n\n## WG (CTOC/COP/WG.1/2022/1)\n\n{h}\n\nText.\n"
        )));
        let item = &p.edition.parts[0].meetings[0].items[0];
        assert_eq!(item.label.as_deref(), Some("14"), "{h}");
        assert_eq!(item.text, "Text.", "{h}");
        assert_eq!(item.kind, ItemKind::Recommendation);
    }
}

#[test]
fn table_of_contents_is_checked_against_the_body() {
    let src = "# COMPILATION (SYNTHETIC)\n\nVienna, April 2024\n\n---\n\n# Table of Contents\n\nGuidance .....\t2\n<b>A. Recommendations .....</b>\t<b>4</b>\n2022: WG on X .....\t4\n2022: WG on Nothing .....\t5\n2021: WG on Y .....\t5\n\n# Guidance\n\nSome prose.\n\n# A. Recommendations\n\n2022\n\n## WG on X (CTOC/COP/WG.1/2022/1)\n\n### Recommendation 1\n\nText.\n\n## WG on Y (CTOC/COP/WG.1/2022/2)\n\n### Recommendation 2\n\nText.\n\n## WG on Z (CTOC/COP/WG.1/2022/3)\n\n### Recommendation 3\n\nText.\n";
    let p = parse_ok(src);
    assert_eq!(
        codes(&p.warnings),
        vec![
            ("toc-extra", Some(12)),
            ("toc-mismatch", Some(13)),
            ("toc-missing", Some(35)),
        ]
    );
    assert!(p.warnings[1].message.contains("under 2021"));
    // The table of contents is never stored as content.
    assert_eq!(p.edition.front_matter.len(), 1);
    assert_eq!(p.edition.front_matter[0].body, "Some prose.");
}

#[test]
fn sub_lists_split_by_a_page_break_stay_with_their_item() {
    let src = doc(
        "# B. Observations\n\n2023\n\n## Constructive Dialogue on X ([Summary by the Chair](#))\n\nStates are encouraged, among others:\n\n- (a) one;\n- (b) two;\n\n\n\n(c) three; and\n\n(d) four.\n\nA second observation.\n",
    );
    let p = parse_ok(&src);
    let m = &p.edition.parts[0].meetings[0];
    assert_eq!(m.items.len(), 2);
    let labels: Vec<&str> = m.items[0]
        .subitems
        .iter()
        .map(|s| s.label.as_str())
        .collect();
    assert_eq!(labels, vec!["(a)", "(b)", "(c)", "(d)"]);
    assert_eq!(m.items[0].subitems[3].text, "four.");
    assert_eq!(m.items[1].text, "A second observation.");
    assert_eq!(codes(&p.warnings), vec![("split-list", Some(20))]);
}

#[test]
fn trailing_contact_line_is_not_an_observation() {
    let p = parse_ok(&doc(
        "# B. Observations\n\n2023\n\n## Constructive Dialogue on X\n\nOne.\n\n---\n\n[a@b.org](mailto:a@b.org)\n",
    ));
    assert_eq!(p.edition.parts[0].meetings[0].items.len(), 1);
    assert_eq!(
        p.edition.contact.as_deref(),
        Some("[a@b.org](mailto:a@b.org)")
    );
}

#[test]
fn crlf_lone_cr_and_byte_order_mark_are_read() {
    let base = doc("# B. Observations\n\n2023\n\n## Constructive Dialogue on X\n\nOne.\n\nTwo.\n");
    let expected = parse_ok(&base).edition;
    for variant in [
        base.replace('\n', "\r\n"),
        base.replace('\n', "\r"),
        format!("\u{feff}{base}"),
    ] {
        assert_eq!(parse_ok(&variant).edition, expected);
    }
}

#[test]
fn empty_file_is_an_error() {
    for src in ["", "  \n\n"] {
        let e = parse_err(src);
        assert_eq!(codes(&e.errors), vec![("empty", None)]);
    }
}

#[test]
fn binary_and_non_utf8_input_are_errors_with_lines() {
    let e = parse(b"# T\n\nx\0y", "doc.md", &opts()).expect_err("binary");
    assert_eq!(codes(&e.errors), vec![("binary", Some(3))]);
    let e = parse(b"# T\n\n\xff\xfe", "doc.md", &opts()).expect_err("latin-1");
    assert_eq!(codes(&e.errors), vec![("encoding", Some(3))]);
    assert_eq!(
        e.to_string(),
        "doc.md:3: the file is not UTF-8 text (invalid byte at offset 5)"
    );
}

#[test]
fn a_document_without_parts_is_an_error() {
    let e = parse_err("# Title\n\nVienna, April 2024\n\n# Guidance\n\nProse only.\n");
    assert_eq!(codes(&e.errors), vec![("no-parts", None)]);
    assert!(e.errors.iter().any(|d| {
        d.hint
            .as_deref()
            .is_some_and(|h| h.contains("# A. Recommendations"))
    }));
}

#[test]
fn an_item_before_any_meeting_is_an_error() {
    let e = parse_err(&doc(
        "# A. Recommendations\n\n2022\n\nA stray recommendation.\n\n## WG (CTOC/COP/WG.1/2022/1)\n\n### Recommendation 1\n\nText.\n",
    ));
    assert_eq!(codes(&e.errors), vec![("item-outside-meeting", Some(11))]);
    assert!(
        e.to_string()
            .starts_with("doc.md:11: text comes before any meeting heading")
    );
    let e = parse_err(&doc(
        "# A. Recommendations\n\n2022\n\n### Recommendation 1\n\nText.\n",
    ));
    assert_eq!(codes(&e.errors), vec![("item-outside-meeting", Some(11))]);
}

#[test]
fn a_repeated_label_is_an_error_naming_both_lines() {
    let e = parse_err(&doc(
        "# A. Recommendations\n\n2023\n\n## WG (CTOC/COP/WG.2/2023/4)\n\n### Recommendation 4\n\nOne.\n\n### Recommendation 4\n\nTwo.\n",
    ));
    assert_eq!(codes(&e.errors), vec![("label-repeated", Some(17))]);
    assert_eq!(
        e.to_string(),
        "doc.md:17: recommendation label \"4\" repeats in CTOC/COP/WG.2/2023/4 (first at line 13)"
    );
}

#[test]
fn a_missing_date_is_an_error_unless_given() {
    let src = "# T\n\n---\n\n# A. Recommendations\n\n2022\n\n## WG (CTOC/COP/WG.1/2022/1)\n\n### Recommendation 1\n\nText.\n";
    let e = parse_err(src);
    assert_eq!(codes(&e.errors), vec![("no-date", None)]);
    let mut o = opts();
    o.date = EditionDate::parse("2025-03");
    let p = parse(src.as_bytes(), "doc.md", &o).expect("the flag supplies the date");
    assert_eq!(p.edition.date.to_string(), "2025-03");
}

#[test]
fn a_date_flag_that_disagrees_is_reported_and_wins() {
    let mut o = opts();
    o.date = EditionDate::parse("2024-05-02");
    let p = parse(REAL.as_bytes(), "doc.md", &o).expect("imports");
    assert_eq!(p.edition.date.to_string(), "2024-05-02");
    let w = p
        .warnings
        .iter()
        .find(|w| w.code == "date-mismatch")
        .expect("reported");
    assert_eq!(w.line, Some(26));
}

#[test]
fn truncated_documents_never_panic() {
    // Every cut point on a character boundary, every 37 bytes.
    let mut cut = 0;
    while cut < REAL.len() {
        if REAL.is_char_boundary(cut) {
            let _ = parse(&REAL.as_bytes()[..cut], "doc.md", &opts());
        }
        cut += 37;
    }
}

#[test]
fn markdown_output_imports_to_the_same_model() {
    let e = parse_ok(REAL).edition;
    let mut out = Vec::new();
    crate::render::markdown::render(&e, &mut out).expect("writes to memory");
    let again = parse(&out, "regenerated.md", &opts()).expect("regenerated document imports");
    assert_eq!(again.edition, e);
    assert!(
        again
            .warnings
            .iter()
            .all(|w| w.code != "toc-extra" && w.code != "toc-missing")
    );
}

/// Generated editions: render them as Markdown, import the result, and
/// get the same model back.
mod roundtrip {
    use proptest::prelude::*;

    use super::*;
    use crate::testgen::edition;

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: Some(Box::new(
                proptest::test_runner::FileFailurePersistence::WithSource("regressions"),
            )),
            ..ProptestConfig::default()
        })]

        #[test]
        fn render_then_parse_is_identity(e in edition()) {
            let mut out = Vec::new();
            crate::render::markdown::render(&e, &mut out).expect("writes to memory");
            let text = String::from_utf8(out).expect("UTF-8");
            let parsed = parse(text.as_bytes(), "gen.md", &opts());
            let parsed = match parsed {
                Ok(p) => p,
                Err(err) => return Err(TestCaseError::fail(format!("{err}\n---\n{text}"))),
            };
            prop_assert_eq!(&parsed.edition, &e, "document:\n{}", text);
            prop_assert!(parsed.warnings.iter().all(|w| !w.code.is_toc()), "{:?}", parsed.warnings);
        }
    }
}

/// A recommendation and an observation each cut mid-sentence by a page
/// break, as a PDF conversion leaves them.
const PAGE_BREAK: &str = "# A. Recommendations\n\n2023\n\n\
## **Working Group on Firearms** ([CTOC/COP/WG.6/2023/5](#))\n\n\
### *Recommendation 17*\n\n\
States parties are encouraged to share their experiences\n\n\
with the Implementation Review Mechanism.\n\n\
# B. Observations by the Chair\n\n2023\n\n\
## **Constructive Dialogue on International Cooperation** ([Summary by the Chair](#))\n\n\
States should strengthen capacity-building in\n\n\
international cooperation and provide technical support.\n\n\
States should use the tools developed by UNODC.\n";

#[test]
fn a_paragraph_cut_by_a_page_break_is_joined_with_a_warning() {
    let p = parse_ok(&doc(PAGE_BREAK));
    let rec = &p.edition.parts[0].meetings[0].items[0];
    assert_eq!(
        rec.text,
        "States parties are encouraged to share their experiences with the Implementation Review Mechanism."
    );
    let obs = &p.edition.parts[1].meetings[0].items;
    assert_eq!(obs.len(), 2, "no phantom observation: {obs:#?}");
    assert_eq!(
        obs[0].text,
        "States should strengthen capacity-building in international cooperation and provide technical support."
    );
    let joined: Vec<_> = codes(&p.warnings)
        .into_iter()
        .filter(|(c, _)| *c == "page-break-paragraph")
        .collect();
    // The lines of the continuations, in the document around the body.
    let src = doc(PAGE_BREAK);
    let line_of = |s: &str| {
        src.lines()
            .position(|l| l.starts_with(s))
            .map(|i| i + 1)
            .expect("present")
    };
    assert_eq!(
        joined,
        vec![
            (
                "page-break-paragraph",
                Some(line_of("with the Implementation"))
            ),
            (
                "page-break-paragraph",
                Some(line_of("international cooperation"))
            ),
        ]
    );
}

#[test]
fn a_new_sentence_or_a_finished_one_is_not_joined() {
    // Ends with a full stop; starts in upper case: two paragraphs stay two.
    let body = "# B. Observations by the Chair\n\n2023\n\n\
## **Constructive Dialogue on Firearms** ([Summary by the Chair](#))\n\n\
States should act.\n\nand then more.\n\n\
States should act now\n\nStates should act later.\n";
    let p = parse_ok(&doc(body));
    assert_eq!(p.edition.parts[0].meetings[0].items.len(), 4);
    assert!(
        !codes(&p.warnings)
            .iter()
            .any(|(c, _)| *c == "page-break-paragraph")
    );
}

#[test]
fn rules_1_keep_reading_a_page_break_as_they_did() {
    // verify re-imports editions cut under rules 1 with rules 1: the
    // phantom observation they made must still be made.
    let p = parse(
        doc(PAGE_BREAK).as_bytes(),
        "doc.md",
        &ParseOptions {
            rules: crate::rules::Rules::V1,
            ..opts()
        },
    )
    .expect("imports");
    assert_eq!(p.edition.parts[1].meetings[0].items.len(), 3);
    assert_eq!(
        p.edition.parts[0].meetings[0].items[0].text,
        "States parties are encouraged to share their experiences\n\nwith the Implementation Review Mechanism."
    );
}

/// Two Constructive Dialogues of one body in one year: a resumed session.
const RESUMED: &str = "# B. Observations by the Chair\n\n2023\n\n\
## **Constructive Dialogue on Firearms** ([Summary by the Chair](#))\n\n\
States should act on firearms.\n\n\
## **Constructive Dialogue on Firearms** ([Summary by the Chair](#))\n\n\
States should act again on firearms.\n";

#[test]
fn a_resumed_dialogue_is_a_meeting_of_its_own_with_a_warning() {
    let p = parse_ok(&doc(RESUMED));
    let keys: Vec<&str> = p.edition.meetings().map(|m| m.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "B/2023/constructive-dialogue-on-firearms",
            "B/2023/constructive-dialogue-on-firearms-2"
        ]
    );
    let ids: Vec<&str> = p
        .edition
        .meetings()
        .flat_map(|m| m.items.iter().map(|i| i.id.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            "B/2023/constructive-dialogue-on-firearms#o1",
            "B/2023/constructive-dialogue-on-firearms-2#o1"
        ]
    );
    assert!(
        codes(&p.warnings)
            .iter()
            .any(|(c, _)| *c == "meeting-resumed")
    );
}

/// Sessions are numbered in order, skipping a key another meeting already
/// holds, however many there are (the search does not start over at 2 for
/// each one: 5,000 sessions parse at once).
#[test]
fn many_resumed_sessions_take_the_next_free_number_each() {
    let mut body = String::from("# B. Observations by the Chair\n\n2023\n\n");
    // A meeting whose own key is what the third session would take.
    body.push_str(
        "## **Constructive Dialogue on Firearms-3** ([Summary by the Chair](#))\n\nA text.\n\n",
    );
    for n in 0..5_000 {
        body.push_str(&format!(
            "## **Constructive Dialogue on Firearms** ([Summary by the Chair](#))\n\nStates should act {n}.\n\n"
        ));
    }
    let p = parse_ok(&doc(&body));
    let keys: Vec<&str> = p.edition.meetings().map(|m| m.key.as_str()).collect();
    assert_eq!(keys.len(), 5_001);
    let base = "B/2023/constructive-dialogue-on-firearms";
    assert_eq!(keys[0], format!("{base}-3"));
    assert_eq!(keys[1], base);
    assert_eq!(keys[2], format!("{base}-2"));
    assert_eq!(keys[3], format!("{base}-4"), "-3 is taken");
    assert_eq!(keys[5_000], format!("{base}-5001"));
}

#[test]
fn rules_1_refused_a_resumed_dialogue() {
    let e = parse(
        doc(RESUMED).as_bytes(),
        "doc.md",
        &ParseOptions {
            rules: crate::rules::Rules::V1,
            ..opts()
        },
    )
    .expect_err("rules 1 refused it");
    assert!(
        codes(&e.errors)
            .iter()
            .any(|(c, _)| *c == "meeting-repeated")
    );
}

#[test]
fn ids_that_would_collide_are_minted_as_the_import_gives_them() {
    for body in [
        "States should act.\n\nObservation o1\n\nStates should act again.\n\nStates should act thrice.\n",
        "Observation o1\n\nStates should act.\n\nStates should act again.\n\nStates should act thrice.\n",
    ] {
        let src = doc(&format!(
            "# B. Observations by the Chair\n\n2023\n\n## **Constructive Dialogue on Firearms** ([Summary by the Chair](#))\n\n{body}"
        ));
        let p = parse_ok(&src);
        let parsed: Vec<String> = p
            .edition
            .meetings()
            .flat_map(|m| m.items.iter().map(|i| i.id.to_string()))
            .collect();
        let unique: std::collections::HashSet<&String> = parsed.iter().collect();
        assert_eq!(unique.len(), parsed.len(), "{parsed:?}");
        // A first import carries no ids; it keeps these.
        let empty = crate::diff::empty_like(&p.edition);
        let imported = crate::diff::diff(&empty, &p.edition, &Default::default()).edition;
        let carried: Vec<String> = imported
            .meetings()
            .flat_map(|m| m.items.iter().map(|i| i.id.to_string()))
            .collect();
        assert_eq!(carried, parsed);
    }
}
