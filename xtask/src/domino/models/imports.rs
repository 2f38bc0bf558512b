//! The modules of a repository that a models.py (or piece.py) imports, found and read as
//! the reference's `import <Name>Piece.models` finds them.
//!
//! domino-py 0.9.4 (`domino.scripts.load_piece.load_piece_models_from_path`) *appends*
//! the resolved `pieces/` folder to `sys.path` and imports `<Name>Piece.models`; the
//! `domino` console script has its own folder first on `sys.path`, then the standard
//! library and site-packages, and not the working directory. So a module of the
//! repository is importable exactly when it lies under `pieces/` and its top-level name is
//! not one the standard library or the installed packages of the reference environment
//! take first ([`EXTERNAL_ROOTS`]): `from common.models import X` is
//! `pieces/common/models.py`, `from .utils import Y` in `pieces/APiece/models.py` is
//! `pieces/APiece/utils.py`. Within `pieces/` a package (`a/__init__.py`) wins over a
//! module (`a.py`), which wins over a namespace folder (`a/`), as Python's path finder
//! does.
//!
//! The modules are read through the input gateway (each file once per run) and followed
//! to at most [`MAX_IMPORT_DEPTH`] imports away from the importing file and
//! [`MAX_IMPORTED_MODULES`] modules in all; cycles are followed once.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ruff_python_ast::{self as ast, Stmt};

use crate::input::Reader;
use crate::paths::display_path;
use crate::python::{self, PythonModule};
use crate::source::SourceFile;

/// How many imports away from the importing file a module is still followed.
pub const MAX_IMPORT_DEPTH: usize = 8;
/// How many modules of the repository one file may bring in, all imports together.
pub const MAX_IMPORTED_MODULES: usize = 64;

/// Top-level module names that the reference finds before `pieces/`: the standard library
/// of Python 3.11 (`sys.stdlib_module_names`) and the packages installed with
/// `domino-py[cli]==0.9.4`.
const EXTERNAL_ROOTS: &str = "OpenSSL abc aifc annotated_types antigravity argparse array ast \
asynchat asyncio asyncore atexit attr attrs audioop base64 bdb binascii bisect bottle builtins \
bz2 cProfile calendar certifi cffi cgi cgitb charset_normalizer chunk click cmath cmd code \
codecs codeop collections colorama colorsys compileall concurrent configparser contextlib \
contextvars copy copyreg crypt cryptography csv ctypes curses dataclasses datetime dateutil dbm \
decimal deprecated difflib dis distutils docker doctest domino email encodings ensurepip enum \
errno faulthandler fcntl filecmp fileinput fnmatch fractions ftplib functools gc genericpath \
getopt getpass gettext github glob google graphlib grp gzip hashlib heapq hmac html http \
idlelib idna imaplib imghdr imp importlib inspect io ipaddress itertools json jsonschema \
jsonschema_specifications jwt keyword kubernetes lib2to3 linecache locale logging lzma mailbox \
mailcap markdown_it marshal math mdurl mimetypes mmap modulefinder msilib msvcrt \
multiprocessing nacl netrc nis nntplib nt ntpath nturl2path numbers oauthlib opcode operator \
optparse os ossaudiodev pathlib pdb pickle pickletools pip pipes pkg_resources pkgutil platform \
plistlib poplib posix posixpath pprint profile pstats pty pwd py_compile pyasn1 pyasn1_modules \
pyclbr pycparser pydantic pydantic_core pydoc pydoc_data pyexpat pygments queue quopri random \
re readline referencing reprlib requests requests_oauthlib resource rich rlcompleter rpds runpy \
sched secrets select selectors setuptools shelve shlex shutil signal site six smtpd smtplib \
sndhdr socket socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics \
string stringprep struct subprocess sunau symtable sys sysconfig syslog tabnanny tarfile \
telnetlib tempfile termios textwrap this threading time timeit tkinter token tokenize tomli \
tomli_w tomllib trace traceback tracemalloc tty turtle turtledemo types typing \
typing_extensions tzdata unicodedata unittest urllib urllib3 uu uuid venv warnings wave weakref \
webbrowser websocket winreg winsound wrapt wsgiref xdrlib xml xmlrpc yaml zipapp zipfile \
zipimport zlib zoneinfo";

