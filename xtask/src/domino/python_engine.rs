//! `--schema-engine python|auto`: the schemas from pydantic itself. ONE Python
//! process imports the models.py of every selected piece of every repository, as
//! the reference does (`<pieces folder>` on `sys.path`, `import <Name>Piece.models`),
//! and prints their `model_json_schema()`. This EXECUTES repository code: it
//! only runs when asked for.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use rayon::prelude::*;

use super::models::{self, ModelSchemas};
use crate::codes::Code;
use crate::diagnostics::Diagnostic;
use crate::input::Workspace;
use crate::options::SchemaEngine;
use crate::progress::Progress;
use crate::python;
use crate::report::{Repository, RepositoryKind};

/// The diagnostic code of a construct the static reader does not understand.
pub const UNSUPPORTED: Code = Code::DominoUnsupportedModelConstruct;

/// Runs pydantic on the pieces that need it: every piece with `python`, the
/// pieces the static reader cannot read with `auto`. With `auto`, a missing
/// Python only leaves the static diagnostics in place.
pub fn prepare(
    workspace: &Workspace,
    engine: SchemaEngine,
    repositories: &[Repository],
    config: &crate::config::Config,
    progress: &Progress,
) -> Result<Option<PythonSchemas>, Diagnostic> {
    let mut folders: Vec<PathBuf> = repositories
        .iter()
        .filter(|r| r.kind == RepositoryKind::Domino)
        .flat_map(|r| {
            super::piece_folders(&workspace.reader(&r.root), &r.root)
                .into_iter()
                .map(|name| r.root.join("pieces").join(name))
                .collect::<Vec<_>>()
        })
        .filter(|folder| workspace.is_file(&folder.join("models.py")))
        .collect();
    if engine == SchemaEngine::Auto {
        folders = folders
            .into_par_iter()
            .filter(|folder| needs_python(workspace, &folder.join("models.py")))
            .collect();
    }
    if folders.is_empty() {
        return Ok(None);
    }
    progress.log(format!(
        "importing {} models.py with `{}` (--schema-engine {}): this runs repository code",
        folders.len(),
        interpreter(),
        if engine == SchemaEngine::Auto {
            "auto"
        } else {
            "python"
        }
    ));
    // The generators of the repositories imported (each pins its pydantic).
    let mut generators: Vec<crate::config::DominoGenerator> = repositories
        .iter()
        .filter(|r| r.kind == RepositoryKind::Domino)
        .filter(|r| folders.iter().any(|f| f.starts_with(&r.root)))
        .map(|r| config.generator(&r.name))
        .collect();
    generators.sort();
    generators.dedup();
    match run(&folders) {
        Ok(schemas) => {
            for generator in generators {
                if schemas.pydantic_version != generator.pydantic_version() {
                    progress.log(format!(
                        "warning: pydantic {} differs from {}, the version {generator} pins; schemas may differ from the reference (`{}`)",
                        schemas.pydantic_version,
                        generator.pydantic_version(),
                        generator.requirement()
                    ));
                }
            }
            Ok(Some(schemas))
        }
        Err(message) if engine == SchemaEngine::Auto => {
            progress.log(format!(
                "warning: no Python fallback for {} models.py ({message}); their static diagnostics stay",
                folders.len()
            ));
            Ok(None)
        }
        Err(message) => Err(Diagnostic::error(Code::EnvPython, message).with_help(
            "install the generator's pydantic (`pip install \"domino-py[cli]==0.9.4\"` for 2.4.2, `pip install \"domino-py-iisas[cli]==1.0.50\"` for 2.11.7) or point XTASK_PYTHON at a Python that has it",
        )),
    }
}

/// Does the static reader give up on this models.py?
fn needs_python(workspace: &Workspace, models_path: &Path) -> bool {
    let reader = workspace.reader(models_path);
    let Ok(file) = reader.text(models_path) else {
        return false;
    };
    let (module, syntax) = python::parse(&file);
    if !syntax.is_empty() {
        return false;
    }
    // as the static reader of the check reads it: `<Name>Piece.models`, `pieces/` on the path
    let Some(folder) = models_path.parent() else {
        return false;
    };
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let repo = models::RepoModules::new(&reader, folder.parent().unwrap_or(folder));
    let (_, diagnostics) = models::model_schemas_in(
        &module,
        &format!("{name}.models"),
        Some(&repo),
        crate::config::DominoGenerator::DominoPy,
    );
    diagnostics.iter().any(|d| d.code == UNSUPPORTED)
}

