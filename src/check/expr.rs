//! Typing expressions and compiling them into the model's resolved form.

use crate::ast::{BinaryOp, Expr, Literal, Node, Quantifier};
use crate::lang::Comparison;
use crate::model::{
    Access, ArithmeticOp, AttributeType, Date, Dimension, Predicate, Quantity, Scalar, Value,
    Vocabulary, Weight, unit,
};
use crate::span::{SourceFile, Span};

use super::err::Code;
use crate::diagnostics::{Problem, did_you_mean};

/// What an expression is evaluated against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// A holding: categories.
    Holding,
    /// A weapon type: inside `any … has (…)`.
    Type,
    /// No holding: provision and exception conditions.
    Global,
}

/// The type of a value expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    Bool,
    /// A plain number (a whole number in the vocabulary).
    Number,
    Quantity(Dimension),
    Date,
    /// The values of an enumeration.
    Enum(Vec<String>),
    Text,
    Reference,
    List,
}

impl Type {
    fn describe(&self) -> String {
        match self {
            Type::Bool => "yes or no".to_string(),
            Type::Number => "a number".to_string(),
            Type::Quantity(d) => format!("a {}", d.as_str()),
            Type::Date => "a date".to_string(),
            Type::Enum(values) => format!("one of {}", values.join(", ")),
            Type::Text => "a name".to_string(),
            Type::Reference => "a weapon type".to_string(),
            Type::List => "a list of weapon types".to_string(),
        }
    }

    fn from_attribute(ty: &AttributeType) -> Type {
        match ty {
            AttributeType::Boolean => Type::Bool,
            AttributeType::Integer => Type::Number,
            AttributeType::Date => Type::Date,
            AttributeType::Quantity { unit } => Type::Quantity(unit.dimension),
            AttributeType::Enum { values } => Type::Enum(values.clone()),
            AttributeType::Reference => Type::Reference,
            AttributeType::List => Type::List,
        }
    }
}

/// The names an expression may refer to.
pub struct Scope<'a> {
    pub file: &'a SourceFile,
    pub vocabulary: &'a Vocabulary,
    pub categories: &'a [String],
    pub packages: &'a [String],
    /// Reading names with their variant names.
    pub readings: &'a [(String, Vec<String>)],
}

/// Typing state: problems are collected, never thrown, so one run reports them all.
pub struct Typer<'a> {
    pub scope: Scope<'a>,
    pub problems: Vec<Problem>,
    /// Categories referenced with `in category` (for the recursion check).
    pub referenced_categories: Vec<usize>,
}

type Typed = Option<(Value, Type)>;

impl<'a> Typer<'a> {
    pub fn new(scope: Scope<'a>) -> Self {
        Typer {
            scope,
            problems: Vec::new(),
            referenced_categories: Vec::new(),
        }
    }

    fn problem(&mut self, code: Code, message: String, span: Span, label: &str) -> &mut Problem {
        let problem = Problem::new(code, message).at(self.scope.file, span, label);
        crate::diagnostics::push(&mut self.problems, problem)
    }

    fn unknown(&mut self, what: &str, name: &Node<String>, candidates: &[&str]) {
        let help = did_you_mean(&name.node, candidates.iter().copied()).or_else(|| {
            (!candidates.is_empty() && candidates.len() <= 12)
                .then(|| format!("known {what}s: {}", candidates.join(", ")))
        });
        let problem = self.problem(
            Code::UnknownName,
            format!("unknown {what} `{}`", name.node),
            name.span,
            &format!("no {what} of this name"),
        );
        problem.help = help;
    }

