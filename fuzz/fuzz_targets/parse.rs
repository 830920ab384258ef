//! Arbitrary bytes: if they are UTF-8, parse them as a rule file. Must never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = treaty::syntax::parse_str("fuzz.treaty", text);
    }
});
