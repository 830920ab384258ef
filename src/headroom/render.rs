//! The headroom report as text, Markdown and JSON. Cells are made once, as plain text
//! ([`Cells`]); the text renderer pads them, the Markdown renderer escapes them.

use std::fmt::Write as _;

use super::{
    Cases, Headroom, HoldingRoom, LimitRoom, More, PartyHeadroom, ReductionStatus, Reductions,
};
use crate::lang::ProvisionKind;
use crate::report::Format;
use crate::report::html::page;
use maud::{Markup, html};

/// The report in `format`.
pub fn render(headroom: &Headroom, format: Format) -> String {
    match format {
        Format::Text => render_text(headroom),
        Format::Json => render_json(headroom),
        Format::Markdown => render_markdown(headroom),
        Format::Html => render_html(headroom),
    }
}

/// The report as pretty-printed JSON with a trailing newline.
pub fn render_json(headroom: &Headroom) -> String {
    let mut json = serde_json::to_string_pretty(headroom).unwrap_or_default();
    json.push('\n');
    json
}

/// What the two cases mean, said once where they differ.
const CASES: &str = "worst case: upper counts, uncertain memberships and weights against the \
    party, provisions whose conditions are unknown applied; best case: lower counts, the rest \
    for the party";

/// The plain-text cells of one party's tables.
struct Cells {
    limits: Vec<[String; 5]>,
    holdings: Vec<[String; 4]>,
}

impl Cells {
    fn of(party: &PartyHeadroom) -> Cells {
        let limits = party
            .limits
            .iter()
            .map(|l| {
                [
                    l.id.clone(),
                    l.kind.as_str().to_string(),
                    l.quantity.to_string(),
                    bound_text(l),
                    margin_text(l),
                ]
            })
            .collect();
        let holdings = party
            .holdings
            .iter()
            .map(|h| {
                [
                    h.holding.clone(),
                    h.count.to_string(),
                    more_text(&h.more),
                    limited_text(h, party),
                ]
            })
            .collect();
        Cells { limits, holdings }
    }
}

fn bound_text(limit: &LimitRoom) -> String {
    let mut text = match limit.kind {
        ProvisionKind::Ban => "none held".to_string(),
        ProvisionKind::Assurance => "none failing".to_string(),
        _ => limit.bound.to_string(),
    };
    if let Some(from) = limit.bound.from {
        let _ = write!(text, " from {from}");
    }
    if limit.applies == super::AppliesWord::Possibly {
        text.push_str(" (if it applies)");
    }
    text
}

/// `116 to spare`, `104 over`, `2..5 over`, `3 over .. 10 to spare`.
fn margin_text(limit: &LimitRoom) -> String {
    let floor = matches!(limit.bound.op.as_str(), ">=" | ">");
    let word = |m: i128| -> String {
        if m >= 0 {
            match limit.kind {
                ProvisionKind::Ban | ProvisionKind::Assurance => "none may be added".to_string(),
                _ => format!("{m} to spare"),
            }
        } else {
            let n = m.unsigned_abs();
            match limit.kind {
                ProvisionKind::Ban => format!("{n} banned"),
                ProvisionKind::Assurance => format!("{n} failing"),
                _ if floor => format!("{n} short"),
                _ => format!("{n} over"),
            }
        }
    };
    let Cases { worst, best } = limit.margin;
    match (worst, best) {
        (Some(w), Some(b)) if w == b => word(w),
        (Some(w), Some(b)) if (w >= 0) == (b >= 0) && limit.kind == ProvisionKind::Limit => {
            let (low, high) = if w >= 0 { (w, b) } else { (b, w) };
            let range = format!("{}..{}", low.unsigned_abs(), high.unsigned_abs());
            let full = word(w);
            match full.split_once(' ') {
                Some((_, rest)) => format!("{range} {rest}"),
                None => full,
            }
        }
        (Some(w), Some(b)) => format!("{} .. {}", word(w), word(b)),
        (None, Some(b)) => format!("unknown .. {}", word(b)),
        (Some(w), None) => format!("{} .. unknown", word(w)),
        (None, None) => "unknown".to_string(),
    }
}

fn units_text(more: &More) -> String {
    more.units
        .map_or_else(|| "unlimited".to_string(), |u| u.to_string())
}

/// `116`, or `0..116` when the cases differ.
fn more_text(more: &Cases<More>) -> String {
    if more.worst.units == more.best.units {
        units_text(&more.worst)
    } else {
        format!("{}..{}", units_text(&more.worst), units_text(&more.best))
    }
}

