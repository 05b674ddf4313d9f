//! The history index (`refs/livedoc/index`): per edition, what `trace`
//! and `blame` need (commit, tag, id, date, provenance, pairings, and the
//! file of every meeting the pairings name), so that they read the index
//! instead of every edition's `edition.json` and `pairings.json`; and,
//! apart, what a trace needs of every edition (one small head per
//! edition, 64 to a file, saying which item ids its pairings mention), so
//! that a trace of one item reads the heads and only the entries of the
//! editions that mention it.
//!
//! The index is derived from the editions' own records: `import` writes
//! it in the same pack as the edition and moves its ref after the
//! edition's; `verify` checks it against the records; `doctor` rebuilds it
//! when it is wrong. A reader trusts it only as far as it matches the
//! editions branch, commit by commit, and reads the records of any edition
//! beyond (an index that is missing, of an older version, behind or
//! altered costs time, never truth).

use std::collections::BTreeMap;

use git2::{Oid, Repository, Signature};

use super::records::PairingsRecord;
use super::records::index::{
    EntryRecord, HeadRecord, HeadRecordLazy, HeadsRecord, HeadsRecordLazy, INDEX_CURRENT,
    INDEX_PAIRINGS, IndexedRecord,
};
use super::snapshot::{Pairings, Person, Timestamp};
use super::{EditionInfo, Store, StoreError};
use crate::model::EditionDate;

pub const INDEX_REF: &str = "refs/livedoc/index";

/// Editions per heads file and per entries directory.
pub const BUCKET: u64 = 64;

const HEADS: &str = "heads";
const ENTRIES: &str = "entries";

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
    pub cut_at: Timestamp,
    /// Meeting key → its file, for every meeting the pairings name.
    pub paths: BTreeMap<String, String>,
    pub pairings: Pairings,
}

impl Indexed {
    /// An edition's entry, from its own records.
    pub fn from_records(seq: u64, info: &EditionInfo, pairings: Pairings) -> Indexed {
        let mut paths = BTreeMap::new();
        if pairings.all_added() {
            // Pairings that list nothing (a first edition's): every meeting.
            for p in &info.meta.parts {
                for (key, path) in p.keys.iter().zip(&p.meetings) {
                    paths.insert(key.clone(), path.clone());
                }
            }
        }
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
            cut_at: self.cut_at.to_string(),
            paths: self.paths.clone(),
            pairings: PairingsRecord::new(INDEX_PAIRINGS, &self.pairings)
                .expect("pairings version 3 holds every status and reason of rules 3"),
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
            cut_at: Timestamp::parse(&r.cut_at)?,
            paths: r.paths,
            pairings: r.pairings.into(),
        })
    }

    /// What a trace needs of it whatever it traces.
    fn to_head(&self) -> HeadRecord {
        let mut mentions: Vec<String> = self
            .pairings
            .items
            .iter()
            .flat_map(|p| {
                std::iter::once(&p.id)
                    .chain(p.split_from.as_ref())
                    .chain(p.merged_into.as_ref())
            })
            .cloned()
            .collect();
        mentions.sort_unstable();
        mentions.dedup();
        let record = self.to_record();
        HeadRecord {
            seq: record.seq,
            commit: record.commit,
            tag: record.tag,
            id: record.id,
            date: record.date,
            record_version: record.record_version,
            cut_by_name: record.cut_by_name,
            cut_by_email: record.cut_by_email,
            cut_at: record.cut_at,
            renamed: record
                .pairings
                .meetings
                .into_iter()
                .filter(|m| m.old_key.is_some())
                .collect(),
            mentions,
        }
    }
}

/// The index's commit, if it has one.
fn head(repo: &Repository) -> Option<Oid> {
    repo.find_reference(INDEX_REF).ok().and_then(|r| r.target())
}

fn heads_path(bucket: u64) -> String {
    format!("{HEADS}/{bucket:04}.json")
}

