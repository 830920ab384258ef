//! Memberships without explanations, the counting loop's question: the categories'
//! selections compiled once per model (by `eval::Evaluator`) into a flat program of nodes
//! whose attribute accesses are slots, evaluated to a bare truth value.
//!
//! The program only navigates: every leaf is judged by the same functions as
//! [`World::pred`] (`in_set`, `compare`, `in_range`), and anything it does not handle (a
//! default, a party, arithmetic, a fact of an unexpected kind, a deep expression) makes it
//! give up, and the membership is computed by the tree walker as before. So a result it gives
//! is the walker's, and a membership that fails still fails with the walker's error.

use std::sync::Arc;

use super::values::Val;
use super::{Choice, Cx, NOT_STATED, World};
use crate::eval::explain::{Sink, static_reason};
use crate::eval::logic::{Tri, compare_numbers, in_range};
use crate::lang::Comparison;
use crate::model::{Access, Model, Predicate, Scalar, Value};
use crate::scenario::{Fact, Holding};

/// Nodes nest at most this deep in evaluation (categories referring to categories included):
/// well inside [`crate::eval::MAX_DEPTH`], so that no membership the walker would refuse as
/// too deep gets an answer here.
const MAX_FAST_DEPTH: usize = 48;

/// From this many holdings on, a holding's memberships in the categories of one memo are
/// computed together ([`World::fill`]): below it the facts stay in the cache anyway, and
/// memberships no provision asks for would be computed for nothing. (From the first in unit
/// tests, so that their check against the walker covers it.)
const FILL_FROM: usize = if cfg!(test) { 1 } else { 16_384 };

/// At most this many truths of type-only bodies are kept per world (a byte each).
const MAX_BY_TYPE: usize = 1 << 24;

/// A model's categories made ready for evaluation: their selections compiled, and what else
/// about them depends on the model alone (the packages they test, the reasons no world
/// changes).
#[derive(Debug)]
pub(in crate::eval) struct Program<'a> {
    nodes: Vec<Node<'a>>,
    /// By category: where its branches' roots start in `roots`.
    first_branch: Vec<usize>,
    /// By category and branch: the root of its selection, if it compiled.
    roots: Vec<Option<usize>>,
    /// No selection of the model tests a reading (the usual case: readings choose branches
    /// in their conditions), so no count need look for holdings a reading left out.
    pub(super) no_reading_in_selections: bool,
    /// By category: the packages its definitions test (see `packages::category_packages`).
    pub(super) category_packages: Vec<Vec<usize>>,
    /// By category and branch (as `roots`): why a holding counts (`counted in …`) and is
    /// covered (`in …`), where no world changes it.
    reasons: Vec<[Option<Arc<str>>; 2]>,
}

/// The verbs of [`Program::reasons`], in order.
const VERBS: [&str; 2] = ["counted in", "in"];

/// One step of a selection; children are indices into [`Program::nodes`].
#[derive(Debug, Clone, Copy)]
enum Node<'a> {
    Const(Tri),
    Not(usize),
    And(usize, usize),
    Or(usize, usize),
    /// A boolean attribute.
    Flag(Access),
    In {
        value: Access,
        items: &'a [Scalar],
        /// The items as a set of enumeration values, when they all are (and below 64).
        enums: Option<u64>,
    },
    Compare {
        op: Comparison,
        left: Operand<'a>,
        right: Operand<'a>,
    },
    Range {
        value: Access,
        low: f64,
        low_inclusive: bool,
        high: f64,
        high_inclusive: bool,
    },
    /// `every`/`any` weapon type of a holding's list attribute `list`.
    Quantified {
        every: bool,
        list: usize,
        body: usize,
        /// The body reads the weapon type alone: its truth for each type is kept (see
        /// [`World::for_type`]), as a thousand holdings may list the same few types.
        by_type: bool,
    },
    Member(usize),
}

#[derive(Debug, Clone, Copy)]
enum Operand<'a> {
    Const(&'a Scalar),
    Attribute(Access),
}

