//! Tests that decide at the edges mutation testing found unwatched (issue 16): lists where a
//! later item decides, the second of two unstated packages deciding, alternative category
//! definitions joined, arithmetic on numeric attributes, sets of dates and numbers, weights,
//! and a party the scenario lacks. Each test fails if the comparison, operator or guard it
//! watches is changed.
#![allow(clippy::arithmetic_side_effects)] // small whole numbers picked by the tests

use super::*;
use crate::model::ArithmeticOp;

/// Index of the probe category in [`probe_model`].
const PROBE: usize = 5;

/// The test model with a category `probe` selecting `selection` (exceptions after it), and a
/// ban on it.
fn probe_model(selection: Predicate, exceptions: Vec<Branch>) -> Model {
    let mut model = model();
    assert_eq!(model.categories.len(), PROBE);
    let mut branches = vec![branch(selection, "the probe")];
    branches.extend(exceptions);
    model.categories.push(category("probe", branches));
    model.provisions.push(ban("probe_ban", PROBE));
    model
}

/// The USA's one holding, of `count`, with `attributes`, among weapon `types`.
fn probe_facts(types: Vec<WeaponType>, attributes: &[(usize, Fact)], count: Interval) -> Facts {
    let mut facts = facts("1979-06-18", unknown_packages());
    facts.types = types;
    facts.holdings = vec![holding(USA, "h", count, attributes)];
    facts
}

/// What the model's ban makes of the facts: selected (violated), not (complies), unknown
/// (undetermined).
fn verdict_of(model: &Model, facts: &Facts) -> Verdict {
    find(&run(model, facts), "USA", "probe_ban").verdict
}

/// Whether `selection` selects the USA's one holding: read off the ban's verdict.
fn selects(selection: Predicate, types: Vec<WeaponType>, attributes: &[(usize, Fact)]) -> Tri {
    let model = probe_model(selection, Vec::new());
    match verdict_of(&model, &probe_facts(types, attributes, exact(1))) {
        Verdict::Violated => Tri::True,
        Verdict::Complies => Tri::False,
        Verdict::Undetermined => Tri::Unknown,
        other => panic!("the ban is {other:?}"),
    }
}

// ── `every` and `any` over lists ──

/// Weapon types A (MIRV-tested), B (not), U (unknown), N (not stated): indices 0 to 3.
fn tested_types() -> Vec<WeaponType> {
    vec![
        weapon("A", &[(T_MIRV_TESTED, Fact::Bool(true))]),
        weapon("B", &[(T_MIRV_TESTED, Fact::Bool(false))]),
        weapon("U", &[(T_MIRV_TESTED, Fact::Unknown)]),
        weapon("N", &[]),
    ]
}

fn quantified(every: bool, armament: Fact) -> Tri {
    let body = Predicate::Attribute(Access::Type(T_MIRV_TESTED));
    let selection = Predicate::Quantified {
        every,
        list: Access::Holding(H_ARMAMENT),
        body: Box::new(body),
    };
    selects(selection, tested_types(), &[(H_ARMAMENT, armament)])
}

const A: usize = 0;
const B: usize = 1;
const U: usize = 2;
const N: usize = 3;

#[test]
fn every_is_decided_by_any_item_in_any_place() {
    let every = |items: &[usize]| quantified(true, Fact::List(items.to_vec()));
    assert_eq!(every(&[]), Tri::True, "every item of nothing");
    assert_eq!(every(&[A]), Tri::True);
    assert_eq!(every(&[A, A]), Tri::True);
    assert_eq!(every(&[A, B]), Tri::False, "a later item decides");
    assert_eq!(every(&[B, A]), Tri::False);
    assert_eq!(every(&[A, U]), Tri::Unknown);
    assert_eq!(every(&[U, A]), Tri::Unknown);
    assert_eq!(
        every(&[U, B]),
        Tri::False,
        "false after unknown still decides"
    );
    assert_eq!(every(&[A, N, B]), Tri::False);
    assert_eq!(quantified(true, Fact::NotStated), Tri::Unknown);
    assert_eq!(quantified(true, Fact::Unknown), Tri::Unknown);
}

#[test]
fn any_is_decided_by_any_item_in_any_place() {
    let any = |items: &[usize]| quantified(false, Fact::List(items.to_vec()));
    assert_eq!(any(&[]), Tri::False, "no item of nothing");
    assert_eq!(any(&[B]), Tri::False);
    assert_eq!(any(&[B, B]), Tri::False);
    assert_eq!(any(&[B, A]), Tri::True, "a later item decides");
    assert_eq!(any(&[A, B]), Tri::True);
    assert_eq!(any(&[B, U]), Tri::Unknown);
    assert_eq!(any(&[U, B]), Tri::Unknown);
    assert_eq!(any(&[U, A]), Tri::True, "true after unknown still decides");
    assert_eq!(any(&[B, N, A]), Tri::True);
    assert_eq!(quantified(false, Fact::NotStated), Tri::Unknown);
}

