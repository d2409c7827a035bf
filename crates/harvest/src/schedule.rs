//! The scheduler inside `serve`: each source with a `schedule` runs on its own timer, at most
//! `concurrency` runs at a time, each within its own limits (`[http] timeout_seconds` per
//! request, `run_timeout_seconds` per run) — a slow or failing source holds one slot for at most
//! its run limit and never delays the others' timers.

use crate::config::SourceConfig;
use crate::report::{StateDir, Status};
use crate::run::{Context, run};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// A source and what its runs work with.
pub struct Scheduled {
    /// The source.
    pub source: SourceConfig,
    /// Its store, index and profile.
    pub ctx: Context,
}

/// Starts one timer task per scheduled source (sources without a schedule are left to
/// `healthcat harvest`) on the current Tokio runtime; returns how many were started.
pub fn spawn(sources: Vec<Scheduled>, data_dir: PathBuf, concurrency: usize) -> usize {
    let slots = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut started = 0;
    for Scheduled { source, ctx } in sources {
        let Some(every) = source.interval() else {
            continue;
        };
        started += 1;
        let slots = slots.clone();
        let state_dir = StateDir::new(&data_dir, &source.id);
        tokio::spawn(async move {
            let mut wait = until_due(&state_dir, every);
            loop {
                tokio::time::sleep(wait).await;
                // The next run is due `every` after this one started, whatever happens to this
                // one's report (a full disk must not turn the timer into a loop on the source).
                let began = std::time::Instant::now();
                let Ok(_slot) = slots.acquire().await else {
                    return;
                };
                let mut state = state_dir.load();
                let report = run(&ctx, &source, &mut state).await;
                if report.status != Status::Failed
                    && let Err(e) = state_dir.save(&state)
                {
                    tracing::error!(source = %source.id, error = %e, "harvest state not saved");
                }
                if let Err(e) = state_dir.keep(&report) {
                    tracing::error!(source = %source.id, error = %e, "harvest report not saved");
                }
                match report.status {
                    Status::Ok => tracing::info!("{}", report.summary()),
                    _ => {
                        tracing::warn!(errors = ?report.errors, guard = ?report.guard, "{}", report.summary())
                    }
                }
                wait = Duration::from_secs(every).saturating_sub(began.elapsed());
            }
        });
    }
    started
}

/// Time left before the source is due: `every` after its last run started (now if it never ran,
/// or if that time has passed — after a restart, an overdue source runs at once).
fn until_due(state_dir: &StateDir, every: u64) -> Duration {
    let last = state_dir
        .last()
        .and_then(|v| v["started"].as_str().map(str::to_owned))
        .and_then(|s| s.parse::<jiff::Timestamp>().ok());
    let Some(last) = last else {
        return Duration::ZERO;
    };
    let elapsed = jiff::Timestamp::now().duration_since(last);
    let every = Duration::from_secs(every);
    match Duration::try_from(elapsed) {
        Ok(e) if e < every => every - e,
        // Already overdue, or a clock that went backwards: run now.
        _ => Duration::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::RunReport;

    #[test]
    fn a_source_is_due_an_interval_after_its_last_start() {
        let dir = tempfile::tempdir().unwrap();
        let state = StateDir::new(dir.path(), "s");
        assert_eq!(until_due(&state, 60), Duration::ZERO, "never ran");
        let src: SourceConfig =
            toml::from_str("id = \"s\"\ntitle = \"s\"\nurl = \"https://x.org/\"").unwrap();
        let mut report = RunReport::start(&src);
        report.finish();
        state.keep(&report).unwrap();
        let left = until_due(&state, 60);
        assert!(
            left > Duration::from_secs(55) && left <= Duration::from_secs(60),
            "{left:?}"
        );
        assert_eq!(until_due(&state, 0), Duration::ZERO);
    }
}
