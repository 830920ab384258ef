//! The letter of 15 March 1977 (`rules/ussr-1977-03-15.treaty`) evaluated by hand-written Rust:
//! the yardstick of the interpreter's overhead.
//!
//! It takes the same loaded [`Facts`] as the interpreter and does the same work: every
//! provision for every party, the three-valued (Kleene) conditions of `docs/language.md` §12,
//! counts as intervals with checked arithmetic, each unstated package decided by evaluating
//! the provision with it agreed and not agreed and joining the verdicts, and the holdings
//! that counted (per term, merged over those worlds) as the report lists them. It is written
//! as a programmer who knows the letter would write it: the categories are functions, the
//! vocabulary's slots and values are looked up once, nothing is interpreted. What it does
//! not do is write explanations: the reasons (`because`) and the unknowns of the report are
//! text the interpreter builds and the baseline does not, which is part of what the
//! benchmarks measure.
//!
//! `tests/baseline.rs` checks it against the interpreter on every scenario of `scenarios/`
//! and on generated ones; `benches/ratio.rs` checks it again before timing.

use treaty::interval::{Amount, Interval};
use treaty::lang::{PackageStatus, Verdict};
use treaty::model::{AttributeDef, AttributeType, Date, Model, PackageState};
use treaty::report::Report;
use treaty::scenario::{Fact, Facts, Holding, WeaponType};

/// The variants of the letter's reading `alcm_band`: is 600 km inside "600 km. to 2500 km."?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    /// The default: `range in [600 km, 2500 km]`.
    Inclusive,
    /// `range in (600 km, 2500 km]`.
    Exclusive,
}

/// One party's verdicts, provisions in the order of the rule file.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyVerdicts {
    /// Index into `Model::parties`.
    pub party: usize,
    pub verdict: Verdict,
    pub provisions: Vec<ProvisionVerdict>,
}

/// The verdict on one provision, its quantity and the holdings that counted.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisionVerdict {
    pub id: &'static str,
    pub verdict: Verdict,
    pub quantity: Option<Amount>,
    pub excess: Option<u64>,
    pub contributors: Vec<Counted>,
}

/// A holding that counted toward term `term` of a quantity (or that an assurance covers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub term: usize,
    /// Index into `Facts::holdings`.
    pub holding: usize,
    pub count: Interval,
}

/// A count overflowed `u64`, as the interpreter reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overflow {
    pub provision: &'static str,
}

/// A Kleene truth value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    False,
    True,
    Unknown,
}

impl Tri {
    fn of(value: bool) -> Tri {
        if value { Tri::True } else { Tri::False }
    }

    /// `self and right`, `right` evaluated only when it can change the result.
    fn and(self, right: impl FnOnce() -> Tri) -> Tri {
        match self {
            Tri::False => Tri::False,
            Tri::True => right(),
            Tri::Unknown => match right() {
                Tri::False => Tri::False,
                _ => Tri::Unknown,
            },
        }
    }

