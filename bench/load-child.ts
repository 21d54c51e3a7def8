/**
 * #7's load generator in its own process (so it does not share a CPU thread with the servers it
 * measures): one autocannon run, configured by the JSON file in argv[2]; prints one JSON line.
 * For PATCH runs it cycles through the given users and keeps each one's version from the answers,
 * so every request carries the right If-Match (a wrong one would be a 412, counted as an error).
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/** What the parent asks for. */
export interface LoadConfig {
  url: string;
  method: 'GET' | 'PATCH';
  path: string;
  token?: string;
  connections: number;
  seconds: number;
  /** PATCH: the users to edit (path gets `/<id>`), at their current versions. */
  users?: Array<{ id: string; version: number }>;
}

/** What the child prints. */
export interface LoadReport {
  requestsPerSecond: number;
  p99: number;
  p50: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadConfig;
const headers: Record<string, string> = { 'accept-language': 'pt-BR' };
if (config.token) headers.authorization = `Bearer ${config.token}`;

const users = config.users ?? [];
const versions = new Map(users.map((u) => [u.id, u.version]));
let next = 0;
let edits = 0;

const request: autocannon.Request =
  config.method === 'GET'
    ? { method: 'GET', path: config.path, headers }
    : {
        method: 'PATCH',
        setupRequest: (req) => {
          const user = users[next++ % users.length]!;
          const body = JSON.stringify({ name: `Carga ${edits++}`, confirmQueueLogout: true });
          return {
            ...req,
            method: 'PATCH',
            path: `${config.path}/${user.id}`,
            headers: { ...headers, 'content-type': 'application/json', 'if-match': `"u-${user.id}-${versions.get(user.id)}"` },
            body,
          };
        },
        onResponse: (status, body) => {
          if (status !== 200) return;
          try {
            const { user } = JSON.parse(body) as { user?: { id: string; version: number } };
            if (user) versions.set(user.id, user.version);
          } catch {
            // The bare peer answers a fixed body; nothing to track.
          }
        },
      };

const result = await autocannon({
  url: config.url,
  connections: config.connections,
  duration: config.seconds,
  requests: [request],
  timeout: 10,
});
const report: LoadReport = {
  requestsPerSecond: result.requests.average,
  p99: result.latency.p99,
  p50: result.latency.p50,
  requests: result.requests.total,
  errors: result.errors,
  timeouts: result.timeouts,
  non2xx: result.non2xx,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
