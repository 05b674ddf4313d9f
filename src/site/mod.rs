//! The reader website: a static site of every edition, every change and
//! every item's history, built from the store.
//!
//! Pages link to each other relatively, carry their styles inline and need
//! no server, so the site works opened from disk and from any static host.
//! Document text goes through [`safe`]: it never becomes markup or script,
//! and a Content-Security-Policy forbids any script but the compare form's.
//! A rebuild writes only the files whose content changed.

pub(crate) mod compare;
mod feed;
mod pages;
pub mod safe;
mod search;

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::diff::{EditionDiff, ItemStatus, Pairing, Sides, compare, empty_like};
use crate::ids::slugify;
use crate::model::{Edition, Item, ItemKind, Meeting};
use crate::rules::Rules;
use crate::store::snapshot::{Pairings, recorded_across, steps};
use crate::store::{EditionInfo, Newer, Store, StoreError};
use crate::text::item_text;

#[derive(Debug, Error)]
pub enum SiteError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("{} is a symbolic link; the site is never written through one", path.display())]
    Symlink { path: PathBuf },
    #[error("the store has no editions to publish")]
    Empty,
    #[error("{} is neither empty nor a site livedoc wrote; the site is not written over other files", path.display())]
    NotASite { path: PathBuf },
    #[error("edition {edition}: {source}")]
    Pdf {
        edition: String,
        source: crate::render::pdf::PdfError,
    },
}

/// Up to this many editions, a diff page is made for every pair, so the
/// compare form opens a page for any two; above it, only consecutive
/// pairs have pages and the compare page computes any other pair in the
/// browser (`compare.html`).
pub const ALL_PAIRS_UP_TO: usize = 30;

/// Editions are shown whole, each on its page, while all editions together
/// hold at most this many items (an item counted once per edition): about
/// 100 MB of pages. Beyond, an edition's page is its contents and changes,
/// and each meeting's text is a page per version
/// (`meetings/NAME/FROM.html`), shared by every edition in which the
/// meeting did not change: the site grows with the changes, not with the
/// editions. The latest edition is always whole at `latest.html`.
pub const WHOLE_EDITIONS_UP_TO: usize = 150_000;

/// Unless `site --downloads N` says how many, the newest editions have
/// their downloads (PDF, Word, JSON, Akoma Ntoso, and the redline from the
/// edition before) while together they hold at most this many items:
/// every edition of a compilation of a few hundred items, the newest four
/// of one of 2,000 items. Each download is a whole edition, so all of them for
/// hundreds of large editions would be most of the site; older editions'
/// documents are made on request, identical, with `livedoc show`.
pub const DOWNLOAD_ITEMS: usize = 8_000;

/// What a build did.
#[derive(Debug, Clone, Default)]
pub struct SiteReport {
    pub editions: usize,
    pub pages: usize,
    pub written: usize,
    pub unchanged: usize,
    /// Files of an earlier build that this one no longer has, removed.
    pub removed: usize,
}
/// A readable, unique, stable file-name stem for an id or key.
pub fn stem(id: &str) -> String {
    let hash = hex::encode(&Sha256::digest(id.as_bytes())[..3]);
    let slug = slugify(id);
    let slug = if slug.len() > 60 { &slug[..60] } else { &slug };
    format!("{}-{hash}", slug.trim_end_matches('-'))
}

/// Readable, permanent page names: an id's (or key's) slug, with a hash
/// suffix only where an earlier id already has that slug. Ids are taken
/// in order of first appearance, oldest edition first, so a name never
/// changes once given, whatever later editions add.
#[derive(Debug, Clone, Default)]
pub struct Names {
    slugs: HashMap<String, String>,
    taken: std::collections::HashSet<String>,
}

impl Names {
    #[cfg(test)]
    fn build<'a>(ids: impl Iterator<Item = &'a str>) -> Names {
        let mut names = Names::default();
        for id in ids {
            names.add(id);
        }
        names
    }

    /// Gives `id` its name, unless it has one.
    fn add(&mut self, id: &str) {
        if self.slugs.contains_key(id) {
            return;
        }
        let slug = slugify(id);
        let slug = if slug.len() > 80 { &slug[..80] } else { &slug };
        let slug = slug.trim_end_matches('-').to_string();
        let name = if slug.is_empty() || self.taken.contains(&slug) {
            stem(id)
        } else {
            slug
        };
        self.taken.insert(name.clone());
        self.slugs.insert(id.to_string(), name);
    }

    /// The page name of `id`.
    pub fn of(&self, id: &str) -> String {
        self.slugs.get(id).cloned().unwrap_or_else(|| stem(id))
    }
}

/// A moment of an item's history: its first edition, and every edition
/// that changed it (or, for an observation, moved its place). Editions in
/// between left it as it was.
#[derive(Debug, Clone)]
pub struct Moment {
    pub edition: usize,
    pub status: ItemStatus,
    pub label: Option<String>,
    /// 1-based place among the unlabelled items of its meeting (for an
    /// observation's name), or among all its items for a labelled one.
    pub position: usize,
    pub meeting: String,
    pub text: String,
    /// The label it had before, when this edition renumbered it.
    pub old_label: Option<String>,
}

