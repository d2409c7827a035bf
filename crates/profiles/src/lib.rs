//! # healthcat-profiles
//!
//! The validation profiles healthcat ships, and the rules for applying them. A profile is a folder
//! of `shapes/` with a `profile.toml` manifest: the shapes files (merged into one shapes graph,
//! compiled once by [`healthcat_shacl`]), the code lists its checks read, the shapes run once per
//! document, and optionally *levels* — one shape per value of a property, applied to each instance
//! of a class according to its own value. HealthDCAT-AP's access levels are such levels: a dataset
//! whose `dct:accessRights` is `PUBLIC` is checked against the public rules, a `NON_PUBLIC` one
//! against the stricter ones, in the same document.
//!
//! The bundled profiles are compiled into the binary; [`Profile::load`] reads one from a folder.
//!
//! ```
//! use healthcat_profiles::{Profile, Options};
//!
//! let profile = Profile::builtin("healthdcat-ap-r8")?;
//! let report = profile.validate(&[], &Options::default());
//! // An empty document describes no dataset.
//! assert!(!report.conforms);
//! # Ok::<_, healthcat_profiles::ProfileError>(())
//! ```
#![warn(missing_docs)]

mod background;
mod bundled;
mod form;
mod manifest;
pub mod values;

pub use background::{Background, CodeList};
pub use form::{Field, FieldKind};

use healthcat_shacl::{
    Constraint, DataGraph, Graph, Id, ResultSummary, ShapeId, Shapes, ShapesOptions, Terms,
    ValidationReport, ValidationResult, validate_with_targets,
};
use manifest::{Manifest, join};
use oxrdf::{NamedNode, NamedNodeRef, TermRef, Triple, TripleRef, vocab::rdf};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Why a profile could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// No bundled profile has that name.
    #[error("unknown profile {name:?}; the bundled profiles are: {available}")]
    Unknown {
        /// The name asked for.
        name: String,
        /// The bundled names, comma-separated.
        available: String,
    },
    /// A file of the profile is missing or unreadable.
    #[error("{file}: {message}")]
    File {
        /// The file.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// The manifest is malformed or refers to something that does not exist.
    #[error("{file}: {message}")]
    Manifest {
        /// The manifest file.
        file: String,
        /// What is wrong, and what to write instead.
        message: String,
    },
    /// A shapes or vocabulary file is not valid Turtle.
    #[error("{file}: invalid Turtle: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// The parser's message (with line and column).
        message: String,
    },
    /// The merged shapes graph is not valid SHACL.
    #[error("profile {profile}: {source}")]
    Shapes {
        /// The profile.
        profile: String,
        /// The shape and its problem.
        source: healthcat_shacl::ShapesError,
    },
}

/// Where a profile's files come from.
enum Source<'a> {
    Bundled,
    Dir(&'a Path),
}

impl Source<'_> {
    fn read(&self, path: &str) -> Result<String, ProfileError> {
        match self {
            Source::Bundled => {
                bundled::file(path)
                    .map(str::to_owned)
                    .ok_or_else(|| ProfileError::File {
                        file: path.to_owned(),
                        message: "not among the bundled profile files".into(),
                    })
            }
            Source::Dir(root) => {
                let full: PathBuf = root.join(path);
                std::fs::read_to_string(&full).map_err(|e| ProfileError::File {
                    file: full.display().to_string(),
                    message: e.to_string(),
                })
            }
        }
    }
}

/// One level of a profile.
#[derive(Debug, Clone)]
pub struct Level {
    /// Its name (`public`, `restricted`, `non-public`).
    pub name: String,
    /// The value of the level property that selects it.
    pub value: NamedNode,
    shape: ShapeId,
}

#[derive(Debug)]
struct Levels {
    class: NamedNode,
    property: NamedNode,
    default: usize,
    levels: Vec<Level>,
}

/// Options of one validation.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// Check every instance against this level, whatever its own value (as the official validator,
    /// where the user picks the level). `None`: each instance at its own level.
    pub level: Option<String>,
    /// Skip the document shapes (when validating records one at a time).
    pub skip_document_shapes: bool,
}

/// A compiled profile, ready to validate any number of documents.
#[derive(Debug)]
pub struct Profile {
    /// Its name (`healthdcat-ap-r8`).
    pub name: String,
    /// Its title for people.
    pub title: String,
    /// Its version.
    pub version: String,
    /// The specification it implements.
    pub specification: Option<String>,
    shapes: Shapes,
    document_shapes: Vec<(ShapeId, NamedNode)>,
    background: Background,
    levels: Option<Levels>,
}

