//! Interval and amount arithmetic against brute force: every value of small intervals
//! enumerated, every outcome computed with plain integers, and the result required to be the
//! smallest interval holding them all (tight, not merely containing). Membership is decided by
//! the enumerated values, never by `contains`, which is itself under test.

use proptest::prelude::*;

use super::{Amount, Interval};

/// The smallest count interval holding every value of `values` (none: `None`).
fn hull_of(values: impl IntoIterator<Item = u64>) -> Option<Interval> {
    let values: Vec<u64> = values.into_iter().collect();
    Some(Interval {
        min: *values.iter().min()?,
        max: Some(*values.iter().max()?),
    })
}

/// Every value of a bounded interval.
fn values(i: Interval) -> Vec<u64> {
    (i.min..=i.max.unwrap()).collect()
}

/// A bounded interval of small numbers.
fn small() -> impl Strategy<Value = Interval> {
    (0u64..12, 0u64..6).prop_map(|(min, width)| Interval::new(min, min + width).unwrap())
}

/// A small interval, sometimes without an upper bound.
fn small_or_open() -> impl Strategy<Value = Interval> {
    prop_oneof![
        3 => small(),
        1 => (0u64..12).prop_map(|min| Interval { min, max: None }),
    ]
}

/// Values of `i` up to `limit` (all of them when it is bounded).
fn values_up_to(i: Interval, limit: u64) -> Vec<u64> {
    (i.min..=i.max.unwrap_or(limit).max(i.min)).collect()
}

/// The smallest interval holding `op` of every pair, found by brute force; an open end when
/// outcomes keep growing as the open interval's values do.
fn brute(a: Interval, b: Interval, op: fn(u64, u64) -> u64) -> Interval {
    let outcomes = |limit: u64| {
        let mut all = Vec::new();
        for &x in &values_up_to(a, limit) {
            for &y in &values_up_to(b, limit) {
                all.push(op(x, y));
            }
        }
        hull_of(all).unwrap()
    };
    let (near, far) = (outcomes(40), outcomes(80));
    Interval {
        min: near.min,
        max: if near.max == far.max { near.max } else { None },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn addition_gives_the_smallest_interval_of_all_sums(a in small_or_open(), b in small_or_open()) {
        prop_assert_eq!(a.checked_add(b), Some(brute(a, b, |x, y| x + y)));
    }

    #[test]
    fn multiplication_gives_the_smallest_interval_of_all_products(a in small_or_open(), b in small_or_open()) {
        prop_assert_eq!(a.checked_mul(b), Some(brute(a, b, |x, y| x * y)));
    }

    #[test]
    fn the_hull_is_the_smallest_interval_holding_both(a in small_or_open(), b in small_or_open()) {
        let both: Vec<u64> = values_up_to(a, 40).into_iter().chain(values_up_to(b, 40)).collect();
        let mut expected = hull_of(both).unwrap();
        if a.max.is_none() || b.max.is_none() {
            expected.max = None;
        }
        prop_assert_eq!(a.hull(b), expected);
    }

    #[test]
    fn contains_holds_exactly_the_values(i in small_or_open(), v in 0u64..30) {
        prop_assert_eq!(i.contains(v), values_up_to(i, 30).contains(&v));
    }

    #[test]
    fn exact_means_one_value(i in small_or_open()) {
        prop_assert_eq!(i.is_exact(), i.max.is_some() && values(i).len() == 1);
    }
}

#[test]
fn overflow_is_none_exactly_when_a_bound_overflows() {
    let max = u64::MAX;
    let top = Interval::exact(max);
    assert_eq!(top.checked_add(Interval::ZERO), Some(top));
    assert_eq!(top.checked_add(Interval::exact(1)), None);
    // Only the upper bound overflows: still an overflow.
    assert_eq!(
        Interval::new(0, max)
            .unwrap()
            .checked_add(Interval::exact(1)),
        None
    );
    // An open upper bound cannot overflow.
    assert_eq!(
        Interval { min: 1, max: None }.checked_add(Interval::exact(max - 1)),
        Some(Interval {
            min: max,
            max: None
        })
    );
    assert_eq!(top.checked_mul(Interval::exact(1)), Some(top));
    assert_eq!(top.checked_mul(Interval::exact(2)), None);
    assert_eq!(
        Interval::new(0, max)
            .unwrap()
            .checked_mul(Interval::new(0, 2).unwrap()),
        None
    );
    assert_eq!(
        Interval::UNKNOWN.checked_mul(Interval::ZERO),
        Some(Interval::ZERO),
        "nothing known times exactly zero is exactly zero"
    );
    assert_eq!(
        Interval::ZERO.checked_mul(Interval::UNKNOWN),
        Some(Interval::ZERO)
    );
    assert_eq!(
        Interval::exact(7),
        Interval {
            min: 7,
            max: Some(7)
        }
    );
}

#[test]
fn counts_display_as_written_in_scenarios() {
    assert_eq!(Interval::exact(550).to_string(), "550");
    assert_eq!(Interval::new(316, 574).unwrap().to_string(), "316..574");
    assert_eq!(Interval::new(0, 1).unwrap().to_string(), "0..1");
    assert_eq!(Interval::ZERO.to_string(), "0");
    assert_eq!(Interval::UNKNOWN.to_string(), "unknown");
    assert_eq!(
        Interval {
            min: 140,
            max: None
        }
        .to_string(),
        "140..unknown"
    );
}

// ------------------------------------------------------------------------------ amounts

/// An amount: each end a small signed number, or open.
fn amount() -> impl Strategy<Value = Amount> {
    (
        proptest::option::weighted(0.8, -6i128..6),
        0i128..6,
        proptest::bool::weighted(0.2),
    )
        .prop_map(|(min, width, open_above)| Amount {
            min,
            max: if open_above {
                None
            } else {
                Some(min.unwrap_or(0) + width)
            },
        })
}

/// Values of `a`, an open end cut at ±`limit`.
fn amount_values(a: Amount, limit: i128) -> Vec<i128> {
    let min = a.min.unwrap_or(-limit);
    let max = a.max.unwrap_or(limit).max(min);
    (min..=max).collect()
}

/// The smallest amount holding `op` of every pair: an end is open when it keeps moving as the
/// open ends are cut further out.
fn brute_amount(a: Amount, b: Amount, op: fn(i128, i128) -> i128) -> Amount {
    let ends = |limit: i128| {
        let mut all = Vec::new();
        for &x in &amount_values(a, limit) {
            for &y in &amount_values(b, limit) {
                all.push(op(x, y));
            }
        }
        (*all.iter().min().unwrap(), *all.iter().max().unwrap())
    };
    let (near, far) = (ends(40), ends(80));
    Amount {
        min: (near.0 == far.0).then_some(near.0),
        max: (near.1 == far.1).then_some(near.1),
    }
}

/// Whether `outer` holds every value `inner` can take (open ends included).
fn holds(outer: Amount, inner: Amount) -> bool {
    let below = match (outer.min, inner.min) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(o), Some(i)) => o <= i,
    };
    let above = match (outer.max, inner.max) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(o), Some(i)) => o >= i,
    };
    below && above
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn amount_addition_and_subtraction_are_tight(a in amount(), b in amount()) {
        prop_assert_eq!(a.checked_add(b), Some(brute_amount(a, b, |x, y| x + y)));
        prop_assert_eq!(a.checked_sub(b), Some(brute_amount(a, b, |x, y| x - y)));
    }

    /// Products hold every outcome; they are the smallest such amount when both factors are
    /// bounded, when both are non-negative, or when one is exactly zero. (With an open end and
    /// a negative factor, the product gives up the upper end: sound, not tight.)
    #[test]
    fn amount_multiplication_holds_every_product(a in amount(), b in amount()) {
        let product = a.checked_mul(b).unwrap();
        let exact = brute_amount(a, b, |x, y| x * y);
        prop_assert!(holds(product, exact), "{a:?} * {b:?} = {product:?}, outcomes {exact:?}");
        let bounded = [a.min, a.max, b.min, b.max].iter().all(Option::is_some);
        let non_negative = a.min.is_some_and(|m| m >= 0) && b.min.is_some_and(|m| m >= 0);
        let zero = a == Amount::exact(0) || b == Amount::exact(0);
        if bounded || non_negative || zero {
            prop_assert_eq!(product, exact);
        }
    }

    #[test]
    fn the_amount_hull_is_the_smallest_holding_both(a in amount(), b in amount()) {
        let hull = a.hull(b);
        prop_assert!(holds(hull, a) && holds(hull, b));
        prop_assert_eq!(hull.min, a.min.zip(b.min).map(|(x, y)| x.min(y)));
        prop_assert_eq!(hull.max, a.max.zip(b.max).map(|(x, y)| x.max(y)));
    }

    #[test]
    fn amount_contains_exactly_its_values(a in amount(), v in -50i128..50) {
        prop_assert_eq!(a.contains(v), amount_values(a, 100).contains(&v));
    }

    #[test]
    fn an_exact_amount_has_one_value(a in amount()) {
        prop_assert_eq!(a.is_exact(), a.min.is_some() && a.max.is_some() && amount_values(a, 100).len() == 1);
    }

    #[test]
    fn a_count_becomes_the_same_amount(i in small_or_open()) {
        let amount = Amount::from(i);
        prop_assert_eq!(amount.min, Some(i128::from(i.min)));
        prop_assert_eq!(amount.max, i.max.map(i128::from));
    }
}

