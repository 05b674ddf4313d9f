//! `livedoc import`: cut editions from Markdown and Word files.

use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use livedoc::diagnostic::{Diagnostic, Severity};
use livedoc::diff::overrides::Override;
use livedoc::ids::EditionId;
use livedoc::model::{Edition, EditionDate};
use livedoc::parse::check;
use livedoc::parse::{self, ParseError, ParseOptions, Parsed};
use livedoc::render::text;
use livedoc::store::snapshot::{Person, Timestamp};
use livedoc::store::{
    DateFrom, ImportOutcome as StoreOutcome, ImportRequest, Plan, Store, plan_after,
};

use livedoc::render::ImportOutcome;
use livedoc::render::json::{self, ImportRow};

use super::format::{Format, FormatArgs};
use super::source::{locate_override_errors, read_overrides};
use super::{CliError, Ctx, exit};

/// Import editions into the store, creating the store if needed.
///
/// Each file is Markdown (.md) or Word (.docx); a Word edition keeps its
/// .docx beside the Markdown read from it. A directory imports each `*.md`
/// and `*.docx` in name order, skipping editions already present. Every
/// file is checked before anything is written. Published
/// editions are immutable: different content under an existing id is
/// refused; the same bytes again are a no-op.
///
/// Examples:
///   livedoc import editions/
///   livedoc import DRAFT.docx --edition 2025-03 --date 2025-03 --dry-run
///   livedoc import DRAFT.md --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// A Markdown (.md) or Word (.docx) file, or a directory of them.
    path: PathBuf,
    /// The edition id [default: the file name without `.md` or `.docx`]; single files only.
    #[arg(long)]
    edition: Option<String>,
    /// The edition's date, YYYY-MM or YYYY-MM-DD [default: the document's own
    /// date line, such as "Vienna, April 2024"]; single files only.
    #[arg(long, value_parser = parse_date)]
    date: Option<EditionDate>,
    /// Who cuts the edition, as "Name <email>" [default: LIVEDOC_AUTHOR,
    /// else git's user.name and user.email].
    #[arg(long)]
    author: Option<String>,
    /// Show what would be imported and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Sign each edition's tag with this SSH private key, so that
    /// `git verify-tag` and `livedoc verify --allowed-signers` can check it.
    #[arg(long, value_name = "KEY")]
    sign: Option<PathBuf>,
    /// Pairing overrides [default: the draft's .pairs.toml beside it, if
    /// any]; single files only.
    #[arg(long, value_name = "FILE")]
    pairs: Option<PathBuf>,
    /// Accepted findings of the published text, not printed as warnings
    /// [default: the draft's .accepted.toml beside it, if any]; single
    /// files only.
    #[arg(long, value_name = "FILE")]
    accepted: Option<PathBuf>,
    #[command(flatten)]
    format: FormatArgs,
}

fn parse_date(s: &str) -> Result<EditionDate, String> {
    EditionDate::parse(s)
        .ok_or_else(|| format!("{s:?} is not a date of the form YYYY-MM or YYYY-MM-DD"))
}

/// One file, read and parsed, with its pairing overrides.
struct Draft {
    display: String,
    file_name: String,
    bytes: Vec<u8>,
    parsed: Parsed,
    overrides: Vec<Override>,
    /// The importer's and the content checks' warnings, in line order:
    /// printed only if the draft is imported (or previewed), so that a
    /// re-run over editions already in the store is quiet about them.
    warnings: Vec<Diagnostic>,
    /// How many warnings its accepted-findings file accepted, and the file.
    accepted: Option<(usize, String)>,
}

impl Draft {
    fn warn(&self, ctx: &Ctx) {
        for w in &self.warnings {
            ctx.warn(&self.display, w);
        }
        if let Some((n, file)) = &self.accepted {
            ctx.note(&format!(
                "note: {} of {} accepted as published ({file})",
                if *n == 1 {
                    "1 finding".to_string()
                } else {
                    format!("{n} findings")
                },
                self.display
            ));
        }
    }

