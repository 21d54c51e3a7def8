/**
 * The platform's REST contract under `/api/v1`: request and response bodies as zod schemas. The
 * platform validates with them (and publishes them as OpenAPI); the console's client parses
 * responses with them. Request bodies are strict: unknown fields are refused (no mass assignment).
 *
 * Conventions:
 * - Auth: `Authorization: Bearer <token>` from `POST /auth/login` (or `/auth/microsoft`).
 * - Errors: every 4xx body is `{ error: ApiError }` (see errors.ts); messages follow Accept-Language.
 * - Users carry a strong ETag (`userEtag`); `PATCH /users/:id` requires `If-Match` (428 / 412).
 * - POSTs that create things or send email, and `PATCH /users/:id`, accept `Idempotency-Key`: a
 *   retry with the same key and body replays the first response and has no second effect.
 */
import { z } from 'zod';
import {
  AccountSchema,
  AuditEntrySchema,
  ChatChannelSchema,
  ExtensionSchema,
  IdSchema,
  IsoDateSchema,
  MailKindSchema,
  ProfileSchema,
  QueueKindSchema,
  QueueSchema,
  QueueSummarySchema,
  QueueSessionSchema,
  UserSchema,
} from './domain';
import { identityText, wellFormedText } from './text';
import { ApiErrorSchema } from './errors';

export const API_PREFIX = '/api/v1';

/** Strong ETag of a user version. */
export function userEtag(user: { id: string; version: number }): string {
  return `"u-${user.id}-${user.version}"`;
}

/** If-Match semantics: whether an If-Match value (one or more ETags) names the user's current version. */
export function ifMatchAccepts(ifMatch: string, user: { id: string; version: number }): boolean {
  return ifMatch
    .split(',')
    .map((tag) => tag.trim())
    .includes(userEtag(user));
}

// Issue 9 class 10: names, logins and emails refuse control, invisible and broken characters.
const name = identityText(z.string().trim()).min(1).max(120);
const email = identityText(z.string().trim()).pipe(z.email().max(254));
const login = identityText(z.string().trim())
  .min(3)
  .max(64)
  .regex(/^[a-zA-Z0-9._@-]+$/);
/** The identity fields' schemas, for the IPC contract to check the same way (issue 9 class 10). */
export const IdentityFieldSchemas = { name, email, login } as const;
const accountSlug = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9-]+$/);
const password = z.string().min(1).max(256);
/** What a user types to sign in or ask for a reset: their login or their email. */
const signInLogin = wellFormedText(z.string().trim()).min(1).max(254);

// ---- auth ----------------------------------------------------------------------------------

export const LoginRequestSchema = z.strictObject({ account: accountSlug, login: signInLogin, password });
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const SessionResponseSchema = z.object({
  token: z.string(),
  expiresAt: IsoDateSchema,
  user: UserSchema,
  account: AccountSchema,
});
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

export const MeResponseSchema = z.object({ user: UserSchema, account: AccountSchema });
export type MeResponse = z.infer<typeof MeResponseSchema>;

/**
 * `GET /auth/providers?account=<slug>`: how an account signs in (public). Issue 9 class 2: only
 * what a sign-in screen needs (which buttons to show, and what MSAL needs to sign in): no account
 * name, no tenant id beyond the one inside the authority.
 */
export const ProvidersQuerySchema = z.strictObject({ account: accountSlug.describe("The account's slug, as typed on the sign-in screen.") });
export const ProvidersResponseSchema = z.object({
  password: z.boolean(),
  /** R11: present when the account's Microsoft identity provider is enabled. */
  microsoft: z.object({ authority: z.string(), clientId: z.string(), scopes: z.array(z.string()) }).nullable(),
  selfManaged: z.boolean(),
});
export type ProvidersResponse = z.infer<typeof ProvidersResponseSchema>;

/**
 * `POST /auth/microsoft`: exchanges an Entra access token for a platform session. Issue 9 class 3:
 * any string is taken (up to the body limit) so that an empty or oversized token is refused like
 * every other bad token, 401 `invalid_token`, and counts toward the failure limits.
 */
