#![expect(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "a test's helpers may panic (that is a failing test) and do arithmetic on small generated numbers"
)]
//! Property tests (proptest, 1000 cases each): interval arithmetic laws, and invariants of
//! evaluating the Brezhnev letter (`rules/ussr-1977-03-15.treaty`) against generated scenarios:
//! holding order does not matter, splitting a holding changes nothing, narrowing a count never
//! flips a decided verdict, and the JSON report round-trips.

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;
use treaty::lang::Verdict;

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use treaty::eval::{Options, evaluate};
use treaty::interval::{Amount, Interval};
use treaty::model::Model;
use treaty::report::{Report, render_json};
use treaty::span::SourceFile;

// ------------------------------------------------------------------------------ the position

fn letter() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        match treaty::check::check_file(
            Path::new("rules/ussr-1977-03-15.treaty"),
            Path::new(env!("CARGO_MANIFEST_DIR")),
        ) {
            Ok(checked) => checked.model,
            Err(errors) => panic!("the letter does not check: {errors:?}"),
        }
    })
}

// ------------------------------------------------------------------------------ intervals

fn interval() -> impl Strategy<Value = Interval> {
    prop_oneof![
        4 => (0u64..1_000_000, 0u64..1_000_000).prop_map(|(a, b)| Interval::new(a.min(b), a.max(b)).unwrap()),
        1 => (0u64..1_000_000).prop_map(|min| Interval { min, max: None }),
        1 => (0u64..1000).prop_map(Interval::exact),
        1 => (any::<u64>(), any::<u64>()).prop_map(|(a, b)| Interval::new(a.min(b), a.max(b)).unwrap()),
        1 => Just(Interval::ZERO),
    ]
}

/// An interval and a value inside it (picked by `t`, a fraction of the width).
fn member(i: Interval, t: u64) -> u64 {
    let width = i
        .max
        .unwrap_or(i.min.saturating_add(1_000_000))
        .saturating_sub(i.min);
    let offset = if width == u64::MAX {
        t
    } else {
        t % (width + 1)
    };
    i.min.saturating_add(offset)
}

/// Whether `value` lies between the bounds `min` and `max` (`None`: no upper bound), checked
/// with plain comparisons: `Interval::contains` is itself under test.
fn between(value: u128, min: u128, max: Option<u128>) -> bool {
    value >= min && max.is_none_or(|max| value <= max)
}

/// The exact result of combining two intervals' bounds with `op` in 128 bits, where nothing
/// overflows: the smallest interval holding every outcome (when `op` grows with both
/// arguments, as `+` and `*` on whole numbers do), and whether it fits in 64 bits.
fn by_bounds(a: Interval, b: Interval, op: fn(u128, u128) -> u128) -> (u128, Option<u128>) {
    let min = op(u128::from(a.min), u128::from(b.min));
    let max = match (a.max, b.max) {
        (Some(p), Some(q)) => Some(op(u128::from(p), u128::from(q))),
        _ => None,
    };
    (min, max)
}

