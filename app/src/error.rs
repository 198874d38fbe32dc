//! One error type at the boundary, shared by server functions and HTTP
//! endpoints. It serializes to a stable `code` plus the few values a person
//! needs; the browser translates it by code. Internal details are logged on the
//! server, never sent.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What went wrong, as far as the person using the app is concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AppError {
    /// A field was rejected; `reason` is a translation key for why.
    #[error("invalid value for {field}: {reason}")]
    Invalid { field: String, reason: String },
    /// A generation parameter was refused: `problem` is `unknown`, `not_allowed`,
    /// `out_of_range`, `wrong_type` or `too_long`; `allowed` says what would do.
    #[error("invalid parameter {param}: {problem} ({allowed})")]
    InvalidParameter {
        param: String,
        problem: String,
        allowed: String,
    },
    /// A pricing formula was refused: `problem` names the kind of mistake,
    /// `detail` the offending text, `at` its character position (or -1).
    #[error("invalid formula: {problem} {detail} at {at}")]
    InvalidFormula {
        problem: String,
        detail: String,
        at: i64,
    },
    /// The model is switched off by an admin or its provider is not configured.
    #[error("model unavailable: {model}")]
    ModelUnavailable { model: String },
    #[error("sign-in required")]
    Unauthorized,
    #[error("not allowed")]
    Forbidden,
    /// The account exists but an admin disabled it.
    #[error("account disabled")]
    AccountDisabled,
    #[error("not found")]
    NotFound,
    #[error("conflict: {what}")]
    Conflict { what: String },
    #[error("too large (limit {limit} bytes)")]
    PayloadTooLarge { limit: u64 },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// Storing this would take the account past its storage quota.
    #[error("storage quota exceeded: {used} of {quota} bytes used")]
    QuotaExceeded { quota: u64, used: u64 },
    #[error("insufficient credits: {needed} needed, {balance} available")]
    InsufficientCredits { needed: i64, balance: i64 },
    /// The charge would take today's (UTC) spending past the account's own
    /// daily cap; `left` is what the cap still allows today.
    #[error("daily spending cap of {cap} reached: {left} left today")]
    SpendingCap { cap: i64, left: i64 },
    #[error("too many requests, retry in {retry_after_secs}s")]
    RateLimited { retry_after_secs: u64 },
    #[error("service unavailable")]
    Unavailable,
    /// Something failed on the server; the details are in the server log.
    #[error("internal error")]
    Internal,
    /// The request never got a proper answer (network down, server unreachable).
    #[error("network error")]
    Network,
}

impl AppError {
    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid { .. } => "invalid",
            AppError::InvalidParameter { .. } => "invalid_parameter",
            AppError::InvalidFormula { .. } => "invalid_formula",
            AppError::ModelUnavailable { .. } => "model_unavailable",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::AccountDisabled => "account_disabled",
            AppError::NotFound => "not_found",
            AppError::Conflict { .. } => "conflict",
            AppError::PayloadTooLarge { .. } => "payload_too_large",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::QuotaExceeded { .. } => "quota_exceeded",
            AppError::InsufficientCredits { .. } => "insufficient_credits",
            AppError::SpendingCap { .. } => "spending_cap",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Unavailable => "unavailable",
            AppError::Internal => "internal",
            AppError::Network => "network",
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid { .. }
            | AppError::InvalidParameter { .. }
            | AppError::InvalidFormula { .. } => 400,
            AppError::ModelUnavailable { .. } => 409,
            AppError::Unauthorized => 401,
            AppError::InsufficientCredits { .. } | AppError::SpendingCap { .. } => 402,
            AppError::Forbidden | AppError::AccountDisabled => 403,
            AppError::NotFound => 404,
            AppError::Conflict { .. } => 409,
            AppError::PayloadTooLarge { .. } | AppError::QuotaExceeded { .. } => 413,
            AppError::UnsupportedMediaType => 415,
            AppError::RateLimited { .. } => 429,
            AppError::Internal => 500,
            AppError::Network => 502,
            AppError::Unavailable => 503,
        }
    }

    /// The Fluent message that explains this error to a person.
    pub fn message_key(&self) -> String {
        let code = self.code().replace('_', "-");
        match self {
            // One sentence per kind of mistake, so each reads naturally when translated.
            AppError::InvalidParameter { problem, .. }
            | AppError::InvalidFormula { problem, .. } => {
                format!("error-{code}-{}", problem.replace('_', "-"))
            }
            _ => format!("error-{code}"),
        }
    }

    /// The values the message needs, as Fluent arguments.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            AppError::Invalid { field, reason } => {
                vec![("field", field.clone()), ("reason", reason.clone())]
            }
            AppError::Conflict { what } => vec![("what", what.clone())],
            AppError::InvalidParameter { param, allowed, .. } => {
                vec![("param", param.clone()), ("allowed", allowed.clone())]
            }
            AppError::InvalidFormula { detail, at, .. } => {
                vec![("detail", detail.clone()), ("at", (at + 1).to_string())]
            }
            AppError::ModelUnavailable { model } => vec![("model", model.clone())],
            AppError::PayloadTooLarge { limit } => vec![("limit", limit.to_string())],
            AppError::QuotaExceeded { quota, used } => {
                vec![("quota", quota.to_string()), ("used", used.to_string())]
            }
            AppError::InsufficientCredits { needed, balance } => {
                vec![
                    ("needed", needed.to_string()),
                    ("balance", balance.to_string()),
                    ("missing", (needed - balance).max(1).to_string()),
                ]
            }
            AppError::SpendingCap { cap, left } => {
                vec![("cap", cap.to_string()), ("left", left.to_string())]
            }
            AppError::RateLimited { retry_after_secs } => {
                vec![("seconds", retry_after_secs.to_string())]
            }
            _ => vec![],
        }
    }

    /// A rejected field, with the translation key that says why.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        AppError::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Network,
            ServerFnErrorErr::Args(message)
            | ServerFnErrorErr::MissingArg(message)
            | ServerFnErrorErr::Deserialization(message) => decode_error(&message),
            _ => AppError::Internal,
        }
    }
}

