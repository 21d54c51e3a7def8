/**
 * Session, connection and language of the console (C1, C5). The single source of "who is signed
 * in" and "is the platform reachable" for every screen; updated only from main's answers and events.
 */
import { create } from 'zustand';
import type { Locale } from '../../../src-shared/errors';
import type { OperationInput, SessionState } from '../../../src-shared/ipc-contract';
import type { LoginRequest } from '../../../src-shared/platform-api';
import { call, ConsoleError, on, toConsoleError } from '../../api';
import { DEFAULT_LOCALE } from '../../i18n';
import { forgetPerson } from './person-state';

type SessionStore = {
  /** `loading` until the first getSession/getSettings answer. */
  phase: 'loading' | 'ready';
  session: SessionState | null;
  locale: Locale;
  /** Why the user is back on the sign-in screen (e.g. `session_expired`). */
  signedOutReason: ConsoleError | null;
  /** A failure to reach main at start (shown on the sign-in screen). */
  loadError: ConsoleError | null;
  load(): Promise<void>;
  signIn(input: LoginRequest): Promise<void>;
  /** `homeAccountId`: the cached Microsoft account chosen in the picker; `null`: another account. */
  signInMicrosoft(account: string, homeAccountId?: string | null): Promise<void>;
  /** R9: replaces a temporary password; the answer is the session (its user no longer must change it). */
  changePassword(input: OperationInput<'changePassword'>): Promise<void>;
  /** Signs out; with `removeCachedData`, main also removes this account's cached data from the computer (C6). */
  signOut(opts?: { removeCachedData?: boolean }): Promise<void>;
  setLocale(locale: Locale): Promise<void>;
  /** Subscribes to main's connection and session events; returns the unsubscribe function. */
  subscribe(): () => void;
};

const initial = { phase: 'loading' as const, session: null, locale: DEFAULT_LOCALE, signedOutReason: null, loadError: null };

/** The session store (one per renderer). */
export const useSessionStore = create<SessionStore>()((set, get) => ({
  ...initial,
  async load() {
    try {
      const [session, settings] = await Promise.all([call('getSession', {}), call('getSettings', {}).catch(() => ({ locale: DEFAULT_LOCALE }))]);
      set({ session, locale: settings.locale, phase: 'ready', loadError: null });
    } catch (err) {
      set({ phase: 'ready', loadError: toConsoleError(err) });
    }
  },
  async signIn(input) {
    const session = await call('signIn', input);
    set({ session, signedOutReason: null });
  },
  async signInMicrosoft(account, homeAccountId) {
    const session = await call('signInMicrosoft', homeAccountId === undefined ? { account } : { account, homeAccountId });
    set({ session, signedOutReason: null });
  },
  async changePassword(input) {
    const session = await call('changePassword', input);
    set({ session });
  },
  async signOut(opts = {}) {
    try {
      await call('signOut', { removeCachedData: opts.removeCachedData ?? false });
    } finally {
      // Even if main could not tell the platform, the console forgets the session locally, and
      // nothing of this person stays in any store (C6).
      const session = await call('getSession', {}).catch(() => null);
      set({ session: session && session.status === 'signedOut' ? session : session ? signedOutState(session) : null });
      forgetPerson();
    }
  },
  async setLocale(locale) {
    const previous = get().locale;
    set({ locale });
    try {
      const saved = await call('setSettings', { locale });
      set({ locale: saved.locale });
    } catch {
      set({ locale: previous });
    }
  },
  subscribe() {
    const offConnection = on('onDidChangeConnection', ({ online, offlineSince }) => {
      const session = get().session;
      if (!session) return;
      const status = session.status === 'signedOut' ? 'signedOut' : online ? 'signedIn' : 'offline';
      set({ session: { ...session, online, offlineSince, status } });
    });
    const offExpire = on('onDidExpireSession', ({ code }) => {
      const session = get().session;
      set({
        session: session ? signedOutState(session) : null,
        signedOutReason: new ConsoleError({ code, message: code }),
      });
      forgetPerson();
    });
    const offSync = on('onDidChangeSyncStatus', (status) => {
      const session = get().session;
      if (session) set({ session: { ...session, lastSyncAt: status.lastSyncAt } });
    });
    return () => {
      offConnection();
      offExpire();
      offSync();
    };
  },
}));

/** The session with nothing of the person who held it. */
function signedOutState(session: SessionState): SessionState {
  return { ...session, status: 'signedOut', user: null, account: null, lastSyncAt: null, method: null };
}

/** Restores the initial state (tests). */
export function resetSessionStore(): void {
  useSessionStore.setState(initial);
}
