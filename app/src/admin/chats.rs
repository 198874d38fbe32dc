//! Admin › Chats (`/admin/chats`): every account's chats, newest activity
//! first, searched by the owner's email, the title or any message's text;
//! one opens read-only with every message of its tree, branch by branch.

mod page;

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

pub use page::AdminChatsPage;

/// Chats per page of the admin list.
pub const PAGE_SIZE: u64 = 30;

/// One chat with its owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminChatRow {
    pub id: String,
    pub title: String,
    pub owner_email: String,
    pub model_id: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// A page of every account's chats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminChatList {
    pub chats: Vec<AdminChatRow>,
    pub page: u64,
    pub pages: u64,
}

/// One message of a chat's tree, in reading order (a message, then its
/// replies and their branches, oldest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminChatMessage {
    pub id: String,
    pub parent_id: Option<String>,
    /// How deep in the tree (0: a first message).
    pub depth: u32,
    /// `user` or `assistant`.
    pub role: String,
    pub content: String,
    pub status: String,
    /// Which version this is among its siblings (1-based), and how many there are.
    pub position: u32,
    pub siblings: u32,
    /// On the branch its owner last chose to show.
    pub shown: bool,
    /// RFC 3339.
    pub created_at: String,
}

/// One chat, read-only, with its whole tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminChatDetail {
    pub chat: AdminChatRow,
    /// The chat it was forked from, when it still exists.
    pub forked_from: Option<String>,
    pub messages: Vec<AdminChatMessage>,
}

/// Admins: every chat whose owner's email, title or message text contains
/// `query`, most recently active first.
#[server(prefix = "/api", endpoint = "admin/chats/list", input = Json)]
pub async fn admin_list_chats(query: String, page: u64) -> Result<AdminChatList, AppError> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    use sea_orm::{Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

    use crate::entities::{chat, chat_message, user};
    use crate::platform::query::{contains_text, page_number, search_text};
    use crate::platform::state::AppState;

    crate::auth::current::require_admin()?;
    let state = expect_context::<AppState>();
    let page = page_number(page)?;
    let mut select = chat::Entity::find();
    if let Some(text) = search_text("query", &query)? {
        let in_messages = Query::select()
            .column(chat_message::Column::ChatId)
            .from(chat_message::Entity)
            .and_where(contains_text(chat_message::Column::Content, &text))
            .to_owned();
        let by_owners = Query::select()
            .column(user::Column::Id)
            .from(user::Entity)
            .and_where(contains_text(user::Column::Email, &text))
            .to_owned();
        select = select.filter(
            Condition::any()
                .add(contains_text(chat::Column::Title, &text))
                .add(Expr::col(chat::Column::OwnerId).in_subquery(by_owners))
                .add(Expr::col(chat::Column::Id).in_subquery(in_messages)),
        );
    }
    let paginator = select
        .order_by_desc(chat::Column::UpdatedAt)
        .order_by_desc(chat::Column::Id)
        .paginate(&state.db, PAGE_SIZE);
    let pages = paginator.num_pages().await?;
    let chats = paginator.fetch_page(page).await?;
    let emails = ssr::emails(&state, chats.iter().map(|c| c.owner_id)).await?;
    Ok(AdminChatList {
        chats: chats.iter().map(|c| ssr::row(c, &emails)).collect(),
        page,
        pages,
    })
}

/// Admins: any account's chat with every message of its tree.
#[server(prefix = "/api", endpoint = "admin/chats/get", input = Json)]
pub async fn admin_get_chat(chat_id: String) -> Result<AdminChatDetail, AppError> {
    use sea_orm::EntityTrait;

    use crate::entities::chat;
    use crate::platform::state::AppState;

    crate::auth::current::require_admin()?;
    let state = expect_context::<AppState>();
    let id: uuid::Uuid = chat_id.trim().parse().map_err(|_| AppError::NotFound)?;
    let found = chat::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let emails = ssr::emails(&state, [found.owner_id]).await?;
    let messages = crate::chat::tree::all_messages(&state.db, found.id).await?;
    let forked_from = match found.forked_from_chat_id {
        Some(source) => chat::Entity::find_by_id(source)
            .one(&state.db)
            .await?
            .map(|c| c.id.to_string()),
        None => None,
    };
    Ok(AdminChatDetail {
        chat: ssr::row(&found, &emails),
        forked_from,
        messages: ssr::tree_rows(&found, &messages),
    })
}

#[cfg(feature = "ssr")]
mod ssr {
    use std::collections::{HashMap, HashSet};

    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use uuid::Uuid;

    use super::{AdminChatMessage, AdminChatRow};
    use crate::chat::tree::{path_to, reading_order};
    use crate::entities::{chat, chat_message, user};
    use crate::error::AppError;
    use crate::platform::state::AppState;

    /// The emails of `owners`.
    pub async fn emails(
        state: &AppState,
        owners: impl IntoIterator<Item = Uuid>,
    ) -> Result<HashMap<Uuid, String>, AppError> {
        Ok(user::Entity::find()
            .filter(user::Column::Id.is_in(owners))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.email))
            .collect())
    }

    pub fn row(chat: &chat::Model, emails: &HashMap<Uuid, String>) -> AdminChatRow {
        AdminChatRow {
            id: chat.id.to_string(),
            title: chat.title.clone(),
            owner_email: emails.get(&chat.owner_id).cloned().unwrap_or_default(),
            model_id: chat.model_id.clone(),
            updated_at: chat
                .updated_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }

    /// Every message in reading order, each marked with its place among its
    /// siblings and whether it is on the branch the owner shows.
    pub fn tree_rows(
        chat: &chat::Model,
        messages: &[chat_message::Model],
    ) -> Vec<AdminChatMessage> {
        let shown: HashSet<Uuid> = chat
            .current_leaf_id
            .map(|leaf| path_to(messages, leaf).iter().map(|m| m.id).collect())
            .unwrap_or_default();
        reading_order(messages)
            .into_iter()
            .map(|(depth, m)| {
                let siblings: Vec<Uuid> = messages
                    .iter()
                    .filter(|s| s.parent_id == m.parent_id)
                    .map(|s| s.id)
                    .collect();
                AdminChatMessage {
                    id: m.id.to_string(),
                    parent_id: m.parent_id.map(|p| p.to_string()),
                    depth: depth as u32,
                    role: m.role.clone(),
                    content: m.content.clone(),
                    status: m.status.clone(),
                    position: siblings
                        .iter()
                        .position(|s| *s == m.id)
                        .map_or(1, |i| i + 1) as u32,
                    siblings: siblings.len() as u32,
                    shown: shown.contains(&m.id),
                    created_at: m
                        .created_at
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                }
            })
            .collect()
    }
}
