//! The input fields each fal endpoint in the catalog accepts, as fal's own
//! endpoint types list them (fal-js `libs/client/src/types/endpoints.ts`,
//! August 2026; Sora 2 from the April 2026 edition, the last that lists it).
//!
//! The table is the reference the fakes check requests against
//! ([`check_fal_input`]), and a unit test builds every catalog model's request
//! and checks it here, so the catalog, the client's field names and this
//! table cannot drift apart silently. When fal changes an endpoint, change
//! the row here first: the tests then say what else must follow.

use serde_json::{Value, json};

/// What one input field holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FalFieldKind {
    /// Text, optionally with fal's documented length limit.
    Text {
        max_len: Option<usize>,
    },
    /// One of these strings (fal enums are strings, even for numbers: `"5"`).
    Choice(&'static [&'static str]),
    /// A whole number.
    Int,
    /// Any number.
    Number,
    Bool,
    /// A file given as a URL (`https://…` or a `data:` URI).
    Url,
    /// A list of URLs.
    UrlList,
    /// A list of strings (ids).
    TextList,
}

/// One input field of a fal endpoint.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FalField {
    pub name: &'static str,
    pub kind: FalFieldKind,
    pub required: bool,
}

const fn req(name: &'static str, kind: FalFieldKind) -> FalField {
    FalField {
        name,
        kind,
        required: true,
    }
}

const fn opt(name: &'static str, kind: FalFieldKind) -> FalField {
    FalField {
        name,
        kind,
        required: false,
    }
}

use FalFieldKind::{Bool, Choice, Int, Text, TextList, Url, UrlList};

const TEXT: FalFieldKind = Text { max_len: None };

const SEEDANCE_V15_PRO_I2V: &[FalField] = &[
    req("prompt", TEXT),
    req("image_url", Url),
    opt("end_image_url", Url),
    opt(
        "aspect_ratio",
        Choice(&["21:9", "16:9", "4:3", "1:1", "3:4", "9:16", "auto"]),
    ),
    opt("resolution", Choice(&["480p", "720p", "1080p"])),
    opt(
        "duration",
        Choice(&["4", "5", "6", "7", "8", "9", "10", "11", "12"]),
    ),
    opt("camera_fixed", Bool),
    opt("generate_audio", Bool),
    opt("seed", Int),
    opt("enable_safety_checker", Bool),
];

const HAILUO_23_PRO_I2V: &[FalField] = &[
    req("prompt", TEXT),
    req("image_url", Url),
    opt("prompt_optimizer", Bool),
];

const HAILUO_02_PRO_I2V: &[FalField] = &[
    req("prompt", TEXT),
    req("image_url", Url),
    opt("end_image_url", Url),
    opt("prompt_optimizer", Bool),
];

const WAN_V26_I2V: &[FalField] = &[
    req(
        "prompt",
        Text {
            max_len: Some(1_500),
        },
    ),
    req("image_url", Url),
    opt("audio_url", Url),
    opt("duration", Choice(&["5", "10", "15"])),
    opt("resolution", Choice(&["720p", "1080p"])),
    opt("negative_prompt", Text { max_len: Some(500) }),
    opt("enable_prompt_expansion", Bool),
    opt("multi_shots", Bool),
    opt("seed", Int),
    opt("enable_safety_checker", Bool),
];

const KLING_V26_PRO_I2V: &[FalField] = &[
    req("prompt", TEXT),
    req("start_image_url", Url),
    opt("end_image_url", Url),
    opt("duration", Choice(&["5", "10"])),
    opt("generate_audio", Bool),
    opt("negative_prompt", TEXT),
    opt("voice_ids", TextList),
];

const KLING_O1_I2V: &[FalField] = &[
    req("prompt", TEXT),
    req("start_image_url", Url),
    opt("end_image_url", Url),
    opt(
        "duration",
        Choice(&["3", "4", "5", "6", "7", "8", "9", "10"]),
    ),
];

const VEO_COMMON: [FalField; 9] = [
    req("prompt", TEXT),
    opt("aspect_ratio", Choice(&["auto", "16:9", "9:16"])),
    opt("duration", Choice(&["4s", "6s", "8s"])),
    opt("resolution", Choice(&["720p", "1080p", "4k"])),
    opt("generate_audio", Bool),
    opt("negative_prompt", TEXT),
    opt("auto_fix", Bool),
    opt("safety_tolerance", Choice(&["1", "2", "3", "4", "5", "6"])),
    opt("seed", Int),
];

