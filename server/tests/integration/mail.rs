use app::admin::outbox::OutboxEntry;
use app::error::AppError;
use app::platform::mail::OutgoingMail;
use server::testing::{SmtpSink, TestApp};

use super::person::exactly;

fn code_mail(to: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.into(),
        subject: "Your sign-in code".into(),
        text: "Your code is 424242. It is valid for 10 minutes.".into(),
        html: Some("<p>Your code is <b>424242</b>.</p>".into()),
    }
}

#[tokio::test]
async fn smtp_delivers_to_the_sink_with_recipient_and_body() {
    let sink = SmtpSink::start().await;
    let app = TestApp::builder()
        .var("SMTP_URL", format!("smtp://127.0.0.1:{}", sink.port))
        .var("MAIL_FROM", "Framewright <studio@example.com>")
        .spawn()
        .await;
    assert_eq!(app.state.mailer.kind(), "smtp");
    app.state
        .mailer
        .send(&code_mail("ada@example.com"))
        .await
        .unwrap();

    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    let raw = &messages[0];
    assert!(raw.contains("To: ada@example.com"), "{raw}");
    assert!(
        raw.contains("From: Framewright <studio@example.com>"),
        "{raw}"
    );
    assert!(raw.contains("Subject: Your sign-in code"), "{raw}");
    assert!(
        raw.contains("Your code is 424242. It is valid for 10 minutes."),
        "{raw}"
    );
}

#[tokio::test]
async fn the_outbox_keeps_mail_and_shows_it_on_a_local_install_only() {
    let app = TestApp::spawn().await;
    assert_eq!(app.state.mailer.kind(), "outbox");
    app.state
        .mailer
        .send(&code_mail("grace@example.com"))
        .await
        .unwrap();

    let response = reqwest::Client::new()
        .post(app.url("/api/outbox/list"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let list: Vec<OutboxEntry> = exactly(response.json().await.unwrap());
    assert_eq!(list[0].to, "grace@example.com");
    assert_eq!(list[0].subject, "Your sign-in code");
    assert!(list[0].body.contains("424242"));

    let public = TestApp::builder()
        .var("PUBLIC_URL", "https://studio.example.com")
        .spawn()
        .await;
    public
        .state
        .mailer
        .send(&code_mail("grace@example.com"))
        .await
        .unwrap();
    let response = reqwest::Client::new()
        .post(public.url("/api/outbox/list"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let refused: AppError = exactly(response.json().await.unwrap());
    assert_eq!(refused, AppError::Forbidden);
}
