import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AesFileSecretStore, MemorySecretStore } from '../../../../src-main/auth/secret-store';
import { tempDir } from '../../../support/console-fixtures';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('secret stores', () => {
  it('the AES file store keeps no plain text at rest and reads back what it wrote', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const key = randomBytes(32);
    const store = new AesFileSecretStore(t.dir, key);
    await store.set('platform-session', '{"token":"very-secret-token"}');
    const files = readdirSync(t.dir);
    expect(files).toEqual(['platform-session.secret']);
    expect(readFileSync(join(t.dir, files[0]!)).toString('latin1')).not.toContain('very-secret-token');
    expect(await new AesFileSecretStore(t.dir, key).get('platform-session')).toBe('{"token":"very-secret-token"}');
    // Another key cannot read it: absent, not a crash.
    expect(await new AesFileSecretStore(t.dir, randomBytes(32)).get('platform-session')).toBeNull();
    await store.delete('platform-session');
    expect(await store.get('platform-session')).toBeNull();
    await expect(store.set('../escape', 'x')).rejects.toThrow(/invalid secret key/);
  });

  it('the memory store forgets on delete', async () => {
    const store = new MemorySecretStore();
    await store.set('a', '1');
    expect(await store.get('a')).toBe('1');
    await store.delete('a');
    expect(await store.get('a')).toBeNull();
  });
});
