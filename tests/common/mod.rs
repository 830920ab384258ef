//! What the integration tests share: the crate root, paths relative to it, and the checked
//! strategic vocabulary. Each test crate compiles its own copy and uses a part of it.
#![allow(dead_code, reason = "each test crate uses only some of these helpers")]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use treaty::model::{AttributeDef, AttributeType, Vocabulary};

/// The crate root: rules roots and fixture paths are relative to it.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The path relative to the crate root, so diagnostics name it the same everywhere.
pub fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(root()).unwrap_or(path).to_path_buf()
}

/// The vocabulary of `rules/vocabulary/strategic.treaty`, checked once. Generated scenarios
/// take their names from it, so no test keeps a copy that could drift from the file.
pub fn strategic_vocabulary() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(|| {
        match treaty::check::check_file(Path::new("rules/vocabulary/strategic.treaty"), &root()) {
            Ok(checked) => checked.model.vocabulary,
            Err(errors) => panic!("the strategic vocabulary does not check: {errors:?}"),
        }
    })
}

/// The values of the enumeration attribute `name` among `attributes`, in the order declared.
pub fn enum_values<'a>(attributes: &'a [AttributeDef], name: &str) -> &'a [String] {
    match attributes.iter().find(|a| a.name == name).map(|a| &a.ty) {
        Some(AttributeType::Enum { values }) => values,
        _ => panic!("the vocabulary has no enumeration `{name}`"),
    }
}
