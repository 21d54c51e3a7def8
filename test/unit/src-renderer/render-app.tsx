/** Renders the whole renderer (`<App/>`) against a fake console API, with every store reset. */
import { render } from '@testing-library/react';
import type { QueueSummary, User } from '../../../src-shared/domain';
import type { SessionState, SyncStatus } from '../../../src-shared/ipc-contract';
import { App } from '../../../src-renderer/app';
import { resetChangePasswordStore } from '../../../src-renderer/features/change-password/change-password-store';
import { resetEditorStore } from '../../../src-renderer/features/user-editor/editor-store';
import { resetNewUserStore } from '../../../src-renderer/features/new-user/new-user-store';
import { resetQueueMembersStore } from '../../../src-renderer/features/queues/queue-members-store';
import { resetQueuesStore } from '../../../src-renderer/features/queues/queues-store';
import { resetPaletteStore } from '../../../src-renderer/features/palette/palette-store';
import { resetSessionStore } from '../../../src-renderer/features/session/session-store';
import { useNavigationStore, type Route } from '../../../src-renderer/features/shell/navigation-store';
import { resetSignInStore } from '../../../src-renderer/features/sign-in/sign-in-store';
import { resetSyncStore } from '../../../src-renderer/features/sync-status/sync-store';
import { resetUsersStore } from '../../../src-renderer/features/users/users-store';
import { installFakeConsole, rowOf, type FakeConsole, type Handlers } from './fake-console-api';

/** Resets every store of the renderer. */
export function resetStores(): void {
  resetSessionStore();
  resetSignInStore();
  resetChangePasswordStore();
  resetSyncStore();
  resetUsersStore();
  resetEditorStore();
  resetNewUserStore();
  resetQueuesStore();
  resetQueueMembersStore();
  resetPaletteStore();
  useNavigationStore.setState({ route: { screen: 'users' }, pending: null, guard: null });
}

const idleSync = (online: boolean): SyncStatus => ({
  state: 'idle',
  online,
  lastSyncAt: '2026-01-02T09:30:00.000Z',
  offlineSince: null,
  userCount: 0,
  progress: null,
  lastError: null,
  incomplete: null,
});

/**
 * Installs a fake console with a signed-in `session`, `users` and `queues` answered by the read
 * operations, plus `handlers` for the rest, then renders the app on `route`.
 */
export function renderApp(opts: { session: SessionState; users?: User[]; queues?: QueueSummary[]; route?: Route; handlers?: Handlers }): FakeConsole & { view: ReturnType<typeof render> } {
  resetStores();
  const users = opts.users ?? [];
  const fake = installFakeConsole({
    getSession: () => opts.session,
    getSettings: () => ({ locale: 'pt-BR' }),
    setSettings: ({ locale }) => ({ locale }),
    getSyncStatus: () => ({ ...idleSync(opts.session.online), userCount: users.length }),
    listQueues: () => ({ items: opts.queues ?? [] }),
    listExtensions: () => ({ items: [] }),
    getUserAudit: () => ({ items: [] }),
    getUserQueueSessions: () => ({ items: [] }),
    searchUsers: ({ offset = 0, limit = 100 }) => ({ total: users.length, items: users.slice(offset, offset + limit).map(rowOf) }),
    getUser: ({ id }) => {
      const user = users.find((u) => u.id === id);
      return user ? { user: rowOf(user), stale: false } : { code: 'not_found', message: 'not found' };
    },
    ...opts.handlers,
  });
  if (opts.route) useNavigationStore.setState({ route: opts.route });
  const view = render(<App />);
  return { ...fake, view };
}

/** The accessible description of an element: the text of the elements its aria-describedby names. */
export function descriptionOf(el: Element): string {
  return (el.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}
