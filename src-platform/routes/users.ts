/** User routes: sync list, CRUD with ETag/If-Match, password reset/set, extension, sessions, audit. */
import { z } from 'zod';
import { IdSchema } from '../../src-shared/domain';
import {
  AssignExtensionRequestSchema,
  CreateUserRequestSchema,
  ListUsersQuerySchema,
  SetPasswordRequestSchema,
  UpdateUserRequestSchema,
  userEtag,
  AuditResponseSchema,
  CreateUserResponseSchema,
  ListUsersResponseSchema,
  PasswordResetResponseSchema,
  QueueSessionsResponseSchema,
  UpdateUserResponseSchema,
  UserResponseSchema,
} from '../../src-shared/platform-api';
import { requirePermission } from '../domain/actor';
import { listAudit } from '../domain/audit';
import { DomainError } from '../domain/errors';
import { assignExtension, releaseExtension } from '../domain/extensions';
import { requestPasswordReset, setPasswordByAdministrator } from '../domain/passwords';
import { createUser, deleteUser, getQueueSessions, getUser, getUserRow, listUsers, updateUser } from '../domain/users';
import { requireActor, withIdempotency, responses, type RouteModule } from './http';

const UserParams = z.strictObject({ id: IdSchema });

/** Registers the user routes. */
export const userRoutes: RouteModule = (app, deps) => {
  const { ctx } = deps;
  const tags = ['users'];

  app.get('/api/v1/users', { schema: { response: responses(200, ListUsersResponseSchema), querystring: ListUsersQuerySchema, tags } }, async (request) => {
    const actor = await requireActor(deps, request);
    return listUsers(ctx, actor, request.query);
  });

  app.post('/api/v1/users', { schema: { response: responses(201, CreateUserResponseSchema), body: CreateUserRequestSchema, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    return withIdempotency(deps, request, reply, actor, async () => {
      const result = await createUser(ctx, actor, request.body);
      return { status: 201, body: result, headers: { etag: userEtag(result.user) } };
    });
  });

  app.get('/api/v1/users/:id', { schema: { response: responses(200, UserResponseSchema), params: UserParams, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    const user = await getUser(ctx, actor, request.params.id);
    reply.header('etag', userEtag(user));
    return { user };
  });

  app.patch('/api/v1/users/:id', { schema: { response: responses(200, UpdateUserResponseSchema), params: UserParams, body: UpdateUserRequestSchema, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    const ifMatch = request.headers['if-match'];
    if (typeof ifMatch !== 'string' || ifMatch.trim() === '') {
      // Check the user exists and may be edited first, so a 428 never leaks other accounts' ids.
      requirePermission(actor, 'canEditUsers');
      await getUserRow(ctx.db, actor.accountId, request.params.id);
      throw new DomainError('precondition_required');
    }
    // A retry whose first answer was lost replays it (with the queues logged out) instead of
    // meeting its own change as a stale version.
    return withIdempotency(deps, request, reply, actor, async () => {
      const result = await updateUser(ctx, actor, request.params.id, ifMatch, request.body);
      return { status: 200, body: result, headers: { etag: userEtag(result.user) } };
    });
  });

  app.delete('/api/v1/users/:id', { schema: { params: UserParams, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    await deleteUser(ctx, actor, request.params.id);
    return reply.code(204).send();
  });

  app.post('/api/v1/users/:id/password-reset', { schema: { response: responses(202, PasswordResetResponseSchema), params: UserParams, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    return withIdempotency(deps, request, reply, actor, async () => ({ status: 202, body: await requestPasswordReset(ctx, actor, request.params.id) }));
  });

  app.put('/api/v1/users/:id/password', { schema: { response: responses(200, UserResponseSchema), params: UserParams, body: SetPasswordRequestSchema, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    const user = await setPasswordByAdministrator(ctx, actor, request.params.id, request.body);
    reply.header('etag', userEtag(user));
    return { user };
  });

  app.put('/api/v1/users/:id/extension', { schema: { response: responses(200, UserResponseSchema), params: UserParams, body: AssignExtensionRequestSchema, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    const user = await assignExtension(ctx, actor, request.params.id, request.body.extensionId);
    reply.header('etag', userEtag(user));
    return { user };
  });

  app.delete('/api/v1/users/:id/extension', { schema: { response: responses(200, UserResponseSchema), params: UserParams, tags } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    const user = await releaseExtension(ctx, actor, request.params.id);
    reply.header('etag', userEtag(user));
    return { user };
  });

  app.get('/api/v1/users/:id/queue-sessions', { schema: { response: responses(200, QueueSessionsResponseSchema), params: UserParams, tags } }, async (request) => {
    const actor = await requireActor(deps, request);
    return { items: await getQueueSessions(ctx, actor, request.params.id) };
  });

  app.get('/api/v1/users/:id/audit', { schema: { response: responses(200, AuditResponseSchema), params: UserParams, tags } }, async (request) => {
    const actor = await requireActor(deps, request);
    requirePermission(actor, 'canReview');
    await getUserRow(ctx.db, actor.accountId, request.params.id);
    return { items: await listAudit(ctx.db, actor.accountId, 'user', request.params.id) };
  });
};
