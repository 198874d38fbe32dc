//! Turn server functions: send a message (a new one, or an edit as a sibling
//! of the edited one; one or several replies at once), regenerate a reply
//! (a sibling) and stop a reply. A reply runs in the background
//! ([`super::runner`]); the browser follows it on `/events/chat/{id}`.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::view::{ChatView, MAX_VARIANTS};
use crate::error::AppError;

/// Sends `text` after `parent_id` (a reply of this chat, or none to start
/// it), with `attachments` (up to [`super::view::MAX_ATTACHMENTS`] images the caller may
/// see, by media id); the agent's replies start streaming: `variants` of
/// them (1 to [`MAX_VARIANTS`], 1 when absent), written side by side as
/// siblings, the first one shown. Editing a message is sending the new text
/// after the same parent, which makes a sibling branch.
#[server(prefix = "/api", endpoint = "chats/send", input = Json)]
pub async fn send_message(
    chat_id: String,
    parent_id: Option<String>,
    text: String,
    variants: Option<u32>,
    attachments: Option<Vec<String>>,
) -> Result<ChatView, AppError> {
    let (state, owner) = super::chats::ssr::context()?;
    let chat = super::tree::owned_chat(&state.db, owner, &chat_id).await?;
    let text = ssr::message_text(&text)?;
    let variants = check_variants(variants.unwrap_or(1))?;
    let actor = crate::assets::access::Actor::of(&crate::auth::current::require_approved()?);
    let attachments =
        super::attachments::ssr::usable(&state, &actor, attachments.as_deref().unwrap_or_default())
            .await?;
    ssr::affordable(&state, &chat, variants).await?;
    ssr::rate_limit(&state, owner).await?;
    let messages = super::tree::all_messages(&state.db, chat.id).await?;
    let parent = match parent_id
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => None,
        Some(id) => {
            let parent = messages
                .iter()
                .find(|m| m.id.to_string() == id)
                .ok_or_else(|| AppError::invalid("parent_id", "error-reason-unknown-message"))?;
            if parent.role != "assistant" {
                return Err(AppError::invalid("parent_id", "error-reason-not-a-reply"));
            }
            Some(parent.id)
        }
    };
    ssr::not_busy(&messages)?;
    let mut path = parent
        .map(|p| super::tree::path_to(&messages, p))
        .unwrap_or_default();
    let message = ssr::NewMessage { text, attachments };
    let turns = ssr::start_turn(&state, &chat, parent, Some(message), variants, &mut path).await?;
    let chat = ssr::reload(&state, chat.id).await?;
    for turn in turns {
        super::runner::spawn(state.clone(), turn);
    }
    super::tree::chat_view(&state, &chat).await
}

/// How many replies one message may ask for at once, checked (1 to
/// [`MAX_VARIANTS`]); the browser makes the same check before sending.
pub fn check_variants(variants: u32) -> Result<u32, AppError> {
    if (1..=MAX_VARIANTS).contains(&variants) {
        Ok(variants)
    } else {
        Err(AppError::invalid("variants", "error-reason-variants-range"))
    }
}

/// Writes another reply to the same message as `message_id` (a reply), as a
/// sibling branch.
#[server(prefix = "/api", endpoint = "chats/regenerate", input = Json)]
pub async fn regenerate_reply(message_id: String) -> Result<ChatView, AppError> {
    let (state, owner) = super::chats::ssr::context()?;
    let (chat, message) = super::tree::owned_message(&state.db, owner, &message_id).await?;
    if message.role != "assistant" {
        return Err(AppError::invalid("message_id", "error-reason-not-a-reply"));
    }
    ssr::affordable(&state, &chat, 1).await?;
    ssr::rate_limit(&state, owner).await?;
    let messages = super::tree::all_messages(&state.db, chat.id).await?;
    ssr::not_busy(&messages)?;
    let parent = message.parent_id.ok_or(AppError::NotFound)?;
    let mut path = super::tree::path_to(&messages, parent);
    let turns = ssr::start_turn(&state, &chat, Some(parent), None, 1, &mut path).await?;
    let chat = ssr::reload(&state, chat.id).await?;
    for turn in turns {
        super::runner::spawn(state.clone(), turn);
    }
    super::tree::chat_view(&state, &chat).await
}

