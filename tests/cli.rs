//! The command line as users call it: exit codes, streams, options.
#![expect(
    clippy::unwrap_used,
    reason = "a panic in a test's helper is a failing test"
)]

use assert_cmd::Command;
use predicates::prelude::*;

fn treaty() -> Command {
    let mut cmd = Command::cargo_bin("treaty").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    cmd
}

/// Exit code, stdout and stderr of `treaty ARGS` run from the crate root.
fn run(args: &[&str]) -> (i32, String, String) {
    let output = treaty().args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// How many diagnostics (errors `×`, warnings `⚠`) a human-readable stderr holds.
fn diagnostics(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| l.trim_start().starts_with('×') || l.trim_start().starts_with('⚠'))
        .count()
}

const LETTER: &str = "rules/ussr-1977-03-15.treaty";
const DATA_BASE: &str = "scenarios/salt2-data-base-1978-11-01.toml";
const BOUNDARY: &str = "scenarios/hypothetical-boundary-600km.toml";

#[test]
fn check_is_clean_on_the_project_rules() {
    treaty()
        .args(["check", "rules/"])
        .assert()
        .success()
        .stderr(predicate::str::contains("0 errors"));
    treaty().arg("check").assert().success();
}

#[test]
fn check_counts_quotes_and_citations_apart() {
    // Every provision of the project is quoted or cited: no `missing_quote` warning.
    treaty()
        .args(["check", "--deny-warnings", "rules/"])
        .assert()
        .success()
        .stderr(
            predicate::str::is_match(
                r"checked 8 files: 0 errors, 0 warnings; \d+ quoted, \d+ cited\n$",
            )
            .unwrap(),
        );
    treaty()
        .args(["check", "tests/fixtures/check/ok/citations.treaty"])
        .assert()
        .success()
        .stderr("checked 1 file: 0 errors, 0 warnings; 1 quoted, 6 cited\n");
}

