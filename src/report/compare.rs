//! Comparing positions on one scenario: the reports side by side, per party.

use std::fmt::Write as _;

use serde::Serialize;

use super::printable::printable_reports;
use super::{Format, ProvisionReport, Report, TextOptions, render_text};

/// The versioned name of the comparison JSON.
pub const COMPARISON_FORMAT: &str = "treaty-comparison/1";

#[derive(Serialize)]
struct Comparison<'a> {
    format: &'static str,
    positions: &'a [Report],
}

/// The positions' reports compared in `format`; `options` matter to text only.
pub fn render_comparison(reports: &[Report], format: Format, options: &TextOptions) -> String {
    match format {
        Format::Text => render_comparison_text(reports, options),
        Format::Json => render_comparison_json(reports),
        Format::Markdown => render_comparison_markdown(reports),
    }
}

/// `{"format": "treaty-comparison/1", "positions": [REPORT, …]}`, each report as `eval` gives it.
pub fn render_comparison_json(reports: &[Report]) -> String {
    let comparison = Comparison {
        format: COMPARISON_FORMAT,
        positions: reports,
    };
    let mut json = serde_json::to_string_pretty(&comparison).unwrap_or_default();
    json.push('\n');
    json
}

/// One cell: the verdict and, for limits and bans, the quantity against the bound.
fn cell(provision: &ProvisionReport) -> String {
    let mut text = provision.verdict.as_str().to_string();
    if let Some(quantity) = &provision.quantity {
        match &provision.bound {
            Some(bound) => {
                let _ = write!(text, " ({quantity}; bound {} {})", bound.op, bound.value);
            }
            None => {
                let _ = write!(text, " ({quantity})");
            }
        }
    }
    text
}

/// A row: a provision id and one cell per position.
type Row = (String, Vec<String>);

/// Rows: every (party, provision id) in the order first met; columns: the positions.
fn table(reports: &[Report]) -> Vec<(String, Vec<Row>)> {
    let mut parties: Vec<(String, Vec<Row>)> = Vec::new();
    for (column, report) in reports.iter().enumerate() {
        for party in &report.parties {
            let index = match parties.iter().position(|(name, _)| *name == party.party) {
                Some(index) => index,
                None => {
                    parties.push((party.party.clone(), Vec::new()));
                    parties.len().saturating_sub(1)
                }
            };
            let Some((_, rows)) = parties.get_mut(index) else {
                continue;
            };
            for provision in &party.provisions {
                let row = match rows.iter().position(|(id, _)| *id == provision.id) {
                    Some(row) => row,
                    None => {
                        rows.push((provision.id.clone(), vec![String::new(); reports.len()]));
                        rows.len().saturating_sub(1)
                    }
                };
                if let Some(slot) = rows
                    .get_mut(row)
                    .and_then(|(_, cells)| cells.get_mut(column))
                {
                    *slot = cell(provision);
                }
            }
            let verdict_row = "(overall)".to_string();
            let row = match rows.iter().position(|(id, _)| *id == verdict_row) {
                Some(row) => row,
                None => {
                    rows.insert(0, (verdict_row, vec![String::new(); reports.len()]));
                    0
                }
            };
            if let Some(slot) = rows
                .get_mut(row)
                .and_then(|(_, cells)| cells.get_mut(column))
            {
                *slot = party.verdict.as_str().to_string();
            }
        }
    }
    parties
}

fn column_name(report: &Report) -> String {
    std::path::Path::new(&report.position.file)
        .file_stem()
        .map_or_else(
            || report.position.file.clone(),
            |s| s.to_string_lossy().into_owned(),
        )
}

/// The positions side by side per party, then (with `explain`) each full report.
pub fn render_comparison_text(reports: &[Report], options: &TextOptions) -> String {
    let reports = &*printable_reports(reports);
    let mut out = String::new();
    if let Some(first) = reports.first() {
        let _ = writeln!(
            out,
            "Comparison on {} ({})",
            first.scenario.title, first.scenario.date
        );
        let _ = writeln!(out, "  scenario  {}", first.scenario.file);
    }
    for report in reports {
        let _ = writeln!(
            out,
            "  position  {}: {}",
            column_name(report),
            report.position.title
        );
    }
    let names: Vec<String> = reports.iter().map(column_name).collect();
    for (party, rows) in table(reports) {
        let _ = writeln!(out, "\n{party}");
        let id_width = rows
            .iter()
            .map(|(id, _)| id.chars().count())
            .max()
            .unwrap_or(0)
            .max(9);
        let widths: Vec<usize> = names
            .iter()
            .enumerate()
            .map(|(column, name)| {
                rows.iter()
                    .filter_map(|(_, cells)| cells.get(column))
                    .map(|c| c.chars().count())
                    .max()
                    .unwrap_or(0)
                    .max(name.chars().count())
            })
            .collect();
        let _ = write!(out, "  {:id_width$}", "provision");
        for (name, width) in names.iter().zip(&widths) {
            let _ = write!(out, "  {name:width$}");
        }
        out.push('\n');
        for (id, cells) in rows {
            let _ = write!(out, "  {id:id_width$}");
            for (cell, width) in cells.iter().zip(&widths) {
                let text = if cell.is_empty() {
                    "—"
                } else {
                    cell.as_str()
                };
                let _ = write!(out, "  {text:width$}");
            }
            out.truncate(out.trim_end().len());
            out.push('\n');
        }
    }
    if options.explain {
        for report in reports {
            out.push('\n');
            out.push_str(&render_text(report, options));
        }
    }
    out
}

/// The positions side by side per party, as Markdown tables.
pub fn render_comparison_markdown(reports: &[Report]) -> String {
    let reports = &*printable_reports(reports);
    let mut out = String::new();
    if let Some(first) = reports.first() {
        let _ = writeln!(
            out,
            "# Comparison on {} ({})\n",
            first.scenario.title, first.scenario.date
        );
    }
    for report in reports {
        let _ = writeln!(
            out,
            "- `{}`: {}",
            column_name(report),
            report.position.title
        );
    }
    let names: Vec<String> = reports.iter().map(column_name).collect();
    for (party, rows) in table(reports) {
        let _ = writeln!(out, "\n## {party}\n");
        let _ = writeln!(out, "| provision | {} |", names.join(" | "));
        let _ = writeln!(out, "|---|{}", "---|".repeat(names.len()));
        for (id, cells) in rows {
            let cells: Vec<&str> = cells
                .iter()
                .map(|c| if c.is_empty() { "—" } else { c.as_str() })
                .collect();
            let _ = writeln!(out, "| `{id}` | {} |", cells.join(" | "));
        }
    }
    out
}
