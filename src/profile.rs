//! The grammar of one family of living documents, in one place: what a
//! part, a year line, a meeting heading, a document symbol, an item label
//! and a sub-label look like, which titles open the table of contents,
//! the words that name parts and kinds of items, and the heading levels
//! the writers give each of them.
//!
//! The Markdown reader (`parse`), the Word reader (`parse::docx`), the
//! checks (`parse::check`) and the writers (`render`, `site`) read their
//! grammar from a [`Profile`] instead of spelling it themselves. The one
//! profile today is [`UNTOC`], the UNODC Compilation of recommendations
//! on the UNTOC Review Mechanism (`editions/2024-04.md`); another
//! compilation of the same family (UNCAC, say) is one more `Profile`
//! value. What is generic to Markdown (escaping, in `text`) or to ids
//! (slugs, meeting keys, in `ids`) is not here.
//!
//! The patterns are kept as published documents need them, quirks and
//! all: a profile's regexes decide what an edition's records hold, so a
//! change to one is a change of rules (`rules`), not a tidy-up.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::model::{EditionDate, ItemKind, MONTHS, MeetingKind, TocEntry};
use crate::rules::Rules;

/// The grammar of a family of compilations. Each field says what one
/// element looks like; the methods below are how the readers, checks and
/// writers ask.
pub struct Profile {
    /// The family's short name, as documentation names it: "UNTOC".
    pub name: &'static str,

    /// A part heading's text: group 1 the part's key (`A`), group 2 its
    /// title. Read only in headings of level [`Levels::part`].
    pub part: LazyLock<Regex>,
    /// The word that names a part before its key: "Part" ("Part A").
    pub part_word: &'static str,
    /// The kind of an unlabelled item by words of its part's title, the
    /// first word found (in lower case) deciding.
    pub part_kind_words: &'static [(&'static str, ItemKind)],
    /// The kind of an unlabelled item when neither its part's title nor
    /// anything else says (no part, or none of `part_kind_words`).
    pub default_kind: ItemKind,
    /// What the items of each part are, as a legend says it ("Part A
    /// (recommendations)").
    pub part_holds: &'static [(&'static str, ItemKind)],
    /// The parts whose meetings must cite their document symbol.
    pub parts_with_symbols: &'static [&'static str],

    /// Words that open a meeting heading's trailing parenthesis when it
    /// names the meeting's source rather than its symbol ("Summary by the
    /// Chair"), compared with its lower-case text.
    pub source_words: &'static [&'static str],
    /// What kind of meeting a body's name makes it.
    pub meeting_kind: fn(&str) -> MeetingKind,
    /// How meetings' documents are cited.
    pub symbols: Symbols,

    /// The word each kind of item is labelled with ("Recommendation 14");
    /// the first is the kind of a label whose word matched only through
    /// Unicode case folding (`ſ` for `s`).
    pub kind_words: &'static [(ItemKind, &'static str)],
    /// A label line: group 1 a word of `kind_words` (in any case), group
    /// 2 the label. Its words must be those of `kind_words`, and none of
    /// them may start with a letter that another character folds to
    /// (`k`, `s`): labels are looked for only after a first-letter test.
    pub label: LazyLock<Regex>,
    /// The same under rules 4, which also read a label with parts, as the
    /// secretariat writes a divided or inserted recommendation:
    /// `Recommendation 6 (a)`, `Recommendation 6 bis`, `6.1`.
    pub label_with_parts: LazyLock<Regex>,
    /// A sub-item's label at the start of its text, with the space after
    /// it: group 1 the label (`(a)`, `(iv)`, `(12)`, `(B)`).
    pub sublabel: LazyLock<Regex>,

    /// The title page's date line: group 1 the place, group 2 the day,
    /// group 3 the month's English name, group 4 the year.
    pub date_line: LazyLock<Regex>,
    /// Heading texts that open the table of contents, in lower case.
    pub contents_titles: &'static [&'static str],
    /// The heading the writers give the table of contents.
    pub contents_heading: &'static str,
    /// An entry of the table of contents that names a meeting: group 1
    /// the year, group 2 the meeting's body.
    pub contents_meeting: LazyLock<Regex>,

    /// The heading levels of the layout.
    pub levels: Levels,

    /// A number pair such as `7/7` in a text, maybe a page number the
    /// PDF conversion left: group 1 the word before it, groups 2 and 3
    /// the numbers.
    pub page_number: LazyLock<Regex>,
    /// Words before a number pair that make it a citation
    /// ("resolution 9/1"), not a page number; in lower case.
    pub citing_words: &'static [&'static str],
}

