//! One agent turn, run in the background so that it goes on when the browser
//! leaves: the provider's stream is written to the reply as numbered deltas
//! (flushed every 100 ms or 2 KB), each flush waking this process's readers.
//! Stop (here, or seen in the database when it was pressed on another
//! replica) drops the provider's stream, which closes its HTTP request, and
//! keeps what was written; a provider failure keeps it too, with the reason.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use tokio::sync::oneshot;
use uuid::Uuid;

use super::view::status;
use crate::catalog::ProviderId;
use crate::entities::{chat_delta, chat_message};
use crate::error::AppError;
use crate::generation::provider::{ChatMessage, ChatProvider, ProviderError, ProviderErrorKind};
use crate::platform::state::AppState;

/// What the agent is told about its job and its answer's shape.
pub const SYSTEM_PROMPT: &str = "You are Framewright's creative agent. You help people turn ideas into images.\n\
First think inside <think>…</think>, one line each: belief_prompt: (the image idea as you understand it), user_intention:, user_preference:, user_persona:.\n\
Then answer briefly in Markdown.\n\
Then propose up to 8 images: call the propose_images tool when you have it; otherwise write them as a JSON list inside <images>…</images>, each {\"title\": …, \"prompt\": …, \"aspect_ratio\": one of 1:1 2:3 3:2 3:4 4:3 4:5 5:4 9:16 16:9 21:9}.";

/// How often buffered text is written.
const FLUSH_EVERY: Duration = Duration::from_millis(100);
/// Buffered text beyond this is written at once.
const FLUSH_BYTES: usize = 2048;
/// How often the runner looks for a Stop pressed on another replica.
const LOOK_EVERY: Duration = Duration::from_millis(500);
/// A silent model still has its reply touched this often, so readers can
/// tell a slow model from a runner that died.
const HEARTBEAT: Duration = Duration::from_secs(10);

/// The most history sent to the agent, in characters (oldest dropped first).
pub const HISTORY_BUDGET: usize = 24_000;

/// A reply ready to run.
pub struct Turn {
    pub message_id: Uuid,
    pub provider: Arc<dyn ChatProvider>,
    /// The model name the provider is asked for.
    pub provider_model: String,
    pub history: Vec<ChatMessage>,
}

/// The client and model name that run chat model `model_id`, or why not.
pub async fn chat_client(
    state: &AppState,
    model_id: &str,
) -> Result<(Arc<dyn ChatProvider>, String), AppError> {
    let entry =
        crate::generation::installed::usable_model(&state.db, &state.config.providers, model_id)
            .await?;
    let client =
        state
            .providers
            .chat_for(&entry.model)
            .ok_or_else(|| AppError::ModelUnavailable {
                model: entry.model.name.clone(),
            })?;
    let name = if entry.model.provider == ProviderId::OpenAi {
        state.providers.chat_model.clone()
    } else {
        entry.model.provider_model.clone()
    };
    Ok((client, name))
}

/// The agent's input for a reply to the last message of `path`: the system
/// prompt, then the branch (replies without their `<think>` block, each
/// person's message with its attached `images`), trimmed to
/// [`HISTORY_BUDGET`] from the oldest end; the last message always stays,
/// and the images of trimmed messages stay as references on the oldest kept
/// message.
pub fn history(
    path: &[chat_message::Model],
    images: &HashMap<Uuid, Vec<String>>,
) -> Vec<ChatMessage> {
    let mut messages: Vec<ChatMessage> = path
        .iter()
        .filter(|m| m.role == "user" || !m.content.trim().is_empty())
        .map(|m| ChatMessage {
            role: m.role.clone(),
            content: if m.role == "assistant" {
                without_think(&m.content)
            } else {
                m.content.clone()
            },
            images: if m.role == "user" {
                images.get(&m.id).cloned().unwrap_or_default()
            } else {
                Vec::new()
            },
        })
        .collect();
    let mut total: usize = messages.iter().map(|m| m.content.chars().count()).sum();
    let mut dropped_images = Vec::new();
    while total > HISTORY_BUDGET && messages.len() > 1 {
        let dropped = messages.remove(0);
        total -= dropped.content.chars().count();
        dropped_images.extend(dropped.images);
    }
    if !dropped_images.is_empty()
        && let Some(first) = messages.iter_mut().find(|m| m.role == "user")
    {
        dropped_images.append(&mut first.images);
        first.images = dropped_images;
    }
    messages.insert(
        0,
        ChatMessage {
            role: "system".into(),
            content: SYSTEM_PROMPT.into(),
            images: Vec::new(),
        },
    );
    messages
}

