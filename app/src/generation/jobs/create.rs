//! New jobs: validate, price, check the input images, then charge and queue in
//! one database transaction, so a refusal at any step leaves nothing charged
//! and nothing queued.

use sea_orm::{ActiveModelTrait, EntityTrait, Set, TransactionTrait};
use uuid::Uuid;

use super::transitions::{self, charge_entity, charge_key};
use super::{JobStatus, Priority};
use crate::assets::access::{self, Actor};
use crate::assets::view::Access;
use crate::assets::{media, rows};
use crate::catalog::{ModelKind, ModelSpec, ProviderId, fal_inputs};
use crate::credits::ledger;
use crate::entities::{collection, generation_job, item};
use crate::error::AppError;
use crate::generation::providers::fal::{ImageField, image_fields};
use crate::generation::{installed, pricing};
use crate::platform::state::AppState;

/// Attempts a job gets for transient failures before it is `dead`.
pub const MAX_ATTEMPTS: i32 = 3;
/// Longest prompt accepted, in characters.
pub const MAX_PROMPT: usize = 4000;

/// What someone asked to generate.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub owner: Uuid,
    pub model_id: String,
    pub prompt: String,
    /// A JSON object of parameters, as the form sent them.
    pub params: String,
    pub start_media_id: Option<String>,
    pub end_media_id: Option<String>,
    /// Where the result goes (the owner's inbox when unset).
    pub collection_id: Option<String>,
    /// The library item it starts from (lineage).
    pub parent_item_id: Option<String>,
    pub retry_of: Option<Uuid>,
}

fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|s| !s.is_empty())
}

/// An image the caller may use, by id: their own, or one in a collection
/// they may see. Anything else (a stranger's, a video, nonsense) reads as
/// "not found" for that field.
async fn usable_image(
    state: &AppState,
    actor: &Actor,
    field: &str,
    id: Option<&str>,
) -> Result<Option<Uuid>, AppError> {
    let Some(id) = given(id) else {
        return Ok(None);
    };
    let not_found = || AppError::invalid(field, "error-reason-media-not-found");
    let id: Uuid = id.parse().map_err(|_| not_found())?;
    match media::readable(&state.db, actor, id).await? {
        Some(row) if row.content_type.starts_with("image/") => Ok(Some(row.id)),
        _ => Err(not_found()),
    }
}

/// The collection a result goes to: one the caller may add to.
async fn target_collection(
    state: &AppState,
    actor: &Actor,
    id: Option<&str>,
) -> Result<Option<Uuid>, AppError> {
    let Some(id) = given(id) else {
        return Ok(None);
    };
    let (collection, _, access) = access::find_collection(&state.db, actor, id)
        .await
        .map_err(|_| AppError::invalid("collection_id", "error-reason-collection-not-found"))?;
    access::require(access, Access::Collaborator)?;
    Ok(Some(collection.id))
}

/// The item a generation starts from: one the caller may see.
async fn parent_item(
    state: &AppState,
    actor: &Actor,
    id: Option<&str>,
) -> Result<Option<Uuid>, AppError> {
    let Some(id) = given(id) else {
        return Ok(None);
    };
    let (item, ..) = access::find_item(&state.db, actor, id)
        .await
        .map_err(|_| AppError::invalid("parent_item_id", "error-reason-item-not-found"))?;
    Ok(Some(item.id))
}

/// Whether `model` runs on fal and its endpoint requires the input `field`.
fn fal_requires(model: &ModelSpec, field: &str) -> bool {
    model.provider == ProviderId::Fal && fal_inputs::requires(&model.provider_model, field)
}

