//! Session cookies: HttpOnly, SameSite=Lax, Secure when the app is served over https.

use chrono::Duration;

use super::session::{ACCESS_COOKIE, ACCESS_TTL, REFRESH_COOKIE};

fn cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

/// Sets the access token.
pub fn access(token: &str, secure: bool) -> String {
    cookie(ACCESS_COOKIE, token, ACCESS_TTL.num_seconds(), secure)
}

/// Sets the refresh token until its family ends.
pub fn refresh(token: &str, lifetime: Duration, secure: bool) -> String {
    cookie(REFRESH_COOKIE, token, lifetime.num_seconds().max(0), secure)
}

/// Removes both session cookies.
pub fn clear(secure: bool) -> [String; 2] {
    [
        cookie(ACCESS_COOKIE, "", 0, secure),
        cookie(REFRESH_COOKIE, "", 0, secure),
    ]
}

/// The name of the cookie a `Set-Cookie` value sets.
pub fn name_of(set_cookie: &str) -> &str {
    set_cookie.split('=').next().unwrap_or_default().trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_cookies_are_http_only_lax_and_secure_on_https() {
        let c = access("tok", true);
        assert_eq!(
            c,
            "fw_at=tok; Path=/; Max-Age=900; HttpOnly; SameSite=Lax; Secure"
        );
        assert!(!access("tok", false).contains("Secure"));
        assert_eq!(name_of(&refresh("r", Duration::days(20), false)), "fw_rt");
        assert!(clear(false).iter().all(|c| c.contains("Max-Age=0")));
    }
}
