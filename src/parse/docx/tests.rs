//! The reader on small documents written the ways Word and other tools
//! write them.

use std::io::Write;

use super::*;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A .docx of a body, with optional styles, numbering and hyperlink
/// relationships (id, target).
fn docx(
    body: &str,
    styles: Option<&str>,
    numbering: Option<&str>,
    links: &[(&str, &str)],
) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let mut put = |name: &str, body: String| {
        zip.start_file(name, opts).expect("entry");
        zip.write_all(body.as_bytes()).expect("written");
    };
    put(
        "word/document.xml",
        format!("<w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:body>{body}</w:body></w:document>"),
    );
    let rels: String = links
        .iter()
        .map(|(id, t)| format!("<Relationship Id=\"{id}\" Type=\"{R}/hyperlink\" Target=\"{t}\" TargetMode=\"External\"/>"))
        .collect();
    put(
        "word/_rels/document.xml.rels",
        format!(
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>"
        ),
    );
    if let Some(s) = styles {
        put(
            "word/styles.xml",
            format!("<w:styles xmlns:w=\"{W}\">{s}</w:styles>"),
        );
    }
    if let Some(n) = numbering {
        put(
            "word/numbering.xml",
            format!("<w:numbering xmlns:w=\"{W}\">{n}</w:numbering>"),
        );
    }
    zip.finish().expect("zip").into_inner()
}

fn md(body: &str) -> String {
    to_markdown(&docx(body, None, None, &[]))
        .expect("reads")
        .markdown
}

fn p(style: &str, runs: &str) -> String {
    format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{runs}</w:p>")
}

fn r(text: &str) -> String {
    format!("<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>")
}

#[test]
fn headings_come_from_styles_and_outline_levels() {
    let styles = r#"<w:style w:type="paragraph" w:styleId="Meeting"><w:name w:val="UN Meeting"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>"#;
    let body = [
        p("Heading1", &r("A. Recommendations")),
        p("Meeting", &r("Working Group on Firearms")),
        "<w:p><w:pPr><w:outlineLvl w:val=\"3\"/></w:pPr><w:r><w:t>Recommendation 1</w:t></w:r></w:p>".to_string(),
        p("Normal", &r("Text.")),
    ]
    .concat();
    let d = to_markdown(&docx(&body, Some(styles), None, &[])).expect("reads");
    assert_eq!(
        d.markdown,
        "# A. Recommendations\n\n## Working Group on Firearms\n\n#### Recommendation 1\n\nText.\n\n"
    );
}

#[test]
fn runs_keep_bold_italic_links_and_breaks() {
    let body = p(
        "Normal",
        &[
            "<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">Part A: </w:t></w:r>",
            &r("see "),
            "<w:hyperlink r:id=\"rId7\"><w:r><w:t>the report</w:t></w:r></w:hyperlink>",
            "<w:r><w:br/></w:r>",
            "<w:r><w:rPr><w:i/><w:b w:val=\"0\"/></w:rPr><w:t>inter alia</w:t></w:r>",
            "<w:r><w:br w:type=\"page\"/></w:r>",
            &r(" 5 * 3 [x] &lt;b&gt;"),
        ]
        .concat(),
    );
    let d = to_markdown(&docx(
        &body,
        None,
        None,
        &[("rId7", "https://undocs.org/X")],
    ))
    .expect("reads");
    assert_eq!(
        d.markdown,
        "**Part A:** see [the report](https://undocs.org/X)  \n*inter alia* 5 * 3 [x] \\<b>\n\n"
    );
}

#[test]
fn what_reads_as_block_syntax_at_a_line_start_is_escaped() {
    assert_eq!(
        md(&p("Normal", &r("1. typed, not numbered"))),
        "1\\. typed, not numbered\n\n"
    );
    assert_eq!(
        md(&p("Normal", &r("# not a heading"))),
        "\\# not a heading\n\n"
    );
    assert_eq!(md(&p("Normal", &r("- not a list"))), "\\- not a list\n\n");
    // A sub-item typed as text stays text: the importer reads it.
    assert_eq!(md(&p("Normal", &r("(f) promoting"))), "(f) promoting\n\n");
}

const NUMBERING: &str = r#"
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%1)"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2)"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>"#;

fn numbered(num: u32, lvl: u8, text: &str) -> String {
    format!(
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"{num}\"/></w:numPr></w:pPr>{}</w:p>",
        if text.is_empty() {
            String::new()
        } else {
            r(text)
        }
    )
}

