/**
 * Microsoft sign-in in the main process (R11, C3) with `@azure/msal-node`'s PublicClientApplication:
 * authorization code + PKCE in the system browser with MSAL's loopback redirect (RFC 8252; never an
 * embedded window), the token cache persisted through a cache plugin into the encrypted secret
 * store, silent refresh, and sign-out that clears the cache.
 *
 * Authority, client id and scopes come from the platform's provider settings at run time
 * (`GET /auth/providers`), so no build carries a tenant.
 */
import { createHash } from 'node:crypto';
import { InteractionRequiredAuthError, PublicClientApplication, type AccountInfo, type AuthenticationResult, type ICachePlugin } from '@azure/msal-node';
import type { ErrorCode } from '../../../src-shared/errors';
import type { ProvidersResponse, SessionResponse } from '../../../src-shared/platform-api';
import { ServiceError, isUnreachable } from '../../errors';
import type { CachedMicrosoftAccount, MicrosoftSignIn, MicrosoftSignInRequest } from '../microsoft-sign-in';
import { createMsalNetworkClient } from './msal-network-client';

/** The secret store seam (`get/set/delete`), encrypted at rest by the console. */
export interface MicrosoftSecretStore {
  get(key: string): Promise<string | null | undefined> | string | null | undefined;
  set(key: string, value: string): Promise<void> | void;
  delete(key: string): Promise<void> | void;
}

/** The account's Microsoft provider settings, as `GET /auth/providers` returns them. */
export interface MicrosoftProviderSettings {
  /** Entra authority or issuer: `https://login.microsoftonline.com/<tenant>` (a trailing `/v2.0` is accepted). */
  authority: string;
  clientId: string;
  /** e.g. `api://<clientId>/access_as_user`, `offline_access`. */
  scopes: string[];
}

/** What a sign-in or silent refresh yields: an access token for the platform API. */
export interface MicrosoftTokens {
  accessToken: string;
  expiresOn: Date | null;
  /** MSAL's home account id (`<oid>.<tid>`), the key silent refresh and sign-out use. */
  homeAccountId: string;
  username: string;
  name: string | null;
  fromCache: boolean;
}

/** Why Microsoft sign-in failed: a shared error code for the IPC layer plus MSAL's reason. */
export class MicrosoftSignInError extends ServiceError {
  constructor(
    readonly reason: 'cancelled' | 'timeout' | 'interaction_required' | 'network_error' | 'invalid_settings' | 'failed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(CODE_OF_REASON[reason], message, { details: { reason }, ...(options?.cause !== undefined ? { cause: options.cause } : {}) });
    this.name = 'MicrosoftSignInError';
  }
}

const CODE_OF_REASON: Record<MicrosoftSignInError['reason'], ErrorCode> = {
  cancelled: 'cancelled',
  timeout: 'timeout',
  interaction_required: 'not_signed_in',
  network_error: 'network_error',
  invalid_settings: 'identity_provider_disabled',
  failed: 'internal_error',
};

/** Dependencies of {@link MsalMicrosoftSignIn}: small interfaces so it runs in plain Node under test. */
export interface MsalMicrosoftSignInOptions {
  secretStore: MicrosoftSecretStore;
  /** Opens the system browser (Electron's `shell.openExternal`); tests drive the pages over HTTP. */
  openBrowser: (url: string) => Promise<void>;
  /** Extra trusted CA (PEM) for the authority: a local test provider, or a corporate TLS proxy. */
  ca?: string | string[] | undefined;
  /** How long the user has to finish signing in the browser (default 5 minutes). */
  interactiveTimeoutMs?: number;
  /** Secret-store key prefix of the serialized MSAL cache (`[a-z0-9-]`). */
  cacheKeyPrefix?: string;
  /** Told when the secret store refuses a cache (kept for this run only instead). */
  onStoreError?: (error: unknown) => void;
  /** HTML shown in the browser after the redirect. */
  successTemplate?: string;
  errorTemplate?: string;
}

const DEFAULT_SUCCESS_PAGE =
  '<!doctype html><meta charset="utf-8"><title>Omniconsole</title><p>Login concluído. Você pode fechar esta janela e voltar ao Omniconsole.</p><p lang="en">Signed in. You can close this window.</p>';
const DEFAULT_ERROR_PAGE =
  '<!doctype html><meta charset="utf-8"><title>Omniconsole</title><p>Não foi possível concluir o login Microsoft. Volte ao Omniconsole.</p><p lang="en">Microsoft sign-in failed.</p>';