    /// `self or right`, `right` evaluated only when it can change the result.
    fn or(self, right: impl FnOnce() -> Tri) -> Tri {
        match self {
            Tri::True => Tri::True,
            Tri::False => right(),
            Tri::Unknown => match right() {
                Tri::True => Tri::True,
                _ => Tri::Unknown,
            },
        }
    }

    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

/// `[min, max] > x`: true if every value is above `x`, false if none is.
fn greater(range: Option<(f64, f64)>, x: f64) -> Tri {
    match range {
        Some((min, _)) if min > x => Tri::True,
        Some((_, max)) if max <= x => Tri::False,
        _ => Tri::Unknown,
    }
}

/// `[min, max] at most x`.
fn at_most(range: Option<(f64, f64)>, x: f64) -> Tri {
    match range {
        Some((_, max)) if max <= x => Tri::True,
        Some((min, _)) if min > x => Tri::False,
        _ => Tri::Unknown,
    }
}

/// `[min, max] in [low, high]` (`(low, high]` when `low` is excluded).
fn in_band(range: Option<(f64, f64)>, low: f64, low_inclusive: bool, high: f64) -> Tri {
    let Some((min, max)) = range else {
        return Tri::Unknown;
    };
    let above_low = |x: f64| x > low || (low_inclusive && x >= low);
    let below_high = |x: f64| x <= high;
    if above_low(min) && below_high(max) {
        Tri::True
    } else if !above_low(max) || !below_high(min) {
        Tri::False
    } else {
        Tri::Unknown
    }
}

/// `quantity at most bound`: the verdict, and by how much it is exceeded when violated.
fn judge_at_most(q: Amount, bound: u64) -> (Verdict, Option<u64>) {
    let bound = i128::from(bound);
    if q.max.is_some_and(|max| max <= bound) {
        return (Verdict::Complies, None);
    }
    match q.min {
        Some(min) if min > bound => (
            Verdict::Violated,
            Some(u64::try_from(min.abs_diff(bound)).unwrap_or(u64::MAX)),
        ),
        _ => (Verdict::Undetermined, None),
    }
}

/// Equal verdicts stay; `complies` with `not_applicable` is `complies`; else `undetermined`.
fn join_verdicts(a: Verdict, b: Verdict) -> Verdict {
    match (a, b) {
        _ if a == b => a,
        (
            Verdict::Complies | Verdict::NotApplicable,
            Verdict::Complies | Verdict::NotApplicable,
        ) => Verdict::Complies,
        _ => Verdict::Undetermined,
    }
}

/// A provision evaluated in one world (one assumption about an unstated package).
struct Outcome {
    verdict: Verdict,
    quantity: Option<Amount>,
    excess: Option<u64>,
    contributors: Vec<Counted>,
}

impl Outcome {
    fn plain(verdict: Verdict) -> Outcome {
        Outcome {
            verdict,
            quantity: None,
            excess: None,
            contributors: Vec::new(),
        }
    }

    /// The join of the worlds "not agreed" (`self`) and "agreed" (`other`).
    fn join(self, other: Outcome) -> Outcome {
        let verdict = join_verdicts(self.verdict, other.verdict);
        let quantity = match (self.quantity, other.quantity) {
            (Some(a), Some(b)) => Some(a.hull(b)),
            (a, b) => a.or(b),
        };
        let excess = if verdict == Verdict::Violated {
            match (self.excess, other.excess) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
        } else {
            None
        };
        // A world where the provision did not apply measured nothing: a holding absent from
        // it is not "not counted" there (as the interpreter joins them).
        let measured = |o: &Outcome| o.quantity.is_some() || o.verdict != Verdict::NotApplicable;
        let contributors = match (measured(&self), measured(&other)) {
            (true, true) => merge(&self.contributors, &other.contributors),
            (true, false) => self.contributors,
            (false, _) => other.contributors,
        };
        Outcome {
            verdict,
            quantity,
            excess,
            contributors,
        }
    }
}

/// The contributors of two worlds, each sorted by term and holding: one entry per term and
/// holding, its count the hull over both worlds (with zero when it counts in only one).
fn merge(a: &[Counted], b: &[Counted]) -> Vec<Counted> {
    let key = |c: &Counted| (c.term, c.holding);
    let in_one = |c: &Counted| Counted {
        count: c.count.hull(Interval::ZERO),
        ..*c
    };
    let mut merged = Vec::with_capacity(a.len().max(b.len()));
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if key(x) == key(y) => {
                merged.push(Counted {
                    count: x.count.hull(y.count),
                    ..**x
                });
                a.next();
                b.next();
            }
            (Some(x), Some(y)) if key(x) < key(y) => {
                merged.push(in_one(x));
                a.next();
            }
            (_, Some(y)) => {
                merged.push(in_one(y));
                b.next();
            }
            (Some(x), None) => {
                merged.push(in_one(x));
                a.next();
            }
            (None, None) => return merged,
        }
    }
}

