use std::collections::HashSet;

use app::entities::refresh_token;
use app::platform::clock::ManualClock;
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::testing::TestApp;

use super::auth_support::*;

async fn app_with_clock() -> (TestApp, ManualClock) {
    let clock = ManualClock::new(Utc::now());
    (TestApp::builder().clock(clock.clone()).spawn().await, clock)
}

/// Presents only a refresh token (as after the access token expired); returns
/// the signed-in email and the successor token, if any.
async fn refresh_with(app: &TestApp, token: &str) -> (Option<String>, Option<String>) {
    let response = me(app, &format!("fw_rt={token}")).await;
    assert_ne!(response.status(), 500);
    let successor = set_cookie(&response, "fw_rt").filter(|t| !t.is_empty());
    (me_email(response).await, successor)
}

/// Rotates `count` times, past the reuse grace each time; returns every token, oldest first.
async fn rotate(app: &TestApp, clock: &ManualClock, first: String, count: usize) -> Vec<String> {
    let mut tokens = vec![first];
    for _ in 0..count {
        clock.advance(Duration::seconds(11));
        let (email, next) = refresh_with(app, tokens.last().unwrap()).await;
        assert!(email.is_some());
        tokens.push(next.expect("a rotated refresh token"));
    }
    tokens
}

#[tokio::test]
async fn the_access_token_alone_signs_in_until_it_expires() {
    let (app, clock) = app_with_clock().await;
    let (access, _) = sign_in(&app, "a@example.com").await;
    assert_eq!(
        me_email(me(&app, &format!("fw_at={access}")).await)
            .await
            .as_deref(),
        Some("a@example.com")
    );
    clock.advance(Duration::minutes(15));
    assert_eq!(
        me_email(me(&app, &format!("fw_at={access}")).await).await,
        None
    );
}

#[tokio::test]
async fn refresh_happens_transparently_when_the_access_token_expired() {
    let (app, clock) = app_with_clock().await;
    let (access, refresh) = sign_in(&app, "b@example.com").await;
    clock.advance(Duration::minutes(20));
    let response = me(&app, &format!("fw_at={access}; fw_rt={refresh}")).await;
    let new_access = set_cookie(&response, "fw_at").expect("a new access token");
    let new_refresh = set_cookie(&response, "fw_rt").expect("a new refresh token");
    assert_ne!(new_refresh, refresh);
    assert_eq!(me_email(response).await.as_deref(), Some("b@example.com"));
    assert_eq!(
        me_email(me(&app, &format!("fw_at={new_access}")).await)
            .await
            .as_deref(),
        Some("b@example.com")
    );
}

#[tokio::test]
async fn after_three_rotations_only_the_newest_token_works() {
    let (app, clock) = app_with_clock().await;
    let (_, first) = sign_in(&app, "c@example.com").await;
    let tokens = rotate(&app, &clock, first, 3).await;
    clock.advance(Duration::seconds(11));
    let (email, next) = refresh_with(&app, &tokens[3]).await;
    assert_eq!(email.as_deref(), Some("c@example.com"));
    assert!(next.is_some());
    // An older one is refused (and, as a replay, ends the session).
    let (email, _) = refresh_with(&app, &tokens[2]).await;
    assert_eq!(email, None);
}

#[tokio::test]
async fn replaying_the_oldest_token_revokes_all_four() {
    let (app, clock) = app_with_clock().await;
    let (_, first) = sign_in(&app, "d@example.com").await;
    let tokens = rotate(&app, &clock, first, 3).await;
    clock.advance(Duration::seconds(11));
    assert_eq!(refresh_with(&app, &tokens[0]).await.0, None);
    for token in &tokens {
        assert_eq!(
            refresh_with(&app, token).await.0,
            None,
            "every token of the family is dead"
        );
    }
    let rows = refresh_token::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r.revoked_at.is_some()));
}

#[tokio::test]
async fn twenty_concurrent_refreshes_yield_at_most_one_live_successor() {
    let (app, _clock) = app_with_clock().await;
    let (_, first) = sign_in(&app, "e@example.com").await;
    let requests = (0..20).map(|_| {
        let url = app.url("/api/auth/me");
        let cookie = format!("fw_rt={first}");
        async move {
            let response = client()
                .post(url)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            assert_ne!(response.status(), 500);
            set_cookie(&response, "fw_rt").filter(|t| !t.is_empty())
        }
    });
    let successors: HashSet<String> = futures::future::join_all(requests)
        .await
        .into_iter()
        .flatten()
        .collect();
    assert!(successors.len() <= 1, "{} successors", successors.len());
    let live = refresh_token::Entity::find()
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(live.len() <= 1, "{live:?}");
}

#[tokio::test]
async fn sign_out_ends_this_session_and_sign_out_everywhere_ends_all() {
    let (app, clock) = app_with_clock().await;
    let (_, laptop) = sign_in(&app, "f@example.com").await;
    clock.advance(Duration::seconds(61));
    let (phone_access, phone) = sign_in(&app, "f@example.com").await;

    let response = client()
        .post(app.url("/api/auth/sign-out"))
        .header("cookie", format!("fw_rt={laptop}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        set_cookie(&response, "fw_rt").as_deref(),
        Some(""),
        "cookies are cleared"
    );
    assert_eq!(refresh_with(&app, &laptop).await.0, None);

    let response = client()
        .post(app.url("/api/auth/sign-out-everywhere"))
        .header("cookie", format!("fw_at={phone_access}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(refresh_with(&app, &phone).await.0, None);
    assert_eq!(
        me_email(me(&app, &format!("fw_at={phone_access}")).await).await,
        None,
        "access tokens of revoked sessions are refused"
    );
}

#[tokio::test]
async fn state_changing_requests_from_another_origin_are_refused() {
    let (app, _) = app_with_clock().await;
    let (access, _) = sign_in(&app, "g@example.com").await;
    let cross = client()
        .post(app.url("/api/auth/sign-out"))
        .header("cookie", format!("fw_at={access}"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    assert_eq!(
        me_email(me(&app, &format!("fw_at={access}")).await)
            .await
            .as_deref(),
        Some("g@example.com")
    );
    let same = client()
        .post(app.url("/api/auth/sign-out"))
        .header("cookie", format!("fw_at={access}"))
        .header("origin", app.base_url.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 200);
}
