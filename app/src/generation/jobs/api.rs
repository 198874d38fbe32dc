//! Generation server functions: create, list, get, cancel and retry jobs, and
//! the caller's images that can start a clip.

use leptos::prelude::*;

use crate::error::AppError;

use super::{GenerationsPage, JobView};

/// Generations per page.
pub const PAGE_SIZE: u64 = 20;

/// Starts a generation: validates the parameters (a JSON object), prices,
/// charges and queues it. Video models take a start image (and an end image
/// when they support one) from media the caller may see. The result goes to
/// `collection_id` (the caller's inbox when unset), linked to `parent_item_id`.
#[server(prefix = "/api", endpoint = "generations/create")]
pub async fn create_generation(
    model_id: String,
    prompt: String,
    params: String,
    start_media_id: Option<String>,
    end_media_id: Option<String>,
    collection_id: Option<String>,
    parent_item_id: Option<String>,
) -> Result<JobView, AppError> {
    use super::create::{NewJob, create};
    use crate::platform::state::AppState;

    let session = crate::auth::current::require_approved()?;
    let state = expect_context::<AppState>();
    let job = create(
        &state,
        NewJob {
            owner: session.user_id,
            model_id,
            prompt,
            params,
            start_media_id,
            end_media_id,
            collection_id,
            parent_item_id,
            retry_of: None,
        },
    )
    .await?;
    super::view::job_view(&state, &job).await
}

/// The caller's generations, newest first, optionally of one status or model.
#[server(prefix = "/api", endpoint = "generations/list")]
pub async fn list_generations(
    status: Option<String>,
    model_id: Option<String>,
    page: u64,
) -> Result<GenerationsPage, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

    use super::JobStatus;
    use crate::entities::generation_job;
    use crate::platform::state::AppState;

    let session = crate::auth::current::require_approved()?;
    let state = expect_context::<AppState>();
    let mut query =
        generation_job::Entity::find().filter(generation_job::Column::OwnerId.eq(session.user_id));
    if let Some(status) = status.as_deref().filter(|s| !s.is_empty()) {
        let status = JobStatus::parse(status)
            .ok_or_else(|| AppError::invalid("status", "error-reason-unknown-kind"))?;
        query = query.filter(generation_job::Column::Status.eq(status.as_str()));
    }
    if let Some(model) = model_id.as_deref().filter(|s| !s.is_empty()) {
        query = query.filter(generation_job::Column::ModelId.eq(model));
    }
    let paginator = query
        .order_by_desc(generation_job::Column::CreatedAt)
        .order_by_desc(generation_job::Column::Id)
        .paginate(&state.db, PAGE_SIZE);
    let pages = paginator.num_pages().await?;
    let rows = paginator
        .fetch_page(crate::platform::query::page_number(page)?)
        .await?;
    let mut jobs = Vec::with_capacity(rows.len());
    for row in &rows {
        jobs.push(super::view::job_view(&state, row).await?);
    }
    Ok(GenerationsPage { jobs, page, pages })
}

/// One of the caller's generations.
#[server(prefix = "/api", endpoint = "generations/get")]
pub async fn get_generation(id: String) -> Result<JobView, AppError> {
    use crate::platform::state::AppState;

    let session = crate::auth::current::require_approved()?;
    let state = expect_context::<AppState>();
    let job = super::view::owned_job(&state.db, session.user_id, &id).await?;
    super::view::job_view(&state, &job).await
}

/// Cancels one of the caller's generations: a queued one at once (refunded),
/// a running one at the provider (refunded when the provider confirms; when
/// the provider only passes the cancel on, it shows as cancelling until then).
#[server(prefix = "/api", endpoint = "generations/cancel")]
pub async fn cancel_generation(id: String) -> Result<JobView, AppError> {
    use crate::platform::state::AppState;

    let session = crate::auth::current::require_approved()?;
    let state = expect_context::<AppState>();
    let job = super::view::owned_job(&state.db, session.user_id, &id).await?;
    let job = super::cancel::cancel(&state, session.user_id, job.id).await?;
    super::view::job_view(&state, &job).await
}

/// Starts a failed, dead or cancelled generation again as a new job (charged anew).
#[server(prefix = "/api", endpoint = "generations/retry")]
pub async fn retry_generation(id: String) -> Result<JobView, AppError> {
    use crate::platform::state::AppState;

    let session = crate::auth::current::require_approved()?;
    let state = expect_context::<AppState>();
    let old = super::view::owned_job(&state.db, session.user_id, &id).await?;
    let job = super::create::retry(&state, session.user_id, old.id).await?;
    super::view::job_view(&state, &job).await
}
