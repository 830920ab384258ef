//! Comparing positions on one scenario: the reports side by side, per party, and how each
//! position counts the same holdings.
//!
//! [`Comparison`] is the JSON contract `treaty-comparison/1` (documented in
//! `docs/report-format.md`): `format` and `positions` (every report, as `eval` gives it) as
//! from the start, and the aligned table (`columns`, `parties`) added since, without breaking
//! a reader of the first fields.

mod render;

use serde::{Deserialize, Serialize};

use super::{BoundReport, Format, ProvisionReport, Report, ScenarioInfo, TextOptions};
use crate::interval::Amount;
use crate::lang::{ProvisionKind, Verdict};

pub use render::{render_comparison_markdown, render_comparison_text};

/// The versioned name of the comparison JSON.
pub const COMPARISON_FORMAT: &str = "treaty-comparison/1";

/// The positions' reports on one scenario, and the table that aligns them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// Always [`COMPARISON_FORMAT`].
    pub format: String,
    /// Each position's report, in the order given.
    pub positions: Vec<Report>,
    /// The scenario (the first report's; every report is on the same scenario).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<ScenarioInfo>,
    /// A short name for each position (its file's name without `.treaty`), in the order of
    /// `positions`: the columns of the table.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Per party, in the order first met.
    #[serde(default)]
    pub parties: Vec<PartyComparison>,
}

/// One party across the positions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyComparison {
    /// The party's name.
    pub party: String,
    /// The party's overall verdict under each position; `None` where a position's report has
    /// no such party.
    pub verdicts: Vec<Option<Verdict>>,
    /// One row per provision id: provisions with the same id in several positions share a
    /// row. The rows of ids in several positions come first, then those of one position only,
    /// each in the order first met.
    pub rows: Vec<Row>,
    /// Each holding that a provision id counts differently across the positions.
    pub counting: Vec<Counting>,
}

/// One provision id across the positions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// The provision id.
    pub id: String,
    /// Per position; `None` where the position has no provision with this id for the party.
    pub cells: Vec<Option<Cell>>,
}

/// One provision of one position for the party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    /// Limit, ban, assurance or statement.
    pub kind: ProvisionKind,
    /// The verdict.
    pub verdict: Verdict,
    /// The quantity, for limits and bans that were evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Amount>,
    /// The bound in force, for limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<BoundReport>,
    /// With every combination of readings evaluated and the verdicts differing: each verdict
    /// met, in the order met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdicts_by_reading: Option<Vec<Verdict>>,
}

/// What a holding adds to one provision id's quantity under each position, where they differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counting {
    /// The holding's name in the scenario.
    pub holding: String,
    /// The provision id (a row of the table).
    pub provision: String,
    /// Per position: what the holding adds (0 when it does not count; negative for a
    /// subtracted term); `None` where the position has no quantity under this id.
    pub counts: Vec<Option<Amount>>,
    /// Per position: why it counts as it does (the contributors' reasons), `None` where it
    /// does not count or there is no quantity.
    pub because: Vec<Option<String>>,
}

impl Comparison {
    /// The comparison of `reports`, which are on the same scenario.
    pub fn new(reports: &[Report]) -> Comparison {
        Comparison {
            format: COMPARISON_FORMAT.to_string(),
            positions: reports.to_vec(),
            scenario: reports.first().map(|r| r.scenario.clone()),
            columns: reports.iter().map(column_name).collect(),
            parties: parties(reports),
        }
    }
}

/// The positions' reports compared in `format`; `options` matter to text only.
pub fn render_comparison(reports: &[Report], format: Format, options: &TextOptions) -> String {
    match format {
        Format::Text => render_comparison_text(reports, options),
        Format::Json => render_comparison_json(reports),
        Format::Markdown => render_comparison_markdown(reports),
        Format::Html => super::html::render_comparison_html(reports, options.explain),
    }
}

/// The [`Comparison`] of `reports` as pretty-printed JSON with a trailing newline.
pub fn render_comparison_json(reports: &[Report]) -> String {
    let mut json = serde_json::to_string_pretty(&Comparison::new(reports)).unwrap_or_default();
    json.push('\n');
    json
}

/// A position's column: its file's name without the extension.
fn column_name(report: &Report) -> String {
    std::path::Path::new(&report.position.file)
        .file_stem()
        .map_or_else(
            || report.position.file.clone(),
            |s| s.to_string_lossy().into_owned(),
        )
}

/// The index of the entry named `name`, added with `make` when missing.
fn find_or_add<T>(list: &mut Vec<T>, is: impl Fn(&T) -> bool, make: impl FnOnce() -> T) -> usize {
    match list.iter().position(is) {
        Some(index) => index,
        None => {
            list.push(make());
            list.len().saturating_sub(1)
        }
    }
}

