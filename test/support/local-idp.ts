/**
 * A real local OpenID Connect provider (oidc-provider) shaped like Microsoft Entra ID, for SSO tests
 * that never leave 127.0.0.1 (see shared/notes/msal-local-idp.md).
 *
 * - HTTPS with a throwaway CA generated at start (`caCert`), a leaf for 127.0.0.1 and localhost.
 * - Entra paths: authority `https://127.0.0.1:<port>/<tenant>`, issuer `<authority>/v2.0`; both the
 *   prefix and MSAL's extra `/v2.0` are stripped before the provider sees a request.
 * - Public native client (PKCE, loopback redirect), JWT access tokens for `api://<clientId>` with
 *   `oid`, `tid`, `scp`, `preferred_username`, and Entra's `client_info` in token responses.
 * - `signInWithHttp(url, login)` completes the login and confirmation pages with plain HTTPS requests
 *   and a cookie jar and posts the form_post response to MSAL's loopback listener, as a browser would.
 */
import { generateKeyPair, randomUUID, type KeyObject } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { generate } from 'selfsigned';

/** A user the provider knows; they sign in by typing `login` (any password). */
export interface LocalIdpUser {
  oid: string;
  login: string;
  name: string;
  email?: string;
}

/** Options of {@link startLocalIdp}. */
export interface LocalIdpOptions {
  tenantId?: string;
  clientId?: string;
  users: LocalIdpUser[];
  /** Access token lifetime in seconds (default 3600). */
  accessTokenTtlSeconds?: number;
  /**
   * Signing key (private JWK). Entra signs every tenant's tokens with the same keys: pass another
   * provider's `signingKey` so a cross-tenant token passes the signature check and must be refused
   * by issuer/tenant.
   */
  signingKey?: Record<string, unknown>;
}

/** A running local provider. */
export interface LocalIdp {
  tenantId: string;
  clientId: string;
  /** MSAL authority, Entra style: `https://127.0.0.1:<port>/<tenant>`. */
  authority: string;
  /** Token issuer: `<authority>/v2.0` (what the platform's provider settings store). */
  issuer: string;
  /** `127.0.0.1:<port>`, for MSAL's `knownAuthorities`. */
  host: string;
  /** The API scope the console requests. */
  apiScope: string;
  /** The private signing JWK (to share with a "foreign tenant" provider, as Entra does). */
  signingKey: Record<string, unknown>;
  /** PEM of the test CA that signed the server certificate. */
  caCert: string;
  /** Every request path the provider served, for assertions (e.g. the token endpoint was hit). */
  requests: { method: string; path: string; grantType?: string }[];
  /** Completes an authorization URL as a browser would and posts the answer to the loopback. */
  signInWithHttp(authorizeUrl: string, login: string): Promise<void>;
  close(): Promise<void>;
}

/** Generates a CA and a server certificate for 127.0.0.1/localhost signed by it. */
export async function generateTestCertificates(): Promise<{ caCert: string; cert: string; key: string }> {
  const ca = await generate([{ name: 'commonName', value: `Omniconsole test CA ${randomUUID()}` }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 24 * 3600_000),
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { caCert: ca.cert, cert: leaf.cert, key: leaf.private };
}

/**
 * oidc-provider warns that a test provider is a test provider (in-memory adapter, dev interactions,
 * and the token body this wrapper rewrites). Those exact warnings are expected here; others pass.
 */
const EXPECTED_WARNINGS = ['in-memory adapter', 'devInteractions', 'already parsed request body'];
let warningsFiltered = false;
function filterExpectedProviderWarnings(): void {
  if (warningsFiltered) return;
  warningsFiltered = true;
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : '';
    if (text.includes('oidc-provider WARNING') && EXPECTED_WARNINGS.some((w) => text.includes(w))) return;
    warn(...args);
  };
}