export const MicrosoftLoginRequestSchema = z.strictObject({ account: accountSlug, accessToken: z.string().max(65_536) });

/** `POST /auth/forgot-password` (public): 202 always, unless the account is self-managed (422). */
export const ForgotPasswordRequestSchema = z.strictObject({ account: accountSlug, login: signInLogin });
/** The same answer whether or not the login exists (no enumeration). */
export const ForgotPasswordResponseSchema = z.object({ accepted: z.literal(true) });

/** `POST /auth/reset-password` (public): sets a password with a reset token from the email. */
export const ResetPasswordRequestSchema = z.strictObject({ token: z.string().min(1).max(200), password, passwordConfirmation: password });
export const ResetPasswordResponseSchema = z.object({ ok: z.literal(true), login: z.string() });

/** `POST /auth/change-password`: the signed-in user changes their own password (R9 next login). */
export const ChangePasswordRequestSchema = z.strictObject({ currentPassword: password, newPassword: password });

// ---- users ---------------------------------------------------------------------------------

/**
 * `GET /users`: cursor-paged list for sync (C2). Without `since`, pages through every user; with
 * `since=<cursor>` returns only users changed after it and the ids of users deleted after it.
 * Items are ordered by change; `cursor` is where the next page (or the next delta sync) starts.
 * With `q`, a server-side search (name, login or email contains `q`, accent-insensitive).
 */
export const ListUsersQuerySchema = z.strictObject({
  since: z.string().regex(/^\d+$/).max(20).optional().describe('A cursor of an earlier answer: only the changes after it (and `deletedIds`).'),
  limit: z.coerce.number().int().min(1).max(1000).default(500).describe('Most items in this page (1–1000, default 500).'),
  q: wellFormedText().max(120).optional().describe('Search: name, login or email contains it (accent- and case-insensitive).'),
  /** `true`: also answer `total`, the changes after `since` (a sync's first page, for progress). */
  withTotal: z.enum(['true', 'false']).optional().describe('`true`: also answer `total`, how many changes the listing goes through (sync progress).'),
  /** `true`: also answer `catalogTags` (a delta sync's first page: the console asks for a list only when its tag changed). */
  withCatalogTags: z
    .enum(['true', 'false'])
    .optional()
    .describe('`true`: also answer `catalogTags`, the ETags `GET /queue-summaries` and `GET /extensions` answer now (a sync asks for a list only when its tag changed).'),
});
export type ListUsersQuery = z.infer<typeof ListUsersQuerySchema>;
/** The ETags of the catalog lists a console syncs beside its users (`GET /queue-summaries`, `GET /extensions`). */
export const CatalogTagsSchema = z.object({
  queues: z.string().max(200),
  extensions: z.string().max(200),
});
export type CatalogTags = z.infer<typeof CatalogTagsSchema>;
export const ListUsersResponseSchema = z.object({
  items: z.array(UserSchema),
  deletedIds: z.array(IdSchema),
  cursor: z.string(),
  hasMore: z.boolean(),
  /** With `withTotal=true`: how many changes (users and deletions) come after `since`, this page included. */
  total: z.number().int().nonnegative().optional(),
  /**
   * With `withCatalogTags=true`: the ETag each catalog list answers now, the same as its own
   * route's (`If-None-Match` with it answers 304 while the list is unchanged).
   */
  catalogTags: CatalogTagsSchema.optional(),
});
export type ListUsersResponse = z.infer<typeof ListUsersResponseSchema>;

/**
 * Issue 10: a `GET /users` page that has more answers where the next one is (RFC 8288
 * `Link: <…>; rel="next"`, as paged REST APIs do), so a client can ask for it before it parsed
 * this one's body (the console's first sync keeps one page in flight while its fill worker parses).
 */
export function usersNextLink(query: { limit: number; q?: string | undefined }, cursor: string): string {
  const q = query.q ? `&q=${encodeURIComponent(query.q)}` : '';
  return `</api/v1/users?since=${encodeURIComponent(cursor)}&limit=${query.limit}${q}>; rel="next"`;
}

