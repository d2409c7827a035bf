//! Single sign-on through a real OpenID provider: oidc-provider (OpenID Certified, from the npm
//! registry, run by Node.js from `tests/oidc/provider.mjs`) on 127.0.0.1, and headless Chromium
//! logging in on the provider's own page.
//!
//! Needs Node.js with oidc-provider (`bash .ci/oidc` installs it and prints the module to pass as
//! `HEALTHCAT_OIDC_PROVIDER`; `make test` does it) and the browser tools of `browser.rs`. Without
//! them the tests say so and skip.

use crate::browser::{browser, chromedriver, shot, text_of, tools, wait_for_url};
use crate::harness::{Env, Killed, free_port, http_get, serve_with};
use crate::webdriver::Session;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const SECRET: &str = "a client secret for the tests only";

/// The subject and claims of the people the provider knows.
const ACCOUNTS: &str = r#"{
  "u-7f3c": { "preferred_username": "marie", "name": "Marie Curie",
              "groups": ["catalogue-admins", "staff"], "organisation": ["chu-lille"] },
  "u-0000": { "preferred_username": "paul", "groups": ["visitors"] }
}"#;

fn provider_module() -> Option<PathBuf> {
    match std::env::var_os("HEALTHCAT_OIDC_PROVIDER").filter(|v| !v.is_empty()) {
        Some(p) if PathBuf::from(&p).is_file() => Some(p.into()),
        _ => {
            eprintln!(
                "NOTICE: single sign-on tests skipped: they need oidc-provider (run `bash .ci/oidc`, \
                 which installs it with npm and prints the path to pass as HEALTHCAT_OIDC_PROVIDER; \
                 `make test` does it)"
            );
            None
        }
    }
}

/// The provider on `port`, for a catalogue at `site`; a new signing key at each start.
fn provider(module: &PathBuf, port: u16, site: &str, lying_keys: bool) -> Killed {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/oidc/provider.mjs");
    let mut cmd = Command::new("node");
    cmd.arg(script)
        .env("OIDC_PROVIDER_MODULE", module)
        .env("OIDC_PORT", port.to_string())
        .env("OIDC_REDIRECT", format!("{site}/login/oidc"))
        .env("OIDC_POST_LOGOUT", format!("{site}/"))
        .env("OIDC_CLIENT_SECRET", SECRET)
        .env("OIDC_ACCOUNTS", ACCOUNTS)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if lying_keys {
        cmd.env("OIDC_LYING_JWKS", "1");
    }
    let mut child = cmd.spawn().expect("node");
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert!(line.starts_with("listening"), "the provider said: {line:?}");
    // Whatever it prints later is read (a closed pipe would make its writes fail).
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    Killed(child)
}

fn config(provider_port: u16, site: &str, local_accounts: bool) -> String {
    format!(
        r#"
[auth]
local_accounts = {local_accounts}

[auth.oidc]
issuer = "http://127.0.0.1:{provider_port}"
label = "SSO de test"
client_id = "healthcat"
client_secret_env = "HC_OIDC_SECRET"
redirect_url = "{site}/login/oidc"
scopes = ["profile", "groups"]
roles_claim = "groups"
publishers_claim = "organisation"
timeout_seconds = 5

[auth.oidc.roles]
catalogue-admins = "admin"
stewards = "editor"

[auth.oidc.publishers]
chu-lille = "https://chu-lille.example/org"
"#
    )
}

/// A catalogue with single sign-on, on a port chosen before it starts (the provider must know
/// its redirect address).
fn catalogue(env: &Env, provider_port: u16, secret: &str, local: bool) -> (Killed, String) {
    let port = free_port();
    let site = format!("http://127.0.0.1:{port}");
    serve_with(
        env,
        Some(&config(provider_port, &site, local)),
        &format!("127.0.0.1:{port}"),
        &["--demo"],
        &[("HC_OIDC_SECRET", secret)],
    )
}

/// From the catalogue's login page, through the provider's own login page, as `subject`.
fn sign_in(c: &Session, base: &str, provider_port: u16, subject: &str) {
    c.goto(&format!("{base}/login?next=/edit")).unwrap();
    c.find("a.sso").unwrap().click().unwrap();
    wait_for_url(c, &format!("127.0.0.1:{provider_port}/"));
    c.find("input[name=login]")
        .unwrap()
        .send_keys(subject)
        .unwrap();
    c.find("input[name=password]")
        .unwrap()
        .send_keys("any")
        .unwrap();
    c.find("button[type=submit]").unwrap().click().unwrap();
}

