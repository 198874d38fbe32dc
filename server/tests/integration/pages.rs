use server::testing::TestApp;

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let mut request = reqwest::Client::new().get(app.url(path));
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn the_home_page_is_rendered_on_the_server_in_english_by_default() {
    let app = TestApp::spawn().await;
    let (status, html) = get(&app, "/", &[]).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="en""#), "{}", &html[..200]);
    assert!(html.contains("Turn an idea into images, clips and a finished film."));
    assert!(html.contains(r#"href="/library""#));
    assert!(html.contains("/pkg/framewright.js"), "hydration script");
}

#[tokio::test]
async fn the_language_follows_accept_language_then_the_cookie() {
    let app = TestApp::spawn().await;
    let (_, zh) = get(&app, "/", &[("accept-language", "zh-CN,zh;q=0.9")]).await;
    assert!(zh.contains(r#"<html lang="zh-CN""#));
    assert!(zh.contains("把一个想法变成图片、短片和一部完整的影片。"));
    let (_, cookie_wins) = get(
        &app,
        "/",
        &[("accept-language", "zh-CN"), ("cookie", "lf-lang=en")],
    )
    .await;
    assert!(cookie_wins.contains(r#"<html lang="en""#));
}

#[tokio::test]
async fn the_theme_cookie_is_rendered_on_the_html_element() {
    let app = TestApp::spawn().await;
    let (_, html) = get(&app, "/", &[("cookie", "theme=dark")]).await;
    assert!(html.contains(r#"class="dark""#), "{}", &html[..300]);
}

#[tokio::test]
async fn unknown_pages_are_404_and_admin_is_refused_without_an_admin() {
    let app = TestApp::spawn().await;
    let (status, html) = get(&app, "/no/such/page", &[]).await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
    let (status, html) = get(&app, "/admin", &[]).await;
    assert_eq!(status, 403);
    assert!(!html.contains("Users"), "nothing of the admin area leaks");
}

#[tokio::test]
async fn every_shell_page_renders() {
    let app = TestApp::spawn().await;
    for path in [
        "/chat",
        "/storyboard",
        "/library",
        "/credits",
        "/profile",
        "/outbox",
    ] {
        let (status, html) = get(&app, path, &[]).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("Framewright"), "{path}");
    }
}
