//! Counts as closed intervals of whole numbers, with checked arithmetic.
#![warn(missing_docs)]

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
mod tests;

use std::fmt;

use serde::{Deserialize, Serialize};

/// A count known to lie in `[min, max]`; `max: None` means no upper bound is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Interval {
    /// The least the count can be.
    pub min: u64,
    /// The most the count can be; `None`: no upper bound known.
    pub max: Option<u64>,
}

impl Interval {
    /// Exactly zero.
    pub const ZERO: Interval = Interval {
        min: 0,
        max: Some(0),
    };
    /// Nothing known: any count at all.
    pub const UNKNOWN: Interval = Interval { min: 0, max: None };

    /// Exactly `value`.
    pub fn exact(value: u64) -> Interval {
        Interval {
            min: value,
            max: Some(value),
        }
    }

    /// `None` when `min > max`.
    pub fn new(min: u64, max: u64) -> Option<Interval> {
        (min <= max).then_some(Interval {
            min,
            max: Some(max),
        })
    }

    /// Whether the count is known exactly.
    pub fn is_exact(self) -> bool {
        self.max == Some(self.min)
    }

    /// `None` on overflow.
    pub fn checked_add(self, other: Interval) -> Option<Interval> {
        Some(Interval {
            min: self.min.checked_add(other.min)?,
            max: match (self.max, other.max) {
                (Some(a), Some(b)) => Some(a.checked_add(b)?),
                _ => None,
            },
        })
    }

    /// `None` on overflow.
    pub fn checked_mul(self, other: Interval) -> Option<Interval> {
        let min = self.min.checked_mul(other.min)?;
        let max = match (self.max, other.max) {
            (Some(a), Some(b)) => Some(a.checked_mul(b)?),
            // An unbounded factor times a factor that may be zero is still unbounded.
            (Some(0), None) | (None, Some(0)) => Some(0),
            _ => None,
        };
        Some(Interval { min, max })
    }

    /// The smallest interval holding both (the join of two branches).
    pub fn hull(self, other: Interval) -> Interval {
        Interval {
            min: self.min.min(other.min),
            max: match (self.max, other.max) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            },
        }
    }

    /// Whether the count may be `value`.
    pub fn contains(self, value: u64) -> bool {
        value >= self.min && self.max.is_none_or(|max| value <= max)
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max {
            Some(max) if max == self.min => write!(f, "{max}"),
            Some(max) => write!(f, "{}..{max}", self.min),
            None if self.min == 0 => f.write_str("unknown"),
            None => write!(f, "{}..unknown", self.min),
        }
    }
}

/// The measured quantity of a limit: a count, or a sum, difference or product of counts.
/// Unlike a count it may be negative (`count of a - count of b`). `None` means no bound is
/// known on that side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Amount {
    /// The least the amount can be; `None`: no lower bound known.
    pub min: Option<i128>,
    /// The most the amount can be; `None`: no upper bound known.
    pub max: Option<i128>,
}

impl From<Interval> for Amount {
    fn from(count: Interval) -> Amount {
        Amount {
            min: Some(i128::from(count.min)),
            max: count.max.map(i128::from),
        }
    }
}

impl Amount {
    /// Exactly `value`.
    pub fn exact(value: i128) -> Amount {
        Amount {
            min: Some(value),
            max: Some(value),
        }
    }

    /// Whether the amount is known exactly.
    pub fn is_exact(self) -> bool {
        self.min.is_some() && self.min == self.max
    }

    /// `None` on overflow.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        Some(Amount {
            min: both(self.min, other.min, i128::checked_add)?,
            max: both(self.max, other.max, i128::checked_add)?,
        })
    }

    /// `self - other` over all values of both: exact, negative results included.
    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        Some(Amount {
            min: both(self.min, other.max, i128::checked_sub)?,
            max: both(self.max, other.min, i128::checked_sub)?,
        })
    }

    /// `None` on overflow. Unbounded ends give an unbounded product unless the other factor
    /// is exactly zero.
    pub fn checked_mul(self, other: Amount) -> Option<Amount> {
        if self == Amount::exact(0) || other == Amount::exact(0) {
            return Some(Amount::exact(0));
        }
        let (Some(a1), Some(a2), Some(b1), Some(b2)) = (self.min, self.max, other.min, other.max)
        else {
            // Both factors non-negative: the lower end is still the product of the lower ends.
            let non_negative =
                self.min.is_some_and(|m| m >= 0) && other.min.is_some_and(|m| m >= 0);
            return Some(Amount {
                min: match (non_negative, self.min, other.min) {
                    (true, Some(a), Some(b)) => Some(a.checked_mul(b)?),
                    _ => None,
                },
                max: None,
            });
        };
        let corners = [
            a1.checked_mul(b1)?,
            a1.checked_mul(b2)?,
            a2.checked_mul(b1)?,
            a2.checked_mul(b2)?,
        ];
        Some(Amount {
            min: corners.iter().copied().min(),
            max: corners.iter().copied().max(),
        })
    }

    /// The smallest amount holding both (the join of two branches).
    pub fn hull(self, other: Amount) -> Amount {
        Amount {
            min: self.min.zip(other.min).map(|(a, b)| a.min(b)),
            max: self.max.zip(other.max).map(|(a, b)| a.max(b)),
        }
    }

    /// Whether the amount may be `value`.
    pub fn contains(self, value: i128) -> bool {
        self.min.is_none_or(|m| value >= m) && self.max.is_none_or(|m| value <= m)
    }
}

/// Apply `op` to two ends; an unknown end stays unknown; `None` (outer) on overflow.
fn both(
    a: Option<i128>,
    b: Option<i128>,
    op: fn(i128, i128) -> Option<i128>,
) -> Option<Option<i128>> {
    match (a, b) {
        (Some(a), Some(b)) => op(a, b).map(Some),
        _ => Some(None),
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.min, self.max) {
            (Some(min), Some(max)) if min == max => write!(f, "{min}"),
            (Some(min), Some(max)) => write!(f, "{min}..{max}"),
            (Some(0), None) | (None, None) => f.write_str("unknown"),
            (Some(min), None) => write!(f, "{min}..unknown"),
            (None, Some(max)) => write!(f, "unknown..{max}"),
        }
    }
}
