//! What a Word document's styles and numbering say about its paragraphs:
//! which are headings (by outline level, else by the built-in style
//! names), which are entries of a table of contents, which runs are bold
//! or italic, and how each numbered paragraph is numbered.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};

/// Local name and value of each attribute of an element.
pub(super) fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// A toggle property (`<w:b/>`, `<w:b w:val="0"/>`): on unless its value
/// says off.
pub(super) fn toggle(e: &BytesStart<'_>) -> bool {
    !matches!(
        attr(e, "val").as_deref(),
        Some("0" | "false" | "off" | "none")
    )
}

#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num: Option<(String, u8)>,
    bold: Option<bool>,
    italic: Option<bool>,
}

/// The styles of `styles.xml`, by id.
#[derive(Debug, Default)]
pub(super) struct Styles {
    by_id: HashMap<String, Style>,
}

/// How deep a chain of `basedOn` is followed (Word allows far less).
const MAX_CHAIN: usize = 16;

/// The longest style name that can mean something: the built-in names a
/// reader recognises (`heading 3`, `toc 1`, `Title`, `Strong`) are short,
/// and Word allows 253 characters. A longer name (or id) is read as no
/// name at all, so that no paragraph pays for it.
pub(super) const MAX_STYLE_NAME: usize = 256;

/// A style's name (or, for a style the document does not define, its
/// id) as it is compared: lower case, without spaces; empty when longer
/// than [`MAX_STYLE_NAME`].
fn name_key(name: &str) -> String {
    if name.len() > MAX_STYLE_NAME {
        return String::new();
    }
    name.chars()
        .filter(|c| *c != ' ')
        .flat_map(char::to_lowercase)
        .collect()
}

