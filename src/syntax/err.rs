//! Errors of the parsing stage: their codes, one constructor for each (so that every
//! message, label and help of the stage is written once), and pest's errors translated into
//! the language's words.

use crate::diagnostics::{Problem, closest, codes};
use crate::lang::{DocumentKind, Keyword, PackageStatus, ProvisionKind, Verdict};
use crate::span::{SourceFile, Span};

use super::Rule;

/// A rule file could not be read as the language's syntax. One builder serves every stage:
/// this is [`Problem`] with a [`Code`] of this stage.
pub type ParseError = Problem;

codes! {
    "parse",
    Syntax => "syntax", Error;
    UnterminatedString => "unterminated_string", Error;
    InvalidEscape => "invalid_escape", Error;
    TooDeep => "too_deep", Error;
    TooLarge => "too_large", Error;
    UnclosedBrace => "unclosed_brace", Error;
    UnmatchedBrace => "unmatched_brace", Error;
    RepeatedField => "repeated_field", Error;
    TooLong => "too_long", Error;
}

/// The text does not follow the grammar at `span`.
pub(super) fn syntax(
    file: &SourceFile,
    span: Span,
    message: String,
    label: String,
    help: Option<String>,
) -> ParseError {
    Problem::new(Code::Syntax, message)
        .at(file, span, label)
        .with_help_opt(help)
}

/// A string opened at `span` runs to the end of the file. `runaway`: an earlier string that
/// runs over several lines and holds a keyword (its opening quote, the keyword, its line),
/// most likely the one whose closing `"` is really missing.
pub(super) fn unterminated_string(
    file: &SourceFile,
    span: Span,
    runaway: Option<(Span, &str, usize)>,
) -> ParseError {
    let problem = Problem::new(Code::UnterminatedString, "string is never closed").at(
        file,
        span,
        "this string starts here and runs to the end of the file",
    );
    match runaway {
        Some((opening, keyword, line)) if opening != span => problem
            .also(
                opening,
                format!("this string runs over several lines and holds `{keyword}`"),
            )
            .with_help(format!(
                "the closing `\"` is most likely missing from the string opened on line {line}: \
                 every quotation mark after it pairs with the wrong one"
            )),
        _ => problem
            .with_help("add a closing `\"`; write `\\\"` for a quotation mark inside a string"),
    }
}

/// A header or provision field given a second time.
pub(super) fn repeated_field(
    file: &SourceFile,
    field: &str,
    span: Span,
    first: Span,
) -> ParseError {
    Problem::new(Code::RepeatedField, format!("`{field}` is given twice"))
        .at(file, span, "given again here")
        .also(first, "first given here")
        .with_help(format!(
            "keep one `{field}`: a second one would silently replace the first"
        ))
}

/// A `{` that no `}` closes.
pub(super) fn unclosed_brace(file: &SourceFile, span: Span) -> ParseError {
    Problem::new(Code::UnclosedBrace, "`{` is never closed")
        .at(file, span, "this block is never closed")
        .with_help("add the `}` that ends this block; every block opened with `{` ends with `}`")
}

/// A `}` with no block open.
pub(super) fn unmatched_brace(file: &SourceFile, span: Span) -> ParseError {
    Problem::new(Code::UnmatchedBrace, "`}` closes nothing")
        .at(file, span, "no block is open here")
        .with_help("remove it, or add the `{` it was meant to close")
}

/// Brackets nested deeper than `limit`.
pub(super) fn too_deep(file: &SourceFile, limit: usize, span: Span) -> ParseError {
    Problem::new(
        Code::TooDeep,
        format!("brackets nest deeper than {limit} levels"),
    )
    .at(file, span, format!("level {limit} is exceeded here"))
    .with_help("split the expression into named categories; no provision needs this depth")
}

