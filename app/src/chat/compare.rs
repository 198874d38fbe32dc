//! Comparing image models on one suggestion: the same prompt and shape
//! generated with 2 to 4 image models at once, each an ordinary generation
//! job (priced, charged, refunded on failure), remembered on the reply as
//! one comparison so the card shows them side by side again after a reload.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::view::COMPARE_MODELS;
use crate::error::AppError;
use crate::generation::jobs::JobView;

/// The checks made on the models to compare, in the browser and on the
/// server: 2 to 4 of them, each once.
pub fn check_compare_models(model_ids: &[String]) -> Result<(), AppError> {
    if !COMPARE_MODELS.contains(&model_ids.len()) {
        return Err(AppError::invalid("model_ids", "error-reason-compare-count"));
    }
    for (i, id) in model_ids.iter().enumerate() {
        if model_ids[..i].contains(id) {
            return Err(AppError::invalid(
                "model_ids",
                "error-reason-compare-repeated",
            ));
        }
    }
    Ok(())
}

/// Generates suggestion `suggestion_index` of reply `message_id` with each
/// of `model_ids` (2 to 4 image models), from `prompt` in `aspect_ratio`
/// (each model asked in its own terms). Refused as a whole, before any job
/// starts, when the caller cannot pay for all of them.
#[server(prefix = "/api", endpoint = "chats/compare", input = Json)]
pub async fn compare_models(
    message_id: String,
    suggestion_index: u32,
    model_ids: Vec<String>,
    prompt: String,
    aspect_ratio: String,
) -> Result<Vec<JobView>, AppError> {
    use super::images::suggestion_params;
    use super::view::status;
    use crate::catalog::ModelKind;
    use crate::generation::params::parse_params;
    use crate::generation::pricing::quote;

    let (state, owner) = super::chats::ssr::context()?;
    let (_, message) = super::tree::owned_message(&state.db, owner, &message_id).await?;
    if message.role != "assistant" {
        return Err(AppError::invalid("message_id", "error-reason-not-a-reply"));
    }
    let reply = super::reply::parse_reply(&message.content, message.status != status::STREAMING);
    if suggestion_index as usize >= reply.suggestions.len() {
        return Err(AppError::invalid(
            "suggestion_index",
            "error-reason-unknown-suggestion",
        ));
    }
    check_compare_models(&model_ids)?;
    let mut runs = Vec::with_capacity(model_ids.len());
    let mut total = 0;
    for id in &model_ids {
        let entry =
            crate::generation::installed::usable_model(&state.db, &state.config.providers, id)
                .await?;
        if entry.model.kind != ModelKind::Image {
            return Err(AppError::invalid(
                "model_ids",
                "error-reason-not-an-image-model",
            ));
        }
        let params = suggestion_params(&entry.model, &aspect_ratio);
        total += quote(&entry.model, &entry.formula, &parse_params(&params)?)?.credits;
        runs.push((entry.model.id, params));
    }
    let spendable = crate::credits::ledger::spendable(&state.db, owner, state.clock.now()).await?;
    if let Some(refused) = spendable.refuse(total) {
        return Err(refused.into());
    }
    let group = uuid::Uuid::now_v7();
    let mut jobs = Vec::with_capacity(runs.len());
    for (model_id, params) in runs {
        let job = super::images::start_suggestion_job(
            &state,
            owner,
            message.id,
            suggestion_index,
            model_id,
            prompt.clone(),
            params,
            Some(group),
        )
        .await?;
        jobs.push(crate::generation::jobs::view::job_view(&state, &job).await?);
    }
    tracing::info!(user.id = %owner, chat.message = %message.id, compare.group = %group, models = jobs.len(), "models compared on a suggestion");
    Ok(jobs)
}
