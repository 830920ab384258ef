//! The `treaty` command line: a thin layer over the library.
//!
//! Exit codes: 0 success; 1 errors in the input (rule file, scenario, I/O), or with
//! `--strict` a provision not complied with; 2 command-line usage.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use treaty::lang::Verdict;

use clap::{Parser, Subcommand, ValueEnum};
use miette::Diagnostic;

use treaty::check;
use treaty::diagnostics;
use treaty::eval::{self, Chosen, Options};
use treaty::model::Model;
use treaty::report::{Report, TextOptions};
use treaty::scenario::Facts;

#[derive(Parser)]
#[command(
    name = "treaty",
    version,
    about = "Arms-limitation provisions as code: check rule files, evaluate scenarios, explain verdicts"
)]
struct Cli {
    /// Folder that imports, source texts and test scenarios must stay inside
    /// [default: the current folder, or the rule file's folder when it lies outside]
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,

    /// When to colour output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,

    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Check rule files and folders (recursing into `*.treaty`)
    Check {
        /// Files or folders [default: rules/]
        paths: Vec<PathBuf>,
        /// How diagnostics are printed on stderr
        #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
        message_format: MessageFormat,
        /// Fail (exit 1) on warnings too
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Evaluate a scenario against a position
    Eval {
        /// The position's rule file
        rules: PathBuf,
        /// The scenario (TOML or JSON)
        scenario: PathBuf,
        #[command(flatten)]
        output: OutputArgs,
        /// Only this party
        #[arg(long, value_name = "PARTY")]
        party: Option<String>,
        /// Choose a variant of an ambiguous wording (repeatable)
        #[arg(long = "reading", value_name = "NAME=VARIANT")]
        readings: Vec<String>,
        /// Evaluate under every combination of readings
        #[arg(long)]
        all_readings: bool,
        /// Exit 1 when any provision is violated or undetermined
        #[arg(long)]
        strict: bool,
    },
    /// Compare positions on the same scenario
    Compare {
        /// The positions' rule files
        #[arg(required = true)]
        rules: Vec<PathBuf>,
        /// The scenario (TOML or JSON)
        #[arg(long)]
        scenario: PathBuf,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Run the `test` blocks of rule files
    Test {
        /// Files or folders [default: rules/]
        paths: Vec<PathBuf>,
    },
    /// Format rule files in the canonical layout, in place (`-`: standard input to standard output)
    Fmt {
        /// Files or folders (recursing into `*.treaty`), or `-` [default: rules/]
        paths: Vec<PathBuf>,
        /// Change nothing: list the files that would change, and exit 1 if there are any
        #[arg(long)]
        check: bool,
    },
    /// Serve editors over the Language Server Protocol on stdin and stdout (docs/editors.md)
    Lsp,
}

#[derive(clap::Args)]
struct OutputArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Show the holdings behind every quantity, and the unknowns behind every undetermined verdict
    #[arg(long)]
    explain: bool,
}

impl OutputArgs {
    fn text_options(&self, color: bool) -> TextOptions {
        TextOptions {
            explain: self.explain,
            color,
        }
    }
}

/// The report formats, as clap lists them (`treaty::report::Format` is the library's).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    Markdown,
}

impl From<Format> for treaty::report::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Text => treaty::report::Format::Text,
            Format::Json => treaty::report::Format::Json,
            Format::Markdown => treaty::report::Format::Markdown,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MessageFormat {
    Human,
    Json,
}

/// How diagnostics reach stderr.
struct Reporter {
    color: bool,
    json: bool,
    errors: usize,
    warnings: usize,
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
        } else {
            diagnostics::render(diagnostic, self.color, terminal_width())
        };
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
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
    let code = match &cli.command {
        Command::Check {
            paths,
            message_format,
            deny_warnings,
        } => run_check(&cli, paths, *message_format, *deny_warnings, color_stderr),
        Command::Eval {
            rules,
            scenario,
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
                scenario,
                output,
                &request,
                color_stderr,
                color_stdout,
            )
        }
        Command::Compare {
            rules,
            scenario,
            output,
        } => run_compare(&cli, rules, scenario, output, color_stderr, color_stdout),
        Command::Test { paths } => run_test(&cli, paths, color_stderr),
        Command::Fmt { paths, check } => run_fmt(paths, *check, color_stderr),
        Command::Lsp => match treaty::lsp::run_stdio(cli.root.clone()) {
            Ok(()) => 0,
            Err(error) => {
                let _ = writeln!(std::io::stderr(), "error: treaty lsp: {error}");
                1
            }
        },
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

/// The rules root for `path`: `--root`, else the current folder when the path is inside it,
/// else the path's own folder.
fn root_for(cli: &Cli, path: &Path) -> PathBuf {
    if let Some(root) = &cli.root {
        return root.clone();
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = path.canonicalize().unwrap_or_else(|_| cwd.join(path));
    if absolute.starts_with(&cwd) {
        return cwd;
    }
    if absolute.is_dir() {
        absolute
    } else {
        absolute.parent().map(Path::to_path_buf).unwrap_or(cwd)
    }
}

/// Rule files named on the command line: files as given, folders searched for `*.treaty`
/// in a stable order.
fn rule_files(paths: &[PathBuf], reporter: &mut Reporter) -> Vec<PathBuf> {
    let defaults = [PathBuf::from("rules")];
    let paths = if paths.is_empty() {
        &defaults[..]
    } else {
        paths
    };
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            collect_treaty_files(path, &mut files, 0);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            let problem = check::Problem::new(
                check::Code::Io,
                format!("cannot read `{}`: no such file or folder", path.display()),
            );
            reporter.report(&problem);
        }
    }
    files
}

