//! `doctor`: completes what an interrupted import left half done, and
//! only that. It adds; it never removes or moves published data.
//!
//! An import writes, in this order: the edition's objects (commit, tag
//! object), the pending ref naming its commit ([`crate::store::PENDING_REF`]), the
//! editions branch, the tag ref, the ledger entry, and removes the pending
//! ref. A crash can therefore leave:
//! - unreferenced objects (before the branch moved): harmless, nothing is
//!   published; a pending ref naming a commit that is not on the branch is
//!   removed;
//! - the pending edition on the branch without its tag and ledger entry,
//!   or with its tag but without its ledger entry: if it is what its own
//!   source imports to, the doctor re-creates the tag (the same annotated
//!   tag the import writes, unsigned) and appends the ledger entry from the
//!   snapshot. An edition on the branch that no import was cutting (added
//!   with plain git, or pulled from a remote without its tag), or that
//!   does not re-import to its own snapshot, is never sealed: `verify`
//!   reports it;
//! - a ledger entry whose tag ref was deleted: the doctor re-creates the
//!   ref from the tag object the ledger recorded;
//! - the writers' lock of a process that is no longer running: the doctor
//!   removes it, and says so; and git ref locks older than
//!   [`STALE_REF_LOCK`] (git holds one only while it writes that ref).
//!
//! Anything else `verify` finds (an altered snapshot, a moved tag, a
//! rewritten branch) is tampering, not an interrupted import: the doctor
//! reports it and repairs nothing. Running it twice does nothing the
//! second time.

use git2::{ObjectType, Oid};

use crate::store::audit::{self, VerifyOptions, Violation, ViolationKind};
use crate::store::lock::{self, Blocked, StoreLock};
use crate::store::{STALE_REF_LOCK, Store, StoreError, ledger, tag_message, tag_name, tag_ref};

/// The kind of a repair: a stable name scripts may match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepairKind {
    LockRemoved,
    RefLockRemoved,
    TagRecreated,
    TagRefRestored,
    LedgerEntryAdded,
    PendingCleared,
    PullFinished,
    IncomingCleared,
    IndexRebuilt,
}

impl RepairKind {
    /// The stable name, as `doctor --format json` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            RepairKind::LockRemoved => "lock-removed",
            RepairKind::RefLockRemoved => "ref-lock-removed",
            RepairKind::TagRecreated => "tag-recreated",
            RepairKind::TagRefRestored => "tag-ref-restored",
            RepairKind::LedgerEntryAdded => "ledger-entry-added",
            RepairKind::PendingCleared => "pending-cleared",
            RepairKind::PullFinished => "pull-finished",
            RepairKind::IncomingCleared => "incoming-cleared",
            RepairKind::IndexRebuilt => "index-rebuilt",
        }
    }
}

/// One thing the doctor did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub kind: RepairKind,
    pub edition: Option<String>,
    pub message: String,
}

/// What the doctor did and what is still wrong.
#[derive(Debug, Clone, Default)]
pub struct DoctorReport {
    pub repairs: Vec<Repair>,
    /// What `verify` finds after the repairs: tampering the doctor does
    /// not touch.
    pub remaining: Vec<Violation>,
    /// What the user should do about what the doctor could not finish.
    pub advice: Vec<String>,
}

impl DoctorReport {
    pub fn ok(&self) -> bool {
        self.remaining.is_empty()
    }
}

