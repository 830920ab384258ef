//! Counting verdicts as samples come, in memory that does not grow with the samples, and
//! what the counts show: shares with confidence intervals, and where verdicts flip.
//!
//! Every figure is a count, a least or a greatest value: adding samples in any order, on any
//! number of threads, gives the same tallies, so a sweep is the same whatever the threads.

use serde::Serialize;

use super::inputs::{Input, Values};
use crate::lang::Verdict;

/// The verdicts, in [`Verdict::ALL`]'s order.
const VERDICTS: usize = 6;

/// How many provision verdicts (cells: a party and a provision) and what is kept of them.
#[derive(Debug, Clone)]
pub struct Tally {
    /// By cell: the samples of each verdict.
    counts: Vec<[u64; VERDICTS]>,
    /// By cell and numeric input: the least and greatest value of the input among the
    /// samples of each verdict.
    ranges: Vec<[(f64, f64); VERDICTS]>,
    /// By cell, choice input and value: the samples of each verdict.
    by_value: Vec<[u64; VERDICTS]>,
    /// Per input: its offset in `ranges` (numeric) or `by_value` (choice) for cell 0.
    layout: Vec<Place>,
    /// Numeric inputs, choice values: per cell.
    numeric: usize,
    values: usize,
}

#[derive(Debug, Clone, Copy)]
enum Place {
    Numeric(usize),
    Choice(usize),
}

impl Tally {
    /// Nothing counted yet, for `cells` cells and these inputs.
    pub fn new(cells: usize, inputs: &[Input]) -> Tally {
        let mut layout = Vec::with_capacity(inputs.len());
        let (mut numeric, mut values) = (0usize, 0usize);
        for input in inputs {
            match &input.values {
                Values::Choice { choices, .. } => {
                    layout.push(Place::Choice(values));
                    values = values.saturating_add(choices.len());
                }
                Values::Integers { .. } | Values::Reals { .. } => {
                    layout.push(Place::Numeric(numeric));
                    numeric = numeric.saturating_add(1);
                }
            }
        }
        Tally {
            counts: vec![[0; VERDICTS]; cells],
            ranges: vec![
                [(f64::INFINITY, f64::NEG_INFINITY); VERDICTS];
                cells.saturating_mul(numeric)
            ],
            by_value: vec![[0; VERDICTS]; cells.saturating_mul(values)],
            layout,
            numeric,
            values,
        }
    }

    /// Count one sample: the verdict of each cell, and the value drawn for each input.
    pub fn add(&mut self, verdicts: impl Iterator<Item = Verdict>, drawn: &[f64]) {
        for (cell, verdict) in verdicts.enumerate() {
            let v = index_of(verdict);
            if let Some(count) = self.counts.get_mut(cell).and_then(|c| c.get_mut(v)) {
                *count = count.saturating_add(1);
            }
            for (place, &value) in self.layout.iter().zip(drawn) {
                match *place {
                    Place::Numeric(offset) => {
                        let at = cell.saturating_mul(self.numeric).saturating_add(offset);
                        if let Some((low, high)) =
                            self.ranges.get_mut(at).and_then(|r| r.get_mut(v))
                        {
                            *low = low.min(value);
                            *high = high.max(value);
                        }
                    }
                    Place::Choice(offset) => {
                        let chosen = value as usize;
                        let at = cell
                            .saturating_mul(self.values)
                            .saturating_add(offset)
                            .saturating_add(chosen);
                        if let Some(count) = self.by_value.get_mut(at).and_then(|c| c.get_mut(v)) {
                            *count = count.saturating_add(1);
                        }
                    }
                }
            }
        }
    }