fn parties(reports: &[Report]) -> Vec<PartyComparison> {
    let columns = reports.len();
    let mut parties: Vec<PartyComparison> = Vec::new();
    for (column, report) in reports.iter().enumerate() {
        for party in &report.parties {
            let index = find_or_add(
                &mut parties,
                |p| p.party == party.party,
                || PartyComparison {
                    party: party.party.clone(),
                    verdicts: vec![None; columns],
                    rows: Vec::new(),
                    counting: Vec::new(),
                },
            );
            let Some(entry) = parties.get_mut(index) else {
                continue;
            };
            if let Some(slot) = entry.verdicts.get_mut(column) {
                *slot = Some(party.verdict);
            }
            for provision in &party.provisions {
                let row = find_or_add(
                    &mut entry.rows,
                    |r| r.id == provision.id,
                    || Row {
                        id: provision.id.clone(),
                        cells: vec![None; columns],
                    },
                );
                if let Some(slot) = entry
                    .rows
                    .get_mut(row)
                    .and_then(|r| r.cells.get_mut(column))
                {
                    *slot = Some(cell(provision));
                }
            }
        }
    }
    for party in &mut parties {
        // Rows the positions share first, then each position's own, each in the order met.
        let (shared, own): (Vec<Row>, Vec<Row>) = std::mem::take(&mut party.rows)
            .into_iter()
            .partition(|row| row.cells.iter().flatten().count() > 1);
        party.rows = shared;
        party.rows.extend(own);
        party.counting = counting(reports, &party.party, &party.rows);
    }
    parties
}

fn cell(provision: &ProvisionReport) -> Cell {
    let verdicts_by_reading = match (&provision.by_reading, provision.depends_on_reading) {
        (Some(list), Some(true)) => {
            let mut verdicts: Vec<Verdict> = Vec::new();
            for rv in list {
                if !verdicts.contains(&rv.verdict) {
                    verdicts.push(rv.verdict);
                }
            }
            Some(verdicts)
        }
        _ => None,
    };
    Cell {
        kind: provision.kind,
        verdict: provision.verdict,
        quantity: provision.quantity,
        bound: provision.bound.clone(),
        verdicts_by_reading,
    }
}

/// A contributor's count, negative when its term is subtracted (its reason says so).
fn signed(contributor: &super::Contributor) -> Amount {
    let count = Amount::from(contributor.count);
    if contributor.because.starts_with("subtracted: ") {
        // Counts are at most 2^64, so negating them never overflows an i128.
        Amount {
            min: count.max.map(i128::saturating_neg),
            max: count.min.map(i128::saturating_neg),
        }
    } else {
        count
    }
}

/// For each row with a quantity under two positions or more, the holdings whose contributions
/// differ between them.
fn counting(reports: &[Report], party: &str, rows: &[Row]) -> Vec<Counting> {
    let provision = |column: usize, id: &str| {
        reports
            .get(column)
            .and_then(|r| r.parties.iter().find(|p| p.party == party))
            .and_then(|p| p.provisions.iter().find(|p| p.id == id))
            .filter(|p| p.quantity.is_some() && p.kind != ProvisionKind::Assurance)
    };
    let mut holdings: Vec<&str> = Vec::new();
    for report in reports {
        for p in report.parties.iter().filter(|p| p.party == party) {
            for c in p.provisions.iter().flat_map(|p| &p.contributors) {
                if !holdings.contains(&&*c.holding) {
                    holdings.push(&c.holding);
                }
            }
        }
    }
    let mut out = Vec::new();
    for holding in holdings {
        for row in rows {
            let measured: Vec<Option<&ProvisionReport>> = (0..reports.len())
                .map(|column| provision(column, &row.id))
                .collect();
            if measured.iter().flatten().count() < 2 {
                continue;
            }
            let mut counts = Vec::with_capacity(measured.len());
            let mut because = Vec::with_capacity(measured.len());
            for p in &measured {
                let Some(p) = p else {
                    counts.push(None);
                    because.push(None);
                    continue;
                };
                let mine: Vec<_> = p
                    .contributors
                    .iter()
                    .filter(|c| &*c.holding == holding)
                    .collect();
                let total = mine
                    .iter()
                    .try_fold(Amount::exact(0), |sum, c| sum.checked_add(signed(c)));
                counts.push(total);
                because.push(if mine.is_empty() {
                    None
                } else {
                    Some(
                        mine.iter()
                            .map(|c| &*c.because)
                            .collect::<Vec<_>>()
                            .join("; and "),
                    )
                });
            }
            let known: Vec<&Amount> = counts.iter().flatten().collect();
            if known.windows(2).any(|w| w.first() != w.last()) {
                out.push(Counting {
                    holding: holding.to_string(),
                    provision: row.id.clone(),
                    counts,
                    because,
                });
            }
        }
    }
    out
}