/// An expression longer (in `unit`) than `limit`.
pub(super) fn too_long(
    file: &SourceFile,
    size: usize,
    unit: &str,
    limit: usize,
    span: Span,
) -> ParseError {
    Problem::new(
        Code::TooLong,
        format!("expression is {size} {unit}, more than the limit of {limit}"),
    )
    .at(file, span, "this expression")
    .with_help("split the expression into named categories joined with `in category`")
}

/// A rule file larger than `limit` bytes.
pub(super) fn too_large(file: &SourceFile, size: usize, limit: usize, span: Span) -> ParseError {
    Problem::new(
        Code::TooLarge,
        format!("rule file is {size} bytes, more than the limit of {limit} bytes"),
    )
    .at(file, span, "the file is cut off here")
    .with_help("split the position into several files joined by `use`")
}

/// `\escape` is not one of the string escapes.
pub(super) fn invalid_escape(file: &SourceFile, escape: char, span: Span) -> ParseError {
    Problem::new(
        Code::InvalidEscape,
        format!("unknown escape `\\{escape}` in a string"),
    )
    .at(file, span, "not an escape")
    .with_help("the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`")
}

/// Translate pest's error into the language's words.
pub(super) fn syntax_error(file: &SourceFile, error: &pest::error::Error<Rule>) -> ParseError {
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
            let help = if starts_file(text, offset) && looks_like_scenario(text) {
                Some(
                    "this looks like a scenario (TOML or JSON), not a rule file: the rule file \
                     comes first, as in `treaty eval RULES SCENARIO`"
                        .to_string(),
                )
            } else {
                match keyword_meant(positives, rest) {
                    Some(keyword) => Some(format!("did you mean `{keyword}`?")),
                    None => help_for(positives, rest),
                }
            };
            (describe_expected(&names), help)
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
    syntax(
        file,
        span,
        format!("expected {expected}, found {found}"),
        label,
        help,
    )
}

/// Whether `offset` is the file's first word: nothing but comments and space before it.
fn starts_file(text: &str, offset: usize) -> bool {
    let before = text.get(..offset).unwrap_or("");
    before
        .lines()
        .all(|line| line.trim().is_empty() || line.trim_start().starts_with("//"))
}

/// Whether the text reads as a TOML or JSON scenario: it opens with `{`, a `[table]`, a `#`
/// comment or a `key = value` line.
fn looks_like_scenario(text: &str) -> bool {
    let first = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with("//"))
        .unwrap_or("");
    first.starts_with('{')
        || first.starts_with('[')
        || first.starts_with('#')
        || first
            .split_once('=')
            .is_some_and(|(key, _)| !key.trim().is_empty() && !key.trim().contains(' '))
}

/// The keyword meant where a misspelt one stands: among the keywords pest would have
/// accepted there, the one closest to the words found (`limt` → `limit`, `at mots` →
/// `at most`).
fn keyword_meant(positives: &[Rule], rest: &str) -> Option<&'static str> {
    let mut candidates: Vec<&'static str> = positives
        .iter()
        .flat_map(|rule| keywords_for(*rule))
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    let words = leading_words(rest, 3);
    let phrases: Vec<String> = (1..=words.len())
        .filter_map(|n| words.get(..n).map(|w| w.join(" ")))
        .collect();
    // A keyword written right is not misspelt: what is wrong lies elsewhere.
    if phrases.iter().any(|p| candidates.contains(&p.as_str())) {
        return None;
    }
    // The longest keywords first, so that `at mots` is weighed as two words.
    phrases.iter().rev().find_map(|phrase| {
        let n = phrase.split(' ').count();
        let group = candidates
            .iter()
            .copied()
            .filter(|c| c.split(' ').count() == n);
        closest(phrase, group)
    })
}

/// Up to `limit` words at the start of `rest`, separated by spaces.
fn leading_words(rest: &str, limit: usize) -> Vec<&str> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut words = Vec::new();
    let mut rest = rest;
    while words.len() < limit && rest.starts_with(is_word) {
        let end = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
        words.extend(rest.get(..end));
        rest = rest
            .get(end..)
            .unwrap_or("")
            .trim_start_matches([' ', '\t']);
    }
    words
}

