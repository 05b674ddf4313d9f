//! The pages of the site, built with maud (which escapes every text it is
//! given; only [`safe`] output is inserted as markup).

use std::collections::BTreeMap;

use base64::Engine;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use sha2::{Digest, Sha256};

use super::{Moment, SiteData, safe, stem};
use crate::diff::words::{Change, ChangeOp};
use crate::diff::{EditionDiff, ItemStatus};
use crate::model::{Edition, Item, ItemKind, Meeting, MeetingKind};
use crate::profile::Profile;
use crate::render::describe::{self, item_name, status_word, summary_line};
use crate::render::html::{
    Attribution, STYLE, jump_list, report_body_attributed, text_markup, whole_text_markup,
};
use crate::text::plural;

const SITE_STYLE: &str = include_str!("assets/site.css");

/// The meeting page's script: the text of an earlier edition from the
/// history the page carries (sites whose editions are not whole).
const MEETING_SCRIPT: &str = include_str!("assets/meeting.js");

/// `site.css`: the styles of every page.
pub fn stylesheet() -> String {
    format!("{STYLE}\n{SITE_STYLE}")
}

/// The index's script: the compare form opens the diff page of the two
/// editions chosen, or `compare.html` for a pair without one; the date
/// form names the edition in force on a day.
const INDEX_SCRIPT: &str = include_str!("assets/index.js");

pub fn edition_path(id: &str) -> String {
    format!("editions/{id}.html")
}

pub fn diff_path(from: &str, to: &str) -> String {
    format!("diff/{from}..{to}.html")
}

/// An edition as a document (`pdf`, `docx`), beside its page.
pub fn document_path(id: &str, ext: &str) -> String {
    format!("editions/{id}.{ext}")
}

/// A comparison as a redline document (`docx`, `pdf`), beside its page.
pub fn redline_path(from: &str, to: &str, ext: &str) -> String {
    format!("diff/{from}..{to}.{ext}")
}

/// Whether the comparison of editions `from` and `to` has redlines: the
/// ones readers ask for, to the next edition and to the latest.
pub fn has_redline(data: &SiteData, from: usize, to: usize) -> bool {
    (to == from + 1 && data.has_downloads(to))
        || (to == data.latest() && data.edition_count() <= super::ALL_PAIRS_UP_TO)
}

fn csp(script: Option<&str>, connect: Option<&str>) -> String {
    let script_src = match script {
        Some(s) => format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
        ),
        None => "'none'".into(),
    };
    let connect = connect.map_or(String::new(), |c| format!(" connect-src {c};"));
    format!(
        "default-src 'none'; style-src 'self' file: 'unsafe-inline'; img-src data:; script-src {script_src};{connect} base-uri 'none'; form-action 'none'"
    )
}

/// The relative path from the page at `path` (from the site's root) back
/// to the root: `""` at the top, `"../"` one folder down.
pub(super) fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Every page's frame: the publisher's identity and the site's status
/// on top, the page's permanent address as its canonical link, and a
/// footer that says where the data is. `path` is the page's own path
/// from the site's root.
pub(super) fn layout(
    data: &SiteData,
    title: &str,
    path: &str,
    body: Markup,
    script: Option<&str>,
) -> String {
    layout_with(data, title, path, body, script, None)
}

/// [`layout`], with what the page's script may fetch (`connect-src`).
pub(super) fn layout_with(
    data: &SiteData,
    title: &str,
    path: &str,
    body: Markup,
    script: Option<&str>,
    connect: Option<&str>,
) -> String {
    let root = root_of(path);
    let publisher = super::feed::publisher_name(data);
    let site_title = &data.editions[data.latest()].title;
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy" content=(csp(script, connect));
                title { (title) }
                link rel="canonical" href=(match &data.options.base_url { Some(_) => data.absolute(path), None => path.rsplit('/').next().unwrap_or(path).to_string() });
                link rel="alternate" type="application/atom+xml" title="Editions" href=(format!("{root}feed.xml"));
                // One stylesheet for the whole site, fetched once.
                link rel="stylesheet" href=(format!("{root}site.css"));
            }
            body {
                a.skip href="#main" { "Skip to the content" }
                header.masthead {
                    p.identity {
                        span.publisher-name { (publisher) }
                        a.site-title href=(format!("{root}index.html")) { (site_title) }
                    }
                    p.site-status { (data.options.status) }
                    nav aria-label="Site" {
                        a href=(format!("{root}latest.html")) { "Latest edition" }
                        a href=(format!("{root}index.html")) { "All editions" }
                        a href=(format!("{root}meetings/index.html")) { "Meetings" }
                        a href=(format!("{root}items/index.html")) { "Items" }
                        a href=(format!("{root}search.html")) { "Search" }
                        a href=(format!("{root}data.html")) { "Data and feeds" }
                    }
                }
                main #main { (body) }
                footer {
                    "Published by " (publisher) ". "
                    a href=(format!("{root}data.html")) { "Each edition as data (JSON, Akoma Ntoso) and the feeds" }
                    ". Every page works offline."
                }
                @if let Some(s) = script { script { (PreEscaped(s)) } }
            }
        }
    }
    .into_string()
}