/// What the pages need of an edition that is not on hand whole.
#[derive(Debug, Clone)]
pub struct EditionSummary {
    pub id: String,
    pub date: crate::model::EditionDate,
    pub title: String,
    pub place: Option<String>,
    pub masthead: Vec<String>,
    pub counts: crate::model::Counts,
    /// Each part's key and item count, in document order.
    pub parts: Vec<(String, usize)>,
}

impl EditionSummary {
    fn of(e: &Edition) -> EditionSummary {
        EditionSummary {
            id: e.id.clone(),
            date: e.date,
            title: e.title.clone(),
            place: e.place.clone(),
            masthead: e.masthead.clone(),
            counts: e.counts(),
            parts: e
                .parts
                .iter()
                .map(|p| (p.key.clone(), p.counts().items()))
                .collect(),
        }
    }

    pub fn counts(&self) -> crate::model::Counts {
        self.counts.clone()
    }
}

/// What the pages are made from. A build reads the editions one at a
/// time, oldest first, and keeps only this: what every page needs, not
/// every edition whole.
pub struct SiteData {
    pub infos: Vec<EditionInfo>,
    pub editions: Vec<EditionSummary>,
    /// The diff of each edition with the one before, `(k - 1, k)` → diff,
    /// holding only the items that changed.
    pub diffs: BTreeMap<(usize, usize), EditionDiff>,
    /// The pairs that have a comparison page.
    pub pairs: std::collections::BTreeSet<(usize, usize)>,
    /// Item id → its history, oldest first.
    pub items: BTreeMap<String, (ItemKind, Vec<Moment>)>,
    /// Meeting key → the editions it is in, and its newest form. A meeting
    /// whose symbol was corrected (and so its key) keeps one page, under
    /// the key it was first published with.
    pub meetings: BTreeMap<String, (Vec<usize>, Meeting)>,
    /// A later key of a meeting → the key its page is under.
    pub meeting_aliases: HashMap<String, String>,
    /// Page key → every symbol the meeting was published under, oldest
    /// first (more than one after a correction).
    pub meeting_symbols: BTreeMap<String, Vec<String>>,
    /// Page key → the editions where a version of its text began (the
    /// first edition that holds it, and each edition that changed it).
    pub versions: HashMap<String, Vec<usize>>,
    /// Whether each edition's page holds its whole text
    /// ([`WHOLE_EDITIONS_UP_TO`]).
    pub whole: bool,
    /// The newest edition, whole.
    pub latest_edition: Edition,
    /// What the first edition brought.
    pub first_added: crate::diff::Added,
    /// How the site is built.
    pub options: SiteOptions,
    /// The first edition with its downloads on the site.
    pub downloads_from: usize,
    /// Page names of items and of meetings.
    pub item_names: Names,
    pub meeting_names: Names,
}

/// What `site` is told.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// Where a UN document is found by its symbol: `<url><symbol>`.
    pub documents_url: String,
    /// The address the site is published at, for absolute links (the
    /// feeds, `rel="canonical"`, "Cite this"); relative links without it.
    pub base_url: Option<String>,
    /// Who publishes the site, named in every page's header; the latest
    /// edition's masthead when not given.
    pub publisher: Option<String>,
    /// What the site is, said under the header: "Official" or a
    /// disclaimer of the publisher's.
    pub status: String,
    /// How many of the newest editions have their downloads (`None`: as
    /// many as hold [`DOWNLOAD_ITEMS`] items, at least one).
    pub downloads: Option<usize>,
    /// Whether each edition's page holds its whole text (`None`: while
    /// the editions hold [`WHOLE_EDITIONS_UP_TO`] items together).
    pub whole: Option<bool>,
}

/// The statement of status when the publisher gives none.
pub const DEFAULT_STATUS: &str = "Each edition as published. The published documents are the authoritative text; this site shows them and what changed between them.";

impl Default for SiteOptions {
    fn default() -> Self {
        SiteOptions {
            documents_url: crate::render::DOCUMENTS_URL.to_string(),
            base_url: None,
            publisher: None,
            status: DEFAULT_STATUS.to_string(),
            downloads: None,
            whole: None,
        }
    }
}

impl SiteData {
    pub fn latest(&self) -> usize {
        self.editions.len() - 1
    }

    /// How many editions the site shows.
    pub fn edition_count(&self) -> usize {
        self.infos.len()
    }

    /// The id of edition `k` (0 is the oldest).
    pub fn edition_id(&self, k: usize) -> &str {
        self.infos[k].id()
    }

    /// The publication date of edition `k`, as the edition gives it.
    pub fn edition_date(&self, k: usize) -> &crate::model::EditionDate {
        &self.editions[k].date
    }

