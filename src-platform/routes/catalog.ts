/** Extension and queue routes (R8, R10), queue sessions (R4), and the current account (R11). */
import { z } from 'zod';
import { IdSchema } from '../../src-shared/domain';
import {
  AccountAuditQuerySchema,
  AccountAuditResponseSchema,
  AccountResponseSchema,
  CreateExtensionRequestSchema,
  CreateQueueRequestSchema,
  ExtensionResponseSchema,
  ListExtensionsResponseSchema,
  ListQueueSummariesResponseSchema,
  ListQueuesResponseSchema,
  MembershipResponseSchema,
  QueueResponseSchema,
  SetIdentityProviderRequestSchema,
  StartQueueSessionRequestSchema,
  type CatalogTags,
} from '../../src-shared/platform-api';
import { identityProviderChecks } from '../auth/microsoft/route';
import { requirePermission, type Actor } from '../domain/actor';
import type { PlatformContext } from '../domain/context';
import { getAccount, setIdentityProvider, toAccount } from '../domain/accounts';
import { listAccountAudit } from '../domain/audit';
import { createExtension, listExtensions } from '../domain/extensions';
import { addQueueMember, createQueue, endQueueSession, listQueueSummaries, listQueues, removeQueueMember, startQueueSession } from '../domain/queues';
import { answeredNotModified, entityTag, noContent, requireActor, responses, withIdempotency, type RouteModule } from './http';

/** OpenAPI: what each operation does (routes/openapi.ts adds the errors every route of its kind answers). */
const DOCS = {
  listExtensions: {
    operationId: 'listExtensions',
    summary: "The account's extensions",
    description: 'R8: every extension of the account and the user it is associated with, if any. Conditional: send the last ETag in If-None-Match, and an unchanged list answers 304 without a body.',
  },
  createExtension: { operationId: 'createExtension', summary: 'Create an extension', description: 'R8: adds a free extension number (2 to 10 digits) to the account; numbers are unique per account.' },
  listQueueSummaries: {
    operationId: 'listQueueSummaries',
    summary: "The account's queues with member counts",
    description:
      'The queues of `GET /queues` with `memberCount` instead of `memberIds`: what a console syncs (each user lists its own queues), without every member id of every queue. ' +
      'Conditional: send the last ETag in If-None-Match, and an unchanged list answers 304 without a body.',
  },
  listQueues: { operationId: 'listQueues', summary: "The account's queues", description: 'R10: voice queues (Metrics > Call Centers) and chat queues (Omnichannel > Filas de chat) with their members.' },
  createQueue: { operationId: 'createQueue', summary: 'Create a voice or chat queue', description: 'R10: a voice queue, or a chat queue on a channel (webchat, WhatsApp…).' },
  addMember: {
    operationId: 'addQueueMember',
    summary: 'Add a user to a queue',
    description: 'R10: a chat queue takes only omnichannel users, a voice queue only users with an extension (422 with the field).',
  },
  removeMember: { operationId: 'removeQueueMember', summary: 'Remove a user from a queue', description: 'R10: the user leaves the queue (and its session in it).' },
  startSession: {
    operationId: 'startQueueSession',
    summary: 'Log a user in to a queue',
    description: 'R4: the user (or a queue manager for them) logs in to a queue they are a member of (409 `conflict` otherwise).',
  },
  accountAudit: {
    operationId: 'listAccountAudit',
    summary: "The account's audit trail",
    description:
      'Issue 11: who changed what and when anywhere in the account, newest first, up to 1000 entries a page (`limit`); pass `nextCursor` as ' +
      '`cursor` for the next page (null on the last). Administrators, supervisors and support (the console exports it as CSV).',
  },
  endSession: { operationId: 'endQueueSession', summary: 'Log a user out of a queue', description: 'R4: ends the queue session (the user, or a queue manager for them).' },
  getAccount: { operationId: 'getCurrentAccount', summary: 'The acting account', description: 'R11: the account the session acts in, with its identity-provider settings and whether it is self-managed.' },
  setIdentityProvider: {
    operationId: 'setIdentityProvider',
    summary: "Set the account's Microsoft identity provider",
    description:
      'R11: tenant id, client id and authority of the account\'s Entra ID app, enabled or not. The settings must be Microsoft\'s (422 `identity_provider_invalid` ' +
      'with the fields), and enabling reads the authority\'s OpenID configuration and keys first (422 when they do not answer or name another issuer). Audited.',
  },
} as const;

/** The body of `GET /extensions` (its ETag hashes it). */
const extensionsBody = async (ctx: PlatformContext, actor: Actor) => ({ items: await listExtensions(ctx, actor) });
/** The body of `GET /queue-summaries` (its ETag hashes it). */
const queueSummariesBody = async (ctx: PlatformContext, actor: Actor) => ({ items: await listQueueSummaries(ctx, actor) });

/**
 * Issue 10: the ETags `GET /queue-summaries` and `GET /extensions` answer now, from the same bodies
 * (a users page's `catalogTags`: a delta sync asks for a list only when its tag changed).
 */
export async function catalogTags(ctx: PlatformContext, actor: Actor): Promise<CatalogTags> {
  return { queues: entityTag(await queueSummariesBody(ctx, actor)), extensions: entityTag(await extensionsBody(ctx, actor)) };
}

