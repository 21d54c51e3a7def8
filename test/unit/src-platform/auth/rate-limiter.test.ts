import { describe, expect, it } from 'vitest';
import { FailureLimiter } from '../../../../src-platform/auth/rate-limiter';

describe('FailureLimiter (R2 login limits)', () => {
  it('R2: blocks a key after the maximum failures and says how long to wait', () => {
    let t = 1_000_000;
    const limiter = new FailureLimiter(3, 60_000, () => new Date(t));
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('k')).toBe(0);
      limiter.fail('k');
      t += 1000;
    }
    expect(limiter.retryAfterSeconds('k')).toBe(57);
    expect(limiter.retryAfterSeconds('other')).toBe(0);
    t += 57_000;
    expect(limiter.retryAfterSeconds('k')).toBe(0);
  });

  it('R2: a reset forgets the failures of a key', () => {
    const limiter = new FailureLimiter(1, 60_000, () => new Date(0));
    limiter.fail('k');
    expect(limiter.retryAfterSeconds('k')).toBeGreaterThan(0);
    limiter.reset('k');
    expect(limiter.retryAfterSeconds('k')).toBe(0);
  });
});
