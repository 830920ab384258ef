//! The interpreter: a checked model and a scenario's facts in, a [`Report`] out.
//!
//! Semantics (design §4):
//!
//! - Predicates are three-valued (Kleene): a fact that is not stated or `unknown` makes a
//!   comparison unknown, an interval makes it true if it holds for every value of the interval,
//!   false if for none, unknown otherwise.
//! - Counts are intervals: a holding whose membership in a category is unknown contributes
//!   `[0, count.max]`. All arithmetic on counts is checked.
//! - A category's default definition is replaced by the first exception whose condition holds.
//! - A package whose state the scenario does not give is decided at provision level: the
//!   provision is evaluated with each such package agreed and not agreed (every combination,
//!   up to [`MAX_ASSUMED_PACKAGES`] packages) and the verdicts are joined: equal verdicts stay,
//!   `complies` joined with `not_applicable` is `complies`, anything else is `undetermined`.
//! - A party's verdict is the worst of its provisions (by [`Verdict::severity`]).
//!
//! Every "why" is recorded as it is computed: the contributors of each quantity with the
//! category branch (and the reading or package state that selected it), and for undetermined
//! verdicts the unknown values that decide them.
//!
//! Evaluation is pure: no I/O, no hash-map iteration, no panics.

pub mod err;
#[cfg(test)]
mod tests;

use crate::lang::{Comparison, PackageStatus, ProvisionKind, Verdict};
use std::cell::RefCell;
use std::collections::BTreeSet;

use crate::interval::{Amount, Interval};
use crate::model::{
    Access, ArithmeticOp, AttributeDef, AttributeType, Bound, Date, Model, PackageState, Predicate,
    Provision, Quantity, Rule, Scalar, Value, Weight,
};
use crate::report::{
    BoundReport, Contributor, FORMAT, PartyReport, PositionInfo, ProvisionReport, ReadingVerdict,
    Readings, Report, ScenarioInfo,
};
use crate::scenario::{Fact, Facts, Holding};

pub use err::EvalError;

/// At most this many combinations of readings are evaluated by [`evaluate_all_readings`].
pub const MAX_READING_COMBINATIONS: usize = 256;

/// At most this many unstated packages are decided by evaluating each combination of agreed
/// and not agreed (2^8 combinations); further ones stay three-valued unknowns.
pub const MAX_ASSUMED_PACKAGES: usize = 8;

/// Expressions and category references nest at most this deep.
pub const MAX_DEPTH: usize = 256;

/// Memberships are memoised when categories × holdings is at most this (memory bound).
const MAX_MEMO: usize = 1 << 22;

/// What to evaluate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The chosen variant of each reading, by reading index (`len == model.readings.len()`).
    /// Empty: every reading's default.
    pub readings: Vec<usize>,
    /// Only this party (index into `Model::parties`); `None`: every party of the scenario.
    pub party: Option<usize>,
}

impl Options {
    /// Every reading's default variant, every party.
    pub fn defaults(model: &Model) -> Options {
        Options {
            readings: model.default_readings(),
            party: None,
        }
    }
}

/// Evaluate every provision for every party of the scenario (or the one in `options`), under
/// the chosen readings.
pub fn evaluate(model: &Model, facts: &Facts, options: &Options) -> Result<Report, EvalError> {
    let readings = resolve_readings(model, &options.readings)?;
    let parties = select_parties(facts, options.party)?;
    let mut reports = Vec::with_capacity(parties.len());
    for party in parties {
        let mut provisions = Vec::new();
        for provision in &model.provisions {
            if provision.scope.applies_to(party) {
                provisions.push(evaluate_provision(
                    model, facts, &readings, party, provision,
                )?);
            }
        }
        let verdict = provisions
            .iter()
            .map(|p| p.verdict)
            .max_by_key(|v| v.severity())
            .unwrap_or(Verdict::NotEvaluable);
        reports.push(PartyReport {
            party: party_name(model, party),
            verdict,
            provisions,
        });
    }
    Ok(Report {
        format: FORMAT.to_string(),
        position: PositionInfo {
            title: model.title.clone(),
            file: model.file.name.clone(),
        },
        scenario: ScenarioInfo {
            title: facts.title.clone(),
            date: facts.date,
            file: facts.file.name.clone(),
        },
        readings: reading_names(model, &readings),
        parties: reports,
    })
}

/// Evaluate under the chosen readings as [`evaluate`] does, and also under every combination of
/// variants: each provision gets `by_reading` (the verdict under each combination, in order of
/// the readings' variants, first reading slowest) and `depends_on_reading`.
pub fn evaluate_all_readings(
    model: &Model,
    facts: &Facts,
    options: &Options,
) -> Result<Report, EvalError> {
    evaluate_all_readings_except(model, facts, options, &[])
}

/// As [`evaluate_all_readings`], but the readings in `fixed` (indices into `Model::readings`)
/// stay at their variant in `options` instead of varying: the user settled those.
pub fn evaluate_all_readings_except(
    model: &Model,
    facts: &Facts,
    options: &Options,
    fixed: &[usize],
) -> Result<Report, EvalError> {
    let chosen = resolve_readings(model, &options.readings)?;
    let sizes: Vec<usize> = model
        .readings
        .iter()
        .enumerate()
        .map(|(index, r)| {
            if fixed.contains(&index) {
                1
            } else {
                r.variants.len()
            }
        })
        .collect();
    let total = sizes.iter().try_fold(1usize, |acc, &n| acc.checked_mul(n));
    let total = match total {
        Some(total) if total <= MAX_READING_COMBINATIONS => total,
        Some(total) => {
            return Err(EvalError::TooManyReadings {
                combinations: total.to_string(),
                limit: MAX_READING_COMBINATIONS,
            });
        }
        None => {
            return Err(EvalError::TooManyReadings {
                combinations: format!("more than {}", usize::MAX),
                limit: MAX_READING_COMBINATIONS,
            });
        }
    };
    let mut report = evaluate(model, facts, options)?;
    for party in &mut report.parties {
        for provision in &mut party.provisions {
            provision.by_reading = Some(Vec::new());
        }
    }
    for index in 0..total {
        let mut choice = combination(&sizes, index);
        for &reading in fixed {
            if let (Some(slot), Some(&variant)) = (choice.get_mut(reading), chosen.get(reading)) {
                *slot = variant;
            }
        }
        let names = reading_names(model, &choice);
        let variant = evaluate(
            model,
            facts,
            &Options {
                readings: choice,
                party: options.party,
            },
        )?;
        for (party, other) in report.parties.iter_mut().zip(&variant.parties) {
            for (provision, verdict) in party.provisions.iter_mut().zip(&other.provisions) {
                if let Some(list) = provision.by_reading.as_mut() {
                    list.push(ReadingVerdict {
                        readings: names.clone(),
                        verdict: verdict.verdict,
                    });
                }
            }
        }
    }
    for party in &mut report.parties {
        for provision in &mut party.provisions {
            let depends = provision.by_reading.as_ref().is_some_and(|list| {
                list.first()
                    .is_some_and(|first| list.iter().any(|rv| rv.verdict != first.verdict))
            });
            provision.depends_on_reading = Some(depends);
        }
    }
    Ok(report)
}

/// The `index`-th combination of variants, first reading slowest.
fn combination(sizes: &[usize], index: usize) -> Vec<usize> {
    let mut choice = vec![0; sizes.len()];
    let mut rest = index;
    for (slot, &size) in choice.iter_mut().zip(sizes).rev() {
        if size > 0 {
            *slot = rest.checked_rem(size).unwrap_or(0);
            rest = rest.checked_div(size).unwrap_or(0);
        }
    }
    choice
}

fn resolve_readings(model: &Model, chosen: &[usize]) -> Result<Vec<usize>, EvalError> {
    if chosen.is_empty() {
        return Ok(model.default_readings());
    }
    if chosen.len() != model.readings.len() {
        return Err(EvalError::ReadingCount {
            expected: model.readings.len(),
            found: chosen.len(),
        });
    }
    for (reading, &variant) in model.readings.iter().zip(chosen) {
        if variant >= reading.variants.len() {
            return Err(EvalError::NoSuchVariant {
                reading: reading.name.clone(),
                variant,
            });
        }
    }
    Ok(chosen.to_vec())
}

