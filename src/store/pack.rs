//! Writing like git at scale: an import's new objects go into the store as
//! one pack (never as hundreds of loose files, each fsynced twice), an
//! object that exists is never written again, and the store keeps its
//! packs few by rolling the small ones up, as `git repack --geometric`
//! does, so that it stays compact without anyone running `git gc`. Plain
//! git reads every store this writes.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use git2::{Oid, Repository};

use super::StoreError;

/// Runs `write` with a writer whose new objects stay in memory, then puts
/// them into the store as one pack, before anything refers to them.
/// `write` returns the ids of every object it wrote; those the store
/// already holds are left out (hashed first, looked up in the store).
/// A `durable` write syncs the pack, its index and their directory.
pub fn write_as_one_pack<T>(
    store: &Path,
    repo: &Repository,
    durable: bool,
    write: impl FnOnce(&Repository) -> Result<(T, Vec<Oid>), StoreError>,
) -> Result<T, StoreError> {
    // A handle of its own, so the in-memory backend never catches writes
    // made later through the store's handle.
    let writer = Repository::open_bare(store)?;
    let odb = writer.odb()?;
    let memory = odb.add_new_mempack_backend(1000)?;
    let (value, written) = write(&writer)?;
    let stored = repo.odb()?;
    let mut seen = std::collections::HashSet::new();
    let new: Vec<Oid> = written
        .into_iter()
        .filter(|id| seen.insert(*id) && !stored.exists(*id))
        .collect();
    if !new.is_empty() {
        let (pack, entries) = pack_of(&odb, &new)?;
        install(&store.join("objects/pack"), &pack, entries, durable)?;
        // The store's handle finds the new pack at its next lookup.
        stored.refresh()?;
    }
    memory.reset()?;
    Ok(value)
}

/// The prefix of the temporary files a pack and its index are written to
/// before their rename ([`install`]): livedoc's own, never git's.
pub const TEMP_PREFIX: &str = "tmp_livedoc_";

/// Removes the temporary pack files a write killed before its rename (a
/// full disk, a crash) left in `objects/pack`: only livedoc's own
/// ([`TEMP_PREFIX`]), and only by a caller that holds the writers' lock,
/// so that no live writer is still writing one. Returns the files
/// removed, with their sizes.
pub fn remove_temp_packs(store: &Path) -> Result<Vec<(PathBuf, u64)>, StoreError> {
    let dir = store.join("objects/pack");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(TEMP_PREFIX)
            || !entry.file_type().is_ok_and(|t| t.is_file())
        {
            continue;
        }
        let path = entry.path();
        let size = entry.metadata().map(|m| m.len()).unwrap_or_default();
        match std::fs::remove_file(&path) {
            Ok(()) => removed.push((path, size)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io(&path)(e)),
        }
    }
    removed.sort();
    Ok(removed)
}

/// One object in a pack being written: its id, the CRC-32 of its bytes
/// in the pack, and where they start.
struct Entry {
    id: Oid,
    crc: u32,
    offset: u64,
}

