//! A local SMTP sink for tests: a real SMTP server on 127.0.0.1 (the commands a client sends
//! without TLS: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) that keeps every message it
//! accepts. It can be told to answer every transaction with a failure (a server refusing mail).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// One accepted message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// The envelope's sender.
    pub from: String,
    /// The envelope's recipients.
    pub to: Vec<String>,
    /// The message as sent (headers and body, dot-unstuffed).
    pub data: String,
}

/// The sink; it serves until dropped (the thread stops at its next connection).
pub struct SmtpSink {
    /// Its port on 127.0.0.1.
    pub port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
    refuse: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
}

impl SmtpSink {
    /// Starts a sink on a free port of 127.0.0.1.
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the SMTP sink");
        let port = listener.local_addr().unwrap().port();
        let (mails, refuse, stop) = (
            Arc::new(Mutex::new(Vec::new())),
            Arc::new(AtomicBool::new(false)),
            Arc::new(AtomicBool::new(false)),
        );
        let (m, r, s) = (mails.clone(), refuse.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let _ = session(stream, &m, r.load(Ordering::SeqCst));
                }
            }
        });
        Self {
            port,
            mails,
            refuse,
            stop,
        }
    }

    /// The messages accepted so far.
    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }

    /// Whether to refuse every message from now on (`451` to `DATA`).
    pub fn refuse(&self, yes: bool) {
        self.refuse.store(yes, Ordering::SeqCst);
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn session(stream: TcpStream, mails: &Mutex<Vec<Mail>>, refuse: bool) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let mut out = stream.try_clone()?;
    let mut lines = BufReader::new(stream);
    out.write_all(b"220 127.0.0.1 healthcat test sink\r\n")?;
    let mut mail = Mail {
        from: String::new(),
        to: Vec::new(),
        data: String::new(),
    };
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
            b"250 127.0.0.1\r\n"
        } else if command.starts_with("MAIL FROM:") {
            mail.from = address(&line[10..]);
            b"250 OK\r\n"
        } else if command.starts_with("RCPT TO:") {
            mail.to.push(address(&line[8..]));
            b"250 OK\r\n"
        } else if command == "DATA" {
            out.write_all(b"354 end with <CRLF>.<CRLF>\r\n")?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                let l = line.trim_end_matches(['\r', '\n']);
                if l == "." {
                    break;
                }
                data.push_str(l.strip_prefix('.').unwrap_or(l));
                data.push('\n');
            }
            if refuse {
                b"451 try again later\r\n"
            } else {
                mail.data = data;
                mails.lock().unwrap().push(std::mem::replace(
                    &mut mail,
                    Mail {
                        from: String::new(),
                        to: Vec::new(),
                        data: String::new(),
                    },
                ));
                b"250 queued\r\n"
            }
        } else if command == "QUIT" {
            out.write_all(b"221 bye\r\n")?;
            return Ok(());
        } else if command == "RSET" || command == "NOOP" {
            b"250 OK\r\n"
        } else {
            b"502 not implemented\r\n"
        };
        out.write_all(reply)?;
    }
}

/// `<a@b>` (and anything after it) → `a@b`.
fn address(arg: &str) -> String {
    let arg = arg.trim();
    arg.strip_prefix('<')
        .and_then(|a| a.split('>').next())
        .unwrap_or(arg)
        .to_owned()
}