#[test]
fn check_fails_on_an_error_fixture_with_codes_on_stderr() {
    treaty()
        .args(["check", "tests/fixtures/check/err/several_mistakes.treaty"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("treaty::parse::syntax"))
        .stderr(predicate::str::contains("treaty::check::unknown_name"))
        .stderr(predicate::str::contains("treaty::check::unit_mismatch"))
        .stderr(predicate::str::contains("treaty::check::outside_root"))
        .stderr(predicate::str::contains("treaty::check::import_cycle"))
        .stderr(predicate::str::contains("treaty::check::quote_not_found"));
}

#[test]
fn check_json_messages_carry_line_and_column() {
    let output = treaty()
        .args([
            "check",
            "--message-format",
            "json",
            "tests/fixtures/check/err/several_mistakes.treaty",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let records: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let misspelt = records
        .iter()
        .find(|r| r["message"] == "unknown holding attribute `clas`")
        .unwrap();
    assert_eq!(misspelt["labels"][0]["line"], 13);
    assert_eq!(misspelt["labels"][0]["column"], 20);
}

#[test]
fn warnings_fail_only_when_denied() {
    let file = "tests/fixtures/check/warn/warning_missing_quote.treaty";
    treaty().args(["check", file]).assert().success();
    treaty()
        .args(["check", "--deny-warnings", file])
        .assert()
        .code(1);
}

#[test]
fn usage_errors_exit_2() {
    treaty().arg("frobnicate").assert().code(2);
    treaty().args(["eval", LETTER]).assert().code(2);
    treaty()
        .args(["eval", LETTER, DATA_BASE, "--format", "yaml"])
        .assert()
        .code(2);
    treaty()
        .args(["eval", LETTER, DATA_BASE, "--reading", "alcm_bnd=exclusive"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `alcm_band`?"));
    treaty()
        .args(["eval", LETTER, DATA_BASE, "--party", "UK"])
        .assert()
        .code(2);
}

/// Usage errors about names print as clap's own do: the message and its help, nothing else.
#[test]
fn usage_errors_print_the_message_and_help() {
    treaty()
        .args(["eval", LETTER, DATA_BASE, "--reading", "alcm_bnd=exclusive"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("error: unknown reading `alcm_bnd`\n  help: did you mean `alcm_band`?\n");
    treaty()
        .args(["eval", LETTER, DATA_BASE, "--reading", "alcm_band=zz"])
        .assert()
        .code(2)
        .stderr(
            "error: unknown variant `zz` of reading `alcm_band`\n  \
             help: the variants are `inclusive`, `exclusive`\n",
        );
    treaty()
        .args(["eval", LETTER, DATA_BASE, "--reading", "alcm_band"])
        .assert()
        .code(2)
        .stderr("error: `--reading alcm_band` is not NAME=VARIANT\n");
    treaty()
        .args(["eval", LETTER, DATA_BASE, "--party", "UK"])
        .assert()
        .code(2)
        .stderr("error: unknown party `UK`\n  help: the parties are `USA`, `USSR`\n");
}

#[test]
fn eval_prints_the_report_on_stdout() {
    treaty()
        .args(["eval", LETTER, DATA_BASE])
        .assert()
        .success()
        .stdout(predicate::str::contains("aggregate_ceiling"))
        .stdout(predicate::str::contains("2504"))
        .stdout(predicate::str::contains("104"));
}

#[test]
fn eval_json_is_the_versioned_contract_and_stable() {
    let run = || {
        treaty()
            .args(["eval", LETTER, DATA_BASE, "--format", "json"])
            .output()
            .unwrap()
            .stdout
    };
    let first = run();
    assert_eq!(first, run(), "byte-identical run to run");
    let json: serde_json::Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(json["format"], "treaty-report/1");
    assert_eq!(json["parties"][0]["party"], "USA");
    assert_eq!(json["parties"][1]["verdict"], "violated");
}

#[test]
fn eval_markdown_and_party_filter() {
    treaty()
        .args([
            "eval", LETTER, DATA_BASE, "--format", "markdown", "--party", "USSR",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("# "))
        .stdout(predicate::str::contains("USSR"))
        .stdout(predicate::str::contains("## USA").not());
}

#[test]
fn strict_fails_when_a_provision_is_not_complied_with() {
    treaty()
        .args(["eval", LETTER, DATA_BASE])
        .assert()
        .success();
    treaty()
        .args(["eval", LETTER, DATA_BASE, "--strict"])
        .assert()
        .code(1);
}

#[test]
fn all_readings_show_what_depends_on_the_reading() {
    let output = treaty()
        .args([
            "eval",
            LETTER,
            BOUNDARY,
            "--all-readings",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let provisions: Vec<&serde_json::Value> = json["parties"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["provisions"].as_array().unwrap())
        .collect();
    assert!(provisions.iter().all(|p| p.get("by_reading").is_some()));
    assert!(
        provisions.iter().any(|p| p["depends_on_reading"] == true),
        "some verdict depends on alcm_band"
    );
}

#[test]
fn a_bad_scenario_exits_1_with_diagnostics() {
    treaty()
        .args([
            "eval",
            LETTER,
            "tests/fixtures/scenario/err/five-mistakes.toml",
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("treaty::scenario::"));
    treaty()
        .args(["eval", LETTER, "scenarios/no-such-file.toml"])
        .assert()
        .code(1);
}

#[test]
fn compare_puts_positions_side_by_side() {
    treaty()
        .args(["compare", LETTER, "--scenario", DATA_BASE])
        .assert()
        .success()
        .stdout(predicate::str::contains("ussr-1977-03-15"));
    let output = treaty()
        .args([
            "compare",
            LETTER,
            "--scenario",
            DATA_BASE,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["format"], "treaty-comparison/1");
}

#[test]
fn in_language_tests_pass() {
    treaty()
        .arg("test")
        .assert()
        .success()
        .stdout(predicate::str::contains("treaty test: 24 passed, 0 failed"));
}

#[test]
fn a_failing_in_language_test_is_reported_and_exits_1() {
    treaty()
        .args(["test", "tests/fixtures/test/wrong_expectation.treaty"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAILED"))
        .stdout(predicate::str::contains(
            "aggregate_ceiling for USSR: expected complies, found violated",
        ))
        .stdout(predicate::str::contains("0 passed, 1 failed"));
}

#[test]
fn the_language_fixtures_check_clean_and_their_tests_pass() {
    // `many_readings.treaty` quotes nothing on purpose: warnings, no errors.
    treaty()
        .args(["check", "tests/fixtures/eval"])
        .assert()
        .success()
        .stderr(predicate::str::contains("0 errors"));
    treaty()
        .args(["test", "tests/fixtures/eval"])
        .assert()
        .success()
        .stdout(predicate::str::contains("treaty test: 5 passed, 0 failed"));
}

#[test]
fn a_wrong_quantity_is_reported_with_both_quantities() {
    treaty()
        .args(["test", "tests/fixtures/test/wrong_quantity.treaty"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "aggregate_ceiling for USSR: expected violated with 2500, found violated with 2504",
        ))
        .stdout(predicate::str::contains(
            "aggregate_ceiling for USSR: expected complies with 2300..2400, found violated with 2504",
        ))
        .stdout(predicate::str::contains("for USA").not())
        .stdout(predicate::str::contains("0 passed, 1 failed"));
}

#[test]
fn all_readings_holds_chosen_readings_fixed() {
    let many = "tests/fixtures/eval/many_readings.treaty";
    treaty()
        .args(["eval", many, DATA_BASE, "--all-readings"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("treaty::eval::too_many_readings"));
    treaty()
        .args([
            "eval",
            many,
            DATA_BASE,
            "--all-readings",
            "--reading",
            "r0=b",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"r0\": \"b\""));
}

// ── Issue 11: running from anywhere ──────────────────────────────────────────────────────

/// The rules root is the nearest folder upwards holding `treaty.toml`, so a position
/// evaluates from inside `rules/`; `eval` never resolves the test blocks' scenarios.
#[test]
fn eval_and_test_run_from_the_rules_folder() {
    treaty()
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
        .args([
            "eval",
            "ussr-1977-03-15.treaty",
            "../scenarios/salt2-data-base-1978-11-01.toml",
        ])
        .assert()
        .success()
        .stderr("")
        .stdout(predicate::str::contains("USSR: violated"));
    treaty()
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
        .arg("test")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "ok      ussr-1977-03-15.treaty · ",
        ))
        .stdout(predicate::str::contains("treaty test: 24 passed, 0 failed"));
}

/// A temporary project: `files` written under a fresh folder.
fn project(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("treaty-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Without `treaty.toml` the rules root is the rule file's own folder, never the current
/// folder: an import from the folder above is outside it. With one, it is the project.
#[test]
fn the_project_file_marks_the_rules_root() {
    let rules = [
        (
            "rules/a.treaty",
            "vocabulary \"a\" {}\nuse \"../shared/b.treaty\"\n",
        ),
        ("shared/b.treaty", "vocabulary \"b\" {}\n"),
    ];
    let dir = project("root", &rules);
    treaty()
        .current_dir(&dir)
        .args(["check", "rules/a.treaty"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("treaty::check::outside_root"));
    std::fs::write(dir.join("treaty.toml"), "rules = \"rules\"\n").unwrap();
    treaty()
        .current_dir(&dir)
        .args(["check", "rules/a.treaty"])
        .assert()
        .success();
    // With no path, `check` reads the project's rules folder, from anywhere inside it.
    treaty()
        .current_dir(dir.join("shared"))
        .arg("check")
        .assert()
        .success()
        .stderr("checked 1 file: 0 errors, 0 warnings; 0 quoted, 0 cited\n");
    std::fs::write(dir.join("treaty.toml"), "rules = \"../elsewhere\"\n").unwrap();
    let output = treaty()
        .current_dir(&dir)
        .args(["check", "rules/a.treaty"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("treaty::project::invalid"), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}

// ── Issue 11: one mistake, one message ───────────────────────────────────────────────────

#[test]
fn a_vocabulary_given_to_eval_is_one_error() {
    let (code, stdout, stderr) = run(&["eval", "rules/vocabulary/strategic.treaty", DATA_BASE]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(diagnostics(&stderr), 1, "{stderr}");
    insta::assert_snapshot!("eval_vocabulary", stderr);
    let (code, _, stderr) = run(&[
        "compare",
        LETTER,
        "rules/vocabulary/strategic.treaty",
        "--scenario",
        DATA_BASE,
    ]);
    assert_eq!(code, 1);
    assert_eq!(diagnostics(&stderr), 1, "{stderr}");
    assert!(stderr.contains("compare needs a position"), "{stderr}");
}

#[test]
fn an_empty_file_given_to_eval_is_one_error() {
    let (code, _, stderr) = run(&[
        "eval",
        "tests/fixtures/check/warn/warning_empty_file.treaty",
        DATA_BASE,
    ]);
    assert_eq!(code, 1);
    assert_eq!(diagnostics(&stderr), 1, "{stderr}");
    insta::assert_snapshot!("eval_empty_file", stderr);
}

#[test]
fn swapped_arguments_and_misnamed_json_say_so() {
    let (code, _, stderr) = run(&["eval", DATA_BASE, LETTER]);
    assert_eq!(code, 1);
    assert_eq!(diagnostics(&stderr), 1, "{stderr}");
    insta::assert_snapshot!("eval_swapped", stderr);
    let (code, _, stderr) = run(&["eval", LETTER, "tests/fixtures/cli/scenario-in-json.txt"]);
    assert_eq!(code, 1);
    assert_eq!(diagnostics(&stderr), 1, "{stderr}");
    insta::assert_snapshot!("eval_json_in_txt", stderr);
    let (code, _, stderr) = run(&["eval", LETTER, LETTER]);
    assert_eq!(code, 1);
    assert_eq!(diagnostics(&stderr), 1, "{stderr}");
    assert!(stderr.contains("this looks like a rule file"), "{stderr}");
}

#[test]
fn contradictory_readings_are_a_usage_error() {
    treaty()
        .args([
            "eval",
            LETTER,
            DATA_BASE,
            "--reading",
            "alcm_band=inclusive",
            "--reading",
            "alcm_band=exclusive",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "error: reading `alcm_band` is chosen twice: `inclusive` and `exclusive`\n  \
             help: choose one variant of `alcm_band`, or give `--all-readings` without it to \
             see the verdicts under each\n",
        );
}

// ── Issue 11: every command speaks JSON and reads well ───────────────────────────────────

/// `--message-format json` is accepted by every command: each line of stderr is a JSON
/// diagnostic with a code.
#[test]
fn every_command_prints_json_diagnostics() {
    let runs: [&[&str]; 5] = [
        &[
            "check",
            "tests/fixtures/check/err/syntax_header_field.treaty",
        ],
        &["eval", "rules/vocabulary/strategic.treaty", DATA_BASE],
        &[
            "compare",
            "rules/vocabulary/strategic.treaty",
            "--scenario",
            DATA_BASE,
        ],
        &[
            "test",
            "tests/fixtures/check/err/syntax_header_field.treaty",
        ],
        &["eval", LETTER, DATA_BASE, "--party", "UK"],
    ];
    for args in runs {
        let mut args = args.to_vec();
        args.extend(["--message-format", "json"]);
        let (code, _, stderr) = run(&args);
        assert_ne!(code, 0, "{args:?}");
        assert!(!stderr.is_empty(), "{args:?}");
        for line in stderr.lines() {
            let record: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {line}"));
            assert!(record["code"].as_str().unwrap().starts_with("treaty::"));
        }
    }
}

/// `--explain` gives each category's definition once per provision and wraps to the
/// terminal; no line of text output ends in a space.
#[test]
fn explain_defines_categories_once_and_wraps_to_the_terminal() {
    let output = treaty()
        .env("COLUMNS", "80")
        .args(["eval", LETTER, DATA_BASE, "--explain"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    for line in stdout.lines() {
        // Explanations and headers wrap to the terminal; a table row is never broken, and
        // the letter's tables are narrower than 100 columns.
        let wrapped = !line.starts_with("  ") || line.starts_with("      ");
        let limit = if wrapped { 80 } else { 100 };
        assert!(
            line.chars().count() <= limit,
            "over {limit} columns: {line}"
        );
        assert_eq!(line, line.trim_end(), "trailing space: {line:?}");
    }
    // The aggregate ceiling counts five holdings of each party under one definition.
    assert_eq!(
        stdout
            .matches("category `delivery_vehicles`: holdings where")
            .count(),
        2
    );
    insta::assert_snapshot!("eval_explain_80_columns", stdout);
    // Piped with no COLUMNS, lines are not wrapped.
    let output = treaty()
        .env_remove("COLUMNS")
        .args(["eval", LETTER, DATA_BASE, "--explain"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.lines().any(|l| l.chars().count() > 100));
    let (_, stdout, _) = run(&[
        "compare",
        LETTER,
        "rules/vladivostok-1974.treaty",
        "--scenario",
        DATA_BASE,
    ]);
    assert!(stdout.lines().all(|l| l == l.trim_end()), "{stdout}");
}

#[test]
fn test_filters_by_title() {
    let (code, stdout, _) = run(&["test", "backfire"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("test_filtered", stdout);
    let (code, stdout, stderr) = run(&["test", "no-such-test"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("0 passed, 0 failed, 24 filtered out"),
        "{stdout}"
    );
    assert!(
        stderr.contains("no test matches `no-such-test` (24 filtered out)"),
        "{stderr}"
    );
    // A path that does not exist is not taken for a filter.
    treaty()
        .args(["test", "rules/no-such-file.treaty"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no such file or folder"));
}

#[test]
fn a_rule_file_without_tests_is_reported_and_nothing_run_fails() {
    let (code, stdout, stderr) = run(&["test", "rules/vocabulary/strategic.treaty"]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "none    rules/vocabulary/strategic.treaty: no test blocks\n\ntreaty test: 0 passed, 0 failed\n"
    );
    insta::assert_snapshot!("test_nothing_ran", stderr);
}

#[test]
fn a_failing_test_shows_the_quantity_found() {
    let (code, stdout, _) = run(&["test", "tests/fixtures/test/wrong_expectation.treaty"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("test_failure", stdout);
}

#[test]
fn test_results_as_json() {
    let (code, stdout, _) = run(&["test", "--format", "json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["format"], "treaty-test/1");
    assert_eq!(json["passed"], 24);
    assert_eq!(json["failed"], 0);
    let (_, stdout, _) = run(&[
        "test",
        "--format",
        "json",
        "tests/fixtures/test/wrong_expectation.treaty",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let expectation = &json["files"][0]["tests"][0]["expectations"][1];
    assert_eq!(expectation["actual"], "violated");
    assert_eq!(expectation["quantity"]["min"], 2504);
    assert_eq!(expectation["passed"], false);
}

/// `--format junit` is well-formed JUnit XML: parsed here, its counts agree with its cases.
#[test]
fn test_results_as_junit_xml() {
    use quick_xml::events::Event;
    for (args, cases, failures) in [
        (&["test", "--format", "junit"][..], 24, 0),
        (
            &[
                "test",
                "--format",
                "junit",
                "tests/fixtures/test/wrong_expectation.treaty",
            ][..],
            1,
            1,
        ),
    ] {
        let (_, stdout, _) = run(args);
        let mut reader = quick_xml::Reader::from_str(&stdout);
        reader.config_mut().check_end_names = true;
        let (mut suites, mut testcases, mut failed, mut declared) = (0, 0, 0, None);
        loop {
            match reader.read_event().unwrap() {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                    b"testsuites" => {
                        let tests = e.try_get_attribute("tests").unwrap().unwrap();
                        declared = Some(String::from_utf8(tests.value.to_vec()).unwrap());
                    }
                    b"testsuite" => suites += 1,
                    b"testcase" => testcases += 1,
                    b"failure" => failed += 1,
                    _ => {}
                },
                _ => {}
            }
        }
        assert_eq!(testcases, cases, "{stdout}");
        assert_eq!(failed, failures, "{stdout}");
        assert_eq!(declared, Some(cases.to_string()));
        assert!(suites >= 1);
    }
}

#[test]
fn completions_for_a_shell() {
    treaty()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("_treaty()"))
        .stdout(predicate::str::contains("--message-format"));
    treaty().args(["completions", "tcsh"]).assert().code(2);
}

const STATEMENTS: &str = "scenarios/salt2-statements-1979-06-18.toml";

#[test]
fn compare_four_positions_on_the_1979_statements() {
    let output = treaty()
        .args([
            "compare",
            "rules/vladivostok-1974.treaty",
            LETTER,
            "rules/usa-1977-03-comprehensive.treaty",
            "rules/salt2-1979.treaty",
            "--scenario",
            STATEMENTS,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let ussr = stdout.split("\nUSSR\n").nth(1).unwrap();
    let aggregate = ussr
        .lines()
        .find(|l| l.trim_start().starts_with("aggregate_ceiling"))
        .unwrap();
    assert_eq!(
        aggregate.matches("violated (2504; <= 2400)").count(),
        3,
        "{aggregate}"
    );
    assert!(
        aggregate.contains("violated (2504; <= 2000)"),
        "{aggregate}"
    );
}

#[test]
fn compare_readings_apply_across_positions() {
    let base = [
        "compare",
        LETTER,
        "rules/usa-1977-03-comprehensive.treaty",
        "--scenario",
        DATA_BASE,
    ];
    treaty()
        .args(base)
        .args(["--reading", "aggregate_figure=lower_1800"])
        .assert()
        .success()
        .stdout(predicate::str::contains("violated (2284; <= 1800)"));
    treaty()
        .args(base)
        .args(["--reading", "aggregate_figur=lower_1800"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no position compared has a reading `aggregate_figur`",
        ))
        .stderr(predicate::str::contains("did you mean `aggregate_figure`?"));
    treaty()
        .args(base)
        .arg("--all-readings")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "violated (2284; <= 2000) [by reading: violated/not_applicable]",
        ));
}

#[test]
fn compare_refuses_positions_whose_vocabularies_disagree() {
    treaty()
        .args([
            "compare",
            LETTER,
            "tests/fixtures/compare/conflicting_vocabulary.treaty",
            "--scenario",
            DATA_BASE,
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "treaty::compare::vocabulary_conflict",
        ));
    treaty()
        .args([
            "compare",
            LETTER,
            "tests/fixtures/compare/own_vocabulary.treaty",
            "--scenario",
            DATA_BASE,
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("complies (1710; <= 2000)"));
}

#[test]
fn headroom_of_the_letter_on_the_data_base() {
    treaty()
        .args(["headroom", LETTER, DATA_BASE])
        .assert()
        .success()
        .stdout(predicate::str::contains("116 to spare"))
        .stdout(predicate::str::contains("274 to spare"))
        .stdout(predicate::str::contains(
            "binds first: aggregate_ceiling (116 to spare)",
        ))
        .stdout(predicate::str::contains(
            "USA ICBM launchers equipped with MIRVs      550    116   aggregate_ceiling",
        ))
        .stdout(predicate::str::contains(
            "smallest reductions meeting every provision at once: 104 units",
        ));
    let output = treaty()
        .args([
            "headroom", LETTER, DATA_BASE, "--format", "json", "--party", "USSR",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["format"], "treaty-headroom/1");
    assert_eq!(json["parties"][0]["reductions"]["worst"]["total"], 104);
    treaty()
        .args(["headroom", LETTER, DATA_BASE, "--format", "markdown"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("# Headroom under"));
}

#[test]
fn headroom_under_salt_ii_at_2250() {
    treaty()
        .args([
            "headroom",
            "rules/salt2-1979.treaty",
            STATEMENTS,
            "--date",
            "1981-01-01",
            "--party",
            "USSR",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "<= 2250 from 1981-01-01  254 over",
        ))
        .stdout(predicate::str::contains("(worst case): 254 units"))
        .stdout(predicate::str::contains("(best case): 254 units"));
    treaty()
        .args(["headroom", LETTER, DATA_BASE, "--date", "1981-13-01"])
        .assert()
        .code(2);
    treaty()
        .args(["headroom", LETTER, DATA_BASE, "--reading", "alcm=exclusive"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `alcm_band`?"));
}

#[test]
fn an_overflow_still_prints_the_report_and_fails_strict() {
    treaty()
        .args(["eval", LETTER, "tests/fixtures/eval/overflow.toml"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "warning   `aggregate_ceiling` could not be evaluated for USA",
        ))
        .stdout(predicate::str::contains("note: treaty::eval::overflow: "))
        .stdout(predicate::str::contains("USSR: "));
    treaty()
        .args([
            "eval",
            LETTER,
            "tests/fixtures/eval/overflow.toml",
            "--strict",
        ])
        .assert()
        .code(1);
}

#[test]
fn schema_prints_json_and_fails_on_a_broken_position() {
    let output = treaty().args(["schema", LETTER]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    treaty()
        .args(["schema", "tests/fixtures/check/err/several_mistakes.treaty"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("treaty::check::"));
}
