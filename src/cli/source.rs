//! Where an edition comes from on the command line: an edition of the
//! store (`2024-04`, `latest`, `latest~1`) or a Markdown file.

use std::path::{Path, PathBuf};

use livedoc::diff::overrides::{self, Override};
use livedoc::diff::{Recorded, UnchangedMeeting};
use livedoc::ids::{EditionId, EditionSpec};
use livedoc::model::Edition;
use livedoc::parse::accepted::{self, Accepted};
use livedoc::parse::{self, ParseError, ParseOptions};
use livedoc::store::{Store, StoreError};

use super::{CliError, Ctx};

#[derive(Debug, Clone)]
pub enum Source {
    Stored(EditionSpec),
    File(PathBuf),
    /// Nothing: what the first edition is compared with, so that it shows
    /// everything it added.
    Nothing,
}

impl Source {
    /// A path to an existing file, or anything ending in `.md` or holding a
    /// path separator, is a file; anything else names an edition.
    pub fn parse(arg: &str) -> Result<Source, CliError> {
        let path = Path::new(arg);
        if is_stdin(path)
            || path.is_file()
            || arg.ends_with(".md")
            || arg.to_ascii_lowercase().ends_with(".docx")
            || arg.contains(std::path::MAIN_SEPARATOR)
        {
            return Ok(Source::File(path.to_path_buf()));
        }
        Ok(Source::Stored(arg.parse()?))
    }
}

/// Whether a path argument means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path == Path::new("-")
}

/// The name a file is called by in messages: its path, or `(stdin)`.
pub fn display(path: &Path) -> String {
    if is_stdin(path) {
        "(stdin)".to_string()
    } else {
        path.display().to_string()
    }
}

/// Reads a file, or standard input for `-`.
pub fn read_input(path: &Path) -> Result<Vec<u8>, CliError> {
    let read = |source| CliError::Read {
        path: path.to_path_buf(),
        source,
    };
    // A draft is read whole, and stored: no larger than the store reads
    // a source back.
    let limit = livedoc::store::MAX_SOURCE_BYTES;
    let too_large = |size| CliError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit,
    };
    let bytes = if is_stdin(path) {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(std::io::stdin().lock(), limit + 1),
            &mut bytes,
        )
        .map_err(read)?;
        bytes
    } else {
        let size = std::fs::metadata(path).map_err(read)?.len();
        if size > limit {
            return Err(too_large(size));
        }
        std::fs::read(path).map_err(read)?
    };
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// An edition ready to compare.
pub struct Loaded {
    pub edition: Edition,
    /// What to call it in a report: the edition id or the path.
    pub name: String,
    pub stored: bool,
    /// For a stored edition, where the store holds it.
    pub info: Option<livedoc::store::EditionInfo>,
}

impl Loaded {
    /// A stored edition.
    fn stored(edition: Edition, info: livedoc::store::EditionInfo) -> Loaded {
        Loaded {
            name: edition.id.clone(),
            edition,
            stored: true,
            info: Some(info),
        }
    }
}

/// Both sides of a comparison, loaded.
pub struct Pair {
    pub old: Loaded,
    pub new: Loaded,
    /// Meetings known to be the same on both sides (two stored editions),
    /// left out of both.
    pub unchanged: Vec<UnchangedMeeting>,
    /// When both sides are stored: what the store recorded between them.
    pub recorded: Option<Recorded>,
}

/// Opens the store once, when a stored edition is first needed.
pub struct Stores<'a> {
    ctx: &'a Ctx,
    store: Option<Store>,
}

impl<'a> Stores<'a> {
    pub fn new(ctx: &'a Ctx) -> Self {
        Stores { ctx, store: None }
    }

    pub fn get(&mut self) -> Result<&Store, CliError> {
        if self.store.is_none() {
            self.store = Some(self.ctx.open_store()?);
        }
        Ok(self.store.as_ref().expect("opened just above"))
    }

