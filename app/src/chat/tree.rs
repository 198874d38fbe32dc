//! Server side of the message tree: finding the caller's chats and messages
//! (someone else's is 404, the same as a missing one), walking a branch, and
//! building the views.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::view::{ChatFailure, ChatImage, ChatSummary, ChatView, MessageView};
use crate::entities::{chat, chat_image, chat_message};
use crate::error::AppError;
use crate::platform::state::AppState;

/// The caller's chat `id`; 404 when it is missing, malformed or someone else's.
pub async fn owned_chat(
    db: &impl ConnectionTrait,
    owner: Uuid,
    id: &str,
) -> Result<chat::Model, AppError> {
    let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
    chat::Entity::find_by_id(id)
        .filter(chat::Column::OwnerId.eq(owner))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A message of one of the caller's chats, with its chat; 404 otherwise.
pub async fn owned_message(
    db: &impl ConnectionTrait,
    owner: Uuid,
    id: &str,
) -> Result<(chat::Model, chat_message::Model), AppError> {
    let id: Uuid = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let message = chat_message::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let chat = owned_chat(db, owner, &message.chat_id.to_string()).await?;
    Ok((chat, message))
}

/// Every message of a chat, oldest first.
pub async fn all_messages(
    db: &impl ConnectionTrait,
    chat_id: Uuid,
) -> Result<Vec<chat_message::Model>, AppError> {
    Ok(chat_message::Entity::find()
        .filter(chat_message::Column::ChatId.eq(chat_id))
        .order_by_asc(chat_message::Column::CreatedAt)
        .order_by_asc(chat_message::Column::Id)
        .all(db)
        .await?)
}

/// The messages from the first one down to `leaf`, in order.
pub fn path_to(messages: &[chat_message::Model], leaf: Uuid) -> Vec<chat_message::Model> {
    let by_id: HashMap<Uuid, &chat_message::Model> = messages.iter().map(|m| (m.id, m)).collect();
    let mut path = Vec::new();
    let mut next = Some(leaf);
    while let Some(id) = next {
        let Some(message) = by_id.get(&id) else { break };
        path.push((*message).clone());
        next = message.parent_id;
        if path.len() > messages.len() {
            break;
        }
    }
    path.reverse();
    path
}

/// Every message with its depth, in reading order: each message, then its
/// children (oldest first) with theirs, so each branch reads top to bottom.
pub fn reading_order(messages: &[chat_message::Model]) -> Vec<(usize, &chat_message::Model)> {
    let mut order = Vec::with_capacity(messages.len());
    // Children pushed newest first, so the oldest is taken first.
    let mut stack: Vec<(usize, &chat_message::Model)> = messages
        .iter()
        .rev()
        .filter(|m| {
            m.parent_id
                .is_none_or(|p| !messages.iter().any(|o| o.id == p))
        })
        .map(|m| (0, m))
        .collect();
    while let Some((depth, message)) = stack.pop() {
        order.push((depth, message));
        if order.len() > messages.len() {
            break;
        }
        stack.extend(
            messages
                .iter()
                .rev()
                .filter(|c| c.parent_id == Some(message.id))
                .map(|c| (depth + 1, c)),
        );
    }
    order
}

/// The leaf reached from `from` by always taking the newest child.
pub fn newest_leaf(messages: &[chat_message::Model], from: Uuid) -> Uuid {
    let mut current = from;
    // Oldest first, so the last child found is the newest.
    while let Some(child) = messages.iter().rfind(|m| m.parent_id == Some(current)) {
        current = child.id;
    }
    current
}

/// The chat as the sidebar shows it.
pub fn summary(chat: &chat::Model) -> ChatSummary {
    ChatSummary {
        id: chat.id.to_string(),
        title: chat.title.clone(),
        model_id: chat.model_id.clone(),
        auto_generate: chat.auto_generate,
        updated_at: chat.updated_at.to_rfc3339(),
    }
}

/// A title proposed from a first message: its first line, cut at a word
/// near 60 characters.
pub fn propose_title(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let mut title = String::new();
    for word in line.split_whitespace() {
        if title.chars().count() + word.chars().count() > 60 && !title.is_empty() {
            title.push('…');
            break;
        }
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(word);
    }
    title.chars().take(super::view::MAX_TITLE).collect()
}

/// The chat with its shown branch.
pub async fn chat_view(state: &AppState, chat: &chat::Model) -> Result<ChatView, AppError> {
    let db = &state.db;
    let messages = all_messages(db, chat.id).await?;
    let leaf = chat
        .current_leaf_id
        .filter(|id| messages.iter().any(|m| m.id == *id))
        .or_else(|| messages.last().map(|m| m.id));
    let path = leaf.map(|l| path_to(&messages, l)).unwrap_or_default();
    let images = chat_image::Entity::find()
        .filter(chat_image::Column::MessageId.is_in(path.iter().map(|m| m.id)))
        .order_by_asc(chat_image::Column::CreatedAt)
        .all(db)
        .await?;
    let attachments = super::attachments::ssr::of_messages(db, path.iter().map(|m| m.id)).await?;
    let mut attachments = super::attachments::ssr::views(state, &attachments).await?;
    let forked_from = match chat.forked_from_chat_id {
        Some(id) => chat::Entity::find_by_id(id)
            .filter(chat::Column::OwnerId.eq(chat.owner_id))
            .one(db)
            .await?
            .map(|c| c.id.to_string()),
        None => None,
    };
    let views = path
        .iter()
        .map(|m| MessageView {
            id: m.id.to_string(),
            parent_id: m.parent_id.map(|p| p.to_string()),
            role: m.role.clone(),
            content: m.content.clone(),
            status: m.status.clone(),
            model_id: m.model_id.clone(),
            last_seq: m.last_seq,
            failure: m.error_kind.as_ref().map(|kind| ChatFailure {
                kind: kind.clone(),
                detail: m.error_message.clone().unwrap_or_default(),
            }),
            sibling_ids: messages
                .iter()
                .filter(|s| s.parent_id == m.parent_id)
                .map(|s| s.id.to_string())
                .collect(),
            images: images
                .iter()
                .filter(|i| i.message_id == m.id)
                .map(|i| ChatImage {
                    suggestion_index: i.suggestion_index.max(0) as u32,
                    job_id: i.job_id.to_string(),
                    compare_group: i.compare_group.map(|g| g.to_string()),
                })
                .collect(),
            attachments: attachments.remove(&m.id).unwrap_or_default(),
        })
        .collect();
    Ok(ChatView {
        chat: summary(chat),
        forked_from,
        messages: views,
        busy: messages
            .iter()
            .any(|m| m.status == super::view::status::STREAMING),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(parent: Option<Uuid>, content: &str) -> chat_message::Model {
        let now = chrono::Utc::now();
        chat_message::Model {
            id: Uuid::now_v7(),
            chat_id: Uuid::nil(),
            parent_id: parent,
            role: "user".into(),
            content: content.into(),
            status: "done".into(),
            model_id: "local-chat".into(),
            last_seq: 0,
            error_kind: None,
            error_message: None,
            stop_requested_at: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn every_branch_reads_top_to_bottom_oldest_first() {
        let q = message(None, "q");
        let a1 = message(Some(q.id), "a1");
        let a2 = message(Some(q.id), "a2");
        let q2 = message(Some(a1.id), "q2");
        let edited = message(None, "q edited");
        let messages = vec![q, a1, a2, q2, edited];
        let order: Vec<(usize, &str)> = reading_order(&messages)
            .into_iter()
            .map(|(d, m)| (d, m.content.as_str()))
            .collect();
        assert_eq!(
            order,
            [(0, "q"), (1, "a1"), (2, "q2"), (1, "a2"), (0, "q edited")]
        );
    }

    #[test]
    fn titles_come_from_the_first_line_cut_at_a_word() {
        assert_eq!(
            propose_title("\n  A lighthouse in a storm\nmore"),
            "A lighthouse in a storm"
        );
        let long = "word ".repeat(40);
        let title = propose_title(&long);
        assert!(
            title.ends_with('…') && title.chars().count() <= 62,
            "{title}"
        );
    }
}
