//! Configuration: built-in defaults, then the TOML file, then `HEALTHCAT_*` environment variables,
//! then command-line flags (each overriding the one before). See `docs/healthcat.example.toml`.

use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Environment variables read as overrides (besides HEALTHCAT_CONFIG and HEALTHCAT_DATA_DIR, which
/// clap reads for the global flags).
pub const ENV_BIND: &str = "HEALTHCAT_BIND";
/// See [`ENV_BIND`].
pub const ENV_BASE_IRI: &str = "HEALTHCAT_BASE_IRI";
/// See [`ENV_BIND`].
pub const ENV_TITLE_FR: &str = "HEALTHCAT_CATALOG_TITLE_FR";
/// See [`ENV_BIND`].
pub const ENV_TITLE_EN: &str = "HEALTHCAT_CATALOG_TITLE_EN";
/// See [`ENV_BIND`].
pub const ENV_DESCRIPTION_FR: &str = "HEALTHCAT_CATALOG_DESCRIPTION_FR";
/// See [`ENV_BIND`].
pub const ENV_DESCRIPTION_EN: &str = "HEALTHCAT_CATALOG_DESCRIPTION_EN";
/// See [`ENV_BIND`].
pub const ENV_PUBLISHER: &str = "HEALTHCAT_CATALOG_PUBLISHER";

/// The effective configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where the store lives.
    pub data_dir: PathBuf,
    /// Address `serve` listens on.
    pub bind: String,
    /// Base for IRIs healthcat mints (demo data, new records).
    pub base_iri: String,
    /// The catalogue's own description.
    pub catalog: CatalogConfig,
    /// `[validation]`
    pub validation: ValidationConfig,
    /// `[search]`
    pub search: SearchConfig,
    /// `[sparql]`
    pub sparql: SparqlConfig,
    /// `[input]`
    pub input: InputConfig,
    /// `[harvest]`
    pub harvest: HarvestConfig,
    /// `[ingest]`
    pub ingest: IngestConfig,
    /// `[parent]`: the catalogue this node pushes its records to; none: it pushes nothing.
    pub parent: Option<ParentConfig>,
    /// `[site]`
    pub site: SiteConfig,
    /// `[quality]`
    pub quality: QualityConfig,
    /// `[links]`: the link checker's limits.
    pub links: healthcat_harvest::links::LinkConfig,
    /// `[[trusted_holders]]`: the health data access body's decisions that a holder is trusted
    /// (EHDS Art. 72), beside those its administrators take on `/edit/trusted`.
    pub trusted_holders: Vec<healthcat_publish::trusted::TrustedHolder>,
    /// `[feed]`: the change feed's retention.
    pub feed: FeedConfig,
    /// `[usage]`: the usage statistics.
    pub usage: UsageConfig,
    /// `[review]`: the annual review and its reminders.
    pub review: ReviewConfig,
    /// `[basket]`: the researchers' baskets and their hand-over.
    pub basket: BasketConfig,
    /// `[auth]`: how people sign in to the editor.
    pub auth: AuthConfig,
    /// `[store]`: where the records are kept (the data directory, or a SPARQL 1.1 server).
    pub store: StoreConfig,
}

/// `[store]`: the records are kept in the data directory (embedded Oxigraph) unless `url` names
/// a SPARQL 1.1 server (docs/scaling.md); the index, accounts and drafts stay in the data
/// directory either way.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// The server's base address; its endpoints are `{url}/query` and `{url}/update` (Oxigraph
    /// server's names) unless `query_url` and `update_url` say otherwise.
    pub url: Option<String>,
    /// The SPARQL 1.1 Protocol query endpoint, when it is not `{url}/query`.
    pub query_url: Option<String>,
    /// The SPARQL 1.1 Update endpoint, when it is not `{url}/update`.
    pub update_url: Option<String>,
    /// Seconds a read may take.
    pub read_timeout_seconds: u64,
    /// Seconds a write may take (an import of many records is one write).
    pub write_timeout_seconds: u64,
    /// Most statements one update request of an import carries (Virtuoso 7: 1,000).
    pub statements_per_update: usize,
    /// What `serve` does besides serving, when several share one remote store.
    pub role: ServeRole,
}