    /// A condition: an expression of type yes-or-no.
    pub fn predicate(&mut self, expr: &Node<Expr>, ctx: Context) -> Option<Predicate> {
        match &expr.node {
            Expr::Not(inner) => Some(Predicate::Not(Box::new(self.predicate(inner, ctx)?))),
            Expr::Binary { op, left, right } if matches!(op.node, BinaryOp::And | BinaryOp::Or) => {
                let l = self.predicate(left, ctx);
                let r = self.predicate(right, ctx);
                let (l, r) = (Box::new(l?), Box::new(r?));
                Some(if op.node == BinaryOp::And {
                    Predicate::And(l, r)
                } else {
                    Predicate::Or(l, r)
                })
            }
            Expr::Binary {
                op:
                    Node {
                        node: BinaryOp::Compare(cmp),
                        span: op_span,
                    },
                left,
                right,
            } => self.comparison(*cmp, *op_span, left, right, ctx),
            Expr::InSet { value, items } => self.in_set(value, items, ctx),
            Expr::InRange {
                value,
                low,
                low_inclusive,
                high,
                high_inclusive,
            } => {
                let (value_expr, ty) = self.value(value, ctx)?;
                let low_value = self.range_end(low, &ty, value.span);
                let high_value = self.range_end(high, &ty, value.span);
                let (low_value, high_value) = (low_value?, high_value?);
                let empty = low_value > high_value
                    || (low_value == high_value && !(*low_inclusive && *high_inclusive));
                if empty {
                    self.problem(
                        Code::EmptyRange,
                        "this range contains no value".to_string(),
                        low.span.to(high.span),
                        "no value lies in this range",
                    )
                    .help =
                        Some("write the lower end first, as in `[600 km, 2500 km]`".to_string());
                    return None;
                }
                Some(Predicate::InRange {
                    value: value_expr,
                    low: low_value,
                    low_inclusive: *low_inclusive,
                    high: high_value,
                    high_inclusive: *high_inclusive,
                })
            }
            Expr::Quantified {
                quantifier,
                list,
                body,
            } => {
                if ctx != Context::Holding {
                    let span = list.first().map_or(expr.span, |n| n.span);
                    self.problem(
                        Code::Misplaced,
                        "`any` and `every` apply to a list attribute of a holding".to_string(),
                        span,
                        "not inside a category",
                    );
                    return None;
                }
                let (access, ty) = self.path(list, ctx)?;
                let Value::Attribute(access) = access else {
                    return None;
                };
                if ty != Type::List {
                    let span = list
                        .first()
                        .map_or(expr.span, |n| n.span)
                        .to(list.last().map_or(expr.span, |n| n.span));
                    self.problem(
                        Code::TypeMismatch,
                        format!(
                            "`any` and `every` need a list of weapon types, and this is {}",
                            ty.describe()
                        ),
                        span,
                        "not a list",
                    );
                    return None;
                }
                let body = self.predicate(body, Context::Type)?;
                Some(Predicate::Quantified {
                    every: *quantifier == Quantifier::Every,
                    list: access,
                    body: Box::new(body),
                })
            }
            Expr::PackageIs { package, status } => {
                let index = self.scope.packages.iter().position(|p| *p == package.node);
                match index {
                    Some(package) => Some(Predicate::Package {
                        package,
                        status: status.node,
                    }),
                    None => {
                        let names: Vec<&str> =
                            self.scope.packages.iter().map(String::as_str).collect();
                        self.unknown("package", package, &names);
                        None
                    }
                }
            }
            Expr::ReadingIs { reading, variant } => {
                let Some(index) = self
                    .scope
                    .readings
                    .iter()
                    .position(|(r, _)| *r == reading.node)
                else {
                    let names: Vec<&str> = self
                        .scope
                        .readings
                        .iter()
                        .map(|(r, _)| r.as_str())
                        .collect();
                    self.unknown("reading", reading, &names);
                    return None;
                };
                let variants = self
                    .scope
                    .readings
                    .get(index)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                match variants.iter().position(|v| *v == variant.node) {
                    Some(v) => Some(Predicate::Reading {
                        reading: index,
                        variant: v,
                    }),
                    None => {
                        let names: Vec<&str> = variants.iter().map(String::as_str).collect();
                        self.unknown("variant", variant, &names);
                        None
                    }
                }
            }
            Expr::InCategory(name) => {
                if ctx != Context::Holding {
                    self.problem(
                        Code::Misplaced,
                        "`in category` applies to holdings, inside a category".to_string(),
                        name.span,
                        "no holding here",
                    );
                    return None;
                }
                match self.scope.categories.iter().position(|c| *c == name.node) {
                    Some(index) => {
                        self.referenced_categories.push(index);
                        Some(Predicate::InCategory(index))
                    }
                    None => {
                        let names: Vec<&str> =
                            self.scope.categories.iter().map(String::as_str).collect();
                        self.unknown("category", name, &names);
                        None
                    }
                }
            }
            Expr::Literal(Literal::Boolean(b)) => Some(Predicate::Const(*b)),
            Expr::Count(_) | Expr::Sum { .. } => {
                self.problem(
                    Code::Misplaced,
                    "a count is not a condition".to_string(),
                    expr.span,
                    "a number, not yes or no",
                )
                .help = Some(
                    "counts belong in the rule of a limit: `count of CATEGORY at most 100`"
                        .to_string(),
                );
                None
            }
            _ => {
                let (value, ty) = self.value(expr, ctx)?;
                match (value, ty) {
                    (Value::Attribute(access), Type::Bool) => Some(Predicate::Attribute(access)),
                    (_, ty) => {
                        self.problem(
                            Code::TypeMismatch,
                            format!("expected a condition (yes or no), found {}", ty.describe()),
                            expr.span,
                            "not yes or no",
                        );
                        None
                    }
                }
            }
        }
    }