    /// Both tallies in one.
    pub fn merge(mut self, other: &Tally) -> Tally {
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a = a.saturating_add(*b);
            }
        }
        for (mine, theirs) in self.by_value.iter_mut().zip(&other.by_value) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a = a.saturating_add(*b);
            }
        }
        for (mine, theirs) in self.ranges.iter_mut().zip(&other.ranges) {
            for ((low, high), (other_low, other_high)) in mine.iter_mut().zip(theirs) {
                *low = low.min(*other_low);
                *high = high.max(*other_high);
            }
        }
        self
    }

    /// The samples of each verdict in `cell`.
    pub fn counts(&self, cell: usize) -> [u64; VERDICTS] {
        self.counts.get(cell).copied().unwrap_or_default()
    }

    /// Where the verdicts of `cell` flip on `input` (number `index`), as far as the samples
    /// show it. `exhaustive`: the samples are every combination (a grid), so what they show is
    /// not a chance.
    pub fn flips(&self, cell: usize, index: usize, input: &Input, exhaustive: bool) -> Vec<Flip> {
        let counts = self.counts(cell);
        let total: u64 = counts.iter().sum();
        if counts.iter().filter(|&&c| c > 0).count() < 2 {
            return Vec::new();
        }
        match self.layout.get(index) {
            Some(Place::Numeric(offset)) => {
                let at = cell.saturating_mul(self.numeric).saturating_add(*offset);
                let Some(ranges) = self.ranges.get(at) else {
                    return Vec::new();
                };
                numeric_flips(ranges, &counts, total, input, exhaustive)
            }
            Some(Place::Choice(offset)) => {
                let Values::Choice { choices, .. } = &input.values else {
                    return Vec::new();
                };
                let base = cell.saturating_mul(self.values).saturating_add(*offset);
                let mut flips = Vec::new();
                for (value, name) in choices.iter().enumerate() {
                    let Some(by_verdict) = self.by_value.get(base.saturating_add(value)) else {
                        continue;
                    };
                    let samples: u64 = by_verdict.iter().sum();
                    let only = by_verdict.iter().position(|&c| c > 0 && c == samples);
                    if let Some(v) = only {
                        let share = ratio(counts.get(v).copied().unwrap_or(0), total);
                        if exhaustive || unlikely_by_chance(share, samples as f64) {
                            flips.push(Flip::Value {
                                value: name.clone(),
                                verdict: verdict_at(v),
                                samples,
                            });
                        }
                    }
                }
                flips
            }
            None => Vec::new(),
        }
    }
}

/// What the samples show of a verdict and one input; values in the input's unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Flip {
    /// Every sample at or below `last_below` has `below`, every one at or above
    /// `first_above` has `above`; `at` is the midpoint, or `last_below` when no whole number
    /// lies between (an exact boundary).
    Threshold {
        /// The verdict below.
        below: Verdict,
        /// The verdict above.
        above: Verdict,
        /// The greatest value drawn with `below`.
        last_below: f64,
        /// The least value drawn with `above`.
        first_above: f64,
        /// Where it flips.
        at: f64,
        /// `last_below` and `first_above` are neighbouring whole numbers.
        exact: bool,
    },
    /// Every sample with the input above `at` has `verdict` (others have other verdicts
    /// too, at or below it).
    Above {
        /// The verdict.
        verdict: Verdict,
        /// The greatest value drawn with another verdict.
        at: f64,
    },
    /// Every sample with the input below `at` has `verdict`.
    Below {
        /// The verdict.
        verdict: Verdict,
        /// The least value drawn with another verdict.
        at: f64,
    },
    /// Every sample with the input at `value` has `verdict`.
    Value {
        /// The value, by name.
        value: String,
        /// The verdict.
        verdict: Verdict,
        /// How many samples drew it.
        samples: u64,
    },
}

