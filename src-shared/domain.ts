/**
 * Domain types of the contact-center platform (REQUIREMENTS R1, R7, R8, R10), as zod schemas so the
 * platform, the console's main process and the renderer agree on one shape.
 */
import { z } from 'zod';
import { wellFormedText } from './text';

/** R1/R2: the four profiles. `support` is the platform vendor's staff. */
export const PROFILES = ['support', 'administrator', 'supervisor', 'agent'] as const;
export const ProfileSchema = z.enum(PROFILES);
export type Profile = z.infer<typeof ProfileSchema>;

/**
 * Ids are opaque, but they go into URL paths: well-formed text only, and never a dot segment
 * (`/users/..` would be `/`) (issue 17).
 */
export const IdSchema = wellFormedText()
  .min(1)
  .max(64)
  .regex(/^(?!\.\.?$)/, 'dot_segment');
export const IsoDateSchema = z.string().min(1).max(40);

/** R10: an extension ("Ramal") of an account, as seen on a user. */
export const UserExtensionSchema = z.object({ id: IdSchema, number: z.string() });

/**
 * R1: a user of an account, with the agent screen options ("Opções da tela do Atendente").
 * Queue links and the extension are part of the user record so a delta sync of users carries them;
 * changing them bumps `version`.
 */
export const UserSchema = z.object({
  id: IdSchema,
  accountId: IdSchema,
  name: z.string(),
  email: z.string(),
  login: z.string(),
  profile: ProfileSchema,
  active: z.boolean(),
  /** "Habilitar WebRTC" */
  webrtcEnabled: z.boolean(),
  /** "Habilitar agente para uso omnichannel" */
  omnichannelEnabled: z.boolean(),
  /** R7: the user has set a password (through a reset link or an administrator). */
  passwordSet: z.boolean(),
  /** R9: the password was set by an administrator and must be changed at the next login. */
  mustChangePassword: z.boolean(),
  /** R11: the user's account signs in through its Microsoft identity provider. */
  selfManaged: z.boolean(),
  extension: UserExtensionSchema.nullable(),
  voiceQueueIds: z.array(IdSchema),
  chatQueueIds: z.array(IdSchema),
  /** Optimistic-concurrency version; the ETag is derived from it. */
  version: z.number().int().nonnegative(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
});
export type User = z.infer<typeof UserSchema>;

/** R11: an account's Microsoft (Entra ID) identity provider. */
export const IdentityProviderSchema = z.object({
  enabled: z.boolean(),
  tenantId: z.string(),
  clientId: z.string(),
  /** e.g. https://login.microsoftonline.com/<tenant>/v2.0 (the token issuer). */
  authority: z.string(),
});
export type IdentityProvider = z.infer<typeof IdentityProviderSchema>;

/** R1: a customer tenant. */
export const AccountSchema = z.object({
  id: IdSchema,
  slug: z.string(),
  name: z.string(),
  identityProvider: IdentityProviderSchema.nullable(),
  /**
   * `operator`: the platform's operator scope, which holds the vendor's support staff (R2, issue 9
   * class 1); the support profile exists only there. Absent or `customer`: a customer account.
   */
  kind: z.enum(['customer', 'operator']).optional(),
});
export type Account = z.infer<typeof AccountSchema>;

export const ExtensionSchema = z.object({
  id: IdSchema,
  accountId: IdSchema,
  number: z.string(),
  userId: IdSchema.nullable(),
});
export type Extension = z.infer<typeof ExtensionSchema>;

/** R8: voice queues ("Filas de Voz") and chat queues ("Filas de Chat": WebChat or WhatsApp). */
export const QUEUE_KINDS = ['voice', 'chat'] as const;
export const QueueKindSchema = z.enum(QUEUE_KINDS);
export type QueueKind = z.infer<typeof QueueKindSchema>;
export const CHAT_CHANNELS = ['webchat', 'whatsapp'] as const;
export const ChatChannelSchema = z.enum(CHAT_CHANNELS);
export const QueueChannelSchema = z.enum(['voice', ...CHAT_CHANNELS]);
export type QueueChannel = z.infer<typeof QueueChannelSchema>;

export const QueueSchema = z.object({
  id: IdSchema,
  accountId: IdSchema,
  kind: QueueKindSchema,
  /** `voice` for voice queues; `webchat` or `whatsapp` for chat queues. */
  channel: QueueChannelSchema,
  name: z.string(),
  memberIds: z.array(IdSchema),
  version: z.number().int().nonnegative(),
  createdAt: IsoDateSchema,
  updatedAt: IsoDateSchema,
});
export type Queue = z.infer<typeof QueueSchema>;

/**
 * Issue 10: a queue without its member list, with how many members it has: what the console keeps
 * and shows (each user's own queue ids come with the user). A list of 100 000 agents' ids fetched
 * with every sync made a delta sync of 100 users take 250-420 ms.
 */
export const QueueSummarySchema = QueueSchema.omit({ memberIds: true }).extend({ memberCount: z.number().int().nonnegative() });
export type QueueSummary = z.infer<typeof QueueSummarySchema>;

/** The summary of a queue (its members counted). */
export function queueSummary(queue: Queue): QueueSummary {
  const { memberIds, ...rest } = queue;
  return { ...rest, memberCount: memberIds.length };
}

/** R4: an agent logged into a queue. */
export const QueueSessionSchema = z.object({
  queueId: IdSchema,
  queueName: z.string(),
  kind: QueueKindSchema,
  userId: IdSchema,
  startedAt: IsoDateSchema,
});
export type QueueSession = z.infer<typeof QueueSessionSchema>;

/**
 * Every audit event type the platform writes (`AuditEntry.action`). The platform's `writeAudit`
 * takes only these, and the console has a label for each in both languages (issue 11).
 */
export const AUDIT_ACTIONS = [
  'user.created',
  'user.updated',
  'user.deleted',
  'user.queue_logout',
  'user.batch_created',
  'user.batch_updated',
  'user.password_reset_requested',
  'user.password_set_by_administrator',
  'user.password_set_by_reset_link',
  'user.password_changed',
  'user.microsoft_identity_linked',
  'user.moved_to_operator_scope',
  'extension.created',
  'extension.associated',
  'extension.released',
  'queue.created',
  'queue.member_added',
  'queue.member_removed',
  'queue.session_started',
  'queue.session_ended',
  'account.identity_provider_set',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditEntrySchema = z.object({
  id: IdSchema,
  accountId: IdSchema,
  at: IsoDateSchema,
  actorId: IdSchema.nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** Kinds of email the platform sends (R5, R6, R9, R10). */
export const MAIL_KINDS = ['password_reset', 'password_changed', 'extension_associated'] as const;
export const MailKindSchema = z.enum(MAIL_KINDS);
export type MailKind = z.infer<typeof MailKindSchema>;

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
export const ReadinessSchema = z.object({
  /** Every checklist item, whether it is done, and its state. */
  checks: z.array(z.object({ item: z.enum(READINESS_ITEMS), ok: z.boolean(), status: z.enum(READINESS_STATUSES) })),
  /** The items that keep the user from being ready, in checklist order (none when `applies` is false). */
  missing: z.array(z.enum(READINESS_ITEMS)),
  /** R7: can work as an omnichannel agent: WebRTC, omnichannel, a password (unless self-managed), and an extension or a queue. */
  ready: z.boolean(),
  /** R7 is about agents: support, administrators and supervisors are never "not yet an agent". */
  applies: z.boolean(),
});
export type Readiness = z.infer<typeof ReadinessSchema>;

type ReadinessInput = Pick<User, 'profile' | 'selfManaged' | 'webrtcEnabled' | 'omnichannelEnabled' | 'passwordSet' | 'extension' | 'voiceQueueIds' | 'chatQueueIds'>;

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

/** R2: what a profile may do in its account (support: in every account). */
export const permissions = {
  canUseConsole: (p: Profile) => p !== 'agent',
  canEditUsers: (p: Profile) => p === 'support' || p === 'administrator',
  canManageQueues: (p: Profile) => p === 'support' || p === 'administrator',
  canManageExtensions: (p: Profile) => p === 'support' || p === 'administrator',
  canResetPasswords: (p: Profile) => p === 'support' || p === 'administrator',
  /** R6: creating a user with omnichannel enabled is "ação exclusiva do Suporte". */
  canCreateOmnichannelUser: (p: Profile) => p === 'support',
  canConfigureIdentityProvider: (p: Profile) => p === 'support' || p === 'administrator',
  /** R2: only Support changes Support's users and gives the support profile (see rules.ts). */
  canManageSupportUsers: (p: Profile) => p === 'support',
  canReview: (p: Profile) => p !== 'agent',
} as const;

/**
 * Issue 9 class 1 (R2): support is the vendor's staff. The support profile exists only in the
 * platform's operator scope, and the operator scope holds nothing else. Pure; the platform enforces
 * it (403 `support_operator_scope`), the console's forms offer only what fits.
 */
export function profileFitsAccount(profile: Profile, account: Pick<Account, 'kind'>): boolean {
  return (profile === 'support') === (account.kind === 'operator');
}
