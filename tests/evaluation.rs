//! Snapshot-tested interpretations: every rule file in `rules/` × every scenario in
//! `scenarios/`, evaluated with explanations (text) and as JSON. A new rule file or scenario
//! is covered with no new code. Also the scenario-error fixtures, and the letter's verdicts.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a panic in a test's helper is a failing test"
)]

mod common;

use std::path::{Path, PathBuf};
use treaty::lang::Verdict;

use treaty::check;
use treaty::eval::{self, Options};
use treaty::model::Model;
use treaty::report::{self, Report, TextOptions};

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
            let checked = check::check_file(&path, &root())
                .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
            (path, checked.model)
        })
        .filter(|(_, model)| model.kind != treaty::lang::DocumentKind::Vocabulary)
        .collect()
}

fn evaluate(model: &Model, scenario: &Path) -> Option<Report> {
    // A scenario written for another vocabulary does not load: that pair is not compared.
    let facts = treaty::scenario::load_path(scenario, model).ok()?;
    let report = eval::evaluate_all_readings(model, &facts, &Options::defaults(model)).unwrap();
    // The verdicts alone (what `treaty sweep` asks for) are the report's, for every position.
    let alone = eval::verdicts(model, &facts, &Options::defaults(model)).unwrap();
    let reported = report.verdicts();
    assert_eq!(alone, reported, "{}", scenario.display());
    Some(report)
}

#[test]
fn every_position_on_every_scenario() {
    let positions = positions();
    assert!(!positions.is_empty());
    insta::glob!("../scenarios", "*.{toml,json}", |scenario| {
        let scenario = relative(scenario);
        let mut text = String::new();
        let mut json = String::new();
        for (path, model) in &positions {
            let Some(report) = evaluate(model, &scenario) else {
                continue;
            };
            text.push_str(&format!("═══ {} ═══\n", path.display()));
            text.push_str(&report::render_text(
                &report,
                &TextOptions {
                    explain: true,
                    color: false,
                    width: None,
                },
            ));
            json.push_str(&report::render_json(&report));
        }
        assert!(
            !text.is_empty(),
            "{}: no position could evaluate it",
            scenario.display()
        );
        insta::assert_snapshot!("text", text);
        insta::assert_snapshot!("json", json);
    });
}

#[test]
fn scenario_mistakes_are_diagnosed() {
    let model = check::check_file(Path::new("rules/ussr-1977-03-15.treaty"), &root())
        .unwrap()
        .model;
    insta::glob!("fixtures/scenario/err/*.{toml,json}", |path| {
        let path = relative(path);
        let errors = treaty::scenario::load_path(&path, &model)
            .err()
            .unwrap_or_else(|| panic!("{} should fail", path.display()));
        let rendered: Vec<String> = errors
            .iter()
            .map(|e| treaty::diagnostics::render(e, false, 80))
            .collect();
        insta::assert_snapshot!(rendered.join("\n"));
    });
}

#[test]
fn five_mistakes_give_five_diagnostics_on_their_lines() {
    let model = check::check_file(Path::new("rules/ussr-1977-03-15.treaty"), &root())
        .unwrap()
        .model;
    for file in [
        "tests/fixtures/scenario/err/five-mistakes.toml",
        "tests/fixtures/scenario/err/five-mistakes.json",
    ] {
        let errors = treaty::scenario::load_path(Path::new(file), &model).unwrap_err();
        assert_eq!(errors.len(), 5, "{file}");
        let mut lines: Vec<usize> = errors
            .iter()
            .map(|e| treaty::diagnostics::record(e).labels.first().unwrap().line)
            .collect();
        lines.dedup();
        assert_eq!(
            lines.len(),
            5,
            "{file}: five different lines, got {lines:?}"
        );
    }
}

fn verdict(
    report: &Report,
    party: &str,
    id: &str,
) -> (Verdict, Option<treaty::interval::Amount>, Option<u64>) {
    let provision = report
        .parties
        .iter()
        .find(|p| p.party == party)
        .and_then(|p| p.provisions.iter().find(|r| r.id == id))
        .unwrap_or_else(|| panic!("no {id} for {party}"));
    (provision.verdict, provision.quantity, provision.excess)
}

