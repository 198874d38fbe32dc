//! Sharing a project or one collection with another address, as a viewer
//! (sees it) or a collaborator (also adds, renames, moves and deletes items).
//! Only the owner shares, lists and revokes; someone a thing is shared with
//! may leave it. The recipient is told by mail, with a link to the library.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use super::view::ShareView;
use crate::error::AppError;

/// What is shared: a whole project or one collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareTarget {
    Project,
    Collection,
}

/// Shares a project or collection with `email` as `viewer` or
/// `collaborator`; sharing again with the same address changes the role.
#[server(prefix = "/api", endpoint = "library/shares/add", input = Json)]
pub async fn add_share(
    target: ShareTarget,
    target_id: String,
    email: String,
    role: String,
) -> Result<ShareView, AppError> {
    use super::ssr::context;
    let (state, actor) = context()?;
    ssr::add(&state, &actor, target, &target_id, &email, &role).await
}

/// Who a project or collection is shared with (its owner only).
#[server(prefix = "/api", endpoint = "library/shares/list", input = Json)]
pub async fn list_shares(
    target: ShareTarget,
    target_id: String,
) -> Result<Vec<ShareView>, AppError> {
    use super::ssr::context;
    let (state, actor) = context()?;
    let (project_id, collection_id, _) =
        ssr::owned_target(&state, &actor, target, &target_id).await?;
    ssr::list(&state, project_id, collection_id).await
}