const QueueParams = z.strictObject({ id: IdSchema.describe('The queue id.') });
const MemberParams = z.strictObject({ id: IdSchema.describe('The queue id.'), userId: IdSchema.describe('The user id.') });

/** Registers extension, queue and account routes. */
export const catalogRoutes: RouteModule = (app, deps) => {
  const { ctx } = deps;

  app.get('/api/v1/extensions', { config: { conditional: true }, schema: { ...DOCS.listExtensions, response: responses(200, ListExtensionsResponseSchema, ['forbidden']), tags: ['extensions'] } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    const body = await extensionsBody(ctx, actor);
    return answeredNotModified(request, reply, body) ? reply : body;
  });

  app.post('/api/v1/extensions', { config: { idempotencyKey: true }, schema: { ...DOCS.createExtension, response: responses(201, ExtensionResponseSchema, ['forbidden', 'conflict']), body: CreateExtensionRequestSchema, tags: ['extensions'] } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    return withIdempotency(deps, request, reply, actor, async (ctx) => ({ status: 201, body: { extension: await createExtension(ctx, actor, request.body) } }));
  });

  app.get('/api/v1/queues', { schema: { ...DOCS.listQueues, response: responses(200, ListQueuesResponseSchema, ['forbidden']), tags: ['queues'] } }, async (request) => {
    const actor = await requireActor(deps, request);
    return { items: await listQueues(ctx, actor) };
  });

  app.get('/api/v1/queue-summaries', { config: { conditional: true }, schema: { ...DOCS.listQueueSummaries, response: responses(200, ListQueueSummariesResponseSchema, ['forbidden']), tags: ['queues'] } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    const body = await queueSummariesBody(ctx, actor);
    return answeredNotModified(request, reply, body) ? reply : body;
  });

  app.post('/api/v1/queues', { config: { idempotencyKey: true }, schema: { ...DOCS.createQueue, response: responses(201, QueueResponseSchema, ['forbidden']), body: CreateQueueRequestSchema, tags: ['queues'] } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    return withIdempotency(deps, request, reply, actor, async (ctx) => ({ status: 201, body: { queue: await createQueue(ctx, actor, request.body) } }));
  });

  app.put('/api/v1/queues/:id/members/:userId', { schema: { ...DOCS.addMember, response: responses(200, MembershipResponseSchema, ['forbidden', 'not_found', 'chat_queue_requires_omnichannel', 'voice_queue_requires_extension']), params: MemberParams, tags: ['queues'] } }, async (request) => {
    const actor = await requireActor(deps, request);
    return addQueueMember(ctx, actor, request.params.id, request.params.userId);
  });

  app.delete('/api/v1/queues/:id/members/:userId', { schema: { ...DOCS.removeMember, response: responses(200, MembershipResponseSchema, ['forbidden', 'not_found']), params: MemberParams, tags: ['queues'] } }, async (request) => {
    const actor = await requireActor(deps, request);
    return removeQueueMember(ctx, actor, request.params.id, request.params.userId);
  });

  app.post('/api/v1/queues/:id/sessions', { schema: { ...DOCS.startSession, response: noContent(['forbidden', 'not_found', 'conflict']), params: QueueParams, body: StartQueueSessionRequestSchema, tags: ['queues'] } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    await startQueueSession(ctx, actor, request.params.id, request.body.userId);
    return reply.code(204).send();
  });

  app.delete('/api/v1/queues/:id/sessions/:userId', { schema: { ...DOCS.endSession, response: noContent(['forbidden', 'not_found']), params: MemberParams, tags: ['queues'] } }, async (request, reply) => {
    const actor = await requireActor(deps, request);
    await endQueueSession(ctx, actor, request.params.id, request.params.userId);
    return reply.code(204).send();
  });

  app.get('/api/v1/audit', { schema: { ...DOCS.accountAudit, response: responses(200, AccountAuditResponseSchema, ['forbidden']), querystring: AccountAuditQuerySchema, tags: ['account'] } }, async (request) => {
    const actor = await requireActor(deps, request);
    requirePermission(actor, 'canReview');
    const { cursor, limit } = request.query;
    const [at, id] = cursor ? (cursor.split('|') as [string, string]) : [];
    const items = await listAccountAudit(ctx.db, actor.accountId, { after: at && id ? { at, id } : undefined, limit });
    const last = items.at(-1);
    return { items, nextCursor: last && items.length === limit ? `${last.at}|${last.id}` : null };
  });

  app.get('/api/v1/accounts/current', { schema: { ...DOCS.getAccount, response: responses(200, AccountResponseSchema, ['forbidden']), tags: ['account'] } }, async (request) => {
    const actor = await requireActor(deps, request);
    requirePermission(actor, 'canReview');
    return { account: toAccount(await getAccount(ctx.db, actor.accountId)) };
  });

  app.put('/api/v1/accounts/current/identity-provider', { schema: { ...DOCS.setIdentityProvider, response: responses(200, AccountResponseSchema, ['forbidden', 'identity_provider_invalid', 'identity_provider_unreachable', 'identity_provider_issuer_mismatch']), body: SetIdentityProviderRequestSchema, tags: ['account'] } }, async (request) => {
    const actor = await requireActor(deps, request);
    return { account: await setIdentityProvider(ctx, actor, request.body, identityProviderChecks(deps)) };
  });
};
