//! The letter's position, checked once; arbitrary text loaded as a TOML scenario and as a JSON
//! scenario (its diagnostics rendered graphically), then evaluated under the default readings
//! and under every combination of readings. Must never panic.
#![no_main]

#[path = "common.rs"]
mod common;

use common::letter;
use libfuzzer_sys::fuzz_target;
use treaty::eval::{self, Options};
use treaty::model::Model;
use treaty::span::SourceFile;

fn run(name: &str, text: &str, model: &Model) {
    let facts = match treaty::scenario::load(&SourceFile::new(name, text), model) {
        Ok(facts) => facts,
        Err(errors) => {
            // As people see them: long lines and control characters reach the renderer.
            for error in &errors {
                let _ = treaty::diagnostics::render(error, true, 100);
            }
            return;
        }
    };
    let options = Options::defaults(model);
    if let Ok(report) = eval::evaluate(model, &facts, &options) {
        let _ = treaty::report::render_json(&report);
    }
    if let Ok(report) = eval::evaluate_all_readings(model, &facts, &options) {
        let _ = treaty::report::render_json(&report);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let model = letter();
    run("fuzz.toml", text, model);
    run("fuzz.json", text, model);
});
