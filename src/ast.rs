//! The syntax tree of a rule file, as written: names are not yet resolved, types not checked.
//!
//! Every node carries the byte span it came from. Equality ignores spans, so two trees that
//! say the same thing compare equal wherever they were written.

use serde::Serialize;

use crate::lang::{Comparison, DocumentKind, PackageStatus, ProvisionKind};
use crate::span::Span;

/// A value with the place in the rule file it was written.
#[derive(Debug, Clone, Serialize)]
pub struct Node<T> {
    pub node: T,
    #[serde(skip)]
    pub span: Span,
}

impl<T> Node<T> {
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

pub type Name = Node<String>;

/// One rule file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct File {
    pub header: Option<Header>,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    pub kind: Node<DocumentKind>,
    pub title: Node<String>,
    pub date: Option<Node<String>>,
    pub parties: Vec<Name>,
    pub source: Option<Node<String>>,
    pub period: Option<Node<Period>>,
    pub notes: Vec<Node<String>>,
}

/// When something is in force; both ends inclusive, either may be open.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub from: Option<Node<String>>,
    pub until: Option<Node<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Item {
    Import(Node<String>),
    WeaponTypes(Vec<Attribute>),
    HoldingAttributes(Vec<Attribute>),
    Package(Package),
    Reading(Reading),
    Category(Category),
    Provision(Provision),
    Test(Test),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribute {
    pub name: Name,
    pub ty: Node<AttributeType>,
    pub description: Option<Node<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum AttributeType {
    Boolean,
    Integer,
    Date,
    /// A quantity measured in the given unit, e.g. `quantity in km`.
    Quantity(Name),
    Enum(Vec<Name>),
    /// A reference to a weapon type.
    Reference,
    /// A list of references to weapon types.
    List,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Annotations {
    pub quotes: Vec<Node<String>>,
    pub notes: Vec<Node<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Package {
    pub name: Name,
    pub label: Option<Node<String>>,
    pub annotations: Annotations,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    pub name: Name,
    pub label: Option<Node<String>>,
    pub annotations: Annotations,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub name: Name,
    pub label: Option<Node<String>>,
    /// Where `(default)` was written, if it was.
    pub default: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Category {
    pub name: Name,
    pub label: Option<Node<String>>,
    pub annotations: Annotations,
    pub selection: Node<Expr>,
    pub exceptions: Vec<Exception>,
}

/// `when CONDITION: holdings where SELECTION` — replaces the default while the condition holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exception {
    pub condition: Node<Expr>,
    pub selection: Node<Expr>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Scope {
    EachParty,
    /// `for USSR`: binds one party.
    For(Name),
    /// `by USSR`: one party's own commitment.
    By(Name),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provision {
    pub kind: Node<ProvisionKind>,
    pub id: Name,
    pub label: Option<Node<String>>,
    pub scope: Option<Node<Scope>>,
    pub annotations: Annotations,
    pub conditions: Vec<Node<Expr>>,
    pub period: Option<Node<Period>>,
    pub rule: Option<Node<Rule>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Rule {
    /// `QUANTITY at most 2400, then 2250 from 1981-01-01`
    Limit {
        quantity: Node<Expr>,
        comparison: Node<Comparison>,
        bounds: Vec<Bound>,
    },
    /// `no CATEGORY`
    Ban { category: Name },
    /// `every CATEGORY has CONDITION`
    Assurance {
        category: Name,
        requirement: Node<Expr>,
    },
}

/// A bound and the date from which it applies (`None`: from the start).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bound {
    pub value: Node<String>,
    pub from: Option<Node<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Test {
    pub title: Node<String>,
    pub scenario: Option<Node<String>>,
    pub readings: Vec<(Name, Name)>,
    pub expectations: Vec<Expectation>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expectation {
    pub provision: Name,
    pub party: Option<Name>,
    pub verdict: Node<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantifier {
    Any,
    Every,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BinaryOp {
    Or,
    And,
    Compare(Comparison),
    Add,
    Sub,
    Mul,
}

/// A literal as written; numbers stay text until the checker knows what they measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Literal {
    Integer(String),
    Decimal(String),
    Quantity { number: String, unit: Name },
    Date(String),
    Boolean(bool),
    String(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Expr {
    Literal(Literal),
    /// `class`, `type.range`: attributes of the holding (or the weapon type) in context.
    /// A single name may also be an enumeration value (`heavy_bomber`).
    Path(Vec<Name>),
    Not(Box<Node<Expr>>),
    Binary {
        op: Node<BinaryOp>,
        left: Box<Node<Expr>>,
        right: Box<Node<Expr>>,
    },
    /// `x in {a, b}`
    InSet {
        value: Box<Node<Expr>>,
        items: Vec<Node<String>>,
    },
    /// `x in [low, high)`
    InRange {
        value: Box<Node<Expr>>,
        low: Node<Literal>,
        low_inclusive: bool,
        high: Node<Literal>,
        high_inclusive: bool,
    },
    /// `any armament has (…)`
    Quantified {
        quantifier: Quantifier,
        list: Vec<Name>,
        body: Box<Node<Expr>>,
    },
    PackageIs {
        package: Name,
        status: Node<PackageStatus>,
    },
    ReadingIs {
        reading: Name,
        variant: Name,
    },
    /// `in category X`
    InCategory(Name),
    /// `count of X`
    Count(Name),
    /// `sum of WEIGHT over X`
    Sum {
        weight: Box<Node<Expr>>,
        category: Name,
    },
    /// The scenario's date.
    ScenarioDate,
}