fn without_think(content: &str) -> String {
    let trimmed = content.trim_start();
    match trimmed
        .strip_prefix("<think>")
        .and_then(|r| r.split_once("</think>"))
    {
        Some((_, rest)) => rest.trim().to_string(),
        None => trimmed.to_string(),
    }
}

/// Starts `turn` in the background.
pub fn spawn(state: AppState, turn: Turn) {
    let stopped = state.chat_live.start(turn.message_id);
    tokio::spawn(async move {
        let id = turn.message_id;
        run(&state, turn, stopped).await;
        state.chat_live.finish(id);
        state.chat_live.changed(id);
    });
}

/// How a reply ended.
enum End {
    Done,
    Stopped,
    Failed(ProviderError),
    /// The reply was deleted (or ended elsewhere): nothing more to write.
    Gone,
}

/// The reply's text and what is not written yet.
struct Writer {
    id: Uuid,
    content: String,
    pending: String,
    seq: i32,
    last_write: Instant,
}

async fn run(state: &AppState, turn: Turn, mut stopped: oneshot::Receiver<()>) {
    let mut writer = Writer {
        id: turn.message_id,
        content: String::new(),
        pending: String::new(),
        seq: 0,
        last_write: Instant::now(),
    };
    let end = stream_into(state, &turn, &mut stopped, &mut writer).await;
    let (status, failure) = match end {
        End::Gone => return,
        End::Done => (status::DONE, None),
        End::Stopped => (status::STOPPED, None),
        End::Failed(error) => (status::FAILED, Some(error)),
    };
    if let Some(error) = &failure {
        tracing::warn!(chat.message = %writer.id, error.kind = ?error.kind, error = %error.message, "agent reply failed");
    }
    match finish(state, &mut writer, status, failure.as_ref()).await {
        Ok(true) if failure.is_some() => super::cost::ssr::refund_turn(state, writer.id).await,
        Ok(_) => {}
        Err(e) => {
            tracing::error!(chat.message = %writer.id, error = %e, "could not end an agent reply")
        }
    }
}

async fn stream_into(
    state: &AppState,
    turn: &Turn,
    stopped: &mut oneshot::Receiver<()>,
    writer: &mut Writer,
) -> End {
    let opened = tokio::select! {
        opened = turn.provider.stream_agent(&turn.provider_model, &turn.history) => opened,
        _ = &mut *stopped => return End::Stopped,
    };
    let mut stream = match opened {
        Ok(stream) => stream,
        Err(error) => return End::Failed(error),
    };
    let mut tick = tokio::time::interval(FLUSH_EVERY);
    let mut last_look = Instant::now();
    loop {
        tokio::select! {
            piece = stream.next() => match piece {
                Some(Ok(text)) => {
                    writer.pending.push_str(&text);
                    if writer.pending.len() >= FLUSH_BYTES
                        && let Some(end) = flush(state, writer).await
                    {
                        return end;
                    }
                }
                Some(Err(error)) => return End::Failed(error),
                None => return End::Done,
            },
            _ = tick.tick() => {
                let quiet = writer.last_write.elapsed();
                let due = (!writer.pending.is_empty() && quiet >= FLUSH_EVERY) || quiet >= HEARTBEAT;
                if due && let Some(end) = flush(state, writer).await {
                    return end;
                }
                if last_look.elapsed() >= LOOK_EVERY {
                    last_look = Instant::now();
                    match stop_requested(state, writer.id).await {
                        Ok(true) => return End::Stopped,
                        Ok(false) => {}
                        Err(e) => tracing::warn!(chat.message = %writer.id, error = %e, "could not look for a stop"),
                    }
                }
            }
            _ = &mut *stopped => return End::Stopped,
        }
    }
}

