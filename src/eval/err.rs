//! Errors of the evaluation stage.
//!
//! Evaluation works on a checked model and validated facts, so the only errors left are limits
//! (counts too large for 64 bits, too many reading combinations, nesting too deep) and
//! inconsistencies between the model and the facts that the earlier stages should have caught.
//! None of them points into a file: the evaluator does no I/O and holds no source text.
//!
//! Inside a world, evaluation fails with a [`Fault`], which knows nothing of the provision or
//! party; the provision's evaluation turns it into an [`EvalError`] that names both.

use miette::Diagnostic;
use thiserror::Error;

use super::MAX_DEPTH;
use crate::model::Provision;

/// Why an evaluation could not produce a report.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
pub enum EvalError {
    #[error("a count overflowed while evaluating `{provision}` for {party}")]
    #[diagnostic(
        code(treaty::eval::overflow),
        help(
            "a holding's count or weight is too large: counts and weighted sums must fit in 64 bits"
        )
    )]
    Overflow { provision: String, party: String },

    #[error("{combinations} combinations of readings, more than the limit of {limit}")]
    #[diagnostic(
        code(treaty::eval::too_many_readings),
        help(
            "settle some readings with `--reading NAME=VARIANT`: `--all-readings` then varies only the others"
        )
    )]
    TooManyReadings { combinations: String, limit: usize },

    #[error("{found} reading choices given, but the position has {expected} readings")]
    #[diagnostic(code(treaty::eval::readings))]
    ReadingCount { expected: usize, found: usize },

    #[error("reading `{reading}` has no variant number {variant}")]
    #[diagnostic(code(treaty::eval::variant))]
    NoSuchVariant { reading: String, variant: usize },

    #[error("party number {party} is not among the parties of the scenario")]
    #[diagnostic(code(treaty::eval::party))]
    NoSuchParty { party: usize },

    #[error("expressions nest more than {limit} levels deep while evaluating `{provision}`")]
    #[diagnostic(
        code(treaty::eval::too_deep),
        help(
            "a category may refer to itself through `in category`; split deep expressions into named categories"
        )
    )]
    TooDeep { provision: String, limit: usize },

    #[error("holding `{holding}` has an invalid weight in `{provision}`: {detail}")]
    #[diagnostic(
        code(treaty::eval::invalid_weight),
        help("weights of a sum must be whole numbers of zero or more")
    )]
    InvalidWeight {
        provision: String,
        holding: String,
        detail: String,
    },

    #[error("the model and the facts disagree while evaluating `{provision}`: {detail}")]
    #[diagnostic(
        code(treaty::eval::inconsistent),
        help(
            "this is a bug in treaty: the checker or the scenario loader let an inconsistency through; please report it"
        )
    )]
    Inconsistent { provision: String, detail: String },
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
