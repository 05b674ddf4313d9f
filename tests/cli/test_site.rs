//! The reader website: built from a store, checked for dead links, heading
//! order, a valid Atom feed and safe rebuilds, then opened in Debian's
//! chromium (tests/browser/site.mjs) to follow links, use the compare form
//! and prove that hostile text runs no script.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;

use regex::Regex;

use crate::common::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn fixture(rel: &str) -> String {
    format!("{FIXTURES}/{rel}")
}

/// A store with two editions in which a recommendation was reworded (so
/// the diff page has insertions and deletions), and its site.
/// A store of these fixtures as editions e1, e2, ….
fn store_of(fixtures: &[&str]) -> TestEnv {
    let env = TestEnv::new();
    for (n, f) in fixtures.iter().enumerate() {
        env.ok(&["import", &fixture(f), "--edition", &format!("e{}", n + 1)]);
    }
    env
}

/// [`store_of`], and its site.
fn site_of(fixtures: &[&str]) -> (TestEnv, PathBuf) {
    let env = store_of(fixtures);
    env.ok(&["site", "--out", "site"]);
    let dir = env.root().join("site");
    (env, dir)
}

fn site_env() -> (TestEnv, PathBuf) {
    let env = store_of(&[
        "diff/modified-recommendation/before.md",
        "diff/new-year/after.md",
        "diff/modified-recommendation/after.md",
    ]);
    let out = env.ok(&["site", "--out", "site"]);
    assert!(
        out.stdout
            .starts_with("Wrote the site for 3 editions to site:"),
        "{}",
        out.stdout
    );
    let dir = env.root().join("site");
    (env, dir)
}

fn pages(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("readable").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

static HREF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?:href|src)="([^"]*)""#).expect("valid"));
static ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"\sid="([^"]*)""#).expect("valid"));
static HANDLER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<[a-z][^<>]*\son[a-z]+=").expect("valid"));
static UNSAFE_HREF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<[a-z][^<>]*\s(href|src)="(javascript|data|vbscript):"#).expect("valid")
});
static HEADING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<h([1-6])[\s>]").expect("valid"));

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&").replace("&quot;", "\"")
}

