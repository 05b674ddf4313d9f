//! Cutting an edition: planning it against the newest stored edition, then
//! writing its objects and moving the refs by compare-and-swap.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use git2::{ErrorCode, ObjectType, Oid, Signature, Time};
use sha2::{Digest, Sha256};

use super::lock::{self, StoreLock};
use super::records::PairingsRecord;
use super::snapshot::{self, NewEdition, Person, Provenance, SourceInfo, Timestamp};
use super::{
    BRANCH, EditionInfo, PAIRINGS_FILE, PENDING_REF, RECORD_FILE, SOURCE_DOCX_FILE, SOURCE_FILE,
    Store, StoreError, ledger, sign, tag_ref,
};
use crate::diff::overrides::{self, Override};
use crate::diff::{self, Added, EditionDiff, Pairing, Sides};
use crate::model::Edition;
use crate::rules::Rules;

/// Where the edition's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFrom {
    Document,
    Flag,
}

/// Everything needed to cut an edition.
#[derive(Debug, Clone)]
pub struct ImportRequest<'a> {
    /// The parsed edition, with freshly minted ids.
    pub edition: Edition,
    pub source: &'a [u8],
    /// The file name it came from (no directories).
    pub source_file: String,
    /// For a Word document, the Markdown livedoc read from it: stored as
    /// `source.md` beside the `.docx` (`source.docx`), so that plain git
    /// can show and diff the text.
    pub derived: Option<&'a str>,
    pub author: Person,
    /// When the edition is cut (SOURCE_DATE_EPOCH in tests).
    pub time: Timestamp,
    pub date_from: DateFrom,
    /// An SSH private key to sign the edition's tag with.
    pub sign_key: Option<PathBuf>,
    /// Pairings the secretariat confirmed or overrode.
    pub overrides: Vec<Override>,
}

/// What an import would do.
#[derive(Debug, Clone)]
pub enum Plan {
    /// A new edition, with ids carried from the newest stored edition.
    New(Box<Planned>),
    /// The same bytes are already stored under this id.
    AlreadyPresent(Box<EditionInfo>),
}

/// A new edition as it would be stored.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The edition with its permanent ids.
    pub edition: Edition,
    /// What it changes compared with the edition it follows.
    pub report: EditionDiff,
    /// Ids retired once it is in.
    pub retired: BTreeSet<String>,
    /// The commit it would follow.
    pub parent: Option<Oid>,
}

/// Plans `edition` as the successor of `previous` (with the ids retired
/// before it, and the items withdrawn under them that `edition` may
/// restore: [`Store::withdrawn_before`]) under the matching `rules`: pairs
/// its items, carries ids, and reports what it changes.
pub fn plan_after(
    previous: Option<(&Edition, &BTreeSet<String>)>,
    withdrawn: &[diff::Withdrawn],
    edition: &Edition,
    parent: Option<Oid>,
    overrides: &[Override],
    rules: Rules,
) -> Result<Planned, StoreError> {
    let empty = diff::empty_like(edition);
    let none = BTreeSet::new();
    let (old, retired) = previous.unwrap_or((&empty, &none));
    let (forced, apart) =
        overrides::resolve(overrides, old, edition).map_err(|errors| StoreError::Overrides {
            file: overrides.iter().find_map(|o| o.file.clone()),
            errors,
        })?;
    let d = diff::compare(
        old,
        edition,
        &Pairing::ByRules {
            rules,
            forced,
            apart,
        },
        Sides {
            retired: retired.clone(),
            withdrawn: withdrawn.to_vec(),
            ..Sides::named(old, edition)
        },
    );
    Ok(Planned {
        edition: d.edition,
        report: d.report,
        retired: d.retired,
        parent,
    })
}

