//! The report of an evaluation, and its renderers.
//!
//! [`Report`] is the JSON contract `treaty-report/1` (documented in `docs/report-format.md`):
//! fields may be added in later versions of the format, never removed or changed in meaning.
//! Everything in it is ordered (parties as the scenario lists them, provisions in file order,
//! readings in file order), so rendering the same evaluation twice gives identical bytes.
#![warn(missing_docs)]

mod compare;
mod definitions;
pub mod html;
mod markdown;
mod printable;
mod text;

use crate::lang::{ProvisionKind, Verdict};
use std::fmt;
use std::sync::Arc;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::interval::{Amount, Interval};
use crate::model::Date;

pub use compare::{
    COMPARISON_FORMAT, Cell, Comparison, Counting, PartyComparison, Row as ComparisonRow,
    render_comparison, render_comparison_json, render_comparison_markdown, render_comparison_text,
};
pub use html::{HtmlOptions, render_comparison_html, render_coverage_html, render_html};
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
        /// One self-contained HTML page with charts ([`render_html`]).
        Html => "html",
    }
}

/// The report in `format`; `options` matter to text (and `explain` to HTML). HTML rendered
/// here has no literate view of the source: [`render_html`] takes one.
pub fn render(report: &Report, format: Format, options: &TextOptions) -> String {
    match format {
        Format::Text => render_text(report, options),
        Format::Json => render_json(report),
        Format::Markdown => render_markdown(report),
        Format::Html => render_html(
            report,
            &HtmlOptions {
                explain: options.explain,
                literate: None,
            },
        ),
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
    /// What the reader should know before trusting the verdicts: a party with no holdings,
    /// a declared figure the position has no provision for, a provision that could not be
    /// evaluated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
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

impl PositionInfo {
    /// The position `model` is, named by its file.
    pub fn of(model: &crate::model::Model) -> PositionInfo {
        PositionInfo {
            title: model.title.clone(),
            file: model.file.name.clone(),
        }
    }
}

impl ScenarioInfo {
    /// The scenario `facts` come from, named by its file.
    pub fn of(facts: &crate::scenario::Facts) -> ScenarioInfo {
        ScenarioInfo {
            title: facts.title.clone(),
            date: facts.date,
            file: facts.file.name.clone(),
        }
    }
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
    /// The quantity (or, for an assurance, what it covers) rests on at least one holding the
    /// scenario marks `estimated`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
    /// Limits: the bound in force at the scenario's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<BoundReport>,
    /// When the provision is in force: given when it is `not_in_force`, or when an end of its
    /// period counts from entry into force or signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force: Option<PeriodReport>,
    /// Limits and bans when violated: the least change of the quantity that would comply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excess: Option<u64>,
    /// The figure the party declared for this provision (`[declared.PARTY]` of the scenario).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared: Option<Interval>,
    /// With a declared figure and a quantity: whether the declaration is possible given the
    /// holdings (the two intervals share a value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_consistent: Option<bool>,
    /// With a declared figure: the verdict the provision would have if its quantity were the
    /// declared figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_verdict: Option<Verdict>,
    /// The source text the provision rests on.
    pub quotes: Vec<String>,
    /// Where the position names its sources: the source each of `quotes` stands in (its
    /// name, or the path of the unnamed source), in the same order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quote_sources: Vec<String>,
    /// Texts the provision rests on that are cited, not quoted (not verified).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<String>,
    /// The provision's remarks for the reader.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What the evaluation remarks on this verdict: an assurance that holds only because
    /// nothing is in its category, a provision that could not be evaluated and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
    /// The provision's conditions as written; it applies only when all hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// Every holding that counted toward the quantity (or that an assurance covers).
    pub contributors: Vec<Contributor>,
    /// Holdings left out by the variant of a reading that their category's selection tests,
    /// which another variant would count; `count` is what they would add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<Contributor>,
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

    /// Whether the summary table has a column for declared figures.
    fn shows_declared(&self) -> bool {
        self.provisions.iter().any(|p| p.declared.is_some())
    }
}

impl Report {
    /// The verdict of every provision, party by party, as [`crate::eval::verdicts`] gives them.
    pub fn verdicts(&self) -> Vec<Verdict> {
        self.parties
            .iter()
            .flat_map(|p| p.provisions.iter().map(|p| p.verdict))
            .collect()
    }

    /// Whether some quantity shown rests on an estimate, so that renderers explain the mark.
    fn has_estimates(&self) -> bool {
        self.parties
            .iter()
            .flat_map(|p| &p.provisions)
            .any(|p| p.estimated && p.quantity.is_some())
    }

    /// With every combination of readings evaluated: how many combinations there were.
    pub fn reading_combinations(&self) -> Option<usize> {
        self.parties
            .iter()
            .flat_map(|p| &p.provisions)
            .find_map(|p| p.by_reading.as_ref().map(Vec::len))
    }
}

impl ProvisionReport {
    /// With every combination of readings evaluated: whether the verdict or the quantity
    /// differs between them.
    pub fn varies_by_reading(&self) -> bool {
        self.by_reading.as_ref().is_some_and(|list| {
            list.first().is_some_and(|first| {
                list.iter()
                    .any(|rv| rv.verdict != first.verdict || rv.quantity != first.quantity)
            })
        })
    }
}

/// Before a quantity that rests on at least one estimated holding: `~2504`.
const ESTIMATE_MARK: &str = "~";

/// The line that explains [`ESTIMATE_MARK`].
const ESTIMATE_LEGEND: &str =
    "~ marks a quantity that rests on at least one holding the scenario marks `estimated`";

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
    /// `2504 (consistent; violated)`: the declared figure, whether the holdings allow it, and
    /// the verdict on it.
    declared: String,
    /// Whether the verdict depends on the readings, when every combination was evaluated.
    depends_on_reading: Option<bool>,
}

impl ProvisionReport {
    fn row(&self) -> Row<'_> {
        Row {
            id: &self.id,
            kind: self.kind.as_str(),
            verdict: self.verdict.as_str(),
            quantity: self
                .quantity
                .map(|q| {
                    let mark = if self.estimated { ESTIMATE_MARK } else { "" };
                    format!("{mark}{q}")
                })
                .unwrap_or_default(),
            bound: self
                .bound
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            excess: self.excess.map(|e| e.to_string()).unwrap_or_default(),
            declared: self.declared_cell(),
            depends_on_reading: self.depends_on_reading,
        }
    }
}

