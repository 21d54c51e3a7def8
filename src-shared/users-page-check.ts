/**
 * Issue 10: a quick exact check of a `GET /users` page, for the first sync's parser (100 pages of
 * 1 000 users at 100 000; zod's parse of a page costs about twice its `JSON.parse`). True only when
 * `ListUsersResponseSchema` accepts the value and would give it back unchanged (every key known at
 * every level, every check passed), so the caller may use the parsed JSON as it is; on false the
 * caller parses with the schema, which strips unknown keys or says what is wrong. The schema stays
 * the rule: a unit test holds the checks below to its shape's keys (`USERS_PAGE_CHECK_KEYS`), and a
 * property test holds both to the same answers. No zod here: the first sync's parser thread starts
 * without it and loads the schema only for a page this check refuses.
 */
import { PROFILES, isWellFormedText } from './domain-core';
import type { User } from './domain';
import type { ListUsersResponse } from './platform-api';

const isString = (v: unknown): v is string => typeof v === 'string';
const isBoolean = (v: unknown): boolean => typeof v === 'boolean';
const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
/** `IdSchema`: well formed, 1 to 64 characters, not a dot segment. */
const isId = (v: unknown): boolean => isString(v) && v.length >= 1 && v.length <= 64 && v !== '.' && v !== '..' && isWellFormedText(v);
/** `IsoDateSchema`: 1 to 40 characters. */
const isDate = (v: unknown): boolean => isString(v) && v.length >= 1 && v.length <= 40;
const isIds = (v: unknown): boolean => Array.isArray(v) && v.every(isId);

const NONE: ReadonlySet<string> = new Set();

/** A plain object with exactly `checks`' keys (the optional ones may be missing), each passing its check. */
function isExactObject(v: unknown, checks: ReadonlyMap<string, (value: unknown) => boolean>, optional = NONE): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  let known = 0;
  for (const key in v) {
    const check = checks.get(key);
    if (check === undefined || !Object.hasOwn(v, key) || !check((v as Record<string, unknown>)[key])) return false;
    known++;
  }
  if (known === checks.size) return true;
  for (const key of checks.keys()) if (!optional.has(key) && !Object.hasOwn(v, key)) return false;
  return true;
}

const EXTENSION_CHECKS = new Map<string, (v: unknown) => boolean>([
  ['id', isId],
  ['number', isString],
]);

const USER_CHECKS = new Map<keyof User, (v: unknown) => boolean>([
  ['id', isId],
  ['accountId', isId],
  ['name', isString],
  ['email', isString],
  ['login', isString],
  ['profile', (v) => (PROFILES as readonly unknown[]).includes(v)],
  ['active', isBoolean],
  ['webrtcEnabled', isBoolean],
  ['omnichannelEnabled', isBoolean],
  ['passwordSet', isBoolean],
  ['mustChangePassword', isBoolean],
  ['selfManaged', isBoolean],
  ['extension', (v) => v === null || isExactObject(v, EXTENSION_CHECKS)],
  ['voiceQueueIds', isIds],
  ['chatQueueIds', isIds],
  ['version', isCount],
  ['createdAt', isDate],
  ['updatedAt', isDate],
]);

/** `CatalogTagsSchema`'s strings: up to 200 characters. */
const isTag = (v: unknown): boolean => isString(v) && v.length <= 200;
const CATALOG_TAGS_CHECKS = new Map<string, (v: unknown) => boolean>([
  ['queues', isTag],
  ['extensions', isTag],
]);

const PAGE_CHECKS = new Map<keyof ListUsersResponse, (v: unknown) => boolean>([
  ['items', (v) => Array.isArray(v) && v.every((user) => isExactObject(user, USER_CHECKS))],
  ['deletedIds', isIds],
  ['cursor', isString],
  ['hasMore', isBoolean],
  ['total', isCount],
  ['catalogTags', (v) => isExactObject(v, CATALOG_TAGS_CHECKS)],
]);
const PAGE_OPTIONAL = new Set(['total', 'catalogTags']);

/** The keys each check knows: a unit test holds them to `UserSchema`'s, its extension's, `ListUsersResponseSchema`'s and `CatalogTagsSchema`'s. */
export const USERS_PAGE_CHECK_KEYS = { user: [...USER_CHECKS.keys()], extension: [...EXTENSION_CHECKS.keys()], page: [...PAGE_CHECKS.keys()], catalogTags: [...CATALOG_TAGS_CHECKS.keys()] };

/** True when `value` is a `GET /users` page that `ListUsersResponseSchema` would give back unchanged. */
export function isPlainUsersPage(value: unknown): value is ListUsersResponse {
  return isExactObject(value, PAGE_CHECKS as ReadonlyMap<string, (v: unknown) => boolean>, PAGE_OPTIONAL);
}
