//! Packages the scenario does not state: which a provision depends on, the provision
//! evaluated with each assumed agreed and not agreed, and the outcomes joined into one.

use std::collections::BTreeSet;

use super::logic::join_verdicts;
use super::world::{Outcome, World, Worlds};
use super::{EvalError, MAX_ASSUMED_PACKAGES, MAX_DEPTH, party_name};
use crate::interval::Interval;
use crate::lang::Verdict;
use crate::model::{Model, PackageState, Predicate, Provision, Quantity, Rule};
use crate::scenario::Facts;

/// Packages and readings an expression refers to.
#[derive(Default)]
pub(super) struct Refs {
    pub(super) packages: BTreeSet<usize>,
    pub(super) readings: BTreeSet<usize>,
    categories: BTreeSet<usize>,
}

impl Refs {
    /// Add what the predicate refers to (not through categories: see [`Refs::close`]).
    pub(super) fn collect(&mut self, p: &Predicate, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let next = depth.saturating_add(1);
        match p {
            Predicate::Const(_)
            | Predicate::Attribute(_)
            | Predicate::Compare { .. }
            | Predicate::InSet { .. }
            | Predicate::InRange { .. } => {}
            Predicate::Not(inner) => self.collect(inner, next),
            Predicate::And(left, right) | Predicate::Or(left, right) => {
                self.collect(left, next);
                self.collect(right, next);
            }
            Predicate::Quantified { body, .. } => self.collect(body, next),
            Predicate::Package { package, .. } => {
                self.packages.insert(*package);
            }
            Predicate::Reading { reading, .. } => {
                self.readings.insert(*reading);
            }
            Predicate::InCategory(category) => {
                self.categories.insert(*category);
            }
        }
    }

    /// Add the categories a quantity counts.
    fn collect_quantity(&mut self, q: &Quantity, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match q {
            Quantity::Const(_) => {}
            Quantity::Count(category) | Quantity::Sum { category, .. } => {
                self.categories.insert(*category);
            }
            Quantity::Arithmetic { left, right, .. } => {
                self.collect_quantity(left, depth.saturating_add(1));
                self.collect_quantity(right, depth.saturating_add(1));
            }
        }
    }

    /// Close over categories: their branch conditions and selections.
    fn close(&mut self, model: &Model) {
        let mut done = BTreeSet::new();
        while let Some(&category) = self.categories.iter().find(|c| !done.contains(*c)) {
            done.insert(category);
            if let Some(cat) = model.categories.get(category) {
                for branch in &cat.branches {
                    if let Some(condition) = &branch.condition {
                        self.collect(condition, 0);
                    }
                    self.collect(&branch.selection, 0);
                }
            }
        }
    }
}

/// The packages the definitions of `category` test, through the categories they refer to.
pub(super) fn category_packages(model: &Model, category: usize) -> Vec<usize> {
    let mut refs = Refs::default();
    refs.categories.insert(category);
    refs.close(model);
    refs.packages.into_iter().collect()
}

/// Whether a holding's membership in each category is the same whatever is assumed of the
/// unstated packages: neither its definitions nor the categories they refer to test one.
/// `packages` is [`category_packages`] of each category.
pub(super) fn world_independent(facts: &Facts, packages: &[Vec<usize>]) -> Vec<bool> {
    packages
        .iter()
        .map(|tested| unstated(facts, tested).is_empty())
        .collect()
}

/// The unstated packages a provision's verdict may depend on, in package order.
pub(super) fn unstated_packages(model: &Model, facts: &Facts, provision: &Provision) -> Vec<usize> {
    unstated(facts, &provision_packages(model, provision))
}

/// Those of `packages` the scenario does not state.
pub(super) fn unstated(facts: &Facts, packages: &[usize]) -> Vec<usize> {
    packages
        .iter()
        .copied()
        .filter(|&p| !matches!(facts.packages.get(p), Some(PackageState::Stated(_))))
        .collect()
}

/// The packages a provision's verdict may depend on, stated or not, in package order.
pub(super) fn provision_packages(model: &Model, provision: &Provision) -> Vec<usize> {
    let mut refs = Refs::default();
    for condition in &provision.conditions {
        refs.collect(condition, 0);
    }
    match &provision.rule {
        Rule::Limit { quantity, .. } => refs.collect_quantity(quantity, 0),
        Rule::Ban { category } => {
            refs.categories.insert(*category);
        }
        Rule::Assurance {
            category,
            requirement,
            ..
        } => {
            refs.categories.insert(*category);
            refs.collect(requirement, 0);
        }
        Rule::None => {}
    }
    refs.close(model);
    refs.packages.into_iter().collect()
}

