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
