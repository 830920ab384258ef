//! One provision evaluated in one world: a party, the readings, and what is assumed of the
//! packages the scenario does not state. This file holds the world and its predicates;
//! `values` the values they compare, `rules` the quantities and the provision's rule,
//! `readings` the readings that selections test.

mod fast;
mod linear;
mod readings;
mod rules;
mod values;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::err::{Fault, deeper, inconsistent};
use super::explain::{Sink, dedup, note_fact, package_not_stated};
use super::logic::{Tri, in_range};
use crate::lang::PackageStatus;
use crate::model::{Access, Model, PackageState, Predicate};
use crate::scenario::{Fact, Facts, Holding};

pub(in crate::eval) use fast::Program;
pub(super) use rules::Outcome;
use values::{Lookup, Val};

/// Memberships are memoised when categories × holdings is at most this: one byte each, so a
/// world's memo takes at most 64 MiB (the pages never touched are never allocated).
const MAX_MEMO: usize = 1 << 26;

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
    /// No holding and no weapon type: a provision's or a branch's condition.
    const NONE: Cx<'static> = Cx {
        holding: None,
        index: 0,
        ty: None,
    };

    /// Inside holding number `index`.
    fn holding(index: usize, holding: &Holding) -> Cx<'_> {
        Cx {
            holding: Some(holding),
            index,
            ty: None,
        }
    }
}

/// The memberships computed in a world: a byte per category × holding, and the explanations
/// of the few that were asked to explain themselves.
///
/// A byte, not a richer value: the table is as long as categories × holdings and is made for
/// every world, so it must cost nothing to create (zeroed pages) and little to fill.
#[derive(Debug, Default)]
struct Memo {
    /// By category × holding: 0 not computed yet, else [`Memo::code`] of the result.
    results: Vec<u8>,
    /// By category × holding: the notes on unknowns and the defaults read.
    notes: HashMap<usize, (Vec<String>, Vec<String>)>,
}

impl Memo {
    fn code(result: Tri) -> u8 {
        match result {
            Tri::False => 1,
            Tri::True => 2,
            Tri::Unknown => 3,
        }
    }

    fn result(&self, slot: usize) -> Option<Tri> {
        Memo::decode(*self.results.get(slot)?)
    }

    /// The result [`Memo::code`] wrote; `None` for "not computed yet".
    fn decode(code: u8) -> Option<Tri> {
        match code {
            1 => Some(Tri::False),
            2 => Some(Tri::True),
            3 => Some(Tri::Unknown),
            _ => None,
        }
    }
}

/// What an attribute the facts do not list is.
static NOT_STATED: Fact = Fact::NotStated;

/// The branch of a category in force in a world.
#[derive(Debug, Clone)]
pub(super) enum Choice {
    Branch(usize),
    /// Conditions are unknown: one of these branches applies.
    Undecided(Vec<usize>, Vec<String>),
}

/// Everything a provision is evaluated under: the party, the readings, and what is assumed of
/// packages the scenario does not state.
pub(super) struct World<'a> {
    pub(super) model: &'a Model,
    pub(super) facts: &'a Facts,
    party: usize,
    pub(super) readings: &'a [usize],
    /// By package: `Some(true)` assumed agreed, `Some(false)` assumed not agreed, `None`: not
    /// assumed (stated in the scenario, or beyond [`MAX_ASSUMED_PACKAGES`](super::MAX_ASSUMED_PACKAGES)).
    pub(super) assumed: Vec<Option<bool>>,
    /// By category: the branch in force.
    pub(super) choices: Vec<Choice>,
    /// Memberships computed so far. Categories refer to categories, so without it a chain of
    /// references could take exponential time; and the provisions of a party share their
    /// worlds (see [`Worlds`]), so each membership is computed once for all of them.
    memo: RefCell<Memo>,
    /// The vocabulary declares a default: contributors are explained with the defaults read.
    pub(super) has_defaults: bool,
    /// Keep the holdings counted and why (`false`: the verdicts are all that is asked for).
    pub(super) reasons: bool,
    /// The categories' selections compiled, for memberships asked without explanations.
    pub(super) program: Option<&'a Program<'a>>,
    /// The memberships of the categories that no assumption changes, shared by the worlds of
    /// a party (see [`Shared`]).
    shared: Option<Rc<Shared>>,
    /// By compiled node × weapon type: the truth of a body that reads the type alone (made
    /// when first needed; see `fast.rs`).
    by_type: RefCell<Vec<u8>>,
}

