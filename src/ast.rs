//! The syntax tree of a rule file, as written: names are not yet resolved, types not checked.
//!
//! Every node carries the byte span it came from. Equality ignores spans, so two trees that
//! say the same thing compare equal wherever they were written.

#![warn(missing_docs)]

use serde::Serialize;

use crate::lang::{Comparison, DateUnit, DocumentKind, PackageStatus, ProvisionKind};
use crate::span::Span;

/// A value with the place in the rule file it was written.
#[derive(Debug, Clone, Serialize)]
pub struct Node<T> {
    /// The value.
    pub node: T,
    /// Where it was written: byte offsets into the rule file.
    #[serde(skip)]
    pub span: Span,
}

impl<T> Node<T> {
    /// `node`, written at `span`.
    pub fn new(node: T, span: Span) -> Self {
        Node { node, span }
    }
}

impl<T: PartialEq> PartialEq for Node<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<T: Eq> Eq for Node<T> {}

/// A name as written (a category, provision, attribute, party…), with its place.
pub type Name = Node<String>;

/// One rule file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct File {
    /// The header, when the file has one.
    pub header: Option<Header>,
    /// The declarations after the header, in file order.
    pub items: Vec<Item>,
}

/// `position "TITLE" { … }`: what the file is, and the fields that hold for all of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    /// `position`, `treaty`, `proposal`, `protocol` or `vocabulary`.
    pub kind: Node<DocumentKind>,
    /// The string after the kind.
    pub title: Node<String>,
    /// `date YYYY-MM-DD`: the date of the text (its signature), as written.
    pub date: Option<Node<String>>,
    /// `entry into force YYYY-MM-DD`, as written.
    pub entry_into_force: Option<Node<String>>,
    /// `parties A, B`.
    pub parties: Vec<Name>,
    /// `source "PATH"` and `source NAME "PATH"`: the texts quotes are verified against, in
    /// file order.
    pub sources: Vec<Source>,
    /// `in force …`: when the provisions apply.
    pub period: Option<Node<Period>>,
    /// `note "…"`, in file order.
    pub notes: Vec<Node<String>>,
}

/// `source NAME "PATH"`: a text the quotes of the file are verified against.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// The name `quote NAME "…"` uses; `None` for the unnamed `source "PATH"`.
    pub name: Option<Name>,
    /// The path, relative to the rule file, as written.
    pub path: Node<String>,
}

/// `quote "…"` or `quote NAME "…"`: words of a source text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    /// The source named, when one is: the quote must stand in it.
    pub source: Option<Name>,
    /// The quoted words.
    pub text: Node<String>,
}

/// When something is in force; both ends inclusive, either may be open.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    /// `from DATE`: the first day; `None` when not written.
    pub from: Option<Node<DateExpr>>,
    /// `until DATE`: the last day; `None` when not written.
    pub until: Option<Node<DateExpr>>,
}

/// A date as periods and bounds write it: a date, or one counted from the header's dates
/// (`entry into force + 18 months`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateExpr {
    /// The date counted from.
    pub base: Node<DateBase>,
    /// `+ N years|months|days`, when written.
    pub offset: Option<Offset>,
}

/// What a date expression counts from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum DateBase {
    /// A date, `YYYY-MM-DD`, not yet validated.
    Date(String),
    /// `entry into force`: the header's `entry into force` date.
    EntryIntoForce,
    /// `signature`: the header's `date`.
    Signature,
}

/// `+ N months`: a span of time after a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offset {
    /// The number, as written (`_` separators removed).
    pub amount: Node<String>,
    /// Years, months or days.
    pub unit: Node<DateUnit>,
}

/// A top-level declaration. The declarations with a body are boxed, so that a file's list of
/// them is a pointer each (a large file has tens of thousands).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Item {
    /// `use "PATH"`: the path as written.
    Import(Node<String>),
    /// `weapon types { … }`: attributes of weapon types.
    WeaponTypes(Vec<Attribute>),
    /// `holdings { … }`: attributes of holdings.
    HoldingAttributes(Vec<Attribute>),
    /// `package NAME …`.
    Package(Box<Package>),
    /// `reading NAME … { variant … }`.
    Reading(Box<Reading>),
    /// `category NAME … { holdings where … }`.
    Category(Box<Category>),
    /// `limit`, `ban`, `assurance` or `statement`.
    Provision(Box<Provision>),
    /// `test "TITLE" { … }`.
    Test(Box<Test>),
}

/// `name: TYPE "description"`: one attribute of the vocabulary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribute {
    /// The attribute's name.
    pub name: Name,
    /// Its type.
    pub ty: Node<AttributeType>,
    /// `(default VALUE)`: the value where a scenario does not state the attribute.
    pub default: Option<Node<DefaultValue>>,
    /// The string after the type.
    pub description: Option<Node<String>>,
}

