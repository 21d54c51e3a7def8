/**
 * Sessions: platform password sign-in, sessions obtained by other means (Microsoft SSO through the
 * `MicrosoftSignIn` seam), restore at start, and offline start from the last signed-in account
 * (C1). The token lives only here and, at rest, encrypted in the `SecretStore`.
 */
import { z } from 'zod';
import { AccountSchema, UserSchema, permissions, type Account, type User } from '../../src-shared/domain';
import type { SessionState } from '../../src-shared/ipc-contract';
import type { LoginRequest, SessionResponse } from '../../src-shared/platform-api';
import { ServiceError, isUnreachable } from '../errors';
import { accountKey } from '../cache/account-key';
import type { ConsoleCache } from '../cache/console-cache';
import type { EventBus } from '../events/event-bus';
import type { PlatformClient } from '../platform/platform-client';
import type { ConnectionMonitor } from '../sync/connection-monitor';
import type { CachedMicrosoftAccount, MicrosoftSignIn } from './microsoft-sign-in';
import type { SecretStore } from './secret-store';

/** Secret-store key of the persisted session. */
export const SESSION_SECRET_KEY = 'platform-session';

const StoredSessionSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: UserSchema,
  account: AccountSchema,
  method: z.enum(['password', 'microsoft']),
});
type StoredSession = z.infer<typeof StoredSessionSchema>;

export interface AuthServiceOptions {
  client: PlatformClient;
  secretStore: SecretStore;
  cache: ConsoleCache;
  events: EventBus;
  connection: ConnectionMonitor;
  platformUrl: string;
  /**
   * C6: which platform the cache's data comes from (its origin, or `embedded`: the embedded
   * platform's port changes at every start, its data folder does not).
   */
  platformKey: string;
  microsoftSignIn?: MicrosoftSignIn | undefined;
  /** Where a failure to persist the session, or to re-check it on reconnect, is reported. */
  logError?: (err: unknown, context: string) => void;
}

/**
 * Owns the current session. Follows the platform client's 401 event (the session is over) and the
 * connection's `onDidChangeConnection` (back online: re-check the session); announces through
 * `onActiveChange` when work (syncing) may run.
 */
export class AuthService {
  private session: StoredSession | null = null;
  /** The Microsoft sign-in in progress (a Cancel marks it). */
  private microsoftAttempt: { cancelled: boolean } | null = null;
  private readonly activeListeners = new Set<(active: boolean) => void | Promise<void>>();

  constructor(private readonly opts: AuthServiceOptions) {
    opts.client.onUnauthorized(() => void this.expire().catch((err: unknown) => opts.logError?.(err, 'expire session')));
    opts.events.on('onDidChangeConnection', ({ online }) => {
      if (online) void this.revalidate().catch((err: unknown) => opts.logError?.(err, 'revalidate'));
    });
  }

  /**
   * Subscribes to whether work may run for the session: `true` after a session starts or is
   * restored online once its password is final (start syncing); `false` when it ends, changes
   * account, or starts with a temporary password (R9: stop syncing). Returns the unsubscribe.
   */
  onActiveChange(listener: (active: boolean) => void | Promise<void>): () => void {
    this.activeListeners.add(listener);
    return () => this.activeListeners.delete(listener);
  }

  /** Resolves once every listener has settled (a stopping sync has let go of the cache file). */
  private async announce(active: boolean): Promise<void> {
    const settled = await Promise.allSettled([...this.activeListeners].map(async (listener) => listener(active)));
    for (const r of settled) if (r.status === 'rejected') this.opts.logError?.(r.reason, 'session activity listener');
  }

  /**
   * C6: the cache key of the signed-in account on this platform (every cache read and write goes
   * through it), or `not_signed_in` (`console_access_denied` without console access, R2).
   */
  requireAccountKey(): string {
    const key = this.accountKey();
    if (key) return key;
    throw new ServiceError(this.session ? 'console_access_denied' : 'not_signed_in');
  }

  /** The cache key of the signed-in account, or null (signed out, or no console access). */
  accountKey(): string | null {
    const s = this.session;
    return s && permissions.canUseConsole(s.user.profile) ? this.keyOf(s) : null;
  }

  private keyOf(s: StoredSession): string {
    return accountKey(this.opts.platformKey, s.account.id);
  }

  get currentUser(): User | null {
    return this.session?.user ?? null;
  }

  get currentAccount(): Account | null {
    return this.session?.account ?? null;
  }

