/**
 * Domain types of the contact-center platform (REQUIREMENTS R1, R7, R8, R10), as zod schemas so the
 * platform, the console's main process and the renderer agree on one shape.
 */
import { z } from 'zod';
import { wellFormedText } from './text';
import type { Holds, Same } from './type-checks';
import { PROFILES, READINESS_ITEMS, READINESS_STATUSES, type Profile, type Readiness } from './domain-core';

export {
  PROFILES,
  READINESS_BIT,
  READINESS_ITEMS,
  READINESS_LINK_ITEMS,
  READINESS_STATUSES,
  computeReadiness,
  readinessMissingBits,
  type Profile,
  type Readiness,
  type ReadinessItem,
  type ReadinessStatus,
} from './domain-core';

export const ProfileSchema = z.enum(PROFILES);

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

/** R7: a user's readiness checklist, as the API answers it. */
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
/** The schema and `Readiness` (domain-core.ts, where `computeReadiness` is) describe the same value: type-checked. */
export type ReadinessSchemaMatches = Holds<Same<z.infer<typeof ReadinessSchema>, Readiness>>;

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