fn select_parties(facts: &Facts, only: Option<usize>) -> Result<Vec<usize>, EvalError> {
    match only {
        None => Ok(facts.parties.clone()),
        Some(party) if facts.parties.contains(&party) => Ok(vec![party]),
        Some(party) => Err(EvalError::NoSuchParty { party }),
    }
}

fn reading_names(model: &Model, choice: &[usize]) -> Readings {
    Readings(
        model
            .readings
            .iter()
            .zip(choice)
            .map(|(reading, &variant)| {
                let name = reading
                    .variants
                    .get(variant)
                    .map_or_else(|| format!("#{variant}"), |v| v.name.clone());
                (reading.name.clone(), name)
            })
            .collect(),
    )
}

fn party_name(model: &Model, party: usize) -> String {
    model
        .parties
        .get(party)
        .cloned()
        .unwrap_or_else(|| format!("party #{party}"))
}

// ── Three-valued logic ─────────────────────────────────────────────────────────

/// A Kleene truth value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    False,
    True,
    Unknown,
}

impl Tri {
    fn from_bool(value: bool) -> Tri {
        if value { Tri::True } else { Tri::False }
    }

    fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        }
    }

    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }

    fn is_unknown(self) -> bool {
        self == Tri::Unknown
    }
}

/// Where explanations of unknown results are collected, when anyone wants them.
///
/// Evaluation runs with the sink off; only a result that is unknown is evaluated again with
/// the sink on. Each sub-expression's notes are kept only if that sub-expression was unknown,
/// so the notes name exactly the unknown values that leave the result open.
struct Sink {
    notes: Option<Vec<String>>,
}

impl Sink {
    fn off() -> Sink {
        Sink { notes: None }
    }

    fn on() -> Sink {
        Sink {
            notes: Some(Vec::new()),
        }
    }

    fn mark(&self) -> usize {
        self.notes.as_ref().map_or(0, Vec::len)
    }

    /// Drop the notes pushed since `mark` unless `keep`.
    fn keep_if(&mut self, mark: usize, keep: bool) {
        if !keep {
            if let Some(notes) = self.notes.as_mut() {
                notes.truncate(mark);
            }
        }
    }

    fn push(&mut self, note: impl FnOnce() -> String) {
        if let Some(notes) = self.notes.as_mut() {
            notes.push(note());
        }
    }

    fn into_notes(self) -> Vec<String> {
        self.notes.unwrap_or_default()
    }
}

/// Why evaluating an expression failed; turned into an [`EvalError`] at provision level.
#[derive(Debug)]
enum Fault {
    Overflow,
    TooDeep,
    Weight { holding: String, detail: String },
    Inconsistent(String),
}

impl Fault {
    fn into_error(self, provision: &Provision, party: String) -> EvalError {
        let id = provision.id.clone();
        match self {
            Fault::Overflow => EvalError::Overflow {
                provision: id,
                party,
            },
            Fault::TooDeep => EvalError::TooDeep {
                provision: id,
                limit: MAX_DEPTH,
            },
            Fault::Weight { holding, detail } => EvalError::InvalidWeight {
                provision: id,
                holding,
                detail,
            },
            Fault::Inconsistent(detail) => EvalError::Inconsistent {
                provision: id,
                detail,
            },
        }
    }
}

fn deeper(depth: usize) -> Result<usize, Fault> {
    match depth.checked_add(1) {
        Some(next) if next <= MAX_DEPTH => Ok(next),
        _ => Err(Fault::TooDeep),
    }
}

fn inconsistent<T>(detail: impl Into<String>) -> Result<T, Fault> {
    Err(Fault::Inconsistent(detail.into()))
}

// ── Values ─────────────────────────────────────────────────────────────────────

/// What an expression evaluates to: a value, possibly only known to lie in an interval.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Val<'a> {
    Unknown,
    Bool(bool),
    /// Numbers in base units; `min == max` when exact.
    Num {
        min: f64,
        max: f64,
    },
    Date(Date),
    Enum(usize),
    Text(&'a str),
    Party(usize),
}

/// Where an attribute access leads.
enum Lookup<'a> {
    Fact {
        fact: &'a Fact,
        /// The holding or weapon type the fact belongs to, for explanations.
        owner: &'a str,
        attribute: Option<&'a AttributeDef>,
    },
    Text(&'a str),
    Party(usize),
    /// The value cannot be reached (a reference that is not stated); already explained.
    Unknown,
}

/// The context of an expression.
#[derive(Debug, Clone, Copy)]
struct Cx<'a> {
    holding: Option<&'a Holding>,
    /// The index of `holding` in `Facts::holdings`.
    index: usize,
    /// The weapon type in context, inside `any LIST has (…)`.
    ty: Option<usize>,
}

impl Cx<'_> {
    const NONE: Cx<'static> = Cx {
        holding: None,
        index: 0,
        ty: None,
    };

    fn holding(index: usize, holding: &Holding) -> Cx<'_> {
        Cx {
            holding: Some(holding),
            index,
            ty: None,
        }
    }
}

/// A membership already computed in a world, and its explanation once asked for.
#[derive(Debug, Clone)]
struct Memo {
    result: Tri,
    notes: Option<Vec<String>>,
}

static NOT_STATED: Fact = Fact::NotStated;

/// The branch of a category in force in a world.
#[derive(Debug, Clone)]
enum Choice {
    Branch(usize),
    /// Conditions are unknown: one of these branches applies.
    Undecided(Vec<usize>, Vec<String>),
}

/// Everything a provision is evaluated under: the party, the readings, and what is assumed of
/// packages the scenario does not state.
struct World<'a> {
    model: &'a Model,
    facts: &'a Facts,
    party: usize,
    readings: &'a [usize],
    /// By package: `Some(true)` assumed agreed, `Some(false)` assumed not agreed, `None`: not
    /// assumed (stated in the scenario, or beyond [`MAX_ASSUMED_PACKAGES`]).
    assumed: Vec<Option<bool>>,
    /// By category: the branch in force.
    choices: Vec<Choice>,
    /// By category × holding: memberships computed so far. Categories refer to categories, so
    /// without it a chain of references could take exponential time.
    memo: RefCell<Vec<Option<Memo>>>,
}

