//! The editions of a dataset series in order (DCAT 3 §6.7 "Dataset series").
//!
//! A source may chain its editions itself (`dcat:prev`, or the older `dcat:next`) or only say
//! which series each belongs to (`dcat:inSeries`). [`order`] follows the declared chain when it
//! links every edition into one line; otherwise it orders them by date — `dct:issued`, then the
//! start of `dct:temporal`, then `dcat:version`, then the IRI — and says why the chain was not
//! used ([`Problem`]). The neighbours of each edition (first, previous, next, last) are then
//! positions in that order, computed whether or not the source gave them.

use std::collections::{HashMap, HashSet};

/// What ordering needs of one edition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edition {
    /// Its IRI.
    pub iri: String,
    /// `dct:issued`, lexical (an ISO 8601 date or date-time compares as text).
    pub issued: Option<String>,
    /// The start of its `dct:temporal`, lexical.
    pub start: Option<String>,
    /// `dcat:version`
    pub version: Option<String>,
    /// `dcat:prev` as declared.
    pub prev: Option<String>,
    /// `dcat:next` as declared.
    pub next: Option<String>,
}

/// Why the declared chain was not followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Following `dcat:prev` from `from` comes back to it.
    Loop {
        /// An edition on the loop.
        from: String,
    },
    /// `edition` names as its previous or next one `other`, which is no edition of the series.
    Outside {
        /// The edition.
        edition: String,
        /// What it names.
        other: String,
    },
    /// Two editions name the same one as their previous (or next) edition.
    Fork {
        /// The edition named twice.
        edition: String,
    },
    /// The declared links leave editions out of one line.
    Incomplete {
        /// How many editions the longest declared line holds.
        chained: usize,
        /// How many editions there are.
        editions: usize,
    },
}

/// Editions in order, oldest first, and what was wrong with the declared chain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ordered {
    /// The editions, oldest first.
    pub editions: Vec<Edition>,
    /// Whether the order is the source's own chain (otherwise: by date).
    pub declared: bool,
    /// Why a declared chain was not followed (empty when it was, or when there was none).
    pub problems: Vec<Problem>,
}

/// The neighbours of one edition in an [`Ordered`] series.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Neighbours<'a> {
    /// Its position, from 0.
    pub position: usize,
    /// The first edition.
    pub first: Option<&'a Edition>,
    /// The previous edition.
    pub prev: Option<&'a Edition>,
    /// The next edition.
    pub next: Option<&'a Edition>,
    /// The last edition.
    pub last: Option<&'a Edition>,
}

impl Ordered {
    /// The neighbours of the edition `iri`, if it is one.
    pub fn neighbours(&self, iri: &str) -> Option<Neighbours<'_>> {
        let position = self.editions.iter().position(|e| e.iri == iri)?;
        Some(Neighbours {
            position,
            first: self.editions.first(),
            prev: position.checked_sub(1).and_then(|p| self.editions.get(p)),
            next: self.editions.get(position + 1),
            last: self.editions.last(),
        })
    }
}

/// Orders `editions` (any order; duplicates by IRI are dropped).
pub fn order(mut editions: Vec<Edition>) -> Ordered {
    let mut seen = HashSet::new();
    editions.retain(|e| seen.insert(e.iri.clone()));
    let (chain, problems) = declared_chain(&editions);
    if let Some(chain) = chain {
        let mut by_iri: HashMap<String, Edition> =
            editions.into_iter().map(|e| (e.iri.clone(), e)).collect();
        let editions = chain.iter().filter_map(|iri| by_iri.remove(iri)).collect();
        return Ordered {
            editions,
            declared: true,
            problems,
        };
    }
    editions.sort_by(|a, b| by_date(a).cmp(&by_date(b)));
    Ordered {
        editions,
        declared: false,
        problems,
    }
}

/// The date order's key: issued, period start, version (leading number first), IRI.
type DateKey<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    Option<(u64, &'a str)>,
    &'a str,
);

/// The sort key of the date order.
fn by_date(e: &Edition) -> DateKey<'_> {
    let version = e.version.as_deref().map(|v| {
        // "2" before "10": a leading number compares as a number.
        let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
        (digits.parse().unwrap_or(u64::MAX), v)
    });
    (
        e.issued.as_deref(),
        e.start.as_deref(),
        version,
        e.iri.as_str(),
    )
}

/// The declared chain, oldest first, if the links put every edition on one line; else `None`
/// with why (no problem when nothing is declared).
fn declared_chain(editions: &[Edition]) -> (Option<Vec<String>>, Vec<Problem>) {
    let members: HashSet<&str> = editions.iter().map(|e| e.iri.as_str()).collect();
    // prev[x] = the edition before x, from dcat:prev and from dcat:next read backwards.
    let mut prev: HashMap<&str, &str> = HashMap::new();
    let mut problems = Vec::new();
    for e in editions {
        let pairs = [
            e.prev.as_deref().map(|p| (p, e.iri.as_str())),
            e.next.as_deref().map(|n| (e.iri.as_str(), n)),
        ];
        for (before, after) in pairs.into_iter().flatten() {
            let other = if before == e.iri { after } else { before };
            if !members.contains(other) {
                problems.push(Problem::Outside {
                    edition: e.iri.clone(),
                    other: other.to_owned(),
                });
                continue;
            }
            match prev.get(after) {
                Some(&b) if b != before => problems.push(Problem::Fork {
                    edition: after.to_owned(),
                }),
                _ => {
                    prev.insert(after, before);
                }
            }
        }
    }
    if prev.is_empty() && problems.is_empty() {
        return (None, problems);
    }
    // A loop: following prev from some edition comes back to it.
    for e in editions {
        let mut at = e.iri.as_str();
        let mut steps = 0;
        while let Some(&p) = prev.get(at) {
            at = p;
            steps += 1;
            if at == e.iri {
                problems.push(Problem::Loop {
                    from: e.iri.clone(),
                });
                return (None, problems);
            }
            if steps > editions.len() {
                break;
            }
        }
    }
    // Two editions with the same previous one (a fork) is not a line either.
    let mut next: HashMap<&str, &str> = HashMap::new();
    for (&after, &before) in &prev {
        if next.insert(before, after).is_some() {
            problems.push(Problem::Fork {
                edition: before.to_owned(),
            });
        }
    }
    if !problems.is_empty() {
        return (None, problems);
    }
    // One line from the edition that has no previous one.
    let heads: Vec<&str> = editions
        .iter()
        .map(|e| e.iri.as_str())
        .filter(|i| !prev.contains_key(i))
        .collect();
    let mut longest = Vec::new();
    for head in heads {
        let mut line = vec![head.to_owned()];
        let mut at = head;
        while let Some(&n) = next.get(at) {
            line.push(n.to_owned());
            at = n;
        }
        if line.len() > longest.len() {
            longest = line;
        }
    }
    if longest.len() == editions.len() {
        (Some(longest), problems)
    } else {
        problems.push(Problem::Incomplete {
            chained: longest.len(),
            editions: editions.len(),
        });
        (None, problems)
    }
}

#[cfg(test)]
mod tests;