/// Completes interrupted imports in `store`; see the module docs.
pub fn doctor(store: &Store) -> Result<DoctorReport, StoreError> {
    let mut checking = None;
    let store = store.checking(&mut checking)?;
    let mut report = DoctorReport::default();
    let _lock = match StoreLock::acquire(store.path(), std::time::Duration::from_secs(5)) {
        Err(StoreError::Locked {
            path,
            blocked: Blocked::Abandoned { pid },
        }) => {
            std::fs::remove_file(&path).map_err(StoreError::io(&path))?;
            report.repairs.push(Repair {
                kind: RepairKind::LockRemoved,
                edition: None,
                message: Blocked::removed(pid, &path),
            });
            let held = StoreLock::acquire(store.path(), lock::WAIT)?;
            // Every livedoc writer holds the writers' lock while it writes
            // a ref, so ref locks under it were left by that dead process.
            remove_ref_locks(store, None, &mut report)?;
            held
        }
        other => other?,
    };
    // Ref locks left by a killed git process (a push into the store).
    remove_ref_locks(store, Some(STALE_REF_LOCK), &mut report)?;
    report.repairs.extend(finish_pending(store)?);
    // A pull killed while it moved refs is finished; what an interrupted
    // push or pull fetched before it moved anything is forgotten.
    match crate::store::sync::finish_interrupted(store) {
        Ok(Some(message)) => report.repairs.push(Repair {
            kind: if message.starts_with("finished") {
                RepairKind::PullFinished
            } else {
                RepairKind::IncomingCleared
            },
            edition: None,
            message,
        }),
        Ok(None) => {}
        Err(e) => report.advice.push(format!(
            "an interrupted pull could not be finished ({e}); run livedoc pull again"
        )),
    }

    let repo = store.repo();
    let commits = store.commits()?;
    let entries: Vec<ledger::LedgerEntry> = match ledger::read(repo) {
        Ok(list) => list.into_iter().filter_map(|c| c.entry.ok()).collect(),
        Err(_) => Vec::new(),
    };
    // The ledger must be a prefix of the branch; otherwise this is not an
    // interrupted import, and verify will say what it is.
    let prefix = entries.len() <= commits.len()
        && entries
            .iter()
            .zip(&commits)
            .all(|(e, c)| e.commit == c.to_string());
    if prefix {
        for e in &entries {
            restore_tag_ref(store, e, &mut report)?;
        }
    }
    // The history index, rebuilt from the records when it says something
    // else than they do. A store older than the index has none, and gets
    // one with its next import.
    // One that is only behind (an import killed before its index moved)
    // is caught up by the next import, and read around until then.
    use crate::store::index::Standing;
    if let (Ok(Standing::Differs(_)), Some(sig)) = (
        crate::store::index::check(store),
        crate::store::index::signature_of_newest(store)?,
    ) {
        let n = crate::store::index::rebuild(store, &sig)?;
        report.repairs.push(Repair {
            kind: RepairKind::IndexRebuilt,
            edition: None,
            message: format!(
                "rebuilt the history index from the records of {}",
                crate::text::plural(n, "edition", "editions")
            ),
        });
    }
    report.remaining = audit::verify(store, &VerifyOptions::default())?.violations;
    Ok(report)
}

/// Finishes the import [`crate::store::PENDING_REF`] names, with the writers' lock held:
/// forgets it when its commit never reached the branch; seals it (tag,
/// ledger entry) when it did, is the next edition the ledger lacks, and
/// re-imports to its own snapshot. Anything else is left for `verify` to
/// report. Returns what was done.
pub(crate) fn finish_pending(store: &Store) -> Result<Vec<Repair>, StoreError> {
    let mut report = DoctorReport::default();
    let Some(commit) = store.pending()? else {
        return Ok(Vec::new());
    };
    let commits = store.commits()?;
    let Some(at) = commits.iter().position(|&c| c == commit) else {
        store.clear_pending()?;
        report.repairs.push(Repair {
            kind: RepairKind::PendingCleared,
            edition: None,
            message: format!(
                "forgot an import interrupted before it published anything (commit {commit} never reached the editions branch)"
            ),
        });
        return Ok(report.repairs);
    };
    let entries: Vec<ledger::LedgerEntry> = ledger::read(store.repo())?
        .into_iter()
        .filter_map(|c| c.entry.ok())
        .collect();
    let next = entries.len() == at
        && entries
            .iter()
            .zip(&commits)
            .all(|(e, c)| e.commit == c.to_string());
    if !next {
        return Ok(Vec::new());
    }
    let id = store.meta(commit)?.id;
    let found = audit::verify(store, &VerifyOptions::default())?;
    let sound = found.violations.iter().all(|v| {
        v.edition.as_deref() != Some(id.as_str())
            || matches!(
                v.kind,
                ViolationKind::EditionUnrecorded | ViolationKind::TagUnrecorded
            )
    });
    if sound && complete(store, commit, &mut report)? {
        store.clear_pending()?;
    }
    Ok(report.repairs)
}

