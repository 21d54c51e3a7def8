/**
 * Builds the `window.consoleApi` object from the contract: one method per operation, one
 * subscribe function per event, frozen, with no generic `send`. Pure (no Electron), so the preload
 * and the tests use the same code; the browser host's bridge script builds the same shape.
 */
import { EVENT_NAMES, OPERATION_NAMES, ipcChannel, type ConsoleApi, type IpcResult } from '../../src-shared/ipc-contract';

/** Sends one operation's input on its channel and resolves with the router's result. */
export type Invoke = (channel: string, input: unknown) => Promise<IpcResult<unknown>>;
/** Subscribes to one event channel; returns the unsubscribe function. */
export type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void;

/** Generates the frozen API object over a transport. */
export function createConsoleApi(invoke: Invoke, subscribe: Subscribe): ConsoleApi {
  const api: Record<string, unknown> = Object.create(null);
  for (const name of OPERATION_NAMES) {
    const channel = ipcChannel(name);
    // Only the input crosses; a renderer cannot choose the channel.
    api[name] = (input: unknown) => invoke(channel, input === undefined ? {} : input);
  }
  for (const name of EVENT_NAMES) {
    const channel = ipcChannel(name);
    api[name] = (listener: unknown) => {
      if (typeof listener !== 'function') throw new TypeError(`${name} expects a listener function`);
      return subscribe(channel, (payload) => (listener as (p: unknown) => void)(payload));
    };
  }
  return Object.freeze(api) as unknown as ConsoleApi;
}

/** Operation name of a channel (`omni:<name>`), or null when it is not one of the contract's. */
export function operationOfChannel(channel: string): string | null {
  if (!channel.startsWith('omni:')) return null;
  const name = channel.slice('omni:'.length);
  return (OPERATION_NAMES as string[]).includes(name) ? name : null;
}