fn fits(bound: u128) -> bool {
    u64::try_from(bound).is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// The sum is exactly the interval from the least sum to the greatest (tight), overflow
    /// is reported exactly when one of those does not fit, and any two members' sum is in it.
    #[test]
    fn sum_is_the_tightest_interval_of_the_sums(a in interval(), b in interval(), s in any::<u64>(), t in any::<u64>()) {
        let (min, max) = by_bounds(a, b, |p, q| p + q);
        let fits_all = fits(min) && max.is_none_or(fits);
        match a.checked_add(b) {
            Some(sum) => {
                prop_assert!(fits_all);
                prop_assert_eq!(u128::from(sum.min), min);
                prop_assert_eq!(sum.max.map(u128::from), max);
                let (x, y) = (member(a, s), member(b, t));
                prop_assert!(between(u128::from(x) + u128::from(y), min, max));
            }
            None => prop_assert!(!fits_all, "{a:?} + {b:?} reported as an overflow"),
        }
    }

    /// The product likewise; an unbounded factor gives an unbounded product unless the other
    /// is exactly zero (then every product is 0).
    #[test]
    fn product_is_the_tightest_interval_of_the_products(a in interval(), b in interval(), s in any::<u64>(), t in any::<u64>()) {
        let (min, mut max) = by_bounds(a, b, |p, q| p * q);
        if a.max == Some(0) || b.max == Some(0) {
            max = Some(0);
        }
        let fits_all = fits(min) && max.is_none_or(fits);
        match a.checked_mul(b) {
            Some(product) => {
                prop_assert!(fits_all);
                prop_assert_eq!(u128::from(product.min), min);
                prop_assert_eq!(product.max.map(u128::from), max);
                let (x, y) = (member(a, s), member(b, t));
                prop_assert!(between(u128::from(x) * u128::from(y), min, max));
            }
            None => prop_assert!(!fits_all, "{a:?} * {b:?} reported as an overflow"),
        }
    }

    /// The hull holds both intervals and nothing more: its ends are the outer ends.
    #[test]
    fn hull_is_the_smallest_interval_holding_both(a in interval(), b in interval()) {
        let hull = a.hull(b);
        prop_assert_eq!(hull.min, a.min.min(b.min));
        prop_assert_eq!(hull.max, a.max.zip(b.max).map(|(p, q)| p.max(q)));
        prop_assert_eq!(hull, b.hull(a));
    }

    /// `contains` agrees with plain comparisons, just inside and just outside both ends.
    #[test]
    fn contains_agrees_with_the_bounds(i in interval(), t in any::<u64>()) {
        let max = i.max.map(u128::from);
        let mut probes = vec![i.min, i.min.saturating_sub(1), i.min.saturating_add(1), member(i, t)];
        if let Some(m) = i.max {
            probes.extend([m, m.saturating_sub(1), m.saturating_add(1)]);
        }
        for v in probes {
            prop_assert_eq!(i.contains(v), between(u128::from(v), u128::from(i.min), max), "{} in {:?}", v, i);
        }
    }
}

// ------------------------------------------------------------------------------ scenarios

/// Weapon types covering every category of the letter: MIRV-tested or not or unknown, cruise
/// missiles of each basing inside, on the edge of and beyond the 600–2500 km band, the Backfire.
const TYPES: &str = r#"
[types."ICBM mirv"]
class = "icbm"
mirv_tested = true
[types."ICBM single"]
class = "icbm"
mirv_tested = false
[types."ICBM disputed"]
class = "icbm"
mirv_tested = "unknown"
[types."SLBM mirv"]
class = "slbm"
mirv_tested = true
[types."SLBM single"]
class = "slbm"
mirv_tested = false
[types."ALCM 2400"]
class = "cruise_missile"
basing = "air"
range = "2400 km"
[types."ALCM 600"]
class = "cruise_missile"
basing = "air"
range = "600 km"
[types."ALCM 3000"]
class = "cruise_missile"
basing = "air"
range = "3000 km"
[types."ALCM unknown"]
class = "cruise_missile"
basing = "air"
range = "2000..3000 km"
[types."SLCM 2400"]
class = "cruise_missile"
basing = "sea"
range = "2400 km"
[types."GLCM 500"]
class = "cruise_missile"
basing = "land"
range = "500 km"
[types."Bomber"]
class = "aircraft"
intercontinental = true
[types."Backfire"]
class = "aircraft"
range = "unknown"
intercontinental = "unknown"
[types."Backfire small"]
class = "aircraft"
range = "2200 km"
intercontinental = false
"#;

