//! Splitting a file into storage units as it is read, in parts of bounded size.
//!
//! [`crate::split`] needs the whole document, because a record's nodes may be described anywhere
//! in it: ≈ 9 KB of memory per dataset, 9 GB for a million. Files people import at that size are
//! dumps, and dumps describe each record in one place (healthcat's own exports, the demo
//! generator, CKAN's and piveau's). [`StreamSplit`] reads such a file in *parts* of about
//! [`DEFAULT_PART_STATEMENTS`] statements, cut where a record begins, and splits each part by the
//! same rule. It gives exactly the units the whole-file split would, and checks as it goes that it
//! does; when a file is not grouped that way it stops with [`StreamError::NotGrouped`] naming the
//! node, before anything is stored, and the caller reads the file whole.
//!
//! What it keeps between parts, so that the answer is the whole-file one:
//! - nodes nothing has reached yet (described before the record that owns them) wait for the
//!   next parts; at the end they are stored as the whole-file split stores them;
//! - membership (`dcat:dataset`, `dcat:service` from a catalogue) waits for its record, wherever
//!   the catalogue lists it before the record's part is given out;
//! - the shared resources and catalogues already given out, so a record can be validated with the
//!   publisher or concept it names (validation sees what it would see in the whole file);
//! - the kind of the records already given out, for links between records (a series);
//! - one 64-bit hash per node already given out, per node it refers to and has not seen described,
//!   and per record: what tells that the file is grouped. That is what grows with the file:
//!   about 9 subjects per demo dataset, ≈ 150 MB at a million datasets.

use crate::canon::HashError;
use crate::doc::{DocGraph, TermId};
use crate::error::ParseError;
use crate::parse::{ParseOptions, within_limits};
use crate::split::{Unit, UnitKind, split_marking};
use healthcat_model::vocab::{dcat, rdf};
use healthcat_model::{RECORD_LINKS, RecordKind};
use oxrdf::{NamedOrBlankNode, Term, TermRef, Triple};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;

/// Statements per part by default (≈ 1,100 demo datasets).
pub const DEFAULT_PART_STATEMENTS: usize = 100_000;

/// A part without any record is cut after this many statements at least (cutting between a
/// shared resource and its own nodes would make the file need reading whole).
const MIN_FORCED_CUT: usize = 250_000;

/// Statements describing nodes that no record has reached yet, kept while the next parts are
/// read; past this the file is not grouped by record.
const MAX_WAITING: usize = 1_000_000;

/// One part of a streamed file: a document and the units to store from it.
#[derive(Debug)]
pub struct Part {
    /// The part's statements, and those of `context`.
    pub doc: DocGraph,
    /// The units to store, as [`crate::split`] gives them for the whole file.
    pub units: Vec<Unit>,
    /// Shared resources and catalogues of earlier parts that this part's records name: for
    /// validation only, not to be stored again (their keys and hashes are empty).
    pub context: Vec<Unit>,
    /// `rdf:type` of records of earlier parts that this part's records link to (a series).
    pub linked: Vec<Triple>,
}

/// Why a file cannot be read part by part.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// The file itself is wrong (syntax, limits, unreadable).
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// A unit's content could not be hashed.
    #[error("{0}")]
    Split(#[from] HashError),
    /// The file describes a record's nodes in places far apart: it must be read whole.
    #[error("{0}")]
    NotGrouped(String),
}

/// Reads statements into [`Part`]s; see the module documentation.
pub struct StreamSplit<I> {
    statements: I,
    source_name: String,
    options: ParseOptions,
    part_statements: usize,
    hasher: foldhash::quality::FixedState,
    /// The part being read.
    pending: Vec<Triple>,
    /// Where each subject's first statement is in `pending`.
    first_of: HashMap<NamedOrBlankNode, usize>,
    last_subject: Option<NamedOrBlankNode>,
    /// Where the last record of `pending` begins.
    last_record_start: Option<usize>,
    /// Statements of nodes nothing reached yet.
    waiting: Vec<Triple>,
    input_done: bool,
    finished: bool,
    statements_read: u64,
    skipped: Vec<ParseError>,
    described: HashSet<u64>,
    owned: HashSet<u64>,
    /// Nodes given-out units name that no part described yet: `true` when a record names it.
    dangling: HashMap<u64, bool>,
    records: HashMap<u64, RecordKind>,
    /// Records that link to records not read yet (a series before its editions): checked at
    /// the end, when the kind of everything they link to is known.
    /// Each with its statements (its term ids belong to the part it was split from).
    held: Vec<(Unit, Vec<Triple>)>,
    shared: HashMap<NamedOrBlankNode, Vec<Triple>>,
    catalogs: Vec<NamedOrBlankNode>,
    catalog_index: HashMap<NamedOrBlankNode, u32>,
    catalogs_described: HashSet<u32>,
    catalogs_used: HashSet<u32>,
    /// Membership waiting for its record: (record, [(is `dcat:service`, catalogue)]).
    listed: HashMap<u64, (Term, Vec<(bool, u32)>)>,
}

