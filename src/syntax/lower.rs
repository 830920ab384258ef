//! Lowering pest's pairs into the syntax tree: the header and the declarations. Expressions
//! are lowered in `expr`.

use pest::iterators::{Pair, Pairs};

use crate::ast::*;
use crate::lang::{Comparison, DocumentKind, ProvisionKind};
use crate::span::{SourceFile, Span};

use super::{ParseError, Rule, err, name, span_of, string_body};

/// Where each header field was first given, to refuse a second one.
#[derive(Default)]
struct HeaderFields {
    date: Option<Span>,
    entry_into_force: Option<Span>,
    parties: Option<Span>,
    source: Option<Span>,
    period: Option<Span>,
}

/// Lowers pest pairs into the AST, collecting errors instead of stopping at the first.
pub(super) struct Lower<'f> {
    pub(super) file: &'f SourceFile,
    /// Where pest's input starts in the file: spans are the pairs' plus this.
    pub(super) base: usize,
    pub(super) errors: Vec<ParseError>,
}

impl<'f> Lower<'f> {
    /// A lowering of pairs parsed from `file` from byte `base` on, with no errors yet.
    pub(super) fn new(file: &'f SourceFile, base: usize) -> Self {
        Lower {
            file,
            base,
            errors: Vec::new(),
        }
    }

    /// The whole file: its header and its declarations.
    pub(super) fn file(&mut self, pairs: Pairs<'_, Rule>) -> File {
        let mut header = None;
        let mut items = Vec::new();
        for pair in pairs.flatten().take(1).flat_map(|file| file.into_inner()) {
            match pair.as_rule() {
                Rule::header => header = Some(self.header(pair)),
                Rule::EOI => {}
                _ => {
                    if let Some(item) = self.item(pair) {
                        items.push(item);
                    }
                }
            }
        }
        File { header, items }
    }

