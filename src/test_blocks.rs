//! Running the language's `test` blocks: a `test` block names a scenario and the verdicts
//! expected on it; [`run_test`] evaluates the scenario and compares.

use crate::lang::Verdict;
use std::fmt;

use miette::Diagnostic;

use crate::eval::{self, Options};
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
}

impl ExpectationResult {
    /// Whether evaluation found the verdict the test expects.
    pub fn passed(&self) -> bool {
        self.actual == Some(self.expected)
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
            "{} for {}: expected {}, found {}",
            self.provision, self.party, self.expected, actual
        )
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
            let actual = report
                .parties
                .iter()
                .find(|p| p.party == name)
                .and_then(|p| p.provisions.iter().find(|r| r.id == provision.id))
                .map(|r| r.verdict);
            results.push(ExpectationResult {
                provision: provision.id.clone(),
                party: name,
                expected: expectation.verdict,
                actual,
            });
        }
    }
    Ok(results)
}
