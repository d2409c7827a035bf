//! A guard in front of the RDF/XML parser against entity expansion ("billion laughs").
//!
//! The XML parser under oxrdfxml expands the internal entities a document declares in its DTD,
//! and expands nested ones as they are declared: eight lines of `<!ENTITY b "&a;&a;…">` took
//! 1.9 GB and 5 s before the parser got to any triple — from a 2 kB upload, a harvested page or a
//! push. RDF/XML uses entities for short namespace abbreviations
//! (`<!ENTITY xsd "http://www.w3.org/2001/XMLSchema#">`), so they are not refused outright.
//!
//! [`guard`] reads the document's prolog (what comes before the root element, at most
//! [`MAX_PROLOG`] bytes) with a tokenizer of its own — quoted values may hold `>`, comments may
//! hold `<!DOCTYPE` — and refuses a document whose internal subset
//! - declares a parameter entity, an external entity (`SYSTEM`, `PUBLIC`: never fetched anyway),
//!   an entity whose value refers to another entity (the amplification of nested entities), one
//!   longer than [`MAX_ENTITY_LEN`] bytes, or more than [`MAX_ENTITIES`];
//! - holds anything but entity, element, notation and attribute-list declarations, comments and
//!   processing instructions, or an attribute list with a reference in its defaults.
//!
//! The rest of the document is then streamed (never read whole) through a counter of the declared
//! entities' references: once they would expand to more than [`BASE_EXPANSION`] bytes plus
//! [`EXPANSION_RATIO`] times what was read so far, reading stops with an error. Namespace
//! abbreviations expand about 7 times their reference; nothing legitimate comes near.

use std::collections::HashMap;
use std::io::{self, Read};

/// Longest entity value accepted.
pub const MAX_ENTITY_LEN: usize = 1024;
/// Most entities in a document.
pub const MAX_ENTITIES: usize = 256;
/// Longest prolog (XML declaration, comments, DOCTYPE) accepted before the root element.
pub const MAX_PROLOG: usize = 1 << 20;
/// Bytes entity references may expand to regardless of the document's length.
pub const BASE_EXPANSION: u64 = 1 << 20;
/// Bytes entity references may expand to per byte of the document read.
pub const EXPANSION_RATIO: u64 = 8;

/// `reader`, checked: `Err(message)` when its DTD could blow up (see the module doc); otherwise a
/// reader giving the same bytes that fails once entity references expand too much.
pub fn guard<'r>(mut reader: Box<dyn Read + 'r>) -> Result<Box<dyn Read + 'r>, GuardError> {
    let mut prolog = Vec::new();
    reader
        .by_ref()
        .take(MAX_PROLOG as u64 + 1)
        .read_to_end(&mut prolog)
        .map_err(GuardError::Io)?;
    let entities = match read_prolog(&prolog) {
        Ok(e) => e,
        Err(Prolog::Refused(why)) => return Err(GuardError::Refused(why)),
        Err(Prolog::Incomplete) if prolog.len() > MAX_PROLOG => {
            return Err(GuardError::Refused(format!(
                "the document's prolog (XML declaration, comments and DOCTYPE before the root \
                 element) is longer than {MAX_PROLOG} bytes"
            )));
        }
        // The document ends inside its prolog: the parser says what is wrong.
        Err(Prolog::Incomplete) => HashMap::new(),
    };
    let whole = io::Cursor::new(prolog).chain(reader);
    if entities.is_empty() {
        return Ok(Box::new(whole));
    }
    Ok(Box::new(Budget {
        inner: whole,
        entities,
        read: 0,
        expansion: 0,
        name: None,
    }))
}

/// Why a document was not let through.
#[derive(Debug)]
pub enum GuardError {
    /// The DTD could blow up: what in it.
    Refused(String),
    /// The input could not be read.
    Io(io::Error),
}

enum Prolog {
    Refused(String),
    Incomplete,
}

fn refuse<T>(why: impl Into<String>) -> Result<T, Prolog> {
    Err(Prolog::Refused(why.into()))
}

