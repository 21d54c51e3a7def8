/**
 * Microsoft sign-in in the main process (R11, C3) with `@azure/msal-node`'s PublicClientApplication:
 * authorization code + PKCE in the system browser with MSAL's loopback redirect (RFC 8252; never an
 * embedded window), the token cache persisted through a cache plugin into the encrypted secret
 * store, silent refresh, and sign-out that clears the cache.
 *
 * Authority, client id and scopes come from the platform's provider settings at run time
 * (`GET /auth/providers`), so no build carries a tenant.
 */
import { InteractionRequiredAuthError, PublicClientApplication, type AccountInfo, type AuthenticationResult, type ICachePlugin } from '@azure/msal-node';
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
  tenantId: string;
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

/** Why Microsoft sign-in failed, with a code the IPC layer maps to an `ApiError`. */
export class MicrosoftSignInError extends Error {
  constructor(
    readonly code: 'cancelled' | 'timeout' | 'interaction_required' | 'network_error' | 'invalid_settings' | 'failed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MicrosoftSignInError';
  }
}

/** Dependencies of {@link MsalMicrosoftSignIn}: small interfaces so it runs in plain Node under test. */
export interface MsalMicrosoftSignInOptions {
  secretStore: MicrosoftSecretStore;
  /** Opens the system browser (Electron's `shell.openExternal`); tests drive the pages over HTTP. */
  openBrowser: (url: string) => Promise<void>;
  /** Extra trusted CA (PEM) for the authority: a local test provider, or a corporate TLS proxy. */
  ca?: string | string[] | undefined;
  /** How long the user has to finish signing in the browser (default 5 minutes). */
  interactiveTimeoutMs?: number;
  /** Secret-store key prefix of the serialized MSAL cache. */
  cacheKeyPrefix?: string;
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

/** Microsoft sign-in service: one PublicClientApplication per (authority, client id). */
export class MsalMicrosoftSignIn {
  private readonly apps = new Map<string, PublicClientApplication>();

  constructor(private readonly options: MsalMicrosoftSignInOptions) {}

  /** Interactive sign-in in the system browser (auth code + PKCE, loopback redirect). */
  async signIn(settings: MicrosoftProviderSettings): Promise<MicrosoftTokens> {
    const app = this.appFor(settings);
    const timeoutMs = this.options.interactiveTimeoutMs ?? 5 * 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new MicrosoftSignInError('timeout', 'Microsoft sign-in was not completed in time')), timeoutMs);
    });
    try {
      const result = await Promise.race([
        app.acquireTokenInteractive({
          scopes: settings.scopes,
          openBrowser: this.options.openBrowser,
          successTemplate: this.options.successTemplate ?? DEFAULT_SUCCESS_PAGE,
          errorTemplate: this.options.errorTemplate ?? DEFAULT_ERROR_PAGE,
        }),
        timeout,
      ]);
      return toTokens(result, false);
    } catch (error) {
      throw toSignInError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Returns a valid access token from the persisted cache, refreshing it with the refresh token when
   * it is expired or close to expiry. `null` when there is no signed-in Microsoft account; throws
   * `interaction_required` when the refresh token no longer works.
   */
  async acquireTokenSilent(settings: MicrosoftProviderSettings, options: { forceRefresh?: boolean } = {}): Promise<MicrosoftTokens | null> {
    const app = this.appFor(settings);
    const account = await this.accountOf(app);
    if (!account) return null;
    try {
      const result = await app.acquireTokenSilent({ account, scopes: settings.scopes, forceRefresh: options.forceRefresh ?? false });
      return toTokens(result, result.fromCache);
    } catch (error) {
      throw toSignInError(error);
    }
  }

  /** The cached account, if any (survives restarts through the secret store). */
  async currentAccount(settings: MicrosoftProviderSettings): Promise<Pick<MicrosoftTokens, 'homeAccountId' | 'username' | 'name'> | null> {
    const account = await this.accountOf(this.appFor(settings));
    return account ? { homeAccountId: account.homeAccountId, username: account.username, name: account.name ?? null } : null;
  }

  /**
   * Signs out locally: removes every cached account and deletes the persisted cache from the secret
   * store. (The Entra browser session is left alone; the next sign-in may still be one click.)
   */
  async signOut(settings?: MicrosoftProviderSettings): Promise<void> {
    const apps = settings ? [this.appFor(settings)] : [...this.apps.values()];
    for (const app of apps) {
      const cache = app.getTokenCache();
      for (const account of await cache.getAllAccounts()) await cache.removeAccount(account);
    }
    if (settings) await this.options.secretStore.delete(this.cacheKey(settings));
    else for (const key of this.apps.keys()) await this.options.secretStore.delete(key);
    if (!settings) this.apps.clear();
  }

  private async accountOf(app: PublicClientApplication): Promise<AccountInfo | null> {
    const accounts = await app.getTokenCache().getAllAccounts();
    return accounts[0] ?? null;
  }

  private cacheKey(settings: MicrosoftProviderSettings): string {
    return `${this.options.cacheKeyPrefix ?? 'msal-cache'}:${settings.tenantId}:${settings.clientId}`;
  }

  private appFor(settings: MicrosoftProviderSettings): PublicClientApplication {
    validateSettings(settings);
    const key = this.cacheKey(settings);
    const existing = this.apps.get(key);
    if (existing) return existing;
    const authority = msalAuthorityOf(settings);
    const store = this.options.secretStore;
    const cachePlugin: ICachePlugin = {
      beforeCacheAccess: async (context) => {
        const serialized = await store.get(key);
        if (serialized) context.tokenCache.deserialize(serialized);
      },
      afterCacheAccess: async (context) => {
        if (context.cacheHasChanged) await store.set(key, context.tokenCache.serialize());
      },
    };
    const app = new PublicClientApplication({
      auth: {
        clientId: settings.clientId,
        authority,
        // Trust the configured authority's host as is: no instance discovery call to Microsoft, and
        // a tenant-specific authority (never /common) so only this tenant's users can sign in.
        knownAuthorities: [new URL(authority).host],
      },
      cache: { cachePlugin },
      system: this.options.ca ? { networkClient: createMsalNetworkClient(this.options.ca) } : {},
    });
    this.apps.set(key, app);
    return app;
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
