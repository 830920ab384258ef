//! Scenarios: the forces of each party at a date, read from TOML or JSON and validated
//! against a position's vocabulary.

pub mod raw;

use serde::Serialize;

use crate::interval::Interval;
use crate::model::{Date, PackageState};
use crate::span::{SourceFile, Span};

/// A validated scenario: every name resolved against the model it was loaded for.
#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    pub title: String,
    pub date: Date,
    pub source: Option<String>,
    /// Indices into `Model::parties`, in the order the scenario lists them.
    pub parties: Vec<usize>,
    /// By package index of the model.
    pub packages: Vec<PackageState>,
    pub types: Vec<WeaponType>,
    pub holdings: Vec<Holding>,
    #[serde(skip)]
    pub file: SourceFile,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeaponType {
    pub name: String,
    /// By type attribute slot of the vocabulary.
    pub attributes: Vec<Fact>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Holding {
    /// Index into `Model::parties`.
    pub party: usize,
    pub name: String,
    pub count: Interval,
    /// By holding attribute slot of the vocabulary.
    pub attributes: Vec<Fact>,
    #[serde(skip)]
    pub span: Span,
}

/// What a scenario says of one attribute.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// The scenario does not mention it: as unknown as `"unknown"`, but reported differently.
    NotStated,
    /// Written as `"unknown"`.
    Unknown,
    Bool(bool),
    /// Integers and quantities (in the base unit of the dimension); `min == max` when exact.
    Number { min: f64, max: f64 },
    Date(Date),
    /// Index into the enumeration's values.
    Enum(usize),
    /// Index into `Facts::types`.
    Reference(usize),
    /// Indices into `Facts::types`.
    List(Vec<usize>),
}
