//! The harvest pages, for administrators and for anyone wondering where records come from:
//! `/harvest` lists the sources with their last run, `/harvest/{id}` a source's recent runs and
//! one run's report (the last, or `?run=`). Each is JSON at `/api/harvest…`. What a source file
//! says about credentials (`[http] headers`, `api_key_env`) is never shown.

use crate::routes::{AppState, Internal};
use crate::site::pages::{Req, not_found_for};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use healthcat_harvest::config::Kind;
use healthcat_harvest::{SourceConfig, StateDir};
use serde_json::{Value, json};
use std::path::PathBuf;

/// The configured sources and where their reports are.
#[derive(Debug, Default)]
pub struct HarvestSources {
    /// The sources, in file order.
    pub sources: Vec<SourceConfig>,
    /// The catalogue's data folder (reports in `harvest/{id}/`).
    pub data_dir: PathBuf,
}

impl HarvestSources {
    fn state(&self, id: &str) -> StateDir {
        StateDir::new(&self.data_dir, id)
    }

    fn find(&self, id: &str) -> Option<&SourceConfig> {
        self.sources.iter().find(|s| s.id == id)
    }
}

/// A source as the public may see it, with the summary of its last run.
fn summary(sources: &HarvestSources, s: &SourceConfig) -> Value {
    let last = sources.state(&s.id).last().map(|r| {
        json!({
            "status": r["status"],
            "started": r["started"],
            "finished": r["finished"],
            "duration_seconds": r["duration_seconds"],
            "pages": r["pages"],
            "new": r["new"],
            "updated": r["updated"],
            "unchanged": r["unchanged"],
            "withdrawn": r["withdrawn"],
            "invalid": r["invalid"].as_array().map_or(0, Vec::len),
            "errors": r["errors"],
            "guard": r["guard"],
        })
    });
    json!({
        "id": s.id,
        "title": s.title,
        "url": s.url,
        "kind": match s.kind { Kind::Dcat => "dcat", Kind::Fdp => "fdp", Kind::Sparql => "sparql" },
        "schedule": s.schedule,
        "profile": s.profile,
        "last": last,
    })
}

/// `GET /api/harvest`
pub(crate) async fn list_json(State(state): State<AppState>) -> Response {
    let h = &state.harvest;
    Json(json!({
        "sources": h.sources.iter().map(|s| summary(h, s)).collect::<Vec<_>>()
    }))
    .into_response()
}

/// `GET /harvest`
pub(crate) async fn list_page(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let req = Req::new(&state, uri, &headers);
    let h = &state.harvest;
    let sources: Vec<Value> = h.sources.iter().map(|s| summary(h, s)).collect();
    req.page(
        &state,
        StatusCode::OK,
        "harvest.html",
        "harvest",
        json!({ "sources": sources }),
    )
}

/// The detail of source `id`: its summary, its kept runs and one report.
fn detail(state: &AppState, id: &str, run: Option<&str>) -> Option<Value> {
    let h = &state.harvest;
    let source = h.find(id)?;
    let dir = h.state(id);
    let report = match run {
        Some(name) => Some(dir.run(name)?),
        None => dir.last(),
    };
    Some(json!({
        "source": summary(h, source),
        "runs": dir.run_names(),
        "report": report,
    }))
}

/// `GET /api/harvest/{id}` (`?run=run-….json` for an older report)
pub(crate) async fn source_json(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
) -> Response {
    let run = run_param(&uri);
    match detail(&state, &id, run.as_deref()) {
        Some(v) => Json(v).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": format!("no harvest source {id:?} (or no such run)") })),
        )
            .into_response(),
    }
}

/// `GET /harvest/{id}`
pub(crate) async fn source_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Internal> {
    let run = run_param(&uri);
    let req = Req::new(&state, uri, &headers);
    match detail(&state, &id, run.as_deref()) {
        Some(v) => req.page(&state, StatusCode::OK, "harvest_source.html", "harvest", v),
        None => not_found_for(&state, &req),
    }
}

