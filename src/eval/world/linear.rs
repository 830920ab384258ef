//! One provision in one world as a linear constraint on the party's counts (see
//! [`crate::eval::linear`]).

use super::{Cx, World};
use crate::eval::err::{Fault, deeper};
use crate::eval::explain::Sink;
use crate::eval::linear::{Applies, Form, Linear, Term};
use crate::eval::logic::{Tri, bound_in_force};
use crate::interval::Amount;
use crate::lang::{Comparison, ProvisionKind};
use crate::model::{ArithmeticOp, Predicate, Provision, Quantity, Rule, Weight};
use crate::report::BoundReport;

impl<'a> World<'a> {
    /// The provision as a constraint in this world; its period is the caller's to check.
    pub(in crate::eval) fn linear(&self, provision: &'a Provision) -> Result<Linear, Fault> {
        let mut holds = Tri::True;
        for condition in &provision.conditions {
            holds = holds.and(self.pred(condition, Cx::NONE, &mut Sink::off(), 0)?);
        }
        let applies = match holds {
            Tri::False => return Ok(Linear::NotApplicable),
            Tri::True => Applies::Surely,
            Tri::Unknown => Applies::Possibly,
        };
        let at_most_none = |form| Linear::Constraint {
            applies,
            comparison: Comparison::AtMost,
            bound: BoundReport {
                op: Comparison::AtMost.symbol().to_string(),
                value: 0,
                from: None,
            },
            form,
        };
        if provision.kind == ProvisionKind::Statement {
            return Ok(Linear::Statement);
        }
        match &provision.rule {
            Rule::None => Ok(Linear::Statement),
            Rule::Limit {
                quantity,
                comparison,
                bounds,
                ..
            } => {
                let Some((bound, replaced)) = bound_in_force(bounds, self.facts.date) else {
                    return Ok(Linear::NotInForce);
                };
                let Some(form) = self.form(quantity, 0)? else {
                    return Ok(Linear::NotLinear);
                };
                Ok(Linear::Constraint {
                    applies,
                    comparison: *comparison,
                    bound: BoundReport {
                        op: comparison.symbol().to_string(),
                        value: bound.value,
                        from: if replaced { bound.from } else { None },
                    },
                    form,
                })
            }
            Rule::Ban { category } => Ok(at_most_none(self.category_form(*category, None)?)),
            Rule::Assurance {
                category,
                requirement,
                ..
            } => Ok(at_most_none(self.failing(*category, requirement)?)),
        }
    }

    /// `q` as a linear form; `None` when it multiplies two counted quantities.
    fn form(&self, q: &'a Quantity, depth: usize) -> Result<Option<Form>, Fault> {
        let depth = deeper(depth)?;
        match q {
            Quantity::Const(value) => Ok(Some(Form::constant(i128::from(*value)))),
            Quantity::Count(category) => self.category_form(*category, None).map(Some),
            Quantity::Sum { weight, category } => {
                self.category_form(*category, Some(weight)).map(Some)
            }
            Quantity::Arithmetic { op, left, right } => {
                let (Some(l), Some(r)) = (self.form(left, depth)?, self.form(right, depth)?) else {
                    return Ok(None);
                };
                match op {
                    ArithmeticOp::Add => l.checked_add(&r).map(Some),
                    ArithmeticOp::Sub => r
                        .checked_scale(-1)
                        .and_then(|negated| l.checked_add(&negated))
                        .map(Some),
                    ArithmeticOp::Mul => l.checked_mul(r),
                }
                .ok_or(Fault::Overflow)
            }
        }
    }

    /// Σ count (× weight) over the party's holdings in `category`: a unit of a holding that may
    /// not belong counts from 0.
    fn category_form(&self, category: usize, weight: Option<&'a Weight>) -> Result<Form, Fault> {
        let mut terms = Vec::new();
        for (index, holding) in self.facts.holdings.iter().enumerate() {
            if holding.party != self.party {
                continue;
            }
            let membership = self.member(category, index, holding, &mut Sink::off(), 0)?;
            if membership == Tri::False {
                continue;
            }
            let mut per_unit = match weight {
                None => Amount::exact(1),
                Some(weight) => {
                    let (factor, _) = self.weight(
                        weight,
                        Cx::holding(index, holding),
                        &mut Vec::new(),
                        &mut Vec::new(),
                    )?;
                    Amount::from(factor)
                }
            };
            if membership == Tri::Unknown {
                per_unit = per_unit.hull(Amount::exact(0));
            }
            if per_unit != Amount::exact(0) {
                terms.push(Term {
                    holding: index,
                    per_unit,
                });
            }
        }
        Ok(Form { constant: 0, terms })
    }

    /// The count of the party's holdings in `category` that fail `requirement`: surely (1 a
    /// unit) or possibly (0 to 1).
    fn failing(&self, category: usize, requirement: &'a Predicate) -> Result<Form, Fault> {
        let mut terms = Vec::new();
        for (index, holding) in self.facts.holdings.iter().enumerate() {
            if holding.party != self.party {
                continue;
            }
            let membership = self.member(category, index, holding, &mut Sink::off(), 0)?;
            if membership == Tri::False {
                continue;
            }
            let cx = Cx::holding(index, holding);
            let holds = self.pred(requirement, cx, &mut Sink::off(), 0)?;
            let per_unit = match (membership, holds) {
                (_, Tri::True) => continue,
                (Tri::True, Tri::False) => Amount::exact(1),
                _ => Amount {
                    min: Some(0),
                    max: Some(1),
                },
            };
            terms.push(Term {
                holding: index,
                per_unit,
            });
        }
        Ok(Form { constant: 0, terms })
    }
}
