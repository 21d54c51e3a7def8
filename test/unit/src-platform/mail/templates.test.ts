import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../../src-platform/mail/html';
import { extensionAssociatedMail, passwordChangedMail, passwordResetMail } from '../../../../src-platform/mail/templates';

describe('mail templates (R5, R6, R9, R10)', () => {
  it('R5: the reset email carries the link in text and in an escaped HTML anchor', () => {
    const mail = passwordResetMail({ name: 'Ana <b>', link: 'https://x.test/reset-password?token=a&b', expiresMinutes: 60 });
    expect(mail.subject).toBe('Redefinição de senha');
    expect(mail.text).toContain('https://x.test/reset-password?token=a&b');
    expect(mail.text).toContain('60 minutos');
    expect(mail.html).toContain('href="https://x.test/reset-password?token=a&#38;b"');
    expect(mail.html).not.toContain('<b>');
  });

  it('R9: the password-changed email says when an administrator set a temporary password', () => {
    expect(passwordChangedMail({ name: 'Ana', byAdministrator: true }).text).toContain('temporária');
    expect(passwordChangedMail({ name: 'Ana', byAdministrator: false }).text).not.toContain('temporária');
  });

  it('R10: the extension email names the extension', () => {
    const mail = extensionAssociatedMail({ name: 'Ana', number: '1001' });
    expect(mail.subject).toBe('Ramal 1001 associado ao seu usuário');
    expect(mail.text).toContain('ramal 1001');
  });

  it('R5: escapeHtml neutralizes every HTML-significant character', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\``)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#96;');
  });
});
