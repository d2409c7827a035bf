//! `GET /api/datasets/{id}/quality`: a stored dataset's quality — the MQA score (total, out of,
//! band, dimensions, every indicator with its points, status and evidence), the advice (most
//! points first, each with its sentence, the field's label and the editor's address of that
//! field), and the 27 elements of Regulation 2026/2098 — in `?lang=` or the `Accept-Language`
//! language. Public, like the record itself.

use crate::kernel::urls::query_pairs;
use crate::kernel::{AppError, AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use healthcat_model::LocalId;
use serde_json::{Value, json};

/// `GET /api/datasets/{id}/quality`
pub(crate) async fn quality(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Json<Value>, AppError> {
    let asked = query_pairs(&uri)
        .into_iter()
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v);
    let lang = state.site.negotiate(asked.as_deref(), &headers).lang;
    let missing = || AppError::refused(StatusCode::NOT_FOUND, format!("no dataset {id}"));
    let local = LocalId::new(id.clone()).map_err(|_| missing())?;
    let st = state.clone();
    let out = blocking(move || {
        let Some(record) = st.store.get(&local)? else {
            return Ok(None);
        };
        let Some(a) = crate::kernel::quality::assess(&st, &record)? else {
            return Ok(None);
        };
        let mut v = crate::kernel::quality::view(&st, &a, local.as_str(), lang);
        v["id"] = json!(local.as_str());
        v["iri"] = json!(record.meta.key);
        Ok(Some(v))
    })
    .await?;
    out.map(Json).ok_or_else(missing)
}

#[cfg(test)]
mod tests {
    use crate::app;
    use crate::kernel::testing::*;
    use axum::http::StatusCode;
    use serde_json::Value;

    async fn json(uri: &str, headers: &[(&str, &str)]) -> (StatusCode, Value) {
        let p = get_with(&app(state()), uri, headers).await;
        (
            p.status,
            serde_json::from_str(&p.body).unwrap_or(Value::Null),
        )
    }

    #[tokio::test]
    async fn a_dataset_s_quality_adds_up_with_its_advice_in_the_reader_s_language() {
        let (status, q) = json("/api/datasets/registre/quality?lang=en", &[]).await;
        assert_eq!(status, StatusCode::OK, "{q}");
        assert_eq!(q["iri"], "https://ex.org/d/registre");
        let mqa = &q["mqa"];
        let total = mqa["total"].as_u64().unwrap();
        let out_of = mqa["out_of"].as_u64().unwrap();
        // The access URL is not checked: its 50 points are left out, never counted as 0.
        assert_eq!(out_of, 405 - 50, "{mqa:#}");
        let url = mqa["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["metric"] == "accessUrlStatusCode")
            .unwrap();
        assert_eq!(
            (url["status"].as_str(), url["status_label"].as_str()),
            (Some("not_checked"), Some("not checked"))
        );
        assert_eq!(url["evidence"], "https://ex.org/access");
        // What the advice promises is exactly what is open: total + advice = out of, but for the
        // download URL's answer, which earns points only once a link checker finds it answering.
        let advice = q["advice"].as_array().unwrap();
        let promised: u64 = advice.iter().map(|a| a["points"].as_u64().unwrap()).sum();
        assert_eq!(total + promised + 30, out_of, "{q:#}");
        let points: Vec<u64> = advice
            .iter()
            .map(|a| a["points"].as_u64().unwrap())
            .collect();
        assert!(
            points.windows(2).all(|w| w[0] >= w[1]),
            "most points first: {points:?}"
        );
        let licence = advice
            .iter()
            .find(|a| a["key"] == "advice.licence.missing")
            .unwrap();
        assert_eq!(licence["points"], 30);
        assert_eq!(licence["field"], "Licence");
        assert!(
            licence["sentence"].as_str().unwrap().contains("+30 points"),
            "{licence}"
        );
        // Distribution-level advice opens the editor at the distributions.
        assert!(
            licence["editor"]
                .as_str()
                .unwrap()
                .starts_with("/edit/datasets/registre#f"),
            "{licence}"
        );
        let spatial = advice
            .iter()
            .find(|a| a["key"] == "advice.spatial.missing")
            .unwrap();
        assert_eq!(spatial["points"], 20);
        assert_ne!(spatial["editor"], licence["editor"], "its own field");
        // The 27 elements: the non-public registry lacks its HDAB, has its title.
        let elements = q["minimum"]["elements"].as_array().unwrap();
        assert_eq!(elements.len(), 27);
        let el = |k: &str| elements.iter().find(|e| e["key"] == k).unwrap().clone();
        assert_eq!(el("title")["presence"], "present");
        assert_eq!(el("hdab")["presence"], "absent");
        assert_eq!(el("hdab")["name"], "Health data access body");
        let present = elements
            .iter()
            .filter(|e| e["presence"] == "present")
            .count();
        assert_eq!(q["minimum"]["present"], present);
    }

    #[tokio::test]
    async fn french_by_accept_language_not_applicable_with_why_and_clear_404s() {
        let (status, q) = json(
            "/api/datasets/xss/quality",
            &[("accept-language", "fr-FR,fr;q=0.9")],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(q["lang"], "fr");
        let hdab = q["minimum"]["elements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["key"] == "hdab")
            .unwrap()
            .clone();
        assert_eq!(hdab["presence"], "not_applicable");
        assert_eq!(hdab["presence_label"], "sans objet");
        assert!(
            hdab["reason"].as_str().unwrap().contains("publiques"),
            "{hdab}"
        );
        assert!(
            q["advice"][0]["sentence"]
                .as_str()
                .unwrap()
                .contains("points"),
            "{q:#}"
        );
        for uri in ["/api/datasets/nope/quality", "/api/datasets/%20/quality"] {
            let (status, body) = json(uri, &[]).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
            assert!(
                body["error"].as_str().unwrap().contains("no dataset"),
                "{body}"
            );
        }
    }
}
