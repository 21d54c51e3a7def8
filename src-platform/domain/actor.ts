/**
 * R2 permissions and account scoping. An actor is the signed-in user acting in one account: their
 * own, or (support only) the account they chose at login.
 */
import { permissions, type Profile } from '../../src-shared/domain';
import { supportRule } from '../../src-shared/rules';
import { DomainError } from './errors';

/** The signed-in user behind a request. */
export interface Actor {
  userId: string;
  name: string;
  profile: Profile;
  /** The account the actor acts in; every read and write is scoped to it. */
  accountId: string;
  /** The account the user belongs to (differs from accountId only for support). */
  homeAccountId: string;
  /** R9: signed in with a temporary password that must be changed first. */
  mustChangePassword: boolean;
}

/** Names of the R2 permissions of src-shared `permissions`. */
export type Permission = keyof typeof permissions;

/** Refuses (403) unless the actor's profile has the permission, and (R9) their password is final. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!permissions[permission](actor.profile)) throw new DomainError('forbidden', { details: { permission } });
  if (actor.mustChangePassword) throw new DomainError('forbidden', { details: { reason: 'password_change_required' } });
}

/** R2 (src-shared `supportRule`): refuses (403) a change of a Support user by anyone but Support. */
export function requireMayChangeUser(actor: Actor, target: { profile: string }): void {
  // Database rows carry the profile as text; it is one of PROFILES.
  if (!supportRule.mayChangeUser(actor.profile, target.profile as Profile)) throw new DomainError('forbidden', { details: { reason: 'support_user' } });
}

/** R2: refuses (403, on the `profile` field) giving the support profile by anyone but Support. */
export function requireMayGiveProfile(actor: Actor, profile: Profile | undefined): void {
  if (profile && !supportRule.mayGiveProfile(actor.profile, profile)) throw new DomainError('forbidden', { fieldErrors: { profile: ['forbidden'] } });
}
