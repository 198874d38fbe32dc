//! The library's rows: each account's inbox, projects, collections and items,
//! created, copied and deleted. Permission checks happen in the server
//! functions (through [`super::access`]); these functions do what they are
//! told. What the browser sees of the rows is built in [`super::presenter`].

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QuerySelect, Set, SqlErr, TransactionTrait,
};
use uuid::Uuid;

use super::access::{Actor, collection_access};
use super::media;
use super::view::Access;
pub use crate::auth::accounts::emails_by_id as emails;
use crate::entities::{collection, item, media as media_entity, project, user};
use crate::error::AppError;
use crate::platform::state::AppState;

/// The longest project or collection name, in characters.
pub const MAX_NAME: usize = 120;
/// The longest item name, in characters.
pub const MAX_ITEM_NAME: usize = 200;

/// A name as typed, trimmed, with control characters removed; refused when
/// empty or longer than `max` characters (naming `field`).
pub fn clean_name(field: &str, raw: &str, max: usize) -> Result<String, AppError> {
    let name: String = raw.chars().filter(|c| !c.is_control()).collect();
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid(field, "error-reason-required"));
    }
    if name.chars().count() > max {
        return Err(AppError::invalid(field, "error-reason-too-long"));
    }
    Ok(name.to_string())
}

/// A default item name from text (a prompt or a file name): its first line,
/// cut at a word boundary near 60 characters.
pub fn name_from(text: &str, fallback: &str) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty());
    let Some(line) = line else {
        return fallback.to_string();
    };
    let line: String = line.chars().filter(|c| !c.is_control()).collect();
    if line.chars().count() <= 60 {
        return line;
    }
    let cut: String = line.chars().take(60).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end())
}

/// The language an account reads (its saved choice, else English).
pub async fn user_language(db: &impl ConnectionTrait, user_id: Uuid) -> Result<String, DbErr> {
    Ok(user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .and_then(|u| u.locale)
        .unwrap_or_else(|| "en".into()))
}

