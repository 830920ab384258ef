//! Headroom: how far each party is from every limit in force, how many more units of each
//! holding it may add before some provision is violated, and the smallest reductions that
//! restore compliance with every provision at once.
//!
//! [`headroom`] is the entry point. It works on the provisions as linear constraints on the
//! counts ([`crate::eval::linear`]): limits as written, a ban as "the count of its category at
//! most 0", an assurance as "the count of the holdings that fail its requirement at most 0",
//! so adding a unit of a banned holding, or of one that fails an assurance, violates at once.
//!
//! Uncertainty gives two cases, both reported:
//!
//! - the **worst case**: every count at its upper end, every uncertain membership or weight at
//!   the end that counts most against the provision, and provisions whose conditions are
//!   unknown applied;
//! - the **best case**: every count at its lower end, memberships and weights at the other end,
//!   and only provisions that surely apply.
//!
//! The report is the contract `treaty-headroom/1` (documented in `docs/report-format.md`).
#![warn(missing_docs)]

mod reduce;
mod render;
mod solve;
#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::eval::linear::{Applies, Form, Linear, linear_provisions};
use crate::eval::{EvalError, Options};
use crate::interval::{Amount, Interval};
use crate::lang::{Comparison, ProvisionKind, Verdict};
use crate::model::{Date, Model};
use crate::report::{BoundReport, PositionInfo, Readings, ScenarioInfo};
use crate::scenario::{Facts, Holding};

pub use render::{render, render_json, render_markdown, render_text};

/// The value of the `format` field: the name and major version of the contract.
pub const FORMAT: &str = "treaty-headroom/1";

/// Every party's headroom under one position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headroom {
    /// Always [`FORMAT`].
    pub format: String,
    /// The rule file.
    pub position: PositionInfo,
    /// The scenario, with its own date.
    pub scenario: ScenarioInfo,
    /// The date bounds and periods are taken at: the scenario's, or the one asked for.
    pub date: Date,
    /// The variant of every reading, in file order.
    pub readings: Readings,
    /// In the order the scenario lists the parties.
    pub parties: Vec<PartyHeadroom>,
}

/// One party's headroom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyHeadroom {
    /// The party's name.
    pub party: String,
    /// Every limit, ban and assurance in force for the party, in file order.
    pub limits: Vec<LimitRoom>,
    /// The limits (not bans or assurances) with the least margin in the worst case: the first
    /// to bind as the party adds, or the ones exceeded furthest.
    pub binds_first: Vec<String>,
    /// Every holding of the party, in the scenario's order.
    pub holdings: Vec<HoldingRoom>,
    /// The smallest reductions restoring compliance with every provision at once.
    pub reductions: Cases<Reductions>,
    /// Provisions binding the party that are not constraints on its counts, and why.
    pub not_considered: Vec<NotConsidered>,
}

/// A pair of values: the worst case and the best case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cases<T> {
    /// Upper counts, uncertain memberships and weights against the party, unknown conditions
    /// holding.
    pub worst: T,
    /// Lower counts, uncertain memberships and weights for the party, only provisions that
    /// surely apply.
    pub best: T,
}

/// How a provision's conditions hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppliesWord {
    /// They hold.
    Surely,
    /// They may or may not: applied in the worst case only.
    Possibly,
}

/// A limit, ban or assurance in force, and the margin under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitRoom {
    /// The provision's id.
    pub id: String,
    /// Limit, ban or assurance.
    pub kind: ProvisionKind,
    /// Whether the provision's conditions hold.
    pub applies: AppliesWord,
    /// The verdict the margins give.
    pub verdict: Verdict,
    /// The quantity; for a ban the count of its category, for an assurance the count of the
    /// holdings that fail (or may fail) its requirement.
    pub quantity: Amount,
    /// The bound in force; `<= 0` for bans and assurances.
    pub bound: BoundReport,
    /// How far the quantity may move towards the bound before it is violated (for a ceiling,
    /// `bound − quantity`); negative when over. `None`: not known (no upper bound on a count).
    pub margin: Cases<Option<i128>>,
}

