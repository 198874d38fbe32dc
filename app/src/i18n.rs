//! Translations: Fluent files under `locales/<lang>/main.ftl`, English and
//! Simplified Chinese. The language comes from the `lf-lang` cookie, then the
//! browser's Accept-Language, then English; the switch in the header sets the
//! cookie.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};
use leptos::prelude::*;
use leptos_fluent::leptos_fluent;

static_loader! {
    // Every translation, loaded at compile time.
    pub static TRANSLATIONS = {
        locales: "../locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: they leak into emails and plain text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The languages the app speaks, as `(id, name)`.
pub const LANGUAGES: [(&str, &str); 2] = [("en", "English"), ("zh-CN", "简体中文")];

/// The cookie that remembers the chosen language.
pub const LANGUAGE_COOKIE: &str = "lf-lang";

/// Provides the translation context to everything below it.
#[component]
pub fn I18nProvider(children: Children) -> impl IntoView {
    leptos_fluent! {
        children: children(),
        translations: [TRANSLATIONS],
        locales: "../locales",
        default_language: "en",
        sync_html_tag_lang: true,
        cookie_name: "lf-lang",
        cookie_attrs: "SameSite=Lax; Path=/; Max-Age=31536000",
        initial_language_from_cookie: true,
        initial_language_from_accept_language_header: true,
        initial_language_from_navigator: true,
        initial_language_from_navigator_to_cookie: true,
        set_language_to_cookie: true,
    }
}

/// Translates a message whose key is only known at run time (error codes),
/// in the current UI language.
pub fn tr_dynamic(key: &str, args: &[(&'static str, String)]) -> String {
    let i18n = expect_context::<leptos_fluent::I18n>();
    if args.is_empty() {
        i18n.tr(key)
    } else {
        i18n.tr_with_args(key, &fluent_args(args))
    }
}

/// Arguments for Fluent. A whole number is passed as a number, so plural
/// rules can select on it ("1 credit", "2 credits"; one form in Chinese).
fn fluent_args(
    args: &[(&'static str, String)],
) -> HashMap<Cow<'static, str>, FluentValue<'static>> {
    args.iter()
        .map(|(k, v)| {
            let value = match v.parse::<i64>() {
                Ok(n) if n.to_string() == *v => FluentValue::from(n),
                _ => FluentValue::from(v.clone()),
            };
            (Cow::Borrowed(*k), value)
        })
        .collect()
}

/// Translates outside the UI (emails, logs shown to people) into `language`,
/// falling back to English for unknown languages.
pub fn tr_in(language: &str, key: &str, args: &[(&'static str, String)]) -> String {
    TRANSLATIONS.lookup_with_args(&language_id(language), key, &fluent_args(args))
}

/// Like [`tr_in`], but `None` when no language defines `key` (for names that
/// only some values have, such as a parameter value's).
pub fn try_tr_in(language: &str, key: &str, args: &[(&'static str, String)]) -> Option<String> {
    TRANSLATIONS.try_lookup_with_args(&language_id(language), key, &fluent_args(args))
}

fn language_id(language: &str) -> LanguageIdentifier {
    language
        .parse()
        .unwrap_or_else(|_| fluent_templates::langid!("en"))
}

/// The UI language's id (`en` or `zh-CN`). Reactive: a view that reads it
/// follows the language switch.
pub fn current_language() -> &'static str {
    expect_context::<leptos_fluent::I18n>().language.get().id
}

/// The language of the current request (server side): the language cookie,
/// then Accept-Language, then English. Used for mail sent during a request.
#[cfg(feature = "ssr")]
pub fn request_language() -> &'static str {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return "en";
    };
    let header = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v: &http::HeaderValue| v.to_str().ok())
            .unwrap_or_default()
    };
    let cookie = crate::cookie::find_cookie(header(http::header::COOKIE), LANGUAGE_COOKIE);
    let wanted =
        cookie.into_iter().chain(
            header(http::header::ACCEPT_LANGUAGE)
                .split(',')
                .map(|part| {
                    part.split(';')
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .to_string()
                }),
        );
    for tag in wanted {
        let tag = tag.to_ascii_lowercase();
        if tag.starts_with("zh") {
            return "zh-CN";
        }
        if tag.starts_with("en") {
            return "en";
        }
    }
    "en"
}

/// The translated label of a parameter (its name when there is no translation).
pub fn param_label(name: &str) -> String {
    let key = format!("param-{}", name.replace('_', "-"));
    let text = tr_dynamic(&key, &[]);
    if text == key { name.to_string() } else { text }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    /// The message ids (and attribute ids) defined in one locale, over every
    /// `.ftl` file of its folder (fluent-templates loads them all); a key
    /// defined twice fails.
    fn keys_of(locale: &str) -> BTreeSet<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../locales")
            .join(locale);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
            .collect();
        files.sort();
        assert!(
            files.iter().any(|p| p.ends_with("main.ftl")),
            "{locale}: no main.ftl"
        );
        let mut keys = BTreeSet::new();
        for path in &files {
            for key in keys_in(locale, path) {
                assert!(keys.insert(key.clone()), "{locale}: {key} is defined twice");
            }
        }
        keys
    }

    fn keys_in(locale: &str, path: &Path) -> Vec<String> {
        let source =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Err((_, errors)) =
            fluent_templates::fluent_bundle::FluentResource::try_new(source.clone())
        {
            panic!("{locale} {}: syntax errors: {errors:?}", path.display());
        }
        // Messages and terms start at column 0: `id = …` or `-term = …`.
        source
            .lines()
            .filter_map(|line| {
                let (id, _) = line.split_once('=')?;
                let id = id.trim_end();
                let name = id.strip_prefix('-').unwrap_or(id);
                let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                valid.then(|| id.to_string())
            })
            .collect()
    }

    #[test]
    fn both_locales_define_exactly_the_same_keys() {
        let en = keys_of("en");
        let zh = keys_of("zh-CN");
        let only_en: Vec<_> = en.difference(&zh).collect();
        let only_zh: Vec<_> = zh.difference(&en).collect();
        assert!(
            only_en.is_empty() && only_zh.is_empty(),
            "missing in zh-CN: {only_en:?}; missing in en: {only_zh:?}"
        );
        assert!(en.len() > 20, "locales look empty");
    }

    /// Every literal key in `tr!("…")` / `move_tr!("…")` anywhere in the app's source.
    fn keys_used_in_source() -> BTreeSet<String> {
        fn walk(dir: &Path, out: &mut BTreeSet<String>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let source = std::fs::read_to_string(&path).unwrap();
                    for marker in ["tr!(\"", "tr!(i18n, \""] {
                        for (i, _) in source.match_indices(marker) {
                            let rest = &source[i + marker.len()..];
                            let key = rest.split('"').next().unwrap_or_default();
                            // Skips prose such as `tr!("…")` in comments.
                            if !key.is_empty()
                                && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                            {
                                out.insert(key.to_string());
                            }
                        }
                    }
                }
            }
        }
        let mut keys = BTreeSet::new();
        walk(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut keys,
        );
        keys
    }

    #[test]
    fn every_key_the_code_uses_is_translated() {
        let used = keys_used_in_source();
        assert!(
            used.contains("nav-chat") && used.contains("home-idea-6"),
            "scanner finds keys: {used:?}"
        );
        for locale in ["en", "zh-CN"] {
            let defined = keys_of(locale);
            let missing: Vec<_> = used.difference(&defined).collect();
            assert!(missing.is_empty(), "{locale} lacks {missing:?}");
        }
    }

    /// Every string literal in the app's source that starts with `prefix`
    /// and looks like a message key.
    fn literals_with_prefix(prefix: &str) -> BTreeSet<String> {
        fn walk(dir: &Path, prefix: &str, out: &mut BTreeSet<String>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, prefix, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let source = std::fs::read_to_string(&path).unwrap();
                    let marker = format!("\"{prefix}");
                    for (i, _) in source.match_indices(&marker) {
                        let rest = &source[i + 1..];
                        let literal = rest.split('"').next().unwrap_or_default();
                        if literal
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                        {
                            out.insert(literal.to_string());
                        }
                    }
                }
            }
        }
        let mut out = BTreeSet::new();
        walk(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            prefix,
            &mut out,
        );
        out
    }

    #[test]
    fn every_reason_and_library_key_in_the_code_is_translated() {
        let used: BTreeSet<String> = [
            "error-reason-",
            "library-",
            "upload-",
            "share-role-",
            "conflict-",
        ]
        .iter()
        .flat_map(|p| literals_with_prefix(p))
        // Keys built at run time end in a dash (`library-kind-` + kind).
        .filter(|k| !k.ends_with('-'))
        .collect();
        assert!(
            used.contains("error-reason-empty-file"),
            "scanner finds keys: {used:?}"
        );
        for locale in ["en", "zh-CN"] {
            let defined = keys_of(locale);
            let missing: Vec<_> = used.difference(&defined).collect();
            assert!(missing.is_empty(), "{locale} lacks {missing:?}");
        }
    }

    #[test]
    fn every_rejected_field_has_a_label() {
        let source_fields = {
            let mut fields = BTreeSet::new();
            fn walk(dir: &Path, out: &mut BTreeSet<String>) {
                for entry in std::fs::read_dir(dir).unwrap().flatten() {
                    let path = entry.path();
                    if path.is_dir() {
                        walk(&path, out);
                    } else if path.extension().is_some_and(|e| e == "rs") {
                        let source = std::fs::read_to_string(&path).unwrap();
                        for (i, _) in source.match_indices("AppError::invalid(\"") {
                            let rest = &source[i + "AppError::invalid(\"".len()..];
                            out.insert(rest.split('"').next().unwrap_or_default().to_string());
                        }
                    }
                }
            }
            walk(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
                &mut fields,
            );
            fields
        };
        assert!(source_fields.contains("file"), "{source_fields:?}");
        for locale in ["en", "zh-CN"] {
            let defined = keys_of(locale);
            let missing: Vec<_> = source_fields
                .iter()
                // `f` is the placeholder of this module's own tests.
                .filter(|f| f.as_str() != "f")
                .map(|f| format!("field-{f}"))
                .filter(|k| !defined.contains(k))
                .collect();
            assert!(missing.is_empty(), "{locale} lacks {missing:?}");
        }
    }

    #[test]
    fn every_error_code_has_a_message() {
        use crate::error::AppError;
        let en = keys_of("en");
        for error in [
            AppError::invalid("f", "r"),
            AppError::Unauthorized,
            AppError::Forbidden,
            AppError::AccountDisabled,
            AppError::NotFound,
            AppError::Conflict {
                what: String::new(),
            },
            AppError::PayloadTooLarge { limit: 1 },
            AppError::UnsupportedMediaType,
            AppError::QuotaExceeded { quota: 1, used: 1 },
            AppError::InsufficientCredits {
                needed: 1,
                balance: 0,
            },
            AppError::SpendingCap { cap: 1, left: 0 },
            AppError::RateLimited {
                retry_after_secs: 1,
            },
            AppError::Unavailable,
            AppError::Internal,
            AppError::Network,
            AppError::ModelUnavailable {
                model: String::new(),
            },
        ]
        .into_iter()
        .chain(
            [
                "unknown",
                "not_allowed",
                "out_of_range",
                "wrong_type",
                "too_long",
            ]
            .map(|p| AppError::InvalidParameter {
                param: String::new(),
                problem: p.into(),
                allowed: String::new(),
            }),
        )
        .chain(
            [
                "empty",
                "too_long",
                "too_deep",
                "unexpected",
                "unexpected_end",
                "unclosed_string",
                "bad_number",
                "unknown_variable",
                "type_mismatch",
                "division_by_zero",
                "not_finite",
                "negative",
            ]
            .map(|p| AppError::InvalidFormula {
                problem: p.into(),
                detail: String::new(),
                at: 0,
            }),
        ) {
            assert!(
                en.contains(&error.message_key()),
                "no message {}",
                error.message_key()
            );
        }
    }

    #[test]
    fn every_conflict_the_code_raises_is_named_in_words() {
        let en = keys_of("en");
        for what in [
            "job_finished",
            "job_not_retryable",
            "cancel_not_supported",
            "idempotency_key",
            "refund",
            "passkey",
            "upload_closed",
            "upload_expired",
            "upload_busy",
            "upload_completed",
            "chat_busy",
        ] {
            let key = format!("conflict-{}", what.replace('_', "-"));
            assert!(en.contains(&key), "no message {key}");
        }
    }

    #[test]
    fn every_catalog_parameter_has_a_label() {
        let en = keys_of("en");
        for model in crate::catalog::all_models() {
            for param in &model.params {
                let key = format!("param-{}", param.name.replace('_', "-"));
                assert!(en.contains(&key), "{}: no label {key}", model.id);
            }
        }
    }

    /// Every counted message, with the argument it counts.
    const COUNTED: [(&str, &str); 19] = [
        ("chat-suggestion-price", "credits"),
        ("chat-suggestions-malformed", "count"),
        ("chat-suggestions-cut", "count"),
        ("error-rate-limited", "seconds"),
        ("admin-users-credits", "credits"),
        ("admin-models-price", "credits"),
        ("admin-credits-count", "count"),
        ("admin-reconcile-ok", "accounts"),
        ("admin-reconcile-bad", "count"),
        ("studio-price", "credits"),
        ("job-cost", "credits"),
        ("job-refunded", "credits"),
        ("library-count", "count"),
        ("library-delete-items-body", "count"),
        ("time-minutes-ago", "count"),
        ("time-hours-ago", "count"),
        ("time-days-ago", "count"),
        ("studio-short", "missing"),
        ("error-insufficient-credits", "missing"),
    ];

    #[test]
    fn counted_messages_follow_plural_rules_in_both_languages() {
        for (key, arg) in COUNTED {
            for n in [0, 1, 2, 5] {
                // The other values some of these messages name (a shortfall names both sides).
                let args = [
                    (arg, n.to_string()),
                    ("balance", "7".to_string()),
                    ("needed", "9".to_string()),
                ];
                let en = tr_in("en", key, &args);
                let zh = tr_in("zh-CN", key, &args);
                assert!(!en.is_empty() && en != key, "{key} missing in en");
                assert!(!zh.is_empty() && zh != key, "{key} missing in zh-CN");
                assert!(
                    !zh.contains(" credits") && !zh.contains(" items"),
                    "{key}: {zh}"
                );
                // English: the singular for one, the plural otherwise; never "1 credits".
                for (one, other) in [
                    ("credit", "credits"),
                    ("item", "items"),
                    ("second", "seconds"),
                    ("movement", "movements"),
                    ("balance", "balances"),
                    ("minute", "minutes"),
                    ("hour", "hours"),
                    ("day", "days"),
                ] {
                    assert!(!en.contains(&format!("1 {other}")), "{key}({n}): {en}");
                    if n != 1 {
                        assert!(!en.contains(&format!("{n} {one} ")), "{key}({n}): {en}");
                    }
                }
                if n > 1 && !en.contains("All") {
                    assert!(en.contains(&n.to_string()), "{key}({n}): {en}");
                }
            }
        }
        assert_eq!(
            tr_in("en", "studio-price", &[("credits", "1".into())]),
            "Costs 1 credit"
        );
        assert_eq!(
            tr_in("en", "studio-price", &[("credits", "5".into())]),
            "Costs 5 credits"
        );
    }

    #[test]
    fn server_side_translation_fills_arguments_and_falls_back() {
        let zh = tr_in("zh-CN", "error-rate-limited", &[("seconds", "42".into())]);
        assert!(zh.contains("42") && !zh.contains('\u{2068}'), "{zh}");
        assert_eq!(tr_in("fr", "nav-chat", &[]), tr_in("en", "nav-chat", &[]));
    }
}
