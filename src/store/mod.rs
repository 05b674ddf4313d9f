//! The edition store: a bare git repository in which each edition is one
//! commit on `refs/heads/editions` plus an annotated tag
//! `refs/tags/edition/<id>`. Plain git can read everything:
//! `git log editions`, `git show edition/2024-04:edition.json`.
//!
//! Writes never touch a working tree. The branch moves only by
//! compare-and-swap from the commit the writer read, and a tag is created
//! only by compare-and-swap against the zero id, so concurrent importers
//! cannot lose each other's editions. Objects are fsynced before a ref moves.

pub mod audit;
pub(crate) mod import;
pub mod index;
pub mod ledger;
pub mod lock;
pub mod pack;
pub mod records;
pub mod repair;
pub mod sign;
pub mod snapshot;
pub mod sync;

use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::Duration;

use git2::{ErrorCode, Oid, Repository, RepositoryInitOptions};
use thiserror::Error;

use crate::ids::EditionSpec;
use crate::model::{Edition, Meeting};
use crate::rules::Rules;
pub use import::{DateFrom, ImportOutcome, ImportRequest, Plan, Planned, plan_after, sha256_hex};
pub(crate) use import::{failpoint, tag_message};
use records::{EditionRecord, MeetingRecord, PairingsRecord, RecordError};
use snapshot::{EditionMeta, Pairings};

/// A git ref lock older than this was left by a killed git process: git
/// holds one only while it writes a ref, which takes milliseconds.
pub const STALE_REF_LOCK: Duration = Duration::from_secs(30);

/// The most bytes livedoc reads of one record (`edition.json`,
/// `pairings.json`, a meeting file, a ledger `entry.json`), checked
/// against the size the object's header gives before it is inflated: a
/// remote's 2 GB `edition.json` of whitespace, 8.6 MB on disk, made
/// `pull` abort on a failed allocation (issue 29). The largest record is
/// `edition.json`, about half its source's size (12 KB for the real
/// 22 KB edition), so this holds that of a document of more than 100 MB,
/// twice the largest the fuzz campaign imports (50 MB).
pub const MAX_RECORD_BYTES: u64 = 64 << 20;
/// The most bytes livedoc reads of an edition's source (`source.md`,
/// `source.docx`), checked the same way: five times the largest document
/// the fuzz campaign imports (50 MB).
pub const MAX_SOURCE_BYTES: u64 = 256 << 20;

/// The branch that holds one commit per edition.
pub const BRANCH: &str = "refs/heads/editions";
/// The file that holds an edition's record in each commit.
pub const RECORD_FILE: &str = "edition.json";
/// The file that holds the pairing decisions against the previous edition.
pub const PAIRINGS_FILE: &str = "pairings.json";
/// The file that holds the imported bytes in each commit.
pub const SOURCE_FILE: &str = "source.md";
/// The Word document an edition was imported from, when it was; its
/// `source.md` is then the Markdown livedoc read from it.
pub const SOURCE_DOCX_FILE: &str = "source.docx";

/// The ref an import points at the edition it is cutting, from just
/// before the branch moves until the tag and the ledger entry are written:
/// the record that the commit is livedoc's own, so that `doctor` (or the
/// same import run again) finishes exactly that edition and never seals a
/// commit that some other hand put on the branch.
pub const PENDING_REF: &str = "refs/livedoc/pending";

// Where edition ids name their tags: a naming of ids, kept with them.
pub use crate::ids::{TAG_PREFIX, tag_name, tag_ref};
/// Every edition tag, as a ref glob.
pub const TAG_GLOB: &str = "refs/tags/edition/*";

/// The edition id an edition tag's ref names.
pub fn edition_of_tag(reference: &str) -> Option<&str> {
    reference.strip_prefix(TAG_PREFIX)
}

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("no edition store at {}", path.display())]
    NotFound { path: PathBuf },
    #[error("{} is not an edition store: {why}", path.display())]
    NotAStore { path: PathBuf, why: String },
    #[error("the store at {} has no editions yet", path.display())]
    Empty { path: PathBuf },
    #[error("no edition {id} in the store")]
    UnknownEdition { id: String, known: Vec<String> },
    #[error("{spec} goes back further than the store's {}", crate::text::plural(*count, "edition", "editions"))]
    OutOfRange { spec: String, count: usize },
    #[error(
        "edition {id} is already published with different content (stored source sha256 {stored}, this file {given})"
    )]
    Exists {
        id: String,
        stored: String,
        given: String,
    },
    #[error("the tag edition/{id} exists but the editions branch has no edition {id}")]
    OrphanTag { id: String },
    #[error("the tag edition/{id} appeared while this edition was being cut")]
    TagRace { id: String },
    #[error("other writers kept moving the editions branch; gave up after {attempts} attempts")]
    Contended { attempts: u32 },
    #[error("the edition in commit {commit} is damaged: {what}")]
    Corrupt { commit: Oid, what: String },
    #[error("{file} of the edition in commit {commit} {source}")]
    Record {
        commit: Oid,
        file: String,
        source: RecordError,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", blocked.describe(path))]
    Locked {
        path: PathBuf,
        blocked: lock::Blocked,
    },
    #[error(transparent)]
    Sign(#[from] sign::SignError),
    #[error("{}", overrides_message(file.as_deref(), errors))]
    Overrides {
        /// The overrides file, when they were read from one.
        file: Option<String>,
        errors: Vec<crate::diagnostic::Diagnostic>,
    },
    #[error(
        "{} exists: a git process is updating that ref, or one was killed while it did",
        path.display()
    )]
    RefLocked { path: PathBuf },
    #[error(
        "edition {id} is on the editions branch, but livedoc never recorded it: it has no tag or ledger entry, and no import of it was in progress"
    )]
    Unsealed { id: String },
    #[error(
        "importing edition {id} failed after the editions branch moved ({cause}), and undoing it failed too: {undo}"
    )]
    Interrupted {
        id: String,
        cause: Box<StoreError>,
        undo: Box<StoreError>,
    },
    #[error("git: {}", git_message(.0))]
    Git(#[from] git2::Error),
}

