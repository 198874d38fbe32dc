//! Who may do what in the library. A project's owner may do everything; a
//! share gives another address `viewer` or `collaborator` on a whole project
//! or on one collection; the highest grant wins. Someone with no grant learns
//! nothing: the thing reads as "not found", never "forbidden".

use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::view::Access;
use crate::auth::current::RequestSession;
use crate::entities::{collection, item, project, share};
use crate::error::AppError;

/// The account asking, as far as access goes.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Uuid,
    /// Lower case; shares are matched by address.
    pub email: String,
}

impl Actor {
    /// The signed-in account of a request.
    pub fn of(session: &RequestSession) -> Self {
        Actor {
            id: session.user_id,
            email: session.user.email.to_lowercase(),
        }
    }
}

/// The better of two grants.
fn best(a: Option<Access>, b: Option<Access>) -> Option<Access> {
    a.max(b)
}

async fn share_role(
    db: &impl ConnectionTrait,
    actor: &Actor,
    column: share::Column,
    id: Uuid,
) -> Result<Option<Access>, DbErr> {
    Ok(share::Entity::find()
        .filter(column.eq(id))
        .filter(share::Column::Email.eq(actor.email.as_str()))
        .one(db)
        .await?
        .and_then(|s| Access::parse_share_role(&s.role)))
}

/// The actor's access to a project as a whole (owner or a project share).
pub async fn project_access(
    db: &impl ConnectionTrait,
    actor: &Actor,
    project: &project::Model,
) -> Result<Option<Access>, DbErr> {
    if project.owner_id == actor.id {
        return Ok(Some(Access::Owner));
    }
    share_role(db, actor, share::Column::ProjectId, project.id).await
}

/// The actor's access to a collection: owner of its project, a project share
/// or a share of this collection, whichever is highest.
pub async fn collection_access(
    db: &impl ConnectionTrait,
    actor: &Actor,
    project: &project::Model,
    collection: &collection::Model,
) -> Result<Option<Access>, DbErr> {
    let on_project = project_access(db, actor, project).await?;
    if on_project == Some(Access::Owner) {
        return Ok(on_project);
    }
    let on_collection = share_role(db, actor, share::Column::CollectionId, collection.id).await?;
    Ok(best(on_project, on_collection))
}

/// A project the actor may see, with their access; anything else is "not found".
pub async fn find_project(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: &str,
) -> Result<(project::Model, Access), AppError> {
    let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let project = project::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = project_access(db, actor, &project)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((project, access))
}

/// A collection the actor may see, with its project and their access.
pub async fn find_collection(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: &str,
) -> Result<(collection::Model, project::Model, Access), AppError> {
    let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let collection = collection::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let project = project::Entity::find_by_id(collection.project_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = collection_access(db, actor, &project, &collection)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((collection, project, access))
}

/// An item the actor may see, with its collection, project and their access.
pub async fn find_item(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: &str,
) -> Result<(item::Model, collection::Model, project::Model, Access), AppError> {
    let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let item = item::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (collection, project, access) =
        find_collection(db, actor, &item.collection_id.to_string()).await?;
    Ok((item, collection, project, access))
}

/// Refuses (403) when `access` is below `needed`; the thing is visible, so
/// saying so gives nothing away.
pub fn require(access: Access, needed: Access) -> Result<(), AppError> {
    if access >= needed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// `SELECT collections.id` of every collection the actor may see: in their
/// own projects, in projects shared with them, and collections shared with them.
pub fn readable_collections(actor: &Actor) -> SelectStatement {
    let shared_projects = Query::select()
        .column(share::Column::ProjectId)
        .from(share::Entity)
        .and_where(Expr::col(share::Column::Email).eq(actor.email.as_str()))
        .and_where(Expr::col(share::Column::ProjectId).is_not_null())
        .to_owned();
    let own_projects = Query::select()
        .column(project::Column::Id)
        .from(project::Entity)
        .and_where(Expr::col(project::Column::OwnerId).eq(actor.id))
        .to_owned();
    let shared_collections = Query::select()
        .column(share::Column::CollectionId)
        .from(share::Entity)
        .and_where(Expr::col(share::Column::Email).eq(actor.email.as_str()))
        .and_where(Expr::col(share::Column::CollectionId).is_not_null())
        .to_owned();
    Query::select()
        .column(collection::Column::Id)
        .from(collection::Entity)
        .cond_where(
            sea_orm::Condition::any()
                .add(Expr::col(collection::Column::ProjectId).in_subquery(own_projects))
                .add(Expr::col(collection::Column::ProjectId).in_subquery(shared_projects))
                .add(Expr::col(collection::Column::Id).in_subquery(shared_collections)),
        )
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_are_ordered_and_the_highest_wins() {
        assert!(Access::Owner > Access::Collaborator && Access::Collaborator > Access::Viewer);
        assert_eq!(
            best(Some(Access::Viewer), Some(Access::Collaborator)),
            Some(Access::Collaborator)
        );
        assert_eq!(best(None, Some(Access::Viewer)), Some(Access::Viewer));
        assert_eq!(best(None, None), None);
        assert!(require(Access::Viewer, Access::Collaborator).is_err());
        assert!(require(Access::Owner, Access::Collaborator).is_ok());
        assert_eq!(Access::parse_share_role("owner"), None);
    }
}
