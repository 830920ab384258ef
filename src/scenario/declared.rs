//! `[declared.PARTY]`: the figures a party declared, keyed by provision id. The ids are not
//! checked here: a scenario serves every position of its vocabulary, and each position
//! reports the ids it does not have as a warning when it evaluates the scenario.

use crate::interval::Interval;

use super::load::Loader;
use super::number::{NumberError, parse_count_text, whole_from_literal};
use super::raw::{Entry, Format, ValueKind};
use super::{Code, Declared, UNKNOWN};

impl Loader<'_> {
    /// The declared figures of every party; `None` when one of them has a problem.
    pub(super) fn declared(
        &mut self,
        entry: &Entry,
        parties: Option<&[usize]>,
    ) -> Option<Vec<Declared>> {
        let help = match self.format {
            Format::Toml => "write the figures of each party as a table: `[declared.USA]`",
            Format::Json => "write the figures as an object: `\"declared\": { \"USA\": { … } }`",
        };
        let entries = self.table("declared", &entry.value, Some(help.to_owned()))?;
        let mut declared = Vec::new();
        let mut ok = true;
        for by_party in entries {
            let party = self.listed_party(&by_party.key, by_party.key_span, parties);
            let key = format!("declared.{}", by_party.key);
            let Some(figures) = self.table(&key, &by_party.value, None) else {
                ok = false;
                continue;
            };
            for figure in figures {
                let read = self.figure(&figure.key, figure);
                match (party, read) {
                    (Some(party), Some(interval)) => declared.push(Declared {
                        party,
                        provision: figure.key.clone(),
                        figure: interval,
                        span: figure.key_span,
                    }),
                    _ => ok = false,
                }
            }
            ok &= party.is_some();
        }
        ok.then_some(declared)
    }

    /// One declared figure: a whole number, or a closed interval `"798..800"`.
    fn figure(&mut self, id: &str, entry: &Entry) -> Option<Interval> {
        let value = &entry.value;
        let result = match &value.kind {
            ValueKind::Integer(number) => u64::try_from(*number)
                .map(Interval::exact)
                .map_err(|_| NumberError::Negative),
            // Read from its digits, exactly, as counts are.
            ValueKind::Float(_) => {
                whole_from_literal(&self.written(value).replace('_', "")).map(Interval::exact)
            }
            ValueKind::String(text) if text.trim() == UNKNOWN => {
                self.report(
                    Code::InvalidNumber,
                    format!("declared figure `{id}` cannot be `{UNKNOWN}`"),
                    value.span,
                    "not a figure",
                    Some("a party either declared a figure or did not: leave the id out when it declared none".to_owned()),
                );
                return None;
            }
            ValueKind::String(text) => parse_count_text(text, false),
            _ => {
                let help =
                    "write a whole number such as `1457`, or an interval such as `\"798..800\"`";
                self.wrong_type(id, "a declared figure", value, Some(help.to_owned()));
                return None;
            }
        };
        match result {
            Ok(figure) => Some(figure),
            Err(NumberError::OpenEnded) => {
                self.report(
                    Code::InvalidNumber,
                    format!("declared figure `{id}` has no upper bound"),
                    value.span,
                    "not a closed interval",
                    Some("a declared figure is a whole number or a closed interval such as `\"798..800\"`".to_owned()),
                );
                None
            }
            Err(err) => {
                let text = match &value.kind {
                    ValueKind::String(text) => text.clone(),
                    _ => self
                        .file
                        .text
                        .get(value.span.range())
                        .unwrap_or_default()
                        .to_owned(),
                };
                self.number_error(err, id, "a declared figure", &text, value);
                None
            }
        }
    }
}
