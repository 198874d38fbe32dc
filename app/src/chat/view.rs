//! What the browser sees of chats: the sidebar's summaries and one chat's
//! shown branch, message by message, with each message's siblings.

use serde::{Deserialize, Serialize};

/// Chats per sidebar page.
pub const PAGE_SIZE: u64 = 30;

/// The longest message a person may send, in characters.
pub const MAX_MESSAGE: usize = 8000;

/// The most replies one message may ask for at once (parallel variants).
pub const MAX_VARIANTS: u32 = 4;

/// The most images one message may carry.
pub const MAX_ATTACHMENTS: usize = 4;

/// How many image models one comparison may run side by side.
pub const COMPARE_MODELS: std::ops::RangeInclusive<usize> = 2..=4;

/// The longest chat title, in characters.
pub const MAX_TITLE: usize = 120;

/// A reply's state.
pub mod status {
    pub const STREAMING: &str = "streaming";
    pub const DONE: &str = "done";
    pub const STOPPED: &str = "stopped";
    pub const FAILED: &str = "failed";
}

/// One chat in the sidebar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatSummary {
    pub id: String,
    /// Empty until proposed from the first message or renamed.
    pub title: String,
    pub model_id: String,
    /// Whether each image suggestion is generated as soon as it is complete.
    pub auto_generate: bool,
    /// RFC 3339.
    pub updated_at: String,
}

/// A page of the sidebar, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatList {
    pub chats: Vec<ChatSummary>,
    pub page: u64,
    pub pages: u64,
}

/// Why a reply failed: the provider's error kind (`auth`, `quota`,
/// `moderation`, `transient`, `rejected_input`, `unknown`, `interrupted`,
/// `unavailable`) and its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatFailure {
    pub kind: String,
    pub detail: String,
}

/// A generation started from a suggestion of a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatImage {
    pub suggestion_index: u32,
    pub job_id: String,
    /// Shared by the generations of one model comparison (`None`: the card's own).
    pub compare_group: Option<String>,
}

/// An image attached to a person's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub media_id: String,
    /// Signed, expiring.
    pub url: String,
    pub thumbnail_url: Option<String>,
}

/// One message of the shown branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: String,
    pub parent_id: Option<String>,
    /// `user` or `assistant`.
    pub role: String,
    /// The raw text so far (a reply is read with [`super::reply::parse_reply`]).
    pub content: String,
    /// See [`status`].
    pub status: String,
    pub model_id: String,
    /// The number of the last streamed piece in `content`.
    pub last_seq: i32,
    pub failure: Option<ChatFailure>,
    /// This message and its siblings (same parent), oldest first.
    pub sibling_ids: Vec<String>,
    /// Generations started from this reply's suggestions, oldest first.
    pub images: Vec<ChatImage>,
    /// Images attached to a person's message, in order.
    pub attachments: Vec<Attachment>,
}

impl MessageView {
    /// Whether the reply is still being written.
    pub fn is_streaming(&self) -> bool {
        self.status == status::STREAMING
    }

    /// This message's place among its siblings (1-based).
    pub fn position(&self) -> usize {
        self.sibling_ids
            .iter()
            .position(|id| *id == self.id)
            .map_or(1, |i| i + 1)
    }
}

/// One chat with its shown branch, first message first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatView {
    pub chat: ChatSummary,
    /// The chat this one was forked from, when it still exists.
    pub forked_from: Option<String>,
    pub messages: Vec<MessageView>,
    /// A reply is being written somewhere in the chat (perhaps a variant
    /// beside the shown branch): no new message until it ends or is stopped.
    pub busy: bool,
}

impl ChatView {
    /// The reply being written, if any.
    pub fn streaming(&self) -> Option<&MessageView> {
        self.messages.iter().rev().find(|m| m.is_streaming())
    }
}
