//! `verify`: proves that no published edition was altered, or names each
//! thing that was.
//!
//! Checks, in order:
//! 1. the ledger is one hash-chained line of sealed entries;
//! 2. the editions branch is linear and is, commit for commit, what the
//!    ledger recorded; every edition tag exists, points where the ledger
//!    says, at its edition's commit; no other edition tag exists;
//! 3. every snapshot has the recorded sha256, its JSON files parse and
//!    re-serialise canonically to the same bytes, its `source.md` has the
//!    recorded sha256 and still imports to the same model and pairings;
//! 4. every object reachable from the editions branch, the tags and the
//!    ledger is readable and its id matches its content;
//! 5. with an allowed-signers file, every edition tag carries a good SSH
//!    signature;
//! 6. plain git shows what was verified: no replace ref (`refs/replace/*`)
//!    and no graft (`info/grafts`, `shallow`) makes git read other objects
//!    or other parents than the ones checked.
//!
//! It checks one moment of the store: its refs are read until two reads
//! in a row agree (every livedoc writer only adds to the branch, the tags
//! and the ledger, so refs that read the same twice were those refs
//! throughout), and every check reads that copy of them, kept in a
//! throwaway repository that borrows the store's objects. An import that
//! runs meanwhile is never half seen; one caught between moving the
//! branch and sealing the edition (its commit is the one
//! `refs/livedoc/pending` names, and a running livedoc holds the writers'
//! lock) is named as in progress, not as tampering.
//!
//! What holds but should be known is a notice, not a violation: an import
//! in progress, a writers' lock left by a dead writer or held too long, a
//! git ref lock left behind, a Word reader that reads an old document
//! otherwise.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::path::Path;
use std::time::Duration;

use git2::{ObjectType, Oid};

use crate::ids::EditionId;
use crate::model::Edition;
use crate::parse::{self, ParseOptions};
use crate::store::ledger::{self, GENESIS, LEDGER_REF};
use crate::store::lock::{self, Blocked, Holder};
use crate::store::records::{EditionRecord, MeetingRecord, PairingsRecord};
use crate::store::snapshot::{self, EditionMeta, NewEdition};
use crate::store::{
    BRANCH, DateFrom, Options, PAIRINGS_FILE, PENDING_REF, RECORD_FILE, SOURCE_DOCX_FILE,
    SOURCE_FILE, STALE_REF_LOCK, Store, StoreError, TAG_GLOB, edition_of_tag, plan_after, sign,
};

/// The kind of a violation: a stable name scripts may match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ViolationKind {
    BranchNotLinear,
    BranchReordered,
    BranchRewritten,
    EditionMissing,
    EditionUnrecorded,
    LedgerChainBroken,
    LedgerEntryAltered,
    LedgerNotLinear,
    LedgerSequence,
    LedgerUnreadable,
    NotCanonical,
    ObjectCorrupt,
    PairingsDiffer,
    RecordUnreadable,
    ReimportDiffers,
    ReimportFails,
    SignatureBad,
    SignatureMissing,
    SnapshotAltered,
    SnapshotUnreadable,
    SourceAltered,
    SourceMissing,
    TagMissing,
    TagMoved,
    TagTarget,
    TagUnreadable,
    TagUnrecorded,
    AnchorMissing,
    EditionsFewer,
    IndexDiffers,
    ReplaceRef,
    Graft,
    Alternates,
}

impl ViolationKind {
    /// The stable name, as `verify --format json` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            V::BranchNotLinear => "branch-not-linear",
            V::BranchReordered => "branch-reordered",
            V::BranchRewritten => "branch-rewritten",
            V::EditionMissing => "edition-missing",
            V::EditionUnrecorded => "edition-unrecorded",
            V::LedgerChainBroken => "ledger-chain-broken",
            V::LedgerEntryAltered => "ledger-entry-altered",
            V::LedgerNotLinear => "ledger-not-linear",
            V::LedgerSequence => "ledger-sequence",
            V::LedgerUnreadable => "ledger-unreadable",
            V::NotCanonical => "not-canonical",
            V::ObjectCorrupt => "object-corrupt",
            V::PairingsDiffer => "pairings-differ",
            V::RecordUnreadable => "record-unreadable",
            V::ReimportDiffers => "reimport-differs",
            V::ReimportFails => "reimport-fails",
            V::SignatureBad => "signature-bad",
            V::SignatureMissing => "signature-missing",
            V::SnapshotAltered => "snapshot-altered",
            V::SnapshotUnreadable => "snapshot-unreadable",
            V::SourceAltered => "source-altered",
            V::SourceMissing => "source-missing",
            V::TagMissing => "tag-missing",
            V::TagMoved => "tag-moved",
            V::TagTarget => "tag-target",
            V::TagUnreadable => "tag-unreadable",
            V::TagUnrecorded => "tag-unrecorded",
            V::AnchorMissing => "anchor-missing",
            V::EditionsFewer => "editions-fewer",
            V::IndexDiffers => "index-differs",
            V::ReplaceRef => "replace-ref",
            V::Graft => "graft",
            V::Alternates => "alternates",
        }
    }
}

use ViolationKind as V;

/// One thing found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub kind: ViolationKind,
    /// The edition it concerns, when it concerns one.
    pub edition: Option<String>,
    pub message: String,
}

/// What verify found that is no violation: the store holds, and an
/// auditor should still know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// Today's Word reader reads an edition's `source.docx` otherwise
    /// than the reader it was cut with, whose reading (`source.md`,
    /// covered by the ledger) is what was imported.
    ReaderChanged,
    /// A running import has put its edition on the branch and not sealed
    /// it yet (the commit `refs/livedoc/pending` names, its writer alive).
    ImportInProgress,
    /// The writers' lock was left by a writer that is gone: no livedoc
    /// can write until `doctor` removes it.
    LockAbandoned,
    /// The writers' lock has been held for longer than any import takes.
    LockStale,
    /// A git ref lock (`*.lock` beside a ref, `packed-refs.lock`) older
    /// than git ever holds one: that ref cannot move until it is removed.
    RefLockStale,
}

