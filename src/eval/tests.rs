//! Unit tests of the evaluation semantics on small hand-built models and facts.

use miette::Diagnostic;

use super::logic::{Tri, compare_numbers, in_range, join_verdicts, judge};
use super::*;
use crate::diagnostics::Problem;
use crate::interval::{Amount, Interval};
use crate::lang::{Comparison, DocumentKind, PackageStatus};
use crate::model::{
    Access, Bound, Branch, Category, Date, Package, PackageState, Period, Predicate, Quantity,
    Quote, Reading, Scalar, Scope, Value, Variant, Vocabulary, Weight,
};
use crate::report::{BoundReport, TextOptions, render_json, render_markdown, render_text};
use crate::scenario::{Fact, Holding, WeaponType};
use crate::span::{SourceFile, Span};

// ── Vocabulary slots ──

// Weapon-type attributes.
const T_CLASS: usize = 0;
const T_BASING: usize = 1;
const T_RANGE: usize = 2;
const T_MIRV_TESTED: usize = 3;
const T_WARHEADS: usize = 4;
const T_INTERCONTINENTAL: usize = 5;

// Weapon-type classes.
const CRUISE_MISSILE: usize = 3;

// Holding attributes.
const H_CLASS: usize = 0;
const H_TYPE: usize = 1;
const H_MIRV: usize = 2;
const H_MOBILE: usize = 3;
const H_ARMAMENT: usize = 4;

// Holding classes.
const ICBM_LAUNCHER: usize = 0;
const SLBM_LAUNCHER: usize = 1;
const HEAVY_BOMBER: usize = 2;
const MEDIUM_BOMBER: usize = 3;

const USA: usize = 0;
const USSR: usize = 1;

fn vocabulary() -> Vocabulary {
    crate::model::strategic_vocabulary()
}

// ── Expressions ──

fn holding_attr(slot: usize) -> Value {
    Value::Attribute(Access::Holding(slot))
}

fn class_in(classes: &[usize]) -> Predicate {
    Predicate::InSet {
        value: holding_attr(H_CLASS),
        items: classes.iter().map(|c| Scalar::Enum(*c)).collect(),
    }
}

fn class_is(class: usize) -> Predicate {
    Predicate::Compare {
        op: Comparison::Equal,
        left: holding_attr(H_CLASS),
        right: Value::Const(Scalar::Enum(class)),
    }
}

fn and(a: Predicate, b: Predicate) -> Predicate {
    Predicate::And(Box::new(a), Box::new(b))
}

fn or(a: Predicate, b: Predicate) -> Predicate {
    Predicate::Or(Box::new(a), Box::new(b))
}

fn not(a: Predicate) -> Predicate {
    Predicate::Not(Box::new(a))
}

fn via_type(attribute: usize) -> Access {
    Access::ViaReference {
        reference: H_TYPE,
        attribute,
    }
}

/// `any armament has (class = cruise_missile and range in [600 km, 2500 km])` (or `(600 km, …`).
fn armed_with_band(low_inclusive: bool) -> Predicate {
    Predicate::Quantified {
        every: false,
        list: Access::Holding(H_ARMAMENT),
        body: Box::new(and(
            Predicate::Compare {
                op: Comparison::Equal,
                left: Value::Attribute(Access::Type(T_CLASS)),
                right: Value::Const(Scalar::Enum(CRUISE_MISSILE)),
            },
            Predicate::InRange {
                value: Value::Attribute(Access::Type(T_RANGE)),
                low: 600.0,
                low_inclusive,
                high: 2500.0,
                high_inclusive: true,
            },
        )),
    }
}

fn branch(selection: Predicate, text: &str) -> Branch {
    Branch {
        condition: None,
        selection,
        text: text.to_string(),
        condition_text: None,
    }
}

fn exception(
    condition: Predicate,
    condition_text: &str,
    selection: Predicate,
    text: &str,
) -> Branch {
    Branch {
        condition: Some(condition),
        selection,
        text: text.to_string(),
        condition_text: Some(condition_text.to_string()),
    }
}

fn category(name: &str, branches: Vec<Branch>) -> Category {
    Category {
        name: name.to_string(),
        label: None,
        quotes: Vec::new(),
        cites: Vec::new(),
        notes: Vec::new(),
        branches,
    }
}

fn quote(text: &str) -> Quote {
    Quote {
        text: text.to_string(),
        span: Span::default(),
        source: None,
    }
}

fn provision(id: &str, kind: ProvisionKind, rule: Rule) -> Provision {
    Provision {
        id: id.to_string(),
        label: None,
        kind,
        scope: Scope::EachParty,
        quotes: vec![quote(&format!("the words of {id}"))],
        cites: Vec::new(),
        notes: Vec::new(),
        conditions: Vec::new(),
        condition_texts: Vec::new(),
        period: Period::default(),
        period_written: Default::default(),
        rule,
        span: Span::default(),
    }
}

fn limit(id: &str, quantity: Quantity, bounds: &[(Option<Date>, u64)]) -> Provision {
    provision(
        id,
        ProvisionKind::Limit,
        Rule::Limit {
            quantity,
            comparison: Comparison::AtMost,
            bounds: bounds
                .iter()
                .map(|&(from, value)| Bound {
                    from,
                    value,
                    from_written: None,
                })
                .collect(),
            text: "the quantity".to_string(),
        },
    )
}

fn ban(id: &str, category: usize) -> Provision {
    provision(id, ProvisionKind::Ban, Rule::Ban { category })
}

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

// Categories of the test model.
const DELIVERY: usize = 0;
const MIRVED: usize = 1;
const BAND: usize = 2;
const BACKFIRE: usize = 3;
const MOBILE: usize = 4;

// Packages and readings.
const CRUISE_MISSILES: usize = 0;
const BACKFIRE_WITHDRAWN: usize = 1;
const ALCM_BAND: usize = 0;
const INCLUSIVE: usize = 0;
const EXCLUSIVE: usize = 1;

