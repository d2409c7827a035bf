//! A real SPARQL 1.1 server for tests: Oxigraph server (`HEALTHCAT_OXIGRAPH_SERVER`, installed by
//! `.ci/oxigraph-server` from the Python package registry) on a free port of 127.0.0.1, its data in
//! a directory of its own, stopped when dropped. It can be stopped and started again on the same
//! data, to test what healthcat does while its store is away.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut server = Self {
            binary: binary.into(),
            data: data.to_owned(),
            port,
            child: None,
        };
        server.resume();
        Some(server)
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
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "Oxigraph server did not listen on 127.0.0.1:{} within 30 s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SparqlServer {
    fn drop(&mut self) {
        self.stop();
    }
}
