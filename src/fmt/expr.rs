//! Expressions: on one line when they fit, else broken before each `and`/`or` of a chain
//! (one operand a line) and before `+`/`-`/`*` where a line fills up, nested chains one
//! indentation further in. Brackets are kept where they were written, and only there.

use crate::ast::{BinaryOp, Expr, Literal, Name, Node, Quantifier};
use crate::span::Span;

use super::printer::{INDENT, Printer};

/// An operator of a chain and the operand after it; the first operand has none.
type Link<'e> = (Option<&'e Node<BinaryOp>>, &'e Node<Expr>);

impl Printer<'_> {
    /// Write `expr` where the line stands; lines it breaks onto are indented by `indent`, and
    /// `suffix` more characters follow it on its last line.
    pub(super) fn expr(&mut self, expr: &Node<Expr>, indent: usize, suffix: usize) {
        let flat = self.flat(expr);
        if !self.has_comment_in(expr.span) && self.fits(flat.chars().count().saturating_add(suffix))
        {
            self.word_at(expr.span.start, &flat);
        } else {
            self.broken(expr, indent, suffix);
        }
    }

    /// `expr` over several lines (or on one, with the comments inside it).
    fn broken(&mut self, expr: &Node<Expr>, indent: usize, suffix: usize) {
        let hang = self.hang;
        self.hang = indent;
        let parens = self.parenthesized(expr);
        let mut cursor = expr.span.start;
        if parens {
            self.keyword(&mut cursor, "(");
        }
        let suffix = suffix.saturating_add(usize::from(parens));
        let deeper = indent.saturating_add(INDENT);
        match &expr.node {
            Expr::Binary { op, .. } if level(op.node).is_some() => {
                let logic = matches!(op.node, BinaryOp::And | BinaryOp::Or);
                let links = self.chain(expr);
                let count = links.len();
                for (index, (op, operand)) in links.into_iter().enumerate() {
                    let last = index.saturating_add(1) == count;
                    let operand_suffix = if last { suffix } else { 0 };
                    if let Some(op) = op {
                        let op_text = self.operator(op);
                        // A space before the operator and one after it.
                        let width = op_text
                            .chars()
                            .count()
                            .saturating_add(2)
                            .saturating_add(self.flat(operand).chars().count())
                            .saturating_add(operand_suffix);
                        if logic || self.has_comment_in(operand.span) || !self.fits(width) {
                            self.line(indent);
                        }
                        self.space();
                        self.word_at(op.span.start, &op_text);
                        self.space();
                    }
                    self.expr(operand, deeper, operand_suffix);
                }
            }
            Expr::Binary { op, left, right } => {
                self.expr(left, deeper, 0);
                self.space();
                let op_text = self.operator(op);
                self.word_at(op.span.start, &op_text);
                self.space();
                self.expr(right, deeper, suffix);
            }
            Expr::Not(operand) => {
                self.keyword(&mut cursor, "not");
                self.space();
                self.expr(operand, indent, suffix);
            }
            Expr::Quantified {
                quantifier,
                list,
                body,
            } => {
                self.keyword(&mut cursor, quantifier_word(*quantifier));
                self.space();
                self.path_at(list, &mut cursor);
                self.space();
                self.keyword(&mut cursor, "has");
                self.space();
                self.keyword(&mut cursor, "(");
                self.expr(body, deeper, suffix.saturating_add(1));
                let mut cursor = body.span.end;
                self.keyword(&mut cursor, ")");
            }
            Expr::InSet { value, items } => {
                self.expr(value, deeper, 0);
                let mut cursor = value.span.end;
                self.space();
                self.keyword(&mut cursor, "in");
                self.space();
                self.keyword(&mut cursor, "{");
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        self.word(",");
                        self.space();
                    }
                    let text = self.slice(item.span);
                    self.word_at(item.span.start, text);
                    cursor = item.span.end;
                }
                self.keyword(&mut cursor, "}");
            }
            Expr::InRange {
                value,
                low,
                low_inclusive,
                high,
                high_inclusive,
            } => {
                self.expr(value, deeper, 0);
                let mut cursor = value.span.end;
                self.space();
                self.keyword(&mut cursor, "in");
                self.space();
                self.keyword(&mut cursor, if *low_inclusive { "[" } else { "(" });
                let low_text = self.literal(low.span, &low.node);
                self.word_at(low.span.start, &low_text);
                self.word(",");
                self.space();
                let high_text = self.literal(high.span, &high.node);
                self.word_at(high.span.start, &high_text);
                let mut cursor = high.span.end;
                self.keyword(&mut cursor, if *high_inclusive { "]" } else { ")" });
            }
            Expr::Literal(literal) => {
                let text = self.literal(expr.span, literal);
                let start = self.literal_span(expr.span, literal).start;
                self.word_at(start, &text);
            }
            Expr::Path(names) => self.path_at(names, &mut cursor),
            Expr::PackageIs { package, status } => {
                self.keyword(&mut cursor, "package");
                self.space();
                self.name_at(package, &mut cursor);
                self.space();
                self.keyword(&mut cursor, "is");
                self.space();
                self.word_at(status.span.start, status.node.as_str());
            }
            Expr::ReadingIs { reading, variant } => {
                self.keyword(&mut cursor, "reading");
                self.space();
                self.name_at(reading, &mut cursor);
                self.space();
                self.keyword(&mut cursor, "is");
                self.space();
                self.name_at(variant, &mut cursor);
            }
            Expr::InCategory(category) => {
                self.keyword(&mut cursor, "in");
                self.space();
                self.keyword(&mut cursor, "category");
                self.space();
                self.name_at(category, &mut cursor);
            }
            Expr::Count(category) => {
                self.keyword(&mut cursor, "count");
                self.space();
                self.keyword(&mut cursor, "of");
                self.space();
                self.name_at(category, &mut cursor);
            }
            Expr::Sum { weight, category } => {
                self.keyword(&mut cursor, "sum");
                self.space();
                self.keyword(&mut cursor, "of");
                self.space();
                self.expr(weight, deeper, 0);
                let mut cursor = weight.span.end;
                self.space();
                self.keyword(&mut cursor, "over");
                self.space();
                self.name_at(category, &mut cursor);
            }
            Expr::ScenarioDate => self.keyword(&mut cursor, "date"),
        }
        if parens {
            // Inside the brackets still: comments before the `)` stay before it.
            self.word_at(expr.span.end.saturating_sub(1), ")");
        }
        self.hang = hang;
    }

    /// `word`, which is the next token after `cursor` in the original; moves the cursor past
    /// it.
    fn keyword(&mut self, cursor: &mut usize, word: &str) {
        let at = self.next_token(*cursor);
        self.word_at(at, word);
        *cursor = at.saturating_add(word.len());
    }

    fn name_at(&mut self, name: &Name, cursor: &mut usize) {
        self.word_at(name.span.start, &name.node);
        *cursor = name.span.end;
    }

    fn path_at(&mut self, names: &[Name], cursor: &mut usize) {
        if let (Some(first), Some(last)) = (names.first(), names.last()) {
            self.word_at(first.span.start, &path(names));
            *cursor = last.span.end;
        }
    }

    /// The operands of the chain `expr` heads (`a and b and c`, `a + b - c`): operators of
    /// its level, down the left side, that no bracket interrupts.
    fn chain<'e>(&self, expr: &'e Node<Expr>) -> Vec<Link<'e>> {
        let Expr::Binary { op, .. } = &expr.node else {
            return vec![(None, expr)];
        };
        let wanted = level(op.node);
        let mut links = Vec::new();
        let mut current = expr;
        loop {
            match &current.node {
                Expr::Binary { op, left, right }
                    if level(op.node) == wanted
                        && (std::ptr::eq(current, expr) || !self.parenthesized(current)) =>
                {
                    links.push((Some(op), &**right));
                    current = left;
                }
                _ => break,
            }
        }
        links.push((None, current));
        links.reverse();
        links
    }

    /// `expr` on one line.
    pub(super) fn flat(&self, expr: &Node<Expr>) -> String {
        let bare = self.bare(expr);
        if self.parenthesized(expr) {
            format!("({bare})")
        } else {
            bare
        }
    }

    /// `expr` on one line, without the brackets around it.
    fn bare(&self, expr: &Node<Expr>) -> String {
        match &expr.node {
            Expr::Literal(literal) => self.literal(expr.span, literal),
            Expr::Path(names) => path(names),
            Expr::Not(operand) => format!("not {}", self.flat(operand)),
            Expr::Binary { op, left, right } => format!(
                "{} {} {}",
                self.flat(left),
                self.operator(op),
                self.flat(right)
            ),
            Expr::InSet { value, items } => {
                let items: Vec<&str> = items.iter().map(|item| self.slice(item.span)).collect();
                format!("{} in {{{}}}", self.flat(value), items.join(", "))
            }
            Expr::InRange {
                value,
                low,
                low_inclusive,
                high,
                high_inclusive,
            } => format!(
                "{} in {}{}, {}{}",
                self.flat(value),
                if *low_inclusive { "[" } else { "(" },
                self.literal(low.span, &low.node),
                self.literal(high.span, &high.node),
                if *high_inclusive { "]" } else { ")" },
            ),
            Expr::Quantified {
                quantifier,
                list,
                body,
            } => format!(
                "{} {} has ({})",
                quantifier_word(*quantifier),
                path(list),
                self.flat(body)
            ),
            Expr::PackageIs { package, status } => {
                format!("package {} is {}", package.node, status.node.as_str())
            }
            Expr::ReadingIs { reading, variant } => {
                format!("reading {} is {}", reading.node, variant.node)
            }
            Expr::InCategory(category) => format!("in category {}", category.node),
            Expr::Count(category) => format!("count of {}", category.node),
            Expr::Sum { weight, category } => {
                format!("sum of {} over {}", self.flat(weight), category.node)
            }
            Expr::ScenarioDate => "date".to_string(),
        }
    }

    /// A literal as written (digit groups, `yes` or `true`, escapes), a quantity with one
    /// space before its unit. `span` may include brackets around it.
    fn literal(&self, span: Span, literal: &Literal) -> String {
        let span = self.literal_span(span, literal);
        match literal {
            Literal::Quantity { unit, .. } => {
                let number = self
                    .src
                    .get(span.start..unit.span.start)
                    .unwrap_or("")
                    .trim();
                format!("{number} {}", unit.node)
            }
            Literal::Integer(_)
            | Literal::Decimal(_)
            | Literal::Date(_)
            | Literal::Boolean(_)
            | Literal::String(_) => self.slice(span).to_string(),
        }
    }

    /// Where the literal itself is in `span`, which may include brackets (and spaces and
    /// comments inside them) around it.
    fn literal_span(&self, span: Span, literal: &Literal) -> Span {
        let mut start = span.start;
        loop {
            start = self.next_token(start);
            if !self
                .src
                .get(start..)
                .is_some_and(|rest| rest.starts_with('('))
            {
                break;
            }
            start = start.saturating_add(1);
        }
        let rest = self.src.get(start..).unwrap_or("");
        let length = match literal {
            Literal::Quantity { unit, .. } => unit.span.end.saturating_sub(start),
            Literal::Decimal(text) | Literal::Date(text) => text.len(),
            Literal::Integer(_) => rest
                .find(|c: char| !c.is_ascii_digit() && c != '_')
                .unwrap_or(rest.len()),
            Literal::Boolean(_) => rest
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(rest.len()),
            Literal::String(_) => string_length(rest),
        };
        Span::new(start, start.saturating_add(length))
    }

    /// Whether brackets were written around `expr`: its span reaches beyond what its parts
    /// cover.
    pub(super) fn parenthesized(&self, expr: &Node<Expr>) -> bool {
        match &expr.node {
            Expr::Binary { left, .. } => expr.span.start < left.span.start,
            Expr::InSet { value, .. } | Expr::InRange { value, .. } => {
                expr.span.start < value.span.start
            }
            _ => self.slice(expr.span).starts_with('('),
        }
    }

    /// An operator as written, its words one space apart (`at most`).
    fn operator(&self, op: &Node<BinaryOp>) -> String {
        self.slice(op.span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Operators that chain: `and`, `or`, `+`/`-` and `*`, by level; comparisons do not.
fn level(op: BinaryOp) -> Option<u8> {
    match op {
        BinaryOp::Or => Some(0),
        BinaryOp::And => Some(1),
        BinaryOp::Add | BinaryOp::Sub => Some(2),
        BinaryOp::Mul => Some(3),
        BinaryOp::Compare(_) => None,
    }
}

fn quantifier_word(quantifier: Quantifier) -> &'static str {
    match quantifier {
        Quantifier::Any => "any",
        Quantifier::Every => "every",
    }
}

/// `type.range`.
fn path(names: &[Name]) -> String {
    names
        .iter()
        .map(|n| n.node.as_str())
        .collect::<Vec<_>>()
        .join(".")
}

/// The length of the string literal `text` starts with, quotes included.
fn string_length(text: &str) -> usize {
    let mut chars = text.char_indices().skip(1);
    while let Some((index, ch)) = chars.next() {
        match ch {
            '\\' => {
                chars.next();
            }
            '"' => return index.saturating_add(1),
            _ => {}
        }
    }
    text.len()
}
