//! Reading a reply as it streams, for `GET /events/chat/{message}`: first
//! every delta after the reader's last event id, from the database, then each
//! new one as it is written, then the end with the reply's status. New deltas
//! are noticed at once when the reply runs in this process and by polling
//! the database otherwise (another replica), so a reader may be served by
//! any replica. A reply whose runner stopped writing long ago (the process
//! died) is ended here as failed, so no reader waits for ever.

use std::collections::VecDeque;
use std::time::Duration;

use futures::Stream;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::view::{ChatFailure, status};
use crate::entities::{chat_delta, chat_message};
use crate::platform::state::AppState;

/// How often a reader polls when nothing wakes it (another replica writes).
const POLL: Duration = Duration::from_millis(250);
/// Deltas read at once.
const BATCH: u64 = 500;
/// A streaming reply untouched this long has lost its runner.
pub const STALE_AFTER: chrono::Duration = chrono::Duration::seconds(60);

/// What a reader receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplyEvent {
    /// The next piece of text; `seq` is its event id.
    Delta { seq: i32, text: String },
    /// The reply ended (`done`, `stopped` or `failed`).
    End {
        status: String,
        failure: Option<ChatFailure>,
    },
}

struct Reader {
    state: AppState,
    id: Uuid,
    after: i32,
    queue: VecDeque<ReplyEvent>,
    wake: tokio::sync::broadcast::Receiver<Uuid>,
    ended: bool,
}

/// The events of reply `id` after delta number `after`, ending with [`ReplyEvent::End`].
pub fn reply_events(state: AppState, id: Uuid, after: i32) -> impl Stream<Item = ReplyEvent> {
    // Subscribe before the first read: a write in between wakes the reader.
    let wake = state.chat_live.subscribe();
    let reader = Reader {
        state,
        id,
        after,
        queue: VecDeque::new(),
        wake,
        ended: false,
    };
    futures::stream::unfold(reader, |mut reader| async move {
        loop {
            if let Some(event) = reader.queue.pop_front() {
                return Some((event, reader));
            }
            if reader.ended {
                return None;
            }
            if let Err(e) = reader.read().await {
                tracing::warn!(chat.message = %reader.id, error = %e, "could not read a reply");
                tokio::time::sleep(POLL).await;
            }
        }
    })
}

impl Reader {
    /// Queues what is new, or waits for something to be.
    async fn read(&mut self) -> Result<(), sea_orm::DbErr> {
        // The row first: its status then covers every delta read after it.
        let Some(message) = chat_message::Entity::find_by_id(self.id)
            .one(&self.state.db)
            .await?
        else {
            self.end(status::FAILED.into(), None);
            return Ok(());
        };
        let deltas = chat_delta::Entity::find()
            .filter(chat_delta::Column::MessageId.eq(self.id))
            .filter(chat_delta::Column::Seq.gt(self.after))
            .order_by_asc(chat_delta::Column::Seq)
            .limit(BATCH)
            .all(&self.state.db)
            .await?;
        if let Some(last) = deltas.last() {
            self.after = last.seq;
            self.queue
                .extend(deltas.into_iter().map(|d| ReplyEvent::Delta {
                    seq: d.seq,
                    text: d.text,
                }));
            return Ok(());
        }
        if message.status != status::STREAMING {
            let failure = message.error_kind.map(|kind| ChatFailure {
                kind,
                detail: message.error_message.unwrap_or_default(),
            });
            self.end(message.status, failure);
            return Ok(());
        }
        if self.state.clock.now() - message.updated_at > STALE_AFTER {
            self.abandon(&message).await?;
            return Ok(());
        }
        self.wait().await;
        Ok(())
    }

    fn end(&mut self, status: String, failure: Option<ChatFailure>) {
        self.queue.push_back(ReplyEvent::End { status, failure });
        self.ended = true;
    }

    /// Ends a reply whose runner is gone as failed (`interrupted`), once.
    async fn abandon(&self, message: &chat_message::Model) -> Result<(), sea_orm::DbErr> {
        chat_message::Entity::update_many()
            .col_expr(chat_message::Column::Status, Expr::value(status::FAILED))
            .col_expr(chat_message::Column::ErrorKind, Expr::value("interrupted"))
            .col_expr(
                chat_message::Column::UpdatedAt,
                Expr::value(self.state.clock.now()),
            )
            .filter(chat_message::Column::Id.eq(message.id))
            .filter(chat_message::Column::UpdatedAt.eq(message.updated_at))
            .filter(chat_message::Column::Status.eq(status::STREAMING))
            .exec(&self.state.db)
            .await?;
        super::cost::ssr::refund_turn(&self.state, message.id).await;
        tracing::warn!(chat.message = %message.id, "an agent reply lost its runner; ended as failed");
        Ok(())
    }

    /// Until this reply changes here, or the poll interval passes.
    async fn wait(&mut self) {
        let id = self.id;
        let heard = async {
            loop {
                match self.wake.recv().await {
                    Ok(changed) if changed == id => return,
                    Ok(_) => {}
                    // Missed some: read again.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => return,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                        std::future::pending::<()>().await
                    }
                }
            }
        };
        let _ = tokio::time::timeout(POLL, heard).await;
    }
}
