/**
 * Trocar senha (R9): the request state of the form. The session itself lives in the session store,
 * which takes main's answer (the session whose user no longer must change the password).
 */
import { create } from 'zustand';
import type { OperationInput } from '../../../src-shared/ipc-contract';
import { toConsoleError, type ConsoleError } from '../../api';
import { useSessionStore } from '../session/session-store';
import { useNavigationStore } from '../shell/navigation-store';
import { forgetOnSignOut } from '../session/person-state';

/** The form's fields, named as the operation's input (main's and the platform's field errors use them). */
export type ChangePasswordField = keyof OperationInput<'changePassword'>;
export type ChangePasswordFieldErrors = Partial<Record<ChangePasswordField, string[]>>;

type ChangePasswordStore = {
  busy: boolean;
  /** A failure that belongs to no field (offline, platform unreachable, unexpected). */
  error: ConsoleError | null;
  /** Field errors from main or the platform, as entries `useFieldErrorText` reads. */
  fieldErrors: ChangePasswordFieldErrors;
  /** Sends the change; on success the console goes to the users screen. */
  submit(input: OperationInput<'changePassword'>): Promise<boolean>;
  /** Forgets a field's server error once the user edits that field. */
  clearField(field: ChangePasswordField): void;
  reset(): void;
};

/**
 * The platform answers a wrong current password with `invalid_credentials` ("Conta, login ou senha
 * inválidos", which reads wrong here) and a reused one with `same_as_current`: turned into the
 * entries this form shows. Others (policy problems too) pass through to the field's error text.
 */
function toFormErrors(fieldErrors: Record<string, string[]>): ChangePasswordFieldErrors {
  const out: ChangePasswordFieldErrors = {};
  const current = fieldErrors.currentPassword;
  if (current?.length) out.currentPassword = current.map((e) => (e === 'invalid_credentials' ? 'form.currentPasswordWrong' : e));
  const next = fieldErrors.newPassword;
  if (next?.length) {
    out.newPassword = next.map((e) => (e === 'same_as_current' ? 'form.sameAsCurrent' : e));
  }
  const confirmation = fieldErrors.newPasswordConfirmation;
  if (confirmation?.length) out.newPasswordConfirmation = confirmation;
  return out;
}

const initial = { busy: false, error: null, fieldErrors: {} };

/** The change-password store. */
export const useChangePasswordStore = create<ChangePasswordStore>()((set) => ({
  ...initial,
  async submit(input) {
    set({ busy: true, error: null, fieldErrors: {} });
    try {
      await useSessionStore.getState().changePassword(input);
      // The signed-in frame opens on the users list, whatever route an earlier session left.
      useNavigationStore.setState({ route: { screen: 'users' }, pending: null, guard: null });
      set(initial);
      return true;
    } catch (err) {
      const error = toConsoleError(err);
      const fieldErrors = toFormErrors(error.fieldErrors);
      // Shown next to its field when it has one; otherwise as the form's error.
      set({ busy: false, fieldErrors, error: Object.keys(fieldErrors).length > 0 ? null : error });
      return false;
    }
  },
  clearField(field) {
    set((s) => {
      if (!s.fieldErrors[field]) return s;
      const { [field]: _cleared, ...rest } = s.fieldErrors;
      return { fieldErrors: rest };
    });
  },
  reset() {
    set(initial);
  },
}));

/** Restores the initial state (on sign-out, C6; and in tests). */
export function resetChangePasswordStore(): void {
  useChangePasswordStore.setState(initial);
}
forgetOnSignOut(resetChangePasswordStore);
