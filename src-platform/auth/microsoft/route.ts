/**
 * `POST /api/v1/auth/microsoft` (R11, C3): exchanges an Entra access token for a platform session.
 * Public route; every refusal counts against the per-IP login limit like password failures.
 */
import { readFileSync } from 'node:fs';
import type { JWTVerifyGetKey } from 'jose';
import { MicrosoftLoginRequestSchema, SessionResponseSchema } from '../../../src-shared/platform-api';
import { DomainError } from '../../domain/errors';
import type { IdentityProviderChecks } from '../../domain/accounts';
import { responses, type RouteDeps, type RouteModule } from '../../routes/http';
import { AuthorityMetadataError, probeAuthority } from './authority-metadata';
import { createHttpsFetch, type FetchLike } from './https-fetch';
import { signInWithMicrosoft } from './microsoft-sign-in';
import { createEntraKeySource, type EntraKeySourceOptions } from './verify-entra-token';

/** Options of {@link createMicrosoftAuthRoutes}. */
export interface MicrosoftAuthRouteOptions {
  /**
   * Extra trusted CA (PEM) for the authority's HTTPS endpoints, read when a key source is built. The
   * default is the platform's `microsoftCa` option, else the file named by
   * `OMNICONSOLE_MICROSOFT_CA_FILE`, so no NODE_EXTRA_CA_CERTS is needed at process start.
   */
  ca?: () => string | undefined;
  /** Replaces the HTTPS client used for discovery and JWKS. */
  fetch?: EntraKeySourceOptions['fetch'];
}

/** Reads `OMNICONSOLE_MICROSOFT_CA_FILE` if set. */
export function caFromEnvironment(): string | undefined {
  const file = process.env['OMNICONSOLE_MICROSOFT_CA_FILE'];
  return file ? readFileSync(file, 'utf8') : undefined;
}

/**
 * Issue 9 class 2: the checks of identity-provider settings for this platform: its start options'
 * test authorities, and a probe that reads the authority's OpenID configuration and keys over
 * HTTPS (trusting the platform's extra CA), turning every failure into a 422 with the reason.
 */
export function identityProviderChecks(deps: RouteDeps, fetchImpl?: FetchLike): IdentityProviderChecks {
  return {
    extraAuthorityOrigins: deps.microsoftTestAuthorities ?? [],
    async probe(authority) {
      try {
        await probeAuthority(authority, fetchImpl ?? createHttpsFetch({ ca: deps.microsoftCa ?? caFromEnvironment() }));
      } catch (error) {
        if (!(error instanceof AuthorityMetadataError)) throw error;
        const code = error.reason === 'issuer_mismatch' ? 'identity_provider_issuer_mismatch' : 'identity_provider_unreachable';
        throw new DomainError(code, { fieldErrors: { authority: [code] }, details: { reason: error.reason, message: error.message, ...error.details } });
      }
    },
  };
}

/** OpenAPI: the Microsoft sign-in operation. */
const MICROSOFT_DOC = {
  operationId: 'loginWithMicrosoft',
  summary: 'Sign in with a Microsoft access token',
  description:
    "R11: exchanges an Entra ID v2.0 access token of the account's configured tenant and app (scope `access_as_user`) for a bearer session of " +
    'the user it names (matched by `oid`, first linked by email or login = UPN; nobody is created). Every refusal is 401 and counts toward the per-IP limit (429).',
  security: [],
} as const;

/** Builds the route module; key sources (discovery + JWKS cache) live per platform instance. */
export function createMicrosoftAuthRoutes(options: MicrosoftAuthRouteOptions = {}): RouteModule {
  return (app, deps) => {
    const keySources = new Map<string, JWTVerifyGetKey>();
    const keySourceFor = (authority: string): JWTVerifyGetKey => {
      const ca = options.ca ? options.ca() : (deps.microsoftCa ?? caFromEnvironment());
      const cacheKey = `${authority}\u0000${ca ?? ''}`;
      let source = keySources.get(cacheKey);
      if (!source) {
        source = createEntraKeySource(authority, { ca, ...(options.fetch ? { fetch: options.fetch } : {}) });
        keySources.set(cacheKey, source);
      }
      return source;
    };

    app.post('/api/v1/auth/microsoft', { schema: { ...MICROSOFT_DOC, response: responses(200, SessionResponseSchema, ['invalid_token', 'invalid_credentials', 'identity_provider_disabled', 'rate_limited']), body: MicrosoftLoginRequestSchema, tags: ['auth'] } }, async (request) => {
      const wait = await deps.limits.perIp.retryAfterSeconds(request.ip);
      if (wait > 0) throw new DomainError('rate_limited', { headers: { 'retry-after': String(wait) }, details: { retryAfterSeconds: wait } });
      try {
        return await signInWithMicrosoft(deps.ctx, keySourceFor, request.body, deps.microsoftTestAuthorities ?? []);
      } catch (error) {
        // Issue 9 class 3: every refusal counts, including probes of accounts without a provider.
        if (error instanceof DomainError && ['invalid_token', 'invalid_credentials', 'identity_provider_disabled'].includes(error.code)) await deps.limits.perIp.fail(request.ip);
        throw error;
      }
    });
  };
}

/** The registered module (system trust store, plus the platform's `microsoftCa` or `OMNICONSOLE_MICROSOFT_CA_FILE`). */
export const microsoftAuthRoutes: RouteModule = createMicrosoftAuthRoutes();
