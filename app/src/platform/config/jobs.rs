//! The background job workers of this process.

use super::{ConfigError, Vars};

/// The background job workers of this process.
#[derive(Debug, Clone)]
pub struct JobsConfig {
    /// Jobs this process runs at once; 0 runs none (another replica does).
    pub workers: usize,
    /// How long a claimed job stays with its worker without a heartbeat before
    /// another worker may take it over.
    pub lease: std::time::Duration,
}

impl JobsConfig {
    pub(super) fn from_vars(vars: &Vars<'_>) -> Result<Self, ConfigError> {
        let workers = vars.parse("JOB_WORKERS", 2usize, |v| {
            v.parse::<usize>()
                .ok()
                .filter(|n| *n <= 256)
                .ok_or_else(|| "expected a number from 0 to 256".into())
        })?;

        let lease = vars.parse("JOB_LEASE_SECONDS", 60u64, |v| {
            v.parse::<u64>()
                .ok()
                .filter(|n| (5..=3600).contains(n))
                .ok_or_else(|| "expected a number of seconds from 5 to 3600".into())
        })?;
        Ok(JobsConfig {
            workers,
            lease: std::time::Duration::from_secs(lease),
        })
    }
}
