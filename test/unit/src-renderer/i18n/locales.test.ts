import { describe, expect, it } from 'vitest';
import { en } from '../../../../src-renderer/i18n/en';
import { ptBR } from '../../../../src-renderer/i18n/pt-BR';
import { createI18n } from '../../../../src-renderer/i18n';
import { SELF_MANAGED_MESSAGE_PT } from '../../../../src-shared/errors';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('locales', () => {
  it('C5: English translates every pt-BR key and nothing else', () => {
    expect(keys(en).sort()).toEqual(keys(ptBR).sort());
  });

  it('C5: pt-BR carries the exact strings of the vendor article', () => {
    const t = createI18n('pt-BR').t;
    expect(t('editor.confirmText')).toBe('Você editou o usuário. Ao confirmar esta edição, o sistema realizará o logout do usuário na(s) fila(s). Deseja confirmar?');
    expect(t('common.yes')).toBe('Sim');
    expect(t('common.no')).toBe('Não');
    expect(t('editor.agentOptions')).toBe('Opções da tela do Atendente');
    expect(t('editor.webrtc')).toBe('Habilitar WebRTC');
    expect(t('editor.omnichannel')).toBe('Habilitar agente para uso omnichannel');
    expect(t('editor.actions')).toBe('Ações');
    expect(t('editor.resetPassword')).toBe('Redefinir senha');
    expect(t('editor.tabPassword')).toBe('Senha');
    expect(t('editor.tabExtension')).toBe('Ramal');
    expect(t('queues.voice')).toBe('Filas de Voz');
    expect(t('queues.chat')).toBe('Filas de Chat');
    expect(t('queues.new')).toBe('+Novo');
    expect(t('signIn.forgot')).toBe('Esqueci minha senha');
    expect(t('signIn.selfManaged')).toBe(SELF_MANAGED_MESSAGE_PT);
    expect(t('shell.breadcrumbUsers')).toBe('Configurações > Usuários');
  });

  it('C5: English is switchable and differs from pt-BR', () => {
    const i18n = createI18n('en');
    expect(i18n.t('editor.webrtc')).toBe('Enable WebRTC');
    expect(i18n.t('users.count', { count: 2, n: '2' })).toBe('2 users');
  });
});
