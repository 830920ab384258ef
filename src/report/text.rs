//! The terminal rendering: an aligned table per party, optionally with the reasons.

use crate::lang::Verdict;
use std::fmt::Write as _;

use super::printable::printable_report;
use super::{PartyReport, ProvisionReport, Report};

/// How to render text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// Under each provision: its rule, contributors, unknowns and verdicts by reading.
    pub explain: bool,
    /// Colour verdicts with ANSI escape codes. The caller decides (a terminal, no `NO_COLOR`).
    pub color: bool,
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "1";

fn verdict_color(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Complies => "32",
        Verdict::Violated => "1;31",
        Verdict::Undetermined => "33",
        Verdict::NotApplicable | Verdict::NotInForce | Verdict::NotEvaluable => "2",
    }
}

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{code}m{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// The report as text for a terminal: a header, then per party its overall verdict and a table
/// of provisions (id, kind, verdict, quantity, bound, excess).
pub fn render_text(report: &Report, options: &TextOptions) -> String {
    let report = &*printable_report(report);
    let painter = Painter {
        color: options.color,
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", painter.paint(BOLD, &report.position.title));
    let _ = writeln!(out, "  position  {}", report.position.file);
    let _ = writeln!(
        out,
        "  scenario  {} ({})  {}",
        report.scenario.title, report.scenario.date, report.scenario.file
    );
    if !report.readings.is_empty() {
        let _ = writeln!(out, "  readings  {}", report.readings.describe());
    }
    for party in &report.parties {
        out.push('\n');
        render_party(&mut out, party, options, &painter);
    }
    out
}

fn render_party(out: &mut String, party: &PartyReport, options: &TextOptions, painter: &Painter) {
    let _ = writeln!(
        out,
        "{}: {}",
        painter.paint(BOLD, &party.party),
        painter.paint(verdict_color(party.verdict), party.verdict.as_str())
    );
    if party.provisions.is_empty() {
        let _ = writeln!(out, "  (no provision binds {})", party.party);
        return;
    }
    let with_readings = party.shows_readings();
    let mut header = vec![
        "provision",
        "kind",
        "verdict",
        "quantity",
        "bound",
        "excess",
    ];
    if with_readings {
        header.push("readings");
    }
    let rows: Vec<Vec<String>> = party
        .provisions
        .iter()
        .map(|p| row(p, with_readings))
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for cells in &rows {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let header_cells: Vec<String> = header.iter().map(|h| (*h).to_string()).collect();
    let line = format_row(&header_cells, &widths, &|_, text| painter.paint("2", text));
    let _ = writeln!(out, "  {line}");
    for (provision, cells) in party.provisions.iter().zip(&rows) {
        let line = format_row(cells, &widths, &|column, text| {
            if column == 2 {
                painter.paint(verdict_color(provision.verdict), text)
            } else {
                text.to_string()
            }
        });
        let _ = writeln!(out, "  {line}");
        if options.explain {
            explain(out, provision, painter);
        }
    }
}

fn row(provision: &ProvisionReport, with_readings: bool) -> Vec<String> {
    let row = provision.row();
    let mut cells = vec![
        row.id.to_string(),
        row.kind.to_string(),
        row.verdict.to_string(),
        row.quantity,
        row.bound,
        row.excess,
    ];
    if with_readings {
        cells.push(match row.depends_on_reading {
            Some(true) => "depends".to_string(),
            Some(false) => "same".to_string(),
            None => String::new(),
        });
    }
    cells
}

/// Pad every cell but the last to its column's width; `paint` colours a cell's text (padding
/// stays outside the escape codes so alignment holds).
fn format_row(cells: &[String], widths: &[usize], paint: &dyn Fn(usize, &str) -> String) -> String {
    let mut line = String::new();
    let last = cells.len().saturating_sub(1);
    for (column, (cell, &width)) in cells.iter().zip(widths).enumerate() {
        line.push_str(&paint(column, cell));
        if column < last {
            let pad = width.saturating_sub(cell.chars().count()).saturating_add(2);
            line.push_str(&" ".repeat(pad));
        }
    }
    line.trim_end().to_string()
}

fn explain(out: &mut String, provision: &ProvisionReport, painter: &Painter) {
    const INDENT: &str = "      ";
    if let Some(label) = &provision.label {
        let _ = writeln!(out, "{INDENT}{label}");
    }
    if let Some(rule) = &provision.rule {
        let _ = writeln!(out, "{INDENT}rule: {rule}");
    }
    for condition in &provision.conditions {
        let _ = writeln!(out, "{INDENT}when: {condition}");
    }
    if !provision.contributors.is_empty() {
        let counts: Vec<String> = provision
            .contributors
            .iter()
            .map(|c| c.count.to_string())
            .collect();
        let width = counts.iter().map(|c| c.chars().count()).max().unwrap_or(0);
        for (contributor, count) in provision.contributors.iter().zip(&counts) {
            let pad = " ".repeat(width.saturating_sub(count.chars().count()));
            let _ = writeln!(
                out,
                "{INDENT}{pad}{count}  {}: {}",
                contributor.holding, contributor.because
            );
        }
    }
    for unknown in &provision.unknowns {
        let _ = writeln!(out, "{INDENT}{} {unknown}", painter.paint("33", "unknown:"));
    }
    if let Some(by_reading) = &provision.by_reading {
        for rv in by_reading {
            let _ = writeln!(
                out,
                "{INDENT}under {}: {}",
                rv.readings.describe(),
                painter.paint(verdict_color(rv.verdict), rv.verdict.as_str())
            );
        }
    }
}