/// Removes the `.lock` files git leaves beside a ref when the process
/// writing it dies: all of them, or only those older than `older_than`.
fn remove_ref_locks(
    store: &Store,
    older_than: Option<std::time::Duration>,
    report: &mut DoctorReport,
) -> Result<(), StoreError> {
    let mut stack = vec![store.path().join("refs")];
    let mut found = Vec::new();
    for top in ["packed-refs.lock", "HEAD.lock"] {
        let p = store.path().join(top);
        if p.is_file() {
            found.push(p);
        }
    }
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(t) if t.is_file() && path.extension().is_some_and(|e| e == "lock") => {
                    found.push(path)
                }
                _ => {}
            }
        }
    }
    for path in found {
        let age = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| std::time::SystemTime::now().duration_since(t).ok())
            .unwrap_or_default();
        if older_than.is_some_and(|limit| age < limit) {
            continue;
        }
        std::fs::remove_file(&path).map_err(StoreError::io(&path))?;
        let why = match older_than {
            None => "left by the same process".to_string(),
            Some(_) => format!(
                "left {} s ago by a git process that no longer holds it",
                age.as_secs()
            ),
        };
        report.repairs.push(Repair {
            kind: RepairKind::RefLockRemoved,
            edition: None,
            message: format!("removed {}, {why}", path.display()),
        });
    }
    Ok(())
}

/// A ledger entry whose tag ref is gone: point it back at the recorded
/// tag object, if that object is still there and is that edition's tag.
fn restore_tag_ref(
    store: &Store,
    e: &ledger::LedgerEntry,
    report: &mut DoctorReport,
) -> Result<(), StoreError> {
    if store.tag(&e.edition)?.is_some() {
        return Ok(());
    }
    let repo = store.repo();
    let (Ok(tag), Ok(commit)) = (Oid::from_str(&e.tag), Oid::from_str(&e.commit)) else {
        return Ok(());
    };
    let Ok(object) = repo.find_tag(tag) else {
        return Ok(());
    };
    if object.target_id() != commit {
        return Ok(());
    }
    repo.reference_matching(
        &tag_ref(&e.edition),
        tag,
        false,
        Oid::ZERO_SHA1,
        "livedoc doctor: restore the edition tag from the ledger",
    )?;
    report.repairs.push(Repair {
        kind: RepairKind::TagRefRestored,
        edition: Some(e.edition.clone()),
        message: format!(
            "re-created tag edition/{} from the ledger (tag object {tag})",
            e.edition
        ),
    });
    Ok(())
}

/// An edition on the branch that the ledger does not record yet: give it
/// its tag if it has none, then its ledger entry. Returns false when the
/// edition is not in a state an interrupted import leaves.
fn complete(store: &Store, commit: Oid, report: &mut DoctorReport) -> Result<bool, StoreError> {
    let repo = store.repo();
    let record = store.meta(commit)?;
    let id = record.id.clone();
    let c = repo.find_commit(commit)?;
    // The import signs tag and ledger entry as the edition's committer.
    let sig = crate::store::committer_of(repo, commit)?;
    let tag = match store.tag(&id)? {
        Some(t) => {
            if repo.find_tag(t).map(|t| t.target_id()).ok() != Some(commit) {
                return Ok(false);
            }
            t
        }
        None => {
            let object = repo.find_object(commit, Some(ObjectType::Commit))?;
            let message = tag_message(&id, record.date, &record.added);
            let t = repo.tag(&tag_name(&id), &object, &sig, &message, false)?;
            report.repairs.push(Repair {
                kind: RepairKind::TagRecreated,
                edition: Some(id.clone()),
                message: format!(
                    "created the missing tag edition/{id} at commit {commit} (unsigned: sign it again if the edition was signed)"
                ),
            });
            t
        }
    };
    let files = ledger::tree_files(repo, &c.tree()?)?;
    let digest = ledger::digest_of_files(&files);
    let entry = ledger::append(repo, &id, commit, tag, &digest, &sig)?;
    report.repairs.push(Repair {
        kind: RepairKind::LedgerEntryAdded,
        edition: Some(id),
        message: format!(
            "recorded edition {} in the ledger (entry {})",
            entry.edition, entry.seq
        ),
    });
    Ok(true)
}
