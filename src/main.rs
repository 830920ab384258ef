//! The `treaty` command line: a thin layer over the library. The commands and their
//! options are defined in `cli.rs`; those that evaluate many times (`eval` of several
//! scenarios, `sweep`) run in `many.rs`.
//!
//! Exit codes: 0 success; 1 errors in the input (rule file, scenario, I/O), a failing test,
//! or with `--strict` a provision not complied with; 2 command-line usage.

mod cli;
mod many;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use miette::Diagnostic;

use cli::{
    Cli, ColorChoice, Command, CoverageFormat, Format, MessageFormat, OutputArgs, TestFormat,
};
use treaty::check::{self, CheckOptions};
use treaty::diagnostics;
use treaty::eval::{self, Chosen};
use treaty::model::Model;
use treaty::project;
use treaty::report::{Report, TextOptions};
use treaty::scenario::Facts;
use treaty::test_blocks;

impl OutputArgs {
    fn text_options(&self, color: bool) -> TextOptions {
        TextOptions {
            explain: self.explain,
            color,
            width: stdout_width(),
        }
    }
}

impl From<Format> for treaty::report::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Text => treaty::report::Format::Text,
            Format::Json => treaty::report::Format::Json,
            Format::Markdown => treaty::report::Format::Markdown,
            Format::Html => treaty::report::Format::Html,
        }
    }
}

impl From<CoverageFormat> for treaty::coverage::Format {
    fn from(format: CoverageFormat) -> Self {
        match format {
            CoverageFormat::Text => treaty::coverage::Format::Text,
            CoverageFormat::Json => treaty::coverage::Format::Json,
            CoverageFormat::Html => treaty::coverage::Format::Html,
        }
    }
}

/// How diagnostics reach stderr.
struct Reporter {
    color: bool,
    json: bool,
    errors: usize,
    warnings: usize,
    /// People see the first hundred diagnostics; all are counted (and all printed as JSON).
    limit: diagnostics::Limit,
}

impl Reporter {
    fn report(&mut self, diagnostic: &dyn Diagnostic) {
        if diagnostics::is_warning(diagnostic) {
            self.warnings = self.warnings.saturating_add(1);
        } else {
            self.errors = self.errors.saturating_add(1);
        }
        let text = if self.json {
            let record = diagnostics::record(diagnostic);
            format!("{}\n", serde_json::to_string(&record).unwrap_or_default())
        } else if self.limit.admit() {
            diagnostics::render(diagnostic, self.color, stderr_width())
        } else {
            return;
        };
        let _ = std::io::stderr().write_all(text.as_bytes());
    }

    /// A usage error about a name on the command line, with "did you mean": printed as clap
    /// prints its own usage errors, message and help, rather than as a diagnostic of a
    /// file (as JSON with `--message-format json`). Exit code 2.
    fn usage(&mut self, problem: &diagnostics::Problem) -> u8 {
        if self.json {
            self.report(problem);
            return 2;
        }
        let mut text = format!("error: {}\n", problem.message);
        if let Some(help) = &problem.help {
            text.push_str(&format!("  help: {help}\n"));
        }
        let _ = std::io::stderr().write_all(text.as_bytes());
        2
    }
}

impl Drop for Reporter {
    /// "… and N more diagnostics not shown", once the command is done.
    fn drop(&mut self) {
        if let Some(note) = self.limit.note() {
            let _ = std::io::stderr().write_all(note.as_bytes());
        }
    }
}

/// `COLUMNS` when set, else the width of the terminal stderr is, else 100.
fn stderr_width() -> usize {
    columns()
        .or_else(|| {
            terminal_size::terminal_size_of(std::io::stderr()).map(|(w, _)| usize::from(w.0))
        })
        .unwrap_or(100)
}

/// `COLUMNS` when set, else the width of the terminal stdout is; `None` (no wrapping) when
/// stdout is a file or a pipe.
fn stdout_width() -> Option<usize> {
    columns().or_else(|| {
        terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
    })
}

