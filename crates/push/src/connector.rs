//! How changes reach the parent.

use futures_util::StreamExt;
use std::future::Future;
use std::time::Duration;

/// Why a change did not reach the parent.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SendError {
    /// The parent refused this change: sending it again as it is will not help.
    #[error("refused by the parent: {0}")]
    Refused(String),
    /// The parent could not be reached or failed (network, timeout, 5xx, no acknowledgement in
    /// time): try again later.
    #[error("the parent is unavailable: {0}")]
    Unavailable(String),
}

/// What a message does to the parent's copy of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// The parent does not have the record yet.
    Create,
    /// The parent has an older version.
    Replace,
    /// The record was withdrawn.
    Delete,
}

/// One change on its way to the parent.
#[derive(Debug, Clone)]
pub struct Message {
    /// Unique and stable: the same change sent again (after a restart) has the same id, so
    /// that a parent or access point that eliminates duplicates can (`feed-{seq}` for a change
    /// of the feed, `sync-{head}-{n}` for one found by a re-synchronisation at feed position
    /// `head`).
    pub id: String,
    /// The change feed's number of the change, when it comes from the feed.
    pub seq: Option<u64>,
    /// What it does.
    pub action: Action,
    /// The record's identity key (its IRI).
    pub key: String,
    /// Its content hash (create, replace).
    pub hash: Option<String>,
    /// Its description in Turtle, with the shared descriptions it names (create, replace).
    pub turtle: Option<Vec<u8>>,
    /// The parent's id for the record, from its acknowledgement of the creation (replace,
    /// delete).
    pub remote_id: Option<String>,
}

/// A way to send changes to a parent catalogue.
pub trait Connector: Send + Sync {
    /// Sends `message` and waits for the parent's acknowledgement; for a creation, returns the
    /// parent's id for the record. A deletion of a record the parent no longer has is not an
    /// error.
    fn send(&self, message: &Message) -> impl Future<Output = Result<String, SendError>> + Send;
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

    async fn request(&self, req: reqwest::RequestBuilder) -> Result<(u16, String), SendError> {
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
            400..=499 => Err(SendError::Refused(format!(
                "HTTP {status}: {}",
                message(&text)
            ))),
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

impl HdhConnector {
    async fn create(&self, turtle: Vec<u8>) -> Result<String, SendError> {
        let (_, text) = self
            .request(
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
        self.request(
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
        match self.request(self.client.delete(url)).await {
            Err(SendError::Refused(m)) if m.starts_with("HTTP 404") => Ok(()),
            other => other.map(|_| ()),
        }
    }
}

impl Connector for HdhConnector {
    async fn send(&self, m: &Message) -> Result<String, SendError> {
        let turtle = || m.turtle.clone().unwrap_or_default();
        let remote = || m.remote_id.clone().unwrap_or_else(|| m.key.clone());
        match m.action {
            Action::Create => self.create(turtle()).await,
            Action::Replace => self.replace(&m.key, turtle()).await.map(|()| remote()),
            Action::Delete => self.delete(&remote()).await.map(|()| remote()),
        }
    }
}
