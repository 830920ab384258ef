//! `treaty sweep`: a position evaluated over many scenarios drawn from one whose figures
//! are uncertain — every interval and unknown drawn anew for each sample — and what share of
//! the samples each verdict has, and which inputs decide it.
//!
//! - What is drawn ([`inputs`]): counts and numbers given as intervals (uniformly over the
//!   whole numbers within — of the vocabulary's unit for a quantity written in whole units —
//!   or over the real interval otherwise), `"unknown"` yes-or-no and enumeration values (each
//!   value as likely as the others), and packages the scenario does not state (agreed or open,
//!   one in two). Unknown counts and numbers with no interval, unknown dates and weapon types
//!   are left as they are, and said; so are attributes the scenario does not state.
//! - Each sample is the loaded facts with the drawn values written in (no file is read again),
//!   evaluated by [`crate::eval::evaluate`].
//! - Samples run in parallel; sample `i` draws from a generator seeded by (seed, `i`) and the
//!   tallies are counts and extremes ([`stats`]), so a run is the same whatever the threads.
//! - `--grid` evaluates every combination of the inputs' values instead, once each.

pub mod inputs;
mod render;
mod run;
pub mod stats;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::diagnostics::{Problem, codes};
use crate::eval::{self, EvalError, Options};
use crate::lang::{ProvisionKind, Verdict};
use crate::model::Model;
use crate::report::{PositionInfo, Readings, ScenarioInfo};
use crate::scenario::Facts;

pub use inputs::{Input, Plan, Values};
pub use render::{render_json, render_text};
pub use stats::Flip;
use stats::Tally;

codes! { "usage",
    GridTooLarge => "grid_too_large", Error;
}

/// The name and major version of the JSON format of a sweep.
pub const FORMAT: &str = "treaty-sweep/1";

/// The most samples one sweep runs.
pub const MAX_SAMPLES: u64 = 100_000_000;

/// The seed when none is given: runs are the same by default.
pub const DEFAULT_SEED: u64 = 0;

/// What to sweep.
#[derive(Debug, Clone)]
pub struct Request {
    /// The readings and the party, as `eval` takes them.
    pub options: Options,
    /// How many samples (at most, with `grid`).
    pub samples: u64,
    /// Seeds the draws.
    pub seed: u64,
    /// Every combination of the inputs' values once, instead of random draws.
    pub grid: bool,
}

/// What a sweep found: the verdicts' shares per party and provision, and their flips.
#[derive(Debug, Clone, Serialize)]
pub struct Sweep {
    /// Always [`FORMAT`].
    pub format: &'static str,
    /// The rule file.
    pub position: PositionInfo,
    /// The scenario the samples are drawn from.
    pub scenario: ScenarioInfo,
    /// The variant of every reading, as in a report.
    pub readings: Readings,
    /// `monte_carlo` or `grid`.
    pub method: &'static str,
    /// The seed of the draws (absent for a grid).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// How many samples were evaluated.
    pub samples: u64,
    /// What each sample draws.
    pub inputs: Vec<Input>,
    /// Unknowns left as the scenario has them, one sentence each.
    pub left_unknown: Vec<String>,
    /// Attributes not stated (and without a default), left not stated.
    pub not_stated: usize,
    /// One per party evaluated, in the scenario's order.
    pub parties: Vec<PartySweep>,
}

/// One party's provisions over the samples.
#[derive(Debug, Clone, Serialize)]
pub struct PartySweep {
    /// The party's name.
    pub party: String,
    /// One per provision that binds it, in file order.
    pub provisions: Vec<ProvisionSweep>,
}

/// One provision of one party over the samples.
#[derive(Debug, Clone, Serialize)]
pub struct ProvisionSweep {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: ProvisionKind,
    /// Each verdict some sample has, in the order of [`Verdict::ALL`].
    pub verdicts: Vec<Share>,
    /// What decides it, input by input, in the order of `inputs`.
    pub flips: Vec<FlipReport>,
}

/// How many samples had one verdict.
#[derive(Debug, Clone, Serialize)]
pub struct Share {
    /// The verdict.
    pub verdict: Verdict,
    /// The samples with it.
    pub samples: u64,
    /// `samples` over all samples, to six decimals.
    pub share: f64,
    /// The Wilson 95% confidence interval of the share: its lower end (six decimals); for a
    /// grid, whose shares are exact, the share.
    pub low: f64,
    /// Its upper end.
    pub high: f64,
}

