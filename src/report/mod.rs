//! The report of an evaluation, and its renderers.
//!
//! [`Report`] is the JSON contract `treaty-report/1` (documented in `docs/report-format.md`):
//! fields may be added in later versions of the format, never removed or changed in meaning.
//! Everything in it is ordered (parties as the scenario lists them, provisions in file order,
//! readings in file order), so rendering the same evaluation twice gives identical bytes.
#![warn(missing_docs)]

mod compare;
mod markdown;
mod printable;
mod text;

use crate::lang::{ProvisionKind, Verdict};
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::interval::{Amount, Interval};
use crate::model::Date;

pub use compare::{
    COMPARISON_FORMAT, render_comparison, render_comparison_json, render_comparison_markdown,
    render_comparison_text,
};
pub use markdown::render_markdown;
pub use text::{TextOptions, render_text};

/// The value of the `format` field: the name and major version of the contract.
pub const FORMAT: &str = "treaty-report/1";

crate::lang::word_list! {
    /// How a report (or a comparison of reports) is rendered.
    #[serde(rename_all = "snake_case")]
    Format {
        /// Aligned tables for a terminal ([`render_text`]).
        Text => "text",
        /// The `treaty-report/1` contract ([`render_json`]).
        Json => "json",
        /// GitHub-flavoured Markdown ([`render_markdown`]).
        Markdown => "markdown",
    }
}

/// The report in `format`; `options` matter to text only.
pub fn render(report: &Report, format: Format, options: &TextOptions) -> String {
    match format {
        Format::Text => render_text(report, options),
        Format::Json => render_json(report),
        Format::Markdown => render_markdown(report),
    }
}

/// The verdicts on every provision for every party, with the reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`FORMAT`].
    pub format: String,
    /// The rule file evaluated.
    pub position: PositionInfo,
    /// The scenario it was evaluated against.
    pub scenario: ScenarioInfo,
    /// The variant of every reading the verdicts were reached under, in file order.
    pub readings: Readings,
    /// In the order the scenario lists the parties.
    pub parties: Vec<PartyReport>,
}

/// The rule file evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionInfo {
    /// The title in the rule file's header.
    pub title: String,
    /// The rule file's path, as given.
    pub file: String,
}

/// The scenario evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioInfo {
    /// The scenario's title.
    pub title: String,
    /// The date the scenario describes; bounds and periods are taken at it.
    pub date: Date,
    /// The scenario's path, as given.
    pub file: String,
}

/// Reading name → variant name, in the order of the rule file. Serialised as a JSON object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Readings(pub Vec<(String, String)>);

impl Readings {
    /// The variant chosen for a reading.
    pub fn get(&self, reading: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| name == reading)
            .map(|(_, variant)| variant.as_str())
    }

    /// (reading, variant) pairs, in file order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(r, v)| (r.as_str(), v.as_str()))
    }

    /// Whether the position has no readings.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `alcm_band=inclusive, other=x`, or `none` when there are no readings.
    pub fn describe(&self) -> String {
        if self.0.is_empty() {
            return "none".to_string();
        }
        self.iter()
            .map(|(r, v)| format!("{r}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Serialize for Readings {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (reading, variant) in &self.0 {
            map.serialize_entry(reading, variant)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Readings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ReadingsVisitor;

        impl<'de> Visitor<'de> for ReadingsVisitor {
            type Value = Readings;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of reading names to variant names")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Readings, A::Error> {
                let mut entries = Vec::new();
                while let Some((reading, variant)) = access.next_entry::<String, String>()? {
                    entries.push((reading, variant));
                }
                Ok(Readings(entries))
            }
        }

        deserializer.deserialize_map(ReadingsVisitor)
    }
}

/// One party's verdicts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyReport {
    /// The party's name.
    pub party: String,
    /// The worst verdict over `provisions` (see [`Verdict::severity`]); `not_evaluable` when
    /// no provision binds the party.
    pub verdict: Verdict,
    /// The provisions that apply to the party, in file order.
    pub provisions: Vec<ProvisionReport>,
}

