/**
 * What hosting teams operate the platform with: `GET /healthz` (the process answers),
 * `GET /readyz` (the database answers and every migration is applied; 503 while starting or
 * shutting down), and, behind its own option, Prometheus metrics at `GET /metrics` (prom-client):
 * request latency by route, outbox depth and failures, login failures.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from './db/database';
import { migrations } from './db/migrations';

/** The platform's Prometheus metrics (one registry per platform, so embedded platforms do not mix). */
export interface PlatformMetrics {
  registry: Registry;
  loginFailures: Counter;
}

/** Creates the registry; the outbox gauges read the database when scraped (shared by every instance). */
export function createMetrics(db: Db): PlatformMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Histogram({
    name: 'omniconsole_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'omniconsole_outbox_messages',
    help: 'Emails in the outbox by status (pending and retrying are the depth still to send; failed were given up).',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await db.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('status', '!=', 'sent').groupBy('status').execute();
      this.reset();
      for (const status of ['pending', 'retrying', 'failed']) this.set({ status }, 0);
      for (const row of rows) this.set({ status: row.status }, Number(row.n));
    },
  });
  const loginFailures = new Counter({
    name: 'omniconsole_login_failures_total',
    help: 'Failed password logins answered by this instance (wrong credentials or rate limited).',
    labelNames: ['reason'],
    registers: [registry],
  });
  return { registry, loginFailures };
}

/** Registers /healthz, /readyz and (with metrics) /metrics and the latency hook. */
export function registerOperations(app: FastifyInstance, db: Db, state: { closing: boolean }, metrics: PlatformMetrics | null): void {
  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    if (state.closing) return reply.code(503).send({ status: 'shutting_down' });
    try {
      const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
      const names = new Set(applied.rows.map((r) => r.name));
      const missing = Object.keys(migrations).filter((name) => !names.has(name));
      if (missing.length > 0) return reply.code(503).send({ status: 'migrations_pending', missing });
      return reply.send({ status: 'ready' });
    } catch {
      return reply.code(503).send({ status: 'database_unreachable' });
    }
  });
  if (!metrics) return;
  const histogram = metrics.registry.getSingleMetric('omniconsole_http_request_duration_seconds') as Histogram;
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern (`/api/v1/users/:id`), never the raw URL: ids and tokens stay out of labels.
    const route = request.routeOptions.url ?? 'unmatched';
    histogram.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (route === '/api/v1/auth/login' && (reply.statusCode === 401 || reply.statusCode === 429)) {
      metrics.loginFailures.inc({ reason: reply.statusCode === 401 ? 'invalid_credentials' : 'rate_limited' });
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store');
    return metrics.registry.metrics();
  });
}
