//! Headroom on the project's positions and scenarios, on small positions written here, and the
//! integer programs against exhaustive search.

use std::path::Path;

use super::solve::{Failure, Program, Relation, Row};
use super::*;
use crate::check;
use crate::report::Format;
use crate::span::SourceFile;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn model(path: &str) -> Model {
    check::check_file(Path::new(path), root()).unwrap().model
}

fn facts(path: &str, model: &Model) -> Facts {
    crate::scenario::load_path(&root().join(path), model).unwrap()
}

fn party<'a>(headroom: &'a Headroom, name: &str) -> &'a PartyHeadroom {
    headroom.parties.iter().find(|p| p.party == name).unwrap()
}

fn holding<'a>(party: &'a PartyHeadroom, name: &str) -> &'a HoldingRoom {
    party.holdings.iter().find(|h| h.holding == name).unwrap()
}

fn limit<'a>(party: &'a PartyHeadroom, id: &str) -> &'a LimitRoom {
    party.limits.iter().find(|l| l.id == id).unwrap()
}

fn run(rules: &str, scenario: &str, date: Option<&str>) -> Headroom {
    let model = model(rules);
    let facts = facts(scenario, &model);
    let date = date.map(|d| Date::parse(d).unwrap());
    headroom(&model, &facts, &Options::defaults(&model), date).unwrap()
}

#[test]
fn the_letter_on_the_data_base() {
    let headroom = run(
        "rules/ussr-1977-03-15.treaty",
        "scenarios/salt2-data-base-1978-11-01.toml",
        None,
    );
    let usa = party(&headroom, "USA");
    assert_eq!(limit(usa, "aggregate_ceiling").margin.worst, Some(116));
    assert_eq!(limit(usa, "mirv_ceiling").margin.worst, Some(274));
    assert_eq!(usa.binds_first, ["aggregate_ceiling"]);
    // Minuteman III launchers count under both ceilings: the aggregate binds first.
    let mirved = holding(usa, "USA ICBM launchers equipped with MIRVs");
    assert_eq!(mirved.more.worst.units, Some(116));
    assert_eq!(mirved.more.worst.limited_by, ["aggregate_ceiling"]);
    assert_eq!(mirved.more.best, mirved.more.worst);
    assert_eq!(usa.reductions.worst.status, ReductionStatus::NoneNeeded);

    let ussr = party(&headroom, "USSR");
    assert_eq!(limit(ussr, "aggregate_ceiling").margin.worst, Some(-104));
    assert_eq!(limit(ussr, "aggregate_ceiling").verdict, Verdict::Violated);
    for case in [&ussr.reductions.worst, &ussr.reductions.best] {
        assert_eq!(case.status, ReductionStatus::Found);
        assert_eq!(case.total, Some(104));
        assert_eq!(case.optimal, Some(true));
        // Holdings the MIRV ceiling does not count go first; the others counted alike are named.
        let step = &case.steps[0];
        assert_eq!(step.holding, "USSR ICBM launchers not equipped with MIRVs");
        assert_eq!(step.serves, ["aggregate_ceiling"]);
        assert_eq!(
            step.alike,
            [
                "USSR SLBM launchers not equipped with MIRVs",
                "USSR heavy bombers"
            ]
        );
    }
    // Bans: none of a banned holding may be added, and the report says which.
    assert_eq!(limit(ussr, "mobile_icbm_ban").margin.worst, Some(0));
}

