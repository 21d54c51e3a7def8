import { describe, expect, it } from 'vitest';
import { resetLink } from '../../../../src-platform/domain/reset-tokens';
import { searchText } from '../../../../src-platform/domain/user-changes';

describe('reset links and search text', () => {
  it('R5: the reset link is built on the public URL and encodes the token', () => {
    expect(resetLink('https://console.example.test/', 'abc_-1')).toBe('https://console.example.test/reset-password?token=abc_-1');
    expect(resetLink('http://127.0.0.1:4010', 'a+b')).toBe('http://127.0.0.1:4010/reset-password?token=a%2Bb');
  });

  it('C2: search text is lower-case and accent-free', () => {
    expect(searchText('Conceição Araújo', 'JOÃO.silva', 'Íris@Example.com')).toBe('conceicao araujo joao.silva iris@example.com');
  });
});
