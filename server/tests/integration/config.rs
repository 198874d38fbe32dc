use std::process::Command;

/// Runs the real binary with a bad variable: it must stop and name it.
fn start_with(vars: &[(&str, &str)]) -> (bool, String) {
    let dir = server::testing::TempDir::new("fw-config");
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("migrate")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATA_DIR", dir.path())
        .envs(vars.iter().copied())
        .current_dir(dir.path())
        .output()
        .expect("run the server binary");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

#[test]
fn startup_stops_with_a_message_naming_the_bad_variable() {
    for (var, value) in [
        ("STORAGE", "ftp"),
        ("DATABASE_URL", "mysql://localhost/x"),
        ("PUBLIC_URL", "not a url"),
        ("LISTEN_ADDR", "everywhere"),
        ("SMTP_URL", "http://mail.example.com"),
    ] {
        let (ok, stderr) = start_with(&[(var, value)]);
        assert!(!ok, "{var}={value} must stop startup");
        assert!(stderr.contains(var), "{var}: {stderr}");
    }
}

#[test]
fn production_requires_its_secrets() {
    let (ok, stderr) = start_with(&[
        ("APP_ENV", "production"),
        ("SMTP_URL", "smtp://127.0.0.1:1"),
    ]);
    assert!(!ok);
    assert!(
        stderr.contains("SECRET_KEY must be set when APP_ENV=production"),
        "{stderr}"
    );
}

#[test]
fn migrate_works_with_no_configuration_at_all() {
    let (ok, stderr) = start_with(&[]);
    assert!(ok, "{stderr}");
}

#[test]
fn help_lists_the_subcommands() {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    for sub in ["serve", "migrate", "config", "admin"] {
        assert!(help.contains(sub), "{help}");
    }
}

#[test]
fn admin_grant_makes_an_admin_from_the_command_line() {
    let dir = server::testing::TempDir::new("fw-grant");
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["admin", "grant", "Root@Example.com"])
        .env_clear()
        .env("DATA_DIR", dir.path())
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "root@example.com is now an admin"
    );
    let bad = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["admin", "grant", "not-an-email"])
        .env_clear()
        .env("DATA_DIR", dir.path())
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr)
            .contains("`not-an-email` is not a valid email address")
    );
}
