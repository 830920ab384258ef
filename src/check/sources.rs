//! The header's source texts and the quotes verified against them. A position may name one
//! unnamed `source "PATH"` and any number of named ones, `source protocol "PATH"`;
//! `quote protocol "…"` must stand in that source, a plain `quote "…"` in any of them.

use std::collections::{HashMap, HashSet};

use crate::ast::{self, Node};
use crate::diagnostics::{Problem, did_you_mean};
use crate::model::{Quote, SourceCoverage, SourceRef};

use super::quotes::shorten;
use super::{Checker, Code, SourceText, read_text, resolve};

/// A source text of the header, read (or not, when it could not be).
pub(super) struct LoadedSource {
    /// `None` for the unnamed `source "PATH"`.
    pub(super) name: Option<String>,
    /// The path as written.
    pub(super) path: String,
    /// `None` when it could not be read (already reported).
    text: Option<SourceText>,
}

impl LoadedSource {
    /// How reports name the source: its name, or its path when it has none.
    fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.path)
    }

    /// How a quote from this source is written: `quote NAME "…"`, or `quote "…"`.
    fn quote_form(&self) -> String {
        match &self.name {
            Some(name) => format!("quote {name} \"…\""),
            None => "quote \"…\"".to_string(),
        }
    }

    fn contains(&self, quote: &str) -> bool {
        self.text.as_ref().is_some_and(|text| text.contains(quote))
    }
}

