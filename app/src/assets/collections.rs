//! Collections: open one, create, rename, delete.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::view::CollectionView;
use crate::error::AppError;

/// One collection the caller may see, with their access to it.
#[server(prefix = "/api", endpoint = "library/collections/get", input = Json)]
pub async fn get_collection(collection_id: String) -> Result<CollectionView, AppError> {
    use super::access::find_collection;
    use super::ssr::context;
    let (state, actor) = context()?;
    let (collection, project, access) = find_collection(&state.db, &actor, &collection_id).await?;
    ssr::view(&state, &actor, &collection, &project, access).await
}

/// Creates a collection in a project (its owner or a collaborator on the whole project).
#[server(prefix = "/api", endpoint = "library/collections/create", input = Json)]
pub async fn create_collection(
    project_id: String,
    name: String,
) -> Result<CollectionView, AppError> {
    use super::access::{find_project, require};
    use super::rows::{MAX_NAME, clean_name, new_collection};
    use super::ssr::context;
    use super::view::Access;
    let (state, actor) = context()?;
    let (project, access) = find_project(&state.db, &actor, &project_id).await?;
    require(access, Access::Collaborator)?;
    let name = clean_name("name", &name, MAX_NAME)?;
    let collection = new_collection(&state.db, project.id, &name, state.clock.now()).await?;
    tracing::info!(user.id = %actor.id, collection.id = %collection.id, "collection created");
    ssr::view(&state, &actor, &collection, &project, access).await
}

/// Renames a collection (a collaborator on it or its owner).
#[server(prefix = "/api", endpoint = "library/collections/rename", input = Json)]
pub async fn rename_collection(
    collection_id: String,
    name: String,
) -> Result<CollectionView, AppError> {
    use super::access::{find_collection, require};
    use super::rows::{MAX_NAME, clean_name};
    use super::ssr::context;
    use super::view::Access;
    use sea_orm::{ActiveModelTrait, Set};
    let (state, actor) = context()?;
    let (collection, project, access) = find_collection(&state.db, &actor, &collection_id).await?;
    require(access, Access::Collaborator)?;
    let name = clean_name("name", &name, MAX_NAME)?;
    let mut update: crate::entities::collection::ActiveModel = collection.into();
    update.name = Set(name);
    update.updated_at = Set(state.clock.now());
    let collection = update.update(&state.db).await?;
    ssr::view(&state, &actor, &collection, &project, access).await
}

/// Deletes a collection with its items and shares (the project's owner only);
/// media nothing else refers to is deleted too.
#[server(prefix = "/api", endpoint = "library/collections/delete", input = Json)]
pub async fn delete_collection(collection_id: String) -> Result<(), AppError> {
    use super::access::{find_collection, require};
    use super::rows::delete_container;
    use super::ssr::context;
    use super::view::Access;
    use crate::entities::collection;
    use sea_orm::EntityTrait;
    let (state, actor) = context()?;
    let (found, _, access) = find_collection(&state.db, &actor, &collection_id).await?;
    require(access, Access::Owner)?;
    let delete = collection::Entity::delete_by_id(found.id).exec(&state.db);
    delete_container(&state, &[found.id], delete).await?;
    tracing::info!(user.id = %actor.id, collection.id = %found.id, "collection deleted");
    Ok(())
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::super::access::Actor;
    use super::super::presenter::{collection_view, item_counts};
    use super::super::rows::emails;
    use super::super::view::{Access, CollectionView};
    use crate::entities::{collection, project};
    use crate::error::AppError;
    use crate::platform::state::AppState;

    pub async fn view(
        state: &AppState,
        actor: &Actor,
        collection: &collection::Model,
        project: &project::Model,
        access: Access,
    ) -> Result<CollectionView, AppError> {
        let owner = emails(&state.db, [project.owner_id]).await?;
        let count = item_counts(&state.db, &[collection.id]).await?;
        Ok(collection_view(
            collection,
            project,
            owner.get(&project.owner_id).map_or("", String::as_str),
            access,
            actor,
            count.get(&collection.id).copied().unwrap_or(0),
        ))
    }
}
