//! `show --format pdf`: an edition as the PDF the secretariat publishes,
//! read back with poppler.
//!
//! The tests that read the PDF need poppler-utils (`pdftotext`,
//! `pdfinfo`, `pdffonts`): they are ignored by default, carry `poppler`
//! in their names (`cargo test --test cli -- --ignored poppler`), and
//! fail, never pass, when a tool is missing. Those that need no tool
//! (the bytes, their reproducibility, the refusal on a terminal, hostile
//! text typesetting at all) always run.

use serde_json::Value;

use crate::common::TestEnv;
use crate::common::json::{list, string};
use crate::common::pdf::{
    HOSTILE, assert_tagged_english_a4_embedded, body_text, pages, pending, plain, poppler, pty,
    squeezed,
};

/// The real edition imported, and its PDF written to `edition.pdf`.
fn real_pdf(extra: &[&str]) -> (TestEnv, String) {
    let env = TestEnv::new();
    env.import_real();
    let mut args = vec!["show", "latest", "--format", "pdf", "--out", "edition.pdf"];
    args.extend_from_slice(extra);
    env.ok(&args);
    let path = env.root().join("edition.pdf").display().to_string();
    (env, path)
}

fn hostile_pdf() -> (TestEnv, String) {
    let env = TestEnv::new();
    let f = env.write(
        "editions/2024-04.md",
        std::fs::read(HOSTILE).expect("the hostile fixture"),
    );
    env.ok(&["import", &f]);
    env.ok(&["show", "latest", "--format", "pdf", "--out", "hostile.pdf"]);
    let path = env.root().join("hostile.pdf").display().to_string();
    (env, path)
}

/// The headings the contents list, each as the contents print it and as
/// the heading prints it on its page.
fn listed_headings(view: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for s in list(&view["front_matter"], "front_matter") {
        let t = string(&s["title"], "a section title");
        out.push((t.clone(), t));
    }
    for p in list(&view["parts"], "parts") {
        let heading = format!(
            "{}. {}",
            string(&p["key"], "a part key"),
            string(&p["title"], "a part title")
        );
        out.push((heading.clone(), heading));
        for m in list(&p["meetings"], "meetings") {
            let body = string(&m["body"], "a meeting body");
            let refs = m["symbol"].as_str().or(m["source"].as_str()).unwrap_or("");
            out.push((format!("{}: {body}", m["year"]), format!("{body} ({refs})")));
        }
    }
    out
}

// --- Without external tools ---------------------------------------------------

#[test]
fn a_pdf_is_the_same_bytes_every_time() {
    let env = TestEnv::new();
    env.import_real();
    let once = env.ok(&["show", "latest", "--format", "pdf"]);
    let bytes = &once.stdout_bytes;
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{:?}",
        &bytes[..bytes.len().min(16)]
    );
    assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"));
    // Written raw: no byte of it is escaped as text output would be.
    assert!(bytes.iter().any(|b| *b >= 0x80 || *b < 0x09));
    let again = env.ok(&["show", "2024-04", "--format", "pdf"]);
    assert!(again.stdout_bytes == *bytes, "a second run differs");
    // Nor does the time of the run matter.
    let mut later = env.command(&["show", "latest", "--format", "pdf"]);
    later.env("SOURCE_DATE_EPOCH", "1900000000");
    let later = TestEnv::output(later);
    later.success();
    assert!(
        later.stdout_bytes == *bytes,
        "a run at another time differs"
    );
    let out = env.ok(&["show", "latest", "--format", "pdf", "--out", "e.pdf"]);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("Wrote e.pdf ("), "{}", out.stderr);
    let file = std::fs::read(env.root().join("e.pdf")).expect("the PDF");
    assert!(file == *bytes, "--out differs from standard output");
    // No date of the run in it.
    assert!(!bytes.windows(13).any(|w| w == b"/CreationDate"));
}

#[test]
fn hostile_text_typesets_without_error() {
    let (_env, pdf) = hostile_pdf();
    let bytes = std::fs::read(&pdf).expect("the PDF");
    assert!(bytes.starts_with(b"%PDF-"));
}

