//! What to evaluate: the readings and the party, by index ([`Options`]) or by name as the
//! command line gives them ([`Chosen::from_names`]).

use crate::diagnostics::{Problem, codes, did_you_mean, the_names};
use crate::model::Model;

codes! { "usage",
    MalformedReading => "malformed_reading", Error;
    UnknownReading => "unknown_reading", Error;
    UnknownVariant => "unknown_variant", Error;
    UnknownParty => "unknown_party", Error;
    ConflictingReadings => "conflicting_readings", Error;
}

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

/// [`Options`] chosen by name, and which readings were named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    /// Each named reading's variant, every other reading's default, and the party if named.
    pub options: Options,
    /// The readings named, in the order given (indices into `Model::readings`): evaluating
    /// under every combination of readings holds these fixed, as the user settled them (see
    /// [`evaluate_all_readings_except`](super::evaluate_all_readings_except)).
    pub fixed: Vec<usize>,
}

impl Chosen {
    /// Resolve `NAME=VARIANT` reading choices (`--reading`, applied in order on top of the
    /// defaults) and a party name (`--party`) against `model`. The first name the model does
    /// not know is a [`Problem`] with a code of this module's [`Code`] and, where one is close,
    /// a "did you mean", else the names there are.
    pub fn from_names(
        model: &Model,
        readings: &[String],
        party: Option<&str>,
    ) -> Result<Chosen, Problem> {
        let mut options = Options::defaults(model);
        let mut fixed = Vec::new();
        for choice in readings {
            let (reading, variant) = reading_choice(model, choice)?;
            if let Some(slot) = options.readings.get_mut(reading) {
                // The same reading chosen twice two ways is a contradiction, not a
                // last-one-wins: the user cannot have meant both.
                if fixed.contains(&reading) && *slot != variant {
                    return Err(conflicting(model, reading, *slot, variant));
                }
                *slot = variant;
            }
            if !fixed.contains(&reading) {
                fixed.push(reading);
            }
        }
        options.party = party.map(|name| party_named(model, name)).transpose()?;
        Ok(Chosen { options, fixed })
    }
}

/// `--reading NAME=A --reading NAME=B`.
fn conflicting(model: &Model, reading: usize, first: usize, second: usize) -> Problem {
    let reading = model.readings.get(reading);
    let name = reading.map_or("?", |r| r.name.as_str());
    let variant = |index: usize| {
        reading
            .and_then(|r| r.variants.get(index))
            .map_or("?", |v| v.name.as_str())
    };
    Problem::new(
        Code::ConflictingReadings,
        format!(
            "reading `{name}` is chosen twice: `{}` and `{}`",
            variant(first),
            variant(second)
        ),
    )
    .with_help(format!(
        "choose one variant of `{name}`, or give `--all-readings` without it to see the verdicts under each"
    ))
}

impl Chosen {
    /// Reading choices for several positions compared on one scenario: each `NAME=VARIANT`
    /// applies to every position that declares the reading `NAME` (the others' readings keep
    /// their defaults). A reading no position declares is a [`Problem`] with a "did you mean"
    /// over the readings of them all; a variant a declaring position does not have, one that
    /// names the position.
    pub fn across(models: &[&Model], readings: &[String]) -> Result<Vec<Chosen>, Problem> {
        let mut chosen: Vec<Chosen> = models
            .iter()
            .map(|model| Chosen {
                options: Options::defaults(model),
                fixed: Vec::new(),
            })
            .collect();
        for choice in readings {
            let name = choice.split_once('=').map(|(name, _)| name.trim());
            let declaring: Vec<usize> = models
                .iter()
                .enumerate()
                .filter(|(_, model)| name.is_some_and(|name| model.reading(name).is_some()))
                .map(|(index, _)| index)
                .collect();
            if declaring.is_empty() {
                return Err(unknown_everywhere(models, choice));
            }
            for index in declaring {
                let (Some(model), Some(entry)) = (models.get(index), chosen.get_mut(index)) else {
                    continue;
                };
                let (reading, variant) = reading_choice(model, choice).map_err(|problem| {
                    let help = problem.help.clone().unwrap_or_default();
                    Problem::new(
                        Code::UnknownVariant,
                        format!("{} in `{}`", problem.message, model.file.name),
                    )
                    .with_help(help)
                })?;
                if let Some(slot) = entry.options.readings.get_mut(reading) {
                    *slot = variant;
                }
                entry.fixed.push(reading);
            }
        }
        Ok(chosen)
    }
}

/// `--reading NAME=VARIANT` where no position compared declares `NAME` (or the choice is not
/// `NAME=VARIANT`).
fn unknown_everywhere(models: &[&Model], choice: &str) -> Problem {
    let Some((name, _)) = choice.split_once('=') else {
        return Problem::new(
            Code::MalformedReading,
            format!("`--reading {choice}` is not NAME=VARIANT"),
        );
    };
    let name = name.trim();
    let mut names: Vec<&str> = Vec::new();
    for model in models {
        for reading in &model.readings {
            if !names.contains(&reading.name.as_str()) {
                names.push(&reading.name);
            }
        }
    }
    let help = did_you_mean(name, names.iter().copied()).unwrap_or_else(|| {
        if names.is_empty() {
            "no position compared has readings".to_string()
        } else {
            the_names("readings", names.iter().copied())
        }
    });
    Problem::new(
        Code::UnknownReading,
        format!("no position compared has a reading `{name}`"),
    )
    .with_help(help)
}

/// `NAME=VARIANT` as (reading, variant) indices.
fn reading_choice(model: &Model, choice: &str) -> Result<(usize, usize), Problem> {
    let Some((name, variant)) = choice.split_once('=') else {
        return Err(Problem::new(
            Code::MalformedReading,
            format!("`--reading {choice}` is not NAME=VARIANT"),
        ));
    };
    let (name, variant) = (name.trim(), variant.trim());
    let names = || model.readings.iter().map(|r| r.name.as_str());
    let Some(reading) = model.reading(name) else {
        let help = did_you_mean(name, names()).unwrap_or_else(|| {
            if model.readings.is_empty() {
                "this position has no readings".to_string()
            } else {
                the_names("readings", names())
            }
        });
        return Err(
            Problem::new(Code::UnknownReading, format!("unknown reading `{name}`")).with_help(help),
        );
    };
    let variants = model
        .readings
        .get(reading)
        .map(|r| r.variants.as_slice())
        .unwrap_or_default();
    let Some(index) = variants.iter().position(|v| v.name == variant) else {
        let names = || variants.iter().map(|v| v.name.as_str());
        let help = did_you_mean(variant, names()).unwrap_or_else(|| the_names("variants", names()));
        return Err(Problem::new(
            Code::UnknownVariant,
            format!("unknown variant `{variant}` of reading `{name}`"),
        )
        .with_help(help));
    };
    Ok((reading, index))
}

/// The party called `name`.
fn party_named(model: &Model, name: &str) -> Result<usize, Problem> {
    model.party(name).ok_or_else(|| {
        let help = did_you_mean(name, model.parties.iter().map(String::as_str))
            .unwrap_or_else(|| the_names("parties", model.parties.iter().map(String::as_str)));
        Problem::new(Code::UnknownParty, format!("unknown party `{name}`")).with_help(help)
    })
}
