//! The command line as users call it: exit codes, streams, options.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use predicates::prelude::*;

fn treaty() -> Command {
    let mut cmd = Command::cargo_bin("treaty").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    cmd
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
             help: the variants are inclusive, exclusive\n",
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
        .stderr("error: unknown party `UK`\n  help: the parties are USA, USSR\n");
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
