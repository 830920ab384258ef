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
    /// `true` or `false`, known.
    pub(super) fn from_bool(value: bool) -> Tri {
        if value { Tri::True } else { Tri::False }
    }

    /// Kleene conjunction: false wins over unknown.
    pub(super) fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    /// Kleene disjunction: true wins over unknown.
    pub(super) fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        }
    }

    /// Negation: unknown stays unknown.
    pub(super) fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }

    /// Whether neither true nor false is known.
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
pub(super) fn bound_in_force(bounds: &[Bound], date: Date) -> Option<(&Bound, bool)> {
    let mut found = None;
    for (index, bound) in bounds.iter().enumerate() {
        if bound.from.is_none_or(|from| from <= date) {
            found = Some((bound, index > 0));
        }
    }
    found
}

/// The verdict of `q op bound`, and the least change of `q` that would comply when violated.
///
/// `<=` and `>=` are one rule seen from either side; the strict comparisons are those one
/// step over (`q < b` is `q <= b - 1` on whole numbers), and `=` is violated when either side
/// is.
pub(super) fn judge(q: Amount, op: Comparison, bound: u64) -> (Verdict, Option<u64>) {
    let bound = i128::from(bound);
    match op {
        Comparison::AtMost => one_sided(q, Side::AtMost, bound),
        Comparison::Less => one_sided(q, Side::AtMost, bound.saturating_sub(1)),
        Comparison::AtLeast => one_sided(q, Side::AtLeast, bound),
        Comparison::Greater => one_sided(q, Side::AtLeast, bound.saturating_add(1)),
        Comparison::Equal if q.is_exact() && q.min == Some(bound) => (Verdict::Complies, None),
        Comparison::Equal => [Side::AtMost, Side::AtLeast]
            .into_iter()
            .find_map(|side| side.excess(q, bound))
            .map_or((Verdict::Undetermined, None), |excess| {
                (Verdict::Violated, Some(excess))
            }),
        Comparison::NotEqual if !q.contains(bound) => (Verdict::Complies, None),
        Comparison::NotEqual if q.is_exact() => (Verdict::Violated, Some(1)),
        Comparison::NotEqual => (Verdict::Undetermined, None),
    }
}

/// Which side of its bound a one-sided limit (touching included) keeps a quantity on.
#[derive(Debug, Clone, Copy)]
enum Side {
    AtMost,
    AtLeast,
}

impl Side {
    /// Whether `value` is on the allowed side of `bound`.
    fn allows(self, value: i128, bound: i128) -> bool {
        match self {
            Side::AtMost => value <= bound,
            Side::AtLeast => value >= bound,
        }
    }

    /// The ends of `q` as (worst, best): the end farthest towards the forbidden side, and the
    /// end farthest from it. All of `q` complies when its worst end does; none of it when not
    /// even its best end does.
    fn worst_and_best(self, q: Amount) -> (Option<i128>, Option<i128>) {
        match self {
            Side::AtMost => (q.max, q.min),
            Side::AtLeast => (q.min, q.max),
        }
    }

    /// How far `q` is certainly over the limit: `None` unless every value of `q` is.
    fn excess(self, q: Amount, bound: i128) -> Option<u64> {
        let (_, best) = self.worst_and_best(q);
        let best = best.filter(|&b| !self.allows(b, bound))?;
        // The least change of the quantity that would comply, as a count.
        Some(u64::try_from(best.abs_diff(bound)).unwrap_or(u64::MAX))
    }
}

/// The verdict of a one-sided limit, touching included.
fn one_sided(q: Amount, side: Side, bound: i128) -> (Verdict, Option<u64>) {
    let (worst, _) = side.worst_and_best(q);
    if worst.is_some_and(|w| side.allows(w, bound)) {
        return (Verdict::Complies, None);
    }
    match side.excess(q, bound) {
        Some(excess) => (Verdict::Violated, Some(excess)),
        None => (Verdict::Undetermined, None),
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
