/**
 * The editable part of a user and the pure rules of the editor form: validation before sending
 * (R3), the diff sent as `changes`, and rebasing edits onto a newer server version.
 */
import type { Profile, User } from '../../../src-shared/domain';
import { webrtcRule } from '../../../src-shared/rules';
import type { FieldErrors } from '../../../src-shared/errors';
import { identityTextProblem } from '../../../src-shared/text';

/** Fields the editor's form edits. */
export const DRAFT_FIELDS = ['name', 'email', 'login', 'profile', 'active', 'webrtcEnabled', 'omnichannelEnabled'] as const;
export type DraftField = (typeof DRAFT_FIELDS)[number];

/** The form's values. */
export type Draft = { name: string; email: string; login: string; profile: Profile; active: boolean; webrtcEnabled: boolean; omnichannelEnabled: boolean };

/** The form values of a user. */
export function draftOf(user: Pick<User, DraftField>): Draft {
  return {
    name: user.name,
    email: user.email,
    login: user.login,
    profile: user.profile,
    active: user.active,
    webrtcEnabled: user.webrtcEnabled,
    omnichannelEnabled: user.omnichannelEnabled,
  };
}

/** The fields of `draft` that differ from `base` (what a save sends). */
export function changesOf(base: Draft, draft: Draft): Partial<Draft> {
  const changes: Partial<Draft> = {};
  for (const field of DRAFT_FIELDS) {
    if (draft[field] !== base[field]) (changes as Record<string, unknown>)[field] = draft[field];
  }
  return changes;
}

/** Applies the edits made on `oldBase` onto `newBase` (fields not edited follow the server). */
export function rebase(oldBase: Draft, draft: Draft, newBase: Draft): Draft {
  return { ...newBase, ...changesOf(oldBase, draft) };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LOGIN = /^[a-zA-Z0-9._@-]{3,64}$/;

/**
 * Validates the form before anything is sent. Entries are error codes (translated with
 * errors.ts) or `form.*` keys of the locale files.
 */
export function validateDraft(draft: Draft): FieldErrors {
  const errors: FieldErrors = {};
  if (!draft.name.trim() || draft.name.trim().length > 120) errors.name = ['form.name'];
  if (!EMAIL.test(draft.email.trim()) || draft.email.length > 254) errors.email = ['form.email'];
  if (!LOGIN.test(draft.login.trim())) errors.login = ['form.login'];
  // Issue 9 class 10: the platform's refusal of control, invisible and broken characters, said first.
  for (const field of ['name', 'email', 'login'] as const) {
    const problem = identityTextProblem(draft[field]);
    if (problem) errors[field] = [problem];
  }
  // R3: omnichannel requires WebRTC; the platform refuses it too (422 webrtc_required).
  const r3 = webrtcRule(draft);
  if (r3) errors.omnichannelEnabled = [r3];
  return errors;
}
