//! The checked model of a position: every name resolved to an index, every expression typed.
//!
//! Produced by [`crate::check`], consumed by [`crate::scenario`] (the vocabulary a scenario is
//! validated against) and [`crate::eval`]. Expressions here are already "compiled": attribute
//! access is by slot, categories and packages by index, quantities in base units, so the
//! evaluator does no string lookups.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::lang::{Comparison, DocumentKind, PackageStatus, ProvisionKind, Verdict};
use crate::span::{SourceFile, Span};

/// A calendar date. Ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
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
    pub from: Option<Date>,
    pub until: Option<Date>,
}

impl Period {
    pub fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|from| date >= from) && self.until.is_none_or(|until| date <= until)
    }
}

/// What a physical quantity measures; only quantities of one dimension compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Length,
    Yield,
    Mass,
}

impl Dimension {
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Length => "length",
            Dimension::Yield => "yield",
            Dimension::Mass => "mass",
        }
    }
}

/// A unit the language knows: its dimension and its size in the dimension's base unit
/// (km, kt, kg).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Unit {
    pub symbol: &'static str,
    pub dimension: Dimension,
    pub factor: f64,
}

/// The units of quantities in rule files and scenarios.
pub const UNITS: &[Unit] = &[
    Unit {
        symbol: "km",
        dimension: Dimension::Length,
        factor: 1.0,
    },
    Unit {
        symbol: "m",
        dimension: Dimension::Length,
        factor: 0.001,
    },
    Unit {
        symbol: "mi",
        dimension: Dimension::Length,
        factor: 1.609_344,
    },
    Unit {
        symbol: "nmi",
        dimension: Dimension::Length,
        factor: 1.852,
    },
    Unit {
        symbol: "kt",
        dimension: Dimension::Yield,
        factor: 1.0,
    },
    Unit {
        symbol: "Mt",
        dimension: Dimension::Yield,
        factor: 1000.0,
    },
    Unit {
        symbol: "kg",
        dimension: Dimension::Mass,
        factor: 1.0,
    },
    Unit {
        symbol: "t",
        dimension: Dimension::Mass,
        factor: 1000.0,
    },
];

pub fn unit(symbol: &str) -> Option<Unit> {
    UNITS.iter().copied().find(|u| u.symbol == symbol)
}

/// The type of an attribute in the vocabulary.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributeType {
    Boolean,
    Integer,
    Date,
    /// Stored in the base unit of the dimension; `unit` is the one the vocabulary names.
    Quantity {
        unit: Unit,
    },
    Enum {
        values: Vec<String>,
    },
    /// A reference to a weapon type of the scenario.
    Reference,
    /// A list of references to weapon types.
    List,
}

impl AttributeType {
    /// How the type is named to users ("a length in km", "one of icbm, slbm").
    pub fn describe(&self) -> String {
        match self {
            AttributeType::Boolean => "yes or no".to_string(),
            AttributeType::Integer => "a whole number".to_string(),
            AttributeType::Date => "a date".to_string(),
            AttributeType::Quantity { unit } => {
                format!("a {} in {}", unit.dimension.as_str(), unit.symbol)
            }
            AttributeType::Enum { values } => format!("one of {}", values.join(", ")),
            AttributeType::Reference => "a weapon type".to_string(),
            AttributeType::List => "a list of weapon types".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributeDef {
    pub name: String,
    pub ty: AttributeType,
    pub description: Option<String>,
}

/// The schema scenarios are validated against. Attribute slots are indices into these lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Vocabulary {
    pub type_attributes: Vec<AttributeDef>,
    pub holding_attributes: Vec<AttributeDef>,
}

impl Vocabulary {
    pub fn type_attribute(&self, name: &str) -> Option<usize> {
        self.type_attributes.iter().position(|a| a.name == name)
    }

    pub fn holding_attribute(&self, name: &str) -> Option<usize> {
        self.holding_attributes.iter().position(|a| a.name == name)
    }
}

/// A verbatim quote of the source text, where it sits in the rule file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    pub text: String,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Package {
    pub name: String,
    pub label: Option<String>,
    pub quotes: Vec<Quote>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub name: String,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    pub name: String,
    pub label: Option<String>,
    pub quotes: Vec<Quote>,
    pub notes: Vec<String>,
    pub variants: Vec<Variant>,
    /// Index into `variants`.
    pub default: usize,
}

/// One definition of a category: the holdings it selects, and the text that says so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Branch {
    /// `None` for the default definition.
    pub condition: Option<Predicate>,
    pub selection: Predicate,
    /// The definition as written, for explanations.
    pub text: String,
    /// The condition as written.
    pub condition_text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Category {
    pub name: String,
    pub label: Option<String>,
    pub quotes: Vec<Quote>,
    pub notes: Vec<String>,
    /// The default definition first, then the exceptions in file order: the first exception
    /// whose condition holds replaces the default.
    pub branches: Vec<Branch>,
}

/// Where a value is read from. Slots index [`Vocabulary`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// An attribute of the holding in context.
    Holding(usize),
    /// An attribute of the weapon type a holding's reference attribute points to (`type.range`).
    ViaReference { reference: usize, attribute: usize },
    /// The name of the weapon type a holding's reference points to (`type.name`).
    ReferenceName { reference: usize },
    /// An attribute of the weapon type in context (inside `any armament has (…)`).
    Type(usize),
    /// The name of the holding (`name`) or of the weapon type in context.
    Name,
    /// The party of the holding in context.
    Party,
}

