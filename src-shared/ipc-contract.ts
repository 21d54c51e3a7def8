/**
 * The one IPC contract between the console's renderer and its main process: every operation with
 * its input and output schema, and every event main pushes. The preload (and the browser host)
 * expose `window.consoleApi` generated from it; the router in main validates every input with it.
 * No other channel exists.
 */
import { z } from 'zod';
import {
  AccountSchema,
  AuditEntrySchema,
  ExtensionSchema,
  IdSchema,
  IsoDateSchema,
  ProfileSchema,
  QueueSummarySchema,
  QueueSessionSchema,
  READINESS_ITEMS,
  ReadinessSchema,
  UserSchema,
} from './domain';
import { ApiErrorSchema, LOCALES } from './errors';
import { USER_SORT_FIELDS } from './search';
import { EVENT_NAMES, OPERATION_NAMES, ipcChannel, type EventName, type OperationName } from './ipc-channels';

export { EVENT_NAMES, OPERATION_NAMES, ipcChannel, type EventName, type OperationName };
import { BulkActionSchema } from './bulk';
import { FieldChangeSchema } from './user-diff';
import {
  BATCH_MAX_ITEMS,
  LoggedOutQueueSchema,
  SentMailSchema,
  ChangePasswordRequestSchema,
  CreateQueueRequestSchema,
  CreateUserRequestSchema,
  IdentityFieldSchemas,
  CreateUserResponseSchema,
  ForgotPasswordRequestSchema,
  LoginRequestSchema,
  PasswordResetResponseSchema,
  ProvidersResponseSchema,
  SetPasswordRequestSchema,
  UpdateUserResponseSchema,
} from './platform-api';
import { wellFormedText } from './text';
import { CSV_IMPORT_MAX_BYTES, CSV_UPLOAD_PART_BYTES } from './csv-columns';
import type { Holds, Same } from './type-checks';

const none = z.strictObject({});
const ok = z.object({ ok: z.literal(true) });
/** An account as typed on the sign-in screen (the platform checks it is a slug). */
const accountInput = wellFormedText(z.string().trim()).min(1).max(64);

export const LocaleSchema = z.enum(LOCALES);

/** What the console knows about its connection and session (C1). */
export const SessionStateSchema = z.object({
  status: z.enum(['signedOut', 'signedIn', 'offline']),
  user: UserSchema.nullable(),
  account: AccountSchema.nullable(),
  platformUrl: z.string(),
  online: z.boolean(),
  /** When the platform stopped answering (offline only). */
  offlineSince: IsoDateSchema.nullable(),
  /** When the cached data was last synced. */
  lastSyncAt: IsoDateSchema.nullable(),
  /** How the session signed in. */
  method: z.enum(['password', 'microsoft']).nullable(),
});
export type SessionState = z.infer<typeof SessionStateSchema>;

