//! Resolves who is asking, once per request: a valid access token, or else a
//! refresh token rotated on the spot (new cookies go out with the response).
//! The result is left in the request for pages and server functions.

use std::net::SocketAddr;

use app::auth::cookies;
use app::auth::current::RequestSession;
use app::auth::session::{self, ACCESS_COOKIE, AccessTokens, ClientInfo, REFRESH_COOKIE, Refresh};
use app::cookie::find_cookie;
use app::entities::user;
use app::platform::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, header};
use sea_orm::EntityTrait;
use uuid::Uuid;

fn client_info(request: &Request) -> ClientInfo {
    ClientInfo {
        user_agent: request
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        ip: request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string()),
    }
}

/// The middleware.
pub async fn resolve_session(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let cookie_header = request
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let access = find_cookie(&cookie_header, ACCESS_COOKIE).filter(|v| !v.is_empty());
    let refresh = find_cookie(&cookie_header, REFRESH_COOKIE).filter(|v| !v.is_empty());
    // Static files and media links need no session: skip the database for them.
    let path = request.uri().path();
    let static_file =
        path.starts_with("/pkg/") || path.starts_with("/media/") || path == "/favicon.svg";
    if static_file || (access.is_none() && refresh.is_none()) {
        return next.run(request).await;
    }
    let now = state.clock.now();
    let secure = state.config.secure_cookies();
    let tokens = AccessTokens::from_secret(&state.config.secret_key);
    let mut set_cookies: Vec<String> = Vec::new();

    let mut claimed: Option<(Uuid, Uuid)> = access.as_deref().and_then(|t| tokens.verify(t, now));
    if claimed.is_none()
        && let Some(presented) = refresh.as_deref()
    {
        match session::refresh(&state.db, presented, client_info(&request), now).await {
            Ok(Refresh::Rotated {
                user,
                family,
                token,
            }) => {
                set_cookies.push(cookies::access(&tokens.issue(user, family, now), secure));
                let remaining = family_remaining(&state, family, now).await;
                set_cookies.push(cookies::refresh(&token, remaining, secure));
                claimed = Some((user, family));
            }
            Ok(Refresh::Raced { user, family }) => {
                set_cookies.push(cookies::access(&tokens.issue(user, family, now), secure));
                claimed = Some((user, family));
            }
            Ok(Refresh::Invalid | Refresh::Reused) => set_cookies.extend(cookies::clear(secure)),
            Err(e) => return app::error::AppError::internal(e).into_response(),
        }
    }

    if let Some((user_id, family)) = claimed {
        let account = user::Entity::find_by_id(user_id).one(&state.db).await;
        let live = session::family_is_live(&state.db, family, now).await;
        match (account, live) {
            (Ok(Some(account)), Ok(true)) if account.disabled_at.is_none() => {
                if let Some(found) = RequestSession::new(&account, family) {
                    request.extensions_mut().insert(found);
                }
            }
            (Err(e), _) | (_, Err(e)) => return app::error::AppError::internal(e).into_response(),
            _ => set_cookies.extend(cookies::clear(secure)),
        }
    }

    let mut response = next.run(request).await;
    // A handler that set session cookies itself (sign-in, sign-out) has the last word.
    let handler_set: Vec<String> = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| cookies::name_of(v).to_string())
        .collect();
    for cookie in set_cookies {
        if !handler_set.iter().any(|n| n == cookies::name_of(&cookie))
            && let Ok(value) = HeaderValue::from_str(&cookie)
        {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

async fn family_remaining(
    state: &AppState,
    family: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> chrono::Duration {
    use app::entities::refresh_token;
    use sea_orm::{ColumnTrait, QueryFilter};
    refresh_token::Entity::find()
        .filter(refresh_token::Column::FamilyId.eq(family))
        .one(&state.db)
        .await
        .ok()
        .flatten()
        .map(|t| t.family_expires_at - now)
        .unwrap_or(session::FAMILY_TTL)
}
