//! The input gateway: the only code that opens repository or workspace files.
//!
//! A [`Workspace`] knows the folders the user trusts (the workspace root and the
//! repository roots) and the limits of a run; a [`Reader`] reads the files of one
//! repository through it. Every file is read at most once per run: a reader
//! caches what it read (text, bytes and content hash) for as long as its
//! repository is processed, and files outside the repository (shared
//! requirements, say) are cached by the workspace for the whole run.
//!
//! Containment: the user trusts the folders it names (the workspace root and
//! the repository roots); a repository's content is not trusted. Every path is
//! resolved, symbolic links included, and a file whose real path is outside the
//! trusted folders is refused without being opened. Only regular files are read
//! (a FIFO, a device or a socket is refused without being opened for reading),
//! files larger than the limit are refused, and an unreadable file becomes a
//! [`ReadError`] that the caller turns into a diagnostic ([`ReadError::code`]
//! picks the code of the refusals that guard safety).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ffi::OsString;
use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::paths::{absolute, display_path};
use crate::source::SourceFile;

/// The default limit on the size of one input file.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    NotFound,
    /// The real path (symbolic links resolved) is outside the trusted folders.
    Outside {
        real: PathBuf,
    },
    /// A folder, a FIFO, a device, a socket: never opened for reading.
    NotARegularFile(&'static str),
    TooLarge {
        size: u64,
        limit: u64,
    },
    /// Not UTF-8 text; the offset of the first invalid byte.
    NotUtf8 {
        offset: usize,
    },
    Io(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotFound => write!(f, "cannot read file: No such file or directory"),
            ReadError::Outside { real } => write!(
                f,
                "not read: it resolves to `{}`, outside the workspace and the repository roots",
                display_path(real)
            ),
            ReadError::NotARegularFile(kind) => {
                write!(f, "cannot read file: it is {kind}, not a regular file")
            }
            ReadError::TooLarge { size, limit } => write!(
                f,
                "file is too large ({size} bytes; the limit is {limit} bytes)"
            ),
            ReadError::NotUtf8 { offset } => write!(
                f,
                "file is not valid UTF-8 (first invalid byte at offset {offset})"
            ),
            ReadError::Io(message) => write!(f, "cannot read file: {message}"),
        }
    }
}

impl ReadError {
    /// The diagnostic code of this error: the refusals that guard safety have
    /// their own codes; other failures get the caller's `unreadable` code.
    pub fn code(&self, unreadable: Code) -> Code {
        match self {
            ReadError::Outside { .. } => Code::InputOutsideTrustedFolders,
            ReadError::NotARegularFile(_) => Code::InputSpecialFile,
            ReadError::TooLarge { .. } => Code::InputResourceLimit,
            ReadError::NotFound | ReadError::NotUtf8 { .. } | ReadError::Io(_) => unreadable,
        }
    }

    /// The error as a diagnostic at `path` (`unreadable`: the caller's code).
    pub fn diagnostic(&self, path: &Path, unreadable: Code) -> Diagnostic {
        Diagnostic::error(self.code(unreadable), self.to_string()).at_path(display_path(path))
    }
}

/// What a path names, without following a final symbolic link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    Other,
}

impl EntryKind {
    fn of(file_type: std::fs::FileType) -> EntryKind {
        if file_type.is_symlink() {
            EntryKind::Symlink
        } else if file_type.is_dir() {
            EntryKind::Dir
        } else if file_type.is_file() {
            EntryKind::File
        } else {
            EntryKind::Other
        }
    }
}

/// One entry of a folder listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    /// What it names (a link to a folder or file counts as that).
    pub kind: EntryKind,
    /// The entry itself is a symbolic link.
    pub link: bool,
}

/// A file as read: its bytes, its text when it is UTF-8, and its content hash.
#[derive(Debug)]
pub struct InputFile {
    pub path: PathBuf,
    /// Any execute bit is set (Unix).
    pub executable: bool,
    content: Content,
    hash: OnceLock<String>,
}

/// A file's bytes are held once: as its text when they are UTF-8.
#[derive(Debug)]
enum Content {
    Text(Arc<SourceFile>),
    Bytes {
        bytes: Vec<u8>,
        /// Where the bytes stop being UTF-8.
        not_utf8_at: usize,
    },
}

