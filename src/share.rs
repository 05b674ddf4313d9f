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

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use git2::Oid;
use thiserror::Error;

use crate::store::ledger::LEDGER_REF;
use crate::store::lock::{self, StoreLock};
use crate::store::{BRANCH, Store, StoreError, TAG_GLOB, edition_of_tag, tag_ref};

const INCOMING: &str = "refs/livedoc/incoming";

#[derive(Debug, Error)]
pub enum ShareError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{remote:?} is not a remote: it starts with '-'")]
    BadRemote { remote: String },
    #[error("git {command} failed: {stderr}")]
    Git { command: String, stderr: String },
    #[error("cannot run git: {0}")]
    Spawn(std::io::Error),
    #[error("the histories have diverged: {detail}{}", conflicts.iter().map(|c| format!("; {c}")).collect::<String>())]
    Diverged {
        detail: String,
        conflicts: Vec<String>,
    },
    #[error("the remote is ahead: it has editions this store has not ({editions})")]
    RemoteAhead { editions: String },
    #[error("conflicting editions: {}", conflicts.join("; "))]
    Conflicts { conflicts: Vec<String> },
    #[error("git: {}", .0.message())]
    Libgit(#[from] git2::Error),
}

impl ShareError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            ShareError::Store(e) => return e.hint(),
            ShareError::BadRemote { .. } => "name a remote, a path or a URL".into(),
            ShareError::Git { .. } => {
                "check the remote's path or URL and your access to it; to name a remote, run git --git-dir STORE remote add origin URL".into()
            }
            ShareError::Spawn(_) => "install git (livedoc uses it to talk to remotes)".into(),
            ShareError::Diverged { .. } | ShareError::Conflicts { .. } => {
                "published editions never change: agree which store is right, and import the other side's new text there under new edition ids".into()
            }
            ShareError::RemoteAhead { .. } => "pull first: livedoc pull REMOTE".into(),
            ShareError::Libgit(_) => return None,
        })
    }
}

/// What a push or pull did.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    /// Edition ids that moved, oldest first.
    pub editions: Vec<String>,
    pub up_to_date: bool,
}

