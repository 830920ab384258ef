use std::path::{Path, PathBuf};

use super::*;

fn model() -> Model {
    crate::check::check_file(Path::new("rules/ussr-1977-03-15.treaty"), Path::new("."))
        .unwrap()
        .model
}

fn request(model: &Model) -> Request {
    Request {
        options: Options::defaults(model),
        ..Request::default()
    }
}

#[test]
fn results_come_in_the_order_given_and_a_bad_scenario_keeps_its_place() {
    let model = model();
    let scenarios = [
        PathBuf::from("scenarios/hypothetical-1985-cruise-missiles.toml"),
        PathBuf::from("scenarios/missing.toml"),
        PathBuf::from("scenarios/salt2-data-base-1978-11-01.toml"),
    ];
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results = evaluate_files(&model, &scenarios, &request(&model), &|| {
        done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    });
    assert_eq!(done.into_inner(), 3);
    let files: Vec<&Path> = results.iter().map(|r| r.scenario.as_path()).collect();
    assert_eq!(
        files,
        scenarios.iter().map(PathBuf::as_path).collect::<Vec<_>>()
    );
    assert!(results[0].outcome.is_ok());
    assert!(matches!(&results[1].outcome, Err(Failure::Load(problems)) if problems.len() == 1));
    let report = results[2].outcome.as_ref().unwrap();
    assert_eq!(
        report.scenario.file,
        "scenarios/salt2-data-base-1978-11-01.toml"
    );
    assert_eq!(exit_code(&results, false), 1);
}

#[test]
fn the_exit_code_is_the_worst() {
    let model = model();
    let good = [PathBuf::from(
        "scenarios/hypothetical-1985-cruise-missiles.toml",
    )];
    let results = evaluate_files(&model, &good, &request(&model), &|| {});
    assert_eq!(exit_code(&results, false), 0);
    // The 1985 scenario violates provisions: --strict fails.
    assert_eq!(exit_code(&results, true), 1);
}

#[test]
fn json_is_one_report_a_line_and_text_a_heading_a_scenario() {
    let model = model();
    let scenarios = [
        PathBuf::from("scenarios/salt2-data-base-1978-11-01.toml"),
        PathBuf::from("scenarios/missing.toml"),
        PathBuf::from("scenarios/hypothetical-1985-cruise-missiles.toml"),
    ];
    let results = evaluate_files(&model, &scenarios, &request(&model), &|| {});
    let json = render_batch(&results, Format::Json, &TextOptions::default());
    let lines: Vec<&str> = json.lines().collect();
    assert_eq!(lines.len(), 2);
    for (line, file) in lines.iter().zip([&scenarios[0], &scenarios[2]]) {
        let report: Report = serde_json::from_str(line).unwrap();
        assert_eq!(report.format, report::FORMAT);
        assert_eq!(report.scenario.file, file.display().to_string());
    }
    let text = render_batch(&results, Format::Text, &TextOptions::default());
    assert!(text.starts_with("==> scenarios/salt2-data-base-1978-11-01.toml <==\n"));
    assert!(text.contains("\n==> scenarios/missing.toml <==\nnot evaluated: 1 problem in"));
    let markdown = render_batch(&results, Format::Markdown, &TextOptions::default());
    assert!(markdown.starts_with("# `scenarios/salt2-data-base-1978-11-01.toml`\n\n## "));
    assert!(markdown.contains("\n### USSR: "), "{markdown}");
}

#[test]
fn html_for_several_scenarios_is_a_usage_error() {
    let problem = html_several_scenarios("3 scenarios were given");
    assert_eq!(
        crate::diagnostics::Code::as_str(Code::HtmlSeveralScenarios),
        "treaty::usage::html_several_scenarios"
    );
    assert!(problem.message.ends_with("and 3 scenarios were given"));
}

#[test]
fn codes_are_documented() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
            .unwrap();
    for code in Code::ALL {
        let code = crate::diagnostics::Code::as_str(*code);
        assert!(
            docs.contains(&format!("`{code}`")),
            "{code} is not in docs/diagnostics.md"
        );
    }
}

#[test]
fn a_batch_larger_than_a_group_is_handed_on_in_order() {
    let model = model();
    let files = [
        PathBuf::from("scenarios/hypothetical-boundary-600km.toml"),
        PathBuf::from("scenarios/missing.toml"),
        PathBuf::from("scenarios/salt2-data-base-1978-11-01.toml"),
    ];
    let scenarios: Vec<PathBuf> = (0..GROUP + 40)
        .map(|i| files[i % files.len()].clone())
        .collect();
    let mut seen = Vec::new();
    evaluate_each(&model, &scenarios, &request(&model), &|| {}, |result| {
        seen.push((result.scenario.clone(), result.outcome.is_ok()));
    });
    assert_eq!(seen.len(), scenarios.len());
    for (index, (scenario, ok)) in seen.iter().enumerate() {
        assert_eq!(scenario, &scenarios[index]);
        assert_eq!(*ok, index % files.len() != 1);
    }
}