#[test]
fn word_numbering_gives_the_labels_of_sub_items() {
    let body = [
        p("Normal", &r("States should:")),
        numbered(1, 0, "strengthen measures;"),
        numbered(1, 0, "raise awareness."),
    ]
    .concat();
    let d = to_markdown(&docx(&body, None, Some(NUMBERING), &[])).expect("reads");
    assert_eq!(
        d.markdown,
        "States should:\n\n- (a) strengthen measures;\n- (b) raise awareness.\n\n"
    );
}

#[test]
fn a_list_in_an_empty_list_entry_is_one_line() {
    // As pandoc writes `- 1) A practical tool`.
    let body = [
        numbered(2, 0, ""),
        numbered(2, 1, "A practical tool."),
        numbered(2, 0, "Plain."),
    ]
    .concat();
    let d = to_markdown(&docx(&body, None, Some(NUMBERING), &[])).expect("reads");
    assert_eq!(d.markdown, "- 1) A practical tool.\n- Plain.\n\n");
}

#[test]
fn the_table_of_contents_field_is_read_as_its_entries() {
    let body = [
        p("TOCHeading", &r("Contents")),
        format!(
            "<w:p><w:pPr><w:pStyle w:val=\"TOC1\"/></w:pPr><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> TOC \\o \"1-3\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:hyperlink w:anchor=\"_Toc1\">{}<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGEREF _Toc1 </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:hyperlink></w:p>",
            r("Guidance for Readers"),
            r("2")
        ),
        format!("<w:p>{}<w:r><w:tab/></w:r>{}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>", r("2023: Working Group on Migrants 2"), r("5")),
        p("Heading1", &r("Guidance for Readers")),
    ]
    .concat();
    let d = to_markdown(&docx(&body, None, None, &[])).expect("reads");
    // The tab before the page number is kept: it tells the number apart
    // from a name's own ("… Migrants 2").
    assert_eq!(
        d.markdown,
        "# Contents\n\nGuidance for Readers\t2\n2023: Working Group on Migrants 2\t5\n\n# Guidance for Readers\n\n"
    );
}

#[test]
fn tracked_changes_are_read_as_accepted_with_a_warning() {
    let body = p(
        "Normal",
        &[
            &r("States "),
            "<w:del w:id=\"1\"><w:r><w:delText>must </w:delText></w:r></w:del>",
            "<w:ins w:id=\"2\"><w:r><w:t xml:space=\"preserve\">should </w:t></w:r></w:ins>",
            &r("act."),
        ]
        .concat(),
    );
    let d = to_markdown(&docx(&body, None, None, &[])).expect("reads");
    assert_eq!(d.markdown, "States should act.\n\n");
    assert_eq!(d.warnings.len(), 1);
    assert_eq!(d.warnings[0].code, "docx-tracked-changes");
}

#[test]
fn a_text_box_is_not_read_and_says_so() {
    let body = [
        "<w:p><w:r><mc:AlternateContent xmlns:mc=\"m\"><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>COVER</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice></mc:AlternateContent></w:r></w:p>".to_string(),
        p("Normal", &r("Body.")),
    ]
    .concat();
    let d = to_markdown(&docx(&body, None, None, &[])).expect("reads");
    assert_eq!(d.markdown, "Body.\n\n");
    assert_eq!(
        d.warnings.iter().map(|w| w.code).collect::<Vec<_>>(),
        ["docx-text-box"]
    );
}

#[test]
fn a_hyperlink_field_and_a_dangling_anchor_are_links() {
    let body = [
        p(
            "Normal",
            &format!(
                "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> HYPERLINK \"https://example.org/r\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
                r("report")
            ),
        ),
        p("Normal", &format!("<w:hyperlink w:anchor=\"nowhere\">{}</w:hyperlink>", r("symbol"))),
        p("Normal", &format!("<w:bookmarkStart w:name=\"here\"/><w:hyperlink w:anchor=\"here\">{}</w:hyperlink>", r("back"))),
    ]
    .concat();
    assert_eq!(
        md(&body),
        "[report](https://example.org/r)\n\n[symbol](#)\n\n[back](#here)\n\n"
    );
}

