//! The laws of the diff, over generated editions, and the matching rules
//! on small hand-made cases.

use std::collections::{BTreeSet, HashMap, HashSet};

use proptest::prelude::*;

use super::*;
use crate::model::{EditionDate, Item, ItemKind, Meeting, MeetingKind, Part};
use crate::testgen::edition;

fn file_opts() -> DiffOptions {
    DiffOptions::default()
}

fn stored_opts() -> DiffOptions {
    DiffOptions {
        matching: MatchOptions {
            trust_ids: true,
            ..MatchOptions::default()
        },
        ..DiffOptions::default()
    }
}

/// Ways to change an edition.
#[derive(Debug, Clone)]
enum Edit {
    Modify(usize, usize),
    Remove(usize, usize),
    Add(usize),
    Renumber(usize),
    Reverse(usize),
    Move(usize, usize, usize),
    /// An unlabelled item's text cut in two consecutive items.
    Split(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..8usize, 0..8usize).prop_map(|(m, i)| Edit::Modify(m, i)),
        (0..8usize, 0..8usize).prop_map(|(m, i)| Edit::Remove(m, i)),
        (0..8usize).prop_map(Edit::Add),
        (0..8usize).prop_map(Edit::Renumber),
        (0..8usize).prop_map(Edit::Reverse),
        (0..8usize, 0..8usize, 0..8usize).prop_map(|(m, i, to)| Edit::Move(m, i, to)),
        (0..8usize, 0..8usize).prop_map(|(m, i)| Edit::Split(m, i)),
    ]
}

fn meetings_mut(e: &mut Edition) -> Vec<&mut Meeting> {
    e.parts
        .iter_mut()
        .flat_map(|p| p.meetings.iter_mut())
        .collect()
}

/// Applies edits, keeping the edition valid (labels unique per meeting).
fn apply(e: &Edition, edits: &[Edit]) -> Edition {
    let mut e = e.clone();
    let mut fresh = 0;
    for ed in edits {
        let mut ms = meetings_mut(&mut e);
        let n = ms.len();
        if n == 0 {
            break;
        }
        match *ed {
            Edit::Modify(m, i) => {
                let m = &mut ms[m % n];
                if !m.items.is_empty() {
                    let k = i % m.items.len();
                    m.items[k].text.push_str(" Amended here.");
                }
            }
            Edit::Remove(m, i) => {
                let m = &mut ms[m % n];
                if !m.items.is_empty() {
                    let k = i % m.items.len();
                    m.items.remove(k);
                }
            }
            Edit::Add(m) => {
                let m = &mut ms[m % n];
                fresh += 1;
                let labelled = m.items.iter().any(|i| i.label.is_some());
                m.items.push(Item {
                    id: format!("{}#new{fresh}", m.key).into(),
                    kind: ItemKind::Observation,
                    label: labelled.then(|| format!("{}", 900 + fresh)),
                    text: format!("Entirely new wording number {fresh} about nothing before seen."),
                    subitems: Vec::new(),
                });
            }
            Edit::Renumber(m) => {
                let m = &mut ms[m % n];
                for it in &mut m.items {
                    if let Some(l) = &it.label {
                        it.label = Some(format!("{l}r"));
                    }
                }
            }
            Edit::Reverse(m) => ms[m % n].items.reverse(),
            Edit::Split(m, i) => {
                let m = &mut ms[m % n];
                if !m.items.is_empty() {
                    let k = i % m.items.len();
                    let it = &m.items[k];
                    let words: Vec<&str> = it.text.split_whitespace().collect();
                    if it.label.is_none() && it.subitems.is_empty() && words.len() >= 4 {
                        let cut = words.len() / 2;
                        let (a, b) = (words[..cut].join(" "), words[cut..].join(" "));
                        fresh += 1;
                        let mut second = it.clone();
                        second.id = format!("{}#split{fresh}", m.key).into();
                        second.text = b;
                        m.items[k].text = a;
                        m.items.insert(k + 1, second);
                    }
                }
            }
            Edit::Move(m, i, to) => {
                let (from, to) = (m % n, to % n);
                if from != to && !ms[from].items.is_empty() {
                    let k = i % ms[from].items.len();
                    let mut it = ms[from].items.remove(k);
                    // Labels are unique per meeting: a moved item takes a fresh one.
                    if it.label.is_some() {
                        fresh += 1;
                        it.label = Some(format!("m{fresh}"));
                    }
                    ms[to].items.push(it);
                }
            }
        }
    }
    e
}

