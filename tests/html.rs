//! The HTML pages (`eval`, `compare` and `coverage` with `--format html`) and `treaty coverage`:
//! snapshots of the letter on the 1978 data base, every page parsed as a browser parses it
//! (no parse error, no reference outside the page), and markup in names shown as text.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;
#[path = "common/html.rs"]
mod html_checks;

use assert_cmd::Command;
use predicates::prelude::*;

use common::{relative, root};
use html_checks::check_page;

const LETTER: &str = "rules/ussr-1977-03-15.treaty";
const DATA_BASE: &str = "scenarios/salt2-data-base-1978-11-01.toml";
const POSITIONS: [&str; 3] = [
    "rules/vladivostok-1974.treaty",
    LETTER,
    "rules/salt2-1979.treaty",
];

fn treaty() -> Command {
    let mut cmd = Command::cargo_bin("treaty").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    cmd
}

/// The standard output of a successful run.
fn run(args: &[&str]) -> String {
    let output = treaty().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn eval_page_of_the_letter_on_the_data_base() {
    let html = run(&["eval", LETTER, DATA_BASE, "--format", "html"]);
    check_page(&html);
    // The USSR over the 2400 line by 104, the USA under it: in the caption that states the
    // chart in words, and in the chart itself.
    assert!(html.contains("USSR: 2504, against the bound ≤ 2400: over by 104."));
    assert!(html.contains("USA: 2284, against the bound ≤ 2400."));
    assert!(html.contains(">+104</text>"));
    // Quotes lead into the source text at the end of the page.
    assert!(html.contains("<section id=\"source\">"));
    assert!(html.contains("href=\"#src0-p"));
    insta::assert_snapshot!("eval_letter_data_base", html);
}

#[test]
fn eval_page_remarks_on_the_backfire_outside_the_details() {
    let html = run(&["eval", LETTER, DATA_BASE, "--format", "html"]);
    let remark = "<p class=\"remark\"><strong>Remark:</strong> no holding in <code>backfire</code>: the assurance holds vacuously</p>";
    let at = html.find(remark).unwrap();
    // Under the Backfire assurance, before its (closed) explanation.
    let article = html[..at].rfind("<article").unwrap();
    assert!(html[article..at].contains("backfire"));
    assert!(!html[article..at].contains("<details"));
    // No estimate in the data base, so no legend; no warning either.
    assert!(!html.contains("class=\"estimate-legend\""));
    assert!(!html.contains("class=\"warnings\""));
}

#[test]
fn eval_page_of_the_statements_of_data_shows_declared_figures_and_estimates() {
    let html = run(&[
        "eval",
        "rules/salt2-1979.treaty",
        "scenarios/salt2-statements-1979-06-18.toml",
        "--format",
        "html",
    ]);
    check_page(&html);
    const MARK: &str = "<abbr class=\"estimated\" title=\"estimated\">~</abbr>";
    // The legend in the text report's words, once.
    assert_eq!(html.matches("<p class=\"estimate-legend\">~ marks a quantity that rests on at least one holding the scenario marks <code>estimated</code></p>").count(), 1);
    // The caption says the quantity is estimated; the bar's number carries the mark.
    assert!(html.contains("USSR: 2504 (estimated), against the bound ≤ 2400: over by 104."));
    assert!(html.contains(">~2504</text>"));
    assert!(html.contains("USA: 1046, against the bound ≤ 1200."));
    // The declared figure beside the computed one, with the verdict on it.
    assert!(html.contains(&format!(
        "<strong>Declared:</strong> 2504, <span class=\"consistent\">consistent with the holdings ({MARK}2504)</span>; on the declared figure: <span class=\"badge violated\">"
    )));
    assert!(html.contains(
        "<strong>Declared:</strong> 1046, <span class=\"consistent\">consistent with the holdings (1046)</span>; on the declared figure: <span class=\"badge complies\">"
    ));
    // An estimated holding, marked, with where its figure comes from.
    assert!(html.contains(&format!(
        "<td class=\"num\">{MARK}790</td><td>counted in `delivery_vehicles`: holdings where class in {{icbm_launcher, slbm_launcher, heavy_bomber, asbm}}<br><span class=\"estimate\">Estimated: 1398 ICBM launchers as in 1978 (U) less 608 MIRVed (U)</span></td>"
    )));
    assert!(html.contains("no holding in <code>backfire</code>: the assurance holds vacuously"));

    // A position without provisions for some declared figures warns of them, at the top.
    let html = run(&[
        "eval",
        LETTER,
        "scenarios/salt2-statements-1979-06-18.toml",
        "--format",
        "html",
    ]);
    check_page(&html);
    let warnings = html
        .find("<section class=\"warnings\" id=\"warnings\"")
        .unwrap();
    assert!(warnings < html.find("<main>").unwrap());
    assert!(html.contains("<li>declared figures <code>mirved_icbm_ceiling</code> (USA 550, USSR 608) are not compared: the position has no provision with this id</li>"));
}

#[test]
fn headroom_page_of_the_letter_on_the_data_base() {
    let html = run(&["headroom", LETTER, DATA_BASE, "--format", "html"]);
    check_page(&html);
    // The USSR must remove 104 delivery vehicles; the USA has 116 to spare under 2400.
    assert!(html.contains("<strong>104</strong> units"));
    assert!(html.contains("<td>116 to spare</td>"));
}

#[test]
fn explain_opens_the_explanations() {
    let closed = run(&["eval", LETTER, DATA_BASE, "--format", "html"]);
    let open = run(&["eval", LETTER, DATA_BASE, "--format", "html", "--explain"]);
    assert!(!closed.contains("<details open"));
    assert!(open.contains("<details open><summary>How the verdict was reached</summary>"));
    check_page(&open);
}

#[test]
fn compare_page_groups_the_bars_by_position() {
    let mut args = vec!["compare"];
    args.extend(POSITIONS);
    args.extend(["--scenario", DATA_BASE, "--format", "html"]);
    let html = run(&args);
    check_page(&html);
    for position in ["vladivostok-1974", "ussr-1977-03-15", "salt2-1979"] {
        assert!(html.contains(&format!(
            "{position}: 2504, against the bound ≤ 2400: over by 104."
        )));
    }
    insta::assert_snapshot!("compare_data_base", html);
}

#[test]
fn coverage_page_shows_the_letter_with_its_quotes_and_verdicts() {
    let html = run(&[
        "coverage",
        LETTER,
        "--scenario",
        DATA_BASE,
        "--format",
        "html",
    ]);
    check_page(&html);
    assert!(html.contains("<mark>"));
    assert!(html.contains("class=\"margin-note\""));
    assert!(html.contains("Commitments not quoted (10)"));
    insta::assert_snapshot!("coverage_letter_html", html);
}

#[test]
fn coverage_prints_the_shares_and_the_unquoted_commitments() {
    let text = run(&["coverage", LETTER]);
    assert!(text.contains("sentences quoted    11 of 59 (19%)"));
    assert!(text.contains("commitments quoted  9 of 19 (47%)"));
    insta::assert_snapshot!("coverage_letter_text", text);
    let json = run(&["coverage", LETTER, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["format"], "treaty-coverage/1");
    assert_eq!(value["sources"][0]["counts"]["commitments_quoted"], 9);
    insta::assert_snapshot!("coverage_letter_json", json);
}

#[test]
fn coverage_of_a_position_without_a_source_and_of_a_missing_file() {
    treaty()
        .args(["coverage", "rules/usa-1977-03-comprehensive.treaty"])
        .assert()
        .success()
        .stdout(predicate::str::contains("names no source text"));
    treaty()
        .args(["coverage", "rules/no-such-file.treaty"])
        .assert()
        .code(1)
        .stdout("");
    treaty()
        .args(["coverage", LETTER, "--scenario", "scenarios/no-such.toml"])
        .assert()
        .code(1)
        .stdout("");
    treaty()
        .args(["coverage", LETTER, "--format", "markdown"])
        .assert()
        .code(2);
    let html = run(&[
        "coverage",
        "rules/usa-1977-03-comprehensive.treaty",
        "--format",
        "html",
    ]);
    check_page(&html);
}

#[test]
fn markup_in_titles_and_holding_names_is_shown_as_text() {
    let scenario = "tests/fixtures/html/script-in-names.toml";
    let pages = [
        run(&["eval", LETTER, scenario, "--format", "html", "--explain"]),
        run(&[
            "compare",
            LETTER,
            "--scenario",
            scenario,
            "--format",
            "html",
        ]),
        run(&[
            "coverage",
            LETTER,
            "--scenario",
            scenario,
            "--format",
            "html",
        ]),
    ];
    for html in &pages {
        let elements = check_page(html);
        assert_eq!(elements.iter().filter(|e| e.name == "script").count(), 1);
        assert!(!elements.iter().any(|e| e.name == "b" || e.name == "img"));
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;alert('title')&lt;/script&gt; &amp; a scenario"));
    }
    assert!(pages[0].contains("&lt;script&gt;alert('holding')&lt;/script&gt; launchers"));
    assert!(pages[0].contains("&lt;img src=x onerror=alert(1)&gt; launchers"));
}

/// Every position on every scenario it loads, rendered as the command line renders it: each
/// page parses cleanly and stays inside itself.
#[test]
fn every_page_of_the_project_is_valid_and_self_contained() {
    let mut rules: Vec<_> = std::fs::read_dir(root().join("rules"))
        .unwrap()
        .flatten()
        .map(|e| relative(&e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "treaty"))
        .collect();
    rules.sort();
    let mut scenarios: Vec<_> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .flatten()
        .map(|e| relative(&e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
        .collect();
    scenarios.sort();
    let mut pages = 0;
    for path in &rules {
        let model = treaty::check::check_file(path, &root()).unwrap().model;
        if model.kind == treaty::lang::DocumentKind::Vocabulary {
            continue;
        }
        let coverage = treaty::coverage::cover(&model, path, &root(), None).unwrap();
        check_page(&treaty::report::render_coverage_html(&coverage));
        for scenario in &scenarios {
            let Ok(facts) = treaty::scenario::load_path(scenario, &model) else {
                continue;
            };
            let options = treaty::eval::Options::defaults(&model);
            let report = treaty::eval::evaluate_all_readings(&model, &facts, &options).unwrap();
            let coverage = treaty::coverage::cover(&model, path, &root(), Some(&report)).unwrap();
            let html = treaty::report::render_html(
                &report,
                &treaty::report::HtmlOptions {
                    explain: true,
                    literate: Some(&coverage),
                },
            );
            check_page(&html);
            pages += 1;
        }
    }
    assert!(pages >= 20, "only {pages} pages");
}

#[test]
#[should_panic(expected = "does not parse cleanly")]
fn the_check_catches_parse_errors() {
    check_page("<!DOCTYPE html><html><head><title>t</title></head><body><p>a</i></body></html>");
}

#[test]
#[should_panic(expected = "leads outside the page")]
fn the_check_catches_references_outside_the_page() {
    check_page(
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"><title>t</title></head><body><a href=\"https://example.org/\">x</a></body></html>",
    );
}
