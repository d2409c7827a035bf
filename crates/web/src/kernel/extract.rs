//! Extractors: what a handler needs from a request, or the [`AppError`] refusing it — so that a
//! handler's signature says who may call it.

use super::{AppError, AppState, negotiate, session, urls};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use healthcat_auth::{Principal, Role, Session};
use healthcat_store::Format;

const NO_KEY: &str = "send an API key (Authorization: Bearer hc_…); an administrator makes one with `healthcat keys create`";

/// Who sent the request, as far as the usage statistics go (see [`healthcat_usage::Client`]):
/// read from the method, `User-Agent` and prefetch headers, and nothing of it kept.
pub struct Visit(pub healthcat_usage::Client);

impl<S: Send + Sync> FromRequestParts<S> for Visit {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let h = &parts.headers;
        let prefetch = ["sec-purpose", "purpose", "x-purpose", "x-moz"]
            .iter()
            .any(|n| {
                h.get(*n).and_then(|v| v.to_str().ok()).is_some_and(|v| {
                    v.contains("prefetch") || v.contains("prerender") || v.contains("preview")
                })
            });
        let ua = h
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok());
        Ok(Self(healthcat_usage::Client::of(
            parts.method == axum::http::Method::GET,
            ua,
            prefetch,
        )))
    }
}

/// Anyone with a valid API key (readers too).
pub struct Caller(pub Principal);

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match state.auth.0.authenticate(&parts.headers)? {
            Some(p) => Ok(Self(p)),
            None => Err(AppError::refused(StatusCode::UNAUTHORIZED, NO_KEY)),
        }
    }
}

/// A key that may write: an administrator's or an editor's (403 for a reader's).
pub struct Writer(pub Principal);

impl FromRequestParts<AppState> for Writer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Caller(p) = Caller::from_request_parts(parts, state).await?;
        if p.role == Role::Reader {
            return Err(AppError::refused(
                StatusCode::FORBIDDEN,
                format!("the key of {} may read drafts, not write", p.name),
            ));
        }
        Ok(Self(p))
    }
}

/// A push provider (`X-API-Key` of `[[ingest.providers]]`): its id.
pub struct Provider(pub String);

impl FromRequestParts<AppState> for Provider {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        use healthcat_auth::Authenticator;
        match state.providers.authenticate(&parts.headers)? {
            Some(p) => Ok(Self(p.name)),
            None => Err(AppError::refused(
                StatusCode::UNAUTHORIZED,
                "send a provider's key in X-API-Key ([[ingest.providers]] in the configuration)",
            )),
        }
    }
}

/// The logged-in person of a page, or a redirect to the login page that comes back here.
pub struct EditorSession(pub Session);

impl FromRequestParts<AppState> for EditorSession {
    type Rejection = Redirect;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Redirect> {
        session::current(state, &parts.headers)
            .map(Self)
            .ok_or_else(|| login_redirect(parts))
    }
}

/// The decoded query parameters, in order (repeated ones kept).
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `?at=` (a date or an RFC 3339 time): the annual review as it will be then; now without
    /// it; 400 naming it when it is neither.
    pub fn review_time(&self) -> Result<jiff::Timestamp, crate::kernel::AppError> {
        match self.get("at") {
            None => Ok(jiff::Timestamp::now()),
            Some(v) => healthcat_review::parse_time(v).ok_or_else(|| {
                crate::kernel::AppError::bad_request(format!(
                    "at={v:?}: give a date (2027-11-30) or a time (2027-11-30T09:00:00Z)"
                ))
            }),
        }
    }

    /// `?comment=`: why, kept with the revision (blank is none).
    pub fn comment(&self) -> Option<String> {
        self.get("comment")
            .filter(|v| !v.trim().is_empty())
            .map(str::to_owned)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(urls::query_pairs(&parts.uri)))
    }
}

/// An RDF document in the body: its syntax (from `Content-Type`, Turtle without one; 415 for
/// one healthcat does not read) and its bytes. The route's body limit bounds its size.
pub struct RdfBody {
    /// The syntax.
    pub format: Format,
    /// The bytes, unparsed.
    pub bytes: axum::body::Bytes,
}

impl<S: Send + Sync> FromRequest<S> for RdfBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let media =
            negotiate::content_type(req.headers()).unwrap_or_else(|| "text/turtle".to_owned());
        let Some(format) = Format::from_media_type(&media) else {
            return Err(AppError::refused(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "{media} is not an RDF syntax healthcat reads: send text/turtle, application/rdf+xml, application/ld+json or application/n-triples"
                ),
            ));
        };
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| AppError::refused(e.status(), e.body_text()))?;
        Ok(Self { format, bytes })
    }
}

/// The session of a form POST that carries its CSRF token and whose person may write — or the
/// redirect to the login page, or the refusal (403: a missing or wrong token, a reader).
pub(crate) fn writing_session(
    state: &AppState,
    parts: &Parts,
    csrf: Option<&str>,
) -> Result<Session, NoSession> {
    let s = session::current(state, &parts.headers)
        .ok_or_else(|| NoSession::Login(login_redirect(parts)))?;
    if !s.csrf_ok(csrf) {
        return Err(NoSession::Refused(AppError::page(
            StatusCode::FORBIDDEN,
            "edit_csrf_heading",
            "edit_csrf",
        )));
    }
    if s.principal.role == Role::Reader {
        return Err(NoSession::Refused(AppError::page(
            StatusCode::FORBIDDEN,
            "edit_forbidden_heading",
            "edit_reader",
        )));
    }
    Ok(s)
}

/// Why a page that needs a session was not served: nobody is logged in (go and log in), or the
/// request is refused.
pub enum NoSession {
    /// To the login page, coming back here after.
    Login(Redirect),
    /// Refused (a stale form, a reader).
    Refused(AppError),
}

impl IntoResponse for NoSession {
    fn into_response(self) -> Response {
        match self {
            Self::Login(r) => r.into_response(),
            Self::Refused(e) => e.into_response(),
        }
    }
}

fn login_redirect(parts: &Parts) -> Redirect {
    let next = parts.uri.path_and_query().map_or("/edit", |p| p.as_str());
    Redirect::to(&urls::href("/login", &[("next".into(), next.into())]))
}

/// A urlencoded form posted by a logged-in person who may write, with its CSRF token checked
/// (see [`writing_session`]): the session and the form's fields (names repeat).
pub struct CsrfForm {
    /// The session.
    pub session: Session,
    /// The fields, in order.
    pub fields: Vec<(String, String)>,
}

impl CsrfForm {
    /// The first value of field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl FromRequest<AppState> for CsrfForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (parts, body) = req.into_parts();
        let bytes =
            axum::body::Bytes::from_request(Request::from_parts(parts.clone(), body), state)
                .await
                .map_err(IntoResponse::into_response)?;
        let fields: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
        let csrf = fields
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str());
        let session = writing_session(state, &parts, csrf).map_err(IntoResponse::into_response)?;
        Ok(Self { session, fields })
    }
}
