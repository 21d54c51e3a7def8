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

/** Runs #7 (two rows: listing and PATCH). */
export async function benchThroughput(ctx: BenchContext): Promise<BenchResult[]> {
  const { platform, config } = ctx;
  const dir = platform.tempDir('load');
  const headers = { authorization: `Bearer ${platform.token}`, 'accept-language': 'pt-BR' };
  const listBody = await (await fetch(`${platform.url}${LIST_PATH}`, { headers })).text();
  const users = await usersForPatch(platform.url, platform.token, 20_000);
  const sample = JSON.parse(listBody) as { items: unknown[] };
  const bare = await startBareFastify(listBody, JSON.stringify({ user: sample.items[0], loggedOutQueues: [] }));
  const common = { connections: config.loadConnections, seconds: config.loadSeconds };
  const results: BenchResult[] = [];
  try {
    const runs: Array<{ name: string; ours: LoadConfig; peer: LoadConfig }> = [
      {
        name: 'users page (GET, 100 users)',
        ours: { ...common, url: platform.url, method: 'GET', path: LIST_PATH, token: platform.token },
        peer: { ...common, url: bare.url, method: 'GET', path: '/bare/users' },
      },
      {
        name: 'user PATCH with If-Match',
        ours: { ...common, url: platform.url, method: 'PATCH', path: '/api/v1/users', token: platform.token, users },
        peer: { ...common, url: bare.url, method: 'PATCH', path: '/bare/users', users },
      },
    ];
    for (const run of runs) {
      const peer = await load(dir, run.peer);
      const ours = await load(dir, run.ours);
      const errors = ours.errors + ours.timeouts + ours.non2xx;
      const peerErrors = peer.errors + peer.timeouts + peer.non2xx;
      config.log(
        `  throughput ${run.name}: ours ${ours.requestsPerSecond.toFixed(0)} req/s p99 ${ours.p99} ms (${errors} errors), bare ${peer.requestsPerSecond.toFixed(0)} req/s p99 ${peer.p99} ms (${peerErrors} errors)`,
      );
      results.push({
        id: 7,
        name: `Platform throughput: ${run.name}`,
        unit: 'req/s',
        ours: ours.requestsPerSecond,
        baseline: peer.requestsPerSecond,
        baselineName: 'bare Fastify',
        ratio: ours.requestsPerSecond > 0 ? peer.requestsPerSecond / ours.requestsPerSecond : null,
        target: 'report; 0 errors',
        met: errors === 0,
        notes: `${config.loadConnections} connections, ${config.loadSeconds} s; p99 ${ours.p99} ms vs ${peer.p99} ms; ${ours.requests} requests, ${errors} errors/non-2xx`,
      });
    }
  } finally {
    await bare.close();
  }
  return results;
}
