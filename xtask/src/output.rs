//! The output gateway: the only code that writes. Every file is written
//! atomically (a temporary file in the same folder, then a rename) with the
//! mode the file had (0644 for a new one), an unchanged file is not touched,
//! nothing is written through a symbolic link, and in check mode
//! ([`Mode::Check`]) nothing is written at all: the gateway only says what
//! would change, as rust-analyzer's codegen check does.
//!
//! The dist folder is replaced as a whole ([`replace_dir`]): staged beside it,
//! then exchanged with it in one step, so it is always either the previous run's
//! or the new one. It carries a marker file, and a folder without the marker
//! that holds anything is never replaced. One advisory lock per workspace
//! ([`lock`]) serializes concurrent runs, and the leftovers of killed runs are
//! removed at the next one ([`remove_leftovers`]).
//!
//! Large artifacts do not stay in memory: they go to a content-addressed
//! [`Store`] (the incremental cache's blobs) as soon as they are made, and the
//! dist copies them from there ([`Output::move_to_store`]).

use std::borrow::Cow;
use std::fmt;
use std::io::{Read as _, Write as _};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::options::Mode;
use crate::paths::display_path;

/// The name of the marker file in every dist folder the tool made.
pub const DIST_MARKER: &str = ".xtask-dist";

/// The prefix of temporary files (never part of a tree, see `hashing`).
const TEMPORARY_PREFIX: &str = ".xtask-";

/// Pretty JSON with a trailing newline (every JSON artifact), of a
/// `serde_json::Value` or of records written straight from the analysis.
pub fn json_bytes<T: serde::Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON values serialize");
    bytes.push(b'\n');
    bytes
}

/// A file to produce: where, and its exact content (shared: the same artifact
/// goes to the dist and the cache without a copy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub path: PathBuf,
    content: Content,
    /// The file already holds exactly this content (it was read through the
    /// input gateway in this run): writing it is a no-op, and it is not read
    /// again to find out.
    pub current: bool,
}

/// Where an output's bytes are.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Content {
    /// In memory.
    Bytes(Arc<Vec<u8>>),
    /// In a file of the gateway's content-addressed [`Store`] (copied from
    /// there, never read into memory whole).
    Stored(Arc<Stored>),
    /// Let go: only their hash and size are known (a current file, which is
    /// never written; see [`Output::release_current_bytes`]).
    Released { blake3: String, size: u64 },
}