#[test]
fn each_line_knows_its_paragraph_and_heading() {
    let body = [
        p("Heading1", &r("A. Recommendations")),
        "<w:p/>".to_string(),
        p("Heading2", &r("Working Group on Firearms")),
        p("Normal", &r("One.")),
        p("Normal", &r("Two.")),
    ]
    .concat();
    let d = to_markdown(&docx(&body, None, None, &[])).expect("reads");
    // Lines: 1 "# A.", 3 "## Working…", 5 "One.", 7 "Two.".
    let at = |line| d.place_of(line).cloned().expect("a place");
    assert_eq!(
        at(1),
        Place {
            paragraph: 1,
            heading: None
        }
    );
    assert_eq!(
        at(3),
        Place {
            paragraph: 3,
            heading: Some("A. Recommendations".into())
        }
    );
    assert_eq!(
        at(7),
        Place {
            paragraph: 5,
            heading: Some("Working Group on Firearms".into())
        }
    );
}

#[test]
fn damaged_xml_is_an_error_not_a_panic() {
    let bytes = docx("<w:p><w:r><w:t>x</w:r></w:p>", None, None, &[]);
    assert_eq!(to_markdown(&bytes).unwrap_err().code, "docx-xml");
}

#[test]
fn a_heading_numbered_by_word_keeps_its_number() {
    // Parts lettered and recommendations numbered by the heading styles'
    // numbering, as UN templates do.
    let styles = r#"
      <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="Heading4"><w:name w:val="heading 4"/><w:pPr><w:numPr><w:ilvl w:val="3"/><w:numId w:val="5"/></w:numPr></w:pPr></w:style>"#;
    let numbering = r#"
      <w:abstractNum w:abstractNumId="9">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="3"><w:start w:val="14"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Recommendation %4"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="5"><w:abstractNumId w:val="9"/></w:num>"#;
    let body = [
        p("Heading1", &r("Recommendations by the Working Groups")),
        p("Heading4", ""),
        p("Normal", &r("States parties are urged to act.")),
        p("Heading4", ""),
        p("Heading1", &r("Observations by the Chair")),
    ]
    .concat();
    let d = to_markdown(&docx(&body, Some(styles), Some(numbering), &[])).expect("reads");
    assert_eq!(
        d.markdown,
        "# A. Recommendations by the Working Groups\n\n#### Recommendation 14\n\nStates parties are urged to act.\n\n#### Recommendation 15\n\n# B. Observations by the Chair\n\n"
    );
}

#[test]
fn an_empty_bullet_with_a_lettered_entry_is_one_entry_labelled_by_its_letter() {
    // As pandoc's default writer writes `- (a) …` (pandoc's Markdown reads
    // `(a)` as a list of its own in the bullet).
    let numbering = r#"
      <w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
      <w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl></w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>"#;
    let body = [
        p("Normal", &r("States should:")),
        numbered(1, 0, ""),
        numbered(2, 1, "strengthen measures;"),
        numbered(1, 0, ""),
        numbered(2, 1, "raise awareness."),
    ]
    .concat();
    let d = to_markdown(&docx(&body, None, Some(numbering), &[])).expect("reads");
    assert_eq!(
        d.markdown,
        "States should:\n\n- (a) strengthen measures;\n- (b) raise awareness.\n\n"
    );
}

#[test]
fn a_letter_or_number_is_the_label_whatever_punctuation_word_prints() {
    // lvlText as Word, LibreOffice and templates write it: the label is the
    // letter or number; the punctuation around it is typography.
    for (format, text, first, second) in [
        ("lowerLetter", "%1.", "(a)", "(b)"),
        ("lowerLetter", "%1)", "(a)", "(b)"),
        ("lowerLetter", "(%1)", "(a)", "(b)"),
        ("upperLetter", "%1.", "(A)", "(B)"),
        ("lowerRoman", "%1.", "(i)", "(ii)"),
        ("lowerRoman", "(%1)", "(i)", "(ii)"),
        ("decimal", "(%1)", "(1)", "(2)"),
    ] {
        let numbering = format!(
            r#"<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="{format}"/><w:lvlText w:val="{}"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
            text.replace("%1", "%2")
        );
        let body = [numbered(1, 1, "one;"), numbered(1, 1, "two.")].concat();
        let d = to_markdown(&docx(&body, None, Some(&numbering), &[])).expect("reads");
        assert_eq!(
            d.markdown,
            format!("- {first} one;\n- {second} two.\n\n"),
            "{format} {text}"
        );
    }
}

