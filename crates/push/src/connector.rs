//! How changes reach the parent.

use futures_util::StreamExt;
use std::future::Future;
use std::time::Duration;

/// Why a change did not reach the parent.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SendError {
    /// The parent refused this change (4xx): sending it again as it is will not help.
    #[error("refused by the parent (HTTP {status}): {message}")]
    Refused {
        /// The status.
        status: u16,
        /// What the parent said.
        message: String,
    },
    /// The parent could not be reached or failed (network, timeout, 5xx): try again later.
    #[error("the parent is unavailable: {0}")]
    Unavailable(String),
}

/// A way to send changes to a parent catalogue.
pub trait Connector: Send + Sync {
    /// Sends a new record (`key`: its IRI; `turtle`: its description); returns the parent's id
    /// for it.
    fn create(
        &self,
        key: &str,
        turtle: Vec<u8>,
    ) -> impl Future<Output = Result<String, SendError>> + Send;
    /// Sends a new version of a record the parent has.
    fn replace(
        &self,
        key: &str,
        turtle: Vec<u8>,
    ) -> impl Future<Output = Result<(), SendError>> + Send;
    /// Withdraws a record, by the parent's id; an id the parent no longer knows is not an error.
    fn delete(&self, remote_id: &str) -> impl Future<Output = Result<(), SendError>> + Send;
}

/// Largest answer read from the parent (its ids and error reports are small).
const MAX_ANSWER: usize = 1 << 20;

/// The Health Data Hub's ingest API (also served by healthcat, `/ingest/datasets`).
pub struct HdhConnector {
    client: reqwest::Client,
    base: String,
    key: String,
}

impl HdhConnector {
    /// A connector to the parent at `base` (`https://national.example`), with its API key and a
    /// time limit per request. Redirects are not followed: a parent that moved is configured anew.
    pub fn new(base: &str, key: String, timeout: Duration) -> Result<Self, SendError> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .user_agent(concat!("healthcat/", env!("CARGO_PKG_VERSION"), " (push)"))
            .build()
            .map_err(|e| SendError::Unavailable(e.to_string()))?;
        Ok(Self {
            client,
            base: base.trim_end_matches('/').to_owned(),
            key,
        })
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<(u16, String), SendError> {
        let res = req
            .header("X-API-Key", &self.key)
            .send()
            .await
            .map_err(|e| SendError::Unavailable(chain(&e)))?;
        let status = res.status().as_u16();
        let mut body = Vec::new();
        let mut stream = res.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| SendError::Unavailable(chain(&e)))?;
            let room = MAX_ANSWER.saturating_sub(body.len()).min(chunk.len());
            body.extend_from_slice(&chunk[..room]);
        }
        let text = String::from_utf8_lossy(&body).into_owned();
        match status {
            200..=299 => Ok((status, text)),
            // Wrong key, or a record of another provider: no retry will fix it, but neither is it
            // this record's fault — reported, and retried after the administrator acts.
            400..=499 => Err(SendError::Refused {
                status,
                message: message(&text),
            }),
            _ => Err(SendError::Unavailable(format!(
                "HTTP {status}: {}",
                message(&text)
            ))),
        }
    }
}

/// The `error` of a JSON problem, else the text (shortened).
fn message(text: &str) -> String {
    let v: Option<serde_json::Value> = serde_json::from_str(text).ok();
    let mut m = v
        .as_ref()
        .and_then(|v| v["error"].as_str().map(str::to_owned))
        .unwrap_or_else(|| text.to_owned());
    if let Some(rejected) = v.as_ref().and_then(|v| v["rejected"].as_array()) {
        for r in rejected {
            for msg in r["messages"].as_array().into_iter().flatten().take(3) {
                m.push_str("; ");
                m.push_str(msg.as_str().unwrap_or_default());
            }
        }
    }
    m.chars().take(2000).collect()
}

fn chain(e: &reqwest::Error) -> String {
    let mut out = if e.is_timeout() {
        "timed out".to_owned()
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

impl Connector for HdhConnector {
    async fn create(&self, _key: &str, turtle: Vec<u8>) -> Result<String, SendError> {
        let (_, text) = self
            .send(
                self.client
                    .post(format!("{}/ingest/datasets", self.base))
                    .header("Content-Type", "text/turtle")
                    .body(turtle),
            )
            .await?;
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
            SendError::Unavailable(format!("the parent's answer has no id: {}", message(&text)))
        })?;
        v["id"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| SendError::Unavailable(format!("the parent's answer has no id: {text}")))
    }

    async fn replace(&self, key: &str, turtle: Vec<u8>) -> Result<(), SendError> {
        self.send(
            self.client
                .put(format!("{}/ingest/datasets/origin", self.base))
                .query(&[("originalId", key)])
                .header("Content-Type", "text/turtle")
                .body(turtle),
        )
        .await
        .map(|_| ())
    }

    async fn delete(&self, remote_id: &str) -> Result<(), SendError> {
        let mut url = reqwest::Url::parse(&format!("{}/ingest/datasets/", self.base))
            .map_err(|e| SendError::Unavailable(e.to_string()))?;
        url.path_segments_mut()
            .map_err(|_| SendError::Unavailable("the parent's address cannot have a path".into()))?
            .pop_if_empty()
            .push(remote_id);
        match self.send(self.client.delete(url)).await {
            Err(SendError::Refused { status: 404, .. }) => Ok(()),
            other => other.map(|_| ()),
        }
    }
}
