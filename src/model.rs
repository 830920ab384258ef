//! The checked model of a position: every name resolved to an index, every expression typed.
//!
//! Produced by [`crate::check`], consumed by [`crate::scenario`] (the vocabulary a scenario is
//! validated against) and [`crate::eval`]. Expressions here are already "compiled": attribute
//! access is by slot, categories and packages by index, quantities in base units, so the
//! evaluator does no string lookups.
#![warn(missing_docs)]

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::lang::{Comparison, DocumentKind, PackageStatus, ProvisionKind, Verdict};
use crate::span::{SourceFile, Span};

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

    /// Parse `YYYY-MM-DD`: four, two and two digits (no sign: `1979-+6-18` is not a date).
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
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

/// What a physical quantity measures; only quantities of one dimension compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Ranges; base unit km.
    Length,
    /// Explosive yields; base unit kt.
    Yield,
    /// Masses; base unit kg.
    Mass,
}

impl Dimension {
    /// The dimension's name, as type descriptions print it.
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
    /// As written after a number (`km`, `Mt`).
    pub symbol: &'static str,
    /// What the unit measures.
    pub dimension: Dimension,
    /// One of this unit in the dimension's base unit.
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

/// The unit written `symbol`, if the language knows it.
pub fn unit(symbol: &str) -> Option<Unit> {
    UNITS.iter().copied().find(|u| u.symbol == symbol)
}

/// The type of an attribute in the vocabulary.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributeType {
    /// `boolean`: true or false.
    Boolean,
    /// `integer`: a whole number.
    Integer,
    /// `date`: a calendar date.
    Date,
    /// Stored in the base unit of the dimension; `unit` is the one the vocabulary names.
    Quantity {
        /// The unit named in the vocabulary (`quantity in km`).
        unit: Unit,
    },
    /// `one of a, b, c`: one of a closed list of names.
    Enum {
        /// The names, in the order written; enumeration scalars index this list.
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

/// One attribute of weapon types or of holdings, as the vocabulary declares it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttributeDef {
    /// The attribute's name, as scenarios and rules write it.
    pub name: String,
    /// Its type.
    pub ty: AttributeType,
    /// The string after the type, explaining the attribute.
    pub description: Option<String>,
}

/// The schema scenarios are validated against. Attribute slots are indices into these lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Vocabulary {
    /// The attributes of weapon types (`weapon types { … }`), in the order declared.
    pub type_attributes: Vec<AttributeDef>,
    /// The attributes of holdings (`holdings { … }`), in the order declared.
    pub holding_attributes: Vec<AttributeDef>,
}

impl Vocabulary {
    /// The slot of the weapon-type attribute `name`.
    pub fn type_attribute(&self, name: &str) -> Option<usize> {
        self.type_attributes.iter().position(|a| a.name == name)
    }

    /// The slot of the holding attribute `name`.
    pub fn holding_attribute(&self, name: &str) -> Option<usize> {
        self.holding_attributes.iter().position(|a| a.name == name)
    }
}

/// A verbatim quote of the source text, where it sits in the rule file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    /// The quoted words, as written in the rule file.
    pub text: String,
    /// Where the quote is in the rule file.
    #[serde(skip)]
    pub span: Span,
}

/// A set of linked issues whose agreement the position makes conditional; a scenario states
/// it as agreed, open or rejected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Package {
    /// The name conditions use (`package NAME is agreed`).
    pub name: String,
    /// The string after the name.
    pub label: Option<String>,
    /// The source text the package rests on.
    pub quotes: Vec<Quote>,
    /// Remarks for the reader.
    pub notes: Vec<String>,
}

/// One interpretation of an ambiguous wording.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    /// The name conditions and `--reading` use.
    pub name: String,
    /// The string after the name.
    pub label: Option<String>,
}

/// An ambiguous wording and its possible interpretations; evaluation picks one variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    /// The name conditions use (`reading NAME is VARIANT`).
    pub name: String,
    /// The string after the name: the question the wording leaves open.
    pub label: Option<String>,
    /// The ambiguous source text.
    pub quotes: Vec<Quote>,
    /// Remarks for the reader.
    pub notes: Vec<String>,
    /// The interpretations, in file order.
    pub variants: Vec<Variant>,
    /// Index into `variants`.
    pub default: usize,
}

/// One definition of a category: the holdings it selects, and the text that says so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Branch {
    /// `None` for the default definition.
    pub condition: Option<Predicate>,
    /// Which holdings belong to the category under this definition.
    pub selection: Predicate,
    /// The definition as written, for explanations.
    pub text: String,
    /// The condition as written.
    pub condition_text: Option<String>,
}

