/** Typed errors of the platform client: the API's code, field errors and details, plus the status. */
import { ApiErrorBodySchema, type ErrorCode } from '../../src-shared/errors';
import { ServiceError } from '../errors';

/** A platform answer (or transport failure) as a typed error. `status` is 0 without a response. */
export class PlatformError extends ServiceError {
  readonly status: number;
  constructor(code: ErrorCode, status: number, message: string, opts: { fieldErrors?: Record<string, string[]>; details?: unknown; cause?: unknown } = {}) {
    super(code, message, opts);
    this.name = 'PlatformError';
    this.status = status;
  }
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  412: 'stale_version',
  413: 'payload_too_large',
  422: 'validation_failed',
  428: 'precondition_required',
  429: 'rate_limited',
};

/** Maps an HTTP error answer to a `PlatformError`, trusting the body's code when it is a known one. */
export function errorFromResponse(status: number, body: unknown): PlatformError {
  const parsed = ApiErrorBodySchema.safeParse(body);
  if (parsed.success) {
    const { code, message, fieldErrors, details } = parsed.data.error;
    const opts: { fieldErrors?: Record<string, string[]>; details?: unknown } = {};
    if (fieldErrors) opts.fieldErrors = fieldErrors;
    if (details !== undefined) opts.details = details;
    return new PlatformError(code, status, message, opts);
  }
  return new PlatformError(CODE_BY_STATUS[status] ?? 'internal_error', status, `platform answered ${status}`);
}
