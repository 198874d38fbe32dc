//! Generation: the installed catalog, parameter validation, pricing and the
//! provider layer (fal, OpenAI, Gemini, Runway, xAI and the offline `local`).

pub mod generations;
pub mod job_updates;
pub mod jobs;
pub mod models;
pub mod param_form;
pub mod params;
pub mod pricing;
pub mod studio;

#[cfg(feature = "ssr")]
pub mod installed;
#[cfg(feature = "ssr")]
pub mod local;
#[cfg(feature = "ssr")]
pub mod provider;
#[cfg(feature = "ssr")]
pub mod providers;
#[cfg(feature = "ssr")]
pub mod registry;
