//! Three-valued logic, comparisons of intervals, and judging a quantity against a bound.

use crate::interval::Amount;
use crate::lang::{Comparison, Verdict};
use crate::model::{Bound, Date};

/// A Kleene truth value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tri {
    False,
    True,
    Unknown,
}

impl Tri {
    pub(super) fn from_bool(value: bool) -> Tri {
        if value { Tri::True } else { Tri::False }
    }

    pub(super) fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    pub(super) fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        }
    }

    pub(super) fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }

    pub(super) fn is_unknown(self) -> bool {
        self == Tri::Unknown
    }
}

/// The join of the verdicts of several branches: equal verdicts stay; `complies` with
/// `not_applicable` is `complies`; anything else is `undetermined`.
pub(super) fn join_verdicts(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
    let mut joined: Option<Verdict> = None;
    for verdict in verdicts {
        joined = Some(match joined {
            None => verdict,
            Some(previous) if previous == verdict => verdict,
            Some(Verdict::Complies | Verdict::NotApplicable)
                if matches!(verdict, Verdict::Complies | Verdict::NotApplicable) =>
            {
                Verdict::Complies
            }
            Some(_) => Verdict::Undetermined,
        });
    }
    joined.unwrap_or(Verdict::NotEvaluable)
}

/// The bound in force at `date` and whether it replaced an earlier one.
pub(super) fn bound_in_force(bounds: &[Bound], date: Date) -> Option<(Bound, bool)> {
    let mut found = None;
    for (index, bound) in bounds.iter().enumerate() {
        if bound.from.is_none_or(|from| from <= date) {
            found = Some((*bound, index > 0));
        }
    }
    found
}

/// The verdict of `q op bound`, and the least change of `q` that would comply when violated.
pub(super) fn judge(q: Amount, op: Comparison, bound: u64) -> (Verdict, Option<u64>) {
    let bound = i128::from(bound);
    // What is known for certain: the quantity is at least `min` and at most `max`.
    let at_least = |n: i128| q.min.is_some_and(|m| m >= n);
    let at_most = |n: i128| q.max.is_some_and(|m| m <= n);
    // The least change of the quantity that would comply, as a count.
    let distance =
        |a: Option<i128>, b: i128| a.map(|a| u64::try_from(a.abs_diff(b)).unwrap_or(u64::MAX));
    match op {
        Comparison::AtMost if at_most(bound) => (Verdict::Complies, None),
        Comparison::AtMost if at_least(bound.saturating_add(1)) => {
            (Verdict::Violated, distance(q.min, bound))
        }
        Comparison::Less if at_most(bound.saturating_sub(1)) => (Verdict::Complies, None),
        Comparison::Less if at_least(bound) => (
            Verdict::Violated,
            distance(q.min, bound).map(|d| d.saturating_add(1)),
        ),
        Comparison::AtLeast if at_least(bound) => (Verdict::Complies, None),
        Comparison::AtLeast if at_most(bound.saturating_sub(1)) => {
            (Verdict::Violated, distance(q.max, bound))
        }
        Comparison::Greater if at_least(bound.saturating_add(1)) => (Verdict::Complies, None),
        Comparison::Greater if at_most(bound) => (
            Verdict::Violated,
            distance(q.max, bound).map(|d| d.saturating_add(1)),
        ),
        Comparison::Equal if q.is_exact() && q.min == Some(bound) => (Verdict::Complies, None),
        Comparison::Equal if at_least(bound.saturating_add(1)) => {
            (Verdict::Violated, distance(q.min, bound))
        }
        Comparison::Equal if at_most(bound.saturating_sub(1)) => {
            (Verdict::Violated, distance(q.max, bound))
        }
        Comparison::NotEqual if !q.contains(bound) => (Verdict::Complies, None),
        Comparison::NotEqual if q.is_exact() => (Verdict::Violated, Some(1)),
        _ => (Verdict::Undetermined, None),
    }
}

/// `[a1, a2] op [b1, b2]`: true if it holds for every pair of values, false if for none.
pub(super) fn compare_numbers(op: Comparison, (a1, a2): (f64, f64), (b1, b2): (f64, f64)) -> Tri {
    match op {
        Comparison::AtMost => {
            if a2 <= b1 {
                Tri::True
            } else if a1 > b2 {
                Tri::False
            } else {
                Tri::Unknown
            }
        }
        Comparison::Less => {
            if a2 < b1 {
                Tri::True
            } else if a1 >= b2 {
                Tri::False
            } else {
                Tri::Unknown
            }
        }
        Comparison::AtLeast => compare_numbers(Comparison::AtMost, (b1, b2), (a1, a2)),
        Comparison::Greater => compare_numbers(Comparison::Less, (b1, b2), (a1, a2)),
        Comparison::Equal => {
            if a1 == a2 && b1 == b2 && a1 == b1 {
                Tri::True
            } else if a2 < b1 || a1 > b2 {
                Tri::False
            } else {
                Tri::Unknown
            }
        }
        Comparison::NotEqual => compare_numbers(Comparison::Equal, (a1, a2), (b1, b2)).not(),
    }
}

/// `[min, max] in low..high`: true if every value is inside, false if none is.
pub(super) fn in_range(
    min: f64,
    max: f64,
    low: f64,
    low_inclusive: bool,
    high: f64,
    high_inclusive: bool,
) -> Tri {
    let above_low = |x: f64| x > low || (low_inclusive && x >= low);
    let below_high = |x: f64| x < high || (high_inclusive && x <= high);
    if above_low(min) && below_high(max) {
        Tri::True
    } else if !above_low(max) || !below_high(min) {
        Tri::False
    } else {
        Tri::Unknown
    }
}
