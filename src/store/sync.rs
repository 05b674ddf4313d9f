//! Sharing a store through ordinary git remotes: `push` and `pull` move the
//! editions branch, the edition tags and the ledger, fast-forward only.
//!
//! The transport is the `git` command itself, so every remote git knows
//! (a path, `file://`, `ssh://`, `https://` with the user's credential
//! helpers) works, and a hosted git server is just another remote. Before
//! anything moves, the remote's refs are fetched into
//! `refs/livedoc/incoming/*` and compared: a diverged history is refused
//! and nothing changes; an edition id present on both sides with different
//! content is reported as a conflict.
//!
//! Only what a ledger seals moves: the commits of the sending side's
//! branch up to the newest one its ledger records, their tags and the
//! ledger. An edition beyond (an import running there, or killed after
//! its branch moved and before its ledger entry) stays behind and is
//! reported, since a copy of it would never be sealed on the receiving
//! side. Two ledgers that disagree about editions both branches hold are
//! named as such ([`ShareError::LedgerDiverged`]). Every record read from
//! the other side is read under [`crate::store::MAX_RECORD_BYTES`].

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Command;

use git2::Oid;
use thiserror::Error;

use crate::store::ledger::{ENTRY_FILE, LEDGER_REF, LedgerEntry};
use crate::store::lock::{self, StoreLock};
use crate::store::{BRANCH, Store, StoreError, TAG_GLOB, edition_of_tag, tag_ref};

const INCOMING: &str = "refs/livedoc/incoming";
/// Set by `pull` once what it fetched is validated, just before it moves
/// any ref; cleared with the incoming refs when it is done. `doctor`
/// finishes a pull that was killed while this ref stood, and only then.
const PULLING: &str = "refs/livedoc/incoming/pulling";

/// The transports a remote may use: local paths and `file`, `ssh`, `git`,
/// `http` and `https`. Everything else (`ext::`, `fd::` and other remote
/// helpers, which run commands) is refused by git itself.
const PROTOCOLS: [&str; 12] = [
    "-c",
    "protocol.allow=never",
    "-c",
    "protocol.file.allow=always",
    "-c",
    "protocol.ssh.allow=always",
    "-c",
    "protocol.git.allow=always",
    "-c",
    "protocol.http.allow=always",
    "-c",
    "protocol.https.allow=always",
];

#[derive(Debug, Error)]
pub enum ShareError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{remote:?} is not a remote: it starts with '-'")]
    BadRemote { remote: String },
    #[error("{remote:?} names a transport livedoc does not use ({transport})")]
    BadTransport { remote: String, transport: String },
    #[error(
        "the remote is a shallow clone: it lacks earlier editions, so this store cannot check what it would pull"
    )]
    Shallow,
    #[error("the remote's {what} is not acceptable: {why}")]
    BadRef { what: String, why: String },
    #[error("the remote cannot be reached or read (git {command}): {stderr}")]
    Git { command: String, stderr: String },
    #[error("cannot run git: {0}")]
    Spawn(std::io::Error),
    #[error("the histories have diverged: {detail}{}", conflicts.iter().map(|c| format!("; {c}")).collect::<String>())]
    Diverged {
        detail: String,
        conflicts: Vec<String>,
    },
    #[error(
        "this store and the remote share no history: each imported its editions on its own{}{}",
        same_text_note(same_text),
        conflicts.iter().map(|c| format!("; {c}")).collect::<String>()
    )]
    SeparateHistories {
        /// Editions both imported from the same source (equal sha256).
        same_text: Vec<String>,
        /// Editions both hold under one id with different sources.
        conflicts: Vec<String>,
    },
    #[error("the remote is ahead: it has editions this store has not ({editions})")]
    RemoteAhead { editions: String },
    #[error(
        "the remote's ledger seals editions that this store holds unsealed ({editions}); nothing was pushed"
    )]
    RemoteSealed { editions: String },
    #[error(
        "the ledgers have diverged although the editions branches have not: {detail}; nothing moved"
    )]
    LedgerDiverged { detail: String },
    #[error(
        "the remote's editions changed while this push was sending (another push reached it first); nothing of this push landed"
    )]
    RemoteMoved,
    #[error("conflicting editions: {}", conflicts.join("; "))]
    Conflicts { conflicts: Vec<String> },
    #[error("git: {}", .0.message())]
    Libgit(#[from] git2::Error),
}

