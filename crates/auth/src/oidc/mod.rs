//! Sign-in through an identity provider: OpenID Connect's authorization code flow with PKCE
//! (the `openidconnect` crate does the protocol), for the people who use the editor and the
//! administration pages. Machines keep their API keys.
//!
//! [`Oidc`] wraps the data directory's [`Local`] authenticator: API keys and, unless the
//! instance turns them off, local accounts still work; sessions opened either way live in the
//! same store. A sign-in goes:
//! 1. [`Oidc::begin`]: the provider's discovery document (read again at each sign-in) gives its
//!    authorization endpoint; a random `state`, `nonce` and PKCE verifier are kept here for ten
//!    minutes; the browser is sent to the provider, with `state` also in a cookie of its own.
//! 2. [`Oidc::finish`]: the provider sends the browser back with a code; the `state` must be one
//!    we issued, to this browser (its cookie), not too long ago; the code is exchanged (with the
//!    PKCE verifier, and the client secret for a confidential client) at the token endpoint; the
//!    ID token's signature (the provider's published keys, fetched again once when a token is
//!    signed with a key not seen yet: key rotation), issuer, audience, expiry, nonce and access
//!    token hash are checked; the claims of the ID token and of the userinfo endpoint (same
//!    subject) are mapped to a role and publishers (see [`OidcConfig`]). No mapped role: no
//!    session.
//! 3. [`Oidc::logout_url`]: signing out ends the catalogue's session and, when the provider has
//!    an end-session endpoint, sends the browser there with the ID token as a hint.
//!
//! Only the provider's own addresses are called (its discovery document, then the endpoints it
//! names), with a time limit, no redirects followed, and at most [`MAX_RESPONSE`] bytes read.
//! Every sign-in, refused ones too, is in the audit log with the provider's subject.

use crate::sessions::Holder;
use crate::{AuthError, Authenticator, Local, Principal, Role, Session};
use openidconnect::core::{
    CoreClient, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreResponseType,
};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AuthenticationFlow, AuthorizationCode,
    ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, HttpRequest, HttpResponse, IdToken,
    IssuerUrl, LogoutRequest, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, RequestTokenError, Scope,
    SignatureVerificationError, TokenResponse,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The path of the catalogue's redirect endpoint; `redirect_url` must end with it.
pub const CALLBACK_PATH: &str = "/login/oidc";
/// How long a sign-in may take between leaving for the provider and coming back.
pub const PENDING_TTL: Duration = Duration::from_secs(600);
/// Sign-ins under way kept at most (the oldest are forgotten first).
const MAX_PENDING: usize = 10_000;
/// How long the provider's discovery document and keys are trusted before being fetched again.
const METADATA_TTL: Duration = Duration::from_secs(3600);
/// The most bytes read from any answer of the provider.
pub const MAX_RESPONSE: usize = 1 << 20;

/// `[auth.oidc]`: the identity provider and how its claims map to roles and publishers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcConfig {
    /// The provider's issuer, exactly as its discovery document states it
    /// (`https://sso.example.org/realms/hdh`); the document is read from
    /// `{issuer}/.well-known/openid-configuration`.
    pub issuer: String,
    /// The provider's name on the sign-in button ("Keycloak AP-HP").
    pub label: String,
    /// The client id registered at the provider.
    pub client_id: String,
    /// The environment variable holding the client's secret (a confidential client, sent with
    /// HTTP Basic); unset: a public client, protected by PKCE alone.
    #[serde(default)]
    pub client_secret_env: Option<String>,
    /// This catalogue's `/login/oidc` address as registered at the provider
    /// (`https://catalogue.example.org/login/oidc`).
    pub redirect_url: String,
    /// Where the provider sends the browser after signing out (registered there as a
    /// post-logout redirect URI); unset: the site's root, from `redirect_url`.
    #[serde(default)]
    pub post_logout_url: Option<String>,
    /// Scopes asked for besides `openid`.
    #[serde(default = "OidcConfig::default_scopes")]
    pub scopes: Vec<String>,
    /// The claim naming the person in the catalogue's history (`preferred_username`); the
    /// subject (`sub`) when the claim is absent.
    #[serde(default = "OidcConfig::default_name_claim")]
    pub name_claim: String,
    /// The claim whose values give the role: a name, or a dotted path into nested claims
    /// (`groups`, `realm_access.roles`); a list of strings or one string.
    pub roles_claim: String,
    /// Claim value → role (`admin`, `editor`, `reader`); the most powerful one found wins.
    pub roles: BTreeMap<String, Role>,
    /// The claim whose values give an editor's publishers (`organisation`); unset: editors
    /// signed in this way have none (they can edit nothing).
    #[serde(default)]
    pub publishers_claim: Option<String>,
    /// Claim value → publisher IRI.
    #[serde(default)]
    pub publishers: BTreeMap<String, String>,
    /// Seconds allowed for each call to the provider.
    #[serde(default = "OidcConfig::default_timeout")]
    pub timeout_seconds: u64,
}

