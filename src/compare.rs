//! Positions compared on one scenario: one vocabulary for all of them.
//!
//! A scenario is validated against a position's vocabulary, so positions written on different
//! vocabulary files could not read the same scenario. [`share_vocabulary`] lets every position
//! know every attribute and package that any of them declares (a position's own rules never
//! refer to those it did not declare, so its verdicts do not change), provided the positions
//! agree on every attribute they share. The readings chosen on the command line apply across
//! positions with [`Chosen::across`](crate::eval::Chosen::across).

use crate::diagnostics::{Problem, codes};
use crate::model::{AttributeDef, AttributeType, Model};

codes! { "compare",
    VocabularyConflict => "vocabulary_conflict", Error;
}

/// Give every model every weapon-type attribute, holding attribute and package that another
/// declares. Attributes of one name must agree in kind (same dimension for quantities, same
/// values for enumerations, in any order); each that does not is one [`Problem`] naming the
/// attribute and both definitions, and no model is changed.
pub fn share_vocabulary(models: &mut [Model]) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    let mut types: Vec<(AttributeDef, String)> = Vec::new();
    let mut holdings: Vec<(AttributeDef, String)> = Vec::new();
    for model in models.iter() {
        let file = &model.file.name;
        for attribute in &model.vocabulary.type_attributes {
            gather(&mut types, attribute, file, "weapon-type", &mut problems);
        }
        for attribute in &model.vocabulary.holding_attributes {
            gather(&mut holdings, attribute, file, "holding", &mut problems);
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut packages = Vec::new();
    for model in models.iter() {
        for package in &model.packages {
            if !packages
                .iter()
                .any(|p: &crate::model::Package| p.name == package.name)
            {
                packages.push(crate::model::Package {
                    // The quotes point into another file: not needed to read a scenario.
                    quotes: Vec::new(),
                    ..package.clone()
                });
            }
        }
    }
    for model in models.iter_mut() {
        let vocabulary = &mut model.vocabulary;
        for (attribute, _) in &types {
            if vocabulary.type_attribute(&attribute.name).is_none() {
                vocabulary.type_attributes.push(attribute.clone());
            }
        }
        for (attribute, _) in &holdings {
            if vocabulary.holding_attribute(&attribute.name).is_none() {
                vocabulary.holding_attributes.push(attribute.clone());
            }
        }
        for package in &packages {
            if model.package(&package.name).is_none() {
                model.packages.push(package.clone());
            }
        }
    }
    Ok(())
}

/// Add `attribute` (declared in `file`) to `known`, or check it against the one already there.
fn gather(
    known: &mut Vec<(AttributeDef, String)>,
    attribute: &AttributeDef,
    file: &str,
    what: &str,
    problems: &mut Vec<Problem>,
) {
    let Some((first, first_file)) = known.iter().find(|(a, _)| a.name == attribute.name) else {
        known.push((attribute.clone(), file.to_string()));
        return;
    };
    if agree(&first.ty, &attribute.ty) {
        return;
    }
    let message = format!(
        "the positions disagree on {what} attribute `{}`: `{first_file}` declares {}, `{file}` {}",
        attribute.name,
        first.ty.describe(),
        attribute.ty.describe()
    );
    // One problem per attribute, however many positions disagree on it.
    if !problems.iter().any(|p| {
        p.message
            .contains(&format!("{what} attribute `{}`:", attribute.name))
    }) {
        problems.push(
            Problem::new(Code::VocabularyConflict, message).with_help(
                "a scenario gives each attribute one value: compare positions whose vocabularies agree, or rename the attribute in one of them",
            ),
        );
    }
}

/// Whether a scenario's value for one attribute reads the same under both types.
fn agree(a: &AttributeType, b: &AttributeType) -> bool {
    match (a, b) {
        (AttributeType::Quantity { unit: x }, AttributeType::Quantity { unit: y }) => {
            x.dimension == y.dimension
        }
        (AttributeType::Enum { values: x }, AttributeType::Enum { values: y }) => {
            x.len() == y.len() && x.iter().all(|v| y.contains(v))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::check;
    use crate::span::SourceFile;
    use std::path::Path;

    fn model(name: &str, text: &str) -> Model {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        check::check_source(SourceFile::new(name, text), root, root)
            .unwrap()
            .model
    }

    const HEADER: &str = "vocabulary \"v\" {\n}\n";

    #[test]
    fn codes_are_documented() {
        let docs = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"),
        )
        .unwrap();
        for code in Code::ALL {
            let code = crate::diagnostics::Code::as_str(*code);
            assert!(docs.contains(&format!("`{code}`")), "{code} is not in docs");
        }
    }

    #[test]
    fn attributes_and_packages_are_shared() {
        let mut models = vec![
            model(
                "a.treaty",
                &format!("{HEADER}holdings {{\n    class: one of x, y\n}}\npackage p\n"),
            ),
            model(
                "b.treaty",
                &format!("{HEADER}holdings {{\n    class: one of y, x\n    extra: integer\n}}\n"),
            ),
        ];
        share_vocabulary(&mut models).unwrap();
        for model in &models {
            assert!(model.vocabulary.holding_attribute("extra").is_some());
            assert!(model.package("p").is_some());
        }
        // The first keeps its own slots, the shared ones after them.
        assert_eq!(models[0].vocabulary.holding_attribute("extra"), Some(1));
    }

    #[test]
    fn a_conflict_names_the_attribute_and_both_definitions() {
        let mut models = vec![
            model(
                "a.treaty",
                &format!("{HEADER}holdings {{\n    range: quantity in km\n}}\n"),
            ),
            model(
                "b.treaty",
                &format!("{HEADER}holdings {{\n    range: integer\n}}\n"),
            ),
            model(
                "c.treaty",
                &format!("{HEADER}holdings {{\n    range: boolean\n}}\n"),
            ),
        ];
        let problems = share_vocabulary(&mut models).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].message,
            "the positions disagree on holding attribute `range`: `a.treaty` declares a length in km, `b.treaty` a whole number"
        );
        assert!(models[1].vocabulary.holding_attribute("range").is_some());
        // Miles and kilometres measure the same thing.
        let mut models = vec![
            model(
                "a.treaty",
                &format!("{HEADER}holdings {{\n    range: quantity in km\n}}\n"),
            ),
            model(
                "b.treaty",
                &format!("{HEADER}holdings {{\n    range: quantity in mi\n}}\n"),
            ),
        ];
        assert!(share_vocabulary(&mut models).is_ok());
    }
}
