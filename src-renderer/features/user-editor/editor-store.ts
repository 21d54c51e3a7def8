/**
 * User editor state (R3, R4, R5, R7–R10): the server-confirmed user, the form draft, the save flow
 * through the R4 confirmation, conflicts (`stale_version`), and the editor's other actions.
 * Everything shown as done comes from an operation result, never from what was sent. Other screens
 * (the users list, the queues) refresh from main's `onDidChangeData`, never from here.
 */
import { create } from 'zustand';
import type { AuditEntry, Extension, QueueSession, User } from '../../../src-shared/domain';
import type { FieldErrors } from '../../../src-shared/errors';
import type { OperationOutput } from '../../../src-shared/ipc-contract';
import { StaleVersionDetailsSchema, QueueLogoutDetailsSchema, type LoggedOutQueueSchema } from '../../../src-shared/platform-api';
import type { z } from 'zod';
import { call, toConsoleError, type ConsoleError } from '../../api';
import { changesOf, draftOf, rebase, validateDraft, type Draft, type DraftField } from './draft';
import { forgetOnSignOut } from '../session/person-state';

/** A queue the user was logged out of by a save (R4). */
export type LoggedOutQueue = z.infer<typeof LoggedOutQueueSchema>;

/** Where the save flow is. */
export type SavePhase = 'idle' | 'confirm' | 'saving';

/** A finished or failed side action (reset, password, extension, queues). */
export type ActionState<T = unknown> = { status: 'idle' | 'busy' | 'done' | 'error'; result?: T; error?: ConsoleError | null; fieldErrors?: FieldErrors };

type EditorStore = {
  id: string | null;
  user: User | null;
  /** getUser answered from the cache without the platform confirming it. */
  stale: boolean;
  loading: boolean;
  loadError: ConsoleError | null;
  draft: Draft | null;
  fieldErrors: FieldErrors;
  phase: SavePhase;
  /** Active queue sessions shown in the R4 dialog (null while loading or unknown). */
  sessions: QueueSession[] | null;
  saveError: ConsoleError | null;
  saved: { loggedOutQueues: LoggedOutQueue[] } | null;
  conflict: { theirs: User; mine: Draft; base: User } | null;
  reapplied: boolean;
  reset: ActionState<{ sentTo: string; expiresAt: string }>;
  password: ActionState;
  extension: ActionState<{ kind: 'assigned' | 'released'; number: string | null }>;
  queueAction: ActionState<{ kind: 'added' | 'removed'; queueId: string }>;
  extensions: Extension[] | null;
  audit: AuditEntry[] | null;
  /** Why the audit trail could not be loaded (shown instead of an empty history). */
  auditError: ConsoleError | null;
  /**
   * Issue 11: when the platform cannot be reached, the versions of the user this computer synced
   * (newest first), shown as local history instead of the audit trail; null otherwise.
   */
  localHistory: LocalVersion[] | null;
  open(id: string): Promise<void>;
  /** Re-reads the open user after main reports changed data (sync); keeps unsaved edits. */
  refresh(): Promise<void>;
  /** Re-reads the extensions list, when the Ramal tab loaded it, after main reports a change. */
  refreshExtensions(): Promise<void>;
  setField<F extends DraftField>(field: F, value: Draft[F]): void;
  discard(): void;
  /** Validates (R3) and opens the R4 confirmation. */
  requestSave(): void;
  /** "Não": back to the form, edits kept. */
  cancelSave(): void;
  /** "Sim": saves with `confirmQueueLogout: true`. */
  confirmSave(): Promise<void>;
  reloadFromConflict(): void;
  reapplyFromConflict(): void;
  resetPassword(): Promise<void>;
  setPassword(password: string, passwordConfirmation: string): Promise<boolean>;
  loadExtensions(): Promise<void>;
  assignExtension(extensionId: string): Promise<void>;
  releaseExtension(): Promise<void>;
  addToQueue(queueId: string): Promise<void>;
  removeFromQueue(queueId: string): Promise<void>;
  loadAudit(): Promise<void>;
};

/** One synced version of a user (local history, issue 11). */
export type LocalVersion = OperationOutput<'getUserLocalHistory'>['items'][number];

/** Error codes that mean the platform could not be reached (C1). */
const UNREACHABLE = new Set(['network_error', 'timeout', 'offline']);