/// A model shaped like the letter of 15 March 1977, without provisions.
fn model() -> Model {
    let launchers = || class_in(&[ICBM_LAUNCHER, SLBM_LAUNCHER]);
    let cruise_agreed = || Predicate::Package {
        package: CRUISE_MISSILES,
        status: PackageStatus::Agreed,
    };
    Model {
        kind: DocumentKind::Position,
        title: "Test position".to_string(),
        date: Some(date("1977-03-15")),
        parties: vec!["USA".to_string(), "USSR".to_string()],
        entry_into_force: None,
        source: None,
        sources: Vec::new(),
        period: Period::default(),
        period_written: Default::default(),
        notes: Vec::new(),
        vocabulary: vocabulary(),
        packages: vec![
            Package {
                name: "cruise_missiles".to_string(),
                label: None,
                quotes: Vec::new(),
                cites: Vec::new(),
                notes: Vec::new(),
            },
            Package {
                name: "backfire_withdrawn".to_string(),
                label: None,
                quotes: Vec::new(),
                cites: Vec::new(),
                notes: Vec::new(),
            },
        ],
        readings: vec![Reading {
            name: "alcm_band".to_string(),
            label: None,
            quotes: Vec::new(),
            cites: Vec::new(),
            notes: Vec::new(),
            variants: vec![
                Variant {
                    name: "inclusive".to_string(),
                    label: None,
                },
                Variant {
                    name: "exclusive".to_string(),
                    label: None,
                },
            ],
            default: INCLUSIVE,
        }],
        categories: vec![
            category(
                "delivery_vehicles",
                vec![branch(
                    class_in(&[ICBM_LAUNCHER, SLBM_LAUNCHER, HEAVY_BOMBER]),
                    "holdings where class in {icbm_launcher, slbm_launcher, heavy_bomber}",
                )],
            ),
            category(
                "mirved_launchers",
                vec![
                    branch(
                        and(launchers(), Predicate::Attribute(Access::Holding(H_MIRV))),
                        "holdings where class in {icbm_launcher, slbm_launcher} and mirv_equipped",
                    ),
                    exception(
                        cruise_agreed(),
                        "package cruise_missiles is agreed",
                        and(
                            launchers(),
                            or(
                                Predicate::Attribute(Access::Holding(H_MIRV)),
                                Predicate::Attribute(via_type(T_MIRV_TESTED)),
                            ),
                        ),
                        "holdings where class in {icbm_launcher, slbm_launcher} and (mirv_equipped or type.mirv_tested)",
                    ),
                ],
            ),
            category(
                "band_cruise_missile_bombers",
                vec![
                    branch(
                        and(class_is(HEAVY_BOMBER), armed_with_band(true)),
                        "holdings where class = heavy_bomber and any armament has (class = cruise_missile and range in [600 km, 2500 km])",
                    ),
                    exception(
                        Predicate::Reading {
                            reading: ALCM_BAND,
                            variant: EXCLUSIVE,
                        },
                        "reading alcm_band is exclusive",
                        and(class_is(HEAVY_BOMBER), armed_with_band(false)),
                        "holdings where class = heavy_bomber and any armament has (class = cruise_missile and range in (600 km, 2500 km])",
                    ),
                ],
            ),
            category(
                "backfire",
                vec![branch(
                    and(
                        class_is(MEDIUM_BOMBER),
                        Predicate::Compare {
                            op: Comparison::Equal,
                            left: Value::Attribute(Access::ReferenceName { reference: H_TYPE }),
                            right: Value::Const(Scalar::Text("Backfire".to_string())),
                        },
                    ),
                    "holdings where class = medium_bomber and type.name = \"Backfire\"",
                )],
            ),
            category(
                "mobile_icbm_launchers",
                vec![branch(
                    and(
                        class_is(ICBM_LAUNCHER),
                        Predicate::Attribute(Access::Holding(H_MOBILE)),
                    ),
                    "holdings where class = icbm_launcher and mobile",
                )],
            ),
        ],
        provisions: Vec::new(),
        tests: Vec::new(),
        file: SourceFile::new("rules/test.treaty", ""),
        coverage: None,
        citations: Default::default(),
    }
}

fn weapon(name: &str, attributes: &[(usize, Fact)]) -> WeaponType {
    let mut all = vec![Fact::NotStated; 6];
    for (slot, fact) in attributes {
        all[*slot] = fact.clone();
    }
    WeaponType {
        name: name.to_string(),
        attributes: all,
        span: Span::default(),
    }
}

fn holding(party: usize, name: &str, count: Interval, attributes: &[(usize, Fact)]) -> Holding {
    let mut all = vec![Fact::NotStated; 5];
    for (slot, fact) in attributes {
        all[*slot] = fact.clone();
    }
    Holding {
        party,
        name: name.into(),
        count,
        attributes: all,
        source: None,
        estimated: false,
        span: Span::default(),
    }
}

fn facts(day: &str, packages: [PackageState; 2]) -> Facts {
    Facts {
        title: "Test scenario".to_string(),
        date: date(day),
        source: None,
        parties: vec![USA, USSR],
        packages: packages.to_vec(),
        types: Vec::new(),
        holdings: Vec::new(),
        declared: Vec::new(),
        file: SourceFile::new("scenarios/test.toml", ""),
    }
}

fn unknown_packages() -> [PackageState; 2] {
    [PackageState::Unknown, PackageState::Unknown]
}

fn km_value(value: f64) -> Fact {
    Fact::Number {
        min: value,
        max: value,
    }
}

fn exact(n: u64) -> Interval {
    Interval::exact(n)
}

fn range(min: u64, max: u64) -> Interval {
    Interval::new(min, max).unwrap()
}

fn run(model: &Model, facts: &Facts) -> Report {
    evaluate(model, facts, &Options::defaults(model)).unwrap()
}

/// `work()`, or a failed test if it takes longer than `seconds` (the work is left running on
/// its thread, which ends with the test process).
fn within_seconds<T: Send + 'static>(seconds: u64, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(work()));
    match result.recv_timeout(std::time::Duration::from_secs(seconds)) {
        Ok(value) => value,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("not done within {seconds} s"),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("the work panicked"),
    }
}

fn find<'r>(report: &'r Report, party: &str, id: &str) -> &'r ProvisionReport {
    report
        .parties
        .iter()
        .find(|p| p.party == party)
        .and_then(|p| p.provisions.iter().find(|v| v.id == id))
        .unwrap_or_else(|| panic!("no {id} for {party}"))
}

// ── Three-valued logic ─────────────────────────────────────────────────────────

#[test]
fn kleene_tables() {
    use Tri::{False as F, True as T, Unknown as U};
    assert_eq!(F.and(U), F);
    assert_eq!(U.and(F), F);
    assert_eq!(T.and(U), U);
    assert_eq!(T.and(T), T);
    assert_eq!(T.or(U), T);
    assert_eq!(U.or(T), T);
    assert_eq!(F.or(U), U);
    assert_eq!(F.or(F), F);
    assert_eq!(U.not(), U);
    assert_eq!(T.not(), F);
}

#[test]
fn interval_comparisons_hold_for_all_none_or_some() {
    let at_most = |a: (f64, f64), b: f64| compare_numbers(Comparison::AtMost, a, (b, b));
    assert_eq!(at_most((2200.0, 2200.0), 2200.0), Tri::True);
    assert_eq!(at_most((2201.0, 5000.0), 2200.0), Tri::False);
    assert_eq!(at_most((2000.0, 5000.0), 2200.0), Tri::Unknown);
    let greater = |a: (f64, f64), b: f64| compare_numbers(Comparison::Greater, a, (b, b));
    assert_eq!(greater((2600.0, 3000.0), 2500.0), Tri::True);
    assert_eq!(greater((2500.0, 2500.0), 2500.0), Tri::False);
    assert_eq!(greater((2400.0, 2600.0), 2500.0), Tri::Unknown);
    let equal = |a: (f64, f64), b: f64| compare_numbers(Comparison::Equal, a, (b, b));
    assert_eq!(equal((5.0, 5.0), 5.0), Tri::True);
    assert_eq!(equal((4.0, 6.0), 5.0), Tri::Unknown);
    assert_eq!(equal((6.0, 7.0), 5.0), Tri::False);
    assert_eq!(
        compare_numbers(Comparison::NotEqual, (6.0, 7.0), (5.0, 5.0)),
        Tri::True
    );

    assert_eq!(in_range(600.0, 600.0, 600.0, true, 2500.0, true), Tri::True);
    assert_eq!(
        in_range(600.0, 600.0, 600.0, false, 2500.0, true),
        Tri::False
    );
    assert_eq!(
        in_range(2500.0, 2500.0, 600.0, false, 2500.0, true),
        Tri::True
    );
    assert_eq!(
        in_range(2200.0, 2800.0, 600.0, true, 2500.0, true),
        Tri::Unknown
    );
    assert_eq!(
        in_range(2600.0, 2800.0, 600.0, true, 2500.0, true),
        Tri::False
    );
    assert_eq!(
        in_range(100.0, 500.0, 600.0, true, 2500.0, true),
        Tri::False
    );
}

#[test]
fn judging_a_quantity_against_a_bound() {
    assert_eq!(
        judge(Amount::from(exact(2400)), Comparison::AtMost, 2400),
        (Verdict::Complies, None)
    );
    assert_eq!(
        judge(Amount::from(exact(2504)), Comparison::AtMost, 2400),
        (Verdict::Violated, Some(104))
    );
    assert_eq!(
        judge(Amount::from(range(2300, 2500)), Comparison::AtMost, 2400),
        (Verdict::Undetermined, None)
    );
    assert_eq!(
        judge(Amount::from(Interval::UNKNOWN), Comparison::AtMost, 2400),
        (Verdict::Undetermined, None)
    );
    assert_eq!(
        judge(Amount::from(exact(2400)), Comparison::Less, 2400),
        (Verdict::Violated, Some(1))
    );
    assert_eq!(
        judge(Amount::from(exact(90)), Comparison::AtLeast, 100),
        (Verdict::Violated, Some(10))
    );
    assert_eq!(
        judge(Amount::from(range(90, 110)), Comparison::AtLeast, 100),
        (Verdict::Undetermined, None)
    );
    assert_eq!(
        judge(Amount::from(exact(100)), Comparison::Equal, 100),
        (Verdict::Complies, None)
    );
    assert_eq!(
        judge(Amount::from(exact(0)), Comparison::AtMost, 0),
        (Verdict::Complies, None)
    );
}