    /// The header: document kind, title and fields, each given at most once.
    fn header(&mut self, pair: Pair<'_, Rule>) -> Header {
        let mut seen = HeaderFields::default();
        let mut header = Header {
            kind: Node::new(DocumentKind::Position, span_of(self.base, &pair)),
            title: Node::new(String::new(), span_of(self.base, &pair)),
            date: None,
            entry_into_force: None,
            parties: Vec::new(),
            sources: Vec::new(),
            period: None,
            notes: Vec::new(),
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::document_kind => {
                    let kind = DocumentKind::parse(part.as_str()).unwrap_or(DocumentKind::Position);
                    header.kind = Node::new(kind, span_of(self.base, &part));
                }
                Rule::string => header.title = self.string(part),
                Rule::header_date => {
                    self.once("date", &mut seen.date, &part);
                    header.date = self.first_date(part);
                }
                Rule::header_entry => {
                    self.once("entry into force", &mut seen.entry_into_force, &part);
                    header.entry_into_force = part.into_inner().nth(1).map(|p| self.date(&p));
                }
                Rule::header_parties => {
                    self.once("parties", &mut seen.parties, &part);
                    header.parties = part.into_inner().map(|p| name(self.base, &p)).collect();
                }
                Rule::header_source => {
                    let mut source_name = None;
                    let mut path = None;
                    for piece in part.clone().into_inner() {
                        match piece.as_rule() {
                            Rule::name => source_name = Some(name(self.base, &piece)),
                            _ => path = Some(self.string(piece)),
                        }
                    }
                    // Named sources may be several; the unnamed one is given once.
                    if source_name.is_none() {
                        self.once("source", &mut seen.source, &part);
                    }
                    if let Some(path) = path {
                        header.sources.push(Source {
                            name: source_name,
                            path,
                        });
                    }
                }
                Rule::period => {
                    self.once("in force", &mut seen.period, &part);
                    header.period = Some(self.period(part));
                }
                Rule::note => header.notes.extend(self.first_string(part)),
                _ => {}
            }
        }
        header
    }

    /// Report a field given a second time; `first` remembers where it was given first.
    fn once(&mut self, field: &'static str, first: &mut Option<Span>, pair: &Pair<'_, Rule>) {
        let span = span_of(self.base, pair);
        match first {
            Some(first) => self
                .errors
                .push(err::repeated_field(self.file, field, span, *first)),
            None => *first = Some(span),
        }
    }

    /// `in force from … until …`.
    fn period(&mut self, pair: Pair<'_, Rule>) -> Node<Period> {
        let span = span_of(self.base, &pair);
        let mut period = Period {
            from: None,
            until: None,
        };
        for part in pair.into_inner() {
            let expr = part.clone().into_inner().next();
            match part.as_rule() {
                Rule::period_from => period.from = expr.and_then(|e| self.date_expr(e)),
                Rule::period_until => period.until = expr.and_then(|e| self.date_expr(e)),
                _ => {}
            }
        }
        Node::new(period, span)
    }

    fn first_date(&mut self, pair: Pair<'_, Rule>) -> Option<Node<String>> {
        pair.into_inner().next().map(|p| self.date(&p))
    }

    fn first_string(&mut self, pair: Pair<'_, Rule>) -> Option<Node<String>> {
        pair.into_inner().next().map(|p| self.string(p))
    }

    /// Dates stay text here; the checker validates them so all date errors share one code.
    fn date(&mut self, pair: &Pair<'_, Rule>) -> Node<String> {
        Node::new(pair.as_str().to_string(), span_of(self.base, pair))
    }

    /// One top-level declaration.
    fn item(&mut self, pair: Pair<'_, Rule>) -> Option<Item> {
        Some(match pair.as_rule() {
            Rule::import => Item::Import(self.first_string(pair)?),
            Rule::weapon_types => Item::WeaponTypes(self.attributes(pair)),
            Rule::holding_attributes => Item::HoldingAttributes(self.attributes(pair)),
            Rule::package => Item::Package(Box::new(self.package(pair))),
            Rule::reading => Item::Reading(Box::new(self.reading(pair))),
            Rule::category => Item::Category(Box::new(self.category(pair)?)),
            Rule::provision => Item::Provision(Box::new(self.provision(pair))),
            Rule::test => Item::Test(Box::new(self.test(pair))),
            _ => return None,
        })
    }

    fn attributes(&mut self, pair: Pair<'_, Rule>) -> Vec<Attribute> {
        let mut attributes = Vec::new();
        for attribute in pair.into_inner() {
            let mut parts = attribute.into_inner();
            let (Some(name_pair), Some(ty_pair)) = (parts.next(), parts.next()) else {
                continue;
            };
            let mut default = None;
            let mut description = None;
            for part in parts {
                match part.as_rule() {
                    Rule::attribute_default => default = self.attribute_default(part),
                    _ => description = Some(self.string(part)),
                }
            }
            let ty_span = span_of(self.base, &ty_pair);
            let Some(inner) = ty_pair.into_inner().next() else {
                continue;
            };
            let ty = match inner.as_rule() {
                Rule::type_boolean => AttributeType::Boolean,
                Rule::type_integer => AttributeType::Integer,
                Rule::type_date => AttributeType::Date,
                Rule::type_quantity => match inner.into_inner().next() {
                    Some(unit) => AttributeType::Quantity(name(self.base, &unit)),
                    None => continue,
                },
                Rule::type_enum => {
                    AttributeType::Enum(inner.into_inner().map(|p| name(self.base, &p)).collect())
                }
                Rule::type_reference => AttributeType::Reference,
                _ => AttributeType::List,
            };
            attributes.push(Attribute {
                name: name(self.base, &name_pair),
                ty: Node::new(ty, ty_span),
                default,
                description,
            });
        }
        attributes
    }

    /// `(default VALUE)`: the value, spanning the value alone.
    fn attribute_default(&mut self, pair: Pair<'_, Rule>) -> Option<Node<DefaultValue>> {
        let value = pair.into_inner().next()?;
        let span = span_of(self.base, &value);
        let default = match value.as_rule() {
            Rule::name => DefaultValue::Name(value.as_str().to_string()),
            _ => match self.literal(value) {
                Ok(literal) => DefaultValue::Literal(literal.node),
                Err(error) => {
                    self.errors.push(error);
                    return None;
                }
            },
        };
        Some(Node::new(default, span))
    }

    /// A `quote`, `cite` or `note` into `annotations`; `false` for anything else.
    fn annotation(&mut self, pair: Pair<'_, Rule>, annotations: &mut Annotations) -> bool {
        match pair.as_rule() {
            Rule::quote => {
                let mut source = None;
                for piece in pair.into_inner() {
                    match piece.as_rule() {
                        Rule::name => source = Some(name(self.base, &piece)),
                        _ => {
                            let text = self.string(piece);
                            annotations.quotes.push(Quote {
                                source: source.take(),
                                text,
                            });
                        }
                    }
                }
            }
            Rule::cite => annotations.cites.extend(self.first_string(pair)),
            Rule::note => annotations.notes.extend(self.first_string(pair)),
            _ => return false,
        }
        true
    }

    fn package(&mut self, pair: Pair<'_, Rule>) -> Package {
        let mut annotations = empty_annotations();
        let mut package_name = Node::new(String::new(), span_of(self.base, &pair));
        let mut label = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::ident => package_name = name(self.base, &part),
                Rule::string => label = Some(self.string(part)),
                _ => {
                    self.annotation(part, &mut annotations);
                }
            }
        }
        Package {
            name: package_name,
            label,
            annotations,
        }
    }

    fn reading(&mut self, pair: Pair<'_, Rule>) -> Reading {
        let mut reading = Reading {
            name: Node::new(String::new(), span_of(self.base, &pair)),
            label: None,
            annotations: empty_annotations(),
            variants: Vec::new(),
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::ident => reading.name = name(self.base, &part),
                Rule::string => reading.label = Some(self.string(part)),
                Rule::variant => {
                    let mut variant = Variant {
                        name: Node::new(String::new(), span_of(self.base, &part)),
                        label: None,
                        default: None,
                    };
                    for piece in part.into_inner() {
                        match piece.as_rule() {
                            Rule::name => variant.name = name(self.base, &piece),
                            Rule::string => variant.label = Some(self.string(piece)),
                            Rule::default_mark => {
                                variant.default = Some(span_of(self.base, &piece))
                            }
                            _ => {}
                        }
                    }
                    reading.variants.push(variant);
                }
                _ => {
                    self.annotation(part, &mut reading.annotations);
                }
            }
        }
        reading
    }

    fn category(&mut self, pair: Pair<'_, Rule>) -> Option<Category> {
        let mut category_name = Node::new(String::new(), span_of(self.base, &pair));
        let mut label = None;
        let mut annotations = empty_annotations();
        let mut selection = None;
        let mut exceptions = Vec::new();
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::ident => category_name = name(self.base, &part),
                Rule::string => label = Some(self.string(part)),
                Rule::selection => selection = self.selection(part),
                Rule::exception => {
                    let mut pieces = part.into_inner();
                    if let (Some(condition), Some(chosen)) = (pieces.next(), pieces.next()) {
                        if let (Some(condition), Some(selection)) =
                            (self.expr(condition), self.selection(chosen))
                        {
                            exceptions.push(Exception {
                                condition,
                                selection,
                            });
                        }
                    }
                }
                _ => {
                    self.annotation(part, &mut annotations);
                }
            }
        }
        Some(Category {
            name: category_name,
            label,
            annotations,
            selection: selection?,
            exceptions,
        })
    }

    fn selection(&mut self, pair: Pair<'_, Rule>) -> Option<Node<Expr>> {
        pair.into_inner().next().and_then(|p| self.expr(p))
    }

    fn provision(&mut self, pair: Pair<'_, Rule>) -> Provision {
        let span = span_of(self.base, &pair);
        let mut seen_period = None;
        let mut provision = Provision {
            kind: Node::new(ProvisionKind::Statement, span),
            id: Node::new(String::new(), span),
            label: None,
            scope: None,
            annotations: empty_annotations(),
            conditions: Vec::new(),
            period: None,
            rule: None,
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::provision_kind => {
                    let kind =
                        ProvisionKind::parse(part.as_str()).unwrap_or(ProvisionKind::Statement);
                    provision.kind = Node::new(kind, span_of(self.base, &part));
                }
                Rule::ident => provision.id = name(self.base, &part),
                Rule::string => provision.label = Some(self.string(part)),
                Rule::scope => provision.scope = self.scope(part),
                Rule::condition => {
                    if let Some(expr) = part.into_inner().next().and_then(|p| self.expr(p)) {
                        provision.conditions.push(expr);
                    }
                }
                Rule::period => {
                    self.once("in force", &mut seen_period, &part);
                    provision.period = Some(self.period(part));
                }
                Rule::limit_rule | Rule::ban_rule | Rule::assurance_rule => {
                    provision.rule = self.rule(part);
                }
                _ => {
                    self.annotation(part, &mut provision.annotations);
                }
            }
        }
        provision
    }

    fn scope(&mut self, pair: Pair<'_, Rule>) -> Option<Node<Scope>> {
        let inner = pair.into_inner().next()?;
        let span = span_of(self.base, &inner);
        let scope = match inner.as_rule() {
            Rule::scope_each => Scope::EachParty,
            Rule::scope_for => Scope::For(name(self.base, &inner.into_inner().next()?)),
            _ => Scope::By(name(self.base, &inner.into_inner().next()?)),
        };
        Some(Node::new(scope, span))
    }

    /// The rule of a provision: a limit, a ban or an assurance.
    fn rule(&mut self, pair: Pair<'_, Rule>) -> Option<Node<crate::ast::Rule>> {
        let span = span_of(self.base, &pair);
        let rule = match pair.as_rule() {
            Rule::limit_rule => {
                let mut parts = pair.into_inner();
                let quantity = self.expr(parts.next()?)?;
                let comparison_pair = parts.next()?;
                let comparison = Node::new(
                    comparison_of(&comparison_pair),
                    span_of(self.base, &comparison_pair),
                );
                let mut bounds = Vec::new();
                let mut first = true;
                while let Some(bound) = parts.next() {
                    let mut pieces = bound.into_inner();
                    let (Some(number), unit) = (pieces.next(), pieces.next()) else {
                        continue;
                    };
                    let value = Node::new(
                        number.as_str().replace('_', ""),
                        span_of(self.base, &number),
                    );
                    let unit = unit.map(|u| name(self.base, &u));
                    let from = if first {
                        None
                    } else {
                        parts.next().and_then(|d| self.date_expr(d))
                    };
                    first = false;
                    bounds.push(Bound { value, unit, from });
                }
                crate::ast::Rule::Limit {
                    quantity,
                    comparison,
                    bounds,
                }
            }
            Rule::ban_rule => crate::ast::Rule::Ban {
                category: name(self.base, &pair.into_inner().next()?),
            },
            _ => {
                let mut parts = pair.into_inner();
                let head = parts.next()?;
                let category = name(self.base, &head.into_inner().next()?);
                let requirement = self.expr(parts.next()?)?;
                crate::ast::Rule::Assurance {
                    category,
                    requirement,
                }
            }
        };
        Some(Node::new(rule, span))
    }

    fn test(&mut self, pair: Pair<'_, Rule>) -> Test {
        let span = span_of(self.base, &pair);
        let mut test = Test {
            title: Node::new(String::new(), span),
            scenario: None,
            readings: Vec::new(),
            expectations: Vec::new(),
            span,
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::string => test.title = self.string(part),
                Rule::test_scenario => test.scenario = self.first_string(part),
                Rule::test_reading => {
                    let mut pieces = part.into_inner();
                    if let (Some(reading), Some(variant)) = (pieces.next(), pieces.next()) {
                        test.readings
                            .push((name(self.base, &reading), name(self.base, &variant)));
                    }
                }
                Rule::expectation => {
                    let mut provision = None;
                    let mut party = None;
                    let mut verdict = None;
                    let mut quantity = None;
                    for piece in part.into_inner() {
                        match piece.as_rule() {
                            Rule::ident => provision = Some(name(self.base, &piece)),
                            Rule::name => party = Some(name(self.base, &piece)),
                            Rule::expected_quantity => {
                                quantity = expected_quantity(self.base, piece)
                            }
                            _ => verdict = Some(name(self.base, &piece)),
                        }
                    }
                    if let (Some(provision), Some(verdict)) = (provision, verdict) {
                        test.expectations.push(Expectation {
                            provision,
                            party,
                            verdict,
                            quantity,
                        });
                    }
                }
                _ => {}
            }
        }
        test
    }

    /// The text of a string literal with its escapes resolved.
    pub(super) fn string(&mut self, pair: Pair<'_, Rule>) -> Node<String> {
        let span = span_of(self.base, &pair);
        let (body, body_start) = string_body(self.base, &pair);
        if !body.contains('\\') {
            return Node::new(body.to_string(), span);
        }
        let mut text = String::with_capacity(body.len());
        let mut chars = body.char_indices();
        while let Some((index, ch)) = chars.next() {
            if ch != '\\' {
                text.push(ch);
                continue;
            }
            match chars.next() {
                Some((_, '"')) => text.push('"'),
                Some((_, '\\')) => text.push('\\'),
                Some((_, 'n')) => text.push('\n'),
                Some((_, 't')) => text.push('\t'),
                Some((_, other)) => {
                    let start = body_start.saturating_add(index);
                    self.errors.push(err::invalid_escape(
                        self.file,
                        other,
                        Span::new(
                            start,
                            start.saturating_add(1).saturating_add(other.len_utf8()),
                        ),
                    ));
                }
                None => {}
            }
        }
        Node::new(text, span)
    }
}

