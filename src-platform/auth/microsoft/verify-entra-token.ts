/**
 * Verifies a Microsoft Entra ID access token presented to `POST /auth/microsoft` (R11, C3).
 *
 * MSAL never checks signatures: the platform does, with jose, against the authority's JWKS.
 * RS256 only; the exact v2.0 issuer of the configured tenant; the API audience; `tid` equal to the
 * account's tenant; `exp`/`nbf`; and the token must be an access token for this API (an id_token
 * carries no `scp`/`roles` and is refused even though it is signed by the same keys). Issue 9
 * class 3: `scp` must contain `access_as_user`; `iat` in the future beyond the clock skew, a token
 * issued more than a day ago, or one that lives longer than a day, is refused; so are empty and
 * oversized tokens, before any parsing.
 */
import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AuthorityMetadataError, expectedIssuer, readAuthorityMetadata } from './authority-metadata';
import { createHttpsFetch, type FetchLike } from './https-fetch';

/** The claims the platform relies on, after verification. */
export interface EntraAccessTokenClaims {
  /** Entra object id of the user: the stable key a platform user is linked by. */
  oid: string;
  /** Tenant id. */
  tid: string;
  /** The sign-in name used to link a user on first sign-in (UPN, or a verified email). */
  loginName: string | null;
  name: string | null;
  scopes: string[];
  payload: JWTPayload;
}

/** Why a token was refused; `code` is stable for tests and logs, never shown to users as is. */
export class EntraTokenError extends Error {
  constructor(
    readonly code:
      | 'malformed'
      | 'algorithm_not_allowed'
      | 'unknown_key'
      | 'bad_signature'
      | 'expired'
      | 'not_yet_valid'
      | 'wrong_issuer'
      | 'wrong_audience'
      | 'wrong_tenant'
      | 'not_an_access_token'
      | 'missing_claims'
      | 'missing_scope'
      | 'issued_in_future'
      | 'too_old'
      | 'lifetime_too_long'
      | 'empty'
      | 'oversized'
      | 'metadata_unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'EntraTokenError';
  }
}

/** What a token is checked against: the account's identity-provider settings plus a key source. */
export interface EntraVerificationOptions {
  /** The configured authority, e.g. `https://login.microsoftonline.com/<tenant>/v2.0` (with or without `/v2.0`). */
  authority: string;
  /** The account's tenant id: the only `tid` accepted. */
  tenantId: string;
  /** The app registration's client id: accepted audiences are it and `api://<clientId>`. */
  clientId: string;
  /** Signing keys: `createEntraKeySource(...)` in production, a local JWKS in unit tests. */
  jwks: JWTVerifyGetKey;
  /** Clock, for tests. */
  now?: () => Date;
  /** Allowed clock skew in seconds (default 60). */
  clockToleranceSeconds?: number;
  /** The delegated scope the console asks for; `scp` must contain it (default `access_as_user`). */
  requiredScope?: string;
  /**
   * Longest lifetime accepted, in seconds: a token issued (`iat`) longer ago, or whose `exp - iat`
   * is longer, is refused. Default one day, the longest access-token lifetime Entra can be
   * configured to issue (the default is 60-90 minutes).
   */
  maxLifetimeSeconds?: number;
}

/** Issue 9 class 3: the scope every accepted access token must carry. */
export const REQUIRED_SCOPE = 'access_as_user';
/** Issue 9 class 3: one day, Entra's longest configurable access-token lifetime. */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
/** Longest token accepted before any parsing (Entra access tokens are a few kilobytes). */
export const MAX_TOKEN_LENGTH = 16_384;

export { expectedIssuer };

/** Verifies `token` and returns its claims, or throws {@link EntraTokenError}. */
export async function verifyEntraAccessToken(token: string, options: EntraVerificationOptions): Promise<EntraAccessTokenClaims> {
  if (token.trim().length === 0) throw new EntraTokenError('empty', 'The token is empty');
  if (token.length > MAX_TOKEN_LENGTH) throw new EntraTokenError('oversized', 'The token is too large');
  const issuer = expectedIssuer(options.authority);
  // Entra puts a tenant in the issuer path: an authority for another tenant is a configuration error.
  if (!issuer.includes(`/${options.tenantId}/`)) {
    throw new EntraTokenError('wrong_issuer', 'The configured authority does not belong to the configured tenant');
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, options.jwks, {
      algorithms: ['RS256'],
      issuer,
      audience: [options.clientId, `api://${options.clientId}`],
      requiredClaims: ['exp', 'iat', 'tid', 'oid'],
      clockTolerance: options.clockToleranceSeconds ?? 60,
      // Issue 9 class 3: `iat` in the future (beyond the skew) or older than the longest lifetime.
      maxTokenAge: options.maxLifetimeSeconds ?? MAX_TOKEN_LIFETIME_SECONDS,
      ...(options.now ? { currentDate: options.now() } : {}),
    }));
  } catch (error) {
    throw toEntraError(error);
  }
  const tid = stringClaim(payload, 'tid');
  const oid = stringClaim(payload, 'oid');
  if (!tid || !oid) throw new EntraTokenError('missing_claims', 'The token has no tid or oid');
  if (tid !== options.tenantId) throw new EntraTokenError('wrong_tenant', 'The token was issued for another tenant');
  const scopes = (stringClaim(payload, 'scp') ?? '').split(' ').filter(Boolean);
  // An id_token is signed by the same keys and may even carry the same audience: only access tokens
  // carry delegated scopes (`scp`); app-only tokens (`roles` without `scp`) have no user either.
  if (scopes.length === 0 || payload['nonce'] !== undefined) {
    throw new EntraTokenError('not_an_access_token', 'The token is not a delegated access token for this API');
  }
  const requiredScope = options.requiredScope ?? REQUIRED_SCOPE;
  if (!scopes.includes(requiredScope)) throw new EntraTokenError('missing_scope', `The token does not carry the scope ${requiredScope}`);
  // A token whose own lifetime is longer than Entra ever issues was not issued by Entra as configured.
  const lifetime = Number(payload.exp) - Number(payload.iat);
  if (!(lifetime <= (options.maxLifetimeSeconds ?? MAX_TOKEN_LIFETIME_SECONDS))) {
    throw new EntraTokenError('lifetime_too_long', 'The token lives longer than any access token Entra issues');
  }
  return { oid, tid, loginName: loginNameOf(payload), name: stringClaim(payload, 'name'), scopes, payload };
}

