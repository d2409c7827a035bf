//! A small harness in the style of ripgrep's `rgtest!`: a temporary directory and a command for the
//! built binary with a clean environment.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).expect("write fixture");
        p
    }

    /// `healthcat` with `--data-dir <tmp>/data` and no HEALTHCAT_* variable from the caller.
    pub fn cmd(&self) -> Command {
        self.cmd_on(&self.path("data"))
    }

    /// `healthcat` with `--data-dir data` and no HEALTHCAT_* variable from the caller.
    pub fn cmd_on(&self, data: &std::path::Path) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_healthcat"));
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("HEALTHCAT_") {
                c.env_remove(k);
            }
        }
        c.current_dir(self.dir.path()).arg("--data-dir").arg(data);
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let out = self.cmd().args(args).output().expect("run healthcat");
        Run::from(out)
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Self {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// The reference material, or `None` with a notice (tests that need it then check nothing).
pub fn reference_dir() -> Option<PathBuf> {
    healthcat_testkit::reference_dir("this end-to-end test")
}

pub use healthcat_testkit::official_r8_non_public_shapes;

/// A child process killed when dropped.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `healthcat serve --demo` on a free port of 127.0.0.1, with `config` if given; its base URL.
pub fn serve(env: &Env, config: Option<&str>) -> (Killed, String) {
    serve_with(env, config, "127.0.0.1:0", &["--demo"], &[])
}

/// `healthcat serve` on `bind`, with `config` if given, extra arguments and environment
/// variables; its base URL once it listens.
pub fn serve_with(
    env: &Env,
    config: Option<&str>,
    bind: &str,
    args: &[&str],
    vars: &[(&str, &str)],
) -> (Killed, String) {
    let mut cmd = env.cmd();
    if let Some(c) = config {
        cmd.arg("--config").arg(env.write("site.toml", c));
    }
    cmd.envs(vars.iter().copied());
    let mut child = cmd
        .args(["serve", "--bind", bind])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let url = served_url(&mut child);
    (Killed(child), url)
}

/// The base URL a `serve` child prints on its standard output (piped) once it listens.
pub fn served_url(child: &mut Child) -> String {
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .rsplit(' ')
        .next()
        .unwrap()
        .trim_end_matches('/');
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    url.to_owned()
}

/// GET over plain HTTP: (status, body).
pub fn http_get(url: &str) -> (u16, String) {
    let rest = url.trim_start_matches("http://");
    let (addr, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    http_exchange(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n"),
        "",
    )
}

/// Sends `head` (request line and headers, each ending in CRLF) and `body` to `addr`, with
/// `Content-Length` and `Connection: close` added; (status, body) of the answer.
pub fn http_exchange(addr: &str, head: &str, body: &str) -> (u16, String) {
    http_exchange_bytes(addr, head, body.as_bytes())
}

/// [`http_exchange`] with a body of any bytes (invalid UTF-8 included).
pub fn http_exchange_bytes(addr: &str, head: &str, body: &[u8]) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    write!(
        s,
        "{head}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    // The server may answer (413) and close before reading a large body.
    let _ = s.write_all(body);
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned());
    (status, body.unwrap_or_default())
}

/// A free port of 127.0.0.1, for a server that must know its address before it starts.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
