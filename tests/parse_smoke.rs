#[test]
fn parses_rule_files() {
    for path in ["rules/vocabulary/strategic.treaty", "rules/ussr-1977-03-15.treaty"] {
        let text = std::fs::read_to_string(path).unwrap();
        match treaty::syntax::parse_str(path, &text) {
            Ok(f) => println!("{path}: {} items", f.items.len()),
            Err(errs) => {
                for e in errs {
                    eprintln!("{:?}", miette::Report::new(e));
                }
                panic!("{path}");
            }
        }
    }
}