/// Results explained per part by [`Profile::summaries_in_parts`]: large enough to keep every core
/// busy, small enough that the parts of a round stay a few megabytes.
pub const SUMMARY_PART: usize = 16_384;

impl Profile {
    /// The bundled profiles' names.
    pub fn builtin_names() -> &'static [&'static str] {
        bundled::PROFILES
    }

    /// A bundled profile.
    pub fn builtin(name: &str) -> Result<Self, ProfileError> {
        if !bundled::PROFILES.contains(&name) {
            return Err(ProfileError::Unknown {
                name: name.to_owned(),
                available: bundled::PROFILES.join(", "),
            });
        }
        Self::compile(&Source::Bundled, name)
    }

    /// A profile from a folder holding a `profile.toml`; its paths may reach sibling folders
    /// (`../vocabularies/…`), resolved from the folder's parent.
    pub fn load(dir: &Path) -> Result<Self, ProfileError> {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| ProfileError::File {
                file: dir.display().to_string(),
                message: "not a profile folder".into(),
            })?;
        let root = dir.parent().unwrap_or(Path::new("."));
        Self::compile(&Source::Dir(root), &name)
    }

    /// This profile with its warning and info property shapes turned off: it reports the same
    /// violations, faster (see [`Shapes::only_violations`]).
    pub fn only_violations(mut self) -> Self {
        self.shapes.only_violations();
        self
    }

    /// A profile made of shapes only (`--shapes` files): no code lists, levels or document shapes.
    pub fn from_shapes(name: &str, shapes: Shapes) -> Self {
        Profile {
            name: name.to_owned(),
            title: name.to_owned(),
            version: String::new(),
            specification: None,
            shapes,
            document_shapes: Vec::new(),
            background: Background::default(),
            levels: None,
        }
    }

    fn compile(source: &Source<'_>, dir: &str) -> Result<Self, ProfileError> {
        let manifest_path = format!("{dir}/profile.toml");
        let manifest: Manifest =
            toml::from_str(&source.read(&manifest_path)?).map_err(|e| ProfileError::Manifest {
                file: manifest_path.clone(),
                message: e.to_string(),
            })?;
        let mut triples = Vec::new();
        for file in &manifest.shapes {
            triples.extend(turtle(source, &join(dir, file))?);
        }
        let shapes = Shapes::compile(
            Graph::new(triples.iter().map(Triple::as_ref)),
            ShapesOptions::default(),
        )
        .map_err(|source| ProfileError::Shapes {
            profile: manifest.name.clone(),
            source,
        })?;
        let shape = |iri: &str| -> Result<(ShapeId, NamedNode), ProfileError> {
            let node = NamedNode::new(iri).map_err(|e| ProfileError::Manifest {
                file: manifest_path.clone(),
                message: format!("{iri:?} is not an IRI: {e}"),
            })?;
            let id =
                shapes
                    .shape_of(node.as_ref().into())
                    .ok_or_else(|| ProfileError::Manifest {
                        file: manifest_path.clone(),
                        message: format!("no shape <{iri}> in the profile's shapes files"),
                    })?;
            Ok((id, node))
        };
        let document_shapes = manifest
            .document_shapes
            .iter()
            .map(|iri| shape(iri))
            .collect::<Result<_, _>>()?;
        let levels = match &manifest.levels {
            None => None,
            Some(l) => {
                let iri = |s: &str| {
                    NamedNode::new(s).map_err(|e| ProfileError::Manifest {
                        file: manifest_path.clone(),
                        message: format!("{s:?} is not an IRI: {e}"),
                    })
                };
                let levels: Vec<Level> = l
                    .level
                    .iter()
                    .map(|level| {
                        Ok(Level {
                            name: level.name.clone(),
                            value: iri(&level.value)?,
                            shape: shape(&level.shape)?.0,
                        })
                    })
                    .collect::<Result<_, ProfileError>>()?;
                let default = levels
                    .iter()
                    .position(|x| x.name == l.default)
                    .ok_or_else(|| ProfileError::Manifest {
                        file: manifest_path.clone(),
                        message: format!("default level {:?} is not one of the levels", l.default),
                    })?;
                Some(Levels {
                    class: iri(&l.class)?,
                    property: iri(&l.property)?,
                    default,
                    levels,
                })
            }
        };
        let mut background = Background::default();
        for file in &manifest.vocabularies {
            background.extend(turtle(source, &join(dir, file))?);
        }
        Ok(Profile {
            name: manifest.name,
            title: manifest.title,
            version: manifest.version,
            specification: manifest.specification,
            shapes,
            document_shapes,
            background,
            levels,
        })
    }

    /// The properties (`sh:path` IRIs of property shapes that constrain something: a shape with
    /// only words for the editor's form does not count) and classes (`sh:targetClass`,
    /// `sh:class`) the profile's shapes name: the vocabulary a record in this profile is written
    /// in.
    pub fn vocabulary(&self) -> (HashSet<String>, HashSet<String>) {
        const SH: &str = "http://www.w3.org/ns/shacl#";
        const WORDS: [&str; 8] = [
            "path",
            "name",
            "description",
            "order",
            "group",
            "message",
            "severity",
            "deactivated",
        ];
        let graph = self.shapes.graph();
        let constrains = |shape: oxrdf::NamedOrBlankNodeRef<'_>| {
            graph.id(shape.into()).is_some_and(|s| {
                graph.outgoing(s).any(|(p, _)| match graph.term(p) {
                    TermRef::NamedNode(p) => p
                        .as_str()
                        .strip_prefix(SH)
                        .is_some_and(|local| !WORDS.contains(&local)),
                    _ => false,
                })
            })
        };
        let (mut properties, mut classes) = (HashSet::new(), HashSet::new());
        for t in graph.iter() {
            let TermRef::NamedNode(o) = t.object else {
                continue;
            };
            match t.predicate.as_str().strip_prefix(SH) {
                Some("path") if constrains(t.subject) => {
                    properties.insert(o.as_str().to_owned());
                }
                Some("targetClass" | "class") => {
                    classes.insert(o.as_str().to_owned());
                }
                _ => {}
            }
        }
        (properties, classes)
    }

    /// The compiled shapes (for explaining results).
    pub fn shapes(&self) -> &Shapes {
        &self.shapes
    }

    /// The levels' names, in manifest order (empty for a profile without levels).
    pub fn level_names(&self) -> Vec<&str> {
        self.levels
            .iter()
            .flat_map(|l| l.levels.iter().map(|x| x.name.as_str()))
            .collect()
    }

    /// The code lists' triples.
    pub fn background(&self) -> &Background {
        &self.background
    }

    /// Validates a document (or one record with what it refers to).
    ///
    /// The code lists the document reaches are added to it; each instance of the level class is
    /// checked against its level; the document shapes run unless `options` skips them.
    /// An unknown `options.level` is reported as a failure of the report, not ignored.
    pub fn validate(&self, data: &[TripleRef<'_>], options: &Options) -> ValidationReport {
        self.validate_in_context(data, &[], options)
    }

    /// [`validate`](Self::validate) where the nodes `context` are described in `data` only so
    /// that the checks of the others see them (the class of another record a record links to,
    /// such as the series of an edition): they are never focus nodes themselves.
    pub fn validate_in_context(
        &self,
        data: &[TripleRef<'_>],
        context: &[oxrdf::NamedNodeRef<'_>],
        options: &Options,
    ) -> ValidationReport {
        let reference = self.background.closure(data);
        let mut graph = Graph::new(data.iter().copied().chain(reference.iter().copied()));
        let except: Vec<_> = context.iter().map(|n| graph.intern((*n).into())).collect();
        self.validate_graph(graph, options, &except)
    }

    /// [`validate`](Self::validate) for a document whose terms are already interned (a parsed
    /// file's `DocGraph::into_parts`): the same report, without interning every term again.
    pub fn validate_interned(
        &self,
        terms: Terms,
        triples: Vec<[Id; 3]>,
        options: &Options,
    ) -> ValidationReport {
        // The code lists are reached from subjects and objects, as in `closure`.
        let mut reached = vec![false; terms.len()];
        for &[s, _, o] in &triples {
            for id in [s, o] {
                if let Some(r) = reached.get_mut(id as usize) {
                    *r = true;
                }
            }
        }
        let reference = self.background.closure_of(
            terms
                .iter()
                .zip(&reached)
                .filter(|(_, r)| **r)
                .map(|(t, _)| t.as_ref()),
        );
        let graph = Graph::from_interned(terms, triples, reference);
        self.validate_graph(graph, options, &[])
    }

    fn validate_graph(
        &self,
        mut graph: Graph,
        options: &Options,
        except: &[Id],
    ) -> ValidationReport {
        let document: Vec<_> = if options.skip_document_shapes {
            Vec::new()
        } else {
            self.document_shapes
                .iter()
                .map(|(s, node)| (*s, graph.intern(node.as_ref().into())))
                .collect()
        };
        let data = DataGraph::new(graph, &self.shapes);
        let mut extra = document;
        let mut failures = Vec::new();
        if let Some(levels) = &self.levels {
            let forced = match options.level.as_deref() {
                None => None,
                Some(name) => match levels.levels.iter().position(|l| l.name == name) {
                    Some(i) => Some(i),
                    None => {
                        failures.push(format!(
                            "unknown level {name:?} of profile {}; the levels are: {}",
                            self.name,
                            self.level_names().join(", ")
                        ));
                        None
                    }
                },
            };
            extra.extend(level_targets(&data, levels, forced));
        }
        let mut report = validate_with_targets(&self.shapes, &data, &extra, except);
        if !failures.is_empty() {
            report.conforms = false;
            report.failures.extend(failures);
        }
        report
    }

    /// What is wrong with one result and how to fix it, in `lang`: the engine's explanation, or,
    /// when a value is outside a code list this profile bundles, which list and which codes.
    pub fn explain(&self, r: &ValidationResult, lang: &str) -> String {
        let list = r
            .constraint
            .and_then(|c| self.code_list_of(r.shape, c, lang));
        match list {
            Some(list) => self.explain_code_list(r, &list, lang),
            None => healthcat_shacl::explain(&self.shapes, r, lang),
        }
    }

    fn explain_code_list(&self, r: &ValidationResult, list: &CodeList, lang: &str) -> String {
        let field = healthcat_shacl::field(&self.shapes, r, lang);
        let value = r
            .value
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        const SHOWN: usize = 5;
        let examples: Vec<String> = list
            .codes
            .iter()
            .take(SHOWN)
            .map(|(code, label)| {
                if label.is_empty() || label == code {
                    code.clone()
                } else {
                    format!("{code} ({label})")
                }
            })
            .collect();
        let more = list.codes.len().saturating_sub(SHOWN);
        let (title, n, examples) = (&list.title, list.codes.len(), examples.join(", "));
        let m = healthcat_shacl::messages(lang);
        let more = if more > 0 {
            m.fill("code_list_more", &[("n", &more.to_string())])
        } else {
            String::new()
        };
        m.fill(
            "code_list",
            &[
                ("value", value.as_str()),
                ("field", field.as_str()),
                ("title", title.as_str()),
                ("n", &n.to_string()),
                ("examples", &examples),
                ("more", &more),
            ],
        )
    }

    /// [`healthcat_shacl::summaries`] with [`Profile::explain`]'s explanations.
    ///
    /// A catalogue's report can hold hundreds of thousands of results, each explained in words:
    /// large reports are explained on every core, in order.
    pub fn summaries(&self, report: &ValidationReport, lang: &str) -> Vec<ResultSummary> {
        let mut out = Vec::new();
        self.summaries_in_parts(report, lang, |part| part, |part| out.extend(part));
        out
    }

    /// [`Profile::summaries`] in consecutive parts of at most [`SUMMARY_PART`] results: each
    /// part explained and given to `make` on one of the cores, then `make`'s outputs given to
    /// `take` on the calling thread, in the report's order, a round of parts at a time. A caller
    /// that writes the summaries (the CLI's JSON) serialises in parallel and holds a few parts,
    /// never the whole report.
    pub fn summaries_in_parts<T: Send>(
        &self,
        report: &ValidationReport,
        lang: &str,
        make: impl Fn(Vec<ResultSummary>) -> T + Sync,
        mut take: impl FnMut(T),
    ) {
        let flat: Vec<&ValidationResult> =
            report.results.iter().flat_map(|r| r.flatten()).collect();
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        if threads < 2 || flat.len() < 4096 {
            take(make(self.summaries_of(&flat, lang)));
            return;
        }
        let make = &make;
        for round in flat.chunks(SUMMARY_PART * threads) {
            let outputs: Vec<T> = std::thread::scope(|scope| {
                let handles: Vec<_> = round
                    .chunks(round.len().div_ceil(threads))
                    .map(|part| scope.spawn(move || make(self.summaries_of(part, lang))))
                    .collect();
                handles
                    .into_iter()
                    // A panicking worker is a bug; surface it rather than drop results.
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            });
            outputs.into_iter().for_each(&mut take);
        }
    }

    fn summaries_of(&self, results: &[&ValidationResult], lang: &str) -> Vec<ResultSummary> {
        // A list is read once per constraint, not once per result: thousands of results can come
        // from the same code-list constraint, and a list is all its codes with their labels.
        let mut lists: std::collections::HashMap<(ShapeId, usize), Option<CodeList>> =
            std::collections::HashMap::new();
        results
            .iter()
            .map(|r| {
                let mut summary = healthcat_shacl::summary(&self.shapes, r, lang);
                if let Some(constraint) = r.constraint
                    && let Some(list) = lists
                        .entry((r.shape, constraint))
                        .or_insert_with(|| self.code_list_of(r.shape, constraint, lang))
                {
                    summary.explanation = self.explain_code_list(r, list, lang);
                }
                summary
            })
            .collect()
    }

    /// The bundled code list a `sh:node` constraint's nested shape asks the value to belong to
    /// (`skos:inScheme` with `sh:hasValue <list>`), directly or as one of `sh:or`'s alternatives.
    fn code_list_of(&self, shape: ShapeId, constraint: usize, lang: &str) -> Option<CodeList> {
        let c = self.shapes.shape(shape).constraints.get(constraint)?;
        let Constraint::Node(nested) = c else {
            return None;
        };
        let mut lists = Vec::new();
        self.schemes_of(*nested, &mut lists, 0);
        // Alternatives (a place: a country, a continent…) are named together; the codes shown
        // are the first list's.
        let mut found = lists
            .iter()
            .filter_map(|scheme| self.background.code_list(scheme, lang));
        let mut first = found.next()?;
        for other in found {
            first.title = format!("{} / {}", first.title, other.title);
        }
        Some(first)
    }

    fn schemes_of(&self, shape: ShapeId, out: &mut Vec<String>, depth: usize) {
        if depth > 3 {
            return;
        }
        for c in &self.shapes.shape(shape).constraints {
            match c {
                Constraint::Property(p) => {
                    let ps = self.shapes.shape(*p);
                    let in_scheme = self
                        .shapes
                        .path_text(*p)
                        .is_some_and(|t| t == "<http://www.w3.org/2004/02/skos/core#inScheme>");
                    if in_scheme {
                        for pc in &ps.constraints {
                            if let Constraint::HasValue(k) = pc
                                && let oxrdf::Term::NamedNode(n) = &self.shapes.constants()[*k]
                            {
                                out.push(n.as_str().to_owned());
                            }
                        }
                    }
                }
                Constraint::Or(alternatives) => {
                    for a in alternatives {
                        self.schemes_of(*a, out, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    /// The property whose value sets an instance's level (`dct:accessRights`), when the profile
    /// has levels.
    pub fn level_property(&self) -> Option<NamedNodeRef<'_>> {
        self.levels.as_ref().map(|l| l.property.as_ref())
    }

    /// The level an instance with this value of the level property gets (`None` when the profile
    /// has no levels).
    pub fn level_for(&self, value: Option<NamedNodeRef<'_>>) -> Option<&Level> {
        let levels = self.levels.as_ref()?;
        let i = value
            .and_then(|v| levels.levels.iter().position(|l| l.value.as_ref() == v))
            .unwrap_or(levels.default);
        levels.levels.get(i)
    }
}

/// (level shape, instance) for every instance of the level class.
fn level_targets(data: &DataGraph, levels: &Levels, forced: Option<usize>) -> Vec<(ShapeId, u32)> {
    let g = data.graph();
    let (Some(class), Some(ty), property) = (
        g.id(levels.class.as_ref().into()),
        g.id(rdf::TYPE.into()),
        g.id(levels.property.as_ref().into()),
    ) else {
        return Vec::new();
    };
    let value_ids: Vec<Option<u32>> = levels
        .levels
        .iter()
        .map(|l| g.id(l.value.as_ref().into()))
        .collect();
    g.subjects(ty, class)
        .map(|node| {
            let level = forced.unwrap_or_else(|| {
                property
                    .and_then(|p| {
                        // Several values (itself a violation of max 1): the first level listed wins.
                        let values: Vec<u32> = g.objects(node, p).collect();
                        value_ids
                            .iter()
                            .position(|v| v.is_some_and(|v| values.contains(&v)))
                    })
                    .unwrap_or(levels.default)
            });
            (levels.levels[level].shape, node)
        })
        .collect()
}

fn turtle(source: &Source<'_>, path: &str) -> Result<Vec<Triple>, ProfileError> {
    let text = source.read(path)?;
    oxttl::TurtleParser::new()
        .for_slice(text.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ProfileError::Syntax {
            file: path.to_owned(),
            message: e.to_string(),
        })
}
