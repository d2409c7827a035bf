//! The editor through the router: login, CSRF, the generated form (messages next to fields, in
//! the reader's language, input kept), publish, drafts, scopes, history and restore, uploads.

use crate::kernel::testing::{Page, send, state};
use crate::kernel::testing::{call, one_dataset};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use healthcat_auth::{Local, Role};
use std::sync::Arc;

const PW: &str = "correct horse battery staple";
const HOST: &str = "catalogue.example.org";

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[start..].split('"').next()
}

/// What a browser would send for the form in `html` (inputs, selected options), as pairs.
pub(crate) fn form_values(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if tag.starts_with("<input") {
            if let (Some(n), Some(v)) = (attr(tag, "name"), attr(tag, "value"))
                && !matches!(attr(tag, "type"), Some("file"))
            {
                out.push((unescape(n), unescape(v)));
            }
        } else if tag.starts_with("<select") {
            let close = rest.find("</select>").unwrap_or(rest.len());
            let body = &rest[..close];
            let name = attr(tag, "name").unwrap_or("");
            let chosen = body
                .split("<option")
                .skip(1)
                .find(|o| o.split('>').next().unwrap_or("").contains(" selected"))
                .or_else(|| body.split("<option").nth(1))
                .and_then(|o| attr(o, "value").map(str::to_owned))
                .unwrap_or_default();
            out.push((unescape(name), unescape(&chosen)));
            rest = &rest[close..];
            continue;
        }
        rest = &rest[1..];
    }
    out
}

fn encode(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

fn set(pairs: &mut Vec<(String, String)>, name: &str, values: &[&str]) {
    let at = pairs
        .iter()
        .position(|(k, _)| k == name)
        .unwrap_or(pairs.len());
    pairs.retain(|(k, _)| k != name);
    for (i, v) in values.iter().enumerate() {
        pairs.insert((at + i).min(pairs.len()), (name.into(), (*v).into()));
    }
}

async fn post(app: &axum::Router, uri: &str, cookie: &str, body: String) -> Page {
    let req = Request::post(uri)
        .header("host", HOST)
        .header("cookie", cookie)
        .header("accept-language", "fr")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

async fn get(app: &axum::Router, uri: &str, cookie: &str) -> Page {
    let req = Request::get(uri)
        .header("host", HOST)
        .header("cookie", cookie)
        .header("accept-language", "fr")
        .body(Body::empty())
        .unwrap();
    send(app, req).await
}

/// Logs `name` in; the session cookie.
async fn log_in(app: &axum::Router, name: &str, password: &str) -> Result<String, Page> {
    let form = get(app, "/login", "").await;
    let set_cookie = form.headers["set-cookie"].to_str().unwrap().to_owned();
    let login_cookie = set_cookie.split(';').next().unwrap().to_owned();
    let token = login_cookie.split('=').nth(1).unwrap();
    let body = format!(
        "name={name}&password={}&token={token}&next=/edit",
        password.replace(' ', "+")
    );
    let r = post(app, "/login", &login_cookie, body).await;
    if r.status != StatusCode::SEE_OTHER {
        return Err(r);
    }
    let session = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("hc_session="))
        .unwrap();
    assert!(
        session.contains("HttpOnly")
            && session.contains("SameSite=Strict")
            && session.contains("Secure"),
        "{session}"
    );
    Ok(session.split(';').next().unwrap().to_owned())
}

/// Opens the form at `url`, sets `field` to `value` and sends it with `action`.
async fn resubmit(
    app: &axum::Router,
    cookie: &str,
    url: &str,
    field: &str,
    value: &str,
    action: &str,
) -> Page {
    let mut pairs = form_values(&get(app, url, cookie).await.body);
    set(&mut pairs, field, &[value]);
    pairs.push(("action".into(), action.into()));
    post(app, url, cookie, encode(&pairs)).await
}

fn csrf(html: &str) -> String {
    form_values(html)
        .into_iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v)
        .expect("the form carries its CSRF token")
}

fn field_named(pairs: &[(String, String)], html: &str, path: &str) -> String {
    // The field whose legend shows the compact path.
    let at = html
        .find(&format!("<code>{path}</code>"))
        .unwrap_or_else(|| panic!("no field {path}"));
    let before = &html[..at];
    let id_at = before.rfind("id=\"f").unwrap();
    let id = before[id_at + 4..]
        .split('"')
        .next()
        .unwrap()
        .replace('-', ".");
    assert!(
        pairs
            .iter()
            .any(|(k, _)| *k == id || k.starts_with(&format!("{id}."))),
        "{id}"
    );
    id
}

