//! Text that is safe to write to a terminal. Names in rule files and scenarios are anyone's
//! bytes: an escape character in a holding's name must not recolour, move or clear the
//! user's terminal (escape injection), and a bidirectional override must not make a line
//! read differently from what it holds. Text output shows such characters as escapes.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` would act on the terminal, or reorder the text around it, rather than show:
/// control characters (C0, DEL, C1) but line feed and tab, and the bidirectional controls.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with each unsafe character (see [`is_unsafe`]) written as a Rust-style escape,
/// `\u{1b}`; borrowed when there is none.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().saturating_add(8));
    for c in text.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn escapes_act_on_nothing() {
        assert_eq!(printable("B-52\u{1b}[2J"), "B-52\\u{1b}[2J");
        assert_eq!(printable("bell\u{7}\r"), "bell\\u{7}\\u{d}");
        assert_eq!(printable("c1\u{9b}31m"), "c1\\u{9b}31m");
        assert_eq!(printable("abc\u{202e}cba"), "abc\\u{202e}cba");
    }

    #[test]
    fn ordinary_text_is_kept_as_it_is() {
        let text = "SS-18 «Satan», 1 000 km\n\tmirv: true";
        assert!(matches!(printable(text), std::borrow::Cow::Borrowed(_)));
    }
}
