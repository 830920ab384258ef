//! Compiling provisions: scope, conditions, period (within the position's), and a rule that
//! fits the kind of provision, with its bounds in date order.

use crate::ast::{self};
use crate::lang::ProvisionKind;
use crate::model::{Bound, Date, Period, PeriodWritten, Provision, Rule, Scope};

use super::dates::relative;
use super::declare::{Declarations, Names};
use super::expr::{Context, Typer};
use super::{Checker, Code, cites_of, notes_of, written};

impl Checker<'_> {
    /// Compile every provision of the checked file.
    pub(super) fn provisions(
        &mut self,
        declared: &Declarations<'_>,
        names: &Names,
        parties: &[String],
        period: (Period, &PeriodWritten),
    ) -> Vec<Provision> {
        let mut compiled_provisions = Vec::new();
        for &(index, provision) in &declared.provisions {
            let file = self.file(index);
            let mut typer = names.typer(file, &declared.vocabulary);
            let compiled = self.provision(index, provision, parties, period, &mut typer);
            self.problems.append(&mut typer.problems);
            compiled_provisions.extend(compiled);
        }
        compiled_provisions
    }

    fn provision(
        &mut self,
        file: usize,
        provision: &ast::Provision,
        parties: &[String],
        (position_period, position_written): (Period, &PeriodWritten),
        typer: &mut Typer<'_>,
    ) -> Option<Provision> {
        let kind = provision.kind.node;
        let source = self.file(file);
        let scope = match provision.scope.as_ref().map(|s| &s.node) {
            None | Some(ast::Scope::EachParty) => {
                if kind == ProvisionKind::Assurance {
                    self.problem(
                        file,
                        Code::WrongRule,
                        "an assurance is given by one party".to_string(),
                        provision.id.span,
                        "by whom?",
                    )
                    .help = Some(format!(
                        "write `assurance {} by PARTY {{ … }}`",
                        provision.id.node
                    ));
                }
                Scope::EachParty
            }
            Some(ast::Scope::For(party)) => Scope::For(self.party(file, party, parties)?),
            Some(ast::Scope::By(party)) => Scope::By(self.party(file, party, parties)?),
        };
        let mut conditions = Vec::new();
        let mut condition_texts = Vec::new();
        for condition in &provision.conditions {
            if let Some(predicate) = typer.predicate(condition, Context::Global) {
                conditions.push(predicate);
                condition_texts.push(written(source, condition.span));
            }
        }
        let (own, own_written) = provision
            .period
            .as_ref()
            .map(|p| self.period(file, p))
            .unwrap_or_default();
        let period = Period {
            from: max_option(own.from, position_period.from),
            until: min_option(own.until, position_period.until),
        };
        // Each end as written where it was written: the provision's own, or the position's
        // where that is the narrower.
        let period_written = PeriodWritten {
            from: if period.from == own.from {
                own_written.from
            } else {
                position_written.from.clone()
            },
            until: if period.until == own.until {
                own_written.until
            } else {
                position_written.until.clone()
            },
        };
        let expected = match kind {
            ProvisionKind::Limit => "`count of CATEGORY at most N`",
            ProvisionKind::Ban => "`no CATEGORY`",
            ProvisionKind::Assurance => "`every CATEGORY has CONDITION`",
            ProvisionKind::Statement => "no rule",
        };
        let rule = match (kind, provision.rule.as_ref().map(|r| &r.node)) {
            (ProvisionKind::Statement, None) => Rule::None,
            (
                ProvisionKind::Limit,
                Some(ast::Rule::Limit {
                    quantity,
                    comparison,
                    bounds,
                }),
            ) => {
                let compiled = typer.quantity(quantity);
                let bounds = self.bounds(file, bounds, typer);
                Rule::Limit {
                    quantity: compiled?,
                    comparison: comparison.node,
                    bounds: bounds?,
                    text: written(source, quantity.span),
                }
            }
            (ProvisionKind::Ban, Some(ast::Rule::Ban { category })) => Rule::Ban {
                category: typer.category(category)?,
            },
            (
                ProvisionKind::Assurance,
                Some(ast::Rule::Assurance {
                    category,
                    requirement,
                }),
            ) => {
                let category = typer.category(category);
                let compiled = typer.predicate(requirement, Context::Holding);
                Rule::Assurance {
                    category: category?,
                    requirement: compiled?,
                    text: written(source, requirement.span),
                }
            }
            (_, rule) => {
                let span = provision
                    .rule
                    .as_ref()
                    .map_or(provision.id.span, |r| r.span);
                let message = match rule {
                    None => format!("this {} has no rule", kind.as_str()),
                    Some(_) => format!("this rule does not fit a {}", kind.as_str()),
                };
                let problem = self.problem(file, Code::WrongRule, message, span, "here");
                problem
                    .secondary
                    .push((provision.kind.span, "the kind of provision".to_string()));
                problem.help = Some(format!("a {} reads {expected}", kind.as_str()));
                return None;
            }
        };
        // A citation says where the words stand when their text is not in hand: the
        // provision is anchored, though not verified.
        if provision.annotations.quotes.is_empty() && provision.annotations.cites.is_empty() {
            self.problem(
                file,
                Code::MissingQuote,
                format!("provision `{}` quotes nothing", provision.id.node),
                provision.id.span,
                "no `quote`",
            )
            .help = Some(
                "anchor the provision to the words it encodes: `quote \"…\"`, or `cite \"…\"` \
                 where the text is not in hand"
                    .to_string(),
            );
        }
        Some(Provision {
            id: provision.id.node.clone(),
            label: provision.label.as_ref().map(|l| l.node.clone()),
            kind,
            scope,
            quotes: self.quotes_of(file, &provision.annotations),
            cites: cites_of(&provision.annotations),
            notes: notes_of(&provision.annotations),
            conditions,
            condition_texts,
            period,
            period_written,
            rule,
            span: provision.id.span,
        })
    }

    fn bounds(
        &mut self,
        file: usize,
        bounds: &[ast::Bound],
        typer: &mut Typer<'_>,
    ) -> Option<Vec<Bound>> {
        let mut compiled = Vec::new();
        let mut ok = true;
        let mut previous: Option<Date> = None;
        for bound in bounds {
            let value = self.bound_value(file, bound, typer);
            let from = match &bound.from {
                None => None,
                Some(date) => {
                    let parsed = self.date_expr(file, date);
                    if let (Some(p), Some(d)) = (previous, parsed) {
                        if d <= p {
                            self.problem(
                                file,
                                Code::InvalidBound,
                                format!(
                                    "bounds must change in date order, and {d} is not after {p}"
                                ),
                                date.span,
                                "out of order",
                            );
                            ok = false;
                        }
                    }
                    previous = parsed.or(previous);
                    if parsed.is_none() {
                        ok = false;
                    }
                    parsed
                }
            };
            match value {
                Some(value) => compiled.push(Bound {
                    from,
                    value,
                    from_written: bound.from.as_ref().and_then(relative),
                }),
                None => ok = false,
            }
        }
        ok.then_some(compiled)
    }
}

impl Checker<'_> {
    /// A bound's value: a whole number without a unit (a limit counts holdings).
    fn bound_value(
        &mut self,
        file: usize,
        bound: &ast::Bound,
        typer: &mut Typer<'_>,
    ) -> Option<u64> {
        if let Some(unit) = &bound.unit {
            self.problem(
                file,
                Code::InvalidBound,
                format!(
                    "a bound is a whole number without a unit, and this one is in `{}`",
                    unit.node
                ),
                bound.value.span.to(unit.span),
                "a count has no unit",
            )
            .help = Some(format!(
                "a limit counts holdings: write `at most {}`; a range or a yield belongs in a category, as `holdings where type.range > {} {}`",
                bound.value.node, bound.value.node, unit.node
            ));
            return None;
        }
        if bound.value.node.contains('.') {
            self.problem(
                file,
                Code::InvalidBound,
                format!(
                    "a bound is a whole number, and `{}` is not",
                    bound.value.node
                ),
                bound.value.span,
                "not a whole number",
            )
            .help = Some(
                "a limit counts holdings: write a whole number, as `at most 2400`".to_string(),
            );
            return None;
        }
        typer.whole(&bound.value.node, bound.value.span)
    }
}

fn max_option(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn min_option(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