// ── Unstated packages ──

fn agreed(package: usize) -> Predicate {
    Predicate::Package {
        package,
        status: PackageStatus::Agreed,
    }
}

/// Two unstated packages, of which the second decides: every assumption is evaluated (bit
/// `i` of the world's number is package `i`), and the unknowns name the deciding one and
/// what each state gives.
#[test]
fn the_second_of_two_unstated_packages_decides() {
    let selection = and(
        or(agreed(CRUISE_MISSILES), not(agreed(CRUISE_MISSILES))),
        agreed(BACKFIRE_WITHDRAWN),
    );
    let model = probe_model(selection, Vec::new());
    let facts = probe_facts(Vec::new(), &[], exact(5));
    let report = run(&model, &facts);
    let ban = find(&report, "USA", "probe_ban");
    assert_eq!(ban.verdict, Verdict::Undetermined);
    assert_eq!(
        ban.unknowns,
        [
            "package `backfire_withdrawn` is not stated",
            "if `cruise_missiles` not agreed, `backfire_withdrawn` not agreed: complies",
            "if `cruise_missiles` agreed, `backfire_withdrawn` not agreed: complies",
            "if `cruise_missiles` not agreed, `backfire_withdrawn` agreed: violated",
            "if `cruise_missiles` agreed, `backfire_withdrawn` agreed: violated",
        ]
    );
    // Counted in half the worlds: 0 or 5.
    assert_eq!(ban.quantity, Some(Amount::from(range(0, 5))));
    assert_eq!(ban.contributors.len(), 1);
    assert_eq!(ban.contributors[0].count, range(0, 5));
    assert_eq!(ban.excess, None);

    // Stated, the package decides alone.
    let mut stated = facts.clone();
    stated.packages[BACKFIRE_WITHDRAWN] = PackageState::Stated(PackageStatus::Agreed);
    let ban_report = run(&model, &stated);
    let ban = find(&ban_report, "USA", "probe_ban");
    assert_eq!(ban.verdict, Verdict::Violated);
    assert_eq!(ban.excess, Some(5));
    stated.packages[BACKFIRE_WITHDRAWN] = PackageState::Stated(PackageStatus::Open);
    assert_eq!(verdict_of(&model, &stated), Verdict::Complies);
}

/// The first of two decides: the notes name it, not the other.
#[test]
fn the_first_of_two_unstated_packages_decides() {
    let selection = and(
        agreed(CRUISE_MISSILES),
        or(agreed(BACKFIRE_WITHDRAWN), not(agreed(BACKFIRE_WITHDRAWN))),
    );
    let model = probe_model(selection, Vec::new());
    let report = run(&model, &probe_facts(Vec::new(), &[], exact(2)));
    let ban = find(&report, "USA", "probe_ban");
    assert_eq!(ban.unknowns[0], "package `cruise_missiles` is not stated");
    assert!(
        !ban.unknowns
            .iter()
            .any(|u| u.contains("`backfire_withdrawn` is not stated")),
        "{:?}",
        ban.unknowns
    );
}

/// A category that refers to one whose branch an unstated package chooses depends on that
/// package too: a party's worlds share only the memberships no assumption changes
/// (`world::Shared`), so this one is judged in each world. (The compiled selections are checked
/// against the walker in every test; the sharing is the same in both, so it is checked here.)
#[test]
fn a_category_referring_to_a_package_dependent_one_is_judged_in_each_world() {
    let mut model = probe_model(Predicate::InCategory(MIRVED), Vec::new());
    // Counted with no package first, so that the party's first world is made before the two
    // worlds of `cruise_missiles`, and the memberships shared among them.
    model.provisions.insert(0, ban("delivery_ban", DELIVERY));
    // Not MIRV-equipped, of a type tested with MIRVs: a MIRVed launcher only under the type
    // rule, which applies when cruise missiles are agreed.
    let types = vec![weapon("SS-18", &[(T_MIRV_TESTED, Fact::Bool(true))])];
    let attributes = [
        (H_CLASS, Fact::Enum(ICBM_LAUNCHER)),
        (H_MIRV, Fact::Bool(false)),
        (H_TYPE, Fact::Reference(0)),
    ];
    let facts = probe_facts(types, &attributes, exact(10));
    let report = run(&model, &facts);
    let ban = find(&report, "USA", "probe_ban");
    assert_eq!(ban.verdict, Verdict::Undetermined);
    assert_eq!(ban.quantity, Some(Amount::from(range(0, 10))));
    assert_eq!(
        find(&report, "USA", "delivery_ban").verdict,
        Verdict::Violated
    );
    // Stated either way, the package decides alone.
    let mut stated = facts.clone();
    stated.packages[CRUISE_MISSILES] = PackageState::Stated(PackageStatus::Agreed);
    assert_eq!(verdict_of(&model, &stated), Verdict::Violated);
    stated.packages[CRUISE_MISSILES] = PackageState::Stated(PackageStatus::Open);
    assert_eq!(verdict_of(&model, &stated), Verdict::Complies);
}