/// What an import did.
#[derive(Debug, Clone)]
pub enum ImportOutcome {
    Imported {
        info: Box<EditionInfo>,
        edition: Edition,
        report: Box<EditionDiff>,
    },
    AlreadyPresent(Box<EditionInfo>),
    /// An earlier import of this edition was interrupted after the branch
    /// moved; this one gave it the tag and ledger entry it lacked.
    Completed(Box<EditionInfo>),
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Attempts at moving the branch before giving up on contention. Every
/// livedoc writer holds the store lock, so the branch moves under an
/// import only when something else writes the store (a `git push` into
/// it): a few attempts ride that out; more would only hide it.
const MAX_ATTEMPTS: u32 = 5;

/// Sleeps before attempt `n` (from 1): exponential, capped, jittered.
fn back_off(n: u32) {
    let base_ms = 2u64.saturating_pow(n.min(7)).min(100);
    let jitter = fastrand::u64(0..=base_ms);
    std::thread::sleep(Duration::from_millis(base_ms / 2 + jitter));
}

/// How long a writer waits for a git ref lock before naming it: git holds
/// one only while it writes that ref.
const REF_LOCK_WAIT: Duration = Duration::from_secs(2);

impl Store {
    /// Decides what importing `req` would do, without writing anything.
    pub fn plan(&self, req: &ImportRequest<'_>) -> Result<Plan, StoreError> {
        let id = req.edition.id.as_str();
        let parent = self.head()?;
        if let Some(existing) = self.find(id)? {
            let given = sha256_hex(req.source);
            if existing.meta.source.sha256 == given {
                return Ok(Plan::AlreadyPresent(Box::new(existing)));
            }
            return Err(StoreError::Exists {
                id: id.to_string(),
                stored: existing.meta.source.sha256,
                given,
            });
        }
        let mut withdrawn = Vec::new();
        let prev = match parent {
            Some(c) => {
                let info = self.info(c)?;
                let edition = self.load(&info)?;
                withdrawn = self.withdrawn_before(&info, &req.edition)?;
                let retired: BTreeSet<String> = info.meta.retired_ids.into_iter().collect();
                Some((edition, retired))
            }
            None => None,
        };
        Ok(Plan::New(Box::new(plan_after(
            prev.as_ref().map(|(e, r)| (e, r)),
            &withdrawn,
            &req.edition,
            parent,
            &req.overrides,
            Rules::CURRENT,
        )?)))
    }