/// The letter, hand-compiled: the vocabulary's slots and values it uses.
pub struct Letter {
    // Attribute slots of holdings.
    class: usize,
    ty: usize,
    mirv_equipped: usize,
    mobile: usize,
    armament: usize,
    // Attribute slots of weapon types.
    type_class: usize,
    basing: usize,
    range: usize,
    mirv_tested: usize,
    intercontinental: usize,
    // Values of a holding's `class`.
    icbm_launcher: usize,
    slbm_launcher: usize,
    heavy_bomber: usize,
    medium_bomber: usize,
    other_aircraft: usize,
    asbm: usize,
    cruise_missile: usize,
    // Values of a weapon type's `class` and `basing`.
    type_cruise_missile: usize,
    air: usize,
    sea: usize,
    land: usize,
    // Packages and parties of the letter.
    cruise_missiles: usize,
    backfire_withdrawn: usize,
    ussr: usize,
    /// "in force until 1985-12-31".
    until: Date,
}

fn slot(attributes: &[AttributeDef], name: &str) -> Result<usize, String> {
    attributes
        .iter()
        .position(|a| a.name == name)
        .ok_or_else(|| format!("no attribute `{name}`"))
}

fn value(attributes: &[AttributeDef], slot: usize, name: &str) -> Result<usize, String> {
    match attributes.get(slot).map(|a| &a.ty) {
        Some(AttributeType::Enum { values }) => values
            .iter()
            .position(|v| v == name)
            .ok_or_else(|| format!("no value `{name}`")),
        _ => Err(format!("attribute #{slot} is not an enumeration")),
    }
}

impl Letter {
    /// Look up the names the letter uses in its checked model (as the checker resolves them
    /// once for the interpreter).
    pub fn new(model: &Model) -> Result<Letter, String> {
        let holdings = &model.vocabulary.holding_attributes;
        let types = &model.vocabulary.type_attributes;
        let class = slot(holdings, "class")?;
        let type_class = slot(types, "class")?;
        let basing = slot(types, "basing")?;
        let package = |name: &str| model.package(name).ok_or(format!("no package `{name}`"));
        Ok(Letter {
            class,
            ty: slot(holdings, "type")?,
            mirv_equipped: slot(holdings, "mirv_equipped")?,
            mobile: slot(holdings, "mobile")?,
            armament: slot(holdings, "armament")?,
            type_class,
            basing,
            range: slot(types, "range")?,
            mirv_tested: slot(types, "mirv_tested")?,
            intercontinental: slot(types, "intercontinental")?,
            icbm_launcher: value(holdings, class, "icbm_launcher")?,
            slbm_launcher: value(holdings, class, "slbm_launcher")?,
            heavy_bomber: value(holdings, class, "heavy_bomber")?,
            medium_bomber: value(holdings, class, "medium_bomber")?,
            other_aircraft: value(holdings, class, "other_aircraft")?,
            asbm: value(holdings, class, "asbm")?,
            cruise_missile: value(holdings, class, "cruise_missile")?,
            type_cruise_missile: value(types, type_class, "cruise_missile")?,
            air: value(types, basing, "air")?,
            sea: value(types, basing, "sea")?,
            land: value(types, basing, "land")?,
            cruise_missiles: package("cruise_missiles")?,
            backfire_withdrawn: package("backfire_withdrawn")?,
            ussr: model.party("USSR").ok_or("no party `USSR`")?,
            until: Date::new(1985, 12, 31).ok_or("1985-12-31")?,
        })
    }

    /// Every provision of the letter for every party of the scenario.
    pub fn evaluate(&self, facts: &Facts, band: Band) -> Result<Vec<PartyVerdicts>, Overflow> {
        let mut parties = Vec::with_capacity(facts.parties.len());
        for &party in &facts.parties {
            let provisions = self.provisions(facts, party, band)?;
            let verdict = provisions
                .iter()
                .map(|p| p.verdict)
                .max_by_key(|v| v.severity())
                .unwrap_or(Verdict::NotEvaluable);
            parties.push(PartyVerdicts {
                party,
                verdict,
                provisions,
            });
        }
        Ok(parties)
    }

