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
    let bands = [Band::Excellent, Band::Good, Band::Sufficient, Band::Bad];
    let mut by_band = [0usize; 4];
    let mut histogram: Vec<(u32, usize)> = (0..MAX_POINTS.div_ceil(BAR))
        .map(|i| (i * BAR, 0))
        .collect();
    let mut open = [0usize; INDICATORS.len()];
    let (mut n, mut total, mut out_of) = (0usize, 0u64, 0u64);
    let (mut complete, mut present, mut applicable) = (0usize, 0u64, 0u64);
    let (mut labelled, mut label_sum, mut undeclared_sum) = (0usize, 0f64, 0f64);
    let mut stars = [0usize; 6];
    for k in kept {
        if let Some(l) = &k.label {
            labelled += 1;
            label_sum += l.score;
            undeclared_sum += l.undeclared;
            stars[usize::from(l.stars.min(5))] += 1;
        }
        let s = &k.summary;
        n += 1;
        total += u64::from(s.total);
        out_of += u64::from(s.out_of);
        if let Some(i) = bands.iter().position(|b| *b == s.band) {
            by_band[i] += 1;
        }
        let bar = ((s.total / BAR) as usize).min(histogram.len() - 1);
        histogram[bar].1 += 1;
        for (i, count) in open.iter_mut().enumerate() {
            if k.open & (1 << i) != 0 {
                *count += 1;
            }
        }
        if s.present >= s.applicable {
            complete += 1;
        }
        present += u64::from(s.present);
        applicable += u64::from(s.applicable);
    }
    let mut open: Vec<(&'static str, usize)> = INDICATORS
        .iter()
        .zip(open)
        .filter(|(_, c)| *c > 0)
        .map(|(i, c)| (i.metric, c))
        .collect();
    open.sort_by_key(|(_, c)| std::cmp::Reverse(*c));
    let mean = |x: u64| if n == 0 { 0.0 } else { x as f64 / n as f64 };
    Aggregate {
        datasets: n,
        bands: bands.into_iter().zip(by_band).collect(),
        mean_total: mean(total),
        mean_out_of: mean(out_of),
        histogram,
        open,
        minimum_complete: complete,
        minimum_present: present,
        minimum_applicable: applicable,
        labelled,
        mean_label: if labelled == 0 {
            0.0
        } else {
            label_sum / labelled as f64
        },
        mean_undeclared: if labelled == 0 {
            0.0
        } else {
            undeclared_sum / labelled as f64
        },
        stars,
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
