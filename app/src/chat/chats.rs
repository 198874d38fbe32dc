//! Chat server functions: the sidebar (newest first, paged, searched by
//! title and message text), new, open, rename, delete, and which branch is shown.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::view::{ChatList, ChatSummary, ChatView};
use crate::error::AppError;

/// The caller's chats, most recently active first; `query` finds words in
/// titles and in messages.
#[server(prefix = "/api", endpoint = "chats/list", input = Json)]
pub async fn list_chats(query: String, page: u64) -> Result<ChatList, AppError> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

    use crate::entities::{chat, chat_message};
    use crate::platform::query::{contains_text, page_number, search_text};

    let (state, owner) = ssr::context()?;
    let page = page_number(page)?;
    let mut select = chat::Entity::find().filter(chat::Column::OwnerId.eq(owner));
    if let Some(text) = search_text("query", &query)? {
        let in_messages = Query::select()
            .column(chat_message::Column::ChatId)
            .from(chat_message::Entity)
            .and_where(contains_text(chat_message::Column::Content, &text))
            .to_owned();
        select = select.filter(
            Condition::any()
                .add(contains_text(chat::Column::Title, &text))
                .add(Expr::col(chat::Column::Id).in_subquery(in_messages)),
        );
    }
    let paginator = select
        .order_by_desc(chat::Column::UpdatedAt)
        .order_by_desc(chat::Column::Id)
        .paginate(&state.db, super::view::PAGE_SIZE);
    let pages = paginator.num_pages().await?;
    let chats = paginator
        .fetch_page(page)
        .await?
        .iter()
        .map(super::tree::summary)
        .collect();
    Ok(ChatList { chats, page, pages })
}

/// Starts an empty chat with `model_id` (a chat model; the first usable one when empty).
#[server(prefix = "/api", endpoint = "chats/create", input = Json)]
pub async fn create_chat(model_id: String) -> Result<ChatSummary, AppError> {
    use sea_orm::{ActiveModelTrait, Set};

    use crate::entities::chat;

    let (state, owner) = ssr::context()?;
    let model = ssr::chat_model(&state, &model_id).await?;
    let now = state.clock.now();
    let row = chat::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        owner_id: Set(owner),
        title: Set(String::new()),
        model_id: Set(model),
        current_leaf_id: Set(None),
        forked_from_chat_id: Set(None),
        forked_from_message_id: Set(None),
        auto_generate: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&state.db)
    .await?;
    tracing::info!(user.id = %owner, chat.id = %row.id, "chat created");
    Ok(super::tree::summary(&row))
}

/// One of the caller's chats with the branch it shows.
#[server(prefix = "/api", endpoint = "chats/get", input = Json)]
pub async fn get_chat(chat_id: String) -> Result<ChatView, AppError> {
    let (state, owner) = ssr::context()?;
    let chat = super::tree::owned_chat(&state.db, owner, &chat_id).await?;
    super::tree::chat_view(&state, &chat).await
}

/// Renames a chat (1 to 120 characters).
#[server(prefix = "/api", endpoint = "chats/rename", input = Json)]
pub async fn rename_chat(chat_id: String, title: String) -> Result<ChatSummary, AppError> {
    use sea_orm::{ActiveModelTrait, Set};

    let (state, owner) = ssr::context()?;
    let chat = super::tree::owned_chat(&state.db, owner, &chat_id).await?;
    let title = title.trim();
    if title.is_empty() {
        return Err(AppError::invalid("title", "error-reason-required"));
    }
    if title.chars().count() > super::view::MAX_TITLE {
        return Err(AppError::invalid("title", "error-reason-too-long"));
    }
    let mut update: crate::entities::chat::ActiveModel = chat.into();
    update.title = Set(title.to_string());
    let chat = update.update(&state.db).await?;
    Ok(super::tree::summary(&chat))
}

/// Switches a chat's auto-generation on or off: when on, each suggestion
/// card is generated (with the first image model on offer) as soon as it is
/// complete, and the composer counts those images in a message's cost.
#[server(prefix = "/api", endpoint = "chats/auto-generate", input = Json)]
pub async fn set_auto_generate(chat_id: String, on: bool) -> Result<ChatSummary, AppError> {
    use sea_orm::{ActiveModelTrait, Set};

    let (state, owner) = ssr::context()?;
    let chat = super::tree::owned_chat(&state.db, owner, &chat_id).await?;
    let mut update: crate::entities::chat::ActiveModel = chat.into();
    update.auto_generate = Set(on);
    let chat = update.update(&state.db).await?;
    Ok(super::tree::summary(&chat))
}

/// Deletes a chat with all its messages (a reply still being written is stopped).
#[server(prefix = "/api", endpoint = "chats/delete", input = Json)]
pub async fn delete_chat(chat_id: String) -> Result<(), AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    use crate::entities::{chat, chat_message};

    let (state, owner) = ssr::context()?;
    let chat = super::tree::owned_chat(&state.db, owner, &chat_id).await?;
    let streaming = chat_message::Entity::find()
        .filter(chat_message::Column::ChatId.eq(chat.id))
        .filter(chat_message::Column::Status.eq(super::view::status::STREAMING))
        .all(&state.db)
        .await?;
    for message in &streaming {
        state.chat_live.stop(message.id);
    }
    chat::Entity::delete_by_id(chat.id).exec(&state.db).await?;
    tracing::info!(user.id = %owner, chat.id = %chat.id, "chat deleted");
    Ok(())
}

/// Shows the branch through `message_id` (down to its newest leaf) and
/// remembers the choice.
#[server(prefix = "/api", endpoint = "chats/select", input = Json)]
pub async fn select_message(message_id: String) -> Result<ChatView, AppError> {
    use sea_orm::{ActiveModelTrait, Set};

    let (state, owner) = ssr::context()?;
    let (chat, message) = super::tree::owned_message(&state.db, owner, &message_id).await?;
    let messages = super::tree::all_messages(&state.db, chat.id).await?;
    let leaf = super::tree::newest_leaf(&messages, message.id);
    let mut update: crate::entities::chat::ActiveModel = chat.into();
    update.current_leaf_id = Set(Some(leaf));
    let chat = update.update(&state.db).await?;
    super::tree::chat_view(&state, &chat).await
}

#[cfg(feature = "ssr")]
pub(super) mod ssr {
    use uuid::Uuid;

    use crate::catalog::ModelKind;
    use crate::error::AppError;
    use crate::platform::state::AppState;

    /// The state and the approved caller of a chat server function.
    pub fn context() -> Result<(AppState, Uuid), AppError> {
        let session = crate::auth::current::require_approved()?;
        let state = leptos::prelude::expect_context::<AppState>();
        Ok((state, session.user_id))
    }

    /// `model_id` when it is a usable chat model; the first usable one when empty.
    pub async fn chat_model(state: &AppState, model_id: &str) -> Result<String, AppError> {
        let model_id = model_id.trim();
        if model_id.is_empty() {
            let catalog =
                crate::generation::installed::catalog(&state.db, &state.config.providers).await?;
            return catalog
                .into_iter()
                .find(|e| e.model.kind == ModelKind::Chat && e.usable())
                .map(|e| e.model.id)
                .ok_or_else(|| AppError::ModelUnavailable {
                    model: "chat".into(),
                });
        }
        let entry = crate::generation::installed::usable_model(
            &state.db,
            &state.config.providers,
            model_id,
        )
        .await?;
        if entry.model.kind != ModelKind::Chat {
            return Err(AppError::invalid(
                "model_id",
                "error-reason-not-a-chat-model",
            ));
        }
        Ok(entry.model.id)
    }
}