    pub fn load(&mut self, src: &Source) -> Result<Loaded, CliError> {
        match src {
            Source::Stored(spec) => {
                let store = self.get()?;
                let info = store.resolve(spec)?;
                let edition = store.load(&info)?;
                Ok(Loaded::stored(edition, info))
            }
            Source::File(path) => self.report(read_and_parse(path)),
            Source::Nothing => unreachable!("nothing is loaded only beside its other side"),
        }
    }

    /// Loads both sides of a comparison; two files are parsed at the same
    /// time, and their warnings reported in order. Two stored editions
    /// come without the meetings they hold in the same file: those are
    /// listed apart, to be reported unchanged.
    pub fn load_pair(&mut self, from: &Source, to: &Source) -> Result<Pair, CliError> {
        if let (Source::File(a), Source::File(b)) = (from, to) {
            let (pa, pb) = std::thread::scope(|s| {
                let other = s.spawn(|| read_and_parse(b));
                let first = read_and_parse(a);
                (first, other.join())
            });
            let pb = pb.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let old = self.report(pa)?;
            let new = self.report(pb)?;
            return Ok(Pair {
                old,
                new,
                unchanged: Vec::new(),
                recorded: None,
            });
        }
        if let Source::Nothing = from {
            let new = self.load(to)?;
            let old = Loaded {
                edition: livedoc::diff::empty_like(&new.edition),
                name: String::new(),
                stored: new.stored,
                info: None,
            };
            // Against nothing, every item is added: the pairing decides
            // nothing, and its ids are kept.
            let recorded = new.stored.then(Recorded::default);
            return Ok(Pair {
                old,
                new,
                unchanged: Vec::new(),
                recorded,
            });
        }
        // Two stored editions read only the meetings that differ, and
        // the pairings of the editions between them.
        if let (Source::Stored(a), Source::Stored(b)) = (from, to) {
            let store = self.get()?;
            let (ia, ib) = (store.resolve(a)?, store.resolve(b)?);
            let pair = store.load_for_diff(&ia, &ib)?;
            return Ok(Pair {
                old: Loaded::stored(pair.old, ia),
                new: Loaded::stored(pair.new, ib),
                unchanged: pair.unchanged,
                recorded: Some(pair.recorded),
            });
        }
        Ok(Pair {
            old: self.load(from)?,
            new: self.load(to)?,
            unchanged: Vec::new(),
            recorded: None,
        })
    }

    /// Reports a parsed file's warnings and makes it a `Loaded`.
    fn report(&self, parsed: Parsed) -> Result<Loaded, CliError> {
        let Parsed { display, result } = parsed;
        match result? {
            Ok(p) => {
                for w in &p.warnings {
                    self.ctx.warn(&display, w);
                }
                Ok(Loaded {
                    edition: p.edition,
                    name: display,
                    stored: false,
                    info: None,
                })
            }
            Err(e) => {
                for w in &e.warnings {
                    self.ctx.warn(&display, w);
                }
                Err(e.into())
            }
        }
    }
}

/// A file read and parsed, its warnings not yet reported.
struct Parsed {
    display: String,
    result: Result<Result<parse::Parsed, ParseError>, CliError>,
}

