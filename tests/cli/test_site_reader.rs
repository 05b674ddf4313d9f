//! The site's reader features in a real browser: search (filters, pages,
//! the words found marked, withdrawn items told apart) and the comparison
//! of any two editions, worked out in the browser for the pairs that have
//! no page of their own, which must find what `livedoc diff` finds.

use std::path::Path;
use std::process::Command;

use livedoc::ids::{meeting_key, mint_item_id};
use livedoc::model::{Edition, EditionDate, Item, ItemKind, Meeting, MeetingKind, Part, Section};
use serde_json::{Value, json};

use crate::common::TestEnv;

/// How many editions the store holds: far more than the site makes a
/// page for every pair of (30), so most pairs are compared in the browser.
const EDITIONS: usize = 200;

/// A deterministic pseudo-random sequence (no seed file, no crate).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

const WORDS: &[&str] = &[
    "review",
    "national",
    "legislation",
    "trafficking",
    "cooperation",
    "assistance",
    "evidence",
    "training",
    "victims",
    "prosecutors",
    "data",
    "capacity",
];

/// One meeting as the generator evolves it.
struct Gen {
    part: &'static str,
    year: i32,
    body: String,
    symbol: Option<String>,
    texts: Vec<String>,
}

/// A small compilation that changes a little in every edition: a word
/// reworded, and in turn a recommendation withdrawn (renumbering those
/// after it), an observation moved to the other dialogue, two
/// observations swapped, quotes made typographic, a new meeting, and a
/// withdrawn recommendation brought back.
struct Synthetic {
    rng: Lcg,
    meetings: Vec<Gen>,
    serial: usize,
    withdrawn: Vec<(usize, String)>,
}

impl Synthetic {
    fn text(&mut self) -> String {
        self.serial += 1;
        let mut words = vec!["States", "should", "strengthen"];
        for _ in 0..6 {
            words.push(WORDS[self.rng.below(WORDS.len())]);
        }
        // Every text names firearms, so a search for it has pages of
        // results; some say "Parties' " so that quotes can turn curly.
        let quote = if self.serial.is_multiple_of(3) {
            " Parties' "
        } else {
            " "
        };
        format!(
            "{} on firearms{quote}and {} (synthetic item {}).",
            words.join(" "),
            WORDS[self.rng.below(WORDS.len())],
            self.serial
        )
    }

    fn meeting(&mut self, part: &'static str, n: usize) -> Gen {
        let count = self.meetings.iter().filter(|m| m.part == part).count();
        let year = 2000 + count as i32;
        let (body, symbol) = if part == "A" {
            let topic = ["Firearms", "Smuggling", "Trafficking", "Cooperation"][count % 4];
            (
                format!("Working Group on {topic}"),
                Some(format!(
                    "CTOC/COP/WG.{}/{year}/{}",
                    1 + count % 4,
                    1 + count
                )),
            )
        } else {
            (
                format!("Constructive Dialogue {} on Prevention", count + 1),
                None,
            )
        };
        let texts = (0..n).map(|_| self.text()).collect();
        Gen {
            part,
            year,
            body,
            symbol,
            texts,
        }
    }

    fn new() -> Synthetic {
        let mut s = Synthetic {
            rng: Lcg(7),
            meetings: Vec::new(),
            serial: 0,
            withdrawn: Vec::new(),
        };
        for part in ["A", "A", "A", "B", "B"] {
            let m = s.meeting(part, 6);
            s.meetings.push(m);
        }
        s
    }

    fn pick(&mut self, part: &str, min: usize) -> Option<usize> {
        let found: Vec<usize> = (0..self.meetings.len())
            .filter(|&m| self.meetings[m].part == part && self.meetings[m].texts.len() >= min)
            .collect();
        (!found.is_empty()).then(|| found[self.rng.below(found.len())])
    }

