/**
 * Pages served by the platform: the public reset-password page (R5) and, in embedded-mail mode
 * only, the mailbox page and its JSON (`/api/v1/dev/mailbox`) so a person can click reset links.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorMessage, pickLocale } from '../../src-shared/errors';
import { MailboxQuerySchema, MailboxResponseSchema } from '../../src-shared/platform-api';
import { passwordProblemMessages } from '../../src-shared/password-policy';
import { DomainError } from '../domain/errors';
import { isResetTokenUsable } from '../domain/reset-tokens';
import { resetPasswordWithToken } from '../domain/passwords';
import { escapeHtml } from '../mail/html';
import { DEFAULT_AGENT_LOGIN_URL, resetDonePage, resetErrorPage, resetFormPage } from '../pages/reset-page';
import { PAGE_HEADERS, page } from '../pages/html-page';
import type { Mailbox } from '../mail/smtp-sink';
import { errorBody, responses, type RouteDeps, type RouteModule } from './http';

const TokenQuery = z.object({ token: z.string().max(200).optional() });
const MailboxQuery = MailboxQuerySchema.extend({ key: z.string().max(200).optional() });
/** Messages per mailbox page. */
export const MAILBOX_PAGE = 50;
const ResetForm = z.object({ token: z.string().max(200), password: z.string().max(256), passwordConfirmation: z.string().max(256) });

/**
 * The mailbox shows live reset links, so it answers only requests from this machine, even when the
 * platform listens on every interface.
 */
function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/**
 * Issue 9 class 5: the development mailbox exists only when asked for, and even on this machine it
 * needs the per-run secret (another person's account on a shared workstation reaches 127.0.0.1 too).
 */
function mailboxFor(deps: RouteDeps, request: FastifyRequest, key: string | undefined): Mailbox | null {
  if (!deps.mailbox || !isLoopback(request.socket.remoteAddress)) return null;
  const given = Buffer.from(key ?? '');
  const secret = Buffer.from(deps.mailbox.secret);
  return given.length === secret.length && timingSafeEqual(given, secret) ? deps.mailbox.messages : null;
}

function linkify(text: string): string {
  return escapeHtml(text).replace(/https?:\/\/[^\s<>"']+/g, (url) => `<a href="${url}">${url}</a>`);
}

/** Registers the HTML pages and the embedded mailbox. */
export const pageRoutes: RouteModule = (app, deps) => {
  const { ctx } = deps;

  app.get('/reset-password', { schema: { querystring: TokenQuery, hide: true } }, async (request, reply) => {
    reply.headers(PAGE_HEADERS);
    // One language per page: the browser's first choice (pt-BR unless it asks for English).
    const locale = pickLocale(request.headers['accept-language']);
    const token = request.query.token ?? '';
    if (!token || !(await isResetTokenUsable(ctx.db, token, ctx.now()))) return reply.code(400).send(resetErrorPage(locale, 'reset_token_invalid'));
    return reply.send(resetFormPage(locale, token));
  });

  app.post('/reset-password', { schema: { hide: true } }, async (request, reply) => {
    reply.headers(PAGE_HEADERS);
    const locale = pickLocale(request.headers['accept-language']);
    const parsed = ResetForm.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(resetErrorPage(locale, 'malformed_request'));
    try {
      const user = await resetPasswordWithToken(ctx, parsed.data);
      return reply.send(resetDonePage(locale, user.login, deps.agentLoginUrl ?? DEFAULT_AGENT_LOGIN_URL));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'reset_token_invalid' || error.code === 'self_managed_account') return reply.code(422).send(resetErrorPage(locale, error.code));
      // The same messages as the API and the console (src-shared password policy).
      const problems = passwordProblemMessages(error.extra.fieldErrors?.password ?? [], locale);
      return reply.code(422).send(resetFormPage(locale, parsed.data.token, errorMessage(error.code, locale), problems));
    }
  });

  app.get('/api/v1/dev/mailbox', { schema: { hide: true, querystring: MailboxQuery, response: responses(200, MailboxResponseSchema) } }, async (request, reply) => {
    const mailbox = mailboxFor(deps, request, request.query.key);
    if (!mailbox) return reply.code(404).send(errorBody(request, 'not_found'));
    return mailbox.page({ before: request.query.before, limit: request.query.limit });
  });

  // Issue 16 item 3: every message the sink received, MAILBOX_PAGE at a time (it showed the last 1 000).
  app.get('/mailbox', { schema: { hide: true, querystring: MailboxQuery } }, async (request, reply) => {
    const mailbox = mailboxFor(deps, request, request.query.key);
    if (!mailbox) return reply.code(404).send(errorBody(request, 'not_found'));
    reply.headers(PAGE_HEADERS);
    const { items, next, total } = mailbox.page({ before: request.query.before, limit: MAILBOX_PAGE });
    const list = items
      .map(
        (m) =>
          `<article class="msg"><div class="meta">${escapeHtml(m.receivedAt)} · para ${escapeHtml(m.to)}${m.kind ? ` · ${escapeHtml(m.kind)}` : ''}</div><h2>${escapeHtml(m.subject)}</h2><pre>${linkify(m.text)}</pre></article>`,
      )
      .join('\n');
    // Links keep the other parameters of this request (e.g. the mailbox key) and change `before` only.
    const link = (before: number | null) => {
      const params = new URLSearchParams(Object.entries(request.query as Record<string, unknown>).filter(([name, value]) => name !== 'before' && name !== 'limit' && typeof value === 'string') as [string, string][]);
      if (before !== null) params.set('before', String(before));
      const query = params.toString();
      return escapeHtml(`/mailbox${query ? `?${query}` : ''}`);
    };
    const nav = [request.query.before !== undefined ? `<a href="${link(null)}">Mais recentes</a>` : '', next !== null ? `<a href="${link(next)}">Mensagens mais antigas</a>` : ''].filter(Boolean).join(' · ');
    const shown = items.length === 0 ? '' : ` Mostrando ${items.length} de ${total}.`;
    return reply.send(
      page(
        'Caixa de e-mails da plataforma',
        `<h1>Caixa de e-mails da plataforma</h1><p class="meta">E-mails enviados pela plataforma embutida (mais recentes primeiro). Recarregue a página para ver novos.${shown}</p>${list || '<p>Nenhuma mensagem ainda.</p>'}${nav ? `<nav aria-label="Páginas">${nav}</nav>` : ''}`,
      ),
    );
  });
};
