/**
 * What every domain function needs: the database, the clock, the mailer, the public URL for links
 * and the password hasher. Built once by `startPlatform`; there are no module singletons.
 */
import type { Db } from '../db/database';
import type { Mailer } from '../mail/mailer';
import type { PasswordHasher } from '../auth/password-hasher';

/** The platform's services, passed to every domain function. */
export interface PlatformContext {
  db: Db;
  now: () => Date;
  mailer: Mailer;
  /** Base of links in emails (configured, or the listening URL); never taken from the Host header. */
  publicUrl: string;
  passwords: PasswordHasher;
}
