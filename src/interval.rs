//! Counts as closed intervals of whole numbers, with checked arithmetic.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A count known to lie in `[min, max]`; `max: None` means no upper bound is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Interval {
    pub min: u64,
    pub max: Option<u64>,
}

impl Interval {
    pub const ZERO: Interval = Interval {
        min: 0,
        max: Some(0),
    };
    /// Nothing known: any count at all.
    pub const UNKNOWN: Interval = Interval { min: 0, max: None };

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

    /// `self - other` over all values of both, floored at zero (a count is never negative).
    pub fn saturating_sub(self, other: Interval) -> Interval {
        let min = match other.max {
            Some(other_max) => self.min.saturating_sub(other_max),
            None => 0,
        };
        let max = self.max.map(|m| m.saturating_sub(other.min));
        Interval { min, max }
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
