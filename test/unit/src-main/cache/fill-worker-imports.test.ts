/**
 * Issue 10: the first sync's worker threads start without zod. Loading it and building the
 * schemas cost each thread about 0.1 s before it could take its first page (the writer and the
 * checkpointer never need it; the parser only for a page its quick check refuses). Bundled as the
 * app's build does (code split), the worker's static imports reach no zod, and the schema is a
 * chunk the parser imports on first need; the parser, from source and from the app's own build
 * (out/main, when built: `npm test` builds first), loads it and keeps the pages in order.
 */
import { build, type Metafile } from 'esbuild';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { fillWorkerEntry, type WorkerEntry } from '../../../../src-main/cache/cache-filler';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../../..');

/** Everything an output imports statically, its chunks' imports included. */
function staticImports(meta: Metafile, output: string, seen = new Set<string>()): Set<string> {
  for (const imported of meta.outputs[output]?.imports ?? []) {
    if (imported.kind === 'dynamic-import' || seen.has(imported.path)) continue;
    seen.add(imported.path);
    if (imported.path in meta.outputs) staticImports(meta, imported.path, seen);
  }
  return seen;
}

describe('issue 10: the fill worker loads no zod at its start', () => {
  it('its static imports reach no zod; the users page schema is a chunk it imports on first need', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'fill-worker-imports-'));
    try {
      const { metafile } = await build({
        entryPoints: { 'fill-worker': join(ROOT, 'src-main', 'cache', 'fill-worker.ts') },
        absWorkingDir: ROOT,
        outdir,
        bundle: true,
        splitting: true,
        format: 'esm',
        platform: 'node',
        packages: 'external',
        metafile: true,
        write: false,
        logLevel: 'error',
      });
      const entry = Object.keys(metafile.outputs).find((file) => metafile.outputs[file]!.entryPoint?.endsWith('fill-worker.ts'))!;
      const loaded = staticImports(metafile, entry);
      expect([...loaded].filter((path) => path === 'zod' || path.startsWith('zod/'))).toEqual([]);
      expect(loaded).toContain('better-sqlite3');
      // The schema: imported dynamically, and that chunk does import zod.
      const lazy = metafile.outputs[entry]!.imports.filter((imported) => imported.kind === 'dynamic-import').map((imported) => imported.path);
      expect(lazy).toHaveLength(1);
      expect([...staticImports(metafile, lazy[0]!)]).toContain('zod');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

/** Posts the parser three pages at once (the first and last with a key the schema strips), then the end: all answered and written in order. */
async function parserKeepsOrder(entry: WorkerEntry): Promise<void> {
  const { port1, port2 } = new MessageChannel();
  const parser = new Worker(entry.url, { execArgv: entry.execArgv, workerData: { parse: true, accountId: 'acc', rows: port1 }, transferList: [port1] });
  try {
    const user = (id: string, extra: object = {}) => ({
      id, accountId: 'acc1', name: `User ${id}`, email: `${id}@x.io`, login: id, profile: 'agent', active: true, webrtcEnabled: true, omnichannelEnabled: true,
      passwordSet: false, mustChangePassword: false, selfManaged: false, extension: null, voiceQueueIds: [], chatQueueIds: [],
      version: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', ...extra,
    });
    const page = (cursor: string, users: object[], hasMore = true) => new TextEncoder().encode(JSON.stringify({ items: users, deletedIds: [], cursor, hasMore }));
    const toMain: Array<{ kind: string; cursor?: string }> = [];
    const toWriter: Array<{ kind: string; cursor?: string; rows?: unknown[][] }> = [];
    parser.on('message', (m) => toMain.push(m));
    port2.on('message', (m) => toWriter.push(m));
    // The first needs the schema (an unknown key, stripped); the next two and the end come at once behind it.
    parser.postMessage({ kind: 'page', body: page('1', [user('a', { nickname: 'A' })]) });
    parser.postMessage({ kind: 'page', body: page('2', [user('b')]) });
    parser.postMessage({ kind: 'page', body: page('3', [user('c', { nickname: 'C' })], false) });
    parser.postMessage({ kind: 'finish' });
    await vi.waitFor(
      () => {
        expect(toMain.filter((m) => m.kind === 'failed')).toEqual([]); // e.g. the schema's chunk did not load
        expect(toWriter).toHaveLength(4);
      },
      { timeout: 10_000 },
    );
    expect(toMain.map((m) => [m.kind, m.cursor])).toEqual([['page', '1'], ['page', '2'], ['page', '3']]);
    expect(toWriter.map((m) => [m.kind, m.cursor])).toEqual([['rows', '1'], ['rows', '2'], ['rows', '3'], ['finish', undefined]]);
    // Stripped: the stored user is the schema's, without the unknown key.
    const data = toWriter.slice(0, 3).map((m) => JSON.parse(m.rows![0]![2] as string) as Record<string, unknown>);
    expect(data.map((u) => [u.id, 'nickname' in u])).toEqual([['a', false], ['b', false], ['c', false]]);
  } finally {
    port2.close();
    await parser.terminate();
  }
}

/** The app's build (`npm run build`, which `npm test` runs first): its worker entry and the chunk it imports on first need. */
const BUILT_WORKER = join(ROOT, 'out', 'main', 'fill-worker.js');

describe('issue 10: the fill parser loads the users page schema for the first page its quick check refuses', () => {
  it('pages posted while the schema loads are answered and handed to the writer in the order they came', async () => {
    await parserKeepsOrder(fillWorkerEntry());
  });

  it.skipIf(!existsSync(BUILT_WORKER))('the same in the app\'s build (out/main: the schema is a chunk the worker imports)', async () => {
    await parserKeepsOrder({ url: pathToFileURL(BUILT_WORKER), execArgv: [] });
  });
});