impl InputFile {
    fn new(path: &Path, executable: bool, bytes: Vec<u8>) -> Self {
        let content = match String::from_utf8(bytes) {
            Ok(text) => Content::Text(SourceFile::new(
                path.to_path_buf(),
                display_path(path),
                text,
            )),
            Err(err) => Content::Bytes {
                not_utf8_at: err.utf8_error().valid_up_to(),
                bytes: err.into_bytes(),
            },
        };
        InputFile {
            path: path.to_path_buf(),
            executable,
            content,
            hash: OnceLock::new(),
        }
    }

    pub fn bytes(&self) -> &[u8] {
        match &self.content {
            Content::Text(file) => file.text.as_bytes(),
            Content::Bytes { bytes, .. } => bytes,
        }
    }

    /// The file as UTF-8 text.
    pub fn text(&self) -> Result<Arc<SourceFile>, ReadError> {
        match &self.content {
            Content::Text(file) => Ok(Arc::clone(file)),
            Content::Bytes { not_utf8_at, .. } => Err(ReadError::NotUtf8 {
                offset: *not_utf8_at,
            }),
        }
    }

    /// blake3 of the bytes, hex (computed once).
    pub fn hash(&self) -> &str {
        self.hash
            .get_or_init(|| blake3::hash(self.bytes()).to_hex().to_string())
    }
}

type Cell = Arc<OnceLock<Result<Arc<InputFile>, ReadError>>>;

/// Files read once, by absolute path.
///
/// The maps of paths here are keyed by the path's bytes ([`OsString`]): a
/// `Path` hashes component by component, which made hashing (and rehashing
/// as the maps grow) about 4% of a check's instructions.
#[derive(Default)]
struct FileCache {
    cells: Mutex<HashMap<OsString, Cell>>,
}

/// How often each file was read from disk (a file is read once per run; the
/// counts show it).
#[derive(Default)]
struct ReadLog {
    counts: Mutex<HashMap<PathBuf, usize>>,
}

impl ReadLog {
    /// Records a read (in the tests only: the log of a large run is large).
    fn count(&self, path: &Path) {
        if !cfg!(test) {
            return;
        }
        *self
            .counts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(path.to_path_buf())
            .or_default() += 1;
    }
}

impl FileCache {
    /// The file if it was read already.
    fn peek(&self, path: &Path) -> Option<Result<Arc<InputFile>, ReadError>> {
        let cells = self.cells.lock().unwrap_or_else(|e| e.into_inner());
        cells
            .get(path.as_os_str())
            .and_then(|cell| cell.get().cloned())
    }

    fn get(
        &self,
        path: &Path,
        read: impl FnOnce() -> Result<(Vec<u8>, bool), ReadError>,
    ) -> Result<Arc<InputFile>, ReadError> {
        let cell = {
            let mut cells = self.cells.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(cells.entry(path.as_os_str().to_os_string()).or_default())
        };
        cell.get_or_init(|| {
            read().map(|(bytes, executable)| Arc::new(InputFile::new(path, executable, bytes)))
        })
        .clone()
    }
}

/// The folders of a run and its limits; reads files outside any repository.
pub struct Workspace {
    root: PathBuf,
    /// The trusted folders, with symbolic links resolved.
    trusted: Vec<PathBuf>,
    max_file_size: u64,
    shared: FileCache,
    log: ReadLog,
    /// Real paths of folders, resolved once.
    real_dirs: Mutex<HashMap<OsString, Option<PathBuf>>>,
    /// Folder listings by real path, each folder listed once per run
    /// (discovery, the tree walks and the piece checks ask for the same
    /// folders: listing them again was 2 to 4 opens of every folder).
    listings: Mutex<HashMap<OsString, Option<Arc<[Listed]>>>>,
    /// Listings also stamp each entry (`check` recording its cache: the tree's
    /// stamps then come from the listings, not from listing every folder
    /// again).
    stamps_listings: bool,
}

/// One entry of a folder as listed: its name as the system gives it.
#[derive(Debug)]
struct Listed {
    name: OsString,
    /// What the entry itself is (a link is `Symlink`).
    kind: EntryKind,
    /// What it names: a link to a folder or file counts as that.
    names: EntryKind,
    /// Its metadata stamp as listed, when listings stamp.
    stamp: Option<MetadataStamp>,
}

impl Workspace {
    /// `root` is the workspace root (the folder of the workspace `Cargo.toml`),
    /// trusted; add the repository roots with [`Workspace::trust`].
    pub fn new(root: &Path) -> Self {
        let root = absolute(root);
        let mut workspace = Workspace {
            trusted: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            shared: FileCache::default(),
            log: ReadLog::default(),
            real_dirs: Mutex::new(HashMap::new()),
            listings: Mutex::new(HashMap::new()),
            stamps_listings: false,
            root: root.clone(),
        };
        workspace.trust(&root);
        workspace
    }

