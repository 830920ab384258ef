//! Structure-aware: an `arbitrary`-derived generator of well-formed scenarios in the vocabulary
//! of `rules/vocabulary/strategic.treaty` (parties USA and USSR; weapon types and holdings with
//! classes, attributes, exact, interval and unknown counts), written as TOML, loaded and
//! evaluated against the letter's position under the default readings and every combination.
//! The report must serialise to JSON and deserialise back to an equal report.
#![no_main]

#[path = "common.rs"]
mod common;

use std::fmt::Write as _;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use common::{checked, letter};
use libfuzzer_sys::fuzz_target;
use treaty::eval::{self, Options};
use treaty::model::{AttributeDef, AttributeType};
use treaty::report::{Report, render_json};
use treaty::span::SourceFile;

#[derive(Debug, Arbitrary)]
enum Parties {
    Usa,
    Ussr,
    Both,
    BothReversed,
}

#[derive(Debug, Arbitrary)]
enum PackageState {
    Unstated,
    Agreed,
    Open,
    Rejected,
    Unknown,
}

#[derive(Debug, Arbitrary)]
enum Truth {
    Unstated,
    True,
    False,
    Unknown,
}

/// A whole number: small values are common, edges (0, u64::MAX, 2^53) reachable.
#[derive(Debug, Arbitrary)]
enum Number {
    Small(u16),
    Large(u64),
    Max,
    FloatEdge,
}

impl Number {
    fn value(&self) -> u64 {
        match self {
            Number::Small(n) => u64::from(*n),
            Number::Large(n) => *n,
            Number::Max => u64::MAX,
            Number::FloatEdge => 9_007_199_254_740_992,
        }
    }
}

#[derive(Debug, Arbitrary)]
enum Count {
    Exact(Number),
    Interval(Number, Number),
    OpenEnded(Number),
    Unknown,
}

#[derive(Debug, Arbitrary)]
enum Range {
    Unstated,
    Km(u16),
    Interval(u16, u16),
    Unknown,
}

#[derive(Debug, Arbitrary)]
struct WeaponType {
    class: Option<u8>,
    basing: Option<u8>,
    range: Range,
    mirv_tested: Truth,
    warheads: Option<u8>,
    intercontinental: Truth,
    named_backfire: bool,
}

#[derive(Debug, Arbitrary)]
struct Holding {
    ussr: bool,
    class: u8,
    kind: Option<u8>,
    count: Count,
    mirv_equipped: Truth,
    mobile: Truth,
    /// `None`: unstated (unknown); otherwise indices into the weapon types.
    armament: Option<Vec<u8>>,
}

#[derive(Debug, Arbitrary)]
struct Scenario {
    year: u8,
    month: u8,
    day: u8,
    parties: Parties,
    cruise_missiles: PackageState,
    backfire_withdrawn: PackageState,
    types: Vec<WeaponType>,
    holdings: Vec<Holding>,
}

/// The enumerations the generator picks from, read from the checked
/// `rules/vocabulary/strategic.treaty` so that they cannot drift from it.
struct Names {
    type_classes: Vec<String>,
    basings: Vec<String>,
    holding_classes: Vec<String>,
}

fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| {
        let vocabulary = checked("rules/vocabulary/strategic.treaty").vocabulary;
        let values = |attributes: &[AttributeDef], name: &str| match attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| &a.ty)
        {
            Some(AttributeType::Enum { values }) => values.clone(),
            _ => panic!("the strategic vocabulary has no enumeration `{name}`"),
        };
        Names {
            type_classes: values(&vocabulary.type_attributes, "class"),
            basings: values(&vocabulary.type_attributes, "basing"),
            holding_classes: values(&vocabulary.holding_attributes, "class"),
        }
    })
}

fn pick(items: &[String], index: u8) -> &str {
    usize::from(index)
        .checked_rem(items.len())
        .and_then(|i| items.get(i))
        .map_or("", String::as_str)
}

fn truth(out: &mut String, key: &str, value: &Truth) {
    let _ = match value {
        Truth::Unstated => Ok(()),
        Truth::True => writeln!(out, "{key} = true"),
        Truth::False => writeln!(out, "{key} = false"),
        Truth::Unknown => writeln!(out, "{key} = \"unknown\""),
    };
}

fn package(out: &mut String, key: &str, state: &PackageState) {
    let value = match state {
        PackageState::Unstated => return,
        PackageState::Agreed => "agreed",
        PackageState::Open => "open",
        PackageState::Rejected => "rejected",
        PackageState::Unknown => "unknown",
    };
    let _ = writeln!(out, "{key} = \"{value}\"");
}

fn type_name(index: usize, t: &WeaponType) -> String {
    if t.named_backfire && index == 0 {
        "Backfire".to_string()
    } else {
        format!("T{index}")
    }
}

