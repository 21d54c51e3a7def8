/**
 * #10 CSV import (issue 11): the dry run of a `csvRows`-row file against the full cache, through
 * the IPC router (stage in parts, parse, classify every row; nothing is sent), versus csv-parse
 * alone reading the same file (the floor: what parsing costs before any rule); and the apply of
 * `csvApplyRows` changed users through `applyCsvImport` (chunks of 500, each a `POST /users/batch`
 * with its key), versus the same number of items posted straight to the batch endpoint.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CSV_UPLOAD_PART_BYTES } from '../src-shared/csv-columns';
import type { BenchContext } from './context';
import type { BenchResult } from './report';
import { call, openConsole, signInAndSync } from './console';

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Runs #10 on a console of its own, synced with every user (the suite frees #1's before #6). */
export async function benchCsvImport(ctx: BenchContext): Promise<BenchResult[]> {
  const c = await openConsole(ctx.platform.url, ctx.platform.tempDir('csv-import'));
  try {
    await signInAndSync(c);
    return await measure(ctx, c);
  } finally {
    await c.dispose();
  }
}

async function measure(ctx: BenchContext, c: Awaited<ReturnType<typeof openConsole>>): Promise<BenchResult[]> {
  const { config, platform } = ctx;
  // A file like an administrator's: existing users (a third renamed), the rest new.
  const existing = (await call(c, 'searchUsers', { query: 'bench.', limit: 500 })).items;
  const rows: string[][] = [['Login', 'Nome', 'E-mail', 'Perfil', 'Habilitar WebRTC']];
  for (let i = 0; i < config.csvRows; i++) {
    const user = existing[i % Math.max(existing.length, 1)];
    if (user && i < existing.length) rows.push([user.login, i % 3 === 0 ? `${user.name} CSV` : user.name, user.email, 'Atendente', user.webrtcEnabled ? 'Sim' : 'Não']);
    else rows.push([`csv.${i}`, `Pessoa CSV ${i}`, `csv.${i}@example.com`, 'Atendente', 'Sim']);
  }
  const bytes = Buffer.from(stringify(rows, { bom: true, delimiter: ';' }), 'utf8');
  const stageAndPreview = async () => {
    const importId = randomUUID();
    for (let offset = 0; offset < bytes.length; offset += CSV_UPLOAD_PART_BYTES) {
      await call(c, 'stageCsvImport', { importId, offset, size: bytes.length, data: bytes.subarray(offset, offset + CSV_UPLOAD_PART_BYTES).toString('base64') });
    }
    return call(c, 'previewCsvImport', { importId });
  };
  await stageAndPreview(); // warm: the search index and statement caches, as in a console in use
  const dry = await timed(stageAndPreview);
  const floor = await timed(() => parse(bytes, { bom: true, delimiter: ';' }) as string[][]);
  const creates = dry.value.rows.filter((r) => r.status === 'create').length;
  const users = (await call(c, 'searchUsers', { query: '', limit: 1 })).total;

  // Apply: `csvApplyRows` renames (other users than the dry run's), then the same count straight to the batch endpoint.
  const pool = (await call(c, 'searchUsers', { query: 'bench.', sort: { by: 'login', dir: 'desc' }, limit: 500, offset: 0 })).items;
  for (let offset = 500; pool.length < config.csvApplyRows * 2; offset += 500) {
    const page = (await call(c, 'searchUsers', { query: 'bench.', sort: { by: 'login', dir: 'desc' }, limit: 500, offset })).items;
    if (page.length === 0) break;
    pool.push(...page);
  }
  const mine = pool.slice(0, config.csvApplyRows);
  const direct = pool.slice(config.csvApplyRows, config.csvApplyRows * 2);
  const applyFile = Buffer.from(stringify([['Login', 'Nome'], ...mine.map((u) => [u.login, `${u.name} aplicado`])], { bom: true, delimiter: ';' }), 'utf8');
  const importId = randomUUID();
  await call(c, 'stageCsvImport', { importId, offset: 0, size: applyFile.length, data: applyFile.toString('base64') });
  await call(c, 'previewCsvImport', { importId });
  const apply = await timed(async () => {
    for (;;) {
      const progress = await call(c, 'applyCsvImport', { importId, confirmQueueLogout: true });
      if (progress.pendingChunks === 0) return progress;
    }
  });
  const applied = apply.value.results.filter((r) => r.status === 'ok').length;
  const peer = await timed(async () => {
    for (let i = 0; i < direct.length; i += 500) {
      const items = direct.slice(i, i + 500).map((u) => ({ op: 'update', userId: u.id, ifMatch: `"u-${u.id}-${u.version}"`, changes: { name: `${u.name} direto` }, confirmQueueLogout: true }));
      const res = await fetch(`${platform.url}/api/v1/users/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${platform.token}`, 'idempotency-key': randomUUID() },
        body: JSON.stringify({ items }),
      });
      if (res.status !== 200) throw new Error(`batch: ${res.status}`);
      await res.json();
    }
  });
  return [
    {
      id: 10,
      name: `CSV import dry run (${config.csvRows.toLocaleString('en')} rows against ${users.toLocaleString('en')} cached users)`,
      unit: 'ms',
      ours: dry.ms,
      baseline: floor.ms,
      baselineName: 'csv-parse of the same file',
      ratio: dry.ms / floor.ms,
      target: 'report',
      met: null,
      notes: `${creates} create, ${dry.value.rows.length - creates} other rows; nothing sent`,
    },
    {
      id: 10,
      name: `CSV import apply (${config.csvApplyRows.toLocaleString('en')} rows)`,
      unit: 'ms',
      ours: apply.ms,
      baseline: peer.ms,
      baselineName: 'the same count posted to /users/batch',
      ratio: apply.ms / peer.ms,
      target: 'report',
      met: applied === mine.length,
      notes: `${applied} of ${mine.length} applied`,
    },
  ];
}
