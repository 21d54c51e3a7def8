/**
 * MSAL's network module over node:https with an extra trusted CA, so a local test identity provider
 * (or a corporate TLS proxy's CA) is trusted in process without NODE_EXTRA_CA_CERTS at start.
 */
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/** Builds an `INetworkModule` trusting Node's roots plus `ca` (PEM). */
export function createMsalNetworkClient(ca: string | string[], timeoutMs = 30_000): INetworkModule {
  const agent = new https.Agent({ ca: [...rootCertificates, ...(Array.isArray(ca) ? ca : [ca])] });
  const send = <T>(url: string, method: 'GET' | 'POST', options?: NetworkRequestOptions, timeout?: number) =>
    new Promise<NetworkResponse<T>>((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'https:') {
        reject(new Error(`Refusing a non-HTTPS identity endpoint: ${target.origin}`));
        return;
      }
      const request = https.request(target, { method, agent, headers: options?.headers, timeout: timeout ?? timeoutMs }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ headers, status: response.statusCode ?? 0, body: (text ? JSON.parse(text) : {}) as T });
          } catch (error) {
            reject(new Error(`Identity endpoint answered non-JSON (${response.statusCode}): ${String(error)}`));
          }
        });
      });
      request.on('timeout', () => request.destroy(new Error(`Request timeout: ${target.href}`)));
      request.on('error', reject);
      request.end(options?.body);
    });
  return {
    sendGetRequestAsync: (url, options, timeout) => send(url, 'GET', options, timeout),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  };
}