fn read_and_parse(path: &Path) -> Parsed {
    let display = display(path);
    let result = read_input(path).map(|bytes| {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let id = EditionId::new(&stem)
            .or_else(|_| EditionId::new("draft"))
            .expect("'draft' is a valid edition id");
        let parsed = parse::parse_any(
            &bytes,
            &display,
            &ParseOptions {
                id,
                date: None,
                rules: Default::default(),
            },
        );
        // What import would refuse, a diff of the draft refuses too (a
        // missing symbol previewed as a correction, ids import would
        // never mint), with the same errors.
        parsed.and_then(|p| {
            let errors = livedoc::parse::check::blocking(&p);
            if errors.is_empty() {
                Ok(p)
            } else {
                Err(ParseError {
                    file: display.clone(),
                    errors,
                    warnings: p.warnings,
                })
            }
        })
    });
    // The warnings import would print, and no others: those the draft's
    // accepted findings accept are not; a broken file of them stops the
    // diff as it stops the import.
    let result = result.and_then(|parsed| match parsed {
        Ok(mut p) => {
            let warnings = std::mem::take(&mut p.warnings);
            let (mut kept, _) = unaccepted(path, None, &p, warnings, &display)?;
            // The diff reports the reader's warnings, not the content
            // checks': an entry accepting one of those is not unused.
            kept.retain(|d| d.code != livedoc::diagnostic::Code::AcceptedUnused);
            p.warnings = kept;
            Ok(Ok(p))
        }
        Err(e) => Ok(Err(e)),
    });
    Parsed { display, result }
}

/// The pairing overrides that go with a draft: the file given, else the
/// `.pairs.toml` beside the draft when there is one. Each decision names
/// the file it came from, for messages.
pub fn read_overrides(draft: &Path, explicit: Option<&Path>) -> Result<Vec<Override>, CliError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = overrides::beside(draft);
            if !p.is_file() {
                return Ok(Vec::new());
            }
            p
        }
    };
    let display = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|source| CliError::Read {
        path: path.clone(),
        source,
    })?;
    overrides::parse(&text, &display).map_err(|d| {
        ParseError {
            file: display.clone(),
            errors: vec![d],
            warnings: Vec::new(),
        }
        .into()
    })
}

/// The accepted findings that go with a draft: the file given, else the
/// `.accepted.toml` beside the draft when there is one.
pub fn read_accepted(draft: &Path, explicit: Option<&Path>) -> Result<Option<Accepted>, CliError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None if is_stdin(draft) => return Ok(None),
        None => {
            let p = accepted::beside(draft);
            if !p.is_file() {
                return Ok(None);
            }
            p
        }
    };
    let display = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|source| CliError::Read {
        path: path.clone(),
        source,
    })?;
    accepted::parse(&text, &display).map(Some).map_err(|d| {
        ParseError {
            file: display.clone(),
            errors: vec![d],
            warnings: Vec::new(),
        }
        .into()
    })
}

/// A draft's warnings left once its accepted findings are applied, and
/// how many were accepted, from which file.
pub type Unaccepted = (
    Vec<livedoc::diagnostic::Diagnostic>,
    Option<(usize, String)>,
);

/// The warnings of a draft that its accepted findings (the file given,
/// else the `.accepted.toml` beside it) do not accept, the file's unused
/// entries among them; and how many it accepted, from which file.
pub fn unaccepted(
    draft: &Path,
    explicit: Option<&Path>,
    parsed: &parse::Parsed,
    mut warnings: Vec<livedoc::diagnostic::Diagnostic>,
    display: &str,
) -> Result<Unaccepted, CliError> {
    let Some(a) = read_accepted(draft, explicit)? else {
        return Ok((warnings, None));
    };
    livedoc::parse::check::name_items(parsed, &mut warnings);
    let mut report = livedoc::parse::check::CheckReport {
        file: display.to_string(),
        findings: warnings,
        readable: true,
        accepted: Vec::new(),
        accepted_file: None,
    };
    accepted::apply(&mut report, &a);
    let count = (!report.accepted.is_empty()).then(|| (report.accepted.len(), a.file.clone()));
    Ok((report.findings, count))
}

/// Reports override errors against the overrides file they name, as a
/// draft's own errors are reported.
pub fn locate_override_errors(e: StoreError) -> CliError {
    match e {
        StoreError::Overrides {
            file: Some(file),
            errors,
        } => CliError::Parse(ParseError {
            file,
            errors,
            warnings: Vec::new(),
        }),
        e => CliError::Store(e),
    }
}
