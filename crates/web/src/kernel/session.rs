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

/// Whether the request was addressed to this machine's loopback name (`localhost`, `127.0.0.1`,
/// `[::1]`): cookies are then not marked `Secure` (no TLS on loopback).
pub(crate) fn is_loopback(headers: &HeaderMap) -> bool {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let name = host
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(h, _)| h);
    matches!(name, "localhost" | "127.0.0.1" | "[::1]")
}

/// `next` if it is a path of this site (never another site's address), to go back to.
pub(crate) fn local_path(next: Option<&str>) -> Option<&str> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
}

/// The live session of the request, if any.
pub(crate) fn current(state: &AppState, headers: &HeaderMap) -> Option<Session> {
    state.auth.0.session(cookie(headers, SESSION)?)
}
