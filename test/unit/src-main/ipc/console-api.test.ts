import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import { EVENT_NAMES, OPERATION_NAMES, ipcEvents, ipcOperations } from '../../../../src-shared/ipc-contract';
import { buildConsoleApi, createConsoleApi, operationOfChannel } from '../../../../src-main/ipc/console-api';
import { bridgeScript } from '../../../../src-main/browser-host/bridge-script';

describe('consoleApi generation (preload and browser host)', () => {
  it('exposes exactly one method per operation and per event, frozen, without a generic send', async () => {
    const sent: Array<[string, unknown]> = [];
    const api = createConsoleApi(
      async (channel, input) => {
        sent.push([channel, input]);
        return { ok: true, value: null };
      },
      () => () => undefined,
    );
    expect(Object.keys(api).sort()).toEqual([...OPERATION_NAMES, ...EVENT_NAMES].sort());
    expect(Object.isFrozen(api)).toBe(true);
    expect('send' in api).toBe(false);
    expect('invoke' in api).toBe(false);
    expect(() => {
      (api as unknown as Record<string, unknown>).send = () => undefined;
    }).toThrow();
    await api.getUser({ id: 'u1' });
    await api.getSession({});
    expect(sent).toEqual([
      ['omni:getUser', { id: 'u1' }],
      ['omni:getSession', {}],
    ]);
  });

  it('subscribes events on their own channel and returns the unsubscribe function', () => {
    const subs: string[] = [];
    let unsubscribed = 0;
    const api = createConsoleApi(
      async () => ({ ok: true, value: null }),
      (channel, listener) => {
        subs.push(channel);
        listener({ online: false, offlineSince: null });
        return () => unsubscribed++;
      },
    );
    const seen: unknown[] = [];
    const off = api.onDidChangeConnection((p) => seen.push(p));
    off();
    expect(subs).toEqual(['omni:onDidChangeConnection']);
    expect(seen).toEqual([{ online: false, offlineSince: null }]);
    expect(unsubscribed).toBe(1);
    expect(() => (api.onDidChangeData as unknown as (x: unknown) => void)('nope')).toThrow(TypeError);
  });

  it('maps only contract channels back to operations', () => {
    expect(operationOfChannel('omni:saveUser')).toBe('saveUser');
    expect(operationOfChannel('omni:onDidChangeData')).toBeNull();
    expect(operationOfChannel('omni:__proto__')).toBeNull();
    expect(operationOfChannel('saveUser')).toBeNull();
  });

  it('the names-only channel list names exactly the contract, in its order (the preload bundles only the names)', () => {
    expect(OPERATION_NAMES).toEqual(Object.keys(ipcOperations));
    expect(EVENT_NAMES).toEqual(Object.keys(ipcEvents));
  });

  it('the browser host bridge builds window.consoleApi with the same factory, self-contained in a bare context', () => {
    // A context with no module scope: the factory's source must stand alone.
    const factory = runInNewContext(`(${buildConsoleApi.toString()})`) as typeof buildConsoleApi;
    const sent: string[] = [];
    const api = factory(OPERATION_NAMES, EVENT_NAMES, 'omni:', async (channel) => (sent.push(channel), { ok: true, value: null }), () => () => undefined);
    expect(Object.keys(api)).toEqual(Object.keys(createConsoleApi(async () => ({ ok: true, value: null }), () => () => undefined)));
    expect(Object.isFrozen(api)).toBe(true);
    void (api.saveUser as (i: unknown) => Promise<unknown>)({});
    expect(sent).toEqual(['omni:saveUser']);
    expect(bridgeScript()).toContain(buildConsoleApi.toString());
  });
});
