//! The HTTP server loop: connections bounded in number and in the time their headers may take.
//!
//! `axum::serve` sets no timer on hyper's connections, so a client may take forever to send its
//! request headers: 200 connections trickling a byte every few seconds were all kept open
//! ("slowloris"), each holding a socket and a task. [`serve`] accepts connections itself, as
//! axum's own `serve-with-hyper` example does, and gives each
//! - a header read timeout ([`ServerLimits::header_timeout`]): a request's headers — and on a
//!   kept-alive connection the next request's — must arrive whole within it, or the connection is
//!   closed. An idle kept-alive connection is thus closed after the same time;
//! - a place among at most [`ServerLimits::max_connections`]: past that, new connections wait in
//!   the kernel's backlog until one closes.
//!
//! HTTP/1.1 only: every client of a catalogue speaks it, and HTTP/2's preface is read before any
//! header timeout applies. On shutdown, the listener closes and open connections finish their
//! current request (for [`ServerLimits::drain`] at most).

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// Bounds on the server's connections.
#[derive(Debug, Clone, Copy)]
pub struct ServerLimits {
    /// Time a request's headers may take to arrive (and a kept-alive connection may stay idle).
    pub header_timeout: Duration,
    /// Connections open at once.
    pub max_connections: usize,
    /// Time open connections are given to finish at shutdown.
    pub drain: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            max_connections: 1024,
            drain: Duration::from_secs(10),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let places = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let place = tokio::select! {
            place = places.clone().acquire_owned() => match place {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, _peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: wait a little rather than spin.
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Small answers go out at once rather than waiting to be coalesced.
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service =
            hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                app.clone().oneshot(req.map(axum::body::Body::new))
            });
        let conn = builder.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // A client that goes away or times out ends its connection; nothing to report.
            let _ = conn.await;
            drop(place);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.drain, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the drain time were closed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn start(limits: ServerLimits) -> std::net::SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new().route("/", axum::routing::get(|| async { "ok" }));
        tokio::spawn(serve(listener, app, limits, std::future::pending()));
        addr
    }

    /// Reads until the peer closes; `true` when it did within `within`.
    async fn closed_within(stream: &mut tokio::net::TcpStream, within: Duration) -> bool {
        let mut buf = [0u8; 1024];
        tokio::time::timeout(within, async {
            loop {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            }
        })
        .await
        .is_ok()
    }

    #[tokio::test]
    async fn slow_headers_and_idle_connections_are_closed_and_others_are_served() {
        let limits = ServerLimits {
            header_timeout: Duration::from_millis(500),
            max_connections: 8,
            ..ServerLimits::default()
        };
        let addr = start(limits).await;
        // Trickling headers: closed at the timeout, though bytes keep coming.
        let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
        slow.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
        let trickle = async {
            for _ in 0..20 {
                tokio::time::sleep(Duration::from_millis(100)).await;
                if slow.write_all(b"X-a: b\r\n").await.is_err() {
                    return;
                }
            }
        };
        trickle.await;
        assert!(closed_within(&mut slow, Duration::from_secs(3)).await);
        // A connection that says nothing: closed too.
        let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
        assert!(closed_within(&mut idle, Duration::from_secs(3)).await);
        // A real request is answered.
        let mut ok = tokio::net::TcpStream::connect(addr).await.unwrap();
        ok.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        ok.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }

    #[tokio::test]
    async fn connections_past_the_limit_wait_for_a_place() {
        let limits = ServerLimits {
            header_timeout: Duration::from_secs(2),
            max_connections: 2,
            ..ServerLimits::default()
        };
        let addr = start(limits).await;
        let _a = tokio::net::TcpStream::connect(addr).await.unwrap();
        let _b = tokio::net::TcpStream::connect(addr).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        // The third is accepted by the kernel but not served until a place frees (here: when
        // the two silent ones time out).
        let started = std::time::Instant::now();
        let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
        c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        c.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(
            started.elapsed() >= Duration::from_millis(1500),
            "{:?}",
            started.elapsed()
        );
    }
}
