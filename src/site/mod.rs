//! The reader website: a static site of every edition, every change and
//! every item's history, built from the store.
//!
//! Pages link to each other relatively, carry their styles inline and need
//! no server, so the site works opened from disk and from any static host.
//! Document text goes through [`safe`]: it never becomes markup or script,
//! and a Content-Security-Policy forbids any script but the compare form's.
//! A rebuild writes only the files whose content changed.

mod feed;
mod pages;
pub mod safe;
mod search;

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::diff::words::Change;
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

/// Up to this many editions, a diff page is made for every pair (so the
/// compare form can offer any two); above it, only consecutive pairs and
/// each edition to the latest.
pub const ALL_PAIRS_UP_TO: usize = 30;

/// What a build did.
#[derive(Debug, Clone, Default)]
pub struct SiteReport {
    pub pages: usize,
    pub written: usize,
    pub unchanged: usize,
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
}

impl Names {
    fn build<'a>(ids: impl Iterator<Item = &'a str>) -> Names {
        let mut slugs: HashMap<String, String> = HashMap::new();
        let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
        for id in ids {
            if slugs.contains_key(id) {
                continue;
            }
            let slug = slugify(id);
            let slug = if slug.len() > 80 { &slug[..80] } else { &slug };
            let slug = slug.trim_end_matches('-').to_string();
            let name = if slug.is_empty() || taken.contains(&slug) {
                stem(id)
            } else {
                slug
            };
            taken.insert(name.clone());
            slugs.insert(id.to_string(), name);
        }
        Names { slugs }
    }

    /// The page name of `id`.
    pub fn of(&self, id: &str) -> String {
        self.slugs.get(id).cloned().unwrap_or_else(|| stem(id))
    }
}

/// One edition of an item's history.
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
    pub changes: Vec<Change>,
}

/// What the pages are made from.
pub struct SiteData {
    pub infos: Vec<EditionInfo>,
    pub editions: Vec<Edition>,
    /// `(from, to)` edition indices → their diff.
    pub diffs: BTreeMap<(usize, usize), EditionDiff>,
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
    /// How the site is built.
    pub options: SiteOptions,
    /// Page names of items and of meetings.
    pub item_names: Names,
    pub meeting_names: Names,
}

/// What `site` is told.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// Where a UN document is found by its symbol: `<url><symbol>`.
    pub documents_url: String,
    /// The address the site is published at, for the feed's absolute
    /// links (relative links without it).
    pub base_url: Option<String>,
}

