//! Alerts: a search as an Atom feed (RFC 4287) of the records that newly match it or changed,
//! most recent first, so that a researcher can follow "new cohorts on diabetes in France" in a
//! feed reader. Written with the `atom_syndication` crate.
//!
//! Each entry's `id` names the record *and* the time it last changed (`{page}#{updated}`): a
//! change reaches a reader as a new entry, not as an edit most readers would not show again.

use atom_syndication::{Entry, Feed, FixedDateTime, Generator, Link, Person, Text, TextType};

/// The feed's own description.
pub struct FeedInfo {
    /// Its title ("healthcat — diabetes, France").
    pub title: String,
    /// Its address (the `/search.atom?…` URL), also its id.
    pub self_url: String,
    /// The same search as a page.
    pub alternate: String,
    /// The catalogue's name, the feed's author.
    pub author: String,
    /// The language of titles and summaries.
    pub lang: String,
    /// When an empty feed says it was updated (RFC 3339): now.
    pub now: String,
}

/// One record that matches.
pub struct FeedEntry {
    /// The record's page (absolute).
    pub page: String,
    /// Its title.
    pub title: String,
    /// An extract of its description, as HTML (the search's snippet: escaped, with `<mark>`).
    pub summary_html: String,
    /// When it last changed in the catalogue (RFC 3339).
    pub updated: String,
    /// Its publisher's name.
    pub publisher: Option<String>,
}

/// Why a feed was not written.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// A time is not RFC 3339.
    #[error("{0:?} is not an RFC 3339 time")]
    Time(String),
    /// Writing failed.
    #[error("writing the feed: {0}")]
    Write(String),
}

fn time(t: &str) -> Result<FixedDateTime, FeedError> {
    FixedDateTime::parse_from_rfc3339(t).map_err(|_| FeedError::Time(t.to_owned()))
}

fn link(href: &str, rel: &str, mime: &str) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel);
    l.set_mime_type(Some(mime.to_owned()));
    l
}

/// The feed of `entries` (most recent first), as XML.
pub fn feed(info: &FeedInfo, entries: &[FeedEntry]) -> Result<String, FeedError> {
    let mut out = Vec::with_capacity(entries.len());
    let mut latest: Option<FixedDateTime> = None;
    for e in entries {
        let updated = time(&e.updated)?;
        latest = Some(latest.map_or(updated, |l| l.max(updated)));
        let mut entry = Entry::default();
        entry.set_id(format!("{}#{}", e.page, e.updated));
        entry.set_title(Text::plain(e.title.clone()));
        entry.set_updated(updated);
        entry.set_links(vec![link(&e.page, "alternate", "text/html")]);
        if !e.summary_html.is_empty() {
            let mut s = Text::html(e.summary_html.clone());
            s.r#type = TextType::Html;
            entry.set_summary(Some(s));
        }
        if let Some(p) = &e.publisher {
            let mut who = Person::default();
            who.set_name(p.clone());
            entry.set_authors(vec![who]);
        }
        out.push(entry);
    }
    let mut feed = Feed::default();
    feed.set_title(Text::plain(info.title.clone()));
    feed.set_id(info.self_url.clone());
    feed.set_updated(match latest {
        Some(t) => t,
        None => time(&info.now)?,
    });
    feed.set_lang(Some(info.lang.clone()));
    feed.set_links(vec![
        link(&info.self_url, "self", "application/atom+xml"),
        link(&info.alternate, "alternate", "text/html"),
    ]);
    let mut author = Person::default();
    author.set_name(info.author.clone());
    feed.set_authors(vec![author]);
    let mut generator = Generator::default();
    generator.set_value("healthcat");
    feed.set_generator(Some(generator));
    feed.set_entries(out);
    let bytes = feed
        .write_to(Vec::new())
        .map_err(|e| FeedError::Write(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| FeedError::Write(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_reads_back_with_its_entries_and_escapes_titles() {
        let info = FeedInfo {
            title: "healthcat — diabète".into(),
            self_url: "http://localhost/search.atom?q=diab%C3%A8te".into(),
            alternate: "http://localhost/search?q=diab%C3%A8te".into(),
            author: "healthcat".into(),
            lang: "fr".into(),
            now: "2026-12-05T10:00:00Z".into(),
        };
        let entries = [
            FeedEntry {
                page: "http://localhost/datasets/a".into(),
                title: "Cohorte <diabète> & co".into(),
                summary_html: "Cohorte sur le <mark>diabète</mark>".into(),
                updated: "2026-12-04T09:00:00Z".into(),
                publisher: Some("Inserm".into()),
            },
            FeedEntry {
                page: "http://localhost/datasets/b".into(),
                title: "Registre".into(),
                summary_html: String::new(),
                updated: "2026-12-01T09:00:00+01:00".into(),
                publisher: None,
            },
        ];
        let xml = feed(&info, &entries).unwrap();
        let back = Feed::read_from(xml.as_bytes()).unwrap();
        assert_eq!(back.entries().len(), 2);
        assert_eq!(back.entries()[0].title().as_str(), "Cohorte <diabète> & co");
        assert_eq!(back.updated().to_rfc3339(), "2026-12-04T09:00:00+00:00");
        assert_eq!(
            back.entries()[0].id(),
            "http://localhost/datasets/a#2026-12-04T09:00:00Z"
        );
        let empty = feed(&info, &[]).unwrap();
        assert!(
            empty.contains("<updated>2026-12-05T10:00:00+00:00</updated>"),
            "{empty}"
        );
        assert!(matches!(
            feed(
                &info,
                &[FeedEntry {
                    updated: "yesterday".into(),
                    ..entries[1].clone_for_test()
                }]
            ),
            Err(FeedError::Time(_))
        ));
    }

    impl FeedEntry {
        fn clone_for_test(&self) -> FeedEntry {
            FeedEntry {
                page: self.page.clone(),
                title: self.title.clone(),
                summary_html: self.summary_html.clone(),
                updated: self.updated.clone(),
                publisher: self.publisher.clone(),
            }
        }
    }
}
