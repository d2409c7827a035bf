//! Query strings: read and written, encoded.

use axum::http::Uri;

/// `uri`'s path and query with `key` set to `value` (other parameters kept, in order).
pub(crate) fn with_param(uri: &Uri, key: &str, value: &str) -> String {
    let pairs: Vec<(String, String)> = query_pairs(uri)
        .into_iter()
        .filter(|(k, _)| k != key)
        .chain([(key.to_owned(), value.to_owned())])
        .collect();
    href(uri.path(), &pairs)
}

/// The query parameters of `uri`, decoded.
pub(crate) fn query_pairs(uri: &Uri) -> Vec<(String, String)> {
    form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// `path?k=v&…`, encoded.
pub(crate) fn href(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return path.to_owned();
    }
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    format!("{path}?{}", q.finish())
}
