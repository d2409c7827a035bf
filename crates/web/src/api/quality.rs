//! `GET /api/datasets/{id}/quality`: a stored dataset's quality — the MQA score (total, out of,
//! band, dimensions, every indicator with its points, status and evidence), the advice (most
//! points first, each with its sentence, the field's label and the editor's address of that
//! field), and the 27 elements of Regulation 2026/2098 — in `?lang=` or the `Accept-Language`
//! language. Public, like the record itself. `GET /api/quality`: the catalogue's datasets summed
//! up from what each write kept (see [`catalogue`]).

use crate::kernel::extract::Params;
use crate::kernel::{AppError, AppState, blocking};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use healthcat_model::LocalId;
use healthcat_quality::aggregate::bar_end;
use healthcat_quality::messages::fill;
use healthcat_quality::{Kept, aggregate};
use healthcat_store::KeptQuality;
use serde_json::{Value, json};

/// `GET /api/datasets/{id}/quality`
pub(crate) async fn quality(
    State(state): State<AppState>,
    Path(id): Path<String>,
    crate::kernel::extract::Visit(visit): crate::kernel::extract::Visit,
    params: Params,
    headers: HeaderMap,
) -> Result<Json<Value>, AppError> {
    let lang = state.site.negotiate(params.get("lang"), &headers).lang;
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
    if out.is_some() {
        state.usage.count(visit, &id, healthcat_usage::Metric::Api);
    }
    out.map(Json).ok_or_else(missing)
}

/// `GET /api/quality[?source=…][&publisher=…][&format=csv]`: the catalogue's datasets summed up
/// from what each write kept — how many in each band, the mean score, the score distribution, the
/// indicators most often open, the 2026/2098 coverage, the EHDS label, the figures kept per day —
/// over every dataset, one source's or one publisher's; `format=csv` (or `Accept: text/csv`)
/// gives one row per dataset instead.
pub(crate) async fn catalogue(
    State(state): State<AppState>,
    params: Params,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let lang = state.site.negotiate(params.get("lang"), &headers).lang;
    let csv = match params.get("format") {
        Some("csv") => true,
        Some("json") => false,
        Some(other) => {
            return Err(AppError::bad_request(format!(
                "format={other:?} is not offered: give format=json (the default) or format=csv"
            )));
        }
        None => {
            crate::kernel::negotiate::pick(&headers, &["application/json", "text/csv"])
                == Some("text/csv")
        }
    };
    let (source, publisher) = (
        params.get("source").map(str::to_owned),
        params.get("publisher").map(str::to_owned),
    );
    let st = state.clone();
    let (rows, trend) = blocking(move || {
        let (s, p) = (source.as_deref(), publisher.as_deref());
        let rows = crate::kernel::quality::rows(&st, s, p)?;
        let trend = crate::kernel::quality::trend(&st, &crate::kernel::quality::scope(s, p))?;
        Ok((rows, trend))
    })
    .await?;
    if csv {
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"quality.csv\"",
                ),
            ],
            to_csv(&rows),
        )
            .into_response());
    }
    let a = aggregate(rows.iter().map(|(_, k)| k));
    let word = |key: String| fill(lang, &key, &[]);
    Ok(Json(json!({
        "lang": lang,
        "datasets": a.datasets,
        "mean_total": (a.mean_total * 10.0).round() / 10.0,
        "mean_out_of": (a.mean_out_of * 10.0).round() / 10.0,
        "bands": a.bands.iter().map(|(b, n)| {
            let k = b.key();
            json!({ "band": k, "label": word(format!("band.{k}")), "datasets": n })
        }).collect::<Vec<_>>(),
        "histogram": a.histogram.iter().map(|(from, n)| {
            json!({ "from": from, "to": bar_end(*from), "datasets": n })
        }).collect::<Vec<_>>(),
        "open": a.open.iter().map(|(m, n)| {
            json!({ "metric": m, "label": word(format!("metric.{m}")), "datasets": n })
        }).collect::<Vec<_>>(),
        "minimum": {
            "complete": a.minimum_complete,
            "present": a.minimum_present,
            "applicable": a.minimum_applicable,
        },
        "trend": trend.iter().map(|(date, v)| {
            let mut v = v.clone();
            v["date"] = json!(date);
            v
        }).collect::<Vec<_>>(),
        "label": {
            "datasets": a.labelled,
            "mean_score": (a.mean_label * 10.0).round() / 10.0,
            "mean_undeclared": (a.mean_undeclared * 10.0).round() / 10.0,
            "stars": a.stars.iter().enumerate().map(|(s, n)| json!({
                "stars": s, "label": fill(lang, "label.stars", &[("stars", &s.to_string())]),
                "datasets": n,
            })).collect::<Vec<_>>(),
        },
    }))
    .into_response())
}

