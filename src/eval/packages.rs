//! Packages the scenario does not state: which a provision depends on, the provision
//! evaluated with each assumed agreed and not agreed, and the outcomes joined into one.

use std::collections::{BTreeSet, HashMap};

use super::logic::join_verdicts;
use super::world::{Counted, Outcome, World};
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

/// The unstated packages a provision's verdict may depend on, in package order.
fn unstated_packages(model: &Model, facts: &Facts, provision: &Provision) -> Vec<usize> {
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
    refs.packages
        .into_iter()
        .filter(|&p| !matches!(facts.packages.get(p), Some(PackageState::Stated(_))))
        .collect()
}

/// The outcome of a provision for `party`: evaluated in one world for each assumption about
/// the unstated packages it depends on (the first [`MAX_ASSUMED_PACKAGES`] of them, each agreed
/// and not agreed), and the outcomes joined.
pub(super) fn outcome(
    model: &Model,
    facts: &Facts,
    readings: &[usize],
    party: usize,
    provision: &Provision,
) -> Result<Outcome, EvalError> {
    let unstated = unstated_packages(model, facts, provision);
    let enumerated: Vec<usize> = unstated
        .iter()
        .copied()
        .take(MAX_ASSUMED_PACKAGES)
        .collect();
    let worlds = 1usize << enumerated.len();
    let mut outcomes = Vec::with_capacity(worlds);
    for mask in 0..worlds {
        let mut assumed = vec![None; model.packages.len()];
        for (bit, &package) in enumerated.iter().enumerate() {
            if let Some(slot) = assumed.get_mut(package) {
                *slot = Some(mask & (1usize << bit) != 0);
            }
        }
        let outcome = World::new(model, facts, party, readings, assumed)
            .and_then(|world| world.provision(provision))
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
    let mut joined = Outcome::plain(verdict);
    for outcome in &outcomes {
        if let Some(q) = outcome.quantity {
            joined.quantity = Some(joined.quantity.map_or(q, |j| j.hull(q)));
        }
        if joined.bound.is_none() {
            joined.bound.clone_from(&outcome.bound);
        }
    }
    joined.contributors = merge_contributors(&outcomes);
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

/// The contributors of every world, one entry per holding and term: its count is the hull over
/// the worlds (with zero when it does not count in some), its reasons every distinct one.
fn merge_contributors(outcomes: &[Outcome]) -> Vec<Counted> {
    struct Merged {
        counted: Counted,
        worlds: usize,
        reasons: Vec<String>,
    }
    let mut merged: Vec<Merged> = Vec::new();
    // Where each (term, holding) is in `merged`: found at once, not by a search through all
    // (a scenario of 100 000 holdings took 10^10 comparisons).
    let mut at: HashMap<(usize, usize), usize> = HashMap::new();
    for outcome in outcomes {
        for counted in &outcome.contributors {
            let key = (counted.term, counted.holding);
            let found = at.get(&key).and_then(|&index| merged.get_mut(index));
            match found {
                Some(entry) => {
                    entry.counted.contributor.count = entry
                        .counted
                        .contributor
                        .count
                        .hull(counted.contributor.count);
                    entry.worlds = entry.worlds.saturating_add(1);
                    if !entry.reasons.contains(&counted.contributor.because) {
                        entry.reasons.push(counted.contributor.because.clone());
                    }
                }
                None => {
                    at.insert(key, merged.len());
                    merged.push(Merged {
                        counted: counted.clone(),
                        worlds: 1,
                        reasons: vec![counted.contributor.because.clone()],
                    });
                }
            }
        }
    }
    merged.sort_by_key(|m| (m.counted.term, m.counted.holding));
    merged
        .into_iter()
        .map(|m| {
            let mut counted = m.counted;
            if m.worlds < outcomes.len() {
                counted.contributor.count = counted.contributor.count.hull(Interval::ZERO);
            }
            counted.contributor.because = m.reasons.join("; or ");
            counted
        })
        .collect()
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
