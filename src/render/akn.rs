//! An edition as Akoma Ntoso 3.0 (OASIS LegalDocML): the compilation in
//! the XML vocabulary parliaments and the UN mark legal and
//! parliamentary texts in, so that it can be read, cited and compared by
//! tools that know nothing of livedoc (`show --format akn`).
//!
//! The document type is `<doc name="compilation">`: Akoma Ntoso's generic
//! document. The compilation is not an act (it enacts nothing), not a
//! debate record, not a `documentCollection` (it does not embed whole
//! documents but extracts numbered items from meetings' reports) and not
//! a `statement` (it is the secretariat's publication *of* what the
//! working groups and chairs said, not one body's deliberation); AKN4UN
//! marks the UN's other reports and publications as `doc` too.
//!
//! Layout: `<meta>` (FRBR identification, publication, references and a
//! `<proprietary>` block with livedoc's own provenance), a `<preface>` with
//! the title page (masthead lines, `<longTitle>` with the `<docTitle>`,
//! the date line with its `<docDate>`), a `<mainBody>` with the front
//! matter as `<section>`s then each part as `<part>` → year as
//! `<hcontainer name="year">` → meeting as `<hcontainer name="meeting">`
//! (its heading naming its document symbol as a `<ref>` to the document)
//! → item as `<paragraph class="recommendation|observation">` with its
//! label as `<num>`, and its (a)–(g) sub-items as `<list>` of `<point>`s;
//! and `<conclusions>` with the contact line. The table of contents is
//! derived and left out.
//!
//! Identifiers follow the Akoma Ntoso naming convention: an `eId` is the
//! element's *current* name within the document, built from its
//! ancestors' (`part_A__year_2023__meeting_CTOC-COP-WG.3-2023-4__rec_l`),
//! so it changes when the secretariat renumbers; a `wId` is its name in
//! the work, which never changes: an item's is its permanent livedoc id
//! and a meeting's its permanent key, each made a token by [`token`].
//! Both are unique in the document (a repeat gets `-2`, `-3`…).
//!
//! Every text is escaped here ([`esc`]), characters XML 1.0 forbids
//! dropped; inline Markdown becomes AKN inline markup (`<b>`, `<i>`,
//! `<a>`, `<eol/>`) with every element balanced whatever the Markdown's
//! inline HTML does. The output depends on the edition alone (and its
//! stored provenance, when given): no clock, no randomness.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::model::{Edition, EditionDate, Item, ItemKind, Meeting, Part, SubItem};
use crate::store::EditionInfo;

/// The Akoma Ntoso 3.0 namespace.
pub const NAMESPACE: &str = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";

/// The namespace of livedoc's own elements in `<proprietary>`.
pub const LIVEDOC_NAMESPACE: &str = "urn:livedoc:akn:1";

/// The work's URI (the naming convention's `/akn/<country>/<type>/
/// <subtype>/<author>/<name>`): `un` for the United Nations as AKN4UN
/// writes it, the document type and subtype, UNODC as its author. It has
/// no date component: the compilation is one work across all its
/// editions, and each edition is an expression of it (`…/eng@2024-04`).
const WORK_URI: &str = "/akn/un/doc/compilation/unodc/untoc-review-mechanism";

/// How the document is written.
#[derive(Debug, Clone)]
pub struct AknOptions {
    /// Where an official UN document is found by its symbol: a meeting's
    /// symbol refers to this URL followed by the symbol.
    pub documents_url: String,
}

impl Default for AknOptions {
    fn default() -> AknOptions {
        AknOptions {
            documents_url: super::DOCUMENTS_URL.to_string(),
        }
    }
}

/// Writes `edition` as an Akoma Ntoso 3.0 document; `info`, the stored
/// edition's record, adds its provenance in `<proprietary>`.
pub fn render(
    edition: &Edition,
    info: Option<&EditionInfo>,
    options: &AknOptions,
    out: &mut (impl Write + ?Sized),
) -> io::Result<()> {
    let mut w = Writer {
        out: String::with_capacity(64 * 1024),
        eids: HashSet::new(),
        wids: HashSet::new(),
        documents_url: &options.documents_url,
    };
    w.document(edition, info);
    out.write_all(w.out.as_bytes())
}

