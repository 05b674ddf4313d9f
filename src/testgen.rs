//! Generators of synthetic editions for property tests.

use proptest::prelude::*;

use crate::model::{
    Edition, EditionDate, Item, ItemKind, Meeting, MeetingKind, Part, Section, SubItem,
};

const WORDS: &[&str] = &[
    "States",
    "parties",
    "should",
    "consider",
    "the",
    "review",
    "of",
    "UNODC",
    "Convention",
    "technical",
    "assistance",
    "(including",
    "data)",
    "“RevMod”",
    "children's",
    "e.g.",
    "secretariat",
    "is",
    "requested",
    "to",
    "focal",
    "points;",
    "and",
    "Mechanism,",
    "7/7",
    "50%",
    "non-governmental",
    "€10",
    "Côte",
    "d'Ivoire",
];

pub(crate) fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 2..16)
        .prop_map(|w| format!("Text {}.", w.join(" ")))
}

pub(crate) fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(
            &[
                "Firearms",
                "Migrants",
                "Cooperation",
                "Persons",
                "Assistance",
                "Corruption",
            ][..],
        ),
        1..3,
    )
    .prop_map(|w| w.join(" "))
}

fn subitems() -> impl Strategy<Value = Vec<SubItem>> {
    prop::collection::vec(sentence(), 0..4).prop_map(|texts| {
        texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| SubItem {
                label: format!("({})", (b'a' + i as u8) as char),
                text,
            })
            .collect()
    })
}

fn items(labelled: bool) -> impl Strategy<Value = Vec<(Option<String>, String, Vec<SubItem>)>> {
    prop::collection::vec((sentence(), subitems(), prop::bool::ANY), 1..5).prop_map(move |v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (text, subs, letter))| {
                let label = labelled.then(|| {
                    if letter {
                        format!("({})", (b'l' + i as u8) as char)
                    } else {
                        (i + 1).to_string()
                    }
                });
                (label, text, subs)
            })
            .collect()
    })
}

fn meetings(part: &'static str) -> impl Strategy<Value = Vec<Meeting>> {
    let labelled = part == "A";
    prop::collection::vec(
        (name(), 2020i32..2026, items(labelled), prop::bool::ANY),
        1..4,
    )
    .prop_map(move |v| {
        let mut v = v;
        v.sort_by_key(|(_, y, _, _)| *y);
        v.into_iter()
            .enumerate()
            .map(|(n, (name, year, items, linked))| {
                let (body, symbol, source) = if labelled {
                    (
                        format!("Working Group on {name}"),
                        Some(format!("CTOC/COP/WG.{n}/{year}/4")),
                        None,
                    )
                } else {
                    (
                        format!("Constructive Dialogue {n} on {name}"),
                        None,
                        Some("Summary by the Chair".to_string()),
                    )
                };
                let key = crate::ids::meeting_key(part, year, &body, symbol.as_deref());
                let mut unlabelled = 0;
                let items = items
                    .into_iter()
                    .map(|(label, text, subitems)| {
                        if label.is_none() {
                            unlabelled += 1;
                        }
                        Item {
                            id: crate::ids::mint_item_id(&key, label.as_deref(), unlabelled).into(),
                            kind: if labelled {
                                ItemKind::Recommendation
                            } else {
                                ItemKind::Observation
                            },
                            label,
                            text,
                            subitems,
                        }
                    })
                    .collect();
                Meeting {
                    key: key.into(),
                    part: part.to_string(),
                    year,
                    kind: MeetingKind::from_body(&body),
                    body,
                    symbol,
                    source,
                    link: linked.then(|| "#".to_string()),
                    items,
                }
            })
            .collect()
    })
}

prop_compose! {
    pub(crate) fn edition()(
        masthead in prop::collection::vec(prop::sample::select(&["**UNODC**", "United Nations", "REVIEW  \nMECHANISM"][..]), 0..3),
        title in prop::collection::vec(prop::sample::select(&["OF", "RECOMMENDATIONS", "UNTOC", "(SYNTHETIC)"][..]), 0..6),
        place in prop::option::of(prop::sample::select(&["Vienna", "New York"][..])),
        (year, month, day) in (2020i32..2030, 1u32..13, prop::option::of(1u32..29)),
        sections in prop::collection::vec((name(), prop::collection::vec(sentence(), 0..3)), 0..3),
        parts in (prop::bool::ANY, prop::bool::ANY),
        a in meetings("A"),
        b in meetings("B"),
        contact in prop::option::of(Just("[a@b.org](mailto:a@b.org)".to_string())),
    ) -> Edition {
        let mut parts_v = Vec::new();
        if parts.0 || !parts.1 {
            parts_v.push(Part { key: "A".into(), title: "Recommendations by the Working Groups".into(), meetings: a });
        }
        if parts.1 {
            parts_v.push(Part { key: "B".into(), title: "Observations by the Chair".into(), meetings: b });
        }
        let mut seen = std::collections::HashSet::new();
        Edition {
            id: "t".into(),
            title: format!("COMPILATION {}", title.join(" ")).trim().to_string(),
            place: place.map(str::to_string),
            date: match day {
                Some(d) => EditionDate::day(year, month, d),
                None => EditionDate::month(year, month),
            }.expect("valid date"),
            masthead: masthead.into_iter().map(str::to_string).collect(),
            front_matter: sections
                .into_iter()
                .filter(|(n, _)| seen.insert(n.clone()))
                .map(|(n, paras)| Section { title: format!("Guidance on {n}"), body: paras.join("\n\n") })
                .collect(),
            parts: parts_v,
            contact,
        }
    }
}