fn statuses(d: &EditionDiff) -> Vec<(String, ItemStatus)> {
    let mut v: Vec<(String, ItemStatus)> = d
        .meetings
        .iter()
        .flat_map(|m| m.items.iter().map(|i| (i.id.clone(), i.status)))
        .collect();
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        // Failures are kept beside this file, not in a top-level folder.
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("regressions"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn an_edition_does_not_differ_from_itself(e in edition()) {
        for opts in [file_opts(), stored_opts()] {
            let d = diff(&e, &e, &opts).report;
            prop_assert!(d.summary.is_empty(), "{:?}", d.summary);
            prop_assert_eq!(d.summary.items_unchanged, e.counts().items());
            prop_assert!(d.meetings.iter().all(|m| m.status == MeetingStatus::Unchanged));
        }
    }

    #[test]
    fn diffs_in_both_directions_mirror_each_other(
        a in edition(),
        edits in prop::collection::vec(edit(), 0..6),
    ) {
        let b = apply(&a, &edits);
        let ab = diff(&a, &b, &file_opts()).report.summary;
        let ba = diff(&b, &a, &file_opts()).report.summary;
        prop_assert_eq!(ab.items_added, ba.items_removed);
        prop_assert_eq!(ab.items_removed, ba.items_added);
        prop_assert_eq!(ab.items_modified, ba.items_modified);
        prop_assert_eq!(ab.items_renumbered, ba.items_renumbered);
        prop_assert_eq!(ab.items_moved, ba.items_moved);
        prop_assert_eq!(ab.items_unchanged, ba.items_unchanged);
        // Splits mirror merges.
        prop_assert_eq!(ab.items_split, ba.items_merged);
        prop_assert_eq!(ab.items_merged, ba.items_split);
        prop_assert_eq!(ab.meetings_added, ba.meetings_removed);
        prop_assert_eq!(ab.meetings_changed, ba.meetings_changed);
        // Every item of each side is accounted for exactly once.
        let paired = ab.items_modified + ab.items_renumbered + ab.items_moved + ab.items_unchanged;
        prop_assert_eq!(paired + ab.items_removed + ab.items_merged, a.counts().items());
        prop_assert_eq!(paired + ab.items_added + ab.items_split, b.counts().items());
    }

    #[test]
    fn shuffling_meetings_within_a_year_changes_no_status(
        a in edition(),
        edits in prop::collection::vec(edit(), 0..4),
        seed in any::<u64>(),
    ) {
        let b = apply(&a, &edits);
        let mut shuffled = b.clone();
        let mut rng = fastrand::Rng::with_seed(seed);
        for part in &mut shuffled.parts {
            // Shuffle each run of meetings of one year.
            let mut start = 0;
            while start < part.meetings.len() {
                let year = part.meetings[start].year;
                let end = start + part.meetings[start..].iter().take_while(|m| m.year == year).count();
                rng.shuffle(&mut part.meetings[start..end]);
                start = end;
            }
        }
        let plain = diff(&a, &b, &file_opts()).report;
        let moved = diff(&a, &shuffled, &file_opts()).report;
        prop_assert_eq!(statuses(&plain), statuses(&moved));
        prop_assert_eq!(plain.summary, moved.summary);
    }

    #[test]
    fn carried_ids_are_unique_and_follow_the_pairs(
        a in edition(),
        edits in prop::collection::vec(edit(), 0..6),
    ) {
        let b = apply(&a, &edits);
        let d = diff(&a, &b, &file_opts());
        let ids: Vec<&str> = d.edition.meetings().flat_map(|m| m.items.iter().map(|i| i.id.as_str())).collect();
        let unique: HashSet<&str> = ids.iter().copied().collect();
        prop_assert_eq!(unique.len(), ids.len(), "ids repeat: {:?}", ids);
        // An added item never takes the id of an item of the old edition.
        let old_ids: HashSet<&str> = a.meetings().flat_map(|m| m.items.iter().map(|i| i.id.as_str())).collect();
        for m in &d.report.meetings {
            for i in &m.items {
                match i.status {
                    ItemStatus::Added | ItemStatus::Split => prop_assert!(!old_ids.contains(i.id.as_str()), "{} reused", i.id),
                    _ => prop_assert!(old_ids.contains(i.id.as_str()), "{} is not an old id", i.id),
                }
            }
        }
        // Diffing the carried edition as stored (with the splits and merges
        // its pairing record would hold) gives the same statuses.
        let pairings = crate::store::snapshot::pairings(&d.report);
        let recorded = crate::store::snapshot::recorded_across(&[(Rules::CURRENT, &pairings)]);
        let stored = compare(&a, &d.edition, &Pairing::ByRecord(&recorded), Sides::default()).report;
        prop_assert_eq!(statuses(&stored), statuses(&d.report));
    }
}

// ---- hand-made cases -------------------------------------------------------

fn item(label: Option<&str>, text: &str) -> Item {
    Item {
        id: Default::default(),
        kind: if label.is_some() {
            ItemKind::Recommendation
        } else {
            ItemKind::Observation
        },
        label: label.map(str::to_string),
        text: text.to_string(),
        subitems: Vec::new(),
    }
}

/// One edition with one meeting per (key, items); ids minted as the
/// importer would.
fn ed(meetings: Vec<(&str, Vec<Item>)>) -> Edition {
    let meetings = meetings
        .into_iter()
        .map(|(key, mut items)| {
            let mut n = 0;
            for it in &mut items {
                if it.label.is_none() {
                    n += 1;
                }
                it.id = crate::ids::mint_item_id(key, it.label.as_deref(), n).into();
            }
            Meeting {
                key: key.into(),
                part: "A".into(),
                year: 2023,
                body: format!("Body of {key}"),
                kind: MeetingKind::WorkingGroup,
                symbol: Some(key.to_string()),
                source: None,
                link: None,
                items,
            }
        })
        .collect();
    Edition {
        id: "e".into(),
        title: "T".into(),
        place: None,
        date: EditionDate::month(2024, 4).expect("valid"),
        masthead: vec![],
        front_matter: vec![],
        parts: vec![Part {
            key: "A".into(),
            title: "Recommendations".into(),
            meetings,
        }],
        contact: None,
    }
}

fn only_items(d: &EditionDiff) -> Vec<(ItemStatus, Option<String>, Option<String>, Reason)> {
    d.meetings
        .iter()
        .flat_map(|m| &m.items)
        .map(|i| (i.status, i.old_label.clone(), i.new_label.clone(), i.reason))
        .collect()
}

#[test]
fn a_renumbering_chain_is_renumbered_not_added_and_removed() {
    let a = ed(vec![(
        "K",
        vec![
            item(Some("14"), "Alpha text."),
            item(Some("15"), "Beta text."),
        ],
    )]);
    let b = ed(vec![(
        "K",
        vec![
            item(Some("15"), "Alpha text."),
            item(Some("16"), "Beta text."),
        ],
    )]);
    let d = diff(&a, &b, &file_opts());
    let s = &d.report.summary;
    assert_eq!(
        (s.items_renumbered, s.items_added, s.items_removed),
        (2, 0, 0)
    );
    // Ids stay with the items, not with the labels.
    let ids: Vec<(&str, Option<&str>)> = d
        .edition
        .meetings()
        .flat_map(|m| m.items.iter().map(|i| (i.id.as_str(), i.label.as_deref())))
        .collect();
    assert_eq!(ids, vec![("K#14", Some("15")), ("K#15", Some("16"))]);
}

#[test]
fn similar_recommendations_under_different_labels_are_not_paired() {
    let text = "States parties are encouraged to nominate focal points for the Mechanism.";
    let a = ed(vec![("K", vec![item(Some("5"), text)])]);
    let b = ed(vec![(
        "K",
        vec![item(Some("7"), &text.replace("nominate", "designate"))],
    )]);
    let d = diff(&a, &b, &file_opts()).report;
    assert_eq!(
        only_items(&d).iter().map(|x| x.0).collect::<Vec<_>>(),
        vec![ItemStatus::Added, ItemStatus::Removed]
    );
}

#[test]
fn an_unlabelled_rewording_is_modified_with_its_score() {
    let a = ed(vec![(
        "K",
        vec![
            item(None, "States should act on data protection now."),
            item(None, "Another thing entirely."),
        ],
    )]);
    let b = ed(vec![(
        "K",
        vec![
            item(None, "States should act on data protection today."),
            item(None, "Another thing entirely."),
        ],
    )]);
    let d = diff(&a, &b, &file_opts()).report;
    let items = &d.meetings[0].items;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].status, ItemStatus::Modified);
    assert_eq!(items[0].reason, Reason::SimilarText);
    let s = items[0].similarity().expect("scored");
    assert!((SIMILARITY_THRESHOLD..1.0).contains(&s), "{s}");
}

