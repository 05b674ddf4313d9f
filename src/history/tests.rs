//! Trace and blame on stores built in code.

use super::*;
use crate::ids::EditionId;
use crate::model::Edition;
use crate::parse::{ParseOptions, parse};
use crate::render::markdown;
use crate::store::snapshot::Person;
use crate::store::{DateFrom, ImportOutcome, ImportRequest, Store};

/// Stores of these tests are thrown away: their writes are not synced,
/// which tests nothing of livedoc's logic and costs most of their time.
const THROWAWAY: crate::store::Options = crate::store::Options {
    durable: false,
    check_object_ids: false,
};

const REAL: &[u8] = include_bytes!("../../editions/2024-04.md");

fn real() -> Edition {
    let opts = ParseOptions {
        id: EditionId::new("e0001").expect("valid"),
        date: None,
        rules: Default::default(),
    };
    parse(REAL, "real.md", &opts).expect("imports").edition
}

/// Imports an edition (as the Markdown the model renders to) under `id`.
fn cut(store: &Store, edition: &Edition, id: &str) {
    let mut e = edition.clone();
    e.id = id.to_string();
    let mut source = Vec::new();
    markdown::render(&e, &mut source).expect("renders");
    let opts = ParseOptions {
        id: EditionId::new(id).expect("valid"),
        date: None,
        rules: Default::default(),
    };
    let parsed = parse(&source, "gen.md", &opts).expect("rendered Markdown imports");
    let req = ImportRequest {
        edition: parsed.edition,
        source: &source,
        source_file: format!("{id}.md"),
        derived: None,
        author: Person {
            name: "Test".into(),
            email: "test@example.org".into(),
        },
        time: crate::store::snapshot::Timestamp::from_unix(1_714_000_000).expect("a time"),
        date_from: DateFrom::Document,
        sign_key: None,
        overrides: Vec::new(),
    };
    match store.import(&req).expect("imports") {
        ImportOutcome::Imported { .. } => {}
        ImportOutcome::AlreadyPresent(_) | ImportOutcome::Completed(_) => {
            panic!("{id} was already there")
        }
    }
}

/// The traced item is Recommendation 3 of WG.2; the others change around it.
const TRACED: &str = "CTOC/COP/WG.2/2023/4#3";

#[test]
fn a_trace_over_a_thousand_editions_reads_one_meeting_file_per_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _) = Store::init_with(&dir.path().join("s.git"), THROWAWAY).expect("store");
    let mut e = real();
    let mut versions = 1;
    for n in 1..=1000usize {
        if n > 1 {
            let wg2 = e
                .parts
                .iter_mut()
                .flat_map(|p| p.meetings.iter_mut())
                .find(|m| m.key == "CTOC/COP/WG.2/2023/4")
                .expect("the meeting exists");
            if n % 97 == 0 {
                // A new version of the traced item.
                wg2.items[1].text = format!("{} Revised in edition {n}.", wg2.items[1].text);
                versions += 1;
            } else {
                // Its meeting changes without it: another item is reworded.
                wg2.items[3].text = format!("Recommendation five, wording {n}.");
            }
        }
        cut(&store, &e, &format!("e{n:04}"));
    }
    let t = trace::trace(&store, TRACED).expect("traces");
    assert_eq!(t.entries.len(), 1000);
    assert_eq!(t.meeting_reads, versions, "one read per distinct version");
    let modified = t
        .entries
        .iter()
        .filter(|e| e.status == crate::diff::ItemStatus::Modified)
        .count();
    assert_eq!(modified, versions - 1);
    assert_eq!(t.entries[0].status, crate::diff::ItemStatus::Added);
    assert!(t.entries[999].text.ends_with("Revised in edition 970."));
    // Read from the history index alone (16 files, each but the last kept
    // as it was when full), which says what the records say.
    assert_eq!(t.records_read, 0);
    assert_eq!(
        crate::store::index::check(&store).expect("checks"),
        crate::store::index::Standing::Agrees
    );
}

