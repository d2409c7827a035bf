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
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HEALTHCAT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
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