impl ProvisionReport {
    /// Whether the verdict leaves the provision unsettled: violated, undetermined, or not
    /// evaluable because its quantity could not be computed (it has a remark saying why).
    /// Statements, which are never evaluated, are settled.
    pub fn is_unsettled(&self) -> bool {
        match self.verdict {
            Verdict::Violated | Verdict::Undetermined => true,
            Verdict::NotEvaluable => {
                self.kind != ProvisionKind::Statement && !self.remarks.is_empty()
            }
            Verdict::Complies | Verdict::NotApplicable | Verdict::NotInForce => false,
        }
    }

    /// The declared-figure cell of the summary table; empty without a declared figure.
    fn declared_cell(&self) -> String {
        let Some(figure) = self.declared else {
            return String::new();
        };
        let mut parts = Vec::new();
        match self.declared_consistent {
            Some(true) => parts.push("consistent"),
            Some(false) => parts.push("inconsistent"),
            None => {}
        }
        if let Some(verdict) = self.declared_verdict {
            parts.push(verdict.as_str());
        }
        if parts.is_empty() {
            figure.to_string()
        } else {
            format!("{figure} ({})", parts.join("; "))
        }
    }

    /// The explanation of the declared figure: `declared: 2400, inconsistent with the holdings
    /// (2504); on the declared figure: complies`.
    fn declared_line(&self) -> Option<String> {
        let figure = self.declared?;
        let mut line = format!("declared: {figure}");
        match (self.declared_consistent, self.quantity) {
            (Some(true), Some(q)) => {
                line.push_str(&format!(", consistent with the holdings ({q})"))
            }
            (Some(false), Some(q)) => {
                line.push_str(&format!(", inconsistent with the holdings ({q})"));
            }
            _ => {}
        }
        if let Some(verdict) = self.declared_verdict {
            line.push_str(&format!("; on the declared figure: {verdict}"));
        }
        Some(line)
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

/// A provision's period, resolved, with the ends written as date expressions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodReport {
    /// The first day in force; absent: from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// `from` as the rule file writes it (`entry into force + 18 months`), when it counts from
    /// the header's dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_written: Option<String>,
    /// The last day in force; absent: without end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// `until` as the rule file writes it, when it counts from the header's dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_written: Option<String>,
}

impl fmt::Display for PeriodReport {
    /// `from 1989-12-01 (entry into force + 18 months) until 1991-06-01`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        for (word, date, written) in [
            ("from", self.from, &self.from_written),
            ("until", self.until, &self.until_written),
        ] {
            if let Some(date) = date {
                parts.push(match written {
                    Some(written) => format!("{word} {date} ({written})"),
                    None => format!("{word} {date}"),
                });
            }
        }
        f.write_str(&parts.join(" "))
    }
}

/// A holding that counted, by how much, and under which rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contributor {
    /// The holding's name in the scenario (shared with the scenario's facts).
    pub holding: Arc<str>,
    /// What it added: its count (times the weight, in a sum; from 0 when it may not belong).
    pub count: Interval,
    /// Why: the category definition that selected it (and, for an assurance, whether the
    /// requirement holds). Shared by the contributors that count for the same reason: a
    /// quantity of a million holdings does not keep a million copies of it.
    pub because: Arc<str>,
    /// The holding is marked `estimated` in the scenario.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
    /// Where the holding's figures come from, when the scenario says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The attributes the scenario does not state whose declared default decided it
    /// (`converted: not stated, default no`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub defaults: Vec<String>,
}

