//! Source coverage: which sentences of a position's source text its rule file quotes.
//!
//! [`cover`] reads the source text the header names, splits it into sentences
//! ([`sentences::split`]), places every quote of every provision, category, package and reading
//! in it, and counts the sentences quoted — all of them, and the "commitments" a reader expects
//! encoded ([`sentences::is_commitment`]). With a report, each provision that quotes a passage
//! carries its verdict per party.
//!
//! [`Coverage`] is the JSON contract `treaty-coverage/1` (docs/report-format.md); it renders as
//! text ([`render_text`]), JSON ([`render_json`]) or HTML (`crate::report::html`).
#![warn(missing_docs)]

pub mod sentences;

use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::check::{self, Problem};
use crate::lang::Verdict;
use crate::model::{Model, Quote};
use crate::report::{PositionInfo, Report, ScenarioInfo};

/// The value of the `format` field.
pub const FORMAT: &str = "treaty-coverage/1";

crate::lang::word_list! {
    /// How `treaty coverage` renders.
    #[serde(rename_all = "snake_case")]
    Format {
        /// Shares and the sentences not quoted, for a terminal ([`render_text`]).
        Text => "text",
        /// The `treaty-coverage/1` contract ([`render_json`]).
        Json => "json",
        /// The literate view: the text with its quoted passages marked (`report::html`).
        Html => "html",
    }
}

/// The coverage in `format`.
pub fn render(coverage: &Coverage, format: Format) -> String {
    match format {
        Format::Text => render_text(coverage),
        Format::Json => render_json(coverage),
        Format::Html => crate::report::render_coverage_html(coverage),
    }
}

/// How much of its source texts a position quotes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// Always [`FORMAT`].
    pub format: String,
    /// The rule file.
    pub position: PositionInfo,
    /// The scenario whose verdicts the passages carry, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<ScenarioInfo>,
    /// The source texts; empty when the header names none.
    pub sources: Vec<Source>,
}

/// One source text, sentence by sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The file read: the header's path, joined to the rule file's folder.
    pub file: String,
    /// How many sentences, and how many of them quoted.
    pub counts: Counts,
    /// Every sentence, in order.
    pub sentences: Vec<Sentence>,
    /// Every place a quote stands in the text, in order of where it starts.
    pub passages: Vec<Passage>,
    /// The whole text, for the literate view (not part of the JSON).
    #[serde(skip)]
    pub text: String,
}

/// The counts behind the shares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Sentences in the text.
    pub sentences: usize,
    /// Sentences a quote overlaps.
    pub quoted: usize,
    /// Sentences that are commitments.
    pub commitments: usize,
    /// Commitments a quote overlaps.
    pub commitments_quoted: usize,
}

impl Counts {
    /// `part` as a whole percentage of `whole`, rounded half up (0 when `whole` is 0).
    pub fn percent(part: usize, whole: usize) -> usize {
        let (part, whole) = (part as u128, whole as u128);
        part.checked_mul(200)
            .and_then(|p| p.checked_add(whole))
            .and_then(|p| p.checked_div(whole.checked_mul(2)?))
            .and_then(|p| usize::try_from(p).ok())
            .unwrap_or(0)
    }
}

/// A sentence of the source text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Its first byte in the text.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// The line it starts on, from 1.
    pub line: usize,
    /// Its words, runs of whitespace folded to one space.
    pub text: String,
    /// Whether it has a number or a word of obligation or limitation.
    pub commitment: bool,
    /// The passages that overlap it (indices into `passages`); empty when not quoted.
    pub passages: Vec<usize>,
}

impl Sentence {
    /// Whether some quote overlaps it.
    pub fn quoted(&self) -> bool {
        !self.passages.is_empty()
    }
}

/// A stretch of the text that one or more items quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// Its first byte in the text.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// The line it starts on, from 1.
    pub line: usize,
    /// The quote, as the checker compares it (whitespace folded, straight quotation marks).
    pub text: String,
    /// Who quotes it, in the order provisions, categories, packages, readings.
    pub quoted_by: Vec<Quoter>,
}

