//! The holdings of a scenario: each checked against the vocabulary and the parties, its name
//! unique; a JSON file's read one at a time from the text (see `Loader::deferred`).

use std::ops::ControlFlow;

// The loader's own names: its helpers, the value tree, the codes and the facts.
use super::*;

impl Loader<'_> {
    /// One `Option` a holding: `None` where the holding has errors.
    pub(super) fn holdings(
        &mut self,
        entry: &Entry,
        parties: Option<&[usize]>,
    ) -> Vec<Option<Holding>> {
        let ValueKind::Array(items) = &entry.value.kind else {
            let help = match self.format {
                Format::Toml => "write each holding as a `[[holdings]]` table",
                Format::Json => {
                    "write the holdings as a list of objects: `\"holdings\": [ { … } ]`"
                }
            };
            self.wrong_type(
                "holdings",
                "a list of holdings",
                &entry.value,
                Some(help.to_owned()),
            );
            return vec![None];
        };
        let mut names: HashMap<String, Span> = HashMap::new();
        let mut holdings = Vec::new();
        match self.deferred.filter(|&list| list == entry.value.span) {
            Some(list) => {
                let file = self.file;
                let text: &str = &file.text;
                let mut index = 0usize;
                let read = raw::each_holding(text, list, |item| {
                    let next = self.next_holding(index, &item, parties, &mut names, &mut holdings);
                    index = index.saturating_add(1);
                    next
                });
                if !read {
                    // The list read once already; reading it again cannot fail.
                    holdings.push(None);
                }
            }
            None => {
                for (index, item) in items.iter().enumerate() {
                    if self
                        .next_holding(index, item, parties, &mut names, &mut holdings)
                        .is_break()
                    {
                        break;
                    }
                }
            }
        }
        holdings
    }

    /// Holding number `index` (from 0) of the list, loaded into `holdings`; past
    /// [`MAX_HOLDINGS`], a diagnostic and the end of the list.
    fn next_holding(
        &mut self,
        index: usize,
        item: &Value,
        parties: Option<&[usize]>,
        names: &mut HashMap<String, Span>,
        holdings: &mut Vec<Option<Holding>>,
    ) -> ControlFlow<()> {
        if index >= MAX_HOLDINGS {
            let first_unchecked = index.saturating_add(1);
            self.report(
                Code::TooManyHoldings,
                format!("scenario has more than {MAX_HOLDINGS} holdings"),
                self.head(item.span),
                format!(
                    "holding {first_unchecked} starts here; it and the ones after it are not checked"
                ),
                Some(
                    "group holdings that are counted alike into one holding with a larger `count`"
                        .to_owned(),
                ),
            );
            holdings.push(None);
            return ControlFlow::Break(());
        }
        holdings.push(self.holding(item, parties, names));
        ControlFlow::Continue(())
    }

    fn holding(
        &mut self,
        item: &Value,
        parties: Option<&[usize]>,
        names: &mut HashMap<String, Span>,
    ) -> Option<Holding> {
        let table_help = match self.format {
            Format::Toml => None,
            Format::Json => Some(
                "each holding is an object: `{ \"party\": …, \"name\": …, \"count\": … }`"
                    .to_owned(),
            ),
        };
        let entries = self.table("holdings", item, table_help)?;
        let written_name = entries
            .iter()
            .find_map(|e| match (&e.key[..], &e.value.kind) {
                ("name", ValueKind::String(name)) => Some(name.as_str()),
                _ => None,
            });
        let place = match written_name {
            Some(name) => format!("holding `{name}`"),
            None => "a holding".to_owned(),
        };
        let vocabulary = &self.model.vocabulary;
        let mut attributes = vec![Fact::NotStated; vocabulary.holding_attributes.len()];
        let (mut party, mut name, mut count) = (None, None, None);
        let (mut source, mut estimated) = (None, false);
        let (mut has_party, mut has_name, mut has_count) = (false, false, false);
        let mut ok = true;
        for field in entries {
            let value = &field.value;
            match field.key.as_str() {
                "party" => {
                    has_party = true;
                    party = self.holding_party(value, parties);
                }
                "name" => {
                    has_name = true;
                    name = self.string("name", value).map(str::to_owned);
                    if let Some(text) = &name {
                        if let Some(&first) = names.get(text) {
                            let problem = Problem::new(
                                Code::DuplicateHolding,
                                format!("two holdings are named `{text}`"),
                            )
                            .at_named(self.src(), value.span, "named again here")
                            .also(first, "first named here")
                            .with_help("holding names must be unique; rename one of them, or merge the two into one holding");
                            self.record(value.span, problem);
                            ok = false;
                        } else {
                            names.insert(text.clone(), value.span);
                        }
                    }
                }
                "count" => {
                    has_count = true;
                    count = self.count(value);
                }
                "source" => match self.string("source", value) {
                    Some(text) => source = Some(text.to_owned()),
                    None => ok = false,
                },
                "estimated" => match &value.kind {
                    ValueKind::Bool(flag) => estimated = *flag,
                    _ => {
                        let help = Some(
                            "write `estimated = true` for an estimate; leave it out for a verified figure"
                                .to_owned(),
                        );
                        self.wrong_type("estimated", "`true` or `false`", value, help);
                        ok = false;
                    }
                },
                key => {
                    let vocabulary = &self.model.vocabulary;
                    let Some(slot) = vocabulary.holding_attribute(key) else {
                        let mut keys: Vec<&str> = HOLDING_KEYS.to_vec();
                        keys.extend(
                            vocabulary
                                .holding_attributes
                                .iter()
                                .map(|a| a.name.as_str()),
                        );
                        let elsewhere = vocabulary.type_attribute(key).is_some().then(|| {
                            format!(
                                "`{key}` is an attribute of weapon types: give the holding a weapon type and write `{key}` in that type's table"
                            )
                        });
                        self.misplaced_key(field, &place, &keys, elsewhere);
                        ok = false;
                        continue;
                    };
                    let Some(def) = vocabulary.holding_attributes.get(slot) else {
                        continue;
                    };
                    match self.fact(def, value) {
                        Some(fact) => {
                            if let Some(attribute) = attributes.get_mut(slot) {
                                *attribute = fact;
                            }
                        }
                        None => ok = false,
                    }
                }
            }
        }
        let format = self.format;
        let example = move |toml: &str, json: &str| match format {
            Format::Toml => format!("add `{toml}`"),
            Format::Json => format!("add `{json}`"),
        };
        if !has_party {
            let first = self.model.parties.first().map_or("…", String::as_str);
            let help = example(
                &format!("party = \"{first}\""),
                &format!("\"party\": \"{first}\""),
            );
            self.missing("party", &place, item.span, help);
        }
        if !has_name {
            let help = example("name = \"…\"", "\"name\": \"…\"");
            let help = format!("{help}; every holding needs a name of its own");
            self.missing("name", &place, item.span, help);
        }
        if !has_count {
            let help = example("count = 550", "\"count\": 550");
            let help = format!(
                "{help}; write an interval such as `\"140..160\"` for an estimate, or `\"unknown\"`"
            );
            self.missing("count", &place, item.span, help);
        }
        if !ok {
            return None;
        }
        Some(Holding {
            party: party?,
            name: name?.into(),
            count: count?,
            attributes,
            source,
            estimated,
            span: item.span,
        })
    }

    fn holding_party(&mut self, value: &Value, parties: Option<&[usize]>) -> Option<usize> {
        let name = self.string("party", value)?;
        self.listed_party(name, value.span, parties)
    }
}