#[cfg(unix)]
#[test]
fn a_pdf_is_refused_on_a_terminal() {
    let env = TestEnv::new();
    env.import_real();
    let before = env.refs_and_objects();
    let (master, slave) = pty();
    let mut cmd = env.command(&["show", "latest", "--format", "pdf"]);
    cmd.stdout(slave);
    let out = TestEnv::output(cmd);
    assert_eq!(
        out.error_lines(),
        ["error: a PDF is not text to print on a terminal"],
        "{}",
        out.stderr
    );
    assert_eq!(
        out.hint(),
        "hint: name a file: livedoc show EDITION --format pdf --out FILE"
    );
    out.failure();
    assert_eq!(env.refs_and_objects(), before);
    // Nothing reached the terminal.
    assert_eq!(pending(&master), 0);
}

// --- Read back with poppler ---------------------------------------------------

#[test]
#[ignore = "needs poppler-utils (pdftotext, pdfinfo, pdffonts): cargo test -- --ignored poppler"]
fn poppler_every_text_of_the_real_edition_is_in_its_pdf() {
    let (env, pdf) = real_pdf(&[]);
    let view = env.show_json("latest");
    let pages = pages(&pdf, true);
    let text = squeezed(&body_text(&pages));
    let mut texts = vec![string(&view["metadata"]["title"], "the title")];
    for s in list(&view["front_matter"], "front_matter") {
        texts.push(string(&s["title"], "a section title"));
        // Each paragraph of the section's body, and each list entry.
        for block in string(&s["body"], "a section body").split("\n\n") {
            match block.starts_with("- ") {
                true => texts.extend(block.lines().map(|l| plain(&l[2..]))),
                false => texts.push(plain(block)),
            }
        }
    }
    let mut items = 0;
    let mut subitems = 0;
    for p in list(&view["parts"], "parts") {
        for m in list(&p["meetings"], "meetings") {
            texts.push(string(&m["body"], "a meeting body"));
            for item in list(&m["items"], "items") {
                items += 1;
                texts.push(plain(&string(&item["text"], "an item's text")));
                if let Some(label) = item["label"].as_str() {
                    texts.push(format!("Recommendation {label}"));
                }
                for sub in list(&item["subitems"], "subitems") {
                    subitems += 1;
                    let label = string(&sub["label"], "a sub-item's label");
                    let t = plain(&string(&sub["text"], "a sub-item's text"));
                    texts.push(format!("{label} {t}"));
                }
            }
        }
    }
    assert_eq!((items, subitems), (37, 7));
    let missing: Vec<&String> = texts
        .iter()
        .filter(|t| !text.contains(&squeezed(t)))
        .collect();
    assert!(missing.is_empty(), "not in the PDF: {missing:#?}");
    // The title page: the publisher, the title, the place and date.
    let first = squeezed(&pages[0].body);
    for t in [
        "United Nations Office on Drugs and Crime",
        "COMPILATION OF RECOMMENDATIONS",
        "Vienna, April 2024",
    ] {
        assert!(first.contains(&squeezed(t)), "{t} is not on the title page");
    }
}