impl Output {
    /// An output of these bytes (the room a growing buffer kept beyond them
    /// is given back: a large run holds all its aggregated files at once).
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        let mut bytes = bytes.into();
        bytes.shrink_to_fit();
        Output::shared(path, Arc::new(bytes))
    }

    /// An output of bytes another output holds too.
    pub fn shared(path: impl Into<PathBuf>, bytes: Arc<Vec<u8>>) -> Self {
        Output {
            path: path.into(),
            content: Content::Bytes(bytes),
            current: false,
        }
    }

    /// An output whose bytes are a file of the store.
    pub fn stored(path: impl Into<PathBuf>, stored: Stored) -> Self {
        Output {
            path: path.into(),
            content: Content::Stored(Arc::new(stored)),
            current: false,
        }
    }

    /// An output whose file already holds these bytes.
    pub fn current(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        Output {
            current: true,
            ..Output::new(path, bytes)
        }
    }

    /// An output whose file already holds the bytes of this BLAKE3 hash (hex)
    /// and size, which are not at hand.
    pub fn current_hashed(path: impl Into<PathBuf>, blake3: String, size: u64) -> Self {
        Output {
            path: path.into(),
            content: Content::Released { blake3, size },
            current: true,
        }
    }

    /// The same content at another path.
    pub fn moved_to(self, path: impl Into<PathBuf>) -> Output {
        Output {
            path: path.into(),
            ..self
        }
    }

    /// The bytes, when they are in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.content {
            Content::Bytes(bytes) => Some(bytes),
            Content::Stored(_) | Content::Released { .. } => None,
        }
    }

    /// The size of the bytes.
    pub fn size(&self) -> u64 {
        match &self.content {
            Content::Bytes(bytes) => bytes.len() as u64,
            Content::Stored(stored) => stored.size,
            Content::Released { size, .. } => *size,
        }
    }

    /// The BLAKE3 hash (hex) of the bytes.
    pub fn content_hash(&self) -> String {
        match &self.content {
            Content::Bytes(bytes) => blake3::hash(bytes).to_hex().to_string(),
            Content::Stored(stored) => stored.blake3.clone(),
            Content::Released { blake3, .. } => blake3.clone(),
        }
    }

    /// The SHA-256 (hex) of the bytes, when they are in memory or stored.
    pub fn sha256(&self) -> Option<String> {
        match &self.content {
            Content::Bytes(bytes) => Some(crate::hashing::sha256_hex(bytes)),
            Content::Stored(stored) => Some(stored.sha256.clone()),
            Content::Released { .. } => None,
        }
    }

    /// A current file is never written: its bytes are let go (their hash and
    /// size are kept), so a large run does not hold every repository's
    /// generated files.
    pub fn release_current_bytes(&mut self) {
        if self.current
            && let Content::Bytes(bytes) = &self.content
        {
            self.content = Content::Released {
                blake3: blake3::hash(bytes).to_hex().to_string(),
                size: bytes.len() as u64,
            };
        }
    }

    /// The store's file of the bytes: the one they are in, else the one they
    /// are put into (a file there already holding them is kept).
    pub fn stored_in(&self, store: &Store) -> Result<Stored, WriteError> {
        match &self.content {
            Content::Stored(stored) => Ok(Stored::clone(stored)),
            _ => store.put(&self.load()?),
        }
    }

    /// Moves bytes held in memory into the store, so that the run holds their
    /// hashes only. On failure the bytes stay in memory.
    pub fn move_to_store(&mut self, store: &Store) -> Result<(), WriteError> {
        if let Content::Bytes(_) = &self.content {
            self.content = Content::Stored(Arc::new(self.stored_in(store)?));
        }
        Ok(())
    }

    /// Writes it (or, in check mode, compares it) unless it is current; no
    /// folder below `base` on the way may be a symbolic link.
    pub fn ensure_in(&self, base: &Path, mode: Mode) -> Result<WriteStatus, WriteError> {
        if self.current {
            return Ok(WriteStatus::Unchanged);
        }
        let relative = self.path.strip_prefix(base).unwrap_or(&self.path);
        ensure_in(base, relative, &self.load()?, mode)
    }

    /// The bytes, read back from the store when they are there. A released
    /// output has none (it is current and never written).
    fn load(&self) -> Result<Cow<'_, [u8]>, WriteError> {
        match &self.content {
            Content::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
            Content::Stored(stored) => {
                let mut bytes = Vec::new();
                stored.open()?.read_to_end(&mut bytes)?;
                stored.check_size(bytes.len() as u64)?;
                Ok(Cow::Owned(bytes))
            }
            Content::Released { .. } => Err(WriteError::Io(std::io::Error::other(
                "the bytes of a current file were let go",
            ))),
        }
    }

    /// Writes the content into `file` (a new file of a staging folder): the
    /// bytes, or a copy of the store's file.
    fn write_into(&self, file: &mut std::fs::File) -> Result<(), WriteError> {
        match &self.content {
            Content::Stored(stored) => {
                let copied = std::io::copy(&mut stored.open()?, file)?;
                stored.check_size(copied)
            }
            _ => Ok(file.write_all(&self.load()?)?),
        }
    }
}

/// A file of the [`Store`]: its path, size and hashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    path: PathBuf,
    pub size: u64,
    /// BLAKE3 (hex) of the bytes: the file's name.
    pub blake3: String,
    /// SHA-256 (hex) of the bytes (for `SHA256SUMS`).
    pub sha256: String,
}

impl Stored {
    /// Opens the file for reading, never through a symbolic link.
    fn open(&self) -> std::io::Result<std::fs::File> {
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW);
        }
        options.open(&self.path)
    }

    /// A file of the store that changed size since it was stored is refused.
    fn check_size(&self, size: u64) -> Result<(), WriteError> {
        if size == self.size {
            return Ok(());
        }
        Err(WriteError::Io(std::io::Error::other(format!(
            "`{}` changed: {size} bytes instead of {}",
            display_path(&self.path),
            self.size
        ))))
    }
}

