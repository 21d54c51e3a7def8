/**
 * The IPC router: the only entry from a renderer into main's services. It checks who is calling
 * (top frame of the app's own origin, or the browser host's authenticated socket), parses the input
 * with the contract's schema (anything else never reaches a service), refuses writes while offline
 * (C1) and maps every failure to the contract's `{ code, message, fieldErrors, details }`.
 */
import type { z } from 'zod';
import { errorMessage, type ApiError, type ErrorCode, type FieldErrors, type Locale } from '../../src-shared/errors';
import { ipcOperations, type IpcResult, type OperationName, type OperationOutput } from '../../src-shared/ipc-contract';
import { ServiceError, toApiError } from '../errors';

/** Where an IPC call came from. */
export type IpcSender =
  /** An Electron webContents frame: its URL and whether it is the top frame. */
  | { kind: 'electron'; url: string; isTopFrame: boolean }
  /** The browser host's WebSocket, after it presented the per-run secret. */
  | { kind: 'browser-host'; authenticated: boolean };

/** The app's custom protocol (Electron): the renderer is served from `app://console/`. */
export const APP_PROTOCOL = 'app';
export const APP_HOST = 'console';

/** One function per operation, taking the parsed input. */
export type OperationHandlers = {
  [N in OperationName]: (input: z.output<(typeof ipcOperations)[N]['input']>) => Promise<OperationOutput<N>>;
};

export interface RouterOptions {
  handlers: OperationHandlers;
  /** C1: whether the platform is reachable right now (writes are refused otherwise). */
  isOnline: () => boolean;
  /** The console's locale setting, for error messages (C5). */
  locale: () => Locale;
  /** Where unexpected errors are reported (never to the renderer). */
  logError?: (err: unknown, operation: string) => void;
}

/** True when a sender may call the API: the app's top frame, or the authenticated host socket. */
export function isTrustedSender(sender: unknown): boolean {
  if (typeof sender !== 'object' || sender === null) return false;
  const s = sender as Partial<Record<string, unknown>>;
  if (s.kind === 'browser-host') return s.authenticated === true;
  if (s.kind !== 'electron' || s.isTopFrame !== true || typeof s.url !== 'string') return false;
  try {
    const url = new URL(s.url);
    // Custom schemes have an opaque origin ("null") in WHATWG URL, so compare scheme and host.
    return url.protocol === `${APP_PROTOCOL}:` && url.host === APP_HOST && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** Field errors from zod issues: dotted path → messages (`_` for the root). */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  // A Map, not a plain object: field names come from the caller (e.g. "toString", "__proto__").
  const out = new Map<string, string[]>();
  const add = (key: string, message: string) => {
    const list = out.get(key);
    if (list) list.push(message);
    else out.set(key, [message]);
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) add(issue.path.concat(k).map(String).join('.'), 'unrecognized_key');
      continue;
    }
    add(issue.path.length ? issue.path.map(String).join('.') : '_', issue.message);
  }
  return Object.fromEntries(out);
}

/** Routes validated calls to the handlers. Build one per `compose()`. */
export class IpcRouter {
  constructor(private readonly opts: RouterOptions) {}

  /** Handles one call. Never throws: every outcome is an `IpcResult`. */
  async handle(sender: unknown, operation: unknown, rawInput: unknown): Promise<IpcResult<unknown>> {
    try {
      return await this.route(sender, operation, rawInput);
    } catch (err) {
      return { ok: false, error: this.toApiError(err, typeof operation === 'string' ? operation : '') };
    }
  }

  private async route(sender: unknown, operation: unknown, rawInput: unknown): Promise<IpcResult<unknown>> {
    if (!isTrustedSender(sender)) return this.fail('forbidden', 'untrusted IPC sender');
    if (typeof operation !== 'string' || !Object.hasOwn(ipcOperations, operation)) {
      return this.fail('validation_failed', 'unknown operation', { _: ['unknown_operation'] });
    }
    const name = operation as OperationName;
    const spec = ipcOperations[name];
    // Operations without input may be called with nothing at all.
    const parsed = spec.input.safeParse(rawInput === undefined ? {} : rawInput);
    if (!parsed.success) return this.fail('validation_failed', 'invalid input', zodFieldErrors(parsed.error));
    if (spec.write && !this.opts.isOnline()) return this.fail('offline', 'platform unreachable');
    const handler = this.opts.handlers[name] as (input: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    const out = spec.output.safeParse(value);
    if (!out.success) {
      this.opts.logError?.(out.error, name);
      return this.fail('internal_error', 'invalid output');
    }
    return { ok: true, value: out.data };
  }

  /** Maps a thrown error to the contract's error shape (`toApiError`); an unexpected one is logged. */
  private toApiError(err: unknown, operation: string): ApiError {
    if (!(err instanceof ServiceError)) this.opts.logError?.(err, operation);
    return toApiError(err, this.opts.locale());
  }

  private fail(code: ErrorCode, _reason: string, fieldErrors?: FieldErrors): IpcResult<never> {
    const error: ApiError = { code, message: errorMessage(code, this.opts.locale()) };
    if (fieldErrors) error.fieldErrors = fieldErrors;
    return { ok: false, error };
  }
}
