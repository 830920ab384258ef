use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::Event;

use super::*;
use crate::diagnostics::Problem;
use crate::scenario::Code as ScenarioCode;

fn expectation(provision: &str, expected: Verdict, actual: Verdict) -> ExpectationResult {
    ExpectationResult {
        expected_quantity: None,
        provision: provision.to_string(),
        party: "USSR".to_string(),
        expected,
        actual: Some(actual),
        quantity: Some(Amount {
            min: Some(2504),
            max: Some(2504),
        }),
        bound: Some(BoundReport {
            op: "<=".to_string(),
            value: 2400,
            from: None,
        }),
    }
}

/// A run with one of everything: a pass, a failure, an error, a file without tests and one
/// that does not check.
fn run() -> Run {
    let error = Problem::new(
        ScenarioCode::Io,
        "cannot read scenario `x.toml`: no such file",
    );
    Run {
        files: vec![
            FileRun {
                file: "rules/a.treaty".to_string(),
                checked: true,
                filtered_out: 1,
                tests: vec![
                    TestRun {
                        title: "passes".to_string(),
                        scenario: "scenarios/a.toml".to_string(),
                        outcome: Ok(vec![expectation(
                            "ceiling",
                            Verdict::Violated,
                            Verdict::Violated,
                        )]),
                    },
                    TestRun {
                        title: "fails <&> \"quoted\"".to_string(),
                        scenario: "scenarios/a.toml".to_string(),
                        outcome: Ok(vec![
                            expectation("ceiling", Verdict::Complies, Verdict::Violated),
                            expectation("other", Verdict::Violated, Verdict::Violated),
                        ]),
                    },
                    TestRun {
                        title: "errs".to_string(),
                        scenario: "x.toml".to_string(),
                        outcome: Err(vec![Box::new(error)]),
                    },
                ],
            },
            FileRun {
                file: "rules/b.treaty".to_string(),
                checked: true,
                filtered_out: 0,
                tests: Vec::new(),
            },
            not_checked("rules/c.treaty"),
        ],
    }
}

#[test]
fn counts() {
    let run = run();
    assert_eq!((run.passed(), run.failed(), run.filtered_out()), (1, 2, 1));
    assert_eq!(run.not_checked(), 1);
    assert!(!run.succeeded());
    assert!(run.nothing_ran(&[]).is_none());
}

#[test]
fn text_shows_quantities_files_without_tests_and_files_that_do_not_check() {
    let text = render_text(&run());
    assert_eq!(
        text,
        "ok      rules/a.treaty · passes (1 expectation)\n\
         FAILED  rules/a.treaty · fails <&> \"quoted\"\n        \
         ceiling for USSR: expected complies, found violated with 2504 (bound <= 2400)\n\
         FAILED  rules/a.treaty · errs: the scenario could not be evaluated\n\
         none    rules/b.treaty: no test blocks\n\
         error   rules/c.treaty: the rule file does not check; its tests did not run\n\
         \n\
         treaty test: 1 passed, 2 failed, 1 filtered out\n"
    );
}

#[test]
fn json_is_the_versioned_contract() {
    let json: serde_json::Value = serde_json::from_str(&render_json(&run())).unwrap();
    assert_eq!(json["format"], TEST_FORMAT);
    assert_eq!(json["passed"], 1);
    assert_eq!(json["failed"], 2);
    let tests = &json["files"][0]["tests"];
    assert_eq!(tests[0]["outcome"], "passed");
    assert_eq!(tests[1]["outcome"], "failed");
    assert_eq!(tests[1]["expectations"][0]["actual"], "violated");
    assert_eq!(tests[1]["expectations"][0]["quantity"]["min"], 2504);
    assert_eq!(tests[1]["expectations"][0]["bound"]["value"], 2400);
    assert_eq!(tests[2]["outcome"], "error");
    assert_eq!(tests[2]["errors"][0]["code"], "treaty::scenario::io");
    assert_eq!(json["files"][2]["checked"], false);
}

