//! The page of one evaluation: per party, its limits as bars against their bounds, its bans
//! and assurances as rows with the holdings they counted, its statements; each provision with
//! its label, rule, quotes (linked into the source text at the end of the page) and notes.

use maud::{Markup, html};

use crate::coverage::Coverage;
use crate::lang::{ProvisionKind, Verdict};
use crate::report::{PartyReport, ProvisionReport, Report};

use super::chart::{self, Bar};
use super::literate::{self, Links};
use super::page::{self, badge, party_id, provision_id};

/// How to render the page of an evaluation.
#[derive(Debug, Clone, Copy, Default)]
pub struct HtmlOptions<'a> {
    /// Open every explanation (contributors, unknowns, verdicts by reading); closed otherwise.
    pub explain: bool,
    /// The coverage of the position's source text, for the literate view at the end of the
    /// page and the links from quotes into it; without it quotes are not linked.
    pub literate: Option<&'a Coverage>,
}

/// The evaluation as one self-contained HTML page.
pub fn render_html(report: &Report, options: &HtmlOptions<'_>) -> String {
    let title = format!("{} — {}", report.position.title, report.scenario.title);
    let sources = options.literate.map_or(&[][..], |c| c.sources.as_slice());
    let body = html! {
        header {
            p .kicker { "Evaluation" }
            h1 { (report.position.title) }
            (facts(report))
        }
        (page::warnings(&report.warnings.iter().map(|w| (None, w.as_str())).collect::<Vec<_>>()))
        nav .toc aria-label="Contents" {
            ol {
                @for party in &report.parties {
                    li { a href={ "#" (party_id(&party.party)) } { (party.party) } " " (badge(party.verdict)) }
                }
                @if !sources.is_empty() {
                    li { a href="#source" { "The source text" } }
                }
            }
        }
        (page::chart_legend())
        @if report.has_estimates() { (page::estimate_legend()) }
        (page::tools())
        main {
            (glance(report))
            @for party in &report.parties {
                (party_section(party, options))
            }
            @if !sources.is_empty() {
                section #source {
                    h2 { "The source text" }
                    p .muted { "Each passage a provision, category, package or reading quotes is marked, with a note naming it and, for a provision, its verdict per party." }
                    @for (index, source) in sources.iter().enumerate() {
                        (literate::source_view(source, index, &Links::Parties))
                    }
                }
            }
        }
        (page::footer(html! { code { (report.position.file) } " and " code { (report.scenario.file) } }))
    };
    page::page(&title, body)
}

/// Every limit with the parties' bars on one scale, before the details party by party.
fn glance(report: &Report) -> Markup {
    let mut ids: Vec<&str> = Vec::new();
    for party in &report.parties {
        for provision in &party.provisions {
            if provision.kind == ProvisionKind::Limit && !ids.contains(&provision.id.as_str()) {
                ids.push(&provision.id);
            }
        }
    }
    html! {
        @if !ids.is_empty() {
            section #glance {
                h2 { "Limits at a glance" }
                @for id in ids {
                    @let found: Vec<(&str, &ProvisionReport)> = report.parties.iter().filter_map(|party| {
                        Some((party.party.as_str(), party.provisions.iter().find(|p| p.id == id)?))
                    }).collect();
                    @let bars: Vec<Bar<'_>> = found.iter().map(|(party, provision)| Bar::of(party, provision)).collect();
                    h3 {
                        code { (id) }
                        @if let Some(label) = found.iter().find_map(|(_, p)| p.label.as_deref()) {
                            " " span .label .muted { (label) }
                        }
                    }
                    (chart::chart(&format!("glance-{}", page::slug(id)), "", &bars))
                }
            }
        }
    }
}

fn facts(report: &Report) -> Markup {
    html! {
        dl .facts {
            dt { "Position" } dd { code { (report.position.file) } }
            dt { "Scenario" }
            dd {
                (report.scenario.title) " ("
                time datetime=(report.scenario.date.to_string()) { (report.scenario.date) }
                ") " code { (report.scenario.file) }
            }
            dt { "Readings" }
            dd {
                @if report.readings.is_empty() { "none" }
                @for (index, (reading, variant)) in report.readings.iter().enumerate() {
                    @if index > 0 { ", " }
                    code { (reading) } " is " code { (variant) }
                }
            }
        }
    }
}

fn party_section(party: &PartyReport, options: &HtmlOptions<'_>) -> Markup {
    let of_kind = |kinds: &[ProvisionKind]| -> Vec<&ProvisionReport> {
        party
            .provisions
            .iter()
            .filter(|p| kinds.contains(&p.kind))
            .collect()
    };
    let limits = of_kind(&[ProvisionKind::Limit]);
    let rows = of_kind(&[ProvisionKind::Ban, ProvisionKind::Assurance]);
    let statements = of_kind(&[ProvisionKind::Statement]);
    html! {
        section .party #(party_id(&party.party)) {
            h2 { (party.party) " " (badge(party.verdict)) }
            @if party.provisions.is_empty() {
                p { "No provision binds " (party.party) "." }
            } @else {
                p .muted { (tally(party)) }
            }
            @if !limits.is_empty() {
                h3 { "Limits" }
                @for provision in limits {
                    article .provision #(provision_id(&party.party, &provision.id)) {
                        (provision_header(provision))
                        (chart::chart(
                            &format!("{}-chart", provision_id(&party.party, &provision.id)),
                            "",
                            &[Bar::of(&party.party, provision)],
                        ))
                        (provision_body(provision, options))
                    }
                }
            }
            @if !rows.is_empty() {
                h3 { "Bans and assurances" }
                @for provision in rows {
                    article .provision #(provision_id(&party.party, &provision.id)) {
                        (provision_header(provision))
                        (holdings(provision))
                        (provision_body(provision, options))
                    }
                }
            }
            @if !statements.is_empty() {
                h3 { "Statements" }
                p .muted { "Reported, not evaluated: a statement binds no quantity." }
                @for provision in statements {
                    article .provision #(provision_id(&party.party, &provision.id)) {
                        (provision_header(provision))
                        (provision_body(provision, options))
                    }
                }
            }
        }
    }
}