#[test]
#[ignore = "needs poppler-utils (pdftotext, pdfinfo, pdffonts): cargo test -- --ignored poppler"]
fn poppler_contents_give_the_pages_of_their_headings() {
    let (env, pdf) = real_pdf(&[]);
    let view = env.show_json("latest");
    let pages = pages(&pdf, true);
    assert!(pages.len() >= 8, "{} pages", pages.len());
    // The title page has no number and no header; the contents are
    // page 1; every other page has its number and the running header.
    assert_eq!(pages[0].number, None);
    for (i, page) in pages.iter().enumerate().skip(1) {
        assert_eq!(page.number, Some(i as u32), "{page:?}");
        let header = page.header.as_deref().unwrap_or("");
        assert!(
            header.starts_with("COMPILATION OF RECOMMENDATIONS ON THE UNTOC")
                && header.ends_with("… Vienna, April 2024"),
            "no running header: {page:?}"
        );
    }
    assert!(pages[1].body.starts_with("Table of Contents"));
    let contents = squeezed(&pages[1].body);
    let headings = listed_headings(&view);
    assert_eq!(headings.len(), 14);
    // Where each entry is; its page number is what lies between its dot
    // leader and the next entry.
    let mut from = 0;
    let mut at = Vec::new();
    for (entry, _) in &headings {
        let e = squeezed(entry);
        let start = contents[from..]
            .find(&e)
            .map(|i| from + i)
            .unwrap_or_else(|| panic!("{entry} is not in the contents:\n{}", pages[1].body));
        from = start + e.len();
        at.push((start, from));
    }
    let mut last = 0;
    for (i, (entry, heading)) in headings.iter().enumerate() {
        let end = at.get(i + 1).map_or(contents.len(), |(start, _)| *start);
        let number: u32 = contents[at[i].1..end]
            .trim_start_matches('.')
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or_else(|_| panic!("no page number after {entry}"));
        assert!(number >= last, "{entry}: page {number} after page {last}");
        last = number;
        // The page that prints that number holds the heading.
        let page = pages
            .iter()
            .find(|p| p.number == Some(number))
            .unwrap_or_else(|| panic!("no page is numbered {number}"));
        assert!(
            squeezed(&page.body).contains(&squeezed(heading)),
            "{heading} is not on page {number}:\n{}",
            page.body
        );
    }
    // Part A and Part B each begin a page: their heading comes first,
    // after the running header.
    for p in list(&view["parts"], "parts") {
        let heading = format!(
            "{}. {}",
            string(&p["key"], "key"),
            string(&p["title"], "title")
        );
        let page = pages
            .iter()
            .skip(2)
            .find(|pg| squeezed(&pg.body).contains(&squeezed(&heading)))
            .expect("the part's page");
        assert!(
            squeezed(&page.body).starts_with(&squeezed(&heading)),
            "{heading} does not begin its page:\n{}",
            page.body
        );
    }
    // Every entry links to its heading: the tagged contents hold one
    // entry per heading, each a link.
    let tree = poppler("pdfinfo", &["-struct", &pdf]);
    let tocis = tree.lines().filter(|l| l.trim() == "TOCI").count();
    assert_eq!(tocis, headings.len(), "{tree}");
    let toc: Vec<&str> = tree
        .lines()
        .skip_while(|l| l.trim() != "TOC")
        .take_while(|l| !l.trim_start().starts_with("H1") || l.contains("Table of Contents"))
        .collect();
    let links = toc.iter().filter(|l| l.trim().starts_with("Link")).count();
    assert_eq!(links, headings.len(), "{}", toc.join("\n"));
}

#[test]
#[ignore = "needs poppler-utils (pdftotext, pdfinfo, pdffonts): cargo test -- --ignored poppler"]
fn poppler_meeting_symbols_link_to_their_reports() {
    let symbols = [
        "CTOC/COP/WG.4/2022/4",
        "CTOC/COP/WG.7/2022/4",
        "CTOC/COP/WG.6/2023/5",
        "CTOC/COP/WG.2/2023/4",
        "CTOC/COP/WG.3/2023/4",
        "CTOC/COP/WG.7/2023/5",
    ];
    for (extra, base) in [
        (&[][..], "https://undocs.org/"),
        (
            &["--documents-url", "https://documents.example.org/"][..],
            "https://documents.example.org/",
        ),
    ] {
        let (_env, pdf) = real_pdf(extra);
        let urls = urls(&pdf);
        let pages = pages(&pdf, true);
        for sym in symbols {
            let url = format!("{base}{sym}");
            let (page, _) = urls
                .iter()
                .find(|(_, u)| *u == url)
                .unwrap_or_else(|| panic!("no link to {url}: {urls:?}"));
            // On the page of its meeting's heading.
            assert!(
                squeezed(&pages[page - 1].body).contains(&squeezed(&format!("({sym})"))),
                "{sym} is not on page {page}"
            );
        }
        // The links are the symbols' and the contact's, and nothing else:
        // a link to `#` links nowhere.
        let mut others: Vec<&str> = urls
            .iter()
            .map(|(_, u)| u.as_str())
            .filter(|u| !u.starts_with(base))
            .collect();
        others.dedup();
        assert_eq!(others, ["mailto:untoc.review@un.org"]);
    }
}

