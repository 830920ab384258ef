//! Quantities and rules in a world: counts and weighted sums over the party's holdings, and
//! the verdict of a limit, a ban or an assurance.

use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::Arc;

use super::values::Val;
use super::{Cx, World};
use crate::eval::contributors::{Because, Counted, WeightNote};
use crate::eval::err::{Fault, deeper, inconsistent};
use crate::eval::explain::{Sink, number_range};
use crate::eval::logic::{Tri, bound_in_force, join_verdicts, judge};
use crate::interval::{Amount, Interval};
use crate::lang::{Comparison, Verdict};
use crate::model::{ArithmeticOp, Predicate, Provision, Quantity, Rule, Weight};
use crate::report::BoundReport;

impl<'a> World<'a> {
    // ── Quantities ──

    /// The value of `q` for the party, its contributors and unknowns tallied; `subtracted`
    /// when the term is taken away from the total.
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
        // One reason for every holding the term counts: said once, shared.
        let mut rule: Option<Arc<str>> = None;
        let term = tally.terms;
        tally.terms = tally.terms.saturating_add(1);
        // The holdings left out are listed only when a reading may have left them out (and
        // reasons are asked for).
        let readings = if self.reasons {
            self.selection_readings(category)
        } else {
            std::collections::BTreeSet::new()
        };
        let mut left_out = Vec::new();
        for (index, holding) in self.facts.holdings.iter().enumerate() {
            if holding.party != self.party {
                continue;
            }
            let membership = self.member(category, index, holding, &mut Sink::off(), 0)?;
            if membership == Tri::False {
                if !readings.is_empty() {
                    left_out.push((index, holding));
                }
                continue;
            }
            let mut contribution = holding.count;
            let mut weight_note = None;
            let mut defaults = Vec::new();
            if let Some(weight) = weight {
                let (factor, note) = self.weight(
                    weight,
                    Cx::holding(index, holding),
                    &mut tally.notes,
                    &mut defaults,
                )?;
                contribution = contribution.checked_mul(factor).ok_or(Fault::Overflow)?;
                weight_note = Some(note);
            }
            if membership == Tri::Unknown {
                contribution = Interval {
                    min: 0,
                    max: contribution.max,
                };
            }
            if !self.reasons {
                total = total.checked_add(contribution).ok_or(Fault::Overflow)?;
                continue;
            }
            if self.has_defaults {
                // Again with the sink on: the defaults that decided.
                let mut sink = Sink::on();
                self.member(category, index, holding, &mut sink, 0)?;
                push_new(&mut defaults, sink.into_parts().1);
            }
            if membership == Tri::Unknown {
                // What leaves it open is said only if the verdict is left open.
                tally.notes.push(Note::Member { category, index });
            }
            if !holding.count.is_exact() {
                tally.notes.push(Note::CountOf(index));
            }
            total = total.checked_add(contribution).ok_or(Fault::Overflow)?;
            let rule = rule
                .get_or_insert_with(|| self.because(category, "counted in"))
                .clone();
            tally.contributors.push(Counted {
                term,
                holding: index,
                count: contribution,
                because: Because::Counted {
                    rule,
                    subtracted,
                    possibly: membership == Tri::Unknown,
                    weight: weight_note,
                },
                defaults,
            });
        }
        if !readings.is_empty() {
            self.excluded(category, term, &readings, &left_out, tally)?;
        }
        Ok(total)
    }

    /// The holdings `category` leaves out because of a reading its selection tests, and the
    /// variants under which they would count.
    fn excluded(
        &self,
        category: usize,
        term: usize,
        readings: &BTreeSet<usize>,
        left_out: &[(usize, &'a crate::scenario::Holding)],
        tally: &mut Tally,
    ) -> Result<(), Fault> {
        let name = self
            .model
            .categories
            .get(category)
            .map_or_else(|| format!("#{category}"), |c| c.name.clone());
        for (index, reason) in self.excluded_by_reading(category, readings, left_out)? {
            let Some(holding) = self.facts.holdings.get(index) else {
                continue;
            };
            tally.excluded.push(Counted {
                term,
                holding: index,
                count: holding.count,
                because: Because::Said(format!("not counted in `{name}`: {reason}")),
                defaults: Vec::new(),
            });
        }
        Ok(())
    }

    /// A holding's weight in a sum, and how to say it; the unknowns that leave it open go to
    /// `notes`, the defaults read to `defaults`.
    pub(super) fn weight(
        &self,
        weight: &'a Weight,
        cx: Cx<'a>,
        notes: &mut Vec<Note>,
        defaults: &mut Vec<String>,
    ) -> Result<(Interval, WeightNote), Fault> {
        let mut sink = Sink::on();
        let (name, value) = match weight {
            Weight::Const(value) => {
                return Ok((Interval::exact(*value), WeightNote::Times(*value)));
            }
            Weight::Attribute(access) => (
                self.access_name(*access),
                self.value_of(*access, cx, &mut sink)?,
            ),
            Weight::Expression { value, text } => {
                (text.clone(), self.value(value, cx, &mut sink, 0)?)
            }
        };
        push_new(defaults, std::mem::take(&mut sink.defaults));
        let factor = match value {
            Val::Unknown => {
                notes.extend(sink.into_notes().into_iter().map(Note::Said));
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
                        holding: cx.holding.map_or_else(String::new, |h| h.name.to_string()),
                        detail: format!("`{name}` is {}", number_range(min, max, None)),
                    });
                }
                if !min.eq(&max) {
                    notes.extend(sink.into_notes().into_iter().map(Note::Said));
                }
                Interval {
                    min: to_count(min)?,
                    max: Some(to_count(max)?),
                }
            }
            other => return inconsistent(format!("{other:?} used as a weight")),
        };
        Ok((
            factor,
            WeightNote::By {
                name: Rc::from(name),
                factor,
            },
        ))
    }

    // ── Provisions ──

    /// The verdict of a provision's rule in this world, its conditions aside; with a
    /// `declared` figure, also the verdict the rule gives it.
    pub(in crate::eval) fn rule(
        &self,
        provision: &'a Provision,
        declared: Option<Interval>,
    ) -> Result<Outcome, Fault> {
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
                    declared_verdict: declared
                        .map(|figure| judge(Amount::from(figure), *comparison, bound.value).0),
                    verdict,
                    quantity: Some(q),
                    bound: Some(BoundReport {
                        op: comparison.symbol().to_string(),
                        value: bound.value,
                        from: if replaced { bound.from } else { None },
                    }),
                    excess,
                    contributors: tally.contributors,
                    excluded: tally.excluded,
                    unknowns: if verdict == Verdict::Undetermined {
                        self.said(tally.notes)?
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
                    declared_verdict: declared
                        .map(|figure| judge(Amount::from(figure), Comparison::AtMost, 0).0),
                    verdict,
                    quantity: Some(q),
                    bound: None,
                    excess,
                    contributors: tally.contributors,
                    excluded: tally.excluded,
                    unknowns: if verdict == Verdict::Undetermined {
                        self.said(tally.notes)?
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

    /// Every holding of the party in `category` must meet `requirement` (written `text`).
    fn assurance(
        &self,
        category: usize,
        requirement: &'a Predicate,
        text: &str,
    ) -> Result<Outcome, Fault> {
        let mut violated = false;
        let mut open = false;
        let mut contributors = Vec::new();
        // The holdings that leave the verdict open: membership and requirement.
        let mut undecided = Vec::new();
        let rule: Arc<str> = if self.reasons {
            self.because(category, "in")
        } else {
            Arc::from("")
        };
        let requirement_text: Rc<str> = Rc::from(text);
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
            if self.reasons {
                let mut defaults = Vec::new();
                if self.has_defaults {
                    let mut sink = Sink::on();
                    self.member(category, index, holding, &mut sink, 0)?;
                    self.pred(requirement, cx, &mut sink, 0)?;
                    defaults = sink.defaults;
                }
                contributors.push(Counted {
                    term: 0,
                    holding: index,
                    count,
                    because: Because::Covered {
                        rule: Arc::clone(&rule),
                        possibly: membership == Tri::Unknown,
                        requirement: Rc::clone(&requirement_text),
                        holds,
                    },
                    defaults,
                });
            }
            if holds == Tri::True {
                continue;
            }
            if holds == Tri::False && membership == Tri::True && holding.count.min > 0 {
                violated = true;
                continue;
            }
            open = true;
            if self.reasons {
                // Said only if the verdict is left open: see below.
                undecided.push((index, membership, holds));
            }
        }
        let verdict = if violated {
            Verdict::Violated
        } else if open {
            Verdict::Undetermined
        } else {
            Verdict::Complies
        };
        let mut unknowns = Vec::new();
        if verdict == Verdict::Undetermined {
            for (index, membership, holds) in undecided {
                let Some(holding) = self.facts.holdings.get(index) else {
                    return inconsistent(format!("no holding #{index}"));
                };
                if membership == Tri::Unknown {
                    let mut sink = Sink::on();
                    self.member(category, index, holding, &mut sink, 0)?;
                    unknowns.extend(sink.into_notes());
                }
                if holds == Tri::Unknown {
                    let mut sink = Sink::on();
                    self.pred(requirement, Cx::holding(index, holding), &mut sink, 0)?;
                    unknowns.extend(sink.into_notes());
                } else if holding.count.min == 0 {
                    unknowns.push(format!("count of `{}` is {}", holding.name, holding.count));
                }
            }
        }
        Ok(Outcome {
            verdict,
            declared_verdict: None,
            quantity: None,
            bound: None,
            excess: None,
            contributors,
            excluded: Vec::new(),
            unknowns,
        })
    }

    /// The provision's conditions and rule in this world (the rule also judging the
    /// `declared` figure, when the party declared one).
    pub(in crate::eval) fn provision(
        &self,
        provision: &'a Provision,
        declared: Option<Interval>,
    ) -> Result<Outcome, Fault> {
        let mut sink = Sink::on();
        let mut holds = Tri::True;
        for condition in &provision.conditions {
            let mark = sink.mark();
            let this = self.pred(condition, Cx::NONE, &mut sink, 0)?;
            sink.keep_if(mark, this.is_unknown());
            holds = holds.and(this);
        }
        match holds {
            // Not applicable: still the quantity it would measure, as if it applied (a
            // quantity that cannot be computed is left out rather than failing the report).
            Tri::False => Ok(self
                .rule(provision, declared)
                .map_or_else(
                    |_| Outcome::plain(Verdict::NotApplicable),
                    Outcome::hypothetical,
                )
                .with_verdict(Verdict::NotApplicable)),
            Tri::True => self.rule(provision, declared),
            Tri::Unknown => {
                // Both branches: the rule applies, or the provision is not applicable.
                let mut outcome = self.rule(provision, declared)?;
                let verdict = join_verdicts([outcome.verdict, Verdict::NotApplicable]);
                outcome.declared_verdict = outcome
                    .declared_verdict
                    .map(|on_declared| join_verdicts([on_declared, Verdict::NotApplicable]));
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
    /// Holdings a reading in a selection left out.
    excluded: Vec<Counted>,
    notes: Vec<Note>,
    /// How many `count of`/`sum of` terms have been evaluated: numbers each contributor's term.
    terms: usize,
}

/// An unknown value met while counting: said at once, or (met for every holding whose
/// membership or count is open, so possibly a million times) said only if the verdict is
/// undetermined.
#[derive(Debug)]
pub(super) enum Note {
    Said(String),
    /// The count of holding number `0` of the facts is not exact.
    CountOf(usize),
    /// Whether holding number `index` of the facts is in `category` is unknown: the unknowns
    /// that leave it open.
    Member {
        category: usize,
        index: usize,
    },
}

impl World<'_> {
    /// The notes in words, in the order they were met.
    fn said(&self, notes: Vec<Note>) -> Result<Vec<String>, Fault> {
        let mut said = Vec::with_capacity(notes.len());
        for note in notes {
            match note {
                Note::Said(note) => said.push(note),
                Note::CountOf(index) => said.push(match self.facts.holdings.get(index) {
                    Some(holding) => format!("count of `{}` is {}", holding.name, holding.count),
                    None => format!("count of holding #{index}"),
                }),
                Note::Member { category, index } => {
                    let Some(holding) = self.facts.holdings.get(index) else {
                        return inconsistent(format!("no holding #{index}"));
                    };
                    let mut sink = Sink::on();
                    self.member(category, index, holding, &mut sink, 0)?;
                    said.extend(sink.into_notes());
                }
            }
        }
        Ok(said)
    }
}

/// The evaluation of one provision in one world.
#[derive(Debug, Clone)]
pub(in crate::eval) struct Outcome {
    pub(in crate::eval) verdict: Verdict,
    /// The verdict on the party's declared figure, when it declared one and the rule has a
    /// quantity.
    pub(in crate::eval) declared_verdict: Option<Verdict>,
    pub(in crate::eval) quantity: Option<Amount>,
    pub(in crate::eval) bound: Option<BoundReport>,
    pub(in crate::eval) excess: Option<u64>,
    pub(in crate::eval) contributors: Vec<Counted>,
    /// Holdings left out by the variant of a reading their category's selection tests.
    pub(in crate::eval) excluded: Vec<Counted>,
    pub(in crate::eval) unknowns: Vec<String>,
}

impl Outcome {
    /// An outcome that is only a verdict, with nothing counted.
    pub(in crate::eval) fn plain(verdict: Verdict) -> Outcome {
        Outcome {
            verdict,
            declared_verdict: None,
            quantity: None,
            bound: None,
            excess: None,
            contributors: Vec::new(),
            excluded: Vec::new(),
            unknowns: Vec::new(),
        }
    }

    /// What a provision that does not apply would measure: its quantity, bound and
    /// contributors, without the excess or the unknowns of a verdict it does not have.
    pub(in crate::eval) fn hypothetical(mut self) -> Outcome {
        self.excess = None;
        self.unknowns.clear();
        self
    }

    /// The same outcome under another verdict.
    pub(in crate::eval) fn with_verdict(mut self, verdict: Verdict) -> Outcome {
        self.verdict = verdict;
        self
    }
}

/// A whole, non-negative number as a count; [`Fault::Overflow`] beyond 64 bits.
fn to_count(value: f64) -> Result<u64, Fault> {
    // 2^64 as f64; every smaller non-negative whole f64 fits in u64.
    const LIMIT: f64 = 18_446_744_073_709_551_616.0;
    if (0.0..LIMIT).contains(&value) {
        Ok(value as u64)
    } else {
        Err(Fault::Overflow)
    }
}

/// Add the `notes` not in `list` yet, in order.
fn push_new(list: &mut Vec<String>, notes: Vec<String>) {
    for note in notes {
        if !list.contains(&note) {
            list.push(note);
        }
    }
}