impl NoticeKind {
    /// The stable name, as `verify --format json` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::ReaderChanged => "reader-changed",
            NoticeKind::ImportInProgress => "import-in-progress",
            NoticeKind::LockAbandoned => "lock-abandoned",
            NoticeKind::LockStale => "lock-stale",
            NoticeKind::RefLockStale => "ref-lock-stale",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub edition: Option<String>,
    pub message: String,
}

/// What verify found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub editions: usize,
    pub objects_checked: usize,
    pub signatures_checked: usize,
    pub violations: Vec<Violation>,
    /// What holds but should be known (a Word reader that reads an old
    /// edition's document otherwise today).
    pub notices: Vec<Notice>,
    /// The newest ledger entry as `SEQ:ENTRY_SHA256`: keep it, and a later
    /// `verify --anchor` proves that no edition up to it was removed, even
    /// by someone who rewrote branch, tags and ledger consistently.
    pub anchor: Option<String>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.violations.is_empty()
    }

    fn add(&mut self, kind: ViolationKind, edition: Option<&str>, message: impl Into<String>) {
        self.violations.push(Violation {
            kind,
            edition: edition.map(str::to_string),
            message: message.into(),
        });
    }
}

/// Options of a verification.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions<'a> {
    /// Check every edition tag's SSH signature against this file.
    pub allowed_signers: Option<&'a Path>,
    /// An anchor an earlier verify printed (`SEQ:ENTRY_SHA256`): the ledger
    /// must still hold that very entry.
    pub anchor: Option<&'a str>,
    /// The store must hold at least this many editions.
    pub expect_editions: Option<usize>,
}

/// Truncation: the ledger still holds the entry an earlier verify
/// printed as its anchor. Without it, removing the newest editions from
/// branch, tags and ledger alike leaves a store that is whole in itself.
fn check_anchor(entries: &[ledger::LedgerEntry], opts: &VerifyOptions<'_>, r: &mut Report) {
    let Some(anchor) = opts.anchor else {
        return;
    };
    let (seq, sha) = anchor.split_once(':').unwrap_or(("", anchor));
    let held = entries
        .iter()
        .any(|e| e.entry_sha256 == sha && (seq.is_empty() || e.seq.to_string() == seq));
    if !held {
        r.add(
            V::AnchorMissing,
            None,
            format!(
                "the ledger no longer holds the entry anchored as {anchor}: editions up to it were removed or the ledger was rewritten"
            ),
        );
    }
}

/// Verifies a store at one moment (see the module docs): every check
/// below, in order, each adding what it finds to the report. Errors only
/// when the store cannot be read at all.
pub fn verify(store: &Store, opts: &VerifyOptions<'_>) -> Result<Report, StoreError> {
    let moment = Moment::read(store)?;
    let frozen = moment.freeze(store)?;
    let mut r = verify_frozen(&frozen.store, opts)?;
    git_shows_what_was_verified(store, &moment, &mut r);
    an_import_in_progress(&frozen.store, &moment, &mut r);
    locks_left_behind(store, &moment, &mut r);
    Ok(r)
}

/// How many times the refs are read for two reads in a row that agree
/// before verify goes on with the last (an import takes far longer than
/// a read of the refs, so a few suffice unless imports run back to back).
const MOMENT_TRIES: u32 = 50;

/// The store's refs at one moment, and who held its writers' lock then.
struct Moment {
    /// Every direct ref, by name.
    refs: Vec<(String, Oid)>,
    lock: Holder,
}

impl Moment {
    /// Reads the refs, then the lock, then the refs again, until both
    /// reads of the refs agree: livedoc's writers only add to the branch,
    /// the tags, the ledger and the index (and set and clear the pending
    /// ref, each time to a new commit), so refs read the same twice were
    /// the same in between, when the lock was read.
    fn read(store: &Store) -> Result<Moment, StoreError> {
        for attempt in 0..MOMENT_TRIES {
            // A ref deleted while it is listed fails the read: read again.
            if let Ok(before) = refs_of(store.repo()) {
                let lock = lock::holder(store.path());
                if refs_of(store.repo()).is_ok_and(|after| after == before) {
                    return Ok(Moment { refs: before, lock });
                }
            }
            let base = 2u64.saturating_pow(attempt.min(6));
            std::thread::sleep(Duration::from_millis(base / 2 + fastrand::u64(0..=base)));
        }
        let lock = lock::holder(store.path());
        Ok(Moment {
            refs: refs_of(store.repo())?,
            lock,
        })
    }

    fn get(&self, name: &str) -> Option<Oid> {
        self.refs.iter().find(|(n, _)| n == name).map(|&(_, t)| t)
    }

    /// A repository of its own holding exactly these refs and borrowing
    /// the store's objects (`objects/info/alternates`), opened to check
    /// every object it reads: what every check reads. Nothing is written
    /// into the store.
    fn freeze(&self, store: &Store) -> Result<Frozen, StoreError> {
        let dir = tempfile::Builder::new()
            .prefix("livedoc-verify-")
            .tempdir()
            .map_err(StoreError::io(&std::env::temp_dir()))?;
        let at = dir.path();
        drop(git2::Repository::init_bare(at)?);
        let objects = store.path().join("objects");
        let objects = objects.canonicalize().map_err(StoreError::io(&objects))?;
        let write = |rel: &str, text: String| {
            let path = at.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(StoreError::io(parent))?;
            }
            std::fs::write(&path, text).map_err(StoreError::io(&path))
        };
        write(
            "objects/info/alternates",
            format!("{}\n", objects.display()),
        )?;
        let mut packed = String::from("# pack-refs with:\n");
        let mut refs: Vec<&(String, Oid)> = self.refs.iter().collect();
        refs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        for (name, target) in refs {
            packed.push_str(&format!("{target} {name}\n"));
        }
        write("packed-refs", packed)?;
        write("HEAD", format!("ref: {BRANCH}\n"))?;
        let store = Store::open_with(at, Options::checking())?;
        Ok(Frozen { store, _dir: dir })
    }
}

