import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeReadiness, permissions, PROFILES, READINESS_BIT, readinessMissingBits } from '../../../src-shared/domain';
import { pickLocale, SELF_MANAGED_MESSAGE_PT, ERROR_MESSAGES } from '../../../src-shared/errors';

const base = { profile: 'agent' as const, selfManaged: false, webrtcEnabled: true, omnichannelEnabled: true, passwordSet: true, extension: null, voiceQueueIds: [], chatQueueIds: [] };

/** Any input of R7: every profile, link and flag combination (queues: none, one or two). */
const anyReadinessInput = fc.record({
  profile: fc.constantFrom(...PROFILES),
  selfManaged: fc.boolean(),
  webrtcEnabled: fc.boolean(),
  omnichannelEnabled: fc.boolean(),
  passwordSet: fc.boolean(),
  extension: fc.option(fc.constant({ id: 'e', number: '2001' }), { nil: null }),
  voiceQueueIds: fc.array(fc.constantFrom('q1', 'q2'), { maxLength: 2 }),
  chatQueueIds: fc.array(fc.constantFrom('q3'), { maxLength: 1 }),
});

describe('computeReadiness', () => {
  it('R7 (issue 10): the bits the cache stores are the checklist\'s missing items, null exactly when R7 does not apply', () => {
    fc.assert(
      fc.property(anyReadinessInput, (u) => {
        const r = computeReadiness(u);
        const bits = readinessMissingBits(u);
        expect(bits === null).toBe(!r.applies);
        expect(bits ?? 0).toBe(r.missing.reduce((m, item) => m | READINESS_BIT[item], 0));
        expect(bits === 0).toBe(r.ready);
      }),
      { numRuns: 500 },
    );
  });
  it('R7: a user with everything but a link to an extension or queue is not yet an agent', () => {
    const r = computeReadiness(base);
    expect(r.ready).toBe(false);
    expect(r.missing).toEqual(['extension', 'voiceQueues', 'chatQueues']);
  });
  it('R7: an extension or one queue makes a user with WebRTC, omnichannel and a password ready', () => {
    expect(computeReadiness({ ...base, extension: { id: 'e', number: '2001' } }).ready).toBe(true);
    expect(computeReadiness({ ...base, chatQueueIds: ['q'] }).ready).toBe(true);
  });
  it('R7: without a password, WebRTC or omnichannel the user is never ready, and the checklist says so', () => {
    for (const key of ['webrtcEnabled', 'omnichannelEnabled', 'passwordSet'] as const) {
      const r = computeReadiness({ ...base, [key]: false, extension: { id: 'e', number: '1' } });
      expect(r.ready).toBe(false);
      expect(r.checks.find((c) => !c.ok)).toBeDefined();
    }
  });
  it('R7/R11: a self-managed agent needs no password (it signs in with Microsoft): not applicable, and ready without one', () => {
    const r = computeReadiness({ ...base, selfManaged: true, passwordSet: false, chatQueueIds: ['q'] });
    expect(r.checks.find((c) => c.item === 'password')?.status).toBe('not_applicable');
    expect(r.missing).toEqual([]);
    expect(r.ready).toBe(true);
  });
  it('R7: one link is enough, so the other link items are optional, not missing (headline and items agree)', () => {
    const r = computeReadiness({ ...base, extension: { id: 'e', number: '2001' } });
    expect(r.ready).toBe(true);
    expect(r.checks.filter((c) => c.status === 'optional').map((c) => c.item)).toEqual(['voiceQueues', 'chatQueues']);
    expect(r.missing).toEqual([]);
  });
  it('R7: support, administrators and supervisors are not "not yet an agent": readiness does not apply to them', () => {
    for (const profile of ['support', 'administrator', 'supervisor'] as const) {
      const r = computeReadiness({ ...base, profile, passwordSet: false });
      expect(r).toMatchObject({ applies: false, ready: false, missing: [] });
    }
  });
  it('R7: for any user, ready is exactly "an agent with no item missing", and every missing item is not done', () => {
    fc.assert(
      fc.property(anyReadinessInput, (u) => {
        const r = computeReadiness(u);
        const missing = r.checks.filter((c) => c.status === 'missing');
        expect(r.ready).toBe(r.applies && missing.length === 0);
        for (const c of missing) expect(c.ok).toBe(false);
        if (r.applies) expect(r.missing).toEqual(missing.map((c) => c.item));
      }),
    );
  });
});

describe('permissions', () => {
  it('R2/R6: only support creates omnichannel users; supervisors and agents never edit', () => {
    expect(permissions.canCreateOmnichannelUser('support')).toBe(true);
    expect(permissions.canCreateOmnichannelUser('administrator')).toBe(false);
    expect(permissions.canEditUsers('supervisor')).toBe(false);
    expect(permissions.canUseConsole('agent')).toBe(false);
  });
});

describe('locales', () => {
  it('R11/C5: pt-BR is the default and carries the exact self-managed message', () => {
    expect(pickLocale(undefined)).toBe('pt-BR');
    expect(pickLocale('en-US,en;q=0.9')).toBe('en');
    expect(ERROR_MESSAGES.self_managed_account['pt-BR']).toBe(
      'Este usuário pertence a um grupo autogerenciado. Entre em contato com Administrador da conta',
    );
    expect(SELF_MANAGED_MESSAGE_PT).toBe(ERROR_MESSAGES.self_managed_account['pt-BR']);
  });
});
