//! Shows an [`AppError`] to a person, translated by its code.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::tr_dynamic;

/// The translated sentence for an error. A rejected field is named by its
/// translated label (`field-<name>`) and the reason is itself a message key.
pub fn error_text(error: &AppError) -> String {
    let args = match error {
        AppError::Invalid { field, reason } => vec![
            ("field", tr_dynamic(&format!("field-{field}"), &[])),
            ("reason", tr_dynamic(reason, &[])),
        ],
        AppError::InvalidParameter {
            param,
            problem,
            allowed,
        } => vec![
            ("param", crate::i18n::param_label(param)),
            (
                "allowed",
                if problem == "wrong_type" {
                    tr_dynamic(&format!("param-type-{allowed}"), &[])
                } else {
                    allowed.clone()
                },
            ),
        ],
        AppError::PayloadTooLarge { limit } => {
            vec![("limit", crate::ui::format::format_bytes(*limit))]
        }
        AppError::QuotaExceeded { quota, used } => vec![
            ("quota", crate::ui::format::format_bytes(*quota)),
            ("used", crate::ui::format::format_bytes(*used)),
        ],
        // The clash is named in words when there is a message for it.
        AppError::Conflict { what } => {
            let key = format!("conflict-{}", what.replace('_', "-"));
            let named = tr_dynamic(&key, &[]);
            vec![("what", if named == key { what.clone() } else { named })]
        }
        other => other.message_args(),
    };
    tr_dynamic(&error.message_key(), &args)
}

/// An inline, translated error message.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    view! {
        <div role="alert" class="rounded-xl border border-danger bg-surface px-4 py-3 text-sm text-danger">
            {move || error_text(&error)}
        </div>
    }
}