    fn provisions(
        &self,
        facts: &Facts,
        party: usize,
        band: Band,
    ) -> Result<Vec<ProvisionVerdict>, Overflow> {
        let in_force = facts.date <= self.until;
        let rule = |id: &'static str, outcome: &dyn Fn() -> Option<Outcome>| {
            let outcome = if in_force {
                outcome().ok_or(Overflow { provision: id })?
            } else {
                // Not in force: still what it would measure (its conditions aside), when that
                // can be computed.
                match outcome() {
                    Some(measured) => Outcome {
                        verdict: Verdict::NotInForce,
                        excess: None,
                        ..measured
                    },
                    None => Outcome::plain(Verdict::NotInForce),
                }
            };
            Ok(ProvisionVerdict {
                id,
                verdict: outcome.verdict,
                quantity: outcome.quantity,
                excess: outcome.excess,
                contributors: outcome.contributors,
            })
        };
        // Statements bind nothing.
        let statement = |id| rule(id, &|| Some(Outcome::plain(Verdict::NotEvaluable)));
        let ussr = party == self.ussr;
        let mut out = Vec::with_capacity(11);
        out.push(rule("aggregate_ceiling", &|| {
            self.aggregate_ceiling(facts, party)
        })?);
        out.push(rule(
            "mirv_ceiling",
            &|| match self.package(facts, self.cruise_missiles) {
                Some(agreed) => self.mirv_ceiling(facts, party, band, agreed),
                None => {
                    let not_agreed = self.mirv_ceiling(facts, party, band, false)?;
                    let agreed = self.mirv_ceiling(facts, party, band, true)?;
                    Some(not_agreed.join(agreed))
                }
            },
        )?);
        out.push(rule("alcm_over_2500_ban", &|| {
            self.ban(facts, party, |h| self.long_range_alcms(facts, h))
        })?);
        out.push(rule("alcm_non_heavy_bomber_ban", &|| {
            self.ban(facts, party, |h| {
                self.other_aircraft_with_band_cruise_missiles(facts, h, band)
            })
        })?);
        out.push(rule("sea_land_cruise_missile_ban", &|| {
            self.ban(facts, party, |h| {
                self.sea_and_land_cruise_missiles_over_600(facts, h)
            })
        })?);
        if ussr {
            out.push(rule("backfire_assurance", &|| {
                if !in_force {
                    return Some(self.backfire_assurance(facts, party));
                }
                Some(match self.package(facts, self.backfire_withdrawn) {
                    Some(true) => self.backfire_assurance(facts, party),
                    // Not applicable, still measured as if it applied.
                    Some(false) => Outcome {
                        verdict: Verdict::NotApplicable,
                        excess: None,
                        ..self.backfire_assurance(facts, party)
                    },
                    None => Outcome::plain(Verdict::NotApplicable)
                        .join(self.backfire_assurance(facts, party)),
                })
            })?);
        }
        out.push(rule("mobile_icbm_ban", &|| {
            self.ban(facts, party, |h| self.mobile_icbm_launcher(h))
        })?);
        out.push(statement("reductions_after_signing")?);
        if ussr {
            out.push(statement("factors_to_consider")?);
        }
        out.push(statement("special_negotiations")?);
        if ussr {
            out.push(statement("cruise_missiles_inside_agreement")?);
        }
        Ok(out)
    }

    /// `count of delivery_vehicles at most 2400`.
    fn aggregate_ceiling(&self, facts: &Facts, party: usize) -> Option<Outcome> {
        let mut contributors = Vec::new();
        let count = self.count(facts, party, 0, &mut contributors, |h| {
            self.delivery_vehicle(h)
        })?;
        let quantity = Amount::from(count);
        let (verdict, excess) = judge_at_most(quantity, 2400);
        Some(Outcome {
            verdict,
            quantity: Some(quantity),
            excess,
            contributors,
        })
    }

    /// Whether the scenario says the package is agreed; `None` when it does not say.
    fn package(&self, facts: &Facts, package: usize) -> Option<bool> {
        match facts.packages.get(package) {
            Some(PackageState::Stated(status)) => Some(*status == PackageStatus::Agreed),
            _ => None,
        }
    }

    /// Σ count over the party's holdings in a category; an uncertain member counts 0..count.
    fn count(
        &self,
        facts: &Facts,
        party: usize,
        term: usize,
        contributors: &mut Vec<Counted>,
        member: impl Fn(&Holding) -> Tri,
    ) -> Option<Interval> {
        let mut total = Interval::ZERO;
        for (index, holding) in facts.holdings.iter().enumerate() {
            if holding.party != party {
                continue;
            }
            let count = match member(holding) {
                Tri::False => continue,
                Tri::True => holding.count,
                Tri::Unknown => Interval {
                    min: 0,
                    max: holding.count.max,
                },
            };
            total = total.checked_add(count)?;
            contributors.push(Counted {
                term,
                holding: index,
                count,
            });
        }
        Some(total)
    }

    fn ban(
        &self,
        facts: &Facts,
        party: usize,
        member: impl Fn(&Holding) -> Tri,
    ) -> Option<Outcome> {
        let mut contributors = Vec::new();
        let quantity = Amount::from(self.count(facts, party, 0, &mut contributors, member)?);
        let (verdict, excess) = judge_at_most(quantity, 0);
        Some(Outcome {
            verdict,
            quantity: Some(quantity),
            excess,
            contributors,
        })
    }

    /// `count of mirved_launchers + count of band_cruise_missile_bombers at most 1320`, the
    /// package `cruise_missiles` agreed or not.
    fn mirv_ceiling(
        &self,
        facts: &Facts,
        party: usize,
        band: Band,
        type_rule: bool,
    ) -> Option<Outcome> {
        let mut contributors = Vec::new();
        let mirved = self.count(facts, party, 0, &mut contributors, |h| {
            self.mirved_launcher(facts, h, type_rule)
        })?;
        let bombers = self.count(facts, party, 1, &mut contributors, |h| {
            self.band_cruise_missile_bomber(facts, h, band)
        })?;
        let quantity = Amount::from(mirved).checked_add(Amount::from(bombers))?;
        let (verdict, excess) = judge_at_most(quantity, 1320);
        Some(Outcome {
            verdict,
            quantity: Some(quantity),
            excess,
            contributors,
        })
    }

    /// `every backfire has type.range at most 2200 km and not type.intercontinental`.
    fn backfire_assurance(&self, facts: &Facts, party: usize) -> Outcome {
        let (mut violated, mut open) = (false, false);
        let mut contributors = Vec::new();
        for (index, holding) in facts.holdings.iter().enumerate() {
            if holding.party != party {
                continue;
            }
            let member = self.backfire(facts, holding);
            if member == Tri::False || holding.count.max == Some(0) {
                continue;
            }
            let ty = self.weapon_type(facts, holding);
            let holds = at_most(self.range(ty), 2200.0)
                .and(|| self.type_flag(ty, self.intercontinental).not());
            let count = match member {
                Tri::Unknown => Interval {
                    min: 0,
                    max: holding.count.max,
                },
                _ => holding.count,
            };
            contributors.push(Counted {
                term: 0,
                holding: index,
                count,
            });
            match holds {
                Tri::True => {}
                Tri::False if member == Tri::True && holding.count.min > 0 => violated = true,
                _ => open = true,
            }
        }
        let verdict = if violated {
            Verdict::Violated
        } else if open {
            Verdict::Undetermined
        } else {
            Verdict::Complies
        };
        Outcome {
            verdict,
            quantity: None,
            excess: None,
            contributors,
        }
    }

    // ── The categories ──

    /// `class in {icbm_launcher, slbm_launcher, asbm, heavy_bomber}`
    fn delivery_vehicle(&self, h: &Holding) -> Tri {
        self.class_in(
            h,
            &[
                self.icbm_launcher,
                self.slbm_launcher,
                self.asbm,
                self.heavy_bomber,
            ],
        )
    }

    /// `class in {icbm_launcher, slbm_launcher, asbm} and mirv_equipped`, with the type rule
    /// `… and (mirv_equipped or type.mirv_tested)`.
    fn mirved_launcher(&self, facts: &Facts, h: &Holding, type_rule: bool) -> Tri {
        self.class_in(h, &[self.icbm_launcher, self.slbm_launcher, self.asbm])
            .and(|| {
                let equipped = self.flag(h, self.mirv_equipped);
                if type_rule {
                    equipped.or(|| self.type_flag(self.weapon_type(facts, h), self.mirv_tested))
                } else {
                    equipped
                }
            })
    }

    /// `class = heavy_bomber and any armament has (class = cruise_missile and range in
    /// [600 km, 2500 km])`.
    fn band_cruise_missile_bomber(&self, facts: &Facts, h: &Holding, band: Band) -> Tri {
        self.class_is(h, self.heavy_bomber)
            .and(|| self.any_armament(facts, h, |ty| self.band_cruise_missile(ty, band)))
    }

    /// `(class = cruise_missile and type.basing = air and type.range > 2500 km) or (class in
    /// {heavy_bomber, medium_bomber, other_aircraft} and any armament has (class =
    /// cruise_missile and range > 2500 km))`.
    fn long_range_alcms(&self, facts: &Facts, h: &Holding) -> Tri {
        self.class_is(h, self.cruise_missile)
            .and(|| {
                let ty = self.weapon_type(facts, h);
                self.type_value_in(ty, self.basing, &[self.air])
                    .and(|| greater(self.range(ty), 2500.0))
            })
            .or(|| {
                self.class_in(
                    h,
                    &[self.heavy_bomber, self.medium_bomber, self.other_aircraft],
                )
                .and(|| {
                    self.any_armament(facts, h, |ty| {
                        self.type_value_in(Some(ty), self.type_class, &[self.type_cruise_missile])
                            .and(|| greater(self.range(Some(ty)), 2500.0))
                    })
                })
            })
    }

    /// `class in {medium_bomber, other_aircraft} and any armament has (class = cruise_missile
    /// and range in [600 km, 2500 km])`.
    fn other_aircraft_with_band_cruise_missiles(
        &self,
        facts: &Facts,
        h: &Holding,
        band: Band,
    ) -> Tri {
        self.class_in(h, &[self.medium_bomber, self.other_aircraft])
            .and(|| self.any_armament(facts, h, |ty| self.band_cruise_missile(ty, band)))
    }

    /// `class = cruise_missile and type.basing in {sea, land} and type.range > 600 km`.
    fn sea_and_land_cruise_missiles_over_600(&self, facts: &Facts, h: &Holding) -> Tri {
        let ty = self.weapon_type(facts, h);
        self.class_is(h, self.cruise_missile)
            .and(|| self.type_value_in(ty, self.basing, &[self.sea, self.land]))
            .and(|| greater(self.range(ty), 600.0))
    }

    /// `class = medium_bomber and type.name in {"Backfire", "Tu-22M", "Tu-22M2", "Tu-22M3",
    /// "Tu-26"}`.
    fn backfire(&self, facts: &Facts, h: &Holding) -> Tri {
        const NAMES: [&str; 5] = ["Backfire", "Tu-22M", "Tu-22M2", "Tu-22M3", "Tu-26"];
        self.class_is(h, self.medium_bomber)
            .and(|| match self.weapon_type(facts, h) {
                Some(ty) => Tri::of(NAMES.contains(&ty.name.as_str())),
                None => Tri::Unknown,
            })
    }

    /// `class = icbm_launcher and mobile`.
    fn mobile_icbm_launcher(&self, h: &Holding) -> Tri {
        self.class_is(h, self.icbm_launcher)
            .and(|| self.flag(h, self.mobile))
    }

    /// `class = cruise_missile and range in [600 km, 2500 km]` of a weapon type (`(600 km,
    /// 2500 km]` under the exclusive reading).
    fn band_cruise_missile(&self, ty: &WeaponType, band: Band) -> Tri {
        self.type_value_in(Some(ty), self.type_class, &[self.type_cruise_missile])
            .and(|| in_band(self.range(Some(ty)), 600.0, band == Band::Inclusive, 2500.0))
    }

    // ── Facts ──

    fn class_is(&self, h: &Holding, value: usize) -> Tri {
        match h.attributes.get(self.class) {
            Some(Fact::Enum(v)) => Tri::of(*v == value),
            _ => Tri::Unknown,
        }
    }

    fn class_in(&self, h: &Holding, values: &[usize]) -> Tri {
        match h.attributes.get(self.class) {
            Some(Fact::Enum(v)) => Tri::of(values.contains(v)),
            _ => Tri::Unknown,
        }
    }

    fn flag(&self, h: &Holding, slot: usize) -> Tri {
        match h.attributes.get(slot) {
            Some(Fact::Bool(b)) => Tri::of(*b),
            _ => Tri::Unknown,
        }
    }

    /// The holding's weapon type; `None` when the scenario does not say.
    fn weapon_type<'f>(&self, facts: &'f Facts, h: &Holding) -> Option<&'f WeaponType> {
        match h.attributes.get(self.ty) {
            Some(Fact::Reference(index)) => facts.types.get(*index),
            _ => None,
        }
    }

    fn type_flag(&self, ty: Option<&WeaponType>, slot: usize) -> Tri {
        match ty.and_then(|ty| ty.attributes.get(slot)) {
            Some(Fact::Bool(b)) => Tri::of(*b),
            _ => Tri::Unknown,
        }
    }

    fn type_value_in(&self, ty: Option<&WeaponType>, slot: usize, values: &[usize]) -> Tri {
        match ty.and_then(|ty| ty.attributes.get(slot)) {
            Some(Fact::Enum(v)) => Tri::of(values.contains(v)),
            _ => Tri::Unknown,
        }
    }

    /// A weapon type's range in km, as an interval.
    fn range(&self, ty: Option<&WeaponType>) -> Option<(f64, f64)> {
        match ty.and_then(|ty| ty.attributes.get(self.range)) {
            Some(Fact::Number { min, max }) => Some((*min, *max)),
            _ => None,
        }
    }

    /// `any armament has (…)`: unknown when the list is not known.
    fn any_armament(&self, facts: &Facts, h: &Holding, body: impl Fn(&WeaponType) -> Tri) -> Tri {
        let Some(Fact::List(types)) = h.attributes.get(self.armament) else {
            return Tri::Unknown;
        };
        let mut result = Tri::False;
        for &index in types {
            let holds = match facts.types.get(index) {
                Some(ty) => body(ty),
                None => Tri::Unknown,
            };
            result = result.or(|| holds);
            if result == Tri::True {
                break;
            }
        }
        result
    }
}

