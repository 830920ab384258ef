//! The letter's position, checked once; arbitrary text loaded as a TOML scenario and as a JSON
//! scenario, then evaluated under the default readings and under every combination of
//! readings. Must never panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use treaty::eval::{self, Options};
use treaty::model::Model;
use treaty::span::SourceFile;

fn letter() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
        let path = root.join("rules/ussr-1977-03-15.treaty");
        match treaty::check::check_file(&path, &root) {
            Ok(checked) => checked.model,
            Err(errors) => panic!("the letter does not check: {errors:?}"),
        }
    })
}

fn run(name: &str, text: &str, model: &Model) {
    let Ok(facts) = treaty::scenario::load(&SourceFile::new(name, text), model) else {
        return;
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