/// What a push or pull did.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    /// Edition ids that moved, oldest first.
    pub editions: Vec<String>,
    pub up_to_date: bool,
    /// Editions this store held unsealed whose ledger entries a pull
    /// brought (their commits were here already), oldest first.
    pub sealed: Vec<String>,
    /// The sending side's newest edition, when its ledger does not seal
    /// it: it, and any before it back to the newest sealed one, stayed
    /// behind.
    pub unsealed: Option<Unsealed>,
}

/// An edition on a branch beyond what its ledger seals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsealed {
    /// The newest edition of the branch (not sealed).
    pub newest: String,
    /// The newest edition its ledger seals, up to which editions moved;
    /// `None` when it seals none.
    pub sealed: Option<String>,
}

fn git(store: &Path, args: &[&str]) -> Result<String, ShareError> {
    let out = Command::new("git")
        .args(PROTOCOLS)
        .arg("--git-dir")
        .arg(store)
        .args(args)
        .env("GIT_PROTOCOL_FROM_USER", "0")
        .output()
        .map_err(ShareError::Spawn)?;
    if !out.status.success() {
        // What git relays from the remote ("remote: …") is the remote's
        // text: each line escaped, and indented so that no line of it can
        // pass for livedoc's own "error:" or "hint:".
        // git's generic advice after a failure says nothing the hint does
        // not, and an empty line nothing at all: only what git found is
        // kept, as detail.
        const GENERIC: [&str; 3] = [
            "fatal: Could not read from remote repository.",
            "Please make sure you have the correct access rights",
            "and the repository exists.",
        ];
        let stderr = String::from_utf8_lossy(&out.stderr)
            .trim()
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty() && !GENERIC.contains(&l.trim()))
            .map(crate::text::one_line)
            .collect::<Vec<_>>()
            .join("\n  ");
        return Err(ShareError::Git {
            command: args.first().copied().unwrap_or_default().to_string(),
            stderr,
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn check_remote(remote: &str) -> Result<(), ShareError> {
    if remote.starts_with('-') || remote.is_empty() {
        return Err(ShareError::BadRemote {
            remote: remote.to_string(),
        });
    }
    // `TRANSPORT::ADDRESS` runs a remote helper; git would refuse it too
    // (see PROTOCOLS), but the user deserves to hear why.
    if let Some((transport, _)) = remote.split_once("::") {
        return Err(ShareError::BadTransport {
            remote: remote.to_string(),
            transport: format!("{transport}::"),
        });
    }
    if let Some((scheme, _)) = remote.split_once("://")
        && !["file", "ssh", "git", "http", "https", "git+ssh", "ssh+git"]
            .contains(&scheme.to_ascii_lowercase().as_str())
    {
        return Err(ShareError::BadTransport {
            remote: remote.to_string(),
            transport: format!("{scheme}://"),
        });
    }
    Ok(())
}

/// The remote's refs, as `(name, id)`.
fn remote_refs(store: &Store, remote: &str) -> Result<HashMap<String, String>, ShareError> {
    let list = git(store.path(), &["ls-remote", "--", remote])?;
    Ok(list
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(id, name)| (name.to_string(), id.to_string()))
        .collect())
}

/// Fetches the remote's editions, ledger and tags into the incoming refs.
fn fetch(store: &Store, remote: &str) -> Result<(), ShareError> {
    clear_incoming(store)?;
    let refs = remote_refs(store, remote)?;
    let mut specs = Vec::new();
    if refs.contains_key(BRANCH) {
        specs.push(format!("+{BRANCH}:{INCOMING}/editions"));
    }
    if refs.contains_key(LEDGER_REF) {
        specs.push(format!("+{LEDGER_REF}:{INCOMING}/ledger"));
    }
    if refs.keys().any(|k| edition_of_tag(k).is_some()) {
        specs.push(format!("+{TAG_GLOB}:{INCOMING}/tags/*"));
    }
    if specs.is_empty() {
        return Ok(());
    }
    // An empty --refmap: only the refspecs given are updated, not the
    // remote-tracking refs of a remote configured under that name.
    let mut args = vec!["fetch", "--quiet", "--no-tags", "--refmap=", "--", remote];
    args.extend(specs.iter().map(String::as_str));
    git(store.path(), &args)?;
    // Git fetches from a shallow clone "successfully" while it rejects the
    // refs whose history it cannot complete: a branch the remote has and
    // that did not arrive means the remote is shallow.
    if refs.contains_key(BRANCH) && target(store, &format!("{INCOMING}/editions")).is_none() {
        clear_incoming(store)?;
        return Err(ShareError::Shallow);
    }
    Ok(())
}

fn clear_incoming(store: &Store) -> Result<(), ShareError> {
    let repo = store.repo();
    let names: Vec<String> = repo
        .references_glob(&format!("{INCOMING}/*"))?
        .flatten()
        .filter_map(|r| r.name().ok().map(str::to_string))
        .collect();
    for n in names {
        repo.find_reference(&n)?.delete()?;
    }
    Ok(())
}

/// The incoming refs of one push or pull: fetched when made, removed when
/// dropped, so that no error (the `?` of any step) leaves them behind.
/// (Only a kill does; the next push, pull or `doctor` removes them.)
struct Incoming<'a> {
    store: &'a Store,
    cleared: bool,
}

impl<'a> Incoming<'a> {
    fn fetch(store: &'a Store, remote: &str) -> Result<Incoming<'a>, ShareError> {
        let guard = Incoming {
            store,
            cleared: false,
        };
        fetch(store, remote)?;
        Ok(guard)
    }

    /// Removes the incoming refs, reporting a failure to.
    fn clear(mut self) -> Result<(), ShareError> {
        self.cleared = true;
        clear_incoming(self.store)
    }
}

impl Drop for Incoming<'_> {
    fn drop(&mut self) {
        if !self.cleared {
            let _ = clear_incoming(self.store);
        }
    }
}

/// The entry of one ledger commit, read as the ledger reads it (under
/// [`crate::store::MAX_RECORD_BYTES`]); or why it cannot be read, naming
/// the commit.
fn ledger_entry(store: &Store, commit: Oid) -> Result<LedgerEntry, String> {
    super::ledger::entry_of(store.repo(), commit)
        .map(|(entry, _)| entry)
        .map_err(|what| format!("{ENTRY_FILE} of ledger commit {commit}: {what}"))
}

/// A ledger's commits from `head` back to (not including) `stop`, newest
/// first, with their entries.
fn ledger_back_to(
    store: &Store,
    head: Option<Oid>,
    stop: Option<Oid>,
) -> Result<Vec<(Oid, LedgerEntry)>, String> {
    let mut out = Vec::new();
    let mut at = head;
    while let Some(c) = at {
        if Some(c) == stop {
            break;
        }
        out.push((c, ledger_entry(store, c)?));
        at = store
            .repo()
            .find_commit(c)
            .map_err(|e| format!("ledger commit {c} cannot be read: {}", e.message()))?
            .parent_id(0)
            .ok();
    }
    Ok(out)
}

/// Editions along a branch, oldest first, with their commits.
type Editions = Vec<(String, Oid)>;

/// Splits a branch's editions (oldest first) at the newest one its ledger
/// (`ledger`, its head) records: the sealed ones, and the newest edition
/// beyond them if the branch goes further. A ledger whose newest entry
/// names no commit of the branch is an error, in words.
fn sealed_part(
    store: &Store,
    mut list: Vec<(String, Oid)>,
    ledger: Option<Oid>,
) -> Result<(Editions, Option<Unsealed>), String> {
    let keep = match ledger {
        None => 0,
        Some(head) => {
            let entry = ledger_entry(store, head)?;
            let named = Oid::from_str(&entry.commit).ok();
            match list.iter().position(|(_, c)| Some(*c) == named) {
                Some(at) => at + 1,
                None => {
                    return Err(format!(
                        "its newest entry (edition {}) names commit {}, which is not on its editions branch",
                        crate::text::one_line(&entry.edition),
                        crate::text::one_line(&entry.commit)
                    ));
                }
            }
        }
    };
    let unsealed = (keep < list.len()).then(|| Unsealed {
        newest: list.last().map(|(id, _)| id.clone()).unwrap_or_default(),
        sealed: keep.checked_sub(1).map(|at| list[at].0.clone()),
    });
    list.truncate(keep);
    Ok((list, unsealed))
}

/// How two ledgers (their heads) stand to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ledgers {
    Same,
    /// This store's has every entry of the other side's, and more.
    OursAhead,
    /// The other side's has every entry of this store's, and more.
    TheirsAhead,
    Diverged,
}

