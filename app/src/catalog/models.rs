//! The built-in models, with the parameter names and limits their providers
//! document. Prices are credits; the default formulas follow each provider's
//! list price roughly (1 credit ≈ $0.01) and admins override them.

use serde_json::{Value, json};

use super::{Capabilities, ModelKind, ModelSpec, ParamSpec, ParamType, ProviderId};

fn strs(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

fn choice(name: &str, values: &[&str], default: &str) -> ParamSpec {
    param(
        name,
        ParamType::Choice {
            values: strs(values),
        },
        Some(json!(default)),
    )
}

fn int_choice(name: &str, values: &[i64], default: i64) -> ParamSpec {
    param(
        name,
        ParamType::IntChoice {
            values: values.to_vec(),
        },
        Some(json!(default)),
    )
}

fn boolean(name: &str, default: bool) -> ParamSpec {
    param(name, ParamType::Bool, Some(json!(default)))
}

fn seed() -> ParamSpec {
    param(
        "seed",
        ParamType::Int {
            min: 0,
            max: 2_147_483_647,
        },
        None,
    )
}

/// A negative prompt, with the provider's own length limit: a longer one is
/// refused here with a translated message instead of by the provider.
fn negative_prompt(max_len: usize) -> ParamSpec {
    param("negative_prompt", ParamType::Text { max_len }, None)
}

fn param(name: &str, ty: ParamType, default: Option<Value>) -> ParamSpec {
    ParamSpec {
        name: name.into(),
        ty,
        default,
        hidden: false,
        disabled: false,
    }
}

fn hidden(mut spec: ParamSpec) -> ParamSpec {
    spec.hidden = true;
    spec
}

struct Video<'a> {
    id: &'a str,
    name: &'a str,
    provider: ProviderId,
    provider_model: &'a str,
    last_frame: bool,
    audio: bool,
    durations: &'a [u32],
    resolutions: &'a [&'a str],
    aspect_ratios: &'a [&'a str],
    params: Vec<ParamSpec>,
    formula: &'a str,
}

/// The notice of a model whose endpoint may be gone: see README "Providers".
pub const NOTICE_UNVERIFIED: &str = "model-notice-unverified";

/// The notice of the offline image model, so its pictures are not taken for a
/// broken model: it draws colours and composition from the prompt, not its subject.
pub const NOTICE_OFFLINE_SKETCH: &str = "model-notice-offline-sketch";

fn video(v: Video<'_>) -> ModelSpec {
    ModelSpec {
        id: v.id.into(),
        name: v.name.into(),
        provider: v.provider,
        provider_model: v.provider_model.into(),
        kind: ModelKind::Video,
        params: v.params,
        capabilities: Capabilities {
            first_frame: true,
            last_frame: v.last_frame,
            audio: v.audio,
            durations: v.durations.to_vec(),
            resolutions: strs(v.resolutions),
            aspect_ratios: strs(v.aspect_ratios),
            max_reference_images: 0,
        },
        default_formula: v.formula.into(),
        notice: None,
        enabled_by_default: true,
    }
}

// Each call reads as one row of the image-model table, one argument per column.
#[allow(clippy::too_many_arguments)]
fn image(
    id: &str,
    name: &str,
    provider: ProviderId,
    provider_model: &str,
    kind: ModelKind,
    aspect_ratios: &[&str],
    max_reference_images: u8,
    params: Vec<ParamSpec>,
    formula: &str,
) -> ModelSpec {
    ModelSpec {
        id: id.into(),
        name: name.into(),
        provider,
        provider_model: provider_model.into(),
        kind,
        params,
        capabilities: Capabilities {
            aspect_ratios: strs(aspect_ratios),
            max_reference_images,
            ..Capabilities::default()
        },
        default_formula: formula.into(),
        notice: None,
        enabled_by_default: true,
    }
}

const WIDE: &[&str] = &["21:9", "16:9", "4:3", "1:1", "3:4", "9:16"];
const VEO_RATIOS: &[&str] = &["auto", "16:9", "9:16"];
const GEMINI_RATIOS: &[&str] = &[
    "1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9",
];
const LOCAL_RATIOS: &[&str] = &["1:1", "16:9", "9:16", "4:3", "3:4", "21:9"];

