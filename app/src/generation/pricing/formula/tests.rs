use std::collections::HashMap;

use super::*;

const REFERENCE: &str = "100 * (resolution == '1080p' ? 1.5 : 1) + (generate_audio ? 50 : 0)";

fn vars(pairs: &[(&str, Value)]) -> HashMap<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

#[test]
fn the_reference_example_prices_each_parameter_set() {
    let cases = [
        ("1080p", true, 200),
        ("1080p", false, 150),
        ("720p", true, 150),
        ("720p", false, 100),
    ];
    for (resolution, audio, expected) in cases {
        let v = vars(&[
            ("resolution", Value::Str(resolution.into())),
            ("generate_audio", Value::Bool(audio)),
        ]);
        assert_eq!(price(REFERENCE, &v), Ok(expected), "{resolution} {audio}");
    }
    assert_eq!(
        parse(REFERENCE).unwrap().variables(),
        vec!["generate_audio", "resolution"]
    );
}

#[test]
fn operators_precedence_and_quotes() {
    let v = vars(&[
        ("duration", Value::Num(8.0)),
        ("tier", Value::Str("pro".into())),
    ]);
    let cases = [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),
        ("17 % 5", 2),
        ("7 / 2", 4), // 3.5 rounds up
        ("duration > 5 && tier == \"pro\" ? 30 : 10", 30),
        ("!(duration >= 10) || false ? 1 : 2", 1),
        ("true + true", 2),
        ("duration != 8 ? 0 : duration * 2.5", 20),
        ("-(-3)", 3),
        ("0.1 + 0.2", 1),
        ("tier == 'pro' ? (duration <= 8 ? 5 : 6) : 7", 5),
    ];
    for (src, expected) in cases {
        assert_eq!(price(src, &v), Ok(expected), "{src}");
    }
}

#[test]
fn mistakes_get_clear_errors() {
    let v = vars(&[("n", Value::Num(1.0)), ("name", Value::Str("x".into()))]);
    let cases: &[(&str, FormulaError)] = &[
        ("", FormulaError::Empty),
        ("   ", FormulaError::Empty),
        ("1 +", FormulaError::UnexpectedEnd),
        ("(1 + 2", FormulaError::UnexpectedEnd),
        (
            "1 + 2)",
            FormulaError::Unexpected {
                found: ")".into(),
                at: 5,
            },
        ),
        (
            "1 $ 2",
            FormulaError::Unexpected {
                found: "$".into(),
                at: 2,
            },
        ),
        ("'open", FormulaError::UnclosedString { at: 0 }),
        (
            "1.2.3",
            FormulaError::BadNumber {
                text: "1.2.3".into(),
                at: 0,
            },
        ),
        (
            "missing * 2",
            FormulaError::UnknownVariable {
                name: "missing".into(),
            },
        ),
        ("10 / (n - 1)", FormulaError::DivisionByZero),
        ("10 % 0", FormulaError::DivisionByZero),
        (
            "name * 2",
            FormulaError::TypeMismatch {
                op: "*".into(),
                left: "text".into(),
                right: "a number".into(),
            },
        ),
        ("0 - 5", FormulaError::Negative { value: "-5".into() }),
        (
            "n ? 1 2",
            FormulaError::Unexpected {
                found: "2".into(),
                at: 6,
            },
        ),
        (
            "name",
            FormulaError::TypeMismatch {
                op: "price".into(),
                left: "text".into(),
                right: "text".into(),
            },
        ),
    ];
    for (src, expected) in cases {
        assert_eq!(price(src, &v).as_ref(), Err(expected), "{src}");
    }
}

#[test]
fn huge_inputs_are_refused_not_run() {
    assert_eq!(
        price(&"1+".repeat(1_500), &HashMap::new()),
        Err(FormulaError::TooLong)
    );
    assert_eq!(
        price(
            &format!("{}1{}", "(".repeat(200), ")".repeat(200)),
            &HashMap::new()
        ),
        Err(FormulaError::TooDeep)
    );
    assert_eq!(
        price(&format!("{}1", "-".repeat(500)), &HashMap::new()),
        Err(FormulaError::TooDeep)
    );
    // No exponent syntax: `1e308` is a number followed by a name.
    assert_eq!(
        price("1e308 * 10", &HashMap::new()),
        Err(FormulaError::Unexpected {
            found: "e308".into(),
            at: 1
        })
    );
    assert_eq!(
        price(
            "99999999999999999999999 * 99999999999999999999999",
            &HashMap::new()
        ),
        Err(FormulaError::NotFinite)
    );
    // A long chain of operators is a deep tree too.
    assert_eq!(
        price(&vec!["1"; 900].join("+"), &HashMap::new()),
        Err(FormulaError::TooDeep)
    );
    assert_eq!(price(&vec!["1"; 40].join("+"), &HashMap::new()), Ok(40));
}

/// A tiny deterministic generator, so the fuzz cases are the same on every run.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

#[test]
fn random_input_never_panics() {
    let pieces = [
        "1", "0", "2.5", "x", "s", "b", "true", "'a'", "\"b\"", "+", "-", "*", "/", "%", "==",
        "!=", "<", ">=", "&&", "||", "!", "?", ":", "(", ")", " ", "'", "\"", "$", ".", "9e9",
    ];
    let v = vars(&[
        ("x", Value::Num(3.0)),
        ("s", Value::Str("a".into())),
        ("b", Value::Bool(true)),
    ]);
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let mut ok = 0;
    for _ in 0..20_000 {
        let len = 1 + rng.next() % 24;
        let src: String = (0..len).map(|_| rng.pick(&pieces)).collect();
        // Any outcome is fine except a panic; successful prices are whole and non-negative.
        if let Ok(credits) = price(&src, &v) {
            assert!(credits >= 0, "{src}");
            ok += 1;
        }
    }
    assert!(
        ok > 100,
        "the generator should produce some valid formulas ({ok})"
    );
}

#[test]
fn well_formed_random_formulas_match_a_direct_computation() {
    // Property: for a + b * c with random non-negative integers, the price is exactly that.
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..2_000 {
        let (a, b, c) = (rng.next() % 1000, rng.next() % 1000, rng.next() % 1000);
        let src = format!("{a} + {b} * c");
        let v = vars(&[("c", Value::Num(c as f64))]);
        assert_eq!(price(&src, &v), Ok((a + b * c) as i64), "{src} c={c}");
    }
}
