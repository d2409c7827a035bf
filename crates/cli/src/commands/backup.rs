//! `healthcat backup`, `restore`, `verify` and `migrate`; and the control socket through which a
//! running `serve` takes a backup for `healthcat backup` (only one process may open the store).
//!
//! The socket is `control.sock` in the data directory, readable by its owner only (as the
//! directory is): whoever can connect could read the store's files anyway. One request per
//! connection, one JSON line each way.

use super::{Ctx, user};
use crate::cli::{BackupArgs, RestoreArgs, VerifyArgs};
use anyhow::{Context, Result};
use healthcat_store::{Manifest, Store};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The control socket's name in the data directory.
const SOCKET: &str = "control.sock";

/// What a backup leaves out of the data directory: the search index (rebuilt from the store at
/// restore) and the control socket.
const LEAVE_OUT: &[&str] = &["search", SOCKET];

/// `healthcat backup DIR`
pub fn backup(ctx: &Ctx, args: BackupArgs) -> Result<ExitCode> {
    let target = std::path::absolute(&args.target)
        .with_context(|| format!("cannot resolve {}", args.target.display()))?;
    let dir = &ctx.config.data_dir;
    let started = std::time::Instant::now();
    let manifest = match ask_server(dir, &target)? {
        Some(Ok(manifest)) => manifest,
        Some(Err((message, true))) => anyhow::bail!("the running server's backup: {message}"),
        Some(Err((message, false))) => {
            return Err(user(format!("the running server's backup: {message}")));
        }
        None => {
            if !healthcat_store::datadir::holds_store(dir) {
                return Err(user(format!(
                    "{} holds no catalogue to back up (give --data-dir)",
                    dir.display()
                )));
            }
            let store = ctx.open_store()?;
            store.backup(dir, &target, LEAVE_OUT).map_err(failed)?
        }
    };
    if !ctx.quiet {
        eprintln!(
            "backed up {} records and {} files to {} in {:.1} s",
            manifest.records,
            manifest.files.len(),
            target.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A failed backup or restore: an I/O error (exit 2) when the storage failed, else the user's
/// (exit 1: a target that exists, a damaged backup…).
fn failed(e: healthcat_store::BackupError) -> anyhow::Error {
    if e.is_io() {
        e.into()
    } else {
        user(e.to_string())
    }
}

/// What the server answered: its manifest, or its message and whether the storage failed.
type Answer = Result<Manifest, (String, bool)>;

/// Asks a `serve` running on `dir` to back up into `target`: `None` when no server listens.
fn ask_server(dir: &Path, target: &Path) -> Result<Option<Answer>> {
    #[cfg(unix)]
    {
        use std::io::{BufRead, Write};
        let path = dir.join(SOCKET);
        let mut stream = match std::os::unix::net::UnixStream::connect(&path) {
            Ok(s) => s,
            // No socket, or one a stopped server left: the store is ours to open.
            Err(_) => return Ok(None),
        };
        let request = serde_json::json!({ "backup": target });
        writeln!(stream, "{request}")
            .with_context(|| format!("cannot write to {}", path.display()))?;
        let mut line = String::new();
        std::io::BufReader::new(stream)
            .read_line(&mut line)
            .with_context(|| format!("no answer from the server on {}", path.display()))?;
        let answer: serde_json::Value = serde_json::from_str(&line)
            .with_context(|| format!("unreadable answer from {}: {line:?}", path.display()))?;
        if let Some(e) = answer.get("error").and_then(|e| e.as_str()) {
            let io = answer["io"].as_bool().unwrap_or(false);
            return Ok(Some(Err((e.to_owned(), io))));
        }
        let manifest = serde_json::from_value(answer["ok"].clone())
            .with_context(|| format!("unreadable answer from {}: {line:?}", path.display()))?;
        Ok(Some(Ok(manifest)))
    }
    #[cfg(not(unix))]
    {
        let _ = (dir, target);
        Ok(None)
    }
}

/// Removes the control socket when `serve` ends.
pub struct Control(PathBuf);

impl Drop for Control {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Listens on the data directory's control socket for `healthcat backup` while `serve` runs
/// (on a thread of its own; a backup takes as long as it takes, and serving goes on). `None`
/// (with a warning) when the socket cannot be made: `healthcat backup` then says the store is in
/// use.
pub fn listen(store: &Store, dir: &Path) -> Option<Control> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join(SOCKET);
        // This process holds the store's lock: a socket there is a stopped server's.
        let _ = std::fs::remove_file(&path);
        let listener = match std::os::unix::net::UnixListener::bind(&path) {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, path = %path.display(), "no control socket: `healthcat backup` cannot run while this server does");
                return None;
            }
        };
        if let Err(e) = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)) {
            tracing::warn!(error = %e, "control socket permissions");
        }
        let (store, dir) = (store.clone(), dir.to_owned());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (store, dir) = (store.clone(), dir.clone());
                std::thread::spawn(move || answer(stream, &store, &dir));
            }
        });
        Some(Control(path))
    }
    #[cfg(not(unix))]
    {
        let _ = (store, dir);
        None
    }
}

