//! Pricing a generation: a model's formula (the admin's, or the catalog's
//! default) evaluated over its validated parameters. Saving a formula checks it
//! against every combination of the model's listed values, so a formula that
//! would fail (division by zero, negative, unknown variable) for some choice a
//! user can make is refused before anyone is charged by it.

pub mod formula;

use serde_json::{Map, Value};

use self::formula::FormulaError;
use super::params::{self, ParamError};
use crate::catalog::{ModelSpec, ParamType};
use crate::error::AppError;

/// Most parameter combinations a formula check evaluates; beyond that it samples
/// each parameter's values with the others at their defaults.
const MAX_COMBINATIONS: usize = 4_096;

/// A price for a generation, with the parameters it was computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub credits: i64,
    pub params: Map<String, Value>,
}

/// The refused parameter as the boundary error.
pub fn param_error(error: ParamError) -> AppError {
    let param = error.param().to_string();
    let (problem, allowed) = match error {
        ParamError::Unknown { .. } => ("unknown", String::new()),
        ParamError::NotAllowed { allowed, .. } => ("not_allowed", allowed),
        ParamError::OutOfRange { min, max, .. } => ("out_of_range", format!("{min}–{max}")),
        ParamError::WrongType { expected, .. } => ("wrong_type", expected),
        ParamError::TooLong { max, .. } => ("too_long", max.to_string()),
    };
    AppError::InvalidParameter {
        param,
        problem: problem.into(),
        allowed,
    }
}

/// The refused formula as the boundary error.
pub fn formula_error(error: FormulaError) -> AppError {
    let (problem, detail, at) = match error {
        FormulaError::Empty => ("empty", String::new(), -1),
        FormulaError::TooLong => ("too_long", formula::MAX_LEN.to_string(), -1),
        FormulaError::TooDeep => ("too_deep", formula::MAX_DEPTH.to_string(), -1),
        FormulaError::Unexpected { found, at } => ("unexpected", found, at as i64),
        FormulaError::UnexpectedEnd => ("unexpected_end", String::new(), -1),
        FormulaError::UnclosedString { at } => ("unclosed_string", String::new(), at as i64),
        FormulaError::BadNumber { text, at } => ("bad_number", text, at as i64),
        FormulaError::UnknownVariable { name } => ("unknown_variable", name, -1),
        FormulaError::TypeMismatch { op, .. } => ("type_mismatch", op, -1),
        FormulaError::DivisionByZero => ("division_by_zero", String::new(), -1),
        FormulaError::NotFinite => ("not_finite", String::new(), -1),
        FormulaError::Negative { value } => ("negative", value, -1),
    };
    AppError::InvalidFormula {
        problem: problem.into(),
        detail,
        at,
    }
}

/// Prices `input` (as a user sent it) with `formula`: validates the parameters
/// ("replace and fill"), then evaluates.
pub fn quote(
    model: &ModelSpec,
    formula_src: &str,
    input: &Map<String, Value>,
) -> Result<Quote, AppError> {
    let params = params::validate(model, input).map_err(param_error)?;
    let vars = params::formula_variables(model, &params);
    let credits = formula::price(formula_src, &vars).map_err(formula_error)?;
    Ok(Quote { credits, params })
}

/// The values a check tries for one parameter: every listed value, or the
/// ends and default of a range.
fn sample_values(spec: &crate::catalog::ParamSpec) -> Vec<Value> {
    let mut values: Vec<Value> = match &spec.ty {
        ParamType::Choice { values } => values.iter().map(|v| Value::from(v.as_str())).collect(),
        ParamType::IntChoice { values } => values.iter().map(|v| Value::from(*v)).collect(),
        ParamType::Bool => vec![Value::Bool(false), Value::Bool(true)],
        ParamType::Int { min, max } => vec![Value::from(*min), Value::from(*max)],
        ParamType::Number { min, max } => vec![Value::from(*min), Value::from(*max)],
        ParamType::Text { .. } => vec![Value::from("")],
    };
    if let Some(default) = &spec.default
        && !values.contains(default)
    {
        values.push(default.clone());
    }
    values
}

/// Checks a formula for a model: it parses, reads only the model's variables,
/// and prices every combination of listed values (or, for models with very
/// many, every value of each parameter) without an error.
pub fn check_formula(model: &ModelSpec, src: &str) -> Result<(), FormulaError> {
    let expr = formula::parse(src)?;
    let known = params::formula_variable_names(model);
    if let Some(name) = expr.variables().into_iter().find(|v| !known.contains(v)) {
        return Err(FormulaError::UnknownVariable { name });
    }
    let settable: Vec<_> = model
        .params
        .iter()
        .filter(|p| !p.disabled && !p.hidden)
        .collect();
    let choices: Vec<Vec<Value>> = settable.iter().map(|p| sample_values(p)).collect();
    let total = choices
        .iter()
        .try_fold(1usize, |n, c| n.checked_mul(c.len().max(1)))
        .unwrap_or(usize::MAX);
    let mut inputs: Vec<Map<String, Value>> = Vec::new();
    if total <= MAX_COMBINATIONS {
        inputs.push(Map::new());
        for (spec, values) in settable.iter().zip(&choices) {
            inputs = inputs
                .into_iter()
                .flat_map(|base| {
                    values.iter().map(move |v| {
                        let mut next = base.clone();
                        next.insert(spec.name.clone(), v.clone());
                        next
                    })
                })
                .collect();
        }
    } else {
        inputs.push(Map::new());
        for (spec, values) in settable.iter().zip(&choices) {
            for v in values {
                inputs.push(Map::from_iter([(spec.name.clone(), v.clone())]));
            }
        }
    }
    for input in inputs {
        // Sampled values come from the schema itself, so validation cannot refuse them.
        let Ok(params) = params::validate(model, &input) else {
            continue;
        };
        formula::price(src, &params::formula_variables(model, &params))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
