//! Readings inside selections: `holdings where … and reading alcm_band is exclusive`. A
//! holding such a selection counts is explained with the variant that selected it; one it
//! leaves out, with the variant that excluded it and the variants under which it would count.

use std::collections::BTreeSet;

use super::{Choice, World};
use crate::eval::MAX_DEPTH;
use crate::eval::err::Fault;
use crate::eval::explain::Sink;
use crate::eval::logic::Tri;
use crate::model::Predicate;
use crate::scenario::Holding;

impl<'a> World<'a> {
    /// The readings the definitions in force of `category` test in their selections, through
    /// `in category` too (not in the conditions that chose them: those are said already).
    pub(in crate::eval) fn selection_readings(&self, category: usize) -> BTreeSet<usize> {
        let mut readings = BTreeSet::new();
        if self.program.is_some_and(|p| p.no_reading_in_selections) {
            return readings;
        }
        let mut seen = BTreeSet::new();
        let mut pending = vec![category];
        while let Some(category) = pending.pop() {
            if !seen.insert(category) {
                continue;
            }
            let Some(cat) = self.model.categories.get(category) else {
                continue;
            };
            let branches: Vec<usize> = match self.choices.get(category) {
                Some(Choice::Branch(index)) => vec![*index],
                Some(Choice::Undecided(candidates, _)) => candidates.clone(),
                None => Vec::new(),
            };
            for branch in branches.iter().filter_map(|&b| cat.branches.get(b)) {
                tested(&branch.selection, &mut readings, &mut pending, 0);
            }
        }
        readings
    }

    /// The holdings of `left_out` that `category` leaves out under the chosen variants and
    /// would count under another variant of one of `readings`: for each, which variant
    /// excluded it and under which it would count (or possibly count). Each other variant's
    /// world is built once, whatever the number of holdings.
    pub(in crate::eval) fn excluded_by_reading(
        &self,
        category: usize,
        readings: &BTreeSet<usize>,
        left_out: &[(usize, &'a Holding)],
    ) -> Result<Vec<(usize, String)>, Fault> {
        // (reading, variant name, the readings with that variant instead of the chosen one)
        let mut alternatives = Vec::new();
        for &reading in readings {
            let (Some(declared), Some(&chosen)) =
                (self.model.readings.get(reading), self.readings.get(reading))
            else {
                continue;
            };
            for (variant, other) in declared.variants.iter().enumerate() {
                if variant == chosen {
                    continue;
                }
                let mut choice = self.readings.to_vec();
                if let Some(slot) = choice.get_mut(reading) {
                    *slot = variant;
                }
                alternatives.push((reading, other.name.as_str(), choice));
            }
        }
        let mut worlds = Vec::with_capacity(alternatives.len());
        for (reading, variant, choice) in &alternatives {
            let world = World::new(
                self.model,
                self.facts,
                self.party,
                choice,
                self.assumed.clone(),
            )?;
            worlds.push((*reading, *variant, world));
        }
        let mut excluded = Vec::new();
        for &(index, holding) in left_out {
            // By reading, in reading order: the variants that would count the holding.
            let mut counted: Vec<(usize, Vec<String>)> = Vec::new();
            for (reading, variant, world) in &worlds {
                let would = match world.member(category, index, holding, &mut Sink::off(), 0)? {
                    Tri::True => format!("counted if `{variant}`"),
                    Tri::Unknown => format!("possibly counted if `{variant}`"),
                    Tri::False => continue,
                };
                match counted.iter_mut().find(|(r, _)| r == reading) {
                    Some((_, list)) => list.push(would),
                    None => counted.push((*reading, vec![would])),
                }
            }
            let reasons: Vec<String> = counted
                .into_iter()
                .filter_map(|(reading, list)| {
                    let declared = self.model.readings.get(reading)?;
                    let chosen = self.readings.get(reading)?;
                    let variant = declared
                        .variants
                        .get(*chosen)
                        .map_or_else(|| format!("#{chosen}"), |v| v.name.clone());
                    Some(format!(
                        "reading `{}` is `{variant}` ({})",
                        declared.name,
                        list.join(", ")
                    ))
                })
                .collect();
            if !reasons.is_empty() {
                excluded.push((index, reasons.join("; ")));
            }
        }
        Ok(excluded)
    }
}

/// Add the readings `predicate` tests to `readings`, and the categories it refers to with
/// `in category` to `pending`.
pub(super) fn tested(
    predicate: &Predicate,
    readings: &mut BTreeSet<usize>,
    pending: &mut Vec<usize>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let next = depth.saturating_add(1);
    match predicate {
        Predicate::Reading { reading, .. } => {
            readings.insert(*reading);
        }
        Predicate::InCategory(category) => pending.push(*category),
        Predicate::Not(inner) => tested(inner, readings, pending, next),
        Predicate::And(left, right) | Predicate::Or(left, right) => {
            tested(left, readings, pending, next);
            tested(right, readings, pending, next);
        }
        Predicate::Quantified { body, .. } => tested(body, readings, pending, next),
        Predicate::Const(_)
        | Predicate::Attribute(_)
        | Predicate::Compare { .. }
        | Predicate::InSet { .. }
        | Predicate::InRange { .. }
        | Predicate::Package { .. } => {}
    }
}