/// Every comparison against quantities that touch the bound from below, at it and from above,
/// known exactly or only as an interval: the mirrored comparisons (`<=`/`>=`, `<`/`>`) mirror
/// each other, and the strict ones are the others one step over.
#[test]
fn judging_every_comparison_at_touching_bounds() {
    use Comparison::{AtLeast, AtMost, Equal, Greater, Less, NotEqual};
    use Verdict::{Complies as C, Undetermined as U, Violated as V};
    let amount = |min: Option<i128>, max: Option<i128>| Amount { min, max };
    let below = Amount::exact(99);
    let at = Amount::exact(100);
    let above = Amount::exact(101);
    let up_to = amount(Some(99), Some(100));
    let from = amount(Some(100), Some(101));
    let across = amount(Some(99), Some(101));
    let unknown = Amount::from(Interval::UNKNOWN);
    let only_max = amount(None, Some(99));
    let only_min = amount(Some(101), None);
    type Judged = (Verdict, Option<u64>);
    #[rustfmt::skip]
    let table: [(Amount, [Judged; 6]); 9] = [
        //          <=            <             >=            >             =             !=
        (below,    [(C, None),    (C, None),    (V, Some(1)), (V, Some(2)), (V, Some(1)), (C, None)]),
        (at,       [(C, None),    (V, Some(1)), (C, None),    (V, Some(1)), (C, None),    (V, Some(1))]),
        (above,    [(V, Some(1)), (V, Some(2)), (C, None),    (C, None),    (V, Some(1)), (C, None)]),
        (up_to,    [(C, None),    (U, None),    (U, None),    (V, Some(1)), (U, None),    (U, None)]),
        (from,     [(U, None),    (V, Some(1)), (C, None),    (U, None),    (U, None),    (U, None)]),
        (across,   [(U, None),    (U, None),    (U, None),    (U, None),    (U, None),    (U, None)]),
        (unknown,  [(U, None),    (U, None),    (U, None),    (U, None),    (U, None),    (U, None)]),
        (only_max, [(C, None),    (C, None),    (V, Some(1)), (V, Some(2)), (V, Some(1)), (C, None)]),
        (only_min, [(V, Some(1)), (V, Some(2)), (C, None),    (C, None),    (V, Some(1)), (C, None)]),
    ];
    for (q, expected) in table {
        for (op, want) in [AtMost, Less, AtLeast, Greater, Equal, NotEqual]
            .into_iter()
            .zip(expected)
        {
            assert_eq!(judge(q, op, 100), want, "{q} {} 100", op.symbol());
        }
    }
    // At zero, the least bound a rule can state.
    let zero = Amount::exact(0);
    assert_eq!(judge(zero, AtMost, 0), (C, None));
    assert_eq!(judge(zero, Less, 0), (V, Some(1)));
    assert_eq!(judge(zero, AtLeast, 0), (C, None));
    assert_eq!(judge(zero, Greater, 0), (V, Some(1)));
    assert_eq!(judge(zero, Equal, 0), (C, None));
    assert_eq!(judge(zero, NotEqual, 0), (V, Some(1)));
    // A distance too large for a count saturates.
    let huge = Amount::exact(i128::MAX);
    assert_eq!(judge(huge, AtMost, 0), (V, Some(u64::MAX)));
    assert_eq!(judge(huge, Less, 0), (V, Some(u64::MAX)));
    let deep = Amount::exact(i128::MIN);
    assert_eq!(judge(deep, AtLeast, 0), (V, Some(u64::MAX)));
    assert_eq!(judge(deep, Greater, 0), (V, Some(u64::MAX)));
}

#[test]
fn join_of_branches() {
    use Verdict::*;
    assert_eq!(join_verdicts([Complies, Complies]), Complies);
    assert_eq!(join_verdicts([Complies, NotApplicable]), Complies);
    assert_eq!(join_verdicts([NotApplicable, Complies]), Complies);
    assert_eq!(join_verdicts([NotApplicable, NotApplicable]), NotApplicable);
    assert_eq!(join_verdicts([Violated, NotApplicable]), Undetermined);
    assert_eq!(join_verdicts([Violated, Complies]), Undetermined);
    assert_eq!(join_verdicts([Violated, Violated]), Violated);
    assert_eq!(
        join_verdicts([Complies, NotApplicable, Violated]),
        Undetermined
    );
}

// ── Counts as intervals ────────────────────────────────────────────────────────

fn aggregate_model() -> Model {
    let mut model = model();
    model.provisions.push(limit(
        "aggregate_ceiling",
        Quantity::Count(DELIVERY),
        &[(None, 2400)],
    ));
    model
}

fn bombers(count: Interval) -> Facts {
    let mut facts = facts("1977-03-15", unknown_packages());
    facts.holdings = vec![
        holding(
            USA,
            "Minuteman",
            exact(1054),
            &[(H_CLASS, Fact::Enum(ICBM_LAUNCHER))],
        ),
        holding(
            USA,
            "Polaris/Poseidon",
            exact(656),
            &[(H_CLASS, Fact::Enum(SLBM_LAUNCHER))],
        ),
        holding(USA, "B-52", count, &[(H_CLASS, Fact::Enum(HEAVY_BOMBER))]),
        holding(
            USA,
            "FB-111",
            exact(66),
            &[(H_CLASS, Fact::Enum(MEDIUM_BOMBER))],
        ),
    ];
    facts
}

#[test]
fn interval_count_is_undetermined_and_names_the_estimate() {
    let model = aggregate_model();
    let report = run(&model, &bombers(range(600, 800)));
    let usa = find(&report, "USA", "aggregate_ceiling");
    assert_eq!(usa.verdict, Verdict::Undetermined);
    assert_eq!(usa.quantity, Some(Amount::from(range(2310, 2510))));
    assert_eq!(usa.excess, None);
    assert_eq!(
        usa.unknowns,
        vec!["count of `B-52` is 600..800".to_string()]
    );
    // The medium bomber is not a delivery vehicle: not a contributor.
    let holdings: Vec<&str> = usa.contributors.iter().map(|c| &*c.holding).collect();
    assert_eq!(holdings, ["Minuteman", "Polaris/Poseidon", "B-52"]);
    assert_eq!(usa.contributors[2].count, range(600, 800));
    assert_eq!(
        &*usa.contributors[0].because,
        "counted in `delivery_vehicles`: holdings where class in {icbm_launcher, slbm_launcher, heavy_bomber}"
    );
    // The USSR has nothing: zero complies.
    let ussr = find(&report, "USSR", "aggregate_ceiling");
    assert_eq!(ussr.verdict, Verdict::Complies);
    assert_eq!(ussr.quantity, Some(Amount::from(exact(0))));
}

#[test]
fn narrowing_the_estimate_decides_the_limit() {
    let model = aggregate_model();
    let below = run(&model, &bombers(range(316, 574)));
    let below = find(&below, "USA", "aggregate_ceiling");
    assert_eq!(below.verdict, Verdict::Complies);
    assert_eq!(below.quantity, Some(Amount::from(range(2026, 2284))));
    assert!(below.unknowns.is_empty());

    let above = run(&model, &bombers(range(700, 800)));
    let above = find(&above, "USA", "aggregate_ceiling");
    assert_eq!(above.verdict, Verdict::Violated);
    assert_eq!(above.excess, Some(10));
    assert!(above.unknowns.is_empty());
}

