//! Who is asking: the signed-in user as the pages and server functions see it.
//! The server's session middleware resolves it once per request (verifying the
//! access token, or rotating the refresh token) and leaves it in the request.

use serde::{Deserialize, Serialize};

use super::roles::Role;

/// The signed-in user, as shown in the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: String,
    pub email: String,
    pub display_name: Option<String>,
    pub role: Role,
    pub locale: Option<String>,
}

impl SessionUser {
    /// The name to greet the user by.
    pub fn label(&self) -> &str {
        self.display_name
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or(&self.email)
    }
}

#[cfg(feature = "ssr")]
pub use ssr::*;

#[cfg(feature = "ssr")]
mod ssr {
    use leptos::prelude::use_context;
    use uuid::Uuid;

    use super::SessionUser;
    use crate::auth::roles::Role;
    use crate::entities::user;
    use crate::error::AppError;

    /// What the session middleware found, stored in the request's extensions.
    #[derive(Debug, Clone)]
    pub struct RequestSession {
        pub user: SessionUser,
        pub user_id: Uuid,
        /// The session (refresh family) this request belongs to.
        pub family: Uuid,
    }

    impl RequestSession {
        /// Builds the session view of an account row.
        pub fn new(account: &user::Model, family: Uuid) -> Option<Self> {
            Some(RequestSession {
                user: SessionUser {
                    id: account.id.to_string(),
                    email: account.email.clone(),
                    display_name: account.display_name.clone(),
                    role: Role::parse(&account.role)?,
                    locale: account.locale.clone(),
                },
                user_id: account.id,
                family,
            })
        }
    }

    /// Whether the current request came from this machine (a loopback peer).
    /// Forwarded headers are not trusted: a proxy on this machine makes every
    /// request look local, so the outbox is only for installs without one.
    pub fn from_this_machine() -> bool {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .extensions
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .map(|c| c.0.ip().is_loopback())
            })
            .unwrap_or(false)
    }

    /// The address the current request came from.
    pub fn client_ip() -> Option<String> {
        let parts = use_context::<http::request::Parts>()?;
        parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string())
    }

    /// The User-Agent of the current request.
    pub fn user_agent() -> Option<String> {
        let parts = use_context::<http::request::Parts>()?;
        parts
            .headers
            .get(http::header::USER_AGENT)?
            .to_str()
            .ok()
            .map(str::to_string)
    }

    /// The session of the current request, if signed in.
    pub fn current_session() -> Option<RequestSession> {
        let parts = use_context::<http::request::Parts>()?;
        parts.extensions.get::<RequestSession>().cloned()
    }

    /// The signed-in session, or 401.
    pub fn require_session() -> Result<RequestSession, AppError> {
        current_session().ok_or(AppError::Unauthorized)
    }

    /// A signed-in, approved user (`user` or `admin`), or 401/403.
    pub fn require_approved() -> Result<RequestSession, AppError> {
        let session = require_session()?;
        match session.user.role {
            Role::User | Role::Admin => Ok(session),
            Role::NewUser => Err(AppError::Forbidden),
        }
    }

    /// An admin, or 401/403.
    pub fn require_admin() -> Result<RequestSession, AppError> {
        let session = require_session()?;
        if session.user.role == Role::Admin {
            Ok(session)
        } else {
            Err(AppError::Forbidden)
        }
    }
}
