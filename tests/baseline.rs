//! The hand-written baseline of the benchmarks (`benches/support/baseline.rs`) computes the
//! letter's verdicts, quantities and contributors exactly as the interpreter does: on every
//! scenario of `scenarios/`, under both readings, and on generated scenarios of every kind.
//! Also: the generators give the same facts in TOML and JSON, and rule files that check clean.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

#[path = "../benches/support/mod.rs"]
#[allow(
    dead_code,
    reason = "the benchmarks use more of the support code than these tests"
)]
mod support;

use treaty::check;
use treaty::eval::{self, Options};
use treaty::model::Model;
use treaty::scenario::{self, Facts};
use treaty::span::SourceFile;

use support::baseline::{self, Band, Letter};
use support::generate::{self, Notation, Packages, Scenario};

/// The interpreter's options for a variant of `alcm_band`.
fn options(model: &Model, band: Band) -> Options {
    let mut readings = model.default_readings();
    if band == Band::Exclusive {
        let reading = model.reading("alcm_band").unwrap();
        let variant = model.readings[reading]
            .variants
            .iter()
            .position(|v| v.name == "exclusive")
            .unwrap();
        readings[reading] = variant;
    }
    Options {
        readings,
        party: None,
    }
}

/// Panics with the first difference between the baseline and the interpreter.
fn assert_agree(model: &Model, letter: &Letter, facts: &Facts, what: &str) {
    for band in [Band::Inclusive, Band::Exclusive] {
        let report = eval::evaluate(model, facts, &options(model, band)).unwrap();
        // The verdicts alone (what `treaty sweep` asks for) are the report's.
        let alone = eval::verdicts(model, facts, &options(model, band)).unwrap();
        let reported = report.verdicts();
        assert_eq!(alone, reported, "{what}, {band:?}: verdicts alone");
        let ours = letter.evaluate(facts, band).unwrap();
        if let Some(difference) = baseline::difference(model, facts, &ours, &report) {
            panic!("{what}, {band:?}: {difference}");
        }
    }
}

#[test]
fn baseline_agrees_on_every_scenario_of_the_project() {
    let model = support::letter().unwrap();
    let letter = Letter::new(&model).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(support::project().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    for path in files {
        let facts = scenario::load_path(&path, &model).unwrap();
        assert_agree(&model, &letter, &facts, &path.display().to_string());
    }
}

#[test]
fn baseline_agrees_on_generated_scenarios() {
    let model = support::letter().unwrap();
    let letter = Letter::new(&model).unwrap();
    let mut verdicts = std::collections::BTreeSet::new();
    for seed in 0..240u64 {
        let packages = [Packages::Mixed, Packages::Unstated, Packages::Agreed][seed as usize % 3];
        let notation = if seed % 2 == 0 {
            Notation::Toml
        } else {
            Notation::Json
        };
        let scenario = Scenario {
            holdings: (seed as usize * 7) % 41,
            packages,
            seed,
            max_count: [5, 100, 2000][(seed as usize / 3) % 3],
        };
        let facts = scenario.load(&model, notation).unwrap();
        assert_agree(&model, &letter, &facts, &scenario.file_name(notation));
        for party in letter.evaluate(&facts, Band::Inclusive).unwrap() {
            for provision in party.provisions {
                verdicts.insert((provision.id, format!("{:?}", provision.verdict)));
            }
        }
    }
    // The generated scenarios reach every verdict of every rule.
    for id in ["aggregate_ceiling", "mirv_ceiling", "alcm_over_2500_ban"] {
        for verdict in ["Complies", "Violated", "Undetermined", "NotInForce"] {
            assert!(
                verdicts.contains(&(id, verdict.to_owned())),
                "{id} never {verdict}: {verdicts:?}"
            );
        }
    }
    for verdict in [
        "Complies",
        "Violated",
        "Undetermined",
        "NotApplicable",
        "NotInForce",
    ] {
        assert!(
            verdicts.contains(&("backfire_assurance", verdict.to_owned())),
            "backfire_assurance never {verdict}: {verdicts:?}"
        );
    }
}

#[test]
fn baseline_agrees_on_a_few_thousand_holdings() {
    let model = support::letter().unwrap();
    let letter = Letter::new(&model).unwrap();
    for packages in [Packages::Unstated, Packages::Agreed] {
        let scenario = Scenario::new(3_000, packages);
        let facts = scenario.load(&model, Notation::Json).unwrap();
        assert_eq!(facts.holdings.len(), 3_000);
        assert_agree(&model, &letter, &facts, &scenario.file_name(Notation::Json));
    }
}

/// Past 16 384 holdings the interpreter computes a holding's memberships together (for the
/// cache): the same answers.
#[test]
fn baseline_agrees_where_memberships_are_computed_together() {
    let model = support::letter().unwrap();
    let letter = Letter::new(&model).unwrap();
    let scenario = Scenario::new(20_000, Packages::Unstated);
    let facts = scenario.load(&model, Notation::Json).unwrap();
    assert_agree(&model, &letter, &facts, &scenario.file_name(Notation::Json));
}

/// The facts without what only says where they were read.
fn facts_json(facts: &Facts) -> serde_json::Value {
    serde_json::to_value(facts).unwrap()
}

#[test]
fn generated_toml_and_json_and_slices_give_the_same_facts() {
    let model = support::letter().unwrap();
    let scenario = Scenario::new(500, Packages::Mixed);
    let toml = scenario.load(&model, Notation::Toml).unwrap();
    let json = scenario.load(&model, Notation::Json).unwrap();
    let sliced = scenario.load_in_slices(&model, Notation::Json, 64).unwrap();
    assert_eq!(toml.holdings.len(), 500);
    assert_eq!(facts_json(&toml), facts_json(&json));
    assert_eq!(facts_json(&toml), facts_json(&sliced));
    // Deterministic: the same seed, the same bytes.
    assert_eq!(
        scenario.text(Notation::Toml, 0..500),
        scenario.text(Notation::Toml, 0..500)
    );
}

#[test]
fn generated_rule_files_check_clean() {
    let text = generate::rule_file(100_000);
    assert!(text.len() >= 100_000);
    let rules = support::rules_dir();
    let checked = check::check_source(SourceFile::new("generated.treaty", text), &rules, &rules)
        .unwrap_or_else(|errors| panic!("{:?}", errors.first()));
    assert!(
        checked.warnings.is_empty(),
        "{:?}",
        checked.warnings.first()
    );
    assert!(checked.model.provisions.len() >= 100);
}
