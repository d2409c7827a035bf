//! Headers every response carries: a strict Content-Security-Policy (no inline script or style,
//! nothing from elsewhere — the theme's files are served by the binary), no MIME sniffing, no
//! framing, no referrer leaking to other sites.

use axum::http::{HeaderValue, header};
use axum::response::Response;

/// The policy: everything from this origin only; forms post here only; no plugins, no framing.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Adds the headers to a response (a handler's own value wins); used with
/// `axum::middleware::map_response`.
pub async fn add_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
    ] {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    }
    res
}