/// `pdfinfo -url`: each link's page and address.
fn urls(pdf: &str) -> Vec<(usize, String)> {
    poppler("pdfinfo", &["-url", pdf])
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let page = f.next()?.parse().ok()?;
            let _kind = f.next()?;
            Some((page, f.next()?.to_string()))
        })
        .collect()
}

#[test]
#[ignore = "needs poppler-utils (pdftotext, pdfinfo, pdffonts): cargo test -- --ignored poppler"]
fn poppler_the_pdf_is_tagged_titled_english_and_embeds_its_fonts() {
    let (env, pdf) = real_pdf(&[]);
    let view = env.show_json("latest");
    let title = string(&view["metadata"]["title"], "title");
    assert_tagged_english_a4_embedded(
        &pdf,
        &title,
        &["H1", "H2", "H3", "H4", "L", "LI", "Lbl", "TOC", "Link"],
    );
}

#[test]
#[ignore = "needs poppler-utils (pdftotext, pdfinfo, pdffonts): cargo test -- --ignored poppler"]
fn poppler_typst_markup_in_a_text_prints_as_written() {
    let (_env, pdf) = hostile_pdf();
    let text = squeezed(&poppler("pdftotext", &["-raw", &pdf, "-"]));
    for literal in [
        "**UNODC** #set page(width: 1cm)",
        "#set text(size: 1pt) $x$ @ref <b>",
        "#set page(width: 1cm) and #text(fill: red)[red] and #read(\"/edition.json\")",
        "#import \"/etc/passwd\": x",
        "$x^2 + y$ and @ref and <b>not bold</b> and <label> and @label-two",
        "*not strong* and _not emph_ and snake_case_name and C:\\path\\to and a \\ backslash",
        "// not a comment and /* not a comment */ and ] and } and = and ~",
        "\"straight\" and 'single' and -- and --- and ... and #raw code",
        "Working Group on #set page(height: 1cm) Firearms (CTOC/COP/WG.6/2023/5)",
        "Recommendation 1",
        "#set text(size: 0.1pt) and $ x $ and <b> and @ref as they are written.",
        "Constructive Dialogue on #show: none Markup (Summary by the Chair)",
        "(a) #pagebreak() and #box[boxed];",
        "(b) #escaped hash and $escaped dollar$ and @escaped at; and",
        "(c) #let x = 1 and and <!-- not a comment -->.",
        "#{ \"code block\" } and #(1 + 2) and \\#strong[x] literally.",
    ] {
        // What is bold in the Markdown is bold in the PDF: its stars go.
        let literal = literal.replace("**UNODC**", "UNODC");
        assert!(
            text.contains(&squeezed(&literal)),
            "not printed as written: {literal}"
        );
    }
    // The title in the metadata is the title as written.
    let info = poppler("pdfinfo", &[&pdf]);
    assert!(
        info.contains(
            "Title:           COMPILATION (SYNTHETIC TEST EDITION: TYPST MARKUP IN EVERY TEXT) #set text(size: 1pt) $x$ @ref <b>"
        ),
        "{info}"
    );
    // A page the markup would have shrunk is still A4, and none is added.
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    // Only a link a reader may follow is a link.
    let urls: Vec<String> = urls(&pdf).into_iter().map(|(_, u)| u).collect();
    assert_eq!(
        urls,
        [
            "https://undocs.org/CTOC/COP/WG.6/2023/5",
            "https://example.org/report?a=1&b=2"
        ]
    );
}

#[test]
#[ignore = "needs poppler-utils (pdftotext, pdfinfo, pdffonts): cargo test -- --ignored poppler"]
fn poppler_tools_are_there() {
    // Fails, with the reason, where poppler-utils is missing: the other
    // poppler tests would fail as plainly.
    for tool in ["pdftotext", "pdfinfo", "pdffonts"] {
        poppler(tool, &["-v"]);
    }
}
