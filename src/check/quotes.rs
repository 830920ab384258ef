//! Finding quotes in a source text, up to whitespace and typographic quotation marks; the
//! nearest passage when a quote is not there; how much of the text quotes cover. Which quote is
//! looked up in which source is `sources`.

use crate::model::SourceCoverage;

/// A source text prepared for searching.
pub struct SourceText {
    normalized: String,
    /// Word boundaries of `normalized`: (start, end) byte offsets.
    words: Vec<(usize, usize)>,
}

/// Fold what a transcription may vary: runs of whitespace (non-breaking spaces included)
/// become one space; curly quotes and primes become straight ones.
pub fn normalize(text: &str) -> String {
    normalize_mapped(text).0
}

/// [`normalize`], and for each byte of the result the byte range of `text` it came from (a
/// folded run of whitespace maps to its first character), so that a quote found in the
/// normalized text can be placed in the original.
pub fn normalize_mapped(text: &str) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(text.len());
    let mut origins = Vec::with_capacity(text.len());
    let mut space: Option<(usize, usize)> = None;
    for (index, ch) in text.char_indices() {
        let origin = (index, index.saturating_add(ch.len_utf8()));
        let ch = match ch {
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => '"',
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
            other => other,
        };
        if ch.is_whitespace() {
            space = space.or(Some(origin));
            continue;
        }
        if let Some(space) = space.take() {
            if !out.is_empty() {
                out.push(' ');
                origins.push(space);
            }
        }
        out.push(ch);
        origins.extend(std::iter::repeat_n(origin, ch.len_utf8()));
    }
    (out, origins)
}

impl SourceText {
    /// Prepare `text` for searching: normalized, split into words.
    pub fn new(text: &str) -> SourceText {
        let normalized = normalize(text);
        let mut words = Vec::new();
        let mut start = None;
        for (index, ch) in normalized.char_indices() {
            match (ch == ' ', start) {
                (true, Some(s)) => {
                    words.push((s, index));
                    start = None;
                }
                (false, None) => start = Some(index),
                _ => {}
            }
        }
        if let Some(s) = start {
            words.push((s, normalized.len()));
        }
        SourceText { normalized, words }
    }

    /// Whether `quote` stands in the source, up to what [`normalize`] folds.
    pub fn contains(&self, quote: &str) -> bool {
        let quote = normalize(quote);
        !quote.is_empty() && self.normalized.contains(&quote)
    }

    /// The passage of the source most like `quote`: the window of as many words that shares
    /// the most words with it.
    pub fn nearest(&self, quote: &str) -> Option<String> {
        self.nearest_scored(quote).map(|(passage, _)| passage)
    }

    /// [`SourceText::nearest`], with how many words of the quote the passage shares.
    pub fn nearest_scored(&self, quote: &str) -> Option<(String, usize)> {
        let quote = normalize(quote);
        let wanted: Vec<String> = quote.split(' ').map(fold_word).collect();
        let width = wanted.len().max(1);
        let folded: Vec<String> = self
            .words
            .iter()
            .map(|&(s, e)| fold_word(self.normalized.get(s..e).unwrap_or("")))
            .collect();
        let mut best: Option<(usize, usize)> = None;
        for start in 0..folded.len() {
            let end = start.saturating_add(width).min(folded.len());
            let window = folded.get(start..end).unwrap_or(&[]);
            let score = wanted.iter().filter(|w| window.contains(w)).count();
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((start, score));
            }
        }
        let (start, score) = best?;
        if score == 0 {
            return None;
        }
        let end = start
            .saturating_add(width)
            .min(self.words.len())
            .saturating_sub(1);
        let (from, _) = *self.words.get(start)?;
        let (_, to) = *self.words.get(end)?;
        self.normalized
            .get(from..to)
            .map(|passage| (passage.to_string(), score))
    }

    /// Sentences of the source, and how many of them some quote overlaps.
    pub fn coverage<'q>(&self, quotes: impl IntoIterator<Item = &'q str>) -> SourceCoverage {
        let sentences = sentence_ranges(&self.normalized);
        let mut covered = vec![false; sentences.len()];
        for quote in quotes {
            let quote = normalize(quote);
            if quote.is_empty() {
                continue;
            }
            for (start, _) in self.normalized.match_indices(&quote) {
                let end = start.saturating_add(quote.len());
                for (flag, &(s, e)) in covered.iter_mut().zip(&sentences) {
                    if start < e && s < end {
                        *flag = true;
                    }
                }
            }
        }
        SourceCoverage {
            sentences: sentences.len(),
            quoted: covered.iter().filter(|c| **c).count(),
        }
    }
}

/// The sentences of a source text, as quote verification counts them, with their whitespace
/// folded and their quotation marks as written.
pub fn sentences(text: &str) -> Vec<String> {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    sentence_ranges(&folded)
        .into_iter()
        .filter_map(|(start, end)| folded.get(start..end))
        .map(|sentence| sentence.trim().to_string())
        .collect()
}

fn fold_word(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Sentence spans: text ending at `.`, `?` or `!` followed by a space (or the end).
fn sentence_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut start = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((index, ch)) = chars.next() {
        let boundary =
            matches!(ch, '.' | '?' | '!') && chars.peek().is_none_or(|&(_, next)| next == ' ');
        if boundary {
            let end = index.saturating_add(1);
            if text
                .get(start..end)
                .is_some_and(|s| s.chars().any(char::is_alphabetic))
            {
                ranges.push((start, end));
            }
            start = end;
        }
    }
    if text
        .get(start..)
        .is_some_and(|s| s.chars().any(char::is_alphabetic))
    {
        ranges.push((start, text.len()));
    }
    ranges
}

/// `text`, cut after `max` characters with an ellipsis.
pub(super) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_and_typographic_quotes_are_folded() {
        let source =
            SourceText::new("the plane which you call \u{201C}Backfire,\u{201D}\n  we   provided");
        assert!(source.contains("which you call \"Backfire,\" we provided"));
        assert!(!source.contains("which you call Backfire"));
        assert!(!source.contains(""));
    }

    #[test]
    fn nearest_passage_is_the_closest_window() {
        let source = SourceText::new(
            "One two three. The range of this plane (2200 km.) is stated. Four five.",
        );
        let nearest = source.nearest("the range of this aircraft (2200 km.)");
        assert_eq!(
            nearest.as_deref(),
            Some("The range of this plane (2200 km.)")
        );
    }

    #[test]
    fn coverage_counts_quoted_sentences() {
        let source = SourceText::new("First sentence here. Second one. Third one!");
        let coverage = source.coverage(["Second one"]);
        assert_eq!(
            coverage,
            SourceCoverage {
                sentences: 3,
                quoted: 1
            }
        );
    }
}
