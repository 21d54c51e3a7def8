/** Opaque random tokens (sessions, reset links): only their SHA-256 hash is stored. */
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes (256 bits), base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 hex of a token: what the database keeps. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
