use std::process::ExitCode;

/// mimalloc instead of glibc's allocator: `check` allocates many small,
/// short-lived values (syntax trees, schema maps, paths) on every thread, and
/// glibc's malloc and free were about a quarter of its CPU samples. Measured
/// with `bench --synthetic 1000` (3 rounds, 2 idle cores, 2026-12-03):
/// `check --no-cache` 2.10 -> 1.70 s wall (4.02 -> 3.29 s CPU), cold
/// `build-all` peak RSS 98 -> 124 MiB (141 MiB while transparent huge pages
/// were allowed, hence `no_thp` and the prctl below).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    disable_transparent_huge_pages();
    let cli = xtask::cli::Cli::parse();
    xtask::commands::run(&cli).into()
}

/// Keeps the kernel from backing the allocator's arenas with 2 MiB pages
/// (on machines where transparent huge pages are `always`), which would raise
/// the peak RSS without making anything faster. Failure changes nothing else.
#[cfg(target_os = "linux")]
fn disable_transparent_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and touches no
    // memory of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn disable_transparent_huge_pages() {}
