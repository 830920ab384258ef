//! Arbitrary text checked as a rule file living in the repository's `rules/` folder (so
//! `use "vocabulary/strategic.treaty"` and `source "sources/…"` resolve), and every
//! diagnostic rendered as people see it (graphically, with its snippet) and as JSON: long
//! lines, control characters and odd spans reach the renderer. Must never panic.
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
    let problems = match treaty::check::check_source(SourceFile::new("fuzz.treaty", text), dir, dir)
    {
        Ok(checked) => checked.warnings,
        Err(errors) => errors,
    };
    for problem in &problems {
        let rendered = treaty::diagnostics::render(problem, false, 80);
        assert!(
            !rendered.contains('\u{1b}'),
            "an escape character reached the terminal:\n{rendered}"
        );
        let _ = treaty::diagnostics::record(problem);
    }
});
