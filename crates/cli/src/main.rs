//! The `healthcat` binary: parses the command line, runs one command, maps the outcome to an exit
//! code (0 success, 1 invalid input or data, 2 usage or I/O error). The work is done by the library
//! crates; this crate only wires them to the terminal.

mod cli;
mod commands;
mod config;

use clap::Parser;
use std::process::ExitCode;

// Searching, indexing and rendering pages allocate many small strings and maps: with glibc's
// malloc, allocation was a fifth of a dataset page's time. mimalloc (meilisearch's choice too)
// does it faster.
//
// But Oxigraph 0.5 hands RocksDB's error messages — strings RocksDB's C API allocates with the C
// library's `strdup` — to `CString::from_raw`, which frees them with Rust's allocator: mimalloc
// freeing a block it never gave out crashed the process (SIGSEGV) on *any* RocksDB error, a store
// in use by another process or a full disk under a backup. So what mimalloc does not own goes back
// to the C library (`mi_is_in_heap_region` is a page-map lookup).
#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

/// mimalloc for Rust's allocations; blocks it does not own are freed by the C library.
struct Allocator;

// SAFETY: every method delegates to mimalloc, except for blocks mimalloc reports it does not own,
// which can only come from the C library's malloc (the one other allocator in the process), and
// go back to it.
unsafe impl std::alloc::GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: the caller's contract is GlobalAlloc's, passed on.
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: as above.
        unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: `ptr` is a live block, mimalloc's or (see above) the C library's.
        unsafe {
            if libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) {
                mimalloc::MiMalloc.dealloc(ptr, layout)
            } else {
                libc::free(ptr.cast())
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as in `dealloc`; a C block grows with the C library and stays its own.
        unsafe {
            if libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) {
                mimalloc::MiMalloc.realloc(ptr, layout, new_size)
            } else {
                libc::realloc(ptr.cast(), new_size).cast()
            }
        }
    }
}

/// An error caused by the user's input (a malformed file, an invalid option value): exit code 1.
/// Anything else that fails is an I/O or internal error: exit code 2.
#[derive(Debug)]
pub struct UserError(pub String);

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

/// RocksDB (C++) allocates with the C library's malloc, not with the global allocator above. glibc
/// gives every thread that allocates its own arena and keeps what is freed there: each blocking
/// thread that read the store kept its own tens of megabytes, and streaming a 100k-dataset
/// catalogue grew the server from 243 to 422 MB. One arena reuses what is freed (measured: peak
/// 255 MB, same dump time); Rust's own allocations are mimalloc's and unaffected.
fn one_malloc_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: called first thing in main, before any other thread exists; mallopt only sets a
    // tuning parameter of the C allocator.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

fn main() -> ExitCode {
    one_malloc_arena();
    let cli = cli::Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_env("HEALTHCAT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // One JSON object per line for a log collector: the request's span (its id, route, method)
    // is in every line written while answering it.
    match std::env::var("HEALTHCAT_LOG_FORMAT").as_deref() {
        Ok("json") => logs.json().with_current_span(true).init(),
        Ok("text") | Err(std::env::VarError::NotPresent) => logs.init(),
        Ok(other) => {
            eprintln!("error: HEALTHCAT_LOG_FORMAT={other:?}: use json or text");
            return ExitCode::from(2);
        }
        Err(std::env::VarError::NotUnicode(_)) => {
            eprintln!("error: HEALTHCAT_LOG_FORMAT is not valid text: use json or text");
            return ExitCode::from(2);
        }
    }
    let result = commands::run(cli);
    match result {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`healthcat export | head`) is not a failure.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err:#}");
            if err.chain().any(|e| e.downcast_ref::<UserError>().is_some()) {
                ExitCode::from(1)
            } else {
                ExitCode::from(2)
            }
        }
    }
}
