use super::*;
use crate::diagnostics::{closest, list};
use crate::lang::{DocumentKind, PackageStatus};
use crate::model::{AttributeDef, AttributeType, Package, Period};
use miette::{Diagnostic, LabeledSpan};

fn attribute(name: &str, ty: AttributeType) -> AttributeDef {
    AttributeDef {
        name: name.to_owned(),
        ty,
        description: None,
        default: None,
    }
}

/// A model with the vocabulary of `rules/vocabulary/strategic.treaty`, the parties and
/// packages of the Brezhnev letter.
/// Where the test-only `deployed` date sits among the type attributes.
fn deployed() -> usize {
    strategic_model()
        .vocabulary
        .type_attribute("deployed")
        .unwrap()
}

fn strategic_model() -> Model {
    let mut vocabulary = crate::model::strategic_vocabulary();
    // Not in the strategic vocabulary: dates are checked too.
    vocabulary
        .type_attributes
        .push(attribute("deployed", AttributeType::Date));
    let package = |name: &str| Package {
        name: name.to_owned(),
        label: None,
        quotes: Vec::new(),
        cites: Vec::new(),
        notes: Vec::new(),
    };
    Model {
        kind: DocumentKind::Position,
        title: "test position".to_owned(),
        date: None,
        parties: vec!["USA".to_owned(), "USSR".to_owned()],
        entry_into_force: None,
        source: None,
        sources: Vec::new(),
        period: Period::default(),
        period_written: Default::default(),
        notes: Vec::new(),
        vocabulary,
        packages: vec![package("cruise_missiles"), package("backfire_withdrawn")],
        readings: Vec::new(),
        categories: Vec::new(),
        provisions: Vec::new(),
        tests: Vec::new(),
        file: SourceFile::new("test", ""),
        coverage: None,
        citations: Default::default(),
    }
}

fn load_text(name: &str, text: &str) -> Result<Facts, Vec<ScenarioError>> {
    load(&SourceFile::new(name, text), &strategic_model())
}

fn ok(name: &str, text: &str) -> Facts {
    match load_text(name, text) {
        Ok(facts) => facts,
        Err(errors) => panic!("{name}: {:#?}", rendered(&errors)),
    }
}

/// (code, line, text under the primary label) of each diagnostic.
fn diagnostics(text: &str, errors: &[ScenarioError]) -> Vec<(String, usize, String)> {
    let file = SourceFile::new("x", text);
    errors
        .iter()
        .map(|err| {
            let code = err.code().map(|c| c.to_string()).unwrap_or_default();
            let labels: Vec<_> = err.labels().map(Iterator::collect).unwrap_or_default();
            let primary = labels
                .iter()
                .find(|l: &&miette::LabeledSpan| l.primary())
                .or(labels.first());
            let (line, under) = match primary {
                Some(label) => {
                    let span = Span::new(label.offset(), label.offset() + label.len());
                    (file.line_column(span.start).0, file.slice(span).to_owned())
                }
                None => (0, String::new()),
            };
            (code, line, under)
        })
        .collect()
}

fn errors_of(name: &str, text: &str) -> Vec<(String, usize, String)> {
    match load_text(name, text) {
        Ok(_) => panic!("{name} loaded without errors:\n{text}"),
        Err(errors) => diagnostics(text, &errors),
    }
}

fn rendered(errors: &[ScenarioError]) -> Vec<String> {
    errors
        .iter()
        .map(|err| {
            format!(
                "{err} [{:?}] help: {:?}",
                err.code().map(|c| c.to_string()),
                err.help().map(|h| h.to_string())
            )
        })
        .collect()
}

const HEADER: &str =
    "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\", \"USSR\"]\n";

/// A valid scenario with `body` after the header.
fn with(body: &str) -> String {
    format!("{HEADER}{body}\n")
}

const EXAMPLE_TOML: &str = r#"[scenario]
title = "example"
date = 1979-06-18
source = "made up"
parties = ["USSR", "USA"]

[packages]
cruise_missiles = "agreed"

[types."Minuteman III"]
class = "icbm"
mirv_tested = true
warheads = 3
range = "8078 mi"

[types."AGM-86B ALCM"]
class = "cruise_missile"
basing = "air"
range = "2200 km..2500 km"

[types."Backfire"]
class = "aircraft"
range = "unknown"
intercontinental = "unknown"
deployed = 1974-01-01

[[holdings]]
party = "USA"
name = "Minuteman III silo launchers"
class = "icbm_launcher"
type = "Minuteman III"
count = 550
mirv_equipped = true
mobile = false

[[holdings]]
party = "USA"
name = "B-52 heavy bombers"
class = "heavy_bomber"
count = "316..574"
armament = ["AGM-86B ALCM"]

[[holdings]]
party = "USSR"
name = "Backfire medium bombers"
class = "medium_bomber"
type = "Backfire"
count = "unknown"
armament = "unknown"
"#;

const EXAMPLE_JSON: &str = r#"{
  "scenario": {
    "title": "example",
    "date": "1979-06-18",
    "source": "made up",
    "parties": ["USSR", "USA"]
  },
  "packages": { "cruise_missiles": "agreed" },
  "types": {
    "Minuteman III": { "class": "icbm", "mirv_tested": true, "warheads": 3, "range": "8078 mi" },
    "AGM-86B ALCM": { "class": "cruise_missile", "basing": "air", "range": "2200 km..2500 km" },
    "Backfire": {
      "class": "aircraft",
      "range": "unknown",
      "intercontinental": "unknown",
      "deployed": "1974-01-01"
    }
  },
  "holdings": [
    {
      "party": "USA",
      "name": "Minuteman III silo launchers",
      "class": "icbm_launcher",
      "type": "Minuteman III",
      "count": 550,
      "mirv_equipped": true,
      "mobile": false
    },
    {
      "party": "USA",
      "name": "B-52 heavy bombers",
      "class": "heavy_bomber",
      "count": "316..574",
      "armament": ["AGM-86B ALCM"]
    },
    {
      "party": "USSR",
      "name": "Backfire medium bombers",
      "class": "medium_bomber",
      "type": "Backfire",
      "count": "unknown",
      "armament": "unknown"
    }
  ]
}
"#;

