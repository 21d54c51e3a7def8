/**
 * Issue 17.2: a lone surrogate in an id passed validation and then broke URL building
 * (`encodeURIComponent` throws). Every id, login, account and search text entering through the IPC
 * router is refused with `validation_failed` when it is not well-formed text, and whatever does pass
 * can be put into a URL by the platform client's path builder.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPERATION_NAMES, ipcOperations, type OperationName } from '../../../../src-shared/ipc-contract';
import { ILL_FORMED_TEXT, isWellFormedText } from '../../../../src-shared/text';
import { IpcRouter, type OperationHandlers } from '../../../../src-main/ipc/router';
import { apiPath } from '../../../../src-main/platform/platform-client';

const APP = { kind: 'electron', url: 'app://console/index.html', isTopFrame: true } as const;

type Path = readonly string[];
/** A valid input of each operation taking text from outside, and where that text sits in it. */
const TEXT_FIELDS: ReadonlyArray<{ op: OperationName; input: Record<string, unknown>; fields: Path[] }> = [
  { op: 'getProviders', input: { account: 'demo' }, fields: [['account']] },
  { op: 'signIn', input: { account: 'demo', login: 'admin', password: 'Girassol-Pesqueiro-93' }, fields: [['account'], ['login']] },
  { op: 'signInMicrosoft', input: { account: 'demo' }, fields: [['account']] },
  { op: 'forgotPassword', input: { account: 'demo', login: 'admin' }, fields: [['account'], ['login']] },
  { op: 'searchUsers', input: { query: 'ana', filters: { queueId: 'q1' } }, fields: [['query'], ['filters', 'queueId']] },
  { op: 'getUser', input: { id: 'u1' }, fields: [['id']] },
  { op: 'saveUser', input: { id: 'u1', baseVersion: 1, changes: { login: 'ana.souza' }, confirmQueueLogout: false }, fields: [['id'], ['changes', 'login']] },
  { op: 'createUser', input: { name: 'Ana', email: 'ana@example.com', login: 'ana.souza', profile: 'agent', extensionId: 'e1', queueIds: ['q1'] }, fields: [['login'], ['extensionId'], ['queueIds', '0']] },
  { op: 'resetPassword', input: { id: 'u1' }, fields: [['id']] },
  { op: 'setPassword', input: { id: 'u1', password: 'Temporaria2026', passwordConfirmation: 'Temporaria2026' }, fields: [['id']] },
  { op: 'getUserAudit', input: { id: 'u1' }, fields: [['id']] },
  { op: 'getUserLocalHistory', input: { id: 'u1' }, fields: [['id']] },
  { op: 'getUserQueueSessions', input: { id: 'u1' }, fields: [['id']] },
  { op: 'assignExtension', input: { userId: 'u1', extensionId: 'e1' }, fields: [['userId'], ['extensionId']] },
  { op: 'releaseExtension', input: { userId: 'u1' }, fields: [['userId']] },
  { op: 'addQueueMember', input: { queueId: 'q1', userId: 'u1' }, fields: [['queueId'], ['userId']] },
  { op: 'removeQueueMember', input: { queueId: 'q1', userId: 'u1' }, fields: [['queueId'], ['userId']] },
];
const CASES = TEXT_FIELDS.flatMap(({ op, input, fields }) => fields.map((path) => ({ op, input, path })));

function withValue(input: Record<string, unknown>, path: Path, value: string): Record<string, unknown> {
  const copy = structuredClone(input);
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[path.at(-1)!] = value;
  return copy;
}

function valueAt(input: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], input);
}

/**
 * Handlers that put every text field they receive into a URL, as the platform client does (ids as
 * path segments, the rest as query values), and keep what that threw.
 */
