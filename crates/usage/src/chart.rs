//! The statistics pages' bar charts, laid out here and drawn by the theme's template as SVG (no
//! JavaScript): a bar per day, or per month past three months, each with its label and value for
//! its `<title>` (read by screen readers and shown on hover).

use serde::Serialize;

/// Where a chart's bars go, in SVG user units.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// Drawing width.
    pub width: u32,
    /// Drawing height (bars' area; labels below).
    pub height: u32,
    /// The bars.
    pub bars: Vec<Bar>,
    /// The highest value (the top of the scale).
    pub max: u64,
    /// The sum of the values.
    pub total: u64,
}

/// One bar.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// Its day (`2026-12-05`) or month (`2026-12`).
    pub label: String,
    /// Its value.
    pub value: u64,
    /// Whether its label is printed under the axis (one in about eight, and the last).
    pub tick: bool,
}

/// Lays out `points` (day, value), grouped by month when there are more than 92.
pub fn bars(points: &[(String, u64)], width: u32, height: u32) -> Chart {
    let grouped: Vec<(String, u64)> = if points.len() > 92 {
        let mut months: Vec<(String, u64)> = Vec::new();
        for (day, v) in points {
            let month = day.get(..7).unwrap_or(day).to_owned();
            match months.last_mut() {
                Some((m, n)) if *m == month => *n = n.saturating_add(*v),
                _ => months.push((month, *v)),
            }
        }
        months
    } else {
        points.to_vec()
    };
    let max = grouped.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let total = grouped.iter().fold(0u64, |a, (_, v)| a.saturating_add(*v));
    let n = grouped.len().max(1) as f64;
    let slot = f64::from(width) / n;
    let every = (grouped.len() / 8).max(1);
    let bars = grouped
        .iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let h = if max == 0 {
                0.0
            } else {
                f64::from(height) * (*value as f64) / (max as f64)
            };
            let round = |x: f64| (x * 10.0).round() / 10.0;
            Bar {
                x: round(i as f64 * slot + slot * 0.1),
                y: round(f64::from(height) - h),
                w: round(slot * 0.8),
                h: round(h),
                label: label.clone(),
                value: *value,
                tick: i % every == 0 || i + 1 == grouped.len(),
            }
        })
        .collect();
    Chart {
        width,
        height,
        bars,
        max,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_highest_and_months_group_long_periods() {
        let days: Vec<(String, u64)> = vec![
            ("2026-12-01".into(), 2),
            ("2026-12-02".into(), 4),
            ("2026-12-03".into(), 0),
        ];
        let c = bars(&days, 300, 100);
        assert_eq!((c.max, c.total, c.bars.len()), (4, 6, 3));
        assert_eq!((c.bars[1].h, c.bars[1].y), (100.0, 0.0));
        assert_eq!(c.bars[0].h, 50.0);
        assert_eq!(c.bars[2].h, 0.0);
        let long: Vec<(String, u64)> = (0..120)
            .map(|i| {
                (
                    if i < 31 {
                        format!("2026-01-{:02}", i + 1)
                    } else {
                        format!("2026-02-{:02}", i - 30)
                    },
                    1,
                )
            })
            .collect();
        let c = bars(&long, 300, 100);
        assert_eq!(c.bars.len(), 2);
        assert_eq!((c.bars[0].label.as_str(), c.bars[0].value), ("2026-01", 31));
        assert_eq!(c.total, 120);
    }
}
