/**
 * Issue 9 class 3: what `POST /auth/microsoft` accepts. Tokens are signed with the local provider's
 * real signing key (as Entra would sign them), so only the claims decide: `scp` must contain
 * `access_as_user`, `iat` may not be in the future or older than the maximum lifetime. Every refusal
 * is 401 `invalid_token` (empty and oversized tokens too) and counts toward the failure limits.
 */
import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSsoFixture, type SsoFixture } from '../../support/local-idp-platform';

const HELENA = 'helena@autogerenciada.omniconsole.example';
let sso: SsoFixture;

beforeAll(async () => {
  sso = await startSsoFixture([{ oid: 'oid-helena', login: HELENA, name: 'Helena' }]);
}, 60_000);
afterAll(async () => sso?.close());

/** A token as the provider would sign it, with the given claims changed. */
async function mint(overrides: JWTPayload & { iat?: number; exp?: number } = {}): Promise<string> {
  const key = await importJWK(sso.idp.signingKey as Parameters<typeof importJWK>[0], 'RS256');
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    iss: sso.idp.issuer,
    aud: `api://${sso.idp.clientId}`,
    tid: sso.idp.tenantId,
    oid: 'oid-helena',
    preferred_username: HELENA,
    scp: 'access_as_user',
    ver: '2.0',
    iat: now,
    exp: now + 3600,
    ...overrides,
  };
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: String(sso.idp.signingKey['kid']), typ: 'JWT' }).sign(key);
}

describe('issue 9 class 3: access tokens', () => {
  it('issue 9 class 3: a well-formed token of the provider opens a session (the control)', async () => {
    const answer = await sso.exchange(await mint());
    expect(answer.status).toBe(200);
  });

  it('issue 9 class 3: a token without the access_as_user scope is refused (401)', async () => {
    const answer = await sso.exchange(await mint({ scp: 'User.Read' }));
    expect(answer.status).toBe(401);
    expect(answer.body.error).toMatchObject({ code: 'invalid_token', details: { reason: 'missing_scope' } });
  });

  it('issue 9 class 3: iat in the future, a token issued too long ago, or one that lives too long, is refused (401)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [JWTPayload, string][] = [
      [{ iat: now + 3600, exp: now + 7200 }, 'issued_in_future'],
      [{ iat: now - 3 * 86_400, exp: now + 600 }, 'too_old'],
      [{ iat: now, exp: now + 30 * 86_400 }, 'lifetime_too_long'],
    ];
    for (const [claims, reason] of cases) {
      const answer = await sso.exchange(await mint(claims));
      expect(answer.status, reason).toBe(401);
      expect(answer.body.error, reason).toMatchObject({ code: 'invalid_token', details: { reason } });
    }
  });

  it('issue 9 class 3: empty and oversized tokens answer 401 invalid_token, not a validation error', async () => {
    for (const [accessToken, reason] of [
      ['', 'empty'],
      ['x'.repeat(20_000), 'oversized'],
    ] as const) {
      const answer = await sso.exchange(accessToken);
      expect(answer.status, reason).toBe(401);
      expect(answer.body.error, reason).toMatchObject({ code: 'invalid_token', details: { reason } });
    }
  });

  it('issue 9 class 3: every refusal counts toward the failure limit: past it, even a good token waits (429)', async () => {
    let status = 0;
    for (let i = 0; i < 120 && status !== 429; i++) status = (await sso.exchange('')).status;
    expect(status).toBe(429);
    const good = await sso.exchange(await mint());
    expect(good.status).toBe(429);
    expect(sso.sql<{ n: number }>("SELECT count(*) AS n FROM sessions WHERE method = 'microsoft'")[0]?.n).toBe(1);
  });
});