/// The outcome of a provision for the party of `worlds`: evaluated in one world for each
/// assumption about the unstated packages it depends on (the first [`MAX_ASSUMED_PACKAGES`] of
/// them, each agreed and not agreed), and the outcomes joined. A `declared` figure is judged
/// in every world too.
/// `unstated` is what [`unstated_packages`] gives for the provision.
pub(super) fn outcome<'a>(
    worlds: &mut Worlds<'a>,
    provision: &'a Provision,
    unstated: &[usize],
    declared: Option<Interval>,
) -> Result<Outcome, EvalError> {
    outcome_of(worlds, provision, unstated, declared, World::provision)
}

/// What the provision's rule would measure for the party if it were in force and applied,
/// its conditions aside: as [`outcome`], in the same worlds.
pub(super) fn outcome_as_if<'a>(
    worlds: &mut Worlds<'a>,
    provision: &'a Provision,
    unstated: &[usize],
) -> Result<Outcome, EvalError> {
    outcome_of(worlds, provision, unstated, None, World::rule)
}

/// The outcome of `evaluate` in each world of the unstated packages, joined.
fn outcome_of<'a>(
    worlds: &mut Worlds<'a>,
    provision: &'a Provision,
    unstated: &[usize],
    declared: Option<Interval>,
    evaluate: fn(
        &World<'a>,
        &'a Provision,
        Option<Interval>,
    ) -> Result<Outcome, crate::eval::err::Fault>,
) -> Result<Outcome, EvalError> {
    let (model, party) = (worlds.model, worlds.party);
    let enumerated: Vec<usize> = unstated
        .iter()
        .copied()
        .take(MAX_ASSUMED_PACKAGES)
        .collect();
    let count = 1usize << enumerated.len();
    let mut outcomes = Vec::with_capacity(count);
    for mask in 0..count {
        let mut assumed = vec![None; model.packages.len()];
        for (bit, &package) in enumerated.iter().enumerate() {
            if let Some(slot) = assumed.get_mut(package) {
                *slot = Some(mask & (1usize << bit) != 0);
            }
        }
        let outcome = worlds
            .get(assumed)
            .and_then(|world| evaluate(world, provision, declared))
            .map_err(|fault| fault.into_error(provision, party_name(model, party)))?;
        outcomes.push(outcome);
    }
    Ok(join_outcomes(model, &enumerated, outcomes))
}

/// Join the outcomes of every assumption about the enumerated packages (world `mask`: bit `i`
/// set when `enumerated[i]` is assumed agreed).
fn join_outcomes(model: &Model, enumerated: &[usize], outcomes: Vec<Outcome>) -> Outcome {
    if outcomes.len() == 1 {
        if let Some(only) = outcomes.into_iter().next() {
            return only;
        }
        return Outcome::plain(Verdict::NotEvaluable);
    }
    let verdicts: Vec<Verdict> = outcomes.iter().map(|o| o.verdict).collect();
    let verdict = join_verdicts(verdicts.iter().copied());
    // Where the provision applies in some worlds, what it measures is theirs: the quantities
    // of the worlds where it does not apply are left out of the join.
    let outcomes: Vec<Outcome> = if verdict == Verdict::NotApplicable {
        outcomes
    } else {
        outcomes
            .into_iter()
            .map(|o| match o.verdict {
                Verdict::NotApplicable => Outcome::plain(Verdict::NotApplicable),
                _ => o,
            })
            .collect()
    };
    let mut joined = Outcome::plain(verdict);
    if outcomes.iter().any(|o| o.declared_verdict.is_some()) {
        // A world where the rule was not judged (not applicable) gives that verdict.
        joined.declared_verdict = Some(join_verdicts(
            outcomes
                .iter()
                .map(|o| o.declared_verdict.unwrap_or(o.verdict)),
        ));
    }
    for outcome in &outcomes {
        if let Some(q) = outcome.quantity {
            joined.quantity = Some(joined.quantity.map_or(q, |j| j.hull(q)));
        }
        if joined.bound.is_none() {
            joined.bound.clone_from(&outcome.bound);
        }
    }
    joined.contributors = super::contributors::merge(model, enumerated, &outcomes);
    for outcome in &outcomes {
        for left_out in &outcome.excluded {
            let known = joined
                .excluded
                .iter()
                .any(|e| e.term == left_out.term && e.holding == left_out.holding);
            if !known {
                joined.excluded.push(left_out.clone());
            }
        }
    }
    if verdict == Verdict::Violated {
        joined.excess = outcomes.iter().filter_map(|o| o.excess).min();
    }
    if verdict == Verdict::Undetermined {
        let differ = verdicts.iter().any(|v| Some(v) != verdicts.first());
        if differ {
            joined
                .unknowns
                .extend(deciding_packages(model, enumerated, &verdicts));
        }
        for outcome in &outcomes {
            if outcome.verdict == Verdict::Undetermined {
                joined.unknowns.extend(outcome.unknowns.iter().cloned());
            }
        }
    }
    joined
}