/// Puts a pack and its index into `dir` under the pack's name, as git
/// does: each written to a temporary file, synced, then renamed, the pack
/// before its index (a pack without an index is never read), then the
/// directory synced. Both are read-only, as git leaves them.
fn install(dir: &Path, pack: &[u8], entries: Vec<Entry>, durable: bool) -> Result<(), StoreError> {
    let checksum = &pack[pack.len() - 20..];
    let name: String = checksum.iter().map(|b| format!("{b:02x}")).collect();
    let idx = index_of(entries, checksum);
    for (ext, bytes) in [("pack", pack), ("idx", idx.as_slice())] {
        let path = dir.join(format!("pack-{name}.{ext}"));
        let io = StoreError::io(&path);
        let tmp = dir.join(format!("{TEMP_PREFIX}{name}.{ext}"));
        // One left read-only by a write killed before its rename.
        let _ = std::fs::remove_file(&tmp);
        let mut f = std::fs::File::create(&tmp).map_err(StoreError::io(&tmp))?;
        f.write_all(bytes).map_err(StoreError::io(&tmp))?;
        if durable {
            f.sync_all().map_err(StoreError::io(&tmp))?;
        }
        drop(f);
        // Read-only, as git leaves its packs (Unix permissions; elsewhere
        // the file keeps the mode it was created with).
        #[cfg(unix)]
        std::fs::set_permissions(&tmp, std::os::unix::fs::PermissionsExt::from_mode(0o444))
            .map_err(StoreError::io(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(io)?;
    }
    if durable {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(StoreError::io(dir))?;
    }
    Ok(())
}

/// The version 2 index (`.idx`) of a pack whose objects are `entries`
/// and whose checksum is `checksum`.
fn index_of(mut entries: Vec<Entry>, checksum: &[u8]) -> Vec<u8> {
    use sha1::Digest as _;
    entries.sort_by(|a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
    let mut out = Vec::with_capacity(8 + 1024 + entries.len() * 28 + 40);
    out.extend_from_slice(b"\xfftOc");
    out.extend_from_slice(&2u32.to_be_bytes());
    let mut fanout = [0u32; 256];
    for e in &entries {
        fanout[usize::from(e.id.as_bytes()[0])] += 1;
    }
    let mut total = 0u32;
    for n in fanout {
        total += n;
        out.extend_from_slice(&total.to_be_bytes());
    }
    for e in &entries {
        out.extend_from_slice(e.id.as_bytes());
    }
    for e in &entries {
        out.extend_from_slice(&e.crc.to_be_bytes());
    }
    // Offsets past 2 GiB go to a table of 8-byte offsets, the 4-byte slot
    // holding their place in it with the high bit set.
    let mut large = Vec::new();
    for e in &entries {
        match u32::try_from(e.offset) {
            Ok(small) if small < 0x8000_0000 => out.extend_from_slice(&small.to_be_bytes()),
            _ => {
                let at = u32::try_from(large.len()).unwrap_or(u32::MAX) | 0x8000_0000;
                out.extend_from_slice(&at.to_be_bytes());
                large.push(e.offset);
            }
        }
    }
    for offset in large {
        out.extend_from_slice(&offset.to_be_bytes());
    }
    out.extend_from_slice(checksum);
    let digest = sha1::Sha1::digest(&out);
    out.extend_from_slice(&digest);
    out
}

/// A pack (version 2) of these objects, each whole and deflated fast: an
/// import's objects have no base in the pack to be a delta of, and a
/// delta search over them (libgit2's packbuilder) was half of an import's
/// time. Consolidation deltifies later.
fn pack_of(odb: &git2::Odb<'_>, ids: &[Oid]) -> Result<(Vec<u8>, Vec<Entry>), StoreError> {
    use sha1::Digest as _;
    let mut out = Vec::new();
    let mut entries = Vec::with_capacity(ids.len());
    out.extend_from_slice(b"PACK");
    out.extend_from_slice(&2u32.to_be_bytes());
    out.extend_from_slice(&(ids.len() as u32).to_be_bytes());
    for &id in ids {
        let object = odb.read(id)?;
        let kind: u8 = match object.kind() {
            git2::ObjectType::Commit => 1,
            git2::ObjectType::Tree => 2,
            git2::ObjectType::Blob => 3,
            git2::ObjectType::Tag => 4,
            _ => {
                return Err(StoreError::Git(git2::Error::from_str(
                    "an object of no packable type",
                )));
            }
        };
        let data = object.data();
        let offset = out.len();
        // Type and size: 3 bits of type, then the size 4 + 7·n bits at a
        // time, low bits first, the high bit saying "more".
        let mut size = data.len();
        let mut byte = (kind << 4) | (size & 0x0f) as u8;
        size >>= 4;
        while size > 0 {
            out.push(byte | 0x80);
            byte = (size & 0x7f) as u8;
            size >>= 7;
        }
        out.push(byte);
        let mut z = flate2::write::ZlibEncoder::new(&mut out, flate2::Compression::fast());
        z.write_all(data)
            .and_then(|()| z.finish().map(|_| ()))
            .map_err(|e| StoreError::Git(git2::Error::from_str(&e.to_string())))?;
        entries.push(Entry {
            id,
            crc: crc32fast::hash(&out[offset..]),
            offset: offset as u64,
        });
    }
    let digest = sha1::Sha1::digest(&out);
    out.extend_from_slice(&digest);
    Ok((out, entries))
}

/// One pack of the store, by its `.pack` file, and how many objects it
/// holds (its "size" for rolling up: bytes would not do, since a pack of
/// many deltas can be no bigger than one new edition's).
#[derive(Debug, Clone)]
struct PackFile {
    pack: PathBuf,
    objects: u64,
}

/// How many objects an `.idx` says its pack holds.
fn index_count(idx: &Path) -> Option<u64> {
    let mut f = std::fs::File::open(idx).ok()?;
    let mut head = [0u8; 8 + 256 * 4];
    std::io::Read::read_exact(&mut f, &mut head).ok()?;
    let at = 8 + 255 * 4;
    Some(u32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]) as u64)
}

fn packs(store: &Path) -> Vec<PackFile> {
    let dir = store.join("objects/pack");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<PackFile> = entries
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            let is_pack = path.extension().is_some_and(|x| x == "pack");
            let keep = path.with_extension("keep").exists();
            if !is_pack || keep {
                return None;
            }
            let objects = index_count(&path.with_extension("idx"))?;
            Some(PackFile {
                objects,
                pack: path,
            })
        })
        .collect();
    out.sort_by_key(|p| p.objects);
    out
}

