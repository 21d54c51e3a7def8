/**
 * The console's client of the platform REST API (axios): base URL, bearer token, timeouts, typed
 * errors, response validation with the `src-shared` schemas, and retries with backoff only where a
 * repeat cannot double an effect (GET/PUT/DELETE, and requests carrying an `Idempotency-Key`).
 */
import axios, { AxiosError, type AxiosInstance, type Method } from 'axios';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Locale } from '../../src-shared/errors';
import { ILL_FORMED_TEXT, isWellFormedText } from '../../src-shared/text';
import type { Extension, QueueSummary } from '../../src-shared/domain';
import { isPlainUsersPage } from '../../src-shared/users-page-check';
import {
  API_PREFIX,
  AuditResponseSchema,
  AccountAuditResponseSchema,
  BatchResponseSchema,
  type BatchRequest,
  CreateUserResponseSchema,
  ListExtensionsResponseSchema,
  ListQueueSummariesResponseSchema,
  ListUsersResponseSchema,
  MeResponseSchema,
  MembershipResponseSchema,
  PasswordResetResponseSchema,
  ProvidersResponseSchema,
  QueueResponseSchema,
  QueueSessionsResponseSchema,
  SessionResponseSchema,
  UpdateUserResponseSchema,
  UserResponseSchema,
  userEtag,
  type CreateQueueRequest,
  type CreateUserRequest,
  type LoginRequest,
  type UpdateUserRequest,
  usersNextSince,
} from '../../src-shared/platform-api';
import { PlatformError, errorFromResponse } from './platform-error';

export interface PlatformClientOptions {
  /** The platform's origin, e.g. `http://127.0.0.1:4000` (the client adds `/api/v1`). */
  baseUrl: string;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Extra attempts for retryable requests (default 2). */
  retries?: number;
  /** First backoff delay, doubled each attempt (default 250 ms). */
  backoffMs?: number;
  /** Locale for the platform's messages (Accept-Language). */
  locale?: () => Locale;
}

interface RequestSpec<S extends z.ZodType> {
  method: Method;
  path: string;
  schema: S | null;
  params?: Record<string, string | number | undefined>;
  data?: unknown;
  /** Generated once per user action and reused on every retry of it. */
  idempotencyKey?: string;
  ifMatch?: string;
  /** Send the bearer token (default true). */
  auth?: boolean;
  /** Send this bearer token instead of the client's own (a session not adopted by the console). */
  bearer?: string;
  /** Answer the body's bytes, unparsed (the fill worker parses and validates them), and the headers. */
  raw?: boolean;
  /** Called before each retry, after a transient failure (the first attempt may have landed). */
  onRetry?: (error: PlatformError) => void;
  /** A longer timeout than the client's (a batch of 500 users). */
  timeoutMs?: number;
  /**
   * A quick exact check of `schema`: when it says yes, the body is what the schema would give back
   * and is used as it is (no zod pass); otherwise the schema parses it as usual.
   */
  plain?: (body: unknown) => boolean;
  /** A conditional GET: sent as `If-None-Match`; a 304 answers `NOT_MODIFIED`. */
  ifNoneMatch?: string;
  /** Receives the answer's `ETag` (or undefined), before its body is checked. */
  onTag?: (tag: string | undefined) => void;
}

/** What a conditional GET answers when the platform says 304 (the client's copy is current). */
export const NOT_MODIFIED: unique symbol = Symbol('notModified');

/** A list asked conditionally: null when unchanged since the tag sent, else the items and their tag. */
export type IfChanged<T> = { items: T[]; etag: string | null } | null;

/** What a `raw` request answers: the body's bytes and the answer's headers (lower-case names). */
interface RawAnswer {
  body: Uint8Array;
  header(name: string): string | undefined;
}

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join(', ');
  return undefined;
}

/** A batch of 500 users runs one rule check per user on the platform: more than one request's time. */
const BATCH_TIMEOUT_MS = 60_000;

const RETRYABLE_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const RETRYABLE_STATUS = new Set([502, 503, 504]);

/**
 * Builds an API path from a template, encoding each value as one path segment. The contract already
 * refuses ill-formed ids; this refuses them again where a URL is built (`encodeURIComponent` throws
 * on a lone surrogate), and refuses empty and dot segments, which URL parsing would collapse
 * (`/users/..` is `/`): every refusal is a `validation_failed` before anything is sent.
 */
