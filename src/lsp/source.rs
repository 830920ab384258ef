//! The source text a rule file quotes: the paragraph a quote stands in (for hovers), and
//! its sentences (for completing a quote).

use crate::check::{normalize, sentences};

/// A source text a rule file names in its header.
pub(super) struct SourceText {
    /// `source NAME "PATH"`: the name; `None` for the unnamed source.
    pub(super) name: Option<String>,
    /// The path as written.
    pub(super) path: String,
    /// The text, as read.
    pub(super) text: String,
}

/// The source texts the file names in its header (relative to its folder, under its root),
/// in the order written; those that cannot be read are left out.
pub(super) fn source_texts(parsed: &super::workspace::Parsed) -> Vec<SourceText> {
    let Some(header) = parsed.tree.as_ref().and_then(|tree| tree.header.as_ref()) else {
        return Vec::new();
    };
    header
        .sources
        .iter()
        .filter_map(|source| {
            let path = parsed.resolve(&source.path.node)?;
            let text = crate::check::read_text(&path).ok()?;
            Some(SourceText {
                name: source.name.as_ref().map(|n| n.node.clone()),
                path: source.path.node.clone(),
                text: text.to_string(),
            })
        })
        .collect()
}

/// The paragraph of `source` that holds `quote`, whitespace folded, as Markdown with the
/// quoted words in bold; `None` when no paragraph holds it.
pub(super) fn paragraph_with(source: &str, quote: &str) -> Option<String> {
    let wanted: Vec<char> = normalize(quote).chars().collect();
    if wanted.is_empty() {
        return None;
    }
    for paragraph in paragraphs(source) {
        let folded: Vec<char> = paragraph.chars().collect();
        // Folding whitespace first makes `normalize` a map of one character to one.
        let normalized: Vec<char> = folded
            .iter()
            .map(|&c| normalize(&c.to_string()).chars().next().unwrap_or(' '))
            .collect();
        let Some(start) = normalized
            .windows(wanted.len())
            .position(|window| window == wanted.as_slice())
        else {
            continue;
        };
        let end = start.saturating_add(wanted.len());
        let text = |range: &[char]| escape(&range.iter().collect::<String>());
        return Some(format!(
            "{}**{}**{}",
            text(folded.get(..start).unwrap_or_default()),
            text(folded.get(start..end).unwrap_or_default()),
            text(folded.get(end..).unwrap_or_default()),
        ));
    }
    None
}

/// The paragraphs of a text (separated by blank lines), each with its whitespace folded.
fn paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(fold(&current.join(" ")));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(fold(&current.join(" ")));
    }
    paragraphs
}

fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text shown as Markdown, its Markdown characters escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(
            ch,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// The sentences of the source, each as it would be written inside a `quote "…"`.
pub(super) fn quotable_sentences(source: &str) -> Vec<String> {
    sentences(source)
        .into_iter()
        .map(|sentence| sentence.replace('\\', "\\\\").replace('"', "\\\""))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LETTER: &str = "Dear Mr. President,\n\nWe provided official data about the range of\nthis plane (2200 km.) and expressed readiness.\n\nThe end.";

    #[test]
    fn the_paragraph_of_a_quote_shows_it_in_bold() {
        let shown = paragraph_with(LETTER, "the range of this   plane (2200 km.)");
        assert_eq!(
            shown.as_deref(),
            Some(
                "We provided official data about **the range of this plane (2200 km.)** and expressed readiness."
            )
        );
        assert_eq!(paragraph_with(LETTER, "not in the letter"), None);
    }

    #[test]
    fn typographic_quotes_match_straight_ones() {
        let source = "The question of “Backfire” once and for ever.";
        let shown = paragraph_with(source, "of \"Backfire\" once");
        assert_eq!(
            shown.as_deref(),
            Some("The question **of “Backfire” once** and for ever.")
        );
    }

    #[test]
    fn sentences_are_escaped_for_a_string() {
        let sentences = quotable_sentences("He said \"no\". A back\\slash!");
        assert_eq!(sentences, ["He said \\\"no\\\".", "A back\\\\slash!"]);
    }
}
