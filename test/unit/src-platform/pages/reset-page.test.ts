import { describe, expect, it } from 'vitest';
import { resetDonePage } from '../../../../src-platform/pages/reset-page';

describe('reset page', () => {
  it('R5: the done page links to the configured agent sign-in address, escaped, in the page language', () => {
    const pt = resetDonePage('pt-BR', 'ana', 'https://agents.example/login?a=1&b="2"');
    expect(pt).toContain('href="https://agents.example/login?a=1&#38;b=&#34;2&#34;"');
    expect(pt).toContain('Entrar na plataforma');
    expect(pt).toContain('<html lang="pt-BR">');
    const en = resetDonePage('en', 'ana', 'https://agents.example/login');
    expect(en).toContain('Sign in to the platform');
    expect(en).not.toMatch(/senha|Entrar/);
  });
});
