//! The catalog as this installation runs it: the built-in models with the
//! admins' switches and formulas on top, and each provider's availability
//! from config (a missing key disables its models, with the reason).

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

use crate::catalog::CatalogEntry;
use crate::catalog::{ModelSpec, all_models, find_model};
use crate::entities::model_setting;
use crate::error::AppError;
use crate::platform::config::ProvidersConfig;

/// Every admin override, by model id.
pub async fn overrides(
    db: &impl ConnectionTrait,
) -> Result<HashMap<String, model_setting::Model>, DbErr> {
    Ok(model_setting::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.model_id.clone(), s))
        .collect())
}

/// One model as this installation runs it.
pub fn entry(
    providers: &ProvidersConfig,
    model: ModelSpec,
    setting: Option<&model_setting::Model>,
) -> CatalogEntry {
    let formula = setting.and_then(|s| s.formula.clone());
    CatalogEntry {
        enabled: setting.map_or(model.enabled_by_default, |s| s.enabled),
        missing_key: providers.missing_key(model.provider).map(str::to_string),
        custom_formula: formula.is_some(),
        formula: formula.unwrap_or_else(|| model.default_formula.clone()),
        model,
    }
}

/// The whole catalog with settings and availability.
pub async fn catalog(
    db: &impl ConnectionTrait,
    providers: &ProvidersConfig,
) -> Result<Vec<CatalogEntry>, DbErr> {
    let overrides = overrides(db).await?;
    Ok(all_models()
        .into_iter()
        .map(|m| {
            let setting = overrides.get(&m.id);
            entry(providers, m, setting)
        })
        .collect())
}

/// A model someone wants to use now: unknown is 404, switched off or without
/// its provider's key is "unavailable".
pub async fn usable_model(
    db: &impl ConnectionTrait,
    providers: &ProvidersConfig,
    model_id: &str,
) -> Result<CatalogEntry, AppError> {
    let model = find_model(model_id).ok_or(AppError::NotFound)?;
    let setting = model_setting::Entity::find_by_id(model_id.to_string())
        .one(db)
        .await?;
    let entry = entry(providers, model, setting.as_ref());
    if !entry.usable() {
        return Err(AppError::ModelUnavailable {
            model: entry.model.name.clone(),
        });
    }
    Ok(entry)
}