#[test]
fn the_letter_on_the_salt_ii_data_base() {
    let model = check::check_file(Path::new("rules/ussr-1977-03-15.treaty"), &root())
        .unwrap()
        .model;
    let report = evaluate(
        &model,
        Path::new("scenarios/salt2-data-base-1978-11-01.toml"),
    )
    .unwrap();
    use treaty::interval::Amount;
    assert_eq!(
        verdict(&report, "USA", "aggregate_ceiling"),
        (Verdict::Complies, Some(Amount::exact(2284)), None)
    );
    assert_eq!(
        verdict(&report, "USSR", "aggregate_ceiling"),
        (Verdict::Violated, Some(Amount::exact(2504)), Some(104))
    );
    assert_eq!(
        verdict(&report, "USA", "mirv_ceiling"),
        (Verdict::Complies, Some(Amount::exact(1046)), None)
    );
    assert_eq!(
        verdict(&report, "USSR", "mirv_ceiling"),
        (Verdict::Complies, Some(Amount::exact(704)), None)
    );
    let again = evaluate(
        &model,
        Path::new("scenarios/salt2-data-base-1978-11-01.toml"),
    )
    .unwrap();
    assert_eq!(
        report::render_json(&report),
        report::render_json(&again),
        "byte-identical run to run"
    );
}

#[test]
fn the_letter_on_the_hypothetical_scenario() {
    let model = check::check_file(Path::new("rules/ussr-1977-03-15.treaty"), &root())
        .unwrap()
        .model;
    let report = evaluate(
        &model,
        Path::new("scenarios/hypothetical-1985-cruise-missiles.toml"),
    )
    .unwrap();
    // Every ban and the assurance is broken or in doubt somewhere in this scenario.
    for id in [
        "alcm_over_2500_ban",
        "alcm_non_heavy_bomber_ban",
        "sea_land_cruise_missile_ban",
        "mobile_icbm_ban",
        "backfire_assurance",
        "mirv_ceiling",
        "aggregate_ceiling",
    ] {
        let unsettled = report
            .parties
            .iter()
            .flat_map(|p| &p.provisions)
            .filter(|p| p.id == id)
            .any(|p| matches!(p.verdict, Verdict::Violated | Verdict::Undetermined));
        assert!(unsettled, "{id} is neither violated nor undetermined");
    }
    // Undetermined verdicts name what decides them.
    for provision in report.parties.iter().flat_map(|p| &p.provisions) {
        if provision.verdict == Verdict::Undetermined {
            assert!(
                !provision.unknowns.is_empty(),
                "{} undetermined without unknowns",
                provision.id
            );
        }
    }
}

/// An intelligence estimate as an interval makes a limit undetermined; narrowing it to one
/// side of the bound decides it.
#[test]
fn narrowing_an_estimate_decides_a_limit() {
    let model = check::check_file(Path::new("rules/ussr-1977-03-15.treaty"), &root())
        .unwrap()
        .model;
    let scenario = |count: &str| {
        format!(
            "[scenario]\ntitle = \"estimate\"\ndate = 1979-06-18\nparties = [\"USA\", \"USSR\"]\n\n[[holdings]]\nparty = \"USSR\"\nname = \"ICBM launchers (estimate)\"\nclass = \"icbm_launcher\"\nmobile = false\ncount = \"{count}\"\n"
        )
    };
    let run = |count: &str| {
        let file = treaty::span::SourceFile::new("estimate.toml", scenario(count));
        let facts = treaty::scenario::load(&file, &model).unwrap();
        eval::evaluate(&model, &facts, &Options::defaults(&model)).unwrap()
    };
    let wide = run("2300..2500");
    let (v, _, _) = verdict(&wide, "USSR", "aggregate_ceiling");
    assert_eq!(v, Verdict::Undetermined);
    let provision = wide
        .parties
        .iter()
        .flat_map(|p| &p.provisions)
        .find(|p| p.id == "aggregate_ceiling" && p.verdict == Verdict::Undetermined)
        .unwrap();
    assert!(
        provision
            .unknowns
            .iter()
            .any(|u| u.contains("ICBM launchers (estimate)")),
        "{:?}",
        provision.unknowns
    );
    assert_eq!(
        verdict(&run("2300..2400"), "USSR", "aggregate_ceiling").0,
        Verdict::Complies
    );
    assert_eq!(
        verdict(&run("2401..2500"), "USSR", "aggregate_ceiling").0,
        Verdict::Violated
    );
}

