//! Snapshot-tested comparisons and headroom: every position in `rules/` side by side on every
//! scenario in `scenarios/` (text, Markdown, and the aligned table as JSON), and the headroom of
//! every position on every scenario. A new rule file or scenario is covered with no new code.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::path::{Path, PathBuf};

use treaty::check;
use treaty::eval::{self, Options};
use treaty::model::Model;
use treaty::report::{self, Comparison, Report, TextOptions};

use common::{relative, root};

/// The positions of the project (vocabulary files are imported, not evaluated).
fn positions() -> Vec<(PathBuf, Model)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("rules"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "treaty"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let path = relative(&path);
            let model = check::check_file(&path, &root()).unwrap().model;
            (path, model)
        })
        .filter(|(_, model)| model.kind != treaty::lang::DocumentKind::Vocabulary)
        .collect()
}

fn reports(scenario: &Path) -> Vec<Report> {
    positions()
        .iter()
        .filter_map(|(_, model)| {
            let facts = treaty::scenario::load_path(scenario, model).ok()?;
            Some(eval::evaluate(model, &facts, &Options::defaults(model)).unwrap())
        })
        .collect()
}

#[test]
fn every_position_side_by_side_on_every_scenario() {
    insta::glob!("../scenarios", "*.{toml,json}", |scenario| {
        let reports = reports(&relative(scenario));
        assert!(reports.len() > 1, "{}", scenario.display());
        let text = report::render_comparison_text(
            &reports,
            &TextOptions {
                explain: false,
                color: false,
                width: None,
            },
        );
        insta::assert_snapshot!("text", text);
        insta::assert_snapshot!("markdown", report::render_comparison_markdown(&reports));
        // The reports themselves are the evaluation snapshots: here the table that aligns them.
        let mut comparison = Comparison::new(&reports);
        comparison.positions.clear();
        insta::assert_snapshot!("json", serde_json::to_string_pretty(&comparison).unwrap());
        let json: Comparison =
            serde_json::from_str(&report::render_comparison_json(&reports)).unwrap();
        assert_eq!(json, Comparison::new(&reports));
    });
}

#[test]
fn every_position_headroom_on_every_scenario() {
    let positions = positions();
    insta::glob!("../scenarios", "*.{toml,json}", |scenario| {
        let scenario = relative(scenario);
        let mut text = String::new();
        for (path, model) in &positions {
            let Ok(facts) = treaty::scenario::load_path(&scenario, model) else {
                continue;
            };
            let headroom =
                treaty::headroom::headroom(model, &facts, &Options::defaults(model), None).unwrap();
            text.push_str(&format!("═══ {} ═══\n", path.display()));
            text.push_str(&treaty::headroom::render_text(&headroom));
        }
        insta::assert_snapshot!("headroom", text);
    });
}

