import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FailureLimiter } from '../../../../src-platform/auth/rate-limiter';
import { openDatabase, type Db } from '../../../../src-platform/db/database';

describe('FailureLimiter (R2 login limits, kept in the database for every instance)', () => {
  let dir: string;
  let db: Db;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'omni-limiter-'));
    db = await openDatabase(path.join(dir, 'p.sqlite'));
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('R2: blocks a key after the maximum failures and says how long to wait', async () => {
    let t = 1_000_000;
    const limiter = new FailureLimiter(db, 'login', 3, 60_000, () => new Date(t));
    for (let i = 0; i < 3; i++) {
      expect(await limiter.retryAfterSeconds('k')).toBe(0);
      await limiter.fail('k');
      t += 1000;
    }
    expect(await limiter.retryAfterSeconds('k')).toBe(57);
    expect(await limiter.retryAfterSeconds('other')).toBe(0);
    t += 57_000;
    expect(await limiter.retryAfterSeconds('k')).toBe(0);
  });

  it('R2: a reset forgets the failures of a key', async () => {
    const limiter = new FailureLimiter(db, 'login', 1, 60_000, () => new Date(0));
    await limiter.fail('k');
    expect(await limiter.retryAfterSeconds('k')).toBeGreaterThan(0);
    await limiter.reset('k');
    expect(await limiter.retryAfterSeconds('k')).toBe(0);
  });

  it('issue 12: limits share the table by scope; a second limiter on the same database sees the same failures', async () => {
    const now = () => new Date(5_000_000);
    await new FailureLimiter(db, 'login', 2, 60_000, now).fail('k');
    await new FailureLimiter(db, 'login', 2, 60_000, now).fail('k');
    expect(await new FailureLimiter(db, 'login', 2, 60_000, now).retryAfterSeconds('k')).toBeGreaterThan(0);
    expect(await new FailureLimiter(db, 'login-ip', 2, 60_000, now).retryAfterSeconds('k')).toBe(0);
  });

  it('issue 12: keys are stored hashed (no login or address at rest), and old failures are pruned', async () => {
    let t = 1_000_000;
    const limiter = new FailureLimiter(db, 'login', 3, 60_000, () => new Date(t));
    await limiter.fail('demo\u0000admin');
    t += 120_000;
    await limiter.fail('demo\u0000admin');
    const rows = await db.selectFrom('limit_failures').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain('admin');
  });
});
