//! Running the language's `test` blocks: a `test` block names a scenario and the verdicts
//! expected on it; [`run_test`] evaluates the scenario and compares.

use crate::lang::Verdict;
use std::fmt;

use miette::Diagnostic;

use crate::eval::{self, Options};
use crate::interval::Amount;
use crate::model::{Model, Test};

/// One expectation of a test, and what evaluation found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectationResult {
    /// The provision's id.
    pub provision: String,
    /// The party the verdict is about.
    pub party: String,
    /// The verdict the test expects.
    pub expected: Verdict,
    /// `None`: the provision does not apply to the party (no verdict at all).
    pub actual: Option<Verdict>,
    /// `with N..M`: the quantity the test expects with the verdict.
    pub expected_quantity: Option<Amount>,
    /// The quantity evaluation found, when it found one.
    pub actual_quantity: Option<Amount>,
}

impl ExpectationResult {
    /// Whether evaluation found the verdict the test expects, and the quantity when the test
    /// names one.
    pub fn passed(&self) -> bool {
        self.actual == Some(self.expected)
            && self
                .expected_quantity
                .is_none_or(|expected| self.actual_quantity == Some(expected))
    }
}

impl fmt::Display for ExpectationResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let actual = self.actual.map_or(
            "no verdict (the provision does not apply to this party)",
            Verdict::as_str,
        );
        write!(
            f,
            "{} for {}: expected {}",
            self.provision, self.party, self.expected
        )?;
        let Some(expected) = self.expected_quantity else {
            return write!(f, ", found {actual}");
        };
        write!(f, " with {}, found {actual}", written(expected))?;
        match (self.actual, self.actual_quantity) {
            (Some(_), Some(found)) => write!(f, " with {}", written(found)),
            (Some(_), None) => f.write_str(" with no quantity"),
            (None, _) => Ok(()),
        }
    }
}

/// A quantity as `with` writes it: `905`, `675..3079`, `600..unknown`.
fn written(amount: Amount) -> String {
    let end = |value: Option<i128>| value.map_or_else(|| "unknown".to_string(), |v| v.to_string());
    match (amount.min, amount.max) {
        (Some(min), Some(max)) if min == max => min.to_string(),
        (min, max) => format!("{}..{}", end(min), end(max)),
    }
}

/// Why a test could not be run: its scenario did not load or could not be evaluated.
pub type TestError = Box<dyn Diagnostic + Send + Sync>;

/// Load the test's scenario, evaluate it under the test's readings, and compare each
/// expectation with the verdict found.
pub fn run_test(model: &Model, test: &Test) -> Result<Vec<ExpectationResult>, Vec<TestError>> {
    let facts = crate::scenario::load_path(&test.scenario, model).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| Box::new(e) as TestError)
            .collect::<Vec<_>>()
    })?;
    let mut options = Options::defaults(model);
    for &(reading, variant) in &test.readings {
        if let Some(slot) = options.readings.get_mut(reading) {
            *slot = variant;
        }
    }
    let report =
        eval::evaluate(model, &facts, &options).map_err(|e| vec![Box::new(e) as TestError])?;
    let mut results = Vec::new();
    for expectation in &test.expectations {
        let Some(provision) = model.provisions.get(expectation.provision) else {
            continue;
        };
        let parties: Vec<usize> = match expectation.party {
            Some(party) => vec![party],
            None => facts
                .parties
                .iter()
                .copied()
                .filter(|&p| provision.scope.applies_to(p))
                .collect(),
        };
        for party in parties {
            let name = model.parties.get(party).cloned().unwrap_or_default();
            let found = report
                .parties
                .iter()
                .find(|p| p.party == name)
                .and_then(|p| p.provisions.iter().find(|r| r.id == provision.id));
            results.push(ExpectationResult {
                provision: provision.id.clone(),
                party: name,
                expected: expectation.verdict,
                actual: found.map(|r| r.verdict),
                expected_quantity: expectation.quantity,
                actual_quantity: found.and_then(|r| r.quantity),
            });
        }
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(
        actual: Option<Verdict>,
        expected: Option<Amount>,
        found: Option<Amount>,
    ) -> ExpectationResult {
        ExpectationResult {
            provision: "launchers".to_string(),
            party: "USA".to_string(),
            expected: Verdict::Violated,
            actual,
            expected_quantity: expected,
            actual_quantity: found,
        }
    }

    const RANGE: Amount = Amount {
        min: Some(675),
        max: Some(3079),
    };

    #[test]
    fn a_quantity_must_match_exactly() {
        let exact = Some(Amount::exact(905));
        assert!(result(Some(Verdict::Violated), exact, exact).passed());
        assert!(result(Some(Verdict::Violated), None, exact).passed());
        let other = Some(Amount::exact(906));
        let wrong = result(Some(Verdict::Violated), exact, other);
        assert!(!wrong.passed());
        assert_eq!(
            wrong.to_string(),
            "launchers for USA: expected violated with 905, found violated with 906"
        );
        // An interval is not any value inside it.
        assert!(!result(Some(Verdict::Violated), Some(RANGE), exact).passed());
        assert!(result(Some(Verdict::Violated), Some(RANGE), Some(RANGE)).passed());
    }

    #[test]
    fn a_wrong_verdict_shows_both_quantities() {
        let open = Amount {
            min: Some(0),
            max: None,
        };
        let wrong = result(Some(Verdict::Complies), Some(RANGE), Some(open));
        assert_eq!(
            wrong.to_string(),
            "launchers for USA: expected violated with 675..3079, found complies with 0..unknown"
        );
        let none = result(Some(Verdict::NotEvaluable), Some(RANGE), None);
        assert_eq!(
            none.to_string(),
            "launchers for USA: expected violated with 675..3079, found not_evaluable with no quantity"
        );
        let unbound = result(None, Some(RANGE), None);
        assert!(
            unbound
                .to_string()
                .ends_with("found no verdict (the provision does not apply to this party)")
        );
    }
}
