//! Arbitrary text checked as a rule file living in the repository's `rules/` folder (so
//! `use "vocabulary/strategic.treaty"` and `source "sources/…"` resolve). Must never panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use treaty::span::SourceFile;

fn rules_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules"));
        dir.canonicalize().unwrap_or(dir)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let dir = rules_dir();
    let _ = treaty::check::check_source(SourceFile::new("fuzz.treaty", text), dir, dir);
});