    /// Whether edition `k` has its downloads on the site.
    pub fn has_downloads(&self, k: usize) -> bool {
        k >= self.downloads_from
    }

    /// How many editions have their downloads.
    pub fn downloads(&self) -> usize {
        self.editions.len() - self.downloads_from
    }

    pub fn item_path(&self, id: &str) -> String {
        format!("items/{}.html", self.item_names.of(id))
    }

    /// The key a meeting's page is under: its first key, across symbol
    /// corrections.
    pub fn page_key<'a>(&'a self, key: &'a str) -> &'a str {
        self.meeting_aliases.get(key).map_or(key, String::as_str)
    }

    pub fn meeting_path(&self, key: &str) -> String {
        format!(
            "meetings/{}.html",
            self.meeting_names.of(self.page_key(key))
        )
    }

    /// Where meeting `key`'s text stands in edition `k`, from the root:
    /// the edition's page when editions are whole; else the meeting's
    /// page, which shows the text of any edition named in its address
    /// (`?seq=K&edition=ID`), so one page per meeting holds every
    /// version of it.
    pub fn meeting_text_at(&self, key: &str, k: usize) -> String {
        format!("{}#{}", self.text_page_at(key, k), self.meeting_anchor(key))
    }

    /// Where item `id` (in meeting `key`) stands in edition `k`, from the
    /// root.
    pub fn item_text_at(&self, id: &str, key: &str, k: usize) -> String {
        format!("{}#{}", self.text_page_at(key, k), self.item_anchor(id))
    }

    fn text_page_at(&self, key: &str, k: usize) -> String {
        if self.whole {
            pages::edition_path(&self.editions[k].id)
        } else {
            format!(
                "{}?seq={k}&edition={}",
                self.meeting_path(key),
                pages::query_escape(&self.editions[k].id)
            )
        }
    }

    pub fn item_anchor(&self, id: &str) -> String {
        format!("i-{}", self.item_names.of(id))
    }

    pub fn meeting_anchor(&self, key: &str) -> String {
        format!("m-{}", self.meeting_names.of(self.page_key(key)))
    }

    /// The absolute address of `rel` when the site's address is known,
    /// else `rel` from the root.
    pub fn absolute(&self, rel: &str) -> String {
        match &self.options.base_url {
            Some(base) => format!("{base}{rel}"),
            None => rel.to_string(),
        }
    }

    /// Whether the item's history ends in its withdrawal.
    pub fn withdrawn(&self, id: &str) -> Option<usize> {
        let (_, history) = self.items.get(id)?;
        let last = history.last()?;
        matches!(last.status, ItemStatus::Removed | ItemStatus::Merged).then_some(last.edition)
    }
}

/// The diff of two stored editions, as `livedoc diff FROM TO` makes it:
/// by permanent id, with what the store recorded between them (`chain`,
/// the pairings of each edition after `old` up to `new`) composed.
fn stored_diff(
    old: &Edition,
    new: &Edition,
    chain: &[(Rules, &Pairings)],
    sides: Sides,
) -> EditionDiff {
    let recorded = recorded_across(chain);
    compare(old, new, &Pairing::ByRecord(&recorded), sides).report
}

/// The runs of consecutive editions in `present`, as `(first, last)`; the
/// last run's end is `None` when it reaches `latest` (it runs on, said
/// without naming the latest, so what holds it does not change with
/// every edition).
pub(crate) fn spans(present: &[usize], latest: usize) -> Vec<(usize, Option<usize>)> {
    let mut spans: Vec<(usize, Option<usize>)> = Vec::new();
    for &k in present {
        match spans.last_mut() {
            Some((_, Some(end))) if *end + 1 == k => *end = k,
            _ => spans.push((k, Some(k))),
        }
    }
    if let Some((_, end)) = spans.last_mut()
        && *end == Some(latest)
    {
        *end = None;
    }
    spans
}

/// A diff that keeps only what changed, and of that what the pages made
/// after the editions are read need (statuses, labels, counts): what the
/// site holds on to for every edition. The word changes stay with the
/// items' histories, and with the newest diff, whose marks `latest.html`
/// shows.
fn changed_only(mut d: EditionDiff, keep_words: bool) -> EditionDiff {
    for m in &mut d.meetings {
        m.items.retain(|i| i.status != ItemStatus::Unchanged);
        if !keep_words {
            for i in &mut m.items {
                i.old_text = None;
                i.new_text = None;
                match &mut i.change {
                    crate::diff::ItemChange::Paired { changes, .. }
                    | crate::diff::ItemChange::Restored { changes, .. } => {
                        *changes = Vec::new();
                    }
                    _ => {}
                }
            }
        }
    }
    d
}

