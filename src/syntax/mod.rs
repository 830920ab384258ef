//! Parsing: rule file text → syntax tree ([`crate::ast`]).
//!
//! The grammar is `grammar/treaty.pest`. This is the only module that sees pest: its pairs are
//! lowered here into AST nodes with byte spans, and its errors into diagnostics in words a
//! user knows. Operators are parsed by a Pratt parser.

mod err;

use std::sync::{Arc, LazyLock};

use pest::Parser as _;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest_derive::Parser;

pub use err::{Code, ParseError};

use crate::ast::*;
use crate::lang::{Comparison, DocumentKind, PackageStatus, ProvisionKind};
use crate::span::{SourceFile, Span};

/// Brackets may nest this deep; deeper input is refused before pest sees it, so that no
/// input can exhaust the stack.
pub const MAX_NESTING: usize = 64;
/// Operators and operands one expression may chain without brackets (`a and b and …`).
/// With the bracket limit this bounds every expression tree's depth, so that the checker
/// and the evaluator, which recurse over it, cannot exhaust the stack.
pub const MAX_EXPRESSION_TERMS: usize = 256;
/// How deep one expression tree may be, brackets included.
pub const MAX_EXPRESSION_DEPTH: usize = 128;
/// Rule files larger than this are refused (a position is a few kilobytes).
pub const MAX_FILE_SIZE: usize = 16 * 1024 * 1024;

#[derive(Parser)]
#[grammar = "../grammar/treaty.pest"]
struct TreatyParser;

type Result<T> = std::result::Result<T, ParseError>;

/// Parse one rule file. Returns the tree, or every problem found.
pub fn parse(file: &SourceFile) -> std::result::Result<File, Vec<ParseError>> {
    let (tree, errors) = parse_recovering(file);
    match tree {
        Some(tree) if errors.is_empty() => Ok(tree),
        _ => Err(errors),
    }
}

/// At most this many syntax errors are reported from one file.
const MAX_SYNTAX_ERRORS: usize = 20;

/// Parse one rule file, recovering from syntax errors: the top-level declaration holding an
/// error is blanked out (offsets kept) and the rest parsed again, so that one run reports
/// the syntax errors of several declarations and the checker still sees the others.
pub fn parse_recovering(file: &SourceFile) -> (Option<File>, Vec<ParseError>) {
    let text: &str = &file.text;
    if text.len() > MAX_FILE_SIZE {
        let error = err::too_large(file, text.len(), MAX_FILE_SIZE, Span::point(MAX_FILE_SIZE));
        return (None, vec![error]);
    }
    let mut errors = match prescan(file) {
        Ok(brace_errors) => brace_errors,
        Err(fatal) => return (None, vec![fatal]),
    };
    let mut working = text.to_string();
    loop {
        match TreatyParser::parse(Rule::file, &working) {
            Ok(pairs) => {
                let mut lower = Lower {
                    file,
                    errors: Vec::new(),
                };
                let tree = lower.file(pairs);
                errors.append(&mut lower.errors);
                return (Some(tree), errors);
            }
            Err(error) => {
                errors.push(syntax_error(file, &error));
                let offset = match error.location {
                    pest::error::InputLocation::Pos(pos) => pos,
                    pest::error::InputLocation::Span((start, _)) => start,
                };
                if errors.len() >= MAX_SYNTAX_ERRORS || !blank_declaration(&mut working, offset) {
                    return (None, errors);
                }
            }
        }
    }
}

/// Words that start a top-level declaration: a header's document kind, a provision's kind,
/// or one of the other declarations.
fn declaration_keywords() -> impl Iterator<Item = &'static str> {
    let others = [
        "use", "weapon", "holdings", "package", "reading", "category", "test",
    ];
    DocumentKind::ALL
        .iter()
        .map(|kind| kind.as_str())
        .chain(ProvisionKind::ALL.iter().map(|kind| kind.as_str()))
        .chain(others)
}