/// `[store] role`: among several `serve` processes on one remote store, the one that runs the
/// background work (docs/scaling.md, "Serving replicas").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServeRole {
    /// Serves, and runs the scheduled harvests, the outbox to the parent node, the link checker,
    /// the annual review's reminders, the change feed's retention and the day's quality figures.
    #[default]
    Writer,
    /// Serves reads and the people's and machines' writes (the API, the editor), and leaves the
    /// background work to the writer: configured the same, it does not harvest, push or mail
    /// twice.
    Replica,
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self {
            url: None,
            query_url: None,
            update_url: None,
            read_timeout_seconds: 30,
            write_timeout_seconds: 600,
            statements_per_update: healthcat_store::STATEMENTS_PER_UPDATE,
            role: ServeRole::Writer,
        }
    }
}

impl StoreConfig {
    /// The remote store's endpoints, when `url` is set; an error names the key at fault.
    pub fn remote(&self) -> Result<Option<healthcat_store::RemoteConfig>, String> {
        let Some(url) = &self.url else {
            if self.role == ServeRole::Replica {
                return Err("[store] role = \"replica\" needs [store] url (or --store-url): replicas share a remote store, and a catalogue in its own data directory has no other writer".into());
            }
            if self.query_url.is_some() || self.update_url.is_some() {
                return Err(
                    "[store] query_url and update_url need [store] url (or --store-url)".into(),
                );
            }
            return Ok(None);
        };
        let err = |key: &str, e: healthcat_store::RemoteError| format!("[store] {key}: {e}");
        let mut config = healthcat_store::RemoteConfig::new(url).map_err(|e| err("url", e))?;
        if let Some(q) = &self.query_url {
            config = config.with_query(q).map_err(|e| err("query_url", e))?;
        }
        if let Some(u) = &self.update_url {
            config = config.with_update(u).map_err(|e| err("update_url", e))?;
        }
        for (key, secs) in [
            ("read_timeout_seconds", self.read_timeout_seconds),
            ("write_timeout_seconds", self.write_timeout_seconds),
        ] {
            if secs == 0 {
                return Err(format!(
                    "[store] {key} = 0: give the seconds a request may take"
                ));
            }
        }
        config.read_timeout = std::time::Duration::from_secs(self.read_timeout_seconds);
        config.write_timeout = std::time::Duration::from_secs(self.write_timeout_seconds);
        if self.statements_per_update == 0 {
            return Err("[store] statements_per_update = 0: give the most statements one update request may carry (Virtuoso 7: 1000)".into());
        }
        config.statements_per_update = self.statements_per_update;
        Ok(Some(config))
    }
}

/// `[auth]`: how people sign in to the editor and the administration pages (API keys are not
/// concerned: machines always use them).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// Whether the accounts made with `healthcat users` may log in with their password; an
    /// instance that signs everyone in through its identity provider turns this off.
    pub local_accounts: bool,
    /// `[auth.oidc]`: sign-in through an OpenID Connect provider (Keycloak, LemonLDAP::NG…).
    pub oidc: Option<healthcat_auth::OidcConfig>,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            local_accounts: true,
            oidc: None,
        }
    }
}

/// `[basket]`: the researchers' baskets (kept in `{data_dir}/baskets/`) and how they are handed
/// over to the access-application system.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BasketConfig {
    /// Hours an unused basket is kept.
    pub ttl_hours: u64,
    /// Datasets in one basket.
    pub max_items: usize,
    /// The data-access-application endpoint baskets are POSTed to (JSON `healthcat-basket/1`);
    /// none: the basket is downloaded, or opened on the HDABs' request pages.
    pub submit_url: Option<String>,
    /// Seconds the endpoint has to answer.
    pub submit_timeout_seconds: u64,
    /// `[[basket.request_pages]]`: an HDAB's request page, `hdab` (its IRI) and `url_template`
    /// (`{datasets}`, `{ids}`, `{variables}` filled in).
    pub request_pages: Vec<RequestPageConfig>,
}

/// One HDAB's request page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestPageConfig {
    /// The HDAB's IRI, as records name it (`healthdcatap:hdab`).
    pub hdab: String,
    /// Its request form's address, with placeholders.
    pub url_template: String,
}