impl<I: Iterator<Item = Result<Triple, ParseError>>> StreamSplit<I> {
    /// Reads `statements` (from [`crate::parse::statements`]) of the input `source_name`.
    pub(crate) fn new(statements: I, source_name: &str, options: &ParseOptions) -> Self {
        Self {
            statements,
            source_name: source_name.to_owned(),
            options: options.clone(),
            part_statements: DEFAULT_PART_STATEMENTS,
            // Fixed keys are fine: a collision only makes a file read whole (or, for
            // membership, is checked against the term itself).
            hasher: foldhash::quality::FixedState::with_seed(0x6865_616c_7468_6361),
            pending: Vec::new(),
            first_of: HashMap::new(),
            last_subject: None,
            last_record_start: None,
            waiting: Vec::new(),
            input_done: false,
            finished: false,
            statements_read: 0,
            skipped: Vec::new(),
            described: HashSet::new(),
            owned: HashSet::new(),
            dangling: HashMap::new(),
            held: Vec::new(),
            records: HashMap::new(),
            shared: HashMap::new(),
            catalogs: Vec::new(),
            catalog_index: HashMap::new(),
            catalogs_described: HashSet::new(),
            catalogs_used: HashSet::new(),
            listed: HashMap::new(),
        }
    }

    /// Cuts parts after about `statements` statements instead of [`DEFAULT_PART_STATEMENTS`].
    pub fn part_statements(mut self, statements: usize) -> Self {
        self.part_statements = statements.max(1);
        self
    }

    /// Statements skipped for syntax errors (with `continue_on_error`).
    pub fn skipped(&self) -> &[ParseError] {
        &self.skipped
    }

    /// Statements read so far.
    pub fn statements_read(&self) -> u64 {
        self.statements_read
    }

    fn key(&self, t: TermRef<'_>) -> u64 {
        self.hasher.hash_one(t)
    }

    /// The next part, or `None` at the end of the file (after checking that nothing the file
    /// lists was left out).
    pub fn next_part(&mut self) -> Result<Option<Part>, StreamError> {
        if self.finished {
            return Ok(None);
        }
        while !self.input_done {
            let t = match self.statements.next() {
                None => {
                    self.input_done = true;
                    break;
                }
                Some(Ok(t)) => t,
                Some(Err(e @ ParseError::Syntax { .. })) if self.options.continue_on_error => {
                    self.skipped.push(e);
                    continue;
                }
                Some(Err(e)) => return Err(e.into()),
            };
            self.statements_read += 1;
            if t.predicate == dcat::DATASET_PROP || t.predicate == dcat::SERVICE {
                self.list(t)?;
                continue;
            }
            let mut cut = None;
            if self.last_subject.as_ref() != Some(&t.subject) {
                let len = self.pending.len();
                if len >= self.part_statements {
                    cut = match self.last_record_start {
                        Some(0) => None,
                        Some(start) => Some(start),
                        // A long stretch without a record: cut anyway (what it describes waits).
                        None if len >= (4 * self.part_statements).max(MIN_FORCED_CUT) => Some(len),
                        None => None,
                    };
                }
                self.first_of.entry(t.subject.clone()).or_insert(len);
                self.last_subject = Some(t.subject.clone());
            }
            if t.predicate == rdf::TYPE
                && RecordKind::ALL
                    .iter()
                    .any(|k| t.object.as_ref() == k.class().into())
            {
                self.last_record_start = self.first_of.get(&t.subject).copied();
            }
            self.pending.push(t);
            if let Some(at) = cut {
                let tail = self.pending.split_off(at);
                let head = std::mem::replace(&mut self.pending, tail);
                self.first_of.clear();
                for (i, t) in self.pending.iter().enumerate() {
                    self.first_of.entry(t.subject.clone()).or_insert(i);
                }
                self.last_record_start =
                    self.last_record_start.filter(|&s| s >= at).map(|s| s - at);
                return self.give(head, false).map(Some);
            }
        }
        self.finished = true;
        let rest = std::mem::take(&mut self.pending);
        let part = if rest.is_empty() && self.waiting.is_empty() && self.held.is_empty() {
            None
        } else {
            Some(self.give(rest, true)?)
        };
        self.end_checks()?;
        if self.statements_read == 0 && self.skipped.is_empty() {
            return Err(ParseError::Empty(self.source_name.clone()).into());
        }
        Ok(part)
    }