/// A libgit2 error in words; libgit2 gives some failures (a full disk
/// among them) no message.
fn git_message(e: &git2::Error) -> String {
    if e.message().trim().is_empty() {
        format!(
            "{:?} error in {:?}, with no message (a full disk or a lost permission gives this)",
            e.code(),
            e.class()
        )
    } else {
        e.message().to_string()
    }
}

fn overrides_message(file: Option<&str>, errors: &[crate::diagnostic::Diagnostic]) -> String {
    errors
        .iter()
        .map(|e| match (file, e.line) {
            (Some(f), _) => e.located(f).to_string(),
            (None, Some(l)) => format!("pairing overrides, line {l}: {}", e.message),
            (None, None) => format!("pairing overrides: {}", e.message),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl StoreError {
    fn record(commit: Oid, file: &str, source: RecordError) -> Self {
        StoreError::Record {
            commit,
            file: file.to_string(),
            source,
        }
    }

    /// An I/O failure on `path`, as `map_err(StoreError::io(path))`.
    pub fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
        move |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Creates a store at `path` (missing, or an empty directory) by making it
/// in a temporary directory beside it and renaming that into place.
/// `None` when another process's store took the place first.
fn create_whole(path: &Path, options: Options) -> Result<Option<Store>, StoreError> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(StoreError::io(&parent))?;
    let tmp = tempfile::Builder::new()
        .prefix(".livedoc-creating-")
        .tempdir_in(&parent)
        .map_err(StoreError::io(&parent))?;
    let mut opts = RepositoryInitOptions::new();
    opts.bare(true).initial_head("editions");
    Repository::init_opts(tmp.path(), &opts)?;
    // The temporary directory is owner-only; a store is as git makes it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755))
            .map_err(StoreError::io(tmp.path()))?;
    }
    let made = tmp.keep();
    match std::fs::rename(&made, path) {
        Ok(()) => {
            if let Ok(dir) = std::fs::File::open(&parent) {
                let _ = dir.sync_all();
            }
            Store::open_with(path, options).map(Some)
        }
        Err(_) => {
            // Another store is there now (a rename onto a directory that
            // is not empty fails); ours goes.
            let _ = std::fs::remove_dir_all(&made);
            Ok(None)
        }
    }
}

/// Whether a directory is, or is becoming, a git directory: it holds
/// nothing but what `git init` creates.
fn looks_like_git_dir(path: &Path) -> bool {
    const GIT_DIR: [&str; 11] = [
        "HEAD",
        "config",
        "description",
        "hooks",
        "info",
        "objects",
        "refs",
        "branches",
        "packed-refs",
        "logs",
        lock::LOCK_FILE,
    ];
    let Ok(entries) = path.read_dir() else {
        return false;
    };
    entries.flatten().all(|e| {
        let name = e.file_name();
        let name = name.to_string_lossy();
        // libgit2 writes files through temporaries named `_git2_*`, and
        // the writers' lock is written through `.livedoc.lock.*`.
        name.starts_with("_git2_")
            || name.starts_with(".livedoc.lock.")
            || GIT_DIR.contains(&name.as_ref())
            || GIT_DIR.contains(&name.strip_suffix(".lock").unwrap_or(&name))
    })
}

/// One stored edition: what its `edition.json` says, and where it lives.
#[derive(Debug, Clone)]
pub struct EditionInfo {
    pub meta: EditionMeta,
    pub commit: Oid,
    /// The annotated tag object, when the tag exists.
    pub tag: Option<Oid>,
}

impl EditionInfo {
    pub fn id(&self) -> &str {
        &self.meta.id
    }
}

/// What the newer side of a comparison with a stored edition is
/// ([`Store::sides`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Newer {
    /// Another stored edition: an item brought back has its id already.
    Stored,
    /// A draft: an item brought back is recognised by its text.
    Draft,
}

/// An open edition store.
pub struct Store {
    repo: Repository,
    path: PathBuf,
    options: Options,
}

/// How a store reads and writes: chosen when it is opened, held by the
/// open [`Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Sync every write (objects, refs, livedoc's packs and their
    /// directory) before reporting it done, so that an edition reported
    /// as imported survives a crash. On by default; off only for tests
    /// that build thousands of throwaway editions.
    pub durable: bool,
    /// Check that every object read hashes to its id, as `verify`,
    /// `doctor` and `pull` (objects from elsewhere) need. Other commands
    /// read objects that this store wrote and `verify` checks, and skip
    /// the re-hashing of every object read (most of a store diff's time).
    pub check_object_ids: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            durable: true,
            check_object_ids: false,
        }
    }
}

