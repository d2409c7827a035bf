//! # healthcat-web
//!
//! The HTTP face of healthcat. [`app`] builds the axum `Router` over a [`healthcat_store::Store`];
//! the binary binds it, tests drive it with `oneshot` without opening a socket.
//!
//! For now it serves `GET /healthz`, a plain list of the records (`GET /`, paged with `?page=N`),
//! each record's Turtle (`GET /records/{id}`) and `POST /api/validate` (SHACL validation of the
//! posted RDF against a validation profile; JSON report, or Turtle with `Accept: text/turtle`). The themed pages, DCAT endpoints,
//! SPARQL and JSON API grow here in later issues. Everything rendered is HTML-escaped; the store is
//! only read, through `spawn_blocking` because Oxigraph is synchronous.
#![warn(missing_docs)]

mod html;
mod routes;
mod search;
mod validate;

pub use routes::{AppState, Validators, app};