/// The heading levels of the layout. The readers take parts and
/// front-matter sections only at their level (meetings and labels at any
/// level); the writers write each element at its level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Levels {
    /// The document's title.
    pub title: u8,
    /// A front-matter section (Guidance for Readers, Background) and the
    /// table of contents.
    pub section: u8,
    /// A part.
    pub part: u8,
    /// A year line.
    pub year: u8,
    /// A meeting heading.
    pub meeting: u8,
    /// An item's label.
    pub label: u8,
}

/// How a family's meetings cite their documents.
#[derive(Debug, Clone, Copy)]
pub struct Symbols {
    /// Whether a meeting heading's parenthesis is meant as a symbol (it
    /// may still be malformed).
    pub looks_like: fn(&str) -> bool,
    /// What is wrong with a symbol, if anything.
    pub problem: fn(&str) -> Option<&'static str>,
    /// The year a symbol dates its meeting to, for a meeting with no year
    /// line above it.
    pub year: fn(&str) -> Option<i32>,
    /// The year a symbol names, as written, for `check` to compare with
    /// the meeting's year line.
    pub named_year: fn(&str) -> Option<&str>,
    /// Where a citation of corrigenda, addenda or revisions starts after
    /// the symbol it amends (`CTOC/COP/WG.6/2023/5 and Corr.1`, `…/Add.1`):
    /// the meeting is the symbol's, and the citation is kept as written.
    pub citation: fn(&str) -> Option<usize>,
    /// A well-formed symbol, as hints cite one.
    pub example: &'static str,
}

/// UN document symbols (`CTOC/COP/WG.4/2022/4`), as every compilation of
/// the family cites its meetings.
pub const UN_SYMBOLS: Symbols = Symbols {
    looks_like: looks_like_symbol,
    problem: symbol_problem,
    year: symbol_year,
    named_year: symbol_named_year,
    citation: symbol_citation,
    example: "CTOC/COP/WG.2/2023/4",
};

/// The Compilation of recommendations on the UNTOC Review Mechanism.
pub static UNTOC: Profile = Profile {
    name: "UNTOC",
    part: LazyLock::new(|| Regex::new(r"^(?i:part\s+)?([A-Z])[.:)]\s+(\S.*)$").expect("valid")),
    part_word: "Part",
    part_kind_words: &[
        ("observation", ItemKind::Observation),
        ("recommendation", ItemKind::Recommendation),
    ],
    default_kind: ItemKind::Observation,
    part_holds: &[
        ("A", ItemKind::Recommendation),
        ("B", ItemKind::Observation),
    ],
    parts_with_symbols: &["A"],
    source_words: &["summary", "report", "observations"],
    meeting_kind: MeetingKind::from_body,
    symbols: UN_SYMBOLS,
    kind_words: &[
        (ItemKind::Recommendation, "Recommendation"),
        (ItemKind::Observation, "Observation"),
    ],
    label: LazyLock::new(|| {
        Regex::new(
            r"^(?i:(recommendation|observation))\s+(\(?[A-Za-z0-9]{1,6}(?:\.[A-Za-z0-9]{1,4})?\)?)\.?$",
        )
        .expect("valid")
    }),
    label_with_parts: LazyLock::new(|| {
        Regex::new(
            r"^(?i:(recommendation|observation))\s+(\(?[A-Za-z0-9]{1,6}(?:\.[A-Za-z0-9]{1,4})?\)?(?:\s*\([a-z]{1,3}\)|\s+(?i:bis|ter|quater|quinquies))?)\.?$",
        )
        .expect("valid")
    }),
    sublabel: LazyLock::new(|| {
        Regex::new(r"^(\((?:[a-z]{1,3}|[0-9]{1,3}|[A-Z])\))\s+").expect("valid")
    }),
    date_line: LazyLock::new(|| {
        Regex::new(r"^(?:([^,\d][^,]*),\s*)?(?:(\d{1,2})\s+)?([A-Za-z]+)\s+(\d{4})\.?$")
            .expect("valid")
    }),
    contents_titles: &["table of contents", "contents"],
    contents_heading: "Table of Contents",
    contents_meeting: LazyLock::new(|| Regex::new(r"^(\d{4})\s*[:.–-]\s*(.+)$").expect("valid")),
    levels: Levels {
        title: 1,
        section: 1,
        part: 1,
        year: 2,
        meeting: 3,
        label: 4,
    },
    page_number: LazyLock::new(|| {
        Regex::new(r"(?:^|\s)(\S+\s+)?(\d{1,3})/(\d{1,3})(?:[\s,.;:)]|$)").expect("valid")
    }),
    citing_words: &[
        "resolution",
        "resolutions",
        "decision",
        "decisions",
        "no.",
        "article",
        "paragraph",
        "rule",
    ],
};