#[test]
fn example_loads_with_every_kind_of_value() {
    let facts = ok("example.toml", EXAMPLE_TOML);
    assert_eq!(facts.title, "example");
    assert_eq!(facts.date, Date::new(1979, 6, 18).unwrap());
    assert_eq!(facts.source.as_deref(), Some("made up"));
    // Scenario order, indices into the model's parties.
    assert_eq!(facts.parties, [1, 0]);
    assert_eq!(
        facts.packages,
        [
            PackageState::Stated(PackageStatus::Agreed),
            PackageState::Unknown
        ]
    );
    let names: Vec<&str> = facts.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Minuteman III", "AGM-86B ALCM", "Backfire"]);

    let minuteman = &facts.types[0].attributes;
    assert_eq!(minuteman[0], Fact::Enum(0));
    assert_eq!(minuteman[1], Fact::NotStated);
    // 8078 mi in km.
    let Fact::Number { min, max } = minuteman[2] else {
        panic!("{:?}", minuteman[2])
    };
    assert!((min - 13_000.0).abs() < 1.0 && min == max, "{min}");
    assert_eq!(minuteman[3], Fact::Bool(true));
    assert_eq!(minuteman[4], Fact::Number { min: 3.0, max: 3.0 });
    assert_eq!(
        facts.types[1].attributes[2],
        Fact::Number {
            min: 2200.0,
            max: 2500.0
        }
    );
    let backfire = &facts.types[2].attributes;
    assert_eq!(backfire[2], Fact::Unknown);
    assert_eq!(backfire[5], Fact::Unknown);
    assert_eq!(
        backfire[deployed()],
        Fact::Date(Date::new(1974, 1, 1).unwrap())
    );

    let holdings = &facts.holdings;
    assert_eq!(holdings.len(), 3);
    assert_eq!(holdings[0].party, 0);
    assert_eq!(&*holdings[0].name, "Minuteman III silo launchers");
    assert_eq!(holdings[0].count, Interval::exact(550));
    assert_eq!(holdings[0].attributes[0], Fact::Enum(0));
    assert_eq!(holdings[0].attributes[1], Fact::Reference(0));
    assert_eq!(holdings[0].attributes[2], Fact::Bool(true));
    assert_eq!(holdings[0].attributes[3], Fact::Bool(false));
    assert_eq!(holdings[0].attributes[4], Fact::NotStated);
    assert_eq!(holdings[1].count, Interval::new(316, 574).unwrap());
    assert_eq!(holdings[1].attributes[1], Fact::NotStated);
    assert_eq!(holdings[1].attributes[4], Fact::List(vec![1]));
    assert_eq!(holdings[2].party, 1);
    assert_eq!(holdings[2].count, Interval::UNKNOWN);
    assert_eq!(holdings[2].attributes[1], Fact::Reference(2));
    assert_eq!(holdings[2].attributes[4], Fact::Unknown);
    assert_eq!(facts.file.name, "example.toml");
}

#[test]
fn toml_and_json_give_equal_facts() {
    let toml = ok("example.toml", EXAMPLE_TOML);
    let json = ok("example.json", EXAMPLE_JSON);
    assert_eq!(
        serde_json::to_string(&toml).unwrap(),
        serde_json::to_string(&json).unwrap()
    );
    // The JSON spans point into the JSON text.
    assert_eq!(json.file.slice(json.types[0].span), "\"Minuteman III\"");
}

#[test]
fn format_follows_the_file_name() {
    assert_eq!(format_of("a.json"), Format::Json);
    assert_eq!(format_of("A.JSON"), Format::Json);
    assert_eq!(format_of("a.toml"), Format::Toml);
    assert_eq!(format_of("scenario"), Format::Toml);
    // JSON text in a file named .toml is read as TOML, and fails as such.
    let errors = errors_of("x.toml", EXAMPLE_JSON);
    assert!(
        errors.iter().all(|e| e.0 == "treaty::scenario::syntax"),
        "{errors:?}"
    );
}

#[test]
fn real_scenarios_load_cleanly() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut seen = 0;
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            if let Err(errors) = load_path(&path, &strategic_model()) {
                panic!("{}: {:#?}", path.display(), rendered(&errors));
            }
            seen += 1;
        }
    }
    assert!(seen >= 4);
}

#[test]
fn five_mistakes_give_five_diagnostics_at_the_right_lines() {
    let text = r#"[scenario]
title = "five mistakes"
date = 1979-06-18
parties = ["USA", "USSR"]

[types."Minuteman III"]
class = "icbm"
range = "13000 kt"

[[holdings]]
party = "USA"
name = "Minuteman III silo launchers"
clas = "icbm_launcher"
type = "Minuteman 3"
count = -5

[[holdings]]
party = "USA"
name = "Minuteman III silo launchers"
count = "160..140"
"#;
    assert_eq!(
        errors_of("five.toml", text),
        [
            (
                "treaty::scenario::wrong_unit".to_owned(),
                8,
                "\"13000 kt\"".to_owned()
            ),
            (
                "treaty::scenario::unknown_key".to_owned(),
                13,
                "clas".to_owned()
            ),
            (
                "treaty::scenario::unknown_type".to_owned(),
                14,
                "\"Minuteman 3\"".to_owned()
            ),
            (
                "treaty::scenario::negative_number".to_owned(),
                15,
                "-5".to_owned()
            ),
            (
                "treaty::scenario::duplicate_holding".to_owned(),
                19,
                "\"Minuteman III silo launchers\"".to_owned()
            ),
            (
                "treaty::scenario::inverted_interval".to_owned(),
                20,
                "\"160..140\"".to_owned()
            ),
        ]
    );
}

#[test]
fn five_mistakes_in_json() {
    let text = r#"{
  "scenario": { "title": "t", "date": "1979-06-31", "parties": ["USA", "UK"] },
  "packages": { "cruise_missile": "agreed" },
  "types": { "X": { "class": "icbm", "range": 13000 } },
  "holdings": [
    { "party": "USA", "name": "a", "count": 1.5, "mobile": "yes" }
  ]
}
"#;
    let errors = errors_of("five.json", text);
    let codes: Vec<(&str, usize, &str)> = errors
        .iter()
        .map(|(c, l, u)| (c.as_str(), *l, u.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("treaty::scenario::invalid_date", 2, "\"1979-06-31\""),
            ("treaty::scenario::unknown_party", 2, "\"UK\""),
            ("treaty::scenario::unknown_package", 3, "\"cruise_missile\""),
            ("treaty::scenario::missing_unit", 4, "13000"),
            ("treaty::scenario::not_an_integer", 6, "1.5"),
            ("treaty::scenario::wrong_type", 6, "\"yes\""),
        ]
    );
}