impl<'a> Program<'a> {
    /// Every branch of every category of `model` that compiles.
    pub(in crate::eval) fn compile(model: &'a Model) -> Program<'a> {
        let mut program = Program {
            nodes: Vec::new(),
            first_branch: Vec::with_capacity(model.categories.len()),
            roots: Vec::new(),
            no_reading_in_selections: true,
            category_packages: (0..model.categories.len())
                .map(|category| crate::eval::packages::category_packages(model, category))
                .collect(),
            reasons: Vec::new(),
        };
        for category in &model.categories {
            program.first_branch.push(program.roots.len());
            for branch in &category.branches {
                let root = program.node(&branch.selection, 0);
                program.roots.push(root);
                // As `World::selection_readings` looks for them (categories it refers to are
                // branches of this loop too).
                let (mut readings, mut referred) = (std::collections::BTreeSet::new(), Vec::new());
                super::readings::tested(&branch.selection, &mut readings, &mut referred, 0);
                if !readings.is_empty() {
                    program.no_reading_in_selections = false;
                }
            }
        }
        let readings_in_selections = !program.no_reading_in_selections;
        for category in &model.categories {
            for index in 0..category.branches.len() {
                program.reasons.push(
                    VERBS.map(|verb| static_reason(category, index, verb, readings_in_selections)),
                );
            }
        }
        program
    }

    /// Why a holding counts in (or is covered by) `branch` of `category`, when it is said
    /// the same in every world.
    pub(in crate::eval) fn reason(
        &self,
        category: usize,
        branch: usize,
        verb: &str,
    ) -> Option<Arc<str>> {
        let first = self.first_branch.get(category)?;
        let verb = VERBS.iter().position(|v| *v == verb)?;
        let reasons = self.reasons.get(first.checked_add(branch)?)?;
        reasons.get(verb)?.clone()
    }

    /// Whether `node` reads nothing but the weapon type in context (and constants).
    fn reads_type_alone(&self, node: usize, depth: usize) -> bool {
        if depth > MAX_FAST_DEPTH {
            return false;
        }
        let next = depth.saturating_add(1);
        let alone = |access: Access| matches!(access, Access::Type(_) | Access::Name);
        match self.nodes.get(node) {
            Some(Node::Const(_)) => true,
            Some(Node::Not(inner)) => self.reads_type_alone(*inner, next),
            Some(Node::And(left, right) | Node::Or(left, right)) => {
                self.reads_type_alone(*left, next) && self.reads_type_alone(*right, next)
            }
            Some(Node::Flag(access) | Node::In { value: access, .. }) => alone(*access),
            Some(Node::Range { value, .. }) => alone(*value),
            Some(Node::Compare { left, right, .. }) => [left, right].iter().all(|o| match o {
                Operand::Const(_) => true,
                Operand::Attribute(access) => alone(*access),
            }),
            Some(Node::Quantified { .. } | Node::Member(_)) | None => false,
        }
    }

    /// The same program with no selection compiled: every membership is asked of the walker
    /// (what the unit tests compare the compiled selections with).
    #[cfg(test)]
    pub(in crate::eval) fn walker_only(model: &'a Model) -> Program<'a> {
        let mut program = Program::compile(model);
        program.roots.iter_mut().for_each(|root| *root = None);
        program.no_reading_in_selections = false;
        program.reasons.clear();
        program
    }

    /// The root of `branch` of `category`, if it compiled.
    fn root(&self, category: usize, branch: usize) -> Option<usize> {
        let first = self.first_branch.get(category)?;
        *self.roots.get(first.checked_add(branch)?)?
    }

    /// `p` as nodes; `None` where some part of it is not handled here.
    fn node(&mut self, p: &'a Predicate, depth: usize) -> Option<usize> {
        if depth > MAX_FAST_DEPTH {
            return None;
        }
        let next = depth.saturating_add(1);
        let node = match p {
            Predicate::Const(value) => Node::Const(Tri::from_bool(*value)),
            Predicate::Attribute(access) => Node::Flag(attribute(*access)?),
            Predicate::Not(inner) => Node::Not(self.node(inner, next)?),
            Predicate::And(left, right) => {
                Node::And(self.node(left, next)?, self.node(right, next)?)
            }
            Predicate::Or(left, right) => Node::Or(self.node(left, next)?, self.node(right, next)?),
            Predicate::Compare { op, left, right } => Node::Compare {
                op: *op,
                left: operand(left)?,
                right: operand(right)?,
            },
            Predicate::InSet { value, items } => Node::In {
                value: value_attribute(value)?,
                items,
                enums: items.iter().try_fold(0u64, |set, item| match item {
                    Scalar::Enum(value) => {
                        Some(set | 1u64.checked_shl(u32::try_from(*value).ok()?)?)
                    }
                    _ => None,
                }),
            },
            Predicate::InRange {
                value,
                low,
                low_inclusive,
                high,
                high_inclusive,
            } => Node::Range {
                value: value_attribute(value)?,
                low: *low,
                low_inclusive: *low_inclusive,
                high: *high,
                high_inclusive: *high_inclusive,
            },
            Predicate::Quantified { every, list, body } => match list {
                Access::Holding(list) => {
                    let body = self.node(body, next)?;
                    Node::Quantified {
                        every: *every,
                        list: *list,
                        body,
                        by_type: self.reads_type_alone(body, next),
                    }
                }
                _ => return None,
            },
            Predicate::InCategory(category) => Node::Member(*category),
            // Packages and readings are decided per world, before any holding is counted.
            Predicate::Package { .. } | Predicate::Reading { .. } => return None,
        };
        self.nodes.push(node);
        Some(self.nodes.len().saturating_sub(1))
    }
}

/// An attribute the program reads itself: not `party`, whose comparisons with names need the
/// model.
fn attribute(access: Access) -> Option<Access> {
    match access {
        Access::Party => None,
        other => Some(other),
    }
}

fn value_attribute(value: &Value) -> Option<Access> {
    match value {
        Value::Attribute(access) => attribute(*access),
        _ => None,
    }
}

fn operand(value: &Value) -> Option<Operand<'_>> {
    match value {
        Value::Const(scalar) => Some(Operand::Const(scalar)),
        Value::Attribute(access) => attribute(*access).map(Operand::Attribute),
        Value::ScenarioDate | Value::Arithmetic { .. } => None,
    }
}

impl<'a> World<'a> {
    /// Whether holding number `index` is in `category`, by the program; memoised as
    /// [`World::member`]. `None`: the program cannot say, ask the walker.
    pub(super) fn member_fast(
        &self,
        category: usize,
        index: usize,
        holding: &'a Holding,
        depth: usize,
    ) -> Option<Tri> {
        let program = self.program?;
        if depth > MAX_FAST_DEPTH {
            return None;
        }
        if let Some(result) = self.remembered(category, index) {
            return Some(result);
        }
        let result = self.compute(program, category, index, holding, depth)?;
        if depth == 0 && self.facts.holdings.len() >= FILL_FROM {
            self.fill(program, category, index, holding);
        }
        Some(result)
    }

