/**
 * The one error type the domain throws. Routes turn it into `{ error: { code, message, ... } }` with
 * the status of `ERROR_STATUS` and the message in the request's locale.
 */
import type { ErrorCode, FieldErrors } from '../../src-shared/errors';

/** A refusal with a shared error code (see src-shared/errors.ts). */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly extra: { fieldErrors?: FieldErrors; details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(code);
    this.name = 'DomainError';
  }
}
