//! SMTP delivery through lettre's async transport.

use async_trait::async_trait;
use lettre::message::{Mailbox, MultiPart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{MailError, Mailer, OutgoingMail};

/// Sends mail to an SMTP server given as `smtp://user:pass@host:port` (STARTTLS
/// with `?tls=required`) or `smtps://…` (implicit TLS).
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// Prepares the transport; no connection is made until the first message.
    pub fn new(url: &str, from: &str) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Transport(e.to_string()))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|_| MailError::InvalidAddress(from.to_string()))?;
        Ok(SmtpMailer { transport, from })
    }
}

/// Builds a MIME message: plain text, plus an HTML alternative when given.
pub fn build_message(from: &Mailbox, mail: &OutgoingMail) -> Result<Message, MailError> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|_| MailError::InvalidAddress(mail.to.clone()))?;
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&mail.subject);
    let message = match &mail.html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            html.clone(),
        )),
        None => builder
            .header(ContentType::TEXT_PLAIN)
            .body(mail.text.clone()),
    };
    message.map_err(|e| MailError::Build(e.to_string()))
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = build_message(&self.from, mail)?;
        self.transport
            .send(message)
            .await
            .map_err(|e| MailError::Transport(e.to_string()))?;
        tracing::info!(mail.to = %mail.to, mail.subject = %mail.subject, "mail sent over SMTP");
        Ok(())
    }

    fn kind(&self) -> &'static str {
        "smtp"
    }
}