/// The keywords that start what `rule` stands for, from the language's word lists.
fn keywords_for(rule: Rule) -> Vec<&'static str> {
    let words = |list: &[Keyword]| list.iter().map(|k| k.as_str()).collect::<Vec<_>>();
    match rule {
        Rule::header | Rule::document_kind => {
            DocumentKind::ALL.iter().map(|k| k.as_str()).collect()
        }
        Rule::provision | Rule::provision_kind => {
            ProvisionKind::ALL.iter().map(|k| k.as_str()).collect()
        }
        Rule::package_status => PackageStatus::ALL.iter().map(|k| k.as_str()).collect(),
        Rule::verdict => Verdict::ALL.iter().map(|k| k.as_str()).collect(),
        Rule::import => words(&[Keyword::Use]),
        Rule::weapon_types => words(&[Keyword::WeaponTypes]),
        Rule::holding_attributes => words(&[Keyword::Holdings]),
        Rule::package => words(&[Keyword::Package]),
        Rule::reading | Rule::test_reading => words(&[Keyword::Reading]),
        Rule::category => words(&[Keyword::Category]),
        Rule::test => words(&[Keyword::Test]),
        Rule::header_date => words(&[Keyword::Date]),
        Rule::header_parties => words(&[Keyword::Parties]),
        Rule::header_source => words(&[Keyword::Source]),
        Rule::period => words(&[Keyword::InForce]),
        Rule::period_from => words(&[Keyword::From]),
        Rule::period_until => words(&[Keyword::Until]),
        Rule::note => words(&[Keyword::Note]),
        Rule::quote => words(&[Keyword::Quote]),
        Rule::variant => words(&[Keyword::Variant]),
        Rule::condition | Rule::exception => words(&[Keyword::When]),
        Rule::selection => words(&[Keyword::HoldingsWhere]),
        Rule::scope | Rule::scope_each => words(&[Keyword::ForEachParty]),
        Rule::ban_rule => words(&[Keyword::No]),
        Rule::assurance_rule | Rule::assurance_head => words(&[Keyword::Every]),
        Rule::count => words(&[Keyword::CountOf]),
        Rule::sum | Rule::sum_head => words(&[Keyword::SumOf]),
        Rule::comparison | Rule::at_most | Rule::at_least => {
            words(&[Keyword::AtMost, Keyword::AtLeast])
        }
        Rule::test_scenario => words(&[Keyword::Scenario]),
        Rule::expectation => words(&[Keyword::Expect]),
        _ => Vec::new(),
    }
}

/// `a, b or c`: what pest expected, in the language's words.
fn describe_expected(names: &[&str]) -> String {
    match names {
        [] => "something else".to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// How to fix the commonest mistakes, recognised by what was expected there.
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
        Rule::attribute_default => "`(default VALUE)`",
        Rule::quote => "`quote`",
        Rule::cite => "`cite`",
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
        Rule::bound_unit => "a unit",
        Rule::ban_rule => "`no CATEGORY`",
        Rule::assurance_rule | Rule::assurance_head => "`every CATEGORY has …`",
        Rule::test => "`test`",
        Rule::test_scenario => "`scenario`",
        Rule::test_reading => "`reading`",
        Rule::expectation => "`expect`",
        Rule::expected_quantity => "`with`",
        Rule::quantity_range | Rule::whole => "a quantity (`905` or `675..3079`)",
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
        Rule::expr_weight | Rule::weight_paren => "an attribute or a whole number",
        Rule::scenario_date => "`date`",
        Rule::boolean => "`yes` or `no`",
        Rule::path => "an attribute",
        Rule::ident | Rule::name => "a name",
        Rule::string => "a string in double quotes",
        Rule::integer => "a whole number",
        Rule::decimal => "a number",
        Rule::quantity => "a quantity with a unit (`600 km`)",
        Rule::unit => "a unit",
        Rule::date => "a date (`YYYY-MM-DD`)",
        _ => return None,
    })
}