fn columns() -> Option<usize> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&c| c > 0)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    let color_stderr = use_color(cli.color, std::io::stderr().is_terminal());
    let color_stdout = use_color(cli.color, std::io::stdout().is_terminal());
    let mut reporter = Reporter {
        color: color_stderr,
        json: cli.message_format == MessageFormat::Json,
        errors: 0,
        warnings: 0,
        limit: diagnostics::Limit::default(),
    };
    let code = match &cli.command {
        Command::Check {
            paths,
            deny_warnings,
        } => run_check(&cli, paths, *deny_warnings, &mut reporter),
        Command::Eval {
            rules,
            scenarios,
            output,
            party,
            readings,
            all_readings,
            strict,
        } => {
            let request = EvalRequest {
                party: party.as_deref(),
                readings,
                all_readings: *all_readings,
                strict: *strict,
            };
            run_eval(
                &cli,
                rules,
                scenarios,
                output,
                &request,
                &mut reporter,
                color_stdout,
            )
        }
        Command::Compare {
            rules,
            scenario,
            output,
            readings,
            all_readings,
        } => {
            let request = CompareRequest {
                readings,
                all_readings: *all_readings,
            };
            run_compare(
                &cli,
                rules,
                scenario,
                output,
                &request,
                &mut reporter,
                color_stdout,
            )
        }
        Command::Headroom {
            rules,
            scenario,
            format,
            party,
            readings,
            date,
        } => {
            let request = HeadroomRequest {
                party: party.as_deref(),
                readings,
                date: *date,
                format: (*format).into(),
            };
            run_headroom(&cli, rules, scenario, &request, &mut reporter)
        }
        Command::Sweep {
            rules,
            scenario,
            samples,
            seed,
            grid,
            format,
            party,
            readings,
        } => {
            let request = many::SweepRequest {
                party: party.as_deref(),
                readings,
                samples: *samples,
                seed: *seed,
                grid: *grid,
                format: *format,
            };
            many::run_sweep(&cli, rules, scenario, &request, &mut reporter)
        }
        Command::Test { args, format } => run_test(&cli, args, *format, &mut reporter),
        Command::Schema { rules } => run_schema(&cli, rules, &mut reporter),
        Command::Fmt { paths, check } => run_fmt(paths, *check, &mut reporter),
        Command::Lsp => match treaty::lsp::run_stdio(cli.root.clone()) {
            Ok(()) => 0,
            Err(error) => {
                let _ = writeln!(std::io::stderr(), "error: treaty lsp: {error}");
                1
            }
        },
        Command::Coverage {
            rules,
            format,
            scenario,
        } => run_coverage(&cli, rules, *format, scenario.as_deref(), &mut reporter),
        Command::Completions { shell } => {
            clap_complete::generate(
                *shell,
                &mut Cli::command(),
                "treaty",
                &mut std::io::stdout(),
            );
            0
        }
    };
    ExitCode::from(code)
}

fn use_color(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// The rules root for `path`: `--root`, else its project's root (the nearest folder upwards
/// holding a `treaty.toml`), else the rule file's own folder. `None` when the project file
/// is wrong (reported).
fn root_for(cli: &Cli, path: &Path, reporter: &mut Reporter) -> Option<PathBuf> {
    if let Some(root) = &cli.root {
        return Some(root.clone());
    }
    match project::root_for(path) {
        Ok(root) => Some(root),
        Err(problem) => {
            reporter.report(&problem);
            None
        }
    }
}

/// What `check` and `test` read when given no path: the rules folder of the project the
/// current folder lies in, else `rules/`.
fn default_rules(reporter: &mut Reporter) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    match project::find(&cwd) {
        Ok(Some(project)) => project::relative_to(&project.rules, &cwd),
        Ok(None) => PathBuf::from("rules"),
        Err(problem) => {
            reporter.report(&problem);
            PathBuf::from("rules")
        }
    }
}

/// Rule files named on the command line: files as given, folders searched for `*.treaty`
/// in a stable order.
fn rule_files(paths: &[PathBuf], reporter: &mut Reporter) -> Vec<PathBuf> {
    let defaults = [default_rules(reporter)];
    let paths = if paths.is_empty() {
        &defaults[..]
    } else {
        paths
    };
    let found = treaty::files::rule_files(paths);
    for problem in &found.problems {
        reporter.report(problem);
    }
    // The project's rules folder may be the current folder: name files `a.treaty`, not
    // `./a.treaty`.
    found
        .files
        .into_iter()
        .map(|f| f.strip_prefix(".").map(Path::to_path_buf).unwrap_or(f))
        .collect()
}

