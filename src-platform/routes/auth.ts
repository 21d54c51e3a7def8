/** Auth routes: login, logout, me, providers, forgot/reset/change password (R2, R5, R9, R11). */
import {
  ChangePasswordRequestSchema,
  ForgotPasswordRequestSchema,
  ForgotPasswordResponseSchema,
  LoginRequestSchema,
  ProvidersQuerySchema,
  ResetPasswordRequestSchema,
  ResetPasswordResponseSchema,
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
import { bearerToken, noContent, requireActor, responses, type RouteModule } from './http';

/** OpenAPI: what each operation does (routes/openapi.ts adds the errors every route of its kind answers). */
const DOCS = {
  login: {
    operationId: 'login',
    summary: 'Sign in with a password',
    description:
      'R2/R9: opens a 12-hour bearer session for a login of the account (support logins of the operator scope sign into any account). ' +
      'Failed attempts are limited per login (10 / 15 min) and per IP (100 / 15 min) across every instance: 429 with Retry-After. ' +
      'R11: a self-managed account answers 422 `self_managed_account`.',
    security: [],
  },
  logout: { operationId: 'logout', summary: 'End this session', description: 'Deletes the bearer session the request carries.' },
  me: { operationId: 'getMe', summary: 'The signed-in user and the acting account', description: 'The user behind the session and the account it acts in (support: the account it signed into).' },
  providers: {
    operationId: 'getSignInProviders',
    summary: "An account's sign-in options",
    description: 'R11: whether passwords are on and, for a self-managed account, the Microsoft authority, client id and scopes the sign-in screen needs. Nothing else.',
    security: [],
  },
  forgot: {
    operationId: 'forgotPassword',
    summary: 'Email a reset link to a login',
    description:
      'R5: queues a reset email when the login exists and may reset its password; the answer is the same 202 either way (no enumeration). ' +
      '5 emails per login and 30 requests per IP per 15 minutes (then 429).',
    security: [],
  },
  reset: {
    operationId: 'resetPassword',
    summary: 'Set a password with a reset link',
    description: 'R5: sets the password of the reset token (single use, 24 hours) and answers the login; the token is spent.',
    security: [],
  },
  changePassword: {
    operationId: 'changeOwnPassword',
    summary: 'Change your own password',
    description: 'R9: the way out of a temporary password (every other route answers 403 `password_change_required` until then); needs the current password.',
  },
} as const;

/** Registers the auth routes. */
export const authRoutes: RouteModule = (app, deps) => {
  const { ctx } = deps;

  app.post('/api/v1/auth/login', { schema: { ...DOCS.login, response: responses(200, SessionResponseSchema, ['invalid_credentials', 'self_managed_account', 'rate_limited']), body: LoginRequestSchema, tags: ['auth'] } }, async (request) => login(ctx, deps.limits, request.body, request.ip));

  app.post('/api/v1/auth/logout', { schema: { ...DOCS.logout, response: noContent(), tags: ['auth'] } }, async (request, reply) => {
    await requireActor(deps, request);
    const token = bearerToken(request);
    if (token) await deleteSession(ctx.db, token);
    return reply.code(204).send();
  });

  app.get('/api/v1/me', { schema: { ...DOCS.me, response: responses(200, MeResponseSchema), tags: ['auth'] } }, async (request) => {
    const actor = await requireActor(deps, request);
    const user = await loadUser(ctx.db, actor.homeAccountId, actor.userId);
    return { user, account: toAccount(await getAccount(ctx.db, actor.accountId)) };
  });

  app.get('/api/v1/auth/providers', { schema: { ...DOCS.providers, response: responses(200, ProvidersResponseSchema, ['not_found']), querystring: ProvidersQuerySchema, tags: ['auth'] } }, async (request) => getProviders(ctx.db, request.query.account));

  app.post('/api/v1/auth/forgot-password', { schema: { ...DOCS.forgot, response: responses(202, ForgotPasswordResponseSchema, ['rate_limited']), body: ForgotPasswordRequestSchema, tags: ['auth'] } }, async (request, reply) => {
    const { resetMailPerIp, resetMailPerLogin } = deps.limits;
    const wait = await resetMailPerIp.retryAfterSeconds(request.ip);
    if (wait > 0) throw new DomainError('rate_limited', { headers: { 'retry-after': String(wait) } });
    await resetMailPerIp.fail(request.ip);
    // Past the per-login limit the answer stays the same (no enumeration) but no email is sent.
    const key = `${request.body.account}\u0000${request.body.login.toLowerCase()}`;
    if ((await resetMailPerLogin.retryAfterSeconds(key)) === 0) {
      await resetMailPerLogin.fail(key);
      await forgotPassword(ctx, request.body, deps.later);
    }
    return reply.code(202).send({ accepted: true as const });
  });

  app.post('/api/v1/auth/reset-password', { schema: { ...DOCS.reset, response: responses(200, ResetPasswordResponseSchema, ['reset_token_invalid', 'password_policy', 'password_mismatch', 'self_managed_account']), body: ResetPasswordRequestSchema, tags: ['auth'] } }, async (request) => {
    const user = await resetPasswordWithToken(ctx, request.body);
    return { ok: true as const, login: user.login };
  });

  app.post('/api/v1/auth/change-password', { schema: { ...DOCS.changePassword, response: responses(200, UserResponseSchema, ['invalid_credentials', 'password_policy', 'self_managed_account']), body: ChangePasswordRequestSchema, tags: ['auth'] } }, async (request) => {
    const actor = await requireActor(deps, request);
    return { user: await changeOwnPassword(ctx, actor, request.body, { limits: deps.limits, ip: request.ip, sessionToken: bearerToken(request) }) };
  });
};