/// `s` with each `%XX` decoded, as a browser reads a URL's fragment.
fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn the_site_has_every_page_and_no_dead_internal_link() {
    let (_env, dir) = site_env();
    for rel in [
        "index.html",
        "feed.xml",
        "data.html",
        "data/schemas/show.json",
        "editions/e1.json",
        "editions/e3.json",
        "editions/e1.html",
        "editions/e3.html",
        "diff/e1..e2.html",
        "diff/e2..e3.html",
        "diff/e1..e3.html",
    ] {
        assert!(dir.join(rel).is_file(), "{rel} is missing");
    }
    let all = pages(&dir);
    // Pages for every item and meeting ever published.
    assert!(
        all.iter()
            .filter(|p| p.starts_with(dir.join("items")))
            .count()
            >= 42
    );
    assert!(
        all.iter()
            .filter(|p| p.starts_with(dir.join("meetings")))
            .count()
            >= 12
    );

    let ids: BTreeMap<PathBuf, HashSet<String>> = all
        .iter()
        .map(|p| {
            let html = std::fs::read_to_string(p).expect("readable");
            let ids = ID.captures_iter(&html).map(|c| unescape(&c[1])).collect();
            (p.canonicalize().expect("exists"), ids)
        })
        .collect();
    let mut checked = 0;
    for page in &all {
        let html = std::fs::read_to_string(page).expect("readable");
        for c in HREF.captures_iter(&html) {
            let link = unescape(&c[1]);
            if link.starts_with("https://")
                || link.starts_with("http://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            assert!(
                !link.contains(':'),
                "{}: a link with a scheme: {link}",
                page.display()
            );
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            // A query (compare.html?from=…) is read by the page's script.
            let path = path.split_once('?').map_or(path, |(p, _)| p);
            // A browser decodes a fragment's %XX to find the element.
            let fragment = &percent_decoded(fragment);
            let target = if path.is_empty() {
                page.clone()
            } else {
                page.parent().expect("in a directory").join(path)
            };
            let target = target
                .canonicalize()
                .unwrap_or_else(|_| panic!("{}: dead link {link}", page.display()));
            if !fragment.is_empty() {
                let anchors = ids
                    .get(&target)
                    .unwrap_or_else(|| panic!("{}: {link} is not a page", page.display()));
                assert!(
                    anchors.contains(fragment),
                    "{}: no #{fragment} in {}",
                    page.display(),
                    target.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn headings_are_in_order_and_pages_have_landmarks() {
    let (_env, dir) = site_env();
    for page in pages(&dir) {
        let html = std::fs::read_to_string(&page).expect("readable");
        let levels: Vec<u32> = HEADING
            .captures_iter(&html)
            .map(|c| c[1].parse().expect("a digit"))
            .collect();
        assert_eq!(
            levels.first(),
            Some(&1),
            "{} starts without h1",
            page.display()
        );
        for w in levels.windows(2) {
            assert!(
                w[1] <= w[0] + 1,
                "{} skips from h{} to h{}",
                page.display(),
                w[0],
                w[1]
            );
        }
        for landmark in [
            "<header",
            "<nav ",
            "<main id=\"main\">",
            "<footer>",
            "lang=\"en\"",
        ] {
            assert!(
                html.contains(landmark),
                "{} lacks {landmark}",
                page.display()
            );
        }
        assert!(
            html.contains("Content-Security-Policy"),
            "{}",
            page.display()
        );
        // One stylesheet for the site, with its print styles.
        assert!(
            html.contains(r#"<link rel="stylesheet" href=""#),
            "{}",
            page.display()
        );
    }
    let css = std::fs::read_to_string(dir.join("site.css")).expect("site.css");
    assert!(css.contains("@media print"));
}

#[test]
fn permalinks_follow_permanent_ids_and_old_editions_point_to_the_latest() {
    let (env, dir) = site_env();
    let view = env.show_json("e3");
    let id = view["parts"][0]["meetings"][3]["items"][2]["id"]
        .as_str()
        .expect("an item id")
        .to_string();
    let e1 = std::fs::read_to_string(dir.join("editions/e1.html")).expect("page");
    let e3 = std::fs::read_to_string(dir.join("editions/e3.html")).expect("page");
    // The same anchor in every edition: it is made from the permanent id.
    let anchor = ID
        .captures_iter(&e3)
        .map(|c| c[1].to_string())
        .find(|a| a == "i-ctoc-cop-wg-2-2023-4-4")
        .expect("the item has a readable anchor, without a hash suffix");
    assert!(e1.contains(&format!("id=\"{anchor}\"")), "{id}");
    assert!(
        e1.contains("class=\"banner\""),
        "an old edition carries a banner"
    );
    assert!(e1.contains("href=\"../latest.html\""));
    assert!(!e3.contains("class=\"banner\""), "the latest has no banner");
    // The item's page has its timeline.
    let item_page = pages(&dir)
        .into_iter()
        .find(|p| {
            p.to_string_lossy()
                .ends_with("items/ctoc-cop-wg-2-2023-4-4.html")
        })
        .expect("an item page under a readable name");
    let html = std::fs::read_to_string(item_page).expect("page");
    assert!(html.contains(&id), "{html}");
    assert!(html.contains("status modified") && html.contains("<ins>") && html.contains("<del>"));
}

#[test]
fn the_feed_is_atom_and_the_export_is_json() {
    let (env, dir) = site_env();
    let xml = std::fs::read(dir.join("feed.xml")).expect("feed");
    let feed = atom_syndication::Feed::read_from(&xml[..]).expect("parses as Atom");
    let titles: Vec<String> = feed
        .entries()
        .iter()
        .map(|e| e.title().to_string())
        .collect();
    assert_eq!(titles.len(), 3);
    assert!(titles[0].starts_with("Edition e3"), "{titles:?}");
    let summary = feed.entries()[1]
        .summary()
        .expect("a summary")
        .value
        .clone();
    assert!(
        summary.contains("Added 2 meetings, 2 recommendations and 3 observations"),
        "{summary}"
    );
    let ids: HashSet<&str> = feed.entries().iter().map(|e| e.id()).collect();
    assert_eq!(ids.len(), 3, "entry ids are unique");
    // Without --base-url the links are relative (to the feed), and the
    // feed is otherwise as RFC 4287 requires.
    let problems = atom_problems(&String::from_utf8_lossy(&xml), None);
    assert!(problems.is_empty(), "{problems:#?}");

    // Each edition's data beside its page: what `show --format json`
    // prints, linked from the page.
    for e in ["e1", "e2", "e3"] {
        let data: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.join(format!("editions/{e}.json"))).expect("the edition's JSON"),
        )
        .expect("JSON");
        assert_eq!(data, env.show_json(e), "{e}");
        let page = std::fs::read_to_string(dir.join(format!("editions/{e}.html"))).expect("page");
        assert!(
            page.contains(&format!(r#"href="../editions/{e}.json""#)),
            "{e}"
        );
    }
    assert!(!dir.join("editions.json").exists(), "no monolith");
}

#[test]
fn a_rebuild_rewrites_only_what_changed() {
    let (env, dir) = site_env();
    let index = dir.join("index.html");
    let stamp = |p: &Path| {
        std::fs::metadata(p)
            .and_then(|m| m.modified())
            .expect("mtime")
    };
    let e1_before = stamp(&dir.join("editions/e1.html"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let out = env.ok(&["site", "--out", "site"]);
    assert!(out.stdout.contains(" 0 written, "), "{}", out.stdout);
    assert_eq!(stamp(&dir.join("editions/e1.html")), e1_before);
    // A new edition changes the index and adds pages, and leaves e1's page.
    env.ok(&[
        "import",
        &fixture("diff/removed-observation/after.md"),
        "--edition",
        "e4",
    ]);
    let out = env.ok(&["site", "--out", "site"]);
    assert!(!out.stdout.contains(" 0 written, "), "{}", out.stdout);
    assert!(
        std::fs::read_to_string(&index)
            .expect("index")
            .contains("editions/e4.html")
    );
    assert!(dir.join("diff/e3..e4.html").is_file());
    // Pages of editions the new one does not touch stay as they were:
    // an old edition's note leads to latest.html, never names the latest.
    assert_eq!(stamp(&dir.join("editions/e1.html")), e1_before);
    let e1 = std::fs::read_to_string(dir.join("editions/e1.html")).expect("page");
    assert!(!e1.contains("e4"), "{e1}");
    assert!(e1.contains(r#"href="../latest.html""#));
    // The edition before the new one gains its "Next edition" link.
    assert!(
        std::fs::read_to_string(dir.join("editions/e3.html"))
            .expect("page")
            .contains(r#"rel="next" href="../editions/e4.html""#)
    );
}

#[test]
fn the_site_is_never_written_through_a_symlink() {
    let (env, dir) = site_env();
    let outside = env.root().join("outside");
    std::fs::create_dir(&outside).expect("dir");
    std::fs::remove_dir_all(dir.join("items")).expect("rm");
    std::os::unix::fs::symlink(&outside, dir.join("items")).expect("symlink");
    let out = env.run(&["site", "--out", "site"]);
    out.failure();
    assert!(out.stderr.contains("symbolic link"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_dir(&outside).expect("dir").count(),
        0,
        "nothing written outside"
    );
    // The output directory itself as a link is refused too.
    std::os::unix::fs::symlink(&outside, env.root().join("linked")).expect("symlink");
    env.run(&["site", "--out", "linked"]).failure();
    assert_eq!(std::fs::read_dir(&outside).expect("dir").count(), 0);
}

#[test]
fn hostile_text_is_escaped_in_every_page() {
    let env = TestEnv::new();
    env.ok(&["import", &fixture("site/hostile.md"), "--edition", "h1"]);
    env.ok(&["site", "--out", "site"]);
    for page in pages(&env.root().join("site")) {
        let html = std::fs::read_to_string(&page).expect("page");
        let lower = html.to_lowercase();
        // The hostile words may show as text, never as markup.
        assert!(!UNSAFE_HREF.is_match(&lower), "{}", page.display());
        assert!(!lower.contains("<img"), "{}", page.display());
        assert!(!lower.contains("<iframe"), "{}", page.display());
        // An event handler inside a tag (as text after "&lt;img" it is inert).
        assert!(!HANDLER.is_match(&lower), "{}", page.display());
        // The only scripts are the index's forms, the search page's and
        // the comparison page's; every other script element is data,
        // which holds no `<` at all.
        let data = lower.matches("<script id=").count();
        let scripts = lower.matches("<script").count() - data;
        let scripted = [
            env.root().join("site/index.html"),
            env.root().join("site/search.html"),
            env.root().join("site/compare.html"),
        ]
        .contains(&page);
        assert_eq!(scripts, usize::from(scripted), "{}", page.display());
        for block in html.split(r#"<script id="#).skip(1) {
            let block = &block[block.find('>').expect("a tag") + 1..];
            let json = &block[..block.find("</script>").expect("closed")];
            assert!(!json.contains('<'), "{}", page.display());
            serde_json::from_str::<serde_json::Value>(json).expect("data blocks are JSON");
        }
    }
    // The hostile text is searchable, as text.
    let search = std::fs::read_to_string(env.root().join("site/search.html")).expect("page");
    assert!(
        search.contains(r"\u003cscript>window.__pwned"),
        "escaped in the search data"
    );
    let edition = std::fs::read_to_string(env.root().join("site/editions/h1.html")).expect("page");
    assert!(
        edition.contains("&lt;script&gt;window.__pwned"),
        "the text is shown, escaped"
    );
    assert!(edition.contains(r#"<a href="https://www.unodc.org/">a real link</a>"#));
}

#[test]
#[ignore = "needs chromium, node and tests/browser/node_modules: cargo test -- --ignored browser (.ci/run runs it)"]
fn in_a_real_browser_the_site_works_and_hostile_text_runs_no_script() {
    assert!(
        crate::common::browser::browser_available(),
        "the browser test cannot run: install chromium and nodejs, and run npm ci in tests/browser"
    );
    // Three editions: the second rewords a recommendation, the third adds
    // a year of meetings, so a diff of the first and third has changes by
    // two editions.
    let (_env, dir) = site_of(&[
        "diff/modified-recommendation/before.md",
        "diff/modified-recommendation/after.md",
        "site/third-edition.md",
    ]);
    let hostile = TestEnv::new();
    hostile.ok(&["import", &fixture("site/hostile.md"), "--edition", "h1"]);
    hostile.ok(&["site", "--out", "site"]);
    _env.ok(&["site", "--out", "contents", "--edition-pages", "contents"]);
    // Screenshots are kept as test artefacts.
    let artefacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-artefacts");
    std::fs::create_dir_all(&artefacts).expect("dir");
    let out = Command::new("node")
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser"))
        .arg("site.mjs")
        .arg(&dir)
        .arg(hostile.root().join("site"))
        .arg(&artefacts)
        .args(["e1", "e3"])
        .arg(_env.root().join("contents"))
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "browser checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: serde_json::Value = serde_json::from_str(&stdout).expect("the script prints JSON");
    for check in [
        "index lists the editions",
        "diff page shows insertions and deletions",
        "a permalink lands on its item",
        "the compare form opens the right page",
        "cite this gives a permanent address and a dated one that lands on the item",
        "a meeting page shows its text in an older edition",
        "search finds a word and a result leads to it",
        "search finds a label and leads to that item",
        "a diff over three editions attributes every change to the edition that made it",
        "the jump list on top leads to every changed meeting",
        "with scripting disabled the comparison list opens a diff, search says where to look",
        "axe-core finds no WCAG 2.2 AA violation on any kind of page",
        "axe-core ran its rules on every page",
        "nothing overflows horizontally at 1280 px or 390 px",
        "hostile text ran no script",
        "hostile text made no script or image element",
        "no javascript: or other unsafe link survived",
        "the console shows no errors",
    ] {
        assert_eq!(result["checks"][check]["ok"], true, "{check}: {stdout}");
    }
    for shot in [
        "index.png",
        "diff.png",
        "index-1280.png",
        "index-390.png",
        "edition-1280.png",
        "edition-390.png",
        "diff-1280.png",
        "diff-390.png",
        "item-1280.png",
        "item-390.png",
    ] {
        let len = std::fs::metadata(artefacts.join(shot))
            .expect("screenshot saved")
            .len();
        assert!(len > 10_000, "{shot} is {len} bytes");
    }
}

/// Pages a reader can cite and navigate (issue 16, first steps): a
/// `latest.html` that always shows the newest edition, previous/next
/// edition links and each edition's own changes, an official-document
/// link for every symbol (base configurable), a distinct title for every
/// observation page, and a feed with `rel="self"`, absolute links under
/// `--base-url` and summaries that name what was added.
#[test]
fn citable_pages_official_links_and_a_feed_with_absolute_links() {
    let (env, dir) = site_env();
    let read = |rel: &str| std::fs::read_to_string(dir.join(rel)).expect(rel);
    let latest = read("latest.html");
    assert!(
        latest.contains("Edition e3"),
        "latest.html shows the newest edition"
    );
    assert!(
        latest.contains(r#"rel="prev" href="editions/e2.html""#),
        "{latest}"
    );
    assert!(latest.contains(r#"href="diff/e2..e3.html">What changed in this edition"#));
    let e2 = read("editions/e2.html");
    assert!(e2.contains(r#"rel="prev" href="../editions/e1.html""#));
    assert!(e2.contains(r#"rel="next" href="../editions/e3.html""#));
    assert!(
        e2.contains(r#"href="https://undocs.org/CTOC/COP/WG.4/2022/4">Official document CTOC/COP/WG.4/2022/4"#),
        "every symbol links to its official document"
    );
    // Every observation page of one dialogue has its own title.
    let mut titles = std::collections::BTreeSet::new();
    for page in pages(&dir.join("items")) {
        let text = std::fs::read_to_string(&page).expect("a page");
        let title = text
            .split("<title>")
            .nth(1)
            .and_then(|t| t.split("</title>").next())
            .expect("a title");
        assert!(
            titles.insert(title.to_string()),
            "two item pages titled {title}"
        );
    }

    env.ok(&[
        "site",
        "--out",
        "site",
        "--base-url",
        "https://example.org/compilation",
        "--documents-url",
        "https://documents.example.org/",
    ]);
    let feed = read("feed.xml");
    assert!(
        feed.contains(r#"<link href="https://example.org/compilation/feed.xml" rel="self"/>"#),
        "{feed}"
    );
    assert!(feed.contains(r#"href="https://example.org/compilation/diff/e2..e3.html""#));
    assert!(!feed.contains("0 item(s)"), "{feed}");
    // Entries name the changes, not only count them.
    assert!(
        feed.contains("Reworded: Recommendation 4 (Working Group of Government Experts on Technical Assistance, 2023)"),
        "{feed}"
    );
    // Entries are dated by the edition's publication date (e3: March
    // 2025), not by when it was stored.
    assert!(
        feed.contains("<updated>2025-03-01T00:00:00+00:00</updated>"),
        "{feed}"
    );
    // A feed per meeting body, linked from the data page.
    let body_feed = read("feeds/working-group-on-firearms.xml");
    assert!(
        body_feed.contains("Working Group on Firearms"),
        "{body_feed}"
    );
    assert!(
        !body_feed.contains("Technical Assistance, 2023)"),
        "{body_feed}"
    );
    assert!(read("data.html").contains(r#"href="feeds/working-group-on-firearms.xml""#));
    let problems = atom_problems(&body_feed, Some("https://example.org/compilation/"));
    assert!(problems.is_empty(), "{problems:#?}\n{body_feed}");
    // Every page names its canonical, permanent address.
    assert!(read("items/ctoc-cop-wg-2-2023-4-4.html").contains(
        r#"<link rel="canonical" href="https://example.org/compilation/items/ctoc-cop-wg-2-2023-4-4.html">"#
    ));
    assert!(
        read("editions/e2.html").contains("https://documents.example.org/CTOC/COP/WG.4/2022/4")
    );
    let problems = atom_problems(&feed, Some("https://example.org/compilation/"));
    assert!(problems.is_empty(), "{problems:#?}\n{feed}");
}

/// What RFC 4287 requires of a feed and its entries that this feed could
/// get wrong, checked on the parsed feed: ids that are absolute IRIs and
/// unique, titles, `updated` (an entry's never after the feed's), an
/// author for every entry, a `self` link, at most one alternate link per
/// type and language, content or an alternate link in every entry, and
/// (with `base`) every link absolute under it.
fn atom_problems(xml: &str, base: Option<&str>) -> Vec<String> {
    let mut problems = Vec::new();
    if !xml.contains(r#"xmlns="http://www.w3.org/2005/Atom""#) {
        problems.push("the root is not in the Atom namespace".to_string());
    }
    let feed = match atom_syndication::Feed::read_from(xml.as_bytes()) {
        Ok(f) => f,
        Err(e) => return vec![format!("does not parse as Atom: {e}")],
    };
    let iri = Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$").expect("regex");
    let links = |what: &str, links: &[atom_syndication::Link], problems: &mut Vec<String>| {
        let mut alternates = HashSet::new();
        for l in links {
            if l.rel() == "alternate"
                && !alternates.insert((
                    l.mime_type().map(str::to_string),
                    l.hreflang().map(str::to_string),
                ))
            {
                problems.push(format!(
                    "{what}: two alternate links of one type and language"
                ));
            }
            if let Some(base) = base
                && !l.href().starts_with(base)
            {
                problems.push(format!(
                    "{what}: link {} is not absolute under {base}",
                    l.href()
                ));
            }
        }
    };
    if !iri.is_match(feed.id()) {
        problems.push(format!("feed id {:?} is not an absolute IRI", feed.id()));
    }
    if feed.title().value.trim().is_empty() {
        problems.push("the feed has no title".into());
    }
    if !feed.links().iter().any(|l| l.rel() == "self") {
        problems.push("the feed has no rel=\"self\" link".into());
    }
    links("feed", feed.links(), &mut problems);
    let mut ids = HashSet::new();
    for e in feed.entries() {
        let what = format!("entry {}", e.id());
        if !iri.is_match(e.id()) || !ids.insert(e.id().to_string()) {
            problems.push(format!("{what}: id is not an absolute IRI, or not unique"));
        }
        if e.title().value.trim().is_empty() {
            problems.push(format!("{what}: no title"));
        }
        if e.updated() > feed.updated() {
            problems.push(format!("{what}: updated after the feed"));
        }
        if e.authors().is_empty() && feed.authors().is_empty() {
            problems.push(format!("{what}: no author, and none for the feed"));
        }
        if e.content().is_none() && !e.links().iter().any(|l| l.rel() == "alternate") {
            problems.push(format!("{what}: neither content nor an alternate link"));
        }
        if e.summary().is_none_or(|s| s.value.trim().is_empty()) {
            problems.push(format!("{what}: no summary"));
        }
        links(&what, e.links(), &mut problems);
    }
    problems
}

/// Diffs that read as a publication: an added item is a whole block under
/// a "New" label (it was underlined from end to end), word marks are kept
/// for reworded text, and how an item was matched (similarity, permanent
/// id) is folded into a "How this was matched" note.
#[test]
fn diff_pages_show_added_items_whole_and_fold_the_matching_details() {
    let (_env, dir) = site_env();
    let page = std::fs::read_to_string(dir.join("diff/e1..e2.html")).expect("a diff page");
    let added = page.find(r#"<li class="added""#).expect("an added item");
    let block = &page[added
        ..page[added..]
            .find("</li>")
            .map_or(page.len(), |e| added + e)];
    assert!(
        block.contains(r#"<span class="badge added">New</span>"#),
        "{block}"
    );
    assert!(
        !block.contains("<ins>"),
        "not underlined end to end: {block}"
    );
    let reworded = std::fs::read_to_string(dir.join("diff/e2..e3.html")).expect("a diff page");
    assert!(
        reworded.contains("<ins>") && reworded.contains("<del>"),
        "word marks in reworded text"
    );
    let modified = reworded
        .find(r#"<li class="modified""#)
        .expect("a reworded item");
    let head = &reworded[modified..];
    let head = &head[head.find(r#"<p class="item-head">"#).expect("its heading")..];
    let head = &head[..head.find("</p>").expect("its end")];
    assert!(
        !head.contains("similarity") && !head.contains("#4"),
        "{head}"
    );
    assert!(reworded.contains("<summary>How this was matched</summary>"));
}

/// Index pages of all meetings and all items, "which edition was in force
/// when" on the index, a compare fallback that needs no script, and
/// permalinks whose accessible name contains their visible "#".
#[test]
fn index_pages_in_force_dates_a_scriptless_compare_and_labelled_permalinks() {
    let (_env, dir) = site_env();
    let read = |rel: &str| std::fs::read_to_string(dir.join(rel)).expect(rel);
    let meetings = read("meetings/index.html");
    assert!(meetings.contains("<h1>All meetings</h1>"));
    assert!(meetings.contains("Part A, 2024"), "{meetings}");
    assert!(meetings.contains(r#"href="../meetings/"#));
    let items = read("items/index.html");
    assert!(items.contains("Recommendation 19"), "{items}");
    assert!(items.contains("Observation 1"), "{items}");
    let index = read("index.html");
    assert!(index.contains("<th scope=\"col\">In force</th>"));
    assert!(
        index.contains("since March 2025 (current)") || index.contains("(current)"),
        "{index}"
    );
    assert!(index.contains("from April 2024 until"), "{index}");
    assert!(index.contains("<summary>Every comparison page</summary>"));
    assert!(
        index.contains(r#"href="diff/e1..e3.html">e1 → e3</a>"#),
        "{index}"
    );
    let edition = read("editions/e3.html");
    assert!(
        edition.contains(r##">#<span class="visually-hidden"> link to "##),
        "the permalink's name starts with its visible text"
    );
    assert!(!edition.contains("aria-label=\"Link to"));
}

/// A diff over several editions says which edition made each change, and
/// links each item and meeting to its history (it never said either).
#[test]
fn a_diff_over_three_editions_attributes_each_change() {
    // 2024-04; 2025-03 adds a year (Recommendation 19 among it); 2025-06
    // rewords Recommendation 19 and removes an observation of 2024-04.
    let env = crate::common::diff::three_editions();
    env.ok(&["site", "--out", "site"]);
    let dir = env.root().join("site");
    let page =
        std::fs::read_to_string(dir.join("diff/2024-04..2025-06.html")).expect("a diff page");
    assert!(page.contains("Over 2 editions: each change says the edition that made it."));
    assert!(
        page.contains("— in editions 2025-03, 2025-06"),
        "added, then reworded: {page}"
    );
    assert!(
        page.contains("— in edition 2025-06"),
        "the removal came with 2025-06"
    );
    assert!(
        page.contains(r#"class="history" href="../items/"#),
        "{page}"
    );
    assert!(page.contains(r#"class="history" href="../meetings/"#));
    // Between consecutive editions there is nothing to attribute.
    let step =
        std::fs::read_to_string(dir.join("diff/2025-03..2025-06.html")).expect("a diff page");
    assert!(!step.contains("— in edition"));
}

/// An edition page marks what that edition added or changed, where it
/// stands, each mark linking to the change (nothing did).
#[test]
fn an_edition_page_marks_its_new_and_changed_items() {
    let (_env, dir) = site_env();
    let e2 = std::fs::read_to_string(dir.join("editions/e2.html")).expect("a page");
    assert!(
        e2.contains(">New in this edition</a>"),
        "the new year's items"
    );
    let e3 = std::fs::read_to_string(dir.join("editions/e3.html")).expect("a page");
    assert!(
        e3.contains(
            r#"<p class="change-note modified"><a href="../diff/e2..e3.html#item-CTOC/COP/WG.2/2023/4%234">Reworded in this edition</a>"#
        ),
        "the reworded recommendation links to its change, its fragment escaped"
    );
    assert!(
        e3.contains("What the wording was before"),
        "the old wording is shown"
    );
    let e1 = std::fs::read_to_string(dir.join("editions/e1.html")).expect("a page");
    assert!(
        !e1.contains("in this edition</a>"),
        "the first edition marks nothing"
    );
}

/// A corrected symbol gives the meeting a new key, but readers keep one
/// meeting page, which names both symbols and links each in every
/// official language; the meeting index lists it once.
#[test]
fn a_corrected_symbol_keeps_one_meeting_page_naming_both_symbols() {
    let (_env, dir) = site_of(&[
        "diff/corrected-symbol/before.md",
        "diff/corrected-symbol/after.md",
    ]);
    let pages: Vec<String> = std::fs::read_dir(dir.join("meetings"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("wg-7-2023"))
        .collect();
    assert_eq!(
        pages,
        ["ctoc-cop-wg-7-2023-5.html"],
        "one page, its first name"
    );
    let page = std::fs::read_to_string(dir.join("meetings").join(&pages[0])).expect("page");
    assert!(
        page.contains("first published as CTOC/COP/WG.7/2023/5, now CTOC/COP/WG.7/2023/6"),
        "{page}"
    );
    assert!(
        page.contains(r#"href="https://undocs.org/CTOC/COP/WG.7/2023/6""#),
        "{page}"
    );
    assert!(
        page.contains(r#"href="https://undocs.org/CTOC/COP/WG.7/2023/5""#),
        "{page}"
    );
    assert!(page.contains(r#"href="https://undocs.org/fr/CTOC/COP/WG.7/2023/6" lang="fr" hreflang="fr">Français</a>"#), "{page}");
    assert!(page.contains("First published in edition e1"), "{page}");
    let index = std::fs::read_to_string(dir.join("meetings/index.html")).expect("index");
    assert_eq!(index.matches("CTOC/COP/WG.7/2023/").count(), 1, "{index}");
    // Both editions link the meeting to the same page.
    for e in ["e1", "e2"] {
        let edition =
            std::fs::read_to_string(dir.join(format!("editions/{e}.html"))).expect("edition");
        assert!(
            edition.contains(r#"href="../meetings/ctoc-cop-wg-7-2023-5.html""#),
            "{e}"
        );
    }
}

/// The search page carries its index and its results' data, and says
/// where else to look without JavaScript; an item page draws its life as
/// an SVG timeline with a name; the index answers "in force on a date".
#[test]
fn search_data_timelines_and_the_date_form() {
    let (_env, dir) = site_env();
    let read = |rel: &str| std::fs::read_to_string(dir.join(rel)).expect(rel);
    let search = read("search.html");
    let docs = search
        .split(r#"<script id="search-docs" type="application/json">"#)
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("the docs block");
    let docs: Vec<serde_json::Value> = serde_json::from_str(docs).expect("JSON");
    let rec = docs
        .iter()
        .find(|d| d["kind"] == "recommendation" && d["label"] == "19")
        .expect("Recommendation 19 is searchable by its label");
    assert_eq!(rec["title"], "Recommendation 19");
    assert_eq!(rec["editions"], "edition e2", "{rec}");
    // Withdrawn in e3, it leads to its history page.
    assert_eq!(rec["withdrawn"], "e3", "{rec}");
    assert_eq!(rec["url"], rec["history"], "{rec}");
    assert!(
        docs.iter()
            .any(|d| d["kind"] == "recommendation" && d["label"] == "l")
    );
    // Every result leads somewhere: its page, its anchor, its history.
    for d in &docs {
        let url = d["url"].as_str().expect("url");
        match url.split_once('#') {
            // Present: its place in the latest edition.
            Some((path, anchor)) => {
                assert_eq!(path, "latest.html", "{d}");
                let page = read(path);
                assert!(page.contains(&format!(r#"id="{anchor}""#)), "{url}");
            }
            None => assert!(d["withdrawn"].is_string() && url == d["history"], "{d}"),
        }
        assert!(
            dir.join(d["history"].as_str().expect("history")).is_file(),
            "{d}"
        );
    }
    let index_json = search
        .split(r#"<script id="search-index" type="application/json">"#)
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("the index block");
    let index: serde_json::Value = serde_json::from_str(index_json).expect("JSON");
    assert_eq!(
        index["version"], "0.9.5",
        "elasticlunr.js reads this version"
    );
    assert!(
        index["index"]["body"]["root"]["f"].is_object(),
        "words are indexed"
    );
    assert!(search.contains("Search needs JavaScript"));
    // The script is allowed by its hash, and only it.
    assert!(search.contains("script-src 'sha256-"), "{}", &search[..600]);

    let item = read("items/ctoc-cop-wg-2-2023-4-4.html");
    assert!(item.contains(r#"<svg class="timeline-chart""#), "{item}");
    assert!(item.contains(r#"aria-label="Timeline of Recommendation 4: added in edition e1, reworded in edition e3; in force since""#), "{item}");
    // The edition between its two changes is folded into one line.
    assert!(item.contains("Unchanged in edition e2"), "{item}");

    let index = read("index.html");
    assert!(
        index.contains(r#"<input id="when-date" type="date""#),
        "{index}"
    );
    assert!(
        index.contains(r#"[["e1","2024-04-01","April 2024"],["e2","2025-03-01","March 2025"]"#),
        "{index}"
    );
}

/// Issue 31: each edition page links its PDF and its Word document, and
/// the comparison to the next edition and to the latest links its Word
/// redline; each is the document it says, reading back as its edition
/// (the redline's tracked changes read as accepted: the later edition).
#[test]
fn edition_pages_link_their_pdf_and_word_and_comparisons_their_redline() {
    let (env, dir) = site_env();
    let ids = env.log_ids();
    let (newest, oldest) = (&ids[0], &ids[2]);
    for id in &ids {
        let page = std::fs::read_to_string(dir.join(format!("editions/{id}.html")))
            .expect("the edition page");
        for ext in ["pdf", "docx"] {
            assert!(
                page.contains(&format!("href=\"../editions/{id}.{ext}\"")),
                "{id}: no {ext} link"
            );
        }
        let pdf = std::fs::read(dir.join(format!("editions/{id}.pdf"))).expect("the PDF");
        assert!(pdf.starts_with(b"%PDF-"), "{id}");
        // The Word document is the edition.
        let docx = format!("site/editions/{id}.docx");
        let same = env.ok(&["diff", id, &docx, "--format", "json"]).json();
        assert_eq!(same["summary"]["items_added"], 0, "{id}");
        assert_eq!(same["summary"]["items_modified"], 0, "{id}");
    }
    // The latest page links from the site's root.
    let latest = std::fs::read_to_string(dir.join("latest.html")).expect("latest.html");
    assert!(latest.contains(&format!("href=\"editions/{newest}.pdf\"")));

    // Redlines: to the next edition and to the latest.
    let redline = format!("site/diff/{oldest}..{newest}.docx");
    let page = std::fs::read_to_string(dir.join(format!("diff/{oldest}..{newest}.html")))
        .expect("the diff page");
    for ext in ["docx", "pdf"] {
        assert!(page.contains(&format!("href=\"../diff/{oldest}..{newest}.{ext}\"")));
    }
    let pdf = std::fs::read(dir.join(format!("diff/{oldest}..{newest}.pdf"))).expect("the PDF");
    assert!(pdf.starts_with(b"%PDF-"));
    let accepted = env
        .ok(&["diff", newest, &redline, "--format", "json"])
        .json();
    assert_eq!(accepted["summary"]["items_added"], 0);
    assert_eq!(accepted["summary"]["items_modified"], 0);
    let changes = env.ok(&["diff", oldest, newest, "--format", "json"]).json();
    assert!(changes["summary"]["items_modified"].as_u64() > Some(0));
    // A rebuild writes none of them again.
    let out = env.ok(&["site", "--out", "site"]);
    assert!(out.stdout.contains(" 0 written"), "{}", out.stdout);
}