impl<'a> World<'a> {
    fn new(
        model: &'a Model,
        facts: &'a Facts,
        party: usize,
        readings: &'a [usize],
        assumed: Vec<Option<bool>>,
    ) -> Result<World<'a>, Fault> {
        let mut world = World {
            model,
            facts,
            party,
            readings,
            assumed,
            choices: Vec::new(),
            memo: RefCell::new(Vec::new()),
        };
        let mut choices = Vec::with_capacity(model.categories.len());
        for index in 0..model.categories.len() {
            choices.push(world.choose(index)?);
        }
        world.choices = choices;
        let cells = model
            .categories
            .len()
            .checked_mul(facts.holdings.len())
            .filter(|&cells| cells <= MAX_MEMO);
        if let Some(cells) = cells {
            world.memo = RefCell::new(vec![None; cells]);
        }
        Ok(world)
    }

    fn choose(&self, category: usize) -> Result<Choice, Fault> {
        let Some(cat) = self.model.categories.get(category) else {
            return inconsistent(format!("no category #{category}"));
        };
        if cat.branches.is_empty() {
            return inconsistent(format!("category `{}` has no definition", cat.name));
        }
        let mut candidates = Vec::new();
        let mut sink = Sink::on();
        let mut decided = false;
        for (index, branch) in cat.branches.iter().enumerate().skip(1) {
            let holds = match &branch.condition {
                Some(condition) => self.pred(condition, Cx::NONE, &mut sink, 0)?,
                None => Tri::True,
            };
            match holds {
                Tri::True => {
                    candidates.push(index);
                    decided = true;
                    break;
                }
                Tri::False => {}
                Tri::Unknown => candidates.push(index),
            }
        }
        if !decided {
            candidates.push(0);
        }
        match candidates.as_slice() {
            [only] => Ok(Choice::Branch(*only)),
            _ => Ok(Choice::Undecided(candidates, sink.into_notes())),
        }
    }

    // ── Predicates ──

    /// `and` / `or`: `decisive` on the left settles it without the right. Only the unknowns
    /// behind an unknown result are kept, as those are what decide it.
    fn junction(
        &self,
        (left, right): (&'a Predicate, &'a Predicate),
        decisive: Tri,
        combine: fn(Tri, Tri) -> Tri,
        cx: Cx<'a>,
        sink: &mut Sink,
        depth: usize,
    ) -> Result<Tri, Fault> {
        let mark = sink.mark();
        let l = self.pred(left, cx, sink, depth)?;
        sink.keep_if(mark, l.is_unknown());
        if l == decisive {
            return Ok(decisive);
        }
        let right_mark = sink.mark();
        let r = self.pred(right, cx, sink, depth)?;
        sink.keep_if(right_mark, r.is_unknown());
        let result = combine(l, r);
        sink.keep_if(mark, result.is_unknown());
        Ok(result)
    }

    fn pred(
        &self,
        p: &'a Predicate,
        cx: Cx<'a>,
        sink: &mut Sink,
        depth: usize,
    ) -> Result<Tri, Fault> {
        let depth = deeper(depth)?;
        match p {
            Predicate::Const(value) => Ok(Tri::from_bool(*value)),
            Predicate::Attribute(access) => match self.value_of(*access, cx, sink)? {
                Val::Bool(value) => Ok(Tri::from_bool(value)),
                Val::Unknown => Ok(Tri::Unknown),
                other => inconsistent(format!("{other:?} used as a condition")),
            },
            Predicate::Not(inner) => Ok(self.pred(inner, cx, sink, depth)?.not()),
            Predicate::And(left, right) => {
                self.junction((left, right), Tri::False, Tri::and, cx, sink, depth)
            }
            Predicate::Or(left, right) => {
                self.junction((left, right), Tri::True, Tri::or, cx, sink, depth)
            }
            Predicate::Compare { op, left, right } => {
                let mark = sink.mark();
                let l = self.value(left, cx, sink, depth)?;
                let r = self.value(right, cx, sink, depth)?;
                let result = self.compare(*op, l, r)?;
                sink.keep_if(mark, result.is_unknown());
                Ok(result)
            }
            Predicate::InSet { value, items } => {
                let mark = sink.mark();
                let v = self.value(value, cx, sink, depth)?;
                let result = self.in_set(v, items);
                sink.keep_if(mark, result.is_unknown());
                Ok(result)
            }
            Predicate::InRange {
                value,
                low,
                low_inclusive,
                high,
                high_inclusive,
            } => {
                let mark = sink.mark();
                let result = match self.value(value, cx, sink, depth)? {
                    Val::Unknown => Tri::Unknown,
                    Val::Num { min, max } => {
                        in_range(min, max, *low, *low_inclusive, *high, *high_inclusive)
                    }
                    other => {
                        return inconsistent(format!("{other:?} compared with a range of numbers"));
                    }
                };
                sink.keep_if(mark, result.is_unknown());
                Ok(result)
            }
            Predicate::Quantified { every, list, body } => {
                self.quantified(*every, *list, body, cx, sink, depth)
            }
            Predicate::Package { package, status } => Ok(self.package(*package, *status, sink)),
            Predicate::Reading { reading, variant } => match self.readings.get(*reading) {
                Some(chosen) => Ok(Tri::from_bool(chosen == variant)),
                None => inconsistent(format!("no reading #{reading}")),
            },
            Predicate::InCategory(category) => match cx.holding {
                Some(holding) => self.member(*category, cx.index, holding, sink, depth),
                None => inconsistent("`in category` outside a holding"),
            },
        }
    }

    fn quantified(
        &self,
        every: bool,
        list: Access,
        body: &'a Predicate,
        cx: Cx<'a>,
        sink: &mut Sink,
        depth: usize,
    ) -> Result<Tri, Fault> {
        let mark = sink.mark();
        let types: &'a [usize] = match self.lookup(list, cx, sink)? {
            Lookup::Fact {
                fact,
                owner,
                attribute,
            } => match fact {
                Fact::List(types) => types,
                Fact::NotStated | Fact::Unknown => {
                    note_fact(sink, fact, owner, attribute);
                    return Ok(Tri::Unknown);
                }
                other => return inconsistent(format!("{other:?} used as a list of weapon types")),
            },
            Lookup::Unknown => return Ok(Tri::Unknown),
            Lookup::Text(_) | Lookup::Party(_) => {
                return inconsistent("a name used as a list of weapon types");
            }
        };
        let mut result = Tri::from_bool(every);
        for &ty in types {
            let item_mark = sink.mark();
            let inner = Cx {
                holding: cx.holding,
                index: cx.index,
                ty: Some(ty),
            };
            let holds = self.pred(body, inner, sink, depth)?;
            sink.keep_if(item_mark, holds.is_unknown());
            result = if every {
                result.and(holds)
            } else {
                result.or(holds)
            };
            let settled = if every {
                result == Tri::False
            } else {
                result == Tri::True
            };
            if settled {
                break;
            }
        }
        sink.keep_if(mark, result.is_unknown());
        Ok(result)
    }

    fn package(&self, package: usize, status: PackageStatus, sink: &mut Sink) -> Tri {
        if let Some(PackageState::Stated(stated)) = self.facts.packages.get(package) {
            return Tri::from_bool(*stated == status);
        }
        match self.assumed.get(package).copied().flatten() {
            Some(true) => Tri::from_bool(status == PackageStatus::Agreed),
            Some(false) if status == PackageStatus::Agreed => Tri::False,
            _ => {
                sink.push(|| package_not_stated(self.model, package));
                Tri::Unknown
            }
        }
    }

    /// Whether the holding (number `index` of the facts) is in the category: memoised.
    fn member(
        &self,
        category: usize,
        index: usize,
        holding: &'a Holding,
        sink: &mut Sink,
        depth: usize,
    ) -> Result<Tri, Fault> {
        let slot = category
            .checked_mul(self.facts.holdings.len())
            .and_then(|base| base.checked_add(index));
        let wants_notes = sink.notes.is_some();
        if let Some(slot) = slot {
            if let Ok(memo) = self.memo.try_borrow() {
                if let Some(Some(cached)) = memo.get(slot) {
                    match &cached.notes {
                        _ if !wants_notes => return Ok(cached.result),
                        Some(notes) => {
                            for note in notes {
                                sink.push(|| note.clone());
                            }
                            return Ok(cached.result);
                        }
                        None => {}
                    }
                }
            }
        }
        let mut own = if wants_notes { Sink::on() } else { Sink::off() };
        let result = self.membership(category, index, holding, &mut own, depth)?;
        // The same unknown may be met along several paths: keep each once, so that
        // explanations stay as small as the facts they name.
        own.notes = own.notes.map(dedup);
        if let Some(notes) = &own.notes {
            for note in notes {
                sink.push(|| note.clone());
            }
        }
        if let Some(slot) = slot {
            if let Ok(mut memo) = self.memo.try_borrow_mut() {
                if let Some(entry) = memo.get_mut(slot) {
                    *entry = Some(Memo {
                        result,
                        notes: own.notes,
                    });
                }
            }
        }
        Ok(result)
    }

    fn membership(
        &self,
        category: usize,
        index: usize,
        holding: &'a Holding,
        sink: &mut Sink,
        depth: usize,
    ) -> Result<Tri, Fault> {
        let depth = deeper(depth)?;
        let Some(cat) = self.model.categories.get(category) else {
            return inconsistent(format!("no category #{category}"));
        };
        let cx = Cx::holding(index, holding);
        match self.choices.get(category) {
            Some(Choice::Branch(index)) => match cat.branches.get(*index) {
                Some(branch) => self.pred(&branch.selection, cx, sink, depth),
                None => inconsistent(format!("category `{}` has no branch #{index}", cat.name)),
            },
            Some(Choice::Undecided(candidates, notes)) => {
                let mark = sink.mark();
                let mut result: Option<Tri> = None;
                for index in candidates {
                    let Some(branch) = cat.branches.get(*index) else {
                        return inconsistent(format!(
                            "category `{}` has no branch #{index}",
                            cat.name
                        ));
                    };
                    let holds = self.pred(&branch.selection, cx, sink, depth)?;
                    result = Some(match result {
                        None => holds,
                        Some(previous) if previous == holds => holds,
                        Some(_) => Tri::Unknown,
                    });
                }
                let result = result.unwrap_or(Tri::False);
                if result.is_unknown() {
                    for note in notes {
                        sink.push(|| note.clone());
                    }
                }
                sink.keep_if(mark, result.is_unknown());
                Ok(result)
            }
            None => inconsistent(format!("no category #{category}")),
        }
    }

    // ── Values ──

    fn value(
        &self,
        v: &'a Value,
        cx: Cx<'a>,
        sink: &mut Sink,
        depth: usize,
    ) -> Result<Val<'a>, Fault> {
        let depth = deeper(depth)?;
        Ok(match v {
            Value::Const(scalar) => match scalar {
                Scalar::Bool(b) => Val::Bool(*b),
                Scalar::Number(n) => Val::Num { min: *n, max: *n },
                Scalar::Date(d) => Val::Date(*d),
                Scalar::Enum(e) => Val::Enum(*e),
                Scalar::Text(t) => Val::Text(t.as_str()),
            },
            Value::Attribute(access) => self.value_of(*access, cx, sink)?,
            Value::ScenarioDate => Val::Date(self.facts.date),
            Value::Arithmetic { op, left, right } => {
                let l = self.value(left, cx, sink, depth)?;
                let r = self.value(right, cx, sink, depth)?;
                match (l, r) {
                    (Val::Unknown, _) | (_, Val::Unknown) => Val::Unknown,
                    (Val::Num { min: a, max: b }, Val::Num { min: c, max: d }) => {
                        let (min, max) = match op {
                            ArithmeticOp::Add => (a + c, b + d),
                            ArithmeticOp::Sub => (a - d, b - c),
                            ArithmeticOp::Mul => {
                                let products = [a * c, a * d, b * c, b * d];
                                (
                                    products.iter().copied().fold(f64::INFINITY, f64::min),
                                    products.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                                )
                            }
                        };
                        Val::Num { min, max }
                    }
                    (l, r) => return inconsistent(format!("arithmetic on {l:?} and {r:?}")),
                }
            }
        })
    }

    fn value_of(&self, access: Access, cx: Cx<'a>, sink: &mut Sink) -> Result<Val<'a>, Fault> {
        Ok(match self.lookup(access, cx, sink)? {
            Lookup::Fact {
                fact,
                owner,
                attribute,
            } => match fact {
                Fact::NotStated | Fact::Unknown => {
                    note_fact(sink, fact, owner, attribute);
                    Val::Unknown
                }
                Fact::Bool(b) => Val::Bool(*b),
                Fact::Number { min, max } => {
                    if min != max {
                        sink.push(|| {
                            format!(
                                "`{owner}` {} is {}",
                                attribute_name(attribute),
                                number_range(*min, *max, attribute)
                            )
                        });
                    }
                    Val::Num {
                        min: *min,
                        max: *max,
                    }
                }
                Fact::Date(d) => Val::Date(*d),
                Fact::Enum(e) => Val::Enum(*e),
                Fact::Reference(_) | Fact::List(_) => {
                    return inconsistent(format!(
                        "attribute `{}` of `{owner}` used as a value",
                        attribute_name(attribute)
                    ));
                }
            },
            Lookup::Text(text) => Val::Text(text),
            Lookup::Party(party) => Val::Party(party),
            Lookup::Unknown => Val::Unknown,
        })
    }

    fn lookup(&self, access: Access, cx: Cx<'a>, sink: &mut Sink) -> Result<Lookup<'a>, Fault> {
        let vocabulary = &self.model.vocabulary;
        match access {
            Access::Holding(slot) => {
                let Some(holding) = cx.holding else {
                    return inconsistent("a holding attribute outside a holding");
                };
                Ok(Lookup::Fact {
                    fact: holding.attributes.get(slot).unwrap_or(&NOT_STATED),
                    owner: &holding.name,
                    attribute: vocabulary.holding_attributes.get(slot),
                })
            }
            Access::ViaReference {
                reference,
                attribute,
            } => match self.referenced(reference, cx, sink)? {
                Some(ty) => Ok(Lookup::Fact {
                    fact: ty.attributes.get(attribute).unwrap_or(&NOT_STATED),
                    owner: &ty.name,
                    attribute: vocabulary.type_attributes.get(attribute),
                }),
                None => Ok(Lookup::Unknown),
            },
            Access::ReferenceName { reference } => match self.referenced(reference, cx, sink)? {
                Some(ty) => Ok(Lookup::Text(&ty.name)),
                None => Ok(Lookup::Unknown),
            },
            Access::Type(slot) => {
                let Some(index) = cx.ty else {
                    return inconsistent("a weapon-type attribute outside `any … has`");
                };
                let Some(ty) = self.facts.types.get(index) else {
                    return inconsistent(format!("no weapon type #{index}"));
                };
                Ok(Lookup::Fact {
                    fact: ty.attributes.get(slot).unwrap_or(&NOT_STATED),
                    owner: &ty.name,
                    attribute: vocabulary.type_attributes.get(slot),
                })
            }
            Access::Name => match (cx.ty, cx.holding) {
                (Some(index), _) => match self.facts.types.get(index) {
                    Some(ty) => Ok(Lookup::Text(&ty.name)),
                    None => inconsistent(format!("no weapon type #{index}")),
                },
                (None, Some(holding)) => Ok(Lookup::Text(&holding.name)),
                (None, None) => inconsistent("`name` outside a holding"),
            },
            Access::Party => Ok(Lookup::Party(cx.holding.map_or(self.party, |h| h.party))),
        }
    }

    /// The weapon type a holding's reference attribute points to; `None` (explained) when the
    /// scenario does not say.
    fn referenced(
        &self,
        reference: usize,
        cx: Cx<'a>,
        sink: &mut Sink,
    ) -> Result<Option<&'a crate::scenario::WeaponType>, Fault> {
        let Some(holding) = cx.holding else {
            return inconsistent("`type.…` outside a holding");
        };
        let fact = holding.attributes.get(reference).unwrap_or(&NOT_STATED);
        match fact {
            Fact::Reference(index) => match self.facts.types.get(*index) {
                Some(ty) => Ok(Some(ty)),
                None => inconsistent(format!("no weapon type #{index}")),
            },
            Fact::NotStated | Fact::Unknown => {
                note_fact(
                    sink,
                    fact,
                    &holding.name,
                    self.model.vocabulary.holding_attributes.get(reference),
                );
                Ok(None)
            }
            other => inconsistent(format!("{other:?} used as a weapon type")),
        }
    }

    fn compare(&self, op: Comparison, left: Val<'a>, right: Val<'a>) -> Result<Tri, Fault> {
        use std::cmp::Ordering;
        let ordered = |ordering: Ordering| {
            Tri::from_bool(match op {
                Comparison::AtMost => ordering != Ordering::Greater,
                Comparison::AtLeast => ordering != Ordering::Less,
                Comparison::Less => ordering == Ordering::Less,
                Comparison::Greater => ordering == Ordering::Greater,
                Comparison::Equal => ordering == Ordering::Equal,
                Comparison::NotEqual => ordering != Ordering::Equal,
            })
        };
        let equality = |equal: bool| match op {
            Comparison::Equal => Ok(Tri::from_bool(equal)),
            Comparison::NotEqual => Ok(Tri::from_bool(!equal)),
            _ => inconsistent(format!("`{}` between {left:?} and {right:?}", op.symbol())),
        };
        match (left, right) {
            (Val::Unknown, _) | (_, Val::Unknown) => Ok(Tri::Unknown),
            (Val::Num { min: a, max: b }, Val::Num { min: c, max: d }) => {
                Ok(compare_numbers(op, (a, b), (c, d)))
            }
            (Val::Date(a), Val::Date(b)) => Ok(ordered(a.cmp(&b))),
            (Val::Text(a), Val::Text(b)) => Ok(ordered(a.cmp(b))),
            (Val::Enum(a), Val::Enum(b)) => equality(a == b),
            (Val::Bool(a), Val::Bool(b)) => equality(a == b),
            (Val::Party(a), Val::Party(b)) => equality(a == b),
            (Val::Party(p), Val::Text(t)) | (Val::Text(t), Val::Party(p)) => {
                equality(self.model.parties.get(p).is_some_and(|name| name == t))
            }
            (Val::Party(p), Val::Enum(e)) | (Val::Enum(e), Val::Party(p)) => equality(p == e),
            _ => inconsistent(format!("`{}` between {left:?} and {right:?}", op.symbol())),
        }
    }

    fn in_set(&self, value: Val<'a>, items: &[Scalar]) -> Tri {
        match value {
            Val::Unknown => Tri::Unknown,
            Val::Num { min, max } => {
                let mut possible = false;
                for item in items {
                    if let Scalar::Number(n) = item {
                        if min == max && min == *n {
                            return Tri::True;
                        }
                        if min <= *n && *n <= max {
                            possible = true;
                        }
                    }
                }
                if possible { Tri::Unknown } else { Tri::False }
            }
            other => Tri::from_bool(items.iter().any(|item| match (other, item) {
                (Val::Bool(a), Scalar::Bool(b)) => a == *b,
                (Val::Date(a), Scalar::Date(b)) => a == *b,
                (Val::Enum(a), Scalar::Enum(b)) => a == *b,
                (Val::Text(a), Scalar::Text(b)) => a == b,
                (Val::Party(p), Scalar::Text(b)) => {
                    self.model.parties.get(p).is_some_and(|name| name == b)
                }
                (Val::Party(p), Scalar::Enum(b)) => p == *b,
                _ => false,
            })),
        }
    }

    // ── Quantities ──

    fn quantity(
        &self,
        q: &'a Quantity,
        tally: &mut Tally,
        subtracted: bool,
        depth: usize,
    ) -> Result<Amount, Fault> {
        let depth = deeper(depth)?;
        match q {
            Quantity::Const(value) => Ok(Amount::exact(i128::from(*value))),
            Quantity::Count(category) => self
                .count(*category, None, tally, subtracted)
                .map(Amount::from),
            Quantity::Sum { weight, category } => self
                .count(*category, Some(weight), tally, subtracted)
                .map(Amount::from),
            Quantity::Arithmetic { op, left, right } => {
                let l = self.quantity(left, tally, subtracted, depth)?;
                let r = self.quantity(
                    right,
                    tally,
                    subtracted != (*op == ArithmeticOp::Sub),
                    depth,
                )?;
                match op {
                    ArithmeticOp::Add => l.checked_add(r).ok_or(Fault::Overflow),
                    ArithmeticOp::Sub => l.checked_sub(r).ok_or(Fault::Overflow),
                    ArithmeticOp::Mul => l.checked_mul(r).ok_or(Fault::Overflow),
                }
            }
        }
    }

    /// Σ count (× weight) over the party's holdings in the category.
    fn count(
        &self,
        category: usize,
        weight: Option<&'a Weight>,
        tally: &mut Tally,
        subtracted: bool,
    ) -> Result<Interval, Fault> {
        let mut total = Interval::ZERO;
        let mut because: Option<String> = None;
        let term = tally.terms;
        tally.terms = tally.terms.saturating_add(1);
        for (index, holding) in self.facts.holdings.iter().enumerate() {
            if holding.party != self.party {
                continue;
            }
            let membership = self.member(category, index, holding, &mut Sink::off(), 0)?;
            if membership == Tri::False {
                continue;
            }
            let mut contribution = holding.count;
            let mut weight_text = String::new();
            if let Some(weight) = weight {
                let (factor, text) =
                    self.weight(weight, Cx::holding(index, holding), &mut tally.notes)?;
                contribution = contribution.checked_mul(factor).ok_or(Fault::Overflow)?;
                weight_text = text;
            }
            if membership == Tri::Unknown {
                contribution = Interval {
                    min: 0,
                    max: contribution.max,
                };
                let mut sink = Sink::on();
                self.member(category, index, holding, &mut sink, 0)?;
                tally.notes.extend(sink.into_notes());
            }
            if !holding.count.is_exact() {
                tally
                    .notes
                    .push(format!("count of `{}` is {}", holding.name, holding.count));
            }
            total = total.checked_add(contribution).ok_or(Fault::Overflow)?;
            let rule = match &because {
                Some(rule) => rule.clone(),
                None => {
                    let rule = self.because(category, "counted in");
                    because = Some(rule.clone());
                    rule
                }
            };
            let mut text = String::new();
            if subtracted {
                text.push_str("subtracted: ");
            }
            if membership == Tri::Unknown {
                text.push_str("possibly ");
            }
            text.push_str(&rule);
            text.push_str(&weight_text);
            tally.contributors.push(Counted {
                term,
                holding: index,
                contributor: Contributor {
                    holding: holding.name.clone(),
                    count: contribution,
                    because: text,
                },
            });
        }
        Ok(total)
    }

    /// A holding's weight in a sum, and how to say it.
    fn weight(
        &self,
        weight: &'a Weight,
        cx: Cx<'a>,
        notes: &mut Vec<String>,
    ) -> Result<(Interval, String), Fault> {
        match weight {
            Weight::Const(value) => Ok((Interval::exact(*value), format!(", × {value}"))),
            Weight::Attribute(access) => {
                let name = self.access_name(*access);
                let mut sink = Sink::on();
                let value = self.value_of(*access, cx, &mut sink)?;
                let factor = match value {
                    Val::Unknown => {
                        notes.extend(sink.into_notes());
                        Interval::UNKNOWN
                    }
                    Val::Num { min, max } => {
                        if !min.is_finite()
                            || !max.is_finite()
                            || min < 0.0
                            || min.fract() != 0.0
                            || max.fract() != 0.0
                        {
                            return Err(Fault::Weight {
                                holding: cx.holding.map_or_else(String::new, |h| h.name.clone()),
                                detail: format!("`{name}` is {}", number_range(min, max, None)),
                            });
                        }
                        if !min.eq(&max) {
                            notes.extend(sink.into_notes());
                        }
                        Interval {
                            min: to_count(min)?,
                            max: Some(to_count(max)?),
                        }
                    }
                    other => return inconsistent(format!("{other:?} used as a weight")),
                };
                Ok((factor, format!(", weighted by {name} = {factor}")))
            }
        }
    }

    /// How an attribute access is written (`type.warheads`).
    fn access_name(&self, access: Access) -> String {
        let vocabulary = &self.model.vocabulary;
        let holding = |slot: usize| {
            vocabulary
                .holding_attributes
                .get(slot)
                .map_or_else(|| format!("#{slot}"), |a| a.name.clone())
        };
        let ty = |slot: usize| {
            vocabulary
                .type_attributes
                .get(slot)
                .map_or_else(|| format!("#{slot}"), |a| a.name.clone())
        };
        match access {
            Access::Holding(slot) => holding(slot),
            Access::Type(slot) => ty(slot),
            Access::ViaReference {
                reference,
                attribute,
            } => format!("{}.{}", holding(reference), ty(attribute)),
            Access::ReferenceName { reference } => format!("{}.name", holding(reference)),
            Access::Name => "name".to_string(),
            Access::Party => "party".to_string(),
        }
    }

    /// "counted in `cat`: holdings where … (reading `r` is `v`)": the branch in force and what
    /// selected it.
    fn because(&self, category: usize, verb: &str) -> String {
        let Some(cat) = self.model.categories.get(category) else {
            return format!("{verb} category #{category}");
        };
        let describe = |index: usize| -> String {
            let Some(branch) = cat.branches.get(index) else {
                return String::new();
            };
            let selection = if branch.text.starts_with("holdings") {
                branch.text.clone()
            } else {
                format!("holdings where {}", branch.text)
            };
            let mut text = match &branch.condition_text {
                Some(condition) if index > 0 => format!("when {condition}: {selection}"),
                _ => selection,
            };
            // What selected this branch: the packages and readings of the conditions that were
            // weighed (every exception before it, and itself).
            let mut refs = Refs::default();
            let last = if index == 0 {
                cat.branches.len()
            } else {
                index.saturating_add(1)
            };
            for weighed in cat.branches.iter().take(last).skip(1) {
                if let Some(condition) = &weighed.condition {
                    refs.collect(condition, 0);
                }
            }
            let selectors = self.selectors(&refs);
            if !selectors.is_empty() {
                text.push_str(" (");
                text.push_str(&selectors.join("; "));
                text.push(')');
            }
            text
        };
        match self.choices.get(category) {
            Some(Choice::Branch(index)) => format!("{verb} `{}`: {}", cat.name, describe(*index)),
            Some(Choice::Undecided(candidates, _)) => {
                let texts: Vec<String> = candidates.iter().map(|&i| describe(i)).collect();
                format!("{verb} `{}` under one of: {}", cat.name, texts.join(" | "))
            }
            None => format!("{verb} `{}`", cat.name),
        }
    }

    /// How the packages and readings in `refs` stand in this world.
    fn selectors(&self, refs: &Refs) -> Vec<String> {
        let mut out = Vec::new();
        for &package in &refs.packages {
            let name = self
                .model
                .packages
                .get(package)
                .map_or_else(|| format!("#{package}"), |p| p.name.clone());
            let text = match self.facts.packages.get(package) {
                Some(PackageState::Stated(status)) => {
                    format!("package `{name}` is {}", status.as_str())
                }
                _ => match self.assumed.get(package).copied().flatten() {
                    Some(true) => format!("package `{name}` is not stated; assumed agreed"),
                    Some(false) => format!("package `{name}` is not stated; assumed not agreed"),
                    None => format!("package `{name}` is not stated"),
                },
            };
            out.push(text);
        }
        for &reading in &refs.readings {
            if let (Some(r), Some(&chosen)) =
                (self.model.readings.get(reading), self.readings.get(reading))
            {
                let variant = r
                    .variants
                    .get(chosen)
                    .map_or_else(|| format!("#{chosen}"), |v| v.name.clone());
                out.push(format!("reading `{}` is `{variant}`", r.name));
            }
        }
        out
    }

    // ── Provisions ──

    /// The verdict of a provision's rule in this world, its conditions aside.
    fn rule(&self, provision: &'a Provision) -> Result<Outcome, Fault> {
        match &provision.rule {
            Rule::None => Ok(Outcome::plain(Verdict::NotEvaluable)),
            Rule::Limit {
                quantity,
                comparison,
                bounds,
                ..
            } => {
                let Some((bound, replaced)) = bound_in_force(bounds, self.facts.date) else {
                    return Ok(Outcome::plain(Verdict::NotInForce));
                };
                let mut tally = Tally::default();
                let q = self.quantity(quantity, &mut tally, false, 0)?;
                let (verdict, excess) = judge(q, *comparison, bound.value);
                Ok(Outcome {
                    verdict,
                    quantity: Some(q),
                    bound: Some(BoundReport {
                        op: comparison.symbol().to_string(),
                        value: bound.value,
                        from: if replaced { bound.from } else { None },
                    }),
                    excess,
                    contributors: tally.contributors,
                    unknowns: if verdict == Verdict::Undetermined {
                        tally.notes
                    } else {
                        Vec::new()
                    },
                })
            }
            Rule::Ban { category } => {
                let mut tally = Tally::default();
                let q = Amount::from(self.count(*category, None, &mut tally, false)?);
                let (verdict, excess) = judge(q, Comparison::AtMost, 0);
                Ok(Outcome {
                    verdict,
                    quantity: Some(q),
                    bound: None,
                    excess,
                    contributors: tally.contributors,
                    unknowns: if verdict == Verdict::Undetermined {
                        tally.notes
                    } else {
                        Vec::new()
                    },
                })
            }
            Rule::Assurance {
                category,
                requirement,
                text,
            } => self.assurance(*category, requirement, text),
        }
    }

    fn assurance(
        &self,
        category: usize,
        requirement: &'a Predicate,
        text: &str,
    ) -> Result<Outcome, Fault> {
        let mut violated = false;
        let mut open = false;
        let mut contributors = Vec::new();
        let mut unknowns = Vec::new();
        let rule = self.because(category, "in");
        for (index, holding) in self.facts.holdings.iter().enumerate() {
            if holding.party != self.party {
                continue;
            }
            let membership = self.member(category, index, holding, &mut Sink::off(), 0)?;
            if membership == Tri::False || holding.count.max == Some(0) {
                continue;
            }
            let cx = Cx::holding(index, holding);
            let holds = self.pred(requirement, cx, &mut Sink::off(), 0)?;
            let count = if membership == Tri::Unknown {
                Interval {
                    min: 0,
                    max: holding.count.max,
                }
            } else {
                holding.count
            };
            let status = match holds {
                Tri::True => "holds",
                Tri::False => "fails",
                Tri::Unknown => "is undetermined",
            };
            let prefix = if membership == Tri::Unknown {
                "possibly "
            } else {
                ""
            };
            contributors.push(Counted {
                term: 0,
                holding: index,
                contributor: Contributor {
                    holding: holding.name.clone(),
                    count,
                    because: format!("{prefix}{rule}; requirement `{text}` {status}"),
                },
            });
            if holds == Tri::True {
                continue;
            }
            if holds == Tri::False && membership == Tri::True && holding.count.min > 0 {
                violated = true;
                continue;
            }
            open = true;
            if membership == Tri::Unknown {
                let mut sink = Sink::on();
                self.member(category, index, holding, &mut sink, 0)?;
                unknowns.extend(sink.into_notes());
            }
            if holds == Tri::Unknown {
                let mut sink = Sink::on();
                self.pred(requirement, cx, &mut sink, 0)?;
                unknowns.extend(sink.into_notes());
            } else if holding.count.min == 0 {
                unknowns.push(format!("count of `{}` is {}", holding.name, holding.count));
            }
        }
        let verdict = if violated {
            Verdict::Violated
        } else if open {
            Verdict::Undetermined
        } else {
            Verdict::Complies
        };
        Ok(Outcome {
            verdict,
            quantity: None,
            bound: None,
            excess: None,
            contributors,
            unknowns: if verdict == Verdict::Undetermined {
                unknowns
            } else {
                Vec::new()
            },
        })
    }

    /// The provision's conditions and rule in this world.
    fn provision(&self, provision: &'a Provision) -> Result<Outcome, Fault> {
        let mut sink = Sink::on();
        let mut holds = Tri::True;
        for condition in &provision.conditions {
            let mark = sink.mark();
            let this = self.pred(condition, Cx::NONE, &mut sink, 0)?;
            sink.keep_if(mark, this.is_unknown());
            holds = holds.and(this);
        }
        match holds {
            Tri::False => Ok(Outcome::plain(Verdict::NotApplicable)),
            Tri::True => self.rule(provision),
            Tri::Unknown => {
                // Both branches: the rule applies, or the provision is not applicable.
                let mut outcome = self.rule(provision)?;
                let verdict = join_verdicts([outcome.verdict, Verdict::NotApplicable]);
                if verdict == Verdict::Undetermined {
                    let mut unknowns = sink.into_notes();
                    unknowns.append(&mut outcome.unknowns);
                    outcome.unknowns = unknowns;
                } else {
                    outcome.unknowns.clear();
                }
                if verdict != Verdict::Violated {
                    outcome.excess = None;
                }
                outcome.verdict = verdict;
                Ok(outcome)
            }
        }
    }
}

