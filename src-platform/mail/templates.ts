/**
 * Email templates, in pt-BR (the platform's language for end users; the vendor article describes
 * these three messages: reset link, extension associated, password changed).
 */
import { escapeHtml } from './html';

/** A rendered email. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

function wrap(paragraphs: string[], link?: { href: string; label: string }): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  const button = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : '';
  return `<!doctype html><html lang="pt-BR"><body>${body}${button}</body></html>`;
}

/** R5/R6: the reset link (also the first-password link of a new user). */
export function passwordResetMail(input: { name: string; link: string; expiresMinutes: number }): RenderedMail {
  const lines = [
    `Olá, ${input.name}.`,
    'Recebemos um pedido para redefinir a sua senha de acesso à plataforma de Contact Center.',
    `Para definir uma nova senha, acesse o link abaixo (válido por ${input.expiresMinutes} minutos e de uso único):`,
  ];
  return {
    subject: 'Redefinição de senha',
    text: `${lines.join('\n\n')}\n\n${input.link}\n\nSe você não pediu a redefinição, ignore esta mensagem.`,
    html: wrap([...lines], { href: input.link, label: 'Redefinir senha' }),
  };
}

/** R5/R9: the password was changed. */
export function passwordChangedMail(input: { name: string; byAdministrator: boolean }): RenderedMail {
  const lines = [
    `Olá, ${input.name}.`,
    'A sua senha de acesso à plataforma de Contact Center foi alterada.',
    input.byAdministrator
      ? 'A senha foi definida por um administrador e é temporária: você deverá trocá-la no próximo login.'
      : 'Se não foi você, entre em contato com o administrador da conta.',
  ];
  return { subject: 'Senha alterada', text: lines.join('\n\n'), html: wrap(lines) };
}

/** R6/R10: an extension ("Ramal") was associated with the user. */
export function extensionAssociatedMail(input: { name: string; number: string }): RenderedMail {
  const lines = [`Olá, ${input.name}.`, `O ramal ${input.number} foi associado ao seu usuário na plataforma de Contact Center.`];
  return { subject: `Ramal ${input.number} associado ao seu usuário`, text: lines.join('\n\n'), html: wrap(lines) };
}
