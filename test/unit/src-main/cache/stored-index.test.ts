/**
 * Issue 10 (cold start): the search index a closing console stores (cache migration 11), read by
 * the next start's first search instead of being built from the users rows. A stored index must
 * answer exactly as one built from the rows, and must never outlive a write to the users it
 * describes, whichever connection writes.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConsoleCache } from '../../../../src-main/cache/console-cache';
import { fillStateKey } from '../../../../src-main/cache/fill-protocol';
import { STORED_INDEXES, STORED_KIND, migrate } from '../../../../src-main/cache/migrations';
import { UserSearchIndex } from '../../../../src-main/cache/user-search-index';
import type { User } from '../../../../src-shared/domain';
import type { SearchUsersInput } from '../../../../src-shared/ipc-contract';
import { makeUser, tempDir } from '../../../support/console-fixtures';

const dirs: Array<() => void> = [];
afterEach(() => {
  vi.restoreAllMocks();
  dirs.splice(0).forEach((c) => c());
});
function dataDir() {
  const t = tempDir();
  dirs.push(t.cleanup);
  return t.dir;
}

const ACC = 'acc-1';
const OTHER = 'acc-2';
const NAMES = ['Ana', 'Bia', 'José', 'Zé', 'Maria', 'Ana Lima', 'Éder', 'bia', 'Conceição'];

function user(n: number, over: Partial<User> = {}): User {
  return makeUser({
    id: `u${n}`,
    name: NAMES[n % NAMES.length]!,
    login: `login${n}`,
    email: `u${n}@${n % 2 ? 'acme.com' : 'other.org'}`,
    profile: n % 5 === 0 ? 'supervisor' : 'agent',
    active: n % 3 !== 0,
    voiceQueueIds: n % 4 === 0 ? ['q1'] : [],
    updatedAt: `2026-01-${String(1 + (n % 28)).padStart(2, '0')}T00:00:00.000Z`,
    ...over,
  });
}

/** Searches a table would make: every sort, both directions, keys, filters, a deep page. */
const SEARCHES: SearchUsersInput[] = [
  ...(['name', 'login', 'email', 'updatedAt'] as const).flatMap((by) =>
    (['asc', 'desc'] as const).map((dir): SearchUsersInput => ({ query: '', filters: {}, sort: { by, dir }, offset: 0, limit: 60 })),
  ),
  { query: 'a', filters: {}, offset: 0, limit: 60 },
  { query: 'jos', filters: {}, offset: 0, limit: 60 },
  { query: 'ze', filters: { active: true }, offset: 0, limit: 60 },
  { query: 'conceicao', filters: {}, sort: { by: 'login', dir: 'asc' }, offset: 0, limit: 60 },
  { query: '@acme', filters: {}, sort: { by: 'email', dir: 'desc' }, offset: 1, limit: 3 },
  { query: '', filters: { queueId: 'q1' }, offset: 0, limit: 60 },
  { query: '', filters: { profile: 'supervisor' }, offset: 0, limit: 60 },
];

function answers(cache: ConsoleCache, account = ACC): Array<{ total: number; ids: string[]; names: string[] }> {
  return SEARCHES.map((input) => {
    const out = cache.searchUsers(account, input);
    return { total: out.total, ids: out.items.map((u) => u.id), names: out.items.map((u) => u.name) };
  });
}

