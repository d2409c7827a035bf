//! The site in a real browser: headless Chromium driven through chromedriver (WebDriver, see
//! `webdriver.rs`). A researcher's journey — search, filter by a facet, open a dataset, switch
//! language, download its Turtle — and axe-core on the home, search, dataset and validation pages
//! of both shipped themes: no serious or critical accessibility violation.
//!
//! Needs Debian's `chromium` and `chromium-driver` and axe-core: `bash .ci/browser` installs them and
//! prints the path of `axe.min.js`, which `make test` passes as `HEALTHCAT_AXE`. Without them the
//! tests say so and skip. Screenshots go to `<target>/screenshots/` for people to look at.

use crate::harness::{Env, Killed, http_get, serve};
use crate::webdriver::Session;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// chromedriver and axe-core, or why the tests cannot run.
pub(crate) fn tools() -> Option<(PathBuf, String)> {
    let axe = std::env::var_os("HEALTHCAT_AXE").filter(|v| !v.is_empty());
    let driver = std::env::var_os("HEALTHCAT_CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| which("chromedriver"));
    match (driver, axe) {
        (Some(driver), Some(axe)) => match std::fs::read_to_string(&axe) {
            Ok(source) => Some((driver, source)),
            Err(e) => {
                eprintln!(
                    "NOTICE: browser tests skipped: cannot read HEALTHCAT_AXE={}: {e}",
                    Path::new(&axe).display()
                );
                None
            }
        },
        _ => {
            eprintln!(
                "NOTICE: browser tests skipped: they need chromedriver and axe-core \
                 (run `bash .ci/browser`, which installs them and prints the path to pass as \
                 HEALTHCAT_AXE; `make test` does it)"
            );
            None
        }
    }
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// chromedriver on a free port; its URL once it answers.
pub(crate) fn chromedriver(path: &Path) -> (Killed, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn chromedriver");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (Killed(child), format!("http://127.0.0.1:{port}"))
}

pub(crate) fn browser(driver: &str, lang: &str) -> Session {
    let mut options = serde_json::json!({
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,1024", format!("--lang={lang}")],
        "prefs": { "intl.accept_languages": lang },
    });
    if let Some(chromium) = which("chromium") {
        options["binary"] = serde_json::json!(chromium);
    }
    Session::new(driver.trim_start_matches("http://"), options).expect("a WebDriver session")
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub(crate) fn shot(c: &Session, name: &str) {
    let png = c.screenshot().unwrap();
    std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
}

/// Checks that the current page fits a 1280-pixel and a 320-pixel wide window without scrolling
/// sideways (a screenshot of each, `name-320`), and leaves the window at 1280.
fn fits(c: &Session, name: &str) {
    for width in [320, 1280] {
        c.set_window_size(width, 1024).unwrap();
        let v = c
            .execute(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth, \
                 Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')];",
            )
            .unwrap();
        if width == 320 {
            shot(c, &format!("{name}-320"));
        }
        let (scroll, client) = (v[0].as_u64().unwrap(), v[1].as_u64().unwrap());
        assert!(
            scroll <= client,
            "{name} at {width} px: {scroll} px wide in a {client} px window; too wide: {}",
            v[2]
        );
    }
}

pub(crate) fn text_of(c: &Session, css: &str) -> String {
    c.find(css)
        .and_then(|e| e.text())
        .unwrap_or_else(|e| panic!("{css}: {e}"))
}

fn lang_of(c: &Session) -> Option<String> {
    c.find("html").unwrap().attr("lang").unwrap()
}

#[test]
fn a_researcher_searches_filters_reads_switches_language_and_downloads() {
    let Some((driver_path, _)) = tools() else {
        return;
    };
    let env = Env::new();
    let (_server, base) = serve(&env, None);
    let (_driver, driver) = chromedriver(&driver_path);
    let c = browser(&driver, "fr");
    c.goto(&format!("{base}/")).unwrap();
    assert_eq!(
        lang_of(&c).as_deref(),
        Some("fr"),
        "Accept-Language: fr gives the French site"
    );
    fits(&c, "0-home");
    // Search from the home page.
    c.find("input#q").unwrap().send_keys("cancer").unwrap();
    c.find("form.search button[type=submit]")
        .unwrap()
        .click()
        .unwrap();
    let before = text_of(&c, "#results-title");
    shot(&c, "1-search");
    fits(&c, "1-search");
    let total = |heading: &str| -> u64 {
        heading
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(0)
    };
    assert!(total(&before) > 0, "{before}");
    // Filter by an access level.
    c.find("ul[aria-labelledby=facet-access_rights] a")
        .unwrap()
        .click()
        .unwrap();
    let after = text_of(&c, "#results-title");
    shot(&c, "2-filtered");
    assert!(total(&after) < total(&before), "{before} → {after}");
    assert!(c.url().unwrap().contains("access_rights="));
    // Open the first dataset.
    c.find(".hit h3 a").unwrap().click().unwrap();
    assert!(c.url().unwrap().contains("/datasets/"));
    shot(&c, "3-dataset-fr");
    fits(&c, "3-dataset-fr");
    assert!(text_of(&c, "main").contains("Niveau d'accès"));
    // Switch to English; the choice is remembered on the next page.
    c.find("a[hreflang=en]").unwrap().click().unwrap();
    assert_eq!(lang_of(&c).as_deref(), Some("en"));
    assert!(text_of(&c, "main").contains("Access level"));
    // Its metadata quality: the band in the badge, the score in words, what would raise it.
    assert!(text_of(&c, "a.badge.quality").starts_with("Metadata quality: "));
    let quality = text_of(&c, "#quality + p");
    assert!(
        quality.contains("on data.europa.eu's metadata quality scale (MQA)"),
        "{quality}"
    );
    shot(&c, "4-dataset-en");
    c.goto(&format!("{base}/search")).unwrap();
    assert_eq!(text_of(&c, "h1"), "Search datasets");
    c.back().unwrap();
    // Download its Turtle.
    let link = c
        .find("a[type='text/turtle']")
        .unwrap()
        .prop("href")
        .unwrap()
        .unwrap();
    let (status, ttl) = http_get(&link);
    assert_eq!(status, 200, "{link}");
    assert!(ttl.contains("dcat:Dataset"), "{ttl}");
}

/// axe-core's serious and critical violations on a page, as readable lines.
fn axe(c: &Session, source: &str) -> Vec<String> {
    c.execute(source).expect("axe-core loads");
    let result = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))))
               .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));",
        )
        .expect("axe-core runs");
    result
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|v| {
            (
                v["impact"].as_str().unwrap_or_default().to_owned(),
                format!(
                    "{} ({}): {} at {}",
                    v["id"], v["impact"], v["help"], v["nodes"]
                ),
            )
        })
        .inspect(|(_, line)| eprintln!("axe: {line}"))
        .filter(|(impact, _)| impact == "serious" || impact == "critical")
        .map(|(_, line)| line)
        .collect()
}

