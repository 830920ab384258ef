#![expect(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "a test: a panic is a failing test"
)]

//! The editor grammar, `editors/treaty.tmLanguage.json`, tokenises every rule file of the repo
//! with each keyword scoped as a keyword.
//!
//! What is a keyword, and where, is not written down a second time here: the words are taken
//! from `docs/language.md` (its reserved words, checked against the grammar's `keyword` rule)
//! and `treaty::lang` (kinds, package states, verdicts), and their occurrences from the pest
//! grammar itself. A file is parsed with `grammar/treaty.pest`; every word that no name,
//! number, date, unit or string of the parse covers is a word of the syntax, and must carry a
//! `keyword.*` scope; every name must not. Values among the keywords (yes/no/true/false,
//! package states, verdicts) carry `constant.language.*` innermost as well.
//!
//! syntect reads Sublime's `.sublime-syntax`, not TextMate's JSON, so the JSON grammar is
//! translated here (the few TextMate rule forms it uses map one to one); the grammar stays the
//! single source.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use pest::Parser as _;
use pest_derive::Parser;
use serde_json::{Map, Value, json};
use syntect::parsing::{ParseState, ScopeStack, SyntaxDefinition, SyntaxSet, SyntaxSetBuilder};
use treaty::lang::{DocumentKind, PackageStatus, ProvisionKind, Verdict};

#[derive(Parser)]
#[grammar = "../grammar/treaty.pest"]
struct TreatyParser;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: impl AsRef<Path>) -> String {
    let path = root().join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ───────────────────────── The grammar, for syntect ─────────────────────────

fn grammar() -> Value {
    serde_json::from_str(&read("editors/treaty.tmLanguage.json")).unwrap()
}

/// The TextMate grammar as a `.sublime-syntax`, written as JSON (which is YAML).
fn sublime_syntax(grammar: &Value) -> String {
    let mut contexts = Map::new();
    contexts.insert("main".into(), context(&grammar["patterns"]));
    for (key, item) in grammar["repository"].as_object().unwrap() {
        assert_ne!(key, "main", "a repository item may not be called `main`");
        let patterns = if item.get("patterns").is_some() && item.get("begin").is_none() {
            context(&item["patterns"])
        } else {
            Value::Array(vec![rule(item)])
        };
        contexts.insert(key.clone(), patterns);
    }
    let syntax = json!({
        "name": grammar["name"],
        "scope": grammar["scopeName"],
        "file_extensions": grammar["fileTypes"],
        "contexts": contexts,
    });
    // YAML reads `"1":` as a string key, and syntect wants capture groups as numbers.
    let json = serde_json::to_string_pretty(&syntax).unwrap();
    json.lines()
        .map(|line| {
            let key = line
                .trim_start()
                .strip_prefix('"')
                .and_then(|rest| rest.split_once("\": "));
            match key {
                Some((group, value)) if group.bytes().all(|b| b.is_ascii_digit()) => {
                    let indent = &line[..line.len() - line.trim_start().len()];
                    format!("{indent}{group}: {value}\n")
                }
                _ => format!("{line}\n"),
            }
        })
        .collect()
}

fn context(patterns: &Value) -> Value {
    Value::Array(patterns.as_array().unwrap().iter().map(rule).collect())
}

/// One TextMate rule as a Sublime one. A rule form this does not know fails the test rather
/// than being tokenised differently from an editor.
fn rule(tm: &Value) -> Value {
    let tm = tm.as_object().unwrap();
    let known = [
        "comment",
        "include",
        "match",
        "name",
        "captures",
        "begin",
        "end",
        "beginCaptures",
        "endCaptures",
        "contentName",
        "patterns",
    ];
    for key in tm.keys() {
        assert!(
            known.contains(&key.as_str()),
            "TextMate key `{key}` is not translated"
        );
    }
    if let Some(include) = tm.get("include").and_then(Value::as_str) {
        let target = match include {
            "$self" => "main",
            local => local
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("include `{include}`")),
        };
        return json!({ "include": target });
    }
    let mut out = Map::new();
    if let Some(regex) = tm.get("match") {
        out.insert("match".into(), regex.clone());
        if let Some(name) = tm.get("name") {
            out.insert("scope".into(), name.clone());
        }
        if let Some(captures) = tm.get("captures") {
            out.insert("captures".into(), captures_of(captures));
        }
        return Value::Object(out);
    }
    let begin = tm
        .get("begin")
        .unwrap_or_else(|| panic!("a rule without match or begin"));
    let end = &tm["end"];
    let both = tm.get("captures").cloned().unwrap_or(json!({}));
    let begin_captures = tm.get("beginCaptures").unwrap_or(&both);
    let end_captures = tm.get("endCaptures").unwrap_or(&both);
    // The end comes first: in TextMate it wins over the inner patterns at the same place.
    let mut inner = Vec::new();
    if let Some(name) = tm.get("name") {
        inner.push(json!({ "meta_scope": name }));
    }
    if let Some(name) = tm.get("contentName") {
        inner.push(json!({ "meta_content_scope": name }));
    }
    inner.push(json!({ "match": end, "captures": captures_of(end_captures), "pop": true }));
    if let Some(patterns) = tm.get("patterns") {
        inner.extend(patterns.as_array().unwrap().iter().map(rule));
    }
    out.insert("match".into(), begin.clone());
    out.insert("captures".into(), captures_of(begin_captures));
    out.insert("push".into(), Value::Array(inner));
    Value::Object(out)
}