/// A constant value, in base units where it is a quantity.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scalar {
    Bool(bool),
    /// Integers and quantities (in the base unit) alike.
    Number(f64),
    Date(Date),
    /// Index into an enumeration's values.
    Enum(usize),
    Text(String),
}

/// A scalar-valued expression.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    Const(Scalar),
    Attribute(Access),
    ScenarioDate,
    Arithmetic {
        op: ArithmeticOp,
        left: Box<Value>,
        right: Box<Value>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArithmeticOp {
    Add,
    Sub,
    Mul,
}

/// A three-valued condition. Context: a holding (categories), a weapon type (inside a
/// quantifier), or none (provision conditions, exception conditions).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Predicate {
    Const(bool),
    /// A boolean attribute.
    Attribute(Access),
    Not(Box<Predicate>),
    And(Box<Predicate>, Box<Predicate>),
    Or(Box<Predicate>, Box<Predicate>),
    Compare {
        op: Comparison,
        left: Value,
        right: Value,
    },
    InSet {
        value: Value,
        items: Vec<Scalar>,
    },
    InRange {
        value: Value,
        low: f64,
        low_inclusive: bool,
        high: f64,
        high_inclusive: bool,
    },
    /// `any LIST has (…)` / `every LIST has (…)`: the body is evaluated for each weapon type
    /// of the list attribute.
    Quantified {
        every: bool,
        list: Access,
        body: Box<Predicate>,
    },
    Package {
        package: usize,
        status: PackageStatus,
    },
    Reading {
        reading: usize,
        variant: usize,
    },
    InCategory(usize),
}

