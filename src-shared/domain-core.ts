/**
 * The domain's constants and pure rules that need no schema library: the four profiles and R7's
 * readiness (the checklist and its bits), and the well-formed text check. The first sync's worker
 * threads derive every cached row with them and load no zod at their start (zod and the schemas
 * cost each thread about 0.1 s before it could take its first page, issue 10); `domain.ts` and
 * `text.ts` re-export them, with the schemas built on them.
 */
/** R1/R2: the four profiles. `support` is the platform vendor's staff. */
export const PROFILES = ['support', 'administrator', 'supervisor', 'agent'] as const;
export type Profile = (typeof PROFILES)[number];

/** The field error (zod issue message) of text that is not well formed. */
export const ILL_FORMED_TEXT = 'ill_formed_text';

/** Matches only well-formed text: no lone surrogate (`\p{Cs}` in `u` mode) and no control character (`\p{Cc}`). */
export const WELL_FORMED = /^[^\p{Cc}\p{Cs}]*$/u;

/** True when `value` has no lone surrogate and no control character. */
export function isWellFormedText(value: string): boolean {
  return WELL_FORMED.test(value);
}

/** R7: the readiness checklist, in the order the console shows it. */
export const READINESS_ITEMS = ['webrtc', 'omnichannel', 'password', 'extension', 'voiceQueues', 'chatQueues'] as const;
export type ReadinessItem = (typeof READINESS_ITEMS)[number];
/** The items of which one is enough: an agent is linked to an extension or to a queue (R7). */
export const READINESS_LINK_ITEMS: readonly ReadinessItem[] = ['extension', 'voiceQueues', 'chatQueues'];
/**
 * State of one checklist item: `done`; `missing` (keeps the user from being ready); `optional`
 * (another link item is done, so this one is not needed); `not_applicable` (a self-managed user has
 * no password, R11).
 */
export const READINESS_STATUSES = ['done', 'missing', 'optional', 'not_applicable'] as const;
export type ReadinessStatus = (typeof READINESS_STATUSES)[number];

/** R7: a user's readiness checklist (`ReadinessSchema` in domain.ts is held to this type). */
export interface Readiness {
  /** Every checklist item, whether it is done, and its state. */
  checks: Array<{ item: ReadinessItem; ok: boolean; status: ReadinessStatus }>;
  /** The items that keep the user from being ready, in checklist order (none when `applies` is false). */
  missing: ReadinessItem[];
  /** R7: can work as an omnichannel agent: WebRTC, omnichannel, a password (unless self-managed), and an extension or a queue. */
  ready: boolean;
  /** R7 is about agents: support, administrators and supervisors are never "not yet an agent". */
  applies: boolean;
}

/** What R7 reads of a user (a `User` has it). */
interface ReadinessInput {
  profile: Profile;
  selfManaged: boolean;
  webrtcEnabled: boolean;
  omnichannelEnabled: boolean;
  passwordSet: boolean;
  extension: object | null;
  voiceQueueIds: readonly string[];
  chatQueueIds: readonly string[];
}

/**
 * R7: computes a user's readiness checklist. Pure; shared by the platform and the console. The
 * headline (`ready`) and the items never disagree: `ready` is exactly "nothing is missing".
 */
export function computeReadiness(user: ReadinessInput): Readiness {
  const done: Record<ReadinessItem, boolean> = {
    webrtc: user.webrtcEnabled,
    omnichannel: user.omnichannelEnabled,
    password: user.passwordSet,
    extension: user.extension !== null,
    voiceQueues: user.voiceQueueIds.length > 0,
    chatQueues: user.chatQueueIds.length > 0,
  };
  const linked = READINESS_LINK_ITEMS.some((item) => done[item]);
  const status = (item: ReadinessItem): ReadinessStatus => {
    if (done[item]) return 'done';
    // R11: users of a self-managed account sign in with Microsoft; they never set a password.
    if (item === 'password' && user.selfManaged) return 'not_applicable';
    if (READINESS_LINK_ITEMS.includes(item) && linked) return 'optional';
    return 'missing';
  };
  const checks = READINESS_ITEMS.map((item) => ({ item, ok: done[item], status: status(item) }));
  const applies = user.profile === 'agent';
  const missing = applies ? checks.filter((c) => c.status === 'missing').map((c) => c.item) : [];
  return { checks, missing, ready: applies && missing.length === 0, applies };
}

/**
 * R7 as bits, for a cache that stores it per user: bit `i` set when `READINESS_ITEMS[i]` is in
 * `computeReadiness(user).missing`; null when R7 does not apply (not an agent); ready exactly when 0.
 * The same rule without building the checklist (a first sync derives it 100 000 times; the
 * checklist cost about 0.5 µs a user). A property test holds the two together.
 */
export function readinessMissingBits(user: ReadinessInput): number | null {
  if (user.profile !== 'agent') return null;
  const extension = user.extension !== null;
  const voice = user.voiceQueueIds.length > 0;
  const chat = user.chatQueueIds.length > 0;
  const linked = extension || voice || chat;
  let bits = 0;
  if (!user.webrtcEnabled) bits |= READINESS_BIT.webrtc;
  if (!user.omnichannelEnabled) bits |= READINESS_BIT.omnichannel;
  // R11: a self-managed user has no password to set.
  if (!user.passwordSet && !user.selfManaged) bits |= READINESS_BIT.password;
  // One link (an extension or a queue) is enough.
  if (!linked) bits |= READINESS_BIT.extension | READINESS_BIT.voiceQueues | READINESS_BIT.chatQueues;
  return bits;
}

/** Bit of each readiness item in `readinessMissingBits` (its place in `READINESS_ITEMS`). */
export const READINESS_BIT: Readonly<Record<ReadinessItem, number>> = Object.fromEntries(READINESS_ITEMS.map((item, i) => [item, 1 << i])) as Record<
  ReadinessItem,
  number
>;

