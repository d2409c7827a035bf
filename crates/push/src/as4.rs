//! The eDelivery (AS4) boundary: each change handed to an access point's back-end as a folder.
//!
//! The EHDS has national contact points exchange with the EU over eDelivery AS4. healthcat does
//! not speak AS4 itself: an access point does (Domibus, the Commission's sample implementation, or
//! another conformant one), and healthcat gives it each change through the file-system back-end
//! interface, in the layout of Domibus's File System plugin:
//!
//! - healthcat writes one folder per message into `{folder}/OUT/{message id}/`: `metadata.xml`
//!   (an ebMS3 `UserMessage`: parties, service, action, and the change's properties) and, for a
//!   creation or a new version, `payload.ttl` (the record in HealthDCAT-AP Turtle). The folder is
//!   written beside `OUT` first and renamed into it, so the access point never sees half of one;
//! - the access point sends it, then moves the folder to `{folder}/SENT/` (its acknowledgement:
//!   the receiving access point took it) or to `{folder}/FAILED/` with the reason in
//!   `error.txt` (a refusal: sent again only once the record changes);
//! - healthcat waits for one or the other, up to the connector's time limit; without either,
//!   the change stays pending and the next cycle waits for the same folder — it is never written
//!   twice, and a change already in `SENT` is not written again after a restart. The message id
//!   (`feed-{seq}`, stable) is also the ebMS `MessageId`'s local part, on which an access point
//!   eliminates duplicates.
//!
//! `docs/federation.md` gives the message format with an example.

use crate::connector::{Action, Connector, Message, SendError};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How to reach the access point's back-end folder, and how to address the messages.
#[derive(Debug, Clone)]
pub struct As4Settings {
    /// The plugin's folder for this domain (holding `OUT`, `SENT`, `FAILED`).
    pub folder: PathBuf,
    /// This node's party id (ebMS `From`).
    pub from_party: String,
    /// The receiver's party id (ebMS `To`): the EU catalogue's access point.
    pub to_party: String,
    /// The ebMS party id type.
    pub party_type: String,
    /// The ebMS `Service` agreed in the P-Mode.
    pub service: String,
    /// The ebMS `Action` agreed in the P-Mode.
    pub action: String,
    /// How long to wait for the access point's acknowledgement of one message.
    pub wait: Duration,
}

/// The connector (see the module).
pub struct As4Folder {
    settings: As4Settings,
    poll: Duration,
}

const EBMS: &str = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/";

impl As4Folder {
    /// The connector over `settings.folder`, creating `OUT` if it is missing.
    pub fn new(settings: As4Settings) -> Result<Self, SendError> {
        let out = settings.folder.join("OUT");
        std::fs::create_dir_all(&out)
            .map_err(|e| SendError::Unavailable(format!("cannot create {}: {e}", out.display())))?;
        Ok(Self {
            settings,
            poll: Duration::from_millis(50),
        })
    }

    fn dir(&self, name: &str, which: &str) -> PathBuf {
        self.settings.folder.join(which).join(name)
    }

    /// The ebMS3 user message describing `m`.
    pub fn metadata(&self, m: &Message) -> String {
        let s = &self.settings;
        let e = |v: &str| quick_xml::escape::escape(v).into_owned();
        let mut props = vec![
            ("originalSender", s.from_party.clone()),
            ("finalRecipient", s.to_party.clone()),
            ("changeKind", action_name(m.action).to_owned()),
            ("recordIRI", m.key.clone()),
        ];
        if let Some(seq) = m.seq {
            props.push(("sequenceNumber", seq.to_string()));
        }
        if let Some(hash) = &m.hash {
            props.push(("contentHash", format!("sha256:{hash}")));
        }
        let props: String = props
            .iter()
            .map(|(n, v)| format!("    <Property name=\"{n}\">{}</Property>\n", e(v)))
            .collect();
        let payload = if m.turtle.is_some() {
            "  <PayloadInfo>\n    <PartInfo href=\"cid:payload.ttl\">\n      <PartProperties>\n        <Property name=\"MimeType\">text/turtle</Property>\n      </PartProperties>\n    </PartInfo>\n  </PayloadInfo>\n"
        } else {
            ""
        };
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<UserMessage xmlns=\"{EBMS}\">\n\
  <MessageInfo>\n    <MessageId>{id}@{from}</MessageId>\n  </MessageInfo>\n\
  <PartyInfo>\n\
    <From>\n      <PartyId type=\"{pt}\">{from}</PartyId>\n      <Role>{EBMS}initiator</Role>\n    </From>\n\
    <To>\n      <PartyId type=\"{pt}\">{to}</PartyId>\n      <Role>{EBMS}responder</Role>\n    </To>\n\
  </PartyInfo>\n\
  <CollaborationInfo>\n    <Service>{service}</Service>\n    <Action>{action}</Action>\n    <ConversationId>{conv}</ConversationId>\n  </CollaborationInfo>\n\
  <MessageProperties>\n{props}  </MessageProperties>\n\
{payload}</UserMessage>\n",
            id = e(&m.id),
            from = e(&s.from_party),
            to = e(&s.to_party),
            pt = e(&s.party_type),
            service = e(&s.service),
            action = e(&s.action),
            conv = e(&m.key),
        )
    }

    /// Writes the message's folder beside `OUT`, then renames it into `OUT`.
    fn hand_over(&self, name: &str, m: &Message) -> std::io::Result<()> {
        let tmp = self.settings.folder.join(".healthcat-writing").join(name);
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)?;
        }
        std::fs::create_dir_all(&tmp)?;
        std::fs::write(tmp.join("metadata.xml"), self.metadata(m))?;
        if let Some(turtle) = &m.turtle {
            std::fs::write(tmp.join("payload.ttl"), turtle)?;
        }
        std::fs::rename(&tmp, self.dir(name, "OUT"))
    }

    /// The access point's answer for message `name`, if it gave one.
    fn answer(&self, name: &str) -> Option<Result<(), SendError>> {
        if self.dir(name, "SENT").is_dir() {
            return Some(Ok(()));
        }
        let failed = self.dir(name, "FAILED");
        failed.is_dir().then(|| {
            let why = std::fs::read_to_string(failed.join("error.txt"))
                .unwrap_or_else(|_| "no error.txt".to_owned());
            Err(SendError::Refused(format!(
                "the access point failed message {name}: {}",
                why.trim()
            )))
        })
    }
}

fn action_name(a: Action) -> &'static str {
    match a {
        Action::Create => "create",
        Action::Replace => "replace",
        Action::Delete => "delete",
    }
}

/// A message id as a folder name: letters, digits, `-`, `.` and `_` only.
fn folder_name(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

impl Connector for As4Folder {
    async fn send(&self, m: &Message) -> Result<String, SendError> {
        let name = folder_name(&m.id);
        let unavailable = |what: &str, path: &Path, e: std::io::Error| {
            SendError::Unavailable(format!("{what} {}: {e}", path.display()))
        };
        if self.answer(&name).is_none() && !self.dir(&name, "OUT").is_dir() {
            self.hand_over(&name, m)
                .map_err(|e| unavailable("cannot write", &self.dir(&name, "OUT"), e))?;
        }
        let deadline = tokio::time::Instant::now() + self.settings.wait;
        loop {
            if let Some(answer) = self.answer(&name) {
                return answer.map(|()| m.key.clone());
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(SendError::Unavailable(format!(
                    "the access point has not acknowledged message {name} within {} s; it waits in {}",
                    self.settings.wait.as_secs_f32(),
                    self.dir(&name, "OUT").display()
                )));
            }
            tokio::time::sleep(self.poll).await;
        }
    }
}