impl Checker<'_> {
    /// Read the sources the header names (each once), reporting a name given twice.
    pub(super) fn read_sources(&mut self, header: Option<&ast::Header>) -> Vec<LoadedSource> {
        let mut sources = Vec::new();
        let mut seen = HashMap::new();
        for source in header.map(|h| h.sources.as_slice()).unwrap_or_default() {
            if let Some(name) = &source.name {
                if !self.declare(&mut seen, "source", 0, name) {
                    continue;
                }
            }
            sources.push(LoadedSource {
                name: source.name.as_ref().map(|n| n.node.clone()),
                path: source.path.node.clone(),
                text: self.source_text(0, &source.path),
            });
        }
        sources
    }

    /// The sources as the model lists them.
    pub(super) fn source_refs(&self) -> Vec<SourceRef> {
        self.sources
            .iter()
            .map(|s| SourceRef {
                name: s.name.clone(),
                path: s.path.clone(),
            })
            .collect()
    }

    /// Read one source text, reporting a path outside the rules root or unreadable.
    fn source_text(&mut self, file: usize, source: &Node<String>) -> Option<SourceText> {
        let loaded = self.files.get(file)?;
        match resolve(&self.root, &loaded.dir, &source.node) {
            Ok(path) => match read_text(&path) {
                Ok(text) => Some(SourceText::new(&text)),
                Err(message) => {
                    let problem = Problem::new(
                        Code::Io,
                        format!("cannot read the source text `{}`: {message}", source.node),
                    )
                    .at(&loaded.file, source.span, "named here");
                    self.problems.push(problem);
                    None
                }
            },
            Err(problem) => {
                self.problems
                    .push(problem.at(&loaded.file, source.span, "the source text"));
                None
            }
        }
    }

    /// The model's quotes of a declaration in `file`. Where the position names its sources,
    /// each quote of the checked file says which one it stands in (problems are reported
    /// later, by [`Checker::verify_quotes`]).
    pub(super) fn quotes_of(&self, file: usize, annotations: &ast::Annotations) -> Vec<Quote> {
        let named = self.sources.iter().any(|s| s.name.is_some());
        annotations
            .quotes
            .iter()
            .map(|quote| Quote {
                text: quote.text.node.clone(),
                span: quote.text.span,
                source: (named && file == 0)
                    .then(|| self.found_in(quote).map(|s| s.label().to_string()))
                    .flatten(),
            })
            .collect()
    }

    /// The source a quote stands in: the one it names, else the first that holds it.
    fn found_in(&self, quote: &ast::Quote) -> Option<&LoadedSource> {
        match &quote.source {
            Some(name) => self
                .sources
                .iter()
                .find(|s| s.name.as_deref() == Some(name.node.as_str()))
                .filter(|s| s.contains(&quote.text.node)),
            None => self.sources.iter().find(|s| s.contains(&quote.text.node)),
        }
    }

    /// Verify the checked file's quotes against its sources, and measure how much of the
    /// sources they cover.
    pub(super) fn verify_quotes(
        &mut self,
        quoted: &[(usize, ast::Quote)],
        header: Option<&ast::Header>,
    ) -> Option<SourceCoverage> {
        let own: Vec<&ast::Quote> = quoted
            .iter()
            .filter(|(file, _)| *file == 0)
            .map(|(_, q)| q)
            .collect();
        if self.sources.is_empty() {
            // Quotes can only be verified against a source; say so once.
            if let (Some(_), Some(quote)) = (header, own.first()) {
                self.problem(
                    0,
                    Code::NoSource,
                    "quotes need a source text to be checked against".to_string(),
                    quote.text.span,
                    "this quote cannot be verified",
                )
                .help = Some(
                    "name the source in the header: `source \"sources/TEXT.txt\"`".to_string(),
                );
            }
            return None;
        }
        // A source that could not be read is reported already; nothing is verified against
        // the others, where a quote from it would be taken for a mistake.
        if self.sources.iter().any(|s| s.text.is_none()) {
            return None;
        }
        // A large file repeats its quotes: one that was found is not searched for again.
        let mut found: HashSet<(Option<&str>, &str)> = HashSet::new();
        for quote in &own {
            let key = (
                quote.source.as_ref().map(|n| n.node.as_str()),
                quote.text.node.as_str(),
            );
            if found.contains(&key) {
                continue;
            }
            let before = self.problems.len();
            self.verify(quote);
            if self.problems.len() == before {
                found.insert(key);
            }
        }
        let mut coverage = SourceCoverage::default();
        for source in &self.sources {
            let Some(text) = &source.text else {
                continue;
            };
            // Each text once: a quote repeated covers nothing more.
            let mut distinct = HashSet::new();
            let quotes = own
                .iter()
                .filter(|q| {
                    q.source
                        .as_ref()
                        .is_none_or(|name| source.name.as_deref() == Some(name.node.as_str()))
                })
                .map(|q| q.text.node.as_str())
                .filter(|text| distinct.insert(*text));
            let covered = text.coverage(quotes);
            coverage.sentences = coverage.sentences.saturating_add(covered.sentences);
            coverage.quoted = coverage.quoted.saturating_add(covered.quoted);
        }
        Some(coverage)
    }

    /// Report a quote that is not where it says, or nowhere.
    fn verify(&mut self, quote: &ast::Quote) {
        let text = &quote.text.node;
        let span = quote.text.span;
        let Some(name) = &quote.source else {
            if self.sources.iter().any(|s| s.contains(text)) {
                return;
            }
            let help = self.nearest(text, None);
            let message = if self.sources.len() > 1 {
                "quote is in none of the source texts"
            } else {
                "quote is not in the source text"
            };
            self.problem(
                0,
                Code::QuoteNotFound,
                message.to_string(),
                span,
                "not found in the source",
            )
            .help = Some(help);
            return;
        };
        let Some(index) = self
            .sources
            .iter()
            .position(|s| s.name.as_deref() == Some(name.node.as_str()))
        else {
            let names: Vec<&str> = self
                .sources
                .iter()
                .filter_map(|s| s.name.as_deref())
                .collect();
            let help = did_you_mean(&name.node, names.iter().copied()).unwrap_or_else(|| {
                if names.is_empty() {
                    "the header names no source: write `source NAME \"PATH\"`, or quote without a name"
                        .to_string()
                } else {
                    format!("the sources are {}", names.join(", "))
                }
            });
            self.problem(
                0,
                Code::UnknownName,
                format!("unknown source `{}`", name.node),
                name.span,
                "no source of this name",
            )
            .help = Some(help);
            return;
        };
        if self.sources.get(index).is_some_and(|s| s.contains(text)) {
            return;
        }
        if let Some(other) = self.sources.iter().find(|s| s.contains(text)) {
            let message = format!(
                "quote is in the source `{}`, not in `{}`",
                other.label(),
                name.node
            );
            let help = format!("name the source it is in: `{}`", other.quote_form());
            let problem = self.problem(0, Code::WrongSource, message, span, "in another source");
            problem
                .secondary
                .push((name.span, "the source named".to_string()));
            problem.help = Some(help);
            return;
        }
        let help = self.nearest(text, Some(index));
        self.problem(
            0,
            Code::QuoteNotFound,
            format!("quote is not in the source `{}`", name.node),
            span,
            "not found in the source",
        )
        .help = Some(help);
    }

    /// The passage nearest a quote that was not found: in the source at `only`, or in any.
    fn nearest(&self, quote: &str, only: Option<usize>) -> String {
        let several = self.sources.len() > 1;
        let best = self
            .sources
            .iter()
            .enumerate()
            .filter(|(index, _)| only.is_none_or(|o| o == *index))
            .filter_map(|(_, s)| {
                let (passage, score) = s.text.as_ref()?.nearest_scored(quote)?;
                Some((passage, score, s))
            })
            .fold(
                None,
                |best: Option<(String, usize, &LoadedSource)>, next| match &best {
                    Some((_, score, _)) if *score >= next.1 => best,
                    _ => Some(next),
                },
            );
        match best {
            Some((passage, _, source)) if several && only.is_none() => format!(
                "the nearest passage, in `{}`, reads: “{}”",
                source.label(),
                shorten(&passage, 240)
            ),
            Some((passage, _, _)) => format!(
                "the nearest passage of the source reads: “{}”",
                shorten(&passage, 240)
            ),
            None => "nothing in the source resembles this quote".to_string(),
        }
    }
}