/// One scenario a code: (code, body after a valid header, text under the label).
#[test]
fn every_code() {
    let cases: &[(&str, String, &str)] = &[
            ("unknown_key", format!("{HEADER}colour = \"red\""), "colour"),
            ("unknown_key", format!("colour = \"red\"\n{HEADER}"), "colour"),
            ("unknown_key", "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\"]\nsauce = \"x\"\n".to_owned(), "sauce"),
            ("unknown_key", with("[types.\"X\"]\nrang = \"1 km\""), "rang"),
            (
                "missing_field",
                "[scenario]\ndate = 1979-06-18\nparties = [\"USA\"]\n".to_owned(),
                "scenario",
            ),
            ("missing_field", "".to_owned(), ""),
            ("missing_field", "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\n".to_owned(), "scenario"),
            ("missing_field", with("[[holdings]]\nparty = \"USA\"\nname = \"a\""), "[[holdings]]"),
            ("wrong_type", "[scenario]\ntitle = 5\ndate = 1979-06-18\nparties = [\"USA\"]\n".to_owned(), "5"),
            ("wrong_type", with("[types.\"X\"]\nmirv_tested = \"maybe\""), "\"maybe\""),
            ("invalid_date", "[scenario]\ntitle = \"t\"\ndate = \"18 June 1979\"\nparties = [\"USA\"]\n".to_owned(), "\"18 June 1979\""),
            ("invalid_date", "[scenario]\ntitle = \"t\"\ndate = 1979-06-18T10:00:00\nparties = [\"USA\"]\n".to_owned(), "1979-06-18T10:00:00"),
            ("unknown_party", "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\", \"USRR\"]\n".to_owned(), "\"USRR\""),
            ("unknown_party", with("[[holdings]]\nparty = \"US\"\nname = \"a\"\ncount = 1"), "\"US\""),
            ("duplicate_party", "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\", \"USA\"]\n".to_owned(), "\"USA\""),
            ("no_parties", "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = []\n".to_owned(), "[]"),
            (
                "party_not_listed",
                "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\"]\n[[holdings]]\nparty = \"USSR\"\nname = \"a\"\ncount = 1\n".to_owned(),
                "\"USSR\"",
            ),
            ("unknown_package", with("[packages]\ncruise = \"open\""), "cruise"),
            ("invalid_package_state", with("[packages]\ncruise_missiles = \"agred\""), "\"agred\""),
            ("unknown_value", with("[types.\"X\"]\nclass = \"icmb\""), "\"icmb\""),
            ("unknown_type", with("[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = 1\narmament = [\"Y\"]"), "\"Y\""),
            ("reserved_name", with("[types.unknown]\nclass = \"icbm\""), "unknown"),
            ("missing_unit", with("[types.\"X\"]\nrange = \"13000\""), "\"13000\""),
            ("missing_unit", with("[types.\"X\"]\nrange = 13000"), "13000"),
            ("unknown_unit", with("[types.\"X\"]\nrange = \"13000 kms\""), "\"13000 kms\""),
            ("wrong_unit", with("[types.\"X\"]\nrange = \"3 kt\""), "\"3 kt\""),
            ("invalid_number", with("[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = \"many\""), "\"many\""),
            ("invalid_number", with("[types.\"X\"]\nrange = \"far\""), "\"far\""),
            ("negative_number", with("[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = \"-3..5\""), "\"-3..5\""),
            ("negative_number", with("[types.\"X\"]\nwarheads = -1"), "-1"),
            ("negative_number", with("[types.\"X\"]\nrange = \"-1 km\""), "\"-1 km\""),
            ("not_an_integer", with("[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = 2.5"), "2.5"),
            ("not_an_integer", with("[types.\"X\"]\nwarheads = \"1.5..3\""), "\"1.5..3\""),
            ("inverted_interval", with("[types.\"X\"]\nrange = \"5500..2200 km\""), "\"5500..2200 km\""),
            ("inverted_interval", with("[types.\"X\"]\nrange = \"1 mi..1.5 km\""), "\"1 mi..1.5 km\""),
            (
                "duplicate_holding",
                with("[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = 1\n[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = 2"),
                "\"a\"",
            ),
            ("syntax", with("[types.\"X\"\nclass = \"icbm\""), ""),
        ];
    for (code, text, under) in cases {
        let errors = errors_of("case.toml", text);
        assert_eq!(errors.len(), 1, "{code}: {text}\n{errors:?}");
        let (found, _, found_under) = &errors[0];
        assert_eq!(found, &format!("treaty::scenario::{code}"), "{text}");
        if !under.is_empty() {
            assert_eq!(found_under, under, "{code}: {text}");
        }
    }
}

#[test]
fn messages_and_help() {
    let text = with(
        "[types.\"X\"]\nclass = \"icmb\"\nrange = \"3 kt\"\nbasing = \"lnd\"\n[types.\"Y\"]\nrange = \"1000\"\nmirv_tested = \"true\"\n[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = 1\nclass = \"icbm_launcher\"\ntype = \"x\"\nmirv_equiped = true\n[packages]\ncruise_missiles = \"unknown\"\nbackfire_withdrawn = \"agred\"",
    );
    let errors = load_text("m.toml", &text).unwrap_err();
    let shown = rendered(&errors);
    let expected = [
        "`icmb` is not a value of `class` [Some(\"treaty::scenario::unknown_value\")] help: Some(\"did you mean `icbm`? the values of `class` are `icbm`, `slbm`, `asbm`, `cruise_missile`, `aircraft`, or `unknown`\")",
        "`3 kt` is a yield, but `range` is a length [Some(\"treaty::scenario::wrong_unit\")] help: Some(\"use a unit of length: `km`, `m`, `mi`, `nmi`\")",
        "`lnd` is not a value of `basing` [Some(\"treaty::scenario::unknown_value\")] help: Some(\"did you mean `land`? the values of `basing` are `air`, `sea`, `land`, or `unknown`\")",
        "`range` needs a unit [Some(\"treaty::scenario::missing_unit\")] help: Some(\"write the unit, e.g. `1000 km`\")",
        "`mirv_tested` must be `true` or `false`, found the string `true` [Some(\"treaty::scenario::wrong_type\")] help: Some(\"write `true` without quotes\")",
        "no weapon type `x` in `types` [Some(\"treaty::scenario::unknown_type\")] help: Some(\"did you mean `X`? define it as `[types.\\\"x\\\"]`, or write `\\\"unknown\\\"`\")",
        "unknown key `mirv_equiped` in holding `a` [Some(\"treaty::scenario::unknown_key\")] help: Some(\"did you mean `mirv_equipped`?\")",
        "`agred` is not a package state [Some(\"treaty::scenario::invalid_package_state\")] help: Some(\"did you mean `agreed`? a package is `agreed`, `open` or `rejected`; leave it out (or write `unknown`) when its state is not known\")",
    ];
    assert_eq!(shown, expected);
}