    /// Sets membership aside until its record is split.
    fn list(&mut self, t: Triple) -> Result<(), StreamError> {
        let NamedOrBlankNode::NamedNode(_) = &t.subject else {
            return Err(self.not_grouped(format!("a catalogue without an IRI lists {}", t.object)));
        };
        let target: TermRef<'_> = t.object.as_ref();
        if matches!(target, TermRef::Literal(_)) {
            return Err(self.not_grouped(format!("{} lists a literal, {}", t.subject, t.object)));
        }
        let key = self.key(target);
        if self.records.contains_key(&key) {
            return Err(self.not_grouped(format!(
                "{} is listed by {} far after its description",
                t.object, t.subject
            )));
        }
        let cat = self.catalog(&t.subject);
        let service = t.predicate == dcat::SERVICE;
        let entry = self
            .listed
            .entry(key)
            .or_insert_with(|| (t.object.clone(), Vec::new()));
        if entry.0 != t.object {
            let other = entry.0.clone();
            return Err(self.not_grouped(format!(
                "{other} and {} cannot be told apart by the streamed import",
                t.object
            )));
        }
        if !entry.1.contains(&(service, cat)) {
            entry.1.push((service, cat));
        }
        Ok(())
    }

    fn not_grouped(&self, why: String) -> StreamError {
        StreamError::NotGrouped(format!(
            "{}: {why} (around statement {}); a streamed import needs each record described in one \
             place",
            self.source_name, self.statements_read
        ))
    }

    /// Splits `statements` (and the nodes waiting) into a part; `last` at the end of the file.
    fn give(&mut self, statements: Vec<Triple>, last: bool) -> Result<Part, StreamError> {
        let mut all = std::mem::take(&mut self.waiting);
        all.extend(statements);
        self.check_new(&all)?;
        let mut doc = DocGraph::new();
        for t in all {
            doc.insert(t.subject, t.predicate, t.object);
        }
        doc.seal();
        within_limits(&doc, &self.source_name, &self.options)?;
        let (units, unreached) = split_marking(&doc)?;
        self.check_late(&doc, &units, &unreached)?;
        // Nodes nothing reached yet wait for the next part.
        let (waiting, give): (Vec<Unit>, Vec<Unit>) = units.into_iter().partition(|u| {
            !last && (u.root.is_none() || root_id(&doc, u).is_some_and(|i| unreached.contains(&i)))
        });
        for u in &waiting {
            self.waiting.extend(u.triples(&doc).map(|t| t.into_owned()));
        }
        if self.waiting.len() > MAX_WAITING {
            return Err(self.not_grouped(format!(
                "more than {MAX_WAITING} statements describe nodes that no record reached yet"
            )));
        }
        // Records that link to records not read yet wait for the end.
        let part_roots: HashSet<TermId> = give.iter().filter_map(|u| root_id(&doc, u)).collect();
        let (mut hold, mut give): (Vec<Unit>, Vec<Unit>) = give.into_iter().partition(|u| {
            !last
                && u.is_record()
                && u.triple_ids.iter().any(|t| {
                    RECORD_LINKS.contains(&doc.triple(*t).predicate)
                        && !part_roots.contains(&t[2])
                        && !self.records.contains_key(&self.key(doc.term(t[2])))
                })
        });
        for u in give.iter_mut().chain(hold.iter_mut()) {
            self.register_record(u)?;
        }
        for u in &hold {
            self.mark_given(&doc, u, false);
        }
        self.held.extend(hold.into_iter().map(|u| {
            let triples = u.triples(&doc).map(|t| t.into_owned()).collect();
            (u, triples)
        }));
        if last {
            for (mut u, triples) in std::mem::take(&mut self.held) {
                u.triple_ids = triples.iter().map(|t| doc.insert_ids(t)).collect();
                give.push(u);
            }
        }
        let (context, linked) = self.context(&mut doc, &give);
        for u in &give {
            self.mark_given(&doc, u, true);
            if let (false, Some(r)) = (u.is_record(), &u.root) {
                if u.kind == UnitKind::Catalog {
                    let cat = self.catalog(r);
                    self.catalogs_described.insert(cat);
                }
                self.shared
                    .insert(r.clone(), u.triples(&doc).map(|t| t.into_owned()).collect());
            }
        }
        doc.seal();
        Ok(Part {
            doc,
            units: give,
            context,
            linked,
        })
    }

