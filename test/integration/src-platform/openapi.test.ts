/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI document is JSON read by the assertions */
/**
 * Issue 12 ("Operable"): the platform's OpenAPI document, as served at /api/v1/openapi.json, is
 * clean under Spectral's `spectral:oas` ruleset (recommended rules, plus parameter and tag
 * descriptions) with zero results of any severity, runs offline (the rulesets are npm packages),
 * and says what the running platform does: every operation's unauthenticated answer is one of its
 * documented statuses, and only operations marked `security: []` answer without a session.
 */
import { randomUUID } from 'node:crypto';
import spectralCore from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startTestPlatform, type TestPlatform } from '../../support/platform';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Spectral's results for a document: `spectral:oas` recommended rules plus the stricter ones we keep. */
async function lint(doc: unknown): Promise<{ code: string | number; path: (string | number)[]; message: string; severity: number }[]> {
  const spectral = new spectralCore.Spectral();
  spectral.setRuleset({
    extends: [[oas as any, 'recommended']],
    rules: { 'oas3-parameter-description': 'warn', 'tag-description': 'warn', 'openapi-tags': 'warn', 'operation-singular-tag': 'warn' },
  });
  return spectral.run(new spectralCore.Document(JSON.stringify(doc, null, 2), spectralParsers.Json));
}

describe('the OpenAPI document (issue 12)', () => {
  let p: TestPlatform;
  let doc: any;
  beforeAll(async () => {
    p = await startTestPlatform();
    doc = (await http(p.url, 'GET', '/api/v1/openapi.json')).body;
  });
  afterAll(async () => p?.stop());

  const operations = () =>
    Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as any })),
    );

  it('issue 12: Spectral spectral:oas finds nothing (0 errors, 0 warnings, 0 hints)', async () => {
    const results = await lint(doc);
    expect(results.map((r) => `${r.code} ${r.path.join('.')}: ${r.message}`)).toEqual([]);
  });

  it('issue 12: the lint catches an operation without id, description or declared tag, and a document without servers or contact (it can fail)', async () => {
    const broken = structuredClone(doc);
    broken.paths['/api/v1/undocumented'] = { get: { tags: ['nowhere'], responses: { 200: { description: 'OK' } } } };
    delete broken.servers;
    delete broken.info.contact;
    const codes = new Set((await lint(broken)).map((r) => r.code));
    for (const code of ['operation-operationId', 'operation-description', 'operation-tag-defined', 'oas3-api-servers', 'info-contact']) expect(codes).toContain(code);
  });

  it('issue 12: every operation has an id, a description, a declared tag and its 4XX one status at a time', () => {
    const declared = new Set((doc.tags as { name: string }[]).map((t) => t.name));
    expect(operations().length).toBeGreaterThan(25);
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.description?.length ?? 0, where).toBeGreaterThan(20);
      expect(op.tags?.length, where).toBe(1);
      expect(declared.has(op.tags[0]), where).toBe(true);
      const statuses = Object.keys(op.responses);
      expect(statuses.filter((s) => /^4\d\d$/.test(s)).length, where).toBeGreaterThan(0);
      expect(statuses, where).not.toContain('4XX');
      for (const status of statuses.filter((s) => s.startsWith('4'))) expect(op.responses[status].description, `${where} ${status}`).toMatch(/`[a-z_]+`/);
    }
  });

  it('issue 12: public routes say security: [] and every other operation documents 401', () => {
    const open = operations().filter(({ op }) => Array.isArray(op.security) && op.security.length === 0);
    expect(open.map(({ op }) => op.operationId).sort()).toEqual(['forgotPassword', 'getSignInProviders', 'login', 'loginWithMicrosoft', 'resetPassword']);
    for (const { path, method, op } of operations()) {
      if (open.some((o) => o.op === op)) continue;
      expect(op.responses['401'], `${method.toUpperCase()} ${path}`).toBeDefined();
    }
    expect(doc.security).toEqual([{ bearer: [] }]);
  });

  it('issue 12: If-Match and Idempotency-Key are header parameters of the routes that read them', () => {
    const header = (op: any, name: string) => (op.parameters ?? []).find((x: any) => x.in === 'header' && x.name === name);
    const patch = doc.paths['/api/v1/users/{id}'].patch;
    expect(header(patch, 'If-Match')).toMatchObject({ required: true });
    expect(patch.responses['412']).toBeDefined();
    expect(patch.responses['428']).toBeDefined();
    const keyed = operations().filter(({ op }) => header(op, 'Idempotency-Key'));
    for (const { op } of keyed) {
      expect(header(op, 'Idempotency-Key').required).toBe(false);
      expect(op.responses['422'].description).toContain('idempotency_key_mismatch');
    }
    expect(keyed.map(({ op }) => op.operationId)).toEqual(expect.arrayContaining(['createUser', 'updateUser', 'sendPasswordReset', 'createExtension', 'createQueue']));
  });

  it('issue 12: what each operation answers without a session is documented, and only public ones let it through', async () => {
    for (const { path, method, op } of operations()) {
      const url = path.replace(/\{[^}]+\}/g, () => randomUUID());
      const hasBody = op.requestBody !== undefined;
      const answer = await http(p.url, method.toUpperCase(), url, hasBody ? { body: {} } : {});
      const where = `${method.toUpperCase()} ${path} answered ${answer.status}`;
      expect(Object.keys(op.responses), where).toContain(String(answer.status));
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      if (!isPublic && !hasBody && !(op.parameters ?? []).some((x: any) => x.in === 'query' && x.required)) expect(answer.status, where).toBe(401);
      if (isPublic) expect(answer.status, where).not.toBe(401);
    }
  });
});