fn ledgers(store: &Store, ours: Option<Oid>, theirs: Option<Oid>) -> Ledgers {
    match (ours, theirs) {
        (o, t) if o == t => Ledgers::Same,
        (_, None) => Ledgers::OursAhead,
        (None, Some(_)) => Ledgers::TheirsAhead,
        (Some(o), Some(t)) => {
            let repo = store.repo();
            if repo.graph_descendant_of(o, t).unwrap_or(false) {
                Ledgers::OursAhead
            } else if repo.graph_descendant_of(t, o).unwrap_or(false) {
                Ledgers::TheirsAhead
            } else {
                Ledgers::Diverged
            }
        }
    }
}

/// Where two diverged ledgers part, in words: the first entry that
/// differs, as each side has it.
fn ledger_divergence(store: &Store, ours: Option<Oid>, theirs: Option<Oid>) -> ShareError {
    let base = match (ours, theirs) {
        (Some(o), Some(t)) => store.repo().merge_base(o, t).ok(),
        _ => None,
    };
    let side = |head| {
        let mut entries = ledger_back_to(store, head, base)?;
        entries.reverse();
        Ok::<_, String>(entries)
    };
    let seal = |e: Option<&(Oid, LedgerEntry)>| match e {
        Some((_, e)) => format!(
            "records edition {} (commit {})",
            crate::text::one_line(&e.edition),
            crate::text::one_line(&e.commit)
        ),
        None => "has no entry".to_string(),
    };
    let detail = match (side(ours), side(theirs)) {
        (Ok(o), Ok(t)) => {
            let seq = o.first().or(t.first()).map_or(1, |(_, e)| e.seq);
            format!(
                "from entry {seq} on, this store's ledger {} and the remote's {}",
                seal(o.first()),
                seal(t.first())
            )
        }
        (Err(why), _) | (_, Err(why)) => format!(
            "this store's ledger is at {}, the remote's at {} ({why})",
            ours.map_or("nothing".into(), |o| o.to_string()),
            theirs.map_or("nothing".into(), |t| t.to_string())
        ),
    };
    ShareError::LedgerDiverged { detail }
}