#[cfg(unix)]
fn answer(stream: std::os::unix::net::UnixStream, store: &Store, dir: &Path) {
    use std::io::{BufRead, Read, Write};
    let mut line = String::new();
    // One short line; more is not a request of ours.
    if std::io::BufReader::new((&stream).take(64 * 1024))
        .read_line(&mut line)
        .is_err()
    {
        return;
    }
    let request: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
    let reply = match request.get("backup").and_then(|t| t.as_str()) {
        Some(target) if Path::new(target).is_absolute() => {
            let started = std::time::Instant::now();
            match store.backup(dir, Path::new(target), LEAVE_OUT) {
                Ok(m) => {
                    tracing::info!(
                        target,
                        records = m.records,
                        seconds = started.elapsed().as_secs_f64(),
                        "backup taken"
                    );
                    serde_json::json!({ "ok": m })
                }
                Err(e) => {
                    tracing::error!(target, error = %e, "backup failed");
                    serde_json::json!({ "error": e.to_string(), "io": e.is_io() })
                }
            }
        }
        _ => serde_json::json!({ "error": "expected {\"backup\": \"/absolute/path\"}" }),
    };
    let _ = writeln!(&stream, "{reply}");
}

/// `healthcat restore DIR`
pub fn restore(ctx: &Ctx, args: RestoreArgs) -> Result<ExitCode> {
    let dir = &ctx.config.data_dir;
    let started = std::time::Instant::now();
    let manifest = healthcat_store::restore(&args.backup, dir).map_err(failed)?;
    if !ctx.quiet {
        eprintln!(
            "restored {} records and {} files (backup of {}, healthcat {}) into {}",
            manifest.records,
            manifest.files.len(),
            manifest.taken,
            manifest.healthcat,
            dir.display()
        );
    }
    let store = ctx.open_store()?;
    // The index is not in a backup: opening it builds it from the store.
    super::indexing::open(ctx, &store)?;
    let code = report(ctx, &store, false)?;
    if !ctx.quiet {
        eprintln!("done in {:.1} s", started.elapsed().as_secs_f64());
    }
    Ok(code)
}

/// `healthcat verify`
pub fn verify(ctx: &Ctx, args: VerifyArgs) -> Result<ExitCode> {
    let store = ctx.open_store()?;
    report(ctx, &store, args.json)
}

/// Checks the store and the index; prints what is wrong (or that all is well). Exit code 1 when
/// something is.
fn report(ctx: &Ctx, store: &Store, json: bool) -> Result<ExitCode> {
    let bar = super::indexing::progress_bar("verifying");
    let shown = !ctx.quiet && !json;
    let checked =
        store.verify(&mut |done, total| super::indexing::tick(&bar, shown, done, total))?;
    bar.finish_and_clear();
    let index_dir = super::indexing::index_dir(ctx);
    let index = if index_dir.exists() {
        let index = healthcat_search::SearchIndex::open(&index_dir)
            .with_context(|| format!("cannot open the search index in {}", index_dir.display()))?;
        Some(index.disagreement(store)?)
    } else {
        None
    };
    let sound = checked.damaged.is_empty() && index.as_ref().is_some_and(|d| d.is_none());
    if json {
        let out = serde_json::json!({
            "records": checked.records,
            "damaged": checked.damaged.iter().map(|d| serde_json::json!({"id": d.id, "problem": d.problem})).collect::<Vec<_>>(),
            "index": index.as_ref().map(|d| serde_json::json!({
                "stale": d.stale.iter().map(|i| i.as_str()).collect::<Vec<_>>(),
                "gone": d.gone,
            })),
            "sound": sound,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!("{} records read back", checked.records);
        for d in &checked.damaged {
            println!("damaged: {}: {}", d.id, d.problem);
        }
        if !checked.damaged.is_empty() {
            println!(
                "{} damaged record(s): re-import or re-harvest their source, or restore a backup",
                checked.damaged.len()
            );
        }
        match &index {
            None => println!(
                "no search index in {} (run `healthcat reindex`)",
                index_dir.display()
            ),
            Some(d) if d.is_none() => println!("search index agrees with the store"),
            Some(d) => {
                for id in d.stale.iter().take(20) {
                    println!("index behind: {id}");
                }
                for id in d.gone.iter().take(20) {
                    println!("index holds a withdrawn record: {id}");
                }
                println!(
                    "the search index disagrees with the store on {} record(s): run `healthcat reindex` (or restart `serve`, which catches up)",
                    d.stale.len() + d.gone.len()
                );
            }
        }
        if sound {
            println!("verified: the store and its index are sound");
        }
    }
    Ok(if sound {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `healthcat migrate`
pub fn migrate(ctx: &Ctx) -> Result<ExitCode> {
    let dir = &ctx.config.data_dir;
    if !dir.exists() {
        return Err(user(format!("no data directory at {}", dir.display())));
    }
    let done = healthcat_store::datadir::migrate(dir).map_err(|e| user(e.to_string()))?;
    for step in &done.steps {
        println!("{step}");
    }
    if done.steps.is_empty() {
        println!("{} is in format {}: nothing to do", dir.display(), done.to);
    }
    Ok(ExitCode::SUCCESS)
}
