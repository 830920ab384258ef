//! Values in a world: constants, facts reached through attribute accesses, arithmetic on
//! intervals, and comparisons of values.

use super::{Cx, NOT_STATED, World};
use crate::eval::err::{Fault, deeper, inconsistent};
use crate::eval::explain::{Sink, attribute_name, note_fact, number_range};
use crate::eval::logic::{Tri, compare_numbers};
use crate::lang::Comparison;
use crate::model::{Access, ArithmeticOp, AttributeDef, Date, Scalar, Value};
use crate::scenario::{Fact, WeaponType};

/// What an expression evaluates to: a value, possibly only known to lie in an interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Val<'a> {
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
pub(super) enum Lookup<'a> {
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

impl<'a> World<'a> {
    /// The value of `v` in context `cx`: numbers as intervals, unknowns explained in `sink`.
    pub(super) fn value(
        &self,
        v: &'a Value,
        cx: Cx<'a>,
        sink: &mut Sink,
        depth: usize,
    ) -> Result<Val<'a>, Fault> {
        let depth = deeper(depth)?;
        Ok(match v {
            Value::Const(scalar) => constant(scalar),
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

    /// The value an attribute access leads to.
    pub(super) fn value_of(
        &self,
        access: Access,
        cx: Cx<'a>,
        sink: &mut Sink,
    ) -> Result<Val<'a>, Fault> {
        Ok(match self.lookup(access, cx, sink)? {
            Lookup::Fact {
                fact,
                owner,
                attribute,
            } => match fact {
                Fact::NotStated => match attribute.and_then(|a| a.default.as_ref()) {
                    Some(default) => {
                        sink.default_used(|| {
                            let name = self.access_name(access);
                            match access {
                                Access::Holding(_) => {
                                    format!("{name}: not stated, default {}", default.written)
                                }
                                _ => format!(
                                    "{name}: not stated for `{owner}`, default {}",
                                    default.written
                                ),
                            }
                        });
                        constant(&default.value)
                    }
                    None => {
                        note_fact(sink, fact, owner, attribute);
                        Val::Unknown
                    }
                },
                Fact::Unknown => {
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

    /// Where an attribute access leads: a fact and whose it is, a name, or a party.
    pub(super) fn lookup(
        &self,
        access: Access,
        cx: Cx<'a>,
        sink: &mut Sink,
    ) -> Result<Lookup<'a>, Fault> {
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
    pub(super) fn referenced(
        &self,
        reference: usize,
        cx: Cx<'a>,
        sink: &mut Sink,
    ) -> Result<Option<&'a WeaponType>, Fault> {
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

    /// `left op right`: true if it holds for every value either may have, false if for none.
    pub(super) fn compare(
        &self,
        op: Comparison,
        left: Val<'a>,
        right: Val<'a>,
    ) -> Result<Tri, Fault> {
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

    /// Whether the value is one of `items`.
    pub(super) fn in_set(&self, value: Val<'a>, items: &[Scalar]) -> Tri {
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
}

/// The value of a constant.
pub(super) fn constant(scalar: &Scalar) -> Val<'_> {
    match scalar {
        Scalar::Bool(b) => Val::Bool(*b),
        Scalar::Number(n) => Val::Num { min: *n, max: *n },
        Scalar::Date(d) => Val::Date(*d),
        Scalar::Enum(e) => Val::Enum(*e),
        Scalar::Text(t) => Val::Text(t.as_str()),
    }
}
