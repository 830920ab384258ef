//! The reproducers of issue 16, each run as a user would: every one must end, quickly, in a
//! diagnostic and exit 1 (or 0 when the input is valid) — never a panic (101), never a hang.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;

const LETTER: &str = "rules/ussr-1977-03-15.treaty";
const DATA_BASE: &str = "scenarios/salt2-data-base-1978-11-01.toml";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `treaty ARGS` from the crate root; a run over 60 s (a hang) fails the test.
fn treaty(args: &[&str]) -> Output {
    Command::cargo_bin("treaty")
        .unwrap()
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "1000")
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Exit 1 with `needle` on stderr.
fn fails_with(output: &Output, needle: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains(needle), "`{needle}` not in:\n{err}");
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
}

/// A temporary folder inside `target/`, three folders below the crate root (like
/// `tests/fixtures/test/`), so that rule files in it can import the project's vocabulary.
fn scratch() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap()
}

/// `python3 -c "print(' '*70000+'bogus')" > rules/x.treaty; treaty check rules/x.treaty`
/// panicked in miette's renderer ("Formatting argument out of range"), in `check` and `eval`.
#[test]
fn a_diagnostic_far_into_a_long_line_is_shown_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.treaty");
    std::fs::write(&file, format!("{}bogus\n", " ".repeat(70_000))).unwrap();
    let output = treaty(&["check", s(&file)]);
    fails_with(&output, "x.treaty:1:70001]");
    let err = stderr(&output);
    assert!(err.contains("…"), "{err}");
    assert!(err.lines().all(|line| line.chars().count() < 400), "{err}");
    let output = treaty(&["eval", s(&file), DATA_BASE, "--format", "json"]);
    fails_with(&output, "treaty::parse::syntax");
}

/// A TOML dotted key 100 000 levels deep put its diagnostic past column 65 535.
#[test]
fn a_very_deep_dotted_key_is_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("deep.toml");
    let key = vec!["k"; 100_000].join(".");
    std::fs::write(
        &scenario,
        format!(
            "[scenario]\ntitle = \"deep\"\ndate = 1979-06-18\nparties = [\"USA\"]\n{key} = 1\n"
        ),
    )
    .unwrap();
    let output = treaty(&["eval", LETTER, s(&scenario), "--format", "json"]);
    fails_with(&output, "treaty::scenario::");
}

/// A FIFO with no writer blocked `open()`: as a rule file, a scenario, a `*.treaty` in a
/// checked folder, or a test block's scenario.
#[test]
fn fifos_are_refused_without_opening_them() {
    let dir = scratch();
    let pipe = dir.path().join("pipe.treaty");
    mkfifo(&pipe);
    let not_regular = "it is a FIFO (named pipe), not a regular file";
    fails_with(&treaty(&["check", s(&pipe)]), not_regular);
    fails_with(&treaty(&["check", s(dir.path())]), not_regular);
    fails_with(&treaty(&["test", s(dir.path())]), not_regular);

    let scenario = dir.path().join("pipe.toml");
    mkfifo(&scenario);
    fails_with(&treaty(&["eval", LETTER, s(&scenario)]), not_regular);

    let tests = dir.path().join("tests");
    std::fs::create_dir(&tests).unwrap();
    let rules =
        std::fs::read_to_string(root().join("tests/fixtures/test/wrong_expectation.treaty"))
            .unwrap()
            .replace(
                "scenario \"../../../scenarios/salt2-data-base-1978-11-01.toml\"",
                "scenario \"../pipe.toml\"",
            )
            .replace("\"../../../", "\"../../../../");
    let file = tests.join("fifo_scenario.treaty");
    std::fs::write(&file, rules).unwrap();
    let output = treaty(&["--root", s(&root()), "test", s(&file)]);
    fails_with(&output, not_regular);
    assert!(stdout(&output).contains("the scenario could not be evaluated"));
}

/// `treaty check /dev/zero` read until memory ran out; so did a `*.treaty` linking to it.
#[test]
fn devices_are_refused() {
    fails_with(
        &treaty(&["check", "/dev/zero"]),
        "cannot read `/dev/zero`: it is a character device, not a regular file",
    );
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.treaty")).unwrap();
    fails_with(
        &treaty(&["check", s(dir.path())]),
        "zero.treaty`: it is a character device, not a regular file",
    );
    let scenario = dir.path().join("zero.toml");
    std::os::unix::fs::symlink("/dev/zero", &scenario).unwrap();
    fails_with(
        &treaty(&["eval", LETTER, s(&scenario)]),
        "it is a character device, not a regular file",
    );
}

/// `ln -s . r/a; ln -s . r/b; treaty check r` walked 2^33 folders; `r/self -> .` checked
/// every file 33 times.
#[test]
fn links_back_to_a_folder_do_not_multiply_the_walk() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path().join("r");
    std::fs::create_dir(&r).unwrap();
    std::fs::write(r.join("v.treaty"), "vocabulary \"v\" {}\n").unwrap();
    for link in ["a", "b", "self"] {
        std::os::unix::fs::symlink(".", r.join(link)).unwrap();
    }
    let output = treaty(&["check", s(&r)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("checked 1 file: 0 errors"),
        "{}",
        stderr(&output)
    );
}

