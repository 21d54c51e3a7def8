/** Shared helpers of the console's main-process tests: temp data folders and domain objects. */
import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { User } from '../../src-shared/domain';

/** A fresh temporary folder; `cleanup()` removes it. */
export function tempDir(prefix = 'omni-console-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A user with sensible defaults, for cache tests. */
export function makeUser(over: Partial<User> & { id: string }): User {
  return {
    accountId: 'acc-1',
    name: `User ${over.id}`,
    email: `${over.id}@example.com`,
    login: over.id,
    profile: 'agent',
    active: true,
    webrtcEnabled: false,
    omnichannelEnabled: false,
    passwordSet: false,
    mustChangePassword: false,
    selfManaged: false,
    extension: null,
    voiceQueueIds: [],
    chatQueueIds: [],
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

/** A cache file as another connection sees it: the users' key index, its users rows and distinct users. */
export function usersInFile(file: string): { key: boolean; rows: number; ids: number } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      key: db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'users_key'").pluck().get() === 1,
      rows: db.prepare('SELECT count(*) FROM users').pluck().get() as number,
      ids: db.prepare('SELECT count(DISTINCT id) FROM users').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}
