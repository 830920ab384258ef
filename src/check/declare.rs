//! Collecting the declarations of every file: each name is declared once (a duplicate is
//! reported with both places), attributes get their types, readings their default, and
//! imported files may not hold provisions or tests.

use std::collections::HashMap;

use crate::ast::{self, Item, Node};
use crate::diagnostics::{did_you_mean, the_names};
use crate::model::{self, AttributeDef, AttributeType, Reading, Variant, Vocabulary};
use crate::span::{SourceFile, Span};

use super::expr::{self, Typer};
use super::{Checker, Code, Origin, cites_of, notes_of};

/// Every declaration of the files, in the order checked: imports first, the checked file
/// last.
#[derive(Default)]
pub(super) struct Declarations<'f> {
    pub(super) vocabulary: Vocabulary,
    pub(super) packages: Vec<model::Package>,
    pub(super) readings: Vec<Reading>,
    /// Categories, provisions and tests with the file they are in, compiled later.
    pub(super) categories: Vec<(usize, &'f ast::Category)>,
    pub(super) provisions: Vec<(usize, &'f ast::Provision)>,
    pub(super) tests: Vec<(usize, &'f ast::Test)>,
    /// Every quote, with the file it is in.
    pub(super) quoted: Vec<(usize, ast::Quote)>,
    /// How many `cite`s the checked file (not its imports) gives.
    pub(super) cited: usize,
}

/// Where each name was first declared, one map a kind of declaration.
#[derive(Default)]
struct Seen {
    type_attributes: HashMap<String, Origin>,
    holding_attributes: HashMap<String, Origin>,
    packages: HashMap<String, Origin>,
    readings: HashMap<String, Origin>,
    categories: HashMap<String, Origin>,
    provisions: HashMap<String, Origin>,
}

/// The names expressions may refer to, once every file is read.
pub(super) struct Names {
    categories: Vec<String>,
    packages: Vec<String>,
    /// Reading names with their variant names.
    readings: Vec<(String, Vec<String>)>,
    /// Each name's index in the lists above, so that a look-up is not a scan of them all
    /// (a large file refers to thousands of categories).
    index: expr::NameIndex,
}

impl Names {
    /// The names `declared` declares.
    pub(super) fn of(declared: &Declarations<'_>) -> Names {
        let mut names = Names {
            index: expr::NameIndex::default(),
            categories: declared
                .categories
                .iter()
                .map(|(_, c)| c.name.node.clone())
                .collect(),
            packages: declared.packages.iter().map(|p| p.name.clone()).collect(),
            readings: declared
                .readings
                .iter()
                .map(|r| {
                    (
                        r.name.clone(),
                        r.variants.iter().map(|v| v.name.clone()).collect(),
                    )
                })
                .collect(),
        };
        names.index = expr::NameIndex::of(&names.categories, &names.packages, &names.readings);
        names
    }

    /// A typer for expressions written in `file`.
    pub(super) fn typer<'a>(
        &'a self,
        file: &'a SourceFile,
        vocabulary: &'a Vocabulary,
    ) -> Typer<'a> {
        Typer::new(expr::Scope {
            file,
            vocabulary,
            categories: &self.categories,
            packages: &self.packages,
            readings: &self.readings,
            index: &self.index,
        })
    }
}