/// The memo of the categories whose memberships are the same in every world of a party: with
/// packages unstated, a provision is evaluated in two worlds, and most of the categories it
/// counts do not test the package.
#[derive(Debug)]
struct Shared {
    /// By category: its memberships are kept here, not in each world's memo.
    independent: Vec<bool>,
    memo: RefCell<Memo>,
}

/// The worlds of one party under one choice of readings, each made once and shared by the
/// party's provisions: a membership computed for one provision is known to the next.
pub(super) struct Worlds<'a> {
    pub(super) model: &'a Model,
    pub(super) facts: &'a Facts,
    pub(super) party: usize,
    readings: &'a [usize],
    /// Each with what it assumes of the unstated packages. A party has a few: found by a
    /// search, which costs less than hashing the assumptions.
    made: Vec<World<'a>>,
    /// Whether its worlds keep the holdings counted and why.
    reasons: bool,
    program: &'a Program<'a>,
    /// Made with the first world, for every world of the party.
    shared: Option<Rc<Shared>>,
}

impl<'a> Worlds<'a> {
    /// At most this many memo cells are kept across the worlds made (one byte each): past it,
    /// the worlds made so far are dropped and made again when asked for.
    const MAX_KEPT: usize = 1 << 28;

    /// No world made yet.
    pub(super) fn new(
        model: &'a Model,
        facts: &'a Facts,
        party: usize,
        readings: &'a [usize],
        program: &'a Program<'a>,
    ) -> Worlds<'a> {
        Worlds {
            model,
            facts,
            party,
            readings,
            made: Vec::new(),
            reasons: true,
            program,
            shared: None,
        }
    }

    /// The same worlds, keeping only what decides verdicts: no contributors, no reasons.
    pub(super) fn without_reasons(mut self) -> Worlds<'a> {
        self.reasons = false;
        self.made.clear();
        self
    }

    /// The world with the `assumed` states of unstated packages, made if it is not yet.
    pub(super) fn get(&mut self, assumed: Vec<Option<bool>>) -> Result<&World<'a>, Fault> {
        let cells = self
            .model
            .categories
            .len()
            .saturating_mul(self.facts.holdings.len());
        let found = self.made.iter().position(|world| world.assumed == assumed);
        let index = match found {
            Some(index) => index,
            None => {
                if self.made.len().saturating_add(1).saturating_mul(cells) > Self::MAX_KEPT {
                    self.made.clear();
                }
                if self.shared.is_none() {
                    let mut memo = Memo::default();
                    if cells <= MAX_MEMO {
                        memo.results = vec![0; cells];
                    }
                    self.shared = Some(Rc::new(Shared {
                        independent: super::packages::world_independent(
                            self.facts,
                            &self.program.category_packages,
                        ),
                        memo: RefCell::new(memo),
                    }));
                }
                let mut world =
                    World::new(self.model, self.facts, self.party, self.readings, assumed)?;
                world.reasons = self.reasons;
                world.program = Some(self.program);
                world.shared = self.shared.clone();
                self.made.push(world);
                self.made.len().saturating_sub(1)
            }
        };
        match self.made.get(index) {
            Some(world) => Ok(world),
            None => inconsistent("a world made and not kept"),
        }
    }
}