impl Default for SiteOptions {
    fn default() -> Self {
        SiteOptions {
            documents_url: crate::render::DOCUMENTS_URL.to_string(),
            base_url: None,
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

    pub fn item_anchor(&self, id: &str) -> String {
        format!("i-{}", self.item_names.of(id))
    }

    pub fn meeting_anchor(&self, key: &str) -> String {
        format!("m-{}", self.meeting_names.of(self.page_key(key)))
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

/// Reads everything the site shows.
pub fn collect(store: &Store, mut progress: impl FnMut(&str)) -> Result<SiteData, SiteError> {
    let infos = store.editions()?;
    if infos.is_empty() {
        return Err(SiteError::Empty);
    }
    let mut editions = Vec::with_capacity(infos.len());
    let mut pairings = Vec::with_capacity(infos.len());
    for info in &infos {
        progress(&format!("reading {}", info.id()));
        editions.push(store.load(info)?);
        pairings.push((info.meta.rules, store.pairings(info.commit)?));
    }
    let n = editions.len();
    let mut diffs = BTreeMap::new();
    for to in 0..n {
        for from in 0..to {
            let wanted = n <= ALL_PAIRS_UP_TO || from + 1 == to || to == n - 1;
            if wanted {
                diffs.insert(
                    (from, to),
                    stored_diff(
                        &editions[from],
                        &editions[to],
                        &steps(&pairings[from + 1..=to]),
                        store.sides(&infos[from], &editions[to], Newer::Stored)?,
                    ),
                );
            }
        }
    }

    // Item histories from the consecutive diffs.
    let mut items: BTreeMap<String, (ItemKind, Vec<Moment>)> = BTreeMap::new();
    let mut meetings: BTreeMap<String, (Vec<usize>, Meeting)> = BTreeMap::new();
    let mut meeting_aliases: HashMap<String, String> = HashMap::new();
    let mut meeting_symbols: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, e) in editions.iter().enumerate() {
        // A corrected symbol gives a meeting a new key; its page stays.
        if let Some(d) = diffs.get(&(k.wrapping_sub(1), k)).filter(|_| k > 0) {
            for m in &d.meetings {
                if let Some(old) = m.old_key.as_ref().filter(|old| **old != m.key) {
                    let page = meeting_aliases
                        .get(old)
                        .cloned()
                        .unwrap_or_else(|| old.clone());
                    meeting_aliases.insert(m.key.clone(), page);
                }
            }
        }
        let changed: HashMap<&str, &crate::diff::ItemDiff> =
            match diffs.get(&(k.wrapping_sub(1), k)) {
                Some(d) if k > 0 => d
                    .meetings
                    .iter()
                    .flat_map(|m| &m.items)
                    .map(|i| (i.id.as_str(), i))
                    .collect(),
                _ => HashMap::new(),
            };
        for m in e.meetings() {
            let page = meeting_aliases
                .get(m.key.as_str())
                .cloned()
                .unwrap_or_else(|| m.key.to_string());
            if let Some(symbol) = &m.symbol {
                let symbols = meeting_symbols.entry(page.clone()).or_default();
                if !symbols.contains(symbol) {
                    symbols.push(symbol.clone());
                }
            }
            let entry = meetings
                .entry(page.clone())
                .or_insert_with(|| (Vec::new(), m.clone()));
            entry.0.push(k);
            entry.1 = m.clone();
            for item in &m.items {
                let status = if k == 0 {
                    ItemStatus::Added
                } else if !items.contains_key(item.id.as_str()) {
                    // New here: added, or split off another item.
                    match changed.get(item.id.as_str()) {
                        Some(d) if d.status == ItemStatus::Split => ItemStatus::Split,
                        _ => ItemStatus::Added,
                    }
                } else {
                    changed
                        .get(item.id.as_str())
                        .map_or(ItemStatus::Unchanged, |d| d.status)
                };
                let changes = changed
                    .get(item.id.as_str())
                    .map(|d| d.changes().to_vec())
                    .unwrap_or_default();
                items
                    .entry(item.id.to_string())
                    .or_insert_with(|| (item.kind, Vec::new()))
                    .1
                    .push(moment(k, status, &page, item, changes, position(m, item)));
            }
        }
        // Items that left in this edition.
        if k > 0 {
            for d in changed
                .values()
                .filter(|d| matches!(d.status, ItemStatus::Removed | ItemStatus::Merged))
            {
                if let Some((_, history)) = items.get_mut(&d.id) {
                    let last = history.last().cloned();
                    if let Some(last) = last {
                        history.push(Moment {
                            edition: k,
                            status: d.status,
                            changes: Vec::new(),
                            ..last
                        });
                    }
                }
            }
        }
    }
    let item_names = Names::build(editions.iter().flat_map(|e| {
        e.meetings()
            .flat_map(|m| m.items.iter().map(|i| i.id.as_str()))
    }));
    let meeting_names = Names::build(editions.iter().flat_map(|e| {
        e.meetings().map(|m| {
            meeting_aliases
                .get(m.key.as_str())
                .map_or(m.key.as_str(), String::as_str)
        })
    }));
    Ok(SiteData {
        item_names,
        meeting_names,
        options: SiteOptions::default(),
        infos,
        editions,
        diffs,
        items,
        meetings,
        meeting_aliases,
        meeting_symbols,
    })
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

fn moment(
    edition: usize,
    status: ItemStatus,
    meeting: &str,
    item: &Item,
    changes: Vec<Change>,
    position: usize,
) -> Moment {
    Moment {
        edition,
        status,
        label: item.label.clone(),
        position,
        meeting: meeting.to_string(),
        text: item_text(item),
        changes,
    }
}

/// Writes files under one directory, only when their content changed, and
/// never through a symbolic link.
pub struct Writer {
    root: PathBuf,
    pub report: SiteReport,
}

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
        let mut w = Writer {
            root: root.to_path_buf(),
            report: SiteReport::default(),
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
        if self.put(rel, bytes)? {
            self.report.written += 1;
        } else {
            self.report.unchanged += 1;
        }
        Ok(())
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

/// How many pages a site of `data` has, for a progress bar.
pub fn page_count(data: &SiteData) -> usize {
    let redlines = data
        .diffs
        .keys()
        .filter(|&&(from, to)| pages::has_redline(data, from, to))
        .count();
    // Each edition's page, PDF and Word document; each diff's page and
    // its redlines (Word and PDF) where it has them.
    7 + 3 * data.editions.len()
        + data.diffs.len()
        + 2 * redlines
        + data.items.len()
        + data.meetings.len()
}

/// Builds the site into `out`. `progress` hears of every page written.
pub fn build(
    data: &SiteData,
    out: &Path,
    force: bool,
    mut progress: impl FnMut(&str),
) -> Result<SiteReport, SiteError> {
    let mut w = Writer::new(out, force)?;
    let mut put = |w: &mut Writer, rel: String, page: &[u8]| -> Result<(), SiteError> {
        progress(&rel);
        w.write(&rel, page)
    };
    put(&mut w, "index.html".into(), pages::index(data).as_bytes())?;
    put(&mut w, "latest.html".into(), pages::latest(data).as_bytes())?;
    put(
        &mut w,
        "meetings/index.html".into(),
        pages::meeting_index(data).as_bytes(),
    )?;
    put(
        &mut w,
        "items/index.html".into(),
        pages::item_index(data).as_bytes(),
    )?;
    put(
        &mut w,
        "search.html".into(),
        search::page(data, &search::build(data)).as_bytes(),
    )?;
    for k in 0..data.editions.len() {
        put(
            &mut w,
            pages::edition_path(&data.editions[k].id),
            pages::edition(data, k).as_bytes(),
        )?;
    }
    // Each edition as the documents it is published as: its PDF and its
    // Word document.
    for (e, info) in data.editions.iter().zip(&data.infos) {
        let pdf = crate::render::pdf::pdf_bytes(
            e,
            &crate::render::pdf::PdfOptions {
                documents_url: data.options.documents_url.clone(),
            },
        )
        .map_err(|source| SiteError::Pdf {
            edition: info.id().to_string(),
            source,
        })?;
        put(&mut w, pages::document_path(&e.id, "pdf"), &pdf)?;
        let mut docx = Vec::new();
        crate::render::docx::render_with(
            e,
            &crate::render::docx::DocxOptions {
                documents_url: data.options.documents_url.clone(),
            },
            &mut docx,
        )
        .map_err(|source| SiteError::Write {
            path: out.join(pages::document_path(&e.id, "docx")),
            source,
        })?;
        put(&mut w, pages::document_path(&e.id, "docx"), &docx)?;
    }
    for (&(from, to), d) in &data.diffs {
        put(
            &mut w,
            pages::diff_path(&data.editions[from].id, &data.editions[to].id),
            pages::diff(data, from, to, d).as_bytes(),
        )?;
        // The comparisons readers ask for, to the next edition and to the
        // latest, as redlines: the later edition with the changes tracked
        // under its author and date (Word), and marked in print (PDF).
        if pages::has_redline(data, from, to) {
            let (a, b) = (&data.editions[from], &data.editions[to]);
            let cut = &data.infos[to].meta.provenance;
            let options = crate::render::redline::RedlineOptions {
                documents_url: data.options.documents_url.clone(),
                author: cut.cut_by.name.clone(),
                date: cut.cut_at.as_str().to_string(),
            };
            let redline = crate::render::redline::Redline::build(Some(a), b, d, &options);
            let rel = pages::redline_path(&a.id, &b.id, "docx");
            let mut docx = Vec::new();
            crate::render::docx::render_redline(&redline, &mut docx).map_err(|source| {
                SiteError::Write {
                    path: out.join(&rel),
                    source,
                }
            })?;
            put(&mut w, rel, &docx)?;
            let pdf = crate::render::pdf::redline_bytes(&redline, d).map_err(|source| {
                SiteError::Pdf {
                    edition: format!("{}..{}", a.id, b.id),
                    source,
                }
            })?;
            put(&mut w, pages::redline_path(&a.id, &b.id, "pdf"), &pdf)?;
        }
    }
    for (id, (kind, history)) in &data.items {
        put(
            &mut w,
            data.item_path(id),
            pages::item(data, id, *kind, history).as_bytes(),
        )?;
    }
    for (key, (present, meeting)) in &data.meetings {
        put(
            &mut w,
            data.meeting_path(key),
            pages::meeting(data, key, present, meeting).as_bytes(),
        )?;
    }
    put(&mut w, "feed.xml".into(), feed::atom(data).as_bytes())?;
    let export = crate::render::json::site_export(&data.editions, &data.infos);
    let mut json = serde_json::to_vec_pretty(&export).expect("views serialise");
    json.push(b'\n');
    put(&mut w, "editions.json".into(), &json)?;
    Ok(w.report)
}

/// An edition whose empty predecessor the first diff is against.
pub fn first_added(data: &SiteData) -> crate::diff::Added {
    let e = &data.editions[0];
    stored_diff(&empty_like(e), e, &[], Sides::named(&empty_like(e), e)).added()
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
