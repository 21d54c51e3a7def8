/**
 * A scriptable `window.consoleApi` for component tests: the Electron boundary, replaced so the
 * renderer runs in jsdom. Every call is recorded; each operation answers from `handlers` (or fails
 * with `internal_error` when a test did not expect it).
 */
import type { QueueSummary, User } from '../../../src-shared/domain';
import { computeReadiness } from '../../../src-shared/domain';
import { makeUser as baseUser } from '../../support/console-fixtures';
import type { ApiError } from '../../../src-shared/errors';
import {
  EVENT_NAMES,
  OPERATION_NAMES,
  type ConsoleApi,
  type EventName,
  type EventPayload,
  type IpcResult,
  type OperationInput,
  type OperationName,
  type OperationOutput,
  type SessionState,
  type UserRow,
} from '../../../src-shared/ipc-contract';

type Handler<N extends OperationName> = (input: OperationInput<N>) => OperationOutput<N> | ApiError | Promise<OperationOutput<N> | ApiError>;
/** Per-operation answers; return an `ApiError` (has `code`) to fail. */
export type Handlers = { [N in OperationName]?: Handler<N> };

/** A fake console API plus what it recorded. */
export type FakeConsole = {
  api: ConsoleApi;
  calls: { name: OperationName; input: unknown }[];
  callsOf<N extends OperationName>(name: N): OperationInput<N>[];
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
};

/** Builds the fake and installs it as `window.consoleApi`. */
export function installFakeConsole(handlers: Handlers): FakeConsole {
  const calls: FakeConsole['calls'] = [];
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const api: Record<string, unknown> = {};
  for (const name of OPERATION_NAMES) {
    api[name] = async (input: unknown): Promise<IpcResult<unknown>> => {
      calls.push({ name, input });
      const handler = handlers[name] as ((i: unknown) => unknown) | undefined;
      if (!handler) return { ok: false, error: { code: 'internal_error', message: `unexpected call ${name}` } };
      const out = await handler(input);
      if (out && typeof out === 'object' && 'code' in out && 'message' in out && !('id' in out)) return { ok: false, error: out as ApiError };
      return { ok: true, value: out };
    };
  }
  for (const event of EVENT_NAMES) {
    api[event] = (listener: (p: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    };
  }
  window.consoleApi = api as unknown as ConsoleApi;
  return {
    api: api as unknown as ConsoleApi,
    calls,
    callsOf: <N extends OperationName>(name: N) => calls.filter((c) => c.name === name).map((c) => c.input as OperationInput<N>),
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload)),
  };
}

let seq = 0;
/** A queue with sensible defaults (a voice queue unless overridden). */
export function makeQueue(overrides: Partial<QueueSummary> = {}): QueueSummary {
  return {
    id: 'q',
    accountId: 'acc1',
    kind: 'voice',
    channel: 'voice',
    name: 'Q',
    memberCount: 0,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A user with sensible defaults (numbered ids). */
export function makeUser(overrides: Partial<User> = {}): User {
  seq += 1;
  // The one user factory (test/support), numbered and with a password for component tests.
  return baseUser({ id: `u${seq}`, accountId: 'acc1', name: `User ${seq}`, email: `user${seq}@example.com`, login: `user${seq}`, passwordSet: true, ...overrides });
}

/** A user plus its readiness, as `searchUsers`/`getUser` return it. */
export function rowOf(user: User): UserRow {
  return { ...user, readiness: computeReadiness(user) };
}

/** A signed-in session for `profile`. */
export function sessionFor(user: User, opts: { online?: boolean } = {}): SessionState {
  const online = opts.online ?? true;
  return {
    status: online ? 'signedIn' : 'offline',
    user,
    account: { id: 'acc1', slug: 'demo', name: 'Demo', identityProvider: null },
    platformUrl: 'http://127.0.0.1:1',
    online,
    offlineSince: online ? null : '2026-01-02T10:00:00.000Z',
    lastSyncAt: '2026-01-02T09:30:00.000Z',
    method: 'password',
  };
}
