/**
 * C2: keeps the cache in step with the platform. The first sync of an account is a full sync
 * (`fullSync`: every user, written by the fill worker); later ones are delta syncs (`deltaSync`:
 * only the changes `since` the stored cursor, tombstones delete). Runs on a timer and on demand,
 * refreshes queues and extensions, and reports progress through `onDidChangeSyncStatus`.
 */
import type { ApiError, Locale } from '../../src-shared/errors';
import type { SyncStatus } from '../../src-shared/ipc-contract';
import type { Extension, QueueSummary } from '../../src-shared/domain';
import { ListUsersResponseSchema, type CatalogTags } from '../../src-shared/platform-api';
import { isPlainUsersPage } from '../../src-shared/users-page-check';
import { ServiceError, isUnreachable, toApiError } from '../errors';
import { statSync } from 'node:fs';
import { CacheFiller, CheckpointStopped, Checkpointer, FillError, type CheckpointResult, type WorkerEntry } from '../cache/cache-filler';
import type { ConsoleCache } from '../cache/console-cache';
import type { FillState } from '../cache/fill-protocol';
import { PlatformError } from '../platform/platform-error';
import type { EventBus } from '../events/event-bus';
import type { IfChanged, PlatformClient } from '../platform/platform-client';
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
  /** Users per page (default 1 000, the platform's maximum). */
  pageSize?: number;
  /** The console's locale, for the status's error message (C5). */
  locale: () => Locale;
  /** Where an unexpected sync failure is reported. */
  logError?: (err: unknown, context: string) => void;
  /** Users (and deletions) per committed batch of a fill (default 2 000). */
  fillBatch?: number;
  /** A sync's end asks the checkpointer once the WAL file holds this much (default 1 MB, about 250 pages). */
  checkpointFromBytes?: number;
  /** The fill worker's entry (default: next to this module; the bench passes a prebuilt bundle). */
  fillWorker?: WorkerEntry | undefined;
}

/** Users per page by default (the platform's maximum). */
export const DEFAULT_PAGE_SIZE = 1_000;
/**
 * Users written per transaction during a fill (an interrupted fill resumes from the last one). Of
 * 5 000 and 1 000, 2 000 made the 100 000-user first sync fastest (in 12 alternating pairs with
 * 5 000, ours 3.50 against 3.68 s in medians, console CPU 4.38 against 4.64 s): the writer keeps
 * each open batch's rows for the main thread and the name order until the commit, and the fewer
 * they are, the less its young generation's collections copy.
 */
const FILL_BATCH = 2_000;
/**
 * Pages a fill's parser may be ahead of its writer (one being written, two parsed, one parsing;
 * `CacheFiller.whenWritten`). 3 rather than 2: the threads wait less on each other (ours 3464
 * against 3666 ms in medians of 8 alternating 100 000-user first syncs each, faster in 6 of the 8
 * pairs), for one more page in flight (RSS after the sync the same within the noise).
 */
const FILL_LEAD = 3;
/** At most one "users changed" event per this many ms while a fill runs (the table refreshes). */
const DATA_EVENT_MS = 250;
/** Answers to a resumed fill's cursor that mean "start over" (the platform no longer accepts it). */
const CURSOR_REFUSED = new Set([400, 409, 410, 422]);

/** Queues and extensions as a sync gets them: null for a list that is unchanged. */
type CatalogLists = [IfChanged<QueueSummary>, IfChanged<Extension>];

/** A request whose failure is handled where it is awaited (never an unhandled rejection meanwhile). */
function quiet<T>(request: Promise<T>): Promise<T> {
  request.catch(() => undefined);
  return request;
}

/**
 * The first delta sync after a fill is the first time this thread checks a users page (the fill
 * worker checked the fill's): the first run of that check (the quick exact check, or zod's when a
 * page is not plain) took V8 about 10 ms of it. The fill's last page, already fetched and checked
 * by the worker, is checked once more here, after the sync's task, when nothing waits for it.
 */
function warmUsersPageCheck(body: Uint8Array): void {
  setImmediate(() => {
    try {
      const page: unknown = JSON.parse(new TextDecoder().decode(body));
      if (!isPlainUsersPage(page)) ListUsersResponseSchema.safeParse(page);
    } catch {
      // Only a warm-up: the worker has checked this page already.
    }
  }).unref();
}

/**
 * The WAL size from which a sync's end asks for a checkpoint off the main thread (the file holds
 * what was written since the last one: `journal_size_limit` in ConsoleCache). A delta of 100
 * users writes about 0.5 MB; one of a few users, some tens of kB.
 */
