//! Running the language's `test` blocks: a `test` block names a scenario and the verdicts
//! expected on it; [`run_test`] evaluates the scenario and compares, [`run_file`] runs the
//! tests of a rule file whose titles match a filter, and `results` renders a [`Run`] as
//! text, JSON (`treaty-test/1`) or JUnit XML.

mod results;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests;

use crate::lang::Verdict;
use std::fmt;
use std::path::Path;

use miette::Diagnostic;

use crate::diagnostics::{Problem, codes};
use crate::eval::{self, Options};
use crate::interval::Amount;
use crate::model::{Model, Test};
use crate::report::BoundReport;

pub use results::{TEST_FORMAT, render_json, render_junit, render_text};

codes! {
    "test",
    NoTests => "no_tests", Error;
}

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
    /// The quantity evaluation measured (limits and bans that were evaluated).
    pub quantity: Option<Amount>,
    /// The bound in force (limits).
    pub bound: Option<BoundReport>,
}

impl ExpectationResult {
    /// Whether evaluation found the verdict the test expects, and the quantity when the test
    /// names one (exactly: an interval is not any value inside it).
    pub fn passed(&self) -> bool {
        self.actual == Some(self.expected)
            && self
                .expected_quantity
                .is_none_or(|expected| self.quantity == Some(expected))
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
        if let Some(expected) = &self.expected_quantity {
            write!(f, " with {expected}")?;
        }
        write!(f, ", found {actual}")?;
        match (&self.quantity, self.actual) {
            (Some(quantity), _) => write!(f, " with {quantity}")?,
            (None, Some(_)) if self.expected_quantity.is_some() => {
                f.write_str(" with no quantity")?
            }
            (None, _) => {}
        }
        if let Some(bound) = &self.bound {
            write!(f, " (bound {bound})")?;
        }
        Ok(())
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
                quantity: found.and_then(|r| r.quantity),
                bound: found.and_then(|r| r.bound.clone()),
            });
        }
    }
    Ok(results)
}

/// The tests of every rule file run, in the order the files were given.
#[derive(Debug, Default)]
pub struct Run {
    /// One entry a rule file.
    pub files: Vec<FileRun>,
}

/// The tests of one rule file.
#[derive(Debug)]
pub struct FileRun {
    /// The rule file, as named.
    pub file: String,
    /// `false`: the file did not check, so none of its tests ran (its diagnostics were
    /// reported on their own).
    pub checked: bool,
    /// The tests run, in file order.
    pub tests: Vec<TestRun>,
    /// Tests whose titles did not match the filter.
    pub filtered_out: usize,
}

/// One test run.
#[derive(Debug)]
pub struct TestRun {
    /// The test's title.
    pub title: String,
    /// Its scenario, relative to the current folder where it lies under it.
    pub scenario: String,
    /// Every expectation and what evaluation found, or why the scenario could not be
    /// evaluated.
    pub outcome: Result<Vec<ExpectationResult>, Vec<TestError>>,
}

impl TestRun {
    /// Whether every expectation was met.
    pub fn passed(&self) -> bool {
        self.outcome
            .as_ref()
            .is_ok_and(|results| results.iter().all(ExpectationResult::passed))
    }
}

impl Run {
    /// Tests whose expectations were all met.
    pub fn passed(&self) -> usize {
        self.tests().filter(|t| t.passed()).count()
    }

    /// Tests with an expectation not met, or whose scenario could not be evaluated.
    pub fn failed(&self) -> usize {
        self.tests().filter(|t| !t.passed()).count()
    }

    /// Tests left out by the filter.
    pub fn filtered_out(&self) -> usize {
        self.files.iter().map(|f| f.filtered_out).sum()
    }

    /// Rule files that did not check.
    pub fn not_checked(&self) -> usize {
        self.files.iter().filter(|f| !f.checked).count()
    }

    /// Every test run, file by file.
    pub fn tests(&self) -> impl Iterator<Item = &TestRun> {
        self.files.iter().flat_map(|f| &f.tests)
    }

    /// Whether the run succeeded: some test ran, none failed, every file checked.
    pub fn succeeded(&self) -> bool {
        self.failed() == 0 && self.not_checked() == 0 && self.tests().next().is_some()
    }

    /// Why nothing ran, when nothing did (`treaty::test::no_tests`): `treaty test` then
    /// fails, as a run that tested nothing should not pass for one that tested everything.
    pub fn nothing_ran(&self, patterns: &[String]) -> Option<Problem> {
        if self.tests().next().is_some() || self.not_checked() > 0 {
            return None;
        }
        let (message, help) = match patterns {
            [] if self.files.is_empty() => (
                "no tests found: no rule files".to_string(),
                "name rule files or folders, or run in a project with a rules folder",
            ),
            [] => (
                "no tests found: no rule file has a `test` block".to_string(),
                "add a `test \"TITLE\" { scenario \"PATH\" expect … }` block to a position",
            ),
            patterns => {
                let quoted: Vec<String> = patterns.iter().map(|p| format!("`{p}`")).collect();
                (
                    format!(
                        "no test matches {} ({} filtered out)",
                        quoted.join(" or "),
                        self.filtered_out()
                    ),
                    "a word runs the tests whose titles contain it, in any letter case",
                )
            }
        };
        Some(Problem::new(Code::NoTests, message).with_help(help))
    }
}

/// Whether a test titled `title` runs under `patterns`: no pattern, or a title holding one
/// of them (letter case ignored).
pub fn matches(title: &str, patterns: &[String]) -> bool {
    let title = title.to_lowercase();
    patterns.is_empty()
        || patterns
            .iter()
            .any(|pattern| title.contains(&pattern.to_lowercase()))
}

/// Run the tests of `model` (checked from the rule file `file`) whose titles match
/// `patterns`.
pub fn run_file(file: &str, model: &Model, patterns: &[String]) -> FileRun {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut run = FileRun {
        file: file.to_string(),
        checked: true,
        tests: Vec::new(),
        filtered_out: 0,
    };
    for test in &model.tests {
        if !matches(&test.title, patterns) {
            run.filtered_out = run.filtered_out.saturating_add(1);
            continue;
        }
        run.tests.push(TestRun {
            title: test.title.clone(),
            scenario: shown(&test.scenario, &cwd),
            outcome: run_test(model, test),
        });
    }
    run
}

/// A rule file that did not check: none of its tests ran.
pub fn not_checked(file: &str) -> FileRun {
    FileRun {
        file: file.to_string(),
        checked: false,
        tests: Vec::new(),
        filtered_out: 0,
    }
}

/// `path` relative to `cwd` where it lies under it.
fn shown(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}
