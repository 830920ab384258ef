//! A [`Run`] of `test` blocks for people (text), for programs (`treaty-test/1` JSON) and for
//! CI dashboards (JUnit XML).

use std::fmt::Write as _;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use serde::Serialize;

use super::{ExpectationResult, FileRun, Run, TestRun};
use crate::diagnostics::{DiagnosticRecord, record};
use crate::interval::Amount;
use crate::lang::Verdict;
use crate::report::BoundReport;

/// The value of the `format` field of `treaty test --format json`.
pub const TEST_FORMAT: &str = "treaty-test/1";

/// A line a test (and one a failed expectation under it), a line a file with no test blocks
/// or that did not check, then `treaty test: N passed, N failed`.
pub fn render_text(run: &Run) -> String {
    let mut out = String::new();
    for file in &run.files {
        if !file.checked {
            let _ = writeln!(
                out,
                "error   {}: the rule file does not check; its tests did not run",
                file.file
            );
            continue;
        }
        if file.tests.is_empty() && file.filtered_out == 0 {
            let _ = writeln!(out, "none    {}: no test blocks", file.file);
        }
        for test in &file.tests {
            match &test.outcome {
                Err(_) => {
                    let _ = writeln!(
                        out,
                        "FAILED  {} · {}: the scenario could not be evaluated",
                        file.file, test.title
                    );
                }
                Ok(results) if test.passed() => {
                    let _ = writeln!(
                        out,
                        "ok      {} · {} ({} expectation{})",
                        file.file,
                        test.title,
                        results.len(),
                        if results.len() == 1 { "" } else { "s" }
                    );
                }
                Ok(results) => {
                    let _ = writeln!(out, "FAILED  {} · {}", file.file, test.title);
                    for failure in results.iter().filter(|r| !r.passed()) {
                        let _ = writeln!(out, "        {failure}");
                    }
                }
            }
        }
    }
    let _ = write!(
        out,
        "\ntreaty test: {} passed, {} failed",
        run.passed(),
        run.failed()
    );
    if run.filtered_out() > 0 {
        let _ = write!(out, ", {} filtered out", run.filtered_out());
    }
    out.push('\n');
    out
}

#[derive(Serialize)]
struct RunJson<'a> {
    format: &'static str,
    passed: usize,
    failed: usize,
    filtered_out: usize,
    files: Vec<FileJson<'a>>,
}

#[derive(Serialize)]
struct FileJson<'a> {
    file: &'a str,
    checked: bool,
    filtered_out: usize,
    tests: Vec<TestJson<'a>>,
}

#[derive(Serialize)]
struct TestJson<'a> {
    title: &'a str,
    scenario: &'a str,
    outcome: &'static str,
    expectations: Vec<ExpectationJson<'a>>,
    errors: Vec<DiagnosticRecord>,
}

#[derive(Serialize)]
struct ExpectationJson<'a> {
    provision: &'a str,
    party: &'a str,
    expected: Verdict,
    actual: Option<Verdict>,
    passed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected_quantity: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quantity: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bound: Option<&'a BoundReport>,
}

/// `passed`, `failed` or `error` (the scenario could not be evaluated).
fn outcome(test: &TestRun) -> &'static str {
    match &test.outcome {
        Err(_) => "error",
        Ok(_) if test.passed() => "passed",
        Ok(_) => "failed",
    }
}

fn expectation_json(result: &ExpectationResult) -> ExpectationJson<'_> {
    ExpectationJson {
        provision: &result.provision,
        party: &result.party,
        expected: result.expected,
        actual: result.actual,
        passed: result.passed(),
        expected_quantity: result.expected_quantity,
        quantity: result.quantity,
        bound: result.bound.as_ref(),
    }
}

fn test_json(test: &TestRun) -> TestJson<'_> {
    let (expectations, errors) = match &test.outcome {
        Ok(results) => (results.iter().map(expectation_json).collect(), Vec::new()),
        Err(errors) => (
            Vec::new(),
            errors.iter().map(|e| record(e.as_ref())).collect(),
        ),
    };
    TestJson {
        title: &test.title,
        scenario: &test.scenario,
        outcome: outcome(test),
        expectations,
        errors,
    }
}

fn file_json(file: &FileRun) -> FileJson<'_> {
    FileJson {
        file: &file.file,
        checked: file.checked,
        filtered_out: file.filtered_out,
        tests: file.tests.iter().map(test_json).collect(),
    }
}

