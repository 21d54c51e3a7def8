/**
 * Runs the benchmark platform in its own process (as a real platform is: never in the console's
 * process), so the console's CPU and the platform's are measured apart. Started by `fixture.ts`:
 * argv[2] is the data folder, argv[3] the number of users to generate, argv[4] (optional) a
 * PostgreSQL URL to run on instead of `<data folder>/platform.sqlite` (#8, #9). Prints one JSON
 * line `{ url, dbFile, userCount }` when ready; exits when stdin closes or on SIGTERM.
 */
import { join } from 'node:path';
import { generateUsers, startPlatform } from '../src-platform';
import { openDatabase } from '../src-platform/db/database';

const [dir, count, databaseUrl] = process.argv.slice(2);
if (!dir || !count || !/^\d+$/.test(count)) {
  console.error('usage: platform-child <data-dir> <users> [postgres-url]');
  process.exit(2);
}
const dbFile = databaseUrl ?? join(dir, 'platform.sqlite');
// Cheap argon2: sign-in is not what the benchmarks measure.
const platform = await startPlatform({ ...(databaseUrl ? { databaseUrl } : { dbFile }), demo: true, argon2: { memoryCost: 4096, timeCost: 1 } });
const db = await openDatabase(dbFile);
let userCount: number;
try {
  const account = await db.selectFrom('accounts').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow();
  // Agents in queues, as in a real contact center (the console's cache and catalog carry the links).
  await generateUsers(db, account.id, Number(count), { prefix: 'bench', queueLinks: true });
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', account.id)
    .executeTakeFirstOrThrow();
  userCount = Number(row.n);
} finally {
  await db.destroy();
}
process.stdout.write(`${JSON.stringify({ url: platform.url, dbFile, userCount })}\n`);

let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  void platform.close().finally(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
