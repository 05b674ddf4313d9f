//! The pages of the site, built with maud (which escapes every text it is
//! given; only [`safe`] output is inserted as markup).

use std::collections::BTreeMap;

use base64::Engine;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use sha2::{Digest, Sha256};

use super::{Moment, SiteData, safe, stem};
use crate::diff::words::{Change, ChangeOp};
use crate::diff::{EditionDiff, ItemStatus};
use crate::model::{Item, ItemKind, Meeting, MeetingKind};
use crate::profile::Profile;
use crate::render::describe::{self, item_name, status_word, summary_line};
use crate::render::html::{
    Attribution, STYLE, jump_list, report_body_attributed, text_markup, whole_text_markup,
};
use crate::text::plural;

const SITE_STYLE: &str = include_str!("assets/site.css");

/// The index's script: the compare form opens the diff page of the two
/// editions chosen (pages for other pairs do not exist, and it says so);
/// the date form names the edition in force on a day.
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
    to == from + 1 || to == data.latest()
}

fn csp(script: Option<&str>) -> String {
    let script_src = match script {
        Some(s) => format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
        ),
        None => "'none'".into(),
    };
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {script_src}; base-uri 'none'; form-action 'none'"
    )
}

/// Every page's frame. `root` is the relative path to the site's root.
pub(super) fn layout(title: &str, root: &str, body: Markup, script: Option<&str>) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy" content=(csp(script));
                title { (title) }
                link rel="alternate" type="application/atom+xml" title="Editions" href=(format!("{root}feed.xml"));
                style { (PreEscaped(STYLE)) (PreEscaped(SITE_STYLE)) }
            }
            body {
                a.skip href="#main" { "Skip to the content" }
                header {
                    nav aria-label="Site" {
                        a href=(format!("{root}latest.html")) { "Latest edition" }
                        a href=(format!("{root}index.html")) { "All editions" }
                        a href=(format!("{root}meetings/index.html")) { "Meetings" }
                        a href=(format!("{root}items/index.html")) { "Items" }
                        a href=(format!("{root}search.html")) { "Search" }
                        a href=(format!("{root}feed.xml")) { "Updates (Atom feed)" }
                        a href=(format!("{root}editions.json")) { "Data (JSON)" }
                    }
                }
                main #main { (body) }
                footer {
                    "Made by livedoc " (env!("CARGO_PKG_VERSION")) " from the edition store. Every page works offline."
                }
                @if let Some(s) = script { script { (PreEscaped(s)) } }
            }
        }
    }
    .into_string()
}