#[test]
fn an_unrelated_replacement_is_added_and_removed() {
    let a = ed(vec![(
        "K",
        vec![item(None, "States should act on data protection now.")],
    )]);
    let b = ed(vec![(
        "K",
        vec![item(
            None,
            "The secretariat will publish a handbook on mutual legal assistance.",
        )],
    )]);
    let d = diff(&a, &b, &file_opts()).report;
    assert_eq!(
        only_items(&d).iter().map(|x| x.0).collect::<Vec<_>>(),
        vec![ItemStatus::Added, ItemStatus::Removed]
    );
}

#[test]
fn reflow_and_spacing_are_no_change() {
    let a = ed(vec![(
        "K",
        vec![item(Some("1"), "States should  act\non it now.")],
    )]);
    let b = ed(vec![(
        "K",
        vec![item(Some("1"), "States should act on it now.  ")],
    )]);
    assert!(diff(&a, &b, &file_opts()).report.summary.is_empty());
}

#[test]
fn an_item_moved_to_another_meeting_keeps_its_id() {
    let a = ed(vec![
        ("K", vec![item(Some("1"), "One."), item(Some("2"), "Two.")]),
        ("L", vec![item(Some("1"), "Other.")]),
    ]);
    let b = ed(vec![
        ("K", vec![item(Some("1"), "One.")]),
        (
            "L",
            vec![item(Some("1"), "Other."), item(Some("2"), "Two.")],
        ),
    ]);
    let d = diff(&a, &b, &file_opts());
    let moved: Vec<&ItemDiff> = d.report.meetings.iter().flat_map(|m| &m.items).collect();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].status, ItemStatus::Moved);
    assert_eq!(moved[0].reason, Reason::SameTextOtherMeeting);
    assert_eq!(moved[0].from_meeting(), Some("K"));
    assert_eq!(moved[0].id, "K#2");
    assert!(d.edition.item("K#2").is_some_and(|(m, _)| m.key == "L"));
}

#[test]
fn removed_ids_are_never_given_again() {
    let e1 = ed(vec![(
        "K",
        vec![
            item(None, "First observation."),
            item(None, "Second observation."),
            item(None, "Third observation."),
        ],
    )]);
    let e2 = ed(vec![(
        "K",
        vec![
            item(None, "First observation."),
            item(None, "Second observation."),
        ],
    )]);
    let d2 = diff(&e1, &e2, &file_opts());
    assert_eq!(d2.retired, BTreeSet::from(["K#o3".to_string()]));
    let e3 = ed(vec![(
        "K",
        vec![
            item(None, "First observation."),
            item(None, "Second observation."),
            item(None, "A brand new and different one."),
        ],
    )]);
    let opts = DiffOptions {
        retired: d2.retired.clone(),
        ..file_opts()
    };
    let d3 = diff(&d2.edition, &e3, &opts);
    let ids: Vec<&str> = d3
        .edition
        .meetings()
        .flat_map(|m| m.items.iter().map(|i| i.id.as_str()))
        .collect();
    assert_eq!(ids, vec!["K#o1", "K#o2", "K#o4"]);
}

#[test]
fn a_corrected_symbol_keeps_the_meeting_and_its_items() {
    let a = ed(vec![(
        "CTOC/COP/WG.7/2023/5",
        vec![item(Some("15"), "Fifteen.")],
    )]);
    let mut b = ed(vec![(
        "CTOC/COP/WG.7/2023/6",
        vec![item(Some("15"), "Fifteen.")],
    )]);
    b.parts[0].meetings[0].body = a.parts[0].meetings[0].body.clone();
    let d = diff(&a, &b, &file_opts());
    let m = &d.report.meetings[0];
    assert_eq!(m.status, MeetingStatus::SymbolCorrected);
    assert_eq!(m.old_symbol.as_deref(), Some("CTOC/COP/WG.7/2023/5"));
    assert!(m.items.is_empty());
    assert_eq!(d.report.summary.meetings_changed, 1);
    assert_eq!(
        d.edition.parts[0].meetings[0].items[0].id,
        "CTOC/COP/WG.7/2023/5#15"
    );
}

