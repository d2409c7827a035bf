//! Streamed responses from blocking writers (exports, SPARQL results).
//!
//! A blocking task writes into a [`BodyWriter`]; the bytes reach the response body in chunks
//! through a bounded channel, so a full channel makes the writer wait and memory stays at a few
//! chunks whatever the size of the answer. A client that goes away makes the next write fail,
//! which stops the work.
//!
//! The status line is decided late: the writer holds back its first `hold` bytes, so work that
//! fails early (a SPARQL query stopped at its timeout, too many results) still gets a proper
//! error status; once bytes have been sent, a failure ends the body with an error, and the client
//! sees a broken transfer rather than a complete-looking answer.

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::{mpsc, oneshot};

const CHUNK: usize = 64 << 10;

/// How a streamed response starts.
enum Head {
    /// Bytes follow on the channel.
    Body,
    /// The work failed before anything was sent.
    Failed(StatusCode, String),
}

/// The writing end, used from a blocking task.
pub(crate) struct BodyWriter {
    buf: Vec<u8>,
    hold: usize,
    head: Option<oneshot::Sender<Head>>,
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
}

/// The response end, awaited by the handler.
pub(crate) struct Pending {
    head: oneshot::Receiver<Head>,
    rx: mpsc::Receiver<Result<Bytes, std::io::Error>>,
}

/// A writer and its response; the first `hold` bytes are kept back until the status is sure.
pub(crate) fn channel(hold: usize) -> (BodyWriter, Pending) {
    let (tx, rx) = mpsc::channel(8);
    let (head_tx, head) = oneshot::channel();
    (
        BodyWriter {
            buf: Vec::with_capacity(CHUNK.min(hold.max(1))),
            hold,
            head: Some(head_tx),
            tx,
        },
        Pending { head, rx },
    )
}

impl BodyWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if let Some(head) = self.head.take() {
            // The handler may be gone already; then the channel send below fails too.
            let _ = head.send(Head::Body);
        }
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client gone"))
    }

    /// The work is done: sends what is held back.
    pub(crate) fn finish(mut self) -> std::io::Result<()> {
        self.send()
    }

    /// The work failed: an error status when nothing was sent yet, else a broken body.
    pub(crate) fn fail(mut self, status: StatusCode, message: String) {
        match self.head.take() {
            Some(head) => {
                let _ = head.send(Head::Failed(status, message));
            }
            None => {
                tracing::warn!(%message, "streamed response failed after its start");
                let _ = self.tx.blocking_send(Err(std::io::Error::other(message)));
            }
        }
    }
}

impl std::io::Write for BodyWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        let limit = if self.head.is_some() {
            self.hold
        } else {
            CHUNK
        };
        if self.buf.len() >= limit.max(1) {
            self.send()?;
        }
        Ok(data.len())
    }

    /// Held-back bytes stay held: flushing is for the end ([`BodyWriter::finish`]).
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Pending {
    /// The response: `content_type` and the streamed bytes, or the failure's status and message.
    pub(crate) async fn response(self, content_type: &str) -> Response {
        match self.head.await {
            Ok(Head::Body) => {
                let mut rx = self.rx;
                let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
                (
                    [(header::CONTENT_TYPE, content_type.to_owned())],
                    Body::from_stream(stream),
                )
                    .into_response()
            }
            Ok(Head::Failed(status, message)) => (status, message).into_response(),
            Err(_) => {
                tracing::error!("streamed response: the writer stopped without an answer");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
            }
        }
    }
}
