//! `healthcat keys` and the write API of a running server.

use crate::harness::{Env, http_exchange, serve};

/// A write with `key`.
fn request(base: &str, method: &str, path: &str, key: &str, body: &str) -> (u16, String) {
    let addr = base.trim_start_matches("http://");
    http_exchange(
        addr,
        &format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\nContent-Type: text/turtle\r\n"
        ),
        body,
    )
}

#[test]
fn a_key_made_with_the_cli_writes_until_it_is_revoked() {
    let env = Env::new();
    let made = env.run(&["keys", "create", "--name", "ops", "--role", "admin"]);
    assert_eq!(made.code, 0, "{made:?}");
    let key = made.stdout.trim().to_owned();
    assert!(key.starts_with("hc_"), "{made:?}");
    assert!(made.stderr.contains("cannot be shown again"), "{made:?}");
    let id = key.split('_').nth(1).unwrap().to_owned();
    let list = env.run(&["keys", "list"]);
    assert!(
        list.stdout.contains(&id) && list.stdout.contains("ops"),
        "{list:?}"
    );
    assert!(
        !list.stdout.contains(key.rsplit('_').next().unwrap()),
        "no secret listed"
    );
    let no_publisher = env.run(&["keys", "create", "--name", "x", "--role", "editor"]);
    assert_eq!(no_publisher.code, 1);
    assert!(
        no_publisher.stderr.contains("--publisher"),
        "{no_publisher:?}"
    );

    let (_server, base) = serve(&env, None);
    // Forced past validation by the admin: the write goes through the key.
    let ttl = "<https://chu.example/d/1> a <http://www.w3.org/ns/dcat#Dataset> .";
    let (status, body) = request(&base, "POST", "/api/datasets?force=true", &key, ttl);
    assert_eq!(status, 201, "{body}");
    // Revoked with the CLI while the server runs: refused at the next request.
    let revoke = env.run(&["keys", "revoke", &id]);
    assert_eq!(revoke.code, 0, "{revoke:?}");
    let ttl2 = "<https://chu.example/d/2> a <http://www.w3.org/ns/dcat#Dataset> .";
    let (status, body) = request(&base, "POST", "/api/datasets?force=true", &key, ttl2);
    assert_eq!(status, 401, "{body}");
}
