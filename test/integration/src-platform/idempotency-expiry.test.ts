import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEY_TTL_MS } from '../../../src-platform/routes/http';
import { client, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

describe('Idempotency-Key expiry (R5)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => p.stop());

  it('R5: a key replays for a day, then it is free again and the table keeps no expired answers', async () => {
    let admin = client(p.url, await signIn(p.url, 'admin'));
    const user = (await admin.get('/api/v1/users?q=agente31')).body.items[0];
    const mailsTo = () => p.mailbox.list().filter((m) => m.to.includes(user.email) && m.kind === 'password_reset').length;
    const reset = () => admin.post(`/api/v1/users/${user.id}/password-reset`, undefined, { 'idempotency-key': 'daily-reset' });

    const startedAt = Date.now();
    expect((await reset()).status).toBe(202);
    await p.mailbox.waitFor((m) => m.to.includes(user.email));
    // Within the day (sessions last 12 h, so sign in again), the same key replays: no second email.
    p.advance(IDEMPOTENCY_KEY_TTL_MS - 60_000);
    admin = client(p.url, await signIn(p.url, 'admin'));
    const replay = await reset();
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    await p.idle();
    expect(mailsTo()).toBe(1);

    // After it, the key is a new request: a second reset email goes out.
    p.advance(2 * 60_000);
    const fresh = await reset();
    expect(fresh.status).toBe(202);
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
    await p.mailbox.waitFor(() => mailsTo() === 2);
    // The first answer (stored at startedAt on the platform's clock) is gone; only the new one is kept.
    const rows = await p.query<{ created_at: string }>(`select created_at from idempotency_keys where key = 'daily-reset'`);
    expect(rows).toHaveLength(1);
    expect(new Date(rows[0]!.created_at).getTime()).toBeGreaterThanOrEqual(startedAt + IDEMPOTENCY_KEY_TTL_MS);
  });
});