    /// The JSON report's row for this draft, cut as `edition`.
    fn row(&self, outcome: ImportOutcome, meta: RowMeta) -> ImportRow {
        ImportRow {
            id: meta.id,
            date: meta.date,
            file: self.display.clone(),
            outcome,
            commit: meta.commit,
            tag: meta.tag,
            counts: meta.counts,
            added: meta.added,
            follows: meta.follows,
            changes: meta.changes,
            warnings: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// What a row says about the edition itself.
struct RowMeta {
    id: String,
    date: EditionDate,
    commit: Option<String>,
    tag: Option<String>,
    counts: livedoc::model::Counts,
    added: livedoc::diff::Added,
    follows: Option<String>,
    changes: Option<livedoc::diff::Summary>,
}

impl RowMeta {
    /// From an edition in the store.
    fn stored(info: &livedoc::store::EditionInfo, follows: Option<String>) -> RowMeta {
        RowMeta {
            id: info.id().to_string(),
            date: info.meta.date,
            commit: Some(info.commit.to_string()),
            tag: info.tag.map(|_| livedoc::store::tag_name(info.id())),
            counts: info.meta.counts.clone(),
            added: info.meta.added.clone(),
            changes: follows.is_some().then(|| info.meta.changes.clone()),
            follows,
        }
    }
}

/// The drafts of a directory: its Markdown and Word files, in name order.
/// An edition there as both is refused: which of the two is the edition
/// is not for livedoc to guess.
fn draft_files(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let read = |source| CliError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read)? {
        let path = entry.map_err(read)?.path();
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        // Word's lock files (`~$draft.docx`) are not drafts.
        let lock = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("~$"));
        if matches!(ext.as_deref(), Some("md" | "docx")) && !lock && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(CliError::Usage {
            message: format!("{} holds no .md or .docx files", dir.display()),
            hint: "name a Markdown or Word file, or a directory of them".into(),
        });
    }
    let mut stems: std::collections::BTreeMap<String, Vec<&PathBuf>> = Default::default();
    for f in &files {
        let stem = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        stems.entry(stem).or_default().push(f);
    }
    if let Some((stem, both)) = stems.iter().find(|(_, v)| v.len() > 1) {
        let names: Vec<String> = both
            .iter()
            .map(|p| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect();
        return Err(CliError::Usage {
            message: format!(
                "edition {stem} is in {} twice, as {}; which one is the edition is ambiguous",
                dir.display(),
                names.join(" and ")
            ),
            hint: "keep one of them in the directory (move the other away), or import the file you mean by name".into(),
        });
    }
    Ok(files)
}

fn read_draft(
    ctx: &Ctx,
    path: &Path,
    id: Option<&str>,
    date: Option<EditionDate>,
    pairs: Option<&Path>,
    accepted: Option<&Path>,
) -> Result<Draft, CliError> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if super::source::is_stdin(path) && id.is_none() {
        return Err(CliError::Usage {
            message:
                "a draft read from standard input has no file name to take its edition id from"
                    .into(),
            hint: "name it: livedoc import - --edition ID".into(),
        });
    }
    let id = EditionId::new(id.unwrap_or(&stem)).map_err(|e| CliError::Usage {
        hint: format!(
            "{}; the id comes from the file name unless you pass --edition ID",
            super::hints::edition_id(&e)
        ),
        message: e.to_string(),
    })?;
    let bytes = super::source::read_input(path)?;
    let display = super::source::display(path);
    let parsed = match parse::parse_any(
        &bytes,
        &display,
        &ParseOptions {
            id,
            date,
            rules: Default::default(),
        },
    ) {
        Ok(p) => p,
        Err(e) => {
            for w in &check::capped(e.warnings.clone(), &[]) {
                ctx.warn(&display, w);
            }
            return Err(e.into());
        }
    };
    // The content checks: their errors block the import like the
    // importer's own. At most so many findings of each kind are printed,
    // as `check` prints them.
    let lint = check::lint(&parsed);
    let mut warnings: Vec<Diagnostic> = check::capped(parsed.warnings.clone(), &[]);
    warnings.extend(
        lint.iter()
            .filter(|d| d.severity == Severity::Warning)
            .cloned(),
    );
    warnings.sort_by_key(|d| d.line);
    // Warnings the accepted-findings file accepts are not printed; an
    // entry that matches nothing is.
    let (warnings, accepted) =
        super::source::unaccepted(path, accepted, &parsed, warnings, &display)?;
    let errors: Vec<Diagnostic> = lint
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        // A blocking error comes with the file's warnings.
        for w in &warnings {
            ctx.warn(&display, w);
        }
        return Err(ParseError {
            file: display,
            errors,
            warnings: Vec::new(),
        }
        .into());
    }
    let overrides = read_overrides(path, pairs)?;
    Ok(Draft {
        warnings,
        accepted,
        overrides,
        display,
        file_name: path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes,
        parsed,
    })
}