/// A failure to read what the remote sent, as the remote's fault.
fn remote_fault(what: &str) -> impl FnOnce(String) -> ShareError + '_ {
    move |why| ShareError::BadRef {
        what: what.to_string(),
        why,
    }
}

/// [`editions_of`] for the remote's branch: a record that cannot be read
/// there is the remote's fault, not this store's.
fn remote_editions(store: &Store, head: Option<Oid>) -> Result<Vec<(String, Oid)>, ShareError> {
    editions_of(store, head).map_err(|e| match e {
        ShareError::Store(e) => remote_fault("editions branch")(e.to_string()),
        e => e,
    })
}

fn target(store: &Store, name: &str) -> Option<Oid> {
    store
        .repo()
        .find_reference(name)
        .ok()
        .and_then(|r| r.target())
}

/// Whether `from` can move to `to` by fast-forward.
fn fast_forward(store: &Store, from: Option<Oid>, to: Oid) -> bool {
    match from {
        None => true,
        Some(f) => f == to || store.repo().graph_descendant_of(to, f).unwrap_or(false),
    }
}

/// The edition ids along a branch, oldest first, with their commits.
fn editions_of(store: &Store, head: Option<Oid>) -> Result<Vec<(String, Oid)>, ShareError> {
    let Some(head) = head else {
        return Ok(Vec::new());
    };
    let repo = store.repo();
    let mut walk = repo.revwalk()?;
    walk.push(head)?;
    walk.simplify_first_parent()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    let mut out = Vec::new();
    for c in walk {
        let c = c?;
        out.push((store.meta(c)?.id, c));
    }
    Ok(out)
}

/// Editions with one id and different content on the two sides.
fn conflicts(local: &[(String, Oid)], remote: &[(String, Oid)], store: &Store) -> Vec<String> {
    let theirs: HashMap<&str, Oid> = remote.iter().map(|(id, c)| (id.as_str(), *c)).collect();
    local
        .iter()
        .filter_map(|(id, c)| {
            let other = theirs.get(id.as_str())?;
            let tree = |c: Oid| store.repo().find_commit(c).map(|c| c.tree_id()).ok();
            (other != c && tree(*other) != tree(*c))
                .then(|| format!("edition {id} differs (here commit {c}, there commit {other})"))
        })
        .collect()
}