impl Options {
    /// The options of a command that checks what it reads: `verify`,
    /// `doctor`, `pull`.
    pub fn checking() -> Self {
        Options {
            check_object_ids: true,
            ..Options::default()
        }
    }

    /// libgit2 holds both settings for the whole process, not per
    /// repository. Each is turned on by the first store opened with it and
    /// then stays on: a process that opened one store with checks never
    /// reads another without them, and one that opened a durable store
    /// never writes another without syncing.
    fn apply_to_libgit2(&self) {
        use std::sync::atomic::{AtomicBool, Ordering};
        static CHECKING: AtomicBool = AtomicBool::new(false);
        static SYNCING: Once = Once::new();
        if self.check_object_ids {
            CHECKING.store(true, Ordering::SeqCst);
        }
        git2::opts::strict_hash_verification(CHECKING.load(Ordering::SeqCst));
        if self.durable {
            SYNCING.call_once(|| {
                libgit2_sys::init();
                // SAFETY: git_libgit2_opts with an integer option and one
                // int argument is the documented call for
                // GIT_OPT_ENABLE_FSYNC_GITDIR; the library is initialised
                // just above.
                let rc = unsafe {
                    libgit2_sys::git_libgit2_opts(
                        libgit2_sys::GIT_OPT_ENABLE_FSYNC_GITDIR as std::ffi::c_int,
                        1 as std::ffi::c_int,
                    )
                };
                debug_assert!(rc >= 0, "GIT_OPT_ENABLE_FSYNC_GITDIR is a valid option");
            });
        }
    }
}

/// Who committed `commit`, as a signature for livedoc's own commits that
/// follow it (a tag or ledger entry completed by doctor, an index).
pub fn committer_of(
    repo: &Repository,
    commit: Oid,
) -> Result<git2::Signature<'static>, StoreError> {
    let c = repo.find_commit(commit)?;
    let who = c.committer();
    Ok(git2::Signature::new(
        who.name().unwrap_or("unknown"),
        who.email().unwrap_or("unknown"),
        &who.when(),
    )?)
}

/// Why a blob was not read ([`read_blob`]); reads as the end of a
/// sentence that begins with the file's name.
#[derive(Debug, Error)]
pub enum BlobError {
    #[error("is {size} bytes, over the {} MiB livedoc reads of such a file", limit >> 20)]
    TooLarge { size: u64, limit: u64 },
    #[error("cannot be read: {}", .0.message())]
    Git(#[from] git2::Error),
}

/// The bound of a snapshot's file: a source's, or a record's.
pub(crate) fn file_limit(path: &str) -> u64 {
    if path == SOURCE_FILE || path == SOURCE_DOCX_FILE {
        MAX_SOURCE_BYTES
    } else {
        MAX_RECORD_BYTES
    }
}

/// Reads a blob whole, once the size its object header gives (read
/// without inflating the object) is at most `limit` bytes: an object from
/// elsewhere can claim gigabytes in a few compressed megabytes.
pub fn read_blob(repo: &Repository, id: Oid, limit: u64) -> Result<Vec<u8>, BlobError> {
    let (size, kind) = repo.odb()?.read_header(id)?;
    if kind != git2::ObjectType::Blob {
        return Err(BlobError::Git(git2::Error::from_str(&format!(
            "object {id} is a {kind}, not a blob"
        ))));
    }
    let size = size as u64;
    if size > limit {
        return Err(BlobError::TooLarge { size, limit });
    }
    Ok(repo.find_blob(id)?.content().to_vec())
}

/// The files of an edition's tree, found by path with each directory
/// read once: a year's meetings share one directory tree, which a lookup
/// by full path would inflate and parse again for every meeting (an
/// edition of 20,000 meetings took minutes to read).
struct TreeFiles<'r> {
    repo: &'r Repository,
    root: git2::Tree<'r>,
    dirs: std::collections::HashMap<String, git2::Tree<'r>>,
}

impl<'r> TreeFiles<'r> {
    fn new(repo: &'r Repository, commit: Oid) -> Result<Self, StoreError> {
        Ok(TreeFiles {
            repo,
            root: repo.find_commit(commit)?.tree()?,
            dirs: std::collections::HashMap::new(),
        })
    }