/// "Name <email>" or "Name".
fn person(s: &str) -> Person {
    match s.trim().rsplit_once('<') {
        Some((name, rest)) if rest.ends_with('>') => Person {
            name: name.trim().to_string(),
            email: rest.trim_end_matches('>').trim().to_string(),
        },
        _ => Person {
            name: s.trim().to_string(),
            email: String::new(),
        },
    }
}

/// --author, else LIVEDOC_AUTHOR, else git's configuration, else the login
/// name (with a warning, so the record never claims a name it was not
/// given). The environment before the configuration, as git's own
/// GIT_AUTHOR_NAME before user.name.
fn author(ctx: &Ctx, flag: Option<&str>, store: Option<&Store>) -> Result<Person, CliError> {
    if let Some(a) = flag {
        let p = person(a);
        if p.name.is_empty() {
            return Err(CliError::Usage {
                message: format!("--author {a:?} names nobody"),
                hint: "pass --author \"Name <email>\"".into(),
            });
        }
        return Ok(p);
    }
    if let Some(p) = configured_author(store) {
        return Ok(p);
    }
    let login = ["USER", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "unknown".to_string());
    ctx.note(&format!(
        "warning: no author configured; the edition records \"{login}\" as who cut it (pass --author \"Name <email>\", set LIVEDOC_AUTHOR, or set git's user.name)"
    ));
    Ok(Person {
        name: login,
        email: String::new(),
    })
}

/// Who is configured to cut editions: LIVEDOC_AUTHOR ("Name <email>"),
/// else git's user.name and user.email as git reads them for the store;
/// `None` when neither is set.
pub(super) fn configured_author(store: Option<&Store>) -> Option<Person> {
    if let Some(p) = std::env::var("LIVEDOC_AUTHOR")
        .ok()
        .map(|a| person(&a))
        .filter(|p| !p.name.is_empty())
    {
        return Some(p);
    }
    let config = git_config(store)?;
    let name = config.get_string("user.name").ok()?;
    let name = name.trim().to_string();
    if name.is_empty() {
        return None;
    }
    let email = config.get_string("user.email").unwrap_or_default();
    Some(Person { name, email })
}

/// Git's configuration as git itself would read it for the store,
/// honouring GIT_CONFIG_GLOBAL (which libgit2 does not).
fn git_config(store: Option<&Store>) -> Option<git2::Config> {
    let Some(global) = std::env::var_os("GIT_CONFIG_GLOBAL") else {
        return match store {
            Some(s) => s.repo().config().ok(),
            None => git2::Config::open_default().ok(),
        };
    };
    let mut config = git2::Config::new().ok()?;
    let global = PathBuf::from(global);
    if global.is_file() {
        config
            .add_file(&global, git2::ConfigLevel::Global, false)
            .ok()?;
    }
    if let Some(s) = store {
        let local = s.path().join("config");
        if local.is_file() {
            config
                .add_file(&local, git2::ConfigLevel::Local, false)
                .ok()?;
        }
    }
    Some(config)
}