/// A cursor over the prolog's bytes.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &[u8] {
        &self.b[self.i.min(self.b.len())..]
    }
    fn starts(&self, s: &str) -> bool {
        self.rest().starts_with(s.as_bytes())
    }
    fn skip_ws(&mut self) {
        while self.rest().first().is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }
    /// Moves past the next `end`; `Incomplete` when there is none.
    fn past(&mut self, end: &str) -> Result<(), Prolog> {
        match find(self.rest(), end.as_bytes()) {
            Some(at) => {
                self.i += at + end.len();
                Ok(())
            }
            None => Err(Prolog::Incomplete),
        }
    }
    fn name(&mut self) -> String {
        let start = self.i;
        while self
            .rest()
            .first()
            .is_some_and(|&c| !c.is_ascii_whitespace() && !matches!(c, b'>' | b'[' | b'"' | b'\''))
        {
            self.i += 1;
        }
        String::from_utf8_lossy(&self.b[start..self.i]).into_owned()
    }
    /// A quoted value (either quote), without its quotes.
    fn quoted(&mut self) -> Result<&[u8], Prolog> {
        let Some(&q) = self.rest().first().filter(|c| matches!(c, b'"' | b'\'')) else {
            return refuse("a declaration of the DOCTYPE is malformed");
        };
        let start = self.i + 1;
        match self.b[start..].iter().position(|&c| c == q) {
            Some(len) => {
                self.i = start + len + 1;
                Ok(&self.b[start..start + len])
            }
            None => Err(Prolog::Incomplete),
        }
    }
    /// Moves past a declaration's closing `>`, skipping quoted values; returns what it skipped.
    fn past_declaration(&mut self) -> Result<&[u8], Prolog> {
        let start = self.i;
        while let Some(&c) = self.rest().first() {
            match c {
                b'"' | b'\'' => {
                    self.quoted()?;
                }
                b'>' => {
                    self.i += 1;
                    return Ok(&self.b[start..self.i]);
                }
                _ => self.i += 1,
            }
        }
        Err(Prolog::Incomplete)
    }
}

