//! Dioptra resource repositories: validation of resource TOMLs, task files and
//! entrypoint task graphs.

use crate::diagnostics::Diagnostic;
use crate::discover::Repository;
use crate::doc;
use crate::domino::read_source;
use crate::pipeline::{Context, RepositoryReport};

/// Validates one repository.
pub fn process(repository: &Repository, _context: &Context<'_>) -> RepositoryReport {
    let mut report = RepositoryReport::new(repository);
    for config in &repository.resource_configs {
        let Some(file) = read_source(config, "dioptra::unreadable-file", &mut report.diagnostics)
        else {
            continue;
        };
        match doc::parse_toml(&file) {
            Ok(document) => {
                let plugins = document.get("/plugins").and_then(|v| v.as_array());
                report.stats.plugins += plugins.map_or(0, Vec::len);
                for plugin in plugins.into_iter().flatten() {
                    report.stats.tasks += match plugin.get("tasks") {
                        Some(serde_json::Value::Array(tasks)) => tasks.len(),
                        Some(serde_json::Value::Object(tasks)) => ["functions", "artifacts"]
                            .iter()
                            .filter_map(|k| tasks.get(*k).and_then(|v| v.as_array()))
                            .map(Vec::len)
                            .sum(),
                        _ => 0,
                    };
                }
                report.stats.param_types += document
                    .get("/plugin_param_types")
                    .and_then(|v| v.as_array())
                    .map_or(0, Vec::len);
                report.stats.entrypoints += document
                    .get("/entrypoints")
                    .and_then(|v| v.as_array())
                    .map_or(0, Vec::len);
            }
            Err(errors) => report.diagnostics.extend(errors.into_iter().map(|error| {
                Diagnostic::error(
                    "dioptra::toml-syntax",
                    format!("invalid TOML: {}", error.message),
                )
                .at(&file, error.span)
            })),
        }
    }
    report
}