/// The value of `(default VALUE)`, as written; its type is the attribute's, checked later.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum DefaultValue {
    /// A number, quantity, date or yes-or-no.
    Literal(Literal),
    /// A bare name: a value of an enumeration.
    Name(String),
}

/// The type of an attribute, as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum AttributeType {
    /// `boolean`.
    Boolean,
    /// `integer`.
    Integer,
    /// `date`.
    Date,
    /// A quantity measured in the given unit, e.g. `quantity in km`.
    Quantity(Name),
    /// `one of a, b, c`: the values, in order.
    Enum(Vec<Name>),
    /// A reference to a weapon type.
    Reference,
    /// A list of references to weapon types.
    List,
}

/// The `quote`s, `cite`s and `note`s of a declaration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Annotations {
    /// `quote "…"`: words of a source text, in file order.
    pub quotes: Vec<Quote>,
    /// `cite "…"`: where the words stand, when their text is not in hand (not verified).
    pub cites: Vec<Node<String>>,
    /// `note "…"`: remarks for the reader, in file order.
    pub notes: Vec<Node<String>>,
}

/// `package NAME "label" { … }`: linked issues a scenario states as agreed, open or rejected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Package {
    /// The package's name.
    pub name: Name,
    /// The string after the name.
    pub label: Option<Node<String>>,
    /// Its quotes and notes.
    pub annotations: Annotations,
}

/// `reading NAME "label" { variant … }`: an ambiguous wording and its interpretations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    /// The reading's name.
    pub name: Name,
    /// The string after the name.
    pub label: Option<Node<String>>,
    /// Its quotes and notes.
    pub annotations: Annotations,
    /// The interpretations, in file order.
    pub variants: Vec<Variant>,
}

/// `variant NAME "label" (default)`: one interpretation of a reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    /// The variant's name.
    pub name: Name,
    /// The string after the name.
    pub label: Option<Node<String>>,
    /// Where `(default)` was written, if it was.
    pub default: Option<Span>,
}

/// `category NAME "label" { holdings where … when …: holdings where … }`: a counting rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Category {
    /// The category's name.
    pub name: Name,
    /// The string after the name.
    pub label: Option<Node<String>>,
    /// Its quotes and notes.
    pub annotations: Annotations,
    /// The default definition: the condition after `holdings where`.
    pub selection: Node<Expr>,
    /// The exceptions, in file order.
    pub exceptions: Vec<Exception>,
}

/// `when CONDITION: holdings where SELECTION` — replaces the default while the condition holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exception {
    /// When the exception applies (a condition on the world).
    pub condition: Node<Expr>,
    /// The holdings it selects meanwhile.
    pub selection: Node<Expr>,
}

/// Whom a provision binds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Scope {
    /// `for each party` (also when no scope is written).
    EachParty,
    /// `for USSR`: binds one party.
    For(Name),
    /// `by USSR`: one party's own commitment.
    By(Name),
}

/// `KIND ID "label" SCOPE { … }`: a limit, ban, assurance or statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provision {
    /// `limit`, `ban`, `assurance` or `statement`.
    pub kind: Node<ProvisionKind>,
    /// The provision's id.
    pub id: Name,
    /// The string after the id.
    pub label: Option<Node<String>>,
    /// `for each party`, `for PARTY` or `by PARTY`; `None` when not written.
    pub scope: Option<Node<Scope>>,
    /// Its quotes and notes.
    pub annotations: Annotations,
    /// `when CONDITION`, each; all must hold.
    pub conditions: Vec<Node<Expr>>,
    /// `in force …`: the provision's own period.
    pub period: Option<Node<Period>>,
    /// The rule; `None` when none is written (a statement).
    pub rule: Option<Node<Rule>>,
}

/// The rule of a provision, by kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Rule {
    /// `QUANTITY at most 2400, then 2250 from 1981-01-01`
    Limit {
        /// What is measured.
        quantity: Node<Expr>,
        /// How it must compare with the bound.
        comparison: Node<Comparison>,
        /// The first bound, then each `then N from DATE`.
        bounds: Vec<Bound>,
    },
    /// `no CATEGORY`
    Ban {
        /// The category of which nothing may exist.
        category: Name,
    },
    /// `every CATEGORY has CONDITION`
    Assurance {
        /// The holdings the assurance covers.
        category: Name,
        /// What each of them must meet.
        requirement: Node<Expr>,
    },
}