/// The verdict on one provision for one party, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionReport {
    /// The provision's id.
    pub id: String,
    /// Limit, ban, assurance or statement.
    pub kind: ProvisionKind,
    /// The verdict for this party.
    pub verdict: Verdict,
    /// The provision's label, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The rule as written (`count of delivery_vehicles <= 2400`); absent for statements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Limits and bans: the quantity measured, as an interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Amount>,
    /// Limits: the bound in force at the scenario's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<BoundReport>,
    /// Limits and bans when violated: the least change of the quantity that would comply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excess: Option<u64>,
    /// The source text the provision rests on.
    pub quotes: Vec<String>,
    /// The provision's remarks for the reader.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The provision's conditions as written; it applies only when all hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// Every holding that counted toward the quantity (or that an assurance covers).
    pub contributors: Vec<Contributor>,
    /// For undetermined verdicts: the unknown values that decide it. Empty otherwise.
    pub unknowns: Vec<String>,
    /// With every combination of readings evaluated: the verdict under each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_reading: Option<Vec<ReadingVerdict>>,
    /// With every combination of readings evaluated: whether the verdicts differ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depends_on_reading: Option<bool>,
}

impl PartyReport {
    /// Whether the summary table has a column for readings: every combination was evaluated.
    fn shows_readings(&self) -> bool {
        self.provisions
            .iter()
            .any(|p| p.depends_on_reading.is_some())
    }
}

/// A provision's cells in a party's summary table, as plain text. The text and Markdown
/// renderers pad, colour or escape them; neither formats a value itself.
struct Row<'a> {
    id: &'a str,
    kind: &'static str,
    verdict: &'static str,
    /// The rest are empty where the provision has no such value.
    quantity: String,
    bound: String,
    excess: String,
    /// Whether the verdict depends on the readings, when every combination was evaluated.
    depends_on_reading: Option<bool>,
}

impl ProvisionReport {
    fn row(&self) -> Row<'_> {
        Row {
            id: &self.id,
            kind: self.kind.as_str(),
            verdict: self.verdict.as_str(),
            quantity: self.quantity.map(|q| q.to_string()).unwrap_or_default(),
            bound: self
                .bound
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            excess: self.excess.map(|e| e.to_string()).unwrap_or_default(),
            depends_on_reading: self.depends_on_reading,
        }
    }
}

/// A limit's bound in force at the scenario's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoundReport {
    /// `<=`, `<`, `>=`, `>`, `=` or `!=`.
    pub op: String,
    /// The bound itself.
    pub value: u64,
    /// The date from which this bound applies, when it replaced an earlier one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
}

impl fmt::Display for BoundReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.op, self.value)
    }
}

/// A holding that counted, by how much, and under which rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contributor {
    /// The holding's name in the scenario.
    pub holding: String,
    /// What it added: its count (times the weight, in a sum; from 0 when it may not belong).
    pub count: Interval,
    /// Why: the category definition that selected it (and, for an assurance, whether the
    /// requirement holds).
    pub because: String,
}

/// The verdict under one combination of readings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingVerdict {
    /// The variant of every reading.
    pub readings: Readings,
    /// The verdict under them.
    pub verdict: Verdict,
}