/** The `since` of a `Link` header's `rel="next"` target (`usersNextLink`), or null without a valid one. */
export function usersNextSince(link: string | undefined): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /^\s*<[^>?]*\?([^>]*)>\s*;\s*rel="?next"?\s*$/i.exec(part);
    const since = match?.[1]!.split('&').find((p) => p.startsWith('since='))?.slice('since='.length);
    if (since === undefined) continue;
    return ListUsersQuerySchema.shape.since.safeParse(since).success ? since : null;
  }
  return null;
}

/** `POST /users` (Idempotency-Key). R6: omnichannel on creation is support-only. */
export const CreateUserRequestSchema = z.strictObject({
  name,
  email,
  login,
  profile: ProfileSchema,
  active: z.boolean().default(true),
  webrtcEnabled: z.boolean().default(false),
  omnichannelEnabled: z.boolean().default(false),
  /**
   * Issue 11: an extension of the account to associate in the same step (R10; 409 `extension_taken`
   * when someone has it). With omnichannel it is the one R6 associates instead of the first free one.
   */
  extensionId: IdSchema.optional(),
  /** Issue 11: voice and chat queues to join in the same step (R8 per queue: 422 when the user may not join one). */
  queueIds: z.array(IdSchema).max(100).optional(),
});
export type CreateUserRequest = z.input<typeof CreateUserRequestSchema>;

export const SentMailSchema = z.object({ kind: MailKindSchema, to: z.string() });
export const CreateUserResponseSchema = z.object({
  user: UserSchema,
  /**
   * Emails the creation sent (R6): the reset link, and the extension notice with omnichannel. They
   * are queued with the user and sent by the platform's outbox worker right after (issue 9 class 6).
   */
  emailsSent: z.array(SentMailSchema),
  extension: z.object({ id: IdSchema, number: z.string() }).nullable(),
});
export type CreateUserResponse = z.infer<typeof CreateUserResponseSchema>;

/** `PATCH /users/:id` (If-Match required). R4: `confirmQueueLogout` confirms logging the user out. */
export const UpdateUserRequestSchema = z.strictObject({
  name: name.optional(),
  email: email.optional(),
  login: login.optional(),
  profile: ProfileSchema.optional(),
  active: z.boolean().optional(),
  webrtcEnabled: z.boolean().optional(),
  omnichannelEnabled: z.boolean().optional(),
  confirmQueueLogout: z.boolean().optional(),
});
export type UpdateUserRequest = z.infer<typeof UpdateUserRequestSchema>;
export type UserChanges = Omit<UpdateUserRequest, 'confirmQueueLogout'>;

export const LoggedOutQueueSchema = z.object({ queueId: IdSchema, queueName: z.string(), kind: QueueKindSchema });
export const UpdateUserResponseSchema = z.object({
  user: UserSchema,
  /** R4: the queues the user was logged out of by this edit. */
  loggedOutQueues: z.array(LoggedOutQueueSchema),
});
export type UpdateUserResponse = z.infer<typeof UpdateUserResponseSchema>;

/** Details of the 409 `queue_logout_confirmation_required`. */
export const QueueLogoutDetailsSchema = z.object({ sessions: z.array(QueueSessionSchema) });

/** Details of the 412 `stale_version`: the server's current user, so the console can show both. */
export const StaleVersionDetailsSchema = z.object({ current: UserSchema });

export const UserResponseSchema = z.object({ user: UserSchema });

/** `POST /users/:id/password-reset` (Idempotency-Key). R5: 202 with where the link was sent. */
export const PasswordResetResponseSchema = z.object({ sentTo: z.string(), expiresAt: IsoDateSchema });

/** `PUT /users/:id/password`. R9: the administrator sets a temporary password. */
export const SetPasswordRequestSchema = z.strictObject({ password, passwordConfirmation: password });

/** `PUT /users/:id/extension`. R10: associates a free extension (emails the user). */
export const AssignExtensionRequestSchema = z.strictObject({ extensionId: IdSchema });

