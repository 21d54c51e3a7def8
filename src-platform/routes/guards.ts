/**
 * Request guards that run before any route (issue 9, classes 4 and 9):
 * - Host: the platform answers only for the host names it serves (its public URL's host, the
 *   loopback names, and any configured ones); any other Host gets 421. A web page on a name
 *   rebound to 127.0.0.1 (DNS rebinding) sends its own name as Host and is refused.
 * - Content type: the JSON API reads `application/json` bodies only (415 otherwise), so an HTML
 *   form or a `text/plain` "simple request" of another site cannot drive it.
 * - Forms: the reset page's POST is the only form route; a cross-site post (another Origin, or
 *   `Sec-Fetch-Site: cross-site`/`same-site`) is refused with 403.
 */
import type { FastifyRequest } from 'fastify';
import { errorMessage, pickLocale } from '../../src-shared/errors';
import { escapeHtml } from '../mail/html';
import { PAGE_HEADERS, page } from '../pages/html-page';
import type { PlatformApp } from './http';
import { errorBody } from './http';

/** Host names every platform answers for, besides its public URL's host. */
export const LOOPBACK_HOST_NAMES = ['127.0.0.1', 'localhost', '[::1]'] as const;

/** The host name of a Host header, lower-cased and without the port ("[::1]" keeps its brackets). */
export function hostNameOf(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return null;
    const rest = value.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return null;
    return value.slice(0, end + 1);
  }
  const parts = value.split(':');
  if (parts.length > 2) return null;
  if (parts.length === 2 && !/^\d{1,5}$/.test(parts[1] ?? '')) return null;
  return parts[0] || null;
}

/** The host names a platform answers for: loopback names, the public URL's host, configured extras. */
export function allowedHostNames(publicUrl: string, extra: readonly string[] = []): Set<string> {
  const names = new Set<string>(LOOPBACK_HOST_NAMES);
  if (publicUrl) names.add(new URL(publicUrl).hostname.toLowerCase());
  for (const name of extra) {
    const host = hostNameOf(name);
    if (host) names.add(host);
  }
  return names;
}

/** Whether a media type (a Content-Type header's first part) is JSON as the API reads it. */
export function isJsonContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  if (request.headers['transfer-encoding'] !== undefined) return true;
  return length !== undefined && length !== '0';
}

/** Routes that read HTML forms (urlencoded): the reset page's POST only. */
export const FORM_ROUTES = new Set(['POST /reset-password']);

/**
 * Whether a form post comes from this platform's own pages: `Sec-Fetch-Site` (sent by every current
 * browser, and which no page can set) must be `same-origin`; without it, an `Origin` must be this platform's (the public URL's origin or
 * the validated Host). A client that sends neither (curl, scripts) is no browser a site can drive.
 */
export function isSameOriginForm(request: FastifyRequest, publicUrl: string): boolean {
  // A web page cannot set Sec-Fetch-Site; when the browser sends it, it decides alone.
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin';
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const own = new Set<string>();
  if (publicUrl) own.add(new URL(publicUrl).origin);
  if (request.headers.host) own.add(`http://${request.headers.host.toLowerCase()}`);
  return own.has(origin.toLowerCase());
}

/** Installs the guards; the public URL is read on every request (it is known only after listen). */
export function installGuards(app: PlatformApp, publicUrl: () => string, extraHosts: readonly string[]): void {
  let cached: { url: string; names: Set<string> } | null = null;
  const hosts = (): Set<string> => {
    const url = publicUrl();
    if (cached?.url !== url) cached = { url, names: allowedHostNames(url, extraHosts) };
    return cached.names;
  };
  app.addHook('onRequest', async (request, reply) => {
    const name = hostNameOf(request.headers.host);
    if (!name || !hosts().has(name)) return reply.code(421).send(errorBody(request, 'misdirected_request'));
    const route = `${request.method} ${request.routeOptions.url ?? ''}`;
    if (FORM_ROUTES.has(route)) {
      const problem = !isSameOriginForm(request, publicUrl())
        ? ({ status: 403, code: 'cross_site_request' } as const)
        : hasBody(request) && (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() !== 'application/x-www-form-urlencoded'
          ? ({ status: 415, code: 'unsupported_media_type' } as const)
          : null;
      if (!problem) return undefined;
      const message = errorMessage(problem.code, pickLocale(request.headers['accept-language']));
      return reply.code(problem.status).headers(PAGE_HEADERS).send(page('Redefinir senha', `<h1>Redefinir senha</h1><p class="error" role="alert">${escapeHtml(message)}</p>`));
    }
    if (hasBody(request) && !isJsonContentType(request.headers['content-type'])) {
      return reply.code(415).send(errorBody(request, 'unsupported_media_type'));
    }
    return undefined;
  });
}