#[test]
fn unknown_count_has_no_upper_bound() {
    let model = aggregate_model();
    let report = run(&model, &bombers(Interval::UNKNOWN));
    let usa = find(&report, "USA", "aggregate_ceiling");
    assert_eq!(usa.verdict, Verdict::Undetermined);
    assert_eq!(
        usa.quantity,
        Some(Amount::from(Interval {
            min: 1710,
            max: None
        }))
    );
    assert_eq!(usa.unknowns, vec!["count of `B-52` is unknown".to_string()]);
}

#[test]
fn unknown_membership_contributes_zero_to_count() {
    let mut model = model();
    model.provisions.push(limit(
        "mirv_ceiling",
        Quantity::Count(MIRVED),
        &[(None, 1320)],
    ));
    let mut facts = facts(
        "1977-03-15",
        [
            PackageState::Stated(PackageStatus::Open),
            PackageState::Unknown,
        ],
    );
    facts.holdings = vec![
        holding(
            USSR,
            "SS-18",
            exact(1300),
            &[
                (H_CLASS, Fact::Enum(ICBM_LAUNCHER)),
                (H_MIRV, Fact::Bool(true)),
            ],
        ),
        holding(
            USSR,
            "Disputed silos",
            exact(120),
            &[
                (H_CLASS, Fact::Enum(ICBM_LAUNCHER)),
                (H_MIRV, Fact::Unknown),
            ],
        ),
        // A heavy bomber with no MIRV status: not a launcher, so definitely not counted
        // (false and unknown is false).
        holding(
            USSR,
            "Bear",
            exact(156),
            &[(H_CLASS, Fact::Enum(HEAVY_BOMBER))],
        ),
    ];
    let report = run(&model, &facts);
    let ussr = find(&report, "USSR", "mirv_ceiling");
    assert_eq!(ussr.verdict, Verdict::Undetermined);
    assert_eq!(ussr.quantity, Some(Amount::from(range(1300, 1420))));
    assert_eq!(ussr.contributors.len(), 2);
    assert_eq!(ussr.contributors[1].count, range(0, 120));
    assert!(
        ussr.contributors[1]
            .because
            .starts_with("possibly counted in `mirved_launchers`")
    );
    assert_eq!(
        ussr.unknowns,
        vec!["`Disputed silos` mirv_equipped is unknown".to_string()]
    );
}

#[test]
fn weighted_sums_multiply_by_an_attribute() {
    let mut model = model();
    model.provisions.push(limit(
        "warheads",
        Quantity::Sum {
            weight: Weight::Attribute(via_type(T_WARHEADS)),
            category: DELIVERY,
        },
        &[(None, 6000)],
    ));
    let mut facts = facts("1977-03-15", unknown_packages());
    facts.types = vec![
        weapon(
            "Minuteman III",
            &[(T_WARHEADS, Fact::Number { min: 3.0, max: 3.0 })],
        ),
        weapon(
            "Poseidon C-3",
            &[(
                T_WARHEADS,
                Fact::Number {
                    min: 10.0,
                    max: 14.0,
                },
            )],
        ),
        weapon("Mystery", &[]),
    ];
    facts.holdings = vec![
        holding(
            USA,
            "Minuteman III silos",
            exact(550),
            &[
                (H_CLASS, Fact::Enum(ICBM_LAUNCHER)),
                (H_TYPE, Fact::Reference(0)),
            ],
        ),
        holding(
            USA,
            "Poseidon tubes",
            exact(300),
            &[
                (H_CLASS, Fact::Enum(SLBM_LAUNCHER)),
                (H_TYPE, Fact::Reference(1)),
            ],
        ),
    ];
    let report = run(&model, &facts);
    let usa = find(&report, "USA", "warheads");
    assert_eq!(usa.verdict, Verdict::Complies);
    assert_eq!(
        usa.quantity,
        Some(Amount::from(range(1650 + 3000, 1650 + 4200)))
    );
    assert_eq!(usa.contributors[1].count, range(3000, 4200));
    assert!(
        usa.contributors[1]
            .because
            .ends_with("weighted by type.warheads = 10..14")
    );

    // An unknown weight leaves the sum without an upper bound.
    facts.holdings.push(holding(
        USA,
        "Mystery tubes",
        exact(10),
        &[
            (H_CLASS, Fact::Enum(SLBM_LAUNCHER)),
            (H_TYPE, Fact::Reference(2)),
        ],
    ));
    let report = run(&model, &facts);
    let usa = find(&report, "USA", "warheads");
    assert_eq!(usa.verdict, Verdict::Undetermined);
    assert_eq!(
        usa.quantity,
        Some(Amount::from(Interval {
            min: 4650,
            max: None
        }))
    );
    assert!(
        usa.unknowns
            .contains(&"`Mystery` warheads is not stated".to_string())
    );
    assert!(
        usa.unknowns
            .contains(&"`Poseidon C-3` warheads is 10..14".to_string())
    );
}

#[test]
fn count_overflow_leaves_the_provision_not_evaluable_and_the_rest_standing() {
    let model = aggregate_model();
    let mut facts = bombers(exact(u64::MAX));
    facts.holdings.truncate(3);
    let report = evaluate(&model, &facts, &Options::default()).unwrap();
    for party in &report.parties {
        for provision in &party.provisions {
            if provision.verdict != Verdict::NotEvaluable {
                continue;
            }
            assert_eq!(provision.quantity, None);
            let remark = provision.remarks.first().unwrap();
            assert!(
                remark.starts_with("treaty::eval::overflow: a count overflowed while evaluating"),
                "{remark}"
            );
        }
    }
    let not_evaluable = report
        .parties
        .iter()
        .flat_map(|p| &p.provisions)
        .filter(|p| !p.remarks.is_empty())
        .count();
    assert!(not_evaluable > 0);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("could not be evaluated")),
        "{:?}",
        report.warnings
    );
}

// ── Exceptions: the MIRV type rule ─────────────────────────────────────────────

fn type_rule_facts(cruise_missiles: PackageState) -> Facts {
    let mut facts = facts("1985-06-01", [cruise_missiles, PackageState::Unknown]);
    facts.types = vec![weapon("Type A", &[(T_MIRV_TESTED, Fact::Bool(true))])];
    let launcher = |name: &str, count: u64, mirv: bool| {
        holding(
            USSR,
            name,
            exact(count),
            &[
                (H_CLASS, Fact::Enum(ICBM_LAUNCHER)),
                (H_TYPE, Fact::Reference(0)),
                (H_MIRV, Fact::Bool(mirv)),
            ],
        )
    };
    facts.holdings = vec![
        launcher("Type A with MIRVs", 1200, true),
        launcher("Type A without MIRVs", 200, false),
    ];
    facts
}

fn type_rule_model() -> Model {
    let mut model = model();
    model.provisions.push(limit(
        "mirv_ceiling",
        Quantity::Count(MIRVED),
        &[(None, 1320)],
    ));
    model
}

#[test]
fn type_rule_applies_when_the_package_is_agreed() {
    let model = type_rule_model();
    let report = run(
        &model,
        &type_rule_facts(PackageState::Stated(PackageStatus::Agreed)),
    );
    let ussr = find(&report, "USSR", "mirv_ceiling");
    assert_eq!(ussr.verdict, Verdict::Violated);
    assert_eq!(ussr.quantity, Some(Amount::from(exact(1400))));
    assert_eq!(ussr.excess, Some(80));
    assert_eq!(
        &*ussr.contributors[1].because,
        "counted in `mirved_launchers`: when package cruise_missiles is agreed: holdings where class in \
         {icbm_launcher, slbm_launcher} and (mirv_equipped or type.mirv_tested) (package `cruise_missiles` is agreed)"
    );
}