/// A content-addressed folder of files (the artifacts of `build-all`, kept for
/// incremental builds): each named by the BLAKE3 hash of its bytes, written
/// atomically and never modified, so that its size tells it is whole.
#[derive(Clone, Debug)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Store { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of these bytes, written unless it is there already.
    pub fn put(&self, bytes: &[u8]) -> Result<Stored, WriteError> {
        let blake3 = blake3::hash(bytes).to_hex().to_string();
        let size = bytes.len() as u64;
        let sha256 = crate::hashing::sha256_hex(bytes);
        if let Some(stored) = self.get(&blake3, size, &sha256) {
            return Ok(stored);
        }
        ensure_in(&self.dir, Path::new(&blake3), bytes, Mode::Write)?;
        Ok(Stored {
            path: self.dir.join(&blake3),
            size,
            blake3,
            sha256,
        })
    }

    /// The file of the bytes of this BLAKE3 hash (hex), if it is there with
    /// this size (a regular file, not a link); `sha256` is what was recorded
    /// with it.
    pub fn get(&self, blake3: &str, size: u64, sha256: &str) -> Option<Stored> {
        let is_hash = |hex: &str| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit());
        if !is_hash(blake3) || !is_hash(sha256) {
            return None;
        }
        let path = self.dir.join(blake3);
        std::fs::symlink_metadata(&path)
            .is_ok_and(|m| m.is_file() && m.len() == size)
            .then(|| Stored {
                path,
                size,
                blake3: blake3.to_string(),
                sha256: sha256.to_string(),
            })
    }
}

/// What happened to one output (or, in check mode, would happen).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteStatus {
    Unchanged,
    Written,
    /// Check mode: the file is missing or differs; nothing was written.
    Stale,
}

/// Why a write was refused or failed.
#[derive(Debug)]
pub enum WriteError {
    /// A folder or file on the way is a symbolic link.
    ThroughSymlink(PathBuf),
    /// A path that would leave its folder (absolute, `..`, control characters).
    UnsafePath(String),
    Io(std::io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::ThroughSymlink(link) => write!(
                f,
                "`{}` is a symbolic link: nothing is written through it",
                display_path(link)
            ),
            WriteError::UnsafePath(path) => {
                write!(f, "`{}` is not a safe relative path", path.escape_debug())
            }
            WriteError::Io(err) => write!(f, "{err}"),
        }
    }
}

impl From<std::io::Error> for WriteError {
    fn from(err: std::io::Error) -> Self {
        WriteError::Io(err)
    }
}

impl WriteError {
    /// The refusal or failure as a diagnostic at `path`: a refusal is about the
    /// repository's content (exit status 1), a failure about the environment.
    pub fn diagnostic(&self, path: &Path) -> Diagnostic {
        match self {
            WriteError::ThroughSymlink(_) | WriteError::UnsafePath(_) => {
                Diagnostic::error(Code::OutputUnsafePath, format!("not written: {self}"))
                    .at_path(display_path(path))
                    .with_help("generated files and folders must be real files and folders of the repository, not links")
            }
            WriteError::Io(err) => write_failure(path, err),
        }
    }
}