    fn evolve(&mut self, round: usize) {
        // A word reworded.
        let m = self.rng.below(self.meetings.len());
        if !self.meetings[m].texts.is_empty() {
            let i = self.rng.below(self.meetings[m].texts.len());
            let word = WORDS[self.rng.below(WORDS.len())];
            let text = &mut self.meetings[m].texts[i];
            let mut words: Vec<&str> = text.split(' ').collect();
            let at = 3 + self.rng.below(5);
            if words[at] != word {
                words[at] = word;
                *text = words.join(" ");
            }
        }
        if round.is_multiple_of(4)
            && let Some(m) = self.pick("A", 4)
        {
            let at = self.rng.below(self.meetings[m].texts.len() - 1);
            let text = self.meetings[m].texts.remove(at);
            self.withdrawn.push((m, text));
        }
        if round.is_multiple_of(7)
            && let (Some(from), Some(to)) = (self.pick("B", 3), self.pick("B", 1))
            && from != to
        {
            let at = self.rng.below(self.meetings[from].texts.len());
            let text = self.meetings[from].texts.remove(at);
            self.meetings[to].texts.push(text);
        }
        if round.is_multiple_of(9)
            && let Some(m) = self.pick("B", 3)
        {
            self.meetings[m].texts.swap(0, 1);
        }
        if round.is_multiple_of(11) {
            for g in &mut self.meetings {
                if let Some(t) = g.texts.iter_mut().find(|t| t.contains("Parties' ")) {
                    *t = t.replace("Parties' ", "Parties\u{2019} ");
                    break;
                }
            }
        }
        if round.is_multiple_of(10) {
            let part = if round.is_multiple_of(20) { "B" } else { "A" };
            let m = self.meeting(part, 3);
            self.meetings.push(m);
        }
        if round.is_multiple_of(23)
            && let Some((m, text)) = self.withdrawn.pop()
        {
            self.meetings[m].texts.push(text);
        }
    }

    fn edition(&self, date: EditionDate) -> Edition {
        let mut parts = vec![
            Part {
                key: "A".into(),
                title: "Recommendations by the Working Groups".into(),
                meetings: Vec::new(),
            },
            Part {
                key: "B".into(),
                title: "Observations by the Chairs of the Constructive Dialogues".into(),
                meetings: Vec::new(),
            },
        ];
        for g in &self.meetings {
            let key = meeting_key(g.part, g.year, &g.body, g.symbol.as_deref());
            let labelled = g.part == "A";
            let items = g
                .texts
                .iter()
                .enumerate()
                .map(|(n, text)| {
                    let label = labelled.then(|| (n + 1).to_string());
                    Item {
                        id: mint_item_id(&key, label.as_deref(), n + 1).into(),
                        kind: if labelled {
                            ItemKind::Recommendation
                        } else {
                            ItemKind::Observation
                        },
                        label,
                        text: text.clone(),
                        subitems: Vec::new(),
                    }
                })
                .collect();
            parts[usize::from(!labelled)].meetings.push(Meeting {
                key: key.into(),
                part: g.part.to_string(),
                year: g.year,
                kind: MeetingKind::from_body(&g.body),
                body: g.body.clone(),
                symbol: g.symbol.clone(),
                source: (!labelled).then(|| "Summary by the Chair".to_string()),
                link: None,
                items,
            });
        }
        for p in &mut parts {
            p.meetings.sort_by_key(|m| m.year);
        }
        Edition {
            id: String::new(),
            title: "SYNTHETIC COMPILATION OF RECOMMENDATIONS (browser test, not a UNODC publication)"
                .into(),
            place: Some("Vienna".into()),
            date,
            masthead: vec!["**SYNTHETIC TEST EDITION**".into()],
            front_matter: vec![Section {
                title: "Guidance for Readers".into(),
                body: "This document is synthetic: livedoc's browser test wrote it. It is not a UNODC publication.".into(),
            }],
            parts,
            contact: None,
        }
    }
}

/// Writes the editions as `YYYY-MM.md` under `dir`; returns their ids.
fn write_editions(dir: &Path) -> Vec<String> {
    std::fs::create_dir_all(dir).expect("a directory");
    let mut s = Synthetic::new();
    let mut ids = Vec::new();
    for n in 0..EDITIONS {
        if n > 0 {
            s.evolve(n);
        }
        let (year, month) = (2001 + (n / 12) as i32, 1 + (n % 12) as u32);
        let date = EditionDate::month(year, month).expect("a month");
        let mut md = Vec::new();
        livedoc::render::markdown::render(&s.edition(date), &mut md).expect("renders");
        let id = format!("{year:04}-{month:02}");
        std::fs::write(dir.join(format!("{id}.md")), md).expect("written");
        ids.push(id);
    }
    ids
}

/// The statuses `livedoc diff FROM TO --format json` gives, by item id,
/// unchanged items left out.
fn site_has(env: &TestEnv, rel: &str) -> bool {
    env.root().join("site").join(rel).exists()
}