/// Limits of evaluation are diagnostics with codes, shown by fixtures.
#[test]
fn evaluation_limits_are_diagnostics() {
    let letter = check::check_file(Path::new("rules/ussr-1977-03-15.treaty"), &root())
        .unwrap()
        .model;
    let facts =
        treaty::scenario::load_path(Path::new("tests/fixtures/eval/overflow.toml"), &letter)
            .unwrap();
    // An overflow stays with the provisions it concerns: the report is still produced.
    let report = eval::evaluate(&letter, &facts, &Options::defaults(&letter)).unwrap();
    let (overflowed, evaluated): (Vec<_>, Vec<_>) = report
        .parties
        .iter()
        .flat_map(|p| p.provisions.iter().map(move |r| (p.party.as_str(), r)))
        .filter(|(_, r)| r.kind != treaty::lang::ProvisionKind::Statement)
        .partition(|(_, r)| r.verdict == Verdict::NotEvaluable);
    assert_eq!(
        overflowed
            .iter()
            .map(|(party, r)| format!("{party} {}", r.id))
            .collect::<Vec<_>>(),
        ["USA aggregate_ceiling", "USA mirv_ceiling"]
    );
    assert!(
        overflowed
            .iter()
            .all(|(_, r)| r.remarks[0].starts_with("treaty::eval::overflow: "))
    );
    assert!(evaluated.iter().any(|(party, r)| *party == "USSR"
        && r.id == "aggregate_ceiling"
        && r.verdict == Verdict::Complies));
    insta::assert_snapshot!(
        "overflow",
        report::render_text(
            &report,
            &TextOptions {
                explain: false,
                color: false,
                width: None,
            }
        )
    );

    let many = check::check_file(
        Path::new("tests/fixtures/eval/many_readings.treaty"),
        &root(),
    )
    .unwrap()
    .model;
    let facts = treaty::scenario::load_path(
        Path::new("scenarios/salt2-data-base-1978-11-01.toml"),
        &many,
    )
    .unwrap();
    let error = eval::evaluate_all_readings(&many, &facts, &Options::defaults(&many)).unwrap_err();
    insta::assert_snapshot!(
        "too_many_readings",
        treaty::diagnostics::render(&error, false, 80)
    );
    // Settling one reading halves the combinations, under the cap.
    let report =
        eval::evaluate_all_readings_except(&many, &facts, &Options::defaults(&many), &[0]).unwrap();
    let by_reading = report.parties[0]
        .provisions
        .iter()
        .find(|p| p.id == "ceiling")
        .unwrap()
        .by_reading
        .as_ref()
        .unwrap();
    assert_eq!(by_reading.len(), 256);
    assert!(
        by_reading
            .iter()
            .all(|rv| rv.readings.get("r0") == Some("a"))
    );
}

/// A difference of counts can be negative, and a limit on it must say so.
#[test]
fn differences_of_counts_may_be_negative() {
    let rules = "position \"differences\" {\n    parties USA, USSR\n}\nuse \"rules/vocabulary/strategic.treaty\"\n\
        category icbms { holdings where class = icbm_launcher }\n\
        category slbms { holdings where class = slbm_launcher }\n\
        limit no_fewer_icbms for each party { count of icbms - count of slbms at least 0 }\n\
        limit balanced for each party { count of icbms - count of slbms = 0 }\n\
        limit icbms_over_slbms for each party { count of icbms - count of slbms at most 50 }\n";
    let file = treaty::span::SourceFile::new("differences.treaty", rules);
    let model = check::check_source(file, Path::new("."), &root())
        .unwrap()
        .model;
    let scenario = "[scenario]\ntitle = \"t\"\ndate = 1979-01-01\nparties = [\"USA\", \"USSR\"]\n\n\
        [[holdings]]\nparty = \"USA\"\nname = \"ICBM launchers\"\nclass = \"icbm_launcher\"\nmobile = false\ncount = 100\n\n\
        [[holdings]]\nparty = \"USA\"\nname = \"SLBM launchers\"\nclass = \"slbm_launcher\"\ncount = 200\n";
    let facts =
        treaty::scenario::load(&treaty::span::SourceFile::new("t.toml", scenario), &model).unwrap();
    let report = eval::evaluate(&model, &facts, &Options::defaults(&model)).unwrap();
    use treaty::interval::Amount;
    assert_eq!(
        verdict(&report, "USA", "no_fewer_icbms"),
        (Verdict::Violated, Some(Amount::exact(-100)), Some(100))
    );
    assert_eq!(
        verdict(&report, "USA", "balanced"),
        (Verdict::Violated, Some(Amount::exact(-100)), Some(100))
    );
    assert_eq!(
        verdict(&report, "USA", "icbms_over_slbms"),
        (Verdict::Complies, Some(Amount::exact(-100)), None)
    );
    let json = report::render_json(&report);
    assert!(json.contains("\"min\": -100"), "{json}");
}

