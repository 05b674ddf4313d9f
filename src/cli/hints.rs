//! Hints: what the user can do about each failure, in the command line's
//! words. The library's errors carry data (paths, ids, what was found);
//! only here do they meet flags and command names, as jj's
//! `command_error.rs` does, so that the library can be used by other
//! front ends and every sentence that names a flag lives beside the flags.

use livedoc::history::HistoryError;
use livedoc::ids::InvalidEditionId;
use livedoc::parse::ParseError;
use livedoc::site::SiteError;
use livedoc::store::records::RecordError;
use livedoc::store::sync::ShareError;
use livedoc::store::{STALE_REF_LOCK, StoreError, lock};

use super::CliError;

/// A PDF the template could not typeset from an edition the store holds:
/// livedoc's fault, not the user's.
const PDF_BUG: &str = "this is a livedoc bug: please report it with the edition (livedoc show EDITION --format markdown); --format docx writes the edition meanwhile";

/// What the user can do about `e`, in a command that works on the store
/// at `store`.
pub fn hint(e: &CliError, store_path: &std::path::Path) -> Option<String> {
    match e {
        CliError::Store(e) => store(e),
        CliError::Parse(e) => Some(parse(e)),
        CliError::Id(e) => Some(edition_id(e)),
        CliError::History(e) => history(e),
        CliError::Share(e) => share(e, store_path),
        CliError::Site(e) => site(e),
        // The template failed on an edition the store holds: livedoc's
        // fault, not the user's.
        CliError::Pdf(_) => Some(PDF_BUG.into()),
        CliError::Read { .. } => Some("check the path and that the file is readable".into()),
        CliError::TooLarge { .. } => Some(
            "check that the file is the compilation (it is about 0.2 MiB); a store would keep a larger one but not read it back".into(),
        ),
        CliError::Write { .. } => Some(
            "check that the directory exists and is writable, and that the disk has room".into(),
        ),
        CliError::Usage { hint, .. } => Some(hint.clone()),
        CliError::Io(_) => None,
    }
}

pub fn store(e: &StoreError) -> Option<String> {
    Some(match e {
            StoreError::NotFound { .. } => {
                "import an edition to create it (livedoc import editions/), or name another store with --store PATH or LIVEDOC_STORE".to_string()
            }
            StoreError::NotAStore { .. } => {
                "name an edition store with --store PATH, or create one with livedoc init PATH".to_string()
            }
            StoreError::Empty { .. } => "import an edition first: livedoc import FILE".to_string(),
            StoreError::UnknownEdition { known, .. } if known.is_empty() => {
                "the store is empty; import an edition first".to_string()
            }
            StoreError::UnknownEdition { known, .. } => {
                format!("known editions: {} (or latest, latest~N)", known.join(", "))
            }
            StoreError::OutOfRange { .. } => "run livedoc log to see the editions".to_string(),
            StoreError::Exists { .. } => {
                "published editions never change: import the corrected text under a new id with --edition ID".to_string()
            }
            StoreError::Record { source, .. } => record(source).to_string(),
            StoreError::Io { .. } => {
                "check the path's permissions and that the disk has space".to_string()
            }
            StoreError::OrphanTag { .. } | StoreError::Corrupt { .. } => {
                "the store may have been altered outside livedoc; inspect it with git before importing".to_string()
            }
            StoreError::TagRace { .. } => {
                "another process tagged the same edition; run livedoc log to see which edition landed".to_string()
            }
            StoreError::Contended { .. } => "run the import again".to_string(),
            StoreError::RefLocked { path } => format!(
                "if no git command is using the store, remove it: livedoc doctor removes ref locks older than {} s, or rm {}",
                STALE_REF_LOCK.as_secs(),
                path.display()
            ),
            StoreError::Unsealed { .. } => "run livedoc verify to see what was added outside livedoc, and remove it with git; livedoc doctor does not seal what livedoc did not write".to_string(),
            StoreError::Interrupted { .. } => "run the same import again, or livedoc doctor: either finishes the edition".to_string(),
            StoreError::Locked {
                path,
                blocked: lock::Blocked::Busy,
            } => format!(
                "wait for the other import to finish and run this one again; if none is running, check {} and remove it",
                path.display()
            ),
            StoreError::Locked {
                blocked: lock::Blocked::Abandoned { .. },
                ..
            } => "run livedoc doctor: it removes the abandoned lock and completes what the interrupted writer left".to_string(),
            StoreError::Locked { path, .. } => format!(
                "if no livedoc is writing to this store, run livedoc verify to see what the interrupted writer left, then remove the lock: rm {}",
                path.display()
            ),
            StoreError::Overrides { errors, .. } => errors
                .iter()
                .find_map(|e| e.hint.clone())
                .unwrap_or_else(|| "fix the pairing overrides file".to_string()),
            StoreError::Sign(_) => {
                "check the key path, that it is an SSH private key without a passphrase prompt, and that ssh-keygen is installed".to_string()
            }
            StoreError::Git(_) => {
                "the store could not be read or written; check its permissions and disk space, and run git fsck on it".to_string()
            }
        })
}

