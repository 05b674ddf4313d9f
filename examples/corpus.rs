//! A synthetic corpus for the benchmarks: N editions of a compilation in
//! the real one's layout, deterministic for a seed.
//!
//! ```text
//! cargo run --release --example corpus -- --editions 100 --items 1000 --out /tmp/corpus
//! ```
//!
//! The first edition has about `--items` items, two thirds of them
//! recommendations of working groups (Part A, labelled, under a UN symbol)
//! and one third observations of constructive dialogues (Part B,
//! unlabelled, some with (a)–(c) sub-lists). Each later edition, one month
//! on, changes `--change` of the items (default 1%): a word replaced in
//! most, and every time one recommendation removed (which renumbers those
//! after it), one observation moved to another dialogue and one new
//! meeting with a few items. Files are named `YYYY-MM.md`; every title
//! says the document is synthetic.

use std::io::Write;
use std::path::PathBuf;

use livedoc::ids::{meeting_key, mint_item_id};
use livedoc::model::{
    Edition, EditionDate, Item, ItemKind, Meeting, MeetingKind, Part, Section, SubItem,
};

const WORDS: &[&str] = &[
    "States",
    "parties",
    "should",
    "consider",
    "strengthening",
    "the",
    "review",
    "of",
    "national",
    "legislation",
    "on",
    "firearms",
    "trafficking",
    "in",
    "persons",
    "and",
    "smuggling",
    "migrants",
    "to",
    "ensure",
    "effective",
    "international",
    "cooperation",
    "including",
    "mutual",
    "legal",
    "assistance",
    "extradition",
    "with",
    "regard",
    "organized",
    "crime",
    "Convention",
    "its",
    "Protocols",
    "secretariat",
    "is",
    "requested",
    "provide",
    "technical",
    "support",
    "for",
    "capacity-building",
    "training",
    "judges",
    "prosecutors",
    "law",
    "enforcement",
    "officials",
    "data",
    "collection",
    "analysis",
    "victims",
    "protection",
    "witnesses",
    "a",
    "gender",
    "perspective",
    "civil",
    "society",
    "academia",
    "private",
    "sector",
    "focal",
    "points",
    "central",
    "authorities",
    "confiscation",
    "proceeds",
    "money-laundering",
    "corruption",
    "cybercrime",
    "electronic",
    "evidence",
    "joint",
    "investigations",
    "special",
    "investigative",
    "techniques",
    "good",
    "practices",
    "challenges",
    "identified",
    "during",
    "country",
    "reviews",
    "Working",
    "Group",
    "Conference",
];

struct Args {
    seed: u64,
    editions: usize,
    items: usize,
    change: f64,
    out: PathBuf,
}

fn usage() -> ! {
    eprintln!("usage: corpus [--seed S] [--editions N] [--items M] [--change FRACTION] --out DIR");
    std::process::exit(2)
}

fn args() -> Args {
    let mut a = Args {
        seed: 1,
        editions: 2,
        items: 1000,
        change: 0.01,
        out: PathBuf::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| usage());
        match flag.as_str() {
            "--seed" => a.seed = value.parse().unwrap_or_else(|_| usage()),
            "--editions" => a.editions = value.parse().unwrap_or_else(|_| usage()),
            "--items" => a.items = value.parse().unwrap_or_else(|_| usage()),
            "--change" => a.change = value.parse().unwrap_or_else(|_| usage()),
            "--out" => a.out = PathBuf::from(value),
            _ => usage(),
        }
    }
    if a.out.as_os_str().is_empty() || a.editions == 0 {
        usage();
    }
    a
}

/// One meeting as the generator evolves it.
struct Gen {
    part: &'static str,
    year: i32,
    body: String,
    symbol: Option<String>,
    /// (text, sub-items) in order; labels are positions for Part A.
    items: Vec<(String, Vec<String>)>,
}

struct Corpus {
    rng: fastrand::Rng,
    meetings: Vec<Gen>,
    serial: usize,
}

