/**
 * C6: the cache key of an account on a platform. Every row of the console's cache is stored under
 * such a key (in its `account_id` column), so one account never reads another's rows, nor the same
 * account id served by another platform.
 */

/** `platform` is the platform's origin, or `embedded` for the console's own platform (C4). */
export function accountKey(platform: string, accountId: string): string {
  return JSON.stringify([platform, accountId]);
}