fn provision<'r>(report: &'r Report, party: &str, id: &str) -> &'r report::ProvisionReport {
    report
        .parties
        .iter()
        .find(|p| p.party == party)
        .and_then(|p| p.provisions.iter().find(|r| r.id == id))
        .unwrap_or_else(|| panic!("no {id} for {party}"))
}

fn letter() -> Model {
    check::check_file(Path::new("rules/ussr-1977-03-15.treaty"), &root())
        .unwrap()
        .model
}

/// Declared figures are set beside the computed quantity, inside or outside what the
/// holdings allow, with a verdict of their own; estimated holdings mark the quantity.
#[test]
fn declared_figures_beside_estimated_quantities() {
    let letter = letter();
    let facts = treaty::scenario::load_path(
        Path::new("tests/fixtures/eval/declared-and-estimated.toml"),
        &letter,
    )
    .unwrap();
    let report = eval::evaluate(&letter, &facts, &Options::defaults(&letter)).unwrap();
    use treaty::interval::Interval;
    let inside = provision(&report, "USA", "aggregate_ceiling");
    assert_eq!(inside.declared, Some(Interval::exact(2284)));
    assert_eq!(inside.declared_consistent, Some(true));
    assert_eq!(inside.declared_verdict, Some(Verdict::Complies));
    assert!(inside.estimated);
    let outside = provision(&report, "USA", "mirv_ceiling");
    assert_eq!(outside.declared, Interval::new(1100, 1200));
    assert_eq!(outside.declared_consistent, Some(false));
    assert!(!outside.estimated);
    let ussr = provision(&report, "USSR", "aggregate_ceiling");
    assert_eq!(
        (
            ussr.verdict,
            ussr.declared_consistent,
            ussr.declared_verdict
        ),
        (Verdict::Violated, Some(false), Some(Verdict::Complies))
    );
    assert_eq!(
        provision(&report, "USSR", "backfire_assurance").declared,
        None
    );
    assert_eq!(report.warnings.len(), 2, "{:?}", report.warnings);
    let text = report::render_text(
        &report,
        &TextOptions {
            explain: true,
            color: false,
            width: None,
        },
    );
    assert!(text.contains("~2026..2284  <= 2400          2284 (consistent; complies)"));
    insta::assert_snapshot!("declared_text", text);
    insta::assert_snapshot!("declared_json", report::render_json(&report));
    insta::assert_snapshot!("declared_markdown", report::render_markdown(&report));
}

/// The letter's Backfire assurance finds the plane under every designation; with its range
/// unknown the assurance is undetermined, never silently met.
#[test]
fn the_backfire_under_every_designation() {
    let letter = letter();
    let salt2 = check::check_file(Path::new("rules/salt2-1979.treaty"), &root())
        .unwrap()
        .model;
    for name in ["Backfire", "Tu-22M", "Tu-22M2", "Tu-22M3", "Tu-26"] {
        let scenario = format!(
            "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USSR\"]\n\n\
             [types.\"{name}\"]\nclass = \"aircraft\"\nrange = \"unknown\"\nintercontinental = \"unknown\"\n\n\
             [[holdings]]\nparty = \"USSR\"\nname = \"{name} bombers\"\nclass = \"medium_bomber\"\ntype = \"{name}\"\ncount = 200\narmament = []\n"
        );
        for model in [&letter, &salt2] {
            let file = treaty::span::SourceFile::new("t.toml", scenario.clone());
            let facts = treaty::scenario::load(&file, model).unwrap();
            let report = eval::evaluate(model, &facts, &Options::defaults(model)).unwrap();
            let assurance = provision(&report, "USSR", "backfire_assurance");
            assert_eq!(assurance.verdict, Verdict::Undetermined, "{name}");
            assert_eq!(assurance.contributors.len(), 1, "{name}");
            // The letter's assurance applies only if `backfire_withdrawn` is agreed, which the
            // scenario does not state: where it does not apply nothing is counted, so the
            // bombers are not reported as "0..200".
            assert_eq!(
                assurance.contributors[0].count,
                treaty::interval::Interval::exact(200),
                "{name}"
            );
        }
    }
}

