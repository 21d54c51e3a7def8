/** New user (R6): creation, and what the platform says it did (emails sent, extension associated). */
import { create } from 'zustand';
import type { FieldErrors } from '../../../src-shared/errors';
import type { CreateUserResponse } from '../../../src-shared/platform-api';
import { call, toConsoleError, type ConsoleError } from '../../api';
import { validateDraft, type Draft } from '../user-editor/draft';
import { forgetOnSignOut } from '../session/person-state';

type NewUserStore = {
  busy: boolean;
  error: ConsoleError | null;
  fieldErrors: FieldErrors;
  result: CreateUserResponse | null;
  /** Validates and creates; resolves true when the platform created the user. */
  create(draft: Draft): Promise<boolean>;
  reset(): void;
};

const initial = { busy: false, error: null, fieldErrors: {}, result: null };

/** The new-user store. */
export const useNewUserStore = create<NewUserStore>()((set) => ({
  ...initial,
  async create(draft) {
    const fieldErrors = validateDraft(draft);
    if (Object.keys(fieldErrors).length > 0) {
      set({ fieldErrors, error: null });
      return false;
    }
    set({ busy: true, error: null, fieldErrors: {} });
    try {
      const result = await call('createUser', {
        name: draft.name.trim(),
        email: draft.email.trim(),
        login: draft.login.trim(),
        profile: draft.profile,
        active: draft.active,
        webrtcEnabled: draft.webrtcEnabled,
        omnichannelEnabled: draft.omnichannelEnabled,
      });
      // The users list refreshes from main's onDidChangeData.
      set({ busy: false, result });
      return true;
    } catch (err) {
      const error = toConsoleError(err);
      const errors = { ...error.fieldErrors };
      if (error.code === 'login_taken' && !errors.login) errors.login = ['login_taken'];
      if (error.code === 'webrtc_required' && !errors.omnichannelEnabled) errors.omnichannelEnabled = ['webrtc_required'];
      if (error.code === 'omnichannel_creation_support_only' && !errors.omnichannelEnabled) errors.omnichannelEnabled = ['omnichannel_creation_support_only'];
      set({ busy: false, error, fieldErrors: errors });
      return false;
    }
  },
  reset() {
    set(initial);
  },
}));

/** Restores the initial state (on sign-out, C6; and in tests). */
export function resetNewUserStore(): void {
  useNewUserStore.setState(initial);
}
forgetOnSignOut(resetNewUserStore);
