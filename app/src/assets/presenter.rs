//! The views the browser gets of the library's rows: collections with their
//! counts and access, items with their media links.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::access::{Actor, collection_access};
use super::media;
use super::view::{Access, CollectionView, ItemView};
pub use crate::auth::accounts::emails_by_id as emails;
use crate::entities::{collection, item, media as media_entity, project};
use crate::error::AppError;
use crate::platform::state::AppState;

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Item counts per collection.
pub async fn item_counts(
    db: &impl ConnectionTrait,
    collections: &[Uuid],
) -> Result<HashMap<Uuid, u64>, DbErr> {
    if collections.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, i64)> = item::Entity::find()
        .select_only()
        .column(item::Column::CollectionId)
        .column_as(item::Column::Id.count(), "n")
        .filter(item::Column::CollectionId.is_in(collections.iter().copied()))
        .group_by(item::Column::CollectionId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, n.max(0) as u64))
        .collect())
}

/// The view of one collection.
pub fn collection_view(
    collection: &collection::Model,
    project: &project::Model,
    owner_email: &str,
    access: Access,
    actor: &Actor,
    item_count: u64,
) -> CollectionView {
    CollectionView {
        id: collection.id.to_string(),
        project_id: project.id.to_string(),
        name: collection.name.clone(),
        project_name: project.name.clone(),
        owner_email: owner_email.to_string(),
        access,
        is_inbox: collection.inbox_of == Some(actor.id),
        item_count,
    }
}

/// Views of items the actor may see (their collections' access is looked up
/// once per collection), in the given order.
pub async fn item_views(
    state: &AppState,
    actor: &Actor,
    items: &[item::Model],
) -> Result<Vec<ItemView>, AppError> {
    let db = &state.db;
    let collection_ids: HashSet<Uuid> = items.iter().map(|i| i.collection_id).collect();
    let collections: HashMap<Uuid, collection::Model> = collection::Entity::find()
        .filter(collection::Column::Id.is_in(collection_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let projects: HashMap<Uuid, project::Model> = project::Entity::find()
        .filter(project::Column::Id.is_in(collections.values().map(|c| c.project_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut access = HashMap::new();
    for c in collections.values() {
        if let Some(p) = projects.get(&c.project_id)
            && let Some(a) = collection_access(db, actor, p, c).await?
        {
            access.insert(c.id, a);
        }
    }
    let media_rows: HashMap<Uuid, media_entity::Model> = media_entity::Entity::find()
        .filter(media_entity::Column::Id.is_in(items.iter().map(|i| i.media_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let creators = emails(db, items.iter().map(|i| i.created_by)).await?;
    // A generation's page is its owner's: others see the item, not the job.
    let own_jobs: HashSet<Uuid> = crate::entities::generation_job::Entity::find()
        .select_only()
        .column(crate::entities::generation_job::Column::Id)
        .filter(
            crate::entities::generation_job::Column::Id
                .is_in(items.iter().filter_map(|i| i.job_id)),
        )
        .filter(crate::entities::generation_job::Column::OwnerId.eq(actor.id))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut views = Vec::with_capacity(items.len());
    for it in items {
        let (Some(c), Some(a), Some(m)) = (
            collections.get(&it.collection_id),
            access.get(&it.collection_id),
            media_rows.get(&it.media_id),
        ) else {
            continue;
        };
        let Some(p) = projects.get(&c.project_id) else {
            continue;
        };
        let model = it.model_id.as_deref().and_then(crate::catalog::find_model);
        views.push(ItemView {
            id: it.id.to_string(),
            collection_id: c.id.to_string(),
            collection_name: c.name.clone(),
            project_id: p.id.to_string(),
            project_name: p.name.clone(),
            name: it.name.clone(),
            kind: it.kind.clone(),
            media: media::view_named(state, m, Some(&it.name)).await?,
            prompt: it.prompt.clone(),
            model_id: it.model_id.clone(),
            model_name: model.map(|m| m.name).or_else(|| it.model_id.clone()),
            params: it.params.clone(),
            seed: it.seed,
            cost: it.cost,
            provider_request_id: it.provider_request_id.clone(),
            job_id: it
                .job_id
                .filter(|id| own_jobs.contains(id))
                .map(|id| id.to_string()),
            parent_item_id: it.parent_item_id.map(|id| id.to_string()),
            created_by_email: creators.get(&it.created_by).cloned().unwrap_or_default(),
            created_at: time(it.created_at),
            access: *a,
        });
    }
    Ok(views)
}