/// The default largest request body outside uploads (`REQUEST_BODY_LIMIT_KB`).
pub const DEFAULT_REQUEST_BODY_LIMIT: u64 = 2 * 1024 * 1024;

/// What a request that could not be decoded gets: 413 when its body was cut
/// off at the size limit, else 400 naming the field the decoder names.
fn decode_error(message: &str) -> AppError {
    if message.contains("length limit exceeded") {
        // A streamed body cut off at the limit (a declared length over it is
        // refused before it is read, naming the configured limit).
        return AppError::PayloadTooLarge {
            limit: DEFAULT_REQUEST_BODY_LIMIT,
        };
    }
    // serde names the field: "missing field `page`", "`page`: invalid digit …",
    // "unknown variant `maybe`", "invalid type: …".
    let field = message
        .split('`')
        .nth(1)
        .filter(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .filter(|_| message.contains("field") || message.contains("`:"));
    AppError::invalid(field.unwrap_or("request"), "error-reason-malformed")
}

#[cfg(feature = "ssr")]
mod ssr {
    use axum::Json;
    use axum::response::{IntoResponse, Response};
    use http::{HeaderValue, StatusCode};

    use super::AppError;

    impl AppError {
        /// Logs an unexpected failure once, here, and hides it behind an opaque 500.
        pub fn internal(error: impl std::fmt::Display) -> Self {
            tracing::error!(error = %error, "internal error");
            AppError::Internal
        }
    }

    impl From<sea_orm::DbErr> for AppError {
        fn from(error: sea_orm::DbErr) -> Self {
            AppError::internal(format_args!("database: {error}"))
        }
    }

    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let status =
                StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let retry_after = match &self {
                AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
                _ => None,
            };
            let mut response = (status, Json(serde_json::json!({ "error": self }))).into_response();
            if let Some(secs) = retry_after {
                response
                    .headers_mut()
                    .insert(http::header::RETRY_AFTER, HeaderValue::from(secs));
            }
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_serialize_to_a_code_and_their_values() {
        let json = serde_json::to_value(AppError::InsufficientCredits {
            needed: 150,
            balance: 20,
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "insufficient_credits", "needed": 150, "balance": 20})
        );
        let back: AppError = serde_json::from_value(json).unwrap();
        assert_eq!(
            back,
            AppError::InsufficientCredits {
                needed: 150,
                balance: 20
            }
        );
        assert_eq!(back.status(), 402);
        assert_eq!(back.message_key(), "error-insufficient-credits");
    }

    #[test]
    fn undecodable_requests_are_bad_requests_naming_the_field() {
        assert_eq!(
            decode_error("missing field `page`"),
            AppError::invalid("page", "error-reason-malformed")
        );
        assert_eq!(
            decode_error("invalid digit found in string"),
            AppError::invalid("request", "error-reason-malformed")
        );
        assert_eq!(
            decode_error("length limit exceeded"),
            AppError::PayloadTooLarge {
                limit: DEFAULT_REQUEST_BODY_LIMIT
            }
        );
        assert_eq!(decode_error("missing field `page`").status(), 400);
    }

    #[test]
    fn internal_errors_carry_no_details() {
        let json = serde_json::to_string(&AppError::Internal).unwrap();
        assert_eq!(json, r#"{"code":"internal"}"#);
    }
}