/// A store's refs frozen at one moment ([`Moment::freeze`]); removed when
/// dropped.
struct Frozen {
    store: Store,
    _dir: tempfile::TempDir,
}

/// Every direct ref of `repo`, sorted by name.
fn refs_of(repo: &git2::Repository) -> Result<Vec<(String, Oid)>, git2::Error> {
    let mut out = Vec::new();
    for reference in repo.references()? {
        let reference = reference?;
        if let (Ok(name), Some(target)) = (reference.name(), reference.target()) {
            out.push((name.to_string(), target));
        }
    }
    out.sort();
    Ok(out)
}

/// Plain git shows what verify checked: a replace ref makes git show
/// another object in place of the one published, and a graft (or a
/// shallow store) other parents. livedoc reads neither (verify reads the
/// objects themselves), so an auditor who trusts plain git would be shown
/// what was never verified.
fn git_shows_what_was_verified(store: &Store, moment: &Moment, r: &mut Report) {
    for (name, target) in &moment.refs {
        if let Some(replaced) = name.strip_prefix("refs/replace/") {
            r.add(
                V::ReplaceRef,
                None,
                format!(
                    "{name} makes git show object {target} in place of {replaced}: plain git reads other content than was published and verified"
                ),
            );
        }
    }
    for (file, what) in [
        ("info/grafts", "gives other parents to"),
        ("shallow", "makes the store shallow, cutting the history at"),
    ] {
        let path = store.path().join(file);
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let grafted = String::from_utf8_lossy(&bytes)
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        if grafted > 0 {
            r.add(
                V::Graft,
                None,
                format!(
                    "{} {what} {}: plain git reads another history than was published and verified",
                    path.display(),
                    crate::text::plural(grafted, "commit", "commits")
                ),
            );
        }
    }
    // Objects borrowed from elsewhere: the store does not hold what it
    // verified, and whoever controls the other store controls them.
    let path = store.path().join("objects/info/alternates");
    if let Ok(bytes) = std::fs::read(&path) {
        let others: Vec<String> = String::from_utf8_lossy(&bytes)
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        if !others.is_empty() {
            r.add(
                V::Alternates,
                None,
                format!(
                    "{} makes git and livedoc read objects from {}: the store does not hold all it publishes",
                    path.display(),
                    others.join(", ")
                ),
            );
        }
    }
}

/// An import caught between moving the branch and sealing its edition is
/// no tampering: the newest commit is the one the pending ref names, every
/// edition before it is sealed, its tag (if written yet) is its own, and
/// a livedoc that is running (not this one) holds the writers' lock. Its
/// snapshot is checked as any other; only its want of a ledger entry and
/// the tag's are a notice.
fn an_import_in_progress(frozen: &Store, moment: &Moment, r: &mut Report) {
    let Some(pending) = moment.get(PENDING_REF) else {
        return;
    };
    let Holder::Live { pid } = moment.lock else {
        return;
    };
    if pid == Some(std::process::id()) {
        // This process (doctor, or an import finishing another) holds it.
        return;
    }
    if frozen.commits().ok().and_then(|c| c.last().copied()) != Some(pending) {
        return;
    }
    let Ok(id) = frozen.meta(pending).map(|m| m.id) else {
        return;
    };
    let mut unrecorded = r
        .violations
        .iter()
        .filter(|v| v.kind == V::EditionUnrecorded);
    if !(unrecorded
        .next()
        .is_some_and(|v| v.edition.as_deref() == Some(id.as_str()))
        && unrecorded.next().is_none())
    {
        return;
    }
    let own_tag = match frozen.tag(&id) {
        Ok(None) => true,
        Ok(Some(t)) => frozen
            .repo()
            .find_tag(t)
            .is_ok_and(|t| t.target_id() == pending),
        Err(_) => false,
    };
    if !own_tag {
        return;
    }
    r.violations.retain(|v| {
        v.edition.as_deref() != Some(id.as_str())
            || !matches!(v.kind, V::EditionUnrecorded | V::TagUnrecorded)
    });
    r.notices.push(Notice {
        kind: NoticeKind::ImportInProgress,
        edition: Some(id.clone()),
        message: format!(
            "an import is in progress: edition {id} (commit {pending}) is on {BRANCH}, and {}, which is running, has not sealed it in the ledger yet",
            match pid {
                Some(pid) => format!("process {pid}"),
                None => "the livedoc holding the store's lock".to_string(),
            }
        ),
    });
}

/// Locks left behind: the writers' lock of a writer that is gone (or held
/// for too long), and git ref locks older than git ever holds one. No
/// tampering, but nothing can be written until they are gone.
fn locks_left_behind(store: &Store, moment: &Moment, r: &mut Report) {
    let path = store.path().join(lock::LOCK_FILE);
    let kind = match &moment.lock {
        Holder::Blocked(Blocked::Abandoned { .. }) => Some(NoticeKind::LockAbandoned),
        Holder::Blocked(Blocked::Stale { .. }) => Some(NoticeKind::LockStale),
        _ => None,
    };
    if let (Some(kind), Holder::Blocked(blocked)) = (kind, &moment.lock) {
        r.notices.push(Notice {
            kind,
            edition: None,
            message: blocked.describe(&path),
        });
    }
    for (path, age) in lock::ref_locks(store.path()) {
        if age >= STALE_REF_LOCK {
            r.notices.push(Notice {
                kind: NoticeKind::RefLockStale,
                edition: None,
                message: format!(
                    "{} was left {} s ago by a git process that no longer holds it: the ref beside it cannot move",
                    path.display(),
                    age.as_secs()
                ),
            });
        }
    }
}

