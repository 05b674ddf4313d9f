//! Names and identities: edition ids (which become git ref names and so must
//! be checked before anything is written), edition references such as
//! `latest~2`, meeting keys and item ids.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// Where edition tags live: `refs/tags/edition/<id>`.
pub const TAG_PREFIX: &str = "refs/tags/edition/";

/// The ref of an edition's tag.
pub fn tag_ref(id: &str) -> String {
    format!("{TAG_PREFIX}{id}")
}

/// The short name of an edition's tag, as `git tag` shows it.
pub fn tag_name(id: &str) -> String {
    format!("edition/{id}")
}

/// Why a string is not a usable edition id.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("{id:?} is not a valid edition id: {reason}")]
pub struct InvalidEditionId {
    pub id: String,
    pub reason: &'static str,
}

/// An edition id checked to be safe as a file name and as part of a git ref
/// name: `[A-Za-z0-9]` at both ends, `[A-Za-z0-9._-]` inside, at most 64
/// characters, no `..`, not `latest`, not ending in `.lock`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EditionId(String);

impl EditionId {
    pub fn new(id: &str) -> Result<Self, InvalidEditionId> {
        let fail = |reason| {
            Err(InvalidEditionId {
                id: id.to_string(),
                reason,
            })
        };
        if id.is_empty() {
            return fail("it is empty");
        }
        if id.len() > 64 {
            return fail("it is longer than 64 characters");
        }
        if !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            return fail("only letters, digits, '-', '_' and '.' are allowed");
        }
        let first = id.as_bytes()[0];
        let last = id.as_bytes()[id.len() - 1];
        if !first.is_ascii_alphanumeric() || !last.is_ascii_alphanumeric() {
            return fail("it must start and end with a letter or a digit");
        }
        if id.contains("..") {
            return fail("it contains '..'");
        }
        if id.ends_with(".lock") {
            return fail("it ends in '.lock'");
        }
        if id == "latest" {
            return fail("'latest' names the newest edition");
        }
        if !git2::Reference::is_valid_name(&tag_ref(id)) {
            return fail("git refuses it as a ref name");
        }
        Ok(EditionId(id.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EditionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a command names an edition: an id, `latest` or `latest~N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditionSpec {
    Id(EditionId),
    /// `latest~N`: N editions before the newest (`latest` is `Latest(0)`).
    Latest(usize),
}

impl FromStr for EditionSpec {
    type Err = InvalidEditionId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "latest" {
            return Ok(EditionSpec::Latest(0));
        }
        if let Some(n) = s.strip_prefix("latest~") {
            return n
                .parse()
                .map(EditionSpec::Latest)
                .map_err(|_| InvalidEditionId {
                    id: s.to_string(),
                    reason: "after 'latest~' comes a number, as in latest~1",
                });
        }
        EditionId::new(s).map(EditionSpec::Id)
    }
}

impl fmt::Display for EditionSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditionSpec::Id(id) => write!(f, "{id}"),
            EditionSpec::Latest(0) => f.write_str("latest"),
            EditionSpec::Latest(n) => write!(f, "latest~{n}"),
        }
    }
}

/// Lower-case ASCII letters and digits joined by single hyphens.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The normalised form of a symbol, used as a meeting key: upper case, no
/// spaces.
pub fn normalise_symbol(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

/// The key of a meeting: the normalised symbol, else `part/year/slug(body)`.
pub fn meeting_key(part: &str, year: i32, body: &str, symbol: Option<&str>) -> String {
    match symbol {
        Some(s) => normalise_symbol(s),
        None => format!("{part}/{year}/{}", slugify(body)),
    }
}

/// The id minted for an item when it first appears: `<meeting key>#<label>`
/// for labelled items (a label with parts without its spaces: `#6(a)`,
/// `#6bis`), `<meeting key>#o<n>` for the n-th unlabelled one.
pub fn mint_item_id(meeting_key: &str, label: Option<&str>, unlabelled_index: usize) -> String {
    match label {
        Some(l) if l.contains(char::is_whitespace) => {
            let l: String = l.split_whitespace().collect();
            format!("{meeting_key}#{l}")
        }
        Some(l) => format!("{meeting_key}#{l}"),
        None => format!("{meeting_key}#o{unlabelled_index}"),
    }
}

// The UN symbol grammar is the profile's (`crate::profile`); its tests
// stay here, where they were written.
#[cfg(test)]
use crate::profile::{looks_like_symbol, symbol_problem};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_edition_ids() {
        for ok in ["2024-04", "2025-03-a", "v1.2", "E1", "a"] {
            assert!(EditionId::new(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn refuses_unsafe_edition_ids() {
        for bad in [
            "",
            "../x",
            "a/b",
            "a b",
            "a..b",
            ".hidden",
            "x.lock",
            "latest",
            "a~1",
            "a^",
            "a:b",
            "a\\b",
            "a*",
            "a?",
            "a[",
            "-x",
            "x-",
            "é",
            &"x".repeat(65),
        ] {
            assert!(EditionId::new(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn parses_edition_specs() {
        assert_eq!("latest".parse(), Ok(EditionSpec::Latest(0)));
        assert_eq!("latest~3".parse(), Ok(EditionSpec::Latest(3)));
        assert!("latest~x".parse::<EditionSpec>().is_err());
        assert_eq!(
            "2024-04".parse(),
            Ok(EditionSpec::Id(EditionId::new("2024-04").expect("valid")))
        );
    }

    #[test]
    fn slugs_and_keys() {
        assert_eq!(
            slugify("Constructive Dialogue on Technical Assistance"),
            "constructive-dialogue-on-technical-assistance"
        );
        assert_eq!(slugify("CTOC/COP/WG.4/2022/4"), "ctoc-cop-wg-4-2022-4");
        assert_eq!(slugify("  --  "), "");
        assert_eq!(
            meeting_key("B", 2023, "Constructive Dialogue on X", None),
            "B/2023/constructive-dialogue-on-x"
        );
        assert_eq!(
            meeting_key("A", 2022, "WG", Some("ctoc/cop/WG.4/ 2022/4")),
            "CTOC/COP/WG.4/2022/4"
        );
        assert_eq!(mint_item_id("K", Some("(l)"), 0), "K#(l)");
        assert_eq!(mint_item_id("K", None, 3), "K#o3");
    }

    #[test]
    fn recognises_symbols() {
        assert!(looks_like_symbol("CTOC/COP/WG.4/2022/4"));
        assert!(looks_like_symbol("CTOC/COP/WG.7/2023/5"));
        assert!(looks_like_symbol("CTOC/COP/wg.7/2023/5"));
        assert!(!looks_like_symbol("Summary by the Chair"));
        assert!(!looks_like_symbol("CTOC/COP"));
        assert!(!looks_like_symbol("and/or/maybe"));
    }

    #[test]
    fn finds_what_is_wrong_with_a_symbol() {
        assert_eq!(symbol_problem("CTOC/COP/WG.4/2022/4"), None);
        assert_eq!(symbol_problem("A/RES/75/1"), None);
        assert!(symbol_problem("CTOC/COP/wg.4/2022/4").is_some());
        assert!(symbol_problem("CTOC/COP//2022/4").is_some());
        assert!(symbol_problem("CTOC/COP/WG.4/2022/4/").is_some());
        assert!(symbol_problem("CTOC/COP/WG 4/2022/4").is_some());
        assert!(symbol_problem("CTOC/COP/WG_4/2022/4").is_some());
    }
}
