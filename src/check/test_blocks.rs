//! Checking the language's `test` blocks: the scenario each names, the readings it
//! chooses and the verdicts it expects, resolved against the position.

use crate::ast;
use crate::diagnostics::did_you_mean;
use crate::lang::Verdict;
use crate::model::{self, Reading, Test};

use super::declare::Declarations;
use super::{Checker, Code, resolve};

impl Checker<'_> {
    /// Check every test of the checked file.
    pub(super) fn tests(&mut self, declared: &Declarations<'_>, parties: &[String]) -> Vec<Test> {
        let mut compiled_tests = Vec::new();
        for &(index, test) in &declared.tests {
            let compiled = self.test(
                index,
                test,
                parties,
                &declared.provisions,
                &declared.readings,
            );
            compiled_tests.extend(compiled);
        }
        compiled_tests
    }

    fn test(
        &mut self,
        file: usize,
        test: &ast::Test,
        parties: &[String],
        provisions: &[(usize, &ast::Provision)],
        readings: &[Reading],
    ) -> Option<Test> {
        let loaded = self.files.get(file)?;
        let scenario = match &test.scenario {
            None => {
                self.problem(
                    file,
                    Code::WrongRule,
                    format!("test \"{}\" names no scenario", test.title.node),
                    test.title.span,
                    "which scenario?",
                )
                .help = Some("add `scenario \"PATH\"`, relative to this file".to_string());
                None
            }
            Some(path) => match resolve(&self.root, &loaded.dir, &path.node) {
                Ok(resolved) => Some(resolved),
                Err(problem) => {
                    self.problems
                        .push(problem.at(&loaded.file, path.span, "the scenario"));
                    None
                }
            },
        };
        let mut chosen = Vec::new();
        for (reading, variant) in &test.readings {
            let Some(r) = readings.iter().position(|x| x.name == reading.node) else {
                let help = did_you_mean(&reading.node, readings.iter().map(|r| r.name.as_str()));
                self.problem(
                    file,
                    Code::UnknownName,
                    format!("unknown reading `{}`", reading.node),
                    reading.span,
                    "no reading of this name",
                )
                .help = help;
                continue;
            };
            let variants = readings
                .get(r)
                .map(|x| x.variants.as_slice())
                .unwrap_or_default();
            match variants.iter().position(|v| v.name == variant.node) {
                Some(v) => chosen.push((r, v)),
                None => {
                    let help =
                        did_you_mean(&variant.node, variants.iter().map(|v| v.name.as_str()));
                    self.problem(
                        file,
                        Code::UnknownName,
                        format!("unknown variant `{}`", variant.node),
                        variant.span,
                        "no variant of this name",
                    )
                    .help = help;
                }
            }
        }
        let mut expectations = Vec::new();
        for expectation in &test.expectations {
            let provision = provisions
                .iter()
                .position(|(_, p)| p.id.node == expectation.provision.node);
            if provision.is_none() {
                let help = did_you_mean(
                    &expectation.provision.node,
                    provisions.iter().map(|(_, p)| p.id.node.as_str()),
                );
                self.problem(
                    file,
                    Code::UnknownName,
                    format!("unknown provision `{}`", expectation.provision.node),
                    expectation.provision.span,
                    "no provision of this id",
                )
                .help = help;
            }
            let party = match &expectation.party {
                None => Some(None),
                Some(p) => self.party(file, p, parties).map(Some),
            };
            let verdict = Verdict::parse(&expectation.verdict.node);
            if let (Some(provision), Some(party), Some(verdict)) = (provision, party, verdict) {
                expectations.push(model::Expectation {
                    provision,
                    party,
                    verdict,
                    span: expectation.provision.span.to(expectation.verdict.span),
                });
            }
        }
        Some(Test {
            title: test.title.node.clone(),
            scenario: scenario?,
            readings: chosen,
            expectations,
            span: test.span,
        })
    }
}
