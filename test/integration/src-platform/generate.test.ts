import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeReadiness, READINESS_ITEMS } from '../../../src-shared/domain';
import { generateUsers } from '../../../src-platform';
import { ListUsersResponseSchema } from '../../../src-shared/platform-api';
import { client, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

describe('demo data and the user generator (R7, C2)', () => {
  let p: TestPlatform;
  let admin: ReturnType<typeof client>;
  beforeAll(async () => {
    p = await startTestPlatform();
    admin = client(p.url, await signIn(p.url, 'admin'));
  });
  afterAll(async () => p.stop());

  it('R7: the demo agents cover every readiness state, ready ones included', async () => {
    const users = (await admin.get('/api/v1/users?limit=1000')).body.items.filter((u: { profile: string }) => u.profile === 'agent');
    expect(users.length).toBe(50);
    const readiness = users.map(computeReadiness);
    expect(readiness.some((r: { ready: boolean }) => r.ready)).toBe(true);
    for (const item of READINESS_ITEMS) expect(readiness.some((r: { missing: string[] }) => r.missing.includes(item)), item).toBe(true);
  });

  it('C2: generated users (into the running platform file) sync through cursor pages exactly once each', async () => {
    const before = (await admin.get('/api/v1/users?limit=1000')).body.items.length;
    expect(await generateUsers(p.dbFile, 'demo', 2500)).toBe(2500);
    const ids = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = ListUsersResponseSchema.parse((await admin.get(`/api/v1/users?limit=1000${cursor ? `&since=${cursor}` : ''}`)).body);
      for (const u of page.items) ids.add(u.id);
      pages++;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(ids.size).toBe(before + 2500);
    expect(pages).toBe(Math.ceil((before + 2500) / 1000));
    // A second generation with the same prefix would clash; another prefix adds more.
    await expect(generateUsers(p.dbFile, 'demo', 10)).rejects.toThrow();
    expect(await generateUsers(p.dbFile, 'demo', 10, { prefix: 'more' })).toBe(10);
    // Generated rows carry the identity keys of the one user-row mapping (issue 9 class 10, issue 14).
    const lookAlike = await admin.post('/api/v1/users', { name: 'Outra Pessoa', email: 'outra.pessoa@example.org', login: 'MORE.3', profile: 'agent' });
    expect(lookAlike.status).toBe(409);
    expect(lookAlike.body.error.code).toBe('login_taken');
    const delta = (await admin.get(`/api/v1/users?since=${cursor}`)).body;
    expect(delta.items.length).toBe(10);
  });
});
