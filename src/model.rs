//! The structured model of one edition of a living document: front matter,
//! parts, meetings and items. Every later stage (store, diff, history,
//! render, site) works on these plain types. The table of contents is
//! derived from them and never stored.
//!
//! The model is free to change: it has no serde. What is stored is a
//! versioned record (`store::records`) and what is printed is a JSON view
//! (`render::json`), each converted explicitly from these types.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// Declares a name that is a string on disk and in JSON but a type of its
/// own in code, so that an item id is never passed where a meeting key is
/// expected. It reads as a `&str` (`Deref`, `Borrow<str>`), so maps keyed
/// by it are looked up by `&str`.
macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn new(s: impl Into<String>) -> Self {
                $name(s.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }

        impl From<$name> for String {
            fn from(n: $name) -> String {
                n.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

name_type! {
    /// An item's permanent id (`CTOC/COP/WG.4/2022/4#14`, `…#o3`), minted
    /// when the item first appeared and never given to another text.
    ItemId
}

name_type! {
    /// A meeting's permanent key: the normalised UN symbol, else
    /// `part/year/slug`.
    MeetingKey
}

/// One edition of the compilation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    /// The edition id, such as `2024-04`.
    pub id: String,
    /// The document's title, as published (whitespace collapsed).
    pub title: String,
    /// Where it was issued ("Vienna"), from the document's own date line.
    pub place: Option<String>,
    /// When it was issued.
    pub date: EditionDate,
    /// Lines of the title page above the title ("**UNODC**", ...), as Markdown.
    pub masthead: Vec<String>,
    /// Titled prose before the parts (Guidance for Readers, Background, ...).
    pub front_matter: Vec<Section>,
    pub parts: Vec<Part>,
    /// What follows the parts after the closing rule (the contact line), as Markdown.
    pub contact: Option<String>,
}

/// A titled section of prose, kept as Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub body: String,
}

/// A part of the compilation ("A", "B").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub key: String,
    pub title: String,
    pub meetings: Vec<Meeting>,
}

/// One meeting (a working group session or a constructive dialogue) and the
/// items it produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    /// The permanent key: the normalised UN symbol, else `part/year/slug`.
    pub key: MeetingKey,
    pub part: String,
    pub year: i32,
    /// Who met: "Working Group on Firearms".
    pub body: String,
    pub kind: MeetingKind,
    /// The UN document symbol, as published.
    pub symbol: Option<String>,
    /// The label of the source when there is no symbol ("Summary by the Chair").
    pub source: Option<String>,
    /// The link target of the symbol or source, as published (often `#`).
    pub link: Option<String>,
    pub items: Vec<Item>,
}

/// A meeting's heading and how many items it holds: everything a diff
/// needs of a meeting that did not change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingHeader {
    pub key: MeetingKey,
    pub part: String,
    pub year: i32,
    pub body: String,
    pub kind: MeetingKind,
    pub symbol: Option<String>,
    pub source: Option<String>,
    pub link: Option<String>,
    pub items: usize,
}

impl Meeting {
    /// Its heading and item count.
    pub fn header(&self) -> MeetingHeader {
        MeetingHeader {
            key: self.key.clone(),
            part: self.part.clone(),
            year: self.year,
            body: self.body.clone(),
            kind: self.kind,
            symbol: self.symbol.clone(),
            source: self.source.clone(),
            link: self.link.clone(),
            items: self.items.len(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeetingKind {
    WorkingGroup,
    ConstructiveDialogue,
    Other,
}

impl MeetingKind {
    /// Classifies a meeting by the name of the body that met.
    pub fn from_body(body: &str) -> Self {
        let lower = body.to_lowercase();
        if lower.starts_with("working group") {
            MeetingKind::WorkingGroup
        } else if lower.starts_with("constructive dialogue") {
            MeetingKind::ConstructiveDialogue
        } else {
            MeetingKind::Other
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::WorkingGroup => "working_group",
            MeetingKind::ConstructiveDialogue => "constructive_dialogue",
            MeetingKind::Other => "other",
        }
    }
}

/// A recommendation or an observation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The permanent id, minted when the item first appeared.
    pub id: ItemId,
    pub kind: ItemKind,
    /// The display label ("14", "(l)"); `None` for unlabelled observations.
    pub label: Option<String>,
    /// The text as published, as inline Markdown.
    pub text: String,
    pub subitems: Vec<SubItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Recommendation,
    Observation,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Recommendation => "recommendation",
            ItemKind::Observation => "observation",
        }
    }

    pub fn plural(self, n: usize) -> &'static str {
        match (self, n) {
            (ItemKind::Recommendation, 1) => "recommendation",
            (ItemKind::Recommendation, _) => "recommendations",
            (ItemKind::Observation, 1) => "observation",
            (ItemKind::Observation, _) => "observations",
        }
    }
}

/// One entry of an item's sub-list: `(a) strengthening measures ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubItem {
    /// "(a)"; empty for a plain bullet.
    pub label: String,
    pub text: String,
}

/// The date an edition was issued, to the precision the document gives
/// ("April 2024" or "15 April 2024"). Displayed as `2024-04` or `2024-04-15`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EditionDate {
    date: NaiveDate,
    has_day: bool,
}

