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
//!
//! The modules, one job each:
//!
//! - this one: the entry points ([`evaluate`], [`evaluate_all_readings`]) and the limits;
//! - [`options`]: what to evaluate ([`Options`]), also chosen by name as on the command line
//!   ([`Chosen::from_names`], with the `treaty::usage::…` codes of its problems);
//! - `world`: one provision evaluated in one world (a party, readings, assumed packages);
//! - [`linear`]: each provision as a linear constraint on the counts, for headroom;
//! - `logic`: three-valued truth, comparisons of intervals, and judging a quantity;
//! - `packages`: unstated packages assumed both ways and the outcomes joined;
//! - `explain`: the notes and texts that say why;
//! - `annotate`: declared figures, estimates, vacuous assurances and the report's warnings;
//! - `err`: what can go wrong.

// Every public item says what it is: this is the library's main entry point.
#![warn(missing_docs)]

mod annotate;
mod contributors;
pub mod err;
mod explain;
pub mod linear;
mod logic;
pub mod options;
mod packages;
#[cfg(test)]
mod tests;
mod world;

use crate::lang::{ProvisionKind, Verdict};
use crate::model::{Model, Provision, Rule};
use crate::report::{
    FORMAT, PartyReport, PeriodReport, PositionInfo, ProvisionReport, ReadingVerdict, Readings,
    Report, ScenarioInfo,
};
use crate::scenario::Facts;

pub use err::EvalError;
pub use options::{Chosen, Options};

/// At most this many combinations of readings are evaluated by [`evaluate_all_readings`].
pub const MAX_READING_COMBINATIONS: usize = 256;

/// At most this many unstated packages are decided by evaluating each combination of agreed
/// and not agreed (2^8 combinations); further ones stay three-valued unknowns.
pub const MAX_ASSUMED_PACKAGES: usize = 8;

/// Expressions and category references nest at most this deep.
pub const MAX_DEPTH: usize = 256;

/// Refuse a rule file that cannot be evaluated, before its scenario is read: a vocabulary, a
/// file with no position in it, or a position that names no parties. Evaluating one would
/// only report every party and holding of the scenario as unknown; `command` (`eval`,
/// `compare`) is named in the message.
pub fn require_position(model: &Model, command: &str) -> Result<(), EvalError> {
    let file = model.file.name.to_string();
    let (what, help) = if model.kind == crate::lang::DocumentKind::Vocabulary {
        (
            "is a vocabulary, not a position".to_string(),
            format!(
                "positions import a vocabulary with `use`; give {command} the rule file of a position that imports it"
            ),
        )
    } else if model.title.is_empty() && model.parties.is_empty() && model.provisions.is_empty() {
        (
            "holds no position".to_string(),
            "a position starts with `position \"TITLE\" { parties A, B }` and holds provisions"
                .to_string(),
        )
    } else if model.parties.is_empty() {
        (
            "names no parties".to_string(),
            "add `parties A, B` to its header: a scenario's forces belong to the parties"
                .to_string(),
        )
    } else {
        return Ok(());
    };
    Err(EvalError::NotAPosition {
        file,
        what,
        command: command.to_string(),
        help,
    })
}

/// Evaluate every provision for every party of the scenario (or the one in `options`), under
/// the chosen readings. To evaluate many scenarios with one model, make an [`Evaluator`] once.
pub fn evaluate(model: &Model, facts: &Facts, options: &Options) -> Result<Report, EvalError> {
    Evaluator::new(model).evaluate(facts, options)
}

/// The verdict of every provision for every party, in the order of [`evaluate`]'s report
/// (party by party, each party's provisions in file order), and nothing else: no quantities,
/// contributors, reasons or texts. For callers that judge many variants of one scenario
/// (`treaty sweep`): the same verdicts, at a fraction of the cost.
pub fn verdicts(
    model: &Model,
    facts: &Facts,
    options: &Options,
) -> Result<Vec<Verdict>, EvalError> {
    Evaluator::new(model).verdicts(facts, options)
}

/// A model made ready to evaluate scenarios: its categories' selections compiled, and what
/// depends on the model alone (each provision's rule as written, the packages its verdict may
/// depend on) found once, not once per scenario. `treaty eval` of many scenarios and
/// `treaty sweep` make one and evaluate every scenario or sample with it.
pub struct Evaluator<'m> {
    model: &'m Model,
    program: world::Program<'m>,
    /// By provision.
    prepared: Vec<Prepared>,
}