/// The run as `treaty-test/1` JSON, pretty-printed, with a trailing newline.
pub fn render_json(run: &Run) -> String {
    let json = RunJson {
        format: TEST_FORMAT,
        passed: run.passed(),
        failed: run.failed(),
        filtered_out: run.filtered_out(),
        files: run.files.iter().map(file_json).collect(),
    };
    let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
    text.push('\n');
    text
}

/// The run as JUnit XML: a `testsuite` a rule file, a `testcase` a test, with a `failure`
/// for expectations not met and an `error` for a scenario that could not be evaluated or a
/// rule file that does not check.
pub fn render_junit(run: &Run) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into a Vec cannot fail.
    let _ = write_junit(&mut writer, run);
    let mut text = String::from_utf8(writer.into_inner()).unwrap_or_default();
    text.push('\n');
    text
}

fn write_junit(writer: &mut Writer<Vec<u8>>, run: &Run) -> std::io::Result<()> {
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let tests = run.tests().count().saturating_add(run.not_checked());
    let errors = run
        .tests()
        .filter(|t| t.outcome.is_err())
        .count()
        .saturating_add(run.not_checked());
    let failures = run
        .failed()
        .saturating_sub(run.tests().filter(|t| t.outcome.is_err()).count());
    writer
        .create_element("testsuites")
        .with_attribute(("name", "treaty test"))
        .with_attribute(("tests", tests.to_string().as_str()))
        .with_attribute(("failures", failures.to_string().as_str()))
        .with_attribute(("errors", errors.to_string().as_str()))
        .write_inner_content(|writer| {
            for file in &run.files {
                write_suite(writer, file)?;
            }
            Ok(())
        })?;
    Ok(())
}

fn write_suite(writer: &mut Writer<Vec<u8>>, file: &FileRun) -> std::io::Result<()> {
    let errors = file
        .tests
        .iter()
        .filter(|t| t.outcome.is_err())
        .count()
        .saturating_add(usize::from(!file.checked));
    let failures = file
        .tests
        .iter()
        .filter(|t| t.outcome.is_ok() && !t.passed())
        .count();
    let tests = file.tests.len().saturating_add(usize::from(!file.checked));
    let suite = writer
        .create_element("testsuite")
        .with_attribute(("name", file.file.as_str()))
        .with_attribute(("tests", tests.to_string().as_str()))
        .with_attribute(("failures", failures.to_string().as_str()))
        .with_attribute(("errors", errors.to_string().as_str()))
        .with_attribute(("skipped", "0"));
    if tests == 0 {
        suite.write_empty()?;
        return Ok(());
    }
    suite.write_inner_content(|writer| {
        if !file.checked {
            writer
                .create_element("testcase")
                .with_attribute(("name", "check"))
                .with_attribute(("classname", file.file.as_str()))
                .write_inner_content(|writer| {
                    writer
                        .create_element("error")
                        .with_attribute(("message", "the rule file does not check"))
                        .with_attribute(("type", "check"))
                        .write_empty()?;
                    Ok(())
                })?;
        }
        for test in &file.tests {
            write_case(writer, &file.file, test)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_case(writer: &mut Writer<Vec<u8>>, file: &str, test: &TestRun) -> std::io::Result<()> {
    let case = writer
        .create_element("testcase")
        .with_attribute(("name", test.title.as_str()))
        .with_attribute(("classname", file));
    match &test.outcome {
        Ok(_) if test.passed() => {
            case.write_empty()?;
        }
        Ok(results) => {
            let failed: Vec<String> = results
                .iter()
                .filter(|r| !r.passed())
                .map(ToString::to_string)
                .collect();
            let message = format!("{} of {} expectations not met", failed.len(), results.len());
            case.write_inner_content(|writer| {
                writer
                    .create_element("failure")
                    .with_attribute(("message", message.as_str()))
                    .with_attribute(("type", "expectation"))
                    .write_text_content(BytesText::new(&failed.join("\n")))?;
                Ok(())
            })?;
        }
        Err(errors) => {
            let records: Vec<DiagnosticRecord> =
                errors.iter().map(|e| record(e.as_ref())).collect();
            let code = records
                .first()
                .and_then(|r| r.code.clone())
                .unwrap_or_else(|| "error".to_string());
            let text: Vec<String> = records
                .iter()
                .map(|r| match &r.code {
                    Some(code) => format!("{code}: {}", r.message),
                    None => r.message.clone(),
                })
                .collect();
            case.write_inner_content(|writer| {
                writer
                    .create_element("error")
                    .with_attribute(("message", "the scenario could not be evaluated"))
                    .with_attribute(("type", code.as_str()))
                    .write_text_content(BytesText::new(&text.join("\n")))?;
                Ok(())
            })?;
        }
    }
    Ok(())
}
