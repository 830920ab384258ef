//! Lowering expressions: operators by a Pratt parser, operands by the grammar's rules, and
//! the limits on an expression's length and depth.

use std::sync::LazyLock;

use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};

use crate::ast::*;
use crate::lang::PackageStatus;
use crate::span::{SourceFile, Span};

use super::lower::{Lower, comparison_of};
use super::{
    MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_TERMS, ParseError, Result, Rule, err, name, path, span_of,
    string_body,
};

/// Operator precedence, loosest first: `or`, `and`, `not`, comparisons and `in`, `+ -`, `*`.
static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::or, Assoc::Left))
        .op(Op::infix(Rule::and, Assoc::Left))
        .op(Op::prefix(Rule::not))
        .op(Op::infix(Rule::le, Assoc::Left)
            | Op::infix(Rule::ge, Assoc::Left)
            | Op::infix(Rule::ne, Assoc::Left)
            | Op::infix(Rule::eq, Assoc::Left)
            | Op::infix(Rule::lt, Assoc::Left)
            | Op::infix(Rule::gt, Assoc::Left)
            | Op::infix(Rule::at_most, Assoc::Left)
            | Op::infix(Rule::at_least, Assoc::Left)
            | Op::postfix(Rule::in_set)
            | Op::postfix(Rule::in_range))
        .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
        .op(Op::infix(Rule::mul, Assoc::Left))
});

impl Lower<'_> {
    /// Lower an expression (or a quantity expression) with the Pratt parser.
    pub(super) fn expr(&mut self, pair: Pair<'_, Rule>) -> Option<Node<Expr>> {
        let span = span_of(self.base, &pair);
        let pairs = pair.into_inner();
        let terms = pairs.clone().count();
        if terms > MAX_EXPRESSION_TERMS {
            self.errors.push(err::too_long(
                self.file,
                terms,
                "terms and operators long",
                MAX_EXPRESSION_TERMS,
                span,
            ));
            return None;
        }
        let (file, base) = (self.file, self.base);
        let result: Result<Node<Expr>> = PRATT
            .map_primary(|primary| self.primary(primary))
            .map_prefix(|op, operand| {
                let operand = operand?;
                let span = span_of(base, &op).to(operand.span);
                Ok(Node::new(Expr::Not(Box::new(operand)), span))
            })
            .map_postfix(|operand, op| {
                let operand = operand?;
                let span = operand.span.to(span_of(base, &op));
                postfix(file, base, operand, op).map(|expr| Node::new(expr, span))
            })
            .map_infix(|left, op, right| {
                let (left, right) = (left?, right?);
                let span = left.span.to(right.span);
                let op = Node::new(binary_of(&op), span_of(base, &op));
                Ok(Node::new(
                    Expr::Binary {
                        op,
                        left: Box::new(left),
                        right: Box::new(right),
                    },
                    span,
                ))
            })
            .parse(pairs);
        match result {
            Ok(expr) => {
                let depth = depth(&expr);
                if depth > MAX_EXPRESSION_DEPTH {
                    self.errors.push(err::too_long(
                        self.file,
                        depth,
                        "levels deep",
                        MAX_EXPRESSION_DEPTH,
                        span,
                    ));
                    return None;
                }
                Some(expr)
            }
            Err(error) => {
                self.errors.push(error);
                None
            }
        }
    }

    /// An operand: a bracketed expression, a quantifier, a test of a package or reading, a
    /// count or sum, a path or a literal.
    fn primary(&mut self, pair: Pair<'_, Rule>) -> Result<Node<Expr>> {
        let span = span_of(self.base, &pair);
        let expr = match pair.as_rule() {
            Rule::expr | Rule::quantity_expr | Rule::expr_weight => {
                return self.expr(pair).ok_or_else(|| self.placeholder_error(span));
            }
            Rule::paren | Rule::quantity_paren | Rule::weight_paren => {
                let inner = pair
                    .into_inner()
                    .next()
                    .ok_or_else(|| self.placeholder_error(span))?;
                let expr = self
                    .expr(inner)
                    .ok_or_else(|| self.placeholder_error(span))?;
                return Ok(Node::new(expr.node, span));
            }
            Rule::quantifier => {
                let mut parts = pair.into_inner();
                let quantifier = match parts.next().map(|p| p.as_str().to_string()).as_deref() {
                    Some("every") => Quantifier::Every,
                    _ => Quantifier::Any,
                };
                let list = parts
                    .next()
                    .map(|p| path(self.base, &p))
                    .unwrap_or_default();
                let body = parts
                    .next()
                    .and_then(|p| self.expr(p))
                    .ok_or_else(|| self.placeholder_error(span))?;
                Expr::Quantified {
                    quantifier,
                    list,
                    body: Box::new(body),
                }
            }
            Rule::package_test => {
                let mut parts = pair.into_inner();
                let package = parts
                    .next()
                    .map(|p| name(self.base, &p))
                    .ok_or_else(|| self.placeholder_error(span))?;
                let status_pair = parts.next().ok_or_else(|| self.placeholder_error(span))?;
                let status =
                    PackageStatus::parse(status_pair.as_str()).unwrap_or(PackageStatus::Rejected);
                Expr::PackageIs {
                    package,
                    status: Node::new(status, span_of(self.base, &status_pair)),
                }
            }
            Rule::reading_test => {
                let mut parts = pair.into_inner();
                match (parts.next(), parts.next()) {
                    (Some(reading), Some(variant)) => Expr::ReadingIs {
                        reading: name(self.base, &reading),
                        variant: name(self.base, &variant),
                    },
                    _ => return Err(self.placeholder_error(span)),
                }
            }
            Rule::membership | Rule::count => {
                let rule = pair.as_rule();
                let category = pair
                    .into_inner()
                    .next()
                    .map(|p| name(self.base, &p))
                    .ok_or_else(|| self.placeholder_error(span))?;
                if rule == Rule::membership {
                    Expr::InCategory(category)
                } else {
                    Expr::Count(category)
                }
            }
            Rule::sum => {
                let mut parts = pair.into_inner().filter(|p| p.as_rule() != Rule::sum_head);
                let (Some(weight), Some(category)) = (parts.next(), parts.next()) else {
                    return Err(self.placeholder_error(span));
                };
                let weight = self.primary(weight)?;
                Expr::Sum {
                    weight: Box::new(weight),
                    category: name(self.base, &category),
                }
            }
            Rule::scenario_date => Expr::ScenarioDate,
            Rule::path => Expr::Path(path(self.base, &pair)),
            _ => Expr::Literal(self.literal(pair)?.node),
        };
        Ok(Node::new(expr, span))
    }

    /// A literal value: number, date, `yes`/`no`, string or quantity.
    pub(super) fn literal(&mut self, pair: Pair<'_, Rule>) -> Result<Node<Literal>> {
        let span = span_of(self.base, &pair);
        let literal = match pair.as_rule() {
            Rule::integer => Literal::Integer(pair.as_str().replace('_', "")),
            Rule::decimal => Literal::Decimal(pair.as_str().to_string()),
            Rule::date => Literal::Date(pair.as_str().to_string()),
            Rule::boolean => Literal::Boolean(matches!(pair.as_str(), "yes" | "true")),
            Rule::string => Literal::String(self.string(pair).node),
            Rule::quantity => {
                let mut parts = pair.into_inner();
                let (Some(number), Some(unit)) = (parts.next(), parts.next()) else {
                    return Err(self.placeholder_error(span));
                };
                Literal::Quantity {
                    number: number.as_str().replace('_', ""),
                    unit: name(self.base, &unit),
                }
            }
            _ => return Err(self.placeholder_error(span)),
        };
        Ok(Node::new(literal, span))
    }

    /// For shapes the grammar rules out; kept as an error rather than a panic.
    fn placeholder_error(&self, span: Span) -> ParseError {
        err::syntax(
            self.file,
            span,
            "this expression is incomplete".to_string(),
            "incomplete".to_string(),
            None,
        )
    }
}