/// Takes edition `k` (`e`, its diff with the one before `d`) into the
/// site's data: names, meeting keys, item histories, meeting versions.
fn take(data: &mut SiteData, k: usize, e: &Edition, d: Option<&EditionDiff>) {
    for m in e.meetings() {
        for i in &m.items {
            data.item_names.add(i.id.as_str());
        }
    }
    // A corrected symbol gives a meeting a new key; its page stays.
    if let Some(d) = d {
        for m in &d.meetings {
            if let Some(old) = m.old_key.as_ref().filter(|old| **old != m.key) {
                let page = data
                    .meeting_aliases
                    .get(old)
                    .cloned()
                    .unwrap_or_else(|| old.clone());
                data.meeting_aliases.insert(m.key.clone(), page);
            }
        }
    }
    let changed: HashMap<&str, &crate::diff::ItemDiff> = d
        .map(|d| {
            d.meetings
                .iter()
                .flat_map(|m| &m.items)
                .map(|i| (i.id.as_str(), i))
                .collect()
        })
        .unwrap_or_default();
    for m in e.meetings() {
        let page = data.page_key(m.key.as_str()).to_string();
        data.meeting_names.add(&page);
        if let Some(symbol) = &m.symbol {
            let symbols = data.meeting_symbols.entry(page.clone()).or_default();
            if !symbols.contains(symbol) {
                symbols.push(symbol.clone());
            }
        }
        let changed_meeting = match data.meetings.get(&page) {
            Some((present, old)) => present.last() != Some(&(k.wrapping_sub(1))) || old != m,
            None => true,
        };
        if changed_meeting {
            data.versions.entry(page.clone()).or_default().push(k);
        }
        let entry = data
            .meetings
            .entry(page.clone())
            .or_insert_with(|| (Vec::new(), m.clone()));
        entry.0.push(k);
        if changed_meeting {
            entry.1 = m.clone();
        }
        for item in &m.items {
            let pos = position(m, item);
            let diff = changed.get(item.id.as_str());
            let (kind, history) = data
                .items
                .entry(item.id.to_string())
                .or_insert_with(|| (item.kind, Vec::new()));
            let status = match (history.last(), diff) {
                (None, Some(d)) if d.status == ItemStatus::Split => ItemStatus::Split,
                (None, _) => ItemStatus::Added,
                (Some(_), Some(d)) => d.status,
                (Some(_), None) => ItemStatus::Unchanged,
            };
            let _ = kind;
            let moved_place = history
                .last()
                .is_some_and(|l| l.position != pos || l.meeting != page);
            if status != ItemStatus::Unchanged || moved_place {
                history.push(Moment {
                    edition: k,
                    status,
                    label: item.label.clone(),
                    position: pos,
                    meeting: page.clone(),
                    text: item_text(item),
                    old_label: diff
                        .and_then(|d| d.old_label.clone())
                        .filter(|old| Some(old) != item.label.as_ref()),
                });
            }
        }
    }
    // Items that left in this edition.
    for d in changed
        .values()
        .filter(|d| matches!(d.status, ItemStatus::Removed | ItemStatus::Merged))
    {
        if let Some((_, history)) = data.items.get_mut(&d.id)
            && let Some(last) = history.last().cloned()
        {
            history.push(Moment {
                edition: k,
                status: d.status,
                old_label: None,
                ..last
            });
        }
    }
}

/// An item's place in its meeting: among the unlabelled items for an
/// observation (as readers number them), else among all.
fn position(m: &Meeting, item: &Item) -> usize {
    let same_kind = |i: &&Item| i.label.is_none() == item.label.is_none();
    m.items
        .iter()
        .filter(same_kind)
        .position(|i| i.id == item.id)
        .map_or(0, |p| p + 1)
}

/// Writes files under one directory, only when their content changed, and
/// never through a symbolic link.
pub struct Writer {
    root: PathBuf,
    pub report: SiteReport,
    /// Every file this build has, written or kept.
    seen: std::collections::HashSet<String>,
    /// Document path → the key of the inputs it was made from, as an
    /// earlier build left it ([`CACHE`]) and as this one leaves it.
    cache_before: HashMap<String, String>,
    cache_after: BTreeMap<String, String>,
}

/// The file where a build notes what each document was made from, so the
/// next build typesets only what changed.
pub const CACHE: &str = ".livedoc-documents";

/// The file that marks a directory as a site livedoc wrote, so that a
/// rebuild may rewrite it.
pub const MARKER: &str = ".livedoc-site";

/// Whether `dir` may receive a site: it is missing or empty, it holds the
/// marker, or it holds the three files every livedoc site has (a site
/// written before the marker existed).
fn may_write_into(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return true;
    };
    // A concurrent build's temporary files do not make a directory
    // someone else's: a build writes the marker before any page.
    let mut others = entries.flatten().filter(|e| {
        let name = e.file_name();
        let name = name.to_string_lossy();
        !(name.starts_with(".livedoc-") && name.ends_with(".tmp"))
    });
    if others.next().is_none() {
        return true;
    }
    dir.join(MARKER).is_file()
        || ["index.html", "feed.xml", "editions.json"]
            .iter()
            .all(|f| dir.join(f).is_file())
}