impl Default for BasketConfig {
    fn default() -> Self {
        let limits = healthcat_basket::BasketLimits::default();
        Self {
            ttl_hours: limits.ttl_hours,
            max_items: limits.max_items,
            submit_url: None,
            submit_timeout_seconds: 10,
            request_pages: Vec::new(),
        }
    }
}

impl BasketConfig {
    /// The baskets of `data_dir`, with their hand-over; an error names the key at fault.
    pub fn service(
        &self,
        data_dir: &std::path::Path,
    ) -> Result<healthcat_basket::Service, healthcat_basket::BasketError> {
        let limits = healthcat_basket::BasketLimits {
            ttl_hours: self.ttl_hours.max(1),
            max_items: self.max_items.max(1),
            ..Default::default()
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let request_pages = self
            .request_pages
            .iter()
            .map(|p| healthcat_basket::RequestPage::new(p.hdab.clone(), p.url_template.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        let submitter = self
            .submit_url
            .as_deref()
            .map(|u| {
                healthcat_basket::Submitter::new(
                    u,
                    std::time::Duration::from_secs(self.submit_timeout_seconds.max(1)),
                )
            })
            .transpose()?;
        Ok(healthcat_basket::Service {
            baskets: healthcat_basket::Baskets::open(&data_dir.join("baskets"), limits, now)?,
            request_pages,
            submitter,
        })
    }
}

/// `[review]`: when records are due for their annual review, and how holders are reminded.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReviewConfig {
    /// Months after a record's last change or confirmation when its holder is reminded.
    pub remind_after_months: i32,
    /// Months after which it is overdue.
    pub due_after_months: i32,
    /// The reminders' language (`fr`, `en`).
    pub language: String,
    /// Hours between two reminder runs inside `serve` (a run that failed to send is tried
    /// again after an hour).
    pub every_hours: u64,
    /// The catalogue's public address, for the links in the e-mails; default: `base_iri`.
    pub public_url: Option<String>,
    /// `[review.smtp]`: the mail server; none: no reminders are sent.
    pub smtp: Option<healthcat_review::mail::SmtpSettings>,
}

impl Default for ReviewConfig {
    fn default() -> Self {
        Self {
            remind_after_months: 11,
            due_after_months: 12,
            language: "fr".into(),
            every_hours: 24,
            public_url: None,
            smtp: None,
        }
    }
}

impl ReviewConfig {
    /// The policy, or what is wrong with the months.
    pub fn policy(&self) -> Result<healthcat_review::Policy, String> {
        if self.remind_after_months < 1 || self.due_after_months <= self.remind_after_months {
            return Err(format!(
                "[review] remind_after_months = {} and due_after_months = {}: the reminder comes at least a month in, before the record is overdue",
                self.remind_after_months, self.due_after_months
            ));
        }
        Ok(healthcat_review::Policy {
            remind_after_months: self.remind_after_months,
            due_after_months: self.due_after_months,
        })
    }
}

/// `[feed]`: how long the change feed (`/api/changes`) keeps superseded changes and withdrawals.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedConfig {
    /// Days a withdrawal (and a version a later change replaced) stays in the feed; a follower
    /// further behind re-syncs from a full export. 0: kept for ever.
    pub retention_days: u64,
}

impl Default for FeedConfig {
    fn default() -> Self {
        Self { retention_days: 90 }
    }
}

/// `[usage]`: the usage statistics (EHDS Art. 59), counted without cookies or personal data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UsageConfig {
    /// Whether `serve` counts at all.
    pub enabled: bool,
    /// Seconds between two additions of the counts to the store (what a crash can lose; the
    /// pages show the figures added).
    pub flush_seconds: u64,
    /// Days the daily counters are kept; 0: for ever. The default covers a biennial report.
    pub retention_days: u64,
}

impl Default for UsageConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            flush_seconds: 60,
            retention_days: 1100,
        }
    }
}

/// `[quality]`: how metadata quality is assessed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QualityConfig {
    /// The Article 78 label's framework (a TOML file like `quality/quantum-label.toml`); unset:
    /// the bundled QUANTUM framework.
    pub label: Option<PathBuf>,
}