/// Where one provision's verdict turns on one input.
#[derive(Debug, Clone, Serialize)]
pub struct FlipReport {
    /// The input's name, as in `inputs`.
    pub input: String,
    /// What was found.
    #[serde(flatten)]
    pub flip: Flip,
}

/// Why a sweep did not run.
#[derive(Debug)]
pub enum SweepError {
    /// The request cannot be met (a grid too large): a usage error.
    Usage(Problem),
    /// A sample could not be evaluated: the first such, by sample number.
    Eval(EvalError),
}

/// How many samples [`sweep`] will evaluate: `request.samples`, or with `grid` the number
/// of combinations (a usage problem when there are more than `request.samples`).
pub fn sample_count(model: &Model, facts: &Facts, request: &Request) -> Result<u64, Problem> {
    if request.grid {
        run::grid_size(&inputs::plan(model, facts).inputs, request.samples)
    } else {
        Ok(request.samples)
    }
}

/// Sweep `facts` for `model`: draw, evaluate and tally `request.samples` samples (every
/// combination, with `grid`). `progress` is called with the number of samples done since
/// its last call, from any thread.
pub fn sweep(
    model: &Model,
    facts: &Facts,
    request: &Request,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Sweep, SweepError> {
    let plan = inputs::plan(model, facts);
    let samples = if request.grid {
        run::grid_size(&plan.inputs, request.samples).map_err(SweepError::Usage)?
    } else {
        request.samples
    };
    // The model made ready once, for this report and every sample of every thread.
    let evaluator = eval::Evaluator::new(model);
    // The shape of every sample's report: parties and provisions do not change with values.
    let first = evaluator
        .evaluate(facts, &request.options)
        .map_err(SweepError::Eval)?;
    let cells: usize = first.parties.iter().map(|p| p.provisions.len()).sum();
    let tally = run::run(
        &evaluator,
        facts,
        &plan.inputs,
        request,
        samples,
        cells,
        progress,
    )
    .map_err(SweepError::Eval)?;
    let mut cell = 0usize;
    let parties = first
        .parties
        .iter()
        .map(|party| PartySweep {
            party: party.party.clone(),
            provisions: party
                .provisions
                .iter()
                .map(|provision| {
                    let summary = summarise(&tally, cell, provision, &plan.inputs, request.grid);
                    cell = cell.saturating_add(1);
                    summary
                })
                .collect(),
        })
        .collect();
    Ok(Sweep {
        format: FORMAT,
        position: first.position,
        scenario: first.scenario,
        readings: first.readings,
        method: if request.grid { "grid" } else { "monte_carlo" },
        seed: (!request.grid).then_some(request.seed),
        samples,
        inputs: plan.inputs,
        left_unknown: plan.left_unknown,
        not_stated: plan.not_stated,
        parties,
    })
}

/// A share to six decimals: more would be noise.
fn rounded(share: f64) -> f64 {
    (share * 1e6).round() / 1e6
}

/// One cell's shares and flips.
fn summarise(
    tally: &Tally,
    cell: usize,
    provision: &crate::report::ProvisionReport,
    inputs: &[Input],
    exhaustive: bool,
) -> ProvisionSweep {
    let counts = tally.counts(cell);
    let total: u64 = counts.iter().sum();
    let verdicts = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(v, &samples)| {
            // A grid counts every combination: its shares are exact.
            let (low, high) = if exhaustive {
                let share = stats::ratio(samples, total);
                (share, share)
            } else {
                stats::wilson(samples, total)
            };
            Share {
                verdict: stats::verdict_at(v),
                samples,
                share: rounded(stats::ratio(samples, total)),
                low: rounded(low),
                high: rounded(high),
            }
        })
        .collect();
    let flips = inputs
        .iter()
        .enumerate()
        .flat_map(|(index, input)| {
            tally
                .flips(cell, index, input, exhaustive)
                .into_iter()
                .map(|flip| FlipReport {
                    input: input.name.clone(),
                    flip,
                })
        })
        .collect();
    ProvisionSweep {
        id: provision.id.clone(),
        kind: provision.kind,
        verdicts,
        flips,
    }
}
