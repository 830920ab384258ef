//! Batch evaluation: one position, checked once, against many scenarios in parallel
//! (`treaty eval RULES SCENARIO…`, or a folder of scenarios).
//!
//! The results come back in the order of the scenarios given, whatever the number of
//! threads; a scenario that cannot be loaded or evaluated keeps its place with its
//! problems, and the others are still evaluated.

use std::fmt::Write as _;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diagnostics::{Problem, codes};
use crate::eval::{self, EvalError, Options};
use crate::model::Model;
use crate::report::{self, Format, Report, TextOptions};
use crate::scenario::{self, ScenarioError};
use crate::terminal::printable;

codes! { "usage",
    HtmlSeveralScenarios => "html_several_scenarios", Error;
}

/// How each scenario is evaluated: as `treaty eval` does one.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The readings and the party.
    pub options: Options,
    /// Also under every combination of readings (`--all-readings`), but those in `fixed`.
    pub all_readings: bool,
    /// Readings the user settled (`--reading`), held fixed under `all_readings`.
    pub fixed: Vec<usize>,
}

/// Why a scenario has no report.
#[derive(Debug)]
pub enum Failure {
    /// The scenario could not be read or does not fit the position: every problem in it.
    Load(Vec<ScenarioError>),
    /// The evaluation itself failed.
    Eval(EvalError),
}

/// One scenario of a batch and what came of it.
#[derive(Debug)]
pub struct Evaluated {
    /// The scenario file, as given (or as found in a folder given).
    pub scenario: PathBuf,
    /// Its report, or why there is none.
    pub outcome: Result<Report, Failure>,
}

/// Scenarios evaluated in parallel at a time: the reports of one group are held in memory
/// until they are handed on, in order, so memory does not grow with the batch.
pub const GROUP: usize = 256;

/// Evaluate `model` against each scenario, in parallel; the results in the order of
/// `scenarios`. `progress` is called once per scenario done, from any thread.
pub fn evaluate_files(
    model: &Model,
    scenarios: &[PathBuf],
    request: &Request,
    progress: &(dyn Fn() + Sync),
) -> Vec<Evaluated> {
    let mut results = Vec::with_capacity(scenarios.len());
    evaluate_each(model, scenarios, request, progress, |result| {
        results.push(result);
    });
    results
}

/// As [`evaluate_files`], but each result is handed to `emit` in the order of `scenarios`
/// as soon as it and those before it are done, [`GROUP`] scenarios at a time: a batch of any
/// size holds at most a group's reports in memory.
pub fn evaluate_each(
    model: &Model,
    scenarios: &[PathBuf],
    request: &Request,
    progress: &(dyn Fn() + Sync),
    mut emit: impl FnMut(Evaluated),
) {
    // The model made ready once, for every scenario.
    let evaluator = eval::Evaluator::new(model);
    for group in scenarios.chunks(GROUP) {
        let results: Vec<Evaluated> = group
            .par_iter()
            .map(|path| {
                let outcome = evaluate_file(&evaluator, path, request);
                progress();
                Evaluated {
                    scenario: path.clone(),
                    outcome,
                }
            })
            .collect();
        results.into_iter().for_each(&mut emit);
    }
}

/// One scenario, loaded and evaluated.
fn evaluate_file(
    evaluator: &eval::Evaluator<'_>,
    path: &std::path::Path,
    request: &Request,
) -> Result<Report, Failure> {
    let model = evaluator.model();
    let facts = scenario::load_path(path, model).map_err(Failure::Load)?;
    let report = if request.all_readings {
        eval::evaluate_all_readings_except(model, &facts, &request.options, &request.fixed)
    } else {
        evaluator.evaluate(&facts, &request.options)
    };
    report.map_err(Failure::Eval)
}

/// Whether a provision of the report is violated, undetermined or could not be evaluated:
/// what `--strict` fails on.
pub fn is_unsettled(report: &Report) -> bool {
    report
        .parties
        .iter()
        .flat_map(|p| &p.provisions)
        .any(|p| p.is_unsettled())
}

/// The exit code of a batch: 1 when a scenario has no report or, with `strict`, a report
/// has a provision unsettled; else 0.
pub fn exit_code(results: &[Evaluated], strict: bool) -> u8 {
    results
        .iter()
        .map(|r| exit_code_of(r, strict))
        .max()
        .unwrap_or(0)
}

