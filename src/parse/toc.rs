//! The published table of contents. It is read only to be checked against
//! the body: the model never stores it, and `show --format markdown`
//! derives a fresh one.

use std::sync::LazyLock;

use regex::Regex;

use super::blocks::collapse_ws;
use crate::diagnostic::Diagnostic;
use crate::model::Edition;

/// One entry as printed, without tags, dot leaders or page numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TocLine {
    pub line: usize,
    pub text: String,
}

static TAGS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"</?[A-Za-z][^>]*>").expect("valid"));
static LEADER_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    // Dot leaders ("....." or "…") and a trailing page number.
    Regex::new(r"(?:\s*(?:\.{2,}|…+))?\s*(?:\d{1,4})?\s*$").expect("valid")
});
static MEETING_ENTRY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})\s*[:.–-]\s*(.+)$").expect("valid"));

/// Reads the entries of a table of contents from its source lines.
pub(crate) fn read_lines(src: &str, first_line: usize) -> Vec<TocLine> {
    src.lines()
        .enumerate()
        .filter_map(|(i, raw)| {
            let text = TAGS.replace_all(raw, "");
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

    for entry in toc {
        if let Some(c) = MEETING_ENTRY.captures(&entry.text) {
            let year: i32 = c[1].parse().unwrap_or_default();
            let body = c[2].trim();
            let exact = meetings
                .iter()
                .enumerate()
                .position(|(i, m)| !matched[i] && m.year == year && m.body == body);
            if let Some(i) = exact {
                matched[i] = true;
                continue;
            }
            let loose = meetings
                .iter()
                .enumerate()
                .position(|(i, m)| !matched[i] && norm(&m.body) == norm(body));
            match loose {
                Some(i) => {
                    matched[i] = true;
                    let m = meetings[i];
                    let msg = if m.year != year {
                        format!(
                            "the table of contents lists \"{}\" under {year}, but the body has it under {}",
                            body, m.year
                        )
                    } else {
                        format!(
                            "the table of contents writes \"{body}\", the body \"{}\"",
                            m.body
                        )
                    };
                    out.push(
                        Diagnostic::warning("toc-mismatch", Some(entry.line), msg)
                            .with_hint("make the entry match the meeting heading"),
                    );
                }
                None => out.push(
                    Diagnostic::warning(
                        "toc-extra",
                        Some(entry.line),
                        format!(
                            "the table of contents lists \"{}\", which has no meeting in the body",
                            entry.text
                        ),
                    )
                    .with_hint("remove the entry or add the meeting"),
                ),
            }
        } else if !entry_names_section_or_part(&entry.text, edition) {
            out.push(
                Diagnostic::warning(
                    "toc-extra",
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
                    "toc-missing",
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

fn entry_names_section_or_part(text: &str, edition: &Edition) -> bool {
    let t = norm(text);
    edition.front_matter.iter().any(|s| norm(&s.title) == t)
        || edition.parts.iter().any(|p| {
            norm(&format!("{}. {}", p.key, p.title)) == t
                || norm(&format!("Part {}. {}", p.key, p.title)) == t
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
}