    /// The blob id of a file; a file its record names but the tree lacks
    /// is damage.
    fn id(&mut self, info: &EditionInfo, path: &str) -> Result<Oid, StoreError> {
        let missing = || StoreError::Corrupt {
            commit: info.commit,
            what: format!("{path} is missing"),
        };
        let Some((dir, name)) = path.rsplit_once('/') else {
            return self.root.get_name(path).map(|e| e.id()).ok_or_else(missing);
        };
        if !self.dirs.contains_key(dir) {
            let tree = self
                .root
                .get_path(Path::new(dir))
                .ok()
                .and_then(|e| self.repo.find_tree(e.id()).ok())
                .ok_or_else(missing)?;
            self.dirs.insert(dir.to_string(), tree);
        }
        self.dirs
            .get(dir)
            .and_then(|t| t.get_name(name))
            .map(|e| e.id())
            .ok_or_else(missing)
    }
}

/// Two stored editions loaded for a diff ([`Store::load_for_diff`]).
#[derive(Debug)]
pub struct ForDiff {
    /// The older edition, without the meetings in `unchanged`.
    pub old: Edition,
    /// The newer edition, without the meetings in `unchanged`.
    pub new: Edition,
    /// What the store recorded between them ([`Store::recorded_between`]).
    pub recorded: crate::diff::Recorded,
    /// The meetings both hold in the same file.
    pub unchanged: Vec<crate::diff::UnchangedMeeting>,
    /// How many meeting files were decoded.
    pub decoded: usize,
}

/// Meetings decoded while loading editions, by record version and blob.
#[derive(Default)]
struct MeetingCache {
    meetings: std::collections::HashMap<(u32, Oid), Meeting>,
    decoded: usize,
}

