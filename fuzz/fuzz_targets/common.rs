//! What the evaluating targets share: the project's rule files, checked once.

use std::path::PathBuf;
use std::sync::OnceLock;

use treaty::model::Model;

/// The project's rule file at `path` (relative to the crate root), checked. A rule file of the
/// project that does not check is a broken fuzzer, not a finding: panic.
pub fn checked(path: &str) -> Model {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    match treaty::check::check_file(&root.join(path), &root) {
        Ok(checked) => checked.model,
        Err(errors) => panic!("`{path}` does not check: {errors:?}"),
    }
}

/// The letter's position.
pub fn letter() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| checked("rules/ussr-1977-03-15.treaty"))
}