/// A small SVG chart: per edition, one bar per part (its item count).
fn chart(data: &SiteData) -> Markup {
    let parts: Vec<String> = {
        let mut keys: Vec<String> = Vec::new();
        for e in &data.editions {
            for p in &e.parts {
                if !keys.contains(&p.key) {
                    keys.push(p.key.clone());
                }
            }
        }
        keys
    };
    let colours = ["#1f4e79", "#8a4f00", "#3d6b21", "#6b2d6b"];
    let n = data.editions.len();
    let max = data
        .editions
        .iter()
        .flat_map(|e| e.parts.iter().map(|p| p.counts().items()))
        .max()
        .unwrap_or(1)
        .max(1);
    let group = (16.0 * parts.len() as f64 + 14.0).max(64.0);
    let width = (50.0 + group * n as f64).max(480.0);
    // Name every edition when there is room, else every k-th.
    let every = n.div_ceil(12).max(1);
    let height = 160.0;
    let plot = 130.0;
    let bar = |count: usize| plot * count as f64 / max as f64;
    let label = format!(
        "Items per edition, by part: {}",
        data.editions
            .iter()
            .map(|e| {
                let per: Vec<String> = e
                    .parts
                    .iter()
                    .map(|p| format!("part {} {}", p.key, p.counts().items()))
                    .collect();
                format!("{}: {}", e.id, per.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    );
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(label)
            width=(format!("{:.0}", width.min(900.0))) style="max-width: 100%; height: auto"
            viewBox=(format!("0 0 {width:.0} {height:.0}")) {
            title { (label) }
            line x1="40" y1=(format!("{:.0}", 20.0 + plot)) x2=(format!("{width:.0}")) y2=(format!("{:.0}", 20.0 + plot)) stroke="#767676" {}
            text x="2" y="26" { (max) }
            text x="2" y=(format!("{:.0}", 20.0 + plot)) { "0" }
            @for (k, e) in data.editions.iter().enumerate() {
                @let x0 = 46.0 + group * k as f64;
                @for (pi, key) in parts.iter().enumerate() {
                    @let count = e.parts.iter().find(|p| &p.key == key).map_or(0, |p| p.counts().items());
                    @let h = bar(count);
                    rect x=(format!("{:.1}", x0 + 16.0 * pi as f64)) y=(format!("{:.1}", 20.0 + plot - h))
                        width="13" height=(format!("{h:.1}")) fill=(colours[pi % colours.len()]) {
                        title { (e.id) ", part " (key) ": " (count) }
                    }
                }
                @if k % every == 0 || k + 1 == n {
                    text x=(format!("{x0:.0}")) y=(format!("{:.0}", 36.0 + plot)) { (e.id) }
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
        .diffs
        .keys()
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
        (publisher(le))
        h1 { "All editions" }
        p.fulltitle { (le.title) }
        p.meta { "The editions of this living document, newest first. The latest is edition "
            a href=(edition_path(&le.id)) { (le.id) } " (" (le.date.long()) ")." }
        section aria-labelledby="whats-new" {
            h2 #whats-new { "What's new in the latest edition" }
            @match whats_new {
                Some(d) => {
                    p { "Edition " (le.id) " " (added_summary(d)) " compared with edition " (d.from.edition_id) ". "
                        a href=(diff_path(&d.from.edition_id, &le.id)) { "See every change" } "." }
                    @let added = d.added();
                    @let meetings = le.meeting_index();
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
                None => { p { "Edition " (le.id) " is the first edition: " (super::first_added(data).sentence()) "." } }
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
                    @for (from, to) in data.diffs.keys() {
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
                                        " · " a href=(diff_path(&e.id, &le.id)) { "compare with the latest" }
                                    }
                                } @else {
                                    "the first edition: " (super::first_added(data).sentence())
                                    @if k < latest {
                                        " · " a href=(diff_path(&e.id, &le.id)) { "compare with the latest" }
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
        &format!("Editions of {}", le.title),
        "",
        body,
        Some(INDEX_SCRIPT),
    )
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
/// changed it: the mark names how, and links to the change.
fn item_block_marked(
    data: &SiteData,
    item: &Item,
    position: usize,
    root: &str,
    top_level: bool,
    mark: Option<(ItemStatus, String)>,
) -> Markup {
    let name = item_name(item.kind, item.label.as_deref(), Some(position));
    let heading = html! {
        @if let Some((status, href)) = &mark {
            a class=(format!("badge {}", status.as_str())) href=(href) {
                @if *status == ItemStatus::Added { "New in this edition" } @else { "Changed in this edition" }
            }
            " "
        }
        (name)
        // The accessible name holds the visible text ("#").
        a.permalink href=(format!("#{}", data.item_anchor(&item.id))) { "#" span.visually-hidden { " link to " (name) } }
        a.permalink href=(format!("{root}{}", data.item_path(&item.id))) { "history" }
    };
    html! {
        article.item id=(data.item_anchor(&item.id)) {
            @if top_level { h3 { (heading) } } @else { h5 { (heading) } }
            p { (PreEscaped(safe::inline(&item.text))) }
            @if !item.subitems.is_empty() {
                ul.sub {
                    @for s in &item.subitems {
                        li { @if !s.label.is_empty() { span.label { (s.label) } } (PreEscaped(safe::inline(&s.text))) }
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

/// The publisher's lines from the title page, above a page's heading.
fn publisher(e: &crate::model::Edition) -> Markup {
    html! {
        @if !e.masthead.is_empty() {
            p.publisher { (e.masthead.iter().map(|l| l.replace("**", "")).collect::<Vec<_>>().join(" · ")) }
        }
    }
}

/// The page of edition `k`, under `editions/`.
pub fn edition(data: &SiteData, k: usize) -> String {
    edition_at(data, k, "../")
}

/// The newest edition's page at the site's root (`latest.html`): one
/// address that always shows the newest edition.
pub fn latest(data: &SiteData) -> String {
    edition_at(data, data.latest(), "")
}

fn edition_at(data: &SiteData, k: usize, root: &str) -> String {
    let e = &data.editions[k];
    let info = &data.infos[k];
    let latest = &data.editions[data.latest()];
    let previous = k.checked_sub(1).map(|p| &data.editions[p]);
    let next = data.editions.get(k + 1);
    // What this edition added or changed, marked where it stands.
    let marks: std::collections::HashMap<&str, (ItemStatus, String)> = match previous {
        Some(p) => data
            .diffs
            .get(&(k - 1, k))
            .map(|d| {
                d.meetings
                    .iter()
                    .flat_map(|m| &m.items)
                    .filter(|i| {
                        !matches!(
                            i.status,
                            ItemStatus::Removed | ItemStatus::Merged | ItemStatus::Unchanged
                        )
                    })
                    .map(|i| {
                        let href = format!("{root}{}#item-{}", diff_path(&p.id, &e.id), i.id);
                        (i.id.as_str(), (i.status, href))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        None => std::collections::HashMap::new(),
    };
    let body = html! {
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
        @if k != data.latest() {
            p.banner role="note" {
                "This is edition " (e.id) " of " (e.date.long()) ", not the latest. The latest is edition "
                a href=(format!("{root}{}", edition_path(&latest.id))) { (latest.id) } " (" (latest.date.long()) "); "
                a href=(format!("{root}{}", diff_path(&e.id, &latest.id))) { "see what changed since" } "."
            }
        }
        // A short heading a phone can show, the publisher above it and the
        // full (all-capitals) title under it.
        (publisher(e))
        h1 { "Edition " (e.id) ", " (e.date.long()) }
        p.fulltitle { (e.title) }
        p.meta {
            @if let Some(p) = &e.place { (p) ", " } (e.date.long()) " · " (describe::counts(&e.counts()))
        }
        p.downloads {
            "This edition as a document: "
            a href=(format!("{root}{}", document_path(&e.id, "pdf"))) type="application/pdf" { "PDF" }
            " · "
            a href=(format!("{root}{}", document_path(&e.id, "docx"))) type="application/vnd.openxmlformats-officedocument.wordprocessingml.document" { "Word" }
        }
        details.record {
            summary { "Record of this edition" }
            p {
                "Published by " (info.meta.provenance.cut_by.name) " at " (info.meta.provenance.cut_at)
                "; stored as commit " code { (&info.commit.to_string()[..12]) } "."
            }
        }
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
        @for s in &e.front_matter {
            section aria-labelledby=(format!("s-{}", stem(&s.title))) {
                h2 id=(format!("s-{}", stem(&s.title))) { (s.title) }
                (PreEscaped(safe::block(&s.body)))
            }
        }
        @for p in &e.parts {
            section aria-labelledby=(format!("part-{}", p.key)) {
                h2 id=(format!("part-{}", p.key)) { (p.key) ". " (p.title) }
                @let years: Vec<i32> = { let mut y: Vec<i32> = p.meetings.iter().map(|m| m.year).collect(); y.dedup(); y };
                @for year in years {
                    section {
                        h3 { (year) }
                        @for m in p.meetings.iter().filter(|m| m.year == year) {
                            section.meeting id=(data.meeting_anchor(&m.key)) {
                                h4 {
                                    (meeting_heading(m))
                                    " "
                                    a.permalink href=(format!("{root}{}", data.meeting_path(&m.key))) { "meeting page" }
                                    (document_link(data, m))
                                }
                                @let mut n = 0usize;
                                @for item in &m.items {
                                    ({ if item.label.is_none() { n += 1; } item_block_marked(data, item, n, root, false, marks.get(item.id.as_str()).cloned()) })
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(c) = &e.contact {
            footer { (PreEscaped(safe::block(c))) }
        }
    };
    layout(&format!("Edition {} · {}", e.id, e.title), root, body, None)
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
        &format!("Changes from {} to {}", a.id, b.id),
        root,
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

/// An item's life as a small SVG: every edition a tick on one line, the
/// span it stood in as a bar, a dot where an edition changed it. The text
/// history under it says the same in words; the image's name sums it up.
fn timeline_svg(data: &SiteData, name: &str, history: &[Moment]) -> Markup {
    let n = data.editions.len();
    let width = (60.0 * n as f64 + 40.0).clamp(320.0, 900.0);
    let x = |k: usize| {
        if n == 1 {
            width / 2.0
        } else {
            24.0 + (width - 48.0) * k as f64 / (n - 1) as f64
        }
    };
    let present: Vec<usize> = history
        .iter()
        .filter(|m| !matches!(m.status, ItemStatus::Removed | ItemStatus::Merged))
        .map(|m| m.edition)
        .collect();
    let (first, last) = (
        present.first().copied().unwrap_or(0),
        present.last().copied().unwrap_or(0),
    );
    let marked: Vec<&Moment> = history
        .iter()
        .filter(|m| m.status != ItemStatus::Unchanged)
        .collect();
    let colour = |s: ItemStatus| match s {
        ItemStatus::Added | ItemStatus::Split => "#1e6b34",
        ItemStatus::Removed | ItemStatus::Merged => "#a11d1d",
        _ => "#6b4e00",
    };
    let label = format!(
        "Timeline of {name}: {}; in {}",
        marked
            .iter()
            .map(|m| format!(
                "{} in edition {}",
                status_word(m.status),
                data.editions[m.edition].id
            ))
            .collect::<Vec<_>>()
            .join(", "),
        if first == last {
            format!("edition {}", data.editions[first].id)
        } else {
            format!(
                "editions {} to {}",
                data.editions[first].id, data.editions[last].id
            )
        }
    );
    let every = n.div_ceil(8).max(1);
    html! {
        svg.timeline-chart xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(label)
            width=(format!("{width:.0}")) viewBox=(format!("0 0 {width:.0} 64")) style="max-width: 100%; height: auto" {
            title { (label) }
            line x1=(format!("{:.1}", x(0))) y1="22" x2=(format!("{:.1}", x(n - 1))) y2="22" stroke="#767676" stroke-width="2" {}
            line x1=(format!("{:.1}", x(first))) y1="22" x2=(format!("{:.1}", x(last))) y2="22" stroke="#1f4e79" stroke-width="8" stroke-linecap="round" {}
            @for k in 0..n {
                line x1=(format!("{:.1}", x(k))) y1="14" x2=(format!("{:.1}", x(k))) y2="30" stroke="#767676" {}
                @if k % every == 0 || k + 1 == n || marked.iter().any(|m| m.edition == k) {
                    text x=(format!("{:.1}", x(k))) y="52" text-anchor="middle" font-size="13" fill="#1a1a1a" { (data.editions[k].id) }
                }
            }
            @for m in &marked {
                circle cx=(format!("{:.1}", x(m.edition))) cy="22" r="7" fill=(colour(m.status)) stroke="#fff" stroke-width="2" {
                    title { (status_word(m.status)) " in edition " (data.editions[m.edition].id) }
                }
            }
        }
    }
}

pub fn item(data: &SiteData, id: &str, kind: ItemKind, history: &[Moment]) -> String {
    let root = "../";
    let last = history.last().expect("an item has at least one moment");
    // Distinct for every item: "Observation 3", not "Observation".
    let name = item_name(kind, last.label.as_deref(), Some(last.position));
    let meeting_name = data
        .meetings
        .get(&last.meeting)
        .map_or(last.meeting.clone(), |(_, m)| describe::meeting(m));
    let present = history
        .last()
        .is_some_and(|m| !matches!(m.status, ItemStatus::Removed | ItemStatus::Merged));
    let body = html! {
        h1 { (name) ", " (meeting_name) }
        p.meta { "Permanent id " code { (id) } ". "
            @if present {
                "In the latest edition it reads:"
            } @else if last.status == ItemStatus::Merged {
                "It was merged into a neighbouring item in edition " (data.editions[last.edition].id) "."
            } @else {
                "It was removed in edition " (data.editions[last.edition].id) "."
            }
        }
        @if present { blockquote { (whole_text_markup(&last.text, "text")) } }
        h2 { "History" }
        (timeline_svg(data, &name, history))
        ol.timeline {
            @for m in history {
                @let e = &data.editions[m.edition];
                li {
                    @if matches!(m.status, ItemStatus::Removed | ItemStatus::Merged) && m.edition > 0 {
                        a href=(format!("{root}{}", diff_path(&data.editions[m.edition - 1].id, &e.id))) { "Edition " (e.id) }
                    } @else {
                        a href=(format!("{root}{}#{}", edition_path(&e.id), data.item_anchor(id))) { "Edition " (e.id) }
                    }
                    " (" (e.date.long()) "): "
                    span class=(format!("status {}", m.status.as_str())) { (status_word(m.status)) }
                    @if let Some(l) = &m.label { " as " (item_name(kind, Some(l), None)) }
                    @if matches!(m.status, ItemStatus::Added | ItemStatus::Split) { (whole_text_markup(&m.text, "text")) }
                    @if matches!(m.status, ItemStatus::Modified | ItemStatus::Moved | ItemStatus::Typography) && !m.changes.is_empty() {
                        (changes_or_text(&m.text, &m.changes))
                    }
                }
            }
        }
        p { a href=(format!("{root}{}", data.meeting_path(&last.meeting))) { "The meeting's page" } }
    };
    layout(&format!("{name} · {meeting_name}"), root, body, None)
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
    layout("All meetings", root, body, None)
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
                            @if matches!(last.status, ItemStatus::Removed | ItemStatus::Merged) { " (" (status_word(last.status)) " in edition " (data.editions[last.edition].id) ")" }
                        }
                    }
                }
            }
        }
    };
    layout("All items", root, body, None)
}

pub fn meeting(data: &SiteData, key: &str, present: &[usize], m: &Meeting) -> String {
    let root = "../";
    let first = &data.editions[present[0]];
    let last = &data.editions[*present.last().expect("a meeting is in some edition")];
    let kind = match m.kind {
        MeetingKind::WorkingGroup => "Working group meeting",
        MeetingKind::ConstructiveDialogue => "Constructive dialogue",
        MeetingKind::Other => "Meeting",
    };
    let body = html! {
        h1 { (describe::meeting(m)) }
        p.meta {
            (kind) ", " (m.year) ", part " (m.part) ". Key " code { (key) } ". "
            "In editions " (first.id) " to " (last.id) "."
        }
        (documents(data, key, m))
        h2 { "As it stands in edition "
            a href=(format!("{root}{}#{}", edition_path(&last.id), data.meeting_anchor(key))) { (last.id) } }
        @let mut n = 0usize;
        @for item in &m.items {
            ({ if item.label.is_none() { n += 1; } item_block(data, item, n, root, true) })
        }
    };
    layout(&describe::meeting(m), root, body, None)
}