#[test]
fn type_rule_does_not_apply_when_the_package_is_not_agreed() {
    let model = type_rule_model();
    for status in [PackageStatus::Open, PackageStatus::Rejected] {
        let report = run(&model, &type_rule_facts(PackageState::Stated(status)));
        let ussr = find(&report, "USSR", "mirv_ceiling");
        assert_eq!(ussr.verdict, Verdict::Complies);
        assert_eq!(ussr.quantity, Some(Amount::from(exact(1200))));
        assert_eq!(ussr.contributors.len(), 1);
        assert_eq!(
            &*ussr.contributors[0].because,
            format!(
                "counted in `mirved_launchers`: holdings where class in {{icbm_launcher, slbm_launcher}} and \
                 mirv_equipped (package `cruise_missiles` is {})",
                status.as_str()
            )
        );
    }
}

#[test]
fn unknown_package_evaluates_both_branches_and_joins() {
    let model = type_rule_model();
    let report = run(&model, &type_rule_facts(PackageState::Unknown));
    let ussr = find(&report, "USSR", "mirv_ceiling");
    assert_eq!(ussr.verdict, Verdict::Undetermined);
    assert_eq!(ussr.quantity, Some(Amount::from(range(1200, 1400))));
    assert_eq!(ussr.excess, None);
    assert_eq!(
        ussr.unknowns,
        vec![
            "package `cruise_missiles` is not stated: violated if agreed, complies if not"
                .to_string()
        ]
    );
    // One entry per holding: counted under either branch, or only under one (from zero).
    assert_eq!(ussr.contributors.len(), 2);
    let with = &ussr.contributors[0];
    assert_eq!(&*with.holding, "Type A with MIRVs");
    assert_eq!(with.count, exact(1200));
    assert!(with.because.contains(
        "mirv_equipped (package `cruise_missiles` is not stated; assumed not agreed); or "
    ));
    assert!(
        with.because
            .ends_with("(package `cruise_missiles` is not stated; assumed agreed)")
    );
    let without = &ussr.contributors[1];
    assert_eq!(&*without.holding, "Type A without MIRVs");
    assert_eq!(without.count, range(0, 200));
    assert!(
        without
            .because
            .starts_with("counted in `mirved_launchers`: when package cruise_missiles is agreed: ")
    );

    // When both branches agree, the unknown package does not matter.
    let mut facts = type_rule_facts(PackageState::Unknown);
    facts.holdings.truncate(1);
    let report = run(&model, &facts);
    let ussr = find(&report, "USSR", "mirv_ceiling");
    assert_eq!(ussr.verdict, Verdict::Complies);
    assert!(ussr.unknowns.is_empty());
}

#[test]
fn unknown_provision_condition_joins_with_not_applicable() {
    let mut model = model();
    let mut provision = ban("mobile_icbm_ban", MOBILE);
    provision.conditions = vec![Predicate::Package {
        package: BACKFIRE_WITHDRAWN,
        status: PackageStatus::Agreed,
    }];
    provision.condition_texts = vec!["package backfire_withdrawn is agreed".to_string()];
    model.provisions.push(provision);
    let mut facts = facts("1980-01-01", unknown_packages());
    facts.holdings = vec![holding(
        USSR,
        "SS-20 launchers",
        exact(100),
        &[
            (H_CLASS, Fact::Enum(ICBM_LAUNCHER)),
            (H_MOBILE, Fact::Bool(true)),
        ],
    )];
    let report = run(&model, &facts);
    // Violated if it applies, not applicable if not: undetermined, decided by the package.
    let ussr = find(&report, "USSR", "mobile_icbm_ban");
    assert_eq!(ussr.verdict, Verdict::Undetermined);
    assert_eq!(
        ussr.unknowns,
        vec![
            "package `backfire_withdrawn` is not stated: violated if agreed, not_applicable if not"
                .to_string()
        ]
    );
    // Complies if it applies, not applicable if not: complies.
    let usa = find(&report, "USA", "mobile_icbm_ban");
    assert_eq!(usa.verdict, Verdict::Complies);
    assert!(usa.unknowns.is_empty());

    // A stated package decides.
    let mut rejected = facts.clone();
    rejected.packages[BACKFIRE_WITHDRAWN] = PackageState::Stated(PackageStatus::Rejected);
    let report = run(&model, &rejected);
    let ussr = find(&report, "USSR", "mobile_icbm_ban");
    assert_eq!(ussr.verdict, Verdict::NotApplicable);
    // Not applicable, and still what it would count, as if it applied; no excess.
    assert_eq!(ussr.quantity, Some(Amount::exact(100)));
    assert_eq!(ussr.excess, None);
    assert_eq!(ussr.contributors.len(), 1);
}

// ── Dates ──────────────────────────────────────────────────────────────────────

#[test]
fn bound_changes_with_the_date() {
    let mut model = model();
    model.provisions.push(limit(
        "aggregate_ceiling",
        Quantity::Count(DELIVERY),
        &[(None, 2400), (Some(date("1981-01-01")), 2250)],
    ));
    let mut early = facts("1980-12-31", unknown_packages());
    early.holdings = vec![holding(
        USA,
        "Minuteman",
        exact(2300),
        &[(H_CLASS, Fact::Enum(ICBM_LAUNCHER))],
    )];
    let report = run(&model, &early);
    let usa = find(&report, "USA", "aggregate_ceiling");
    assert_eq!(usa.verdict, Verdict::Complies);
    assert_eq!(
        usa.bound,
        Some(BoundReport {
            op: "<=".to_string(),
            value: 2400,
            from: None
        })
    );
    assert_eq!(
        usa.rule.as_deref(),
        Some("the quantity <= 2400, then 2250 from 1981-01-01")
    );

    let mut late = early.clone();
    late.date = date("1981-01-01");
    let report = run(&model, &late);
    let usa = find(&report, "USA", "aggregate_ceiling");
    assert_eq!(usa.verdict, Verdict::Violated);
    assert_eq!(usa.excess, Some(50));
    assert_eq!(
        usa.bound,
        Some(BoundReport {
            op: "<=".to_string(),
            value: 2250,
            from: Some(date("1981-01-01"))
        })
    );
}

#[test]
fn outside_its_period_a_provision_is_not_in_force() {
    let mut model = aggregate_model();
    model.provisions[0].period = Period {
        from: None,
        until: Some(date("1985-12-31")),
    };
    let mut facts = bombers(exact(10_000));
    facts.date = date("1986-01-01");
    let report = run(&model, &facts);
    let usa = find(&report, "USA", "aggregate_ceiling");
    assert_eq!(usa.verdict, Verdict::NotInForce);
    // Out of force, and still what it would count: over the bound, but not "violated".
    assert_eq!(usa.quantity, Some(Amount::exact(11_710)));
    assert_eq!(usa.excess, None);
    assert!(usa.unknowns.is_empty());
    assert!(!usa.contributors.is_empty());
    assert_eq!(
        usa.in_force.as_ref().map(ToString::to_string).as_deref(),
        Some("until 1985-12-31")
    );
    assert_eq!(report.parties[0].verdict, Verdict::NotInForce);
}

// ── Bans ───────────────────────────────────────────────────────────────────────

fn band_facts(armament: Fact, alcm_range: Fact) -> Facts {
    let mut facts = facts("1985-06-01", unknown_packages());
    facts.types = vec![weapon(
        "ALCM",
        &[
            (T_CLASS, Fact::Enum(CRUISE_MISSILE)),
            (T_BASING, Fact::Enum(0)),
            (T_RANGE, alcm_range),
        ],
    )];
    facts.holdings = vec![holding(
        USA,
        "B-52G",
        exact(150),
        &[(H_CLASS, Fact::Enum(HEAVY_BOMBER)), (H_ARMAMENT, armament)],
    )];
    facts
}

fn band_model() -> Model {
    let mut model = model();
    model.provisions.push(ban("band_ban", BAND));
    model
}