export function apiPath(parts: TemplateStringsArray, ...values: string[]): string {
  let path = parts[0] ?? '';
  values.forEach((value, i) => {
    if (typeof value !== 'string' || value === '' || value === '.' || value === '..' || !isWellFormedText(value)) {
      throw new PlatformError('validation_failed', 0, 'refused path segment', { fieldErrors: { _: [ILL_FORMED_TEXT] } });
    }
    path += encodeURIComponent(value) + (parts[i + 1] ?? '');
  });
  return path;
}

/** Refuses query values that cannot be encoded (the same rule as `apiPath`). */
function checkParams(params: Record<string, string | number | undefined> | undefined): void {
  for (const [key, value] of Object.entries(params ?? {})) {
    if (typeof value === 'string' && !isWellFormedText(value)) {
      throw new PlatformError('validation_failed', 0, 'refused query value', { fieldErrors: { [key]: [ILL_FORMED_TEXT] } });
    }
  }
}

/** A fresh idempotency key for one user action. */
export const newIdempotencyKey = (): string => randomUUID();

/**
 * Typed platform API client. One per console; the token changes with the session. It emits what
 * every request learns, for the services to subscribe to: reachability (the connection monitor,
 * C1) and an authenticated request answered 401 (the auth service: the session is over).
 */
export class PlatformClient {
  readonly baseUrl: string;
  private readonly http: AxiosInstance;
  private token: string | null = null;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly reachabilityListeners = new Set<(reachable: boolean) => void>();
  private readonly unauthorizedListeners = new Set<(error: PlatformError) => void>();

  constructor(private readonly opts: PlatformClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.retries = opts.retries ?? 2;
    this.backoffMs = opts.backoffMs ?? 250;
    this.http = axios.create({
      baseURL: `${this.baseUrl}${API_PREFIX}`,
      timeout: opts.timeoutMs ?? 10_000,
      // Every status is handled here, so errors carry the API's code.
      validateStatus: () => true,
      // The platform is local or configured: never follow a proxy from the environment.
      proxy: false,
      maxRedirects: 0,
    });
  }

  /** Subscribes to reachability: `true` on any HTTP answer, `false` when the platform cannot be reached. Returns the unsubscribe. */
  onReachability(listener: (reachable: boolean) => void): () => void {
    return subscribe(this.reachabilityListeners, listener);
  }

  /** Subscribes to "an authenticated request answered 401" (the session is over). Returns the unsubscribe. */
  onUnauthorized(listener: (error: PlatformError) => void): () => void {
    return subscribe(this.unauthorizedListeners, listener);
  }

  private reportReachability(reachable: boolean): void {
    for (const listener of this.reachabilityListeners) listener(reachable);
  }

  /** Sets (or clears) the bearer token of the current session. */
  setToken(token: string | null): void {
    this.token = token;
  }

  get hasToken(): boolean {
    return this.token !== null;
  }

  /** Sends one request with the retry policy; resolves with the validated body. */
  async request<S extends z.ZodType>(spec: RequestSpec<S>): Promise<z.output<S>> {
    checkParams(spec.params);
    const method = spec.method.toUpperCase();
    const retryable = RETRYABLE_METHODS.has(method) || spec.idempotencyKey !== undefined;
    const attempts = retryable ? this.retries + 1 : 1;
    let lastError: PlatformError | null = null;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await delay(this.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
      try {
        return await this.once(spec);
      } catch (err) {
        if (!(err instanceof PlatformError)) throw err;
        lastError = err;
        const transient = err.status === 0 || RETRYABLE_STATUS.has(err.status);
        if (!transient) throw err;
        if (attempt + 1 < attempts) spec.onRetry?.(err);
      }
    }
    throw lastError ?? new PlatformError('internal_error', 0, 'no attempt made');
  }

