//! What the benchmarks share with `tests/baseline.rs` and `examples/generate.rs`: the data
//! generators and the hand-written baseline the interpreter is measured against.

pub mod baseline;
pub mod generate;

use std::path::{Path, PathBuf};

use treaty::check;
use treaty::model::Model;

/// The folder of the project (benchmarks and tests run there, but say it explicitly).
pub fn project() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `rules/` of the project: the folder and rules root of generated rule files.
pub fn rules_dir() -> PathBuf {
    project().join("rules")
}

/// The letter of 15 March 1977, checked (with the project as its rules root: its tests name
/// scenarios in `scenarios/`).
pub fn letter() -> Result<Model, String> {
    let path = rules_dir().join("ussr-1977-03-15.treaty");
    match check::check_file(&path, project()) {
        Ok(checked) => Ok(checked.model),
        Err(errors) => {
            let first = errors.first().map(ToString::to_string);
            Err(format!("{}: {first:?}", path.display()))
        }
    }
}