crate::lang::word_list! {
    /// What kind of declaration quotes a passage.
    #[serde(rename_all = "snake_case")]
    QuoterKind {
        /// A limit, ban, assurance or statement.
        Provision => "provision",
        /// A counting rule.
        Category => "category",
        /// A set of linked issues.
        Package => "package",
        /// An ambiguous wording.
        Reading => "reading",
    }
}

/// A declaration that quotes a passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quoter {
    /// What kind of declaration.
    pub kind: QuoterKind,
    /// Its name (a provision's id).
    pub name: String,
    /// Its label, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// A provision's verdict per party on the scenario, when one was given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verdicts: Vec<PartyVerdict>,
}

/// A provision's verdict for one party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyVerdict {
    /// The party.
    pub party: String,
    /// Its verdict.
    pub verdict: Verdict,
}

/// The coverage of the position checked from `rules` (the path as given; its folder anchors
/// the header's source path) under the rules root `root`. With `report`, provisions carry
/// their verdicts. Fails only when the source text cannot be read.
pub fn cover(
    model: &Model,
    rules: &Path,
    root: &Path,
    report: Option<&Report>,
) -> Result<Coverage, Problem> {
    let mut sources = Vec::new();
    if let Some(source) = &model.source {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let dir = rules.parent().unwrap_or(Path::new(""));
        let path = check::resolve(&root, dir, source)?;
        let text = check::read_text(&path).map_err(|message| {
            Problem::new(
                check::Code::Io,
                format!("cannot read the source text `{source}`: {message}"),
            )
        })?;
        let file = dir.join(source).display().to_string();
        sources.push(cover_text(model, file, &text, report));
    }
    Ok(Coverage {
        format: FORMAT.to_string(),
        position: PositionInfo {
            title: model.title.clone(),
            file: rules.display().to_string(),
        },
        scenario: report.map(|r| r.scenario.clone()),
        sources,
    })
}

/// The coverage of one source text `text` (named `file`) by the model's quotes.
pub fn cover_text(model: &Model, file: String, text: &str, report: Option<&Report>) -> Source {
    let passages = passages(model, text, report);
    let lines = LineIndex::new(text);
    let sentences: Vec<Sentence> = sentences::split(text)
        .into_iter()
        .map(|(start, end)| {
            let words = text.get(start..end).unwrap_or("");
            Sentence {
                start,
                end,
                line: lines.line(start),
                text: words.split_whitespace().collect::<Vec<_>>().join(" "),
                commitment: sentences::is_commitment(words),
                passages: passages
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.start < end && start < p.end)
                    .map(|(index, _)| index)
                    .collect(),
            }
        })
        .collect();
    let count = |keep: &dyn Fn(&Sentence) -> bool| sentences.iter().filter(|s| keep(s)).count();
    let counts = Counts {
        sentences: sentences.len(),
        quoted: count(&|s| s.quoted()),
        commitments: count(&|s| s.commitment),
        commitments_quoted: count(&|s| s.commitment && s.quoted()),
    };
    Source {
        file,
        counts,
        sentences,
        passages,
        text: text.to_string(),
    }
}

/// Every place in `text` where a quote of the model stands, one passage per distinct range.
fn passages(model: &Model, text: &str, report: Option<&Report>) -> Vec<Passage> {
    let (normalized, origins) = check::normalize_mapped(text);
    let lines = LineIndex::new(text);
    let mut passages: Vec<Passage> = Vec::new();
    for (quoter, quotes) in quoters(model, report) {
        for quote in quotes {
            let wanted = check::normalize(&quote.text);
            if wanted.is_empty() {
                continue;
            }
            for (at, _) in normalized.match_indices(&wanted) {
                let last = at.saturating_add(wanted.len()).saturating_sub(1);
                let (Some(&(start, _)), Some(&(_, end))) = (origins.get(at), origins.get(last))
                else {
                    continue;
                };
                match passages
                    .iter_mut()
                    .find(|p| p.start == start && p.end == end)
                {
                    Some(passage) => {
                        if !passage.quoted_by.contains(&quoter) {
                            passage.quoted_by.push(quoter.clone());
                        }
                    }
                    None => passages.push(Passage {
                        start,
                        end,
                        line: lines.line(start),
                        text: wanted.clone(),
                        quoted_by: vec![quoter.clone()],
                    }),
                }
            }
        }
    }
    passages.sort_by_key(|p| (p.start, std::cmp::Reverse(p.end)));
    passages
}