#[test]
fn amount_overflow_is_none() {
    let top = Amount::exact(i128::MAX);
    assert_eq!(top.checked_add(Amount::exact(1)), None);
    assert_eq!(Amount::exact(i128::MIN).checked_sub(Amount::exact(1)), None);
    assert_eq!(top.checked_mul(Amount::exact(2)), None);
    assert_eq!(
        Amount {
            min: Some(i128::MAX),
            max: None
        }
        .checked_mul(Amount {
            min: Some(2),
            max: None
        }),
        None
    );
    assert_eq!(
        Amount::exact(-4),
        Amount {
            min: Some(-4),
            max: Some(-4)
        }
    );
}

#[test]
fn amounts_display_their_known_ends() {
    let show = |min, max| Amount { min, max }.to_string();
    assert_eq!(show(Some(5), Some(5)), "5");
    assert_eq!(show(Some(-3), Some(5)), "-3..5");
    assert_eq!(show(Some(0), None), "unknown");
    assert_eq!(show(None, None), "unknown");
    assert_eq!(show(Some(4), None), "4..unknown");
    assert_eq!(show(None, Some(9)), "unknown..9");
}

/// Exactly zero times anything, an open end included, is exactly zero: every product is 0.
#[test]
fn zero_times_an_open_amount_is_zero() {
    let zero = Amount::exact(0);
    for open in [
        Amount {
            min: Some(-3),
            max: None,
        },
        Amount {
            min: None,
            max: Some(4),
        },
        Amount {
            min: None,
            max: None,
        },
        Amount {
            min: Some(2),
            max: None,
        },
    ] {
        assert_eq!(zero.checked_mul(open), Some(zero), "0 × {open:?}");
        assert_eq!(open.checked_mul(zero), Some(zero), "{open:?} × 0");
    }
}
