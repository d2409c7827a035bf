//! Who is logged in to the pages: the session cookie and the live session it names (see the
//! editor's login pages for how one is opened).

use super::AppState;
use axum::http::{HeaderMap, header};
use healthcat_auth::Session;

pub(crate) const SESSION: &str = "hc_session";

/// The value of cookie `name`.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The live session of the request, if any.
pub(crate) fn current(state: &AppState, headers: &HeaderMap) -> Option<Session> {
    state.auth.0.session(cookie(headers, SESSION)?)
}