/// Contributors and unknown values met while computing a quantity.
#[derive(Default)]
struct Tally {
    contributors: Vec<Counted>,
    notes: Vec<String>,
    /// How many `count of`/`sum of` terms have been evaluated: numbers each contributor's term.
    terms: usize,
}

/// A contributor, with the term of the quantity and the holding (index into the facts) it
/// belongs to, so that the contributors of several worlds can be merged.
#[derive(Debug, Clone)]
struct Counted {
    term: usize,
    holding: usize,
    contributor: Contributor,
}

/// The evaluation of one provision in one world.
#[derive(Debug, Clone)]
struct Outcome {
    verdict: Verdict,
    quantity: Option<Amount>,
    bound: Option<BoundReport>,
    excess: Option<u64>,
    contributors: Vec<Counted>,
    unknowns: Vec<String>,
}

impl Outcome {
    fn plain(verdict: Verdict) -> Outcome {
        Outcome {
            verdict,
            quantity: None,
            bound: None,
            excess: None,
            contributors: Vec::new(),
            unknowns: Vec::new(),
        }
    }
}

/// Packages and readings an expression refers to.
#[derive(Default)]
struct Refs {
    packages: BTreeSet<usize>,
    readings: BTreeSet<usize>,
    categories: BTreeSet<usize>,
}