/// Violated in every world: the excess is the least over the worlds.
#[test]
fn an_excess_joined_over_worlds_is_the_least() {
    let selection = or(agreed(CRUISE_MISSILES), Predicate::Const(true));
    let mut model = probe_model(selection, Vec::new());
    // A limit of 3 on `count of probe + (2 if cruise agreed)`: 5 or 7 against 3.
    model.provisions = vec![limit("probe_limit", Quantity::Count(PROBE), &[(None, 3)])];
    let facts = probe_facts(Vec::new(), &[], exact(5));
    let report = run(&model, &facts);
    let limit = find(&report, "USA", "probe_limit");
    assert_eq!(limit.verdict, Verdict::Violated);
    assert_eq!(limit.excess, Some(2));
}

// ── Alternative category definitions ──

/// A model whose provision depends on eight packages (all assumed in turn) and whose probe
/// category has an exception conditioned on a ninth, which stays unknown: the category is
/// then undecided between its two definitions in every world.
fn undecided_model(default: Predicate, exception_selection: Predicate) -> Model {
    let mut model = probe_model(
        default,
        vec![exception(
            agreed(8),
            "package p8 is agreed",
            exception_selection,
            "the exception",
        )],
    );
    model.packages = (0..9)
        .map(|n| Package {
            name: format!("p{n}"),
            label: None,
            quotes: Vec::new(),
            cites: Vec::new(),
            notes: Vec::new(),
        })
        .collect();
    let provision = model.provisions.last_mut().unwrap();
    provision.conditions = (0..8).map(|p| or(agreed(p), not(agreed(p)))).collect();
    provision.condition_texts = (0..8).map(|p| format!("p{p} either way")).collect();
    model
}

fn undecided(default: Predicate, exception_selection: Predicate) -> Verdict {
    let model = undecided_model(default, exception_selection);
    let mut facts = probe_facts(Vec::new(), &[], exact(1));
    facts.packages = vec![PackageState::Unknown; 9];
    verdict_of(&model, &facts)
}

#[test]
fn undecided_definitions_agree_or_leave_it_unknown() {
    let yes = || Predicate::Const(true);
    let no = || Predicate::Const(false);
    assert_eq!(undecided(yes(), yes()), Verdict::Violated, "both select it");
    assert_eq!(undecided(no(), no()), Verdict::Complies, "neither does");
    assert_eq!(undecided(yes(), no()), Verdict::Undetermined);
    assert_eq!(undecided(no(), yes()), Verdict::Undetermined);
}

#[test]
fn an_undecided_category_says_which_condition_is_unknown() {
    let model = undecided_model(Predicate::Const(false), Predicate::Const(true));
    let mut facts = probe_facts(Vec::new(), &[], exact(1));
    facts.packages = vec![PackageState::Unknown; 9];
    let report = run(&model, &facts);
    let ban = find(&report, "USA", "probe_ban");
    assert!(
        ban.unknowns.iter().any(|u| u.contains("`p8`")),
        "{:?}",
        ban.unknowns
    );
    assert_eq!(ban.quantity, Some(Amount::from(range(0, 1))));
}

/// The first exception whose condition holds is the definition in force, even when an
/// earlier one's is false.
#[test]
fn the_first_exception_that_holds_wins() {
    let mut model = probe_model(
        Predicate::Const(false),
        vec![
            exception(
                Predicate::Const(false),
                "never",
                Predicate::Const(false),
                "never",
            ),
            exception(
                Predicate::Const(true),
                "always",
                Predicate::Const(true),
                "always",
            ),
            exception(
                Predicate::Const(true),
                "too late",
                Predicate::Const(false),
                "too late",
            ),
        ],
    );
    let facts = probe_facts(Vec::new(), &[], exact(1));
    assert_eq!(verdict_of(&model, &facts), Verdict::Violated);
    // With no exception holding, the default is in force.
    model.categories[PROBE].branches[2].condition = Some(Predicate::Const(false));
    model.categories[PROBE].branches[3].condition = Some(Predicate::Const(false));
    assert_eq!(verdict_of(&model, &facts), Verdict::Complies);
}

