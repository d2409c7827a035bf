//! One module per subcommand; [`run`] dispatches.

mod backup;
mod demo;
mod export;
mod harvest;
mod import;
pub mod indexing;
mod keys;
mod quality;
mod remove;
mod review;
mod search;
mod serve;
mod sheet;
mod stats;
mod usage;
mod users;
pub mod validate;

use crate::UserError;
use crate::cli::{Cli, Command};
use crate::config::Config;
use anyhow::{Context, Result};
use healthcat_store::Store;
use std::process::ExitCode;

/// Settings every command shares.
pub struct Ctx {
    pub config: Config,
    pub quiet: bool,
    /// Language of messages (`fr` or `en`).
    pub lang: String,
    /// The link checker's answers, which every assessment of this process reads.
    pub links: healthcat_harvest::links::SharedResults,
}

impl Ctx {
    /// Opens (creating if needed) the store in the configured data directory.
    pub fn open_store(&self) -> Result<Store> {
        let dir = &self.config.data_dir;
        // A new data directory is its owner's alone (700): it holds the store, the key and
        // password hashes and the drafts. An existing one keeps the mode its operator gave it.
        if !dir.exists() {
            healthcat_auth::private_dir(dir)
                .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
        }
        // A wrong address is the user's (exit 1); a server that does not answer is an I/O
        // failure (exit 2), and its message names the address.
        if let Some(remote) = self.config.store.remote().map_err(user)? {
            return Ok(Store::remote(remote)?);
        }
        match Store::open(dir) {
            Ok(store) => Ok(store),
            Err(healthcat_store::StoreError::Format(f)) => Err(user(f.to_string())),
            Err(e) => Err(anyhow::Error::from(e).context(format!(
                "cannot open the store in {} (is another healthcat process using it?)",
                dir.display()
            ))),
        }
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let mut config = Config::load(cli.config.as_deref())?;
    if let Some(dir) = cli.data_dir {
        config.data_dir = dir;
    }
    if let Some(url) = cli.store_url {
        config.store.url = Some(url);
    }
    // Nothing is read from or written to a data directory in a format this build does not know
    // (its accounts and harvest state no more than its store); `migrate` is how it changes.
    if !matches!(cli.command, Command::Migrate | Command::Restore(_)) {
        healthcat_store::datadir::ensure_readable(&config.data_dir)
            .map_err(|e| user(e.to_string()))?;
    }
    // Every write assesses quality: with the configured label framework, when there is one, and
    // the link checker's answers (those it kept, and those of this process's checks).
    let links = healthcat_harvest::links::LinkResults::load(
        &healthcat_harvest::links::LinkResults::path(&config.data_dir),
    )
    .map_err(|e| user(e.to_string()))?;
    let ctx = Ctx {
        config,
        quiet: cli.quiet,
        lang: cli.lang,
        links: healthcat_harvest::links::SharedResults::new(links),
    };
    healthcat_ingest::configure_assessor(std::sync::Arc::new(assessor(&ctx)?));
    match cli.command {
        Command::Import(args) => import::run(&ctx, args),
        Command::Export(args) => export::run(&ctx, args),
        Command::DemoData(args) => demo::run(&ctx, args),
        Command::Serve(args) => serve::run(&ctx, args),
        Command::Stats(args) => stats::run(&ctx, args),
        Command::Quality(args) => quality::run(&ctx, args),
        Command::Harvest(args) => harvest::run(&ctx, args),
        Command::Validate(args) => validate::run(&ctx, args),
        Command::Reindex => search::reindex(&ctx),
        Command::Remove(args) => remove::run(&ctx, args),
        Command::Keys(args) => keys::run(&ctx, args),
        Command::Users(args) => users::run(&ctx, args),
        Command::Search(args) => search::run(&ctx, args),
        Command::Review(args) => review::run(&ctx, args),
        Command::UsageReport(args) => usage::report(&ctx, args),
        Command::Backup(args) => backup::backup(&ctx, args),
        Command::Restore(args) => backup::restore(&ctx, args),
        Command::Verify(args) => backup::verify(&ctx, args),
        Command::Migrate => backup::migrate(&ctx),
    }
}

/// The assessor of this instance: the configured label framework (else the bundled one) and the
/// link checker's answers.
fn assessor(ctx: &Ctx) -> Result<healthcat_quality::Assessor> {
    let mut assessor = healthcat_quality::Assessor::bundled()?;
    if let Some(path) = &ctx.config.quality.label {
        let text = std::fs::read_to_string(path).map_err(|e| {
            user(format!(
                "[quality] label: cannot read {}: {e}",
                path.display()
            ))
        })?;
        let spec = healthcat_quality::LabelSpec::parse(&text, &path.display().to_string())
            .map_err(|e| user(format!("[quality] label: {e}")))?;
        assessor = assessor.with_label(spec);
    }
    Ok(assessor.with_links(ctx.links.answers()))
}

/// Writes `path` through `write` into a file beside it, renamed over `path` once written: a
/// failed write never leaves half a file.
pub fn write_atomically<T>(
    path: &std::path::Path,
    write: impl FnOnce(&mut tempfile::NamedTempFile) -> Result<T>,
) -> Result<T> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    let out = write(&mut tmp)?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(out)
}

/// Wraps a user-caused failure so that `main` exits with 1.
pub fn user(msg: impl Into<String>) -> anyhow::Error {
    UserError(msg.into()).into()
}