/// A postfix operator applied to `operand`: `in {…}` or `in [low, high]`.
fn postfix(
    file: &SourceFile,
    base: usize,
    operand: Node<Expr>,
    op: Pair<'_, Rule>,
) -> Result<Expr> {
    let value = Box::new(operand);
    if op.as_rule() == Rule::in_set {
        let items = op
            .into_inner()
            .map(|item| {
                let span = span_of(base, &item);
                let text = if item.as_rule() == Rule::string {
                    string_body(base, &item).0.to_string()
                } else {
                    item.as_str().to_string()
                };
                Node::new(text, span)
            })
            .collect();
        return Ok(Expr::InSet { value, items });
    }
    let span = span_of(base, &op);
    let parts: Vec<Pair<'_, Rule>> = op.into_inner().collect();
    let [open, low, high, close] = parts.as_slice() else {
        return Err(err::syntax(
            file,
            span,
            "this range is incomplete".to_string(),
            "incomplete".to_string(),
            Some("write a range as `[600 km, 2500 km]`".to_string()),
        ));
    };
    let mut lower = Lower::new(file, base);
    let low = Box::new(lower.literal(low.clone())?);
    let high = Box::new(lower.literal(high.clone())?);
    Ok(Expr::InRange {
        value,
        low,
        low_inclusive: open.as_str() == "[",
        high,
        high_inclusive: close.as_str() == "]",
    })
}

/// The depth of an expression tree, measured without recursion (the tree may be deep).
fn depth(expr: &Node<Expr>) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(expr, 1usize)];
    while let Some((node, level)) = stack.pop() {
        deepest = deepest.max(level);
        let next = level.saturating_add(1);
        match &node.node {
            Expr::Not(inner) => stack.push((inner, next)),
            Expr::Binary { left, right, .. } => {
                stack.push((left, next));
                stack.push((right, next));
            }
            Expr::InSet { value, .. } | Expr::InRange { value, .. } => stack.push((value, next)),
            Expr::Quantified { body, .. } => stack.push((body, next)),
            Expr::Sum { weight, .. } => stack.push((weight, next)),
            _ => {}
        }
    }
    deepest
}

/// The binary operator an infix pair stands for.
fn binary_of(pair: &Pair<'_, Rule>) -> BinaryOp {
    match pair.as_rule() {
        Rule::or => BinaryOp::Or,
        Rule::and => BinaryOp::And,
        Rule::add => BinaryOp::Add,
        Rule::sub => BinaryOp::Sub,
        Rule::mul => BinaryOp::Mul,
        _ => BinaryOp::Compare(comparison_of(pair)),
    }
}
