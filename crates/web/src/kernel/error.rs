//! [`AppError`]: the one way a handler says no. Handlers return `Result<_, AppError>` and use
//! `?` on domain errors, which the `From` impls below map to a status once, here.
//!
//! A client error carries its status, what to tell the client and, for the API, extra JSON
//! fields (a validation report); an internal error is logged with its cause and answered with
//! a generic 500. The response is JSON (`{"error": …}`); the site and editor areas wrap their
//! routes in [`crate::kernel::page::themed_errors`], which turns the same error into the themed
//! page in the reader's language, and linked data in [`plain_text_errors`] (what SPARQL clients
//! show) — the handler does not choose.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use healthcat_ingest::IngestError;
use healthcat_ingest::edit::EditError;
use serde_json::{Map, Value};

/// A text of an error page: a message-catalogue key (the site's and editor's own words) or a
/// sentence already written (a domain error's explanation, which quotes the input).
#[derive(Debug, Clone)]
pub enum Text {
    /// A message key, looked up in the reader's language.
    Key(&'static str),
    /// A sentence as it is.
    Said(String),
}

/// Why a request was not served.
#[derive(Debug, Clone)]
pub enum AppError {
    /// The request is refused: the client can act on the message.
    Refused {
        /// The status.
        status: StatusCode,
        /// What to tell the client.
        message: Text,
        /// The error page's heading (a message key); the status's default without one.
        heading: Option<&'static str>,
        /// More JSON fields for the API (e.g. `rejected`: the validation reports).
        extra: Map<String, Value>,
    },
    /// The server failed: logged with its cause, answered with a generic 500.
    Internal(String),
}

impl AppError {
    /// A refusal with `status` and `message`.
    pub fn refused(status: StatusCode, message: impl Into<String>) -> Self {
        Self::Refused {
            status,
            message: Text::Said(message.into()),
            heading: None,
            extra: Map::new(),
        }
    }

    /// A refusal whose heading and message are message-catalogue keys (pages).
    pub fn page(status: StatusCode, heading: &'static str, message: &'static str) -> Self {
        Self::Refused {
            status,
            message: Text::Key(message),
            heading: Some(heading),
            extra: Map::new(),
        }
    }

    /// 404 with the site's own words.
    pub fn not_found() -> Self {
        Self::page(
            StatusCode::NOT_FOUND,
            "not_found_title",
            "not_found_message",
        )
    }

    /// 400 naming what is wrong with the request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::refused(StatusCode::BAD_REQUEST, message)
    }

    /// An internal failure, with its cause for the log.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    /// The same refusal with an error page heading (a message key).
    pub fn with_heading(mut self, key: &'static str) -> Self {
        if let Self::Refused { heading, .. } = &mut self {
            *heading = Some(key);
        }
        self
    }

    /// The same refusal with one more JSON field for the API.
    pub fn with_field(mut self, name: &str, value: Value) -> Self {
        if let Self::Refused { extra, .. } = &mut self {
            extra.insert(name.to_owned(), value);
        }
        self
    }

    /// The status answered.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Refused { status, .. } => *status,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut body = Map::new();
        match &self {
            Self::Refused { message, extra, .. } => {
                let text = match message {
                    Text::Key(k) => (*k).to_owned(),
                    Text::Said(s) => s.clone(),
                };
                body.insert("error".into(), Value::String(text));
                body.extend(extra.clone());
            }
            Self::Internal(cause) => {
                tracing::error!(error = %cause, "request failed");
                body.insert("error".into(), "internal error".into());
            }
        }
        let mut res = (status, Json(Value::Object(body))).into_response();
        // For `themed_errors`: the error itself, to render as a page.
        res.extensions_mut().insert(self);
        res
    }
}

/// Answers an [`AppError`] of the routes it wraps as `text/plain` (the SPARQL protocol's and
/// the linked-data clients' convention), with the same status.
pub(crate) async fn plain_text_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let res = next.run(request).await;
    match res.extensions().get::<AppError>() {
        Some(AppError::Refused {
            status, message, ..
        }) => {
            let text = match message {
                Text::Key(k) => (*k).to_owned(),
                Text::Said(s) => s.clone(),
            };
            (*status, text).into_response()
        }
        Some(AppError::Internal(_)) => {
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
        None => res,
    }
}