/// What the user can do about a finding of `verify` (or one `doctor`
/// leaves), by its kind's stable name, for the kinds that have a remedy
/// of their own.
pub fn finding(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "import-in-progress" => "run livedoc verify again once the import is done",
        "lock-abandoned" => {
            "run livedoc doctor: it removes the abandoned lock and completes what the interrupted writer left"
        }
        "lock-stale" => {
            "if no livedoc is writing to this store, run livedoc doctor after removing the lock file it names"
        }
        "ref-lock-stale" => {
            "run livedoc doctor: it removes git ref locks that no git process holds any more"
        }
        "replace-ref" => {
            "keep a copy for the investigation (git for-each-ref refs/replace), then remove it: git replace -d OBJECT"
        }
        "graft" => {
            "keep a copy for the investigation, then remove the file it names; a shallow store is refilled from a full copy (git fetch --unshallow)"
        }
        _ => return None,
    })
}

/// Prints, after a `verify` or `doctor` report in text, one hint for each
/// kind of finding among `kinds` that has one, once.
pub fn print_findings<'a>(
    kinds: impl IntoIterator<Item = &'a str>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    for kind in kinds {
        if seen.insert(kind)
            && let Some(hint) = finding(kind)
        {
            writeln!(out, "hint: {kind}: {hint}")?;
        }
    }
    Ok(())
}

pub fn record(e: &RecordError) -> &'static str {
    match e {
        RecordError::Newer { .. } => "upgrade livedoc to read this store",
        RecordError::Unknown { .. } | RecordError::Parse(_) => {
            "the store may have been altered outside livedoc; run livedoc verify"
        }
    }
}

