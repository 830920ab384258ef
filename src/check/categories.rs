//! Compiling categories: each selection and exception typed against holdings, and no
//! category defined in terms of itself.

use std::collections::HashSet;

use crate::ast;
use crate::model::{Branch, Category};

use super::declare::{Declarations, Names};
use super::expr::Context;
use super::{Checker, Code, cites_of, notes_of, written};

impl Checker<'_> {
    /// Compile every category, then refuse the recursive ones.
    pub(super) fn categories(
        &mut self,
        declared: &Declarations<'_>,
        names: &Names,
    ) -> Vec<Category> {
        let mut compiled_categories = Vec::new();
        let mut references: Vec<Vec<usize>> = Vec::new();
        for &(index, category) in &declared.categories {
            let file = self.file(index);
            let mut typer = names.typer(file, &declared.vocabulary);
            let mut branches = Vec::new();
            if let Some(selection) = typer.predicate(&category.selection, Context::Holding) {
                branches.push(Branch {
                    condition: None,
                    selection,
                    text: written(file, category.selection.span),
                    condition_text: None,
                });
            }
            for exception in &category.exceptions {
                let condition = typer.predicate(&exception.condition, Context::Global);
                let selection = typer.predicate(&exception.selection, Context::Holding);
                if let (Some(condition), Some(selection)) = (condition, selection) {
                    branches.push(Branch {
                        condition: Some(condition),
                        selection,
                        text: written(file, exception.selection.span),
                        condition_text: Some(written(file, exception.condition.span)),
                    });
                }
            }
            references.push(std::mem::take(&mut typer.referenced_categories));
            self.problems.append(&mut typer.problems);
            compiled_categories.push(Category {
                name: category.name.node.clone(),
                label: category.label.as_ref().map(|l| l.node.clone()),
                quotes: self.quotes_of(index, &category.annotations),
                cites: cites_of(&category.annotations),
                notes: notes_of(&category.annotations),
                branches,
            });
        }
        self.recursion(&declared.categories, &references);
        compiled_categories
    }

    /// Refuse categories that count themselves, directly or through others.
    fn recursion(&mut self, categories: &[(usize, &ast::Category)], references: &[Vec<usize>]) {
        // Colour: 0 unvisited, 1 on the current path, 2 done.
        let mut colour = vec![0u8; categories.len()];
        let mut reported = HashSet::new();
        for start in 0..categories.len() {
            let mut path = vec![start];
            let mut stack = vec![(start, 0usize)];
            if let Some(c) = colour.get_mut(start) {
                if *c != 0 {
                    continue;
                }
                *c = 1;
            }
            while let Some((node, next)) = stack.last_mut() {
                let node = *node;
                let edge = references.get(node).and_then(|r| r.get(*next)).copied();
                *next = next.saturating_add(1);
                match edge {
                    None => {
                        if let Some(c) = colour.get_mut(node) {
                            *c = 2;
                        }
                        stack.pop();
                        path.pop();
                    }
                    Some(target) => match colour.get(target).copied() {
                        Some(0) => {
                            if let Some(c) = colour.get_mut(target) {
                                *c = 1;
                            }
                            stack.push((target, 0));
                            path.push(target);
                        }
                        Some(1) if reported.insert(target) => {
                            let cycle_start = path.iter().position(|&p| p == target).unwrap_or(0);
                            let names: Vec<String> = path
                                .get(cycle_start..)
                                .unwrap_or(&[])
                                .iter()
                                .chain(std::iter::once(&target))
                                .filter_map(|&i| {
                                    categories.get(i).map(|(_, c)| format!("`{}`", c.name.node))
                                })
                                .collect();
                            if let Some((file, category)) = categories.get(target) {
                                self.problem(
                                    *file,
                                    Code::RecursiveCategory,
                                    format!(
                                        "category `{}` is defined in terms of itself",
                                        category.name.node
                                    ),
                                    category.name.span,
                                    "counts itself",
                                )
                                .help = Some(format!(
                                    "the definitions run {}; define one without the others",
                                    names.join(" → ")
                                ));
                            }
                        }
                        _ => {}
                    },
                }
            }
        }
    }
}
