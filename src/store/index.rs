//! The history index (`refs/livedoc/index`): per edition, what `trace`
//! and `blame` need (commit, tag, id, date, provenance, pairings, and the
//! file of every meeting the pairings name), so that they read one small
//! file per 64 editions instead of every edition's `edition.json` and
//! `pairings.json`.
//!
//! The index is derived from the editions' own records: `import` writes
//! it in the same pack as the edition and moves its ref after the
//! edition's; `verify` checks it against the records; `doctor` rebuilds it
//! when it is missing or wrong. A reader trusts it only as far as it
//! matches the editions branch, commit by commit, and reads the records of
//! any edition beyond (an index that is missing, behind or altered costs
//! time, never truth).

use std::collections::BTreeMap;

use git2::{Oid, Repository, Signature};

use super::records::index::{INDEX_CURRENT, IndexRecord, IndexedRecord};
use super::snapshot::{Pairings, Person};
use super::{EditionInfo, Store, StoreError};
use crate::model::EditionDate;

pub const INDEX_REF: &str = "refs/livedoc/index";

/// Editions per index file.
pub const BUCKET: u64 = 64;

/// One edition as the index holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Indexed {
    /// 1-based place on the editions branch.
    pub seq: u64,
    pub commit: Oid,
    /// The edition's tag object as published (the tag ref may have moved
    /// since: verify says so).
    pub tag: Option<Oid>,
    pub id: String,
    pub date: EditionDate,
    pub record_version: u32,
    pub cut_by: Person,
    pub cut_at: String,
    /// Meeting key → its file, for every meeting the pairings name.
    pub paths: BTreeMap<String, String>,
    pub pairings: Pairings,
}

impl Indexed {
    /// An edition's entry, from its own records.
    pub fn from_records(seq: u64, info: &EditionInfo, pairings: Pairings) -> Indexed {
        let mut paths = BTreeMap::new();
        let keys = pairings
            .items
            .iter()
            .map(|p| p.meeting.as_str())
            .chain(pairings.meetings.iter().map(|m| m.key.as_str()));
        for key in keys {
            if let Some(path) = info.meta.path_of(key) {
                paths.insert(key.to_string(), path.to_string());
            }
        }
        Indexed {
            seq,
            commit: info.commit,
            tag: info.tag,
            id: info.meta.id.clone(),
            date: info.meta.date,
            record_version: info.meta.record_version,
            cut_by: info.meta.provenance.cut_by.clone(),
            cut_at: info.meta.provenance.cut_at.clone(),
            paths,
            pairings,
        }
    }

    /// The file of the meeting with this key, if the pairings name it.
    pub fn path_of(&self, key: &str) -> Option<&str> {
        self.paths.get(key).map(String::as_str)
    }

    fn to_record(&self) -> IndexedRecord {
        IndexedRecord {
            seq: self.seq,
            commit: self.commit.to_string(),
            tag: self.tag.map(|t| t.to_string()),
            id: self.id.clone(),
            date: self.date.to_string(),
            record_version: self.record_version,
            cut_by_name: self.cut_by.name.clone(),
            cut_by_email: self.cut_by.email.clone(),
            cut_at: self.cut_at.clone(),
            paths: self.paths.clone(),
            pairings: (&self.pairings).into(),
        }
    }

    fn from_record(r: IndexedRecord) -> Option<Indexed> {
        Some(Indexed {
            seq: r.seq,
            commit: Oid::from_str(&r.commit).ok()?,
            tag: match &r.tag {
                Some(t) => Some(Oid::from_str(t).ok()?),
                None => None,
            },
            date: EditionDate::parse(&r.date)?,
            id: r.id,
            record_version: r.record_version,
            cut_by: Person {
                name: r.cut_by_name,
                email: r.cut_by_email,
            },
            cut_at: r.cut_at,
            paths: r.paths,
            pairings: r.pairings.into(),
        })
    }
}

/// The index's commit, if it has one.
fn head(repo: &Repository) -> Option<Oid> {
    repo.find_reference(INDEX_REF).ok().and_then(|r| r.target())
}