impl Refs {
    fn collect(&mut self, p: &Predicate, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let next = depth.saturating_add(1);
        match p {
            Predicate::Const(_)
            | Predicate::Attribute(_)
            | Predicate::Compare { .. }
            | Predicate::InSet { .. }
            | Predicate::InRange { .. } => {}
            Predicate::Not(inner) => self.collect(inner, next),
            Predicate::And(left, right) | Predicate::Or(left, right) => {
                self.collect(left, next);
                self.collect(right, next);
            }
            Predicate::Quantified { body, .. } => self.collect(body, next),
            Predicate::Package { package, .. } => {
                self.packages.insert(*package);
            }
            Predicate::Reading { reading, .. } => {
                self.readings.insert(*reading);
            }
            Predicate::InCategory(category) => {
                self.categories.insert(*category);
            }
        }
    }

    fn collect_quantity(&mut self, q: &Quantity, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match q {
            Quantity::Const(_) => {}
            Quantity::Count(category) | Quantity::Sum { category, .. } => {
                self.categories.insert(*category);
            }
            Quantity::Arithmetic { left, right, .. } => {
                self.collect_quantity(left, depth.saturating_add(1));
                self.collect_quantity(right, depth.saturating_add(1));
            }
        }
    }

    /// Close over categories: their branch conditions and selections.
    fn close(&mut self, model: &Model) {
        let mut done = BTreeSet::new();
        while let Some(&category) = self.categories.iter().find(|c| !done.contains(*c)) {
            done.insert(category);
            if let Some(cat) = model.categories.get(category) {
                for branch in &cat.branches {
                    if let Some(condition) = &branch.condition {
                        self.collect(condition, 0);
                    }
                    self.collect(&branch.selection, 0);
                }
            }
        }
    }
}