/// The report as pretty-printed JSON with a trailing newline.
pub fn render_json(report: &Report) -> String {
    match serde_json::to_string_pretty(report) {
        Ok(mut json) => {
            json.push('\n');
            json
        }
        // Unreachable: every map key is a string. Still valid JSON, never a panic.
        Err(error) => format!(
            "{{\n  \"format\": {},\n  \"error\": {}\n}}\n",
            serde_json::Value::from(FORMAT),
            serde_json::Value::from(error.to_string())
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn report() -> Report {
        Report {
            format: FORMAT.to_string(),
            position: PositionInfo {
                title: "A position".to_string(),
                file: "rules/a.treaty".to_string(),
            },
            scenario: ScenarioInfo {
                title: "A scenario".to_string(),
                date: Date::parse("1979-06-18").unwrap(),
                file: "scenarios/a.toml".to_string(),
            },
            readings: Readings(vec![
                ("zeta".to_string(), "one".to_string()),
                ("alpha".to_string(), "two".to_string()),
            ]),
            parties: vec![
                PartyReport {
                    party: "USA".to_string(),
                    verdict: Verdict::Undetermined,
                    provisions: vec![ProvisionReport {
                        id: "ceiling".to_string(),
                        kind: ProvisionKind::Limit,
                        verdict: Verdict::Undetermined,
                        label: None,
                        rule: Some("count of x <= 10".to_string()),
                        quantity: Some(Amount {
                            min: Some(5),
                            max: None,
                        }),
                        bound: Some(BoundReport {
                            op: "<=".to_string(),
                            value: 10,
                            from: None,
                        }),
                        excess: None,
                        quotes: vec!["a | quote".to_string()],
                        notes: Vec::new(),
                        conditions: Vec::new(),
                        contributors: vec![Contributor {
                            holding: "Ünïcode launchers".to_string(),
                            count: Interval { min: 5, max: None },
                            because: "counted in `x`: holdings where a | b".to_string(),
                        }],
                        unknowns: vec!["count of `Ünïcode launchers` is 5..unknown".to_string()],
                        by_reading: None,
                        depends_on_reading: None,
                    }],
                },
                PartyReport {
                    party: "USSR".to_string(),
                    verdict: Verdict::NotEvaluable,
                    provisions: Vec::new(),
                },
            ],
        }
    }

    #[test]
    fn readings_keep_file_order_and_round_trip() {
        let json = render_json(&report());
        let zeta = json.find("\"zeta\"").unwrap();
        let alpha = json.find("\"alpha\"").unwrap();
        assert!(zeta < alpha);
        assert!(json.contains("\"max\": null"));
        assert!(!json.contains("\"label\""));
        assert!(!json.contains("\"by_reading\""));
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back, report());
        assert_eq!(back.readings.get("alpha"), Some("two"));
        assert_eq!(back.readings.describe(), "zeta=one, alpha=two");
    }

    #[test]
    fn unknown_fields_are_ignored_when_reading() {
        // Text edits, not `serde_json::Value`, which would reorder the keys.
        let json = render_json(&report())
            .replacen(
                "\"format\": ",
                "\"extension\": {\"a\": [1]},\n  \"format\": ",
                1,
            )
            .replacen(
                "\"id\": \"ceiling\",",
                "\"id\": \"ceiling\", \"future_field\": \"x\",",
                1,
            );
        assert!(json.contains("future_field"));
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back, report());
    }

    #[test]
    fn text_handles_unicode_and_parties_without_provisions() {
        let text = render_text(
            &report(),
            &TextOptions {
                explain: true,
                color: false,
            },
        );
        assert!(text.contains("USSR: not_evaluable\n  (no provision binds USSR)"));
        assert!(text.contains("5..unknown  Ünïcode launchers: counted in `x`"));
        assert!(text.contains("  readings  zeta=one, alpha=two"));
        assert!(text.lines().all(|line| line == line.trim_end()));
    }

    #[test]
    fn render_dispatches_on_the_format() {
        let options = TextOptions {
            explain: true,
            color: false,
        };
        for format in Format::ALL {
            assert_eq!(Format::parse(format.as_str()), Some(*format));
        }
        assert_eq!(Format::parse("html"), None);
        let report = report();
        assert_eq!(
            render(&report, Format::Text, &options),
            render_text(&report, &options)
        );
        assert_eq!(
            render(&report, Format::Json, &options),
            render_json(&report)
        );
        assert_eq!(
            render(&report, Format::Markdown, &options),
            render_markdown(&report)
        );
        let reports = [report.clone(), report];
        assert_eq!(
            render_comparison(&reports, Format::Text, &options),
            render_comparison_text(&reports, &options)
        );
        assert_eq!(
            render_comparison(&reports, Format::Json, &options),
            render_comparison_json(&reports)
        );
        assert_eq!(
            render_comparison(&reports, Format::Markdown, &options),
            render_comparison_markdown(&reports)
        );
    }

    #[test]
    fn markdown_escapes_table_cells() {
        let markdown = render_markdown(&report());
        assert!(markdown.contains(
            "| Ünïcode launchers | 5..unknown | counted in `x`: holdings where a \\| b |"
        ));
        assert!(markdown.contains("No provision binds USSR."));
        assert!(markdown.ends_with(".\n"));
        assert!(!markdown.contains("\n\n\n"));
    }
}