    /// Statements about nodes given out already, or naming nodes another unit owns.
    fn check_new(&self, all: &[Triple]) -> Result<(), StreamError> {
        for t in all {
            if self
                .described
                .contains(&self.key(t.subject.as_ref().into()))
            {
                return Err(self.not_grouped(format!(
                    "{} is described in two places far apart",
                    t.subject
                )));
            }
            if !matches!(t.object, Term::Literal(_))
                && self.owned.contains(&self.key(t.object.as_ref()))
            {
                return Err(self.not_grouped(format!(
                    "{} belongs to one record and is named again far from it",
                    t.object
                )));
            }
        }
        Ok(())
    }

    /// A node described after a unit that names it, in an earlier part: it would have been that
    /// unit's, or (a shared resource named by a record) part of what the record is checked with.
    fn check_late(
        &self,
        doc: &DocGraph,
        units: &[Unit],
        unreached: &HashSet<TermId>,
    ) -> Result<(), StreamError> {
        for u in units {
            let root = root_id(doc, u);
            for t in &u.triple_ids {
                let Some(&by_record) = self.dangling.get(&self.key(doc.term(t[0]))) else {
                    continue;
                };
                // A root nothing in this part reaches was reached by the earlier unit.
                let late = Some(t[0]) != root
                    || unreached.contains(&t[0])
                    || (by_record && !u.is_record());
                if late {
                    return Err(self.not_grouped(format!(
                        "{} is described far after the {} that names it",
                        doc.term(t[0]),
                        if by_record { "record" } else { "description" }
                    )));
                }
            }
        }
        Ok(())
    }

    /// The index of a catalogue in `catalogs`.
    fn catalog(&mut self, node: &NamedOrBlankNode) -> u32 {
        let next = u32::try_from(self.catalogs.len()).unwrap_or(u32::MAX);
        *self.catalog_index.entry(node.clone()).or_insert_with(|| {
            self.catalogs.push(node.clone());
            next
        })
    }

    /// A record given out or held: its membership, and its kind for the records linking to it.
    fn register_record(&mut self, u: &mut Unit) -> Result<(), StreamError> {
        let (UnitKind::Record(kind), Some(root)) = (u.kind, &u.root) else {
            return Ok(());
        };
        let root_term: Term = root.clone().into();
        let key = self.key(root_term.as_ref());
        match self.listed.remove(&key) {
            Some((term, lists)) if term != root_term => {
                self.listed.insert(key, (term, lists));
            }
            Some((_, lists)) => {
                for (service, cat) in lists {
                    if service != (kind == RecordKind::DataService) {
                        return Err(self.not_grouped(format!(
                            "{} lists {root} with {}, which does not match its kind",
                            self.catalogs[cat as usize],
                            if service {
                                "dcat:service"
                            } else {
                                "dcat:dataset"
                            }
                        )));
                    }
                    u.catalogs.push(self.catalogs[cat as usize].clone());
                    self.catalogs_used.insert(cat);
                }
                u.catalogs.sort_by_key(ToString::to_string);
                u.catalogs.dedup();
            }
            None => {}
        }
        if self.records.insert(key, kind).is_some() {
            return Err(self.not_grouped(format!("{root} is described in two places")));
        }
        Ok(())
    }