impl Styles {
    pub(super) fn read(xml: Option<&str>) -> Styles {
        let mut by_id = HashMap::new();
        let Some(xml) = xml else {
            return Styles { by_id };
        };
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut current: Option<(String, Style)> = None;
        let mut in_rpr = false;
        let mut num_id: Option<String> = None;
        let mut ilvl = 0u8;
        // A damaged styles part leaves the styles read before it.
        while let Ok(ev) = reader.read_event() {
            match ev {
                Event::Start(e) if e.local_name().as_ref() == "rPr" => in_rpr = current.is_some(),
                Event::Start(e) | Event::Empty(e) => {
                    let local = e.local_name();
                    match local.as_ref() {
                        "style" => {
                            let id = attr(&e, "styleId").unwrap_or_default();
                            current = Some((id, Style::default()));
                            num_id = None;
                            ilvl = 0;
                        }
                        _ if current.is_none() => {}
                        "name" => {
                            if let Some((_, s)) = current.as_mut() {
                                s.name = name_key(&attr(&e, "val").unwrap_or_default());
                            }
                        }
                        "basedOn" => {
                            if let Some((_, s)) = current.as_mut() {
                                s.based_on = attr(&e, "val");
                            }
                        }
                        "outlineLvl" => {
                            if let Some((_, s)) = current.as_mut() {
                                s.outline = attr(&e, "val").and_then(|v| v.parse().ok());
                            }
                        }
                        "numId" => num_id = attr(&e, "val"),
                        "ilvl" => ilvl = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(0),
                        "b" if in_rpr => {
                            if let Some((_, s)) = current.as_mut() {
                                s.bold = Some(toggle(&e));
                            }
                        }
                        "i" if in_rpr => {
                            if let Some((_, s)) = current.as_mut() {
                                s.italic = Some(toggle(&e));
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    "style" => {
                        // A style without an id is one no paragraph can
                        // name (Word ignores it); a paragraph without a
                        // style must not take it.
                        if let Some((id, mut s)) = current.take().filter(|(id, _)| !id.is_empty()) {
                            if let Some(n) = num_id.take() {
                                s.num = Some((n, ilvl));
                            }
                            by_id.insert(id, s);
                        }
                    }
                    "rPr" => in_rpr = false,
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        Styles { by_id }
    }

    /// The style and those it is based on, nearest first.
    fn chain<'a>(&'a self, id: &'a str) -> impl Iterator<Item = (&'a str, Option<&'a Style>)> {
        let mut next = Some(id);
        std::iter::from_fn(move || {
            let id = next?;
            let style = self.by_id.get(id);
            next = style.and_then(|s| s.based_on.as_deref());
            Some((id, style))
        })
        .take(MAX_CHAIN)
    }

    /// The heading level (1-based) a paragraph of this style has: its
    /// outline level, else a built-in heading's number (`heading 2`), the
    /// title being a first-level heading.
    pub(super) fn heading_level(&self, id: &str) -> Option<u8> {
        for (sid, style) in self.chain(id) {
            if let Some(lvl) = style.and_then(|s| s.outline) {
                return (lvl < 9).then(|| lvl + 1);
            }
            let name = style.map_or_else(|| name_key(sid), |s| s.name.clone());
            if name == "title" {
                return Some(1);
            }
            if let Some(n) = name.strip_prefix("heading")
                && let Ok(n) = n.parse::<u8>()
                && (1..=9).contains(&n)
            {
                return Some(n);
            }
        }
        None
    }

    /// Whether a paragraph of this style is an entry of a table of
    /// contents (`toc 1` … `toc 9`), or its heading (`TOC Heading`).
    pub(super) fn toc_role(&self, id: &str) -> Option<TocRole> {
        for (sid, style) in self.chain(id) {
            let name = style.map_or_else(|| name_key(sid), |s| s.name.clone());
            if name == "tocheading" {
                return Some(TocRole::Heading);
            }
            if let Some(n) = name.strip_prefix("toc")
                && n.parse::<u8>().is_ok()
            {
                return Some(TocRole::Entry);
            }
        }
        None
    }

    /// The numbering a paragraph of this style has.
    pub(super) fn numbering(&self, id: &str) -> Option<(String, u8)> {
        self.chain(id)
            .find_map(|(_, s)| s.and_then(|s| s.num.clone()))
    }

    /// Whether a character style makes its runs bold and italic.
    pub(super) fn run_format(&self, id: &str) -> (Option<bool>, Option<bool>) {
        let mut bold = None;
        let mut italic = None;
        for (sid, style) in self.chain(id) {
            let name = style.map_or_else(|| name_key(sid), |s| s.name.clone());
            if let Some(s) = style {
                bold = bold.or(s.bold);
                italic = italic.or(s.italic);
            }
            match name.as_str() {
                "strong" => bold = bold.or(Some(true)),
                "emphasis" => italic = italic.or(Some(true)),
                _ => {}
            }
        }
        (bold, italic)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TocRole {
    Heading,
    Entry,
}

/// One level of a list's numbering.
#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

#[derive(Debug, Default)]
struct Num {
    abstract_id: String,
    start_overrides: HashMap<u8, u32>,
    /// Levels this list defines anew (`w:lvlOverride/w:lvl`), in place of
    /// its abstract list's: LibreOffice writes each list so. Once
    /// [`Numbering::link_styles`] has run, all its levels (the abstract
    /// list's filled in), so that no paragraph merges them again.
    level_overrides: HashMap<u8, Level>,
}

/// The longest `w:lvlText` read: Word's own are a few characters (`%1.`,
/// `(%1)`, `Recommendation %4`). A longer one is not a number; it is
/// ignored, with a warning, so that no paragraph multiplies it.
pub(super) const MAX_LEVEL_TEXT: usize = 64;
/// The longest number a paragraph is given (a level's text with its
/// placeholders filled in); a longer one is not read, with a warning.
pub(super) const MAX_MARKER: usize = 64;
/// How many times a letter repeats past `z` (`aa`, `aaa`): Word goes on
/// for ever; no list of the compilation's goes past `z`.
const MAX_LETTER_REPEAT: u32 = 4;

/// The lists of `numbering.xml` and the counters of those met so far.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    /// How many levels and numbers were too long to read
    /// ([`MAX_LEVEL_TEXT`], [`MAX_MARKER`]).
    pub(super) oversized: usize,
    abstracts: HashMap<String, HashMap<u8, Level>>,
    /// Abstract lists that are a list style's (`w:numStyleLink`): their
    /// levels are those of the list the style numbers with.
    style_links: HashMap<String, String>,
    nums: HashMap<String, Num>,
    /// Per abstract list, the count of each level.
    counters: HashMap<String, std::collections::BTreeMap<u8, u32>>,
    /// Lists whose start overrides have been applied.
    started: std::collections::HashSet<String>,
}

/// What a numbered paragraph's number is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Marker {
    Bullet,
    /// The number as printed: `1.`, `(a)`, `iv)`.
    Text(String),
}

impl Numbering {
    /// Gives each abstract list that links to a list style the levels of
    /// the list that style numbers with, as Word does for the lists of a
    /// multilevel list style (Home > Multilevel List > Define New List
    /// Style); then gives each list that defines levels anew the rest of
    /// its abstract list's.
    pub(super) fn link_styles(&mut self, styles: &Styles) {
        let links = std::mem::take(&mut self.style_links);
        for (abs, style) in links {
            let levels = styles
                .numbering(&style)
                .and_then(|(num, _)| self.nums.get(&num))
                .map(|n| n.abstract_id.clone())
                .filter(|target| *target != abs)
                .and_then(|target| self.abstracts.get(&target).cloned());
            if let Some(levels) = levels
                && self.abstracts.get(&abs).is_none_or(HashMap::is_empty)
            {
                self.abstracts.insert(abs, levels);
            }
        }
        for num in self.nums.values_mut() {
            if num.level_overrides.is_empty() {
                continue;
            }
            if let Some(base) = self.abstracts.get(&num.abstract_id) {
                for (k, v) in base {
                    num.level_overrides.entry(*k).or_insert_with(|| v.clone());
                }
            }
        }
    }

    pub(super) fn read(xml: Option<&str>) -> Numbering {
        let mut n = Numbering::default();
        let Some(xml) = xml else {
            return n;
        };
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut abs: Option<(String, HashMap<u8, Level>)> = None;
        let mut level: Option<(u8, Level)> = None;
        let mut num: Option<(String, Num)> = None;
        let mut override_lvl: Option<u8> = None;
        while let Ok(ev) = reader.read_event() {
            match ev {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "abstractNum" => {
                        abs = Some((
                            attr(&e, "abstractNumId").unwrap_or_default(),
                            HashMap::new(),
                        ))
                    }
                    "lvl" if abs.is_some() || num.is_some() => {
                        let ilvl = attr(&e, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                        level = Some((
                            ilvl,
                            Level {
                                format: "decimal".into(),
                                text: String::new(),
                                start: 1,
                            },
                        ));
                    }
                    "start" => {
                        if let Some((_, l)) = level.as_mut() {
                            l.start = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                        }
                    }
                    "numStyleLink" => {
                        if let (Some((id, _)), Some(style)) = (abs.as_ref(), attr(&e, "val")) {
                            n.style_links.insert(id.clone(), style);
                        }
                    }
                    "numFmt" => {
                        if let Some((_, l)) = level.as_mut() {
                            l.format = attr(&e, "val").unwrap_or_default();
                        }
                    }
                    "lvlText" => {
                        if let Some((_, l)) = level.as_mut() {
                            let text = attr(&e, "val").unwrap_or_default();
                            if text.len() > MAX_LEVEL_TEXT {
                                n.oversized += 1;
                            } else {
                                l.text = text;
                            }
                        }
                    }
                    "num" => {
                        num = Some((attr(&e, "numId").unwrap_or_default(), Num::default()));
                    }
                    "abstractNumId" => {
                        if let Some((_, m)) = num.as_mut() {
                            m.abstract_id = attr(&e, "val").unwrap_or_default();
                        }
                    }
                    "lvlOverride" => {
                        override_lvl = attr(&e, "ilvl").and_then(|v| v.parse().ok());
                    }
                    "startOverride" => {
                        if let (Some((_, m)), Some(l)) = (num.as_mut(), override_lvl) {
                            let v = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                            m.start_overrides.insert(l, v);
                        }
                    }
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    "lvl" => match (level.take(), abs.as_mut(), num.as_mut()) {
                        (Some((il, l)), Some((_, levels)), _) => {
                            levels.insert(il, l);
                        }
                        (Some((il, l)), None, Some((_, m))) => {
                            // Only a `w:startOverride` restarts the count.
                            m.level_overrides.insert(il, l);
                        }
                        _ => {}
                    },
                    "abstractNum" => {
                        if let Some((id, levels)) = abs.take() {
                            n.abstracts.insert(id, levels);
                        }
                    }
                    "num" => {
                        if let Some((id, m)) = num.take() {
                            n.nums.insert(id, m);
                        }
                    }
                    "lvlOverride" => override_lvl = None,
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        n
    }

    /// Counts the next paragraph of list `num_id` at level `ilvl` and
    /// gives its marker; `None` for a list the document does not define
    /// (or `numId` 0, which means "not numbered").
    pub(super) fn next(&mut self, num_id: &str, ilvl: u8) -> Option<Marker> {
        let num = self.nums.get(num_id)?;
        let abs_id = num.abstract_id.clone();
        let base = self.abstracts.get(&abs_id)?;
        let levels = if num.level_overrides.is_empty() {
            base
        } else {
            &num.level_overrides
        };
        let counts = self.counters.entry(abs_id).or_default();
        if self.started.insert(num_id.to_string()) {
            for (&l, &v) in &num.start_overrides {
                // The first paragraph at that level counts from the override.
                counts.insert(l, v.saturating_sub(1));
            }
        }
        let start = levels.get(&ilvl).map_or(1, |l| l.start);
        let c = counts.entry(ilvl).or_insert(start.saturating_sub(1));
        *c = c.saturating_add(1);
        // Deeper levels restart under a new entry at this level.
        if let Some(deeper) = ilvl.checked_add(1) {
            counts.split_off(&deeper);
        }
        let level = levels.get(&ilvl)?;
        if level.format == "bullet" || level.format == "none" && level.text.is_empty() {
            return Some(Marker::Bullet);
        }
        let mut text = level.text.clone();
        // Word's placeholders are %1 … %9, one per level.
        for k in (0..=ilvl.min(8)).rev() {
            let placeholder = format!("%{}", k + 1);
            if !text.contains(&placeholder) {
                continue;
            }
            let n = counts.get(&k).copied().unwrap_or(1);
            let fmt = levels.get(&k).map_or("decimal", |l| l.format.as_str());
            text = text.replace(&placeholder, &format_number(n, fmt));
        }
        let text = text.trim().to_string();
        if text.chars().count() > MAX_MARKER {
            self.oversized += 1;
            return Some(Marker::Bullet);
        }
        if text.is_empty() {
            return Some(Marker::Bullet);
        }
        Some(Marker::Text(text))
    }
}

/// A list number in one of Word's formats.
fn format_number(n: u32, format: &str) -> String {
    match format {
        "lowerLetter" => letters(n),
        "upperLetter" => letters(n).to_uppercase(),
        "lowerRoman" => roman(n),
        "upperRoman" => roman(n).to_uppercase(),
        _ => n.to_string(),
    }
}

/// a … z, aa … zz (Word repeats the letter).
fn letters(n: u32) -> String {
    if n == 0 {
        return "0".into();
    }
    let c = (b'a' + ((n - 1) % 26) as u8) as char;
    std::iter::repeat_n(c, ((n - 1) / 26 + 1).min(MAX_LETTER_REPEAT) as usize).collect()
}

fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    let table = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut s = String::new();
    for (v, r) in table {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_in_words_formats() {
        assert_eq!(format_number(1, "lowerLetter"), "a");
        assert_eq!(format_number(27, "lowerLetter"), "aa");
        assert_eq!(format_number(14, "lowerRoman"), "xiv");
        assert_eq!(format_number(3, "upperLetter"), "C");
        assert_eq!(format_number(12, "decimal"), "12");
    }

    #[test]
    fn headings_come_from_outline_levels_and_built_in_names() {
        let xml = r#"<w:styles xmlns:w="x">
          <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>
          <w:style w:type="paragraph" w:styleId="MeetingHead"><w:name w:val="Meeting"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
          <w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="Mine"/><w:basedOn w:val="MeetingHead"/></w:style>
          <w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/></w:style>
          <w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/></w:style>
          <w:style w:type="character" w:styleId="Em"><w:name w:val="Em"/><w:rPr><w:i/><w:b w:val="0"/></w:rPr></w:style>
        </w:styles>"#;
        let s = Styles::read(Some(xml));
        assert_eq!(s.heading_level("Heading2"), Some(2));
        // A heading style without an id makes no unstyled paragraph one.
        let nameless = r#"<w:styles xmlns:w="w"><w:style w:type="paragraph"><w:name w:val="heading 3"/></w:style></w:styles>"#;
        assert_eq!(Styles::read(Some(nameless)).heading_level(""), None);
        assert_eq!(s.heading_level("Mine"), Some(3));
        assert_eq!(s.heading_level("Normal"), None);
        assert_eq!(
            s.heading_level("Heading4"),
            Some(4),
            "a built-in id without a definition"
        );
        assert_eq!(s.toc_role("TOC1"), Some(TocRole::Entry));
        assert_eq!(s.run_format("Strong"), (Some(true), None));
        assert_eq!(s.run_format("Em"), (Some(false), Some(true)));
    }

    #[test]
    fn lettered_lists_count_and_restart() {
        let xml = r#"<w:numbering xmlns:w="x">
          <w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%1)"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%2."/></w:lvl>
          </w:abstractNum>
          <w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
          <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
          <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
          <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
        </w:numbering>"#;
        let mut n = Numbering::read(Some(xml));
        let t = |s: &str| Some(Marker::Text(s.to_string()));
        assert_eq!(n.next("1", 0), t("(a)"));
        assert_eq!(n.next("1", 0), t("(b)"));
        assert_eq!(n.next("1", 1), t("i."));
        assert_eq!(n.next("1", 1), t("ii."));
        assert_eq!(n.next("1", 0), t("(c)"));
        assert_eq!(n.next("1", 1), t("i."), "a deeper level restarts");
        assert_eq!(n.next("2", 0), Some(Marker::Bullet));
        assert_eq!(
            n.next("3", 0),
            t("(a)"),
            "a start override restarts the list"
        );
        assert_eq!(n.next("9", 0), None);
    }
}
