/**
 * Issue 9 class 2: reading an authority's OpenID configuration and signing keys, shared by the key
 * source of sign-in and by the check made when an account enables its provider. The discovery
 * document must name exactly the expected issuer and a `jwks_uri` on the authority's own host, and
 * the key set must hold at least one RSA signing key.
 */
import type { FetchLike } from './https-fetch';

/** The exact issuer Entra puts in v2.0 tokens of a tenant: `<authority without /v2.0>/v2.0`. */
export function expectedIssuer(authority: string): string {
  const base = authority.trim().replace(/\/+$/, '').replace(/\/v2\.0$/, '');
  return `${base}/v2.0`;
}

/** Why an authority's metadata is not usable: `reason` is stable (tests, `details.reason`). */
export class AuthorityMetadataError extends Error {
  override name = 'AuthorityMetadataError';
  constructor(
    readonly reason: 'openid_configuration_unreachable' | 'openid_configuration_invalid' | 'issuer_mismatch' | 'jwks_uri_invalid' | 'keys_unreachable' | 'no_signing_keys',
    message: string,
    readonly details: Record<string, string> = {},
  ) {
    super(message);
  }
}

async function getJson(fetchImpl: FetchLike, url: string, unreachable: AuthorityMetadataError['reason']): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    throw new AuthorityMetadataError(unreachable, `${url} did not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (response.status !== 200) throw new AuthorityMetadataError(unreachable, `${url} answered ${response.status}`);
  try {
    return await response.json();
  } catch {
    throw new AuthorityMetadataError(unreachable === 'keys_unreachable' ? 'no_signing_keys' : 'openid_configuration_invalid', `${url} did not answer JSON`);
  }
}

/** Reads the authority's OpenID configuration; returns its checked `jwks_uri`. */
export async function readAuthorityMetadata(authority: string, fetchImpl: FetchLike): Promise<{ issuer: string; jwksUri: URL }> {
  const issuer = expectedIssuer(authority);
  const metadata = (await getJson(fetchImpl, `${issuer}/.well-known/openid-configuration`, 'openid_configuration_unreachable')) as { issuer?: unknown; jwks_uri?: unknown } | null;
  if (!metadata || typeof metadata !== 'object') throw new AuthorityMetadataError('openid_configuration_invalid', 'The OpenID configuration is not an object');
  if (metadata.issuer !== issuer) {
    throw new AuthorityMetadataError('issuer_mismatch', `The OpenID configuration names issuer ${String(metadata.issuer)}, expected ${issuer}`, { expected: issuer, found: String(metadata.issuer) });
  }
  let jwksUri: URL;
  try {
    jwksUri = new URL(String(metadata.jwks_uri));
  } catch {
    throw new AuthorityMetadataError('jwks_uri_invalid', 'The OpenID configuration has no jwks_uri');
  }
  // Keys come from the authority itself, never from a host its discovery document points elsewhere.
  if (jwksUri.protocol !== 'https:' || jwksUri.origin !== new URL(issuer).origin) {
    throw new AuthorityMetadataError('jwks_uri_invalid', `The jwks_uri ${jwksUri.href} is not on the authority's host`);
  }
  return { issuer, jwksUri };
}

/** Reads the configuration and the key set once: what enabling a provider checks (422 otherwise). */
export async function probeAuthority(authority: string, fetchImpl: FetchLike): Promise<void> {
  const { jwksUri } = await readAuthorityMetadata(authority, fetchImpl);
  const jwks = (await getJson(fetchImpl, jwksUri.href, 'keys_unreachable')) as { keys?: unknown } | null;
  const keys = jwks && Array.isArray(jwks.keys) ? (jwks.keys as { kty?: unknown; use?: unknown }[]) : [];
  if (!keys.some((key) => key && key.kty === 'RSA' && (key.use === undefined || key.use === 'sig'))) {
    throw new AuthorityMetadataError('no_signing_keys', 'The key set has no RSA signing key');
  }
}