#[test]
fn no_serious_accessibility_violation_on_the_main_pages_of_both_themes() {
    let Some((driver_path, axe_source)) = tools() else {
        return;
    };
    let region = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../themes/region");
    let (_driver, driver) = chromedriver(&driver_path);
    let mut failures = Vec::new();
    for (theme, config) in [
        ("default", None),
        (
            "region",
            Some(format!(
                "[site]\ntheme_dir = {:?}\n",
                region.display().to_string()
            )),
        ),
    ] {
        // Each theme serves its own demo catalogue.
        let theme_env = Env::new();
        let (_server, base) = serve(&theme_env, config.as_deref());
        let c = browser(&driver, "fr");
        c.goto(&format!("{base}/search?per_page=1")).unwrap();
        let dataset = c.find(".hit h3 a").unwrap().attr("href").unwrap().unwrap();
        for (page, path) in [
            ("home", "/".to_owned()),
            ("search", "/search?q=cancer".to_owned()),
            ("dataset", dataset.clone()),
            ("validate", "/validate".to_owned()),
            ("login", "/login".to_owned()),
            ("quality", "/quality".to_owned()),
            ("statistics", "/statistics".to_owned()),
            ("variables", "/variables?q=age".to_owned()),
            ("basket-empty", "/basket".to_owned()),
            (
                "statistics-dataset",
                format!(
                    "/statistics?dataset={}",
                    dataset.trim_start_matches("/datasets/")
                ),
            ),
        ] {
            for lang in ["fr", "en"] {
                let sep = if path.contains('?') { '&' } else { '?' };
                c.goto(&format!("{base}{path}{sep}lang={lang}")).unwrap();
                shot(&c, &format!("axe-{theme}-{page}-{lang}"));
                for v in axe(&c, &axe_source) {
                    failures.push(format!("{theme} {page} {lang}: {v}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "serious or critical accessibility violations:\n{}",
        failures.join("\n")
    );
}

/// Waits (up to 10 s) for the browser to be at an address containing `part`: a click's or a
/// redirect's navigation may still be under way when the WebDriver call returns.
pub(crate) fn wait_for_url(c: &Session, part: &str) {
    for _ in 0..100 {
        if c.url().is_ok_and(|u| u.contains(part)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!(
        "still at {} (expected {part}): {}",
        c.url().unwrap_or_default(),
        c.find("main").and_then(|e| e.text()).unwrap_or_default()
    );
}

/// Waits (up to 10 s) until the first element matching `css` contains `needle`.
pub(crate) fn wait_for_text(c: &Session, css: &str, needle: &str) {
    for _ in 0..100 {
        if c.find(css)
            .and_then(|e| e.text())
            .is_ok_and(|t| t.contains(needle))
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Sets the value of the first input (or select) of the field whose legend shows `path` — a
/// field of the form itself, or of the `group`-th nested group of the field `within` (there, the
/// input whose name ends with `suffix` when given: the group's own address).
const FILL: &str = "
  const [path, value, within, group, suffix] = arguments;
  const field = (root, p) => [...root.querySelectorAll(':scope > fieldset.field')]
      .find(f => f.querySelector(':scope > legend code')?.textContent === p);
  const form = document.querySelector('form.editor');
  let root = form;
  if (within) { root = field(form, within).querySelectorAll('fieldset.group')[group]; }
  const f = field(root, path);
  if (!f) { throw new Error('no field ' + path); }
  const input = suffix ? root.querySelector('[name$=\"' + suffix + '\"]')
                       : f.querySelector(':scope > .value input, :scope > .value select');
  input.value = value;
  return input.name;";

#[test]
fn a_steward_logs_in_creates_a_dataset_reads_the_french_message_fixes_it_and_finds_it() {
    let Some((driver_path, _)) = tools() else {
        return;
    };
    let env = Env::new();
    const PW: &str = "une phrase de passe assez longue";
    let made = env
        .cmd()
        .args([
            "users",
            "create",
            "marie",
            "--admin",
            "--password-env",
            "HC_TEST_PW",
        ])
        .env("HC_TEST_PW", PW)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let (_server, base) = serve(&env, None);
    let (_driver, driver) = chromedriver(&driver_path);
    let c = browser(&driver, "fr");

    // The editor asks for a login first, then comes back.
    c.goto(&format!("{base}/edit/new")).unwrap();
    wait_for_url(&c, "/login");
    c.find("#name").unwrap().send_keys("marie").unwrap();
    c.find("#password").unwrap().send_keys(PW).unwrap();
    c.find("form.login button").unwrap().click().unwrap();
    wait_for_url(&c, "/edit/new");
    shot(&c, "edit-1-new");

    // Everything the HealthDCAT-AP R8 non-public level requires, except the title.
    let ds = "https://catalogue.example.org/dataset/cohorte-navigateur";
    c.execute(&format!("document.querySelector('#iri').value = '{ds}';"))
        .unwrap();
    let fill = |path: &str, value: &str| {
        c.execute(&format!(
            "return (function() {{ {FILL} }}).apply(null, {});",
            serde_json::json!([path, value, null, 0, null])
        ))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    };
    let fill_in = |within: &str, path: &str, value: &str, suffix: Option<&str>| {
        c.execute(&format!(
            "return (function() {{ {FILL} }}).apply(null, {});",
            serde_json::json!([path, value, within, 0, suffix])
        ))
        .unwrap_or_else(|e| panic!("{within} {path}: {e}"));
    };
    let eli = "http://data.europa.eu/eli/reg/2025/327/oj";
    fill(
        "dct:description",
        "Cohorte suivie dans le test du navigateur.",
    );
    fill("dct:identifier", "NAV-0001");
    fill(
        "dct:accessRights",
        "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC",
    );
    fill(
        "dcat:theme",
        "http://publications.europa.eu/resource/authority/data-theme/HEAL",
    );
    fill("dcatap:applicableLegislation", eli);
    fill(
        "healthdcatap:healthCategory",
        "https://hdeu-dcat.data.health.europa.eu/resource/authority/healthcategories/HRAD",
    );
    fill("healthdcatap:hasStructuredData", "false");
    fill("dcat:keyword", "cohorte");
    fill(
        "dct:type",
        "http://publications.europa.eu/resource/authority/dataset-type/STATISTICAL",
    );
    // The access body the catalogue already describes: its address is enough.
    fill_in(
        "healthdcatap:hdab",
        "cv:contactPoint",
        "https://catalogue.example.org/agent/hdab-fra",
        Some(".iri"),
    );
    fill_in(
        "dcat:distribution",
        "dcat:accessURL",
        "https://chu.example.org/acces",
        None,
    );
    fill_in(
        "dcat:distribution",
        "dcatap:applicableLegislation",
        eli,
        None,
    );
    fill_in("dcat:contactPoint", "vcard:fn", "Équipe données", None);
    fill_in(
        "dcat:contactPoint",
        "vcard:hasEmail",
        "mailto:donnees@chu.example.org",
        None,
    );
    fill_in(
        "dct:provenance",
        "rdfs:label",
        "Données pseudonymisées avant mise à disposition.",
        None,
    );
    c.find("button[value=publish]").unwrap().click().unwrap();
    shot(&c, "edit-2-missing-title");
    fits(&c, "edit-2-missing-title");

    // Not published: the message is next to the title, in French; what was typed is kept.
    let message = text_of(&c, "fieldset#f0 .field-error");
    assert!(message.contains("obligatoire"), "{message}");
    assert!(text_of(&c, "#problems").contains("Titre"));
    let kept = c
        .find("#iri")
        .unwrap()
        .prop("value")
        .unwrap()
        .unwrap_or_default();
    assert_eq!(kept, ds);
    let (status, _) = http_get(&format!("{base}/search?q=NAV-0001"));
    assert_eq!(status, 200);

    // Fixed and published: its page, then search finds it.
    c.find("fieldset#f0 input[name=f0]")
        .unwrap()
        .send_keys("Cohorte du navigateur")
        .unwrap();
    c.find("button[value=publish]").unwrap().click().unwrap();
    wait_for_url(&c, "/datasets/");
    shot(&c, "edit-3-published");
    assert_eq!(text_of(&c, "h1"), "Cohorte du navigateur");
    c.goto(&format!("{base}/search?q=navigateur")).unwrap();
    assert!(
        text_of(&c, "main").contains("Cohorte du navigateur"),
        "{}",
        text_of(&c, "main")
    );
}

/// The researcher's journey of issue #22: search → add two datasets held by two health data
/// access bodies → open the basket → see them grouped by HDAB → pick variables in one → download
/// the JSON and check what it says. Then axe-core on the filled basket.
#[test]
fn a_researcher_fills_a_basket_from_two_hdabs_picks_variables_and_downloads_it() {
    let Some((driver_path, axe_source)) = tools() else {
        return;
    };
    let env = Env::new();
    let (_server, base) = serve(&env, None);
    let (_driver, driver) = chromedriver(&driver_path);
    let c = browser(&driver, "en");
    let country = "http%3A%2F%2Fpublications.europa.eu%2Fresource%2Fauthority%2Fcountry%2F";
    let non_public =
        "http%3A%2F%2Fpublications.europa.eu%2Fresource%2Fauthority%2Faccess-right%2FNON_PUBLIC";
    let mut added = Vec::new();
    for (code, hdab) in [("FRA", "Health Data Hub"), ("FIN", "Findata")] {
        // Non-public datasets of one country, with a data dictionary.
        c.goto(&format!(
            "{base}/search?spatial={country}{code}&access_rights={non_public}&variable=age&lang=en"
        ))
        .unwrap();
        let title = text_of(&c, ".hit h3 a");
        c.find(".hit form.basket-button button")
            .unwrap()
            .click()
            .unwrap();
        // Back on the same results (the address is the same before and after the form's answer:
        // wait for the page to say so), the dataset says it is in the basket.
        wait_for_text(&c, ".hit", "In your basket");
        assert!(text_of(&c, ".hit").contains("In your basket"), "{code}");
        added.push((title, hdab));
    }
    shot(&c, "basket-1-search");
    assert!(text_of(&c, "nav.main").contains("Basket (2)"));
    c.find("nav.main a[href='/basket']")
        .unwrap()
        .click()
        .unwrap();
    wait_for_url(&c, "/basket");
    let groups = c
        .execute("return [...document.querySelectorAll('section.basket-group')].map(s => [s.querySelector('h2').textContent, [...s.querySelectorAll('article h3')].map(h => h.textContent)]);")
        .unwrap();
    let groups = groups.as_array().unwrap();
    assert_eq!(groups.len(), 2, "{groups:?}");
    for (g, (title, hdab)) in groups.iter().zip(&added) {
        assert!(g[0].as_str().unwrap().contains(hdab), "{g:?}");
        assert_eq!(g[1][0].as_str().unwrap(), title, "{g:?}");
    }
    shot(&c, "basket-2-grouped");
    // Pick two variables of the first dataset, write a note, save.
    let picked = c
        .execute("const boxes = [...document.querySelectorAll('section.basket-group')[0].querySelectorAll('input[name=variable]')].slice(0, 2); boxes.forEach(b => b.click()); return boxes.map(b => b.value);")
        .unwrap();
    let picked: Vec<String> = picked
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(picked.len(), 2);
    c.find("section.basket-group textarea")
        .unwrap()
        .send_keys("Type 2 diabetes, 2015-2020")
        .unwrap();
    c.find("section.basket-group form button")
        .unwrap()
        .click()
        .unwrap();
    wait_for_url(&c, "saved=");
    assert!(text_of(&c, "main").contains("Saved."));
    fits(&c, "basket-3-saved");
    let violations = axe(&c, &axe_source);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
    // The JSON hand-over, as the browser downloads it (with its own cookie).
    let json = c
        .execute_async("const done = arguments[arguments.length - 1]; fetch('/basket.json').then(r => r.json()).then(done, e => done(String(e)));")
        .unwrap();
    assert_eq!(json["format"], "healthcat-basket/1", "{json}");
    let apps = json["applications"].as_array().unwrap();
    assert_eq!(apps.len(), 2);
    for (app, (title, hdab)) in apps.iter().zip(&added) {
        assert_eq!(app["authority"]["role"], "hdab");
        assert!(
            app["authority"]["name"].as_str().unwrap().contains(hdab),
            "{app}"
        );
        assert_eq!(app["datasets"][0]["title"].as_str().unwrap(), title);
        assert!(
            app["datasets"][0]["iri"]
                .as_str()
                .unwrap()
                .starts_with("https://")
        );
    }
    let first = &apps[0]["datasets"][0];
    let chosen: Vec<String> = first["variables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            format!(
                "{}/{}",
                v["table"].as_str().unwrap(),
                v["name"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(chosen, picked);
    assert_eq!(first["note"], "Type 2 diabetes, 2015-2020");
    assert!(
        apps[1]["datasets"][0]["variables"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}