#[test]
fn ban_on_a_category() {
    let model = band_model();
    let armed = || Fact::List(vec![0]);

    let report = run(&model, &band_facts(armed(), km_value(2400.0)));
    let usa = find(&report, "USA", "band_ban");
    assert_eq!(usa.verdict, Verdict::Violated);
    assert_eq!(usa.quantity, Some(Amount::from(exact(150))));
    assert_eq!(usa.excess, Some(150));
    assert_eq!(usa.bound, None);

    let report = run(
        &model,
        &band_facts(Fact::List(Vec::new()), km_value(2400.0)),
    );
    let usa = find(&report, "USA", "band_ban");
    assert_eq!(usa.verdict, Verdict::Complies);
    assert_eq!(usa.quantity, Some(Amount::from(exact(0))));
    assert!(usa.contributors.is_empty());

    let report = run(&model, &band_facts(Fact::NotStated, km_value(2400.0)));
    let usa = find(&report, "USA", "band_ban");
    assert_eq!(usa.verdict, Verdict::Undetermined);
    assert_eq!(usa.quantity, Some(Amount::from(range(0, 150))));
    assert_eq!(
        usa.unknowns,
        vec!["`B-52G` armament is not stated".to_string()]
    );

    let report = run(
        &model,
        &band_facts(
            armed(),
            Fact::Number {
                min: 2200.0,
                max: 2800.0,
            },
        ),
    );
    let usa = find(&report, "USA", "band_ban");
    assert_eq!(usa.verdict, Verdict::Undetermined);
    assert_eq!(
        usa.unknowns,
        vec!["`ALCM` range is 2200..2800 km".to_string()]
    );

    let report = run(&model, &band_facts(armed(), Fact::Unknown));
    let usa = find(&report, "USA", "band_ban");
    assert_eq!(usa.unknowns, vec!["`ALCM` range is unknown".to_string()]);
}

// ── Readings ───────────────────────────────────────────────────────────────────

#[test]
fn readings_select_branches_and_by_reading_lists_each() {
    let model = band_model();
    let facts = band_facts(Fact::List(vec![0]), km_value(600.0));

    let inclusive = run(&model, &facts);
    assert_eq!(
        find(&inclusive, "USA", "band_ban").verdict,
        Verdict::Violated
    );
    assert_eq!(inclusive.readings.get("alcm_band"), Some("inclusive"));
    assert!(
        find(&inclusive, "USA", "band_ban").contributors[0]
            .because
            .ends_with("(reading `alcm_band` is `inclusive`)")
    );

    let options = Options {
        readings: vec![EXCLUSIVE],
        party: None,
    };
    let exclusive = evaluate(&model, &facts, &options).unwrap();
    assert_eq!(
        find(&exclusive, "USA", "band_ban").verdict,
        Verdict::Complies
    );
    assert_eq!(exclusive.readings.get("alcm_band"), Some("exclusive"));

    let all = evaluate_all_readings(&model, &facts, &Options::default()).unwrap();
    let usa = find(&all, "USA", "band_ban");
    assert_eq!(
        usa.verdict,
        Verdict::Violated,
        "the main verdict is under the default"
    );
    assert_eq!(usa.depends_on_reading, Some(true));
    let by_reading = usa.by_reading.as_ref().unwrap();
    assert_eq!(by_reading.len(), 2);
    assert_eq!(by_reading[0].readings.get("alcm_band"), Some("inclusive"));
    assert_eq!(by_reading[0].verdict, Verdict::Violated);
    assert_eq!(by_reading[1].readings.get("alcm_band"), Some("exclusive"));
    assert_eq!(by_reading[1].verdict, Verdict::Complies);
    let ussr = find(&all, "USSR", "band_ban");
    assert_eq!(ussr.depends_on_reading, Some(false));

    // The chosen reading is the main one.
    let all = evaluate_all_readings(&model, &facts, &options).unwrap();
    assert_eq!(find(&all, "USA", "band_ban").verdict, Verdict::Complies);
    assert_eq!(all.readings.get("alcm_band"), Some("exclusive"));
}

#[test]
fn bad_reading_choices_are_errors() {
    let model = band_model();
    let facts = band_facts(Fact::List(vec![0]), km_value(600.0));
    let error = evaluate(
        &model,
        &facts,
        &Options {
            readings: vec![2],
            party: None,
        },
    )
    .unwrap_err();
    assert!(matches!(error, EvalError::NoSuchVariant { .. }));
    let error = evaluate(
        &model,
        &facts,
        &Options {
            readings: vec![0, 0],
            party: None,
        },
    )
    .unwrap_err();
    assert!(matches!(
        error,
        EvalError::ReadingCount {
            expected: 1,
            found: 2
        }
    ));
}

// ── Options chosen by name ─────────────────────────────────────────────────────

fn choose(model: &Model, readings: &[&str], party: Option<&str>) -> Result<Chosen, Problem> {
    let readings: Vec<String> = readings.iter().map(|r| (*r).to_string()).collect();
    Chosen::from_names(model, &readings, party)
}

/// The problem's code, message and help, as one line each.
fn usage_problem(result: Result<Chosen, Problem>) -> String {
    let problem = result.unwrap_err();
    format!(
        "{}\n{}\n{}",
        problem.code().unwrap(),
        problem.message,
        problem.help.as_deref().unwrap_or("(no help)")
    )
}

#[test]
fn options_by_name_choose_variants_and_the_party() {
    let model = model();
    let chosen = choose(&model, &[" alcm_band = exclusive "], Some("USSR")).unwrap();
    assert_eq!(chosen.options.readings, vec![1]);
    assert_eq!(chosen.options.party, Some(USSR));
    assert_eq!(chosen.fixed, vec![0]);
    // The same choice twice is one choice; two different ones contradict each other.
    let chosen = choose(
        &model,
        &["alcm_band=exclusive", "alcm_band=exclusive"],
        None,
    )
    .unwrap();
    assert_eq!(chosen.options.readings, vec![1]);
    assert_eq!(chosen.fixed, vec![0]);
    assert_eq!(
        usage_problem(choose(
            &model,
            &["alcm_band=exclusive", "alcm_band=inclusive"],
            None,
        )),
        "treaty::usage::conflicting_readings\n\
         reading `alcm_band` is chosen twice: `exclusive` and `inclusive`\n\
         choose one variant of `alcm_band`, or give `--all-readings` without it to see the \
         verdicts under each"
    );
    let chosen = choose(&model, &[], None).unwrap();
    assert_eq!(chosen.options, Options::defaults(&model));
    assert!(chosen.fixed.is_empty());
}

#[test]
fn options_by_name_report_unknown_names_with_suggestions() {
    let model = model();
    assert_eq!(
        usage_problem(choose(&model, &["alcm_bnd=exclusive"], None)),
        "treaty::usage::unknown_reading\nunknown reading `alcm_bnd`\ndid you mean `alcm_band`?"
    );
    assert_eq!(
        usage_problem(choose(&model, &["zzzzzzzz=exclusive"], None)),
        "treaty::usage::unknown_reading\nunknown reading `zzzzzzzz`\nthe readings are `alcm_band`"
    );
    let mut no_readings = model.clone();
    no_readings.readings.clear();
    assert_eq!(
        usage_problem(choose(&no_readings, &["x=y"], None)),
        "treaty::usage::unknown_reading\nunknown reading `x`\nthis position has no readings"
    );
    assert_eq!(
        usage_problem(choose(&model, &["alcm_band=exclusiv"], None)),
        "treaty::usage::unknown_variant\nunknown variant `exclusiv` of reading `alcm_band`\n\
         did you mean `exclusive`?"
    );
    assert_eq!(
        usage_problem(choose(&model, &["alcm_band=zzzzzzzz"], None)),
        "treaty::usage::unknown_variant\nunknown variant `zzzzzzzz` of reading `alcm_band`\n\
         the variants are `inclusive`, `exclusive`"
    );
    assert_eq!(
        usage_problem(choose(&model, &["alcm_band"], None)),
        "treaty::usage::malformed_reading\n`--reading alcm_band` is not NAME=VARIANT\n(no help)"
    );
    assert_eq!(
        usage_problem(choose(&model, &[], Some("ussr"))),
        "treaty::usage::unknown_party\nunknown party `ussr`\ndid you mean `USSR`?"
    );
    assert_eq!(
        usage_problem(choose(&model, &[], Some("UK"))),
        "treaty::usage::unknown_party\nunknown party `UK`\nthe parties are `USA`, `USSR`"
    );
    // Readings are resolved before the party, in the order given.
    assert_eq!(
        usage_problem(choose(&model, &["alcm_band=x", "zz=zz"], Some("UK"))),
        "treaty::usage::unknown_variant\nunknown variant `x` of reading `alcm_band`\n\
         the variants are `inclusive`, `exclusive`"
    );
}