impl Profile {
    /// The UNTOC compilation's profile, [`UNTOC`].
    pub fn untoc() -> &'static Profile {
        &UNTOC
    }

    /// A part heading's key and title: `A. Recommendations …` →
    /// ("A", "Recommendations …").
    pub fn part(&self, heading: &str) -> Option<(String, String)> {
        self.part
            .captures(heading)
            .map(|c| (c[1].to_string(), c[2].trim().to_string()))
    }

    /// How a part is named in prose: "Part A".
    pub fn part_name(&self, key: &str) -> String {
        format!("{} {key}", self.part_word)
    }

    /// A part's heading as the writers write it: "A. Recommendations …".
    pub fn part_heading(&self, key: &str, title: &str) -> String {
        format!("{key}. {title}")
    }

    /// The kind of the unlabelled items of a part with this title.
    pub fn part_kind(&self, title: &str) -> ItemKind {
        let lower = title.to_lowercase();
        self.part_kind_words
            .iter()
            .find(|(w, _)| lower.contains(w))
            .map_or(self.default_kind, |&(_, k)| k)
    }

    /// What the items of a part are, when the profile says.
    pub fn part_holds(&self, key: &str) -> Option<ItemKind> {
        self.part_holds
            .iter()
            .find(|(k, _)| *k == key)
            .map(|&(_, kind)| kind)
    }

    /// Whether the meetings of a part must cite their symbol.
    pub fn needs_symbol(&self, part: &str) -> bool {
        self.parts_with_symbols.contains(&part)
    }

    /// A year line: four ASCII digits alone (`2022`, or `# 2023`).
    pub fn year(&self, plain: &str) -> Option<i32> {
        // Only ASCII digits parse, so the test is on bytes.
        let p = plain.as_bytes();
        if p.len() != 4 || !p.iter().all(u8::is_ascii_digit) {
            return None;
        }
        plain.parse().ok()
    }

    /// Whether a heading opens the table of contents.
    pub fn is_contents_title(&self, heading: &str) -> bool {
        let t = heading.to_lowercase();
        self.contents_titles.contains(&t.as_str())
    }

    /// The year and body of a table-of-contents entry that names a
    /// meeting: `2022: Working Group on X`.
    pub fn contents_meeting<'t>(&self, entry: &'t str) -> Option<(i32, &'t str)> {
        let c = self.contents_meeting.captures(entry)?;
        let year: i32 = c[1].parse().ok()?;
        let body = c.get(2)?.as_str().trim();
        Some((year, body))
    }

    /// An entry of the table of contents as the writers write it: a
    /// section's title, a part's heading, `2022: Working Group on X`.
    pub fn contents_entry(&self, entry: &TocEntry) -> String {
        match entry {
            TocEntry::Section(title) => title.clone(),
            TocEntry::Part { key, title } => self.part_heading(key, title),
            TocEntry::Meeting { year, body } => format!("{year}: {body}"),
        }
    }

    /// Whether a table-of-contents entry names a meeting at all.
    pub fn is_contents_meeting(&self, entry: &str) -> bool {
        self.contents_meeting.is_match(entry)
    }

    /// The place and date of a title page's date line: "Vienna, April
    /// 2024", "15 April 2024".
    pub fn date_line(&self, plain: &str) -> Option<(Option<String>, EditionDate)> {
        let c = self.date_line.captures(plain)?;
        let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(&c[3]))? as u32 + 1;
        let year: i32 = c[4].parse().ok()?;
        let date = match c.get(2) {
            Some(d) => EditionDate::day(year, month, d.as_str().parse().ok()?)?,
            None => EditionDate::month(year, month)?,
        };
        Some((c.get(1).map(|p| p.as_str().trim().to_string()), date))
    }

    /// Whether the text in a meeting heading's parenthesis names its
    /// source ("Summary by the Chair").
    pub fn names_a_source(&self, inner: &str) -> bool {
        let lower = inner.to_lowercase();
        self.source_words.iter().any(|w| lower.starts_with(w))
    }

    /// What kind of meeting a body's name makes it.
    pub fn meeting_kind(&self, body: &str) -> MeetingKind {
        (self.meeting_kind)(body)
    }

    /// Whether a meeting heading's parenthesis is meant as a symbol.
    pub fn looks_like_symbol(&self, s: &str) -> bool {
        (self.symbols.looks_like)(s)
    }

    /// What is wrong with a symbol, if anything.
    pub fn symbol_problem(&self, s: &str) -> Option<&'static str> {
        (self.symbols.problem)(s)
    }

    /// The year a symbol dates its meeting to.
    pub fn symbol_year(&self, s: &str) -> Option<i32> {
        (self.symbols.year)(s)
    }

    /// The year a symbol names, as written.
    pub fn symbol_named_year<'s>(&self, s: &'s str) -> Option<&'s str> {
        (self.symbols.named_year)(s)
    }

    /// The word an item of this kind is labelled with: "Recommendation".
    pub fn kind_word(&self, kind: ItemKind) -> &'static str {
        self.kind_words
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or("", |&(_, w)| w)
    }

    /// A label line's kind and label: `Recommendation 14` →
    /// (Recommendation, "14").
    pub fn label(&self, plain: &str) -> Option<(ItemKind, String)> {
        self.label_by(&self.label, plain)
    }

    /// A label line read by `pattern` ([`Profile::label`] or
    /// [`Profile::label_with_parts`]).
    fn label_by(&self, pattern: &Regex, plain: &str) -> Option<(ItemKind, String)> {
        // A first-letter test before the pattern: no character but the
        // letter itself in either case folds to the first letter of a
        // label word, so the case-insensitive pattern can only match
        // there.
        let first = plain.as_bytes().first()?;
        if !self.kind_words.iter().any(|(_, w)| {
            w.as_bytes()
                .first()
                .is_some_and(|c| c.eq_ignore_ascii_case(first))
        }) {
            return None;
        }
        pattern.captures(plain).map(|c| self.labelled(&c))
    }

    /// [`Profile::label`] under `rules`: from rules 4, labels with parts
    /// (`6 (a)`, `6 bis`) too, their spaces collapsed to one.
    pub fn label_under(&self, plain: &str, rules: Rules) -> Option<(ItemKind, String)> {
        if rules < Rules::V4 {
            return self.label(plain);
        }
        // The pattern with parts reads every label the other reads.
        self.label_by(&self.label_with_parts, plain)
            .map(|(kind, label)| (kind, label.split_whitespace().collect::<Vec<_>>().join(" ")))
    }

    /// A symbol and the citation of corrigenda, addenda or revisions after
    /// it, if any: `CTOC/COP/WG.6/2023/5 and Corr.1` → (`CTOC/COP/WG.6/2023/5`,
    /// ` and Corr.1`).
    pub fn split_citation<'s>(&self, s: &'s str) -> (&'s str, &'s str) {
        match (self.symbols.citation)(s) {
            Some(at) => (s[..at].trim_end(), &s[at..]),
            None => (s, ""),
        }
    }

    fn labelled(&self, c: &Captures<'_>) -> (ItemKind, String) {
        let kind = self
            .kind_words
            .iter()
            .find(|(_, w)| c[1].eq_ignore_ascii_case(w))
            .or(self.kind_words.first())
            .map_or(self.default_kind, |&(k, _)| k);
        (kind, c[2].to_string())
    }

    /// Splits `(a) text` into its label and text.
    pub fn split_sublabel(&self, text: &str) -> Option<(String, String)> {
        if !text.starts_with('(') {
            return None;
        }
        let m = self.sublabel.captures(text)?;
        let label = m[1].to_string();
        let rest = text[m[0].len()..].trim().to_string();
        Some((label, rest))
    }

    /// The position of a label in its sequence, for `check` to find gaps
    /// and disorder: 14 → 14, (l) → 12; labels it cannot place (`(ii)`,
    /// `4.1`) give none.
    /// The ordinal of a label with parts (`6 (a)`, `6 bis`, `6.1`): that of
    /// the label it divides or follows (6); `None` for a label without.
    pub fn divided_label_ordinal(&self, label: &str) -> Option<u32> {
        if label.starts_with('(') {
            return None;
        }
        let cut = label.find(|c: char| c.is_whitespace() || c == '.' || c == '(')?;
        self.label_ordinal(label[..cut].trim())
    }

    pub fn label_ordinal(&self, label: &str) -> Option<u32> {
        let inner = label.trim_start_matches('(').trim_end_matches(')');
        if let Ok(n) = inner.parse::<u32>() {
            return Some(n);
        }
        let mut chars = inner.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_alphabetic() => {
                Some(c.to_ascii_lowercase() as u32 - 'a' as u32 + 1)
            }
            _ => None,
        }
    }

    /// The number pairs in a text that look like page numbers the PDF
    /// conversion left behind ("law 7/7 enforcement"), as (offset of the
    /// first number, first number, second number); citations such as
    /// "resolution 9/1" and pairs whose first number is 0 or above the
    /// second are not.
    pub fn page_numbers<'t>(&self, text: &'t str) -> Vec<(usize, &'t str, &'t str)> {
        let mut out = Vec::new();
        if !text.contains('/') {
            return out;
        }
        for c in self.page_number.captures_iter(text) {
            let before = c.get(1).map(|w| w.as_str().trim().to_lowercase());
            if before
                .as_deref()
                .is_some_and(|w| self.citing_words.contains(&w))
            {
                continue;
            }
            let (Some(a), Some(z)) = (c.get(2), c.get(3)) else {
                continue;
            };
            let (an, zn) = (
                a.as_str().parse::<u32>().unwrap_or(0),
                z.as_str().parse::<u32>().unwrap_or(0),
            );
            if an == 0 || an > zn {
                continue;
            }
            out.push((a.start(), a.as_str(), z.as_str()));
        }
        out
    }
}