impl Writer {
    /// A writer into `root`, which must be new, empty or a site livedoc
    /// wrote, unless `force`.
    pub fn new(root: &Path, force: bool) -> Result<Writer, SiteError> {
        if root
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
        {
            return Err(SiteError::Symlink {
                path: root.to_path_buf(),
            });
        }
        if !force && !may_write_into(root) {
            return Err(SiteError::NotASite {
                path: root.to_path_buf(),
            });
        }
        std::fs::create_dir_all(root).map_err(|source| SiteError::Write {
            path: root.to_path_buf(),
            source,
        })?;
        let cache_before = std::fs::read_to_string(root.join(CACHE))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once(' '))
            .map(|(key, path)| (path.to_string(), key.to_string()))
            .collect();
        let mut w = Writer {
            root: root.to_path_buf(),
            report: SiteReport::default(),
            seen: std::collections::HashSet::new(),
            cache_before,
            cache_after: BTreeMap::new(),
        };
        w.put(
            MARKER,
            b"This directory is a site written by livedoc; `livedoc site` rewrites it.\n",
        )?;
        Ok(w)
    }

    /// Writes `rel` (a relative path of plain names) with `bytes`, counted
    /// as a page of the report.
    pub fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<(), SiteError> {
        self.report.pages += 1;
        self.seen.insert(rel.to_string());
        if self.put(rel, bytes)? {
            self.report.written += 1;
        } else {
            self.report.unchanged += 1;
        }
        Ok(())
    }

    /// Writes the document `rel`, made by `make` from inputs named by
    /// `key`, unless an earlier build made it from the same inputs and it
    /// is still there: typesetting is the slow part of a build.
    pub fn document(
        &mut self,
        rel: &str,
        key: &str,
        make: impl FnOnce() -> Result<Vec<u8>, SiteError>,
    ) -> Result<(), SiteError> {
        self.cache_after.insert(rel.to_string(), key.to_string());
        if self.cache_before.get(rel).is_some_and(|k| k == key) && self.root.join(rel).is_file() {
            self.report.pages += 1;
            self.report.unchanged += 1;
            self.seen.insert(rel.to_string());
            return Ok(());
        }
        let bytes = make()?;
        self.write(rel, &bytes)
    }

    /// Ends the build: notes what the documents were made from, and
    /// removes the pages an earlier build wrote that this one does not
    /// have (under the site's own folders only, so a file the publisher
    /// added at the top, such as a host's `CNAME`, stays).
    pub fn finish(mut self) -> Result<SiteReport, SiteError> {
        let cache: String = self
            .cache_after
            .iter()
            .map(|(path, key)| format!("{key} {path}\n"))
            .collect();
        self.put(CACHE, cache.as_bytes())?;
        for dir in OWN_DIRS {
            let mut stale = Vec::new();
            collect_files(&self.root.join(dir), dir, &mut stale);
            for rel in stale {
                if !self.seen.contains(&rel) {
                    let path = self.root.join(&rel);
                    std::fs::remove_file(&path)
                        .map_err(|source| SiteError::Write { path, source })?;
                    self.report.removed += 1;
                }
            }
        }
        Ok(self.report)
    }

    /// Writes `rel` unless it already holds `bytes`; returns whether it
    /// wrote, whole ([`crate::files::write_whole`]).
    fn put(&mut self, rel: &str, bytes: &[u8]) -> Result<bool, SiteError> {
        let rel_path = Path::new(rel);
        debug_assert!(
            rel_path
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
        );
        let mut path = self.root.clone();
        for c in rel_path.components() {
            path.push(c);
            if path
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
            {
                return Err(SiteError::Symlink { path });
            }
        }
        if std::fs::read(&path).is_ok_and(|old| old == bytes) {
            // Pages an earlier version wrote owner-only become readable.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                if let Ok(meta) = std::fs::metadata(&path)
                    && meta.permissions().mode() & 0o077 == 0
                {
                    let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644));
                }
            }
            return Ok(false);
        }
        let err = |source| SiteError::Write {
            path: path.clone(),
            source,
        };
        let dir = path.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(dir).map_err(err)?;
        // Write beside, then rename: a reader never sees half a page.
        crate::files::write_whole(&path, bytes).map_err(err)?;
        Ok(true)
    }
}

/// The folders a site's pages are in, which a build owns whole.
const OWN_DIRS: [&str; 6] = ["editions", "diff", "items", "meetings", "data", "feeds"];

/// Every regular file under `dir`, as paths relative to the site's root
/// (`rel` is `dir`'s); symbolic links are neither followed nor listed.
fn collect_files(dir: &Path, rel: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        let child = format!("{rel}/{name}");
        if kind.is_dir() {
            collect_files(&entry.path(), &child, out);
        } else if kind.is_file() && !name.starts_with(".livedoc-") {
            out.push(child);
        }
    }
}

