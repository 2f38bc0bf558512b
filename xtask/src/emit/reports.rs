//! The run's reports: `report.json` (all diagnostics and counts), `junit.xml` (a
//! test suite per repository, one test case each, failing with its errors) and
//! `report.sarif` (SARIF 2.1.0, for code scanning). Deterministic: no
//! timestamps, no absolute paths.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::analysis::Analysis;
use crate::codes::{Code, DefaultLevel};
use crate::diagnostics::{self, Diagnostic, Location};
use crate::hashing::ContentHasher;
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

/// `junit.xml`: a `<testsuite>` per repository (plus `monorepo` for discovery and
/// cross-repository findings), each with exactly one `<testcase>`, `validate`
/// (class name `<kind>.<repository>`): it passes when the repository has no
/// error and fails with every error (rendered with its location) in the
/// `<failure>` body otherwise. Test identities and counts are therefore the same
/// in a passing and a failing run of the same repositories, and no name carries
/// a line number. Warnings go to the suite's `<system-out>`.
pub fn junit_xml(analysis: &Analysis) -> Vec<u8> {
    let suites = suites(analysis);
    let failing = |suite: &Suite<'_>| suite.diagnostics.iter().any(Diagnostic::is_error);
    let total_failures = suites.iter().filter(|suite| failing(suite)).count();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"cargo xtask check\" tests=\"{}\" failures=\"{total_failures}\" errors=\"0\">",
        suites.len()
    );
    for suite in &suites {
        let errors: Vec<&Diagnostic> = suite.diagnostics.iter().filter(|d| d.is_error()).collect();
        let warnings: Vec<&Diagnostic> =
            suite.diagnostics.iter().filter(|d| !d.is_error()).collect();
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"1\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            xml_escape(&suite.name),
            usize::from(!errors.is_empty())
        );
        let classname = xml_escape(&format!("{}.{}", suite.kind, suite.name));
        if errors.is_empty() {
            let _ = writeln!(
                xml,
                "    <testcase classname=\"{classname}\" name=\"validate\"/>"
            );
        } else {
            let _ = writeln!(
                xml,
                "    <testcase classname=\"{classname}\" name=\"validate\">"
            );
            let (message, kind) = match errors.as_slice() {
                [only] => (only.message.clone(), only.code.to_string()),
                [first, ..] => {
                    let mut codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
                    codes.sort_unstable();
                    codes.dedup();
                    (
                        format!(
                            "{}; the first: {}",
                            diagnostics::plural(errors.len(), "error"),
                            first.message
                        ),
                        codes.join(" "),
                    )
                }
                [] => unreachable!("a failing suite has an error"),
            };
            let body: Vec<String> = errors.iter().map(|e| e.render(false)).collect();
            let _ = writeln!(
                xml,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                xml_escape(&message),
                xml_escape(&kind),
                xml_escape(&body.join("\n\n"))
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

/// Where the tool is documented (SARIF `tool.driver.informationUri`; a rule's
/// `helpUri` is `<this>#<code>`): the crate's `repository` when its manifest
/// sets one, else a URN naming the tool (an absolute URI, as SARIF requires,
/// that names nothing of the machine).
pub fn information_uri() -> &'static str {
    match env!("CARGO_PKG_REPOSITORY") {
        "" => "urn:pieces-xtask:docs",
        repository => repository,
    }
}

/// The `partialFingerprints` key of our own fingerprint (see [`fingerprint`]).
pub const FINGERPRINT_KEY: &str = "pieces-xtask/v1";

/// The SARIF category (`automationDetails.id`): the same for `check` and
/// `build-all`, which report the same findings.
pub const AUTOMATION_ID: &str = "pieces-xtask/check/";

/// A result's fingerprint, stable when lines move: blake3 of the code, the
/// file's path, the message with its digits blanked (parser messages name
/// positions) and the primary line's text without its surrounding whitespace
/// (empty for a file as a whole), never the line number; the first 32 hex
/// digits. Results with equal hashes are told apart by `:<n>`, their rank in
/// the run's (sorted) order, as GitHub's `primaryLocationLineHash` does.
fn fingerprint(diagnostic: &Diagnostic) -> String {
    let message: String = diagnostic
        .message
        .chars()
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect();
    let (path, line) = match &diagnostic.location {
        Some(location @ Location::Span { file, span }) => {
            let line = file.line_span(file.line_col(span.start).line);
            (location.display_path(), file.text[line.range()].trim())
        }
        Some(location) => (location.display_path(), ""),
        None => ("", ""),
    };
    let mut hash = ContentHasher::new(FINGERPRINT_KEY);
    hash.add("code", diagnostic.code.as_str().as_bytes())
        .add("path", path.as_bytes())
        .add("message", message.as_bytes())
        .add("line", line.as_bytes());
    hash.finish()[..32].to_string()
}

/// A SARIF `physicalLocation`: the path relative to `SRCROOT` and a region,
/// always (a file as a whole, without a span, is its first line).
fn physical_location(location: &Location) -> Value {
    let region = match location.positions() {
        Some((start, end)) => json!({
            "startLine": start.line,
            "startColumn": start.column,
            "endLine": end.line,
            // SARIF's end column is exclusive: an empty span shows as one character.
            "endColumn": end.column.max(if end.line == start.line { start.column + 1 } else { 1 }),
        }),
        None => json!({ "startLine": 1 }),
    };
    json!({
        "artifactLocation": { "uri": location.display_path(), "uriBaseId": "SRCROOT" },
        "region": region,
    })
}

/// The SARIF rule of a code, from the registry: the summary line, the
/// documentation (plain text and Markdown), the default level, tags.
fn sarif_rule(code: Code) -> Value {
    let summary = code.summary();
    let documentation = code.documentation();
    let full = if documentation.is_empty() {
        summary.to_string()
    } else {
        documentation.clone()
    };
    let mut tags = vec![code.area(), code.origin().as_str()];
    if code.is_safety() {
        tags.push("safety");
    }
    json!({
        "id": code.as_str(),
        "name": code.pascal_name(),
        "shortDescription": { "text": summary },
        "fullDescription": { "text": full },
        "help": {
            "text": format!("{summary}\n\n{full}\n\nLocally: cargo xtask explain {code}"),
            "markdown": format!("**{summary}**\n\n{full}\n\nLocally: `cargo xtask explain {code}`"),
        },
        "helpUri": format!("{}#{}", information_uri(), code.as_str().replace("::", "-")),
        "defaultConfiguration": {
            "level": match code.default_level() {
                DefaultLevel::Error => "error",
                DefaultLevel::Warning => "warning",
            }
        },
        "properties": { "tags": tags },
    })
}

/// `report.sarif` (SARIF 2.1.0, for GitHub code scanning and other viewers).
///
/// - `tool.driver.rules` is the whole registry, in its order (so a rule's
///   `ruleIndex` does not depend on the findings); a result's `level` is its
///   effective severity, the rule's `defaultConfiguration.level` the registry's.
/// - Paths are relative to `SRCROOT`, the folder the tool ran in, given no
///   `uri` (an absolute one would name this machine's checkout): a consumer
///   (GitHub's upload action: the checkout) supplies it. Every location has a
///   region; columns count Unicode code points (`columnKind`).
/// - `partialFingerprints["pieces-xtask/v1"]` ([`fingerprint`]) follows a result
///   across edits that move it; GitHub's upload action adds its own
///   `primaryLocationLineHash` from the checkout.
/// - No timestamps, no command line, no machine paths: the same analysis gives
///   the same bytes anywhere.
pub fn sarif(analysis: &Analysis) -> Vec<u8> {
    let all = analysis.all_diagnostics();
    let rule_index: BTreeMap<Code, usize> = Code::ALL
        .iter()
        .enumerate()
        .map(|(i, code)| (*code, i))
        .collect();
    let rules: Vec<Value> = Code::ALL.iter().map(|code| sarif_rule(*code)).collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let results: Vec<Value> = all
        .iter()
        .map(|diagnostic| {
            let mut text = diagnostic.message.clone();
            if let Some(help) = &diagnostic.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let hash = fingerprint(diagnostic);
            let rank = seen.entry(hash.clone()).or_insert(0);
            *rank += 1;
            let mut result = json!({
                "ruleId": diagnostic.code,
                "ruleIndex": rule_index[&diagnostic.code],
                "level": diagnostic.severity.as_str(),
                "message": { "text": text },
                "partialFingerprints": { FINGERPRINT_KEY: format!("{hash}:{rank}") },
            });
            if let Some(location) = &diagnostic.location {
                let mut primary = json!({ "physicalLocation": physical_location(location) });
                if let Some(label) = &diagnostic.label {
                    primary["message"] = json!({ "text": label });
                }
                result["locations"] = json!([primary]);
            }
            if !diagnostic.related.is_empty() {
                let related: Vec<Value> = diagnostic
                    .related
                    .iter()
                    .enumerate()
                    .map(|(id, related)| {
                        json!({
                            "id": id,
                            "physicalLocation": physical_location(&related.location),
                            "message": { "text": related.message },
                        })
                    })
                    .collect();
                result["relatedLocations"] = json!(related);
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
                    "semanticVersion": TOOL_VERSION,
                    "informationUri": information_uri(),
                    "rules": rules,
                }
            },
            "automationDetails": { "id": AUTOMATION_ID },
            "invocations": [{ "executionSuccessful": true }],
            "originalUriBaseIds": {
                "SRCROOT": {
                    "description": { "text": "The folder cargo xtask ran in (the workspace root): every path is relative to it." }
                }
            },
            "columnKind": "unicodeCodePoints",
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