/// How many more units of a holding the party may add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldingRoom {
    /// The holding's name in the scenario.
    pub holding: String,
    /// Its count.
    pub count: Interval,
    /// In each case.
    pub more: Cases<More>,
}

/// Units that may be added before some provision is violated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct More {
    /// `None`: no provision limits adding it.
    pub units: Option<u64>,
    /// The provisions violated by one unit more than `units` (several when they tie).
    pub limited_by: Vec<String>,
}

/// Whether reductions are needed, and which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReductionStatus {
    /// Every provision is met already.
    NoneNeeded,
    /// The smallest reductions are in `steps`.
    Found,
    /// No reductions meet every provision at once (`reason` says which cannot be met).
    Infeasible,
    /// Not computed (`reason` says why: a count without an upper bound, numbers too large).
    Unknown,
}

/// The smallest reductions restoring compliance in one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reductions {
    /// Whether reductions are needed and were found.
    pub status: ReductionStatus,
    /// Units removed in all; 0 when none are needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// When found: whether the solver proved the total smallest (it stops after 10 seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optimal: Option<bool>,
    /// The reductions, in the scenario's order of holdings.
    pub steps: Vec<Step>,
    /// Why there are none, when infeasible or unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Units of one holding to remove.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The holding's name.
    pub holding: String,
    /// Units to remove.
    pub remove: u64,
    /// Its units in this case.
    pub of: u64,
    /// The violated provisions this reduction brings back towards their bounds.
    pub serves: Vec<String>,
    /// Holdings counted exactly alike: removing their units instead would serve as well.
    pub alike: Vec<String>,
    /// Every unit must go: one unit adds an amount without known bound against a provision.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all_units: bool,
}

/// A provision binding the party that headroom does not reason about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotConsidered {
    /// The provision's id.
    pub id: String,
    /// Why.
    pub reason: String,
}

/// Which end of an uncertain value is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Worst,
    Best,
}

impl Case {
    /// A holding's units in this case; `None`: no upper bound.
    fn count(self, count: Interval) -> Option<u64> {
        match self {
            Case::Worst => count.max,
            Case::Best => Some(count.min),
        }
    }

    /// What one unit adds to a quantity bounded from above (`upper`) or below: the end that
    /// counts against the party in the worst case, for it in the best; `None`: unbounded.
    fn per_unit(self, upper: bool, per_unit: Amount) -> Option<i128> {
        if upper == (self == Case::Worst) {
            per_unit.max
        } else {
            per_unit.min
        }
    }

    /// Whether a provision that applies so is taken in this case.
    fn includes(self, applies: Applies) -> bool {
        self == Case::Worst || applies == Applies::Surely
    }
}

/// One side of a constraint: `form <= bound` (`upper`) or `form >= bound`.
#[derive(Debug, Clone)]
struct Side<'a> {
    id: &'a str,
    upper: bool,
    bound: i128,
    form: &'a Form,
    applies: Applies,
}

/// The headroom of every party of the scenario (or the one in `options`) under `model`, with
/// bounds and periods taken at `date` (the scenario's own date when `None`).
pub fn headroom(
    model: &Model,
    facts: &Facts,
    options: &Options,
    date: Option<Date>,
) -> Result<Headroom, EvalError> {
    let mut at = facts.clone();
    if let Some(date) = date {
        at.date = date;
    }
    let names = crate::eval::reading_variants(model, options)?;
    let mut parties = Vec::new();
    for &party in &at.parties {
        if options.party.is_some_and(|only| only != party) {
            continue;
        }
        let linear = linear_provisions(model, &at, options, party)?;
        parties.push(party_headroom(model, &at, party, &linear));
    }
    if let Some(only) = options.party.filter(|p| !at.parties.contains(p)) {
        return Err(EvalError::NoSuchParty { party: only });
    }
    Ok(Headroom {
        format: FORMAT.to_string(),
        position: PositionInfo::of(model),
        scenario: ScenarioInfo::of(facts),
        date: at.date,
        readings: names,
        parties,
    })
}