impl Corpus {
    fn sentence(&mut self, min: usize, max: usize) -> String {
        let n = self.rng.usize(min..=max);
        let mut words: Vec<&str> = Vec::with_capacity(n);
        words.push(["States", "The", "Parties", "UNODC"][self.rng.usize(..4)]);
        while words.len() < n {
            let w = WORDS[self.rng.usize(..WORDS.len())];
            // No doubled words, which check would report.
            if !words.last().is_some_and(|l| l.eq_ignore_ascii_case(w)) {
                words.push(w);
            }
        }
        // A serial number keeps every text distinct, as real ones are.
        self.serial += 1;
        format!("{} (item {}).", words.join(" "), self.serial)
    }

    fn item(&mut self, part: &str) -> (String, Vec<String>) {
        let text = self.sentence(25, 70);
        let subs = if part == "B" && self.rng.usize(..20) == 0 {
            let n = self.rng.usize(2..=3);
            let mut subs = Vec::new();
            for _ in 0..n {
                let mut s = self.sentence(6, 15);
                s.pop();
                s.push(';');
                subs.push(s);
            }
            if let Some(last) = subs.last_mut() {
                last.pop();
                last.push('.');
            }
            subs
        } else {
            Vec::new()
        };
        (text, subs)
    }

    /// A new meeting of `n` items in `part`, after every meeting there.
    fn meeting(&mut self, part: &'static str, n: usize) -> Gen {
        let count = self.meetings.iter().filter(|m| m.part == part).count();
        let year = 2000 + (count / 8) as i32;
        let (body, symbol) = if part == "A" {
            let wg = 1 + count % 6;
            let name = [
                "Firearms",
                "Smuggling",
                "Trafficking",
                "Cooperation",
                "Assistance",
                "Review",
            ][wg - 1];
            (
                format!("Working Group on {name}"),
                Some(format!("CTOC/COP/WG.{wg}/{year}/{}", 1 + count % 8)),
            )
        } else {
            // No number at the end: a table of contents reads trailing
            // numbers as page numbers.
            let topic = ["Cooperation", "Assistance", "Prevention", "Protection"][count % 4];
            (
                format!("Constructive Dialogue {} on {topic}", count + 1),
                None,
            )
        };
        let items = (0..n).map(|_| self.item(part)).collect();
        Gen {
            part,
            year,
            body,
            symbol,
            items,
        }
    }

    fn first(seed: u64, items: usize) -> Corpus {
        let mut c = Corpus {
            rng: fastrand::Rng::with_seed(seed),
            meetings: Vec::new(),
            serial: 0,
        };
        let mut made = 0;
        while made < items {
            let part = if c.meetings.len() % 3 == 2 { "B" } else { "A" };
            let n = c.rng.usize(20..=40).min(items - made).max(1);
            let m = c.meeting(part, n);
            made += n;
            c.meetings.push(m);
        }
        c
    }

    fn total(&self) -> usize {
        self.meetings.iter().map(|m| m.items.len()).sum()
    }

    /// One edition's worth of changes.
    fn evolve(&mut self, change: f64, round: usize) {
        let total = self.total();
        let modified = ((total as f64 * change).round() as usize).max(1);
        for _ in 0..modified {
            let m = self.rng.usize(..self.meetings.len());
            if self.meetings[m].items.is_empty() {
                continue;
            }
            let i = self.rng.usize(..self.meetings[m].items.len());
            let word = WORDS[self.rng.usize(..WORDS.len())];
            let text = &mut self.meetings[m].items[i].0;
            let words: Vec<&str> = text.split(' ').collect();
            let at = self.rng.usize(1..words.len().saturating_sub(2).max(2));
            let mut new: Vec<&str> = words.clone();
            if at < new.len() - 2
                && !new[at - 1].eq_ignore_ascii_case(word)
                && !new[at + 1].eq_ignore_ascii_case(word)
            {
                new[at] = word;
            }
            *text = new.join(" ");
        }
        // One recommendation removed: those after it are renumbered.
        let a: Vec<usize> = (0..self.meetings.len())
            .filter(|&m| self.meetings[m].part == "A" && self.meetings[m].items.len() > 3)
            .collect();
        if !a.is_empty() {
            let m = a[self.rng.usize(..a.len())];
            let len = self.meetings[m].items.len();
            self.meetings[m].items.remove(self.rng.usize(..len - 1));
        }
        // One observation moved to another dialogue.
        let b: Vec<usize> = (0..self.meetings.len())
            .filter(|&m| self.meetings[m].part == "B" && self.meetings[m].items.len() > 2)
            .collect();
        if b.len() >= 2 {
            let from = b[self.rng.usize(..b.len())];
            let to = b[self.rng.usize(..b.len())];
            if from != to {
                let len = self.meetings[from].items.len();
                let item = self.meetings[from].items.remove(self.rng.usize(..len));
                self.meetings[to].items.push(item);
            }
        }
        // One new meeting.
        let part = if round % 3 == 2 { "B" } else { "A" };
        let n = self.rng.usize(2..=4);
        let m = self.meeting(part, n);
        self.meetings.push(m);
    }

