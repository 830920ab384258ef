//! The terminal rendering: an aligned table per party, optionally with the reasons.

use crate::lang::Verdict;
use std::fmt::Write as _;

use super::definitions::Definitions;
use super::printable::printable_report;
use super::{ESTIMATE_LEGEND, ESTIMATE_MARK, PartyReport, ProvisionReport, Report};

/// How to render text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// Under each provision: its rule, contributors, unknowns and verdicts by reading.
    pub explain: bool,
    /// Colour verdicts with ANSI escape codes. The caller decides (a terminal, no `NO_COLOR`).
    pub color: bool,
    /// Wrap the lines of explanations and headers to this many columns (the terminal's
    /// width); `None`: never wrap (output to a file or a pipe). Tables are never wrapped.
    pub width: Option<usize>,
}

/// Under a provision's row, and in its explanation.
const INDENT: &str = "      ";

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
    let fields = [
        ("position", report.position.file.clone()),
        (
            "scenario",
            format!(
                "{} ({})  {}",
                report.scenario.title, report.scenario.date, report.scenario.file
            ),
        ),
    ];
    for (name, value) in fields {
        wrapped(&mut out, &format!("  {name}  "), &value, options.width);
    }
    if !report.readings.is_empty() {
        let readings = match report.reading_combinations() {
            // Every combination was evaluated: no single reading is the report's.
            Some(combinations) => {
                let names: Vec<&str> = report.readings.iter().map(|(r, _)| r).collect();
                format!(
                    "all {combinations} combination{} of {}; the table under {}",
                    if combinations == 1 { "" } else { "s" },
                    names.join(", "),
                    report.readings.describe()
                )
            }
            None => report.readings.describe(),
        };
        wrapped(&mut out, "  readings  ", &readings, options.width);
    }
    for warning in &report.warnings {
        let _ = writeln!(out, "  {}   {warning}", painter.paint("33", "warning"));
    }
    for party in &report.parties {
        out.push('\n');
        render_party(&mut out, party, options, &painter);
    }
    if report.has_estimates() {
        let _ = writeln!(out, "\n{ESTIMATE_LEGEND}");
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
    let with_declared = party.shows_declared();
    if with_declared {
        header.push("declared");
    }
    if with_readings {
        header.push("readings");
    }
    let rows: Vec<Vec<String>> = party
        .provisions
        .iter()
        .map(|p| row(p, with_declared, with_readings))
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
            explain(out, provision, painter, options.width);
        } else {
            remarks(out, provision);
            if provision.varies_by_reading() {
                by_reading(out, provision, painter);
            }
        }
    }
}

fn row(provision: &ProvisionReport, with_declared: bool, with_readings: bool) -> Vec<String> {
    let row = provision.row();
    let mut cells = vec![
        row.id.to_string(),
        row.kind.to_string(),
        row.verdict.to_string(),
        row.quantity,
        row.bound,
        row.excess,
    ];
    if with_declared {
        cells.push(row.declared);
    }
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

/// Write `text` after `first` (the first line's indent), wrapped to `width` with every later
/// line indented as far as `first` is long.
fn wrapped(out: &mut String, first: &str, text: &str, width: Option<usize>) {
    let hanging = " ".repeat(first.chars().count());
    wrapped_with(out, first, &hanging, text, width);
}

/// Write `text` wrapped to `width`: its first line after `first`, the others after `rest`.
fn wrapped_with(out: &mut String, first: &str, rest: &str, text: &str, width: Option<usize>) {
    let Some(width) = width else {
        let _ = writeln!(out, "{first}{text}");
        return;
    };
    // Never narrower than the indent and a word: a very narrow terminal still gets text.
    let width = width.max(rest.chars().count().saturating_add(20));
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest);
    for line in textwrap::wrap(text, options) {
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// What the evaluation remarks on the provision, shown with or without `--explain`.
fn remarks(out: &mut String, provision: &ProvisionReport) {
    for remark in &provision.remarks {
        let _ = writeln!(out, "{INDENT}note: {remark}");
    }
}

fn explain(out: &mut String, provision: &ProvisionReport, painter: &Painter, width: Option<usize>) {
    let more = format!("{INDENT}    ");
    if let Some(label) = &provision.label {
        wrapped_with(out, INDENT, &more, label, width);
    }
    if let Some(rule) = &provision.rule {
        wrapped_with(out, INDENT, &more, &format!("rule: {rule}"), width);
    }
    for condition in &provision.conditions {
        wrapped_with(out, INDENT, &more, &format!("when: {condition}"), width);
    }
    // Each category's definition once, then the holdings that counted under it.
    let definitions = Definitions::of(&provision.contributors);
    for (name, definition) in definitions.listed() {
        wrapped_with(
            out,
            INDENT,
            &more,
            &format!("category {name}: {definition}"),
            width,
        );
    }
    remarks(out, provision);
    if let Some(line) = provision.declared_line() {
        let _ = writeln!(out, "{INDENT}{line}");
    }
    if let Some(period) = &provision.in_force {
        let _ = writeln!(out, "{INDENT}in force: {period}");
    }
    if !provision.contributors.is_empty() {
        let counts: Vec<String> = provision
            .contributors
            .iter()
            .map(|c| {
                let mark = if c.estimated { ESTIMATE_MARK } else { "" };
                format!("{mark}{}", c.count)
            })
            .collect();
        let count_width = counts.iter().map(|c| c.chars().count()).max().unwrap_or(0);
        let hanging = format!("{INDENT}{}  ", " ".repeat(count_width));
        for (contributor, count) in provision.contributors.iter().zip(&counts) {
            let pad = " ".repeat(count_width.saturating_sub(count.chars().count()));
            let mut because = definitions.shorten(&contributor.because).to_string();
            for default in &contributor.defaults {
                because.push_str("; ");
                because.push_str(default);
            }
            let estimate = match (&contributor.source, contributor.estimated) {
                (_, false) => String::new(),
                (Some(source), true) => format!(" [estimated: {source}]"),
                (None, true) => " [estimated]".to_string(),
            };
            wrapped_with(
                out,
                &format!("{INDENT}{pad}{count}  "),
                &hanging,
                &format!("{}: {because}{estimate}", contributor.holding),
                width,
            );
        }
    }
    let left = painter.paint("2", "left out:");
    for left_out in &provision.excluded {
        wrapped_with(
            out,
            &format!("{INDENT}{left} "),
            &more,
            &format!("{}: {}", left_out.holding, left_out.explained()),
            width,
        );
    }
    let unknown = painter.paint("33", "unknown:");
    for note in &provision.unknowns {
        wrapped_with(out, &format!("{INDENT}{unknown} "), &more, note, width);
    }
    by_reading(out, provision, painter);
}

/// The verdict and quantity under every combination of readings, one line each.
fn by_reading(out: &mut String, provision: &ProvisionReport, painter: &Painter) {
    const INDENT: &str = "      ";
    if let Some(by_reading) = &provision.by_reading {
        for rv in by_reading {
            let _ = writeln!(
                out,
                "{INDENT}under {}: {}",
                rv.readings.describe(),
                painter.paint(verdict_color(rv.verdict), &rv.outcome())
            );
        }
    }
}