/// `[site]`: what the public pages look like and speak.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// A theme folder over the built-in one (see themes/README.md); unset: the built-in theme.
    pub theme_dir: Option<PathBuf>,
    /// Language of a visitor who states none: `fr` or `en`.
    pub default_lang: String,
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            theme_dir: None,
            default_lang: "fr".into(),
        }
    }
}

/// `[search]`: how `/api/search` answers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Words of at least this many characters also match with one typo (0: never).
    pub typo_min_chars: usize,
    /// Search results kept in memory until the index changes (0: no cache).
    pub cache_entries: usize,
    /// Searches computed at once, the others waiting their turn (0: one per CPU core, and one).
    pub concurrency: usize,
}

impl Default for SearchConfig {
    fn default() -> Self {
        let d = healthcat_search::SearchSettings::default();
        Self {
            typo_min_chars: d.typo_min_chars,
            cache_entries: d.cache_entries,
            concurrency: d.concurrency,
        }
    }
}

/// `[sparql]`: the limits of `/sparql`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SparqlConfig {
    /// A query still running after this many seconds is stopped.
    pub timeout_seconds: f64,
    /// Largest number of rows or triples in one answer.
    pub max_results: u64,
    /// Queries evaluated at once (others wait their turn within their timeout).
    pub concurrent_queries: usize,
}

impl Default for SparqlConfig {
    fn default() -> Self {
        let d = healthcat_publish::SparqlLimits::default();
        Self {
            timeout_seconds: d.timeout.as_secs_f64(),
            max_results: d.max_results,
            concurrent_queries: d.concurrent,
        }
    }
}

impl SparqlConfig {
    /// The settings, or what is wrong with them.
    pub fn settings(&self) -> Result<healthcat_web::SparqlSettings, String> {
        if !(self.timeout_seconds > 0.0 && self.timeout_seconds <= 86_400.0) {
            return Err(format!(
                "[sparql] timeout_seconds must be more than 0 and at most 86400, not {}",
                self.timeout_seconds
            ));
        }
        if self.max_results == 0 || self.concurrent_queries == 0 {
            return Err("[sparql] max_results and concurrent_queries must be at least 1".into());
        }
        Ok(healthcat_web::SparqlSettings::new(
            healthcat_publish::SparqlLimits {
                timeout: std::time::Duration::from_secs_f64(self.timeout_seconds),
                max_results: self.max_results,
                concurrent: self.concurrent_queries,
                ..Default::default()
            },
        ))
    }
}

/// `[input]`: what one document may hold, on every input path (import, validate, the APIs, a
/// push, a harvested page). See `healthcat_store::InputLimits`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InputConfig {
    /// Deepest nesting of blank nodes (an RDF list counts a level per item).
    pub max_depth: usize,
    /// Longest literal, in bytes.
    pub max_literal_bytes: usize,
}

impl Default for InputConfig {
    fn default() -> Self {
        let d = healthcat_store::InputLimits::default();
        Self {
            max_depth: d.max_depth,
            max_literal_bytes: d.max_literal_bytes,
        }
    }
}

impl InputConfig {
    /// The limits (checked when the configuration is loaded).
    pub fn limits(&self) -> healthcat_store::InputLimits {
        healthcat_store::InputLimits {
            max_depth: self.max_depth,
            max_literal_bytes: self.max_literal_bytes,
        }
    }

    fn check(&self) -> Result<(), String> {
        if !(1..=10_000).contains(&self.max_depth) {
            return Err(format!(
                "[input] max_depth = {}: use 1 to 10000 (deeper nesting costs more at every level)",
                self.max_depth
            ));
        }
        let most = healthcat_store::DEFAULT_MAX_LITERAL_BYTES;
        if !(1..=most).contains(&self.max_literal_bytes) {
            return Err(format!(
                "[input] max_literal_bytes = {}: use 1 to {most} (an escaped literal longer than \
                 that could not be read back from an export)",
                self.max_literal_bytes
            ));
        }
        Ok(())
    }
}

/// `[ingest]`: who may push records to `/ingest/datasets`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IngestConfig {
    /// `[[ingest.providers]]`
    pub providers: Vec<ProviderConfig>,
}

