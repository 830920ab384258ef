//! Running the samples: one worker a thread, each with its own copy of the facts written
//! over for every sample, taking chunks of sample numbers in turn; the tallies merged.
//!
//! When every input has few values (at most [`CACHE_COMBINATIONS`] combinations), the workers
//! remember the verdicts of each combination evaluated, in one memo they share: evaluation is
//! pure, so a combination drawn again has the same verdicts, and is counted without evaluating
//! it again.

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::inputs::{self, Input, Values};
use super::stats::Tally;
use super::{Code, Request};
use crate::diagnostics::Problem;
use crate::eval::{self, EvalError};
use crate::lang::Verdict;
use crate::scenario::Facts;

/// Sample numbers a worker takes at a time.
const CHUNK: u64 = 512;

/// Combinations of the inputs' values up to which workers remember verdicts.
pub const CACHE_COMBINATIONS: u64 = 1 << 17;

/// Draw (or enumerate), evaluate and tally samples `0..samples`, on every thread. The
/// evaluation error of the earliest sample that has one, if any.
pub(super) fn run(
    evaluator: &eval::Evaluator<'_>,
    facts: &Facts,
    inputs: &[Input],
    request: &Request,
    samples: u64,
    cells: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Tally, EvalError> {
    let empty = Tally::new(cells, inputs);
    // A grid evaluates each combination once: nothing to remember.
    let cache = !request.grid && combinations(inputs).is_some_and(|n| n <= CACHE_COMBINATIONS);
    let memo = cache.then(|| RwLock::new(HashMap::new()));
    let next = AtomicU64::new(0);
    let workers = rayon::current_num_threads().max(1);
    let (tally, failure) = (0..workers)
        .into_par_iter()
        .map(|_| {
            let mut worker = Worker {
                facts: facts.clone(),
                tally: empty.clone(),
                drawn: Vec::with_capacity(inputs.len()),
                remembered: memo.as_ref(),
                failure: None,
            };
            loop {
                let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                if start >= samples || worker.failure.is_some() {
                    break;
                }
                let end = start.saturating_add(CHUNK).min(samples);
                for index in start..end {
                    worker.sample(evaluator, inputs, request, index);
                }
                progress(end.saturating_sub(start));
            }
            (worker.tally, worker.failure)
        })
        .reduce(
            || (empty.clone(), None),
            |(a, fa), (b, fb)| (a.merge(&b), first_failure(fa, fb)),
        );
    match failure {
        Some((_, error)) => Err(error),
        None => Ok(tally),
    }
}

/// One thread's share of the samples.
struct Worker<'m> {
    /// The scenario's facts, the drawn values written over them.
    facts: Facts,
    tally: Tally,
    /// The values of the sample being evaluated.
    drawn: Vec<f64>,
    /// Verdicts by combination of values, when the inputs have few combinations.
    remembered: Option<&'m Memo>,
    failure: Option<(u64, EvalError)>,
}

/// Verdicts by combination of values, shared by the workers.
type Memo = RwLock<HashMap<u64, Vec<Verdict>>>;

impl Worker<'_> {
    /// Draw sample `index`, evaluate it and count its verdicts.
    fn sample(
        &mut self,
        evaluator: &eval::Evaluator<'_>,
        inputs: &[Input],
        request: &Request,
        index: u64,
    ) {
        self.drawn.clear();
        if request.grid {
            grid_values(inputs, index, &mut self.drawn);
        } else {
            let mut rng = ChaCha8Rng::seed_from_u64(mix(mix(request.seed) ^ index));
            self.drawn
                .extend(inputs.iter().map(|i| draw(&mut rng, &i.values)));
        }
        let key = self.remembered.map(|_| combination_of(inputs, &self.drawn));
        if let (Some(remembered), Some(key)) = (self.remembered, key) {
            // A poisoned memo (a thread panicked) is only forgotten: evaluate again.
            if let Ok(memo) = remembered.read() {
                if let Some(verdicts) = memo.get(&key) {
                    self.tally.add(verdicts.iter().copied(), &self.drawn);
                    return;
                }
            }
        }
        for (input, &value) in inputs.iter().zip(&self.drawn) {
            inputs::substitute(&mut self.facts, input, value);
        }
        // The verdicts alone: a sample's report would be built only to be dropped.
        match evaluator.verdicts(&self.facts, &request.options) {
            Ok(verdicts) => {
                self.tally.add(verdicts.iter().copied(), &self.drawn);
                if let (Some(remembered), Some(key)) = (self.remembered, key) {
                    if let Ok(mut memo) = remembered.write() {
                        memo.insert(key, verdicts);
                    }
                }
            }
            Err(error) => {
                let earlier = self.failure.as_ref().is_some_and(|(at, _)| *at < index);
                if !earlier {
                    self.failure = Some((index, error));
                }
            }
        }
    }
}

