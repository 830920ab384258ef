//! Provisions as linear constraints on the holdings' counts: what `treaty headroom` reasons
//! about.
//!
//! Memberships of categories, weights and conditions do not depend on how many units a party
//! holds, so every limit whose quantity adds, subtracts and scales counts is
//! `constant + Σ per_unit × count` over the party's holdings, compared with its bound. A ban is
//! the count of its category at most 0; an assurance is the count of the holdings of its
//! category that fail (or may fail) its requirement at most 0.
//!
//! Uncertainty stays in the coefficients: a holding that may or may not belong to a category
//! has `per_unit` from 0; an uncertain weight is an interval; a package the scenario does not
//! state is assumed both ways (as [`evaluate`](super::evaluate) does) and the coefficients of
//! every assumption joined, and a provision whose conditions hold under some assumptions only
//! [`Applies::Possibly`].

use super::packages::unstated_packages;
use super::world::World;
use super::{EvalError, MAX_ASSUMED_PACKAGES, Options, party_name, resolve_readings};
use crate::interval::Amount;
use crate::lang::Comparison;
use crate::model::Model;
use crate::report::BoundReport;
use crate::scenario::Facts;

/// A count-valued quantity as `constant + Σ per_unit × count` over the holdings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Form {
    /// What the quantity is with no holdings at all.
    pub constant: i128,
    /// In the order of the scenario's holdings, each holding once; holdings that do not count
    /// are left out.
    pub terms: Vec<Term>,
}

/// What one unit of a holding adds to a quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// Index into `Facts::holdings`.
    pub holding: usize,
    /// What one unit adds: from 0 when the holding may not count, an interval when its weight
    /// is uncertain; negative for a subtracted term.
    pub per_unit: Amount,
}

/// Whether a provision's conditions hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    /// They hold (or it has none).
    Surely,
    /// They hold under some assumptions about unknown facts or unstated packages only.
    Possibly,
}

/// A provision for one party, as a constraint on the counts or the reason it is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Linear {
    /// The scenario's date is outside the provision's period, or before its first bound.
    NotInForce,
    /// A condition of the provision is false.
    NotApplicable,
    /// A statement: nothing to count.
    Statement,
    /// The quantity multiplies two counted quantities.
    NotLinear,
    /// `form comparison bound`: a limit, a ban (`<= 0`) or an assurance (`<= 0` on the count of
    /// the holdings that fail its requirement).
    Constraint {
        /// Whether the conditions hold.
        applies: Applies,
        /// How the quantity must compare with the bound.
        comparison: Comparison,
        /// The bound in force.
        bound: BoundReport,
        /// The quantity.
        form: Form,
    },
}

/// One provision of the model, linearised for one party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinearProvision {
    /// Index into `Model::provisions`.
    pub provision: usize,
    /// The constraint, or why there is none.
    pub linear: Linear,
}

/// Every provision that binds `party` (index into `Model::parties`), in file order, as a
/// linear constraint on the party's holdings under the readings of `options`.
pub fn linear_provisions(
    model: &Model,
    facts: &Facts,
    options: &Options,
    party: usize,
) -> Result<Vec<LinearProvision>, EvalError> {
    let readings = resolve_readings(model, &options.readings)?;
    let mut provisions = Vec::new();
    for (index, provision) in model.provisions.iter().enumerate() {
        if !provision.scope.applies_to(party) {
            continue;
        }
        if !provision.period.contains(facts.date) {
            provisions.push(LinearProvision {
                provision: index,
                linear: Linear::NotInForce,
            });
            continue;
        }
        let unstated: Vec<usize> = unstated_packages(model, facts, provision)
            .into_iter()
            .take(MAX_ASSUMED_PACKAGES)
            .collect();
        let mut worlds = Vec::new();
        for mask in 0..(1usize << unstated.len()) {
            let mut assumed = vec![None; model.packages.len()];
            for (bit, &package) in unstated.iter().enumerate() {
                if let Some(slot) = assumed.get_mut(package) {
                    *slot = Some(mask & (1usize << bit) != 0);
                }
            }
            let linear = World::new(model, facts, party, &readings, assumed)
                .and_then(|world| world.linear(provision))
                .map_err(|fault| fault.into_error(provision, party_name(model, party)))?;
            worlds.push(linear);
        }
        provisions.push(LinearProvision {
            provision: index,
            linear: join(worlds),
        });
    }
    Ok(provisions)
}