async fn stop_requested(state: &AppState, id: Uuid) -> Result<bool, sea_orm::DbErr> {
    let row = chat_message::Entity::find_by_id(id).one(&state.db).await?;
    Ok(row.is_none_or(|m| m.stop_requested_at.is_some() || m.status != status::STREAMING))
}

/// Writes what is pending as the next delta (or only touches the reply when
/// nothing is); `Some` ends the turn (the reply is gone, or the database failed).
async fn flush(state: &AppState, writer: &mut Writer) -> Option<End> {
    match write(state, writer, None, None).await {
        Ok(true) => None,
        Ok(false) => Some(End::Gone),
        Err(e) => Some(End::Failed(ProviderError::new(
            ProviderErrorKind::Unknown,
            format!("could not store the reply: {e}"),
        ))),
    }
}

async fn finish(
    state: &AppState,
    writer: &mut Writer,
    status: &str,
    failure: Option<&ProviderError>,
) -> Result<bool, sea_orm::DbErr> {
    write(state, writer, Some(status), failure).await
}

/// One transaction: the pending text as the next delta, the reply's text,
/// number and (when ending) status. False when the reply no longer streams.
async fn write(
    state: &AppState,
    writer: &mut Writer,
    end: Option<&str>,
    failure: Option<&ProviderError>,
) -> Result<bool, sea_orm::DbErr> {
    let now = state.clock.now();
    let has_text = !writer.pending.is_empty();
    let seq = if has_text { writer.seq + 1 } else { writer.seq };
    let content = format!("{}{}", writer.content, writer.pending);
    let txn = state.db.begin().await?;
    let mut update = chat_message::Entity::update_many()
        .col_expr(chat_message::Column::Content, Expr::value(content.clone()))
        .col_expr(chat_message::Column::LastSeq, Expr::value(seq))
        .col_expr(chat_message::Column::UpdatedAt, Expr::value(now))
        .filter(chat_message::Column::Id.eq(writer.id))
        .filter(chat_message::Column::Status.eq(status::STREAMING));
    if let Some(end) = end {
        update = update.col_expr(chat_message::Column::Status, Expr::value(end));
    }
    if let Some(error) = failure {
        let kind = serde_json::to_value(error.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "unknown".into());
        update = update
            .col_expr(chat_message::Column::ErrorKind, Expr::value(kind))
            .col_expr(
                chat_message::Column::ErrorMessage,
                Expr::value(error.message.chars().take(1000).collect::<String>()),
            );
    }
    let updated = update.exec(&txn).await?;
    if updated.rows_affected == 0 {
        txn.rollback().await?;
        return Ok(false);
    }
    if has_text {
        chat_delta::ActiveModel {
            message_id: Set(writer.id),
            seq: Set(seq),
            text: Set(writer.pending.clone()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    writer.content = content;
    writer.pending.clear();
    writer.seq = seq;
    writer.last_write = Instant::now();
    if has_text || end.is_some() {
        state.chat_live.changed(writer.id);
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(role: &str, content: &str) -> chat_message::Model {
        let now = chrono::Utc::now();
        chat_message::Model {
            id: Uuid::now_v7(),
            chat_id: Uuid::nil(),
            parent_id: None,
            role: role.into(),
            content: content.into(),
            status: status::DONE.into(),
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
    fn history_drops_think_blocks_and_the_oldest_beyond_the_budget() {
        let long = "x".repeat(HISTORY_BUDGET - 10);
        let path = vec![
            message("user", &long),
            message("assistant", "<think>secret</think>Here you go"),
            message("user", "more please"),
        ];
        let images = HashMap::from([
            (path[0].id, vec!["data:image/png;base64,AAAA".to_string()]),
            (path[2].id, vec!["https://example.com/b.png".to_string()]),
        ]);
        let history = history(&path, &images);
        assert_eq!(history[0].role, "system");
        assert_eq!(history.len(), 3, "the oldest message went: {history:?}");
        assert_eq!(history[1].content, "Here you go");
        assert!(history[1].images.is_empty(), "replies carry no images");
        assert_eq!(history[2].content, "more please");
        // The trimmed message's image stays, as a reference, before the kept one's.
        assert_eq!(
            history[2].images,
            ["data:image/png;base64,AAAA", "https://example.com/b.png"]
        );
    }
}