impl OidcConfig {
    fn default_scopes() -> Vec<String> {
        vec!["profile".into(), "email".into()]
    }
    fn default_name_claim() -> String {
        "preferred_username".into()
    }
    fn default_timeout() -> u64 {
        10
    }
}

/// Why a sign-in through the provider did not open a session (each has its own page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOnFailure {
    /// The provider did not answer, answered an error or something that is not OpenID Connect.
    Unreachable,
    /// What the provider sent does not hold: a token wrongly signed, expired, for another
    /// client or issuer, a replayed nonce, an access token that is not the ID token's.
    Refused,
    /// The person is known to the provider but its claims give no role in this catalogue.
    NoRole,
    /// The sign-in is unknown here, was started in another browser, or took too long.
    Expired,
    /// The provider said no (the person cancelled, or is not allowed to use this client).
    Denied,
}

/// All the claims of a token or of the userinfo answer, beside the standard ones.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
struct OtherClaims(serde_json::Map<String, Value>);
impl AdditionalClaims for OtherClaims {}

type FullIdToken = IdToken<
    OtherClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// The client of one sign-in, as `from_provider_metadata` makes it (authorization endpoint set,
/// token and userinfo endpoints as the provider gives them).
type ProviderClient = openidconnect::Client<
    openidconnect::EmptyAdditionalClaims,
    openidconnect::core::CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    openidconnect::core::CoreJsonWebKey,
    openidconnect::core::CoreAuthPrompt,
    openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    openidconnect::core::CoreTokenResponse,
    openidconnect::core::CoreTokenIntrospectionResponse,
    openidconnect::core::CoreRevocableToken,
    openidconnect::core::CoreRevocationErrorResponse,
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

struct Pending {
    verifier: String,
    nonce: Nonce,
    next: String,
    at: Instant,
}

/// Where to send the browser to sign in.
#[derive(Debug)]
pub struct Departure {
    /// The provider's authorization address, with this sign-in's parameters.
    pub url: String,
    /// The `state` sent, to keep in the browser's cookie until it comes back.
    pub state: String,
}

/// Sign-in through an OpenID provider, over a data directory's keys, accounts and sessions.
pub struct Oidc {
    local: Local,
    local_accounts: bool,
    config: OidcConfig,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    post_logout: PostLogoutRedirectUrl,
    secret: Option<ClientSecret>,
    http: Bounded,
    metadata: Mutex<Option<(ProviderMetadataWithLogout, Instant)>>,
    pending: Mutex<HashMap<String, Pending>>,
}

fn invalid(what: &str, message: impl std::fmt::Display) -> AuthError {
    AuthError::Invalid(format!("[auth.oidc] {what}: {message}"))
}

fn sign_on(failure: SignOnFailure, detail: impl Into<String>) -> AuthError {
    AuthError::SignOn {
        failure,
        detail: detail.into(),
    }
}

/// Tokens over plain HTTP only on this machine's loopback addresses.
fn secure_enough(url: &reqwest::Url) -> bool {
    url.scheme() == "https"
        || matches!(
            url.host_str(),
            Some("127.0.0.1" | "localhost" | "[::1]" | "::1")
        )
}