/// One provider allowed to push.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// The provider's id (its records' source is `push:<id>`).
    pub id: String,
    /// Lower-case hex SHA-256 of its key (the key itself is never stored).
    pub key_sha256: String,
}

/// `[parent]`: push this node's records to a parent catalogue — its ingest API, or an eDelivery
/// (AS4) access point's file-system back-end.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParentConfig {
    /// How: `hdh` (the Health Data Hub's ingest API; the default) or `as4-folder` (an
    /// eDelivery access point's file-system back-end, see docs/federation.md).
    #[serde(default = "ParentConfig::default_connector")]
    pub connector: String,
    /// `hdh`: the parent's address (`https://national.example`); its `/ingest/datasets` API is
    /// called.
    pub url: Option<String>,
    /// `hdh`: environment variable holding the key the parent gave this node (sent as
    /// `X-API-Key`).
    pub api_key_env: Option<String>,
    /// `as4-folder`: the access point's back-end folder for this domain (holding `OUT`, `SENT`,
    /// `FAILED`).
    pub folder: Option<PathBuf>,
    /// `as4-folder`: this node's party id.
    pub from_party: Option<String>,
    /// `as4-folder`: the receiving party's id.
    pub to_party: Option<String>,
    /// `as4-folder`: the party id type.
    #[serde(default = "ParentConfig::default_party_type")]
    pub party_type: String,
    /// `as4-folder`: the ebMS service agreed in the P-Mode.
    pub service: Option<String>,
    /// `as4-folder`: the ebMS action agreed in the P-Mode.
    pub action: Option<String>,
    /// Whose records are pushed: source ids (`local` for files imported here, `push:<id>` for a
    /// provider's pushes, a harvest source's id).
    #[serde(default = "ParentConfig::default_sources")]
    pub sources: Vec<String>,
    /// Seconds between two cycles of the outbox (each sends whatever the parent has not
    /// acknowledged yet).
    #[serde(default = "ParentConfig::default_interval")]
    pub interval_seconds: u64,
    /// Time limit of one request to the parent (`hdh`), or of the wait for the access point's
    /// acknowledgement of one message (`as4-folder`), in seconds.
    #[serde(default = "ParentConfig::default_timeout")]
    pub timeout_seconds: u64,
}

impl ParentConfig {
    fn default_connector() -> String {
        "hdh".into()
    }
    fn default_party_type() -> String {
        "urn:oasis:names:tc:ebcore:partyid-type:unregistered".into()
    }
    fn default_sources() -> Vec<String> {
        vec!["local".into()]
    }
    fn default_interval() -> u64 {
        60
    }
    fn default_timeout() -> u64 {
        60
    }
}

/// `[harvest]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HarvestConfig {
    /// Folder of the source files (`*.toml`).
    pub sources_dir: PathBuf,
    /// Most scheduled runs at the same time inside `serve`.
    pub concurrency: usize,
}

impl Default for HarvestConfig {
    fn default() -> Self {
        Self {
            sources_dir: PathBuf::from("harvest"),
            concurrency: 2,
        }
    }
}

/// `[validation]`: the shapes records are validated against (import, `serve`'s /api/validate).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ValidationConfig {
    /// Validation profile (bundled name or folder). Takes precedence over `shapes`.
    pub profile: Option<String>,
    /// SHACL shapes files (merged), when no profile is set. Neither: import does not validate.
    pub shapes: Vec<PathBuf>,
    /// See `validate --pathless-property-as-node`.
    pub pathless_property_as_node: bool,
    /// Store records with violations (flagged) instead of refusing them.
    pub keep_invalid: bool,
}

/// `[catalog]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CatalogConfig {
    /// Title in French.
    pub title_fr: String,
    /// Title in English.
    pub title_en: String,
    /// Description in French.
    pub description_fr: String,
    /// Description in English.
    pub description_en: String,
    /// Publisher's name.
    pub publisher: String,
}

