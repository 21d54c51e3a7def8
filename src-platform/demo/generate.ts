/**
 * Generates N users for benchmarks (e.g. 100 000): one transaction, batched multi-row inserts, one
 * block of the change sequence.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../db/database';
import type { UserTable } from '../db/schema';
import { recountQueueMembers } from '../domain/queue-counts';
import { newUserRow } from '../domain/user-changes';

const FIRST = ['Ana', 'Bruno', 'Carla', 'Diego', 'Elisa', 'Fábio', 'Gabriela', 'Heitor', 'Íris', 'João', 'Larissa', 'Márcio', 'Natália', 'Otávio', 'Paula', 'Rafael', 'Sílvia', 'Tiago', 'Úrsula', 'Vinícius'];
const LAST = ['Silva', 'Souza', 'Oliveira', 'Santos', 'Pereira', 'Lima', 'Carvalho', 'Ferreira', 'Rodrigues', 'Almeida', 'Costa', 'Gomes', 'Ribeiro', 'Martins', 'Araújo', 'Conceição'];

/** A deterministic Brazilian-looking name for index i. */
export function demoName(i: number): string {
  return `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
}

/**
 * Inserts `n` agents into an account (slug or id), with logins `<prefix>.<i>`, in varied
 * agent-option states and without passwords; with `queueLinks`, as agents are in a real contact
 * center: each WebRTC agent in one of the account's voice queues, and each omnichannel agent in one
 * of its chat queues too (R8). `target` is an open database, a SQLite file path or a
 * PostgreSQL URL (safe while a platform runs on it: one transaction). Returns how many were inserted.
 */
export async function generateUsers(
  target: Db | string,
  account: string,
  n: number,
  options: { prefix?: string; now?: Date; queueLinks?: boolean } = {},
): Promise<number> {
  if (typeof target === 'string') {
    const db = await openDatabase(target);
    try {
      return await generateUsers(db, account, n, options);
    } finally {
      await db.destroy();
    }
  }
  const db = target;
  const row = await db.selectFrom('accounts').select('id').where((eb) => eb.or([eb('id', '=', account), eb('slug', '=', account)])).executeTakeFirst();
  if (!row) throw new Error(`no account ${account}`);
  const accountId = row.id;
  const prefix = options.prefix ?? 'gen';
  const at = (options.now ?? new Date()).toISOString();
  const queues = options.queueLinks ? await db.selectFrom('queues').select(['id', 'kind']).where('account_id', '=', accountId).orderBy('id').execute() : [];
  const voice = queues.filter((q) => q.kind === 'voice').map((q) => q.id);
  const chat = queues.filter((q) => q.kind === 'chat').map((q) => q.id);
  await db.transaction().execute(async (trx) => {
    const start = await trx
      .updateTable('meta')
      .set({ value: sql<number>`value + ${n}` })
      .where('key', '=', 'change_seq')
      .returning('value')
      .executeTakeFirstOrThrow();
    const firstSeq = start.value - n + 1;
    const batch = 500;
    for (let offset = 0; offset < n; offset += batch) {
      const rows: UserTable[] = [];
      const links: Array<{ queue_id: string; user_id: string; created_at: string }> = [];
      for (let i = offset; i < Math.min(n, offset + batch); i++) {
        const name = `${demoName(i)} ${i}`;
        const login = `${prefix}.${i}`;
        const email = `${login}@example.com`;
        const webrtc = i % 3 !== 0;
        const id = randomUUID();
        if (webrtc && voice.length > 0) links.push({ queue_id: voice[i % voice.length]!, user_id: id, created_at: at });
        if (webrtc && i % 2 === 0 && chat.length > 0) links.push({ queue_id: chat[i % chat.length]!, user_id: id, created_at: at });
        rows.push(
          newUserRow({
            id,
            accountId,
            name,
            email,
            login,
            profile: 'agent',
            active: i % 17 !== 0,
            webrtcEnabled: webrtc,
            omnichannelEnabled: webrtc && i % 2 === 0,
            changeSeq: firstSeq + i,
            at,
          }),
        );
      }
      await trx.insertInto('users').values(rows).execute();
      if (links.length > 0) await trx.insertInto('queue_members').values(links).execute();
    }
    if (queues.length > 0) await recountQueueMembers(trx, accountId, { at: new Date(at) });
  });
  return n;
}