/// Replace the top-level declaration around `offset` by spaces (line breaks kept, so every
/// later position stays where it was). `false` when there is nothing left to blank.
fn blank_declaration(text: &mut String, offset: usize) -> bool {
    // Declarations start on a line of their own, at brace depth zero.
    let mut starts = Vec::new();
    let mut top_level_words = Vec::new();
    let mut depth = 0i64;
    let mut line_start = true;
    let mut in_string = false;
    let mut chars = text.char_indices().peekable();
    while let Some((index, ch)) = chars.next() {
        if in_string {
            match ch {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if line_start && !ch.is_whitespace() {
            line_start = false;
            let rest = text.get(index..).unwrap_or("");
            let starts_declaration = declaration_keywords().any(|k| {
                rest.strip_prefix(k).is_some_and(|after| {
                    !after.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                })
            });
            if depth <= 0 && starts_declaration {
                starts.push(index);
            }
            if depth <= 0 {
                top_level_words.push(index);
            }
        }
        match ch {
            '\n' => line_start = true,
            '"' => in_string = true,
            '/' if chars.peek().map(|&(_, c)| c) == Some('/') => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        line_start = true;
                        break;
                    }
                }
            }
            '{' | '(' | '[' => depth = depth.saturating_add(1),
            '}' | ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    // An unknown word starting a top-level line is a declaration of its own: blank it alone,
    // not the declaration before it.
    if top_level_words.contains(&offset) && !starts.contains(&offset) {
        starts.push(offset);
        starts.sort_unstable();
    }
    let start = starts
        .iter()
        .rev()
        .find(|&&s| s <= offset)
        .copied()
        .unwrap_or(0);
    let end = starts
        .iter()
        .find(|&&s| s > offset)
        .copied()
        .unwrap_or(text.len());
    let Some(region) = text.get(start..end) else {
        return false;
    };
    if region.trim().is_empty() {
        return false;
    }
    // Same length in bytes, so every later span is unchanged.
    let mut blanked = String::with_capacity(region.len());
    for c in region.chars() {
        if c == '\n' || c == '\r' {
            blanked.push(c);
        } else {
            blanked.extend(std::iter::repeat_n(' ', c.len_utf8()));
        }
    }
    text.replace_range(start..end, &blanked);
    true
}

/// Checks what pest would handle badly: nesting that would exhaust the stack, and strings
/// left open (pest would only say "expected …" at the opening quote).
///
/// Unbalanced braces are reported but do not stop the parse, so the other errors of the file
/// are found in the same run; nesting and open strings do.
fn prescan(file: &SourceFile) -> std::result::Result<Vec<ParseError>, ParseError> {
    let mut depth = 0usize;
    // Where each `{` still open was written; at most one brace problem is worth reporting.
    let mut braces: Vec<usize> = Vec::new();
    let mut brace_errors = Vec::new();
    let mut chars = file.text.char_indices().peekable();
    while let Some((index, ch)) = chars.next() {
        match ch {
            '/' if chars.peek().map(|&(_, c)| c) == Some('/') => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => {
                            closed = true;
                            break;
                        }
                        _ => {}
                    }
                }
                if !closed {
                    return Err(err::unterminated_string(
                        file,
                        Span::new(index, index.saturating_add(1)),
                    ));
                }
            }
            '(' | '[' | '{' => {
                depth = depth.saturating_add(1);
                if depth > MAX_NESTING {
                    return Err(err::too_deep(
                        file,
                        MAX_NESTING,
                        Span::new(index, index.saturating_add(1)),
                    ));
                }
                if ch == '{' {
                    braces.push(index);
                }
            }
            ')' | ']' | '}' => {
                depth = depth.saturating_sub(1);
                // Ranges may pair `(` with `]`, so only braces must balance.
                if ch == '}' && braces.pop().is_none() && brace_errors.is_empty() {
                    brace_errors.push(err::unmatched_brace(
                        file,
                        Span::new(index, index.saturating_add(1)),
                    ));
                }
            }
            _ => {}
        }
    }
    if let (Some(&open), true) = (braces.last(), brace_errors.is_empty()) {
        brace_errors.push(err::unclosed_brace(
            file,
            Span::new(open, open.saturating_add(1)),
        ));
    }
    Ok(brace_errors)
}