/// The provision over every assumption about the unstated packages: a constraint where it
/// is one in some, applying surely only when it does in all, each coefficient the smallest
/// interval covering every assumption's (0 where a holding does not count).
fn join(worlds: Vec<Linear>) -> Linear {
    if worlds.contains(&Linear::NotLinear) {
        return Linear::NotLinear;
    }
    let total = worlds.len();
    let mut joined: Option<Linear> = None;
    let mut constraints = 0usize;
    let mut first_other = None;
    for world in worlds {
        match world {
            Linear::Constraint {
                applies,
                comparison,
                bound,
                form,
            } => {
                constraints = constraints.saturating_add(1);
                joined = Some(match joined {
                    None => Linear::Constraint {
                        applies,
                        comparison,
                        bound,
                        form,
                    },
                    Some(Linear::Constraint {
                        applies: before,
                        comparison,
                        bound,
                        form: previous,
                    }) => Linear::Constraint {
                        applies: if before == Applies::Surely && applies == Applies::Surely {
                            Applies::Surely
                        } else {
                            Applies::Possibly
                        },
                        comparison,
                        bound,
                        form: previous.hull(&form),
                    },
                    Some(other) => other,
                });
            }
            other => {
                first_other.get_or_insert(other);
            }
        }
    }
    match joined {
        Some(Linear::Constraint {
            comparison,
            bound,
            form,
            ..
        }) if constraints < total => Linear::Constraint {
            applies: Applies::Possibly,
            comparison,
            bound,
            form,
        },
        Some(constraint) => constraint,
        None => first_other.unwrap_or(Linear::Statement),
    }
}

impl Form {
    /// A constant.
    pub fn constant(value: i128) -> Form {
        Form {
            constant: value,
            terms: Vec::new(),
        }
    }

    /// The coefficient of `holding` (exactly 0 when it does not count).
    pub fn per_unit(&self, holding: usize) -> Amount {
        self.terms
            .binary_search_by_key(&holding, |t| t.holding)
            .ok()
            .and_then(|at| self.terms.get(at))
            .map_or(Amount::exact(0), |t| t.per_unit)
    }

    /// The quantity for `counts` (by holding index; a holding without a count counts 0), as
    /// interval arithmetic: `None` on overflow.
    pub fn value(&self, counts: impl Fn(usize) -> Amount) -> Option<Amount> {
        let mut total = Amount::exact(self.constant);
        for term in &self.terms {
            total = total.checked_add(term.per_unit.checked_mul(counts(term.holding))?)?;
        }
        Some(total)
    }

    /// `self + other`; `None` on overflow. Both lists of terms are in holding order, and so
    /// is the sum's: a merge, linear in the holdings.
    pub(super) fn checked_add(self, other: &Form) -> Option<Form> {
        let constant = self.constant.checked_add(other.constant)?;
        let mut terms = Vec::with_capacity(self.terms.len().saturating_add(other.terms.len()));
        let mut left = self.terms.into_iter().peekable();
        let mut right = other.terms.iter().copied().peekable();
        loop {
            let next = match (left.peek(), right.peek()) {
                (Some(l), Some(r)) if l.holding == r.holding => {
                    let per_unit = l.per_unit.checked_add(r.per_unit)?;
                    let holding = l.holding;
                    left.next();
                    right.next();
                    Term { holding, per_unit }
                }
                (Some(l), Some(r)) if l.holding < r.holding => left.next()?,
                (Some(_), Some(_)) | (None, Some(_)) => right.next()?,
                (Some(_), None) => left.next()?,
                (None, None) => break,
            };
            terms.push(next);
        }
        Some(Form { constant, terms })
    }

    /// `self × factor`; `None` on overflow.
    pub(super) fn checked_scale(mut self, factor: i128) -> Option<Form> {
        self.constant = self.constant.checked_mul(factor)?;
        for term in &mut self.terms {
            term.per_unit = term.per_unit.checked_mul(Amount::exact(factor))?;
        }
        self.terms.retain(|t| t.per_unit != Amount::exact(0));
        Some(self)
    }

    /// `self × other` when one of them is a constant; `Some(None)` when both count holdings
    /// (not linear); `None` on overflow.
    pub(super) fn checked_mul(self, other: Form) -> Option<Option<Form>> {
        match (self.terms.is_empty(), other.terms.is_empty()) {
            (true, _) => other.checked_scale(self.constant).map(Some),
            (_, true) => self.checked_scale(other.constant).map(Some),
            _ => Some(None),
        }
    }

    /// Every coefficient of either form, each the smallest interval covering both (a holding
    /// missing from one counts 0 there).
    fn hull(self, other: &Form) -> Form {
        let mut holdings: Vec<usize> = self
            .terms
            .iter()
            .chain(&other.terms)
            .map(|t| t.holding)
            .collect();
        holdings.sort_unstable();
        holdings.dedup();
        let terms = holdings
            .into_iter()
            .map(|holding| Term {
                holding,
                per_unit: self.per_unit(holding).hull(other.per_unit(holding)),
            })
            .collect();
        Form {
            constant: self.constant,
            terms,
        }
    }
}

#[cfg(test)]
mod tests;
