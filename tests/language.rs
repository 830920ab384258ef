//! The language's later constructs at work, each on a rule file and a scenario of
//! `tests/fixtures/eval/`: attribute defaults, dates relative to entry into force, named
//! sources, quantities in tests, quantities of provisions not in force, readings inside
//! selections. The reports are snapshot-tested; the numbers that matter are asserted.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::path::Path;

use treaty::check;
use treaty::eval::{self, Options};
use treaty::interval::Amount;
use treaty::lang::Verdict;
use treaty::model::Model;
use treaty::report::{self, ProvisionReport, Report, TextOptions};

use common::root;

fn model(rules: &str) -> Model {
    match check::check_file(Path::new(rules), &root()) {
        Ok(checked) => {
            assert!(
                checked.warnings.is_empty(),
                "{rules}: {:?}",
                checked.warnings
            );
            checked.model
        }
        Err(errors) => panic!("{rules}: {errors:?}"),
    }
}

fn evaluate(model: &Model, scenario: &str) -> Report {
    let facts = treaty::scenario::load_path(Path::new(scenario), model)
        .unwrap_or_else(|e| panic!("{scenario}: {e:?}"));
    eval::evaluate(model, &facts, &Options::defaults(model)).unwrap()
}

fn provision<'r>(report: &'r Report, party: &str, id: &str) -> &'r ProvisionReport {
    report
        .parties
        .iter()
        .find(|p| p.party == party)
        .and_then(|p| p.provisions.iter().find(|r| r.id == id))
        .unwrap_or_else(|| panic!("no {id} for {party}"))
}

fn explained(report: &Report) -> String {
    report::render_text(
        report,
        &TextOptions {
            explain: true,
            color: false,
            width: None,
        },
    )
}

/// A vocabulary's defaults decide a limit over complete data, and the explanation says so;
/// `"unknown"` in the scenario stays unknown.
#[test]
fn defaults_decide_where_the_scenario_is_silent() {
    let model = model("tests/fixtures/eval/start-defaults.treaty");
    let report = evaluate(&model, "tests/fixtures/eval/start-defaults.toml");
    let launchers = provision(&report, "USA", "launchers");
    assert_eq!(launchers.verdict, Verdict::Violated);
    assert_eq!(launchers.quantity, Some(Amount::exact(905)));
    assert_eq!(launchers.excess, Some(105));
    assert!(
        launchers.contributors[0]
            .defaults
            .contains(&"converted: not stated, default no".to_string())
    );
    let warheads = provision(&report, "USA", "deployed_warheads");
    assert_eq!(warheads.quantity, Some(Amount::exact(3154)));
    // Tu-95 says purpose = "unknown": possibly counted, not defaulted.
    let soviet = provision(&report, "USSR", "launchers");
    assert_eq!(
        soviet.quantity,
        Some(Amount {
            min: Some(716),
            max: Some(800)
        })
    );
    let text = explained(&report);
    assert!(text.contains("type.warheads: not stated for `SS-25`, default 1"));
    insta::assert_snapshot!("defaults_text", text);
    insta::assert_snapshot!("defaults_json", report::render_json(&report));
}

/// A reading inside a selection: the explanation names the variant that selected a holding,
/// and the one that left it out with the variant that would count it.
#[test]
fn a_reading_inside_a_selection_is_named() {
    let model = model("tests/fixtures/eval/reading-selection.treaty");
    let scenario = "scenarios/hypothetical-boundary-600km.toml";
    let facts = treaty::scenario::load_path(Path::new(scenario), &model).unwrap();
    let inclusive = eval::evaluate(&model, &facts, &Options::defaults(&model)).unwrap();
    let counted = provision(&inclusive, "USA", "band_bomber_limit");
    assert_eq!(counted.quantity, Some(Amount::exact(20)));
    assert!(
        counted.contributors[0]
            .because
            .ends_with("(reading `alcm_band` is `inclusive`)"),
        "{}",
        counted.contributors[0].because
    );
    assert!(counted.excluded.is_empty());

    let exclusive = eval::Chosen::from_names(&model, &["alcm_band=exclusive".to_string()], None)
        .unwrap()
        .options;
    let report = eval::evaluate(&model, &facts, &exclusive).unwrap();
    let left_out = provision(&report, "USA", "band_bomber_limit");
    assert_eq!(left_out.quantity, Some(Amount::exact(0)));
    assert_eq!(left_out.excluded.len(), 1);
    assert_eq!(
        &*left_out.excluded[0].because,
        "not counted in `band_bombers`: reading `alcm_band` is `exclusive` (counted if `inclusive`)"
    );
    insta::assert_snapshot!("reading_selection_explain", explained(&report));
}