impl From<EditError> for AppError {
    fn from(e: EditError) -> Self {
        let e = match e {
            EditError::Ingest(e) => return e.into(),
            e => e,
        };
        let status = match &e {
            EditError::Unreadable(_) => StatusCode::BAD_REQUEST,
            EditError::NoRecords | EditError::NotOnlyThis { .. } | EditError::Invalid { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            EditError::NotFound(_) | EditError::NoRevision { .. } => StatusCode::NOT_FOUND,
            EditError::Elsewhere { .. }
            | EditError::NotYourPublisher { .. }
            | EditError::PublisherOutside { .. } => StatusCode::FORBIDDEN,
            EditError::NeedsIfMatch { .. } => StatusCode::PRECONDITION_REQUIRED,
            EditError::Changed { .. } => StatusCode::PRECONDITION_FAILED,
            EditError::Exists { .. } => StatusCode::CONFLICT,
            EditError::Ingest(_)
            | EditError::Store(_)
            | EditError::Index(_)
            | EditError::Drafts(_) => {
                return Self::internal(e);
            }
        };
        let rejected = match &e {
            EditError::Invalid { rejected, .. } => serde_json::to_value(rejected).ok(),
            _ => None,
        };
        let err = Self::refused(status, e.to_string());
        match rejected {
            Some(r) => err.with_field("rejected", r),
            None => err,
        }
    }
}

impl From<healthcat_dictionary::DictionaryError> for AppError {
    fn from(e: healthcat_dictionary::DictionaryError) -> Self {
        use healthcat_dictionary::DictionaryError as D;
        let status = match &e {
            D::TooLarge { .. } | D::Archive { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            D::Workbook(_) => StatusCode::BAD_REQUEST,
            D::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let problems = match &e {
            D::Invalid { problems, .. } => Some(Value::Array(
                problems
                    .iter()
                    .map(|p| {
                        serde_json::json!({
                            "sheet": p.place.sheet, "row": p.place.row,
                            "column": p.place.column, "message": p.message,
                        })
                    })
                    .collect(),
            )),
            _ => None,
        };
        let err = Self::refused(status, e.to_string());
        match problems {
            Some(p) => err.with_field("problems", p),
            None => err,
        }
    }
}

impl From<healthcat_ingest::push::PushError> for AppError {
    fn from(e: healthcat_ingest::push::PushError) -> Self {
        use healthcat_ingest::push::PushError as P;
        let status = match &e {
            P::Unreadable(_) => StatusCode::BAD_REQUEST,
            P::Unsplittable(_) | P::NoRecords | P::NotDescribed(_) | P::Invalid { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            P::NotHere(_) | P::NotFound(_) => StatusCode::NOT_FOUND,
            P::NotYours { .. } => StatusCode::FORBIDDEN,
            P::Ingest(_) | P::Store(_) | P::Index(_) => {
                return match e {
                    P::Ingest(e) => e.into(),
                    e => Self::internal(e),
                };
            }
        };
        let rejected = match &e {
            P::Invalid { rejected, .. } => serde_json::to_value(rejected).ok(),
            _ => None,
        };
        let err = Self::refused(status, e.to_string());
        match rejected {
            Some(r) => err.with_field("rejected", r),
            None => err,
        }
    }
}

impl From<IngestError> for AppError {
    fn from(e: IngestError) -> Self {
        match &e {
            IngestError::NotYours(_) => Self::refused(StatusCode::FORBIDDEN, e.to_string()),
            IngestError::Split(_) | IngestError::NoRecords { .. } => {
                Self::refused(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
            }
            _ => Self::internal(e),
        }
    }
}

impl From<healthcat_auth::AuthError> for AppError {
    fn from(e: healthcat_auth::AuthError) -> Self {
        if e.is_refusal() {
            Self::refused(StatusCode::UNAUTHORIZED, e.to_string())
        } else {
            // An unreadable key or account file: the server's fault, never a bad key.
            Self::internal(e)
        }
    }
}

impl From<healthcat_search::SearchError> for AppError {
    fn from(e: healthcat_search::SearchError) -> Self {
        match e {
            healthcat_search::SearchError::BadRequest(m) => Self::bad_request(m),
            e => Self::internal(e),
        }
    }
}

impl From<healthcat_publish::PublishError> for AppError {
    fn from(e: healthcat_publish::PublishError) -> Self {
        match e {
            healthcat_publish::PublishError::Search(e) => e.into(),
            e => Self::internal(e),
        }
    }
}

macro_rules! internal_from {
    ($($t:ty),* $(,)?) => {$(
        impl From<$t> for AppError {
            fn from(e: $t) -> Self {
                Self::internal(e)
            }
        }
    )*};
}

impl From<healthcat_store::StoreError> for AppError {
    fn from(e: healthcat_store::StoreError) -> Self {
        use healthcat_store::StoreError::{FeedAhead, FeedGone};
        match &e {
            FeedAhead { head, .. } => {
                let head = *head;
                Self::bad_request(e.to_string()).with_field("head", head.into())
            }
            FeedGone { floor, .. } => {
                let floor = *floor;
                Self::refused(StatusCode::GONE, e.to_string()).with_field("floor", floor.into())
            }
            // A remote store that is down or failing: the reader may try again, and no answer
            // is made up in the meantime.
            _ if e.unavailable().is_some() => {
                tracing::warn!(error = %e, "the store is unavailable");
                Self::page(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable_title",
                    "store_unavailable",
                )
            }
            _ => Self::internal(e),
        }
    }
}

internal_from!(
    healthcat_ingest::drafts::DraftError,
    tokio::task::JoinError,
    std::io::Error,
    minijinja::Error,
);

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    async fn body(e: AppError) -> (StatusCode, Value) {
        let res = e.into_response();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn an_unreadable_key_file_is_a_500_and_a_bad_key_a_401() {
        let disk = healthcat_auth::AuthError::File {
            path: "auth/keys.json".into(),
            message: "expected value".into(),
        };
        let (status, json) = body(disk.into()).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            json["error"], "internal error",
            "no path told to the client"
        );
        let bad = healthcat_auth::AuthError::Refused("this API key is unknown or revoked".into());
        assert_eq!(body(bad.into()).await.0, StatusCode::UNAUTHORIZED);
    }

    #[tokio::test]
    async fn edit_errors_keep_their_status_and_report() {
        let cases = [
            (EditError::NotFound("x".into()), StatusCode::NOT_FOUND),
            (
                EditError::Changed {
                    id: "x".into(),
                    etag: "\"1\"".into(),
                },
                StatusCode::PRECONDITION_FAILED,
            ),
            (
                EditError::Invalid {
                    profile: "p".into(),
                    rejected: vec![],
                    may_force: true,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        ];
        for (e, want) in cases {
            let said = e.to_string();
            let (status, json) = body(e.into()).await;
            assert_eq!(status, want);
            assert_eq!(json["error"], said);
        }
    }
}
