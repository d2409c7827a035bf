//! The kernel every area stands on: the state ([`AppState`]), the one error type
//! ([`AppError`]), the extractors ([`extract`]), the themed pages ([`Site`], [`page`]), content
//! negotiation, streamed bodies, the security headers, the request metrics and the server loop. The kernel knows no
//! area; areas know the kernel and the domain crates, never one another (the tidy test checks).

pub mod error;
pub mod extract;
pub mod i18n;
pub mod metrics;
pub mod negotiate;
pub(crate) mod page;
pub(crate) mod quality;
pub(crate) mod security;
pub mod server;
pub(crate) mod session;
pub mod site;
pub mod state;
pub(crate) mod stream;
pub mod theme;
pub(crate) mod trusted;
pub(crate) mod urls;

#[cfg(test)]
pub(crate) mod testing;

pub use error::{AppError, Text};
pub use site::Site;
pub use state::{AppState, Auth, SparqlSettings, Validators};

/// Largest RDF document a write, a push or an editor upload may send.
pub const MAX_BODY: usize = 10 << 20;

/// Runs `f` on a blocking thread (the store and the index are synchronous).
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f).await?
}
