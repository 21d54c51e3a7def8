/**
 * Issue 9 class 10: identities are normalised. Logins and emails are unique in their account
 * without regard to case or Unicode form, and names, logins and emails refuse control characters,
 * bidi overrides, zero-width characters and lone surrogates. Every refusal changes nothing. A real
 * platform on 127.0.0.1 (SQLite, and PostgreSQL in the integration-pg project).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, findUser, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

const newUser = (over: Record<string, unknown> = {}) => ({ name: 'Carla Souza', email: 'Carla.Souza@Example.com', login: 'Carla.Souza', profile: 'agent', ...over });

describe('issue 9 class 10: identities are normalised', () => {
  let p: TestPlatform;
  let admin: ReturnType<typeof client>;
  const total = async () => (await admin.get('/api/v1/users?limit=1')).body.total as number;
  beforeAll(async () => {
    p = await startTestPlatform();
    admin = client(p.url, await signIn(p.url, 'admin'));
    expect((await admin.post('/api/v1/users', newUser())).status).toBe(201);
  });
  afterAll(async () => p?.stop());

  it('issue 9 class 10: a login that differs only by case is taken (409 login_taken), and nothing is created', async () => {
    const before = await total();
    for (const login of ['carla.souza', 'CARLA.SOUZA', 'cArLa.sOuZa']) {
      const answer = await admin.post('/api/v1/users', newUser({ login, email: `${login.toLowerCase()}.${before}@outro.example` }));
      expect(answer.status).toBe(409);
      expect(answer.body.error).toMatchObject({ code: 'login_taken', fieldErrors: { login: ['login_taken'] } });
    }
    expect(await total()).toBe(before);
  });

  it('issue 9 class 10: the demo seed writes the keys too: a look-alike of a seeded login or email is taken', async () => {
    const before = await total();
    const login = await admin.post('/api/v1/users', newUser({ login: 'AGENTE05', email: 'outra.agente05@outro.example' }));
    expect(login.status).toBe(409);
    expect(login.body.error.code).toBe('login_taken');
    const seeded = await findUser(p.url, await signIn(p.url, 'admin'), 'agente05');
    const email = await admin.post('/api/v1/users', newUser({ login: 'outra.agente05', email: seeded.email.toUpperCase() }));
    expect(email.status).toBe(409);
    expect(email.body.error.code).toBe('email_taken');
    expect(await total()).toBe(before);
  });

  it('issue 9 class 10: an email that differs only by case or Unicode form is taken (409 email_taken)', async () => {
    const before = await total();
    for (const email of ['carla.souza@example.com', 'CARLA.SOUZA@EXAMPLE.COM']) {
      const answer = await admin.post('/api/v1/users', newUser({ login: `outra.${email.length}${email[0]}`, email }));
      expect(answer.status).toBe(409);
      expect(answer.body.error).toMatchObject({ code: 'email_taken', fieldErrors: { email: ['email_taken'] } });
    }
    expect(await total()).toBe(before);
  });

  it('issue 9 class 10: renaming another user to a look-alike login or email is refused and leaves the user unchanged', async () => {
    const other = await findUser(p.url, await signIn(p.url, 'admin'), 'agente03');
    const etag = `"u-${other.id}-${other.version}"`;
    const login = await admin.patch(`/api/v1/users/${other.id}`, { login: 'CARLA.souza' }, { 'if-match': etag });
    expect(login.status).toBe(409);
    expect(login.body.error.code).toBe('login_taken');
    const email = await admin.patch(`/api/v1/users/${other.id}`, { email: 'carla.SOUZA@example.com' }, { 'if-match': etag });
    expect(email.status).toBe(409);
    expect(email.body.error.code).toBe('email_taken');
    const after = await findUser(p.url, await signIn(p.url, 'admin'), 'agente03');
    expect(after).toMatchObject({ login: other.login, email: other.email, version: other.version });
    // The user's own login in another case is its own: allowed.
    const own = await admin.patch(`/api/v1/users/${other.id}`, { login: other.login.toUpperCase() }, { 'if-match': etag });
    expect(own.status).toBe(200);
  });

  it('issue 9 class 10: names, logins and emails refuse control, bidi-override, zero-width and broken characters (400, nothing created)', async () => {
    const before = await total();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ name: 'Carla \u202Eazuos' }, 'name', 'invisible_character'],
      [{ name: 'Carla\u2066 Souza\u2069' }, 'name', 'invisible_character'],
      [{ name: 'Car\u200Bla Souza' }, 'name', 'invisible_character'],
      [{ name: 'Car\uFEFFla' }, 'name', 'invisible_character'],
      [{ name: 'Carla\u0007 Souza' }, 'name', 'ill_formed_text'],
      [{ name: 'Carla \uD800Souza' }, 'name', 'ill_formed_text'],
      [{ login: 'carla\u200D.souza2' }, 'login', 'invisible_character'],
      [{ email: 'carla\u200B@example.org' }, 'email', 'invisible_character'],
    ];
    for (const [over, field, code] of cases) {
      const answer = await admin.post('/api/v1/users', newUser({ login: 'carla.nova', email: 'carla.nova@example.org', ...over }));
      expect(answer.status, JSON.stringify(over)).toBe(400);
      expect(answer.body.error.fieldErrors[field], JSON.stringify(over)).toContain(code);
    }
    expect(await total()).toBe(before);
  });
});
