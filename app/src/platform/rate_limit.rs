//! Rate limits as database rows (fixed windows), so every replica sees the same
//! counts. One upsert per hit: no read-modify-write race.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr};

use crate::entities::rate_limit_bucket::Column;
use crate::error::AppError;

/// A limit: at most `max` hits per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i32,
    pub window: Duration,
}

impl Limit {
    /// At most `max` hits an hour.
    pub fn per_hour(max: i32) -> Self {
        Limit {
            max,
            window: Duration::hours(1),
        }
    }
}

/// The outcome of a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Over the limit; try again after this many seconds.
    Limited {
        retry_after_secs: u64,
    },
}

/// Whole seconds to wait, rounded up (at least 1), so that a client waiting
/// exactly that long is never early.
pub fn seconds_rounded_up(wait: Duration) -> u64 {
    let millis = std::cmp::max(wait.num_milliseconds(), 1);
    ((millis + 999) / 1000) as u64
}

/// Counts one hit against `key` and refuses with [`AppError::RateLimited`]
/// (which carries the wait) once it is over `limit`.
pub async fn enforce(
    db: &impl ConnectionTrait,
    key: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    match hit(db, key, limit, now).await? {
        Verdict::Allowed => Ok(()),
        Verdict::Limited { retry_after_secs } => Err(AppError::RateLimited { retry_after_secs }),
    }
}

/// Counts one hit against `key` and says whether it is within `limit`.
pub async fn hit(
    db: &impl ConnectionTrait,
    key: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<Verdict, DbErr> {
    let table = crate::entities::rate_limit_bucket::Entity;
    let window_over = Expr::col((table, Column::WindowStart)).lt(now - limit.window);
    let insert = Query::insert()
        .into_table(table)
        .columns([Column::Key, Column::WindowStart, Column::Count])
        .values_panic([key.into(), now.into(), 1.into()])
        .on_conflict(
            OnConflict::column(Column::Key)
                .value(
                    Column::Count,
                    Expr::case(window_over.clone(), 1)
                        .finally(Expr::col((table, Column::Count)).add(1)),
                )
                .value(
                    Column::WindowStart,
                    Expr::case(window_over, now).finally(Expr::col((table, Column::WindowStart))),
                )
                .to_owned(),
        )
        .returning(Query::returning().columns([Column::Count, Column::WindowStart]))
        .to_owned();
    let row = db
        .query_one(&insert)
        .await?
        .ok_or_else(|| DbErr::Custom("rate limit upsert returned no row".into()))?;
    let count: i32 = row.try_get("", "count")?;
    let window_start: DateTime<Utc> = row.try_get("", "window_start")?;
    if count <= limit.max {
        Ok(Verdict::Allowed)
    } else {
        let reset = window_start + limit.window - now;
        Ok(Verdict::Limited {
            retry_after_secs: seconds_rounded_up(reset),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_round_up_to_whole_seconds() {
        assert_eq!(seconds_rounded_up(Duration::milliseconds(52_700)), 53);
        assert_eq!(seconds_rounded_up(Duration::seconds(15)), 15);
        assert_eq!(seconds_rounded_up(Duration::milliseconds(1)), 1);
        assert_eq!(seconds_rounded_up(Duration::zero()), 1);
    }
}
