//! Reports as text for people: every string in them (names from rule files and scenarios,
//! titles, file names) with the characters that would act on a terminal escaped
//! ([`crate::terminal::printable`]). JSON needs none of this: it escapes them itself.

use std::borrow::Cow;
use std::sync::Arc;

use super::Report;
use crate::terminal::{is_unsafe, printable};

/// `report` with every string made printable; borrowed (no copy) when none needs it.
pub(super) fn printable_report(report: &Report) -> Cow<'_, Report> {
    if !strings(report).any(|text| text.chars().any(is_unsafe)) {
        return Cow::Borrowed(report);
    }
    let mut escaped = report.clone();
    for text in strings_mut(&mut escaped) {
        if let Cow::Owned(safe) = printable(text) {
            *text = safe;
        }
    }
    for party in &mut escaped.parties {
        for p in &mut party.provisions {
            for c in p.contributors.iter_mut().chain(p.excluded.iter_mut()) {
                if let Cow::Owned(safe) = printable(&c.because) {
                    c.because = Arc::from(safe);
                }
                if let Cow::Owned(safe) = printable(&c.holding) {
                    c.holding = Arc::from(safe);
                }
            }
        }
    }
    Cow::Owned(escaped)
}

/// The reports of a comparison, each made printable.
pub(super) fn printable_reports(reports: &[Report]) -> Cow<'_, [Report]> {
    if reports
        .iter()
        .all(|report| matches!(printable_report(report), Cow::Borrowed(_)))
    {
        return Cow::Borrowed(reports);
    }
    Cow::Owned(
        reports
            .iter()
            .map(|report| printable_report(report).into_owned())
            .collect(),
    )
}

/// Every string of the report. Keep in step with [`strings_mut`]; the test
/// `every_string_of_a_report_is_escaped` fails when a field is missing from either.
fn strings(report: &Report) -> impl Iterator<Item = &str> {
    let head = [
        &report.format,
        &report.position.title,
        &report.position.file,
        &report.scenario.title,
        &report.scenario.file,
    ];
    let readings = report.readings.0.iter().flat_map(|(r, v)| [r, v]);
    let parties = report.parties.iter().flat_map(|party| {
        std::iter::once(party.party.as_str()).chain(party.provisions.iter().flat_map(|p| {
            let by_reading = p
                .by_reading
                .iter()
                .flatten()
                .flat_map(|rv| rv.readings.0.iter().flat_map(|(r, v)| [r, v]));
            [&p.id]
                .into_iter()
                .chain(&p.label)
                .chain(&p.rule)
                .chain(p.bound.as_ref().map(|b| &b.op))
                .chain(&p.quotes)
                .chain(&p.quote_sources)
                .chain(&p.cites)
                .chain(&p.notes)
                .chain(&p.remarks)
                .chain(
                    p.in_force
                        .iter()
                        .flat_map(|i| i.from_written.iter().chain(&i.until_written)),
                )
                .chain(&p.conditions)
                .map(String::as_str)
                .chain(p.contributors.iter().flat_map(contributor_strings))
                .chain(p.excluded.iter().flat_map(contributor_strings))
                .chain(p.unknowns.iter().map(String::as_str))
                .chain(by_reading.map(String::as_str))
        }))
    });
    head.into_iter()
        .chain(readings)
        .chain(&report.warnings)
        .map(String::as_str)
        .chain(parties)
}

/// Every string of a contributor.
fn contributor_strings(c: &super::Contributor) -> impl Iterator<Item = &str> {
    [&*c.holding, &*c.because]
        .into_iter()
        .chain(c.source.as_deref())
        .chain(c.defaults.iter().map(String::as_str))
}

