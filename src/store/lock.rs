//! The writers' lock: one file, `livedoc.lock` in the store, created
//! exclusively while an edition is cut, so that the branch, the tag and the
//! ledger entry of one edition are written before the next writer starts
//! (the ledger's order is then the branch's order).
//!
//! Waiting writers retry with bounded, jittered back-off. A lock whose
//! holder is gone, or that is older than [`STALE_AFTER`], is reported with
//! its path and the command that clears it; it is never deleted silently.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use super::StoreError;

/// The lock file's name inside the store.
pub const LOCK_FILE: &str = "livedoc.lock";
/// A lock older than this is reported as stale.
pub const STALE_AFTER: Duration = Duration::from_secs(600);
/// A lock file still empty after this long was left by a killed writer.
const UNWRITTEN_AFTER: Duration = Duration::from_secs(2);
/// How long a writer waits for the lock before giving up.
pub const WAIT: Duration = Duration::from_secs(120);

/// Held while an edition is written; removes its file when dropped.
#[derive(Debug)]
pub struct StoreLock {
    path: PathBuf,
}

/// Why a lock is in the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocked {
    /// Its holder still runs but has held it for too long.
    Stale { age: Duration },
    /// The process that took it is gone.
    Abandoned { pid: u32 },
    /// Waited [`WAIT`] and it is still held.
    Busy,
}

impl Blocked {
    /// What is in the way, as every message about a lock says it:
    /// `the store is locked by PATH, left by process 12, which is no
    /// longer running`.
    pub fn describe(&self, path: &Path) -> String {
        let path = path.display();
        match self {
            Blocked::Busy => format!(
                "another livedoc is writing to this store and still holds {path} after {} s",
                WAIT.as_secs()
            ),
            Blocked::Abandoned { pid: 0 } => format!(
                "the store is locked by {path}, left empty by a process that was killed before it wrote its id"
            ),
            Blocked::Abandoned { pid } => format!(
                "the store is locked by {path}, left by process {pid}, which is no longer running"
            ),
            Blocked::Stale { age } => format!(
                "the store is locked by {path}, taken {} minutes ago",
                age.as_secs() / 60
            ),
        }
    }

    /// What removing an abandoned lock did, as `doctor` reports it.
    pub fn removed(pid: u32, path: &Path) -> String {
        let path = path.display();
        match pid {
            0 => format!("removed {path}, left empty by a killed process"),
            _ => format!("removed {path}, left by process {pid}, which is no longer running"),
        }
    }
}

fn holder_pid(text: &str) -> Option<u32> {
    text.lines()
        .find_map(|l| l.strip_prefix("pid="))
        .and_then(|p| p.trim().parse().ok())
}

/// The host a lock names; a lock that names none, or an empty one, was
/// written on this machine (half-written by a writer killed in between,
/// before livedoc wrote its lock in one piece).
fn holder_host(text: &str) -> Option<&str> {
    text.lines()
        .find_map(|l| l.strip_prefix("host="))
        .filter(|h| !h.trim().is_empty())
}

/// This machine's name, as a lock records it (empty where it cannot be
/// read: the lock then reads as written here).
fn this_host() -> String {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: gethostname writes at most `buf.len()` bytes into `buf`,
        // which lives across the call.
        let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
        if rc == 0 {
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            return String::from_utf8_lossy(&buf[..end]).trim().to_string();
        }
    }
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

/// Whether a process of this machine is alive. Where the system cannot
/// tell, it is taken as alive: a lock is never called abandoned on a
/// guess.
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        // No process has an id of 0 or one past pid_t (0 would name
        // this process's group).
        let Some(pid) = libc::pid_t::try_from(pid).ok().filter(|&p| p > 0) else {
            return false;
        };
        // SAFETY: kill with signal 0 sends nothing; it only asks whether
        // the process exists (ESRCH when it does not, EPERM when it is
        // another user's).
        let rc = unsafe { libc::kill(pid, 0) };
        rc == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let proc = Path::new("/proc");
        !proc.is_dir() || proc.join(pid.to_string()).exists()
    }
}

/// Who holds a store's writers' lock, as far as this machine can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// No lock file.
    Free,
    /// A writer that is running (or one on another machine, or one whose
    /// liveness cannot be told) holds it; `pid` when the lock names one.
    Live { pid: Option<u32> },
    /// The lock is in the way: abandoned by a dead writer, or stale.
    Blocked(Blocked),
}

/// What the lock whose file holds `text`, last written `age` ago, says
/// about its holder.
fn judge(text: &str, age: Duration) -> Holder {
    let pid = holder_pid(text);
    if let Some(pid) = pid
        && holder_host(text).is_none_or(|h| h == this_host())
        && !alive(pid)
    {
        return Holder::Blocked(Blocked::Abandoned { pid });
    }
    // A writer records its pid right after creating the file; a lock
    // still without one after a moment was left by a writer killed in
    // between.
    if pid.is_none() && age > UNWRITTEN_AFTER {
        return Holder::Blocked(Blocked::Abandoned { pid: 0 });
    }
    if age > STALE_AFTER {
        return Holder::Blocked(Blocked::Stale { age });
    }
    Holder::Live { pid }
}