export const QueueSessionsResponseSchema = z.object({ items: z.array(QueueSessionSchema) });
export const AuditResponseSchema = z.object({ items: z.array(AuditEntrySchema) });

/**
 * `GET /audit` (issue 11): a page of the account's audit trail, newest first. `cursor` is the
 * previous page's `nextCursor` (the last entry's instant and id); `nextCursor` is null on the last page.
 */
export const AccountAuditQuerySchema = z.strictObject({
  cursor: z
    .string()
    .max(200)
    .regex(/^[0-9T:.+Z-]{10,40}\|[0-9a-fA-F-]{36}$/)
    .optional()
    .describe("The previous page's `nextCursor`: the entries after it."),
  limit: z.coerce.number().int().min(1).max(1000).default(1000).describe('Most entries in this page (1–1000, default 1000).'),
});
export const AccountAuditResponseSchema = z.object({ items: z.array(AuditEntrySchema), nextCursor: z.string().nullable() });
export type AccountAuditResponse = z.infer<typeof AccountAuditResponseSchema>;

// ---- extensions, queues --------------------------------------------------------------------

export const ListExtensionsResponseSchema = z.object({ items: z.array(ExtensionSchema) });
export const CreateExtensionRequestSchema = z.strictObject({ number: z.string().trim().regex(/^\d{2,10}$/) });
export const ExtensionResponseSchema = z.object({ extension: ExtensionSchema });

export const ListQueuesResponseSchema = z.object({ items: z.array(QueueSchema) });
/** `GET /queue-summaries`: the account's queues with member counts, not member lists (the console's sync). */
export const ListQueueSummariesResponseSchema = z.object({ items: z.array(QueueSummarySchema) });
/** `POST /queues` (Idempotency-Key). Voice queues have channel `voice`; chat queues webchat|whatsapp. */
export const CreateQueueRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('voice'), name }),
  z.strictObject({ kind: z.literal('chat'), name, channel: ChatChannelSchema }),
]);
export type CreateQueueRequest = z.infer<typeof CreateQueueRequestSchema>;
export const QueueResponseSchema = z.object({ queue: QueueSchema });
/** `PUT|DELETE /queues/:id/members/:userId`. R8 rules answer 422. */
export const MembershipResponseSchema = z.object({ queue: QueueSchema, user: UserSchema });
/** `POST /queues/:id/sessions`: logs an agent into a queue (demos and tests; R4). */
export const StartQueueSessionRequestSchema = z.strictObject({ userId: IdSchema });

// ---- account -------------------------------------------------------------------------------

export const AccountResponseSchema = z.object({ account: AccountSchema });
/**
 * `PUT /accounts/current/identity-provider` (administrator, support). Issue 9 class 2: the platform
 * also checks `checkIdentityProviderSettings` (identity-provider.ts) and, when enabling, that the
 * authority answers with its OpenID configuration and keys (422 otherwise).
 */
export const SetIdentityProviderRequestSchema = z.strictObject({
  enabled: z.boolean(),
  tenantId: z.string().trim().min(1).max(64),
  clientId: z.string().trim().min(1).max(64),
  authority: z.url().max(300),
});

