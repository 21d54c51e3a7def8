/**
 * Issue 11: the extension and queues chosen in the new-user form, sent with the creation, and
 * their pre-check (the platform stays the authority, and refuses the same cases).
 */
import type { Extension, QueueSummary } from '../../../src-shared/domain';
import type { FieldErrors } from '../../../src-shared/errors';
import { queueEligibilityRule } from '../../../src-shared/rules';
import type { Draft } from '../user-editor/draft';

/** What the form chose besides the user's fields ('' = no extension chosen). */
export type Assignments = { extensionId: string; queueIds: string[] };

export const NO_ASSIGNMENTS: Assignments = { extensionId: '', queueIds: [] };

/**
 * The extension the new user will have: the chosen one, or (R6) a free one the platform takes
 * when omnichannel is on, or none.
 */
function extensionAfterCreation(draft: Pick<Draft, 'omnichannelEnabled'>, assignments: Assignments, extensions: readonly Extension[]): { id: string } | null {
  if (assignments.extensionId) return { id: assignments.extensionId };
  if (draft.omnichannelEnabled && extensions.some((e) => e.userId === null)) return { id: 'free' };
  return null;
}

/**
 * Pre-checks the choices against the state the user is created with: R10 (an extension someone has
 * taken meanwhile) on `extensionId`, R8 per chosen queue on `queueIds` (entries `queueId:code`, so
 * the form can name the queue).
 */
export function validateAssignments(draft: Pick<Draft, 'omnichannelEnabled'>, assignments: Assignments, extensions: readonly Extension[], queues: readonly QueueSummary[]): FieldErrors {
  const errors: FieldErrors = {};
  if (assignments.extensionId) {
    const chosen = extensions.find((e) => e.id === assignments.extensionId);
    if (!chosen) errors.extensionId = ['not_found'];
    else if (chosen.userId !== null) errors.extensionId = ['extension_taken'];
  }
  const extension = extensionAfterCreation(draft, assignments, extensions);
  const queueErrors: string[] = [];
  for (const id of assignments.queueIds) {
    const queue = queues.find((q) => q.id === id);
    if (!queue) continue;
    const r8 = queueEligibilityRule({ omnichannelEnabled: draft.omnichannelEnabled, extension: extension ? { id: extension.id, number: '' } : null }, queue.kind);
    if (r8) queueErrors.push(`${queue.id}:${r8}`);
  }
  if (queueErrors.length > 0) errors.queueIds = queueErrors;
  return errors;
}

/** The request fields of the choices (nothing when nothing was chosen). */
export function assignmentFields(assignments: Assignments): { extensionId?: string; queueIds?: string[] } {
  return {
    ...(assignments.extensionId ? { extensionId: assignments.extensionId } : {}),
    ...(assignments.queueIds.length > 0 ? { queueIds: assignments.queueIds } : {}),
  };
}