fn entry_path(seq: u64) -> String {
    format!("{ENTRIES}/{:04}/{seq:06}.json", (seq - 1) / BUCKET)
}

fn to_bytes<T: serde::Serialize>(record: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(record).expect("records always serialise");
    bytes.push(b'\n');
    bytes
}

/// An edition as its head alone tells it: no meeting files, and of its
/// pairings only those that renamed a meeting.
fn from_head(h: HeadRecordLazy<'_>) -> Option<Indexed> {
    let renamed = h.renamed;
    Indexed::from_record(IndexedRecord {
        seq: h.seq,
        commit: h.commit,
        tag: h.tag,
        id: h.id,
        date: h.date,
        record_version: h.record_version,
        cut_by_name: h.cut_by_name,
        cut_by_email: h.cut_by_email,
        cut_at: h.cut_at,
        paths: BTreeMap::new(),
        pairings: PairingsRecord {
            schema_version: INDEX_PAIRINGS,
            from: String::new(),
            meetings: renamed,
            items: Vec::new(),
        },
    })
}

/// One edition's whole entry.
fn read_entry(repo: &Repository, tree: &git2::Tree<'_>, seq: u64) -> Option<Indexed> {
    let entry = tree.get_path(std::path::Path::new(&entry_path(seq))).ok()?;
    // The index is derived: one over the bound is not read (readers then
    // read the records).
    let blob = super::read_blob(repo, entry.id(), super::MAX_RECORD_BYTES).ok()?;
    let record: EntryRecord = serde_json::from_slice(&blob).ok()?;
    if record.schema_version != INDEX_CURRENT || record.edition.seq != seq {
        return None;
    }
    Indexed::from_record(record.edition)
}

/// What the index holds, in order: each edition whole where `whole(seq,
/// count, mentioned)` says so (`mentioned`: its head lists `item`), else as
/// its head tells it. `None` when it is missing, of another version or
/// cannot be read (a reader then reads the records).
fn read_with(
    repo: &Repository,
    item: Option<&str>,
    whole: impl Fn(u64, u64, bool) -> bool,
) -> Option<Vec<Indexed>> {
    let tree = repo.find_commit(head(repo)?).ok()?.tree().ok()?;
    let heads = repo.find_tree(tree.get_name(HEADS)?.id()).ok()?;
    // The id as the index's JSON writes it.
    let needle = item.and_then(|id| serde_json::to_string(id).ok());
    let mut light = Vec::new();
    for entry in heads.iter() {
        let blob = super::read_blob(repo, entry.id(), super::MAX_RECORD_BYTES).ok()?;
        let record: HeadsRecordLazy<'_> = serde_json::from_slice(&blob).ok()?;
        if record.schema_version != INDEX_CURRENT {
            return None;
        }
        for h in record.editions {
            let mentioned = needle.as_ref().is_some_and(|n| {
                memchr::memmem::find(h.mentions.get().as_bytes(), n.as_bytes()).is_some()
            });
            light.push((from_head(h)?, mentioned));
        }
    }
    // Heads are numbered 1, 2, … in branch order, or the index is not
    // one livedoc wrote.
    if !light
        .iter()
        .enumerate()
        .all(|(k, (h, _))| h.seq == k as u64 + 1)
    {
        return None;
    }
    let count = light.len() as u64;
    let mut out = Vec::with_capacity(light.len());
    for (h, mentioned) in light {
        let e = if whole(h.seq, count, mentioned) {
            let e = read_entry(repo, &tree, h.seq)?;
            if e.commit != h.commit {
                return None;
            }
            e
        } else {
            h
        };
        out.push(e);
    }
    Some(out)
}

/// What the index holds, every edition whole, in order; `None` when it is
/// missing or cannot be read.
pub fn read(repo: &Repository) -> Option<Vec<Indexed>> {
    read_with(repo, None, |_, _, _| true)
}

/// Index objects written, their ref not yet moved.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub commit: Oid,
    /// The index's head it follows.
    pub after: Option<Oid>,
    pub objects: Vec<Oid>,
}

