//! What a sweep samples: every interval and unknown of a scenario that has a finite set of
//! values or a bounded interval to draw from, and what it leaves as it is.

use serde::Serialize;

use crate::interval::Interval;
use crate::lang::PackageStatus;
use crate::model::{AttributeDef, AttributeType, Model, PackageState};
use crate::scenario::{Fact, Facts};

/// One value of the scenario that a sweep draws anew for every sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    /// How reports name it: ``count of `B-52` ``, `` `Backfire` range ``, ``package `p` ``.
    pub name: String,
    /// `count`, `attribute` or `package`.
    pub what: &'static str,
    /// The values drawn from, each as likely as the others.
    #[serde(flatten)]
    pub values: Values,
    /// Where the value goes in the facts.
    #[serde(skip)]
    pub slot: Slot,
}

/// The values an input is drawn from, uniformly.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "distribution", rename_all = "snake_case")]
pub enum Values {
    /// Every whole number from `min` to `max` (in `unit`, when there is one).
    Integers {
        /// The least.
        min: i64,
        /// The most.
        max: i64,
        /// The vocabulary's unit of a quantity (`km`); absent for counts and integers.
        #[serde(skip_serializing_if = "Option::is_none")]
        unit: Option<&'static str>,
        /// One `unit` in the dimension's base unit.
        #[serde(skip)]
        factor: f64,
    },
    /// Any real number from `min` to `max` (in `unit`).
    Reals {
        /// The least.
        min: f64,
        /// The most.
        max: f64,
        /// The vocabulary's unit of the quantity.
        #[serde(skip_serializing_if = "Option::is_none")]
        unit: Option<&'static str>,
        /// One `unit` in the dimension's base unit.
        #[serde(skip)]
        factor: f64,
    },
    /// One of these, by name.
    Choice {
        /// The names, in the order of the vocabulary (`false` before `true`).
        choices: Vec<String>,
        /// Yes or no: `choices` are `false` and `true`, written as `Fact::Bool`.
        #[serde(skip)]
        boolean: bool,
    },
}

impl Values {
    /// How many values there are to enumerate; `None` for a real interval or beyond `u64`.
    pub fn count(&self) -> Option<u64> {
        match self {
            Values::Integers { min, max, .. } => max
                .checked_sub(*min)
                .and_then(|d| u64::try_from(d).ok())
                .and_then(|d| d.checked_add(1)),
            Values::Reals { .. } => None,
            Values::Choice { choices, .. } => u64::try_from(choices.len()).ok(),
        }
    }

    /// The unit values are written in, if any.
    pub fn unit(&self) -> Option<&'static str> {
        match self {
            Values::Integers { unit, .. } | Values::Reals { unit, .. } => *unit,
            Values::Choice { .. } => None,
        }
    }
}

/// Where an input's value is written into the facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// `Facts::holdings[holding].count`.
    Count {
        /// Index into `Facts::holdings`.
        holding: usize,
    },
    /// `Facts::holdings[holding].attributes[attribute]`.
    Holding {
        /// Index into `Facts::holdings`.
        holding: usize,
        /// The holding attribute's slot.
        attribute: usize,
    },
    /// `Facts::types[weapon_type].attributes[attribute]`.
    Type {
        /// Index into `Facts::types`.
        weapon_type: usize,
        /// The type attribute's slot.
        attribute: usize,
    },
    /// `Facts::packages[package]`.
    Package {
        /// Index into `Model::packages`.
        package: usize,
    },
}

/// What a sweep found in a scenario: what it samples, and what it cannot.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// The inputs drawn for every sample, in the order of the file: weapon types, then
    /// holdings (count, then attributes), then packages.
    pub inputs: Vec<Input>,
    /// The unknowns left as the scenario has them, one sentence each: no bound to draw
    /// within, or a kind of value that is not drawn (dates, weapon types).
    pub left_unknown: Vec<String>,
    /// Attributes the scenario does not state and the vocabulary gives no default for: left
    /// not stated (the evaluation reads them as unknown, as `eval` does).
    pub not_stated: usize,
}

/// The inputs of `facts`: counts given as intervals, numbers given as intervals, `"unknown"`
/// yes-or-no and enumeration values, packages the scenario does not state.
pub fn plan(model: &Model, facts: &Facts) -> Plan {
    let mut plan = Plan::default();
    let vocabulary = &model.vocabulary;
    for (index, weapon_type) in facts.types.iter().enumerate() {
        for (slot, (fact, def)) in weapon_type
            .attributes
            .iter()
            .zip(&vocabulary.type_attributes)
            .enumerate()
        {
            let name = format!("`{}` {}", weapon_type.name, def.name);
            let at = Slot::Type {
                weapon_type: index,
                attribute: slot,
            };
            plan.attribute(name, at, fact, def);
        }
    }
    for (index, holding) in facts.holdings.iter().enumerate() {
        let name = format!("count of `{}`", holding.name);
        match holding.count {
            Interval {
                min,
                max: Some(max),
            } if min < max => match (exactly(min), exactly(max)) {
                (Some(min), Some(max)) => plan.inputs.push(Input {
                    name,
                    what: "count",
                    values: Values::Integers {
                        min,
                        max,
                        unit: None,
                        factor: 1.0,
                    },
                    slot: Slot::Count { holding: index },
                }),
                _ => plan
                    .left_unknown
                    .push(format!("{name} is too large to draw exactly")),
            },
            Interval { max: None, .. } => plan
                .left_unknown
                .push(format!("{name} is unknown: no upper bound to draw within")),
            Interval { .. } => {}
        }
        for (slot, (fact, def)) in holding
            .attributes
            .iter()
            .zip(&vocabulary.holding_attributes)
            .enumerate()
        {
            let name = format!("`{}` {}", holding.name, def.name);
            let at = Slot::Holding {
                holding: index,
                attribute: slot,
            };
            plan.attribute(name, at, fact, def);
        }
    }
    for (index, (state, package)) in facts.packages.iter().zip(&model.packages).enumerate() {
        if *state == PackageState::Unknown {
            plan.inputs.push(Input {
                name: format!("package `{}`", package.name),
                what: "package",
                values: Values::Choice {
                    choices: vec![
                        PackageStatus::Agreed.as_str().to_owned(),
                        PackageStatus::Open.as_str().to_owned(),
                    ],
                    boolean: false,
                },
                slot: Slot::Package { package: index },
            });
        }
    }
    plan
}

