//! The DCAT catalogue endpoint: `/catalog` (content negotiation) and `/catalog.ttl|.rdf|.jsonld|.nt`,
//! paged with Hydra the way harvesters expect (the pages' content is
//! [`healthcat_publish::catalogue`]'s; here: the syntax, the ETag, 304s), and the streamed dump.

use crate::kernel::negotiate::RDF_VIEWS;
use crate::kernel::{AppError, AppState, blocking};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use healthcat_publish::{CatalogueInfo, PageRequest};
use healthcat_store::Format;

/// `GET /catalog.{ext}` for the syntax of `ext`.
pub(crate) async fn by_extension(
    ext: &'static str,
    state: State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let format = RDF_VIEWS.iter().find(|f| f.name() == ext).copied();
    page(state, uri, headers, format).await
}

/// `GET /catalog`: the syntax `Accept` prefers (Turtle when it accepts anything).
pub(crate) async fn negotiated(
    state: State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let offered: Vec<&str> = RDF_VIEWS.iter().map(|f| f.media_type()).collect();
    let format = crate::kernel::negotiate::pick(&headers, &offered)
        .and_then(|mt| RDF_VIEWS.iter().find(|f| f.media_type() == mt))
        .copied();
    if format.is_none() {
        let list: Vec<String> = RDF_VIEWS
            .iter()
            .map(|f| format!("{} (/catalog.{})", f.media_type(), f.name()))
            .collect();
        return Err(AppError::refused(
            StatusCode::NOT_ACCEPTABLE,
            format!("the catalogue is offered as {}", list.join(", ")),
        ));
    }
    let mut res = page(state, uri, headers, format).await?;
    res.headers_mut()
        .insert(header::VARY, header::HeaderValue::from_static("Accept"));
    Ok(res)
}

async fn page(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    format: Option<Format>,
) -> Result<Response, AppError> {
    let Some(format) = format else {
        return Err(AppError::refused(
            StatusCode::NOT_ACCEPTABLE,
            "unknown syntax",
        ));
    };
    let req = PageRequest::from_params(crate::kernel::urls::query_pairs(&uri))
        .map_err(AppError::bad_request)?;
    let base = crate::kernel::negotiate::base_url(&headers);
    let path = uri.path().to_owned();
    let st = state.clone();
    let out = blocking(move || {
        let about = CatalogueInfo {
            title: st.site.title.clone(),
            description: st.site.description.clone(),
            publisher: st.site.publisher.clone(),
            label: st.quality.label_spec_shared(),
            trusted: st.trusted.iris(),
        };
        let triples = healthcat_publish::page(&st.store, &st.search, &about, &base, &path, &req)?;
        match triples {
            None => Ok(None),
            Some(t) => Ok(Some(healthcat_store::write_triples(
                &t,
                Vec::new(),
                format,
            )?)),
        }
    })
    .await?;
    let Some(bytes) = out else {
        return Err(AppError::refused(
            StatusCode::NOT_FOUND,
            "there is no such page: it is past the last one",
        ));
    };
    // The page's own hash: a harvester asking again with If-None-Match gets 304 when nothing on
    // the page changed (records, shared resources, paging), and skips parsing it.
    let etag = {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(&bytes);
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        format!("\"{hex}\"")
    };
    // No Last-Modified for a page: only If-None-Match counts.
    Ok(
        if crate::kernel::negotiate::not_modified(&headers, &etag, "") {
            (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response()
        } else {
            (
                [
                    (
                        header::CONTENT_TYPE,
                        format!("{}; charset=utf-8", format.media_type()),
                    ),
                    (header::ETAG, etag),
                ],
                bytes,
            )
                .into_response()
        },
    )
}

/// `GET /catalog/all.nt`: every stored unit as N-Triples in one streamed response, for harvesters
/// that want one file.
pub(crate) async fn dump(State(state): State<AppState>) -> Response {
    let (mut w, pending) = crate::kernel::stream::channel(64 << 10);
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || match store.export(&mut w, Format::NTriples) {
        Ok(_) => {
            // A client gone before the end is not an error of ours.
            let _ = w.finish();
        }
        Err(e) => {
            tracing::error!(error = %e, "catalogue dump failed");
            w.fail(StatusCode::INTERNAL_SERVER_ERROR, "internal error".into());
        }
    });
    pending
        .response("application/n-triples; charset=utf-8")
        .await
}

#[cfg(test)]
mod tests;
