//! A dataset for researchers' tools: its citation (`/datasets/{id}/cite.bib`, `cite.ris`,
//! `datacite.xml`) and its Croissant JSON-LD (`/datasets/{id}/croissant.jsonld`); the dataset page
//! embeds the same citation and a schema.org `Dataset` ([`Researcher::of`]). The content is
//! `healthcat_publish`'s (`cite`, `croissant`); this module finds the record and answers.

use crate::kernel::negotiate::base_url;
use crate::kernel::page::Req;
use crate::kernel::{AppError, AppState, blocking};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};
use healthcat_model::{DatasetView, Dictionary, LocalId};
use healthcat_publish::cite::Citation;
use healthcat_publish::croissant::{self, Described};
use healthcat_store::StoredRecord;

/// What the researchers' views of one record are built from.
pub(super) struct Researcher {
    pub view: DatasetView,
    pub dictionary: Dictionary,
    pub citation: Citation,
    pub page: String,
}

impl Researcher {
    /// Reads `record` for a reader of `lang`; `base` is the catalogue's address.
    pub(super) fn of(state: &AppState, record: &StoredRecord, base: &str, lang: &str) -> Self {
        let root = record.meta.root.as_ref();
        let view = root
            .map(|r| DatasetView::new(&record.graph, r.as_ref()))
            .unwrap_or_default();
        let dictionary = root
            .map(|r| Dictionary::new(&record.graph, r.as_ref()))
            .unwrap_or_default();
        let id = record
            .meta
            .local_id
            .clone()
            .unwrap_or_else(|| LocalId::new("record".to_owned()).expect("a valid id"));
        let page = format!("{base}/datasets/{}", id.as_str());
        let publisher = publisher_name(state, &view, &record.meta.source, lang);
        let citation = Citation::new(&view, publisher, &page, &id, lang);
        Researcher {
            view,
            dictionary,
            citation,
            page,
        }
    }

    pub(super) fn described(&self) -> Described<'_> {
        Described {
            view: &self.view,
            dictionary: &self.dictionary,
            citation: &self.citation,
            page: &self.page,
        }
    }

    /// The schema.org JSON-LD for a page's `<script>`: `<`, `>` and `&` written as JSON escapes,
    /// so no text of the record can close the element.
    pub(super) fn script(&self) -> String {
        let json = croissant::schema_org(&self.described()).to_string();
        json.replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
    }
}

/// The publisher's name in the reader's language (see [`agent_name`]), else its IRI.
pub(super) fn publisher_name(
    state: &AppState,
    view: &DatasetView,
    source: &str,
    lang: &str,
) -> Option<String> {
    let p = view.publisher.as_ref()?;
    agent_name(state, p, source, lang).or_else(|| p.iri.clone())
}

/// An agent's name in the reader's language: as the record gives it, else as the catalogue knows
/// it from the record's own source.
pub(super) fn agent_name(
    state: &AppState,
    a: &healthcat_model::AgentView,
    source: &str,
    lang: &str,
) -> Option<String> {
    super::dataset::text(&a.name, lang)
        .map(|(_, n)| n)
        .or_else(|| {
            let iri = a.iri.as_deref()?;
            let names = state.store.names_of(iri, source).ok()?;
            names
                .iter()
                .find(|(l, _)| l == lang)
                .or(names.first())
                .map(|(_, n)| n.clone())
        })
}

/// The views offered: (path suffix, media type).
const VIEWS: [(&str, &str); 4] = [
    ("croissant.jsonld", "application/ld+json"),
    ("cite.bib", "application/x-bibtex"),
    ("cite.ris", "application/x-research-info-systems"),
    ("datacite.xml", "application/xml"),
];

/// `GET /datasets/{id}/{view}`: `croissant.jsonld`, `cite.bib`, `cite.ris`, `datacite.xml`.
pub(crate) async fn view(
    State(state): State<AppState>,
    Path((id, name)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Some((_, media_type)) = VIEWS.iter().find(|(n, _)| *n == name) else {
        return Err(AppError::not_found());
    };
    let req = Req::new(&state, uri, &headers);
    let id = LocalId::new(id).map_err(|_| AppError::not_found())?;
    let (st, lang, base) = (state.clone(), req.lang, base_url(&headers));
    let body = blocking(move || {
        let Some(record) = st.store.get(&id)? else {
            return Ok(None);
        };
        let r = Researcher::of(&st, &record, &base, lang);
        Ok(Some(match name.as_str() {
            "croissant.jsonld" => {
                serde_json::to_string_pretty(&croissant::croissant(&r.described()))
                    .unwrap_or_default()
            }
            "cite.bib" => r.citation.bibtex(),
            "cite.ris" => r.citation.ris(),
            _ => r.citation.datacite(),
        }))
    })
    .await?;
    let Some(body) = body else {
        return Err(AppError::not_found());
    };
    Ok((
        [
            (header::CONTENT_TYPE, format!("{media_type}; charset=utf-8")),
            (header::VARY, "Accept-Language, Cookie".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// `GET /templates/dictionary.xlsx` and `/templates/dictionary.csv`: the data dictionary
/// template a steward fills (one row per variable; see `healthcat_dictionary`).
pub(crate) async fn template(Path(file): Path<String>) -> Result<Response, AppError> {
    let (bytes, media_type) = match file.as_str() {
        "dictionary.csv" => (
            healthcat_dictionary::template::csv(),
            "text/csv; charset=utf-8",
        ),
        "dictionary.xlsx" => (
            healthcat_dictionary::template::xlsx().map_err(AppError::internal)?,
            healthcat_dictionary::XLSX_MEDIA_TYPE,
        ),
        _ => return Err(AppError::not_found()),
    };
    Ok((
        [
            (header::CONTENT_TYPE, media_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
