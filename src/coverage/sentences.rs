//! Splitting a source text into sentences, and telling which of them a reader expects a rule
//! file to encode ("commitments").
//!
//! The rules are kept simple so that a reader can predict them (docs/report-format.md lists
//! them too):
//!
//! 1. A blank line ends a paragraph; no sentence spans two paragraphs.
//! 2. Inside a paragraph, a line break also ends a sentence after a table row (a line with a
//!    run of three spaces between words), before one, and after a heading (a line of at most
//!    four words that does not end in `,` `;` `:` or a dash). Other line breaks are wrapping.
//! 3. Inside a line, `.` `?` or `!` (and any closing quotes or brackets after it) ends a
//!    sentence when a space follows and then a capital letter, a digit, an opening quote or
//!    bracket, or a dash. Not after an abbreviation (`km.`, `Mr.`, `No.`, `vol.`, …), an
//!    initial (`R.`, `C.`), a dotted acronym (`U.S.A.`, `L.I.`) or a list marker (`1.`).
//!
//! Text without a letter or digit is not a sentence.

/// Words that end in a full stop without ending the sentence (compared in lower case, without
/// the stop).
const ABBREVIATIONS: &[&str] = &[
    "km", "mr", "mrs", "ms", "dr", "st", "no", "nos", "vol", "pp", "p", "doc", "art", "trans",
    "cf", "gen", "jr", "sr", "messrs", "approx", "ca", "fig", "para",
];

/// The byte ranges of the sentences of `text`, trimmed, in order.
pub fn split(text: &str) -> Vec<(usize, usize)> {
    let mut sentences = Vec::new();
    for paragraph in paragraphs(text) {
        let breaks = hard_breaks(text, &paragraph);
        let (Some(first), Some(last)) = (paragraph.first(), paragraph.last()) else {
            continue;
        };
        let mut start = first.0;
        for (stop, end) in stops(text, first.0, last.1) {
            // Hard breaks before this stop end their sentences first.
            let due: Vec<usize> = breaks
                .iter()
                .copied()
                .filter(|&at| at > start && at < end)
                .collect();
            for at in due {
                push(text, start, at, &mut sentences);
                start = at;
            }
            if ends_sentence(text, start, stop) {
                push(text, start, end, &mut sentences);
                start = end;
            }
        }
        let due: Vec<usize> = breaks.iter().copied().filter(|&at| at > start).collect();
        for at in due {
            push(text, start, at, &mut sentences);
            start = at;
        }
        push(text, start, last.1, &mut sentences);
    }
    sentences
}

/// The byte ranges of the paragraphs of `text` (runs of lines between blank lines).
pub fn paragraph_ranges(text: &str) -> Vec<(usize, usize)> {
    paragraphs(text)
        .iter()
        .filter_map(|lines| Some((lines.first()?.0, lines.last()?.1)))
        .collect()
}

/// Paragraphs as lists of their lines' byte ranges (without the line break).
fn paragraphs(text: &str) -> Vec<Vec<(usize, usize)>> {
    let mut paragraphs = Vec::new();
    let mut current: Vec<(usize, usize)> = Vec::new();
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset = offset.saturating_add(line.len());
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            current.push((start, start.saturating_add(content.len())));
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

/// The line ends of a paragraph that end a sentence whatever the punctuation: after a table
/// row or a heading, and before a table row.
fn hard_breaks(text: &str, paragraph: &[(usize, usize)]) -> Vec<usize> {
    let line = |index: usize| {
        paragraph
            .get(index)
            .and_then(|&(s, e)| text.get(s..e))
            .unwrap_or("")
    };
    let mut breaks = Vec::new();
    let mut after_break = true;
    for (index, &(_, end)) in paragraph.iter().enumerate() {
        let this = line(index).trim();
        let Some(next) = paragraph
            .get(index.saturating_add(1))
            .map(|_| line(index.saturating_add(1)))
        else {
            break;
        };
        let heading = after_break
            && this.split_whitespace().count() <= 4
            && this.chars().last().is_some_and(char::is_alphanumeric);
        let hard = heading || is_row(this) || is_row(next);
        if hard {
            breaks.push(end);
        }
        after_break = hard || this.ends_with(['.', '?', '!', ':']);
    }
    breaks
}

/// A table row: a run of three spaces between words (the columns of a table set in text).
pub fn is_row(line: &str) -> bool {
    line.trim().contains("   ")
}

/// Candidate sentence ends in `text[from..to]`: (the offset of the `.`, `?` or `!`, the end
/// of the sentence after any closing quotes and brackets), where whitespace follows and then
/// something that can open a sentence.
fn stops(text: &str, from: usize, to: usize) -> Vec<(usize, usize)> {
    let part = text.get(from..to).unwrap_or("");
    let mut found = Vec::new();
    let mut chars = part.char_indices().peekable();
    while let Some((index, ch)) = chars.next() {
        if !matches!(ch, '.' | '?' | '!') {
            continue;
        }
        let mut end = index.saturating_add(ch.len_utf8());
        while let Some(&(at, next)) = chars.peek() {
            if matches!(next, '"' | '\'' | '”' | '’' | ')' | ']' | '»') {
                end = at.saturating_add(next.len_utf8());
                chars.next();
            } else {
                break;
            }
        }
        let rest = part.get(end..).unwrap_or("");
        let after = rest.trim_start();
        if after.len() == rest.len() || after.is_empty() {
            continue; // no space after it, or the paragraph ends here
        }
        let opens = after.chars().next().is_some_and(|c| {
            c.is_uppercase()
                || c.is_ascii_digit()
                || matches!(
                    c,
                    '"' | '\'' | '“' | '‘' | '(' | '[' | '«' | '—' | '–' | '-'
                )
        });
        if opens {
            found.push((from.saturating_add(index), from.saturating_add(end)));
        }
    }
    found
}

/// Whether the stop at `stop` ends the sentence begun at `start`: not after an abbreviation,
/// an initial, a dotted acronym, or a list marker.
fn ends_sentence(text: &str, start: usize, stop: usize) -> bool {
    if text.get(stop..).is_some_and(|rest| !rest.starts_with('.')) {
        return true; // `?` and `!` always end a sentence
    }
    let before = text.get(start..stop).unwrap_or("");
    if !before.chars().any(char::is_alphabetic) {
        return false; // `1.`, `2.`: a list marker
    }
    let word = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '[' | '"' | '“' | '—'))
        .next()
        .unwrap_or("");
    if word.contains('.') {
        return false; // `U.S.A`, `L.I`, `i.e`
    }
    if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
        return false; // an initial: `R.`, `C.`
    }
    !ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

