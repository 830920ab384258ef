use super::*;
use crate::span::Span;

const TOML_DOC: &str = r#"
name = "New START"
entered_into_force = true

[limits]
deployed = 700
ratio = 0.5

[types."Minuteman III"]
range = "13000 km"
warheads = [1, 2, 3]

[[holdings]]
side = "US"
count = 400

[[holdings]]
side = "RU"
count = 350
"#;

const JSON_DOC: &str = r#"{
  "name": "New START",
  "entered_into_force": true,
  "limits": { "deployed": 700, "ratio": 0.5 },
  "types": {
    "Minuteman III": { "range": "13000 km", "warheads": [1, 2, 3] }
  },
  "holdings": [
    { "side": "US", "count": 400 },
    { "side": "RU", "count": 350 }
  ]
}"#;

fn parse_ok(text: &str, format: Format) -> Value {
    let (value, errors) = parse(text, format);
    assert!(errors.is_empty(), "unexpected errors: {errors:?}");
    value.expect("a tree")
}

fn without_spans(value: &Value) -> Value {
    let kind = match &value.kind {
        ValueKind::Array(items) => ValueKind::Array(items.iter().map(without_spans).collect()),
        ValueKind::Table(entries) => ValueKind::Table(
            entries
                .iter()
                .map(|e| Entry {
                    key: e.key.clone(),
                    key_span: Span::default(),
                    value: without_spans(&e.value),
                })
                .collect(),
        ),
        other => other.clone(),
    };
    Value {
        kind,
        span: Span::default(),
    }
}

fn get<'v>(value: &'v Value, path: &[&str]) -> &'v Value {
    path.iter().fold(value, |v, key| match &v.kind {
        ValueKind::Table(entries) => {
            &entries
                .iter()
                .find(|e| e.key == *key)
                .unwrap_or_else(|| panic!("no key {key}"))
                .value
        }
        ValueKind::Array(items) => &items[key.parse::<usize>().unwrap()],
        other => panic!("cannot index {other:?} with {key}"),
    })
}

fn entry<'v>(value: &'v Value, key: &str) -> &'v Entry {
    match &value.kind {
        ValueKind::Table(entries) => entries.iter().find(|e| e.key == key).unwrap(),
        other => panic!("not a table: {other:?}"),
    }
}

fn keys(value: &Value) -> Vec<&str> {
    match &value.kind {
        ValueKind::Table(entries) => entries.iter().map(|e| e.key.as_str()).collect(),
        other => panic!("not a table: {other:?}"),
    }
}

/// Every span in the tree must be sliceable out of `text`.
fn assert_spans_valid(text: &str, value: &Value) {
    assert!(
        text.get(value.span.range()).is_some(),
        "bad span {:?}",
        value.span
    );
    match &value.kind {
        ValueKind::Array(items) => items.iter().for_each(|v| assert_spans_valid(text, v)),
        ValueKind::Table(entries) => {
            for e in entries {
                assert!(
                    text.get(e.key_span.range()).is_some(),
                    "bad key span {:?}",
                    e.key_span
                );
                assert_spans_valid(text, &e.value);
            }
        }
        _ => {}
    }
}

fn assert_all_spans_valid(text: &str, format: Format) {
    let (value, errors) = parse(text, format);
    for err in &errors {
        assert!(
            text.get(err.span.range()).is_some(),
            "bad error span {err:?} in {text:?}"
        );
    }
    if let Some(value) = value {
        assert_spans_valid(text, &value);
    }
}

#[test]
fn toml_and_json_give_the_same_tree() {
    let from_toml = parse_ok(TOML_DOC, Format::Toml);
    let from_json = parse_ok(JSON_DOC, Format::Json);
    assert_eq!(without_spans(&from_toml), without_spans(&from_json));
    assert_eq!(
        keys(&from_toml),
        ["name", "entered_into_force", "limits", "types", "holdings"]
    );
    assert_eq!(
        get(&from_json, &["holdings", "1", "count"]).kind,
        ValueKind::Integer(350)
    );
    assert_eq!(
        get(&from_json, &["limits", "ratio"]).kind,
        ValueKind::Float(0.5)
    );
}