// ── Arithmetic on numeric attributes ──

fn warheads() -> Value {
    Value::Attribute(via_type(T_WARHEADS))
}

fn number(n: f64) -> Value {
    Value::Const(Scalar::Number(n))
}

fn arithmetic(op: ArithmeticOp, left: Value, right: Value) -> Value {
    Value::Arithmetic {
        op,
        left: Box::new(left),
        right: Box::new(right),
    }
}

/// How `value op n` comes out for a holding whose type has 3 to 6 warheads.
fn compared(value: Value, op: Comparison, n: f64) -> Tri {
    let types = vec![weapon(
        "X",
        &[(T_WARHEADS, Fact::Number { min: 3.0, max: 6.0 })],
    )];
    let selection = Predicate::Compare {
        op,
        left: value,
        right: number(n),
    };
    selects(selection, types, &[(H_TYPE, Fact::Reference(0))])
}

/// `value` lies exactly in `[min, max]`: each end reached, neither passed.
fn spans(value: impl Fn() -> Value, min: f64, max: f64) {
    use Comparison::{AtLeast, AtMost, Greater, Less};
    assert_eq!(compared(value(), AtLeast, min), Tri::True, ">= {min}");
    assert_eq!(compared(value(), Greater, min), Tri::Unknown, "> {min}");
    assert_eq!(compared(value(), AtMost, max), Tri::True, "<= {max}");
    assert_eq!(compared(value(), Less, max), Tri::Unknown, "< {max}");
}

#[test]
fn arithmetic_on_intervals_gives_exactly_the_possible_values() {
    use crate::model::ArithmeticOp::{Add, Mul, Sub};
    spans(warheads, 3.0, 6.0);
    spans(|| arithmetic(Add, warheads(), number(1.0)), 4.0, 7.0);
    spans(|| arithmetic(Add, warheads(), warheads()), 6.0, 12.0);
    spans(|| arithmetic(Sub, warheads(), number(1.0)), 2.0, 5.0);
    spans(|| arithmetic(Sub, number(10.0), warheads()), 4.0, 7.0);
    spans(|| arithmetic(Sub, warheads(), warheads()), -3.0, 3.0);
    spans(|| arithmetic(Mul, warheads(), number(2.0)), 6.0, 12.0);
    spans(|| arithmetic(Mul, warheads(), number(-1.0)), -6.0, -3.0);
    // [-1, 2] × [3, 6]: the corners -3, -6, 6 and 12.
    spans(
        || arithmetic(Mul, arithmetic(Sub, warheads(), number(4.0)), warheads()),
        -6.0,
        12.0,
    );
}

#[test]
fn equality_of_intervals_is_known_only_when_exact() {
    use Comparison::{Equal, NotEqual};
    assert_eq!(compared(warheads(), Equal, 4.0), Tri::Unknown);
    assert_eq!(compared(warheads(), Equal, 7.0), Tri::False);
    assert_eq!(compared(warheads(), Equal, 2.0), Tri::False);
    assert_eq!(compared(warheads(), NotEqual, 7.0), Tri::True);
    assert_eq!(compared(warheads(), NotEqual, 6.0), Tri::Unknown);
    let exact_five = || arithmetic(ArithmeticOp::Mul, number(5.0), number(1.0));
    assert_eq!(compared(exact_five(), Equal, 5.0), Tri::True);
    assert_eq!(compared(exact_five(), NotEqual, 5.0), Tri::False);
}

// ── Sets ──

fn in_set(value: Value, items: Vec<Scalar>) -> Predicate {
    Predicate::InSet { value, items }
}

#[test]
fn numbers_in_a_set() {
    let types = || {
        vec![
            weapon("X", &[(T_WARHEADS, Fact::Number { min: 3.0, max: 6.0 })]),
            weapon("Y", &[(T_WARHEADS, Fact::Number { min: 4.0, max: 4.0 })]),
        ]
    };
    let of = |ty: usize, items: &[f64]| {
        let items = items.iter().map(|&n| Scalar::Number(n)).collect();
        selects(
            in_set(warheads(), items),
            types(),
            &[(H_TYPE, Fact::Reference(ty))],
        )
    };
    assert_eq!(of(1, &[4.0]), Tri::True);
    assert_eq!(of(1, &[1.0, 4.0]), Tri::True, "a later item matches");
    assert_eq!(of(1, &[5.0]), Tri::False);
    assert_eq!(of(0, &[3.0]), Tri::Unknown, "the lower end may be it");
    assert_eq!(of(0, &[6.0]), Tri::Unknown, "the upper end may be it");
    assert_eq!(of(0, &[2.0, 7.0]), Tri::False);
    assert_eq!(of(0, &[]), Tri::False);
}

