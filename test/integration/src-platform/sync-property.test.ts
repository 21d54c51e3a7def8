import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../../src-shared/domain';
import { ListUsersResponseSchema, userEtag } from '../../../src-shared/platform-api';
import { client, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

type Api = ReturnType<typeof client>;

/** Pages through `GET /users` from a cursor, applying items and tombstones to a local copy (C2). */
async function pull(api: Api, local: Map<string, User>, since: string | undefined, limit: number): Promise<string> {
  let cursor = since;
  for (;;) {
    const page = ListUsersResponseSchema.parse((await api.get(`/api/v1/users?limit=${limit}${cursor !== undefined ? `&since=${cursor}` : ''}`)).body);
    for (const u of page.items) local.set(u.id, u);
    for (const id of page.deletedIds) local.delete(id);
    cursor = page.cursor;
    if (!page.hasMore) return cursor;
  }
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), n: fc.nat(1_000_000) }),
  fc.record({ kind: fc.constant('rename' as const), pick: fc.nat(), name: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('toggle' as const), pick: fc.nat() }),
);

describe('delta sync is exact under any sequence of changes (C2)', () => {
  let p: TestPlatform;
  let api: Api;
  beforeAll(async () => {
    p = await startTestPlatform();
    api = client(p.url, await signIn(p.url, 'suporte'));
  });
  afterAll(async () => p.stop());

  it('C2: full sync, then changes, then a delta pull (any page size) equals a fresh full listing', async () => {
    let created = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 7 }), async (ops, limit) => {
        const local = new Map<string, User>();
        const cursor = await pull(api, local, undefined, 1000);
        // What the test may still act on; the replica itself only learns through sync.
        const alive = new Map(local);
        for (const o of ops) {
          const agents = [...alive.values()].filter((u) => u.profile === 'agent');
          const target = 'pick' in o ? agents[o.pick % Math.max(1, agents.length)] : undefined;
          if (o.kind === 'create') {
            created++;
            await api.post('/api/v1/users', { name: `Prop ${created}`, email: `prop${created}@example.com`, login: `prop-${created}-${o.n}`, profile: 'agent' });
          } else if (target && o.kind === 'delete') {
            await api.delete(`/api/v1/users/${target.id}`);
            alive.delete(target.id);
          } else if (target) {
            const current = (await api.get(`/api/v1/users/${target.id}`)).body.user as User;
            const change = o.kind === 'rename' ? { name: o.name } : { active: !current.active };
            await api.patch(`/api/v1/users/${target.id}`, { ...change, confirmQueueLogout: true }, { 'if-match': userEtag(current) });
          }
        }
        const synced = new Map<string, User>();
        await pull(api, synced, undefined, 1000);
        const replica = new Map(local);
        await pull(api, replica, cursor, limit);
        expect(new Map([...replica].sort())).toEqual(new Map([...synced].sort()));
      }),
      { numRuns: 12 },
    );
  });
});
