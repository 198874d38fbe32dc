//! Provider keys and endpoints. Every provider is optional: without its key its
//! models are shown to admins as unavailable (naming the variable) and hidden
//! from everyone else; the built-in `local` provider needs nothing.

use url::Url;

use super::{ConfigError, Secret, Vars};
use crate::catalog::ProviderId;

/// How to reach one provider.
#[derive(Debug, Clone)]
pub struct ProviderAccess {
    pub key: Option<Secret>,
    pub base_url: Url,
    /// The variable that holds the key (for messages).
    pub key_var: &'static str,
}

/// Every remote provider's access, plus the chat model name.
#[derive(Debug, Clone)]
pub struct ProvidersConfig {
    pub fal: ProviderAccess,
    /// fal's platform API (where the admins' connection check reads).
    pub fal_api_url: Url,
    /// Where fal publishes the keys that sign its webhooks.
    pub fal_jwks_url: Url,
    pub openai: ProviderAccess,
    /// The model an OpenAI-compatible chat endpoint is asked for.
    pub openai_chat_model: String,
    /// Set when OPENAI_BASE_URL points at a self-hosted server (which may need no key).
    pub openai_custom_base: bool,
    pub gemini: ProviderAccess,
    pub runway: ProviderAccess,
    pub xai: ProviderAccess,
    /// Words the offline provider refuses in prompts (lowercase), as a
    /// moderation filter would: a real feature, and the tests' forced failure.
    pub local_moderation_words: Vec<String>,
}

impl ProvidersConfig {
    pub(super) fn from_vars(vars: &Vars<'_>) -> Result<Self, ConfigError> {
        let access = |key_var: &'static str, url_var: &'static str, default: &str| {
            Ok::<_, ConfigError>(ProviderAccess {
                key: vars.get(key_var).map(Secret::new),
                base_url: url(vars, url_var, default)?,
                key_var,
            })
        };
        Ok(ProvidersConfig {
            fal: access("FAL_KEY", "FAL_QUEUE_URL", "https://queue.fal.run")?,
            fal_api_url: url(vars, "FAL_API_URL", "https://api.fal.ai")?,
            fal_jwks_url: url(
                vars,
                "FAL_JWKS_URL",
                "https://rest.alpha.fal.ai/.well-known/jwks.json",
            )?,
            openai: access(
                "OPENAI_API_KEY",
                "OPENAI_BASE_URL",
                "https://api.openai.com/v1",
            )?,
            openai_chat_model: vars
                .get("OPENAI_CHAT_MODEL")
                .unwrap_or_else(|| "gpt-4.1-mini".into()),
            openai_custom_base: vars.get("OPENAI_BASE_URL").is_some(),
            gemini: access(
                "GEMINI_API_KEY",
                "GEMINI_BASE_URL",
                "https://generativelanguage.googleapis.com",
            )?,
            runway: access(
                "RUNWAYML_API_SECRET",
                "RUNWAY_BASE_URL",
                "https://api.dev.runwayml.com",
            )?,
            xai: access("XAI_API_KEY", "XAI_BASE_URL", "https://api.x.ai")?,
            local_moderation_words: vars
                .get("LOCAL_MODERATION_WORDS")
                .unwrap_or_default()
                .split(',')
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect(),
        })
    }

    /// The access settings of a remote provider (`None` for `local`).
    pub fn access(&self, provider: ProviderId) -> Option<&ProviderAccess> {
        match provider {
            ProviderId::Local => None,
            ProviderId::Fal => Some(&self.fal),
            ProviderId::OpenAi => Some(&self.openai),
            ProviderId::Gemini => Some(&self.gemini),
            ProviderId::Runway => Some(&self.runway),
            ProviderId::Xai => Some(&self.xai),
        }
    }

    /// Why a provider cannot run: the variable that must be set. `None` when it can.
    pub fn missing_key(&self, provider: ProviderId) -> Option<&'static str> {
        let access = self.access(provider)?;
        let self_hosted_chat = provider == ProviderId::OpenAi && self.openai_custom_base;
        (access.key.is_none() && !self_hosted_chat).then_some(access.key_var)
    }
}

fn url(vars: &Vars<'_>, var: &'static str, default: &str) -> Result<Url, ConfigError> {
    vars.parse(var, Url::parse(default).expect("valid default"), |v| {
        let url = Url::parse(v).map_err(|e| format!("not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err("expected an http(s) URL with a host".into());
        }
        Ok(url)
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn load(pairs: &[(&str, &str)]) -> Result<ProvidersConfig, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ProvidersConfig::from_vars(&Vars(&map))
    }

    #[test]
    fn without_keys_only_local_runs_and_each_names_its_variable() {
        let config = load(&[]).unwrap();
        assert_eq!(config.missing_key(ProviderId::Local), None);
        assert_eq!(config.missing_key(ProviderId::Fal), Some("FAL_KEY"));
        assert_eq!(
            config.missing_key(ProviderId::OpenAi),
            Some("OPENAI_API_KEY")
        );
        assert_eq!(
            config.missing_key(ProviderId::Gemini),
            Some("GEMINI_API_KEY")
        );
        assert_eq!(
            config.missing_key(ProviderId::Runway),
            Some("RUNWAYML_API_SECRET")
        );
        assert_eq!(config.missing_key(ProviderId::Xai), Some("XAI_API_KEY"));
    }

    #[test]
    fn a_key_enables_its_provider_and_a_self_hosted_chat_needs_none() {
        let config = load(&[
            ("FAL_KEY", "k"),
            ("OPENAI_BASE_URL", "http://localhost:8080/v1"),
        ])
        .unwrap();
        assert_eq!(config.missing_key(ProviderId::Fal), None);
        assert_eq!(config.missing_key(ProviderId::OpenAi), None);
        assert_eq!(config.openai.base_url.as_str(), "http://localhost:8080/v1");
    }

    #[test]
    fn a_bad_base_url_names_its_variable() {
        let error = load(&[("XAI_BASE_URL", "ftp://x")]).unwrap_err();
        assert_eq!(error.var(), "XAI_BASE_URL");
    }
}
