//! The JSON Schema (draft 2020-12) of the scenarios a position accepts: its parties, its
//! packages and its vocabulary's attributes, with their types, units and descriptions.
//!
//! Editors use it to complete and check scenario files as they are typed (JSON directly; TOML
//! through taplo, e.g. the Even Better TOML extension, with a `#:schema` comment). The schema
//! says what can be said of each value on its own: names that must match another part of the
//! file (a holding's weapon type among `types`, its party among `scenario.parties`, unique
//! holding names) and the order of an interval's bounds are left to `treaty eval`, which checks
//! everything the schema does and those too.
#![warn(missing_docs)]

use serde_json::{Map, Value, json};

use crate::model::{AttributeDef, AttributeType, Dimension, Model, UNITS};
use crate::scenario::MAX_HOLDINGS;

/// The dialect of the schemas written here.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The schema of the scenarios `model` accepts, as pretty-printed JSON with a final newline.
pub fn render(model: &Model) -> String {
    let mut text = serde_json::to_string_pretty(&scenario_schema(model)).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema of the scenarios `model` accepts.
pub fn scenario_schema(model: &Model) -> Value {
    let holding_keys = [
        ("party", party_name(model, "whose holding it is")),
        (
            "name",
            described(
                json!({"type": "string"}),
                "how reports name the holding; unique in the file",
            ),
        ),
        ("count", def("count")),
        (
            "source",
            described(
                json!({"type": "string"}),
                "where the figures of this holding come from",
            ),
        ),
        (
            "estimated",
            described(
                json!({"type": "boolean", "default": false}),
                "the figures are an estimate, not a verified figure; reports mark what rests on them",
            ),
        ),
    ];
    let mut holding = Map::new();
    for (key, schema) in holding_keys {
        holding.insert(key.to_owned(), schema);
    }
    for attribute in &model.vocabulary.holding_attributes {
        holding.insert(attribute.name.clone(), attribute_schema(attribute));
    }
    let mut weapon_type = Map::new();
    for attribute in &model.vocabulary.type_attributes {
        weapon_type.insert(attribute.name.clone(), attribute_schema(attribute));
    }
    let mut packages = Map::new();
    for package in &model.packages {
        let mut text = String::from("the state of the package");
        if let Some(label) = &package.label {
            text = format!("{label}: {text}");
        }
        packages.insert(
            package.name.clone(),
            described(
                json!({"enum": ["agreed", "open", "rejected", "unknown"]}),
                &format!("{text}; `unknown` or left out when it is not known"),
            ),
        );
    }
    json!({
        "$schema": DIALECT,
        "title": format!("Scenario for “{}”", model.title),
        "description": format!(
            "A scenario for `treaty eval {}`: the forces of each party at one date. Written by `treaty schema`; see docs/scenario-format.md.",
            model.file.name
        ),
        "type": "object",
        "required": ["scenario"],
        "additionalProperties": false,
        "properties": {
            "$schema": described(json!({"type": "string"}), "the schema editors check this file against; ignored by treaty"),
            "scenario": {
                "description": "title, date, source and parties of the scenario",
                "type": "object",
                "required": ["title", "date", "parties"],
                "additionalProperties": false,
                "properties": {
                    "title": described(json!({"type": "string"}), "shown at the head of every report"),
                    "date": described(def("date"), "the date of the forces: which provisions are in force, and which bounds"),
                    "source": described(json!({"type": "string"}), "where the figures come from, for the reader"),
                    "parties": described(
                        json!({"type": "array", "minItems": 1, "uniqueItems": true, "items": party_name(model, "a party of the position")}),
                        "the parties the scenario describes, each once; only these are evaluated",
                    ),
                },
            },
            "packages": {
                "description": "the state of each package of the position; a package left out is not known",
                "type": "object",
                "additionalProperties": false,
                "properties": packages,
            },
            "types": {
                "description": "the weapon types, by name; holdings refer to them by name",
                "type": "object",
                "propertyNames": {"not": {"const": "unknown"}},
                "additionalProperties": {
                    "description": "a weapon type: what the scenario says of each of its attributes",
                    "type": "object",
                    "additionalProperties": false,
                    "properties": weapon_type,
                },
            },
            "holdings": {
                "description": "what each party holds, one entry per group of launchers, aircraft or missiles counted alike",
                "type": "array",
                "maxItems": MAX_HOLDINGS,
                "items": {
                    "type": "object",
                    "required": ["party", "name", "count"],
                    "additionalProperties": false,
                    "properties": holding,
                },
            },
            "declared": {
                "description": "the figures each party declared, keyed by provision id: reported beside the quantity computed from the holdings",
                "type": "object",
                "propertyNames": party_name(model, "a party of the position"),
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": def("figure"),
                },
            },
        },
        "$defs": defs(),
    })
}

