//! History that tells the truth across editions: a diff of two stored
//! editions, adjacent or not, tells what comparing the two texts tells.
//!
//! The chain is the fixture stores' one, cut here with today's build: the
//! real April 2024 edition, the synthetic 2025-03 and 2025-09 editions
//! (the latter with a pairing the secretariat confirmed in
//! `2025-09.pairs.toml`) and the synthetic 2026-03 edition, which splits
//! one observation and merges two. Every pair of editions is compared
//! from the store and from the files; the one difference allowed is the
//! secretariat's confirmed pairing, which the files of a later edition do
//! not carry (the store keeps it: the item is the same item).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::TestEnv;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The chain's files, oldest first, with their edition ids.
fn chain() -> [(&'static str, String); 4] {
    [
        ("2024-04", format!("{ROOT}/editions/2024-04.md")),
        (
            "2025-03",
            format!("{ROOT}/tests/fixtures/foundation/2025-03.md"),
        ),
        (
            "2025-09",
            format!("{ROOT}/tests/fixtures/store/editions/2025-09.md"),
        ),
        (
            "2026-03",
            format!("{ROOT}/tests/fixtures/store/editions/2026-03.md"),
        ),
    ]
}

fn chain_store() -> TestEnv {
    let env = TestEnv::new();
    for (_, file) in chain() {
        env.ok(&["import", file.as_str()]);
    }
    env
}

/// An item of a diff as both sides can name it: ids differ (a file's are
/// minted from its own text, the store's were carried), texts do not.
type Told = (
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
);

fn told(view: &Value) -> BTreeSet<Told> {
    let s = |v: &Value| v.as_str().map(str::to_string);
    let mut out = BTreeSet::new();
    for m in view["meetings"].as_array().expect("meetings") {
        for i in m["items"].as_array().expect("items") {
            out.insert((
                s(&m["key"]).unwrap_or_default(),
                s(&i["status"]).unwrap_or_default(),
                s(&i["old_label"]),
                s(&i["new_label"]),
                s(&i["old_text"]).unwrap_or_default(),
                s(&i["new_text"]).unwrap_or_default(),
            ));
        }
    }
    out
}

#[test]
fn a_stored_diff_tells_what_the_files_tell_for_every_pair_of_editions() {
    let env = chain_store();
    let files = chain();
    let mut non_adjacent_fragments = 0;
    for a in 0..files.len() {
        for b in a + 1..files.len() {
            let stored = env
                .ok(&["diff", files[a].0, files[b].0, "--format", "json"])
                .json();
            let direct = env
                .ok(&[
                    "diff",
                    files[a].1.as_str(),
                    files[b].1.as_str(),
                    "--format",
                    "json",
                ])
                .json();
            let (mut s, mut f) = (told(&stored), told(&direct));
            // The secretariat's confirmed pairing: the store keeps the
            // item; the two files see a removal and an addition, unless
            // the newer one has the overrides file beside it.
            let confirmed: Vec<Told> = s
                .iter()
                .filter(|t| {
                    stored["meetings"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .flat_map(|m| m["items"].as_array().into_iter().flatten())
                        .any(|i| {
                            i["reason"] == "override"
                                && i["old_text"].as_str() == Some(t.4.as_str())
                        })
                })
                .cloned()
                .collect();
            for t in confirmed {
                s.remove(&t);
                f.retain(|g| {
                    !(g.4 == t.4 && matches!(g.1.as_str(), "removed" | "modified")
                        || g.5 == t.5 && g.1 == "added")
                });
            }
            assert_eq!(
                s.difference(&f).collect::<Vec<_>>(),
                Vec::<&Told>::new(),
                "{} -> {}: told by the store only",
                files[a].0,
                files[b].0
            );
            assert_eq!(
                f.difference(&s).collect::<Vec<_>>(),
                Vec::<&Told>::new(),
                "{} -> {}: told by the files only",
                files[a].0,
                files[b].0
            );
            if b > a + 1 {
                non_adjacent_fragments += s
                    .iter()
                    .filter(|t| t.1 == "split" || t.1 == "merged")
                    .count();
            }
        }
    }
    // 2025-03 -> 2026-03 and 2024-04 -> 2026-03 each hold the split and the
    // merge 2026-03 made.
    assert_eq!(non_adjacent_fragments, 4);
}

#[test]
fn whatsnew_and_the_sites_cumulative_page_name_the_split_and_the_merge() {
    let env = chain_store();
    let view = env
        .ok(&["whatsnew", "--since", "2025-03", "--format", "json"])
        .json();
    assert_eq!(view["summary"]["items_split"], 1, "{}", view["summary"]);
    assert_eq!(view["summary"]["items_merged"], 1, "{}", view["summary"]);
    assert_eq!(view["summary"]["items_added"], 0, "{}", view["summary"]);
    assert_eq!(view["summary"]["items_removed"], 0, "{}", view["summary"]);
    let site = env.root().join("site");
    env.ok(&["site", "--out", site.to_str().expect("utf-8")]);
    let page = std::fs::read_to_string(site.join("diff/2025-03..2026-03.html"))
        .expect("the cumulative diff page");
    assert!(
        page.contains("items: 5 modified, 1 split off, 1 merged."),
        "the page's summary"
    );
    assert!(page.contains(r#"class="badge split">Split off<"#));
    assert!(page.contains(r#"class="badge merged">Merged<"#));
}

#[test]
fn the_reverse_diff_tells_the_split_as_a_merge() {
    let env = chain_store();
    let view = env
        .ok(&["diff", "2026-03", "2025-03", "--format", "json"])
        .json();
    assert_eq!(view["summary"]["items_split"], 1, "{}", view["summary"]);
    assert_eq!(view["summary"]["items_merged"], 1, "{}", view["summary"]);
    assert_eq!(view["summary"]["items_added"], 0, "{}", view["summary"]);
    assert_eq!(view["summary"]["items_removed"], 0, "{}", view["summary"]);
}

/// `trace` and `blame` over the same chain: the part split off in 2026-03
/// starts its history at the split and names its item; `blame` dates its
/// text to the edition that first published it.
#[test]
fn trace_and_blame_follow_the_split_across_the_chain() {
    let env = chain_store();
    const PART: &str = "B/2023/constructive-dialogue-on-international-cooperation#o6";
    const ITEM: &str = "B/2023/constructive-dialogue-on-international-cooperation#o4";
    let trace = env.ok(&["trace", PART]);
    assert!(
        trace
            .stdout
            .contains(&format!("split off {ITEM}, whose earlier history")),
        "{}",
        trace.stdout
    );
    let blame = env.ok(&["blame", "latest", "--format", "json"]).json();
    let line = blame["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|l| l["id"] == PART)
        .expect("the part's line");
    assert_eq!(line["introduced"], "2024-04");
    assert_eq!(line["last_changed"], "2026-03");
    assert_eq!(line["last_change"], "split");
    assert_eq!(line["split_from"], ITEM);
}

/// The text of the real edition with its title marked synthetic and its
/// date line set.
fn synthetic(text: &str, date: &str) -> String {
    let t = crate::common::replace_once(
        text,
        "# COMPILATION\n",
        "# COMPILATION (SYNTHETIC TEST EDITION)\n",
    );
    crate::common::replace_once(&t, "Vienna, April 2024", date)
}

const REC18: &str = "CTOC/COP/WG.6/2023/5#18";
const OBS4: &str = "B/2023/constructive-dialogue-on-technical-assistance#o4";
const OBS4_TEXT: &str = "States could consider evaluate the possibility";
const OBS4_REWORDED: &str = "States could consider evaluating the possibility";

/// A chain of four editions: the first is the real text; the second
/// withdraws Recommendation 18 of the Working Group on Firearms and the
/// fourth observation of the Constructive Dialogue on Technical
/// Assistance; the third changes nothing of them; the fourth brings both
/// back, the observation with one word reworded.
fn restoring_store() -> (TestEnv, [String; 4]) {
    let env = TestEnv::new();
    let real = crate::common::real_text();
    let start = real
        .find("### *Recommendation 18*")
        .expect("Recommendation 18");
    let end = real[start..]
        .find("## **Working Group of Government Experts")
        .expect("the next meeting")
        + start;
    let obs = real[real.find(OBS4_TEXT).expect("the observation")..]
        .split("\n\n")
        .next()
        .expect("its paragraph")
        .to_string();
    let withdrawn = crate::common::replace_once(
        &crate::common::replace_once(&real, &real[start..end], ""),
        &format!("{obs}\n\n"),
        "",
    );
    let files = [
        env.write("e/2024-04.md", synthetic(&real, "Vienna, April 2024")),
        env.write("e/2025-03.md", synthetic(&withdrawn, "Vienna, March 2025")),
        env.write(
            "e/2025-09.md",
            synthetic(&withdrawn, "Vienna, September 2025"),
        ),
        env.write(
            "e/2026-03.md",
            synthetic(
                &crate::common::replace_once(&real, OBS4_TEXT, OBS4_REWORDED),
                "Vienna, March 2026",
            ),
        ),
    ];
    env.ok(&["import", "e"]);
    (env, files)
}

#[test]
fn a_withdrawn_item_that_comes_back_has_its_id_history_and_blame() {
    let (env, files) = restoring_store();
    // The edition that brings them back: both restored, under their ids,
    // with the edition that withdrew them.
    let view = env
        .ok(&["diff", "2025-09", "2026-03", "--format", "json"])
        .json();
    crate::common::contracts::assert_contract(&view);
    assert_eq!(view["summary"]["items_restored"], 2, "{}", view["summary"]);
    assert_eq!(view["summary"]["items_added"], 0, "{}", view["summary"]);
    let restored: Vec<(String, String)> = view["meetings"]
        .as_array()
        .expect("meetings")
        .iter()
        .flat_map(|m| m["items"].as_array().expect("items"))
        .filter(|i| i["status"] == "restored")
        .map(|i| {
            (
                i["id"].as_str().unwrap_or_default().to_string(),
                i["withdrawn_in"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        restored,
        [
            (REC18.to_string(), "2025-03".to_string()),
            (OBS4.to_string(), "2025-03".to_string())
        ]
    );
    // Across the withdrawal: the same as the two texts, one reworded
    // observation and nothing else.
    let across = env
        .ok(&["diff", "2024-04", "2026-03", "--format", "json"])
        .json();
    let direct = env
        .ok(&[
            "diff",
            files[0].as_str(),
            files[3].as_str(),
            "--format",
            "json",
        ])
        .json();
    assert_eq!(across["summary"], direct["summary"]);
    assert_eq!(across["summary"]["items_modified"], 1);
    // Its history: added, withdrawn, restored; first published in 2024-04.
    let trace = env.ok(&["trace", OBS4, "--format", "json"]).json();
    let statuses: Vec<&str> = trace["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["status"].as_str().unwrap_or_default())
        .filter(|s| *s != "unchanged")
        .collect();
    assert_eq!(statuses, ["added", "removed", "restored"]);
    let blame = env.ok(&["blame", "latest", "--format", "json"]).json();
    let line = blame["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|l| l["id"] == REC18)
        .expect("Recommendation 18's line");
    assert_eq!(line["introduced"], "2024-04");
    assert_eq!(line["last_change"], "restored");
    // A retired id is never given to another text: no id of 2026-03 is
    // new, and the store verifies.
    let latest = env.show_json("latest").to_string();
    assert!(!latest.contains("~2"), "an id was reminted");
    env.ok(&["verify"]);
    let whatsnew = env
        .ok(&["whatsnew", "--since", "2025-09", "--format", "json"])
        .json();
    assert_eq!(whatsnew["summary"]["items_restored"], 2);
    // The record (version 5) counts them as restored, not added, and the
    // log says so.
    let record: serde_json::Value =
        serde_json::from_str(&env.git_ok(&["show", "edition/2026-03:edition.json"])).expect("JSON");
    assert_eq!(
        record["changes"]["items_restored"], 2,
        "{}",
        record["changes"]
    );
    assert_eq!(record["changes"]["items_added"], 0, "{}", record["changes"]);
    let log = env.ok(&["log"]).stdout;
    let line = log
        .lines()
        .find(|l| l.starts_with("2026-03"))
        .expect("the edition's line");
    assert!(line.contains("2 restored"), "{line}");
    // The changelog and the site's page of the edition that restored them.
    let changelog = env.ok(&["changelog"]);
    assert!(
        changelog.stdout.contains("2 items restored"),
        "{}",
        changelog.stdout
    );
    let site = env.root().join("site");
    env.ok(&["site", "--out", site.to_str().expect("utf-8")]);
    let page =
        std::fs::read_to_string(site.join("diff/2025-09..2026-03.html")).expect("the diff page");
    assert_eq!(
        page.matches(r#"class="badge restored">Restored<"#).count(),
        2
    );
    assert!(page.contains("withdrawn in 2025-03 and restored"));
}

/// Headings as written, marks that print as nothing and a split that
/// repeats its subject, over a chain of three editions: the stored diff of
/// the first and the last (and `whatsnew`, the site's page) tells what the
/// two files tell; `trace` and `blame` follow the relabelled item.
#[test]
fn headings_marks_and_a_repeating_split_across_a_chain() {
    let env = TestEnv::new();
    let dir = format!("{ROOT}/tests/fixtures/diff");
    let read = |case: &str, side: &str| {
        std::fs::read_to_string(format!("{dir}/{case}/{side}.md")).expect("a fixture")
    };
    let first = read("headings-as-written", "before");
    let second = read("headings-as-written", "after");
    // The third: the second with the observation split as in
    // `split-repeating-subject` and the marks of `invisible-marks`.
    let whole = "States should consider cooperating with non-governmental organizations, academia, and the private sector to collect and analyze data on organized crime, identifying the dynamics and impact of organized crime at the local level and designing related comprehensive responses, in a gender-sensitive and human rights compliant manner.";
    let parts = "States should consider cooperating with non-governmental organizations, academia, and the private sector to collect and analyze data on organized crime.\n\nStates should consider cooperating with non-governmental organizations, academia, and the private sector in identifying the dynamics and impact of organized crime at the local level and designing related comprehensive responses, in a gender-sensitive and human rights compliant manner.";
    let third = crate::common::replace_once(&second, whole, parts);
    let third = crate::common::replace_once(
        &third,
        "The secretariat should continue its outreach",
        "The secre\u{ad}tariat should con\u{200b}tinue its outreach",
    );
    let third = crate::common::replace_once(&third, "Vienna, March 2025", "Vienna, September 2025");
    let files = [
        env.write("c/2024-04.md", first),
        env.write("c/2025-03.md", second),
        env.write("c/2025-09.md", third),
    ];
    env.ok(&["import", "c"]);
    let stored = env
        .ok(&["diff", "2024-04", "2025-09", "--format", "json"])
        .json();
    let direct = env
        .ok(&[
            "diff",
            files[0].as_str(),
            files[2].as_str(),
            "--format",
            "json",
        ])
        .json();
    assert_eq!(told(&stored), told(&direct));
    assert_eq!(stored["summary"], direct["summary"]);
    assert_eq!(stored["summary"]["items_split"], 1, "{}", stored["summary"]);
    assert_eq!(
        stored["summary"]["items_renumbered"], 1,
        "{}",
        stored["summary"]
    );
    assert_eq!(
        stored["summary"]["items_modified"], 1,
        "{}",
        stored["summary"]
    );
    assert_eq!(stored["summary"]["items_added"], 0, "{}", stored["summary"]);
    let whatsnew = env
        .ok(&["whatsnew", "--since", "2024-04", "--format", "json"])
        .json();
    assert_eq!(whatsnew["summary"], stored["summary"]);
    // The relabelled recommendation keeps its id and its history.
    let trace = env
        .ok(&["trace", "CTOC/COP/WG.2/2023/4#6", "--format", "json"])
        .json();
    let statuses: Vec<&str> = trace["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["status"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(statuses, ["added", "renumbered", "unchanged"]);
    let blame = env.ok(&["blame", "latest", "--format", "json"]).json();
    let line = blame["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|l| l["id"] == "CTOC/COP/WG.2/2023/4#6")
        .expect("its line");
    assert_eq!(line["introduced"], "2024-04");
    assert_eq!(line["last_changed"], "2025-03");
    let site = env.root().join("site");
    env.ok(&["site", "--out", site.to_str().expect("utf-8")]);
    let page = std::fs::read_to_string(site.join("diff/2024-04..2025-09.html"))
        .expect("the cumulative page");
    assert!(page.contains(r#"class="badge split">Split off<"#));
}