#[test]
fn an_outline_number_is_not_part_of_a_headings_name() {
    // Word's numbered headings (1., 1.1): the heading's place in the
    // outline, not the meeting's name.
    let numbering = r#"
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#;
    let heading = |lvl: u8, style: &str, text: &str| {
        format!(
            "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/><w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>{}</w:p>",
            r(text)
        )
    };
    let body = [
        heading(0, "Heading2", "Working Group on Firearms"),
        heading(1, "Heading3", "Recommendation 17"),
    ]
    .concat();
    let d = to_markdown(&docx(&body, None, Some(numbering), &[])).expect("reads");
    assert_eq!(
        d.markdown,
        "## Working Group on Firearms\n\n### Recommendation 17\n\n"
    );
}

#[test]
fn a_style_without_an_id_makes_no_paragraph_a_heading() {
    // Word ignores such a style; a paragraph without a style of its own
    // must not take it.
    let styles = r#"<w:style w:type="paragraph"><w:name w:val="heading 3"/></w:style>"#;
    let body = p("Normal", &r("States should act.")) + "<w:p>" + &r("Plain text.") + "</w:p>";
    let d = to_markdown(&docx(&body, Some(styles), None, &[])).expect("reads");
    assert_eq!(d.markdown, "States should act.\n\nPlain text.\n\n");
}

#[test]
fn text_that_cannot_be_syntax_where_it_stands_is_read_as_word_has_it() {
    // Word out and in again is the identity for texts a word processor
    // holds: a bracketed insertion, a file name, a product.
    let body = p(
        "Normal",
        &r("States [sic] filed A_B_C, 2 * 3 and a\\b &amp; co."),
    );
    assert_eq!(
        md(&body),
        "States [sic] filed A_B_C, 2 * 3 and a\\b & co.\n\n"
    );
}

#[test]
fn a_list_that_defines_its_levels_anew_is_numbered_by_them() {
    // LibreOffice writes each list as a `w:num` whose `w:lvlOverride`
    // holds a whole level, over an abstract list of bullets; only a
    // `w:startOverride` restarts the count.
    let numbering = r#"
      <w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
      <w:num w:numId="17"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1."/></w:lvl></w:lvlOverride></w:num>
      <w:num w:numId="18"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1."/></w:lvl></w:lvlOverride></w:num>"#;
    let body = [numbered(17, 0, "one;"), numbered(18, 0, "two.")].concat();
    let d = to_markdown(&docx(&body, None, Some(numbering), &[])).expect("reads");
    assert_eq!(d.markdown, "- (a) one;\n- (b) two.\n\n");
}

#[test]
fn a_rule_drawn_as_a_thin_shape_is_a_rule() {
    // LibreOffice saves a horizontal rule as a full-width rectangle 1.5 pt
    // high; a picture or a text box is no rule.
    let shape = |cx: u64, cy: u64, inner: &str| {
        format!(
            "<w:p><w:r><mc:AlternateContent xmlns:mc=\"mc\"><mc:Choice Requires=\"wps\"><w:drawing><wp:inline xmlns:wp=\"wp\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><a:graphic xmlns:a=\"a\"><a:graphicData><a:prstGeom prst=\"rect\"/>{inner}</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice></mc:AlternateContent></w:r></w:p>"
        )
    };
    let body = [
        p("Normal", &r("Before.")),
        shape(5_943_600, 19_050, ""),
        p("Normal", &r("After.")),
        shape(5_943_600, 900_000, ""),
        shape(5_943_600, 19_050, "<pic:pic xmlns:pic=\"pic\"/>"),
    ]
    .concat();
    assert_eq!(md(&body), "Before.\n\n---\n\nAfter.\n\n");
}

#[test]
fn a_list_of_a_multilevel_list_style_takes_the_styles_levels() {
    // Word's list styles: the list a paragraph names links to a style
    // (`w:numStyleLink`), and the style numbers with the list that
    // defines the levels (`w:styleLink`).
    let styles = r#"<w:style w:type="numbering" w:styleId="UNList"><w:name w:val="UN List"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>"#;
    let numbering = r#"
      <w:abstractNum w:abstractNumId="0"><w:styleLink w:val="UNList"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%1)"/></w:lvl></w:abstractNum>
      <w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="UNList"/></w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>"#;
    let body = [numbered(2, 0, "one;"), numbered(2, 0, "two.")].concat();
    let d = to_markdown(&docx(&body, Some(styles), Some(numbering), &[])).expect("reads");
    assert_eq!(d.markdown, "- (a) one;\n- (b) two.\n\n");
}
