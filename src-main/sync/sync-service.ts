/**
 * C2: keeps the cache in step with the platform. The first sync of an account is a full sync
 * (`fullSync`: every user); later ones are delta syncs (`deltaSync`: only the changes `since` the
 * stored cursor, tombstones delete). Runs on a timer and on demand, refreshes queues and
 * extensions, and reports progress through `onDidChangeSyncStatus`.
 */
import type { User } from '../../src-shared/domain';
import type { ApiError, Locale } from '../../src-shared/errors';
import type { SyncStatus } from '../../src-shared/ipc-contract';
import type { ListUsersResponse } from '../../src-shared/platform-api';
import { ServiceError, isUnreachable, toApiError } from '../errors';
import type { ConsoleCache, SyncState } from '../cache/console-cache';
import type { EventBus } from '../events/event-bus';
import type { PlatformClient } from '../platform/platform-client';
import type { ConnectionMonitor } from './connection-monitor';

export interface SyncServiceOptions {
  client: PlatformClient;
  cache: ConsoleCache;
  events: EventBus;
  connection: ConnectionMonitor;
  /** The cache key of the signed-in account (platform + account, C6), or null. */
  accountKey: () => string | null;
  /**
   * R9: true while the signed-in user's password is temporary. The platform answers every sync
   * request with 403 until it is changed, so no sync is sent meanwhile (none would succeed).
   */
  passwordChangePending?: () => boolean;
  now: () => Date;
  /** Delay between background syncs (default 60 s; 0 disables the timer). */
  intervalMs?: number;
  /** Users per page (default 500). */
  pageSize?: number;
  /** The console's locale, for the status's error message (C5). */
  locale: () => Locale;
  /** Where an unexpected sync failure is reported. */
  logError?: (err: unknown, context: string) => void;
}

/** Users written per transaction during a full sync. */
const FULL_SYNC_BATCH = 5_000;

type UsersPage = ListUsersResponse;
/** What a full or delta sync leaves for `run` to commit: the last cursor, and whether users changed. */
interface SyncResult {
  cursor: string;
  changed: boolean;
}

/** Pulls users, queues and extensions into the cache. */
export class SyncService {
  private state: SyncStatus['state'] = 'idle';
  private progress: SyncStatus['progress'] = null;
  private lastError: ApiError | null = null;
  private running: Promise<SyncStatus> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private disposed = false;
  /** While a sync runs, the user count taken when it started (a count scans the account's rows). */
  private countAtStart: number | null = null;

  constructor(private readonly opts: SyncServiceOptions) {}

  /** The current status (for `getSyncStatus` and the events). */
  status(): SyncStatus {
    const accountId = this.opts.accountKey();
    const { connection, cache } = this.opts;
    return {
      state: this.state,
      online: connection.online,
      lastSyncAt: accountId ? cache.getSyncState(accountId).lastSyncAt : null,
      offlineSince: connection.offlineSince,
      userCount: !accountId ? 0 : this.state === 'syncing' && this.countAtStart !== null ? this.countAtStart : cache.countUsers(accountId),
      progress: this.progress,
      lastError: this.lastError,
    };
  }

  /** Starts the background timer (after sign-in) and runs a first sync. */
  start(): void {
    this.stopTimer();
    if (this.opts.passwordChangePending?.()) return;
    const interval = this.opts.intervalMs ?? 60_000;
    if (interval > 0 && !this.disposed) {
      this.timer = setInterval(() => {
        if (this.opts.connection.online) void this.syncNow().catch(() => undefined);
      }, interval);
      this.timer.unref?.();
    }
    void this.syncNow().catch(() => undefined);
  }

  /** Stops the timer (sign-out). A running sync finishes its current page. */
  stop(): void {
    this.stopTimer();
  }