#[test]
fn too_many_reading_combinations() {
    let mut model = band_model();
    let reading = model.readings[0].clone();
    for index in 0..8 {
        let mut more = reading.clone();
        more.name = format!("r{index}");
        model.readings.push(more);
    }
    let facts = band_facts(Fact::List(vec![0]), km_value(600.0));
    let error = evaluate_all_readings(&model, &facts, &Options::defaults(&model)).unwrap_err();
    assert_eq!(
        error.code().unwrap().to_string(),
        "treaty::eval::too_many_readings"
    );
    assert!(error.to_string().starts_with("512 combinations"));
    model.readings.pop();
    assert!(evaluate_all_readings(&model, &facts, &Options::defaults(&model)).is_ok());
}

// ── Assurances ─────────────────────────────────────────────────────────────────

fn backfire_model() -> Model {
    let mut model = model();
    let mut assurance = provision(
        "backfire_assurance",
        ProvisionKind::Assurance,
        Rule::Assurance {
            category: BACKFIRE,
            requirement: and(
                Predicate::Compare {
                    op: Comparison::AtMost,
                    left: Value::Attribute(via_type(T_RANGE)),
                    right: Value::Const(Scalar::Number(2200.0)),
                },
                not(Predicate::Attribute(via_type(T_INTERCONTINENTAL))),
            ),
            text: "type.range at most 2200 km and not type.intercontinental".to_string(),
        },
    );
    assurance.scope = Scope::By(USSR);
    model.provisions.push(assurance);
    model
}

fn backfire_facts(range: Fact, intercontinental: Fact, count: Interval) -> Facts {
    let mut facts = facts("1979-06-18", unknown_packages());
    facts.types = vec![weapon(
        "Backfire",
        &[(T_RANGE, range), (T_INTERCONTINENTAL, intercontinental)],
    )];
    facts.holdings = vec![holding(
        USSR,
        "Tu-22M",
        count,
        &[
            (H_CLASS, Fact::Enum(MEDIUM_BOMBER)),
            (H_TYPE, Fact::Reference(0)),
        ],
    )];
    facts
}

#[test]
fn assurances() {
    let model = backfire_model();

    let report = run(
        &model,
        &backfire_facts(km_value(2200.0), Fact::Bool(false), exact(200)),
    );
    // Scope `by USSR`: the USA gets no entry.
    assert!(report.parties[0].provisions.is_empty());
    assert_eq!(report.parties[0].verdict, Verdict::NotEvaluable);
    let ussr = find(&report, "USSR", "backfire_assurance");
    assert_eq!(ussr.verdict, Verdict::Complies);
    assert_eq!(ussr.contributors.len(), 1);
    assert!(ussr.contributors[0].because.ends_with("holds"));

    let report = run(
        &model,
        &backfire_facts(km_value(5000.0), Fact::Bool(false), exact(200)),
    );
    assert_eq!(
        find(&report, "USSR", "backfire_assurance").verdict,
        Verdict::Violated
    );

    let report = run(
        &model,
        &backfire_facts(Fact::Unknown, Fact::Unknown, exact(200)),
    );
    let ussr = find(&report, "USSR", "backfire_assurance");
    assert_eq!(ussr.verdict, Verdict::Undetermined);
    assert_eq!(
        ussr.unknowns,
        vec![
            "`Backfire` range is unknown".to_string(),
            "`Backfire` intercontinental is unknown".to_string()
        ]
    );

    // A known failure decides, whatever else is unknown (false and unknown is false).
    let report = run(
        &model,
        &backfire_facts(km_value(5000.0), Fact::Unknown, exact(200)),
    );
    assert_eq!(
        find(&report, "USSR", "backfire_assurance").verdict,
        Verdict::Violated
    );

    // Failing, but perhaps there are none.
    let report = run(
        &model,
        &backfire_facts(km_value(5000.0), Fact::Bool(false), Interval::UNKNOWN),
    );
    let ussr = find(&report, "USSR", "backfire_assurance");
    assert_eq!(ussr.verdict, Verdict::Undetermined);
    assert_eq!(
        ussr.unknowns,
        vec!["count of `Tu-22M` is unknown".to_string()]
    );

    // No member: complies.
    let mut facts = backfire_facts(km_value(5000.0), Fact::Bool(true), exact(200));
    facts.types[0].name = "Blinder".to_string();
    let report = run(&model, &facts);
    let ussr = find(&report, "USSR", "backfire_assurance");
    assert_eq!(ussr.verdict, Verdict::Complies);
    assert!(ussr.contributors.is_empty());

    // Type not stated: membership unknown (its name is unknown).
    let mut facts = backfire_facts(km_value(5000.0), Fact::Bool(true), exact(200));
    facts.holdings[0].attributes[H_TYPE] = Fact::NotStated;
    let report = run(&model, &facts);
    let ussr = find(&report, "USSR", "backfire_assurance");
    assert_eq!(ussr.verdict, Verdict::Undetermined);
    assert!(
        ussr.unknowns
            .contains(&"`Tu-22M` type is not stated".to_string())
    );
}

// ── Statements, parties, determinism, rendering ────────────────────────────────

fn full_model() -> Model {
    let mut model = backfire_model();
    model.provisions.insert(
        0,
        limit(
            "aggregate_ceiling",
            Quantity::Count(DELIVERY),
            &[(None, 2400)],
        ),
    );
    model.provisions.push(ban("band_ban", BAND));
    model.provisions.push(provision(
        "reductions",
        ProvisionKind::Statement,
        Rule::None,
    ));
    model
}

fn full_facts() -> Facts {
    let mut facts = band_facts(Fact::List(vec![0]), km_value(600.0));
    facts
        .types
        .push(weapon("Backfire", &[(T_RANGE, Fact::Unknown)]));
    facts.holdings.push(holding(
        USA,
        "Minuteman",
        range(1000, 1054),
        &[(H_CLASS, Fact::Enum(ICBM_LAUNCHER))],
    ));
    facts.holdings.push(holding(
        USSR,
        "SS-11",
        exact(2504),
        &[(H_CLASS, Fact::Enum(ICBM_LAUNCHER))],
    ));
    facts.holdings.push(holding(
        USSR,
        "Backfire bombers",
        exact(100),
        &[
            (H_CLASS, Fact::Enum(MEDIUM_BOMBER)),
            (H_TYPE, Fact::Reference(1)),
        ],
    ));
    facts
}

#[test]
fn party_verdict_is_the_worst_and_statements_are_not_evaluated() {
    let report = run(&full_model(), &full_facts());
    let ids: Vec<&str> = report.parties[1]
        .provisions
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "aggregate_ceiling",
            "backfire_assurance",
            "band_ban",
            "reductions"
        ]
    );
    let statement = find(&report, "USSR", "reductions");
    assert_eq!(statement.verdict, Verdict::NotEvaluable);
    assert_eq!(statement.kind, crate::lang::ProvisionKind::Statement);
    assert_eq!(statement.rule, None);
    assert_eq!(report.parties[0].party, "USA");
    assert_eq!(report.parties[0].verdict, Verdict::Violated);
    assert_eq!(report.parties[1].verdict, Verdict::Violated);

    let only = evaluate(
        &full_model(),
        &full_facts(),
        &Options {
            readings: Vec::new(),
            party: Some(USSR),
        },
    )
    .unwrap();
    assert_eq!(only.parties.len(), 1);
    assert_eq!(only.parties[0].party, "USSR");
}

