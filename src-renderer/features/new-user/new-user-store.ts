/** New user (R6): creation, and what the platform says it did (emails sent, extension associated). */
import { create } from 'zustand';
import type { Extension, QueueSummary } from '../../../src-shared/domain';
import type { FieldErrors } from '../../../src-shared/errors';
import type { CreateUserResponse } from '../../../src-shared/platform-api';
import { call, toConsoleError, type ConsoleError } from '../../api';
import { validateDraft, type Draft } from '../user-editor/draft';
import { assignmentFields, NO_ASSIGNMENTS, validateAssignments, type Assignments } from './assignments';
import { forgetOnSignOut } from '../session/person-state';

type NewUserStore = {
  busy: boolean;
  error: ConsoleError | null;
  fieldErrors: FieldErrors;
  result: CreateUserResponse | null;
  /** The account's extensions (from the cache) for the extension choice; null until loaded. */
  extensions: Extension[] | null;
  loadExtensions(): Promise<void>;
  /**
   * Validates and creates, with the extension and queues chosen (issue 11) in the same step;
   * resolves true when the platform created the user.
   */
  create(draft: Draft, assignments?: Assignments, queues?: readonly QueueSummary[]): Promise<boolean>;
  reset(): void;
};

const initial = { busy: false, error: null, fieldErrors: {}, result: null, extensions: null };

/** The new-user store. */
export const useNewUserStore = create<NewUserStore>()((set, get) => ({
  ...initial,
  async loadExtensions() {
    try {
      const { items } = await call('listExtensions', {});
      set({ extensions: items });
    } catch (err) {
      set({ error: toConsoleError(err) });
    }
  },
  async create(draft, assignments = NO_ASSIGNMENTS, queues = []) {
    const fieldErrors = { ...validateDraft(draft), ...validateAssignments(draft, assignments, get().extensions ?? [], queues) };
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
        ...assignmentFields(assignments),
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
      // R8 refusals name the queue in details: show the reason on that queue's checkbox.
      const queueId = (error.details as { queueId?: unknown } | undefined)?.queueId;
      if (errors.queueIds && typeof queueId === 'string') errors.queueIds = errors.queueIds.map((code) => `${queueId}:${code}`);
      if (error.code === 'extension_taken') {
        errors.extensionId = ['extension_taken'];
        // Someone took it meanwhile: offer the extensions as they are now.
        void get().loadExtensions();
      }
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