/// A summary of an edition from its record alone, before it is read.
fn summary_of(info: &EditionInfo) -> EditionSummary {
    let m = &info.meta;
    EditionSummary {
        id: m.id.clone(),
        date: m.date,
        title: m.title.clone(),
        place: m.place.clone(),
        masthead: m.masthead.clone(),
        counts: m.counts.clone(),
        parts: m
            .parts
            .iter()
            .map(|p| (p.key.clone(), p.headers.iter().map(|h| h.items).sum()))
            .collect(),
    }
}

/// The key of what a document is made from: livedoc's version (its
/// typesetting), what kind of document, the editions' commits and the
/// options that show in it.
fn document_key(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION"));
    for p in parts {
        h.update([0]);
        h.update(p.as_bytes());
    }
    hex::encode(&h.finalize()[..16])
}

/// Builds the site of `store` into `out`, reading the editions one at a
/// time, oldest first, so memory holds one or two editions and what the
/// pages need, not the whole history. `progress` hears of each edition
/// read (`k` of `n`) and then of the pages that span editions. Only files
/// whose bytes change are written; documents are typeset only when what
/// they are made from changed; pages an earlier build had and this one
/// does not are removed.
pub fn build(
    store: &Store,
    options: SiteOptions,
    out: &Path,
    force: bool,
    mut progress: impl FnMut(usize, usize, &str),
) -> Result<SiteReport, SiteError> {
    let infos = store.editions()?;
    let n = infos.len();
    let Some(last_info) = infos.last() else {
        return Err(SiteError::Empty);
    };
    let mut w = Writer::new(out, force)?;
    let all_pairs = n <= ALL_PAIRS_UP_TO;
    let whole = options
        .whole
        .unwrap_or(n.saturating_mul(last_info.meta.counts.items()) <= WHOLE_EDITIONS_UP_TO);
    let downloads_from = match options.downloads {
        Some(count) => n.saturating_sub(count),
        None => {
            // The newest editions while they hold DOWNLOAD_ITEMS items.
            let mut from = n - 1;
            let mut items = last_info.meta.counts.items();
            while from > 0 {
                items += infos[from - 1].meta.counts.items();
                if items > DOWNLOAD_ITEMS {
                    break;
                }
                from -= 1;
            }
            from
        }
    };
    // The downloads first, while nothing else is held: typesetting a large
    // edition is what needs the most memory, and the memory it frees is
    // given back before the pages are made.
    let summaries: Vec<EditionSummary> = infos.iter().map(summary_of).collect();
    documents(
        &mut w,
        store,
        &infos,
        &summaries,
        &options,
        downloads_from,
        &mut progress,
    )?;
    give_back_freed_memory();
    let mut first = Some(store.load(&infos[0])?);
    let latest_placeholder = first.as_ref().map(empty_like).ok_or(SiteError::Empty)?;
    let mut data = SiteData {
        editions: summaries,
        infos,
        diffs: BTreeMap::new(),
        pairs: std::collections::BTreeSet::new(),
        items: BTreeMap::new(),
        meetings: BTreeMap::new(),
        meeting_aliases: HashMap::new(),
        meeting_symbols: BTreeMap::new(),
        versions: HashMap::new(),
        whole,
        latest_edition: latest_placeholder,
        first_added: crate::diff::Added::default(),
        options,
        downloads_from,
        item_names: Names::default(),
        meeting_names: Names::default(),
    };
    // Editions kept whole: all of them when every pair has a page, else
    // the one before.
    let mut kept: Vec<Edition> = Vec::new();
    let mut pairings = Vec::with_capacity(n);
    for k in 0..n {
        let info = data.infos[k].clone();
        progress(k, n, info.id());
        let e = match first.take() {
            Some(e) => e,
            None => store.load(&info)?,
        };
        pairings.push((info.meta.rules, store.pairings(info.commit)?));
        data.editions[k] = EditionSummary::of(&e);
        let froms: Vec<usize> = if all_pairs {
            (0..k).collect()
        } else {
            k.checked_sub(1).into_iter().collect()
        };
        let mut next_diff = None;
        let mut pair_diffs = Vec::new();
        for from in froms {
            let old = if all_pairs { &kept[from] } else { &kept[0] };
            let d = stored_diff(
                old,
                &e,
                &steps(&pairings[from + 1..=k]),
                store.sides(&data.infos[from], &e, Newer::Stored)?,
            );
            if from + 1 == k {
                next_diff = Some(d.clone());
            }
            pair_diffs.push((from, d));
        }
        if k == 0 {
            data.first_added =
                stored_diff(&empty_like(&e), &e, &[], Sides::named(&empty_like(&e), &e)).added();
        }
        take(&mut data, k, &e, next_diff.as_ref());
        if let Some(d) = &next_diff {
            data.diffs
                .insert((k - 1, k), changed_only(d.clone(), k + 1 == n || all_pairs));
        }
        // The comparisons into this edition.
        for (from, d) in &pair_diffs {
            data.pairs.insert((*from, k));
            let rel = pages::diff_path(&data.editions[*from].id, &e.id);
            w.write(&rel, pages::diff(&data, *from, k, d).as_bytes())?;
        }
        // This edition's page.
        let page = if whole {
            pages::edition(&data, k, &e, next_diff.as_ref())
        } else {
            pages::edition_contents(&data, k, &e, next_diff.as_ref())
        };
        w.write(&pages::edition_path(&e.id), page.as_bytes())?;
        if all_pairs {
            kept.push(e);
        } else {
            kept = vec![e];
        }
    }
    data.latest_edition = kept.pop().ok_or(SiteError::Empty)?;
    drop(kept);
    progress(n, n, "pages of items and meetings");
    for (id, (kind, history)) in &data.items {
        w.write(
            &data.item_path(id),
            pages::item(&data, id, *kind, history).as_bytes(),
        )?;
    }
    for (key, (present, meeting)) in &data.meetings {
        w.write(
            &data.meeting_path(key),
            pages::meeting(&data, key, present, meeting).as_bytes(),
        )?;
    }
    w.write("index.html", pages::index(&data).as_bytes())?;
    w.write("latest.html", pages::latest(&data).as_bytes())?;
    w.write(
        "meetings/index.html",
        pages::meeting_index(&data).as_bytes(),
    )?;
    w.write("items/index.html", pages::item_index(&data).as_bytes())?;
    w.write(
        "search.html",
        search::page(&data, &search::build(&data)).as_bytes(),
    )?;
    w.write("data.html", pages::data_page(&data).as_bytes())?;
    // Any two editions compared in the browser, from the items' history.
    w.write(compare::EVENTS_PATH, compare::events(&data).as_bytes())?;
    w.write(
        compare::MEETINGS_PATH,
        compare::meetings_index(&data).as_bytes(),
    )?;
    for key in data.meetings.keys() {
        w.write(
            &compare::meeting_data_path(&data, key),
            compare::meeting_data(&data, key).as_bytes(),
        )?;
    }
    w.write("compare.html", compare::page(&data).as_bytes())?;
    w.write("site.css", pages::stylesheet().as_bytes())?;
    w.write(
        "data/schemas/show.json",
        include_bytes!("../../schemas/show.json"),
    )?;
    for (rel, xml) in feed::feeds(&data) {
        w.write(&rel, xml.as_bytes())?;
    }
    let report = w.finish()?;
    Ok(SiteReport {
        editions: n,
        ..report
    })
}

