//! Figures kept per day, for trends (the quality dashboards'): for each date, one JSON text per
//! scope (`all`, `source:…`, `publisher:…`), in an internal graph that the SPARQL endpoint and
//! the exports never show. A date's figures are replaced whole.
//!
//! Summing a day's figures reads every kept assessment: over a minute of one core at a million
//! records. So the figures can be kept with a mark of what they were read from ([`TrendMark`]:
//! the change feed's head); [`Store::daily_current`] then tells a writer starting again the same
//! day that nothing has changed since. Every record write moves the head, and keeping a new
//! assessment alone ([`Store::keep_quality`]) removes the mark.

use crate::Store;
use crate::error::StoreError;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};

/// The graph of the figures.
const TREND_GRAPH: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:trend");
const DATE: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#trendDate");
const SCOPE: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#trendScope");
const FIGURES: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#trendFigures");
/// The mark: `"{date} {head}"` on [`MARKED`].
const READ_AT: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:ns#trendReadAt");
const MARKED: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:healthcat:trend:mark");

/// What figures about to be computed are read from: take it before reading the assessments.
#[derive(Debug, Clone, Copy)]
pub struct TrendMark {
    head: u64,
    generation: u64,
}

/// Removes the mark in `tx`: the kept assessments changed.
pub(crate) fn unmark(tx: &mut crate::engine::Transaction<'_>) -> Result<(), StoreError> {
    let quads: Vec<Quad> = tx
        .quads_for_pattern(Some(MARKED.into()), None, None, Some(TREND_GRAPH.into()))
        .collect::<Result<_, _>>()?;
    for q in &quads {
        tx.remove(q);
    }
    Ok(())
}

impl Store {
    /// The point the kept assessments are at now, for [`Store::keep_daily_as_of`].
    pub fn trend_mark(&self) -> TrendMark {
        TrendMark {
            head: self.feed_head(),
            generation: self.generation(),
        }
    }

    /// Whether the figures kept for `date` were read at the store's present state (no record
    /// written, no assessment kept since): computing them again would give the same.
    pub fn daily_current(&self, date: &str) -> Result<bool, StoreError> {
        let mark = format!("{date} {}", self.feed_head());
        for q in self.db.quads_for_pattern(
            Some(MARKED.into()),
            Some(READ_AT),
            None,
            Some(TREND_GRAPH.into()),
        ) {
            if matches!(q?.object, Term::Literal(l) if l.value() == mark) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// [`Store::keep_daily`], and marks them read at `read_at` unless a write of this process
    /// came in between (the figures are kept, unmarked: the next start computes them again).
    pub fn keep_daily_as_of(
        &self,
        date: &str,
        figures: &[(String, String)],
        read_at: TrendMark,
    ) -> Result<(), StoreError> {
        self.keep_daily_with(date, figures, Some(read_at))
    }

    /// Keeps `figures` (scope, JSON) as the figures of `date` (`2026-12-05`), replacing what that
    /// date had, in one transaction.
    pub fn keep_daily(&self, date: &str, figures: &[(String, String)]) -> Result<(), StoreError> {
        self.keep_daily_with(date, figures, None)
    }

    fn keep_daily_with(
        &self,
        date: &str,
        figures: &[(String, String)],
        read_at: Option<TrendMark>,
    ) -> Result<(), StoreError> {
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
        unmark(&mut tx)?;
        // Under the write turn: no write can come between this check and the commit.
        if let Some(at) = read_at.filter(|at| at.generation == self.generation()) {
            tx.insert(&Quad::new(
                MARKED,
                READ_AT,
                Literal::new_simple_literal(format!("{date} {}", at.head)),
                graph,
            ));
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