/** MSAL authority from provider settings: Entra's issuer ends in `/v2.0`, MSAL's authority does not. */
export function msalAuthorityOf(settings: Pick<MicrosoftProviderSettings, 'authority'>): string {
  return settings.authority.trim().replace(/\/+$/, '').replace(/\/v2\.0$/, '');
}

/**
 * Microsoft sign-in service behind the console's `MicrosoftSignIn` seam: one PublicClientApplication
 * per (account, authority, client id); the MSAL cache of an account lives in the secret store under
 * one key, so sign-out can clear it even after a restart.
 */
export class MsalMicrosoftSignIn implements MicrosoftSignIn {
  private readonly apps = new Map<string, PublicClientApplication>();
  /**
   * Caches the secret store refused to keep (e.g. no OS keychain): held in memory for this run
   * only, so Microsoft sign-in still works, as password sessions do (issue 9 class 13).
   */
  private readonly runOnly = new Map<string, string>();
  /** The interactive sign-in waiting for the browser, for `cancel()`. */
  private waiting: { cancel(): void } | null = null;

  constructor(private readonly options: MsalMicrosoftSignInOptions) {}

  /**
   * The seam: a cached Microsoft account is refreshed silently (no browser); otherwise, or when the
   * platform refuses the cached token, the interactive flow runs. The access token is exchanged for
   * a platform session through `request.exchange` (`POST /auth/microsoft`).
   */
  async signIn(request: MicrosoftSignInRequest): Promise<SessionResponse> {
    const settings = request.providers.microsoft;
    if (!settings) throw new MicrosoftSignInError('invalid_settings', 'Microsoft sign-in is not enabled for this account');
    let silent: MicrosoftTokens | null = null;
    try {
      // `null`: the person asked for another account, so no cached one is used.
      if (request.homeAccountId !== null) silent = await this.acquireTokenSilent(request.account, settings, { homeAccountId: request.homeAccountId });
    } catch (error) {
      if (!(error instanceof MicrosoftSignInError && error.reason === 'interaction_required')) throw error;
    }
    if (silent) {
      try {
        return await this.exchangeOrForget(request, settings, silent);
      } catch (error) {
        // A token the platform no longer accepts (revoked link, changed settings): sign in again.
        if (!(error instanceof ServiceError && error.code === 'invalid_token')) throw error;
      }
    }
    const tokens = await this.signInInteractive(request.account, settings);
    return this.exchangeOrForget(request, settings, tokens);
  }

  /**
   * Exchanges the token for a platform session. When the console refuses the person (e.g. R2: an
   * agent has no console access), their Microsoft account is removed from the cache, so it is never
   * offered or used silently again; an unreachable platform keeps it.
   */
  private async exchangeOrForget(request: MicrosoftSignInRequest, settings: MicrosoftProviderSettings, tokens: MicrosoftTokens): Promise<SessionResponse> {
    try {
      return await request.exchange(tokens.accessToken);
    } catch (error) {
      const refused = error instanceof ServiceError && !isUnreachable(error) && error.code !== 'invalid_token';
      if (refused) await this.forgetAccount(request.account, settings, tokens.homeAccountId);
      throw error;
    }
  }

  /** Removes one Microsoft account from a console account's cache (persisted through the plugin). */
  private async forgetAccount(account: string, settings: MicrosoftProviderSettings, homeAccountId: string): Promise<void> {
    const cache = this.appFor(account, settings).getTokenCache();
    const cached = await cache.getAccountByHomeId(homeAccountId);
    if (cached) await cache.removeAccount(cached);
  }

