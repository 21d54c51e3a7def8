/**
 * The users CSV (issue 11): its columns, their headers in both languages, and the separator of each
 * language (`;` in pt-BR, what Brazilian Excel opens directly; `,` in English). Export writes the
 * headers of the console's language; import recognises either language's headers in any order.
 */
import { PROFILES, type Profile } from './domain';
import type { Locale } from './errors';

/** The columns of the users CSV, in export order. */
export const CSV_USER_COLUMNS = ['name', 'email', 'login', 'profile', 'active', 'webrtcEnabled', 'omnichannelEnabled', 'extension', 'voiceQueues', 'chatQueues'] as const;
export type CsvUserColumn = (typeof CSV_USER_COLUMNS)[number];

/** Each column's header per language. */
export const CSV_USER_HEADERS: Record<CsvUserColumn, Record<Locale, string>> = {
  name: { 'pt-BR': 'Nome', en: 'Name' },
  email: { 'pt-BR': 'E-mail', en: 'Email' },
  login: { 'pt-BR': 'Login', en: 'Login' },
  profile: { 'pt-BR': 'Perfil', en: 'Profile' },
  active: { 'pt-BR': 'Ativo', en: 'Active' },
  webrtcEnabled: { 'pt-BR': 'Habilitar WebRTC', en: 'Enable WebRTC' },
  omnichannelEnabled: { 'pt-BR': 'Habilitar agente para uso omnichannel', en: 'Enable agent for omnichannel use' },
  extension: { 'pt-BR': 'Ramal', en: 'Extension' },
  voiceQueues: { 'pt-BR': 'Filas de Voz', en: 'Voice queues' },
  chatQueues: { 'pt-BR': 'Filas de Chat', en: 'Chat queues' },
};

/** The field separator of a language's CSV. */
export function csvDelimiter(locale: Locale): ';' | ',' {
  return locale === 'pt-BR' ? ';' : ',';
}

/** Yes / no as the CSV writes them in a language (import accepts both languages, and true/false, 1/0). */
export const CSV_YES_NO: Record<Locale, { yes: string; no: string }> = { 'pt-BR': { yes: 'Sim', no: 'Não' }, en: { yes: 'Yes', no: 'No' } };

/** Profiles as the CSV writes them (the console's labels); import also accepts the ids. */
export const CSV_PROFILE_LABELS: Record<Profile, Record<Locale, string>> = {
  support: { 'pt-BR': 'Suporte', en: 'Support' },
  administrator: { 'pt-BR': 'Administrador', en: 'Administrator' },
  supervisor: { 'pt-BR': 'Supervisor', en: 'Supervisor' },
  agent: { 'pt-BR': 'Atendente', en: 'Agent' },
};

/** The profile a cell names (a label of either language or the id, any case), or null. */
export function csvProfile(cell: string): Profile | null {
  const key = headerKey(cell);
  for (const p of PROFILES) if (key === p || Object.values(CSV_PROFILE_LABELS[p]).some((l) => headerKey(l) === key)) return p;
  return null;
}

/** Separator of the queue names in one cell. */
export const CSV_LIST_SEPARATOR = ' | ';

/** The columns of the audit-trail CSV, in export order, with their headers. */
export const CSV_AUDIT_HEADERS = {
  at: { 'pt-BR': 'Quando (UTC)', en: 'When (UTC)' },
  actor: { 'pt-BR': 'Quem', en: 'Who' },
  action: { 'pt-BR': 'Ação', en: 'Action' },
  targetType: { 'pt-BR': 'Tipo', en: 'Type' },
  targetId: { 'pt-BR': 'Alvo', en: 'Target' },
  before: { 'pt-BR': 'Antes', en: 'Before' },
  after: { 'pt-BR': 'Depois', en: 'After' },
} as const satisfies Record<string, Record<Locale, string>>;

/** Header text normalised for matching: case, accents and spacing do not matter. */
export function headerKey(header: string): string {
  return header.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase().replace(/[\s_-]+/g, ' ');
}

/** Maps a file's headers to columns (either language, any order); unknown headers map to null. */
export function mapCsvHeaders(headers: readonly string[]): (CsvUserColumn | null)[] {
  const known = new Map<string, CsvUserColumn>();
  for (const column of CSV_USER_COLUMNS) for (const text of Object.values(CSV_USER_HEADERS[column])) known.set(headerKey(text), column);
  for (const column of CSV_USER_COLUMNS) known.set(headerKey(column), column);
  return headers.map((h) => known.get(headerKey(h)) ?? null);
}

/** Largest CSV file the import reads (about 40 000 rows); larger files are refused before reading. */
export const CSV_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
/** Most data rows one import takes. */
export const CSV_IMPORT_MAX_ROWS = 20_000;
/** Bytes per upload part (base64 over IPC stays under the browser host's 1 MiB frame). */
export const CSV_UPLOAD_PART_BYTES = 384 * 1024;

/** A yes/no cell in either language (or true/false, 1/0); null when it is neither. */
export function csvBoolean(cell: string): boolean | null {
  const key = headerKey(cell);
  if (['sim', 'yes', 'true', '1', 's', 'y'].includes(key)) return true;
  if (['nao', 'no', 'false', '0', 'n'].includes(key)) return false;
  return null;
}