/// Reads `url` as an address the configuration may use for `what`.
fn address(what: &str, url: &str) -> Result<reqwest::Url, AuthError> {
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(what, format!("{url}: {e}")))?;
    if !secure_enough(&parsed) {
        return Err(invalid(
            what,
            format!(
                "{url} must be an https:// address (plain http only on 127.0.0.1 or localhost)"
            ),
        ));
    }
    Ok(parsed)
}

impl Oidc {
    /// Sign-in through the provider `config` describes, over `local`'s keys, accounts and
    /// sessions; `secret` is the client's secret (read by the caller from
    /// `client_secret_env`); `local_accounts: false` refuses password logins.
    pub fn new(
        local: Local,
        config: OidcConfig,
        secret: Option<String>,
        local_accounts: bool,
    ) -> Result<Self, AuthError> {
        address("issuer", &config.issuer)?;
        let issuer = IssuerUrl::new(config.issuer.clone()).map_err(|e| invalid("issuer", e))?;
        let redirect_url = address("redirect_url", &config.redirect_url)?;
        if redirect_url.path() != CALLBACK_PATH || redirect_url.query().is_some() {
            return Err(invalid(
                "redirect_url",
                format!(
                    "{} must be this catalogue's address followed by {CALLBACK_PATH} (and nothing else)",
                    config.redirect_url
                ),
            ));
        }
        let post_logout = match &config.post_logout_url {
            Some(u) => address("post_logout_url", u)?,
            None => redirect_url
                .join("/")
                .map_err(|e| invalid("redirect_url", e))?,
        };
        if config.client_id.trim().is_empty() {
            return Err(invalid("client_id", "must not be empty"));
        }
        if config.roles_claim.trim().is_empty() || config.roles.is_empty() {
            return Err(invalid(
                "roles",
                "give roles_claim and at least one claim value in [auth.oidc.roles] \
                 (\"catalogue-admins\" = \"admin\"): nobody could sign in otherwise",
            ));
        }
        if !config.publishers.is_empty() && config.publishers_claim.is_none() {
            return Err(invalid(
                "publishers",
                "[auth.oidc.publishers] needs publishers_claim (the claim whose values it maps)",
            ));
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(config.timeout_seconds.max(1)))
            // Sign-ins are rare: a connection kept from the previous call may have been closed
            // by the provider meanwhile, and a code can be exchanged only once (no retry).
            .pool_max_idle_per_host(0)
            .user_agent(concat!("healthcat/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| invalid("client", e))?;
        Ok(Self {
            local,
            local_accounts,
            issuer,
            redirect: RedirectUrl::from_url(redirect_url),
            post_logout: PostLogoutRedirectUrl::from_url(post_logout),
            secret: secret.filter(|s| !s.is_empty()).map(ClientSecret::new),
            config,
            http: Bounded(http),
            metadata: Mutex::new(None),
            pending: Mutex::new(HashMap::new()),
        })
    }

    /// The provider's name for the sign-in button.
    pub fn label(&self) -> &str {
        &self.config.label
    }

    /// The issuer, for messages.
    pub fn issuer(&self) -> &str {
        &self.config.issuer
    }

    /// The provider's discovery document and keys: cached, or fetched when `fresh` or older
    /// than an hour.
    async fn metadata(&self, fresh: bool) -> Result<ProviderMetadataWithLogout, AuthError> {
        if !fresh
            && let Some((m, at)) = &*self.metadata.lock().unwrap_or_else(|e| e.into_inner())
            && at.elapsed() < METADATA_TTL
        {
            return Ok(m.clone());
        }
        let found = ProviderMetadataWithLogout::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| {
                sign_on(
                    SignOnFailure::Unreachable,
                    format!(
                        "the identity provider {} did not give its configuration: {}",
                        self.config.issuer,
                        crate::error_chain(&e)
                    ),
                )
            })?;
        *self.metadata.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((found.clone(), Instant::now()));
        Ok(found)
    }

    /// Checks that the provider answers (its discovery document and keys), e.g. at start-up.
    pub async fn check(&self) -> Result<(), AuthError> {
        self.metadata(true).await.map(|_| ())
    }

    fn client(&self, metadata: ProviderMetadataWithLogout) -> ProviderClient {
        CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            self.secret.clone(),
        )
        .set_redirect_uri(self.redirect.clone())
    }

