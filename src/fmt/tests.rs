//! Unit tests of the formatter: layout, comments, what is kept as written, and refusals.

use super::*;

fn fmt(text: &str) -> String {
    match format_str("test.treaty", text) {
        Ok(formatted) => {
            let again = format_str("test.treaty", &formatted).unwrap_or_default();
            assert_eq!(again, formatted, "formatting twice changed:\n{formatted}");
            formatted
        }
        Err(problems) => panic!("{problems:?}"),
    }
}

const HEADER: &str = "position \"P\" {\n    parties A, B\n}\n";

#[test]
fn fields_stay_in_the_order_written_one_a_line() {
    let text = "position   \"P\"{ note \"n\" date 1977-03-15  parties A,B source \"s.txt\" in force  until 1985-12-31 }\n";
    assert_eq!(
        fmt(text),
        "position \"P\" {\n    note \"n\"\n    date 1977-03-15\n    parties A, B\n    source \"s.txt\"\n    in force until 1985-12-31\n}\n"
    );
}

#[test]
fn declarations_are_one_blank_line_apart_and_imports_stay_together() {
    let text = format!(
        "{HEADER}use \"a.treaty\"\nuse \"b.treaty\"\n\n\n\nuse \"c.treaty\"\npackage p\npackage q {{}}\nstatement s {{ }}\n"
    );
    assert_eq!(
        fmt(&text),
        format!(
            "{HEADER}\nuse \"a.treaty\"\nuse \"b.treaty\"\n\nuse \"c.treaty\"\n\npackage p\n\npackage q\n\nstatement s {{\n}}\n"
        )
    );
}

#[test]
fn every_comment_is_kept_where_it_was() {
    let text = "// file\n\nposition \"P\" { // after the brace\n    // before a field\n    parties A, B // after a field\n\n    // after a blank line\n    // at the end of the block\n} // after the block\n// before a declaration\nstatement s {\n    quote \"q\"\n}\n\n// at the end\n";
    assert_eq!(
        fmt(text),
        "// file\n\nposition \"P\" { // after the brace\n    // before a field\n    parties A, B // after a field\n\n    // after a blank line\n    // at the end of the block\n} // after the block\n\n// before a declaration\nstatement s {\n    quote \"q\"\n}\n\n// at the end\n"
    );
}

#[test]
fn comments_inside_an_expression_break_it_where_they_are() {
    let text = format!(
        "{HEADER}\ncategory c {{\n    holdings where a // first\n        // second\n        and b\n    when reading r is x:\n        // before the selection\n        holdings where c\n}}\n"
    );
    let formatted = fmt(&text);
    assert_eq!(formatted, text);
}

#[test]
fn long_conditions_break_before_and_or_nested_ones_further_in() {
    let text = format!(
        "{HEADER}category c {{ holdings where (class = cruise_missile and type.basing = air and type.range > 2500 km) or (class in {{heavy_bomber, medium_bomber, other_aircraft}} and any armament has (class = cruise_missile and range > 2500 km)) }}\n"
    );
    assert_eq!(
        fmt(&text),
        format!(
            "{HEADER}\ncategory c {{\n    holdings where (class = cruise_missile and type.basing = air and type.range > 2500 km)\n        or (class in {{heavy_bomber, medium_bomber, other_aircraft}}\n            and any armament has (class = cruise_missile and range > 2500 km))\n}}\n"
        )
    );
}

#[test]
fn short_conditions_stay_on_one_line() {
    let text = format!(
        "{HEADER}category c {{\n    holdings where class = heavy_bomber\n        and mobile\n}}\n"
    );
    assert!(fmt(&text).contains("    holdings where class = heavy_bomber and mobile\n"));
}

