//! Dates and periods: the calendar dates of headers, periods, bounds and scenarios, and the
//! arithmetic of date expressions (`entry into force + 18 months`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A calendar date. Ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year.
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    /// 1 to the length of the month.
    pub day: u8,
}

impl Date {
    /// A valid Gregorian date, or `None`.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days).then_some(Date { year, month, day })
    }

    /// Parse `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        // Digits only: `1979-+6-18` and `+973-01-01` are not dates.
        if ![year, month, day]
            .iter()
            .all(|part| part.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a date")))
    }
}

/// When something is in force; both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Period {
    /// The first day in force; `None`: from the start.
    pub from: Option<Date>,
    /// The last day in force; `None`: without end.
    pub until: Option<Date>,
}

impl Period {
    /// Whether `date` falls in the period.
    pub fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|from| date >= from) && self.until.is_none_or(|until| date <= until)
    }
}

/// How the ends of a period were written, where they count from the header's dates
/// (`entry into force + 18 months`); `None` for an end written as a date, or not written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PeriodWritten {
    /// The first day, as written.
    pub from: Option<String>,
    /// The last day, as written.
    pub until: Option<String>,
}

/// The latest year date arithmetic reaches; later dates are refused, not wrapped.
const MAX_YEAR: i64 = 9999;

impl Date {
    /// The number of days in the month of `year`, or `None` for no such month.
    fn month_length(year: i32, month: u8) -> Option<u8> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
            4 | 6 | 9 | 11 => Some(30),
            2 if leap => Some(29),
            2 => Some(28),
            _ => None,
        }
    }

    /// `months` calendar months later: the same day of the month, or the month's last day when
    /// it is shorter (1988-01-31 + 1 month = 1988-02-29). `None` past the year 9999.
    pub fn plus_months(self, months: u64) -> Option<Date> {
        let index = i64::from(self.year)
            .checked_mul(12)?
            .checked_add(i64::from(self.month).checked_sub(1)?)?
            .checked_add(i64::try_from(months).ok()?)?;
        let year = index.checked_div(12)?;
        if year > MAX_YEAR {
            return None;
        }
        let month = u8::try_from(index.checked_rem(12)?.checked_add(1)?).ok()?;
        let year = i32::try_from(year).ok()?;
        let day = self.day.min(Date::month_length(year, month)?);
        Date::new(year, month, day)
    }

    /// `years` calendar years later, clamped as [`Date::plus_months`] (29 February falls back
    /// to the 28th in a common year).
    pub fn plus_years(self, years: u64) -> Option<Date> {
        self.plus_months(years.checked_mul(12)?)
    }

    /// `days` days later. `None` past the year 9999.
    pub fn plus_days(self, days: u64) -> Option<Date> {
        let mut date = self;
        let mut left = days;
        // Whole months at a time while the rest reaches past the month's end, then days.
        while left > 0 {
            let length = Date::month_length(date.year, date.month)?;
            let to_next_month = u64::from(length.checked_sub(date.day)?).checked_add(1)?;
            if left >= to_next_month {
                left = left.checked_sub(to_next_month)?;
                let first = Date::new(date.year, date.month, 1)?;
                date = first.plus_months(1)?;
            } else {
                let day = u8::try_from(u64::from(date.day).checked_add(left)?).ok()?;
                return Date::new(date.year, date.month, day);
            }
        }
        Some(date)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        assert_eq!(date("1988-01-31").plus_months(1), Some(date("1988-02-29")));
        assert_eq!(date("1989-01-31").plus_months(1), Some(date("1989-02-28")));
        assert_eq!(date("1988-06-01").plus_months(18), Some(date("1989-12-01")));
        assert_eq!(date("1988-08-31").plus_months(6), Some(date("1989-02-28")));
        assert_eq!(date("1988-12-15").plus_months(0), Some(date("1988-12-15")));
        assert_eq!(date("1988-12-15").plus_months(1), Some(date("1989-01-15")));
    }

    #[test]
    fn years_keep_the_day_or_fall_back_from_29_february() {
        assert_eq!(date("1988-06-01").plus_years(3), Some(date("1991-06-01")));
        assert_eq!(date("1988-02-29").plus_years(1), Some(date("1989-02-28")));
        assert_eq!(date("1988-02-29").plus_years(4), Some(date("1992-02-29")));
    }

    #[test]
    fn days_cross_months_and_years() {
        assert_eq!(date("1988-06-01").plus_days(0), Some(date("1988-06-01")));
        assert_eq!(date("1988-06-01").plus_days(30), Some(date("1988-07-01")));
        assert_eq!(date("1988-12-31").plus_days(1), Some(date("1989-01-01")));
        assert_eq!(date("1988-02-28").plus_days(1), Some(date("1988-02-29")));
        assert_eq!(date("1988-01-01").plus_days(366), Some(date("1989-01-01")));
        assert_eq!(date("1987-12-08").plus_days(176), Some(date("1988-06-01")));
    }

    #[test]
    fn arithmetic_stops_at_the_year_9999() {
        assert_eq!(date("9999-12-31").plus_days(1), None);
        assert_eq!(date("1988-06-01").plus_years(u64::MAX), None);
        assert_eq!(date("1988-06-01").plus_months(u64::MAX), None);
        assert!(date("1988-06-01").plus_days(3_000_000).is_none());
    }
}