/// A named selection of holdings, which provisions count, ban or bind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Category {
    /// The name provisions and other categories use.
    pub name: String,
    /// The string after the name.
    pub label: Option<String>,
    /// The source text that defines it.
    pub quotes: Vec<Quote>,
    /// Remarks for the reader.
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
    ViaReference {
        /// The holding's reference attribute.
        reference: usize,
        /// The weapon-type attribute read through it.
        attribute: usize,
    },
    /// The name of the weapon type a holding's reference points to (`type.name`).
    ReferenceName {
        /// The holding's reference attribute.
        reference: usize,
    },
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
    /// A truth value.
    Bool(bool),
    /// Integers and quantities (in the base unit) alike.
    Number(f64),
    /// A date.
    Date(Date),
    /// Index into an enumeration's values.
    Enum(usize),
    /// A string (a name compared with `name` or `type.name`).
    Text(String),
}

/// A scalar-valued expression.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// A constant.
    Const(Scalar),
    /// An attribute's value.
    Attribute(Access),
    /// The scenario's date (`date`).
    ScenarioDate,
    /// `left op right`.
    Arithmetic {
        /// `+`, `-` or `*`.
        op: ArithmeticOp,
        /// The left operand.
        left: Box<Value>,
        /// The right operand.
        right: Box<Value>,
    },
}

/// An arithmetic operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArithmeticOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
}

/// A three-valued condition. Context: a holding (categories), a weapon type (inside a
/// quantifier), or none (provision conditions, exception conditions).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Predicate {
    /// Always true or always false.
    Const(bool),
    /// A boolean attribute.
    Attribute(Access),
    /// `not …`
    Not(Box<Predicate>),
    /// `… and …`
    And(Box<Predicate>, Box<Predicate>),
    /// `… or …`
    Or(Box<Predicate>, Box<Predicate>),
    /// `left op right`.
    Compare {
        /// The comparison.
        op: Comparison,
        /// The left side.
        left: Value,
        /// The right side.
        right: Value,
    },
    /// `value in {a, b, …}`.
    InSet {
        /// The value tested.
        value: Value,
        /// The members of the set.
        items: Vec<Scalar>,
    },
    /// `value in [low, high]`, each end open or closed; ends in base units.
    InRange {
        /// The value tested.
        value: Value,
        /// The lower end.
        low: f64,
        /// Whether `low` itself is in the range (`[`).
        low_inclusive: bool,
        /// The upper end.
        high: f64,
        /// Whether `high` itself is in the range (`]`).
        high_inclusive: bool,
    },
    /// `any LIST has (…)` / `every LIST has (…)`: the body is evaluated for each weapon type
    /// of the list attribute.
    Quantified {
        /// `every` (true) or `any` (false).
        every: bool,
        /// The list attribute whose weapon types are tested.
        list: Access,
        /// The condition on each weapon type.
        body: Box<Predicate>,
    },
    /// `package NAME is STATUS`.
    Package {
        /// Index into `Model::packages`.
        package: usize,
        /// The state tested for.
        status: PackageStatus,
    },
    /// `reading NAME is VARIANT`.
    Reading {
        /// Index into `Model::readings`.
        reading: usize,
        /// Index into the reading's variants.
        variant: usize,
    },
    /// The holding in context belongs to the category (index into `Model::categories`).
    InCategory(usize),
}

/// A count-valued expression (limits).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// A whole number.
    Const(u64),
    /// Sum of the counts of the category's holdings.
    Count(usize),
    /// Sum of count × weight over the category's holdings.
    Sum {
        /// What each holding's count is multiplied by.
        weight: Weight,
        /// Index into `Model::categories`.
        category: usize,
    },
    /// `left op right`.
    Arithmetic {
        /// `+`, `-` or `*`.
        op: ArithmeticOp,
        /// The left operand.
        left: Box<Quantity>,
        /// The right operand.
        right: Box<Quantity>,
    },
}

/// The weight of each holding in `sum of WEIGHT over CATEGORY`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Weight {
    /// The same whole number for every holding.
    Const(u64),
    /// An integer attribute of the holding (or its weapon type).
    Attribute(Access),
}

/// Whom a provision binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// `for each party`: every party in turn (the default).
    EachParty,
    /// Binds one party (index into `Model::parties`).
    For(usize),
    /// One party's own commitment.
    By(usize),
}

impl Scope {
    /// Whether the provision binds `party` (index into `Model::parties`).
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
    /// The first day the bound applies; `None`: from the start.
    pub from: Option<Date>,
    /// The bound itself.
    pub value: u64,
}

/// What a provision requires, by kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A quantity against a bound.
    Limit {
        /// The quantity measured.
        quantity: Quantity,
        /// How it must compare with the bound.
        comparison: Comparison,
        /// In date order; the last one whose `from` is not after the scenario date applies.
        bounds: Vec<Bound>,
        /// The quantity as written.
        text: String,
    },
    /// Nothing of a category may exist.
    Ban {
        /// Index into `Model::categories`.
        category: usize,
    },
    /// Every holding of a category meets a requirement.
    Assurance {
        /// Index into `Model::categories`.
        category: usize,
        /// The condition on each holding.
        requirement: Predicate,
        /// The requirement as written.
        text: String,
    },
    /// Statements bind nothing and are reported, never evaluated.
    None,
}

