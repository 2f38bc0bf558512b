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
    shorten_purge_delay();
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

unsafe extern "C" {
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e` of the
/// mimalloc 3 that libmimalloc-sys 0.1.49 builds), and its default there.
const PURGE_DELAY_OPTION: std::ffi::c_int = 15;
const PURGE_DELAY_DEFAULT_MS: std::ffi::c_long = 1000;

/// Freed memory goes back to the system after 100 ms instead of 1 s: a cold
/// `build-all` at 1,000 repositories peaked at 133-143 MiB with the default,
/// 118-120 MiB with 100 ms (104-111 MiB with 20 ms, which made `check` 3%
/// slower; 100 ms costs it about 1%). Set only when the option still has its
/// default (the `MIMALLOC_PURGE_DELAY` environment variable wins, and another
/// mimalloc with another option at this place is left alone).
fn shorten_purge_delay() {
    // SAFETY: plain integer getters and setters of mimalloc's option table,
    // called before any other thread exists.
    unsafe {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none()
            && mi_option_get(PURGE_DELAY_OPTION) == PURGE_DELAY_DEFAULT_MS
        {
            mi_option_set(PURGE_DELAY_OPTION, 100);
        }
    }
}
