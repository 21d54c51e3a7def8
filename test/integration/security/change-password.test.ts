/**
 * Issue 9 class 8: changing one's own password ends every other session of that person, and wrong
 * current passwords are limited like failed logins. A real platform on 127.0.0.1.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../src-platform/server';
import { client, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

const NEW_PASSWORD = 'Quintal-Goiabeira-Chuvosa-64';

describe('issue 9 class 8: change-password', () => {
  let p: TestPlatform;
  beforeEach(async () => {
    p = await startTestPlatform();
  });
  afterEach(async () => p?.stop());

  it('issue 9 class 8: change-password ends every other session of the user and keeps the one that changed it', async () => {
    const here = await signIn(p.url, 'supervisor');
    const otherDesk = await signIn(p.url, 'supervisor');
    const someoneElse = await signIn(p.url, 'admin');
    expect((await client(p.url, otherDesk).get('/api/v1/me')).status).toBe(200);
    const changed = await client(p.url, here).post('/api/v1/auth/change-password', { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD });
    expect(changed.status).toBe(200);
    expect((await client(p.url, here).get('/api/v1/me')).status).toBe(200);
    const stolen = await client(p.url, otherDesk).get('/api/v1/me');
    expect(stolen.status).toBe(401);
    expect((await client(p.url, otherDesk).get('/api/v1/users?limit=1')).status).toBe(401);
    // Other people's sessions are not touched.
    expect((await client(p.url, someoneElse).get('/api/v1/me')).status).toBe(200);
    expect(await signIn(p.url, 'supervisor', 'demo', NEW_PASSWORD)).toBeTruthy();
  });

  it('issue 9 class 8: wrong current passwords are limited like login failures (429, Retry-After) and the password stays', async () => {
    const token = await signIn(p.url, 'supervisor');
    const api = client(p.url, token);
    for (let i = 0; i < 10; i++) {
      const wrong = await api.post('/api/v1/auth/change-password', { currentPassword: `wrong-guess-${i}`, newPassword: NEW_PASSWORD });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.fieldErrors.currentPassword).toEqual(['invalid_credentials']);
    }
    // Past the limit even the right current password is refused, with when to try again.
    const blocked = await api.post('/api/v1/auth/change-password', { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await signIn(p.url, 'supervisor', 'demo', DEMO_PASSWORD)).toBeTruthy();
    // A second session of the same user is limited too: the limit follows the user, not the token.
    const again = await client(p.url, await signIn(p.url, 'supervisor')).post('/api/v1/auth/change-password', { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD });
    expect(again.status).toBe(429);
    p.advance(15 * 60_000 + 1000);
    expect((await api.post('/api/v1/auth/change-password', { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(200);
  });
});
