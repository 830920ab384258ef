//! The holdings that count towards a quantity (or that an assurance covers), and why: kept
//! compact while counting, and said in words only for the report.
//!
//! A quantity may count every holding of a scenario of a million, in several worlds. So the
//! counting loop records the holding's index, its count and a [`Because`] that shares the
//! category's reason with every other holding of the term; the text of each reason is written
//! once, when the report is made ([`into_report`]).

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use super::logic::Tri;
use super::world::Outcome;
use crate::interval::Interval;
use crate::lang::Verdict;
use crate::model::Model;
use crate::report::Contributor;
use crate::scenario::Facts;

/// A holding counted (or covered, or left out) by a term of a quantity: the term, the holding
/// (index into the facts), so that the contributors of several worlds can be merged.
#[derive(Debug, Clone)]
pub(in crate::eval) struct Counted {
    pub(in crate::eval) term: usize,
    pub(in crate::eval) holding: usize,
    /// What it added: its count (times the weight, in a sum; from 0 when it may not belong).
    pub(in crate::eval) count: Interval,
    pub(in crate::eval) because: Because,
    /// The declared defaults that decided it (`converted: not stated, default no`).
    pub(in crate::eval) defaults: Vec<String>,
}

/// Why a holding counts, as the report will say it.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::eval) enum Because {
    /// `[subtracted: ][possibly ]RULE[, weighted by NAME = FACTOR]`.
    Counted {
        rule: Arc<str>,
        subtracted: bool,
        possibly: bool,
        weight: Option<WeightNote>,
    },
    /// `[possibly ]RULE; requirement `TEXT` holds|fails|is undetermined`.
    Covered {
        rule: Arc<str>,
        possibly: bool,
        requirement: Rc<str>,
        holds: Tri,
    },
    /// Said already.
    Said(String),
    /// The distinct reasons of several worlds (`; or `), and the assumptions under which it
    /// counts when it does not count in every world (`; counted only if …`).
    Joined {
        reasons: Vec<Because>,
        only: Option<Rc<str>>,
    },
}

/// How a holding's weight in a sum is said.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::eval) enum WeightNote {
    /// `, × 2`: a constant weight.
    Times(u64),
    /// `, weighted by warheads = 3`.
    By { name: Rc<str>, factor: Interval },
}

impl Because {
    /// The reason in words.
    pub(in crate::eval) fn text(&self) -> String {
        let mut text = String::new();
        self.write(&mut text);
        text
    }

    fn write(&self, text: &mut String) {
        match self {
            Because::Counted {
                rule,
                subtracted,
                possibly,
                weight,
            } => {
                if *subtracted {
                    text.push_str("subtracted: ");
                }
                if *possibly {
                    text.push_str("possibly ");
                }
                text.push_str(rule);
                match weight {
                    None => {}
                    Some(WeightNote::Times(value)) => {
                        text.push_str(&format!(", × {value}"));
                    }
                    Some(WeightNote::By { name, factor }) => {
                        text.push_str(&format!(", weighted by {name} = {factor}"));
                    }
                }
            }
            Because::Covered {
                rule,
                possibly,
                requirement,
                holds,
            } => {
                if *possibly {
                    text.push_str("possibly ");
                }
                let status = match holds {
                    Tri::True => "holds",
                    Tri::False => "fails",
                    Tri::Unknown => "is undetermined",
                };
                text.push_str(&format!("{rule}; requirement `{requirement}` {status}"));
            }
            Because::Said(said) => text.push_str(said),
            Because::Joined { reasons, only } => {
                for (index, reason) in reasons.iter().enumerate() {
                    if index > 0 {
                        text.push_str("; or ");
                    }
                    reason.write(text);
                }
                if let Some(only) = only {
                    text.push_str("; counted only ");
                    text.push_str(only);
                }
            }
        }
    }
}

