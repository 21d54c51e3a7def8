/**
 * What every route module shares: the app type (Fastify with the zod type provider), the
 * dependencies routes receive, the bearer-token actor, errors as `{ error }` bodies in the
 * request's locale, and Idempotency-Key replay.
 */
import { createHash } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z, type ZodType } from 'zod';
import { ApiErrorBodySchema, ERROR_STATUS, errorMessage, pickLocale, type ApiError, type ErrorCode } from '../../src-shared/errors';
import { authenticate, type LoginLimits } from '../auth/login';
import type { Actor } from '../domain/actor';
import { transact } from '../db/database';
import type { PlatformContext } from '../domain/context';
import { DomainError } from '../domain/errors';
import type { Mailbox } from '../mail/smtp-sink';
import { NO_CONTENT, ROUTE_ERRORS } from './openapi';

/** The Fastify instance routes register on (zod schemas for validation and OpenAPI). */
export type PlatformApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** What route modules receive. */
export interface RouteDeps {
  ctx: PlatformContext;
  limits: LoginLimits;
  /** The development mailbox and its per-run secret; null unless asked for (issue 9 class 5). */
  mailbox: { messages: Mailbox; secret: string } | null;
  /** Runs work after the answer (kept until it ends; `close` waits for it). */
  later(task: () => Promise<void>): void;
  /** Test hooks (see PlatformOptions.hooks). */
  hooks: { afterIdempotentCommit?: () => void | Promise<void> };
  /** Idempotency keys being handled right now (per platform instance). */
  idempotencyLocks: Map<string, Promise<unknown>>;
  /** Extra CA (PEM) trusted for the Microsoft authority (see PlatformOptions.microsoftCa). */
  microsoftCa?: string | undefined;
  /** Local test authorities allowed by the start options (issue 9 class 2); never set by the API. */
  microsoftTestAuthorities?: readonly string[] | undefined;
  /** R5: where an agent signs in after setting a password (the reset page links there). */
  agentLoginUrl?: string | undefined;
  /** Host names answered besides the loopback names and the public URL's host (see PlatformOptions.allowedHosts). */
  allowedHosts?: readonly string[] | undefined;
}

/** A route module: registers its routes under `/api/v1` (or at the root for HTML pages). */
export type RouteModule = (app: PlatformApp, deps: RouteDeps) => void;

/** The `{ error }` body of a code in the request's locale. */
export function errorBody(request: FastifyRequest, code: ErrorCode, extra: Omit<ApiError, 'code' | 'message'> = {}): { error: ApiError } {
  const locale = pickLocale(request.headers['accept-language']);
  return { error: { code, message: errorMessage(code, locale), ...extra } };
}

/** Sends a domain error with its status, headers and body. */
export function sendDomainError(request: FastifyRequest, reply: FastifyReply, error: DomainError): FastifyReply {
  for (const [name, value] of Object.entries(error.extra.headers ?? {})) reply.header(name, value);
  const extra: Omit<ApiError, 'code' | 'message'> = {};
  if (error.extra.fieldErrors) extra.fieldErrors = error.extra.fieldErrors;
  if (error.extra.details !== undefined) extra.details = error.extra.details;
  return reply.code(ERROR_STATUS[error.code] ?? 400).send(errorBody(request, error.code, extra));
}

/** The bearer token of a request, if any. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header.trim());
  return match?.[1];
}

/** The signed-in actor of a request (401 otherwise). */
export function requireActor(deps: RouteDeps, request: FastifyRequest): Promise<Actor> {
  return authenticate(deps.ctx, bearerToken(request));
}

/** How long a stored Idempotency-Key answer is replayed; after that the key is free again. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Runs a keyed write (POST, PATCH) with an optional `Idempotency-Key`: the handler's writes, the
 * emails it queues and the answer stored for the key commit in one transaction (issue 16), so a
 * crash between the write and the response leaves either nothing or the write with its answer. A
 * retry with the same body replays the stored answer without running the handler again (no second
 * email); the same key with another body answers 422. Keys are per acting user. The key is taken
 * first in that transaction, so the same key sent at once to several instances runs the handler
 * once: the others wait for its commit and replay its answer (issue 12). Answers older than
 * IDEMPOTENCY_KEY_TTL_MS count as absent (and are replaced); housekeeping deletes them.
 */