/// Stops a reply being written, with the variants written beside it (its
/// streaming siblings): the model's requests are dropped and what was
/// written stays, marked stopped.
#[server(prefix = "/api", endpoint = "chats/stop", input = Json)]
pub async fn stop_reply(message_id: String) -> Result<ChatView, AppError> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    use super::view::status;
    use crate::entities::chat_message;

    let (state, owner) = super::chats::ssr::context()?;
    let (chat, message) = super::tree::owned_message(&state.db, owner, &message_id).await?;
    let messages = super::tree::all_messages(&state.db, chat.id).await?;
    // The reply and the variants written beside it (which may go on after it ended).
    let stopping: Vec<uuid::Uuid> = messages
        .iter()
        .filter(|m| m.parent_id == message.parent_id && m.role == "assistant")
        .filter(|m| m.status == status::STREAMING)
        .map(|m| m.id)
        .collect();
    if !stopping.is_empty() {
        chat_message::Entity::update_many()
            .col_expr(
                chat_message::Column::StopRequestedAt,
                Expr::value(state.clock.now()),
            )
            .filter(chat_message::Column::Id.is_in(stopping.clone()))
            .exec(&state.db)
            .await?;
        for id in &stopping {
            state.chat_live.stop(*id);
        }
        // The runners (here or on another replica) end them within a moment.
        for _ in 0..60 {
            let still = chat_message::Entity::find()
                .filter(chat_message::Column::Id.is_in(stopping.clone()))
                .filter(chat_message::Column::Status.eq(status::STREAMING))
                .all(&state.db)
                .await?;
            if still.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    let chat = ssr::reload(&state, chat.id).await?;
    super::tree::chat_view(&state, &chat).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use sea_orm::{ActiveModelTrait, EntityTrait, Set, TransactionTrait};
    use uuid::Uuid;

    use super::super::attachments::ssr as attachments;
    use super::super::runner::{self, Turn};
    use super::super::view::{MAX_MESSAGE, status};
    use crate::credits::ledger;
    use crate::entities::{chat, chat_message};
    use crate::error::AppError;
    use crate::platform::rate_limit::{self, Limit};
    use crate::platform::state::AppState;

    /// A person's message to store: its text and attached images.
    pub struct NewMessage {
        pub text: String,
        pub attachments: Vec<crate::entities::media::Model>,
    }

    /// Messages one account may send per minute.
    const MESSAGES_PER_MINUTE: i32 = 20;

    /// A message's text, checked: not blank, at most [`MAX_MESSAGE`] characters.
    pub fn message_text(text: &str) -> Result<String, AppError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AppError::invalid("message", "error-reason-required"));
        }
        if text.chars().count() > MAX_MESSAGE {
            return Err(AppError::invalid("message", "error-reason-too-long"));
        }
        Ok(text.to_string())
    }

    /// Counts a turn against the account's per-minute allowance (429 beyond).
    pub async fn rate_limit(state: &AppState, owner: Uuid) -> Result<(), AppError> {
        rate_limit::enforce(
            &state.db,
            &format!("chat-turn:{owner}"),
            Limit {
                max: MESSAGES_PER_MINUTE,
                window: chrono::Duration::minutes(1),
            },
            state.clock.now(),
        )
        .await
    }

    /// Refuses a message whose most cost (agent turns and auto-generated
    /// images) the caller's balance or daily cap cannot pay.
    pub async fn affordable(
        state: &AppState,
        chat: &chat::Model,
        variants: u32,
    ) -> Result<(), AppError> {
        let cost = super::super::cost::ssr::estimate(
            state,
            chat.owner_id,
            &chat.model_id,
            chat.auto_generate,
            variants,
        )
        .await?;
        super::super::cost::ssr::refuse_unaffordable(&cost)
    }

    /// One reply at a time per chat.
    pub fn not_busy(messages: &[chat_message::Model]) -> Result<(), AppError> {
        if messages.iter().any(|m| m.status == status::STREAMING) {
            return Err(AppError::Conflict {
                what: "chat_busy".into(),
            });
        }
        Ok(())
    }

    pub async fn reload(state: &AppState, id: Uuid) -> Result<chat::Model, AppError> {
        chat::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Stores the person's message (when there is one) under `parent` and
    /// `variants` empty streaming replies under it, shows the first one's
    /// branch, and returns the turns to run. `path` is the branch down to
    /// `parent`; the model is checked before anything is stored.
    pub async fn start_turn(
        state: &AppState,
        chat: &chat::Model,
        parent: Option<Uuid>,
        message: Option<NewMessage>,
        variants: u32,
        path: &mut Vec<chat_message::Model>,
    ) -> Result<Vec<Turn>, AppError> {
        let (provider, provider_model) = runner::chat_client(state, &chat.model_id).await?;
        let price = super::super::cost::ssr::agent_price(state, &chat.model_id).await?;
        let now = state.clock.now();
        let txn = state.db.begin().await?;
        let mut reply_parent = parent;
        let mut title = None;
        if let Some(NewMessage { text, attachments }) = message {
            let message = chat_message::ActiveModel {
                id: Set(Uuid::now_v7()),
                chat_id: Set(chat.id),
                parent_id: Set(parent),
                role: Set("user".into()),
                content: Set(text.clone()),
                status: Set(status::DONE.into()),
                model_id: Set(chat.model_id.clone()),
                last_seq: Set(0),
                error_kind: Set(None),
                error_message: Set(None),
                stop_requested_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
            attachments::store(&txn, message.id, &attachments, now).await?;
            reply_parent = Some(message.id);
            if chat.title.is_empty() {
                title = Some(super::super::tree::propose_title(&text));
            }
            path.push(message);
        }
        let mut replies = Vec::new();
        for _ in 0..variants.max(1) {
            let reply = chat_message::ActiveModel {
                id: Set(Uuid::now_v7()),
                chat_id: Set(chat.id),
                parent_id: Set(reply_parent),
                role: Set("assistant".into()),
                content: Set(String::new()),
                status: Set(status::STREAMING.into()),
                model_id: Set(chat.model_id.clone()),
                last_seq: Set(0),
                error_kind: Set(None),
                error_message: Set(None),
                stop_requested_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
            if price > 0 {
                // Inside the transaction: refused credits store nothing.
                ledger::charge_for(
                    &txn,
                    chat.owner_id,
                    &super::super::cost::ssr::turn_charge(reply.id),
                    price,
                    &format!("chat-turn:{}", reply.id),
                    "Chat reply",
                    now,
                )
                .await?;
            }
            replies.push(reply.id);
        }
        let attached = attachments::of_messages(&txn, path.iter().map(|m| m.id)).await?;
        let mut update: chat::ActiveModel = chat.clone().into();
        update.current_leaf_id = Set(replies.first().copied());
        update.updated_at = Set(now);
        if let Some(title) = title {
            update.title = Set(title);
        }
        update.update(&txn).await?;
        txn.commit().await?;
        tracing::info!(chat.id = %chat.id, chat.variants = replies.len(), chat.model = %chat.model_id, "agent replies started");
        let images = attachments::for_agent(state, &attached).await;
        let history = runner::history(path, &images);
        Ok(replies
            .into_iter()
            .map(|message_id| Turn {
                message_id,
                provider: provider.clone(),
                provider_model: provider_model.clone(),
                history: history.clone(),
            })
            .collect())
    }
}