/// "if package `a` is agreed", or the combinations one by one: the assumptions about the
/// enumerated packages under which a contributor counts (`present`, among the `measured`
/// worlds).
pub(super) fn assumptions(
    model: &Model,
    enumerated: &[usize],
    present: &[usize],
    measured: &[usize],
) -> String {
    let name = |package: usize| {
        model
            .packages
            .get(package)
            .map_or_else(|| format!("#{package}"), |p| p.name.clone())
    };
    let state = |bit: usize, agreed: bool| {
        let package = enumerated.get(bit).copied().unwrap_or(bit);
        let word = if agreed { "agreed" } else { "not agreed" };
        format!("package `{}` is {word}", name(package))
    };
    let agreed = |mask: usize, bit: usize| mask & (1usize << bit) != 0;
    // The packages on which every world it counts in agrees.
    let fixed: Vec<(usize, bool)> = (0..enumerated.len())
        .filter_map(|bit| {
            let first = agreed(*present.first()?, bit);
            present
                .iter()
                .all(|&mask| agreed(mask, bit) == first)
                .then_some((bit, first))
        })
        .collect();
    let described: Vec<usize> = measured
        .iter()
        .copied()
        .filter(|&mask| fixed.iter().all(|&(bit, on)| agreed(mask, bit) == on))
        .collect();
    if !fixed.is_empty() && described.len() == present.len() {
        let states: Vec<String> = fixed.iter().map(|&(bit, on)| state(bit, on)).collect();
        return format!("if {}", states.join(" and "));
    }
    let combinations: Vec<String> = present
        .iter()
        .map(|&mask| {
            let states: Vec<String> = (0..enumerated.len())
                .map(|bit| state(bit, agreed(mask, bit)))
                .collect();
            format!("if {}", states.join(" and "))
        })
        .collect();
    combinations.join("; or ")
}

/// The unstated packages whose state changes the verdict, and what each state gives.
fn deciding_packages(model: &Model, enumerated: &[usize], verdicts: &[Verdict]) -> Vec<String> {
    let name = |package: usize| {
        model
            .packages
            .get(package)
            .map_or_else(|| format!("#{package}"), |p| p.name.clone())
    };
    if let ([package], [not_agreed, agreed]) = (enumerated, verdicts) {
        return vec![format!(
            "package `{}` is not stated: {agreed} if agreed, {not_agreed} if not",
            name(*package)
        )];
    }
    let mut notes = Vec::new();
    for (bit, &package) in enumerated.iter().enumerate() {
        let flip = 1usize << bit;
        let decides = verdicts
            .iter()
            .enumerate()
            .any(|(mask, v)| verdicts.get(mask ^ flip).is_some_and(|other| other != v));
        if decides {
            notes.push(format!("package `{}` is not stated", name(package)));
        }
    }
    for (mask, verdict) in verdicts.iter().enumerate() {
        let states: Vec<String> = enumerated
            .iter()
            .enumerate()
            .map(|(bit, &package)| {
                let agreed = mask & (1usize << bit) != 0;
                format!(
                    "`{}` {}",
                    name(package),
                    if agreed { "agreed" } else { "not agreed" }
                )
            })
            .collect();
        notes.push(format!("if {}: {verdict}", states.join(", ")));
    }
    notes
}
