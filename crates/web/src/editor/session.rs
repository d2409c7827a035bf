//! Logging in and out of the editor, and who is logged in.
//!
//! The session cookie (`hc_session`) is `HttpOnly` (no script reads it), `SameSite=Strict` (no
//! other site's page sends it) and `Secure` (HTTPS only) unless the request came to a loopback
//! address, where browsers allow cookies over plain HTTP for development. Every form of a session
//! carries its CSRF token and every POST checks it; the login form, before any session, carries a
//! token that must match a cookie of its own (double submit).
//!
//! With an identity provider configured (`[auth.oidc]`), the login page also offers to sign in
//! there: `/login/sso` sends the browser to the provider with the sign-in's `state` in a cookie
//! of its own (`hc_oidc`: `SameSite=Lax`, as it must come back on the provider's redirect, and
//! scoped to `/login`); the provider sends it back to `/login/oidc`, where `healthcat-auth` checks
//! everything and opens the session. That answer is a page that moves on by itself rather than a
//! redirect: a `SameSite=Strict` session cookie set at the end of a navigation another site
//! started is not sent on the redirect that follows it, and the person would land logged out.

use crate::kernel::page::Req;
use crate::kernel::session::{SESSION, cookie, current};
use crate::kernel::{AppError, AppState};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

const LOGIN: &str = "hc_login";
const SIGN_ON: &str = "hc_oidc";

