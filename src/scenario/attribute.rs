//! Reading the values a scenario gives — attributes against the vocabulary's types, counts,
//! dates and references to weapon types — and saying what is wrong with them.

use crate::diagnostics::{closest, help_with, list};
use crate::interval::Interval;
use crate::model::{AttributeDef, AttributeType, Date, UNITS, Unit};

use super::load::Loader;
use super::number::{
    MAX_ATTRIBUTE, NumberError, QuantityError, article, capitalise, inverted_help,
    parse_count_text, parse_quantity, units_of, whole_from_literal,
};
use super::raw::{Format, Value, ValueKind};
use super::{Code, Fact, UNKNOWN};

impl Loader<'_> {
    /// A date: a TOML date, or a string `YYYY-MM-DD`; `None` after reporting a problem.
    pub(super) fn date(&mut self, key: &str, value: &Value) -> Option<Date> {
        let help = match self.format {
            Format::Toml => "write the date as YYYY-MM-DD, e.g. `1979-06-18`",
            Format::Json => "write the date as a string YYYY-MM-DD, e.g. `\"1979-06-18\"`",
        };
        let (text, reason) = match &value.kind {
            ValueKind::Date { year, month, day } => match Date::new(i32::from(*year), *month, *day)
            {
                Some(date) => return Some(date),
                None => (format!("{year:04}-{month:02}-{day:02}"), "no such day"),
            },
            ValueKind::String(text) => match Date::parse(text.trim()) {
                Some(date) => return Some(date),
                None if looks_like_date(text) => (text.clone(), "no such day"),
                None => (text.clone(), "expected YYYY-MM-DD"),
            },
            ValueKind::OtherDatetime(text) => {
                self.report(
                    Code::InvalidDate,
                    format!("`{text}` is not a date"),
                    value.span,
                    "a date and time",
                    Some("write the date only, as YYYY-MM-DD".to_owned()),
                );
                return None;
            }
            _ => {
                self.wrong_type(key, "a date", value, Some(help.to_owned()));
                return None;
            }
        };
        self.report(
            Code::InvalidDate,
            format!("`{text}` is not a date"),
            value.span,
            reason,
            Some(help.to_owned()),
        );
        None
    }

    /// A value as the writer would quote it: a string's text, or the source of anything else.
    pub(super) fn written(&self, value: &Value) -> String {
        match &value.kind {
            ValueKind::String(text) => text.clone(),
            _ => self
                .file
                .text
                .get(value.span.range())
                .unwrap_or_default()
                .to_owned(),
        }
    }

    /// A number written without quotes, read exactly from how it is written (TOML's `_`
    /// between digits left out): a float's value may have been rounded.
    fn whole_number(&self, value: &Value) -> Result<Interval, NumberError> {
        match &value.kind {
            ValueKind::Integer(number) => u64::try_from(*number)
                .map(Interval::exact)
                .map_err(|_| NumberError::Negative),
            _ => whole_from_literal(&self.written(value).replace('_', "")).map(Interval::exact),
        }
    }

    /// A holding's `count`: a whole number, an interval (perhaps open-ended) or `unknown`.
    pub(super) fn count(&mut self, value: &Value) -> Option<Interval> {
        let text = self.written(value);
        let result = match &value.kind {
            ValueKind::Integer(_) | ValueKind::Float(_) => self.whole_number(value),
            ValueKind::String(written) => parse_count_text(written, true),
            _ => {
                let help = "write a whole number such as `550`, an interval such as `\"140..160\"`, or `\"unknown\"`";
                self.wrong_type("count", "a count", value, Some(help.to_owned()));
                return None;
            }
        };
        match result {
            Ok(count) => Some(count),
            Err(err) => {
                self.number_error(err, "count", "a count", &text, value);
                None
            }
        }
    }

    /// Report why `text`, the value of `key`, is not `expected` (a count or a whole number).
    pub(super) fn number_error(
        &mut self,
        err: NumberError,
        key: &str,
        expected: &str,
        text: &str,
        value: &Value,
    ) {
        let (code, message, label, help) = match err {
            NumberError::Invalid => (
                Code::InvalidNumber,
                format!("`{text}` is not {expected}"),
                format!("not {expected}"),
                format!(
                    "write a whole number such as `550`, an interval such as `\"140..160\"`, or `\"{UNKNOWN}\"`"
                ),
            ),
            NumberError::TooLarge(limit) => (
                Code::InvalidNumber,
                format!("`{text}` is not {expected} this program can hold"),
                format!("not {expected} this program can hold"),
                if limit == MAX_ATTRIBUTE {
                    format!(
                        "an integer attribute is at most {limit} (2^53: beyond it not every \
                         whole number can be compared exactly)"
                    )
                } else {
                    format!("{} is at most {limit}", capitalise(expected))
                },
            ),
            NumberError::OpenEnded => (
                Code::InvalidNumber,
                format!("`{text}` is not {expected} with an upper bound"),
                format!("not {expected} with an upper bound"),
                format!("give an upper bound, or write `\"{UNKNOWN}\"` if nothing is known"),
            ),
            NumberError::Negative => (
                Code::NegativeNumber,
                format!("`{key}` cannot be negative"),
                format!("`{text}` is negative"),
                "counts and sizes are never negative".to_owned(),
            ),
            NumberError::Fraction => (
                Code::NotAnInteger,
                format!("`{key}` must be a whole number"),
                format!("`{text}` has a fraction"),
                "write a whole number, or an interval such as `\"140..160\"` for an estimate"
                    .to_owned(),
            ),
            NumberError::Inverted => (
                Code::InvertedInterval,
                format!("interval `{text}` runs backwards"),
                "the lower bound is larger than the upper bound".to_owned(),
                inverted_help(text),
            ),
        };
        self.report(code, message, value.span, label, Some(help));
    }

    /// What a scenario says of one attribute; `None` after reporting a problem.
    pub(super) fn fact(&mut self, def: &AttributeDef, value: &Value) -> Option<Fact> {
        if let ValueKind::String(text) = &value.kind {
            if text == UNKNOWN {
                return Some(Fact::Unknown);
            }
        }
        let key = def.name.as_str();
        let written = self.written(value);
        match &def.ty {
            AttributeType::Boolean => match &value.kind {
                ValueKind::Bool(b) => Some(Fact::Bool(*b)),
                _ => {
                    let help = match &value.kind {
                        ValueKind::String(text)
                            if matches!(
                                text.to_lowercase().as_str(),
                                "true" | "false" | "yes" | "no"
                            ) =>
                        {
                            let word = if matches!(text.to_lowercase().as_str(), "true" | "yes") {
                                "true"
                            } else {
                                "false"
                            };
                            format!("write `{word}` without quotes")
                        }
                        _ => format!("write `true`, `false` or `\"{UNKNOWN}\"`"),
                    };
                    self.wrong_type(key, "`true` or `false`", value, Some(help));
                    None
                }
            },
            AttributeType::Integer => {
                let result = match &value.kind {
                    ValueKind::Integer(_) | ValueKind::Float(_) => self.whole_number(value),
                    ValueKind::String(text) => parse_count_text(text, false),
                    _ => {
                        let help = Some(format!(
                            "write a whole number such as `3`, an interval such as `\"3..10\"`, or `\"{UNKNOWN}\"`"
                        ));
                        self.wrong_type(key, "a whole number", value, help);
                        return None;
                    }
                };
                let result = result.and_then(|interval| match interval.max {
                    Some(max) if max > MAX_ATTRIBUTE => Err(NumberError::TooLarge(MAX_ATTRIBUTE)),
                    _ => Ok(interval),
                });
                match result {
                    Ok(Interval {
                        min,
                        max: Some(max),
                    }) => Some(Fact::Number {
                        min: min as f64,
                        max: max as f64,
                    }),
                    Ok(Interval { max: None, .. }) => Some(Fact::Unknown),
                    Err(err) => {
                        self.number_error(err, key, "a whole number", &written, value);
                        None
                    }
                }
            }
            AttributeType::Quantity { unit } => self.quantity(def, *unit, value, &written),
            AttributeType::Date => self.date(key, value).map(Fact::Date),
            AttributeType::Enum { values } => {
                let ValueKind::String(text) = &value.kind else {
                    let help = Some(format!(
                        "write one of {}, or `{UNKNOWN}`, as a string",
                        list(values.iter().map(String::as_str), 30)
                    ));
                    self.wrong_type(key, &def.ty.describe(), value, help);
                    return None;
                };
                if let Some(index) = values.iter().position(|v| v == text) {
                    return Some(Fact::Enum(index));
                }
                let suggestion = closest(text, values.iter().map(String::as_str));
                let rest = format!(
                    "the values of `{key}` are {}, or `{UNKNOWN}`",
                    list(values.iter().map(String::as_str), 30)
                );
                self.report(
                    Code::UnknownValue,
                    format!("`{text}` is not a value of `{key}`"),
                    value.span,
                    format!("not one of the values of `{key}`"),
                    Some(help_with(suggestion, &rest)),
                );
                None
            }
            AttributeType::Reference => {
                let ValueKind::String(text) = &value.kind else {
                    self.wrong_type(key, "the name of a weapon type", value, None);
                    return None;
                };
                self.type_reference(text, value).map(Fact::Reference)
            }
            AttributeType::List => {
                let ValueKind::Array(items) = &value.kind else {
                    let help = match &value.kind {
                        ValueKind::String(text) => Some(format!("write a list: `[\"{text}\"]`")),
                        _ => Some(format!(
                            "write a list of weapon type names, `[]` for none, or `\"{UNKNOWN}\"`"
                        )),
                    };
                    self.wrong_type(key, "a list of weapon types", value, help);
                    return None;
                };
                let mut types = Vec::new();
                let mut ok = true;
                for item in items {
                    let ValueKind::String(text) = &item.kind else {
                        self.wrong_type(key, "the name of a weapon type", item, None);
                        ok = false;
                        continue;
                    };
                    match self.type_reference(text, item) {
                        Some(index) => types.push(index),
                        None => ok = false,
                    }
                }
                ok.then_some(Fact::List(types))
            }
        }
    }

    /// The index of the weapon type `name` (written at `value`) in `Facts::types`.
    fn type_reference(&mut self, name: &str, value: &Value) -> Option<usize> {
        if let Some(&index) = self.types.get(name) {
            return Some(index);
        }
        if name == UNKNOWN {
            // Only in a list: a reference alone may be `"unknown"`.
            self.report(
                Code::UnknownType,
                format!("`{UNKNOWN}` cannot be an item of a list of weapon types"),
                value.span,
                "not a weapon type",
                Some(format!(
                    "write `\"{UNKNOWN}\"` instead of the whole list when the list is not known; list the weapon types that are known otherwise"
                )),
            );
            return None;
        }
        let suggestion = closest(name, self.types.keys().map(String::as_str));
        // Several names may be equally close; the map's order must not decide.
        let suggestion = suggestion.map(str::to_owned);
        let rest = match self.format {
            Format::Toml => format!("define it as `[types.\"{name}\"]`, or write `\"{UNKNOWN}\"`"),
            Format::Json => format!("define it under `\"types\"`, or write `\"{UNKNOWN}\"`"),
        };
        self.report(
            Code::UnknownType,
            format!("no weapon type `{name}` in `types`"),
            value.span,
            "unknown weapon type",
            Some(help_with(suggestion.as_deref(), &rest)),
        );
        None
    }

    /// A quantity of `unit`'s dimension, in its base unit: `"13000 km"`, `"2200..5500 km"`.
    fn quantity(
        &mut self,
        def: &AttributeDef,
        unit: Unit,
        value: &Value,
        written: &str,
    ) -> Option<Fact> {
        let key = def.name.as_str();
        let text = match &value.kind {
            ValueKind::String(text) => text.as_str(),
            ValueKind::Integer(_) | ValueKind::Float(_) => {
                self.report(
                    Code::MissingUnit,
                    format!("`{key}` needs a unit"),
                    value.span,
                    "a number without a unit",
                    Some(format!(
                        "write the unit, e.g. `{written} {}`, as a string: `\"{written} {}\"`",
                        unit.symbol, unit.symbol
                    )),
                );
                return None;
            }
            _ => {
                let help = Some(format!(
                    "write a number and a unit, e.g. `\"13000 {}\"`, or `\"{UNKNOWN}\"`",
                    unit.symbol
                ));
                self.wrong_type(key, &def.ty.describe(), value, help);
                return None;
            }
        };
        let err = match parse_quantity(text, unit) {
            Ok((min, max)) => return Some(Fact::Number { min, max }),
            Err(err) => err,
        };
        let dimension = unit.dimension.as_str();
        let units = list(units_of(unit.dimension), 20);
        let (code, message, label, help) = match err {
            QuantityError::Invalid => {
                let expected = def.ty.describe();
                (
                    Code::InvalidNumber,
                    format!("`{text}` is not {expected}"),
                    format!("not {expected}"),
                    format!(
                        "write a number and a unit, e.g. `13000 {0}`, an interval, e.g. `2200..5500 {0}`, or `{UNKNOWN}`",
                        unit.symbol
                    ),
                )
            }
            QuantityError::Negative => (
                Code::NegativeNumber,
                format!("`{key}` cannot be negative"),
                format!("`{text}` is negative"),
                format!(
                    "{} {dimension} is never negative",
                    capitalise(article(dimension))
                ),
            ),
            QuantityError::MissingUnit => (
                Code::MissingUnit,
                format!("`{key}` needs a unit"),
                "a number without a unit".to_owned(),
                format!("write the unit, e.g. `{} {}`", text.trim(), unit.symbol),
            ),
            QuantityError::UnknownUnit(symbol) => {
                let suggestion = closest(&symbol, units_of(unit.dimension))
                    .or_else(|| closest(&symbol, UNITS.iter().map(|u| u.symbol)));
                (
                    Code::UnknownUnit,
                    format!("unknown unit `{symbol}`"),
                    "not a unit".to_owned(),
                    help_with(suggestion, &format!("the units of {dimension} are {units}")),
                )
            }
            QuantityError::WrongUnit(found) => {
                let found_dimension = found.dimension.as_str();
                let found = format!("{} {found_dimension}", article(found_dimension));
                let expected = format!("{} {dimension}", article(dimension));
                (
                    Code::WrongUnit,
                    format!("`{text}` is {found}, but `{key}` is {expected}"),
                    format!("unit of {found}"),
                    format!("use a unit of {dimension}: {units}"),
                )
            }
            QuantityError::Inverted => (
                Code::InvertedInterval,
                format!("interval `{text}` runs backwards"),
                "the lower bound is larger than the upper bound".to_owned(),
                inverted_help(text),
            ),
            QuantityError::TooLarge => (
                Code::InvalidNumber,
                format!(
                    "`{text}` is not {} this program can hold",
                    def.ty.describe()
                ),
                "too large to hold".to_owned(),
                format!("check the number: no {dimension} this large can be held"),
            ),
        };
        self.report(code, message, value.span, label, Some(help));
        None
    }
}

/// `YYYY-MM-DD` in shape (four, two and two digits), whatever the numbers: `1973-02-30` is
/// no such day, `1973-1-1` is not in the shape.
fn looks_like_date(text: &str) -> bool {
    let parts: Vec<&str> = text.trim().split('-').collect();
    parts.len() == 3
        && parts
            .iter()
            .zip([4, 2, 2])
            .all(|(part, len)| part.len() == len && part.chars().all(|c| c.is_ascii_digit()))
}