/// Whether `s` is meant as a UN document symbol: at least three
/// `/`-separated segments, the first in capitals (`CTOC/COP/WG.4/2022/4`).
/// A symbol recognised here may still be malformed; see [`symbol_problem`].
pub fn looks_like_symbol(s: &str) -> bool {
    let s = s.trim();
    let segments: Vec<&str> = s.split('/').collect();
    segments.len() >= 3
        && segments[0].len() >= 2
        && segments[0].bytes().all(|b| b.is_ascii_uppercase())
        && !s.contains("  ")
        && s.split_whitespace().count() <= segments.len()
}

/// Where a citation of corrigenda, addenda or revisions starts at the end
/// of a UN symbol: `/Corr.1`, `/Add.2`, `/Rev.1`, or ` and Corr.1`,
/// `, Corr.1`, in any sequence (`/Rev.1 and Corr.1`).
pub fn symbol_citation(s: &str) -> Option<usize> {
    static CITATION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:\s*(?:/|,|\band\b|&)\s*(?:corr|add|rev|amend)\.?\s*\d{1,2})+\s*$")
            .expect("valid")
    });
    let m = CITATION.find(s)?;
    // A symbol is left before it.
    looks_like_symbol(&s[..m.start()]).then_some(m.start())
}

/// What is wrong with a UN symbol, if anything: symbols are capitals,
/// digits, `.` and `-` in non-empty `/`-separated segments.
pub fn symbol_problem(s: &str) -> Option<&'static str> {
    if s.chars().any(char::is_whitespace) {
        return Some("it contains spaces");
    }
    if s.split('/').any(str::is_empty) {
        return Some("it has an empty segment (\"//\" or a '/' at an end)");
    }
    if s.chars().any(|c| c.is_ascii_lowercase()) {
        return Some("it contains lower-case letters");
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '/' | '.' | '-'))
    {
        return Some("it contains characters other than capitals, digits, '.', '-' and '/'");
    }
    None
}

