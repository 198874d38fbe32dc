use serde_json::{Map, Value, json};

use super::*;
use crate::catalog::{all_models, find_model};

fn map(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap()
}

#[test]
fn every_default_formula_passes_its_own_check() {
    for model in all_models() {
        check_formula(&model, &model.default_formula)
            .unwrap_or_else(|e| panic!("{}: {e}", model.id));
    }
}

#[test]
fn the_reference_example_prices_seedance() {
    let model = find_model("seedance-v1.5-pro").unwrap();
    let formula = "100 * (resolution == '1080p' ? 1.5 : 1) + (generate_audio ? 50 : 0)";
    check_formula(&model, formula).unwrap();
    let price = |params| quote(&model, formula, &map(params)).unwrap().credits;
    assert_eq!(price(json!({})), 150);
    assert_eq!(price(json!({ "resolution": "1080p" })), 200);
    assert_eq!(
        price(json!({ "resolution": "1080p", "generate_audio": false })),
        150
    );
    assert_eq!(
        price(json!({ "resolution": "480p", "generate_audio": false })),
        100
    );
}

#[test]
fn a_formula_with_an_unknown_variable_is_refused_by_name() {
    let model = find_model("veo-3.1").unwrap();
    assert_eq!(
        check_formula(&model, "10 * resolutoin").unwrap_err(),
        FormulaError::UnknownVariable {
            name: "resolutoin".into()
        }
    );
}

#[test]
fn a_formula_failing_for_some_choice_is_refused() {
    let model = find_model("veo-3.1").unwrap();
    // Fine at the defaults (audio on), divides by zero when a user turns audio off.
    let error = check_formula(&model, "100 / (generate_audio ? 1 : 0)").unwrap_err();
    assert_eq!(error, FormulaError::DivisionByZero);
    let error = check_formula(&model, "resolution == '1080p' ? -5 : 5").unwrap_err();
    assert!(matches!(error, FormulaError::Negative { .. }), "{error}");
}

#[test]
fn quoting_refuses_bad_parameters_with_their_name_and_allowed_values() {
    let model = find_model("veo-3.1").unwrap();
    let error = quote(&model, "1", &map(json!({ "resolution": "4k" }))).unwrap_err();
    assert_eq!(
        error,
        AppError::InvalidParameter {
            param: "resolution".into(),
            problem: "not_allowed".into(),
            allowed: "720p, 1080p".into()
        }
    );
}

#[test]
fn formula_errors_keep_the_position_and_text() {
    let error = formula_error(super::formula::parse("1 + * 2").unwrap_err());
    assert_eq!(
        error,
        AppError::InvalidFormula {
            problem: "unexpected".into(),
            detail: "*".into(),
            at: 4
        }
    );
    assert_eq!(error.message_key(), "error-invalid-formula-unexpected");
}