#[test]
fn toml_keys_keep_file_order() {
    let tree = parse_ok(
        "zulu = 1\nalpha = 2\n[mike]\nx = 1\n[bravo]\ny = 2\n",
        Format::Toml,
    );
    assert_eq!(keys(&tree), ["zulu", "alpha", "mike", "bravo"]);
}

#[test]
fn nested_spans_point_at_the_source_text() {
    for (text, format) in [(TOML_DOC, Format::Toml), (JSON_DOC, Format::Json)] {
        let tree = parse_ok(text, format);
        let range = get(&tree, &["types", "Minuteman III", "range"]);
        assert_eq!(&text[range.span.range()], "\"13000 km\"");
        let types = get(&tree, &["types"]);
        let minuteman = entry(types, "Minuteman III");
        assert_eq!(&text[minuteman.key_span.range()], "\"Minuteman III\"");
        let warhead = get(&tree, &["types", "Minuteman III", "warheads", "2"]);
        assert_eq!(&text[warhead.span.range()], "3");
        let count = get(&tree, &["holdings", "1", "count"]);
        assert_eq!(&text[count.span.range()], "350");
        assert_spans_valid(text, &tree);
    }
}

#[test]
fn json_container_spans_cover_the_brackets() {
    let tree = parse_ok(JSON_DOC, Format::Json);
    assert_eq!(tree.span.range(), 0..JSON_DOC.len());
    let limits = get(&tree, &["limits"]);
    assert_eq!(
        &JSON_DOC[limits.span.range()],
        r#"{ "deployed": 700, "ratio": 0.5 }"#
    );
    assert_eq!(
        &JSON_DOC[get(&tree, &["types", "Minuteman III", "warheads"])
            .span
            .range()],
        "[1, 2, 3]"
    );
}

#[test]
fn toml_implicit_tables_have_sensible_spans() {
    let tree = parse_ok(TOML_DOC, Format::Toml);
    let types = entry(&tree, "types");
    assert_eq!(&TOML_DOC[types.key_span.range()], "types");
    assert!(!TOML_DOC[types.value.span.range()].is_empty());
    let holdings = entry(&tree, "holdings");
    assert_eq!(&TOML_DOC[holdings.key_span.range()], "holdings");
    assert_eq!(
        &TOML_DOC[get(&tree, &["holdings", "0"]).span.range()],
        "[[holdings]]"
    );
    assert_eq!(&TOML_DOC[get(&tree, &["limits"]).span.range()], "[limits]");
}

#[test]
fn unicode_before_a_value() {
    let toml = "nom = \"Égalité — 日本語 😀\"\nx = 5\n";
    let tree = parse_ok(toml, Format::Toml);
    assert_eq!(
        get(&tree, &["nom"]).kind,
        ValueKind::String("Égalité — 日本語 😀".to_owned())
    );
    assert_eq!(&toml[get(&tree, &["x"]).span.range()], "5");

    let json = "{\"nöm\": \"Égalité — 日本語 😀\", \"x\": 5}";
    let tree = parse_ok(json, Format::Json);
    let nom = entry(&tree, "nöm");
    assert_eq!(&json[nom.key_span.range()], "\"nöm\"");
    assert_eq!(&json[nom.value.span.range()], "\"Égalité — 日本語 😀\"");
    assert_eq!(&json[get(&tree, &["x"]).span.range()], "5");
}

#[test]
fn unicode_before_an_error_keeps_char_boundaries() {
    let json = "{\"é\": \"😀\" ü}";
    let (_, errors) = parse(json, Format::Json);
    assert_eq!(errors.len(), 1);
    assert_eq!(&json[errors[0].span.range()], "ü");
    assert!(
        errors[0].message.contains("found `ü`"),
        "{}",
        errors[0].message
    );
}

#[test]
fn json_error_has_the_right_offset() {
    let json = r#"{"a": 1 "b": 2}"#;
    let (tree, errors) = parse(json, Format::Json);
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].message,
        "expected `,` or `}` after an object member, found a string"
    );
    assert_eq!(errors[0].span.range(), 8..9);
    // Best effort: what was read before the error is kept.
    assert_eq!(keys(&tree.unwrap()), ["a"]);
}