/// The first existing component of `relative` below `base` that is a symbolic
/// link (`base` itself is the user's choice and is not looked at).
pub fn symlink_below(base: &Path, relative: &Path) -> Option<PathBuf> {
    let mut path = base.to_path_buf();
    for component in relative.components() {
        path.push(component);
        match std::fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.file_type().is_symlink() => return Some(path),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Is `relative` a plain relative path: no root, no `..`, no `.`, no empty or
/// control-character component?
pub fn is_safe_relative(relative: &Path) -> bool {
    relative.is_relative()
        && relative
            .to_str()
            .is_some_and(|path| crate::paths::is_safe_relative_path(&path.replace('\\', "/")))
        && !relative
            .components()
            .any(|c| matches!(c, Component::CurDir))
}

/// Makes `base/relative` hold `bytes`: in write mode atomically (a temporary
/// file in the same folder, flushed, then renamed over the target), keeping the
/// mode of the file it replaces (0644 for a new one); an unchanged file is not
/// touched (its modification time stays). Nothing is written through a
/// symbolic link below `base`. In check mode nothing is written.
pub fn ensure_in(
    base: &Path,
    relative: &Path,
    bytes: &[u8],
    mode: Mode,
) -> Result<WriteStatus, WriteError> {
    if !is_safe_relative(relative) {
        return Err(WriteError::UnsafePath(relative.display().to_string()));
    }
    if let Some(link) = symlink_below(base, relative) {
        return Err(WriteError::ThroughSymlink(link));
    }
    let path = base.join(relative);
    if std::fs::read(&path).is_ok_and(|old| old == bytes) {
        return Ok(WriteStatus::Unchanged);
    }
    if mode == Mode::Check {
        return Ok(WriteStatus::Stale);
    }
    let folder = path.parent().unwrap_or(base);
    std::fs::create_dir_all(folder)?;
    // The folders just created may not be links either (a race with the check).
    if let Some(link) = symlink_below(base, relative) {
        return Err(WriteError::ThroughSymlink(link));
    }
    let mut temp = tempfile::Builder::new()
        .prefix(TEMPORARY_PREFIX)
        .suffix(".tmp")
        .tempfile_in(folder)?;
    temp.write_all(bytes)?;
    set_mode(temp.as_file(), std::fs::metadata(&path).ok().as_ref())?;
    temp.as_file().sync_all()?;
    temp.persist(&path).map_err(|err| err.error)?;
    Ok(WriteStatus::Written)
}

/// Replaces a file of the tool's own cache (under `target/xtask/`) with
/// `bytes`: a temporary file in the same folder renamed over it, not flushed to
/// the disk first. A crash may lose or truncate an entry; a cache entry is
/// parsed and checked before it is trusted, so that is a miss, and the
/// thousand flushes of a large run are not paid for.
pub fn replace_cache_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path
        .parent()
        .ok_or_else(|| std::io::Error::other("a cache file has a folder"))?;
    std::fs::create_dir_all(folder)?;
    // A name no other writer uses (this process, this thread): no random name
    // to make and retry.
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("a cache file has a name"))?;
    let temp = folder.join(format!(
        "{TEMPORARY_PREFIX}{}-{:?}-{}.tmp",
        std::process::id(),
        std::thread::current().id(),
        name.to_string_lossy()
    ));
    let written = std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// Makes `path` hold `bytes` (a file the user named, e.g. under
/// `--report-dir`).
pub fn ensure(path: &Path, bytes: &[u8], mode: Mode) -> Result<WriteStatus, WriteError> {
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => ensure_in(parent, Path::new(name), bytes, mode),
        _ => Err(WriteError::UnsafePath(path.display().to_string())),
    }
}

#[cfg(unix)]
fn set_mode(file: &std::fs::File, previous: Option<&std::fs::Metadata>) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = previous.map_or(0o644, |m| m.permissions().mode() & 0o7777);
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &std::fs::File, _: Option<&std::fs::Metadata>) -> std::io::Result<()> {
    Ok(())
}

/// A file that could not be written, as a diagnostic (exit status 2).
pub fn write_failure(path: &Path, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::EnvWriteFailed, format!("cannot write file: {err}"))
        .at_path(display_path(path))
}

/// Writes outputs (absolute paths the user named) atomically; failures come
/// back as diagnostics.
pub fn write_all(outputs: &[Output]) -> Vec<Diagnostic> {
    outputs
        .iter()
        .filter_map(|output| {
            let written = output
                .load()
                .and_then(|bytes| ensure(&output.path, &bytes, Mode::Write));
            written.err().map(|err| err.diagnostic(&output.path))
        })
        .collect()
}

/// Why a folder may not be used as the dist folder (None: it may).
/// `protected` are the folders it must neither be, hold, nor sit inside: the
/// workspace root holds the dist by default, so it is only protected from being
/// the dist or inside it.
pub fn dist_problem(dir: &Path, workspace_root: &Path, protected: &[PathBuf]) -> Option<String> {
    let real = |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dist = real(dir);
    if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Some("it is a symbolic link".to_string());
    }
    if real(workspace_root).starts_with(&dist) {
        return Some("it is the workspace root or holds it".to_string());
    }
    for folder in protected {
        let folder = real(folder);
        if folder.starts_with(&dist) {
            return Some(format!(
                "it is or holds `{}`, a folder of inputs",
                display_path(&folder)
            ));
        }
        if dist.starts_with(&folder) {
            return Some(format!(
                "it is inside `{}`, a folder of inputs",
                display_path(&folder)
            ));
        }
    }
    match std::fs::symlink_metadata(dir) {
        Err(_) => None,
        Ok(metadata) if !metadata.is_dir() => Some("it exists and is not a folder".to_string()),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dir).ok()?;
            let empty = entries.next().is_none();
            (!empty && !dir.join(DIST_MARKER).is_file()).then(|| {
                format!("it is not empty and was not made by this tool (no `{DIST_MARKER}` marker)")
            })
        }
    }
}