    /// Starts a sign-in that comes back to `next` (a path of this site): where to send the
    /// browser, and the `state` to keep in its cookie.
    ///
    /// The provider's configuration is read afresh each time: a provider that is down is told
    /// on the catalogue's own page, before the browser is sent to it, and keys it rotated are
    /// known before its token comes back.
    pub async fn begin(&self, next: &str) -> Result<Departure, AuthError> {
        let client = self.client(self.metadata(true).await?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in &self.config.scopes {
            if scope != "openid" {
                request = request.add_scope(Scope::new(scope.clone()));
            }
        }
        let (url, state, nonce) = request.url();
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|_, p| p.at.elapsed() < PENDING_TTL);
        if pending.len() >= MAX_PENDING
            && let Some(oldest) = pending
                .iter()
                .min_by_key(|(_, p)| p.at)
                .map(|(k, _)| k.clone())
        {
            pending.remove(&oldest);
        }
        pending.insert(
            state.secret().clone(),
            Pending {
                verifier: verifier.into_secret(),
                nonce,
                next: next.to_owned(),
                at: Instant::now(),
            },
        );
        Ok(Departure {
            url: url.to_string(),
            state: state.into_secret(),
        })
    }

    /// Forgets a sign-in the provider ended with an error (`error=…` on the way back); the
    /// error is audited.
    pub fn abandon(&self, state: &str, error: &str) -> AuthError {
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(state);
        self.refusal(None, format!("the provider answered {error}"));
        sign_on(
            SignOnFailure::Denied,
            format!("the provider answered {error}"),
        )
    }

    fn refusal(&self, subject: Option<&str>, why: String) {
        self.local.keys.log(serde_json::json!({
            "who": subject.unwrap_or(""),
            "via": subject.map(|s| format!("oidc:{s}")),
            "action": format!("sign-in refused: {why}"),
        }));
    }

    /// Completes a sign-in: `state` and `code` as the provider sent them back, `cookie` the
    /// `state` this browser kept. Opens a session (its cookie's token) and gives the path to
    /// go back to.
    pub async fn finish(
        &self,
        state: &str,
        code: &str,
        cookie: Option<&str>,
    ) -> Result<(String, Session, String), AuthError> {
        let result = self.exchange(state, code, cookie).await;
        match result {
            Ok((principal, id_token, next)) => {
                let (token, csrf) = self
                    .local
                    .sessions
                    .open(Holder::SignedIn(Box::new(principal.clone()), id_token))?;
                self.local.keys.audit(&principal, "login");
                Ok((token, Session { principal, csrf }, next))
            }
            Err((subject, e)) => {
                self.refusal(subject.as_deref(), e.to_string());
                Err(e)
            }
        }
    }