fn run_check(cli: &Cli, paths: &[PathBuf], deny_warnings: bool, reporter: &mut Reporter) -> u8 {
    let files = rule_files(paths, reporter);
    let mut citations = treaty::model::Citations::default();
    for file in &files {
        if let Some(model) = checked_model(cli, file, CheckOptions::default(), reporter) {
            citations.add(model.citations);
        }
    }
    let summary = format!(
        "checked {} file{}: {} error{}, {} warning{}; {} quoted, {} cited\n",
        files.len(),
        plural(files.len()),
        reporter.errors,
        plural(reporter.errors),
        reporter.warnings,
        plural(reporter.warnings),
        citations.quoted,
        citations.cited,
    );
    if !reporter.json {
        let _ = std::io::stderr().write_all(summary.as_bytes());
    }
    let failed = reporter.errors > 0 || (deny_warnings && reporter.warnings > 0);
    u8::from(failed)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// What `eval` was asked beyond its files.
struct EvalRequest<'a> {
    party: Option<&'a str>,
    readings: &'a [String],
    all_readings: bool,
    strict: bool,
}

/// Check a rule file, printing its diagnostics; `None` when it has errors.
fn checked_model(
    cli: &Cli,
    rules: &Path,
    options: CheckOptions,
    reporter: &mut Reporter,
) -> Option<Model> {
    checked_model_if(cli, rules, options, reporter, |_| Ok(()))
}

/// [`checked_model`], the model also refused when `accept` refuses it: then its error alone
/// is printed, as its warnings would only repeat it.
fn checked_model_if(
    cli: &Cli,
    rules: &Path,
    options: CheckOptions,
    reporter: &mut Reporter,
    accept: impl FnOnce(&Model) -> Result<(), eval::EvalError>,
) -> Option<Model> {
    let root = root_for(cli, rules, reporter)?;
    match check::check_file_with(rules, &root, options) {
        Ok(checked) => {
            if let Err(error) = accept(&checked.model) {
                reporter.report(&error);
                return None;
            }
            for warning in &checked.warnings {
                reporter.report(warning);
            }
            Some(checked.model)
        }
        Err(errors) => {
            for error in &errors {
                reporter.report(error);
            }
            None
        }
    }
}

/// The position checked for `command`, with the readings and party chosen on the command
/// line; `Err` holds the exit code once the problems are reported.
fn chosen_position(
    cli: &Cli,
    rules: &Path,
    command: &str,
    (readings, party): (&[String], Option<&str>),
    reporter: &mut Reporter,
) -> Result<(Model, Chosen), u8> {
    let Some(model) = position(cli, rules, command, reporter) else {
        return Err(1);
    };
    match Chosen::from_names(&model, readings, party) {
        Ok(chosen) => Ok((model, chosen)),
        Err(problem) => Err(reporter.usage(&problem)),
    }
}

/// Check a position for `command` (`eval`, `compare`): its tests are not checked (they are
/// not run), and a file that is not a position is one error, not one per scenario holding.
fn position(cli: &Cli, rules: &Path, command: &str, reporter: &mut Reporter) -> Option<Model> {
    checked_model_if(
        cli,
        rules,
        CheckOptions { tests: false },
        reporter,
        |model| eval::require_position(model, command),
    )
}

fn loaded_facts(scenario: &Path, model: &Model, reporter: &mut Reporter) -> Option<Facts> {
    match treaty::scenario::load_path(scenario, model) {
        Ok(facts) => Some(facts),
        Err(errors) => {
            for error in &errors {
                reporter.report(error);
            }
            None
        }
    }
}

fn render(report: &Report, output: &OutputArgs, color: bool) -> String {
    treaty::report::render(report, output.format.into(), &output.text_options(color))
}

fn run_eval(
    cli: &Cli,
    rules: &Path,
    scenarios: &[PathBuf],
    output: &OutputArgs,
    request: &EvalRequest<'_>,
    reporter: &mut Reporter,
    color_stdout: bool,
) -> u8 {
    match scenarios {
        [scenario] if !scenario.is_dir() => run_eval_one(
            cli,
            rules,
            scenario,
            output,
            request,
            reporter,
            color_stdout,
        ),
        _ => many::run_eval_batch(
            cli,
            rules,
            scenarios,
            output,
            request,
            reporter,
            color_stdout,
        ),
    }
}