#[test]
fn the_scenario_date_in_a_set_of_dates() {
    let on = |dates: &[&str]| {
        let items = dates.iter().map(|d| Scalar::Date(date(d))).collect();
        selects(in_set(Value::ScenarioDate, items), Vec::new(), &[])
    };
    assert_eq!(on(&["1979-06-18"]), Tri::True);
    assert_eq!(on(&["1977-03-15", "1979-06-18"]), Tri::True);
    assert_eq!(on(&["1979-06-17", "1979-06-19"]), Tri::False);
    assert_eq!(on(&[]), Tri::False);
}

#[test]
fn enums_names_and_parties_in_sets() {
    let types = vec![weapon("Backfire", &[])];
    let attributes = [
        (H_CLASS, Fact::Enum(MEDIUM_BOMBER)),
        (H_TYPE, Fact::Reference(0)),
    ];
    let check = |selection: Predicate| selects(selection, types.clone(), &attributes);
    assert_eq!(check(class_in(&[ICBM_LAUNCHER, MEDIUM_BOMBER])), Tri::True);
    assert_eq!(check(class_in(&[ICBM_LAUNCHER])), Tri::False);
    let name_in = |names: &[&str]| {
        in_set(
            Value::Attribute(Access::ReferenceName { reference: H_TYPE }),
            names
                .iter()
                .map(|n| Scalar::Text((*n).to_string()))
                .collect(),
        )
    };
    assert_eq!(check(name_in(&["Bison", "Backfire"])), Tri::True);
    assert_eq!(check(name_in(&["Bison"])), Tri::False);
    let party_in = |names: &[&str]| {
        in_set(
            Value::Attribute(Access::Party),
            names
                .iter()
                .map(|n| Scalar::Text((*n).to_string()))
                .collect(),
        )
    };
    assert_eq!(check(party_in(&["USSR", "USA"])), Tri::True);
    assert_eq!(check(party_in(&["USSR"])), Tri::False);
    let truth_in = |items: Vec<Scalar>| {
        selects(
            in_set(Value::Attribute(Access::Holding(H_MOBILE)), items),
            Vec::new(),
            &[(H_MOBILE, Fact::Bool(true))],
        )
    };
    assert_eq!(truth_in(vec![Scalar::Bool(true)]), Tri::True);
    assert_eq!(truth_in(vec![Scalar::Bool(false)]), Tri::False);
    assert_eq!(
        selects(
            in_set(
                Value::Attribute(Access::Holding(H_MOBILE)),
                vec![Scalar::Bool(true)]
            ),
            Vec::new(),
            &[],
        ),
        Tri::Unknown,
        "not stated"
    );
}

// ── Weights ──

fn weighted_by_warheads(warheads: Fact) -> Result<Report, EvalError> {
    let mut model = probe_model(Predicate::Const(true), Vec::new());
    model.provisions = vec![limit(
        "warheads",
        Quantity::Sum {
            weight: Weight::Attribute(via_type(T_WARHEADS)),
            category: PROBE,
        },
        &[(None, 100)],
    )];
    let facts = probe_facts(
        vec![weapon("X", &[(T_WARHEADS, warheads)])],
        &[(H_TYPE, Fact::Reference(0))],
        exact(10),
    );
    evaluate(&model, &facts, &Options::defaults(&model))
}

#[test]
fn weights_must_be_whole_and_not_negative() {
    let number = |min: f64, max: f64| Fact::Number { min, max };
    let quantity = |fact: Fact| {
        let report = weighted_by_warheads(fact).unwrap();
        find(&report, "USA", "warheads").quantity
    };
    assert_eq!(
        quantity(number(0.0, 0.0)),
        Some(Amount::exact(0)),
        "zero is a weight"
    );
    assert_eq!(quantity(number(3.0, 3.0)), Some(Amount::exact(30)));
    assert_eq!(
        quantity(number(2.0, 4.0)),
        Some(Amount::from(range(20, 40)))
    );
    for bad in [
        number(-1.0, 2.0),
        number(2.5, 3.0),
        number(2.0, 3.5),
        number(f64::INFINITY, f64::INFINITY),
        number(1.0, f64::INFINITY),
    ] {
        // An invalid weight makes its provision not evaluable, with the diagnostic as a
        // remark; the rest of the report stands.
        let report = weighted_by_warheads(bad.clone()).unwrap();
        let provision = find(&report, "USA", "warheads");
        assert_eq!(provision.verdict, Verdict::NotEvaluable, "{bad:?}");
        assert!(
            provision
                .remarks
                .iter()
                .any(|r| r.starts_with("treaty::eval::invalid_weight")),
            "{bad:?} accepted as a weight: {:?}",
            provision.remarks
        );
    }
}

