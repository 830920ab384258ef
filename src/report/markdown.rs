//! The Markdown rendering: a summary table per party, then each provision with its quotes,
//! contributors and unknowns.

use std::fmt::Write as _;

use super::printable::printable_report;
use super::{ESTIMATE_LEGEND, ProvisionReport, Report};

/// The report as a Markdown document (GitHub-flavoured tables).
pub fn render_markdown(report: &Report) -> String {
    let report = &*printable_report(report);
    let mut out = String::new();
    let _ = writeln!(out, "# {}", inline(&report.position.title));
    out.push('\n');
    let _ = writeln!(out, "- **Position:** `{}`", code(&report.position.file));
    let _ = writeln!(
        out,
        "- **Scenario:** {}, {} (`{}`)",
        inline(&report.scenario.title),
        report.scenario.date,
        code(&report.scenario.file)
    );
    if !report.readings.is_empty() {
        let readings: Vec<String> = report
            .readings
            .iter()
            .map(|(r, v)| format!("`{}` = `{}`", code(r), code(v)))
            .collect();
        match report.reading_combinations() {
            Some(combinations) => {
                let _ = writeln!(
                    out,
                    "- **Readings:** all {combinations} combination{} evaluated; the tables under {}",
                    if combinations == 1 { "" } else { "s" },
                    readings.join(", ")
                );
            }
            None => {
                let _ = writeln!(out, "- **Readings:** {}", readings.join(", "));
            }
        }
    }
    for warning in &report.warnings {
        let _ = writeln!(out, "- **Warning:** {}", inline(warning));
    }
    if report.has_estimates() {
        let _ = writeln!(out, "- {}", inline(ESTIMATE_LEGEND).replacen('~', "\\~", 1));
    }
    out.push('\n');
    for party in &report.parties {
        let _ = writeln!(out, "## {}: {}", inline(&party.party), party.verdict);
        out.push('\n');
        if party.provisions.is_empty() {
            let _ = writeln!(out, "No provision binds {}.", inline(&party.party));
            out.push('\n');
            continue;
        }
        let with_readings = party.shows_readings();
        let with_declared = party.shows_declared();
        out.push_str("| Provision | Kind | Verdict | Quantity | Bound | Excess |");
        if with_declared {
            out.push_str(" Declared |");
        }
        if with_readings {
            out.push_str(" Depends on reading |");
        }
        out.push('\n');
        out.push_str("| --- | --- | --- | ---: | --- | ---: |");
        if with_declared {
            out.push_str(" --- |");
        }
        if with_readings {
            out.push_str(" --- |");
        }
        out.push('\n');
        for provision in &party.provisions {
            let row = provision.row();
            let _ = write!(
                out,
                "| `{}` | {} | {} | {} | {} | {} |",
                code(row.id),
                row.kind,
                row.verdict,
                cell(&row.quantity).replacen('~', "\\~", 1),
                cell(&row.bound),
                row.excess,
            );
            if with_declared {
                let _ = write!(out, " {} |", cell(&row.declared));
            }
            if with_readings {
                let text = match row.depends_on_reading {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "",
                };
                let _ = write!(out, " {text} |");
            }
            out.push('\n');
        }
        out.push('\n');
        for provision in &party.provisions {
            details(&mut out, &party.party, provision);
        }
    }
    // Every block ends with a blank line; the document ends with one newline.
    let end = out.trim_end().len();
    out.truncate(end);
    out.push('\n');
    out
}

/// One provision's section; like every block, it ends with a blank line.
fn details(out: &mut String, party: &str, provision: &ProvisionReport) {
    let _ = writeln!(
        out,
        "### {}: `{}` ({}): {}",
        inline(party),
        code(&provision.id),
        provision.kind,
        provision.verdict
    );
    out.push('\n');
    if let Some(label) = &provision.label {
        let _ = writeln!(out, "*{}*", inline(label));
        out.push('\n');
    }
    if let Some(rule) = &provision.rule {
        let _ = writeln!(out, "Rule: `{}`", code(rule));
        out.push('\n');
    }
    if !provision.conditions.is_empty() {
        let conditions: Vec<String> = provision
            .conditions
            .iter()
            .map(|c| format!("`{}`", code(c)))
            .collect();
        let _ = writeln!(out, "Applies when: {}", conditions.join(" and "));
        out.push('\n');
    }
    if let Some(period) = &provision.in_force {
        let _ = writeln!(out, "In force: {}", inline(&period.to_string()));
        out.push('\n');
    }
    for (index, quote) in provision.quotes.iter().enumerate() {
        match provision.quote_sources.get(index) {
            Some(source) if !source.is_empty() => {
                let _ = writeln!(out, "> “{}” ({})", inline(quote), inline(source));
            }
            _ => {
                let _ = writeln!(out, "> “{}”", inline(quote));
            }
        }
        out.push('\n');
    }
    for cite in &provision.cites {
        let _ = writeln!(out, "Cited, not quoted: {}", inline(cite));
        out.push('\n');
    }
    for note in &provision.notes {
        let _ = writeln!(out, "Note: {}", inline(note));
        out.push('\n');
    }
    for remark in &provision.remarks {
        let _ = writeln!(out, "**Remark:** {}", inline(remark));
        out.push('\n');
    }
    if let Some(line) = provision.declared_line() {
        let mut chars = line.chars();
        let line: String = chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        let _ = writeln!(out, "{}", inline(&line));
        out.push('\n');
    }
    if !provision.contributors.is_empty() {
        out.push_str("| Holding | Count | Because |\n| --- | ---: | --- |\n");
        for contributor in &provision.contributors {
            let (mark, estimate) = match (&contributor.source, contributor.estimated) {
                (_, false) => ("", String::new()),
                (Some(source), true) => ("\\~", format!(" (estimated: {source})")),
                (None, true) => ("\\~", " (estimated)".to_string()),
            };
            let _ = writeln!(
                out,
                "| {} | {mark}{} | {}{} |",
                cell(&contributor.holding),
                contributor.count,
                cell(&contributor.explained()),
                cell(&estimate)
            );
        }
        out.push('\n');
    }
    if !provision.excluded.is_empty() {
        out.push_str("Left out by a reading:\n\n");
        for left_out in &provision.excluded {
            let _ = writeln!(
                out,
                "- {}: {}",
                inline(&left_out.holding),
                inline(&left_out.explained())
            );
        }
        out.push('\n');
    }
    if !provision.unknowns.is_empty() {
        out.push_str("Undetermined because:\n\n");
        for unknown in &provision.unknowns {
            let _ = writeln!(out, "- {}", inline(unknown));
        }
        out.push('\n');
    }
    if let Some(by_reading) = &provision.by_reading {
        out.push_str("By reading:\n\n");
        for rv in by_reading {
            let _ = writeln!(
                out,
                "- {}: {}",
                inline(&rv.readings.describe()),
                rv.outcome()
            );
        }
        out.push('\n');
    }
}

/// Text on one line: newlines become spaces.
fn inline(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// Text inside a table cell: on one line, with `|` escaped.
fn cell(text: &str) -> String {
    inline(text).replace('|', "\\|")
}

/// Text inside a code span: on one line, backticks replaced (a code span cannot escape them).
fn code(text: &str) -> String {
    inline(text).replace('`', "'")
}