/// `--all-readings`: each combination's verdict and quantity, in the JSON and under each
/// provision that depends on a reading in the text (without `--explain`); the header names no
/// single reading.
#[test]
fn all_readings_give_each_combinations_quantity() {
    let model = model("tests/fixtures/eval/reading-selection.treaty");
    let facts = treaty::scenario::load_path(
        Path::new("scenarios/hypothetical-boundary-600km.toml"),
        &model,
    )
    .unwrap();
    let report = eval::evaluate_all_readings(&model, &facts, &Options::defaults(&model)).unwrap();
    let usa = provision(&report, "USA", "band_bomber_limit");
    let by_reading = usa.by_reading.as_ref().unwrap();
    assert_eq!(by_reading[0].quantity, Some(Amount::exact(20)));
    assert_eq!(by_reading[1].quantity, Some(Amount::exact(0)));
    let text = report::render_text(
        &report,
        &TextOptions {
            explain: false,
            color: false,
            width: None,
        },
    );
    assert!(text.contains("all 2 combinations of alcm_band"));
    assert!(text.contains("under alcm_band=exclusive: complies with 0"));
    insta::assert_snapshot!("all_readings_text", text);
    insta::assert_snapshot!("all_readings_json", report::render_json(&report));
}

/// Everything together on a treaty shaped like the INF Treaty: a ban `in force from entry
/// into force + 18 months` on a position entering into force on 1 June 1988 is not in force on
/// 30 November 1989 and in force on 1 December, with its quantity on both days; the file (a
/// vocabulary with defaults, entry into force, two named sources, tests pinning quantities)
/// checks clean and its tests pass.
#[test]
fn a_ban_eighteen_months_after_entry_into_force() {
    let model = model("tests/fixtures/eval/inf-1987.treaty");
    assert_eq!(
        model.entry_into_force.map(|d| d.to_string()).as_deref(),
        Some("1988-06-01")
    );
    assert_eq!(model.sources.len(), 2);

    let before = evaluate(&model, "tests/fixtures/eval/inf-1989-11-30.toml");
    let ban = provision(&before, "USSR", "shorter_range_ban");
    assert_eq!(ban.verdict, Verdict::NotInForce);
    assert_eq!(ban.quantity, Some(Amount::exact(20)));
    assert_eq!(ban.excess, None);
    let period = ban.in_force.as_ref().unwrap();
    assert_eq!(
        period.to_string(),
        "from 1989-12-01 (entry into force + 18 months)"
    );

    let after = evaluate(&model, "tests/fixtures/eval/inf-1989-12-01.toml");
    let ban = provision(&after, "USSR", "shorter_range_ban");
    assert_eq!(ban.verdict, Verdict::Violated);
    assert_eq!(ban.quantity, Some(Amount::exact(20)));
    assert_eq!(ban.excess, Some(20));
    assert_eq!(
        ban.quote_sources,
        vec!["treaty".to_string(), "treaty".to_string()]
    );

    for test in &model.tests {
        let results = treaty::test_blocks::run_test(&model, test).unwrap();
        assert!(
            results.iter().all(|r| r.passed()),
            "{}: {results:?}",
            test.title
        );
    }
    insta::assert_snapshot!("inf_before_text", explained(&before));
    insta::assert_snapshot!("inf_after_json", report::render_json(&after));
}
