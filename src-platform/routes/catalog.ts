/** Extension and queue routes (R8, R10), queue sessions (R4), and the current account (R11). */
import { z } from 'zod';
import { IdSchema } from '../../src-shared/domain';
import {
  AccountResponseSchema,
  CreateExtensionRequestSchema,
  CreateQueueRequestSchema,
  ExtensionResponseSchema,
  ListExtensionsResponseSchema,
  ListQueuesResponseSchema,
  MembershipResponseSchema,
  QueueResponseSchema,
  SetIdentityProviderRequestSchema,
  StartQueueSessionRequestSchema,
} from '../../src-shared/platform-api';
import { identityProviderChecks } from '../auth/microsoft/route';
import { requirePermission } from '../domain/actor';
import { getAccount, setIdentityProvider, toAccount } from '../domain/accounts';
import { createExtension, listExtensions } from '../domain/extensions';
import { addQueueMember, createQueue, endQueueSession, listQueues, removeQueueMember, startQueueSession } from '../domain/queues';
import { requireActor, responses, withIdempotency, type RouteModule } from './http';

const QueueParams = z.strictObject({ id: IdSchema });
const MemberParams = z.strictObject({ id: IdSchema, userId: IdSchema });

/** Registers extension, queue and account routes. */
export const catalogRoutes: RouteModule = (app, deps) => {
  const { ctx } = deps;

  app.get('/api/v1/extensions', { schema: { response: responses(200, ListExtensionsResponseSchema), tags: ['extensions'] } }, async (request) => {
    const actor = await requireActor(deps, request);
    return { items: await listExtensions(ctx, actor) };
  });

  app.post('/api/v1/extensions', { schema: { response: responses(201, ExtensionResponseSchema), body: CreateExtensionRequestSchema, tags: ['extensions'] } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    return withIdempotency(deps, request, reply, actor, async () => ({ status: 201, body: { extension: await createExtension(ctx, actor, request.body) } }));
  });

  app.get('/api/v1/queues', { schema: { response: responses(200, ListQueuesResponseSchema), tags: ['queues'] } }, async (request) => {
    const actor = await requireActor(deps, request);
    return { items: await listQueues(ctx, actor) };
  });

  app.post('/api/v1/queues', { schema: { response: responses(201, QueueResponseSchema), body: CreateQueueRequestSchema, tags: ['queues'] } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    return withIdempotency(deps, request, reply, actor, async () => ({ status: 201, body: { queue: await createQueue(ctx, actor, request.body) } }));
  });

  app.put('/api/v1/queues/:id/members/:userId', { schema: { response: responses(200, MembershipResponseSchema), params: MemberParams, tags: ['queues'] } }, async (request) => {
    const actor = await requireActor(deps, request);
    return addQueueMember(ctx, actor, request.params.id, request.params.userId);
  });

  app.delete('/api/v1/queues/:id/members/:userId', { schema: { response: responses(200, MembershipResponseSchema), params: MemberParams, tags: ['queues'] } }, async (request) => {
    const actor = await requireActor(deps, request);
    return removeQueueMember(ctx, actor, request.params.id, request.params.userId);
  });

  app.post('/api/v1/queues/:id/sessions', { schema: { params: QueueParams, body: StartQueueSessionRequestSchema, tags: ['queues'] } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    await startQueueSession(ctx, actor, request.params.id, request.body.userId);
    return reply.code(204).send();
  });

  app.delete('/api/v1/queues/:id/sessions/:userId', { schema: { params: MemberParams, tags: ['queues'] } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    await endQueueSession(ctx, actor, request.params.id, request.params.userId);
    return reply.code(204).send();
  });

  app.get('/api/v1/accounts/current', { schema: { response: responses(200, AccountResponseSchema), tags: ['account'] } }, async (request) => {
    const actor = await requireActor(deps, request);
    requirePermission(actor, 'canReview');
    return { account: toAccount(await getAccount(ctx.db, actor.accountId)) };
  });

  app.put('/api/v1/accounts/current/identity-provider', { schema: { response: responses(200, AccountResponseSchema), body: SetIdentityProviderRequestSchema, tags: ['account'] } }, async (request) => {
    const actor = await requireActor(deps, request);
    return { account: await setIdentityProvider(ctx, actor, request.body, identityProviderChecks(deps)) };
  });
};