/// Parse the JUnit XML: well-formed, and the counts on `testsuites` and each `testsuite`
/// agree with their `testcase`s, `failure`s and `error`s.
#[test]
fn junit_is_well_formed_xml_with_consistent_counts() {
    let xml = render_junit(&run());
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    let mut reader = Reader::from_str(&xml);
    reader.config_mut().check_end_names = true;
    let mut suites = Vec::new();
    let mut totals = None;
    let (mut cases, mut failures, mut errors) = (0, 0, 0);
    let mut names = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let attribute = |name: &str| {
                    e.try_get_attribute(name).unwrap().map(|a| {
                        a.normalized_value(XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned()
                    })
                };
                match e.name().as_ref() {
                    b"testsuites" => {
                        totals = Some((
                            attribute("tests").unwrap(),
                            attribute("failures").unwrap(),
                            attribute("errors").unwrap(),
                        ));
                    }
                    b"testsuite" => suites.push((
                        attribute("name").unwrap(),
                        attribute("tests").unwrap(),
                        attribute("failures").unwrap(),
                        attribute("errors").unwrap(),
                    )),
                    b"testcase" => {
                        cases += 1;
                        names.push(attribute("name").unwrap());
                    }
                    b"failure" => failures += 1,
                    b"error" => errors += 1,
                    other => panic!("unexpected element {}", String::from_utf8_lossy(other)),
                }
            }
            _ => {}
        }
    }
    assert_eq!(
        totals,
        Some((cases.to_string(), failures.to_string(), errors.to_string()))
    );
    assert_eq!((cases, failures, errors), (4, 1, 2));
    assert_eq!(names[1], "fails <&> \"quoted\"");
    assert_eq!(suites.len(), 3);
    assert_eq!(
        suites[1],
        ("rules/b.treaty".into(), "0".into(), "0".into(), "0".into())
    );
}

#[test]
fn filters_match_words_of_the_title_in_any_case() {
    assert!(matches("The agreed data of 1978", &[]));
    assert!(matches("The agreed data of 1978", &["AGREED".to_string()]));
    assert!(!matches(
        "The agreed data of 1978",
        &["backfire".to_string()]
    ));
    let empty = Run::default();
    assert_eq!(
        empty.nothing_ran(&[]).unwrap().message,
        "no tests found: no rule files"
    );
    let filtered = Run {
        files: vec![FileRun {
            file: "a".to_string(),
            checked: true,
            tests: Vec::new(),
            filtered_out: 3,
        }],
    };
    assert_eq!(
        filtered.nothing_ran(&["zz".to_string()]).unwrap().message,
        "no test matches `zz` (3 filtered out)"
    );
}

fn with_quantities(
    actual: Option<Verdict>,
    expected: Option<Amount>,
    found: Option<Amount>,
) -> ExpectationResult {
    ExpectationResult {
        provision: "launchers".to_string(),
        party: "USA".to_string(),
        expected: Verdict::Violated,
        actual,
        expected_quantity: expected,
        quantity: found,
        bound: None,
    }
}

const RANGE: Amount = Amount {
    min: Some(675),
    max: Some(3079),
};

#[test]
fn a_quantity_must_match_exactly() {
    let exact = Some(Amount::exact(905));
    assert!(with_quantities(Some(Verdict::Violated), exact, exact).passed());
    assert!(with_quantities(Some(Verdict::Violated), None, exact).passed());
    let other = Some(Amount::exact(906));
    let wrong = with_quantities(Some(Verdict::Violated), exact, other);
    assert!(!wrong.passed());
    assert_eq!(
        wrong.to_string(),
        "launchers for USA: expected violated with 905, found violated with 906"
    );
    // An interval is not any value inside it.
    assert!(!with_quantities(Some(Verdict::Violated), Some(RANGE), exact).passed());
    assert!(with_quantities(Some(Verdict::Violated), Some(RANGE), Some(RANGE)).passed());
}

#[test]
fn a_wrong_verdict_shows_both_quantities() {
    let open = Amount {
        min: Some(0),
        max: None,
    };
    let wrong = with_quantities(Some(Verdict::Complies), Some(RANGE), Some(open));
    assert_eq!(
        wrong.to_string(),
        "launchers for USA: expected violated with 675..3079, found complies with unknown"
    );
    let none = with_quantities(Some(Verdict::NotEvaluable), Some(RANGE), None);
    assert_eq!(
        none.to_string(),
        "launchers for USA: expected violated with 675..3079, found not_evaluable with no quantity"
    );
    let unbound = with_quantities(None, Some(RANGE), None);
    assert!(
        unbound
            .to_string()
            .ends_with("found no verdict (the provision does not apply to this party)")
    );
}
