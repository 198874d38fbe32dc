//! Images attached to a person's message: picked from the library or
//! uploaded (both are media the person may see), at most four, images only.
//! They are stored with the message, shown on it, and sent to the agent
//! with it (a URL the provider can fetch, or the bytes as a `data:` URI).

use crate::error::AppError;

use super::view::MAX_ATTACHMENTS;

/// The checks the server makes on the attachment list before anything else,
/// made first in the browser too: at most [`MAX_ATTACHMENTS`], no repeats.
pub fn check_attachments(media_ids: &[String]) -> Result<(), AppError> {
    if media_ids.len() > MAX_ATTACHMENTS {
        return Err(AppError::invalid(
            "attachments",
            "error-reason-too-many-attachments",
        ));
    }
    for (i, id) in media_ids.iter().enumerate() {
        if media_ids[..i].contains(id) {
            return Err(AppError::invalid(
                "attachments",
                "error-reason-attachment-repeated",
            ));
        }
    }
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use std::collections::HashMap;

    use sea_orm::{
        ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    };
    use uuid::Uuid;

    use super::super::view::Attachment;
    use crate::assets::access::Actor;
    use crate::entities::{chat_attachment, media};
    use crate::error::AppError;
    use crate::platform::state::AppState;

    /// The media behind `media_ids`, in order: each one the actor may see
    /// and an image; the first that is not is refused naming the field.
    pub async fn usable(
        state: &AppState,
        actor: &Actor,
        media_ids: &[String],
    ) -> Result<Vec<media::Model>, AppError> {
        super::check_attachments(media_ids)?;
        let mut rows = Vec::with_capacity(media_ids.len());
        for id in media_ids {
            let not_found = || AppError::invalid("attachments", "error-reason-media-not-found");
            let id: Uuid = id.trim().parse().map_err(|_| not_found())?;
            let row = crate::assets::media::readable(&state.db, actor, id)
                .await?
                .ok_or_else(not_found)?;
            if !row.content_type.starts_with("image/") {
                return Err(AppError::invalid(
                    "attachments",
                    "error-reason-attachment-not-an-image",
                ));
            }
            rows.push(row);
        }
        Ok(rows)
    }

    /// Stores `media` as the attachments of `message_id`, in order.
    pub async fn store(
        db: &impl ConnectionTrait,
        message_id: Uuid,
        media: &[media::Model],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), AppError> {
        for (position, row) in media.iter().enumerate() {
            chat_attachment::ActiveModel {
                id: Set(Uuid::now_v7()),
                message_id: Set(message_id),
                media_id: Set(row.id),
                position: Set(position as i32),
                created_at: Set(now),
            }
            .insert(db)
            .await?;
        }
        Ok(())
    }

    /// The attachments of these messages, each message's in order.
    pub async fn of_messages(
        db: &impl ConnectionTrait,
        message_ids: impl IntoIterator<Item = Uuid>,
    ) -> Result<Vec<chat_attachment::Model>, AppError> {
        Ok(chat_attachment::Entity::find()
            .filter(chat_attachment::Column::MessageId.is_in(message_ids))
            .order_by_asc(chat_attachment::Column::MessageId)
            .order_by_asc(chat_attachment::Column::Position)
            .all(db)
            .await?)
    }

    /// What the browser shows of each message's attachments (signed links).
    pub async fn views(
        state: &AppState,
        attachments: &[chat_attachment::Model],
    ) -> Result<HashMap<Uuid, Vec<Attachment>>, AppError> {
        let rows: HashMap<Uuid, media::Model> = media::Entity::find()
            .filter(media::Column::Id.is_in(attachments.iter().map(|a| a.media_id)))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        let mut views: HashMap<Uuid, Vec<Attachment>> = HashMap::new();
        for attachment in attachments {
            let Some(row) = rows.get(&attachment.media_id) else {
                continue;
            };
            let view = crate::assets::media::view(state, row)
                .await
                .map_err(AppError::internal)?;
            views
                .entry(attachment.message_id)
                .or_default()
                .push(Attachment {
                    media_id: view.id,
                    url: view.url,
                    thumbnail_url: view.thumbnail_url,
                });
        }
        Ok(views)
    }

    /// Each message's attached images as the agent gets them: a link the
    /// provider can fetch when our media is public, else the bytes as a
    /// `data:` URI. An image that cannot be read is left out (and logged).
    pub async fn for_agent(
        state: &AppState,
        attachments: &[chat_attachment::Model],
    ) -> HashMap<Uuid, Vec<String>> {
        let mut images: HashMap<Uuid, Vec<String>> = HashMap::new();
        for attachment in attachments {
            match crate::generation::jobs::run::input_image(state, attachment.media_id).await {
                Ok(image) => images
                    .entry(attachment.message_id)
                    .or_default()
                    .push(crate::generation::providers::http::url_or_data_uri(&image)),
                Err(e) => {
                    tracing::warn!(chat.message = %attachment.message_id, media.id = %attachment.media_id, error = %e, "an attached image could not be read for the agent")
                }
            }
        }
        images
    }
}