#[test]
fn a_renumbered_item_keeps_one_history_with_both_labels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _) = Store::init_with(&dir.path().join("s.git"), THROWAWAY).expect("store");
    let mut e = real();
    cut(&store, &e, "e1");
    for m in e.parts.iter_mut().flat_map(|p| p.meetings.iter_mut()) {
        if m.key == "CTOC/COP/WG.2/2023/4" {
            for it in &mut m.items {
                let n: u32 = it.label.as_deref().unwrap_or("0").parse().expect("numeric");
                it.label = Some((n + 1).to_string());
            }
        }
    }
    cut(&store, &e, "e2");
    let t = trace::trace(&store, TRACED).expect("traces");
    let labels: Vec<(&str, Option<&str>)> = t
        .entries
        .iter()
        .map(|e| (e.status.as_str(), e.label.as_deref()))
        .collect();
    assert_eq!(
        labels,
        vec![("added", Some("3")), ("renumbered", Some("4"))]
    );

    // SYMBOL#LABEL resolves in the newest edition; a name that is also a
    // permanent id of another item is ambiguous, and --id or --in picks.
    let r = resolve(&store, "CTOC/COP/WG.2/2023/4#8", None, false).expect("label 8 exists now");
    assert_eq!(r.id, "CTOC/COP/WG.2/2023/4#7");
    let e = resolve(&store, TRACED, None, false).expect_err("ambiguous");
    assert!(
        matches!(&e, crate::history::HistoryError::Ambiguous { other, .. } if other == "CTOC/COP/WG.2/2023/4#2"),
        "{e}"
    );
    let r = resolve(&store, TRACED, None, true).expect("an id");
    assert_eq!(r.id, TRACED);
    let r = resolve(
        &store,
        "CTOC/COP/WG.2/2023/4#3",
        Some(&crate::ids::EditionSpec::Latest(0)),
        false,
    )
    .expect("label 3 in the newest edition");
    assert_eq!(r.id, "CTOC/COP/WG.2/2023/4#2");

    let b = blame::blame(&store, &crate::ids::EditionSpec::Latest(0)).expect("blames");
    let line = b.lines.iter().find(|l| l.id == TRACED).expect("listed");
    assert_eq!(
        (line.introduced.as_str(), line.last_changed.as_str()),
        ("e1", "e2")
    );
    assert_eq!(line.last_change, crate::diff::ItemStatus::Renumbered);
    let untouched = b
        .lines
        .iter()
        .find(|l| l.id == "CTOC/COP/WG.4/2022/4#14")
        .expect("listed");
    assert_eq!(untouched.last_changed, "e1");
}

#[test]
fn a_removed_item_ends_its_trace_and_text_search_finds_items() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _) = Store::init_with(&dir.path().join("s.git"), THROWAWAY).expect("store");
    let mut e = real();
    cut(&store, &e, "e1");
    for m in e.parts.iter_mut().flat_map(|p| p.meetings.iter_mut()) {
        if m.key == "CTOC/COP/WG.2/2023/4" {
            m.items.remove(1);
        }
    }
    cut(&store, &e, "e2");
    let t = trace::trace(&store, TRACED).expect("traces");
    let statuses: Vec<&str> = t.entries.iter().map(|e| e.status.as_str()).collect();
    assert_eq!(statuses, vec!["added", "removed"]);
    // Found in the older edition, since the newest no longer has it.
    assert_eq!(
        find_text(&store, "MULTILINGUALISM   and").expect("found"),
        TRACED
    );
    assert!(matches!(
        find_text(&store, "States parties"),
        Err(HistoryError::AmbiguousText { .. })
    ));
    assert!(matches!(
        find_text(&store, "no such words anywhere"),
        Err(HistoryError::NoText { .. })
    ));
    assert!(matches!(
        trace::trace(&store, "CTOC/COP/WG.2/2023/4#99"),
        Err(HistoryError::UnknownItem { .. })
    ));
}