impl<'f> Checker<'f> {
    /// Collect the declarations of every file, imports first.
    pub(super) fn declarations(&mut self) -> Declarations<'f> {
        let mut declared = Declarations::default();
        let mut seen = Seen::default();
        let order = (1..self.files.len()).chain(std::iter::once(0));
        for (index, loaded) in order.filter_map(|i| self.files.get(i).map(|l| (i, l))) {
            for item in &loaded.tree.items {
                match item {
                    Item::Import(_) => {}
                    Item::WeaponTypes(attributes) => {
                        self.weapon_types(index, attributes, &mut seen, &mut declared);
                    }
                    Item::HoldingAttributes(attributes) => {
                        self.holding_attributes(index, attributes, &mut seen, &mut declared);
                    }
                    Item::Package(package) => {
                        if self.declare(&mut seen.packages, "package", index, &package.name) {
                            declared.quote(index, &package.annotations);
                            declared.packages.push(model::Package {
                                name: package.name.node.clone(),
                                label: package.label.as_ref().map(|l| l.node.clone()),
                                quotes: self.quotes_of(index, &package.annotations),
                                cites: cites_of(&package.annotations),
                                notes: notes_of(&package.annotations),
                            });
                        }
                    }
                    Item::Reading(reading) => {
                        if self.declare(&mut seen.readings, "reading", index, &reading.name) {
                            declared.quote(index, &reading.annotations);
                            declared.readings.push(self.reading(index, reading));
                        }
                    }
                    Item::Category(category) => {
                        if self.declare(&mut seen.categories, "category", index, &category.name) {
                            declared.quote(index, &category.annotations);
                            declared.categories.push((index, category));
                        }
                    }
                    Item::Provision(provision) => {
                        if loaded.is_import {
                            self.misplaced(index, provision.id.span, "provisions");
                        } else if self.declare(
                            &mut seen.provisions,
                            "provision",
                            index,
                            &provision.id,
                        ) {
                            declared.quote(index, &provision.annotations);
                            declared.provisions.push((index, provision));
                        }
                    }
                    Item::Test(test) => {
                        if loaded.is_import {
                            self.misplaced(index, test.title.span, "tests");
                        } else {
                            declared.tests.push((index, test));
                        }
                    }
                }
            }
        }
        declared
    }

    /// The attributes of weapon types (`name` is built in).
    fn weapon_types(
        &mut self,
        index: usize,
        attributes: &[ast::Attribute],
        seen: &mut Seen,
        declared: &mut Declarations<'f>,
    ) {
        for attribute in attributes {
            if self.declare(
                &mut seen.type_attributes,
                "weapon type attribute",
                index,
                &attribute.name,
            ) {
                if attribute.name.node == "name" {
                    self.reserved(index, &attribute.name, "weapon type");
                    continue;
                }
                if let Some(def) = self.attribute(index, attribute) {
                    declared.vocabulary.type_attributes.push(def);
                }
            }
        }
    }

    /// The attributes of holdings (`party`, `name`, `count`, `source` and `estimated` are
    /// built in).
    fn holding_attributes(
        &mut self,
        index: usize,
        attributes: &[ast::Attribute],
        seen: &mut Seen,
        declared: &mut Declarations<'f>,
    ) {
        for attribute in attributes {
            if self.declare(
                &mut seen.holding_attributes,
                "holding attribute",
                index,
                &attribute.name,
            ) {
                if matches!(
                    attribute.name.node.as_str(),
                    "party" | "name" | "count" | "source" | "estimated"
                ) {
                    self.reserved(index, &attribute.name, "holding");
                    continue;
                }
                if let Some(def) = self.attribute(index, attribute) {
                    declared.vocabulary.holding_attributes.push(def);
                }
            }
        }
    }

    fn reserved(&mut self, file: usize, name: &Node<String>, of: &str) {
        self.problem(
            file,
            Code::ReservedName,
            format!(
                "`{}` is built into every {of} and cannot be declared",
                name.node
            ),
            name.span,
            "built in",
        )
        .help = Some("choose another name for this attribute".to_string());
    }

    fn misplaced(&mut self, file: usize, span: Span, what: &str) {
        self.problem(
            file,
            Code::MisplacedDeclaration,
            format!("an imported file may not contain {what}"),
            span,
            "in an imported file",
        )
        .help = Some("imported files share vocabulary, packages, readings and categories; keep provisions and tests in the position".to_string());
    }

    fn attribute(&mut self, file: usize, attribute: &ast::Attribute) -> Option<AttributeDef> {
        let ty = match &attribute.ty.node {
            ast::AttributeType::Boolean => AttributeType::Boolean,
            ast::AttributeType::Integer => AttributeType::Integer,
            ast::AttributeType::Date => AttributeType::Date,
            ast::AttributeType::Quantity(unit_name) => match model::unit(&unit_name.node) {
                Some(unit) => AttributeType::Quantity { unit },
                None => {
                    let units: Vec<&str> = model::UNITS.iter().map(|u| u.symbol).collect();
                    let help = did_you_mean(&unit_name.node, units.iter().copied())
                        .unwrap_or_else(|| the_names("units", units.iter().copied()));
                    self.problem(
                        file,
                        Code::UnknownName,
                        format!("unknown unit `{}`", unit_name.node),
                        unit_name.span,
                        "no unit of this name",
                    )
                    .help = Some(help);
                    return None;
                }
            },
            ast::AttributeType::Enum(values) => {
                let mut seen = HashMap::new();
                let mut names = Vec::new();
                for value in values {
                    if value.node == "unknown" {
                        // Scenarios write `"unknown"` for a value not known.
                        self.problem(
                            file,
                            Code::ReservedName,
                            "`unknown` cannot be a value of an enumeration".to_string(),
                            value.span,
                            "reserved",
                        )
                        .help = Some("a scenario writing `\"unknown\"` means the value is not known, so this value could never be stated; rename it".to_string());
                        continue;
                    }
                    if self.declare(&mut seen, "value", file, value) {
                        names.push(value.node.clone());
                    }
                }
                AttributeType::Enum { values: names }
            }
            ast::AttributeType::Reference => AttributeType::Reference,
            ast::AttributeType::List => AttributeType::List,
        };
        let default = self.attribute_default(file, attribute, &ty);
        Some(AttributeDef {
            name: attribute.name.node.clone(),
            ty,
            description: attribute.description.as_ref().map(|d| d.node.clone()),
            default,
        })
    }

    fn reading(&mut self, file: usize, reading: &ast::Reading) -> Reading {
        let mut seen = HashMap::new();
        let mut variants = Vec::new();
        let mut defaults = Vec::new();
        for variant in &reading.variants {
            if self.declare(&mut seen, "variant", file, &variant.name) {
                if let Some(span) = variant.default {
                    defaults.push((variants.len(), span));
                }
                variants.push(Variant {
                    name: variant.name.node.clone(),
                    label: variant.label.as_ref().map(|l| l.node.clone()),
                });
            }
        }
        let default = match defaults.as_slice() {
            [(index, _)] => *index,
            [] => {
                let message = format!("reading `{}` has no default variant", reading.name.node);
                let help = if variants.len() < 2 {
                    "a reading needs at least two variants, one marked `(default)`"
                } else {
                    "mark the variant evaluation uses unless told otherwise with `(default)`"
                };
                self.problem(
                    file,
                    Code::ReadingDefault,
                    message,
                    reading.name.span,
                    "which variant applies by default?",
                )
                .help = Some(help.to_string());
                0
            }
            [(first, first_span), rest @ ..] => {
                let message = format!(
                    "reading `{}` has {} default variants",
                    reading.name.node,
                    rest.len().saturating_add(1)
                );
                let problem = self.problem(
                    file,
                    Code::ReadingDefault,
                    message,
                    *first_span,
                    "first default",
                );
                for (_, span) in rest {
                    problem
                        .secondary
                        .push((*span, "another default".to_string()));
                }
                problem.help = Some("keep `(default)` on one variant only".to_string());
                *first
            }
        };
        Reading {
            name: reading.name.node.clone(),
            label: reading.label.as_ref().map(|l| l.node.clone()),
            quotes: self.quotes_of(file, &reading.annotations),
            cites: cites_of(&reading.annotations),
            notes: notes_of(&reading.annotations),
            variants,
            default,
        }
    }
}

impl Declarations<'_> {
    /// Remember the quotes of a declaration in file `index`, to verify them against the source.
    fn quote(&mut self, index: usize, annotations: &ast::Annotations) {
        self.quoted
            .extend(annotations.quotes.iter().map(|q| (index, q.clone())));
        if index == 0 {
            self.cited = self.cited.saturating_add(annotations.cites.len());
        }
    }
}