/**
 * The name a user signed in with, to link an existing platform user on first sign-in: `upn` (work
 * accounts), then `preferred_username`, then `email` only when Entra marks its domain as verified
 * (`xms_edov`), since a plain `email` claim can be set by the user.
 */
function loginNameOf(payload: JWTPayload): string | null {
  const upn = stringClaim(payload, 'upn') ?? stringClaim(payload, 'preferred_username');
  if (upn) return upn.toLowerCase();
  const email = stringClaim(payload, 'email');
  if (email && (payload['xms_edov'] === true || payload['xms_edov'] === '1')) return email.toLowerCase();
  return null;
}

function stringClaim(payload: JWTPayload, name: string): string | null {
  const value = payload[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function toEntraError(error: unknown): EntraTokenError {
  if (error instanceof EntraTokenError) return error;
  if (error instanceof joseErrors.JWTExpired) {
    if (error.claim === 'iat') return new EntraTokenError('too_old', 'The token was issued too long ago');
    return new EntraTokenError('expired', 'The token has expired');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iat' && error.reason === 'check_failed') return new EntraTokenError('issued_in_future', 'The token is issued in the future');
    if (error.claim === 'iss') return new EntraTokenError('wrong_issuer', 'The token issuer is not the configured authority');
    if (error.claim === 'aud') return new EntraTokenError('wrong_audience', 'The token audience is not this API');
    if (error.claim === 'nbf') return new EntraTokenError('not_yet_valid', 'The token is not valid yet');
    return new EntraTokenError('missing_claims', `The token claim "${error.claim}" is missing or invalid`);
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new EntraTokenError('algorithm_not_allowed', 'Only RS256 tokens are accepted');
  if (error instanceof joseErrors.JWKSNoMatchingKey) return new EntraTokenError('unknown_key', 'The token was signed by an unknown key');
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return new EntraTokenError('bad_signature', 'The token signature is invalid');
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) {
    return new EntraTokenError('metadata_unavailable', 'The identity provider keys could not be read');
  }
  if (error instanceof AuthorityMetadataError) return new EntraTokenError('metadata_unavailable', error.message);
  if (error instanceof joseErrors.JOSEError) return new EntraTokenError('malformed', error.message);
  return new EntraTokenError('metadata_unavailable', error instanceof Error ? error.message : String(error));
}

/** Options of {@link createEntraKeySource}. */
export interface EntraKeySourceOptions {
  /** Extra trusted CA (PEM) for the authority's HTTPS endpoints: a local test provider. */
  ca?: string | string[] | undefined;
  /** Replaces the HTTPS client entirely. */
  fetch?: FetchLike;
}

/**
 * Signing keys of an authority, read from its OpenID configuration's `jwks_uri` and cached by jose
 * (unknown `kid` triggers one refetch, rate-limited). The discovery document must name the exact
 * expected issuer and keys on the authority's own host (authority-metadata.ts), so a
 * misconfigured authority fails closed.
 */
export function createEntraKeySource(authority: string, options: EntraKeySourceOptions = {}): JWTVerifyGetKey {
  const fetchImpl = options.fetch ?? createHttpsFetch({ ca: options.ca });
  let remote: Promise<JWTVerifyGetKey> | null = null;
  const load = async (): Promise<JWTVerifyGetKey> => {
    const { jwksUri } = await readAuthorityMetadata(authority, fetchImpl);
    return createRemoteJWKSet(jwksUri, { [customFetch]: fetchImpl, timeoutDuration: 10_000 });
  };
  return async (header, token) => {
    remote ??= load().catch((error: unknown) => {
      remote = null; // retry discovery on the next token rather than caching a failure forever
      throw error;
    });
    return (await remote)(header, token);
  };
}
