/**
 * The OpenAPI document (issue 12, "Operable"): `@fastify/swagger` builds it from each route's zod
 * schemas and its own `operationId`, `summary`, `description` and `tags`; this transform adds what
 * the routes' schemas do not carry, so that the document passes Spectral's `spectral:oas` ruleset
 * with no warning (test/integration/src-platform/openapi.test.ts):
 * - every 4XX the operation can answer, one status at a time, with the error codes behind it: the
 *   codes the route names (`responses(200, Schema, ['not_found'])`) plus those every route of its
 *   kind answers (401/403 when it needs a session, 400/413 when it reads a body or parameters…);
 * - the `Idempotency-Key` and `If-Match` header parameters of routes whose config says they read
 *   them (`config: { idempotencyKey: true }`, `config: { ifMatch: true }`: `withIdempotency` and
 *   `requireIfMatch` refuse to run on a route that does not say so, so the document cannot miss one);
 * - a 204 for routes that answer without a body (`noContent([...])`);
 * - `If-None-Match` and a 304 for conditional GETs (`config: { conditional: true }`, answered by
 *   `answeredNotModified`).
 * Public operations (sign-in, forgot/reset password, providers) declare `security: []` themselves.
 */
import { STATUS_CODES } from 'node:http';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { ERROR_STATUS, errorMessage, type ErrorCode } from '../../src-shared/errors';

/** The error codes a route names, kept on its response map (read by the transform). */
export const ROUTE_ERRORS = Symbol('routeErrors');
/** Marks a response map whose success is 204 without a body. */
export const NO_CONTENT = Symbol('noContent');

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route honours `Idempotency-Key` (withIdempotency); documented as a header parameter. */
    idempotencyKey?: boolean;
    /** The route needs `If-Match` (412/428); documented as a header parameter. */
    ifMatch?: boolean;
    /** A conditional GET (`answeredNotModified`): `If-None-Match` documented, and its 304. */
    conditional?: boolean;
  }
}

/** The document's top level: contact, the server (the origin that serves it), the tags. */
export const OPENAPI_INFO = {
  openapi: '3.0.3',
  info: {
    title: 'Omniconsole platform API',
    version: '1.0.0',
    description:
      'Contact-center platform REST API (R1–R11): users made omnichannel agents, queues, extensions, password resets and sign-in. ' +
      'Every 4xx answer is `{ error: { code, message, fieldErrors?, details? } }` with the message in the Accept-Language locale (pt-BR by default).',
    contact: { name: 'Omniconsole platform maintainers' },
  },
  servers: [{ url: '/', description: 'The platform that serves this document (paths start with /api/v1)' }],
  tags: [
    { name: 'account', description: "The signed-in account and its Microsoft identity provider (R11)." },
    { name: 'auth', description: 'Sign-in with a password or Microsoft, sessions, forgotten and temporary passwords (R2, R5, R9, R11).' },
    { name: 'extensions', description: "The account's extensions (R8)." },
    { name: 'queues', description: 'Voice and chat queues, their members and queue sessions (R4, R10).' },
    { name: 'users', description: 'Users and agents: sync listing, create, edit with If-Match, password reset, extension, audit (R1–R10).' },
  ],
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The session token answered by POST /api/v1/auth/login or /api/v1/auth/microsoft.' } } },
  security: [{ bearer: [] }],
} as const;

const HEADER_DOCS = {
  idempotencyKey: {
    name: 'Idempotency-Key',
    schema: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description:
        'Makes the write safe to retry: the first answer (status, body, ETag) is stored per acting user and key for 24 hours and replayed ' +
        '(header `idempotent-replayed: true`) by any instance; the same key with another body answers 422 `idempotency_key_mismatch`.',
    },
  },
  ifNoneMatch: {
    name: 'If-None-Match',
    schema: {
      type: 'string',
      description: 'The ETag of the last answer the client keeps: 304 without a body while the answer is the same.',
    },
  },
  ifMatch: {
    name: 'If-Match',
    schema: {
      type: 'string',
      description: "The user's ETag (`\"<version>\"`) the edit is based on: 412 `stale_version` with the current user when it changed meanwhile, 428 when missing.",
    },
  },
} as const;