/// Every declaration with quotes, with its quotes: provisions, categories, packages, readings.
fn quoters<'m>(model: &'m Model, report: Option<&Report>) -> Vec<(Quoter, &'m [Quote])> {
    let quoter = |kind, name: &str, label: &Option<String>| Quoter {
        kind,
        name: name.to_string(),
        label: label.clone(),
        verdicts: Vec::new(),
    };
    let mut all = Vec::new();
    for provision in &model.provisions {
        let mut q = quoter(QuoterKind::Provision, &provision.id, &provision.label);
        q.verdicts = report
            .map(|r| verdicts(r, &provision.id))
            .unwrap_or_default();
        all.push((q, provision.quotes.as_slice()));
    }
    for category in &model.categories {
        let q = quoter(QuoterKind::Category, &category.name, &category.label);
        all.push((q, category.quotes.as_slice()));
    }
    for package in &model.packages {
        let q = quoter(QuoterKind::Package, &package.name, &package.label);
        all.push((q, package.quotes.as_slice()));
    }
    for reading in &model.readings {
        let q = quoter(QuoterKind::Reading, &reading.name, &reading.label);
        all.push((q, reading.quotes.as_slice()));
    }
    all
}

/// The provision's verdict for every party the report has it for.
fn verdicts(report: &Report, id: &str) -> Vec<PartyVerdict> {
    report
        .parties
        .iter()
        .filter_map(|party| {
            let provision = party.provisions.iter().find(|p| p.id == id)?;
            Some(PartyVerdict {
                party: party.party.clone(),
                verdict: provision.verdict,
            })
        })
        .collect()
}

/// Line numbers by byte offset.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i.saturating_add(1)))
            .collect();
        LineIndex { starts }
    }

    /// The line of `offset`, from 1.
    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }
}

/// The coverage as pretty-printed JSON with a trailing newline.
pub fn render_json(coverage: &Coverage) -> String {
    let mut json = serde_json::to_string_pretty(coverage).unwrap_or_default();
    json.push('\n');
    json
}

/// The shares, then the sentences not quoted: commitments first.
pub fn render_text(coverage: &Coverage) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", coverage.position.title);
    let _ = writeln!(out, "  position  {}", coverage.position.file);
    if let Some(scenario) = &coverage.scenario {
        let _ = writeln!(
            out,
            "  scenario  {} ({})  {}",
            scenario.title, scenario.date, scenario.file
        );
    }
    if coverage.sources.is_empty() {
        let _ = writeln!(
            out,
            "\nThe position names no source text (`source \"…\"` in its header): nothing to cover."
        );
    }
    for source in &coverage.sources {
        let counts = source.counts;
        let _ = writeln!(out, "  source    {}\n", source.file);
        let _ = writeln!(
            out,
            "  sentences quoted    {} of {} ({}%)",
            counts.quoted,
            counts.sentences,
            Counts::percent(counts.quoted, counts.sentences)
        );
        let _ = writeln!(
            out,
            "  commitments quoted  {} of {} ({}%)",
            counts.commitments_quoted,
            counts.commitments,
            Counts::percent(counts.commitments_quoted, counts.commitments)
        );
        let _ = writeln!(
            out,
            "  (a commitment: a sentence with a number, or with will, shall, should, must, ban, limit, …)"
        );
        let unquoted = |commitment: bool| {
            source
                .sentences
                .iter()
                .filter(move |s| !s.quoted() && s.commitment == commitment)
        };
        for (commitment, heading) in [
            (true, "Commitments not quoted"),
            (false, "Other sentences not quoted"),
        ] {
            let list: Vec<&Sentence> = unquoted(commitment).collect();
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{heading} ({}):", list.len());
            for sentence in list {
                let _ = writeln!(out, "  line {:>3}  {}", sentence.line, sentence.text);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