#[test]
fn json_structural_errors() {
    let cases: &[(&str, &str, std::ops::Range<usize>)] = &[
        ("", "expected a JSON object, found end of file", 0..0),
        ("  \n", "expected a JSON object, found end of file", 3..3),
        ("[1]", "expected a JSON object, found `[`", 0..1),
        ("null", "expected a JSON object, found `null`", 0..4),
        (
            "{} x",
            "expected end of file after the JSON object, found `x`",
            3..4,
        ),
        (
            "{\"a\" 1}",
            "expected `:` after an object key, found `1`",
            5..6,
        ),
        ("{\"a\": }", "expected a value after `:`, found `}`", 6..7),
        (
            "{\"a\": nul}",
            "expected a value after `:`, found `nul`",
            6..9,
        ),
        (
            "{\"a\": [1 2]}",
            "expected `,` or `]` after an array element, found `2`",
            9..10,
        ),
        (
            "{\"a\": [1,]}",
            "expected a value after `,` (JSON allows no trailing comma), found `]`",
            9..10,
        ),
        (
            "{\"a\": 1,}",
            "expected a string key after `,` (JSON allows no trailing comma), found `}`",
            8..9,
        ),
        ("{a: 1}", "expected a string key or `}`, found `a`", 1..2),
        (
            "{\"a\": 1",
            "expected `,` or `}` after an object member, found end of file",
            7..7,
        ),
        (
            "{\"a\": \"x}",
            "unterminated string: expected a closing `\"` before the end of the line",
            6..7,
        ),
        ("{\"a\": 01}", "numbers must not have leading zeros", 6..8),
        ("{\"a\": -}", "expected a digit after `-`, found `}`", 7..8),
        (
            "{\"a\": 1.}",
            "expected a digit after the decimal point, found `}`",
            8..9,
        ),
        (
            "{\"a\": 1e}",
            "expected a digit in the exponent, found `}`",
            8..9,
        ),
    ];
    for (text, message, span) in cases {
        let (_, errors) = parse(text, Format::Json);
        assert_eq!(errors.len(), 1, "{text:?}: {errors:?}");
        assert_eq!(errors[0].message, *message, "{text:?}");
        assert_eq!(errors[0].span.range(), *span, "{text:?}");
    }
}

#[test]
fn json_numbers() {
    let json = r#"{"a": 0, "b": -0, "c": -12, "d": 1.5, "e": 1e3, "f": -2.5E-1,
            "g": 9223372036854775807, "h": 9223372036854775808, "i": -9223372036854775808}"#;
    let tree = parse_ok(json, Format::Json);
    let expect = [
        ("a", ValueKind::Integer(0)),
        ("b", ValueKind::Integer(0)),
        ("c", ValueKind::Integer(-12)),
        ("d", ValueKind::Float(1.5)),
        ("e", ValueKind::Float(1000.0)),
        ("f", ValueKind::Float(-0.25)),
        ("g", ValueKind::Integer(i64::MAX)),
        ("h", ValueKind::Float(9_223_372_036_854_775_808.0)),
        ("i", ValueKind::Integer(i64::MIN)),
    ];
    for (key, kind) in expect {
        assert_eq!(get(&tree, &[key]).kind, kind, "{key}");
    }

    let (tree, errors) = parse(r#"{"big": 1e999, "ok": 1}"#, Format::Json);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].message, "number `1e999` is too large");
    assert_eq!(keys(&tree.unwrap()), ["ok"]);
}

#[test]
fn json_string_escapes() {
    let json = r#"{"s": "q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00 \u65E5"}"#;
    let tree = parse_ok(json, Format::Json);
    assert_eq!(
        get(&tree, &["s"]).kind,
        ValueKind::String("q\" b\\ s/ \u{8}\u{c}\n\r\t é 😀 日".to_owned())
    );
}