#[test]
fn counts_and_intervals() {
    let count = |written: &str| -> Result<Interval, String> {
        let text = with(&format!(
            "[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = {written}"
        ));
        match load_text("c.toml", &text) {
            Ok(facts) => Ok(facts.holdings[0].count),
            Err(errors) => Err(diagnostics(&text, &errors)[0].0.clone()),
        }
    };
    assert_eq!(count("0"), Ok(Interval::ZERO));
    assert_eq!(count("550"), Ok(Interval::exact(550)));
    assert_eq!(count("550.0"), Ok(Interval::exact(550)));
    assert_eq!(count("\"550\""), Ok(Interval::exact(550)));
    assert_eq!(count("\"140..160\""), Ok(Interval::new(140, 160).unwrap()));
    assert_eq!(
        count("\" 140 .. 160 \""),
        Ok(Interval::new(140, 160).unwrap())
    );
    assert_eq!(count("\"7..7\""), Ok(Interval::exact(7)));
    assert_eq!(count("\"unknown\""), Ok(Interval::UNKNOWN));
    assert_eq!(
        count("\"140..unknown\""),
        Ok(Interval {
            min: 140,
            max: None
        })
    );
    fn code<T>(c: &str) -> Result<T, String> {
        Err(format!("treaty::scenario::{c}"))
    }
    assert_eq!(count("-1"), code("negative_number"));
    assert_eq!(count("\"-1\""), code("negative_number"));
    assert_eq!(count("1.5"), code("not_an_integer"));
    assert_eq!(count("\"160..140\""), code("inverted_interval"));
    assert_eq!(count("\"140..\""), code("invalid_number"));
    assert_eq!(count("\"..160\""), code("invalid_number"));
    assert_eq!(count("\"1...5\""), code("invalid_number"));
    assert_eq!(count("\"1..2..3\""), code("invalid_number"));
    assert_eq!(count("\"Unknown\""), code("invalid_number"));
    assert_eq!(count("\"99999999999999999999\""), code("invalid_number"));
    assert_eq!(count("1e300"), code("invalid_number"));
    assert_eq!(count("inf"), code("invalid_number"));
    assert_eq!(count("true"), code("wrong_type"));
    assert_eq!(count("[1]"), code("wrong_type"));

    let warheads = |written: &str| -> Result<Fact, String> {
        let text = with(&format!("[types.\"X\"]\nwarheads = {written}"));
        match load_text("w.toml", &text) {
            Ok(facts) => Ok(facts.types[0].attributes[4].clone()),
            Err(errors) => Err(diagnostics(&text, &errors)[0].0.clone()),
        }
    };
    assert_eq!(
        warheads("10"),
        Ok(Fact::Number {
            min: 10.0,
            max: 10.0
        })
    );
    assert_eq!(
        warheads("\"3..10\""),
        Ok(Fact::Number {
            min: 3.0,
            max: 10.0
        })
    );
    assert_eq!(warheads("\"unknown\""), Ok(Fact::Unknown));
    assert_eq!(warheads("\"3..unknown\""), code("invalid_number"));
    assert_eq!(warheads("\"10..3\""), code("inverted_interval"));
}

#[test]
fn quantities_and_units() {
    let range = |written: &str| -> Result<(f64, f64), String> {
        let text = with(&format!("[types.\"X\"]\nrange = {written}"));
        match load_text("r.toml", &text) {
            Ok(facts) => match facts.types[0].attributes[2] {
                Fact::Number { min, max } => Ok((min, max)),
                ref other => Err(format!("{other:?}")),
            },
            Err(errors) => Err(diagnostics(&text, &errors)[0].0.clone()),
        }
    };
    assert_eq!(range("\"13000 km\""), Ok((13_000.0, 13_000.0)));
    assert_eq!(range("\"13000km\""), Ok((13_000.0, 13_000.0)));
    assert_eq!(range("\"2200..5500 km\""), Ok((2200.0, 5500.0)));
    assert_eq!(range("\"2200 km..5500 km\""), Ok((2200.0, 5500.0)));
    assert_eq!(range("\"2200 km .. 5500 km\""), Ok((2200.0, 5500.0)));
    assert_eq!(range("\"600000 m\""), Ok((600.0, 600.0)));
    assert_eq!(range("\"100 mi\""), Ok((160.9344, 160.9344)));
    assert_eq!(range("\"1000 nmi\""), Ok((1852.0, 1852.0)));
    assert_eq!(range("\"1 mi..2 km\""), Ok((1.609_344, 2.0)));
    assert_eq!(range("\"1.5 km\""), Ok((1.5, 1.5)));
    let code = |c: &str| Err(format!("treaty::scenario::{c}"));
    assert_eq!(range("\"3 kt\""), code("wrong_unit"));
    assert_eq!(range("\"1..3 Mt\""), code("wrong_unit"));
    assert_eq!(range("\"3 parsecs\""), code("unknown_unit"));
    assert_eq!(range("\"3 KM\""), code("unknown_unit"));
    assert_eq!(range("\"13000\""), code("missing_unit"));
    assert_eq!(range("13000"), code("missing_unit"));
    assert_eq!(range("13000.5"), code("missing_unit"));
    assert_eq!(range("\"2200..5500\""), code("missing_unit"));
    assert_eq!(range("\"2200 km..5500\""), code("missing_unit"));
    assert_eq!(range("\"5500..2200 km\""), code("inverted_interval"));
    assert_eq!(range("\"13,000 km\""), code("invalid_number"));
    assert_eq!(range("\"km\""), code("invalid_number"));
    assert_eq!(range("\"\""), code("invalid_number"));
    assert_eq!(range("\"1..2..3 km\""), code("invalid_number"));
    assert_eq!(range("true"), code("wrong_type"));
    assert_eq!(range("\"-5 km\""), code("negative_number"));

    let errors =
        load_text("r.toml", &with("[types.\"X\"]\nrange = \"5500..2200 km\"")).unwrap_err();
    assert_eq!(
        errors[0].help().unwrap().to_string(),
        "write the smaller bound first: `2200..5500 km`"
    );
    let errors = load_text("r.toml", &with("[types.\"X\"]\nrange = \"13000 kms\"")).unwrap_err();
    assert_eq!(
        errors[0].help().unwrap().to_string(),
        "did you mean `km`? the units of length are `km`, `m`, `mi`, `nmi`"
    );
    let errors = load_text("r.toml", &with("[types.\"X\"]\nrange = \"13000\"")).unwrap_err();
    assert_eq!(
        errors[0].help().unwrap().to_string(),
        "write the unit, e.g. `13000 km`"
    );
}