// ── Parties ──

#[test]
fn a_party_the_scenario_lacks_is_an_error() {
    let mut model = probe_model(Predicate::Const(true), Vec::new());
    model.provisions = vec![ban("probe_ban", PROBE)];
    let mut facts = probe_facts(Vec::new(), &[], exact(1));
    facts.parties = vec![USA];
    let options = Options {
        party: Some(USSR),
        ..Options::defaults(&model)
    };
    let error = evaluate(&model, &facts, &options).unwrap_err();
    assert_eq!(error.code().unwrap().to_string(), "treaty::eval::party");
    let options = Options {
        party: Some(USA),
        ..Options::defaults(&model)
    };
    let report = evaluate(&model, &facts, &options).unwrap();
    assert_eq!(report.parties.len(), 1);
    assert_eq!(report.parties[0].party, "USA");
}

// ── What an undetermined verdict names ──

/// Only the unknowns behind an unknown result are named: `mirv_equipped` is not stated, but
/// `class = icbm_launcher` settles the `or`, so only `mobile` is left to name.
#[test]
fn only_the_unknowns_that_decide_are_named() {
    let selection = and(
        or(
            Predicate::Attribute(Access::Holding(H_MIRV)),
            class_is(ICBM_LAUNCHER),
        ),
        Predicate::Attribute(Access::Holding(H_MOBILE)),
    );
    let model = probe_model(selection, Vec::new());
    let facts = probe_facts(
        Vec::new(),
        &[(H_CLASS, Fact::Enum(ICBM_LAUNCHER))],
        exact(3),
    );
    let report = run(&model, &facts);
    let ban = find(&report, "USA", "probe_ban");
    assert_eq!(ban.verdict, Verdict::Undetermined);
    assert_eq!(ban.unknowns, ["`h` mobile is not stated"]);
}

/// The first bound in force replaces nothing, even when it has a date of its own: the report
/// gives its date only for a bound that replaced an earlier one.
#[test]
fn a_first_bound_with_a_date_replaces_nothing() {
    let mut model = model();
    model.provisions.push(limit(
        "dated",
        Quantity::Count(DELIVERY),
        &[(Some(date("1978-01-01")), 2400)],
    ));
    let mut facts = facts("1979-06-18", unknown_packages());
    facts.holdings = vec![holding(
        USA,
        "Minuteman",
        exact(10),
        &[(H_CLASS, Fact::Enum(ICBM_LAUNCHER))],
    )];
    let report = run(&model, &facts);
    let dated = find(&report, "USA", "dated");
    assert_eq!(dated.verdict, Verdict::Complies);
    assert_eq!(
        dated.bound,
        Some(BoundReport {
            op: "<=".to_string(),
            value: 2400,
            from: None
        })
    );
    facts.date = date("1977-12-31");
    assert_eq!(
        find(&run(&model, &facts), "USA", "dated").verdict,
        Verdict::NotInForce
    );
}

// ── Comparisons of intervals, against every pair of values ──

/// Values of the real interval `[low, high]` (whole-number ends) that decide every
/// comparison with whole-number bounds: the ends and every half step between.
fn samples(low: i32, high: i32) -> Vec<f64> {
    (low * 2..=high * 2)
        .map(|twice| f64::from(twice) / 2.0)
        .collect()
}

/// True when every sample satisfies `holds`, false when none does, unknown otherwise.
fn over(values: impl IntoIterator<Item = bool>) -> Tri {
    let all: Vec<bool> = values.into_iter().collect();
    if all.iter().all(|&b| b) {
        Tri::True
    } else if all.iter().all(|&b| !b) {
        Tri::False
    } else {
        Tri::Unknown
    }
}

fn holds(op: Comparison, x: f64, y: f64) -> bool {
    match op {
        Comparison::AtMost => x <= y,
        Comparison::Less => x < y,
        Comparison::AtLeast => x >= y,
        Comparison::Greater => x > y,
        Comparison::Equal => x == y,
        Comparison::NotEqual => x != y,
    }
}