fn party_headroom(
    model: &Model,
    facts: &Facts,
    party: usize,
    linear: &[crate::eval::linear::LinearProvision],
) -> PartyHeadroom {
    let holdings: Vec<(usize, &Holding)> = facts
        .holdings
        .iter()
        .enumerate()
        .filter(|(_, h)| h.party == party)
        .collect();
    let counts = |index: usize| {
        facts
            .holdings
            .get(index)
            .map_or(Amount::exact(0), |h| Amount::from(h.count))
    };
    let mut limits = Vec::new();
    let mut sides = Vec::new();
    let mut not_considered = Vec::new();
    for entry in linear {
        let Some(provision) = model.provisions.get(entry.provision) else {
            continue;
        };
        let id = provision.id.as_str();
        let reason = match &entry.linear {
            Linear::NotInForce => Some(format!("not in force on {}", facts.date)),
            Linear::NotApplicable => Some("not applicable: a condition is false".to_string()),
            Linear::Statement => continue,
            Linear::NotLinear => {
                Some("its quantity multiplies counted quantities: not a linear limit".to_string())
            }
            Linear::Constraint { comparison, .. } if *comparison == Comparison::NotEqual => {
                Some("a `!=` bound neither caps nor floors the quantity".to_string())
            }
            Linear::Constraint { .. } => None,
        };
        if let Some(reason) = reason {
            not_considered.push(NotConsidered {
                id: id.to_string(),
                reason,
            });
            continue;
        }
        let Linear::Constraint {
            applies,
            comparison,
            bound,
            form,
        } = &entry.linear
        else {
            continue;
        };
        let value = i128::from(bound.value);
        let own: Vec<Side<'_>> = match comparison {
            Comparison::AtMost => vec![side(id, true, value, form, *applies)],
            Comparison::Less => vec![side(id, true, value.saturating_sub(1), form, *applies)],
            Comparison::AtLeast => vec![side(id, false, value, form, *applies)],
            Comparison::Greater => vec![side(id, false, value.saturating_add(1), form, *applies)],
            Comparison::Equal => vec![
                side(id, true, value, form, *applies),
                side(id, false, value, form, *applies),
            ],
            Comparison::NotEqual => Vec::new(),
        };
        let quantity = form.value(counts).unwrap_or(Amount {
            min: None,
            max: None,
        });
        let margin = margin(&own, quantity);
        limits.push(LimitRoom {
            id: id.to_string(),
            kind: provision.kind,
            applies: match applies {
                Applies::Surely => AppliesWord::Surely,
                Applies::Possibly => AppliesWord::Possibly,
            },
            verdict: verdict(&margin, *applies),
            quantity,
            bound: bound.clone(),
            margin,
        });
        sides.extend(own);
    }
    let binds_first = binds_first(&limits);
    let rooms = holdings
        .iter()
        .map(|&(index, holding)| HoldingRoom {
            holding: holding.name.to_string(),
            count: holding.count,
            more: Cases {
                worst: more(&sides, &limits, index, Case::Worst),
                best: more(&sides, &limits, index, Case::Best),
            },
        })
        .collect();
    PartyHeadroom {
        party: model
            .parties
            .get(party)
            .cloned()
            .unwrap_or_else(|| format!("party #{party}")),
        limits,
        binds_first,
        holdings: rooms,
        reductions: Cases {
            worst: reduce::reductions(&sides, &holdings, Case::Worst),
            best: reduce::reductions(&sides, &holdings, Case::Best),
        },
        not_considered,
    }
}

fn side<'a>(id: &'a str, upper: bool, bound: i128, form: &'a Form, applies: Applies) -> Side<'a> {
    Side {
        id,
        upper,
        bound,
        form,
        applies,
    }
}

