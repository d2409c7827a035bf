//! Figures kept per day, for trends (the quality dashboards'): for each date, one JSON text per
//! scope (`all`, `source:…`, `publisher:…`), in an internal graph that the SPARQL endpoint and
//! the exports never show. A date's figures are replaced whole.

use crate::Store;
use crate::error::StoreError;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};

/// The graph of the figures.
const TREND_GRAPH: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:trend");
const DATE: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#trendDate");
const SCOPE: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#trendScope");
const FIGURES: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#trendFigures");

impl Store {
    /// Keeps `figures` (scope, JSON) as the figures of `date` (`2026-12-05`), replacing what that
    /// date had, in one transaction.
    pub fn keep_daily(&self, date: &str, figures: &[(String, String)]) -> Result<(), StoreError> {
        let _turn = self.write_turn();
        let graph = GraphName::NamedNode(TREND_GRAPH.into_owned());
        let mut tx = self.db.start_transaction()?;
        let old: Vec<NamedOrBlankNode> = tx
            .quads_for_pattern(
                None,
                Some(DATE),
                Some(Literal::new_simple_literal(date).as_ref().into()),
                Some(TREND_GRAPH.into()),
            )
            .map(|q| q.map(|q| q.subject))
            .collect::<Result<_, _>>()?;
        for s in old {
            let quads: Vec<Quad> = tx
                .quads_for_pattern(Some(s.as_ref()), None, None, Some(TREND_GRAPH.into()))
                .collect::<Result<_, _>>()?;
            for q in &quads {
                tx.remove(q);
            }
        }
        for (i, (scope, json)) in figures.iter().enumerate() {
            let s: NamedOrBlankNode =
                NamedNode::new_unchecked(format!("urn:healthcat:trend:{date}:{i}")).into();
            for (p, o) in [
                (DATE, date),
                (SCOPE, scope.as_str()),
                (FIGURES, json.as_str()),
            ] {
                tx.insert(&Quad::new(
                    s.clone(),
                    p,
                    Literal::new_simple_literal(o),
                    graph.clone(),
                ));
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The figures kept for `scope`, one (date, JSON) per date, oldest first.
    pub fn daily(&self, scope: &str) -> Result<Vec<(String, String)>, StoreError> {
        let mut out = Vec::new();
        for q in self.db.quads_for_pattern(
            None,
            Some(SCOPE),
            Some(Literal::new_simple_literal(scope).as_ref().into()),
            Some(TREND_GRAPH.into()),
        ) {
            let s = q?.subject;
            let value = |p: NamedNodeRef<'_>| -> Result<Option<String>, StoreError> {
                Ok(self
                    .db
                    .quads_for_pattern(Some(s.as_ref()), Some(p), None, Some(TREND_GRAPH.into()))
                    .next()
                    .transpose()?
                    .and_then(|q| match q.object {
                        Term::Literal(l) => Some(l.value().to_owned()),
                        _ => None,
                    }))
            };
            if let (Some(date), Some(json)) = (value(DATE)?, value(FIGURES)?) {
                out.push((date, json));
            }
        }
        out.sort();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_s_figures_are_replaced_whole_and_read_back_in_order() {
        let store = Store::in_memory().unwrap();
        let row = |s: &str, j: &str| (s.to_owned(), j.to_owned());
        store
            .keep_daily(
                "2026-12-05",
                &[row("all", "{\"n\":2}"), row("source:a", "{\"n\":1}")],
            )
            .unwrap();
        store
            .keep_daily("2026-12-04", &[row("all", "{\"n\":1}")])
            .unwrap();
        assert_eq!(
            store.daily("all").unwrap(),
            [
                ("2026-12-04".to_owned(), "{\"n\":1}".to_owned()),
                ("2026-12-05".to_owned(), "{\"n\":2}".to_owned())
            ]
        );
        // The same day again: replaced, the scope it no longer has gone.
        store
            .keep_daily("2026-12-05", &[row("all", "{\"n\":3}")])
            .unwrap();
        assert_eq!(store.daily("all").unwrap()[1].1, "{\"n\":3}");
        assert!(store.daily("source:a").unwrap().is_empty());
    }
}