proptest::proptest! {
    /// `[a1, a2] op [b1, b2]` is true when it holds for every pair of values, false when for
    /// none: decided here by trying the pairs.
    #[test]
    fn comparing_intervals_agrees_with_every_pair(
        a1 in 0i32..6, wa in 0i32..3, b1 in 0i32..6, wb in 0i32..3,
        op in proptest::sample::select(Comparison::ALL),
    ) {
        let (a2, b2) = (a1 + wa, b1 + wb);
        let (left, right) = (samples(a1, a2), samples(b1, b2));
        let expected = over(left.iter().flat_map(|&x| right.iter().map(move |&y| holds(op, x, y))));
        let found = compare_numbers(
            op,
            (f64::from(a1), f64::from(a2)),
            (f64::from(b1), f64::from(b2)),
        );
        proptest::prop_assert_eq!(found, expected, "[{}, {}] {} [{}, {}]", a1, a2, op.symbol(), b1, b2);
    }

    /// `[min, max] in low..high` (each end open or closed, the range not empty), against
    /// every value.
    #[test]
    fn a_range_test_agrees_with_every_value(
        min in 0i32..6, width in 0i32..3, low in 0i32..6, span in 0i32..4,
        low_inclusive in proptest::bool::ANY, high_inclusive in proptest::bool::ANY,
    ) {
        let (max, high) = (min + width, low + span);
        // The checker refuses empty ranges (`treaty::check::empty_range`).
        proptest::prop_assume!(span > 0 || (low_inclusive && high_inclusive));
        let inside = |x: f64| {
            let above = x > f64::from(low) || (low_inclusive && x == f64::from(low));
            let below = x < f64::from(high) || (high_inclusive && x == f64::from(high));
            above && below
        };
        let expected = over(samples(min, max).into_iter().map(inside));
        let found = in_range(
            f64::from(min),
            f64::from(max),
            f64::from(low),
            low_inclusive,
            f64::from(high),
            high_inclusive,
        );
        proptest::prop_assert_eq!(found, expected);
    }
}

/// When every world gives the same verdict, no package decides it, and none is named.
#[test]
fn a_package_that_changes_nothing_is_not_named() {
    let selection = or(agreed(CRUISE_MISSILES), not(agreed(CRUISE_MISSILES)));
    let model = probe_model(selection, Vec::new());
    let report = run(&model, &probe_facts(Vec::new(), &[], range(0, 5)));
    let ban = find(&report, "USA", "probe_ban");
    assert_eq!(ban.verdict, Verdict::Undetermined);
    assert!(
        ban.unknowns.iter().all(|u| !u.contains("package")),
        "{:?}",
        ban.unknowns
    );
    assert!(ban.unknowns.iter().any(|u| u == "count of `h` is 0..5"));
}

/// A package assumed not agreed may be open or rejected: whether it is open stays unknown.
/// Assumed agreed, it is neither.
#[test]
fn a_package_assumed_not_agreed_is_not_known_to_be_open() {
    let open = Predicate::Package {
        package: BACKFIRE_WITHDRAWN,
        status: PackageStatus::Open,
    };
    let model = probe_model(open, Vec::new());
    let facts = probe_facts(Vec::new(), &[], exact(1));
    let report = run(&model, &facts);
    let ban = find(&report, "USA", "probe_ban");
    assert_eq!(ban.verdict, Verdict::Undetermined);
    assert!(
        ban.unknowns
            .iter()
            .any(|u| u.starts_with("package `backfire_withdrawn` is not stated")),
        "{:?}",
        ban.unknowns
    );
    let mut stated = facts;
    stated.packages[BACKFIRE_WITHDRAWN] = PackageState::Stated(PackageStatus::Rejected);
    assert_eq!(verdict_of(&model, &stated), Verdict::Complies);
    stated.packages[BACKFIRE_WITHDRAWN] = PackageState::Stated(PackageStatus::Open);
    assert_eq!(verdict_of(&model, &stated), Verdict::Violated);
}

// ── Comparisons of dates, names, enumerations, truth values and parties ──

/// The truth of `a op b` for every comparison, for `a` before, equal to and after `b`.
fn ordered_cases() -> [(Comparison, [Tri; 3]); 6] {
    use Tri::{False as F, True as T};
    [
        (Comparison::AtMost, [T, T, F]),
        (Comparison::Less, [T, F, F]),
        (Comparison::AtLeast, [F, T, T]),
        (Comparison::Greater, [F, F, T]),
        (Comparison::Equal, [F, T, F]),
        (Comparison::NotEqual, [T, F, T]),
    ]
}

fn compare(op: Comparison, left: Value, right: Value) -> Predicate {
    Predicate::Compare { op, left, right }
}

#[test]
fn the_scenario_date_compared_with_dates() {
    for (op, expected) in ordered_cases() {
        for (day, truth) in ["1980-01-01", "1979-06-18", "1979-01-01"]
            .iter()
            .zip(expected)
        {
            let selection = compare(
                op,
                Value::ScenarioDate,
                Value::Const(Scalar::Date(date(day))),
            );
            assert_eq!(
                selects(selection, Vec::new(), &[]),
                truth,
                "1979-06-18 {op:?} {day}"
            );
        }
    }
}