/// The unstated packages a provision's verdict may depend on, in package order.
fn unstated_packages(model: &Model, facts: &Facts, provision: &Provision) -> Vec<usize> {
    let mut refs = Refs::default();
    for condition in &provision.conditions {
        refs.collect(condition, 0);
    }
    match &provision.rule {
        Rule::Limit { quantity, .. } => refs.collect_quantity(quantity, 0),
        Rule::Ban { category } => {
            refs.categories.insert(*category);
        }
        Rule::Assurance {
            category,
            requirement,
            ..
        } => {
            refs.categories.insert(*category);
            refs.collect(requirement, 0);
        }
        Rule::None => {}
    }
    refs.close(model);
    refs.packages
        .into_iter()
        .filter(|&p| !matches!(facts.packages.get(p), Some(PackageState::Stated(_))))
        .collect()
}

fn evaluate_provision(
    model: &Model,
    facts: &Facts,
    readings: &[usize],
    party: usize,
    provision: &Provision,
) -> Result<ProvisionReport, EvalError> {
    let mut report = ProvisionReport {
        id: provision.id.clone(),
        kind: provision.kind,
        verdict: Verdict::NotEvaluable,
        label: provision.label.clone(),
        rule: rule_text(model, provision),
        quantity: None,
        bound: None,
        excess: None,
        quotes: provision.quotes.iter().map(|q| q.text.clone()).collect(),
        notes: provision.notes.clone(),
        conditions: provision.condition_texts.clone(),
        contributors: Vec::new(),
        unknowns: Vec::new(),
        by_reading: None,
        depends_on_reading: None,
    };
    if !provision.period.contains(facts.date) {
        report.verdict = Verdict::NotInForce;
        return Ok(report);
    }
    if provision.kind == ProvisionKind::Statement || matches!(provision.rule, Rule::None) {
        report.verdict = Verdict::NotEvaluable;
        return Ok(report);
    }
    let unstated = unstated_packages(model, facts, provision);
    let enumerated: Vec<usize> = unstated
        .iter()
        .copied()
        .take(MAX_ASSUMED_PACKAGES)
        .collect();
    let worlds = 1usize << enumerated.len();
    let mut outcomes = Vec::with_capacity(worlds);
    for mask in 0..worlds {
        let mut assumed = vec![None; model.packages.len()];
        for (bit, &package) in enumerated.iter().enumerate() {
            if let Some(slot) = assumed.get_mut(package) {
                *slot = Some(mask & (1usize << bit) != 0);
            }
        }
        let outcome = World::new(model, facts, party, readings, assumed)
            .and_then(|world| world.provision(provision))
            .map_err(|fault| fault.into_error(provision, party_name(model, party)))?;
        outcomes.push(outcome);
    }
    let outcome = join_outcomes(model, &enumerated, outcomes);
    report.verdict = outcome.verdict;
    report.quantity = outcome.quantity;
    report.bound = outcome.bound;
    report.excess = outcome.excess;
    report.contributors = outcome
        .contributors
        .into_iter()
        .map(|c| c.contributor)
        .collect();
    report.unknowns = dedup(outcome.unknowns);
    Ok(report)
}