    fn comparison(
        &mut self,
        op: Comparison,
        op_span: Span,
        left: &Node<Expr>,
        right: &Node<Expr>,
        ctx: Context,
    ) -> Option<Predicate> {
        // A bare name beside an enumeration is one of its values: `class = heavy_bomber`.
        let l = self.value_or_enum(left, right, ctx);
        // A bare name beside something unresolved is most likely a value of it: one error, not two.
        if l.is_none() && is_bare_name(right) {
            return None;
        }
        let r = self.value_or_enum(right, left, ctx);
        let ((lv, lt), (rv, rt)) = (l?, r?);
        let compatible = match (&lt, &rt) {
            (Type::Quantity(a), Type::Quantity(b)) if a != b => {
                self.problem(
                    Code::UnitMismatch,
                    format!("cannot compare a {} with a {}", a.as_str(), b.as_str()),
                    left.span.to(right.span),
                    "these measure different things",
                );
                return None;
            }
            (Type::Number, Type::Number)
            | (Type::Quantity(_), Type::Quantity(_))
            | (Type::Date, Type::Date) => true,
            (Type::Bool, Type::Bool)
            | (Type::Text, Type::Text)
            | (Type::Enum(_), Type::Enum(_)) => {
                matches!(op, Comparison::Equal | Comparison::NotEqual) || {
                    self.problem(
                        Code::TypeMismatch,
                        format!("`{}` does not apply to {}", op.symbol(), lt.describe()),
                        op_span,
                        "only `=` and `!=` compare these",
                    );
                    return None;
                }
            }
            _ => false,
        };
        if !compatible {
            // A bare number beside a quantity most likely lacks its unit.
            let bare_number = |e: &Node<Expr>| {
                matches!(
                    e.node,
                    Expr::Literal(Literal::Integer(_) | Literal::Decimal(_))
                )
            };
            let help = match (&lt, &rt) {
                (Type::Quantity(_), Type::Number) if bare_number(right) => {
                    Some("give the number its unit, as in `600 km`".to_string())
                }
                (Type::Number, Type::Quantity(_)) if bare_number(left) => {
                    Some("give the number its unit, as in `600 km`".to_string())
                }
                _ => None,
            };
            self.problem(
                Code::TypeMismatch,
                format!("cannot compare {} with {}", lt.describe(), rt.describe()),
                left.span.to(right.span),
                "these do not compare",
            )
            .help = help;
            return None;
        }
        Some(Predicate::Compare {
            op,
            left: lv,
            right: rv,
        })
    }

    /// Type `expr`; when it is a lone name that is a value of the enumeration `other` has,
    /// it is that value.
    fn value_or_enum(&mut self, expr: &Node<Expr>, other: &Node<Expr>, ctx: Context) -> Typed {
        if let Expr::Path(path) = &expr.node {
            if let [name] = path.as_slice() {
                if let Some(Type::Enum(values)) = self.peek_type(other, ctx) {
                    if self.path_type(path, ctx).is_none() {
                        return match values.iter().position(|v| *v == name.node) {
                            Some(index) => {
                                Some((Value::Const(Scalar::Enum(index)), Type::Enum(values)))
                            }
                            None => {
                                let names: Vec<&str> = values.iter().map(String::as_str).collect();
                                self.unknown("value", name, &names);
                                None
                            }
                        };
                    }
                }
            }
        }
        self.value(expr, ctx)
    }

    /// The type of a path without reporting anything.
    fn peek_type(&self, expr: &Node<Expr>, ctx: Context) -> Option<Type> {
        match &expr.node {
            Expr::Path(path) => self.path_type(path, ctx).map(|(_, t)| t),
            _ => None,
        }
    }