    async fn exchange(
        &self,
        state: &str,
        code: &str,
        cookie: Option<&str>,
    ) -> Result<(Principal, String, String), (Option<String>, AuthError)> {
        let no_subject = |e| (None, e);
        if cookie.is_none_or(|c| !crate::file::same(c, state)) {
            return Err(no_subject(sign_on(
                SignOnFailure::Expired,
                "the sign-in came back to a browser that did not start it (no matching state cookie)",
            )));
        }
        let pending = self
            .pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(state)
            .filter(|p| p.at.elapsed() < PENDING_TTL)
            .ok_or_else(|| {
                no_subject(sign_on(
                    SignOnFailure::Expired,
                    "unknown or expired sign-in (more than ten minutes, or a server restart)",
                ))
            })?;
        let mut client = self.client(self.metadata(false).await.map_err(no_subject)?);
        let call = &self.http;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| no_subject(sign_on(SignOnFailure::Unreachable, e.to_string())))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier))
            .request_async(call)
            .await
            .map_err(|e| {
                let failure = match &e {
                    RequestTokenError::ServerResponse(_) => SignOnFailure::Refused,
                    _ => SignOnFailure::Unreachable,
                };
                no_subject(sign_on(
                    failure,
                    format!("the token endpoint: {}", crate::error_chain(&e)),
                ))
            })?;
        let raw = tokens
            .id_token()
            .ok_or_else(|| {
                no_subject(sign_on(
                    SignOnFailure::Refused,
                    "the provider gave no ID token",
                ))
            })?
            .to_string();
        let id_token: FullIdToken = raw
            .parse()
            .map_err(|e| no_subject(sign_on(SignOnFailure::Refused, format!("ID token: {e}"))))?;
        let unknown_key = matches!(
            id_token.claims(&client.id_token_verifier(), &pending.nonce),
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey
            ))
        );
        if unknown_key {
            // Signed with a key not seen yet: the provider rotated its keys.
            client = self.client(self.metadata(true).await.map_err(no_subject)?);
        }
        let claims = id_token
            .claims(&client.id_token_verifier(), &pending.nonce)
            .map_err(|e| {
                no_subject(sign_on(
                    SignOnFailure::Refused,
                    format!("ID token: {}", crate::error_chain(&e)),
                ))
            })?;
        let subject = claims.subject().to_string();
        let with_subject = |e| (Some(subject.clone()), e);
        if let Some(expected) = claims.access_token_hash() {
            let verifier = client.id_token_verifier();
            let actual = id_token
                .signing_alg()
                .and_then(|alg| Ok((alg, id_token.signing_key(&verifier)?)))
                .map_err(|e| e.to_string())
                .and_then(|(alg, key)| {
                    AccessTokenHash::from_token(tokens.access_token(), alg, key)
                        .map_err(|e| e.to_string())
                })
                .map_err(|e| with_subject(sign_on(SignOnFailure::Refused, e)))?;
            if &actual != expected {
                return Err(with_subject(sign_on(
                    SignOnFailure::Refused,
                    "the access token is not the one the ID token names (at_hash)",
                )));
            }
        }
        let mut all = serde_json::to_value(claims)
            .map_err(|e| with_subject(sign_on(SignOnFailure::Refused, e.to_string())))?;
        if let Ok(request) = client.user_info(
            tokens.access_token().clone(),
            Some(claims.subject().clone()),
        ) {
            let info = request
                .request_async::<OtherClaims, _, CoreGenderClaim>(call)
                .await
                .map_err(|e| {
                    with_subject(sign_on(
                        SignOnFailure::Unreachable,
                        format!("the userinfo endpoint: {}", crate::error_chain(&e)),
                    ))
                })?;
            let info = serde_json::to_value(info)
                .map_err(|e| with_subject(sign_on(SignOnFailure::Refused, e.to_string())))?;
            merge(&mut all, info);
        }
        let principal = map_claims(&self.config, &all).map_err(with_subject)?;
        Ok((principal, raw, pending.next))
    }

    /// Where to send the browser after the session `token` names ends, to end its session at
    /// the provider too (when it was opened there and the provider has an end-session
    /// endpoint).
    pub fn logout_url(&self, token: &str) -> Option<String> {
        let (Holder::SignedIn(_, raw), _) = self.local.sessions.get(token)? else {
            return None;
        };
        let guard = self.metadata.lock().unwrap_or_else(|e| e.into_inner());
        let endpoint = guard
            .as_ref()?
            .0
            .additional_metadata()
            .end_session_endpoint
            .clone()?;
        let hint: FullIdToken = raw.parse().ok()?;
        Some(
            LogoutRequest::from(endpoint)
                .set_id_token_hint(&hint)
                .set_client_id(ClientId::new(self.config.client_id.clone()))
                .set_post_logout_redirect_uri(self.post_logout.clone())
                .http_get_url()
                .to_string(),
        )
    }
}

/// Adds `extra`'s claims that `all` does not have.
fn merge(all: &mut Value, extra: Value) {
    if let (Value::Object(all), Value::Object(extra)) = (all, extra) {
        for (k, v) in extra {
            all.entry(k).or_insert(v);
        }
    }
}

/// The claim at a dotted path (`realm_access.roles`); a claim whose own name holds dots
/// (`https://example.org/roles`) is found too.
fn claim<'a>(claims: &'a Value, path: &str) -> Option<&'a Value> {
    if let Some(v) = claims.get(path) {
        return Some(v);
    }
    path.split('.').try_fold(claims, |v, part| v.get(part))
}