/// Join the outcomes of every assumption about the enumerated packages (world `mask`: bit `i`
/// set when `enumerated[i]` is assumed agreed).
fn join_outcomes(model: &Model, enumerated: &[usize], outcomes: Vec<Outcome>) -> Outcome {
    if outcomes.len() == 1 {
        if let Some(only) = outcomes.into_iter().next() {
            return only;
        }
        return Outcome::plain(Verdict::NotEvaluable);
    }
    let verdicts: Vec<Verdict> = outcomes.iter().map(|o| o.verdict).collect();
    let verdict = join_verdicts(verdicts.iter().copied());
    let mut joined = Outcome::plain(verdict);
    for outcome in &outcomes {
        if let Some(q) = outcome.quantity {
            joined.quantity = Some(joined.quantity.map_or(q, |j| j.hull(q)));
        }
        if joined.bound.is_none() {
            joined.bound.clone_from(&outcome.bound);
        }
    }
    joined.contributors = merge_contributors(&outcomes);
    if verdict == Verdict::Violated {
        joined.excess = outcomes.iter().filter_map(|o| o.excess).min();
    }
    if verdict == Verdict::Undetermined {
        let differ = verdicts.iter().any(|v| Some(v) != verdicts.first());
        if differ {
            joined
                .unknowns
                .extend(deciding_packages(model, enumerated, &verdicts));
        }
        for outcome in &outcomes {
            if outcome.verdict == Verdict::Undetermined {
                joined.unknowns.extend(outcome.unknowns.iter().cloned());
            }
        }
    }
    joined
}

/// The contributors of every world, one entry per holding and term: its count is the hull over
/// the worlds (with zero when it does not count in some), its reasons every distinct one.
fn merge_contributors(outcomes: &[Outcome]) -> Vec<Counted> {
    struct Merged {
        counted: Counted,
        worlds: usize,
        reasons: Vec<String>,
    }
    let mut merged: Vec<Merged> = Vec::new();
    for outcome in outcomes {
        for counted in &outcome.contributors {
            let found = merged
                .iter_mut()
                .find(|m| m.counted.term == counted.term && m.counted.holding == counted.holding);
            match found {
                Some(entry) => {
                    entry.counted.contributor.count = entry
                        .counted
                        .contributor
                        .count
                        .hull(counted.contributor.count);
                    entry.worlds = entry.worlds.saturating_add(1);
                    if !entry.reasons.contains(&counted.contributor.because) {
                        entry.reasons.push(counted.contributor.because.clone());
                    }
                }
                None => merged.push(Merged {
                    counted: counted.clone(),
                    worlds: 1,
                    reasons: vec![counted.contributor.because.clone()],
                }),
            }
        }
    }
    merged.sort_by_key(|m| (m.counted.term, m.counted.holding));
    merged
        .into_iter()
        .map(|m| {
            let mut counted = m.counted;
            if m.worlds < outcomes.len() {
                counted.contributor.count = counted.contributor.count.hull(Interval::ZERO);
            }
            counted.contributor.because = m.reasons.join("; or ");
            counted
        })
        .collect()
}

/// The unstated packages whose state changes the verdict, and what each state gives.
fn deciding_packages(model: &Model, enumerated: &[usize], verdicts: &[Verdict]) -> Vec<String> {
    let name = |package: usize| {
        model
            .packages
            .get(package)
            .map_or_else(|| format!("#{package}"), |p| p.name.clone())
    };
    if let ([package], [not_agreed, agreed]) = (enumerated, verdicts) {
        return vec![format!(
            "package `{}` is not stated: {agreed} if agreed, {not_agreed} if not",
            name(*package)
        )];
    }
    let mut notes = Vec::new();
    for (bit, &package) in enumerated.iter().enumerate() {
        let flip = 1usize << bit;
        let decides = verdicts
            .iter()
            .enumerate()
            .any(|(mask, v)| verdicts.get(mask ^ flip).is_some_and(|other| other != v));
        if decides {
            notes.push(format!("package `{}` is not stated", name(package)));
        }
    }
    for (mask, verdict) in verdicts.iter().enumerate() {
        let states: Vec<String> = enumerated
            .iter()
            .enumerate()
            .map(|(bit, &package)| {
                let agreed = mask & (1usize << bit) != 0;
                format!(
                    "`{}` {}",
                    name(package),
                    if agreed { "agreed" } else { "not agreed" }
                )
            })
            .collect();
        notes.push(format!("if {}: {verdict}", states.join(", ")));
    }
    notes
}