/// A store diff reads only the meeting files that differ, and reports
/// exactly what comparing the whole editions reports: over a reworded
/// item, a corrected symbol, an item moved between meetings, a change of
/// typography, a removed meeting and an added item, between consecutive
/// editions and across one.
#[test]
fn a_stored_diff_reads_only_the_changed_meetings_and_reports_what_the_whole_editions_do() {
    use crate::diff::{Pairing, Sides, compare};
    use crate::render::json;
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _) = Store::init_with(&dir.path().join("s.git"), THROWAWAY).expect("store");
    let e1 = real();
    cut(&store, &e1, "e0001");
    let mut e2 = e1.clone();
    {
        let a = &mut e2.parts[0].meetings;
        a[1].items[0].text.push_str(" Reworded.");
        let symbol = a[2].symbol.clone().expect("a symbol");
        a[2].symbol = Some(format!("{}9", symbol.trim_end_matches(char::is_numeric)));
        let b = &mut e2.parts[1].meetings;
        let moved = b[0].items.remove(0);
        b[1].items.push(moved);
        let typo = b
            .iter_mut()
            .flat_map(|m| m.items.iter_mut())
            .find(|i| i.text.contains('\''))
            .expect("an apostrophe");
        typo.text = typo.text.replace('\'', "\u{2019}");
    }
    cut(&store, &e2, "e0002");
    let mut e3 = e2.clone();
    e3.parts[0].meetings.remove(3);
    let mut added = e3.parts[1].meetings[2].items[0].clone();
    added.text = "An observation new in the third edition.".into();
    e3.parts[1].meetings[2].items.push(added);
    cut(&store, &e3, "e0003");

    let editions = store.editions().expect("editions");
    for (a, b) in [(0, 1), (1, 2), (0, 2)] {
        let (ia, ib) = (&editions[a], &editions[b]);
        let (old, new) = store.load_pair(ia, ib).expect("loads");
        let recorded = store.recorded_between(ia, ib).expect("pairings");
        let whole = compare(
            &old,
            &new,
            &Pairing::ByRecord(&recorded),
            Sides::named(&old, &new),
        )
        .report;
        let pair = store.load_for_diff(ia, ib).expect("loads");
        let sides = Sides {
            unchanged: pair.unchanged.clone(),
            ..Sides::named(&pair.old, &pair.new)
        };
        let part = compare(
            &pair.old,
            &pair.new,
            &Pairing::ByRecord(&pair.recorded),
            sides,
        )
        .report;
        let text = |r: &crate::diff::EditionDiff| {
            serde_json::to_string_pretty(&json::diff_view(r)).expect("serialises")
        };
        assert_eq!(text(&part), text(&whole), "{a} -> {b}");
        let s = &whole.summary;
        assert!(s.meetings_changed >= 1 && s.items_unchanged > 0, "{s:?}");
        if a == 0 {
            // Every kind of change made between the first two is there.
            assert_eq!(
                (s.meetings_symbol_corrected, s.items_modified, s.items_moved),
                (1, 1, 1),
                "{s:?}"
            );
            assert_eq!(s.items_typography, 1, "{s:?}");
        }
        // Every meeting file that differs is read on each side it is on,
        // and nothing else: the unchanged meetings' headings come from
        // edition.json.
        let changed = s.meetings_changed * 2 + s.meetings_added + s.meetings_removed;
        assert_eq!(pair.decoded, changed, "{a} -> {b}: {s:?}");
        assert_eq!(
            pair.unchanged.len() + s.meetings_changed + s.meetings_added,
            new.meetings().count()
        );
    }
}

/// An import after one whose index did not move (killed in between)
/// writes the whole index anew: entries of every bucket whole, not as the
/// heads alone tell them (here past the first 64 editions).
#[test]
fn an_import_over_an_index_that_is_behind_rewrites_it_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _) = Store::init_with(&dir.path().join("s.git"), THROWAWAY).expect("store");
    let mut e = real();
    for n in 1..=66usize {
        if n > 1 {
            let item = e.parts[0].meetings[1].items.first_mut().expect("an item");
            item.text = format!("States parties are urged to act, revision {n}.");
        }
        cut(&store, &e, &format!("e{n:04}"));
    }
    // The index as it stood before the newest edition: behind the branch.
    let repo = store.repo();
    let index = repo
        .find_reference(crate::store::index::INDEX_REF)
        .and_then(|r| r.peel_to_commit())
        .expect("an index");
    let before = index.parent(0).expect("the index before").id();
    repo.reference(crate::store::index::INDEX_REF, before, true, "behind")
        .expect("moves back");
    assert_eq!(
        crate::store::index::check(&store).expect("checks"),
        crate::store::index::Standing::Behind
    );
    let item = e.parts[0].meetings[1].items.first_mut().expect("an item");
    item.text = "States parties are urged to act, once more.".into();
    cut(&store, &e, "e0067");
    assert_eq!(
        crate::store::index::check(&store).expect("checks"),
        crate::store::index::Standing::Agrees
    );
    let (history, from_records) = crate::store::index::history(&store).expect("reads");
    assert_eq!((history.len(), from_records), (67, 0));
}
