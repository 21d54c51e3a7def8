/**
 * The rules the console pre-checks and the platform enforces, each written once (ARCHITECTURE.md:
 * "every rule once"). Pure functions of profiles and user fields: the platform's `domain/` turns an
 * answer into a 403/422, the renderer disables a control or shows the same error code inline. The
 * platform stays the authority.
 */
import { permissions, type Profile, type QueueKind, type User } from './domain';

/** R3: omnichannel needs WebRTC. The error code when `state` breaks it, else null. */
export function webrtcRule(state: Pick<User, 'webrtcEnabled' | 'omnichannelEnabled'>): 'webrtc_required' | null {
  return state.omnichannelEnabled && !state.webrtcEnabled ? 'webrtc_required' : null;
}

/** R6: creating a user with omnichannel on is "ação exclusiva do Suporte". */
export function omnichannelCreationRule(actor: Profile, omnichannelEnabled: boolean): 'omnichannel_creation_support_only' | null {
  return omnichannelEnabled && !permissions.canCreateOmnichannelUser(actor) ? 'omnichannel_creation_support_only' : null;
}

/** R8: a chat queue takes omnichannel agents; a voice queue takes users with an extension. */
export function queueEligibilityRule(
  user: Pick<User, 'omnichannelEnabled' | 'extension'>,
  kind: QueueKind,
): 'chat_queue_requires_omnichannel' | 'voice_queue_requires_extension' | null {
  if (kind === 'chat' && !user.omnichannelEnabled) return 'chat_queue_requires_omnichannel';
  if (kind === 'voice' && !user.extension) return 'voice_queue_requires_extension';
  return null;
}

/**
 * R2: only Support edits a Support user (data, password, extension, queues, deletion), and only
 * Support gives someone the support profile.
 */
export const supportRule = {
  /** May `actor` change user `target`? */
  mayChangeUser: (actor: Profile, target: Profile): boolean => target !== 'support' || permissions.canManageSupportUsers(actor),
  /** May `actor` give `profile` to a user? */
  mayGiveProfile: (actor: Profile, profile: Profile): boolean => profile !== 'support' || permissions.canManageSupportUsers(actor),
} as const;
