use serde_json::{Map, Value, json};

use super::*;
use crate::catalog::{ModelKind, all_models, find_model};

fn map(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap()
}

#[test]
fn catalog_ids_are_unique_and_every_required_model_is_there() {
    let models = all_models();
    let mut ids: Vec<_> = models.iter().map(|m| m.id.as_str()).collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "duplicate model ids");
    for id in [
        "seedance-v1.5-pro",
        "hailuo-2.3-pro",
        "hailuo-2.3-fast-pro",
        "hailuo-02-pro",
        "wan-v2.6",
        "kling-v2.6-pro",
        "kling-o1-pro",
        "veo-3.1",
        "veo-3.1-first-last",
        "sora-2-pro",
        "runway-gen4-turbo",
        "grok-imagine-video",
        "nano-banana-pro",
        "gpt-image",
        "seedream-4.5",
        "grok-image",
        "openai-chat",
        "local-video",
        "local-image",
        "local-edit",
        "local-chat",
    ] {
        assert!(find_model(id).is_some(), "missing {id}");
    }
    let videos = models.iter().filter(|m| m.kind == ModelKind::Video).count();
    assert!(videos >= 12, "{videos} video models");
}

/// For every model: defaults alone validate; every listed value of every
/// parameter is accepted; a value outside the list is refused naming the
/// parameter and what it allows; an unknown parameter is refused.
#[test]
fn every_models_schema_accepts_its_values_and_refuses_others() {
    for model in all_models() {
        let filled = validate(&model, &Map::new())
            .unwrap_or_else(|e| panic!("{}: defaults refused: {e}", model.id));
        for spec in model.params.iter().filter(|p| !p.disabled) {
            assert_eq!(
                filled.get(&spec.name),
                spec.default.as_ref(),
                "{} {}",
                model.id,
                spec.name
            );
        }
        for spec in model.visible_params() {
            match &spec.ty {
                ParamType::Choice { values } => {
                    for v in values {
                        let out = validate(&model, &map(json!({ spec.name.clone(): v }))).unwrap();
                        assert_eq!(out[&spec.name], json!(v));
                    }
                    let error =
                        validate(&model, &map(json!({ spec.name.clone(): "nope" }))).unwrap_err();
                    assert_eq!(
                        error,
                        ParamError::NotAllowed {
                            param: spec.name.clone(),
                            allowed: values.join(", ")
                        },
                        "{}",
                        model.id
                    );
                }
                ParamType::IntChoice { values } => {
                    for v in values {
                        let out = validate(&model, &map(json!({ spec.name.clone(): v }))).unwrap();
                        assert_eq!(out[&spec.name], json!(v));
                    }
                    let outside = values.iter().max().unwrap() + 1;
                    let error =
                        validate(&model, &map(json!({ spec.name.clone(): outside }))).unwrap_err();
                    assert!(
                        matches!(error, ParamError::NotAllowed { .. }),
                        "{}: {error}",
                        model.id
                    );
                }
                ParamType::Int { min, max } => {
                    assert!(validate(&model, &map(json!({ spec.name.clone(): min }))).is_ok());
                    assert!(validate(&model, &map(json!({ spec.name.clone(): max }))).is_ok());
                    let error =
                        validate(&model, &map(json!({ spec.name.clone(): max + 1 }))).unwrap_err();
                    assert_eq!(error.param(), spec.name);
                }
                ParamType::Number { max, .. } => {
                    let error = validate(&model, &map(json!({ spec.name.clone(): max + 1.0 })))
                        .unwrap_err();
                    assert!(matches!(error, ParamError::OutOfRange { .. }));
                }
                ParamType::Bool => {
                    let out = validate(&model, &map(json!({ spec.name.clone(): true }))).unwrap();
                    assert_eq!(out[&spec.name], json!(true));
                    let error =
                        validate(&model, &map(json!({ spec.name.clone(): "maybe" }))).unwrap_err();
                    assert!(matches!(error, ParamError::WrongType { .. }));
                }
                ParamType::Text { max_len } => {
                    let long = "x".repeat(max_len + 1);
                    let error =
                        validate(&model, &map(json!({ spec.name.clone(): long }))).unwrap_err();
                    assert_eq!(
                        error,
                        ParamError::TooLong {
                            param: spec.name.clone(),
                            max: *max_len
                        }
                    );
                }
            }
        }
        let error = validate(&model, &map(json!({ "no_such_setting": 1 }))).unwrap_err();
        assert_eq!(
            error,
            ParamError::Unknown {
                param: "no_such_setting".into()
            }
        );
    }
}

#[test]
fn hidden_parameters_are_always_the_default_and_blank_means_default() {
    let model = find_model("seedance-v1.5-pro").unwrap();
    let out = validate(
        &model,
        &map(json!({ "enable_safety_checker": false, "resolution": "", "duration": 7 })),
    )
    .unwrap();
    assert_eq!(out["enable_safety_checker"], json!(true));
    assert_eq!(out["resolution"], json!("720p"));
    // A number for a numeric-looking choice, as a form sends it.
    assert_eq!(out["duration"], json!("7"));
    assert!(
        !out.contains_key("seed"),
        "optional without default stays out"
    );
}

#[test]
fn disabled_parameters_are_dropped() {
    let mut model = find_model("veo-3.1").unwrap();
    model
        .params
        .iter_mut()
        .find(|p| p.name == "negative_prompt")
        .unwrap()
        .disabled = true;
    let out = validate(&model, &Map::new()).unwrap();
    assert!(!out.contains_key("negative_prompt"));
    // Sent anyway, it is dropped rather than passed to the provider.
    let out = validate(&model, &map(json!({ "negative_prompt": "x" }))).unwrap();
    assert!(!out.contains_key("negative_prompt"));
}

#[test]
fn numbers_in_text_form_are_accepted_but_fractions_are_not_whole() {
    let model = find_model("runway-gen4-turbo").unwrap();
    assert_eq!(
        validate(&model, &map(json!({ "duration": "10" }))).unwrap()["duration"],
        json!(10)
    );
    let error = validate(&model, &map(json!({ "seed": 1.5 }))).unwrap_err();
    assert_eq!(
        error,
        ParamError::WrongType {
            param: "seed".into(),
            expected: "whole_number".into()
        }
    );
}

#[test]
fn formulas_see_duration_in_seconds_whatever_the_providers_format() {
    let veo = find_model("veo-3.1").unwrap();
    let vars = formula_variables(
        &veo,
        &validate(&veo, &map(json!({ "duration": "6s" }))).unwrap(),
    );
    assert_eq!(
        vars["duration_seconds"],
        crate::generation::pricing::formula::Value::Num(6.0)
    );
    let hailuo = find_model("hailuo-2.3-pro").unwrap();
    let vars = formula_variables(&hailuo, &validate(&hailuo, &Map::new()).unwrap());
    assert_eq!(
        vars["duration_seconds"],
        crate::generation::pricing::formula::Value::Num(6.0)
    );
}
