//! The biennial report (EHDS Art. 59) for a chosen period: the catalogue's figures, one row per
//! dataset and per data holder (views, downloads per syntax, search impressions, API reads,
//! access routes followed, the Article 78 quality label and its score per EHDS category), the
//! labels by stars and by category, and the records created and withdrawn in the period.
//!
//! Built as [`Table`]s so that every output says the same: [`Report::write_csv`] (one table)
//! and [`Report::write_xlsx`] (one sheet each). Headings come from the message catalogues.

use crate::figures::{Figures, Period};
use crate::{SYNTAXES, UsageError};
use healthcat_quality::Kept;
use healthcat_quality::LabelSpec;
use healthcat_search::SearchIndex;
use healthcat_store::Store;
use std::collections::{BTreeMap, HashMap};

/// A report's cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A count.
    Count(u64),
    /// A score or percentage (one decimal).
    Number(f64),
    /// Nothing to say.
    Empty,
}

/// One table of the report (a CSV file, an XLSX sheet).
#[derive(Debug, Clone)]
pub struct Table {
    /// Its key (`summary`, `datasets`, `holders`, `labels`, `records`).
    pub key: &'static str,
    /// Its name, in the report's language.
    pub name: String,
    /// Its column headings.
    pub headings: Vec<String>,
    /// Its rows.
    pub rows: Vec<Vec<Cell>>,
}

/// The keys of the tables, in order.
pub const TABLES: [&str; 5] = ["summary", "datasets", "holders", "labels", "records"];

/// The report of one period.
#[derive(Debug, Clone)]
pub struct Report {
    /// The period.
    pub period: Period,
    /// Its tables, in the order of [`TABLES`].
    pub tables: Vec<Table>,
    /// The catalogue's figures for the period (the summary's numbers).
    pub totals: Figures,
}

#[derive(Default)]
struct Holder {
    datasets: u64,
    figures: Figures,
    created: u64,
    withdrawn: u64,
    scores: Vec<f64>,
}

/// Each category's (key, name) and, for a kept label, the share of its points reached.
fn category_shares(spec: &LabelSpec, levels: &healthcat_quality::KeptLabel) -> Vec<Option<f64>> {
    spec.categories
        .iter()
        .map(|c| {
            let (mut got, mut possible) = (0.0, 0.0);
            for (i, m) in spec.metrics.iter().enumerate() {
                if spec.dimension(&m.dimension).map(|d| d.category.as_str()) != Some(c.key.as_str())
                {
                    continue;
                }
                let points = spec.points(m);
                possible += points;
                if let Some(level) = levels.level(i) {
                    got += points * f64::from(level.min(m.max())) / f64::from(m.max().max(1));
                }
            }
            (possible > 0.0).then(|| got / possible * 100.0)
        })
        .collect()
}