/// The files of bucket `b` of an index holding `entries`: its heads file,
/// and each of its editions' entry file.
fn bucket_files(chunk: &[Indexed]) -> (Vec<u8>, Vec<(String, Vec<u8>)>) {
    let heads = HeadsRecord {
        schema_version: INDEX_CURRENT,
        editions: chunk.iter().map(Indexed::to_head).collect(),
    };
    let entries = chunk
        .iter()
        .map(|e| {
            let record = EntryRecord {
                schema_version: INDEX_CURRENT,
                edition: e.to_record(),
            };
            (format!("{:06}.json", e.seq), to_bytes(&record))
        })
        .collect();
    (to_bytes(&heads), entries)
}

/// Writes, through `writer`, an index holding `entries` as a commit on top
/// of the current index. The first `keep` buckets are known to be the
/// current index's (an import that appends to a complete index): their
/// files are taken from its tree, not written again, and their entries
/// need not be whole.
pub fn prepare(
    repo: &Repository,
    writer: &Repository,
    entries: &[Indexed],
    keep: usize,
    sig: &Signature<'_>,
) -> Result<Prepared, StoreError> {
    let after = head(repo);
    let mut objects = Vec::new();
    let current = after
        .and_then(|h| writer.find_commit(h).ok())
        .and_then(|c| c.tree().ok())
        .filter(|_| keep > 0);
    let subtree = |name: &str| {
        current
            .as_ref()
            .and_then(|t| t.get_name(name))
            .and_then(|e| writer.find_tree(e.id()).ok())
    };
    let (old_heads, old_entries) = (subtree(HEADS), subtree(ENTRIES));
    let mut heads = writer.treebuilder(None)?;
    let mut dirs = writer.treebuilder(None)?;
    for b in 0..keep {
        let name = format!("{b:04}");
        let kept = old_heads
            .as_ref()
            .and_then(|t| t.get_name(&format!("{name}.json")).map(|e| e.id()))
            .zip(
                old_entries
                    .as_ref()
                    .and_then(|t| t.get_name(&name).map(|e| e.id())),
            );
        let Some((h, d)) = kept else {
            return Err(StoreError::Git(git2::Error::from_str(
                "the history index lost a bucket it was said to hold",
            )));
        };
        heads.insert(format!("{name}.json"), h, 0o100644)?;
        dirs.insert(&name, d, 0o040000)?;
    }
    for (b, chunk) in entries.chunks(BUCKET as usize).enumerate().skip(keep) {
        let name = format!("{b:04}");
        let (head_bytes, files) = bucket_files(chunk);
        let h = writer.blob(&head_bytes)?;
        objects.push(h);
        heads.insert(format!("{name}.json"), h, 0o100644)?;
        let mut dir = writer.treebuilder(None)?;
        for (file, bytes) in files {
            let blob = writer.blob(&bytes)?;
            objects.push(blob);
            dir.insert(&file, blob, 0o100644)?;
        }
        let d = dir.write()?;
        objects.push(d);
        dirs.insert(&name, d, 0o040000)?;
    }
    let mut root = writer.treebuilder(None)?;
    for (name, tb) in [(HEADS, heads), (ENTRIES, dirs)] {
        let id = tb.write()?;
        objects.push(id);
        root.insert(name, id, 0o040000)?;
    }
    let tree_id = root.write()?;
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
    history_with(store, None, |_, _, _| true)
}

/// [`history`] as a trace of item `id` needs it: each edition's item
/// pairings hold only those that mention `id` (as the item, or as what it
/// was split from or merged into), and the index's entries are read only
/// for the editions whose head says they do, and for the first (whose
/// pairings may list nothing, every item being added); of the others'
/// meeting pairings, only those that renamed a meeting.
pub fn history_of(store: &Store, id: &str) -> Result<(Vec<Indexed>, usize), StoreError> {
    let (mut out, from_records) =
        history_with(store, Some(id), |seq, _, mentioned| mentioned || seq == 1)?;
    for e in &mut out {
        e.pairings.items.retain(|p| {
            p.id == id
                || p.split_from.as_deref() == Some(id)
                || p.merged_into.as_deref() == Some(id)
        });
    }
    Ok((out, from_records))
}