/// A limit, ban, assurance or statement of the position.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provision {
    /// Unique in the position; tests and reports name the provision by it.
    pub id: String,
    /// The string after the id.
    pub label: Option<String>,
    /// Limit, ban, assurance or statement.
    pub kind: ProvisionKind,
    /// Whom it binds.
    pub scope: Scope,
    /// The source text it rests on.
    pub quotes: Vec<Quote>,
    /// Remarks for the reader.
    pub notes: Vec<String>,
    /// All must hold for the provision to apply.
    pub conditions: Vec<Predicate>,
    /// The conditions as written.
    pub condition_texts: Vec<String>,
    /// The provision's own period, already narrowed by the position's.
    pub period: Period,
    /// What it requires.
    pub rule: Rule,
    /// The provision's id in the rule file.
    #[serde(skip)]
    pub span: Span,
}

/// An in-language test: a scenario and the verdicts expected on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Test {
    /// The string after `test`.
    pub title: String,
    /// Resolved against the rule file's folder.
    pub scenario: PathBuf,
    /// Reading choices: (reading, variant).
    pub readings: Vec<(usize, usize)>,
    /// The `expect` lines, in file order.
    pub expectations: Vec<Expectation>,
    /// The test block in the rule file.
    #[serde(skip)]
    pub span: Span,
}

/// `expect PROVISION [for PARTY] VERDICT`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expectation {
    /// Index into `Model::provisions`.
    pub provision: usize,
    /// `None`: every party the provision applies to.
    pub party: Option<usize>,
    /// The verdict expected.
    pub verdict: Verdict,
    /// From the provision's name to the verdict, in the rule file.
    #[serde(skip)]
    pub span: Span,
}

/// A checked position.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// What the header says the file is.
    pub kind: DocumentKind,
    /// The header's title.
    pub title: String,
    /// The date of the text.
    pub date: Option<Date>,
    /// The parties, as the header lists them; party indices point here.
    pub parties: Vec<String>,
    /// The source text file, as written in the header.
    pub source: Option<String>,
    /// When the position's provisions are in force (`in force …` in the header).
    pub period: Period,
    /// The header's remarks for the reader.
    pub notes: Vec<String>,
    /// The attributes scenarios give weapon types and holdings, imported ones included.
    pub vocabulary: Vocabulary,
    /// Imported ones included; package indices point here.
    pub packages: Vec<Package>,
    /// Imported ones included; reading indices point here.
    pub readings: Vec<Reading>,
    /// Imported ones included; category indices point here.
    pub categories: Vec<Category>,
    /// In file order.
    pub provisions: Vec<Provision>,
    /// The in-language tests, in file order.
    pub tests: Vec<Test>,
    /// The rule file itself (for test diagnostics and reports).
    #[serde(skip)]
    pub file: SourceFile,
    /// Sentences of the source text and whether a quote covers each (source coverage).
    #[serde(skip)]
    pub coverage: Option<SourceCoverage>,
}

impl Model {
    /// The index of the party `name`.
    pub fn party(&self, name: &str) -> Option<usize> {
        self.parties.iter().position(|p| p == name)
    }

    /// The index of the package `name`.
    pub fn package(&self, name: &str) -> Option<usize> {
        self.packages.iter().position(|p| p.name == name)
    }

    /// The index of the reading `name`.
    pub fn reading(&self, name: &str) -> Option<usize> {
        self.readings.iter().position(|r| r.name == name)
    }

    /// The index of the provision with id `id`.
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
    /// Sentences in the source text.
    pub sentences: usize,
    /// Sentences a quote covers.
    pub quoted: usize,
}

/// A package's state in a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PackageState {
    /// As the scenario states it.
    Stated(PackageStatus),
    /// Not stated in the scenario.
    Unknown,
}

/// The vocabulary of `rules/vocabulary/strategic.treaty`, as the checker reads it (once), for
/// the unit tests of later stages: they use the project's own file, not a copy of it.
#[cfg(test)]
pub(crate) fn strategic_vocabulary() -> Vocabulary {
    static VOCABULARY: std::sync::OnceLock<Vocabulary> = std::sync::OnceLock::new();
    VOCABULARY
        .get_or_init(|| {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
            let path = std::path::Path::new("rules/vocabulary/strategic.treaty");
            match crate::check::check_file(path, root) {
                Ok(checked) => checked.model.vocabulary,
                Err(errors) => panic!("the strategic vocabulary does not check: {errors:?}"),
            }
        })
        .clone()
}
