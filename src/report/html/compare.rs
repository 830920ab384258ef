//! The page comparing positions on one scenario: per party, per provision, the positions'
//! bars on one scale, so a quantity is seen against every position's bound at a glance.

use maud::{Markup, html};

use crate::report::{ProvisionReport, Report};

use super::chart::{self, Bar};
use super::page::{self, badge, party_id, slug};

/// The short name of a position: its file name without the extension.
fn column_name(report: &Report) -> String {
    std::path::Path::new(&report.position.file)
        .file_stem()
        .map_or_else(
            || report.position.file.clone(),
            |s| s.to_string_lossy().into_owned(),
        )
}

/// One provision id across the positions: each position's report of it, if it has one.
type Group<'r> = (String, Vec<Option<&'r ProvisionReport>>);

/// Parties in the order first met; provisions in the order first met.
fn groups(reports: &[Report]) -> Vec<(String, Vec<Group<'_>>)> {
    let mut parties: Vec<(String, Vec<Group<'_>>)> = Vec::new();
    for (column, report) in reports.iter().enumerate() {
        for party in &report.parties {
            if !parties.iter().any(|(name, _)| *name == party.party) {
                parties.push((party.party.clone(), Vec::new()));
            }
            let Some((_, rows)) = parties.iter_mut().find(|(name, _)| *name == party.party) else {
                continue;
            };
            for provision in &party.provisions {
                if !rows.iter().any(|(id, _)| *id == provision.id) {
                    rows.push((provision.id.clone(), vec![None; reports.len()]));
                }
                if let Some(slot) = rows
                    .iter_mut()
                    .find(|(id, _)| *id == provision.id)
                    .and_then(|(_, cells)| cells.get_mut(column))
                {
                    *slot = Some(provision);
                }
            }
        }
    }
    parties
}

/// The positions compared as one self-contained HTML page; `explain` opens the details.
pub fn render_comparison_html(reports: &[Report], explain: bool) -> String {
    let names: Vec<String> = reports.iter().map(column_name).collect();
    let scenario = reports.first().map(|r| &r.scenario);
    let title = match scenario {
        Some(s) => format!("Comparison on {}", s.title),
        None => "Comparison".to_string(),
    };
    let parties = groups(reports);
    let warnings: Vec<(Option<&str>, &str)> = reports
        .iter()
        .zip(&names)
        .flat_map(|(report, name)| {
            report
                .warnings
                .iter()
                .map(move |w| (Some(name.as_str()), w.as_str()))
        })
        .collect();
    let body = html! {
        header {
            p .kicker { "Comparison" }
            h1 { (title) }
            dl .facts {
                @if let Some(s) = scenario {
                    dt { "Scenario" }
                    dd { (s.title) " (" time datetime=(s.date.to_string()) { (s.date) } ") " code { (s.file) } }
                }
                @for (report, name) in reports.iter().zip(&names) {
                    dt { code { (name) } }
                    dd { (report.position.title) " " code { (report.position.file) } }
                }
            }
        }
        (page::warnings(&warnings))
        nav .toc aria-label="Contents" {
            ol { @for (party, _) in &parties { li { a href={ "#" (party_id(party)) } { (party) } } } }
        }
        (page::chart_legend())
        @if reports.iter().any(Report::has_estimates) { (page::estimate_legend()) }
        (page::tools())
        main {
            (glance(reports, &names))
            @for (party, rows) in &parties {
                section .party #(party_id(party)) {
                    h2 { (party) }
                    (overall(reports, &names, party))
                    @let (charted, rest): (Vec<&Group<'_>>, Vec<&Group<'_>>) = rows.iter().partition(|(_, cells)| cells.iter().flatten().any(|p| p.bound.is_some()));
                    @if !charted.is_empty() { h3 { "Limits" } }
                    @for (id, cells) in charted {
                        (group(party, id, cells, &names, explain))
                    }
                    @if !rest.is_empty() {
                        (others(party, &rest, &names, explain))
                    }
                }
            }
        }
        (page::footer(html! {
            @for (index, report) in reports.iter().enumerate() {
                @if index > 0 { ", " }
                code { (report.position.file) }
            }
            @if let Some(s) = scenario { " on " code { (s.file) } }
        }))
    };
    page::page(&title, body)
}

