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
        let stderr = String::from_utf8_lossy(&out.stderr)
            .trim()
            .lines()
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
    // Objects from elsewhere are checked against their ids as they are read.
    let mut checking = None;
    let store = store.checking(&mut checking)?;
    check_remote(remote)?;
    let _lock = StoreLock::acquire(store.path(), lock::WAIT)?;
    fetch(store, remote)?;
    let result = pull_fetched(store);
    clear_incoming(store)?;
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

/// Checks everything a pull would bring before anything moves: the
/// remote's branch has its whole history (not a shallow clone), each of
/// its editions has a valid id, and each edition tag has a valid name,
/// names an edition on that branch and points at that edition.
fn validate_incoming(store: &Store, theirs: Oid) -> Result<Vec<(String, Oid)>, ShareError> {
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
    let list = editions_of(store, Some(theirs))?;
    for (id, _) in &list {
        crate::ids::EditionId::new(id).map_err(|e| ShareError::BadRef {
            what: format!("edition {}", crate::text::one_line(id)),
            why: e.to_string(),
        })?;
    }
    let commits: HashMap<&str, Oid> = list.iter().map(|(id, c)| (id.as_str(), *c)).collect();
    let prefix = format!("{INCOMING}/tags/");
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
    }
    Ok(list)
}

fn pull_fetched(store: &Store) -> Result<SyncReport, ShareError> {
    let local = store.head()?;
    let Some(theirs) = target(store, &format!("{INCOMING}/editions")) else {
        return Ok(SyncReport {
            up_to_date: true,
            ..SyncReport::default()
        });
    };
    let theirs_list = validate_incoming(store, theirs)?;
    let ours_list = editions_of(store, local)?;
    let mut problems = conflicts(&ours_list, &theirs_list, store);
    problems.extend(tag_conflicts(store)?);
    // A pull killed after the branch moved finishes its tags and ledger.
    let resuming = target(store, PULLING).is_some() && local == Some(theirs);
    if !resuming
        && (local == Some(theirs)
            || local.is_some_and(|l| store.repo().graph_descendant_of(l, theirs).unwrap_or(false)))
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
    // Move: tags (only new ones), then the branch, then the ledger; the
    // mark first, so that a kill from here on is finished by doctor.
    let repo = store.repo();
    repo.reference(PULLING, theirs, true, "livedoc pull: moving refs")?;
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
    crate::store::failpoint("pull:tags-moved");
    if local != Some(theirs) {
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
    let editions = if resuming {
        Vec::new()
    } else {
        only_in(&theirs_list, &ours_list)
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    };
    Ok(SyncReport {
        editions,
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
    })
}
