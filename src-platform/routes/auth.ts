/** Auth routes: login, logout, me, providers, forgot/reset/change password (R2, R5, R9, R11). */
import {
  ChangePasswordRequestSchema,
  ForgotPasswordRequestSchema,
  LoginRequestSchema,
  ProvidersQuerySchema,
  ResetPasswordRequestSchema,
  MeResponseSchema,
  ProvidersResponseSchema,
  SessionResponseSchema,
  UserResponseSchema,
} from '../../src-shared/platform-api';
import { login } from '../auth/login';
import { deleteSession } from '../auth/sessions';
import { getAccount, getProviders, toAccount } from '../domain/accounts';
import { changeOwnPassword, forgotPassword, resetPasswordWithToken } from '../domain/passwords';
import { DomainError } from '../domain/errors';
import { loadUser } from '../domain/users';
import { bearerToken, requireActor, responses, type RouteModule } from './http';

/** Registers the auth routes. */
export const authRoutes: RouteModule = (app, deps) => {
  const { ctx } = deps;

  app.post('/api/v1/auth/login', { schema: { response: responses(200, SessionResponseSchema), body: LoginRequestSchema, tags: ['auth'] } }, async (request) => login(ctx, deps.limits, request.body, request.ip));

  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'] } }, async (request, reply) => {
    await requireActor(deps, request);
    const token = bearerToken(request);
    if (token) await deleteSession(ctx.db, token);
    return reply.code(204).send();
  });

  app.get('/api/v1/me', { schema: { response: responses(200, MeResponseSchema), tags: ['auth'] } }, async (request) => {
    const actor = await requireActor(deps, request);
    const user = await loadUser(ctx.db, actor.homeAccountId, actor.userId);
    return { user, account: toAccount(await getAccount(ctx.db, actor.accountId)) };
  });

  app.get('/api/v1/auth/providers', { schema: { response: responses(200, ProvidersResponseSchema), querystring: ProvidersQuerySchema, tags: ['auth'] } }, async (request) => getProviders(ctx.db, request.query.account));

  app.post('/api/v1/auth/forgot-password', { schema: { body: ForgotPasswordRequestSchema, tags: ['auth'] } }, async (request, reply) => {
    const { resetMailPerIp, resetMailPerLogin } = deps.limits;
    const wait = await resetMailPerIp.retryAfterSeconds(request.ip);
    if (wait > 0) throw new DomainError('rate_limited', { headers: { 'retry-after': String(wait) } });
    await resetMailPerIp.fail(request.ip);
    // Past the per-login limit the answer stays the same (no enumeration) but no email is sent.
    const key = `${request.body.account}\u0000${request.body.login.toLowerCase()}`;
    if ((await resetMailPerLogin.retryAfterSeconds(key)) === 0) {
      await resetMailPerLogin.fail(key);
      await forgotPassword(ctx, request.body);
    }
    return reply.code(202).send({ accepted: true });
  });

  app.post('/api/v1/auth/reset-password', { schema: { body: ResetPasswordRequestSchema, tags: ['auth'] } }, async (request) => {
    const user = await resetPasswordWithToken(ctx, request.body);
    return { ok: true, login: user.login };
  });

  app.post('/api/v1/auth/change-password', { schema: { response: responses(200, UserResponseSchema), body: ChangePasswordRequestSchema, tags: ['auth'] } }, async (request) => {
    const actor = await requireActor(deps, request);
    return { user: await changeOwnPassword(ctx, actor, request.body) };
  });
};