    fn edition(&self, seed: u64, date: EditionDate) -> Edition {
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
            let mut unlabelled = 0;
            let items = g
                .items
                .iter()
                .enumerate()
                .map(|(n, (text, subs))| {
                    let label = labelled.then(|| (n + 1).to_string());
                    if label.is_none() {
                        unlabelled += 1;
                    }
                    Item {
                        id: mint_item_id(&key, label.as_deref(), unlabelled).into(),
                        kind: if labelled {
                            ItemKind::Recommendation
                        } else {
                            ItemKind::Observation
                        },
                        label,
                        text: text.clone(),
                        subitems: subs
                            .iter()
                            .enumerate()
                            .map(|(k, s)| SubItem {
                                label: format!("({})", (b'a' + k as u8) as char),
                                text: s.clone(),
                            })
                            .collect(),
                    }
                })
                .collect();
            let meeting = Meeting {
                key: key.into(),
                part: g.part.to_string(),
                year: g.year,
                kind: MeetingKind::from_body(&g.body),
                body: g.body.clone(),
                symbol: g.symbol.clone(),
                source: (!labelled).then(|| "Summary by the Chair".to_string()),
                link: None,
                items,
            };
            let p = if labelled { 0 } else { 1 };
            parts[p].meetings.push(meeting);
        }
        // Within a part, meetings go by year.
        for p in &mut parts {
            p.meetings.sort_by_key(|m| m.year);
        }
        Edition {
            id: String::new(),
            title: format!(
                "SYNTHETIC COMPILATION OF RECOMMENDATIONS (benchmark corpus, seed {seed})"
            ),
            place: Some("Vienna".into()),
            date,
            masthead: vec!["**SYNTHETIC BENCHMARK CORPUS**".into()],
            front_matter: vec![Section {
                title: "Guidance for Readers".into(),
                body: "This document is synthetic: livedoc's benchmark corpus generator wrote it. It is not a UNODC publication.".into(),
            }],
            parts,
            contact: None,
        }
    }
}

fn main() {
    let a = args();
    if let Err(e) = std::fs::create_dir_all(&a.out) {
        eprintln!("corpus: cannot create {}: {e}", a.out.display());
        std::process::exit(1);
    }
    let mut corpus = Corpus::first(a.seed, a.items);
    for n in 0..a.editions {
        if n > 0 {
            corpus.evolve(a.change, n);
        }
        let (year, month) = (2001 + (n / 12) as i32, 1 + (n % 12) as u32);
        let Some(date) = EditionDate::month(year, month) else {
            eprintln!("corpus: too many editions");
            std::process::exit(1);
        };
        let edition = corpus.edition(a.seed, date);
        let path = a.out.join(format!("{year:04}-{month:02}.md"));
        let mut buf = Vec::new();
        let written = livedoc::render::markdown::render(&edition, &mut buf)
            .and_then(|()| std::fs::File::create(&path)?.write_all(&buf));
        if let Err(e) = written {
            eprintln!("corpus: cannot write {}: {e}", path.display());
            std::process::exit(1);
        }
    }
}
