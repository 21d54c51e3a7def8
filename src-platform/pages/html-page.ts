/** Minimal HTML pages served by the platform (reset page, mailbox), with a strict CSP. */
import { createHash } from 'node:crypto';
import type { Locale } from '../../src-shared/errors';
import { escapeHtml } from '../mail/html';

/** The one stylesheet of the platform's pages: the console's sign-in card, in the console's colours. */
const STYLE = `:root{--border:#d8dee6;--text:#1c2430;--muted:#5b6777;--primary:#1f5fbf;--primary-dark:#174a96;--ok:#1d7a46;--error:#b42318;--focus:#2b7bf0}
*{box-sizing:border-box}html,body{margin:0;min-height:100%}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Helvetica Neue',Arial,sans-serif;font-size:14px;line-height:1.45;color:var(--text);background:#f4f6f9}
main{max-width:46rem;margin:2rem auto;padding:0 1rem}main.card-page{min-height:100vh;margin:0 auto;display:flex;align-items:center;justify-content:center;padding:24px}
h1{font-size:20px;margin:0;font-weight:600}h2{font-size:16px;margin:.2rem 0}p{margin:0 0 8px}
:focus-visible{outline:2px solid var(--focus);outline-offset:2px}
.card{width:440px;max-width:100%;background:#fff;border:1px solid var(--border);border-radius:10px;padding:32px;box-shadow:0 4px 18px rgba(20,30,50,.08)}
.card-header{display:flex;gap:12px;align-items:center;margin-bottom:24px}.muted{color:var(--muted)}
.brand-mark{display:inline-flex;width:32px;height:32px;border-radius:8px;background:var(--primary);color:#fff;font-weight:700;align-items:center;justify-content:center;flex:none}
label{display:block;font-weight:500;font-size:13px;margin:12px 0 4px}
input{height:34px;padding:0 12px;border:1px solid #b8c2cf;border-radius:6px;font:inherit;width:100%}
button,.button{display:inline-flex;align-items:center;justify-content:center;height:34px;padding:0 16px;margin-top:16px;border:1px solid var(--primary);border-radius:6px;background:var(--primary);color:#fff;font:inherit;font-weight:500;cursor:pointer;text-decoration:none}
form button{width:100%}button:hover,.button:hover{background:var(--primary-dark)}
.error{color:var(--error);font-weight:500}.ok{color:var(--ok)}.meta{color:var(--muted);font-size:13px}
.msg{border:1px solid var(--border);background:#fff;border-radius:6px;padding:.8rem;margin:.8rem 0}pre{white-space:pre-wrap}a{color:var(--primary)}`;

/** Strict CSP: no scripts at all; only the stylesheet above (by its hash); forms post back to the platform. */
export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

/** Security headers of every HTML page. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * A full page around a body that is already escaped HTML, inside the `<main>` landmark, in one
 * language (`lang`, pt-BR by default); `card` centres it like the console's sign-in card.
 */
export function page(title: string, bodyHtml: string, opts: { lang?: Locale; card?: boolean } = {}): string {
  const lang = opts.lang ?? 'pt-BR';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main${opts.card ? ' class="card-page"' : ''}>${bodyHtml}</main></body></html>`;
}
