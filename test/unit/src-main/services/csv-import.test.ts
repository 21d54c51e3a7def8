import { describe, expect, it } from 'vitest';
import type { Extension, QueueSummary, User } from '../../../../src-shared/domain';
import { CSV_IMPORT_MAX_BYTES } from '../../../../src-shared/csv-columns';
import type { CsvFileError} from '../../../../src-main/services/csv-import';
import { parseUsersCsv, planImport, type ImportContext } from '../../../../src-main/services/csv-import';
import { makeUser } from '../../../support/console-fixtures';

const enc = (text: string) => new TextEncoder().encode(text);
const q = (id: string, kind: 'voice' | 'chat', name: string): QueueSummary => ({ id, accountId: 'a', kind, channel: kind === 'voice' ? 'voice' : 'webchat', name, memberCount: 0, version: 1, createdAt: '', updatedAt: '' });
const ext = (id: string, number: string, userId: string | null): Extension => ({ id, accountId: 'a', number, userId }) as Extension;

function ctx(actor: ImportContext['actor'] = 'administrator'): ImportContext {
  const users: User[] = [
    makeUser({ id: 'u1', name: 'Ana Lima', login: 'ana', email: 'ana@acme.com', profile: 'agent', webrtcEnabled: true, omnichannelEnabled: true, extension: { id: 'e1', number: '2001' }, voiceQueueIds: ['v1'], chatQueueIds: [] }),
    makeUser({ id: 'u2', name: 'Bruno Melo', login: 'bruno', email: 'bruno@acme.com', profile: 'agent' }),
    makeUser({ id: 'u3', name: 'Suporte', login: 'suporte2', email: 'sup@acme.com', profile: 'support' }),
  ];
  return { users, queues: [q('v1', 'voice', 'Vendas'), q('c1', 'chat', 'Chat do Site')], extensions: [ext('e1', '2001', 'u1'), ext('e2', '2002', null)], actor };
}

const plan = (csv: string, c = ctx()) => planImport(parseUsersCsv(enc(csv)), c);
const byLogin = (rows: ReturnType<typeof plan>) => Object.fromEntries(rows.map((p) => [p.row.login, p]));

describe('CSV import: parsing and header mapping (issue 11)', () => {
  it('reads a pt-BR file (BOM, ";") and an English one (","), headers in any order, unknown headers left out', () => {
    const pt = parseUsersCsv(enc('\ufeffLogin;Nome;Coisa\r\nana;Ana Lima;x\r\n'));
    expect(pt.rows).toEqual([{ line: 2, cells: { login: 'ana', name: 'Ana Lima' } }]);
    expect(pt.ignoredColumns).toEqual(['Coisa']);
    const en = parseUsersCsv(enc('Email,Login\n"a,b@acme.com",ana\n'));
    expect(en.rows[0]!.cells).toEqual({ email: 'a,b@acme.com', login: 'ana' });
  });

  it('refuses the whole file with a clear reason: too large, not UTF-8, malformed, no login column, empty', () => {
    const reason = (bytes: Uint8Array) => {
      try {
        parseUsersCsv(bytes);
        return null;
      } catch (err) {
        return (err as CsvFileError).entry;
      }
    };
    expect(reason(new Uint8Array(CSV_IMPORT_MAX_BYTES + 1))).toBe('form.csvTooLarge');
    expect(reason(Uint8Array.from([0x4c, 0x6f, 0x67, 0x69, 0x6e, 0x0a, 0x4a, 0x6f, 0xe3, 0x6f]))).toBe('form.csvEncoding'); // "João" in Latin-1
    expect(reason(enc('Login;Nome\nana;"Ana\n'))).toBe('form.csvMalformed');
    expect(reason(enc('Nome;E-mail\nAna;a@b.com\n'))).toBe('form.csvNoLogin');
    expect(reason(enc('Login;Nome\n'))).toBe('form.csvEmpty');
    expect(reason(enc('Login;Login\nana;ana\n'))).toBe('form.csvDuplicateColumn');
  });
});