fn captures_of(tm: &Value) -> Value {
    let mut out = Map::new();
    for (group, capture) in tm.as_object().unwrap() {
        let capture = capture.as_object().unwrap();
        assert!(
            capture.keys().all(|key| key == "name"),
            "capture {group}: only `name` is translated"
        );
        out.insert(group.clone(), capture["name"].clone());
    }
    Value::Object(out)
}

fn syntax_set() -> SyntaxSet {
    let yaml = sublime_syntax(&grammar());
    let definition = SyntaxDefinition::load_from_str(&yaml, true, None)
        .unwrap_or_else(|e| panic!("the grammar does not load: {e}\n{yaml}"));
    let mut builder = SyntaxSetBuilder::new();
    builder.add(definition);
    builder.build()
}

/// The scopes of each byte of `text`, outermost first.
struct Tokens {
    stacks: Vec<Vec<String>>,
    at: Vec<usize>,
}

impl Tokens {
    fn scopes(&self, byte: usize) -> &[String] {
        &self.stacks[self.at[byte]]
    }

    /// Some scope of the byte starts with `prefix`.
    fn has(&self, byte: usize, prefix: &str) -> bool {
        self.scopes(byte).iter().any(|s| s.starts_with(prefix))
    }
}

fn tokenise(set: &SyntaxSet, text: &str) -> Tokens {
    let syntax = set.find_syntax_by_name("treaty").unwrap();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut tokens = Tokens {
        stacks: Vec::new(),
        at: Vec::with_capacity(text.len()),
    };
    let snapshot = |stack: &ScopeStack| stack.as_slice().iter().map(|s| s.build_string()).collect();
    for line in text.split_inclusive('\n') {
        let ops = state
            .parse_line(line, set)
            .unwrap_or_else(|e| panic!("{e}: {line}"));
        let mut done = 0;
        for (offset, op) in ops {
            tokens.stacks.push(snapshot(&stack));
            let current = tokens.stacks.len() - 1;
            tokens
                .at
                .extend(std::iter::repeat_n(current, offset - done));
            done = offset;
            stack.apply(&op).unwrap();
        }
        tokens.stacks.push(snapshot(&stack));
        let current = tokens.stacks.len() - 1;
        tokens
            .at
            .extend(std::iter::repeat_n(current, line.len() - done));
    }
    assert_eq!(tokens.at.len(), text.len());
    tokens
}

// ───────────────────────── What is what, by the parser ─────────────────────────

/// What the pest grammar says each part of a file is.
#[derive(Default)]
struct Truth {
    /// Names of categories, provisions, attributes, parties…: never keywords.
    names: Vec<Range<usize>>,
    units: Vec<Range<usize>>,
    numbers: Vec<Range<usize>>,
    dates: Vec<Range<usize>>,
    strings: Vec<Range<usize>>,
    comments: Vec<Range<usize>>,
    /// Every other word: a word of the syntax (a keyword), with the rule it stands in.
    keywords: Vec<(Range<usize>, Rule)>,
}

