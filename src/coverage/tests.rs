#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::path::Path;

use super::sentences::{is_commitment, split};
use super::*;

fn sentences_of(text: &str) -> Vec<&str> {
    split(text).into_iter().map(|(s, e)| &text[s..e]).collect()
}

#[test]
fn full_stops_after_abbreviations_initials_and_list_markers_do_not_end_sentences() {
    let text = "Dear Mr. President, a range of 600 km. to 2500 km. is set. Gerald R. Ford met \
                L.I. Brezhnev. Copy No. 1 is here. Washington, D.C. Is it? Yes! (It is.) Then \
                “Backfire.” Next.";
    assert_eq!(
        sentences_of(text),
        [
            "Dear Mr. President, a range of 600 km. to 2500 km. is set.",
            "Gerald R. Ford met L.I. Brezhnev.",
            "Copy No. 1 is here.",
            "Washington, D.C. Is it?",
            "Yes!",
            "(It is.)",
            "Then “Backfire.”",
            "Next.",
        ]
    );
}

#[test]
fn paragraphs_headings_list_markers_and_table_rows_break_sentences() {
    let text = "Title line\n\nArticle I\nEach Party undertakes not to deploy. It\nwraps here as printed in\nForeign Relations.\n\n1. A new agreement.\n2. Based on this:\n\na. During the time.\n\nName    U.S.A.   USSR\nLaunchers     1,054   1,398\nHeavy bombers    574   156\n";
    assert_eq!(
        sentences_of(text),
        [
            "Title line",
            "Article I",
            "Each Party undertakes not to deploy.",
            "It\nwraps here as printed in\nForeign Relations.",
            "1. A new agreement.",
            "2. Based on this:",
            "a. During the time.",
            "Name    U.S.A.   USSR",
            "Launchers     1,054   1,398",
            "Heavy bombers    574   156",
        ]
    );
}

#[test]
fn every_source_text_splits_into_ordered_trimmed_sentences() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/sources");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 4);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let ranges = split(&text);
        assert!(!ranges.is_empty(), "{}", file.display());
        let mut last_end = 0;
        for &(start, end) in &ranges {
            let sentence = &text[start..end];
            assert!(start >= last_end && start < end, "{}", file.display());
            assert_eq!(sentence, sentence.trim());
            assert!(!sentence.contains("\n\n"), "{sentence:?}");
            // Inside a paragraph, no sentence begins in lower case: a stop after an
            // abbreviation did not end the one before.
            let gap = &text[..start];
            let gap = &gap[gap.trim_end().len()..];
            let paragraph_start = start == 0 || gap.matches('\n').count() >= 2;
            assert!(
                paragraph_start || !sentence.starts_with(|c: char| c.is_lowercase()),
                "{}: {sentence:?}",
                file.display()
            );
            last_end = end;
        }
    }
}

#[test]
fn the_letter_splits_as_a_reader_would() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/sources/brezhnev-carter-1977-03-15.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let sentences = sentences_of(&text);
    assert_eq!(sentences.len(), 59);
    let cruise = sentences
        .iter()
        .find(|s| s.starts_with("—to view heavy bombers"))
        .unwrap();
    assert!(cruise.ends_with("will likewise be forbidden."));
    assert!(cruise.contains("600 km. to 2500 km. as delivery vehicles"));
    assert!(sentences.contains(&"Dear Mr. President,"));
    assert!(sentences.contains(
        &"I. I visited Vance and transmitted through him to President Carter the following letter from L.I. Brezhnev."
    ));
}

#[test]
fn commitments_have_a_quantity_or_a_word_of_obligation() {
    for yes in [
        "The sides will reduce.",
        "It shall enter into force.",
        "Cruise missiles should be entirely banned.",
        "Each Party undertakes not to deploy ASBMs.",
        "to limit the level (2400 and 1320)",
        "Launchers of ICBMs     1,054   1,398",
        "a ceiling on launchers",
        "not exceeding 600 kilometers",
    ] {
        assert!(is_commitment(yes), "{yes}");
    }
    for no in [
        "March 15, 1977",
        "signed at Vienna, 18 June 1979.",
        "Copy No. 1",
        "1. A new agreement",
        "vol. XVI, document 97 (US government publication).",
        "Text as printed in 1969–1976, pp. 198–199.",
        "We continue to maintain this position.",
    ] {
        assert!(!is_commitment(no), "{no}");
    }
}

#[test]
fn percentages_round_half_up_and_survive_zero() {
    assert_eq!(Counts::percent(0, 0), 0);
    assert_eq!(Counts::percent(1, 2), 50);
    assert_eq!(Counts::percent(11, 59), 19);
    assert_eq!(Counts::percent(9, 19), 47);
    assert_eq!(Counts::percent(1, 8), 13);
    assert_eq!(Counts::percent(usize::MAX, usize::MAX), 100);
}

fn letter() -> (crate::model::Model, Coverage) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules = Path::new("rules/ussr-1977-03-15.treaty");
    let model = crate::check::check_file(&root.join(rules), root)
        .unwrap()
        .model;
    let coverage = cover(&model, &root.join(rules), root, None).unwrap();
    (model, coverage)
}