/// The time of a cut: SOURCE_DATE_EPOCH (seconds since the epoch) when
/// it is set to a time, else now.
pub(super) fn now() -> Timestamp {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .and_then(Timestamp::from_unix)
        .or_else(|| Timestamp::from_unix(chrono::Utc::now().timestamp()))
        .expect("the clock reads a time chrono holds")
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<u8, CliError> {
    let files = if args.path.is_dir() {
        if args.edition.is_some()
            || args.date.is_some()
            || args.pairs.is_some()
            || args.accepted.is_some()
        {
            return Err(CliError::Usage {
                message:
                    "--edition, --date, --pairs and --accepted apply to a single file, not a directory"
                        .into(),
                hint: "import the file on its own, or let each file's name and date line decide"
                    .into(),
            });
        }
        draft_files(&args.path)?
    } else {
        vec![args.path.clone()]
    };

    // Check every file before writing anything.
    let mut drafts = Vec::new();
    let mut ids = HashSet::new();
    for f in &files {
        let d = read_draft(
            ctx,
            f,
            args.edition.as_deref(),
            args.date,
            args.pairs.as_deref(),
            args.accepted.as_deref(),
        )?;
        if !ids.insert(d.parsed.edition.id.clone()) {
            return Err(CliError::Usage {
                message: format!("two files would both be edition {}", d.parsed.edition.id),
                hint: "rename one of them".into(),
            });
        }
        drafts.push(d);
    }
    let date_from = if args.date.is_some() {
        DateFrom::Flag
    } else {
        DateFrom::Document
    };

    if args.dry_run {
        let store = if ctx.store.exists() {
            Some(ctx.open_store()?)
        } else {
            None
        };
        let who = author(ctx, args.author.as_deref(), store.as_ref())?;
        // The dry run checks the signing key by signing with it, as the
        // import will, so that a key that cannot sign fails here and not
        // at the real import.
        if let Some(key) = &args.sign {
            livedoc::store::sign::sign("livedoc import --dry-run: the key can sign\n", key)
                .map_err(|e| CliError::Store(livedoc::store::StoreError::Sign(e)))?;
        }
        let json = args.format.format == Format::Json;
        let mut rows = Vec::new();
        let mut sink = std::io::sink();
        let text_out: &mut dyn Write = if json { &mut sink } else { out };
        let code = dry_run(
            ctx,
            store.as_ref(),
            &drafts,
            who,
            date_from,
            &mut rows,
            text_out,
        )?;
        if json {
            let name = ctx.store.display().to_string();
            json::write(&json::import_view(&name, false, true, &rows), out)?;
        }
        return Ok(code);
    }

    let json = args.format.format == Format::Json;
    let mut rows = Vec::new();
    let mut sink = std::io::sink();
    let text_out: &mut dyn Write = if json { &mut sink } else { out };
    let (store, created) = Store::init(&ctx.store)?;
    let result = import_all(
        ctx,
        &store,
        &drafts,
        &args,
        date_from,
        json.then_some(&mut rows),
        text_out,
    );
    if created {
        // A store created for imports that all failed is not left behind.
        let removed = result.is_err() && store.discard_if_empty().unwrap_or(false);
        if !removed {
            ctx.note(&format!("Created edition store {}", ctx.store.display()));
        }
    }
    if json && result.is_ok() {
        let name = ctx.store.display().to_string();
        json::write(&json::import_view(&name, created, false, &rows), out)?;
    }
    // What to run next comes last, after what happened.
    if !json && result.as_ref().is_ok_and(|&imported| imported > 0) {
        let livedoc = ctx.livedoc();
        ctx.note(&format!(
            "Next: {livedoc} diff shows what the newest edition changed ({livedoc} diff DRAFT.md previews a draft); {livedoc} site --out site builds the reader website."
        ));
    }
    result.map(|_| exit::SUCCESS)
}

fn import_all(
    ctx: &Ctx,
    store: &Store,
    drafts: &[Draft],
    args: &Args,
    date_from: DateFrom,
    mut rows: Option<&mut Vec<ImportRow>>,
    out: &mut dyn Write,
) -> Result<usize, CliError> {
    let who = author(ctx, args.author.as_deref(), Some(store))?;
    let time = now();
    // A progress bar on stderr for long runs; hidden when stderr is not a
    // terminal.
    let bar = (drafts.len() >= 3).then(|| {
        let bar = indicatif::ProgressBar::new(drafts.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} editions {msg}")
                .expect("a valid template"),
        );
        bar
    });
    let mut imported = 0;
    for d in drafts {
        if let Some(bar) = &bar {
            bar.set_message(d.parsed.edition.id.clone());
        }
        let older = older_than_newest(store, &d.parsed.edition)?;
        let req = request(d, &who, time.clone(), date_from, args.sign.as_deref());
        let outcome = store.import(&req).map_err(locate_override_errors)?;
        let mut notes = Vec::new();
        // An edition already in the store was checked when it came in.
        if !matches!(outcome, StoreOutcome::AlreadyPresent(_)) {
            d.warn(ctx);
            notes.extend(older);
            notes.extend(id_disagrees_with_date(&d.parsed.edition));
            for note in &notes {
                ctx.note(note);
            }
        }
        // The JSON report's row, built only when JSON is asked for (its
        // `follows` reads the record of the edition before).
        if let Some(rows) = rows.as_deref_mut() {
            let mut row = match &outcome {
                StoreOutcome::AlreadyPresent(info) => d.row(
                    ImportOutcome::AlreadyPresent,
                    RowMeta::stored(info, follows(store, info)),
                ),
                StoreOutcome::Completed(info) => d.row(
                    ImportOutcome::Completed,
                    RowMeta::stored(info, follows(store, info)),
                ),
                StoreOutcome::Imported { info, report, .. } => d.row(
                    ImportOutcome::Imported,
                    RowMeta::stored(
                        info,
                        (!report.from.edition_id.is_empty())
                            .then(|| report.from.edition_id.clone()),
                    ),
                ),
            };
            if !matches!(outcome, StoreOutcome::AlreadyPresent(_)) {
                row.warnings = d.warnings.clone();
                row.notes = notes;
            }
            rows.push(row);
        }
        match outcome {
            StoreOutcome::AlreadyPresent(info) => writeln!(
                out,
                "Edition {} is already in the store with the same content (commit {}); nothing to do.",
                info.id(),
                &info.commit.to_string()[..7]
            )?,
            StoreOutcome::Completed(info) => writeln!(
                out,
                "Completed edition {}, which an interrupted import had left on the branch without its tag or ledger entry (commit {}).",
                info.id(),
                &info.commit.to_string()[..7]
            )?,
            StoreOutcome::Imported {
                info,
                edition,
                report,
            } => {
                writeln!(
                    out,
                    "Imported edition {} ({}) from {}: commit {}, tag edition/{}.",
                    ctx.palette.bold(info.id()),
                    edition.date.long(),
                    d.display,
                    &info.commit.to_string()[..7],
                    info.id()
                )?;
                text::added(&edition, &info.meta.added, ctx.palette, out)?;
                if !report.from.edition_id.is_empty() {
                    text::other_changes(&report, out)?;
                }
                imported += 1;
            }
        }
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(imported)
}

/// The id of the edition a stored one follows, if any.
fn follows(store: &Store, info: &livedoc::store::EditionInfo) -> Option<String> {
    let commit = store.repo().find_commit(info.commit).ok()?;
    let parent = commit.parent_id(0).ok()?;
    store.meta(parent).ok().map(|m| m.id)
}

/// Editions are expected in date order; one dated before the newest
/// stored edition is most likely a mistake: the warning to give, if any.
/// An edition already in the store is no new edition, and gets none.
fn older_than_newest(store: &Store, edition: &Edition) -> Result<Option<String>, CliError> {
    let Some(head) = store.head()? else {
        return Ok(None);
    };
    let newest = store.meta(head)?;
    if newest.id == edition.id || store.find(&edition.id)?.is_some() {
        return Ok(None);
    }
    if newest.date == edition.date {
        // The date line of a draft made from the newest edition, left as
        // it was: the new edition would carry the old one's date.
        return Ok(Some(format!(
            "warning: edition {} is dated {}, as the newest edition {} is; was the draft's date line (such as \"Vienna, {}\") updated? Pass --date YYYY-MM if it was not",
            edition.id,
            edition.date.long(),
            newest.id,
            edition.date.long()
        )));
    }
    if newest.date < edition.date {
        return Ok(None);
    }
    Ok(Some(format!(
        "warning: edition {} is dated {}, before the newest edition {} ({}); it will still follow it",
        edition.id,
        edition.date.long(),
        newest.id,
        newest.date.long()
    )))
}

/// An edition id shaped like a month (`2025-03`) that names another month
/// than the edition's date: the warning to give, if any.
fn id_disagrees_with_date(edition: &Edition) -> Option<String> {
    let id = edition.id.as_str();
    let b = id.as_bytes();
    let month_shaped = b.len() == 7
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit());
    let month = edition.date.to_string();
    (month_shaped && !month.starts_with(id)).then(|| {
        format!(
            "warning: edition {id} is dated {}: its id names another month; check the id or the date line (or pass --date {id})",
            edition.date.long()
        )
    })
}