    /// Cuts the edition: writes its commit on the editions branch and its
    /// tag. Importing the same bytes under the same id again is a no-op.
    pub fn import(&self, req: &ImportRequest<'_>) -> Result<ImportOutcome, StoreError> {
        // Fail on a bad author or signing key before writing any object.
        self.signature(req)?;
        if let Some(key) = &req.sign_key {
            sign::sign("livedoc: checking the signing key\n", key)?;
        }
        // One writer at a time, so the ledger follows the branch's order.
        let _lock = StoreLock::acquire(&self.path, lock::WAIT)?;
        // Temporary packs a killed or failed write left (a full disk)
        // are livedoc's own, and no other writer runs now.
        let _ = super::pack::remove_temp_packs(&self.path);
        // An import of this store that was interrupted is finished (or, if
        // the branch never moved, forgotten) before anything else.
        let finished = crate::store::repair::finish_pending(self)?;
        let mut locked_since: Option<Instant> = None;
        let mut moved_under_us = 0;
        loop {
            let planned = match self.plan(req)? {
                Plan::AlreadyPresent(info) => {
                    if info.tag.is_none() || !ledger::records(&self.repo, info.commit)? {
                        return Err(StoreError::Unsealed {
                            id: info.meta.id.clone(),
                        });
                    }
                    let completed = finished
                        .iter()
                        .any(|r| r.edition.as_deref() == Some(info.meta.id.as_str()));
                    return Ok(if completed {
                        ImportOutcome::Completed(info)
                    } else {
                        ImportOutcome::AlreadyPresent(info)
                    });
                }
                Plan::New(planned) => *planned,
            };
            let parent = planned.parent;
            // Every new object (snapshot, commit, tag, ledger entry) goes
            // into one pack before any ref names it.
            let sig = self.signature(req)?;
            // The history index so far (from the records where it is
            // missing or behind, which an older store's first import pays
            // once).
            let (mut history, from_records) = super::index::history_to_append(self)?;
            // Appending to a complete index leaves its full files as they are.
            let keep = if from_records == 0 {
                history.len() / super::index::BUCKET as usize
            } else {
                0
            };
            let (commit, tag, entry, index) = super::pack::write_as_one_pack(
                &self.path,
                &self.repo,
                self.options.durable,
                |w| {
                    let (commit, digest, meta, mut objects) =
                        self.write_commit(w, req, &planned)?;
                    let tag = self.write_tag_object(
                        w,
                        req,
                        &planned.edition,
                        &planned.report.added(),
                        commit,
                    )?;
                    let entry = ledger::prepare(
                        &self.repo,
                        w,
                        &planned.edition.id,
                        commit,
                        tag,
                        &digest,
                        &sig,
                    )?;
                    objects.push(tag);
                    objects.extend(&entry.objects);
                    let info = EditionInfo {
                        meta,
                        commit,
                        tag: Some(tag),
                    };
                    history.push(super::index::Indexed::from_records(
                        history.len() as u64 + 1,
                        &info,
                        super::records::PairingsRecord::stored_form(snapshot::pairings(
                            &planned.report,
                        )),
                    ));
                    let index = super::index::prepare(&self.repo, w, &history, keep, &sig)?;
                    objects.extend(&index.objects);
                    Ok(((commit, tag, entry, index), objects))
                },
            )?;
            failpoint("import:objects-written");
            // Recorded as livedoc's own before it is published.
            self.set_pending(commit)?;
            let message = format!("livedoc: cut edition {}", planned.edition.id);
            match self.repo.reference_matching(
                BRANCH,
                commit,
                true,
                parent.unwrap_or(Oid::ZERO_SHA1),
                &message,
            ) {
                Ok(_) => {
                    failpoint("import:branch-moved");
                    let tag = match self.seal(&planned.edition.id, tag, &entry) {
                        Ok(tag) => tag,
                        Err((cause, tag_written)) => {
                            return Err(self.undo(
                                &planned.edition.id,
                                parent,
                                commit,
                                tag_written.then_some(tag),
                                cause,
                            ));
                        }
                    };
                    self.clear_pending()?;
                    // The index is derived: if its ref cannot move, readers
                    // read the records of this edition, and doctor rebuilds it.
                    let _ = super::index::publish(&self.repo, &index);
                    // Small packs roll up now and then; a failure here
                    // loses nothing (the edition is sealed), so it is only
                    // left for the next import.
                    let _ = super::pack::consolidate(&self.path, &self.repo);
                    let meta = self.meta(commit)?;
                    return Ok(ImportOutcome::Imported {
                        info: Box::new(EditionInfo {
                            meta,
                            commit,
                            tag: Some(tag),
                        }),
                        edition: planned.edition,
                        report: Box::new(planned.report),
                    });
                }
                // Another writer moved the branch: the commit just written
                // is unreachable garbage; plan again on top of the new head.
                Err(e) if e.code() == ErrorCode::Modified => {
                    self.clear_pending()?;
                    moved_under_us += 1;
                    if moved_under_us == MAX_ATTEMPTS {
                        return Err(StoreError::Contended {
                            attempts: MAX_ATTEMPTS,
                        });
                    }
                    back_off(moved_under_us);
                }
                // The branch's lock file is there. Every livedoc writer
                // holds the store lock, so it belongs to a git process (a
                // push into the store) or was left by a killed one: wait a
                // moment, then name it.
                Err(e) if e.code() == ErrorCode::Locked => {
                    self.clear_pending()?;
                    let since = *locked_since.get_or_insert_with(Instant::now);
                    if since.elapsed() > REF_LOCK_WAIT {
                        return Err(StoreError::RefLocked {
                            path: self.ref_lock(BRANCH),
                        });
                    }
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(e) => {
                    self.clear_pending()?;
                    return Err(e.into());
                }
            }
        }
    }

    /// The path of the lock file git writes beside a ref while it moves.
    pub(crate) fn ref_lock(&self, name: &str) -> PathBuf {
        self.path.join(format!("{name}.lock"))
    }

    /// Points [`PENDING_REF`] at the commit about to be published.
    fn set_pending(&self, commit: Oid) -> Result<(), StoreError> {
        self.repo
            .reference(PENDING_REF, commit, true, "livedoc: cutting an edition")
            .map_err(|e| self.ref_error(PENDING_REF, e))?;
        Ok(())
    }

    /// Removes [`PENDING_REF`], if present.
    pub(crate) fn clear_pending(&self) -> Result<(), StoreError> {
        match self.repo.find_reference(PENDING_REF) {
            Ok(mut r) => r.delete().map_err(|e| self.ref_error(PENDING_REF, e)),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// The commit [`PENDING_REF`] names, if any.
    pub(crate) fn pending(&self) -> Result<Option<Oid>, StoreError> {
        match self.repo.find_reference(PENDING_REF) {
            Ok(r) => Ok(r.target()),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// A failed ref update, named by its real cause: a lock file left in
    /// the way is named with its path.
    fn ref_error(&self, name: &str, e: git2::Error) -> StoreError {
        if e.code() == ErrorCode::Locked {
            StoreError::RefLocked {
                path: self.ref_lock(name),
            }
        } else {
            e.into()
        }
    }

    /// Writes an edition's tag ref and its ledger entry once its commit is
    /// on the branch. On failure, says whether the tag ref was written.
    fn seal(
        &self,
        id: &str,
        tag: Oid,
        entry: &ledger::Prepared,
    ) -> Result<Oid, (StoreError, bool)> {
        let tag = self.write_tag_ref(id, tag).map_err(|e| (e, false))?;
        failpoint("import:tag-written");
        ledger::publish(&self.repo, entry).map_err(|e| {
            let e = match e {
                StoreError::Git(g) => self.ref_error(ledger::LEDGER_REF, g),
                e => e,
            };
            (e, true)
        })?;
        Ok(tag)
    }

    /// Undoes a publication that could not be sealed: deletes the tag ref
    /// if it was written, moves the branch back to `parent`, forgets the
    /// pending edition. Returns the error to report: the cause, or, when
    /// undoing failed too, both (the pending ref then stays, so that
    /// `doctor` or the same import finishes the edition).
    fn undo(
        &self,
        id: &str,
        parent: Option<Oid>,
        commit: Oid,
        tag: Option<Oid>,
        cause: StoreError,
    ) -> StoreError {
        let undone = (|| -> Result<(), StoreError> {
            if let Some(tag) = tag
                && let Ok(mut r) = self.repo.find_reference(&tag_ref(id))
                && r.target() == Some(tag)
            {
                r.delete().map_err(|e| self.ref_error(&tag_ref(id), e))?;
            }
            let message = format!("livedoc: undo the unfinished edition {id}");
            match parent {
                Some(p) => {
                    self.repo
                        .reference_matching(BRANCH, p, true, commit, &message)
                        .map_err(|e| self.ref_error(BRANCH, e))?;
                }
                None => {
                    let mut r = self.repo.find_reference(BRANCH)?;
                    if r.target() == Some(commit) {
                        r.delete().map_err(|e| self.ref_error(BRANCH, e))?;
                    }
                }
            }
            self.clear_pending()
        })();
        match undone {
            Ok(()) => cause,
            Err(undo) => StoreError::Interrupted {
                id: id.to_string(),
                cause: Box::new(cause),
                undo: Box::new(undo),
            },
        }
    }

    /// The git signature of who cuts the edition. Git accepts an empty
    /// email but libgit2 does not, so a missing one is written as
    /// `unknown`; the edition's provenance keeps exactly what was given.
    fn signature(&self, req: &ImportRequest<'_>) -> Result<Signature<'static>, StoreError> {
        git_signature(&req.author, &req.time)
    }

    /// Writes the edition's objects and commit; returns the commit and the
    /// sha256 of its snapshot.
    fn write_commit(
        &self,
        repo: &git2::Repository,
        req: &ImportRequest<'_>,
        planned: &Planned,
    ) -> Result<(Oid, String, snapshot::EditionMeta, Vec<Oid>), StoreError> {
        let edition = &planned.edition;
        let added = planned.report.added();
        let cut_at = req.time.clone();
        let source = SourceInfo {
            file: req.source_file.clone(),
            sha256: sha256_hex(req.source),
            bytes: req.source.len() as u64,
            reader: req.derived.is_some().then_some(crate::parse::docx::READER),
        };
        let provenance = Provenance {
            cut_by: req.author.clone(),
            cut_at,
            livedoc_version: env!("CARGO_PKG_VERSION").to_string(),
            overrides: req.overrides.clone(),
            date_from: req.date_from,
        };
        let summary = added.sentence();
        let snapshot::Files {
            meta,
            record: record_bytes,
            meetings: files,
        } = snapshot::to_files(NewEdition {
            edition,
            added,
            changes: planned.report.summary.clone(),
            retired_ids: planned.retired.iter().cloned().collect(),
            source,
            provenance,
        });
        let pairings_bytes = PairingsRecord::current(&snapshot::pairings(&planned.report)).encode();
        let mut all: Vec<(&str, &[u8])> = vec![
            (RECORD_FILE, &record_bytes),
            (PAIRINGS_FILE, &pairings_bytes),
        ];
        match req.derived {
            Some(md) => {
                all.push((SOURCE_DOCX_FILE, req.source));
                all.push((SOURCE_FILE, md.as_bytes()));
            }
            None => all.push((SOURCE_FILE, req.source)),
        }
        all.extend(files.iter().map(|(p, b)| (p.as_str(), b.as_slice())));
        let digest = ledger::snapshot_digest(all.iter().copied());

        let mut tree = TreeNode::default();
        let mut objects = Vec::with_capacity(all.len() * 2);
        for (path, bytes) in all {
            let blob = repo.blob(bytes)?;
            objects.push(blob);
            tree.insert(path, blob);
        }
        let tree_id = tree.write(repo, &mut objects)?;
        let tree = repo.find_tree(tree_id)?;

        let sig = self.signature(req)?;
        let parents = match planned.parent {
            Some(p) => vec![repo.find_commit(p)?],
            None => Vec::new(),
        };
        let parent_refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let message = commit_message(&edition.id, edition.date, &summary, &meta.source.sha256);
        let commit = repo.commit(None, &sig, &sig, &message, &tree, &parent_refs)?;
        objects.push(commit);
        Ok((commit, digest, meta, objects))
    }

    /// Writes the edition's annotated (and, if asked, signed) tag object;
    /// its ref is created once the edition is on the branch. Done before
    /// the branch moves, so a key that cannot sign stops the import while
    /// nothing is published yet.
    fn write_tag_object(
        &self,
        repo: &git2::Repository,
        req: &ImportRequest<'_>,
        edition: &Edition,
        added: &Added,
        commit: Oid,
    ) -> Result<Oid, StoreError> {
        let message = tag_message(&edition.id, edition.date, added);
        let sig = self.signature(req)?;
        let name = super::tag_name(&edition.id);
        Ok(match &req.sign_key {
            Some(key) => {
                let payload = sign::tag_payload(commit, &name, &sig, &message);
                let signature = sign::sign(&payload, key)?;
                let bytes = format!("{payload}{signature}");
                repo.odb()?.write(ObjectType::Tag, bytes.as_bytes())?
            }
            None => {
                let target = repo.find_object(commit, Some(ObjectType::Commit))?;
                repo.tag_annotation_create(&name, &target, &sig, &message)?
            }
        })
    }

    /// Creates an edition's tag ref, only if absent (compare-and-swap
    /// against the zero id). A lock file in the way is waited for a moment,
    /// then named.
    fn write_tag_ref(&self, id: &str, tag: Oid) -> Result<Oid, StoreError> {
        let name = tag_ref(id);
        let since = Instant::now();
        for attempt in 1.. {
            match self.repo.reference_matching(
                &name,
                tag,
                true,
                Oid::ZERO_SHA1,
                "livedoc: tag edition",
            ) {
                Ok(_) => return Ok(tag),
                Err(e) if e.code() == ErrorCode::Locked && since.elapsed() <= REF_LOCK_WAIT => {
                    back_off(attempt)
                }
                Err(e) if e.code() == ErrorCode::Modified || e.code() == ErrorCode::Exists => {
                    return Err(StoreError::TagRace { id: id.to_string() });
                }
                Err(e) => return Err(self.ref_error(&name, e)),
            }
        }
        unreachable!("the loop returns")
    }
}

/// A directory tree of blobs, written bottom-up into git trees.
#[derive(Default)]
pub(crate) struct TreeNode {
    blobs: BTreeMap<String, Oid>,
    dirs: BTreeMap<String, TreeNode>,
}

impl TreeNode {
    pub(crate) fn insert(&mut self, path: &str, blob: Oid) {
        match path.split_once('/') {
            Some((dir, rest)) => self
                .dirs
                .entry(dir.to_string())
                .or_default()
                .insert(rest, blob),
            None => {
                self.blobs.insert(path.to_string(), blob);
            }
        }
    }

    /// Writes the trees bottom-up; `written` hears of every tree's id.
    pub(crate) fn write(
        &self,
        repo: &git2::Repository,
        written: &mut Vec<Oid>,
    ) -> Result<Oid, git2::Error> {
        let mut builder = repo.treebuilder(None)?;
        for (name, oid) in &self.blobs {
            builder.insert(name, *oid, 0o100644)?;
        }
        for (name, dir) in &self.dirs {
            builder.insert(name, dir.write(repo, written)?, 0o040000)?;
        }
        let id = builder.write()?;
        written.push(id);
        Ok(id)
    }
}

/// The git signature an import writes for `who` at `time` (commit
/// author and committer, tagger, ledger entry). Git accepts an empty
/// email but libgit2 does not, so a missing one is written as `unknown`.
pub(crate) fn git_signature(
    who: &Person,
    time: &Timestamp,
) -> Result<Signature<'static>, StoreError> {
    let email = if who.email.is_empty() {
        "unknown"
    } else {
        &who.email
    };
    Ok(Signature::new(
        &who.name,
        email,
        &Time::new(time.at().timestamp(), 0),
    )?)
}

/// The message of an edition's commit; `summary` is what it added, as
/// [`Added::sentence`] says it.
pub(crate) fn commit_message(
    id: &str,
    date: crate::model::EditionDate,
    summary: &str,
    source_sha256: &str,
) -> String {
    format!(
        "Edition {id} ({date})\n\nAdded {summary}.\n\nEdition-Id: {id}\nSource-Sha256: {source_sha256}\n",
        date = date.long(),
    )
}

/// The message of an edition's tag: what it added, meeting by meeting.
pub(crate) fn tag_message(id: &str, date: crate::model::EditionDate, added: &Added) -> String {
    let mut message = format!(
        "Edition {id} ({})\n\nAdded {}.\n",
        date.long(),
        added.sentence()
    );
    for m in &added.by_meeting {
        message.push_str(&format!(
            "- {} {}{}: {}\n",
            m.year,
            m.body,
            if m.new_meeting { " (new)" } else { "" },
            m.items.join(", ")
        ));
    }
    message
}

/// For crash tests: when `LIVEDOC_TEST_FAILPOINT` names this step, the
/// process aborts here, as if killed, leaving whatever it wrote so far
/// (and its lock file). Never set outside tests.
pub(crate) fn failpoint(step: &str) {
    if std::env::var_os("LIVEDOC_TEST_FAILPOINT").is_some_and(|v| v == step) {
        std::process::abort();
    }
}