impl CatalogConfig {
    /// The title in `lang` (French for `fr`, English otherwise).
    pub fn title(&self, lang: &str) -> String {
        if lang == "fr" {
            self.title_fr.clone()
        } else {
            self.title_en.clone()
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            bind: "127.0.0.1:8080".into(),
            base_iri: "https://catalogue.example.org/".into(),
            catalog: CatalogConfig::default(),
            validation: ValidationConfig::default(),
            search: SearchConfig::default(),
            sparql: SparqlConfig::default(),
            input: InputConfig::default(),
            harvest: HarvestConfig::default(),
            ingest: IngestConfig::default(),
            parent: None,
            site: SiteConfig::default(),
            quality: QualityConfig::default(),
            links: healthcat_harvest::links::LinkConfig::default(),
            trusted_holders: Vec::new(),
            feed: FeedConfig::default(),
            usage: UsageConfig::default(),
            review: ReviewConfig::default(),
            basket: BasketConfig::default(),
            auth: AuthConfig::default(),
            store: StoreConfig::default(),
        }
    }
}

impl Default for CatalogConfig {
    fn default() -> Self {
        Self {
            title_fr: "Catalogue de données de santé".into(),
            title_en: "Health data catalogue".into(),
            description_fr: "Descriptions de jeux de données de santé au format HealthDCAT-AP."
                .into(),
            description_en: "Descriptions of health datasets in the HealthDCAT-AP format.".into(),
            publisher: "healthcat".into(),
        }
    }
}

impl Config {
    /// Loads the file (if any) and applies the environment overrides.
    pub fn load(file: Option<&Path>) -> Result<Self> {
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| {
                    format!("cannot read the configuration file {}", path.display())
                })?;
                toml::from_str(&text).map_err(|e| {
                    crate::UserError(format!("{}: invalid configuration: {e}", path.display()))
                })?
            }
            None => Config::default(),
        };
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let Some(v) = env(ENV_BIND) {
            config.bind = v;
        }
        if let Some(v) = env(ENV_BASE_IRI) {
            config.base_iri = v;
        }
        for (name, field) in [
            (ENV_TITLE_FR, &mut config.catalog.title_fr),
            (ENV_TITLE_EN, &mut config.catalog.title_en),
            (ENV_DESCRIPTION_FR, &mut config.catalog.description_fr),
            (ENV_DESCRIPTION_EN, &mut config.catalog.description_en),
            (ENV_PUBLISHER, &mut config.catalog.publisher),
        ] {
            if let Some(v) = env(name) {
                *field = v;
            }
        }
        if !["fr", "en"].contains(&config.site.default_lang.as_str()) {
            return Err(crate::UserError(format!(
                "[site] default_lang = '{}': use fr or en",
                config.site.default_lang
            ))
            .into());
        }
        config.input.check().map_err(crate::UserError)?;
        if oxrdf::NamedNode::new(config.base_iri.as_str()).is_err() {
            return Err(crate::UserError(format!(
                "base_iri '{}' is not an absolute IRI (e.g. https://catalogue.example.org/)",
                config.base_iri
            ))
            .into());
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_documented_example_is_a_valid_configuration() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/healthcat.example.toml");
        let config = super::Config::load(Some(&path)).unwrap();
        assert_eq!(
            config.validation.profile.as_deref(),
            Some("healthdcat-ap-r8")
        );
        assert_eq!(config.search.cache_entries, 512);
        assert_eq!(config.search.typo_min_chars, 5);
    }

    #[test]
    fn the_remote_store_settings_are_checked_and_named() {
        let store = |toml: &str| toml::from_str::<super::StoreConfig>(toml).unwrap().remote();
        let virtuoso = store(
            "url = \"http://127.0.0.1:8890/sparql\"\nquery_url = \"http://127.0.0.1:8890/sparql\"\nupdate_url = \"http://127.0.0.1:8890/sparql\"\nstatements_per_update = 1000",
        )
        .unwrap()
        .unwrap();
        assert_eq!(virtuoso.statements_per_update, 1000);
        assert_eq!(virtuoso.update, "http://127.0.0.1:8890/sparql");
        let e = store("url = \"http://127.0.0.1:7878\"\nstatements_per_update = 0").unwrap_err();
        assert!(e.contains("[store] statements_per_update = 0"), "{e}");
        assert!(store("").unwrap().is_none());
        let e = store("role = \"replica\"").unwrap_err();
        assert!(e.contains("needs [store] url"), "{e}");
        assert!(toml::from_str::<super::StoreConfig>("role = \"reader\"").is_err());
    }
}