impl<'m> Evaluator<'m> {
    /// `model` made ready.
    pub fn new(model: &'m Model) -> Evaluator<'m> {
        Evaluator {
            model,
            program: world::Program::compile(model),
            prepared: model
                .provisions
                .iter()
                .map(|provision| Prepared {
                    rule: explain::rule_text(model, provision),
                    packages: packages::provision_packages(model, provision),
                })
                .collect(),
        }
    }

    /// The model it evaluates.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// [`evaluate`] with this model.
    pub fn evaluate(&self, facts: &Facts, options: &Options) -> Result<Report, EvalError> {
        let report = self.report(facts, options);
        // The compiled selections give the tree walker's answers, or none: every unit test
        // that evaluates checks it against the walker alone.
        #[cfg(test)]
        assert_eq!(
            report,
            Evaluator {
                program: world::Program::walker_only(self.model),
                prepared: self.prepared.clone(),
                ..*self
            }
            .report(facts, options),
            "the compiled selections and the walker disagree"
        );
        report
    }

    fn report(&self, facts: &Facts, options: &Options) -> Result<Report, EvalError> {
        let model = self.model;
        let readings = resolve_readings(model, &options.readings)?;
        let parties = select_parties(facts, options.party)?;
        let mut reports = Vec::with_capacity(parties.len());
        let unstated = self.unstated(facts);
        for &party in &parties {
            let mut worlds = world::Worlds::new(model, facts, party, &readings, &self.program);
            let mut provisions = Vec::new();
            let each = model.provisions.iter().zip(&self.prepared).zip(&unstated);
            for ((provision, prepared), unstated) in each {
                if provision.scope.applies_to(party) {
                    provisions.push(evaluate_provision(
                        &mut worlds,
                        provision,
                        prepared,
                        unstated,
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
        let warnings = annotate::warnings(model, facts, &parties, &reports);
        Ok(Report {
            format: FORMAT.to_string(),
            position: PositionInfo::of(model),
            scenario: ScenarioInfo::of(facts),
            readings: reading_names(model, &readings),
            warnings,
            parties: reports,
        })
    }

    /// By provision: the packages its verdict may depend on that `facts` do not state.
    fn unstated(&self, facts: &Facts) -> Vec<Vec<usize>> {
        self.prepared
            .iter()
            .map(|prepared| packages::unstated(facts, &prepared.packages))
            .collect()
    }

    /// [`verdicts`] with this model.
    pub fn verdicts(&self, facts: &Facts, options: &Options) -> Result<Vec<Verdict>, EvalError> {
        let model = self.model;
        let readings = resolve_readings(model, &options.readings)?;
        let parties = select_parties(facts, options.party)?;
        let unstated = self.unstated(facts);
        let mut verdicts = Vec::new();
        for &party in &parties {
            let mut worlds =
                world::Worlds::new(model, facts, party, &readings, &self.program).without_reasons();
            for (provision, unstated) in model.provisions.iter().zip(&unstated) {
                if provision.scope.applies_to(party) {
                    verdicts.push(provision_verdict(&mut worlds, provision, unstated)?);
                }
            }
        }
        Ok(verdicts)
    }
}

/// The verdict [`evaluate_provision`] reaches, without its report.
fn provision_verdict<'a>(
    worlds: &mut world::Worlds<'a>,
    provision: &'a Provision,
    unstated: &[usize],
) -> Result<Verdict, EvalError> {
    if !provision.period.contains(worlds.facts.date) {
        return Ok(Verdict::NotInForce);
    }
    if provision.kind == ProvisionKind::Statement || matches!(provision.rule, Rule::None) {
        return Ok(Verdict::NotEvaluable);
    }
    match packages::outcome(worlds, provision, unstated, None) {
        Ok(outcome) => Ok(outcome.verdict),
        Err(error) if annotate::stays_with_provision(&error) => Ok(Verdict::NotEvaluable),
        Err(error) => Err(error),
    }
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
    let evaluator = Evaluator::new(model);
    let mut report = evaluator.evaluate(facts, options)?;
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
        let variant = evaluator.evaluate(
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
                        quantity: verdict.quantity,
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

/// The variant of every reading that [`evaluate`] would use under `options`, by name, in file
/// order: for reports of other kinds (headroom) that name their readings as evaluations do.
pub fn reading_variants(model: &Model, options: &Options) -> Result<Readings, EvalError> {
    let readings = resolve_readings(model, &options.readings)?;
    Ok(reading_names(model, &readings))
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

/// The chosen variants, or every reading's default when none are chosen; checked against
/// the model.
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

/// The parties to evaluate: the scenario's, or the one asked for if the scenario has it.
fn select_parties(facts: &Facts, only: Option<usize>) -> Result<Vec<usize>, EvalError> {
    match only {
        None => Ok(facts.parties.clone()),
        Some(party) if facts.parties.contains(&party) => Ok(vec![party]),
        Some(party) => Err(EvalError::NoSuchParty { party }),
    }
}

/// Each reading's name and its chosen variant's, for the report.
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

/// A party's name, for reports and errors.
fn party_name(model: &Model, party: usize) -> String {
    model
        .parties
        .get(party)
        .cloned()
        .unwrap_or_else(|| format!("party #{party}"))
}

/// What [`evaluate_provision`] needs of a provision that depends on the model alone.
#[derive(Clone)]
struct Prepared {
    /// The rule as people write it.
    rule: Option<String>,
    /// The packages its verdict may depend on, stated in the scenario or not.
    packages: Vec<usize>,
}

/// One provision for the party of `worlds`: its report, verdict and reasons.
fn evaluate_provision<'a>(
    worlds: &mut world::Worlds<'a>,
    provision: &'a Provision,
    prepared: &Prepared,
    unstated: &[usize],
) -> Result<ProvisionReport, EvalError> {
    let (model, facts, party) = (worlds.model, worlds.facts, worlds.party);
    let mut report = ProvisionReport {
        id: provision.id.clone(),
        kind: provision.kind,
        verdict: Verdict::NotEvaluable,
        label: provision.label.clone(),
        rule: prepared.rule.clone(),
        quantity: None,
        estimated: false,
        bound: None,
        in_force: None,
        excess: None,
        declared: None,
        declared_consistent: None,
        declared_verdict: None,
        quotes: provision.quotes.iter().map(|q| q.text.clone()).collect(),
        quote_sources: if provision.quotes.iter().any(|q| q.source.is_some()) {
            provision
                .quotes
                .iter()
                .map(|q| q.source.clone().unwrap_or_default())
                .collect()
        } else {
            Vec::new()
        },
        cites: provision.cites.clone(),
        notes: provision.notes.clone(),
        remarks: Vec::new(),
        conditions: provision.condition_texts.clone(),
        contributors: Vec::new(),
        excluded: Vec::new(),
        unknowns: Vec::new(),
        by_reading: None,
        depends_on_reading: None,
    };
    // Only a quantity can be set beside a declared figure.
    let declared = match provision.kind {
        ProvisionKind::Limit | ProvisionKind::Ban => {
            annotate::declared_figure(facts, party, provision)
        }
        ProvisionKind::Assurance | ProvisionKind::Statement => None,
    };
    let in_force = provision.period.contains(facts.date);
    let relative =
        provision.period_written.from.is_some() || provision.period_written.until.is_some();
    if !in_force || relative {
        report.in_force = Some(PeriodReport {
            from: provision.period.from,
            from_written: provision.period_written.from.clone(),
            until: provision.period.until,
            until_written: provision.period_written.until.clone(),
        });
    }
    if !in_force {
        report.verdict = Verdict::NotInForce;
        // What it would measure if it were in force: users ask "what would it be?". A
        // quantity that cannot be computed is left out; the verdict stands either way.
        if let Ok(outcome) = packages::outcome_as_if(worlds, provision, unstated) {
            fill(&mut report, outcome.hypothetical(), facts);
        }
        annotate::annotate(&mut report, model, provision, declared, None);
        return Ok(report);
    }
    if provision.kind == ProvisionKind::Statement || matches!(provision.rule, Rule::None) {
        report.verdict = Verdict::NotEvaluable;
        return Ok(report);
    }
    let outcome = match packages::outcome(worlds, provision, unstated, declared) {
        Ok(outcome) => outcome,
        // One provision's overflow leaves the rest of the report standing.
        Err(error) if annotate::stays_with_provision(&error) => {
            report.verdict = Verdict::NotEvaluable;
            report.remarks.push(annotate::remark_of(&error));
            annotate::annotate(&mut report, model, provision, declared, None);
            return Ok(report);
        }
        Err(error) => return Err(error),
    };
    report.verdict = outcome.verdict;
    let declared_verdict = outcome.declared_verdict;
    fill(&mut report, outcome, facts);
    annotate::annotate(&mut report, model, provision, declared, declared_verdict);
    Ok(report)
}

/// A report's quantity, bound, excess, contributors and unknowns, from an outcome.
fn fill(report: &mut ProvisionReport, outcome: world::Outcome, facts: &Facts) {
    report.quantity = outcome.quantity;
    report.bound = outcome.bound;
    report.excess = outcome.excess;
    report.contributors = contributors::into_report(outcome.contributors, facts);
    report.excluded = contributors::into_report(outcome.excluded, facts);
    report.unknowns = explain::dedup(outcome.unknowns);
}