  private async once<S extends z.ZodType>(spec: RequestSpec<S>): Promise<z.output<S>> {
    const headers: Record<string, string> = { 'Accept-Language': this.opts.locale?.() ?? 'pt-BR' };
    const withAuth = spec.auth !== false;
    const token = spec.bearer ?? this.token;
    if (withAuth && token) headers.Authorization = `Bearer ${token}`;
    if (spec.idempotencyKey) headers['Idempotency-Key'] = spec.idempotencyKey;
    if (spec.ifMatch) headers['If-Match'] = spec.ifMatch;
    if (spec.ifNoneMatch) headers['If-None-Match'] = spec.ifNoneMatch;
    let response;
    try {
      response = await this.http.request({
        method: spec.method,
        url: spec.path,
        params: spec.params,
        data: spec.data,
        headers,
        ...(spec.timeoutMs ? { timeout: spec.timeoutMs } : {}),
        ...(spec.raw ? { responseType: 'arraybuffer' as const } : {}),
      });
    } catch (err) {
      this.reportReachability(false);
      const timedOut = err instanceof AxiosError && (err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT');
      throw new PlatformError(timedOut ? 'timeout' : 'network_error', 0, err instanceof Error ? err.message : String(err), { cause: err });
    }
    this.reportReachability(true);
    if (response.status >= 400) {
      const error = errorFromResponse(response.status, spec.raw ? parseJson(response.data as Uint8Array) : response.data);
      if (response.status === 401 && withAuth && this.token && !spec.bearer && error.code !== 'invalid_credentials') {
        for (const listener of this.unauthorizedListeners) listener(error);
      }
      throw error;
    }
    if (spec.raw) {
      const raw: RawAnswer = { body: new Uint8Array(response.data as ArrayBuffer), header: (name) => headerText(response.headers[name]) };
      return raw as z.output<S>;
    }
    if (response.status === 304 && spec.ifNoneMatch) return NOT_MODIFIED as z.output<S>;
    spec.onTag?.(headerText(response.headers.etag));
    if (!spec.schema) return undefined as z.output<S>;
    if (spec.plain?.(response.data)) return response.data as z.output<S>;
    const parsed = spec.schema.safeParse(response.data);
    if (!parsed.success) throw new PlatformError('internal_error', response.status, `unexpected answer from ${spec.method} ${spec.path}`);
    return parsed.data;
  }

  /** Any HTTP answer means reachable; the connection monitor's probe (C1), short enough to notice a hung platform within 5 s. */
  async probe(): Promise<boolean> {
    try {
      await this.http.get('/auth/providers', { params: { account: 'probe' }, timeout: 2_500 });
      this.reportReachability(true);
      return true;
    } catch {
      this.reportReachability(false);
      return false;
    }
  }

  // ---- operations ------------------------------------------------------------------------

  login(body: LoginRequest) {
    return this.request({ method: 'POST', path: '/auth/login', data: body, schema: SessionResponseSchema, auth: false });
  }
  /** Exchanges a Microsoft access token for a platform session (the SSO seam, C3). */
  loginMicrosoft(body: { account: string; accessToken: string }) {
    return this.request({ method: 'POST', path: '/auth/microsoft', data: body, schema: SessionResponseSchema, auth: false });
  }
  /** Ends the client's session on the platform, or the session of `token` (one the console refused). */
  logout(token?: string) {
    return this.request({ method: 'POST', path: '/auth/logout', schema: null, ...(token ? { bearer: token } : {}) });
  }
  /** R9: the signed-in user replaces their password (the only write a temporary password allows). */
  changePassword(body: { currentPassword: string; newPassword: string }) {
    return this.request({ method: 'POST', path: '/auth/change-password', data: body, schema: UserResponseSchema });
  }
  me() {
    return this.request({ method: 'GET', path: '/me', schema: MeResponseSchema });
  }
  providers(account: string) {
    return this.request({ method: 'GET', path: '/auth/providers', params: { account }, schema: ProvidersResponseSchema, auth: false });
  }
  forgotPassword(body: { account: string; login: string }, idempotencyKey = newIdempotencyKey()) {
    return this.request({ method: 'POST', path: '/auth/forgot-password', data: body, schema: null, auth: false, idempotencyKey });
  }
  listUsers(params: { since?: string; limit?: number; withTotal?: 'true'; withCatalogTags?: 'true' }) {
    // A delta page checked as the first fill checks its pages (src-shared/users-page-check.ts).
    return this.request({ method: 'GET', path: '/users', params, schema: ListUsersResponseSchema, plain: isPlainUsersPage });
  }
  /**
   * The same listing as raw bytes, for a full sync: the fill worker parses and validates each page
   * (`ListUsersResponseSchema`) off the main thread. `nextSince`: where the next page starts, from
   * the answer's `Link` header (null without one: then only the parsed page says).
   */
  async listUsersRaw(params: { since?: string; limit?: number; withTotal?: 'true' }): Promise<{ body: Uint8Array; nextSince: string | null }> {
    const raw = (await this.request({ method: 'GET', path: '/users', params, schema: null, raw: true })) as RawAnswer;
    return { body: raw.body, nextSince: usersNextSince(raw.header('link')) };
  }
  async getUser(id: string) {
    return this.request({ method: 'GET', path: apiPath`/users/${id}`, schema: UserResponseSchema });
  }
  createUser(body: CreateUserRequest, idempotencyKey = newIdempotencyKey()) {
    return this.request({ method: 'POST', path: '/users', data: body, schema: CreateUserResponseSchema, idempotencyKey });
  }
  /** `If-Match` comes from the version the edit started from; the key makes a retry replay. */
  async updateUser(user: { id: string; version: number }, body: UpdateUserRequest, idempotencyKey = newIdempotencyKey(), onRetry?: (error: PlatformError) => void) {
    return this.request({
      ...(onRetry ? { onRetry } : {}),
      method: 'PATCH',
      path: apiPath`/users/${user.id}`,
      data: body,
      schema: UpdateUserResponseSchema,
      ifMatch: userEtag(user),
      idempotencyKey,
    });
  }
  async resetPassword(id: string, idempotencyKey = newIdempotencyKey()) {
    return this.request({ method: 'POST', path: apiPath`/users/${id}/password-reset`, schema: PasswordResetResponseSchema, idempotencyKey });
  }
  async setPassword(id: string, body: { password: string; passwordConfirmation: string }) {
    return this.request({ method: 'PUT', path: apiPath`/users/${id}/password`, data: body, schema: UserResponseSchema });
  }
  async assignExtension(userId: string, extensionId: string) {
    return this.request({ method: 'PUT', path: apiPath`/users/${userId}/extension`, data: { extensionId }, schema: UserResponseSchema });
  }
  async releaseExtension(userId: string) {
    return this.request({ method: 'DELETE', path: apiPath`/users/${userId}/extension`, schema: UserResponseSchema });
  }
  async userAudit(id: string) {
    return this.request({ method: 'GET', path: apiPath`/users/${id}/audit`, schema: AuditResponseSchema });
  }
  /** Issue 11: a page of the account's audit trail (newest first); `cursor` is the previous page's `nextCursor`. */
  accountAudit(cursor?: string) {
    return this.request({ method: 'GET', path: '/audit', params: { cursor }, schema: AccountAuditResponseSchema });
  }
  async userQueueSessions(id: string) {
    return this.request({ method: 'GET', path: apiPath`/users/${id}/queue-sessions`, schema: QueueSessionsResponseSchema });
  }
  listExtensions() {
    return this.request({ method: 'GET', path: '/extensions', schema: ListExtensionsResponseSchema });
  }
  /** Issue 10: the extensions, unless unchanged since `etag` (a sync keeps the last answer's tag). */
  listExtensionsIfChanged(etag: string | null): Promise<IfChanged<Extension>> {
    return this.ifChanged('/extensions', ListExtensionsResponseSchema, etag);
  }
  /** Issue 10: the queue summaries, unless unchanged since `etag`. */
  listQueueSummariesIfChanged(etag: string | null): Promise<IfChanged<QueueSummary>> {
    return this.ifChanged('/queue-summaries', ListQueueSummariesResponseSchema, etag);
  }
  private async ifChanged<T>(path: string, schema: z.ZodType<{ items: T[] }>, etag: string | null): Promise<IfChanged<T>> {
    let tag: string | undefined;
    const answer: unknown = await this.request({ method: 'GET', path, schema, ...(etag ? { ifNoneMatch: etag } : {}), onTag: (t) => (tag = t) });
    if (answer === NOT_MODIFIED) return null;
    return { items: (answer as { items: T[] }).items, etag: tag ?? null };
  }
  /** The account's queues with member counts (`GET /queue-summaries`): the console never needs every member id. */
  listQueueSummaries() {
    return this.request({ method: 'GET', path: '/queue-summaries', schema: ListQueueSummariesResponseSchema });
  }
  createQueue(body: CreateQueueRequest, idempotencyKey = newIdempotencyKey()) {
    return this.request({ method: 'POST', path: '/queues', data: body, schema: QueueResponseSchema, idempotencyKey });
  }
  async addQueueMember(queueId: string, userId: string) {
    return this.request({ method: 'PUT', path: apiPath`/queues/${queueId}/members/${userId}`, schema: MembershipResponseSchema });
  }
  /** Issue 11: up to 500 user changes (a dry run with `dryRun`); the key replays a lost answer. */
  batch(body: BatchRequest, idempotencyKey?: string) {
    return this.request({ method: 'POST', path: '/users/batch', data: body, schema: BatchResponseSchema, timeoutMs: BATCH_TIMEOUT_MS, ...(idempotencyKey ? { idempotencyKey } : {}) });
  }
  async removeQueueMember(queueId: string, userId: string) {
    return this.request({ method: 'DELETE', path: apiPath`/queues/${queueId}/members/${userId}`, schema: MembershipResponseSchema });
  }
}

function subscribe<L>(set: Set<L>, listener: L): () => void {
  set.add(listener);
  return () => set.delete(listener);
}

/** An error body answered as bytes. */
function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