pub fn history(e: &HistoryError) -> Option<String> {
    match e {
            HistoryError::Store(e) => store(e),
            HistoryError::UnknownItem { .. } => Some(
                "name an item by its permanent id (livedoc show latest lists them), by SYMBOL#LABEL, or find it with --text \"a few words\"".into(),
            ),
            HistoryError::NoText { .. } => {
                Some("try fewer or other words; the search ignores case and spacing".into())
            }
            HistoryError::AmbiguousText { matches, .. } => Some(format!(
                "trace one of them by its id: {}",
                matches
                    .iter()
                    .map(|f| f.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            HistoryError::Ambiguous { name, .. } => Some(format!(
                "name the permanent id with --id ({name}), or the item as labelled in an edition with --in latest"
            )),
            HistoryError::Corrupt { .. } | HistoryError::Git(_) => {
                Some("the store may be damaged: run livedoc verify to see what is wrong".into())
            }
        }
}

pub fn share(e: &ShareError, store_path: &std::path::Path) -> Option<String> {
    Some(match e {
            ShareError::Store(e) => return store(e),
            ShareError::BadRemote { .. } => "name a remote, a path or a URL".into(),
            ShareError::BadTransport { .. } => {
                "use a local path or a file://, ssh://, git://, http:// or https:// URL".into()
            }
            ShareError::Shallow => {
                "pull from a full clone of the store (git fetch --unshallow in it first)".into()
            }
            ShareError::BadRef { .. } => {
                "nothing moved; the remote may have been altered outside livedoc: run livedoc verify in it".into()
            }
            ShareError::Git { .. } => format!(
                "check the remote's path or URL and your access to it; to give it a name, add it to the store as git does: git --git-dir {} remote add origin URL",
                store_path.display()
            ),
            ShareError::Spawn(_) => "install git (livedoc uses it to talk to remotes)".into(),
            ShareError::Diverged { .. } | ShareError::Conflicts { .. } => {
                "published editions never change: agree which store is right, and import the other side's new text there under new edition ids".into()
            }
            // Two stores that each imported the published editions: the
            // fix is to keep one history, not to re-import under new ids.
            ShareError::SeparateHistories { conflicts, .. } => {
                let s = store_path.display();
                let pull = if store_path == std::path::Path::new(super::DEFAULT_STORE) {
                    "livedoc pull".to_string()
                } else {
                    format!("livedoc --store {s} pull")
                };
                let lost = if conflicts.is_empty() {
                    "the editions both hold are the same text, so nothing is lost: "
                } else {
                    "the editions named above differ, so first agree which text was published; then "
                };
                format!(
                    "{lost}keep one store. To keep the remote's, move this one aside (mv {s} {s}.old) and start it again from the remote ({pull} with the same remote), then import there any edition only {s}.old holds"
                )
            }
            ShareError::RemoteAhead { .. } => "pull first: livedoc pull REMOTE".into(),
            ShareError::RemoteSealed { .. } => {
                "pull first: livedoc pull REMOTE takes the remote's ledger entries for them".into()
            }
            // Neither side's ledger can take the other's entries, so no
            // push or pull ends this: one store must be chosen.
            ShareError::LedgerDiverged { .. } => {
                "run livedoc verify in both stores (livedoc --store PATH verify) and keep the one whose ledger verifies and seals the editions you published; rebuild the other from it: move it aside, livedoc pull the kept store into a new store, and import there any edition only the other held".into()
            }
            ShareError::RemoteMoved => {
                "pull what the other push sent (livedoc pull REMOTE), then push again".into()
            }
            ShareError::Libgit(_) => return None,
        })
}

pub fn site(e: &SiteError) -> Option<String> {
    match e {
            SiteError::Store(e) => store(e),
            SiteError::Write { .. } => Some("check that the output directory is writable".into()),
            SiteError::Symlink { .. } => {
                Some("remove the link, or choose another --out directory".into())
            }
            SiteError::Empty => Some("import an edition first: livedoc import FILE".into()),
            SiteError::NotASite { .. } => Some(
                "choose a new or empty --out directory, or pass --force to write the site there (files of the same names are replaced)".into(),
            ),
            SiteError::Pdf { .. } => Some(PDF_BUG.into()),
        }
}

/// A document's errors carry their own hints (what to write instead);
/// the first one stands for them all.
pub fn parse(e: &ParseError) -> String {
    e.errors
        .iter()
        .find_map(|e| e.hint.clone())
        .unwrap_or_else(|| "fix the document and run the command again".to_string())
}

pub fn edition_id(_: &InvalidEditionId) -> String {
    "an edition id has letters, digits, '-', '_' and '.', and starts and ends with a letter \
     or digit, such as 2025-03; editions can also be named latest or latest~N"
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn an_io_error_says_what_to_check() {
        let e = StoreError::io(Path::new("/s/livedoc.lock"))(std::io::Error::from(
            std::io::ErrorKind::PermissionDenied,
        ));
        assert!(store(&e).is_some_and(|h| h.contains("permissions")));
    }

    #[test]
    fn a_record_from_a_newer_livedoc_says_to_upgrade() {
        let e = StoreError::Record {
            commit: git2::Oid::ZERO_SHA1,
            file: "edition.json".into(),
            source: RecordError::Newer {
                version: 99,
                newest: 4,
            },
        };
        assert_eq!(
            store(&e).as_deref(),
            Some("upgrade livedoc to read this store")
        );
    }

    #[test]
    fn an_ambiguous_name_says_how_to_name_the_id() {
        let e = HistoryError::Ambiguous {
            name: "X#3".into(),
            label: "X#3".into(),
            other: "X#2".into(),
        };
        assert!(history(&e).is_some_and(|h| h.contains("--id (X#3)")));
    }

    #[test]
    fn a_wrapped_store_error_keeps_its_hint() {
        let inner = || StoreError::Empty {
            path: Path::new("s.git").into(),
        };
        let expected = store(&inner());
        assert!(expected.is_some());
        assert_eq!(history(&HistoryError::Store(inner())), expected);
        assert_eq!(
            share(
                &ShareError::Store(inner()),
                std::path::Path::new("livedoc.git")
            ),
            expected
        );
        assert_eq!(site(&SiteError::Store(inner())), expected);
    }
}