/// A small SVG chart: per edition, one bar stacked by part (its item
/// counts). The drawing is a fixed 900 × 190 box that the browser scales,
/// so it fits any width; bars share the width whatever the number of
/// editions, and edition names are spaced so they never overlap.
fn chart(data: &SiteData) -> Markup {
    let mut parts: Vec<String> = Vec::new();
    for e in &data.editions {
        for (key, _) in &e.parts {
            if !parts.contains(key) {
                parts.push(key.clone());
            }
        }
    }
    let colours = ["#1f4e79", "#8a4f00", "#3d6b21", "#6b2d6b"];
    let n = data.editions.len();
    let total = |e: &super::EditionSummary| e.parts.iter().map(|(_, c)| *c).sum::<usize>();
    let max = data.editions.iter().map(total).max().unwrap_or(1).max(1);
    let (width, left, right, top, plot) = (900.0, 56.0, 12.0, 14.0, 130.0);
    let slot = (width - left - right) / n as f64;
    let bar = (slot * 0.7).clamp(0.5, 48.0);
    let y = |count: usize| top + plot - plot * count as f64 / max as f64;
    // An edition name is about 60 units wide at this size: one every
    // `every` editions keeps them apart.
    let every = ((70.0 / slot).ceil() as usize).max(1);
    let label = format!(
        "Items per edition, {} editions from {} ({} items) to {} ({} items)",
        n,
        data.editions[0].id,
        total(&data.editions[0]),
        data.editions[n - 1].id,
        total(&data.editions[n - 1])
    );
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(label)
            viewBox=(format!("0 0 {width:.0} 190")) preserveAspectRatio="xMinYMin meet" {
            title { (label) }
            line x1=(format!("{left:.0}")) y1=(format!("{:.0}", top + plot)) x2=(format!("{:.0}", width - right)) y2=(format!("{:.0}", top + plot)) stroke="#767676" {}
            text x=(format!("{:.0}", left - 6.0)) y=(format!("{:.0}", top + 5.0)) text-anchor="end" font-size="13" { (max) }
            text x=(format!("{:.0}", left - 6.0)) y=(format!("{:.0}", top + plot)) text-anchor="end" font-size="13" { "0" }
            @for (k, e) in data.editions.iter().enumerate() {
                @let x0 = left + slot * k as f64 + (slot - bar) / 2.0;
                @let mut below = 0usize;
                @for (pi, key) in parts.iter().enumerate() {
                    @let count = e.parts.iter().find(|(p, _)| p == key).map_or(0, |(_, c)| *c);
                    @if count > 0 {
                        rect x=(format!("{x0:.1}")) y=(format!("{:.1}", y(below + count)))
                            width=(format!("{bar:.1}")) height=(format!("{:.1}", y(below) - y(below + count))) fill=(colours[pi % colours.len()]) {
                            title { (e.id) ", part " (key) ": " (count) }
                        }
                    }
                    ({ below += count; "" })
                }
                @if (n - 1 - k).is_multiple_of(every) {
                    text x=(format!("{:.1}", (x0 + bar / 2.0).clamp(left + 30.0, width - right - 30.0))) y=(format!("{:.0}", top + plot + 20.0)) text-anchor="middle" font-size="13" { (e.id) }
                }
            }
        }
        // The legend is text of the page, so it keeps the page's size when
        // the chart shrinks to a phone's width.
        ul.legend aria-hidden="true" {
            @for (pi, key) in parts.iter().enumerate() {
                li {
                    span.swatch style=(format!("background: {}", colours[pi % colours.len()])) {}
                    (Profile::untoc().part_name(key))
                    @if let Some(kind) = Profile::untoc().part_holds(key) { " (" (kind.plural(2)) ")" }
                }
            }
        }
    }
}

fn added_summary(d: &EditionDiff) -> String {
    let a = d.added();
    describe::added_and_changed((!a.is_empty()).then(|| a.sentence()), &d.summary)
}

