//! # healthcat-web
//!
//! The HTTP face of healthcat. [`app`] builds the axum `Router` over a [`healthcat_store::Store`];
//! the binary binds it, tests drive it with `oneshot` without opening a socket.
//!
//! For now (issue 2) it serves `GET /healthz`, a plain list of the records (`GET /`, paged with
//! `?page=N`) and each record's Turtle (`GET /records/{id}`). The themed pages, DCAT endpoints,
//! SPARQL and JSON API grow here in later issues. Everything rendered is HTML-escaped; the store is
//! only read, through `spawn_blocking` because Oxigraph is synchronous.
#![warn(missing_docs)]

mod html;
mod routes;

pub use routes::{AppState, app};
