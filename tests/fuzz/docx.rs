//! Mutated Word documents. The base is the real April 2024 edition
//! written as a .docx by livedoc's own writer (`render::docx`); each case
//! damages it in one of three ways:
//!
//! - raw byte edits of the zip archive (bits flipped, the file truncated,
//!   bytes inserted or overwritten, zip signatures among them);
//! - the archive zipped again (deflated or stored) with the text of its
//!   parts edited, mostly `word/document.xml`: ranges deleted, duplicated
//!   and swapped, tokens of WordprocessingML inserted (paragraphs and runs
//!   opened and closed out of turn, numbering at level 8 or 255, complex
//!   fields begun and never ended, hyperlinks to missing relationships,
//!   tracked deletions, `&#0;`, `&bogus;`, pictures) and elements nested
//!   up to 20,000 deep;
//! - the styles and numbering made inconsistent: `basedOn` cycles,
//!   outline levels and list levels out of range, `lvlText` of `%9%9`,
//!   unknown `numFmt`, lists whose abstract definition is missing, parts
//!   missing, re-encoded as UTF-16, or the document moved.
//!
//! Properties ([`check_docx`]): `parse_any` and `check` never panic; a
//! refusal has at least one error, each with a message and a hint; every
//! finding that has a line names the Word paragraph it came from; `check`
//! agrees with the import; an accepted document's edition is written as a
//! .docx again, and that archive is read again by `parse_docx`.
//!
//! Bugs it found in `src/` are kept as `regression_docx_*` tests at the
//! end, all fixed; a new known bug would be recognised before it is
//! parsed ([`known_bug`]), counted and skipped, with an ignored test.
//!
//! The archive caps are tested here too: one part inflating past
//! `MAX_PART_BYTES` (a zip bomb, with a true and with a lying declared
//! size), and several parts each under the cap that together pass
//! `MAX_TOTAL_BYTES`, each refused in bounded memory.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::io::{Cursor, Read, Write};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use livedoc::diagnostic::{Diagnostic, Severity};
use livedoc::parse::check;
use livedoc::parse::{self, docx::MAX_PART_BYTES, docx::MAX_TOTAL_BYTES};
use livedoc::render;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use proptest::test_runner::{TestCaseError, TestError, TestRunner};
use regex::Regex;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use crate::big_inputs::{mib, peak_memory};
use crate::{cases, config, opts, real};

// ---------------------------------------------------------------------------
// The base document.

/// The real edition as livedoc writes it: the archive and its parts, in
/// the archive's order.
struct Base {
    zip: Vec<u8>,
    parts: Vec<(String, Vec<u8>)>,
}

static BASE: LazyLock<Base> = LazyLock::new(|| {
    let p = parse::parse(&real(), "2024-04.md", &opts("2024-04")).expect("the real edition parses");
    let mut zip = Vec::new();
    render::docx::render(&p.edition, &mut zip).expect("the real edition renders as a .docx");
    let parts = unzip(&zip);
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    for part in Part::ALL {
        assert!(
            names.contains(&part.name()),
            "{} not in {names:?}",
            part.name()
        );
    }
    Base { zip, parts }
});

/// Every entry of an archive that the zip crate reads, with its bytes.
fn unzip(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(zip)).expect("a zip archive");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("an entry");
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).expect("an entry reads");
            (f.name().expect("a UTF-8 name").into_owned(), bytes)
        })
        .collect()
}

/// Zips parts again, in order, deflated or stored.
fn rezip(parts: &[(String, Vec<u8>)], stored: bool) -> Vec<u8> {
    let method = if stored {
        CompressionMethod::Stored
    } else {
        CompressionMethod::Deflated
    };
    let options = SimpleFileOptions::default().compression_method(method);
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        w.start_file(name.as_str(), options)
            .expect("start an entry");
        w.write_all(bytes).expect("write an entry");
    }
    w.finish().expect("finish the archive").into_inner()
}

// ---------------------------------------------------------------------------
// Mutations.

/// A part of the archive that mutations edit as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Document,
    Styles,
    Numbering,
    DocumentRels,
    Rels,
    ContentTypes,
}

impl Part {
    const ALL: [Part; 6] = [
        Part::Document,
        Part::Styles,
        Part::Numbering,
        Part::DocumentRels,
        Part::Rels,
        Part::ContentTypes,
    ];

    fn name(self) -> &'static str {
        match self {
            Part::Document => "word/document.xml",
            Part::Styles => "word/styles.xml",
            Part::Numbering => "word/numbering.xml",
            Part::DocumentRels => "word/_rels/document.xml.rels",
            Part::Rels => "_rels/.rels",
            Part::ContentTypes => "[Content_Types].xml",
        }
    }
}

/// An edit of the archive's raw bytes.
#[derive(Clone, Debug)]
enum ByteEdit {
    Flip { at: Index, bit: u8 },
    Truncate { at: Index },
    Insert { at: Index, bytes: Vec<u8> },
    Overwrite { at: Index, bytes: Vec<u8> },
}

/// What raw edits insert or overwrite: random bytes, or the pieces of a
/// zip archive (signatures, sizes).
fn raw_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => prop::collection::vec(any::<u8>(), 1..48),
        1 => prop::sample::select(vec![
            b"PK\x03\x04".to_vec(),
            b"PK\x01\x02".to_vec(),
            b"PK\x05\x06".to_vec(),
            b"PK\x07\x08".to_vec(),
            b"\xff\xff\xff\xff".to_vec(),
            b"\0\0\0\0".to_vec(),
            b"\x08\x00".to_vec(),
            b"\x63\x00".to_vec(),
            b"\x01\x00".to_vec(),
        ]),
    ]
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        3 => (any::<Index>(), 0u8..8).prop_map(|(at, bit)| ByteEdit::Flip { at, bit }),
        1 => any::<Index>().prop_map(|at| ByteEdit::Truncate { at }),
        2 => (any::<Index>(), raw_bytes()).prop_map(|(at, bytes)| ByteEdit::Insert { at, bytes }),
        2 => (any::<Index>(), raw_bytes())
            .prop_map(|(at, bytes)| ByteEdit::Overwrite { at, bytes }),
    ]
}

