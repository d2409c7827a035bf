//! [`AppState`]: what every handler can reach.

use super::AppError;
use axum::http::StatusCode;
use healthcat_ingest::drafts::Drafts;
use healthcat_ingest::edit::Edits;
use healthcat_publish::SparqlLimits;
use healthcat_store::Store;
use std::sync::Arc;

/// Who may write: the authenticator (API keys and accounts), shared by every handler.
#[derive(Clone)]
pub struct Auth(pub Arc<dyn healthcat_auth::Authenticator>);

impl Default for Auth {
    fn default() -> Self {
        Self(Arc::new(healthcat_auth::Nobody))
    }
}

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The catalogue store.
    pub store: Store,
    /// The profiles `/api/validate` offers, compiled once.
    pub validation: Arc<Validators>,
    /// The public site: theme, messages, catalogue title.
    pub site: Arc<crate::kernel::Site>,
    /// Assesses a dataset's quality (MQA, advice, 2026/2098), with the DCAT-AP 3 profile
    /// compiled once.
    pub quality: Arc<healthcat_quality::Assessor>,
    /// The search index (kept in step with the store by the writers).
    pub search: Arc<healthcat_search::SearchIndex>,
    /// The SPARQL endpoint's limits.
    pub sparql: SparqlSettings,
    /// Who may push records (`/ingest/datasets`).
    pub providers: Arc<healthcat_auth::Providers>,
    /// The harvest sources, for their pages.
    pub harvest: Arc<healthcat_harvest::HarvestSources>,
    /// Who may write with the write API and log in to the editor.
    pub auth: Auth,
    /// Drafts (`{data_dir}/drafts/`); none: the draft API answers 503.
    pub drafts: Option<Arc<healthcat_ingest::drafts::Drafts>>,
    /// What one document sent to the server may hold (`[input]`).
    pub input: healthcat_store::InputLimits,
    /// The trusted health data holders (EHDS Art. 72).
    pub trusted: Arc<healthcat_publish::trusted::TrustedHolders>,
    /// The annual review's policy and reminder log (EHDS Art. 60(3)).
    pub review: Arc<healthcat_review::Review>,
    /// The researchers' baskets and how they are handed over (`[basket]`).
    pub basket: Arc<healthcat_basket::Service>,
    /// The usage counters not yet flushed to the store (EHDS Art. 59; flushed by the server
    /// loop's owner).
    pub usage: Arc<healthcat_usage::Tally>,
    /// The requests' measurements (`/metrics`).
    pub metrics: Arc<crate::kernel::metrics::Metrics>,
}

impl AppState {
    /// How documents sent to the server are parsed: no base IRI, the configured limits.
    pub fn parse_options(&self) -> healthcat_store::ParseOptions {
        healthcat_store::ParseOptions {
            limits: self.input,
            ..healthcat_store::ParseOptions::default()
        }
    }

    /// The writers of the catalogue's own records, over this state's store, index and profile.
    pub fn edits(&self) -> Edits<'_> {
        Edits {
            store: &self.store,
            index: &self.search,
            profile: &self.validation.default,
            limits: self.input,
            audit: self.auth.0.as_ref(),
        }
    }

    /// The drafts folder, or 503 when the server was given no data directory (said in the
    /// catalogue's language: the API has no reader's language to choose).
    pub fn drafts(&self) -> Result<Arc<Drafts>, AppError> {
        self.drafts.clone().ok_or_else(|| {
            AppError::refused(
                StatusCode::SERVICE_UNAVAILABLE,
                self.site.msg(self.site.default_lang, "drafts_unavailable"),
            )
            .with_heading("unavailable_title")
        })
    }
}

/// Validation profiles, by name: the configured one is the default of `/api/validate`.
pub struct Validators {
    /// Used when the request names no profile.
    pub default: Arc<healthcat_profiles::Profile>,
    /// The others a request may name (`?profile=dcat-ap-3`).
    pub others: Vec<Arc<healthcat_profiles::Profile>>,
    /// The paths of the default profile's dataset form fields, in the form's order (the editor's
    /// field `f{i}` edits path `i`), computed once.
    dataset_fields: std::sync::OnceLock<Vec<String>>,
}

impl Validators {
    /// The paths of the default profile's dataset form, in order (see the editor).
    pub fn dataset_fields(&self) -> &[String] {
        self.dataset_fields.get_or_init(|| {
            self.default
                .form("http://www.w3.org/ns/dcat#Dataset")
                .into_iter()
                .map(|f| f.path)
                .collect()
        })
    }

    /// The profile called `name`, or the default.
    pub fn get(&self, name: Option<&str>) -> Option<Arc<healthcat_profiles::Profile>> {
        match name {
            None => Some(self.default.clone()),
            Some(n) => std::iter::once(&self.default)
                .chain(&self.others)
                .find(|p| p.name == n)
                .cloned(),
        }
    }

    /// Every profile's name.
    pub fn names(&self) -> Vec<String> {
        std::iter::once(&self.default)
            .chain(&self.others)
            .map(|p| p.name.clone())
            .collect()
    }

    /// The default plus every bundled profile.
    pub fn with_bundled(
        default: Arc<healthcat_profiles::Profile>,
    ) -> Result<Self, healthcat_profiles::ProfileError> {
        let mut others = Vec::new();
        for name in healthcat_profiles::Profile::builtin_names() {
            if *name != default.name {
                others.push(Arc::new(healthcat_profiles::Profile::builtin(name)?));
            }
        }
        Ok(Validators {
            default,
            others,
            dataset_fields: std::sync::OnceLock::new(),
        })
    }
}

/// The SPARQL endpoint's limits ([`SparqlLimits`]) and the turns they allow: a query waits
/// (within its timeout) for one of `limits.concurrent` permits. Reads as its limits.
#[derive(Debug, Clone)]
pub struct SparqlSettings {
    /// The limits.
    pub limits: SparqlLimits,
    /// One permit per query evaluated at once.
    pub concurrency: Arc<tokio::sync::Semaphore>,
}

impl SparqlSettings {
    /// Settings keeping `limits`.
    pub fn new(limits: SparqlLimits) -> Self {
        Self {
            limits,
            concurrency: Arc::new(tokio::sync::Semaphore::new(limits.concurrent.max(1))),
        }
    }
}

impl Default for SparqlSettings {
    fn default() -> Self {
        Self::new(SparqlLimits::default())
    }
}

impl std::ops::Deref for SparqlSettings {
    type Target = SparqlLimits;

    fn deref(&self) -> &SparqlLimits {
        &self.limits
    }
}