/// What the index holds, in order; `None` when it is missing or cannot be
/// read (a reader then reads the records).
pub fn read(repo: &Repository) -> Option<Vec<Indexed>> {
    let tree = repo.find_commit(head(repo)?).ok()?.tree().ok()?;
    let mut out = Vec::new();
    for entry in tree.iter() {
        let blob = repo.find_blob(entry.id()).ok()?;
        let record: IndexRecord = serde_json::from_slice(blob.content()).ok()?;
        if record.schema_version != INDEX_CURRENT {
            return None;
        }
        for e in record.editions {
            out.push(Indexed::from_record(e)?);
        }
    }
    // Entries are numbered 1, 2, … in branch order, or the index is not
    // one livedoc wrote.
    out.iter()
        .enumerate()
        .all(|(k, e)| e.seq == k as u64 + 1)
        .then_some(out)
}

/// Index objects written, their ref not yet moved.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub commit: Oid,
    /// The index's head it follows.
    pub after: Option<Oid>,
    pub objects: Vec<Oid>,
}

/// The files of an index holding `entries`, from bucket `from` on.
fn files(entries: &[Indexed], from: usize) -> Vec<(String, Vec<u8>)> {
    entries
        .chunks(BUCKET as usize)
        .enumerate()
        .skip(from)
        .map(|(b, chunk)| {
            let record = IndexRecord {
                schema_version: INDEX_CURRENT,
                editions: chunk.iter().map(Indexed::to_record).collect(),
            };
            let mut bytes = serde_json::to_vec(&record).expect("records always serialise");
            bytes.push(b'\n');
            (format!("{b:04}.json"), bytes)
        })
        .collect()
}

/// Writes, through `writer`, an index holding `entries` (a file per 64
/// editions: an unchanged file is the same blob, so only the last one is
/// new), as a commit on top of the current index. The first `keep` files
/// are known to be the current index's (an import that appends to a
/// complete index): they are taken from its tree, not written again.
pub fn prepare(
    repo: &Repository,
    writer: &Repository,
    entries: &[Indexed],
    keep: usize,
    sig: &Signature<'_>,
) -> Result<Prepared, StoreError> {
    let after = head(repo);
    let mut objects = Vec::new();
    let mut tb = writer.treebuilder(None)?;
    let current = after
        .and_then(|h| repo.find_commit(h).ok())
        .and_then(|c| c.tree().ok());
    let mut from = 0;
    if let Some(tree) = &current {
        while from < keep {
            let name = format!("{from:04}.json");
            match tree.get_name(&name) {
                Some(e) => tb.insert(&name, e.id(), 0o100644)?,
                None => break,
            };
            from += 1;
        }
    }
    for (name, bytes) in files(entries, from) {
        let blob = writer.blob(&bytes)?;
        objects.push(blob);
        tb.insert(&name, blob, 0o100644)?;
    }
    let tree_id = tb.write()?;
    objects.push(tree_id);
    let tree = writer.find_tree(tree_id)?;
    let parents: Vec<git2::Commit<'_>> = after
        .and_then(|h| writer.find_commit(h).ok())
        .into_iter()
        .collect();
    let parent_refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
    let message = match entries.last() {
        Some(e) => format!("History index up to edition {} ({})\n", e.id, e.seq),
        None => "History index, empty\n".to_string(),
    };
    let commit = writer.commit(None, sig, sig, &message, &tree, &parent_refs)?;
    objects.push(commit);
    Ok(Prepared {
        commit,
        after,
        objects,
    })
}

/// Moves the index's ref to prepared objects, by compare-and-swap.
pub fn publish(repo: &Repository, next: &Prepared) -> Result<(), StoreError> {
    match next.after {
        Some(after) => {
            repo.reference_matching(INDEX_REF, next.commit, true, after, "livedoc: index")?
        }
        None => repo.reference(INDEX_REF, next.commit, true, "livedoc: index")?,
    };
    Ok(())
}