function urlBuildingHandlers(calls: string[], urlErrors: unknown[] = []) {
  return Object.fromEntries(
    OPERATION_NAMES.map((name) => [
      name,
      async (input: unknown) => {
        calls.push(name);
        for (const { path } of CASES.filter((c) => c.op === name)) {
          const value = valueAt(input, path);
          try {
            if (typeof value !== 'string') continue;
            if (/id$/i.test(path.at(-1)!)) void apiPath`/x/${value}`;
            else encodeURIComponent(value);
          } catch (err) {
            urlErrors.push(err);
          }
        }
        // No output fits every operation: the router answers internal_error for it, which is not what is tested.
        return {};
      },
    ]),
  ) as unknown as OperationHandlers;
}

const loneSurrogate = fc.oneof(fc.integer({ min: 0xd800, max: 0xdbff }), fc.integer({ min: 0xdc00, max: 0xdfff })).map((c) => String.fromCharCode(c));
const controlChar = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f })).map((c) => String.fromCharCode(c));
const word = fc.stringMatching(/^[a-z0-9]{1,8}$/);
/** Text with one ill-formed character inside it (not at the edges, where trimming could drop it). */
const illFormed = fc.tuple(word, fc.oneof(loneSurrogate, controlChar), word).map(([a, bad, b]) => a + bad + b);
/** Any UTF-16 code units at all, lone surrogates and control characters often. */
const anyUnits = fc.string({ unit: fc.oneof(loneSurrogate, controlChar, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 12 });

describe('issue 17.2: ill-formed text never passes the IPC contract', () => {
  it('the valid inputs of the table pass, so each refusal below is about the one changed field', async () => {
    for (const { op, input } of TEXT_FIELDS) expect(ipcOperations[op].input.safeParse(input).success, op).toBe(true);
  });

  it('a lone surrogate or control character in any id, login, account or search text is validation_failed and reaches no service (fast-check)', async () => {
    const calls: string[] = [];
    const r = new IpcRouter({ handlers: urlBuildingHandlers(calls), isOnline: () => true, locale: () => 'en' });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CASES), illFormed, async ({ op, input, path }, bad) => {
        const result = await r.handle(APP, op, withValue(input, path, bad));
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.code).toBe('validation_failed');
          expect(result.error.fieldErrors?.[path.join('.')]).toBeDefined();
        }
      }),
      { numRuns: 1000 },
    );
    expect(calls).toEqual([]);
  });

  it('whatever text the contract lets through can be put into a URL: the path builder never throws on it (fast-check)', async () => {
    const calls: string[] = [];
    const urlErrors: unknown[] = [];
    const r = new IpcRouter({ handlers: urlBuildingHandlers(calls, urlErrors), isOnline: () => true, locale: () => 'en' });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CASES), anyUnits, async ({ op, input, path }, text) => {
        const before = calls.length;
        const result = await r.handle(APP, op, withValue(input, path, text));
        if (!result.ok && result.error.code === 'validation_failed') {
          expect(calls.length).toBe(before);
          return;
        }
        // It reached the handler, which built a URL from it without throwing.
        expect(calls.length).toBe(before + 1);
        expect(urlErrors).toEqual([]);
        expect(isWellFormedText(text.trim())).toBe(true);
      }),
      { numRuns: 2000 },
    );
    // The property saw both sides.
    expect(calls.length).toBeGreaterThan(0);
  });

  it('names the problem in the field errors', async () => {
    const r = new IpcRouter({ handlers: urlBuildingHandlers([]), isOnline: () => true, locale: () => 'pt-BR' });
    const result = await r.handle(APP, 'getUser', { id: 'u\uD800' });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation_failed', fieldErrors: { id: [ILL_FORMED_TEXT] } } });
    // Dot segments are well formed but would collapse the URL path (`/users/..` is `/`).
    for (const id of ['.', '..']) {
      expect(await r.handle(APP, 'resetPassword', { id })).toMatchObject({ ok: false, error: { code: 'validation_failed', fieldErrors: { id: ['dot_segment'] } } });
    }
  });
});
