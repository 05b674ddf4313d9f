//! Pairing overrides: a small TOML file beside a draft in which the
//! secretariat confirms or overrides the matcher's pairings.
//!
//! ```toml
//! # editions/2025-03.pairs.toml
//! [[same]]        # this new item is that old one
//! old = "CTOC/COP/WG.2/2023/4#4"   # permanent id in the previous edition
//! new = "CTOC/COP/WG.2/2023/4#9"   # the item in the draft
//!
//! [[different]]   # these two are unrelated
//! old = "B/2023/constructive-dialogue-on-technical-assistance#o2"
//! new = "B/2023/constructive-dialogue-on-technical-assistance#o2"
//! ```
//!
//! An item of the draft is named as the importer names it before ids are
//! carried: `<meeting key>#<label>`, or `<meeting key>#o<n>` for the n-th
//! unlabelled item of its meeting.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Code, Diagnostic};
use crate::diff::matching::{ForcedPair, ItemRef};
use crate::model::{Edition, ItemKind};
use crate::text::Lines;

/// Which way the secretariat decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverrideKind {
    /// `[[same]]`: this new item is that old one.
    Same,
    /// `[[different]]`: these two are unrelated.
    Different,
}

impl OverrideKind {
    /// The table name in the overrides file.
    pub fn as_str(self) -> &'static str {
        match self {
            OverrideKind::Same => "same",
            OverrideKind::Different => "different",
        }
    }
}

/// One decision of the secretariat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub kind: OverrideKind,
    /// The overrides file it was read from; `None` when it comes from an
    /// edition's record.
    pub file: Option<String>,
    /// The permanent id in the previous edition.
    pub old: String,
    /// The item's name in the draft.
    pub new: String,
    /// The line of `old` in the overrides file (none when not read from
    /// a file).
    pub line: Option<usize>,
    /// The line of `new` in the overrides file.
    pub new_line: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileForm {
    #[serde(default)]
    same: Vec<PairForm>,
    #[serde(default)]
    different: Vec<PairForm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PairForm {
    old: Spanned<String>,
    new: Spanned<String>,
}

/// The overrides file that goes with a draft: `2025-03.md` →
/// `2025-03.pairs.toml`.
pub fn beside(draft: &Path) -> PathBuf {
    draft.with_extension("pairs.toml")
}

/// Reads an overrides file (`file` is its name, for errors); each error
/// names its line.
pub fn parse(text: &str, file: &str) -> Result<Vec<Override>, Diagnostic> {
    let lines = Lines::new(text);
    let form: FileForm = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| lines.of(s.start));
        Diagnostic::error(
            Code::OverridesSyntax,
            line,
            format!("the pairing overrides do not parse: {}", e.message()),
        )
        .with_hint("each entry is [[same]] or [[different]] with old = \"…\" and new = \"…\"")
    })?;
    let mut out = Vec::new();
    for (kind, list) in [
        (OverrideKind::Same, form.same),
        (OverrideKind::Different, form.different),
    ] {
        for p in list {
            out.push(Override {
                kind,
                file: Some(file.to_string()),
                line: Some(lines.of(p.old.span().start)),
                new_line: Some(lines.of(p.new.span().start)),
                old: p.old.into_inner(),
                new: p.new.into_inner(),
            });
        }
    }
    Ok(out)
}