/// The interpreter: `$XTASK_PYTHON`, else `python3`.
pub fn interpreter() -> String {
    std::env::var("XTASK_PYTHON").unwrap_or_else(|_| "python3".into())
}

const DRIVER: &str = r#"
import importlib, json, sys, traceback
try:
    import pydantic
except ImportError:
    print(json.dumps({"fatal": "pydantic is not installed for " + sys.executable}))
    sys.exit(0)
out = {"pydantic": pydantic.VERSION, "models": {}}
for line in sys.stdin.read().splitlines():
    pieces_dir, name = line.rsplit("\t", 1)
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]
    sys.path.insert(0, pieces_dir)
    entry = {}
    try:
        importlib.invalidate_caches()
        module = importlib.import_module(name + ".models")
        secrets = getattr(module, "SecretsModel", None)
        entry["input_schema"] = getattr(module, "InputModel").model_json_schema()
        entry["output_schema"] = getattr(module, "OutputModel").model_json_schema()
        entry["secrets_schema"] = secrets.model_json_schema() if secrets else None
    except BaseException as error:
        entry = {"error": "".join(traceback.format_exception_only(type(error), error)).strip()}
    finally:
        sys.path.remove(pieces_dir)
    out["models"][pieces_dir + "/" + name] = entry
print(json.dumps(out))
"#;

/// Schemas computed by pydantic, by models.py path.
#[derive(Debug, Default)]
pub struct PythonSchemas {
    pub pydantic_version: String,
    pub by_models_path: HashMap<PathBuf, Result<ModelSchemas, String>>,
}

impl PythonSchemas {
    pub fn get(&self, models_path: &Path) -> Option<&Result<ModelSchemas, String>> {
        self.by_models_path.get(models_path)
    }
}

/// Imports the models of the given piece folders in one Python process.
pub fn run(piece_folders: &[PathBuf]) -> Result<PythonSchemas, String> {
    let python = interpreter();
    let shell = xshell::Shell::new().map_err(|e| e.to_string())?;
    let stdin: String = piece_folders
        .iter()
        .filter_map(|folder| {
            let pieces = folder.parent()?.to_str()?;
            let name = folder.file_name()?.to_str()?;
            Some(format!("{pieces}\t{name}\n"))
        })
        .collect();
    let output = xshell::cmd!(shell, "{python} -c {DRIVER}")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(stdin)
        .quiet()
        .ignore_status()
        .output()
        .map_err(|e| format!("cannot run `{python}`: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`{python}` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let answer: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("unexpected answer from `{python}`: {e}"))?;
    if let Some(fatal) = answer.get("fatal").and_then(Value::as_str) {
        return Err(fatal.to_string());
    }
    let mut schemas = PythonSchemas {
        pydantic_version: answer["pydantic"].as_str().unwrap_or("").to_string(),
        by_models_path: HashMap::new(),
    };
    for folder in piece_folders {
        let key = format!(
            "{}/{}",
            folder.parent().and_then(Path::to_str).unwrap_or(""),
            folder.file_name().and_then(|n| n.to_str()).unwrap_or("")
        );
        let entry = &answer["models"][&key];
        let result = match entry.get("error").and_then(Value::as_str) {
            Some(error) => Err(error.to_string()),
            None => Ok(ModelSchemas {
                input: entry.get("input_schema").cloned().filter(|v| !v.is_null()),
                output: entry.get("output_schema").cloned().filter(|v| !v.is_null()),
                secrets: entry
                    .get("secrets_schema")
                    .cloned()
                    .filter(|v| !v.is_null()),
            }),
        };
        schemas
            .by_models_path
            .insert(folder.join("models.py"), result);
    }
    Ok(schemas)
}
