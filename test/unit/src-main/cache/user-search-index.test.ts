import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { ConsoleCache } from '../../../../src-main/cache/console-cache';
import { UserSearchIndex } from '../../../../src-main/cache/user-search-index';
import { searchKey } from '../../../../src-shared/search';
import { PROFILES, READINESS_ITEMS, computeReadiness, type User } from '../../../../src-shared/domain';
import type { UserFilters } from '../../../../src-shared/ipc-contract';
import { makeUser, tempDir } from '../../../support/console-fixtures';

const t = tempDir();
afterAll(t.cleanup);

const SYLLABLES = ['an', 'jo', 'sé', 'ma', 'ri', 'Á', 'lu', 'ção', 'ze', 'li', 'ma', '.', '@', ' ', '1', '2'];
const word = fc.array(fc.constantFrom(...SYLLABLES), { minLength: 1, maxLength: 5 }).map((a) => a.join(''));
const userArb = (id: string) =>
  fc.record({
    name: word,
    login: word.map((w) => searchKey(w).replace(/[^a-z0-9.@]/g, '') + 'x'),
    email: word.map((w) => `${searchKey(w).replace(/[^a-z0-9]/g, '')}@acme.com`),
    profile: fc.constantFrom(...PROFILES),
    active: fc.boolean(),
    webrtcEnabled: fc.boolean(),
    omnichannelEnabled: fc.boolean(),
    passwordSet: fc.boolean(),
    extension: fc.option(fc.constant({ id: `e-${id}`, number: '100' }), { nil: null }),
    voiceQueueIds: fc.subarray(['q1', 'q2']),
    chatQueueIds: fc.subarray(['q3']),
    updatedAt: fc.integer({ min: 0, max: 50 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString()),
  });

const filtersArb: fc.Arbitrary<UserFilters> = fc.record(
  {
    profile: fc.constantFrom(...PROFILES),
    omnichannel: fc.boolean(),
    webrtc: fc.boolean(),
    hasExtension: fc.boolean(),
    queueId: fc.constantFrom('q1', 'q2', 'q3', 'q9'),
    ready: fc.boolean(),
    missing: fc.constantFrom(...READINESS_ITEMS),
    active: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** The obvious implementation, to compare against. */
function reference(users: User[], query: string, f: UserFilters, by: 'name' | 'login' | 'email' | 'updatedAt', dir: 'asc' | 'desc') {
  const key = searchKey(query);
  const sortKey = (u: User) => (by === 'updatedAt' ? u.updatedAt : searchKey(u[by]));
  return users
    .filter((u) => !key || [u.name, u.login, u.email].some((s) => searchKey(s).includes(key)))
    .filter((u) => {
      const r = computeReadiness(u);
      return (
        (f.profile === undefined || u.profile === f.profile) &&
        (f.omnichannel === undefined || u.omnichannelEnabled === f.omnichannel) &&
        (f.webrtc === undefined || u.webrtcEnabled === f.webrtc) &&
        (f.hasExtension === undefined || (u.extension !== null) === f.hasExtension) &&
        (f.queueId === undefined || [...u.voiceQueueIds, ...u.chatQueueIds].includes(f.queueId)) &&
        // R7: readiness filters ask about agents only.
        ((f.ready === undefined && f.missing === undefined) || r.applies) &&
        (f.ready === undefined || r.ready === f.ready) &&
        (f.missing === undefined || r.missing.includes(f.missing)) &&
        (f.active === undefined || u.active === f.active)
      );
    })
    .sort((a, b) => {
      const [x, y] = [sortKey(a), sortKey(b)];
      const c = x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      return dir === 'asc' ? c : -c;
    })
    .map((u) => u.id);
}

describe('user search index', () => {
  // 100 runs each open a cache file: 14 s on a loaded 2-core machine, so more than the unit default.
  it('R7: search, filters, sort and paging agree with a plain reference implementation (fast-check)', { timeout: 120_000 }, () => {
    let run = 0;
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 0, maxLength: 40, size: 'medium' }).chain((seeds) =>
          fc.tuple(...seeds.map((_, i) => userArb(`u${String(i).padStart(2, '0')}`).map((u) => makeUser({ id: `u${String(i).padStart(2, '0')}`, ...u })))),
        ),
        fc.oneof(fc.constant(''), fc.constant(''), word, fc.constantFrom('a', 'jo', 'J', '@acme', '.', 'ze ', 'ção')),
        fc.oneof(fc.constant({}), filtersArb),
        fc.constantFrom('name', 'login', 'email', 'updatedAt'),
        fc.constantFrom('asc', 'desc'),
        fc.nat({ max: 10 }),
        fc.integer({ min: 1, max: 15 }),
        // Later edits and deletions, applied after the index was built (patched in place).
        fc.array(fc.tuple(fc.nat(), userArb('edit')), { maxLength: 4, size: 'medium' }),
        fc.array(fc.nat(), { maxLength: 3 }),
        // Edits one write each, or all in one write (a delta sync page patched in place).
        fc.boolean(),
        // New users after the index was built (appended to it, merged into its sorted orders).
        fc.array(fc.tuple(userArb('new'), fc.boolean()), { maxLength: 4 }),
        // Changed users' texts kept aside, folded into the joined text after each write, or after a few.
        fc.constantFrom(undefined, 0, 1, 3),
        // A second order in use (its changed users move to their places when it is next used), and
        // edits after the appends (an order then takes in the appended users before its stale ones move).
        fc.constantFrom('name', 'login', 'email', 'updatedAt'),
        fc.array(fc.tuple(fc.nat(), userArb('late')), { maxLength: 3 }),
        (initial, query, filters, by, dir, offset, limit, edits, deletions, batched, added, foldAt, by2, lateEdits) => {
          const cache = new ConsoleCache(`${t.dir}/${run++}`, foldAt === undefined ? {} : { searchIndexFoldAt: foldAt });
          try {
            let users = initial;
            cache.upsertUsers('acc-1', users);
            cache.searchUsers('acc-1', { filters, sort: { by, dir } });
            cache.searchUsers('acc-1', { sort: { by: by2, dir: 'asc' } });
            if (users.length > 0) {
              const batch: typeof users = [];
              for (const [n, changes] of edits) {
                const target = users[n % users.length]!;
                const edited = makeUser({ ...changes, id: target.id, version: target.version + 1, extension: changes.extension && { id: `e-${target.id}`, number: '100' } });
                users = users.map((u) => (u.id === edited.id ? edited : u));
                if (batched) batch.push(edited);
                else cache.upsertUsers('acc-1', [edited]);
              }
              if (batched) cache.upsertUsers('acc-1', batch);
              const gone = new Set(deletions.map((n) => users[n % users.length]!.id));
              cache.deleteUsers('acc-1', [...gone]);
              users = users.filter((u) => !gone.has(u.id));
            }
            const fresh = added.map(([u, _], i) =>
              makeUser({ ...u, id: `n${i}`, extension: u.extension && { id: `e-n${i}`, number: '100' } }),
            );
            // Some appended one write each (a search in between sorts the orders again), some together.
            for (const [i, u] of fresh.entries()) {
              if (added[i]![1]) {
                cache.upsertUsers('acc-1', [u]);
                cache.searchUsers('acc-1', { query, filters, sort: { by, dir } });
              }
            }
            cache.upsertUsers('acc-1', fresh.filter((_, i) => !added[i]![1]));
            users = [...users, ...fresh];
            for (const [n, changes] of users.length > 0 ? lateEdits : []) {
              const target = users[n % users.length]!;
              const edited = makeUser({ ...changes, id: target.id, version: target.version + 1, extension: changes.extension && { id: `e-${target.id}`, number: '100' } });
              users = users.map((u) => (u.id === edited.id ? edited : u));
              cache.upsertUsers('acc-1', [edited]);
            }
            // A second account's users must never show up.
            cache.upsertUsers('acc-2', [makeUser({ id: 'other', accountId: 'acc-2', name: query || 'x' })]);
            const expected = reference(users, query, filters, by, dir);
            const got = cache.searchUsers('acc-1', { query, filters, sort: { by, dir }, offset, limit });
            expect(got.total).toBe(expected.length);
            expect(got.items.map((u) => u.id)).toEqual(expected.slice(offset, offset + limit));
            const second = cache.searchUsers('acc-1', { query, sort: { by: by2, dir: 'desc' }, limit: 100 });
            expect(second.items.map((u) => u.id)).toEqual(reference(users, query, {}, by2, 'desc').slice(0, 100));
          } finally {
            cache.close();
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('issue 10: keys typed one character at a time, asked again, or changed between writes find what the reference finds (fast-check)', { timeout: 120_000 }, () => {
    let run = 0;
    // A step: type one more character, erase one, ask the same key again (a scroll), start a new
    // word, or write (an edit, a delete or a new user) before the next key.
    const stepArb = fc.oneof(
      fc.record({ type: fc.constant('char' as const), char: fc.constantFrom(...'anjoséri.@1 çã') }),
      fc.constant({ type: 'erase' as const }),
      fc.constant({ type: 'again' as const }),
      fc.record({ type: fc.constant('word' as const), word }),
      fc.record({ type: fc.constant('edit' as const), n: fc.nat(), user: userArb('edit') }),
      fc.record({ type: fc.constant('delete' as const), n: fc.nat() }),
      fc.record({ type: fc.constant('add' as const), user: userArb('add') }),
    );
    fc.assert(
      fc.property(
        fc.array(userArb('x'), { minLength: 1, maxLength: 60 }),
        fc.array(stepArb, { minLength: 1, maxLength: 25 }),
        (initial, steps) => {
          const cache = new ConsoleCache(`${t.dir}/typed-${run++}`);
          try {
            let users = initial.map((u, i) => makeUser({ ...u, id: `u${String(i).padStart(2, '0')}`, extension: null }));
            cache.upsertUsers('acc-1', users);
            let query = '';
            let added = 0;
            for (const step of steps) {
              if (step.type === 'char') query += step.char;
              else if (step.type === 'erase') query = query.slice(0, -1);
              else if (step.type === 'word') query = step.word;
              else if (step.type === 'edit' && users.length > 0) {
                const target = users[step.n % users.length]!;
                const edited = makeUser({ ...step.user, id: target.id, version: target.version + 1, extension: null });
                users = users.map((u) => (u.id === edited.id ? edited : u));
                cache.upsertUsers('acc-1', [edited]);
              } else if (step.type === 'delete' && users.length > 0) {
                const gone = users[step.n % users.length]!.id;
                cache.deleteUsers('acc-1', [gone]);
                users = users.filter((u) => u.id !== gone);
              } else if (step.type === 'add') {
                const fresh = makeUser({ ...step.user, id: `v${added++}`, extension: null });
                cache.upsertUsers('acc-1', [fresh]);
                users = [...users, fresh];
              }
              const got = cache.searchUsers('acc-1', { query, sort: { by: 'name', dir: 'asc' }, limit: 100 });
              const expected = reference(users, query, {}, 'name', 'asc');
              expect(got.total).toBe(expected.length);
              expect(got.items.map((u) => u.id)).toEqual(expected);
            }
          } finally {
            cache.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('issue 10: a key most users hold is never credited to a user whose text only has its bigrams, past a deleted or changed user that held it', () => {
    for (const change of ['delete', 'edit'] as const) {
      const cache = new ConsoleCache(`${t.dir}/dense-${change}`);
      try {
        // "ac cm me" and "cm me ac" have every bigram of "acme" (their signatures pass) but not the key.
        const users = ['acme one', 'ac cm me', 'acme two', 'cm me ac', 'acme four'].map((name, i) => makeUser({ id: `u${i}`, name, login: `l${i}`, email: `e${i}@x.io` }));
        cache.upsertUsers('acc-1', users);
        const ids = () => cache.searchUsers('acc-1', { query: 'acme' }).items.map((u) => u.id);
        expect(ids()).toEqual(['u4', 'u0', 'u2']); // by name
        // u2's text stays in the joined string, between u1's and u3's: a deleted user's, or a changed one's stale text.
        if (change === 'delete') cache.deleteUsers('acc-1', ['u2']);
        else cache.upsertUsers('acc-1', [makeUser({ id: 'u2', name: 'zed', login: 'l2', email: 'e2@x.io', version: 2 })]);
        expect(ids()).toEqual(['u4', 'u0']);
      } finally {
        cache.close();
      }
    }
  });

  it('issue 10: a key typed on from the last one is found further on in the same user\'s text, never in the next user\'s', () => {
    const cache = new ConsoleCache(`${t.dir}/typed-on`);
    try {
      // "xab xac": "xa" is found at the first word, "xac" only at the second. "qxab" holds "xa" but
      // not "xac", and the next user's text (", qxac") does: it must not be credited to "qxab".
      const users = ['xab xac', 'qxab', 'qxac', 'zz'].map((name, i) => makeUser({ id: `u${i}`, name, login: `l${i}`, email: `e${i}@y.io` }));
      cache.upsertUsers('acc-1', users);
      const ids = (query: string) => cache.searchUsers('acc-1', { query }).items.map((u) => u.id);
      expect(ids('x')).toEqual(['u1', 'u2', 'u0']);
      expect(ids('xa')).toEqual(['u1', 'u2', 'u0']);
      expect(ids('xac')).toEqual(['u2', 'u0']);
      expect(ids('xacz')).toEqual([]);
      // A changed user's own text answers, the same way.
      cache.upsertUsers('acc-1', [makeUser({ id: 'u3', name: 'xab xac', login: 'l3', email: 'e3@y.io', version: 2 })]);
      expect(ids('xa')).toEqual(['u1', 'u2', 'u0', 'u3']);
      expect(ids('xac')).toEqual(['u2', 'u0', 'u3']);
      expect(ids('xacz')).toEqual([]);
    } finally {
      cache.close();
    }
  });

  it('C2: the index follows upserts and deletes', () => {
    const cache = new ConsoleCache(`${t.dir}/follow`);
    cache.upsertUsers('acc-1', [makeUser({ id: 'a', name: 'Alpha' }), makeUser({ id: 'b', name: 'Beta' })]);
    expect(cache.searchUsers('acc-1', { query: 'alp' }).total).toBe(1);
    cache.upsertUsers('acc-1', [makeUser({ id: 'a', name: 'Gamma' })]);
    expect(cache.searchUsers('acc-1', { query: 'alp' }).total).toBe(0);
    expect(cache.searchUsers('acc-1', { query: 'gam' }).items.map((u) => u.id)).toEqual(['a']);
    cache.deleteUsers('acc-1', ['a']);
    expect(cache.searchUsers('acc-1', {}).items.map((u) => u.id)).toEqual(['b']);
    cache.close();
  });

  it('C2: several users whose sort keys change in one write (a delta page) all move to their places', () => {
    const cache = new ConsoleCache(`${t.dir}/batch-reorder`);
    cache.upsertUsers('acc-1', ['a', 'b', 'c'].map((id) => makeUser({ id, email: `${id}@acme.com` })));
    const byEmail = () => cache.searchUsers('acc-1', { sort: { by: 'email', dir: 'asc' } }).items.map((u) => u.id);
    expect(byEmail()).toEqual(['a', 'b', 'c']);
    // While a is put back in place, c must not still sit at its old place with its new key.
    cache.upsertUsers('acc-1', [makeUser({ id: 'a', email: 'b5@acme.com', version: 2 }), makeUser({ id: 'c', email: 'a0@acme.com', version: 2 })]);
    expect(byEmail()).toEqual(['c', 'a', 'b']); // '5' sorts before '@'
    cache.close();
  });

  it('issue 10: sort orders stay right over many rounds of changed keys (moved users ranked between their neighbours) (fast-check)', { timeout: 120_000 }, () => {
    let run = 0;
    const edit = fc.tuple(fc.nat(), userArb('edit'));
    fc.assert(
      fc.property(
        fc.array(userArb('u'), { minLength: 1, maxLength: 60 }),
        fc.array(
          fc.record({
            edits: fc.array(edit, { minLength: 1, maxLength: 6 }),
            by: fc.constantFrom('name', 'login', 'email', 'updatedAt'),
            dir: fc.constantFrom('asc', 'desc'),
            // Few matches are ordered by rank; none (or many) walk the order.
            query: fc.oneof(fc.constant(''), word, fc.constantFrom('an', 'ção', '@', 'ma')),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (initial, rounds) => {
          const cache = new ConsoleCache(`${t.dir}/rounds-${run++}`);
          try {
            let users = initial.map((u, i) => makeUser({ ...u, id: `u${String(i).padStart(2, '0')}`, extension: null }));
            cache.upsertUsers('acc-1', users);
            for (const by of ['name', 'login', 'email', 'updatedAt'] as const) cache.searchUsers('acc-1', { sort: { by, dir: 'asc' } });
            for (const round of rounds) {
              const batch = new Map<string, User>();
              for (const [n, changes] of round.edits) {
                const target = users[n % users.length]!;
                const edited = makeUser({ ...changes, id: target.id, version: target.version + 1, extension: null });
                users = users.map((u) => (u.id === edited.id ? edited : u));
                batch.set(edited.id, edited);
              }
              cache.upsertUsers('acc-1', [...batch.values()]);
              const got = cache.searchUsers('acc-1', { query: round.query, sort: { by: round.by, dir: round.dir }, limit: 100 });
              expect(got.items.map((u) => u.id)).toEqual(reference(users, round.query, {}, round.by, round.dir).slice(0, 100));
            }
            for (const by of ['name', 'login', 'email', 'updatedAt'] as const) {
              const all = cache.searchUsers('acc-1', { sort: { by, dir: 'asc' }, limit: 100 });
              expect(all.items.map((u) => u.id), by).toEqual(reference(users, '', {}, by, 'asc').slice(0, 100));
            }
          } finally {
            cache.close();
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('issue 10: users moved one after another into the same gap of an order keep their places when the ranks between run out', () => {
    const cache = new ConsoleCache(`${t.dir}/narrow-gap`);
    try {
      // 70 users between 20 "a" users and "z"; each in turn moves just below the one moved before
      // it, so every move halves the same gap above the rank of the last "a" user, 19 (a double
      // holds about 50 such halvings).
      // 600 more after them, so that the moved users are few among all (ordered by rank alone).
      let users = [
        ...Array.from({ length: 20 }, (_, k) => makeUser({ id: `a${String(k).padStart(2, '0')}`, name: `a ${String(k).padStart(2, '0')}` })),
        ...Array.from({ length: 600 }, (_, k) => makeUser({ id: `z${String(k).padStart(3, '0')}`, name: `z ${k}` })),
      ];
      for (let k = 0; k < 70; k++) users.push(makeUser({ id: `m${String(k).padStart(2, '0')}`, name: `y ${k}` }));
      cache.upsertUsers('acc-1', users);
      const names = (query = '') => cache.searchUsers('acc-1', { query, sort: { by: 'name', dir: 'asc' }, limit: 100 }).items.map((u) => u.id);
      expect(names()).toEqual(reference(users, '', {}, 'name', 'asc').slice(0, 100));
      for (let k = 0; k < 70; k++) {
        const moved = makeUser({ id: `m${String(k).padStart(2, '0')}`, name: `b${'~'.repeat(70 - k)}`, version: 2 });
        users = users.map((u) => (u.id === moved.id ? moved : u));
        cache.upsertUsers('acc-1', [moved]);
        // Few matches: ordered by rank alone.
        expect(names('~~~')).toEqual(reference(users, '~~~', {}, 'name', 'asc'));
      }
      expect(names()).toEqual(reference(users, '', {}, 'name', 'asc').slice(0, 100));
      // Each moved again, found where its rank says it is.
      for (let k = 0; k < 70; k += 7) {
        const moved = makeUser({ id: `m${String(k).padStart(2, '0')}`, name: `c ${k}`, version: 3 });
        users = users.map((u) => (u.id === moved.id ? moved : u));
        cache.upsertUsers('acc-1', [moved]);
        expect(names()).toEqual(reference(users, '', {}, 'name', 'asc').slice(0, 100));
      }
    } finally {
      cache.close();
    }
  });

  it('issue 10: a write moves no sort order; the orders in use settle two turns later (after waiting answers), so the next search moves nothing', async () => {
    const moves = vi.spyOn(UserSearchIndex.prototype as unknown as { reposition: () => void }, 'reposition');
    const cache = new ConsoleCache(`${t.dir}/settle`);
    try {
      cache.upsertUsers('acc-1', ['a', 'b', 'c'].map((id) => makeUser({ id, name: `N ${id}`, email: `${id}@acme.com` })));
      cache.searchUsers('acc-1', { sort: { by: 'email', dir: 'asc' } });
      cache.searchUsers('acc-1', { sort: { by: 'name', dir: 'asc' } });
      cache.upsertUsers('acc-1', [makeUser({ id: 'a', name: 'N z', email: 'z@acme.com', version: 2 })]);
      cache.upsertUsers('acc-1', [makeUser({ id: 'b', name: 'N y', email: 'y@acme.com', version: 2 })]);
      expect(moves).not.toHaveBeenCalled();
      // Not in the next turn (answers already waiting on sockets go first), in the one after it.
      await new Promise((resolve) => setImmediate(resolve));
      expect(moves).not.toHaveBeenCalled();
      await new Promise((resolve) => setImmediate(resolve));
      // Once per order, for both changes.
      expect(moves).toHaveBeenCalledTimes(2);
      const ids = (by: 'name' | 'email') => cache.searchUsers('acc-1', { sort: { by, dir: 'asc' } }).items.map((u) => u.id);
      expect(ids('email')).toEqual(['c', 'b', 'a']);
      expect(ids('name')).toEqual(['c', 'b', 'a']);
      expect(moves).toHaveBeenCalledTimes(2);
    } finally {
      moves.mockRestore();
      cache.close();
    }
  });

  it('issue 10: a search with few matches right after a write orders them without moving the changed users first (the order settles later)', async () => {
    const moves = vi.spyOn(UserSearchIndex.prototype as unknown as { reposition: () => void }, 'reposition');
    const cache = new ConsoleCache(`${t.dir}/few-unsettled`);
    try {
      let users = Array.from({ length: 200 }, (_, i) => makeUser({ id: `u${String(i).padStart(3, '0')}`, name: `${i % 10 === 0 ? 'Zeca' : 'Ana'} ${String(i).padStart(3, '0')}` }));
      cache.upsertUsers('acc-1', users);
      const ids = (query: string, dir: 'asc' | 'desc' = 'asc') => cache.searchUsers('acc-1', { query, sort: { by: 'name', dir } }).items.map((u) => u.id);
      expect(ids('zeca')).toEqual(reference(users, 'zeca', {}, 'name', 'asc'));
      moves.mockClear();
      // Two of the 20 "Zeca" users and one other change names: one moves to the front, one to the end, one joins them.
      const changed = [makeUser({ id: 'u050', name: 'Zeca 000a', version: 2 }), makeUser({ id: 'u100', name: 'Zeca 999', version: 2 }), makeUser({ id: 'u007', name: 'Zeca 055', version: 2 })];
      users = users.map((u) => changed.find((c) => c.id === u.id) ?? u);
      cache.upsertUsers('acc-1', changed);
      expect(ids('zeca')).toEqual(reference(users, 'zeca', {}, 'name', 'asc'));
      expect(ids('zeca', 'desc')).toEqual(reference(users, 'zeca', {}, 'name', 'desc'));
      expect(moves).not.toHaveBeenCalled();
      // Many matches walk the order: it settles first.
      expect(ids('ana')).toEqual(reference(users, 'ana', {}, 'name', 'asc').slice(0, 100));
      expect(moves).toHaveBeenCalledTimes(1);
      expect(ids('zeca')).toEqual(reference(users, 'zeca', {}, 'name', 'asc'));
    } finally {
      moves.mockRestore();
      cache.close();
    }
  });

  it('issue 10: an order whose changed user cannot be found by its rank is sorted again, not left wrong', () => {
    const cache = new ConsoleCache(`${t.dir}/lost-rank`);
    try {
      let users = Array.from({ length: 30 }, (_, i) => makeUser({ id: `u${String(i).padStart(2, '0')}`, name: `Nome ${String(i).padStart(2, '0')}` }));
      cache.upsertUsers('acc-1', users);
      const names = () => cache.searchUsers('acc-1', { sort: { by: 'name', dir: 'asc' } }).items.map((u) => u.id);
      expect(names()).toEqual(reference(users, '', {}, 'name', 'asc'));
      const moved = makeUser({ id: 'u05', name: 'Aa primeiro', version: 2 });
      users = users.map((u) => (u.id === moved.id ? moved : u));
      cache.upsertUsers('acc-1', [moved]);
      // The moved user's rank lost (no slot of the order has it).
      const index = (cache as unknown as { indexes: Map<string, UserSearchIndex> }).indexes.get('acc-1')!;
      const entry = (index as unknown as { orders: Map<string, { rank: Float64Array }> }).orders.get('name')!;
      entry.rank[5] = -0.5;
      expect(names()).toEqual(reference(users, '', {}, 'name', 'asc'));
    } finally {
      cache.close();
    }
  });

  it('issue 10: a fill\'s appended texts are joined in idle time after the fill ends, not by the first change after it', async () => {
    const cache = new ConsoleCache(`${t.dir}/settle-fill`);
    const settles = vi.spyOn(UserSearchIndex.prototype, 'settle');
    try {
      cache.upsertUsers('acc-1', [makeUser({ id: 'a', name: 'Ana' })]);
      expect(cache.searchUsers('acc-1', { query: 'ana' }).total).toBe(1);
      // Users appended the way a fill's batches append them: their texts wait in the tail.
      cache.upsertUsers('acc-1', [makeUser({ id: 'b', name: 'Bruna' }), makeUser({ id: 'c', name: 'Carla' })]);
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      settles.mockClear();
      const index = (cache as unknown as { indexes: Map<string, UserSearchIndex> }).indexes.get('acc-1')!;
      (index as unknown as { apply: UserSearchIndex['apply'] }).apply({ rids: [1e9], ids: ['z'], texts: ['zoe'], flags: [0], profiles: [0], updated: [0], queues: [''] });
      const tail = () => (index as unknown as { tail: string[] }).tail.length;
      expect(tail()).toBe(1);
      cache.endFill('acc-1', null);
      expect(tail()).toBe(1);
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(settles).toHaveBeenCalledTimes(1);
      expect(tail()).toBe(0);
      expect(index.search('zo', {}, { by: 'name', dir: 'asc' }, 0, 10).rids).toEqual([1e9]);
      expect(cache.searchUsers('acc-1', { query: 'bru' }).items.map((u) => u.id)).toEqual(['b']);
    } finally {
      settles.mockRestore();
      cache.close();
    }
  });

  it('issue 10: an order computed elsewhere (the fill worker) is kept only if it names every user once, in the index\'s order', () => {
    const cache = new ConsoleCache(`${t.dir}/adopt`);
    cache.upsertUsers('acc-1', ['Carla', 'ana', 'Bruno', 'ana'].map((name, i) => makeUser({ id: `u${i}`, name })));
    const file = cache.file;
    cache.close();
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      const rids = db.prepare("SELECT rid FROM users WHERE account_id = 'acc-1' ORDER BY rid").pluck().all() as number[];
      const [c, a1, b, a3] = rids as [number, number, number, number];
      const fresh = () => UserSearchIndex.fromDb(db, 'acc-1');
      const names = (index: UserSearchIndex) => index.search('', {}, { by: 'name', dir: 'asc' }, 0, 10).rids;
      expect(fresh().adoptOrder('name', Float64Array.from([a1, a3, b]))).toBe(false); // one missing
      expect(fresh().adoptOrder('name', Float64Array.from([a1, a1, b, c]))).toBe(false); // one twice
      expect(fresh().adoptOrder('name', Float64Array.from([a1, a3, b, 999]))).toBe(false); // unknown
      expect(fresh().adoptOrder('name', Float64Array.from([a3, a1, b, c]))).toBe(false); // ties go by id
      const index = fresh();
      expect(index.adoptOrder('name', Float64Array.from([a1, a3, b, c]))).toBe(true);
      expect(names(index)).toEqual([a1, a3, b, c]);
    } finally {
      db.close();
    }
  });

  it('issue 10: a first sort over many users comes from SQLite, checked; where SQLite orders differently the index sorts itself', { timeout: 60_000 }, () => {
    const names = ['Ana', 'ana', 'Álvaro', 'Bruno', 'Zé', 'joão', 'José', 'Maria Silva', 'maria silva'];
    const users = Array.from({ length: 5200 }, (_, i) =>
      makeUser({ id: `u${String((i * 7919) % 5200).padStart(5, '0')}`, name: `${names[i % names.length]} ${i % 13}`, login: `l${(i * 31) % 977}`, email: `e${i % 101}@acme.com`, updatedAt: new Date(Date.UTC(2026, 0, 1, 0, i % 50)).toISOString() }),
    );
    const check = (cache: ConsoleCache, all: User[], around = 2000) => {
      for (const by of ['name', 'login', 'email', 'updatedAt'] as const) {
        const offset = by === 'name' ? around : 2000;
        const got = cache.searchUsers('acc-1', { sort: { by, dir: 'asc' }, limit: 500, offset });
        expect(got.items.map((u) => u.id), by).toEqual(reference(all, '', {}, by, 'asc').slice(offset, offset + 500));
      }
    };
    const sorts = vi.spyOn(UserSearchIndex.prototype as unknown as { sortedSlots: () => Int32Array }, 'sortedSlots');
    try {
      const fromSql = vi.spyOn(UserSearchIndex.prototype as unknown as { orderFromDb: () => unknown }, 'orderFromDb');
      const cache = new ConsoleCache(`${t.dir}/sql-order`);
      cache.upsertUsers('acc-1', users);
      check(cache, users);
      check(cache, users);
      expect(sorts).not.toHaveBeenCalled();
      // Once per order, then kept.
      expect(fromSql).toHaveBeenCalledTimes(4);
      fromSql.mockRestore();
      cache.close();
      // UTF-16 puts U+1F600 (a surrogate pair) before U+FFFD; SQLite's UTF-8 bytes put it after.
      const odd = [...users, makeUser({ id: 'x1', name: 'ana \u{1F600}' }), makeUser({ id: 'x2', name: 'ana \uFFFD' })];
      const other = new ConsoleCache(`${t.dir}/sql-order-odd`);
      other.upsertUsers('acc-1', odd);
      const at = reference(odd, '', {}, 'name', 'asc').indexOf('x1');
      expect(reference(odd, '', {}, 'name', 'asc')[at + 1]).toBe('x2');
      check(other, odd, at - 100);
      expect(sorts).toHaveBeenCalled();
      other.close();
    } finally {
      sorts.mockRestore();
    }
  });
});