/** Mail the development mailbox received (`GET /api/v1/dev/mailbox?key=<per-run key>`, only when asked for). */
export const MailboxMessageSchema = z.object({
  id: IdSchema,
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  kind: MailKindSchema.nullable(),
  receivedAt: IsoDateSchema,
});
/** A page of the development mailbox, newest first; `next` is the `before` of the next (older) page. */
export const MailboxResponseSchema = z.object({ items: z.array(MailboxMessageSchema), next: z.number().int().nullable(), total: z.number().int() });
export const MailboxQuerySchema = z.object({
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type MailboxMessage = z.infer<typeof MailboxMessageSchema>;

// ---- batch (issue 11, C7) ------------------------------------------------------------------

/** Most items one `POST /users/batch` takes. */
export const BATCH_MAX_ITEMS = 500;

const queueIdList = z.array(IdSchema).max(50);
/**
 * What a batch item does with the user's extension (R10): `free` associates a free extension of
 * the account (kept when the user already has one), `none` releases it, digits name an extension.
 */
export const BatchExtensionSchema = z.union([z.enum(['free', 'none']), z.string().trim().regex(/^\d{2,10}$/)]);
export type BatchExtension = z.infer<typeof BatchExtensionSchema>;

/**
 * One change of an existing user. `ifMatch` is the ETag the change was prepared against (If-Match
 * semantics, per item). Any change to the user (fields, queues, extension) is an edit, so R4
 * holds: a user logged into queues is changed only with `confirmQueueLogout`, and is then logged
 * out of every queue. A password reset alone (R5) is not an edit.
 */
export const BatchUpdateItemSchema = z.strictObject({
  op: z.literal('update'),
  userId: IdSchema,
  ifMatch: z.string().min(1).max(200),
  changes: UpdateUserRequestSchema.omit({ confirmQueueLogout: true }).optional(),
  addQueueIds: queueIdList.optional(),
  removeQueueIds: queueIdList.optional(),
  extension: BatchExtensionSchema.optional(),
  sendPasswordReset: z.boolean().optional(),
  confirmQueueLogout: z.boolean().optional(),
});
export type BatchUpdateItem = z.infer<typeof BatchUpdateItemSchema>;

/** One new user (R6 as `POST /users`), with its queues and extension in the same step. */
export const BatchCreateItemSchema = z.strictObject({
  op: z.literal('create'),
  user: CreateUserRequestSchema,
  addQueueIds: queueIdList.optional(),
  extension: BatchExtensionSchema.optional(),
});
export type BatchCreateItem = z.infer<typeof BatchCreateItemSchema>;

export const BatchItemSchema = z.discriminatedUnion('op', [BatchUpdateItemSchema, BatchCreateItemSchema]);
export type BatchItem = z.infer<typeof BatchItemSchema>;

/**
 * `POST /users/batch` (Idempotency-Key for the whole batch): 1 to 500 items, one user each. With
 * `dryRun`, every item is checked and run, then undone: the answer says what would happen (an edit
 * of a user logged into queues reports the queues it would log out of, R4) and nothing changes.
 */
export const BatchRequestSchema = z.strictObject({
  dryRun: z.boolean().optional(),
  items: z
    .array(BatchItemSchema)
    .min(1)
    .max(BATCH_MAX_ITEMS)
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        const key = item.op === 'update' ? `id:${item.userId}` : `login:${item.user.login.toLowerCase()}`;
        if (seen.has(key)) ctx.addIssue({ code: 'custom', message: 'duplicate_user', path: [index] });
        seen.add(key);
      });
    }),
});
export type BatchRequest = z.infer<typeof BatchRequestSchema>;

/**
 * The result of one item: `ok` (applied, or `changed: false` when there was nothing to do),
 * `refused` (a rule said no: `error` says which, with the same code, fields and details as the
 * single-user route), or `conflict` (the user changed since `ifMatch`: `error.details.current`).
 */
export const BatchItemResultSchema = z.object({
  index: z.number().int().nonnegative(),
  userId: IdSchema.nullable(),
  status: z.enum(['ok', 'refused', 'conflict']),
  changed: z.boolean(),
  user: UserSchema.optional(),
  /** Dry run: the user before the item (null for a new user). */
  before: UserSchema.nullable().optional(),
  loggedOutQueues: z.array(LoggedOutQueueSchema).optional(),
  emailsSent: z.array(SentMailSchema).optional(),
  error: ApiErrorSchema.optional(),
});
export type BatchItemResult = z.infer<typeof BatchItemResultSchema>;

export const BatchResponseSchema = z.object({
  results: z.array(BatchItemResultSchema),
  summary: z.object({ ok: z.number().int(), refused: z.number().int(), conflict: z.number().int() }),
});
export type BatchResponse = z.infer<typeof BatchResponseSchema>;