/// `1 violated, 6 complies, 4 not evaluable`: the verdicts counted, worst first.
fn tally(party: &PartyReport) -> String {
    let mut verdicts: Vec<Verdict> = Verdict::ALL.to_vec();
    verdicts.sort_by_key(|v| std::cmp::Reverse(v.severity()));
    let parts: Vec<String> = verdicts
        .into_iter()
        .filter_map(|verdict| {
            let n = party
                .provisions
                .iter()
                .filter(|p| p.verdict == verdict)
                .count();
            (n > 0).then(|| format!("{n} {}", verdict.as_str().replace('_', " ")))
        })
        .collect();
    format!(
        "{} provisions: {}.",
        party.provisions.len(),
        parts.join(", ")
    )
}

fn provision_header(provision: &ProvisionReport) -> Markup {
    html! {
        header {
            h4 { code { (provision.id) } }
            @if let Some(label) = &provision.label { span .label { (label) } }
            (badge(provision.verdict))
        }
    }
}

/// A ban's or an assurance's row: the count and every holding counted.
fn holdings(provision: &ProvisionReport) -> Markup {
    let noun = match provision.kind {
        ProvisionKind::Assurance => "Holdings covered",
        _ => "Holdings counted",
    };
    html! {
        @if let Some(quantity) = provision.quantity {
            p .count { "Count: " strong { (page::estimate_mark(provision.estimated)) (quantity) } }
        }
        @if provision.contributors.is_empty() {
            @if !matches!(provision.verdict, Verdict::NotApplicable | Verdict::NotInForce | Verdict::NotEvaluable) {
                p .muted { (noun) ": none." }
            }
        } @else {
            p { (noun) ":" }
            ul .holdings {
                @for contributor in &provision.contributors {
                    li {
                        (contributor.holding) " " span .count { "(" (page::estimate_mark(contributor.estimated)) (contributor.count) ")" }
                        @if contributor.estimated { " " span .estimate { "estimated" } }
                    }
                }
            }
        }
    }
}

/// The rule, conditions, quotes, notes, and the explanation in a `<details>`.
fn provision_body(provision: &ProvisionReport, options: &HtmlOptions<'_>) -> Markup {
    let explains = !provision.contributors.is_empty()
        || !provision.unknowns.is_empty()
        || provision.by_reading.is_some();
    html! {
        @for remark in &provision.remarks {
            p .remark { strong { "Remark:" } " " (page::prose(remark)) }
        }
        (declared(provision))
        @if let Some(rule) = &provision.rule {
            p .rule { "Rule: " code { (rule) } }
        }
        @for condition in &provision.conditions {
            p .rule { "Applies when: " code { (condition) } }
        }
        @for quote in &provision.quotes {
            blockquote .quote {
                "“" (quote) "”"
                @if let Some(anchor) = options.literate.and_then(|c| literate::anchor_of_quote(c, quote)) {
                    " " a href={ "#" (anchor) } aria-label="this passage in the source text" { "↗ in the source" }
                }
            }
        }
        @for note in &provision.notes {
            p .note { (note) }
        }
        @if explains {
            details open[options.explain] {
                summary { "How the verdict was reached" }
                (explanation(provision))
            }
        }
    }
}

/// The figure the party declared, beside the quantity computed from its holdings: whether
/// the holdings allow it, and the verdict the provision would have on it.
fn declared(provision: &ProvisionReport) -> Markup {
    html! {
        @if let Some(figure) = provision.declared {
            p .declared {
                strong { "Declared:" } " " (figure)
                @match (provision.declared_consistent, provision.quantity) {
                    (Some(true), Some(q)) => {
                        ", " span .consistent { "consistent with the holdings (" (page::estimate_mark(provision.estimated)) (q) ")" }
                    },
                    (Some(false), Some(q)) => {
                        ", " span .inconsistent { "inconsistent with the holdings (" (page::estimate_mark(provision.estimated)) (q) ")" }
                    },
                    _ => {},
                }
                @if let Some(verdict) = provision.declared_verdict {
                    "; on the declared figure: " (badge(verdict))
                }
            }
        }
    }
}

fn explanation(provision: &ProvisionReport) -> Markup {
    html! {
        @if !provision.contributors.is_empty() {
            div .table-wrap {
                table {
                    thead { tr { th { "Holding" } th .num { "Count" } th { "Why" } } }
                    tbody {
                        @for contributor in &provision.contributors {
                            tr {
                                td { (contributor.holding) }
                                td .num { (page::estimate_mark(contributor.estimated)) (contributor.count) }
                                td {
                                    (contributor.because)
                                    @if contributor.estimated {
                                        br;
                                        span .estimate {
                                            "Estimated"
                                            @if let Some(source) = &contributor.source { ": " (source) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !provision.unknowns.is_empty() {
            p { "Unknowns that decide the verdict:" }
            ul .unknowns {
                @for unknown in &provision.unknowns { li { (unknown) } }
            }
        }
        @if let Some(by_reading) = &provision.by_reading {
            p { "Under every combination of readings:" }
            div .table-wrap {
                table {
                    thead { tr { th { "Readings" } th { "Verdict" } } }
                    tbody {
                        @for rv in by_reading {
                            tr { td { code { (rv.readings.describe()) } } td { (badge(rv.verdict)) } }
                        }
                    }
                }
            }
        }
    }
}
