//! The ledger: an append-only, hash-chained record of every edition cut,
//! kept under its own ref (`refs/livedoc/ledger`) as a chain of commits
//! whose tree holds one `entry.json`. Each entry names the edition, its
//! commit and tag, the sha256 of its snapshot and the hash of the entry
//! before it, so rewriting any edition, tag or entry shows.
//!
//! An auditor can read it with plain git:
//! `git log -p refs/livedoc/ledger` or
//! `git show refs/livedoc/ledger:entry.json`.

use std::path::Path;

use git2::{ErrorCode, Oid, Repository, Signature, Tree};
use sha2::{Digest, Sha256};

use super::StoreError;
use super::records::{self, LedgerRecord};

/// The ref of the ledger.
pub const LEDGER_REF: &str = "refs/livedoc/ledger";
/// The file that holds an entry in each ledger commit.
pub const ENTRY_FILE: &str = "entry.json";
/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One edition, as the ledger recorded it when it was cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    /// The record version its `entry.json` was written in.
    pub record_version: u32,
    /// 1 for the first edition, then 2, 3, ...
    pub seq: u64,
    pub edition: String,
    pub commit: String,
    pub tag: String,
    /// See [`snapshot_digest`].
    pub snapshot_sha256: String,
    /// `entry_sha256` of the entry before, or [`GENESIS`].
    pub prev_entry_sha256: String,
    /// sha256 of this entry's canonical JSON with this field empty.
    pub entry_sha256: String,
}

impl LedgerEntry {
    /// The hash that seals this entry: over its `entry.json`, in the
    /// version it was written in, with `entry_sha256` empty.
    pub fn compute_hash(&self) -> String {
        let mut unsealed = self.clone();
        unsealed.entry_sha256 = String::new();
        match LedgerRecord::project(self.record_version, &unsealed) {
            Some(r) => hex::encode(Sha256::digest(r.encode())),
            // No livedoc wrote this version: nothing can match the seal.
            None => String::new(),
        }
    }

    pub fn seal(mut self) -> Self {
        self.entry_sha256 = self.compute_hash();
        self
    }
}

/// The sha256 of an edition's snapshot: over every file of its tree in
/// path order, `path NUL sha256(content) LF`. It does not depend on git's
/// object format, so it can be recomputed from the files alone.
pub fn snapshot_digest<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut files: Vec<(&str, &[u8])> = files.into_iter().collect();
    files.sort_by(|a, b| a.0.cmp(b.0));
    let mut h = Sha256::new();
    for (path, bytes) in files {
        h.update(path.as_bytes());
        h.update([0]);
        h.update(hex::encode(Sha256::digest(bytes)).as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

/// [`snapshot_digest`] of a commit's files as [`tree_files`] reads them.
pub fn digest_of_files(files: &[(String, Vec<u8>)]) -> String {
    snapshot_digest(files.iter().map(|(p, b)| (p.as_str(), b.as_slice())))
}

/// Every file of a tree, with its path, read from the repository.
pub fn tree_files(
    repo: &Repository,
    tree: &Tree<'_>,
) -> Result<Vec<(String, Vec<u8>)>, git2::Error> {
    let mut out = Vec::new();
    let mut err = None;
    let walked = tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob) {
            let path = format!("{dir}{}", entry.name().unwrap_or_default());
            match super::read_blob(repo, entry.id(), super::file_limit(&path)) {
                Ok(b) => out.push((path, b)),
                Err(e) => {
                    err = Some(git2::Error::from_str(&format!("{path} {e}")));
                    return git2::TreeWalkResult::Abort;
                }
            }
        }
        git2::TreeWalkResult::Ok
    });
    // The error that stopped the walk says more than the walk's own.
    match (err, walked) {
        (Some(e), _) | (None, Err(e)) => Err(e),
        (None, Ok(())) => Ok(out),
    }
}

