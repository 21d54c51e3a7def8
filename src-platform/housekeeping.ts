/**
 * Issue 16 item 3, retention: the platform's database does not grow forever. A housekeeping pass
 * removes what has no further use, in small batches (one short statement each, the event loop and
 * other writers get their turn between them), on a schedule:
 * - sent (and given-up) mail older than `mailDays` (default 30). The audit keeps its own record of
 *   every email a change caused (who, to which address, when), so nothing the audit needs goes;
 *   mail still pending or retrying is never removed;
 * - reset tokens once expired (used or not: an expired link is refused either way);
 * - Idempotency-Key answers after their 24 hours (a key is then a new request anyway);
 * - sessions once expired, and login/reset failure counts older than a day (every limit's window
 *   is 15 minutes);
 * - the audit trail only when `auditDays` is set (off by default: kept forever; archive it with
 *   the audit export before choosing a period).
 * Every instance on a shared database may run it: the deletes are idempotent.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from './db/database';
import { isPostgres } from './db/dialect';
import { IDEMPOTENCY_KEY_TTL_MS } from './routes/http';

/** What is kept, and how the job runs. */
export interface RetentionOptions {
  /** Days sent or given-up mail is kept (default 30). */
  mailDays?: number;
  /** Days the audit trail is kept; null or undefined: forever (the default). */
  auditDays?: number | null;
  /** Rows removed per statement (default 500). */
  batchSize?: number;
  /** How often the job runs (default every 10 minutes; 0: only through `runHousekeeping`). */
  intervalMs?: number;
}

export const DEFAULT_MAIL_RETENTION_DAYS = 30;
export const DEFAULT_HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;
const DEFAULT_BATCH = 500;
/** Failure counts are read over 15-minute windows; a day leaves a wide margin. */
const LIMIT_FAILURES_KEEP_MS = 24 * 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

/** Rows removed by one pass, per kind. */
export interface HousekeepingReport {
  mail: number;
  resetTokens: number;
  idempotencyKeys: number;
  sessions: number;
  limitFailures: number;
  audit: number;
}

type Table = 'outbox' | 'reset_tokens' | 'idempotency_keys' | 'sessions' | 'limit_failures' | 'audit_entries';

/**
 * Deletes the rows of `table` matching `where` in batches of `batchSize` (one statement each, by
 * the row's physical id: `ctid` on PostgreSQL, `rowid` on SQLite), yielding between batches; stops
 * early when `stopped()` says so. Returns how many rows went.
 */
async function deleteInBatches(db: Db, table: Table, where: RawBuilder<unknown>, batchSize: number, stopped: () => boolean): Promise<number> {
  const rowId = sql.raw(isPostgres(db) ? 'ctid' : 'rowid');
  let removed = 0;
  while (!stopped()) {
    const result = await sql`delete from ${sql.table(table)} where ${rowId} in (select ${rowId} from ${sql.table(table)} where ${where} limit ${batchSize})`.execute(db);
    const n = Number(result.numAffectedRows ?? 0);
    removed += n;
    if (n < batchSize) break;
    // Let requests waiting on the event loop (and, on SQLite, on the write lock) go first.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return removed;
}

/** One housekeeping pass at `now`. */
export async function runHousekeeping(db: Db, now: Date, options: RetentionOptions = {}, stopped: () => boolean = () => false): Promise<HousekeepingReport> {
  const batch = options.batchSize ?? DEFAULT_BATCH;
  const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const mailDays = options.mailDays ?? DEFAULT_MAIL_RETENTION_DAYS;
  const report: HousekeepingReport = { mail: 0, resetTokens: 0, idempotencyKeys: 0, sessions: 0, limitFailures: 0, audit: 0 };
  report.mail = await deleteInBatches(db, 'outbox', sql`status in ('sent', 'failed') and created_at < ${before(mailDays * DAY_MS)}`, batch, stopped);
  report.resetTokens = await deleteInBatches(db, 'reset_tokens', sql`expires_at < ${now.toISOString()}`, batch, stopped);
  report.idempotencyKeys = await deleteInBatches(db, 'idempotency_keys', sql`created_at < ${before(IDEMPOTENCY_KEY_TTL_MS)}`, batch, stopped);
  report.sessions = await deleteInBatches(db, 'sessions', sql`expires_at < ${now.toISOString()}`, batch, stopped);
  report.limitFailures = await deleteInBatches(db, 'limit_failures', sql`at < ${before(LIMIT_FAILURES_KEEP_MS)}`, batch, stopped);
  if (options.auditDays !== null && options.auditDays !== undefined) {
    report.audit = await deleteInBatches(db, 'audit_entries', sql`at < ${before(options.auditDays * DAY_MS)}`, batch, stopped);
  }
  return report;
}

/** The scheduled job of a running platform. */
export interface Housekeeper {
  /** Runs a pass now (or waits for the one in progress); resolves with what it removed. */
  run(): Promise<HousekeepingReport>;
  /** Stops the schedule and waits for a pass in progress to end (it stops between batches). */
  close(): Promise<void>;
}

/** Starts the schedule (a first pass one interval after start). */
export function startHousekeeping(db: Db, now: () => Date, options: RetentionOptions, onError: (error: unknown) => void): Housekeeper {
  let running: Promise<HousekeepingReport> | null = null;
  let closed = false;
  const run = () => (running ??= runHousekeeping(db, now(), options, () => closed).finally(() => (running = null)));
  const interval = options.intervalMs ?? DEFAULT_HOUSEKEEPING_INTERVAL_MS;
  const timer = interval > 0 ? setInterval(() => void run().catch(onError), interval) : null;
  timer?.unref();
  return {
    run,
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