/// How long ago `path` was last written (zero when that cannot be read).
fn age_of(path: &Path) -> Duration {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .unwrap_or_default()
}

/// Who holds the writers' lock of the store at `store`, without taking
/// it: what `verify` reports, and what tells an import in progress from
/// an interrupted one.
pub fn holder(store: &Path) -> Holder {
    let path = store.join(LOCK_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => judge(&text, age_of(&path)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Holder::Free,
        // There, but unreadable: someone holds it.
        Err(_) => Holder::Live { pid: None },
    }
}

/// The `.lock` files git leaves beside a ref (and `packed-refs.lock`,
/// `HEAD.lock`) in the store at `store`, each with how long ago it was
/// written. Git holds one only while it writes that ref.
pub fn ref_locks(store: &Path) -> Vec<(PathBuf, Duration)> {
    let mut found = Vec::new();
    for top in ["packed-refs.lock", "HEAD.lock"] {
        let p = store.join(top);
        if p.is_file() {
            found.push(p);
        }
    }
    let mut stack = vec![store.join("refs")];
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
    found.sort();
    found
        .into_iter()
        .map(|p| {
            let age = age_of(&p);
            (p, age)
        })
        .collect()
}

impl StoreLock {
    /// Takes the lock of the store at `store`, waiting up to `wait`.
    pub fn acquire(store: &Path, wait: Duration) -> Result<StoreLock, StoreError> {
        let path = store.join(LOCK_FILE);
        let deadline = Instant::now() + wait;
        let mut attempt: u32 = 0;
        let since = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let content = format!(
            "pid={}\nhost={}\nsince={since}\n",
            std::process::id(),
            this_host()
        );
        loop {
            match create_whole(store, &path, content.as_bytes()) {
                Ok(()) => return Ok(StoreLock { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    match judge(&text, age_of(&path)) {
                        Holder::Blocked(blocked @ Blocked::Abandoned { pid }) if pid != 0 => {
                            // The holder may have released the lock and
                            // exited between the read and the look-up:
                            // only a lock still there, as read, was left
                            // by a dead writer.
                            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str())
                            {
                                continue;
                            }
                            return Err(StoreError::Locked { path, blocked });
                        }
                        Holder::Blocked(blocked) => {
                            return Err(StoreError::Locked { path, blocked });
                        }
                        Holder::Free | Holder::Live { .. } => {}
                    }
                    if Instant::now() >= deadline {
                        return Err(StoreError::Locked {
                            path,
                            blocked: Blocked::Busy,
                        });
                    }
                    attempt += 1;
                    let base = 2u64.saturating_pow(attempt.min(7)).min(100);
                    std::thread::sleep(Duration::from_millis(base / 2 + fastrand::u64(0..=base)));
                }
                Err(e) => return Err(StoreError::io(&path)(e)),
            }
        }
    }
}

/// Creates `path` with `content` exclusively and in one piece: written and
/// fsynced under a unique temporary name in `dir`, then linked to `path`
/// only if nothing is there. No reader ever sees a half-written lock, and
/// a kill leaves at most a temporary file, never a partial lock.
fn create_whole(dir: &Path, path: &Path, content: &[u8]) -> std::io::Result<()> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".livedoc.lock.")
        .tempfile_in(dir)?;
    tmp.write_all(content)?;
    tmp.as_file().sync_all()?;
    tmp.persist_noclobber(path).map(drop).map_err(|e| e.error)
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_then_reports_busy() {
        let dir = tempfile::tempdir().expect("tempdir");
        let held = StoreLock::acquire(dir.path(), WAIT).expect("first lock");
        let err = StoreLock::acquire(dir.path(), Duration::from_millis(50)).expect_err("held");
        assert!(matches!(
            err,
            StoreError::Locked {
                blocked: Blocked::Busy,
                ..
            }
        ));
        drop(held);
        assert!(!dir.path().join(LOCK_FILE).exists());
        StoreLock::acquire(dir.path(), WAIT).expect("free again");
    }

    #[test]
    fn a_lock_left_by_a_dead_process_is_reported_not_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(LOCK_FILE);
        // 4294967 is above the largest pid Linux gives.
        std::fs::write(&path, format!("pid=4294967\nhost={}\n", this_host())).expect("write");
        let err = StoreLock::acquire(dir.path(), WAIT).expect_err("abandoned");
        assert!(matches!(
            err,
            StoreError::Locked {
                blocked: Blocked::Abandoned { pid: 4294967 },
                ..
            }
        ));
        assert!(path.exists(), "the lock is never deleted silently");
    }
}
