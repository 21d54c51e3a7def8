import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PlatformClient, apiPath } from '../../../../src-main/platform/platform-client';
import { PlatformError } from '../../../../src-main/platform/platform-error';
import { makeUser } from '../../../support/console-fixtures';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((ok) => s.close(ok))));
});

/** A real HTTP server on 127.0.0.1 that records requests and answers with `handler`. */
async function serve(handler: Handler) {
  const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res, body);
    });
  });
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen };
}

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

describe('PlatformClient', () => {
  it('sends the bearer token, Accept-Language, If-Match from the user version and an Idempotency-Key', async () => {
    const user = makeUser({ id: 'u1', version: 3 });
    const { url, seen } = await serve((_req, res) => json(res, 200, { user: { ...user, version: 4 }, loggedOutQueues: [] }));
    const client = new PlatformClient({ baseUrl: url, locale: () => 'en' });
    client.setToken('tok-1');
    const result = await client.updateUser({ id: 'u1', version: 3 }, { name: 'New' }, 'key-1');
    expect(result.user.version).toBe(4);
    expect(seen[0]).toMatchObject({ method: 'PATCH', url: '/api/v1/users/u1' });
    expect(seen[0]!.headers).toMatchObject({ authorization: 'Bearer tok-1', 'accept-language': 'en', 'if-match': '"u-u1-3"', 'idempotency-key': 'key-1' });
    expect(JSON.parse(seen[0]!.body)).toEqual({ name: 'New' });
  });

  it("maps the API's error body to a typed PlatformError with code, field errors and details", async () => {
    const { url } = await serve((_req, res) =>
      json(res, 422, { error: { code: 'webrtc_required', message: 'x', fieldErrors: { omnichannelEnabled: ['webrtc_required'] }, details: { a: 1 } } }),
    );
    const client = new PlatformClient({ baseUrl: url });
    const err = await client.getUser('u1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect(err).toMatchObject({ code: 'webrtc_required', status: 422, fieldErrors: { omnichannelEnabled: ['webrtc_required'] }, details: { a: 1 } });
  });

  it('maps bodies without an API error by status, and invalid success bodies to internal_error', async () => {
    let status = 412;
    const { url } = await serve((_req, res) => (status === 200 ? json(res, 200, { user: { id: 'broken' } }) : res.writeHead(status).end('nope')));
    const client = new PlatformClient({ baseUrl: url, retries: 0 });
    await expect(client.getUser('u1')).rejects.toMatchObject({ code: 'stale_version', status: 412 });
    status = 200;
    await expect(client.getUser('u1')).rejects.toMatchObject({ code: 'internal_error' });
  });

  it('issue 10: a plain users page is answered as sent (the quick check); one with an unknown key is stripped by the schema, and a bad one refused', async () => {
    const page = { items: [makeUser({ id: 'u1' })], deletedIds: ['u9'], cursor: 'c1', hasMore: false };
    let body: unknown = page;
    const { url } = await serve((_req, res) => json(res, 200, body));
    const client = new PlatformClient({ baseUrl: url, retries: 0 });
    expect(await client.listUsers({ limit: 10 })).toEqual(page);
    // A field this console does not know (a newer platform): the schema strips it, as before.
    body = { ...page, items: [{ ...page.items[0], newerField: 1 }], extra: true };
    const stripped = await client.listUsers({ limit: 10 });
    expect(stripped).toEqual(page);
    expect(stripped.items[0]).not.toHaveProperty('newerField');
    body = { ...page, items: [{ ...page.items[0], version: 'three' }] };
    await expect(client.listUsers({ limit: 10 })).rejects.toMatchObject({ code: 'internal_error', status: 200 });
  });

  it('retries GET after 503 with backoff, and reuses the Idempotency-Key when retrying a keyed POST', async () => {
    let calls = 0;
    const user = makeUser({ id: 'u1' });
    const { url, seen } = await serve((req, res) => {
      calls++;
      if (calls % 2 === 1) return json(res, 503, {});
      if (req.method === 'GET') return json(res, 200, { user });
      return json(res, 201, { user, emailsSent: [], extension: null });
    });
    const client = new PlatformClient({ baseUrl: url, backoffMs: 5 });
    await client.getUser('u1');
    await client.createUser({ name: 'A', email: 'a@b.co', login: 'aaa', profile: 'agent' }, 'key-9');
    expect(seen.map((s) => s.method)).toEqual(['GET', 'GET', 'POST', 'POST']);
    expect(seen.slice(2).map((s) => s.headers['idempotency-key'])).toEqual(['key-9', 'key-9']);
  });

  it('never retries a POST without an Idempotency-Key', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 503, {}));
    const client = new PlatformClient({ baseUrl: url, backoffMs: 1 });
    await expect(client.logout()).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(1);
  });

  it('C1: an unreachable platform is network_error and reported unreachable; a slow one is timeout', async () => {
    const { url } = await serve(() => undefined); // never answers
    const reach: boolean[] = [];
    const slow = new PlatformClient({ baseUrl: url, timeoutMs: 100, retries: 0 });
    slow.onReachability((r) => reach.push(r));
    await expect(slow.listQueueSummaries()).rejects.toMatchObject({ code: 'timeout', status: 0 });
    const closed = new PlatformClient({ baseUrl: 'http://127.0.0.1:1', retries: 1, backoffMs: 1 });
    closed.onReachability((r) => reach.push(r));
    await expect(closed.listQueueSummaries()).rejects.toMatchObject({ code: 'network_error', status: 0 });
    expect(reach).toEqual([false, false, false]);
    expect(await closed.probe()).toBe(false);
  });

  it('reports a 401 on an authenticated request (session over), not on a failed login', async () => {
    const { url } = await serve((req, res) =>
      json(res, 401, { error: { code: req.url!.includes('login') ? 'invalid_credentials' : 'session_expired', message: 'x' } }),
    );
    const expired: string[] = [];
    const client = new PlatformClient({ baseUrl: url });
    client.onUnauthorized((e) => expired.push(e.code));
    await expect(client.login({ account: 'demo', login: 'a', password: 'b' })).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(expired).toEqual([]);
    client.setToken('t');
    await expect(client.me()).rejects.toMatchObject({ code: 'session_expired' });
    expect(expired).toEqual(['session_expired']);
  });

  it('issue 17.2: the path builder refuses ill-formed and dot segments, and ill-formed query values, before anything is sent', async () => {
    expect(apiPath`/queues/${'q 1'}/members/${'a/b?c'}`).toBe('/queues/q%201/members/a%2Fb%3Fc');
    const { url, seen } = await serve((_req, res) => json(res, 200, {}));
    const client = new PlatformClient({ baseUrl: url, retries: 2, backoffMs: 1 });
    client.setToken('t');
    for (const id of ['u\uD800', '\uDC00', 'a\u0000b', '', '.', '..']) {
      await expect(client.getUser(id), JSON.stringify(id)).rejects.toMatchObject({ code: 'validation_failed' });
      await expect(client.removeQueueMember('q1', id)).rejects.toBeInstanceOf(PlatformError);
      await expect(client.resetPassword(id)).rejects.toMatchObject({ code: 'validation_failed' });
    }
    await expect(client.providers('demo\uD800')).rejects.toMatchObject({ code: 'validation_failed', fieldErrors: { account: ['ill_formed_text'] } });
    expect(seen).toEqual([]);
  });
});