/// The contributors as the report lists them. The holdings a term counts alike follow one
/// another and share one reason: it is said once and shared.
pub(in crate::eval) fn into_report(counted: Vec<Counted>, facts: &Facts) -> Vec<Contributor> {
    // The reasons said last: a term's holdings alternate among a few (counted, possibly
    // counted, a requirement that holds or fails), so a handful covers nearly all of them.
    const RECENT: usize = 8;
    let mut said: Vec<(Because, Arc<str>)> = Vec::with_capacity(RECENT);
    let mut contributors = Vec::with_capacity(counted.len());
    contributors.extend(counted.into_iter().map(|c| {
        let known = said.iter().position(|(reason, _)| *reason == c.because);
        let because = match known.and_then(|at| said.get(at)) {
            Some((_, text)) => Arc::clone(text),
            None => {
                let text: Arc<str> = Arc::from(c.because.text());
                if said.len() == RECENT {
                    said.remove(0);
                }
                said.push((c.because, Arc::clone(&text)));
                text
            }
        };
        let holding = facts.holdings.get(c.holding);
        Contributor {
            holding: holding.map_or_else(
                || Arc::from(format!("#{}", c.holding)),
                |h| Arc::clone(&h.name),
            ),
            count: c.count,
            because,
            estimated: holding.is_some_and(|h| h.estimated),
            source: holding.and_then(|h| h.source.clone()),
            defaults: c.defaults,
        }
    }));
    contributors
}

/// The contributors of every world, one entry per holding and term: its count is the hull over
/// the worlds that measured a quantity (with zero when it does not count in some of them, and
/// then its reason says under which assumptions it counts), its reasons every distinct one.
pub(in crate::eval) fn merge(
    model: &Model,
    enumerated: &[usize],
    outcomes: &[Outcome],
) -> Vec<Counted> {
    // A world where the provision did not apply measured nothing: a holding absent from it
    // is not "not counted" there, and the joined quantity leaves that world out too.
    let measured: Vec<usize> = outcomes
        .iter()
        .enumerate()
        .filter(|(_, o)| o.quantity.is_some() || o.verdict != Verdict::NotApplicable)
        .map(|(mask, _)| mask)
        .collect();
    // Every contributor of every world, by term and holding, each holding's worlds in order.
    // Each world lists its contributors in that order already, so this sort merges a few
    // sorted runs; it is stable, so a holding's worlds stay in their order.
    let mut all: Vec<(usize, &Counted)> = outcomes
        .iter()
        .enumerate()
        .flat_map(|(mask, outcome)| outcome.contributors.iter().map(move |c| (mask, c)))
        .collect();
    all.sort_by_key(|(_, c)| (c.term, c.holding));
    // Holdings that count in the same worlds are said to count under the same assumptions.
    let mut said: HashMap<Vec<usize>, Rc<str>> = HashMap::new();
    let mut merged = Vec::new();
    for group in all.chunk_by(|(_, a), (_, b)| (a.term, a.holding) == (b.term, b.holding)) {
        let Some(((_, first), rest)) = group.split_first() else {
            continue;
        };
        let mut counted = Counted::clone(first);
        // The distinct reasons, kept only when there is more than one.
        let mut reasons: Vec<Because> = Vec::new();
        for (_, other) in rest {
            counted.count = counted.count.hull(other.count);
            if other.because != first.because && !reasons.contains(&other.because) {
                if reasons.is_empty() {
                    reasons.push(first.because.clone());
                }
                reasons.push(other.because.clone());
            }
            for default in &other.defaults {
                if !counted.defaults.contains(default) {
                    counted.defaults.push(default.clone());
                }
            }
        }
        let everywhere = measured
            .iter()
            .all(|mask| group.iter().any(|(world, _)| world == mask));
        let only = if everywhere {
            None
        } else {
            counted.count = counted.count.hull(Interval::ZERO);
            let worlds: Vec<usize> = group.iter().map(|(world, _)| *world).collect();
            let assumptions = said.entry(worlds).or_insert_with_key(|worlds| {
                Rc::from(super::packages::assumptions(
                    model, enumerated, worlds, &measured,
                ))
            });
            Some(Rc::clone(assumptions))
        };
        if reasons.is_empty() && only.is_some() {
            reasons.push(counted.because.clone());
        }
        if !reasons.is_empty() {
            counted.because = Because::Joined { reasons, only };
        }
        merged.push(counted);
    }
    merged
}