    /// Remembers what `u` describes; `given` (not held), what it names and nothing described.
    fn mark_given(&mut self, doc: &DocGraph, u: &Unit, given: bool) {
        let root = root_id(doc, u);
        for t in &u.triple_ids {
            let s = self.key(doc.term(t[0]));
            self.described.insert(s);
            if Some(t[0]) != root {
                self.owned.insert(s);
            }
            let o = doc.term(t[2]);
            // A held record is checked at the end, with everything: what it names may come later.
            if given && !matches!(o, TermRef::Literal(_)) && !doc.is_subject(t[2]) {
                let o = self.key(o);
                if !self.described.contains(&o) {
                    *self.dangling.entry(o).or_default() |= u.is_record();
                }
            }
        }
    }

    /// What earlier parts gave that the records of `give` name: shared resources and catalogues
    /// (added to `doc` as units), and the kind of linked records.
    fn context(&self, doc: &mut DocGraph, give: &[Unit]) -> (Vec<Unit>, Vec<Triple>) {
        let roots: HashSet<TermId> = give.iter().filter_map(|u| root_id(doc, u)).collect();
        let mut linked = Vec::new();
        let mut named = HashSet::new();
        for u in give.iter().filter(|u| u.is_record()) {
            for t in u.triples(doc) {
                let node: NamedOrBlankNode = match t.object {
                    TermRef::NamedNode(n) => n.into_owned().into(),
                    TermRef::BlankNode(b) => b.into_owned().into(),
                    TermRef::Literal(_) => continue,
                };
                if doc
                    .id_of(node.clone())
                    .is_some_and(|id| roots.contains(&id))
                {
                    continue;
                }
                if let (TermRef::NamedNode(n), true) =
                    (t.object, RECORD_LINKS.contains(&t.predicate))
                    && let Some(kind) = self.records.get(&self.key(t.object))
                {
                    linked.push(Triple::new(n.into_owned(), rdf::TYPE, kind.class()));
                }
                if self.shared.contains_key(&node) {
                    named.insert(node);
                }
            }
        }
        linked.sort_by_key(ToString::to_string);
        linked.dedup();
        let mut context = Vec::new();
        for node in named {
            let kind = if self.catalog_index.contains_key(&node) {
                UnitKind::Catalog
            } else {
                UnitKind::Resource
            };
            let triple_ids = self.shared[&node]
                .iter()
                .map(|t| doc.insert_ids(t))
                .collect();
            context.push(Unit {
                kind,
                root: Some(node),
                key: String::new(),
                triple_ids,
                catalogs: Vec::new(),
                hash: String::new(),
                validation: None,
                quality: None,
                origin: None,
            });
        }
        (context, linked)
    }

    /// At the end: every membership found its record, every listing catalogue was described.
    fn end_checks(&self) -> Result<(), StreamError> {
        if let Some((target, lists)) = self.listed.values().next() {
            let cat = lists
                .first()
                .map(|(_, c)| self.catalogs[*c as usize].to_string())
                .unwrap_or_default();
            return Err(self.not_grouped(format!(
                "{cat} lists {target}, which the file does not describe as a record"
            )));
        }
        if let Some(cat) = self
            .catalogs_used
            .iter()
            .find(|c| !self.catalogs_described.contains(c))
        {
            return Err(self.not_grouped(format!(
                "{} lists records but is not described as a dcat:Catalog",
                self.catalogs[*cat as usize]
            )));
        }
        Ok(())
    }
}

/// The term id of a unit's root in `doc`.
fn root_id(doc: &DocGraph, u: &Unit) -> Option<TermId> {
    u.root.as_ref().and_then(|r| doc.id_of(r.clone()))
}

/// Reads `reader` part by part (see [`StreamSplit`]).
pub fn stream_document<'r>(
    reader: impl std::io::Read + 'r,
    format: crate::Format,
    source_name: &str,
    options: &ParseOptions,
) -> Result<StreamSplit<impl Iterator<Item = Result<Triple, ParseError>> + 'r>, ParseError> {
    let statements = crate::parse::statements(reader, format, source_name, options)?;
    Ok(StreamSplit::new(statements, source_name, options))
}
