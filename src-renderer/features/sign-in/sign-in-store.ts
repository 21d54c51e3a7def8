/** Sign-in screen state: the account's providers (R11), sign-in and forgot-password requests. */
import { create } from 'zustand';
import type { ProvidersResponse } from '../../../src-shared/platform-api';
import { call, toConsoleError, type ConsoleError } from '../../api';
import { useSessionStore } from '../session/session-store';
import { forgetOnSignOut } from '../session/person-state';

/** A Microsoft account whose tokens this computer keeps (the picker's rows). */
export type CachedMicrosoftAccount = { homeAccountId: string; username: string; name: string | null };

type ForgotState = { status: 'idle' | 'sending' | 'sent' | 'selfManaged'; error: ConsoleError | null };

type SignInStore = {
  providers: ProvidersResponse | null;
  providersFor: string | null;
  busy: boolean;
  /** Which sign-in is running (the Microsoft one waits for the system browser). */
  busyMethod: 'password' | 'microsoft' | null;
  error: ConsoleError | null;
  forgot: ForgotState;
  loadProviders(account: string): Promise<void>;
  signIn(input: { account: string; login: string; password: string }): Promise<boolean>;
  /**
   * Issue 9 class 13: several Microsoft accounts cached for this account: the person picks one (or
   * another account) before anything is sent; none is used silently.
   */
  microsoftChoice: { account: string; accounts: CachedMicrosoftAccount[] } | null;
  /**
   * Microsoft sign-in. Without `homeAccountId`, asks main which Microsoft accounts are cached and,
   * when there are several, opens the picker instead of signing in; `null`: another account.
   */
  signInMicrosoft(account: string, homeAccountId?: string | null): Promise<void>;
  closeMicrosoftChoice(): void;
  /** Stops waiting for the Microsoft sign-in in the browser (issue 9 class 13). */
  cancelMicrosoft(): Promise<void>;
  forgotPassword(input: { account: string; login: string }): Promise<void>;
  /** R11: a self-managed account answers "Esqueci minha senha" with the R11 message only. */
  showSelfManaged(): void;
  resetForgot(): void;
};

const initial = { providers: null, providersFor: null, busy: false, busyMethod: null, error: null, microsoftChoice: null, forgot: { status: 'idle' as const, error: null } };

/** The sign-in store. */
export const useSignInStore = create<SignInStore>()((set, get) => ({
  ...initial,
  async loadProviders(account) {
    const slug = account.trim();
    if (!slug || slug === get().providersFor) return;
    set({ providersFor: slug });
    try {
      const providers = await call('getProviders', { account: slug });
      if (get().providersFor === slug) set({ providers });
    } catch {
      // Unknown account or platform unreachable: no provider buttons; sign-in reports the error.
      if (get().providersFor === slug) set({ providers: null });
    }
  },
  async signIn(input) {
    set({ busy: true, busyMethod: 'password', error: null });
    try {
      await useSessionStore.getState().signIn(input);
      set({ busy: false, busyMethod: null });
      return true;
    } catch (err) {
      set({ busy: false, busyMethod: null, error: toConsoleError(err) });
      return false;
    }
  },
  async signInMicrosoft(account, homeAccountId) {
    if (homeAccountId === undefined) {
      const accounts = await call('listMicrosoftAccounts', { account })
        .then((r) => r.accounts)
        .catch(() => [] as CachedMicrosoftAccount[]);
      if (accounts.length > 1) {
        set({ microsoftChoice: { account, accounts }, error: null });
        return;
      }
    }
    set({ busy: true, busyMethod: 'microsoft', error: null, microsoftChoice: null });
    try {
      await useSessionStore.getState().signInMicrosoft(account, homeAccountId);
      set({ busy: false, busyMethod: null });
    } catch (err) {
      const error = toConsoleError(err);
      // A Cancel the person asked for is not an error to show.
      set({ busy: false, busyMethod: null, error: error.code === 'cancelled' ? null : error });
    }
  },
  closeMicrosoftChoice() {
    set({ microsoftChoice: null });
  },
  async cancelMicrosoft() {
    await call('cancelMicrosoftSignIn', {}).catch(() => undefined);
  },
  async forgotPassword(input) {
    set({ forgot: { status: 'sending', error: null } });
    try {
      await call('forgotPassword', input);
      set({ forgot: { status: 'sent', error: null } });
    } catch (err) {
      const error = toConsoleError(err);
      if (error.code === 'self_managed_account') set({ forgot: { status: 'selfManaged', error: null } });
      else set({ forgot: { status: 'idle', error } });
    }
  },
  showSelfManaged() {
    set({ forgot: { status: 'selfManaged', error: null } });
  },
  resetForgot() {
    set({ forgot: { status: 'idle', error: null } });
  },
}));

/** Restores the initial state (on sign-out, C6; and in tests). */
export function resetSignInStore(): void {
  useSignInStore.setState(initial);
}
forgetOnSignOut(resetSignInStore);
