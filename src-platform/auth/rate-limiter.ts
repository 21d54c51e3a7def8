/**
 * Login rate limits, per login and per IP: failed attempts in a sliding window. Kept in the
 * database (table `limit_failures`), not in process memory, so that every platform instance on one
 * database sees the same counts: a lockout earned on one instance holds on the others. Keys are
 * stored as SHA-256 hashes (no login names or addresses at rest); old rows are pruned on each
 * failure and by housekeeping.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/database';

/** Counts failures per key inside a window and says how long a blocked key must wait. */
export class FailureLimiter {
  constructor(
    private readonly db: Db,
    /** Which limit (several share the table): e.g. `login`, `login-ip`. */
    private readonly scope: string,
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => Date,
  ) {}

  /** Seconds to wait before trying again, or 0 when the key may try now. */
  async retryAfterSeconds(key: string): Promise<number> {
    const now = this.now().getTime();
    const recent = await this.db
      .selectFrom('limit_failures')
      .select('at')
      .where('scope', '=', this.scope)
      .where('key_hash', '=', hashKey(key))
      .where('at', '>', new Date(now - this.windowMs).toISOString())
      .orderBy('at', 'desc')
      .limit(this.maxFailures)
      .execute();
    const oldest = recent[this.maxFailures - 1];
    if (!oldest) return 0;
    return Math.max(1, Math.ceil((Date.parse(oldest.at) + this.windowMs - now) / 1000));
  }

  /** Records one failure (and forgets this key's failures older than the window). */
  async fail(key: string): Promise<void> {
    const now = this.now().getTime();
    const keyHash = hashKey(key);
    await this.db.insertInto('limit_failures').values({ scope: this.scope, key_hash: keyHash, at: new Date(now).toISOString() }).execute();
    await this.db
      .deleteFrom('limit_failures')
      .where('scope', '=', this.scope)
      .where('key_hash', '=', keyHash)
      .where('at', '<=', new Date(now - this.windowMs).toISOString())
      .execute();
  }

  /** Forgets a key's failures (after a successful login). */
  async reset(key: string): Promise<void> {
    await this.db.deleteFrom('limit_failures').where('scope', '=', this.scope).where('key_hash', '=', hashKey(key)).execute();
  }
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