#[test]
fn long_sums_fill_their_lines_and_break_before_plus() {
    let terms: Vec<String> = (0..12).map(|n| format!("count of category_{n}")).collect();
    let text = format!(
        "{HEADER}limit l {{ {} at most 2400, then 2250 from 1981-01-01 }}\n",
        terms.join(" + ")
    );
    let formatted = fmt(&text);
    let lines: Vec<&str> = formatted.lines().collect();
    assert!(
        lines.iter().all(|l| l.chars().count() <= WIDTH),
        "{formatted}"
    );
    assert!(lines[5].starts_with("    count of category_0 + count of category_1"));
    assert!(lines[6].starts_with("        + count of category_"));
    assert!(formatted.contains("count of category_11 at most 2400, then 2250 from 1981-01-01\n"));
}

#[test]
fn brackets_numbers_operators_and_strings_are_kept_as_written() {
    let text = format!(
        "{HEADER}category c {{ holdings where (a) and ((b or c)) and x * 2 - 1 > 1_000 and r at   most 600km and r <= 5 × 2 and n in {{\"Tu-22M\", y}} and q in (1, 2.5 km] and yes }}\n"
    );
    assert!(fmt(&text).contains(
        "    holdings where (a)\n        and (b or c)\n        and x * 2 - 1 > 1_000\n        and r at most 600 km\n        and r <= 5 × 2\n        and n in {\"Tu-22M\", y}\n        and q in (1, 2.5 km]\n        and yes\n"
    ));
}

#[test]
fn attribute_descriptions_go_below_when_a_line_of_the_block_is_too_long() {
    let long = "d".repeat(90);
    let text = format!(
        "vocabulary \"V\" {{}}\nweapon types {{ a: boolean \"short\" b: one of x, y \"{long}\" }}\nholdings {{ c: integer \"short\" }}\n"
    );
    assert_eq!(
        fmt(&text),
        format!(
            "vocabulary \"V\" {{\n}}\n\nweapon types {{\n    a: boolean\n        \"short\"\n    b: one of x, y\n        \"{long}\"\n}}\n\nholdings {{\n    c: integer \"short\"\n}}\n"
        )
    );
}

#[test]
fn provisions_readings_and_tests() {
    let text = format!(
        "{HEADER}reading r \"R\" {{ variant x ( default ) variant y \"Y\" quote \"q\" }}\nassurance a by A {{ when package p is agreed every c has not type.intercontinental }}\ntest \"T\" {{ scenario \"s.toml\" reading r is y expect a for A complies expect a not_evaluable }}\n"
    );
    assert_eq!(
        fmt(&text),
        format!(
            "{HEADER}\nreading r \"R\" {{\n    variant x (default)\n    variant y \"Y\"\n    quote \"q\"\n}}\n\nassurance a by A {{\n    when package p is agreed\n    every c has not type.intercontinental\n}}\n\ntest \"T\" {{\n    scenario \"s.toml\"\n    reading r is y\n    expect a for A complies\n    expect a not_evaluable\n}}\n"
        )
    );
}

#[test]
fn line_endings_and_byte_order_mark_are_kept() {
    let text = "\u{FEFF}position \"P\" {\r\n\tparties A, B // c\r\n}\r\n";
    assert_eq!(
        fmt(text),
        "\u{FEFF}position \"P\" {\r\n    parties A, B // c\r\n}\r\n"
    );
}

#[test]
fn a_file_can_ask_to_be_kept_as_written() {
    let text = "// header comment\n// treaty fmt: off (tabs on purpose)\nposition \"P\" {\n\tparties A,B\n}\n";
    assert!(is_off(text));
    assert_eq!(fmt(text), text);
    assert!(!is_off("position \"P\" {}\n// treaty fmt: off\n"));
    assert!(!is_off("// treaty fmt: offline\nposition \"P\" {}\n"));
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("  \n\n"), "");
    assert_eq!(fmt("// only\n\n\n// comments"), "// only\n\n// comments\n");
}

#[test]
fn syntax_errors_leave_the_file_unformatted() {
    let Err(problems) = format_str("bad.treaty", "position \"P\" { parties A, }\n") else {
        panic!("formatted a file with a syntax error");
    };
    let record = crate::diagnostics::record(&problems[0]);
    assert_eq!(record.code.as_deref(), Some("treaty::parse::syntax"));
}

