/**
 * Login rate limits, per login and per IP: failed attempts in a sliding window. In memory on
 * purpose: one platform process per database file; a multi-instance deployment would move this to
 * a shared store.
 */

/** Counts failures per key inside a window and says how long a blocked key must wait. */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => Date,
  ) {}

  /** Seconds to wait before trying again, or 0 when the key may try now. */
  retryAfterSeconds(key: string): number {
    const list = this.prune(key);
    if (list.length < this.maxFailures) return 0;
    const oldest = list[list.length - this.maxFailures] ?? this.now().getTime();
    return Math.max(1, Math.ceil((oldest + this.windowMs - this.now().getTime()) / 1000));
  }

  /** Records one failure. */
  fail(key: string): void {
    const list = this.prune(key);
    list.push(this.now().getTime());
    this.failures.set(key, list);
  }

  /** Forgets a key's failures (after a successful login). */
  reset(key: string): void {
    this.failures.delete(key);
  }

  private prune(key: string): number[] {
    const cutoff = this.now().getTime() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }
}