/// A count-valued expression (limits).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    Const(u64),
    /// Sum of the counts of the category's holdings.
    Count(usize),
    /// Sum of count × weight over the category's holdings.
    Sum {
        weight: Weight,
        category: usize,
    },
    Arithmetic {
        op: ArithmeticOp,
        left: Box<Quantity>,
        right: Box<Quantity>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Weight {
    Const(u64),
    /// An integer attribute of the holding (or its weapon type).
    Attribute(Access),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    EachParty,
    /// Binds one party (index into `Model::parties`).
    For(usize),
    /// One party's own commitment.
    By(usize),
}

impl Scope {
    pub fn applies_to(self, party: usize) -> bool {
        match self {
            Scope::EachParty => true,
            Scope::For(p) | Scope::By(p) => p == party,
        }
    }
}

/// A bound in force from a date (`None`: from the start).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bound {
    pub from: Option<Date>,
    pub value: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    Limit {
        quantity: Quantity,
        comparison: Comparison,
        /// In date order; the last one whose `from` is not after the scenario date applies.
        bounds: Vec<Bound>,
        /// The quantity as written.
        text: String,
    },
    Ban {
        category: usize,
    },
    Assurance {
        category: usize,
        requirement: Predicate,
        /// The requirement as written.
        text: String,
    },
    /// Statements bind nothing and are reported, never evaluated.
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provision {
    pub id: String,
    pub label: Option<String>,
    pub kind: ProvisionKind,
    pub scope: Scope,
    pub quotes: Vec<Quote>,
    pub notes: Vec<String>,
    /// All must hold for the provision to apply.
    pub conditions: Vec<Predicate>,
    /// The conditions as written.
    pub condition_texts: Vec<String>,
    /// The provision's own period, already narrowed by the position's.
    pub period: Period,
    pub rule: Rule,
    #[serde(skip)]
    pub span: Span,
}

/// An in-language test: a scenario and the verdicts expected on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Test {
    pub title: String,
    /// Resolved against the rule file's folder.
    pub scenario: PathBuf,
    /// Reading choices: (reading, variant).
    pub readings: Vec<(usize, usize)>,
    pub expectations: Vec<Expectation>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expectation {
    pub provision: usize,
    /// `None`: every party the provision applies to.
    pub party: Option<usize>,
    pub verdict: Verdict,
    #[serde(skip)]
    pub span: Span,
}

/// A checked position.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub kind: DocumentKind,
    pub title: String,
    pub date: Option<Date>,
    pub parties: Vec<String>,
    /// The source text file, as written in the header.
    pub source: Option<String>,
    pub period: Period,
    pub notes: Vec<String>,
    pub vocabulary: Vocabulary,
    pub packages: Vec<Package>,
    pub readings: Vec<Reading>,
    pub categories: Vec<Category>,
    pub provisions: Vec<Provision>,
    pub tests: Vec<Test>,
    /// The rule file itself (for test diagnostics and reports).
    #[serde(skip)]
    pub file: SourceFile,
    /// Sentences of the source text and whether a quote covers each (source coverage).
    #[serde(skip)]
    pub coverage: Option<SourceCoverage>,
}

impl Model {
    pub fn party(&self, name: &str) -> Option<usize> {
        self.parties.iter().position(|p| p == name)
    }

    pub fn package(&self, name: &str) -> Option<usize> {
        self.packages.iter().position(|p| p.name == name)
    }

    pub fn reading(&self, name: &str) -> Option<usize> {
        self.readings.iter().position(|r| r.name == name)
    }

    pub fn provision(&self, id: &str) -> Option<usize> {
        self.provisions.iter().position(|p| p.id == id)
    }

    /// The default variant of every reading.
    pub fn default_readings(&self) -> Vec<usize> {
        self.readings.iter().map(|r| r.default).collect()
    }
}

/// How much of the source text the position's quotes cover.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SourceCoverage {
    pub sentences: usize,
    pub quoted: usize,
}

/// A package's state in a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PackageState {
    Stated(PackageStatus),
    /// Not stated in the scenario.
    Unknown,
}

/// The vocabulary of `rules/vocabulary/strategic.treaty`, built by hand so that unit tests of
/// later stages do not depend on the checker.
#[cfg(test)]
pub(crate) fn strategic_vocabulary() -> Vocabulary {
    let attribute = |name: &str, ty: AttributeType| AttributeDef {
        name: name.to_owned(),
        ty,
        description: None,
    };
    let one_of = |values: &[&str]| AttributeType::Enum {
        values: values.iter().map(|v| (*v).to_owned()).collect(),
    };
    let km = Unit {
        symbol: "km",
        dimension: Dimension::Length,
        factor: 1.0,
    };
    Vocabulary {
        type_attributes: vec![
            attribute(
                "class",
                one_of(&["icbm", "slbm", "asbm", "cruise_missile", "aircraft"]),
            ),
            attribute("basing", one_of(&["air", "sea", "land"])),
            attribute("range", AttributeType::Quantity { unit: km }),
            attribute("mirv_tested", AttributeType::Boolean),
            attribute("warheads", AttributeType::Integer),
            attribute("intercontinental", AttributeType::Boolean),
        ],
        holding_attributes: vec![
            attribute(
                "class",
                one_of(&[
                    "icbm_launcher",
                    "slbm_launcher",
                    "heavy_bomber",
                    "medium_bomber",
                    "other_aircraft",
                    "asbm",
                    "cruise_missile",
                ]),
            ),
            attribute("type", AttributeType::Reference),
            attribute("mirv_equipped", AttributeType::Boolean),
            attribute("mobile", AttributeType::Boolean),
            attribute("armament", AttributeType::List),
        ],
    }
}