fn truth(text: &str, file: &str) -> Truth {
    let pairs = TreatyParser::parse(Rule::file, text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut truth = Truth::default();
    let mut covered = vec![false; text.len()];
    // The innermost rule each byte stands in, for the keywords' own scopes.
    let mut rule_at = vec![Rule::file; text.len()];
    for pair in pairs.flatten() {
        let span = pair.as_span().start()..pair.as_span().end();
        for byte in span.clone() {
            rule_at[byte] = pair.as_rule();
        }
        let list = match pair.as_rule() {
            Rule::ident | Rule::name => &mut truth.names,
            Rule::unit => &mut truth.units,
            Rule::integer | Rule::decimal => &mut truth.numbers,
            Rule::date => &mut truth.dates,
            Rule::string => &mut truth.strings,
            _ => continue,
        };
        covered[span.clone()].fill(true);
        list.push(span);
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if covered[i] {
            i += 1;
        } else if bytes[i..].starts_with(b"//") {
            let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
            truth.comments.push(i..end);
            i = end;
        } else if bytes[i].is_ascii_alphabetic() || bytes[i] == b'_' {
            let start = i;
            while i < bytes.len()
                && !covered[i]
                && (bytes[i].is_ascii_alphabetic() || bytes[i] == b'_')
            {
                i += 1;
            }
            truth.keywords.push((start..i, rule_at[start]));
        } else {
            assert!(
                !bytes[i].is_ascii_digit(),
                "{file}: a digit outside every number, date and name at byte {i}"
            );
            i += 1;
        }
    }
    truth
}

// ───────────────────────── The keywords, from the docs ─────────────────────────

/// The reserved words, from the code block under `### Keywords` in docs/language.md.
fn reserved_words() -> BTreeSet<String> {
    let docs = read("docs/language.md");
    let section = docs.split("### Keywords").nth(1).unwrap();
    let block = section.split("```").nth(1).unwrap();
    block.split_whitespace().map(str::to_string).collect()
}

/// Every keyword the docs name: the reserved words, the kinds of document and provision, the
/// package states and the verdicts, each of which the docs write in backticks.
fn documented_keywords() -> BTreeSet<String> {
    let docs = read("docs/language.md");
    let mut words = reserved_words();
    let lists = [
        DocumentKind::ALL
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>(),
        ProvisionKind::ALL.iter().map(|w| w.as_str()).collect(),
        PackageStatus::ALL.iter().map(|w| w.as_str()).collect(),
        Verdict::ALL.iter().map(|w| w.as_str()).collect(),
    ];
    for word in lists.into_iter().flatten() {
        assert!(
            docs.contains(&format!("`{word}`")),
            "docs/language.md does not name `{word}`"
        );
        words.insert(word.to_string());
    }
    words
}

/// The units of the table under `### Quantities and units`.
fn documented_units() -> Vec<String> {
    let docs = read("docs/language.md");
    let section = docs.split("### Quantities and units").nth(1).unwrap();
    let section = section.split("###").next().unwrap();
    let units: Vec<String> = section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .map(str::to_string)
        .collect();
    assert!(units.len() >= 8, "the units table was not found: {units:?}");
    units
}

// ───────────────────────── The files ─────────────────────────

/// The repo's rule files, the fixtures that check clean, and this test's own file of every
/// keyword.
fn rule_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "treaty") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for dir in ["rules", "tests/fixtures/check/ok", "tests/highlighting"] {
        walk(&root().join(dir), &mut files);
    }
    files.sort();
    assert!(files.len() >= 10, "rule files not found: {files:?}");
    files
}

/// The scope the keywords of some rules carry besides `keyword.*`.
fn scope_of_rule(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::document_kind => "keyword.declaration.document.treaty",
        Rule::provision_kind => "keyword.declaration.provision.treaty",
        Rule::and | Rule::or | Rule::not => "keyword.operator.logical.treaty",
        Rule::at_most | Rule::at_least => "keyword.operator.comparison.treaty",
        Rule::boolean => "constant.language.boolean.treaty",
        Rule::package_status => "constant.language.package-status.treaty",
        Rule::verdict => "constant.language.verdict.treaty",
        _ => return None,
    })
}