/// Makes `dir` hold exactly `outputs` (paths relative to it) and the marker:
/// everything is written to a sibling staging folder first, which is then
/// exchanged with `dir` in one step (Linux `renameat2(RENAME_EXCHANGE)`; two
/// renames elsewhere), so `dir` is always the previous or the new folder. When
/// it already holds exactly these bytes nothing is touched; in check mode
/// nothing is written.
pub fn replace_dir(dir: &Path, outputs: &[Output], mode: Mode) -> Result<WriteStatus, WriteError> {
    if let Some(unsafe_path) = outputs.iter().find(|o| !is_safe_relative(&o.path)) {
        return Err(WriteError::UnsafePath(
            unsafe_path.path.display().to_string(),
        ));
    }
    let marker = Output::new(DIST_MARKER, manifest(outputs));
    if dir_matches(dir, outputs, marker.bytes().unwrap_or_default()) {
        return Ok(WriteStatus::Unchanged);
    }
    if mode == Mode::Check {
        return Ok(WriteStatus::Stale);
    }
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let staging = tempfile::Builder::new()
        .prefix(&staging_prefix(dir))
        .tempdir_in(parent)?;
    for output in outputs.iter().chain([&marker]) {
        let path = staging.path().join(&output.path);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let mut file = std::fs::File::create(&path)?;
        output.write_into(&mut file)?;
        set_mode(&file, None)?;
        file.sync_all()?;
    }
    let staging = staging.keep();
    let result = if std::fs::symlink_metadata(dir).is_ok() {
        exchange(&staging, dir)
    } else {
        std::fs::rename(&staging, dir)
    };
    // After an exchange the staging path holds the previous folder.
    let _ = std::fs::remove_dir_all(&staging);
    result?;
    Ok(WriteStatus::Written)
}

/// `.<name>.staging-`: the prefix of the staging folders of `dir`.
fn staging_prefix(dir: &Path) -> String {
    let name = dir
        .file_name()
        .map_or_else(|| "dist".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.staging-")
}

/// Swaps two folders in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a_c = CString::new(a.as_os_str().as_bytes())?;
    let b_c = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: two valid NUL-terminated paths, resolved against the working
    // directory (AT_FDCWD); renameat2 does not keep the pointers.
    let status = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a_c.as_ptr(),
            libc::AT_FDCWD,
            b_c.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if status == 0 {
        return Ok(());
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        // A file system without the exchange: fall back to two renames.
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => exchange_by_renames(a, b),
        _ => Err(err),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    exchange_by_renames(a, b)
}

/// `b` -> aside, `a` -> `b`, aside -> `a` (not atomic: a kill between the first
/// two renames leaves no `b`; Linux uses the exchange instead).
fn exchange_by_renames(a: &Path, b: &Path) -> std::io::Result<()> {
    let aside = a.with_extension("previous");
    std::fs::rename(b, &aside)?;
    if let Err(err) = std::fs::rename(a, b) {
        let _ = std::fs::rename(&aside, b);
        return Err(err);
    }
    std::fs::rename(&aside, a)
}

/// Removes what killed runs left behind: staging folders beside `dist`, and
/// temporary files directly in each of `folders`. Returns how many.
pub fn remove_leftovers(dist: &Path, folders: &[PathBuf]) -> usize {
    let mut removed = 0;
    if let Some(parent) = dist.parent() {
        let prefix = staging_prefix(dist);
        for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(&prefix)
                && entry.file_type().is_ok_and(|t| t.is_dir())
                && std::fs::remove_dir_all(entry.path()).is_ok()
            {
                removed += 1;
            }
        }
    }
    for folder in folders {
        for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(TEMPORARY_PREFIX)
                && name.ends_with(".tmp")
                && entry.file_type().is_ok_and(|t| t.is_file())
                && std::fs::remove_file(entry.path()).is_ok()
            {
                removed += 1;
            }
        }
    }
    removed
}

/// Appends bytes to a file the environment names (GitHub's step summary).
pub fn append(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(bytes)
}

