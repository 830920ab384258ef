//! Names: where each is declared and where it is used, across a set of parsed files, with
//! what a hover says about each declaration.
//!
//! Categories, packages, readings, variants, provisions and parties are known by where they
//! stand in the syntax. A name in a path is an attribute of the holdings (or, after `type.`
//! and inside `any … has (…)`, of the weapon types) when the vocabulary declares one, else an
//! enumeration value.

use std::path::PathBuf;

use lsp_types::SymbolKind;

use crate::ast::{self, Attribute, AttributeType, Expr, Item, Name, Node, Provision, Rule, Scope};
use crate::lang::{Comparison, ProvisionKind};
use crate::span::Span;

use super::workspace::Parsed;

/// What a name names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Key {
    Category(String),
    Package(String),
    Reading(String),
    /// A variant of the reading named first.
    Variant(String, String),
    Attribute(Owner, String),
    /// An enumeration value.
    Value(String),
    Provision(String),
    Party(String),
    /// A file named by `use`, `source` or `scenario`.
    File(PathBuf),
}

/// Whose attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Owner {
    WeaponTypes,
    Holdings,
}

impl Owner {
    fn words(self) -> &'static str {
        match self {
            Owner::WeaponTypes => "weapon types",
            Owner::Holdings => "holdings",
        }
    }
}

/// A name where it is written.
#[derive(Debug)]
pub(super) struct Occurrence {
    pub(super) key: Key,
    pub(super) path: PathBuf,
    pub(super) span: Span,
    /// Set where the name is declared.
    pub(super) declaration: Option<Declaration>,
}

/// What a declaration is, for outlines, hovers and completion.
#[derive(Debug)]
pub(super) struct Declaration {
    pub(super) kind: SymbolKind,
    /// A line about it: its label, or its type.
    pub(super) detail: String,
    /// Markdown: its kind, label, meaning, quotes and notes.
    pub(super) doc: String,
}

/// A `quote` string where it is written.
#[derive(Debug)]
pub(super) struct QuoteAt {
    pub(super) path: PathBuf,
    pub(super) span: Span,
    pub(super) text: String,
    /// `quote NAME "…"`: the source named.
    pub(super) source: Option<String>,
}

/// An attribute of the vocabulary, as declared.
#[derive(Debug, Clone)]
pub(super) struct AttributeInfo {
    pub(super) owner: Owner,
    pub(super) name: String,
    pub(super) ty: AttributeType,
}

/// The names of a set of files.
#[derive(Debug, Default)]
pub(super) struct Index {
    pub(super) occurrences: Vec<Occurrence>,
    pub(super) quotes: Vec<QuoteAt>,
    pub(super) attributes: Vec<AttributeInfo>,
}

impl Index {
    pub(super) fn build(files: &[Parsed]) -> Index {
        let mut index = Index::default();
        for parsed in files {
            for item in parsed.tree.iter().flat_map(|tree| &tree.items) {
                let (owner, attributes) = match item {
                    Item::WeaponTypes(attributes) => (Owner::WeaponTypes, attributes),
                    Item::HoldingAttributes(attributes) => (Owner::Holdings, attributes),
                    _ => continue,
                };
                index
                    .attributes
                    .extend(attributes.iter().map(|attribute| AttributeInfo {
                        owner,
                        name: attribute.name.node.clone(),
                        ty: attribute.ty.node.clone(),
                    }));
            }
        }
        for parsed in files {
            Walker {
                parsed,
                index: &mut index,
            }
            .file();
        }
        index
    }

    /// The name at `offset` of `path`, the innermost when several are.
    pub(super) fn at(&self, path: &std::path::Path, offset: usize) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .filter(|o| o.path == path && o.span.start <= offset && offset <= o.span.end)
            .min_by_key(|o| o.span.len())
    }

    pub(super) fn declarations<'i>(&'i self, key: &'i Key) -> impl Iterator<Item = &'i Occurrence> {
        self.occurrences
            .iter()
            .filter(move |o| o.declaration.is_some() && o.key == *key)
    }

    /// Whether the vocabulary declares `name` as an attribute of `owner`.
    pub(super) fn attribute(&self, owner: Owner, name: &str) -> Option<&AttributeInfo> {
        self.attributes
            .iter()
            .find(|a| a.owner == owner && a.name == name)
    }

    /// Whether `name` is a value of some enumeration.
    fn is_value(&self, name: &str) -> bool {
        self.attributes.iter().any(|a| match &a.ty {
            AttributeType::Enum(values) => values.iter().any(|v| v.node == name),
            _ => false,
        })
    }
}

/// What the names in an expression speak of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// A holding (a category's selection, an assurance's requirement).
    Holding,
    /// A weapon type (inside `any armament has (…)`).
    WeaponType,
}

