/**
 * What changed between two versions of a user, field by field (issue 11: the bulk preview, the CSV
 * dry run and the local history all show the same diff). Pure; values are plain JSON so they cross
 * IPC as they are.
 */
import { z } from 'zod';
import type { User } from './domain';

/** The fields a diff looks at, in the order the console shows them. */
export const DIFF_FIELDS = ['name', 'email', 'login', 'profile', 'active', 'webrtcEnabled', 'omnichannelEnabled', 'extension', 'voiceQueueIds', 'chatQueueIds'] as const;
export type DiffField = (typeof DIFF_FIELDS)[number];

export const DiffValueSchema = z.union([z.string(), z.boolean(), z.null(), z.array(z.string())]);
export type DiffValue = z.infer<typeof DiffValueSchema>;
export const FieldChangeSchema = z.object({ field: z.enum(DIFF_FIELDS), before: DiffValueSchema, after: DiffValueSchema });
export type FieldChange = z.infer<typeof FieldChangeSchema>;

type Diffable = Pick<User, DiffField>;

/** A field's value as a diff shows it: the extension by its number, queue ids sorted. */
export function diffValue(user: Diffable, field: DiffField): DiffValue {
  if (field === 'extension') return user.extension?.number ?? null;
  if (field === 'voiceQueueIds' || field === 'chatQueueIds') return [...user[field]].sort();
  return user[field];
}

/** The fields whose values differ between `before` and `after`. */
export function diffUsers(before: Diffable, after: Diffable): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of DIFF_FIELDS) {
    const a = diffValue(before, field);
    const b = diffValue(after, field);
    if (JSON.stringify(a) !== JSON.stringify(b)) changes.push({ field, before: a, after: b });
  }
  return changes;
}
