//! Catalog and pricing server functions: the models a person can use (with
//! the schemas forms are built from), the price of a generation before the
//! click, and the admins' model switches and pricing formulas.

use leptos::prelude::*;

use crate::error::AppError;

use crate::catalog::{CatalogEntry, ConnectionCheck};

/// The models the caller can use now, optionally of one kind (`video`, `image`,
/// `image_edit`, `chat`), with only the parameters a person may set.
#[server(prefix = "/api", endpoint = "models/list")]
pub async fn list_models(kind: Option<String>) -> Result<Vec<CatalogEntry>, AppError> {
    use crate::platform::state::AppState;

    crate::auth::current::require_session()?;
    let state = expect_context::<AppState>();
    let entries = super::installed::catalog(&state.db, &state.config.providers).await?;
    Ok(entries
        .into_iter()
        .filter(|e| e.usable())
        .filter(|e| kind.as_deref().is_none_or(|k| e.model.kind.as_str() == k))
        .map(|mut e| {
            e.model.params.retain(|p| !p.hidden && !p.disabled);
            e.formula.clear();
            e
        })
        .collect())
}

/// What a generation with these parameters (a JSON object) will cost, in
/// credits, so every generate button can show its price before the click.
#[server(prefix = "/api", endpoint = "models/price")]
pub async fn price_generation(model_id: String, params: String) -> Result<i64, AppError> {
    use crate::platform::state::AppState;

    crate::auth::current::require_session()?;
    let state = expect_context::<AppState>();
    let input = super::params::parse_params(&params)?;
    let entry =
        super::installed::usable_model(&state.db, &state.config.providers, &model_id).await?;
    let quote = super::pricing::quote(&entry.model, &entry.formula, &input)?;
    Ok(quote.credits)
}

/// Admins: every model with its switch, availability and formula.
#[server(prefix = "/api", endpoint = "admin/models/list")]
pub async fn admin_list_models() -> Result<Vec<CatalogEntry>, AppError> {
    use crate::platform::state::AppState;

    crate::auth::current::require_admin()?;
    let state = expect_context::<AppState>();
    Ok(super::installed::catalog(&state.db, &state.config.providers).await?)
}

/// Admins: the price a formula gives for test parameters (a JSON object),
/// after checking the formula against the model (nothing is saved).
#[server(prefix = "/api", endpoint = "admin/models/test-price")]
pub async fn admin_test_price(
    model_id: String,
    formula: String,
    params: String,
) -> Result<i64, AppError> {
    crate::auth::current::require_admin()?;
    let model = crate::catalog::find_model(&model_id).ok_or(AppError::NotFound)?;
    super::pricing::check_formula(&model, &formula).map_err(super::pricing::formula_error)?;
    let input = super::params::parse_params(&params)?;
    let quote = super::pricing::quote(&model, &formula, &input)?;
    Ok(quote.credits)
}

/// Admins: switches a model on or off and sets its formula (blank: the
/// catalog's default). A formula that fails its check is not saved.
#[server(prefix = "/api", endpoint = "admin/models/save")]
pub async fn admin_save_model(
    model_id: String,
    enabled: bool,
    formula: String,
) -> Result<CatalogEntry, AppError> {
    use sea_orm::sea_query::OnConflict;
    use sea_orm::{EntityTrait, Set};

    use crate::entities::model_setting;
    use crate::platform::state::AppState;

    let admin = crate::auth::current::require_admin()?;
    let state = expect_context::<AppState>();
    let model = crate::catalog::find_model(&model_id).ok_or(AppError::NotFound)?;
    let formula = formula.trim();
    let custom =
        (!formula.is_empty() && formula != model.default_formula).then(|| formula.to_string());
    if let Some(formula) = &custom {
        super::pricing::check_formula(&model, formula).map_err(super::pricing::formula_error)?;
    }
    let row = model_setting::ActiveModel {
        model_id: Set(model.id.clone()),
        enabled: Set(enabled),
        formula: Set(custom),
        updated_by: Set(Some(admin.user_id)),
        updated_at: Set(state.clock.now()),
    };
    model_setting::Entity::insert(row)
        .on_conflict(
            OnConflict::column(model_setting::Column::ModelId)
                .update_columns([
                    model_setting::Column::Enabled,
                    model_setting::Column::Formula,
                    model_setting::Column::UpdatedBy,
                    model_setting::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(&state.db)
        .await?;
    tracing::info!(admin.id = %admin.user_id, model.id = %model.id, enabled, "model settings saved");
    let setting = model_setting::Entity::find_by_id(model.id.clone())
        .one(&state.db)
        .await?;
    Ok(super::installed::entry(
        &state.config.providers,
        model,
        setting.as_ref(),
    ))
}

/// Admins: checks that a provider answers and accepts this installation's key,
/// with the cheapest authenticated read it offers (nothing is generated or
/// charged), so a wrong key can be told from a provider that is down.
#[server(prefix = "/api", endpoint = "admin/models/check-provider")]
pub async fn admin_check_provider(provider: String) -> Result<ConnectionCheck, AppError> {
    use super::provider::ProviderErrorKind;
    use crate::catalog::ProviderId;
    use crate::platform::state::AppState;

    let admin = crate::auth::current::require_admin()?;
    let state = expect_context::<AppState>();
    let id = ProviderId::parse(provider.trim())
        .filter(|p| *p != ProviderId::Local)
        .ok_or_else(|| AppError::invalid("provider", "error-reason-unknown-kind"))?;
    let result = |outcome: &str, detail: Option<String>, millis: u64| ConnectionCheck {
        provider: id.as_str().to_string(),
        outcome: outcome.to_string(),
        detail,
        millis,
    };
    let key_var = state.config.providers.access(id).map(|a| a.key_var);
    let client = match state.config.providers.missing_key(id) {
        Some(_) => None,
        None => state.providers.media_by_id(id),
    };
    let Some(client) = client else {
        return Ok(result("missing_key", key_var.map(str::to_string), 0));
    };
    let started = std::time::Instant::now();
    let answer = client.check_connection().await;
    let millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let check = match answer {
        Ok(()) => result("ok", None, millis),
        Err(error) => {
            let outcome = match error.kind {
                ProviderErrorKind::Auth => "auth",
                ProviderErrorKind::Quota => "quota",
                ProviderErrorKind::Transient => "unreachable",
                ProviderErrorKind::RejectedInput => "refused",
                ProviderErrorKind::Moderation | ProviderErrorKind::Unknown => "unknown",
            };
            result(outcome, Some(error.message), millis)
        }
    };
    tracing::info!(admin.id = %admin.user_id, provider.name = id.as_str(), provider.check = %check.outcome, provider.check_ms = check.millis, "provider connection checked");
    Ok(check)
}