#[tokio::test]
async fn a_steward_logs_in_fills_the_generated_form_fixes_it_and_publishes() {
    // A record of marie's publisher, written by a script (it brings the publisher and HDAB).
    let Stewards {
        app,
        id,
        store,
        search,
        _dir,
    } = two_stewards_and_a_record().await;

    // Not logged in: sent to the login page; a wrong password: told in French.
    let r = get(&app, "/edit/new", "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.headers["location"]
            .to_str()
            .unwrap()
            .starts_with("/login?next=")
    );
    let refused = log_in(&app, "marie", "not the password at all")
        .await
        .unwrap_err();
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(
        refused.body.contains("mot de passe erroné"),
        "{}",
        refused.body
    );
    let marie = log_in(&app, "marie", PW).await.unwrap();

    // The form of her record, as a browser would send it back, becomes a new dataset.
    let page = get(&app, &format!("/edit/datasets/{id}"), &marie).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Droits d&#39;accès") && page.body.contains("non public"),
        "code lists in French"
    );
    let mut pairs = form_values(&page.body);
    let title = field_named(&pairs, &page.body, "dct:title");
    let identifier = field_named(&pairs, &page.body, "dct:identifier");
    let new_iri = "https://chu.example/dataset/cohorte-e2e";
    // A copy: what named the old record's own resources is dropped (nested ones become new
    // blank nodes), what names shared ones (publisher, access body, code lists) is kept.
    let old_iri = form_values(&page.body)
        .into_iter()
        .find(|(k, _)| k == "iri")
        .unwrap()
        .1;
    for (_, v) in pairs.iter_mut() {
        if v.starts_with(&old_iri) {
            v.clear();
        }
    }
    // Its variables (a CSVW table, two levels down) are more than the form edits: this one is
    // declared without structured data.
    let vars = field_named(&pairs, &page.body, "healthdcatap:hasVariables").replace(".n", "");
    pairs.retain(|(k, _)| !k.starts_with(&format!("{vars}.")));
    pairs.push((format!("{vars}.n"), "0".into()));
    let structured = field_named(&pairs, &page.body, "healthdcatap:hasStructuredData");
    set(&mut pairs, &structured, &["false"]);
    set(&mut pairs, "iri", &[new_iri]);
    set(&mut pairs, "etag", &[""]);
    set(&mut pairs, &title, &[]);
    set(&mut pairs, &format!("{title}.lang"), &[]);
    set(&mut pairs, &identifier, &["COHORTE-E2E"]);
    pairs.push(("action".into(), "publish".into()));

    // Without its CSRF token the post is refused, and nothing is stored.
    let without: Vec<_> = pairs.iter().filter(|(k, _)| k != "csrf").cloned().collect();
    let r = post(&app, "/edit/new", &marie, encode(&without)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // The title is missing: the form comes back with the message next to it, in French, and
    // what she typed kept.
    let r = post(&app, "/edit/new", &marie, encode(&pairs)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let title_id = title.replace('.', "-");
    let problems = &r.body[r.body.find("id=\"problems\"").unwrap_or(0)..];
    let at = r
        .body
        .find(&format!("class=\"field invalid\" id=\"{title_id}\""))
        .unwrap_or_else(|| {
            panic!(
                "the title field is marked: {}",
                &problems[..problems.len().min(3000)]
            )
        });
    let next_field = r.body[at + 10..].find("<fieldset class=\"field").unwrap() + at + 10;
    let block = &r.body[at..next_field];
    assert!(
        block.contains("field-error") && block.contains("Titre"),
        "{block}"
    );
    assert!(r.body.contains("rien n&#39;a été publié"), "{}", r.body);
    assert!(
        r.body.contains("COHORTE-E2E") && r.body.contains(new_iri),
        "input kept"
    );
    assert!(store.record_by_key(new_iri).unwrap().is_none());

    // Fixed and published: stored as a local record, found by search.
    let mut fixed = form_values(&r.body);
    set(&mut fixed, &title, &["Cohorte de bout en bout"]);
    set(&mut fixed, &format!("{title}.lang"), &["fr"]);
    fixed.push(("action".into(), "publish".into()));
    let r = post(&app, "/edit/new", &marie, encode(&fixed)).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "{}",
        &r.body[r.body.find("<main").unwrap_or(0)..]
            [..2500.min(r.body.len() - r.body.find("<main").unwrap_or(0))]
    );
    let meta = store.record_by_key(new_iri).unwrap().expect("published");
    let new_id = meta.local_id.unwrap().as_str().to_owned();
    assert_eq!(
        r.headers["location"],
        format!("/datasets/{new_id}").as_str()
    );
    assert_eq!(meta.source, "local");
    let found = search
        .search(&healthcat_search::SearchRequest {
            q: "bout".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(found.hits.iter().any(|h| h.id == new_id), "{found:?}");
    // Its form reads back what was sent: nothing lost on the way (distribution, contact point…).
    let again = form_values(
        &get(&app, &format!("/edit/datasets/{new_id}"), &marie)
            .await
            .body,
    );
    for (k, v) in fixed
        .iter()
        .filter(|(k, v)| !v.is_empty() && k.starts_with('f') && !k.ends_with(".node"))
    {
        assert!(
            again.iter().any(|(k2, v2)| k2 == k && v2 == v),
            "{k} = {v} lost"
        );
    }

    // Another publisher's editor cannot open it.
    let paul = log_in(&app, "paul", PW).await.unwrap();
    assert_eq!(
        get(&app, &format!("/edit/datasets/{new_id}"), &paul)
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // A draft of a change: stored aside, the record unchanged, listed on /edit.
    let edit_url = format!("/edit/datasets/{new_id}");
    let r = resubmit(
        &app,
        &marie,
        &edit_url,
        &identifier,
        "COHORTE-E2E-v2",
        "draft",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let draft_url = r.headers["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    assert!(draft_url.starts_with("/edit/drafts/"));
    let hash_before = store.record_by_key(new_iri).unwrap().unwrap().hash;
    assert!(get(&app, "/edit", &marie).await.body.contains(new_iri));
    assert!(
        !get(&app, "/edit", &paul).await.body.contains(new_iri),
        "drafts of others' publishers stay hidden"
    );

    // Someone else changes the record meanwhile: the draft is not published over it.
    let stale_form = get(&app, &draft_url, &marie).await;
    let now = store
        .get(&healthcat_model::LocalId::new(new_id.clone()).unwrap())
        .unwrap()
        .unwrap();
    let r = resubmit(
        &app,
        &marie,
        &edit_url,
        &identifier,
        "CHANGED-ELSEWHERE",
        "publish",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_ne!(
        store.record_by_key(new_iri).unwrap().unwrap().hash,
        hash_before
    );
    let mut publish = form_values(&stale_form.body);
    publish.push(("action".into(), "publish".into()));
    let r = post(&app, &draft_url, &marie, encode(&publish)).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);
    assert!(
        r.body.contains("modifiée par quelqu&#39;un d&#39;autre"),
        "{}",
        r.body
    );
    drop(now);

    // History: the changes with their lines; the first version restored with one button.
    let h = get(&app, &format!("/edit/datasets/{new_id}/history"), &marie).await;
    assert_eq!(h.status, StatusCode::OK, "{}", h.body);
    assert!(
        h.body.contains("CHANGED-ELSEWHERE") && h.body.contains("<del>- "),
        "{}",
        h.body
    );
    let forms: Vec<_> = h
        .body
        .match_indices("action=\"/edit/datasets/")
        .map(|(i, _)| form_values(&h.body[i..h.body[i..].find("</form>").unwrap() + i]))
        .collect();
    let oldest = forms.last().expect("a restore button").clone();
    let r = post(
        &app,
        &format!("/edit/datasets/{new_id}/restore"),
        &marie,
        encode(&oldest),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let graph = store
        .get(&healthcat_model::LocalId::new(new_id.clone()).unwrap())
        .unwrap()
        .unwrap()
        .graph;
    assert!(
        graph
            .iter()
            .any(|t| t.object.to_string() == "\"COHORTE-E2E\""),
        "restored"
    );
    let h = get(&app, &format!("/edit/datasets/{new_id}/history"), &marie).await;
    assert!(
        h.body.contains("<blockquote>restored the version of") && h.body.contains("editor:marie"),
        "who and why are in the history: {}",
        h.body
    );
    // A second restore with the page's now stale ETag is refused.
    let r = post(
        &app,
        &format!("/edit/datasets/{new_id}/restore"),
        &marie,
        encode(&oldest),
    )
    .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);
}

#[tokio::test]
async fn uploads_become_drafts_and_oversized_ones_are_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let auth = Local::new(dir.path());
    let (ttl, publisher) = one_dataset("https://chu.example/");
    auth.accounts
        .create("marie", Role::Editor, vec![publisher], PW)
        .unwrap();
    auth.accounts
        .create("root", Role::Admin, vec![], PW)
        .unwrap();
    let mut st = state();
    st.auth = crate::kernel::Auth(Arc::new(auth));
    let drafts = Arc::new(healthcat_ingest::drafts::Drafts::new(dir.path()));
    st.drafts = Some(drafts.clone());
    let count = st.store.record_hashes().unwrap().len();
    let store = st.store.clone();
    let app = crate::app(st);
    let marie = log_in(&app, "marie", PW).await.unwrap();
    let token = csrf(&get(&app, "/edit", &marie).await.body);
    let upload = |file: Vec<u8>, name: &str, cookie: &str, token: &str| {
        let mut body = Vec::new();
        body.extend_from_slice(format!("--XX\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/turtle\r\n\r\n").as_bytes());
        body.extend_from_slice(&file);
        body.extend_from_slice(b"\r\n--XX--\r\n");
        Request::post("/edit/import")
            .header("host", HOST)
            .header("cookie", cookie)
            .header("accept-language", "fr")
            .header("content-type", "multipart/form-data; boundary=XX")
            .body(Body::from(body))
            .unwrap()
    };
    let r = send(
        &app,
        upload(ttl.clone().into_bytes(), "cohorte.ttl", &marie, &token),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        r.headers["location"]
            .to_str()
            .unwrap()
            .starts_with("/edit/drafts/")
    );
    assert_eq!(drafts.list().unwrap().len(), 1);
    assert_eq!(
        store.record_hashes().unwrap().len(),
        count,
        "a draft, not a record"
    );
    // Two datasets in one file: the editor takes one per file, and says where to go instead.
    let two = format!("{ttl}\n{}", one_dataset("https://autre.example/").0);
    let r = send(&app, upload(two.into_bytes(), "deux.ttl", &marie, &token)).await;
    let back = r.headers["location"].to_str().unwrap().to_owned();
    assert!(back.starts_with("/edit?error="), "{back}");
    let page = get(&app, &back, &marie).await;
    assert!(
        page.body.contains("2 datasets") && page.body.contains("healthcat import"),
        "{}",
        page.body
    );
    assert_eq!(drafts.list().unwrap().len(), 1);
    // A file describing a record this catalogue imported from elsewhere: a draft, which the form
    // will not publish over the record (it is changed at its source).
    let (harvested, _) = one_dataset("https://autre.example/");
    let doc = healthcat_store::parse_document(
        harvested.as_bytes(),
        healthcat_store::Format::Turtle,
        "h.ttl",
        &Default::default(),
    )
    .unwrap();
    let units = healthcat_store::split(&doc.graph).unwrap();
    let source = healthcat_store::Source {
        id: "autre".into(),
        origin: "https://autre.example/catalog".into(),
        run: None,
        comment: None,
    };
    store.import_units(&doc.graph, &units, &source).unwrap();
    let (first, _) = store
        .records_of_source("autre")
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let theirs =
        crate::kernel::testing::get(&app, &format!("/datasets/{}.ttl", first.as_str())).await;
    let root = log_in(&app, "root", PW).await.unwrap();
    let root_token = csrf(&get(&app, "/edit", &root).await.body);
    let r = send(
        &app,
        upload(theirs.body.into_bytes(), "theirs.ttl", &root, &root_token),
    )
    .await;
    let at = r.headers["location"].to_str().unwrap().to_owned();
    assert!(at.starts_with("/edit/drafts/"), "{at}");
    let refused = get(&app, &at, &root).await;
    assert!(refused.body.contains("change it there"), "{}", refused.body);
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    drafts.remove(at.rsplit('/').next().unwrap()).unwrap();
    // 11 MB: refused, with the limit named, in French.
    let r = send(
        &app,
        upload(vec![b'#'; 11 << 20], "big.ttl", &marie, &token),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let back = r.headers["location"].to_str().unwrap().to_owned();
    let page = get(&app, &back, &marie).await;
    assert!(page.body.contains("dépasse 10 Mo"), "{}", page.body);
    assert_eq!(drafts.list().unwrap().len(), 1);
    // Hostile files: each refused with a message on the editor's page (escaped), no draft made.
    let dataset = "<https://chu.example/h> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> \"<script>alert(1)</script>\"@fr";
    let deep = format!(
        "{dataset} ; <https://ex.org/p> {}1{} .",
        "[ <https://ex.org/p> ".repeat(100_000),
        " ]".repeat(100_000)
    );
    let nul = format!("{dataset} ; <https://ex.org/p> \"a\\u0000b\" .");
    let laughs = r#"<!DOCTYPE r [ <!ENTITY a "aaaaaaaa"> <!ENTITY b "><&a;&a;&a;&a;&a;&a;"> ]><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="https://ex.org/h">&b;</rdf:Description></rdf:RDF>"#;
    let binary: Vec<u8> = (0u8..=255).cycle().take(4096).collect();
    for (name, file, says) in [
        ("deep.ttl", deep.into_bytes(), "levels deep"),
        ("nul.ttl", nul.into_bytes(), "U+0000"),
        ("laughs.rdf", laughs.as_bytes().to_vec(), "other entities"),
        ("binary.ttl", binary, "binary.ttl"),
    ] {
        let r = send(&app, upload(file, name, &marie, &token)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{name}: {}", r.body);
        let back = r.headers["location"].to_str().unwrap().to_owned();
        assert!(back.starts_with("/edit?error="), "{name}: {back}");
        let page = get(&app, &back, &marie).await;
        assert!(page.body.contains(says), "{name}: {}", page.body);
        assert!(
            !page.body.contains("<script>alert(1)"),
            "{name}: not escaped"
        );
        assert_eq!(drafts.list().unwrap().len(), 1, "{name}: no draft");
    }
}

/// An app with two stewards — marie, of the publisher of a record a script wrote, and paul, of
/// another publisher — that record's local id, and the store and index behind the app.
struct Stewards {
    app: axum::Router,
    id: String,
    store: healthcat_store::Store,
    search: Arc<healthcat_search::SearchIndex>,
    _dir: tempfile::TempDir,
}

/// Stores `ttl` as the catalogue's own (source `local`), indexed; the local id of its first record.
fn store_local(
    store: &healthcat_store::Store,
    search: &healthcat_search::SearchIndex,
    ttl: &str,
) -> String {
    let doc = healthcat_store::parse_document(
        ttl.as_bytes(),
        healthcat_store::Format::Turtle,
        "local.ttl",
        &Default::default(),
    )
    .unwrap();
    let source = healthcat_store::Source {
        id: "local".into(),
        origin: "test".into(),
        run: None,
        comment: None,
    };
    healthcat_ingest::Ingest::new(store)
        .indexing(Some(search))
        .document(&doc.graph, &source)
        .unwrap()
        .changed()[0]
        .to_string()
}

async fn two_stewards_and_a_record() -> Stewards {
    let dir = tempfile::tempdir().unwrap();
    let auth = Local::new(dir.path());
    let (ttl, publisher) = one_dataset("https://chu.example/");
    auth.accounts
        .create("marie", Role::Editor, vec![publisher.clone()], PW)
        .unwrap();
    auth.accounts
        .create("root", Role::Admin, vec![], PW)
        .unwrap();
    auth.accounts
        .create(
            "paul",
            Role::Editor,
            vec!["https://elsewhere.example/org".into()],
            PW,
        )
        .unwrap();
    let (_, admin_key) = auth.keys.create("script", Role::Admin, vec![]).unwrap();
    let mut st = state();
    st.auth = crate::kernel::Auth(Arc::new(auth));
    st.drafts = Some(Arc::new(healthcat_ingest::drafts::Drafts::new(dir.path())));
    let (store, search) = (st.store.clone(), st.search.clone());
    let app = crate::app(st);
    let r = call(&app, "POST", "/api/datasets", Some(&admin_key), &[], &ttl).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    Stewards {
        app,
        id,
        store,
        search,
        _dir: dir,
    }
}

/// The label's self-assessment form: a steward declares a metric's level with its evidence, the
/// record keeps it (validated, in its history) and the label counts it; another publisher's
/// steward cannot; a link that is not a web address is refused, naming the field.
#[tokio::test]
async fn a_steward_declares_the_label_s_metrics() {
    let Stewards { app, id, _dir, .. } = two_stewards_and_a_record().await;
    let url = format!("/edit/datasets/{id}/label");
    let marie = log_in(&app, "marie", PW).await.unwrap();
    let page = get(&app, &url, &marie).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // The declared metrics only, their levels in French.
    assert!(
        page.body.contains("name=\"level.access-time\""),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("name=\"level.access-policy\""),
        "computed"
    );
    assert!(page.body.contains("Moins d&#39;un mois"), "{}", page.body);
    let score = |app: axum::Router, id: String| async move {
        let r = call(
            &app,
            "GET",
            &format!("/api/datasets/{id}/quality"),
            None,
            &[],
            "",
        )
        .await;
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["label"].clone()
    };
    let before = score(app.clone(), id.clone()).await;

    let mut pairs = form_values(&page.body);
    set(&mut pairs, "level.access-time", &["3"]);
    set(
        &mut pairs,
        "evidence.access-time",
        &["Médiane de 21 jours en 2025"],
    );
    set(
        &mut pairs,
        "link.access-time",
        &["https://chu.example/rapport-acces"],
    );
    // A link that is not a web address: refused, naming the field, nothing stored.
    let mut bad = pairs.clone();
    set(&mut bad, "link.access-time", &["javascript:alert(1)"]);
    let r = post(&app, &url, &marie, encode(&bad)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("link.access-time"), "{}", r.body);
    let r = post(&app, &url, &marie, encode(&pairs)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers["location"], format!("{url}?saved=1").as_str());
    let after = score(app.clone(), id.clone()).await;
    let time = after["categories"][0]["dimensions"][0]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == "access-time")
        .unwrap()
        .clone();
    assert_eq!(
        (
            time["by"].as_str(),
            time["level"].as_u64(),
            time["evidence"].as_str()
        ),
        (
            Some("declared"),
            Some(3),
            Some("Médiane de 21 jours en 2025")
        )
    );
    let gained = after["score"].as_f64().unwrap() - before["score"].as_f64().unwrap();
    assert!(
        (gained - time["worth"].as_f64().unwrap()).abs() < 0.006,
        "{gained}"
    );
    // The form shows what is declared now; saving it again keeps one declaration per metric.
    let page = get(&app, &format!("{url}?saved=1"), &marie).await;
    assert!(
        page.body.contains("Les déclarations sont enregistrées"),
        "{}",
        page.body
    );
    let again = form_values(&page.body);
    assert!(
        again.contains(&("level.access-time".into(), "3".into())),
        "{again:?}"
    );
    let r = post(&app, &url, &marie, encode(&again)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let export = call(&app, "GET", &format!("/datasets/{id}.nt"), None, &[], "").await;
    assert_eq!(
        export
            .body
            .matches("<urn:healthcat:quantum:access-time>")
            .count(),
        1,
        "{}",
        export.body
    );
    // The history names why.
    let h = get(&app, &format!("/edit/datasets/{id}/history"), &marie).await;
    assert!(
        h.body.contains("the quality and utility label"),
        "{}",
        h.body
    );
    // Another publisher's steward may not.
    let paul = log_in(&app, "paul", PW).await.unwrap();
    let r = get(&app, &url, &paul).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

/// The data holder's maturity form: a steward of the publisher declares two dimensions; the
/// publisher's description carries them and every dataset of the publisher shows the score (the
/// one not edited too); a level outside 1-5 is refused naming the field; another publisher's
/// steward cannot open it.
#[tokio::test]
async fn a_steward_declares_the_holder_s_maturity() {
    let Stewards {
        app,
        id,
        store,
        search,
        _dir,
    } = two_stewards_and_a_record().await;
    // A second dataset of the same publisher, stored beside it.
    let (ttl, _) = one_dataset("https://chu.example/");
    let other = store_local(&store, &search, &ttl.replace("/dataset/", "/dataset-two/"));
    assert_ne!(other, id);
    let maturity = |app: axum::Router, id: String| async move {
        let r = call(
            &app,
            "GET",
            &format!("/api/datasets/{id}/quality?lang=en"),
            None,
            &[],
            "",
        )
        .await;
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["label"]["maturity"].clone()
    };
    assert_eq!(maturity(app.clone(), other.clone()).await["score"], 0);

    let url = format!("/edit/datasets/{id}/maturity");
    let marie = log_in(&app, "marie", PW).await.unwrap();
    let page = get(&app, &url, &marie).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Ten dimensions, their levels in French.
    assert_eq!(page.body.matches("<fieldset>").count(), 10, "{}", page.body);
    assert!(
        page.body
            .contains("Des preuves de la mise en œuvre du plan"),
        "{}",
        page.body
    );
    let mut pairs = form_values(&page.body);
    set(&mut pairs, "level.governance", &["3"]);
    set(
        &mut pairs,
        "evidence.governance",
        &["Plan de gestion 2025, audité"],
    );
    set(&mut pairs, "level.access", &["4"]);
    // Not a maturity level: refused, naming the field, nothing stored.
    let mut bad = pairs.clone();
    set(&mut bad, "level.access", &["7"]);
    let r = post(&app, &url, &marie, encode(&bad)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("level.access"), "{}", r.body);
    let r = post(&app, &url, &marie, encode(&pairs)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers["location"], format!("{url}?saved=1").as_str());
    // Both datasets of the publisher show it, the one not edited too.
    for d in [&id, &other] {
        let m = maturity(app.clone(), d.clone()).await;
        assert_eq!(m["score"], 7, "{d}: {m:#}");
        let governance = m["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["dimension"] == "governance")
            .unwrap()
            .clone();
        assert_eq!(
            governance["level_label"],
            "Evidence that the plan is implemented"
        );
    }
    // The form shows what is declared; saved again, one declaration per dimension.
    let page = get(&app, &format!("{url}?saved=1"), &marie).await;
    let again = form_values(&page.body);
    assert!(
        again.contains(&("level.governance".into(), "3".into())),
        "{again:?}"
    );
    assert!(
        page.body
            .contains(">Plan de gestion 2025, audité</textarea>"),
        "{}",
        page.body
    );
    let r = post(&app, &url, &marie, encode(&again)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sparql = "SELECT (COUNT(*) AS ?n) WHERE { ?p <http://www.w3.org/ns/dqv#hasQualityMeasurement> ?m . \
                  ?m <http://www.w3.org/ns/dqv#isMeasurementOf> <urn:healthcat:quantum:maturity-governance> }";
    let r = call(
        &app,
        "GET",
        &format!("/sparql?{}", encode(&[("query".into(), sparql.into())])),
        None,
        &[("accept", "application/sparql-results+json")],
        "",
    )
    .await;
    assert!(r.body.contains("\"value\":\"1\""), "{}", r.body);
    assert_eq!(maturity(app.clone(), other.clone()).await["score"], 7);
    // Another publisher's steward may not.
    let paul = log_in(&app, "paul", PW).await.unwrap();
    let r = get(&app, &url, &paul).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

/// An edition is attached to a series in the editor: the steward gives the series' IRI in the
/// form's "In series" field; the record validates (the series is in the catalogue) and its page
/// names the series, whose page lists it.
#[tokio::test]
async fn a_steward_attaches_a_dataset_to_a_series() {
    let Stewards {
        app,
        id,
        store,
        search,
        _dir,
    } = two_stewards_and_a_record().await;
    // The registry's series, stored beside it.
    let series = "https://chu.example/series/registre";
    let ttl = format!(
        "<{series}> a <http://www.w3.org/ns/dcat#DatasetSeries> ; \
           <http://purl.org/dc/terms/title> \"Registre annuel\"@fr , \"Yearly registry\"@en ; \
           <http://purl.org/dc/terms/description> \"Éditions annuelles\"@fr ; \
           <http://data.europa.eu/r5r/applicableLegislation> <http://data.europa.eu/eli/reg/2025/327/oj> ."
    );
    let series_id = store_local(&store, &search, &ttl);

    let marie = log_in(&app, "marie", PW).await.unwrap();
    let url = format!("/edit/datasets/{id}");
    let page = get(&app, &url, &marie).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let mut pairs = form_values(&page.body);
    let field = field_named(&pairs, &page.body, "dcat:inSeries");
    set(&mut pairs, &field, &[series]);
    pairs.push(("action".into(), "publish".into()));
    let r = post(&app, &url, &marie, encode(&pairs)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let edition = call(
        &app,
        "GET",
        &format!("/datasets/{id}?lang=en"),
        None,
        &[],
        "",
    )
    .await;
    assert!(
        edition.body.contains(&format!(
            "Edition of the series <a href=\"/datasets/{series_id}\" lang=\"en\">Yearly registry</a> — edition 1 of 1"
        )),
        "{}",
        edition.body
    );
    let listing = call(
        &app,
        "GET",
        &format!("/datasets/{series_id}?lang=en"),
        None,
        &[],
        "",
    )
    .await;
    assert!(
        listing
            .body
            .contains(&format!("<a href=\"/datasets/{id}\"")),
        "{}",
        listing.body
    );
}

/// The trusted holders' page: an editor reads it but may not change it; an administrator adds a
/// decision (a wrong date refused, naming the field), and at once the search filters and counts
/// the holder's datasets, the dataset page shows the badge and the catalogue publishes
/// `healthdcatap:trustedDataHolder`; withdrawn, all of it goes.
#[tokio::test]
async fn an_administrator_decides_which_holders_are_trusted() {
    let Stewards { app, id, _dir, .. } = two_stewards_and_a_record().await;
    let search = |app: axum::Router, q: &'static str| async move {
        let r = call(&app, "GET", &format!("/api/search?{q}"), None, &[], "").await;
        (
            r.status,
            serde_json::from_str::<serde_json::Value>(&r.body).unwrap_or_default(),
            r.body,
        )
    };
    let record = call(&app, "GET", &format!("/datasets/{id}.nt"), None, &[], "").await;
    let publisher = record
        .body
        .lines()
        .find(|l| l.contains("<http://purl.org/dc/terms/publisher>"))
        .and_then(|l| l.split('<').nth(3))
        .and_then(|o| o.split('>').next())
        .unwrap_or_else(|| panic!("{}", record.body))
        .to_owned();
    assert_eq!(search(app.clone(), "trusted=yes").await.1["total"], 0);

    let marie = log_in(&app, "marie", PW).await.unwrap();
    let page = get(&app, "/edit/trusted", &marie).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Seul un administrateur"),
        "{}",
        page.body
    );
    let add = |csrf: &str, decided: &str| {
        encode(&[
            ("csrf".into(), csrf.into()),
            ("action".into(), "add".into()),
            ("iri".into(), publisher.clone()),
            ("decided".into(), decided.into()),
            ("reference".into(), "HDAB-2026-014".into()),
        ])
    };
    // (Her session's token, from a page where she has a form.)
    let token = csrf(&get(&app, "/edit", &marie).await.body);
    let r = post(&app, "/edit/trusted", &marie, add(&token, "2026-03-01")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    let root = log_in(&app, "root", PW).await.unwrap();
    let page = get(&app, "/edit/trusted", &root).await;
    let token = csrf(&page.body);
    let r = post(&app, "/edit/trusted", &root, add(&token, "1er mars")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("decided"), "{}", r.body);
    let r = post(&app, "/edit/trusted", &root, add(&token, "2026-03-01")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let (_, found, _) = search(app.clone(), "trusted=yes").await;
    assert_eq!(found["total"], 1, "{found:#}");
    let facet = found["facets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "trusted")
        .unwrap_or_else(|| panic!("{found:#}"))
        .clone();
    assert_eq!(facet["values"][0]["count"], 1, "{facet:#}");
    let (_, none, _) = search(
        app.clone(),
        "trusted=yes&publisher=https://elsewhere.example/org",
    )
    .await;
    assert_eq!(none["total"], 0, "{none:#}");
    let (status, _, body) = search(app.clone(), "trusted=maybe").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("trusted must be yes"), "{body}");

    let page = call(
        &app,
        "GET",
        &format!("/datasets/{id}?lang=en"),
        None,
        &[],
        "",
    )
    .await;
    assert!(
        page.body.contains("Trusted health data holder"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("decision HDAB-2026-014 of"),
        "{}",
        page.body
    );
    let nt = call(&app, "GET", "/catalog.nt", None, &[], "").await;
    let mark = format!(
        "<{publisher}> <http://healthdataportal.eu/ns/health#trustedDataHolder> \"true\"^^<http://www.w3.org/2001/XMLSchema#boolean> ."
    );
    assert!(nt.body.contains(&mark), "{}", nt.body);
    let listed = get(&app, "/edit/trusted", &root).await;
    assert!(listed.body.contains("HDAB-2026-014"), "{}", listed.body);

    // Withdrawn: the filter finds nothing, the catalogue says nothing.
    let remove = encode(&[
        ("csrf".into(), token.clone()),
        ("action".into(), "remove".into()),
        ("iri".into(), publisher.clone()),
    ]);
    let r = post(&app, "/edit/trusted", &root, remove).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(search(app.clone(), "trusted=yes").await.1["total"], 0);
    let nt = call(&app, "GET", "/catalog.nt", None, &[], "").await;
    assert!(!nt.body.contains("trustedDataHolder"), "{}", nt.body);
}

/// The annual review's page: a year on (`?at=`), the holder's editor sees the record overdue and
/// confirms it as still accurate; another publisher's editor neither sees it nor may confirm it;
/// the administrator sees every holder and source; the confirmation is the record's new review
/// date, and its content and history are untouched.
#[tokio::test]
async fn the_holder_s_editor_confirms_a_record_still_accurate() {
    let Stewards {
        app,
        id,
        store,
        _dir,
        ..
    } = two_stewards_and_a_record().await;
    let year = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 370)).to_string();
    let at = format!("/edit/review?at={}", &year[..10]);
    let marie = log_in(&app, "marie", PW).await.unwrap();
    let page = get(&app, &at, &marie).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Revue annuelle"), "{}", page.body);
    assert!(
        page.body.contains(&format!("value=\"{id}\"")),
        "{}",
        page.body
    );
    assert!(page.body.contains("En retard"), "{}", page.body);
    // Today nothing is due.
    let today = get(&app, "/edit/review", &marie).await;
    assert!(
        today.body.contains("Rien n&#39;est à revoir"),
        "{}",
        today.body
    );
    let token = csrf(&page.body);

    let paul = log_in(&app, "paul", PW).await.unwrap();
    let theirs = get(&app, &at, &paul).await;
    assert!(
        !theirs.body.contains(&format!("value=\"{id}\"")),
        "{}",
        theirs.body
    );
    let paul_token = csrf(&get(&app, "/edit/new", &paul).await.body);
    let refused = post(
        &app,
        "/edit/review",
        &paul,
        format!("csrf={paul_token}&id={id}"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);

    let history = store
        .history(&healthcat_model::LocalId::new(id.clone()).unwrap())
        .unwrap()
        .len();
    let r = post(
        &app,
        "/edit/review",
        &marie,
        format!("csrf={token}&id={id}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let local = healthcat_model::LocalId::new(id.clone()).unwrap();
    let meta = store.get(&local).unwrap().unwrap().meta;
    assert_eq!(meta.confirmed.as_ref().unwrap().by, "marie");
    assert_eq!(store.history(&local).unwrap().len(), history, "no revision");
    // Confirmed today: 300 days on, it is not to review.
    let soon = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 300)).to_string();
    let page = get(&app, &format!("/edit/review?at={}", &soon[..10]), &marie).await;
    assert!(
        !page.body.contains(&format!("value=\"{id}\"")),
        "{}",
        page.body
    );

    let root = log_in(&app, "root", PW).await.unwrap();
    let admin = get(&app, &at, &root).await;
    assert!(
        admin.body.contains("Par source") && admin.body.contains("local"),
        "{}",
        admin.body
    );
    let bad = get(&app, "/edit/review?at=demain", &root).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
}

/// The biennial usage report: a signed-in editor downloads the workbook and each table; the
/// figures are the store's; a wrong format or table is refused naming the parameter; nobody
/// signed out gets it.
#[tokio::test]
async fn an_editor_downloads_the_usage_report() {
    let Stewards {
        app,
        id,
        store,
        _dir,
        ..
    } = two_stewards_and_a_record().await;
    let url = "/edit/statistics/report?format=csv&table=summary";
    let r = get(&app, url, "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "to the login page");
    let tally = healthcat_usage::Tally::default();
    let person = healthcat_usage::Client::of(true, Some("Mozilla/5.0 Firefox/133.0"), false);
    for _ in 0..7 {
        tally.count(person, &id, healthcat_usage::Metric::View);
    }
    tally.flush(&store).unwrap();
    let marie = log_in(&app, "marie", PW).await.unwrap();
    let r = get(&app, url, &marie).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.headers["content-disposition"]
            .to_str()
            .unwrap()
            .ends_with("-summary.csv\"")
    );
    assert!(r.body.lines().any(|l| l == "Pages vues,7"), "{}", r.body);
    let r = get(
        &app,
        "/edit/statistics/report?format=csv&table=datasets",
        &marie,
    )
    .await;
    assert!(
        r.body
            .lines()
            .any(|l| l.starts_with(&format!("{id},")) && l.contains(",7,")),
        "{}",
        r.body
    );
    let r = get(&app, "/edit/statistics/report", &marie).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    for (bad, named) in [
        ("format=ods", "format"),
        ("format=csv&table=people", "table"),
        ("from=yesterday", "from"),
    ] {
        let r = get(&app, &format!("/edit/statistics/report?{bad}"), &marie).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(r.body.contains(named), "{bad}: {}", r.body);
    }
    // The statistics page offers the report to the signed-in only.
    let page = get(&app, "/statistics", &marie).await;
    assert!(
        page.body.contains("/edit/statistics/report"),
        "{}",
        page.body
    );
    let page = get(&app, "/statistics", "").await;
    assert!(!page.body.contains("/edit/statistics/report"));
    assert!(page.body.contains("<svg"));
}

/// The data dictionary import: a steward uploads a CSV; the record's variables are replaced and
/// the page says how many; a file with a bad row is refused with the row and column, nothing
/// changed; another publisher's steward cannot.
#[tokio::test]
async fn a_steward_imports_a_data_dictionary() {
    let Stewards {
        app,
        id,
        store,
        _dir,
        ..
    } = two_stewards_and_a_record().await;
    let url = format!("/edit/datasets/{id}/dictionary");
    let marie = log_in(&app, "marie", PW).await.unwrap();
    let page = get(&app, &url, &marie).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("href=\"/templates/dictionary.xlsx\""));
    let values = form_values(&page.body);
    let value = |k: &str| values.iter().find(|(n, _)| n == k).unwrap().1.clone();
    let (token, etag) = (value("csrf"), value("etag"));
    let upload = |file: &str, name: &str, cookie: &str, etag: &str| {
        let body = format!(
            "--XX\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n--XX\r\nContent-Disposition: form-data; name=\"etag\"\r\n\r\n{etag}\r\n--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--XX--\r\n"
        );
        Request::post(url.as_str())
            .header("host", HOST)
            .header("cookie", cookie)
            .header("accept-language", "fr")
            .header("content-type", "multipart/form-data; boundary=XX")
            .body(Body::from(body))
            .unwrap()
    };
    let hash = |store: &healthcat_store::Store| {
        store
            .get(&healthcat_model::LocalId::new(id.clone()).unwrap())
            .unwrap()
            .unwrap()
            .meta
            .hash
    };
    let before = hash(&store);
    let bad = "name,title_fr,description_fr,datatype\nimc,IMC,Indice de masse corporelle,decimal\nimc,IMC bis,Encore,decimal\n";
    let r = send(&app, upload(bad, "dico.csv", &marie, &etag)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("row 3, column A (name)"), "{}", r.body);
    assert!(
        r.body.contains("Le fichier n&#39;a pas été importé"),
        "{}",
        r.body
    );
    assert_eq!(hash(&store), before);
    let good = "name,title_fr,description_fr,datatype,unit\nimc,IMC,Indice de masse corporelle,decimal,kg/m2\npoids,Poids,Poids à l'inclusion,decimal,kg\n";
    let r = send(&app, upload(good, "dico.csv", &marie, &etag)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let back = get(&app, r.headers["location"].to_str().unwrap(), &marie).await;
    assert!(
        back.body
            .contains("Le dictionnaire a été importé : 2 variables."),
        "{}",
        back.body
    );
    assert!(
        back.body
            .contains("La fiche décrit 2 variables actuellement.")
    );
    assert_ne!(hash(&store), before);
    // The version the form was opened on is gone: refused, not overwritten.
    let after = hash(&store);
    let r = send(&app, upload(good, "dico.csv", &marie, &etag)).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.body);
    assert!(r.body.contains("changed since that version"), "{}", r.body);
    assert_eq!(hash(&store), after);
    // Another publisher's steward cannot open it.
    let paul = log_in(&app, "paul", PW).await.unwrap();
    assert_eq!(get(&app, &url, &paul).await.status, StatusCode::FORBIDDEN);
}

/// Bulk editing in a spreadsheet: a steward downloads her datasets as CSV, changes a title,
/// sends the file back and gets a draft per row (nothing published); a file with mistakes
/// makes no draft and names each mistake's sheet, row and column, in French; another
/// publisher's steward gets none of her datasets and may not send them.
#[tokio::test]
async fn a_steward_edits_her_datasets_in_a_spreadsheet() {
    let Stewards {
        app,
        id,
        store,
        _dir,
        ..
    } = two_stewards_and_a_record().await;
    let marie = log_in(&app, "marie", PW).await.unwrap();
    let home = get(&app, "/edit", &marie).await;
    assert!(
        home.body.contains("href=\"/edit/sheet/template.xlsx\""),
        "{}",
        home.body
    );
    let token = form_values(&home.body)
        .into_iter()
        .find(|(n, _)| n == "csrf")
        .unwrap()
        .1;
    let xlsx = get(&app, "/edit/sheet/datasets.xlsx", &marie).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(
        xlsx.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let csv = get(&app, "/edit/sheet/datasets.csv", &marie).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    let meta = store
        .get(&healthcat_model::LocalId::new(id.clone()).unwrap())
        .unwrap()
        .unwrap()
        .meta;
    assert!(csv.body.contains(&meta.key), "{}", csv.body);
    // French headers (the reader's language).
    assert!(
        csv.body.starts_with("Adresse (IRI) * [@id]"),
        "{}",
        csv.body
    );
    let upload = |file: &str, name: &str, cookie: &str, token: &str| {
        let body = format!(
            "--XX\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--XX--\r\n"
        );
        Request::post("/edit/import")
            .header("host", HOST)
            .header("cookie", cookie)
            .header("accept-language", "fr")
            .header("content-type", "multipart/form-data; boundary=XX")
            .body(Body::from(body))
            .unwrap()
    };
    // The French title changed.
    let record = store
        .get(&healthcat_model::LocalId::new(id.clone()).unwrap())
        .unwrap()
        .unwrap();
    let title = record
        .graph
        .iter()
        .find_map(|t| match t.object {
            oxrdf::TermRef::Literal(l)
                if t.predicate.as_str() == "http://purl.org/dc/terms/title"
                    && t.subject.to_string() == format!("<{}>", meta.key)
                    && l.language() == Some("fr") =>
            {
                Some(l.value().to_owned())
            }
            _ => None,
        })
        .unwrap();
    assert!(csv.body.contains(&title), "{}", csv.body);
    let edited = csv.body.replacen(&title, "Registre révisé", 1);
    let r = send(&app, upload(&edited, "mes-jeux.csv", &marie, &token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("1 brouillon(s) créé(s)"), "{}", r.body);
    assert!(
        r.body.contains("modifie le jeu de données publié"),
        "{}",
        r.body
    );
    let link = r.body.split("href=\"/edit/drafts/").nth(1).unwrap();
    let draft_id = link.split('"').next().unwrap();
    let draft = get(&app, &format!("/edit/drafts/{draft_id}"), &marie).await;
    assert_eq!(draft.status, StatusCode::OK);
    assert!(draft.body.contains("Registre révisé"), "{}", draft.body);
    // Nothing published.
    assert_eq!(
        store
            .get(&healthcat_model::LocalId::new(id.clone()).unwrap())
            .unwrap()
            .unwrap()
            .meta
            .hash,
        meta.hash
    );
    // Mistakes: no draft, each placed, in French.
    let header = csv.body.lines().next().unwrap();
    let bad = format!("{header}\npas-une-adresse\n{}\n{}\n", meta.key, meta.key);
    let before = get(&app, "/edit", &marie)
        .await
        .body
        .matches("/edit/drafts/")
        .count();
    let r = send(&app, upload(&bad, "erreurs.csv", &marie, &token)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("aucun brouillon n&#39;a été créé"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("feuille « erreurs.csv », ligne 2, colonne A"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("pas-une-adresse n&#39;est pas une adresse http(s)"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("est déjà à la ligne 3 : une ligne par jeu de données"),
        "{}",
        r.body
    );
    let after = get(&app, "/edit", &marie)
        .await
        .body
        .matches("/edit/drafts/")
        .count();
    assert_eq!(before, after);
    // Not a workbook at all.
    let r = send(
        &app,
        upload("PK\u{3}\u{4} nope", "faux.xlsx", &marie, &token),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body
            .contains("faux.xlsx n&#39;est pas un fichier XLSX lisible"),
        "{}",
        r.body
    );
    // Paul (another publisher) gets none of her datasets, and may not send her row.
    let paul = log_in(&app, "paul", PW).await.unwrap();
    let his = get(&app, "/edit/sheet/datasets.csv", &paul).await;
    assert!(!his.body.contains(&meta.key), "{}", his.body);
    let his_token = form_values(&get(&app, "/edit", &paul).await.body)
        .into_iter()
        .find(|(n, _)| n == "csrf")
        .unwrap()
        .1;
    let r = send(&app, upload(&edited, "mes-jeux.csv", &paul, &his_token)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("ligne 2"), "{}", r.body);
    // Anonymous: no download.
    let anon = get(&app, "/edit/sheet/template.xlsx", "").await;
    assert_ne!(anon.status, StatusCode::OK);
}
