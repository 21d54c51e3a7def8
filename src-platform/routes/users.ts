/** User routes: sync list, CRUD with ETag/If-Match, password reset/set, extension, sessions, audit. */
import { z } from 'zod';
import { IdSchema } from '../../src-shared/domain';
import {
  AssignExtensionRequestSchema,
  BatchRequestSchema,
  BatchResponseSchema,
  CreateUserRequestSchema,
  ListUsersQuerySchema,
  SetPasswordRequestSchema,
  UpdateUserRequestSchema,
  userEtag,
  usersNextLink,
  AuditResponseSchema,
  CreateUserResponseSchema,
  ListUsersResponseSchema,
  PasswordResetResponseSchema,
  QueueSessionsResponseSchema,
  UpdateUserResponseSchema,
  UserResponseSchema,
} from '../../src-shared/platform-api';
import { errorMessage, pickLocale } from '../../src-shared/errors';
import { requirePermission } from '../domain/actor';
import { runBatch } from '../domain/batch';
import { listAudit } from '../domain/audit';
import { DomainError } from '../domain/errors';
import { assignExtension, releaseExtension } from '../domain/extensions';
import { requestPasswordReset, setPasswordByAdministrator } from '../domain/passwords';
import { createUser, deleteUser, getQueueSessions, getUser, getUserRow, listUsers, updateUser } from '../domain/users';
import { ifMatchHeader, noContent, requireActor, withIdempotency, responses, type RouteModule } from './http';
import { catalogTags } from './catalog';
import type { PlatformContext } from '../domain/context';

/** Largest `POST /users/batch` body: 500 items of up to about 1 kB each (the app's default is 64 kB). */
export const BATCH_BODY_LIMIT_BYTES = 1024 * 1024;

/** OpenAPI: what each operation does (routes/openapi.ts adds the errors every route of its kind answers). */
const DOCS = {
  list: {
    operationId: 'listUsers',
    summary: "List the account's users (search, filters, sync pages)",
    description:
      'R1/R7: a page of users with search (`q`) and filters; with `since=<cursor>` the changes after a cursor in sequence order with ' +
      '`deletedIds` (tombstones), `cursor` and `hasMore` (the console\'s sync, C2); `withTotal=true` adds how many changes the listing goes through; ' +
      '`withCatalogTags=true` adds `catalogTags`, the ETags `GET /queue-summaries` and `GET /extensions` answer now (a sync asks for a list only when its tag changed). ' +
      'A page with more after it answers `Link: </api/v1/users?since=<cursor>&limit=<limit>>; rel="next"`, so a client can ask for the next page before parsing this one.',
  },
  create: {
    operationId: 'createUser',
    summary: 'Create a user',
    description:
      'R3/R6: creates a user of the account and emails the reset link (not in a self-managed account); omnichannel on creation is support-only ' +
      'and takes a free extension of the account. Issue 11: `extensionId` and `queueIds` associate an extension (R10, 409 `extension_taken`) and ' +
      'join queues (R8 per queue, 422 when the new user may not join one) in the same transaction: a refusal creates nothing. ' +
      'Answers the user with its ETag and the emails queued.',
  },
  get: { operationId: 'getUser', summary: 'One user', description: 'The user with its queues, extension and readiness; `ETag` is its version (for If-Match).' },
  update: {
    operationId: 'updateUser',
    summary: 'Edit a user (If-Match)',
    description:
      'R3/R4/R6: changes the fields sent. Needs `If-Match` with the ETag the edit is based on (412 `stale_version` with the current user). ' +
      'R4: a user in queue sessions is edited only with `confirmQueueLogout: true` (409 lists the sessions), and the answer lists the queues it was logged out of.',
  },
  remove: { operationId: 'deleteUser', summary: 'Delete a user', description: 'Removes the user and leaves a tombstone for the consoles\' next sync (C2); one cannot delete oneself.' },
  reset: {
    operationId: 'sendPasswordReset',
    summary: 'Email the user a reset link',
    description: 'R5: issues a single-use reset link (24 hours) and queues the email; answers where it goes and when the link expires.',
  },
  setPassword: {
    operationId: 'setUserPassword',
    summary: 'Set a temporary password',
    description: 'R9: an administrator sets a password the user must change at the next sign-in (403 `password_change_required` on every other route until then).',
  },
  assignExtension: { operationId: 'assignUserExtension', summary: 'Give the user an extension', description: 'R8: associates a free extension of the account with the user.' },
  releaseExtension: { operationId: 'releaseUserExtension', summary: "Release the user's extension", description: "R8: the user's extension becomes free again." },
  sessions: { operationId: 'listUserQueueSessions', summary: "The user's queue sessions", description: 'R4: the queues the user is logged in to now (an edit would log them out).' },
  audit: { operationId: 'listUserAudit', summary: "The user's audit trail", description: 'Who changed what and when on this user, newest first (administrators, supervisors and support).' },
} as const;

