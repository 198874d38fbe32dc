//! The wake-ups and stop switches of replies streaming in this process. The
//! database holds the truth (a reply's text, deltas and status); this only
//! makes a reader on this process hear of a new delta at once instead of at
//! its next poll, and lets Stop reach a reply running here without waiting
//! for the runner's next look at the database (other replicas' runners see
//! `stop_requested_at` there).

use std::collections::HashMap;
use std::sync::Mutex;

use tokio::sync::{broadcast, oneshot};
use uuid::Uuid;

/// Live chat state of one process.
pub struct ChatLive {
    changed: broadcast::Sender<Uuid>,
    running: Mutex<HashMap<Uuid, oneshot::Sender<()>>>,
}

impl Default for ChatLive {
    fn default() -> Self {
        let (changed, _) = broadcast::channel(1024);
        ChatLive {
            changed,
            running: Mutex::default(),
        }
    }
}

impl ChatLive {
    /// Hears of every reply that changed in this process from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Uuid> {
        self.changed.subscribe()
    }

    /// Says that reply `message` has new text or a new status.
    pub fn changed(&self, message: Uuid) {
        let _ = self.changed.send(message);
    }

    /// Registers a reply running here; the receiver fires on Stop.
    pub fn start(&self, message: Uuid) -> oneshot::Receiver<()> {
        let (stop, stopped) = oneshot::channel();
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(message, stop);
        stopped
    }

    /// The reply ended: forget its switch.
    pub fn finish(&self, message: Uuid) {
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&message);
    }

    /// Stops the reply if it runs here; whether it did.
    pub fn stop(&self, message: Uuid) -> bool {
        let stop = self
            .running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&message);
        stop.is_some_and(|s| s.send(()).is_ok())
    }
}
