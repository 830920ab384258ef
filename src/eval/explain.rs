//! Saying why: the sink of notes on unknown values, the reasons a holding counts, and
//! numbers and rules as people write them.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::packages::Refs;
use super::world::{Choice, World};
use crate::model::{
    Access, AttributeDef, AttributeType, Category, Model, PackageState, Provision, Rule,
};
use crate::scenario::Fact;

/// Where explanations of unknown results are collected, when anyone wants them.
///
/// Evaluation runs with the sink off; only a result that is unknown (or one a declared default
/// may have decided) is evaluated again with the sink on. Each sub-expression's notes are kept
/// only if that sub-expression was unknown, so the notes name exactly the unknown values that
/// leave the result open. The defaults read are kept whatever the result: they are what
/// decided it, where the scenario is silent.
pub(super) struct Sink {
    /// `None` when off.
    pub(super) notes: Option<Vec<String>>,
    /// The attribute defaults read, said as `converted: not stated, default no` (when on).
    pub(super) defaults: Vec<String>,
}

impl Sink {
    /// A sink that keeps nothing: the first, cheap evaluation.
    pub(super) fn off() -> Sink {
        Sink {
            notes: None,
            defaults: Vec::new(),
        }
    }

    /// A sink that keeps notes: evaluating again to explain an unknown result.
    pub(super) fn on() -> Sink {
        Sink {
            notes: Some(Vec::new()),
            defaults: Vec::new(),
        }
    }

    /// Note that a declared default stood in for a value the scenario does not state.
    pub(super) fn default_used(&mut self, note: impl FnOnce() -> String) {
        if self.notes.is_some() {
            let note = note();
            if !self.defaults.contains(&note) {
                self.defaults.push(note);
            }
        }
    }

    /// Where the notes stand now, for [`Sink::keep_if`].
    pub(super) fn mark(&self) -> usize {
        self.notes.as_ref().map_or(0, Vec::len)
    }

    /// Drop the notes pushed since `mark` unless `keep`.
    pub(super) fn keep_if(&mut self, mark: usize, keep: bool) {
        if !keep {
            if let Some(notes) = self.notes.as_mut() {
                notes.truncate(mark);
            }
        }
    }

    /// Note `note()`, computed only when the sink is on.
    pub(super) fn push(&mut self, note: impl FnOnce() -> String) {
        if let Some(notes) = self.notes.as_mut() {
            notes.push(note());
        }
    }

    /// The notes kept (none when off).
    pub(super) fn into_notes(self) -> Vec<String> {
        self.notes.unwrap_or_default()
    }

    /// The notes and the defaults read (none when off).
    pub(super) fn into_parts(self) -> (Vec<String>, Vec<String>) {
        (self.notes.unwrap_or_default(), self.defaults)
    }
}

impl World<'_> {
    /// How an attribute access is written (`type.warheads`).
    pub(super) fn access_name(&self, access: Access) -> String {
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
    /// selected it. Said once per model where nothing of the world enters it (see
    /// [`static_reason`]).
    pub(super) fn because(&self, category: usize, verb: &str) -> Arc<str> {
        let Some(cat) = self.model.categories.get(category) else {
            return Arc::from(format!("{verb} category #{category}"));
        };
        let describe = |index: usize| -> String {
            let mut text = branch_text(cat, index);
            let mut refs = weighed(cat, index);
            // And the readings the selection itself tests (`… and reading r is v`).
            refs.readings.extend(self.selection_readings(category));
            let selectors = self.selectors(&refs);
            if !selectors.is_empty() {
                text.push_str(" (");
                text.push_str(&selectors.join("; "));
                text.push(')');
            }
            text
        };
        match self.choices.get(category) {
            Some(Choice::Branch(index)) => {
                let known = self
                    .program
                    .and_then(|program| program.reason(category, *index, verb));
                match known {
                    Some(text) => text,
                    None => Arc::from(format!("{verb} `{}`: {}", cat.name, describe(*index))),
                }
            }
            Some(Choice::Undecided(candidates, _)) => {
                let texts: Vec<String> = candidates.iter().map(|&i| describe(i)).collect();
                Arc::from(format!(
                    "{verb} `{}` under one of: {}",
                    cat.name,
                    texts.join(" | ")
                ))
            }
            None => Arc::from(format!("{verb} `{}`", cat.name)),
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
}

/// An attribute's name, or "attribute" when the vocabulary has none for it.
pub(super) fn attribute_name(attribute: Option<&AttributeDef>) -> &str {
    attribute.map_or("attribute", |a| a.name.as_str())
}

/// Note that `owner`'s attribute is unknown or not stated.
pub(super) fn note_fact(
    sink: &mut Sink,
    fact: &Fact,
    owner: &str,
    attribute: Option<&AttributeDef>,
) {
    let how = if *fact == Fact::Unknown {
        "is unknown"
    } else {
        "is not stated"
    };
    sink.push(|| format!("`{owner}` {} {how}", attribute_name(attribute)));
}

/// "package `p` is not stated".
pub(super) fn package_not_stated(model: &Model, package: usize) -> String {
    match model.packages.get(package) {
        Some(p) => format!("package `{}` is not stated", p.name),
        None => format!("package #{package} is not stated"),
    }
}

/// `2200..5500 km`, in the unit the vocabulary names.
pub(super) fn number_range(min: f64, max: f64, attribute: Option<&AttributeDef>) -> String {
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

/// The notes, each kept once, in the order first met.
pub(super) fn dedup(notes: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    notes
        .into_iter()
        .filter(|note| seen.insert(note.clone()))
        .collect()
}

/// The rule as a line of text: `count of delivery_vehicles <= 2400, then 2250 from 1981-01-01`.
pub(super) fn rule_text(model: &Model, provision: &Provision) -> Option<String> {
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
                .map(|b| match (b.from, &b.from_written) {
                    (Some(from), Some(written)) => format!("{} from {from} ({written})", b.value),
                    (Some(from), None) => format!("{} from {from}", b.value),
                    (None, _) => b.value.to_string(),
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

/// Branch `index` of `cat` as written: "holdings where …", after "when CONDITION: " for an
/// exception.
fn branch_text(cat: &Category, index: usize) -> String {
    let Some(branch) = cat.branches.get(index) else {
        return String::new();
    };
    let selection = if branch.text.starts_with("holdings") {
        branch.text.clone()
    } else {
        format!("holdings where {}", branch.text)
    };
    match &branch.condition_text {
        Some(condition) if index > 0 => format!("when {condition}: {selection}"),
        _ => selection,
    }
}

/// What selected branch `index` of `cat`: the packages and readings of the conditions that
/// were weighed (every exception before it, and itself; all of them for the default).
fn weighed(cat: &Category, index: usize) -> Refs {
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
    refs
}

/// [`World::because`] of branch `index` of `cat`, when no world changes it: no package or
/// reading weighed in choosing it, and (`readings_in_selections` false) none tested by any
/// selection.
pub(super) fn static_reason(
    cat: &Category,
    index: usize,
    verb: &str,
    readings_in_selections: bool,
) -> Option<Arc<str>> {
    let refs = weighed(cat, index);
    if readings_in_selections || !refs.packages.is_empty() || !refs.readings.is_empty() {
        return None;
    }
    Some(Arc::from(format!(
        "{verb} `{}`: {}",
        cat.name,
        branch_text(cat, index)
    )))
}