const UserParams = z.strictObject({ id: IdSchema.describe('The user id.') });

/** Registers the user routes. */
export const userRoutes: RouteModule = (app, deps) => {
  const { ctx } = deps;
  const tags = ['users'];

  app.get('/api/v1/users', { schema: { ...DOCS.list, response: responses(200, ListUsersResponseSchema, ['forbidden']), querystring: ListUsersQuerySchema, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    const page = await listUsers(ctx, actor, request.query);
    // Issue 10: where the next page is, before the client parses this one.
    if (page.hasMore) reply.header('link', usersNextLink(request.query, page.cursor));
    // Issue 10: a delta sync's first page says whether the catalog lists changed (read after the
    // page: a list changed in between is asked for, never missed).
    return request.query.withCatalogTags === 'true' ? { ...page, catalogTags: await catalogTags(ctx, actor) } : page;
  });

  app.post('/api/v1/users', { config: { idempotencyKey: true }, schema: { ...DOCS.create, response: responses(201, CreateUserResponseSchema, ['forbidden', 'support_operator_scope', 'omnichannel_creation_support_only', 'webrtc_required', 'login_taken', 'email_taken', 'no_free_extension', 'not_found', 'extension_taken', 'chat_queue_requires_omnichannel', 'voice_queue_requires_extension']), body: CreateUserRequestSchema, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    return withIdempotency(deps, request, reply, actor, async (ctx) => {
      const result = await createUser(ctx, actor, request.body);
      return { status: 201, body: result, headers: { etag: userEtag(result.user) } };
    });
  });

  app.post(
    '/api/v1/users/batch',
    {
      bodyLimit: BATCH_BODY_LIMIT_BYTES,
      config: { idempotencyKey: true },
      schema: {
        operationId: 'batchUsers',
        summary: 'Change or create up to 500 users in one request',
        description:
          'Issue 11 (C7). Each item is checked and applied by the same rules as the single-user routes (R2, R3, R4, R6, R8, R10, R11), ' +
          'with its own version check (`ifMatch`, If-Match semantics) and its own result: `ok`, `refused` (with the error code, field errors ' +
          'and details the single route would answer, e.g. 409 `queue_logout_confirmation_required` listing the sessions when an edit would log ' +
          'the user out of queues without `confirmQueueLogout`) or `conflict` (stale version, with the current user). A refused item changes ' +
          'nothing; the others apply. One audit entry per user. `Idempotency-Key` covers the whole batch: a retry replays the first answer. ' +
          'The whole request answers 403 when the profile may not do what some item asks (a supervisor may not change users). ' +
          'With `dryRun: true` every item is checked and run, then undone: the answer says what would happen, including the queues each edit would log the user out of, and nothing changes.',
        tags,
        body: BatchRequestSchema,
        response: responses(200, BatchResponseSchema, ['forbidden']),
      },
    },
    async (request, reply) => {
      const actor = await requireActor(deps, request);
      const locale = pickLocale(request.headers['accept-language']);
      return withIdempotency(deps, request, reply, actor, async (scoped?: PlatformContext) => {
        const outcomes = await runBatch(scoped ?? ctx, actor, request.body.items, { dryRun: request.body.dryRun });
        // Each refusal in the request's language, as the single route would answer it.
        const results = outcomes.map(({ error, ...o }) => (error ? { ...o, error: { ...error, message: errorMessage(error.code, locale) } } : o));
        const count = (status: string) => results.filter((r) => r.status === status).length;
        return { status: 200, body: { results, summary: { ok: count('ok'), refused: count('refused'), conflict: count('conflict') } } };
      });
    },
  );

  app.get('/api/v1/users/:id', { schema: { ...DOCS.get, response: responses(200, UserResponseSchema, ['forbidden', 'not_found']), params: UserParams, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    const user = await getUser(ctx, actor, request.params.id);
    reply.header('etag', userEtag(user));
    return { user };
  });

  app.patch('/api/v1/users/:id', { config: { idempotencyKey: true, ifMatch: true }, schema: { ...DOCS.update, response: responses(200, UpdateUserResponseSchema, ['forbidden', 'not_found', 'support_operator_scope', 'webrtc_required', 'login_taken', 'email_taken', 'queue_logout_confirmation_required']), params: UserParams, body: UpdateUserRequestSchema, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    const ifMatch = ifMatchHeader(request);
    if (ifMatch === undefined) {
      // Check the user exists and may be edited first, so a 428 never leaks other accounts' ids.
      requirePermission(actor, 'canEditUsers');
      await getUserRow(ctx.db, actor.accountId, request.params.id);
      throw new DomainError('precondition_required');
    }
    // A retry whose first answer was lost replays it (with the queues logged out) instead of
    // meeting its own change as a stale version.
    return withIdempotency(deps, request, reply, actor, async (ctx) => {
      const result = await updateUser(ctx, actor, request.params.id, ifMatch, request.body);
      return { status: 200, body: result, headers: { etag: userEtag(result.user) } };
    });
  });

  app.delete('/api/v1/users/:id', { schema: { ...DOCS.remove, response: noContent(['forbidden', 'not_found']), params: UserParams, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    await deleteUser(ctx, actor, request.params.id);
    return reply.code(204).send();
  });

  app.post('/api/v1/users/:id/password-reset', { config: { idempotencyKey: true }, schema: { ...DOCS.reset, response: responses(202, PasswordResetResponseSchema, ['forbidden', 'not_found', 'self_managed_account']), params: UserParams, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    return withIdempotency(deps, request, reply, actor, async (ctx) => ({ status: 202, body: await requestPasswordReset(ctx, actor, request.params.id) }));
  });

  app.put('/api/v1/users/:id/password', { schema: { ...DOCS.setPassword, response: responses(200, UserResponseSchema, ['forbidden', 'not_found', 'self_managed_account', 'password_policy', 'password_mismatch']), params: UserParams, body: SetPasswordRequestSchema, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    const user = await setPasswordByAdministrator(ctx, actor, request.params.id, request.body);
    reply.header('etag', userEtag(user));
    return { user };
  });

  app.put('/api/v1/users/:id/extension', { schema: { ...DOCS.assignExtension, response: responses(200, UserResponseSchema, ['forbidden', 'not_found', 'extension_taken']), params: UserParams, body: AssignExtensionRequestSchema, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    const user = await assignExtension(ctx, actor, request.params.id, request.body.extensionId);
    reply.header('etag', userEtag(user));
    return { user };
  });

  app.delete('/api/v1/users/:id/extension', { schema: { ...DOCS.releaseExtension, response: responses(200, UserResponseSchema, ['forbidden', 'not_found']), params: UserParams, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    const user = await releaseExtension(ctx, actor, request.params.id);
    reply.header('etag', userEtag(user));
    return { user };
  });

  app.get('/api/v1/users/:id/queue-sessions', { schema: { ...DOCS.sessions, response: responses(200, QueueSessionsResponseSchema, ['forbidden', 'not_found']), params: UserParams, tags } }, async (request) => {
    const actor = await requireActor(deps, request);
    return { items: await getQueueSessions(ctx, actor, request.params.id) };
  });

  app.get('/api/v1/users/:id/audit', { schema: { ...DOCS.audit, response: responses(200, AuditResponseSchema, ['forbidden', 'not_found']), params: UserParams, tags } }, async (request) => {
    const actor = await requireActor(deps, request);
    requirePermission(actor, 'canReview');
    await getUserRow(ctx.db, actor.accountId, request.params.id);
    return { items: await listAudit(ctx.db, actor.accountId, 'user', request.params.id) };
  });
};