export const SyncStatusSchema = z.object({
  state: z.enum(['idle', 'syncing', 'error']),
  online: z.boolean(),
  lastSyncAt: IsoDateSchema.nullable(),
  offlineSince: IsoDateSchema.nullable(),
  userCount: z.number().int().nonnegative(),
  progress: z.object({ phase: z.enum(['full', 'delta']), done: z.number().int(), total: z.number().int().nullable() }).nullable(),
  lastError: ApiErrorSchema.nullable(),
  /**
   * Set while the account's first full sync has not completed (running, or interrupted by a crash
   * or a lost network): the cache is partial. `since`: when that sync started; `cached`: users in
   * the cache; `total`: users the platform listed (null until its first page said).
   */
  incomplete: z.object({ since: IsoDateSchema, cached: z.number().int().nonnegative(), total: z.number().int().nonnegative().nullable() }).nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export const UserFiltersSchema = z.strictObject({
  profile: ProfileSchema.optional(),
  omnichannel: z.boolean().optional(),
  webrtc: z.boolean().optional(),
  hasExtension: z.boolean().optional(),
  queueId: IdSchema.optional(),
  ready: z.boolean().optional(),
  /** Users missing this readiness item (e.g. omnichannel agents missing a chat queue). */
  missing: z.enum(READINESS_ITEMS).optional(),
  active: z.boolean().optional(),
});
export type UserFilters = z.infer<typeof UserFiltersSchema>;

export const SearchUsersInputSchema = z.strictObject({
  query: wellFormedText().max(120).default(''),
  filters: UserFiltersSchema.default({}),
  sort: z.strictObject({ by: z.enum(USER_SORT_FIELDS), dir: z.enum(['asc', 'desc']) }).default({ by: 'name', dir: 'asc' }),
  offset: z.number().int().min(0).max(10_000_000).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type SearchUsersInput = z.input<typeof SearchUsersInputSchema>;

export const UserRowSchema = UserSchema.extend({ readiness: ReadinessSchema });
export type UserRow = z.infer<typeof UserRowSchema>;
export const SearchUsersOutputSchema = z.object({ total: z.number().int().nonnegative(), items: z.array(UserRowSchema) });
export type SearchUsersOutput = z.infer<typeof SearchUsersOutputSchema>;

export const UserChangesSchema = z.strictObject({
  // The platform's own schemas (issue 9 class 10: no control, invisible or broken characters).
  name: IdentityFieldSchemas.name.optional(),
  email: IdentityFieldSchemas.email.optional(),
  login: IdentityFieldSchemas.login.optional(),
  profile: ProfileSchema.optional(),
  active: z.boolean().optional(),
  webrtcEnabled: z.boolean().optional(),
  omnichannelEnabled: z.boolean().optional(),
});

/** Issue 11 (C7): the users a bulk action applies to: picked ids, or every user matching a search. */
export const BulkTargetSchema = z.union([
  z.strictObject({ ids: z.array(IdSchema).min(1).max(10_000) }),
  z.strictObject({ matching: z.strictObject({ query: wellFormedText().max(120), filters: UserFiltersSchema }) }),
]);
export type BulkTarget = z.infer<typeof BulkTargetSchema>;

/** One user in a bulk preview: what would change, or why not, and the queues it logs out of (R4). */
export const BulkPreviewItemSchema = z.object({
  userId: IdSchema,
  name: z.string(),
  login: z.string(),
  /** The version the preview saw (the apply's If-Match). */
  version: z.number().int().nonnegative(),
  status: z.enum(['change', 'unchanged', 'refused', 'conflict']),
  changes: z.array(FieldChangeSchema),
  logsOutOf: z.array(LoggedOutQueueSchema),
  emails: z.array(SentMailSchema),
  error: ApiErrorSchema.nullable(),
});
export type BulkPreviewItem = z.infer<typeof BulkPreviewItemSchema>;

export const BulkApplyOutputSchema = z.object({
  results: z.array(
    z.object({
      userId: IdSchema,
      status: z.enum(['ok', 'refused', 'conflict']),
      changed: z.boolean(),
      loggedOutQueues: z.array(LoggedOutQueueSchema),
      error: ApiErrorSchema.nullable(),
    }),
  ),
});
export type BulkApplyOutput = z.infer<typeof BulkApplyOutputSchema>;

/** A CSV file main wrote (issue 11): the renderer saves it (native dialog in Electron, a download in a browser). */
export const CsvFileSchema = z.object({ fileName: z.string(), content: z.string(), rows: z.number().int().nonnegative() });
export type CsvFile = z.infer<typeof CsvFileSchema>;

/** Issue 11: one row of a CSV import's dry run against the cache: what applying it would do, or why not. */
export const CsvImportRowSchema = z.object({
  /** The row's line in the file (the header is line 1). */
  line: z.number().int().positive(),
  login: z.string(),
  name: z.string(),
  status: z.enum(['create', 'change', 'unchanged', 'error']),
  /** create: the values set; change: before → after. */
  changes: z.array(FieldChangeSchema),
  /** Why the row cannot apply: the field (a column, or `row`) and an error code or `form.*` key, as the forms say it. */
  errors: z.array(z.object({ field: z.string(), entry: z.string() })),
});
export type CsvImportRow = z.infer<typeof CsvImportRowSchema>;

/** The dry run of a staged CSV file; nothing was sent. */
export const CsvImportPreviewSchema = z.object({
  importId: IdSchema,
  rows: z.array(CsvImportRowSchema),
  /** Headers that name no column (left out). */
  ignoredColumns: z.array(z.string()),
});
export type CsvImportPreview = z.infer<typeof CsvImportPreviewSchema>;

/** Where an import's apply stands: chunks of at most 500 rows, each with its own Idempotency-Key. */
export const CsvImportProgressSchema = z.object({
  importId: IdSchema,
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Chunks not yet answered (a retry resends them with the same keys). */
  pendingChunks: z.number().int().nonnegative(),
  results: z.array(
    z.object({ line: z.number().int().positive(), login: z.string(), status: z.enum(['ok', 'refused', 'conflict', 'pending']), error: ApiErrorSchema.nullable() }),
  ),
});
export type CsvImportProgress = z.infer<typeof CsvImportProgressSchema>;

function op<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, opts: { write?: boolean } = {}) {
  return { input, output, write: opts.write ?? false };
}

/**
 * Every operation: `name → { input, output, write }`. `write` operations are refused with code
 * `offline` while the platform is unreachable (C1).
 */
export const ipcOperations = {
  getSession: op(none, SessionStateSchema),
  getProviders: op(z.strictObject({ account: accountInput }), ProvidersResponseSchema),
  signIn: op(LoginRequestSchema, SessionStateSchema),
  /**
   * `homeAccountId`: the cached Microsoft account the person chose in the picker; `null`: another
   * account (the browser opens); absent: the only cached account (issue 9 class 13).
   */
  signInMicrosoft: op(z.strictObject({ account: accountInput, homeAccountId: wellFormedText().min(1).max(512).nullable().optional() }), SessionStateSchema),
  /** The Microsoft accounts this computer keeps tokens for, for the account picker (issue 9 class 13). */
  listMicrosoftAccounts: op(
    z.strictObject({ account: accountInput }),
    z.object({ accounts: z.array(z.object({ homeAccountId: z.string(), username: z.string(), name: z.string().nullable() })) }),
  ),
  /** Stops waiting for a Microsoft sign-in in the system browser and closes its loopback listener. */
  cancelMicrosoftSignIn: op(none, ok),
  /** Ends the session; `removeCachedData` also removes this account's cached data from the computer (C6). */
  signOut: op(z.strictObject({ removeCachedData: z.boolean().default(false) }), ok),
  forgotPassword: op(z.strictObject({ account: accountInput, login: ForgotPasswordRequestSchema.shape.login }), ok),
  /** R9: the signed-in user replaces a temporary password (main checks the confirmation; the platform, the rest). */
  changePassword: op(ChangePasswordRequestSchema.extend({ newPasswordConfirmation: ChangePasswordRequestSchema.shape.newPassword }), SessionStateSchema, {
    write: true,
  }),

  searchUsers: op(SearchUsersInputSchema, SearchUsersOutputSchema),
  getUser: op(z.strictObject({ id: IdSchema }), z.object({ user: UserRowSchema, stale: z.boolean() })),
  saveUser: op(
    z.strictObject({ id: IdSchema, baseVersion: z.number().int().nonnegative(), changes: UserChangesSchema, confirmQueueLogout: z.boolean() }),
    UpdateUserResponseSchema,
    { write: true },
  ),
  createUser: op(CreateUserRequestSchema, CreateUserResponseSchema, { write: true }),
  resetPassword: op(z.strictObject({ id: IdSchema }), PasswordResetResponseSchema, { write: true }),
  setPassword: op(SetPasswordRequestSchema.extend({ id: IdSchema }), z.object({ user: UserSchema }), { write: true }),
  getUserAudit: op(z.strictObject({ id: IdSchema }), z.object({ items: z.array(AuditEntrySchema) })),
  /**
   * Issue 11: the versions of a user this computer has synced, newest first, from the cache (works
   * offline): the local history the Histórico tab shows when the platform cannot be reached.
   */
  getUserLocalHistory: op(
    z.strictObject({ id: IdSchema }),
    z.object({ items: z.array(z.object({ version: z.number().int().nonnegative(), updatedAt: IsoDateSchema, user: UserSchema })) }),
  ),
  getUserQueueSessions: op(z.strictObject({ id: IdSchema }), z.object({ items: z.array(QueueSessionSchema) })),

  listExtensions: op(none, z.object({ items: z.array(ExtensionSchema) })),
  assignExtension: op(z.strictObject({ userId: IdSchema, extensionId: IdSchema }), z.object({ user: UserSchema }), { write: true }),
  releaseExtension: op(z.strictObject({ userId: IdSchema }), z.object({ user: UserSchema }), { write: true }),

  listQueues: op(none, z.object({ items: z.array(QueueSummarySchema) })),
  createQueue: op(CreateQueueRequestSchema, z.object({ queue: QueueSummarySchema }), { write: true }),
  addQueueMember: op(z.strictObject({ queueId: IdSchema, userId: IdSchema }), z.object({ queue: QueueSummarySchema, user: UserSchema }), { write: true }),
  removeQueueMember: op(z.strictObject({ queueId: IdSchema, userId: IdSchema }), z.object({ queue: QueueSummarySchema, user: UserSchema }), {
    write: true,
  }),

  /** Issue 11 (C7): the platform's dry run of a bulk action (nothing changes); needs the platform. */
  previewBulk: op(z.strictObject({ target: BulkTargetSchema, action: BulkActionSchema }), z.object({ items: z.array(BulkPreviewItemSchema) }), { write: true }),
  /** Applies a previewed bulk action to up to 500 users at the versions the preview showed. */
  applyBulk: op(
    z.strictObject({ action: BulkActionSchema, users: z.array(z.strictObject({ id: IdSchema, version: z.number().int().nonnegative() })).min(1).max(BATCH_MAX_ITEMS), confirmQueueLogout: z.boolean() }),
    BulkApplyOutputSchema,
    { write: true },
  ),

  /** Issue 11: the users of the table's current search and filters, in its order, as CSV (from the cache; works offline). */
  exportUsersCsv: op(SearchUsersInputSchema.pick({ query: true, filters: true, sort: true }), CsvFileSchema),
  /** Issue 11: a user's (`userId`) or the account's audit trail as CSV (from the platform). */
  exportAuditCsv: op(z.strictObject({ userId: IdSchema.optional() }), CsvFileSchema),

  /**
   * Issue 11: one part of a CSV file to import (base64 bytes at `offset`; `size` is the whole
   * file's). Nothing is read until the preview; a new `importId` replaces a staged file.
   */
  stageCsvImport: op(
    z.strictObject({
      importId: IdSchema,
      offset: z.number().int().nonnegative().max(CSV_IMPORT_MAX_BYTES),
      size: z.number().int().positive().max(CSV_IMPORT_MAX_BYTES),
      data: z.string().max(Math.ceil((CSV_UPLOAD_PART_BYTES * 4) / 3) + 4).regex(/^[A-Za-z0-9+/]*={0,2}$/),
    }),
    z.object({ received: z.number().int().nonnegative() }),
  ),
  /** Issue 11: the dry run of the staged file against the cache (create / change / unchanged / error per row); sends nothing. */
  previewCsvImport: op(z.strictObject({ importId: IdSchema }), CsvImportPreviewSchema),
  /**
   * Issue 11: applies the previewed import's next chunk (≤ 500 rows) through `POST /users/batch`
   * with that chunk's stored Idempotency-Key (a retry after a failure replays it). R4:
   * `confirmQueueLogout` only after the article's confirmation.
   */
  applyCsvImport: op(z.strictObject({ importId: IdSchema, confirmQueueLogout: z.boolean() }), CsvImportProgressSchema, { write: true }),
  /** Issue 11: the dry run again for the rows that failed (against the refreshed cache), ready to apply with new keys. */
  retryCsvImport: op(z.strictObject({ importId: IdSchema }), CsvImportPreviewSchema),

  syncNow: op(none, SyncStatusSchema),
  getSyncStatus: op(none, SyncStatusSchema),
  getSettings: op(none, z.object({ locale: LocaleSchema })),
  setSettings: op(z.strictObject({ locale: LocaleSchema }), z.object({ locale: LocaleSchema })),
} as const;

export type IpcOperations = typeof ipcOperations;
export type OperationInput<N extends OperationName> = z.input<IpcOperations[N]['input']>;
export type OperationOutput<N extends OperationName> = z.output<IpcOperations[N]['output']>;

/** Events main pushes to the renderer (`onDid…`: something happened). */
export const ipcEvents = {
  onDidChangeSyncStatus: SyncStatusSchema,
  onDidChangeConnection: z.object({ online: z.boolean(), offlineSince: IsoDateSchema.nullable() }),
  /** The session ended without a sign-out: expired (401), or the profile lost console access (R2). */
  onDidExpireSession: z.object({ code: z.enum(['session_expired', 'console_access_denied']) }),
  onDidChangeData: z.object({ kinds: z.array(z.enum(['users', 'queues', 'extensions'])) }),
} as const;
export type IpcEvents = typeof ipcEvents;
export type EventPayload<E extends EventName> = z.output<IpcEvents[E]>;

// The names-only lists of ipc-channels.ts must name exactly these operations and events.
export const NAMES_MATCH_CONTRACT: [Holds<Same<OperationName, keyof IpcOperations>>, Holds<Same<EventName, keyof IpcEvents>>] = [true, true];

/** What every operation resolves to across the process boundary. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: z.infer<typeof ApiErrorSchema> };


/** The API the preload exposes as `window.consoleApi`: one method per operation, one per event. */
export type ConsoleApi = {
  readonly [N in OperationName]: (input: OperationInput<N>) => Promise<IpcResult<OperationOutput<N>>>;
} & {
  readonly [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void;
};