/// Pieces of WordprocessingML (and of XML) inserted into a part.
const TOKENS: &[&str] = &[
    "<w:p>",
    "</w:p>",
    "<w:p/>",
    "<w:r>",
    "</w:r>",
    "<w:t>",
    "</w:t>",
    "<w:r><w:t xml:space=\"preserve\"> Recommendation 1 </w:t></w:r>",
    "<w:pPr>",
    "</w:pPr>",
    "<w:rPr><w:b/><w:i/></w:rPr>",
    "<w:rPr><w:rStyle w:val=\"Strong\"/></w:rPr>",
    "<w:pStyle w:val=\"Heading1\"/>",
    "<w:pStyle w:val=\"Heading4\"/>",
    "<w:pStyle w:val=\"TOC1\"/>",
    "<w:pStyle w:val=\"TOCHeading\"/>",
    "<w:pStyle w:val=\"NoSuchStyle\"/>",
    "<w:outlineLvl w:val=\"8\"/>",
    "<w:outlineLvl w:val=\"255\"/>",
    "<w:outlineLvl w:val=\"-1\"/>",
    "<w:numPr><w:ilvl w:val=\"8\"/><w:numId w:val=\"1\"/></w:numPr>",
    "<w:numPr><w:ilvl w:val=\"8\"/><w:numId w:val=\"2\"/></w:numPr>",
    "<w:numPr><w:ilvl w:val=\"255\"/><w:numId w:val=\"2\"/></w:numPr>",
    "<w:numPr><w:numId w:val=\"0\"/></w:numPr>",
    "<w:numPr><w:numId w:val=\"999\"/></w:numPr>",
    "<w:numPr><w:ilvl w:val=\"3\"/></w:numPr>",
    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>",
    "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>",
    "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
    "<w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-3\" </w:instrText></w:r>",
    "<w:r><w:instrText> HYPERLINK \"https://example.org\" \\l \"a\" </w:instrText></w:r>",
    "<w:r><w:instrText> HYPERLINK </w:instrText></w:r>",
    "<w:fldSimple w:instr=\"HYPERLINK &quot;#nowhere&quot;\">",
    "</w:fldSimple>",
    "<w:hyperlink r:id=\"rId999\">",
    "<w:hyperlink w:anchor=\"_top\">",
    "</w:hyperlink>",
    "<w:bookmarkStart w:id=\"0\" w:name=\"_top\"/>",
    "<w:del>",
    "</w:del>",
    "<w:ins>",
    "</w:ins>",
    "<w:moveFrom>",
    "<w:r><w:delText>gone</w:delText></w:r>",
    "<w:pPrChange>",
    "<w:pict>",
    "</w:pict>",
    "<w:pict><v:rect o:hr=\"t\"/></w:pict>",
    "<w:drawing>",
    "</w:drawing>",
    "<w:r><w:drawing><wp:inline><a:graphic><w:txbxContent><w:p><w:r><w:t>boxed</w:t></w:r></w:p></w:txbxContent></a:graphic></wp:inline></w:drawing></w:r>",
    "<mc:AlternateContent><mc:Choice><w:drawing/></mc:Choice></mc:AlternateContent>",
    "<w:pBdr><w:bottom w:val=\"single\"/></w:pBdr>",
    "<w:br/>",
    "<w:br w:type=\"page\"/>",
    "<w:tab/>",
    "<w:noBreakHyphen/>",
    "<w:cr/>",
    "<w:sectPr>",
    "</w:sectPr>",
    "<w:tbl><w:tr><w:tc>",
    "</w:tc></w:tr></w:tbl>",
    "&#0;",
    "&#xD800;",
    "&#x10FFFF;",
    "&bogus;",
    "&amp;",
    "&lt;",
    "&",
    "<",
    ">",
    "\"",
    "]]>",
    "<![CDATA[*not* [Markdown](x)]]>",
    "<!-- a comment -->",
    "<?pi x?>",
    "<!DOCTYPE w:document [<!ENTITY e \"x\">]>",
    "\u{0}",
    "\u{feff}",
    "\u{e9}",
    "\u{201d}",
    "\r\n",
    "# ",
    "(a) ",
    "*",
    "<Relationship Id=\"rId9\" Type=\"x/officeDocument\" Target=\"../../../etc/passwd\"/>",
    "<Relationship Id=\"rId9\" Type=\"x/styles\" Target=\"document.xml\"/>",
];

/// Elements nested deep: what opens, what closes.
const NESTS: &[(&str, &str)] = &[
    ("<w:p>", "</w:p>"),
    ("<w:r>", "</w:r>"),
    ("<w:hyperlink w:anchor=\"x\">", "</w:hyperlink>"),
    ("<w:del>", "</w:del>"),
    ("<w:ins>", "</w:ins>"),
    ("<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>"),
    ("<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>"),
    (
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> TOC </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>",
        "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
    ),
];

/// An edit of one part's text. With `tag`, positions are moved to the
/// next `<`, so that the XML stays made of whole tags more often.
#[derive(Clone, Debug)]
enum TextEdit {
    Delete {
        at: Index,
        len: usize,
        tag: bool,
    },
    Duplicate {
        at: Index,
        len: usize,
        tag: bool,
    },
    Swap {
        a: Index,
        b: Index,
        len: usize,
        tag: bool,
    },
    Insert {
        at: Index,
        token: &'static str,
        tag: bool,
    },
    Nest {
        at: Index,
        nest: (&'static str, &'static str),
        depth: usize,
        closed: bool,
    },
}

fn text_edit() -> impl Strategy<Value = TextEdit> {
    let len = prop_oneof![3 => 0usize..64, 2 => 64usize..2048, 1 => 2048usize..40_000];
    let tag = prop::bool::weighted(0.75);
    let depth = prop_oneof![3 => 1usize..64, 1 => 64usize..20_000];
    prop_oneof![
        2 => (any::<Index>(), len.clone(), tag)
            .prop_map(|(at, len, tag)| TextEdit::Delete { at, len, tag }),
        2 => (any::<Index>(), len.clone(), tag)
            .prop_map(|(at, len, tag)| TextEdit::Duplicate { at, len, tag }),
        2 => (any::<Index>(), any::<Index>(), len, tag)
            .prop_map(|(a, b, len, tag)| TextEdit::Swap { a, b, len, tag }),
        5 => (any::<Index>(), prop::sample::select(TOKENS), tag)
            .prop_map(|(at, token, tag)| TextEdit::Insert { at, token, tag }),
        1 => (any::<Index>(), prop::sample::select(NESTS), depth, any::<bool>())
            .prop_map(|(at, nest, depth, closed)| TextEdit::Nest { at, nest, depth, closed }),
    ]
}