    /// Trusts a folder the user named (a repository root).
    pub fn trust(&mut self, folder: &Path) {
        let real = std::fs::canonicalize(folder).unwrap_or_else(|_| absolute(folder));
        if !self.trusted.contains(&real) {
            self.trusted.push(real);
        }
    }

    /// Makes every listing stamp its entries (before anything is listed).
    pub fn stamp_listings(&mut self) {
        self.stamps_listings = true;
    }

    /// Sets the size limit of one input file.
    pub fn set_max_file_size(&mut self, limit: u64) {
        self.max_file_size = limit;
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Is this real path inside a trusted folder?
    fn is_trusted(&self, real: &Path) -> bool {
        self.trusted.iter().any(|folder| real.starts_with(folder))
    }

    /// The real path of a folder (resolved once): its parent's real path and
    /// its name when it is not a link (one `lstat`), else resolved whole.
    fn real_dir(&self, dir: &Path) -> Option<PathBuf> {
        let known = {
            let dirs = self.real_dirs.lock().unwrap_or_else(|e| e.into_inner());
            dirs.get(dir.as_os_str()).cloned()
        };
        if let Some(real) = known {
            return real;
        }
        // `file_name` is None for a path ending in `..`: resolved whole.
        let real = match (dir.parent(), dir.file_name()) {
            (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
                match std::fs::symlink_metadata(dir) {
                    Ok(m) if m.is_dir() => self.real_dir(parent).map(|real| real.join(name)),
                    // A link (or not a folder: the listing then fails).
                    Ok(_) => std::fs::canonicalize(dir).ok(),
                    Err(_) => None,
                }
            }
            _ => std::fs::canonicalize(dir).ok(),
        };
        let mut dirs = self.real_dirs.lock().unwrap_or_else(|e| e.into_inner());
        dirs.entry(dir.as_os_str().to_os_string())
            .or_insert(real)
            .clone()
    }

    /// The real path of a file (its folders and the file itself resolved),
    /// refused when it is outside the trusted folders.
    ///
    /// Also gives the file's own `lstat` when it was not a link (the read
    /// checks it before opening, without asking again).
    fn contained(&self, path: &Path) -> Result<(PathBuf, Option<std::fs::Metadata>), ReadError> {
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return Err(ReadError::NotARegularFile("a folder"));
        };
        let real_parent = self.real_dir(parent).ok_or(ReadError::NotFound)?;
        let mut real = real_parent.join(name);
        let mut metadata = std::fs::symlink_metadata(&real).ok();
        if metadata
            .as_ref()
            .is_some_and(|m| m.file_type().is_symlink())
        {
            real = std::fs::canonicalize(&real).map_err(|err| io_error(&err))?;
            metadata = None;
        }
        if self.is_trusted(&real) {
            Ok((real, metadata))
        } else {
            Err(ReadError::Outside { real })
        }
    }

    /// Reads one file from disk: contained, regular, within the size limit.
    fn read_contained(&self, path: &Path, limit: u64) -> Result<(Vec<u8>, bool), ReadError> {
        let (real, metadata) = self.contained(path)?;
        self.log.count(path);
        read_checked_file(&real, limit, metadata)
    }