fn video_models() -> Vec<ModelSpec> {
    let veo = |id, name, endpoint, last_frame| {
        video(Video {
            id,
            name,
            provider: ProviderId::Fal,
            provider_model: endpoint,
            last_frame,
            audio: true,
            durations: &[4, 6, 8],
            resolutions: &["720p", "1080p"],
            aspect_ratios: VEO_RATIOS,
            params: vec![
                choice("aspect_ratio", VEO_RATIOS, "auto"),
                choice("duration", &["4s", "6s", "8s"], "8s"),
                choice("resolution", &["720p", "1080p"], "720p"),
                boolean("generate_audio", true),
                // fal documents no limit for Veo; Google's own API takes 2,000.
                negative_prompt(2_000),
                seed(),
            ],
            formula: "duration_seconds * (generate_audio ? 40 : 20)",
        })
    };
    let hailuo = |id, name, endpoint, last_frame, formula| {
        video(Video {
            id,
            name,
            provider: ProviderId::Fal,
            provider_model: endpoint,
            last_frame,
            audio: false,
            durations: &[6],
            resolutions: &["1080p"],
            aspect_ratios: &[],
            params: vec![boolean("prompt_optimizer", true)],
            formula,
        })
    };
    vec![
        video(Video {
            id: "local-video",
            name: "Local video (offline)",
            provider: ProviderId::Local,
            provider_model: "local-video",
            last_frame: true,
            audio: false,
            durations: &[2, 3, 4, 5, 6, 8, 10],
            resolutions: &["270p", "360p", "480p"],
            aspect_ratios: &["16:9", "9:16", "1:1"],
            params: vec![
                int_choice("duration", &[2, 3, 4, 5, 6, 8, 10], 4),
                choice("aspect_ratio", &["16:9", "9:16", "1:1"], "16:9"),
                choice("resolution", &["270p", "360p", "480p"], "360p"),
            ],
            formula: "duration * 2 + (resolution == '480p' ? 4 : 0)",
        }),
        video(Video {
            id: "seedance-v1.5-pro",
            name: "Seedance v1.5 Pro",
            provider: ProviderId::Fal,
            provider_model: "fal-ai/bytedance/seedance/v1.5/pro/image-to-video",
            last_frame: true,
            audio: true,
            durations: &[4, 5, 6, 7, 8, 9, 10, 11, 12],
            resolutions: &["480p", "720p", "1080p"],
            aspect_ratios: WIDE,
            params: vec![
                choice("aspect_ratio", WIDE, "16:9"),
                choice("resolution", &["480p", "720p", "1080p"], "720p"),
                choice(
                    "duration",
                    &["4", "5", "6", "7", "8", "9", "10", "11", "12"],
                    "5",
                ),
                boolean("camera_fixed", false),
                boolean("generate_audio", true),
                seed(),
                hidden(boolean("enable_safety_checker", true)),
            ],
            formula: "duration_seconds * (resolution == '1080p' ? 12 : resolution == '720p' ? 6 : 3) * (generate_audio ? 2 : 1)",
        }),
        hailuo(
            "hailuo-2.3-pro",
            "Hailuo 2.3 Pro",
            "fal-ai/minimax/hailuo-2.3/pro/image-to-video",
            false,
            "49",
        ),
        hailuo(
            "hailuo-2.3-fast-pro",
            "Hailuo 2.3 Fast Pro",
            "fal-ai/minimax/hailuo-2.3-fast/pro/image-to-video",
            false,
            "33",
        ),
        hailuo(
            "hailuo-02-pro",
            "Hailuo 02 Pro",
            "fal-ai/minimax/hailuo-02/pro/image-to-video",
            true,
            "48",
        ),
        video(Video {
            id: "wan-v2.6",
            name: "Wan v2.6",
            provider: ProviderId::Fal,
            provider_model: "wan/v2.6/image-to-video",
            last_frame: false,
            audio: true,
            durations: &[5, 10, 15],
            resolutions: &["720p", "1080p"],
            aspect_ratios: &[],
            params: vec![
                choice("resolution", &["720p", "1080p"], "1080p"),
                choice("duration", &["5", "10", "15"], "5"),
                // fal: "Negative prompt to describe content to avoid. Max 500 characters."
                negative_prompt(500),
                boolean("enable_prompt_expansion", true),
                seed(),
                hidden(boolean("enable_safety_checker", true)),
            ],
            formula: "duration_seconds * (resolution == '1080p' ? 15 : 10)",
        }),
        video(Video {
            id: "kling-v2.6-pro",
            name: "Kling Video v2.6 Pro",
            provider: ProviderId::Fal,
            provider_model: "fal-ai/kling-video/v2.6/pro/image-to-video",
            // Takes `end_image_url`; unlike v2.1 it has no `cfg_scale`.
            last_frame: true,
            audio: true,
            durations: &[5, 10],
            resolutions: &["1080p"],
            aspect_ratios: &[],
            params: vec![
                choice("duration", &["5", "10"], "5"),
                boolean("generate_audio", true),
                // Kling's API caps prompts and negative prompts at 2,500 characters.
                negative_prompt(2_500),
            ],
            formula: "duration_seconds * (generate_audio ? 14 : 7)",
        }),
        video(Video {
            id: "kling-o1-pro",
            name: "Kling O1 Pro",
            provider: ProviderId::Fal,
            provider_model: "fal-ai/kling-video/o1/image-to-video",
            last_frame: true,
            audio: false,
            durations: &[5, 10],
            resolutions: &["1080p"],
            aspect_ratios: &[],
            params: vec![choice("duration", &["5", "10"], "5")],
            formula: "duration_seconds * 12",
        }),
        veo("veo-3.1", "Veo 3.1", "fal-ai/veo3.1/image-to-video", false),
        veo(
            "veo-3.1-first-last",
            "Veo 3.1 First-Last",
            "fal-ai/veo3.1/first-last-frame-to-video",
            true,
        ),
        {
            // fal's endpoint types list `duration` as the text enum "4" | "8" | "12";
            // the endpoint has left fal's newest endpoint list, so it is off until
            // an admin has checked it still answers (README, "Providers").
            let mut sora = video(Video {
                id: "sora-2-pro",
                name: "Sora 2 Pro",
                provider: ProviderId::Fal,
                provider_model: "fal-ai/sora-2/image-to-video/pro",
                last_frame: false,
                audio: true,
                durations: &[4, 8, 12],
                resolutions: &["auto", "720p", "1080p"],
                aspect_ratios: VEO_RATIOS,
                params: vec![
                    choice("resolution", &["auto", "720p", "1080p"], "auto"),
                    choice("aspect_ratio", VEO_RATIOS, "auto"),
                    choice("duration", &["4", "8", "12"], "4"),
                ],
                formula: "duration_seconds * (resolution == '1080p' ? 50 : 30)",
            });
            sora.notice = Some(NOTICE_UNVERIFIED.into());
            sora.enabled_by_default = false;
            sora
        },
        video(Video {
            id: "runway-gen4-turbo",
            name: "Runway Gen-4 Turbo",
            provider: ProviderId::Runway,
            provider_model: "gen4_turbo",
            last_frame: false,
            audio: false,
            durations: &[5, 10],
            resolutions: &["720p"],
            aspect_ratios: &["16:9", "9:16", "4:3", "3:4", "1:1", "21:9"],
            params: vec![
                choice(
                    "ratio",
                    &[
                        "1280:720", "720:1280", "1104:832", "832:1104", "960:960", "1584:672",
                    ],
                    "1280:720",
                ),
                int_choice("duration", &[5, 10], 5),
                seed(),
            ],
            formula: "duration * 5",
        }),
        video(Video {
            id: "grok-imagine-video",
            name: "Grok Imagine Video",
            provider: ProviderId::Xai,
            provider_model: "grok-imagine-video",
            last_frame: false,
            audio: true,
            durations: &[6, 10],
            resolutions: &["480p", "720p"],
            aspect_ratios: &["16:9", "9:16", "1:1"],
            params: vec![
                int_choice("duration", &[6, 10], 6),
                choice("aspect_ratio", &["16:9", "9:16", "1:1"], "16:9"),
                choice("resolution", &["480p", "720p"], "720p"),
            ],
            formula: "duration * (resolution == '720p' ? 7 : 5)",
        }),
    ]
}