pub fn index(data: &SiteData) -> String {
    let latest = data.latest();
    let le = &data.editions[latest];
    let pairs: Vec<String> = data
        .pairs
        .iter()
        .map(|&(f, t)| format!("{}..{}", data.editions[f].id, data.editions[t].id))
        .collect();
    let pairs_json = serde_json::to_string(&pairs).expect("strings serialise");
    let dates: Vec<[String; 3]> = data
        .editions
        .iter()
        .map(|e| {
            [
                e.id.clone(),
                e.date.naive().format("%Y-%m-%d").to_string(),
                e.date.long(),
            ]
        })
        .collect();
    let dates_json = serde_json::to_string(&dates).expect("strings serialise");
    let whats_new = (latest > 0).then(|| &data.diffs[&(latest - 1, latest)]);
    let body = html! {
        h1 { "All editions" }
        p.meta { "The editions of this living document, newest first. The latest is edition "
            a href=(edition_path(&le.id)) { (le.id) } " (" (le.date.long()) ")." }
        section aria-labelledby="whats-new" {
            h2 #whats-new { "What's new in the latest edition" }
            @match whats_new {
                Some(d) => {
                    p { "Edition " (le.id) " " (added_summary(d)) " compared with edition " (d.from.edition_id) ". "
                        a href=(diff_path(&d.from.edition_id, &le.id)) { "See every change" } "." }
                    @let added = d.added();
                    @let meetings = data.latest_edition.meeting_index();
                    @if !added.by_meeting.is_empty() {
                        ul {
                            @for m in &added.by_meeting {
                                li {
                                    (m.year) " " a href=(data.meeting_path(&m.key)) {
                                        (meetings.get(m.key.as_str()).map_or_else(|| m.body.clone(), describe::meeting))
                                    }
                                    @if m.new_meeting { " (new)" }
                                    ": " (plural(m.items.len(), "item", "items")) " added"
                                }
                            }
                        }
                    }
                }
                None => { p { "Edition " (le.id) " is the first edition: " (data.first_added.sentence()) "." } }
            }
        }
        section aria-labelledby="chart" {
            h2 #chart { "Items per edition" }
            (chart(data))
        }
        section aria-labelledby="compare-heading" {
            h2 #compare-heading { "Compare two editions" }
            form.compare #compare {
                label for="from" { "From " }
                select #from name="from" {
                    @for (k, e) in data.editions.iter().enumerate() {
                        option value=(e.id) selected[k + 2 == data.editions.len()] { (e.id) " (" (e.date.long()) ")" }
                    }
                }
                label for="to" { " to " }
                select #to name="to" {
                    @for (k, e) in data.editions.iter().enumerate() {
                        option value=(e.id) selected[k == latest] { (e.id) " (" (e.date.long()) ")" }
                    }
                }
                " " button type="submit" { "Compare" }
                p #compare-message role="status" {}
                noscript { p { "Without JavaScript, choose a comparison from the list below." } }
            }
            // The same choice without JavaScript: every comparison page.
            details.comparisons {
                summary { "Every comparison page" }
                ul {
                    @for (from, to) in &data.pairs {
                        li { a href=(diff_path(&data.editions[*from].id, &data.editions[*to].id)) {
                            (data.editions[*from].id) " → " (data.editions[*to].id)
                        } }
                    }
                }
            }
            script #pairs type="application/json" { (PreEscaped(pairs_json.replace('<', "\\u003c"))) }
        }
        section aria-labelledby="when-heading" {
            h2 #when-heading { "The compilation on a date" }
            p { "Which edition was in force on a given day: each edition from its date (the first of its month when it names no day) until the next one." }
            form.when #when {
                label for="when-date" { "Date" }
                " " input #when-date type="date" name="date"
                    min=(data.editions[0].date.naive().format("%Y-%m-%d").to_string());
                " " button type="submit" { "Show the edition" }
            }
            p #when-result role="status" {}
            noscript { p { "Without JavaScript, the \u{201c}In force\u{201d} column of the table below answers the same question." } }
            script #dates type="application/json" { (PreEscaped(dates_json.replace('<', "\\u003c"))) }
        }
        section aria-labelledby="all-editions" {
            h2 #all-editions { "All editions" }
            table {
                thead { tr { th scope="col" { "Edition" } th scope="col" { "Date" } th scope="col" { "In force" } th scope="col" { "Contents" } th scope="col" { "Changes" } } }
                tbody {
                    @for k in (0..data.editions.len()).rev() {
                        @let e = &data.editions[k];
                        tr {
                            td { a href=(edition_path(&e.id)) { (e.id) } }
                            td { (e.date.long()) }
                            // Which edition was in force on a date: each
                            // from its date until the next one's.
                            td {
                                @match data.editions.get(k + 1) {
                                    Some(n) => { "from " (e.date.long()) " until " (n.date.long()) }
                                    None => { "since " (e.date.long()) " (current)" }
                                }
                            }
                            td { (describe::counts(&e.counts())) }
                            td {
                                @if k > 0 {
                                    @let d = &data.diffs[&(k - 1, k)];
                                    (added_summary(d)) " · "
                                    a href=(diff_path(&data.editions[k - 1].id, &e.id)) { "changes" }
                                    @if k < latest {
                                        " · " a href=(compare_href(data, "", k, latest)) { "compare with the latest" }
                                    }
                                } @else {
                                    "the first edition: " (data.first_added.sentence())
                                    @if k < latest {
                                        " · " a href=(compare_href(data, "", k, latest)) { "compare with the latest" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(
        data,
        &format!("Editions of {}", le.title),
        "index.html",
        body,
        Some(INDEX_SCRIPT),
    )
}

/// Where the comparison of editions `from` and `to` is read: its page
/// when the site has one, else the compare page, which computes it in the
/// browser.
pub(super) fn compare_href(data: &SiteData, root: &str, from: usize, to: usize) -> String {
    let (a, b) = (&data.editions[from].id, &data.editions[to].id);
    if data.pairs.contains(&(from, to)) {
        format!("{root}{}", diff_path(a, b))
    } else {
        format!(
            "{root}compare.html?from={}&to={}",
            query_escape(a),
            query_escape(b)
        )
    }
}

/// A value for a URL's query: everything but unreserved characters
/// percent-encoded.
pub(super) fn query_escape(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A URL fragment naming an element whose id may hold any character (a
/// permanent id such as `K/2023#14`): `#` and other characters a
/// fragment may not hold are percent-encoded; browsers decode them to
/// find the element.
pub(super) fn fragment(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/?".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// How an edition changed an item, as its page marks it: the status,
/// where the change is shown, and what it was before.
#[derive(Debug, Clone)]
pub(super) struct Mark {
    pub status: ItemStatus,
    pub href: String,
    pub old_label: Option<String>,
    pub changes: Vec<Change>,
    /// The meeting it came from, when it moved.
    pub from_meeting: Option<String>,
}

/// The marks of what diff `d` (into the edition shown) changed, linking
/// to the diff page at `diff_href` (from the page shown).
pub(super) fn marks_of(
    d: &EditionDiff,
    diff_href: &str,
) -> std::collections::HashMap<String, Mark> {
    let mut marks = std::collections::HashMap::new();
    for m in &d.meetings {
        for i in &m.items {
            if matches!(
                i.status,
                ItemStatus::Removed | ItemStatus::Merged | ItemStatus::Unchanged
            ) {
                continue;
            }
            let from_meeting = match &i.change {
                crate::diff::ItemChange::Paired { .. } if i.status == ItemStatus::Moved => {
                    m.old_key.clone()
                }
                _ => None,
            };
            marks.insert(
                i.id.clone(),
                Mark {
                    status: i.status,
                    href: format!("{diff_href}#{}", fragment(&format!("item-{}", i.id))),
                    old_label: i
                        .old_label
                        .clone()
                        .filter(|old| Some(old) != i.new_label.as_ref()),
                    changes: i.changes().to_vec(),
                    from_meeting,
                },
            );
        }
    }
    marks
}

/// The words of a mark: what happened to the item in this edition.
fn mark_words(mark: &Mark, kind: ItemKind) -> String {
    match mark.status {
        ItemStatus::Added => "New in this edition".into(),
        ItemStatus::Modified => "Reworded in this edition".into(),
        ItemStatus::Renumbered => match &mark.old_label {
            Some(old) => format!(
                "Renumbered in this edition: was {}",
                item_name(kind, Some(old), None)
            ),
            None => "Renumbered in this edition".into(),
        },
        ItemStatus::Moved => "Moved here in this edition".into(),
        ItemStatus::Typography => "Typography corrected in this edition".into(),
        ItemStatus::Split => "Split from another item in this edition".into(),
        ItemStatus::Restored => "Restored in this edition".into(),
        ItemStatus::Removed | ItemStatus::Merged | ItemStatus::Unchanged => {
            "Changed in this edition".into()
        }
    }
}

/// An item with its permalinks; its heading is `h5` inside an edition's
/// meeting, `h3` on a meeting's own page, so headings stay in order.
fn item_block(
    data: &SiteData,
    item: &Item,
    position: usize,
    root: &str,
    top_level: bool,
) -> Markup {
    item_block_marked(data, item, position, root, top_level, None)
}

/// An item, marked (on an edition page) when that edition added or
/// changed it: the mark says how (the old number of a renumbered item),
/// shows the wording before (of a reworded one) and links to the change.
fn item_block_marked(
    data: &SiteData,
    item: &Item,
    position: usize,
    root: &str,
    top_level: bool,
    mark: Option<&Mark>,
) -> Markup {
    let name = item_name(item.kind, item.label.as_deref(), Some(position));
    let heading = html! {
        (name)
        // The accessible name holds the visible text ("#").
        a.permalink href=(format!("#{}", data.item_anchor(&item.id))) { "#" span.visually-hidden { " link to " (name) } }
        a.permalink href=(format!("{root}{}", data.item_path(&item.id))) { "history" span.visually-hidden { " of " (name) } }
    };
    let reworded = mark.is_some_and(|m| {
        matches!(
            m.status,
            ItemStatus::Modified
                | ItemStatus::Typography
                | ItemStatus::Moved
                | ItemStatus::Restored
        ) && m.changes.iter().any(|c| c.op != ChangeOp::Equal)
    });
    html! {
        article.item.marked[mark.is_some()] id=(data.item_anchor(&item.id)) {
            @if top_level { h3 { (heading) } } @else { h5 { (heading) } }
            @if let Some(m) = mark {
                p class=(format!("change-note {}", m.status.as_str())) {
                    a href=(m.href) { (mark_words(m, item.kind)) }
                    @if let Some(from) = &m.from_meeting {
                        " (from " (data.meetings.get(data.page_key(from)).map_or_else(|| from.clone(), |(_, mm)| describe::meeting(mm))) ")"
                    }
                }
            }
            p { (PreEscaped(safe::inline(&item.text))) }
            @if !item.subitems.is_empty() {
                ul.sub {
                    @for s in &item.subitems {
                        li { @if !s.label.is_empty() { span.label { (s.label) } } (PreEscaped(safe::inline(&s.text))) }
                    }
                }
            }
            @if reworded {
                @if let Some(m) = mark {
                    details.before {
                        summary { "What the wording was before" }
                        (text_markup(&m.changes, "text"))
                    }
                }
            }
        }
    }
}

fn meeting_heading(m: &Meeting) -> String {
    describe::meeting(m)
}

/// The official record of a meeting, by its UN symbol: every UN document
/// has a permanent address (`https://undocs.org/<symbol>` by default),
/// which the PDF conversion lost.
fn document_link(data: &SiteData, m: &Meeting) -> Markup {
    html! {
        @if let Some(symbol) = &m.symbol {
            " " a.document href=(document_url(data, None, symbol)) {
                "Official document " (symbol)
            }
        }
    }
}

/// The official languages of the United Nations, as document addresses
/// name them (`<base><code>/<symbol>`), each with its name in itself.
const LANGUAGES: [(&str, &str); 6] = [
    ("ar", "العربية"),
    ("zh", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
];

fn document_url(data: &SiteData, language: Option<&str>, symbol: &str) -> String {
    crate::render::document_url(&data.options.documents_url, language, symbol)
}

/// A meeting's official documents on its own page: every symbol it was
/// published under (a corrected one too), each in the six languages,
/// and the link the source itself gave, when it gave a real one.
fn documents(data: &SiteData, key: &str, m: &Meeting) -> Markup {
    let symbols = data.meeting_symbols.get(key).cloned().unwrap_or_default();
    let published = m.link.as_deref().filter(|l| safe::safe_url(l)).filter(|l| {
        m.symbol
            .as_deref()
            .is_none_or(|s| *l != document_url(data, None, s))
    });
    html! {
        @if !symbols.is_empty() || published.is_some() {
            section aria-labelledby="documents" {
                h2 #documents { "Official documents" }
                @if symbols.len() > 1 {
                    p { "Its symbol was corrected: first published as " (symbols[0])
                        ", now " (symbols[symbols.len() - 1]) ". This page follows the meeting under both." }
                }
                ul.documents {
                    @for symbol in symbols.iter().rev() {
                        li {
                            a href=(document_url(data, None, symbol)) { "Official document " (symbol) }
                            @if symbol != &symbols[symbols.len() - 1] { " (the symbol as first published)" }
                            br;
                            span.languages {
                                "In each language: "
                                @for (n, (code, name)) in LANGUAGES.iter().enumerate() {
                                    @if n > 0 { " · " }
                                    a href=(document_url(data, Some(code), symbol)) lang=(code) hreflang=(code) { (name) }
                                }
                            }
                        }
                    }
                    @if let Some(link) = published {
                        li { a href=(link) { "The link the edition gives" } }
                    }
                }
            }
        }
    }
}

/// The page of edition `k` (`e`; `d` its diff with the edition before),
/// under `editions/`, whole.
pub fn edition(data: &SiteData, k: usize, e: &Edition, d: Option<&EditionDiff>) -> String {
    edition_at(data, k, e, d, &edition_path(&e.id))
}

/// The newest edition's page at the site's root (`latest.html`): one
/// address that always shows the newest edition, whole.
pub fn latest(data: &SiteData) -> String {
    let k = data.latest();
    let d = data.diffs.get(&(k.wrapping_sub(1), k)).filter(|_| k > 0);
    edition_at(data, k, &data.latest_edition, d, "latest.html")
}

/// What every edition page starts with: the way to the editions around
/// it, a note on an old edition (which never names the latest, so that
/// the page stays as it is when editions come), its heading, downloads
/// and the record.
fn edition_top(data: &SiteData, k: usize, root: &str) -> Markup {
    let e = &data.editions[k];
    let info = &data.infos[k];
    let previous = k.checked_sub(1).map(|p| &data.editions[p]);
    let next = data.editions.get(k + 1);
    html! {
        nav.editions aria-label="Editions" {
            ul {
                @if let Some(p) = previous {
                    li { a rel="prev" href=(format!("{root}{}", edition_path(&p.id))) { "Previous edition: " (p.id) " (" (p.date.long()) ")" } }
                    li { a href=(format!("{root}{}", diff_path(&p.id, &e.id))) { "What changed in this edition" } }
                }
                @if let Some(n) = next {
                    li { a rel="next" href=(format!("{root}{}", edition_path(&n.id))) { "Next edition: " (n.id) " (" (n.date.long()) ")" } }
                }
            }
        }
        @if next.is_some() {
            p.banner role="note" {
                "This is edition " (e.id) " of " (e.date.long()) ", not the latest. "
                a href=(format!("{root}latest.html")) { "Read the latest edition" } " or "
                a href=(format!("{root}compare.html?from={}", query_escape(&e.id))) { "see what changed since this one" } "."
            }
        }
        h1 { "Edition " (e.id) " of " (e.date.long()) }
        p.meta {
            @if let Some(p) = &e.place { (p) ", " } (e.date.long()) " · " (describe::counts(&e.counts()))
        }
        @if data.has_downloads(k) {
            p.downloads {
                "This edition as a document: "
                a href=(format!("{root}{}", document_path(&e.id, "pdf"))) type="application/pdf" { "PDF" }
                " · "
                a href=(format!("{root}{}", document_path(&e.id, "docx"))) type="application/vnd.openxmlformats-officedocument.wordprocessingml.document" { "Word" }
                br;
                "As data: "
                a href=(format!("{root}{}", document_path(&e.id, "json"))) type="application/json" { "JSON" }
                " (" a href=(format!("{root}data.html#json")) { "its schema" } ") · "
                a href=(format!("{root}{}", document_path(&e.id, "akn.xml"))) type="application/akn+xml" { "Akoma Ntoso XML" }
            }
        } @else {
            p.downloads {
                "This edition's PDF, Word document and data are not kept on the site (only the newest "
                (data.downloads()) " editions' are); the publisher makes them on request, identical, with "
                code { "livedoc show " (e.id) " --format pdf" } "."
            }
        }
        details.record {
            summary { "Record of this edition, for auditors" }
            p {
                "Stored by " (info.meta.provenance.cut_by.name) " on " (info.meta.provenance.cut_at)
                " as commit " code { (&info.commit.to_string()[..12]) } ". Check it with "
                code { "livedoc verify" } " or plain git."
            }
        }
    }
}

fn edition_at(
    data: &SiteData,
    k: usize,
    e: &Edition,
    d: Option<&EditionDiff>,
    path: &str,
) -> String {
    let root = root_of(path);
    let root = root.as_str();
    let marks = match (d, k.checked_sub(1)) {
        (Some(d), Some(p)) => marks_of(
            d,
            &format!("{root}{}", diff_path(&data.editions[p].id, &e.id)),
        ),
        _ => std::collections::HashMap::new(),
    };
    let body = html! {
        (edition_top(data, k, root))
        nav.toc aria-labelledby="toc" {
            h2 #toc { "Contents" }
            ol {
                @for s in &e.front_matter { li { a href=(format!("#s-{}", stem(&s.title))) { (s.title) } } }
                @for p in &e.parts {
                    li {
                        a href=(format!("#part-{}", p.key)) { (p.key) ". " (p.title) }
                        ol {
                            @for m in &p.meetings {
                                li { a href=(format!("#{}", data.meeting_anchor(&m.key))) { (m.year) ": " (m.body) } }
                            }
                        }
                    }
                }
            }
        }
        (front_matter(e))
        @for p in &e.parts {
            section aria-labelledby=(format!("part-{}", p.key)) {
                h2 id=(format!("part-{}", p.key)) { (p.key) ". " (p.title) }
                @let years = years_of(p);
                @for year in years {
                    section {
                        h3 { (year) }
                        @for m in p.meetings.iter().filter(|m| m.year == year) {
                            section.meeting id=(data.meeting_anchor(&m.key)) {
                                h4 {
                                    (meeting_heading(m))
                                    " "
                                    a.permalink href=(format!("{root}{}", data.meeting_path(&m.key))) { "meeting page" span.visually-hidden { " of " (meeting_heading(m)) } }
                                    (document_link(data, m))
                                }
                                @let mut n = 0usize;
                                @for item in &m.items {
                                    ({ if item.label.is_none() { n += 1; } item_block_marked(data, item, n, root, false, marks.get(item.id.as_str())) })
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(c) = &e.contact {
            aside.contact aria-label="Contact" { (PreEscaped(safe::block(c))) }
        }
    };
    layout(
        data,
        &format!("Edition {} · {}", e.id, e.title),
        path,
        body,
        None,
    )
}

/// The years of a part's meetings, in document order.
fn years_of(p: &crate::model::Part) -> Vec<i32> {
    let mut years: Vec<i32> = p.meetings.iter().map(|m| m.year).collect();
    years.dedup();
    years
}

/// An edition's front matter (Guidance for Readers, Background), whole.
fn front_matter(e: &Edition) -> Markup {
    html! {
        @for s in &e.front_matter {
            section aria-labelledby=(format!("s-{}", stem(&s.title))) {
                h2 id=(format!("s-{}", stem(&s.title))) { (s.title) }
                (PreEscaped(safe::block(&s.body)))
            }
        }
    }
}

/// The page of edition `k` on a site whose editions are not whole: its
/// changes, then its contents, each meeting linking to the page of its
/// text as it stood in this edition (shared by every edition in which
/// the meeting did not change).
pub fn edition_contents(data: &SiteData, k: usize, e: &Edition, d: Option<&EditionDiff>) -> String {
    let path = edition_path(&e.id);
    let root = "../";
    let changed: Vec<(String, ItemKind, ItemStatus, Option<String>, String)> = d
        .map(|d| {
            d.meetings
                .iter()
                .flat_map(|m| m.items.iter().map(move |i| (m, i)))
                .filter(|(_, i)| i.status != ItemStatus::Unchanged)
                .map(|(m, i)| {
                    let label = i.new_label.clone().or(i.old_label.clone());
                    let href = if matches!(i.status, ItemStatus::Removed | ItemStatus::Merged) {
                        format!("{root}{}", data.item_path(&i.id))
                    } else {
                        format!("{root}{}", data.item_text_at(&i.id, &m.key, k))
                    };
                    (
                        item_name(i.kind, label.as_deref(), i.new_position.or(i.old_position)),
                        i.kind,
                        i.status,
                        Some(describe::meeting_of_diff(m)),
                        href,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let body = html! {
        (edition_top(data, k, root))
        @if k > 0 {
            section aria-labelledby="changes" {
                h2 #changes { "What this edition changed" }
                @if changed.is_empty() {
                    p { "Nothing: its text is that of the edition before." }
                } @else {
                    ul.changes {
                        @for (name, _, status, meeting, href) in &changed {
                            li {
                                span class=(format!("status {}", status.as_str())) { (status_word(*status)) } ": "
                                a href=(href) { (name) }
                                @if let Some(m) = meeting { ", " (m) }
                            }
                        }
                    }
                }
            }
        }
        (front_matter(e))
        @for p in &e.parts {
            section aria-labelledby=(format!("part-{}", p.key)) {
                h2 id=(format!("part-{}", p.key)) { (p.key) ". " (p.title) }
                @let years = years_of(p);
                @for year in years {
                    h3 { (year) }
                    ul.contents {
                        @for m in p.meetings.iter().filter(|m| m.year == year) {
                            li {
                                // The page itself is the meeting: no fragment.
                                a href=(format!("{root}{}", data.meeting_text_at(&m.key, k).split('#').next().unwrap_or_default())) { (meeting_heading(m)) }
                                " (" (plural(m.items.len(), "item", "items")) ")"
                            }
                        }
                    }
                }
            }
        }
    };
    layout(
        data,
        &format!("Edition {} · {}", e.id, e.title),
        &path,
        body,
        None,
    )
}

pub fn diff(data: &SiteData, from: usize, to: usize, d: &EditionDiff) -> String {
    let (a, b) = (&data.editions[from], &data.editions[to]);
    let root = "../";
    let body = html! {
        h1 { "What changed from edition " (a.id) " to edition " (b.id) }
        p.meta {
            (a.date.long()) " → " (b.date.long()) ": " (summary_line(&d.summary)) ". "
            a href=(format!("{root}{}", edition_path(&a.id))) { "Edition " (a.id) } " · "
            a href=(format!("{root}{}", edition_path(&b.id))) { "Edition " (b.id) }
        }
        @if has_redline(data, from, to) {
            p.downloads {
                "These changes marked in edition " (b.id) ": "
                a href=(format!("{root}{}", redline_path(&a.id, &b.id, "docx"))) type="application/vnd.openxmlformats-officedocument.wordprocessingml.document" { "Word, as tracked changes" }
                " · "
                a href=(format!("{root}{}", redline_path(&a.id, &b.id, "pdf"))) type="application/pdf" { "PDF, marked for print" }
            }
        }
        @if d.summary.is_empty() { p { "The two editions do not differ." } }
        @if to > from + 1 {
            p.meta { "Over " (to - from) " editions: each change says the edition that made it." }
        }
        (jump_list(d))
        (report_body_attributed(d, &attribution(data, from, to, d, root)))
    };
    layout(
        data,
        &format!("Changes from {} to {}", a.id, b.id),
        &diff_path(&a.id, &b.id),
        body,
        None,
    )
}

/// For a diff from edition `from` to `to`: the editions between them that
/// changed each item (from the diffs of consecutive editions), and the
/// pages of each item's and meeting's history.
fn attribution(
    data: &SiteData,
    from: usize,
    to: usize,
    d: &EditionDiff,
    root: &str,
) -> Attribution {
    let mut at = Attribution::default();
    for m in &d.meetings {
        if data.meetings.contains_key(data.page_key(&m.key)) {
            at.meeting_history.insert(
                m.key.clone(),
                format!("{root}{}", data.meeting_path(&m.key)),
            );
        }
        for i in &m.items {
            if data.items.contains_key(&i.id) {
                at.item_history
                    .insert(i.id.clone(), format!("{root}{}", data.item_path(&i.id)));
            }
        }
    }
    if to > from + 1 {
        for k in from + 1..=to {
            let Some(step) = data.diffs.get(&(k - 1, k)) else {
                continue;
            };
            for i in step.meetings.iter().flat_map(|m| &m.items) {
                at.editions
                    .entry(i.id.clone())
                    .or_default()
                    .push(data.editions[k].id.clone());
            }
        }
    }
    at
}

fn changes_or_text(text: &str, changes: &[Change]) -> Markup {
    if changes.iter().any(|c| c.op != ChangeOp::Equal) {
        text_markup(changes, "text")
    } else {
        whole_text_markup(text, "text")
    }
}

/// An item's life as a small SVG, from its first edition to its last
/// change: a bar for the span it stood in, a dot where an edition changed
/// it, and an arrow on when it is still in force. It never depends on how
/// many editions came after its last change, so its page stays as it is
/// when editions that leave it alone come; and it stays legible at any
/// number of editions, naming only the editions that changed it.
fn timeline_svg(data: &SiteData, name: &str, history: &[Moment], present: bool) -> Markup {
    let marked: Vec<&Moment> = history
        .iter()
        .filter(|m| m.status != ItemStatus::Unchanged)
        .collect();
    let first = history.first().map_or(0, |m| m.edition);
    let last = history.last().map_or(first, |m| m.edition);
    let (width, left, right) = (900.0, 40.0, if present { 90.0 } else { 40.0 });
    let span = (last - first).max(1) as f64;
    let x = |k: usize| {
        if last == first {
            left
        } else {
            left + (width - left - right) * (k - first) as f64 / span
        }
    };
    let colour = |s: ItemStatus| match s {
        ItemStatus::Added | ItemStatus::Split | ItemStatus::Restored => "#1e6b34",
        ItemStatus::Removed | ItemStatus::Merged => "#a11d1d",
        _ => "#6b4e00",
    };
    let label = format!(
        "Timeline of {name}: {}{}",
        marked
            .iter()
            .map(|m| format!(
                "{} in edition {}",
                status_word(m.status),
                data.editions[m.edition].id
            ))
            .collect::<Vec<_>>()
            .join(", "),
        if present { "; in force since" } else { "" }
    );
    // Names of the editions that changed it, skipping one that would
    // overlap the one before (about 70 units wide).
    let mut named: Vec<(f64, &Moment)> = Vec::new();
    for m in &marked {
        let at = x(m.edition);
        if named.last().is_none_or(|(prev, _)| at - prev >= 75.0) {
            named.push((at, m));
        }
    }
    html! {
        svg.timeline-chart xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(label)
            viewBox=(format!("0 0 {width:.0} 64")) preserveAspectRatio="xMinYMin meet" {
            title { (label) }
            line x1=(format!("{:.1}", x(first))) y1="22" x2=(format!("{:.1}", x(last))) y2="22" stroke="#1f4e79" stroke-width="8" stroke-linecap="round" {}
            @if present {
                line x1=(format!("{:.1}", x(last))) y1="22" x2=(format!("{:.1}", width - 24.0)) y2="22" stroke="#1f4e79" stroke-width="8" stroke-dasharray="6 6" {}
                path d=(format!("M{:.1} 12 L{:.1} 22 L{:.1} 32 Z", width - 26.0, width - 8.0, width - 26.0)) fill="#1f4e79" {}
            }
            @for m in &marked {
                circle cx=(format!("{:.1}", x(m.edition))) cy="22" r="8" fill=(colour(m.status)) stroke="#fff" stroke-width="2" {
                    title { (status_word(m.status)) " in edition " (data.editions[m.edition].id) }
                }
            }
            @for (at, m) in &named {
                text x=(format!("{at:.1}")) y="54" text-anchor="middle" font-size="14" fill="#1a1a1a" { (data.editions[m.edition].id) }
            }
        }
    }
}

/// A "Cite this" box: the permanent address (which never changes) and the
/// dated address of the text as it stood in one edition.
fn cite_box(
    data: &SiteData,
    what: &str,
    permanent: &str,
    dated: Option<(usize, String)>,
) -> Markup {
    let title = &data.editions[data.latest()].title;
    let publisher = super::feed::publisher_name(data);
    html! {
        aside.cite aria-labelledby="cite" {
            h2 #cite { "Cite this" }
            p.citation {
                (what) ". In: " (publisher) ", " i { (title) }
                @if let Some((k, _)) = &dated { ", edition " (data.editions[*k].id) " (" (data.editions[*k].date.long()) ")" }
                ". "
            }
            dl {
                dt { "Permanent address (always this " (if permanent.starts_with("items/") { "item" } else { "meeting" }) ", as it now stands)" }
                dd { code { (data.absolute(permanent)) } }
                @if let Some((k, dated)) = &dated {
                    dt { "The text of edition " (data.editions[*k].id) " (never changes)" }
                    dd { code { (data.absolute(dated)) } }
                }
            }
        }
    }
}

/// What one moment of an item's history says; `before` is the moment
/// before it, whose text a rewording is marked against.
fn moment_line(
    data: &SiteData,
    id: &str,
    kind: ItemKind,
    m: &Moment,
    before: Option<&Moment>,
    root: &str,
) -> Markup {
    let e = &data.editions[m.edition];
    let changes = before
        .filter(|b| b.text != m.text)
        .map(|b| crate::diff::words::changes(&b.text, &m.text))
        .unwrap_or_default();
    html! {
        @if matches!(m.status, ItemStatus::Removed | ItemStatus::Merged) && m.edition > 0 {
            a href=(format!("{root}{}", compare_href(data, "", m.edition - 1, m.edition))) { "Edition " (e.id) }
        } @else {
            a href=(format!("{root}{}", data.item_text_at(id, &m.meeting, m.edition))) { "Edition " (e.id) }
        }
        " (" (e.date.long()) "): "
        span class=(format!("status {}", m.status.as_str())) {
            @if m.status == ItemStatus::Unchanged { "its place in the meeting changed" } @else { (status_word(m.status)) }
        }
        @if let Some(old) = &m.old_label { " from " (item_name(kind, Some(old), None)) }
        @if let Some(l) = &m.label { " as " (item_name(kind, Some(l), None)) }
        @if matches!(m.status, ItemStatus::Added | ItemStatus::Split) { (whole_text_markup(&m.text, "text")) }
        @if matches!(m.status, ItemStatus::Modified | ItemStatus::Moved | ItemStatus::Typography | ItemStatus::Restored) && !changes.is_empty() {
            (changes_or_text(&m.text, &changes))
        }
    }
}

/// The stretch of editions between two moments in which nothing
/// happened to the item, folded into one line.
fn unchanged_stretch(data: &SiteData, from: usize, to: usize) -> Option<Markup> {
    (to >= from).then(|| {
        let count = to - from + 1;
        html! {
            li.unchanged {
                @if count == 1 {
                    "Unchanged in edition " (data.editions[from].id)
                } @else {
                    "Unchanged in " (data.editions[from].id) " … " (data.editions[to].id) ", " (count) " editions"
                }
            }
        }
    })
}

pub fn item(data: &SiteData, id: &str, kind: ItemKind, history: &[Moment]) -> String {
    let path = data.item_path(id);
    let root = "../";
    let last = history.last().expect("an item has at least one moment");
    // Distinct for every item: "Observation 3", not "Observation".
    let name = item_name(kind, last.label.as_deref(), Some(last.position));
    let meeting_name = data
        .meetings
        .get(&last.meeting)
        .map_or(last.meeting.clone(), |(_, m)| describe::meeting(m));
    let present = !matches!(last.status, ItemStatus::Removed | ItemStatus::Merged);
    // The edition of its current wording: its last change.
    let worded = history
        .iter()
        .rev()
        .find(|m| m.status != ItemStatus::Unchanged)
        .unwrap_or(last);
    let body = html! {
        h1 { (name) ", " (meeting_name) }
        p.meta { "Permanent id " code { (id) } ". "
            @if present {
                "It reads, as worded since edition " (data.editions[worded.edition].id) ":"
            } @else if last.status == ItemStatus::Merged {
                "It was merged into a neighbouring item in edition " (data.editions[last.edition].id) "."
            } @else {
                "It was withdrawn in edition " (data.editions[last.edition].id) "."
            }
        }
        @if present { blockquote { (whole_text_markup(&last.text, "text")) } }
        (cite_box(data, &format!("{name}, {meeting_name}"), &path,
            Some((worded.edition, data.item_text_at(id, &last.meeting, worded.edition)))))
        h2 { "History" }
        (timeline_svg(data, &name, history, present))
        ol.timeline {
            @for (n, m) in history.iter().enumerate() {
                @if n > 0 {
                    @if let Some(fold) = unchanged_stretch(data, history[n - 1].edition + 1, m.edition - 1) { (fold) }
                }
                li { (moment_line(data, id, kind, m, n.checked_sub(1).map(|p| &history[p]), root)) }
            }
            @if present {
                li.unchanged { "Unchanged in every edition since " (data.editions[last.edition].id) "." }
            }
        }
        p { a href=(format!("{root}{}", data.meeting_path(&last.meeting))) { "The meeting's page" } }
    };
    layout(data, &format!("{name} · {meeting_name}"), &path, body, None)
}

/// `meetings/index.html`: every meeting of every edition, by part and
/// year, with the editions it is in.
pub fn meeting_index(data: &SiteData) -> String {
    let root = "../";
    let mut rows: Vec<(&str, i32, &str, &Meeting, &[usize])> = data
        .meetings
        .iter()
        .map(|(key, (present, m))| (m.part.as_str(), m.year, key.as_str(), m, present.as_slice()))
        .collect();
    rows.sort_by(|a, b| (a.0, a.1, &a.3.body).cmp(&(b.0, b.1, &b.3.body)));
    let body = html! {
        h1 { "All meetings" }
        p.meta { (plural(rows.len(), "meeting", "meetings")) " in " (plural(data.editions.len(), "edition", "editions")) "." }
        @let mut current: Option<(&str, i32)> = None;
        ul.index {
            @for (part, year, key, m, present) in &rows {
                @if current != Some((part, *year)) {
                    ({ current = Some((part, *year)); html! { li.group { h2 { (Profile::untoc().part_name(part)) ", " (year) } } } })
                }
                li {
                    a href=(format!("{root}{}", data.meeting_path(key))) { (describe::meeting(m)) }
                    @let first = &data.editions[present[0]].id;
                    @let last = &data.editions[*present.last().unwrap_or(&0)].id;
                    " (editions " (first) @if first != last { " to " (last) } ")"
                }
            }
        }
    };
    layout(data, "All meetings", "meetings/index.html", body, None)
}

/// `items/index.html`: every item of every edition, by meeting, each
/// named as readers know it and linked to its history.
pub fn item_index(data: &SiteData) -> String {
    let root = "../";
    let mut by_meeting: BTreeMap<&str, Vec<(&str, ItemKind, &Moment)>> = BTreeMap::new();
    for (id, (kind, history)) in &data.items {
        if let Some(last) = history.last() {
            by_meeting
                .entry(last.meeting.as_str())
                .or_default()
                .push((id.as_str(), *kind, last));
        }
    }
    let body = html! {
        h1 { "All items" }
        p.meta { (plural(data.items.len(), "item", "items")) ", recommendations and observations, with their history." }
        @for (key, items) in &by_meeting {
            section {
                h2 {
                    (data.meetings.get(*key).map_or_else(|| key.to_string(), |(_, m)| describe::meeting(m)))
                }
                ul.index {
                    @for (id, kind, last) in items {
                        li {
                            a href=(format!("{root}{}", data.item_path(id))) { (item_name(*kind, last.label.as_deref(), Some(last.position))) }
                            @if matches!(last.status, ItemStatus::Removed | ItemStatus::Merged) { " (withdrawn: " (status_word(last.status)) " in edition " (data.editions[last.edition].id) ")" }
                        }
                    }
                }
            }
        }
    };
    layout(data, "All items", "items/index.html", body, None)
}

/// A meeting's page: its documents, its current text (or the text it had
/// when it was withdrawn) and its history, version by version. Like an
/// item's page, it names no edition after its last change, so editions
/// that leave the meeting alone do not rewrite it.
pub fn meeting(data: &SiteData, key: &str, present: &[usize], m: &Meeting) -> String {
    let path = data.meeting_path(key);
    let root = "../";
    let first = present[0];
    let last = *present.last().expect("a meeting is in some edition");
    let withdrawn = (last < data.latest()).then_some(last + 1);
    let kind = match m.kind {
        MeetingKind::WorkingGroup => "Working group meeting",
        MeetingKind::ConstructiveDialogue => "Constructive dialogue",
        MeetingKind::Other => "Meeting",
    };
    let starts = data.versions.get(key).cloned().unwrap_or_default();
    let current = starts.last().copied().unwrap_or(first);
    let body = html! {
        h1 { (describe::meeting(m)) }
        p.meta {
            (kind) ", " (m.year) ", part " (m.part) ". Key " code { (key) } ". "
            "First published in edition " (data.editions[first].id) " (" (data.editions[first].date.long()) ")."
        }
        @if let Some(w) = withdrawn {
            p.banner role="note" {
                "This meeting was withdrawn from the compilation in edition " (data.editions[w].id)
                " (" (data.editions[w].date.long()) "): edition " (data.editions[last].id) " was the last to hold it. "
                a href=(compare_href(data, root, last, w)) { "See the change" } "."
            }
        }
        (documents(data, key, m))
        (cite_box(data, &describe::meeting(m), &path, Some((current, data.meeting_text_at(key, current)))))
        section aria-labelledby="history" {
            h2 #history { "History" }
            ol.timeline {
                @for (n, &start) in starts.iter().enumerate() {
                    @if n > 0 {
                        @if let Some(fold) = unchanged_stretch(data, starts[n - 1] + 1, start - 1) { (fold) }
                    }
                    li {
                        a href=(format!("{root}{}", data.meeting_text_at(key, start))) { "Edition " (data.editions[start].id) }
                        " (" (data.editions[start].date.long()) "): "
                        (version_summary(data, key, start))
                    }
                }
                @if let Some(w) = withdrawn {
                    li { "Edition " (data.editions[w].id) " (" (data.editions[w].date.long()) "): withdrawn" }
                } @else {
                    li.unchanged { "Unchanged in every edition since " (data.editions[current].id) "." }
                }
            }
        }
        section #text aria-labelledby="text-heading" {
            h2 #text-heading {
                @if withdrawn.is_some() { "Its text when it was withdrawn" } @else { "Its text now" }
            }
            @let mut n = 0usize;
            @for item in &m.items {
                ({ if item.label.is_none() { n += 1; } item_block(data, item, n, root, true) })
            }
        }
        @if !data.whole {
            script #meeting-history type="application/json" { (PreEscaped(super::compare::meeting_data(data, key).replace('<', "\\u003c"))) }
        }
    };
    let script = (!data.whole).then_some(MEETING_SCRIPT);
    layout(data, &describe::meeting(m), &path, body, script)
}

/// What edition `k` did to meeting `key`: "first published, 12 items",
/// "2 reworded, 1 added".
fn version_summary(data: &SiteData, key: &str, k: usize) -> String {
    let first = data
        .meetings
        .get(key)
        .is_some_and(|(present, _)| present.first() == Some(&k));
    let d = k.checked_sub(1).and_then(|p| data.diffs.get(&(p, k)));
    let Some(d) = d.filter(|_| !first) else {
        return "first published".into();
    };
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for m in d.meetings.iter().filter(|m| data.page_key(&m.key) == key) {
        for i in m.items.iter().filter(|i| i.status != ItemStatus::Unchanged) {
            *counts.entry(status_word(i.status)).or_default() += 1;
        }
    }
    if counts.is_empty() {
        return "its heading changed, or it came back".into();
    }
    counts
        .iter()
        .map(|(word, n)| format!("{n} {word}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `data.html`: what the site offers as data and subscriptions: each
/// edition's JSON and Akoma Ntoso, the JSON schema, and the feeds.
pub fn data_page(data: &SiteData) -> String {
    let bodies = super::feed::bodies(data);
    let body = html! {
        h1 { "Data and feeds" }
        section aria-labelledby="json" {
            h2 #json { "Each edition as data" }
            p { "Each edition's text as JSON (what " code { "livedoc show EDITION --format json" } " prints, described by "
                a href="data/schemas/show.json" { "its JSON schema" } ") and as Akoma Ntoso 3.0 XML (the OASIS standard for legal and parliamentary documents: "
                code { "eId" } " follows an item's current label, " code { "wId" } " its permanent id). The newest "
                (data.downloads()) " editions are here; every edition is made, identical, by " code { "livedoc show" } "." }
            table {
                thead { tr { th scope="col" { "Edition" } th scope="col" { "JSON" } th scope="col" { "Akoma Ntoso" } th scope="col" { "Documents" } } }
                tbody {
                    @for k in (0..data.editions.len()).rev().filter(|&k| data.has_downloads(k)) {
                        @let e = &data.editions[k];
                        tr {
                            td { a href=(edition_path(&e.id)) { (e.id) } " (" (e.date.long()) ")" }
                            td { a href=(document_path(&e.id, "json")) type="application/json" { (e.id) ".json" } }
                            td { a href=(document_path(&e.id, "akn.xml")) type="application/akn+xml" { (e.id) ".akn.xml" } }
                            td { a href=(document_path(&e.id, "pdf")) type="application/pdf" { "PDF" } " · "
                                 a href=(document_path(&e.id, "docx")) type="application/vnd.openxmlformats-officedocument.wordprocessingml.document" { "Word" } }
                        }
                    }
                }
            }
        }
        section aria-labelledby="feeds" {
            h2 #feeds { "Feeds" }
            p { "Atom feeds, one entry per edition, dated by the edition's publication date and naming what changed." }
            ul {
                li { a href="feed.xml" type="application/atom+xml" { "Every change to the compilation" } }
                @for (slug, name) in &bodies {
                    li { a href=(format!("feeds/{slug}.xml")) type="application/atom+xml" { "Changes to the meetings of the " (name) } }
                }
            }
        }
    };
    layout(data, "Data and feeds", "data.html", body, None)
}
