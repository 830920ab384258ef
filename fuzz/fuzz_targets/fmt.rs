//! Arbitrary bytes: if they are UTF-8, format them as a rule file. Must never panic or hang;
//! a file that formats must format to itself a second time, and the formatter's own check
//! (same syntax tree, same comments) must never refuse it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match treaty::fmt::format_str("fuzz.treaty", text) {
        Ok(formatted) => {
            let again = treaty::fmt::format_str("fuzz.treaty", &formatted);
            assert_eq!(again.as_deref().ok(), Some(formatted.as_str()), "not idempotent");
        }
        Err(problems) => assert!(
            problems.iter().all(|p| treaty::diagnostics::record(p)
                .code
                .is_some_and(|code| code.starts_with("treaty::parse::"))),
            "refused: {problems:?}"
        ),
    }
});
