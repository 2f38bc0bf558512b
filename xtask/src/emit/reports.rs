//! The run's reports: `report.json` (all diagnostics and counts), `junit.xml` (a
//! test suite per repository, a failing test case per error) and `report.sarif`
//! (SARIF 2.1.0, for code-scanning annotations). Deterministic: no timestamps.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::analysis::Analysis;
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::output::Output;

pub const TOOL_NAME: &str = "pieces-xtask";
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// `report.json`, `junit.xml` and `report.sarif` (paths relative to the folder
/// they go in).
pub fn all(analysis: &Analysis) -> Vec<Output> {
    vec![
        Output::new("report.json", report_json(analysis)),
        Output::new("junit.xml", junit_xml(analysis)),
        Output::new("report.sarif", sarif(analysis)),
    ]
}

/// The diagnostics of one repository (or of the monorepo as a whole), sorted.
struct Suite<'a> {
    name: String,
    kind: &'a str,
    diagnostics: Vec<Diagnostic>,
}

fn suites(analysis: &Analysis) -> Vec<Suite<'_>> {
    let mut suites = Vec::new();
    let mut global = analysis.diagnostics.clone();
    diagnostics::sort_and_dedup(&mut global);
    suites.push(Suite {
        name: "monorepo".to_string(),
        kind: "monorepo",
        diagnostics: global,
    });
    for report in &analysis.reports {
        let mut list = report.diagnostics.clone();
        diagnostics::sort_and_dedup(&mut list);
        suites.push(Suite {
            name: report.repository.display.clone(),
            kind: report.repository.kind.as_str(),
            diagnostics: list,
        });
    }
    suites
}

/// `report.json`.
pub fn report_json(analysis: &Analysis) -> Vec<u8> {
    let all = analysis.all_diagnostics();
    let counts = diagnostics::count(&all);
    let stats = analysis.stats();
    let failures = analysis.failures();
    let repositories: Vec<Value> = analysis
        .reports
        .iter()
        .enumerate()
        .map(|(index, report)| {
            let counts = diagnostics::count(&report.diagnostics);
            let (status, reason) = match failures.get(&index) {
                Some(failure) => ("failed", Some(failure.to_string())),
                None => ("ok", None),
            };
            let mut entry = json!({
                "status": status,
                "reason": reason,
                "name": report.repository.name,
                "kind": report.repository.kind.as_str(),
                "path": report.repository.display,
            });
            if let Value::Object(object) = &mut entry {
                report.stats.extend_json(counts, object);
            }
            entry
        })
        .collect();
    let mut summary = serde_json::Map::new();
    summary.insert("repositories".to_owned(), analysis.reports.len().into());
    stats.extend_json(counts, &mut summary);
    summary.insert("failed_repositories".to_owned(), failures.len().into());
    let report = json!({
        "tool": { "name": TOOL_NAME, "version": TOOL_VERSION },
        "summary": summary,
        "repositories": repositories,
        "diagnostics": all.iter().map(Diagnostic::to_json).collect::<Vec<_>>(),
    });
    let mut bytes = serde_json::to_vec_pretty(&report).expect("JSON");
    bytes.push(b'\n');
    bytes
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn location_text(diagnostic: &Diagnostic) -> String {
    diagnostic
        .location
        .as_ref()
        .map_or_else(String::new, |location| location.to_short_string())
}

/// `junit.xml`: a `<testsuite>` per repository (plus `monorepo` for discovery and
/// cross-repository findings), a failing `<testcase>` per error, one passing
/// `validate` test case when a repository has no error. Warnings go to
/// `<system-out>`.
pub fn junit_xml(analysis: &Analysis) -> Vec<u8> {
    let suites = suites(analysis);
    let total_tests: usize = suites
        .iter()
        .map(|s| s.diagnostics.iter().filter(|d| d.is_error()).count().max(1))
        .sum();
    let total_failures: usize = suites
        .iter()
        .map(|s| s.diagnostics.iter().filter(|d| d.is_error()).count())
        .sum();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"cargo xtask check\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"0\">"
    );
    for suite in &suites {
        let errors: Vec<&Diagnostic> = suite.diagnostics.iter().filter(|d| d.is_error()).collect();
        let warnings: Vec<&Diagnostic> =
            suite.diagnostics.iter().filter(|d| !d.is_error()).collect();
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            xml_escape(&suite.name),
            errors.len().max(1),
            errors.len()
        );
        let classname = xml_escape(&format!("{}.{}", suite.kind, suite.name));
        if errors.is_empty() {
            let _ = writeln!(
                xml,
                "    <testcase classname=\"{classname}\" name=\"validate\"/>"
            );
        }
        for error in &errors {
            let location = location_text(error);
            let name = if location.is_empty() {
                error.code.to_string()
            } else {
                format!("{} at {location}", error.code)
            };
            let _ = writeln!(
                xml,
                "    <testcase classname=\"{classname}\" name=\"{}\">",
                xml_escape(&name)
            );
            let _ = writeln!(
                xml,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                xml_escape(&error.message),
                xml_escape(error.code.as_str()),
                xml_escape(&error.render(false))
            );
            let _ = writeln!(xml, "    </testcase>");
        }
        if !warnings.is_empty() {
            let text: Vec<String> = warnings.iter().map(|w| w.render(false)).collect();
            let _ = writeln!(
                xml,
                "    <system-out>{}</system-out>",
                xml_escape(&text.join("\n\n"))
            );
        }
        let _ = writeln!(xml, "  </testsuite>");
    }
    xml.push_str("</testsuites>\n");
    xml.into_bytes()
}

