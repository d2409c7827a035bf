//! Sending e-mail over SMTP (lettre's synchronous transport: reminders run on their own thread,
//! never in a request).

use crate::ReviewError;
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use serde::Deserialize;
use std::time::Duration;

/// `[review.smtp]`: the mail server reminders go through.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    /// The server's host name.
    pub host: String,
    /// Its port (587 for STARTTLS, 465 for TLS, 25 without).
    #[serde(default = "SmtpSettings::default_port")]
    pub port: u16,
    /// `starttls` (the default), `tls`, or `none` (a relay on the same machine or network only:
    /// the messages and the password travel in clear).
    #[serde(default = "SmtpSettings::default_security")]
    pub security: String,
    /// The account to log in with, if the server asks for one.
    pub username: Option<String>,
    /// The environment variable holding its password.
    pub password_env: Option<String>,
    /// The sender (`Catalogue <catalogue@hdab.example>`).
    pub from: String,
    /// Time limit of one exchange with the server, in seconds.
    #[serde(default = "SmtpSettings::default_timeout")]
    pub timeout_seconds: u64,
}

impl SmtpSettings {
    fn default_port() -> u16 {
        587
    }
    fn default_security() -> String {
        "starttls".into()
    }
    fn default_timeout() -> u64 {
        30
    }
}

/// A configured SMTP transport and sender.
pub struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
}

impl Mailer {
    /// The mailer `settings` describe; a wrong setting is named.
    pub fn new(settings: &SmtpSettings) -> Result<Self, ReviewError> {
        let bad = |m: String| ReviewError::Settings(m);
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| bad(format!("from = {:?} is not an address: {e}", settings.from)))?;
        let builder = match settings.security.as_str() {
            "starttls" => SmtpTransport::starttls_relay(&settings.host)
                .map_err(|e| bad(format!("host = {:?}: {e}", settings.host)))?,
            "tls" => SmtpTransport::relay(&settings.host)
                .map_err(|e| bad(format!("host = {:?}: {e}", settings.host)))?,
            "none" => SmtpTransport::builder_dangerous(&settings.host),
            other => {
                return Err(bad(format!(
                    "security = {other:?}: say starttls, tls or none"
                )));
            }
        };
        let mut builder = builder
            .port(settings.port)
            .timeout(Some(Duration::from_secs(settings.timeout_seconds)));
        match (&settings.username, &settings.password_env) {
            (Some(user), Some(var)) => {
                let password = std::env::var(var)
                    .map_err(|_| bad(format!("password_env names {var}, which is not set")))?;
                builder = builder.credentials(Credentials::new(user.clone(), password));
            }
            (Some(_), None) => return Err(bad("username needs password_env".into())),
            (None, Some(_)) => return Err(bad("password_env needs username".into())),
            (None, None) => {}
        }
        Ok(Self {
            transport: builder.build(),
            from,
        })
    }

    /// Sends one plain-text message to `to`; the error says what the server or the address did.
    pub fn send(&self, to: &[String], subject: &str, body: String) -> Result<(), String> {
        let mut message = Message::builder()
            .from(self.from.clone())
            .subject(subject)
            .header(ContentType::TEXT_PLAIN);
        for address in to {
            let mailbox: Mailbox = address
                .parse()
                .map_err(|e| format!("{address:?} is not an address: {e}"))?;
            message = message.to(mailbox);
        }
        let message = message.body(body).map_err(|e| e.to_string())?;
        self.transport
            .send(&message)
            .map(|_| ())
            .map_err(|e| format!("the mail server: {e}"))
    }
}
