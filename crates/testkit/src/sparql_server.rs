//! A real SPARQL 1.1 server for tests: Oxigraph server (`HEALTHCAT_OXIGRAPH_SERVER`, installed by
//! `.ci/oxigraph-server` from the Python package registry) on a free port of 127.0.0.1, its data in
//! a directory of its own, stopped when dropped. It can be stopped and started again on the same
//! data, to test what healthcat does while its store is away.
//!
//! Tests run in parallel threads, and a free port is found by binding port 0 and letting it go:
//! two servers of one process could be handed the same port, and the one that lost the race would
//! exit while its test talked to the other test's server (and failed when that one was stopped).
//! So a port is reserved for the process until its server is dropped, and a server that exits
//! before it answers is started again on another port.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The ports this process's servers hold, running or stopped.
static RESERVED: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());

/// A free port of 127.0.0.1 that no other server of this process holds, now reserved.
fn reserve_port() -> u16 {
    loop {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        if RESERVED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(port)
        {
            return port;
        }
    }
}

fn release_port(port: u16) {
    RESERVED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&port);
}

/// A running (or stopped) Oxigraph server.
pub struct SparqlServer {
    binary: PathBuf,
    data: PathBuf,
    port: u16,
    child: Option<Child>,
}

impl SparqlServer {
    /// Starts a server keeping its data in `data`, or `None` after a notice naming `what` is
    /// skipped when `HEALTHCAT_OXIGRAPH_SERVER` is not set.
    pub fn start(data: &Path, what: &str) -> Option<Self> {
        let Some(binary) = std::env::var_os("HEALTHCAT_OXIGRAPH_SERVER").filter(|v| !v.is_empty())
        else {
            eprintln!(
                "NOTICE: HEALTHCAT_OXIGRAPH_SERVER is not set (bash .ci/oxigraph-server installs Oxigraph server and prints it): {what} skipped"
            );
            return None;
        };
        let mut server = Self {
            binary: binary.into(),
            data: data.to_owned(),
            port: reserve_port(),
            child: None,
        };
        // Another program may take the port between our probe and the server's bind: the
        // server then exits, and is started again on another port.
        for _ in 0..5 {
            if server.launch() {
                return Some(server);
            }
            release_port(server.port);
            server.port = reserve_port();
        }
        panic!(
            "Oxigraph server ({}) exited five times before it listened: run it by hand to see why",
            server.binary.display()
        );
    }

    /// Its base address (`http://127.0.0.1:PORT`): healthcat's `--store-url`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stops it (its data stays).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same data and port, once it answers.
    pub fn resume(&mut self) {
        assert!(
            self.launch(),
            "Oxigraph server exited before it listened on 127.0.0.1:{} (is the port taken?)",
            self.port
        );
    }

    /// Starts the server and waits until it listens: `false` if it exited first.
    fn launch(&mut self) -> bool {
        assert!(self.child.is_none(), "the server is running already");
        let child = Command::new(&self.binary)
            .arg("serve")
            .arg("--location")
            .arg(&self.data)
            .arg("--bind")
            .arg(format!("127.0.0.1:{}", self.port))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.binary.display()));
        let child = self.child.insert(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let listening = answers_http(self.port);
            // Answering is not enough: the answer may come from another program on the port
            // while ours is failing to bind it.
            if !matches!(child.try_wait(), Ok(None)) {
                let _ = child.wait();
                self.child = None;
                return false;
            }
            if listening {
                return true;
            }
            assert!(
                Instant::now() < deadline,
                "Oxigraph server did not listen on 127.0.0.1:{} within 30 s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Whether an HTTP server answers on the port. A bare connection is not proof: while nothing
/// listens, a connection to a port of the ephemeral range can be given that very port as its own
/// and connect to itself, and then reads back what it wrote.
fn answers_http(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut head = [0u8; 5];
    stream
        .write_all(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .and_then(|()| stream.read_exact(&mut head))
        .is_ok_and(|()| &head == b"HTTP/")
}

impl Drop for SparqlServer {
    fn drop(&mut self) {
        self.stop();
        release_port(self.port);
    }
}