const idle = { status: 'idle', error: null } as const;
const initial = {
  id: null,
  user: null,
  stale: false,
  loading: false,
  loadError: null,
  draft: null,
  fieldErrors: {},
  phase: 'idle' as SavePhase,
  sessions: null,
  saveError: null,
  saved: null,
  conflict: null,
  reapplied: false,
  reset: idle,
  password: idle,
  extension: idle,
  queueAction: idle,
  extensions: null,
  audit: null,
  auditError: null,
  localHistory: null,
};

/** True when the draft differs from the confirmed user. */
export function isDirty(user: User | null, draft: Draft | null): boolean {
  return !!user && !!draft && Object.keys(changesOf(draftOf(user), draft)).length > 0;
}

/** The user editor store (one editor open at a time). */
export const useEditorStore = create<EditorStore>()((set, get) => {
  type ActionKey = 'reset' | 'password' | 'extension' | 'queueAction';
  type ResultOf<K extends ActionKey> = NonNullable<EditorStore[K]['result']>;
  /**
   * The editor's side actions share one shape: busy, then done with the operation's result, or
   * error with its code and field errors. Resolves true when the operation succeeded.
   */
  async function act<K extends ActionKey>(key: K, work: (user: User) => Promise<ResultOf<K> | void>): Promise<boolean> {
    const user = get().user;
    if (!user) return false;
    set({ [key]: { status: 'busy', error: null } } as Partial<EditorStore>);
    try {
      const result = await work(user);
      set({ [key]: { status: 'done', error: null, ...(result === undefined ? {} : { result }) } } as Partial<EditorStore>);
      return true;
    } catch (err) {
      const error = toConsoleError(err);
      set({ [key]: { status: 'error', error, fieldErrors: error.fieldErrors } } as Partial<EditorStore>);
      return false;
    }
  }

  /** Takes a newer server user; keeps the admin's unsaved edits on top of it. */
  function acceptUser(user: User) {
    const { user: old, draft } = get();
    const next = old && draft ? rebase(draftOf(old), draft, draftOf(user)) : draftOf(user);
    set({ user, draft: next, stale: false });
  }

  return {
    ...initial,
    async open(id) {
      set({ ...initial, id, loading: true });
      try {
        const { user, stale } = await call('getUser', { id });
        if (get().id !== id) return;
        set({ user, stale, draft: draftOf(user), loading: false });
      } catch (err) {
        if (get().id === id) set({ loading: false, loadError: toConsoleError(err) });
      }
    },
    async refresh() {
      const { id, user, phase } = get();
      if (!id || !user || phase !== 'idle') return;
      try {
        const { user: latest, stale } = await call('getUser', { id });
        if (get().id !== id || get().phase !== 'idle') return;
        if (latest.version > (get().user?.version ?? 0)) acceptUser(latest);
        set({ stale });
      } catch {
        // Keep what is shown; the next change event tries again.
      }
    },
    setField(field, value) {
      const draft = get().draft;
      if (!draft) return;
      const next = { ...draft, [field]: value };
      // Re-validate touched fields live so the R3 error appears (and clears) as the admin clicks.
      const errors = validateDraft(next);
      const fieldErrors = { ...get().fieldErrors };
      for (const f of [field, 'omnichannelEnabled'] as string[]) {
        if (errors[f]) fieldErrors[f] = errors[f]!;
        else delete fieldErrors[f];
      }
      set({ draft: next, fieldErrors, saved: null, saveError: null });
    },
    discard() {
      const user = get().user;
      if (user) set({ draft: draftOf(user), fieldErrors: {}, saveError: null, reapplied: false });
    },
    requestSave() {
      const { draft, user } = get();
      if (!draft || !user) return;
      const fieldErrors = validateDraft(draft);
      if (Object.keys(fieldErrors).length > 0) {
        set({ fieldErrors, saved: null });
        return;
      }
      set({ fieldErrors: {}, phase: 'confirm', sessions: null, saveError: null, saved: null });
      // Context for the R4 dialog; the dialog works without it.
      call('getUserQueueSessions', { id: user.id })
        .then(({ items }) => {
          if (get().phase === 'confirm') set({ sessions: items });
        })
        .catch(() => {});
    },
    cancelSave() {
      set({ phase: 'idle' });
    },
    async confirmSave() {
      const { draft, user } = get();
      if (!draft || !user) return;
      set({ phase: 'saving', saveError: null });
      try {
        const result = await call('saveUser', {
          id: user.id,
          baseVersion: user.version,
          changes: changesOf(draftOf(user), draft),
          // R4: the admin answered "Sim"; the platform logs the user out of their queues.
          confirmQueueLogout: true,
        });
        set({ user: result.user, draft: draftOf(result.user), phase: 'idle', saved: { loggedOutQueues: result.loggedOutQueues }, reapplied: false, stale: false });
      } catch (err) {
        const error = toConsoleError(err);
        if (error.code === 'stale_version') {
          const details = StaleVersionDetailsSchema.safeParse(error.details);
          if (details.success) {
            set({ phase: 'idle', conflict: { theirs: details.data.current, mine: draft, base: user } });
            return;
          }
        }
        if (error.code === 'queue_logout_confirmation_required') {
          const details = QueueLogoutDetailsSchema.safeParse(error.details);
          set({ phase: 'confirm', sessions: details.success ? details.data.sessions : null });
          return;
        }
        const fieldErrors = { ...error.fieldErrors };
        if (error.code === 'webrtc_required' && !fieldErrors.omnichannelEnabled) fieldErrors.omnichannelEnabled = ['webrtc_required'];
        set({ phase: 'idle', saveError: error, fieldErrors });
      }
    },
    reloadFromConflict() {
      const conflict = get().conflict;
      if (!conflict) return;
      set({ user: conflict.theirs, draft: draftOf(conflict.theirs), conflict: null, fieldErrors: {}, reapplied: false });
    },
    reapplyFromConflict() {
      const conflict = get().conflict;
      if (!conflict) return;
      const draft = rebase(draftOf(conflict.base), conflict.mine, draftOf(conflict.theirs));
      set({ user: conflict.theirs, draft, conflict: null, reapplied: true, fieldErrors: validateDraft(draft) });
    },
    resetPassword: () => act('reset', (user) => call('resetPassword', { id: user.id })).then(() => undefined),
    setPassword: (password, passwordConfirmation) =>
      act('password', async (user) => {
        acceptUser((await call('setPassword', { id: user.id, password, passwordConfirmation })).user);
      }),
    async refreshExtensions() {
      if (get().extensions !== null) await get().loadExtensions();
    },
    async loadExtensions() {
      try {
        const { items } = await call('listExtensions', {});
        set({ extensions: items });
      } catch (err) {
        set({ extension: { status: 'error', error: toConsoleError(err) } });
      }
    },
    async assignExtension(extensionId) {
      const ok = await act('extension', async (user) => {
        const result = await call('assignExtension', { userId: user.id, extensionId });
        acceptUser(result.user);
        return { kind: 'assigned' as const, number: result.user.extension?.number ?? null };
      });
      // Refused (e.g. taken meanwhile): show the extensions as they are now.
      if (!ok) await get().loadExtensions();
    },
    releaseExtension: () =>
      act('extension', async (user) => {
        acceptUser((await call('releaseExtension', { userId: user.id })).user);
        return { kind: 'released' as const, number: null };
      }).then(() => undefined),
    addToQueue: (queueId) =>
      act('queueAction', async (user) => {
        acceptUser((await call('addQueueMember', { queueId, userId: user.id })).user);
        return { kind: 'added' as const, queueId };
      }).then(() => undefined),
    removeFromQueue: (queueId) =>
      act('queueAction', async (user) => {
        acceptUser((await call('removeQueueMember', { queueId, userId: user.id })).user);
        return { kind: 'removed' as const, queueId };
      }).then(() => undefined),
    async loadAudit() {
      const user = get().user;
      if (!user) return;
      set({ auditError: null });
      try {
        const { items } = await call('getUserAudit', { id: user.id });
        if (get().user?.id === user.id) set({ audit: items, localHistory: null });
      } catch (err) {
        const error = toConsoleError(err);
        // Issue 11: the platform cannot be reached: the versions this computer synced, marked local.
        if (UNREACHABLE.has(error.code)) {
          try {
            const { items } = await call('getUserLocalHistory', { id: user.id });
            if (get().user?.id === user.id) set({ audit: null, localHistory: items });
            return;
          } catch {
            // Then the platform's error is the one to show.
          }
        }
        // A failed load is an error on screen, never an empty history.
        if (get().user?.id === user.id) set({ audit: null, localHistory: null, auditError: error });
      }
    },
  };
});

/** Restores the initial state (on sign-out, C6; and in tests). */
export function resetEditorStore(): void {
  useEditorStore.setState(initial);
}
forgetOnSignOut(resetEditorStore);