#[test]
fn the_first_edition_adds_everything() {
    let e = ed(vec![(
        "K",
        vec![item(Some("1"), "One."), item(None, "An observation.")],
    )]);
    let d = diff(&empty_like(&e), &e, &file_opts()).report;
    let a = d.added();
    assert_eq!((a.meetings, a.recommendations, a.observations), (1, 1, 1));
    assert_eq!(
        a.sentence(),
        "1 meeting, 1 recommendation and 1 observation"
    );
}

/// Regression: three identical observations with the middle one reworded
/// counted a move in one direction and none in the other.
#[test]
fn identical_texts_reworded_in_the_middle_mirror() {
    let x = "Text States States.";
    let a = ed(vec![(
        "K",
        vec![item(None, x), item(None, x), item(None, x)],
    )]);
    let b = ed(vec![(
        "K",
        vec![
            item(None, x),
            item(None, &format!("{x} Amended here.")),
            item(None, x),
        ],
    )]);
    let ab = diff(&a, &b, &file_opts()).report.summary;
    let ba = diff(&b, &a, &file_opts()).report.summary;
    assert_eq!((ab.items_moved, ab.items_modified), (0, 1));
    assert_eq!((ba.items_moved, ba.items_modified), (0, 1));
}

#[test]
fn overrides_force_and_forbid_pairs() {
    use matching::ForcedPair;
    let a = ed(vec![(
        "K",
        vec![
            item(None, "Alpha observation about data."),
            item(None, "Beta observation on training."),
        ],
    )]);
    let b = ed(vec![(
        "K",
        vec![
            item(None, "Alpha observation about data."),
            item(None, "A wholly new sentence."),
        ],
    )]);
    let at = |m, i| matching::ItemRef {
        meeting: m,
        item: i,
    };
    // Left alone: the first pair is unchanged, the rest added and removed.
    let plain = diff(&a, &b, &file_opts()).report.summary;
    assert_eq!(
        (
            plain.items_unchanged,
            plain.items_added,
            plain.items_removed
        ),
        (1, 1, 1)
    );
    // "This new item is that old one."
    let mut opts = file_opts();
    opts.matching.forced = vec![ForcedPair {
        old: at(0, 1),
        new: at(0, 1),
    }];
    let d = diff(&a, &b, &opts).report;
    let it = &d.meetings[0].items[0];
    assert_eq!(
        (it.status, it.reason),
        (ItemStatus::Modified, Reason::Override)
    );
    // "These two are unrelated."
    let mut opts = file_opts();
    opts.matching.apart = vec![ForcedPair {
        old: at(0, 0),
        new: at(0, 0),
    }];
    let s = diff(&a, &b, &opts).report.summary;
    assert_eq!(
        (s.items_unchanged, s.items_added, s.items_removed),
        (0, 2, 2)
    );
}

