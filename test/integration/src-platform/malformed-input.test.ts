import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBodySchema } from '../../../src-shared/errors';
import { userEtag } from '../../../src-shared/platform-api';
import { client, findUser, http, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

/** Routes a malformed request is thrown at; `:id` is replaced by a real or random id. */
const ROUTES: { method: string; path: string }[] = [
  { method: 'POST', path: '/api/v1/auth/login' },
  { method: 'POST', path: '/api/v1/auth/forgot-password' },
  { method: 'POST', path: '/api/v1/auth/reset-password' },
  { method: 'POST', path: '/api/v1/auth/change-password' },
  { method: 'GET', path: '/api/v1/auth/providers' },
  { method: 'GET', path: '/api/v1/users' },
  { method: 'POST', path: '/api/v1/users' },
  { method: 'GET', path: '/api/v1/users/:id' },
  { method: 'PATCH', path: '/api/v1/users/:id' },
  { method: 'DELETE', path: '/api/v1/users/:id' },
  { method: 'POST', path: '/api/v1/users/:id/password-reset' },
  { method: 'PUT', path: '/api/v1/users/:id/password' },
  { method: 'PUT', path: '/api/v1/users/:id/extension' },
  { method: 'POST', path: '/api/v1/queues' },
  { method: 'PUT', path: '/api/v1/queues/:id/members/:id' },
  { method: 'POST', path: '/api/v1/queues/:id/sessions' },
  { method: 'POST', path: '/api/v1/extensions' },
  { method: 'PUT', path: '/api/v1/accounts/current/identity-provider' },
  { method: 'POST', path: '/reset-password' },
];

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const bodyArb = fc.oneof(
  jsonValue.map((v) => ({ raw: JSON.stringify(v), type: 'application/json' })),
  fc.string({ maxLength: 300 }).map((s) => ({ raw: s, type: 'application/json' })),
  fc.string({ maxLength: 200 }).map((s) => ({ raw: s, type: 'application/x-www-form-urlencoded' })),
  fc.string({ maxLength: 100 }).map((s) => ({ raw: s, type: 'text/plain' })),
  fc
    .record({
      name: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
      email: fc.oneof(fc.string(), fc.emailAddress()),
      login: fc.oneof(fc.string(), fc.constant('x'.repeat(500))),
      profile: fc.oneof(fc.constantFrom('support', 'administrator', 'supervisor', 'agent'), fc.string()),
      webrtcEnabled: fc.oneof(fc.boolean(), fc.string()),
      omnichannelEnabled: fc.oneof(fc.boolean(), fc.integer()),
      confirmQueueLogout: fc.anything(),
      password: fc.string(),
      passwordConfirmation: fc.string(),
      account: fc.string(),
      token: fc.string(),
      kind: fc.constantFrom('voice', 'chat', 'x'),
      channel: fc.string(),
      number: fc.string(),
      extensionId: fc.string(),
      __proto__: fc.anything(),
    }, { requiredKeys: [] })
    .map((v) => ({ raw: JSON.stringify(v), type: 'application/json' })),
);
const segmentArb = fc.oneof(fc.string({ minLength: 1, maxLength: 80 }), fc.constant('%00'), fc.constant('..'), fc.uuid());
const queryArb = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 60 }).map((s) => `?${encodeURIComponent(s)}`),
  fc.record({ since: fc.string({ maxLength: 30 }), limit: fc.string({ maxLength: 10 }), q: fc.string({ maxLength: 200 }), account: fc.string({ maxLength: 80 }) }, { requiredKeys: [] }).map((o) => `?${new URLSearchParams(o as Record<string, string>).toString()}`),
);
const headerArb = fc.record(
  {
    'if-match': fc.string({ maxLength: 80 }),
    'idempotency-key': fc.string({ maxLength: 300 }),
    'accept-language': fc.string({ maxLength: 40 }),
    authorization: fc.oneof(fc.string({ maxLength: 80 }), fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`)),
  },
  { requiredKeys: [] },
);

function headerSafe(headers: Record<string, string>): Record<string, string> {
  // fetch refuses header values with control characters; those never reach a server anyway.
  return Object.fromEntries(Object.entries(headers).filter(([, v]) => /^[\x20-\x7e]*$/.test(v)));
}

describe('malformed input never causes a 5xx (R1, R2)', () => {
  let p: TestPlatform;
  let adminToken: string;
  let userId: string;
  let queueId: string;
  beforeAll(async () => {
    p = await startTestPlatform();
    adminToken = await signIn(p.url, 'admin');
    userId = (await findUser(p.url, adminToken, 'agente33')).id;
    queueId = (await client(p.url, adminToken).get('/api/v1/queues')).body.items[0].id;
  });
  afterAll(async () => p.stop());

  it('R1: random bodies, params, query strings and headers get a 4xx with a machine-readable code, or a success', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        bodyArb,
        fc.oneof(fc.constant('real'), segmentArb),
        queryArb,
        headerArb,
        fc.boolean(),
        async (route, body, segment, query, headers, signedIn) => {
          const id = segment === 'real' ? userId : encodeURIComponent(segment);
          const path = route.path.replace(':id', route.path.startsWith('/api/v1/queues') ? queueId : id).replace(':id', id);
          const allHeaders: Record<string, string> = { ...headerSafe(headers as Record<string, string>), 'content-type': body.type };
          if (signedIn) allHeaders.authorization = `Bearer ${adminToken}`;
          const withBody = route.method !== 'GET' && route.method !== 'DELETE';
          const result = await http(p.url, route.method, path + query, { raw: withBody ? body.raw : undefined, headers: allHeaders });
          expect(result.status, `${route.method} ${path}${query} ${body.raw.slice(0, 100)}`).toBeLessThan(500);
          if (result.status >= 400 && path.startsWith('/api/')) {
            const parsed = ApiErrorBodySchema.safeParse(result.body);
            expect(parsed.success, JSON.stringify(result.body)).toBe(true);
          }
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 400) },
    );
    // The admin's own data survived the storm in a usable state.
    expect((await http(p.url, 'GET', '/api/v1/me', { token: adminToken })).status).toBe(200);
  });

  it('R1: an oversized body answers 413 payload_too_large; bad JSON answers 400 malformed_request', async () => {
    const big = await http(p.url, 'POST', '/api/v1/auth/login', { raw: JSON.stringify({ account: 'demo', login: 'a'.repeat(200_000), password: 'x' }), headers: { 'content-type': 'application/json' } });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    const bad = await http(p.url, 'POST', '/api/v1/auth/login', { raw: '{"account":', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('malformed_request');
  });

  it('R1: a rejected edit changes nothing', async () => {
    const api = client(p.url, adminToken);
    const before = await findUser(p.url, adminToken, 'agente34');
    const result = await api.patch(`/api/v1/users/${before.id}`, { name: '', email: 'not-an-email', profile: 'root' }, { 'if-match': userEtag(before) });
    expect(result.status).toBe(400);
    expect(Object.keys(result.body.error.fieldErrors).sort()).toEqual(['email', 'name', 'profile']);
    expect((await api.get(`/api/v1/users/${before.id}`)).body.user).toEqual(before);
  });

  it('issue 17.2: ill-formed search text and sign-in logins (lone surrogates, control characters) are validation_failed, not a failed sign-in', async () => {
    const json = { 'content-type': 'application/json' };
    // JSON escapes carry lone surrogates and control characters through JSON.parse unchanged.
    for (const login of ['ad\\ud800min', 'ad\\u0000min', 'ad\\u001bmin']) {
      const signIn = await http(p.url, 'POST', '/api/v1/auth/login', { raw: `{"account":"demo","login":"${login}","password":"Girassol-Pesqueiro-93"}`, headers: json });
      expect(signIn.status, login).toBe(400);
      expect(signIn.body.error.code).toBe('validation_failed');
      expect(Object.keys(signIn.body.error.fieldErrors)).toEqual(['login']);
      const forgot = await http(p.url, 'POST', '/api/v1/auth/forgot-password', { raw: `{"account":"demo","login":"${login}"}`, headers: json });
      expect(forgot.status, login).toBe(400);
    }
    for (const q of ['ana%00', 'ana%07x', 'ana%C2%85']) {
      const search = await http(p.url, 'GET', `/api/v1/users?q=${q}`, { token: adminToken });
      expect(search.status, q).toBe(400);
      expect(search.body.error.code).toBe('validation_failed');
      expect(Object.keys(search.body.error.fieldErrors)).toEqual(['q']);
    }
    expect((await http(p.url, 'GET', '/api/v1/users?q=ana', { token: adminToken })).status).toBe(200);
  });
});