/// Edition tags with one name and different ids on the two sides (of the
/// editions `only` names, when it names some).
fn tag_conflicts(store: &Store, only: Option<&HashSet<&str>>) -> Result<Vec<String>, ShareError> {
    let repo = store.repo();
    let mut out = Vec::new();
    for r in repo
        .references_glob(&format!("{INCOMING}/tags/*"))?
        .flatten()
    {
        let name = r.name().unwrap_or_default();
        let id = name
            .trim_start_matches(&format!("{INCOMING}/tags/"))
            .to_string();
        if only.is_some_and(|only| !only.contains(id.as_str())) {
            continue;
        }
        if let (Some(theirs), Ok(Some(ours))) = (r.target(), store.tag(&id))
            && theirs != ours
        {
            out.push(format!(
                "tag edition/{id} differs (here {ours}, there {theirs})"
            ));
        }
    }
    Ok(out)
}

fn same_text_note(same: &[String]) -> String {
    match same {
        [] => String::new(),
        [one] => format!(" (edition {one} has the same text on both sides, imported twice)"),
        many => format!(
            " (editions {} have the same text on both sides, imported twice)",
            many.join(", ")
        ),
    }
}

/// The error for branches that cannot fast-forward: histories that parted
/// after common editions, or two stores that never shared one (each
/// imported the published editions itself), whose remedy differs.
fn divergence(
    store: &Store,
    ours: &[(String, Oid)],
    theirs: &[(String, Oid)],
    problems: Vec<String>,
) -> ShareError {
    let theirs_commits: HashSet<Oid> = theirs.iter().map(|(_, c)| *c).collect();
    if ours.iter().any(|(_, c)| theirs_commits.contains(c)) {
        return ShareError::Diverged {
            detail: format!(
                "this store has {} and the remote has {} since their common editions",
                describe(&only_in(ours, theirs)),
                describe(&only_in(theirs, ours))
            ),
            conflicts: problems,
        };
    }
    let by_id: HashMap<&str, Oid> = theirs.iter().map(|(id, c)| (id.as_str(), *c)).collect();
    let sha = |c: Oid| store.meta(c).ok().map(|m| m.source.sha256);
    let mut same_text = Vec::new();
    let mut conflicts = Vec::new();
    for (id, here) in ours {
        let Some(&there) = by_id.get(id.as_str()) else {
            continue;
        };
        match (sha(*here), sha(there)) {
            (Some(a), Some(b)) if a == b => same_text.push(id.clone()),
            _ => conflicts.push(format!(
                "edition {id} differs (here commit {here}, there commit {there})"
            )),
        }
    }
    ShareError::SeparateHistories {
        same_text,
        conflicts,
    }
}