/** Starts the provider on a random port of 127.0.0.1. */
export async function startLocalIdp(options: LocalIdpOptions): Promise<LocalIdp> {
  filterExpectedProviderWarnings();
  const tenantId = options.tenantId ?? randomUUID();
  const clientId = options.clientId ?? randomUUID();
  const audience = `api://${clientId}`;
  const apiScope = `${audience}/access_as_user`;
  // Who typed what: the oid, the exact login, or (first match) the login in another case.
  const userOf = (typed: string): LocalIdpUser | undefined =>
    options.users.find((u) => u.oid === typed) ?? options.users.find((u) => u.login === typed) ?? options.users.find((u) => u.login.toLowerCase() === typed.toLowerCase());
  const { caCert, cert, key } = await generateTestCertificates();
  const requests: LocalIdp['requests'] = [];

  const server = https.createServer({ cert, key });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const host = `127.0.0.1:${port}`;
  const authority = `https://${host}/${tenantId}`;
  const issuer = `${authority}/v2.0`;
  const signingKey = options.signingKey ?? (await generateRsaJwk());

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: ['http://localhost', 'http://localhost/', 'http://127.0.0.1/'],
      },
    ],
    jwks: { keys: [signingKey] },
    pkce: { required: () => true },
    conformIdTokenClaims: false,
    claims: { openid: ['sub', 'oid', 'tid'], profile: ['name', 'preferred_username'], email: ['email'] },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    ttl: { AccessToken: options.accessTokenTtlSeconds ?? 3600, IdToken: 3600, RefreshToken: 24 * 3600, Session: 3600, Grant: 24 * 3600, Interaction: 600 },
    features: {
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== audience) throw new Error(`unknown resource ${resource}`);
          return { scope: apiScope, audience, accessTokenFormat: 'jwt', accessTokenTTL: options.accessTokenTtlSeconds ?? 3600, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    findAccount: (_ctx: unknown, id: string) => {
      const user = userOf(id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: user.oid, oid: user.oid, tid: tenantId, name: user.name, preferred_username: user.login, email: user.email }),
      };
    },
    // Admin-consented app: the scopes are granted up front. oidc-provider still asks native clients
    // to confirm once (its `native_client_prompt`); both drivers submit that page like a user would.
    loadExistingGrant: async (ctx: { oidc: { session?: { accountId?: string }; client?: { clientId: string } } }) => {
      const accountId = ctx.oidc.session?.accountId;
      const grantClientId = ctx.oidc.client?.clientId;
      if (!accountId || !grantClientId) return undefined;
      const grant = new provider.Grant({ accountId, clientId: grantClientId });
      grant.addOIDCScope('openid profile email offline_access');
      grant.addResourceScope(audience, apiScope);
      await grant.save();
      return grant;
    },
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: () => false,
    extraTokenClaims: (_ctx: unknown, token: { accountId?: string; kind?: string }) => {
      const user = token.accountId ? userOf(token.accountId) : undefined;
      if (!user) return undefined;
      return { oid: user.oid, tid: tenantId, scp: 'access_as_user', preferred_username: user.login, name: user.name, ver: '2.0', azp: clientId };
    },
    cookies: { keys: [randomUUID()] },
  });
  provider.proxy = false;

  // Entra's token responses carry client_info, from which MSAL builds its account ids.
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { access_token?: unknown } | undefined;
    if (ctx.path === '/token' && ctx.status === 200 && body && typeof body.access_token === 'string') {
      const claims = decodePayload(body.access_token);
      (body as Record<string, unknown>)['client_info'] = Buffer.from(JSON.stringify({ uid: claims['oid'], utid: claims['tid'] })).toString('base64url');
    }
  });

  const handle = provider.callback();
  const prefix = `/${tenantId}/v2.0`;
  server.on('request', (req: http.IncomingMessage & { originalUrl?: string; body?: unknown }, res: http.ServerResponse) => {
    const url = req.url ?? '/';
    if (!url.startsWith(`${prefix}/`)) {
      res.writeHead(404).end();
      return;
    }
    // MSAL appends /v2.0 to an Entra-style authority for discovery: accept both forms.
    let rest = url.slice(prefix.length);
    if (rest.startsWith('/v2.0/')) rest = rest.slice('/v2.0'.length);
    req.originalUrl = url;
    req.url = rest;
    if (req.method === 'POST' && rest.startsWith('/token')) {
      void readBody(req).then((raw) => {
        const form = new URLSearchParams(raw);
        requests.push({ method: 'POST', path: rest, grantType: form.get('grant_type') ?? '' });
        // MSAL re-sends offline_access with refresh_token grants; the provider does not re-grant it.
        if (form.get('grant_type') === 'refresh_token' && form.has('scope')) {
          form.set('scope', (form.get('scope') ?? '').split(' ').filter((s) => s !== 'offline_access').join(' '));
        }
        req.body = Object.fromEntries(form);
        handle(req, res);
      });
      return;
    }
    requests.push({ method: req.method ?? 'GET', path: rest.split('?')[0] ?? rest });
    handle(req, res);
  });

  const agent = new https.Agent({ ca: caCert });

  return {
    tenantId,
    clientId,
    authority,
    issuer,
    host,
    apiScope,
    signingKey,
    caCert,
    requests,
    signInWithHttp: (authorizeUrl, login) => signInWithHttp(authorizeUrl, login, agent),
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function generateRsaJwk(): Promise<Record<string, unknown>> {
  const privateKey = await new Promise<KeyObject>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, _pub, priv) => (error ? reject(error) : resolve(priv))),
  );
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

