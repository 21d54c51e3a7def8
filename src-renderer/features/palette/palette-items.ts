/**
 * The command palette's fixed entries (issue 11): screens, queues and actions, filtered the way the
 * console's local search matches (accent- and case-insensitive substring, src-shared `searchKey`),
 * so "filas de voz" finds "Filas de Voz" and "jose" finds "José" everywhere in the palette.
 */
import { searchKey } from '../../../src-shared/search';

/** One entry of the palette. */
export interface PaletteEntry {
  /** Unique id (cmdk's item value). */
  id: string;
  group: 'screens' | 'actions' | 'queues' | 'users';
  label: string;
  /** A second line (a user's login and email, a queue's channel). */
  detail?: string;
  /** Why it cannot run now (offline, profile), shown beside it; the entry is disabled. */
  disabledReason?: string | null;
  run(): void;
}

/** The entries matching `query` (all of them when it is empty). */
export function matchEntries(entries: readonly PaletteEntry[], query: string): PaletteEntry[] {
  const q = searchKey(query);
  if (!q) return [...entries];
  return entries.filter((e) => searchKey(`${e.label}\n${e.detail ?? ''}`).includes(q));
}
