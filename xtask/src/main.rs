use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = xtask::cli::Cli::parse();
    xtask::commands::run(&cli).into()
}