fn audit(env: &Env) -> String {
    std::fs::read_to_string(env.path("data/auth/audit.log")).unwrap_or_default()
}

#[test]
fn a_steward_signs_in_at_the_provider_edits_a_record_and_the_audit_names_the_subject() {
    let (Some(module), Some((driver_path, _))) = (provider_module(), tools()) else {
        return;
    };
    let env = Env::new();
    let provider_port = free_port();
    let made = env.run(&["keys", "create", "--name", "script", "--role", "admin"]);
    let key = made.stdout.trim().to_owned();
    let (_server, base) = catalogue(&env, provider_port, SECRET, false);
    let mut idp = provider(&module, provider_port, &base, false);
    let (_driver, driver) = chromedriver(&driver_path);
    let c = browser(&driver, "fr");

    // Local accounts are off: the login page offers the provider only.
    c.goto(&format!("{base}/edit")).unwrap();
    wait_for_url(&c, "/login");
    assert!(c.find("#password").is_err(), "no password form");
    assert_eq!(text_of(&c, "a.sso"), "Se connecter avec SSO de test");
    shot(&c, "sso-1-login");

    sign_in(&c, &base, provider_port, "u-7f3c");
    wait_for_url(&c, &format!("{base}/edit"));
    let head = text_of(&c, "main form.inline");
    assert!(head.contains("marie") && head.contains("admin"), "{head}");
    shot(&c, "sso-2-signed-in");

    // She edits a record the catalogue's write API made (a copy of a demo record: those come
    // from the demo source and are changed there).
    let (_, found) = http_get(&format!("{base}/api/search?per_page=1"));
    let found: serde_json::Value = serde_json::from_str(&found).unwrap();
    let (demo_id, demo_iri) = (
        found["hits"][0]["id"].as_str().unwrap(),
        found["hits"][0]["iri"].as_str().unwrap(),
    );
    let (_, ttl) = http_get(&format!("{base}/datasets/{demo_id}.ttl"));
    let copy = "https://chu-lille.example/dataset/copie-sso";
    let addr = base.trim_start_matches("http://");
    let (status, made) = crate::harness::http_exchange(
        addr,
        &format!(
            "POST /api/datasets?force=true HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\nContent-Type: text/turtle\r\n"
        ),
        &ttl.replace(demo_iri, copy),
    );
    assert_eq!(status, 201, "{made}");
    let made: serde_json::Value = serde_json::from_str(&made).unwrap();
    let id = made["ids"][0].as_str().unwrap_or_default().to_owned();
    c.goto(&format!("{base}/edit/datasets/{id}")).unwrap();
    c.execute(
        "const f = [...document.querySelectorAll('form.editor > fieldset.field')]
           .find(f => f.querySelector(':scope > legend code')?.textContent === 'dct:title');
         f.querySelectorAll(':scope > .value input[type=text]')
           .forEach(i => { i.value = 'Titre changé par SSO'; });",
    )
    .unwrap();
    c.find("button[value=publish]").unwrap().click().unwrap();
    wait_for_url(&c, &format!("{base}/datasets/"));
    assert_eq!(text_of(&c, "h1"), "Titre changé par SSO");

    // The audit log names the provider's subject for the sign-in and the change; the
    // history names her.
    let log = audit(&env);
    let mine: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("\"oidc:u-7f3c\""))
        .collect();
    assert!(
        mine.iter().any(|l| l.contains("\"login\"")),
        "sign-in audited: {log}"
    );
    assert!(
        mine.iter()
            .any(|l| l.contains("update") && l.contains("\"who\":\"marie\"")),
        "change audited with the subject: {log}"
    );
    c.goto(&format!("{base}/edit/datasets/{id}/history"))
        .unwrap();
    let history = text_of(&c, "main");
    assert!(history.contains("marie"), "{history}");

    // Signing out ends the catalogue's session and goes to the provider's end-session page.
    c.goto(&format!("{base}/edit")).unwrap();
    c.find("main form.inline button").unwrap().click().unwrap();
    wait_for_url(&c, &format!("127.0.0.1:{provider_port}/session/end"));
    c.goto(&format!("{base}/edit")).unwrap();
    wait_for_url(&c, "/login");

    // The provider restarts with a new signing key (key rotation): signing in still works.
    drop(idp);
    idp = provider(&module, provider_port, &base, false);
    sign_in(&c, &base, provider_port, "u-7f3c");
    wait_for_url(&c, &format!("{base}/edit"));
    assert!(text_of(&c, "main form.inline").contains("marie"));
    drop(idp);
}

