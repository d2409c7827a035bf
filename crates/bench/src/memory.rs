//! The one way every workload measures memory: the kernel's own counters of the measured process
//! (`/proc/{pid}/status`) — `VmHWM`, the high-water mark of its address space since its `exec`,
//! and `VmRSS`, what it holds now. A child that runs to its end is sampled every 10 ms while it
//! runs ([`run`]; the mark only grows, so the last sample is its peak but for the final 10 ms); a
//! server is read when asked ([`of`]). Not `wait4`'s `ru_maxrss`, which also counts what the
//! harness held when the child was started.

use std::process::{Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A process's memory now, in MB.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Memory {
    /// Resident now (`VmRSS`).
    pub(crate) rss_mb: f64,
    /// The most it was resident (`VmHWM`).
    pub(crate) peak_mb: f64,
}

/// The memory of process `pid`; `None` once it has gone.
pub(crate) fn of(pid: u32) -> Option<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
    };
    Some(Memory {
        rss_mb: field("VmRSS:")?,
        peak_mb: field("VmHWM:")?,
    })
}

/// What running a child to its end cost.
pub(crate) struct Run {
    /// Wall time, start-up included.
    pub(crate) seconds: f64,
    /// Its peak RSS (MB).
    pub(crate) peak_mb: f64,
    /// How it ended.
    pub(crate) status: ExitStatus,
    /// What it wrote on standard error.
    pub(crate) stderr: String,
}

/// Runs `cmd` to its end with its standard output sent to `stdout` (a file, so that a large
/// answer never blocks on a full pipe, or nowhere); standard error is read on a thread.
pub(crate) fn run(cmd: &mut Command, stdout: impl Into<Stdio>) -> std::io::Result<Run> {
    let start = Instant::now();
    let mut child = cmd.stdout(stdout).stderr(Stdio::piped()).spawn()?;
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        let id = child.id();
        std::thread::spawn(move || {
            let mut peak = 0.0f64;
            while !done.load(Ordering::Relaxed) {
                if let Some(m) = of(id) {
                    peak = peak.max(m.peak_mb);
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            peak
        })
    };
    let mut stderr = child.stderr.take();
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = stderr.as_mut() {
            let _ = std::io::Read::read_to_string(e, &mut s);
        }
        s
    });
    let status = child.wait()?;
    let seconds = start.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    Ok(Run {
        seconds,
        peak_mb: sampler.join().unwrap_or(0.0),
        status,
        stderr: errors.join().unwrap_or_default(),
    })
}
