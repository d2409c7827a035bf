//! Logging in and out of the editor, and who is logged in.
//!
//! The session cookie (`hc_session`) is `HttpOnly` (no script reads it), `SameSite=Strict` (no
//! other site's page sends it) and `Secure` (HTTPS only) unless the request came to a loopback
//! address, where browsers allow cookies over plain HTTP for development. Every form of a session
//! carries its CSRF token and every POST checks it; the login form, before any session, carries a
//! token that must match a cookie of its own (double submit).

use crate::kernel::page::Req;
use crate::kernel::session::{SESSION, cookie, current};
use crate::kernel::{AppError, AppState};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

const LOGIN: &str = "hc_login";

fn set_cookie(headers: &HeaderMap, name: &str, value: &str, max_age: Option<u64>) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if !crate::kernel::session::is_loopback(headers) {
        c.push_str("; Secure");
    }
    c
}

/// A same-site path to go back to after login (never another site).
fn next_path(next: Option<&str>) -> String {
    crate::kernel::session::local_path(next)
        .unwrap_or("/edit")
        .to_owned()
}

/// A fresh login-form token; an error when the system gives no randomness (a guessable token
/// would be worse than no login page).
fn random_hex() -> Result<String, AppError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)
        .map_err(|e| AppError::internal(format!("no randomness from the system: {e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

fn login_page(
    state: &AppState,
    req: &Req,
    headers: &HeaderMap,
    status: StatusCode,
    name: &str,
    next: &str,
    error: Option<String>,
) -> Result<Response, AppError> {
    let token = random_hex()?;
    let ctx = json!({ "name": name, "next": next, "error": error, "token": token });
    let mut res = req.private_page(state, status, "login.html", "edit", ctx)?;
    if let Ok(v) = HeaderValue::from_str(&set_cookie(headers, LOGIN, &token, Some(3600))) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

/// `GET /login`
pub(crate) async fn login_form(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let next = next_path(
        req.params
            .iter()
            .find(|(k, _)| k == "next")
            .map(|(_, v)| v.as_str()),
    );
    login_page(&state, &req, &headers, StatusCode::OK, "", &next, None)
}

/// `POST /login` (form: `name`, `password`, `token`, `next`)
pub(crate) async fn log_in(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let form = posted(&body);
    let get = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let next = next_path(Some(get("next")));
    let name = get("name").trim().to_owned();
    if cookie(&headers, LOGIN).is_none_or(|c| c.is_empty() || c != get("token")) {
        let msg = req.t(&state, "login_expired");
        return login_page(
            &state,
            &req,
            &headers,
            StatusCode::FORBIDDEN,
            &name,
            &next,
            Some(msg),
        );
    }
    let auth = state.auth.0.clone();
    let password = get("password").to_owned();
    let who = name.clone();
    // argon2 is deliberately slow: off the async threads.
    let result = tokio::task::spawn_blocking(move || auth.log_in(&who, &password)).await?;
    match result {
        Ok((token, _)) => {
            let mut res = Redirect::to(&next).into_response();
            let h = res.headers_mut();
            for c in [
                set_cookie(&headers, SESSION, &token, None),
                set_cookie(&headers, LOGIN, "", Some(0)),
            ] {
                if let Ok(v) = HeaderValue::from_str(&c) {
                    h.append(header::SET_COOKIE, v);
                }
            }
            Ok(res)
        }
        Err(e) if !e.is_refusal() => Err(e.into()),
        Err(e) => {
            let e = e.to_string();
            let msg = if e.contains("too many") {
                req.t(&state, "login_locked")
            } else if e.contains("no accounts") {
                req.t(&state, "login_no_accounts")
            } else {
                req.t(&state, "login_refused")
            };
            login_page(
                &state,
                &req,
                &headers,
                StatusCode::UNAUTHORIZED,
                &name,
                &next,
                Some(msg),
            )
        }
    }
}

/// `POST /logout` (form: `csrf`)
pub(crate) async fn log_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = posted(&body);
    if let (Some(token), Some(s)) = (cookie(&headers, SESSION), current(&state, &headers)) {
        let sent = form
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str());
        if !s.csrf_ok(sent) {
            return AppError::page(StatusCode::FORBIDDEN, "edit_csrf_heading", "edit_csrf")
                .into_response();
        }
        state.auth.0.audit(&s.principal, "logout");
        state.auth.0.log_out(token);
    }
    let mut res = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&set_cookie(&headers, SESSION, "", Some(0))) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// A urlencoded body's pairs.
fn posted(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}