/// Checks one file; returns the keywords and units met, by word.
fn check_file(set: &SyntaxSet, path: &Path, seen: &mut BTreeMap<String, usize>) -> Vec<String> {
    let file = path.strip_prefix(root()).unwrap().display().to_string();
    let text = std::fs::read_to_string(path).unwrap();
    let truth = truth(&text, &file);
    let tokens = tokenise(set, &text);
    let mut problems = Vec::new();
    let line_of = |byte: usize| text[..byte].matches('\n').count() + 1;
    let mut expect = |range: &Range<usize>, what: &str, ok: &dyn Fn(usize) -> bool| {
        // Whitespace inside a string or between `at` and `most` may carry any scope.
        if let Some(byte) = range
            .clone()
            .find(|&b| !text.as_bytes()[b].is_ascii_whitespace() && !ok(b))
        {
            problems.push(format!(
                "{file}:{}: `{}` should be {what}, is {:?}",
                line_of(byte),
                &text[range.clone()],
                tokens.scopes(byte)
            ));
        }
    };
    for (range, rule) in &truth.keywords {
        expect(range, "a keyword", &|b| tokens.has(b, "keyword."));
        if let Some(scope) = scope_of_rule(*rule) {
            expect(range, scope, &|b| tokens.has(b, scope));
        }
        *seen.entry(text[range.clone()].to_string()).or_default() += 1;
    }
    for range in &truth.names {
        expect(range, "a name, not a keyword or constant", &|b| {
            !tokens.has(b, "keyword.") && !tokens.has(b, "constant.language.")
        });
    }
    for range in &truth.units {
        expect(range, "a unit", &|b| {
            tokens.has(b, "keyword.other.unit.treaty")
        });
        *seen.entry(text[range.clone()].to_string()).or_default() += 1;
    }
    for range in &truth.numbers {
        expect(range, "a number", &|b| {
            tokens.has(b, "constant.numeric.treaty")
        });
    }
    for range in &truth.dates {
        expect(range, "a date", &|b| {
            tokens.has(b, "constant.other.date.treaty")
        });
    }
    for range in &truth.strings {
        expect(range, "a string", &|b| {
            tokens.has(b, "string.quoted.double.treaty")
        });
        // `\x` is an escape, whose `x` may itself be a backslash.
        let mut at = range.start;
        while at < range.end {
            if text.as_bytes()[at] == b'\\' {
                expect(&(at..at + 2), "an escape", &|b| {
                    tokens.has(b, "constant.character.escape.treaty")
                });
                at += 2;
            } else {
                at += 1;
            }
        }
    }
    for range in &truth.comments {
        expect(range, "a comment", &|b| {
            tokens.has(b, "comment.line.double-slash.treaty")
        });
    }
    if let Some(byte) = (0..text.len()).find(|&b| tokens.has(b, "invalid.")) {
        problems.push(format!(
            "{file}:{}: scoped invalid: {:?}",
            line_of(byte),
            tokens.scopes(byte)
        ));
    }
    problems
}

// ───────────────────────── Tests ─────────────────────────