const VEO31_I2V: &[FalField] = &[
    VEO_COMMON[0],
    VEO_COMMON[1],
    VEO_COMMON[2],
    VEO_COMMON[3],
    VEO_COMMON[4],
    VEO_COMMON[5],
    VEO_COMMON[6],
    VEO_COMMON[7],
    VEO_COMMON[8],
    req("image_url", Url),
];

const VEO31_FIRST_LAST: &[FalField] = &[
    VEO_COMMON[0],
    VEO_COMMON[1],
    VEO_COMMON[2],
    VEO_COMMON[3],
    VEO_COMMON[4],
    VEO_COMMON[5],
    VEO_COMMON[6],
    VEO_COMMON[7],
    VEO_COMMON[8],
    req("first_frame_url", Url),
    req("last_frame_url", Url),
];

const SORA2_PRO_I2V: &[FalField] = &[
    req("prompt", TEXT),
    req("image_url", Url),
    opt(
        "resolution",
        Choice(&["auto", "720p", "1080p", "true_1080p"]),
    ),
    opt("aspect_ratio", Choice(&["auto", "9:16", "16:9"])),
    opt("duration", Choice(&["4", "8", "12", "16", "20"])),
    opt("delete_video", Bool),
    opt("detect_and_block_ip", Bool),
    opt("character_ids", TextList),
];

const SEEDREAM_SIZES: &[&str] = &[
    "square_hd",
    "square",
    "portrait_4_3",
    "portrait_16_9",
    "landscape_4_3",
    "landscape_16_9",
    "auto_2K",
    "auto_4K",
];

const SEEDREAM45_T2I: &[FalField] = &[
    req("prompt", TEXT),
    opt("image_size", Choice(SEEDREAM_SIZES)),
    opt("num_images", Int),
    opt("max_images", Int),
    opt("seed", Int),
    opt("sync_mode", Bool),
    opt("enable_safety_checker", Bool),
];

const SEEDREAM45_EDIT: &[FalField] = &[
    req("prompt", TEXT),
    req("image_urls", UrlList),
    opt("image_size", Choice(SEEDREAM_SIZES)),
    opt("num_images", Int),
    opt("max_images", Int),
    opt("seed", Int),
    opt("sync_mode", Bool),
    opt("enable_safety_checker", Bool),
];

/// The accepted input fields of a fal endpoint, when it is in the table.
pub fn fal_inputs(endpoint: &str) -> Option<&'static [FalField]> {
    Some(match endpoint {
        "fal-ai/bytedance/seedance/v1.5/pro/image-to-video" => SEEDANCE_V15_PRO_I2V,
        "fal-ai/minimax/hailuo-2.3/pro/image-to-video"
        | "fal-ai/minimax/hailuo-2.3-fast/pro/image-to-video" => HAILUO_23_PRO_I2V,
        "fal-ai/minimax/hailuo-02/pro/image-to-video" => HAILUO_02_PRO_I2V,
        "wan/v2.6/image-to-video" => WAN_V26_I2V,
        "fal-ai/kling-video/v2.6/pro/image-to-video" => KLING_V26_PRO_I2V,
        "fal-ai/kling-video/o1/image-to-video" => KLING_O1_I2V,
        "fal-ai/veo3.1/image-to-video" => VEO31_I2V,
        "fal-ai/veo3.1/first-last-frame-to-video" => VEO31_FIRST_LAST,
        "fal-ai/sora-2/image-to-video/pro" => SORA2_PRO_I2V,
        "fal-ai/bytedance/seedream/v4.5/text-to-image" => SEEDREAM45_T2I,
        "fal-ai/bytedance/seedream/v4.5/edit" => SEEDREAM45_EDIT,
        _ => return None,
    })
}

/// Whether `endpoint` requires the input field `name`.
pub fn requires(endpoint: &str, name: &str) -> bool {
    fal_inputs(endpoint)
        .and_then(|fields| fields.iter().find(|f| f.name == name))
        .is_some_and(|f| f.required)
}

fn problem(field: &str, msg: &str, kind: &str) -> Value {
    json!({"loc": ["body", field], "msg": msg, "type": kind})
}

