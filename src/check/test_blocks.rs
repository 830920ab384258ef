//! Checking the language's `test` blocks: the scenario each names, the readings it
//! chooses and the verdicts it expects, resolved against the position.

use crate::ast::{self, ExpectedQuantity, Node};
use crate::diagnostics::did_you_mean;
use crate::interval::Amount;
use crate::lang::{ProvisionKind, Verdict};
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
            let quantity = match &expectation.quantity {
                None => Some(None),
                Some(written) => {
                    let kind = provision
                        .and_then(|p| provisions.get(p))
                        .map(|(_, p)| p.kind.node);
                    self.expected_quantity(file, written, kind).map(Some)
                }
            };
            if let (Some(provision), Some(party), Some(verdict), Some(quantity)) =
                (provision, party, verdict, quantity)
            {
                let end = expectation
                    .quantity
                    .as_ref()
                    .map_or(expectation.verdict.span, |q| q.span);
                expectations.push(model::Expectation {
                    provision,
                    party,
                    verdict,
                    quantity,
                    span: expectation.provision.span.to(end),
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

impl Checker<'_> {
    /// `with N..M` after a verdict: whole numbers in order, on a provision that measures a
    /// quantity (a limit or a ban, of `kind` when the provision is known).
    fn expected_quantity(
        &mut self,
        file: usize,
        written: &Node<ExpectedQuantity>,
        kind: Option<ProvisionKind>,
    ) -> Option<Amount> {
        if let Some(kind @ (ProvisionKind::Assurance | ProvisionKind::Statement)) = kind {
            self.problem(
                file,
                Code::WrongRule,
                format!(
                    "a{} {} has no quantity",
                    if kind == ProvisionKind::Assurance {
                        "n"
                    } else {
                        ""
                    },
                    kind.as_str()
                ),
                written.span,
                "nothing to compare",
            )
            .help = Some("`with` follows the verdict of a limit or a ban; remove it".to_string());
            return None;
        }
        let number = |text: &str| text.parse::<i128>().ok();
        let min = number(&written.node.min);
        let max = match &written.node.max {
            Some(text) => number(text).map(Some),
            None => Some(None),
        };
        let (Some(min), Some(max)) = (min, max) else {
            self.problem(
                file,
                Code::InvalidBound,
                "this quantity is too large".to_string(),
                written.span,
                "too large",
            );
            return None;
        };
        if max.is_some_and(|max| max < min) {
            self.problem(
                file,
                Code::EmptyRange,
                "this quantity range contains no value".to_string(),
                written.span,
                "no value lies in this range",
            )
            .help = Some("write the lower end first, as in `with 675..3079`".to_string());
            return None;
        }
        Some(Amount {
            min: Some(min),
            max,
        })
    }
}
