//! The health layer: a dataset against HealthDCAT-AP **at its own access level** — which of the
//! profile's mandatory and recommended properties it gives (the fields the editor's form has at
//! that level: a violation shape's `sh:minCount` makes a property mandatory, a warning shape's
//! recommended) — and whether the values of its health properties that take a code list
//! (`healthdcatap:healthCategory`, `healthTheme`, `hasCodingSystem`…) are codes of those lists.

use healthcat_model::vocab::healthdcatap;
use healthcat_profiles::{FieldKind, Profile};
use oxrdf::{Graph, NamedNodeRef, NamedOrBlankNodeRef, TermRef};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

const DATASET: &str = "http://www.w3.org/ns/dcat#Dataset";

/// A dataset against the profile.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Health {
    /// The profile (`healthdcat-ap-r8`).
    pub profile: String,
    /// The access level it was checked at (`public`, `restricted`, `non-public`).
    pub level: Option<String>,
    /// Mandatory properties given, of how many.
    pub mandatory: (u32, u32),
    /// Recommended properties given, of how many.
    pub recommended: (u32, u32),
    /// The mandatory properties missing (IRIs), in the form's order.
    pub missing_mandatory: Vec<String>,
    /// The recommended properties missing.
    pub missing_recommended: Vec<String>,
    /// Values of health properties outside their code lists: (property, value).
    pub outside: Vec<(String, String)>,
}

struct Expected {
    /// (property, mandatory)
    fields: Vec<(String, bool)>,
    /// Health properties with code lists: property → the codes allowed.
    coded: Vec<(String, Arc<HashSet<String>>)>,
}

/// Checks datasets against a profile; what each level expects is read once.
pub struct HealthCheck {
    profile: Profile,
    expected: Mutex<HashMap<String, Arc<Expected>>>,
}

impl HealthCheck {
    /// A check against `profile` (HealthDCAT-AP R8 by default).
    pub fn new(profile: Profile) -> Self {
        Self {
            profile,
            expected: Mutex::default(),
        }
    }

    fn expected(&self, level: Option<&str>) -> Arc<Expected> {
        let key = level.unwrap_or("").to_owned();
        let mut cache = self
            .expected
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache
            .entry(key)
            .or_insert_with(|| {
                let form = self.profile.form_at(DATASET, level);
                let fields = form
                    .iter()
                    .filter(|f| f.min > 0 || f.recommended)
                    .map(|f| (f.path.clone(), f.min > 0))
                    .collect();
                let coded = form
                    .iter()
                    .filter(|f| f.path.starts_with(healthdcatap::NS))
                    .filter_map(|f| match &f.kind {
                        FieldKind::Code(schemes) => {
                            let codes: HashSet<String> = schemes
                                .iter()
                                .flat_map(|s| self.profile.codes(s, "en"))
                                .map(|(iri, _)| iri)
                                .collect();
                            Some((f.path.clone(), Arc::new(codes)))
                        }
                        _ => None,
                    })
                    .collect();
                Arc::new(Expected { fields, coded })
            })
            .clone()
    }

    /// `dataset` as described in `graph`, at the level its access rights give.
    pub fn check(&self, graph: &Graph, dataset: NamedOrBlankNodeRef<'_>) -> Health {
        let level_value = self.profile.level_property().and_then(|p| {
            match graph.object_for_subject_predicate(dataset, p) {
                Some(TermRef::NamedNode(n)) => Some(n),
                _ => None,
            }
        });
        let level = self.profile.level_for(level_value).map(|l| l.name.clone());
        let expected = self.expected(level.as_deref());
        let has = |p: &str| {
            graph
                .object_for_subject_predicate(dataset, NamedNodeRef::new_unchecked(p))
                .is_some()
        };
        let mut health = Health {
            profile: self.profile.name.clone(),
            level,
            mandatory: (0, 0),
            recommended: (0, 0),
            missing_mandatory: Vec::new(),
            missing_recommended: Vec::new(),
            outside: Vec::new(),
        };
        for (path, mandatory) in &expected.fields {
            let (count, missing) = if *mandatory {
                (&mut health.mandatory, &mut health.missing_mandatory)
            } else {
                (&mut health.recommended, &mut health.missing_recommended)
            };
            count.1 += 1;
            if has(path) {
                count.0 += 1;
            } else {
                missing.push(path.clone());
            }
        }
        for (path, codes) in &expected.coded {
            for v in graph.objects_for_subject_predicate(dataset, NamedNodeRef::new_unchecked(path))
            {
                let value = match v {
                    TermRef::NamedNode(n) => n.as_str().to_owned(),
                    other => other.to_string(),
                };
                if !codes.contains(&value) {
                    health.outside.push((path.clone(), value));
                }
            }
        }
        health
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::NamedNode;

    fn check(ttl: &str) -> Health {
        let text = format!(
            "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
             @prefix hd: <http://healthdataportal.eu/ns/health#> .
             <https://ex.org/ds> a dcat:Dataset ; {ttl} ."
        );
        let g = crate::test_graph(&text);
        let hc = HealthCheck::new(Profile::builtin("healthdcat-ap-r8").unwrap());
        hc.check(
            &g,
            NamedNode::new_unchecked("https://ex.org/ds")
                .as_ref()
                .into(),
        )
    }

    #[test]
    fn each_level_expects_its_own_properties() {
        let at = |level: &str| {
            check(&format!(
                "dct:title \"t\"@en ; dct:accessRights <http://publications.europa.eu/resource/authority/access-right/{level}>"
            ))
        };
        let (public, closed) = (at("PUBLIC"), at("NON_PUBLIC"));
        assert_eq!(public.level.as_deref(), Some("public"));
        assert_eq!(closed.level.as_deref(), Some("non-public"));
        // The title and the access rights are given at both levels.
        assert_eq!(
            (public.mandatory.0, closed.mandatory.0),
            (2, 2),
            "{public:?}"
        );
        assert!(
            !public
                .missing_mandatory
                .contains(&"http://purl.org/dc/terms/title".to_owned())
        );
        // Non-public data must give its provenance; public data need not (R8's levels).
        let provenance = "http://purl.org/dc/terms/provenance".to_owned();
        assert!(closed.missing_mandatory.contains(&provenance), "{closed:?}");
        assert!(
            !public.missing_mandatory.contains(&provenance),
            "{public:?}"
        );
        // A contact point is recommended for public data, mandatory for non-public data.
        let contact = "http://www.w3.org/ns/dcat#contactPoint".to_owned();
        assert!(public.missing_recommended.contains(&contact), "{public:?}");
        assert!(closed.missing_mandatory.contains(&contact), "{closed:?}");
        assert!(closed.mandatory.1 > public.mandatory.1);
        assert_eq!(
            public.mandatory.1 as usize,
            public.mandatory.0 as usize + public.missing_mandatory.len()
        );
    }

    #[test]
    fn health_values_outside_their_code_lists_are_named() {
        let h = check(
            "dct:title \"t\"@en ;
             hd:healthCategory <https://hdeu-dcat.data.health.europa.eu/resource/authority/healthcategories/EHRS> ,
                               <https://ex.org/not-a-category>",
        );
        assert_eq!(
            h.outside,
            [(
                "http://healthdataportal.eu/ns/health#healthCategory".to_owned(),
                "https://ex.org/not-a-category".to_owned()
            )],
            "{h:?}"
        );
    }
}