  /**
   * Interactive sign-in in the system browser (auth code + PKCE, loopback redirect). When the user
   * does not finish in time, the pending loopback listener is answered with an error so MSAL closes
   * its port instead of listening forever.
   */
  async signInInteractive(account: string, settings: MicrosoftProviderSettings): Promise<MicrosoftTokens> {
    const app = this.appFor(account, settings);
    const timeoutMs = this.options.interactiveTimeoutMs ?? 5 * 60_000;
    let authorizeUrl: string | null = null;
    let timer: NodeJS.Timeout | undefined;
    const cancelledFlag = { value: false };
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new MicrosoftSignInError('timeout', 'Microsoft sign-in was not completed in time'));
        if (authorizeUrl) void abandonLoopback(authorizeUrl);
      }, timeoutMs);
    });
    const interactive = app.acquireTokenInteractive({
      scopes: settings.scopes,
      // Only the authority's HTTPS authorize URL ever reaches the system browser.
      openBrowser: async (url) => {
        // Cancelled before the browser opened: MSAL closes its listener when this throws.
        if (cancelledFlag.value) throw new MicrosoftSignInError('cancelled', 'Microsoft sign-in was cancelled');
        if (!url.startsWith('https://')) throw new MicrosoftSignInError('invalid_settings', 'Refusing to open a non-HTTPS sign-in URL');
        authorizeUrl = url;
        await this.options.openBrowser(url);
      },
      successTemplate: this.options.successTemplate ?? DEFAULT_SUCCESS_PAGE,
      errorTemplate: this.options.errorTemplate ?? DEFAULT_ERROR_PAGE,
    });
    interactive.catch(() => {}); // after a timeout or a cancel its (abandoned) rejection is expected
    const cancelled = new Promise<never>((_resolve, reject) => {
      this.waiting = {
        cancel: () => {
          cancelledFlag.value = true;
          reject(new MicrosoftSignInError('cancelled', 'Microsoft sign-in was cancelled'));
          // The only way to make msal-node close its loopback port at once.
          if (authorizeUrl) void abandonLoopback(authorizeUrl);
        },
      };
    });
    try {
      return toTokens(await Promise.race([interactive, timeout, cancelled]), false);
    } catch (error) {
      throw toSignInError(error);
    } finally {
      clearTimeout(timer);
      this.waiting = null;
    }
  }

  /** Cancels the interactive sign-in waiting for the browser (issue 9 class 13). */
  cancel(): void {
    this.waiting?.cancel();
  }

  /**
   * A valid access token from the persisted cache, refreshed with the refresh token when it is
   * expired or close to expiry (MSAL renews 5 minutes ahead). `null` without a cached account;
   * `interaction_required` when the refresh token no longer works.
   */
  async acquireTokenSilent(
    account: string,
    settings: MicrosoftProviderSettings,
    options: { forceRefresh?: boolean; homeAccountId?: string | undefined } = {},
  ): Promise<MicrosoftTokens | null> {
    const app = this.appFor(account, settings);
    const cached = await this.accountOf(app, options.homeAccountId);
    if (!cached) return null;
    try {
      const result = await app.acquireTokenSilent({ account: cached, scopes: settings.scopes, forceRefresh: options.forceRefresh ?? false });
      return toTokens(result, result.fromCache);
    } catch (error) {
      throw toSignInError(error);
    }
  }

  /** The cached Microsoft account of a console account, if any (survives restarts). */
  async currentAccount(account: string, settings: MicrosoftProviderSettings): Promise<Pick<MicrosoftTokens, 'homeAccountId' | 'username' | 'name'> | null> {
    const cached = await this.accountOf(this.appFor(account, settings));
    return cached ? { homeAccountId: cached.homeAccountId, username: cached.username, name: cached.name ?? null } : null;
  }

  /**
   * Signs out locally: removes the cached accounts of the console account and deletes its persisted
   * MSAL cache. (The Entra browser session is left alone, as for any system-browser sign-in.)
   */
  async signOut(account: string): Promise<void> {
    for (const [key, app] of this.apps) {
      if (!key.startsWith(`${account}\u0000`)) continue;
      const cache = app.getTokenCache();
      for (const cached of await cache.getAllAccounts()) await cache.removeAccount(cached);
      this.apps.delete(key);
    }
    this.runOnly.delete(this.secretKey(account));
    await this.options.secretStore.delete(this.secretKey(account));
  }

  /** The Microsoft accounts cached for a console account, for the sign-in screen's picker. */
  async listAccounts(account: string, providers: ProvidersResponse): Promise<CachedMicrosoftAccount[]> {
    const settings = providers.microsoft;
    if (!settings) return [];
    const accounts = await this.appFor(account, settings).getTokenCache().getAllAccounts();
    return accounts.map((a) => ({ homeAccountId: a.homeAccountId, username: a.username, name: a.name ?? null }));
  }

  /**
   * The cached account to use: the one asked for by `homeAccountId`, else the only one. With several
   * cached and none chosen, none (issue 9 class 13: never the first one silently).
   */
  private async accountOf(app: PublicClientApplication, homeAccountId?: string): Promise<AccountInfo | null> {
    const accounts = await app.getTokenCache().getAllAccounts();
    if (homeAccountId !== undefined) return accounts.find((a) => a.homeAccountId === homeAccountId) ?? null;
    return accounts.length === 1 ? (accounts[0] ?? null) : null;
  }

  /** Secret-store keys are `[a-z0-9-]{1,64}`: hash the account slug. */
  private secretKey(account: string): string {
    return `${this.options.cacheKeyPrefix ?? 'msal-cache'}-${createHash('sha256').update(account).digest('hex').slice(0, 40)}`;
  }

  private appFor(account: string, settings: MicrosoftProviderSettings): PublicClientApplication {
    validateSettings(settings);
    const authority = msalAuthorityOf(settings);
    const appKey = `${account}\u0000${authority}\u0000${settings.clientId}`;
    const existing = this.apps.get(appKey);
    if (existing) return existing;
    const key = this.secretKey(account);
    const store = this.options.secretStore;
    const cachePlugin: ICachePlugin = {
      beforeCacheAccess: async (context) => {
        const serialized = this.runOnly.get(key) ?? (await Promise.resolve(store.get(key)).catch(() => null));
        if (serialized) context.tokenCache.deserialize(serialized);
      },
      afterCacheAccess: async (context) => {
        if (!context.cacheHasChanged) return;
        const serialized = context.tokenCache.serialize();
        try {
          await store.set(key, serialized);
          this.runOnly.delete(key);
        } catch (error) {
          // Never a reason to fail the sign-in, nor to store tokens in plain text: this run only.
          this.runOnly.set(key, serialized);
          this.options.onStoreError?.(error);
        }
      },
    };
    const app = new PublicClientApplication({
      auth: {
        clientId: settings.clientId,
        authority,
        // Trust the configured authority's host as is: no instance-discovery call, and a
        // tenant-specific authority (never /common) so only that tenant's users can sign in.
        knownAuthorities: [new URL(authority).host],
      },
      cache: { cachePlugin },
      system: this.options.ca ? { networkClient: createMsalNetworkClient(this.options.ca) } : {},
    });
    this.apps.set(appKey, app);
    return app;
  }
}

