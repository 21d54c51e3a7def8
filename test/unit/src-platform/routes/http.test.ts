/**
 * Issue 12: a route that reads `Idempotency-Key` or `If-Match` must say so in its config, which is
 * what puts the header in the OpenAPI document; reading one undocumented fails at once.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ifMatchHeader, withIdempotency, type RouteDeps } from '../../../../src-platform/routes/http';
import type { Actor } from '../../../../src-platform/domain/actor';

const request = (config: Record<string, unknown>, headers: Record<string, string> = {}) =>
  ({ method: 'POST', headers, routeOptions: { url: '/api/v1/things', config } }) as unknown as FastifyRequest;

describe('undocumented header use (issue 12)', () => {
  it('issue 12: withIdempotency refuses to run on a route whose config does not declare idempotencyKey', async () => {
    let ran = false;
    const handler = async () => {
      ran = true;
      return { status: 201, body: {} };
    };
    await expect(withIdempotency({} as RouteDeps, request({}), {} as FastifyReply, {} as Actor, handler)).rejects.toThrow(/Idempotency-Key.*config/);
    expect(ran).toBe(false);
  });

  it('issue 12: If-Match is read only on a route that declares ifMatch', () => {
    expect(() => ifMatchHeader(request({}, { 'if-match': '"3"' }))).toThrow(/If-Match.*config/);
    expect(ifMatchHeader(request({ ifMatch: true }, { 'if-match': '"3"' }))).toBe('"3"');
    expect(ifMatchHeader(request({ ifMatch: true }, { 'if-match': '  ' }))).toBeUndefined();
  });
});