/// Every limit as one chart: a group of bars per position, a bar per party.
fn glance(reports: &[Report], names: &[String]) -> Markup {
    let mut ids: Vec<&str> = Vec::new();
    for provision in reports
        .iter()
        .flat_map(|r| &r.parties)
        .flat_map(|p| &p.provisions)
    {
        if provision.bound.is_some() && !ids.contains(&provision.id.as_str()) {
            ids.push(&provision.id);
        }
    }
    html! {
        @if !ids.is_empty() {
            section #glance {
                h2 { "Limits at a glance" }
                p .muted { "Each limit under every position that has it: the parties' bars on one scale, grouped by position." }
                @for id in ids {
                    @let bars: Vec<Vec<Bar<'_>>> = reports.iter().map(|report| {
                        report.parties.iter().filter_map(|party| {
                            let provision = party.provisions.iter().find(|p| p.id == id)?;
                            Some(Bar::of(&party.party, provision))
                        }).collect()
                    }).collect();
                    @let groups: Vec<(Option<&str>, &[Bar<'_>])> = names.iter().zip(&bars).filter(|(_, b)| !b.is_empty()).map(|(n, b)| (Some(n.as_str()), b.as_slice())).collect();
                    @let label = reports.iter().flat_map(|r| &r.parties).flat_map(|p| &p.provisions).filter(|p| p.id == id).find_map(|p| p.label.as_deref());
                    h3 {
                        code { (id) }
                        @if let Some(label) = label { " " span .label { (label) } }
                    }
                    (chart::grouped_chart(&format!("glance-{}", slug(id)), "", &groups))
                }
            }
        }
    }
}

fn overall(reports: &[Report], names: &[String], party: &str) -> Markup {
    html! {
        div .table-wrap {
            table {
                caption .visually-hidden { "Overall verdict for " (party) " under each position" }
                thead { tr { th { "Position" } th { "Overall verdict" } } }
                tbody {
                    @for (report, name) in reports.iter().zip(names) {
                        tr {
                            td { code { (name) } }
                            td {
                                @match report.parties.iter().find(|p| p.party == party) {
                                    Some(p) => (badge(p.verdict)),
                                    None => span .muted { "party not in this report" },
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One bounded provision: the positions' bars on one scale.
fn group(
    party: &str,
    id: &str,
    cells: &[Option<&ProvisionReport>],
    names: &[String],
    explain: bool,
) -> Markup {
    let label = cells.iter().flatten().find_map(|p| p.label.as_deref());
    let anchor = format!("{}--{}", slug(party), slug(id));
    let bars: Vec<Bar<'_>> = cells
        .iter()
        .zip(names)
        .filter_map(|(cell, name)| {
            let provision = (*cell)?;
            Some(Bar::of(name, provision))
        })
        .collect();
    let absent: Vec<&str> = cells
        .iter()
        .zip(names)
        .filter(|(cell, _)| cell.is_none())
        .map(|(_, name)| name.as_str())
        .collect();
    html! {
        article .provision #(anchor) {
            header {
                h4 { code { (id) } }
                @if let Some(label) = label { span .label { (label) } }
            }
            (chart::chart(&format!("{anchor}-chart"), "", &bars))
            @if !absent.is_empty() {
                p .muted { "Not in " (absent.join(", ")) "." }
            }
            (rules_and_quotes(&[(id, cells)], names, explain))
        }
    }
}

/// The provisions no position bounds: a row each, a column per position.
fn others(party: &str, rows: &[&Group<'_>], names: &[String], explain: bool) -> Markup {
    html! {
        h3 { "Bans, assurances and statements" }
        div .table-wrap {
            table {
                caption .visually-hidden { "Verdicts for " (party) " on the provisions without a bound, under each position" }
                thead {
                    tr {
                        th { "Provision" }
                        @for name in names { th { code { (name) } } }
                    }
                }
                tbody {
                    @for (id, cells) in rows {
                        tr #{ (slug(party)) "--" (slug(id)) } {
                            td {
                                code { (id) }
                                @if let Some(label) = cells.iter().flatten().find_map(|p| p.label.as_deref()) {
                                    br; span .muted { (label) }
                                }
                            }
                            @for cell in cells {
                                td {
                                    @match cell {
                                        Some(provision) => {
                                            (badge(provision.verdict))
                                            @if let Some(q) = provision.quantity {
                                                " " span .count {
                                                    "("
                                                    (page::estimate_mark(provision.estimated))
                                                    (q) ")"
                                                }
                                            }
                                        },
                                        None => span .muted aria-label="not in this position" { "—" },
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @let groups: Vec<(&str, &[Option<&ProvisionReport>])> = rows.iter().map(|(id, cells)| (id.as_str(), cells.as_slice())).collect();
        (rules_and_quotes(&groups, names, explain))
    }
}

/// Each position's rule and quotes for the provisions, in a `<details>`.
fn rules_and_quotes(
    groups: &[(&str, &[Option<&ProvisionReport>])],
    names: &[String],
    explain: bool,
) -> Markup {
    html! {
        details open[explain] {
            summary { "Rules and quotes" }
            @for (id, cells) in groups {
                @if groups.len() > 1 { h4 { code { (id) } } }
                @for (name, provision) in names.iter().zip(cells.iter()).filter_map(|(n, c)| Some((n, (*c)?))) {
                    p {
                        code { (name) } ": "
                        @match &provision.rule { Some(rule) => code { (rule) }, None => "a statement" }
                    }
                    @for quote in &provision.quotes { blockquote .quote { "“" (quote) "”" } }
                }
            }
        }
    }
}