#[test]
fn salt_ii_on_the_1979_data_at_2250() {
    let headroom = run(
        "rules/salt2-1979.treaty",
        "scenarios/salt2-statements-1979-06-18.toml",
        Some("1981-01-01"),
    );
    assert_eq!(headroom.scenario.date.to_string(), "1979-06-18");
    assert_eq!(headroom.date.to_string(), "1981-01-01");
    let ussr = party(&headroom, "USSR");
    let aggregate = limit(ussr, "aggregate_ceiling");
    assert_eq!(aggregate.bound.value, 2250);
    assert_eq!(aggregate.margin.worst, Some(-254));
    for id in [
        "mirv_ceiling",
        "mirved_ballistic_ceiling",
        "mirved_icbm_ceiling",
    ] {
        assert_eq!(limit(ussr, id).verdict, Verdict::Complies, "{id}");
    }
    for case in [&ussr.reductions.worst, &ussr.reductions.best] {
        assert_eq!(case.total, Some(254));
        assert!(case.steps.iter().all(|s| s.serves == ["aggregate_ceiling"]));
    }
    // Before 1981 the bound is 2400.
    let before = run(
        "rules/salt2-1979.treaty",
        "scenarios/salt2-statements-1979-06-18.toml",
        None,
    );
    let ussr = party(&before, "USSR");
    assert_eq!(limit(ussr, "aggregate_ceiling").bound.value, 2400);
    assert_eq!(ussr.reductions.worst.total, Some(104));
}

#[test]
fn vladivostok_counts_each_missile_so_bombers_go_first() {
    let headroom = run(
        "rules/vladivostok-1974.treaty",
        "scenarios/hypothetical-1981-alcm-carriers.toml",
        None,
    );
    let usa = party(&headroom, "USA");
    let aggregate = limit(usa, "aggregate_ceiling");
    assert_eq!(aggregate.quantity.min, Some(2588));
    assert_eq!(aggregate.quantity.max, Some(2778));
    // Worst case: 378 over; 16 bombers of 20 missiles and 3 of up to 20 remove 380.
    assert_eq!(usa.reductions.worst.total, Some(19));
    // Best case: 188 over; 10 bombers of 20 missiles remove 200.
    assert_eq!(usa.reductions.best.total, Some(10));
    let bomber = holding(usa, "B-52H heavy bombers with a full load of ALCMs");
    assert_eq!(bomber.more.worst.units, Some(0));
}

/// A small position on the shared vocabulary, and a scenario for it.
fn small(rules: &str, scenario: &str) -> (Model, Facts) {
    let source = format!(
        "position \"small\" {{\n    parties USA, USSR\n}}\nuse \"rules/vocabulary/strategic.treaty\"\n{rules}"
    );
    let model = check::check_source(SourceFile::new("small.treaty", source), root(), root())
        .unwrap()
        .model;
    let scenario = format!(
        "[scenario]\ntitle = \"t\"\ndate = 1979-01-01\nparties = [\"USA\", \"USSR\"]\n{scenario}"
    );
    let facts = crate::scenario::load(&SourceFile::new("t.toml", scenario), &model).unwrap();
    (model, facts)
}

const ICBMS: &str = "\n[[holdings]]\nparty = \"USA\"\nname = \"ICBM launchers\"\nclass = \"icbm_launcher\"\nmobile = false\ncount = 100\n";
const MOBILE: &str = "\n[[holdings]]\nparty = \"USA\"\nname = \"mobile ICBM launchers\"\nclass = \"icbm_launcher\"\nmobile = true\ncount = 10\n";

#[test]
fn a_banned_holding_violates_at_once_and_must_go() {
    let (model, facts) = small(
        "category launchers { holdings where class = icbm_launcher }\n\
         category mobiles { holdings where class = icbm_launcher and mobile }\n\
         limit ceiling for each party { count of launchers at most 200 }\n\
         ban no_mobiles for each party { no mobiles }\n",
        &format!("{ICBMS}{MOBILE}"),
    );
    let headroom = headroom(&model, &facts, &Options::defaults(&model), None).unwrap();
    let usa = party(&headroom, "USA");
    let fixed = holding(usa, "ICBM launchers");
    assert_eq!(fixed.more.worst.units, Some(90));
    assert_eq!(fixed.more.worst.limited_by, ["ceiling"]);
    let mobile = holding(usa, "mobile ICBM launchers");
    assert_eq!(mobile.more.worst.units, Some(0));
    assert_eq!(mobile.more.worst.limited_by, ["no_mobiles"]);
    let steps = &usa.reductions.worst.steps;
    assert_eq!(steps.len(), 1);
    assert_eq!((steps[0].remove, steps[0].of), (10, 10));
    assert_eq!(steps[0].serves, ["no_mobiles"]);
    let text = render_text(&headroom);
    assert!(text.contains("no_mobiles (banned: at once)"), "{text}");
}