#[test]
fn the_letter_is_covered_quote_by_quote() {
    let (_, coverage) = letter();
    assert_eq!(coverage.format, FORMAT);
    let source = &coverage.sources[0];
    assert!(
        source
            .file
            .ends_with("rules/sources/brezhnev-carter-1977-03-15.txt")
    );
    assert_eq!(
        source.counts,
        Counts {
            sentences: 59,
            quoted: 11,
            commitments: 19,
            commitments_quoted: 9
        }
    );
    // Passages are in the order of the text, each placed on the words of the original.
    for pair in source.passages.windows(2) {
        assert!(pair[0].start <= pair[1].start);
    }
    for passage in &source.passages {
        let original = &source.text[passage.start..passage.end];
        assert_eq!(crate::check::normalize(original), passage.text);
    }
    // Curly quotation marks in the text, straight ones in the quote.
    let backfire = source
        .passages
        .iter()
        .find(|p| p.text.contains("question of \"Backfire\""))
        .unwrap();
    assert!(source.text[backfire.start..backfire.end].contains("“Backfire”"));
    // The sentence of the ceilings is quoted by the limit and by the category.
    let ceilings = source
        .sentences
        .iter()
        .find(|s| s.text.contains("(2400 and 1320)"))
        .unwrap();
    assert!(ceilings.commitment && ceilings.quoted());
    let quoters: Vec<(QuoterKind, &str)> = ceilings
        .passages
        .iter()
        .flat_map(|&p| &source.passages[p].quoted_by)
        .map(|q| (q.kind, q.name.as_str()))
        .collect();
    assert!(quoters.contains(&(QuoterKind::Provision, "aggregate_ceiling")));
    assert!(quoters.contains(&(QuoterKind::Category, "delivery_vehicles")));
    // The commitment the rule file leaves out.
    let mobile = source
        .sentences
        .iter()
        .find(|s| s.text.starts_with("The question of mobile launchers"))
        .unwrap();
    assert!(mobile.commitment && !mobile.quoted());
}

#[test]
fn with_a_report_provisions_carry_their_verdicts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (model, _) = letter();
    let facts = crate::scenario::load_path(
        &root.join("scenarios/salt2-data-base-1978-11-01.toml"),
        &model,
    )
    .unwrap();
    let report =
        crate::eval::evaluate(&model, &facts, &crate::eval::Options::defaults(&model)).unwrap();
    let rules = root.join("rules/ussr-1977-03-15.treaty");
    let coverage = cover(&model, &rules, root, Some(&report)).unwrap();
    assert_eq!(coverage.scenario.as_ref(), Some(&report.scenario));
    let aggregate = coverage.sources[0]
        .passages
        .iter()
        .flat_map(|p| &p.quoted_by)
        .find(|q| q.name == "aggregate_ceiling")
        .unwrap();
    assert_eq!(
        aggregate.verdicts,
        [
            PartyVerdict {
                party: "USA".to_string(),
                verdict: Verdict::Complies
            },
            PartyVerdict {
                party: "USSR".to_string(),
                verdict: Verdict::Violated
            },
        ]
    );
    // Categories have no verdict of their own.
    assert!(
        coverage.sources[0]
            .passages
            .iter()
            .flat_map(|p| &p.quoted_by)
            .filter(|q| q.kind != QuoterKind::Provision)
            .all(|q| q.verdicts.is_empty())
    );
}

#[test]
fn text_lists_the_unquoted_commitments_and_json_round_trips() {
    let (_, coverage) = letter();
    let text = render_text(&coverage);
    assert!(text.contains("  sentences quoted    11 of 59 (19%)\n"));
    assert!(text.contains("  commitments quoted  9 of 19 (47%)\n"));
    assert!(text.contains("\nCommitments not quoted (10):\n"));
    assert!(text.contains("must find its solution in the current agreement."));
    assert!(text.find("Commitments not quoted") < text.find("Other sentences not quoted"));
    assert!(text.lines().all(|line| line == line.trim_end()));

    let json = render_json(&coverage);
    assert!(json.starts_with("{\n  \"format\": \"treaty-coverage/1\""));
    assert!(!json.contains("\"scenario\""));
    let mut back: Coverage = serde_json::from_str(&json).unwrap();
    back.sources[0].text = coverage.sources[0].text.clone();
    assert_eq!(back, coverage);
    assert_eq!(render(&coverage, Format::Json), json);
    assert_eq!(render(&coverage, Format::Text), text);
}

#[test]
fn a_position_without_a_source_has_nothing_to_cover() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules = root.join("rules/usa-1977-03-comprehensive.treaty");
    let model = crate::check::check_file(&rules, root).unwrap().model;
    let coverage = cover(&model, &rules, root, None).unwrap();
    assert!(coverage.sources.is_empty());
    assert!(render_text(&coverage).contains("names no source text"));
}

#[test]
fn quotes_that_are_not_in_the_text_and_repeated_quotes_are_handled() {
    let (mut model, _) = letter();
    let text = "One limit of 10. Another limit of 10. Nothing else.";
    if let Some(provision) = model.provisions.first_mut() {
        provision.quotes = vec![
            crate::model::Quote {
                text: "limit of 10".to_string(),
                span: crate::span::Span::default(),
                source: None,
            },
            crate::model::Quote {
                text: "not there".to_string(),
                span: crate::span::Span::default(),
                source: None,
            },
            crate::model::Quote {
                text: String::new(),
                span: crate::span::Span::default(),
                source: None,
            },
        ];
    }
    let source = cover_text(&model, "t.txt".to_string(), text, None);
    // Both places the quote stands are passages; the empty and missing quotes are none.
    assert_eq!(source.passages.len(), 2);
    assert_eq!(source.counts.sentences, 3);
    assert_eq!(source.counts.quoted, 2);
    assert_eq!(source.sentences[0].line, 1);
}