/// The ledger's head commit, if any.
pub fn head(repo: &Repository) -> Result<Option<Oid>, StoreError> {
    match repo.find_reference(LEDGER_REF) {
        Ok(r) => Ok(r.target()),
        Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The entry of one ledger commit and whether its bytes are canonical, or
/// why it cannot be read.
pub(crate) fn entry_of(repo: &Repository, commit: Oid) -> Result<(LedgerEntry, bool), String> {
    let commit = repo
        .find_commit(commit)
        .map_err(|e| e.message().to_string())?;
    let tree = commit.tree().map_err(|e| e.message().to_string())?;
    let e = tree
        .get_path(Path::new(ENTRY_FILE))
        .map_err(|_| format!("{ENTRY_FILE} is missing"))?;
    let blob = super::read_blob(repo, e.id(), super::MAX_RECORD_BYTES)
        .map_err(|e| format!("{ENTRY_FILE} {e}"))?;
    LedgerRecord::decode(&blob)
        .map(|r| (r.to_entry(), r.encode() == blob))
        .map_err(|e| e.to_string())
}

/// One ledger commit and its entry.
#[derive(Debug, Clone)]
pub struct LedgerCommit {
    pub commit: Oid,
    /// The entry, or why it could not be read.
    pub entry: Result<LedgerEntry, String>,
    /// How many parents the commit has (a ledger is a single chain).
    pub parents: usize,
    /// Whether its `entry.json` is the bytes its record writes (the seal
    /// covers the entry's fields, not its layout: a field added or the
    /// whitespace changed leaves the seal whole).
    pub canonical: bool,
}

/// The ledger's commits, oldest first.
pub fn read(repo: &Repository) -> Result<Vec<LedgerCommit>, StoreError> {
    let Some(mut cur) = head(repo)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    loop {
        let commit = repo.find_commit(cur)?;
        let (entry, canonical) = match entry_of(repo, cur) {
            Ok((e, canonical)) => (Ok(e), canonical),
            Err(e) => (Err(e), true),
        };
        out.push(LedgerCommit {
            commit: cur,
            entry,
            parents: commit.parent_count(),
            canonical,
        });
        match commit.parent_id(0) {
            Ok(p) => cur = p,
            Err(_) => break,
        }
    }
    out.reverse();
    Ok(out)
}

/// Whether the ledger has an entry for this edition commit.
pub fn records(repo: &Repository, commit: Oid) -> Result<bool, StoreError> {
    let commit = commit.to_string();
    Ok(read(repo)?
        .iter()
        .any(|c| c.entry.as_ref().is_ok_and(|e| e.commit == commit)))
}

/// Appends an entry for an edition, chained to the last one; the ref moves
/// by compare-and-swap from the head that was read.
pub fn append(
    repo: &Repository,
    edition: &str,
    commit: Oid,
    tag: Oid,
    snapshot_sha256: &str,
    sig: &Signature<'_>,
) -> Result<LedgerEntry, StoreError> {
    let next = prepare(repo, repo, edition, commit, tag, snapshot_sha256, sig)?;
    publish(repo, &next)?;
    Ok(next.entry)
}

/// A ledger entry written as objects, its ref not yet moved.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub entry: LedgerEntry,
    /// The ledger commit holding it.
    pub commit: Oid,
    /// The ledger's head it follows (the ref moves only from there).
    pub after: Option<Oid>,
    /// Every object written for it.
    pub objects: Vec<Oid>,
}

/// Writes the objects of the next ledger entry through `writer` (which
/// may hold them in memory until they are packed), reading the chain from
/// `repo`; [`publish`] then moves the ref.
pub fn prepare(
    repo: &Repository,
    writer: &Repository,
    edition: &str,
    commit: Oid,
    tag: Oid,
    snapshot_sha256: &str,
    sig: &Signature<'_>,
) -> Result<Prepared, StoreError> {
    let head = head(repo)?;
    let last = match head {
        None => None,
        Some(h) => Some(
            entry_of(repo, h)
                .map(|(e, _)| e)
                .map_err(|what| StoreError::Corrupt {
                    commit: h,
                    what: format!("its ledger entry cannot be read: {what}"),
                })?,
        ),
    };
    let entry = LedgerEntry {
        record_version: records::LEDGER_CURRENT,
        seq: last.as_ref().map_or(1, |l| l.seq + 1),
        edition: edition.to_string(),
        commit: commit.to_string(),
        tag: tag.to_string(),
        snapshot_sha256: snapshot_sha256.to_string(),
        prev_entry_sha256: last
            .as_ref()
            .map_or_else(|| GENESIS.to_string(), |l| l.entry_sha256.clone()),
        entry_sha256: String::new(),
    }
    .seal();
    let blob = writer.blob(&LedgerRecord::current(&entry).encode())?;
    let mut tb = writer.treebuilder(None)?;
    tb.insert(ENTRY_FILE, blob, 0o100644)?;
    let tree_id = tb.write()?;
    let tree = writer.find_tree(tree_id)?;
    let parents = match head {
        Some(h) => vec![writer.find_commit(h)?],
        None => Vec::new(),
    };
    let parent_refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
    let message = format!("Ledger entry {}: edition {edition}\n", entry.seq);
    let c = writer.commit(None, sig, sig, &message, &tree, &parent_refs)?;
    Ok(Prepared {
        entry,
        commit: c,
        after: head,
        objects: vec![blob, tree_id, c],
    })
}

/// Moves the ledger's ref to a prepared entry, by compare-and-swap from
/// the head it was prepared after.
pub fn publish(repo: &Repository, next: &Prepared) -> Result<(), StoreError> {
    repo.reference_matching(
        LEDGER_REF,
        next.commit,
        true,
        next.after.unwrap_or(Oid::ZERO_SHA1),
        "livedoc: ledger entry",
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_order_independent_and_content_sensitive() {
        let a = snapshot_digest([("b", &b"2"[..]), ("a", &b"1"[..])]);
        let b = snapshot_digest([("a", &b"1"[..]), ("b", &b"2"[..])]);
        assert_eq!(a, b);
        assert_ne!(a, snapshot_digest([("a", &b"1"[..]), ("b", &b"3"[..])]));
        assert_ne!(a, snapshot_digest([("a", &b"1"[..]), ("c", &b"2"[..])]));
    }

    #[test]
    fn sealing_covers_every_field() {
        let e = LedgerEntry {
            record_version: 1,
            seq: 1,
            edition: "2024-04".into(),
            commit: "c".into(),
            tag: "t".into(),
            snapshot_sha256: "s".into(),
            prev_entry_sha256: GENESIS.into(),
            entry_sha256: String::new(),
        }
        .seal();
        assert_eq!(e.entry_sha256, e.compute_hash());
        let mut forged = e.clone();
        forged.commit = "d".into();
        assert_ne!(forged.compute_hash(), e.entry_sha256);
    }
}
