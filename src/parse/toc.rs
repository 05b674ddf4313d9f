//! The published table of contents. It is read only to be checked against
//! the body: the model never stores it, and `show --format markdown`
//! derives a fresh one.

use std::collections::{HashMap, VecDeque};
use std::sync::LazyLock;

use regex::Regex;

use super::blocks::collapse_ws;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Edition;
use crate::profile::Profile;
use crate::text::similarity;

/// How alike an entry's wording must be to a meeting's name (same year) to
/// be taken as that meeting written differently.
const WORDING_SIMILARITY: f64 = 0.8;
/// Above this many (entry, meeting) pairs in one year, entries are not
/// matched by similar wording.
const MAX_SIMILARITY_PAIRS: usize = 20_000;

/// One entry as printed, without tags, dot leaders or page numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TocLine {
    pub line: usize,
    pub text: String,
}

static TAGS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"</?[A-Za-z][^>]*>").expect("valid"));
static LEADER_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    // Dot leaders ("....." or "…") and the page number after them, or a
    // page number after a tab (Word's contents). A number after a plain
    // space is the name's own ("… Smuggling of Migrants 2"): livedoc's
    // own contents (`show --format markdown`) write no page numbers.
    Regex::new(r"(?:\s*(?:\.{2,}|…+)\s*\d{0,4}|\s*\t\s*\d{1,4})?\s*$").expect("valid")
});

static ENTRY_END: LazyLock<Regex> = LazyLock::new(|| {
    // Dot leaders and a page number with more text after them: where one
    // entry ends and the next begins on the same line.
    Regex::new(r"(?:\.{2,}|…[.…]*)\s*\d{1,4}\s+").expect("valid")
});

/// The entries of one line of a table of contents: one, or several when
/// the line breaks between them were lost (a word processor that joined
/// the lines of the contents into one paragraph): each entry ends with
/// its leaders and page number.
fn entries_of(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for m in ENTRY_END.find_iter(line) {
        if m.end() < line.len() {
            out.push(&line[start..m.end()]);
            start = m.end();
        }
    }
    out.push(&line[start..]);
    out
}

/// Reads the entries of a table of contents from its source lines.
pub(crate) fn read_lines(src: &str, first_line: usize) -> Vec<TocLine> {
    src.lines()
        .enumerate()
        .flat_map(|(i, raw)| {
            // Tags and emphasis are how an entry looks, not what it says.
            let text = TAGS.replace_all(raw, "").replace("**", "");
            entries_of(text.trim())
                .into_iter()
                .map(|e| (i, e.to_string()))
                .collect::<Vec<_>>()
        })
        .filter_map(|(i, text)| {
            let text = text.trim();
            let text = text
                .strip_prefix(['-', '*', '+'])
                .map(str::trim_start)
                .unwrap_or(text);
            let text = LEADER_PAGE.replace(text, "");
            let text = collapse_ws(text.trim_end_matches(['.', '…']));
            (!text.is_empty()).then(|| TocLine {
                line: first_line + i,
                text,
            })
        })
        .collect()
}

fn norm(s: &str) -> String {
    collapse_ws(s).to_lowercase()
}

