import { describe, expect, it } from 'vitest';
import { hashToken, newToken } from '../../../../src-platform/auth/tokens';

describe('tokens (R5 reset links, sessions)', () => {
  it('R5: tokens carry 256 random bits in base64url and differ every time', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => newToken()));
    expect(tokens.size).toBe(100);
    for (const t of tokens) {
      expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(t, 'base64url').length).toBe(32);
    }
  });

  it('R5: the stored form is a SHA-256 hash, stable for a token and different across tokens', () => {
    const t = newToken();
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).toBe(hashToken(t));
    expect(hashToken(t)).not.toBe(hashToken(newToken()));
  });
});
