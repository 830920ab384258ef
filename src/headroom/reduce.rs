//! The smallest reductions that restore compliance with every provision at once: an integer
//! program over the units of the party's holdings.
//!
//! A reduction removes whole units of a holding, at most as many as it has. Removing a unit
//! lowers every quantity that counts the holding, so one reduction may serve several
//! provisions. Among the plans that remove the fewest units, the one that changes the fewest
//! other counted quantities is chosen (units of holdings counted by fewer provisions go
//! first), and holdings counted exactly alike are drawn on in the scenario's order; the report
//! names the alike holdings that would serve as well.

use super::solve::{Failure, Program, Relation, Row};
use super::{Case, ReductionStatus, Reductions, Side, Step};
use crate::interval::Amount;
use crate::scenario::Holding;

/// A holding that some included provision counts.
struct Var<'a> {
    name: &'a str,
    /// Its units in this case.
    units: u64,
    /// Per included side: what one unit adds (the case's end of its coefficient).
    coefficients: Vec<i128>,
    /// A unit adds an unbounded amount against some provision: every unit must go.
    forced: Vec<usize>,
}

/// The reductions for the party's `holdings` (index into the facts, holding) to meet every
/// side in `case`.
pub(super) fn reductions(
    sides: &[Side<'_>],
    holdings: &[(usize, &Holding)],
    case: Case,
) -> Reductions {
    let sides: Vec<&Side<'_>> = sides.iter().filter(|s| case.includes(s.applies)).collect();
    let mut vars: Vec<Var<'_>> = Vec::new();
    for &(index, holding) in holdings {
        let mut var = Var {
            name: &holding.name,
            units: 0,
            coefficients: vec![0; sides.len()],
            forced: Vec::new(),
        };
        let mut counted: Option<&str> = None;
        for (slot, side) in sides.iter().enumerate() {
            let per_unit = side.form.per_unit(index);
            if per_unit == Amount::exact(0) {
                continue;
            }
            counted.get_or_insert(side.id);
            match (case.per_unit(side.upper, per_unit), case) {
                (Some(value), _) => {
                    if let Some(c) = var.coefficients.get_mut(slot) {
                        *c = value;
                    }
                }
                (None, Case::Worst) => var.forced.push(slot),
                (None, Case::Best) => {
                    return unknown(format!(
                        "what a unit of `{}` adds to `{}` has no known bound",
                        holding.name, side.id
                    ));
                }
            }
        }
        let Some(counted_by) = counted else {
            continue;
        };
        var.units = match case.count(holding.count) {
            Some(units) => units,
            None => {
                return unknown(format!(
                    "the count of `{}` has no upper bound, and `{counted_by}` counts it",
                    holding.name
                ));
            }
        };
        vars.push(var);
    }
    plan(&sides, vars)
}

fn unknown(reason: String) -> Reductions {
    Reductions {
        status: ReductionStatus::Unknown,
        total: None,
        optimal: None,
        steps: Vec::new(),
        reason: Some(reason),
    }
}

/// The program for `vars` against `sides`, solved, and its answer as steps.
fn plan(sides: &[&Side<'_>], vars: Vec<Var<'_>>) -> Reductions {
    // Each side's quantity as the case has it, units that must go left out.
    let mut quantities = Vec::with_capacity(sides.len());
    for (slot, side) in sides.iter().enumerate() {
        let mut q = side.form.constant;
        for var in vars.iter().filter(|v| v.forced.is_empty()) {
            let coefficient = var.coefficients.get(slot).copied().unwrap_or(0);
            let term = coefficient.checked_mul(i128::from(var.units));
            match term.and_then(|t| q.checked_add(t)) {
                Some(sum) => q = sum,
                None => return unknown("the counted quantities are too large".into()),
            }
        }
        quantities.push(q);
    }
    let violated: Vec<bool> = sides
        .iter()
        .zip(&quantities)
        .enumerate()
        .map(|(slot, (side, &q))| {
            let forced = vars.iter().any(|v| v.units > 0 && v.forced.contains(&slot));
            forced
                || if side.upper {
                    q > side.bound
                } else {
                    q < side.bound
                }
        })
        .collect();
    if !violated.contains(&true) {
        return Reductions {
            status: ReductionStatus::NoneNeeded,
            total: Some(0),
            optimal: None,
            steps: Vec::new(),
            reason: None,
        };
    }
    let free: Vec<&Var<'_>> = vars.iter().filter(|v| v.forced.is_empty()).collect();
    let rows: Vec<Row> = sides
        .iter()
        .enumerate()
        .map(|(slot, side)| Row {
            coefficients: free
                .iter()
                .map(|v| v.coefficients.get(slot).copied().unwrap_or(0))
                .collect(),
            relation: if side.upper {
                Relation::AtLeast
            } else {
                Relation::AtMost
            },
            rhs: quantities
                .get(slot)
                .copied()
                .unwrap_or(0)
                .saturating_sub(side.bound),
        })
        .collect();
    let fewest = Program {
        upper: free.iter().map(|v| v.units).collect(),
        objective: vec![1; free.len()],
        rows,
    };
    let first = match fewest.minimise() {
        Ok(answer) => answer,
        Err(Failure::Infeasible) => return infeasible(sides, &free, &quantities),
        Err(Failure::TooLarge) => {
            return unknown("the counts are too large for the solver (over 2^31 units)".into());
        }
        Err(Failure::Solver(message)) => return unknown(format!("the solver failed: {message}")),
    };
    // Among the plans of that size, the one that changes the fewest other quantities.
    let mut gentlest = fewest.clone();
    gentlest.objective = free
        .iter()
        .map(|v| {
            let counted_by = sides
                .iter()
                .enumerate()
                .filter(|(slot, _)| v.coefficients.get(*slot).is_some_and(|c| *c != 0))
                .map(|(_, side)| side.id)
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            i128::try_from(counted_by).unwrap_or(i128::MAX)
        })
        .collect();
    gentlest.rows.push(Row {
        coefficients: vec![1; free.len()],
        relation: Relation::Equal,
        rhs: fewest.cost(&first.values),
    });
    let answer = match gentlest.minimise() {
        Ok(second) => super::solve::Answer {
            optimal: first.optimal && second.optimal,
            values: second.values,
        },
        Err(_) => first,
    };
    let values = alike_in_order(&free, answer.values);
    steps(sides, &vars, &free, &values, &violated, answer.optimal)
}

/// Units to remove moved between holdings counted exactly alike, to the first in the
/// scenario's order: the totals and every quantity stay the same.
fn alike_in_order(free: &[&Var<'_>], mut values: Vec<u64>) -> Vec<u64> {
    let mut done = vec![false; free.len()];
    for (first, var) in free.iter().enumerate() {
        if done.get(first).copied().unwrap_or(true) {
            continue;
        }
        let group: Vec<usize> = (first..free.len())
            .filter(|&other| {
                free.get(other)
                    .is_some_and(|o| o.coefficients == var.coefficients)
            })
            .collect();
        let mut left: u64 = group
            .iter()
            .map(|&i| values.get(i).copied().unwrap_or(0))
            .sum();
        for &i in &group {
            if let Some(flag) = done.get_mut(i) {
                *flag = true;
            }
            let units = free.get(i).map_or(0, |v| v.units);
            let take = left.min(units);
            if let Some(value) = values.get_mut(i) {
                *value = take;
            }
            left = left.saturating_sub(take);
        }
    }
    values
}

/// The answer as steps, in the scenario's order, each with the violated provisions it serves.
fn steps(
    sides: &[&Side<'_>],
    vars: &[Var<'_>],
    free: &[&Var<'_>],
    values: &[u64],
    violated: &[bool],
    optimal: bool,
) -> Reductions {
    let mut steps = Vec::new();
    let mut total: u64 = 0;
    let mut free_index = 0usize;
    for var in vars {
        let remove = if var.forced.is_empty() {
            let value = values.get(free_index).copied().unwrap_or(0);
            free_index = free_index.saturating_add(1);
            value
        } else {
            var.units
        };
        if remove == 0 {
            continue;
        }
        total = total.saturating_add(remove);
        let mut serves: Vec<String> = Vec::new();
        for (slot, side) in sides.iter().enumerate() {
            let coefficient = var.coefficients.get(slot).copied().unwrap_or(0);
            let helps = var.forced.contains(&slot)
                || if side.upper {
                    coefficient > 0
                } else {
                    coefficient < 0
                };
            if helps
                && violated.get(slot).copied().unwrap_or(false)
                && !serves.iter().any(|id| id == side.id)
            {
                serves.push(side.id.to_string());
            }
        }
        let alike = if var.forced.is_empty() {
            free.iter()
                .filter(|o| o.name != var.name && o.coefficients == var.coefficients)
                .map(|o| o.name.to_string())
                .collect()
        } else {
            Vec::new()
        };
        steps.push(Step {
            holding: var.name.to_string(),
            remove,
            of: var.units,
            serves,
            alike,
            all_units: !var.forced.is_empty(),
        });
    }
    Reductions {
        status: ReductionStatus::Found,
        total: Some(total),
        optimal: Some(optimal),
        steps,
        reason: None,
    }
}

/// Why no reductions restore compliance: the provisions that removing units cannot meet even
/// alone, or else that they cannot be met together.
fn infeasible(sides: &[&Side<'_>], free: &[&Var<'_>], quantities: &[i128]) -> Reductions {
    let mut alone = Vec::new();
    for (slot, side) in sides.iter().enumerate() {
        let q = quantities.get(slot).copied().unwrap_or(0);
        // The most a side's quantity can fall (or the least it can be brought to).
        let reachable = free.iter().fold(q, |acc, v| {
            let c = v.coefficients.get(slot).copied().unwrap_or(0);
            let units = i128::from(v.units);
            let drop = c.saturating_mul(units);
            if side.upper == (c > 0) {
                acc.saturating_sub(drop)
            } else {
                acc
            }
        });
        let unmet = if side.upper {
            reachable > side.bound
        } else {
            reachable < side.bound
        };
        if unmet && !alone.contains(&side.id) {
            alone.push(side.id);
        }
    }
    let reason = if alone.is_empty() {
        "removing units cannot meet every provision at once: meeting one breaks another".to_string()
    } else {
        let names: Vec<String> = alone.iter().map(|id| format!("`{id}`")).collect();
        format!(
            "removing units cannot meet {}: no holding it counts can be reduced far enough",
            names.join(", ")
        )
    };
    Reductions {
        status: ReductionStatus::Infeasible,
        total: None,
        optimal: None,
        steps: Vec::new(),
        reason: Some(reason),
    }
}
