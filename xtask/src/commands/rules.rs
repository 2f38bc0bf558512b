//! `cargo xtask rules`: the code registry as a table or JSON (as `ruff rule --all`).

use super::ExitStatus;
use crate::cli::{ListFormat, RulesArgs};
use crate::codes::{Code, DefaultLevel};

fn level(code: Code) -> &'static str {
    match code.default_level() {
        DefaultLevel::Error => "error",
        DefaultLevel::Warning => "warning",
    }
}

pub fn run(args: &RulesArgs) -> ExitStatus {
    match args.format {
        ListFormat::Json => {
            for code in Code::ALL {
                let line = serde_json::json!({
                    "code": code.as_str(),
                    "ecosystem": code.area(),
                    "default_level": level(*code),
                    "origin": code.origin().as_str(),
                    "extra": code.origin() == crate::codes::Origin::Extra,
                    "safety": code.is_safety(),
                    "summary": code.summary(),
                });
                println!("{line}");
            }
        }
        ListFormat::Text => {
            let width = Code::ALL
                .iter()
                .map(|c| c.as_str().len())
                .max()
                .unwrap_or(0);
            println!(
                "{:<width$}  {:<8}  {:<9}  {:<6}  summary",
                "code", "level", "origin", "safety"
            );
            for code in Code::ALL {
                println!(
                    "{:<width$}  {:<8}  {:<9}  {:<6}  {}",
                    code.as_str(),
                    level(*code),
                    code.origin().as_str(),
                    if code.is_safety() { "yes" } else { "" },
                    code.summary()
                );
            }
            println!(
                "\n{} codes; `cargo xtask explain CODE` prints one's documentation",
                Code::ALL.len()
            );
        }
    }
    ExitStatus::Success
}