/// Adds a `Set-Cookie` for cookie `name` to `res` (an empty value with `Some(0)` removes it).
fn add_cookie(
    res: &mut Response,
    headers: &HeaderMap,
    name: &str,
    value: &str,
    max_age: Option<u64>,
) {
    if let Ok(v) = HeaderValue::from_str(&set_cookie(headers, name, value, max_age)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

fn set_cookie(headers: &HeaderMap, name: &str, value: &str, max_age: Option<u64>) -> String {
    let mut c = if name == SIGN_ON {
        format!("{name}={value}; Path=/login; HttpOnly; SameSite=Lax")
    } else {
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict")
    };
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
    let auth = &state.auth.0;
    let sso = auth.single_sign_on().map(|s| {
        json!({
            "label": s.label(),
            "href": crate::kernel::urls::href("/login/sso", &[("next".into(), next.to_owned())]),
        })
    });
    let ctx = json!({
        "name": name, "next": next, "error": error, "token": token,
        "sso": sso, "local": auth.local_accounts(),
    });
    let mut res = req.private_page(state, status, "login.html", "edit", ctx)?;
    add_cookie(&mut res, headers, LOGIN, &token, Some(3600));
    Ok(res)
}

/// `GET /login`
pub(crate) async fn login_form(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let next = next_path(param(&req, "next"));
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
            add_cookie(&mut res, &headers, SESSION, &token, None);
            add_cookie(&mut res, &headers, LOGIN, "", Some(0));
            Ok(res)
        }
        Err(e) if !e.is_refusal() => Err(e.into()),
        Err(e) => {
            let e = e.to_string();
            let msg = if !state.auth.0.local_accounts() {
                req.t(&state, "login_local_off")
            } else if e.contains("too many") {
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

/// The login page telling why a sign-in through the identity provider failed (details in the
/// server's log and the audit log, not on the page).
fn sign_on_failed(
    state: &AppState,
    req: &Req,
    headers: &HeaderMap,
    next: &str,
    e: healthcat_auth::AuthError,
) -> Result<Response, AppError> {
    use healthcat_auth::{AuthError, SignOnFailure};
    let AuthError::SignOn { failure, detail } = e else {
        return Err(e.into());
    };
    tracing::warn!(%detail, "sign-in through the identity provider failed");
    let status = match failure {
        SignOnFailure::Unreachable => StatusCode::BAD_GATEWAY,
        SignOnFailure::Refused => StatusCode::UNAUTHORIZED,
        SignOnFailure::NoRole | SignOnFailure::Denied => StatusCode::FORBIDDEN,
        SignOnFailure::Expired => StatusCode::BAD_REQUEST,
    };
    let key = match failure {
        SignOnFailure::Unreachable => "login_sso_unreachable",
        SignOnFailure::Refused => "login_sso_refused",
        SignOnFailure::NoRole => "login_sso_no_role",
        SignOnFailure::Expired => "login_sso_expired",
        SignOnFailure::Denied => "login_sso_denied",
    };
    let msg = req.t(state, key);
    let mut res = login_page(state, req, headers, status, "", next, Some(msg))?;
    add_cookie(&mut res, headers, SIGN_ON, "", Some(0));
    Ok(res)
}

/// `GET /login/sso?next=…`: to the identity provider.
pub(crate) async fn sign_on(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let next = next_path(param(&req, "next"));
    let auth = state.auth.0.clone();
    let Some(sso) = auth.single_sign_on() else {
        return Err(AppError::not_found());
    };
    match sso.begin(&next).await {
        Ok(departure) => {
            let mut res = Redirect::to(&departure.url).into_response();
            let ttl = healthcat_auth::PENDING_TTL.as_secs();
            add_cookie(&mut res, &headers, SIGN_ON, &departure.state, Some(ttl));
            Ok(res)
        }
        Err(e) => sign_on_failed(&state, &req, &headers, &next, e),
    }
}

/// `GET /login/oidc?state=…&code=…` (or `&error=…`): back from the identity provider.
pub(crate) async fn signed_on(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let req = Req::new(&state, uri, &headers);
    let auth = state.auth.0.clone();
    let Some(sso) = auth.single_sign_on() else {
        return Err(AppError::not_found());
    };
    let sent = |k| param(&req, k).unwrap_or("");
    let result = if let Some(error) = param(&req, "error") {
        let description = sent("error_description");
        Err(sso.abandon(sent("state"), &format!("{error} ({description})")))
    } else {
        sso.finish(sent("state"), sent("code"), cookie(&headers, SIGN_ON))
            .await
    };
    let (token, session, next) = match result {
        Ok(done) => done,
        Err(e) => return sign_on_failed(&state, &req, &headers, "/edit", e),
    };
    let next = next_path(Some(&next));
    let heading = req
        .t(&state, "login_sso_done")
        .replace("{name}", &session.principal.name);
    let ctx = json!({ "next": next, "heading": heading });
    let mut res = req.private_page(&state, StatusCode::OK, "continue.html", "edit", ctx)?;
    add_cookie(&mut res, &headers, SESSION, &token, None);
    add_cookie(&mut res, &headers, SIGN_ON, "", Some(0));
    Ok(res)
}

fn param<'a>(req: &'a Req, name: &str) -> Option<&'a str> {
    req.params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `POST /logout` (form: `csrf`)
///
/// Someone signed in through the identity provider goes on to its end-session page, through a
/// page that moves on by itself (the pages' `form-action 'self'` forbids a form's redirect to
/// another site).
pub(crate) async fn log_out(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = posted(&body);
    let mut provider = None;
    if let (Some(token), Some(s)) = (cookie(&headers, SESSION), current(&state, &headers)) {
        let sent = form
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str());
        if !s.csrf_ok(sent) {
            return Err(AppError::page(
                StatusCode::FORBIDDEN,
                "edit_csrf_heading",
                "edit_csrf",
            ));
        }
        state.auth.0.audit(&s.principal, "logout");
        provider = state
            .auth
            .0
            .single_sign_on()
            .and_then(|sso| sso.logout_url(token));
        state.auth.0.log_out(token);
    }
    let mut res = match provider {
        Some(next) => {
            let req = Req::new(&state, uri, &headers);
            let ctx = json!({ "next": next, "heading": req.t(&state, "login_sso_signed_out") });
            req.private_page(&state, StatusCode::OK, "continue.html", "edit", ctx)?
        }
        None => Redirect::to("/").into_response(),
    };
    add_cookie(&mut res, &headers, SESSION, "", Some(0));
    Ok(res)
}

/// A urlencoded body's pairs.
fn posted(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}