/// Translate pest's error into the language's words.
fn syntax_error(file: &SourceFile, error: &pest::error::Error<Rule>) -> ParseError {
    let offset = match error.location {
        pest::error::InputLocation::Pos(pos) => pos,
        pest::error::InputLocation::Span((start, _)) => start,
    };
    let text: &str = &file.text;
    // Underline the word (or character) found, so the label sits on what is wrong.
    let rest = text.get(offset..).unwrap_or("");
    let found_len = match rest.chars().next() {
        None => 0,
        Some(c) if c.is_alphanumeric() || c == '_' => rest
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
            .map_or(rest.len(), |(i, _)| i),
        Some(c) => c.len_utf8(),
    };
    let found = match rest.get(..found_len) {
        None | Some("") => "end of file".to_string(),
        Some(word) if word.trim().is_empty() => "a line break".to_string(),
        Some(word) => format!("`{word}`"),
    };
    let (expected, help) = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<&'static str> =
                positives.iter().filter_map(|r| friendly(*r)).collect();
            names.sort_unstable();
            names.dedup();
            (describe_expected(&names), help_for(positives, rest))
        }
        pest::error::ErrorVariant::CustomError { message } => (message.clone(), None),
    };
    // At the end of the file there is nothing to underline: the last character is marked.
    let found_span = Span::new(offset, offset.saturating_add(found_len));
    let span = file.visible(found_span);
    let label = if span == found_span {
        format!("expected {expected}")
    } else {
        format!("expected {expected} after this")
    };
    err::syntax(
        file,
        span,
        format!("expected {expected}, found {found}"),
        label,
        help,
    )
}