/// The failure of the earlier sample: the same whatever the threads.
fn first_failure(
    a: Option<(u64, EvalError)>,
    b: Option<(u64, EvalError)>,
) -> Option<(u64, EvalError)> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// The number of combinations of the inputs' values; `None` when one is a real interval or
/// there are more than `u64` holds.
fn combinations(inputs: &[Input]) -> Option<u64> {
    inputs.iter().try_fold(1u64, |total, input| {
        total.checked_mul(input.values.count()?)
    })
}

/// The number of the combination `drawn`, the first input varying slowest: the inverse of
/// [`grid_values`].
fn combination_of(inputs: &[Input], drawn: &[f64]) -> u64 {
    let mut key = 0u64;
    for (input, &value) in inputs.iter().zip(drawn) {
        let size = input.values.count().unwrap_or(1);
        let digit = match input.values {
            Values::Integers { min, .. } => value - min as f64,
            _ => value,
        };
        key = key.wrapping_mul(size).wrapping_add(digit as u64);
    }
    key
}

/// SplitMix64's finaliser: spreads a seed and a sample number over all 64 bits.
fn mix(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// One value of `values`, uniformly: a whole number, a real number, or a choice's index.
fn draw(rng: &mut ChaCha8Rng, values: &Values) -> f64 {
    match values {
        Values::Integers { min, max, .. } => rng.random_range(*min..=*max) as f64,
        Values::Reals { min, max, .. } => rng.random_range(*min..=*max),
        Values::Choice { choices, .. } => rng.random_range(0..choices.len().max(1)) as f64,
    }
}

/// The number of combinations of the inputs' values, when a grid of at most `limit` can
/// enumerate them.
pub(super) fn grid_size(inputs: &[Input], limit: u64) -> Result<u64, Problem> {
    if let Some(real) = inputs.iter().find(|i| i.values.count().is_none()) {
        return Err(Problem::new(
            Code::GridTooLarge,
            format!(
                "`--grid` cannot enumerate {}: it takes any value of a real interval",
                real.name
            ),
        )
        .with_help("sweep it by drawing samples: leave out `--grid`"));
    }
    let total = combinations(inputs);
    match total {
        Some(total) if total <= limit => Ok(total),
        _ => {
            let total = total.map_or_else(|| "more than 2^64".to_owned(), |t| t.to_string());
            let sizes: Vec<String> = inputs
                .iter()
                .filter_map(|i| Some(format!("{} {}", i.values.count()?, i.name)))
                .collect();
            Err(Problem::new(
                Code::GridTooLarge,
                format!(
                    "`--grid` would evaluate {total} combinations, more than `--samples {limit}`"
                ),
            )
            .with_help(format!(
                "the values drawn: {}; raise `--samples`, narrow the intervals, or leave out \
                 `--grid` to draw samples",
                sizes.join(" × ")
            )))
        }
    }
}

/// The `index`-th combination of the inputs' values, the first input varying slowest.
fn grid_values(inputs: &[Input], index: u64, out: &mut Vec<f64>) {
    let mut rest = index;
    out.resize(inputs.len(), 0.0);
    for (input, slot) in inputs.iter().zip(out.iter_mut()).rev() {
        let size = input.values.count().unwrap_or(1).max(1);
        let digit = rest.checked_rem(size).unwrap_or(0);
        rest = rest.checked_div(size).unwrap_or(0);
        *slot = match input.values {
            Values::Integers { min, .. } => min as f64 + digit as f64,
            _ => digit as f64,
        };
    }
}
