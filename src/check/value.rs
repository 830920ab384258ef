//! Typing values: attribute paths, literals, arithmetic, the scenario's date, and the
//! quantities of limits (counts and weighted sums of categories).

use crate::ast::{BinaryOp, Expr, Literal, Node};
use crate::model::{
    Access, ArithmeticOp, AttributeType, Date, Quantity, Scalar, Value, Weight, unit,
};
use crate::span::Span;

use super::err::Code;
use super::expr::{Context, Type, Typed, Typer};

impl<'a> Typer<'a> {
    /// The type of a path without reporting anything.
    pub(super) fn peek_type(&self, expr: &Node<Expr>, ctx: Context) -> Option<Type<'a>> {
        match &expr.node {
            Expr::Path(path) => self.path_type(path, ctx).map(|(_, t)| t),
            _ => None,
        }
    }

    /// What a path names and its type, when it names an attribute here.
    pub(super) fn path_type(
        &self,
        path: &[Node<String>],
        ctx: Context,
    ) -> Option<(Access, Type<'a>)> {
        let vocabulary = self.scope.vocabulary;
        let names: Vec<&str> = path.iter().map(|n| n.node.as_str()).collect();
        match (ctx, names.as_slice()) {
            (Context::Holding, ["name"]) | (Context::Type, ["name"]) => {
                Some((Access::Name, Type::Text))
            }
            (Context::Holding, ["party"]) => Some((Access::Party, Type::Text)),
            (Context::Holding, [attribute]) => {
                let slot = vocabulary.holding_attribute(attribute)?;
                let def = vocabulary.holding_attributes.get(slot)?;
                Some((Access::Holding(slot), Type::from_attribute(&def.ty)))
            }
            (Context::Type, [attribute]) => {
                let slot = vocabulary.type_attribute(attribute)?;
                let def = vocabulary.type_attributes.get(slot)?;
                Some((Access::Type(slot), Type::from_attribute(&def.ty)))
            }
            (Context::Holding, [reference, attribute]) => {
                let reference_slot = vocabulary.holding_attribute(reference)?;
                let def = vocabulary.holding_attributes.get(reference_slot)?;
                if def.ty != AttributeType::Reference {
                    return None;
                }
                if *attribute == "name" {
                    return Some((
                        Access::ReferenceName {
                            reference: reference_slot,
                        },
                        Type::Text,
                    ));
                }
                let slot = vocabulary.type_attribute(attribute)?;
                let def = vocabulary.type_attributes.get(slot)?;
                Some((
                    Access::ViaReference {
                        reference: reference_slot,
                        attribute: slot,
                    },
                    Type::from_attribute(&def.ty),
                ))
            }
            _ => None,
        }
    }

    /// Resolve a path, reporting what is wrong with it.
    pub(super) fn path(&mut self, path: &[Node<String>], ctx: Context) -> Typed<'a> {
        if let Some((access, ty)) = self.path_type(path, ctx) {
            return Some((Value::Attribute(access), ty));
        }
        let first = path.first()?;
        let whole = first.span.to(path.last().map_or(first.span, |n| n.span));
        if ctx == Context::Global {
            self.problem(
                Code::Misplaced,
                format!(
                    "`{}` names an attribute, but there is no holding here",
                    join(path)
                ),
                whole,
                "attributes belong in categories",
            )
            .help =
                Some("conditions of provisions speak of packages, readings and `date`".to_string());
            return None;
        }
        let vocabulary = self.scope.vocabulary;
        let (list, what): (Vec<&str>, &str) = match ctx {
            Context::Type => (
                vocabulary
                    .type_attributes
                    .iter()
                    .map(|a| a.name.as_str())
                    .collect(),
                "weapon type attribute",
            ),
            _ => (
                vocabulary
                    .holding_attributes
                    .iter()
                    .map(|a| a.name.as_str())
                    .collect(),
                "holding attribute",
            ),
        };
        match path {
            [name] => {
                let mut candidates = list.clone();
                candidates.push("name");
                if ctx == Context::Holding {
                    candidates.push("party");
                }
                self.unknown(what, name, &candidates);
            }
            [reference, attribute] if ctx == Context::Holding => {
                let is_reference = vocabulary
                    .holding_attribute(&reference.node)
                    .and_then(|slot| vocabulary.holding_attributes.get(slot))
                    .is_some_and(|def| def.ty == AttributeType::Reference);
                if is_reference {
                    let mut types: Vec<&str> = vocabulary
                        .type_attributes
                        .iter()
                        .map(|a| a.name.as_str())
                        .collect();
                    types.push("name");
                    self.unknown("weapon type attribute", attribute, &types);
                } else if vocabulary.holding_attribute(&reference.node).is_some() {
                    self.problem(
                        Code::TypeMismatch,
                        format!(
                            "`{}` is not a weapon type, so it has no attribute `{}`",
                            reference.node, attribute.node
                        ),
                        whole,
                        "only a `weapon type` attribute can be followed by `.`",
                    );
                } else {
                    self.unknown(what, reference, &list);
                }
            }
            _ => {
                self.problem(
                    Code::UnknownName,
                    format!("`{}` is not an attribute", join(path)),
                    whole,
                    "paths are `attribute` or `type.attribute`",
                );
            }
        }
        None
    }

    /// A scalar value: literals, attributes, arithmetic, the scenario's date.
    pub fn value(&mut self, expr: &Node<Expr>, ctx: Context) -> Typed<'a> {
        match &expr.node {
            Expr::Path(path) => self.path(path, ctx),
            Expr::ScenarioDate => Some((Value::ScenarioDate, Type::Date)),
            Expr::Literal(literal) => self.literal(literal, expr.span),
            Expr::Binary { op, left, right } => {
                let arithmetic = match op.node {
                    BinaryOp::Add => ArithmeticOp::Add,
                    BinaryOp::Sub => ArithmeticOp::Sub,
                    BinaryOp::Mul => ArithmeticOp::Mul,
                    _ => return self.condition_for_value(expr, ctx),
                };
                let l = self.value(left, ctx);
                let r = self.value(right, ctx);
                let ((lv, lt), (rv, rt)) = (l?, r?);
                let ty = match (arithmetic, &lt, &rt) {
                    (_, Type::Number, Type::Number) => Type::Number,
                    (
                        ArithmeticOp::Add | ArithmeticOp::Sub,
                        Type::Quantity(a),
                        Type::Quantity(b),
                    ) if a == b => lt,
                    (ArithmeticOp::Mul, Type::Quantity(_), Type::Number) => lt,
                    (ArithmeticOp::Mul, Type::Number, Type::Quantity(_)) => rt,
                    _ => {
                        let code = match (&lt, &rt) {
                            (Type::Quantity(_), Type::Quantity(_)) => Code::UnitMismatch,
                            _ => Code::TypeMismatch,
                        };
                        self.problem(
                            code,
                            format!("cannot combine {} with {}", lt.describe(), rt.describe()),
                            op.span,
                            "these do not combine",
                        );
                        return None;
                    }
                };
                Some((
                    Value::Arithmetic {
                        op: arithmetic,
                        left: Box::new(lv),
                        right: Box::new(rv),
                    },
                    ty,
                ))
            }
            Expr::Count(_) | Expr::Sum { .. } => {
                self.problem(
                    Code::Misplaced,
                    "counts belong in the rule of a limit".to_string(),
                    expr.span,
                    "not inside a condition",
                );
                None
            }
            _ => self.condition_for_value(expr, ctx),
        }
    }

    /// A condition written where a value belongs: report the condition's own problems, or
    /// else that it is not a value.
    pub(super) fn condition_for_value(&mut self, expr: &Node<Expr>, ctx: Context) -> Typed<'a> {
        self.predicate(expr, ctx)?;
        self.problem(
            Code::TypeMismatch,
            "expected a value, found a condition".to_string(),
            expr.span,
            "this is yes or no",
        );
        None
    }

    /// A literal's value (quantities in base units) and type.
    pub(super) fn literal(&mut self, literal: &Literal, span: Span) -> Typed<'a> {
        Some(match literal {
            Literal::Integer(text) | Literal::Decimal(text) => (
                Value::Const(Scalar::Number(self.number(text, span)?)),
                Type::Number,
            ),
            Literal::Quantity {
                number,
                unit: unit_name,
            } => {
                let value = self.number(number, span)?;
                let Some(unit) = unit(&unit_name.node) else {
                    let units: Vec<&str> = crate::model::UNITS.iter().map(|u| u.symbol).collect();
                    self.unknown("unit", unit_name, &units);
                    return None;
                };
                (
                    Value::Const(Scalar::Number(value * unit.factor)),
                    Type::Quantity(unit.dimension),
                )
            }
            Literal::Date(text) => (
                Value::Const(Scalar::Date(self.date(text, span)?)),
                Type::Date,
            ),
            Literal::Boolean(b) => (Value::Const(Scalar::Bool(*b)), Type::Bool),
            Literal::String(text) => (Value::Const(Scalar::Text(text.clone())), Type::Text),
        })
    }

    /// A number small enough to be exact in a float.
    pub(super) fn number(&mut self, text: &str, span: Span) -> Option<f64> {
        match text.parse::<f64>() {
            Ok(value) if value.is_finite() && value <= 9_007_199_254_740_992.0 => Some(value),
            _ => {
                self.problem(
                    Code::InvalidBound,
                    format!("`{text}` is too large a number"),
                    span,
                    "too large",
                );
                None
            }
        }
    }

    /// A date written `YYYY-MM-DD`.
    pub fn date(&mut self, text: &str, span: Span) -> Option<Date> {
        let date = Date::parse(text);
        if date.is_none() {
            self.problem(
                Code::InvalidDate,
                format!("`{text}` is not a date"),
                span,
                "no such day",
            )
            .help = Some("dates are written `YYYY-MM-DD`, as in `1977-03-15`".to_string());
        }
        date
    }

    /// The quantity of a limit: counts and weighted sums of categories.
    pub fn quantity(&mut self, expr: &Node<Expr>) -> Option<Quantity> {
        match &expr.node {
            Expr::Count(name) => Some(Quantity::Count(self.category(name)?)),
            Expr::Sum { weight, category } => {
                let weight = self.weight(weight);
                let category = self.category(category);
                Some(Quantity::Sum {
                    weight: weight?,
                    category: category?,
                })
            }
            Expr::Literal(Literal::Integer(text)) => {
                Some(Quantity::Const(self.whole(text, expr.span)?))
            }
            Expr::Binary { op, left, right } => {
                let op = match op.node {
                    BinaryOp::Add => ArithmeticOp::Add,
                    BinaryOp::Sub => ArithmeticOp::Sub,
                    _ => ArithmeticOp::Mul,
                };
                let l = self.quantity(left);
                let r = self.quantity(right);
                Some(Quantity::Arithmetic {
                    op,
                    left: Box::new(l?),
                    right: Box::new(r?),
                })
            }
            _ => {
                self.problem(
                    Code::TypeMismatch,
                    "expected a count".to_string(),
                    expr.span,
                    "not a count",
                );
                None
            }
        }
    }

    /// The weight of `sum of WEIGHT over …`: a whole number, an integer attribute, or
    /// arithmetic of them (`type.warheads * 2`).
    fn weight(&mut self, weight: &Node<Expr>) -> Option<Weight> {
        if let Expr::Literal(Literal::Integer(text)) = &weight.node {
            return Some(Weight::Const(self.whole(text, weight.span)?));
        }
        if let Some((text, span)) = decimal_in(weight) {
            self.problem(
                Code::TypeMismatch,
                format!("a weight is a whole number, and `{text}` is not"),
                span,
                "not a whole number",
            )
            .help = Some(
                "weights multiply counts: use whole numbers and integer attributes".to_string(),
            );
            return None;
        }
        let (value, ty) = self.value(weight, Context::Holding)?;
        match (value, ty) {
            (Value::Attribute(access), Type::Number) => Some(Weight::Attribute(access)),
            (value @ Value::Arithmetic { .. }, Type::Number) => Some(Weight::Expression {
                value,
                text: super::written(self.scope.file, weight.span),
            }),
            (_, ty) => {
                self.problem(
                    Code::TypeMismatch,
                    format!(
                        "a weight must be a whole number, and this is {}",
                        ty.describe()
                    ),
                    weight.span,
                    "not a whole number",
                );
                None
            }
        }
    }

    /// A whole number a count can reach.
    pub fn whole(&mut self, text: &str, span: Span) -> Option<u64> {
        match text.parse::<u64>() {
            Ok(value) => Some(value),
            Err(_) => {
                self.problem(
                    Code::InvalidBound,
                    format!("`{text}` is not a whole number that a count can reach"),
                    span,
                    "too large",
                )
                .help = Some(format!("counts go up to {}", u64::MAX));
                None
            }
        }
    }

    /// The index of a category, reporting an unknown name.
    pub fn category(&mut self, name: &Node<String>) -> Option<usize> {
        let index = self.scope.category(&name.node);
        if index.is_none() {
            let names: Vec<&str> = self.scope.categories.iter().map(String::as_str).collect();
            self.unknown("category", name, &names);
        }
        index
    }
}

fn join(path: &[Node<String>]) -> String {
    path.iter()
        .map(|n| n.node.as_str())
        .collect::<Vec<_>>()
        .join(".")
}

/// The first decimal number written in a weight, with where it is.
fn decimal_in(expr: &Node<Expr>) -> Option<(String, Span)> {
    match &expr.node {
        Expr::Literal(Literal::Decimal(text)) => Some((text.clone(), expr.span)),
        Expr::Binary { left, right, .. } => decimal_in(left).or_else(|| decimal_in(right)),
        _ => None,
    }
}