/// Where the baseline and the interpreter's report differ, if anywhere: parties, verdicts,
/// quantities, excesses and contributors (names and counts; the report's reasons and unknowns
/// are text the baseline does not write).
pub fn difference(
    model: &Model,
    facts: &Facts,
    baseline: &[PartyVerdicts],
    report: &Report,
) -> Option<String> {
    if baseline.len() != report.parties.len() {
        return Some(format!(
            "{} parties by hand, {} in the report",
            baseline.len(),
            report.parties.len()
        ));
    }
    for (ours, theirs) in baseline.iter().zip(&report.parties) {
        let party = model.parties.get(ours.party).map_or("?", String::as_str);
        if party != theirs.party || ours.verdict != theirs.verdict {
            return Some(format!(
                "party {party}: {:?} by hand, {} {:?} in the report",
                ours.verdict, theirs.party, theirs.verdict
            ));
        }
        let ids: Vec<&str> = ours.provisions.iter().map(|p| p.id).collect();
        let report_ids: Vec<&str> = theirs.provisions.iter().map(|p| p.id.as_str()).collect();
        if ids != report_ids {
            return Some(format!(
                "{party}: provisions {ids:?} by hand, {report_ids:?} in the report"
            ));
        }
        for (p, r) in ours.provisions.iter().zip(&theirs.provisions) {
            let at = format!("{party} {}", p.id);
            if (p.verdict, p.quantity, p.excess) != (r.verdict, r.quantity, r.excess) {
                return Some(format!(
                    "{at}: {:?} {:?} excess {:?} by hand, {:?} {:?} excess {:?} in the report",
                    p.verdict, p.quantity, p.excess, r.verdict, r.quantity, r.excess
                ));
            }
            if p.contributors.len() != r.contributors.len() {
                return Some(format!(
                    "{at}: {} contributors by hand, {} in the report",
                    p.contributors.len(),
                    r.contributors.len()
                ));
            }
            for (c, rc) in p.contributors.iter().zip(&r.contributors) {
                let name = facts.holdings.get(c.holding).map_or("?", |h| &*h.name);
                if name != &*rc.holding || c.count != rc.count {
                    return Some(format!(
                        "{at}: contributor `{name}` {} by hand, `{}` {} in the report",
                        c.count, rc.holding, rc.count
                    ));
                }
            }
        }
    }
    None
}
