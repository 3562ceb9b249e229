// The OpenID provider of the portal's sign-in tests: npm oidc-provider (an OpenID Certified implementation) on
// https://127.0.0.1:<free port>, configured from the JSON file named by the first argument (OpenIdProvider.cs writes it).
// Prints "listening <issuer>" once it serves; stops with its parent's stdin.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

const settings = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = new Map(settings.accounts.map((a) => [a.subject, a]));
const byLogin = new Map(settings.accounts.map((a) => [a.login, a]));

const server = createServer({ cert: readFileSync(settings.certificate), key: readFileSync(settings.key) });
await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
const issuer = `https://127.0.0.1:${server.address().port}`;

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
const resourceServers = Object.fromEntries(settings.audiences.map((audience) => [audience, {
  scope: 'api',
  audience,
  accessTokenFormat: 'jwt',
  accessTokenTTL: 600,
  jwt: { sign: { alg: 'RS256' } },
}]));

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: settings.portal.clientId,
      client_secret: settings.portal.clientSecret,
      // The portal's OpenID Connect handler sends its secret in the form body.
      token_endpoint_auth_method: 'client_secret_post',
      redirect_uris: settings.portal.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
    // Command-line clients: a person signs in through the browser, which comes back to a loopback address (RFC 8252).
    ...settings.commandLineClients.map((clientId) => ({
      client_id: clientId,
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: [settings.commandLineRedirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
  ],
  pkce: { required: () => true },
  // The portal's roles travel in their own claim, with the profile, as many providers send group membership.
  claims: { openid: ['sub'], profile: ['preferred_username', 'name', settings.roleClaim] },
  features: {
    devInteractions: { enabled: false },
    resourceIndicators: {
      enabled: true,
      getResourceServerInfo: (ctx, indicator) => {
        if (!resourceServers[indicator]) throw new errors.InvalidTarget();
        return resourceServers[indicator];
      },
    },
  },
  async findAccount(ctx, subject) {
    const account = accounts.get(subject);
    return account && {
      accountId: subject,
      claims: () => ({
        sub: subject,
        preferred_username: account.login,
        name: account.name,
        [settings.roleClaim]: account.roles,
      }),
    };
  },
  // Access tokens for an API name the person as the API knows them, which need not be their sign-in name.
  async extraTokenClaims(ctx, token) {
    const account = token.resourceServer && accounts.get(token.accountId);
    return account && { preferred_username: account.apiName, [settings.roleClaim]: account.roles };
  },
  formats: {
    customizers: {
      // A client whose tokens were issued an hour ago: what a caller holds who kept a token past its lifetime.
      async jwt(ctx, token, jwt) {
        if (token.clientId !== settings.staleClient) return;
        jwt.payload.iat -= 3600;
        jwt.payload.exp -= 3600;
      },
    },
  },
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><title>Error</title><pre id="error">${escape(JSON.stringify(out))}</pre>`;
  },
});

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(res, status, title, body) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`);
}

async function form(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

// Sign-in: a plain HTML form checked against the accounts. The portal and its command-line clients are the
// provider's own, so consent is given without a page, as company providers do for their first-party applications.
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  if (prompt.name === 'login') {
    let error = '';
    if (req.method === 'POST') {
      const body = await form(req);
      const account = byLogin.get(body.get('login'));
      if (account && body.get('password') === account.password) {
        return provider.interactionFinished(req, res, { login: { accountId: account.subject } }, { mergeWithLastSubmission: false });
      }
      error = '<p id="error">Unknown user name or wrong password.</p>';
    }
    return page(res, 200, 'Sign in', `<h1>Sign in to ${escape(params.client_id)}</h1>${error}
      <form method="post" action="/interaction/${uid}" autocomplete="off">
        <label>User name <input name="login" id="login" required autofocus></label>
        <label>Password <input name="password" id="password" type="password" required></label>
        <button type="submit" id="sign-in">Sign in</button>
      </form>`);
  }
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { consent: details.grantId ? {} : { grantId } }, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
server.on('request', (req, res) => {
  if (!req.url.startsWith('/interaction/')) return callback(req, res);
  interaction(req, res).catch((e) => page(res, 400, 'Error', `<pre id="error">${escape(e.message)}</pre>`));
});

console.log(`listening ${issuer}`);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