#[test]
fn unknown_and_not_stated() {
    let text = with(
        "[types.\"X\"]\nclass = \"unknown\"\nmirv_tested = \"unknown\"\nwarheads = \"unknown\"\nrange = \"unknown\"\ndeployed = \"unknown\"\n[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = \"unknown\"\ntype = \"unknown\"\narmament = \"unknown\"",
    );
    let facts = ok("u.toml", &text);
    let attributes = &facts.types[0].attributes;
    assert_eq!(attributes[0], Fact::Unknown);
    assert_eq!(attributes[1], Fact::NotStated);
    assert_eq!(attributes[2], Fact::Unknown);
    assert_eq!(attributes[3], Fact::Unknown);
    assert_eq!(attributes[4], Fact::Unknown);
    assert_eq!(attributes[5], Fact::NotStated);
    assert_eq!(attributes[deployed()], Fact::Unknown);
    let holding = &facts.holdings[0];
    assert_eq!(holding.count, Interval::UNKNOWN);
    assert_eq!(holding.attributes[0], Fact::NotStated);
    assert_eq!(holding.attributes[1], Fact::Unknown);
    assert_eq!(holding.attributes[4], Fact::Unknown);
    assert_eq!(
        facts.packages,
        [PackageState::Unknown, PackageState::Unknown]
    );
}

#[test]
fn references_may_come_before_the_types() {
    let text = with(
        "[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = 1\ntype = \"Z\"\narmament = [\"Z\", \"Y\"]\n\n[types.\"Y\"]\n[types.\"Z\"]\nclass = \"icbm\"",
    );
    let facts = ok("r.toml", &text);
    assert_eq!(facts.holdings[0].attributes[1], Fact::Reference(1));
    assert_eq!(facts.holdings[0].attributes[4], Fact::List(vec![1, 0]));
    assert_eq!(facts.types[0].name, "Y");
    assert!(
        facts.types[0]
            .attributes
            .iter()
            .all(|f| *f == Fact::NotStated)
    );
}

/// Issue 16: numbers are read exactly from how they are written, never through a float that
/// rounds; counts reach `u64::MAX`; integer attributes stop at 2^53, where floats stop being
/// exact; a quantity must stay finite in the base unit.
#[test]
fn numbers_are_read_exactly() {
    let count = |name: &str, text: &str| -> Result<Interval, Vec<String>> {
        load_text(name, text)
            .map(|facts| facts.holdings[0].count)
            .map_err(|errors| rendered(&errors))
    };
    let toml = |written: &str| {
        count(
            "c.toml",
            &with(&format!(
                "[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = {written}"
            )),
        )
    };
    let json = |written: &str| {
        count(
            "c.json",
            &format!(
                r#"{{"scenario": {{"title": "t", "date": "1979-06-18", "parties": ["USA"]}},
                    "holdings": [{{"party": "USA", "name": "a", "count": {written}}}]}}"#
            ),
        )
    };
    let exact = |n: u64| Ok(Interval::exact(n));
    // 2^53 + 1 as a float was 2^53.
    assert_eq!(toml("9007199254740993.0"), exact(9_007_199_254_740_993));
    assert_eq!(json("9007199254740993.0"), exact(9_007_199_254_740_993));
    assert_eq!(toml("1_000.0"), exact(1000));
    assert_eq!(toml("1.5e1"), exact(15));
    assert_eq!(toml("-0.0"), exact(0));
    assert_eq!(toml("\"1e3\""), exact(1000));
    // Counts are 64-bit unsigned: JSON reaches it as a number, TOML (whose integers stop at
    // 2^63 - 1) as a string, and says so.
    assert_eq!(json("18446744073709551615"), exact(u64::MAX));
    assert_eq!(toml("\"18446744073709551615\""), exact(u64::MAX));
    let refused = toml("18446744073709551615").unwrap_err();
    assert!(
        refused[0].contains(
            "(TOML's integers end at 9223372036854775807): write a larger count as a string, \
             `\"18446744073709551615\"`"
        ),
        "{refused:?}"
    );
    let too_large = json("18446744073709551616").unwrap_err();
    assert!(
        too_large[0].ends_with("help: Some(\"A count is at most 18446744073709551615\")"),
        "{too_large:?}"
    );
    assert!(json("1.5").unwrap_err()[0].contains("not_an_integer"));
    assert!(toml("15e-1").unwrap_err()[0].contains("not_an_integer"));
    assert!(toml("1e-400").unwrap_err()[0].contains("not_an_integer"));
    assert!(toml("\"1e99999999999999999999\"").unwrap_err()[0].contains("invalid_number"));
    assert!(toml("\"+-5\"").unwrap_err()[0].contains("invalid_number"));

    let warheads = |written: &str| -> Result<Fact, Vec<String>> {
        let text = with(&format!("[types.\"X\"]\nwarheads = {written}"));
        load_text("w.toml", &text)
            .map(|facts| facts.types[0].attributes[4].clone())
            .map_err(|errors| rendered(&errors))
    };
    let largest = 9_007_199_254_740_992.0;
    assert_eq!(
        warheads("9007199254740992"),
        Ok(Fact::Number {
            min: largest,
            max: largest
        })
    );
    for over in [
        "9007199254740993",
        "9007199254740993.0",
        "\"0..9007199254740993\"",
    ] {
        let errors = warheads(over).unwrap_err();
        assert!(
            errors[0].contains("an integer attribute is at most 9007199254740992 (2^53"),
            "{over}: {errors:?}"
        );
    }

    let range = |written: &str| {
        let text = with(&format!("[types.\"X\"]\nrange = \"{written}\""));
        load_text("r.toml", &text).map_err(|errors| rendered(&errors))
    };
    let huge = format!("1{} nmi", "0".repeat(308));
    let errors = range(&huge).unwrap_err();
    assert!(
        errors[0].contains("treaty::scenario::invalid_number"),
        "{errors:?}"
    );
    assert!(range(&format!("1..{huge}")).is_err());
    assert!(range("1000 nmi").is_ok());
}

