use server::testing::TestApp;

#[tokio::test]
async fn healthz_and_readyz_are_green_on_a_fresh_app() {
    let app = TestApp::spawn().await;
    let health = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = reqwest::get(app.url("/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"status": "ready", "database": "ok", "storage": "ok"})
    );
}

#[tokio::test]
async fn readyz_reports_storage_that_went_away() {
    let app = TestApp::spawn().await;
    let media = app.data_dir().join("media");
    std::fs::remove_dir_all(&media).unwrap();
    std::fs::write(&media, b"not a folder").unwrap();
    let ready = reqwest::get(app.url("/readyz")).await.unwrap();
    assert_eq!(ready.status(), 503);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["storage"], "unavailable");
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::spawn().await;
    let response = reqwest::get(app.url("/healthz")).await.unwrap();
    let id = response
        .headers()
        .get("x-request-id")
        .expect("x-request-id header");
    assert_eq!(id.to_str().unwrap().len(), 36, "a UUID");
    let echoed = reqwest::Client::new()
        .get(app.url("/healthz"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "abc-123");
}

#[tokio::test]
async fn the_suite_runs_on_the_engine_it_was_asked_for() {
    use sea_orm::DatabaseBackend;
    let app = TestApp::spawn().await;
    let expected = match server::testing::TestDb::from_env() {
        server::testing::TestDb::Sqlite => DatabaseBackend::Sqlite,
        server::testing::TestDb::Postgres => DatabaseBackend::Postgres,
    };
    assert_eq!(app.state.db.get_database_backend(), expected);
}

#[tokio::test]
async fn startup_is_recorded_as_a_telemetry_event() {
    use app::entities::event;
    use sea_orm::EntityTrait;
    let app = TestApp::spawn().await;
    let events = event::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, "app_started");
    assert_eq!(events[0].data["storage"], "disk");
    assert_eq!(events[0].data["mail"], "outbox");
}
