// An OpenID provider for healthcat's single sign-on tests: oidc-provider (OpenID Certified,
// from the npm registry; `.ci/oidc` installs it) on 127.0.0.1, with its own login page.
//
// Set by the test, in the environment:
//   OIDC_PROVIDER_MODULE  oidc-provider's lib/index.js
//   OIDC_PORT             the port to listen on (127.0.0.1 only)
//   OIDC_REDIRECT         healthcat's /login/oidc address; OIDC_POST_LOGOUT where to come back after logout
//   OIDC_CLIENT_SECRET    the secret of the client "healthcat"
//   OIDC_ACCOUNTS         JSON: { "<subject>": { claims… } }; the login page takes the subject as login
//   OIDC_LYING_JWKS       when set, /jwks publishes another key under the signing key's id
//                         (every ID token then looks wrongly signed)
// Each start makes a new signing key with a new key id: restarting is rotating the keys.
// It prints "listening <issuer>" once it answers.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const { default: Provider } = await import(pathToFileURL(process.env.OIDC_PROVIDER_MODULE).href);
const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS ?? '{}');

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = randomUUID();
const signing = { ...rsa().privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'healthcat',
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: [process.env.OIDC_REDIRECT],
    post_logout_redirect_uris: [process.env.OIDC_POST_LOGOUT],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [signing] },
  cookies: { keys: [randomUUID()] },
  scopes: ['openid', 'profile', 'groups'],
  claims: { openid: ['sub'], profile: ['preferred_username', 'name'], groups: ['groups', 'organisation'] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  // healthcat is this provider's own (first-party) client: no consent screen.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile groups');
    await grant.save();
    return grant;
  },
});

if (process.env.OIDC_LYING_JWKS) {
  const other = { ...rsa().publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/jwks') ctx.body = { keys: [other] };
  });
}

const server = provider.listen(port, '127.0.0.1', () => console.log(`listening ${issuer}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
