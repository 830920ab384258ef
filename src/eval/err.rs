//! Errors of the evaluation stage.
//!
//! Evaluation works on a checked model and validated facts, so the only errors left are limits
//! (counts too large for 64 bits, too many reading combinations, nesting too deep) and
//! inconsistencies between the model and the facts that the earlier stages should have caught.
//! None of them points into a file: the evaluator does no I/O and holds no source text.
//!
//! Inside a world, evaluation fails with a `Fault`, which knows nothing of the provision or
//! party; the provision's evaluation turns it into an [`EvalError`] that names both.

use miette::Diagnostic;
use thiserror::Error;

use super::MAX_DEPTH;
use crate::model::Provision;

/// Why an evaluation could not produce a report.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
pub enum EvalError {
    /// A count or weighted sum does not fit in 64 bits.
    #[error("a count overflowed while evaluating `{provision}` for {party}")]
    #[diagnostic(
        code(treaty::eval::overflow),
        help(
            "a holding's count or weight is too large: counts and weighted sums must fit in 64 bits"
        )
    )]
    Overflow {
        /// The provision being evaluated.
        provision: String,
        /// The party it was evaluated for.
        party: String,
    },

    /// `--all-readings` would evaluate more than [`MAX_READING_COMBINATIONS`](super::MAX_READING_COMBINATIONS)
    /// combinations.
    #[error("{combinations} combinations of readings, more than the limit of {limit}")]
    #[diagnostic(
        code(treaty::eval::too_many_readings),
        help(
            "settle some readings with `--reading NAME=VARIANT`: `--all-readings` then varies only the others"
        )
    )]
    TooManyReadings {
        /// How many combinations there are (in words when beyond a `usize`).
        combinations: String,
        /// The most that are evaluated.
        limit: usize,
    },

    /// [`Options::readings`](super::Options::readings) has not one variant per reading.
    #[error("{found} reading choices given, but the position has {expected} readings")]
    #[diagnostic(code(treaty::eval::readings))]
    ReadingCount {
        /// The position's readings.
        expected: usize,
        /// The choices given.
        found: usize,
    },

    /// A reading choice names a variant the reading does not have.
    #[error("reading `{reading}` has no variant number {variant}")]
    #[diagnostic(code(treaty::eval::variant))]
    NoSuchVariant {
        /// The reading's name.
        reading: String,
        /// The variant asked for, by index.
        variant: usize,
    },

    /// [`Options::party`](super::Options::party) is not a party of the scenario.
    #[error("party number {party} is not among the parties of the scenario")]
    #[diagnostic(code(treaty::eval::party))]
    NoSuchParty {
        /// The party asked for (index into `Model::parties`).
        party: usize,
    },

    /// Expressions or category references nest beyond [`MAX_DEPTH`].
    #[error("expressions nest more than {limit} levels deep while evaluating `{provision}`")]
    #[diagnostic(
        code(treaty::eval::too_deep),
        help(
            "a category may refer to itself through `in category`; split deep expressions into named categories"
        )
    )]
    TooDeep {
        /// The provision being evaluated.
        provision: String,
        /// The deepest nesting evaluated.
        limit: usize,
    },

    /// A weight of a sum is negative, fractional or not finite.
    #[error("holding `{holding}` has an invalid weight in `{provision}`: {detail}")]
    #[diagnostic(
        code(treaty::eval::invalid_weight),
        help("weights of a sum must be whole numbers of zero or more")
    )]
    InvalidWeight {
        /// The provision being evaluated.
        provision: String,
        /// The holding whose weight it is.
        holding: String,
        /// The attribute and its value.
        detail: String,
    },

    /// The rule file given to `eval` or `compare` is a vocabulary, holds no position, or
    /// names no parties ([`require_position`](super::require_position)).
    #[error("`{file}` {what}: {command} needs a position, treaty, proposal or protocol")]
    #[diagnostic(code(treaty::eval::not_a_position), help("{help}"))]
    NotAPosition {
        /// The rule file, as named.
        file: String,
        /// What it is instead: `is a vocabulary, not a position`, `holds no position`, …
        what: String,
        /// The command that was given it.
        command: String,
        /// How to fix it.
        help: String,
    },

    /// The model and the facts disagree: a bug upstream of the evaluator.
    #[error("the model and the facts disagree while evaluating `{provision}`: {detail}")]
    #[diagnostic(
        code(treaty::eval::inconsistent),
        help(
            "this is a bug in treaty: the checker or the scenario loader let an inconsistency through; please report it"
        )
    )]
    Inconsistent {
        /// The provision being evaluated.
        provision: String,
        /// What disagreed.
        detail: String,
    },
}

/// Why evaluating an expression failed; turned into an [`EvalError`] at provision level.
#[derive(Debug)]
pub(super) enum Fault {
    Overflow,
    TooDeep,
    Weight { holding: String, detail: String },
    Inconsistent(String),
}

impl Fault {
    /// The error for `provision`, evaluated for `party`.
    pub(super) fn into_error(self, provision: &Provision, party: String) -> EvalError {
        let id = provision.id.clone();
        match self {
            Fault::Overflow => EvalError::Overflow {
                provision: id,
                party,
            },
            Fault::TooDeep => EvalError::TooDeep {
                provision: id,
                limit: MAX_DEPTH,
            },
            Fault::Weight { holding, detail } => EvalError::InvalidWeight {
                provision: id,
                holding,
                detail,
            },
            Fault::Inconsistent(detail) => EvalError::Inconsistent {
                provision: id,
                detail,
            },
        }
    }
}

/// One level deeper than `depth`, or [`Fault::TooDeep`] beyond [`MAX_DEPTH`].
pub(super) fn deeper(depth: usize) -> Result<usize, Fault> {
    match depth.checked_add(1) {
        Some(next) if next <= MAX_DEPTH => Ok(next),
        _ => Err(Fault::TooDeep),
    }
}

/// The model and the facts disagree: a bug upstream of the evaluator.
pub(super) fn inconsistent<T>(detail: impl Into<String>) -> Result<T, Fault> {
    Err(Fault::Inconsistent(detail.into()))
}