#[test]
fn parties_follow_the_scenario_order() {
    let mut facts = full_facts();
    facts.parties = vec![USSR, USA];
    let report = run(&full_model(), &facts);
    let parties: Vec<&str> = report.parties.iter().map(|p| p.party.as_str()).collect();
    assert_eq!(parties, ["USSR", "USA"]);
}

#[test]
fn json_is_deterministic_and_round_trips() {
    let model = full_model();
    let facts = full_facts();
    let first = render_json(&evaluate_all_readings(&model, &facts, &Options::default()).unwrap());
    let second = render_json(&evaluate_all_readings(&model, &facts, &Options::default()).unwrap());
    assert_eq!(first, second);
    assert!(first.ends_with("}\n"));
    let report: Report = serde_json::from_str(&first).unwrap();
    assert_eq!(render_json(&report), first);
    assert_eq!(report.format, "treaty-report/1");

    let json: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(json["position"]["file"], "rules/test.treaty");
    assert_eq!(json["scenario"]["date"], "1985-06-01");
    assert_eq!(json["readings"]["alcm_band"], "inclusive");
    let aggregate = &json["parties"][0]["provisions"][0];
    assert_eq!(aggregate["id"], "aggregate_ceiling");
    assert_eq!(aggregate["kind"], "limit");
    assert_eq!(aggregate["verdict"], "complies");
    assert_eq!(aggregate["quantity"]["min"], 1150);
    assert_eq!(aggregate["quantity"]["max"], 1204);
    assert_eq!(aggregate["bound"]["op"], "<=");
    assert_eq!(aggregate["bound"]["value"], 2400);
    assert!(aggregate.get("excess").is_none());
    assert_eq!(aggregate["contributors"][0]["holding"], "B-52G");
    assert_eq!(aggregate["depends_on_reading"], false);
    assert_eq!(
        aggregate["by_reading"][1]["readings"]["alcm_band"],
        "exclusive"
    );
    let ussr_aggregate = &json["parties"][1]["provisions"][0];
    assert_eq!(ussr_aggregate["excess"], 104);
}

#[test]
fn text_rendering_is_an_aligned_table() {
    let report = run(&full_model(), &full_facts());
    let plain = render_text(
        &report,
        &TextOptions {
            explain: false,
            color: false,
            width: None,
        },
    );
    assert!(!plain.contains('\x1b'));
    let lines: Vec<&str> = plain.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.trim_start().starts_with("provision"))
        .unwrap();
    let verdict_column = lines[header].find("verdict").unwrap();
    assert_eq!(lines[header + 1].find("complies"), Some(verdict_column));
    assert_eq!(lines[header + 2].find("violated"), Some(verdict_column));
    assert!(plain.contains("USSR: violated"));
    assert!(plain.contains("<= 2400"));

    let explained = render_text(
        &report,
        &TextOptions {
            explain: true,
            color: true,
            width: None,
        },
    );
    assert!(explained.contains("\x1b[1;31mviolated\x1b[0m"));
    assert!(explained.contains("2504  SS-11: counted in `delivery_vehicles`"));
    assert!(explained.contains("`Backfire` range is unknown"));
}

#[test]
fn markdown_rendering() {
    let report = run(&full_model(), &full_facts());
    let markdown = render_markdown(&report);
    assert!(markdown.starts_with("# Test position\n"));
    assert!(markdown.contains("## USSR: violated"));
    assert!(markdown.contains("| `aggregate_ceiling` | limit | violated | 2504 | <= 2400 | 104 |"));
    assert!(markdown.contains("> “the words of band_ban”"));
    assert!(markdown.contains("- `Backfire` range is unknown"));
}

// ── Limits: no hang, no stack overflow ─────────────────────────────────────────

#[test]
fn chains_of_category_references_take_linear_time() {
    let mut model = model();
    let first = model.categories.len();
    let links = 60;
    for step in 0..links {
        let next = first + step + 1;
        let selection = if step + 1 == links {
            class_is(ICBM_LAUNCHER)
        } else {
            or(
                and(Predicate::InCategory(next), Predicate::Const(false)),
                or(Predicate::InCategory(next), Predicate::InCategory(next)),
            )
        };
        model.categories.push(category(
            &format!("link{step}"),
            vec![branch(selection, "…")],
        ));
    }
    model
        .provisions
        .push(limit("chain", Quantity::Count(first), &[(None, 10)]));
    let mut facts = facts("1980-01-01", unknown_packages());
    facts.holdings = vec![
        holding(
            USA,
            "Known",
            exact(5),
            &[(H_CLASS, Fact::Enum(ICBM_LAUNCHER))],
        ),
        holding(USA, "Unstated class", exact(5), &[]),
    ];
    // Without the memo (or with it bypassed) this takes 3^60 steps: the test gives up after
    // 5 s instead of waiting for it, so a broken memo fails fast rather than hanging.
    let report = within_seconds(5, move || run(&model, &facts));
    let usa = find(&report, "USA", "chain");
    assert_eq!(usa.verdict, Verdict::Complies);
    assert_eq!(usa.quantity, Some(Amount::from(range(5, 10))));
}

#[test]
fn a_category_that_contains_itself_is_an_error_not_a_hang() {
    let mut model = model();
    let me = model.categories.len();
    model.categories.push(category(
        "itself",
        vec![branch(Predicate::InCategory(me), "in category itself")],
    ));
    model.provisions.push(ban("self_ban", me));
    let mut facts = facts("1980-01-01", unknown_packages());
    facts.holdings = vec![holding(USA, "Anything", exact(1), &[])];
    let report = evaluate(&model, &facts, &Options::default()).unwrap();
    let usa = find(&report, "USA", "self_ban");
    assert_eq!(usa.verdict, Verdict::NotEvaluable);
    assert!(
        usa.remarks[0].starts_with("treaty::eval::too_deep: "),
        "{:?}",
        usa.remarks
    );
    assert!(usa.remarks[0].contains("`self_ban`"));
}

#[test]
fn a_contributor_counted_under_some_assumptions_says_which() {
    let model = model();
    let all = [0, 1, 2, 3];
    // Bit 0: `cruise_missiles` agreed; bit 1: `backfire_withdrawn` agreed.
    assert_eq!(
        packages::assumptions(&model, &[0, 1], &[1, 3], &all),
        "if package `cruise_missiles` is agreed"
    );
    assert_eq!(
        packages::assumptions(&model, &[0, 1], &[3], &all),
        "if package `cruise_missiles` is agreed and package `backfire_withdrawn` is agreed"
    );
    assert_eq!(
        packages::assumptions(&model, &[0, 1], &[1, 2], &all),
        "if package `cruise_missiles` is agreed and package `backfire_withdrawn` is not agreed; \
         or if package `cruise_missiles` is not agreed and package `backfire_withdrawn` is agreed"
    );
    // Worlds where the provision did not apply are not weighed: counted wherever it was
    // measured but one.
    assert_eq!(
        packages::assumptions(&model, &[0, 1], &[0, 1], &[0, 1, 3]),
        "if package `backfire_withdrawn` is not agreed"
    );
}

/// With three packages, the worlds a contributor counts in may agree on one package and still
/// be only some of the worlds that do: each is then named in full, not by the package they
/// share.
#[test]
fn a_contributor_counted_in_some_worlds_of_a_shared_state_names_each() {
    let mut model = model();
    let mut third = model.packages[0].clone();
    third.name = "third".to_string();
    model.packages.push(third);
    let all: Vec<usize> = (0..8).collect();
    // Worlds 3 (bits 0 and 1) and 5 (bits 0 and 2): `cruise_missiles` agreed in both, but
    // so it is in worlds 1 and 7, where the contributor does not count.
    assert_eq!(
        packages::assumptions(&model, &[0, 1, 2], &[3, 5], &all),
        "if package `cruise_missiles` is agreed and package `backfire_withdrawn` is agreed and \
         package `third` is not agreed; or if package `cruise_missiles` is agreed and package \
         `backfire_withdrawn` is not agreed and package `third` is agreed"
    );
}

mod compiled;
mod edges;