fn collect_treaty_files(dir: &Path, files: &mut Vec<PathBuf>, depth: usize) {
    if depth > 32 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect_treaty_files(&entry, files, depth.saturating_add(1));
        } else if entry.extension().is_some_and(|e| e == "treaty") {
            files.push(entry);
        }
    }
}

fn run_check(
    cli: &Cli,
    paths: &[PathBuf],
    format: MessageFormat,
    deny_warnings: bool,
    color: bool,
) -> u8 {
    let mut reporter = Reporter {
        json: format == MessageFormat::Json,
        ..human_reporter(color)
    };
    let files = rule_files(paths, &mut reporter);
    for file in &files {
        let root = root_for(cli, file);
        match check::check_file(file, &root) {
            Ok(checked) => {
                for warning in &checked.warnings {
                    reporter.report(warning);
                }
            }
            Err(errors) => {
                for error in &errors {
                    reporter.report(error);
                }
            }
        }
    }
    let summary = format!(
        "checked {} file{}: {} error{}, {} warning{}\n",
        files.len(),
        plural(files.len()),
        reporter.errors,
        plural(reporter.errors),
        reporter.warnings,
        plural(reporter.warnings),
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

fn human_reporter(color: bool) -> Reporter {
    Reporter {
        color,
        json: false,
        errors: 0,
        warnings: 0,
    }
}

/// Check a position, printing its diagnostics; `None` when it has errors.
fn checked_model(cli: &Cli, rules: &Path, reporter: &mut Reporter) -> Option<Model> {
    match check::check_file(rules, &root_for(cli, rules)) {
        Ok(checked) => {
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

/// A usage error about a name on the command line, with "did you mean": printed as clap
/// prints its own usage errors, message and help, rather than as a diagnostic of a file.
fn usage(problem: &diagnostics::Problem) -> u8 {
    let mut text = format!("error: {}\n", problem.message);
    if let Some(help) = &problem.help {
        text.push_str(&format!("  help: {help}\n"));
    }
    let _ = std::io::stderr().write_all(text.as_bytes());
    2
}

fn render(report: &Report, output: &OutputArgs, color: bool) -> String {
    treaty::report::render(report, output.format.into(), &output.text_options(color))
}

fn run_eval(
    cli: &Cli,
    rules: &Path,
    scenario: &Path,
    output: &OutputArgs,
    request: &EvalRequest<'_>,
    color_stderr: bool,
    color_stdout: bool,
) -> u8 {
    let mut reporter = human_reporter(color_stderr);
    let Some(model) = checked_model(cli, rules, &mut reporter) else {
        return 1;
    };
    let chosen = match Chosen::from_names(&model, request.readings, request.party) {
        Ok(chosen) => chosen,
        Err(problem) => return usage(&problem),
    };
    let Some(facts) = loaded_facts(scenario, &model, &mut reporter) else {
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
    let _ = std::io::stdout().write_all(render(&report, output, color_stdout).as_bytes());
    let unsettled = report
        .parties
        .iter()
        .flat_map(|p| &p.provisions)
        .any(|p| matches!(p.verdict, Verdict::Violated | Verdict::Undetermined));
    u8::from(request.strict && unsettled)
}

fn run_compare(
    cli: &Cli,
    rules: &[PathBuf],
    scenario: &Path,
    output: &OutputArgs,
    color_stderr: bool,
    color_stdout: bool,
) -> u8 {
    let mut reporter = human_reporter(color_stderr);
    let mut reports = Vec::new();
    for path in rules {
        let Some(model) = checked_model(cli, path, &mut reporter) else {
            continue;
        };
        let Some(facts) = loaded_facts(scenario, &model, &mut reporter) else {
            continue;
        };
        match eval::evaluate(&model, &facts, &Options::defaults(&model)) {
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

fn run_test(cli: &Cli, paths: &[PathBuf], color: bool) -> u8 {
    let mut reporter = human_reporter(color);
    let files = rule_files(paths, &mut reporter);
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut out = String::new();
    for file in &files {
        let Some(model) = checked_model(cli, file, &mut reporter) else {
            continue;
        };
        for test in &model.tests {
            let outcome = treaty::test_blocks::run_test(&model, test);
            match outcome {
                Err(errors) => {
                    failed = failed.saturating_add(1);
                    out.push_str(&format!(
                        "FAILED  {} · {}: the scenario could not be evaluated\n",
                        file.display(),
                        test.title
                    ));
                    for error in &errors {
                        reporter.report(error.as_ref());
                    }
                }
                Ok(results) => {
                    let failures: Vec<_> = results.iter().filter(|r| !r.passed()).collect();
                    if failures.is_empty() {
                        passed = passed.saturating_add(1);
                        out.push_str(&format!(
                            "ok      {} · {} ({} expectations)\n",
                            file.display(),
                            test.title,
                            results.len()
                        ));
                    } else {
                        failed = failed.saturating_add(1);
                        out.push_str(&format!("FAILED  {} · {}\n", file.display(), test.title));
                        for failure in failures {
                            out.push_str(&format!("        {failure}\n"));
                        }
                    }
                }
            }
        }
    }
    out.push_str(&format!(
        "\ntreaty test: {passed} passed, {failed} failed\n"
    ));
    let _ = std::io::stdout().write_all(out.as_bytes());
    u8::from(failed > 0 || reporter.errors > 0)
}

fn run_fmt(paths: &[PathBuf], check: bool, color: bool) -> u8 {
    use treaty::fmt::Outcome;
    let mut reporter = human_reporter(color);
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
        rule_files(&paths, &mut reporter)
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