fn git(store: &Path, args: &[&str]) -> Result<String, ShareError> {
    let out = Command::new("git")
        .arg("--git-dir")
        .arg(store)
        .args(args)
        .output()
        .map_err(ShareError::Spawn)?;
    if !out.status.success() {
        return Err(ShareError::Git {
            command: args.first().copied().unwrap_or_default().to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
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

/// Edition tags with one name and different ids on the two sides.
fn tag_conflicts(store: &Store) -> Result<Vec<String>, ShareError> {
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

fn describe(ids: &[(String, Oid)]) -> String {
    ids.iter()
        .map(|(id, _)| id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Brings the remote's new editions into this store, fast-forward only.
pub fn pull(store: &Store, remote: &str) -> Result<SyncReport, ShareError> {
    check_remote(remote)?;
    let _lock = StoreLock::acquire(store.path(), lock::WAIT)?;
    fetch(store, remote)?;
    let result = pull_fetched(store);
    clear_incoming(store)?;
    result
}

fn pull_fetched(store: &Store) -> Result<SyncReport, ShareError> {
    let local = store.head()?;
    let Some(theirs) = target(store, &format!("{INCOMING}/editions")) else {
        return Ok(SyncReport {
            up_to_date: true,
            ..SyncReport::default()
        });
    };
    let ours_list = editions_of(store, local)?;
    let theirs_list = editions_of(store, Some(theirs))?;
    let mut problems = conflicts(&ours_list, &theirs_list, store);
    problems.extend(tag_conflicts(store)?);
    if local == Some(theirs)
        || local.is_some_and(|l| store.repo().graph_descendant_of(l, theirs).unwrap_or(false))
    {
        if !problems.is_empty() {
            return Err(ShareError::Conflicts {
                conflicts: problems,
            });
        }
        return Ok(SyncReport {
            up_to_date: true,
            ..SyncReport::default()
        });
    }
    if !fast_forward(store, local, theirs) {
        return Err(ShareError::Diverged {
            detail: format!(
                "this store has {} and the remote has {} since their common editions",
                describe(&only_in(&ours_list, &theirs_list)),
                describe(&only_in(&theirs_list, &ours_list))
            ),
            conflicts: problems,
        });
    }
    if !problems.is_empty() {
        return Err(ShareError::Conflicts {
            conflicts: problems,
        });
    }
    let local_ledger = target(store, LEDGER_REF);
    let their_ledger = target(store, &format!("{INCOMING}/ledger"));
    if let Some(tl) = their_ledger
        && !fast_forward(store, local_ledger, tl)
    {
        return Err(ShareError::Diverged {
            detail: "the two ledgers have diverged".into(),
            conflicts: Vec::new(),
        });
    }
    // Move: tags (only new ones), then the branch, then the ledger.
    let repo = store.repo();
    let incoming_tags: Vec<(String, Oid)> = repo
        .references_glob(&format!("{INCOMING}/tags/*"))?
        .flatten()
        .filter_map(|r| {
            let name = r
                .name()
                .ok()?
                .trim_start_matches(&format!("{INCOMING}/tags/"))
                .to_string();
            Some((name, r.target()?))
        })
        .collect();
    for (id, t) in incoming_tags {
        if store.tag(&id)?.is_none() {
            repo.reference_matching(&tag_ref(&id), t, true, Oid::ZERO_SHA1, "livedoc pull")?;
        }
    }
    repo.reference_matching(
        BRANCH,
        theirs,
        true,
        local.unwrap_or(Oid::ZERO_SHA1),
        "livedoc pull",
    )?;
    if let Some(tl) = their_ledger
        && Some(tl) != local_ledger
    {
        repo.reference_matching(
            LEDGER_REF,
            tl,
            true,
            local_ledger.unwrap_or(Oid::ZERO_SHA1),
            "livedoc pull",
        )?;
    }
    Ok(SyncReport {
        editions: only_in(&theirs_list, &ours_list)
            .into_iter()
            .map(|(id, _)| id)
            .collect(),
        up_to_date: false,
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
    fetch(store, remote)?;
    let result = push_fetched(store, remote);
    clear_incoming(store)?;
    result
}

fn push_fetched(store: &Store, remote: &str) -> Result<SyncReport, ShareError> {
    let Some(local) = store.head()? else {
        return Ok(SyncReport {
            up_to_date: true,
            ..SyncReport::default()
        });
    };
    let theirs = target(store, &format!("{INCOMING}/editions"));
    let ours_list = editions_of(store, Some(local))?;
    let theirs_list = editions_of(store, theirs)?;
    let mut problems = conflicts(&ours_list, &theirs_list, store);
    problems.extend(tag_conflicts(store)?);
    if theirs == Some(local) {
        if !problems.is_empty() {
            return Err(ShareError::Conflicts {
                conflicts: problems,
            });
        }
        return Ok(SyncReport {
            up_to_date: true,
            ..SyncReport::default()
        });
    }
    if let Some(t) = theirs
        && !fast_forward(store, Some(t), local)
    {
        if store.repo().graph_descendant_of(t, local).unwrap_or(false) && problems.is_empty() {
            return Err(ShareError::RemoteAhead {
                editions: describe(&only_in(&theirs_list, &ours_list)),
            });
        }
        return Err(ShareError::Diverged {
            detail: format!(
                "this store has {} and the remote has {} since their common editions",
                describe(&only_in(&ours_list, &theirs_list)),
                describe(&only_in(&theirs_list, &ours_list))
            ),
            conflicts: problems,
        });
    }
    if !problems.is_empty() {
        return Err(ShareError::Conflicts {
            conflicts: problems,
        });
    }
    let mut args = vec![
        "push".to_string(),
        "--quiet".into(),
        "--atomic".into(),
        "--".into(),
        remote.to_string(),
        format!("{BRANCH}:{BRANCH}"),
        format!("{TAG_GLOB}:{TAG_GLOB}"),
    ];
    if target(store, LEDGER_REF).is_some() {
        args.push(format!("{LEDGER_REF}:{LEDGER_REF}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    git(store.path(), &args)?;
    Ok(SyncReport {
        editions: only_in(&ours_list, &theirs_list)
            .into_iter()
            .map(|(id, _)| id)
            .collect(),
        up_to_date: false,
    })
}