/// `report.sarif` (SARIF 2.1.0). Paths are relative to the directory the tool ran in
/// (`originalUriBaseIds.SRCROOT`).
pub fn sarif(analysis: &Analysis) -> Vec<u8> {
    let all = analysis.all_diagnostics();
    let mut rules: BTreeMap<&str, &Diagnostic> = BTreeMap::new();
    for diagnostic in &all {
        rules.entry(diagnostic.code.as_str()).or_insert(diagnostic);
    }
    let rule_index: BTreeMap<&str, usize> = rules
        .keys()
        .enumerate()
        .map(|(i, code)| (*code, i))
        .collect();
    let rules_json: Vec<Value> = rules
        .keys()
        .map(|code| {
            json!({
                "id": code,
                "name": code.replace("::", "/"),
                "shortDescription": { "text": code },
            })
        })
        .collect();
    let results: Vec<Value> = all
        .iter()
        .map(|diagnostic| {
            let mut text = diagnostic.message.clone();
            if let Some(help) = &diagnostic.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let mut result = json!({
                "ruleId": diagnostic.code,
                "ruleIndex": rule_index[diagnostic.code.as_str()],
                "level": match diagnostic.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                "message": { "text": text },
            });
            if let Some(location) = &diagnostic.location {
                let mut physical = json!({
                    "artifactLocation": { "uri": location.display_path(), "uriBaseId": "SRCROOT" },
                });
                if let Some((start, end)) = location.positions() {
                    physical["region"] = json!({
                        "startLine": start.line,
                        "startColumn": start.column,
                        "endLine": end.line,
                        "endColumn": end.column.max(if end.line == start.line { start.column + 1 } else { 1 }),
                    });
                }
                result["locations"] = json!([{ "physicalLocation": physical }]);
            }
            result
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": TOOL_NAME,
                    "version": TOOL_VERSION,
                    "rules": rules_json,
                }
            },
            "originalUriBaseIds": { "SRCROOT": { "uri": "./" } },
            "results": results,
        }]
    });
    let mut bytes = serde_json::to_vec_pretty(&sarif).expect("JSON");
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_control_characters() {
        assert_eq!(
            xml_escape("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot;\u{fffd}"
        );
    }
}
