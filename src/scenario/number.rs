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
    /// Over the largest value that can be held: this one.
    TooLarge(u64),
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
    /// Not a finite number once converted to the base unit.
    TooLarge,
}

/// A whole number written as text (also inside a string): `550`, `+5`, `5.0`, `1e3`.
fn parse_whole(text: &str) -> Result<u64, NumberError> {
    whole_from_literal(text.trim())
}

/// The largest whole number an integer attribute holds (attributes are compared as floats,
/// which hold every whole number exactly up to 2^53, and not all beyond).
pub(super) const MAX_ATTRIBUTE: u64 = 1 << 53;

/// A number written as TOML or JSON writes one (`550`, `+5`, `-0.0`, `5.0`, `1e3`, `15E-1`),
/// which must be a whole, non-negative `u64`. Read exactly, from its digits: never through a
/// float, which would read `9007199254740993.0` as 9007199254740992.
pub(super) fn whole_from_literal(text: &str) -> Result<u64, NumberError> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (
            unsigned.get(..at).unwrap_or_default(),
            Some(unsigned.get(at.saturating_add(1)..).unwrap_or_default()),
        ),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) {
        return Err(NumberError::Invalid);
    }
    // The value is `significant × 10^scale`.
    let exponent: i64 = match exponent {
        None => 0,
        Some(written) => {
            let magnitude = written.strip_prefix(['+', '-']).unwrap_or(written);
            if magnitude.is_empty() || !digits(magnitude) {
                return Err(NumberError::Invalid);
            }
            // Any exponent past ±2^50 is as good as infinite here.
            let value = magnitude.parse::<i64>().unwrap_or(i64::MAX).min(1 << 50);
            if written.starts_with('-') {
                value.saturating_neg()
            } else {
                value
            }
        }
    };
    let all = format!("{whole}{fraction}");
    let significant = all.trim_start_matches('0');
    if significant.is_empty() {
        return Ok(0); // zero, `-0.0` included
    }
    if negative {
        return Err(NumberError::Negative);
    }
    let kept = significant.trim_end_matches('0');
    let zeros = significant.len().saturating_sub(kept.len());
    let fraction_len = i64::try_from(fraction.len()).unwrap_or(i64::MAX);
    let scale = exponent
        .saturating_sub(fraction_len)
        .saturating_add(i64::try_from(zeros).unwrap_or(i64::MAX));
    if scale < 0 {
        return Err(NumberError::Fraction);
    }
    let too_large = || NumberError::TooLarge(u64::MAX);
    let value: u64 = kept.parse().map_err(|_| too_large())?;
    let power = u32::try_from(scale).map_err(|_| too_large())?;
    10u64
        .checked_pow(power)
        .and_then(|power| value.checked_mul(power))
        .ok_or_else(too_large)
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
        if !value.is_finite() {
            return Err(QuantityError::TooLarge);
        }
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
    if !min.is_finite() || !max.is_finite() {
        return Err(QuantityError::TooLarge);
    }
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
