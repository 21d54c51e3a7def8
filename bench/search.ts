/**
 * #3 Search over the full cache through the IPC router (`searchUsers`, the handler's own path:
 * sender check, zod input, cache query, zod output), with a mixed set of realistic queries, versus
 * the platform's server-side search round trip (`GET /users?q=`) for the same queries.
 */
import type { BenchContext } from './context';
import type { BenchResult } from './report';
import { call } from './console';
import { median, percentile } from './stats';

/** The renderer's page size (users-store PAGE_SIZE). */
const PAGE = 100;

/**
 * A realistic mix as a supervisor types it: name prefixes, surnames, substrings, accents typed or
 * not, full e-mails and logins, partial numbers, one and two letters, upper case, and misses.
 * `users` bounds the generated numbers so every size of run finds something.
 */
export function realisticQueries(count: number, users: number): string[] {
  const n = (k: number) => String(Math.floor((k * 7919) % Math.max(users, 1)));
  const base = [
    'ana', 'bru', 'car', 'die', 'eli', 'fáb', 'fab', 'gabriela', 'heitor', 'íris', 'iris', 'joão', 'joao', 'lar', 'már', 'marcio', 'nat',
    'otávio', 'otavio', 'paula', 'rafael', 'sílvia', 'silvia', 'tiago', 'úrsula', 'vinícius', 'vinicius',
    'silva', 'souza', 'oliveira', 'santos', 'pereira', 'lima', 'carvalho', 'ferreira', 'rodrigues', 'almeida', 'costa', 'gomes', 'ribeiro',
    'martins', 'araújo', 'araujo', 'conceição', 'conceicao', 'ouza', 'eira', 'ntos', 'ibeir', 'ícius',
    'Ana Silva', 'Bruno Souza', 'Fábio Lima', 'joao costa', 'Paula Gomes', 'SILVA', 'SOUZA', 'Conceição',
    'a', 'b', 's', 'jo', 'an', 'ma', 'li',
    'agente01', 'agente', 'admin', 'supervisor', '@example.com', 'example', 'xyz', 'zzzz', 'nobody@nowhere.test',
  ];
  const numbered = (k: number) => [`bench.${n(k)}`, `bench.${n(k)}@example.com`, `${n(k)}`, `bench.${n(k).slice(0, 2)}`, `Souza ${n(k)}`];
  const out: string[] = [];
  for (let k = 0; out.length < count; k++) {
    out.push(base[k % base.length]!);
    if (k % 3 === 0) out.push(...numbered(k));
  }
  return out.slice(0, count);
}

/** Runs #3 on the console left by #1. */
export async function benchSearch(ctx: BenchContext): Promise<BenchResult> {
  const { platform, config } = ctx;
  if (!ctx.synced) throw new Error('search needs the initial sync first');
  const c = ctx.synced.console;
  const queries = realisticQueries(config.searchQueries, config.users);
  const ours: number[] = [];
  const peer: number[] = [];
  const search = (query: string) => call(c, 'searchUsers', { query, limit: PAGE });
  const platformSearch = async (query: string) => {
    const res = await fetch(`${platform.url}/api/v1/users?${new URLSearchParams({ q: query, limit: String(PAGE) })}`, {
      headers: { authorization: `Bearer ${platform.token}` },
    });
    const body = (await res.json()) as { items: unknown[] };
    if (res.status !== 200) throw new Error(`platform search ${query}: ${res.status}`);
    return body.items.length;
  };
  // One unmeasured pass each: statement caches and pages warm, as in a console that is in use.
  for (const q of queries.slice(0, 20)) {
    await search(q);
    await platformSearch(q);
  }
  let found = 0;
  for (const q of queries) {
    let t = performance.now();
    const result = await search(q);
    ours.push(performance.now() - t);
    if (result.items.length > 0) found++;
    t = performance.now();
    await platformSearch(q);
    peer.push(performance.now() - t);
  }
  const o = percentile(ours, 95);
  const p = percentile(peer, 95);
  config.log(`  search: ours p95 ${o.toFixed(2)} ms (median ${median(ours).toFixed(2)}), platform p95 ${p.toFixed(2)} ms`);
  return {
    id: 3,
    name: `Search (${queries.length} mixed queries)`,
    unit: 'ms p95',
    ours: o,
    baseline: p,
    baselineName: 'platform ?q= round trip',
    ratio: o / p,
    target: 'p95 ≤ 10 ms',
    met: o <= 10,
    notes: `median ${median(ours).toFixed(2)} ms vs ${median(peer).toFixed(2)} ms; ${found}/${queries.length} queries found users; total + first ${PAGE} rows`,
  };
}
