//! Errors of the evaluation stage.
//!
//! Evaluation works on a checked model and validated facts, so the only errors left are limits
//! (counts too large for 64 bits, too many reading combinations, nesting too deep) and
//! inconsistencies between the model and the facts that the earlier stages should have caught.
//! None of them points into a file: the evaluator does no I/O and holds no source text.

use miette::Diagnostic;
use thiserror::Error;

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