#[test]
fn every_rule_file_is_tokenised_with_each_keyword_scoped_as_a_keyword() {
    let set = syntax_set();
    let mut seen = BTreeMap::new();
    let mut problems = Vec::new();
    for path in rule_files() {
        problems.extend(check_file(&set, &path, &mut seen));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    let unseen: Vec<_> = documented_keywords()
        .into_iter()
        .chain(documented_units())
        .filter(|word| !seen.contains_key(word))
        .collect();
    assert!(
        unseen.is_empty(),
        "no rule file uses {unseen:?} where the parser reads it as a keyword or unit: \
         add it to tests/highlighting/keywords.treaty"
    );
}

#[test]
fn the_documented_reserved_words_are_the_grammars() {
    let pest = read("grammar/treaty.pest");
    let rule = pest.split("keyword = @{").nth(1).unwrap();
    let rule = rule.split("~ !ident_char").next().unwrap();
    // The words are grouped by first letter, one group a line: `| "c" ~ ("ount" | "ategory")`.
    let mut grammar = BTreeSet::new();
    for line in rule.lines().filter(|l| !l.trim_start().starts_with("//")) {
        let quoted: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
        match (line.contains('~'), quoted.split_first()) {
            (true, Some((first, rest))) => {
                grammar.extend(rest.iter().map(|r| format!("{first}{r}")));
            }
            _ => grammar.extend(quoted.iter().map(|w| w.to_string())),
        }
    }
    assert_eq!(reserved_words(), grammar);
}

#[test]
fn a_name_that_contains_a_keyword_is_not_a_keyword() {
    let set = syntax_set();
    let names = [
        "limits_total",
        "notable",
        "orbit",
        "isolated",
        "in_force",
        "counted",
        "undated",
        "at_most_two",
        "holdings_where",
        "package_deal",
        "every_one",
        "yesterday",
        "nothing",
    ];
    for name in names {
        let text = format!(
            "category {name} \"…\" {{\n    holdings where class = {name} and in category {name}\n}}\n\
             limit {name}_ceiling for each party {{\n    count of {name} at most 10\n}}\n"
        );
        TreatyParser::parse(Rule::file, &text).unwrap_or_else(|e| panic!("{text}\n{e}"));
        let tokens = tokenise(&set, &text);
        for (at, _) in text.match_indices(name) {
            for byte in at..at + name.len() {
                assert!(
                    !tokens.has(byte, "keyword."),
                    "`{name}` at byte {at} of\n{text}is scoped {:?}",
                    tokens.scopes(byte)
                );
            }
        }
    }
}

#[test]
fn lines_get_the_scopes_a_reader_expects() {
    let set = syntax_set();
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "count of delivery_vehicles at most 2400, then 2250 from 1981-01-01",
            &[
                ("count", "keyword.other.count.treaty"),
                ("delivery_vehicles", "variable.other.category.treaty"),
                ("most", "keyword.operator.comparison.treaty"),
                ("2400", "constant.numeric.treaty"),
                ("then", "keyword.control.conditional.treaty"),
                ("1981-01-01", "constant.other.date.treaty"),
            ],
        ),
        (
            "limit aggregate_ceiling \"label\" for each party {",
            &[
                ("limit", "keyword.declaration.provision.treaty"),
                ("aggregate_ceiling", "entity.name.function.provision.treaty"),
                ("label", "string.quoted.double.treaty"),
                ("each", "keyword.other.scope.treaty"),
            ],
        ),
        (
            "    and any armament has (class = cruise_missile and range in [600 km, 2500km])",
            &[
                ("any", "keyword.other.quantifier.treaty"),
                ("armament", "variable.other.treaty"),
                ("600", "constant.numeric.treaty"),
                ("km", "keyword.other.unit.treaty"),
                ("2500", "constant.numeric.treaty"),
            ],
        ),
        (
            "    range: quantity in km \"the range\" // a comment",
            &[
                ("range", "variable.other.property.treaty"),
                ("quantity", "keyword.other.type.treaty"),
                ("km", "keyword.other.unit.treaty"),
                ("comment", "comment.line.double-slash.treaty"),
            ],
        ),
        (
            "    when package cruise_missiles is agreed:",
            &[
                ("package", "keyword.other.package.treaty"),
                ("cruise_missiles", "variable.other.package.treaty"),
                ("agreed", "constant.language.package-status.treaty"),
            ],
        ),
        (
            "    expect aggregate_ceiling for USSR not_in_force",
            &[
                ("expect", "keyword.other.expect.treaty"),
                ("USSR", "constant.other.party.treaty"),
                ("not_in_force", "constant.language.verdict.treaty"),
            ],
        ),
        (
            "    note \"a \\\"quoted\\\" word\"",
            &[
                ("note", "keyword.other.field.treaty"),
                ("\\\"", "constant.character.escape.treaty"),
            ],
        ),
    ];
    // Each word is looked for after the one before it.
    for (line, expected) in cases {
        let tokens = tokenise(&set, &format!("{line}\n"));
        let mut from = 0;
        for (word, scope) in *expected {
            let at = from
                + line[from..]
                    .find(word)
                    .unwrap_or_else(|| panic!("`{word}` not in `{line}`"));
            from = at + word.len();
            let scopes = tokens.scopes(at);
            assert_eq!(
                scopes.last().map(String::as_str),
                Some(*scope),
                "`{word}` in `{line}`: {scopes:?}"
            );
        }
    }
}

#[test]
fn the_vscode_extension_points_at_the_grammar() {
    let package: Value = serde_json::from_str(&read("editors/vscode/package.json")).unwrap();
    let contributes = &package["contributes"];
    let language = &contributes["languages"][0];
    assert_eq!(language["id"], "treaty");
    assert_eq!(language["extensions"], json!([".treaty"]));
    let config_path = language["configuration"].as_str().unwrap();
    let config: Value =
        serde_json::from_str(&read(Path::new("editors/vscode").join(config_path))).unwrap();
    assert_eq!(config["comments"]["lineComment"], "//");

    let grammar_entry = &contributes["grammars"][0];
    assert_eq!(grammar_entry["language"], "treaty");
    assert_eq!(grammar_entry["scopeName"], grammar()["scopeName"]);
    // The extension ships a copy of editors/treaty.tmLanguage.json, made by `npm install`.
    assert_eq!(
        grammar_entry["path"], "./syntaxes/treaty.tmLanguage.json",
        "see the `sync-grammar` script of editors/vscode/package.json"
    );
}
