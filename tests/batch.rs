//! `treaty eval RULES SCENARIO…`: several scenarios and folders of them, evaluated against a
//! rule file checked once; reports in the order given, JSON lines, the worst exit code.
#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a panic in a test is a failing test"
)]

use std::path::Path;

use assert_cmd::Command;

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

const LETTER: &str = "rules/ussr-1977-03-15.treaty";
const DATA_BASE: &str = "scenarios/salt2-data-base-1978-11-01.toml";
const BOUNDARY: &str = "scenarios/hypothetical-boundary-600km.toml";
const BAD: &str = "tests/fixtures/scenario/err/duplicate_party.toml";

/// The scenario files each JSON line of `stdout` reports on, checking each is a report.
fn json_lines(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|line| {
            let report: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(report["format"], "treaty-report/1");
            report["scenario"]["file"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn several_scenarios_give_one_report_each_in_the_order_given() {
    let (code, stdout, stderr) = run(&["eval", LETTER, DATA_BASE, BOUNDARY]);
    assert_eq!(code, 0, "{stderr}");
    // No progress bar when stderr is not a terminal.
    assert_eq!(stderr, "");
    let headings: Vec<&str> = stdout.lines().filter(|l| l.starts_with("==> ")).collect();
    assert_eq!(
        headings,
        [
            format!("==> {DATA_BASE} <=="),
            format!("==> {BOUNDARY} <==")
        ]
    );
    // The other order, the other order of reports.
    let (_, stdout, _) = run(&["eval", LETTER, BOUNDARY, DATA_BASE, "--format", "json"]);
    assert_eq!(json_lines(&stdout), [BOUNDARY, DATA_BASE]);
}

#[test]
fn each_report_of_a_batch_is_the_report_of_its_scenario_alone() {
    let (_, batch, _) = run(&["eval", LETTER, DATA_BASE, BOUNDARY, "--format", "json"]);
    for (line, scenario) in batch.lines().zip([DATA_BASE, BOUNDARY]) {
        let (_, alone, _) = run(&["eval", LETTER, scenario, "--format", "json"]);
        let alone: serde_json::Value = serde_json::from_str(&alone).unwrap();
        let line: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(line, alone);
    }
}

#[test]
fn a_folder_gives_its_scenarios_sorted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(BOUNDARY, dir.path().join("2-boundary.toml")).unwrap();
    std::fs::copy(DATA_BASE, dir.path().join("1-data-base.toml")).unwrap();
    std::fs::write(dir.path().join("notes.md"), "not a scenario").unwrap();
    let folder = dir.path().to_str().unwrap();
    let (code, stdout, stderr) = run(&["eval", LETTER, folder, "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let files = json_lines(&stdout);
    let names: Vec<&str> = files
        .iter()
        .map(|f| Path::new(f).file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(names, ["1-data-base.toml", "2-boundary.toml"]);
    // A folder of one scenario is still a batch: the report comes under its heading.
    let one = tempfile::tempdir().unwrap();
    std::fs::copy(BOUNDARY, one.path().join("only.toml")).unwrap();
    let (code, stdout, _) = run(&["eval", LETTER, one.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("==> "), "{stdout}");
    // An empty folder is an error.
    let empty = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(&["eval", LETTER, empty.path().to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.contains("treaty::scenario::io"), "{stderr}");
    assert!(stderr.contains("no scenario"), "{stderr}");
}

#[test]
fn a_bad_scenario_among_good_ones_gets_its_diagnostics_and_the_others_are_evaluated() {
    let (code, stdout, stderr) =
        run(&["eval", LETTER, DATA_BASE, BAD, BOUNDARY, "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(json_lines(&stdout), [DATA_BASE, BOUNDARY]);
    assert!(
        stderr.contains("treaty::scenario::duplicate_party"),
        "{stderr}"
    );
    assert!(stderr.contains(BAD), "{stderr}");
    // As JSON diagnostics, each names its file.
    let (code, _, stderr) = run(&[
        "eval",
        LETTER,
        DATA_BASE,
        BAD,
        "--format",
        "json",
        "--message-format",
        "json",
    ]);
    assert_eq!(code, 1);
    for line in stderr.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(record["code"], "treaty::scenario::duplicate_party");
        assert_eq!(record["file"], BAD, "{line}");
    }
    // A file that does not exist is one more bad scenario, not the end of the batch.
    let (code, stdout, stderr) = run(&[
        "eval",
        LETTER,
        "scenarios/missing.toml",
        BOUNDARY,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(json_lines(&stdout), [BOUNDARY]);
    assert!(stderr.contains("scenarios/missing.toml"), "{stderr}");
}

#[test]
fn the_exit_code_is_the_worst_of_the_batch() {
    // The protocol's provisions settle on the data base and the boundary scenario; the
    // forces of 1977 leave some unsettled.
    let protocol = "rules/salt2-protocol-1979.treaty";
    let forces = "scenarios/forces-1977.toml";
    assert_eq!(
        run(&["eval", protocol, BOUNDARY, DATA_BASE, "--strict"]).0,
        0
    );
    assert_eq!(run(&["eval", protocol, BOUNDARY, forces]).0, 0);
    assert_eq!(run(&["eval", protocol, BOUNDARY, forces, "--strict"]).0, 1);
    assert_eq!(run(&["eval", protocol, BOUNDARY, BAD]).0, 1);
}

#[test]
fn html_of_several_scenarios_is_a_usage_error() {
    let (code, stdout, stderr) = run(&["eval", LETTER, DATA_BASE, BOUNDARY, "--format", "html"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    insta::assert_snapshot!("html_several_scenarios", stderr);
    let (code, _, stderr) = run(&[
        "eval",
        LETTER,
        "scenarios",
        "--format",
        "html",
        "--message-format",
        "json",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("treaty::usage::html_several_scenarios"),
        "{stderr}"
    );
}

#[test]
fn text_and_markdown_put_each_report_under_a_heading_naming_its_file() {
    let (code, stdout, _) = run(&["eval", LETTER, BOUNDARY, BAD]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("text_two_scenarios", stdout);
    let (_, stdout, _) = run(&["eval", LETTER, BOUNDARY, DATA_BASE, "--format", "markdown"]);
    let headings: Vec<&str> = stdout.lines().filter(|l| l.starts_with("# ")).collect();
    assert_eq!(
        headings,
        [format!("# `{BOUNDARY}`"), format!("# `{DATA_BASE}`")]
    );
    assert!(
        stdout.contains("\n## Letter, Secretary Brezhnev"),
        "{stdout}"
    );
}
