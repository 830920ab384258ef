#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use crate::coverage::{Counts, Coverage, FORMAT as COVERAGE_FORMAT, Passage, Quoter, QuoterKind};
use crate::interval::{Amount, Interval};
use crate::lang::{ProvisionKind, Verdict};
use crate::model::Date;
use crate::report::{
    BoundReport, Contributor, FORMAT, PartyReport, PositionInfo, ProvisionReport, Readings, Report,
    ScenarioInfo,
};

use super::chart::{Bar, chart, describe};
use super::page::slug;
use super::*;

const SCRIPT: &str = "<script>alert(1)</script>";
const ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;";

fn provision(id: &str, kind: ProvisionKind, verdict: Verdict) -> ProvisionReport {
    ProvisionReport {
        id: id.to_string(),
        kind,
        verdict,
        label: None,
        rule: None,
        quantity: None,
        estimated: false,
        bound: None,
        excess: None,
        declared: None,
        declared_consistent: None,
        declared_verdict: None,
        in_force: None,
        quotes: Vec::new(),
        quote_sources: Vec::new(),
        cites: Vec::new(),
        notes: Vec::new(),
        remarks: Vec::new(),
        conditions: Vec::new(),
        contributors: Vec::new(),
        excluded: Vec::new(),
        unknowns: Vec::new(),
        by_reading: None,
        depends_on_reading: None,
    }
}

/// A report whose every name and text a rule file or a scenario supplies holds a script tag.
fn hostile_report() -> Report {
    let mut limit = provision("ceiling", ProvisionKind::Limit, Verdict::Violated);
    limit.label = Some(format!("label {SCRIPT}"));
    limit.rule = Some(format!("count of x <= 10 {SCRIPT}"));
    limit.quantity = Some(Amount::exact(12));
    limit.bound = Some(BoundReport {
        op: "<=".to_string(),
        value: 10,
        from: None,
    });
    limit.excess = Some(2);
    limit.estimated = true;
    limit.declared = Interval::new(9, 10);
    limit.declared_consistent = Some(false);
    limit.declared_verdict = Some(Verdict::Complies);
    limit.remarks = vec![format!("a remark on `{SCRIPT}`")];
    limit.quotes = vec![format!("a quote {SCRIPT}")];
    limit.notes = vec![format!("a note {SCRIPT}")];
    limit.contributors = vec![Contributor {
        holding: format!("holding {SCRIPT}").into(),
        count: Interval::exact(12),
        because: format!("because {SCRIPT}").into(),
        estimated: true,
        source: Some(format!("source {SCRIPT}")),
        defaults: vec![format!("converted: not stated, default {SCRIPT}")],
    }];
    let mut ban = provision("ban", ProvisionKind::Ban, Verdict::Undetermined);
    ban.quantity = Some(Amount {
        min: Some(0),
        max: None,
    });
    ban.contributors = vec![Contributor {
        holding: format!("banned {SCRIPT}").into(),
        count: Interval::UNKNOWN,
        because: "possibly counted".into(),
        estimated: false,
        source: None,
        defaults: Vec::new(),
    }];
    ban.unknowns = vec![format!("count of `{SCRIPT}` is unknown")];
    Report {
        format: FORMAT.to_string(),
        position: PositionInfo {
            title: format!("Title {SCRIPT}"),
            file: "rules/a.treaty".to_string(),
        },
        scenario: ScenarioInfo {
            title: format!("Scenario {SCRIPT}"),
            date: Date::parse("1979-06-18").unwrap(),
            file: "scenarios/a.toml".to_string(),
        },
        readings: Readings(vec![("band".to_string(), SCRIPT.to_string())]),
        warnings: vec![format!("a warning {SCRIPT}")],
        parties: vec![
            PartyReport {
                party: format!("P{SCRIPT}"),
                verdict: Verdict::Violated,
                provisions: vec![limit, ban],
            },
            PartyReport {
                party: "Q".to_string(),
                verdict: Verdict::NotEvaluable,
                provisions: Vec::new(),
            },
        ],
    }
}

