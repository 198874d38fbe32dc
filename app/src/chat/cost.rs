//! What a message may cost at most, shown in the composer before sending and
//! checked when it is sent: each reply's agent turn at the chat model's
//! price (chat models are free unless an admin prices them), plus, when the
//! chat generates its suggestions by itself, up to eight images per reply at
//! the auto-generation model's dearest shape. A priced agent turn is charged
//! when it starts and refunded when it fails.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The most a message may cost, and what the caller may spend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageCost {
    /// One reply's agent turn.
    pub agent: i64,
    /// Replies asked for.
    pub variants: u32,
    /// Auto-generated images, for every reply together (0 when the chat does not auto-generate).
    pub images: i64,
    /// All of it.
    pub total: i64,
    pub balance: i64,
    /// The caller's daily spending cap, when there is one.
    pub daily_cap: Option<i64>,
    /// What the caller's daily cap still allows today, when there is one.
    pub left_today: Option<i64>,
}

impl MessageCost {
    /// Whether the caller can pay the most this message may cost.
    pub fn affordable(&self) -> bool {
        self.total <= self.balance && self.left_today.is_none_or(|left| self.total <= left)
    }
}

/// What a message to `chat_id` (or, with none, a new chat with `model_id`)
/// asking for `variants` replies may cost at most.
#[server(prefix = "/api", endpoint = "chats/cost", input = Json)]
pub async fn estimate_message(
    chat_id: Option<String>,
    model_id: String,
    variants: u32,
) -> Result<MessageCost, AppError> {
    let (state, owner) = super::chats::ssr::context()?;
    let variants = super::turns::check_variants(variants)?;
    let (model, auto) = match chat_id.as_deref().filter(|c| !c.trim().is_empty()) {
        Some(id) => {
            let chat = super::tree::owned_chat(&state.db, owner, id).await?;
            (chat.model_id, chat.auto_generate)
        }
        None => (
            super::chats::ssr::chat_model(&state, &model_id).await?,
            false,
        ),
    };
    ssr::estimate(&state, owner, &model, auto, variants).await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use serde_json::Map;
    use uuid::Uuid;

    use super::MessageCost;
    use crate::catalog::ModelKind;
    use crate::chat::images::suggestion_params;
    use crate::chat::reply::{ASPECT_RATIOS, MAX_SUGGESTIONS};
    use crate::credits::ledger::{self, CreditsError, EntityRef};
    use crate::error::AppError;
    use crate::generation::params::parse_params;
    use crate::generation::pricing::quote;
    use crate::platform::state::AppState;

    /// One reply's agent turn with chat model `model_id`.
    pub async fn agent_price(state: &AppState, model_id: &str) -> Result<i64, AppError> {
        let entry = crate::generation::installed::usable_model(
            &state.db,
            &state.config.providers,
            model_id,
        )
        .await?;
        Ok(quote(&entry.model, &entry.formula, &Map::new())?.credits)
    }

    /// The model suggestions are generated with by default (the first image
    /// model on offer, as on the cards) and its dearest image over the
    /// shapes a suggestion may ask for; `None` when no image model is on offer.
    pub async fn auto_image(state: &AppState) -> Result<Option<(String, i64)>, AppError> {
        let catalog =
            crate::generation::installed::catalog(&state.db, &state.config.providers).await?;
        let Some(entry) = catalog
            .into_iter()
            .find(|e| e.model.kind == ModelKind::Image && e.usable())
        else {
            return Ok(None);
        };
        let mut dearest = 0;
        for ratio in ASPECT_RATIOS {
            let params = parse_params(&suggestion_params(&entry.model, ratio))?;
            dearest = dearest.max(quote(&entry.model, &entry.formula, &params)?.credits);
        }
        Ok(Some((entry.model.id, dearest)))
    }

    /// The most a message may cost, with what `owner` may spend.
    pub async fn estimate(
        state: &AppState,
        owner: Uuid,
        model_id: &str,
        auto_generate: bool,
        variants: u32,
    ) -> Result<MessageCost, AppError> {
        let agent = agent_price(state, model_id).await?;
        let per_image = if auto_generate {
            auto_image(state).await?.map_or(0, |(_, price)| price)
        } else {
            0
        };
        let replies = i64::from(variants);
        let images = per_image * MAX_SUGGESTIONS as i64 * replies;
        let spendable =
            crate::credits::ledger::spendable(&state.db, owner, state.clock.now()).await?;
        Ok(MessageCost {
            agent,
            variants,
            images,
            total: agent * replies + images,
            balance: spendable.balance,
            daily_cap: spendable.cap,
            left_today: spendable.left_today,
        })
    }

    /// Refuses a message whose most cost the caller cannot pay (balance or daily cap).
    pub fn refuse_unaffordable(cost: &MessageCost) -> Result<(), AppError> {
        let spendable = crate::credits::ledger::Spendable {
            balance: cost.balance,
            cap: cost.daily_cap,
            left_today: cost.left_today,
        };
        match spendable.refuse(cost.total) {
            Some(error) => Err(error.into()),
            None => Ok(()),
        }
    }

    /// What the ledger charges a reply's agent turn for.
    pub fn turn_charge(message_id: Uuid) -> EntityRef {
        EntityRef {
            kind: "chat_turn".into(),
            id: message_id.to_string(),
        }
    }

    /// Gives back what a failed reply's turn was charged (nothing for a free
    /// model), once: nothing is charged for a turn that failed.
    pub async fn refund_turn(state: &AppState, message_id: Uuid) {
        match ledger::refund_charge(
            &state.db,
            &turn_charge(message_id),
            "Chat reply failed: refunded",
            state.clock.now(),
        )
        .await
        {
            Ok(_) => tracing::info!(chat.message = %message_id, "failed agent turn refunded"),
            Err(CreditsError::NoCharge | CreditsError::AlreadyRefunded) => {}
            Err(e) => {
                tracing::error!(chat.message = %message_id, error = %e, "could not refund a failed agent turn")
            }
        }
    }
}
