import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { IdSchema } from '../../../src-shared/domain';
import { ListUsersQuerySchema, LoginRequestSchema } from '../../../src-shared/platform-api';
import { ILL_FORMED_TEXT, isWellFormedText, toSearchText, wellFormedText } from '../../../src-shared/text';

describe('issue 17.2: well-formed text', () => {
  it('refuses lone surrogates and control characters, accepts any other text (accents, emoji, other scripts)', () => {
    for (const good of ['', 'admin', 'joão.silva', 'Zoë 😀', '中文', 'a b', 'x\u00a0y', '\u{1F600}']) expect(isWellFormedText(good), good).toBe(true);
    for (const bad of ['\uD800', 'a\uDC00', '\uDBFFx', 'x\u0000', 'a\tb', 'a\nb', '\u007F', '\u0085', '\u009F', '\u001B[31m']) {
      expect(isWellFormedText(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('agrees with String.prototype.isWellFormed on surrogates, and encodeURIComponent never throws on what it accepts (fast-check)', () => {
    const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 16 }), (s) => {
        const noControl = !/\p{Cc}/u.test(s);
        const wellFormed = (s as string & { isWellFormed(): boolean }).isWellFormed();
        expect(isWellFormedText(s)).toBe(noControl && wellFormed);
        if (isWellFormedText(s)) expect(() => encodeURIComponent(s)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('checks after trimming, so surrounding whitespace is still trimmed away, and names the problem', () => {
    const login = wellFormedText(z.string().trim()).min(1);
    expect(login.parse('  admin\n')).toBe('admin');
    const r = login.safeParse('ad\u0000min');
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual([ILL_FORMED_TEXT]);
  });

  it('ids, sign-in logins and the platform search text refuse it (the platform and the console share these schemas)', () => {
    expect(IdSchema.safeParse('u\uD800').success).toBe(false);
    expect(IdSchema.safeParse('..').success).toBe(false);
    expect(IdSchema.safeParse('0b7c6f1e-8d4e-4c1a-9f1e-2a3b4c5d6e7f').success).toBe(true);
    expect(LoginRequestSchema.safeParse({ account: 'demo', login: 'ad\u0007min', password: 'x' }).success).toBe(false);
    expect(ListUsersQuerySchema.safeParse({ q: 'ana\uDC00' }).success).toBe(false);
    expect(ListUsersQuerySchema.safeParse({ q: 'ana' }).success).toBe(true);
  });

  it('search boxes repair pasted text instead of refusing it: control characters become spaces, lone surrogates U+FFFD (fast-check)', () => {
    expect(toSearchText('Ana\tSouza\n')).toBe('Ana Souza ');
    expect(toSearchText('jo\uD800ão 😀')).toBe('jo\uFFFDão 😀');
    const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 16 }), (s) => {
        const repaired = toSearchText(s);
        expect(isWellFormedText(repaired)).toBe(true);
        expect(repaired.length).toBe(s.length);
        if (isWellFormedText(s)) expect(repaired).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });
});