/// Every check of the module docs but the last, on a store whose refs
/// stand still.
fn verify_frozen(store: &Store, opts: &VerifyOptions<'_>) -> Result<Report, StoreError> {
    let mut r = Report::default();
    let entries = ledger_is_one_hash_chain(store, &mut r);
    r.anchor = entries
        .last()
        .map(|e| format!("{}:{}", e.seq, e.entry_sha256));
    check_anchor(&entries, opts, &mut r);
    let commits = store.commits()?;
    r.editions = commits.len();
    no_fewer_editions_than_expected(commits.len(), opts, &mut r);
    branch_is_linear(store, &commits, &mut r);
    branch_is_what_the_ledger_recorded(&commits, &entries, &mut r);
    tags_are_where_the_ledger_says(store, &entries, &mut r);
    every_edition_and_tag_is_recorded(store, &commits, &entries, &mut r);
    // Each snapshot, against the entry at its place in the ledger (so a
    // rewritten commit is also checked for what it changed).
    let mut previous = Previous::None;
    for (n, &c) in commits.iter().enumerate() {
        previous = check_snapshot(store, c, entries.get(n), &previous, &mut r);
    }
    let named: Vec<(Oid, Option<String>)> = commits
        .iter()
        .enumerate()
        .map(|(n, &c)| {
            let id = store
                .meta(c)
                .map(|rec| rec.id)
                .ok()
                .or_else(|| entries.get(n).map(|e| e.edition.clone()));
            (c, id)
        })
        .collect();
    r.objects_checked = check_objects(store, &named, &mut r);
    history_index_is_what_the_records_say(store, &mut r);
    if let Some(allowed) = opts.allowed_signers {
        tags_are_signed(store, &entries, allowed, &mut r)?;
    }
    Ok(r)
}

/// The history index, which `trace` and `blame` read instead of every
/// record, says exactly what the records say (a missing index is none of
/// verify's business: readers then read the records).
fn history_index_is_what_the_records_say(store: &Store, r: &mut Report) {
    use crate::store::index::Standing;
    match crate::store::index::check(store) {
        Ok(Standing::Agrees | Standing::Missing | Standing::Behind | Standing::Diverged) => {}
        Ok(Standing::Differs(edition)) => r.add(
            V::IndexDiffers,
            edition.as_deref(),
            match &edition {
                Some(e) => format!(
                    "the history index ({}) does not say what the records of edition {e} say; trace and blame would read it (livedoc doctor rebuilds it)",
                    crate::store::index::INDEX_REF
                ),
                None => format!(
                    "the history index ({}) cannot be read (livedoc doctor rebuilds it)",
                    crate::store::index::INDEX_REF
                ),
            },
        ),
        // An edition whose records cannot be read is reported above.
        Err(_) => {}
    }
}

/// The ledger is one unbroken, linear hash chain of sealed entries,
/// numbered in order. Returns the entries it could read.
fn ledger_is_one_hash_chain(store: &Store, r: &mut Report) -> Vec<ledger::LedgerEntry> {
    let repo = store.repo();
    let ledger = ledger::read(repo).unwrap_or_else(|e| {
        r.add(
            V::LedgerUnreadable,
            None,
            format!("the ledger cannot be read: {e}"),
        );
        Vec::new()
    });
    let mut entries = Vec::new();
    let mut prev_hash = GENESIS.to_string();
    for (n, lc) in ledger.iter().enumerate() {
        if lc.parents > 1 {
            r.add(
                V::LedgerNotLinear,
                None,
                format!("ledger commit {} has {} parents", lc.commit, lc.parents),
            );
        }
        let e = match &lc.entry {
            Ok(e) => e.clone(),
            Err(what) => {
                r.add(
                    V::LedgerUnreadable,
                    None,
                    format!(
                        "ledger entry {} (commit {}) cannot be read: {what}",
                        n + 1,
                        lc.commit
                    ),
                );
                continue;
            }
        };
        let ed = Some(e.edition.as_str());
        if !lc.canonical {
            r.add(
                V::NotCanonical,
                ed,
                format!(
                    "ledger entry {} for edition {} is not in canonical form (its fields, order or layout are not what livedoc writes)",
                    e.seq, e.edition
                ),
            );
        }
        if e.compute_hash() != e.entry_sha256 {
            r.add(
                V::LedgerEntryAltered,
                ed,
                format!(
                    "ledger entry {} for edition {} does not match its seal: it was edited",
                    e.seq, e.edition
                ),
            );
        }
        if e.prev_entry_sha256 != prev_hash {
            r.add(
                V::LedgerChainBroken,
                ed,
                format!(
                    "ledger entry {} for edition {} does not follow the entry before it",
                    e.seq, e.edition
                ),
            );
        }
        if e.seq != n as u64 + 1 {
            r.add(
                V::LedgerSequence,
                ed,
                format!(
                    "ledger entry for edition {} is numbered {} but is entry {}",
                    e.edition,
                    e.seq,
                    n + 1
                ),
            );
        }
        prev_hash = e.entry_sha256.clone();
        entries.push(e);
    }
    entries
}

