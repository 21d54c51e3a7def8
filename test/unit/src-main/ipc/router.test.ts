import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPERATION_NAMES, ipcOperations, type OperationName } from '../../../../src-shared/ipc-contract';
import { ServiceError } from '../../../../src-main/errors';
import { IpcRouter, isTrustedSender, type OperationHandlers } from '../../../../src-main/ipc/router';

const APP = { kind: 'electron', url: 'app://console/index.html', isTopFrame: true } as const;

/** Handlers that record every call that reaches a service. */
function recordingHandlers(calls: string[], answer: (name: OperationName, input: unknown) => unknown = () => ({ ok: true })) {
  return Object.fromEntries(
    OPERATION_NAMES.map((name) => [
      name,
      async (input: unknown) => {
        calls.push(name);
        return answer(name, input);
      },
    ]),
  ) as unknown as OperationHandlers;
}

function router(calls: string[], opts: { online?: boolean; answer?: (name: OperationName, input: unknown) => unknown } = {}) {
  return new IpcRouter({ handlers: recordingHandlers(calls, opts.answer), isOnline: () => opts.online ?? true, locale: () => 'en' });
}

describe('IPC router', () => {
  it('accepts the top frame of app://console and the authenticated browser-host socket only', () => {
    expect(isTrustedSender(APP)).toBe(true);
    expect(isTrustedSender({ kind: 'browser-host', authenticated: true })).toBe(true);
    for (const forged of [
      { ...APP, isTopFrame: false },
      { ...APP, url: 'https://evil.example/index.html' },
      { ...APP, url: 'app://evil/index.html' },
      { ...APP, url: 'file:///etc/passwd' },
      { ...APP, url: 'app://user:pw@console/' },
      { ...APP, url: 'not a url' },
      { kind: 'browser-host', authenticated: false },
      { kind: 'browser-host' },
      { kind: 'other', url: APP.url, isTopFrame: true },
      null,
      undefined,
      'app://console/',
    ]) {
      expect(isTrustedSender(forged), JSON.stringify(forged)).toBe(false);
    }
  });

  it('forged senders never reach a service (fast-check)', async () => {
    const calls: string[] = [];
    const r = router(calls);
    const senderArb = fc.oneof(
      fc.record({ kind: fc.constant('electron'), url: fc.webUrl(), isTopFrame: fc.boolean() }),
      fc.record({ kind: fc.constant('electron'), url: fc.constant('app://console/'), isTopFrame: fc.constant(false) }),
      fc.record({ kind: fc.constant('browser-host'), authenticated: fc.constantFrom(false, 'true', 1, null) }),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(senderArb, fc.constantFrom(...OPERATION_NAMES), async (sender, name) => {
        const result = await r.handle(sender, name, {});
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe('forbidden');
      }),
      { numRuns: 300 },
    );
    expect(calls).toEqual([]);
  });

  it('malformed arguments and unknown operations answer validation_failed and never reach a service (fast-check)', async () => {
    const calls: string[] = [];
    const r = router(calls);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPERATION_NAMES), fc.anything(), async (name, input) => {
        const valid = ipcOperations[name].input.safeParse(input === undefined ? {} : input).success;
        fc.pre(!valid);
        const before = calls.length;
        const result = await r.handle(APP, name, input);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe('validation_failed');
        expect(calls.length).toBe(before);
      }),
      { numRuns: 500 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string(), async (name) => {
        fc.pre(!Object.hasOwn(ipcOperations, name));
        const result = await r.handle(APP, name, {});
        expect(!result.ok && result.error.code).toBe('validation_failed');
      }),
    );
    expect(calls).toEqual([]);
  });

  it('extra fields and wrong types are refused with field errors', async () => {
    const calls: string[] = [];
    const r = router(calls);
    // Field names that exist on Object.prototype are reported like any other.
    const proto = await r.handle(APP, 'getSession', JSON.parse('{"toString": 1, "__proto__": 2}'));
    expect(proto).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    if (!proto.ok) expect(Object.keys(proto.error.fieldErrors ?? {}).sort()).toEqual(['__proto__', 'toString']);
    const extra = await r.handle(APP, 'getUser', { id: 'u1', admin: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'validation_failed', fieldErrors: { admin: ['unrecognized_key'] } } });
    const wrong = await r.handle(APP, 'saveUser', { id: 'u1', baseVersion: '3', changes: {}, confirmQueueLogout: false });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(Object.keys(wrong.error.fieldErrors ?? {})).toContain('baseVersion');
    expect(calls).toEqual([]);
  });

  it('C1: write operations answer offline while the platform is unreachable; reads still run', async () => {
    const calls: string[] = [];
    const r = router(calls, { online: false, answer: () => ({ total: 0, items: [] }) });
    const save = await r.handle(APP, 'saveUser', { id: 'u1', baseVersion: 1, changes: { name: 'X' }, confirmQueueLogout: true });
    expect(save).toEqual({ ok: false, error: { code: 'offline', message: 'No connection to the platform: changes are disabled.' } });
    const writes = OPERATION_NAMES.filter((n) => ipcOperations[n].write);
    expect(writes).toContain('createUser');
    const search = await r.handle(APP, 'searchUsers', {});
    expect(search.ok).toBe(true);
    expect(calls).toEqual(['searchUsers']);
  });

  it('maps service errors to code, localized message, field errors and details; hides unexpected errors', async () => {
    const r = new IpcRouter({
      handlers: recordingHandlers([], (name) => {
        if (name === 'getUser') throw new ServiceError('stale_version', 'x', { fieldErrors: { name: ['changed'] }, details: { current: 1 } });
        throw new Error('secret internals');
      }),
      isOnline: () => true,
      locale: () => 'pt-BR',
    });
    expect(await r.handle(APP, 'getUser', { id: 'u1' })).toEqual({
      ok: false,
      error: {
        code: 'stale_version',
        message: 'Outra pessoa alterou este registro. Recarregue para ver a versão atual.',
        fieldErrors: { name: ['changed'] },
        details: { current: 1 },
      },
    });
    const hidden = await r.handle(APP, 'listQueues', {});
    expect(hidden).toEqual({ ok: false, error: { code: 'internal_error', message: 'Erro inesperado.' } });
  });

  it('validates outputs too: a service answer outside the contract becomes internal_error', async () => {
    const r = router([], { answer: () => ({ locale: 'fr' }) });
    const result = await r.handle(APP, 'getSettings', {});
    expect(!result.ok && result.error.code).toBe('internal_error');
  });
});