  /** The session as the renderer sees it (no token). */
  getSession(): SessionState {
    const { connection, cache } = this.opts;
    const s = this.session;
    const lastSyncAt = s ? cache.getSyncState(this.keyOf(s)).lastSyncAt : null;
    return {
      status: !s ? 'signedOut' : connection.online ? 'signedIn' : 'offline',
      user: s?.user ?? null,
      account: s?.account ?? null,
      platformUrl: this.opts.platformUrl,
      online: connection.online,
      offlineSince: connection.offlineSince,
      lastSyncAt,
      method: s?.method ?? null,
    };
  }

  /**
   * At start: reads the stored session and checks it with the platform. Unreachable → offline
   * with the cached account (C1); 401 → signed out.
   */
  async restore(): Promise<void> {
    const raw = await this.opts.secretStore.get(SESSION_SECRET_KEY);
    if (!raw) {
      // Still learn whether the platform answers, so the login screen can say so.
      await this.opts.client.probe();
      return;
    }
    let stored: StoredSession;
    try {
      stored = StoredSessionSchema.parse(JSON.parse(raw));
    } catch {
      await this.opts.secretStore.delete(SESSION_SECRET_KEY);
      return;
    }
    // R2: never reopen (even offline, from the cache) a session of a profile without console access.
    if (!permissions.canUseConsole(stored.user.profile)) {
      await this.opts.secretStore.delete(SESSION_SECRET_KEY);
      return;
    }
    this.session = stored;
    this.opts.client.setToken(stored.token);
    // One short probe first: an unreachable platform must not hold the window for a full
    // timeout-and-retry cycle; the console opens offline at once and keeps probing (C1).
    if (!(await this.opts.client.probe())) return;
    await this.revalidate();
  }

  /** Re-reads the session's user from the platform (at start and after reconnecting). */
  async revalidate(): Promise<void> {
    const s = this.session;
    if (!s) return;
    try {
      const me = await this.opts.client.me();
      if (this.session !== s) return;
      if (!permissions.canUseConsole(me.user.profile)) {
        // R2: the profile lost console access since it signed in (e.g. made an agent).
        await this.opts.client.logout().catch(() => undefined);
        await this.clear();
        this.opts.events.emit('onDidExpireSession', { code: 'console_access_denied' });
        return;
      }
      this.session = { ...s, user: me.user, account: me.account };
      this.opts.cache.saveAccount(this.keyOf(this.session), me.account);
      await this.persist();
      this.startWork();
    } catch (err) {
      if (isUnreachable(err)) return; // offline start from the cache (C1)
      if (err instanceof ServiceError && err.code !== 'unauthorized' && err.code !== 'session_expired' && err.code !== 'invalid_token') throw err;
      // 401 was already handled by expire() through the client's event.
    }
  }

  /** Platform password sign-in. */
  async signIn(request: LoginRequest): Promise<SessionState> {
    const session = await this.admit(await this.opts.client.login(request));
    await this.adoptSession(session, 'password');
    return this.getSession();
  }

  /**
   * The Microsoft accounts this computer keeps tokens for, for a console account (issue 9 class 13:
   * the sign-in screen offers a choice when there are several).
   */
  async microsoftAccounts(account: string): Promise<CachedMicrosoftAccount[]> {
    const ms = this.opts.microsoftSignIn;
    if (!ms?.listAccounts) return [];
    const providers = await this.opts.client.providers(account);
    return providers.microsoft ? ms.listAccounts(account, providers) : [];
  }

  /**
   * Microsoft sign-in through the injected seam (C3). `homeAccountId` names the cached Microsoft
   * account the person chose (`null`: another account, through the browser).
   */
  async signInMicrosoft(account: string, homeAccountId?: string | null): Promise<SessionState> {
    const ms = this.opts.microsoftSignIn;
    if (!ms) throw new ServiceError('identity_provider_disabled', 'Microsoft sign-in is not available in this build');
    const providers = await this.opts.client.providers(account);
    if (!providers.microsoft) throw new ServiceError('identity_provider_disabled');
    const attempt = { cancelled: false };
    this.microsoftAttempt = attempt;
    const session = await ms.signIn({
      account,
      providers,
      homeAccountId,
      // Refused inside the exchange, so the Microsoft side also forgets the refused person.
      exchange: async (accessToken) => {
        if (attempt.cancelled) throw new ServiceError('cancelled');
        return this.admit(await this.opts.client.loginMicrosoft({ account, accessToken }));
      },
    });
    // Cancelled after the platform answered: that session is ended, not adopted.
    if (attempt.cancelled) {
      await this.opts.client.logout(session.token).catch(() => undefined);
      throw new ServiceError('cancelled');
    }
    await this.adoptSession(session, 'microsoft');
    return this.getSession();
  }