fn is_external_root(name: &str) -> bool {
    // Asked for every import of every piece: a sorted list, searched by halves.
    static SORTED: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        let mut names: Vec<&str> = EXTERNAL_ROOTS.split_ascii_whitespace().collect();
        names.sort_unstable();
        names
    });
    name.starts_with('_') || SORTED.binary_search(&name).is_ok()
}

/// The importable modules of one repository: what lies under its `pieces/` folder.
pub struct RepoModules<'r> {
    reader: &'r Reader<'r>,
    pieces: PathBuf,
}

/// One module of the repository, read (or why it cannot be).
pub(super) struct Found {
    pub(super) file: Arc<SourceFile>,
    pub(super) is_package: bool,
}

impl<'r> RepoModules<'r> {
    /// The modules under `pieces` (the `pieces/` folder of a repository), read by `reader`.
    pub fn new(reader: &'r Reader<'r>, pieces: &Path) -> Self {
        RepoModules {
            reader,
            pieces: pieces.to_path_buf(),
        }
    }

    /// The module `dotted` (absolute), if the repository has it: `None` when it is not
    /// under `pieces/` or the reference finds it elsewhere first; `Some(Err)` when the
    /// file is there but cannot be read.
    pub(super) fn find(&self, dotted: &str) -> Option<Result<Found, String>> {
        let parts: Vec<&str> = dotted.split('.').collect();
        if parts.iter().any(|p| !is_identifier(p)) || is_external_root(parts[0]) {
            return None;
        }
        let mut path = self.pieces.clone();
        for part in &parts {
            path.push(part);
        }
        let init = path.join("__init__.py");
        let (file, is_package) = if self.reader.is_file(&init) {
            (init, true)
        } else if self.reader.is_file(&path.with_extension("py")) {
            (path.with_extension("py"), false)
        } else if self.reader.is_dir(&path) {
            // a namespace package: no code
            let empty = SourceFile::new(path.clone(), display_path(&path), String::new());
            return Some(Ok(Found {
                file: empty,
                is_package: true,
            }));
        } else {
            return None;
        };
        Some(
            self.reader
                .text(&file)
                .map(|file| Found { file, is_package })
                .map_err(|e| e.to_string()),
        )
    }
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// The package a module's relative imports start from.
pub(super) fn package_of(name: &str, is_package: bool) -> &str {
    if is_package {
        name
    } else {
        name.rsplit_once('.').map_or("", |(package, _)| package)
    }
}

/// The absolute name of `from <level dots><module> import ...` in a module of `package`,
/// `None` when it goes above the top-level package.
pub(super) fn absolute_module(package: &str, level: u32, module: Option<&str>) -> Option<String> {
    let mut base: Vec<&str> = if package.is_empty() || level == 0 {
        Vec::new()
    } else {
        package.split('.').collect()
    };
    if level > 0 {
        for _ in 1..level {
            base.pop()?;
        }
        if base.is_empty() {
            return None;
        }
    }
    if let Some(module) = module {
        base.extend(module.split('.'));
    }
    (!base.is_empty()).then(|| base.join("."))
}

/// The module names a top-level import statement may load (parents first).
pub(super) fn imported_names(stmt: &Stmt, package: &str) -> Vec<String> {
    let mut names = Vec::new();
    let with_parents = |dotted: &str, names: &mut Vec<String>| {
        let mut prefix = String::new();
        for part in dotted.split('.') {
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix.push_str(part);
            names.push(prefix.clone());
        }
    };
    match stmt {
        Stmt::Import(import) => {
            for alias in &import.names {
                with_parents(alias.name.as_str(), &mut names);
            }
        }
        Stmt::ImportFrom(import) => {
            let Some(module) = absolute_module(
                package,
                import.level,
                import.module.as_ref().map(|m| m.as_str()),
            ) else {
                return names;
            };
            with_parents(&module, &mut names);
            for alias in &import.names {
                if alias.name.as_str() != "*" {
                    names.push(format!("{module}.{}", alias.name));
                }
            }
        }
        _ => {}
    }
    names
}

/// A module of the repository as loaded for the reader.
pub(super) struct Loaded {
    pub(super) name: String,
    pub(super) is_package: bool,
    pub(super) module: PythonModule,
}

/// Modules found but not followed, by name, with the reason.
pub(super) type NotFollowed = HashMap<String, String>;

/// The repository modules `root` (named `root_name`) imports, directly or not, within the
/// bounds; each parsed once.
pub(super) fn load_imports(
    root: &PythonModule,
    root_name: &str,
    root_is_package: bool,
    repo: &RepoModules<'_>,
) -> (Vec<Loaded>, NotFollowed) {
    let mut loaded: Vec<Loaded> = Vec::new();
    let mut failed: NotFollowed = HashMap::new();
    let mut seen: HashSet<String> = HashSet::from([root_name.to_string()]);
    // (module body, its package, its depth)
    let mut queue: Vec<(usize, usize)> = Vec::new(); // (index into loaded + 1, depth); 0 = root
    queue.push((0, 0));
    let mut at = 0;
    while at < queue.len() {
        let (index, depth) = queue[at];
        at += 1;
        let (body, package): (&[Stmt], String) = if index == 0 {
            (
                &root.module.body,
                package_of(root_name, root_is_package).to_string(),
            )
        } else {
            let l = &loaded[index - 1];
            (
                &l.module.module.body,
                package_of(&l.name, l.is_package).to_string(),
            )
        };
        let mut wanted = Vec::new();
        for stmt in body {
            wanted.extend(imported_names(stmt, &package));
        }
        for name in wanted {
            if !seen.insert(name.clone()) {
                continue;
            }
            let Some(found) = repo.find(&name) else {
                continue;
            };
            if depth >= MAX_IMPORT_DEPTH {
                failed.insert(
                    name,
                    format!("imports are followed at most {MAX_IMPORT_DEPTH} modules deep"),
                );
                continue;
            }
            if loaded.len() >= MAX_IMPORTED_MODULES {
                failed.insert(
                    name,
                    format!(
                        "at most {MAX_IMPORTED_MODULES} modules of the repository are followed"
                    ),
                );
                continue;
            }
            match found {
                Ok(found) => {
                    let (module, syntax) = python::parse(&found.file);
                    if !syntax.is_empty() || module.refused {
                        failed.insert(name, format!("{} has syntax errors", found.file.display));
                        continue;
                    }
                    loaded.push(Loaded {
                        name,
                        is_package: found.is_package,
                        module,
                    });
                    queue.push((loaded.len(), depth + 1));
                }
                Err(error) => {
                    failed.insert(name, error);
                }
            }
        }
    }
    (loaded, failed)
}

/// `from <module> import <name>` or `import <module>` bindings of a module, for readers
/// that only need to know where a name comes from (piece.py base classes).
pub(super) fn import_binding(
    body: &[Stmt],
    package: &str,
    name: &str,
) -> Option<(String, Option<String>)> {
    let mut found = None;
    for stmt in body {
        match stmt {
            Stmt::ImportFrom(import) => {
                let Some(module) = absolute_module(
                    package,
                    import.level,
                    import.module.as_ref().map(|m| m.as_str()),
                ) else {
                    continue;
                };
                for alias in &import.names {
                    if alias.asname.as_ref().unwrap_or(&alias.name).as_str() == name {
                        found = Some((module.clone(), Some(alias.name.to_string())));
                    }
                }
            }
            Stmt::Import(ast::StmtImport { names, .. }) => {
                for alias in names {
                    match &alias.asname {
                        Some(asname) if asname.as_str() == name => {
                            found = Some((alias.name.to_string(), None));
                        }
                        None if alias.name.split('.').next() == Some(name) => {
                            found = Some((name.to_string(), None));
                        }
                        _ => {}
                    }
                }
            }
            Stmt::ClassDef(c) if c.name.as_str() == name => found = None,
            _ => {}
        }
    }
    found
}

/// Does `class` of `module` (imported as `name`) have the method `method`, defined in its
/// body or in a base class followed through the modules of the repository? `Some(false)`
/// when every base class is known and none has it (domino's `BasePiece` counts as known:
/// its `piece_function` is a stub that the piece must override); `None` when a base class
/// cannot be followed (it may define the method). `depth` counts the base classes
/// followed so far (0 at the first call).
pub fn class_has_method(
    module: &PythonModule,
    name: &str,
    is_package: bool,
    class: &ast::StmtClassDef,
    method: &str,
    repo: &RepoModules<'_>,
    depth: usize,
) -> Option<bool> {
    if python::method(class, method).is_some() {
        return Some(true);
    }
    if depth > 2 * MAX_IMPORT_DEPTH {
        return None;
    }
    let package = package_of(name, is_package).to_string();
    let body = &module.module.body;
    let mut known = true;
    for base in class.arguments.iter().flat_map(|a| a.args.iter()) {
        let mut combine = |answer: Option<bool>| -> bool {
            match answer {
                Some(true) => true,
                Some(false) => false,
                None => {
                    known = false;
                    false
                }
            }
        };
        // `Name` or `module.Name` / `package.module.Name`
        let mut parts: Vec<&str> = Vec::new();
        let mut value = base;
        loop {
            match value {
                ruff_python_ast::Expr::Attribute(attribute) => {
                    parts.push(attribute.attr.as_str());
                    value = &attribute.value;
                }
                ruff_python_ast::Expr::Name(n) => {
                    parts.push(n.id.as_str());
                    break;
                }
                _ => {
                    parts.clear();
                    break;
                }
            }
        }
        parts.reverse();
        let Some((&first, rest)) = parts.split_first() else {
            known = false;
            continue;
        };
        let local = rest.is_empty().then(|| module.class(first)).flatten();
        if let Some(local) = local.filter(|local| local.range != class.range) {
            if combine(class_has_method(
                module,
                name,
                is_package,
                local,
                method,
                repo,
                depth + 1,
            )) {
                return Some(true);
            }
            continue;
        }
        let (target_module, class_name) = match (import_binding(body, &package, first), rest) {
            (Some((m, Some(attr))), []) => (m, attr),
            (Some((m, Some(attr))), [.., last]) => (
                format!("{m}.{attr}{}", dotted_middle(&rest[..rest.len() - 1])),
                last.to_string(),
            ),
            (Some((m, None)), [.., last]) => (
                format!("{m}{}", dotted_middle(&rest[..rest.len() - 1])),
                last.to_string(),
            ),
            (None, []) if first == "object" => continue,
            _ => {
                known = false;
                continue;
            }
        };
        if target_module.starts_with("domino") && class_name == "BasePiece" {
            continue;
        }
        let answer = find_class(&target_module, &class_name, repo, depth + 1).and_then(
            |(found, found_name, found_package)| {
                let class = found.class(&class_name)?;
                class_has_method(
                    &found,
                    &found_name,
                    found_package,
                    class,
                    method,
                    repo,
                    depth + 1,
                )
            },
        );
        if combine(answer) {
            return Some(true);
        }
    }
    known.then_some(false)
}

fn dotted_middle(parts: &[&str]) -> String {
    parts.iter().map(|p| format!(".{p}")).collect()
}

/// The repository module that defines the class `class_name` importable from module
/// `module_name` (following re-exports), parsed.
fn find_class(
    module_name: &str,
    class_name: &str,
    repo: &RepoModules<'_>,
    depth: usize,
) -> Option<(PythonModule, String, bool)> {
    if depth > 2 * MAX_IMPORT_DEPTH {
        return None;
    }
    let found = repo.find(module_name)?.ok()?;
    let (module, syntax) = python::parse(&found.file);
    if !syntax.is_empty() {
        return None;
    }
    if module.class(class_name).is_some() {
        return Some((module, module_name.to_string(), found.is_package));
    }
    let package = package_of(module_name, found.is_package);
    match import_binding(&module.module.body, package, class_name)? {
        (m, Some(attr)) => find_class(&m, &attr, repo, depth + 1),
        (_, None) => None,
    }
}