    /// A reader for the files of one repository (cached while it lives).
    pub fn reader(&self, scope: &Path) -> Reader<'_> {
        Reader {
            workspace: self,
            scope: absolute(scope),
            cache: FileCache::default(),
            outside: Mutex::new(BTreeSet::new()),
        }
    }

    /// Reads a file that belongs to no repository (cached for the whole run).
    pub fn file(&self, path: &Path) -> Result<Arc<InputFile>, ReadError> {
        let path = absolute(path);
        self.shared
            .get(&path, || self.read_contained(&path, self.max_file_size))
    }

    /// How often each file was read from disk so far (absolute paths; recorded
    /// in the unit tests only, which check that every input is read once).
    pub fn read_counts(&self) -> BTreeMap<PathBuf, usize> {
        let counts = self.log.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts
            .iter()
            .map(|(path, count)| (path.clone(), *count))
            .collect()
    }

    /// Reads a file that is read once by design (an entry or a blob of the
    /// incremental cache), without keeping it.
    pub fn read_once(&self, path: &Path) -> Result<Vec<u8>, ReadError> {
        self.read_contained(&absolute(path), u64::MAX)
            .map(|(bytes, _)| bytes)
    }

    /// What `path` names (None when nothing is there).
    pub fn kind(&self, path: &Path) -> Option<EntryKind> {
        kind_of(path)
    }

    /// The path with every symbolic link resolved (None when it does not exist).
    pub fn canonical(&self, path: &Path) -> Option<PathBuf> {
        std::fs::canonicalize(path).ok()
    }

    pub fn is_file(&self, path: &Path) -> bool {
        std::fs::metadata(path).is_ok_and(|m| m.is_file())
    }

    pub fn is_dir(&self, path: &Path) -> bool {
        std::fs::metadata(path).is_ok_and(|m| m.is_dir())
    }

    /// The entries of a folder, sorted by name (names that are not UTF-8 are
    /// left out). None when the folder cannot be listed.
    pub fn list_dir(&self, dir: &Path) -> Option<Vec<DirEntry>> {
        let real = self.real_dir(&absolute(dir))?;
        if !self.is_trusted(&real) {
            return None;
        }
        let listing = self.listing(&real)?;
        Some(
            listing
                .iter()
                .filter_map(|entry| {
                    Some(DirEntry {
                        name: entry.name.to_str()?.to_string(),
                        kind: entry.names,
                        link: entry.kind == EntryKind::Symlink,
                    })
                })
                .collect(),
        )
    }

    /// The listing of a folder (by its real path), sorted by name; listed
    /// once per run.
    fn listing(&self, real: &Path) -> Option<Arc<[Listed]>> {
        let known = {
            let listings = self.listings.lock().unwrap_or_else(|e| e.into_inner());
            listings.get(real.as_os_str()).cloned()
        };
        if let Some(listing) = known {
            return listing;
        }
        let listing = list_folder(real, self.stamps_listings);
        let mut listings = self.listings.lock().unwrap_or_else(|e| e.into_inner());
        listings
            .entry(real.as_os_str().to_os_string())
            .or_insert(listing)
            .clone()
    }

    /// Every regular file under `root` (relative paths with `/`, sorted), not
    /// descending into folders `skip_dir` refuses and leaving out files
    /// `keep_file` refuses.
    pub fn walk_files(
        &self,
        root: &Path,
        skip_dir: &dyn Fn(&str) -> bool,
        keep_file: &dyn Fn(&str) -> bool,
    ) -> Vec<(String, PathBuf)> {
        self.walk(root, skip_dir, keep_file).files
    }

    /// [`Workspace::walk_files`], with the names that were left out because
    /// they cannot be paths (sorted). A root that is a link is resolved (and
    /// not walked when it leads outside the trusted folders); no other link
    /// is followed. A root that is a file is the one file, named `""`.
    pub fn walk(
        &self,
        root: &Path,
        skip_dir: &dyn Fn(&str) -> bool,
        keep_file: &dyn Fn(&str) -> bool,
    ) -> Walk {
        let mut walk = Walk::default();
        let Some(real) = self.real_dir(&absolute(root)) else {
            return walk;
        };
        if !self.is_trusted(&real) {
            return walk;
        }
        match std::fs::metadata(&real) {
            Ok(m) if m.is_dir() => {}
            Ok(m) if m.is_file() => {
                if keep_file("") {
                    walk.files.push((String::new(), root.to_path_buf()));
                }
                return walk;
            }
            _ => return walk,
        }
        let mut folders = vec![(root.to_path_buf(), real, String::new())];
        while let Some((folder, real, prefix)) = folders.pop() {
            let Some(listing) = self.listing(&real) else {
                continue;
            };
            for entry in listing.iter() {
                let name = match entry.name.to_str() {
                    Some(name) if is_safe_name(&entry.name) => name,
                    _ => {
                        walk.unsafe_names.push(folder.join(&entry.name));
                        continue;
                    }
                };
                let relative = relative_child(&prefix, name);
                match entry.kind {
                    EntryKind::Dir if !skip_dir(name) => {
                        folders.push((folder.join(name), real.join(name), relative));
                    }
                    EntryKind::File if keep_file(&relative) => {
                        walk.files.push((relative, folder.join(name)));
                    }
                    _ => {}
                }
            }
        }
        walk.files.sort();
        walk.unsafe_names.sort();
        walk
    }

    /// The size, modification time (nanoseconds since the Unix epoch) and inode
    /// of a file, without reading it (None when it cannot be looked at).
    pub fn metadata_stamp(&self, path: &Path) -> Option<MetadataStamp> {
        metadata_stamp_of(&std::fs::symlink_metadata(path).ok()?)
    }

    /// The metadata stamp of every entry of a repository tree, nothing read:
    /// files, folders (a folder's time stamp changes when an entry is added to
    /// it, removed or renamed), links and anything else, by path relative to the
    /// root with `/` (`""` is the root), sorted. The ignored folders
    /// ([`crate::hashing::is_ignored_dir`]) and names that cannot be paths are
    /// left out (their folder's stamp still sees them come and go). None when
    /// the root is not a trusted folder.
    pub fn tree_metadata(&self, root: &Path) -> Option<Vec<(String, MetadataStamp)>> {
        let real = self.real_dir(&absolute(root))?;
        if !self.is_trusted(&real) {
            return None;
        }
        let mut stamps = vec![(String::new(), self.metadata_stamp(root)?)];
        // Folder by folder, from the run's listings; an entry a listing did
        // not stamp has its `lstat` asked by path.
        let mut folders = vec![(root.to_path_buf(), real, String::new())];
        while let Some((folder, real, prefix)) = folders.pop() {
            let Some(listing) = self.listing(&real) else {
                continue;
            };
            for entry in listing.iter() {
                let Some(name) = entry.name.to_str().filter(|_| is_safe_name(&entry.name)) else {
                    continue;
                };
                let is_dir = entry.kind == EntryKind::Dir;
                if is_dir && crate::hashing::is_ignored_dir(name) {
                    continue;
                }
                let stamp = entry.stamp.or_else(|| {
                    metadata_stamp_of(&std::fs::symlink_metadata(folder.join(name)).ok()?)
                });
                let Some(stamp) = stamp else {
                    continue;
                };
                let relative = relative_child(&prefix, name);
                if is_dir {
                    folders.push((folder.join(name), real.join(name), relative.clone()));
                }
                stamps.push((relative, stamp));
            }
        }
        stamps.sort_unstable();
        Some(stamps)
    }

    /// Is something at `path` (not following a final symbolic link)?
    pub fn exists(&self, path: &Path) -> bool {
        kind_of(path).is_some()
    }
}

