/**
 * Readable history (issue 11): an audit entry, or the step from one cached version of a user to the
 * next (local history), as lines a person reads: labelled fields, yes/no instead of true/false,
 * queue names and extension numbers instead of ids, instants in the local time zone. Pure: the
 * words come in through `HistoryWords`, so the same lines serve any audit view.
 */
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '../../../src-shared/domain';

/** The words and look-ups a description needs, in the current language. */
export interface HistoryWords {
  /** A field's label, or undefined when it has none (then the key is shown). */
  field(key: string): string | undefined;
  yes: string;
  no: string;
  /** A profile's name. */
  profile(profile: string): string;
  /** A queue's name by id (the id when the queue is unknown, e.g. deleted). */
  queueName(id: string): string;
  /** An instant in the local time zone. */
  dateTime(iso: string): string;
  /** An audit event type's label (the type itself when unknown). */
  action(action: string): string;
  /** "Etapas: a, b" of a batch entry. */
  steps(list: string): string;
}

/** Whether `action` is a type the console labels. */
export function isKnownAction(action: string): action is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(action);
}

/** Keys never shown: bookkeeping, or said by another key. */
const HIDDEN = new Set(['id', 'accountId', 'version', 'createdAt', 'updatedAt', 'selfManaged', 'queueId', 'userId', 'startedAt']);
/** Of a created user, only what an administrator chose. */
const CREATED_FIELDS = ['name', 'email', 'login', 'profile', 'active', 'webrtcEnabled', 'omnichannelEnabled', 'extension', 'voiceQueueIds', 'chatQueueIds'];
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

type Record_ = Record<string, unknown>;
const asRecord = (v: unknown): Record_ | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record_) : null);

/** One value as a person reads it. */
export function showValue(key: string, value: unknown, words: HistoryWords): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (key === 'profile' && typeof value === 'string') return words.profile(value);
  if ((key === 'voiceQueueIds' || key === 'chatQueueIds' || key === 'queueIds') && Array.isArray(value)) {
    return value.length === 0 ? '—' : value.map((id) => words.queueName(String(id))).join(', ');
  }
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map((v) => showValue('', v, words)).join(', ');
  const record = asRecord(value);
  if (record) {
    // An extension ({ id, number }) or a queue session ({ queueName, … }) by what a person knows it by.
    if (typeof record.number === 'string') return record.number;
    if (typeof record.queueName === 'string') return record.queueName;
    if (typeof record.name === 'string') return record.name;
    return Object.entries(record)
      .filter(([k]) => !HIDDEN.has(k))
      .map(([k, v]) => `${words.field(k) ?? k}: ${showValue(k, v, words)}`)
      .join('; ');
  }
  if (typeof value === 'string' && ISO_INSTANT.test(value)) return words.dateTime(value);
  return String(value);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** `field: before → after` for each key that differs (both sides objects). */
export function describeDiff(before: Record_, after: Record_, words: HistoryWords): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !HIDDEN.has(k));
  return keys.filter((k) => !same(before[k], after[k])).map((k) => `${words.field(k) ?? k}: ${showValue(k, before[k], words)} → ${showValue(k, after[k], words)}`);
}

/** `field: value` for each shown key of one side. */
function describeState(state: Record_, words: HistoryWords, keys: string[] = Object.keys(state)): string[] {
  return keys.filter((k) => !HIDDEN.has(k) && k in state).map((k) => `${words.field(k) ?? k}: ${showValue(k, state[k], words)}`);
}

/** The lines of one audit entry. */
export function describeAuditEntry(entry: Pick<AuditEntry, 'action' | 'before' | 'after'>, words: HistoryWords): string[] {
  const before = asRecord(entry.before);
  let after = asRecord(entry.after);
  const lines: string[] = [];
  // A batch entry: { user, steps } after, the user (or nothing, when created) before.
  if ((entry.action === 'user.batch_updated' || entry.action === 'user.batch_created') && after && asRecord(after.user)) {
    const steps = Array.isArray(after.steps) ? after.steps.map((s) => words.action(String(asRecord(s)?.action ?? ''))) : [];
    after = asRecord(after.user);
    if (steps.length > 0) lines.push(words.steps([...new Set(steps)].join(', ')));
  }
  // The queues a user was logged out of: a list of sessions before, nothing after.
  if (Array.isArray(entry.before) && entry.after === null) {
    return [`${words.field('queues') ?? 'queues'}: ${showValue('queues', entry.before, words)}`];
  }
  if (before && after) return [...lines, ...describeDiff(before, after, words)];
  if (after) return [...lines, ...describeState(after, words, entry.action.endsWith('created') && 'login' in after ? CREATED_FIELDS : undefined)];
  if (before) return [...lines, ...describeState(before, words, 'login' in before ? ['name', 'login', 'email'] : undefined)];
  return lines;
}