/// An assurance over an empty category holds, and says why.
#[test]
fn a_vacuous_assurance_says_so() {
    let letter = letter();
    let report = evaluate(
        &letter,
        Path::new("scenarios/salt2-data-base-1978-11-01.toml"),
    )
    .unwrap();
    let assurance = provision(&report, "USSR", "backfire_assurance");
    assert_eq!(assurance.verdict, Verdict::Complies);
    assert_eq!(
        assurance.remarks,
        ["no holding in `backfire`: the assurance holds vacuously"]
    );
    // An assurance with something to cover says nothing of the kind.
    let report = evaluate(
        &letter,
        Path::new("scenarios/hypothetical-1985-cruise-missiles.toml"),
    )
    .unwrap();
    assert!(
        provision(&report, "USSR", "backfire_assurance")
            .remarks
            .is_empty()
    );
}

/// A party of the scenario with no holdings at all is a warning of the report.
#[test]
fn a_party_without_holdings_is_a_warning() {
    let letter = letter();
    let scenario = "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\", \"USSR\"]\n\n\
        [[holdings]]\nparty = \"USA\"\nname = \"Minuteman III\"\nclass = \"icbm_launcher\"\nmobile = false\ncount = 550\n";
    let file = treaty::span::SourceFile::new("t.toml", scenario);
    let facts = treaty::scenario::load(&file, &letter).unwrap();
    let report = eval::evaluate(&letter, &facts, &Options::defaults(&letter)).unwrap();
    assert_eq!(
        report.warnings,
        ["USSR has no holdings in the scenario: every quantity of USSR is 0"]
    );
    let json = report::render_json(&report);
    assert!(
        json.contains("\"warnings\": [\n    \"USSR has no holdings"),
        "{json}"
    );
    let text = report::render_text(&report, &TextOptions::default());
    assert!(text.contains("  warning   USSR has no holdings in the scenario"));
}

/// Unstated packages split an evaluation into worlds; the joined report takes the quantity
/// from the worlds where the provision applies (all of them when it applies in none), says
/// which holdings count only under some assumptions, and lists each holding a reading leaves
/// out once, however many worlds left it out.
#[test]
fn worlds_of_unstated_packages_are_joined_as_they_apply() {
    let rules = "position \"worlds\" {\n    parties USA, USSR\n}\nuse \"rules/vocabulary/strategic.treaty\"\n\
        package p \"p\" {}\n\
        package q \"q\" {}\n\
        reading r \"r?\" {\n    variant a \"a\"\n    variant b \"b\" (default)\n    variant c \"c\"\n}\n\
        category icbms_unless_b { holdings where class = icbm_launcher and (reading r is a or reading r is c) }\n\
        category slbms_if_p { holdings where class = slbm_launcher and package p is agreed }\n\
        limit both for each party { count of icbms_unless_b + count of slbms_if_p at most 1000 }\n\
        limit when_p for each party {\n    when package p is agreed\n    count of slbms_if_p at most 1000\n}\n\
        limit when_q for each party {\n    when package q is agreed\n    count of slbms_if_p at most 1000\n}\n";
    let file = treaty::span::SourceFile::new("worlds.treaty", rules);
    let model = check::check_source(file, Path::new("."), &root())
        .unwrap()
        .model;
    let scenario = "[scenario]\ntitle = \"t\"\ndate = 1979-01-01\nparties = [\"USA\", \"USSR\"]\n\n\
        [packages]\nq = \"rejected\"\n\n\
        [[holdings]]\nparty = \"USA\"\nname = \"ICBM one\"\nclass = \"icbm_launcher\"\nmobile = false\ncount = 10\n\n\
        [[holdings]]\nparty = \"USA\"\nname = \"ICBM two\"\nclass = \"icbm_launcher\"\nmobile = false\ncount = 20\n\n\
        [[holdings]]\nparty = \"USA\"\nname = \"SLBM\"\nclass = \"slbm_launcher\"\ncount = 30\n";
    let facts =
        treaty::scenario::load(&treaty::span::SourceFile::new("t.toml", scenario), &model).unwrap();
    let report = eval::evaluate(&model, &facts, &Options::defaults(&model)).unwrap();
    use treaty::interval::{Amount, Interval};
    let range = |min, max| Interval::new(min, max).unwrap();
    let counted_only_if_p = |p: &report::ProvisionReport| {
        let slbm = p
            .contributors
            .iter()
            .find(|c| &*c.holding == "SLBM")
            .unwrap();
        (
            slbm.count,
            slbm.because
                .ends_with("; counted only if package `p` is agreed"),
        )
    };

    // Both worlds apply: the SLBM counts only if `p` is agreed; the ICBMs, left out by the
    // reading in both worlds, are listed once each.
    let both = provision(&report, "USA", "both");
    assert_eq!(both.verdict, Verdict::Complies);
    assert_eq!(both.quantity, Some(Amount::from(range(0, 30))));
    assert_eq!(counted_only_if_p(both), (range(0, 30), true));
    let left_out: Vec<&str> = both.excluded.iter().map(|c| &*c.holding).collect();
    assert_eq!(left_out, ["ICBM one", "ICBM two"]);
    assert_eq!(
        &*both.excluded[0].because,
        "not counted in `icbms_unless_b`: reading `r` is `b` (counted if `a`, counted if `c`)"
    );

    // Applies only where `p` is agreed: the quantity is that world's, the SLBM counts there.
    let when_p = provision(&report, "USA", "when_p");
    assert_eq!(when_p.verdict, Verdict::Complies);
    assert_eq!(when_p.quantity, Some(Amount::exact(30)));
    assert_eq!(counted_only_if_p(when_p), (Interval::exact(30), false));

    // Applies in no world (`q` is rejected): what it would measure, over every world.
    let when_q = provision(&report, "USA", "when_q");
    assert_eq!(when_q.verdict, Verdict::NotApplicable);
    assert_eq!(when_q.quantity, Some(Amount::from(range(0, 30))));
    assert_eq!(counted_only_if_p(when_q), (range(0, 30), true));
}

