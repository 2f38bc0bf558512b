//! Progress on stderr (indicatif), hidden when stderr is not a terminal, with
//! `--quiet`, or when `CI` is set. Log lines go through `suspend`, so they appear
//! whether or not the bar is drawn.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Is the process running under CI? `CI` set to anything but an empty string,
/// `false` or `0` (so `CI=false` does not hide the progress).
pub fn in_ci() -> bool {
    means_ci(std::env::var("CI").ok().as_deref())
}

fn means_ci(value: Option<&str>) -> bool {
    value.is_some_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "" | "false" | "0"))
}

#[cfg(test)]
#[test]
fn ci_false_is_not_ci() {
    assert!(means_ci(Some("true")) && means_ci(Some("1")));
    assert!(!means_ci(Some("false")) && !means_ci(Some("0")) && !means_ci(Some("")));
    assert!(!means_ci(None));
}

pub struct Progress {
    bar: ProgressBar,
    verbose: bool,
    quiet: bool,
}

impl Progress {
    pub fn new(quiet: bool, verbose: bool) -> Self {
        let visible = !quiet && std::io::stderr().is_terminal() && !in_ci();
        let bar = ProgressBar::with_draw_target(
            Some(0),
            if visible {
                ProgressDrawTarget::stderr()
            } else {
                ProgressDrawTarget::hidden()
            },
        );
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix:>9} [{bar:30}] {pos}/{len} {wide_msg}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        Progress {
            bar,
            verbose,
            quiet,
        }
    }

    /// A progress bar that draws nothing (tests, library use).
    pub fn hidden() -> Self {
        Progress {
            bar: ProgressBar::hidden(),
            verbose: false,
            quiet: true,
        }
    }

    /// Starts a stage of `len` steps.
    pub fn stage(&self, prefix: &'static str, len: usize) {
        self.bar.set_prefix(prefix);
        self.bar.set_position(0);
        self.bar.set_length(len as u64);
    }

    pub fn step(&self, message: &str) {
        self.bar.set_message(message.to_string());
        self.bar.inc(1);
    }

    /// A line printed only with `--verbose`.
    pub fn verbose(&self, line: impl AsRef<str>) {
        if self.verbose {
            self.log(line);
        }
    }

    /// A status line printed unless `--quiet`.
    pub fn log(&self, line: impl AsRef<str>) {
        if !self.quiet || self.verbose {
            self.bar.suspend(|| eprintln!("{}", line.as_ref()));
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
