//! A basket read against the store: each dataset as it is now, grouped by the body that decides
//! on access to it.
//!
//! The deciding body is the record's `healthcatap:hdab`, except for public data, or when the
//! record names none, where it is the publisher. Groups are (body, access level), in the order
//! their first dataset was added. A record withdrawn since it was added is reported in
//! [`Resolved::withdrawn`]; a chosen variable the record no longer has in
//! [`Entry::stale_variables`] — the rest of the basket is kept.

use crate::Basket;
use healthcat_model::vocab::authority::ACCESS_PUBLIC;
use healthcat_model::{AgentView, DatasetView, Dictionary, LangMap, LocalId};
use healthcat_store::Store;

/// A body: an HDAB or a publisher.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agent {
    /// Its IRI (empty for a blank node).
    pub iri: String,
    /// Its names per language.
    pub names: Vec<(String, String)>,
    /// Its contact (e-mail or page).
    pub contact: Option<String>,
}

impl Agent {
    /// Its name in `lang` (else French, English, any; else its IRI).
    pub fn name(&self, lang: &str) -> String {
        [lang, "fr", "en"]
            .iter()
            .find_map(|l| self.names.iter().find(|(t, _)| t == l))
            .or(self.names.first())
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| self.iri.clone())
    }
}

/// A chosen or available variable of a dataset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chosen {
    /// `table/name`: how the basket names it.
    pub key: String,
    /// Its table's key.
    pub table: String,
    /// `csvw:name`
    pub name: String,
    /// The column's IRI, if it has one.
    pub iri: Option<String>,
    /// Its titles.
    pub titles: LangMap,
    /// Whether the researcher chose it.
    pub chosen: bool,
}

/// One dataset of the basket, as the store has it now.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// Local id.
    pub id: String,
    /// The record's view.
    pub view: DatasetView,
    /// Every variable of its dictionary (those chosen marked), in the dictionary's order.
    pub variables: Vec<Chosen>,
    /// Chosen variables the record no longer has.
    pub stale_variables: Vec<String>,
    /// The researcher's note.
    pub note: String,
}

impl Entry {
    /// The variables chosen.
    pub fn chosen(&self) -> impl Iterator<Item = &Chosen> {
        self.variables.iter().filter(|v| v.chosen)
    }
}

/// The datasets one body decides on, at one access level.
#[derive(Debug, Clone, Default)]
pub struct Group {
    /// The body.
    pub authority: Agent,
    /// Whether the body is the HDAB the records name (else their publisher).
    pub is_hdab: bool,
    /// The access level's IRI (`dct:accessRights`), if given.
    pub access_rights: Option<String>,
    /// The datasets.
    pub entries: Vec<Entry>,
}

/// A basket resolved.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// The groups.
    pub groups: Vec<Group>,
    /// Ids of records withdrawn since they were added.
    pub withdrawn: Vec<String>,
}

impl Resolved {
    /// How many datasets.
    pub fn len(&self) -> usize {
        self.groups.iter().map(|g| g.entries.len()).sum()
    }

    /// Whether it holds no dataset.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn agent(store: &Store, a: &AgentView, source: &str) -> Result<Agent, crate::BasketError> {
    let iri = a.iri.clone().unwrap_or_default();
    let mut names: Vec<(String, String)> = a
        .name
        .values()
        .map(|(l, n)| (l.to_owned(), n.to_owned()))
        .collect();
    if names.is_empty() && !iri.is_empty() {
        names = store.names_of(&iri, source)?;
    }
    Ok(Agent {
        iri,
        names,
        contact: a.contact.clone(),
    })
}

/// `basket` as the store has its records now.
pub fn resolve(store: &Store, basket: &Basket) -> Result<Resolved, crate::BasketError> {
    let mut out = Resolved::default();
    for item in &basket.items {
        let record = match LocalId::new(item.id.clone()) {
            Ok(id) => store.get(&id)?,
            Err(_) => None,
        };
        let Some((record, root)) = record.and_then(|r| r.meta.root.clone().map(|root| (r, root)))
        else {
            out.withdrawn.push(item.id.clone());
            continue;
        };
        let view = DatasetView::new(&record.graph, root.as_ref());
        let dictionary = Dictionary::new(&record.graph, root.as_ref());
        let variables: Vec<Chosen> = dictionary
            .variables()
            .map(|(t, c)| {
                let key = format!("{}/{}", t.key(), c.name);
                Chosen {
                    chosen: item.variables.contains(&key),
                    key,
                    table: t.key(),
                    name: c.name.clone(),
                    iri: c.iri.clone(),
                    titles: c.titles.clone(),
                }
            })
            .collect();
        let stale_variables = item
            .variables
            .iter()
            .filter(|k| !variables.iter().any(|v| &v.key == *k))
            .cloned()
            .collect();
        let public = view.access_rights.as_deref() == Some(ACCESS_PUBLIC);
        let source = record.meta.source.clone();
        let (authority, is_hdab) = match (&view.hdab, &view.publisher) {
            (Some(h), _) if !public => (agent(store, h, &source)?, true),
            (_, Some(p)) => (agent(store, p, &source)?, false),
            (Some(h), None) => (agent(store, h, &source)?, true),
            (None, None) => (Agent::default(), false),
        };
        let access_rights = view.access_rights.clone();
        let entry = Entry {
            id: item.id.clone(),
            view,
            variables,
            stale_variables,
            note: item.note.clone(),
        };
        match out.groups.iter_mut().find(|g| {
            g.authority.iri == authority.iri
                && g.is_hdab == is_hdab
                && g.access_rights == access_rights
        }) {
            Some(g) => g.entries.push(entry),
            None => out.groups.push(Group {
                authority,
                is_hdab,
                access_rights,
                entries: vec![entry],
            }),
        }
    }
    Ok(out)
}
