//! The integer program of a reduction, handed to a solver: `good_lp` with `microlp`, a
//! pure-Rust branch and bound. The caller checks the answer exactly, in whole numbers.

use std::panic::{AssertUnwindSafe, catch_unwind};

use good_lp::{
    Expression, ProblemVariables, ResolutionError, Solution, SolutionStatus, SolverModel, Variable,
    WithTimeLimit, microlp, variable,
};

/// The solver gives up after this many seconds (the programs of real scenarios take
/// milliseconds); what it found by then is reported as not proven smallest.
const TIME_LIMIT_SECONDS: f64 = 10.0;

/// How a row's left side compares with its right side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Relation {
    AtLeast,
    AtMost,
    Equal,
}

/// `Σ coefficients[i] × x[i]  relation  rhs`.
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub(super) coefficients: Vec<i128>,
    pub(super) relation: Relation,
    pub(super) rhs: i128,
}

/// Minimise `Σ objective[i] × x[i]` over whole numbers `0 <= x[i] <= upper[i]` subject to
/// `rows`.
#[derive(Debug, Clone)]
pub(super) struct Program {
    pub(super) upper: Vec<u64>,
    pub(super) objective: Vec<i128>,
    pub(super) rows: Vec<Row>,
}

/// Why a program has no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Failure {
    /// No whole numbers meet every row.
    Infeasible,
    /// The numbers are beyond what the solver represents exactly.
    TooLarge,
    /// The solver failed; the message says how.
    Solver(String),
}

/// The answer: a value for each variable, and whether the solver proved it smallest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Answer {
    pub(super) values: Vec<u64>,
    pub(super) optimal: bool,
}

/// The solver takes bounds of integer variables as 32-bit integers, and works in `f64`:
/// every number handed to it must be exact there.
const MAX_UPPER: u64 = i32::MAX as u64;
const MAX_EXACT: i128 = 1 << 52;

impl Program {
    /// The smallest objective over the program, checked exactly.
    pub(super) fn minimise(&self) -> Result<Answer, Failure> {
        if self.upper.iter().any(|&u| u > MAX_UPPER) || !self.numbers_are_exact() {
            return Err(Failure::TooLarge);
        }
        let attempt = catch_unwind(AssertUnwindSafe(|| self.solve()));
        let answer = match attempt {
            Ok(result) => result?,
            // microlp documents that it may panic on hard problems: an error, not a crash.
            Err(_) => return Err(Failure::Solver("the solver stopped unexpectedly".into())),
        };
        if self.holds(&answer.values) {
            Ok(answer)
        } else {
            Err(Failure::Solver(
                "the solver's answer does not meet every provision when checked".into(),
            ))
        }
    }

    fn numbers_are_exact(&self) -> bool {
        let exact = |n: &i128| n.unsigned_abs() <= MAX_EXACT.unsigned_abs();
        self.objective.iter().all(exact)
            && self
                .rows
                .iter()
                .all(|row| exact(&row.rhs) && row.coefficients.iter().all(exact))
    }

    fn solve(&self) -> Result<Answer, Failure> {
        let mut variables = ProblemVariables::new();
        let xs: Vec<_> = self
            .upper
            .iter()
            .map(|&upper| variables.add(variable().integer().min(0).max(to_f64(upper))))
            .collect();
        let objective = linear(&xs, &self.objective);
        let mut model = variables
            .minimise(objective)
            .using(microlp)
            .with_time_limit(TIME_LIMIT_SECONDS);
        for row in &self.rows {
            let left = linear(&xs, &row.coefficients);
            let rhs = to_f64(row.rhs);
            model = model.with(match row.relation {
                Relation::AtLeast => left.geq(rhs),
                Relation::AtMost => left.leq(rhs),
                Relation::Equal => left.eq(rhs),
            });
        }
        let solution = model.solve().map_err(|error| match error {
            ResolutionError::Infeasible => Failure::Infeasible,
            other => Failure::Solver(other.to_string()),
        })?;
        let values = xs
            .iter()
            .map(|&x| {
                let value = solution.value(x).round();
                // Bounded by 0 and an upper bound that fits 32 bits.
                if value.is_finite() && value >= 0.0 {
                    #[expect(
                        clippy::cast_possible_truncation,
                        clippy::cast_sign_loss,
                        reason = "a whole number from 0 to 2^31"
                    )]
                    let whole = value as u64;
                    whole
                } else {
                    0
                }
            })
            .collect();
        Ok(Answer {
            values,
            optimal: matches!(solution.status(), SolutionStatus::Optimal),
        })
    }

    /// Whether `values` meet every bound and row, in whole numbers.
    pub(super) fn holds(&self, values: &[u64]) -> bool {
        if values.len() != self.upper.len() || values.iter().zip(&self.upper).any(|(v, u)| v > u) {
            return false;
        }
        self.rows.iter().all(|row| {
            let left = row
                .coefficients
                .iter()
                .zip(values)
                .try_fold(0i128, |sum, (&c, &v)| {
                    c.checked_mul(i128::from(v))
                        .and_then(|term| sum.checked_add(term))
                });
            match left {
                Some(left) => match row.relation {
                    Relation::AtLeast => left >= row.rhs,
                    Relation::AtMost => left <= row.rhs,
                    Relation::Equal => left == row.rhs,
                },
                None => false,
            }
        })
    }

    /// The objective at `values`.
    pub(super) fn cost(&self, values: &[u64]) -> i128 {
        self.objective
            .iter()
            .zip(values)
            .fold(0i128, |sum, (&c, &v)| {
                sum.saturating_add(c.saturating_mul(i128::from(v)))
            })
    }
}

/// `Σ coefficients[i] × xs[i]`, zero terms left out.
fn linear(xs: &[Variable], coefficients: &[i128]) -> Expression {
    let mut expression = Expression::with_capacity(xs.len());
    for (x, &c) in xs.iter().zip(coefficients) {
        if c != 0 {
            expression.add_mul(to_f64(c), *x);
        }
    }
    expression
}

/// A whole number the solver represents exactly (checked by the caller).
fn to_f64<N: Into<i128>>(n: N) -> f64 {
    #[expect(
        clippy::cast_precision_loss,
        reason = "numbers are at most 2^52 (checked before solving)"
    )]
    let value = n.into() as f64;
    value
}