/// The year a UN symbol dates its meeting to: its first segment of four
/// characters starting `19` or `20`, if that segment is a number.
pub fn symbol_year(symbol: &str) -> Option<i32> {
    symbol
        .split('/')
        .find(|s| s.len() == 4 && (s.starts_with("19") || s.starts_with("20")))
        .and_then(|s| s.parse().ok())
}

/// The year a UN symbol names: its first segment of four ASCII digits.
pub fn symbol_named_year(symbol: &str) -> Option<&str> {
    symbol
        .split('/')
        .find(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_with_parts_are_read_from_rules_4_only() {
        for (plain, label) in [
            ("Recommendation 6 (a)", "6 (a)"),
            ("Recommendation 6(b)", "6(b)"),
            ("Recommendation  6   bis", "6 bis"),
            ("Recommendation 6.1", "6.1"),
            ("Recommendation 14", "14"),
        ] {
            assert_eq!(
                UNTOC.label_under(plain, Rules::V4),
                Some((ItemKind::Recommendation, label.to_string())),
                "{plain}"
            );
        }
        assert_eq!(UNTOC.label_under("Recommendation 6 (a)", Rules::V3), None);
        assert_eq!(UNTOC.label_under("Recommendation 6 and 7", Rules::V4), None);
        assert_eq!(UNTOC.divided_label_ordinal("6 (a)"), Some(6));
        assert_eq!(UNTOC.divided_label_ordinal("6 bis"), Some(6));
        assert_eq!(UNTOC.divided_label_ordinal("(l)"), None);
        assert_eq!(UNTOC.divided_label_ordinal("14"), None);
    }

    #[test]
    fn a_citation_of_corrigenda_addenda_or_revisions_leaves_the_symbol() {
        for (cited, symbol) in [
            ("CTOC/COP/WG.6/2023/5 and Corr.1", "CTOC/COP/WG.6/2023/5"),
            ("CTOC/COP/WG.6/2023/5/Corr.1", "CTOC/COP/WG.6/2023/5"),
            ("CTOC/COP/WG.6/2023/5/Add.1", "CTOC/COP/WG.6/2023/5"),
            (
                "CTOC/COP/WG.6/2023/5/Rev.1 and Corr.2",
                "CTOC/COP/WG.6/2023/5",
            ),
            ("CTOC/COP/WG.6/2023/5, Corr.1", "CTOC/COP/WG.6/2023/5"),
            ("CTOC/COP/WG.6/2023/5", "CTOC/COP/WG.6/2023/5"),
        ] {
            assert_eq!(UNTOC.split_citation(cited).0, symbol, "{cited}");
            assert_eq!(UNTOC.symbol_problem(symbol), None);
        }
        // A citation with no symbol before it is not one.
        assert_eq!(UNTOC.split_citation("Corr.1").0, "Corr.1");
    }

    #[test]
    fn the_label_pattern_reads_every_kind_word() {
        for &(kind, word) in UNTOC.kind_words {
            for w in [word.to_string(), word.to_lowercase(), word.to_uppercase()] {
                assert_eq!(UNTOC.label(&format!("{w} 14")), Some((kind, "14".into())));
                assert_eq!(
                    UNTOC.label(&format!("{w} (l).")),
                    Some((kind, "(l)".into()))
                );
            }
            let first = word.chars().next().expect("a word").to_ascii_lowercase();
            assert!(!matches!(first, 'k' | 's'), "{word}: see `label`");
        }
        assert_eq!(UNTOC.label("Recommendations 14"), None);
        assert_eq!(UNTOC.label("Note 14"), None);
        assert_eq!(
            UNTOC.label("Obſervation 3"),
            Some((ItemKind::Recommendation, "3".into())),
            "a word matched by case folding alone is the first kind, as it always was"
        );
    }

    #[test]
    fn parts_years_and_dates() {
        assert_eq!(
            UNTOC.part("Part B: Observations"),
            Some(("B".into(), "Observations".into()))
        );
        assert_eq!(UNTOC.part("A. x"), Some(("A".into(), "x".into())));
        assert_eq!(UNTOC.part("Background"), None);
        assert_eq!(UNTOC.part_name("A"), "Part A");
        assert_eq!(
            UNTOC.part_kind("Recommendations by the Working Groups"),
            ItemKind::Recommendation
        );
        assert_eq!(UNTOC.part_kind("Other"), ItemKind::Observation);
        assert_eq!(UNTOC.year("2023"), Some(2023));
        assert_eq!(UNTOC.year("２０２３"), None);
        let (place, date) = UNTOC.date_line("Vienna, April 2024").expect("a date line");
        assert_eq!(
            (place.as_deref(), date.to_string()),
            (Some("Vienna"), "2024-04".into())
        );
        assert!(UNTOC.is_contents_title("Table of CONTENTS"));
        for entry in [
            TocEntry::Section("Background".into()),
            TocEntry::Part {
                key: "A".into(),
                title: "Recommendations".into(),
            },
            TocEntry::Meeting {
                year: 2022,
                body: "Working Group on X".into(),
            },
        ] {
            let written = UNTOC.contents_entry(&entry);
            assert_eq!(written, entry.to_string());
            let meeting = matches!(entry, TocEntry::Meeting { .. });
            assert_eq!(UNTOC.is_contents_meeting(&written), meeting, "{written}");
        }
        assert_eq!(
            UNTOC.contents_meeting("2022: Working Group on X"),
            Some((2022, "Working Group on X"))
        );
    }

    #[test]
    fn symbols_and_their_years() {
        assert_eq!(UNTOC.symbol_year("CTOC/COP/WG.4/2022/4"), Some(2022));
        assert_eq!(UNTOC.symbol_year("CTOC/COP/20ab/2022"), None);
        assert_eq!(UNTOC.symbol_named_year("A/RES/1999/3"), Some("1999"));
        assert!(UNTOC.looks_like_symbol(UNTOC.symbols.example));
        assert_eq!(UNTOC.symbol_problem(UNTOC.symbols.example), None);
        assert!(UNTOC.names_a_source("Summary by the Chair"));
    }

    #[test]
    fn labels_sub_labels_and_page_numbers() {
        assert_eq!(
            UNTOC.split_sublabel("(iv) text "),
            Some(("(iv)".into(), "text".into()))
        );
        assert_eq!(UNTOC.split_sublabel("(abcd) text"), None);
        assert_eq!(UNTOC.label_ordinal("(l)"), Some(12));
        assert_eq!(UNTOC.label_ordinal("14"), Some(14));
        assert_eq!(UNTOC.label_ordinal("(ii)"), None);
        assert_eq!(
            UNTOC.page_numbers("law 7/7 enforcement, resolution 9/1, 0/3 and 5/4"),
            vec![(4, "7", "7")]
        );
    }
}
