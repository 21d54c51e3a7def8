/**
 * The Electron `SecretStore`: secrets encrypted with `safeStorage` (OS keychain / DPAPI /
 * libsecret) into files under the app's data folder. Refuses to store anything when encryption
 * is unavailable or would fall back to plain text (Linux `basic_text`).
 */
import { safeStorage } from 'electron';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSecretKey, type SecretStore } from '../auth/secret-store';

/** `safeStorage`-backed secret files in `<dir>/<key>.safe`. */
export class SafeStorageSecretStore implements SecretStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  private file(key: string): string {
    assertSecretKey(key);
    return join(this.dir, `${key}.safe`);
  }

  private assertEncrypted(): void {
    const plainText = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
    if (!safeStorage.isEncryptionAvailable() || plainText) {
      throw new Error('OS encryption is unavailable: the session is not stored (the console never keeps a token in plain text)');
    }
  }

  async get(key: string): Promise<string | null> {
    let blob: Buffer;
    try {
      blob = readFileSync(this.file(key));
    } catch {
      return null;
    }
    try {
      return safeStorage.decryptString(blob);
    } catch {
      return null;
    }
  }

  async set(key: string, value: string): Promise<void> {
    this.assertEncrypted();
    writeFileSync(this.file(key), safeStorage.encryptString(value), { mode: 0o600 });
  }

  async delete(key: string): Promise<void> {
    rmSync(this.file(key), { force: true });
  }
}
