//! The provider clients this installation can use, built once at startup from
//! config: one per configured remote provider (a missing key means no client,
//! and the catalog marks its models unavailable), plus the webhook verifier
//! for fal.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use super::provider::{ChatProvider, MediaProvider, ProviderError};
use super::providers::fal::FalProvider;
use super::providers::fal::webhook::FalWebhookVerifier;
use super::providers::gemini::GeminiProvider;
use super::providers::http::{HttpConfig, RetryPolicy};
use super::providers::openai::OpenAiProvider;
use super::providers::runway::RunwayProvider;
use super::providers::xai::XaiProvider;
use crate::catalog::{ModelSpec, ProviderId};
use crate::platform::config::ProvidersConfig;

/// The provider clients by provider.
#[derive(Default, Clone)]
pub struct Providers {
    media: HashMap<ProviderId, Arc<dyn MediaProvider>>,
    chat: HashMap<ProviderId, Arc<dyn ChatProvider>>,
    /// Verifies fal's webhook signatures (set when fal is configured).
    pub fal_webhooks: Option<Arc<FalWebhookVerifier>>,
    /// The model name sent to the OpenAI-compatible chat endpoint.
    pub chat_model: String,
}

impl Providers {
    /// Builds a client for every provider whose key (or self-hosted URL) is configured.
    pub fn from_config(config: &ProvidersConfig) -> Result<Self, ProviderError> {
        let http = HttpConfig::default();
        let retry = RetryPolicy::default();
        let mut providers = Providers {
            chat_model: config.openai_chat_model.clone(),
            ..Providers::default()
        };
        // The offline provider is always there.
        providers.add_media(
            ProviderId::Local,
            Arc::new(
                super::local::LocalProvider::new()
                    .with_moderation_words(config.local_moderation_words.clone()),
            ),
        );
        providers.add_chat(
            ProviderId::Local,
            Arc::new(super::local::chat::LocalChat::default()),
        );
        let key = |id: ProviderId| {
            let access = config.access(id)?;
            config.missing_key(id).is_none().then(|| {
                (
                    access
                        .key
                        .as_ref()
                        .map(|k| k.expose().to_string())
                        .unwrap_or_default(),
                    access.base_url.to_string(),
                )
            })
        };
        if let Some((key, base)) = key(ProviderId::Fal) {
            providers.add_media(
                ProviderId::Fal,
                Arc::new(
                    FalProvider::new(key, base, http, retry)?
                        .with_api_base(config.fal_api_url.to_string()),
                ),
            );
            providers.fal_webhooks = Some(Arc::new(FalWebhookVerifier::new(
                config.fal_jwks_url.to_string(),
                http,
                Duration::from_secs(24 * 3600),
                Duration::from_secs(60),
            )?));
        }
        if let Some((key, base)) = key(ProviderId::OpenAi) {
            let client = Arc::new(OpenAiProvider::new(key, base, http)?);
            providers.add_media(ProviderId::OpenAi, client.clone());
            providers.chat.insert(ProviderId::OpenAi, client);
        }
        if let Some((key, base)) = key(ProviderId::Gemini) {
            providers.add_media(
                ProviderId::Gemini,
                Arc::new(GeminiProvider::new(key, base, http)?),
            );
        }
        if let Some((key, base)) = key(ProviderId::Runway) {
            providers.add_media(
                ProviderId::Runway,
                Arc::new(RunwayProvider::new(key, base, http, retry)?),
            );
        }
        if let Some((key, base)) = key(ProviderId::Xai) {
            providers.add_media(
                ProviderId::Xai,
                Arc::new(XaiProvider::new(key, base, http, retry)?),
            );
        }
        Ok(providers)
    }

    /// Registers (or replaces) the media client of a provider.
    pub fn add_media(&mut self, id: ProviderId, client: Arc<dyn MediaProvider>) {
        self.media.insert(id, client);
    }

    /// Registers (or replaces) the chat client of a provider.
    pub fn add_chat(&mut self, id: ProviderId, client: Arc<dyn ChatProvider>) {
        self.chat.insert(id, client);
    }

    /// The media client of a provider, when configured.
    pub fn media_by_id(&self, id: ProviderId) -> Option<Arc<dyn MediaProvider>> {
        self.media.get(&id).cloned()
    }

    /// The client that runs `model`'s images and videos, when configured.
    pub fn media_for(&self, model: &ModelSpec) -> Option<Arc<dyn MediaProvider>> {
        self.media.get(&model.provider).cloned()
    }

    /// The client that runs `model`'s chat, when configured.
    pub fn chat_for(&self, model: &ModelSpec) -> Option<Arc<dyn ChatProvider>> {
        self.chat.get(&model.provider).cloned()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::catalog::find_model;
    use crate::platform::config::Config;

    fn providers(vars: &[(&str, &str)]) -> Providers {
        let dir = tempfile::tempdir().unwrap();
        let mut map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        map.insert("DATA_DIR".into(), dir.path().display().to_string());
        let config = Config::from_vars(&map).unwrap();
        Providers::from_config(&config.providers).unwrap()
    }

    #[test]
    fn only_configured_providers_get_clients() {
        let none = providers(&[]);
        assert!(none.media_for(&find_model("veo-3.1").unwrap()).is_none());
        assert!(
            none.media_for(&find_model("local-video").unwrap())
                .is_some()
        );
        assert!(none.chat_for(&find_model("local-chat").unwrap()).is_some());
        assert!(none.fal_webhooks.is_none());
        let some = providers(&[("FAL_KEY", "k"), ("OPENAI_API_KEY", "k")]);
        assert!(some.media_for(&find_model("veo-3.1").unwrap()).is_some());
        assert!(some.fal_webhooks.is_some());
        assert!(some.media_for(&find_model("gpt-image").unwrap()).is_some());
        assert!(some.chat_for(&find_model("openai-chat").unwrap()).is_some());
        assert!(
            some.media_for(&find_model("runway-gen4-turbo").unwrap())
                .is_none()
        );
    }
}
