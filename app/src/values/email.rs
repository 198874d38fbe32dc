//! `Email`: an address that has been checked and normalised (trimmed, lower-case).

use serde::{Deserialize, Serialize};

/// A syntactically valid, normalised email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// Checks and normalises an address. The error is a translation key.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err("error-reason-required");
        }
        if email.len() > 254 {
            return Err("error-reason-too-long");
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err("error-reason-email");
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with(['.', '-'])
            && !domain.ends_with(['.', '-'])
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        if domain_ok && local_ok {
            Ok(Email(email))
        } else {
            Err("error-reason-email")
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn normalises_and_rejects() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ").unwrap().as_str(),
            "ada@example.com"
        );
        assert_eq!(Email::parse(""), Err("error-reason-required"));
        for bad in [
            "ada",
            "ada@",
            "@x.com",
            "ada@x",
            "a..b@x.com",
            "ada@-x.com",
            "a b@x.com",
            "ada@x..com",
        ] {
            assert_eq!(Email::parse(bad), Err("error-reason-email"), "{bad}");
        }
    }
}