/// Returns the memory the pages' data held to the system before the
/// documents are typeset (typesetting a large edition needs most of the
/// build's memory): glibc's allocator keeps freed memory otherwise, and
/// the build's peak would be the pages' data and the typesetting together.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free heap memory; it touches no
    // live allocation and is safe to call at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Typesets the downloads of editions `from..` (and, where every pair has
/// a page, the redlines to the latest), each edition read again from the
/// store, one or two at a time.
fn documents(
    w: &mut Writer,
    store: &Store,
    infos: &[EditionInfo],
    editions: &[EditionSummary],
    options: &SiteOptions,
    from: usize,
    progress: &mut impl FnMut(usize, usize, &str),
) -> Result<(), SiteError> {
    let n = infos.len();
    if from >= n {
        return Ok(());
    }
    // The recorded pairings of editions a+1..=b, read when needed: only
    // those of the editions with downloads, unless every pair has a page.
    let diff_of =
        |a: usize, ea: &Edition, b: usize, eb: &Edition| -> Result<EditionDiff, SiteError> {
            let chain = infos[a + 1..=b]
                .iter()
                .map(|i| Ok((i.meta.rules, store.pairings(i.commit)?)))
                .collect::<Result<Vec<(Rules, Pairings)>, StoreError>>()?;
            Ok(stored_diff(
                ea,
                eb,
                &steps(&chain),
                store.sides(&infos[a], eb, Newer::Stored)?,
            ))
        };
    let mut before: Option<Edition> = match from.checked_sub(1) {
        Some(p) => Some(store.load(&infos[p])?),
        None => None,
    };
    for k in from..n {
        progress(k, n, &format!("documents of {}", infos[k].id()));
        let e = store.load(&infos[k])?;
        // The redline first, so that the edition before is gone when the
        // edition itself is typeset.
        if let Some(prev) = before.take() {
            let d = diff_of(k - 1, &prev, k, &e)?;
            redlines(w, infos, editions, options, k - 1, &prev, k, &e, &d)?;
        }
        downloads(w, &infos[k], &e, options)?;
        before = Some(e);
    }
    if n <= ALL_PAIRS_UP_TO && n > 1 {
        let latest = store.load(&infos[n - 1])?;
        for a in 0..n - 2 {
            let ea = store.load(&infos[a])?;
            let d = diff_of(a, &ea, n - 1, &latest)?;
            redlines(w, infos, editions, options, a, &ea, n - 1, &latest, &d)?;
        }
    }
    Ok(())
}

