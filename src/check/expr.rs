//! Typing expressions and compiling them into the model's resolved form: the types, the
//! typer, and conditions (comparisons, ranges, sets, quantifiers). Values, attribute paths,
//! literals and the quantities of limits are typed in `value`.

use std::collections::HashMap;

use crate::ast::{BinaryOp, Expr, Literal, Node, Quantifier};
use crate::lang::Comparison;
use crate::model::{AttributeType, Dimension, Predicate, Scalar, Value, Vocabulary};
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
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Type<'v> {
    /// Yes or no.
    Bool,
    /// A plain number (a whole number in the vocabulary).
    Number,
    /// A quantity of this dimension (length, mass, …).
    Quantity(Dimension),
    /// A day.
    Date,
    /// The values of an enumeration, as the vocabulary declares them.
    Enum(&'v [String]),
    /// A name (`name`, `party`, a string).
    Text,
    /// A weapon type (a `weapon type` attribute).
    Reference,
    /// A list of weapon types.
    List,
}

impl<'v> Type<'v> {
    /// The type in words, as messages show it.
    pub(super) fn describe(&self) -> String {
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

    /// The type of a declared attribute.
    pub(super) fn from_attribute(ty: &'v AttributeType) -> Type<'v> {
        match ty {
            AttributeType::Boolean => Type::Bool,
            AttributeType::Integer => Type::Number,
            AttributeType::Date => Type::Date,
            AttributeType::Quantity { unit } => Type::Quantity(unit.dimension),
            AttributeType::Enum { values } => Type::Enum(values),
            AttributeType::Reference => Type::Reference,
            AttributeType::List => Type::List,
        }
    }
}

/// The names an expression may refer to.
pub struct Scope<'a> {
    /// The file the expressions are written in.
    pub file: &'a SourceFile,
    /// The attributes of weapon types and holdings.
    pub vocabulary: &'a Vocabulary,
    /// Category names, in declaration order (their indices in the model).
    pub categories: &'a [String],
    /// Package names, in declaration order.
    pub packages: &'a [String],
    /// Reading names with their variant names.
    pub readings: &'a [(String, Vec<String>)],
    /// The index of each name in the lists above.
    pub index: &'a NameIndex,
}

/// Where each category, package and reading name stands in its list: the first of a name
/// given twice, as a scan of the list would find.
#[derive(Debug, Default)]
pub struct NameIndex {
    categories: HashMap<String, usize>,
    packages: HashMap<String, usize>,
    readings: HashMap<String, usize>,
}

impl NameIndex {
    /// The index of the names of these lists.
    pub fn of(
        categories: &[String],
        packages: &[String],
        readings: &[(String, Vec<String>)],
    ) -> Self {
        fn index<'n>(names: impl Iterator<Item = &'n String>) -> HashMap<String, usize> {
            let mut map = HashMap::new();
            for (i, name) in names.enumerate() {
                map.entry(name.clone()).or_insert(i);
            }
            map
        }
        NameIndex {
            categories: index(categories.iter()),
            packages: index(packages.iter()),
            readings: index(readings.iter().map(|(r, _)| r)),
        }
    }
}

impl Scope<'_> {
    /// The index of a category by name.
    pub fn category(&self, name: &str) -> Option<usize> {
        self.index.categories.get(name).copied()
    }

    /// The index of a package by name.
    pub fn package(&self, name: &str) -> Option<usize> {
        self.index.packages.get(name).copied()
    }

    /// The index of a reading by name.
    pub fn reading(&self, name: &str) -> Option<usize> {
        self.index.readings.get(name).copied()
    }
}

/// Typing state: problems are collected, never thrown, so one run reports them all.
pub struct Typer<'a> {
    /// What names mean here.
    pub scope: Scope<'a>,
    /// The problems found, in the order found.
    pub problems: Vec<Problem>,
    /// Categories referenced with `in category` (for the recursion check).
    pub referenced_categories: Vec<usize>,
}

/// A typed value, or `None` when a problem was recorded.
pub(super) type Typed<'v> = Option<(Value, Type<'v>)>;

impl<'a> Typer<'a> {
    /// A typer with no problems yet.
    pub fn new(scope: Scope<'a>) -> Self {
        Typer {
            scope,
            problems: Vec::new(),
            referenced_categories: Vec::new(),
        }
    }

    /// Record a problem at `span` and hand it back, so a help can be added.
    pub(super) fn problem(
        &mut self,
        code: Code,
        message: String,
        span: Span,
        label: &str,
    ) -> &mut Problem {
        let problem = Problem::new(code, message).at(self.scope.file, span, label);
        crate::diagnostics::push(&mut self.problems, problem)
    }

    /// An unknown name, with "did you mean" or the known names when they are few.
    pub(super) fn unknown(&mut self, what: &str, name: &Node<String>, candidates: &[&str]) {
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
                let index = self.scope.package(&package.node);
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
                let Some(index) = self.scope.reading(&reading.node) else {
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
                match self.scope.category(&name.node) {
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
    fn value_or_enum(&mut self, expr: &Node<Expr>, other: &Node<Expr>, ctx: Context) -> Typed<'a> {
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
}

fn is_bare_name(expr: &Node<Expr>) -> bool {
    matches!(&expr.node, Expr::Path(path) if path.len() == 1)
}