fn check_value(field: &FalField, value: &Value) -> Option<Value> {
    let is_url = |v: &Value| {
        v.as_str().is_some_and(|s| {
            s.starts_with("https://") || s.starts_with("http://") || s.starts_with("data:")
        })
    };
    let bad = |msg: &str, kind: &str| Some(problem(field.name, msg, kind));
    match field.kind {
        Text { max_len } => match value.as_str() {
            None => bad("Input should be a valid string", "string_type"),
            Some(text) if max_len.is_some_and(|max| text.chars().count() > max) => bad(
                &format!(
                    "String should have at most {} characters",
                    max_len.unwrap_or_default()
                ),
                "string_too_long",
            ),
            Some(_) => None,
        },
        Choice(values) => match value.as_str() {
            Some(text) if values.contains(&text) => None,
            _ => bad(
                &format!(
                    "Input should be {}",
                    values
                        .iter()
                        .map(|v| format!("'{v}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "literal_error",
            ),
        },
        Int => (!value.is_i64() && !value.is_u64())
            .then(|| problem(field.name, "Input should be a valid integer", "int_type")),
        FalFieldKind::Number => (!value.is_number())
            .then(|| problem(field.name, "Input should be a valid number", "float_type")),
        Bool => (!value.is_boolean())
            .then(|| problem(field.name, "Input should be a valid boolean", "bool_type")),
        Url => {
            (!is_url(value)).then(|| problem(field.name, "Input should be a valid URL", "url_type"))
        }
        UrlList => match value.as_array() {
            Some(list) if !list.is_empty() && list.iter().all(is_url) => None,
            _ => bad("Input should be a list of valid URLs", "list_type"),
        },
        TextList => match value.as_array() {
            Some(list) if list.iter().all(Value::is_string) => None,
            _ => bad("Input should be a valid list of strings", "list_type"),
        },
    }
}

/// Checks a JSON input as fal's endpoint would: every required field present,
/// every field known and of its type. On refusal, the body fal answers 422
/// with (`{"detail": [{"loc", "msg", "type"}]}`).
///
/// Unknown fields are refused here although a fal app may silently ignore
/// them: a misspelt field then costs the user a setting they paid for, so
/// the fakes make it a test failure.
pub fn check_fal_input(endpoint: &str, input: &Value) -> Result<(), Value> {
    let Some(fields) = fal_inputs(endpoint) else {
        return Err(json!({"detail": format!("Application '{endpoint}' not found")}));
    };
    let Some(object) = input.as_object() else {
        return Err(
            json!({"detail": [problem("body", "Input should be a valid dictionary", "dict_type")]}),
        );
    };
    let mut problems = Vec::new();
    for field in fields {
        match object.get(field.name) {
            None if field.required => {
                problems.push(problem(field.name, "Field required", "missing"));
            }
            None => {}
            Some(value) => problems.extend(check_value(field, value)),
        }
    }
    for name in object.keys() {
        if !fields.iter().any(|f| f.name == name) {
            problems.push(problem(
                name,
                "Extra inputs are not permitted",
                "extra_forbidden",
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(json!({ "detail": problems }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_field_name_a_missing_field_and_a_wrong_type_are_refused() {
        let kling = "fal-ai/kling-video/v2.6/pro/image-to-video";
        let ok = json!({"prompt": "p", "start_image_url": "https://m/a.png", "duration": "5"});
        assert_eq!(check_fal_input(kling, &ok), Ok(()));
        let old_names = json!({"prompt": "p", "image_url": "https://m/a.png", "tail_image_url": "https://m/b.png"});
        let detail = check_fal_input(kling, &old_names).unwrap_err()["detail"].clone();
        let types: Vec<_> = detail
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["loc"][1].as_str().unwrap(), d["type"].as_str().unwrap()))
            .collect();
        assert!(types.contains(&("start_image_url", "missing")), "{types:?}");
        assert!(
            types.contains(&("image_url", "extra_forbidden")),
            "{types:?}"
        );
        let number = json!({"prompt": "p", "start_image_url": "https://m/a.png", "duration": 5});
        assert_eq!(
            check_fal_input(kling, &number).unwrap_err()["detail"][0]["type"],
            "literal_error"
        );
        let wan = json!({"prompt": "p", "image_url": "data:image/png;base64,AA", "negative_prompt": "x".repeat(501)});
        assert_eq!(
            check_fal_input("wan/v2.6/image-to-video", &wan).unwrap_err()["detail"][0]["type"],
            "string_too_long"
        );
        assert!(requires(
            "fal-ai/veo3.1/first-last-frame-to-video",
            "last_frame_url"
        ));
        assert!(!requires("fal-ai/veo3.1/image-to-video", "negative_prompt"));
    }
}