/// An edition's downloads: its PDF, Word document, JSON and Akoma Ntoso.
fn downloads(
    w: &mut Writer,
    info: &EditionInfo,
    e: &Edition,
    options: &SiteOptions,
) -> Result<(), SiteError> {
    let commit = info.commit.to_string();
    let documents_url = options.documents_url.as_str();
    w.document(
        &pages::document_path(&e.id, "pdf"),
        &document_key(&["pdf", &commit, documents_url]),
        || {
            crate::render::pdf::pdf_bytes(
                e,
                &crate::render::pdf::PdfOptions {
                    documents_url: documents_url.to_string(),
                },
            )
            .map_err(|source| SiteError::Pdf {
                edition: e.id.clone(),
                source,
            })
        },
    )?;
    let rel = pages::document_path(&e.id, "docx");
    w.document(
        &rel,
        &document_key(&["docx", &commit, documents_url]),
        || {
            let mut docx = Vec::new();
            crate::render::docx::render_with(
                e,
                &crate::render::docx::DocxOptions {
                    documents_url: documents_url.to_string(),
                },
                &mut docx,
            )
            .map_err(|source| SiteError::Write {
                path: PathBuf::from(&rel),
                source,
            })?;
            Ok(docx)
        },
    )?;
    let mut json =
        serde_json::to_vec(&crate::render::json::show_view(e, Some(info))).map_err(|e| {
            SiteError::Write {
                path: PathBuf::from("editions"),
                source: io::Error::other(e),
            }
        })?;
    json.push(b'\n');
    w.write(&pages::document_path(&e.id, "json"), &json)?;
    let mut akn = Vec::new();
    crate::render::akn::render(
        e,
        Some(info),
        &crate::render::akn::AknOptions {
            documents_url: documents_url.to_string(),
        },
        &mut akn,
    )
    .map_err(|source| SiteError::Write {
        path: PathBuf::from(pages::document_path(&e.id, "akn.xml")),
        source,
    })?;
    w.write(&pages::document_path(&e.id, "akn.xml"), &akn)?;
    Ok(())
}

/// The redlines of the comparison of edition `from` (`a`) with edition
/// `to` (`b`): Word, as tracked changes, and PDF, marked for print.
#[allow(clippy::too_many_arguments)]
fn redlines(
    w: &mut Writer,
    infos: &[EditionInfo],
    editions: &[EditionSummary],
    options: &SiteOptions,
    from: usize,
    a: &Edition,
    to: usize,
    b: &Edition,
    d: &EditionDiff,
) -> Result<(), SiteError> {
    let cut = &infos[to].meta.provenance;
    let redline_options = crate::render::redline::RedlineOptions {
        documents_url: options.documents_url.clone(),
        author: cut.cut_by.name.clone(),
        date: cut.cut_at.as_str().to_string(),
    };
    let (from_commit, to_commit) = (infos[from].commit.to_string(), infos[to].commit.to_string());
    let key = |kind: &str| {
        document_key(&[
            kind,
            &from_commit,
            &to_commit,
            &redline_options.documents_url,
            &redline_options.author,
            &redline_options.date,
        ])
    };
    let (a_id, b_id) = (&editions[from].id, &editions[to].id);
    let redline = std::cell::OnceCell::new();
    let make = || crate::render::redline::Redline::build(Some(a), b, d, &redline_options);
    let rel = pages::redline_path(a_id, b_id, "docx");
    w.document(&rel, &key("redline-docx"), || {
        let mut docx = Vec::new();
        crate::render::docx::render_redline(redline.get_or_init(make), &mut docx).map_err(
            |source| SiteError::Write {
                path: PathBuf::from(&rel),
                source,
            },
        )?;
        Ok(docx)
    })?;
    w.document(
        &pages::redline_path(a_id, b_id, "pdf"),
        &key("redline-pdf"),
        || {
            crate::render::pdf::redline_bytes(redline.get_or_init(make), d).map_err(|source| {
                SiteError::Pdf {
                    edition: format!("{a_id}..{b_id}"),
                    source,
                }
            })
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod name_tests {
    use super::Names;

    /// Page names are the ids' slugs; a hash suffix goes only to an id
    /// whose slug an earlier id already took, so names stay readable and
    /// never change once given.
    #[test]
    fn names_are_slugs_with_a_hash_only_on_a_collision() {
        let names = Names::build(["K/2023#14", "K/2023#(l)", "K/2023#L", "K/2023#14"].into_iter());
        assert_eq!(names.of("K/2023#14"), "k-2023-14");
        assert_eq!(names.of("K/2023#(l)"), "k-2023-l");
        let later = names.of("K/2023#L");
        assert!(
            later.starts_with("k-2023-l-") && later.len() > "k-2023-l-".len(),
            "{later}"
        );
        // Names given in an earlier build stay the same with more ids.
        let more = Names::build(["K/2023#14", "K/2023#(l)", "K/2023#L", "K/2023#15"].into_iter());
        assert_eq!(more.of("K/2023#L"), later);
        assert_eq!(more.of("K/2023#15"), "k-2023-15");
    }
}
