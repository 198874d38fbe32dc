//! Projects: the library tree (own and shared), create, rename, delete.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::view::{LibraryTree, ProjectView};
use crate::error::AppError;

/// Everything the caller can open: their projects (their inbox made on first
/// use) and what others shared with them, with storage use and quota.
#[server(prefix = "/api", endpoint = "library/tree", input = Json)]
pub async fn get_library() -> Result<LibraryTree, AppError> {
    use super::ssr::context;
    let (state, actor) = context()?;
    ssr::tree(&state, &actor).await
}

/// Creates a project with one collection in it.
#[server(prefix = "/api", endpoint = "library/projects/create", input = Json)]
pub async fn create_project(name: String) -> Result<ProjectView, AppError> {
    use super::rows::{MAX_NAME, clean_name, new_collection, new_project};
    use super::ssr::context;
    use sea_orm::TransactionTrait;
    let (state, actor) = context()?;
    let name = clean_name("name", &name, MAX_NAME)?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let project = new_project(&txn, actor.id, &name, now).await?;
    let language = crate::i18n::request_language();
    new_collection(
        &txn,
        project.id,
        &crate::i18n::tr_in(language, "library-first-collection", &[]),
        now,
    )
    .await?;
    txn.commit().await?;
    tracing::info!(user.id = %actor.id, project.id = %project.id, "project created");
    ssr::project_view(&state, &actor, &project).await
}

/// Renames a project (its owner or a collaborator on it).
#[server(prefix = "/api", endpoint = "library/projects/rename", input = Json)]
pub async fn rename_project(project_id: String, name: String) -> Result<ProjectView, AppError> {
    use super::access::{find_project, require};
    use super::rows::{MAX_NAME, clean_name};
    use super::ssr::context;
    use super::view::Access;
    use sea_orm::{ActiveModelTrait, Set};
    let (state, actor) = context()?;
    let (project, access) = find_project(&state.db, &actor, &project_id).await?;
    require(access, Access::Collaborator)?;
    let name = clean_name("name", &name, MAX_NAME)?;
    let mut update: crate::entities::project::ActiveModel = project.into();
    update.name = Set(name);
    update.updated_at = Set(state.clock.now());
    let project = update.update(&state.db).await?;
    ssr::project_view(&state, &actor, &project).await
}

/// Deletes a project with its collections, items and shares (its owner only);
/// media nothing else refers to is deleted too.
#[server(prefix = "/api", endpoint = "library/projects/delete", input = Json)]
pub async fn delete_project(project_id: String) -> Result<(), AppError> {
    use super::access::{find_project, require};
    use super::rows::delete_container;
    use super::ssr::context;
    use super::view::Access;
    use crate::entities::{collection, project};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    let (state, actor) = context()?;
    let (found, access) = find_project(&state.db, &actor, &project_id).await?;
    require(access, Access::Owner)?;
    let collections: Vec<uuid::Uuid> = collection::Entity::find()
        .select_only()
        .column(collection::Column::Id)
        .filter(collection::Column::ProjectId.eq(found.id))
        .into_tuple()
        .all(&state.db)
        .await?;
    let delete = project::Entity::delete_by_id(found.id).exec(&state.db);
    delete_container(&state, &collections, delete).await?;
    tracing::info!(user.id = %actor.id, project.id = %found.id, "project deleted");
    Ok(())
}

#[cfg(feature = "ssr")]
mod ssr {
    use std::collections::BTreeMap;

    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    use uuid::Uuid;

    use super::super::access::{Actor, collection_access};
    use super::super::presenter::{collection_view, item_counts};
    use super::super::rows::{emails, ensure_inbox};
    use super::super::view::{LibraryTree, ProjectView};
    use crate::entities::{collection, project, share};
    use crate::error::AppError;
    use crate::platform::state::AppState;

    /// A project with the collections the actor may see in it.
    pub async fn project_view(
        state: &AppState,
        actor: &Actor,
        project: &project::Model,
    ) -> Result<ProjectView, AppError> {
        let collections = collection::Entity::find()
            .filter(collection::Column::ProjectId.eq(project.id))
            .order_by_asc(collection::Column::CreatedAt)
            .all(&state.db)
            .await?;
        let owner = emails(&state.db, [project.owner_id]).await?;
        let owner_email = owner.get(&project.owner_id).cloned().unwrap_or_default();
        let counts = item_counts(
            &state.db,
            &collections.iter().map(|c| c.id).collect::<Vec<_>>(),
        )
        .await?;
        let mut views = Vec::new();
        let mut best = None;
        for c in &collections {
            if let Some(access) = collection_access(&state.db, actor, project, c).await? {
                best = best.max(Some(access));
                let n = counts.get(&c.id).copied().unwrap_or(0);
                views.push(collection_view(c, project, &owner_email, access, actor, n));
            }
        }
        let project_access = super::super::access::project_access(&state.db, actor, project)
            .await?
            .or(best)
            .ok_or(AppError::NotFound)?;
        Ok(ProjectView {
            id: project.id.to_string(),
            name: project.name.clone(),
            owner_email,
            access: project_access,
            collections: views,
        })
    }

    /// The actor's projects (inbox first), then everything shared with them.
    pub async fn tree(state: &AppState, actor: &Actor) -> Result<LibraryTree, AppError> {
        let now = state.clock.now();
        let language = crate::i18n::request_language();
        let inbox = ensure_inbox(&state.db, actor.id, language, now).await?;
        let mut own = project::Entity::find()
            .filter(project::Column::OwnerId.eq(actor.id))
            .order_by_asc(project::Column::CreatedAt)
            .all(&state.db)
            .await?;
        own.sort_by_key(|p| p.id != inbox.project_id);
        let mut projects = Vec::with_capacity(own.len());
        for p in &own {
            projects.push(project_view(state, actor, p).await?);
        }

        let shares = share::Entity::find()
            .filter(share::Column::Email.eq(actor.email.as_str()))
            .all(&state.db)
            .await?;
        let shared_collections: Vec<collection::Model> = collection::Entity::find()
            .filter(collection::Column::Id.is_in(shares.iter().filter_map(|s| s.collection_id)))
            .all(&state.db)
            .await?;
        let project_ids: Vec<Uuid> = shares
            .iter()
            .filter_map(|s| s.project_id)
            .chain(shared_collections.iter().map(|c| c.project_id))
            .collect();
        let others: BTreeMap<Uuid, project::Model> = project::Entity::find()
            .filter(project::Column::Id.is_in(project_ids))
            .filter(project::Column::OwnerId.ne(actor.id))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let mut shared = Vec::with_capacity(others.len());
        for p in others.values() {
            shared.push(project_view(state, actor, p).await?);
        }
        shared.sort_by_key(|p| p.name.to_lowercase());

        let used_bytes = super::super::media::used_bytes(&state.db, actor.id, now).await?;
        Ok(LibraryTree {
            projects,
            shared,
            used_bytes,
            quota_bytes: state.config.uploads.quota_bytes,
        })
    }
}