/// A contributor lists each default the vocabulary supplied for it once, those of its weight
/// first, however often its membership read them.
#[test]
fn a_contributor_lists_the_defaults_that_decided_it_once() {
    let model = check::check_file(
        Path::new("tests/fixtures/eval/start-defaults.treaty"),
        &root(),
    )
    .unwrap()
    .model;
    let report = evaluate(&model, Path::new("tests/fixtures/eval/start-defaults.toml")).unwrap();
    let warheads = provision(&report, "USA", "deployed_warheads");
    let minuteman = warheads
        .contributors
        .iter()
        .find(|c| &*c.holding == "Minuteman II launchers")
        .unwrap();
    assert_eq!(
        minuteman.defaults,
        [
            "type.warheads: not stated for `Minuteman II`, default 1",
            "converted: not stated, default no",
            "purpose: not stated, default operational"
        ]
    );
}

/// A holding counted in every world of an unstated package, through defaults that differ from
/// world to world, lists the defaults of every world.
#[test]
fn defaults_read_in_different_worlds_are_all_listed() {
    let rules = "treaty \"defaults in worlds\" {\n    date 1991-07-31\n    parties USA, USSR\n}\n\
        weapon types {\n    class: one of icbm\n}\n\
        holdings {\n    class: one of icbm_launcher\n    converted: boolean (default no)\n    purpose: one of operational, test (default operational)\n}\n\
        package p \"p\" {}\n\
        category launchers { holdings where class = icbm_launcher and ((package p is agreed and not converted) or (not (package p is agreed) and purpose = operational)) }\n\
        limit ceiling for each party { count of launchers at most 1000 }\n";
    let file = treaty::span::SourceFile::new("worlds.treaty", rules);
    let model = check::check_source(file, Path::new("."), &root())
        .unwrap()
        .model;
    let scenario = "[scenario]\ntitle = \"t\"\ndate = 1991-07-31\nparties = [\"USA\", \"USSR\"]\n\n\
        [[holdings]]\nparty = \"USA\"\nname = \"launchers\"\nclass = \"icbm_launcher\"\ncount = 5\n";
    let facts =
        treaty::scenario::load(&treaty::span::SourceFile::new("t.toml", scenario), &model).unwrap();
    let report = eval::evaluate(&model, &facts, &Options::defaults(&model)).unwrap();
    let ceiling = provision(&report, "USA", "ceiling");
    assert_eq!(ceiling.quantity, Some(treaty::interval::Amount::exact(5)));
    let mut defaults = ceiling.contributors[0].defaults.clone();
    defaults.sort();
    assert_eq!(
        defaults,
        [
            "converted: not stated, default no",
            "purpose: not stated, default operational"
        ]
    );
}