/// The exit code of one scenario of a batch (see [`exit_code`]).
pub fn exit_code_of(result: &Evaluated, strict: bool) -> u8 {
    u8::from(match &result.outcome {
        Err(_) => true,
        Ok(report) => strict && is_unsettled(report),
    })
}

/// The reports of a batch, one after the other in the order of the scenarios (see
/// [`render_one`]).
pub fn render_batch(results: &[Evaluated], format: Format, options: &TextOptions) -> String {
    results
        .iter()
        .enumerate()
        .map(|(index, result)| render_one(index == 0, result, format, options))
        .collect()
}

/// One report of a batch (`first`: the first of the batch, with no blank line before it):
///
/// - JSON: one compact `treaty-report/1` document on one line (JSON lines); a scenario with
///   no report has no line (its problems are diagnostics; `scenario.file` names each report's);
/// - text: the report under `==> FILE <==`, a blank line before all but the first;
/// - Markdown: the report under a heading `# FILE`, its own headings one level down.
///
/// A scenario with no report gets its heading and `not evaluated: …` in text and Markdown.
/// HTML is refused by the command line ([`html_several_scenarios`]); here it is rendered as
/// text.
pub fn render_one(
    first: bool,
    result: &Evaluated,
    format: Format,
    options: &TextOptions,
) -> String {
    let mut out = String::new();
    let file = result.scenario.display().to_string();
    match format {
        Format::Json => {
            if let Ok(report) = &result.outcome {
                out.push_str(&report::json_line(report, report::FORMAT));
            }
        }
        Format::Markdown => {
            if !first {
                out.push('\n');
            }
            let _ = writeln!(out, "# `{}`\n", file.replace('`', "'"));
            match &result.outcome {
                Ok(report) => out.push_str(&demoted(&report::render(report, format, options))),
                Err(failure) => {
                    let _ = writeln!(out, "Not evaluated: {}.", not_evaluated(failure));
                }
            }
        }
        Format::Text | Format::Html => {
            if !first {
                out.push('\n');
            }
            let _ = writeln!(out, "==> {} <==", printable(&file));
            match &result.outcome {
                Ok(report) => out.push_str(&report::render(report, Format::Text, options)),
                Err(failure) => {
                    let _ = writeln!(out, "not evaluated: {}", not_evaluated(failure));
                }
            }
        }
    }
    out
}

/// `treaty::scenario::io`: the folders given hold no scenario.
pub fn no_scenarios(paths: &[PathBuf]) -> Problem {
    let names: Vec<String> = paths.iter().map(|p| format!("`{}`", p.display())).collect();
    Problem::new(
        scenario::Code::Io,
        format!("no scenario (`*.toml`, `*.json`) in {}", names.join(", ")),
    )
    .with_help("name the scenario files, or a folder that holds some")
}

/// A Markdown report's headings one level down, under the heading naming its file.
fn demoted(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len().saturating_add(16));
    for line in markdown.split_inclusive('\n') {
        if line.starts_with('#') {
            out.push('#');
        }
        out.push_str(line);
    }
    out
}

/// Why a scenario has no report, in a few words; the diagnostics say the rest.
fn not_evaluated(failure: &Failure) -> String {
    match failure {
        Failure::Load(problems) => format!(
            "{} problem{} in the scenario (see the diagnostics)",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        ),
        Failure::Eval(_) => "the evaluation failed (see the diagnostics)".to_owned(),
    }
}

/// `treaty::usage::html_several_scenarios`: `--format html` with several scenarios or a folder
/// (`given` says which: "3 scenarios were given"). A page is one report, with its charts and
/// the position's source text: one a scenario, not one for all of them.
pub fn html_several_scenarios(given: &str) -> Problem {
    Problem::new(
        Code::HtmlSeveralScenarios,
        format!("`--format html` makes one page for one scenario, and {given}"),
    )
    .with_help(
        "run `treaty eval RULES SCENARIO --format html > PAGE.html` once per scenario, or use \
         `--format markdown` or `--format json` (one report a line) for several",
    )
}

#[cfg(test)]
mod tests;