/// A temporary folder, removed when dropped (scratch space for the reference
/// tools in `bench`).
pub fn scratch_dir() -> std::io::Result<tempfile::TempDir> {
    tempfile::tempdir()
}

/// The advisory lock of a workspace, held while it lives.
pub struct WorkspaceLock {
    _file: std::fs::File,
}

/// Takes the exclusive lock at `path` (created if needed), waiting for another
/// run to release it; `on_wait` is called first when it must wait.
pub fn lock(path: &Path, on_wait: impl FnOnce()) -> std::io::Result<WorkspaceLock> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            on_wait();
            file.lock()?;
        }
        Err(std::fs::TryLockError::Error(err)) => return Err(err),
    }
    Ok(WorkspaceLock { _file: file })
}

/// The marker of a dist: the blake3, size and path of each of its files, one
/// line each, sorted; a later run compares it instead of reading the files.
fn manifest(outputs: &[Output]) -> Vec<u8> {
    let mut lines: Vec<String> = outputs
        .iter()
        .map(|o| {
            format!(
                "{}  {}  {}\n",
                o.content_hash(),
                o.size(),
                crate::paths::to_slash(&o.path)
            )
        })
        .collect();
    lines.sort();
    lines.concat().into_bytes()
}

/// Does `dir` hold exactly these files (its marker lists them with their
/// hashes, and every file is there with its size, no other)? Nothing but the
/// marker is read.
fn dir_matches(dir: &Path, outputs: &[Output], marker: &[u8]) -> bool {
    if std::fs::read(dir.join(DIST_MARKER)).ok().as_deref() != Some(marker) {
        return false;
    }
    let existing = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count();
    existing == outputs.len() + 1
        && outputs.iter().all(|o| {
            std::fs::symlink_metadata(dir.join(&o.path))
                .is_ok_and(|m| m.is_file() && m.len() == o.size())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_skips_unchanged_files() {
        let dir = tempfile::tempdir().unwrap();
        let relative = Path::new("a/b.json");
        let write = |bytes: &[u8]| ensure_in(dir.path(), relative, bytes, Mode::Write).unwrap();
        assert_eq!(write(b"one"), WriteStatus::Written);
        assert_eq!(write(b"one"), WriteStatus::Unchanged);
        assert_eq!(
            ensure_in(dir.path(), relative, b"two", Mode::Check).unwrap(),
            WriteStatus::Stale,
            "check mode writes nothing"
        );
        assert_eq!(write(b"two"), WriteStatus::Written);
        let path = dir.path().join(relative);
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers = std::fs::read_dir(dir.path().join("a")).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary files are left behind");
        assert_eq!(
            Output::current(&path, "stale")
                .ensure_in(dir.path(), Mode::Write)
                .unwrap(),
            WriteStatus::Unchanged,
            "a current output is not written"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
    }

    #[cfg(unix)]
    #[test]
    fn files_keep_their_mode_and_new_ones_are_0644() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        ensure_in(dir.path(), Path::new("new.json"), b"x", Mode::Write).unwrap();
        assert_eq!(mode(&dir.path().join("new.json")), 0o644);
        let script = dir.path().join("run.sh");
        std::fs::write(&script, "old").unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        ensure_in(dir.path(), Path::new("run.sh"), b"new", Mode::Write).unwrap();
        assert_eq!(mode(&script), 0o755);
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_written_through_a_symbolic_link() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(&repo).unwrap();
        std::os::unix::fs::symlink(outside.path(), repo.join(".domino")).unwrap();
        let result = ensure_in(&repo, Path::new(".domino/x.json"), b"x", Mode::Write);
        assert!(
            matches!(result, Err(WriteError::ThroughSymlink(_))),
            "{result:?}"
        );
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
        for path in ["../x", "/etc/x", "./a", ""] {
            assert!(!is_safe_relative(Path::new(path)), "{path}");
        }
        assert!(!is_safe_relative(Path::new("a\nRUN x")));
        assert!(is_safe_relative(Path::new("releases/a-1.0.tar.gz")));
    }

    #[test]
    fn replacing_a_folder_is_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(dist.join("old")).unwrap();
        std::fs::write(dist.join("old/stale.txt"), "stale").unwrap();
        let outputs = [Output::new("a/b.txt", "b"), Output::new("c.txt", "c")];
        assert_eq!(
            replace_dir(&dist, &outputs, Mode::Write).unwrap(),
            WriteStatus::Written
        );
        assert!(!dist.join("old").exists(), "files of earlier runs are gone");
        assert_eq!(std::fs::read(dist.join("a/b.txt")).unwrap(), b"b");
        assert!(dist.join(DIST_MARKER).is_file());
        assert_eq!(
            replace_dir(&dist, &outputs, Mode::Write).unwrap(),
            WriteStatus::Unchanged
        );
        let siblings = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(siblings, 1, "no staging folder is left behind");
        let bad = [Output::new("../escape.txt", "x")];
        assert!(matches!(
            replace_dir(&dist, &bad, Mode::Write),
            Err(WriteError::UnsafePath(_))
        ));
    }

    #[test]
    fn stored_outputs_are_copied_and_the_store_trusts_only_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("blobs"));
        let mut output = Output::new("a/archive.tar.gz", "archive bytes");
        let hash = output.content_hash();
        let sha256 = output.sha256().unwrap();
        output.move_to_store(&store).unwrap();
        assert!(output.bytes().is_none(), "the bytes are let go");
        assert_eq!(
            (output.content_hash(), output.sha256()),
            (hash.clone(), Some(sha256.clone()))
        );
        assert_eq!(
            std::fs::read(dir.path().join("blobs").join(&hash)).unwrap(),
            b"archive bytes"
        );
        let dist = dir.path().join("dist");
        replace_dir(&dist, std::slice::from_ref(&output), Mode::Write).unwrap();
        assert_eq!(
            std::fs::read(dist.join("a/archive.tar.gz")).unwrap(),
            b"archive bytes"
        );
        assert_eq!(
            replace_dir(&dist, std::slice::from_ref(&output), Mode::Write).unwrap(),
            WriteStatus::Unchanged
        );

        assert!(store.get(&hash, 13, &sha256).is_some());
        assert!(store.get(&hash, 12, &sha256).is_none(), "another size");
        assert!(
            store.get("../../etc/passwd", 13, &sha256).is_none(),
            "not a hash"
        );
        // A file that changed size since it was stored is not copied.
        std::fs::write(dir.path().join("blobs").join(&hash), "other").unwrap();
        assert!(replace_dir(&dir.path().join("dist2"), &[output], Mode::Write).is_err());
        #[cfg(unix)]
        {
            let link = "0".repeat(64);
            std::os::unix::fs::symlink(
                dir.path().join("blobs").join(&hash),
                dir.path().join("blobs").join(&link),
            )
            .unwrap();
            assert!(store.get(&link, 5, &sha256).is_none(), "a link");
        }
    }

    #[test]
    fn a_dist_must_be_ours_empty_or_absent_and_hold_no_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let repos = root.join("pieces-repos");
        std::fs::create_dir_all(repos.join("a")).unwrap();
        let protected = [repos.clone()];
        let problem = |path: &Path| dist_problem(path, root, &protected);
        assert!(problem(&root.join("target/dist")).is_none(), "absent");
        assert!(problem(root).is_some(), "the workspace root");
        assert!(problem(&repos).is_some(), "a root");
        assert!(problem(&repos.join("a")).is_some(), "inside a root");
        let foreign = root.join("docs");
        std::fs::create_dir_all(&foreign).unwrap();
        assert!(problem(&foreign).is_none(), "empty");
        std::fs::write(foreign.join("index.md"), "x").unwrap();
        assert!(problem(&foreign).is_some(), "not ours");
        std::fs::write(foreign.join(DIST_MARKER), "").unwrap();
        assert!(problem(&foreign).is_none(), "ours");
    }

    #[test]
    fn leftovers_of_killed_runs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(dir.path().join(".dist.staging-abc/x")).unwrap();
        let folder = dir.path().join(".domino");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(".xtask-1.tmp"), "half").unwrap();
        std::fs::write(folder.join("compiled_metadata.json"), "{}").unwrap();
        assert_eq!(remove_leftovers(&dist, std::slice::from_ref(&folder)), 2);
        assert!(folder.join("compiled_metadata.json").exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_second_lock_waits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lock");
        let first = lock(&path, || panic!("the first lock does not wait")).unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let _second = lock(&path, || sender.send("waiting").unwrap()).unwrap();
        });
        assert_eq!(receiver.recv().unwrap(), "waiting");
        drop(first);
        thread.join().unwrap();
    }
}