#[test]
fn json_bad_escapes_are_reported_and_parsing_continues() {
    let json = r#"{"a": "x\qy", "b": "\ud83d!", "c": "\u12", "d": "\udc00", "e": 1}"#;
    let (tree, errors) = parse(json, Format::Json);
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(errors.len(), 4, "{messages:?}");
    assert!(messages[0].starts_with("invalid escape `\\q`"));
    assert_eq!(&json[errors[0].span.range()], "\\q");
    assert_eq!(
        messages[1],
        "invalid unicode escape: unpaired UTF-16 surrogate"
    );
    assert_eq!(&json[errors[1].span.range()], "\\ud83d");
    assert_eq!(
        messages[2],
        "invalid unicode escape: expected four hex digits after `\\u`"
    );
    assert_eq!(&json[errors[3].span.range()], "\\udc00");
    let tree = tree.unwrap();
    assert_eq!(
        get(&tree, &["a"]).kind,
        ValueKind::String("x\u{fffd}y".to_owned())
    );
    assert_eq!(
        get(&tree, &["b"]).kind,
        ValueKind::String("\u{fffd}!".to_owned())
    );
    assert_eq!(get(&tree, &["e"]).kind, ValueKind::Integer(1));
}

#[test]
fn json_control_character_in_string() {
    let json = "{\"a\": \"x\ty\"}";
    let (tree, errors) = parse(json, Format::Json);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].span.range(), 8..9);
    assert_eq!(
        get(&tree.unwrap(), &["a"]).kind,
        ValueKind::String("x\ty".to_owned())
    );
}

#[test]
fn json_byte_order_mark_is_ignored() {
    let json = "\u{feff}{\"a\": 1}";
    let tree = parse_ok(json, Format::Json);
    assert_eq!(&json[get(&tree, &["a"]).span.range()], "1");
}

#[test]
fn json_null_is_reported_and_skipped() {
    let json = r#"{"a": null, "b": [1, null, 2], "c": 3}"#;
    let (tree, errors) = parse(json, Format::Json);
    let tree = tree.unwrap();
    assert_eq!(errors.len(), 2);
    for err in &errors {
        assert_eq!(
            err.message,
            "`null` is not a scenario value; write \"unknown\" for a value not known, or leave out a field that is optional"
        );
        assert_eq!(&json[err.span.range()], "null");
    }
    assert_eq!(errors[0].span.range(), 6..10);
    assert_eq!(keys(&tree), ["b", "c"]);
    let b: Vec<ValueKind> = match &get(&tree, &["b"]).kind {
        ValueKind::Array(items) => items.iter().map(|v| v.kind.clone()).collect(),
        other => panic!("not an array: {other:?}"),
    };
    assert_eq!(b, [ValueKind::Integer(1), ValueKind::Integer(2)]);
}

#[test]
fn json_duplicate_keys() {
    let json = r#"{"a": 1, "b": 2, "a": 3}"#;
    let (tree, errors) = parse(json, Format::Json);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].message, "duplicate key `a`");
    assert_eq!(errors[0].span.range(), 17..20);
    let tree = tree.unwrap();
    assert_eq!(keys(&tree), ["a", "b"]);
    assert_eq!(get(&tree, &["a"]).kind, ValueKind::Integer(1));

    // The same key in different objects is fine.
    parse_ok(
        r#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}"#,
        Format::Json,
    );
}

