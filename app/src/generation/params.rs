//! Parameter validation, "replace and fill": what the user sent is checked
//! against the model's schema, missing optional values take their defaults,
//! hidden ones are always the default, disabled ones are dropped, and anything
//! else is refused with the parameter's name and what it allows.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::catalog::{ModelSpec, ParamSpec, ParamType};
use crate::generation::pricing::formula;

/// Why a parameter was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ParamError {
    #[error("{param}: the model has no such parameter")]
    Unknown { param: String },
    #[error("{param}: must be one of {allowed}")]
    NotAllowed { param: String, allowed: String },
    #[error("{param}: must be between {min} and {max}")]
    OutOfRange {
        param: String,
        min: String,
        max: String,
    },
    /// `expected` is `text`, `whole_number`, `number` or `boolean`.
    #[error("{param}: must be {expected}")]
    WrongType { param: String, expected: String },
    #[error("{param}: longer than {max} characters")]
    TooLong { param: String, max: usize },
}

impl ParamError {
    /// The parameter this error is about.
    pub fn param(&self) -> &str {
        match self {
            ParamError::Unknown { param }
            | ParamError::NotAllowed { param, .. }
            | ParamError::OutOfRange { param, .. }
            | ParamError::WrongType { param, .. }
            | ParamError::TooLong { param, .. } => param,
        }
    }
}

fn allowed_list<T: ToString>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks one value against its spec, returning the value to send.
fn check(spec: &ParamSpec, value: &Value) -> Result<Value, ParamError> {
    let param = spec.name.clone();
    let wrong = |expected: &str| ParamError::WrongType {
        param: param.clone(),
        expected: expected.into(),
    };
    match &spec.ty {
        ParamType::Choice { values } => {
            let text = match value {
                Value::String(s) => s.clone(),
                // Forms send numbers for numeric-looking choices ("5"); accept them.
                Value::Number(n) => n.to_string(),
                _ => return Err(wrong("text")),
            };
            if values.contains(&text) {
                Ok(Value::String(text))
            } else {
                Err(ParamError::NotAllowed {
                    param,
                    allowed: allowed_list(values),
                })
            }
        }
        ParamType::IntChoice { values } => {
            let n = as_int(value).ok_or_else(|| wrong("whole_number"))?;
            if values.contains(&n) {
                Ok(Value::from(n))
            } else {
                Err(ParamError::NotAllowed {
                    param,
                    allowed: allowed_list(values),
                })
            }
        }
        ParamType::Int { min, max } => {
            let n = as_int(value).ok_or_else(|| wrong("whole_number"))?;
            if (*min..=*max).contains(&n) {
                Ok(Value::from(n))
            } else {
                Err(ParamError::OutOfRange {
                    param,
                    min: min.to_string(),
                    max: max.to_string(),
                })
            }
        }
        ParamType::Number { min, max } => {
            let n = as_number(value).ok_or_else(|| wrong("number"))?;
            if n.is_finite() && (*min..=*max).contains(&n) {
                Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
            } else {
                Err(ParamError::OutOfRange {
                    param,
                    min: min.to_string(),
                    max: max.to_string(),
                })
            }
        }
        ParamType::Bool => match value {
            Value::Bool(b) => Ok(Value::Bool(*b)),
            Value::String(s) if s == "true" || s == "false" => Ok(Value::Bool(s == "true")),
            _ => Err(wrong("boolean")),
        },
        ParamType::Text { max_len } => {
            let text = value.as_str().ok_or_else(|| wrong("text"))?;
            if text.chars().count() > *max_len {
                Err(ParamError::TooLong {
                    param,
                    max: *max_len,
                })
            } else {
                Ok(Value::String(text.to_string()))
            }
        }
    }
}

fn as_int(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Validates `input` against the model's schema and returns the parameters to
/// send: every known, enabled parameter with a value (the user's or the
/// default); optional ones without a default are left out when not given.
/// Parses the parameters a form sends (a JSON object; blank means none).
pub fn parse_params(params: &str) -> Result<Map<String, Value>, crate::error::AppError> {
    if params.trim().is_empty() {
        return Ok(Map::new());
    }
    serde_json::from_str(params)
        .map_err(|_| crate::error::AppError::invalid("params", "error-reason-malformed"))
}

/// Empty strings count as "not given", as a blank form field means.
pub fn validate(
    model: &ModelSpec,
    input: &Map<String, Value>,
) -> Result<Map<String, Value>, ParamError> {
    for name in input.keys() {
        if model.param(name).is_none() {
            return Err(ParamError::Unknown {
                param: name.clone(),
            });
        }
    }
    let mut out = Map::new();
    for spec in &model.params {
        if spec.disabled {
            continue;
        }
        let given = input
            .get(&spec.name)
            .filter(|v| !v.is_null() && v.as_str() != Some(""));
        let value = match (spec.hidden, given) {
            (false, Some(value)) => Some(check(spec, value)?),
            _ => spec.default.clone(),
        };
        if let Some(value) = value {
            out.insert(spec.name.clone(), value);
        }
    }
    Ok(out)
}

/// The variables a pricing formula sees: every validated parameter, plus
/// `duration_seconds` (the clip length as a number, whatever the provider's
/// format: `"8s"`, `"5"` or `5`). Optional parameters left out are `0`/empty,
/// so a formula may mention them.
pub fn formula_variables(
    model: &ModelSpec,
    params: &Map<String, Value>,
) -> HashMap<String, formula::Value> {
    let mut vars = HashMap::new();
    for spec in model.params.iter().filter(|p| !p.disabled) {
        let value = match params.get(&spec.name) {
            Some(Value::Bool(b)) => formula::Value::Bool(*b),
            Some(Value::Number(n)) => formula::Value::Num(n.as_f64().unwrap_or(0.0)),
            Some(Value::String(s)) => formula::Value::Str(s.clone()),
            _ => match spec.ty {
                ParamType::Bool => formula::Value::Bool(false),
                ParamType::Choice { .. } | ParamType::Text { .. } => {
                    formula::Value::Str(String::new())
                }
                _ => formula::Value::Num(0.0),
            },
        };
        vars.insert(spec.name.clone(), value);
    }
    if let Some(seconds) = params.get("duration").and_then(duration_seconds) {
        vars.insert("duration_seconds".into(), formula::Value::Num(seconds));
    } else if let Some(first) = model.capabilities.durations.first() {
        // Fixed-length models (Hailuo: 6 s) still let a formula say "per second".
        vars.insert(
            "duration_seconds".into(),
            formula::Value::Num(f64::from(*first)),
        );
    }
    vars
}

/// `"8s"`, `"5"` or `5` as seconds.
fn duration_seconds(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim_end_matches('s').trim().parse().ok(),
        _ => None,
    }
}

/// The names a formula for this model may use.
pub fn formula_variable_names(model: &ModelSpec) -> Vec<String> {
    let mut names: Vec<String> = model
        .params
        .iter()
        .filter(|p| !p.disabled)
        .map(|p| p.name.clone())
        .collect();
    if model.param("duration").is_some() || !model.capabilities.durations.is_empty() {
        names.push("duration_seconds".into());
    }
    names
}

#[cfg(test)]
mod tests;