impl Report {
    /// Builds the report of `period` in `lang`, reading the store's counters, records, revisions
    /// and kept assessments; titles and holders' names come from `index` when given.
    pub fn build(
        store: &Store,
        index: Option<&SearchIndex>,
        spec: &LabelSpec,
        period: Period,
        lang: &str,
    ) -> Result<Self, UsageError> {
        let m = crate::messages().lang(lang);
        let t = |k: &str| m.get(k).unwrap_or(k).to_owned();
        // Usage, per scope, over the period.
        let mut totals = Figures::default();
        let mut datasets: BTreeMap<String, Figures> = BTreeMap::new();
        let mut publishers: HashMap<String, Figures> = HashMap::new();
        for day in period.days() {
            for cell in store.usage_of_day(&day)? {
                let mut f = Figures::default();
                f.add(&cell.counts);
                if cell.scope == "catalogue" {
                    totals.merge(&f);
                } else if let Some(id) = cell.scope.strip_prefix("dataset:") {
                    datasets.entry(id.to_owned()).or_default().merge(&f);
                } else if let Some(p) = cell.scope.strip_prefix("publisher:") {
                    publishers.entry(p.to_owned()).or_default().merge(&f);
                }
            }
        }
        let life = store.lifecycle(&period.start_time(), &period.end_time())?;
        let rows = store.review_rows()?;
        let kept: HashMap<String, Kept> = store
            .kept_quality()?
            .iter()
            .filter_map(|k| {
                Some((
                    k.local_id.as_str().to_owned(),
                    serde_json::from_str(&k.kept).ok()?,
                ))
            })
            .collect();
        let mut holders: BTreeMap<String, Holder> = BTreeMap::new();
        let no_publisher = t("report.no_publisher");
        let holder_key = |p: &Option<String>| p.clone().unwrap_or_default();
        let mut stars = [0u64; 6];
        let mut unlabelled = 0u64;
        let mut shares: Vec<(f64, u64)> = vec![(0.0, 0); spec.categories.len()];
        let mut dataset_rows = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let title = |key: &str| {
            index
                .and_then(|i| i.record_title(key, lang))
                .unwrap_or_default()
        };
        let name = |iri: &str| {
            if iri.is_empty() {
                no_publisher.clone()
            } else {
                index
                    .and_then(|i| i.publisher_name(iri, lang))
                    .unwrap_or_else(|| iri.to_owned())
            }
        };
        let figure_cells = |f: &Figures| -> Vec<Cell> {
            let mut cells = vec![Cell::Count(f.views), Cell::Count(f.downloads)];
            cells.extend(
                f.downloads_per_syntax()
                    .into_iter()
                    .map(|(_, n)| Cell::Count(n)),
            );
            cells.extend([
                Cell::Count(f.impressions),
                Cell::Count(f.api),
                Cell::Count(f.requests),
            ]);
            cells
        };
        for r in &rows {
            let id = r.local_id.as_str();
            seen.insert(id.to_owned());
            let f = datasets.get(id).cloned().unwrap_or_default();
            let h = holders.entry(holder_key(&r.publisher)).or_default();
            h.datasets += 1;
            let label = kept.get(id).and_then(|k| k.label.as_ref());
            let mut row = vec![
                Cell::Text(id.to_owned()),
                Cell::Text(r.key.clone()),
                Cell::Text(title(&r.key)),
                Cell::Text(r.publisher.as_deref().map(name).unwrap_or_default()),
                Cell::Text(r.publisher.clone().unwrap_or_default()),
            ];
            row.extend(figure_cells(&f));
            match label {
                Some(l) => {
                    stars[usize::from(l.stars.min(5))] += 1;
                    h.scores.push(l.score);
                    row.push(Cell::Number(l.score));
                    row.push(Cell::Count(u64::from(l.stars)));
                    for (i, s) in category_shares(spec, l).into_iter().enumerate() {
                        if let Some(s) = s {
                            shares[i].0 += s;
                            shares[i].1 += 1;
                        }
                        row.push(s.map_or(Cell::Empty, Cell::Number));
                    }
                }
                None => {
                    unlabelled += 1;
                    row.extend(std::iter::repeat_n(Cell::Empty, 2 + spec.categories.len()));
                }
            }
            dataset_rows.push(row);
        }
        // Records used in the period and withdrawn since: their usage still counts.
        for (id, f) in &datasets {
            if seen.contains(id) {
                continue;
            }
            let mut row = vec![
                Cell::Text(id.clone()),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ];
            row.extend(figure_cells(f));
            row.extend(std::iter::repeat_n(Cell::Empty, 2 + spec.categories.len()));
            dataset_rows.push(row);
        }
        for (p, f) in &publishers {
            holders.entry(p.clone()).or_default().figures.merge(f);
        }
        for e in &life {
            let h = holders.entry(holder_key(&e.publisher)).or_default();
            if e.withdrawn {
                h.withdrawn += 1;
            } else {
                h.created += 1;
            }
        }
        let figure_headings = || -> Vec<String> {
            let mut v = vec![t("report.views"), t("report.downloads")];
            v.extend(SYNTAXES.iter().map(|s| {
                m.get("report.downloads_syntax")
                    .unwrap_or("{syntax}")
                    .replace("{syntax}", s)
            }));
            v.extend([
                t("report.impressions"),
                t("report.api"),
                t("report.requests"),
            ]);
            v
        };
        let category_names: Vec<String> = spec
            .categories
            .iter()
            .map(|c| c.name.get(lang).to_owned())
            .collect();
        let mut dataset_headings = vec![
            t("report.col_id"),
            t("report.col_iri"),
            t("report.col_title"),
            t("report.col_publisher"),
            t("report.col_publisher_iri"),
        ];
        dataset_headings.extend(figure_headings());
        dataset_headings.extend([t("report.col_label_score"), t("report.col_label_stars")]);
        dataset_headings.extend(category_names.iter().map(|c| {
            m.get("report.col_category")
                .unwrap_or("{category}")
                .replace("{category}", c)
        }));

        let mut holder_headings = vec![
            t("report.col_publisher"),
            t("report.col_publisher_iri"),
            t("report.col_datasets"),
        ];
        holder_headings.extend(figure_headings());
        holder_headings.extend([
            t("report.created"),
            t("report.withdrawn"),
            t("report.col_average_score"),
        ]);
        let holder_rows = holders
            .iter()
            .map(|(iri, h)| {
                let mut row = vec![
                    Cell::Text(name(iri)),
                    Cell::Text(iri.clone()),
                    Cell::Count(h.datasets),
                ];
                row.extend(figure_cells(&h.figures));
                row.extend([Cell::Count(h.created), Cell::Count(h.withdrawn)]);
                row.push(if h.scores.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Number(h.scores.iter().sum::<f64>() / h.scores.len() as f64)
                });
                row
            })
            .collect();