export async function withIdempotency(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  actor: Actor,
  handler: (ctx: PlatformContext) => Promise<{ status: number; body: unknown; headers?: Record<string, string> }>,
): Promise<FastifyReply> {
  if (request.routeOptions.config.idempotencyKey !== true) {
    throw new Error(`${request.method} ${request.routeOptions.url ?? ''} honours Idempotency-Key but its config does not say so (OpenAPI)`);
  }
  const rawKey = request.headers['idempotency-key'];
  const key = typeof rawKey === 'string' ? rawKey.trim() : undefined;
  if (key === undefined) {
    const result = await handler(deps.ctx);
    // Its writes are committed: mail it queued goes out now, not at the worker's next round.
    deps.ctx.mailer.wake();
    return reply.code(result.status).headers(result.headers ?? {}).send(result.body);
  }
  if (key.length < 1 || key.length > 200) throw new DomainError('validation_failed', { fieldErrors: { 'Idempotency-Key': ['invalid'] } });
  const requestHash = createHash('sha256')
    .update(`${request.method} ${request.routeOptions.url ?? ''} ${JSON.stringify(request.params)} ${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
  const lockKey = `${actor.userId}\u0000${key}`;
  // Serialize concurrent retries of one key so the handler runs once.
  const inFlight = deps.idempotencyLocks;
  while (inFlight.has(lockKey)) await inFlight.get(lockKey)?.catch(() => undefined);
  const { ctx } = deps;
  const run = transact(ctx.db, async (trx) => {
    const at = ctx.now().toISOString();
    // A key is kept for a day; an older answer is expired and the key free again (housekeeping
    // removes expired answers on its schedule, housekeeping.ts).
    const cutoff = new Date(ctx.now().getTime() - IDEMPOTENCY_KEY_TTL_MS).toISOString();
    // Take the key first, in this transaction (issue 12): a request with the same key on another
    // instance waits here until this one commits, then finds its answer; or, if this one rolls
    // back (a refusal stores nothing), takes the key and runs itself. An expired answer is replaced.
    const taken = await trx
      .insertInto('idempotency_keys')
      .values({ actor_id: actor.userId, key, request_hash: requestHash, status_code: 0, response_json: '{}', created_at: at })
      .onConflict((oc) =>
        oc
          .columns(['actor_id', 'key'])
          .doUpdateSet({ request_hash: requestHash, status_code: 0, response_json: '{}', created_at: at })
          .where('idempotency_keys.created_at', '<', cutoff),
      )
      .returning('key')
      .executeTakeFirst();
    if (!taken) {
      // Answered (and committed) before: a new statement sees it (read committed).
      const stored = await trx.selectFrom('idempotency_keys').selectAll().where('actor_id', '=', actor.userId).where('key', '=', key).executeTakeFirstOrThrow();
      if (stored.request_hash !== requestHash) throw new DomainError('idempotency_key_mismatch');
      const saved = JSON.parse(stored.response_json) as { body: unknown; headers: Record<string, string> };
      return { status: stored.status_code, body: saved.body, headers: saved.headers, replayed: true };
    }
    const result = await handler({ ...ctx, db: trx });
    await trx
      .updateTable('idempotency_keys')
      .set({ status_code: result.status, response_json: JSON.stringify({ body: result.body, headers: result.headers ?? {} }) })
      .where('actor_id', '=', actor.userId)
      .where('key', '=', key)
      .execute();
    return { ...result, replayed: false };
  });
  inFlight.set(lockKey, run);
  try {
    const result = await run;
    if (!result.replayed) {
      ctx.mailer.wake();
      await deps.hooks.afterIdempotentCommit?.();
    }
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(result.status).headers(result.headers ?? {}).send(result.body);
  } finally {
    inFlight.delete(lockKey);
  }
}

/**
 * Response schemas of a route (src-shared): the success body and `{ error }` for every 4xx. They
 * document the API in OpenAPI and are checked when the response is serialized. `errors`: the codes
 * this route answers besides those every route of its kind does (see routes/openapi.ts), one
 * documented 4XX status each.
 */
export function responses<S extends number, T extends ZodType>(status: S, schema: T, errors: readonly ErrorCode[] = []): Record<S, T> & { '4xx': typeof ApiErrorBodySchema } {
  const map = { [status]: schema, '4xx': ApiErrorBodySchema } as Record<S, T> & { '4xx': typeof ApiErrorBodySchema };
  return Object.assign(map, { [ROUTE_ERRORS]: errors });
}

/** The responses of a route that answers 204 without a body, and the codes it names (as `responses`). */
export function noContent(errors: readonly ErrorCode[] = []): { 204: z.ZodUndefined; '4xx': typeof ApiErrorBodySchema } {
  return Object.assign({ 204: z.undefined(), '4xx': ApiErrorBodySchema }, { [ROUTE_ERRORS]: errors, [NO_CONTENT]: true });
}

/** A strong ETag of a body: a hash of its JSON (`answeredNotModified`; a users page's `catalogTags`). */
export function entityTag(body: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 32)}"`;
}

/**
 * Issue 10: a conditional GET (`config: { conditional: true }`, documented with `If-None-Match`
 * and 304). Tags the body with a strong ETag (a hash of its JSON) and answers 304 without a body
 * when the request's `If-None-Match` names that tag (or is `*`); otherwise the caller sends the
 * body. Returns whether it answered. A console that syncs the catalog keeps the tag and asks
 * again with it, so an unchanged catalog costs no body to write, send, parse and store.
 */
export function answeredNotModified(request: FastifyRequest, reply: FastifyReply, body: unknown): boolean {
  if (request.routeOptions.config.conditional !== true) throw new Error(`${request.method} ${request.routeOptions.url ?? ''} answers If-None-Match but its config does not say so (OpenAPI)`);
  const tag = entityTag(body);
  reply.header('etag', tag);
  const header = request.headers['if-none-match'];
  if (typeof header !== 'string') return false;
  // A list of tags; weak ones compare by their opaque part (RFC 9110, 13.1.2).
  const named = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (!named.includes(tag) && !named.includes('*')) return false;
  void reply.code(304).send();
  return true;
}

/**
 * The `If-Match` header of a route documented as reading it (`config: { ifMatch: true }`), or
 * undefined when the request has none. A route that reads it undocumented fails at once (500).
 */
export function ifMatchHeader(request: FastifyRequest): string | undefined {
  if (request.routeOptions.config.ifMatch !== true) throw new Error(`${request.method} ${request.routeOptions.url ?? ''} reads If-Match but its config does not say so (OpenAPI)`);
  const value = request.headers['if-match'];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
