//! The comparison as text and Markdown: one table per party (a row per provision id, a column
//! per position), then the holdings each position counts differently.

use std::fmt::Write as _;

use super::{Cell, Comparison, Counting, PartyComparison};
use crate::interval::Amount;
use crate::report::printable::printable_reports;
use crate::report::{Report, TextOptions, render_text};

/// One cell: the verdict and, for limits and bans, the quantity against the bound; with every
/// combination of readings, the verdicts they give when they differ.
fn cell_text(cell: &Cell) -> String {
    let mut text = cell.verdict.as_str().to_string();
    if let Some(quantity) = &cell.quantity {
        match &cell.bound {
            Some(bound) => {
                let _ = write!(text, " ({quantity}; {} {}", bound.op, bound.value);
                if let Some(from) = bound.from {
                    let _ = write!(text, " from {from}");
                }
                text.push(')');
            }
            None => {
                let _ = write!(text, " ({quantity})");
            }
        }
    }
    if let Some(verdicts) = &cell.verdicts_by_reading {
        let words: Vec<&str> = verdicts.iter().map(|v| v.as_str()).collect();
        let _ = write!(text, " [by reading: {}]", words.join("/"));
    }
    text
}

/// The party's table as rows of plain cells; the first row is the header, the second the
/// overall verdicts.
fn verdict_table(columns: &[String], party: &PartyComparison) -> Vec<Vec<String>> {
    let mut rows = Vec::with_capacity(party.rows.len().saturating_add(2));
    let mut header = vec!["provision".to_string()];
    header.extend(columns.iter().cloned());
    rows.push(header);
    let mut overall = vec!["(overall)".to_string()];
    overall.extend(
        party
            .verdicts
            .iter()
            .map(|v| v.map(|v| v.as_str().to_string()).unwrap_or_default()),
    );
    rows.push(overall);
    for row in &party.rows {
        let mut cells = vec![row.id.clone()];
        cells.extend(
            row.cells
                .iter()
                .map(|c| c.as_ref().map(cell_text).unwrap_or_default()),
        );
        rows.push(cells);
    }
    rows
}

/// What a holding adds, as a cell.
fn count_text(count: Option<&Amount>) -> String {
    count.map(ToString::to_string).unwrap_or_default()
}

/// The counting differences as rows of plain cells, the first the header; the holding's name
/// only on its first row.
fn counting_table(columns: &[String], counting: &[Counting]) -> Vec<Vec<String>> {
    let mut header = vec!["holding".to_string(), "provision".to_string()];
    header.extend(columns.iter().cloned());
    let mut rows = vec![header];
    let mut previous: Option<&str> = None;
    for entry in counting {
        let name = if previous == Some(entry.holding.as_str()) {
            String::new()
        } else {
            entry.holding.clone()
        };
        previous = Some(&entry.holding);
        let mut cells = vec![name, entry.provision.clone()];
        cells.extend(entry.counts.iter().map(|c| count_text(c.as_ref())));
        rows.push(cells);
    }
    rows
}