    /// Holding `index`'s membership in `category` by the program, kept in the memo.
    fn compute(
        &self,
        program: &Program<'a>,
        category: usize,
        index: usize,
        holding: &'a Holding,
        depth: usize,
    ) -> Option<Tri> {
        let Some(Choice::Branch(branch)) = self.choices.get(category) else {
            return None;
        };
        let root = program.root(category, *branch)?;
        let result = self.run(
            program,
            root,
            Cx::holding(index, holding),
            depth.saturating_add(1),
        )?;
        self.remember(category, index, result);
        Some(result)
    }

    /// The memberships of holding `index` in the other categories kept in the same memo as
    /// `category`, while its facts are in the cache: the counting loop asks for them one
    /// category at a time, each a pass over every holding, and at a million holdings the
    /// passes mostly wait for memory. One the program cannot judge is left to be asked.
    fn fill(&self, program: &Program<'a>, category: usize, index: usize, holding: &'a Holding) {
        let memo = self.memo_of(category);
        // A memo too large to keep results would only compute them for nothing.
        if memo
            .try_borrow()
            .map_or(true, |memo| memo.results.is_empty())
        {
            return;
        }
        for other in 0..self.choices.len() {
            let shares_memo = std::ptr::eq(self.memo_of(other), memo);
            if other == category || !shares_memo || self.remembered(other, index).is_some() {
                continue;
            }
            // What the program cannot judge is computed when it is asked for.
            let _ = self.compute(program, other, index, holding, 0);
        }
    }

