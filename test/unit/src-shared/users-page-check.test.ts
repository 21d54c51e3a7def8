import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROFILES, UserSchema } from '../../../src-shared/domain';
import { CatalogTagsSchema, ListUsersResponseSchema } from '../../../src-shared/platform-api';
import { USERS_PAGE_CHECK_KEYS, isPlainUsersPage } from '../../../src-shared/users-page-check';

/** Strings near every edge the schema checks: empty, dot segments, 64/65 characters, control characters, lone surrogates. */
const edgyString = fc.oneof(
  fc.constantFrom('', '.', '..', '...', 'a', 'x'.repeat(40), 'x'.repeat(41), 'x'.repeat(64), 'x'.repeat(65), 'a\u0000b', 'tab\tbed', '\u007f', '\u0085', '\ud800', 'ok\udc00', '😀', 'Ação'),
  fc.string({ maxLength: 70 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const id = fc.oneof({ weight: 4, arbitrary: fc.uuid() }, { weight: 1, arbitrary: edgyString });
const count = fc.oneof({ weight: 4, arbitrary: fc.nat() }, { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, 2 ** 53, 2 ** 53 - 1, -0, 1e300) });

const date = fc.oneof(fc.constant('2026-01-01T00:00:00.000Z'), fc.constantFrom('', 'x'.repeat(40), 'x'.repeat(41)), edgyString);

const userArb = fc.record({
  id,
  accountId: id,
  name: edgyString,
  email: edgyString,
  login: edgyString,
  profile: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PROFILES) }, { weight: 1, arbitrary: fc.constantFrom('Agent', 'root', '') }),
  active: fc.boolean(),
  webrtcEnabled: fc.boolean(),
  omnichannelEnabled: fc.boolean(),
  passwordSet: fc.boolean(),
  mustChangePassword: fc.boolean(),
  selfManaged: fc.boolean(),
  extension: fc.option(fc.record({ id, number: fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 10 }) }, { weight: 1, arbitrary: fc.constant(1001) }) }), { nil: null }),
  voiceQueueIds: fc.array(id, { maxLength: 3 }),
  chatQueueIds: fc.array(id, { maxLength: 3 }),
  version: count,
  createdAt: date,
  updatedAt: date,
});

const pageArb = fc.record(
  {
    items: fc.array(userArb, { maxLength: 4 }),
    deletedIds: fc.array(id, { maxLength: 3 }),
    cursor: fc.oneof(fc.string({ maxLength: 12 }), fc.constant(7)),
    hasMore: fc.oneof(fc.boolean(), fc.constant('true')),
    total: count,
    catalogTags: fc.oneof(
      { weight: 4, arbitrary: fc.record({ queues: fc.oneof(edgyString, fc.constant('x'.repeat(201))), extensions: edgyString }) },
      { weight: 1, arbitrary: fc.record({ queues: edgyString }) },
      { weight: 1, arbitrary: fc.record({ queues: edgyString, extensions: edgyString, other: edgyString }) },
      { weight: 1, arbitrary: fc.constantFrom(null, 'x', ['"a"', '"b"']) },
    ),
  },
  { requiredKeys: ['items', 'deletedIds', 'cursor', 'hasMore'] },
);

/** A change somewhere in a page: a key gone, a key more, or a value replaced by any JSON value, at the page, a user or an extension. */
const mutate = (page: Record<string, unknown>) =>
  fc.tuple(fc.constantFrom('drop', 'add', 'replace'), fc.constantFrom('page', 'user', 'extension'), fc.nat(), fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })).map(([how, where, n, key, value]) => {
    const copy = structuredClone(page) as Record<string, unknown>;
    const items = copy.items as Record<string, unknown>[];
    const target: Record<string, unknown> | undefined =
      where === 'page' ? copy : where === 'user' ? items[n % Math.max(items.length, 1)] : (items.find((u) => u.extension) as { extension: Record<string, unknown> } | undefined)?.extension;
    if (!target) return copy;
    const keys = Object.keys(target);
    if (how === 'drop' && keys.length) delete target[keys[n % keys.length]!];
    else if (how === 'add') target[key || '__proto__'] = value;
    else if (keys.length) target[keys[n % keys.length]!] = value;
    return copy;
  });

/** What the parser would do with a page: the quick check's answer must be the schema's. */
function agree(page: unknown) {
  // As it arrives: JSON text parsed (no undefined, no -0, own "__proto__" keys).
  const json = JSON.parse(JSON.stringify(page)) as unknown;
  const parsed = ListUsersResponseSchema.safeParse(json);
  expect(isPlainUsersPage(json)).toBe(parsed.success && isDeepStrictEqual(parsed.data, json));
}

describe('issue 10: the quick check of a users page', () => {
  it('knows exactly the keys of the users page schema (a schema change must change the check too)', () => {
    const sorted = (keys: readonly string[]) => [...keys].sort();
    expect(sorted(USERS_PAGE_CHECK_KEYS.user)).toEqual(sorted(Object.keys(UserSchema.shape)));
    expect(sorted(USERS_PAGE_CHECK_KEYS.extension)).toEqual(sorted(Object.keys(UserSchema.shape.extension.unwrap().shape)));
    expect(sorted(USERS_PAGE_CHECK_KEYS.page)).toEqual(sorted(Object.keys(ListUsersResponseSchema.shape)));
    expect(sorted(USERS_PAGE_CHECK_KEYS.catalogTags)).toEqual(sorted(Object.keys(CatalogTagsSchema.shape)));
  });

  it('says yes to a valid page', () => {
    const page = {
      items: [
        {
          id: 'u1', accountId: 'acc1', name: 'Ana', email: 'ana@x.io', login: 'ana', profile: 'agent', active: true, webrtcEnabled: true, omnichannelEnabled: true,
          passwordSet: false, mustChangePassword: false, selfManaged: false, extension: { id: 'e1', number: '1001' }, voiceQueueIds: ['q1'], chatQueueIds: [],
          version: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
        },
      ],
      deletedIds: ['u9'],
      cursor: '12',
      hasMore: false,
    };
    expect(isPlainUsersPage(page)).toBe(true);
    expect(isPlainUsersPage({ ...page, total: 1 })).toBe(true);
    expect(isPlainUsersPage({ ...page, extra: 1 })).toBe(false);
    expect(isPlainUsersPage({ ...page, catalogTags: { queues: '"q1"', extensions: '"e1"' } })).toBe(true);
    expect(isPlainUsersPage({ ...page, catalogTags: { queues: '"q1"' } })).toBe(false);
  });

  it('answers as ListUsersResponseSchema does, on pages near every edge (fast-check)', () => {
    fc.assert(fc.property(pageArb, agree), { numRuns: 2000 });
  });

  it('answers as ListUsersResponseSchema does, on pages with a key gone, a key more or a value of any kind (fast-check)', () => {
    fc.assert(fc.property(pageArb.chain(mutate), agree), { numRuns: 2000 });
  });
});
