/**
 * Issue 10: a quick exact check of a `GET /users` page, for the first sync's parser (100 pages of
 * 1 000 users at 100 000; zod's parse of a page costs about twice its `JSON.parse`). True only when
 * `ListUsersResponseSchema` accepts the value and would give it back unchanged (every key known at
 * every level, every check passed), so the caller may use the parsed JSON as it is; on false the
 * caller parses with the schema, which strips unknown keys or says what is wrong. The schema stays
 * the rule: the checks below are read from its shape's keys (a key they do not know turns the
 * quick check off, `USERS_PAGE_CHECK_READY`), and a property test holds both to the same answers.
 */
import { PROFILES, UserSchema, type User } from './domain';
import { ListUsersResponseSchema, type ListUsersResponse } from './platform-api';
import { isWellFormedText } from './text';

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

const PAGE_CHECKS = new Map<keyof ListUsersResponse, (v: unknown) => boolean>([
  ['items', (v) => Array.isArray(v) && v.every((user) => isExactObject(user, USER_CHECKS))],
  ['deletedIds', isIds],
  ['cursor', isString],
  ['hasMore', isBoolean],
  ['total', isCount],
]);
const PAGE_OPTIONAL = new Set(['total']);

const sameKeys = (checks: ReadonlyMap<string, unknown>, shape: object) => {
  const keys = Object.keys(shape);
  return keys.length === checks.size && keys.every((key) => checks.has(key));
};

/** Whether the checks above know every key of the schemas (else the quick check always says false). */
export const USERS_PAGE_CHECK_READY =
  sameKeys(USER_CHECKS, UserSchema.shape) && sameKeys(PAGE_CHECKS, ListUsersResponseSchema.shape) && sameKeys(EXTENSION_CHECKS, UserSchema.shape.extension.unwrap().shape);

/** True when `value` is a `GET /users` page that `ListUsersResponseSchema` would give back unchanged. */
export function isPlainUsersPage(value: unknown): value is ListUsersResponse {
  return USERS_PAGE_CHECK_READY && isExactObject(value, PAGE_CHECKS as ReadonlyMap<string, (v: unknown) => boolean>, PAGE_OPTIONAL);
}
