import { createHmac } from 'node:crypto';
import { createLocalJWKSet, exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { EntraTokenError, expectedIssuer, verifyEntraAccessToken } from '../../../../src-platform/auth/microsoft/verify-entra-token';

const tenantId = '11111111-2222-3333-4444-555555555555';
const otherTenantId = '99999999-8888-7777-6666-555555555555';
const clientId = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const authority = `https://login.example.test/${tenantId}/v2.0`;
const issuer = `https://login.example.test/${tenantId}/v2.0`;

let privateKey: CryptoKey;
let publicJwk: JWK;
let publicPem: string;
let strangerKey: CryptoKey;
let jwks: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  publicPem = await exportSPKI(pair.publicKey);
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  jwks = createLocalJWKSet({ keys: [publicJwk] });
});

function accessClaims(overrides: JWTPayload = {}): JWTPayload {
  return {
    oid: 'user-oid-1',
    tid: tenantId,
    scp: 'access_as_user',
    preferred_username: 'Ana@Contoso.example',
    name: 'Ana',
    ver: '2.0',
    ...overrides,
  };
}

async function sign(claims: JWTPayload, opts: { kid?: string; key?: CryptoKey; iss?: string; aud?: string; exp?: string | number; nbf?: number; iat?: number } = {}) {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'key-1', typ: 'JWT' })
    .setIssuedAt(opts.iat)
    .setIssuer(opts.iss ?? issuer)
    .setAudience(opts.aud ?? `api://${clientId}`)
    .setExpirationTime(opts.exp ?? '1h');
  if (opts.nbf !== undefined) jwt = jwt.setNotBefore(opts.nbf);
  return jwt.sign(opts.key ?? privateKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function refusal(token: string): Promise<string> {
  try {
    await verifyEntraAccessToken(token, { authority, tenantId, clientId, jwks });
  } catch (error) {
    expect(error).toBeInstanceOf(EntraTokenError);
    return (error as EntraTokenError).code;
  }
  throw new Error('the token was accepted');
}

describe('verifyEntraAccessToken', () => {
  it('R11: accepts an RS256 access token of the tenant for this API and returns oid, tid and login name', async () => {
    const claims = await verifyEntraAccessToken(await sign(accessClaims()), { authority, tenantId, clientId, jwks });
    expect(claims).toMatchObject({ oid: 'user-oid-1', tid: tenantId, loginName: 'ana@contoso.example', scopes: ['access_as_user'] });
  });

  it('R11: accepts the bare client id as audience (Entra v2 access tokens) and an authority without /v2.0', async () => {
    const token = await sign(accessClaims(), { aud: clientId });
    const claims = await verifyEntraAccessToken(token, { authority: `https://login.example.test/${tenantId}`, tenantId, clientId, jwks });
    expect(claims.oid).toBe('user-oid-1');
    expect(expectedIssuer(`https://login.example.test/${tenantId}/`)).toBe(issuer);
  });

  it('R11: refuses alg "none"', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...accessClaims(), iss: issuer, aud: `api://${clientId}`, iat: now, exp: now + 3600 })}.`;
    expect(await refusal(token)).toBe('algorithm_not_allowed');
  });

  it('R11: refuses an HS256 token signed with the public key as HMAC secret', async () => {
    const now = Math.floor(Date.now() / 1000);
    const signingInput = `${b64({ alg: 'HS256', kid: 'key-1', typ: 'JWT' })}.${b64({ ...accessClaims(), iss: issuer, aud: `api://${clientId}`, iat: now, exp: now + 3600 })}`;
    const signature = createHmac('sha256', publicPem).update(signingInput).digest('base64url');
    expect(await refusal(`${signingInput}.${signature}`)).toBe('algorithm_not_allowed');
  });

  it('R11: refuses a token whose kid is not in the JWKS', async () => {
    expect(await refusal(await sign(accessClaims(), { kid: 'unknown-kid', key: strangerKey }))).toBe('unknown_key');
  });

  it('R11: refuses a token signed by another key under a known kid', async () => {
    expect(await refusal(await sign(accessClaims(), { key: strangerKey }))).toBe('bad_signature');
  });

  it('R11: refuses an expired token', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    expect(await refusal(await sign(accessClaims(), { exp: past }))).toBe('expired');
  });

  it('R11: refuses a token that is not valid yet (nbf)', async () => {
    const future = Math.floor(Date.now() / 1000) + 1800;
    expect(await refusal(await sign(accessClaims(), { nbf: future, exp: future + 3600 }))).toBe('not_yet_valid');
  });

  it('R11: refuses a token for another audience', async () => {
    expect(await refusal(await sign(accessClaims(), { aud: 'api://some-other-api' }))).toBe('wrong_audience');
  });

  it('R11: refuses a token from another issuer', async () => {
    expect(await refusal(await sign(accessClaims(), { iss: `https://evil.example.test/${tenantId}/v2.0` }))).toBe('wrong_issuer');
  });

  it('R11: refuses a token of another tenant, by issuer and by tid', async () => {
    const otherIssuer = `https://login.example.test/${otherTenantId}/v2.0`;
    expect(await refusal(await sign(accessClaims({ tid: otherTenantId }), { iss: otherIssuer }))).toBe('wrong_issuer');
    expect(await refusal(await sign(accessClaims({ tid: otherTenantId })))).toBe('wrong_tenant');
  });

  it('R11: refuses an id_token presented as an access token', async () => {
    const idToken = await sign({ oid: 'user-oid-1', tid: tenantId, nonce: 'n-1', preferred_username: 'ana@contoso.example' }, { aud: clientId });
    expect(await refusal(idToken)).toBe('not_an_access_token');
  });

  it('R11: refuses a token without oid', async () => {
    expect(await refusal(await sign(accessClaims({ oid: undefined })))).toBe('missing_claims');
  });

  it('R11: an authority of another tenant than the configured one is refused before any key lookup', async () => {
    await expect(
      verifyEntraAccessToken(await sign(accessClaims()), { authority: `https://login.example.test/${otherTenantId}/v2.0`, tenantId, clientId, jwks }),
    ).rejects.toMatchObject({ code: 'wrong_issuer' });
  });

  it('R11: links by email only when Entra marks its domain verified', async () => {
    const unverified = await sign(accessClaims({ preferred_username: undefined, email: 'x@contoso.example' }));
    expect((await verifyEntraAccessToken(unverified, { authority, tenantId, clientId, jwks })).loginName).toBeNull();
    const verified = await sign(accessClaims({ preferred_username: undefined, email: 'X@contoso.example', xms_edov: true }));
    expect((await verifyEntraAccessToken(verified, { authority, tenantId, clientId, jwks })).loginName).toBe('x@contoso.example');
  });
});