fn assert_escaped(html: &str) {
    assert!(!html.contains("<script>alert"), "unescaped script tag");
    assert!(html.contains(ESCAPED));
    // The page's own script, and nothing else.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n<head>"));
    assert!(html.ends_with("</html>\n"));
}

#[test]
fn everything_from_rule_files_and_scenarios_is_escaped() {
    let report = hostile_report();
    let html = render_html(&report, &HtmlOptions::default());
    assert_escaped(&html);
    assert!(html.contains(&format!("Title {ESCAPED}")));
    assert!(html.contains(&format!("holding {ESCAPED}")));
    assert!(html.contains(&format!("banned {ESCAPED}")));
    assert!(html.contains("No provision binds Q."));
    // Ids made from names hold no markup either.
    assert!(html.contains("id=\"party-P.3cscript.3ealert.281.29.3c.2fscript.3e\""));

    // The report-level warning, near the top, in a marked list.
    let warnings = html
        .find("<section class=\"warnings\" id=\"warnings\"")
        .unwrap();
    assert!(warnings < html.find("<main>").unwrap());
    assert!(html.contains(&format!("<li>a warning {ESCAPED}</li>")));
    // The estimated quantity: marked, explained by the text report's legend, said in words.
    assert!(html.contains(
        "<p class=\"estimate-legend\">~ marks a quantity that rests on at least one holding the scenario marks <code>estimated</code></p>"
    ));
    assert!(html.contains(">~12</text>"));
    assert!(html.contains(&format!(
        "P{ESCAPED}: 12 (estimated), against the bound ≤ 10: over by 2."
    )));
    // The declared figure beside the computed one; the remark visible outside the details.
    assert!(html.contains(
        "<strong>Declared:</strong> 9..10, <span class=\"inconsistent\">inconsistent with the holdings (<abbr class=\"estimated\" title=\"estimated\">~</abbr>12)</span>; on the declared figure: <span class=\"badge complies\">"
    ));
    let remark = html
        .find(&format!(
            "<p class=\"remark\"><strong>Remark:</strong> a remark on <code>{ESCAPED}</code></p>"
        ))
        .unwrap();
    assert!(remark < html.find("<details").unwrap());
    // The estimated contributor, marked, with its source.
    assert!(html.contains(&format!(
        "<td class=\"num\"><abbr class=\"estimated\" title=\"estimated\">~</abbr>12</td><td>because {ESCAPED}<br><span class=\"estimate\">Estimated: source {ESCAPED}</span></td>"
    )));

    let compared = render_comparison_html(&[report.clone(), report], false);
    assert_escaped(&compared);
    assert!(compared.contains(&format!("<li><code>a</code>: a warning {ESCAPED}</li>")));
    assert!(compared.contains("class=\"estimate-legend\""));
    assert!(compared.contains("a: 12 (estimated), against the bound ≤ 10: over by 2."));
}

#[test]
fn prose_sets_names_as_code_and_leaves_stray_backticks() {
    use super::page::prose;
    assert_eq!(
        prose("no holding in `backfire`: vacuous").into_string(),
        "no holding in <code>backfire</code>: vacuous"
    );
    assert_eq!(prose("a ` b").into_string(), "a ` b");
    assert_eq!(prose("`<b>`").into_string(), "<code>&lt;b&gt;</code>");
    assert_eq!(prose("").into_string(), "");
}

#[test]
fn the_literate_view_escapes_the_source_text() {
    let text = format!("A text {SCRIPT} with a quoted passage. And more.");
    let start = text.find("a quoted").unwrap();
    let coverage = Coverage {
        format: COVERAGE_FORMAT.to_string(),
        position: PositionInfo {
            title: format!("T {SCRIPT}"),
            file: "r.treaty".to_string(),
        },
        scenario: None,
        sources: vec![crate::coverage::Source {
            file: format!("s {SCRIPT}.txt"),
            counts: Counts::default(),
            sentences: Vec::new(),
            passages: vec![Passage {
                start,
                end: start + "a quoted passage".len(),
                line: 1,
                text: "a quoted passage".to_string(),
                quoted_by: vec![Quoter {
                    kind: QuoterKind::Category,
                    name: format!("c{SCRIPT}"),
                    label: Some(SCRIPT.to_string()),
                    verdicts: Vec::new(),
                }],
            }],
            text,
        }],
    };
    let html = render_coverage_html(&coverage);
    assert_escaped(&html);
    assert!(html.contains("<mark>a quoted passage</mark>"));
    assert!(html.contains("id=\"src0-p1\""));
}

