/**
 * `npm run bench [-- --users N] [-- --only 1,3,7]`: runs the benchmark suite (100 000 users by
 * default), prints the table and writes `bench/results.json` (git-ignored). Exits 1 only if a
 * benchmark failed to run; missed targets are in the table.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine } from '../src-platform/cli-args';
import { FULL_CONFIG } from './context';
import { renderTable } from './report';
import { runSuite } from './suite';

const USAGE = `Usage: npm run bench [-- options]

Runs the nine benchmarks (each against a floor or peer measured in the same run; #8 and #9 on a
PostgreSQL cluster of their own, skipped with the reason when PostgreSQL is not installed), prints the table and
writes bench/results.json.

Options:
  --users N      users in the account (default ${FULL_CONFIG.users}; at least 100)
  --only 1,3,7   run only these benchmarks (numbers 1-11)
  -h, --help     show this help`;

const values = parseCommandLine(USAGE, { users: { type: 'string' }, only: { type: 'string' } });
const users = values.users === undefined ? FULL_CONFIG.users : Number(values.users);
if (!Number.isInteger(users) || users < 100) {
  console.error(`--users must be an integer ≥ 100 (got ${values.users})`);
  process.exit(2);
}
const only = values.only?.split(',').map(Number);
if (only && only.some((id) => !Number.isInteger(id) || id < 1 || id > 11)) {
  console.error(`--only takes benchmark numbers 1-11 (got ${values.only})`);
  process.exit(2);
}

const report = await runSuite({ ...FULL_CONFIG, users, log: (m) => console.error(m) }, only);
const file = join(import.meta.dirname, 'results.json');
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.log('');
console.log(renderTable(report.results));
console.log('');
const stolen = report.machine.stolenSeconds === null ? '' : `; CPU time stolen by the host: ${report.machine.stolenSeconds} s`;
console.log(`${report.seconds.toFixed(0)} s on ${report.machine.cpus} CPUs (load average at start ${report.machine.loadavgAtStart.join(' ')}${stolen}), ${report.machine.node}; written to ${file}`);
for (const r of report.results) if (r.notes) console.log(`  #${r.id} ${r.name}: ${r.notes}`);
process.exit(report.failures.length > 0 ? 1 : 0);