    /// The truth of `node` in context `cx`.
    fn run(&self, program: &Program<'a>, node: usize, cx: Cx<'a>, depth: usize) -> Option<Tri> {
        if depth > MAX_FAST_DEPTH {
            return None;
        }
        let next = depth.saturating_add(1);
        Some(match *program.nodes.get(node)? {
            Node::Const(value) => value,
            Node::Not(inner) => self.run(program, inner, cx, next)?.not(),
            Node::And(left, right) => match self.run(program, left, cx, next)? {
                Tri::False => Tri::False,
                l => l.and(self.run(program, right, cx, next)?),
            },
            Node::Or(left, right) => match self.run(program, left, cx, next)? {
                Tri::True => Tri::True,
                l => l.or(self.run(program, right, cx, next)?),
            },
            Node::Flag(access) => match self.fetch(access, cx)? {
                Val::Bool(value) => Tri::from_bool(value),
                Val::Unknown => Tri::Unknown,
                _ => return None,
            },
            Node::In {
                value,
                items,
                enums,
            } => match (self.fetch(value, cx)?, enums) {
                // What `in_set` finds, by one test instead of a walk through the items.
                (Val::Enum(value), Some(set)) => Tri::from_bool(
                    u32::try_from(value)
                        .ok()
                        .and_then(|bit| 1u64.checked_shl(bit))
                        .is_some_and(|bit| set & bit != 0),
                ),
                (value, _) => self.in_set(value, items),
            },
            Node::Compare { op, left, right } => {
                match (self.operand(left, cx)?, self.operand(right, cx)?) {
                    (Val::Num { min: a, max: b }, Val::Num { min: c, max: d }) => {
                        compare_numbers(op, (a, b), (c, d))
                    }
                    (l, r) => self.compare(op, l, r).ok()?,
                }
            }
            Node::Range {
                value,
                low,
                low_inclusive,
                high,
                high_inclusive,
            } => match self.fetch(value, cx)? {
                Val::Unknown => Tri::Unknown,
                Val::Num { min, max } => {
                    in_range(min, max, low, low_inclusive, high, high_inclusive)
                }
                _ => return None,
            },
            Node::Quantified {
                every,
                list,
                body,
                by_type,
            } => {
                let holding = cx.holding?;
                let types = match holding.attributes.get(list).unwrap_or(&NOT_STATED) {
                    Fact::List(types) => types,
                    Fact::NotStated | Fact::Unknown => return Some(Tri::Unknown),
                    _ => return None,
                };
                let mut result = Tri::from_bool(every);
                for &ty in types {
                    let inner = Cx { ty: Some(ty), ..cx };
                    let holds = if by_type {
                        self.for_type(program, body, inner, next)?
                    } else {
                        self.run(program, body, inner, next)?
                    };
                    result = if every {
                        result.and(holds)
                    } else {
                        result.or(holds)
                    };
                    if result == Tri::from_bool(!every) {
                        break;
                    }
                }
                result
            }
            Node::Member(category) => {
                let holding = cx.holding?;
                match self.member_fast(category, cx.index, holding, next) {
                    Some(result) => result,
                    // The walker, at a depth no smaller than its own would be.
                    None => self
                        .member(
                            category,
                            cx.index,
                            holding,
                            &mut Sink::off(),
                            next.saturating_mul(4),
                        )
                        .ok()?,
                }
            }
        })
    }