fn image_models() -> Vec<ModelSpec> {
    let gemini_params = || {
        vec![
            choice("aspect_ratio", GEMINI_RATIOS, "1:1"),
            choice("image_size", &["1K", "2K", "4K"], "1K"),
        ]
    };
    let gpt_params = || {
        vec![
            choice(
                "size",
                &["auto", "1024x1024", "1536x1024", "1024x1536"],
                "auto",
            ),
            choice("quality", &["auto", "low", "medium", "high"], "auto"),
        ]
    };
    let seedream_params = || {
        vec![
            choice(
                "image_size",
                &[
                    "square_hd",
                    "portrait_4_3",
                    "portrait_16_9",
                    "landscape_4_3",
                    "landscape_16_9",
                    "auto_2K",
                    "auto_4K",
                ],
                "auto_2K",
            ),
            seed(),
            hidden(param(
                "num_images",
                ParamType::Int { min: 1, max: 1 },
                Some(json!(1)),
            )),
        ]
    };
    let local_params = || {
        vec![
            choice("aspect_ratio", LOCAL_RATIOS, "1:1"),
            choice("size", &["small", "medium", "large"], "medium"),
        ]
    };
    use ModelKind::{Image, ImageEdit};
    use ProviderId::{Fal, Gemini, Local, OpenAi, Xai};
    vec![
        {
            let mut local = image(
                "local-image",
                "Local image (offline)",
                Local,
                "local-image",
                Image,
                LOCAL_RATIOS,
                0,
                local_params(),
                "size == 'large' ? 2 : 1",
            );
            local.notice = Some(NOTICE_OFFLINE_SKETCH.into());
            local
        },
        image(
            "local-edit",
            "Local edit (offline)",
            Local,
            "local-edit",
            ImageEdit,
            &[],
            1,
            vec![],
            "1",
        ),
        image(
            "nano-banana-pro",
            "Nano-banana Pro (Gemini image)",
            Gemini,
            "gemini-3-pro-image-preview",
            Image,
            GEMINI_RATIOS,
            0,
            gemini_params(),
            "image_size == '4K' ? 24 : 14",
        ),
        image(
            "nano-banana-pro-edit",
            "Nano-banana Pro edit",
            Gemini,
            "gemini-3-pro-image-preview",
            ImageEdit,
            GEMINI_RATIOS,
            14,
            gemini_params(),
            "image_size == '4K' ? 24 : 14",
        ),
        image(
            "gpt-image",
            "GPT image",
            OpenAi,
            "gpt-image-1",
            Image,
            &[],
            0,
            gpt_params(),
            "quality == 'high' ? 17 : quality == 'low' ? 2 : 7",
        ),
        image(
            "gpt-image-edit",
            "GPT image edit",
            OpenAi,
            "gpt-image-1",
            ImageEdit,
            &[],
            16,
            gpt_params(),
            "quality == 'high' ? 17 : quality == 'low' ? 2 : 7",
        ),
        image(
            "seedream-4.5",
            "Seedream 4.5",
            Fal,
            "fal-ai/bytedance/seedream/v4.5/text-to-image",
            Image,
            &[],
            0,
            seedream_params(),
            "4",
        ),
        image(
            "seedream-4.5-edit",
            "Seedream 4.5 edit",
            Fal,
            "fal-ai/bytedance/seedream/v4.5/edit",
            ImageEdit,
            &[],
            10,
            seedream_params(),
            "4",
        ),
        image(
            "grok-image",
            "Grok image",
            Xai,
            // `grok-2-image` is retired; this is xAI's current standard image model.
            "grok-imagine-image",
            Image,
            &[],
            0,
            vec![],
            "7",
        ),
    ]
}

fn chat_models() -> Vec<ModelSpec> {
    let chat = |id: &str, name: &str, provider, provider_model: &str| ModelSpec {
        id: id.into(),
        name: name.into(),
        provider,
        provider_model: provider_model.into(),
        kind: ModelKind::Chat,
        params: vec![],
        capabilities: Capabilities::default(),
        default_formula: "0".into(),
        notice: None,
        enabled_by_default: true,
    };
    vec![
        chat(
            "local-chat",
            "Local agent (offline)",
            ProviderId::Local,
            "local-chat",
        ),
        // The model name sent to the OpenAI-compatible endpoint is OPENAI_CHAT_MODEL.
        chat(
            super::OPENAI_CHAT_MODEL_ID,
            "OpenAI-compatible chat",
            ProviderId::OpenAi,
            "configured",
        ),
    ]
}

/// Every built-in model: local ones first (they always work), then by kind.
pub fn all_models() -> Vec<ModelSpec> {
    let mut models = video_models();
    models.extend(image_models());
    models.extend(chat_models());
    models
}