fn diff_statuses(env: &TestEnv, from: &str, to: &str) -> serde_json::Map<String, Value> {
    let out = env.ok(&["diff", from, to, "--format", "json"]);
    let report: Value = serde_json::from_str(&out.stdout).expect("diff prints JSON");
    let mut statuses = serde_json::Map::new();
    for m in report["meetings"].as_array().expect("meetings") {
        for i in m["items"].as_array().expect("items") {
            if i["status"] != "unchanged" {
                statuses.insert(
                    i["id"].as_str().expect("an id").to_string(),
                    i["status"].clone(),
                );
            }
        }
    }
    statuses
}

#[test]
#[ignore = "needs chromium, node and tests/browser/node_modules: cargo test -- --ignored browser (.ci/run runs it)"]
fn in_a_real_browser_search_filters_and_pages_and_any_two_editions_compare_as_diff_does() {
    assert!(
        crate::common::browser::browser_available(),
        "the browser test cannot run: install chromium and nodejs, and run npm ci in tests/browser"
    );
    // Where the time goes, for the log (nothing is asserted of it).
    let started = std::time::Instant::now();
    let phase = |what: &str| eprintln!("{what}: {:.0?}", started.elapsed());
    let env = TestEnv::new();
    let ids = write_editions(&env.root().join("editions"));
    env.ok(&["import", "editions/"]);
    phase("imported");
    // The downloads of the latest edition only: the comparison needs none
    // (it is built from the items' history), and typesetting 200 editions
    // would be most of the test's time.
    env.ok(&["site", "--out", "site", "--downloads", "1"]);
    phase("site built");
    assert!(
        !site_has(&env, &format!("editions/{}.json", ids[3])),
        "old editions have no data file, yet compare"
    );
    let site = env.root().join("site");

    // Pairs far apart, with no page of their own; between them every
    // kind of change the generator makes.
    let mut pairs = Vec::new();
    for (a, b) in [(3, 150), (10, 198), (0, 100)] {
        let statuses = diff_statuses(&env, &ids[a], &ids[b]);
        assert!(!statuses.is_empty(), "{} to {} changes", ids[a], ids[b]);
        assert!(
            !site
                .join(format!("diff/{}..{}.html", ids[a], ids[b]))
                .exists(),
            "the pair has no page of its own"
        );
        pairs.push(json!({ "from": ids[a], "to": ids[b], "statuses": statuses }));
    }
    let expected = env.root().join("expected.json");
    std::fs::write(
        &expected,
        json!({ "pairs": pairs, "word": "firearms" }).to_string(),
    )
    .expect("written");
    let artefacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-artefacts");
    std::fs::create_dir_all(&artefacts).expect("dir");
    let shots = [
        "search-1280.png",
        "search-390.png",
        "compare-1280.png",
        "compare-390.png",
    ];
    for shot in shots {
        let _ = std::fs::remove_file(artefacts.join(shot));
    }
    phase("diffs read");
    let out = Command::new("node")
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser"))
        .arg("reader.mjs")
        .arg(&site)
        .arg(&artefacts)
        .arg(&expected)
        .output()
        .expect("node runs");
    phase("browser checks run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "browser checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_str(&stdout).expect("the script prints JSON");
    for check in [
        "the pairs compared have no page of their own",
        "for each pair the browser finds the statuses of livedoc diff",
        "each change names the edition that made it",
        "the pairs compared show several kinds of change",
        "a modified item shows its insertions and deletions",
        "the compare form opens compare.html for a pair without a page",
        "a filter narrows the results and says so",
        "the query and filters are in the address",
        "paging reaches the last result",
        "Back goes to the page before",
        "the words found are marked",
        "a withdrawn item is marked and leads to its history",
        "a present item leads to the latest edition",
        "filters apply to a label search",
        "axe-core finds no WCAG 2.2 AA violation on search and compare",
        "axe-core ran its rules on both pages",
        "nothing overflows horizontally at 390 px",
        "opened from disk, compare.html says so and links the pages between",
        "compare.html may fetch from the site and nowhere else",
        "the console shows no errors",
    ] {
        assert_eq!(result["checks"][check]["ok"], true, "{check}: {stdout}");
    }
    for shot in shots {
        let len = std::fs::metadata(artefacts.join(shot))
            .expect("screenshot saved")
            .len();
        assert!(len > 10_000, "{shot} is {len} bytes");
    }
}