#[test]
fn toml_duplicate_keys() {
    let toml = "a = 1\na = 2\n";
    let (tree, errors) = parse(toml, Format::Toml);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].message, "duplicate key `a`");
    assert_eq!(errors[0].span.range(), 6..7);
    assert_eq!(get(&tree.unwrap(), &["a"]).kind, ValueKind::Integer(1));

    let toml = "[types.\"Minuteman III\"]\nx = 1\n[types.\"Minuteman III\"]\ny = 2\n";
    let (_, errors) = parse(toml, Format::Toml);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].message, "duplicate key `Minuteman III`");
    assert_eq!(&toml[errors[0].span.range()], "\"Minuteman III\"");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for open in ["[", "{\"a\":"] {
        let json = format!("{{\"a\":{}", open.repeat(100_000));
        let (_, errors) = parse(&json, Format::Json);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].message, "nesting deeper than 128 levels");
    }
    // Exactly 128 levels is allowed; 129 is not.
    let nested = |levels: usize| {
        format!(
            "{{\"a\":{}{}}}",
            "[".repeat(levels - 1),
            "]".repeat(levels - 1)
        )
    };
    parse_ok(&nested(128), Format::Json);
    let text = nested(129);
    let (_, errors) = parse(&text, Format::Json);
    assert_eq!(errors.len(), 1);
    // `{"a":` then the 128th `[` is level 129.
    assert_eq!(errors[0].span.range(), 132..133);

    let toml = format!("a = {}", "[".repeat(100_000));
    let (tree, errors) = parse(&toml, Format::Toml);
    assert!(tree.is_some());
    assert!(!errors.is_empty());
}

#[test]
fn empty_input() {
    let tree = parse_ok("", Format::Toml);
    assert_eq!(tree.kind, ValueKind::Table(Vec::new()));
    let tree = parse_ok("# only a comment\n", Format::Toml);
    assert_eq!(tree.kind, ValueKind::Table(Vec::new()));

    let (tree, errors) = parse("", Format::Json);
    assert!(tree.is_none());
    assert_eq!(
        errors,
        [SyntaxError::new(
            "expected a JSON object, found end of file".to_owned(),
            Span::default()
        )]
    );
    parse_ok("{}", Format::Json);
}

#[test]
fn toml_dates_and_datetimes() {
    let toml = "signed = 2010-04-08\nat = 1979-05-27T07:32:00Z\nlocal = 1979-05-27T07:32:00\ntime = 07:32:00\n";
    let tree = parse_ok(toml, Format::Toml);
    assert_eq!(
        get(&tree, &["signed"]).kind,
        ValueKind::Date {
            year: 2010,
            month: 4,
            day: 8
        }
    );
    assert_eq!(
        get(&tree, &["at"]).kind,
        ValueKind::OtherDatetime("1979-05-27T07:32:00Z".to_owned())
    );
    assert_eq!(
        get(&tree, &["local"]).kind,
        ValueKind::OtherDatetime("1979-05-27T07:32:00".to_owned())
    );
    assert_eq!(
        get(&tree, &["time"]).kind,
        ValueKind::OtherDatetime("07:32:00".to_owned())
    );
    assert_eq!(&toml[get(&tree, &["signed"]).span.range()], "2010-04-08");
}

#[test]
fn toml_scalars() {
    let toml = "i = -42\nh = 0xff\nf = 1_000.5\nb = false\ns = 'lit'\nbig = 99999999999999999999\n";
    let (tree, errors) = parse(toml, Format::Toml);
    let tree = tree.unwrap();
    assert_eq!(get(&tree, &["i"]).kind, ValueKind::Integer(-42));
    assert_eq!(get(&tree, &["h"]).kind, ValueKind::Integer(255));
    assert_eq!(get(&tree, &["f"]).kind, ValueKind::Float(1000.5));
    assert_eq!(get(&tree, &["b"]).kind, ValueKind::Bool(false));
    assert_eq!(get(&tree, &["s"]).kind, ValueKind::String("lit".to_owned()));
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].message,
        "integer `99999999999999999999` does not fit in 64 bits"
    );
    assert!(!keys(&tree).contains(&"big"));
}

#[test]
fn toml_errors_are_tidy_and_ordered() {
    let toml = "a = 0x_ff\nb = \"open\nc = 1 d = 2\n";
    let (tree, errors) = parse(toml, Format::Toml);
    assert!(tree.is_some());
    assert!(errors.len() >= 3, "{errors:?}");
    assert!(
        errors
            .windows(2)
            .all(|w| w[0].span.start <= w[1].span.start)
    );
    for err in &errors {
        assert!(!err.message.ends_with("expected nothing"), "{err:?}");
        assert!(
            err.message.starts_with(|c: char| !c.is_uppercase()),
            "{err:?}"
        );
        assert!(toml.get(err.span.range()).is_some());
    }
}

