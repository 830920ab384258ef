//! `treaty schema`: the JSON Schema of the letter's scenarios, checked with an independent
//! validator. It accepts every scenario of the project and rejects each error fixture whose
//! mistake a schema can see; the mistakes it cannot see are listed, with why.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

use common::{relative, root};

/// The schema of the scenarios of the Brezhnev letter.
fn letter_schema() -> Value {
    let model = treaty::check::check_file(Path::new("rules/ussr-1977-03-15.treaty"), &root())
        .unwrap()
        .model;
    treaty::schema::scenario_schema(&model)
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::new(schema).unwrap_or_else(|e| panic!("not a valid schema: {e}"))
}

/// A scenario file as the JSON value an editor checks: TOML dates become `YYYY-MM-DD`
/// strings, as taplo gives them to the schema. `None` when the file does not parse.
fn as_json(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    if path.extension().is_some_and(|e| e == "json") {
        return serde_json::from_str(&text).ok();
    }
    let table: toml::Table = toml::from_str(&text).ok()?;
    Some(toml_to_json(toml::Value::Table(table)))
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::from(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::from(b),
        toml::Value::Datetime(d) => Value::from(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

fn files(folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(folder))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_schema_is_valid_draft_2020_12_and_accepts_every_scenario() {
    let schema = letter_schema();
    assert_eq!(schema["$schema"], treaty::schema::DIALECT);
    jsonschema::meta::validate(&schema).unwrap_or_else(|e| panic!("{e}"));
    let validator = validator(&schema);
    let scenarios = files("scenarios");
    assert!(scenarios.len() >= 6);
    for path in scenarios {
        let value = as_json(&path).unwrap_or_else(|| panic!("{} does not parse", path.display()));
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: {errors:#?}",
            relative(&path).display()
        );
    }
}

/// The error fixtures whose mistake is in the value itself or the shape of the file: the
/// schema rejects each.
const SCHEMA_LEVEL: &[&str] = &[
    "duplicate_party.toml",
    "five-mistakes.json",
    "five-mistakes.toml",
    "invalid_date-not-iso.json",
    "invalid_date.toml",
    "invalid_number-declared.toml",
    "invalid_number.toml",
    "invalid_package_state.toml",
    "missing_field-holding-without-party-and-name.json",
    "missing_field-scenario.toml",
    "missing_field.toml",
    "missing_unit.toml",
    "negative_number.toml",
    "no_parties.toml",
    "not_an_integer.toml",
    "position-crlf.toml",
    "position-empty.toml",
    "reserved_name.toml",
    "unknown_key-misplaced.toml",
    "unknown_key-scenario.toml",
    "unknown_key-top-level.toml",
    "unknown_key.toml",
    "unknown_package.toml",
    "unknown_party-declared.toml",
    "unknown_party.toml",
    "unknown_unit.toml",
    "unknown_value.toml",
    "wrong_type.toml",
    "wrong_unit-range-in-megatons.json",
    "wrong_unit.toml",
];

/// The error fixtures a schema cannot reject, and why: `treaty eval` does.
const NOT_SCHEMA_LEVEL: &[(&str, &str)] = &[
    (
        "duplicate_holding-same-name.json",
        "names unique across holdings: a schema cannot compare one item's property with another's",
    ),
    ("duplicate_holding.toml", "the same"),
    (
        "inverted_interval-count.toml",
        "the bounds of an interval in a string: a pattern cannot compare numbers",
    ),
    ("inverted_interval.toml", "the same, for a quantity"),
    ("position-tabs.toml", "an inverted interval, as above"),
    (
        "position-utf8.toml",
        "a reference to an undefined weapon type, as above",
    ),
    (
        "party_not_listed.toml",
        "a holding's party among `scenario.parties`: a value checked against another part of the file",
    ),
    (
        "unknown_type.toml",
        "a reference to a weapon type defined under `types`: the same",
    ),
    (
        "invalid_date-no-such-day.toml",
        "a TOML syntax error: the file does not parse",
    ),
    ("position-eof.json", "a JSON syntax error"),
    (
        "syntax-one-mistake-one-diagnostic.toml",
        "TOML syntax errors",
    ),
    ("syntax-trailing-comma.json", "a JSON syntax error"),
    ("syntax.toml", "a TOML syntax error"),
];

#[test]
fn the_schema_rejects_the_schema_level_mistakes() {
    let validator = validator(&letter_schema());
    let mut wrong = Vec::new();
    for path in files("tests/fixtures/scenario/err") {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let value = as_json(&path);
        if SCHEMA_LEVEL.contains(&name.as_str()) {
            match value {
                None => wrong.push(format!("{name}: does not parse")),
                Some(value) if validator.is_valid(&value) => {
                    wrong.push(format!("{name}: the schema should reject it"));
                }
                Some(_) => {}
            }
        } else if NOT_SCHEMA_LEVEL.iter().any(|(n, _)| *n == name) {
            // What parses is accepted: the schema is no stricter than the loader here.
            if let Some(value) = value {
                let errors: Vec<String> = validator
                    .iter_errors(&value)
                    .map(|e| e.to_string())
                    .collect();
                if !errors.is_empty() {
                    wrong.push(format!("{name}: rejected by the schema: {errors:?}"));
                }
            }
        } else {
            wrong.push(format!(
                "{name}: add it to SCHEMA_LEVEL or NOT_SCHEMA_LEVEL"
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The schema follows the position: its parties, its packages, its vocabulary's attributes
/// with their descriptions, and units as patterns.
#[test]
fn the_schema_follows_the_position() {
    let schema = letter_schema();
    let properties = &schema["properties"];
    assert_eq!(
        properties["scenario"]["properties"]["parties"]["items"]["enum"],
        serde_json::json!(["USA", "USSR"])
    );
    let packages = properties["packages"]["properties"].as_object().unwrap();
    assert_eq!(
        packages.keys().collect::<Vec<_>>(),
        ["backfire_withdrawn", "cruise_missiles"]
    );
    let holding = &properties["holdings"]["items"];
    assert_eq!(
        holding["required"],
        serde_json::json!(["party", "name", "count"])
    );
    assert!(
        holding["properties"]["mirv_equipped"]["description"]
            .as_str()
            .unwrap()
            .starts_with("the launchers actually carry MIRVed missiles")
    );
    let validator = validator(&schema);
    let range = |value: &str| {
        serde_json::json!({
            "scenario": {"title": "t", "date": "1979-06-18", "parties": ["USA"]},
            "types": {"X": {"range": value}},
        })
    };
    for good in [
        "13000 km",
        "2200..5500 km",
        "1 mi..2 km",
        "1.5 nmi",
        "unknown",
    ] {
        assert!(validator.is_valid(&range(good)), "{good}");
    }
    for bad in ["13000", "3 kt", "13,000 km", "2200 km..5500", "3 KM"] {
        assert!(!validator.is_valid(&range(bad)), "{bad}");
    }
}

/// `treaty schema` prints it; the snapshot is what an editor reads.
#[test]
fn treaty_schema_prints_the_schema() {
    let output = assert_cmd::Command::cargo_bin("treaty")
        .unwrap()
        .current_dir(root())
        .args(["schema", "rules/ussr-1977-03-15.treaty"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let printed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(printed, letter_schema());
    insta::assert_snapshot!("letter", text);
}

/// A vocabulary names no parties or packages: its schema takes any party name.
#[test]
fn a_vocabulary_has_a_schema_too() {
    let model = treaty::check::check_file(Path::new("rules/vocabulary/strategic.treaty"), &root())
        .unwrap()
        .model;
    let schema = treaty::schema::scenario_schema(&model);
    jsonschema::meta::validate(&schema).unwrap_or_else(|e| panic!("{e}"));
    let validator = validator(&schema);
    let scenario = serde_json::json!({
        "$schema": "./vocabulary.schema.json",
        "scenario": {"title": "t", "date": "1979-06-18", "parties": ["UK"]},
        "holdings": [{"party": "UK", "name": "Polaris", "count": 64, "class": "slbm_launcher"}],
    });
    assert!(validator.is_valid(&scenario));
}