/// `with N..M`: the range as written.
fn expected_quantity(base: usize, pair: Pair<'_, Rule>) -> Option<Node<ExpectedQuantity>> {
    let range = pair.into_inner().next()?;
    let span = span_of(base, &range);
    let mut ends = range.into_inner();
    let min = ends.next()?.as_str().replace('_', "");
    let max = match ends.next() {
        None => Some(min.clone()),
        Some(end) if end.as_rule() == Rule::unknown_end => None,
        Some(end) => Some(end.as_str().replace('_', "")),
    };
    Some(Node::new(ExpectedQuantity { min, max }, span))
}

/// The comparison an operator pair stands for.
pub(super) fn comparison_of(pair: &Pair<'_, Rule>) -> Comparison {
    let inner = pair.clone().into_inner().next();
    let rule = inner.as_ref().map_or(pair.as_rule(), |p| p.as_rule());
    match rule {
        Rule::le | Rule::at_most => Comparison::AtMost,
        Rule::ge | Rule::at_least => Comparison::AtLeast,
        Rule::lt => Comparison::Less,
        Rule::gt => Comparison::Greater,
        Rule::ne => Comparison::NotEqual,
        _ => Comparison::Equal,
    }
}

fn empty_annotations() -> Annotations {
    Annotations {
        quotes: Vec::new(),
        cites: Vec::new(),
        notes: Vec::new(),
    }
}