/// The flips of one numeric input, from the least and greatest value of each verdict.
fn numeric_flips(
    ranges: &[(f64, f64); VERDICTS],
    counts: &[u64; VERDICTS],
    total: u64,
    input: &Input,
    exhaustive: bool,
) -> Vec<Flip> {
    let mut present: Vec<(usize, f64, f64)> = ranges
        .iter()
        .enumerate()
        .filter(|(v, _)| counts.get(*v).is_some_and(|&c| c > 0))
        .map(|(v, &(low, high))| (v, low, high))
        .collect();
    present.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let integers = matches!(input.values, Values::Integers { .. });
    let separated = present.windows(2).all(|w| match w {
        [a, b] => a.2 < b.1,
        _ => true,
    });
    if separated {
        return present
            .windows(2)
            .filter_map(|w| {
                let [(below, _, last_below), (above, first_above, _)] = *w else {
                    return None;
                };
                let n_below = counts.get(below).copied().unwrap_or(0);
                let n_above = counts.get(above).copied().unwrap_or(0);
                if !exhaustive && !separated_beyond_chance(n_below, n_above) {
                    return None;
                }
                let exact = integers && first_above - last_below <= 1.0;
                Some(Flip::Threshold {
                    below: verdict_at(below),
                    above: verdict_at(above),
                    last_below,
                    first_above,
                    at: if exact {
                        last_below
                    } else {
                        (last_below + first_above) / 2.0
                    },
                    exact,
                })
            })
            .collect();
    }
    let mut flips = Vec::new();
    // The verdict drawn at the greatest values, alone above every other verdict's values.
    let top = present
        .iter()
        .max_by(|a, b| a.2.total_cmp(&b.2).then(b.0.cmp(&a.0)));
    if let Some(&(v, _, high)) = top {
        let others = present
            .iter()
            .filter(|p| p.0 != v)
            .map(|p| p.2)
            .fold(f64::NEG_INFINITY, f64::max);
        if others < high {
            let share = ratio(counts.get(v).copied().unwrap_or(0), total);
            let expected = total as f64 * mass_above(&input.values, others);
            if exhaustive || unlikely_by_chance(share, expected) {
                flips.push(Flip::Above {
                    verdict: verdict_at(v),
                    at: others,
                });
            }
        }
    }
    let bottom = present
        .iter()
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    if let Some(&(v, low, _)) = bottom {
        let others = present
            .iter()
            .filter(|p| p.0 != v)
            .map(|p| p.1)
            .fold(f64::INFINITY, f64::min);
        if low < others {
            let share = ratio(counts.get(v).copied().unwrap_or(0), total);
            let expected = total as f64 * mass_below(&input.values, others);
            if exhaustive || unlikely_by_chance(share, expected) {
                flips.push(Flip::Below {
                    verdict: verdict_at(v),
                    at: others,
                });
            }
        }
    }
    flips
}

/// The chance of drawing a value above `at`.
fn mass_above(values: &Values, at: f64) -> f64 {
    match *values {
        Values::Integers { min, max, .. } => {
            let (min, max) = (min as f64, max as f64);
            ((max - at.floor()) / (max - min + 1.0)).clamp(0.0, 1.0)
        }
        Values::Reals { min, max, .. } => ((max - at) / (max - min)).clamp(0.0, 1.0),
        Values::Choice { .. } => 0.0,
    }
}

/// The chance of drawing a value below `at`.
fn mass_below(values: &Values, at: f64) -> f64 {
    match *values {
        Values::Integers { min, max, .. } => {
            let (min, max) = (min as f64, max as f64);
            ((at.ceil() - min) / (max - min + 1.0)).clamp(0.0, 1.0)
        }
        Values::Reals { min, max, .. } => ((at - min) / (max - min)).clamp(0.0, 1.0),
        Values::Choice { .. } => 0.0,
    }
}

/// Whether `samples` samples all having a verdict whose share is `share` would happen by
/// chance less than once in a thousand, were the input not to matter.
fn unlikely_by_chance(share: f64, samples: f64) -> bool {
    share < 1.0 && samples * share.ln() <= (0.001f64).ln()
}

/// Whether `below` samples of one verdict all drawn below `above` samples of another would
/// happen by chance less than once in a thousand, were the input not to matter: one in
/// C(below + above, below) orderings.
fn separated_beyond_chance(below: u64, above: u64) -> bool {
    let n = below.saturating_add(above) as f64;
    let k = below.min(above);
    let target = (1000f64).ln();
    let mut ln_choose = 0.0;
    let mut i = 0u64;
    while i < k {
        i = i.saturating_add(1);
        ln_choose += ((n - k as f64 + i as f64) / i as f64).ln();
        if ln_choose >= target {
            return true;
        }
    }
    false
}

/// `part / whole`, 0 for none.
pub fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The Wilson score interval at 95% for `part` successes in `whole` trials.
pub fn wilson(part: u64, whole: u64) -> (f64, f64) {
    if whole == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054_f64;
    let n = whole as f64;
    let p = part as f64 / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    // At the ends the interval ends at 0 or 1 exactly, whatever the rounding.
    let low = if part == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if part >= whole {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (low, high)
}

/// The index of a verdict in [`Verdict::ALL`].
pub fn index_of(verdict: Verdict) -> usize {
    Verdict::ALL.iter().position(|v| *v == verdict).unwrap_or(0)
}

/// The verdict at an index of [`Verdict::ALL`].
pub fn verdict_at(index: usize) -> Verdict {
    Verdict::ALL
        .get(index)
        .copied()
        .unwrap_or(Verdict::NotEvaluable)
}