#[test]
fn a_formatting_that_would_change_the_meaning_is_refused() {
    let file = SourceFile::new("p.treaty", "position \"P\" { parties A, B }\n// c\n");
    let Ok(tree) = syntax::parse(&file) else {
        panic!("does not parse");
    };
    let render = |problems: Vec<Problem>| {
        problems
            .iter()
            .map(|p| crate::diagnostics::render(p, false, 80))
            .collect::<String>()
    };
    let parties = verify(&file, &tree, "position \"P\" {\n    parties A\n}\n// c\n");
    let comments = verify(&file, &tree, "position \"P\" {\n    parties A, B\n}\n");
    let parse = verify(&file, &tree, "position \"P\" {\n");
    assert!(
        verify(
            &file,
            &tree,
            "position \"P\" {\n    parties A, B\n}\n\n// c\n"
        )
        .is_ok()
    );
    insta::assert_snapshot!(render(parties.unwrap_err()));
    assert!(render(comments.unwrap_err()).contains("would change its comments"));
    assert!(render(parse.unwrap_err()).contains("does not parse"));
}

#[test]
fn comments_are_found_outside_strings_only() {
    let text = "note \"http://x\" // a \"quoted\" word\n  // own\r\nx \"\\\"//\" y";
    let found = trivia::comments(text);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].text, "// a \"quoted\" word");
    assert!(!found[0].own_line);
    assert_eq!(found[1].text, "// own");
    assert!(found[1].own_line);
    assert_eq!(
        trivia::next_token(text, 15),
        text.find("\nx").map_or(0, |n| n + 1)
    );
}

#[test]
fn language_1_1_is_written_as_the_reference_writes_it() {
    let text = "treaty \"T\" { date 1987-12-08 entry   into\n force 1988-06-01 parties A, B\n source  \"t.txt\" source protocol \"p.txt\" source memorandum   \"m.txt\"\n in force from entry into force  until signature+10   years }\nholdings { converted: boolean ( default  no ) \"declared converted\" range: quantity in km (default 5500km) }\nlimit l \"l\" for each party { quote  protocol \"q\" cite   \"FRUS\" note \"n\"\n in force from entry  into force +18 months\n count of c at most 800,then 700 from entry into force + 7 years }\nlimit u { count of c at most 10 km }\ntest \"t\" { scenario \"s.toml\" expect l for A violated  with 905 expect l undetermined with 675..3_079 expect u complies with -3..unknown }\n";
    assert_eq!(
        fmt(text),
        "treaty \"T\" {\n    date 1987-12-08\n    entry into force 1988-06-01\n    parties A, B\n    source \"t.txt\"\n    source protocol \"p.txt\"\n    source memorandum \"m.txt\"\n    in force from entry into force until signature + 10 years\n}\n\nholdings {\n    converted: boolean (default no) \"declared converted\"\n    range: quantity in km (default 5500 km)\n}\n\nlimit l \"l\" for each party {\n    quote protocol \"q\"\n    cite \"FRUS\"\n    note \"n\"\n    in force from entry into force + 18 months\n    count of c at most 800, then 700 from entry into force + 7 years\n}\n\nlimit u {\n    count of c at most 10 km\n}\n\ntest \"t\" {\n    scenario \"s.toml\"\n    expect l for A violated with 905\n    expect l undetermined with 675..3_079\n    expect u complies with -3..unknown\n}\n"
    );
}

#[test]
fn comments_around_the_new_fields_are_kept() {
    let text = "treaty \"T\" {\n    entry into force // when\n        1988-06-01\n    source protocol // named\n        \"p.txt\"\n}\n\nholdings {\n    converted: boolean (default // none said\n        no)\n}\n\nstatement s {\n    cite // where\n        \"FRUS\"\n}\n";
    assert_eq!(fmt(text), text);
}