fn describe_expected(names: &[&str]) -> String {
    match names {
        [] => "something else".to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn help_for(positives: &[Rule], rest: &str) -> Option<String> {
    if positives.contains(&Rule::item) || positives.contains(&Rule::provision) {
        if rest.starts_with('}') {
            return Some("this `}` closes nothing: check the braces above".to_string());
        }
        return Some(
            "a rule file holds `use`, `weapon types`, `holdings`, `package`, `reading`, \
             `category`, `limit`, `ban`, `assurance`, `statement` and `test` blocks"
                .to_string(),
        );
    }
    if positives.contains(&Rule::unit) {
        return Some("every quantity needs a unit, as in `600 km`".to_string());
    }
    if positives.contains(&Rule::comparison) {
        return Some("a limit reads `count of CATEGORY at most 2400`".to_string());
    }
    None
}

/// The name of a rule as a user would say it; `None` for rules never worth naming.
fn friendly(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "end of file",
        Rule::header | Rule::document_kind => {
            "a header (`position`, `treaty`, `proposal`, `protocol` or `vocabulary`)"
        }
        Rule::header_date => "`date`",
        Rule::header_parties => "`parties`",
        Rule::header_source => "`source`",
        Rule::period => "`in force`",
        Rule::period_from => "`from`",
        Rule::period_until => "`until`",
        Rule::item => {
            "a declaration (`use`, `weapon types`, `holdings`, `package`, `reading`, `category`, a provision or `test`)"
        }
        Rule::import => "`use`",
        Rule::weapon_types => "`weapon types`",
        Rule::holding_attributes => "`holdings`",
        Rule::attribute => "an attribute (`name: type`)",
        Rule::attribute_type
        | Rule::type_boolean
        | Rule::type_integer
        | Rule::type_date
        | Rule::type_quantity
        | Rule::type_enum
        | Rule::type_reference
        | Rule::type_list => {
            "an attribute type (`boolean`, `integer`, `date`, `quantity in UNIT`, `one of …`, `weapon type`, `list of weapon types`)"
        }
        Rule::package => "`package`",
        Rule::reading => "`reading`",
        Rule::variant => "`variant`",
        Rule::default_mark => "`(default)`",
        Rule::quote => "`quote`",
        Rule::note => "`note`",
        Rule::category => "`category`",
        Rule::selection => "`holdings where …`",
        Rule::exception => "`when CONDITION: holdings where …`",
        Rule::provision | Rule::provision_kind => {
            "a provision (`limit`, `ban`, `assurance`, `statement`)"
        }
        Rule::scope | Rule::scope_each | Rule::scope_for | Rule::scope_by => {
            "a scope (`for each party`, `for PARTY`, `by PARTY`)"
        }
        Rule::condition => "`when`",
        Rule::limit_rule | Rule::quantity_expr => "a quantity (`count of …`, `sum of … over …`)",
        Rule::comparison | Rule::at_most | Rule::at_least => {
            "a comparison (`at most`, `at least`, `<=`, …)"
        }
        Rule::bound => "a whole number",
        Rule::ban_rule => "`no CATEGORY`",
        Rule::assurance_rule | Rule::assurance_head => "`every CATEGORY has …`",
        Rule::test => "`test`",
        Rule::test_scenario => "`scenario`",
        Rule::test_reading => "`reading`",
        Rule::expectation => "`expect`",
        Rule::verdict => {
            "a verdict (`complies`, `violated`, `undetermined`, `not_applicable`, `not_in_force`, `not_evaluable`)"
        }
        Rule::expr | Rule::primary | Rule::paren | Rule::quantity_paren => "an expression",
        Rule::or | Rule::and => "`and` or `or`",
        Rule::le | Rule::ge | Rule::ne | Rule::eq | Rule::lt | Rule::gt => "a comparison",
        Rule::add | Rule::sub | Rule::mul => "an operator",
        Rule::not => "`not`",
        Rule::in_set | Rule::in_range => "`in`",
        Rule::range_open => "`[` or `(`",
        Rule::range_close => "`]` or `)`",
        Rule::quantifier | Rule::quantifier_kind => "`any` or `every`",
        Rule::package_test => "`package … is …`",
        Rule::package_status => "a package status (`agreed`, `open`, `rejected`)",
        Rule::reading_test => "`reading … is …`",
        Rule::membership => "`in category …`",
        Rule::count => "`count of …`",
        Rule::sum | Rule::sum_head => "`sum of … over …`",
        Rule::expr_weight => "an attribute or a whole number",
        Rule::scenario_date => "`date`",
        Rule::boolean => "`yes` or `no`",
        Rule::path => "an attribute",
        Rule::ident | Rule::name => "a name",
        Rule::string | Rule::string_body => "a string in double quotes",
        Rule::integer => "a whole number",
        Rule::decimal => "a number",
        Rule::quantity => "a quantity with a unit (`600 km`)",
        Rule::unit => "a unit",
        Rule::date => "a date (`YYYY-MM-DD`)",
        _ => return None,
    })
}

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::or, Assoc::Left))
        .op(Op::infix(Rule::and, Assoc::Left))
        .op(Op::prefix(Rule::not))
        .op(Op::infix(Rule::le, Assoc::Left)
            | Op::infix(Rule::ge, Assoc::Left)
            | Op::infix(Rule::ne, Assoc::Left)
            | Op::infix(Rule::eq, Assoc::Left)
            | Op::infix(Rule::lt, Assoc::Left)
            | Op::infix(Rule::gt, Assoc::Left)
            | Op::infix(Rule::at_most, Assoc::Left)
            | Op::infix(Rule::at_least, Assoc::Left)
            | Op::postfix(Rule::in_set)
            | Op::postfix(Rule::in_range))
        .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
        .op(Op::infix(Rule::mul, Assoc::Left))
});

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let span = pair.as_span();
    Span::new(span.start(), span.end())
}

/// Where each header field was first given, to refuse a second one.
#[derive(Default)]
struct HeaderFields {
    date: Option<Span>,
    parties: Option<Span>,
    source: Option<Span>,
    period: Option<Span>,
}

/// Lowers pest pairs into the AST, collecting errors instead of stopping at the first.
struct Lower<'f> {
    file: &'f SourceFile,
    errors: Vec<ParseError>,
}

