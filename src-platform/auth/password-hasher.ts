/** Argon2id password hashing (R9: only a slow salted hash is stored). */
import argon2 from 'argon2';

/** Hashes and verifies passwords. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/**
 * Argon2id with OWASP's minimum profile (19 MiB, 2 passes, 1 lane): slow enough to make offline
 * guessing expensive, fast enough for a 2-core CI machine running many logins in tests.
 */
export function createArgon2Hasher(params: { memoryCost?: number; timeCost?: number } = {}): PasswordHasher {
  const options = { type: argon2.argon2id as 2, memoryCost: params.memoryCost ?? 19_456, timeCost: params.timeCost ?? 2, parallelism: 1 };
  return {
    hash: (password) => argon2.hash(password, options),
    async verify(hash, password) {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    },
  };
}

/** A fixed hash to verify against when no user matched, so a miss costs as much time as a hit. */
export const DUMMY_HASH_PASSWORD = 'dummy-password-for-timing-1';
