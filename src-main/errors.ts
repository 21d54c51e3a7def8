/**
 * Errors the console's main process raises. Every service throws a `ServiceError` (or a subclass,
 * like the platform client's `PlatformError`) carrying a shared error code; `toApiError` turns it
 * into the `{ code, message, fieldErrors, details }` the renderer sees (the IPC router and the sync
 * status both use it).
 */
import { errorMessage, type ApiError, type ErrorCode, type FieldErrors, type Locale } from '../src-shared/errors';

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

/**
 * The contract's shape of a thrown error, with the message in `locale` (C5). Anything that is not
 * a `ServiceError` is an `internal_error`: its text is for the log, never for the renderer. Pure:
 * callers decide whether to log.
 */
export function toApiError(err: unknown, locale: Locale): ApiError {
  if (!(err instanceof ServiceError)) return { code: 'internal_error', message: errorMessage('internal_error', locale) };
  const error: ApiError = { code: err.code, message: errorMessage(err.code, locale) };
  if (err.fieldErrors) error.fieldErrors = err.fieldErrors;
  if (err.details !== undefined) error.details = err.details;
  return error;
}
