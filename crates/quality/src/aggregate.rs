//! Many datasets' kept assessments summed up, for dashboards and `/api/quality`: how many in each
//! band, the score distribution, the indicators most often open, the 2026/2098 coverage, the
//! Article 78 label's mean and stars.

use crate::Kept;
use crate::mqa::{Band, INDICATORS, MAX_POINTS};
use serde::Serialize;

/// The width of a bar of the score distribution (405 points in nine bars).
pub const BAR: u32 = 45;

/// The highest score of the bar starting at `from` (the last bar takes 405).
pub fn bar_end(from: u32) -> u32 {
    if from + 2 * BAR > MAX_POINTS {
        MAX_POINTS
    } else {
        from + BAR - 1
    }
}

/// Many assessments summed up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aggregate {
    /// Datasets counted.
    pub datasets: usize,
    /// How many in each band, best first.
    pub bands: Vec<(Band, usize)>,
    /// The mean of the totals (0 when there are none).
    pub mean_total: f64,
    /// The mean of what they were computed out of.
    pub mean_out_of: f64,
    /// The score distribution: (lowest score of the bar, datasets), bars of [`BAR`] points.
    pub histogram: Vec<(u32, usize)>,
    /// Each indicator open (missing or failed) somewhere: (metric, datasets), most often first
    /// (ties in the rubric's order).
    pub open: Vec<(&'static str, usize)>,
    /// Datasets giving every 2026/2098 element that applies to them.
    pub minimum_complete: usize,
    /// The 2026/2098 elements given, summed over the datasets, and those that apply.
    pub minimum_present: u64,
    /// The 2026/2098 elements that apply, summed over the datasets.
    pub minimum_applicable: u64,
    /// Datasets whose kept assessment has the Article 78 label.
    pub labelled: usize,
    /// Their label's mean score (out of 100; 0 when there are none).
    pub mean_label: f64,
    /// The mean of their points awaiting declarations.
    pub mean_undeclared: f64,
    /// How many have 0, 1… 5 stars.
    pub stars: [usize; 6],
}

/// `kept`, summed up.
pub fn aggregate<'a>(kept: impl IntoIterator<Item = &'a Kept>) -> Aggregate {
    let mut sum = Summing::new();
    for k in kept {
        sum.add(k);
    }
    sum.finish()
}

/// Assessments summed up one at a time: [`aggregate`] without holding them all (a million kept
/// assessments read from the store and held took about 400 MB).
#[derive(Debug, Clone)]
pub struct Summing {
    by_band: [usize; 4],
    histogram: Vec<(u32, usize)>,
    open: [usize; INDICATORS.len()],
    n: usize,
    total: u64,
    out_of: u64,
    complete: usize,
    present: u64,
    applicable: u64,
    labelled: usize,
    label_sum: f64,
    undeclared_sum: f64,
    stars: [usize; 6],
}

const BANDS: [Band; 4] = [Band::Excellent, Band::Good, Band::Sufficient, Band::Bad];

impl Default for Summing {
    fn default() -> Self {
        Self::new()
    }
}

impl Summing {
    /// Nothing summed yet.
    pub fn new() -> Self {
        Summing {
            by_band: [0; 4],
            histogram: (0..MAX_POINTS.div_ceil(BAR))
                .map(|i| (i * BAR, 0))
                .collect(),
            open: [0; INDICATORS.len()],
            n: 0,
            total: 0,
            out_of: 0,
            complete: 0,
            present: 0,
            applicable: 0,
            labelled: 0,
            label_sum: 0.0,
            undeclared_sum: 0.0,
            stars: [0; 6],
        }
    }

    /// Adds one assessment.
    pub fn add(&mut self, k: &Kept) {
        if let Some(l) = &k.label {
            self.labelled += 1;
            self.label_sum += l.score;
            self.undeclared_sum += l.undeclared;
            self.stars[usize::from(l.stars.min(5))] += 1;
        }
        let s = &k.summary;
        self.n += 1;
        self.total += u64::from(s.total);
        self.out_of += u64::from(s.out_of);
        if let Some(i) = BANDS.iter().position(|b| *b == s.band) {
            self.by_band[i] += 1;
        }
        let bar = ((s.total / BAR) as usize).min(self.histogram.len() - 1);
        self.histogram[bar].1 += 1;
        for (i, count) in self.open.iter_mut().enumerate() {
            if k.open & (1 << i) != 0 {
                *count += 1;
            }
        }
        if s.present >= s.applicable {
            self.complete += 1;
        }
        self.present += u64::from(s.present);
        self.applicable += u64::from(s.applicable);
    }

