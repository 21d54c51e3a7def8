/**
 * Generates N users for benchmarks (e.g. 100 000): one transaction, batched multi-row inserts, one
 * block of the change sequence.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../db/database';
import type { UserTable } from '../db/schema';
import { newUserRow } from '../domain/user-changes';

const FIRST = ['Ana', 'Bruno', 'Carla', 'Diego', 'Elisa', 'Fábio', 'Gabriela', 'Heitor', 'Íris', 'João', 'Larissa', 'Márcio', 'Natália', 'Otávio', 'Paula', 'Rafael', 'Sílvia', 'Tiago', 'Úrsula', 'Vinícius'];
const LAST = ['Silva', 'Souza', 'Oliveira', 'Santos', 'Pereira', 'Lima', 'Carvalho', 'Ferreira', 'Rodrigues', 'Almeida', 'Costa', 'Gomes', 'Ribeiro', 'Martins', 'Araújo', 'Conceição'];

/** A deterministic Brazilian-looking name for index i. */
export function demoName(i: number): string {
  return `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
}

/**
 * Inserts `n` agents into an account (slug or id), with logins `<prefix>.<i>`, in varied
 * agent-option states and without passwords. `target` is an open database, a SQLite file path or a
 * PostgreSQL URL (safe while a platform runs on it: one transaction). Returns how many were inserted.
 */
export async function generateUsers(target: Db | string, account: string, n: number, options: { prefix?: string; now?: Date } = {}): Promise<number> {
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
      for (let i = offset; i < Math.min(n, offset + batch); i++) {
        const name = `${demoName(i)} ${i}`;
        const login = `${prefix}.${i}`;
        const email = `${login}@example.com`;
        const webrtc = i % 3 !== 0;
        rows.push(
          newUserRow({
            id: randomUUID(),
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
    }
  });
  return n;
}