/// The store holds at least the editions the caller expected.
fn no_fewer_editions_than_expected(count: usize, opts: &VerifyOptions<'_>, r: &mut Report) {
    if let Some(n) = opts.expect_editions
        && count < n
    {
        r.add(
            V::EditionsFewer,
            None,
            format!(
                "the store holds {count} editions, fewer than the {n} expected: editions were removed"
            ),
        );
    }
}

/// The editions branch is linear: no merge commits.
fn branch_is_linear(store: &Store, commits: &[Oid], r: &mut Report) {
    let repo = store.repo();
    for &c in commits {
        if let Ok(commit) = repo.find_commit(c)
            && commit.parent_count() > 1
        {
            r.add(
                V::BranchNotLinear,
                None,
                format!("commit {c} on {BRANCH} is a merge"),
            );
        }
    }
}

/// The editions branch is, commit for commit, what the ledger recorded:
/// nothing reordered, rewritten or missing.
fn branch_is_what_the_ledger_recorded(
    commits: &[Oid],
    entries: &[ledger::LedgerEntry],
    r: &mut Report,
) {
    let on_branch: HashSet<Oid> = commits.iter().copied().collect();
    for (n, e) in entries.iter().enumerate() {
        let ed = Some(e.edition.as_str());
        let recorded = Oid::from_str(&e.commit).unwrap_or(Oid::ZERO_SHA1);
        match commits.get(n) {
            Some(&c) if c == recorded => {}
            Some(&c) if on_branch.contains(&recorded) => r.add(
                V::BranchReordered,
                ed,
                format!("edition {} is recorded as commit {recorded}, which is not at its place on {BRANCH} (found {c})", e.edition),
            ),
            Some(&c) => r.add(
                V::BranchRewritten,
                ed,
                format!("edition {} was published as commit {recorded}, but {BRANCH} now has {c} in its place: the history was rewritten", e.edition),
            ),
            None => r.add(
                V::EditionMissing,
                ed,
                format!("edition {} (commit {recorded}) is recorded in the ledger but is not on {BRANCH}", e.edition),
            ),
        }
    }
}

/// Every edition tag the ledger recorded is there, unmoved, and points at
/// its edition's commit.
fn tags_are_where_the_ledger_says(store: &Store, entries: &[ledger::LedgerEntry], r: &mut Report) {
    let repo = store.repo();
    for e in entries {
        let ed = Some(e.edition.as_str());
        let recorded = Oid::from_str(&e.commit).unwrap_or(Oid::ZERO_SHA1);
        let recorded_tag = Oid::from_str(&e.tag).unwrap_or(Oid::ZERO_SHA1);
        match store.tag(&e.edition) {
            Ok(Some(t)) if t == recorded_tag => match repo.find_tag(t).map(|t| t.target_id()) {
                Ok(target) if target != recorded => {
                    r.add(V::TagTarget, ed, format!("tag edition/{} points at {target}, not at its edition's commit {recorded}", e.edition));
                }
                Ok(_) => {}
                // livedoc writes annotated tags: a ledger that records a
                // lightweight one (the commit itself) was forged.
                Err(_) => r.add(
                    V::TagUnreadable,
                    ed,
                    format!(
                        "tag edition/{} is {t}, which is no annotated tag object: livedoc never writes a lightweight tag",
                        e.edition
                    ),
                ),
            },
            Ok(Some(t)) => r.add(
                V::TagMoved,
                ed,
                format!("tag edition/{} is now {t}, but {recorded_tag} was published: the tag was moved", e.edition),
            ),
            Ok(None) => r.add(
                V::TagMissing,
                ed,
                format!("tag edition/{} is missing (it was {recorded_tag})", e.edition),
            ),
            Err(err) => r.add(V::TagUnreadable, ed, format!("tag edition/{} cannot be read: {err}", e.edition)),
        }
    }
}

/// Nothing is published that the ledger does not record: no commit on the
/// branch past its entries, no edition tag without an entry.
fn every_edition_and_tag_is_recorded(
    store: &Store,
    commits: &[Oid],
    entries: &[ledger::LedgerEntry],
    r: &mut Report,
) {
    let repo = store.repo();
    for &c in commits.iter().skip(entries.len()) {
        let id = store
            .meta(c)
            .map(|rec| rec.id)
            .unwrap_or_else(|_| c.to_string());
        r.add(
            V::EditionUnrecorded,
            Some(&id),
            format!("commit {c} (edition {id}) is on {BRANCH} but not in the ledger: an interrupted import, or a commit made outside livedoc"),
        );
    }
    let ledgered: HashSet<&str> = entries.iter().map(|e| e.edition.as_str()).collect();
    if let Ok(refs) = repo.references_glob(TAG_GLOB) {
        for reference in refs.flatten() {
            let name = reference.name().unwrap_or_default().to_string();
            let id = edition_of_tag(&name).unwrap_or(&name);
            if !ledgered.contains(id) {
                r.add(
                    V::TagUnrecorded,
                    Some(id),
                    format!("tag {name} is not in the ledger"),
                );
            }
        }
    }
}

/// With an allowed-signers file: every recorded edition tag carries a good
/// SSH signature.
fn tags_are_signed(
    store: &Store,
    entries: &[ledger::LedgerEntry],
    allowed: &Path,
    r: &mut Report,
) -> Result<(), StoreError> {
    let repo = store.repo();
    for e in entries {
        let Ok(Some(t)) = store.tag(&e.edition) else {
            continue;
        };
        let Ok(data) = repo
            .odb()
            .and_then(|odb| odb.read(t).map(|o| o.data().to_vec()))
        else {
            continue;
        };
        r.signatures_checked += 1;
        match sign::check(&data, allowed) {
            Ok(sign::Checked::Good(_)) => {}
            Ok(sign::Checked::Unsigned) => r.add(
                V::SignatureMissing,
                Some(&e.edition),
                format!("tag edition/{} is not signed", e.edition),
            ),
            Ok(sign::Checked::Bad(why)) => r.add(
                V::SignatureBad,
                Some(&e.edition),
                format!("tag edition/{} has a bad signature: {why}", e.edition),
            ),
            Err(err) => return Err(StoreError::Sign(err)),
        }
    }
    Ok(())
}