/// Reads a text file before the workspace is known (the `Cargo.toml` files of
/// the folders around the working directory, to find the workspace root).
pub fn read_manifest(path: &Path) -> Result<Arc<SourceFile>, ReadError> {
    let path = absolute(path);
    let real = std::fs::canonicalize(&path).map_err(|err| io_error(&err))?;
    let (bytes, _) = read_regular_file(&real, DEFAULT_MAX_FILE_SIZE)?;
    let text = String::from_utf8(bytes).map_err(|err| ReadError::NotUtf8 {
        offset: err.utf8_error().valid_up_to(),
    })?;
    let display = display_path(&path);
    Ok(SourceFile::new(path, display, text))
}

/// The BLAKE3 hash of the running executable (the tool's identity for
/// incremental builds), if it can be read; read in pieces, not held whole.
pub fn tool_executable_hash() -> Option<String> {
    use std::io::Read as _;
    let exe = std::fs::canonicalize(std::env::current_exe().ok()?).ok()?;
    let metadata = std::fs::symlink_metadata(&exe).ok()?;
    check_metadata(&metadata, u64::MAX).ok()?;
    let mut file = open_nonblocking(&exe).ok()?;
    let mut hasher = blake3::Hasher::new();
    let mut buffer = vec![0; 1 << 16];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => {
                hasher.update(&buffer[..n]);
            }
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(hasher.finalize().to_hex().to_string())
}

/// Reads the files of one repository (and, through the workspace, the shared
/// files it names).
pub struct Reader<'w> {
    workspace: &'w Workspace,
    scope: PathBuf,
    cache: FileCache,
    /// The files outside the scope this reader read (or tried to).
    outside: Mutex<BTreeSet<PathBuf>>,
}

