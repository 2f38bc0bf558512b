//! `cargo xtask explain CODE`: the documentation of a code, from the registry
//! (as `rustc --explain` and `ruff rule`).

use super::ExitStatus;
use crate::cli::ExplainArgs;
use crate::codes::Code;

pub fn run(args: &ExplainArgs) -> ExitStatus {
    let Some(code) = Code::from_name(&args.code) else {
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let hint = match crate::suggest::did_you_mean(&args.code, names.iter().copied()) {
            Some(guess) => format!("did you mean `{guess}`?"),
            None => "`cargo xtask rules` lists every code".to_string(),
        };
        eprintln!(
            "error: no diagnostic code `{}`\n  = help: {hint}",
            args.code
        );
        return ExitStatus::Environment;
    };
    println!("{code}\n");
    println!("{}", code.docs().trim_end());
    println!(
        "\nlevel: {}; origin: {}{}",
        match code.default_level() {
            crate::codes::DefaultLevel::Error => "error",
            crate::codes::DefaultLevel::Warning => "warning",
        },
        code.origin().as_str(),
        if code.is_safety() {
            "; guards safety (cannot be allowed)"
        } else {
            ""
        }
    );
    ExitStatus::Success
}
