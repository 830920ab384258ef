//! Dates of periods and bounds: a date, or one counted from the header's dates
//! (`entry into force + 18 months`, `signature + 3 years`), resolved to a day; and periods,
//! which must not end before they start.

use crate::ast::{self, DateBase, DateExpr, Node};
use crate::lang::DateUnit;
use crate::model::{Date, Period, PeriodWritten};
use crate::span::Span;

use super::{Checker, Code};

/// The header's dates that date expressions count from.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Anchors {
    /// `date`: the day the text was signed (or written).
    pub(super) signature: Option<Date>,
    /// `entry into force`.
    pub(super) entry_into_force: Option<Date>,
}

impl Checker<'_> {
    /// The header's `date` and `entry into force`, which later date expressions count from;
    /// a treaty cannot enter into force before it is signed.
    pub(super) fn anchors(&mut self, header: &ast::Header) -> Anchors {
        let signature = header.date.as_ref().and_then(|d| self.date(0, d));
        let entry_into_force = header
            .entry_into_force
            .as_ref()
            .and_then(|d| self.date(0, d));
        if let (Some(signed), Some(entry), Some(written)) = (
            signature,
            entry_into_force,
            header.entry_into_force.as_ref(),
        ) {
            if entry < signed {
                let problem = self.problem(
                    0,
                    Code::InvalidPeriod,
                    format!("entry into force ({entry}) is before the text's date ({signed})"),
                    written.span,
                    "before the date of the text",
                );
                if let Some(date) = &header.date {
                    problem
                        .secondary
                        .push((date.span, "dated here".to_string()));
                }
            }
        }
        Anchors {
            signature,
            entry_into_force,
        }
    }

    /// The day a date expression names, reporting a date that is no day, a header date it
    /// counts from that is not given, and an offset past the calendar.
    pub(super) fn date_expr(&mut self, file: usize, expr: &Node<DateExpr>) -> Option<Date> {
        let base = match &expr.node.base.node {
            DateBase::Date(text) => {
                self.date(file, &Node::new(text.clone(), expr.node.base.span))?
            }
            DateBase::EntryIntoForce => match self.anchors.entry_into_force {
                Some(date) => date,
                None => {
                    self.missing_date(
                        file,
                        expr.node.base.span,
                        "entry into force",
                        "add `entry into force YYYY-MM-DD` to the header, or write the date",
                    );
                    return None;
                }
            },
            DateBase::Signature => match self.anchors.signature {
                Some(date) => date,
                None => {
                    self.missing_date(
                        file,
                        expr.node.base.span,
                        "signature",
                        "add the text's `date YYYY-MM-DD` to the header, or write the date",
                    );
                    return None;
                }
            },
        };
        let Some(offset) = &expr.node.offset else {
            return Some(base);
        };
        let amount = offset.amount.node.parse::<u64>().ok();
        let date = amount.and_then(|amount| match offset.unit.node {
            DateUnit::Years => base.plus_years(amount),
            DateUnit::Months => base.plus_months(amount),
            DateUnit::Days => base.plus_days(amount),
        });
        if date.is_none() {
            self.problem(
                file,
                Code::InvalidDate,
                format!("`{}` is past the calendar's end", written(&expr.node)),
                expr.span,
                "too far",
            )
            .help = Some("dates reach the year 9999".to_string());
        }
        date
    }

    /// `in force from … until …`, resolved, with how each relative end was written; reports a
    /// period that ends before it starts.
    pub(super) fn period(
        &mut self,
        file: usize,
        period: &Node<ast::Period>,
    ) -> (Period, PeriodWritten) {
        let from = period
            .node
            .from
            .as_ref()
            .and_then(|d| self.date_expr(file, d));
        let until = period
            .node
            .until
            .as_ref()
            .and_then(|d| self.date_expr(file, d));
        if let (Some(f), Some(u)) = (from, until) {
            if f > u {
                self.problem(
                    file,
                    Code::InvalidPeriod,
                    format!("the period ends ({u}) before it starts ({f})"),
                    period.span,
                    "an empty period",
                );
            }
        }
        let written_end = |end: &Option<Node<DateExpr>>| end.as_ref().and_then(relative);
        (
            Period { from, until },
            PeriodWritten {
                from: written_end(&period.node.from),
                until: written_end(&period.node.until),
            },
        )
    }

    fn missing_date(&mut self, file: usize, span: Span, what: &str, help: &str) {
        self.problem(
            file,
            Code::MissingDate,
            format!("`{what}` names a date the header does not give"),
            span,
            "no such date in the header",
        )
        .help = Some(help.to_string());
    }
}

/// A date expression as written, words normalised: `entry into force + 18 months`.
pub(super) fn written(expr: &DateExpr) -> String {
    let base = match &expr.base.node {
        DateBase::Date(text) => text.clone(),
        DateBase::EntryIntoForce => "entry into force".to_string(),
        DateBase::Signature => "signature".to_string(),
    };
    match &expr.offset {
        None => base,
        Some(offset) => format!(
            "{base} + {} {}",
            offset.amount.node,
            offset.unit.node.word_for(&offset.amount.node)
        ),
    }
}

/// How a date expression was written, when it is more than a date.
pub(super) fn relative(expr: &Node<DateExpr>) -> Option<String> {
    let plain = matches!(expr.node.base.node, DateBase::Date(_)) && expr.node.offset.is_none();
    (!plain).then(|| written(&expr.node))
}