/// What makes styles and numbering inconsistent, and other changes of
/// whole parts.
#[derive(Clone, Debug)]
enum PartEdit {
    /// Every style is based on itself.
    BasedOnItself,
    /// Every style is based on the next, the last on the first.
    BasedOnRing,
    /// Every outline level of a style is this.
    OutlineLevel(&'static str),
    /// The list level 8 of every abstract list, and the level of every
    /// numbered paragraph, is this.
    ListLevel(&'static str),
    LvlText(&'static str),
    NumFmt(&'static str),
    Start(&'static str),
    /// Every list restarts from this at level 0.
    StartOverride(&'static str),
    /// The abstract definitions of the lists are gone.
    NoAbstractNum,
    /// Every list names an abstract definition that does not exist.
    MissingAbstractNum,
    /// The part is not in the archive.
    Drop(Part),
    /// The part is UTF-16LE with a byte-order mark; `odd` cuts its last
    /// byte.
    Utf16 {
        part: Part,
        odd: bool,
    },
    /// The package's relationship to the main document targets this.
    MainTarget(&'static str),
    // Generated numbering and styles (issue 29): what made the reader
    // allocate or loop without bound.
    /// Every level's `w:lvlText` is `unit` repeated `times`.
    LevelText {
        unit: &'static str,
        times: usize,
    },
    /// Every list defines its level 0 anew (`w:lvlOverride/w:lvl`).
    LevelOverride {
        format: &'static str,
        text: &'static str,
        start: &'static str,
    },
    /// Every abstract list links to a list style (`w:numStyleLink`),
    /// which numbers with the first list (a cycle when `ring`).
    NumStyleLink {
        ring: bool,
    },
    /// Every style's name is this long.
    StyleName {
        len: usize,
    },
    /// `n` paragraphs numbered by the first list, before the body's end.
    Numbered {
        n: usize,
    },
    /// `n` complex fields begun and never ended, then `runs` runs.
    OpenFields {
        n: usize,
        runs: usize,
    },
    /// `n` line breaks in a row in one paragraph, with a label between.
    Breaks {
        n: usize,
    },
}

fn part_edit() -> impl Strategy<Value = PartEdit> {
    let part = prop::sample::select(Part::ALL.to_vec());
    prop_oneof![
        2 => Just(PartEdit::BasedOnItself),
        2 => Just(PartEdit::BasedOnRing),
        1 => prop::sample::select(vec!["0", "8", "9", "10", "254", "255", "-1", "x", ""])
            .prop_map(PartEdit::OutlineLevel),
        2 => prop::sample::select(vec!["8", "9", "254", "255", "256", "-1", "x", ""])
            .prop_map(PartEdit::ListLevel),
        2 => prop::sample::select(vec![
            "%9%9",
            "%1%2%3%4%5%6%7%8%9",
            "%",
            "%0",
            "%10",
            "",
            "(%1)%1%1%1",
            "1.",
        ])
        .prop_map(PartEdit::LvlText),
        2 => prop::sample::select(vec![
            "chicago",
            "",
            "none",
            "bullet",
            "upperRoman",
            "lowerLetter",
            "ordinalText",
        ])
        .prop_map(PartEdit::NumFmt),
        1 => prop::sample::select(vec!["0", "4294967295", "-1", "99999999999", "3999", "4000"])
            .prop_map(PartEdit::Start),
        1 => prop::sample::select(vec!["0", "1", "4294967295", "x"])
            .prop_map(PartEdit::StartOverride),
        1 => Just(PartEdit::NoAbstractNum),
        1 => Just(PartEdit::MissingAbstractNum),
        1 => part.clone().prop_map(PartEdit::Drop),
        1 => (part, any::<bool>()).prop_map(|(part, odd)| PartEdit::Utf16 { part, odd }),
        1 => prop::sample::select(vec![
            "/word/document.xml",
            "word/./x/../document.xml",
            "../word/document.xml",
            "word/missing.xml",
            "word/styles.xml",
            "",
        ])
        .prop_map(PartEdit::MainTarget),
        2 => (
            prop::sample::select(vec!["%1", "%9", "x", "(%1)", "%1.%2.%3", "é"]),
            prop_oneof![0..80usize, 80..200_000usize],
        )
            .prop_map(|(unit, times)| PartEdit::LevelText { unit, times }),
        1 => (
            prop::sample::select(vec!["lowerLetter", "upperRoman", "decimal", "bullet", "none", "chicago"]),
            prop::sample::select(vec!["%1.", "(%1)", "%1%1%1%1%1%1%1%1", "", "%2"]),
            prop::sample::select(vec!["1", "2600", "4294967295", "0", "x"]),
        )
            .prop_map(|(format, text, start)| PartEdit::LevelOverride { format, text, start }),
        1 => any::<bool>().prop_map(|ring| PartEdit::NumStyleLink { ring }),
        1 => prop_oneof![0..300usize, 300..2_000_000usize].prop_map(|len| PartEdit::StyleName { len }),
        2 => (1..600usize).prop_map(|n| PartEdit::Numbered { n }),
        1 => (1..100_000usize, 0..100_000usize).prop_map(|(n, runs)| PartEdit::OpenFields { n, runs }),
        1 => (1..50_000usize).prop_map(|n| PartEdit::Breaks { n }),
    ]
}

/// One case: how the base archive is damaged.
#[derive(Clone, Debug)]
enum Mutation {
    Bytes(Vec<ByteEdit>),
    Parts {
        text: Vec<(Part, TextEdit)>,
        parts: Vec<PartEdit>,
        stored: bool,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let part = prop_oneof![
        8 => Just(Part::Document),
        2 => Just(Part::Styles),
        2 => Just(Part::Numbering),
        1 => Just(Part::DocumentRels),
        1 => Just(Part::Rels),
        1 => Just(Part::ContentTypes),
    ];
    prop_oneof![
        1 => prop::collection::vec(byte_edit(), 1..6).prop_map(Mutation::Bytes),
        3 => (
            prop::collection::vec((part, text_edit()), 0..6),
            prop::collection::vec(part_edit(), 0..4),
            prop::bool::weighted(0.3),
        )
            .prop_filter("at least one edit", |(t, p, _)| !t.is_empty() || !p.is_empty())
            .prop_map(|(text, parts, stored)| Mutation::Parts { text, parts, stored }),
    ]
}

/// A position in `0..=len`, moved to the next `<` with `tag`.
fn position(bytes: &[u8], at: &Index, tag: bool) -> usize {
    let p = at.index(bytes.len() + 1);
    if !tag {
        return p;
    }
    memchr::memchr(b'<', &bytes[p..]).map_or(bytes.len(), |i| p + i)
}

/// The range `[start, start + len)` clipped to the bytes, its ends moved to
/// the next `<` with `tag`.
fn range(bytes: &[u8], at: &Index, len: usize, tag: bool) -> (usize, usize) {
    let start = position(bytes, at, tag);
    let mut end = (start + len).min(bytes.len());
    if tag {
        end = memchr::memchr(b'<', &bytes[end..]).map_or(bytes.len(), |i| end + i);
    }
    (start, end)
}

impl TextEdit {
    fn apply(&self, b: &mut Vec<u8>) {
        match self {
            TextEdit::Delete { at, len, tag } => {
                let (s, e) = range(b, at, *len, *tag);
                b.drain(s..e);
            }
            TextEdit::Duplicate { at, len, tag } => {
                let (s, e) = range(b, at, *len, *tag);
                let copy = b[s..e].to_vec();
                b.splice(e..e, copy);
            }
            TextEdit::Swap {
                a,
                b: other,
                len,
                tag,
            } => {
                let (mut x, mut y) = (position(b, a, *tag), position(b, other, *tag));
                if x > y {
                    std::mem::swap(&mut x, &mut y);
                }
                let len = (*len).min(y - x).min(b.len() - y);
                let (first, second) = (b[x..x + len].to_vec(), b[y..y + len].to_vec());
                b.splice(y..y + len, first);
                b.splice(x..x + len, second);
            }
            TextEdit::Insert { at, token, tag } => {
                let p = position(b, at, *tag);
                b.splice(p..p, token.bytes());
            }
            TextEdit::Nest {
                at,
                nest: (open, close),
                depth,
                closed,
            } => {
                let p = position(b, at, true);
                let mut piece = open.repeat(*depth);
                if *closed {
                    piece.push_str(&close.repeat(*depth));
                }
                b.splice(p..p, piece.into_bytes());
            }
        }
    }
}

/// The text of a part, to be edited as a string (lossy: a part already
/// made invalid UTF-8 by a text edit stays damaged).
fn text_of(parts: &[(String, Vec<u8>)], part: Part) -> Option<String> {
    parts
        .iter()
        .find(|(n, _)| n == part.name())
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
}

fn set_text(parts: &mut [(String, Vec<u8>)], part: Part, text: String) {
    if let Some((_, b)) = parts.iter_mut().find(|(n, _)| n == part.name()) {
        *b = text.into_bytes();
    }
}

impl PartEdit {
    fn apply(&self, parts: &mut Vec<(String, Vec<u8>)>) {
        let edit = |parts: &mut Vec<(String, Vec<u8>)>, part: Part, f: &dyn Fn(&str) -> String| {
            if let Some(t) = text_of(parts, part) {
                set_text(parts, part, f(&t));
            }
        };
        match self {
            PartEdit::BasedOnItself | PartEdit::BasedOnRing => {
                let ring = matches!(self, PartEdit::BasedOnRing);
                edit(parts, Part::Styles, &|t| based_on(t, ring));
            }
            PartEdit::OutlineLevel(v) => edit(parts, Part::Styles, &|t| {
                let re = Regex::new(r#"<w:outlineLvl w:val="[^"]*"/>"#).expect("valid");
                re.replace_all(t, format!("<w:outlineLvl w:val=\"{v}\"/>").as_str())
                    .into_owned()
            }),
            PartEdit::ListLevel(v) => {
                edit(parts, Part::Numbering, &|t| {
                    t.replace("w:ilvl=\"8\"", &format!("w:ilvl=\"{v}\""))
                });
                edit(parts, Part::Document, &|t| {
                    let re = Regex::new(r#"<w:ilvl w:val="[^"]*"/>"#).expect("valid");
                    re.replace_all(t, format!("<w:ilvl w:val=\"{v}\"/>").as_str())
                        .into_owned()
                });
            }
            PartEdit::LvlText(v) => edit(parts, Part::Numbering, &|t| {
                let re = Regex::new(r#"<w:lvlText w:val="[^"]*"/>"#).expect("valid");
                re.replace_all(t, format!("<w:lvlText w:val=\"{v}\"/>").as_str())
                    .into_owned()
            }),
            PartEdit::NumFmt(v) => edit(parts, Part::Numbering, &|t| {
                let re = Regex::new(r#"<w:numFmt w:val="[^"]*"/>"#).expect("valid");
                re.replace_all(t, format!("<w:numFmt w:val=\"{v}\"/>").as_str())
                    .into_owned()
            }),
            PartEdit::Start(v) => edit(parts, Part::Numbering, &|t| {
                let re = Regex::new(r#"<w:start w:val="[^"]*"/>"#).expect("valid");
                re.replace_all(t, format!("<w:start w:val=\"{v}\"/>").as_str())
                    .into_owned()
            }),
            PartEdit::StartOverride(v) => edit(parts, Part::Numbering, &|t| {
                t.replace(
                    "</w:num>",
                    &format!(
                        "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"{v}\"/></w:lvlOverride></w:num>"
                    ),
                )
            }),
            PartEdit::NoAbstractNum => edit(parts, Part::Numbering, &|t| {
                let re = Regex::new(r"(?s)<w:abstractNum .*?</w:abstractNum>").expect("valid");
                re.replace_all(t, "").into_owned()
            }),
            PartEdit::MissingAbstractNum => edit(parts, Part::Numbering, &|t| {
                let re = Regex::new(r#"<w:abstractNumId w:val="[^"]*"/>"#).expect("valid");
                re.replace_all(t, "<w:abstractNumId w:val=\"404\"/>")
                    .into_owned()
            }),
            PartEdit::Drop(part) => parts.retain(|(n, _)| n != part.name()),
            PartEdit::Utf16 { part, odd } => {
                if let Some((_, b)) = parts.iter_mut().find(|(n, _)| n == part.name()) {
                    let text = String::from_utf8_lossy(b).into_owned();
                    let mut out = vec![0xFF, 0xFE];
                    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                    if *odd {
                        out.pop();
                    }
                    *b = out;
                }
            }
            PartEdit::LevelText { unit, times } => edit(parts, Part::Numbering, &|t| {
                let re = Regex::new(r#"<w:lvlText w:val="[^"]*"\s*/>"#).expect("valid");
                let text = unit.repeat(*times);
                re.replace_all(t, format!("<w:lvlText w:val=\"{text}\"/>").as_str())
                    .into_owned()
            }),
            PartEdit::LevelOverride {
                format,
                text,
                start,
            } => edit(parts, Part::Numbering, &|t| {
                t.replace(
                    "</w:num>",
                    &format!(
                        "<w:lvlOverride w:ilvl=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"{start}\"/><w:numFmt w:val=\"{format}\"/><w:lvlText w:val=\"{text}\"/></w:lvl></w:lvlOverride></w:num>"
                    ),
                )
            }),
            PartEdit::NumStyleLink { ring } => {
                edit(parts, Part::Numbering, &|t| {
                    t.replace("<w:lvl ", "<w:numStyleLink w:val=\"FuzzList\"/><w:lvl ")
                });
                let num = if *ring { "404" } else { "1" };
                edit(parts, Part::Styles, &|t| {
                    t.replacen(
                        "</w:styles>",
                        &format!("<w:style w:type=\"numbering\" w:styleId=\"FuzzList\"><w:name w:val=\"Fuzz List\"/><w:pPr><w:numPr><w:numId w:val=\"{num}\"/></w:numPr></w:pPr></w:style></w:styles>"),
                        1,
                    )
                });
            }
            PartEdit::StyleName { len } => edit(parts, Part::Styles, &|t| {
                let re = Regex::new(r#"<w:name w:val="[^"]*"\s*/>"#).expect("valid");
                let name = format!("heading 3{}", " ".repeat(*len));
                re.replace_all(t, format!("<w:name w:val=\"{name}\"/>").as_str())
                    .into_owned()
            }),
            PartEdit::Numbered { n } => edit(parts, Part::Document, &|t| {
                let p = "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>An entry.</w:t></w:r></w:p>";
                before_body_end(t, &p.repeat(*n))
            }),
            PartEdit::OpenFields { n, runs } => edit(parts, Part::Document, &|t| {
                let piece = format!(
                    "<w:p>{}{}</w:p>",
                    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>".repeat(*n),
                    "<w:r><w:t>a</w:t></w:r>".repeat(*runs)
                );
                before_body_end(t, &piece)
            }),
            PartEdit::Breaks { n } => edit(parts, Part::Document, &|t| {
                let piece = format!(
                    "<w:p><w:r><w:t>Text.</w:t>{}<w:t>Recommendation 99</w:t>{}<w:t>## Fake (CTOC/COP/WG.9/2023/1)</w:t></w:r></w:p>",
                    "<w:br/>".repeat(*n),
                    "<w:br/>".repeat(*n)
                );
                before_body_end(t, &piece)
            }),
            PartEdit::MainTarget(target) => edit(parts, Part::Rels, &|t| {
                t.replacen(
                    "Target=\"word/document.xml\"",
                    &format!("Target=\"{target}\""),
                    1,
                )
            }),
        }
    }
}

/// `piece` put before the body's section properties (or its end).
fn before_body_end(t: &str, piece: &str) -> String {
    let at = t
        .rfind("<w:sectPr")
        .or_else(|| t.rfind("</w:body>"))
        .unwrap_or(t.len());
    format!("{}{piece}{}", &t[..at], &t[at..])
}

/// Every style based on itself, or (`ring`) on the next style.
fn based_on(styles: &str, ring: bool) -> String {
    let id = Regex::new(r#"w:styleId="([^"]*)""#).expect("valid");
    let ids: Vec<String> = id.captures_iter(styles).map(|c| c[1].to_string()).collect();
    let mut out = String::new();
    for (i, chunk) in styles.split("<w:style ").enumerate() {
        if i > 0 {
            out.push_str("<w:style ");
        }
        let Some(own) = id.captures(chunk).map(|c| c[1].to_string()) else {
            out.push_str(chunk);
            continue;
        };
        let target = if ring {
            ids.get(i % ids.len().max(1)).cloned().unwrap_or(own)
        } else {
            own
        };
        let based = format!("<w:basedOn w:val=\"{target}\"/>");
        let re = &*BASED_ON;
        if re.is_match(chunk) {
            out.push_str(&re.replace_all(chunk, based.as_str()));
        } else if let Some(at) = chunk.find("/>") {
            // After the style's name.
            out.push_str(&chunk[..at + 2]);
            out.push_str(&based);
            out.push_str(&chunk[at + 2..]);
        } else {
            out.push_str(chunk);
        }
    }
    out
}

impl Mutation {
    fn apply(&self) -> Vec<u8> {
        match self {
            Mutation::Bytes(edits) => {
                let mut b = BASE.zip.clone();
                for e in edits {
                    match e {
                        ByteEdit::Flip { at, bit } => {
                            if !b.is_empty() {
                                let i = at.index(b.len());
                                b[i] ^= 1 << bit;
                            }
                        }
                        ByteEdit::Truncate { at } => b.truncate(at.index(b.len() + 1)),
                        ByteEdit::Insert { at, bytes } => {
                            let i = at.index(b.len() + 1);
                            b.splice(i..i, bytes.iter().copied());
                        }
                        ByteEdit::Overwrite { at, bytes } => {
                            let i = at.index(b.len() + 1);
                            let end = (i + bytes.len()).min(b.len());
                            b.splice(i..end, bytes.iter().copied());
                        }
                    }
                }
                b
            }
            Mutation::Parts {
                text,
                parts: edits,
                stored,
            } => {
                let mut parts = BASE.parts.clone();
                for e in edits {
                    e.apply(&mut parts);
                }
                for (part, e) in text {
                    if let Some((_, b)) = parts.iter_mut().find(|(n, _)| n == part.name()) {
                        e.apply(b);
                    }
                }
                rezip(&parts, *stored)
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Known bugs.

/// A known bug in `src/` that a case meets (see the `regression_docx_*`
/// tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Known {
    /// None is open: the three this campaign found are fixed and their
    /// `regression_docx_*` tests run. A new one gets a variant here.
    #[allow(dead_code)]
    Placeholder,
}

/// The known bug a document meets, recognised before it is parsed.
fn known_bug(_bytes: &[u8]) -> Option<Known> {
    // The three bugs this campaign found (a list level of 255, an outline
    // level of 255, a picture's look-ahead cut inside a character) are
    // fixed; their regression tests run. No case is skipped.
    None
}

// ---------------------------------------------------------------------------
// The property.

/// What a run did, for its closing lines.
#[derive(Default)]
struct Stats {
    parsed: Cell<usize>,
    refused: RefCell<BTreeMap<&'static str, usize>>,
    round_trips: Cell<usize>,
    round_trip_refused: RefCell<BTreeMap<&'static str, usize>>,
    known: RefCell<BTreeMap<Known, usize>>,
    slowest: Cell<Duration>,
    slowest_bytes: Cell<usize>,
    /// Cases over the time or memory bound, and the worst of each.
    over_bound: Cell<usize>,
    most_memory: Cell<u64>,
}

/// The time one document may take to import and check, in a release build
/// (`scripts/fuzz`): the compilation takes a few milliseconds, and every
/// reader is near-linear in its input (at most 64 MiB a part). Enforced
/// by the campaign, printed by the quick run of `cargo test`.
const TIME_BOUND: Duration = Duration::from_secs(2);
/// The memory one document may add to the process's peak.
const MEMORY_BOUND: u64 = 1 << 30;

fn bump<K: Ord>(map: &RefCell<BTreeMap<K, usize>>, k: K) {
    *map.borrow_mut().entry(k).or_default() += 1;
}

fn listed<K: fmt::Debug>(map: &RefCell<BTreeMap<K, usize>>) -> String {
    let map = map.borrow();
    let mut v: Vec<(&K, &usize)> = map.iter().collect();
    v.sort_by_key(|&(_, n)| std::cmp::Reverse(*n));
    let s: Vec<String> = v.iter().map(|(k, n)| format!("{k:?} {n}")).collect();
    if s.is_empty() {
        "none".to_string()
    } else {
        s.join(", ").replace('"', "")
    }
}

/// A finding of a .docx: a code and a message; a finding with a line
/// names the Word paragraph of that line, and prints it.
fn check_finding(d: &Diagnostic, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        !d.message.trim().is_empty(),
        "{what} {} has no message",
        d.code
    );
    if d.line.is_some() {
        let place = d.place.as_ref();
        prop_assert!(
            place.is_some(),
            "{what} {} has a line but no Word paragraph: {:?}",
            d.code,
            d
        );
        prop_assert!(place.is_some_and(|p| p.paragraph >= 1), "{what}: {d:?}");
        let shown = d.located("x.docx").to_string();
        prop_assert!(
            shown.starts_with("x.docx: paragraph "),
            "{what} prints as {shown:?}"
        );
    }
    Ok(())
}

/// Imports and checks a (damaged) .docx: see the module documentation.
fn check_docx(bytes: &[u8], stats: &Stats) -> Result<(), TestCaseError> {
    if let Some(bug) = known_bug(bytes) {
        bump(&stats.known, bug);
        return Ok(());
    }
    let parsed = parse::parse_any(bytes, "x.docx", &opts("fuzz"));
    match &parsed {
        Ok(p) => {
            stats.parsed.set(stats.parsed.get() + 1);
            prop_assert!(p.derived.is_some(), "a .docx parsed without its Markdown");
            for w in &p.warnings {
                prop_assert_eq!(w.severity, Severity::Warning);
                check_finding(w, "warning")?;
            }
            // Written as a .docx again, and read again.
            let mut again = Vec::new();
            render::docx::render(&p.edition, &mut again)
                .map_err(|e| TestCaseError::fail(format!("render::docx failed: {e}")))?;
            prop_assert!(again.starts_with(b"PK\x03\x04"), "not a zip archive");
            match parse::parse_docx(&again, "again.docx", &opts("again")) {
                Ok(_) => stats.round_trips.set(stats.round_trips.get() + 1),
                Err(e) => {
                    prop_assert!(!e.errors.is_empty(), "a re-read failed without an error");
                    bump(&stats.round_trip_refused, e.errors[0].code.as_str());
                }
            }
        }
        Err(e) => {
            prop_assert!(!e.errors.is_empty(), "an import failed without an error");
            bump(&stats.refused, e.errors[0].code.as_str());
            for d in &e.errors {
                prop_assert_eq!(d.severity, Severity::Error);
                check_finding(d, "error")?;
                prop_assert!(
                    d.hint.as_deref().is_some_and(|h| !h.trim().is_empty()),
                    "error {} has no hint: {}",
                    d.code,
                    d.message
                );
            }
            for w in &e.warnings {
                check_finding(w, "warning")?;
            }
            prop_assert!(!e.to_string().is_empty());
        }
    }
    let report = check::check(bytes, "x.docx");
    for d in &report.findings {
        check_finding(d, "finding")?;
    }
    // `check` reports the import's errors, and on an importable document
    // exactly the content errors that would stop the import.
    match &parsed {
        Err(_) => prop_assert!(report.errors() > 0, "check finds no error the import found"),
        Ok(p) => prop_assert_eq!(report.errors(), check::blocking(p).len()),
    }
    Ok(())
}

/// Runs [`check_docx`] over [`mutation`] for `n` cases and prints what it
/// did; a failure writes the minimised archive to `target/tmp/` and
/// panics with its mutation.
fn run(name: &str, n: u32, enforce: bool) {
    let started = Instant::now();
    let stats = Stats::default();
    let mut cfg = config();
    cfg.cases = n;
    let mut runner = TestRunner::new(cfg);
    let result = runner.run(&mutation(), |m| {
        let bytes = m.apply();
        let t = Instant::now();
        let (out, grew) = peak_growth(|| check_docx(&bytes, &stats));
        let took = t.elapsed();
        if took > stats.slowest.get() {
            stats.slowest.set(took);
            stats.slowest_bytes.set(bytes.len());
        }
        let grew = grew.unwrap_or(0);
        stats.most_memory.set(stats.most_memory.get().max(grew));
        if took > TIME_BOUND || grew > MEMORY_BOUND {
            stats.over_bound.set(stats.over_bound.get() + 1);
            if enforce {
                return Err(TestCaseError::fail(format!(
                    "over the bounds: {:.1} s (at most {} s), {} more memory (at most {})",
                    took.as_secs_f64(),
                    TIME_BOUND.as_secs(),
                    mib(grew),
                    mib(MEMORY_BOUND)
                )));
            }
        }
        out
    });
    println!(
        "{name}: {n} cases in {:.1} s; {} parsed ({} written and read again), {} refused; slowest case {:.1} ms ({} bytes); peak memory (process) {}",
        started.elapsed().as_secs_f64(),
        stats.parsed.get(),
        stats.round_trips.get(),
        stats.refused.borrow().values().sum::<usize>(),
        stats.slowest.get().as_secs_f64() * 1000.0,
        stats.slowest_bytes.get(),
        peak_memory().map_or("unknown".to_string(), mib),
    );
    println!("{name}: refused by first error: {}", listed(&stats.refused));
    println!(
        "{name}: written again but refused when read again, by first error: {}",
        listed(&stats.round_trip_refused)
    );
    println!("{name}: known bugs hit: {}", listed(&stats.known));
    println!(
        "{name}: bound violations (over {} s or {} per document{}): {}; most memory one document added: {}",
        TIME_BOUND.as_secs(),
        mib(MEMORY_BOUND),
        if enforce {
            ""
        } else {
            ", not enforced in a debug run"
        },
        stats.over_bound.get(),
        mib(stats.most_memory.get())
    );
    match result {
        Ok(()) => {}
        Err(TestError::Fail(reason, m)) => {
            let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join(format!("{name}-failure.docx"));
            let written = std::fs::write(&path, m.apply()).is_ok();
            panic!(
                "{name} failed: {reason}\nminimal mutation{}: {m:?}",
                if written {
                    format!(" (the archive is {})", path.display())
                } else {
                    String::new()
                }
            )
        }
        Err(TestError::Abort(reason)) => panic!("{name} aborted: {reason}"),
    }
}

/// 48 mutated archives (raw bytes, parts edited, styles and numbering
/// made inconsistent): never a panic, every refusal with errors and
/// hints, findings placed at Word paragraphs, `check` agreeing with the
/// import, accepted editions written and read again. Small enough for
/// every `cargo test`; the campaign below runs the same for longer.
#[test]
fn docx_mutations_never_panic_and_refusals_explain_themselves() {
    let _one_at_a_time = MEMORY.lock().unwrap_or_else(|e| e.into_inner());
    run("docx_mutations", 48, false);
}

/// The same property for `FUZZ_CASES` cases, printing how many parsed,
/// were refused (by first error code), the slowest case, the known bugs
/// met and the process's peak memory.
#[test]
#[ignore = "fuzz campaign: run with scripts/fuzz"]
fn docx_campaign() {
    run("docx_campaign", cases(), true);
}

/// The base itself parses, and a few mutations do what they say: the
/// property is not vacuous.
#[test]
fn the_base_parses_and_mutations_change_it() {
    let p = parse::parse_any(&BASE.zip, "x.docx", &opts("base")).expect("the base parses");
    assert_eq!(p.edition.meetings().count(), 10);
    let stats = Stats::default();
    check_docx(&BASE.zip, &stats).expect("the base meets the property");
    assert_eq!(stats.parsed.get(), 1);
    assert_eq!(stats.round_trips.get(), 1, "the base is read again");

    // An index drawn as the strategies draw one.
    let index = || {
        any::<Index>()
            .new_tree(&mut TestRunner::deterministic())
            .expect("an index")
            .current()
    };
    let truncated = Mutation::Bytes(vec![ByteEdit::Truncate { at: index() }]).apply();
    assert!(truncated.len() < BASE.zip.len());
    let e = parse::parse_any(&truncated, "x.docx", &opts("x")).expect_err("a cut archive");
    assert_eq!(e.errors[0].code, "docx-not-zip", "{e}");

    let unclosed = Mutation::Parts {
        text: vec![(
            Part::Document,
            TextEdit::Insert {
                at: index(),
                token: "<w:p>",
                tag: true,
            },
        )],
        parts: Vec::new(),
        stored: false,
    }
    .apply();
    let e = parse::parse_any(&unclosed, "x.docx", &opts("x")).expect_err("an unclosed paragraph");
    assert_eq!(e.errors[0].code, "docx-xml", "{e}");

    let dropped = Mutation::Parts {
        text: Vec::new(),
        parts: vec![PartEdit::Drop(Part::Document)],
        stored: true,
    }
    .apply();
    let e = parse::parse_any(&dropped, "x.docx", &opts("x")).expect_err("no document");
    assert_eq!(e.errors[0].code, "docx-no-document");

    let ring = based_on(&text_of(&BASE.parts, Part::Styles).expect("styles"), true);
    assert_ne!(Some(&ring), text_of(&BASE.parts, Part::Styles).as_ref());
    assert!(ring.contains("<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:basedOn"));
}

// ---------------------------------------------------------------------------
// Zip bombs.

/// The memory tests run one at a time (and not beside the mutations), so
/// that each one's peak is its own.
static MEMORY: Mutex<()> = Mutex::new(());

fn rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Runs `f` and returns how much the process's peak memory grew while it
/// ran (from the resident memory at the start when the peak can be reset,
/// else from the peak so far), or `None` where the peak is not known.
fn peak_growth<T>(f: impl FnOnce() -> T) -> (T, Option<u64>) {
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let start = if reset { rss() } else { peak_memory() };
    let out = f();
    let growth = match (start, peak_memory()) {
        (Some(s), Some(p)) => Some(p.saturating_sub(s)),
        _ => None,
    };
    (out, growth)
}

/// Asserts the peak grew by at most `bound`; says so when that cannot be
/// known, never silently.
#[track_caller]
fn assert_peak(what: &str, growth: Option<u64>, bound: u64) {
    match growth {
        Some(g) => {
            println!("{what}: peak memory grew by {}", mib(g));
            assert!(
                g <= bound,
                "{what}: peak memory grew by {}, more than {}",
                mib(g),
                mib(bound)
            );
        }
        None => eprintln!(
            "{what}: the memory bound of {} is NOT checked: /proc/self/status has no VmHWM here",
            mib(bound)
        ),
    }
}

/// Writes a deflated part of `size` bytes: `head`, then `fill` repeated.
fn bomb_part(
    w: &mut zip::ZipWriter<Cursor<Vec<u8>>>,
    name: &str,
    head: &[u8],
    fill: &[u8],
    size: u64,
) {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1));
    w.start_file(name, options).expect("start a part");
    w.write_all(head).expect("write");
    let chunk = fill.repeat((1 << 20) / fill.len());
    let mut left = size - head.len() as u64;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        w.write_all(&chunk[..n]).expect("write");
        left -= n as u64;
    }
}

/// A .docx whose `word/document.xml` inflates to `MAX_PART_BYTES` plus
/// 1 MiB of empty paragraphs.
fn one_bomb() -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let head = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
    bomb_part(
        &mut w,
        "word/document.xml",
        head,
        b"<w:p/>",
        MAX_PART_BYTES + (1 << 20),
    );
    w.finish().expect("finish").into_inner()
}

static BASED_ON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"<w:basedOn w:val="[^"]*"/>"#).expect("valid"));

/// Sets the uncompressed size an archive declares for `name`, in its
/// local header and in its central directory.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    for (sig, name_at, size_at) in [(b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)] {
        let found: Vec<usize> = memchr::memmem::find_iter(zip, sig).collect();
        for at in found {
            if zip[at + name_at..].starts_with(name.as_bytes()) {
                zip[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
                patched += 1;
            }
        }
    }
    assert_eq!(patched, 2, "{name}: a local header and a directory entry");
}

/// A zip bomb: `word/document.xml` inflates to 1 MiB more than
/// `MAX_PART_BYTES` from an archive of well under 1 MiB. It is refused
/// with `docx-too-large` (naming the part, with a hint), and the peak
/// memory grows by less than twice the cap while it is read. The same
/// bomb declaring a size of 1 KiB (the reading itself must be capped) is
/// refused too, as too large or as damaged, in the same bound; `check`
/// reports the refusal as an error.
#[test]
fn a_zip_bomb_is_refused_in_bounded_memory() {
    let _one_at_a_time = MEMORY.lock().unwrap_or_else(|e| e.into_inner());
    let bomb = one_bomb();
    assert!(
        bomb.len() < 1 << 20,
        "the bomb is small: {} bytes",
        bomb.len()
    );
    let mut lying = bomb.clone();
    declare_size(&mut lying, "word/document.xml", 1024);

    for (what, bytes, codes) in [
        ("a zip bomb", &bomb, &["docx-too-large"][..]),
        (
            "a zip bomb declaring 1 KiB",
            &lying,
            &["docx-too-large", "docx-corrupt"][..],
        ),
    ] {
        let (result, growth) = peak_growth(|| parse::parse_any(bytes, "bomb.docx", &opts("bomb")));
        let e = result.expect_err("a zip bomb is refused");
        assert_eq!(e.errors.len(), 1, "{what}: {e}");
        let d = &e.errors[0];
        assert!(codes.contains(&d.code.as_str()), "{what}: {d:?}");
        assert!(d.message.contains("word/document.xml"), "{what}: {d:?}");
        assert!(d.hint.is_some(), "{what}: {d:?}");
        println!("{what}: {}", e);
        assert_peak(what, growth, 2 * MAX_PART_BYTES);

        let report = check::check(bytes, "bomb.docx");
        assert_eq!(report.errors(), 1, "{what}: {:?}", report.findings);
        assert!(codes.contains(&report.findings[0].code.as_str()), "{what}");
    }
}

/// Five parts that the reader reads (`_rels/.rels`, the document, its
/// relationships, styles and numbering), each a valid part padded with
/// whitespace to 1 MiB under `MAX_PART_BYTES`, together far past
/// `MAX_TOTAL_BYTES`: refused with `docx-too-large` at the third part,
/// where the total ran out, in memory bounded by twice the total cap. The
/// same five parts padded to fit the total together are accepted: it is
/// the total that refuses the first.
#[test]
fn many_parts_under_the_cap_are_refused_past_the_total() {
    let _one_at_a_time = MEMORY.lock().unwrap_or_else(|e| e.into_inner());
    let read = [
        Part::Rels,
        Part::Document,
        Part::DocumentRels,
        Part::Styles,
        Part::Numbering,
    ];
    let archive = |each: u64| {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in &BASE.parts {
            match read.iter().find(|p| p.name() == name) {
                Some(_) => bomb_part(&mut w, name, bytes, b" ", each),
                None => {
                    w.start_file(name.as_str(), SimpleFileOptions::default())
                        .expect("start");
                    w.write_all(bytes).expect("write");
                }
            }
        }
        w.finish().expect("finish").into_inner()
    };

    let each = MAX_PART_BYTES - (1 << 20);
    assert!(each * read.len() as u64 > MAX_TOTAL_BYTES);
    let many = archive(each);
    let (result, growth) = peak_growth(|| parse::parse_any(&many, "many.docx", &opts("many")));
    let e = result.expect_err("too much in all");
    assert_eq!(e.errors.len(), 1, "{e}");
    let d = &e.errors[0];
    assert_eq!(d.code, "docx-too-large", "{d:?}");
    // `_rels/.rels` and the document fit; the document's relationships
    // do not fit in what is left.
    assert!(d.message.contains(Part::DocumentRels.name()), "{d:?}");
    assert!(d.hint.is_some(), "{d:?}");
    println!("many parts: {e}");
    assert_peak("many parts", growth, 2 * MAX_TOTAL_BYTES);

    let fits = MAX_TOTAL_BYTES / read.len() as u64 - (1 << 20);
    let within = archive(fits);
    let (result, growth) = peak_growth(|| parse::parse_any(&within, "within.docx", &opts("w")));
    let p = result.unwrap_or_else(|e| panic!("parts that fit the total are read: {e}"));
    assert_eq!(p.edition.meetings().count(), 10);
    assert_peak("parts that fit", growth, 2 * MAX_TOTAL_BYTES);
}

// ---------------------------------------------------------------------------
// Known bugs in src/, found by the mutations above.

/// The base with its parts edited as `edit` says, zipped again.
fn edited(edit: impl Fn(&str, &str) -> String) -> Vec<u8> {
    let parts: Vec<(String, Vec<u8>)> = BASE
        .parts
        .iter()
        .map(|(n, b)| {
            let text = String::from_utf8(b.clone()).expect("UTF-8 parts");
            (n.clone(), edit(n, &text).into_bytes())
        })
        .collect();
    rezip(&parts, true)
}

/// Must be read, or refused, without a panic.
#[track_caller]
fn assert_no_panic_on(bytes: &[u8]) {
    match parse::parse_any(bytes, "x.docx", &opts("x")) {
        Ok(p) => assert!(p.edition.meetings().count() > 0),
        Err(e) => assert!(!e.errors.is_empty()),
    }
    let _ = check::check(bytes, "x.docx");
}

/// A list level 255 (`<w:lvl w:ilvl="255">` with a decimal `lvlText`,
/// and a paragraph at `<w:ilvl w:val="255"/>` of that list). Was a panic
/// in a debug build: `Numbering::next` formatted `%{k + 1}` with `k: u8`
/// for k in 0..=255 (`attempt to add with overflow`, styles.rs; in
/// release `%0`, silently). Now the document reads, all ten meetings.
#[test]
fn regression_docx_a_list_level_of_255_does_not_panic() {
    let bytes = edited(|name, t| match name {
        "word/numbering.xml" => t.replace("w:ilvl=\"8\"", "w:ilvl=\"255\""),
        "word/document.xml" => t.replace("<w:ilvl w:val=\"1\"/>", "<w:ilvl w:val=\"255\"/>"),
        _ => t.to_string(),
    });
    let p = parse::parse_any(&bytes, "x.docx", &opts("x")).expect("a list level of 255 reads");
    assert_eq!(p.edition.meetings().count(), 10);
    assert_no_panic_on(&bytes);
}

/// A style with an outline level of 255 (`<w:outlineLvl w:val="255"/>`
/// in styles.xml, on Heading 1). Was a panic in a debug build:
/// `Styles::heading_level` evaluated `(lvl < 9).then_some(lvl + 1)`, whose
/// argument is computed even when `lvl` is 255. Now such a style gives no
/// heading (Word's outline levels are 0–8, 9 is body text): with the
/// parts' headings gone the document is refused for its structure, not
/// for the level.
#[test]
fn regression_docx_a_style_outline_level_of_255_does_not_panic() {
    let bytes = edited(|name, t| match name {
        "word/styles.xml" => t.replace(
            "<w:outlineLvl w:val=\"0\"/>",
            "<w:outlineLvl w:val=\"255\"/>",
        ),
        _ => t.to_string(),
    });
    match parse::parse_any(&bytes, "x.docx", &opts("x")) {
        Ok(p) => assert!(
            p.derived
                .as_ref()
                .is_some_and(|d| !d.markdown.starts_with("# ") && !d.markdown.contains("\n# ")),
            "a style of outline level 255 gave a first-level heading"
        ),
        Err(e) => assert!(
            e.errors
                .iter()
                .all(|d| !d.code.as_str().starts_with("docx-")),
            "refused as unreadable: {e}"
        ),
    }
    assert_no_panic_on(&bytes);
}

/// A `<w:pict>` whose end is far on (here: never), where the reader's
/// look-ahead into it would end inside a multi-byte character (a `”` of
/// the real edition, moved there by whitespace after the tag): at 4,096
/// bytes, where it was cut when this was found ("byte index 4096 is not a
/// char boundary", a panic in release builds too), and at 16 KiB, where
/// the fix cuts it now (at the character boundary before). Either way the
/// unclosed picture is refused as damaged XML, with a hint, not a panic.
#[test]
fn regression_docx_a_picture_before_a_multibyte_character_does_not_panic() {
    for cut in [4096, 16 * 1024] {
        let bytes = edited(|name, t| {
            if name != "word/document.xml" {
                return t.to_string();
            }
            // A character of several bytes, and a tag less than `cut`
            // bytes before its second byte.
            let (m, _) = t
                .char_indices()
                .find(|&(m, c)| m > cut && c.len_utf8() > 1)
                .expect("a multi-byte character");
            let at = t[m + 1 - cut..]
                .find('<')
                .map(|i| m + 1 - cut + i)
                .filter(|&i| i <= m)
                .expect("a tag before it");
            let fill = " ".repeat(cut - (m + 1 - at));
            let rest = format!("{fill}{}", &t[at..]);
            assert!(
                !rest.is_char_boundary(cut),
                "byte {cut} is inside a character"
            );
            format!("{}<w:pict>{rest}", &t[..at])
        });
        match parse::parse_any(&bytes, "x.docx", &opts("x")) {
            Ok(p) => assert_eq!(p.edition.meetings().count(), 10, "cut at {cut}"),
            Err(e) => {
                assert_eq!(e.errors[0].code, "docx-xml", "cut at {cut}: {e}");
                assert!(e.errors[0].hint.is_some(), "cut at {cut}: {e}");
            }
        }
        assert_no_panic_on(&bytes);
    }
}
