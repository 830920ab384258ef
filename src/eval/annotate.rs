//! What a report says beside the verdicts: the party's declared figure against the computed
//! quantity, quantities that rest on estimates, assurances that hold vacuously, provisions
//! that could not be evaluated, and the report-level warnings.

use miette::Diagnostic;

use super::EvalError;
use crate::interval::{Amount, Interval};
use crate::lang::{ProvisionKind, Verdict};
use crate::model::{Model, Provision, Rule};
use crate::report::{PartyReport, ProvisionReport};
use crate::scenario::Facts;

/// The figure `party` declared for `provision`, if it declared one.
pub(super) fn declared_figure(
    facts: &Facts,
    party: usize,
    provision: &Provision,
) -> Option<Interval> {
    facts
        .declared
        .iter()
        .find(|d| d.party == party && d.provision == provision.id)
        .map(|d| d.figure)
}

/// Whether `error` concerns one provision only: the others are still evaluated, and this one
/// is `not_evaluable` with the error as its remark. Anything else is a bug upstream.
pub(super) fn stays_with_provision(error: &EvalError) -> bool {
    matches!(
        error,
        EvalError::Overflow { .. } | EvalError::TooDeep { .. } | EvalError::InvalidWeight { .. }
    )
}

/// The diagnostic as one line: `code: message; help`.
pub(super) fn remark_of(error: &EvalError) -> String {
    let mut text = match error.code() {
        Some(code) => format!("{code}: {error}"),
        None => error.to_string(),
    };
    if let Some(help) = error.help() {
        text.push_str("; ");
        text.push_str(&help.to_string());
    }
    text
}

/// Mark what rests on estimates, set the declared figure beside the quantity, and say so when
/// an assurance holds only because nothing is in its category.
pub(super) fn annotate(
    report: &mut ProvisionReport,
    model: &Model,
    provision: &Provision,
    declared: Option<Interval>,
    declared_verdict: Option<Verdict>,
) {
    report.estimated = report.contributors.iter().any(|c| c.estimated);
    if let Some(figure) = declared {
        report.declared = Some(figure);
        report.declared_consistent = report.quantity.map(|q| overlaps(q, figure));
        report.declared_verdict = Some(declared_verdict.unwrap_or(report.verdict));
    }
    if let Rule::Assurance { category, .. } = &provision.rule {
        if report.verdict == Verdict::Complies && report.contributors.is_empty() {
            let name = model
                .categories
                .get(*category)
                .map_or_else(|| format!("#{category}"), |c| c.name.clone());
            report.remarks.push(format!(
                "no holding in `{name}`: the assurance holds vacuously"
            ));
        }
    }
}

/// Whether the quantity and the declared figure have a value in common.
fn overlaps(quantity: Amount, figure: Interval) -> bool {
    let low = i128::from(figure.min);
    let high = figure.max.map(i128::from);
    let above_min = quantity.max.is_none_or(|max| max >= low);
    let below_max = match (quantity.min, high) {
        (Some(min), Some(high)) => min <= high,
        _ => true,
    };
    above_min && below_max
}

/// The report-level warnings: parties without holdings, declared figures the position cannot
/// compare, provisions that could not be evaluated.
pub(super) fn warnings(
    model: &Model,
    facts: &Facts,
    parties: &[usize],
    reports: &[PartyReport],
) -> Vec<String> {
    let name = |party: usize| super::party_name(model, party);
    let mut warnings = Vec::new();
    for &party in parties {
        if !facts.holdings.iter().any(|h| h.party == party) {
            warnings.push(format!(
                "{} has no holdings in the scenario: every quantity of {} is 0",
                name(party),
                name(party)
            ));
        }
    }
    // One warning per id and problem, naming every party's figure: a scenario shared by
    // several positions declares ids some of them do not have.
    let mut uncompared: Vec<(String, String, Vec<String>)> = Vec::new();
    for declared in &facts.declared {
        if !parties.contains(&declared.party) {
            continue;
        }
        let (party, id) = (name(declared.party), &declared.provision);
        let problem = match model.provision(id).and_then(|p| model.provisions.get(p)) {
            None => "the position has no provision with this id".to_owned(),
            Some(provision) if !provision.scope.applies_to(declared.party) => {
                format!("provision `{id}` does not bind {party}")
            }
            Some(provision)
                if !matches!(provision.kind, ProvisionKind::Limit | ProvisionKind::Ban) =>
            {
                format!(
                    "`{id}` is {} {}, which has no quantity to compare it with",
                    article(provision.kind.as_str()),
                    provision.kind.as_str()
                )
            }
            Some(_) => continue,
        };
        let figure = format!("{party} {}", declared.figure);
        match uncompared
            .iter_mut()
            .find(|(i, p, _)| i == id && *p == problem)
        {
            Some((_, _, figures)) => figures.push(figure),
            None => uncompared.push((id.clone(), problem, vec![figure])),
        }
    }
    for (id, problem, figures) in uncompared {
        let (noun, verb) = if figures.len() == 1 {
            ("figure", "is")
        } else {
            ("figures", "are")
        };
        warnings.push(format!(
            "declared {noun} `{id}` ({}) {verb} not compared: {problem}",
            figures.join(", ")
        ));
    }
    for party in reports {
        for provision in &party.provisions {
            if provision.verdict == Verdict::NotEvaluable && !provision.remarks.is_empty() {
                warnings.push(format!(
                    "`{}` could not be evaluated for {}: see its remark",
                    provision.id, party.party
                ));
            }
        }
    }
    warnings
}

/// "a" or "an" before `word`.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
