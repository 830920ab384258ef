//! Category definitions said once per provision. A contributor's `because` (the JSON
//! contract) repeats its category's whole definition for every holding; the text rendering
//! lists each definition once under the provision and shortens the holdings' lines to
//! ``counted in `CATEGORY` ``.
//!
//! A `because` is one or more reasons joined with `; or `, each
//! ``[subtracted: ][possibly ](counted in|in) `CATEGORY`: DEFINITION`` followed, for a sum,
//! by `, weighted by …` or, for an assurance, by ``; requirement `…` …``. Any other shape is
//! left as it is.

use super::Contributor;

/// The reasons of one `because`.
const OR: &str = "; or ";
/// What may follow a definition.
const ENDINGS: [&str; 2] = ["; requirement `", ", weighted by "];

/// The distinct (category, definition) pairs of a provision's contributors, in the order
/// first met.
#[derive(Debug, Default)]
pub(super) struct Definitions {
    entries: Vec<(String, String)>,
}

/// A reason split around its definition.
struct Reason<'a> {
    /// ``possibly counted in `CATEGORY` ``.
    head: &'a str,
    /// `` `CATEGORY` ``.
    category: &'a str,
    definition: &'a str,
    /// What follows the definition, if anything.
    tail: &'a str,
}

fn split(reason: &str) -> Option<Reason<'_>> {
    let open = reason.find('`')?;
    let before = reason.get(..open)?;
    if !(before.ends_with("counted in ") || before.ends_with("in ")) {
        return None;
    }
    let close = reason
        .get(open.saturating_add(1)..)?
        .find('`')?
        .saturating_add(open)
        .saturating_add(1);
    let head_end = close.saturating_add(1);
    let rest = reason.get(head_end..)?.strip_prefix(": ")?;
    let end = ENDINGS
        .iter()
        .filter_map(|ending| rest.find(ending))
        .min()
        .unwrap_or(rest.len());
    Some(Reason {
        head: reason.get(..head_end)?,
        category: reason.get(open..head_end)?,
        definition: rest.get(..end)?,
        tail: rest.get(end..)?,
    })
}

impl Definitions {
    /// The definitions the contributors' reasons give.
    pub(super) fn of(contributors: &[Contributor]) -> Definitions {
        let mut definitions = Definitions::default();
        for contributor in contributors {
            for reason in contributor.because.split(OR).filter_map(split) {
                let entry = (reason.category.to_string(), reason.definition.to_string());
                if !definitions.entries.contains(&entry) {
                    definitions.entries.push(entry);
                }
            }
        }
        definitions
    }

    /// How the definition is referred to: `` `CATEGORY` ``, numbered when the category has
    /// several definitions here (an exception, or several assumptions about a package).
    fn label(&self, category: &str, definition: &str) -> String {
        let alike: Vec<&(String, String)> =
            self.entries.iter().filter(|(c, _)| c == category).collect();
        if alike.len() < 2 {
            return category.to_string();
        }
        let number = alike
            .iter()
            .position(|(_, d)| d == definition)
            .map_or(0, |i| i.saturating_add(1));
        format!("{category} ({number})")
    }

    /// (label, definition), each once.
    pub(super) fn listed(&self) -> Vec<(String, &str)> {
        self.entries
            .iter()
            .map(|(category, definition)| (self.label(category, definition), definition.as_str()))
            .collect()
    }

    /// `because` with each definition replaced by its label.
    pub(super) fn shorten(&self, because: &str) -> String {
        because
            .split(OR)
            .map(|reason| match split(reason) {
                Some(r) => {
                    let head = r.head.strip_suffix(r.category).unwrap_or(r.head);
                    format!("{head}{}{}", self.label(r.category, r.definition), r.tail)
                }
                None => reason.to_string(),
            })
            .collect::<Vec<_>>()
            .join(OR)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::interval::Interval;

    fn contributor(because: &str) -> Contributor {
        Contributor {
            holding: "h".into(),
            count: Interval {
                min: 1,
                max: Some(1),
            },
            because: because.into(),
            estimated: false,
            source: None,
            defaults: Vec::new(),
        }
    }

    #[test]
    fn one_definition_is_listed_once_and_referred_to_by_name() {
        let contributors = [
            contributor("counted in `dv`: holdings where class = icbm"),
            contributor("subtracted: possibly counted in `dv`: holdings where class = icbm"),
            contributor("counted in `w`: holdings where x, weighted by warheads = 10"),
        ];
        let definitions = Definitions::of(&contributors);
        assert_eq!(
            definitions.listed(),
            [
                ("`dv`".to_string(), "holdings where class = icbm"),
                ("`w`".to_string(), "holdings where x"),
            ]
        );
        assert_eq!(
            definitions.shorten(&contributors[1].because),
            "subtracted: possibly counted in `dv`"
        );
        assert_eq!(
            definitions.shorten(&contributors[2].because),
            "counted in `w`, weighted by warheads = 10"
        );
    }

    #[test]
    fn several_definitions_of_a_category_are_numbered() {
        let both = "counted in `m`: holdings where a (package `p` is not stated; assumed not agreed); \
                    or counted in `m`: when package p is agreed: holdings where b (package `p` is not stated; assumed agreed)";
        let definitions = Definitions::of(&[contributor(both)]);
        let listed = definitions.listed();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].0, "`m` (1)");
        assert_eq!(
            listed[1].1,
            "when package p is agreed: holdings where b (package `p` is not stated; assumed agreed)"
        );
        assert_eq!(
            definitions.shorten(both),
            "counted in `m` (1); or counted in `m` (2)"
        );
    }

    #[test]
    fn assurances_keep_their_requirement_and_other_shapes_are_kept() {
        let because = "in `b`: holdings where class = bomber; requirement `range <= 2200 km` holds";
        let definitions = Definitions::of(&[contributor(because)]);
        assert_eq!(
            definitions.shorten(because),
            "in `b`; requirement `range <= 2200 km` holds"
        );
        let odd = "counted in `u` under one of: holdings where a | holdings where b";
        assert_eq!(Definitions::of(&[contributor(odd)]).shorten(odd), odd);
    }
}