/**
 * Answers MSAL's pending loopback listener with an OAuth error (form_post, matching state), the only
 * way to make msal-node close its loopback port once the user abandoned the sign-in.
 */
async function abandonLoopback(authorizeUrl: string): Promise<void> {
  try {
    const params = new URL(authorizeUrl).searchParams;
    const redirect = new URL(params.get('redirect_uri') ?? '');
    const state = params.get('state');
    if (redirect.protocol !== 'http:' || !['localhost', '127.0.0.1'].includes(redirect.hostname) || !state) return;
    redirect.hostname = '127.0.0.1'; // msal-node listens on 127.0.0.1 only
    await fetch(new URL('/', redirect), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ error: 'access_denied', error_description: 'sign-in timed out', state }).toString(),
      signal: AbortSignal.timeout(2_000),
    });
  } catch {
    // Already closed: nothing to release.
  }
}

function validateSettings(settings: MicrosoftProviderSettings): void {
  let url: URL;
  try {
    url = new URL(msalAuthorityOf(settings));
  } catch {
    throw new MicrosoftSignInError('invalid_settings', 'The Microsoft authority is not a URL');
  }
  if (url.protocol !== 'https:') throw new MicrosoftSignInError('invalid_settings', 'The Microsoft authority must use HTTPS');
  if (!settings.clientId || settings.scopes.length === 0) throw new MicrosoftSignInError('invalid_settings', 'Client id and scopes are required');
}

function toTokens(result: AuthenticationResult, fromCache: boolean): MicrosoftTokens {
  if (!result.account || !result.accessToken) throw new MicrosoftSignInError('failed', 'Microsoft returned no access token');
  return {
    accessToken: result.accessToken,
    expiresOn: result.expiresOn ?? null,
    homeAccountId: result.account.homeAccountId,
    username: result.account.username,
    name: result.account.name ?? null,
    fromCache,
  };
}

function toSignInError(error: unknown): MicrosoftSignInError {
  if (error instanceof MicrosoftSignInError) return error;
  if (error instanceof InteractionRequiredAuthError) return new MicrosoftSignInError('interaction_required', error.message, { cause: error });
  const code = (error as { errorCode?: string } | null)?.errorCode ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'user_cancelled' || code === 'access_denied') return new MicrosoftSignInError('cancelled', message, { cause: error });
  if (/network|ECONNREFUSED|ENOTFOUND|timeout|endpoints_resolution/i.test(`${code} ${message}`)) {
    return new MicrosoftSignInError('network_error', message, { cause: error });
  }
  return new MicrosoftSignInError('failed', message, { cause: error });
}
