/** Issue 14 "every rule once": R3, R6, R8 and the support rule, as the platform and the renderer use them. */
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../../src-shared/domain';
import { omnichannelCreationRule, queueEligibilityRule, supportRule, webrtcRule } from '../../../src-shared/rules';

describe('src-shared rules', () => {
  it('R3: omnichannel needs WebRTC', () => {
    expect(webrtcRule({ omnichannelEnabled: true, webrtcEnabled: false })).toBe('webrtc_required');
    expect(webrtcRule({ omnichannelEnabled: true, webrtcEnabled: true })).toBeNull();
    expect(webrtcRule({ omnichannelEnabled: false, webrtcEnabled: false })).toBeNull();
  });

  it('R6: only Support creates a user with omnichannel on', () => {
    for (const actor of PROFILES) {
      expect(omnichannelCreationRule(actor, true)).toBe(actor === 'support' ? null : 'omnichannel_creation_support_only');
      expect(omnichannelCreationRule(actor, false)).toBeNull();
    }
  });

  it('R8: chat queues take omnichannel agents, voice queues users with an extension', () => {
    const ext = { id: 'e1', number: '2001' };
    expect(queueEligibilityRule({ omnichannelEnabled: false, extension: ext }, 'chat')).toBe('chat_queue_requires_omnichannel');
    expect(queueEligibilityRule({ omnichannelEnabled: true, extension: null }, 'chat')).toBeNull();
    expect(queueEligibilityRule({ omnichannelEnabled: true, extension: null }, 'voice')).toBe('voice_queue_requires_extension');
    expect(queueEligibilityRule({ omnichannelEnabled: false, extension: ext }, 'voice')).toBeNull();
  });

  it('R2: only Support changes a Support user or gives the support profile', () => {
    for (const actor of PROFILES) {
      for (const target of PROFILES) {
        expect(supportRule.mayChangeUser(actor, target)).toBe(target !== 'support' || actor === 'support');
        expect(supportRule.mayGiveProfile(actor, target)).toBe(target !== 'support' || actor === 'support');
      }
    }
  });
});
