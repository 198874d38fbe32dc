//! A generation's settings as people read them: each parameter's translated
//! label and value name, in the catalog's order, instead of the stored JSON.
//! One component shows them everywhere (the generation page, the library
//! item page, lists), and the studio's form names its choices the same way.

use leptos::prelude::*;
use serde_json::Value;

use crate::catalog::{ParamType, find_model};
use crate::i18n::{current_language, tr_in, try_tr_in};

/// One setting as shown: the parameter's label and its value's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingLine {
    /// The parameter's name in the catalog (`aspect_ratio`).
    pub name: String,
    /// Its translated label ("Aspect ratio").
    pub label: String,
    /// Its value, named for people ("Medium", "4 s", "On").
    pub value: String,
}

/// A parameter's label in `language` (its name when none is translated).
pub fn param_label_in(language: &str, name: &str) -> String {
    try_tr_in(language, &format!("param-{}", name.replace('_', "-")), &[])
        .unwrap_or_else(|| name.to_string())
}

/// A value of parameter `name` as people read it in `language`: yes/no as
/// on/off, durations in seconds, pixel sizes as `W × H`, catalog words
/// (`medium`, `square_hd`, `auto`) by their translated names, anything else
/// as it was given.
pub fn value_name_in(language: &str, name: &str, value: &Value) -> String {
    let text = match value {
        Value::Bool(on) => {
            return tr_in(
                language,
                if *on { "setting-on" } else { "setting-off" },
                &[],
            );
        }
        Value::String(s) => s.clone(),
        Value::Null => return "—".into(),
        other => other.to_string(),
    };
    if name == "duration" {
        // Providers spell seconds as `4`, `"4"` or `"4s"`.
        if let Ok(seconds) = text.trim_end_matches('s').parse::<u32>() {
            return tr_in(
                language,
                "setting-seconds",
                &[("seconds", seconds.to_string())],
            );
        }
    }
    if let Some((w, h)) = text.split_once(['x', ':'])
        && name != "aspect_ratio"
        && w.parse::<u32>().is_ok()
        && h.parse::<u32>().is_ok()
    {
        return format!("{w} × {h}");
    }
    let slug: String = text
        .chars()
        .map(|c| {
            if c == '_' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    let is_word = !slug.is_empty()
        && slug.starts_with(|c: char| c.is_ascii_lowercase())
        && slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    is_word
        .then(|| try_tr_in(language, &format!("param-value-{slug}"), &[]))
        .flatten()
        .unwrap_or(text)
}

/// The settings a generation used (`params`, the stored JSON object), named
/// in `language`: the model's settable parameters in the catalog's order,
/// then any the catalog does not list (a model since removed). Parameters
/// the model fixes itself (hidden or disabled) are left out; text that is
/// not a JSON object gives no lines.
pub fn describe_settings(language: &str, model_id: Option<&str>, params: &str) -> Vec<SettingLine> {
    let Ok(Value::Object(saved)) = serde_json::from_str::<Value>(params) else {
        return Vec::new();
    };
    let model = model_id.and_then(find_model);
    let spec_of = |name: &str| model.as_ref().and_then(|m| m.param(name));
    let position = |name: &str| {
        model
            .as_ref()
            .and_then(|m| m.params.iter().position(|p| p.name == name))
            .unwrap_or(usize::MAX)
    };
    let mut shown: Vec<(&String, &Value)> = saved
        .iter()
        .filter(|(name, value)| {
            !value.is_null() && spec_of(name).is_none_or(|s| !s.hidden && !s.disabled)
        })
        .collect();
    shown.sort_by(|(a, _), (b, _)| position(a).cmp(&position(b)).then(a.cmp(b)));
    shown
        .into_iter()
        .map(|(name, value)| SettingLine {
            name: name.clone(),
            label: param_label_in(language, name),
            value: value_name_in(language, name, value),
        })
        .collect()
}

/// The name of a choice offered in the studio's form for parameter `spec`.
pub fn choice_name_in(language: &str, name: &str, ty: &ParamType, value: &str) -> String {
    let value = match ty {
        ParamType::IntChoice { .. } => value
            .parse::<i64>()
            .map_or_else(|_| Value::String(value.into()), Value::from),
        _ => Value::String(value.into()),
    };
    value_name_in(language, name, &value)
}

/// A generation's settings, labelled and translated. `compact` puts them on
/// one line for lists; otherwise they are a list of label and value pairs.
#[component]
pub fn GenerationSettings(
    #[prop(into)] model_id: Signal<Option<String>>,
    #[prop(into)] params: Signal<String>,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    let lines =
        move || describe_settings(current_language(), model_id.get().as_deref(), &params.get());
    if compact {
        view! {
            <p class="truncate text-xs text-muted" data-testid="settings">
                {move || {
                    let language = current_language();
                    lines()
                        .into_iter()
                        .map(|l| tr_in(language, "setting-pair", &[("label", l.label), ("value", l.value)]))
                        .collect::<Vec<_>>()
                        .join(" · ")
                }}
            </p>
        }
        .into_any()
    } else {
        (move || {
            let lines = lines();
            if lines.is_empty() {
                return view! { <p class="text-fg" data-testid="settings">"—"</p> }.into_any();
            }
            view! {
                <dl class="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5" data-testid="settings">
                    {lines
                        .into_iter()
                        .map(|l| view! {
                            <dt class="text-muted" data-param=l.name>{l.label}</dt>
                            <dd class="min-w-0 wrap-anywhere text-fg">{l.value}</dd>
                        })
                        .collect_view()}
                </dl>
            }
            .into_any()
        })
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(lines: Vec<SettingLine>) -> Vec<(String, String)> {
        lines.into_iter().map(|l| (l.label, l.value)).collect()
    }

    #[test]
    fn settings_read_as_labelled_translated_values() {
        let json = r#"{"size":"medium","aspect_ratio":"1:1"}"#;
        assert_eq!(
            pairs(describe_settings("en", Some("local-image"), json)),
            [
                ("Aspect ratio".into(), "1:1".into()),
                ("Size".into(), "Medium".into())
            ]
        );
        assert_eq!(
            pairs(describe_settings("zh-CN", Some("local-image"), json)),
            [
                ("宽高比".into(), "1:1".into()),
                ("尺寸".into(), "中".into())
            ]
        );
    }

    #[test]
    fn durations_switches_sizes_and_words_are_named() {
        let veo =
            r#"{"aspect_ratio":"auto","duration":"8s","resolution":"720p","generate_audio":false}"#;
        assert_eq!(
            pairs(describe_settings("en", Some("veo-3.1"), veo)),
            [
                ("Aspect ratio".into(), "Auto".into()),
                ("Duration".into(), "8 s".into()),
                ("Resolution".into(), "720p".into()),
                ("Generate audio".into(), "Off".into()),
            ]
        );
        let zh = pairs(describe_settings(
            "zh-CN",
            Some("local-video"),
            r#"{"duration":4}"#,
        ));
        assert_eq!(zh, [("时长".into(), "4 秒".into())]);
        let gpt = describe_settings(
            "en",
            Some("gpt-image"),
            r#"{"size":"1536x1024","quality":"high"}"#,
        );
        assert_eq!(pairs(gpt)[0].1, "1536 × 1024");
        let seedream = describe_settings(
            "en",
            Some("seedream-4.5"),
            r#"{"image_size":"portrait_16_9","num_images":1}"#,
        );
        // `num_images` is fixed by the model (hidden): not a choice anyone made.
        assert_eq!(
            pairs(seedream),
            [("Image size".into(), "Portrait 16:9".into())]
        );
    }

    #[test]
    fn every_catalog_word_value_has_a_name_in_both_languages() {
        for model in crate::catalog::all_models() {
            for spec in model.visible_params() {
                if let ParamType::Choice { values } = &spec.ty {
                    for value in values {
                        for language in ["en", "zh-CN"] {
                            let named = choice_name_in(language, &spec.name, &spec.ty, value);
                            let is_word = value.starts_with(|c: char| c.is_ascii_alphabetic());
                            assert!(
                                !is_word || named != *value,
                                "{}: {}={value} has no name in {language}",
                                model.id,
                                spec.name
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn unknown_models_and_bad_json_still_read() {
        assert_eq!(
            pairs(describe_settings("en", Some("gone"), r#"{"b":"x","a":2}"#)),
            [("a".into(), "2".into()), ("b".into(), "x".into())]
        );
        assert!(describe_settings("en", None, "not json").is_empty());
    }
}
