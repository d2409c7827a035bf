//! The change feed over HTTP: `GET /api/changes?after=SEQ&limit=N` — every creation, change
//! and withdrawal of a record of this catalogue, numbered in the order they were committed (see
//! `healthcat_store`'s feed), for the national contact point and any other follower.
//!
//! Each event has its number, kind (`created`, `changed`, `withdrawn`), the record's IRI and
//! local id, the time, the record's content hash and source and, unless `payload=false`, the
//! record as that change left it in Turtle (HealthDCAT-AP, with the shared descriptions it
//! names). `next` is the `after` of the following call; `head` the last number issued. A position
//! this catalogue never issued is a 400; one older than the feed's retention a 410: the reader
//! re-syncs from a full export (`/catalog.nt`) and follows from the `head` read before it.

use crate::kernel::extract::Params;
use crate::kernel::{AppError, AppState, blocking};
use axum::Json;
use axum::extract::State;
use healthcat_store::{Format, MAX_FEED_PAGE};
use serde_json::{Value, json};

/// Events answered when the reader does not say.
const DEFAULT_LIMIT: usize = 100;

/// `GET /api/changes`
pub(crate) async fn changes(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Value>, AppError> {
    let after = number(&params, "after", 0)?;
    let limit = number(&params, "limit", DEFAULT_LIMIT as u64)?;
    if limit == 0 || limit > MAX_FEED_PAGE as u64 {
        return Err(AppError::bad_request(format!(
            "limit={limit}: ask for 1 to {MAX_FEED_PAGE} events"
        )));
    }
    let payload = match params.get("payload") {
        None | Some("true") => true,
        Some("false") => false,
        Some(v) => {
            return Err(AppError::bad_request(format!(
                "payload={v:?}: say true (the default) or false"
            )));
        }
    };
    blocking(move || {
        let store = &state.store;
        let head = store.feed_head();
        let events = store.changes(after, limit as usize)?;
        let next = events.last().map_or(after, |e| e.seq);
        let mut out = Vec::with_capacity(events.len());
        let mut shared = healthcat_store::SharedCache::default();
        for e in events {
            let mut v = json!({
                "seq": e.seq,
                "kind": e.kind,
                "record": e.key,
                "id": e.id,
                "time": e.time,
                "hash": e.hash,
                "source": e.source,
            });
            if payload && let Some(graph) = store.event_payload(&e, &mut shared)? {
                let turtle = healthcat_store::write_graph(&graph, Vec::new(), Format::Turtle)?;
                v["mediaType"] = "text/turtle".into();
                v["payload"] = String::from_utf8_lossy(&turtle).into_owned().into();
            }
            out.push(v);
        }
        Ok(Json(json!({
            "after": after,
            "next": next,
            "head": head,
            "floor": store.feed_floor(),
            "events": out,
        })))
    })
    .await
}

/// A whole number parameter, `default` when absent; 400 naming it otherwise.
fn number(params: &Params, name: &str, default: u64) -> Result<u64, AppError> {
    match params.get(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| {
            AppError::bad_request(format!("{name}={v:?} is not a whole number of 0 or more"))
        }),
    }
}