impl<'a> World<'a> {
    /// The world of `party` under `readings`, with the `assumed` states of unstated packages;
    /// each category's branch in force is chosen once, here.
    pub(super) fn new(
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
            memo: RefCell::new(Memo::default()),
            has_defaults: model
                .vocabulary
                .type_attributes
                .iter()
                .chain(&model.vocabulary.holding_attributes)
                .any(|a| a.default.is_some()),
            reasons: true,
            program: None,
            shared: None,
            by_type: RefCell::new(Vec::new()),
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
            world.memo.get_mut().results = vec![0; cells];
        }
        Ok(world)
    }

    /// The branch of `category` in force: the first exception whose condition holds, else the
    /// default; undecided among several when conditions before the deciding one are unknown.
    fn choose(&self, category: usize) -> Result<Choice, Fault> {
        // Without notes first: they are needed only when the choice is left undecided.
        match self.choose_with(category, Sink::off())? {
            Choice::Undecided(..) => self.choose_with(category, Sink::on()),
            decided => Ok(decided),
        }
    }

    /// [`World::choose`], the unknowns that leave it undecided noted in `sink`.
    fn choose_with(&self, category: usize, mut sink: Sink) -> Result<Choice, Fault> {
        let Some(cat) = self.model.categories.get(category) else {
            return inconsistent(format!("no category #{category}"));
        };
        if cat.branches.is_empty() {
            return inconsistent(format!("category `{}` has no definition", cat.name));
        }
        // Made only when a condition is unknown: most categories are decided at once.
        let mut candidates = Vec::new();
        for (index, branch) in cat.branches.iter().enumerate().skip(1) {
            let holds = match &branch.condition {
                Some(condition) => self.pred(condition, Cx::NONE, &mut sink, 0)?,
                None => Tri::True,
            };
            match holds {
                Tri::True if candidates.is_empty() => return Ok(Choice::Branch(index)),
                Tri::True => {
                    candidates.push(index);
                    return Ok(Choice::Undecided(candidates, sink.into_notes()));
                }
                Tri::False => {}
                Tri::Unknown => candidates.push(index),
            }
        }
        if candidates.is_empty() {
            return Ok(Choice::Branch(0));
        }
        candidates.push(0);
        Ok(Choice::Undecided(candidates, sink.into_notes()))
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

    /// Whether `p` holds in context `cx`.
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

    /// `every`/`any LIST has (body)`: the body for each weapon type of the list.
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

    /// Whether `package` has `status`: as stated, as assumed in this world, else unknown.
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
        let wants_notes = sink.notes.is_some();
        // The compiled selections answer the counting loop's questions (depth 0: not from
        // inside another expression, whose depth they do not track).
        if !wants_notes && depth == 0 {
            if let Some(result) = self.member_fast(category, index, holding, 0) {
                return Ok(result);
            }
        }
        let slot = self.slot(category, index);
        if let Some(result) = self.remembered(category, index) {
            if !wants_notes {
                return Ok(result);
            }
            if let (Some(slot), Ok(memo)) = (slot, self.memo_of(category).try_borrow()) {
                if let Some((notes, defaults)) = memo.notes.get(&slot) {
                    for note in notes {
                        sink.push(|| note.clone());
                    }
                    for default in defaults {
                        sink.default_used(|| default.clone());
                    }
                    return Ok(result);
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
        for default in &own.defaults {
            sink.default_used(|| default.clone());
        }
        self.remember(category, index, result);
        if let (Some(notes), Some(slot), Ok(mut memo)) =
            (own.notes, slot, self.memo_of(category).try_borrow_mut())
        {
            // Kept beside a result the memo keeps, not in a memo too large to keep any.
            if slot < memo.results.len() {
                memo.notes.insert(slot, (notes, own.defaults));
            }
        }
        Ok(result)
    }

    /// Where holding `index`'s membership in `category` is in its memo.
    fn slot(&self, category: usize, index: usize) -> Option<usize> {
        category
            .checked_mul(self.facts.holdings.len())?
            .checked_add(index)
    }

    /// Holding `index`'s membership in `category`, if it was computed (and its memo keeps
    /// results: one of more than [`MAX_MEMO`] cells keeps none).
    fn remembered(&self, category: usize, index: usize) -> Option<Tri> {
        let slot = self.slot(category, index)?;
        self.memo_of(category).try_borrow().ok()?.result(slot)
    }

    /// Keep holding `index`'s membership in `category`, where its memo keeps results.
    fn remember(&self, category: usize, index: usize, result: Tri) {
        let slot = self.slot(category, index);
        if let (Some(slot), Ok(mut memo)) = (slot, self.memo_of(category).try_borrow_mut()) {
            if let Some(entry) = memo.results.get_mut(slot) {
                *entry = Memo::code(result);
            }
        }
    }

    /// Where the memberships of `category` are kept: in the party's shared memo when no
    /// assumption changes them, else in this world's.
    fn memo_of(&self, category: usize) -> &RefCell<Memo> {
        match &self.shared {
            Some(shared) if shared.independent.get(category) == Some(&true) => &shared.memo,
            _ => &self.memo,
        }
    }

    /// Whether the holding is in the category, under the branch in force (or every candidate
    /// branch, when undecided): not memoised, see [`World::member`].
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
}