    fn path_type(&self, path: &[Node<String>], ctx: Context) -> Option<(Access, Type)> {
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
    fn path(&mut self, path: &[Node<String>], ctx: Context) -> Typed {
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
    pub fn value(&mut self, expr: &Node<Expr>, ctx: Context) -> Typed {
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
                    ) if a == b => lt.clone(),
                    (ArithmeticOp::Mul, Type::Quantity(_), Type::Number) => lt.clone(),
                    (ArithmeticOp::Mul, Type::Number, Type::Quantity(_)) => rt.clone(),
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
    fn condition_for_value(&mut self, expr: &Node<Expr>, ctx: Context) -> Typed {
        self.predicate(expr, ctx)?;
        self.problem(
            Code::TypeMismatch,
            "expected a value, found a condition".to_string(),
            expr.span,
            "this is yes or no",
        );
        None
    }

    fn literal(&mut self, literal: &Literal, span: Span) -> Typed {
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

    fn number(&mut self, text: &str, span: Span) -> Option<f64> {
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

    fn range_end(&mut self, literal: &Node<Literal>, ty: &Type, value_span: Span) -> Option<f64> {
        let (value, literal_ty) = self.literal(&literal.node, literal.span)?;
        let number = match value {
            Value::Const(Scalar::Number(n)) => n,
            _ => {
                self.problem(
                    Code::TypeMismatch,
                    format!(
                        "range ends must be numbers or quantities, not {}",
                        literal_ty.describe()
                    ),
                    literal.span,
                    "not a number",
                );
                return None;
            }
        };
        match (ty, &literal_ty) {
            (Type::Number, Type::Number) => Some(number),
            (Type::Quantity(a), Type::Quantity(b)) if a == b => Some(number),
            (Type::Quantity(a), Type::Quantity(b)) => {
                self.problem(
                    Code::UnitMismatch,
                    format!("cannot compare a {} with a {}", a.as_str(), b.as_str()),
                    literal.span,
                    "wrong unit",
                )
                .secondary
                .push((value_span, "this is what is compared".to_string()));
                None
            }
            _ => {
                let help = matches!((ty, &literal_ty), (Type::Quantity(_), Type::Number))
                    .then(|| "give the number its unit, as in `600 km`".to_string());
                self.problem(
                    Code::TypeMismatch,
                    format!(
                        "cannot compare {} with {}",
                        ty.describe(),
                        literal_ty.describe()
                    ),
                    literal.span,
                    "does not match what is compared",
                )
                .help = help;
                None
            }
        }
    }

    fn in_set(
        &mut self,
        value: &Node<Expr>,
        items: &[Node<String>],
        ctx: Context,
    ) -> Option<Predicate> {
        let (value_expr, ty) = self.value(value, ctx)?;
        let mut scalars = Vec::new();
        let mut ok = true;
        for item in items {
            match &ty {
                Type::Enum(values) => match values.iter().position(|v| *v == item.node) {
                    Some(index) => scalars.push(Scalar::Enum(index)),
                    None => {
                        let names: Vec<&str> = values.iter().map(String::as_str).collect();
                        self.unknown("value", item, &names);
                        ok = false;
                    }
                },
                Type::Text => scalars.push(Scalar::Text(item.node.clone())),
                other => {
                    self.problem(
                        Code::TypeMismatch,
                        format!("`in {{…}}` lists names, and this is {}", other.describe()),
                        value.span,
                        "not a name or an enumeration",
                    )
                    .help = Some("for numbers use a range: `in [600 km, 2500 km]`".to_string());
                    return None;
                }
            }
        }
        ok.then_some(Predicate::InSet {
            value: value_expr,
            items: scalars,
        })
    }

    /// The quantity of a limit: counts and weighted sums of categories.
    pub fn quantity(&mut self, expr: &Node<Expr>) -> Option<Quantity> {
        match &expr.node {
            Expr::Count(name) => Some(Quantity::Count(self.category(name)?)),
            Expr::Sum { weight, category } => {
                let weight = match &weight.node {
                    Expr::Literal(Literal::Integer(text)) => {
                        Weight::Const(self.whole(text, weight.span)?)
                    }
                    _ => {
                        let (value, ty) = self.value(weight, Context::Holding)?;
                        match (value, ty) {
                            (Value::Attribute(access), Type::Number) => Weight::Attribute(access),
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
                                return None;
                            }
                        }
                    }
                };
                Some(Quantity::Sum {
                    weight,
                    category: self.category(category)?,
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

    pub fn category(&mut self, name: &Node<String>) -> Option<usize> {
        let index = self.scope.categories.iter().position(|c| *c == name.node);
        if index.is_none() {
            let names: Vec<&str> = self.scope.categories.iter().map(String::as_str).collect();
            self.unknown("category", name, &names);
        }
        index
    }
}

fn is_bare_name(expr: &Node<Expr>) -> bool {
    matches!(&expr.node, Expr::Path(path) if path.len() == 1)
}

fn join(path: &[Node<String>]) -> String {
    path.iter()
        .map(|n| n.node.as_str())
        .collect::<Vec<_>>()
        .join(".")
}
