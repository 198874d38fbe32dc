//! From a suggestion to a generation: the suggestion's aspect ratio in the
//! chosen image model's own terms, and the server function that runs it as
//! an ordinary generation job (priced, charged, refunded on failure,
//! followed on `/events`), remembered on the reply so the card shows it
//! after a reload.

use leptos::prelude::*;
use serde_json::{Map, Value, json};

use crate::catalog::{ModelSpec, ParamType};
use crate::error::AppError;
use crate::generation::jobs::JobView;

fn ratio_value(ratio: &str) -> Option<f64> {
    let (w, h) = ratio.split_once([':', 'x'])?;
    let (w, h): (f64, f64) = (w.trim().parse().ok()?, h.trim().parse().ok()?);
    (w > 0.0 && h > 0.0).then_some(w / h)
}

fn choices(model: &ModelSpec, name: &str) -> Vec<String> {
    match model
        .visible_params()
        .find(|p| p.name == name)
        .map(|p| &p.ty)
    {
        Some(ParamType::Choice { values }) => values.clone(),
        _ => Vec::new(),
    }
}

/// The choice whose shape is nearest `ratio` (on a log scale, so 2:1 and 1:2
/// are as far from 1:1).
fn nearest(values: &[String], ratio: f64, shape: impl Fn(&str) -> Option<f64>) -> Option<&String> {
    values
        .iter()
        .filter_map(|v| shape(v).map(|r| (v, (r.ln() - ratio.ln()).abs())))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(v, _)| v)
}

fn named_shape(value: &str) -> Option<f64> {
    match value {
        "square" | "square_hd" => Some(1.0),
        "portrait_4_3" => Some(3.0 / 4.0),
        "portrait_16_9" => Some(9.0 / 16.0),
        "landscape_4_3" => Some(4.0 / 3.0),
        "landscape_16_9" => Some(16.0 / 9.0),
        _ => None,
    }
}

/// The parameters (a JSON object) that ask `model` for an image shaped like
/// `ratio`: its `aspect_ratio` when it has one (the nearest it offers), else
/// the nearest `size` in pixels or named `image_size`; nothing when the model
/// has no say in the shape.
pub fn suggestion_params(model: &ModelSpec, ratio: &str) -> String {
    let mut params = Map::new();
    if let Some(target) = ratio_value(ratio) {
        let aspect = choices(model, "aspect_ratio");
        let size = choices(model, "size");
        let image_size = choices(model, "image_size");
        if let Some(v) = nearest(&aspect, target, ratio_value) {
            params.insert("aspect_ratio".into(), json!(v));
        } else if let Some(v) = nearest(&size, target, ratio_value) {
            params.insert("size".into(), json!(v));
        } else if let Some(v) = nearest(&image_size, target, named_shape) {
            params.insert("image_size".into(), json!(v));
        }
    }
    Value::Object(params).to_string()
}

/// Generates suggestion `suggestion_index` of reply `message_id` with
/// `model_id`, from `prompt` (the suggestion's, perhaps edited) and `params`
/// (a JSON object, see [`suggestion_params`]). The result lands in the
/// caller's inbox. `auto` is a chat's auto-generation: it generates a card
/// once, so a second tab (or a reload) answers with the job already started.
#[server(prefix = "/api", endpoint = "chats/generate", input = leptos::server_fn::codec::Json)]
pub async fn generate_suggestion(
    message_id: String,
    suggestion_index: u32,
    model_id: String,
    prompt: String,
    params: String,
    auto: Option<bool>,
) -> Result<JobView, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    use super::view::status;
    use crate::entities::{chat_image, generation_job};

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
    if auto == Some(true) {
        let started = chat_image::Entity::find()
            .filter(chat_image::Column::MessageId.eq(message.id))
            .filter(chat_image::Column::SuggestionIndex.eq(suggestion_index as i32))
            .filter(chat_image::Column::CompareGroup.is_null())
            .one(&state.db)
            .await?;
        if let Some(started) = started
            && let Some(job) = generation_job::Entity::find_by_id(started.job_id)
                .one(&state.db)
                .await?
        {
            return crate::generation::jobs::view::job_view(&state, &job).await;
        }
    }
    let job = start_suggestion_job(
        &state,
        owner,
        message.id,
        suggestion_index,
        model_id,
        prompt,
        params,
        None,
    )
    .await?;
    tracing::info!(user.id = %owner, chat.message = %message.id, job.id = %job.id, "suggestion sent to generation");
    crate::generation::jobs::view::job_view(&state, &job).await
}

/// Starts the generation job of a reply's suggestion and remembers it on the
/// reply (`compare_group`: the side-by-side run it belongs to, if any).
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
pub(super) async fn start_suggestion_job(
    state: &crate::platform::state::AppState,
    owner: uuid::Uuid,
    message_id: uuid::Uuid,
    suggestion_index: u32,
    model_id: String,
    prompt: String,
    params: String,
    compare_group: Option<uuid::Uuid>,
) -> Result<crate::entities::generation_job::Model, AppError> {
    use sea_orm::{ActiveModelTrait, Set};

    use crate::entities::chat_image;
    use crate::generation::jobs::create::{NewJob, create};

    let job = create(
        state,
        NewJob {
            owner,
            model_id,
            prompt,
            params,
            start_media_id: None,
            end_media_id: None,
            collection_id: None,
            parent_item_id: None,
            retry_of: None,
        },
    )
    .await?;
    chat_image::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        message_id: Set(message_id),
        suggestion_index: Set(suggestion_index as i32),
        job_id: Set(job.id),
        compare_group: Set(compare_group),
        created_at: Set(state.clock.now()),
    }
    .insert(&state.db)
    .await?;
    Ok(job)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::find_model;

    #[test]
    fn ratios_become_each_models_own_shape() {
        let local = find_model("local-image").unwrap();
        assert_eq!(
            suggestion_params(&local, "16:9"),
            r#"{"aspect_ratio":"16:9"}"#
        );
        // 4:5 is not offered: the nearest is 3:4.
        assert_eq!(
            suggestion_params(&local, "4:5"),
            r#"{"aspect_ratio":"3:4"}"#
        );
        let gpt = find_model("gpt-image").unwrap();
        assert_eq!(suggestion_params(&gpt, "2:3"), r#"{"size":"1024x1536"}"#);
        let seedream = find_model("seedream-4.5").unwrap();
        assert_eq!(
            suggestion_params(&seedream, "9:16"),
            r#"{"image_size":"portrait_16_9"}"#
        );
        assert_eq!(suggestion_params(&local, "nonsense"), "{}");
    }
}
