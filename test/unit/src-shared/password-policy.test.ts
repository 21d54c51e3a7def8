/**
 * Issue 9 class 7: the password policy of src-shared (OWASP ASVS 5.0 V6.2, NIST SP 800-63B), the
 * one rule the platform, the console and the reset page apply: length, no composition rules, no
 * control characters, and zxcvbn-ts (common, English and Portuguese dictionaries) refusing common
 * passwords and passwords guessable from their context.
 */
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../../src-shared/errors';
import { DEMO_PASSWORD } from '../../../src-platform/demo/seed';
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_PROBLEMS,
  PASSWORD_PROBLEM_MESSAGES,
  checkPasswordBasics,
  checkPasswordPolicy,
  passwordProblemMessages,
} from '../../../src-shared/password-policy';

const MARIA = { login: 'maria.souza', name: 'Maria Souza', email: 'maria.souza@example.com', account: 'demo', accountName: 'Contact Center Demo' };

// The dictionaries take a few seconds to load on a busy machine.
describe('password policy (issue 9 class 7)', { timeout: 60_000 }, () => {
  it('issue 9 class 7: at least 12 characters, counted as characters; 64 and up to 128 allowed', async () => {
    expect(PASSWORD_MIN_LENGTH).toBe(12);
    expect(PASSWORD_MAX_LENGTH).toBeGreaterThanOrEqual(64);
    expect(checkPasswordBasics('x7$Kq9!mZ2@')).toEqual(['too_short']);
    expect(await checkPasswordPolicy('x7$Kq9!mZ2@w', MARIA)).toEqual([]);
    // Eleven emoji are 22 UTF-16 units but eleven characters.
    expect(checkPasswordBasics('🔑'.repeat(11))).toContain('too_short');
    const long = 'Correio-Lento-Jabuti-'.repeat(7).slice(0, PASSWORD_MAX_LENGTH);
    expect(await checkPasswordPolicy(long, MARIA)).toEqual([]);
    expect(await checkPasswordPolicy(`${long}x`, MARIA)).toEqual(['too_long']);
  });

  it('issue 9 class 7: no composition rules: a passphrase of lower-case words passes, digits or symbols are not required', async () => {
    expect(await checkPasswordPolicy('cavalo correto bateria grampo', MARIA)).toEqual([]);
    expect(await checkPasswordPolicy('Cafe-Com-Pao-De-Queijo', MARIA)).toEqual([]);
  });

  it('issue 9 class 7: common passwords are refused, in English and Portuguese, whatever their length', async () => {
    for (const common of ['password1234', 'senha1234567', 'qwertyuiop123', 'brasil2026!!', 'euteamomuito', 'a'.repeat(64)]) {
      expect(await checkPasswordPolicy(common, MARIA), common).toEqual(['too_common']);
    }
  });

  it('issue 9 class 7: passwords guessable from the login, name, email, account or product are refused', async () => {
    for (const guessable of ['Maria.Souza.2026', 'maria.souza1234', 'ContactCenter2026', 'Omniconsole2026!']) {
      expect(await checkPasswordPolicy(guessable, MARIA), guessable).toEqual(['guessable_from_context']);
    }
    // The same password is fine for someone it says nothing about.
    expect(await checkPasswordPolicy('Maria.Souza.2026', { login: 'pedro', name: 'Pedro Lima' })).not.toContain('guessable_from_context');
  });

  it('issue 9 class 7: control characters are refused', async () => {
    for (const control of ['Girassol\tPesqueiro-93', 'Girassol\nPesqueiro-93', 'Girassol\u0000Pesqueiro-93', 'Girassol\u007fPesqueiro-93', 'Girassol\u0085Pesqueiro-93']) {
      expect(await checkPasswordPolicy(control, MARIA), JSON.stringify(control)).toContain('control_character');
    }
  });

  it('issue 9 class 7: the demo password passes for every demo login', async () => {
    for (const [login, name] of [['suporte', 'Suporte'], ['admin', 'Administradora Demo'], ['supervisor', 'Supervisor Demo'], ['agente01', 'Agente 01']]) {
      expect(await checkPasswordPolicy(DEMO_PASSWORD, { login, name, email: `${login}@demo.omniconsole.example`, account: 'demo', accountName: 'Contact Center Demo' })).toEqual([]);
    }
  });

  it('issue 9 class 7: every problem has its message in both languages, listed in one order', () => {
    for (const problem of PASSWORD_PROBLEMS) for (const locale of LOCALES) expect(PASSWORD_PROBLEM_MESSAGES[problem][locale]).toBeTruthy();
    expect(passwordProblemMessages(['too_common', 'too_short', 'unknown'], 'en')).toEqual(['At least 12 characters', 'Must not be a common or easily guessed password']);
  });
});
