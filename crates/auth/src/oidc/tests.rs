//! The mapping of claims to principals, the configuration's checks and the refusals that need
//! no provider; the whole flow against a real provider is in `tests/e2e/sso.rs`.

use super::*;
use serde_json::json;

fn config() -> OidcConfig {
    toml_like(json!({
        "issuer": "https://sso.example.org/realms/hdh",
        "label": "Keycloak",
        "client_id": "healthcat",
        "redirect_url": "https://catalogue.example.org/login/oidc",
        "roles_claim": "realm_access.roles",
        "roles": { "catalogue-admins": "admin", "stewards": "editor", "staff": "reader" },
        "publishers_claim": "organisation",
        "publishers": { "chu-lille": "https://chu-lille.example/org" },
    }))
}

fn toml_like(v: Value) -> OidcConfig {
    serde_json::from_value(v).unwrap()
}

#[test]
fn claims_map_to_the_most_powerful_role_and_the_mapped_publishers() {
    let c = config();
    let who = map_claims(
        &c,
        &json!({
            "sub": "f3a9-77",
            "preferred_username": "marie",
            "realm_access": { "roles": ["staff", "stewards", "offline_access"] },
            "organisation": ["chu-lille", "unknown-org"],
        }),
    )
    .unwrap();
    assert_eq!(who.role, Role::Editor);
    assert_eq!(who.publishers, vec!["https://chu-lille.example/org"]);
    assert_eq!(who.name, "marie");
    assert_eq!(who.via, "oidc:f3a9-77");

    // One string instead of a list; no name claim: the subject names it.
    let admin = map_claims(
        &c,
        &json!({ "sub": "s-1", "realm_access": { "roles": "catalogue-admins" } }),
    )
    .unwrap();
    assert_eq!((admin.role, admin.name.as_str()), (Role::Admin, "s-1"));

    // A claim whose own name holds dots.
    let mut c2 = config();
    c2.roles_claim = "https://example.org/roles".into();
    let r = map_claims(
        &c2,
        &json!({ "sub": "s-2", "https://example.org/roles": ["staff"] }),
    )
    .unwrap();
    assert_eq!(r.role, Role::Reader);
}

#[test]
fn no_mapped_role_or_no_subject_opens_nothing_and_says_why() {
    let c = config();
    let e = map_claims(
        &c,
        &json!({ "sub": "x", "realm_access": { "roles": ["offline_access"] } }),
    )
    .unwrap_err();
    match &e {
        AuthError::SignOn { failure, detail } => {
            assert_eq!(*failure, SignOnFailure::NoRole);
            assert!(
                detail.contains("realm_access.roles") && detail.contains("offline_access"),
                "{detail}"
            );
        }
        other => panic!("{other:?}"),
    }
    let e = map_claims(&c, &json!({ "realm_access": { "roles": ["stewards"] } })).unwrap_err();
    assert!(
        matches!(
            e,
            AuthError::SignOn {
                failure: SignOnFailure::Refused,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn the_configuration_is_checked_before_anything_is_called() {
    let dir = tempfile::tempdir().unwrap();
    let refuse = |change: fn(&mut OidcConfig), needle: &str| {
        let mut c = config();
        change(&mut c);
        let e = Oidc::new(Local::new(dir.path()), c, None, true)
            .err()
            .unwrap();
        assert!(e.to_string().contains(needle), "{e}");
    };
    refuse(|c| c.issuer = "http://sso.example.org".into(), "issuer");
    refuse(|c| c.issuer = "not a url".into(), "issuer");
    refuse(
        |c| c.redirect_url = "https://catalogue.example.org/callback".into(),
        "/login/oidc",
    );
    refuse(|c| c.roles.clear(), "[auth.oidc.roles]");
    refuse(|c| c.publishers_claim = None, "publishers_claim");
    // Plain http on loopback is accepted (development, tests).
    let mut c = config();
    c.issuer = "http://127.0.0.1:9999".into();
    c.redirect_url = "http://127.0.0.1:8080/login/oidc".into();
    assert!(Oidc::new(Local::new(dir.path()), c, None, true).is_ok());
}

#[test]
fn with_local_accounts_off_passwords_are_refused_but_keys_still_work() {
    let dir = tempfile::tempdir().unwrap();
    let local = Local::new(dir.path());
    local
        .accounts
        .create(
            "marie",
            Role::Admin,
            vec![],
            "une phrase de passe assez longue",
        )
        .unwrap();
    let (_, secret) = local.keys.create("script", Role::Admin, vec![]).unwrap();
    let sso = Oidc::new(local, config(), None, false).unwrap();
    let e = sso
        .log_in("marie", "une phrase de passe assez longue")
        .unwrap_err();
    assert!(e.to_string().contains("sign in through Keycloak"), "{e}");
    assert!(!sso.local_accounts());
    let mut h = http::HeaderMap::new();
    h.insert("authorization", format!("Bearer {secret}").parse().unwrap());
    assert_eq!(sso.authenticate(&h).unwrap().unwrap().name, "script");
}

#[test]
fn a_sign_in_that_comes_back_to_another_browser_or_too_late_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sso = Oidc::new(Local::new(dir.path()), config(), None, true).unwrap();
    sso.pending.lock().unwrap().insert(
        "state-1".into(),
        Pending {
            verifier: "v".into(),
            nonce: Nonce::new("n".into()),
            next: "/edit".into(),
            at: Instant::now(),
        },
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    for cookie in [None, Some("state-2")] {
        let e = rt
            .block_on(sso.finish("state-1", "code", cookie))
            .unwrap_err();
        assert!(
            matches!(
                e,
                AuthError::SignOn {
                    failure: SignOnFailure::Expired,
                    ..
                }
            ),
            "{e:?}"
        );
    }
    // Unknown state (never issued, or used once already).
    let e = rt
        .block_on(sso.finish("state-3", "code", Some("state-3")))
        .unwrap_err();
    assert!(
        matches!(
            e,
            AuthError::SignOn {
                failure: SignOnFailure::Expired,
                ..
            }
        ),
        "{e:?}"
    );
    let audit = std::fs::read_to_string(dir.path().join("auth/audit.log")).unwrap();
    assert_eq!(audit.matches("sign-in refused").count(), 3, "{audit}");
}
