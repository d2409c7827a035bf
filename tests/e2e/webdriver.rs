//! A small W3C WebDriver client over std's `TcpStream`: what the browser tests need (a session,
//! navigation, elements, scripts, screenshots) against a local chromedriver.
//!
//! Why not fantoccini: its `webdriver` → `url` → ICU dependency tree turns on more `syn` features,
//! and cargo then rebuilds bindgen and RocksDB (20+ minutes on 2 cores) in every developer's and
//! CI's target directory. The protocol is a dozen JSON requests.

use base64::Engine;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// The key under which WebDriver returns an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A browser session; closed when dropped.
pub struct Session {
    addr: String,
    id: String,
}

/// An element of the current page.
pub struct Element<'a> {
    session: &'a Session,
    id: String,
}

fn request(addr: &str, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream =
        TcpStream::connect(addr).map_err(|e| format!("chromedriver at {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .map_err(|e| e.to_string())?;
    let payload = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    )
    .map_err(|e| e.to_string())?;
    // chromedriver keeps the connection open whatever the request says: read the head, then
    // exactly Content-Length bytes (or chunks).
    let mut reader = std::io::BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        let n = std::io::BufRead::read_line(&mut reader, &mut line).map_err(|e| e.to_string())?;
        if n == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no HTTP status")?;
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    let body = if let Some(len) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        let mut buf = vec![0; len];
        reader.read_exact(&mut buf).map_err(|e| e.to_string())?;
        String::from_utf8_lossy(&buf).into_owned()
    } else if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        read_chunks(&mut reader)?
    } else {
        let mut rest = String::new();
        reader
            .read_to_string(&mut rest)
            .map_err(|e| e.to_string())?;
        rest
    };
    let json: Value = serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))?;
    if status >= 400 {
        return Err(format!(
            "{method} {path}: {} — {}",
            json["value"]["error"], json["value"]["message"]
        ));
    }
    Ok(json["value"].clone())
}

fn read_chunks(reader: &mut impl std::io::BufRead) -> Result<String, String> {
    let mut out = Vec::new();
    loop {
        let mut size = String::new();
        reader.read_line(&mut size).map_err(|e| e.to_string())?;
        let n = usize::from_str_radix(size.trim(), 16).map_err(|e| e.to_string())?;
        let mut chunk = vec![0; n + 2];
        reader.read_exact(&mut chunk).map_err(|e| e.to_string())?;
        if n == 0 {
            return Ok(String::from_utf8_lossy(&out).into_owned());
        }
        out.extend_from_slice(&chunk[..n]);
    }
}

impl Session {
    /// A new session with these `goog:chromeOptions`.
    pub fn new(driver_addr: &str, chrome_options: Value) -> Result<Self, String> {
        // A page that is still loading after a click (a busy machine) is waited for, up to 10 s,
        // before an element is said to be missing.
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": chrome_options,
            "timeouts": { "implicit": 10_000 },
        } } });
        let v = request(driver_addr, "POST", "/session", Some(&caps))?;
        let id = v["sessionId"].as_str().ok_or("no session id")?.to_owned();
        Ok(Session {
            addr: driver_addr.to_owned(),
            id,
        })
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let body = body.or_else(|| (method == "POST").then(|| json!({})));
        request(
            &self.addr,
            method,
            &format!("/session/{}{path}", self.id),
            body.as_ref(),
        )
    }

    /// Opens `url`.
    pub fn goto(&self, url: &str) -> Result<(), String> {
        self.call("POST", "/url", Some(json!({ "url": url })))
            .map(drop)
    }

    /// The address of the current page.
    pub fn url(&self) -> Result<String, String> {
        Ok(self
            .call("GET", "/url", None)?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// Back in history.
    pub fn back(&self) -> Result<(), String> {
        self.call("POST", "/back", None).map(drop)
    }

    /// The first element matching a CSS selector.
    pub fn find(&self, css: &str) -> Result<Element<'_>, String> {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        )?;
        let id = v[ELEMENT]
            .as_str()
            .ok_or_else(|| format!("{css}: no element"))?;
        Ok(Element {
            session: self,
            id: id.to_owned(),
        })
    }

    /// Runs a script (its `return` value).
    pub fn execute(&self, script: &str) -> Result<Value, String> {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// Runs a script that calls its last argument when done (its value).
    pub fn execute_async(&self, script: &str) -> Result<Value, String> {
        self.call(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// Resizes the browser's window.
    pub fn set_window_size(&self, width: u32, height: u32) -> Result<(), String> {
        self.call(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        )
        .map(drop)
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Result<Vec<u8>, String> {
        let v = self.call("GET", "/screenshot", None)?;
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .map_err(|e| e.to_string())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = request(&self.addr, "DELETE", &format!("/session/{}", self.id), None);
    }
}

impl Element<'_> {
    fn path(&self, tail: &str) -> String {
        format!("/element/{}{tail}", self.id)
    }

    /// Clicks it.
    pub fn click(&self) -> Result<(), String> {
        self.session
            .call("POST", &self.path("/click"), None)
            .map(drop)
    }

    /// Types into it.
    pub fn send_keys(&self, text: &str) -> Result<(), String> {
        self.session
            .call("POST", &self.path("/value"), Some(json!({ "text": text })))
            .map(drop)
    }

    /// Its visible text.
    pub fn text(&self) -> Result<String, String> {
        let v = self.session.call("GET", &self.path("/text"), None)?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// An attribute as written in the page.
    pub fn attr(&self, name: &str) -> Result<Option<String>, String> {
        let v = self
            .session
            .call("GET", &self.path(&format!("/attribute/{name}")), None)?;
        Ok(v.as_str().map(str::to_owned))
    }

    /// A DOM property (`href` resolved to an absolute URL).
    pub fn prop(&self, name: &str) -> Result<Option<String>, String> {
        let v = self
            .session
            .call("GET", &self.path(&format!("/property/{name}")), None)?;
        Ok(v.as_str().map(str::to_owned))
    }
}
