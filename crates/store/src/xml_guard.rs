//! A guard in front of the RDF/XML parser against entity expansion ("billion laughs").
//!
//! The XML parser under oxrdfxml expands the internal entities a document declares in its DTD,
//! and expands nested ones as they are declared: eight lines of `<!ENTITY b "&a;&a;…">` took
//! 1.9 GB and 5 s before the parser got to any triple, and one line more would exhaust the
//! machine — from a 2 kB upload, a harvested page or a push. RDF/XML uses entities for short
//! namespace abbreviations (`<!ENTITY xsd "http://www.w3.org/2001/XMLSchema#">`), so they are
//! not refused outright. Before parsing, the internal subset is read and a document is refused
//! when an entity:
//! - refers to another entity or is a parameter entity (the amplification of nested entities),
//! - is external (`SYSTEM`, `PUBLIC`: never fetched anyway),
//! - is longer than [`MAX_ENTITY_LEN`] bytes, or the document declares more than
//!   [`MAX_ENTITIES`];
//!
//! and when its references would expand to more than [`MAX_EXPANSION`] bytes in all.

/// Longest entity value accepted.
pub const MAX_ENTITY_LEN: usize = 1024;
/// Most entities in a document.
pub const MAX_ENTITIES: usize = 256;
/// Most bytes all entity references may expand to.
pub const MAX_EXPANSION: usize = 64 << 20;

/// `Err(message)` when `xml` declares entities that could blow up (see the module doc).
pub fn check(xml: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(xml);
    let Some(start) = text.find("<!DOCTYPE") else {
        return Ok(());
    };
    let rest = &text[start..];
    // The internal subset, between '[' and "]>", when there is one.
    let Some(open) = rest.find('[') else {
        return Ok(());
    };
    if rest.find('>').is_some_and(|gt| gt < open) {
        return Ok(());
    }
    let Some(close) = rest[open..].find("]>") else {
        return Err("the DOCTYPE's internal subset is not closed".into());
    };
    let subset = &rest[open + 1..open + close];
    let body = &rest[open + close..];
    let mut entities: Vec<(String, usize)> = Vec::new();
    for decl in subset.split("<!ENTITY").skip(1) {
        let decl = decl.split('>').next().unwrap_or("").trim();
        if decl.starts_with('%') {
            return Err("parameter entities (<!ENTITY % …>) are not accepted".into());
        }
        let mut words = decl.splitn(2, char::is_whitespace);
        let name = words.next().unwrap_or("").to_owned();
        let value = words.next().unwrap_or("").trim();
        if value.starts_with("SYSTEM") || value.starts_with("PUBLIC") {
            return Err(format!(
                "the external entity {name} is not accepted: healthcat never fetches what a document points to"
            ));
        }
        let quote = value.chars().next().unwrap_or('"');
        let inner = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
            .unwrap_or(value);
        if inner.contains('&') || inner.contains('%') {
            return Err(format!(
                "the entity {name} refers to other entities: nested entities can expand a small \
                 document into gigabytes, so they are not accepted"
            ));
        }
        if inner.len() > MAX_ENTITY_LEN {
            return Err(format!(
                "the entity {name} is {} bytes long (at most {MAX_ENTITY_LEN})",
                inner.len()
            ));
        }
        entities.push((name, inner.len()));
        if entities.len() > MAX_ENTITIES {
            return Err(format!("more than {MAX_ENTITIES} entities are declared"));
        }
    }
    let mut expansion = 0usize;
    for (name, len) in &entities {
        let uses = body.matches(&format!("&{name};")).count();
        expansion = expansion.saturating_add(uses.saturating_mul(*len));
    }
    if expansion > MAX_EXPANSION {
        return Err(format!(
            "its entity references would expand to {expansion} bytes (at most {MAX_EXPANSION})"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    const NS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY xsd "http://www.w3.org/2001/XMLSchema#"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="https://ex.org/a">
<x:n xmlns:x="https://ex.org/" rdf:datatype="&xsd;integer">1</x:n></rdf:Description></rdf:RDF>"#;

    #[test]
    fn namespace_entities_pass_and_amplifiers_do_not() {
        assert_eq!(check(NS.as_bytes()), Ok(()));
        assert_eq!(check(b"<rdf:RDF/>"), Ok(()));
        let laughs = r#"<!DOCTYPE r [ <!ENTITY a "aaaa"> <!ENTITY b "&a;&a;&a;"> ]><r>&b;</r>"#;
        assert!(
            check(laughs.as_bytes())
                .unwrap_err()
                .contains("refers to other entities")
        );
        let ext = r#"<!DOCTYPE r [ <!ENTITY e SYSTEM "file:///etc/passwd"> ]><r>&e;</r>"#;
        assert!(
            check(ext.as_bytes())
                .unwrap_err()
                .contains("external entity e")
        );
        let param = r#"<!DOCTYPE r [ <!ENTITY % p "x"> ]><r/>"#;
        assert!(
            check(param.as_bytes())
                .unwrap_err()
                .contains("parameter entities")
        );
        let wide = format!(
            r#"<!DOCTYPE r [ <!ENTITY w "{}"> ]><r>{}</r>"#,
            "w".repeat(1000),
            "&w;".repeat(70_000)
        );
        assert!(check(wide.as_bytes()).unwrap_err().contains("would expand"));
    }
}
