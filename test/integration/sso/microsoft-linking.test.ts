/**
 * R11 user mapping on `POST /auth/microsoft`: by Entra `oid`, linked on first sign-in to the one
 * active user of the account whose email equals the UPN; never created, never taken over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSsoFixture, type SsoFixture } from '../../support/local-idp-platform';

const SIGN_IN_TIMEOUT = 30_000;
let sso: SsoFixture;

beforeAll(async () => {
  sso = await startSsoFixture([
    { oid: 'oid-igor', login: 'Igor@Autogerenciada.omniconsole.example', name: 'Igor' },
    { oid: 'oid-igor-recycled', login: 'IGOR@autogerenciada.omniconsole.example', name: 'Igor (new object)' },
    { oid: 'oid-julia', login: 'julia@autogerenciada.omniconsole.example', name: 'Júlia' },
    { oid: 'oid-helena', login: 'helena@autogerenciada.omniconsole.example', name: 'Helena' },
    { oid: 'oid-admin-demo', login: 'admin@demo.omniconsole.example', name: 'Admin of another account' },
  ]);
}, 60_000);
afterAll(async () => sso?.close());

const userId = (login: string) => sso.sql<{ id: string }>("SELECT u.id FROM users u JOIN accounts a ON a.id = u.account_id WHERE a.slug = ? AND u.login = ?", [sso.account, login])[0]?.id;

describe('Microsoft sign-in user mapping', () => {
  it('R11: the UPN links case-insensitively to the existing user, and later sign-ins use the oid link', { timeout: SIGN_IN_TIMEOUT }, async () => {
    const first = await sso.exchange((await sso.tokensFor('Igor@Autogerenciada.omniconsole.example')).accessToken);
    expect(first.status).toBe(200);
    expect((first.body['user'] as { login: string }).login).toBe('igor');
    // The user's email changes on the platform: the oid link still finds them.
    sso.sql('UPDATE users SET email = ? WHERE id = ?', ['igor.renamed@autogerenciada.omniconsole.example', userId('igor')], true);
    const again = await sso.exchange((await sso.tokensFor('Igor@Autogerenciada.omniconsole.example')).accessToken);
    expect(again.status).toBe(200);
    expect((again.body['user'] as { login: string }).login).toBe('igor');
  });

  it('R11: another Entra object with the same UPN does not take over a linked user', { timeout: SIGN_IN_TIMEOUT }, async () => {
    sso.sql('UPDATE users SET email = ? WHERE id = ?', ['igor@autogerenciada.omniconsole.example', userId('igor')], true);
    // Signing in by oid at the provider: this object's UPN is IGOR@..., the same name in other case.
    const answer = await sso.exchange((await sso.tokensFor('oid-igor-recycled')).accessToken);
    expect(answer.status).toBe(401);
    expect(answer.body.error).toMatchObject({ code: 'invalid_credentials', details: { reason: 'linked_to_another_identity' } });
  });

  it('R11: an inactive user is refused, before and after linking', { timeout: SIGN_IN_TIMEOUT }, async () => {
    const sessions = () => sso.sql<{ n: number }>('SELECT count(*) AS n FROM sessions')[0]?.n;
    const before = sessions();
    sso.sql('UPDATE users SET active = 0 WHERE id = ?', [userId('julia')], true);
    const unlinked = await sso.exchange((await sso.tokensFor('julia@autogerenciada.omniconsole.example')).accessToken);
    expect(unlinked.status).toBe(401);
    expect(unlinked.body.error?.details?.reason).toBe('no_matching_user');

    sso.sql('UPDATE users SET active = 0 WHERE id = ?', [userId('igor')], true);
    const linked = await sso.exchange((await sso.tokensFor('Igor@Autogerenciada.omniconsole.example')).accessToken);
    expect(linked.status).toBe(401);
    expect(linked.body.error?.details?.reason).toBe('user_inactive');
    expect(sessions()).toBe(before);
  });

  it('R11: two users matching one UPN is ambiguous and refused', { timeout: SIGN_IN_TIMEOUT }, async () => {
    const upn = 'helena@autogerenciada.omniconsole.example';
    sso.sql("UPDATE users SET email = ?, active = 1 WHERE id = ?", [upn, userId('julia')], true);
    const answer = await sso.exchange((await sso.tokensFor(upn)).accessToken);
    expect(answer.status).toBe(401);
    expect(answer.body.error?.details?.reason).toBe('ambiguous_user');
    expect(sso.sql('SELECT oid FROM microsoft_identities WHERE oid = ?', ['oid-helena'])).toEqual([]);
  });

  it('R11: a user of another account is never linked, and nobody is created', { timeout: SIGN_IN_TIMEOUT }, async () => {
    const users = sso.sql<{ n: number }>('SELECT count(*) AS n FROM users')[0]?.n;
    const answer = await sso.exchange((await sso.tokensFor('admin@demo.omniconsole.example')).accessToken);
    expect(answer.status).toBe(401);
    expect(answer.body.error?.details?.reason).toBe('no_matching_user');
    expect(sso.sql<{ n: number }>('SELECT count(*) AS n FROM users')[0]?.n).toBe(users);
  });
});