/// The margin of a provision's sides: the least over its sides, in each case.
fn margin(sides: &[Side<'_>], quantity: Amount) -> Cases<Option<i128>> {
    let mut worst: Option<Option<i128>> = None;
    let mut best: Option<Option<i128>> = None;
    for side in sides {
        let (w, b) = if side.upper {
            (
                quantity.max.map(|q| side.bound.saturating_sub(q)),
                quantity.min.map(|q| side.bound.saturating_sub(q)),
            )
        } else {
            (
                quantity.min.map(|q| q.saturating_sub(side.bound)),
                quantity.max.map(|q| q.saturating_sub(side.bound)),
            )
        };
        worst = Some(least(worst, w));
        best = Some(least(best, b));
    }
    Cases {
        worst: worst.flatten(),
        best: best.flatten(),
    }
}

/// The lesser of two margins; an unknown margin (`None`) is the least of all.
fn least(so_far: Option<Option<i128>>, next: Option<i128>) -> Option<i128> {
    match so_far {
        None => next,
        Some(previous) => previous.zip(next).map(|(a, b)| a.min(b)),
    }
}

/// Complies when even the worst case has room, violated when even the best case is over;
/// a provision that only possibly applies is never more than undetermined.
fn verdict(margin: &Cases<Option<i128>>, applies: Applies) -> Verdict {
    let verdict = if margin.worst.is_some_and(|m| m >= 0) {
        Verdict::Complies
    } else if margin.best.is_some_and(|m| m < 0) {
        Verdict::Violated
    } else {
        Verdict::Undetermined
    };
    if applies == Applies::Possibly && verdict == Verdict::Violated {
        Verdict::Undetermined
    } else {
        verdict
    }
}

/// The limits (not bans or assurances) with the least worst-case margin, over ones included;
/// a margin not known is the least of all.
fn binds_first(limits: &[LimitRoom]) -> Vec<String> {
    let margins = limits
        .iter()
        .filter(|l| l.kind == ProvisionKind::Limit)
        .map(|l| (l, l.margin.worst.unwrap_or(i128::MIN)));
    let least = margins.clone().map(|(_, m)| m).min();
    margins
        .filter(|(_, m)| Some(*m) == least)
        .map(|(l, _)| l.id.clone())
        .collect()
}

/// How many units of holding `index` may be added in `case` before a side is violated.
fn more(sides: &[Side<'_>], limits: &[LimitRoom], index: usize, case: Case) -> More {
    let mut best: Option<(u64, Vec<String>)> = None;
    for side in sides.iter().filter(|s| case.includes(s.applies)) {
        let per_unit = side.form.per_unit(index);
        if per_unit == Amount::exact(0) {
            continue;
        }
        // Adding a unit moves the quantity towards the bound by `step`.
        let step = match case.per_unit(side.upper, per_unit) {
            Some(a) if side.upper => Some(a),
            Some(a) => a.checked_neg(),
            None => None,
        };
        let room = limits
            .iter()
            .find(|l| l.id == side.id)
            .and_then(|l| match case {
                Case::Worst => l.margin.worst,
                Case::Best => l.margin.best,
            });
        let units = match (step, room) {
            (Some(step), _) if step <= 0 => continue,
            (Some(step), Some(room)) if room >= 0 => {
                u64::try_from(room.checked_div(step).unwrap_or(0)).unwrap_or(u64::MAX)
            }
            // Over already, unknown margin, or a unit adds without bound: none may be added.
            _ => 0,
        };
        best = match best {
            Some((least, mut ids)) if units == least => {
                if !ids.iter().any(|id| id == side.id) {
                    ids.push(side.id.to_string());
                }
                Some((least, ids))
            }
            Some((least, ids)) if least < units => Some((least, ids)),
            _ => Some((units, vec![side.id.to_string()])),
        };
    }
    match best {
        Some((units, limited_by)) => More {
            units: Some(units),
            limited_by,
        },
        None => More {
            units: None,
            limited_by: Vec::new(),
        },
    }
}