  /**
   * R2: a session of a profile without console access (an agent) is ended on the platform at once
   * and refused with `console_access_denied`; nothing of it is kept or cached.
   */
  private async admit(session: SessionResponse): Promise<SessionResponse> {
    if (permissions.canUseConsole(session.user.profile)) return session;
    await this.opts.client.logout(session.token).catch((err: unknown) => this.opts.logError?.(err, 'end refused session'));
    throw new ServiceError('console_access_denied', `profile ${session.user.profile} has no console access`);
  }

  /** Stops the Microsoft sign-in in progress, if any (issue 9 class 13). */
  cancelMicrosoftSignIn(): void {
    if (this.microsoftAttempt) this.microsoftAttempt.cancelled = true;
    this.opts.microsoftSignIn?.cancel?.();
  }

  /** Starts a session obtained by any means (password, Microsoft): keeps the token in main only. */
  async adoptSession(session: SessionResponse, method: 'password' | 'microsoft'): Promise<void> {
    await this.admit(session);
    const previous = this.session;
    const next: StoredSession = { token: session.token, expiresAt: session.expiresAt, user: session.user, account: session.account, method };
    this.session = next;
    this.opts.client.setToken(session.token);
    this.opts.cache.saveAccount(this.keyOf(next), session.account);
    // A user is cached with the account's users too; the session copy is what the header shows.
    // Support is the vendor's staff (operator scope), never one of the account's users.
    if (session.user.accountId === session.account.id) this.opts.cache.upsertUsers(this.keyOf(next), [session.user]);
    await this.persist();
    if (previous && previous.account.id !== session.account.id) await this.announce(false);
    this.startWork();
  }

  /**
   * R9: replaces the signed-in user's temporary password. The platform takes no confirmation, so
   * main checks it (same field error the platform gives a mismatched set-password). On success
   * the session's user no longer must change it, and syncing starts (it was held until now).
   */
  async changePassword(input: { currentPassword: string; newPassword: string; newPasswordConfirmation: string }): Promise<SessionState> {
    const s = this.session;
    if (!s) throw new ServiceError('not_signed_in');
    if (input.newPassword !== input.newPasswordConfirmation) {
      throw new ServiceError('password_mismatch', undefined, { fieldErrors: { newPasswordConfirmation: ['password_mismatch'] } });
    }
    const { user } = await this.opts.client.changePassword({ currentPassword: input.currentPassword, newPassword: input.newPassword });
    // Signed out (or into another session) while the request ran: that session's state wins.
    if (this.session !== s) return this.getSession();
    this.session = { ...s, user };
    if (user.accountId === s.account.id) this.opts.cache.upsertUsers(this.keyOf(s), [user]);
    await this.persist();
    this.startWork();
    return this.getSession();
  }

  /**
   * Ends the session here and (best effort) on the platform. With `removeCachedData`, everything
   * cached for this account on this platform is removed from the computer too (C6).
   */
  async signOut(opts: { removeCachedData?: boolean } = {}): Promise<void> {
    const s = this.session;
    if (!s) return;
    try {
      await this.opts.client.logout();
    } catch {
      // Offline or already expired: the local end of the session is what matters.
    }
    if (s.method === 'microsoft') await this.opts.microsoftSignIn?.signOut?.(s.account.slug).catch(() => undefined);
    await this.clear();
    if (opts.removeCachedData) this.opts.cache.removeAccount(this.keyOf(s));
  }

  /** The platform answered 401: the session is over (emits `onDidExpireSession`). */
  async expire(): Promise<void> {
    if (!this.session) return;
    await this.clear();
    this.opts.events.emit('onDidExpireSession', { code: 'session_expired' });
  }

  /**
   * Starts syncing for the current session, unless its password is temporary (R9): then every
   * platform route but me/logout/change-password answers 403, so nothing starts until it changes.
   */
  private startWork(): void {
    void this.announce(this.session !== null && !this.session.user.mustChangePassword);
  }

  private async clear(): Promise<void> {
    this.session = null;
    this.opts.client.setToken(null);
    await this.opts.secretStore.delete(SESSION_SECRET_KEY);
    // The sync lets go of the cache first (a first fill's writer stops), so removing the
    // account's data right after cannot meet its open transaction.
    await this.announce(false);
  }

  private async persist(): Promise<void> {
    if (!this.session) return;
    try {
      await this.opts.secretStore.set(SESSION_SECRET_KEY, JSON.stringify(this.session));
    } catch (err) {
      // No safe place for the token (e.g. no OS keychain): the session lives for this run only
      // and the next start asks to sign in again. Never a reason to store it in plain text.
      this.opts.logError?.(err, 'persist session');
    }
  }
}