/// The join of the verdicts of several branches: equal verdicts stay; `complies` with
/// `not_applicable` is `complies`; anything else is `undetermined`.
fn join_verdicts(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
    let mut joined: Option<Verdict> = None;
    for verdict in verdicts {
        joined = Some(match joined {
            None => verdict,
            Some(previous) if previous == verdict => verdict,
            Some(Verdict::Complies | Verdict::NotApplicable)
                if matches!(verdict, Verdict::Complies | Verdict::NotApplicable) =>
            {
                Verdict::Complies
            }
            Some(_) => Verdict::Undetermined,
        });
    }
    joined.unwrap_or(Verdict::NotEvaluable)
}

/// The bound in force at `date` and whether it replaced an earlier one.
fn bound_in_force(bounds: &[Bound], date: Date) -> Option<(Bound, bool)> {
    let mut found = None;
    for (index, bound) in bounds.iter().enumerate() {
        if bound.from.is_none_or(|from| from <= date) {
            found = Some((*bound, index > 0));
        }
    }
    found
}

/// The verdict of `q op bound`, and the least change of `q` that would comply when violated.
fn judge(q: Amount, op: Comparison, bound: u64) -> (Verdict, Option<u64>) {
    let bound = i128::from(bound);
    // What is known for certain: the quantity is at least `min` and at most `max`.
    let at_least = |n: i128| q.min.is_some_and(|m| m >= n);
    let at_most = |n: i128| q.max.is_some_and(|m| m <= n);
    // The least change of the quantity that would comply, as a count.
    let distance =
        |a: Option<i128>, b: i128| a.map(|a| u64::try_from(a.abs_diff(b)).unwrap_or(u64::MAX));
    match op {
        Comparison::AtMost if at_most(bound) => (Verdict::Complies, None),
        Comparison::AtMost if at_least(bound.saturating_add(1)) => {
            (Verdict::Violated, distance(q.min, bound))
        }
        Comparison::Less if at_most(bound.saturating_sub(1)) => (Verdict::Complies, None),
        Comparison::Less if at_least(bound) => (
            Verdict::Violated,
            distance(q.min, bound).map(|d| d.saturating_add(1)),
        ),
        Comparison::AtLeast if at_least(bound) => (Verdict::Complies, None),
        Comparison::AtLeast if at_most(bound.saturating_sub(1)) => {
            (Verdict::Violated, distance(q.max, bound))
        }
        Comparison::Greater if at_least(bound.saturating_add(1)) => (Verdict::Complies, None),
        Comparison::Greater if at_most(bound) => (
            Verdict::Violated,
            distance(q.max, bound).map(|d| d.saturating_add(1)),
        ),
        Comparison::Equal if q.is_exact() && q.min == Some(bound) => (Verdict::Complies, None),
        Comparison::Equal if at_least(bound.saturating_add(1)) => {
            (Verdict::Violated, distance(q.min, bound))
        }
        Comparison::Equal if at_most(bound.saturating_sub(1)) => {
            (Verdict::Violated, distance(q.max, bound))
        }
        Comparison::NotEqual if !q.contains(bound) => (Verdict::Complies, None),
        Comparison::NotEqual if q.is_exact() => (Verdict::Violated, Some(1)),
        _ => (Verdict::Undetermined, None),
    }
}

/// `[a1, a2] op [b1, b2]`: true if it holds for every pair of values, false if for none.
fn compare_numbers(op: Comparison, (a1, a2): (f64, f64), (b1, b2): (f64, f64)) -> Tri {
    match op {
        Comparison::AtMost => {
            if a2 <= b1 {
                Tri::True
            } else if a1 > b2 {
                Tri::False
            } else {
                Tri::Unknown
            }
        }
        Comparison::Less => {
            if a2 < b1 {
                Tri::True
            } else if a1 >= b2 {
                Tri::False
            } else {
                Tri::Unknown
            }
        }
        Comparison::AtLeast => compare_numbers(Comparison::AtMost, (b1, b2), (a1, a2)),
        Comparison::Greater => compare_numbers(Comparison::Less, (b1, b2), (a1, a2)),
        Comparison::Equal => {
            if a1 == a2 && b1 == b2 && a1 == b1 {
                Tri::True
            } else if a2 < b1 || a1 > b2 {
                Tri::False
            } else {
                Tri::Unknown
            }
        }
        Comparison::NotEqual => compare_numbers(Comparison::Equal, (a1, a2), (b1, b2)).not(),
    }
}

/// `[min, max] in low..high`: true if every value is inside, false if none is.
fn in_range(
    min: f64,
    max: f64,
    low: f64,
    low_inclusive: bool,
    high: f64,
    high_inclusive: bool,
) -> Tri {
    let above_low = |x: f64| x > low || (low_inclusive && x >= low);
    let below_high = |x: f64| x < high || (high_inclusive && x <= high);
    if above_low(min) && below_high(max) {
        Tri::True
    } else if !above_low(max) || !below_high(min) {
        Tri::False
    } else {
        Tri::Unknown
    }
}

fn to_count(value: f64) -> Result<u64, Fault> {
    // 2^64 as f64; every smaller non-negative whole f64 fits in u64.
    const LIMIT: f64 = 18_446_744_073_709_551_616.0;
    if (0.0..LIMIT).contains(&value) {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(value as u64)
    } else {
        Err(Fault::Overflow)
    }
}

fn attribute_name(attribute: Option<&AttributeDef>) -> &str {
    attribute.map_or("attribute", |a| a.name.as_str())
}

fn note_fact(sink: &mut Sink, fact: &Fact, owner: &str, attribute: Option<&AttributeDef>) {
    let how = if *fact == Fact::Unknown {
        "is unknown"
    } else {
        "is not stated"
    };
    sink.push(|| format!("`{owner}` {} {how}", attribute_name(attribute)));
}

fn package_not_stated(model: &Model, package: usize) -> String {
    match model.packages.get(package) {
        Some(p) => format!("package `{}` is not stated", p.name),
        None => format!("package #{package} is not stated"),
    }
}

/// `2200..5500 km`, in the unit the vocabulary names.
fn number_range(min: f64, max: f64, attribute: Option<&AttributeDef>) -> String {
    let (factor, unit) = match attribute.map(|a| &a.ty) {
        Some(AttributeType::Quantity { unit }) if unit.factor > 0.0 => {
            (unit.factor, Some(unit.symbol))
        }
        _ => (1.0, None),
    };
    let range = if min == max {
        number(min / factor)
    } else {
        format!("{}..{}", number(min / factor), number(max / factor))
    };
    match unit {
        Some(symbol) => format!("{range} {symbol}"),
        None => range,
    }
}

/// A number as people write it: no `.0` on whole numbers, at most three decimals otherwise.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn dedup(notes: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    notes
        .into_iter()
        .filter(|note| seen.insert(note.clone()))
        .collect()
}

/// The rule as a line of text: `count of delivery_vehicles <= 2400, then 2250 from 1981-01-01`.
fn rule_text(model: &Model, provision: &Provision) -> Option<String> {
    let category = |index: usize| {
        model
            .categories
            .get(index)
            .map_or_else(|| format!("#{index}"), |c| c.name.clone())
    };
    match &provision.rule {
        Rule::None => None,
        Rule::Limit {
            comparison,
            bounds,
            text,
            ..
        } => {
            let bounds: Vec<String> = bounds
                .iter()
                .map(|b| match b.from {
                    Some(from) => format!("{} from {from}", b.value),
                    None => b.value.to_string(),
                })
                .collect();
            Some(format!(
                "{text} {} {}",
                comparison.symbol(),
                bounds.join(", then ")
            ))
        }
        Rule::Ban { category: c } => Some(format!("no {}", category(*c))),
        Rule::Assurance {
            category: c, text, ..
        } => Some(format!("every {} has {text}", category(*c))),
    }
}