fn push(text: &str, start: usize, end: usize, sentences: &mut Vec<(usize, usize)>) {
    let Some(slice) = text.get(start..end) else {
        return;
    };
    let leading = slice.len().saturating_sub(slice.trim_start().len());
    let trimmed = slice.trim();
    if !trimmed.chars().any(char::is_alphanumeric) {
        return;
    }
    let from = start.saturating_add(leading);
    sentences.push((from, from.saturating_add(trimmed.len())));
}

/// Words that make a sentence a commitment (whole words, lower case).
const COMMITMENT_WORDS: &[&str] = &[
    "will",
    "shall",
    "should",
    "must",
    "undertake",
    "undertakes",
    "ban",
    "bans",
    "banned",
    "forbid",
    "forbids",
    "forbidden",
];

/// Word beginnings that make a sentence a commitment: `limit`, `limits`, `limitation`, ….
const COMMITMENT_STEMS: &[&str] = &["limit", "prohibit", "ceiling", "restrain", "exceed"];

/// Words after which a number is a reference, not a quantity.
const REFERENCE_WORDS: &[&str] = &["no", "vol", "pp", "p", "doc", "document", "article"];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Whether a sentence is one a reader expects a rule file to encode: it has a word of
/// obligation or limitation (see `COMMITMENT_WORDS`, `COMMITMENT_STEMS`) or a number that
/// is not a year, a day of a month, a list marker or a reference (`No. 1`, `vol. XVI`).
pub fn is_commitment(sentence: &str) -> bool {
    let tokens: Vec<String> = sentence
        .split_whitespace()
        .map(|t| {
            t.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    let mut previous = "";
    for (index, token) in tokens.iter().enumerate() {
        let words = token.split(|c: char| !c.is_alphanumeric());
        for word in words {
            if COMMITMENT_WORDS.contains(&word)
                || COMMITMENT_STEMS.iter().any(|stem| word.starts_with(stem))
            {
                return true;
            }
        }
        let next = tokens
            .get(index.saturating_add(1))
            .map_or("", String::as_str);
        if token.chars().any(|c| c.is_ascii_digit()) && is_quantity(token, previous, next, index) {
            return true;
        }
        previous = token;
    }
    false
}

/// A numeric token is a quantity unless it is a year (or a range of years), a day next to a
/// month, a list marker at the start, or a number after a reference word.
fn is_quantity(token: &str, previous: &str, next: &str, index: usize) -> bool {
    if index == 0 {
        return false; // `1.` opening an article's paragraph
    }
    if MONTHS.contains(&previous) || MONTHS.contains(&next) || REFERENCE_WORDS.contains(&previous) {
        return false;
    }
    let parts: Vec<&str> = token
        .split(['–', '-', '/'])
        .filter(|p| !p.is_empty())
        .collect();
    let all_years = !parts.is_empty()
        && parts.iter().all(|part| {
            part.len() == 4
                && part.chars().all(|c| c.is_ascii_digit())
                && part
                    .parse::<u32>()
                    .is_ok_and(|y| (1800..=2099).contains(&y))
        });
    !all_years
}