const CHECKPOINT_FROM_BYTES = 1024 * 1024;

/** The size of the cache's WAL file (0 if there is none). */
function walBytes(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

/** Pulls users, queues and extensions into the cache. */
export class SyncService {
  private state: SyncStatus['state'] = 'idle';
  private progress: SyncStatus['progress'] = null;
  private lastError: ApiError | null = null;
  private running: Promise<SyncStatus> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private disposed = false;
  /** While a delta sync runs, the user count taken when it started (a count scans the account's rows). */
  private countAtStart: number | null = null;
  /** While a fill runs: the platform's total, and when the fill started. */
  private fillTotal: number | null = null;
  private fillStartedAt: string | null = null;
  /** The running first fill's writer, and whether `stop()` ended it. */
  private filler: CacheFiller | null = null;
  private stopping = false;
  /** A finished first fill whose writer still has the users' key index to build (after the sync answers). */
  private keyFiller: CacheFiller | null = null;
  /** That build while it runs: later syncs, `stop()` and `settled()` wait for it. */
  private keying: Promise<void> | null = null;
  /** Copies the WAL into the cache file after each sync, off the main thread (started on first use). */
  private checkpointer: Checkpointer | null = null;
  /** How many times `stop()` ran: a checkpoint asked for before a stop is not started after it. */
  private stops = 0;
  private lastCheckpoint: Promise<CheckpointResult | null> = Promise.resolve(null);

  constructor(private readonly opts: SyncServiceOptions) {}

  /** The current status (for `getSyncStatus` and the events). */
  status(): SyncStatus {
    const accountId = this.opts.accountKey();
    const { connection, cache } = this.opts;
    const delta = this.state === 'syncing' && this.progress?.phase === 'delta' && this.countAtStart !== null;
    const userCount = !accountId ? 0 : delta ? this.countAtStart! : cache.countUsers(accountId);
    // A first fill that has not completed (running, or interrupted by a crash or a lost network).
    const fill = accountId ? cache.getFillState(accountId) : null;
    return {
      state: this.state,
      online: connection.online,
      lastSyncAt: accountId ? cache.getSyncState(accountId).lastSyncAt : null,
      offlineSince: connection.offlineSince,
      userCount,
      progress: this.progress,
      lastError: this.lastError,
      incomplete: fill ? { since: fill.startedAt, cached: userCount, total: this.fillTotal ?? fill.total } : null,
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

  /**
   * Stops the timer (sign-out). A running first fill stops writing now: its worker is ended (the
   * batch it had open rolls back; committed batches stay) and resolves once the cache file is
   * free, so the account's data can be removed right after. A delta sync writes nothing once the
   * session has changed (C6).
   */
  async stop(): Promise<void> {
    this.stops++;
    this.stopTimer();
    const filler = this.filler;
    if (filler) {
      this.stopping = true;
      await filler.close();
    }
    // A key index being built is let finish (about 0.3 s at 100 000 users, off this thread): ended
    // halfway, this thread would have to build it again.
    this.startKeyBuild();
    await this.keying;
    const checkpointer = this.checkpointer;
    this.checkpointer = null;
    await checkpointer?.close();
  }

  /** The checkpoint the last sync asked for (tests; null when none ran or it failed). */
  checkpointed(): Promise<CheckpointResult | null> {
    return this.lastCheckpoint;
  }

  /** Resolves once the work a sync left behind it is done: the users' key index of a first fill (tests, bench). */
  async settled(): Promise<void> {
    await this.keying;
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
    // The cache's idle work after writes (settling the search index, moving logged versions) waits
    // until this sync has answered.
    const release = this.opts.cache.holdIdleWork();
    try {
      return await this.runHeld();
    } finally {
      release();
    }
  }

  private async runHeld(): Promise<SyncStatus> {
    // The first fill's key index first: a write of this thread would wait for it, blocking.
    await this.keying;
    // The account key names the platform too (C6): a cursor is only ever reused with its platform.
    const accountId = this.opts.accountKey();
    if (!accountId) throw new ServiceError('not_signed_in');
    const { cache } = this.opts;
    const start = cache.getSyncState(accountId);
    const phase = start.cursor === null ? 'full' : 'delta';
    this.countAtStart = cache.countUsers(accountId);
    this.state = 'syncing';
    this.progress = { phase, done: 0, total: null };
    this.lastError = null;
    this.emitStatus();
    // The users' first page is asked for first (the platform answers in order, and the users are
    // what the sync writes first). Queues and extensions are asked for with the tags of the lists
    // the cache holds (an unchanged list answers 304, null: nothing is parsed or written for it).
    // A delta sync that holds both tags asks in its users' first page whether they changed
    // (`catalogTags`), then only for a list whose tag changed, while that page is written: most
    // syncs ask for neither (two requests less on both sides). Otherwise both are asked for right
    // after the users, alongside them.
    const tags = cache.catalogTagsOf(accountId);
    const askFirst = start.cursor !== null && tags.queues !== undefined && tags.extensions !== undefined;
    let catalog: Promise<CatalogLists> | null = null;
    const askCatalog = (current?: CatalogTags) => {
      catalog = quiet(this.fetchCatalog(tags, current));
    };
    const users = start.cursor === null ? this.fullSync(accountId) : this.deltaSync(accountId, start.cursor, start.lastSyncAt, askFirst ? askCatalog : null);
    if (!askFirst) askCatalog();
    try {
      const { cursor, changed } = await users;
      // (Asked for by now: a delta sync asks once its first page has landed.)
      const [queues, extensions] = await (catalog ?? this.fetchCatalog(tags, undefined));
      // Signed out meanwhile (maybe removing this account's data, C6): write nothing more.
      this.checkSameSession(accountId);
      cache.transaction(() => {
        if (queues) cache.replaceQueues(accountId, queues.items);
        if (extensions) cache.replaceExtensions(accountId, extensions.items);
        cache.setSyncState(accountId, { cursor, lastSyncAt: this.opts.now().toISOString() });
        // The first fill is complete: the cache no longer says it is partial.
        cache.clearFillState(accountId);
      });
      // Committed: the lists written are the ones these tags name (no other write came between).
      if (queues) cache.tagCatalog(accountId, 'queues', queues.etag);
      if (extensions) cache.tagCatalog(accountId, 'extensions', extensions.etag);
      this.state = 'idle';
      this.progress = null;
      // The sync's writes go into the file from another thread, not in a later commit of this one
      // (a few changes in a small WAL are left to SQLite: no thread started for them). The thread
      // starts after this sync has answered (starting one costs this thread about 1 ms). After a
      // first fill whose writer builds the key index, that writer empties the WAL at its end.
      if (!this.disposed && !this.keyFiller && walBytes(cache.file) >= (this.opts.checkpointFromBytes ?? CHECKPOINT_FROM_BYTES)) {
        const stops = this.stops;
        this.lastCheckpoint = new Promise<void>((resolve) => setImmediate(resolve))
          .then(() => {
            // Stopped meanwhile (sign-out, dispose): no thread is started for a session that ended.
            if (this.disposed || this.stops !== stops) return null;
            this.checkpointer ??= new Checkpointer(cache.file, this.opts.fillWorker);
            return this.checkpointer.request();
          })
          .catch((err: unknown) => {
            if (!(err instanceof CheckpointStopped)) this.opts.logError?.(err, 'checkpoint');
            return null;
          });
      }
      this.opts.events.emit('onDidChangeData', { kinds: changed ? ['users', 'queues', 'extensions'] : ['queues', 'extensions'] });
    } catch (err) {
      this.state = 'error';
      this.progress = null;
      if (!(err instanceof ServiceError)) this.opts.logError?.(err, 'sync');
      this.lastError = toApiError(isUnreachable(err) ? new ServiceError('offline') : err, this.opts.locale());
    }
    this.countAtStart = null;
    // The sync's own writes are committed: the first fill's writer builds the key index now.
    this.startKeyBuild();
    const status = this.status();
    if (!this.disposed) this.opts.events.emit('onDidChangeSyncStatus', status);
    return status;
  }

  /**
   * Starts the users' key index a finished first fill left to build (`FillDone.keyPending`), on its
   * writer's thread; the writer ends after it. Should that fail, this thread builds it.
   */
  private startKeyBuild(): void {
    const filler = this.keyFiller;
    if (!filler) return;
    this.keyFiller = null;
    const { cache, logError } = this.opts;
    const build = async () => {
      let built = true;
      try {
        await filler.buildKey();
      } catch (err) {
        logError?.(err, 'sync');
        built = false;
      }
      await this.closeFiller(filler);
      if (!built && !cache.isClosed) cache.ensureUserKey();
    };
    this.keying = build()
      .catch((err: unknown) => logError?.(err, 'sync'))
      .finally(() => {
        this.keying = null;
      });
  }

  /** Ends a fill's workers; the file is this thread's alone again, which checkpoints at its commits as usual. */
  private async closeFiller(filler: CacheFiller): Promise<void> {
    await filler.close();
    if (!this.opts.cache.isClosed) this.opts.cache.setAutoCheckpoint(true);
  }

  /**
   * Queues and extensions, each unless unchanged: a list whose current tag (a users page's
   * `catalogTags`) is the stored one is not asked for; any other is asked with the stored tag
   * (304 while unchanged).
   */
  private fetchCatalog(stored: { queues?: string; extensions?: string }, current: CatalogTags | undefined): Promise<CatalogLists> {
    const { client } = this.opts;
    const unchanged = (list: keyof CatalogTags) => current !== undefined && current[list] === stored[list];
    return Promise.all([
      unchanged('queues') ? null : client.listQueueSummariesIfChanged(stored.queues ?? null),
      unchanged('extensions') ? null : client.listExtensionsIfChanged(stored.extensions ?? null),
    ]);
  }

  /** Progress after a page: changes made while the sync runs can make it go past the first page's total. */
  private advance(phase: 'full' | 'delta', items: number, pageTotal: number | undefined): void {
    const done = (this.progress?.done ?? 0) + items;
    const total = pageTotal ?? this.progress?.total ?? null;
    this.progress = { phase, done, total: total === null ? null : Math.max(total, done) };
    this.emitStatus();
  }

  private fetchPage(since: string | null, first: { withCatalogTags: boolean } | null) {
    const limit = this.opts.pageSize ?? DEFAULT_PAGE_SIZE;
    const extra = first ? { withTotal: 'true' as const, ...(first.withCatalogTags ? { withCatalogTags: 'true' as const } : {}) } : {};
    return this.opts.client.listUsers({ ...(since ? { since } : {}), limit, ...extra });
  }

  private fetchRawPage(since: string | null, withTotal: boolean) {
    const limit = this.opts.pageSize ?? DEFAULT_PAGE_SIZE;
    return this.opts.client.listUsersRaw({ ...(since ? { since } : {}), limit, ...(withTotal ? { withTotal: 'true' as const } : {}) });
  }

  /**
   * A delta sync: each page commits on its own and the cursor after it (the last page's with the
   * sync's end), so a sync interrupted in between replays the same changes (upserts and
   * tombstones are idempotent). A few changed users
   * patch the cache's search index in place (a rebuild costs the next search about 0.5 s at
   * 100 000 users).
   */
  private async deltaSync(
    accountId: string,
    since: string,
    lastSyncAt: string | null,
    askCatalog: ((current: CatalogTags | undefined) => void) | null,
  ): Promise<{ cursor: string; changed: boolean }> {
    const { cache } = this.opts;
    let cursor = since;
    let changed = false;
    let next = quiet(this.fetchPage(cursor, { withCatalogTags: askCatalog !== null }));
    for (;;) {
      const page = await next;
      this.checkSameSession(accountId);
      cursor = page.cursor;
      // The catalog's changed lists (a platform that does not say asks for both), while this page is written.
      askCatalog?.(page.catalogTags);
      askCatalog = null;
      // Ask for the next page before writing this one: the platform prepares it meanwhile.
      if (page.hasMore) next = quiet(this.fetchPage(cursor, null));
      if (page.items.length > 0) cache.upsertUsers(accountId, page.items);
      if (page.deletedIds.length > 0) cache.deleteUsers(accountId, page.deletedIds);
      // The last page's cursor is committed with the sync's end (`runHeld`), one commit less.
      if (page.hasMore) cache.setSyncState(accountId, { cursor, lastSyncAt });
      changed ||= page.items.length > 0 || page.deletedIds.length > 0;
      this.advance('delta', page.items.length + page.deletedIds.length, page.total);
      if (!page.hasMore) return { cursor, changed };
    }
  }

  /**
   * The first sync of an account (its key names the platform too, C6): the fill worker writes the
   * cache while this thread only fetches. It resumes an interrupted fill from its last committed
   * page; when nothing was committed (or the platform refuses the old cursor) it starts from zero.
   * The live count and the search index follow each committed batch.
   */
  private async fullSync(accountId: string): Promise<{ cursor: string; changed: boolean }> {
    const { cache, events } = this.opts;
    const previous = cache.getFillState(accountId);
    const resumable = previous !== null && previous.cursor !== null && cache.countUsers(accountId) > 0;
    try {
      return { cursor: await this.fillFrom(accountId, resumable ? previous : null), changed: true };
    } catch (err) {
      // A cursor the platform no longer accepts: start over from zero, once.
      if (resumable && err instanceof PlatformError && CURSOR_REFUSED.has(err.status)) return { cursor: await this.fillFrom(accountId, null), changed: true };
      throw err;
    } finally {
      events.emit('onDidChangeData', { kinds: ['users'] });
    }
  }

  private async fillFrom(accountId: string, resume: FillState | null): Promise<string> {
    const { cache, events } = this.opts;
    const fill: FillState = resume ?? { startedAt: this.opts.now().toISOString(), cursor: null, total: null };
    // The resumed part is fetched first, so a refused cursor fails before anything is written.
    let next = quiet(this.fetchRawPage(fill.cursor, true));
    if (resume) await next;
    cache.beginFill(accountId, resume === null);
    this.fillTotal = fill.total;
    this.fillStartedAt = fill.startedAt;
    let lastData = 0;
    const filler = new CacheFiller(
      { file: cache.file, accountId, fresh: resume === null, relaxed: true, batch: this.opts.fillBatch ?? FILL_BATCH, fill },
      (batch) => {
        if (this.stopping || this.opts.accountKey() !== accountId) return;
        cache.applyFillBatch(accountId, batch);
        this.emitStatus();
        // The table refreshes as pages land (at most a few times a second).
        const now = Date.now();
        if (now - lastData >= DATA_EVENT_MS) {
          lastData = now;
          events.emit('onDidChangeData', { kinds: ['users'] });
        }
      },
      // Rows the writer removed as duplicates: the search index is built again from the file.
      () => {
        if (!this.stopping && this.opts.accountKey() === accountId) cache.forget(accountId);
      },
      this.opts.fillWorker,
    );
    this.filler = filler;
    this.stopping = false;
    // A fresh fill's writer checkpoints the WAL once, at its end: this thread's commits meanwhile do
    // not (on again in `closeFiller`, which the `finally` below or the key index's build calls).
    if (resume === null) cache.setAutoCheckpoint(false);
    let posted = 0;
    try {
      for (;;) {
        const { body, nextSince } = await next;
        this.checkSameSession(accountId);
        // The next page is asked for now when the answer said where it starts (its `Link`), else
        // once the worker parsed this one: either way while the workers handle this one.
        if (nextSince !== null) next = quiet(this.fetchRawPage(nextSince, false));
        // The writer at most FILL_LEAD pages behind: nothing queues up between the threads.
        await filler.whenWritten(posted - FILL_LEAD);
        posted++;
        // The page is moved to the worker; the last one's bytes are kept for `warmUsersPageCheck`
        // (without a link, any page may be the last: a copy of 0.5 MB is well under a millisecond).
        const kept = nextSince === null ? body.slice() : null;
        const page = await filler.page(body);
        if (nextSince !== null && (!page.hasMore || page.cursor !== nextSince)) {
          throw new PlatformError('internal_error', 200, 'GET /users: the next page link does not match the page');
        }
        if (nextSince === null && page.hasMore) next = quiet(this.fetchRawPage(page.cursor, false));
        if (page.total !== undefined && this.fillTotal === null) this.fillTotal = page.total;
        this.advance('full', page.items + page.deleted, page.total);
        if (!page.hasMore) {
          // The key index may wait until this sync has answered unless this thread wrote the
          // account's users during the fill (a user saved then may be in the file twice).
          const done = await filler.finish(cache.isFillUntouched(accountId));
          if (done.keyPending) this.keyFiller = filler;
          if (!this.stopping && this.opts.accountKey() === accountId) cache.endFill(accountId, done.nameOrder);
          if (kept) warmUsersPageCheck(kept);
          return page.cursor;
        }
      }
    } catch (err) {
      if (this.stopping) throw new ServiceError('cancelled', 'sync stopped');
      // The platform's error (an invalid page, a lost connection): the pages the writer was given
      // before it are the platform's, committed so that the next sync resumes after them. Not for
      // another session's sync (C6).
      if (this.opts.accountKey() === accountId) await filler.drain();
      if (err instanceof FillError && err.invalidAnswer) throw new PlatformError('internal_error', 200, err.message);
      throw err;
    } finally {
      this.filler = null;
      // A writer with the key index still to build ends after it (`startKeyBuild`).
      if (this.keyFiller !== filler) {
        await this.closeFiller(filler);
        // A fill stopped before its end (sign-out, a failure the writer could not drain) leaves the
        // users' key index to build (about 0.3 s at 100 000 users); after a finished one, nothing.
        if (!cache.isClosed) cache.ensureUserKey();
      }
      this.fillTotal = null;
      this.fillStartedAt = null;
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
    await this.stop();
    await this.running?.catch(() => undefined);
  }
}