/// The provisions one more unit would violate, and how.
fn limited_text(holding: &HoldingRoom, party: &PartyHeadroom) -> String {
    let describe = |ids: &[String], worst: bool| -> String {
        ids.iter()
            .map(|id| {
                let limit = party.limits.iter().find(|l| &l.id == id);
                let how = match limit {
                    Some(l) if l.kind == ProvisionKind::Ban => " (banned: at once)",
                    Some(l) if l.kind == ProvisionKind::Assurance => " (fails it: at once)",
                    Some(l) => {
                        let margin = if worst { l.margin.worst } else { l.margin.best };
                        match margin {
                            None => " (may be over already)",
                            Some(m) if m < 0 => " (over already)",
                            Some(_) => "",
                        }
                    }
                    None => "",
                };
                format!("{id}{how}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let worst = &holding.more.worst.limited_by;
    let best = &holding.more.best.limited_by;
    let mut text = if worst.is_empty() {
        "— (no provision counts it)".to_string()
    } else {
        describe(worst, true)
    };
    if best != worst && !worst.is_empty() {
        if best.is_empty() {
            text.push_str("; best case: none");
        } else {
            let _ = write!(text, "; best case: {}", describe(best, false));
        }
    }
    text
}

/// `aggregate_ceiling (116 to spare)`.
fn binds_first_text(party: &PartyHeadroom) -> String {
    party
        .binds_first
        .iter()
        .map(|id| match party.limits.iter().find(|l| &l.id == id) {
            Some(limit) => format!("{id} ({})", margin_text(limit)),
            None => id.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether anything differs between the cases (then the legend is shown).
fn cases_differ(headroom: &Headroom) -> bool {
    headroom.parties.iter().any(|p| {
        p.limits.iter().any(|l| l.margin.worst != l.margin.best)
            || p.holdings.iter().any(|h| h.more.worst != h.more.best)
            || p.reductions.worst != p.reductions.best
    })
}

/// Aligned columns, two spaces apart, no trailing spaces.
fn table<const N: usize>(out: &mut String, indent: &str, header: [&str; N], rows: &[[String; N]]) {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut line = |cells: Vec<&str>| {
        let mut text = indent.to_string();
        for (cell, width) in cells.iter().zip(&widths) {
            let _ = write!(text, "{cell:width$}  ");
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

/// The report as aligned text for a terminal.
pub fn render_text(headroom: &Headroom) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Headroom under {}", headroom.position.title);
    let _ = writeln!(out, "  position  {}", headroom.position.file);
    let _ = writeln!(
        out,
        "  scenario  {} ({})",
        headroom.scenario.title, headroom.scenario.date
    );
    let _ = writeln!(out, "            {}", headroom.scenario.file);
    if headroom.date != headroom.scenario.date {
        let _ = writeln!(
            out,
            "  date      {}: bounds and periods in force then, holdings as the scenario gives them",
            headroom.date
        );
    }
    let _ = writeln!(out, "  readings  {}", headroom.readings.describe());
    if cases_differ(headroom) {
        let _ = writeln!(out, "  cases     {CASES}");
    }
    for party in &headroom.parties {
        let _ = writeln!(out, "\n{}", party.party);
        let cells = Cells::of(party);
        if cells.limits.is_empty() {
            out.push_str("  no limit, ban or assurance is in force\n");
        } else {
            table(
                &mut out,
                "  ",
                ["provision", "kind", "quantity", "bound", "margin"],
                &cells.limits,
            );
        }
        if !party.binds_first.is_empty() {
            let _ = writeln!(out, "  binds first: {}", binds_first_text(party));
        }
        for skipped in &party.not_considered {
            let _ = writeln!(out, "  not considered: {} ({})", skipped.id, skipped.reason);
        }
        if !cells.holdings.is_empty() && !cells.limits.is_empty() {
            out.push_str("\n  more units of each holding before a provision is violated\n");
            table(
                &mut out,
                "  ",
                ["holding", "count", "more", "then violated"],
                &cells.holdings,
            );
        }
        out.push('\n');
        reductions_text(&mut out, &party.reductions);
    }
    out
}

fn reductions_text(out: &mut String, reductions: &Cases<Reductions>) {
    if reductions.worst == reductions.best {
        reduction_text(out, &reductions.worst, "");
        return;
    }
    reduction_text(out, &reductions.worst, " (worst case)");
    reduction_text(out, &reductions.best, " (best case)");
}

fn reduction_text(out: &mut String, reductions: &Reductions, case: &str) {
    let reason = reductions.reason.as_deref().unwrap_or("");
    match reductions.status {
        ReductionStatus::NoneNeeded => {
            let _ = writeln!(out, "  reductions{case}: none needed");
        }
        ReductionStatus::Infeasible => {
            let _ = writeln!(out, "  reductions{case}: none restore compliance: {reason}");
        }
        ReductionStatus::Unknown => {
            let _ = writeln!(out, "  reductions{case}: not known: {reason}");
        }
        ReductionStatus::Found => {
            let total = reductions.total.unwrap_or(0);
            let _ = writeln!(
                out,
                "  smallest reductions meeting every provision at once{case}: {total} unit{}{}",
                if total == 1 { "" } else { "s" },
                if reductions.optimal == Some(false) {
                    " (not proven smallest: the solver ran out of time)"
                } else {
                    ""
                }
            );
            let rows: Vec<[String; 4]> = reductions
                .steps
                .iter()
                .map(|s| {
                    [
                        s.remove.to_string(),
                        s.of.to_string(),
                        s.holding.clone(),
                        s.serves.join(", "),
                    ]
                })
                .collect();
            table(out, "    ", ["remove", "of", "holding", "serves"], &rows);
            let mut groups: Vec<Vec<&str>> = Vec::new();
            for step in &reductions.steps {
                if step.all_units {
                    let _ = writeln!(
                        out,
                        "    every unit of {}: what one adds has no known bound",
                        step.holding
                    );
                }
                if step.alike.is_empty()
                    || groups.iter().any(|g| g.contains(&step.holding.as_str()))
                {
                    continue;
                }
                let mut group = vec![step.holding.as_str()];
                group.extend(step.alike.iter().map(String::as_str));
                let _ = writeln!(
                    out,
                    "    counted alike, so removing any of these serves as well: {}",
                    group.join(", ")
                );
                groups.push(group);
            }
        }
    }
}

/// One case's reductions as a sentence and a table.
fn reduction_markdown(out: &mut String, reductions: &Reductions, case: &str) {
    out.push('\n');
    let reason = reductions.reason.as_deref().unwrap_or("");
    match reductions.status {
        ReductionStatus::NoneNeeded => {
            let _ = writeln!(out, "None needed{case}.");
        }
        ReductionStatus::Infeasible => {
            let _ = writeln!(out, "None restore compliance{case}: {reason}.");
        }
        ReductionStatus::Unknown => {
            let _ = writeln!(out, "Not known{case}: {reason}.");
        }
        ReductionStatus::Found => {
            let total = reductions.total.unwrap_or(0);
            let _ = writeln!(
                out,
                "Smallest reductions meeting every provision at once{case}: **{total}** unit{}{}.\n",
                if total == 1 { "" } else { "s" },
                if reductions.optimal == Some(false) {
                    " (not proven smallest: the solver ran out of time)"
                } else {
                    ""
                }
            );
            md_table(out, REDUCTION_HEADER, &reduction_rows(reductions));
        }
    }
}

const REDUCTION_HEADER: [&str; 5] = [
    "remove",
    "of",
    "holding",
    "serves",
    "or as well (counted alike)",
];

/// One row a reduction step: how many to remove, of how many, which holding, the provisions
/// it serves, the holdings counted alike.
fn reduction_rows(reductions: &Reductions) -> Vec<[String; 5]> {
    reductions
        .steps
        .iter()
        .map(|s| {
            let mut alike = s.alike.join(", ");
            if s.all_units {
                alike = "every unit: what one adds has no known bound".to_string();
            }
            [
                s.remove.to_string(),
                s.of.to_string(),
                s.holding.clone(),
                s.serves.join(", "),
                alike,
            ]
        })
        .collect()
}

/// A table cell for Markdown: pipes escaped, never empty.
fn md(cell: &str) -> String {
    if cell.is_empty() {
        "—".to_string()
    } else {
        cell.replace('|', "\\|")
    }
}

fn md_table<const N: usize>(out: &mut String, header: [&str; N], rows: &[[String; N]]) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(N));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| md(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

/// The report as GitHub-flavoured Markdown.
pub fn render_markdown(headroom: &Headroom) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Headroom under {}\n", headroom.position.title);
    let _ = writeln!(out, "- Position: `{}`", headroom.position.file);
    let _ = writeln!(
        out,
        "- Scenario: {} ({}), `{}`",
        headroom.scenario.title, headroom.scenario.date, headroom.scenario.file
    );
    if headroom.date != headroom.scenario.date {
        let _ = writeln!(
            out,
            "- Date: {}: bounds and periods in force then, holdings as the scenario gives them",
            headroom.date
        );
    }
    let _ = writeln!(out, "- Readings: {}", headroom.readings.describe());
    if cases_differ(headroom) {
        let _ = writeln!(out, "- Cases: {CASES}");
    }
    for party in &headroom.parties {
        let _ = writeln!(out, "\n## {}\n", party.party);
        let cells = Cells::of(party);
        if cells.limits.is_empty() {
            out.push_str("No limit, ban or assurance is in force.\n");
        } else {
            md_table(
                &mut out,
                ["provision", "kind", "quantity", "bound", "margin"],
                &cells.limits,
            );
        }
        if !party.binds_first.is_empty() {
            let _ = writeln!(out, "\nBinds first: {}.", binds_first_text(party));
        }
        for skipped in &party.not_considered {
            let _ = writeln!(
                out,
                "\nNot considered: `{}` ({}).",
                skipped.id, skipped.reason
            );
        }
        if !cells.holdings.is_empty() && !cells.limits.is_empty() {
            out.push_str("\n### More units of each holding before a provision is violated\n\n");
            md_table(
                &mut out,
                ["holding", "count", "more", "then violated"],
                &cells.holdings,
            );
        }
        out.push_str("\n### Reductions\n");
        if party.reductions.worst == party.reductions.best {
            reduction_markdown(&mut out, &party.reductions.worst, "");
        } else {
            reduction_markdown(&mut out, &party.reductions.worst, " (worst case)");
            reduction_markdown(&mut out, &party.reductions.best, " (best case)");
        }
    }
    out
}

/// The report as one self-contained HTML page: the same tables as the Markdown, in the shell
/// the other HTML reports share.
pub fn render_html(headroom: &Headroom) -> String {
    let title = format!("Headroom under {}", headroom.position.title);
    let body = html! {
        main {
            h1 { (title) }
            ul {
                li { "Position: " code { (headroom.position.file) } }
                li {
                    "Scenario: " (headroom.scenario.title) " (" (headroom.scenario.date) "), "
                    code { (headroom.scenario.file) }
                }
                @if headroom.date != headroom.scenario.date {
                    li {
                        "Date: " (headroom.date)
                        ": bounds and periods in force then, holdings as the scenario gives them"
                    }
                }
                li { "Readings: " (headroom.readings.describe()) }
                @if cases_differ(headroom) {
                    li { "Cases: " (CASES) }
                }
            }
            @for party in &headroom.parties {
                @let cells = Cells::of(party);
                section id=(page::party_id(&party.party)) {
                    h2 { (party.party) }
                    @if cells.limits.is_empty() {
                        p { "No limit, ban or assurance is in force." }
                    } @else {
                        (html_table(&["provision", "kind", "quantity", "bound", "margin"], &cells.limits))
                    }
                    @if !party.binds_first.is_empty() {
                        p { "Binds first: " (binds_first_text(party)) "." }
                    }
                    @for skipped in &party.not_considered {
                        p { "Not considered: " code { (skipped.id) } " (" (skipped.reason) ")." }
                    }
                    @if !cells.holdings.is_empty() && !cells.limits.is_empty() {
                        h3 { "More units of each holding before a provision is violated" }
                        (html_table(&["holding", "count", "more", "then violated"], &cells.holdings))
                    }
                    h3 { "Reductions" }
                    @if party.reductions.worst == party.reductions.best {
                        (reduction_html(&party.reductions.worst, ""))
                    } @else {
                        (reduction_html(&party.reductions.worst, " (worst case)"))
                        (reduction_html(&party.reductions.best, " (best case)"))
                    }
                }
            }
        }
    };
    page::page(&title, body)
}

fn html_table<const N: usize>(header: &[&str], rows: &[[String; N]]) -> Markup {
    html! {
        table {
            thead { tr { @for cell in header { th scope="col" { (cell) } } } }
            tbody {
                @for row in rows {
                    tr { @for cell in row { td { (cell) } } }
                }
            }
        }
    }
}

fn reduction_html(reductions: &Reductions, case: &str) -> Markup {
    let reason = reductions.reason.as_deref().unwrap_or("");
    let total = reductions.total.unwrap_or(0);
    html! {
        @match reductions.status {
            ReductionStatus::NoneNeeded => p { "None needed" (case) "." },
            ReductionStatus::Infeasible => p { "None restore compliance" (case) ": " (reason) "." },
            ReductionStatus::Unknown => p { "Not known" (case) ": " (reason) "." },
            ReductionStatus::Found => {
                p {
                    "Smallest reductions meeting every provision at once" (case) ": "
                    strong { (total) } " unit" @if total != 1 { "s" }
                    @if reductions.optimal == Some(false) {
                        " (not proven smallest: the solver ran out of time)"
                    }
                    "."
                }
                (html_table(&REDUCTION_HEADER, &reduction_rows(reductions)))
            }
        }
    }
}