#[test]
fn dates() {
    let date = |written: &str, name: &str| {
        let text = format!("[scenario]\ntitle = \"t\"\ndate = {written}\nparties = [\"USA\"]\n");
        load_text(name, &text)
            .map(|f| f.date)
            .map_err(|e| diagnostics(&text, &e)[0].0.clone())
    };
    let d = Date::new(1979, 6, 18).unwrap();
    assert_eq!(date("1979-06-18", "d.toml"), Ok(d));
    assert_eq!(date("\"1979-06-18\"", "d.toml"), Ok(d));
    let invalid = Err("treaty::scenario::invalid_date".to_owned());
    assert_eq!(date("\"1979-02-29\"", "d.toml"), invalid);
    assert_eq!(date("\"1979-6-18\"", "d.toml"), invalid);
    // Signs are not digits: these were read as 1979-06-18 and 973-01-01.
    assert_eq!(date("\"1979-+6-18\"", "d.toml"), invalid);
    assert_eq!(date("\"+973-01-01\"", "d.toml"), invalid);
    let label = |written: &str| {
        let text = format!("[scenario]\ntitle = \"t\"\ndate = {written}\nparties = [\"USA\"]\n");
        let errors = load_text("d.toml", &text).unwrap_err();
        let labels: Vec<LabeledSpan> = errors[0].labels().unwrap().collect();
        labels[0].label().unwrap().to_owned()
    };
    assert_eq!(label("\"1973-1-1\""), "expected YYYY-MM-DD");
    assert_eq!(label("\"1979-+6-18\""), "expected YYYY-MM-DD");
    assert_eq!(label("\"1973-02-30\""), "no such day");
    assert_eq!(date("1979-06-18 10:00:00", "d.toml"), invalid);
    assert_eq!(
        date("1979", "d.toml"),
        Err("treaty::scenario::wrong_type".to_owned())
    );
    // TOML itself rejects impossible dates; the mistake is reported once, as the date's.
    assert_eq!(date("1979-02-29", "d.toml"), invalid);
    assert_eq!(date("1978-11-31", "d.toml"), invalid);
    let text = "[scenario]\ntitle = \"t\"\ndate = 1979-02-29\nparties = [\"USA\"]\n";
    assert_eq!(load_text("d.toml", text).unwrap_err().len(), 1);
    let json =
        r#"{"scenario": {"title": "t", "date": "1980-02-29", "parties": ["USA"]}, "holdings": []}"#;
    assert_eq!(ok("d.json", json).date, Date::new(1980, 2, 29).unwrap());
}

#[test]
fn syntax_errors_do_not_cascade() {
    // The broken line hides the title; no "missing `title`" on top of the syntax error.
    let text = "[scenario]\ntitle = \"unterminated\ndate = 1979-06-18\nparties = [\"USA\"]\n[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = -1\n";
    let errors = errors_of("s.toml", text);
    assert!(
        errors
            .iter()
            .all(|e| e.0 != "treaty::scenario::missing_field"),
        "{errors:?}"
    );
    assert_eq!(errors[0].0, "treaty::scenario::syntax");
    // Whatever could be read is still checked.
    assert!(
        errors
            .iter()
            .any(|e| e.0 == "treaty::scenario::negative_number"),
        "{errors:?}"
    );

    let errors = errors_of("s.json", "{\"scenario\": {\"title\": \"t\",, }");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "treaty::scenario::syntax");
    let errors = errors_of("s.json", "");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, "treaty::scenario::syntax");
}

#[test]
fn structure_errors() {
    let codes = |name: &str, text: &str| -> Vec<String> {
        errors_of(name, text).into_iter().map(|e| e.0).collect()
    };
    let wrong = "treaty::scenario::wrong_type";
    assert_eq!(codes("a.toml", "scenario = 5\n"), [wrong]);
    assert_eq!(codes("a.toml", &format!("types = 5\n{HEADER}")), [wrong]);
    assert_eq!(
        codes("a.toml", &format!("types = {{ X = 5 }}\n{HEADER}")),
        [wrong]
    );
    assert_eq!(
        codes("a.toml", &format!("packages = [1]\n{HEADER}")),
        [wrong]
    );
    assert_eq!(
        codes(
            "a.toml",
            &format!("packages = {{ cruise_missiles = true }}\n{HEADER}")
        ),
        [wrong]
    );
    assert_eq!(codes("a.toml", &format!("holdings = 5\n{HEADER}")), [wrong]);
    assert_eq!(
        codes("a.toml", &format!("holdings = [5]\n{HEADER}")),
        [wrong]
    );
    assert_eq!(
        codes(
            "a.toml",
            "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = \"USA\"\n"
        ),
        [wrong]
    );
    assert_eq!(
        codes(
            "a.toml",
            "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [1]\n"
        ),
        [wrong]
    );
    assert_eq!(
        codes("a.json", r#"{"scenario": [], "holdings": []}"#),
        [wrong]
    );
    // A misspelt party is reported once, not again on every holding of that party.
    assert_eq!(
        codes(
            "a.toml",
            "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\", \"USRR\"]\n[[holdings]]\nparty = \"USSR\"\nname = \"a\"\ncount = 1\n"
        ),
        ["treaty::scenario::unknown_party"]
    );
    // A misspelt type key is reported once, not again at every reference to it.
    assert_eq!(
        codes(
            "a.toml",
            &with(
                "[types.\"X\"]\nclas = \"icbm\"\n[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = 1\ntype = \"X\""
            )
        ),
        ["treaty::scenario::unknown_key"]
    );
    // Missing fields of a holding point at its header.
    let errors = errors_of("a.toml", &with("[[holdings]]\nclass = \"icbm_launcher\""));
    let lines: Vec<(&str, usize)> = errors.iter().map(|e| (e.0.as_str(), e.1)).collect();
    assert_eq!(
        lines,
        [
            ("treaty::scenario::missing_field", 5),
            ("treaty::scenario::missing_field", 5),
            ("treaty::scenario::missing_field", 5)
        ]
    );
    // In JSON, at the first line of the object.
    let errors = errors_of(
        "a.json",
        "{\"scenario\": {\"title\": \"t\", \"date\": \"1979-06-18\", \"parties\": [\"USA\"]},\n \"holdings\": [\n  {\"party\": \"USA\",\n   \"name\": \"a\"}]}",
    );
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].1, errors[0].2.as_str()),
        (3, "{\"party\": \"USA\",")
    );
}