#[test]
fn names_compared_in_order() {
    let types = vec![weapon("Bison", &[])];
    let name = || Value::Attribute(Access::ReferenceName { reference: H_TYPE });
    for (op, expected) in ordered_cases() {
        for (other, truth) in ["Blinder", "Bison", "Backfire"].iter().zip(expected) {
            let selection = compare(op, name(), Value::Const(Scalar::Text((*other).to_string())));
            let found = selects(selection, types.clone(), &[(H_TYPE, Fact::Reference(0))]);
            assert_eq!(found, truth, "Bison {op:?} {other}");
        }
    }
}

/// Enumerations, truth values and parties are equal or not; the other comparisons do not
/// apply to them (the checker refuses them).
#[test]
fn enums_truth_values_and_parties_are_equal_or_not() {
    let equal = |left: Value, right: Value, attributes: &[(usize, Fact)]| {
        (
            selects(
                compare(Comparison::Equal, left.clone(), right.clone()),
                Vec::new(),
                attributes,
            ),
            selects(
                compare(Comparison::NotEqual, left, right),
                Vec::new(),
                attributes,
            ),
        )
    };
    let yes = (Tri::True, Tri::False);
    let no = (Tri::False, Tri::True);
    let class = || holding_attr(H_CLASS);
    let icbm = [(H_CLASS, Fact::Enum(ICBM_LAUNCHER))];
    let enum_of = |e: usize| Value::Const(Scalar::Enum(e));
    assert_eq!(equal(class(), enum_of(ICBM_LAUNCHER), &icbm), yes);
    assert_eq!(equal(class(), enum_of(SLBM_LAUNCHER), &icbm), no);

    let mobile = || holding_attr(H_MOBILE);
    let truth = |b: bool| Value::Const(Scalar::Bool(b));
    let moving = [(H_MOBILE, Fact::Bool(true))];
    assert_eq!(equal(mobile(), truth(true), &moving), yes);
    assert_eq!(equal(truth(false), mobile(), &moving), no);

    let party = || Value::Attribute(Access::Party);
    let text = |name: &str| Value::Const(Scalar::Text(name.to_string()));
    assert_eq!(equal(party(), party(), &[]), yes);
    assert_eq!(equal(party(), text("USA"), &[]), yes);
    assert_eq!(equal(text("USSR"), party(), &[]), no);
    assert_eq!(equal(party(), enum_of(USA), &[]), yes);
    assert_eq!(equal(enum_of(USSR), party(), &[]), no);

    let party_in = |items: Vec<Scalar>| selects(in_set(party(), items), Vec::new(), &[]);
    assert_eq!(
        party_in(vec![Scalar::Enum(USSR), Scalar::Enum(USA)]),
        Tri::True
    );
    assert_eq!(party_in(vec![Scalar::Enum(USSR)]), Tri::False);
}

// ── What undetermined assurances and conditions name ──

/// An assurance on a holding that may or may not be in its category, and fails the
/// requirement: undetermined, and what leaves the membership open is named.
#[test]
fn an_open_assurance_names_the_unknown_membership() {
    let mut model = probe_model(Predicate::Attribute(Access::Holding(H_MIRV)), Vec::new());
    model.provisions = vec![provision(
        "assured",
        ProvisionKind::Assurance,
        Rule::Assurance {
            category: PROBE,
            requirement: Predicate::Attribute(Access::Holding(H_MOBILE)),
            text: "mobile".to_string(),
        },
    )];
    let facts = probe_facts(Vec::new(), &[(H_MOBILE, Fact::Bool(false))], exact(3));
    let report = run(&model, &facts);
    let assured = find(&report, "USA", "assured");
    assert_eq!(assured.verdict, Verdict::Undetermined);
    assert_eq!(assured.unknowns, ["`h` mirv_equipped is not stated"]);
}

/// A provision whose condition stays unknown (a ninth unstated package) and whose rule is
/// violated: undetermined, the condition's unknown named, and no excess (it may not apply).
#[test]
fn an_unknown_condition_names_itself_and_drops_the_excess() {
    let mut model = undecided_model(Predicate::Const(true), Predicate::Const(true));
    let provision = model.provisions.last_mut().unwrap();
    provision.conditions.push(agreed(8));
    provision
        .condition_texts
        .push("package p8 is agreed".to_string());
    let mut facts = probe_facts(Vec::new(), &[], exact(4));
    facts.packages = vec![PackageState::Unknown; 9];
    let report = run(&model, &facts);
    let ban = find(&report, "USA", "probe_ban");
    assert_eq!(ban.verdict, Verdict::Undetermined);
    assert_eq!(ban.excess, None);
    assert!(
        ban.unknowns.iter().any(|u| u.contains("`p8`")),
        "{:?}",
        ban.unknowns
    );
}