/// One row per dataset: id, IRI, source, publisher, total, out of, band, 2026/2098 elements
/// present and applicable, the open indicators (space-separated).
fn to_csv(rows: &[(KeptQuality, Kept)]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut write = || -> Result<(), csv::Error> {
        w.write_record([
            "id",
            "iri",
            "source",
            "publisher",
            "total",
            "out_of",
            "band",
            "minimum_present",
            "minimum_applicable",
            "open",
            "label_score",
            "label_stars",
        ])?;
        for (r, k) in rows {
            w.write_record([
                r.local_id.as_str(),
                &r.key,
                &r.source,
                r.publisher.as_deref().unwrap_or(""),
                &k.summary.total.to_string(),
                &k.summary.out_of.to_string(),
                k.summary.band.key(),
                &k.summary.present.to_string(),
                &k.summary.applicable.to_string(),
                &k.open_metrics().collect::<Vec<_>>().join(" "),
                &k.label
                    .as_ref()
                    .map_or(String::new(), |l| format!("{:.2}", l.score)),
                &k.label
                    .as_ref()
                    .map_or(String::new(), |l| l.stars.to_string()),
            ])?;
        }
        Ok(())
    };
    // Writing to memory cannot fail.
    let _ = write();
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
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

#[cfg(test)]
mod written {
    //! What is kept on a write is what the API computes, and the top advice, followed through the
    //! write API, raises the score by exactly its points.
    use crate::kernel::testing::{admin_with_one_dataset, call, get};
    use axum::http::StatusCode;
    use serde_json::Value;

    const LICENCE: &str = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0";

    #[tokio::test]
    async fn following_the_top_advice_raises_the_score_by_its_points() {
        // A generated dataset: its distributions carry no licence, so adding one from the EU
        // list (+30) is the top advice.
        let (app, admin, ttl, id, etag, store, _keys) = admin_with_one_dataset().await;
        let quality = |app: axum::Router, id: String| async move {
            let p = get(&app, &format!("/api/datasets/{id}/quality?lang=en")).await;
            assert_eq!(p.status, StatusCode::OK, "{}", p.body);
            serde_json::from_str::<Value>(&p.body).unwrap()
        };
        let before = quality(app.clone(), id.clone()).await;
        // What the write kept is what the API computes now.
        let meta = store
            .record_by_key(before["iri"].as_str().unwrap())
            .unwrap()
            .unwrap();
        let kept = healthcat_quality::Kept::from_json(meta.quality.as_deref().unwrap()).unwrap();
        assert_eq!(
            kept.summary.total,
            before["mqa"]["total"].as_u64().unwrap() as u32
        );
        assert_eq!(
            kept.summary.out_of,
            before["mqa"]["out_of"].as_u64().unwrap() as u32
        );
        assert_eq!(
            kept.advice.len(),
            before["advice"].as_array().unwrap().len()
        );
        let top = &before["advice"][0];
        assert_eq!(top["key"], "advice.licence.missing", "{before:#}");
        assert_eq!(top["points"], 30);
        assert!(
            top["editor"]
                .as_str()
                .unwrap()
                .starts_with(&format!("/edit/datasets/{id}#f"))
        );
        // Follow it, on the distribution the score kept.
        let kept_distribution = before["mqa"]["distribution"].as_str().unwrap();
        // (HealthDCAT-AP R8 wants the licence described as a dct:LicenseDocument.)
        let fixed = format!(
            "{ttl}\n<{}> <http://purl.org/dc/terms/license> <{LICENCE}> .\n\
             <{LICENCE}> a <http://purl.org/dc/terms/LicenseDocument> .\n",
            kept_distribution.trim_matches(['<', '>'])
        );
        let r = call(
            &app,
            "PUT",
            &format!("/api/datasets/{id}"),
            Some(&admin),
            &[("if-match", &etag)],
            &fixed,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let after = quality(app.clone(), id.clone()).await;
        assert_eq!(
            after["mqa"]["total"].as_u64().unwrap(),
            before["mqa"]["total"].as_u64().unwrap() + 30,
            "{after:#}"
        );
        // The page reads the kept numbers, which moved with it.
        let page = get(&app, &format!("/datasets/{id}?lang=en")).await;
        let total = after["mqa"]["total"].as_u64().unwrap();
        assert!(
            page.body.contains(&format!("{total} points out of")),
            "{}",
            page.body
        );
    }
}

#[cfg(test)]
mod label {
    //! The Article 78 label: its metrics in the API with their levels and worth; a declaration
    //! written through the write API raises it by exactly the worth the API gave.
    use crate::kernel::testing::{admin_with_one_dataset, call, get};
    use axum::http::StatusCode;
    use serde_json::Value;

    fn metric<'a>(q: &'a Value, key: &str) -> &'a Value {
        q["label"]["categories"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["dimensions"].as_array().unwrap())
            .flat_map(|d| d["metrics"].as_array().unwrap())
            .find(|m| m["metric"] == key)
            .unwrap()
    }

    #[tokio::test]
    async fn a_declaration_raises_the_label_by_its_worth() {
        let (app, admin, ttl, id, etag, _, _keys) = admin_with_one_dataset().await;
        let quality = |lang: &'static str| {
            let (app, id) = (app.clone(), id.clone());
            async move {
                let p = get(&app, &format!("/api/datasets/{id}/quality?lang={lang}")).await;
                assert_eq!(p.status, StatusCode::OK, "{}", p.body);
                serde_json::from_str::<Value>(&p.body).unwrap()
            }
        };
        let before = quality("en").await;
        // The health layer: the generated dataset is valid HealthDCAT-AP, so it gives every
        // mandatory property of its access level; what it lacks of the recommended ones is named.
        let health = &before["health"];
        assert_eq!(health["profile"], "healthdcat-ap-r8", "{health:#}");
        assert_eq!(
            health["mandatory"]["given"], health["mandatory"]["of"],
            "{health:#}"
        );
        assert!(health["mandatory"]["of"].as_u64().unwrap() >= 10);
        let rec = &health["recommended"];
        assert_eq!(
            rec["of"].as_u64().unwrap() - rec["given"].as_u64().unwrap(),
            rec["missing"].as_array().unwrap().len() as u64
        );
        assert!(health["level_label"].is_string());
        let label = &before["label"];
        assert_eq!(label["max"], 100, "{label:#}");
        assert_eq!(label["categories"].as_array().unwrap().len(), 4);
        let time = metric(&before, "access-time").clone();
        assert_eq!(
            (
                time["by"].as_str(),
                time["level"].as_u64(),
                time["max"].as_u64()
            ),
            (Some("not_declared"), None, Some(3)),
            "{time:#}"
        );
        assert_eq!(time["levels"][3], "Less than 1 month");
        assert_eq!(time["iri"], "urn:healthcat:quantum:access-time");
        let worth = time["worth"].as_f64().unwrap();
        // In French, the level's words and how it was set.
        let fr = quality("fr").await;
        assert_eq!(metric(&fr, "access-time")["levels"][3], "Moins d'un mois");
        assert_eq!(
            metric(&fr, "access-time")["by_label"],
            "Non déclaré (compte 0)"
        );

        // Its publisher has declared no maturity yet.
        let maturity = &before["label"]["maturity"];
        assert_eq!(
            (maturity["score"].as_u64(), maturity["out_of"].as_u64()),
            (Some(0), Some(50))
        );
        let publisher = maturity["publisher"].as_str().unwrap().to_owned();
        // The data holder declares "less than a month", with its evidence, and two of its
        // maturity levels.
        let iri = before["iri"].as_str().unwrap();
        let declared = format!(
            "{ttl}\n<{publisher}> <http://www.w3.org/ns/dqv#hasQualityMeasurement> \
               [ <http://www.w3.org/ns/dqv#isMeasurementOf> <urn:healthcat:quantum:maturity-governance> ; \
                 <http://www.w3.org/ns/dqv#value> 3 ], \
               [ <http://www.w3.org/ns/dqv#isMeasurementOf> <urn:healthcat:quantum:maturity-access> ; \
                 <http://www.w3.org/ns/dqv#value> 4 ] .\n\
             <{iri}> <http://www.w3.org/ns/dqv#hasQualityMeasurement> [\n\
               <http://www.w3.org/ns/dqv#isMeasurementOf> <urn:healthcat:quantum:access-time> ;\n\
               <http://www.w3.org/ns/dqv#value> 3 ;\n\
               <http://www.w3.org/2000/01/rdf-schema#comment> \"Median 21 days in 2025\" ;\n\
               <http://www.w3.org/2000/01/rdf-schema#seeAlso> <https://chu.example/access-report> ] .\n"
        );
        let r = call(
            &app,
            "PUT",
            &format!("/api/datasets/{id}"),
            Some(&admin),
            &[("if-match", &etag)],
            &declared,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let after = quality("en").await;
        let time = metric(&after, "access-time");
        assert_eq!(
            (
                time["by"].as_str(),
                time["level"].as_u64(),
                time["evidence"].as_str(),
                time["link"].as_str()
            ),
            (
                Some("declared"),
                Some(3),
                Some("Median 21 days in 2025"),
                Some("https://chu.example/access-report")
            )
        );
        let (b, a) = (
            before["label"]["score"].as_f64().unwrap(),
            after["label"]["score"].as_f64().unwrap(),
        );
        assert!((a - b - worth).abs() < 0.006, "{b} + {worth} != {a}");
        assert!(
            (after["label"]["undeclared"].as_f64().unwrap()
                - (before["label"]["undeclared"].as_f64().unwrap() - worth))
                .abs()
                < 0.006
        );
        // The maturity is the publisher's, each dimension with its level in words.
        let maturity = &after["label"]["maturity"];
        assert_eq!(maturity["score"], 7, "{maturity:#}");
        let governance = maturity["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["dimension"] == "governance")
            .unwrap();
        assert_eq!(governance["level"], 3);
        assert_eq!(
            governance["level_label"],
            "Evidence that the plan is implemented"
        );
        // The page shows the label as the write kept it, and the health layer.
        let page = get(&app, &format!("/datasets/{id}?lang=en")).await;
        assert!(
            page.body.contains("declares its maturity (QUANTUM&#39;s model): 7 of 50, 2 of its 10 dimensions declared."),
            "{}",
            page.body
        );
        let (given, of) = (&health["mandatory"]["given"], &health["mandatory"]["of"]);
        assert!(
            page.body.contains(&format!(
                "access level: {given} of {of} mandatory properties given"
            )),
            "{}",
            page.body
        );
        let shown = format!("{a:.1} out of 100 on the EHDS data quality and utility label");
        assert!(page.body.contains(&shown), "{shown}\n{}", page.body);
        assert!(
            page.body
                .contains("<td>Average time from a data access application to the release of the data</td><td>3/3 — Less than 1 month</td><td>Declared by the data holder</td>"),
            "{}",
            page.body
        );
        let page = get(&app, &format!("/datasets/{id}?lang=fr")).await;
        assert!(
            page.body.contains(&format!(
                "{} sur 100 au label",
                format!("{a:.1}").replace('.', ",")
            )),
            "{}",
            page.body
        );
    }
}

#[cfg(test)]
mod catalogue {
    //! `/api/quality` sums up what the writes kept.
    use crate::kernel::testing::{get, get_with, state_assessed};
    use axum::http::StatusCode;
    use serde_json::Value;

    #[tokio::test]
    async fn the_catalogue_s_quality_sums_up_what_each_write_kept() {
        let st = state_assessed();
        let app = crate::app(st);
        let p = get(&app, "/api/quality?lang=en").await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        let q: Value = serde_json::from_str(&p.body).unwrap();
        assert_eq!(q["datasets"], 2, "{q:#}");
        let in_bands: u64 = q["bands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["datasets"].as_u64().unwrap())
            .sum();
        let in_bars: u64 = q["histogram"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["datasets"].as_u64().unwrap())
            .sum();
        assert_eq!((in_bands, in_bars), (2, 2));
        assert_eq!(q["bands"][0]["label"], "Excellent");
        // Neither has a licence: it is open on both, with its name.
        let licence = q["open"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["metric"] == "licenceAvailability")
            .unwrap()
            .clone();
        assert_eq!(
            (licence["datasets"].as_u64(), licence["label"].as_str()),
            (Some(2), Some("Licence"))
        );
        // One row per dataset in CSV, by parameter or by Accept.
        for (uri, accept) in [
            ("/api/quality?format=csv", "*/*"),
            ("/api/quality", "text/csv"),
        ] {
            let p = get_with(&app, uri, &[("accept", accept)]).await;
            assert_eq!(p.status, StatusCode::OK);
            assert!(
                p.headers["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/csv")
            );
            let lines: Vec<&str> = p.body.lines().collect();
            assert_eq!(lines.len(), 3, "{}", p.body);
            assert!(lines[0].starts_with("id,iri,source,publisher,total,out_of,band"));
            assert!(
                p.body
                    .contains("https://ex.org/d/registre,local,https://ex.org/org/inca,"),
                "{}",
                p.body
            );
        }
        // The search has the band as a facet, named in the reader's language, and filters on it.
        let p = get(&app, "/api/search?lang=en").await;
        let search: Value = serde_json::from_str(&p.body).unwrap();
        let bands = search["facets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "quality")
            .unwrap()["values"]
            .clone();
        let sufficient = bands
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["value"] == "sufficient")
            .unwrap()
            .clone();
        assert_eq!(
            (sufficient["count"].as_u64(), sufficient["label"].as_str()),
            (Some(1), Some("Sufficient")),
            "{bands}"
        );
        // Sorted by score: the registry (sufficient) before the other dataset (bad).
        let p = get(&app, "/api/search?sort=quality").await;
        let sorted: Value = serde_json::from_str(&p.body).unwrap();
        assert_eq!(sorted["hits"][0]["id"], "registre", "{sorted}");
        assert_eq!(sorted["hits"][1]["id"], "xss", "{sorted}");
        // The label summed up: both datasets carry it; the stars add up.
        let stars: u64 = q["label"]["stars"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["datasets"].as_u64().unwrap())
            .sum();
        assert_eq!(
            (q["label"]["datasets"].as_u64(), stars),
            (Some(2), 2),
            "{q:#}"
        );
        // The EHDS label: a facet by stars (named in words) and an order, best score first,
        // both from what each write kept.
        let mut scores = Vec::new();
        for id in ["registre", "xss"] {
            let p = get(&app, &format!("/api/datasets/{id}/quality")).await;
            let q: Value = serde_json::from_str(&p.body).unwrap();
            scores.push((
                q["label"]["score"].as_f64().unwrap(),
                q["label"]["stars"].as_u64().unwrap(),
                id,
            ));
        }
        assert_ne!(scores[0].0, scores[1].0, "{scores:?}");
        let p = get(&app, "/api/search?sort=ehds_label&lang=en").await;
        let sorted: Value = serde_json::from_str(&p.body).unwrap();
        scores.sort_by(|a, b| b.0.total_cmp(&a.0));
        assert_eq!(sorted["hits"][0]["id"], scores[0].2, "{sorted}");
        assert_eq!(sorted["hits"][1]["id"], scores[1].2, "{sorted}");
        let stars = sorted["facets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "ehds_label")
            .unwrap()["values"]
            .clone();
        let best = scores[0].1.to_string();
        let value = stars
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["value"] == best.as_str())
            .unwrap();
        assert_eq!(value["label"], format!("{best} of 5 stars"), "{stars}");
        let p = get(&app, "/api/search?quality=sufficient").await;
        let only: Value = serde_json::from_str(&p.body).unwrap();
        assert_eq!(only["total"], 1, "{only}");
        assert_eq!(only["hits"][0]["id"], "registre", "{only}");
        // Filters; a bad format is named.
        let p = get(&app, "/api/quality?source=elsewhere").await;
        assert_eq!(
            serde_json::from_str::<Value>(&p.body).unwrap()["datasets"],
            0
        );
        let p = get(
            &app,
            "/api/quality?publisher=https%3A%2F%2Fex.org%2Forg%2Finca",
        )
        .await;
        assert_eq!(
            serde_json::from_str::<Value>(&p.body).unwrap()["datasets"],
            1
        );
        let p = get(&app, "/api/quality?format=xml").await;
        assert_eq!(p.status, StatusCode::BAD_REQUEST);
        assert!(p.body.contains("format=csv"), "{}", p.body);
    }
}