/// Ends a share: the owner revokes it, or its recipient leaves.
#[server(prefix = "/api", endpoint = "library/shares/revoke", input = Json)]
pub async fn revoke_share(share_id: String) -> Result<(), AppError> {
    use super::ssr::context;
    let (state, actor) = context()?;
    ssr::revoke(&state, &actor, &share_id).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
    use uuid::Uuid;

    use super::super::access::{Actor, find_collection, find_project, require};
    use super::super::view::{Access, ShareView};
    use super::ShareTarget;
    use crate::entities::{share, user};
    use crate::error::AppError;
    use crate::platform::mail::OutgoingMail;
    use crate::platform::state::AppState;
    use crate::values::Email;

    /// The target's project id or collection id, and its name, when the
    /// actor owns it; "forbidden" when they only see it.
    pub async fn owned_target(
        state: &AppState,
        actor: &Actor,
        target: ShareTarget,
        id: &str,
    ) -> Result<(Option<Uuid>, Option<Uuid>, String), AppError> {
        let (project_id, collection_id, name, access) = match target {
            ShareTarget::Project => {
                let (project, access) = find_project(&state.db, actor, id).await?;
                (Some(project.id), None, project.name, access)
            }
            ShareTarget::Collection => {
                let (collection, _, access) = find_collection(&state.db, actor, id).await?;
                (None, Some(collection.id), collection.name, access)
            }
        };
        require(access, Access::Owner)?;
        Ok((project_id, collection_id, name))
    }

    fn view(row: &share::Model, has_account: bool) -> Option<ShareView> {
        Some(ShareView {
            id: row.id.to_string(),
            email: row.email.clone(),
            role: Access::parse_share_role(&row.role)?,
            has_account,
        })
    }

    pub async fn list(
        state: &AppState,
        project_id: Option<Uuid>,
        collection_id: Option<Uuid>,
    ) -> Result<Vec<ShareView>, AppError> {
        let mut find = share::Entity::find();
        find = match (project_id, collection_id) {
            (Some(p), _) => find.filter(share::Column::ProjectId.eq(p)),
            (_, Some(c)) => find.filter(share::Column::CollectionId.eq(c)),
            _ => return Ok(Vec::new()),
        };
        let rows = find
            .order_by_asc(share::Column::CreatedAt)
            .all(&state.db)
            .await?;
        let accounts: std::collections::HashSet<String> = user::Entity::find()
            .filter(user::Column::Email.is_in(rows.iter().map(|r| r.email.clone())))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|u| u.email)
            .collect();
        Ok(rows
            .iter()
            .filter_map(|r| view(r, accounts.contains(&r.email)))
            .collect())
    }

    pub async fn add(
        state: &AppState,
        actor: &Actor,
        target: ShareTarget,
        id: &str,
        email: &str,
        role: &str,
    ) -> Result<ShareView, AppError> {
        // Only the owner gets here: sharing with their own address changes nothing.
        let (project_id, collection_id, name) = owned_target(state, actor, target, id).await?;
        let email = Email::parse(email).map_err(|reason| AppError::invalid("email", reason))?;
        if email.as_str() == actor.email {
            return Err(AppError::invalid("email", "error-reason-share-self"));
        }
        let role = Access::parse_share_role(role.trim())
            .ok_or_else(|| AppError::invalid("role", "error-reason-share-role"))?;
        let now = state.clock.now();
        let existing = share::Entity::find()
            .filter(match (project_id, collection_id) {
                (Some(p), _) => share::Column::ProjectId.eq(p),
                (_, c) => share::Column::CollectionId.eq(c),
            })
            .filter(share::Column::Email.eq(email.as_str()))
            .one(&state.db)
            .await?;
        let is_new = existing.is_none();
        let row = match existing {
            Some(row) => {
                let mut update: share::ActiveModel = row.into();
                update.role = Set(role.as_str().to_string());
                update.updated_at = Set(now);
                update.update(&state.db).await?
            }
            None => {
                share::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    project_id: Set(project_id),
                    collection_id: Set(collection_id),
                    email: Set(email.as_str().to_string()),
                    role: Set(role.as_str().to_string()),
                    created_by: Set(actor.id),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(&state.db)
                .await?
            }
        };
        let recipient = user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(&state.db)
            .await?;
        tracing::info!(user.id = %actor.id, share.id = %row.id, role = role.as_str(), "shared");
        if is_new {
            notify(
                state,
                actor,
                recipient.as_ref(),
                email.as_str(),
                &name,
                role,
            )
            .await;
        }
        view(&row, recipient.is_some()).ok_or(AppError::Internal)
    }

    /// Tells the recipient by mail; a mail failure does not undo the share.
    async fn notify(
        state: &AppState,
        actor: &Actor,
        recipient: Option<&user::Model>,
        email: &str,
        name: &str,
        role: Access,
    ) {
        let language = recipient
            .and_then(|u| u.locale.as_deref())
            .and_then(|l| crate::i18n::LANGUAGES.iter().find(|(id, _)| *id == l))
            .map_or_else(crate::i18n::request_language, |(id, _)| *id);
        let link = state
            .config
            .http
            .public_url
            .join("/library")
            .map(|u| u.to_string())
            .unwrap_or_default();
        let args = [
            ("who", actor.email.clone()),
            ("name", name.to_string()),
            (
                "role",
                crate::i18n::tr_in(language, &format!("share-role-{}", role.as_str()), &[]),
            ),
            ("link", link),
        ];
        let mail = OutgoingMail {
            to: email.to_string(),
            subject: crate::i18n::tr_in(language, "email-share-subject", &args),
            text: crate::i18n::tr_in(language, "email-share-body", &args),
            html: None,
        };
        if let Err(e) = state.mailer.send(&mail).await {
            tracing::warn!(error = %e, "the share notice could not be mailed");
        }
    }

    pub async fn revoke(state: &AppState, actor: &Actor, id: &str) -> Result<(), AppError> {
        let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
        let row = share::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        if row.email != actor.email {
            let (target, target_id) = match (row.project_id, row.collection_id) {
                (Some(p), _) => (ShareTarget::Project, p),
                (_, Some(c)) => (ShareTarget::Collection, c),
                _ => return Err(AppError::NotFound),
            };
            owned_target(state, actor, target, &target_id.to_string()).await?;
        }
        share::Entity::delete_by_id(row.id).exec(&state.db).await?;
        tracing::info!(user.id = %actor.id, share.id = %row.id, "share revoked");
        Ok(())
    }
}
