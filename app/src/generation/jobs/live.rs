//! Live job events: "job X of user U changed". In one process (SQLite) they go
//! through a `tokio::sync::broadcast` channel; on PostgreSQL they are sent with
//! `NOTIFY` and every replica's `LISTEN` task forwards them into its own
//! channel, so a browser connected to one replica sees work done by another.
//! Events carry ids only: listeners read the row, which is the truth.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use tokio::sync::broadcast;
use uuid::Uuid;

/// The PostgreSQL channel job events travel on.
pub const CHANNEL: &str = "fw_jobs";

/// A job changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobEvent {
    pub owner_id: Uuid,
    pub job_id: Uuid,
}

impl JobEvent {
    fn encode(self) -> String {
        format!("{}:{}", self.owner_id, self.job_id)
    }

    fn decode(payload: &str) -> Option<Self> {
        let (owner, job) = payload.split_once(':')?;
        Some(JobEvent {
            owner_id: owner.parse().ok()?,
            job_id: job.parse().ok()?,
        })
    }
}

/// The event bus of one process.
pub struct LiveJobs {
    local: broadcast::Sender<JobEvent>,
    /// Set on PostgreSQL: events go out through NOTIFY.
    notify: Option<DatabaseConnection>,
}

impl LiveJobs {
    /// A bus for `db`; on PostgreSQL this also starts the `LISTEN` task.
    pub fn start(db: &DatabaseConnection) -> Arc<Self> {
        let (local, _) = broadcast::channel(1024);
        let postgres = db.get_database_backend() == DatabaseBackend::Postgres;
        if postgres {
            tokio::spawn(listen(db.clone(), local.clone()));
        }
        Arc::new(LiveJobs {
            local,
            notify: postgres.then(|| db.clone()),
        })
    }

    /// Events from now on (from every replica on PostgreSQL).
    pub fn subscribe(&self) -> broadcast::Receiver<JobEvent> {
        self.local.subscribe()
    }

    /// Tells every listener that a job changed. Never fails the caller: a lost
    /// event only delays a progress bar (the row is the truth, and a
    /// reconnecting browser gets a snapshot).
    pub async fn publish(&self, event: JobEvent) {
        match &self.notify {
            Some(db) => {
                let sent = db
                    .execute_raw(Statement::from_sql_and_values(
                        DatabaseBackend::Postgres,
                        "SELECT pg_notify($1, $2)",
                        [CHANNEL.into(), event.encode().into()],
                    ))
                    .await;
                if let Err(e) = sent {
                    tracing::warn!(job.id = %event.job_id, error = %e, "could not publish a job event");
                }
            }
            None => {
                let _ = self.local.send(event);
            }
        }
    }
}

/// Forwards NOTIFY messages into the local channel, reconnecting after errors.
async fn listen(db: DatabaseConnection, local: broadcast::Sender<JobEvent>) {
    use sea_orm::sqlx::postgres::PgListener;
    loop {
        let pool = db.get_postgres_connection_pool();
        let connected = async {
            let mut listener = PgListener::connect_with(pool).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sea_orm::sqlx::Error>(listener)
        }
        .await;
        match connected {
            Ok(mut listener) => loop {
                match listener.recv().await {
                    Ok(note) => {
                        if let Some(event) = JobEvent::decode(note.payload()) {
                            let _ = local.send(event);
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "job events: LISTEN connection lost; reconnecting");
                        break;
                    }
                }
            },
            Err(e) => {
                if pool.is_closed() {
                    return;
                }
                tracing::warn!(error = %e, "job events: cannot LISTEN; retrying");
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::JobEvent;

    #[test]
    fn events_round_trip_through_their_payload() {
        let event = JobEvent {
            owner_id: uuid::Uuid::now_v7(),
            job_id: uuid::Uuid::now_v7(),
        };
        assert_eq!(JobEvent::decode(&event.encode()), Some(event));
        assert_eq!(JobEvent::decode("nonsense"), None);
    }
}