/// The project's positions on the 1979 statements of data: the USSR over 2400 under
/// Vladivostok, the letter and SALT II; on a scenario of 1981 SALT II's bound is 2250.
#[test]
fn the_ussr_over_2400_under_three_positions() {
    let named = |scenario: &str| {
        let reports = reports(Path::new(scenario));
        Comparison::new(&reports)
    };
    let comparison = named("scenarios/salt2-statements-1979-06-18.toml");
    let ussr = comparison
        .parties
        .iter()
        .find(|p| p.party == "USSR")
        .unwrap();
    let aggregate = ussr
        .rows
        .iter()
        .find(|r| r.id == "aggregate_ceiling")
        .unwrap();
    for position in ["vladivostok-1974", "ussr-1977-03-15", "salt2-1979"] {
        let column = comparison
            .columns
            .iter()
            .position(|c| c == position)
            .unwrap();
        let cell = aggregate.cells[column].as_ref().unwrap();
        assert_eq!(cell.verdict, treaty::lang::Verdict::Violated, "{position}");
        assert_eq!(cell.bound.as_ref().unwrap().value, 2400, "{position}");
    }
    let later = named("scenarios/hypothetical-1981-alcm-carriers.toml");
    let column = later
        .columns
        .iter()
        .position(|c| c == "salt2-1979")
        .unwrap();
    let ussr = later.parties.iter().find(|p| p.party == "USSR").unwrap();
    let cell = ussr.rows[0].cells[column].as_ref().unwrap();
    assert_eq!(ussr.rows[0].id, "aggregate_ceiling");
    assert_eq!(cell.bound.as_ref().unwrap().value, 2250);
    // The same B-52s with ALCMs: 20 delivery vehicles each under Vladivostok, one under the
    // letter and SALT II; counted under the 1320 by the letter and SALT II, not Vladivostok.
    let usa = later.parties.iter().find(|p| p.party == "USA").unwrap();
    let bombers: Vec<_> = usa
        .counting
        .iter()
        .filter(|c| &*c.holding == "B-52H heavy bombers with a full load of ALCMs")
        .collect();
    assert_eq!(bombers.len(), 2);
    let at = |name: &str| later.columns.iter().position(|c| c == name).unwrap();
    let count = |row: usize, name: &str| bombers[row].counts[at(name)].unwrap().max.unwrap();
    assert_eq!(bombers[0].provision, "aggregate_ceiling");
    assert_eq!(count(0, "vladivostok-1974"), 320);
    assert_eq!(count(0, "ussr-1977-03-15"), 16);
    assert_eq!(count(0, "salt2-1979"), 16);
    assert_eq!(bombers[1].provision, "mirv_ceiling");
    assert_eq!(count(1, "vladivostok-1974"), 0);
    assert_eq!(count(1, "ussr-1977-03-15"), 16);
}

fn model(path: &str) -> Model {
    check::check_file(Path::new(path), &root()).unwrap().model
}

/// Positions on different vocabulary files compare when they agree on what they share; a
/// disagreement is one error naming the attribute and both definitions.
#[test]
fn positions_on_other_vocabularies() {
    let mut models = vec![
        model("rules/ussr-1977-03-15.treaty"),
        model("tests/fixtures/compare/own_vocabulary.treaty"),
    ];
    treaty::compare::share_vocabulary(&mut models).unwrap();
    let scenario = Path::new("scenarios/salt2-data-base-1978-11-01.toml");
    for model in &models {
        treaty::scenario::load_path(scenario, model).unwrap();
    }
    let mut models = vec![
        model("rules/ussr-1977-03-15.treaty"),
        model("tests/fixtures/compare/own_vocabulary.treaty"),
        model("tests/fixtures/compare/conflicting_vocabulary.treaty"),
    ];
    let problems = treaty::compare::share_vocabulary(&mut models).unwrap_err();
    let rendered: Vec<String> = problems
        .iter()
        .map(|p| treaty::diagnostics::render(p, false, 100))
        .collect();
    insta::assert_snapshot!("vocabulary_conflict", rendered.join("\n"));
}

/// The headroom of the letter on the data base in every format: the JSON contract and the
/// Markdown, as documented.
#[test]
fn headroom_formats() {
    let letter = model("rules/ussr-1977-03-15.treaty");
    let facts = treaty::scenario::load_path(
        Path::new("scenarios/salt2-data-base-1978-11-01.toml"),
        &letter,
    )
    .unwrap();
    let headroom =
        treaty::headroom::headroom(&letter, &facts, &Options::defaults(&letter), None).unwrap();
    insta::assert_snapshot!("headroom_json", treaty::headroom::render_json(&headroom));
    insta::assert_snapshot!(
        "headroom_markdown",
        treaty::headroom::render_markdown(&headroom)
    );
}

/// Every combination of readings: the cells whose verdict depends on them say so.
#[test]
fn comparison_under_every_reading() {
    let scenario = Path::new("scenarios/salt2-data-base-1978-11-01.toml");
    let reports: Vec<Report> = [
        "rules/ussr-1977-03-15.treaty",
        "rules/usa-1977-03-comprehensive.treaty",
    ]
    .iter()
    .map(|path| {
        let model = model(path);
        let facts = treaty::scenario::load_path(scenario, &model).unwrap();
        eval::evaluate_all_readings(&model, &facts, &Options::defaults(&model)).unwrap()
    })
    .collect();
    insta::assert_snapshot!(
        "all_readings",
        report::render_comparison_text(
            &reports,
            &TextOptions {
                explain: false,
                color: false,
                width: None,
            },
        )
    );
}