function decodePayload(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

interface SimpleResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(url: URL, init: { method: string; body?: string; headers?: Record<string, string>; agent?: https.Agent }): Promise<SimpleResponse> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = lib.request(
      url,
      { method: init.method, headers: init.headers, ...(url.protocol === 'https:' ? { agent: init.agent } : {}) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}

/**
 * Drives the provider's pages like a browser: follows redirects with a cookie jar, submits the
 * login form, then posts the form_post answer (code + state) to MSAL's loopback listener.
 */
async function signInWithHttp(authorizeUrl: string, login: string, agent: https.Agent): Promise<void> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (headers: http.IncomingHttpHeaders) => {
    for (const line of headers['set-cookie'] ?? []) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  };
  let url = new URL(authorizeUrl);
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 12; hop += 1) {
    const headers: Record<string, string> = { cookie: cookieHeader() };
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await send(url, { method, ...(body !== undefined ? { body } : {}), headers, agent });
    remember(response.headers);
    if (response.status >= 300 && response.status < 400 && response.headers.location) {
      url = new URL(response.headers.location, url);
      method = 'GET';
      body = undefined;
      continue;
    }
    if (response.status !== 200) throw new Error(`Identity provider answered ${response.status} at ${url.pathname}: ${textOf(response.body)}`);
    const form = parseForm(response.body);
    if (!form) throw new Error(`No form at ${url.pathname}: ${response.body.slice(0, 300)}`);
    const action = new URL(form.action, url);
    if (form.fields.has('login') || form.fields.has('password')) {
      form.fields.set('login', login);
      form.fields.set('password', 'any');
    }
    if (action.protocol === 'http:') {
      // The form_post answer for MSAL's loopback listener (it listens on 127.0.0.1 only).
      if (action.hostname === 'localhost') action.hostname = '127.0.0.1';
      const answer = await send(action, { method: 'POST', body: new URLSearchParams([...form.fields]).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      if (answer.status !== 200) throw new Error(`Loopback answered ${answer.status}: ${answer.body.slice(0, 200)}`);
      return;
    }
    url = action;
    method = 'POST';
    body = new URLSearchParams([...form.fields]).toString();
  }
  throw new Error('Too many hops while signing in');
}

function parseForm(html: string): { action: string; fields: Map<string, string> } | null {
  const formMatch = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!formMatch) return null;
  const fields = new Map<string, string>();
  for (const input of formMatch[2]?.matchAll(/<input[^>]*>/gi) ?? []) {
    const tag = input[0];
    const name = /name="([^"]*)"/i.exec(tag)?.[1];
    if (!name) continue;
    fields.set(name, decodeEntities(/value="([^"]*)"/i.exec(tag)?.[1] ?? ''));
  }
  return { action: decodeEntities(formMatch[1] ?? ''), fields };
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x2F;/gi, '/')
    .replace(/&#x3D;/gi, '=')
    .replace(/&amp;/g, '&');
}

function textOf(html: string): string {
  return html.replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 400);
}
