//! The commands that evaluate many times: `eval` of several scenarios or folders, and
//! `sweep`. Thin, like `main.rs`: the work is in `treaty::batch` and `treaty::sweep`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::cli::{Cli, Format, OutputArgs, SweepFormat};
use crate::{EvalRequest, Reporter, chosen_position, loaded_facts};

/// `treaty eval RULES SCENARIO…` with several scenarios or a folder: the rule file checked
/// once, the scenarios evaluated in parallel, the reports in the order given.
pub(crate) fn run_eval_batch(
    cli: &Cli,
    rules: &Path,
    scenarios: &[PathBuf],
    output: &OutputArgs,
    request: &EvalRequest<'_>,
    reporter: &mut Reporter,
    color_stdout: bool,
) -> u8 {
    use treaty::batch;
    if output.format == Format::Html {
        let given = match scenarios {
            [_] => "a folder of scenarios was given".to_owned(),
            _ => format!("{} scenarios were given", scenarios.len()),
        };
        return reporter.usage(&batch::html_several_scenarios(&given));
    }
    let (model, chosen) = match chosen_position(
        cli,
        rules,
        "eval",
        (request.readings, request.party),
        reporter,
    ) {
        Ok(chosen) => chosen,
        Err(code) => return code,
    };
    let found = treaty::files::scenario_files(scenarios);
    for problem in &found.problems {
        reporter.report(problem);
    }
    if found.files.is_empty() {
        if found.problems.is_empty() {
            reporter.report(&batch::no_scenarios(scenarios));
        }
        return 1;
    }
    let batch_request = batch::Request {
        options: chosen.options,
        all_readings: request.all_readings,
        fixed: chosen.fixed,
    };
    let bar = progress_bar(found.files.len() as u64, reporter, "evaluating");
    let options = output.text_options(color_stdout);
    let mut code = u8::from(!found.problems.is_empty());
    let mut first = true;
    // Each report is printed as soon as those before it are: a batch of any size streams.
    batch::evaluate_each(
        &model,
        &found.files,
        &batch_request,
        &|| bar.inc(1),
        |result| {
            match &result.outcome {
                Ok(_) => {}
                Err(batch::Failure::Load(problems)) => {
                    problems
                        .iter()
                        .for_each(|p| bar.suspend(|| reporter.report(p)));
                }
                Err(batch::Failure::Eval(error)) => bar.suspend(|| reporter.report(error)),
            }
            let text = batch::render_one(first, &result, output.format.into(), &options);
            bar.suspend(|| {
                let _ = std::io::stdout().write_all(text.as_bytes());
            });
            first = false;
            code = code.max(batch::exit_code_of(&result, request.strict));
        },
    );
    bar.finish_and_clear();
    code
}

/// A progress bar on stderr when it is a terminal and diagnostics are for people; hidden
/// otherwise.
fn progress_bar(len: u64, reporter: &Reporter, what: &'static str) -> indicatif::ProgressBar {
    if reporter.json || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} [{wide_bar}] {pos}/{len} ({eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what);
    bar
}

/// What `sweep` was asked beyond its files.
pub(crate) struct SweepRequest<'a> {
    pub(crate) party: Option<&'a str>,
    pub(crate) readings: &'a [String],
    pub(crate) samples: u64,
    pub(crate) seed: u64,
    pub(crate) grid: bool,
    pub(crate) format: SweepFormat,
}

pub(crate) fn run_sweep(
    cli: &Cli,
    rules: &Path,
    scenario: &Path,
    request: &SweepRequest<'_>,
    reporter: &mut Reporter,
) -> u8 {
    use treaty::sweep;
    let (model, chosen) = match chosen_position(
        cli,
        rules,
        "sweep",
        (request.readings, request.party),
        reporter,
    ) {
        Ok(chosen) => chosen,
        Err(code) => return code,
    };
    let Some(facts) = loaded_facts(scenario, &model, reporter) else {
        return 1;
    };
    let sweep_request = sweep::Request {
        options: chosen.options,
        samples: request.samples,
        seed: request.seed,
        grid: request.grid,
    };
    let count = match sweep::sample_count(&model, &facts, &sweep_request) {
        Ok(count) => count,
        Err(problem) => return reporter.usage(&problem),
    };
    let bar = progress_bar(count, reporter, "sampling");
    let result = sweep::sweep(&model, &facts, &sweep_request, &|done| bar.inc(done));
    bar.finish_and_clear();
    match result {
        Ok(sweep) => {
            let text = match request.format {
                SweepFormat::Text => sweep::render_text(&sweep),
                SweepFormat::Json => sweep::render_json(&sweep),
            };
            let _ = std::io::stdout().write_all(text.as_bytes());
            0
        }
        Err(sweep::SweepError::Usage(problem)) => reporter.usage(&problem),
        Err(sweep::SweepError::Eval(error)) => {
            reporter.report(&error);
            1
        }
    }
}
