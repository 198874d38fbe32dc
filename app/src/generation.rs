//! Generation: the model catalog, parameter validation, pricing and the
//! provider layer (fal, OpenAI, Gemini, Runway, xAI and the offline `local`).

pub mod api;
pub mod catalog;
pub mod generations;
pub mod jobs;
pub mod live;
pub mod param_form;
pub mod params;
pub mod pricing;
pub mod studio;

#[cfg(feature = "ssr")]
pub mod local;
#[cfg(feature = "ssr")]
pub mod provider;
#[cfg(feature = "ssr")]
pub mod providers;
#[cfg(feature = "ssr")]
pub mod registry;
#[cfg(feature = "ssr")]
pub mod settings;
