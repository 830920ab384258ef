//! The compiled selections (`world/fast.rs`) against the tree walker on the project's own rule
//! files and scenarios, and on the evaluation fixtures: [`evaluate`] compares the two on every
//! evaluation of a unit test, and these give it the real positions to compare on, under every
//! combination of readings.

use std::path::{Path, PathBuf};

use super::*;

fn files(folder: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
        })
        .collect();
    found.sort();
    found
}

#[test]
fn compiled_selections_agree_with_the_walker_on_every_position_and_scenario() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut rule_files = files(&root.join("rules"), &["treaty"]);
    rule_files.extend(files(&root.join("tests/fixtures/eval"), &["treaty"]));
    let mut scenarios = files(&root.join("scenarios"), &["toml", "json"]);
    scenarios.extend(files(&root.join("tests/fixtures/eval"), &["toml", "json"]));
    let mut evaluated = 0;
    for rules in &rule_files {
        let Ok(checked) = crate::check::check_file(rules, root) else {
            panic!("{} does not check", rules.display());
        };
        let model = checked.model;
        for scenario in &scenarios {
            // A scenario written for another vocabulary does not load: nothing to compare.
            let Ok(facts) = crate::scenario::load_path(scenario, &model) else {
                continue;
            };
            // `evaluate` asserts the agreement; every reading combination goes through it.
            let options = Options::defaults(&model);
            if evaluate_all_readings(&model, &facts, &options).is_ok() {
                evaluated += 1;
            }
        }
    }
    assert!(evaluated >= 30, "only {evaluated} pairs evaluated");
}
