//! Durable generation jobs: a click becomes a row (validated, priced, charged,
//! queued), a worker claims it under a lease, submits it to the provider,
//! follows it through progress callbacks, polling or webhooks, stores the
//! result, and refunds exactly once when it fails. Every transition is one
//! conditional statement on the row, so duplicate or out-of-order news from a
//! provider cannot move a job twice; any replica may run any step.
//!
//! Layout: [`create`] (new jobs, retries), [`queue`] (claims, queue position,
//! ETA), [`run`] (submit and follow), [`transitions`] (the state changes),
//! [`worker`] (the background loops), [`live`] (progress events across
//! replicas), [`view`] (what the browser sees) and [`api`] (server functions).

pub mod api;
#[cfg(feature = "ssr")]
pub mod cancel;
#[cfg(feature = "ssr")]
pub mod create;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod queue;
#[cfg(feature = "ssr")]
pub mod results;
#[cfg(feature = "ssr")]
pub mod run;
#[cfg(feature = "ssr")]
pub mod transitions;
#[cfg(feature = "ssr")]
pub mod view;
#[cfg(feature = "ssr")]
pub mod worker;

use serde::{Deserialize, Serialize};

use crate::assets::MediaView;

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting for a worker (or for its retry time).
    Queued,
    /// Submitted or being worked on.
    Running,
    Succeeded,
    /// The provider refused or failed it; refunded.
    Failed,
    /// Cancelled by its owner; refunded when nothing was produced.
    Cancelled,
    /// Transient failures used up every attempt; refunded.
    Dead,
}

impl JobStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [JobStatus; 6] = [
        JobStatus::Queued,
        JobStatus::Running,
        JobStatus::Succeeded,
        JobStatus::Failed,
        JobStatus::Cancelled,
        JobStatus::Dead,
    ];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
            JobStatus::Dead => "dead",
        }
    }

    /// Reads a stored value.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether the job can still change by itself.
    pub fn is_active(self) -> bool {
        matches!(self, JobStatus::Queued | JobStatus::Running)
    }

    /// Whether a retry (a new job with the same settings) makes sense.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            JobStatus::Failed | JobStatus::Cancelled | JobStatus::Dead
        )
    }
}

/// Queue priority: high jobs are claimed before medium before low.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    High,
    Medium,
    Low,
}

impl Priority {
    /// The stored number (0 high, 1 medium, 2 low).
    pub fn as_i16(self) -> i16 {
        match self {
            Priority::High => 0,
            Priority::Medium => 1,
            Priority::Low => 2,
        }
    }

    /// Reads a stored number; anything unknown is low.
    pub fn from_i16(value: i16) -> Self {
        match value {
            0 => Priority::High,
            1 => Priority::Medium,
            _ => Priority::Low,
        }
    }

    /// The name shown and sent to the browser.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::High => "high",
            Priority::Medium => "medium",
            Priority::Low => "low",
        }
    }
}

/// One generation as the browser sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobView {
    pub id: String,
    pub model_id: String,
    pub model_name: String,
    /// `image`, `image_edit` or `video`.
    pub kind: String,
    pub prompt: String,
    /// validated params as JSON text
    pub params: String,
    /// queued, running, succeeded, failed, cancelled or dead.
    pub status: String,
    /// The owner asked to cancel and the provider is stopping it ("Cancelling…").
    pub cancel_requested: bool,
    /// high, medium or low.
    pub priority: String,
    /// 0.0..=1.0.
    pub progress: f32,
    /// Queued jobs ahead of this one (queued jobs only).
    pub queue_position: Option<u32>,
    /// Seconds until it is expected to be done (queued jobs only).
    pub eta_seconds: Option<u32>,
    /// Credits charged.
    pub price: i64,
    pub refunded: bool,
    pub error_kind: Option<String>,
    pub error_message: Option<String>,
    pub result: Option<MediaView>,
    pub thumbnail: Option<MediaView>,
    pub start_media_id: Option<String>,
    pub end_media_id: Option<String>,
    pub retry_of: Option<String>,
    /// The library item holding the result, once there is one.
    pub item_id: Option<String>,
    pub attempts: u32,
    /// RFC 3339 times.
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}

/// One page of the caller's generations, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenerationsPage {
    pub jobs: Vec<JobView>,
    /// 0-based.
    pub page: u64,
    pub pages: u64,
}