/** The codes every operation of a kind answers, added to those the route names. */
function commonErrors(options: { secured: boolean; body: boolean; input: boolean; idempotencyKey: boolean; ifMatch: boolean }): ErrorCode[] {
  // Issue 9 class 4: a Host the platform does not serve gets 421 on every route.
  const codes: ErrorCode[] = ['misdirected_request'];
  if (options.secured) codes.push('unauthorized', 'session_expired');
  // Issue 9 class 9: a body that is not application/json gets 415.
  if (options.body) codes.push('validation_failed', 'malformed_request', 'payload_too_large', 'unsupported_media_type');
  if (options.input) codes.push('validation_failed');
  if (options.idempotencyKey) codes.push('validation_failed', 'idempotency_key_mismatch');
  if (options.ifMatch) codes.push('stale_version', 'precondition_required');
  return codes;
}

/** One response description per status: the status's name and the codes behind it (English messages). */
function errorDescription(status: number, codes: ErrorCode[]): string {
  return `${STATUS_CODES[status] ?? 'Error'}: ${codes.map((code) => `\`${code}\` (${errorMessage(code, 'en')})`).join('; ')}`;
}

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];
type JsonObject = Record<string, unknown>;

/** `@fastify/swagger`'s transform: fastify-type-provider-zod's, then the additions above. */
export function openApiTransform(input: TransformInput): ReturnType<typeof jsonSchemaTransform> {
  const original = (input.schema ?? {}) as JsonObject & { response?: Record<PropertyKey, unknown> };
  // A 204's schema (`z.undefined()`, no body) has no JSON Schema: documented below without content.
  const noContent = Boolean(original.response?.[NO_CONTENT]);
  const bodyResponses = noContent ? Object.fromEntries(Object.entries(original.response ?? {}).filter(([status]) => status !== '204')) : original.response;
  const result = jsonSchemaTransform({ ...input, schema: { ...original, response: bodyResponses } } as TransformInput);
  const schema = result.schema as JsonObject | undefined;
  if (!schema || schema.hide) return result;
  const config = ((input.route as { config?: { idempotencyKey?: boolean; ifMatch?: boolean; conditional?: boolean } }).config ?? {});
  const secured = !(Array.isArray(schema.security) && schema.security.length === 0);
  const named = (original.response?.[ROUTE_ERRORS] as ErrorCode[] | undefined) ?? [];
  const codes = [
    ...named,
    ...commonErrors({ secured, body: Boolean(original.body), input: Boolean(original.params || original.querystring), idempotencyKey: Boolean(config.idempotencyKey), ifMatch: Boolean(config.ifMatch) }),
  ];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_STATUS[code];
    if (status === undefined) throw new Error(`openapi: ${code} has no HTTP status`);
    const list = byStatus.get(status) ?? [];
    if (!list.includes(code)) list.push(code);
    byStatus.set(status, list);
  }
  const response: JsonObject = { ...((schema.response as JsonObject | undefined) ?? {}) };
  const errorBody = response['4xx'];
  delete response['4xx'];
  if (noContent) response['204'] = { type: 'null', 'x-response-description': 'No Content: done' };
  for (const [status, body] of Object.entries(response)) {
    if (/^2\d\d$/.test(status)) response[status] = { ...(body as JsonObject), 'x-response-description': `${STATUS_CODES[Number(status)]}` };
  }
  if (config.conditional) response['304'] = { type: 'null', 'x-response-description': 'Not Modified: the answer is still the one whose ETag was sent in If-None-Match' };
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    response[String(status)] = { ...(errorBody as JsonObject), 'x-response-description': errorDescription(status, list) };
  }
  const headers = [config.idempotencyKey ? HEADER_DOCS.idempotencyKey : null, config.ifMatch ? HEADER_DOCS.ifMatch : null, config.conditional ? HEADER_DOCS.ifNoneMatch : null].filter((h) => h !== null);
  if (headers.length > 0) {
    schema.headers = {
      type: 'object',
      properties: Object.fromEntries(headers.map((h) => [h.name, h.schema])),
      required: config.ifMatch ? [HEADER_DOCS.ifMatch.name] : [],
    };
  }
  schema.response = response;
  return result;
}