    /// What was added, summed up.
    pub fn finish(self) -> Aggregate {
        let n = self.n;
        let mut open: Vec<(&'static str, usize)> = INDICATORS
            .iter()
            .zip(self.open)
            .filter(|(_, c)| *c > 0)
            .map(|(i, c)| (i.metric, c))
            .collect();
        open.sort_by_key(|(_, c)| std::cmp::Reverse(*c));
        let mean = |x: u64| if n == 0 { 0.0 } else { x as f64 / n as f64 };
        let labelled_mean = |x: f64| {
            if self.labelled == 0 {
                0.0
            } else {
                x / self.labelled as f64
            }
        };
        Aggregate {
            datasets: n,
            bands: BANDS.into_iter().zip(self.by_band).collect(),
            mean_total: mean(self.total),
            mean_out_of: mean(self.out_of),
            histogram: self.histogram,
            open,
            minimum_complete: self.complete,
            minimum_present: self.present,
            minimum_applicable: self.applicable,
            labelled: self.labelled,
            mean_label: labelled_mean(self.label_sum),
            mean_undeclared: labelled_mean(self.undeclared_sum),
            stars: self.stars,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Summary;

    fn kept(total: u32, band: Band, open: u32, present: u32, applicable: u32) -> Kept {
        Kept {
            summary: Summary {
                total,
                out_of: 355,
                band,
                present,
                applicable,
            },
            open,
            not_checked: 0,
            advice: Vec::new(),
            label: None,
            health: None,
        }
    }

    #[test]
    fn bands_bars_open_indicators_and_coverage_add_up() {
        let all = [
            kept(0, Band::Bad, 0b11, 10, 27),
            kept(44, Band::Bad, 0b10, 27, 27),
            kept(45, Band::Bad, 0b10, 20, 25),
            kept(405, Band::Excellent, 0, 26, 26),
        ];
        let a = aggregate(&all);
        assert_eq!(a.datasets, 4);
        assert_eq!(a.bands[0], (Band::Excellent, 1));
        assert_eq!(a.bands[3], (Band::Bad, 3));
        assert_eq!(a.histogram.len(), 9);
        assert_eq!((a.histogram[0], a.histogram[1]), ((0, 2), (45, 1)));
        assert_eq!(a.histogram[8], (360, 1), "405 is in the last bar");
        assert_eq!((bar_end(0), bar_end(315), bar_end(360)), (44, 359, 405));
        assert_eq!(
            a.open,
            vec![(INDICATORS[1].metric, 3), (INDICATORS[0].metric, 1)]
        );
        assert_eq!(a.minimum_complete, 2);
        assert_eq!((a.minimum_present, a.minimum_applicable), (83, 105));
        assert!((a.mean_total - 123.5).abs() < 1e-9);
        let none = aggregate(&[]);
        assert_eq!((none.datasets, none.mean_total), (0, 0.0));
        // The label: only where it was kept (older writes have none).
        let mut labelled = all.clone();
        for (k, (score, stars)) in labelled.iter_mut().zip([(20.0, 0), (61.5, 3)]) {
            k.label = Some(crate::KeptLabel {
                score,
                stars,
                undeclared: 50.0,
                levels: String::new(),
                maturity: None,
            });
        }
        let a = aggregate(&labelled);
        assert_eq!(a.labelled, 2);
        assert!((a.mean_label - 40.75).abs() < 1e-9);
        assert!((a.mean_undeclared - 50.0).abs() < 1e-9);
        assert_eq!(a.stars, [1, 0, 0, 1, 0, 0]);
        assert_eq!((none.labelled, none.mean_label), (0, 0.0));
    }
}