/// The edition before the one being checked, which its re-import pairs with.
enum Previous {
    /// It is the first edition.
    None,
    /// The one before, as stored, with the ids retired after it.
    Known(Box<(Edition, BTreeSet<String>)>),
    /// The one before could not be read: the re-import cannot be checked
    /// (its own violation says why), and blaming this edition would be
    /// wrong.
    Unknown,
}

/// Checks one edition's files; returns what the next edition's re-import
/// pairs with.
fn check_snapshot(
    store: &Store,
    commit: Oid,
    entry: Option<&ledger::LedgerEntry>,
    previous: &Previous,
    r: &mut Report,
) -> Previous {
    match check_files(store, commit, entry, previous, r) {
        Some(known) => Previous::Known(Box::new(known)),
        None => Previous::Unknown,
    }
}

/// One edition's files, with its record read.
struct Snapshot {
    files: Vec<(String, Vec<u8>)>,
    record: EditionRecord,
    meta: EditionMeta,
}

/// The bytes of the file `name` among a snapshot's files.
fn file_in<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> Option<&'a [u8]> {
    files
        .iter()
        .find(|(p, _)| p == name)
        .map(|(_, b)| b.as_slice())
}

impl Snapshot {
    fn file(&self, name: &str) -> Option<&[u8]> {
        file_in(&self.files, name)
    }

    fn id(&self) -> &str {
        &self.meta.id
    }
}

/// The snapshot's other records, as read.
struct Records {
    pairings: Option<PairingsRecord>,
    meetings: HashMap<String, MeetingRecord>,
    /// Every meeting file was there and read.
    complete: bool,
}

/// The checks of one edition's files, in order: its record reads; the
/// snapshot is the one published; every file is in the canonical form of
/// its version; the source is the one imported; the source still imports
/// to these files and these pairings. Returns the stored edition (and the
/// ids retired after it) for the next edition's re-import.
fn check_files(
    store: &Store,
    commit: Oid,
    entry: Option<&ledger::LedgerEntry>,
    previous: &Previous,
    r: &mut Report,
) -> Option<(Edition, BTreeSet<String>)> {
    let snap = record_reads(store, commit, entry, r)?;
    snapshot_is_the_one_published(&snap, entry, r);
    let records = files_are_canonical(&snap, r);
    let source = source_is_the_one_imported(&snap, r)?;
    if !records.complete {
        return None;
    }
    let Ok(edition_id) = EditionId::new(snap.id()) else {
        r.add(
            V::RecordUnreadable,
            Some(snap.id()),
            format!("edition id {:?} is not a valid id", snap.id()),
        );
        return None;
    };
    let stored = snapshot::from_files(&snap.meta, |path| {
        records
            .meetings
            .get(path)
            .cloned()
            .map(MeetingRecord::into_model)
            .ok_or(())
    })
    .ok()?;
    let retired: BTreeSet<String> = snap.meta.retired_ids.iter().cloned().collect();
    let previous = match previous {
        Previous::None => None,
        Previous::Known(known) => Some((&known.0, &known.1)),
        Previous::Unknown => return Some((stored, retired)),
    };
    source_still_imports_to_the_snapshot(
        store, commit, &snap, edition_id, source, &records, previous, r,
    )?;
    Some((stored, retired))
}

/// The commit's files read, and its `edition.json` decodes in a version
/// this livedoc knows. Until the record is read, the ledger names the
/// edition.
fn record_reads(
    store: &Store,
    commit: Oid,
    entry: Option<&ledger::LedgerEntry>,
    r: &mut Report,
) -> Option<Snapshot> {
    let ledger_id = entry.map(|e| e.edition.as_str());
    let repo = store.repo();
    let files = match repo
        .find_commit(commit)
        .and_then(|c| c.tree())
        .and_then(|t| ledger::tree_files(repo, &t))
    {
        Ok(f) => f,
        Err(e) => {
            r.add(
                V::SnapshotUnreadable,
                ledger_id,
                format!(
                    "the files of commit {commit} cannot be read: {}",
                    e.message()
                ),
            );
            return None;
        }
    };
    let record = match file_in(&files, RECORD_FILE).map(EditionRecord::decode) {
        Some(Ok(rec)) => rec,
        Some(Err(e)) => {
            r.add(
                V::RecordUnreadable,
                ledger_id,
                format!("{RECORD_FILE} of commit {commit} {e}"),
            );
            return None;
        }
        None => {
            r.add(
                V::RecordUnreadable,
                ledger_id,
                format!("commit {commit} has no {RECORD_FILE}"),
            );
            return None;
        }
    };
    match record.to_meta() {
        Ok(meta) => Some(Snapshot {
            files,
            record,
            meta,
        }),
        Err(e) => {
            r.add(
                V::RecordUnreadable,
                ledger_id,
                format!("{RECORD_FILE} of commit {commit} {e}"),
            );
            None
        }
    }
}

/// The snapshot's sha256 (over every file's path and content) is the one
/// its ledger entry sealed.
fn snapshot_is_the_one_published(
    snap: &Snapshot,
    entry: Option<&ledger::LedgerEntry>,
    r: &mut Report,
) {
    let Some(e) = entry else {
        return;
    };
    let digest = ledger::digest_of_files(&snap.files);
    if digest != e.snapshot_sha256 {
        r.add(
            V::SnapshotAltered,
            Some(snap.id()),
            format!(
                "the snapshot of edition {} has sha256 {digest}, but {} was published",
                snap.id(),
                e.snapshot_sha256
            ),
        );
    }
}