/// A bound and the date from which it applies (`None`: from the start).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bound {
    /// The bound as written, `_` separators removed.
    pub value: Node<String>,
    /// A unit written after it (`2400 km`): never right, kept to say so.
    pub unit: Option<Name>,
    /// The date after `from`; `None` for the first bound.
    pub from: Option<Node<DateExpr>>,
}

/// `test "TITLE" { scenario … expect … }`: verdicts expected on a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Test {
    /// The string after `test`.
    pub title: Node<String>,
    /// `scenario "PATH"`, as written.
    pub scenario: Option<Node<String>>,
    /// `reading NAME is VARIANT`: (reading, variant), each.
    pub readings: Vec<(Name, Name)>,
    /// The `expect` lines, in file order.
    pub expectations: Vec<Expectation>,
    /// The whole test block.
    pub span: Span,
}

/// `expect PROVISION [for PARTY] VERDICT`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expectation {
    /// The provision's id.
    pub provision: Name,
    /// The party; `None`: every party the provision binds.
    pub party: Option<Name>,
    /// The verdict, as written.
    pub verdict: Node<String>,
    /// `with N` or `with N..M`: the quantity expected with the verdict.
    pub quantity: Option<Node<ExpectedQuantity>>,
}

/// The quantity after `with`, as written (`_` separators removed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpectedQuantity {
    /// The least value, or the exact one (`-100` for a negative difference).
    pub min: String,
    /// After `..`: the most, or `None` for `unknown` (no upper bound). Without `..`, the
    /// same as `min`.
    pub max: Option<String>,
}

/// `any` or `every`, before a list attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantifier {
    /// `any LIST has (…)`: some weapon type of the list.
    Any,
    /// `every LIST has (…)`: all weapon types of the list.
    Every,
}

/// An operator between two expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BinaryOp {
    /// `or`.
    Or,
    /// `and`.
    And,
    /// `=`, `<`, `at most`, ….
    Compare(Comparison),
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*` or `×`.
    Mul,
}

/// A literal as written; numbers stay text until the checker knows what they measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Literal {
    /// `2400`, `10_000` (separators removed).
    Integer(String),
    /// `1.5`.
    Decimal(String),
    /// `600 km`: the number as written and the unit.
    Quantity {
        /// The number, separators removed.
        number: String,
        /// The unit's symbol.
        unit: Name,
    },
    /// `1977-03-15`, not yet validated.
    Date(String),
    /// `yes`, `true` (true) or `no`, `false` (false).
    Boolean(bool),
    /// A string, escapes resolved.
    String(String),
}

/// An expression: a condition, a value or a quantity, as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Expr {
    /// A literal value.
    Literal(Literal),
    /// `class`, `type.range`: attributes of the holding (or the weapon type) in context.
    /// A single name may also be an enumeration value (`heavy_bomber`).
    Path(Vec<Name>),
    /// `not …`.
    Not(Box<Node<Expr>>),
    /// `left OP right`.
    Binary {
        /// The operator.
        op: Node<BinaryOp>,
        /// The left operand.
        left: Box<Node<Expr>>,
        /// The right operand.
        right: Box<Node<Expr>>,
    },
    /// `x in {a, b}`
    InSet {
        /// The value tested.
        value: Box<Node<Expr>>,
        /// The items, as written (quotes removed).
        items: Vec<Node<String>>,
    },
    /// `x in [low, high)`
    InRange {
        /// The value tested.
        value: Box<Node<Expr>>,
        /// The lower end (boxed, as are both ends, so that every expression node is not the
        /// size of two literals).
        low: Box<Node<Literal>>,
        /// `[`: the lower end is in the range.
        low_inclusive: bool,
        /// The upper end.
        high: Box<Node<Literal>>,
        /// `]`: the upper end is in the range.
        high_inclusive: bool,
    },
    /// `any armament has (…)`
    Quantified {
        /// `any` or `every`.
        quantifier: Quantifier,
        /// The list attribute.
        list: Vec<Name>,
        /// The condition on each weapon type of the list.
        body: Box<Node<Expr>>,
    },
    /// `package NAME is STATUS`.
    PackageIs {
        /// The package's name.
        package: Name,
        /// The status tested for.
        status: Node<PackageStatus>,
    },
    /// `reading NAME is VARIANT`.
    ReadingIs {
        /// The reading's name.
        reading: Name,
        /// The variant's name.
        variant: Name,
    },
    /// `in category X`
    InCategory(Name),
    /// `count of X`
    Count(Name),
    /// `sum of WEIGHT over X`
    Sum {
        /// What each holding's count is multiplied by.
        weight: Box<Node<Expr>>,
        /// The category summed over.
        category: Name,
    },
    /// The scenario's date.
    ScenarioDate,
}