/// Matching 20,000 items is not quadratic: in one meeting of 20,000
/// unlabelled observations, a fifth of them reworded (the worst layout:
/// every reworded one needs a similarity search), the matcher computes at
/// most `similarity_bound` similarities (83,890 here, under a bound of 9.32
/// million, against
/// 16 million for all pairs of the 4,000 reworded items and 400 million
/// for all pairs of items), and still pairs every rewording.
#[test]
fn matching_twenty_thousand_items_is_not_quadratic() {
    const N: usize = 20_000;
    let word = |k: usize| format!("w{k}");
    let text = |k: usize| {
        (0..8)
            .map(|w| word(k * 8 + w))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let old = ed(vec![("K", (0..N).map(|k| item(None, &text(k))).collect())]);
    let new = ed(vec![(
        "K",
        (0..N)
            .map(|k| match k % 5 {
                // One word of eight replaced: similarity 0.875.
                0 => item(None, &text(k).replacen(&word(k * 8 + 3), "changed", 1)),
                _ => item(None, &text(k)),
            })
            .collect(),
    )]);
    let d = diff(&old, &new, &file_opts());
    let computed = d.matching.similarity_computations;
    let bound = matching::similarity_bound(1, N);
    eprintln!("{computed} similarity computations, bound {bound}");
    assert!(computed <= bound, "{computed} > {bound}");
    assert!(computed < (N / 5) * (N / 5), "{computed} is quadratic");
    assert_eq!(
        d.report.summary.items_modified,
        N / 5,
        "every rewording paired"
    );
    assert_eq!(
        d.report.summary.items_added + d.report.summary.items_removed,
        0
    );
}

/// The real edition, and one derived from it by `edit` on the text.
fn real_pair(edit: impl Fn(&str) -> String) -> (Edition, Edition) {
    let src = include_str!("../../editions/2024-04.md");
    let opts = |id: &str| crate::parse::ParseOptions {
        id: crate::ids::EditionId::new(id).expect("valid"),
        date: None,
        rules: Default::default(),
    };
    let old = crate::parse::parse(src.as_bytes(), "a.md", &opts("a"))
        .expect("imports")
        .edition;
    let new = crate::parse::parse(edit(src).as_bytes(), "b.md", &opts("b"))
        .expect("imports")
        .edition;
    (old, new)
}

fn replace_once(s: &str, a: &str, b: &str) -> String {
    assert_eq!(s.matches(a).count(), 1, "{a}");
    s.replacen(a, b, 1)
}

/// Recommendation 4 of CTOC/COP/WG.2/2023/4 withdrawn, 5 renumbered 4 and
/// reworded. 4 and 5 share a formula ("Parties should consider providing
/// extrabudgetary resources to UNODC …"): the reworded 5 must pair with
/// the old 5, not with the old 4 that now has its label.
fn withdrawn_then_reworded(src: &str) -> String {
    let start = src
        .find("### *Recommendation 4*")
        .expect("Recommendation 4");
    let end = src
        .find("### *Recommendation 5*")
        .expect("Recommendation 5");
    let mut s = format!("{}{}", &src[..start], &src[end..]);
    s = replace_once(&s, "### *Recommendation 5*", "### *Recommendation 4*");
    s = replace_once(&s, "#### *Recommendation 6*", "#### *Recommendation 5*");
    s = replace_once(&s, "#### *Recommendation 7*", "#### *Recommendation 6*");
    replace_once(&s, "to respond to requests", "to reply to requests")
}

fn listed(d: &EditionDiff) -> Vec<(String, ItemStatus, Reason)> {
    d.changed_meetings()
        .flat_map(|m| &m.items)
        .map(|i| (i.id.clone(), i.status, i.reason))
        .collect()
}

#[test]
fn a_renumbered_and_reworded_recommendation_keeps_its_id_despite_a_formula() {
    let (old, new) = real_pair(withdrawn_then_reworded);
    let d = diff(&old, &new, &file_opts()).report;
    let id = |n: u32| format!("CTOC/COP/WG.2/2023/4#{n}");
    assert_eq!(
        listed(&d),
        [
            (id(4), ItemStatus::Removed, Reason::NoCounterpart),
            (id(5), ItemStatus::Modified, Reason::SimilarTextOtherLabel),
            (id(6), ItemStatus::Renumbered, Reason::SameTextOtherLabel),
            (id(7), ItemStatus::Renumbered, Reason::SameTextOtherLabel),
        ]
    );
    // The two formulaic recommendations are far below either threshold.
    let text = |e: &Edition, id: &str| {
        e.item(id)
            .map(|(_, i)| crate::text::item_text(i))
            .expect("present")
    };
    let formula = crate::text::similarity(&text(&old, &id(4)), &text(&old, &id(5)));
    assert!(formula < matching::SHIFTED_SIMILARITY - 0.1, "{formula}");
}

#[test]
fn rules_1_still_pair_a_renumbered_and_reworded_item_as_they_did() {
    // verify re-imports editions cut under rules 1 with rules 1.
    let (old, new) = real_pair(withdrawn_then_reworded);
    let opts = DiffOptions {
        matching: MatchOptions {
            rules: crate::rules::Rules::V1,
            ..MatchOptions::default()
        },
        ..DiffOptions::default()
    };
    let d = diff(&old, &new, &opts).report;
    let id = |n: u32| format!("CTOC/COP/WG.2/2023/4#{n}");
    // What rules 1 said: the formulaic old 4 "modified" into the text of
    // 5, and 5 removed.
    assert_eq!(
        listed(&d),
        [
            (id(4), ItemStatus::Modified, Reason::SameLabel),
            (id(5), ItemStatus::Removed, Reason::NoCounterpart),
            (id(6), ItemStatus::Renumbered, Reason::SameTextOtherLabel),
            (id(7), ItemStatus::Renumbered, Reason::SameTextOtherLabel),
        ]
    );
}

#[test]
fn a_stored_diff_tells_the_same_story_as_the_import() {
    // Ids carried at import, then compared by id with the reason the
    // store recorded, as `livedoc diff OLD NEW` on stored editions does.
    let (old, new) = real_pair(withdrawn_then_reworded);
    let imported = diff(&old, &new, &file_opts());
    let recorded: HashMap<String, matching::Via> = imported
        .report
        .changed_meetings()
        .flat_map(|m| &m.items)
        .filter(|i| i.reason == Reason::SimilarTextOtherLabel)
        .map(|i| (i.id.clone(), matching::Via::SimilarOtherLabel))
        .collect();
    let opts = DiffOptions {
        matching: MatchOptions {
            trust_ids: true,
            recorded,
            ..MatchOptions::default()
        },
        ..DiffOptions::default()
    };
    let stored = diff(&old, &imported.edition, &opts).report;
    assert_eq!(listed(&stored), listed(&imported.report));
}

#[test]
fn the_last_recommendation_renumbered_into_a_withdrawn_ones_label_keeps_its_id() {
    // Recommendation 15 of CTOC/COP/WG.7/2023/5 withdrawn; 16, its last,
    // becomes 15 with one word changed. No neighbour is left to move with
    // it: the label it takes, given up by the withdrawn item, is the
    // evidence of the shift.
    let (old, new) = real_pair(|src| {
        let start = src.find("### *Recommendation 15*").expect("15");
        let end = src.find("### *Recommendation 16*").expect("16");
        let s = format!("{}{}", &src[..start], &src[end..]);
        let s = replace_once(&s, "### *Recommendation 16*", "### *Recommendation 15*");
        replace_once(
            &s,
            "The secretariat should continue its outreach",
            "The secretariat should pursue its outreach",
        )
    });
    let d = diff(&old, &new, &file_opts()).report;
    let id = |n: u32| format!("CTOC/COP/WG.7/2023/5#{n}");
    assert_eq!(
        listed(&d),
        [
            (id(15), ItemStatus::Removed, Reason::NoCounterpart),
            (id(16), ItemStatus::Modified, Reason::SimilarTextOtherLabel),
        ]
    );
}

#[test]
fn an_observation_moved_and_lightly_reworded_is_moved_under_rules_2_only() {
    let obs = "States should strengthen capacity-building in international cooperation";
    let (old, new) = real_pair(|src| {
        let start = src.find(obs).expect("the observation");
        let end = start + src[start..].find("\n\n").expect("its end");
        let para = &src[start..end];
        let mut s = format!("{}{}", &src[..start], &src[end + 2..]);
        let moved = para.replacen("should strengthen", "should further strengthen", 1);
        let at = s
            .find("### **Constructive Dialogue on International Cooperation**")
            .expect("the next dialogue");
        s.insert_str(at, &format!("{moved}\n\n"));
        s
    });
    let ic = "B/2023/constructive-dialogue-on-international-cooperation#o2";
    let d = diff(&old, &new, &file_opts()).report;
    assert_eq!(
        listed(&d),
        [(
            ic.to_string(),
            ItemStatus::Moved,
            Reason::SimilarTextOtherMeeting
        )]
    );
    let rules_1 = DiffOptions {
        matching: MatchOptions {
            rules: crate::rules::Rules::V1,
            ..MatchOptions::default()
        },
        ..DiffOptions::default()
    };
    let statuses: Vec<ItemStatus> = listed(&diff(&old, &new, &rules_1).report)
        .into_iter()
        .map(|(_, s, _)| s)
        .collect();
    assert_eq!(statuses, [ItemStatus::Added, ItemStatus::Removed]);
}

#[test]
fn typography_is_not_wording_under_rules_2_and_was_under_rules_1() {
    let (old, new) = real_pair(|src| replace_once(src, "“RevMod”", "\"RevMod\""));
    let id = "CTOC/COP/WG.2/2023/4#4".to_string();
    let d = diff(&old, &new, &file_opts()).report;
    assert_eq!(
        listed(&d),
        [(id.clone(), ItemStatus::Typography, Reason::SameLabelAndText)]
    );
    assert_eq!(
        (d.summary.items_typography, d.summary.items_modified),
        (1, 0)
    );
    let rules_1 = DiffOptions {
        matching: MatchOptions {
            rules: crate::rules::Rules::V1,
            ..MatchOptions::default()
        },
        ..DiffOptions::default()
    };
    assert_eq!(
        listed(&diff(&old, &new, &rules_1).report),
        [(id, ItemStatus::Modified, Reason::SameLabel)]
    );
}

#[test]
fn a_meeting_replaced_under_a_new_symbol_is_not_a_corrected_symbol_under_rules_2() {
    let (old, new) = real_pair(|src| {
        let s = replace_once(src, "CTOC/COP/WG.7/2023/5", "CTOC/COP/WG.7/2023/6");
        // Both recommendations replaced whole: nothing in common.
        let whole = |s: &str, start: &str, by: &str| {
            let at = s.find(start).expect("the paragraph");
            let end = at + s[at..].find('\n').expect("its end");
            format!("{}{by}{}", &s[..at], &s[end..])
        };
        let s = whole(
            &s,
            "States parties are encouraged to nominate focal points and ensure their responsiveness",
            "Synthetic test recommendation: States parties may wish to report their detections at sea.",
        );
        whole(
            &s,
            "The secretariat should continue its outreach to States",
            "Synthetic test recommendation: the secretariat is requested to compile the practices of States.",
        )
    });
    let status_of = |d: &EditionDiff, key: &str| d.meeting(key).map(|m| m.status);
    let d = diff(&old, &new, &file_opts()).report;
    assert_eq!(
        status_of(&d, "CTOC/COP/WG.7/2023/6"),
        Some(MeetingStatus::Added)
    );
    assert_eq!(
        status_of(&d, "CTOC/COP/WG.7/2023/5"),
        Some(MeetingStatus::Removed)
    );
    let rules_1 = DiffOptions {
        matching: MatchOptions {
            rules: crate::rules::Rules::V1,
            ..MatchOptions::default()
        },
        ..DiffOptions::default()
    };
    let d1 = diff(&old, &new, &rules_1).report;
    assert_eq!(
        status_of(&d1, "CTOC/COP/WG.7/2023/6"),
        Some(MeetingStatus::SymbolCorrected)
    );
}

/// The data [`SPLIT_CONTAINMENT`] was chosen on: no observation of a real
/// meeting stands in another of the same meeting more than 0.56 (the
/// worst: an observation on access to justice, in the list of the one
/// before it, both on child victims of trafficking). A part split off
/// another stands in it wholly (1.0), or nearly when it was also edited.
#[test]
fn distinct_observations_of_a_real_meeting_are_far_less_contained_than_a_split_part() {
    let (e, _) = real_pair(|s| s.to_string());
    let mut worst = 0.0f64;
    for m in e.meetings() {
        let texts: Vec<String> = m
            .items
            .iter()
            .filter(|i| i.label.is_none())
            .map(crate::text::item_text)
            .collect();
        for (a, x) in texts.iter().enumerate() {
            for (b, y) in texts.iter().enumerate() {
                if a != b {
                    worst = worst.max(crate::text::containment(x, y));
                }
            }
        }
    }
    assert!(
        (0.55..0.56).contains(&worst),
        "the measured figure moved: {worst:.3}"
    );
    assert!(worst + 0.2 < matching::SPLIT_CONTAINMENT);
}

/// One observation cut in two: the longer part keeps the id, the first
/// sentence is split off it (rules 1 to 2 paired the old observation with
/// one part and called the other added). Diffed the other way, the same
/// edit is a merge.
#[test]
fn an_observation_split_in_two_is_a_split_and_the_reverse_a_merge() {
    let cut = "against transnational organized crime. In doing so, States should consider";
    let (old, new) =
        real_pair(|s| replace_once(s, cut, &cut.replace(" In doing so", "\n\nIn doing so")));
    let d = diff(&old, &new, &file_opts());
    let items: Vec<&ItemDiff> = d.report.meetings.iter().flat_map(|m| &m.items).collect();
    assert_eq!(items.len(), 2, "{items:#?}");
    let key = "B/2023/constructive-dialogue-on-international-cooperation";
    let split = items
        .iter()
        .find(|i| i.status == ItemStatus::Split)
        .expect("a split");
    assert_eq!(split.split_from(), Some(format!("{key}#o4").as_str()));
    assert_eq!(split.reason, Reason::SplitFrom);
    assert!(
        split
            .new_text
            .as_deref()
            .is_some_and(|t| t.starts_with("States should recognize"))
    );
    let kept = items
        .iter()
        .find(|i| i.status == ItemStatus::Modified)
        .expect("the kept part");
    assert_eq!(
        kept.id,
        format!("{key}#o4"),
        "the part with most of the text keeps the id"
    );
    assert!(
        kept.new_text
            .as_deref()
            .is_some_and(|t| t.starts_with("In doing so"))
    );
    assert_eq!(
        (d.report.summary.items_split, d.report.summary.items_added),
        (1, 0)
    );

    let back = diff(&d.edition, &old, &file_opts()).report;
    let merged: Vec<&ItemDiff> = back.meetings.iter().flat_map(|m| &m.items).collect();
    let m = merged
        .iter()
        .find(|i| i.status == ItemStatus::Merged)
        .expect("a merge");
    assert_eq!(m.id, split.id);
    assert_eq!(m.merged_into(), Some(format!("{key}#o4").as_str()));
    assert_eq!(
        (back.summary.items_merged, back.summary.items_removed),
        (1, 0)
    );
    assert_eq!(back.summary.items_modified, 1);

    // Under rules 2 the same edit was one item modified and one added.
    let mut v2 = file_opts();
    v2.matching.rules = crate::rules::Rules::V2;
    let old_story = diff(&old, &new, &v2).report.summary;
    assert_eq!((old_story.items_split, old_story.items_added), (0, 1));
}

/// An observation reworded next to a new one that repeats its formula is
/// not a split: the new one is not contained in the old text.
#[test]
fn a_new_observation_beside_a_reworded_one_is_added_not_split() {
    let old_text = "States should enhance collaboration with non-governmental stakeholders";
    let (old, new) = real_pair(|s| {
        replace_once(
            s,
            old_text,
            "States should strengthen collaboration with non-governmental stakeholders",
        )
        .replacen(
            "\n\nStates should consider cooperating with non-governmental organizations, academia, and the private sector to collect and analyze data on organized crime, identifying",
            "\n\nStates should enhance their collaboration with academia on data.\n\nStates should consider cooperating with non-governmental organizations, academia, and the private sector to collect and analyze data on organized crime, identifying",
            1,
        )
    });
    let d = diff(&old, &new, &file_opts()).report;
    assert_eq!(d.summary.items_split, 0, "{:#?}", d.meetings);
    assert_eq!((d.summary.items_added, d.summary.items_modified), (1, 1));
}

/// Part B's year marker corrected and a dialogue renamed in the same
/// edition: every meeting pairs by its items and keeps its key, so every
/// item keeps its id; the reasons name the old values. Rules 2 saw the
/// renamed or re-dated meetings as removed and added.
#[test]
fn a_corrected_year_and_a_renamed_body_keep_the_meeting_and_its_key() {
    let (old, new) = real_pair(|s| {
        let at = s.find("# B. Observations").expect("Part B");
        let (a, b) = s.split_at(at);
        let b = replace_once(b, "\n2023\n", "\n2022\n");
        let b = replace_once(
            &b,
            "Constructive Dialogue on Trafficking in Persons**",
            "Constructive Dialogue on Trafficking in Persons, especially Women and Children**",
        );
        format!("{a}{b}")
    });
    let d = diff(&old, &new, &file_opts());
    let s = &d.report.summary;
    assert_eq!(
        (s.meetings_added, s.meetings_removed, s.meetings_changed),
        (0, 0, 4)
    );
    assert_eq!((s.items_added, s.items_removed, s.items_moved), (0, 0, 0));
    let old_keys: Vec<&str> = old.meetings().map(|m| m.key.as_str()).collect();
    let new_keys: Vec<&str> = d.edition.meetings().map(|m| m.key.as_str()).collect();
    assert_eq!(old_keys, new_keys, "every key kept");
    let ids = |e: &Edition| -> Vec<String> {
        e.meetings()
            .flat_map(|m| m.items.iter().map(|i| i.id.to_string()))
            .collect()
    };
    assert_eq!(ids(&old), ids(&d.edition), "every id kept");
    let tip = d
        .report
        .meeting("B/2023/constructive-dialogue-on-trafficking-in-persons")
        .expect("the renamed dialogue, under its old key");
    assert_eq!(tip.year, 2022);
    assert_eq!(
        tip.heading_changes,
        vec![
            HeadingChange::Body {
                old: "Constructive Dialogue on Trafficking in Persons".into()
            },
            HeadingChange::Year { old: 2023 },
        ]
    );
    assert_eq!(tip.reason, Some(MeetingReason::SameKey));

    // The store diffs the carried edition by key, and tells the same story.
    let stored = diff(&old, &d.edition, &stored_opts()).report;
    assert_eq!(stored.summary, d.report.summary);

    let mut v2 = file_opts();
    v2.matching.rules = crate::rules::Rules::V2;
    let before = diff(&old, &new, &v2).report.summary;
    assert_eq!((before.meetings_added, before.meetings_removed), (4, 4));
}

/// Editions cut before rules 3 hold different keys for a re-dated
/// meeting; a stored diff of them still pairs it by its items, and says so.
#[test]
fn a_stored_diff_pairs_meetings_whose_keys_differ_by_their_items() {
    let (old, new) = real_pair(|s| {
        let at = s.find("# B. Observations").expect("Part B");
        let (a, b) = s.split_at(at);
        format!("{a}{}", replace_once(b, "\n2023\n", "\n2022\n"))
    });
    let d = diff(&old, &new, &stored_opts()).report;
    assert_eq!(
        (d.summary.meetings_added, d.summary.meetings_changed),
        (0, 4)
    );
    let m = d
        .meeting("B/2022/constructive-dialogue-on-technical-assistance")
        .expect("under its new key");
    assert_eq!(m.reason, Some(MeetingReason::SameItems));
    assert_eq!(
        m.old_key.as_deref(),
        Some("B/2023/constructive-dialogue-on-technical-assistance")
    );
}

/// Keeps each edit inside the meetings of index `parity` modulo 2 out of
/// `n`, so that the steps of a chain change disjoint meetings (both parts
/// each: Part A's are labelled, Part B's are not).
fn confine(edits: &[Edit], parity: usize, n: usize) -> Vec<Edit> {
    let slots = n.saturating_sub(parity).div_ceil(2);
    if slots == 0 {
        return Vec::new();
    }
    let at = |m: usize| parity + 2 * (m % slots);
    edits
        .iter()
        .map(|e| match *e {
            Edit::Modify(m, i) => Edit::Modify(at(m), i),
            Edit::Remove(m, i) => Edit::Remove(at(m), i),
            Edit::Add(m) => Edit::Add(at(m)),
            Edit::Renumber(m) => Edit::Renumber(at(m)),
            Edit::Reverse(m) => Edit::Reverse(at(m)),
            Edit::Move(m, i, to) => Edit::Move(at(m), i, at(to)),
            Edit::Split(m, i) => Edit::Split(at(m), i),
        })
        .collect()
}

/// What a report tells of each item, as two comparisons of the same texts
/// can both name it: its meeting, status, labels and texts, and the old
/// item a part was split off or the one merged (ids of the older edition,
/// which both sides share).
fn told(d: &EditionDiff) -> Vec<String> {
    let mut v: Vec<String> = d
        .meetings
        .iter()
        .flat_map(|m| {
            m.items.iter().map(move |i| {
                format!(
                    "{} {:?} {:?}->{:?} {:?}->{:?} split_from={:?} merged={}",
                    m.key,
                    i.status,
                    i.old_label,
                    i.new_label,
                    i.old_text,
                    i.new_text,
                    i.split_from(),
                    i.status == ItemStatus::Merged,
                )
            })
        })
        .collect();
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("regressions"),
        )),
        ..ProptestConfig::default()
    })]

    /// A chain of three editions, each cut as an import cuts it (ids
    /// carried by the rules, pairings recorded), the steps changing
    /// disjoint meetings: the stored diff of the first and the last,
    /// composing what each step recorded, tells every item as comparing
    /// the two texts directly tells it.
    #[test]
    fn a_stored_diff_across_a_chain_agrees_with_the_texts(
        a in edition(),
        first in prop::collection::vec(edit(), 0..5),
        second in prop::collection::vec(edit(), 0..5),
    ) {
        let n = a.meetings().count();
        let cut = |old: &Edition, text: &Edition| {
            let d = compare(old, text, &Pairing::by_rules(), Sides::named(old, text));
            let pairings = crate::store::snapshot::pairings(&d.report);
            (d.edition, pairings)
        };
        let (b, pb) = cut(&a, &apply(&a, &confine(&first, 0, n)));
        let (c, pc) = cut(&b, &apply(&b, &confine(&second, 1, n)));
        let recorded = crate::store::snapshot::recorded_across(&[
            (Rules::CURRENT, &pb),
            (Rules::CURRENT, &pc),
        ]);
        let stored = compare(&a, &c, &Pairing::ByRecord(&recorded), Sides::named(&a, &c)).report;
        let direct = compare(&a, &c, &Pairing::by_rules(), Sides::named(&a, &c)).report;
        prop_assert_eq!(told(&stored), told(&direct));
        prop_assert_eq!(stored.summary, direct.summary);
    }
}