/// Truncated and corrupted documents must never panic and must only
/// produce spans that can slice the text.
#[test]
fn damaged_documents_never_panic() {
    let samples = [
        (JSON_DOC, Format::Json),
        (TOML_DOC, Format::Toml),
        (
            "{\"é\": \"\\ud83d\\ude00 日本\", \"n\": [1.5e3, -0, true]}",
            Format::Json,
        ),
        (
            "é = \"日本\"\n[t.\"ü\"]\nx = [1979-05-27, 'ö']\n",
            Format::Toml,
        ),
    ];
    let mut seed: u32 = 0x2545_f491;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    let noise = [
        '{', '}', '[', ']', '"', '\\', ',', ':', 'é', '\n', 'u', '0', '=',
    ];
    for (text, format) in samples {
        for (cut, _) in text.char_indices() {
            assert_all_spans_valid(&text[..cut], format);
            assert_all_spans_valid(&text[cut..], format);
        }
        for _ in 0..300 {
            let mut chars: Vec<char> = text.chars().collect();
            for _ in 0..3 {
                let at = next() as usize % chars.len();
                let c = noise[next() as usize % noise.len()];
                match next() % 3 {
                    0 => chars[at] = c,
                    1 => chars.insert(at, c),
                    _ => {
                        chars.remove(at);
                    }
                }
            }
            let damaged: String = chars.into_iter().collect();
            assert_all_spans_valid(&damaged, format);
        }
    }
}

#[test]
fn toml_one_mistake_one_error() {
    let cases = [
        ("count = = 550\n", "extra `=`"),
        (
            "class = icbm\n",
            "`icbm` is not a TOML value: write text in quotes, `\"icbm\"`",
        ),
        (
            "mobile = False\n",
            "`False` is not a boolean: write `false`, in lowercase",
        ),
        (
            "count = 0..1\n",
            "`0..1` is not a number: write an interval as a string, `\"0..1\"`",
        ),
        (
            "[t.x]\na = 1\nb = 2\n[t.x]\na = 1\nb = 2\n[u]\nc = 1\n",
            "duplicate key `x`",
        ),
    ];
    for (toml, message) in cases {
        let (_, errors) = parse(toml, Format::Toml);
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, [message], "{toml}");
    }
    // Mistakes on different lines are each reported.
    let (_, errors) = parse("a = = 1\nb = = 2\n", Format::Toml);
    assert_eq!(errors.len(), 2);
    // A day that does not exist is told apart, for the loader to report as a date.
    let (_, errors) = parse("date = 1978-11-31\n", Format::Toml);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind, SyntaxKind::InvalidDate);
    assert_eq!(errors[0].message, "`1978-11-31` is not a date");
}

#[test]
fn toml_tokens_are_counted_up_to_the_limit() {
    // `a`, ` `, `=`, ` `, `1`, line end, then the end of the text: seven tokens.
    let text = "a = 1\n";
    assert_eq!(toml_token(text, 7, 20), None);
    assert_eq!(toml_token(text, 6, 20), Some(Span::new(6, 6)));
    assert_eq!(toml_token(text, 2, 20), Some(Span::new(2, 3)));
    // A string is one token however long, and a comment too.
    let text = format!(
        "a = \"{}\" # {}\n",
        "x, [{.".repeat(1000),
        "[{.".repeat(1000)
    );
    assert_eq!(toml_token(&text, 9, 20), None);
    // One token a byte: an array of ones, whose `[` counts 20.
    let ones = format!("x = [{}1]", "1,".repeat(1000));
    assert_eq!(toml_token(&ones, 2027, 20), None);
    assert_eq!(toml_token(&ones, 2026, 20), Some(Span::new(2007, 2007)));
    // Each `.` of a dotted key, `[` of a header and `{` of an inline table may open a table.
    let tables = "a.b.c = 1\n[t]\nx = {}\n";
    assert_eq!(toml_token(tables, 18 + 4 * 20, 20), None);
    assert_eq!(
        toml_token(tables, 18 + 4 * 20 - 1, 20),
        Some(Span::new(21, 21))
    );
}