#[test]
fn captions_say_what_the_bars_show() {
    let bound = BoundReport {
        op: "<=".to_string(),
        value: 2400,
        from: None,
    };
    let over = Bar {
        label: "USSR",
        quantity: Some(Amount::exact(2504)),
        bound: Some(&bound),
        excess: Some(104),
        verdict: Verdict::Violated,
        estimated: false,
    };
    assert_eq!(
        describe("", &over),
        "USSR: 2504, against the bound ≤ 2400: over by 104."
    );
    let open = Bar {
        label: "USSR",
        quantity: Some(Amount {
            min: Some(1200),
            max: Some(1400),
        }),
        bound: Some(&bound),
        excess: None,
        verdict: Verdict::Undetermined,
        estimated: false,
    };
    assert_eq!(
        describe("", &open),
        "USSR: between 1200 and 1400, against the bound ≤ 2400."
    );
    let later = BoundReport {
        op: "<=".to_string(),
        value: 1300,
        from: Date::parse("1981-01-01"),
    };
    let unbounded = Bar {
        label: "USA",
        quantity: Some(Amount {
            min: Some(1200),
            max: None,
        }),
        bound: Some(&later),
        excess: None,
        verdict: Verdict::Undetermined,
        estimated: false,
    };
    assert_eq!(
        describe("count", &unbounded),
        "USA: count at least 1200, no upper value known, against the bound ≤ 1300 (in force from 1981-01-01): may be over, with no upper value known."
    );
    let floor = BoundReport {
        op: ">=".to_string(),
        value: 10,
        from: None,
    };
    let short = Bar {
        label: "A",
        quantity: Some(Amount::exact(4)),
        bound: Some(&floor),
        excess: Some(6),
        verdict: Verdict::Violated,
        estimated: false,
    };
    assert_eq!(
        describe("", &short),
        "A: 4, against the bound ≥ 10: short by 6."
    );

    let svg = chart("c", "", &[over, open, unbounded, short]).into_string();
    assert!(svg.contains("class=\"excess\""));
    assert!(svg.contains(">+104</text>"));
    assert!(svg.contains("class=\"shortfall\""));
    assert!(svg.contains(">−6</text>"));
    assert!(svg.contains("class=\"possible\""));
    assert!(svg.contains("class=\"arrow\""));
    assert!(svg.contains("aria-labelledby=\"c-caption\""));
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
}

#[test]
fn charts_of_odd_quantities_stay_finite() {
    let bound = BoundReport {
        op: "<".to_string(),
        value: 0,
        from: None,
    };
    for quantity in [
        None,
        Some(Amount::exact(0)),
        Some(Amount {
            min: None,
            max: None,
        }),
        Some(Amount {
            min: Some(-50),
            max: Some(-10),
        }),
        Some(Amount {
            min: None,
            max: Some(5),
        }),
        Some(Amount::exact(i128::from(u64::MAX))),
    ] {
        let bar = Bar {
            label: "a very long position name that will not fit",
            quantity,
            bound: Some(&bound),
            excess: None,
            verdict: Verdict::Undetermined,
            estimated: false,
        };
        let svg = chart("c", "", &[bar]).into_string();
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        assert!(svg.contains("a very long posit…"));
    }
}

#[test]
fn slugs_keep_names_apart() {
    assert_eq!(slug("aggregate_ceiling"), "aggregate_ceiling");
    assert_ne!(slug("a b"), slug("a_b"));
    assert_ne!(slug("a.b"), slug("a-b"));
    assert!(
        slug("Ünïcode <x>")
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    );
}