/// Validates, prices, charges and queues a generation; returns the queued row.
pub async fn create(state: &AppState, new: NewJob) -> Result<generation_job::Model, AppError> {
    let entry = installed::usable_model(&state.db, &state.config.providers, &new.model_id).await?;
    let model = &entry.model;
    if model.kind == ModelKind::Chat {
        return Err(AppError::invalid(
            "model_id",
            "error-reason-not-a-media-model",
        ));
    }
    let prompt = new.prompt.trim().to_string();
    if prompt.chars().count() > MAX_PROMPT {
        return Err(AppError::invalid("prompt", "error-reason-too-long"));
    }
    if prompt.is_empty() && (model.kind != ModelKind::Video || fal_requires(model, "prompt")) {
        return Err(AppError::invalid("prompt", "error-reason-required"));
    }
    let quote = pricing::quote(
        model,
        &entry.formula,
        &crate::generation::params::parse_params(&new.params)?,
    )?;

    let actor = rows::actor_of(&state.db, new.owner)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let start = usable_image(
        state,
        &actor,
        "start_media_id",
        new.start_media_id.as_deref(),
    )
    .await?;
    let end = usable_image(state, &actor, "end_media_id", new.end_media_id.as_deref()).await?;
    let collection_id = target_collection(state, &actor, new.collection_id.as_deref()).await?;
    let parent_item_id = parent_item(state, &actor, new.parent_item_id.as_deref()).await?;
    let needs_start = match model.kind {
        ModelKind::Video => model.capabilities.first_frame,
        ModelKind::ImageEdit => true,
        _ => false,
    };
    if needs_start && start.is_none() {
        return Err(AppError::invalid("start_media_id", "error-reason-required"));
    }
    let takes_start = needs_start || model.capabilities.max_reference_images > 0;
    if start.is_some() && !takes_start {
        return Err(AppError::invalid(
            "start_media_id",
            "error-reason-frame-unsupported",
        ));
    }
    let end_field = image_fields(&model.provider_model).end;
    if end.is_none()
        && model.kind == ModelKind::Video
        && matches!(end_field, ImageField::Single(name) if fal_requires(model, name))
    {
        // First-and-last-frame endpoints refuse a request without the last one.
        return Err(AppError::invalid("end_media_id", "error-reason-required"));
    }
    if end.is_some() && !(model.kind == ModelKind::Video && model.capabilities.last_frame) {
        return Err(AppError::invalid(
            "end_media_id",
            "error-reason-frame-unsupported",
        ));
    }

    // Images are quick: they go ahead of clips.
    let priority = match model.kind {
        ModelKind::Video => Priority::Medium,
        _ => Priority::High,
    };
    let now = state.clock.now();
    let id = Uuid::now_v7();
    let txn = state.db.begin().await?;
    let row = generation_job::ActiveModel {
        id: Set(id),
        owner_id: Set(new.owner),
        model_id: Set(model.id.clone()),
        prompt: Set(prompt),
        params: Set(serde_json::Value::Object(quote.params.clone()).to_string()),
        price: Set(quote.credits),
        status: Set(JobStatus::Queued.as_str().to_string()),
        priority: Set(priority.as_i16()),
        attempts: Set(0),
        max_attempts: Set(MAX_ATTEMPTS),
        next_run_at: Set(now),
        lease_owner: Set(None),
        lease_expires_at: Set(None),
        provider_request_id: Set(None),
        progress: Set(0.0),
        start_media_id: Set(start),
        end_media_id: Set(end),
        result_media_id: Set(None),
        thumbnail_media_id: Set(None),
        error_kind: Set(None),
        error_message: Set(None),
        refunded: Set(false),
        retry_of: Set(new.retry_of),
        collection_id: Set(collection_id),
        parent_item_id: Set(parent_item_id),
        created_at: Set(now),
        started_at: Set(None),
        finished_at: Set(None),
        updated_at: Set(now),
        cancel_requested_at: Set(None),
    }
    .insert(&txn)
    .await?;
    if quote.credits > 0 {
        // Inside the transaction (a savepoint): refused credits roll the job back too.
        ledger::charge_for(
            &txn,
            new.owner,
            &charge_entity(id),
            quote.credits,
            &charge_key(id),
            &format!("{}: generation", model.name),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    tracing::info!(job.id = %id, user.id = %new.owner, model.id = %model.id, price = quote.credits, "generation queued");
    transitions::publish(state, &row).await;
    Ok(row)
}

/// A new job with the settings of a failed, dead or cancelled one (charged anew).
pub async fn retry(
    state: &AppState,
    owner: Uuid,
    job_id: Uuid,
) -> Result<generation_job::Model, AppError> {
    let old = generation_job::Entity::find_by_id(job_id)
        .one(&state.db)
        .await?
        .filter(|j| j.owner_id == owner)
        .ok_or(AppError::NotFound)?;
    if !JobStatus::parse(&old.status).is_some_and(JobStatus::is_retryable) {
        return Err(AppError::Conflict {
            what: "job_not_retryable".into(),
        });
    }
    create(
        state,
        NewJob {
            owner,
            model_id: old.model_id,
            prompt: old.prompt,
            params: old.params,
            start_media_id: old.start_media_id.map(|id| id.to_string()),
            end_media_id: old.end_media_id.map(|id| id.to_string()),
            // A collection or parent deleted since: the result goes to the inbox, unlinked.
            collection_id: still_there::<collection::Entity>(state, old.collection_id).await?,
            parent_item_id: still_there::<item::Entity>(state, old.parent_item_id).await?,
            retry_of: Some(old.id),
        },
    )
    .await
}

/// `id` as text when its row still exists.
async fn still_there<E>(state: &AppState, id: Option<Uuid>) -> Result<Option<String>, AppError>
where
    E: EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    let Some(id) = id else { return Ok(None) };
    Ok(E::find_by_id(id)
        .one(&state.db)
        .await?
        .map(|_| id.to_string()))
}