/// `treaty eval RULES SCENARIO`: one report, as it always was.
fn run_eval_one(
    cli: &Cli,
    rules: &Path,
    scenario: &Path,
    output: &OutputArgs,
    request: &EvalRequest<'_>,
    reporter: &mut Reporter,
    color_stdout: bool,
) -> u8 {
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
    let Some(facts) = loaded_facts(scenario, &model, reporter) else {
        return 1;
    };
    let result = if request.all_readings {
        eval::evaluate_all_readings_except(&model, &facts, &chosen.options, &chosen.fixed)
    } else {
        eval::evaluate(&model, &facts, &chosen.options)
    };
    let report = match result {
        Ok(report) => report,
        Err(error) => {
            reporter.report(&error);
            return 1;
        }
    };
    if output.format == Format::Json {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        let _ = treaty::report::write_json(&report, &mut out).and_then(|()| out.flush());
        return u8::from(request.strict && treaty::batch::is_unsettled(&report));
    }
    let text = if output.format == Format::Html {
        // The page shows the source text too, its quotes linked to it, when it can be read.
        let literate = root_for(cli, rules, reporter)
            .and_then(|root| treaty::coverage::cover(&model, rules, &root, Some(&report)).ok());
        let options = treaty::report::HtmlOptions {
            explain: output.explain,
            literate: literate.as_ref(),
        };
        treaty::report::render_html(&report, &options)
    } else {
        render(&report, output, color_stdout)
    };
    let _ = std::io::stdout().write_all(text.as_bytes());
    u8::from(request.strict && treaty::batch::is_unsettled(&report))
}

/// What `compare` was asked beyond its files.
struct CompareRequest<'a> {
    readings: &'a [String],
    all_readings: bool,
}

fn run_compare(
    cli: &Cli,
    rules: &[PathBuf],
    scenario: &Path,
    output: &OutputArgs,
    request: &CompareRequest<'_>,
    reporter: &mut Reporter,
    color_stdout: bool,
) -> u8 {
    let mut models: Vec<Model> = rules
        .iter()
        .filter_map(|path| position(cli, path, "compare", reporter))
        .collect();
    if reporter.errors > 0 {
        return 1;
    }
    if let Err(problems) = treaty::compare::share_vocabulary(&mut models) {
        for problem in &problems {
            reporter.report(problem);
        }
        return 1;
    }
    let refs: Vec<&Model> = models.iter().collect();
    let chosen = match Chosen::across(&refs, request.readings) {
        Ok(chosen) => chosen,
        Err(problem) => return reporter.usage(&problem),
    };
    let mut reports = Vec::new();
    for (model, chosen) in models.iter().zip(&chosen) {
        let Some(facts) = loaded_facts(scenario, model, reporter) else {
            continue;
        };
        let result = if request.all_readings {
            eval::evaluate_all_readings_except(model, &facts, &chosen.options, &chosen.fixed)
        } else {
            eval::evaluate(model, &facts, &chosen.options)
        };
        match result {
            Ok(report) => reports.push(report),
            Err(error) => reporter.report(&error),
        }
    }
    if reporter.errors > 0 {
        return 1;
    }
    let text = treaty::report::render_comparison(
        &reports,
        output.format.into(),
        &output.text_options(color_stdout),
    );
    let _ = std::io::stdout().write_all(text.as_bytes());
    0
}

/// What `headroom` was asked beyond its files.
struct HeadroomRequest<'a> {
    party: Option<&'a str>,
    readings: &'a [String],
    date: Option<treaty::model::Date>,
    format: treaty::report::Format,
}

fn run_headroom(
    cli: &Cli,
    rules: &Path,
    scenario: &Path,
    request: &HeadroomRequest<'_>,
    reporter: &mut Reporter,
) -> u8 {
    let (model, chosen) = match chosen_position(
        cli,
        rules,
        "headroom",
        (request.readings, request.party),
        reporter,
    ) {
        Ok(chosen) => chosen,
        Err(code) => return code,
    };
    let Some(facts) = loaded_facts(scenario, &model, reporter) else {
        return 1;
    };
    match treaty::headroom::headroom(&model, &facts, &chosen.options, request.date) {
        Ok(headroom) => {
            let text = treaty::headroom::render(&headroom, request.format);
            let _ = std::io::stdout().write_all(text.as_bytes());
            0
        }
        Err(error) => {
            reporter.report(&error);
            1
        }
    }
}

