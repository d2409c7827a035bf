//! The harvest pages, for administrators and for anyone wondering where records come from:
//! `/harvest` lists the sources with their last run, `/harvest/{id}` a source's recent runs and
//! one run's report (the last, or `?run=`). The same is JSON at `/api/harvest…`. What a source
//! file says about credentials (`[http] headers`, `api_key_env`) is never shown.

use crate::kernel::page::Req;
use crate::kernel::{AppError, AppState};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::json;

/// `GET /harvest`
pub(crate) async fn list_page(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let sources = state.harvest.summaries();
    req.page(
        &state,
        StatusCode::OK,
        "harvest.html",
        "harvest",
        json!({ "sources": sources }),
    )
}

/// `GET /harvest/{id}`
pub(crate) async fn source_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let run = req
        .params
        .iter()
        .find(|(k, _)| k == "run")
        .map(|(_, v)| v.clone());
    let detail = state
        .harvest
        .detail(&id, run.as_deref())
        .ok_or_else(AppError::not_found)?;
    req.page(
        &state,
        StatusCode::OK,
        "harvest_source.html",
        "harvest",
        detail,
    )
}

#[cfg(test)]
mod tests {
    use crate::kernel::testing::{get, state};
    use axum::http::StatusCode;
    use healthcat_harvest::{HarvestSources, SourceConfig};
    use serde_json::{Value, json};
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