#[test]
fn the_provider_down_lying_keys_a_wrong_secret_or_no_role_sign_nobody_in() {
    let (Some(module), Some((driver_path, _))) = (provider_module(), tools()) else {
        return;
    };
    let env = Env::new();
    let provider_port = free_port();
    let (_server, base) = catalogue(&env, provider_port, SECRET, true);
    let (_driver, driver) = chromedriver(&driver_path);
    let c = browser(&driver, "fr");
    let refused = |c: &Session, why: &str, name: &str| {
        wait_for_url(c, &format!("{base}/login"));
        shot(c, name);
        let alert = text_of(c, "[role=alert]");
        assert!(alert.contains(why), "{alert}");
        // Nobody is signed in.
        c.goto(&format!("{base}/edit")).unwrap();
        wait_for_url(c, "/login?next=");
    };

    // The provider is down: the catalogue's own page says so, the browser stays here.
    c.goto(&format!("{base}/login")).unwrap();
    assert!(c.find("#password").is_ok(), "local accounts still offered");
    c.find("a.sso").unwrap().click().unwrap();
    refused(&c, "ne répond pas", "sso-3-provider-down");

    // Known to the provider, but no group of theirs maps to a role here.
    let idp = provider(&module, provider_port, &base, false);
    sign_in(&c, &base, provider_port, "u-0000");
    refused(&c, "aucun rôle", "sso-4-no-role");
    drop(idp);

    // Tokens that do not verify against the keys the provider publishes.
    let idp = provider(&module, provider_port, &base, true);
    sign_in(&c, &base, provider_port, "u-7f3c");
    refused(&c, "n’a pas pu être vérifié", "sso-5-wrong-keys");
    drop(idp);

    let log = audit(&env);
    assert!(
        log.lines().any(|l| l.contains("sign-in refused")
            && l.contains("u-0000")
            && l.contains("visitors")),
        "{log}"
    );
    assert!(
        log.lines()
            .any(|l| l.contains("sign-in refused") && l.contains("Signature")),
        "{log}"
    );
    assert!(!log.contains("\"login\""), "nobody signed in: {log}");

    // A catalogue holding the wrong client secret: the token endpoint refuses it.
    let env2 = Env::new();
    let port2 = free_port();
    let (_server2, base2) = catalogue(&env2, port2, "not the secret", true);
    let _idp = provider(&module, port2, &base2, false);
    sign_in(&c, &base2, port2, "u-7f3c");
    wait_for_url(&c, &format!("{base2}/login"));
    assert!(text_of(&c, "[role=alert]").contains("n’a pas pu être vérifié"));
    assert!(audit(&env2).contains("invalid_client"), "{}", audit(&env2));
}

#[test]
fn a_wrong_single_sign_on_configuration_stops_serve_with_the_setting_named() {
    let env = Env::new();
    for (config, needle) in [
        ("[auth]\nlocal_accounts = false\n", "needs [auth.oidc]"),
        (
            &config(1, "http://127.0.0.1:2", true).replace("/login/oidc", "/callback") as &str,
            "redirect_url",
        ),
        (
            &config(1, "http://127.0.0.1:2", true)
                .replace("http://127.0.0.1:1", "http://sso.example.org"),
            "https://",
        ),
        (
            &config(1, "http://127.0.0.1:2", true).replace("HC_OIDC_SECRET", "HC_UNSET_SECRET"),
            "HC_UNSET_SECRET",
        ),
    ] {
        let out = env
            .cmd()
            .arg("--config")
            .arg(env.write("sso.toml", config))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("HC_OIDC_SECRET", SECRET)
            .stdout(Stdio::null())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(needle), "{needle}: {err}");
    }
}