fn run_fmt(paths: &[PathBuf], check: bool, reporter: &mut Reporter) -> u8 {
    use treaty::fmt::Outcome;
    let (stdin, paths): (Vec<&PathBuf>, Vec<PathBuf>) = (
        paths.iter().filter(|p| p.as_os_str() == "-").collect(),
        paths
            .iter()
            .filter(|p| p.as_os_str() != "-")
            .cloned()
            .collect(),
    );
    let mut changed = 0usize;
    if !stdin.is_empty() {
        let mut text = String::new();
        if let Err(error) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut text) {
            let message = format!("cannot read standard input: {error}");
            reporter.report(&check::Problem::new(check::Code::Io, message));
        } else {
            match treaty::fmt::format_str("<stdin>", &text) {
                Ok(formatted) if check => {
                    if formatted != text {
                        changed = changed.saturating_add(1);
                        println!("<stdin>");
                    }
                }
                Ok(formatted) => {
                    let _ = std::io::stdout().write_all(formatted.as_bytes());
                }
                Err(problems) => problems.iter().for_each(|p| reporter.report(p)),
            }
        }
    }
    let files = if stdin.is_empty() || !paths.is_empty() {
        rule_files(&paths, reporter)
    } else {
        Vec::new()
    };
    for file in &files {
        match treaty::fmt::format_path(file, check) {
            Outcome::Unchanged => {}
            Outcome::Reformatted => {
                changed = changed.saturating_add(1);
                if check {
                    println!("{}", file.display());
                }
            }
            Outcome::Failed(problems) => problems.iter().for_each(|p| reporter.report(p)),
        }
    }
    if !files.is_empty() {
        let summary = format!(
            "{} file{} {}{} already formatted\n",
            changed,
            plural(changed),
            if check {
                "would be reformatted, "
            } else {
                "reformatted, "
            },
            files.len().saturating_sub(changed),
        );
        let _ = std::io::stderr().write_all(summary.as_bytes());
    }
    u8::from(reporter.errors > 0 || (check && changed > 0))
}

fn run_schema(cli: &Cli, rules: &Path, reporter: &mut Reporter) -> u8 {
    let Some(model) = position(cli, rules, "schema", reporter) else {
        return 1;
    };
    let _ = std::io::stdout().write_all(treaty::schema::render(&model).as_bytes());
    0
}

fn run_coverage(
    cli: &Cli,
    rules: &Path,
    format: CoverageFormat,
    scenario: Option<&Path>,
    reporter: &mut Reporter,
) -> u8 {
    let Some(model) = checked_model(cli, rules, CheckOptions { tests: false }, reporter) else {
        return 1;
    };
    let report = match scenario {
        None => None,
        Some(scenario) => {
            let Some(facts) = loaded_facts(scenario, &model, reporter) else {
                return 1;
            };
            match eval::evaluate(&model, &facts, &eval::Options::defaults(&model)) {
                Ok(report) => Some(report),
                Err(error) => {
                    reporter.report(&error);
                    return 1;
                }
            }
        }
    };
    let Some(root) = root_for(cli, rules, reporter) else {
        return 1;
    };
    match treaty::coverage::cover(&model, rules, &root, report.as_ref()) {
        Ok(coverage) => {
            let text = treaty::coverage::render(&coverage, format.into());
            let _ = std::io::stdout().write_all(text.as_bytes());
            0
        }
        Err(problem) => {
            reporter.report(&problem);
            1
        }
    }
}

/// `treaty test [PATH|PATTERN]…`: an argument naming a file or folder is a path, any other a
/// word a test's title must contain.
fn run_test(cli: &Cli, args: &[String], format: TestFormat, reporter: &mut Reporter) -> u8 {
    let (paths, patterns): (Vec<&String>, Vec<&String>) =
        args.iter().partition(|arg| Path::new(arg).exists());
    // A word that looks like a path to a rule file is a path that does not exist.
    if let Some(missing) = patterns
        .iter()
        .find(|p| p.ends_with(".treaty") || p.contains(std::path::MAIN_SEPARATOR))
    {
        let problem = check::Problem::new(
            check::Code::Io,
            format!("cannot read `{missing}`: no such file or folder"),
        );
        reporter.report(&problem);
        return 1;
    }
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    let patterns: Vec<String> = patterns.into_iter().cloned().collect();
    let mut run = test_blocks::Run::default();
    for file in rule_files(&paths, reporter) {
        let name = file.display().to_string();
        let file_run = match checked_model(cli, &file, CheckOptions::default(), reporter) {
            Some(model) => test_blocks::run_file(&name, &model, &patterns),
            None => test_blocks::not_checked(&name),
        };
        for test in &file_run.tests {
            if let Err(errors) = &test.outcome {
                for error in errors {
                    reporter.report(error.as_ref());
                }
            }
        }
        run.files.push(file_run);
    }
    let out = match format {
        TestFormat::Text => test_blocks::render_text(&run),
        TestFormat::Json => test_blocks::render_json(&run),
        TestFormat::Junit => test_blocks::render_junit(&run),
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    if let Some(problem) = run.nothing_ran(&patterns) {
        reporter.report(&problem);
        return 1;
    }
    u8::from(!run.succeeded() || reporter.errors > 0)
}