describe('CSV import: dry run against the cache (issue 11; R2, R3, R6, R8, identity keys)', () => {
  it('classifies each row: create, change with the diff, unchanged, error with the reason', () => {
    const rows = byLogin(
      plan(
        'Login;Nome;E-mail;Perfil;Habilitar WebRTC;Habilitar agente para uso omnichannel;Ramal;Filas de Voz;Filas de Chat\n' +
          'ana;Ana Lima;ana@acme.com;Atendente;Sim;Sim;2001;Vendas;\n' +
          "bruno;'=Bruno Melo;bruno@acme.com;Atendente;Sim;Não;2002;Vendas;\n" +
          'novo;Nova Pessoa;novo@acme.com;Atendente;Sim;Não;;;\n' +
          'erro;Erro;SUP@acme.com;Atendente;Não;Sim;;;Chat do Site\n',
      ),
    );
    expect(rows.ana!.row).toMatchObject({ status: 'unchanged', changes: [] });
    expect(rows.bruno!.row.status).toBe('change');
    expect(rows.bruno!.row.changes.map((c) => [c.field, c.after])).toEqual([
      ['name', '=Bruno Melo'],
      ['webrtcEnabled', true],
      ['extension', '2002'],
      ['voiceQueueIds', ['v1']],
    ]);
    expect(rows.bruno!.item).toMatchObject({ op: 'update', userId: 'u2', ifMatch: expect.stringContaining('u2'), changes: { name: '=Bruno Melo', webrtcEnabled: true }, extension: '2002', addQueueIds: ['v1'] });
    expect(rows.novo!.row.status).toBe('create');
    expect(rows.novo!.item).toMatchObject({ op: 'create', user: { login: 'novo', name: 'Nova Pessoa', profile: 'agent', webrtcEnabled: true } });
    // Taken email (identity key: case does not matter), R3 and R6 at once, with the forms' codes.
    expect(rows.erro!.row.status).toBe('error');
    expect(rows.erro!.row.errors.map((e) => e.entry).sort()).toEqual(['email_taken', 'omnichannel_creation_support_only', 'webrtc_required'].sort());
    expect(rows.erro!.item).toBeNull();
  });

  it('a formula, invisible characters, a duplicate login in the file, unknown queue or profile: per-row errors, nothing to apply', () => {
    const rows = plan(
      'Login,Name,Email,Profile,Voice queues\n' +
        'fx1,"=HYPERLINK(""http://x"")",f1@acme.com,Agent,\n' +
        'fx2,Zero\u200bWidth,f2@acme.com,Agent,\n' +
        'dup,Um,dup1@acme.com,Agent,\n' +
        'DUP,Dois,dup2@acme.com,Agent,\n' +
        'fx3,Três,f3@acme.com,Chefe,Nenhuma\n',
    );
    const errors = Object.fromEntries(rows.map((p) => [p.row.login, p.row.errors.map((e) => `${e.field}:${e.entry}`)]));
    expect(errors.fx1).toEqual(['name:form.csvFormula']);
    expect(errors.fx2).toEqual(['name:invisible_character']);
    expect(errors.dup).toEqual(['login:form.csvDuplicateLogin']);
    expect(errors.DUP).toEqual(['login:form.csvDuplicateLogin']);
    expect(errors.fx3).toEqual(['profile:form.csvProfile', 'voiceQueues:form.csvUnknownQueue']);
    expect(rows.every((p) => p.item === null)).toBe(true);
  });

  it('R8/R10/R2: a voice queue without an extension, an extension someone else has, a Support user changed by an administrator', () => {
    const rows = byLogin(plan('Login;Ramal;Filas de Voz;Nome\nbruno;;Vendas;Bruno\nnovo2;2001;;Novo\nsuporte2;;;Outro Nome\n'));
    expect(rows.bruno!.row.errors).toEqual([{ field: 'voiceQueues', entry: 'voice_queue_requires_extension' }]);
    expect(rows.novo2!.row.errors).toEqual([{ field: 'extension', entry: 'extension_taken' }]);
    expect(rows.suporte2!.row.errors).toEqual([{ field: 'row', entry: 'forbidden' }]);
  });

  it('R2: a supervisor cannot import: every row is refused', () => {
    const rows = plan('Login;Nome\nana;Outra\n', ctx('supervisor'));
    expect(rows[0]!.row).toMatchObject({ status: 'error', errors: [{ field: 'row', entry: 'forbidden' }] });
  });
});