/// Whether `rest`, the end of what was read, may be the start of one of `tokens` cut short
/// (nothing left counts too).
fn truncated(rest: &[u8], tokens: &[&str]) -> bool {
    tokens
        .iter()
        .any(|t| rest.len() < t.len() && t.as_bytes().starts_with(rest))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The entities the prolog declares, by name with their value's length.
fn read_prolog(b: &[u8]) -> Result<HashMap<String, u64>, Prolog> {
    let mut c = Cursor { b, i: 0 };
    if c.starts("\u{feff}") {
        c.i += 3;
    }
    loop {
        c.skip_ws();
        if c.starts("<?") {
            c.past("?>")?;
        } else if c.starts("<!--") {
            c.past("-->")?;
        } else if c.starts("<!DOCTYPE") {
            c.i += "<!DOCTYPE".len();
            return doctype(&mut c);
        } else if truncated(c.rest(), &["<?", "<!--", "<!DOCTYPE"]) {
            return Err(Prolog::Incomplete);
        } else if c.starts("<!") {
            // Nothing else may open with `<!` before the root element; refused rather than left
            // to a parser that might read it as a declaration.
            return refuse("the prolog holds markup other than comments and a DOCTYPE");
        } else {
            // The root element (or something the parser will refuse): no DTD.
            return Ok(HashMap::new());
        }
    }
}

fn doctype(c: &mut Cursor<'_>) -> Result<HashMap<String, u64>, Prolog> {
    let mut entities = HashMap::new();
    // Name and external id up to the internal subset or the end.
    loop {
        match c.rest().first() {
            None => return Err(Prolog::Incomplete),
            Some(b'"' | b'\'') => {
                c.quoted()?;
            }
            Some(b'>') => return Ok(entities),
            Some(b'[') => {
                c.i += 1;
                break;
            }
            Some(_) => c.i += 1,
        }
    }
    loop {
        c.skip_ws();
        if c.starts("]") {
            c.i += 1;
            c.skip_ws();
            return match c.rest().first() {
                Some(b'>') => Ok(entities),
                None => Err(Prolog::Incomplete),
                Some(_) => refuse("the DOCTYPE's internal subset is not closed by ]>"),
            };
        } else if c.starts("<!--") {
            c.past("-->")?;
        } else if c.starts("<?") {
            c.past("?>")?;
        } else if c.starts("<!ENTITY") {
            c.i += "<!ENTITY".len();
            let (name, len) = entity(c)?;
            entities.insert(name, len);
            if entities.len() > MAX_ENTITIES {
                return refuse(format!("more than {MAX_ENTITIES} entities are declared"));
            }
        } else if c.starts("<!ATTLIST") {
            if c.past_declaration()?.contains(&b'&') {
                return refuse(
                    "an attribute list declares a default value with an entity reference: \
                     such defaults multiply entities without showing them, so they are not accepted",
                );
            }
        } else if c.starts("<!ELEMENT") || c.starts("<!NOTATION") {
            c.past_declaration()?;
        } else if c.starts("%") {
            return refuse("parameter entity references (%name;) are not accepted");
        } else if truncated(
            c.rest(),
            &[
                "]",
                "<!--",
                "<?",
                "<!ENTITY",
                "<!ATTLIST",
                "<!ELEMENT",
                "<!NOTATION",
            ],
        ) {
            return Err(Prolog::Incomplete);
        } else {
            return refuse(
                "the DOCTYPE's internal subset holds something other than declarations and \
                 comments",
            );
        }
    }
}

fn entity(c: &mut Cursor<'_>) -> Result<(String, u64), Prolog> {
    c.skip_ws();
    if c.starts("%") {
        return refuse("parameter entities (<!ENTITY % …>) are not accepted");
    }
    let name = c.name();
    c.skip_ws();
    if c.starts("SYSTEM") || c.starts("PUBLIC") {
        return refuse(format!(
            "the external entity {name} is not accepted: healthcat never fetches what a document \
             points to"
        ));
    }
    let value = c.quoted()?;
    if value.contains(&b'&') || value.contains(&b'%') {
        return refuse(format!(
            "the entity {name} refers to other entities: nested entities can expand a small \
             document into gigabytes, so they are not accepted"
        ));
    }
    if value.len() > MAX_ENTITY_LEN {
        return refuse(format!(
            "the entity {name} is {} bytes long (at most {MAX_ENTITY_LEN})",
            value.len()
        ));
    }
    let len = value.len() as u64;
    c.skip_ws();
    match c.rest().first() {
        Some(b'>') => {
            c.i += 1;
            Ok((name, len))
        }
        None => Err(Prolog::Incomplete),
        Some(_) => refuse(format!("the declaration of the entity {name} is malformed")),
    }
}

/// Counts what the declared entities' references expand to as the bytes go by.
struct Budget<R> {
    inner: R,
    entities: HashMap<String, u64>,
    read: u64,
    expansion: u64,
    /// The name of the reference being read, after its `&`.
    name: Option<Vec<u8>>,
}

impl<R: Read> Read for Budget<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        for &b in &buf[..n] {
            match (&mut self.name, b) {
                (_, b'&') => self.name = Some(Vec::new()),
                (Some(name), b';') => {
                    if let Ok(name) = std::str::from_utf8(name)
                        && let Some(len) = self.entities.get(name)
                    {
                        self.expansion += len;
                    }
                    self.name = None;
                }
                (Some(name), b) if name.len() < 256 && !b.is_ascii_whitespace() && b != b'<' => {
                    name.push(b)
                }
                (Some(_), _) => self.name = None,
                (None, _) => {}
            }
        }
        let allowed = BASE_EXPANSION + EXPANSION_RATIO * self.read;
        if self.expansion > allowed {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "refused: the document's entity references expand to more than {allowed} \
                     bytes ({BASE_EXPANSION} bytes plus {EXPANSION_RATIO} per byte read): \
                     write the values out instead of using entities"
                ),
            ));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(xml: &[u8]) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        match guard(Box::new(xml)) {
            Ok(mut r) => r
                .read_to_end(&mut out)
                .map(|_| out)
                .map_err(|e| e.to_string()),
            Err(GuardError::Refused(why)) => Err(why),
            Err(GuardError::Io(e)) => Err(e.to_string()),
        }
    }

    const NS: &str = r#"<?xml version="1.0"?>