/// Aligned columns, two spaces apart, `—` for empty cells after the first column, no
/// trailing spaces.
fn aligned(out: &mut String, rows: &[Vec<String>], dash_empty_from: usize) {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (column, cell) in row.iter().enumerate() {
            let width = cell.chars().count().max(1);
            match widths.get_mut(column) {
                Some(w) => *w = (*w).max(width),
                None => widths.push(width),
            }
        }
    }
    for (index, row) in rows.iter().enumerate() {
        let mut line = String::from(" ");
        for (column, (cell, width)) in row.iter().zip(&widths).enumerate() {
            let text = if cell.is_empty() && index > 0 && column >= dash_empty_from {
                "—"
            } else {
                cell.as_str()
            };
            let _ = write!(line, " {text:width$} ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

const COUNTING_TITLE: &str = "how the same holdings are counted: what each adds to the quantity \
    (0: not counted, —: no such quantity)";

/// The positions side by side per party, then (with `explain`) each full report.
pub fn render_comparison_text(reports: &[Report], options: &TextOptions) -> String {
    // Control characters in names from rule files and scenarios are escaped, not sent to the
    // terminal.
    let reports = &*printable_reports(reports);
    let comparison = Comparison::new(reports);
    let mut out = String::new();
    if let Some(scenario) = &comparison.scenario {
        let _ = writeln!(out, "Comparison on {} ({})", scenario.title, scenario.date);
        let _ = writeln!(out, "  scenario  {}", scenario.file);
    }
    for (name, report) in comparison.columns.iter().zip(reports) {
        let _ = writeln!(out, "  position  {name}: {}", report.position.title);
        if !report.readings.is_empty() {
            let _ = writeln!(out, "            readings {}", report.readings.describe());
        }
    }
    for party in &comparison.parties {
        let _ = writeln!(out, "\n{}", party.party);
        aligned(&mut out, &verdict_table(&comparison.columns, party), 1);
        if !party.counting.is_empty() {
            let _ = writeln!(out, "\n  {}: {COUNTING_TITLE}", party.party);
            aligned(
                &mut out,
                &counting_table(&comparison.columns, &party.counting),
                2,
            );
            if options.explain {
                explain_counting(&mut out, &comparison.columns, &party.counting);
            }
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

/// Why each holding counts as it does under each position.
fn explain_counting(out: &mut String, columns: &[String], counting: &[Counting]) {
    for entry in counting {
        let _ = writeln!(out, "  {} in {}:", entry.holding, entry.provision);
        for (column, (count, because)) in
            columns.iter().zip(entry.counts.iter().zip(&entry.because))
        {
            let Some(count) = count else {
                continue;
            };
            let reason = because.as_deref().unwrap_or("not counted");
            let _ = writeln!(out, "    {column}: {count}: {reason}");
        }
    }
}

/// A Markdown table: the first row the header; cells of the first `code_columns` columns in
/// backticks; empty cells from column `dash_from` on shown as `—`; pipes escaped.
fn md_table(out: &mut String, rows: &[Vec<String>], code_columns: usize, dash_from: usize) {
    for (index, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(column, cell)| {
                let escaped = cell.replace('|', "\\|");
                if index == 0 {
                    escaped
                } else if cell.is_empty() {
                    if column >= dash_from {
                        "—".to_string()
                    } else {
                        String::new()
                    }
                } else if column < code_columns {
                    format!("`{escaped}`")
                } else {
                    escaped
                }
            })
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
        if index == 0 {
            let _ = writeln!(out, "|{}", "---|".repeat(row.len()));
        }
    }
}

/// The positions side by side per party, as Markdown tables.
pub fn render_comparison_markdown(reports: &[Report]) -> String {
    let reports = &*printable_reports(reports);
    let comparison = Comparison::new(reports);
    let mut out = String::new();
    if let Some(scenario) = &comparison.scenario {
        let _ = writeln!(
            out,
            "# Comparison on {} ({})\n",
            scenario.title, scenario.date
        );
    }
    for (name, report) in comparison.columns.iter().zip(reports) {
        let _ = write!(out, "- `{name}`: {}", report.position.title);
        if !report.readings.is_empty() {
            let _ = write!(out, " (readings {})", report.readings.describe());
        }
        out.push('\n');
    }
    for party in &comparison.parties {
        let _ = writeln!(out, "\n## {}\n", party.party);
        md_table(&mut out, &verdict_table(&comparison.columns, party), 1, 1);
        if !party.counting.is_empty() {
            let _ = writeln!(out, "\n### {}: {COUNTING_TITLE}\n", party.party);
            md_table(
                &mut out,
                &counting_table(&comparison.columns, &party.counting),
                2,
                2,
            );
        }
    }
    out
}