impl Reader<'_> {
    pub fn workspace(&self) -> &Workspace {
        self.workspace
    }

    /// The folder this reader reads (the repository root).
    pub fn scope(&self) -> &Path {
        &self.scope
    }

    /// The files outside the scope that were read (or asked for) so far:
    /// what the repository's results depend on besides its own tree.
    pub fn outside_reads(&self) -> BTreeSet<PathBuf> {
        self.outside
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// A file, read once.
    pub fn file(&self, path: &Path) -> Result<Arc<InputFile>, ReadError> {
        let path = absolute(path);
        let inside = path.starts_with(&self.scope);
        if !inside {
            let mut outside = self.outside.lock().unwrap_or_else(|e| e.into_inner());
            outside.insert(path.clone());
        }
        // Files read before the repository was processed (by discovery) are
        // in the workspace's cache.
        if let Some(read) = self.workspace.shared.peek(&path) {
            return read;
        }
        if inside {
            let workspace = self.workspace;
            self.cache.get(&path, || {
                workspace.read_contained(&path, workspace.max_file_size)
            })
        } else {
            self.workspace.file(&path)
        }
    }

    /// A file as UTF-8 text, read once.
    pub fn text(&self, path: &Path) -> Result<Arc<SourceFile>, ReadError> {
        self.file(path)?.text()
    }

    /// A text file; an unreadable one becomes an error diagnostic with `code`
    /// (pointing at the file).
    pub fn source(
        &self,
        path: &Path,
        code: Code,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Arc<SourceFile>> {
        match self.text(path) {
            Ok(file) => Some(file),
            Err(error) => {
                diagnostics.push(error.diagnostic(path, code));
                None
            }
        }
    }

    /// The files of a repository tree (relative paths, sorted) as read, without
    /// VCS and cache folders, compiled Python or temporary files
    /// ([`crate::hashing::is_tree_file`]). Files that cannot be read are left
    /// out.
    pub fn tree(&self, root: &Path) -> Vec<(String, Arc<InputFile>)> {
        self.read_all(&self.tree_walk(root))
    }

    /// Reads the files of a walk (those that cannot be read are left out).
    pub fn read_all(&self, walk: &Walk) -> Vec<(String, Arc<InputFile>)> {
        walk.files
            .iter()
            .filter_map(|(relative, path)| Some((relative.clone(), self.file(path).ok()?)))
            .collect()
    }

    /// The paths of a repository tree (nothing is read), and the names that
    /// cannot be paths ([`Walk`]).
    pub fn tree_walk(&self, root: &Path) -> Walk {
        self.walk(
            root,
            &crate::hashing::is_ignored_dir,
            &crate::hashing::is_tree_file,
        )
    }
}

impl std::ops::Deref for Reader<'_> {
    type Target = Workspace;

    /// The folder queries of the workspace (`kind`, `is_dir`, `list_dir`, ...).
    fn deref(&self) -> &Workspace {
        self.workspace
    }
}

/// What a file or folder looked like, without reading it: its size, its
/// modification time (nanoseconds since the Unix epoch) and its inode (as git's
/// index and cargo's fingerprints trust them).
pub type MetadataStamp = (u64, i128, u64);

fn metadata_stamp_of(metadata: &std::fs::Metadata) -> Option<MetadataStamp> {
    #[cfg(unix)]
    let (modified, inode) = {
        use std::os::unix::fs::MetadataExt;
        (
            i128::from(metadata.mtime()) * 1_000_000_000 + i128::from(metadata.mtime_nsec()),
            metadata.ino(),
        )
    };
    #[cfg(not(unix))]
    let (modified, inode) = (
        metadata
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos() as i128,
        0,
    );
    Some((metadata.len(), modified, inode))
}

fn kind_of(path: &Path) -> Option<EntryKind> {
    let metadata = std::fs::symlink_metadata(path).ok()?;
    Some(EntryKind::of(metadata.file_type()))
}

/// `prefix/name` (`name` under the root), in one string.
fn relative_child(prefix: &str, name: &str) -> String {
    let mut relative = String::with_capacity(prefix.len() + 1 + name.len());
    if !prefix.is_empty() {
        relative.push_str(prefix);
        relative.push('/');
    }
    relative.push_str(name);
    relative
}

/// Lists a folder (sorted by name; every name, paths or not), with each
/// entry's `lstat` (asked of the open folder) when `stamped`.
fn list_folder(dir: &Path, stamped: bool) -> Option<Arc<[Listed]>> {
    let mut entries: Vec<Listed> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let kind = EntryKind::of(entry.file_type().ok()?);
            let names = match kind {
                // A link to a folder or file counts as what it names.
                EntryKind::Symlink => match std::fs::metadata(entry.path()) {
                    Ok(m) => match EntryKind::of(m.file_type()) {
                        kind @ (EntryKind::Dir | EntryKind::File) => kind,
                        _ => EntryKind::Symlink,
                    },
                    Err(_) => EntryKind::Symlink,
                },
                kind => kind,
            };
            let stamp = if stamped {
                entry.metadata().ok().as_ref().and_then(metadata_stamp_of)
            } else {
                None
            };
            Some(Listed {
                name: entry.file_name(),
                kind,
                names,
                stamp,
            })
        })
        .collect();
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Some(entries.into())
}

