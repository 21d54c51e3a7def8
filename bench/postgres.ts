/**
 * #8 and #9, the platform on PostgreSQL (issue 12), on a temporary cluster of Debian's PostgreSQL
 * that the bench starts in a temp folder (test/support/postgres-cluster.ts) and removes after; when
 * PostgreSQL is not installed, both rows say so and are skipped.
 * - #8 throughput: the users page and PATCH with If-Match (autocannon, as #7) on a platform on
 *   PostgreSQL versus the suite's SQLite platform, both seeded the same way (demo + N generated).
 * - #9 scale: one database holding `pgAccounts` accounts of `pgUsersPerAccount` users (1 000 × 1 000
 *   = 1 000 000 users) versus one holding a single such account; the same account's list page and
 *   searches, requests alternating between the two platforms, p95 of each (the indexes scope by
 *   account, so the big database should cost about the same: target ≤ 1.5×).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { generateUsers } from '../src-platform';
import { openDatabase } from '../src-platform/db/database';
import { postgresBin, startTemporaryPostgres, type TemporaryPostgres } from '../test/support/postgres-cluster';
import type { BenchContext } from './context';
import { firstJsonLine, signInToken, spawnTsx } from './fixture';
import type { BenchResult } from './report';
import { percentile } from './stats';
import { compareLoad, platformTarget } from './throughput';

/** A platform process on a PostgreSQL database (platform-child.ts with a database URL). */
async function startPostgresPlatform(dir: string, databaseUrl: string, users: number): Promise<{ url: string; userCount: number; token: string; stop(): Promise<void> }> {
  const child = spawnTsx('bench/platform-child.ts', [dir, String(users), databaseUrl]);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.stdin!.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const ready = await firstJsonLine<{ url: string; userCount: number }>(child, 'platform (PostgreSQL)');
    return { url: ready.url, userCount: ready.userCount, token: await signInToken(ready.url), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Adds `accounts` customer accounts of `usersEach` generated agents each (the other tenants of #9). */
async function addAccounts(databaseUrl: string, accounts: number, usersEach: number, log: (m: string) => void): Promise<void> {
  const db = await openDatabase(databaseUrl);
  try {
    const started = Date.now();
    for (let i = 0; i < accounts; i++) {
      const id = randomUUID();
      await db.insertInto('accounts').values({ id, slug: `bench-${i}`, name: `Bench ${i}`, idp_enabled: 0, idp_tenant_id: null, idp_client_id: null, idp_authority: null, created_at: new Date().toISOString(), kind: 'customer' }).execute();
      await generateUsers(db, id, usersEach, { prefix: `a${i}` });
      if ((i + 1) % 100 === 0) log(`  #9 ${((i + 1) * usersEach).toLocaleString('en')} users in ${i + 1} accounts (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
    // Fresh statistics, as autovacuum would leave them on a database that grew over time.
    await sql`analyze`.execute(db);
  } finally {
    await db.destroy();
  }
}

/** One request's milliseconds (the body read in full); throws on anything but 200. */
async function timed(p: { url: string; token: string }, path: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${p.url}${path}`, { headers: { authorization: `Bearer ${p.token}` } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
  return performance.now() - t;
}

/**
 * Each pair of paths (the same query on each platform) `rounds` times, after two warm-up rounds,
 * alternating which platform goes first so both see the same moments of a noisy machine.
 */
async function alternate(small: { url: string; token: string }, big: { url: string; token: string }, paths: Array<[string, string]>, rounds: number): Promise<[number[], number[]]> {
  const s: number[] = [];
  const b: number[] = [];
  for (let round = -2; round < rounds; round++) {
    for (const [smallPath, bigPath] of paths) {
      let ts: number;
      let tb: number;
      if (round % 2 === 0) {
        ts = await timed(small, smallPath);
        tb = await timed(big, bigPath);
      } else {
        tb = await timed(big, bigPath);
        ts = await timed(small, smallPath);
      }
      if (round >= 0) {
        s.push(ts);
        b.push(tb);
      }
    }
  }
  return [s, b];
}

const SEARCHES = ['silva', 'ana oliveira', 'bench.7', 'souza 12', 'nenhum-resultado'];

function skipped(reason: string): BenchResult[] {
  const row = (id: number, name: string): BenchResult => ({ id, name, unit: '', ours: Number.NaN, baseline: null, baselineName: null, ratio: null, target: '', met: null, notes: `skipped: ${reason}` });
  return [row(8, 'Platform throughput on PostgreSQL vs SQLite'), row(9, 'PostgreSQL with 1,000 accounts: per-account list and search')];
}

/** Runs #8 and #9 (four rows), or two skipped rows when PostgreSQL is not installed. */
export async function benchPostgres(ctx: BenchContext, which: { throughput: boolean; scale: boolean }): Promise<BenchResult[]> {
  if (!postgresBin()) return skipped("PostgreSQL binaries not found (/usr/lib/postgresql/*/bin: install Debian's postgresql)");
  const { config, platform } = ctx;
  let cluster: TemporaryPostgres | null = null;
  const stops: Array<() => Promise<void>> = [];
  const results: BenchResult[] = [];
  try {
    cluster = await startTemporaryPostgres({ prefix: 'omni-bench-pg-', settings: ['shared_buffers=256MB'] });
    if (which.throughput) {
      cluster.createDatabase('throughput');
      config.log(`  #8 PostgreSQL platform: generating ${config.users.toLocaleString('en')} users`);
      const pg = await startPostgresPlatform(platform.tempDir('pg8'), cluster.urlOf('throughput'), config.users);
      stops.push(pg.stop);
      const rows = await compareLoad(ctx, await platformTarget('PostgreSQL', pg.url, pg.token), await platformTarget('SQLite', platform.url, platform.token));
      for (const row of rows) results.push({ ...row, id: 8, name: `Platform throughput on PostgreSQL: ${row.name}`, notes: `${row.notes}; same data (${pg.userCount} users on PostgreSQL, ${platform.userCount} on SQLite)` });
      await pg.stop();
    }
    if (which.scale) {
      const perAccount = config.pgUsersPerAccount;
      cluster.createDatabase('one_account');
      cluster.createDatabase('many_accounts');
      // The demo account (its seed plus generated agents) is the one measured in both databases.
      const small = await startPostgresPlatform(platform.tempDir('pg9a'), cluster.urlOf('one_account'), perAccount);
      stops.push(small.stop);
      const big = await startPostgresPlatform(platform.tempDir('pg9b'), cluster.urlOf('many_accounts'), perAccount);
      stops.push(big.stop);
      config.log(`  #9 generating ${((config.pgAccounts - 1) * perAccount).toLocaleString('en')} users in ${config.pgAccounts - 1} more accounts`);
      await addAccounts(cluster.urlOf('many_accounts'), config.pgAccounts - 1, perAccount, config.log);
      const db = await openDatabase(cluster.urlOf('many_accounts'));
      const total = Number((await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      await db.destroy();
      const smallDb = await openDatabase(cluster.urlOf('one_account'));
      await sql`analyze`.execute(smallDb);
      await smallDb.destroy();
      const first = (p: { url: string; token: string }, limit: number) => fetch(`${p.url}/api/v1/users?limit=${limit}`, { headers: { authorization: `Bearer ${p.token}` } }).then((r) => r.json() as Promise<{ cursor: string }>);
      // A later sync page of the same account: from the cursor after its first half.
      const [halfSmall, halfBig] = [await first(small, Math.floor(small.userCount / 2)), await first(big, Math.floor(big.userCount / 2))];
      const shapes: Array<{ name: string; paths: Array<[string, string]> }> = [
        { name: 'per-account list (first and a later page of 100)', paths: [['/api/v1/users?limit=100', '/api/v1/users?limit=100'], [`/api/v1/users?limit=100&since=${halfSmall.cursor}`, `/api/v1/users?limit=100&since=${halfBig.cursor}`]] },
        { name: `per-account search (${SEARCHES.length} queries, first 100)`, paths: SEARCHES.map((q) => `/api/v1/users?limit=100&q=${encodeURIComponent(q)}`).map((path) => [path, path] as [string, string]) },
      ];
      for (const shape of shapes) {
        const [s, b] = await alternate(small, big, shape.paths, config.pgRounds);
        const ratio = percentile(b, 95) / percentile(s, 95);
        config.log(`  #9 ${shape.name}: p95 ${percentile(b, 95).toFixed(2)} ms with ${total.toLocaleString('en')} users vs ${percentile(s, 95).toFixed(2)} ms with one account`);
        results.push({
          id: 9,
          name: `PostgreSQL, ${total.toLocaleString('en')} users in ${config.pgAccounts.toLocaleString('en')} accounts: ${shape.name}`,
          unit: 'ms p95',
          ours: percentile(b, 95),
          baseline: percentile(s, 95),
          baselineName: `one ${small.userCount.toLocaleString('en')}-user account`,
          ratio,
          target: 'ratio ≤ 1.5',
          met: ratio <= 1.5,
          notes: `median ${percentile(b, 50).toFixed(2)} vs ${percentile(s, 50).toFixed(2)} ms; ${b.length} requests on each, alternating`,
        });
      }
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    cluster?.stop();
  }
  return results;
}
