/**
 * Where the console keeps secrets at rest (the platform session token). Under Electron the
 * implementation is `electron/safe-storage-secret-store.ts` (OS keychain encryption, refuses plain
 * text); under plain Node (tests, browser host) an AES-256-GCM file store with an injected key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A small key → secret string store, encrypted at rest. */
export interface SecretStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Secret keys are file names: keep them to a safe alphabet. */
export function assertSecretKey(key: string): void {
  if (!/^[a-z0-9-]{1,64}$/.test(key)) throw new Error(`invalid secret key: ${key}`);
}

/** Keeps secrets in memory only (nothing survives the process). */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key) ?? null;
  }
  async set(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}

/**
 * Encrypts each secret with AES-256-GCM into `<dir>/<key>.secret` (iv | tag | ciphertext). The
 * 32-byte key is given by the caller (the browser host keeps one per data folder); a file that does
 * not decrypt reads as absent, so a changed key signs out instead of crashing.
 */
export class AesFileSecretStore implements SecretStore {
  constructor(
    private readonly dir: string,
    private readonly key: Buffer,
  ) {
    if (key.length !== 32) throw new Error('AesFileSecretStore needs a 32-byte key');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  private file(key: string): string {
    assertSecretKey(key);
    return join(this.dir, `${key}.secret`);
  }

  async get(key: string): Promise<string | null> {
    let blob: Buffer;
    try {
      blob = readFileSync(this.file(key));
    } catch {
      return null;
    }
    try {
      const iv = blob.subarray(0, 12);
      const tag = blob.subarray(12, 28);
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  async set(key: string, value: string): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    writeFileSync(this.file(key), Buffer.concat([iv, cipher.getAuthTag(), ciphertext]), { mode: 0o600 });
  }

  async delete(key: string): Promise<void> {
    rmSync(this.file(key), { force: true });
  }
}
