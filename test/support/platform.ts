/* eslint-disable @typescript-eslint/no-explicit-any -- test JSON bodies are checked by the assertions that read them */
/**
 * Integration-test helpers for the platform: a real server on 127.0.0.1 (random port) over a
 * SQLite file in its own temp folder (or its own schema on PostgreSQL in the `integration-pg`
 * project, see test-database.ts), the embedded SMTP sink, and a small fetch client.
 */
import { startPlatform, type PlatformOptions, type RunningPlatform } from '../../src-platform';
import { DEMO_PASSWORD } from '../../src-platform/server';
import { createTestDatabase, type TestDatabase } from './test-database';

/** A started test platform with its data folder and a settable clock. */
export interface TestPlatform extends RunningPlatform {
  dir: string;
  /** The database the platform runs on: a SQLite file or a PostgreSQL URL (`generateUsers` takes either). */
  database: string;
  /** Same as `database` (the name from before PostgreSQL). */
  dbFile: string;
  dialect: TestDatabase['dialect'];
  /** Moves the platform's clock forward. */
  advance(ms: number): void;
  /** SQL on the platform's database (to prove what is stored at rest), `?` placeholders. */
  query<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** Stops the server and removes the data folder. */
  stop(): Promise<void>;
}

/** Starts a platform (demo data by default) on a fresh database with cheap argon2 parameters. */
export async function startTestPlatform(options: Partial<PlatformOptions> = {}): Promise<TestPlatform> {
  const database = await createTestDatabase();
  let offset = 0;
  let platform: RunningPlatform;
  try {
    platform = await startPlatform({
      ...(database.dialect === 'postgres' ? { databaseUrl: database.target } : { dbFile: database.target }),
      demo: true,
      argon2: { memoryCost: 4096, timeCost: 1 },
      now: () => new Date(Date.now() + offset),
      ...options,
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    ...platform,
    dir: database.dir,
    database: database.target,
    dbFile: database.target,
    dialect: database.dialect,
    advance(ms) {
      offset += ms;
    },
    query: (sql, ...params) => database.query(sql, ...params),
    async stop() {
      await platform.close();
      await database.drop();
    },
  };
}

/** An HTTP answer: status, headers and the parsed JSON (or text) body. */
export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Calls the platform over real HTTP. */
export async function http<T = any>(
  base: string,
  method: string,
  url: string,
  init: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined = init.raw;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(base + url, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/** Signs in and returns the bearer token (fails the test otherwise). */
export async function signIn(base: string, login: string, account = 'demo', password = DEMO_PASSWORD): Promise<string> {
  const result = await http(base, 'POST', '/api/v1/auth/login', { body: { account, login, password } });
  if (result.status !== 200) throw new Error(`login ${login}@${account} failed: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body.token as string;
}

/** A bound client for one platform and (optionally) one token. */
export function client(base: string, token?: string) {
  return {
    get: <T = any>(url: string, headers?: Record<string, string>) => http<T>(base, 'GET', url, { token, headers }),
    post: <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => http<T>(base, 'POST', url, { token, body, headers }),
    put: <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => http<T>(base, 'PUT', url, { token, body, headers }),
    patch: <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => http<T>(base, 'PATCH', url, { token, body, headers }),
    delete: <T = any>(url: string, headers?: Record<string, string>) => http<T>(base, 'DELETE', url, { token, headers }),
  };
}

/** Finds a demo user by login through the API. */
export async function findUser(base: string, token: string, login: string): Promise<any> {
  const result = await http(base, 'GET', `/api/v1/users?limit=1000&q=${encodeURIComponent(login)}`, { token });
  const user = (result.body.items as any[]).find((u) => u.login === login);
  if (!user) throw new Error(`no user ${login}`);
  return user;
}

/** The first link in an email's text. */
export function linkIn(text: string): string {
  const match = /https?:\/\/\S+/.exec(text);
  if (!match) throw new Error(`no link in: ${text}`);
  return match[0];
}
