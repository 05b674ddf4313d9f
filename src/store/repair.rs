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
    TempPackRemoved,
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
            RepairKind::TempPackRemoved => "temp-pack-removed",
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
    // Temporary packs a killed or failed write left (a full disk): the
    // writers' lock is held, so no livedoc is writing one now.
    for (path, size) in crate::store::pack::remove_temp_packs(store.path())? {
        report.repairs.push(Repair {
            kind: RepairKind::TempPackRemoved,
            edition: None,
            message: format!(
                "removed {} ({size} bytes), a temporary pack left by an interrupted write",
                path.display()
            ),
        });
    }
    finish(store, &mut report)?;
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
/// ledger entry) when it did, is the next edition the ledger lacks,
/// re-imports to its own snapshot, and is, byte for byte, the commit (and
/// tag) livedoc writes for that snapshot. Anything else is left for
/// `verify` to report. Returns what was done.
pub(crate) fn finish_pending(store: &Store) -> Result<Vec<Repair>, StoreError> {
    let mut report = DoctorReport::default();
    finish(store, &mut report)?;
    Ok(report.repairs)
}

/// [`finish_pending`], saying in `report`'s advice why a pending commit
/// was not sealed.
fn finish(store: &Store, report: &mut DoctorReport) -> Result<(), StoreError> {
    let Some(commit) = store.pending()? else {
        return Ok(());
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
        return Ok(());
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
        return Ok(());
    }
    let parent = at.checked_sub(1).map(|p| commits[p]);
    let refuse = |report: &mut DoctorReport, why: String| {
        report.advice.push(format!(
            "{} names commit {commit}, which {why}: livedoc did not prepare it, so it was not sealed; remove it from the editions branch with git, and the ref with git update-ref -d {}",
            crate::store::PENDING_REF,
            crate::store::PENDING_REF
        ));
    };
    let Ok(meta) = store.meta(commit) else {
        refuse(
            report,
            format!("has no readable {}", crate::store::RECORD_FILE),
        );
        return Ok(());
    };
    let id = meta.id.clone();
    let found = audit::verify(store, &VerifyOptions::default())?;
    let sound = found.violations.iter().all(|v| {
        v.edition.as_deref() != Some(id.as_str())
            || matches!(
                v.kind,
                ViolationKind::EditionUnrecorded | ViolationKind::TagUnrecorded
            )
    });
    if !sound {
        refuse(
            report,
            format!("does not import to its own snapshot (edition {id}; see livedoc verify)"),
        );
        return Ok(());
    }
    if let Some(why) = not_as_livedoc_writes(store, commit, parent, &meta)? {
        refuse(report, why);
        return Ok(());
    }
    if complete(store, commit, report)? {
        store.clear_pending()?;
    }
    Ok(())
}

/// Why `commit` (on the branch after `parent`) is not, byte for byte, the
/// commit an import writes for its own snapshot, or its tag, if it has
/// one, not the tag an import writes: `None` when both are. The
/// snapshot's files must be only those its record names, in the tree an
/// import builds of them (modes, layout); the commit must have exactly
/// that tree and parent, the author, committer and message an import
/// writes from the record, and no other header.
fn not_as_livedoc_writes(
    store: &Store,
    commit: Oid,
    parent: Option<Oid>,
    meta: &crate::store::snapshot::EditionMeta,
) -> Result<Option<String>, StoreError> {
    use crate::store::{PAIRINGS_FILE, RECORD_FILE, SOURCE_DOCX_FILE, SOURCE_FILE};
    let repo = store.repo();
    let c = repo.find_commit(commit)?;
    let files = ledger::tree_files(repo, &c.tree()?)?;
    let named: std::collections::HashSet<&str> = [RECORD_FILE, PAIRINGS_FILE, SOURCE_FILE]
        .into_iter()
        .chain(meta.source.reader.map(|_| SOURCE_DOCX_FILE))
        .chain(meta.meeting_paths())
        .collect();
    if let Some((extra, _)) = files.iter().find(|(p, _)| !named.contains(p.as_str())) {
        return Ok(Some(format!(
            "holds {extra}, a file its record does not name"
        )));
    }
    // The tree an import builds of these files, built in memory.
    let scratch = git2::Repository::open_bare(store.path())?;
    let scratch_odb = scratch.odb()?;
    let memory = scratch_odb.add_new_mempack_backend(1000)?;
    let mut tree = crate::store::import::TreeNode::default();
    for (path, bytes) in &files {
        tree.insert(path, Oid::hash_object(ObjectType::Blob, bytes)?);
    }
    let canonical = tree.write(&scratch, &mut Vec::new());
    memory.reset()?;
    let canonical = canonical?;
    if canonical != c.tree_id() {
        return Ok(Some(format!(
            "has tree {}, not the tree livedoc builds of its files ({canonical})",
            c.tree_id()
        )));
    }
    let sig =
        crate::store::import::git_signature(&meta.provenance.cut_by, &meta.provenance.cut_at)?;
    let message = crate::store::import::commit_message(
        &meta.id,
        meta.date,
        &meta.added.sentence(),
        &meta.source.sha256,
    );
    let expected = format!(
        "tree {canonical}\n{}author {who}\ncommitter {who}\n\n{message}",
        parent.map(|p| format!("parent {p}\n")).unwrap_or_default(),
        who = signature_line(&sig),
    );
    let odb = repo.odb()?;
    if odb.read(commit)?.data() != expected.as_bytes() {
        return Ok(Some(
            "is not the commit livedoc writes for its snapshot (its parent, author, committer, message or headers differ)"
                .to_string(),
        ));
    }
    if let Some(t) = store.tag(&meta.id)? {
        let payload = crate::store::sign::tag_payload(
            commit,
            &tag_name(&meta.id),
            &sig,
            &tag_message(&meta.id, meta.date, &meta.added),
        );
        let raw = odb.read(t)?;
        let data = raw.data();
        let signed = data.strip_prefix(payload.as_bytes()).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(b"-----BEGIN SSH SIGNATURE-----\n")
        });
        if !signed {
            return Ok(Some(format!(
                "is tagged by {}, which is not the tag livedoc writes for it",
                tag_ref(&meta.id)
            )));
        }
    }
    Ok(None)
}

/// A signature as a commit or tag header writes it: `Name <email> SECONDS +HHMM`.
fn signature_line(sig: &git2::Signature<'_>) -> String {
    let when = sig.when();
    let offset = when.offset_minutes();
    format!(
        "{} <{}> {} {}{:02}{:02}",
        sig.name().unwrap_or_default(),
        sig.email().unwrap_or_default(),
        when.seconds(),
        if offset < 0 { '-' } else { '+' },
        offset.abs() / 60,
        offset.abs() % 60
    )
}

/// Removes the `.lock` files git leaves beside a ref when the process
/// writing it dies: all of them, or only those older than `older_than`.
fn remove_ref_locks(
    store: &Store,
    older_than: Option<std::time::Duration>,
    report: &mut DoctorReport,
) -> Result<(), StoreError> {
    for (path, age) in lock::ref_locks(store.path()) {
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
