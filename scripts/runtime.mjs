/**
 * The guard every user-facing npm script runs first: the project runs on Node 24, which
 * `npm install` provides from the npm registry (the exact dependency `node`), and npm puts it
 * first on every script's PATH whatever Node the machine has. Where that runtime is missing, this
 * says in one line what is needed and exits 1, instead of a crash further on (better-sqlite3 needs
 * Node-API 10: Node 20 segfaults loading it).
 *
 * Written for any Node that can run ES modules (no newer syntax), since it may be an old one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pinned = (pkg.optionalDependencies && pkg.optionalDependencies.node) || '24';
const wantMajor = Number(String(pinned).split('.')[0]);
const have = process.versions.node;

if (Number(have.split('.')[0]) !== wantMajor) {
  const installed = existsSync(join(root, 'node_modules', 'node', 'bin', 'node'));
  const reason = !existsSync(join(root, 'node_modules'))
    ? `run \`npm install\` first: it fetches Node ${wantMajor} from the npm registry (the package node@${pinned})`
    : installed
      ? 'run the command through npm (`npm start`, `npm test`, `npm run <script>`), which puts the project\'s Node first'
      : `the package node@${pinned} is not installed: run \`npm install\` again, and if it cannot install for ${process.platform}-${process.arch}, install Node ${wantMajor} yourself`;
  console.error(`[omniconsole] Omniconsole runs on Node ${wantMajor}, and this is Node ${have}: ${reason}.`);
  process.exit(1);
}