/// The packs to roll into one, smallest first: those below the point from
/// which the packs, by size, form a progression of factor 2 (each at
/// least twice the one before), and then every pack the rolled-up sum is
/// not yet half of. Fewer than two: nothing to do. The number of packs
/// stays logarithmic in the store's size, and each object is rewritten a
/// logarithmic number of times.
fn to_roll_up(sizes: &[u64]) -> usize {
    const FACTOR: u64 = 2;
    let n = sizes.len();
    if n < 2 {
        return 0;
    }
    let mut split = 0;
    for i in (1..n).rev() {
        if sizes[i] < FACTOR * sizes[i - 1] {
            split = i;
            break;
        }
    }
    let mut total: u64 = sizes[..split].iter().sum();
    while split < n && total.saturating_mul(FACTOR) > sizes[split] {
        total += sizes[split];
        split += 1;
    }
    if split < 2 { 0 } else { split }
}

/// The object ids an `.idx` (version 2) lists.
fn index_ids(idx: &Path) -> Result<Vec<Oid>, StoreError> {
    let bytes = std::fs::read(idx).map_err(StoreError::io(idx))?;
    let corrupt = || StoreError::Io {
        path: idx.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not a version 2 pack index",
        ),
    };
    if bytes.len() < 8 + 256 * 4 || bytes[..8] != [0xff, b't', b'O', b'c', 0, 0, 0, 2] {
        return Err(corrupt());
    }
    let at = 8 + 255 * 4;
    let count =
        u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize;
    let ids = &bytes[8 + 256 * 4..];
    if ids.len() < count * 20 {
        return Err(corrupt());
    }
    ids[..count * 20]
        .chunks(20)
        .map(|c| Oid::from_bytes(c).map_err(|_| corrupt()))
        .collect()
}

/// Loose objects (from stores written before packs, or by plain git).
fn loose_ids(store: &Path) -> Vec<Oid> {
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(store.join("objects")) else {
        return out;
    };
    for dir in dirs.flatten() {
        let name = dir.file_name().to_string_lossy().into_owned();
        if name.len() != 2 || !name.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        for f in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let rest = f.file_name().to_string_lossy().into_owned();
            if let Ok(id) = Oid::from_str(&format!("{name}{rest}")) {
                out.push(id);
            }
        }
    }
    out
}

/// The objects with the path each has in the trees of the commits among
/// them (`None` for the rest), paths first: the packbuilder looks for a
/// delta among objects of one name, so each edition's `source.md` becomes
/// a delta of the one before instead of a whole file.
fn named(repo: &Repository, ids: &[Oid]) -> Vec<(Oid, Option<String>)> {
    let set: std::collections::HashSet<Oid> = ids.iter().copied().collect();
    let mut names: std::collections::HashMap<Oid, String> = std::collections::HashMap::new();
    let Ok(odb) = repo.odb() else {
        return ids.iter().map(|&id| (id, None)).collect();
    };
    for &id in ids {
        let is_commit = odb
            .read_header(id)
            .is_ok_and(|(_, kind)| kind == git2::ObjectType::Commit);
        if !is_commit {
            continue;
        }
        let Ok(tree) = repo.find_commit(id).and_then(|c| c.tree()) else {
            continue;
        };
        let _ = tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            if set.contains(&entry.id()) {
                names
                    .entry(entry.id())
                    .or_insert_with(|| format!("{dir}{}", entry.name().unwrap_or_default()));
            }
            git2::TreeWalkResult::Ok
        });
    }
    let mut out: Vec<(Oid, Option<String>)> = ids
        .iter()
        .map(|&id| (id, names.get(&id).cloned()))
        .collect();
    out.sort_by_key(|(_, name)| name.is_none());
    out
}

/// How many loose objects make the store pack them.
const LOOSE_LIMIT: usize = 64;

/// Up to this many packs, an import leaves them as they are (it writes
/// one pack and nothing else); past it, the small ones roll up.
pub const AUTO_PACK_LIMIT: usize = 16;

/// What a consolidation did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Consolidated {
    pub packs_merged: usize,
    pub loose_packed: usize,
}

