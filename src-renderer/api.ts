/**
 * The renderer's only door to main: wraps `window.consoleApi` (exposed by the preload, or by the
 * browser host's bridge) and turns `IpcResult` failures into thrown `ConsoleError`s, so features
 * write `await call('saveUser', …)` and catch typed errors.
 */
import type { ConsoleApi, EventName, EventPayload, OperationInput, OperationName, OperationOutput } from '../src-shared/ipc-contract';
import type { ApiError, ErrorCode, FieldErrors } from '../src-shared/errors';

declare global {
  interface Window {
    /** Set by the preload (Electron) or the browser host's bridge script. */
    consoleApi?: ConsoleApi;
  }
}

/** A failed operation, with the platform's (or main's) error code, field errors and details. */
export class ConsoleError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors: FieldErrors;
  readonly details: unknown;
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ConsoleError';
    this.code = error.code;
    this.fieldErrors = error.fieldErrors ?? {};
    this.details = error.details;
  }
}

function consoleApi(): ConsoleApi {
  const api = window.consoleApi;
  if (!api) throw new ConsoleError({ code: 'internal_error', message: 'window.consoleApi is not available' });
  return api;
}

/** Runs an operation; resolves with its value or throws a `ConsoleError`. */
export async function call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
  const fn = consoleApi()[name] as (input: OperationInput<N>) => Promise<{ ok: true; value: OperationOutput<N> } | { ok: false; error: ApiError }>;
  let result: Awaited<ReturnType<typeof fn>>;
  try {
    result = await fn(input);
  } catch (err) {
    // The transport itself failed (bridge closed, preload missing): not a platform answer.
    throw new ConsoleError({ code: 'network_error', message: err instanceof Error ? err.message : String(err) });
  }
  if (result.ok) return result.value;
  throw new ConsoleError(result.error);
}

/** Subscribes to an event main pushes; returns the unsubscribe function. */
export function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  const api = window.consoleApi;
  if (!api) return () => {};
  const subscribe = api[event] as (l: (payload: EventPayload<E>) => void) => () => void;
  return subscribe(listener);
}

/** Normalises anything thrown into a `ConsoleError` (unexpected errors become `internal_error`). */
export function toConsoleError(err: unknown): ConsoleError {
  if (err instanceof ConsoleError) return err;
  return new ConsoleError({ code: 'internal_error', message: err instanceof Error ? err.message : String(err) });
}