fn run_param(uri: &Uri) -> Option<String> {
    crate::site::query_pairs(uri)
        .into_iter()
        .find(|(k, _)| k == "run")
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::tests::{get, state};
    use std::sync::Arc;

    fn source(id: &str, title: &str) -> SourceConfig {
        toml::from_str(&format!(
            "id = \"{id}\"\ntitle = \"{title}\"\nurl = \"https://{id}.example/catalog.ttl\"\nschedule = \"6h\"\n\
             [http]\napi_key_env = \"SECRET_KEY_VAR\"\nheaders = {{ Authorization = \"Bearer s3cret\" }}"
        ))
        .unwrap()
    }

    #[tokio::test]
    async fn sources_show_their_last_run_and_never_their_credentials() {
        let dir = tempfile::tempdir().unwrap();
        let report = json!({
            "source": "chu", "url": "https://chu.example/catalog.ttl",
            "started": "2026-12-01T04:00:00Z", "finished": "2026-12-01T04:00:02Z",
            "duration_seconds": 2.04, "status": "guarded", "pages": 3, "not_modified_pages": 0,
            "new": 0, "updated": 1, "unchanged": 7, "withdrawn": 0, "withdrawn_records": [],
            "invalid": [{"record": "https://chu.example/d/9", "page": "p", "violations": 2,
                         "messages": ["dct:title <is missing>"], "stored": false}],
            "errors": [], "guard": "the source listed 8 records where it had 100", "notes": [],
            "elsewhere": {"regional": 3}
        });
        let folder = dir.path().join("harvest/chu");
        std::fs::create_dir_all(&folder).unwrap();
        for name in ["last.json", "run-2026-12-01T04-00-00Z.json"] {
            std::fs::write(folder.join(name), report.to_string()).unwrap();
        }
        let mut st = state();
        st.harvest = Arc::new(HarvestSources {
            sources: vec![
                source("chu", "CHU <Nord>"),
                source("registre", "Registre des cancers"),
            ],
            data_dir: dir.path().to_owned(),
        });
        let app = crate::app(st);

        let list = get(&app, "/harvest?lang=en").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("CHU &lt;Nord&gt;"), "escaped");
        assert!(list.body.contains("guarded: nothing withdrawn"));
        assert!(
            list.body
                .contains("0 new, 1 updated, 7 unchanged, 0 withdrawn, 1 invalid")
        );
        assert!(list.body.contains("Not harvested yet"), "the other source");
        let json = get(&app, "/api/harvest").await;
        let v: Value = serde_json::from_str(&json.body).unwrap();
        assert_eq!(v["sources"][0]["last"]["invalid"], 1);
        assert_eq!(v["sources"][1]["last"], Value::Null);
        for page in [&list.body, &json.body] {
            assert!(!page.contains("s3cret") && !page.contains("SECRET_KEY_VAR"));
        }

        let detail = get(&app, "/harvest/chu?lang=fr").await;
        assert_eq!(detail.status, StatusCode::OK);
        assert!(
            detail.body.contains("dct:title &lt;is missing&gt;"),
            "{}",
            detail.body
        );
        assert!(detail.body.contains("Passages récents"));
        assert!(detail.body.contains("regional : 3"), "{}", detail.body);
        assert!(detail.body.contains("run-2026-12-01T04-00-00Z.json"));
        let older = get(&app, "/api/harvest/chu?run=run-2026-12-01T04-00-00Z.json").await;
        assert_eq!(older.status, StatusCode::OK);
        for bad in [
            "/harvest/nobody",
            "/harvest/chu?run=..%2F..%2Fstate.json",
            "/api/harvest/chu?run=state.json",
        ] {
            assert_eq!(get(&app, bad).await.status, StatusCode::NOT_FOUND, "{bad}");
        }
    }
}