describe('verifyEntraAccessToken: issue 9 class 3 (scope, age, size)', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('issue 9 class 3: scp must contain access_as_user (another delegated scope of the same API is refused)', async () => {
    expect(await refusal(await sign(accessClaims({ scp: 'User.Read' })))).toBe('missing_scope');
    expect(await refusal(await sign(accessClaims({ scp: 'access_as_user_not User.Read' })))).toBe('missing_scope');
    const ok = await verifyEntraAccessToken(await sign(accessClaims({ scp: 'User.Read access_as_user' })), { authority, tenantId, clientId, jwks });
    expect(ok.scopes).toEqual(['User.Read', 'access_as_user']);
  });

  it('issue 9 class 3: iat in the future beyond the clock skew is refused; within the skew it passes', async () => {
    expect(await refusal(await sign(accessClaims(), { iat: now() + 600, exp: now() + 3600 }))).toBe('issued_in_future');
    const withinSkew = await sign(accessClaims(), { iat: now() + 30, exp: now() + 3600 });
    expect((await verifyEntraAccessToken(withinSkew, { authority, tenantId, clientId, jwks })).oid).toBe('user-oid-1');
  });

  it('issue 9 class 3: a token issued longer ago than the maximum lifetime, or living longer than it, is refused', async () => {
    // Still unexpired, but issued two days ago.
    expect(await refusal(await sign(accessClaims(), { iat: now() - 2 * 86_400, exp: now() + 600 }))).toBe('too_old');
    // Issued now, valid for a week: no Entra access token lives that long.
    expect(await refusal(await sign(accessClaims(), { iat: now(), exp: now() + 7 * 86_400 }))).toBe('lifetime_too_long');
    // A shorter limit applies when configured.
    const twoHours = await sign(accessClaims(), { iat: now() - 2 * 3600, exp: now() + 600 });
    await expect(verifyEntraAccessToken(twoHours, { authority, tenantId, clientId, jwks, maxLifetimeSeconds: 3600 })).rejects.toMatchObject({ code: 'too_old' });
  });

  it('issue 9 class 3: empty and oversized tokens are refused before any parsing', async () => {
    expect(await refusal('')).toBe('empty');
    expect(await refusal('   ')).toBe('empty');
    expect(await refusal(`${await sign(accessClaims({ padding: 'x'.repeat(20_000) }))}`)).toBe('oversized');
  });
});
