use proptest::prelude::*;

use super::{Limit, MAX_RENDERED, Problem, View, closest, record, render, render_view};
use crate::span::{SourceFile, Span};

crate::diagnostics::codes! { "test",
    Oops => "oops", Error;
}

#[test]
fn the_test_stage_has_one_code() {
    assert_eq!(Code::ALL, [Code::Oops]);
}

fn problem(text: &str, span: Span) -> Problem {
    let file = SourceFile::new("x.treaty", text);
    Problem::new(Code::Oops, "something is wrong").at(&file, span, "here")
}

fn longest_line(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// The reproducer: a diagnostic 70 000 columns into a line made miette panic.
#[test]
fn a_label_far_into_a_long_line_is_shown_in_a_window() {
    let text = format!("{}bogus\n", " ".repeat(70_000));
    let out = render(&problem(&text, Span::new(70_000, 70_005)), false, 80);
    assert!(out.contains("[x.treaty:1:70001]"), "{out}");
    assert!(
        out.contains("…                                        bogus"),
        "{out}"
    );
    assert!(longest_line(&out) < 200, "{out}");
}

#[test]
fn two_labels_on_one_long_line_get_a_window_each() {
    let text = format!(
        "start {} middle {} end\nnext line\n",
        "a".repeat(5000),
        "b".repeat(5000)
    );
    let file = SourceFile::new("x.treaty", text.as_str());
    let middle = text.find("middle").unwrap();
    let end = text.find("end").unwrap();
    let problem = Problem::new(Code::Oops, "two places")
        .at(&file, Span::new(middle, middle + 6), "first")
        .also(Span::new(end, end + 3), "second");
    let out = render(&problem, false, 100);
    assert!(out.contains("middle"), "{out}");
    assert!(out.contains(" end"), "{out}");
    // Before the first window and between the two; the second reaches the line's end.
    assert_eq!(out.matches('…').count(), 2, "{out}");
    assert!(out.contains("│ …aaa"), "{out}");
    assert!(out.contains(" 2 │ next line"), "{out}");
    assert!(longest_line(&out) < 300, "{out}");
}

#[test]
fn a_long_label_is_cut_and_covers_the_ellipsis() {
    let text = format!("x = {};\n", "y".repeat(100_000));
    let out = render(&problem(&text, Span::new(4, 100_004)), false, 80);
    assert!(out.contains("…"), "{out}");
    assert!(longest_line(&out) < 300, "{out}");
    assert!(out.contains("[x.treaty:1:5]"), "{out}");
}

#[test]
fn a_label_over_many_lines_is_cut_to_its_first() {
    let text = "line\n".repeat(1000);
    let out = render(&problem(&text, Span::new(5, 4000)), false, 80);
    assert!(out.lines().count() < 20, "{out}");
    assert!(out.contains("[x.treaty:2:1]"), "{out}");
}

#[test]
fn control_characters_are_escaped_everywhere() {
    let text = "name = \"\u{1b}[2J\u{7}\"\r\nnext\rline\n";
    let file = SourceFile::new("x\u{1b}[31m.toml", text);
    let problem = Problem::new(Code::Oops, "unknown name `\u{1b}[2J`")
        .at(&file, Span::new(8, 12), "label \u{1b}[1m")
        .with_help("help \u{9b}31m");
    let out = render(&problem, false, 80);
    for c in ['\u{1b}', '\u{7}', '\u{9b}', '\r'] {
        assert!(!out.contains(c), "{c:?} in {out}");
    }
    assert!(out.contains("unknown name `\\u{1b}[2J`"), "{out}");
    assert!(out.contains("x\\u{1b}[31m.toml:1:9"), "{out}");
    assert!(out.contains("\"\\u{1b}[2J\\u{7}\""), "{out}");
    // The lone `\r` is a line end to miette, so lines are numbered as in the file.
    assert!(out.contains(" 2 │ next"), "{out}");
}

#[test]
fn columns_count_characters_before_a_long_line_window() {
    let text = format!("{}bogus", "é".repeat(40_000));
    let at = text.find("bogus").unwrap();
    let out = render(&problem(&text, Span::new(at, at + 5)), false, 80);
    assert!(out.contains("[x.treaty:1:40001]"), "{out}");
    let json = record(&problem(&text, Span::new(at, at + 5)));
    assert_eq!((json.labels[0].line, json.labels[0].column), (1, 40_001));
}

#[test]
fn a_label_at_the_end_of_a_long_last_line_renders() {
    let text = "z".repeat(80_000);
    let out = render(&problem(&text, Span::point(80_000)), false, 80);
    assert!(out.contains("…"), "{out}");
    assert!(longest_line(&out) < 300, "{out}");
}

#[test]
fn the_limit_shows_the_first_hundred_and_counts_the_rest() {
    let mut limit = Limit::default();
    assert_eq!(limit.note(), None);
    let shown = (0..250).filter(|_| limit.admit()).count();
    assert_eq!(shown, MAX_RENDERED);
    let note = limit.note().unwrap();
    assert!(
        note.starts_with("… and 150 more diagnostics not shown"),
        "{note}"
    );
}

#[test]
fn long_names_get_no_suggestion_and_cost_nothing() {
    let long = "a".repeat(100 * 1024);
    let other = format!("{long}b");
    let started = std::time::Instant::now();
    assert_eq!(closest(&long, [other.as_str()]), None);
    assert_eq!(closest("abcd", [other.as_str(), "abce"]), Some("abce"));
    assert!(started.elapsed().as_secs() < 1);
}

/// A text of short lines, and labels inside it.
fn ordinary() -> impl Strategy<Value = (String, Vec<(usize, usize)>)> {
    "([a-z é\n]|\r\n){0,120}".prop_flat_map(|text| {
        let len = text.len();
        let span = (0..=len, 0..=len).prop_map(|(a, b)| (a.min(b), a.max(b)));
        (Just(text), proptest::collection::vec(span, 1..4))
    })
}

fn on_boundaries(text: &str, (start, end): (usize, usize)) -> Span {
    Span::new(start, end).clamp_to(text)
}

proptest! {
    /// On ordinary text, the excerpt renders exactly as the file itself: same lines, same
    /// numbers, same labels, same joining of snippets.
    #[test]
    fn an_excerpt_renders_as_the_file_does((text, spans) in ordinary()) {
        let file = SourceFile::new("x.treaty", text.as_str());
        let mut problem = Problem::new(Code::Oops, "m").at(&file, on_boundaries(&text, spans[0]), "first");
        for (n, &span) in spans.iter().enumerate().skip(1) {
            problem = problem.also(on_boundaries(&text, span), format!("label {n}"));
        }
        let plain = render(&problem, false, 80);
        let cut = render_view(&View::cut(&problem, true), false, 80);
        prop_assert_eq!(plain, cut);
    }

    /// Any text, any labels: rendering ends, without a panic, in lines a terminal can show
    /// (windows are counted in bytes, so escapes and tabs make them wider on screen, but
    /// never near the 65 535 columns where miette panics).
    #[test]
    fn rendering_any_text_is_bounded(
        lines in proptest::collection::vec(("[a \u{1b}\r\té]{0,40}", 0usize..2000), 0..6),
        spans in proptest::collection::vec((0usize..20_000, 0usize..20_000), 1..3),
    ) {
        let text: String = lines
            .iter()
            .map(|(piece, repeat)| format!("{}\n", piece.repeat(*repeat % 50 + 1).repeat(if *repeat > 1000 { 40 } else { 1 })))
            .collect();
        let file = SourceFile::new("x.treaty", text.as_str());
        let mut problem = Problem::new(Code::Oops, "m").at(&file, on_boundaries(&text, spans[0]), "first");
        if let Some(&span) = spans.get(1) {
            problem = problem.also(on_boundaries(&text, span), "second");
        }
        let out = render(&problem, false, 80);
        prop_assert!(!out.contains('\u{1b}'), "an escape character in the output");
        prop_assert!(longest_line(&out) < 5000, "{}", out);
    }
}

/// A source that panics when read stands for any failure inside the renderer: the diagnostic
/// is still written, plainly, and the command goes on.
#[test]
fn a_renderer_failure_is_a_plain_diagnostic_not_a_panic() {
    #[derive(Debug)]
    struct Broken;
    impl miette::SourceCode for Broken {
        fn read_span<'a>(
            &'a self,
            _: &miette::SourceSpan,
            _: usize,
            _: usize,
        ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
            panic!("a broken source");
        }
    }
    #[derive(Debug, thiserror::Error)]
    #[error("a message with \u{1b}[31m")]
    struct Odd;
    impl miette::Diagnostic for Odd {
        fn source_code(&self) -> Option<&dyn miette::SourceCode> {
            Some(&Broken)
        }
        fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
            Some(Box::new(std::iter::once(miette::LabeledSpan::at(
                0..1,
                "here",
            ))))
        }
        fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
            Some(Box::new("a help"))
        }
    }
    let out = render(&Odd, false, 80);
    assert_eq!(
        out,
        "\n  × a message with \\u{1b}[31m\n  (the place in the file could not be shown)\n  help: a help\n"
    );
}