fn request<'a>(
    d: &'a Draft,
    who: &Person,
    time: Timestamp,
    date_from: DateFrom,
    sign: Option<&Path>,
) -> ImportRequest<'a> {
    ImportRequest {
        sign_key: sign.map(Path::to_path_buf),
        overrides: d.overrides.clone(),
        edition: d.parsed.edition.clone(),
        source: &d.bytes,
        source_file: d.file_name.clone(),
        derived: d.parsed.derived.as_ref().map(|x| x.markdown.as_str()),
        author: who.clone(),
        time,
        date_from,
    }
}

fn dry_run(
    ctx: &Ctx,
    store: Option<&Store>,
    drafts: &[Draft],
    who: Person,
    date_from: DateFrom,
    rows: &mut Vec<ImportRow>,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    let time = now();
    // The edition each draft would follow: the store's newest, then the
    // drafts planned before it.
    let mut previous: Option<(Edition, BTreeSet<String>)> = match store {
        Some(s) => match s.head()? {
            Some(c) => {
                let info = s.info(c)?;
                let edition = s.load(&info)?;
                Some((edition, info.meta.retired_ids.into_iter().collect()))
            }
            None => None,
        },
        None => None,
    };
    // The first draft follows the store's newest edition, as the store
    // plans it; a later one follows the draft before, which is not stored.
    let mut first = true;
    for d in drafts {
        let req = request(d, &who, time.clone(), date_from, None);
        d.warn(ctx);
        let planned = match store {
            Some(s) => Some(s.plan(&req).map_err(locate_override_errors)?),
            None => None,
        };
        if let Some(Plan::AlreadyPresent(info)) = planned {
            rows.push(d.row(
                ImportOutcome::WouldSkip,
                RowMeta::stored(&info, store.and_then(|s| follows(s, &info))),
            ));
            writeln!(
                out,
                "Edition {} is already in the store with the same content; it would be skipped.",
                info.id()
            )?;
            continue;
        }
        // The dry run warns as the import will.
        let mut notes = Vec::new();
        if let Some(s) = store {
            notes.extend(older_than_newest(s, &d.parsed.edition)?);
        }
        notes.extend(id_disagrees_with_date(&d.parsed.edition));
        for note in &notes {
            ctx.note(note);
        }
        let planned = match planned {
            Some(Plan::New(planned)) if first => *planned,
            _ => plan_after(
                previous.as_ref().map(|(e, r)| (e, r)),
                &[],
                &req.edition,
                None,
                &d.overrides,
                Default::default(),
            )
            .map_err(locate_override_errors)?,
        };
        first = false;
        let from = &planned.report.from.edition_id;
        let mut row = d.row(
            ImportOutcome::WouldImport,
            RowMeta {
                id: planned.edition.id.clone(),
                date: planned.edition.date,
                commit: None,
                tag: None,
                counts: planned.edition.counts(),
                added: planned.report.added(),
                follows: (!from.is_empty()).then(|| from.clone()),
                changes: (!from.is_empty()).then(|| planned.report.summary.clone()),
            },
        );
        row.warnings = d.warnings.clone();
        row.notes = notes;
        rows.push(row);
        writeln!(
            out,
            "Would import edition {} ({}) from {} (dry run: nothing written).",
            ctx.palette.bold(&planned.edition.id),
            planned.edition.date.long(),
            d.display
        )?;
        text::added(&planned.edition, &planned.report.added(), ctx.palette, out)?;
        if !planned.report.from.edition_id.is_empty() {
            text::other_changes(&planned.report, out)?;
            // Every pairing decision, with its reason and score.
            writeln!(out)?;
            text::diff::render(&planned.report, ctx.palette, false, out)?;
        }
        previous = Some((planned.edition, planned.retired));
    }
    Ok(exit::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_author_strings() {
        assert_eq!(
            person("Ana Ruiz <ana@example.org>"),
            Person {
                name: "Ana Ruiz".into(),
                email: "ana@example.org".into()
            }
        );
        assert_eq!(
            person("Secretariat"),
            Person {
                name: "Secretariat".into(),
                email: String::new()
            }
        );
    }
}
