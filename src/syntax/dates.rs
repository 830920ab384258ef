//! Lowering date expressions: a date, `entry into force` or `signature`, and an optional
//! `+ N years|months|days`. The checker resolves them against the header.

use pest::iterators::Pair;

use crate::ast::{DateBase, DateExpr, Node, Offset};
use crate::lang::DateUnit;

use super::lower::Lower;
use super::{Rule, span_of};

impl Lower<'_> {
    /// A `date_expr` pair (or a bare `date`) as a date expression.
    pub(super) fn date_expr(&mut self, pair: Pair<'_, Rule>) -> Option<Node<DateExpr>> {
        let span = span_of(self.base, &pair);
        if pair.as_rule() == Rule::date {
            let base = Node::new(DateBase::Date(pair.as_str().to_string()), span);
            return Some(Node::new(DateExpr { base, offset: None }, span));
        }
        let mut parts = pair.into_inner();
        let base_pair = parts.next()?;
        let base = match base_pair.as_rule() {
            Rule::entry_into_force => DateBase::EntryIntoForce,
            Rule::signature => DateBase::Signature,
            _ => DateBase::Date(base_pair.as_str().to_string()),
        };
        let base = Node::new(base, span_of(self.base, &base_pair));
        let offset = parts.next().and_then(|offset| {
            let mut pieces = offset.into_inner();
            let (amount, unit) = (pieces.next()?, pieces.next()?);
            // The grammar admits only the units' words, plural or singular.
            let unit_value = DateUnit::parse_either(unit.as_str()).unwrap_or(DateUnit::Days);
            Some(Offset {
                amount: Node::new(
                    amount.as_str().replace('_', ""),
                    span_of(self.base, &amount),
                ),
                unit: Node::new(unit_value, span_of(self.base, &unit)),
            })
        });
        Some(Node::new(DateExpr { base, offset }, span))
    }
}
