/** Minimal HTML pages served by the platform (reset page, mailbox), with a strict CSP. */
import { escapeHtml } from '../mail/html';

/** Strict CSP: no scripts at all; inline styles only; forms post back to the platform. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Security headers of every HTML page. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const STYLE = `body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .2rem}input{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}
button{margin-top:1rem;font-size:1rem;padding:.5rem 1.2rem}.error{color:#a4161a}.ok{color:#1b6e20}
.msg{border:1px solid #ccd;border-radius:6px;padding:.8rem;margin:.8rem 0}.meta{color:#556;font-size:.85rem}pre{white-space:pre-wrap}`;

/** A full page around a body that is already escaped HTML. */
export function page(title: string, bodyHtml: string): string {
  return `<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${bodyHtml}</body></html>`;
}
