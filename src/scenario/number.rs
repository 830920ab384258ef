//! How numbers, counts and quantities are written in a scenario, read without reference to
//! the file: the loader turns what goes wrong here into diagnostics.

use crate::interval::Interval;
use crate::model::{Dimension, UNITS, Unit};

use super::UNKNOWN;

/// "a" or "an" before `word`.
pub(super) fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The units of one dimension.
pub(super) fn units_of(dimension: Dimension) -> impl Iterator<Item = &'static str> {
    UNITS
        .iter()
        .filter(move |u| u.dimension == dimension)
        .map(|u| u.symbol)
}

/// What went wrong reading a whole number or an interval of whole numbers.
pub(super) enum NumberError {
    Invalid,
    Negative,
    Fraction,
    TooLarge,
    /// `a..b` with `a > b`.
    Inverted,
    /// `a..unknown` where an upper bound is needed.
    OpenEnded,
}

/// What went wrong reading a quantity.
pub(super) enum QuantityError {
    Invalid,
    Negative,
    MissingUnit,
    UnknownUnit(String),
    WrongUnit(Unit),
    Inverted,
}

/// A whole number written as text.
fn parse_whole(text: &str) -> Result<u64, NumberError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(NumberError::Invalid);
    }
    if text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse::<u64>().map_err(|_| NumberError::TooLarge);
    }
    if !text.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+' || c == '.') {
        return Err(NumberError::Invalid);
    }
    match text.parse::<f64>() {
        Ok(number) if number.is_finite() => whole_from_float(number),
        _ => Err(NumberError::Invalid),
    }
}

/// The largest whole number a float holds exactly.
pub(super) const MAX_EXACT_FLOAT: f64 = 9_007_199_254_740_992.0;

/// A float that must be a whole, non-negative number.
pub(super) fn whole_from_float(number: f64) -> Result<u64, NumberError> {
    if !number.is_finite() {
        Err(NumberError::Invalid)
    } else if number < 0.0 && number != 0.0 {
        Err(NumberError::Negative)
    } else if number.fract() != 0.0 {
        Err(NumberError::Fraction)
    } else if number > MAX_EXACT_FLOAT {
        Err(NumberError::TooLarge)
    } else {
        // Whole, non-negative and at most 2^53: the conversion is exact.
        Ok(number as u64)
    }
}

/// `"550"`, `"140..160"`, `"140..unknown"` (when `open_ended`) or `"unknown"`.
pub(super) fn parse_count_text(text: &str, open_ended: bool) -> Result<Interval, NumberError> {
    let trimmed = text.trim();
    if trimmed == UNKNOWN {
        return Ok(Interval::UNKNOWN);
    }
    let Some((low, high)) = trimmed.split_once("..") else {
        return parse_whole(trimmed).map(Interval::exact);
    };
    if high.starts_with('.') || high.contains("..") {
        return Err(NumberError::Invalid);
    }
    let low = parse_whole(low)?;
    if high.trim() == UNKNOWN {
        return if open_ended {
            Ok(Interval {
                min: low,
                max: None,
            })
        } else {
            Err(NumberError::OpenEnded)
        };
    }
    let high = parse_whole(high)?;
    Interval::new(low, high).ok_or(NumberError::Inverted)
}

/// A number and an optional unit: `"13000 km"`, `"13000km"`, `"13000"`.
fn parse_amount(text: &str) -> Result<(f64, Option<&str>), QuantityError> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+')))
        .unwrap_or(text.len());
    let (Some(number), Some(rest)) = (text.get(..split), text.get(split..)) else {
        return Err(QuantityError::Invalid);
    };
    let number: f64 = match number.parse::<f64>() {
        Ok(number) if number.is_finite() => number,
        _ => return Err(QuantityError::Invalid),
    };
    let rest = rest.trim();
    if rest.is_empty() {
        Ok((number, None))
    } else if rest.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok((number, Some(rest)))
    } else {
        Err(QuantityError::Invalid)
    }
}

/// The factor to the base unit of `expected`'s dimension.
fn unit_factor(symbol: &str, expected: Unit) -> Result<f64, QuantityError> {
    let found =
        crate::model::unit(symbol).ok_or_else(|| QuantityError::UnknownUnit(symbol.to_owned()))?;
    if found.dimension == expected.dimension {
        Ok(found.factor)
    } else {
        Err(QuantityError::WrongUnit(found))
    }
}

/// `"13000 km"`, `"2200..5500 km"` or `"2200 km..5500 km"`, in the base unit.
pub(super) fn parse_quantity(text: &str, expected: Unit) -> Result<(f64, f64), QuantityError> {
    let (low, high) = match text.split_once("..") {
        Some((low, high)) if !high.starts_with('.') && !high.contains("..") => (low, Some(high)),
        Some(_) => return Err(QuantityError::Invalid),
        None => (text, None),
    };
    let (low_number, low_unit) = parse_amount(low)?;
    let Some(high) = high else {
        let symbol = low_unit.ok_or(QuantityError::MissingUnit)?;
        let factor = unit_factor(symbol, expected)?;
        if low_number < 0.0 {
            return Err(QuantityError::Negative);
        }
        let value = low_number * factor;
        return Ok((value, value));
    };
    let (high_number, high_unit) = parse_amount(high)?;
    let high_symbol = high_unit.ok_or(QuantityError::MissingUnit)?;
    let low_factor = unit_factor(low_unit.unwrap_or(high_symbol), expected)?;
    let high_factor = unit_factor(high_symbol, expected)?;
    if low_number < 0.0 || high_number < 0.0 {
        return Err(QuantityError::Negative);
    }
    let (min, max) = (low_number * low_factor, high_number * high_factor);
    if min > max {
        return Err(QuantityError::Inverted);
    }
    Ok((min, max))
}

/// `word` with a capital first letter.
pub(super) fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "write the smaller bound first: `2200..5500 km`".
pub(super) fn inverted_help(text: &str) -> String {
    let text = text.trim().trim_matches('"');
    let Some((low, high)) = text.split_once("..") else {
        return "write the smaller bound first".to_owned();
    };
    let (low, high) = (low.trim(), high.trim());
    // "5500..2200 km": the unit after the interval stays after it.
    let split = high
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+')))
        .unwrap_or(high.len());
    let (high_number, unit) = (
        high.get(..split).unwrap_or(high),
        high.get(split..).unwrap_or("").trim(),
    );
    let low_has_unit = low.ends_with(|c: char| c.is_ascii_alphabetic());
    let swapped = if unit.is_empty() || low_has_unit {
        format!("{high}..{low}")
    } else {
        format!("{high_number}..{low} {unit}")
    };
    format!("write the smaller bound first: `{swapped}`")
}