#[test]
fn floors_that_reductions_cannot_meet_are_infeasible() {
    let (model, facts) = small(
        "category launchers { holdings where class = icbm_launcher }\n\
         limit ceiling for each party { count of launchers at most 50 }\n\
         limit floor for each party { count of launchers at least 80 }\n",
        ICBMS,
    );
    let headroom = headroom(&model, &facts, &Options::defaults(&model), None).unwrap();
    let usa = party(&headroom, "USA");
    assert_eq!(usa.reductions.worst.status, ReductionStatus::Infeasible);
    let reason = usa.reductions.worst.reason.as_deref().unwrap();
    assert!(reason.contains("meeting one breaks another"), "{reason}");
    // Adding units never breaks a floor.
    assert_eq!(
        holding(usa, "ICBM launchers").more.worst.limited_by,
        ["ceiling"]
    );
}

#[test]
fn unknown_counts_and_weights() {
    let (model, facts) = small(
        "category launchers { holdings where class = icbm_launcher }\n\
         category carriers { holdings where class = heavy_bomber }\n\
         limit ceiling for each party { count of launchers + sum of missiles_per_aircraft over carriers at most 150 }\n",
        "\n[[holdings]]\nparty = \"USA\"\nname = \"ICBM launchers\"\nclass = \"icbm_launcher\"\nmobile = false\ncount = \"unknown\"\n\
         \n[[holdings]]\nparty = \"USSR\"\nname = \"USSR ICBM launchers\"\nclass = \"icbm_launcher\"\nmobile = false\ncount = 100\n\
         \n[[holdings]]\nparty = \"USSR\"\nname = \"bombers\"\nclass = \"heavy_bomber\"\ncount = 10\narmament = []\nmissiles_per_aircraft = \"unknown\"\n",
    );
    let headroom = headroom(&model, &facts, &Options::defaults(&model), None).unwrap();
    let usa = party(&headroom, "USA");
    assert_eq!(usa.reductions.worst.status, ReductionStatus::Unknown);
    assert_eq!(usa.reductions.best.status, ReductionStatus::NoneNeeded);
    assert_eq!(limit(usa, "ceiling").margin.worst, None);
    assert_eq!(limit(usa, "ceiling").verdict, Verdict::Undetermined);
    // A weight without an upper bound: in the worst case every unit must go.
    let ussr = party(&headroom, "USSR");
    let worst = &ussr.reductions.worst;
    assert_eq!(worst.total, Some(10));
    assert!(worst.steps[0].all_units);
    assert_eq!(ussr.reductions.best.status, ReductionStatus::NoneNeeded);
}

#[test]
fn renderings_are_consistent() {
    let headroom = run(
        "rules/ussr-1977-03-15.treaty",
        "scenarios/salt2-data-base-1978-11-01.toml",
        None,
    );
    let json = render_json(&headroom);
    let back: Headroom = serde_json::from_str(&json).unwrap();
    assert_eq!(back, headroom);
    assert!(json.starts_with("{\n  \"format\": \"treaty-headroom/1\""));
    let markdown = render_markdown(&headroom);
    assert!(
        markdown.contains("| `aggregate_ceiling` |") || markdown.contains("| aggregate_ceiling |")
    );
    for format in Format::ALL {
        assert!(!render(&headroom, *format).is_empty());
    }
    let text = render_text(&headroom);
    assert!(text.lines().all(|l| l == l.trim_end()));
    assert!(
        text.contains("binds first: aggregate_ceiling (116 to spare)"),
        "{text}"
    );
}

