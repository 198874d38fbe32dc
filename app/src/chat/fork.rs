//! Forking: a new chat holding the path from the first message down to any
//! message (with its attachments), linked back to its source.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::view::ChatSummary;
use crate::error::AppError;

/// A new chat holding the branch from the first message down to
/// `message_id`, linked back to its source.
#[server(prefix = "/api", endpoint = "chats/fork", input = Json)]
pub async fn fork_chat(message_id: String) -> Result<ChatSummary, AppError> {
    use std::collections::HashMap;

    use sea_orm::{ActiveModelTrait, Set, TransactionTrait};

    use super::view::status;
    use crate::entities::{chat, chat_attachment, chat_message};

    let (state, owner) = super::chats::ssr::context()?;
    let (source, message) = super::tree::owned_message(&state.db, owner, &message_id).await?;
    let messages = super::tree::all_messages(&state.db, source.id).await?;
    let path = super::tree::path_to(&messages, message.id);
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let fork = chat::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        owner_id: Set(owner),
        title: Set(source.title.clone()),
        model_id: Set(source.model_id.clone()),
        current_leaf_id: Set(None),
        forked_from_chat_id: Set(Some(source.id)),
        forked_from_message_id: Set(Some(message.id)),
        auto_generate: Set(source.auto_generate),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let mut new_ids: HashMap<uuid::Uuid, uuid::Uuid> = HashMap::new();
    let mut leaf = None;
    for m in &path {
        let id = uuid::Uuid::now_v7();
        new_ids.insert(m.id, id);
        chat_message::ActiveModel {
            id: Set(id),
            chat_id: Set(fork.id),
            parent_id: Set(m.parent_id.and_then(|p| new_ids.get(&p).copied())),
            role: Set(m.role.clone()),
            content: Set(m.content.clone()),
            // A reply still being written is copied as far as it got.
            status: Set(if m.status == status::STREAMING {
                status::STOPPED.to_string()
            } else {
                m.status.clone()
            }),
            model_id: Set(m.model_id.clone()),
            last_seq: Set(0),
            error_kind: Set(m.error_kind.clone()),
            error_message: Set(m.error_message.clone()),
            stop_requested_at: Set(None),
            created_at: Set(m.created_at),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        for attached in super::attachments::ssr::of_messages(&txn, [m.id]).await? {
            chat_attachment::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                message_id: Set(id),
                media_id: Set(attached.media_id),
                position: Set(attached.position),
                created_at: Set(attached.created_at),
            }
            .insert(&txn)
            .await?;
        }
        leaf = Some(id);
    }
    let mut update: chat::ActiveModel = fork.into();
    update.current_leaf_id = Set(leaf);
    let fork = update.update(&txn).await?;
    txn.commit().await?;
    tracing::info!(user.id = %owner, chat.id = %fork.id, chat.source = %source.id, "chat forked");
    Ok(super::tree::summary(&fork))
}
