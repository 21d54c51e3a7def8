/**
 * A minimal `fetch` over node:https that trusts an extra CA given in process, so the platform can
 * read a local test identity provider's OpenID configuration and JWKS without NODE_EXTRA_CA_CERTS.
 * Without `ca` the system trust store is used, as for the real Microsoft endpoints.
 */
import https from 'node:https';
import { rootCertificates } from 'node:tls';

/** Options of {@link createHttpsFetch}. */
export interface HttpsFetchOptions {
  /** Extra trusted CA certificates (PEM), added to Node's default roots. */
  ca?: string | string[] | undefined;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
}

/** The subset of `fetch` the Microsoft verifier needs: GET a URL, answer a standard Response. */
export type FetchLike = (url: string | URL, init?: { signal?: AbortSignal | null; headers?: ConstructorParameters<typeof Headers>[0] }) => Promise<Response>;

/** Builds a GET-only fetch that only speaks HTTPS (an authority over plain HTTP is refused). */
export function createHttpsFetch(options: HttpsFetchOptions = {}): FetchLike {
  const agent = options.ca ? new https.Agent({ ca: withDefaultRoots(options.ca), keepAlive: false }) : undefined;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input));
      if (url.protocol !== 'https:') {
        reject(new Error(`Refusing to fetch ${url.origin}: identity provider metadata must come over HTTPS`));
        return;
      }
      const request = https.get(url, { agent, headers: { accept: 'application/json', ...Object.fromEntries(new Headers(init?.headers)) }, timeout: timeoutMs }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (typeof value === 'string') headers.set(name, value);
            else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
          }
          resolve(new Response(Buffer.concat(chunks), { status: response.statusCode ?? 502, headers }));
        });
      });
      request.on('timeout', () => request.destroy(new Error(`Timed out fetching ${url.href}`)));
      request.on('error', reject);
      init?.signal?.addEventListener('abort', () => request.destroy(new Error('aborted')), { once: true });
    });
}

function withDefaultRoots(ca: string | string[]): string[] {
  // `ca` replaces Node's roots unless they are added back: Microsoft stays reachable in the same process.
  return [...rootCertificates, ...(Array.isArray(ca) ? ca : [ca])];
}
