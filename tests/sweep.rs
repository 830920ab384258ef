//! `treaty sweep`: Monte Carlo over a scenario's intervals and unknowns, from the command line:
//! the share that breaks the Backfire assurance and where it flips, the same output for a seed
//! whatever the threads, grids, and usage errors.
#![expect(clippy::unwrap_used, reason = "a panic in a test is a failing test")]

use assert_cmd::Command;

fn treaty() -> Command {
    let mut cmd = Command::cargo_bin("treaty").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    cmd
}

/// Exit code, stdout and stderr of `treaty ARGS` with these environment variables.
fn run_with(env: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let mut cmd = treaty();
    for (key, value) in env {
        cmd.env(key, value);
    }
    let output = cmd.args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn run(args: &[&str]) -> (i32, String, String) {
    run_with(&[], args)
}

const LETTER: &str = "rules/ussr-1977-03-15.treaty";
const DISPUTED: &str = "scenarios/hypothetical-1985-backfire-range-disputed.toml";

/// The USSR's Backfire assurance in a `treaty-sweep/1` document.
fn backfire(json: &serde_json::Value) -> &serde_json::Value {
    let ussr = json["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["party"] == "USSR")
        .unwrap();
    ussr["provisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "backfire_assurance")
        .unwrap()
}

#[test]
fn the_disputed_backfire_range_breaks_the_assurance_in_a_share_of_samples_with_a_flip() {
    let (code, stdout, stderr) = run(&[
        "sweep",
        LETTER,
        DISPUTED,
        "--samples",
        "4000",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "", "no progress bar off a terminal");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["format"], "treaty-sweep/1");
    assert_eq!(json["seed"], 0, "the default seed");
    let backfire = backfire(&json);
    let violated = backfire["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["verdict"] == "violated")
        .unwrap();
    let share = violated["share"].as_f64().unwrap();
    assert!(share > 0.99 && share < 1.0, "{violated}");
    assert!(violated["low"].as_f64().unwrap() < share);
    let flip = backfire["flips"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["input"] == "`Backfire` range")
        .unwrap();
    assert_eq!(flip["at"], 2200.0, "{flip}");
    // The text says it in words.
    let (_, text, _) = run(&["sweep", LETTER, DISPUTED, "--samples", "4000"]);
    assert!(
        text.contains("flips at `Backfire` range 2200 km: "),
        "{text}"
    );
}

#[test]
fn one_seed_gives_the_same_json_whatever_the_threads() {
    let args = [
        "sweep",
        LETTER,
        DISPUTED,
        "--samples",
        "1500",
        "--seed",
        "42",
        "--format",
        "json",
    ];
    let (_, first, _) = run(&args);
    let (_, second, _) = run(&args);
    assert_eq!(first, second);
    let (_, one_thread, _) = run_with(&[("RAYON_NUM_THREADS", "1")], &args);
    let (_, two_threads, _) = run_with(&[("RAYON_NUM_THREADS", "2")], &args);
    assert_eq!(first, one_thread);
    assert_eq!(one_thread, two_threads);
    let (_, other_seed, _) = run(&[
        "sweep",
        LETTER,
        DISPUTED,
        "--samples",
        "1500",
        "--seed",
        "43",
        "--format",
        "json",
    ]);
    assert_ne!(first, other_seed);
}

#[test]
fn the_text_and_json_of_a_small_sweep() {
    let (code, text, _) = run(&["sweep", LETTER, DISPUTED, "--samples", "200"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("text", text);
    let (code, json, _) = run(&[
        "sweep",
        LETTER,
        DISPUTED,
        "--samples",
        "200",
        "--format",
        "json",
        "--party",
        "USSR",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("json_ussr", json);
}

#[test]
fn a_grid_enumerates_a_small_integer_interval() {
    let narrow = "tests/fixtures/sweep/backfire-range-2198-2202.toml";
    let (code, stdout, stderr) = run(&[
        "sweep",
        LETTER,
        narrow,
        "--grid",
        "--samples",
        "100",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["method"], "grid");
    assert_eq!(
        json["samples"], 20,
        "5 ranges × 2 capabilities × 2 package states"
    );
    assert!(json.get("seed").is_none());
    let backfire = backfire(&json);
    let complies = &backfire["verdicts"][0];
    assert_eq!(
        (&complies["verdict"], &complies["samples"]),
        (&"complies".into(), &6.into())
    );
    // Exhaustive: what the grid shows holds for every combination.
    let (_, text, _) = run(&[
        "sweep",
        LETTER,
        narrow,
        "--grid",
        "--samples",
        "100",
        "--party",
        "USSR",
    ]);
    insta::assert_snapshot!("grid_text", text);
    // More combinations than --samples: a usage error.
    let (code, stdout, stderr) = run(&["sweep", LETTER, narrow, "--grid", "--samples", "19"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    insta::assert_snapshot!("grid_too_large", stderr);
    let (code, _, stderr) = run(&[
        "sweep",
        LETTER,
        narrow,
        "--grid",
        "--samples",
        "19",
        "--message-format",
        "json",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("treaty::usage::grid_too_large"), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    for samples in ["0", "100000001", "-1", "many"] {
        let (code, stdout, stderr) = run(&["sweep", LETTER, DISPUTED, "--samples", samples]);
        assert_eq!((code, stdout.as_str()), (2, ""), "--samples {samples}");
        assert!(stderr.contains("--samples"), "{stderr}");
    }
    let (code, _, _) = run(&["sweep", LETTER, DISPUTED]);
    assert_eq!(code, 2, "--samples is required");
    let (code, _, stderr) = run(&["sweep", LETTER, DISPUTED, "--samples", "5", "--party", "UK"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown party `UK`"), "{stderr}");
    // A scenario that does not load: its diagnostics, exit 1.
    let (code, _, stderr) = run(&["sweep", LETTER, "scenarios/missing.toml", "--samples", "5"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("treaty::scenario::io"), "{stderr}");
}

#[test]
fn a_reading_is_chosen_as_for_eval() {
    let (code, stdout, _) = run(&[
        "sweep",
        LETTER,
        DISPUTED,
        "--samples",
        "50",
        "--reading",
        "alcm_band=exclusive",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["readings"]["alcm_band"], "exclusive");
}
