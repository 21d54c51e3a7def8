import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleCache } from '../../../../src-main/cache/console-cache';
import { CsvService } from '../../../../src-main/services/csv-service';
import { csvProfile, mapCsvHeaders } from '../../../../src-shared/csv-columns';
import type { Locale } from '../../../../src-shared/errors';
import { makeUser, tempDir } from '../../../support/console-fixtures';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function service(locale: Locale) {
  const t = tempDir();
  const cache = new ConsoleCache(t.dir);
  cleanups.push(() => (cache.close(), t.cleanup()));
  cache.replaceQueues('k', [
    { id: 'q1', accountId: 'a', kind: 'voice', channel: 'voice', name: 'Vendas', memberCount: 1, version: 1, createdAt: '', updatedAt: '' },
    { id: 'q2', accountId: 'a', kind: 'chat', channel: 'whatsapp', name: 'WhatsApp; Atendimento', memberCount: 1, version: 1, createdAt: '', updatedAt: '' },
  ]);
  cache.upsertUsers('k', [
    makeUser({ id: 'u1', name: 'José "Zé" Antônio', login: 'jose', email: 'jose@acme.com', profile: 'agent', webrtcEnabled: true, omnichannelEnabled: true, extension: { id: 'e1', number: '2001' }, voiceQueueIds: ['q1'], chatQueueIds: ['q2'] }),
    makeUser({ id: 'u2', name: '=HYPERLINK("http://evil.example","clique")', login: 'evil', email: 'evil@acme.com', profile: 'agent' }),
    makeUser({ id: 'u3', name: 'Ana Lima', login: 'ana', email: 'ana@acme.com', profile: 'supervisor' }),
  ]);
  // The audit export reads the platform (test/integration/src-main/csv.test.ts); the users export never does.
  const client = { userAudit: () => Promise.reject(new Error('not used')), accountAudit: () => Promise.reject(new Error('not used')) };
  return new CsvService({ cache, client, accountKey: () => 'k', locale: () => locale });
}

describe('users CSV export (issue 11)', () => {
  it('pt-BR: UTF-8 BOM, ";" separator, Portuguese headers and Sim/Não, queue names, only the filtered users; a csv-parse round trip gives the values back', () => {
    const { content, rows, fileName } = service('pt-BR').exportUsers({ query: '', filters: { profile: 'agent' } });
    expect(fileName).toBe('usuarios.csv');
    expect(rows).toBe(2);
    expect(content.startsWith('\ufeffNome;E-mail;Login;Perfil;Ativo;Habilitar WebRTC;Habilitar agente para uso omnichannel;Ramal;Filas de Voz;Filas de Chat\r\n')).toBe(true);
    const parsed = parse(content, { bom: true, delimiter: ';' }) as string[][];
    expect(parsed).toHaveLength(3);
    const jose = parsed.find((r) => r[2] === 'jose')!;
    expect(jose).toEqual(['José "Zé" Antônio', 'jose@acme.com', 'jose', 'Atendente', 'Sim', 'Sim', 'Sim', '2001', 'Vendas', 'WhatsApp; Atendimento']);
    expect(mapCsvHeaders(parsed[0]!)).toEqual(['name', 'email', 'login', 'profile', 'active', 'webrtcEnabled', 'omnichannelEnabled', 'extension', 'voiceQueues', 'chatQueues']);
  });

  it('English: "," separator and English headers; a formula in a name is written as text (CSV injection)', () => {
    const { content } = service('en').exportUsers({ query: '', filters: {} });
    expect(content.startsWith('\ufeffName,Email,Login,Profile,Active,Enable WebRTC,Enable agent for omnichannel use,Extension,Voice queues,Chat queues\r\n')).toBe(true);
    const parsed = parse(content, { bom: true }) as string[][];
    const evil = parsed.find((r) => r[2] === 'evil')!;
    expect(evil[0]!.startsWith("'=")).toBe(true);
    expect(parsed.find((r) => r[2] === 'ana')![4]).toBe('Yes');
    expect(parsed.find((r) => r[2] === 'ana')![3]).toBe('Supervisor');
  });

  it('follows the table: its search and its order', () => {
    const { content, rows } = service('en').exportUsers({ query: 'a', filters: {}, sort: { by: 'login', dir: 'desc' } });
    const logins = (parse(content, { bom: true }) as string[][]).slice(1).map((r) => r[2]);
    expect(rows).toBe(logins.length);
    expect(logins).toEqual([...logins].sort().reverse());
    expect(logins).toContain('ana');
  });

  it('profiles: a label of either language or the id names the profile', () => {
    expect(['Atendente', 'agent', 'AGENT', 'Agent'].map(csvProfile)).toEqual(['agent', 'agent', 'agent', 'agent']);
    expect(csvProfile('Administrador')).toBe('administrator');
    expect(csvProfile('chefe')).toBeNull();
  });

  it('headers of either language in any order map to the same columns', () => {
    expect(mapCsvHeaders(['LOGIN', 'e-mail', 'Habilitar agente para uso omnichannel', 'Voice queues', 'nome', 'whatever'])).toEqual(['login', 'email', 'omnichannelEnabled', 'voiceQueues', 'name', null]);
  });
});