const TYPE_NAMES: [&str; 14] = [
    "ICBM mirv",
    "ICBM single",
    "ICBM disputed",
    "SLBM mirv",
    "SLBM single",
    "ALCM 2400",
    "ALCM 600",
    "ALCM 3000",
    "ALCM unknown",
    "SLCM 2400",
    "GLCM 500",
    "Bomber",
    "Backfire",
    "Backfire small",
];
/// The holding classes generated holdings pick from: those of the strategic vocabulary.
fn holding_classes() -> &'static [String] {
    common::enum_values(&common::strategic_vocabulary().holding_attributes, "class")
}
const CRUISE: [&str; 6] = [
    "ALCM 2400",
    "ALCM 600",
    "ALCM 3000",
    "ALCM unknown",
    "SLCM 2400",
    "GLCM 500",
];
const DATES: [&str; 4] = ["1977-03-15", "1979-06-18", "1985-12-31", "1986-01-01"];
const PACKAGE_STATES: [Option<&str>; 5] = [
    None,
    Some("agreed"),
    Some("open"),
    Some("rejected"),
    Some("unknown"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Count {
    Exact(u64),
    Between(u64, u64),
    Unknown,
}

impl Count {
    fn text(self) -> String {
        match self {
            Count::Exact(n) => n.to_string(),
            Count::Between(a, b) => format!("\"{a}..{b}\""),
            Count::Unknown => "\"unknown\"".to_string(),
        }
    }
}

#[derive(Debug, Clone)]
struct Holding {
    name: String,
    ussr: bool,
    class: usize,
    kind: Option<usize>,
    count: Count,
    mirv_equipped: Option<Option<bool>>,
    mobile: Option<Option<bool>>,
    armament: Option<Vec<usize>>,
}

#[derive(Debug, Clone)]
struct Scenario {
    date: usize,
    cruise_missiles: usize,
    backfire_withdrawn: usize,
    holdings: Vec<Holding>,
}

fn count() -> impl Strategy<Value = Count> {
    prop_oneof![
        5 => (0u64..1500).prop_map(Count::Exact),
        3 => (0u64..1500, 0u64..1500).prop_map(|(a, b)| Count::Between(a.min(b), a.max(b))),
        1 => Just(Count::Unknown),
    ]
}

fn truth() -> impl Strategy<Value = Option<Option<bool>>> {
    // None: unstated; Some(None): "unknown".
    prop_oneof![
        Just(None),
        Just(Some(None)),
        Just(Some(Some(true))),
        Just(Some(Some(false)))
    ]
}

fn holding() -> impl Strategy<Value = Holding> {
    (
        any::<bool>(),
        0..holding_classes().len(),
        proptest::option::of(0..TYPE_NAMES.len()),
        count(),
        truth(),
        truth(),
        proptest::option::of(proptest::collection::btree_set(0..CRUISE.len(), 0..3)),
    )
        .prop_map(
            |(ussr, class, kind, count, mirv_equipped, mobile, armament)| Holding {
                name: String::new(),
                ussr,
                class,
                kind,
                count,
                mirv_equipped,
                mobile,
                armament: armament.map(|set| set.into_iter().collect()),
            },
        )
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        0..DATES.len(),
        0..PACKAGE_STATES.len(),
        0..PACKAGE_STATES.len(),
        proptest::collection::vec(holding(), 0..10),
    )
        .prop_map(
            |(date, cruise_missiles, backfire_withdrawn, mut holdings)| {
                for (index, h) in holdings.iter_mut().enumerate() {
                    h.name = format!("H{index}");
                }
                Scenario {
                    date,
                    cruise_missiles,
                    backfire_withdrawn,
                    holdings,
                }
            },
        )
}

fn write_truth(out: &mut String, key: &str, value: Option<Option<bool>>) {
    match value {
        None => {}
        Some(None) => writeln!(out, "{key} = \"unknown\"").unwrap(),
        Some(Some(b)) => writeln!(out, "{key} = {b}").unwrap(),
    }
}

impl Scenario {
    fn toml(&self) -> String {
        let mut out = String::new();
        writeln!(
            out,
            "[scenario]\ntitle = \"generated\"\ndate = {}\nparties = [\"USA\", \"USSR\"]\n\n[packages]",
            DATES[self.date]
        )
        .unwrap();
        if let Some(state) = PACKAGE_STATES[self.cruise_missiles] {
            writeln!(out, "cruise_missiles = \"{state}\"").unwrap();
        }
        if let Some(state) = PACKAGE_STATES[self.backfire_withdrawn] {
            writeln!(out, "backfire_withdrawn = \"{state}\"").unwrap();
        }
        out.push_str(TYPES);
        for h in &self.holdings {
            writeln!(
                out,
                "\n[[holdings]]\nparty = \"{}\"\nname = \"{}\"\nclass = \"{}\"\ncount = {}",
                if h.ussr { "USSR" } else { "USA" },
                h.name,
                holding_classes()[h.class],
                h.count.text()
            )
            .unwrap();
            if let Some(kind) = h.kind {
                writeln!(out, "type = \"{}\"", TYPE_NAMES[kind]).unwrap();
            }
            write_truth(&mut out, "mirv_equipped", h.mirv_equipped);
            write_truth(&mut out, "mobile", h.mobile);
            if let Some(armament) = &h.armament {
                let names: Vec<String> = armament
                    .iter()
                    .map(|&a| format!("\"{}\"", CRUISE[a]))
                    .collect();
                writeln!(out, "armament = [{}]", names.join(", ")).unwrap();
            }
        }
        out
    }
}

fn run(text: &str) -> Report {
    let model = letter();
    let facts = match treaty::scenario::load(&SourceFile::new("generated.toml", text), model) {
        Ok(facts) => facts,
        Err(errors) => panic!("generated scenario rejected: {errors:?}\n{text}"),
    };
    let report = match evaluate(model, &facts, &Options::defaults(model)) {
        Ok(report) => report,
        Err(error) => panic!("evaluation failed: {error:?}\n{text}"),
    };
    // The verdicts alone (what `treaty sweep` asks for) are the report's.
    let alone = treaty::eval::verdicts(model, &facts, &Options::defaults(model)).unwrap();
    let reported = report.verdicts();
    assert_eq!(alone, reported, "verdicts alone\n{text}");
    report
}

/// (party, provision, verdict, quantity) for every provision of every party.
fn verdicts(report: &Report) -> Vec<(String, String, Verdict, Option<Amount>)> {
    report
        .parties
        .iter()
        .flat_map(|party| {
            party
                .provisions
                .iter()
                .map(|p| (party.party.clone(), p.id.clone(), p.verdict, p.quantity))
        })
        .collect()
}

/// The report with every provision's contributors and unknowns sorted. Both are listed in the
/// scenario's order of holdings (the report reads like the scenario), so their order is the one
/// part of the report allowed to follow the holdings' order; their content is not.
fn contributors_sorted(mut report: Report) -> Report {
    for party in &mut report.parties {
        for provision in &mut party.provisions {
            provision
                .contributors
                .sort_by(|a, b| (&a.holding, &a.because).cmp(&(&b.holding, &b.because)));
            provision.unknowns.sort();
        }
    }
    report
}

fn is_decided(verdict: Verdict) -> bool {
    matches!(verdict, Verdict::Complies | Verdict::Violated)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn evaluation_is_independent_of_holding_order(
        scenario in scenario(),
        order in any::<u64>(),
    ) {
        let before = render_json(&contributors_sorted(run(&scenario.toml())));
        let mut shuffled = scenario.clone();
        // A deterministic Fisher–Yates shuffle from the generated seed.
        let mut seed = order | 1;
        for i in (1..shuffled.holdings.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let j = (seed % (i as u64 + 1)) as usize;
            shuffled.holdings.swap(i, j);
        }
        let after = render_json(&contributors_sorted(run(&shuffled.toml())));
        prop_assert_eq!(before, after);
    }

    #[test]
    fn splitting_a_holding_changes_no_verdict_or_quantity(
        scenario in scenario().prop_filter("needs a holding", |s| !s.holdings.is_empty()),
        which in any::<prop::sample::Index>(),
        share in any::<u64>(),
    ) {
        let before = run(&scenario.toml());
        let mut split = scenario.clone();
        let index = which.index(split.holdings.len());
        let original = split.holdings[index].clone();
        let (first, second) = match original.count {
            Count::Exact(n) => {
                let k = share % (n + 1);
                (Count::Exact(k), Count::Exact(n - k))
            }
            Count::Between(a, b) => {
                let k = share % (a + 1);
                (Count::Exact(k), Count::Between(a - k, b - k))
            }
            // unknown = 0..unknown = 0..unknown + 0..unknown
            Count::Unknown => (Count::Unknown, Count::Unknown),
        };
        let mut a = original.clone();
        a.name = format!("{} (part 1)", original.name);
        a.count = first;
        let mut b = original;
        b.name = format!("{} (part 2)", b.name);
        b.count = second;
        split.holdings[index] = a;
        split.holdings.insert(index + 1, b);
        let after = run(&split.toml());
        prop_assert_eq!(verdicts(&before), verdicts(&after));
        let worst = |r: &Report| r.parties.iter().map(|p| p.verdict).collect::<Vec<_>>();
        prop_assert_eq!(worst(&before), worst(&after));
    }

    #[test]
    fn narrowing_a_count_never_flips_a_decided_verdict(
        scenario in scenario().prop_filter("needs a holding", |s| !s.holdings.is_empty()),
        which in any::<prop::sample::Index>(),
        s in any::<u64>(),
        t in any::<u64>(),
    ) {
        let mut scenario = scenario;
        let index = which.index(scenario.holdings.len());
        // Make the chosen holding's count uncertain, then narrow it.
        let wide = match scenario.holdings[index].count {
            Count::Exact(n) => Count::Between(n / 2, n.saturating_mul(2)),
            other => other,
        };
        let narrow = match wide {
            Count::Between(a, b) => {
                let x = a + s % (b - a + 1);
                let y = a + t % (b - a + 1);
                Count::Between(x.min(y), x.max(y))
            }
            Count::Unknown => {
                let x = s % 3000;
                let y = t % 3000;
                Count::Between(x.min(y), x.max(y))
            }
            Count::Exact(n) => Count::Exact(n),
        };
        scenario.holdings[index].count = wide;
        let before = run(&scenario.toml());
        scenario.holdings[index].count = narrow;
        let after = run(&scenario.toml());
        for (old, new) in verdicts(&before).into_iter().zip(verdicts(&after)) {
            prop_assert_eq!(&old.0, &new.0);
            prop_assert_eq!(&old.1, &new.1);
            if is_decided(old.2) {
                prop_assert_eq!(old.2, new.2, "{} for {} flipped: {:?} -> {:?}", old.1, old.0, old, new);
            }
            if let (Some(wide), Some(narrow)) = (old.3, new.3) {
                let min_narrows = wide.min.is_none_or(|w| narrow.min.is_some_and(|n| n >= w));
                let max_narrows = wide.max.is_none_or(|w| narrow.max.is_some_and(|n| n <= w));
                prop_assert!(min_narrows && max_narrows,
                    "{} quantity widened: {:?} -> {:?}", old.1, wide, narrow);
            }
        }
    }

    /// Amounts (limit quantities) follow exact signed arithmetic: the sum, difference and
    /// product are the smallest amounts holding every outcome, and the exact results for
    /// members of the two amounts lie within them.
    #[test]
    fn amount_arithmetic_is_tight_and_holds_the_exact_result(
        (a1, a2, x) in (-1_000_000i128..1_000_000, -1_000_000i128..1_000_000, 0.0f64..=1.0),
        (b1, b2, y) in (-1_000_000i128..1_000_000, -1_000_000i128..1_000_000, 0.0f64..=1.0),
    ) {
        let a = Amount { min: Some(a1.min(a2)), max: Some(a1.max(a2)) };
        let b = Amount { min: Some(b1.min(b2)), max: Some(b1.max(b2)) };
        let pick = |lo: i128, hi: i128, t: f64| lo + ((hi - lo) as f64 * t) as i128;
        let u = pick(a1.min(a2), a1.max(a2), x);
        let v = pick(b1.min(b2), b1.max(b2), y);
        // The smallest amounts holding every outcome, from the corners: for `+` and `-` the
        // ends combine, for `*` the least and greatest of the four corner products.
        let (a_lo, a_hi, b_lo, b_hi) = (a1.min(a2), a1.max(a2), b1.min(b2), b1.max(b2));
        let corners = [a_lo * b_lo, a_lo * b_hi, a_hi * b_lo, a_hi * b_hi];
        let tight = |lo: i128, hi: i128| Amount { min: Some(lo), max: Some(hi) };
        let sum = a.checked_add(b).unwrap();
        let difference = a.checked_sub(b).unwrap();
        let product = a.checked_mul(b).unwrap();
        prop_assert_eq!(sum, tight(a_lo + b_lo, a_hi + b_hi));
        prop_assert_eq!(difference, tight(a_lo - b_hi, a_hi - b_lo));
        prop_assert_eq!(
            product,
            tight(*corners.iter().min().unwrap(), *corners.iter().max().unwrap())
        );
        // And the members' exact results lie within, by plain comparison.
        let within = |r: Amount, v: i128| r.min.unwrap() <= v && v <= r.max.unwrap();
        prop_assert!(within(sum, u + v) && within(difference, u - v) && within(product, u * v));
    }

    #[test]
    fn json_report_round_trips(scenario in scenario(), all in any::<bool>()) {
        let model = letter();
        let text = scenario.toml();
        let facts = treaty::scenario::load(&SourceFile::new("generated.toml", text.as_str()), model).unwrap();
        let options = Options::defaults(model);
        let report = if all {
            treaty::eval::evaluate_all_readings(model, &facts, &options).unwrap()
        } else {
            evaluate(model, &facts, &options).unwrap()
        };
        let json = render_json(&report);
        let back: Report = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(render_json(&back), json);
        prop_assert_eq!(back, report);
    }
}