/// Text as XML 1.0 character data or attribute value: markup characters
/// escaped (`>` too, so `]]>` never appears), and the characters XML 1.0
/// forbids dropped, since one of them makes the whole document unreadable
/// to any XML parser.
pub fn esc(s: &str) -> Cow<'_, str> {
    let plain =
        |c: char| !matches!(c, '&' | '<' | '>' | '"' | '\'') && !crate::text::forbidden_in_xml(c);
    if s.chars().all(plain) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if plain(c) => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

/// A name as one component of an `eId` or `wId`: ASCII letters, digits,
/// `.` and `-` kept, `/` and whitespace written `-`, `#` (which separates
/// an item id's meeting from its number) written `_`, parentheses
/// dropped (the label `(l)` is `l`), and any other character as `_u`
/// and its hexadecimal code point. `CTOC/COP/WG.4/2022/4#14` is
/// `CTOC-COP-WG.4-2022-4_14`. Never empty.
pub fn token(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        match c {
            c if c.is_ascii_alphanumeric() || c == '.' || c == '-' => out.push(c),
            '/' => out.push('-'),
            '#' => out.push('_'),
            '(' | ')' => {}
            c if c.is_whitespace() => out.push('-'),
            c => {
                let _ = write!(out, "_u{:x}", c as u32);
            }
        }
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// A URL as an `href`, which the schema types `xsd:anyURI` and
/// validators read as RFC 3986: characters a URI may not hold (spaces,
/// non-ASCII, brackets, a second `#`, a `%` that starts no escape)
/// percent-encoded; `None` when even then it is no URI (`::`, an IPv6
/// host), so that the text is written without its link rather than the
/// document made invalid.
fn uri(s: &str) -> Option<String> {
    let bytes = s.trim().as_bytes();
    let mut out = String::with_capacity(bytes.len());
    let mut hash = false;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = bytes
            .get(i + 1..i + 3)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
        let keep = match b {
            b'%' => escape,
            b'#' if !hash => {
                hash = true;
                true
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => true,
            _ => b"-._~!$&'()*+,;=:@/?".contains(&b),
        };
        if keep {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    plausible_uri(&out).then_some(out)
}

/// Whether `s`, made only of URI characters by [`uri`], is a URI
/// reference as RFC 3986 parses it: a scheme of its grammar if any, an
/// authority of a registered name or IPv4 host with a numeric port, and
/// no `:` in a relative reference's first segment.
fn plausible_uri(s: &str) -> bool {
    let (scheme, rest) = match s.find([':', '/', '?', '#']) {
        Some(i) if s.as_bytes()[i] == b':' => (Some(&s[..i]), &s[i + 1..]),
        _ => (None, s),
    };
    if let Some(scheme) = scheme {
        let mut chars = scheme.chars();
        let first = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
        if !first || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
            return false;
        }
    }
    let Some(after) = rest.strip_prefix("//") else {
        return true;
    };
    let authority = &after[..after.find(['/', '?', '#']).unwrap_or(after.len())];
    let host_port = authority.split_once('@').map_or(authority, |(_, h)| h);
    let port = host_port.split_once(':').map_or("", |(_, p)| p);
    !host_port.contains('@') && port.bytes().all(|b| b.is_ascii_digit())
}

/// The date as `xsd:date`: a month-precision date ("April 2024") is the
/// first of its month, its precision kept in the URIs (`@2024-04`) and
/// in the `showAs` of `<publication>`.
fn xsd_date(d: &EditionDate) -> String {
    d.naive().format("%Y-%m-%d").to_string()
}

struct Writer<'o> {
    out: String,
    eids: HashSet<String>,
    wids: HashSet<String>,
    documents_url: &'o str,
}

/// `base`, or `base-2`, `base-3`… if `used` has it already; recorded.
fn unique(used: &mut HashSet<String>, base: String) -> String {
    let mut candidate = base.clone();
    let mut n = 1;
    while used.contains(&candidate) {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    used.insert(candidate.clone());
    candidate
}

impl Writer<'_> {
    fn push(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn text(&mut self, s: &str) {
        let e = esc(s);
        self.out.push_str(&e);
    }

    /// `<name eId=… wId=…` (not closed), the ids made unique.
    fn open_ids(&mut self, name: &str, extra: &str, eid: String, wid: String) -> String {
        let eid = unique(&mut self.eids, eid);
        let wid = unique(&mut self.wids, wid);
        let _ = write!(
            self.out,
            "<{name}{extra} eId=\"{}\" wId=\"{}\">",
            esc(&eid),
            esc(&wid)
        );
        eid
    }

    fn document(&mut self, edition: &Edition, info: Option<&EditionInfo>) {
        self.push("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = write!(
            self.out,
            "<akomaNtoso xmlns=\"{NAMESPACE}\">\n<doc name=\"compilation\">\n"
        );
        self.meta(edition, info);
        self.preface(edition);
        self.push("<mainBody>\n");
        for (n, section) in edition.front_matter.iter().enumerate() {
            let eid = format!("sec_{}", n + 1);
            self.open_ids("section", "", eid.clone(), eid);
            self.push("<heading>");
            self.text(&section.title);
            self.push("</heading>\n<content>\n");
            self.blocks(&section.body);
            self.push("</content>\n</section>\n");
        }
        for part in &edition.parts {
            self.part(part);
        }
        // `mainBody` must hold something.
        if edition.front_matter.is_empty() && edition.parts.is_empty() {
            self.push("<p/>\n");
        }
        self.push("</mainBody>\n");
        if let Some(contact) = &edition.contact {
            self.push("<conclusions>\n");
            self.blocks(contact);
            self.push("</conclusions>\n");
        }
        self.push("</doc>\n</akomaNtoso>\n");
    }

    fn meta(&mut self, edition: &Edition, info: Option<&EditionInfo>) {
        let date = xsd_date(&edition.date);
        let version = edition.date.to_string();
        let expression = format!("{WORK_URI}/eng@{version}");
        let day = if edition.date.has_day() {
            "publication"
        } else {
            "publication-month"
        };
        let shown = match &edition.place {
            Some(p) => format!("{p}, {}", edition.date.long()),
            None => edition.date.long(),
        };
        let _ = write!(
            self.out,
            concat!(
                "<meta>\n<identification source=\"#livedoc\">\n",
                "<FRBRWork>\n",
                "<FRBRthis value=\"{work}/!main\"/>\n",
                "<FRBRuri value=\"{work}\"/>\n",
                "<FRBRdate date=\"{date}\" name=\"edition\"/>\n",
                "<FRBRauthor href=\"#unodc\"/>\n",
                "<FRBRcountry value=\"un\"/>\n",
                "<FRBRname value=\"{title}\"/>\n",
                "</FRBRWork>\n",
                "<FRBRExpression>\n",
                "<FRBRthis value=\"{expr}/!main\"/>\n",
                "<FRBRuri value=\"{expr}\"/>\n",
                "<FRBRdate date=\"{date}\" name=\"{day}\"/>\n",
                "<FRBRauthor href=\"#unodc\"/>\n",
                "<FRBRversionNumber value=\"{id}\"/>\n",
                "<FRBRlanguage language=\"eng\"/>\n",
                "</FRBRExpression>\n",
                "<FRBRManifestation>\n",
                "<FRBRthis value=\"{expr}/!main.xml\"/>\n",
                "<FRBRuri value=\"{expr}.akn\"/>\n",
                "<FRBRdate date=\"{date}\" name=\"generation\"/>\n",
                "<FRBRauthor href=\"#livedoc\"/>\n",
                "<FRBRformat value=\"application/akn+xml\"/>\n",
                "</FRBRManifestation>\n",
                "</identification>\n",
                "<publication date=\"{date}\" name=\"compilation\" showAs=\"{shown}\"/>\n",
                "<references source=\"#livedoc\">\n",
                "<TLCOrganization eId=\"unodc\" href=\"/ontology/organization/un/unodc\" ",
                "showAs=\"United Nations Office on Drugs and Crime\"/>\n",
                "<TLCObject eId=\"livedoc\" href=\"/ontology/object/livedoc\" showAs=\"livedoc\"/>\n",
                "</references>\n",
            ),
            work = WORK_URI,
            expr = esc(&expression),
            date = date,
            day = day,
            id = esc(&edition.id),
            title = esc(&edition.title),
            shown = esc(&shown),
        );
        // livedoc's own record of the edition: which stored edition this
        // is, so that the export can be traced to its commit.
        let _ = write!(
            self.out,
            "<proprietary source=\"#livedoc\">\n<livedoc:edition xmlns:livedoc=\"{LIVEDOC_NAMESPACE}\" id=\"{}\"",
            esc(&edition.id)
        );
        if let Some(info) = info {
            let _ = write!(
                self.out,
                " commit=\"{}\" cutAt=\"{}\" sourceSha256=\"{}\"",
                info.commit,
                esc(info.meta.provenance.cut_at.as_str()),
                esc(&info.meta.source.sha256)
            );
        }
        self.push("/>\n</proprietary>\n</meta>\n");
    }

    fn preface(&mut self, edition: &Edition) {
        self.push("<preface>\n");
        for line in &edition.masthead {
            self.push("<p class=\"masthead\">");
            self.inline(line);
            self.push("</p>\n");
        }
        self.push("<longTitle>\n<p><docTitle>");
        self.text(&edition.title);
        self.push("</docTitle></p>\n</longTitle>\n<p class=\"dateLine\">");
        if let Some(place) = &edition.place {
            self.text(place);
            self.push(", ");
        }
        let _ = write!(
            self.out,
            "<docDate date=\"{}\">{}</docDate></p>\n</preface>\n",
            xsd_date(&edition.date),
            esc(&edition.date.long())
        );
    }

    fn part(&mut self, part: &Part) {
        let part_eid = format!("part_{}", token(&part.key));
        let part_eid = self.open_ids("part", "", part_eid.clone(), part_eid);
        self.push("\n<num>");
        self.text(&part.key);
        self.push("</num>\n<heading>");
        self.text(&part.title);
        self.push("</heading>\n");
        // Years as the layout heads them: a new year wherever a meeting's
        // year differs from the one before.
        let mut i = 0;
        while i < part.meetings.len() {
            let year = part.meetings[i].year;
            let end = part.meetings[i..]
                .iter()
                .position(|m| m.year != year)
                .map_or(part.meetings.len(), |n| i + n);
            let eid = format!("{part_eid}__year_{year}");
            let year_eid = self.open_ids("hcontainer", " name=\"year\"", eid.clone(), eid);
            let _ = writeln!(self.out, "\n<heading>{year}</heading>");
            for m in &part.meetings[i..end] {
                self.meeting(m, &year_eid);
            }
            self.push("</hcontainer>\n");
            i = end;
        }
        self.push("</part>\n");
    }

    fn meeting(&mut self, m: &Meeting, parent: &str) {
        let current = m.symbol.as_deref().unwrap_or(&m.key);
        let eid = format!("{parent}__meeting_{}", token(current));
        let wid = format!("meeting_{}", token(&m.key));
        let class = format!(" name=\"meeting\" class=\"{}\"", m.kind.as_str());
        let meeting_eid = self.open_ids("hcontainer", &class, eid, wid);
        self.push("\n<heading>");
        self.text(&m.body);
        // The symbol refers to its document: the link the edition gives
        // when it gives a real one, the document's permanent address when
        // it gives none or `#`.
        if let Some(sym) = &m.symbol {
            let href = match m.link.as_deref() {
                Some(l) if !l.starts_with('#') && m.source.is_none() => l.to_string(),
                _ => super::document_url(self.documents_url, None, sym),
            };
            // A symbol that makes no URI even encoded refers to nothing.
            let href = uri(&href).unwrap_or_default();
            let _ = write!(
                self.out,
                " (<ref href=\"{}\" class=\"documentSymbol\">{}</ref>)",
                esc(&href),
                esc(sym)
            );
        }
        if let Some(src) = &m.source {
            self.push(" (");
            let href = m
                .link
                .as_deref()
                .filter(|l| !l.starts_with('#') && m.symbol.is_none())
                .and_then(uri);
            match href {
                Some(href) => {
                    let _ = write!(self.out, "<a href=\"{}\">{}</a>", esc(&href), esc(src));
                }
                None => self.text(src),
            }
            self.push(")");
        }
        self.push("</heading>\n");
        let mut unlabelled = [0usize; 2];
        for item in &m.items {
            let (class, prefix, slot) = match item.kind {
                ItemKind::Recommendation => ("recommendation", "rec", 0),
                ItemKind::Observation => ("observation", "obs", 1),
            };
            let name = match &item.label {
                Some(label) => token(label),
                None => {
                    unlabelled[slot] += 1;
                    unlabelled[slot].to_string()
                }
            };
            self.item(item, &format!("{meeting_eid}__{prefix}_{name}"), class);
        }
        self.push("</hcontainer>\n");
    }

    fn item(&mut self, item: &Item, eid: &str, class: &str) {
        let class = format!(" class=\"{class}\"");
        let item_eid = self.open_ids("paragraph", &class, eid.to_string(), token(&item.id));
        self.push("\n");
        if let Some(label) = &item.label {
            self.push("<num>");
            self.text(label);
            self.push("</num>\n");
        }
        if item.subitems.is_empty() {
            self.push("<content>\n");
            self.blocks(&item.text);
            self.push("</content>\n");
        } else {
            if !item.text.trim().is_empty() {
                self.push("<intro>\n");
                self.blocks(&item.text);
                self.push("</intro>\n");
            }
            self.subitems(&item.subitems, &item_eid, &token(&item.id));
        }
        self.push("</paragraph>\n");
    }

    fn subitems(&mut self, subs: &[SubItem], item_eid: &str, item_wid: &str) {
        let list = format!("{item_eid}__list_1");
        let list_wid = format!("{item_wid}__list_1");
        let list = self.open_ids("list", "", list, list_wid.clone());
        self.push("\n");
        for (n, s) in subs.iter().enumerate() {
            let name = match token(&s.label) {
                t if t == "_" => (n + 1).to_string(),
                t => t,
            };
            self.open_ids(
                "point",
                "",
                format!("{list}__point_{name}"),
                format!("{list_wid}__point_{name}"),
            );
            if !s.label.is_empty() {
                self.push("<num>");
                self.text(&s.label);
                self.push("</num>");
            }
            self.push("<content>\n");
            self.blocks(&s.text);
            self.push("</content></point>\n");
        }
        self.push("</list>\n");
    }

    /// Markdown as AKN blocks: paragraphs (and headings, code and HTML
    /// blocks) as `<p>`, lists as `<blockList>` of `<item>`s, an ordered
    /// entry numbered in `<num>`. Always at least one block, since every
    /// container of blocks needs one.
    fn blocks(&mut self, md: &str) {
        let mut b = Blocks {
            w: self,
            in_p: false,
            inline: Vec::new(),
            lists: Vec::new(),
            items: Vec::new(),
            wrote: false,
        };
        for (ev, range) in Parser::new_ext(md, Options::empty()).into_offset_iter() {
            b.event(ev, range, md);
        }
        b.close_p();
        if !b.wrote {
            b.w.push("<p/>\n");
        }
    }

    /// Inline Markdown inside an open `<p>` or heading.
    fn inline(&mut self, md: &str) {
        let mut b = Blocks {
            w: self,
            in_p: true,
            inline: Vec::new(),
            lists: Vec::new(),
            items: Vec::new(),
            wrote: true,
        };
        for (ev, range) in Parser::new_ext(md, Options::empty()).into_offset_iter() {
            match ev {
                // Only inline markup: a block's bounds are a space at most.
                Event::Start(
                    Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Link { .. }
                    | Tag::Image { .. },
                )
                | Event::End(
                    TagEnd::Emphasis
                    | TagEnd::Strong
                    | TagEnd::Strikethrough
                    | TagEnd::Link
                    | TagEnd::Image,
                )
                | Event::Text(_)
                | Event::Code(_)
                | Event::InlineHtml(_)
                | Event::Html(_)
                | Event::SoftBreak
                | Event::HardBreak => b.event(ev, range, md),
                Event::End(TagEnd::Heading(_) | TagEnd::Item) => b.w.push(" "),
                _ => {}
            }
        }
        b.close_inline_all();
    }
}

/// One open inline element: its name and its whole start tag, to reopen
/// it after closing an element opened inside it out of order.
struct Open {
    name: &'static str,
    start: String,
}

/// An open list: the number of its next entry, for an ordered one, and
/// the character after the number (`.` or `)`).
struct OpenList {
    next: Option<(u64, char)>,
}

/// The state of writing one Markdown text as blocks.
struct Blocks<'w, 'o> {
    w: &'w mut Writer<'o>,
    /// Whether a `<p>` is open.
    in_p: bool,
    inline: Vec<Open>,
    lists: Vec<OpenList>,
    /// For each open list entry, whether it holds a block yet.
    items: Vec<bool>,
    /// Whether any top-level block was written.
    wrote: bool,
}

impl Blocks<'_, '_> {
    fn open_p(&mut self) {
        if !self.in_p {
            self.w.push("<p>");
            self.in_p = true;
            self.wrote = true;
            if let Some(last) = self.items.last_mut() {
                *last = true;
            }
        }
    }

    fn close_p(&mut self) {
        if self.in_p {
            self.close_inline_all();
            self.w.push("</p>\n");
            self.in_p = false;
        }
    }

    fn close_inline_all(&mut self) {
        while let Some(o) = self.inline.pop() {
            let _ = write!(self.w.out, "</{}>", o.name);
        }
    }

    fn open_inline(&mut self, name: &'static str, start: String) {
        self.open_p();
        self.w.push(&start);
        self.inline.push(Open { name, start });
    }

    /// Closes the innermost open `name`: the elements opened inside it
    /// are closed first and opened again after, so that the markup stays
    /// balanced whatever order the Markdown's HTML closes in. A close with
    /// nothing to close is ignored.
    fn close_inline(&mut self, name: &str) {
        let Some(at) = self.inline.iter().rposition(|o| o.name == name) else {
            return;
        };
        let above = self.inline.split_off(at + 1);
        for o in above.iter().rev() {
            let _ = write!(self.w.out, "</{}>", o.name);
        }
        self.inline.pop();
        let _ = write!(self.w.out, "</{name}>");
        for o in above {
            self.w.push(&o.start);
            self.inline.push(o);
        }
    }

    fn event(&mut self, ev: Event<'_>, range: Range<usize>, md: &str) {
        match ev {
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::CodeBlock(_)) => {
                self.close_p();
                self.open_p();
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock) => {
                self.close_p()
            }
            Event::Start(Tag::List(start)) => {
                self.close_p();
                let next = start.map(|n| {
                    let marker = md.get(range.clone()).unwrap_or("").trim_start();
                    let digits = marker.bytes().take_while(u8::is_ascii_digit).count();
                    let paren = marker.as_bytes().get(digits) == Some(&b')');
                    (n, if paren { ')' } else { '.' })
                });
                if let Some(last) = self.items.last_mut() {
                    *last = true;
                }
                self.wrote = true;
                self.w.push("<blockList>\n");
                self.lists.push(OpenList { next });
            }
            Event::End(TagEnd::List(_)) => {
                self.close_p();
                self.lists.pop();
                self.w.push("</blockList>\n");
            }
            Event::Start(Tag::Item) => {
                self.close_p();
                self.w.push("<item>");
                if let Some(list) = self.lists.last_mut()
                    && let Some((n, c)) = &mut list.next
                {
                    let _ = write!(self.w.out, "<num>{n}{c}</num>");
                    *n = n.saturating_add(1);
                }
                self.items.push(false);
            }
            Event::End(TagEnd::Item) => {
                self.close_p();
                if self.items.pop() == Some(false) {
                    self.w.push("<p/>");
                }
                self.w.push("</item>\n");
            }
            Event::Start(Tag::Emphasis) => self.open_inline("i", "<i>".to_string()),
            Event::End(TagEnd::Emphasis) => self.close_inline("i"),
            Event::Start(Tag::Strong) => self.open_inline("b", "<b>".to_string()),
            Event::End(TagEnd::Strong) => self.close_inline("b"),
            Event::Start(Tag::Strikethrough) => self.open_inline("del", "<del>".to_string()),
            Event::End(TagEnd::Strikethrough) => self.close_inline("del"),
            // A link (or an image, its alternative text linked to it)
            // whose target is no URI is its text alone: its end then
            // closes nothing.
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                if let Some(href) = uri(&dest_url) {
                    self.open_inline("a", format!("<a href=\"{}\">", esc(&href)));
                } else {
                    self.open_inline("span", "<span>".to_string());
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                // The innermost of the two that is open is this link's.
                let a = self.inline.iter().rposition(|o| o.name == "a");
                let span = self.inline.iter().rposition(|o| o.name == "span");
                self.close_inline(if span > a { "span" } else { "a" });
            }
            // Inline HTML writes what it means, never its tags: `<b>` and
            // `<strong>` bold, `<i>` and `<em>` italic, `<br>` a line
            // break; any other tag nothing.
            Event::InlineHtml(t) => match super::redline::html_tag(&t) {
                Some((false, "b" | "strong")) => self.open_inline("b", "<b>".to_string()),
                Some((true, "b" | "strong")) => self.close_inline("b"),
                Some((false, "i" | "em")) => self.open_inline("i", "<i>".to_string()),
                Some((true, "i" | "em")) => self.close_inline("i"),
                Some((_, "br")) => {
                    self.open_p();
                    self.w.push("<eol/>");
                }
                _ => {}
            },
            Event::Html(t) => {
                let text = crate::text::without_tags(&t);
                if !text.trim().is_empty() {
                    self.open_p();
                    self.w.text(text.trim());
                }
            }
            Event::Text(t) | Event::Code(t) => {
                self.open_p();
                self.w.text(&t);
            }
            Event::SoftBreak => {
                self.open_p();
                self.w.push(" ");
            }
            Event::HardBreak => {
                self.open_p();
                self.w.push("<eol/>");
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_single_words_of_safe_characters() {
        assert_eq!(token("CTOC/COP/WG.4/2022/4#14"), "CTOC-COP-WG.4-2022-4_14");
        assert_eq!(token("(l)"), "l");
        assert_eq!(token("6 bis"), "6-bis");
        assert_eq!(token("é"), "_ue9");
        assert_eq!(token(""), "_");
        assert_eq!(token("()"), "_");
    }

    #[test]
    fn escaping_leaves_no_markup_and_no_forbidden_character() {
        assert_eq!(esc("a<b>&\"'c]]>"), "a&lt;b&gt;&amp;&quot;&apos;c]]&gt;");
        assert_eq!(esc("x\u{1}\u{b}y\u{fffe}"), "xy");
        assert!(matches!(esc("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn unbalanced_inline_html_stays_balanced() {
        let mut w = Writer {
            out: String::new(),
            eids: HashSet::new(),
            wids: HashSet::new(),
            documents_url: super::super::DOCUMENTS_URL,
        };
        w.blocks("<b>bold *both</b> italic* </i></b> <i>open");
        assert_eq!(
            w.out,
            "<p><b>bold <i>both</i></b><i> italic</i>  <i>open</i></p>\n"
        );
    }

    #[test]
    fn lists_become_block_lists_and_empty_text_a_paragraph() {
        let mut w = Writer {
            out: String::new(),
            eids: HashSet::new(),
            wids: HashSet::new(),
            documents_url: super::super::DOCUMENTS_URL,
        };
        w.blocks("- 1) one\n- two\n");
        w.blocks("");
        assert_eq!(
            w.out,
            "<blockList>\n<item><blockList>\n<item><num>1)</num><p>one</p>\n</item>\n</blockList>\n</item>\n<item><p>two</p>\n</item>\n</blockList>\n<p/>\n"
        );
    }

    #[test]
    fn hrefs_are_uris_or_nothing() {
        assert_eq!(
            uri("https://undocs.org/CTOC/COP/WG.4/2022/4").as_deref(),
            Some("https://undocs.org/CTOC/COP/WG.4/2022/4")
        );
        assert_eq!(uri(" a b ").as_deref(), Some("a%20b"));
        assert_eq!(uri("100%").as_deref(), Some("100%25"));
        assert_eq!(uri("%41").as_deref(), Some("%41"));
        assert_eq!(uri("#a#b[x]").as_deref(), Some("#a%23b%5Bx%5D"));
        assert_eq!(uri("é").as_deref(), Some("%C3%A9"));
        assert_eq!(uri("mailto:x@y.org").as_deref(), Some("mailto:x@y.org"));
        assert_eq!(uri(""), Some(String::new()));
        for bad in ["::", "1a:b", "http://h:8x/", "http://a@b@c/"] {
            assert_eq!(uri(bad), None, "{bad}");
        }
    }

    /// Whether `xml` is one well-formed element.
    fn well_formed(xml: &str) -> Result<(), String> {
        let mut reader = quick_xml::Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let mut depth = 0i32;
        loop {
            match reader.read_event().map_err(|e| format!("{e}: {xml}"))? {
                quick_xml::events::Event::Start(_) => depth += 1,
                quick_xml::events::Event::End(_) => depth -= 1,
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        if depth == 0 {
            Ok(())
        } else {
            Err(format!("unbalanced: {xml}"))
        }
    }

    proptest::proptest! {
        /// Any Markdown, however its emphasis, links, HTML and lists
        /// nest, gives balanced markup, as blocks and as inline text.
        #[test]
        fn any_markdown_is_well_formed(
            md in "(<b>|</b>|<i>|</i>|<em>|<br>|\\*|_|\\[|\\]|\\(|\\)|!|&|<|>|x|\n|- |1\\) |#|`| |]]>|\"|\u{1})*"
        ) {
            let mut w = Writer {
                out: String::from("<r>"),
                eids: HashSet::new(),
                wids: HashSet::new(),
                documents_url: super::super::DOCUMENTS_URL,
            };
            w.blocks(&md);
            w.push("<p>");
            w.inline(&md);
            w.push("</p></r>");
            proptest::prop_assert!(well_formed(&w.out).is_ok(), "{:?}", well_formed(&w.out));
            proptest::prop_assert!(!w.out.contains(char::from(1u8)), "a control character");
        }
    }

    #[test]
    fn repeated_ids_are_made_unique() {
        let mut used = HashSet::new();
        assert_eq!(unique(&mut used, "a".into()), "a");
        assert_eq!(unique(&mut used, "a".into()), "a-2");
        assert_eq!(unique(&mut used, "a".into()), "a-3");
    }
}
