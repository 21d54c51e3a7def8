/** The platform API server's public surface (embedding, demo data, sessions for other sign-ins). */
export { startPlatform, seedDemo, generateUsers, createSession, DEMO_PASSWORD, DEMO_ACCOUNT_SLUG, SELF_MANAGED_ACCOUNT_SLUG } from './server';
export type { PlatformOptions, RunningPlatform, Mailbox } from './server';