impl Lower<'_> {
    fn file(&mut self, pairs: Pairs<'_, Rule>) -> File {
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

    fn header(&mut self, pair: Pair<'_, Rule>) -> Header {
        let mut seen = HeaderFields::default();
        let mut header = Header {
            kind: Node::new(DocumentKind::Position, span_of(&pair)),
            title: Node::new(String::new(), span_of(&pair)),
            date: None,
            parties: Vec::new(),
            source: None,
            period: None,
            notes: Vec::new(),
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::document_kind => {
                    let kind = DocumentKind::parse(part.as_str()).unwrap_or(DocumentKind::Position);
                    header.kind = Node::new(kind, span_of(&part));
                }
                Rule::string => header.title = self.string(part),
                Rule::header_date => {
                    self.once("date", &mut seen.date, &part);
                    header.date = self.first_date(part);
                }
                Rule::header_parties => {
                    self.once("parties", &mut seen.parties, &part);
                    header.parties = part.into_inner().map(|p| name(&p)).collect();
                }
                Rule::header_source => {
                    self.once("source", &mut seen.source, &part);
                    header.source = part.into_inner().next().map(|p| self.string(p));
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
        let span = span_of(pair);
        match first {
            Some(first) => self
                .errors
                .push(err::repeated_field(self.file, field, span, *first)),
            None => *first = Some(span),
        }
    }

    fn period(&mut self, pair: Pair<'_, Rule>) -> Node<Period> {
        let span = span_of(&pair);
        let mut period = Period {
            from: None,
            until: None,
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::period_from => period.from = self.first_date(part),
                Rule::period_until => period.until = self.first_date(part),
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
        Node::new(pair.as_str().to_string(), span_of(pair))
    }

    fn item(&mut self, pair: Pair<'_, Rule>) -> Option<Item> {
        Some(match pair.as_rule() {
            Rule::import => Item::Import(self.first_string(pair)?),
            Rule::weapon_types => Item::WeaponTypes(self.attributes(pair)),
            Rule::holding_attributes => Item::HoldingAttributes(self.attributes(pair)),
            Rule::package => Item::Package(self.package(pair)),
            Rule::reading => Item::Reading(self.reading(pair)),
            Rule::category => Item::Category(self.category(pair)?),
            Rule::provision => Item::Provision(self.provision(pair)),
            Rule::test => Item::Test(self.test(pair)),
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
            let description = parts.next().map(|p| self.string(p));
            let ty_span = span_of(&ty_pair);
            let Some(inner) = ty_pair.into_inner().next() else {
                continue;
            };
            let ty = match inner.as_rule() {
                Rule::type_boolean => AttributeType::Boolean,
                Rule::type_integer => AttributeType::Integer,
                Rule::type_date => AttributeType::Date,
                Rule::type_quantity => match inner.into_inner().next() {
                    Some(unit) => AttributeType::Quantity(name(&unit)),
                    None => continue,
                },
                Rule::type_enum => {
                    AttributeType::Enum(inner.into_inner().map(|p| name(&p)).collect())
                }
                Rule::type_reference => AttributeType::Reference,
                _ => AttributeType::List,
            };
            attributes.push(Attribute {
                name: name(&name_pair),
                ty: Node::new(ty, ty_span),
                description,
            });
        }
        attributes
    }

    fn annotation(&mut self, pair: Pair<'_, Rule>, annotations: &mut Annotations) -> bool {
        match pair.as_rule() {
            Rule::quote => annotations.quotes.extend(self.first_string(pair)),
            Rule::note => annotations.notes.extend(self.first_string(pair)),
            _ => return false,
        }
        true
    }

    fn package(&mut self, pair: Pair<'_, Rule>) -> Package {
        let mut annotations = empty_annotations();
        let mut package_name = Node::new(String::new(), span_of(&pair));
        let mut label = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::ident => package_name = name(&part),
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
            name: Node::new(String::new(), span_of(&pair)),
            label: None,
            annotations: empty_annotations(),
            variants: Vec::new(),
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::ident => reading.name = name(&part),
                Rule::string => reading.label = Some(self.string(part)),
                Rule::variant => {
                    let mut variant = Variant {
                        name: Node::new(String::new(), span_of(&part)),
                        label: None,
                        default: None,
                    };
                    for piece in part.into_inner() {
                        match piece.as_rule() {
                            Rule::name => variant.name = name(&piece),
                            Rule::string => variant.label = Some(self.string(piece)),
                            Rule::default_mark => variant.default = Some(span_of(&piece)),
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
        let mut category_name = Node::new(String::new(), span_of(&pair));
        let mut label = None;
        let mut annotations = empty_annotations();
        let mut selection = None;
        let mut exceptions = Vec::new();
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::ident => category_name = name(&part),
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
        let span = span_of(&pair);
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
                    provision.kind = Node::new(kind, span_of(&part));
                }
                Rule::ident => provision.id = name(&part),
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
        let span = span_of(&inner);
        let scope = match inner.as_rule() {
            Rule::scope_each => Scope::EachParty,
            Rule::scope_for => Scope::For(name(&inner.into_inner().next()?)),
            _ => Scope::By(name(&inner.into_inner().next()?)),
        };
        Some(Node::new(scope, span))
    }

    fn rule(&mut self, pair: Pair<'_, Rule>) -> Option<Node<crate::ast::Rule>> {
        let span = span_of(&pair);
        let rule = match pair.as_rule() {
            Rule::limit_rule => {
                let mut parts = pair.into_inner();
                let quantity = self.expr(parts.next()?)?;
                let comparison_pair = parts.next()?;
                let comparison =
                    Node::new(comparison_of(&comparison_pair), span_of(&comparison_pair));
                let mut bounds = Vec::new();
                let mut first = true;
                while let Some(bound) = parts.next() {
                    let value = Node::new(bound.as_str().replace('_', ""), span_of(&bound));
                    let from = if first {
                        None
                    } else {
                        parts.next().map(|d| self.date(&d))
                    };
                    first = false;
                    bounds.push(Bound { value, from });
                }
                crate::ast::Rule::Limit {
                    quantity,
                    comparison,
                    bounds,
                }
            }
            Rule::ban_rule => crate::ast::Rule::Ban {
                category: name(&pair.into_inner().next()?),
            },
            _ => {
                let mut parts = pair.into_inner();
                let head = parts.next()?;
                let category = name(&head.into_inner().next()?);
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
        let span = span_of(&pair);
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
                        test.readings.push((name(&reading), name(&variant)));
                    }
                }
                Rule::expectation => {
                    let mut provision = None;
                    let mut party = None;
                    let mut verdict = None;
                    for piece in part.into_inner() {
                        match piece.as_rule() {
                            Rule::ident => provision = Some(name(&piece)),
                            Rule::name => party = Some(name(&piece)),
                            _ => verdict = Some(name(&piece)),
                        }
                    }
                    if let (Some(provision), Some(verdict)) = (provision, verdict) {
                        test.expectations.push(Expectation {
                            provision,
                            party,
                            verdict,
                        });
                    }
                }
                _ => {}
            }
        }
        test
    }

    /// Lower an expression (or a quantity expression) with the Pratt parser.
    fn expr(&mut self, pair: Pair<'_, Rule>) -> Option<Node<Expr>> {
        let span = span_of(&pair);
        let pairs = pair.into_inner();
        let terms = pairs.clone().count();
        if terms > MAX_EXPRESSION_TERMS {
            self.errors.push(err::too_long(
                self.file,
                terms,
                "terms and operators long",
                MAX_EXPRESSION_TERMS,
                span,
            ));
            return None;
        }
        let file = self.file;
        let result: Result<Node<Expr>> = PRATT
            .map_primary(|primary| self.primary(primary))
            .map_prefix(|op, operand| {
                let operand = operand?;
                let span = span_of(&op).to(operand.span);
                Ok(Node::new(Expr::Not(Box::new(operand)), span))
            })
            .map_postfix(|operand, op| {
                let operand = operand?;
                let span = operand.span.to(span_of(&op));
                postfix(file, operand, op).map(|expr| Node::new(expr, span))
            })
            .map_infix(|left, op, right| {
                let (left, right) = (left?, right?);
                let span = left.span.to(right.span);
                let op = Node::new(binary_of(&op), span_of(&op));
                Ok(Node::new(
                    Expr::Binary {
                        op,
                        left: Box::new(left),
                        right: Box::new(right),
                    },
                    span,
                ))
            })
            .parse(pairs);
        match result {
            Ok(expr) => {
                let depth = depth(&expr);
                if depth > MAX_EXPRESSION_DEPTH {
                    self.errors.push(err::too_long(
                        self.file,
                        depth,
                        "levels deep",
                        MAX_EXPRESSION_DEPTH,
                        span,
                    ));
                    return None;
                }
                Some(expr)
            }
            Err(error) => {
                self.errors.push(error);
                None
            }
        }
    }

    fn primary(&mut self, pair: Pair<'_, Rule>) -> Result<Node<Expr>> {
        let span = span_of(&pair);
        let expr = match pair.as_rule() {
            Rule::expr | Rule::quantity_expr => {
                return self.expr(pair).ok_or_else(|| self.placeholder_error(span));
            }
            Rule::paren | Rule::quantity_paren => {
                let inner = pair
                    .into_inner()
                    .next()
                    .ok_or_else(|| self.placeholder_error(span))?;
                let expr = self
                    .expr(inner)
                    .ok_or_else(|| self.placeholder_error(span))?;
                return Ok(Node::new(expr.node, span));
            }
            Rule::quantifier => {
                let mut parts = pair.into_inner();
                let quantifier = match parts.next().map(|p| p.as_str().to_string()).as_deref() {
                    Some("every") => Quantifier::Every,
                    _ => Quantifier::Any,
                };
                let list = parts.next().map(|p| path(&p)).unwrap_or_default();
                let body = parts
                    .next()
                    .and_then(|p| self.expr(p))
                    .ok_or_else(|| self.placeholder_error(span))?;
                Expr::Quantified {
                    quantifier,
                    list,
                    body: Box::new(body),
                }
            }
            Rule::package_test => {
                let mut parts = pair.into_inner();
                let package = parts
                    .next()
                    .map(|p| name(&p))
                    .ok_or_else(|| self.placeholder_error(span))?;
                let status_pair = parts.next().ok_or_else(|| self.placeholder_error(span))?;
                let status =
                    PackageStatus::parse(status_pair.as_str()).unwrap_or(PackageStatus::Rejected);
                Expr::PackageIs {
                    package,
                    status: Node::new(status, span_of(&status_pair)),
                }
            }
            Rule::reading_test => {
                let mut parts = pair.into_inner();
                match (parts.next(), parts.next()) {
                    (Some(reading), Some(variant)) => Expr::ReadingIs {
                        reading: name(&reading),
                        variant: name(&variant),
                    },
                    _ => return Err(self.placeholder_error(span)),
                }
            }
            Rule::membership | Rule::count => {
                let rule = pair.as_rule();
                let category = pair
                    .into_inner()
                    .next()
                    .map(|p| name(&p))
                    .ok_or_else(|| self.placeholder_error(span))?;
                if rule == Rule::membership {
                    Expr::InCategory(category)
                } else {
                    Expr::Count(category)
                }
            }
            Rule::sum => {
                let mut parts = pair.into_inner().filter(|p| p.as_rule() != Rule::sum_head);
                let (Some(weight), Some(category)) = (parts.next(), parts.next()) else {
                    return Err(self.placeholder_error(span));
                };
                let weight = weight
                    .into_inner()
                    .next()
                    .ok_or_else(|| self.placeholder_error(span))?;
                let weight = self.primary(weight)?;
                Expr::Sum {
                    weight: Box::new(weight),
                    category: name(&category),
                }
            }
            Rule::scenario_date => Expr::ScenarioDate,
            Rule::path => Expr::Path(path(&pair)),
            _ => Expr::Literal(self.literal(pair)?.node),
        };
        Ok(Node::new(expr, span))
    }

    fn literal(&mut self, pair: Pair<'_, Rule>) -> Result<Node<Literal>> {
        let span = span_of(&pair);
        let literal = match pair.as_rule() {
            Rule::integer => Literal::Integer(pair.as_str().replace('_', "")),
            Rule::decimal => Literal::Decimal(pair.as_str().to_string()),
            Rule::date => Literal::Date(pair.as_str().to_string()),
            Rule::boolean => Literal::Boolean(matches!(pair.as_str(), "yes" | "true")),
            Rule::string => Literal::String(self.string(pair).node),
            Rule::quantity => {
                let mut parts = pair.into_inner();
                let (Some(number), Some(unit)) = (parts.next(), parts.next()) else {
                    return Err(self.placeholder_error(span));
                };
                Literal::Quantity {
                    number: number.as_str().replace('_', ""),
                    unit: name(&unit),
                }
            }
            _ => return Err(self.placeholder_error(span)),
        };
        Ok(Node::new(literal, span))
    }

    /// The text of a string literal with its escapes resolved.
    fn string(&mut self, pair: Pair<'_, Rule>) -> Node<String> {
        let span = span_of(&pair);
        let body_pair = pair.into_inner().next();
        let body = body_pair.as_ref().map_or("", |p| p.as_str());
        let body_start = body_pair
            .as_ref()
            .map_or(span.start, |p| p.as_span().start());
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

    /// For shapes the grammar rules out; kept as an error rather than a panic.
    fn placeholder_error(&self, span: Span) -> ParseError {
        err::syntax(
            self.file,
            span,
            "this expression is incomplete".to_string(),
            "incomplete".to_string(),
            None,
        )
    }
}

fn postfix(file: &SourceFile, operand: Node<Expr>, op: Pair<'_, Rule>) -> Result<Expr> {
    let value = Box::new(operand);
    if op.as_rule() == Rule::in_set {
        let items = op
            .into_inner()
            .map(|item| {
                let span = span_of(&item);
                let text = if item.as_rule() == Rule::string {
                    item.into_inner()
                        .next()
                        .map_or(String::new(), |b| b.as_str().to_string())
                } else {
                    item.as_str().to_string()
                };
                Node::new(text, span)
            })
            .collect();
        return Ok(Expr::InSet { value, items });
    }
    let span = span_of(&op);
    let parts: Vec<Pair<'_, Rule>> = op.into_inner().collect();
    let [open, low, high, close] = parts.as_slice() else {
        return Err(err::syntax(
            file,
            span,
            "this range is incomplete".to_string(),
            "incomplete".to_string(),
            Some("write a range as `[600 km, 2500 km]`".to_string()),
        ));
    };
    let mut lower = Lower {
        file,
        errors: Vec::new(),
    };
    let low = lower.literal(low.clone())?;
    let high = lower.literal(high.clone())?;
    Ok(Expr::InRange {
        value,
        low,
        low_inclusive: open.as_str() == "[",
        high,
        high_inclusive: close.as_str() == "]",
    })
}

/// The depth of an expression tree, measured without recursion (the tree may be deep).
fn depth(expr: &Node<Expr>) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(expr, 1usize)];
    while let Some((node, level)) = stack.pop() {
        deepest = deepest.max(level);
        let next = level.saturating_add(1);
        match &node.node {
            Expr::Not(inner) => stack.push((inner, next)),
            Expr::Binary { left, right, .. } => {
                stack.push((left, next));
                stack.push((right, next));
            }
            Expr::InSet { value, .. } | Expr::InRange { value, .. } => stack.push((value, next)),
            Expr::Quantified { body, .. } => stack.push((body, next)),
            Expr::Sum { weight, .. } => stack.push((weight, next)),
            _ => {}
        }
    }
    deepest
}

fn comparison_of(pair: &Pair<'_, Rule>) -> Comparison {
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

fn binary_of(pair: &Pair<'_, Rule>) -> BinaryOp {
    match pair.as_rule() {
        Rule::or => BinaryOp::Or,
        Rule::and => BinaryOp::And,
        Rule::add => BinaryOp::Add,
        Rule::sub => BinaryOp::Sub,
        Rule::mul => BinaryOp::Mul,
        _ => BinaryOp::Compare(comparison_of(pair)),
    }
}

fn name(pair: &Pair<'_, Rule>) -> Name {
    Node::new(pair.as_str().to_string(), span_of(pair))
}

fn path(pair: &Pair<'_, Rule>) -> Vec<Name> {
    pair.clone().into_inner().map(|p| name(&p)).collect()
}

fn empty_annotations() -> Annotations {
    Annotations {
        quotes: Vec::new(),
        notes: Vec::new(),
    }
}

/// Parse text that is not in a file yet (tests, fuzzing).
pub fn parse_str(name: &str, text: &str) -> std::result::Result<File, Vec<ParseError>> {
    parse(&SourceFile::new(name, Arc::<str>::from(text)))
}
