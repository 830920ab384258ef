//! The language's closed word lists: what kind of document, provision, comparison, unit of
//! time, package state and verdict there are. Every stage uses these; none keeps its own copy.
//!
//! Each list has `ALL` (in the order the docs give them), `as_str` (the word as written in a
//! rule file, a scenario or a report) and `parse` (its inverse).

/// Declares a closed word list: the enum, `ALL`, `as_str`, `parse` and `Display`. Also used
/// outside this module for lists that are not the language's (the report formats).
macro_rules! word_list {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $word:literal,)* }) => {
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        $(#[$meta])*
        pub enum $name {
            $(#[doc = concat!("`", $word, "`")] $(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// Every value, in the order the language's docs list them.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The word as written.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)*
                }
            }

            /// The value written as `text`, if any.
            pub fn parse(text: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|value| value.as_str() == text)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use word_list;

word_list! {
    /// What a rule file is, as its header says.
    #[serde(rename_all = "snake_case")]
    DocumentKind {
        Position => "position",
        Treaty => "treaty",
        Proposal => "proposal",
        Protocol => "protocol",
        Vocabulary => "vocabulary",
    }
}

word_list! {
    /// What a provision does: bound a quantity, forbid a category, require something of every
    /// member of a category, or state an intention that binds nothing.
    #[serde(rename_all = "snake_case")]
    ProvisionKind {
        Limit => "limit",
        Ban => "ban",
        Assurance => "assurance",
        Statement => "statement",
    }
}

word_list! {
    /// A comparison, as its symbol (`at most` is written `<=` in reports).
    Comparison {
        #[serde(rename = "<=")]
        AtMost => "<=",
        #[serde(rename = ">=")]
        AtLeast => ">=",
        #[serde(rename = "<")]
        Less => "<",
        #[serde(rename = ">")]
        Greater => ">",
        #[serde(rename = "=")]
        Equal => "=",
        #[serde(rename = "!=")]
        NotEqual => "!=",
    }
}

impl Comparison {
    /// The symbol, as reports and diagnostics print it.
    pub fn symbol(self) -> &'static str {
        self.as_str()
    }
}

word_list! {
    /// The grammar's other keywords (`grammar/treaty.pest`): the words a declaration, a field
    /// or a rule starts with, as written. A misspelt one gets "did you mean" from here and
    /// the lists above; syntax recovery finds where declarations and fields start with it.
    Keyword {
        Use => "use",
        WeaponTypes => "weapon types",
        Holdings => "holdings",
        Package => "package",
        Reading => "reading",
        Category => "category",
        Test => "test",
        Date => "date",
        Parties => "parties",
        Source => "source",
        InForce => "in force",
        Note => "note",
        Quote => "quote",
        Cite => "cite",
        EntryIntoForce => "entry into force",
        Signature => "signature",
        Default => "default",
        Variant => "variant",
        When => "when",
        HoldingsWhere => "holdings where",
        ForEachParty => "for each party",
        No => "no",
        Every => "every",
        CountOf => "count of",
        SumOf => "sum of",
        AtMost => "at most",
        AtLeast => "at least",
        From => "from",
        Until => "until",
        Scenario => "scenario",
        Expect => "expect",
    }
}

impl Keyword {
    /// The keywords a top-level declaration other than a header or a provision starts with.
    pub const DECLARATIONS: &'static [Keyword] = &[
        Keyword::Use,
        Keyword::WeaponTypes,
        Keyword::Holdings,
        Keyword::Package,
        Keyword::Reading,
        Keyword::Category,
        Keyword::Test,
    ];

    /// The keywords a field of a block starts with: a line that may be set aside alone
    /// when it holds a syntax error, the rest of its block kept.
    pub const FIELDS: &'static [Keyword] = &[
        Keyword::Date,
        Keyword::Parties,
        Keyword::Source,
        Keyword::InForce,
        Keyword::Note,
        Keyword::Quote,
        Keyword::Cite,
        Keyword::EntryIntoForce,
        Keyword::Variant,
        Keyword::Scenario,
        Keyword::Reading,
        Keyword::Expect,
    ];
}

word_list! {
    /// The unit of a span of time after a date (`entry into force + 18 months`). The singular
    /// is accepted too (`+ 1 year`): see [`DateUnit::parse_either`].
    #[serde(rename_all = "snake_case")]
    DateUnit {
        /// Calendar years: the same day of the month (29 February falls back to the 28th).
        Years => "years",
        /// Calendar months: the same day, or the month's last day when it has fewer.
        Months => "months",
        /// Days.
        Days => "days",
    }
}

impl DateUnit {
    /// The unit written `word`, plural or singular (`months`, `month`).
    pub fn parse_either(word: &str) -> Option<DateUnit> {
        DateUnit::parse(word).or_else(|| DateUnit::parse(&format!("{word}s")))
    }

    /// The word for `amount` of the unit: `1 year`, `18 months`.
    pub fn word_for(self, amount: &str) -> &'static str {
        match (self, amount == "1") {
            (DateUnit::Years, true) => "year",
            (DateUnit::Months, true) => "month",
            (DateUnit::Days, true) => "day",
            (unit, false) => unit.as_str(),
        }
    }
}

word_list! {
    /// Where a linked package stands in a scenario.
    #[serde(rename_all = "snake_case")]
    PackageStatus {
        Agreed => "agreed",
        Open => "open",
        Rejected => "rejected",
    }
}

word_list! {
    /// The verdict on one provision for one party.
    #[serde(rename_all = "snake_case")]
    Verdict {
        Complies => "complies",
        Violated => "violated",
        Undetermined => "undetermined",
        NotApplicable => "not_applicable",
        NotInForce => "not_in_force",
        NotEvaluable => "not_evaluable",
    }
}

impl Verdict {
    /// How bad a verdict is, for a party's overall verdict (the worst of its provisions).
    pub fn severity(self) -> u8 {
        match self {
            Verdict::Violated => 5,
            Verdict::Undetermined => 4,
            Verdict::Complies => 3,
            Verdict::NotApplicable => 2,
            Verdict::NotInForce => 1,
            Verdict::NotEvaluable => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_parses_back() {
        for kind in ProvisionKind::ALL {
            assert_eq!(ProvisionKind::parse(kind.as_str()), Some(*kind));
        }
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(kind.as_str()), Some(*kind));
        }
        for op in Comparison::ALL {
            assert_eq!(Comparison::parse(op.symbol()), Some(*op));
        }
        for keyword in Keyword::ALL {
            assert_eq!(Keyword::parse(keyword.as_str()), Some(*keyword));
        }
        for status in PackageStatus::ALL {
            assert_eq!(PackageStatus::parse(status.as_str()), Some(*status));
        }
        for verdict in Verdict::ALL {
            assert_eq!(Verdict::parse(verdict.as_str()), Some(*verdict));
        }
        for unit in DateUnit::ALL {
            assert_eq!(DateUnit::parse_either(unit.as_str()), Some(*unit));
            assert_eq!(DateUnit::parse_either(unit.word_for("1")), Some(*unit));
        }
        assert_eq!(DateUnit::parse_either("weeks"), None);
        assert_eq!(Verdict::parse("compiles"), None);
    }

    #[test]
    fn serde_uses_the_written_words() {
        assert_eq!(
            serde_json::to_string(&Comparison::AtMost).unwrap(),
            "\"<=\""
        );
        assert_eq!(
            serde_json::to_string(&Verdict::NotInForce).unwrap(),
            "\"not_in_force\""
        );
        assert_eq!(
            serde_json::to_string(&ProvisionKind::Assurance).unwrap(),
            "\"assurance\""
        );
    }
}
