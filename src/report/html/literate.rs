//! The literate view: a source text with the passages its rule file quotes marked, a note in
//! the margin per passage naming who quotes it (and, given a scenario, the verdicts), the
//! commitments nobody quotes underlined; and the page of `treaty coverage`.

use maud::{Markup, html};

use crate::check::normalize;
use crate::coverage::{
    Counts, Coverage, PartyVerdict, Passage, QuoterKind, Sentence, Source, sentences,
};
use crate::lang::Verdict;

use super::page::{self, badge, provision_id, slug};

/// Where the names in the margin notes lead.
pub enum Links {
    /// To the party sections of an evaluation page (one link per verdict).
    Parties,
    /// To the list of quoting declarations on the coverage page.
    Items,
}

/// The id of the `number`th (from 0) passage of the `source`th source text.
fn passage_anchor(source: usize, number: usize) -> String {
    format!("src{source}-p{}", number.saturating_add(1))
}

fn sentence_anchor(source: usize, number: usize) -> String {
    format!("src{source}-s{}", number.saturating_add(1))
}

fn item_anchor(kind: QuoterKind, name: &str) -> String {
    format!("item-{}-{}", kind.as_str(), slug(name))
}

/// The anchor of the passage where `quote` stands, if it stands in a source text.
pub fn anchor_of_quote(coverage: &Coverage, quote: &str) -> Option<String> {
    let wanted = normalize(quote);
    coverage
        .sources
        .iter()
        .enumerate()
        .find_map(|(index, source)| {
            let number = source.passages.iter().position(|p| p.text == wanted)?;
            Some(passage_anchor(index, number))
        })
}

/// The `index`th source text with its passages marked and noted.
pub fn source_view(source: &Source, index: usize, links: &Links) -> Markup {
    let counts = source.counts;
    html! {
        div .source #{ "source-" (index) } {
            p .muted {
                code { (source.file) } ": "
                (counts.quoted) " of " (counts.sentences) " sentences quoted ("
                (Counts::percent(counts.quoted, counts.sentences)) "%); commitments: "
                (counts.commitments_quoted) " of " (counts.commitments) " ("
                (Counts::percent(counts.commitments_quoted, counts.commitments)) "%)."
            }
            ul .legend aria-label="How to read the text" {
                li { mark { "marked" } "quoted by the rule file (darker where quotes overlap)" }
                li { span .unquoted-commitment { "wavy underline" } "a commitment no quote covers" }
                li { sup .ref { "1" } "a passage, with its note in the margin" }
            }
            div .literate {
                @for (start, end) in sentences::paragraph_ranges(&source.text) {
                    (paragraph(source, index, start, end, links))
                }
            }
        }
    }
}

fn paragraph(source: &Source, index: usize, start: usize, end: usize, links: &Links) -> Markup {
    let text = source.text.get(start..end).unwrap_or("");
    let table = text.lines().any(sentences::is_row);
    // The paragraph as units: sentences, and the text between them.
    let mut units: Vec<(usize, usize, Option<usize>)> = Vec::new();
    let mut at = start;
    for (number, sentence) in source.sentences.iter().enumerate() {
        if sentence.start < start || sentence.end > end {
            continue;
        }
        if sentence.start > at {
            units.push((at, sentence.start, None));
        }
        units.push((sentence.start, sentence.end, Some(number)));
        at = sentence.end;
    }
    if at < end {
        units.push((at, end, None));
    }
    html! {
        p class=[table.then_some("table")] {
            @for (from, to, sentence) in units {
                @match sentence.and_then(|n| Some((n, source.sentences.get(n)?))) {
                    Some((number, sentence)) => {
                        span #(sentence_anchor(index, number)) class=(sentence_class(sentence)) {
                            (segments(source, index, from, to, links))
                        }
                    }
                    None => (segments(source, index, from, to, links)),
                }
            }
        }
    }
}

fn sentence_class(sentence: &Sentence) -> &'static str {
    match (sentence.quoted(), sentence.commitment) {
        (true, _) => "sentence quoted",
        (false, true) => "sentence unquoted-commitment",
        (false, false) => "sentence",
    }
}