/// [`history`] as an import needs it to append an edition: whole only in
/// the index's last, incomplete bucket (the one an appended edition
/// rewrites); the complete buckets before it are kept as they are.
pub fn history_to_append(store: &Store) -> Result<(Vec<Indexed>, usize), StoreError> {
    let (out, from_records, exact) = history_exact(store, None, |seq, count, _| {
        (seq - 1) / BUCKET >= count / BUCKET
    })?;
    if exact {
        return Ok((out, from_records));
    }
    // An index that is behind, ahead of a shortened branch or diverged is
    // written anew, every entry whole.
    history(store)
}

fn history_with(
    store: &Store,
    item: Option<&str>,
    whole: impl Fn(u64, u64, bool) -> bool,
) -> Result<(Vec<Indexed>, usize), StoreError> {
    history_exact(store, item, whole).map(|(out, from_records, _)| (out, from_records))
}

/// [`history_with`], and whether the index named exactly the branch's
/// commits, no more and no fewer (so that what `whole` decided against
/// the index's length holds for the branch's).
fn history_exact(
    store: &Store,
    item: Option<&str>,
    whole: impl Fn(u64, u64, bool) -> bool,
) -> Result<(Vec<Indexed>, usize, bool), StoreError> {
    let indexed = read_with(store.repo(), item, whole).unwrap_or_default();
    // Followed commit by commit: an index that names another commit at
    // some place (a rewritten branch, or one altered) is not followed
    // past it.
    let commits = store.commits()?;
    let exact = indexed.len() == commits.len();
    let mut indexed = indexed.into_iter();
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
    Ok((out, from_records, exact && from_records == 0))
}

/// How the index stands against the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// It says what the records say, for every edition.
    Agrees,
    /// There is none (a store older than the index), or it is of a version
    /// this livedoc no longer reads (the next import rewrites it).
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

/// Whether the index's tree is of the layout of an earlier version (no
/// heads directory).
fn is_older(repo: &Repository) -> bool {
    head(repo)
        .and_then(|h| repo.find_commit(h).ok())
        .and_then(|c| c.tree().ok())
        .is_some_and(|t| t.get_name(HEADS).is_none())
}

/// Checks every entry and every head of the index against the edition's
/// records: its files must be exactly those livedoc writes for them.
pub fn check(store: &Store) -> Result<Standing, StoreError> {
    if head(store.repo()).is_none() || is_older(store.repo()) {
        return Ok(Standing::Missing);
    }
    let Some(indexed) = read(store.repo()) else {
        return Ok(Standing::Differs(None));
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
    // The files themselves: the heads, and nothing beside the entries.
    let tree = store
        .repo()
        .find_commit(head(store.repo()).expect("checked above"))?
        .tree()?;
    let mut blobs = 0usize;
    tree.walk(git2::TreeWalkMode::PreOrder, |_, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob) {
            blobs += 1;
        }
        git2::TreeWalkResult::Ok
    })?;
    let buckets = indexed.len().div_ceil(BUCKET as usize);
    for (b, chunk) in indexed.chunks(BUCKET as usize).enumerate() {
        let (bytes, _) = bucket_files(chunk);
        let id = Oid::hash_object(git2::ObjectType::Blob, &bytes)?;
        let stored = tree
            .get_path(std::path::Path::new(&heads_path(b as u64)))
            .ok()
            .map(|e| e.id());
        if stored != Some(id) {
            return Ok(Standing::Differs(Some(chunk[0].id.clone())));
        }
    }
    if blobs != indexed.len() + buckets || tree.len() != 2 {
        return Ok(Standing::Differs(None));
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
    let next =
        super::pack::write_as_one_pack(store.path(), store.repo(), store.options().durable, |w| {
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
