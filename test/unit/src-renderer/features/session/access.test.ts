import { describe, expect, it } from 'vitest';
import { accessFor } from '../../../../../src-renderer/features/session/access';

describe('accessFor', () => {
  it('R2: supervisors may not edit, with the profile as the reason, online or offline', () => {
    expect(accessFor({ online: true, profile: 'supervisor', permission: 'canEditUsers' })).toEqual({ allowed: false, why: 'profile' });
    expect(accessFor({ online: false, profile: 'supervisor', permission: 'canEditUsers' })).toEqual({ allowed: false, why: 'profile' });
    expect(accessFor({ online: true, profile: null, permission: 'canEditUsers' })).toEqual({ allowed: false, why: 'profile' });
  });

  it('C1: offline refuses every write of an allowed profile, with offline as the reason', () => {
    for (const permission of ['canEditUsers', 'canManageQueues', 'canManageExtensions', 'canResetPasswords'] as const) {
      expect(accessFor({ online: false, profile: 'administrator', permission })).toEqual({ allowed: false, why: 'offline' });
      expect(accessFor({ online: true, profile: 'administrator', permission })).toEqual({ allowed: true, why: null });
    }
  });

  it('R6: only support may create omnichannel users', () => {
    expect(accessFor({ online: true, profile: 'support', permission: 'canCreateOmnichannelUser' }).allowed).toBe(true);
    expect(accessFor({ online: true, profile: 'administrator', permission: 'canCreateOmnichannelUser' }).allowed).toBe(false);
  });
});