/// Keeps the store compact: past [`AUTO_PACK_LIMIT`] packs, rolls the
/// small ones up into one (with deltas, so consecutive `source.md` files
/// cost their differences), and packs loose objects once there are more
/// than a few. Run under the
/// store lock, after an import; a reader meanwhile finds every object,
/// in the old packs or in the new one.
pub fn consolidate(store: &Path, repo: &Repository) -> Result<Consolidated, StoreError> {
    let all = packs(store);
    let sizes: Vec<u64> = all.iter().map(|p| p.objects).collect();
    let n = if all.len() > AUTO_PACK_LIMIT {
        to_roll_up(&sizes)
    } else {
        0
    };
    let loose = loose_ids(store);
    let pack_loose = loose.len() > LOOSE_LIMIT;
    if n == 0 && !pack_loose {
        return Ok(Consolidated::default());
    }
    let merged = &all[..n];
    let mut ids: Vec<Oid> = Vec::new();
    for p in merged {
        ids.extend(index_ids(&p.pack.with_extension("idx"))?);
    }
    if pack_loose {
        ids.extend(&loose);
    }
    let mut pb = repo.packbuilder()?;
    for (id, name) in named(repo, &ids) {
        pb.insert_object(id, name.as_deref())?;
    }
    let dir = store.join("objects/pack");
    pb.write(&dir, 0o444)?;
    let kept = pb
        .name()
        .ok()
        .flatten()
        .map(|name| dir.join(format!("pack-{name}.pack")));
    // The new pack holds every object of the merged ones: they go (unless
    // the new one is one of them, byte for byte).
    for p in merged.iter().filter(|p| Some(&p.pack) != kept.as_ref()) {
        for ext in ["idx", "rev", "pack"] {
            let _ = std::fs::remove_file(p.pack.with_extension(ext));
        }
    }
    if pack_loose {
        for id in &loose {
            let hex = id.to_string();
            let path = store.join("objects").join(&hex[..2]).join(&hex[2..]);
            let _ = std::fs::remove_file(path);
        }
    }
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(Consolidated {
        packs_merged: n,
        loose_packed: if pack_loose { loose.len() } else { 0 },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index livedoc writes for its pack is byte for byte the one
    /// `git index-pack` builds from the pack alone, and git reads both.
    #[test]
    fn the_pack_index_is_the_one_git_builds() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = Repository::init_bare(dir.path()).expect("repo");
        let ids = write_as_one_pack(dir.path(), &repo, false, |w| {
            let mut ids = Vec::new();
            for n in 0..300u32 {
                // Some large enough to take several bytes of size.
                let body = format!("object {n}\n").repeat(1 + (n as usize % 7) * 40);
                ids.push(w.blob(body.as_bytes())?);
            }
            let mut tb = w.treebuilder(None)?;
            tb.insert("a", ids[0], 0o100644)?;
            ids.push(tb.write()?);
            Ok((ids.clone(), ids))
        })
        .expect("writes");
        let pack_dir = dir.path().join("objects/pack");
        let packs: Vec<PathBuf> = std::fs::read_dir(&pack_dir)
            .expect("pack dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "pack"))
            .collect();
        assert_eq!(packs.len(), 1, "one pack");
        assert!(
            std::fs::read_dir(&pack_dir)
                .expect("pack dir")
                .flatten()
                .all(|e| !e.file_name().to_string_lossy().starts_with("tmp_")),
            "no temporary file is left"
        );
        let ours = std::fs::read(packs[0].with_extension("idx")).expect("our idx");
        let theirs = dir.path().join("theirs.idx");
        let out = std::process::Command::new("git")
            .args(["index-pack", "-o"])
            .arg(&theirs)
            .arg(&packs[0])
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(ours, std::fs::read(&theirs).expect("git's idx"));
        assert_eq!(index_count(&packs[0].with_extension("idx")), Some(301));
        let fresh = Repository::open_bare(dir.path()).expect("reopens");
        for id in ids {
            assert!(fresh.odb().expect("odb").exists(id), "{id}");
        }
    }

    #[test]
    fn a_progression_of_factor_two_is_left_alone() {
        assert_eq!(to_roll_up(&[]), 0);
        assert_eq!(to_roll_up(&[10]), 0);
        assert_eq!(to_roll_up(&[10, 20, 40, 80]), 0);
    }

    #[test]
    fn small_packs_roll_up_until_the_next_is_twice_their_sum() {
        // Three small ones, then a big one: the three go.
        assert_eq!(to_roll_up(&[10, 11, 12, 1000]), 3);
        // Their sum (33) is more than half of 60: it goes too.
        assert_eq!(to_roll_up(&[10, 11, 12, 60, 1000]), 4);
        // Equal sizes: all of them.
        assert_eq!(to_roll_up(&[5, 5, 5, 5]), 4);
    }
}