/// The regular files under a root (relative paths, sorted) and the names
/// that cannot be used as paths or archive entries (not UTF-8, or holding a
/// control character): those entries are left out, files and folders alike.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<(String, PathBuf)>,
    pub unsafe_names: Vec<PathBuf>,
}

impl Walk {
    /// An error for each name that cannot be a path.
    pub fn unsafe_name_diagnostics(&self) -> Vec<Diagnostic> {
        self.unsafe_names
            .iter()
            .map(|path| {
                Diagnostic::error(
                    Code::InputUnsafeName,
                    format!(
                        "the name {:?} is not UTF-8 or holds a control character: it cannot be archived or copied",
                        path.file_name().unwrap_or(path.as_os_str())
                    ),
                )
                .at_path(display_path(path.parent().unwrap_or(path)))
                .with_help("rename it (names in a repository are UTF-8 without control characters)")
            })
            .collect()
    }
}

/// Is a file or folder name usable in a path, an archive entry or a line?
fn is_safe_name(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|name| !name.chars().any(char::is_control))
}

/// Reads a regular file of at most `limit` bytes (`path` is a real path: a
/// final symbolic link is refused). Anything else is refused before it is
/// opened for reading (a FIFO would block, a device never ends).
fn read_regular_file(path: &Path, limit: u64) -> Result<(Vec<u8>, bool), ReadError> {
    read_checked_file(path, limit, None)
}

/// [`read_regular_file`], given the path's `lstat` when it is known already.
fn read_checked_file(
    path: &Path,
    limit: u64,
    metadata: Option<std::fs::Metadata>,
) -> Result<(Vec<u8>, bool), ReadError> {
    let metadata = match metadata {
        Some(metadata) => metadata,
        None => std::fs::symlink_metadata(path).map_err(|err| io_error(&err))?,
    };
    check_metadata(&metadata, limit)?;
    let file = open_nonblocking(path).map_err(|err| io_error(&err))?;
    // The file may have been replaced between the two looks.
    let metadata = file.metadata().map_err(|err| io_error(&err))?;
    check_metadata(&metadata, limit)?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| io_error(&err))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok((bytes, is_executable(&metadata)))
}

#[cfg(unix)]
fn is_executable(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    metadata.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &std::fs::Metadata) -> bool {
    false
}

fn check_metadata(metadata: &std::fs::Metadata, limit: u64) -> Result<(), ReadError> {
    let file_type = metadata.file_type();
    if !file_type.is_file() {
        return Err(ReadError::NotARegularFile(describe(&file_type)));
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge {
            size: metadata.len(),
            limit,
        });
    }
    Ok(())
}