#[test]
fn messages_are_plain_words() {
    let text = "[scenario]\ntitel = 1\n[[holdings]]\ncount = \"x\"\n";
    let errors = load_text("p.toml", text).unwrap_err();
    assert!(errors.len() >= 4);
    for err in &errors {
        let message = err.to_string();
        assert!(
            message.starts_with(|c: char| !c.is_uppercase()),
            "{message}"
        );
        for word in ["Option", "String", "Vec", "usize", "u64", "f64", "Value"] {
            assert!(!message.contains(word), "{message}");
        }
        assert!(
            err.code()
                .unwrap()
                .to_string()
                .starts_with("treaty::scenario::")
        );
    }
}

#[test]
fn load_path_errors() {
    let model = strategic_model();
    // Removed however the test ends (a fixed name under /tmp was left behind by failed runs).
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();

    let missing = dir.join("missing.toml");
    let errors = load_path(&missing, &model).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].code().unwrap().to_string(),
        "treaty::scenario::io"
    );
    assert!(
        errors[0].to_string().ends_with(": no such file"),
        "{}",
        errors[0]
    );

    let errors = load_path(dir, &model).unwrap_err();
    assert_eq!(
        errors[0].code().unwrap().to_string(),
        "treaty::scenario::io"
    );
    assert!(
        errors[0]
            .to_string()
            .ends_with("it is a folder, not a file")
    );

    let binary = dir.join("binary.toml");
    std::fs::write(&binary, b"title = \"\xff\"").unwrap();
    let errors = load_path(&binary, &model).unwrap_err();
    assert_eq!(
        errors[0].code().unwrap().to_string(),
        "treaty::scenario::io"
    );
    assert!(errors[0].to_string().contains("not UTF-8"));

    let large = dir.join("large.toml");
    let file = std::fs::File::create(&large).unwrap();
    file.set_len(MAX_FILE_SIZE + 1).unwrap();
    let errors = load_path(&large, &model).unwrap_err();
    assert_eq!(
        errors[0].code().unwrap().to_string(),
        "treaty::scenario::too_large"
    );

    let good = dir.join("good.json");
    std::fs::write(&good, EXAMPLE_JSON).unwrap();
    let facts = load_path(&good, &model).unwrap();
    assert_eq!(facts.file.name, good.display().to_string());

    // A FIFO with no writer would block `open()`; a device would never end.
    let fifo = dir.join("pipe.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let errors = load_path(&fifo, &model).unwrap_err();
    assert_eq!(
        errors[0].to_string(),
        format!(
            "cannot read scenario `{}`: it is a FIFO (named pipe), not a regular file",
            fifo.display()
        )
    );
    let errors = load_path(Path::new("/dev/zero"), &model).unwrap_err();
    assert!(
        errors[0]
            .to_string()
            .ends_with("it is a character device, not a regular file"),
        "{}",
        errors[0]
    );
}

#[test]
fn too_many_holdings() {
    let mut text = String::from(
        r#"{"scenario": {"title": "t", "date": "1979-06-18", "parties": ["USA"]}, "holdings": ["#,
    );
    for index in 0..=MAX_HOLDINGS {
        if index > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            "{{\"party\":\"USA\",\"name\":\"h{index}\",\"count\":1}}"
        ));
    }
    text.push_str("]}");
    let errors = load_text("many.json", &text).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].code().unwrap().to_string(),
        "treaty::scenario::too_many_holdings"
    );
    let label = errors[0].labels().unwrap().next().unwrap();
    assert!(
        text[label.offset()..]
            .starts_with(&format!("{{\"party\":\"USA\",\"name\":\"h{MAX_HOLDINGS}\""))
    );
}

#[test]
fn suggestions() {
    assert_eq!(closest("icmb", ["icbm", "slbm"]), Some("icbm"));
    assert_eq!(closest("USRR", ["USA", "USSR"]), Some("USSR"));
    assert_eq!(closest("KM", ["km", "m"]), Some("km"));
    assert_eq!(closest("x", ["km", "m"]), None);
    assert_eq!(closest("colour", TOP_KEYS.iter().copied()), None);
    assert_eq!(
        closest("holding", TOP_KEYS.iter().copied()),
        Some("holdings")
    );
    assert_eq!(list(["a", "b", "c"], 2), "`a`, `b`, and 1 more");
}

#[test]
fn every_code_is_documented_in_order() {
    use crate::diagnostics::Code as _;
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
            .unwrap();
    let documented: Vec<&str> = docs
        .lines()
        .filter_map(|line| line.strip_prefix("| `")?.split('`').next())
        .filter(|code| code.starts_with("treaty::scenario::"))
        .collect();
    let codes: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
    assert_eq!(codes, documented);
}