    /// The truth of `body`, which reads the weapon type alone, for the type in context:
    /// computed once per type in this world.
    fn for_type(
        &self,
        program: &Program<'a>,
        body: usize,
        cx: Cx<'a>,
        depth: usize,
    ) -> Option<Tri> {
        let slot = body
            .checked_mul(self.facts.types.len())
            .and_then(|base| base.checked_add(cx.ty?));
        if let (Some(slot), Ok(memo)) = (slot, self.by_type.try_borrow()) {
            if let Some(result) = memo.get(slot).and_then(|&code| super::Memo::decode(code)) {
                return Some(result);
            }
        }
        let result = self.run(program, body, cx, depth)?;
        if let Ok(mut memo) = self.by_type.try_borrow_mut() {
            if memo.is_empty() {
                let cells = program.nodes.len().saturating_mul(self.facts.types.len());
                memo.resize(cells.min(MAX_BY_TYPE), 0);
            }
            if let Some(entry) = slot.and_then(|slot| memo.get_mut(slot)) {
                *entry = super::Memo::code(result);
            }
        }
        Some(result)
    }

    fn operand(&self, operand: Operand<'a>, cx: Cx<'a>) -> Option<Val<'a>> {
        match operand {
            Operand::Const(scalar) => Some(super::values::constant(scalar)),
            Operand::Attribute(access) => self.fetch(access, cx),
        }
    }

    /// The value of an attribute, as [`World::value_of`] gives it when nothing is to be
    /// explained; `None` for what the walker must judge (a default, a fact of another kind).
    fn fetch(&self, access: Access, cx: Cx<'a>) -> Option<Val<'a>> {
        let fact = match access {
            Access::Holding(slot) => cx.holding?.attributes.get(slot).unwrap_or(&NOT_STATED),
            Access::ViaReference {
                reference,
                attribute,
            } => match self.reference(reference, cx)? {
                Some(ty) => ty.attributes.get(attribute).unwrap_or(&NOT_STATED),
                None => return Some(Val::Unknown),
            },
            Access::ReferenceName { reference } => {
                return Some(match self.reference(reference, cx)? {
                    Some(ty) => Val::Text(&ty.name),
                    None => Val::Unknown,
                });
            }
            Access::Type(slot) => self
                .facts
                .types
                .get(cx.ty?)?
                .attributes
                .get(slot)
                .unwrap_or(&NOT_STATED),
            Access::Name => {
                return Some(match cx.ty {
                    Some(index) => Val::Text(&self.facts.types.get(index)?.name),
                    None => Val::Text(&cx.holding?.name),
                });
            }
            Access::Party => return None,
        };
        Some(match fact {
            // A declared default stands in: the walker reads it.
            Fact::NotStated if self.has_defaults => return None,
            Fact::NotStated | Fact::Unknown => Val::Unknown,
            Fact::Bool(value) => Val::Bool(*value),
            Fact::Number { min, max } => Val::Num {
                min: *min,
                max: *max,
            },
            Fact::Date(date) => Val::Date(*date),
            Fact::Enum(value) => Val::Enum(*value),
            Fact::Reference(_) | Fact::List(_) => return None,
        })
    }

    /// The weapon type a holding's reference attribute points to: `Some(None)` when the
    /// scenario does not say.
    fn reference(
        &self,
        reference: usize,
        cx: Cx<'a>,
    ) -> Option<Option<&'a crate::scenario::WeaponType>> {
        match cx.holding?.attributes.get(reference).unwrap_or(&NOT_STATED) {
            Fact::Reference(index) => Some(Some(self.facts.types.get(*index)?)),
            Fact::NotStated | Fact::Unknown => Some(None),
            _ => None,
        }
    }
}