/// A tiny deterministic generator: the same programs every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

/// The least cost over every assignment, by enumeration.
fn brute_force(program: &Program) -> Option<i128> {
    let mut best: Option<i128> = None;
    let mut values = vec![0u64; program.upper.len()];
    loop {
        if program.holds(&values) {
            let cost = program.cost(&values);
            best = Some(best.map_or(cost, |b| b.min(cost)));
        }
        let mut i = 0;
        loop {
            if i == values.len() {
                return best;
            }
            if values[i] < program.upper[i] {
                values[i] += 1;
                break;
            }
            values[i] = 0;
            i += 1;
        }
    }
}

#[test]
fn the_solver_finds_the_least_cost() {
    let mut random = Lcg(7);
    for _ in 0..150 {
        let vars = 1 + random.next(3) as usize;
        let program = Program {
            upper: (0..vars).map(|_| random.next(6)).collect(),
            objective: (0..vars).map(|_| 1 + random.next(3) as i128).collect(),
            rows: (0..1 + random.next(3))
                .map(|_| Row {
                    coefficients: (0..vars).map(|_| random.next(5) as i128 - 1).collect(),
                    relation: if random.next(4) == 0 {
                        Relation::AtMost
                    } else {
                        Relation::AtLeast
                    },
                    rhs: random.next(12) as i128 - 2,
                })
                .collect(),
        };
        let expected = brute_force(&program);
        match program.minimise() {
            Ok(answer) => {
                assert!(program.holds(&answer.values), "{program:?}");
                assert_eq!(Some(program.cost(&answer.values)), expected, "{program:?}");
            }
            Err(Failure::Infeasible) => assert_eq!(expected, None, "{program:?}"),
            Err(other) => panic!("{other:?} on {program:?}"),
        }
    }
}

#[test]
fn numbers_beyond_the_solver_are_refused() {
    let program = Program {
        upper: vec![u64::from(u32::MAX)],
        objective: vec![1],
        rows: Vec::new(),
    };
    assert_eq!(program.minimise(), Err(Failure::TooLarge));
}

/// A subtracted count leaves room (the SLBMs make room for ICBM launchers), and an assurance
/// holds its failing holdings at none, as a ban does.
#[test]
fn differences_and_assurances_are_constraints() {
    let (model, facts) = small(
        "category launchers { holdings where class = icbm_launcher }\n\
         category subs { holdings where class = slbm_launcher }\n\
         limit lead for each party { count of launchers - count of subs at most 50 }\n\
         assurance fixed_only by USA { every launchers has not mobile }\n",
        &format!(
            "{ICBMS}{MOBILE}\n[[holdings]]\nparty = \"USA\"\nname = \"SLBM launchers\"\nclass = \"slbm_launcher\"\ncount = 80\n"
        ),
    );
    let headroom = headroom(&model, &facts, &Options::defaults(&model), None).unwrap();
    let usa = party(&headroom, "USA");
    // 110 launchers − 80 submarines' launchers = 30: 20 more before 50.
    assert_eq!(limit(usa, "lead").margin.worst, Some(20));
    let fixed = holding(usa, "ICBM launchers");
    assert_eq!(fixed.more.worst.units, Some(20));
    assert_eq!(fixed.more.worst.limited_by, ["lead"]);
    // The mobile launchers fail the assurance: none more, and all ten must go.
    let mobile = holding(usa, "mobile ICBM launchers");
    assert_eq!(mobile.more.worst.units, Some(0));
    assert_eq!(mobile.more.worst.limited_by, ["fixed_only"]);
    // They surely fail it: the best case is no better.
    assert_eq!(mobile.more.best, mobile.more.worst);
    assert_eq!(usa.reductions.best, usa.reductions.worst);
    let steps = &usa.reductions.worst.steps;
    assert_eq!(steps.len(), 1);
    assert_eq!((steps[0].remove, steps[0].of), (10, 10));
    assert_eq!(steps[0].serves, ["fixed_only"]);
}
