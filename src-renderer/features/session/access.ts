/**
 * What the signed-in profile may do right now (R2, C1): every write control asks here and, when
 * refused, shows the reason instead of silently disappearing.
 */
import { useTranslation } from 'react-i18next';
import { permissions, type Profile } from '../../../src-shared/domain';
import { useSessionStore } from './session-store';

/** A permission of `permissions` in src-shared/domain.ts. */
export type Permission = keyof typeof permissions;

/**
 * Whether an action is allowed, and if not, why (translated). `inBanner`: the reason is the frame's
 * one notice (offline, supervisor read-only), so a screen does not repeat it; controls point to it.
 */
export type Access = { allowed: boolean; reason: string | null; inBanner?: boolean };

/** Id of the frame's notice (offline, read-only): controls refused for that reason are described by it. */
export const FRAME_NOTICE_ID = 'frame-notice';

/** Pure rule: offline refuses every write; then the profile's permission decides. */
export function accessFor(opts: { online: boolean; profile: Profile | null; permission: Permission }): { allowed: boolean; why: 'offline' | 'profile' | null } {
  if (!opts.profile || !permissions[opts.permission](opts.profile)) return { allowed: false, why: 'profile' };
  if (!opts.online) return { allowed: false, why: 'offline' };
  return { allowed: true, why: null };
}

/** Hook form of `accessFor` for the signed-in user, with the reason translated. */
export function useAccess(permission: Permission): Access {
  const { t } = useTranslation();
  const session = useSessionStore((s) => s.session);
  const profile = session?.user?.profile ?? null;
  const online = session?.online === true && session.status === 'signedIn';
  const { allowed, why } = accessFor({ online, profile, permission });
  if (allowed) return { allowed, reason: null };
  if (why === 'offline') return { allowed, reason: t('reasons.offline'), inBanner: true };
  return { allowed, reason: t('reasons.readOnly', { profile: profile ? t(`profiles.${profile}`) : '—' }), inBanner: profile === 'supervisor' };
}

/** True when main can reach the platform and the session is live. */
export function useOnline(): boolean {
  return useSessionStore((s) => s.session?.online === true && s.session.status === 'signedIn');
}
