//! How paths are shown, in messages and in every artifact: relative to the
//! workspace root (as cargo shows them), else relative to the repository root
//! folder they were found under, always with `/` separators, so that the
//! output does not depend on where the workspace is checked out, nor on the
//! folder the tool runs from.

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

/// The workspace root, then the repository roots outside it.
static BASES: OnceLock<Vec<PathBuf>> = OnceLock::new();

/// Sets the folders paths are shown relative to (once per process, at
/// start-up; the working directory until then): the workspace root, then the
/// repository roots.
pub fn set_display_roots(workspace_root: &Path, roots: &[PathBuf]) {
    let mut bases = vec![absolute(workspace_root)];
    bases.extend(roots.iter().map(|root| absolute(root)));
    let _ = BASES.set(bases);
}

fn bases() -> std::borrow::Cow<'static, [PathBuf]> {
    match BASES.get() {
        Some(bases) => std::borrow::Cow::Borrowed(bases),
        // Not set yet (the workspace is being looked for): the working folder.
        None => std::borrow::Cow::Owned(vec![working_dir().to_path_buf()]),
    }
}

/// A path as shown: relative to the workspace root when under it, else to the
/// folder holding the deepest repository root that holds it, else absolute.
pub fn display_path(path: &Path) -> String {
    let absolute_path = absolute(path);
    let bases = bases();
    shown_as_text(&absolute_path, &bases)
        .unwrap_or_else(|| shown_by_components(&absolute_path, &bases))
}

/// [`display_path`] on text, for a UTF-8 path and roots (paths from
/// [`absolute`] are normalised, so "under" is a prefix ending at a `/`): no
/// component is compared or rebuilt.
fn shown_as_text(absolute_path: &Path, bases: &[PathBuf]) -> Option<String> {
    /// The rest of `path` under `base` (`""` for `base` itself).
    fn under<'a>(path: &'a str, base: &str) -> Option<&'a str> {
        let rest = path.strip_prefix(base)?;
        if rest.is_empty() || base.ends_with('/') {
            Some(rest)
        } else {
            rest.strip_prefix('/')
        }
    }
    if cfg!(windows) {
        return None;
    }
    let path = absolute_path.to_str()?;
    let workspace = bases[0].to_str()?;
    let relative = match under(path, workspace) {
        Some(rest) => Some(rest),
        None => {
            let mut deepest: Option<&str> = None;
            for root in &bases[1..] {
                let root = root.to_str()?;
                if under(path, root).is_some() && deepest.is_none_or(|d| root.len() >= d.len()) {
                    deepest = Some(root);
                }
            }
            deepest.map(|root| {
                let parent = match root.rfind('/') {
                    Some(0) if root.len() > 1 => "/",
                    Some(0) | None => root,
                    Some(at) => &root[..at],
                };
                under(path, parent).unwrap_or(path)
            })
        }
    };
    let text = to_slash(Path::new(relative.unwrap_or(path)));
    Some(if text.is_empty() {
        ".".to_string()
    } else {
        text
    })
}

/// [`display_path`] by path components (any path).
fn shown_by_components(absolute_path: &Path, bases: &[PathBuf]) -> String {
    // Outside the workspace, relative to the folder holding the root, so the
    // root's own name is shown (`repos/weather-pieces/config.toml`).
    let relative = if absolute_path.starts_with(&bases[0]) {
        absolute_path.strip_prefix(&bases[0]).ok()
    } else {
        bases[1..]
            .iter()
            .filter(|root| absolute_path.starts_with(root))
            .max_by_key(|root| root.components().count())
            .and_then(|root| {
                absolute_path
                    .strip_prefix(root.parent().unwrap_or(root))
                    .ok()
            })
    };
    let text = to_slash(relative.unwrap_or(absolute_path));
    if text.is_empty() {
        ".".to_string()
    } else {
        text
    }
}

/// A path with `/` separators and no `.` components.
pub fn to_slash(path: &Path) -> String {
    // Most paths already are (one copy, no component rebuilt).
    if let Some(text) = path.to_str()
        && is_plain_path(text, false)
    {
        return text.to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for component in path.components() {
        match component {
            Component::RootDir => absolute = true,
            Component::CurDir => {}
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::ParentDir => parts.push("..".to_string()),
            Component::Prefix(prefix) => {
                parts.push(prefix.as_os_str().to_string_lossy().into_owned())
            }
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Makes a path absolute against the working directory and removes `.` and `..`
/// components lexically (no symlink resolution).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        working_dir().join(path)
    };
    // Most paths have nothing to remove.
    if joined
        .to_str()
        .is_some_and(|text| is_plain_path(text, true))
    {
        return joined;
    }
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The working directory, asked once per process (nothing here changes it;
/// asking the system for it was a syscall per path made absolute).
fn working_dir() -> &'static Path {
    static WORKING_DIR: OnceLock<PathBuf> = OnceLock::new();
    WORKING_DIR.get_or_init(|| std::env::current_dir().unwrap_or_default())
}

/// `/`-separated names, none empty (no `//`, no trailing `/`) and none `.`
/// (nor `..` when `no_parent`): a path that `to_slash` and `absolute` give
/// back as it is. A leading `/` is allowed.
fn is_plain_path(text: &str, no_parent: bool) -> bool {
    let names = text.strip_prefix('/').unwrap_or(text);
    (names.is_empty() && text == "/")
        || (!names.is_empty()
            && !cfg!(windows)
            && names
                .split('/')
                .all(|name| !name.is_empty() && name != "." && !(no_parent && name == "..")))
}

/// A name that becomes a file name, an archive entry, a Dockerfile word or a
/// line: letters and digits (any script), `_`, `.`, `+` and `-`, at most 128
/// bytes, and not `.` or `..` (so never a separator, a blank or a control
/// character).
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '+' | '-'))
}

