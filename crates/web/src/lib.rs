//! # healthcat-web
//!
//! The HTTP face of healthcat. [`app`] builds the axum `Router` over a [`healthcat_store::Store`];
//! the binary binds it, tests drive it with `oneshot` without opening a socket.
//!
//! It serves the public site ([`site`]: themed, bilingual pages rendered with minijinja, no
//! JavaScript needed — home, search, dataset pages, catalogues, publishers, the validation form,
//! the API list), each record in four RDF syntaxes (`/datasets/{id}.ttl|.nt|.rdf|.jsonld`),
//! `GET /api/search`, `GET /api/suggest`, `GET /api/openapi.json` and `POST /api/validate` (SHACL
//! validation of the posted RDF against a validation profile; JSON report, or Turtle with
//! `Accept: text/turtle`), the DCAT catalogue (`/catalog`, Hydra-paged, and the streamed
//! `/catalog/all.nt`), a read-only SPARQL 1.1 endpoint (`/sparql`), the harvest sources and their
//! run reports ([`harvest_pages`]: `/harvest`, `/api/harvest`), and the write paths: the Health
//! Data Hub–compatible push API ([`ingest_api`], provider keys), the write, drafts and history API
//! ([`write_api`], API keys), and the editor (`/login`, `/edit…`: password accounts, sessions,
//! CSRF tokens, a form generated from the validation profile), all through `healthcat-ingest`. Everything rendered is HTML-escaped and every response carries a strict
//! Content-Security-Policy; the store is reached through `spawn_blocking` because Oxigraph is
//! synchronous.
#![warn(missing_docs)]

mod dcat;
mod drafts_api;
mod editor;
pub mod harvest_pages;
mod history_api;
pub mod ingest_api;
mod negotiate;
mod routes;
mod search;
mod security;
mod server;
pub mod site;
mod sparql;
mod stream;
mod validate;
pub mod write_api;

pub use harvest_pages::HarvestSources;
pub use ingest_api::Providers;
pub use routes::{AppState, Validators, app};
pub use server::{ServerLimits, serve};
pub use site::Site;
pub use sparql::SparqlSettings;
pub use write_api::Auth;
