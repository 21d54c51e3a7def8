// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { call, ConsoleError, on, toConsoleError } from '../../../src-renderer/api';
import { installFakeConsole } from './fake-console-api';

afterEach(() => {
  delete window.consoleApi;
});

describe('api.ts', () => {
  it('unwraps ok results and turns failures into ConsoleError with code, field errors and details', async () => {
    installFakeConsole({
      getSettings: () => ({ locale: 'en' }),
      saveUser: () => ({ code: 'webrtc_required', message: 'no', fieldErrors: { omnichannelEnabled: ['webrtc_required'] }, details: { x: 1 } }),
    });
    await expect(call('getSettings', {})).resolves.toEqual({ locale: 'en' });
    const err = await call('saveUser', { id: 'u', baseVersion: 1, changes: {}, confirmQueueLogout: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConsoleError);
    expect(err).toMatchObject({ code: 'webrtc_required', fieldErrors: { omnichannelEnabled: ['webrtc_required'] }, details: { x: 1 } });
  });

  it('a broken transport is a network_error, and a missing bridge an internal_error', async () => {
    installFakeConsole({});
    (window.consoleApi as unknown as Record<string, unknown>).getSession = () => Promise.reject(new Error('socket closed'));
    await expect(call('getSession', {})).rejects.toMatchObject({ code: 'network_error' });
    delete window.consoleApi;
    await expect(call('getSession', {})).rejects.toMatchObject({ code: 'internal_error' });
    expect(on('onDidChangeData', () => {})).toBeTypeOf('function');
  });

  it('events reach subscribers until they unsubscribe', () => {
    const fake = installFakeConsole({});
    const seen: unknown[] = [];
    const off = on('onDidChangeData', (p) => seen.push(p));
    fake.emit('onDidChangeData', { kinds: ['users'] });
    off();
    fake.emit('onDidChangeData', { kinds: ['queues'] });
    expect(seen).toEqual([{ kinds: ['users'] }]);
  });

  it('toConsoleError keeps ConsoleErrors and wraps anything else as internal_error', () => {
    const e = new ConsoleError({ code: 'forbidden', message: 'x' });
    expect(toConsoleError(e)).toBe(e);
    expect(toConsoleError('boom').code).toBe('internal_error');
  });
});