/** A second connection to the file (another process or thread writing, or a look at the tables). */
function withFile<T>(dir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(`${dir}/cache.sqlite`);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const storedAccounts = (dir: string) => withFile(dir, (db) => db.prepare(`SELECT account_id FROM ${STORED_INDEXES} WHERE kind = ${STORED_KIND.index} ORDER BY account_id`).pluck().all());

/** What the users rows answer: the stored indexes set aside, a console opened on the file, its answers. */
function answersFromRows(dir: string, account = ACC) {
  const kept = withFile(dir, (db) => {
    const rows = db.prepare(`SELECT account_id, kind, data FROM ${STORED_INDEXES}`).raw().all();
    db.exec(`DELETE FROM ${STORED_INDEXES}`);
    return rows as Array<[string, number, Buffer]>;
  });
  const cache = new ConsoleCache(dir);
  try {
    return answers(cache, account);
  } finally {
    cache.close();
    // The reference console's close stored its own: put back what was there.
    withFile(dir, (db) => {
      db.exec(`DELETE FROM ${STORED_INDEXES}`);
      for (const [account, kind, data] of kept) db.prepare(`INSERT INTO ${STORED_INDEXES} (account_id, kind, data) VALUES (?, ?, ?)`).run(account, kind, data);
    });
  }
}

/** Opens the file and runs every search; `built`: whether the index was built from the rows. */
function reopen(dir: string): { cache: ConsoleCache; got: ReturnType<typeof answers>; built: boolean } {
  const cache = new ConsoleCache(dir);
  const fromDb = vi.spyOn(UserSearchIndex, 'fromDb');
  try {
    const got = answers(cache);
    return { cache, got, built: fromDb.mock.calls.length > 0 };
  } finally {
    fromDb.mockRestore();
  }
}

/** A data folder whose cache holds `count` users of ACC and the index its close stored. */
function closedWithIndex(count: number): string {
  const dir = dataDir();
  const cache = new ConsoleCache(dir);
  cache.upsertUsers(ACC, Array.from({ length: count }, (_, i) => user(i)));
  answers(cache);
  cache.close();
  return dir;
}

/** Opens the file, runs every search and closes it: `built` says whether it built the index from the rows; either way it answers like the rows. */
function expectReopened(dir: string, built: boolean): void {
  const next = reopen(dir);
  next.cache.close();
  expect(next.built).toBe(built);
  expect(next.got).toEqual(answersFromRows(dir));
}

describe('stored search index (issue 10: cold start)', () => {
  it('a closing console stores its index; the next start reads it (no build from the rows, no sort by name) and answers like the rows, after appends, changes, deletions and every sort', () => {
    const dir = dataDir();
    const cache = new ConsoleCache(dir);
    cache.upsertUsers(ACC, Array.from({ length: 40 }, (_, i) => user(i)));
    cache.upsertUsers(OTHER, [user(1, { accountId: OTHER, name: 'Outra Conta' })]);
    const before = answers(cache); // sorts every order
    answers(cache, OTHER);
    cache.upsertUsers(ACC, [user(3, { name: 'Zuleica', version: 2 }), user(50, { name: 'Nova' })]); // a change (side map) and an append
    cache.deleteUsers(ACC, ['u7']);
    expect(answers(cache)).not.toEqual(before);
    const live = answers(cache);
    cache.close();
    expect(storedAccounts(dir)).toEqual([ACC, OTHER]);

    const next = new ConsoleCache(dir);
    const fromDb = vi.spyOn(UserSearchIndex, 'fromDb');
    const sort = vi.spyOn(Int32Array.prototype, 'sort');
    const first = next.searchUsers(ACC, { query: '', filters: {}, offset: 0, limit: 60 });
    expect(fromDb).not.toHaveBeenCalled();
    expect(sort).not.toHaveBeenCalled();
    const got = answers(next);
    expect(fromDb).not.toHaveBeenCalled();
    expect(sort).not.toHaveBeenCalled(); // every order came stored
    vi.restoreAllMocks();
    expect(first.items.map((u) => u.id)).toEqual(got[0]!.ids);
    expect(got).toEqual(live);
    expect(answers(next, OTHER)[0]!.names).toEqual(['Outra Conta']);
    next.close();
    expect(got).toEqual(answersFromRows(dir));
  });

  it('a stored index answers like the rows after any changes (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('rename' as const), n: fc.nat(29), name: fc.constantFrom(...NAMES), active: fc.boolean() }),
      fc.record({ kind: fc.constant('insert' as const), n: fc.integer({ min: 30, max: 45 }) }),
      fc.record({ kind: fc.constant('delete' as const), n: fc.nat(45) }),
      fc.record({ kind: fc.constant('search' as const), k: fc.nat(SEARCHES.length - 1) }),
      fc.constant({ kind: 'restart' as const }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        const dir = dataDir();
        let cache = new ConsoleCache(dir);
        cache.upsertUsers(ACC, Array.from({ length: 30 }, (_, i) => user(i)));
        let version = 2;
        for (const o of ops) {
          if (o.kind === 'rename') cache.upsertUsers(ACC, [user(o.n, { name: o.name, active: o.active, version: version++ })]);
          else if (o.kind === 'insert') cache.upsertUsers(ACC, [user(o.n, { version: version++ })]);
          else if (o.kind === 'delete') cache.deleteUsers(ACC, [`u${o.n}`]);
          else if (o.kind === 'search') cache.searchUsers(ACC, SEARCHES[o.k]!);
          else {
            cache.close();
            cache = new ConsoleCache(dir);
          }
        }
        const live = answers(cache);
        cache.close();
        const next = reopen(dir);
        next.cache.close();
        expect(next.built).toBe(false);
        expect(next.got).toEqual(live);
        expect(next.got).toEqual(answersFromRows(dir));
      }),
      { numRuns: 40 },
    );
  });

  it('any write to an account\'s users deletes its stored index, from any connection; the next start builds it from the rows', () => {
    const writes: Array<(db: Database.Database) => void> = [
      (db) => db.prepare(`INSERT INTO users SELECT NULL, account_id, 'u99', json_set(data, '$.id', 'u99', '$.name', 'Inserida'), 'inserida', 'u99', 'u99@x', profile, active, webrtc, omnichannel, password_set, has_extension, updated_at, version, ready, missing_mask, queue_ids FROM users WHERE account_id = 'acc-1' AND id = 'u1'`).run(),
      (db) => db.prepare(`UPDATE users SET data = json_set(data, '$.name', 'Mudada'), name_key = 'mudada' WHERE account_id = 'acc-1' AND id = 'u2'`).run(),
      (db) => db.prepare(`DELETE FROM users WHERE account_id = 'acc-1' AND id = 'u3'`).run(),
    ];
    for (const write of writes) {
      const dir = dataDir();
      const cache = new ConsoleCache(dir);
      cache.upsertUsers(ACC, Array.from({ length: 12 }, (_, i) => user(i)));
      cache.upsertUsers(OTHER, [user(1, { accountId: OTHER })]);
      answers(cache);
      answers(cache, OTHER);
      cache.close();
      expect(storedAccounts(dir)).toEqual([ACC, OTHER]);
      withFile(dir, write);
      // The other account's stays: its users did not change.
      expect(storedAccounts(dir)).toEqual([OTHER]);
      expectReopened(dir, true);
    }
  });

  it('a write before the first search (a start\'s delta sync) patches the stored index instead of losing it; a large one leaves the index to the rows', () => {
    for (const [write, fromRows] of [
      [(c: ConsoleCache) => c.upsertUsers(ACC, [user(3, { name: 'Renomeada', version: 2 }), user(60, { name: 'Chegou' })]), false],
      [(c: ConsoleCache) => c.deleteUsers(ACC, ['u5']), false],
      [(c: ConsoleCache) => c.upsertUsers(ACC, Array.from({ length: 300 }, (_, i) => user(i, { name: `Lote ${i}`, version: 2 }))), true],
    ] as const) {
      const dir = closedWithIndex(40);
      const next = new ConsoleCache(dir);
      const fromDb = vi.spyOn(UserSearchIndex, 'fromDb');
      write(next);
      expect(storedAccounts(dir)).toEqual([]); // the write's trigger deleted it
      const got = answers(next);
      expect(fromDb.mock.calls.length > 0).toBe(fromRows);
      vi.restoreAllMocks();
      next.close();
      expect(storedAccounts(dir)).toEqual([ACC]); // stored again, patched
      expect(got).toEqual(answersFromRows(dir));
    }
  });

  it('the stored copy read at start is deleted in idle time (the first write does not free it) and stored again at close', async () => {
    const dir = closedWithIndex(12);
    const next = new ConsoleCache(dir);
    next.searchUsers(ACC, {});
    expect(storedAccounts(dir)).toEqual([ACC]);
    await vi.waitFor(() => expect(storedAccounts(dir)).toEqual([]));
    next.close();
    expect(storedAccounts(dir)).toEqual([ACC]);
    // A console that read it and closed before the idle time leaves it as it was (not written again).
    const quick = new ConsoleCache(dir);
    quick.searchUsers(ACC, {});
    const toStored = vi.spyOn(UserSearchIndex.prototype, 'toStored');
    quick.close();
    expect(toStored).not.toHaveBeenCalled();
    expect(storedAccounts(dir)).toEqual([ACC]);
    // A console that did not search (its index never built) leaves the stored one as it was.
    const idle = new ConsoleCache(dir);
    idle.close();
    expect(storedAccounts(dir)).toEqual([ACC]);
  });

  it('nothing is stored while a first fill has not ended, nor when another connection wrote the users unannounced (a row moved, a user renamed in place); the console\'s own writes keep it storable', () => {
    const dir = dataDir();
    const cache = new ConsoleCache(dir);
    cache.upsertUsers(ACC, Array.from({ length: 12 }, (_, i) => user(i)));
    answers(cache);
    cache.setMeta(fillStateKey(ACC), JSON.stringify({ startedAt: '2026-01-01T00:00:00.000Z', cursor: null, total: null }));
    cache.close();
    expect(storedAccounts(dir)).toEqual([]);

    for (const behindItsBack of [
      // A row moved (same count, another row id).
      `UPDATE users SET rid = (SELECT max(rid) + 1 FROM users) WHERE id = 'u4'`,
      // A user renamed in place (same count, same row ids): only the mark (migration 12) tells.
      `UPDATE users SET name_key = 'outro nome' WHERE id = 'u5'`,
    ]) {
      const again = new ConsoleCache(dir);
      again.clearFillState(ACC);
      answers(again);
      again.upsertUsers(ACC, [user(6, { name: 'Própria', version: 9 })]); // its own writes keep the mark
      withFile(dir, (db) => db.prepare(behindItsBack).run());
      again.close();
      expect(storedAccounts(dir)).toEqual([]);
      // Without the other connection's write, the same console stores it.
      const clean = new ConsoleCache(dir);
      answers(clean);
      clean.upsertUsers(ACC, [user(6, { name: 'Própria Dois', version: 10 })]);
      clean.deleteUsers(ACC, ['u7']);
      clean.close();
      expect(storedAccounts(dir)).toEqual([ACC]);
      expectReopened(dir, false);
    }
  });

  it('C1 (issue 10): a stored index of another layout (or damaged) is deleted and the index built from the rows', () => {
    const damages: Array<(data: Buffer) => Buffer> = [
      () => Buffer.from([0]),
      (data) => data.subarray(0, data.length - 8), // cut short
      (data) => Buffer.concat([data, Buffer.alloc(8)]), // too long
      (data) => Buffer.concat([Uint8Array.of(2, 0, 0, 0), data.subarray(4)]), // another layout's number
      (data) => Buffer.concat([data.subarray(0, 4), Uint8Array.of(data[4]! + 1), data.subarray(5)]), // one user more than it holds
      (data) => Buffer.from(data).fill(0x7b, data.lastIndexOf(0x5b), data.lastIndexOf(0x5b) + 1), // the queue combinations' JSON broken
    ];
    for (const damage of damages) {
      const dir = closedWithIndex(12);
      withFile(dir, (db) => {
        const data = db.prepare(`SELECT data FROM ${STORED_INDEXES} WHERE account_id = ? AND kind = ${STORED_KIND.index}`).pluck().get(ACC) as Buffer;
        db.prepare(`UPDATE ${STORED_INDEXES} SET data = ? WHERE account_id = ? AND kind = ${STORED_KIND.index}`).run(damage(data), ACC);
      });
      const next = reopen(dir);
      expect(next.built).toBe(true);
      expect(storedAccounts(dir)).toEqual([]);
      next.cache.close();
      expect(next.got).toEqual(answersFromRows(dir));
    }
  });

  it('C6: removing an account\'s data removes its stored index; a migration deletes every stored index', () => {
    const dir = dataDir();
    const cache = new ConsoleCache(dir);
    cache.upsertUsers(ACC, [user(1)]);
    cache.upsertUsers(OTHER, [user(2, { accountId: OTHER })]);
    answers(cache);
    answers(cache, OTHER);
    cache.close();
    expect(storedAccounts(dir)).toEqual([ACC, OTHER]);
    const next = new ConsoleCache(dir);
    next.removeAccount(OTHER);
    expect(storedAccounts(dir)).toEqual([ACC]);
    // An account whose users are all gone still had an (empty) index stored.
    next.deleteUsers(ACC, ['u1']);
    answers(next);
    next.close();
    expect(storedAccounts(dir)).toEqual([ACC]);
    const last = new ConsoleCache(dir);
    last.removeAccount(ACC);
    last.close();
    expect(storedAccounts(dir)).toEqual([]);

    const migrated = dataDir();
    const seeded = new ConsoleCache(migrated);
    seeded.upsertUsers(ACC, [user(1)]);
    answers(seeded);
    seeded.close();
    expect(storedAccounts(migrated)).toEqual([ACC]);
    withFile(migrated, (db) => {
      const version = db.pragma('user_version', { simple: true }) as number;
      db.pragma(`user_version = ${version - 1}`);
      migrate(db);
      expect(db.prepare(`SELECT count(*) FROM ${STORED_INDEXES}`).pluck().get()).toBe(0); // the marks too
    });
  });
});
