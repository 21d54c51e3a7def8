/**
 * Errors the console's main process raises. Every service throws a `ServiceError` (or a subclass,
 * like the platform client's `PlatformError`) carrying a shared error code; the IPC router turns it
 * into the `{ code, message, fieldErrors, details }` the renderer sees.
 */
import type { ErrorCode, FieldErrors } from '../src-shared/errors';

/** A failure with a code from `src-shared/errors.ts`; `message` is for logs, not for users. */
export class ServiceError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors: FieldErrors | undefined;
  readonly details: unknown;
  constructor(code: ErrorCode, message?: string, opts: { fieldErrors?: FieldErrors; details?: unknown; cause?: unknown } = {}) {
    super(message ?? code, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ServiceError';
    this.code = code;
    this.fieldErrors = opts.fieldErrors;
    this.details = opts.details;
  }
}

/** True for errors that mean "the platform could not be reached" (C1: go offline). */
export function isUnreachable(err: unknown): boolean {
  return err instanceof ServiceError && (err.code === 'network_error' || err.code === 'timeout');
}