/// Every file is exactly what its record version writes: `edition.json`,
/// `pairings.json` and each meeting file re-serialise to the same bytes.
/// Returns the records read.
fn files_are_canonical(snap: &Snapshot, r: &mut Report) -> Records {
    let (id, ed) = (snap.id(), Some(snap.id()));
    let version = snap.record.version();
    if snap.file(RECORD_FILE) != Some(snap.record.encode().as_slice()) {
        r.add(
            V::NotCanonical,
            ed,
            format!("{RECORD_FILE} of edition {id} is not in canonical form"),
        );
    }
    let pairings = match snap.file(PAIRINGS_FILE).map(PairingsRecord::decode) {
        Some(Ok(p)) => {
            if snap.file(PAIRINGS_FILE) != Some(p.encode().as_slice()) {
                r.add(
                    V::NotCanonical,
                    ed,
                    format!("{PAIRINGS_FILE} of edition {id} is not in canonical form"),
                );
            }
            Some(p)
        }
        _ => {
            r.add(
                V::RecordUnreadable,
                ed,
                format!("{PAIRINGS_FILE} of edition {id} is missing or does not parse"),
            );
            None
        }
    };
    let mut meetings = HashMap::new();
    let mut complete = true;
    for path in snap.meta.meeting_paths() {
        match snap.file(path).map(|b| MeetingRecord::decode(version, b)) {
            Some(Ok(m)) => {
                if snap.file(path) != Some(m.encode().as_slice()) {
                    r.add(
                        V::NotCanonical,
                        ed,
                        format!("{path} of edition {id} is not in canonical form"),
                    );
                }
                meetings.insert(path.to_string(), m);
            }
            _ => {
                complete = false;
                r.add(
                    V::RecordUnreadable,
                    ed,
                    format!("{path} of edition {id} is missing or does not parse"),
                );
            }
        }
    }
    Records {
        pairings,
        meetings,
        complete,
    }
}

/// The source is there and has the sha256 recorded when it was imported:
/// `source.md`, or for an edition imported from Word, `source.docx` and
/// the `source.md` read from it, which is what was imported and what is
/// imported again. The reading is checked with today's Word reader: read
/// otherwise by the reader the edition was cut with, the stored one is
/// altered; by another reader, the reader changed, which is no violation
/// (the ledger's digest covers `source.md`) but a notice.
fn source_is_the_one_imported<'a>(snap: &'a Snapshot, r: &mut Report) -> Option<&'a [u8]> {
    let (id, ed) = (snap.id(), Some(snap.id()));
    let docx = snap.file(SOURCE_DOCX_FILE);
    let name = if docx.is_some() {
        SOURCE_DOCX_FILE
    } else {
        SOURCE_FILE
    };
    let Some(source) = docx.or_else(|| snap.file(SOURCE_FILE)) else {
        r.add(
            V::SourceMissing,
            ed,
            format!("edition {id} has no {SOURCE_FILE}"),
        );
        return None;
    };
    let sha = crate::store::sha256_hex(source);
    if sha != snap.meta.source.sha256 {
        r.add(
            V::SourceAltered,
            ed,
            format!(
                "{name} of edition {id} has sha256 {sha}, but {} was imported",
                snap.meta.source.sha256
            ),
        );
    }
    if docx.is_none() {
        return Some(source);
    }
    let Some(md) = snap.file(SOURCE_FILE) else {
        r.add(
            V::SourceMissing,
            ed,
            format!("edition {id} has {SOURCE_DOCX_FILE} but no {SOURCE_FILE} read from it"),
        );
        return None;
    };
    let derived = parse::docx::to_markdown(source).ok();
    if derived
        .as_ref()
        .is_some_and(|d| d.markdown.as_bytes() == md)
    {
        return Some(md);
    }
    let today = parse::docx::READER;
    match snap.meta.source.reader {
        Some(cut_with) if cut_with == today => r.add(
            V::SourceAltered,
            ed,
            format!(
                "{SOURCE_FILE} of edition {id} is not the Markdown its {SOURCE_DOCX_FILE} reads as with Word reader {today}, which it was cut with"
            ),
        ),
        cut_with => r.notices.push(Notice {
            kind: NoticeKind::ReaderChanged,
            edition: Some(id.to_string()),
            message: format!(
                "today's Word reader ({today}) reads {SOURCE_DOCX_FILE} of edition {id} otherwise than the reader it was cut with ({}); its {SOURCE_FILE}, covered by the ledger, is what was imported and is checked",
                cut_with.map_or_else(
                    || "a build before Word readers had versions".to_string(),
                    |n| format!("Word reader {n}")
                )
            ),
        }),
    }
    Some(md)
}