        let mut label_rows: Vec<Vec<Cell>> = (0..=5)
            .rev()
            .map(|s| {
                vec![
                    Cell::Text(
                        m.get("report.stars")
                            .unwrap_or("{n}")
                            .replace("{n}", &s.to_string()),
                    ),
                    Cell::Count(stars[s]),
                    Cell::Empty,
                ]
            })
            .collect();
        label_rows.push(vec![
            Cell::Text(t("report.no_label")),
            Cell::Count(unlabelled),
            Cell::Empty,
        ]);
        for (i, c) in category_names.iter().enumerate() {
            let (sum, n) = shares[i];
            label_rows.push(vec![
                Cell::Text(
                    m.get("report.col_category")
                        .unwrap_or("{category}")
                        .replace("{category}", c),
                ),
                Cell::Count(n),
                if n == 0 {
                    Cell::Empty
                } else {
                    Cell::Number(sum / n as f64)
                },
            ]);
        }

        let record_rows = life
            .iter()
            .map(|e| {
                vec![
                    Cell::Text(e.time.clone()),
                    Cell::Text(t(if e.withdrawn {
                        "report.change_withdrawn"
                    } else {
                        "report.change_created"
                    })),
                    Cell::Text(e.local_id.clone()),
                    Cell::Text(e.publisher.as_deref().map(name).unwrap_or_default()),
                    Cell::Text(e.publisher.clone().unwrap_or_default()),
                ]
            })
            .collect();

        let created = life.iter().filter(|e| !e.withdrawn).count() as u64;
        let withdrawn = life.len() as u64 - created;
        let mut summary = vec![
            vec![
                Cell::Text(t("report.from")),
                Cell::Text(period.from.to_string()),
            ],
            vec![
                Cell::Text(t("report.to")),
                Cell::Text(period.to.to_string()),
            ],
            vec![
                Cell::Text(t("report.records_live")),
                Cell::Count(rows.len() as u64),
            ],
            vec![
                Cell::Text(t("report.holders")),
                Cell::Count(holders.keys().filter(|k| !k.is_empty()).count() as u64),
            ],
            vec![Cell::Text(t("report.created")), Cell::Count(created)],
            vec![Cell::Text(t("report.withdrawn")), Cell::Count(withdrawn)],
            vec![
                Cell::Text(t("report.searches")),
                Cell::Count(totals.searches),
            ],
        ];
        for (h, c) in figure_headings().into_iter().zip(figure_cells(&totals)) {
            summary.push(vec![Cell::Text(h), c]);
        }
        let table = |key: &'static str, headings: Vec<String>, rows: Vec<Vec<Cell>>| Table {
            key,
            name: t(&format!("report.sheet_{key}")),
            headings,
            rows,
        };
        let tables = vec![
            table(
                "summary",
                vec![t("report.col_figure"), t("report.col_value")],
                summary,
            ),
            table("datasets", dataset_headings, dataset_rows),
            table("holders", holder_headings, holder_rows),
            table(
                "labels",
                vec![
                    t("report.col_label"),
                    t("report.col_datasets"),
                    t("report.col_average"),
                ],
                label_rows,
            ),
            table(
                "records",
                vec![
                    t("report.col_time"),
                    t("report.col_change"),
                    t("report.col_id"),
                    t("report.col_publisher"),
                    t("report.col_publisher_iri"),
                ],
                record_rows,
            ),
        ];
        Ok(Self {
            period,
            tables,
            totals,
        })
    }

    /// The table `key` (one of [`TABLES`]).
    pub fn table(&self, key: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.key == key)
    }

    /// Writes table `key` as CSV (RFC 4180, UTF-8). Text that a spreadsheet would take for a
    /// formula (starting with `=`, `+`, `-`, `@`) is prefixed with `'`.
    pub fn write_csv<W: std::io::Write>(&self, key: &str, out: W) -> Result<W, UsageError> {
        let table = self.table(key).unwrap_or(&self.tables[0]);
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&table.headings)?;
        for row in &table.rows {
            w.write_record(row.iter().map(|c| match c {
                Cell::Text(s) if s.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{s}"),
                Cell::Text(s) => s.clone(),
                Cell::Count(n) => n.to_string(),
                Cell::Number(x) => format!("{x:.1}"),
                Cell::Empty => String::new(),
            }))?;
        }
        w.into_inner().map_err(|e| UsageError::Io(e.into_error()))
    }

    /// The whole report as an XLSX workbook, one sheet per table.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, UsageError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let decimal = rust_xlsxwriter::Format::new().set_num_format("0.0");
        for table in &self.tables {
            let sheet = book.add_worksheet();
            // Sheet names: at most 31 characters, none of []:*?/\ (the messages respect it).
            sheet.set_name(&table.name)?;
            for (c, h) in table.headings.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, h, &bold)?;
            }
            for (r, row) in table.rows.iter().enumerate() {
                let r = r as u32 + 1;
                for (c, cell) in row.iter().enumerate() {
                    let c = c as u16;
                    match cell {
                        Cell::Text(s) => sheet.write_string(r, c, s).map(|_| ())?,
                        Cell::Count(n) => sheet.write_number(r, c, *n as f64).map(|_| ())?,
                        Cell::Number(x) => sheet
                            .write_number_with_format(r, c, *x, &decimal)
                            .map(|_| ())?,
                        Cell::Empty => {}
                    }
                }
            }
            sheet.set_freeze_panes(1, 0)?;
        }
        Ok(book.save_to_buffer()?)
    }
}