#[cfg(unix)]
fn describe(file_type: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_fifo() {
        "a named pipe (FIFO)"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn describe(file_type: &std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

fn io_error(err: &std::io::Error) -> ReadError {
    match err.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk over the run's listings finds what walkdir finds (the walk it
    /// replaced): regular files below the root, not through links, not in
    /// skipped folders, and every name that cannot be a path.
    #[cfg(unix)]
    #[test]
    fn the_walk_finds_what_walkdir_finds() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        for folder in ["a/b/c", "a/skip/inner", "d", "bad\u{1}dir/x"] {
            std::fs::create_dir_all(root.join(folder)).unwrap();
        }
        for file in [
            "top.txt",
            "a/one.py",
            "a/b/c/two.json",
            "a/skip/inner/no.txt",
            "d/.hidden",
            "bad\u{1}dir/x/y.txt",
            "a/b/tab\tname",
        ] {
            std::fs::write(root.join(file), file).unwrap();
        }
        std::fs::write(
            root.join(std::ffi::OsStr::from_bytes(b"d/not-utf8-\xff")),
            "x",
        )
        .unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("link-to-a")).unwrap();
        std::os::unix::fs::symlink(root.join("top.txt"), root.join("d/link-to-top")).unwrap();
        std::os::unix::fs::symlink("/nowhere", root.join("d/dangling")).unwrap();
        let fifo = std::process::Command::new("mkfifo")
            .arg(root.join("d/fifo"))
            .status()
            .unwrap();
        assert!(fifo.success());

        let skip = |name: &str| name == "skip";
        let keep = |relative: &str| !relative.ends_with(".json");
        let workspace = Workspace::new(dir.path());
        // Listed first, as discovery does: the walk uses the same listings.
        assert!(workspace.list_dir(&root.join("a")).is_some());
        let walk = workspace.walk(&root, &skip, &keep);

        let mut files = Vec::new();
        let mut unsafe_names = Vec::new();
        let mut entries = walkdir::WalkDir::new(&root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter();
        while let Some(Ok(entry)) = entries.next() {
            if entry.depth() > 0 && !is_safe_name(entry.file_name()) {
                if entry.file_type().is_dir() {
                    entries.skip_current_dir();
                }
                unsafe_names.push(entry.into_path());
                continue;
            }
            if entry.file_type().is_dir() {
                if entry.depth() > 0 && skip(&entry.file_name().to_string_lossy()) {
                    entries.skip_current_dir();
                }
                continue;
            }
            let relative = entry
                .path()
                .strip_prefix(&root)
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            if entry.file_type().is_file() && keep(&relative) {
                files.push((relative, entry.into_path()));
            }
        }
        files.sort();
        unsafe_names.sort();
        assert_eq!(walk.files, files);
        assert_eq!(walk.unsafe_names, unsafe_names);
        assert_eq!(
            walk.files
                .iter()
                .map(|(r, _)| r.as_str())
                .collect::<Vec<_>>(),
            ["a/one.py", "d/.hidden", "top.txt"]
        );
        assert_eq!(walk.unsafe_names.len(), 3);
        // A root that is a file is that one file; a link root is resolved.
        let file = workspace.walk(&root.join("top.txt"), &skip, &keep);
        assert_eq!(file.files, [(String::new(), root.join("top.txt"))]);
        let linked = workspace.walk(&root.join("link-to-a"), &skip, &keep);
        assert_eq!(
            linked.files,
            [("one.py".to_string(), root.join("link-to-a/one.py"))]
        );
    }

    /// The tree's stamps are the same whether the listings stamped the
    /// entries (check recording) or each entry is looked at by path; ignored
    /// folders and names that cannot be paths are left out, links stamped.
    #[cfg(unix)]
    #[test]
    fn tree_stamps_from_stamped_listings_are_those_looked_up_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        for folder in ["a/b", "target/x", "__pycache__", "bad\u{1}dir"] {
            std::fs::create_dir_all(root.join(folder)).unwrap();
        }
        for file in [
            "top.txt",
            "a/one.py",
            "a/b/two.json",
            "target/x/no.txt",
            "bad\u{1}dir/y",
        ] {
            std::fs::write(root.join(file), file).unwrap();
        }
        std::os::unix::fs::symlink(root.join("a"), root.join("link")).unwrap();
        let by_path = Workspace::new(dir.path()).tree_metadata(&root).unwrap();
        let mut stamping = Workspace::new(dir.path());
        stamping.stamp_listings();
        // Discovery lists first; the snapshot then asks nothing of the disk
        // for what was listed.
        assert!(stamping.list_dir(&root.join("a")).is_some());
        let listed = stamping.tree_metadata(&root).unwrap();
        assert_eq!(listed, by_path);
        let names: Vec<&str> = listed.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "",
                "a",
                "a/b",
                "a/b/two.json",
                "a/one.py",
                "link",
                "top.txt"
            ]
        );
    }

    #[test]
    fn files_are_read_once_and_hashed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "one").unwrap();
        let workspace = Workspace::new(dir.path());
        let reader = workspace.reader(dir.path());
        let first = reader.text(&path).unwrap();
        std::fs::write(&path, "two").unwrap();
        let again = reader.text(&path).unwrap();
        assert!(
            Arc::ptr_eq(&first, &again),
            "read once, served from the cache"
        );
        assert_eq!(again.text, "one");
        assert_eq!(
            reader.file(&path).unwrap().hash(),
            blake3::hash(b"one").to_hex().as_str()
        );
    }

    #[test]
    fn only_regular_utf8_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let workspace = Workspace::new(dir.path());
        let reader = workspace.reader(dir.path());
        assert_eq!(
            reader.text(&dir.path().join("missing")).unwrap_err(),
            ReadError::NotFound
        );
        assert!(matches!(
            reader.text(dir.path()).unwrap_err(),
            ReadError::NotARegularFile("a folder")
        ));
        std::fs::write(dir.path().join("bad"), b"ok\xff").unwrap();
        assert_eq!(
            reader.text(&dir.path().join("bad")).unwrap_err(),
            ReadError::NotUtf8 { offset: 2 }
        );
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 10]).unwrap();
        assert_eq!(
            read_regular_file(&big, 4).unwrap_err(),
            ReadError::TooLarge { size: 10, limit: 4 }
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let workspace = Workspace::new(dir.path());
        assert_eq!(
            workspace.reader(dir.path()).text(&fifo).unwrap_err(),
            ReadError::NotARegularFile("a named pipe (FIFO)")
        );
    }
}