/// The pairs to force and to keep apart, once every name is found;
/// otherwise one error per name that names nothing.
pub fn resolve(
    overrides: &[Override],
    old: &Edition,
    draft: &Edition,
) -> Result<(Vec<ForcedPair>, Vec<ForcedPair>), Vec<Diagnostic>> {
    if overrides.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let index = |e: &Edition| -> HashMap<String, ItemRef> {
        e.meetings()
            .enumerate()
            .flat_map(|(mi, m)| {
                m.items.iter().enumerate().map(move |(ii, i)| {
                    (
                        i.id.to_string(),
                        ItemRef {
                            meeting: mi,
                            item: ii,
                        },
                    )
                })
            })
            .collect()
    };
    let (olds, news) = (index(old), index(draft));
    let mut forced = Vec::new();
    let mut apart = Vec::new();
    let mut errors = Vec::new();
    // Which entry first named each old item, each new item, and each pair
    // in a `same` entry: a later entry may not contradict it.
    let mut same_old: HashMap<&str, &Override> = HashMap::new();
    let mut same_new: HashMap<&str, &Override> = HashMap::new();
    let mut declared: HashMap<(&str, &str), &Override> = HashMap::new();
    let at = |o: &Override| match o.line {
        None => String::from("an earlier entry"),
        Some(n) => format!("the entry at line {n}"),
    };
    for o in overrides {
        let old_ref = olds.get(&o.old);
        let new_ref = news.get(&o.new);
        if old_ref.is_none() {
            errors.push(
                Diagnostic::error(
                    Code::OverrideUnknown,
                    o.line,
                    match old.id.as_str() {
                        "" => format!(
                            "old = \"{}\" names no item of the previous edition (none: the draft would be the first edition)",
                            o.old
                        ),
                        id => format!(
                            "old = \"{}\" names no item of the previous edition ({id})",
                            o.old
                        ),
                    },
                )
                .with_hint("use a permanent id as livedoc show latest --format json lists them"),
            );
        }
        if new_ref.is_none() {
            errors.push(
                Diagnostic::error(
                    Code::OverrideUnknown,
                    o.new_line,
                    format!("new = \"{}\" names no item of the draft", o.new),
                )
                .with_hint("name it SYMBOL#LABEL, or KEY#o<n> for the n-th observation of a meeting, as livedoc diff latest DRAFT shows"),
            );
        }
        if let Some(first) = declared.get(&(o.old.as_str(), o.new.as_str())) {
            errors.push(
                Diagnostic::error(
                    Code::OverrideContradiction,
                    o.line,
                    format!(
                        "{} and {} both pair old = \"{}\" with new = \"{}\"",
                        at(first),
                        at(o).replace("the entry", "this entry"),
                        o.old,
                        o.new
                    ),
                )
                .with_hint("keep one entry per pair: either [[same]] or [[different]]"),
            );
            continue;
        }
        declared.insert((o.old.as_str(), o.new.as_str()), o);
        if o.kind == OverrideKind::Same {
            let clash = same_old
                .get(o.old.as_str())
                .map(|f| (f, "old", &o.old))
                .or_else(|| same_new.get(o.new.as_str()).map(|f| (f, "new", &o.new)));
            if let Some((first, side, name)) = clash {
                errors.push(
                    Diagnostic::error(
                        Code::OverrideContradiction,
                        o.line,
                        format!(
                            "{side} = \"{name}\" is already declared the same as another item by {}",
                            at(first)
                        ),
                    )
                    .with_hint("an item is the same as at most one item of the other edition"),
                );
                continue;
            }
            same_old.insert(o.old.as_str(), o);
            same_new.insert(o.new.as_str(), o);
        }
        if let (Some(&old_at), Some(&new_at)) = (old_ref, new_ref) {
            let old_kind = item_at(old, old_at).map(|i| i.kind);
            let new_kind = item_at(draft, new_at).map(|i| i.kind);
            if o.kind == OverrideKind::Same && old_kind != new_kind {
                errors.push(
                    Diagnostic::error(
                        Code::OverrideKind,
                        o.line,
                        format!(
                            "old = \"{}\" is {} but new = \"{}\" is {}: an item cannot change kind",
                            o.old,
                            kind_name(old_kind),
                            o.new,
                            kind_name(new_kind)
                        ),
                    )
                    .with_hint("pair a recommendation with a recommendation and an observation with an observation"),
                );
                continue;
            }
        }
        if let (Some(&old), Some(&new)) = (old_ref, new_ref) {
            match o.kind {
                OverrideKind::Same => forced.push(ForcedPair { old, new }),
                OverrideKind::Different => apart.push(ForcedPair { old, new }),
            }
        }
    }
    if errors.is_empty() {
        Ok((forced, apart))
    } else {
        Err(errors)
    }
}

fn item_at(e: &Edition, at: ItemRef) -> Option<&crate::model::Item> {
    e.meetings().nth(at.meeting)?.items.get(at.item)
}

fn kind_name(kind: Option<ItemKind>) -> &'static str {
    match kind {
        Some(ItemKind::Recommendation) => "a recommendation",
        Some(ItemKind::Observation) => "an observation",
        None => "nothing",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_kinds_with_lines() {
        let text = "# note\n[[same]]\nold = \"K#1\"\nnew = \"K#2\"\n\n[[different]]\nold = \"K#o1\"\nnew = \"K#o1\"\n";
        let o = parse(text, "t.pairs.toml").expect("parses");
        assert_eq!(
            o.iter()
                .map(|o| (o.kind.as_str(), o.old.as_str(), o.new.as_str(), o.line))
                .collect::<Vec<_>>(),
            vec![
                ("same", "K#1", "K#2", Some(3)),
                ("different", "K#o1", "K#o1", Some(7))
            ]
        );
    }

    #[test]
    fn a_large_file_gives_every_entry_its_line() {
        // 40,000 entries took 86 s when each line number was counted from
        // the start of the text; bisecting line starts is linear.
        let text: String = (0..40_000)
            .map(|n| format!("[[same]]\nold = \"K#{n}\"\nnew = \"K#{n}\"\n"))
            .collect();
        let o = parse(&text, "t.pairs.toml").expect("parses");
        assert_eq!(o.len(), 40_000);
        assert_eq!((o[0].line, o[0].new_line), (Some(2), Some(3)));
        assert_eq!(o[39_999].line, Some(3 * 39_999 + 2));
        let lines = Lines::new("a\nb\n\nc");
        assert_eq!(
            [0, 1, 2, 3, 4, 5].map(|off| lines.of(off)),
            [1, 1, 2, 2, 3, 4]
        );
    }

    #[test]
    fn a_typo_in_a_field_is_an_error_with_its_line() {
        let e = parse("[[same]]\nold = \"K#1\"\nnwe = \"K#2\"\n", "t.pairs.toml")
            .expect_err("unknown field");
        assert_eq!(e.code, "overrides-syntax");
        assert!(e.line.is_some());
    }

    #[test]
    fn the_file_sits_beside_the_draft() {
        assert_eq!(
            beside(Path::new("editions/2025-03.md")),
            PathBuf::from("editions/2025-03.pairs.toml")
        );
    }
}