impl EditionDate {
    pub fn month(year: i32, month: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|date| EditionDate {
            date,
            has_day: false,
        })
    }

    pub fn day(year: i32, month: u32, day: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, day).map(|date| EditionDate {
            date,
            has_day: true,
        })
    }

    /// Parses `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Self> {
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| {
            if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse::<u32>().ok()
            } else {
                None
            }
        };
        match parts.as_slice() {
            [y, m] => Self::month(num(y, 4)? as i32, num(m, 2)?),
            [y, m, d] => Self::day(num(y, 4)? as i32, num(m, 2)?, num(d, 2)?),
            _ => None,
        }
    }

    pub fn naive(&self) -> NaiveDate {
        self.date
    }

    pub fn has_day(&self) -> bool {
        self.has_day
    }

    /// The date as a reader would write it: "April 2024", "15 April 2024".
    pub fn long(&self) -> String {
        let month = MONTHS[self.date.month0() as usize];
        if self.has_day {
            format!("{} {} {}", self.date.day(), month, self.date.year())
        } else {
            format!("{} {}", month, self.date.year())
        }
    }
}

pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl fmt::Display for EditionDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.has_day {
            write!(f, "{}", self.date.format("%Y-%m-%d"))
        } else {
            write!(f, "{}", self.date.format("%Y-%m"))
        }
    }
}

/// Counts of what an edition holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub meetings: usize,
    pub recommendations: usize,
    pub observations: usize,
}

impl Counts {
    pub fn items(&self) -> usize {
        self.recommendations + self.observations
    }

    fn add_item(&mut self, kind: ItemKind) {
        match kind {
            ItemKind::Recommendation => self.recommendations += 1,
            ItemKind::Observation => self.observations += 1,
        }
    }
}

impl Part {
    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            meetings: self.meetings.len(),
            ..Counts::default()
        };
        for item in self.meetings.iter().flat_map(|m| &m.items) {
            c.add_item(item.kind);
        }
        c
    }
}

impl Edition {
    pub fn counts(&self) -> Counts {
        let mut total = Counts::default();
        for p in &self.parts {
            let c = p.counts();
            total.meetings += c.meetings;
            total.recommendations += c.recommendations;
            total.observations += c.observations;
        }
        total
    }

    /// Every meeting, in document order.
    pub fn meetings(&self) -> impl Iterator<Item = &Meeting> {
        self.parts.iter().flat_map(|p| &p.meetings)
    }

    /// The meeting with this key: a scan of every meeting. To look up
    /// many, build a [`MeetingIndex`] once.
    pub fn meeting(&self, key: &str) -> Option<&Meeting> {
        self.meetings().find(|m| m.key == key)
    }

    /// Every meeting by its key, built in one pass, for renderers that
    /// look up a meeting per line: `meeting` in such a loop made `blame`
    /// of N meetings cost N × N key comparisons (100,000 meetings: a
    /// minute).
    pub fn meeting_index(&self) -> MeetingIndex<'_> {
        let mut by_key = std::collections::HashMap::new();
        for m in self.meetings() {
            // The first of a repeated key, as `meeting` finds it.
            by_key.entry(m.key.as_str()).or_insert(m);
        }
        MeetingIndex { by_key }
    }

    /// Finds an item by its permanent id.
    pub fn item(&self, id: &str) -> Option<(&Meeting, &Item)> {
        self.meetings()
            .flat_map(|m| m.items.iter().map(move |i| (m, i)))
            .find(|(_, i)| i.id == id)
    }

    /// The derived table of contents.
    pub fn toc(&self) -> Vec<TocEntry> {
        let mut toc: Vec<TocEntry> = self
            .front_matter
            .iter()
            .map(|s| TocEntry::Section(s.title.clone()))
            .collect();
        for part in &self.parts {
            toc.push(TocEntry::Part {
                key: part.key.clone(),
                title: part.title.clone(),
            });
            for m in &part.meetings {
                toc.push(TocEntry::Meeting {
                    year: m.year,
                    body: m.body.clone(),
                });
            }
        }
        toc
    }
}

/// An edition's meetings by key ([`Edition::meeting_index`]): each lookup
/// is a hash, not a scan.
#[derive(Debug, Clone)]
pub struct MeetingIndex<'a> {
    by_key: std::collections::HashMap<&'a str, &'a Meeting>,
}

impl<'a> MeetingIndex<'a> {
    /// The meeting with this key, as [`Edition::meeting`] finds it.
    pub fn get(&self, key: &str) -> Option<&'a Meeting> {
        self.by_key.get(key).copied()
    }
}

/// One line of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TocEntry {
    Section(String),
    Part { key: String, title: String },
    Meeting { year: i32, body: String },
}

impl fmt::Display for TocEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TocEntry::Section(title) => f.write_str(title),
            TocEntry::Part { key, title } => write!(f, "{key}. {title}"),
            TocEntry::Meeting { year, body } => write!(f, "{year}: {body}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edition_date_parses_and_prints_both_precisions() {
        let m = EditionDate::parse("2024-04").expect("month date");
        assert_eq!(m.to_string(), "2024-04");
        assert_eq!(m.long(), "April 2024");
        let d = EditionDate::parse("2025-03-07").expect("day date");
        assert_eq!(d.to_string(), "2025-03-07");
        assert_eq!(d.long(), "7 March 2025");
        for bad in ["2024", "2024-13", "24-04", "2024-4", "2024-02-30", "x"] {
            assert!(EditionDate::parse(bad).is_none(), "{bad} should not parse");
        }
    }

    #[test]
    fn meeting_kind_from_body() {
        assert_eq!(
            MeetingKind::from_body("Working Group on Firearms"),
            MeetingKind::WorkingGroup
        );
        assert_eq!(
            MeetingKind::from_body("Constructive Dialogue on Technical Assistance"),
            MeetingKind::ConstructiveDialogue
        );
        assert_eq!(MeetingKind::from_body("Plenary"), MeetingKind::Other);
    }
}