/// Checks the published entries against the body. `meeting_lines` gives
/// the line of each meeting heading, in document order.
pub(crate) fn check(
    profile: &Profile,
    toc: &[TocLine],
    edition: &Edition,
    meeting_lines: &[usize],
    out: &mut Vec<Diagnostic>,
) {
    if toc.is_empty() {
        return;
    }
    let meetings: Vec<_> = edition.meetings().collect();
    let mut matched = vec![false; meetings.len()];

    // Meeting entries, matched in passes from the strictest to the
    // loosest, so that a loose match never takes an exact one's meeting.
    let entries: Vec<(&TocLine, i32, &str)> = toc
        .iter()
        .filter_map(|e| {
            let (year, body) = profile.contents_meeting(&e.text)?;
            Some((e, year, body))
        })
        .collect();
    let mut found: Vec<Option<usize>> = vec![None; entries.len()];
    // Each entry takes the first meeting not yet taken that its rule
    // accepts; meetings are indexed by what the rule compares, so no pass
    // looks at every meeting for every entry.
    let norms: Vec<String> = meetings.iter().map(|m| norm(&m.body)).collect();
    let take_first = |key_of_meeting: &dyn Fn(usize) -> String,
                      key_of_entry: &dyn Fn(i32, &str) -> String,
                      found: &mut Vec<Option<usize>>,
                      matched: &mut Vec<bool>| {
        let mut index: HashMap<String, VecDeque<usize>> = HashMap::new();
        for i in (0..meetings.len()).filter(|&i| !matched[i]) {
            index.entry(key_of_meeting(i)).or_default().push_back(i);
        }
        for (k, &(_, year, body)) in entries.iter().enumerate() {
            if found[k].is_some() {
                continue;
            }
            if let Some(i) = index
                .get_mut(&key_of_entry(year, body))
                .and_then(VecDeque::pop_front)
            {
                matched[i] = true;
                found[k] = Some(i);
            }
        }
    };
    // 1. Same year and same words; 2. the same words, spacing and case
    // aside, in any year.
    take_first(
        &|i| format!("{}\u{0}{}", meetings[i].year, meetings[i].body),
        &|y, b| format!("{y}\u{0}{b}"),
        &mut found,
        &mut matched,
    );
    take_first(
        &|i| norms[i].clone(),
        &|_, b| norm(b),
        &mut found,
        &mut matched,
    );
    // 3. Same year and similar words, among the meetings of that year; a
    // year with more than `MAX_SIMILARITY_PAIRS` candidate pairs is not
    // searched (its entries are then reported as matching no meeting).
    let mut by_year: HashMap<i32, Vec<usize>> = HashMap::new();
    for i in (0..meetings.len()).filter(|&i| !matched[i]) {
        by_year.entry(meetings[i].year).or_default().push(i);
    }
    let mut left: HashMap<i32, usize> = HashMap::new();
    for (k, &(_, year, _)) in entries.iter().enumerate() {
        if found[k].is_none() {
            *left.entry(year).or_default() += 1;
        }
    }
    for (k, &(_, year, body)) in entries.iter().enumerate() {
        let Some(candidates) = by_year.get(&year) else {
            continue;
        };
        if found[k].is_some()
            || candidates.len() * left.get(&year).copied().unwrap_or(0) > MAX_SIMILARITY_PAIRS
        {
            continue;
        }
        let b = norm(body);
        if let Some(&i) = candidates
            .iter()
            .find(|&&i| !matched[i] && similarity(&norms[i], &b) >= WORDING_SIMILARITY)
        {
            matched[i] = true;
            found[k] = Some(i);
        }
    }
    for (k, &(entry, year, body)) in entries.iter().enumerate() {
        match found[k] {
            Some(i) if meetings[i].year == year && meetings[i].body == body => {}
            Some(i) => {
                let m = meetings[i];
                let msg = if m.year != year {
                    format!(
                        "the table of contents lists \"{body}\" under {year}, but the body has it under {}",
                        m.year
                    )
                } else {
                    format!(
                        "the table of contents writes \"{body}\", the body \"{}\"",
                        m.body
                    )
                };
                out.push(
                    Diagnostic::warning(Code::TocMismatch, Some(entry.line), msg)
                        .with_hint("make the entry match the meeting heading"),
                );
            }
            None => out.push(
                Diagnostic::warning(
                    Code::TocExtra,
                    Some(entry.line),
                    format!(
                        "the table of contents lists \"{}\", which has no meeting in the body",
                        entry.text
                    ),
                )
                .with_hint("remove the entry or add the meeting"),
            ),
        }
    }
    for entry in toc {
        if !profile.is_contents_meeting(&entry.text)
            && !entry_names_section_or_part(profile, &entry.text, edition)
        {
            out.push(
                Diagnostic::warning(
                    Code::TocExtra,
                    Some(entry.line),
                    format!(
                        "the table of contents lists \"{}\", which is neither a section nor a part of the body",
                        entry.text
                    ),
                )
                .with_hint("remove the entry or make it match the heading"),
            );
        }
    }

    for (i, m) in meetings.iter().enumerate() {
        if !matched[i] {
            out.push(
                Diagnostic::warning(
                    Code::TocMissing,
                    meeting_lines.get(i).copied(),
                    format!(
                        "the meeting \"{}\" ({}) is missing from the table of contents",
                        m.body, m.year
                    ),
                )
                .with_hint(format!("add the line \"{}: {}\" to it", m.year, m.body)),
            );
        }
    }
}

fn entry_names_section_or_part(profile: &Profile, text: &str, edition: &Edition) -> bool {
    let t = norm(text);
    edition.front_matter.iter().any(|s| norm(&s.title) == t)
        || edition.parts.iter().any(|p| {
            let heading = profile.part_heading(&p.key, &p.title);
            norm(&heading) == t
                || norm(&format!("{} {heading}", profile.part_word)) == t
                || norm(&p.title) == t
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_leaders_and_pages() {
        let src = "Guidance for Readers .....\t2\n<b>A. Recommendations .....</b>\t<b>4</b>\n\n2022: Working Group on X .....\t4\n- 2023: Y\n";
        let got: Vec<(usize, String)> = read_lines(src, 10)
            .into_iter()
            .map(|l| (l.line, l.text))
            .collect();
        assert_eq!(
            got,
            vec![
                (10, "Guidance for Readers".to_string()),
                (11, "A. Recommendations".to_string()),
                (13, "2022: Working Group on X".to_string()),
                (14, "2023: Y".to_string()),
            ]
        );
    }

    /// Issue 29: livedoc's own contents line "- 2023: … Migrants 2" read
    /// back with the name's "2" taken for a page number.
    #[test]
    fn a_trailing_number_is_a_page_only_after_leaders_or_a_tab() {
        let src = "- 2023: Working Group on the Smuggling of Migrants 2\n2023: Working Group 3 .....\t7\n2023: Working Group 4\t9\n2023: Working Group 5 …\n";
        let got: Vec<String> = read_lines(src, 1).into_iter().map(|l| l.text).collect();
        assert_eq!(
            got,
            vec![
                "2023: Working Group on the Smuggling of Migrants 2",
                "2023: Working Group 3",
                "2023: Working Group 4",
                "2023: Working Group 5",
            ]
        );
    }
}
