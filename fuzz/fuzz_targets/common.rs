//! What the evaluating targets share: the letter's position, checked once.

use std::path::PathBuf;
use std::sync::OnceLock;

use treaty::model::Model;

pub fn letter() -> &'static Model {
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