/// `text[from..to]` cut where passages start and end: marked where quoted, a note and its
/// number where a passage starts.
fn segments(source: &Source, index: usize, from: usize, to: usize, links: &Links) -> Markup {
    let mut cuts = vec![from, to];
    for passage in &source.passages {
        for at in [passage.start, passage.end] {
            if at > from && at < to {
                cuts.push(at);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    html! {
        @for pair in cuts.windows(2) {
            @if let [a, b] = pair {
                @let starting: Vec<(usize, &Passage)> = source.passages.iter().enumerate().filter(|(_, p)| p.start == *a).collect();
                @if !starting.is_empty() {
                    sup .ref aria-hidden="true" {
                        @for (position, (number, _)) in starting.iter().enumerate() {
                            @if position > 0 { "," }
                            (number.saturating_add(1))
                        }
                    }
                }
                @for (number, passage) in starting {
                    (note(passage, index, number, links))
                }
                @let depth = source.passages.iter().filter(|p| p.start < *b && *a < p.end).count();
                @let words = source.text.get(*a..*b).unwrap_or("");
                @if depth == 0 {
                    (words)
                } @else if depth == 1 {
                    mark { (words) }
                } @else {
                    mark .deep { (words) }
                }
            }
        }
    }
}

fn note(passage: &Passage, index: usize, number: usize, links: &Links) -> Markup {
    html! {
        span .margin-note #(passage_anchor(index, number)) role="note" {
            span .ref { (number.saturating_add(1)) }
            @for quoter in &passage.quoted_by {
                span .quoter {
                    span .kind { (quoter.kind.as_str()) } " "
                    @match links {
                        Links::Items => a href={ "#" (item_anchor(quoter.kind, &quoter.name)) } { code { (quoter.name) } },
                        Links::Parties => code { (quoter.name) },
                    }
                    @if let Some(label) = &quoter.label { ": " (label) }
                    @for (verdict, parties) in by_verdict(&quoter.verdicts) {
                        span .verdicts {
                            (badge(verdict)) " "
                            @for (position, party) in parties.iter().enumerate() {
                                @if position > 0 { ", " }
                                @match links {
                                    Links::Parties => a href={ "#" (provision_id(party, &quoter.name)) } { (party) },
                                    Links::Items => (party),
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Parties grouped by verdict, in the order the verdicts first appear.
fn by_verdict(verdicts: &[PartyVerdict]) -> Vec<(Verdict, Vec<&str>)> {
    let mut groups: Vec<(Verdict, Vec<&str>)> = Vec::new();
    for v in verdicts {
        match groups.iter_mut().find(|(verdict, _)| *verdict == v.verdict) {
            Some((_, parties)) => parties.push(&v.party),
            None => groups.push((v.verdict, vec![&v.party])),
        }
    }
    groups
}

/// The page of `treaty coverage --format html`.
pub fn render_coverage_html(coverage: &Coverage) -> String {
    let title = format!("Coverage of the source: {}", coverage.position.title);
    let body = html! {
        header {
            p .kicker { "Source coverage" }
            h1 { (coverage.position.title) }
            dl .facts {
                dt { "Position" } dd { code { (coverage.position.file) } }
                @for source in &coverage.sources {
                    dt { "Source text" } dd { code { (source.file) } }
                }
                @if let Some(scenario) = &coverage.scenario {
                    dt { "Verdicts on" }
                    dd { (scenario.title) " (" (scenario.date) ") " code { (scenario.file) } }
                }
            }
        }
        main {
            @if coverage.sources.is_empty() {
                p { "The position names no source text (" code { "source \"…\"" } " in its header): nothing to cover." }
            }
            @for (index, source) in coverage.sources.iter().enumerate() {
                section {
                    h2 { "How much of the text is quoted" }
                    (shares(source, index))
                    h2 { "The text" }
                    (source_view(source, index, &Links::Items))
                    (unquoted(source, index))
                    (items(source, index))
                }
            }
        }
        (page::footer(html! { code { (coverage.position.file) } }))
    };
    page::page(&title, body)
}

/// Two bars: the share of sentences quoted, the share of commitments quoted.
fn shares(source: &Source, index: usize) -> Markup {
    let counts = source.counts;
    let rows = [
        ("Sentences quoted", counts.quoted, counts.sentences),
        (
            "Commitments quoted",
            counts.commitments_quoted,
            counts.commitments,
        ),
    ];
    let caption = format!("shares-{index}-caption");
    html! {
        figure .chart .shares {
            svg viewBox="0 0 480 64" role="img" aria-labelledby=(caption) {
                @for (row, (label, part, whole)) in rows.iter().enumerate() {
                    @let y = 6.0 + 30.0 * row as f64;
                    @let done = if *whole == 0 { 0 } else { part.saturating_mul(260).checked_div(*whole).unwrap_or(0) };
                    text x="0" y=(y + 13.0) { (label) }
                    rect .share-rest x="140" y=(y) width="260" height="18" {}
                    rect .share-done x="140" y=(y) width=(done) height="18" {}
                    text x="408" y=(y + 13.0) { (Counts::percent(*part, *whole)) "%" }
                }
            }
            figcaption #(caption) {
                (counts.quoted) " of " (counts.sentences) " sentences are quoted ("
                (Counts::percent(counts.quoted, counts.sentences)) "%), and "
                (counts.commitments_quoted) " of the " (counts.commitments)
                " commitments (" (Counts::percent(counts.commitments_quoted, counts.commitments))
                "%): sentences with a number, or with " i { "will" } ", " i { "shall" } ", "
                i { "should" } ", " i { "must" } ", " i { "ban" } ", " i { "limit" } " and the like."
            }
        }
    }
}

/// The sentences no quote covers, commitments first, each linked to its place in the text.
fn unquoted(source: &Source, index: usize) -> Markup {
    let list = |commitment: bool| -> Vec<(usize, &Sentence)> {
        source
            .sentences
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.quoted() && s.commitment == commitment)
            .collect()
    };
    let commitments = list(true);
    let others = list(false);
    html! {
        h2 { "Commitments not quoted (" (commitments.len()) ")" }
        @if commitments.is_empty() {
            p { "Every commitment of the text is quoted." }
        } @else {
            p .muted { "What the rule file may leave out: each is a sentence with a number or a word of obligation or limitation that no quote covers." }
            ol .unquoted { @for (number, sentence) in commitments { (unquoted_item(index, number, sentence)) } }
        }
        @if !others.is_empty() {
            details {
                summary { "Other sentences not quoted (" (others.len()) ")" }
                ol .unquoted { @for (number, sentence) in others { (unquoted_item(index, number, sentence)) } }
            }
        }
    }
}

fn unquoted_item(index: usize, number: usize, sentence: &Sentence) -> Markup {
    html! {
        li {
            a .line href={ "#" (sentence_anchor(index, number)) } { "line " (sentence.line) }
            (sentence.text)
        }
    }
}

/// Every declaration that quotes the text, with links to its passages.
fn items(source: &Source, index: usize) -> Markup {
    let mut seen: Vec<(QuoterKind, &str, Vec<usize>)> = Vec::new();
    for (number, passage) in source.passages.iter().enumerate() {
        for quoter in &passage.quoted_by {
            match seen
                .iter_mut()
                .find(|(kind, name, _)| *kind == quoter.kind && *name == quoter.name)
            {
                Some((_, _, numbers)) => numbers.push(number),
                None => seen.push((quoter.kind, &quoter.name, vec![number])),
            }
        }
    }
    seen.sort_by_key(|(kind, _, _)| *kind);
    html! {
        h2 { "What quotes the text" }
        ul .quoters {
            @for (kind, name, numbers) in &seen {
                @let quoter = source.passages.iter().flat_map(|p| &p.quoted_by).find(|q| q.kind == *kind && q.name == *name);
                li #(item_anchor(*kind, name)) {
                    span .kind { (kind.as_str()) } " " code { (name) }
                    @if let Some(label) = quoter.and_then(|q| q.label.as_ref()) { ": " (label) }
                    @if let Some(quoter) = quoter {
                        @for (verdict, parties) in by_verdict(&quoter.verdicts) {
                            " " (badge(verdict)) " " (parties.join(", "))
                        }
                    }
                    br;
                    span .muted { "quotes passage" @if numbers.len() > 1 { "s" } " " }
                    @for (position, number) in numbers.iter().enumerate() {
                        @if position > 0 { ", " }
                        a href={ "#" (passage_anchor(index, *number)) } { (number.saturating_add(1)) }
                    }
                }
            }
        }
    }
}