/// `source.md`, imported again under the rules the edition was cut with
/// and paired with the stored edition before it (with the recorded
/// overrides), gives exactly the stored files and the stored pairings.
#[allow(clippy::too_many_arguments)]
fn source_still_imports_to_the_snapshot(
    store: &Store,
    commit: Oid,
    snap: &Snapshot,
    edition_id: EditionId,
    source: &[u8],
    records: &Records,
    previous: Option<(&Edition, &BTreeSet<String>)>,
    r: &mut Report,
) -> Option<()> {
    let (id, ed) = (snap.id(), Some(snap.id()));
    let meta = &snap.meta;
    let date = (meta.provenance.date_from == DateFrom::Flag).then_some(meta.date);
    // The Markdown that was imported: `source.md`, for a Word edition
    // the reading its reader gave.
    let parsed = match parse::parse(
        source,
        SOURCE_FILE,
        &ParseOptions {
            id: edition_id,
            date,
            // Under the rules it was cut with, not today's: a livedoc that
            // reads better must not call an old edition altered.
            rules: meta.rules,
        },
    ) {
        Ok(parsed) => parsed,
        Err(e) => {
            r.add(
                V::ReimportFails,
                ed,
                format!("{SOURCE_FILE} of edition {id} no longer imports: {e}"),
            );
            return None;
        }
    };
    // Rules 4: the items withdrawn before it that it may restore, as the
    // import found them (none when the store cannot tell: the re-import
    // then differs, and says so).
    let withdrawn = match (meta.rules >= crate::rules::Rules::V4, previous.is_some()) {
        (true, true) => store
            .repo()
            .find_commit(commit)
            .ok()
            .and_then(|c| c.parent_id(0).ok())
            .and_then(|p| store.info(p).ok())
            .and_then(|info| store.withdrawn_before(&info, &parsed.edition).ok())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let planned = match plan_after(
        previous,
        &withdrawn,
        &parsed.edition,
        None,
        &meta.provenance.overrides,
        meta.rules,
    ) {
        Ok(p) => p,
        Err(e) => {
            r.add(
                V::ReimportFails,
                ed,
                format!("edition {id} no longer pairs with the edition before it: {e}"),
            );
            return None;
        }
    };
    if !reimports_to(&planned.edition, &snap.record, meta, &records.meetings) {
        r.add(
            V::ReimportDiffers,
            ed,
            format!("{SOURCE_FILE} of edition {id} no longer imports to the stored edition"),
        );
    } else if let Some(p) = &records.pairings
        && p.project(&snapshot::pairings(&planned.report)).as_ref() != Some(p)
    {
        r.add(
            V::PairingsDiffer,
            ed,
            format!(
                "{PAIRINGS_FILE} of edition {id} is not what pairing it with the edition before gives"
            ),
        );
    }
    Some(())
}

/// Whether a re-imported edition is the stored one, compared as the
/// stored record version holds it: the document's own fields of
/// `edition.json` and every meeting file. What an import adds besides the
/// document (counts of changes, provenance) is taken from the stored
/// record, and checked by the snapshot's digest and by the pairings.
fn reimports_to(
    edition: &Edition,
    record: &EditionRecord,
    stored: &EditionMeta,
    meetings: &HashMap<String, MeetingRecord>,
) -> bool {
    let version = stored.record_version;
    let expected = EditionMeta {
        // It was re-imported under the rules it names; a record that named
        // other rules would not have re-imported the same.
        rules: stored.rules,
        ..snapshot::layout(NewEdition {
            edition,
            added: stored.added.clone(),
            changes: stored.changes.clone(),
            retired_ids: stored.retired_ids.clone(),
            source: stored.source.clone(),
            provenance: stored.provenance.clone(),
        })
    };
    let same_record = EditionRecord::project(version, &expected).as_ref() == Some(record);
    same_record
        && expected
            .meeting_paths()
            .zip(edition.meetings())
            .all(|(path, m)| MeetingRecord::project(version, m).as_ref() == meetings.get(path))
}

/// Reads every object reachable from the editions branch, the edition tags
/// and the ledger, and checks that its id is the hash of its content. A bad
/// object is reported against the oldest edition that contains it.
fn check_objects(store: &Store, editions: &[(Oid, Option<String>)], r: &mut Report) -> usize {
    let repo = store.repo();
    let Ok(odb) = repo.odb() else {
        r.add(
            V::ObjectCorrupt,
            None,
            "the object database cannot be opened",
        );
        return 0;
    };
    // Each edition's own objects first (oldest first, not following its
    // parents), then the ledger and the tags.
    let mut seeds: Vec<(Oid, Option<String>, bool)> = editions
        .iter()
        .map(|(c, id)| (*c, id.clone(), false))
        .collect();
    for name in [BRANCH, LEDGER_REF] {
        if let Ok(Some(t)) = repo.find_reference(name).map(|r| r.target()) {
            seeds.push((t, None, true));
        }
    }
    if let Ok(refs) = repo.references_glob(TAG_GLOB) {
        for reference in refs.flatten() {
            let id = reference
                .name()
                .ok()
                .map(|n| edition_of_tag(n).unwrap_or(n).to_string());
            if let Some(t) = reference.target() {
                seeds.push((t, id, true));
            }
        }
    }
    let mut seen: HashSet<Oid> = HashSet::new();
    for (seed, edition, follow_parents) in seeds {
        let ed = edition.as_deref();
        let mut queue: VecDeque<Oid> = VecDeque::from([seed]);
        while let Some(oid) = queue.pop_front() {
            if !seen.insert(oid) {
                continue;
            }
            let obj = match odb.read(oid) {
                Ok(o) => o,
                Err(e) => {
                    r.add(
                        V::ObjectCorrupt,
                        ed,
                        format!("object {oid} cannot be read: {}", e.message()),
                    );
                    continue;
                }
            };
            let kind = obj.kind();
            match Oid::hash_object(kind, obj.data()) {
                Ok(h) if h == oid => {}
                _ => {
                    r.add(
                        V::ObjectCorrupt,
                        ed,
                        format!("object {oid} does not match its content"),
                    );
                    continue;
                }
            }
            match kind {
                ObjectType::Commit => {
                    if let Ok(c) = repo.find_commit(oid) {
                        queue.push_back(c.tree_id());
                        if follow_parents {
                            queue.extend(c.parent_ids());
                        }
                    }
                }
                ObjectType::Tree => {
                    if let Ok(t) = repo.find_tree(oid) {
                        queue.extend(t.iter().map(|e| e.id()));
                    }
                }
                ObjectType::Tag => {
                    if let Ok(t) = repo.find_tag(oid) {
                        queue.push_back(t.target_id());
                    }
                }
                _ => {}
            }
        }
    }
    seen.len()
}