/// The account's inbox: the collection where uploads and generations land
/// when no other is chosen. Made on first use (a project "My work" with a
/// collection "Inbox", named in `language`), and again if it was deleted.
pub async fn ensure_inbox(
    db: &DatabaseConnection,
    owner: Uuid,
    language: &str,
    now: DateTime<Utc>,
) -> Result<collection::Model, DbErr> {
    let find = || {
        collection::Entity::find()
            .filter(collection::Column::InboxOf.eq(owner))
            .one(db)
    };
    if let Some(inbox) = find().await? {
        return Ok(inbox);
    }
    let tr = |key: &str| crate::i18n::tr_in(language, key, &[]);
    let txn = db.begin().await?;
    let project = new_project(&txn, owner, &tr("library-default-project"), now).await?;
    let made = collection::ActiveModel {
        id: Set(Uuid::now_v7()),
        project_id: Set(project.id),
        name: Set(tr("library-inbox")),
        inbox_of: Set(Some(owner)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await;
    match made {
        Ok(inbox) => {
            txn.commit().await?;
            Ok(inbox)
        }
        // Another request made it first: use theirs.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            txn.rollback().await?;
            find().await?.ok_or(e)
        }
        Err(e) => Err(e),
    }
}

/// Where new work goes: the chosen collection while the actor may still
/// write to it, else their inbox.
pub async fn writable_or_inbox(
    state: &AppState,
    actor: &Actor,
    chosen: Option<Uuid>,
) -> Result<Uuid, DbErr> {
    if let Some(id) = chosen
        && let Some(c) = collection::Entity::find_by_id(id).one(&state.db).await?
        && let Some(p) = project::Entity::find_by_id(c.project_id)
            .one(&state.db)
            .await?
        && collection_access(&state.db, actor, &p, &c)
            .await?
            .is_some_and(Access::can_write)
    {
        return Ok(c.id);
    }
    let language = user_language(&state.db, actor.id).await?;
    Ok(
        ensure_inbox(&state.db, actor.id, &language, state.clock.now())
            .await?
            .id,
    )
}

/// The account behind an id, as an [`Actor`] (`None` when it is gone).
pub async fn actor_of(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Actor>, DbErr> {
    Ok(user::Entity::find_by_id(id).one(db).await?.map(|u| Actor {
        id: u.id,
        email: u.email.to_lowercase(),
    }))
}

/// A new project.
pub async fn new_project(
    db: &impl ConnectionTrait,
    owner: Uuid,
    name: &str,
    now: DateTime<Utc>,
) -> Result<project::Model, DbErr> {
    project::ActiveModel {
        id: Set(Uuid::now_v7()),
        owner_id: Set(owner),
        name: Set(name.to_string()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// A new (non-inbox) collection in a project.
pub async fn new_collection(
    db: &impl ConnectionTrait,
    project_id: Uuid,
    name: &str,
    now: DateTime<Utc>,
) -> Result<collection::Model, DbErr> {
    collection::ActiveModel {
        id: Set(Uuid::now_v7()),
        project_id: Set(project_id),
        name: Set(name.to_string()),
        inbox_of: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// What a new item holds and how it was made.
#[derive(Debug, Clone, Default)]
pub struct NewItem {
    pub collection_id: Uuid,
    pub media_id: Uuid,
    pub name: String,
    pub kind: String,
    pub prompt: Option<String>,
    pub model_id: Option<String>,
    pub params: Option<String>,
    pub seed: Option<i64>,
    pub cost: Option<i64>,
    pub provider_request_id: Option<String>,
    pub job_id: Option<Uuid>,
    pub parent_item_id: Option<Uuid>,
    pub created_by: Uuid,
}

/// Inserts an item.
pub async fn insert_item(
    db: &impl ConnectionTrait,
    new: NewItem,
    now: DateTime<Utc>,
) -> Result<item::Model, DbErr> {
    item::ActiveModel {
        id: Set(Uuid::now_v7()),
        collection_id: Set(new.collection_id),
        media_id: Set(new.media_id),
        name: Set(new.name),
        kind: Set(new.kind),
        prompt: Set(new.prompt),
        model_id: Set(new.model_id),
        params: Set(new.params),
        seed: Set(new.seed),
        cost: Set(new.cost),
        provider_request_id: Set(new.provider_request_id),
        job_id: Set(new.job_id),
        parent_item_id: Set(new.parent_item_id),
        created_by: Set(new.created_by),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// Stores bytes the owner made elsewhere (a test fixture, a benchmark frame)
/// as media and an item in their inbox.
pub async fn keep_in_inbox(
    state: &AppState,
    owner: Uuid,
    bytes: bytes::Bytes,
    content_type: &str,
    name: &str,
) -> Result<(media_entity::Model, item::Model), AppError> {
    let row = media::store(
        state,
        owner,
        bytes,
        content_type,
        media::MediaSource::Upload,
        media::Dimensions::default(),
    )
    .await?;
    let now = state.clock.now();
    let language = user_language(&state.db, owner).await?;
    let inbox = ensure_inbox(&state.db, owner, &language, now).await?;
    let kind = crate::media::types::MediaKind::of_content_type(content_type)
        .unwrap_or(crate::media::types::MediaKind::Image);
    let item = insert_item(
        &state.db,
        NewItem {
            collection_id: inbox.id,
            media_id: row.id,
            name: name.to_string(),
            kind: kind.as_str().to_string(),
            created_by: owner,
            ..NewItem::default()
        },
        now,
    )
    .await?;
    Ok((row, item))
}

/// A copy of `source` in another collection: the same media (stored once)
/// and the same history, made by `actor`.
pub async fn copy_item(
    db: &impl ConnectionTrait,
    source: &item::Model,
    collection_id: Uuid,
    actor: Uuid,
    now: DateTime<Utc>,
) -> Result<item::Model, DbErr> {
    insert_item(
        db,
        NewItem {
            collection_id,
            media_id: source.media_id,
            name: source.name.clone(),
            kind: source.kind.clone(),
            prompt: source.prompt.clone(),
            model_id: source.model_id.clone(),
            params: source.params.clone(),
            seed: source.seed,
            cost: source.cost,
            provider_request_id: source.provider_request_id.clone(),
            job_id: source.job_id,
            parent_item_id: source.parent_item_id,
            created_by: actor,
        },
        now,
    )
    .await
}

/// Deletes items, then each media they held that nothing else refers to.
pub async fn delete_items(state: &AppState, items: &[item::Model]) -> Result<(), AppError> {
    if items.is_empty() {
        return Ok(());
    }
    item::Entity::delete_many()
        .filter(item::Column::Id.is_in(items.iter().map(|i| i.id)))
        .exec(&state.db)
        .await?;
    release_media(state, items.iter().map(|i| i.media_id)).await
}

/// Deletes the media of removed items that nothing refers to any more.
pub async fn release_media(
    state: &AppState,
    media_ids: impl IntoIterator<Item = Uuid>,
) -> Result<(), AppError> {
    let ids: Vec<Uuid> = media_ids
        .into_iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    media::release(state, &ids).await?;
    Ok(())
}

/// Deletes a project or a collection (`delete` removes its row; collections,
/// items and shares go with it by cascade), then releases the media that the
/// items of `collections` held and nothing else holds now.
pub async fn delete_container<F>(
    state: &AppState,
    collections: &[Uuid],
    delete: F,
) -> Result<(), AppError>
where
    F: std::future::Future<Output = Result<sea_orm::DeleteResult, DbErr>>,
{
    let media = media_of_collections(&state.db, collections).await?;
    delete.await?;
    release_media(state, media).await
}

/// The media ids held by the items of these collections.
pub async fn media_of_collections(
    db: &impl ConnectionTrait,
    collections: &[Uuid],
) -> Result<Vec<Uuid>, DbErr> {
    item::Entity::find()
        .select_only()
        .column(item::Column::MediaId)
        .filter(item::Column::CollectionId.is_in(collections.iter().copied()))
        .into_tuple()
        .all(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(clean_name("name", "  Trip \u{7}", 10).unwrap(), "Trip");
        assert_eq!(
            clean_name("name", "   ", 10),
            Err(AppError::invalid("name", "error-reason-required"))
        );
        assert_eq!(
            clean_name("name", &"x".repeat(11), 10),
            Err(AppError::invalid("name", "error-reason-too-long"))
        );
        assert_eq!(clean_name("name", "猫猫猫", 3).unwrap(), "猫猫猫");
    }

    #[test]
    fn default_names_come_from_the_first_line() {
        assert_eq!(name_from("\n  a red fox \nin snow", "x"), "a red fox");
        assert_eq!(name_from("", "Untitled"), "Untitled");
        let long = "a very long prompt that goes on and on about a lighthouse on a cliff at dusk";
        let name = name_from(long, "x");
        assert!(name.ends_with('…') && name.chars().count() <= 61, "{name}");
        assert!(long.starts_with(name.trim_end_matches('…')));
    }
}