impl Store {
    /// Opens an existing store with the default [`Options`].
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with(path, Options::default())
    }

    /// Opens an existing store.
    pub fn open_with(path: &Path, options: Options) -> Result<Store, StoreError> {
        options.apply_to_libgit2();
        if !path.exists() {
            return Err(StoreError::NotFound {
                path: path.to_path_buf(),
            });
        }
        // libgit2 looks for packs only if `objects/pack` exists when the
        // store is opened (git and libgit2 create it; a copy made through
        // a tool that drops empty directories lacks it). Without it a pack
        // written now would stay unseen. A read-only store cannot get it,
        // and needs it only to be written.
        let packs = path.join("objects/pack");
        if path.join("objects").is_dir() && !packs.is_dir() {
            let _ = std::fs::create_dir(&packs);
        }
        let repo = Repository::open_bare(path).map_err(|e| StoreError::NotAStore {
            path: path.to_path_buf(),
            why: e.message().to_string(),
        })?;
        // An edition store has the editions branch, or (made by `init` and
        // still empty) a HEAD that names it. Any other repository is not
        // one, and reading it as an empty store would answer falsely.
        let head = repo
            .find_reference("HEAD")
            .ok()
            .and_then(|h| h.symbolic_target().ok().flatten().map(str::to_string));
        if repo.find_reference(BRANCH).is_err() && head.as_deref() != Some(BRANCH) {
            return Err(StoreError::NotAStore {
                path: path.to_path_buf(),
                why: format!(
                    "it is a git repository without livedoc's editions branch ({BRANCH}; its HEAD is {})",
                    head.as_deref().unwrap_or("detached")
                ),
            });
        }
        Ok(Store {
            repo,
            path: path.to_path_buf(),
            options,
        })
    }

    /// The options the store was opened with.
    pub fn options(&self) -> Options {
        self.options
    }

    /// This store as one that checks every object it reads against its
    /// id: itself if it was opened so, else the same store opened again
    /// into `slot`.
    pub fn checking<'a>(&'a self, slot: &'a mut Option<Store>) -> Result<&'a Store, StoreError> {
        if self.options.check_object_ids {
            return Ok(self);
        }
        let options = Options {
            check_object_ids: true,
            ..self.options
        };
        Ok(slot.insert(Store::open_with(&self.path, options)?))
    }

    /// Opens a store that another process may be creating at this moment:
    /// its HEAD names the editions branch only once its `init` is done, so
    /// a repository that does not look like a store yet is given a moment
    /// (400 tries 25 ms apart: up to 10 s) before it is refused.
    fn open_settled(path: &Path, options: Options) -> Result<Store, StoreError> {
        for _ in 0..400 {
            match Store::open_with(path, options) {
                Err(StoreError::NotAStore { .. }) => {
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                other => return other,
            }
        }
        Store::open_with(path, options)
    }

    /// Creates a store (a bare repository whose HEAD names the editions
    /// branch), or opens the one already there, with the default
    /// [`Options`]. Says whether it was created.
    pub fn init(path: &Path) -> Result<(Store, bool), StoreError> {
        Store::init_with(path, Options::default())
    }

    /// [`Store::init`] with `options`.
    pub fn init_with(path: &Path, options: Options) -> Result<(Store, bool), StoreError> {
        let not_a_store = |why: &str| StoreError::NotAStore {
            path: path.to_path_buf(),
            why: why.to_string(),
        };
        if path.is_file() {
            return Err(not_a_store("it is a file"));
        }
        if Repository::open_bare(path).is_ok() {
            return Store::open_settled(path, options).map(|s| (s, false));
        }
        let occupied = path.read_dir().is_ok_and(|mut d| d.next().is_some());
        if occupied && !looks_like_git_dir(path) {
            return Err(not_a_store("the directory holds other files"));
        }
        if !occupied {
            options.apply_to_libgit2();
            // The store is made whole beside its place, then renamed into
            // it, so another importer creating the same store at this
            // moment (or opening it) sees no store or a whole one, never
            // a half-made one, however slow the machine. The loser of the
            // rename opens the winner's store.
            if let Some(created) = create_whole(path, options)? {
                return Ok((created, true));
            }
        }
        let mut last = None;
        // A store that a livedoc before atomic creation is still making.
        for _ in 0..400 {
            match Repository::open_bare(path) {
                Ok(_) => return Store::open_settled(path, options).map(|s| (s, false)),
                Err(e) => last = Some(e),
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        Err(not_a_store(
            last.as_ref().map_or("not a repository", |e| e.message()),
        ))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Removes a store that this process has just created when the
    /// command that needed it failed before writing anything, so that a
    /// refused first import or a failed first pull leaves no empty store
    /// behind. A store that holds any ref (another writer may have filled
    /// it meanwhile) is kept. Returns whether the store was removed.
    pub fn discard_if_empty(self) -> Result<bool, StoreError> {
        let _lock = lock::StoreLock::acquire(&self.path, Duration::from_secs(5))?;
        if self.repo.references()?.next().is_some() {
            return Ok(false);
        }
        let Store { repo, path, .. } = self;
        drop(repo);
        std::fs::remove_dir_all(&path).map_err(StoreError::io(&path))?;
        Ok(true)
    }

    pub fn repo(&self) -> &Repository {
        &self.repo
    }

    /// The newest edition's commit, if any.
    pub fn head(&self) -> Result<Option<Oid>, StoreError> {
        match self.repo.find_reference(BRANCH) {
            Ok(r) => Ok(r.target()),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The commits of the editions branch, oldest first.
    pub fn commits(&self) -> Result<Vec<Oid>, StoreError> {
        let Some(head) = self.head()? else {
            return Ok(Vec::new());
        };
        let mut walk = self.repo.revwalk()?;
        walk.push(head)?;
        walk.simplify_first_parent()?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
        Ok(walk.collect::<Result<Vec<_>, _>>()?)
    }

    /// Every edition, oldest first.
    pub fn editions(&self) -> Result<Vec<EditionInfo>, StoreError> {
        self.commits()?.into_iter().map(|c| self.info(c)).collect()
    }

    /// The edition stored in one commit.
    pub fn info(&self, commit: Oid) -> Result<EditionInfo, StoreError> {
        let meta = self.meta(commit)?;
        let tag = self.tag(&meta.id)?;
        Ok(EditionInfo { meta, commit, tag })
    }

    /// The tag object of an edition, if its tag exists.
    pub fn tag(&self, id: &str) -> Result<Option<Oid>, StoreError> {
        match self.repo.find_reference(&tag_ref(id)) {
            Ok(r) => Ok(r.target()),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    fn read_file(&self, commit: Oid, path: &str) -> Result<Vec<u8>, StoreError> {
        let corrupt = |what: String| StoreError::Corrupt { commit, what };
        let tree = self.repo.find_commit(commit)?.tree()?;
        let entry = tree
            .get_path(Path::new(path))
            .map_err(|_| corrupt(format!("{path} is missing")))?;
        let limit = if path == SOURCE_FILE || path == SOURCE_DOCX_FILE {
            MAX_SOURCE_BYTES
        } else {
            MAX_RECORD_BYTES
        };
        read_blob(&self.repo, entry.id(), limit).map_err(|e| corrupt(format!("{path} {e}")))
    }

    /// What the `edition.json` of one commit says.
    pub fn meta(&self, commit: Oid) -> Result<EditionMeta, StoreError> {
        let bytes = self.read_file(commit, RECORD_FILE)?;
        EditionRecord::decode(&bytes)
            .and_then(|r| r.to_meta())
            .map_err(|e| StoreError::record(commit, RECORD_FILE, e))
    }

    /// The source file an edition was imported from.
    pub fn source(&self, info: &EditionInfo) -> Result<Vec<u8>, StoreError> {
        self.read_file(info.commit, SOURCE_FILE)
    }

    /// The whole edition of one commit.
    pub fn load(&self, info: &EditionInfo) -> Result<Edition, StoreError> {
        self.load_sharing(info, &mut MeetingCache::default())
    }

    /// Two editions, each meeting file read and decoded once: a meeting
    /// unchanged between them has one blob id, so the second edition gets
    /// a copy of the first's (most of a store diff's reading, before).
    pub fn load_pair(
        &self,
        a: &EditionInfo,
        b: &EditionInfo,
    ) -> Result<(Edition, Edition), StoreError> {
        self.load_pair_counting(a, b).map(|(pair, _)| pair)
    }

    /// [`Store::load_pair`], and how many meeting files it decoded.
    pub fn load_pair_counting(
        &self,
        a: &EditionInfo,
        b: &EditionInfo,
    ) -> Result<((Edition, Edition), usize), StoreError> {
        let mut cache = MeetingCache::default();
        let ea = self.load_sharing(a, &mut cache)?;
        let eb = self.load_sharing(b, &mut cache)?;
        Ok(((ea, eb), cache.decoded))
    }

    /// An edition, its meeting files looked up in one tree and decoded
    /// only when `cache` does not already hold them.
    fn load_sharing(
        &self,
        info: &EditionInfo,
        cache: &mut MeetingCache,
    ) -> Result<Edition, StoreError> {
        let mut files = TreeFiles::new(&self.repo, info.commit)?;
        snapshot::from_files(&info.meta, |path| {
            let id = files.id(info, path)?;
            let key = (info.meta.record_version, id);
            if let Some(m) = cache.meetings.get(&key) {
                return Ok(m.clone());
            }
            let m = self.decode_meeting(info, path, id)?;
            cache.decoded += 1;
            cache.meetings.insert(key, m.clone());
            Ok(m)
        })
    }

    /// Two stored editions as a diff of them needs them. A meeting whose
    /// file is the same blob at the same path in both (and in the same
    /// record version) is left out of both and returned as unchanged, its
    /// heading taken from a version 4 record (else from its file, decoded
    /// once); only the other meeting files are decoded. The newer
    /// edition's pairings come along. Editions whose pairings record a
    /// split or merge against the older one load whole, so that the
    /// recorded fragments find both their sides.
    pub fn load_for_diff(&self, a: &EditionInfo, b: &EditionInfo) -> Result<ForDiff, StoreError> {
        let recorded = self.recorded_between(a, b)?;
        let version = b.meta.record_version;
        if a.meta.record_version != version
            || !recorded.splits.is_empty()
            || !recorded.merges.is_empty()
        {
            let ((old, new), decoded) = self.load_pair_counting(a, b)?;
            return Ok(ForDiff {
                old,
                new,
                recorded,
                unchanged: Vec::new(),
                decoded,
            });
        }
        let (mut ta, mut tb) = (
            TreeFiles::new(&self.repo, a.commit)?,
            TreeFiles::new(&self.repo, b.commit)?,
        );
        let mut old_ids = std::collections::HashMap::new();
        for path in a.meta.meeting_paths() {
            old_ids.insert(path, ta.id(a, path)?);
        }
        let headers: Vec<&crate::model::MeetingHeader> =
            b.meta.parts.iter().flat_map(|p| &p.headers).collect();
        let mut same = std::collections::HashSet::new();
        let mut unchanged = Vec::new();
        let mut decoded = 0;
        for (at, path) in b.meta.meeting_paths().enumerate() {
            let id = tb.id(b, path)?;
            if old_ids.get(path) != Some(&id) {
                continue;
            }
            same.insert(path);
            let header = match headers.get(at) {
                Some(&h) if headers.len() == b.meta.counts.meetings => h.clone(),
                _ => {
                    decoded += 1;
                    self.decode_meeting(b, path, id)?.header()
                }
            };
            unchanged.push(crate::diff::UnchangedMeeting { at, header });
        }
        let mut read = |info: &EditionInfo, files: &mut TreeFiles<'_>| {
            snapshot::from_some_files(&info.meta, |path| {
                if same.contains(path) {
                    return Ok(None);
                }
                decoded += 1;
                let id = files.id(info, path)?;
                self.decode_meeting(info, path, id).map(Some)
            })
        };
        let old = read(a, &mut ta)?;
        let new = read(b, &mut tb)?;
        Ok(ForDiff {
            old,
            new,
            recorded,
            unchanged,
            decoded,
        })
    }

    /// What the store recorded between two of its editions, in the
    /// direction of the comparison (`a` older or newer than `b`): the
    /// pairings of every edition between them, composed
    /// ([`snapshot::recorded_across`]).
    pub fn recorded_between(
        &self,
        a: &EditionInfo,
        b: &EditionInfo,
    ) -> Result<crate::diff::Recorded, StoreError> {
        if a.commit == b.commit {
            return Ok(Default::default());
        }
        if self.repo.graph_descendant_of(b.commit, a.commit)? {
            let chain = self.pairings_after(a.commit, b.commit)?;
            Ok(snapshot::recorded_across(&snapshot::steps(&chain)))
        } else {
            let chain = self.pairings_after(b.commit, a.commit)?;
            Ok(snapshot::reversed(snapshot::recorded_across(
                &snapshot::steps(&chain),
            )))
        }
    }

    /// What a comparison of stored edition `old` with `new` needs besides
    /// the two editions: their names, the ids `old` had retired, and the
    /// items withdrawn under them that `new` may bring back.
    pub fn sides(
        &self,
        old: &EditionInfo,
        new: &Edition,
        newer: Newer,
    ) -> Result<crate::diff::Sides, StoreError> {
        let withdrawn = match newer {
            // Stored, an item back already has its id: only those are
            // looked up (most comparisons have none, and read nothing).
            Newer::Stored => {
                let ids: std::collections::HashSet<&str> = new
                    .meetings()
                    .flat_map(|m| m.items.iter().map(|i| i.id.as_str()))
                    .collect();
                self.withdrawn_where(old, |id| ids.contains(id))?
            }
            Newer::Draft => self.withdrawn_before(old, new)?,
        };
        Ok(crate::diff::Sides {
            from_name: old.meta.id.clone(),
            to_name: new.id.clone(),
            retired: old.meta.retired_ids.iter().cloned().collect(),
            withdrawn,
            unchanged: Vec::new(),
        })
    }

    /// The items withdrawn before edition `info` (its retired ids) that
    /// draft `new` has a meeting for, as the last edition that held each
    /// had it, with the edition that withdrew it: what an import of `new`
    /// after `info` recognises a restoration by (rules 4).
    pub fn withdrawn_before(
        &self,
        info: &EditionInfo,
        new: &Edition,
    ) -> Result<Vec<crate::diff::Withdrawn>, StoreError> {
        let keys: std::collections::HashSet<&str> =
            new.meetings().map(|m| m.key.as_str()).collect();
        self.withdrawn_where(info, |id| {
            id.rsplit_once('#').is_some_and(|(k, _)| keys.contains(k))
        })
    }

    /// The items withdrawn before edition `info` whose ids `wanted` names.
    /// Walks back from `info` only while some are still to be found,
    /// reading one pairings file per edition, and the records of an
    /// edition and one meeting file only per item found.
    fn withdrawn_where(
        &self,
        info: &EditionInfo,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<Vec<crate::diff::Withdrawn>, StoreError> {
        let mut wanted: std::collections::HashSet<&str> = info
            .meta
            .retired_ids
            .iter()
            .map(String::as_str)
            .filter(|id| wanted(id))
            .collect();
        let mut out = Vec::new();
        let mut at = info.commit;
        while !wanted.is_empty() {
            let commit = self.repo.find_commit(at)?;
            let Ok(parent) = commit.parent_id(0) else {
                break;
            };
            let pairings = self.pairings(at)?;
            let mut withdrawn_in: Option<String> = None;
            let mut before: Option<EditionInfo> = None;
            for p in &pairings.items {
                let gone = matches!(
                    p.status,
                    crate::diff::ItemStatus::Removed | crate::diff::ItemStatus::Merged
                );
                if !gone || !wanted.contains(p.id.as_str()) {
                    continue;
                }
                let key = p.id.rsplit_once('#').map_or("", |(k, _)| k);
                let held = match &before {
                    Some(b) => b,
                    None => before.insert(self.info(parent)?),
                };
                if let Some(item) = self
                    .load_meeting(held, key)?
                    .and_then(|m| m.items.into_iter().find(|i| i.id == p.id))
                {
                    wanted.remove(p.id.as_str());
                    let withdrawn_in = match &withdrawn_in {
                        Some(id) => id.clone(),
                        None => withdrawn_in.insert(self.meta(at)?.id).clone(),
                    };
                    out.push(crate::diff::Withdrawn {
                        item,
                        meeting: key.to_string(),
                        withdrawn_in,
                    });
                }
            }
            at = parent;
        }
        Ok(out)
    }

    /// The pairings of each edition after `older` up to `newer`, with the
    /// rules it was cut under, oldest first, following the editions branch
    /// back from `newer`.
    fn pairings_after(&self, older: Oid, newer: Oid) -> Result<Vec<(Rules, Pairings)>, StoreError> {
        let mut chain = Vec::new();
        let mut at = newer;
        while at != older {
            chain.push((self.meta(at)?.rules, self.pairings(at)?));
            let commit = self.repo.find_commit(at)?;
            at = commit.parent_id(0).map_err(|_| StoreError::Corrupt {
                commit: at,
                what: format!("edition commit {older} is not on the editions branch before it"),
            })?;
        }
        chain.reverse();
        Ok(chain)
    }

    /// The meeting with this key in an edition, reading its file alone.
    pub fn load_meeting(
        &self,
        info: &EditionInfo,
        key: &str,
    ) -> Result<Option<Meeting>, StoreError> {
        let Some(path) = info.meta.path_of(key) else {
            return Ok(None);
        };
        let id = TreeFiles::new(&self.repo, info.commit)?.id(info, path)?;
        self.decode_meeting(info, path, id).map(Some)
    }

    /// Reads and decodes one meeting file of an edition.
    fn decode_meeting(
        &self,
        info: &EditionInfo,
        path: &str,
        id: Oid,
    ) -> Result<Meeting, StoreError> {
        let bytes =
            read_blob(&self.repo, id, MAX_RECORD_BYTES).map_err(|e| StoreError::Corrupt {
                commit: info.commit,
                what: format!("{path} {e}"),
            })?;
        MeetingRecord::decode(info.meta.record_version, &bytes)
            .map(MeetingRecord::into_model)
            .map_err(|e| StoreError::record(info.commit, path, e))
    }

    /// Finds the edition a spec names.
    pub fn resolve(&self, spec: &EditionSpec) -> Result<EditionInfo, StoreError> {
        match spec {
            // The newest: the branch's head, without walking the history.
            EditionSpec::Latest(0) => match self.head()? {
                Some(head) => self.info(head),
                None => Err(StoreError::Empty {
                    path: self.path.clone(),
                }),
            },
            EditionSpec::Latest(n) => {
                let commits = self.commits()?;
                if commits.is_empty() {
                    return Err(StoreError::Empty {
                        path: self.path.clone(),
                    });
                }
                let idx = n
                    .checked_add(1)
                    .and_then(|back| commits.len().checked_sub(back))
                    .ok_or_else(|| StoreError::OutOfRange {
                        spec: spec.to_string(),
                        count: commits.len(),
                    })?;
                self.info(commits[idx])
            }
            // Through its tag: one record read, whatever the history's
            // length. Every record is read only to name the known ids
            // when there is no such edition.
            EditionSpec::Id(id) => match self.find(id.as_str())? {
                Some(info) => Ok(info),
                None => Err(StoreError::UnknownEdition {
                    id: id.to_string(),
                    known: self
                        .editions()?
                        .iter()
                        .map(|e| e.id().to_string())
                        .collect(),
                }),
            },
        }
    }

    /// The stored edition with this id. Its tag finds it at once (and
    /// must point into the editions branch); an edition whose tag was never
    /// written (an interrupted import) is found on the branch, newest
    /// first, among the commits after the newest tagged one.
    pub fn find(&self, id: &str) -> Result<Option<EditionInfo>, StoreError> {
        let Some(head) = self.head()? else {
            return Ok(None);
        };
        if let Some(tag) = self.tag(id)? {
            let commit = self.repo.find_object(tag, None)?.peel_to_commit()?.id();
            let on_branch =
                commit == head || self.repo.graph_descendant_of(head, commit).unwrap_or(false);
            let meta = self.meta(commit)?;
            if !on_branch || meta.id != id {
                return Err(StoreError::OrphanTag { id: id.to_string() });
            }
            return Ok(Some(EditionInfo {
                meta,
                commit,
                tag: Some(tag),
            }));
        }
        let mut walk = self.repo.revwalk()?;
        walk.push(head)?;
        walk.simplify_first_parent()?;
        for commit in walk {
            let commit = commit?;
            let meta = self.meta(commit)?;
            if meta.id == id {
                return Ok(Some(EditionInfo {
                    meta,
                    commit,
                    tag: None,
                }));
            }
            // Older editions than a tagged one were tagged too.
            if self.tag(&meta.id)?.is_some() {
                break;
            }
        }
        Ok(None)
    }

    /// The pairing decisions stored with an edition.
    pub fn pairings(&self, commit: Oid) -> Result<Pairings, StoreError> {
        let bytes = self.read_file(commit, PAIRINGS_FILE)?;
        PairingsRecord::decode(&bytes)
            .map(|r| r.to_pairings())
            .map_err(|e| StoreError::record(commit, PAIRINGS_FILE, e))
    }
}

#[cfg(test)]
mod error_tests {
    use super::*;
    use crate::diagnostic::{Code, Diagnostic};

    #[test]
    fn override_errors_name_their_file_and_line() {
        let d = Diagnostic::error(Code::OverrideUnknown, Some(4), "old = \"x\" names no item");
        let e = StoreError::Overrides {
            file: Some("editions/2025-03.pairs.toml".into()),
            errors: vec![d.clone()],
        };
        assert_eq!(
            e.to_string(),
            "editions/2025-03.pairs.toml:4: old = \"x\" names no item"
        );
        let recorded = StoreError::Overrides {
            file: None,
            errors: vec![d],
        };
        assert_eq!(
            recorded.to_string(),
            "pairing overrides, line 4: old = \"x\" names no item"
        );
    }

    /// libgit2 gives some failures (a full disk among them) no message;
    /// livedoc printed "git: " and nothing, or "git: no error".
    #[test]
    fn a_git_error_without_a_message_still_says_something() {
        let text = StoreError::Git(git2::Error::from_str("")).to_string();
        assert!(text.contains("with no message"), "{text}");
        assert!(text.contains("full disk"), "{text}");
        let named = StoreError::Git(git2::Error::from_str("object not found"));
        assert_eq!(named.to_string(), "git: object not found");
    }

    #[test]
    fn io_errors_name_their_path_and_say_what_to_check() {
        let e = StoreError::io(Path::new("/s/livedoc.lock"))(std::io::Error::from(
            std::io::ErrorKind::PermissionDenied,
        ));
        assert!(e.to_string().starts_with("/s/livedoc.lock: "), "{e}");
    }
}