fn describe(ids: &[(String, Oid)]) -> String {
    ids.iter()
        .map(|(id, _)| id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Brings the remote's new editions into this store, fast-forward only.
pub fn pull(store: &Store, remote: &str) -> Result<SyncReport, ShareError> {
    // Objects from elsewhere are checked against their ids as they are read.
    let mut checking = None;
    let store = store.checking(&mut checking)?;
    check_remote(remote)?;
    let _lock = StoreLock::acquire(store.path(), lock::WAIT)?;
    let incoming = Incoming::fetch(store, remote)?;
    let result = pull_fetched(store);
    incoming.clear()?;
    // The history index is each store's own: it catches up with what came
    // (or, failing that, readers read those editions' records).
    if result.is_ok() {
        let _ = crate::store::index::catch_up(store);
    }
    result
}

/// With the writers' lock held: finishes a pull that was killed after it
/// validated what it fetched and began moving refs (its incoming refs and
/// the [`PULLING`] mark are still there), or forgets what an interrupted
/// push or pull fetched before that point. Returns what it did, in words,
/// or `None` when there was nothing.
pub fn finish_interrupted(store: &Store) -> Result<Option<String>, ShareError> {
    let any = store
        .repo()
        .references_glob(&format!("{INCOMING}/*"))?
        .flatten()
        .next()
        .is_some();
    if !any {
        return Ok(None);
    }
    if target(store, PULLING).is_none() {
        clear_incoming(store)?;
        return Ok(Some(
            "forgot what an interrupted push or pull had fetched (nothing had moved)".into(),
        ));
    }
    let result = pull_fetched(store);
    clear_incoming(store)?;
    let r = result?;
    Ok(Some(format!(
        "finished an interrupted pull{}",
        if r.editions.is_empty() {
            String::new()
        } else {
            format!(" (editions {})", r.editions.join(", "))
        }
    )))
}

/// What a pull would bring, validated: the remote's sealed editions
/// (oldest first), the newest edition beyond them if its branch goes
/// further, and the tags of the sealed editions.
struct Fetched {
    list: Vec<(String, Oid)>,
    unsealed: Option<Unsealed>,
    tags: Vec<(String, Oid)>,
}

/// Checks everything a pull would bring before anything moves: the
/// remote's branch has its whole history (not a shallow clone), each of
/// its editions has a valid id, each edition tag has a valid name, names
/// an edition on that branch and points at that edition, and the newest
/// entry of its ledger (`ledger`) names a commit of that branch, up to
/// which the pull goes.
fn validate_incoming(
    store: &Store,
    theirs: Oid,
    ledger: Option<Oid>,
) -> Result<Fetched, ShareError> {
    let repo = store.repo();
    let mut at = theirs;
    loop {
        let c = repo.find_commit(at).map_err(|_| ShareError::Shallow)?;
        match c.parent_ids().next() {
            None => break,
            Some(p) => {
                if repo.find_commit(p).is_err() {
                    return Err(ShareError::Shallow);
                }
                at = p;
            }
        }
    }
    if repo.path().join("shallow").exists() {
        return Err(ShareError::Shallow);
    }
    let list = remote_editions(store, Some(theirs))?;
    for (id, _) in &list {
        crate::ids::EditionId::new(id).map_err(|e| ShareError::BadRef {
            what: format!("edition {}", crate::text::one_line(id)),
            why: e.to_string(),
        })?;
    }
    let commits: HashMap<&str, Oid> = list.iter().map(|(id, c)| (id.as_str(), *c)).collect();
    let prefix = format!("{INCOMING}/tags/");
    let mut tags = Vec::new();
    for r in repo.references_glob(&format!("{prefix}*"))?.flatten() {
        let name = r
            .name()
            .unwrap_or_default()
            .trim_start_matches(&prefix)
            .to_string();
        let what = format!("tag edition/{}", crate::text::one_line(&name));
        crate::ids::EditionId::new(&name).map_err(|e| ShareError::BadRef {
            what: what.clone(),
            why: e.to_string(),
        })?;
        let Some(&commit) = commits.get(name.as_str()) else {
            return Err(ShareError::BadRef {
                what,
                why: "it names an edition that is not on the remote's editions branch".into(),
            });
        };
        let points = r.peel_to_commit().map(|c| c.id()).ok();
        if points != Some(commit) {
            return Err(ShareError::BadRef {
                what,
                why: format!("it does not point at edition {name} (commit {commit})"),
            });
        }
        if let Some(t) = r.target() {
            tags.push((name, t));
        }
    }
    let (list, unsealed) = sealed_part(store, list, ledger).map_err(remote_fault("ledger"))?;
    let sealed: HashSet<&str> = list.iter().map(|(id, _)| id.as_str()).collect();
    tags.retain(|(id, _)| sealed.contains(id.as_str()));
    Ok(Fetched {
        list,
        unsealed,
        tags,
    })
}

fn pull_fetched(store: &Store) -> Result<SyncReport, ShareError> {
    let local = store.head()?;
    let Some(tip) = target(store, &format!("{INCOMING}/editions")) else {
        return Ok(SyncReport {
            up_to_date: true,
            ..SyncReport::default()
        });
    };
    let their_ledger = target(store, &format!("{INCOMING}/ledger"));
    let Fetched {
        list: theirs_list,
        unsealed,
        tags: incoming_tags,
    } = validate_incoming(store, tip, their_ledger)?;
    // The remote's ledger seals none of its editions: nothing to bring.
    let Some(theirs) = theirs_list.last().map(|(_, c)| *c) else {
        return Ok(SyncReport {
            up_to_date: true,
            unsealed,
            ..SyncReport::default()
        });
    };
    let ours_list = editions_of(store, local)?;
    let mut problems = conflicts(&ours_list, &theirs_list, store);
    let sealed_ids: HashSet<&str> = theirs_list.iter().map(|(id, _)| id.as_str()).collect();
    problems.extend(tag_conflicts(store, Some(&sealed_ids))?);
    // A pull killed after the branch moved finishes its tags and ledger.
    let resuming = target(store, PULLING).is_some() && local == Some(theirs);
    let here_already = local == Some(theirs)
        || local.is_some_and(|l| store.repo().graph_descendant_of(l, theirs).unwrap_or(false));
    if !here_already && !fast_forward(store, local, theirs) {
        return Err(divergence(store, &ours_list, &theirs_list, problems));
    }
    if !problems.is_empty() {
        return Err(ShareError::Conflicts {
            conflicts: problems,
        });
    }
    // The branches agree (one is the other's ancestor): so must the
    // ledgers. A pull moves the ledger only forward, and when the branch
    // moves, the remote's ledger (which seals its newest edition) must be
    // ahead of this store's.
    let local_ledger = target(store, LEDGER_REF);
    let standing = ledgers(store, local_ledger, their_ledger);
    match standing {
        Ledgers::Diverged => return Err(ledger_divergence(store, local_ledger, their_ledger)),
        Ledgers::OursAhead | Ledgers::Same if !here_already => {
            return Err(ledger_divergence(store, local_ledger, their_ledger));
        }
        Ledgers::OursAhead | Ledgers::Same if !resuming => {
            return Ok(SyncReport {
                up_to_date: true,
                unsealed,
                ..SyncReport::default()
            });
        }
        _ => {}
    }
    // The editions whose ledger entries arrive, newest first.
    let entries = if standing == Ledgers::TheirsAhead {
        ledger_back_to(store, their_ledger, local_ledger).map_err(remote_fault("ledger"))?
    } else {
        Vec::new()
    };
    // Move: tags (only new ones), then the branch, then the ledger; the
    // mark first, so that a kill from here on is finished by doctor.
    let repo = store.repo();
    repo.reference(PULLING, theirs, true, "livedoc pull: moving refs")?;
    for (id, t) in incoming_tags {
        if store.tag(&id)?.is_none() {
            repo.reference_matching(&tag_ref(&id), t, true, Oid::ZERO_SHA1, "livedoc pull")?;
        }
    }
    crate::store::failpoint("pull:tags-moved");
    if !here_already {
        repo.reference_matching(
            BRANCH,
            theirs,
            true,
            local.unwrap_or(Oid::ZERO_SHA1),
            "livedoc pull",
        )?;
    }
    crate::store::failpoint("pull:branch-moved");
    if let Some(tl) = their_ledger
        && standing == Ledgers::TheirsAhead
    {
        repo.reference_matching(
            LEDGER_REF,
            tl,
            true,
            local_ledger.unwrap_or(Oid::ZERO_SHA1),
            "livedoc pull",
        )?;
    }
    let editions: Vec<String> = if resuming || here_already {
        Vec::new()
    } else {
        only_in(&theirs_list, &ours_list)
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    };
    // Entries for commits this store held before the pull: editions it
    // held unsealed (an earlier livedoc pulled them so).
    let held: HashSet<Oid> = ours_list.iter().map(|(_, c)| *c).collect();
    let sealed = if resuming {
        Vec::new()
    } else {
        entries
            .iter()
            .rev()
            .filter(|(_, e)| Oid::from_str(&e.commit).is_ok_and(|c| held.contains(&c)))
            .map(|(_, e)| e.edition.clone())
            .collect()
    };
    Ok(SyncReport {
        editions,
        up_to_date: false,
        sealed,
        unsealed,
    })
}

fn only_in(a: &[(String, Oid)], b: &[(String, Oid)]) -> Vec<(String, Oid)> {
    let theirs: std::collections::HashSet<Oid> = b.iter().map(|(_, c)| *c).collect();
    a.iter()
        .filter(|(_, c)| !theirs.contains(c))
        .cloned()
        .collect()
}

/// Sends this store's new editions to the remote, fast-forward only and
/// atomically (all refs or none).
pub fn push(store: &Store, remote: &str) -> Result<SyncReport, ShareError> {
    check_remote(remote)?;
    let _lock = StoreLock::acquire(store.path(), lock::WAIT)?;
    let incoming = Incoming::fetch(store, remote)?;
    let result = push_fetched(store, remote);
    incoming.clear()?;
    result
}

fn push_fetched(store: &Store, remote: &str) -> Result<SyncReport, ShareError> {
    let Some(tip) = store.head()? else {
        return Ok(SyncReport {
            up_to_date: true,
            ..SyncReport::default()
        });
    };
    // Only what this store's ledger seals is sent: an edition beyond (an
    // import interrupted here, or one added with plain git) would reach
    // the remote unsealed.
    let local_ledger = target(store, LEDGER_REF);
    let (ours_list, unsealed) = sealed_part(store, editions_of(store, Some(tip))?, local_ledger)
        .map_err(|what| StoreError::Corrupt {
            commit: local_ledger.unwrap_or(tip),
            what: format!("the ledger does not match the editions branch: {what}"),
        })?;
    let Some(local) = ours_list.last().map(|(_, c)| *c) else {
        return Ok(SyncReport {
            up_to_date: true,
            unsealed,
            ..SyncReport::default()
        });
    };
    let theirs = target(store, &format!("{INCOMING}/editions"));
    let their_ledger = target(store, &format!("{INCOMING}/ledger"));
    let theirs_list = remote_editions(store, theirs)?;
    let mut problems = conflicts(&ours_list, &theirs_list, store);
    problems.extend(tag_conflicts(store, None)?);
    if let Some(t) = theirs
        && t != local
        && !fast_forward(store, Some(t), local)
    {
        if store.repo().graph_descendant_of(t, local).unwrap_or(false) && problems.is_empty() {
            return Err(ShareError::RemoteAhead {
                editions: describe(&only_in(&theirs_list, &ours_list)),
            });
        }
        return Err(divergence(store, &ours_list, &theirs_list, problems));
    }
    if !problems.is_empty() {
        return Err(ShareError::Conflicts {
            conflicts: problems,
        });
    }
    // The branches agree: the remote's ledger must be this store's, or
    // behind it. Ahead, it seals editions held here unsealed (a pull takes
    // its entries); diverged, no push or pull can reconcile them.
    let same_branch = theirs == Some(local);
    match ledgers(store, local_ledger, their_ledger) {
        Ledgers::Same if same_branch => {
            return Ok(SyncReport {
                up_to_date: true,
                unsealed,
                ..SyncReport::default()
            });
        }
        Ledgers::TheirsAhead if same_branch => {
            let entries = ledger_back_to(store, their_ledger, local_ledger)
                .map_err(remote_fault("ledger"))?;
            return Err(ShareError::RemoteSealed {
                editions: entries
                    .iter()
                    .rev()
                    .map(|(_, e)| crate::text::one_line(&e.edition))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        Ledgers::OursAhead => {}
        _ => return Err(ledger_divergence(store, local_ledger, their_ledger)),
    }
    // The branch at the newest sealed edition, the tags the remote lacks
    // of the editions sent, and the ledger.
    let mut args = vec![
        "push".to_string(),
        "--quiet".into(),
        "--atomic".into(),
        "--".into(),
        remote.to_string(),
        format!("{local}:{BRANCH}"),
    ];
    for (id, _) in &ours_list {
        if store.tag(id)?.is_some() && target(store, &format!("{INCOMING}/tags/{id}")).is_none() {
            let tag = tag_ref(id);
            args.push(format!("{tag}:{tag}"));
        }
    }
    if local_ledger.is_some() {
        args.push(format!("{LEDGER_REF}:{LEDGER_REF}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match git(store.path(), &args) {
        Ok(_) => {}
        // The push is atomic: when the remote moved since the fetch above
        // (another push got there first), git refuses every ref.
        Err(ShareError::Git { stderr, .. })
            if [
                "[rejected]",
                "fetch first",
                "non-fast-forward",
                "cannot lock ref",
                "failed to update ref",
                "atomic push failed",
            ]
            .iter()
            .any(|s| stderr.contains(s)) =>
        {
            return Err(ShareError::RemoteMoved);
        }
        Err(e) => return Err(e),
    }
    Ok(SyncReport {
        editions: only_in(&ours_list, &theirs_list)
            .into_iter()
            .map(|(id, _)| id)
            .collect(),
        up_to_date: false,
        sealed: Vec::new(),
        unsealed,
    })
}
