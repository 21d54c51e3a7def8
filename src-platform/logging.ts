/**
 * The platform's structured log: Fastify's logger (pino), one JSON object per line, every request
 * with a `requestId` (also sent back as `x-request-id`). Secrets never reach it: the Authorization
 * and Cookie headers and secret-looking fields are censored, and the secret parts of a URL (a reset
 * link's `token=…`) are removed before the URL is logged. Bodies are not logged.
 */
import type { FastifyRequest } from 'fastify';

/** Where and how much the platform logs. */
export interface PlatformLogOptions {
  /** pino level: fatal, error, warn, info (default), debug, trace, silent. */
  level?: string;
  /** Destination (default stdout). */
  stream?: { write(line: string): void };
}

/** What is written instead of a secret. */
export const REDACTED = '[redacted]';

/** A URL with the values of its secret query parameters (token, code, key, password) removed. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|code|key|password|access_token|id_token)=)[^&#\s]*/gi, `$1${REDACTED}`);
}

/** Fastify logger options with the redaction above. */
export function loggerOptions(options: PlatformLogOptions) {
  return {
    level: options.level ?? 'info',
    ...(options.stream ? { stream: options.stream } : {}),
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["idempotency-key"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.newPassword',
        '*.currentPassword',
        '*.token',
        '*.accessToken',
      ],
      censor: REDACTED,
    },
    serializers: {
      req: (request: FastifyRequest) => ({ method: request.method, url: redactUrl(request.url), host: request.host, remoteAddress: request.ip }),
    },
  };
}