/// `{"$ref": "#/$defs/NAME"}`.
fn def(name: &str) -> Value {
    json!({"$ref": format!("#/$defs/{name}")})
}

/// `schema` with a description.
fn described(mut schema: Value, description: &str) -> Value {
    if let Some(object) = schema.as_object_mut() {
        object.insert("description".to_owned(), Value::from(description));
    }
    schema
}

/// A party's name: one of the position's parties (any string when it names none).
fn party_name(model: &Model, description: &str) -> Value {
    if model.parties.is_empty() {
        described(json!({"type": "string"}), description)
    } else {
        described(json!({"enum": model.parties}), description)
    }
}

/// A whole number written as text, and an interval of them.
const WHOLE: &str = "[0-9]+";
/// A number with an optional fraction.
const DECIMAL: &str = r"[0-9]+(\.[0-9]+)?";

/// The shared definitions: dates, counts, figures and `"unknown"`.
fn defs() -> Value {
    json!({
        "unknown": described(json!({"const": "unknown"}), "not known"),
        "date": described(
            json!({"type": "string", "format": "date", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"}),
            "a date, YYYY-MM-DD (in TOML a date literal or a string)",
        ),
        "count": described(
            json!({"anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "pattern": format!(r"^\s*(unknown|{WHOLE}(\s*\.\.\s*({WHOLE}|unknown))?)\s*$")},
            ]}),
            "how many: a whole number, an interval \"140..160\" (\"140..unknown\": at least 140), or \"unknown\"",
        ),
        "figure": described(
            json!({"anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "pattern": format!(r"^\s*{WHOLE}(\s*\.\.\s*{WHOLE})?\s*$")},
            ]}),
            "a declared figure: a whole number, or a closed interval \"798..800\"",
        ),
    })
}

/// The schema of one attribute's values, `"unknown"` included.
fn attribute_schema(attribute: &AttributeDef) -> Value {
    let unknown = def("unknown");
    let values = match &attribute.ty {
        AttributeType::Boolean => json!({"anyOf": [{"type": "boolean"}, unknown]}),
        AttributeType::Integer => json!({"anyOf": [
            {"type": "integer", "minimum": 0},
            {"type": "string", "pattern": format!(r"^\s*{WHOLE}(\s*\.\.\s*{WHOLE})?\s*$")},
            unknown,
        ]}),
        AttributeType::Date => json!({"anyOf": [def("date"), unknown]}),
        AttributeType::Quantity { unit } => {
            json!({"anyOf": [quantity(unit.dimension), unknown]})
        }
        AttributeType::Enum { values } => {
            let mut all: Vec<&str> = values.iter().map(String::as_str).collect();
            all.push("unknown");
            json!({"enum": all})
        }
        AttributeType::Reference => json!({"type": "string"}),
        AttributeType::List => json!({"anyOf": [
            {"type": "array", "items": {"type": "string", "not": {"const": "unknown"}}},
            unknown,
        ]}),
    };
    let kind = match &attribute.ty {
        AttributeType::Boolean => "true or false".to_owned(),
        AttributeType::Integer => {
            "a whole number, or an interval of whole numbers \"3..10\"".to_owned()
        }
        AttributeType::Reference => "the name of a weapon type in `types`".to_owned(),
        AttributeType::List => "a list of names of weapon types in `types`".to_owned(),
        AttributeType::Quantity { unit } => format!(
            "{}, as a string with a unit: \"13000 {}\", or an interval \"2200..5500 {}\"",
            attribute.ty.describe(),
            unit.symbol,
            unit.symbol
        ),
        other => other.describe(),
    };
    let text = match &attribute.description {
        Some(description) => format!("{description} ({kind}, or \"unknown\")"),
        None => format!("{kind}, or \"unknown\""),
    };
    described(values, &text)
}

/// A quantity of `dimension` as a string: `"13000 km"`, `"2200..5500 km"`,
/// `"1 mi..2 km"`; the unit after the upper bound is required.
fn quantity(dimension: Dimension) -> Value {
    let units: Vec<&str> = UNITS
        .iter()
        .filter(|u| u.dimension == dimension)
        .map(|u| u.symbol)
        .collect();
    let unit = format!("({})", units.join("|"));
    json!({
        "type": "string",
        "pattern": format!(r"^\s*{DECIMAL}\s*({unit}|{unit}?\s*\.\.\s*{DECIMAL}\s*{unit})\s*$"),
    })
}
