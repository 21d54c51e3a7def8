/**
 * #7 Platform throughput under `loadConnections` concurrent connections (autocannon in its own
 * process, bounded duration, 127.0.0.1): the users page listing and user PATCH with If-Match on
 * the benchmark platform, versus a bare Fastify route on the same machine in the same run (same
 * response bytes for the listing; a parsed JSON body and a fixed user for the PATCH).
 */
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { BenchContext } from './context';
import type { BenchResult } from './report';
import { firstJsonLine, spawnTsx } from './fixture';
import type { LoadConfig, LoadReport } from './load-child';

/** Runs one autocannon child. */
async function load(dir: string, config: LoadConfig): Promise<LoadReport> {
  const file = join(dir, `load-${config.method}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(config));
  const child = spawnTsx('bench/load-child.ts', [file]);
  child.stdin!.end();
  return firstJsonLine<LoadReport>(child, 'autocannon');
}

/** A bare Fastify server with the two peer routes. */
async function startBareFastify(listBody: string, patchBody: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get('/bare/users', async (_req, reply) => reply.type('application/json; charset=utf-8').send(listBody));
  app.patch('/bare/users/:id', async (req, reply) => {
    if (typeof req.body !== 'object' || req.body === null) return reply.code(400).send({ error: 'body' });
    return reply.type('application/json; charset=utf-8').send(patchBody);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
}

/** Fetches up to `count` users (id, version) from the platform's listing. */
async function usersForPatch(url: string, token: string, count: number): Promise<Array<{ id: string; version: number }>> {
  const out: Array<{ id: string; version: number }> = [];
  let cursor: string | undefined;
  while (out.length < count) {
    const qs = new URLSearchParams({ limit: '1000', ...(cursor ? { since: cursor } : {}) });
    const res = await fetch(`${url}/api/v1/users?${qs}`, { headers: { authorization: `Bearer ${token}` } });
    const page = (await res.json()) as { items: Array<{ id: string; version: number; profile: string }>; cursor: string; hasMore: boolean };
    // Agents only: editing the signed-in administrator or support users is not the load we model.
    out.push(...page.items.filter((u) => u.profile === 'agent').map(({ id, version }) => ({ id, version })));
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  return out.slice(0, count);
}

const LIST_PATH = '/api/v1/users?limit=100';

/** One side of a throughput comparison: where to GET the page and PATCH users, and which users. */
export interface LoadTarget {
  name: string;
  url: string;
  token?: string;
  listPath: string;
  patchPath: string;
  users: Array<{ id: string; version: number }>;
}

/** The platform at `url` as a load target (its users page; PATCH on up to 20 000 of its agents). */
export async function platformTarget(name: string, url: string, token: string): Promise<LoadTarget> {
  return { name, url, token, listPath: LIST_PATH, patchPath: '/api/v1/users', users: await usersForPatch(url, token, 20_000) };
}

/** The users page and PATCH with If-Match under the same load on `ours` and on `peer`: two rows (ratio = peer req/s ÷ ours). */
export async function compareLoad(ctx: BenchContext, ours: LoadTarget, peer: LoadTarget): Promise<Array<Omit<BenchResult, 'id'>>> {
  const { config } = ctx;
  const dir = ctx.platform.tempDir('load');
  const common = { connections: config.loadConnections, seconds: config.loadSeconds };
  const target = (t: LoadTarget, method: 'GET' | 'PATCH'): LoadConfig =>
    method === 'GET' ? { ...common, url: t.url, method, path: t.listPath, ...(t.token ? { token: t.token } : {}) } : { ...common, url: t.url, method, path: t.patchPath, users: t.users, ...(t.token ? { token: t.token } : {}) };
  const rows: Array<Omit<BenchResult, 'id'>> = [];
  for (const [name, method] of [['users page (GET, 100 users)', 'GET'], ['user PATCH with If-Match', 'PATCH']] as const) {
    const theirs = await load(dir, target(peer, method));
    const mine = await load(dir, target(ours, method));
    const errors = mine.errors + mine.timeouts + mine.non2xx;
    const peerErrors = theirs.errors + theirs.timeouts + theirs.non2xx;
    config.log(
      `  throughput ${name}: ${ours.name} ${mine.requestsPerSecond.toFixed(0)} req/s p99 ${mine.p99} ms (${errors} errors), ${peer.name} ${theirs.requestsPerSecond.toFixed(0)} req/s p99 ${theirs.p99} ms (${peerErrors} errors)`,
    );
    rows.push({
      name,
      unit: 'req/s',
      ours: mine.requestsPerSecond,
      baseline: theirs.requestsPerSecond,
      baselineName: peer.name,
      ratio: mine.requestsPerSecond > 0 ? theirs.requestsPerSecond / mine.requestsPerSecond : null,
      target: 'report; 0 errors',
      met: errors === 0 && peerErrors === 0,
      notes: `${config.loadConnections} connections, ${config.loadSeconds} s; p99 ${mine.p99} ms vs ${theirs.p99} ms; ${mine.requests} requests, ${errors} errors/non-2xx`,
    });
  }
  return rows;
}

/** Runs #7 (two rows: listing and PATCH) against a bare Fastify serving the same bytes. */
export async function benchThroughput(ctx: BenchContext): Promise<BenchResult[]> {
  const { platform } = ctx;
  const headers = { authorization: `Bearer ${platform.token}`, 'accept-language': 'pt-BR' };
  const listBody = await (await fetch(`${platform.url}${LIST_PATH}`, { headers })).text();
  const ours = await platformTarget('ours', platform.url, platform.token);
  const sample = JSON.parse(listBody) as { items: unknown[] };
  const bare = await startBareFastify(listBody, JSON.stringify({ user: sample.items[0], loggedOutQueues: [] }));
  try {
    const rows = await compareLoad(ctx, ours, { name: 'bare Fastify', url: bare.url, listPath: '/bare/users', patchPath: '/bare/users', users: ours.users });
    return rows.map((row) => ({ ...row, id: 7, name: `Platform throughput: ${row.name}` }));
  } finally {
    await bare.close();
  }
}
