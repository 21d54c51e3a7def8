/**
 * The seam for Microsoft SSO (C3, R11), implemented in `auth/microsoft/` by its own issue: it runs
 * the system-browser PKCE flow and exchanges the Entra token for a platform session through
 * `exchange`. The console works without it (`signInMicrosoft` then answers
 * `identity_provider_disabled`).
 */
import type { ProvidersResponse, SessionResponse } from '../../src-shared/platform-api';

/** What the SSO implementation gets for one sign-in. */
export interface MicrosoftSignInRequest {
  /** Account slug typed on the login screen. */
  account: string;
  /** The account's providers (`microsoft` is non-null here). */
  providers: ProvidersResponse;
  /** `POST /auth/microsoft`: turns an Entra access token into a platform session. */
  exchange: (accessToken: string) => Promise<SessionResponse>;
  /**
   * Issue 9 class 13: which cached Microsoft account signs in. A `homeAccountId`: that one (silently
   * when its tokens still work); `null`: another account, through the browser; absent: the only
   * cached account, or the browser when several are cached (never the first one silently).
   */
  homeAccountId?: string | null | undefined;
}

/** A Microsoft account whose tokens this computer keeps for a console account (the picker's rows). */
export interface CachedMicrosoftAccount {
  homeAccountId: string;
  username: string;
  name: string | null;
}

/** Microsoft sign-in, injected into `compose()`. */
export interface MicrosoftSignIn {
  /** Runs the interactive (or silent) flow and resolves with the platform session. */
  signIn(request: MicrosoftSignInRequest): Promise<SessionResponse>;
  /** Stops a sign-in that waits for the browser: it fails with `cancelled` and its loopback closes. */
  cancel?(): void;
  /** The Microsoft accounts cached for a console account (issue 9 class 13: the account picker). */
  listAccounts?(account: string, providers: ProvidersResponse): Promise<CachedMicrosoftAccount[]>;
  /** Forgets cached Microsoft tokens of the account (on sign-out). */
  signOut?(account: string): Promise<void>;
}