impl Contributor {
    /// `because`, then the defaults that decided, as the text and Markdown reports say it.
    pub fn explained(&self) -> String {
        let mut text = self.because.to_string();
        for default in &self.defaults {
            text.push_str("; ");
            text.push_str(default);
        }
        text
    }
}

/// The verdict under one combination of readings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingVerdict {
    /// The variant of every reading.
    pub readings: Readings,
    /// The verdict under them.
    pub verdict: Verdict,
    /// Limits and bans: the quantity under them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Amount>,
}

impl ReadingVerdict {
    /// `violated with 20`: the verdict, and the quantity when there is one.
    pub fn outcome(&self) -> String {
        match self.quantity {
            Some(quantity) => format!("{} with {quantity}", self.verdict),
            None => self.verdict.to_string(),
        }
    }
}

/// Write the report as [`render_json`] renders it, without holding the text in memory: the
/// JSON of a scenario of two million holdings is over a gigabyte.
pub fn write_json(report: &Report, out: &mut impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}

/// The report as pretty-printed JSON with a trailing newline.
pub fn render_json(report: &Report) -> String {
    pretty_json(report, FORMAT)
}

/// `value` as pretty-printed JSON with a trailing newline: the one way every versioned JSON
/// document of the tool (`format`) is written. Serialising cannot fail for these types (every
/// map key is a string); if it did, the output is still valid JSON that says so.
pub(crate) fn pretty_json<T: Serialize>(value: &T, format: &str) -> String {
    json_text(value, format, true)
}

/// `value` as JSON on one line with a trailing newline (a line of JSON lines); as
/// [`pretty_json`] otherwise.
pub(crate) fn json_line<T: Serialize>(value: &T, format: &str) -> String {
    json_text(value, format, false)
}

fn json_text<T: Serialize>(value: &T, format: &str, pretty: bool) -> String {
    let written = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    match written {
        Ok(mut json) => {
            json.push('\n');
            json
        }
        Err(error) => {
            let format = serde_json::Value::from(format);
            let error = serde_json::Value::from(error.to_string());
            if pretty {
                format!("{{\n  \"format\": {format},\n  \"error\": {error}\n}}\n")
            } else {
                format!("{{\"format\":{format},\"error\":{error}}}\n")
            }
        }
    }
}

#[cfg(test)]
mod tests {
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
            warnings: Vec::new(),
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
                        estimated: false,
                        bound: Some(BoundReport {
                            op: "<=".to_string(),
                            value: 10,
                            from: None,
                        }),
                        in_force: None,
                        excess: None,
                        declared: None,
                        declared_consistent: None,
                        declared_verdict: None,
                        quotes: vec!["a | quote".to_string()],
                        quote_sources: Vec::new(),
                        cites: Vec::new(),
                        notes: Vec::new(),
                        remarks: Vec::new(),
                        conditions: Vec::new(),
                        contributors: vec![Contributor {
                            holding: "Ünïcode launchers".into(),
                            count: Interval { min: 5, max: None },
                            because: "counted in `x`: holdings where a | b".into(),
                            estimated: false,
                            source: None,
                            defaults: Vec::new(),
                        }],
                        excluded: Vec::new(),
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
    fn the_fields_added_in_version_1_round_trip_and_are_left_out_when_empty() {
        let plain = render_json(&report());
        for field in ["warnings", "estimated", "declared", "remarks", "source"] {
            assert!(!plain.contains(&format!("\"{field}")), "{field}");
        }
        let mut full = report();
        full.warnings
            .push("USSR has no holdings in the scenario".to_string());
        let provision = &mut full.parties[0].provisions[0];
        provision.estimated = true;
        provision.declared = Interval::new(6, 8);
        provision.declared_consistent = Some(true);
        provision.declared_verdict = Some(Verdict::Complies);
        provision.remarks.push("a remark".to_string());
        provision.contributors[0].estimated = true;
        provision.contributors[0].source = Some("an estimate".to_string());
        let json = render_json(&full);
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back, full);
        let text = render_text(&full, &TextOptions::default());
        assert!(text.contains("  warning   USSR has no holdings in the scenario"));
        assert!(text.contains("~5..unknown"));
        assert!(text.contains("6..8 (consistent; complies)"));
        assert!(text.contains("      note: a remark"));
        assert!(text.ends_with(&format!("\n{ESTIMATE_LEGEND}\n")));
        let markdown = render_markdown(&full);
        assert!(markdown.contains("| \\~5..unknown |"));
        assert!(markdown.contains("**Remark:** a remark"));
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
                width: None,
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
            width: None,
        };
        for format in Format::ALL {
            assert_eq!(Format::parse(format.as_str()), Some(*format));
        }
        assert_eq!(Format::parse("html"), Some(Format::Html));
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
