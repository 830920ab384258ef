//! The header and the declarations: one field a line, in the order written, four spaces in
//! per block, a blank line between declarations (consecutive `use` lines stay together), and
//! the blank lines written inside blocks kept (at most one).
//!
//! Every node is taken apart field by field, without `..`, so that a construct added to the
//! syntax tree is a compile error here until the formatter writes it.

use crate::ast::{
    Annotations, Attribute, AttributeType, Bound, Category, DateBase, DateExpr, DefaultValue,
    Exception, Expectation, Expr, File, Header, Item, Literal, Name, Node, Offset, Package, Period,
    Provision, Quote, Reading, Rule, Scope, Source, Test, Variant,
};
use crate::span::Span;

use super::printer::{INDENT, Printer, WIDTH};

/// One line of a block (or the first line of a field that runs over several).
enum Field<'a> {
    Date(&'a Node<String>),
    EntryIntoForce(&'a Node<String>),
    Parties(&'a [Name]),
    Source(&'a Source),
    Period(&'a Node<Period>),
    Quote(&'a Quote),
    Cite(&'a Node<String>),
    Note(&'a Node<String>),
    /// An attribute, and whether descriptions go on a line of their own in its block.
    Attribute(&'a Attribute, bool),
    Variant(&'a Variant),
    Selection(&'a Node<Expr>),
    Exception(&'a Exception),
    Condition(&'a Node<Expr>),
    Rule(&'a Node<Rule>),
    Scenario(&'a Node<String>),
    Reading(&'a Name, &'a Name),
    Expect(&'a Expectation),
}

impl Field<'_> {
    /// Where the field's first node starts: the order it was written in.
    fn start(&self) -> usize {
        match self {
            Field::Date(node)
            | Field::EntryIntoForce(node)
            | Field::Cite(node)
            | Field::Note(node)
            | Field::Scenario(node) => node.span.start,
            Field::Source(source) => source
                .name
                .as_ref()
                .map_or(source.path.span.start, |n| n.span.start),
            Field::Quote(quote) => quote
                .source
                .as_ref()
                .map_or(quote.text.span.start, |n| n.span.start),
            Field::Parties(names) => names.first().map_or(0, |n| n.span.start),
            Field::Period(period) => period.span.start,
            Field::Attribute(attribute, _) => attribute.name.span.start,
            Field::Variant(variant) => variant.name.span.start,
            Field::Selection(expr) | Field::Condition(expr) => expr.span.start,
            Field::Exception(exception) => exception.condition.span.start,
            Field::Rule(rule) => rule.span.start,
            Field::Reading(reading, _) => reading.span.start,
            Field::Expect(expectation) => expectation.provision.span.start,
        }
    }
}

/// What kind of declaration came last, for the blank line before the next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Nothing,
    Import,
    Other,
}

impl Printer<'_> {
    /// The whole file.
    pub(super) fn file(&mut self, file: &File) {
        let File { header, items } = file;
        let mut end = 0;
        let mut last = Last::Nothing;
        if let Some(header) = header {
            end = self.header(header, self.next_token(0));
            last = Last::Other;
        }
        for item in items {
            let start = self.next_token(end);
            let import = matches!(item, Item::Import(_));
            if last == Last::Other || (last == Last::Import && !import) {
                self.blank_line();
            }
            self.statement(start, 0);
            end = self.item(item, start);
            last = if import { Last::Import } else { Last::Other };
        }
    }

    /// Begin a line of a block at `start` in the original, after the comments before it.
    fn statement(&mut self, start: usize, indent: usize) {
        self.line(indent);
        self.hang = indent.saturating_add(INDENT);
        self.flush(start);
        self.blank_line_if_written(start);
        self.line(indent);
    }

    fn header(&mut self, header: &Header, start: usize) -> usize {
        let Header {
            kind,
            title,
            date,
            entry_into_force,
            parties,
            sources,
            period,
            notes,
        } = header;
        self.statement(start, 0);
        self.word_at(kind.span.start, kind.node.as_str());
        self.space();
        self.string(title);
        let mut fields: Vec<Field<'_>> = Vec::new();
        fields.extend(date.as_ref().map(Field::Date));
        fields.extend(entry_into_force.as_ref().map(Field::EntryIntoForce));
        if !parties.is_empty() {
            fields.push(Field::Parties(parties));
        }
        fields.extend(sources.iter().map(Field::Source));
        fields.extend(period.as_ref().map(Field::Period));
        fields.extend(notes.iter().map(Field::Note));
        self.block(title.span.end, fields, 0)
    }

    /// One declaration starting at `start`; returns where it ends in the original.
    fn item(&mut self, item: &Item, start: usize) -> usize {
        match item {
            Item::Import(path) => {
                self.word("use");
                self.space();
                self.string(path);
                path.span.end
            }
            Item::WeaponTypes(attributes) => {
                self.word("weapon");
                self.space();
                self.word("types");
                self.attributes(start, attributes)
            }
            Item::HoldingAttributes(attributes) => {
                self.word("holdings");
                self.attributes(start, attributes)
            }
            Item::Package(package) => self.package(package),
            Item::Reading(reading) => self.reading(reading),
            Item::Category(category) => self.category(category),
            Item::Provision(provision) => self.provision(provision),
            Item::Test(test) => self.test(test),
        }
    }

    /// A `weapon types` or `holdings` block. Descriptions follow their attributes on the same
    /// line, unless one of the block's lines would be too long: then each goes on a line of
    /// its own, below its attribute.
    fn attributes(&mut self, start: usize, attributes: &[Attribute]) -> usize {
        let below = attributes.iter().any(|attribute| {
            let description = attribute
                .description
                .as_ref()
                .map_or(0, |d| self.slice(d.span).chars().count().saturating_add(1));
            // ` (default VALUE)`.
            let default = attribute.default.as_ref().map_or(0, |d| {
                self.default_value(d).chars().count().saturating_add(11)
            });
            let line = INDENT
                .saturating_add(attribute.name.node.chars().count())
                .saturating_add(2)
                .saturating_add(attribute_type(&attribute.ty.node).chars().count())
                .saturating_add(default)
                .saturating_add(description);
            line > WIDTH
        });
        let fields = attributes
            .iter()
            .map(|attribute| Field::Attribute(attribute, below))
            .collect();
        self.block(start, fields, 0)
    }

    fn package(&mut self, package: &Package) -> usize {
        let Package {
            name,
            label,
            annotations,
        } = package;
        self.word("package");
        self.space();
        self.name(name);
        let mut end = name.span.end;
        if let Some(label) = label {
            self.space();
            self.string(label);
            end = label.span.end;
        }
        let open = self.next_token(end);
        if self
            .src
            .get(open..)
            .is_none_or(|rest| !rest.starts_with('{'))
        {
            return end;
        }
        let fields = annotation_fields(annotations);
        // `package x {}` says no more than `package x`.
        let close = self.next_token(open.saturating_add(1));
        let empty = self
            .src
            .get(close..)
            .is_some_and(|rest| rest.starts_with('}'))
            && self.first_comment_between(open, close).is_none();
        if fields.is_empty() && empty {
            return close.saturating_add(1);
        }
        self.block(end, fields, 0)
    }

    fn reading(&mut self, reading: &Reading) -> usize {
        let Reading {
            name,
            label,
            annotations,
            variants,
        } = reading;
        self.word("reading");
        self.space();
        self.name(name);
        let end = self.label(label, name.span.end);
        let mut fields = annotation_fields(annotations);
        fields.extend(variants.iter().map(Field::Variant));
        self.block(end, fields, 0)
    }

    fn category(&mut self, category: &Category) -> usize {
        let Category {
            name,
            label,
            annotations,
            selection,
            exceptions,
        } = category;
        self.word("category");
        self.space();
        self.name(name);
        let end = self.label(label, name.span.end);
        let mut fields = annotation_fields(annotations);
        fields.push(Field::Selection(selection));
        fields.extend(exceptions.iter().map(Field::Exception));
        self.block(end, fields, 0)
    }

    fn provision(&mut self, provision: &Provision) -> usize {
        let Provision {
            kind,
            id,
            label,
            scope,
            annotations,
            conditions,
            period,
            rule,
        } = provision;
        self.word(kind.node.as_str());
        self.space();
        self.name(id);
        let mut end = self.label(label, id.span.end);
        if let Some(scope) = scope {
            self.space();
            match &scope.node {
                Scope::EachParty => {
                    self.word_at(scope.span.start, "for");
                    self.space();
                    self.word("each");
                    self.space();
                    self.word("party");
                }
                Scope::For(party) => {
                    self.word_at(scope.span.start, "for");
                    self.space();
                    self.name(party);
                }
                Scope::By(party) => {
                    self.word_at(scope.span.start, "by");
                    self.space();
                    self.name(party);
                }
            }
            end = scope.span.end;
        }
        let mut fields = annotation_fields(annotations);
        fields.extend(conditions.iter().map(Field::Condition));
        fields.extend(period.as_ref().map(Field::Period));
        fields.extend(rule.as_ref().map(Field::Rule));
        self.block(end, fields, 0)
    }

    fn test(&mut self, test: &Test) -> usize {
        let Test {
            title,
            scenario,
            readings,
            expectations,
            span: _,
        } = test;
        self.word("test");
        self.space();
        self.string(title);
        let mut fields: Vec<Field<'_>> = scenario.iter().map(Field::Scenario).collect();
        fields.extend(
            readings
                .iter()
                .map(|(reading, variant)| Field::Reading(reading, variant)),
        );
        fields.extend(expectations.iter().map(Field::Expect));
        self.block(title.span.end, fields, 0)
    }

    /// `{`, the fields in the order written, `}`; `after`: where the `{` is looked for.
    fn block(&mut self, after: usize, mut fields: Vec<Field<'_>>, indent: usize) -> usize {
        let open = self.find_brace(after);
        self.space();
        self.word_at(open, "{");
        fields.sort_by_key(Field::start);
        let inner = indent.saturating_add(INDENT);
        let mut end = open.saturating_add(1);
        for field in &fields {
            let start = self.next_token(end);
            self.statement(start, inner);
            end = self.field(field, inner);
        }
        let close = self.next_token(end);
        self.line(inner);
        self.hang = inner;
        self.flush(close);
        self.line(indent);
        self.word("}");
        close.saturating_add(1)
    }

    /// The `{` after `from`, past any words before it (`weapon types {`).
    fn find_brace(&self, from: usize) -> usize {
        let mut offset = self.next_token(from);
        while let Some(rest) = self.src.get(offset..) {
            if rest.is_empty() || rest.starts_with('{') {
                break;
            }
            let word = rest
                .find(|c: char| c.is_whitespace() || c == '{' || c == '/')
                .unwrap_or(rest.len())
                .max(1);
            offset = self.next_token(offset.saturating_add(word));
        }
        offset
    }

    /// One field at `indent`; returns where it ends in the original.
    fn field(&mut self, field: &Field<'_>, indent: usize) -> usize {
        match field {
            Field::Date(date) => self.keyword_value("date", date),
            Field::Parties(parties) => {
                self.word("parties");
                for (index, party) in parties.iter().enumerate() {
                    if index > 0 {
                        self.word(",");
                    }
                    self.space();
                    self.name(party);
                }
                parties.last().map_or(0, |p| p.span.end)
            }
            Field::EntryIntoForce(date) => self.keyword_value("entry into force", date),
            Field::Source(Source { name, path }) => self.named_string("source", name, path),
            Field::Period(period) => self.period(period),
            Field::Quote(Quote { source, text }) => self.named_string("quote", source, text),
            Field::Cite(cite) => self.keyword_value("cite", cite),
            Field::Note(note) => self.keyword_value("note", note),
            Field::Attribute(attribute, below) => self.attribute(attribute, *below, indent),
            Field::Variant(variant) => {
                let Variant {
                    name,
                    label,
                    default,
                } = variant;
                self.word("variant");
                self.space();
                self.name(name);
                let mut end = self.label(label, name.span.end);
                if let Some(default) = default {
                    self.space();
                    self.word_at(default.start, "(default)");
                    end = default.end;
                }
                end
            }
            Field::Selection(selection) => self.selection(selection, indent),
            Field::Exception(exception) => {
                let Exception {
                    condition,
                    selection,
                } = exception;
                self.word("when");
                self.space();
                self.expr(condition, indent.saturating_add(INDENT), 1);
                self.word(":");
                let colon = self.next_token(condition.span.end);
                let holdings = self.next_token(colon.saturating_add(1));
                let inner = indent.saturating_add(INDENT);
                self.line(inner);
                self.hang = inner.saturating_add(INDENT);
                self.flush(holdings);
                self.line(inner);
                self.selection(selection, inner)
            }
            Field::Condition(condition) => {
                self.word("when");
                self.space();
                self.expr(condition, indent.saturating_add(INDENT), 0);
                condition.span.end
            }
            Field::Rule(rule) => self.rule(rule, indent),
            Field::Scenario(scenario) => self.keyword_value("scenario", scenario),
            Field::Reading(reading, variant) => {
                self.word("reading");
                self.space();
                self.name(reading);
                self.space();
                self.word("is");
                self.space();
                self.name(variant);
                variant.span.end
            }
            Field::Expect(expectation) => {
                let Expectation {
                    provision,
                    party,
                    verdict,
                    quantity,
                } = expectation;
                self.word("expect");
                self.space();
                self.name(provision);
                if let Some(party) = party {
                    self.space();
                    self.word("for");
                    self.space();
                    self.name(party);
                }
                self.space();
                self.name(verdict);
                let Some(quantity) = quantity else {
                    return verdict.span.end;
                };
                self.space();
                self.word("with");
                self.space();
                // `N`, `N..M` or `N..unknown`: one token, written without spaces.
                let text = self.slice(quantity.span);
                self.word_at(quantity.span.start, text);
                quantity.span.end
            }
        }
    }

    fn attribute(&mut self, attribute: &Attribute, below: bool, indent: usize) -> usize {
        let Attribute {
            name,
            ty,
            default,
            description,
        } = attribute;
        self.name(name);
        self.word(":");
        self.space();
        match &ty.node {
            AttributeType::Enum(values) => {
                self.word_at(ty.span.start, "one");
                self.space();
                self.word("of");
                for (index, value) in values.iter().enumerate() {
                    if index > 0 {
                        self.word(",");
                    }
                    self.space();
                    self.name(value);
                }
            }
            AttributeType::Quantity(unit) => {
                self.word_at(ty.span.start, "quantity");
                self.space();
                self.word("in");
                self.space();
                self.name(unit);
            }
            AttributeType::Boolean
            | AttributeType::Integer
            | AttributeType::Date
            | AttributeType::Reference
            | AttributeType::List => self.word_at(ty.span.start, &attribute_type(&ty.node)),
        }
        let mut end = ty.span.end;
        if let Some(default) = default {
            self.space();
            self.word("(default");
            self.space();
            let value = self.default_value(default);
            self.word_at(default.span.start, &value);
            let close = self.next_token(default.span.end);
            self.word_at(close, ")");
            end = close.saturating_add(1);
        }
        let Some(description) = description else {
            return end;
        };
        if below {
            self.line(indent.saturating_add(INDENT));
        } else {
            self.space();
        }
        self.string(description);
        description.span.end
    }

    /// `holdings where …`, continued one indentation further in.
    fn selection(&mut self, selection: &Node<Expr>, indent: usize) -> usize {
        self.word("holdings");
        self.space();
        self.word("where");
        self.space();
        self.expr(selection, indent.saturating_add(INDENT), 0);
        selection.span.end
    }

    fn rule(&mut self, rule: &Node<Rule>, indent: usize) -> usize {
        let deeper = indent.saturating_add(INDENT);
        match &rule.node {
            Rule::Limit {
                quantity,
                comparison,
                bounds,
            } => {
                let comparison_text = self.operator_text(comparison.span);
                let bounds_text = self.bounds_text(bounds);
                let suffix = comparison_text
                    .chars()
                    .count()
                    .saturating_add(bounds_text.chars().count())
                    .saturating_add(2);
                self.expr(quantity, deeper, suffix);
                self.space();
                self.word_at(comparison.span.start, &comparison_text);
                for (index, bound) in bounds.iter().enumerate() {
                    let Bound { value, unit, from } = bound;
                    if index > 0 {
                        self.word(",");
                        self.space();
                        self.word("then");
                    }
                    self.space();
                    let value_text = self.slice(value.span);
                    self.word_at(value.span.start, value_text);
                    if let Some(unit) = unit {
                        self.space();
                        self.name(unit);
                    }
                    if let Some(from) = from {
                        self.space();
                        self.date_expr("from", from);
                    }
                }
            }
            Rule::Ban { category } => {
                self.word_at(rule.span.start, "no");
                self.space();
                self.name(category);
            }
            Rule::Assurance {
                category,
                requirement,
            } => {
                self.word_at(rule.span.start, "every");
                self.space();
                self.name(category);
                self.space();
                self.word("has");
                self.space();
                self.expr(requirement, deeper, 0);
            }
        }
        rule.span.end
    }

    /// `, then 2250 from 1981-01-01` after the first bound, as they will be written.
    fn bounds_text(&self, bounds: &[Bound]) -> String {
        let mut text = String::new();
        for (index, bound) in bounds.iter().enumerate() {
            if index > 0 {
                text.push_str(", then ");
            }
            text.push_str(self.slice(bound.value.span));
            if let Some(unit) = &bound.unit {
                text.push(' ');
                text.push_str(&unit.node);
            }
            if let Some(from) = &bound.from {
                text.push_str(" from ");
                text.push_str(&self.date_expr_text(&from.node));
            }
        }
        text
    }

    /// `in force from … until …`.
    fn period(&mut self, period: &Node<Period>) -> usize {
        let Period { from, until } = &period.node;
        self.word_at(period.span.start, "in");
        self.space();
        self.word("force");
        if let Some(from) = from {
            self.space();
            self.date_expr("from", from);
        }
        if let Some(until) = until {
            self.space();
            self.date_expr("until", until);
        }
        period.span.end
    }

    /// `keyword VALUE`, the value as written; returns where the value ends.
    fn keyword_value(&mut self, keyword: &str, value: &Node<String>) -> usize {
        self.word(keyword);
        self.space();
        let text = self.slice(value.span);
        self.word_at(value.span.start, text);
        value.span.end
    }

    /// `keyword DATE`, the date expression with one space between its words; returns where
    /// it ends.
    fn date_expr(&mut self, keyword: &str, date: &Node<DateExpr>) -> usize {
        self.word(keyword);
        self.space();
        let text = self.date_expr_text(&date.node);
        self.word_at(date.span.start, &text);
        date.span.end
    }

    /// `1988-06-01`, `signature`, `entry into force + 18 months`: the date as written, the
    /// words of the rest one space apart. No comment can stand inside a date expression.
    fn date_expr_text(&self, date: &DateExpr) -> String {
        let DateExpr { base, offset } = date;
        let mut text = match &base.node {
            DateBase::Date(_) => self.slice(base.span).to_string(),
            DateBase::EntryIntoForce => "entry into force".to_string(),
            DateBase::Signature => "signature".to_string(),
        };
        if let Some(Offset { amount, unit }) = offset {
            text.push_str(" + ");
            text.push_str(self.slice(amount.span));
            text.push(' ');
            text.push_str(self.slice(unit.span));
        }
        text
    }

    /// `keyword NAME "TEXT"` (`source`, `quote`), the name when there is one; returns where
    /// the string ends.
    fn named_string(&mut self, keyword: &str, name: &Option<Name>, text: &Node<String>) -> usize {
        self.word(keyword);
        if let Some(name) = name {
            self.space();
            self.name(name);
        }
        self.space();
        self.string(text);
        text.span.end
    }

    /// The value of `(default VALUE)` as written, a quantity with one space before its unit.
    fn default_value(&self, value: &Node<DefaultValue>) -> String {
        match &value.node {
            DefaultValue::Literal(Literal::Quantity { unit, .. }) => {
                let number = self
                    .src
                    .get(value.span.start..unit.span.start)
                    .unwrap_or("")
                    .trim();
                format!("{number} {}", unit.node)
            }
            DefaultValue::Literal(_) | DefaultValue::Name(_) => self.slice(value.span).to_string(),
        }
    }

    /// A label string after a name, if there is one; returns where the line's last node ends.
    fn label(&mut self, label: &Option<Node<String>>, end: usize) -> usize {
        match label {
            Some(label) => {
                self.space();
                self.string(label);
                label.span.end
            }
            None => end,
        }
    }

    /// A string as written, escapes and line breaks included.
    fn string(&mut self, string: &Node<String>) {
        let text = self.slice(string.span);
        self.word_at(string.span.start, text);
    }

    fn name(&mut self, name: &Name) {
        self.word_at(name.span.start, &name.node);
    }

    /// The words of an operator at `span`, one space apart (`at most`).
    fn operator_text(&self, span: Span) -> String {
        self.slice(span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn annotation_fields(annotations: &Annotations) -> Vec<Field<'_>> {
    let Annotations {
        quotes,
        cites,
        notes,
    } = annotations;
    quotes
        .iter()
        .map(Field::Quote)
        .chain(cites.iter().map(Field::Cite))
        .chain(notes.iter().map(Field::Note))
        .collect()
}

/// An attribute's type as written.
fn attribute_type(ty: &AttributeType) -> String {
    match ty {
        AttributeType::Boolean => "boolean".to_string(),
        AttributeType::Integer => "integer".to_string(),
        AttributeType::Date => "date".to_string(),
        AttributeType::Quantity(unit) => format!("quantity in {}", unit.node),
        AttributeType::Enum(values) => format!(
            "one of {}",
            values
                .iter()
                .map(|v| v.node.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        AttributeType::Reference => "weapon type".to_string(),
        AttributeType::List => "list of weapon types".to_string(),
    }
}