impl Scenario {
    fn parties(&self) -> &'static [&'static str] {
        match self.parties {
            Parties::Usa => &["USA"],
            Parties::Ussr => &["USSR"],
            Parties::Both => &["USA", "USSR"],
            Parties::BothReversed => &["USSR", "USA"],
        }
    }

    fn to_toml(&self) -> String {
        let mut out = String::new();
        let parties = self.parties();
        let year = 1970 + u32::from(self.year % 20);
        let month = 1 + u32::from(self.month % 12);
        let day = 1 + u32::from(self.day % 28);
        let list: Vec<String> = parties.iter().map(|p| format!("\"{p}\"")).collect();
        let _ = writeln!(
            out,
            "[scenario]\ntitle = \"structured\"\ndate = {year}-{month:02}-{day:02}\nparties = [{}]\n",
            list.join(", ")
        );
        out.push_str("[packages]\n");
        package(&mut out, "cruise_missiles", &self.cruise_missiles);
        package(&mut out, "backfire_withdrawn", &self.backfire_withdrawn);
        let types: Vec<&WeaponType> = self.types.iter().take(12).collect();
        for (index, t) in types.iter().enumerate() {
            let _ = writeln!(out, "\n[types.\"{}\"]", type_name(index, t));
            if let Some(class) = t.class {
                let _ = writeln!(out, "class = \"{}\"", pick(&names().type_classes, class));
            }
            if let Some(basing) = t.basing {
                let _ = writeln!(out, "basing = \"{}\"", pick(&names().basings, basing));
            }
            let _ = match t.range {
                Range::Unstated => Ok(()),
                Range::Km(km) => writeln!(out, "range = \"{km} km\""),
                Range::Interval(a, b) => {
                    writeln!(out, "range = \"{}..{} km\"", a.min(b), a.max(b))
                }
                Range::Unknown => writeln!(out, "range = \"unknown\""),
            };
            truth(&mut out, "mirv_tested", &t.mirv_tested);
            if let Some(warheads) = t.warheads {
                let _ = writeln!(out, "warheads = {warheads}");
            }
            truth(&mut out, "intercontinental", &t.intercontinental);
        }
        for (index, h) in self.holdings.iter().take(64).enumerate() {
            let party = if parties.len() == 1 {
                parties.first().copied().unwrap_or("USA")
            } else if h.ussr {
                "USSR"
            } else {
                "USA"
            };
            let _ = writeln!(
                out,
                "\n[[holdings]]\nparty = \"{party}\"\nname = \"H{index}\"\nclass = \"{}\"",
                pick(&names().holding_classes, h.class)
            );
            if let (Some(kind), false) = (h.kind, types.is_empty()) {
                let k = usize::from(kind) % types.len();
                if let Some(t) = types.get(k) {
                    let _ = writeln!(out, "type = \"{}\"", type_name(k, t));
                }
            }
            let _ = match &h.count {
                Count::Exact(n) => writeln!(out, "count = {}", n.value().min(i64::MAX as u64)),
                Count::Interval(a, b) => {
                    let (a, b) = (a.value(), b.value());
                    writeln!(out, "count = \"{}..{}\"", a.min(b), a.max(b))
                }
                Count::OpenEnded(n) => writeln!(out, "count = \"{}..unknown\"", n.value()),
                Count::Unknown => writeln!(out, "count = \"unknown\""),
            };
            truth(&mut out, "mirv_equipped", &h.mirv_equipped);
            truth(&mut out, "mobile", &h.mobile);
            if let (Some(armament), false) = (&h.armament, types.is_empty()) {
                let mut names: Vec<String> = Vec::new();
                for a in armament.iter().take(6) {
                    let k = usize::from(*a) % types.len();
                    if let Some(t) = types.get(k) {
                        let name = format!("\"{}\"", type_name(k, t));
                        if !names.contains(&name) {
                            names.push(name);
                        }
                    }
                }
                let _ = writeln!(out, "armament = [{}]", names.join(", "));
            }
        }
        out
    }
}

fn round_trip(report: &Report) {
    let json = render_json(report);
    let back: Report = match serde_json::from_str(&json) {
        Ok(back) => back,
        Err(error) => panic!("the JSON report does not deserialise: {error}\n{json}"),
    };
    assert_eq!(
        render_json(&back),
        json,
        "the JSON report does not round-trip"
    );
    assert_eq!(&back, report, "the deserialised report differs");
}

fuzz_target!(|scenario: Scenario| {
    let model = letter();
    let text = scenario.to_toml();
    let facts =
        match treaty::scenario::load(&SourceFile::new("structured.toml", text.as_str()), model) {
            Ok(facts) => facts,
            // The generator may write counts a scenario refuses (over 2^53 as TOML integers are
            // fine, but e.g. class/type mismatches are reported); a diagnostic is not a crash.
            Err(_) => return,
        };
    let options = Options::defaults(model);
    if let Ok(report) = eval::evaluate(model, &facts, &options) {
        round_trip(&report);
    }
    if let Ok(report) = eval::evaluate_all_readings(model, &facts, &options) {
        round_trip(&report);
    }
});
