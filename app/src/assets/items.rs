//! Items: list and search, open one with its lineage, rename, move or copy
//! to another collection, delete.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::view::{ItemDetails, ItemQuery, ItemView, ItemsPage};
use crate::error::AppError;

/// Items per page of a listing.
pub const PAGE_SIZE: u64 = 48;
/// The most items one move, copy or delete may name.
pub const MAX_BATCH: usize = 200;

/// Items the caller may see, newest first: in one collection, one project or
/// everywhere, narrowed by kind, model, dates and words in the prompt or name.
#[server(prefix = "/api", endpoint = "library/items/list", input = Json)]
pub async fn list_items(query: ItemQuery) -> Result<ItemsPage, AppError> {
    use super::ssr::context;
    let (state, actor) = context()?;
    query::page(&state, &actor, &query).await
}

/// One item with the items it came from and the ones made from it.
#[server(prefix = "/api", endpoint = "library/items/get", input = Json)]
pub async fn get_item(item_id: String) -> Result<ItemDetails, AppError> {
    use super::access::find_item;
    use super::ssr::context;
    let (state, actor) = context()?;
    let (item, ..) = find_item(&state.db, &actor, &item_id).await?;
    query::details(&state, &actor, item).await
}

/// Renames an item (a collaborator or the owner).
#[server(prefix = "/api", endpoint = "library/items/rename", input = Json)]
pub async fn rename_item(item_id: String, name: String) -> Result<ItemView, AppError> {
    use super::access::{find_item, require};
    use super::presenter::item_views;
    use super::rows::{MAX_ITEM_NAME, clean_name};
    use super::ssr::context;
    use super::view::Access;
    use sea_orm::{ActiveModelTrait, Set};
    let (state, actor) = context()?;
    let (item, _, _, access) = find_item(&state.db, &actor, &item_id).await?;
    require(access, Access::Collaborator)?;
    let name = clean_name("name", &name, MAX_ITEM_NAME)?;
    let mut update: crate::entities::item::ActiveModel = item.into();
    update.name = Set(name);
    update.updated_at = Set(state.clock.now());
    let item = update.update(&state.db).await?;
    item_views(&state, &actor, &[item])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Moves (or, with `copy`, copies) items into a collection. A move needs
/// write access to where the items are; a copy only needs to see them; the
/// destination always needs write access. All or nothing.
#[server(prefix = "/api", endpoint = "library/items/transfer", input = Json)]
pub async fn transfer_items(
    item_ids: Vec<String>,
    collection_id: String,
    copy: bool,
) -> Result<Vec<ItemView>, AppError> {
    use super::access::{find_collection, require};
    use super::presenter::item_views;
    use super::rows::copy_item;
    use super::ssr::context;
    use super::view::Access;
    use crate::entities::item;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
    let (state, actor) = context()?;
    let (destination, _, access) = find_collection(&state.db, &actor, &collection_id).await?;
    require(access, Access::Collaborator)?;
    let needed = if copy {
        Access::Viewer
    } else {
        Access::Collaborator
    };
    let items = query::checked_items(&state, &actor, &item_ids, needed).await?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let mut moved = Vec::with_capacity(items.len());
    if copy {
        for source in &items {
            moved.push(copy_item(&txn, source, destination.id, actor.id, now).await?);
        }
    } else {
        item::Entity::update_many()
            .col_expr(item::Column::CollectionId, Expr::value(destination.id))
            .col_expr(item::Column::UpdatedAt, Expr::value(now))
            .filter(item::Column::Id.is_in(items.iter().map(|i| i.id)))
            .exec(&txn)
            .await?;
        moved = items
            .into_iter()
            .map(|mut i| {
                i.collection_id = destination.id;
                i
            })
            .collect();
    }
    txn.commit().await?;
    tracing::info!(user.id = %actor.id, collection.id = %destination.id, items = moved.len(), copy, "items transferred");
    item_views(&state, &actor, &moved).await
}

/// Deletes items (a collaborator or the owner); their media goes too once
/// nothing else refers to it. All or nothing. Returns how many were deleted.
#[server(prefix = "/api", endpoint = "library/items/delete", input = Json)]
pub async fn delete_items(item_ids: Vec<String>) -> Result<u64, AppError> {
    use super::ssr::context;
    use super::view::Access;
    let (state, actor) = context()?;
    let items = query::checked_items(&state, &actor, &item_ids, Access::Collaborator).await?;
    super::rows::delete_items(&state, &items).await?;
    tracing::info!(user.id = %actor.id, items = items.len(), "items deleted");
    Ok(items.len() as u64)
}

#[cfg(feature = "ssr")]
pub mod query;