/// A withdrawn item is restored only by its own text (the same, nearly the
/// same, or close under its old label): never is its id given to another.
#[test]
fn a_withdrawn_id_comes_back_only_with_its_own_text() {
    let old = ed(vec![(
        "K/1",
        vec![item(Some("1"), "Keep this one as it is.")],
    )]);
    let gone = Item {
        id: "K/1#2".into(),
        ..item(
            Some("2"),
            "States parties should consider funding the review mechanism regularly.",
        )
    };
    let withdrawn = vec![Withdrawn {
        item: gone.clone(),
        meeting: "K/1".into(),
        withdrawn_in: "e2".into(),
    }];
    let retired: BTreeSet<String> = ["K/1#2".to_string()].into();
    let sides = || Sides {
        retired: retired.clone(),
        withdrawn: withdrawn.clone(),
        ..Sides::default()
    };
    let with = |text: &str, label: &str| {
        ed(vec![(
            "K/1",
            vec![
                item(Some("1"), "Keep this one as it is."),
                item(Some(label), text),
            ],
        )])
    };
    // Back with its text, under another label: restored, its id again.
    let d = compare(&old, &with(&gone.text, "3"), &Pairing::by_rules(), sides());
    let back = &d.report.meetings[0].items;
    assert!(back.iter().any(|i| i.status == ItemStatus::Restored
        && i.id == "K/1#2"
        && i.withdrawn_in() == Some("e2")));
    assert!(!d.retired.contains("K/1#2"), "the id is in use again");
    // Reworded under its own label: restored, with its changes.
    let d = compare(
        &old,
        &with(
            "States parties should consider funding the review mechanism yearly.",
            "2",
        ),
        &Pairing::by_rules(),
        sides(),
    );
    assert!(
        d.report.meetings[0]
            .items
            .iter()
            .any(|i| i.status == ItemStatus::Restored && !i.changes().is_empty())
    );
    // Another text: added under a new id, the old one still retired.
    let d = compare(
        &old,
        &with(
            "The secretariat is requested to publish the reports on time.",
            "2",
        ),
        &Pairing::by_rules(),
        sides(),
    );
    let added = d.report.meetings[0]
        .items
        .iter()
        .find(|i| i.status == ItemStatus::Added)
        .expect("an addition");
    assert_ne!(added.id, "K/1#2");
    assert!(d.retired.contains("K/1#2"));
    // Under rules 3 nothing comes back.
    let d = compare(
        &old,
        &with(&gone.text, "2"),
        &Pairing::ByRules {
            rules: Rules::V3,
            forced: Vec::new(),
            apart: Vec::new(),
        },
        sides(),
    );
    assert!(
        d.report.meetings[0]
            .items
            .iter()
            .all(|i| i.status != ItemStatus::Restored)
    );
}