<!-- a comment -->
<!DOCTYPE rdf:RDF [ <!ENTITY xsd "http://www.w3.org/2001/XMLSchema#"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="https://ex.org/a">
<x:n xmlns:x="https://ex.org/" rdf:datatype="&xsd;integer">1</x:n></rdf:Description></rdf:RDF>"#;

    #[test]
    fn namespace_entities_pass_unchanged_and_amplifiers_do_not() {
        assert_eq!(check(NS.as_bytes()).unwrap(), NS.as_bytes());
        assert_eq!(check(b"<rdf:RDF/>").unwrap(), b"<rdf:RDF/>");
        let refused = |doc: &str, why: &str| {
            let err = check(doc.as_bytes()).unwrap_err();
            assert!(err.contains(why), "{doc}: {err}");
        };
        refused(
            r#"<!DOCTYPE r [ <!ENTITY a "aaaa"> <!ENTITY b "&a;&a;&a;"> ]><r>&b;</r>"#,
            "refers to other entities",
        );
        refused(
            r#"<!DOCTYPE r [ <!ENTITY e SYSTEM "file:///etc/passwd"> ]><r>&e;</r>"#,
            "external entity e",
        );
        refused(
            r#"<!DOCTYPE r [ <!ENTITY % p "x"> ]><r/>"#,
            "parameter entities",
        );
        refused(r#"<!DOCTYPE r [ %p; ]><r/>"#, "parameter entity references");
        // A '>' inside a value used to end the declaration early and hide the nested references.
        refused(
            r#"<!DOCTYPE r [ <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "><&a;&a;&a;&a;&a;"> ]><r>&b;</r>"#,
            "refers to other entities",
        );
        // A DOCTYPE mentioned in a comment first used to hide the real one.
        refused(
            r#"<!-- <!DOCTYPE x> --><!DOCTYPE r [ <!ENTITY a "x"> <!ENTITY b "&a;&a;"> ]><r/>"#,
            "refers to other entities",
        );
        refused(
            r#"<!DOCTYPE r [ <!ENTITY a "x"> <!ATTLIST r v CDATA "&a;&a;&a;"> ]><r/>"#,
            "attribute list",
        );
        refused(
            &format!(
                r#"<!DOCTYPE r [ {}<r/>"#,
                "<!-- -->".repeat(MAX_PROLOG / 8 + 1)
            ),
            "prolog",
        );
        // A DOCTYPE pushed past the prolog limit by comments is not let through unchecked.
        refused(
            &format!(
                "{}<!DOCTYPE r [ <!ENTITY a \"x\"> <!ENTITY b \"&a;&a;\"> ]><r/>",
                "<!-- -->".repeat(MAX_PROLOG / 8 - 1)
            ),
            "prolog",
        );
        refused("<!FOO bar><r/>", "markup other than");
        // Many references to a long entity: stopped as it streams.
        let wide = format!(
            r#"<!DOCTYPE r [ <!ENTITY w "{}"> ]><r>{}</r>"#,
            "w".repeat(1000),
            "&w;".repeat(70_000)
        );
        refused(&wide, "expand to more than");
    }

    #[test]
    fn truncated_prologs_are_left_to_the_parser() {
        for doc in [
            "<?xml",
            "<!--",
            "<!DOCTYPE r [ <!ENTITY a \"x",
            "<!DOCTYPE r [",
        ] {
            assert_eq!(check(doc.as_bytes()).unwrap(), doc.as_bytes());
        }
    }
}
