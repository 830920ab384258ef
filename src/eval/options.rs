//! What to evaluate: the readings and the party.

use crate::model::Model;

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