impl Plan {
    /// One attribute's fact: an input when it can be drawn.
    fn attribute(&mut self, name: String, slot: Slot, fact: &Fact, def: &AttributeDef) {
        let values = match (fact, &def.ty) {
            (Fact::NotStated, _) => {
                if def.default.is_none() {
                    self.not_stated = self.not_stated.saturating_add(1);
                }
                return;
            }
            (Fact::Unknown, AttributeType::Boolean) => Values::Choice {
                choices: vec!["false".to_owned(), "true".to_owned()],
                boolean: true,
            },
            (Fact::Unknown, AttributeType::Enum { values }) if !values.is_empty() => {
                Values::Choice {
                    choices: values.clone(),
                    boolean: false,
                }
            }
            (Fact::Unknown, AttributeType::Integer | AttributeType::Quantity { .. }) => {
                self.left_unknown
                    .push(format!("{name} is unknown: no interval to draw within"));
                return;
            }
            (Fact::Unknown, _) => {
                self.left_unknown.push(format!(
                    "{name} is unknown: values of its kind are not drawn"
                ));
                return;
            }
            (Fact::Number { min, max }, AttributeType::Integer) if min < max => {
                whole(min.ceil(), max.floor(), None, 1.0).unwrap_or(Values::Reals {
                    min: *min,
                    max: *max,
                    unit: None,
                    factor: 1.0,
                })
            }
            (Fact::Number { min, max }, AttributeType::Quantity { unit }) if min < max => {
                let (low, high) = (min / unit.factor, max / unit.factor);
                // Whole numbers of the vocabulary's unit when the interval is written so;
                // the real interval otherwise.
                let written_whole = low.fract() == 0.0 && high.fract() == 0.0;
                written_whole
                    .then(|| whole(low, high, Some(unit.symbol), unit.factor))
                    .flatten()
                    .unwrap_or(Values::Reals {
                        min: low,
                        max: high,
                        unit: Some(unit.symbol),
                        factor: unit.factor,
                    })
            }
            _ => return,
        };
        self.inputs.push(Input {
            name,
            what: "attribute",
            values,
            slot,
        });
    }
}

/// Whole numbers a draw carries exactly (as an `f64`): below 9e15, a little under 2^53.
const WHOLE_LIMIT: f64 = 9.0e15;

/// A count as a whole number a draw carries exactly.
fn exactly(count: u64) -> Option<i64> {
    i64::try_from(count)
        .ok()
        .filter(|&c| (c as f64) < WHOLE_LIMIT)
}

/// `min..=max` as whole numbers, when they fit.
fn whole(min: f64, max: f64, unit: Option<&'static str>, factor: f64) -> Option<Values> {
    if !(min.is_finite() && max.is_finite() && min.abs() < WHOLE_LIMIT && max.abs() < WHOLE_LIMIT) {
        return None;
    }
    let (min, max) = (min as i64, max as i64);
    (min <= max).then_some(Values::Integers {
        min,
        max,
        unit,
        factor,
    })
}

/// Write `value` (a whole number, a real number in the input's unit, or the index of a
/// choice) into `facts` where `input` goes.
pub fn substitute(facts: &mut Facts, input: &Input, value: f64) {
    let fact = match &input.values {
        Values::Integers { factor, .. } | Values::Reals { factor, .. } => Fact::Number {
            min: value * factor,
            max: value * factor,
        },
        Values::Choice { boolean, .. } => {
            let index = value as usize;
            match input.slot {
                Slot::Package { package } => {
                    if let Some(state) = facts.packages.get_mut(package) {
                        *state = PackageState::Stated(if index == 0 {
                            PackageStatus::Agreed
                        } else {
                            PackageStatus::Open
                        });
                    }
                    return;
                }
                _ if *boolean => Fact::Bool(index == 1),
                _ => Fact::Enum(index),
            }
        }
    };
    match input.slot {
        Slot::Count { holding } => {
            if let Some(holding) = facts.holdings.get_mut(holding) {
                let count = value as u64;
                holding.count = Interval::exact(count);
            }
        }
        Slot::Holding { holding, attribute } => {
            if let Some(slot) = facts
                .holdings
                .get_mut(holding)
                .and_then(|h| h.attributes.get_mut(attribute))
            {
                *slot = fact;
            }
        }
        Slot::Type {
            weapon_type,
            attribute,
        } => {
            if let Some(slot) = facts
                .types
                .get_mut(weapon_type)
                .and_then(|t| t.attributes.get_mut(attribute))
            {
                *slot = fact;
            }
        }
        Slot::Package { .. } => {}
    }
}