#[test]
fn declared_figures_and_estimated_holdings() {
    let toml = "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\", \"USSR\"]\n\n\
        [[holdings]]\nparty = \"USSR\"\nname = \"ICBM launchers\"\ncount = 1398\n\
        estimated = true\nsource = \"MOU 1978, used for 1977\"\n\n\
        [[holdings]]\nparty = \"USA\"\nname = \"Minuteman III\"\ncount = 550\n\n\
        [declared.USA]\ndeployed_warheads = 1457\nlaunchers = \"798..800\"\n\n\
        [declared.USSR]\naggregate_ceiling = 2504.0\n";
    let facts = ok("d.toml", toml);
    assert!(facts.holdings[0].estimated);
    assert_eq!(
        facts.holdings[0].source.as_deref(),
        Some("MOU 1978, used for 1977")
    );
    assert!(!facts.holdings[1].estimated);
    assert_eq!(facts.holdings[1].source, None);
    let declared: Vec<(usize, &str, Interval)> = facts
        .declared
        .iter()
        .map(|d| (d.party, d.provision.as_str(), d.figure))
        .collect();
    assert_eq!(
        declared,
        [
            (0, "deployed_warheads", Interval::exact(1457)),
            (0, "launchers", Interval::new(798, 800).unwrap()),
            (1, "aggregate_ceiling", Interval::exact(2504)),
        ]
    );
    // The same in JSON.
    let json = r#"{"scenario": {"title": "t", "date": "1979-06-18", "parties": ["USA"]},
        "holdings": [{"party": "USA", "name": "x", "count": 1, "estimated": false, "source": "s"}],
        "declared": {"USA": {"launchers": "798..800"}}}"#;
    let facts = ok("d.json", json);
    assert_eq!(facts.declared[0].figure, Interval::new(798, 800).unwrap());
    assert!(!facts.holdings[0].estimated);
    // A declared table that is not a table of tables.
    let text =
        "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\"]\n[declared]\nUSA = 5\n";
    let errors = load_text("d.toml", text).unwrap_err();
    assert_eq!(
        diagnostics(text, &errors)[0].0,
        "treaty::scenario::wrong_type"
    );
}

#[test]
fn a_schema_key_is_for_editors() {
    let json = r#"{"$schema": "./letter.schema.json",
        "scenario": {"title": "t", "date": "1979-06-18", "parties": ["USA"]}}"#;
    ok("s.json", json);
    let toml = "\"$schema\" = \"./letter.schema.json\"\n[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\"]\n";
    ok("s.toml", toml);
    let text =
        r#"{"$schema": 1, "scenario": {"title": "t", "date": "1979-06-18", "parties": ["USA"]}}"#;
    let errors = load_text("s.json", text).unwrap_err();
    assert_eq!(
        diagnostics(text, &errors)[0].0,
        "treaty::scenario::wrong_type"
    );
}

/// The holdings of a JSON scenario are read one at a time after the rest of the file: they
/// name weapon types written after them, keep their order, and their problems are the same as
/// those of a file read whole (a syntax error elsewhere makes it read whole).
#[test]
fn json_holdings_read_one_at_a_time() {
    let types_first = ok("types_first.json", EXAMPLE_JSON);
    // The same file with `holdings` before `types` and `scenario`.
    let start = EXAMPLE_JSON.find("  \"holdings\"").unwrap();
    let end = EXAMPLE_JSON.rfind('}').unwrap();
    let holdings = EXAMPLE_JSON[start..end].trim_end().trim_end_matches(',');
    let rest = EXAMPLE_JSON[1..start].trim_end().trim_end_matches(',');
    let reordered = format!("{{\n{holdings},\n{rest}\n}}");
    let holdings_first = ok("holdings_first.json", &reordered);
    let names = |facts: &Facts| -> Vec<(String, Interval, Vec<Fact>)> {
        facts
            .holdings
            .iter()
            .map(|h| (h.name.to_string(), h.count, h.attributes.clone()))
            .collect()
    };
    assert!(!types_first.holdings.is_empty());
    assert_eq!(names(&types_first), names(&holdings_first));

    // A duplicate name and an unknown type among holdings read one at a time: every problem,
    // in file order, pointing into the holdings.
    let broken = EXAMPLE_JSON
        .replacen("B-52 heavy bombers", "Minuteman III silo launchers", 1)
        .replacen("\"type\": \"Backfire\"", "\"type\": \"Backfyre\"", 1);
    let errors = load_text("broken.json", &broken).unwrap_err();
    let codes: Vec<String> = errors
        .iter()
        .map(|e| e.code().unwrap().to_string())
        .collect();
    assert_eq!(
        codes,
        [
            "treaty::scenario::duplicate_holding",
            "treaty::scenario::unknown_type"
        ],
        "{:#?}",
        rendered(&errors)
    );
    let labels: Vec<usize> = errors
        .iter()
        .map(|e| e.labels().unwrap().next().unwrap().offset())
        .collect();
    assert!(
        labels
            .iter()
            .all(|&at| at > broken.find("\"holdings\"").unwrap())
    );
}

/// A large JSON scenario with a syntax error is not read whole again (its tree would take
/// ten times the file): its syntax error is reported, as in a small file (where the keys of a
/// file broken by a syntax error are not judged either).
#[test]
fn a_large_json_scenario_with_a_syntax_error_is_not_read_whole() {
    let mut text = String::from(
        r#"{"scenario": {"title": "t", "date": "1979-06-18", "parties": ["USA"]}, "colour": 1, "holdings": ["#,
    );
    let mut index = 0usize;
    while u64::try_from(text.len()).unwrap() <= MAX_TOML_FILE_SIZE {
        if index > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            "{{\"party\":\"USA\",\"name\":\"h{index}\",\"count\":1}}"
        ));
        index += 1;
    }
    // A trailing comma in the last holding.
    text.push_str(",{\"party\":\"USA\",\"name\":\"last\",\"count\":1,}]}");
    let errors = load_text("large.json", &text).unwrap_err();
    let codes: Vec<String> = errors
        .iter()
        .map(|e| e.code().unwrap().to_string())
        .collect();
    assert_eq!(
        codes,
        ["treaty::scenario::syntax"],
        "{:#?}",
        rendered(&errors)
    );
    let label = errors[0].labels().unwrap().next().unwrap();
    assert_eq!(
        label.offset(),
        text.len() - 3,
        "the `}}` after the trailing comma"
    );
}

/// A JSON scenario may be a gigabyte, but what is kept of it at once is bounded: past
/// `MAX_KEPT_VALUES` values outside `holdings`, it is a syntax error, not gigabytes of tree.
#[test]
fn a_json_scenario_keeps_a_bounded_tree_outside_its_holdings() {
    let mut text = String::from(
        r#"{"scenario": {"title": "t", "date": "1979-06-18", "parties": ["USA"]}, "x": [1"#,
    );
    for _ in 0..2_000_000 {
        text.push_str(",1");
    }
    text.push_str("]}");
    let errors = load_text("many.json", &text).unwrap_err();
    assert_eq!(errors.len(), 1, "{:#?}", rendered(&errors));
    assert_eq!(
        errors[0].code().unwrap().to_string(),
        "treaty::scenario::syntax"
    );
    assert!(
        errors[0]
            .to_string()
            .starts_with("more than 2000000 values outside `holdings`"),
        "{}",
        errors[0]
    );
}
