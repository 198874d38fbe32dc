//! Telemetry events: small facts about what happened, kept in `events`.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

use crate::entities::event;

/// Records one event.
pub async fn record(
    db: &impl ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
    kind: &str,
    user_id: Option<uuid::Uuid>,
    data: serde_json::Value,
) -> Result<(), DbErr> {
    event::ActiveModel {
        kind: Set(kind.to_string()),
        user_id: Set(user_id),
        request_id: Set(None),
        data: Set(data),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}