/// A broken file 40 folders deep was skipped with exit 0.
#[test]
fn a_folder_too_deep_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut deep = dir.path().join("deep");
    for level in 0..40 {
        deep.push(format!("d{level}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("broken.treaty"), "bogus\n").unwrap();
    let output = treaty(&["check", s(&dir.path().join("deep"))]);
    fails_with(&output, "treaty::check::folder_too_deep");
    fails_with(&output, "folders below");
}

/// A million unknown keys took hours (miette read the file from its start for every one);
/// now the first 100 are shown, all are counted, JSON has them all.
#[test]
fn many_diagnostics_are_capped_for_people_and_all_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("many.toml");
    let keys: String = (0..5000).map(|n| format!("k{n} = 1\n")).collect();
    std::fs::write(
        &scenario,
        format!("[scenario]\ntitle = \"many\"\ndate = 1979-06-18\nparties = [\"USA\"]\n{keys}"),
    )
    .unwrap();
    let output = treaty(&["eval", LETTER, s(&scenario)]);
    fails_with(
        &output,
        "… and 4900 more diagnostics not shown (only the first 100 are",
    );
    assert_eq!(
        stderr(&output)
            .matches("treaty::scenario::unknown_key")
            .count(),
        100
    );

    let rules = dir.path().join("many.treaty");
    let categories: String = (0..150)
        .map(|n| format!("category c{n} {{ holdings where nosuch{n} }}\n"))
        .collect();
    std::fs::write(&rules, format!("vocabulary \"v\" {{}}\n{categories}")).unwrap();
    let output = treaty(&["check", s(&rules)]);
    fails_with(&output, "… and 50 more diagnostics not shown");
    fails_with(&output, "checked 1 file: 150 errors");
    let output = treaty(&["check", "--message-format", "json", s(&rules)]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output).lines().count(), 150, "{}", stderr(&output));
}

/// A million unknown keys in TOML (12 MB) took 463 MB, most of it the `toml` crate's tokens
/// and tree, before `treaty` saw a key: a TOML scenario of more than 2 000 000 tokens is now
/// refused before `toml` reads it, with the advice to write it as JSON.
#[test]
fn a_toml_scenario_of_too_many_tokens_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("many.toml");
    let keys: String = (0..1_000_000).map(|n| format!("k{n} = 1\n")).collect();
    let header = "[scenario]\ntitle = \"many\"\ndate = 1979-06-18\nparties = [\"USA\"]\n";
    std::fs::write(&scenario, format!("{header}{keys}")).unwrap();
    let output = treaty(&["eval", LETTER, s(&scenario)]);
    fails_with(&output, "treaty::scenario::toml_too_large");
    assert_eq!(stderr(&output).matches("treaty::").count(), 1);
    insta::assert_snapshot!(
        "toml_too_large",
        stderr(&output).replace(s(&scenario), "many.toml")
    );
}

/// Past 10 000 problems a scenario stops keeping them (a million took the memory of a million
/// diagnostics) and says, first, how many more there were.
#[test]
fn a_scenario_keeps_ten_thousand_problems_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("many.json");
    let keys: String = (0..10_050).map(|n| format!(", \"k{n}\": 1")).collect();
    std::fs::write(
        &scenario,
        format!(
            "{{\"scenario\": {{\"title\": \"many\", \"date\": \"1979-06-18\", \
             \"parties\": [\"USA\"]}}{keys}}}"
        ),
    )
    .unwrap();
    let output = treaty(&["eval", LETTER, s(&scenario)]);
    fails_with(
        &output,
        "treaty::scenario::too_many_problems\n\n  × the scenario has more than 10000 problems: \
         the first 10000 are reported, 50 more are not",
    );
    assert!(stderr(&output).starts_with("treaty::scenario::too_many_problems"));
    fails_with(&output, "… and 9901 more diagnostics not shown");
}

/// A 100 KiB unknown name against a 100 KiB name took 14 s in the "did you mean".
#[test]
fn long_names_get_no_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("long.toml");
    let name = "A".repeat(100 * 1024);
    std::fs::write(
        &scenario,
        format!(
            "[scenario]\ntitle = \"long\"\ndate = 1979-06-18\nparties = [\"USA\"]\n\
             [types.\"{name}\"]\nclass = \"icbm\"\n\
             [[holdings]]\nparty = \"USA\"\nname = \"h\"\nclass = \"icbm_launcher\"\ncount = 1\n\
             type = \"{name}B\"\n"
        ),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let output = treaty(&["eval", LETTER, s(&scenario)]);
    fails_with(&output, "treaty::scenario::unknown_type");
    assert!(!stderr(&output).contains("did you mean"));
    assert!(started.elapsed() < Duration::from_secs(30));
}

/// Names with escape characters were written raw to the terminal.
#[test]
fn control_characters_are_escaped_in_reports_and_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(DATA_BASE))
        .unwrap()
        .replacen("name  = \"", "name  = \"\\u001b[2J\\u0007", 1)
        .replacen("title   = \"", "title   = \"\\u001b]0;pwned\\u0007", 1);
    let scenario = dir.path().join("escapes.toml");
    std::fs::write(&scenario, text).unwrap();
    for format in ["text", "markdown"] {
        let output = treaty(&[
            "eval",
            LETTER,
            s(&scenario),
            "--explain",
            "--format",
            format,
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let out = stdout(&output);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out}");
        assert!(out.contains("\\u{1b}]0;pwned\\u{7}"), "{out}");
    }
    let output = treaty(&["eval", LETTER, s(&scenario), "--format", "json"]);
    assert!(stdout(&output).contains("\\u001b[2J\\u0007"));

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\"]\n\"\\u001b[31mred\" = 1\n",
    )
    .unwrap();
    let output = treaty(&["eval", LETTER, s(&bad)]);
    fails_with(&output, "unknown key `\\u{1b}[31mred`");
    assert!(!stderr(&output).contains('\u{1b}'));
}
