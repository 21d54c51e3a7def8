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

/** How a file-backed store turns a secret into bytes at rest and back (`open` throws on bytes it cannot read). */
export interface SecretSealer {
  seal(value: string): Buffer;
  open(blob: Buffer): string;
}

/**
 * Secrets at rest as one owner-only file each, `<dir>/<key>.<extension>` (folder 0700, files
 * 0600), sealed by `sealer`. A file that is missing or does not open reads as absent, so a changed
 * key signs out instead of crashing. The one file handling of every encrypted store (AES here,
 * Electron's `safeStorage` in `electron/`).
 */
export class SealedFileSecretStore implements SecretStore {
  constructor(
    private readonly dir: string,
    private readonly extension: string,
    private readonly sealer: SecretSealer,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  private file(key: string): string {
    assertSecretKey(key);
    return join(this.dir, `${key}.${this.extension}`);
  }

  async get(key: string): Promise<string | null> {
    let blob: Buffer;
    try {
      blob = readFileSync(this.file(key));
    } catch {
      return null;
    }
    try {
      return this.sealer.open(blob);
    } catch {
      return null;
    }
  }

  async set(key: string, value: string): Promise<void> {
    const file = this.file(key);
    writeFileSync(file, this.sealer.seal(value), { mode: 0o600 });
  }

  async delete(key: string): Promise<void> {
    rmSync(this.file(key), { force: true });
  }
}

/**
 * Encrypts each secret with AES-256-GCM into `<dir>/<key>.secret` (iv | tag | ciphertext). The
 * 32-byte key is given by the caller (the browser host keeps one per data folder).
 */
export class AesFileSecretStore extends SealedFileSecretStore {
  constructor(dir: string, key: Buffer) {
    if (key.length !== 32) throw new Error('AesFileSecretStore needs a 32-byte key');
    super(dir, 'secret', {
      seal(value) {
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', key, iv);
        const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
        return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
      },
      open(blob) {
        const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
        decipher.setAuthTag(blob.subarray(12, 28));
        return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
      },
    });
  }
}