/// Every string of the report, to change.
fn strings_mut(report: &mut Report) -> Vec<&mut String> {
    let mut all: Vec<&mut String> = vec![
        &mut report.format,
        &mut report.position.title,
        &mut report.position.file,
        &mut report.scenario.title,
        &mut report.scenario.file,
    ];
    for (reading, variant) in &mut report.readings.0 {
        all.extend([reading, variant]);
    }
    all.extend(report.warnings.iter_mut());
    for party in &mut report.parties {
        all.push(&mut party.party);
        for p in &mut party.provisions {
            all.push(&mut p.id);
            all.extend(p.label.as_mut());
            all.extend(p.rule.as_mut());
            all.extend(p.bound.as_mut().map(|b| &mut b.op));
            all.extend(p.quotes.iter_mut());
            all.extend(p.quote_sources.iter_mut());
            all.extend(p.cites.iter_mut());
            all.extend(p.notes.iter_mut());
            all.extend(p.remarks.iter_mut());
            if let Some(in_force) = &mut p.in_force {
                all.extend(in_force.from_written.as_mut());
                all.extend(in_force.until_written.as_mut());
            }
            all.extend(p.conditions.iter_mut());
            for c in p.contributors.iter_mut().chain(p.excluded.iter_mut()) {
                // `holding` and `because` are shared, not owned: see `printable_report`.
                all.extend(c.source.as_mut());
                all.extend(c.defaults.iter_mut());
            }
            all.extend(p.unknowns.iter_mut());
            for rv in p.by_reading.iter_mut().flatten() {
                for (reading, variant) in &mut rv.readings.0 {
                    all.extend([reading, variant]);
                }
            }
        }
    }
    all
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{printable_report, strings};
    use crate::interval::{Amount, Interval};
    use crate::lang::{ProvisionKind, Verdict};
    use crate::model::Date;
    use crate::report::{
        BoundReport, Contributor, PartyReport, PeriodReport, PositionInfo, ProvisionReport,
        ReadingVerdict, Readings, Report, ScenarioInfo,
    };

    /// A report with every string field filled, each holding an escape character. (A struct
    /// literal: a field added to the report does not compile here until it is added, and
    /// then `strings` must visit it for the count to hold.)
    fn poisoned() -> (Report, usize) {
        let s = |name: &str| format!("{name}\u{1b}[2J");
        let readings = || Readings(vec![(s("reading"), s("variant"))]);
        let provision = ProvisionReport {
            id: s("id"),
            kind: ProvisionKind::Limit,
            verdict: Verdict::Violated,
            label: Some(s("label")),
            rule: Some(s("rule")),
            quantity: Some(Amount::exact(3)),
            estimated: true,
            bound: Some(BoundReport {
                op: s("op"),
                value: 2,
                from: None,
            }),
            in_force: Some(PeriodReport {
                from: None,
                from_written: Some(s("from")),
                until: None,
                until_written: Some(s("until")),
            }),
            excess: Some(1),
            declared: None,
            declared_consistent: None,
            declared_verdict: None,
            quotes: vec![s("quote")],
            quote_sources: vec![s("quote source")],
            cites: vec![s("cite")],
            notes: vec![s("note")],
            remarks: vec![s("remark")],
            conditions: vec![s("condition")],
            contributors: vec![Contributor {
                holding: s("holding").into(),
                count: Interval::exact(3),
                because: s("because").into(),
                estimated: true,
                source: Some(s("source")),
                defaults: vec![s("default")],
            }],
            excluded: vec![Contributor {
                holding: s("excluded").into(),
                count: Interval::exact(1),
                because: s("because").into(),
                estimated: false,
                source: None,
                defaults: Vec::new(),
            }],
            unknowns: vec![s("unknown")],
            by_reading: Some(vec![ReadingVerdict {
                readings: readings(),
                verdict: Verdict::Complies,
                quantity: None,
            }]),
            depends_on_reading: Some(true),
        };
        let report = Report {
            format: s("format"),
            position: PositionInfo {
                title: s("title"),
                file: s("file"),
            },
            scenario: ScenarioInfo {
                title: s("title"),
                date: Date::parse("1979-06-18").unwrap(),
                file: s("file"),
            },
            readings: readings(),
            warnings: vec![s("warning")],
            parties: vec![PartyReport {
                party: s("party"),
                verdict: Verdict::Violated,
                provisions: vec![provision],
            }],
        };
        // 5 in the head, 2 readings, a warning, the party, and 21 in the provision (15 of its
        // own, 4 of its contributor, 2 of the holding it leaves out).
        (report, 30)
    }

    #[test]
    fn every_string_of_a_report_is_escaped() {
        let (report, count) = poisoned();
        assert_eq!(
            strings(&report).count(),
            count,
            "a string field is not visited"
        );
        let escaped = printable_report(&report);
        let json = serde_json::to_string(escaped.as_ref()).unwrap();
        assert!(!json.contains("\\u001b"), "{json}");
        assert_eq!(json.matches("\\\\u{1b}[2J").count(), count, "{json}");
    }

    #[test]
    fn a_report_without_escapes_is_not_copied() {
        let (mut report, _) = poisoned();
        let json = serde_json::to_string(&report)
            .unwrap()
            .replace("\\u001b[2J", "");
        report = serde_json::from_str(&json).unwrap();
        assert!(matches!(
            printable_report(&report),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
