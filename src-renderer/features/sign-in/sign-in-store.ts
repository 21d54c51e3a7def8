/** Sign-in screen state: the account's providers (R11), sign-in and forgot-password requests. */
import { create } from 'zustand';
import type { ProvidersResponse } from '../../../src-shared/platform-api';
import { call, toConsoleError, type ConsoleError } from '../../api';
import { useSessionStore } from '../session/session-store';
import { forgetOnSignOut } from '../session/person-state';

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
  signInMicrosoft(account: string): Promise<void>;
  /** Stops waiting for the Microsoft sign-in in the browser (issue 9 class 13). */
  cancelMicrosoft(): Promise<void>;
  forgotPassword(input: { account: string; login: string }): Promise<void>;
  /** R11: a self-managed account answers "Esqueci minha senha" with the R11 message only. */
  showSelfManaged(): void;
  resetForgot(): void;
};

const initial = { providers: null, providersFor: null, busy: false, busyMethod: null, error: null, forgot: { status: 'idle' as const, error: null } };

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
  async signInMicrosoft(account) {
    set({ busy: true, busyMethod: 'microsoft', error: null });
    try {
      await useSessionStore.getState().signInMicrosoft(account);
      set({ busy: false, busyMethod: null });
    } catch (err) {
      const error = toConsoleError(err);
      // A Cancel the person asked for is not an error to show.
      set({ busy: false, busyMethod: null, error: error.code === 'cancelled' ? null : error });
    }
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
