/**
 * R5: the reset-password page in the reader's language (pt-BR by default, English when the browser
 * asks for it first), errors included, styled like the console's sign-in card. After a new
 * password it links to where the agent signs in (the article's "IMPORTANTE").
 */
import { errorMessage, type ErrorCode, type Locale } from '../../src-shared/errors';
import { PASSWORD_MIN_LENGTH, PASSWORD_PROBLEM_MESSAGES, PASSWORD_RULES } from '../../src-shared/password-policy';
import { escapeHtml } from '../mail/html';
import { page } from './html-page';

/** The agent platform's sign-in address the article names (the demo's default). */
export const DEFAULT_AGENT_LOGIN_URL = 'https://app.smartspace.us/login';

const TEXT = {
  'pt-BR': {
    title: 'Redefinir senha',
    subtitle: 'Crie a senha com que você entrará na plataforma.',
    password: 'Nova senha',
    confirmation: 'Confirme a nova senha',
    policy: 'Política de senha:',
    submit: 'Salvar nova senha',
    doneTitle: 'Senha alterada',
    done: (login: string) => `Sua senha foi definida. Você já pode entrar com o login <strong>${login}</strong>.`,
    signIn: 'Entrar na plataforma',
    important:
      'IMPORTANTE: enquanto você não for vinculado a um Ramal ou a uma Fila de Atendimento (voz e/ou chats), não conseguirá utilizar o Módulo de Atendimento.',
  },
  en: {
    title: 'Reset password',
    subtitle: 'Choose the password you will sign in to the platform with.',
    password: 'New password',
    confirmation: 'Confirm the new password',
    policy: 'Password policy:',
    submit: 'Save new password',
    doneTitle: 'Password changed',
    done: (login: string) => `Your password is set. You can now sign in with the login <strong>${login}</strong>.`,
    signIn: 'Sign in to the platform',
    important: 'IMPORTANT: until you are linked to an extension or a service queue (voice and/or chat), you cannot use the Service Module.',
  },
} as const;

function card(locale: Locale, title: string, body: string): string {
  const subtitle = TEXT[locale].subtitle;
  return page(
    title,
    `<div class="card"><div class="card-header"><div class="brand-mark" aria-hidden="true">O</div><div><h1>${escapeHtml(title)}</h1><p class="muted">${escapeHtml(subtitle)}</p></div></div>${body}</div>`,
    { lang: locale, card: true },
  );
}

/** The policy as the console lists it, in the page's language (the src-shared password policy). */
function policyRules(locale: Locale): string {
  return PASSWORD_RULES.map((rule) => `<li>${escapeHtml(PASSWORD_PROBLEM_MESSAGES[rule][locale])}</li>`).join('');
}

/**
 * The form (with a problem above it when the last try was refused, and the policy's messages for
 * each problem: the same words as the API and the console).
 */
export function resetFormPage(locale: Locale, token: string, problem?: string, problems: readonly string[] = []): string {
  const t = TEXT[locale];
  const list = problems.length > 0 ? `<ul>${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>` : '';
  const error = problem ? `<div class="error" role="alert" id="reset-problem"><p>${escapeHtml(problem)}</p>${list}</div>` : '';
  const described = problem ? ' aria-describedby="reset-problem reset-policy"' : ' aria-describedby="reset-policy"';
  return card(
    locale,
    t.title,
    `${error}<form method="post" action="/reset-password">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<label for="password">${escapeHtml(t.password)}</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="${PASSWORD_MIN_LENGTH}" maxlength="256"${described}>
<label for="passwordConfirmation">${escapeHtml(t.confirmation)}</label><input id="passwordConfirmation" name="passwordConfirmation" type="password" autocomplete="new-password" required maxlength="256">
<div class="meta" id="reset-policy">${escapeHtml(t.policy)}<ul>${policyRules(locale)}</ul></div>
<button type="submit">${escapeHtml(t.submit)}</button>
</form>`,
  );
}

/** A refusal with no form (invalid or used link, self-managed account, malformed post). */
export function resetErrorPage(locale: Locale, code: ErrorCode): string {
  return card(locale, TEXT[locale].title, `<p class="error" role="alert">${escapeHtml(errorMessage(code, locale))}</p>`);
}

/** Done: the password is set; where the agent signs in, and what is still needed (R7). */
export function resetDonePage(locale: Locale, login: string, agentLoginUrl: string): string {
  const t = TEXT[locale];
  return card(
    locale,
    t.doneTitle,
    `<p class="ok" role="status">${t.done(escapeHtml(login))}</p>
<p><a class="button" href="${escapeHtml(agentLoginUrl)}">${escapeHtml(t.signIn)}</a> <span class="meta">${escapeHtml(agentLoginUrl)}</span></p>
<p class="meta">${escapeHtml(t.important)}</p>`,
  );
}