/// Every edition of the branch, oldest first, as the index holds it where
/// it matches the branch, else from the records; and how many editions
/// were read from their records.
pub fn history(store: &Store) -> Result<(Vec<Indexed>, usize), StoreError> {
    let commits = store.commits()?;
    let mut indexed = read(store.repo()).unwrap_or_default().into_iter();
    let mut out = Vec::with_capacity(commits.len());
    let mut from_records = 0;
    let mut trusted = true;
    for (k, &commit) in commits.iter().enumerate() {
        match indexed.next() {
            Some(e) if trusted && e.commit == commit => out.push(e),
            _ => {
                trusted = false;
                out.push(entry_of(store, k, commit)?);
                from_records += 1;
            }
        }
    }
    Ok((out, from_records))
}

/// How the index stands against the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// It says what the records say, for every edition.
    Agrees,
    /// There is none (a store older than the index).
    Missing,
    /// It agrees as far as it goes, but editions came after it (a pull, or
    /// an import whose index ref could not move): readers read their
    /// records.
    Behind,
    /// It names a commit the branch does not have at that place (the
    /// branch was rewritten or shortened): readers stop following it
    /// there.
    Diverged,
    /// It says something else of this edition than its records do;
    /// `None`: it cannot be read at all.
    Differs(Option<String>),
}

/// Checks every entry of the index against the edition's records.
pub fn check(store: &Store) -> Result<Standing, StoreError> {
    let Some(indexed) = read(store.repo()) else {
        return Ok(if head(store.repo()).is_some() {
            Standing::Differs(None)
        } else {
            Standing::Missing
        });
    };
    let commits = store.commits()?;
    for (k, e) in indexed.iter().enumerate() {
        // Past a commit the branch does not have there (a rewritten or
        // shortened branch, which verify reports for itself), readers do
        // not follow the index, and the next import rewrites it.
        if commits.get(k) != Some(&e.commit) {
            return Ok(Standing::Diverged);
        }
        let mut expected = entry_of(store, k, commits[k])?;
        // The index keeps the tag as published; where the tag ref is now
        // is verify's tag checks' business.
        expected.tag = e.tag;
        if *e != expected {
            return Ok(Standing::Differs(Some(expected.id)));
        }
    }
    Ok(if indexed.len() < commits.len() {
        Standing::Behind
    } else {
        Standing::Agrees
    })
}

/// The entry of the edition at place `k` (from 0) on the branch, from
/// its own records.
fn entry_of(store: &Store, k: usize, commit: Oid) -> Result<Indexed, StoreError> {
    let info = store.info(commit)?;
    Ok(Indexed::from_records(
        k as u64 + 1,
        &info,
        store.pairings(commit)?,
    ))
}

/// Writes an index holding `entries` as one pack and moves its ref.
fn write(store: &Store, entries: &[Indexed], sig: &Signature<'_>) -> Result<(), StoreError> {
    let next = super::pack::write_as_one_pack(store.path(), store.repo(), |w| {
        let next = prepare(store.repo(), w, entries, 0, sig)?;
        let objects = next.objects.clone();
        Ok((next, objects))
    })?;
    publish(store.repo(), &next)
}

/// Rewrites the index from the records (for `doctor`).
pub fn rebuild(store: &Store, sig: &Signature<'_>) -> Result<usize, StoreError> {
    let entries = store
        .commits()?
        .into_iter()
        .enumerate()
        .map(|(k, commit)| entry_of(store, k, commit))
        .collect::<Result<Vec<_>, _>>()?;
    write(store, &entries, sig)?;
    Ok(entries.len())
}

/// The signature index commits carry: the newest edition's committer, so
/// that rebuilding an index is deterministic.
pub fn signature_of_newest(store: &Store) -> Result<Option<Signature<'static>>, StoreError> {
    let Some(head) = store.head()? else {
        return Ok(None);
    };
    Ok(Some(super::committer_of(store.repo(), head)?))
}

/// Brings an index that is behind the branch (after a pull), or missing
/// (a store made by a pull), up to it, reading only the records of the
/// editions it lacks. Returns whether it wrote.
pub fn catch_up(store: &Store) -> Result<bool, StoreError> {
    let (entries, from_records) = history(store)?;
    let Some(sig) = signature_of_newest(store)?.filter(|_| from_records > 0) else {
        return Ok(false);
    };
    write(store, &entries, &sig)?;
    Ok(true)
}
