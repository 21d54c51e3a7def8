/**
 * Issue 16 item 1: the answer stored for an Idempotency-Key commits in the same transaction as the
 * write, for every keyed route. Faults are injected at the point between the write and the
 * response: (1) storing the answer fails (a SQLite trigger), so nothing of the write may remain;
 * (2) the platform process is killed (SIGKILL) right after the commit, so the retry must replay
 * the original answer, and no second email may be queued.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, findUser, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Runs SQL on the platform's file from another connection (as an operator's tool would). */
function exec(dbFile: string, sql: string): void {
  const db = new BetterSqlite3(dbFile);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

describe('issue 16: a keyed write and its stored answer are one transaction', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => p?.stop());

  // The faults are injected into the SQLite file (a trigger, a killed process on the same file).
  it.skipIf(process.env.PLATFORM_TEST_DIALECT === 'postgres')('issue 16 item 1: when storing the answer fails, no keyed route leaves its write or an email behind, and the retry runs once', async () => {
    const support = client(p.url, await signIn(p.url, 'suporte'));
    const token = await signIn(p.url, 'suporte');
    const agent = await findUser(p.url, token, 'agente08');
    const count = async (sql: string) => Number((await p.query<{ n: number }>(sql))[0]!.n);
    const snapshot = async () => ({
      users: await count('select count(*) n from users'),
      queues: await count('select count(*) n from queues'),
      extensions: await count('select count(*) n from extensions'),
      outbox: await count('select count(*) n from outbox'),
      resetTokens: await count('select count(*) n from reset_tokens'),
      audit: await count('select count(*) n from audit_entries'),
      agentVersion: await count(`select version n from users where id = '${agent.id}'`),
    });
    const routes = [
      { name: 'POST /users', call: (key: string) => support.post('/api/v1/users', { name: 'Falha Injetada', email: 'falha@example.com', login: 'falha-injetada', profile: 'agent', webrtcEnabled: true, omnichannelEnabled: true }, { 'idempotency-key': key }) },
      { name: 'POST /users/:id/password-reset', call: (key: string) => support.post(`/api/v1/users/${agent.id}/password-reset`, undefined, { 'idempotency-key': key }) },
      { name: 'PATCH /users/:id', call: (key: string) => support.patch(`/api/v1/users/${agent.id}`, { name: 'Agente Oito Editado' }, { 'idempotency-key': key, 'if-match': `"u-${agent.id}-${agent.version}"` }) },
      { name: 'POST /queues', call: (key: string) => support.post('/api/v1/queues', { name: 'Fila Injetada', kind: 'voice' }, { 'idempotency-key': key }) },
      { name: 'POST /extensions', call: (key: string) => support.post('/api/v1/extensions', { number: '7777' }, { 'idempotency-key': key }) },
    ];
    for (const route of routes) {
      const key = `fault-${route.name}`;
      const before = await snapshot();
      exec(p.dbFile, `create trigger fault before insert on idempotency_keys begin select raise(abort, 'injected fault'); end;`);
      const failed = await route.call(key);
      exec(p.dbFile, 'drop trigger fault;');
      expect(failed.status, route.name).toBe(500);
      await p.retryMail();
      // Nothing of the write is left: no row, no audit entry, no queued email, no reset token.
      expect(await snapshot(), route.name).toEqual(before);
      const first = await route.call(key);
      expect([200, 201, 202], route.name).toContain(first.status);
      const replay = await route.call(key);
      expect(replay.status, route.name).toBe(first.status);
      expect(replay.body, route.name).toEqual(first.body);
      expect(replay.headers.get('idempotent-replayed'), route.name).toBe('true');
    }
    // One reset email for the agent (the retry), one of each for the created user.
    await p.retryMail();
    expect(p.mailbox.list().filter((m) => m.to.includes(agent.email) && m.kind === 'password_reset')).toHaveLength(1);
    expect(p.mailbox.list().filter((m) => m.to.includes('falha@example.com')).map((m) => m.kind).sort()).toEqual(['extension_associated', 'password_reset']);
  });
});

describe('issue 16: a platform killed between the commit and the answer', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'omni-crash-'));
  });
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  async function startChild(crash: boolean): Promise<{ child: ChildProcess; url: string; mailboxUrl: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/integration/security/fixtures/crash-platform.ts'), join(dir, 'platform.sqlite')], {
      cwd: ROOT,
      env: { ...process.env, CRASH_AFTER_COMMIT: crash ? '1' : '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const line = await new Promise<string>((resolveLine, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolveLine);
      child.once('exit', (code) => reject(new Error(`platform child exited (${code})`)));
    });
    return { child, ...(JSON.parse(line) as { url: string; mailboxUrl: string }) };
  }

  it.skipIf(process.env.PLATFORM_TEST_DIALECT === 'postgres')('issue 16 item 1: the retry after a crash replays the original answer and no second email is queued', async () => {
    const first = await startChild(true);
    const token = await signIn(first.url, 'admin');
    const agent = await findUser(first.url, token, 'agente09');
    const exited = new Promise<NodeJS.Signals | null>((resolveExit) => first.child.once('exit', (_code, signal) => resolveExit(signal)));
    // The process dies after committing the reset, before answering: the client sees no answer.
    await expect(client(first.url, token).post(`/api/v1/users/${agent.id}/password-reset`, undefined, { 'idempotency-key': 'crash-1' })).rejects.toThrow();
    expect(await exited).toBe('SIGKILL');

    const second = await startChild(false);
    try {
      // Sessions are stored in the database: the client retries with the same token and key.
      const retry = await client(second.url, token).post(`/api/v1/users/${agent.id}/password-reset`, undefined, { 'idempotency-key': 'crash-1' });
      expect(retry.status).toBe(202);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body.sentTo).toBe(agent.email);
      const db = new BetterSqlite3(join(dir, 'platform.sqlite'), { readonly: true });
      try {
        const stored = db.prepare(`select response_json from idempotency_keys where key = 'crash-1'`).get() as { response_json: string };
        expect(JSON.parse(stored.response_json).body).toEqual(retry.body);
        const mails = db.prepare(`select count(*) n from outbox where to_address = ? and kind = 'password_reset'`).get(agent.email) as { n: number };
        expect(mails.n).toBe(1);
        const tokens = db.prepare(`select count(*) n from reset_tokens where user_id = ?`).get(agent.id) as { n: number };
        expect(tokens.n).toBe(1);
      } finally {
        db.close();
      }
      // The email the dead process queued goes out from the new one, once.
      const key = new URL(second.mailboxUrl).searchParams.get('key');
      let delivered: { to: string; kind: string }[] = [];
      for (let i = 0; i < 50 && delivered.length === 0; i++) {
        delivered = ((await client(second.url).get(`/api/v1/dev/mailbox?key=${key}`)).body.items as { to: string; kind: string }[]).filter((m) => m.to.includes(agent.email));
        if (delivered.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(delivered.map((m) => m.kind)).toEqual(['password_reset']);
    } finally {
      second.child.kill('SIGTERM');
    }
    // Two platform processes start here (tsx, migrations, demo seed): slow on a loaded machine.
  }, 180_000);
});
