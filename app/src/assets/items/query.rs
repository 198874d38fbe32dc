//! The item queries behind the server functions: a filtered, paged listing
//! of what the caller may see, lineage, and batch permission checks.

use std::collections::HashSet;

use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::super::access::{Actor, find_collection, find_item, find_project, readable_collections};
use super::super::presenter::item_views;
use super::super::view::{Access, ItemDetails, ItemQuery, ItemsPage};
use super::{MAX_BATCH, PAGE_SIZE};
use crate::entities::{collection, item};
use crate::error::AppError;
use crate::platform::query::{DayRange, like_contains};
use crate::platform::state::AppState;

/// The longest search text, in characters.
const MAX_SEARCH: usize = 200;
/// How far up a lineage is followed.
const MAX_ANCESTORS: usize = 20;
/// How many items made from one are shown.
const MAX_CHILDREN: u64 = 24;

/// One page of the listing `query` asks for.
pub async fn page(
    state: &AppState,
    actor: &Actor,
    query: &ItemQuery,
) -> Result<ItemsPage, AppError> {
    let db = &state.db;
    let blank = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut find = item::Entity::find();
    if let Some(id) = blank(&query.collection_id) {
        let (collection, ..) = find_collection(db, actor, &id).await?;
        find = find.filter(item::Column::CollectionId.eq(collection.id));
    } else {
        find = find.filter(item::Column::CollectionId.in_subquery(readable_collections(actor)));
        if let Some(id) = blank(&query.project_id) {
            let project = match find_project(db, actor, &id).await {
                Ok((project, _)) => project,
                // Someone with only a collection shared sees the project through it.
                Err(AppError::NotFound) => shared_project(state, actor, &id).await?,
                Err(e) => return Err(e),
            };
            find = find.filter(
                item::Column::CollectionId.in_subquery(
                    Query::select()
                        .column(collection::Column::Id)
                        .from(collection::Entity)
                        .and_where(Expr::col(collection::Column::ProjectId).eq(project.id))
                        .to_owned(),
                ),
            );
        }
    }
    if let Some(kind) = blank(&query.kind) {
        if !["image", "video", "audio"].contains(&kind.as_str()) {
            return Err(AppError::invalid("kind", "error-reason-unknown-kind"));
        }
        find = find.filter(item::Column::Kind.eq(kind));
    }
    if let Some(model) = blank(&query.model_id) {
        find = find.filter(item::Column::ModelId.eq(model));
    }
    let range = DayRange::parse(
        query.from.as_deref().unwrap_or_default(),
        query.to.as_deref().unwrap_or_default(),
    )?;
    if let Some(start) = range.start {
        find = find.filter(item::Column::CreatedAt.gte(start));
    }
    if let Some(end) = range.end {
        find = find.filter(item::Column::CreatedAt.lt(end));
    }
    if let Some(text) = blank(&query.text) {
        if text.chars().count() > MAX_SEARCH {
            return Err(AppError::invalid("text", "error-reason-too-long"));
        }
        let mut words = Condition::all();
        for word in text.split_whitespace() {
            let pattern = like_contains(&word.to_lowercase());
            let like = |col: item::Column| {
                Expr::expr(Func::lower(Expr::col(col)))
                    .like(LikeExpr::new(pattern.clone()).escape('\\'))
            };
            words = words.add(
                Condition::any()
                    .add(like(item::Column::Prompt))
                    .add(like(item::Column::Name)),
            );
        }
        find = find.filter(words);
    }
    let paginator = find
        .order_by_desc(item::Column::CreatedAt)
        .order_by_desc(item::Column::Id)
        .paginate(db, PAGE_SIZE);
    let counts = paginator.num_items_and_pages().await?;
    let rows = paginator
        .fetch_page(crate::platform::query::page_number(query.page)?)
        .await?;
    Ok(ItemsPage {
        items: item_views(state, actor, &rows).await?,
        page: query.page,
        pages: counts.number_of_pages,
        total: counts.number_of_items,
    })
}

/// A project the actor sees only through a collection shared with them.
async fn shared_project(
    state: &AppState,
    actor: &Actor,
    id: &str,
) -> Result<crate::entities::project::Model, AppError> {
    let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let visible = collection::Entity::find()
        .filter(collection::Column::ProjectId.eq(id))
        .filter(collection::Column::Id.in_subquery(readable_collections(actor)))
        .one(&state.db)
        .await?
        .is_some();
    if !visible {
        return Err(AppError::NotFound);
    }
    crate::entities::project::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// An item with its ancestors (nearest first) and the items made from it,
/// leaving out any the actor may not see.
pub async fn details(
    state: &AppState,
    actor: &Actor,
    item: item::Model,
) -> Result<ItemDetails, AppError> {
    let db = &state.db;
    let readable = |find: sea_orm::Select<item::Entity>| {
        find.filter(item::Column::CollectionId.in_subquery(readable_collections(actor)))
    };
    let mut ancestors = Vec::new();
    let mut seen = HashSet::from([item.id]);
    let mut next = item.parent_item_id;
    while let Some(id) = next {
        if ancestors.len() >= MAX_ANCESTORS || !seen.insert(id) {
            break;
        }
        // An ancestor the actor may not see ends the visible chain.
        let Some(parent) = readable(item::Entity::find_by_id(id)).one(db).await? else {
            break;
        };
        next = parent.parent_item_id;
        ancestors.push(parent);
    }
    let children = readable(item::Entity::find())
        .filter(item::Column::ParentItemId.eq(item.id))
        .order_by_asc(item::Column::CreatedAt)
        .paginate(db, MAX_CHILDREN)
        .fetch_page(0)
        .await?;
    let mut view = item_views(state, actor, std::slice::from_ref(&item)).await?;
    Ok(ItemDetails {
        item: view.pop().ok_or(AppError::NotFound)?,
        ancestors: item_views(state, actor, &ancestors).await?,
        children: item_views(state, actor, &children).await?,
    })
}

/// The items named by `ids`, each of which the actor must be able to see
/// (else "not found") with at least `needed` access (else "forbidden").
pub async fn checked_items(
    state: &AppState,
    actor: &Actor,
    ids: &[String],
    needed: Access,
) -> Result<Vec<item::Model>, AppError> {
    if ids.is_empty() {
        return Err(AppError::invalid("item_ids", "error-reason-required"));
    }
    if ids.len() > MAX_BATCH {
        return Err(AppError::invalid("item_ids", "error-reason-too-many"));
    }
    let mut items = Vec::with_capacity(ids.len());
    let mut seen = HashSet::new();
    for id in ids {
        let (item, _, _, access) = find_item(&state.db, actor, id).await?;
        super::super::access::require(access, needed)?;
        if seen.insert(item.id) {
            items.push(item);
        }
    }
    Ok(items)
}