struct Walker<'a> {
    parsed: &'a Parsed,
    index: &'a mut Index,
}

impl Walker<'_> {
    fn file(&mut self) {
        let Some(tree) = &self.parsed.tree else {
            return;
        };
        if let Some(header) = &tree.header {
            for party in &header.parties {
                let doc = format!("**party** `{}` of {}", party.node, header.title.node);
                self.declare(
                    Key::Party(party.node.clone()),
                    party.span,
                    SymbolKind::CONSTANT,
                    String::new(),
                    doc,
                );
            }
            for source in &header.sources {
                self.file_reference(&source.path);
            }
        }
        for item in &tree.items {
            self.item(item);
        }
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Import(path) => self.file_reference(path),
            Item::WeaponTypes(attributes) => self.attributes(Owner::WeaponTypes, attributes),
            Item::HoldingAttributes(attributes) => self.attributes(Owner::Holdings, attributes),
            Item::Package(package) => {
                let mut doc = heading("package", &package.name, package.label.as_ref());
                doc.push_str("\n\nA scenario states it as `agreed`, `open` or `rejected`.");
                annotations(&mut doc, &package.annotations);
                self.quotes(&package.annotations);
                let detail = label_text(package.label.as_ref());
                self.declare(
                    Key::Package(package.name.node.clone()),
                    package.name.span,
                    SymbolKind::PACKAGE,
                    detail,
                    doc,
                );
            }
            Item::Reading(reading) => self.reading(reading),
            Item::Category(category) => self.category(category),
            Item::Provision(provision) => self.provision(provision),
            Item::Test(test) => {
                if let Some(scenario) = &test.scenario {
                    self.file_reference(scenario);
                }
                for (reading, variant) in &test.readings {
                    self.reference(Key::Reading(reading.node.clone()), reading.span);
                    let key = Key::Variant(reading.node.clone(), variant.node.clone());
                    self.reference(key, variant.span);
                }
                for expectation in &test.expectations {
                    let provision = &expectation.provision;
                    self.reference(Key::Provision(provision.node.clone()), provision.span);
                    if let Some(party) = &expectation.party {
                        self.reference(Key::Party(party.node.clone()), party.span);
                    }
                }
            }
        }
    }

    fn attributes(&mut self, owner: Owner, attributes: &[Attribute]) {
        for attribute in attributes {
            let name = &attribute.name.node;
            let ty = type_words(&attribute.ty.node);
            let mut doc = format!("**attribute** of {} `{name}`: {ty}", owner.words());
            if let Some(description) = &attribute.description {
                doc.push_str(&format!("\n\n{}", description.node));
            }
            let key = Key::Attribute(owner, name.clone());
            self.declare(key, attribute.name.span, SymbolKind::FIELD, ty.clone(), doc);
            if let AttributeType::Enum(values) = &attribute.ty.node {
                for value in values {
                    let doc = format!(
                        "**value** `{}` of the {} attribute `{name}`: {ty}",
                        value.node,
                        owner.words()
                    );
                    let detail = format!("{name}: {ty}");
                    let key = Key::Value(value.node.clone());
                    self.declare(key, value.span, SymbolKind::ENUM_MEMBER, detail, doc);
                }
            }
        }
    }

    fn reading(&mut self, reading: &ast::Reading) {
        let name = &reading.name.node;
        let mut doc = heading("reading", &reading.name, reading.label.as_ref());
        doc.push_str("\n\nVariants:");
        for variant in &reading.variants {
            doc.push_str(&format!("\n- `{}`", variant.name.node));
            if let Some(label) = &variant.label {
                doc.push_str(&format!(" — {}", label.node));
            }
            if variant.default.is_some() {
                doc.push_str(" (default)");
            }
        }
        annotations(&mut doc, &reading.annotations);
        self.quotes(&reading.annotations);
        let detail = label_text(reading.label.as_ref());
        self.declare(
            Key::Reading(name.clone()),
            reading.name.span,
            SymbolKind::ENUM,
            detail,
            doc,
        );
        for variant in &reading.variants {
            let mut doc = format!("**variant** `{}` of reading `{name}`", variant.name.node);
            if variant.default.is_some() {
                doc.push_str(" (the default)");
            }
            if let Some(label) = &variant.label {
                doc.push_str(&format!("\n\n{}", label.node));
            }
            let key = Key::Variant(name.clone(), variant.name.node.clone());
            let detail = label_text(variant.label.as_ref());
            self.declare(key, variant.name.span, SymbolKind::ENUM_MEMBER, detail, doc);
        }
    }

    fn category(&mut self, category: &ast::Category) {
        let mut doc = heading("category", &category.name, category.label.as_ref());
        doc.push_str(&format!(
            "\n\n```treaty\nholdings where {}",
            self.written(category.selection.span)
        ));
        for exception in &category.exceptions {
            doc.push_str(&format!(
                "\nwhen {}:\n    holdings where {}",
                self.written(exception.condition.span),
                self.written(exception.selection.span)
            ));
        }
        doc.push_str("\n```");
        annotations(&mut doc, &category.annotations);
        self.quotes(&category.annotations);
        let detail = label_text(category.label.as_ref());
        let key = Key::Category(category.name.node.clone());
        self.declare(key, category.name.span, SymbolKind::CLASS, detail, doc);
        self.expr(&category.selection, Context::Holding);
        for exception in &category.exceptions {
            self.expr(&exception.condition, Context::Holding);
            self.expr(&exception.selection, Context::Holding);
        }
    }

    fn provision(&mut self, provision: &Provision) {
        let kind = provision.kind.node;
        let mut doc = heading(kind.as_str(), &provision.id, provision.label.as_ref());
        doc.push_str(&format!("\n\n{}", self.rule_in_words(provision)));
        if !provision.conditions.is_empty() {
            let conditions: Vec<String> = provision
                .conditions
                .iter()
                .map(|c| format!("`{}`", self.written(c.span)))
                .collect();
            doc.push_str(&format!(
                "\n\nApplies only when {}.",
                conditions.join(" and ")
            ));
        }
        if let Some(period) = &provision.period {
            doc.push_str(&format!(
                "\n\nIn force {}.",
                self.written(period.span).trim_start_matches("in force ")
            ));
        }
        annotations(&mut doc, &provision.annotations);
        self.quotes(&provision.annotations);
        let detail = label_text(provision.label.as_ref());
        let key = Key::Provision(provision.id.node.clone());
        self.declare(key, provision.id.span, SymbolKind::FUNCTION, detail, doc);
        if let Some(scope) = &provision.scope {
            if let Scope::For(party) | Scope::By(party) = &scope.node {
                self.reference(Key::Party(party.node.clone()), party.span);
            }
        }
        for condition in &provision.conditions {
            self.expr(condition, Context::Holding);
        }
        match provision.rule.as_ref().map(|r| &r.node) {
            Some(Rule::Limit { quantity, .. }) => self.expr(quantity, Context::Holding),
            Some(Rule::Ban { category }) => {
                self.reference(Key::Category(category.node.clone()), category.span);
            }
            Some(Rule::Assurance {
                category,
                requirement,
            }) => {
                self.reference(Key::Category(category.node.clone()), category.span);
                self.expr(requirement, Context::Holding);
            }
            None => {}
        }
    }

    /// What a provision requires, in words.
    fn rule_in_words(&self, provision: &Provision) -> String {
        let scope = match provision.scope.as_ref().map(|s| &s.node) {
            None | Some(Scope::EachParty) => "For each party".to_string(),
            Some(Scope::For(party)) => format!("For {}", party.node),
            Some(Scope::By(party)) => format!("By {}", party.node),
        };
        let rule = match provision.rule.as_ref().map(|r| &r.node) {
            Some(Rule::Limit {
                quantity,
                comparison,
                bounds,
            }) => {
                let words = comparison_words(comparison.node);
                let mut text = format!("`{}` must be", self.written(quantity.span));
                for (index, bound) in bounds.iter().enumerate() {
                    if index > 0 {
                        text.push_str(", then");
                    }
                    text.push_str(&format!(" {words} {}", bound.value.node));
                    if let Some(from) = &bound.from {
                        text.push_str(&format!(" from {}", self.written(from.span)));
                    }
                }
                text
            }
            Some(Rule::Ban { category }) => format!(
                "nothing may be counted in category `{}`: any holding in it breaks the ban",
                category.node
            ),
            Some(Rule::Assurance {
                category,
                requirement,
            }) => format!(
                "every holding in category `{}` must have `{}`",
                category.node,
                self.written(requirement.span)
            ),
            None if provision.kind.node == ProvisionKind::Statement => {
                return "A statement: reported, never evaluated.".to_string();
            }
            None => "no rule is written".to_string(),
        };
        format!("{scope}: {rule}.")
    }

    fn expr(&mut self, expr: &Node<Expr>, context: Context) {
        match &expr.node {
            Expr::Literal(_) | Expr::ScenarioDate => {}
            Expr::Path(names) => self.path(names, context),
            Expr::Not(operand) => self.expr(operand, context),
            Expr::Binary { left, right, .. } => {
                self.expr(left, context);
                self.expr(right, context);
            }
            Expr::InSet { value, items } => {
                self.expr(value, context);
                for item in items {
                    if !item.node.is_empty() && self.index.is_value(&item.node) {
                        self.reference(Key::Value(item.node.clone()), item.span);
                    }
                }
            }
            Expr::InRange { value, .. } => self.expr(value, context),
            Expr::Quantified { list, body, .. } => {
                self.path(list, context);
                self.expr(body, Context::WeaponType);
            }
            Expr::PackageIs { package, .. } => {
                self.reference(Key::Package(package.node.clone()), package.span);
            }
            Expr::ReadingIs { reading, variant } => {
                self.reference(Key::Reading(reading.node.clone()), reading.span);
                let key = Key::Variant(reading.node.clone(), variant.node.clone());
                self.reference(key, variant.span);
            }
            Expr::InCategory(category) | Expr::Count(category) => {
                self.reference(Key::Category(category.node.clone()), category.span);
            }
            Expr::Sum { weight, category } => {
                self.expr(weight, context);
                self.reference(Key::Category(category.node.clone()), category.span);
            }
        }
    }

    /// `class`, `type.range`, `heavy_bomber`: attributes along the path, or a value.
    fn path(&mut self, names: &[Name], context: Context) {
        let mut owner = match context {
            Context::Holding => Owner::Holdings,
            Context::WeaponType => Owner::WeaponTypes,
        };
        for (index, name) in names.iter().enumerate() {
            let key = if self.index.attribute(owner, &name.node).is_some() {
                Key::Attribute(owner, name.node.clone())
            } else if index == 0
                && self
                    .index
                    .attribute(Owner::WeaponTypes, &name.node)
                    .is_some()
            {
                Key::Attribute(Owner::WeaponTypes, name.node.clone())
            } else if names.len() == 1 && self.index.is_value(&name.node) {
                Key::Value(name.node.clone())
            } else {
                owner = Owner::WeaponTypes;
                continue;
            };
            self.reference(key, name.span);
            // After the first name, a path goes through a weapon type reference.
            owner = Owner::WeaponTypes;
        }
    }

    fn quotes(&mut self, annotations: &ast::Annotations) {
        for quote in &annotations.quotes {
            self.index.quotes.push(QuoteAt {
                path: self.parsed.path.clone(),
                span: quote.text.span,
                text: quote.text.node.clone(),
                source: quote.source.as_ref().map(|n| n.node.clone()),
            });
        }
    }

    fn file_reference(&mut self, path: &Node<String>) {
        if let Some(resolved) = self.parsed.resolve(&path.node) {
            self.reference(Key::File(resolved), path.span);
        }
    }

    fn declare(&mut self, key: Key, span: Span, kind: SymbolKind, detail: String, doc: String) {
        self.index.occurrences.push(Occurrence {
            key,
            path: self.parsed.path.clone(),
            span,
            declaration: Some(Declaration { kind, detail, doc }),
        });
    }

    fn reference(&mut self, key: Key, span: Span) {
        self.index.occurrences.push(Occurrence {
            key,
            path: self.parsed.path.clone(),
            span,
            declaration: None,
        });
    }

    /// The text at `span`, its whitespace folded.
    fn written(&self, span: Span) -> String {
        self.parsed
            .file
            .slice(span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `**kind** `name` — label`.
fn heading(kind: &str, name: &Name, label: Option<&Node<String>>) -> String {
    match label {
        Some(label) => format!("**{kind}** `{}` — {}", name.node, label.node),
        None => format!("**{kind}** `{}`", name.node),
    }
}

fn label_text(label: Option<&Node<String>>) -> String {
    label.map(|l| l.node.clone()).unwrap_or_default()
}

/// The quotes as block quotes, then the cites and the notes.
fn annotations(doc: &mut String, annotations: &ast::Annotations) {
    for quote in &annotations.quotes {
        doc.push_str(&format!("\n\n> {}", quote.text.node.replace('\n', " ")));
    }
    for cite in &annotations.cites {
        doc.push_str(&format!("\n\n*Cited:* {}", cite.node));
    }
    for note in &annotations.notes {
        doc.push_str(&format!("\n\n*Note:* {}", note.node));
    }
}

/// An attribute type as written.
pub(super) fn type_words(ty: &AttributeType) -> String {
    match ty {
        AttributeType::Boolean => "boolean".to_string(),
        AttributeType::Integer => "integer".to_string(),
        AttributeType::Date => "date".to_string(),
        AttributeType::Quantity(unit) => format!("quantity in {}", unit.node),
        AttributeType::Enum(values) => {
            let values: Vec<&str> = values.iter().map(|v| v.node.as_str()).collect();
            format!("one of {}", values.join(", "))
        }
        AttributeType::Reference => "weapon type".to_string(),
        AttributeType::List => "list of weapon types".to_string(),
    }
}

fn comparison_words(comparison: Comparison) -> &'static str {
    match comparison {
        Comparison::AtMost => "at most",
        Comparison::AtLeast => "at least",
        Comparison::Less => "less than",
        Comparison::Greater => "more than",
        Comparison::Equal => "exactly",
        Comparison::NotEqual => "other than",
    }
}