  /** Runs a sync now, or joins the one already running. Resolves with the final status. */
  syncNow(): Promise<SyncStatus> {
    if (!this.opts.accountKey()) return Promise.reject(new ServiceError('not_signed_in'));
    if (this.opts.passwordChangePending?.()) {
      // The same refusal the platform would give, without asking it.
      return Promise.reject(new ServiceError('forbidden', 'password change required', { details: { reason: 'password_change_required' } }));
    }
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<SyncStatus> {
    // The account key names the platform too (C6): a cursor is only ever reused with its platform.
    const accountId = this.opts.accountKey();
    if (!accountId) throw new ServiceError('not_signed_in');
    const { cache, client } = this.opts;
    const start = cache.getSyncState(accountId);
    const phase = start.cursor === null ? 'full' : 'delta';
    this.countAtStart = cache.countUsers(accountId);
    this.state = 'syncing';
    this.progress = { phase, done: 0, total: null };
    this.lastError = null;
    this.emitStatus();
    // Queues and extensions are fetched alongside the users, not after them (a delta sync of a
    // few users would otherwise wait for three round trips in a row).
    const catalog = Promise.all([client.listQueues(), client.listExtensions()]);
    catalog.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
    try {
      const { cursor, changed } = start.cursor === null ? await this.fullSync(accountId) : await this.deltaSync(accountId, { cursor: start.cursor, lastSyncAt: start.lastSyncAt });
      const [queues, extensions] = await catalog;
      // Signed out meanwhile (maybe removing this account's data, C6): write nothing more.
      this.checkSameSession(accountId);
      cache.transaction(() => {
        cache.replaceQueues(accountId, queues.items);
        cache.replaceExtensions(accountId, extensions.items);
        cache.setSyncState(accountId, { cursor, lastSyncAt: this.opts.now().toISOString() });
      });
      this.state = 'idle';
      this.progress = null;
      this.opts.events.emit('onDidChangeData', { kinds: changed ? ['users', 'queues', 'extensions'] : ['queues', 'extensions'] });
    } catch (err) {
      this.state = 'error';
      this.progress = null;
      if (!(err instanceof ServiceError)) this.opts.logError?.(err, 'sync');
      this.lastError = toApiError(isUnreachable(err) ? new ServiceError('offline') : err, this.opts.locale());
    }
    this.countAtStart = null;
    const status = this.status();
    if (!this.disposed) this.opts.events.emit('onDidChangeSyncStatus', status);
    return status;
  }

  /**
   * The first sync of an account: every user, page after page. Several pages go in one transaction
   * (each commit rewrites the index pages its random-keyed rows touched, so one commit per 500 users
   * made writing 8x slower than fetching); the cursor is committed only at the end, by `run` (an
   * interrupted full sync starts over). Users cached earlier but absent from the listing are gone.
   */
  private async fullSync(accountId: string): Promise<SyncResult> {
    const { cache } = this.opts;
    const seen = new Set<string>();
    const batch: User[] = [];
    // A tombstone on a later page (a user deleted meanwhile) drops the user from `seen`.
    const flush = () => {
      cache.upsertUsers(accountId, batch.filter((u) => seen.has(u.id)));
      batch.length = 0;
    };
    let changed = false;
    const cursor = await this.pages(accountId, null, (page) => {
      for (const u of page.items) seen.add(u.id);
      for (const id of page.deletedIds) seen.delete(id);
      batch.push(...page.items);
      if (batch.length >= FULL_SYNC_BATCH || !page.hasMore) cache.transaction(flush);
      changed ||= page.items.length > 0 || page.deletedIds.length > 0;
    });
    const gone = cache.userIds(accountId).filter((id) => !seen.has(id));
    cache.deleteUsers(accountId, gone);
    return { cursor, changed: changed || gone.length > 0 };
  }

  /**
   * A later sync: only the changes `since` the stored cursor. Each page commits on its own and its
   * cursor last: a sync interrupted in between replays the same changes (upserts and tombstones are
   * idempotent). Outside one big transaction, a few changed users patch the cache's search index
   * in place instead of dropping it (a rebuild costs the next search about 0.5 s at 100 000 users).
   */
  private async deltaSync(accountId: string, start: { cursor: string; lastSyncAt: SyncState['lastSyncAt'] }): Promise<SyncResult> {
    const { cache } = this.opts;
    let changed = false;
    const cursor = await this.pages(accountId, start.cursor, (page) => {
      cache.upsertUsers(accountId, page.items);
      cache.deleteUsers(accountId, page.deletedIds);
      cache.setSyncState(accountId, { cursor: page.cursor, lastSyncAt: start.lastSyncAt });
      changed ||= page.items.length > 0 || page.deletedIds.length > 0;
    });
    return { cursor, changed };
  }

  /**
   * Pages through the users changed `since` the cursor (all of them from null), handing each page
   * to `write` and reporting progress; resolves with the last page's cursor. The next page is asked
   * for before this one is written (the platform prepares it meanwhile); the first one also says
   * how many changes there are, for the progress.
   */
  private async pages(accountId: string, since: string | null, write: (page: UsersPage) => void): Promise<string> {
    const { client } = this.opts;
    const limit = this.opts.pageSize ?? 500;
    const fetchPage = (cursor: string | null, withTotal = false) => {
      const request = client.listUsers({ ...(cursor ? { since: cursor } : {}), limit, ...(withTotal ? { withTotal: 'true' as const } : {}) });
      request.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
      return request;
    };
    let total: number | null = null;
    let next = fetchPage(since, true);
    for (;;) {
      const page = await next;
      this.checkSameSession(accountId);
      if (page.total !== undefined) total = page.total;
      if (page.hasMore) next = fetchPage(page.cursor);
      write(page);
      const done: number = (this.progress?.done ?? 0) + page.items.length + page.deletedIds.length;
      // Changes made while the sync runs can make it go past the first page's total.
      this.progress = { phase: since === null ? 'full' : 'delta', done, total: total === null ? null : Math.max(total, done) };
      this.emitStatus();
      if (!page.hasMore) return page.cursor;
    }
  }

  /** A sync writes only for the session that started it (C6). */
  private checkSameSession(accountId: string): void {
    if (this.opts.accountKey() !== accountId) throw new ServiceError('cancelled', 'session changed during sync');
  }

  private emitStatus(): void {
    if (!this.disposed) this.opts.events.emit('onDidChangeSyncStatus', this.status());
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Stops for good and waits for a running sync. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.stopTimer();
    await this.running?.catch(() => undefined);
  }
}