/// A claim's string values: a list of strings, or one string.
fn values(claim: Option<&Value>) -> Vec<&str> {
    match claim {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn power(role: Role) -> u8 {
    match role {
        Role::Admin => 3,
        Role::Editor => 2,
        Role::Reader => 1,
    }
}

/// The principal a provider's verified claims make: its role (the most powerful mapped
/// value of `roles_claim`), its publishers, its name.
pub fn map_claims(config: &OidcConfig, claims: &Value) -> Result<Principal, AuthError> {
    let subject = claims
        .get("sub")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| sign_on(SignOnFailure::Refused, "the claims have no subject (sub)"))?;
    let found = values(claim(claims, &config.roles_claim));
    let role = found
        .iter()
        .filter_map(|v| config.roles.get(*v).copied())
        .max_by_key(|r| power(*r))
        .ok_or_else(|| {
            sign_on(
                SignOnFailure::NoRole,
                format!(
                    "{subject}: no value of the claim {} is mapped to a role (it holds {})",
                    config.roles_claim,
                    if found.is_empty() {
                        "nothing".to_owned()
                    } else {
                        found.join(", ")
                    }
                ),
            )
        })?;
    let mut publishers: Vec<String> = config
        .publishers_claim
        .as_deref()
        .map(|c| values(claim(claims, c)))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| config.publishers.get(v).cloned())
        .collect();
    publishers.sort();
    publishers.dedup();
    let name = values(claim(claims, &config.name_claim))
        .first()
        .map(|s| s.to_string())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| subject.to_owned());
    Ok(Principal {
        name,
        role,
        publishers,
        via: format!("oidc:{subject}"),
    })
}

/// The HTTP client for the provider's endpoints: no redirect followed, the configured time
/// limit, at most [`MAX_RESPONSE`] bytes read.
struct Bounded(reqwest::Client);

impl<'c> openidconnect::AsyncHttpClient<'c> for Bounded {
    type Error = HttpFailure;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<HttpResponse, HttpFailure>> + Send + 'c>,
    >;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(fetch(&self.0, request))
    }
}

async fn fetch(http: &reqwest::Client, request: HttpRequest) -> Result<HttpResponse, HttpFailure> {
    let (parts, body) = request.into_parts();
    let url = parts.uri.to_string();
    let mut response = http
        .request(parts.method, &url)
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(|e| HttpFailure(format!("{url}: {}", crate::error_chain(&e))))?;
    let mut answer = http::Response::builder().status(response.status());
    for (k, v) in response.headers() {
        answer = answer.header(k, v);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| HttpFailure(format!("{url}: {e}")))?
    {
        if body.len() + chunk.len() > MAX_RESPONSE {
            return Err(HttpFailure(format!(
                "{url}: the answer is larger than {MAX_RESPONSE} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    answer
        .body(body)
        .map_err(|e| HttpFailure(format!("{url}: {e}")))
}

/// A call to the provider that failed (no answer, too large, cut).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpFailure(String);

impl Authenticator for Oidc {
    fn authenticate(&self, headers: &http::HeaderMap) -> Result<Option<Principal>, AuthError> {
        self.local.authenticate(headers)
    }

    fn audit(&self, who: &Principal, action: &str) {
        self.local.audit(who, action)
    }

    fn log_in(&self, name: &str, password: &str) -> Result<(String, Session), AuthError> {
        if !self.local_accounts {
            return Err(AuthError::Refused(format!(
                "local accounts are turned off: sign in through {}",
                self.config.label
            )));
        }
        self.local.log_in(name, password)
    }

    fn session(&self, token: &str) -> Option<Session> {
        self.local.session(token)
    }

    fn log_out(&self, token: &str) {
        self.local.log_out(token)
    }

    fn single_sign_on(&self) -> Option<&Oidc> {
        Some(self)
    }

    fn local_accounts(&self) -> bool {
        self.local_accounts
    }
}

#[cfg(test)]
mod tests;
