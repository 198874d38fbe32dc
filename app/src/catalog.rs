//! The model catalog: every model Framewright can run, its provider, kind,
//! parameter schema, capabilities and default pricing formula. The catalog is
//! code (reviewed like code); admins toggle models and edit formulas on top of
//! it (`model_settings`). The UI builds its forms from these schemas.

pub mod fal_inputs;
mod models;

use serde::{Deserialize, Serialize};

pub use models::{NOTICE_OFFLINE_SKETCH, NOTICE_UNVERIFIED, all_models};

/// What a model produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    Chat,
    Image,
    ImageEdit,
    Video,
}

impl ModelKind {
    /// The stored and URL value.
    pub fn as_str(self) -> &'static str {
        match self {
            ModelKind::Chat => "chat",
            ModelKind::Image => "image",
            ModelKind::ImageEdit => "image_edit",
            ModelKind::Video => "video",
        }
    }
}

/// Who runs a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderId {
    /// The built-in offline provider.
    Local,
    Fal,
    OpenAi,
    Gemini,
    Runway,
    Xai,
}

impl ProviderId {
    /// The providers reached over the network, in the order admins see them.
    pub const REMOTE: [ProviderId; 5] = [
        ProviderId::Fal,
        ProviderId::OpenAi,
        ProviderId::Gemini,
        ProviderId::Runway,
        ProviderId::Xai,
    ];

    /// Reads a stable name (`fal`, `openai`, …).
    pub fn parse(name: &str) -> Option<Self> {
        std::iter::once(ProviderId::Local)
            .chain(Self::REMOTE)
            .find(|p| p.as_str() == name)
    }

    /// The stable name, as in config and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderId::Local => "local",
            ProviderId::Fal => "fal",
            ProviderId::OpenAi => "openai",
            ProviderId::Gemini => "gemini",
            ProviderId::Runway => "runway",
            ProviderId::Xai => "xai",
        }
    }

    /// The display name.
    pub fn label(self) -> &'static str {
        match self {
            ProviderId::Local => "Local",
            ProviderId::Fal => "fal",
            ProviderId::OpenAi => "OpenAI",
            ProviderId::Gemini => "Google Gemini",
            ProviderId::Runway => "Runway",
            ProviderId::Xai => "xAI",
        }
    }
}

/// The type and limits of one parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ParamType {
    /// One of a fixed list of strings.
    Choice {
        values: Vec<String>,
    },
    /// One of a fixed list of whole numbers (e.g. durations in seconds).
    IntChoice {
        values: Vec<i64>,
    },
    /// A whole number in a range.
    Int {
        min: i64,
        max: i64,
    },
    /// A number in a range.
    Number {
        min: f64,
        max: f64,
    },
    Bool,
    /// Free text up to `max_len` characters.
    Text {
        max_len: usize,
    },
}

/// One parameter of a model, under the provider's documented name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamSpec {
    pub name: String,
    #[serde(flatten)]
    pub ty: ParamType,
    /// Used when the user leaves it out; `None` means the parameter is optional
    /// and simply not sent.
    pub default: Option<serde_json::Value>,
    /// Always the default, whatever the user sends; not shown in forms.
    pub hidden: bool,
    /// Never sent to the provider (e.g. a documented parameter we do not support yet).
    pub disabled: bool,
}

/// What a model can do, for the UI and for input checks.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Capabilities {
    /// Takes a start image (image-to-video).
    pub first_frame: bool,
    /// Also takes an end image.
    pub last_frame: bool,
    /// Can generate sound with the video.
    pub audio: bool,
    /// Clip lengths in seconds.
    pub durations: Vec<u32>,
    pub resolutions: Vec<String>,
    pub aspect_ratios: Vec<String>,
    /// How many reference/source images an image model accepts (0: none).
    pub max_reference_images: u8,
}

/// One model in the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSpec {
    /// Our stable id, e.g. `veo-3.1`.
    pub id: String,
    pub name: String,
    pub provider: ProviderId,
    /// The provider's own id (endpoint or model name).
    pub provider_model: String,
    pub kind: ModelKind,
    pub params: Vec<ParamSpec>,
    pub capabilities: Capabilities,
    pub default_formula: String,
    /// A caveat shown wherever the model is offered, as a translation key
    /// (e.g. `model-notice-unverified` when its availability is not confirmed).
    #[serde(default)]
    pub notice: Option<String>,
    /// Whether the model is offered before an admin touches its switch.
    #[serde(default = "on")]
    pub enabled_by_default: bool,
}

fn on() -> bool {
    true
}

impl ModelSpec {
    /// The parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The parameters a person may set (neither hidden nor disabled).
    pub fn visible_params(&self) -> impl Iterator<Item = &ParamSpec> {
        self.params.iter().filter(|p| !p.hidden && !p.disabled)
    }
}

/// The model with this id, from the built-in catalog.
pub fn find_model(id: &str) -> Option<ModelSpec> {
    all_models().into_iter().find(|m| m.id == id)
}

/// The model a chat uses when the built-in catalog's chat entry is configured
/// elsewhere (the OpenAI-compatible endpoint's model name comes from config).
pub const OPENAI_CHAT_MODEL_ID: &str = "openai-chat";

/// One model as this installation runs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogEntry {
    pub model: ModelSpec,
    /// Switched on by the admins (the default).
    pub enabled: bool,
    /// The variable to set before this model's provider can run, when unset.
    pub missing_key: Option<String>,
    /// The pricing formula in force (empty in what non-admins receive).
    pub formula: String,
    /// Whether an admin replaced the catalog's default formula.
    pub custom_formula: bool,
}

impl CatalogEntry {
    /// Whether people can generate with it now.
    pub fn usable(&self) -> bool {
        self.enabled && self.missing_key.is_none()
    }
}

/// What an admin's connection check of one provider found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectionCheck {
    /// The provider's stable name (`fal`, `openai`, …).
    pub provider: String,
    /// `ok`, `missing_key`, `auth` (wrong or blocked key), `quota` (no credit
    /// left), `unreachable` (network or provider trouble), `refused` or `unknown`.
    pub outcome: String,
    /// The provider's own words, or the variable to set for `missing_key`.
    pub detail: Option<String>,
    /// How long the check took.
    pub millis: u64,
}

impl ConnectionCheck {
    /// Whether the key works.
    pub fn ok(&self) -> bool {
        self.outcome == "ok"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offline_image_model_says_it_draws_no_subject() {
        let local = find_model("local-image").unwrap();
        assert_eq!(local.notice.as_deref(), Some(NOTICE_OFFLINE_SKETCH));
        let en = crate::i18n::tr_in("en", NOTICE_OFFLINE_SKETCH, &[]);
        assert!(en.contains("not its subject"), "{en}");
        let zh = crate::i18n::tr_in("zh-CN", NOTICE_OFFLINE_SKETCH, &[]);
        assert!(zh.contains("主体"), "{zh}");
    }
}
