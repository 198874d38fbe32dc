//! The creative agent at `/chat`: a person describes what they want, the
//! agent thinks, answers and proposes image ideas that are generated right
//! there, each with its price and progress.
//!
//! Layout: [`view`] (what the browser sees), [`reply`] (reading a reply as
//! it streams: think block, text, suggestions) and [`markdown`] (safe
//! rendering), shared by both sides; server functions in [`chats`] (the
//! sidebar, open, rename, delete, branch choice, auto-generate), [`turns`]
//! (send with variants and attachments, edit, regenerate, stop), [`fork`],
//! [`cost`] (what a message may cost, and charging agent turns),
//! [`attachments`] (images sent with a message), [`images`] (suggestions to
//! generations) and [`compare`] (one suggestion with several models);
//! server side [`tree`] (the message tree), [`runner`] (one agent turn,
//! written as it streams), [`stream`] (replaying and following a reply) and
//! [`live`] (in-process wake-ups); the page in `page`, `sidebar`,
//! `conversation`, `message`, `suggestions`, `compare_panel`, `composer`,
//! `attach` and `rich`.

mod attach;
pub mod attachments;
pub mod chats;
pub mod compare;
mod compare_panel;
mod composer;
mod conversation;
pub mod cost;
pub mod fork;
pub mod images;
#[cfg(feature = "ssr")]
pub mod live;
pub mod markdown;
mod message;
mod page;
pub mod reply;
mod rich;
#[cfg(feature = "ssr")]
pub mod runner;
mod sidebar;
#[cfg(feature = "ssr")]
pub mod stream;
mod suggestions;
#[cfg(feature = "ssr")]
pub mod tree;
pub mod turns;
pub mod view;

use leptos::prelude::*;
use leptos_fluent::move_tr;
use leptos_meta::Title;

use crate::auth::gate::RequireApproved;

/// `/chat` (`?c=<chat id>` opens one chat).
#[component]
pub fn ChatPage() -> impl IntoView {
    view! {
        <Title text=move_tr!("chat-title")/>
        <RequireApproved>
            <page::ChatScreen/>
        </RequireApproved>
    }
}
