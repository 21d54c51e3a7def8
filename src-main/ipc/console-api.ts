/**
 * Builds the `window.consoleApi` object from the contract's names: one method per operation, one
 * subscribe function per event, frozen, with no generic `send`. Imports only the names-only channel
 * module (no zod), so the sandboxed preload that bundles it stays small. The browser host's bridge
 * script runs the same `buildConsoleApi` (its source is injected), so both transports expose one shape.
 */
import { CHANNEL_PREFIX, EVENT_NAMES, OPERATION_NAMES } from '../../src-shared/ipc-channels';
import type { ConsoleApi, IpcResult } from '../../src-shared/ipc-contract';

/** Sends one operation's input on its channel and resolves with the router's result. */
export type Invoke = (channel: string, input: unknown) => Promise<IpcResult<unknown>>;
/** Subscribes to one event channel; returns the unsubscribe function. */
export type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void;

/**
 * The API object over a transport. Self-contained on purpose (no module-scope references, no named
 * inner functions): the browser host injects its source text into the page.
 */
export function buildConsoleApi(
  operations: readonly string[],
  events: readonly string[],
  prefix: string,
  invoke: Invoke,
  subscribe: Subscribe,
): Record<string, unknown> {
  const api: Record<string, unknown> = Object.create(null);
  for (const name of operations) {
    // Only the input crosses; a renderer cannot choose the channel.
    api[name] = (input: unknown) => invoke(prefix + name, input === undefined ? {} : input);
  }
  for (const name of events) {
    api[name] = (listener: unknown) => {
      if (typeof listener !== 'function') throw new TypeError(name + ' expects a listener function');
      return subscribe(prefix + name, (payload) => (listener as (p: unknown) => void)(payload));
    };
  }
  return Object.freeze(api);
}

/** Generates the frozen API object of the contract over a transport (the preload's). */
export function createConsoleApi(invoke: Invoke, subscribe: Subscribe): ConsoleApi {
  return buildConsoleApi(OPERATION_NAMES, EVENT_NAMES, CHANNEL_PREFIX, invoke, subscribe) as unknown as ConsoleApi;
}

/** Operation name of a channel (`omni:<name>`), or null when it is not one of the contract's. */
export function operationOfChannel(channel: string): string | null {
  if (!channel.startsWith(CHANNEL_PREFIX)) return null;
  const name = channel.slice(CHANNEL_PREFIX.length);
  return (OPERATION_NAMES as readonly string[]).includes(name) ? name : null;
}
