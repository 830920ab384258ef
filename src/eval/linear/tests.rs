//! The linear forms agree with the evaluator: on every position of the project and every
//! scenario, each limit's and ban's form gives the quantity `evaluate` reports.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

use super::*;
use crate::interval::Amount;

#[test]
fn forms_give_the_evaluated_quantities() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut compared = 0;
    for rules in std::fs::read_dir(root.join("rules")).unwrap().flatten() {
        let path = rules.path();
        if path.extension().is_none_or(|e| e != "treaty") {
            continue;
        }
        let model = crate::check::check_file(&path, root).unwrap().model;
        for scenario in std::fs::read_dir(root.join("scenarios")).unwrap().flatten() {
            let Ok(facts) = crate::scenario::load_path(&scenario.path(), &model) else {
                continue;
            };
            let options = Options::defaults(&model);
            let report = crate::eval::evaluate(&model, &facts, &options).unwrap();
            for party in &facts.parties {
                let linear = linear_provisions(&model, &facts, &options, *party).unwrap();
                let name = &model.parties[*party];
                let evaluated = report.parties.iter().find(|p| &p.party == name).unwrap();
                for entry in &linear {
                    let id = &model.provisions[entry.provision].id;
                    let provision = evaluated.provisions.iter().find(|p| &p.id == id).unwrap();
                    let Linear::Constraint { form, bound, .. } = &entry.linear else {
                        continue;
                    };
                    let Some(quantity) = provision.quantity else {
                        continue;
                    };
                    let value = form
                        .value(|h| Amount::from(facts.holdings[h].count))
                        .unwrap();
                    assert_eq!(
                        value,
                        quantity,
                        "{id} for {name} on {}",
                        scenario.path().display()
                    );
                    if let Some(evaluated) = &provision.bound {
                        assert_eq!(evaluated, bound);
                    }
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 100, "only {compared} quantities compared");
}