/// A relative path with `/` separators that stays where it is put: no root,
/// no empty, `.` or `..` component, no control character.
pub fn is_safe_relative_path(path: &str) -> bool {
    !path.is_empty()
        && path.split('/').all(|part| {
            !part.is_empty() && part != "." && part != ".." && !part.chars().any(char::is_control)
        })
}

/// `text` with every character outside `[A-Za-z0-9_-]` replaced by `_` (never
/// empty): safe as a file name, a bake target or an identifier.
pub fn safe_name(text: &str) -> String {
    let name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        "_".to_string()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paths shown on text are shown as by their components, for every
    /// combination of a path and roots (nested, equal, prefixes of a name).
    #[test]
    fn paths_are_shown_on_text_as_by_components() {
        let paths = [
            "/",
            "/w",
            "/w/a",
            "/w/a/b.txt",
            "/wx/a",
            "/r",
            "/r/x/y",
            "/r/xy",
            "/r/x",
            "/s/t/u/v",
            "/s/t",
            "/other/file",
        ];
        let roots = ["/w", "/", "/r", "/r/x", "/s/t/u", "/s", "/wx", "/r/x"];
        for workspace in ["/w", "/", "/s/t"] {
            for first in 0..roots.len() {
                for count in 0..=3 {
                    let mut bases = vec![PathBuf::from(workspace)];
                    bases.extend(
                        roots
                            .iter()
                            .cycle()
                            .skip(first)
                            .take(count)
                            .map(PathBuf::from),
                    );
                    for path in paths {
                        assert_eq!(
                            shown_as_text(Path::new(path), &bases),
                            Some(shown_by_components(Path::new(path), &bases)),
                            "{path} under {bases:?}"
                        );
                    }
                }
            }
        }
    }

    /// The plain paths given back as they are, and every other path, come out
    /// as the component-by-component rebuild makes them.
    #[test]
    fn plain_paths_are_given_back_as_they_are() {
        let cases = [
            ("a/b/c", "a/b/c", "/w/a/b/c"),
            ("/a/b", "/a/b", "/a/b"),
            ("/", "/", "/"),
            ("", "", "/w"),
            (".", "", "/w"),
            ("./a", "a", "/w/a"),
            ("a/./b", "a/b", "/w/a/b"),
            ("a//b/", "a/b", "/w/a/b"),
            ("a/../b", "a/../b", "/w/b"),
            ("../a", "../a", "/a"),
            ("/..", "/..", "/"),
            ("/a/b/..", "/a/b/..", "/a"),
            ("a/.hidden/..x", "a/.hidden/..x", "/w/a/.hidden/..x"),
        ];
        for (path, slashed, absolute_in_w) in cases {
            assert_eq!(to_slash(Path::new(path)), slashed, "{path}");
            let joined = if path.starts_with('/') {
                PathBuf::from(path)
            } else {
                Path::new("/w").join(path)
            };
            assert_eq!(absolute(&joined), PathBuf::from(absolute_in_w), "{path}");
        }
        assert_eq!(
            absolute(Path::new("rel")),
            std::env::current_dir().unwrap().join("rel")
        );
    }

    #[test]
    fn slashes_and_dots() {
        assert_eq!(to_slash(Path::new("./a/b/../c")), "a/b/../c");
        assert_eq!(absolute(Path::new("/x/./y/../z")), PathBuf::from("/x/z"));
        assert_eq!(safe_name("weather.pieces v2"), "weather_pieces_v2");
        assert_eq!(safe_name(""), "_");
        for name in [
            "geospatial_pieces",
            "0.3.1",
            "1.0.0-rc1+build.5",
            "Dockerfile_0",
            ".tmpA1",
            "requirements_gео.txt",
        ] {
            assert!(is_plain_name(name), "{name}");
        }
        let long = "x".repeat(129);
        for name in [
            "",
            ".",
            "..",
            "a/b",
            "a b",
            "a\nRUN x",
            "a\\b",
            long.as_str(),
        ] {
            assert!(!is_plain_name(name), "{name:?}");
        }
        assert!(is_safe_relative_path("r-1.0/pieces/APiece/models.py"));
        for path in ["", "/etc/x", "a/../../x", "a//b", "./a", "a\u{7}b"] {
            assert!(!is_safe_relative_path(path), "{path:?}");
        }
    }
}
