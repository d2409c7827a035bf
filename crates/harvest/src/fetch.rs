//! HTTP for the harvester: only the source's own host, with its time, size and redirect limits,
//! and conditional requests.

use crate::config::Http;
use futures_util::StreamExt;
use healthcat_store::Format;
use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

/// Why a page could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The server answered with an error status.
    #[error("{url}: HTTP {status}")]
    Status {
        /// The page.
        url: String,
        /// The status.
        status: u16,
    },
    /// The body is over the limit.
    #[error("{url}: the response is larger than the {limit}-byte limit ([http] max_bytes)")]
    TooLarge {
        /// The page.
        url: String,
        /// The limit.
        limit: u64,
    },
    /// No answer, a timeout, too many redirects, a redirect off the host…
    #[error("{url}: {message}")]
    Transport {
        /// The page.
        url: String,
        /// What happened.
        message: String,
    },
    /// The configuration cannot make a client.
    #[error("{0}")]
    Setup(String),
}

/// A fetched page.
pub enum Fetched {
    /// New content.
    Page {
        /// The body.
        body: Vec<u8>,
        /// Its syntax (configured, else from `Content-Type`, else from the address).
        format: Option<Format>,
        /// For the next conditional request.
        etag: Option<String>,
        /// For the next conditional request.
        last_modified: Option<String>,
    },
    /// 304: as last time.
    NotModified,
}

/// A client bound to one source's limits.
pub struct Fetcher {
    client: reqwest::Client,
    max_bytes: u64,
    format: Option<Format>,
}

impl Fetcher {
    /// A client for `http`, staying on `origin`'s host.
    pub fn new(http: &Http, origin: &Url, format: Option<Format>) -> Result<Self, FetchError> {
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static(
                "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.9, \
                 application/n-triples;q=0.8, application/trig;q=0.7, application/n-quads;q=0.7, \
                 */*;q=0.1",
            ),
        );
        for (k, v) in &http.headers {
            let name = HeaderName::from_bytes(k.as_bytes())
                .map_err(|e| FetchError::Setup(format!("header {k:?}: {e}")))?;
            let value = HeaderValue::from_str(v)
                .map_err(|e| FetchError::Setup(format!("header {k:?}: {e}")))?;
            headers.insert(name, value);
        }
        if let Some(var) = &http.api_key_env {
            let key = std::env::var(var).map_err(|_| {
                FetchError::Setup(format!(
                    "[http] api_key_env names {var}, which is not set in the environment"
                ))
            })?;
            let mut value = HeaderValue::from_str(&key)
                .map_err(|e| FetchError::Setup(format!("the key in {var}: {e}")))?;
            value.set_sensitive(true);
            headers.insert(HeaderName::from_static("x-api-key"), value);
        }
        let host = origin.host_str().unwrap_or_default().to_owned();
        let port = origin.port_or_known_default();
        let max_redirects = http.max_redirects;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > max_redirects {
                attempt.error(format!(
                    "more than {max_redirects} redirects ([http] max_redirects)"
                ))
            } else if attempt.url().host_str() != Some(host.as_str())
                || attempt.url().port_or_known_default() != port
            {
                let to = attempt.url().to_string();
                attempt.error(format!(
                    "redirected to {to}, off the source's host: configure that address if it is right"
                ))
            } else {
                attempt.follow()
            }
        });
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .redirect(policy)
            .timeout(std::time::Duration::from_secs(http.timeout_seconds))
            .user_agent(concat!(
                "healthcat/",
                env!("CARGO_PKG_VERSION"),
                " (harvester)"
            ))
            .build()
            .map_err(|e| FetchError::Setup(e.to_string()))?;
        Ok(Self {
            client,
            max_bytes: http.max_bytes,
            format,
        })
    }

    /// GETs `url`, conditionally when `etag` or `last_modified` are known.
    pub async fn get(
        &self,
        url: &Url,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<Fetched, FetchError> {
        let transport = |e: reqwest::Error| FetchError::Transport {
            url: url.to_string(),
            message: describe(&e),
        };
        let mut req = self.client.get(url.clone());
        if let Some(e) = etag {
            req = req.header(reqwest::header::IF_NONE_MATCH, e);
        }
        if let Some(m) = last_modified {
            req = req.header(reqwest::header::IF_MODIFIED_SINCE, m);
        }
        let res = req.send().await.map_err(transport)?;
        if res.status() == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        self.read(url, res).await
    }

    /// POSTs a form (a SPARQL query) to `url`, asking for `accept`.
    pub async fn post_form(
        &self,
        url: &Url,
        form: &[(&str, &str)],
        accept: &'static str,
    ) -> Result<Fetched, FetchError> {
        let res = self
            .client
            .post(url.clone())
            .header(reqwest::header::ACCEPT, accept)
            .form(form)
            .send()
            .await
            .map_err(|e| FetchError::Transport {
                url: url.to_string(),
                message: describe(&e),
            })?;
        self.read(url, res).await
    }

    /// Reads a response within the size limit.
    async fn read(&self, url: &Url, res: reqwest::Response) -> Result<Fetched, FetchError> {
        let transport = |e: reqwest::Error| FetchError::Transport {
            url: url.to_string(),
            message: describe(&e),
        };
        let status = res.status();
        if !status.is_success() {
            return Err(FetchError::Status {
                url: url.to_string(),
                status: status.as_u16(),
            });
        }
        let header = |name| {
            res.headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let etag = header(reqwest::header::ETAG);
        let last_modified = header(reqwest::header::LAST_MODIFIED);
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let too_large = || FetchError::TooLarge {
            url: url.to_string(),
            limit: self.max_bytes,
        };
        if res.content_length().is_some_and(|n| n > self.max_bytes) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        let mut stream = res.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(transport)?;
            if body.len() as u64 + chunk.len() as u64 > self.max_bytes {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        let format = self.format.or_else(|| {
            content_type
                .as_deref()
                .and_then(|ct| Format::from_media_type(ct.split(';').next().unwrap_or("").trim()))
                .or_else(|| Format::from_path(std::path::Path::new(url.path())))
        });
        Ok(Fetched::Page {
            body,
            format,
            etag,
            last_modified,
        })
    }
}

/// reqwest's error with its causes, which say what actually went wrong.
fn describe(e: &reqwest::Error) -> String {
    describe_as(e, "timed out ([http] timeout_seconds)")
}

/// The same, saying `timeout` for a request that took too long.
pub(crate) fn describe_as(e: &reqwest::Error, timeout: &str) -> String {
    let mut out = if e.is_timeout() {
        timeout.to_owned()
    } else {
        e.to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
