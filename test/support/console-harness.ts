/**
 * Integration helpers for the console's main process: `compose()` with test timings over a real
 * platform, calls through the real router (as the trusted browser-host sender), an HTTP proxy that
 * can cut a response after the platform handled the request, and polling.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemorySecretStore, type SecretStore } from '../../src-main/auth/secret-store';
import { compose, type ComposedConsole, type ComposeOptions } from '../../src-main/compose';
import type { ApiError } from '../../src-shared/errors';
import type { EventName, EventPayload, OperationInput, OperationName, OperationOutput } from '../../src-shared/ipc-contract';
import { DEMO_ACCOUNT_SLUG, DEMO_PASSWORD } from '../../src-platform';

/** The sender the browser host uses after authenticating its socket. */
/** The demo administrator's sign-in (the platform's demo seed). */
export const DEMO_ADMIN = { account: DEMO_ACCOUNT_SLUG, login: 'admin', password: DEMO_PASSWORD } as const;

export const TRUSTED_SENDER = { kind: 'browser-host', authenticated: true } as const;

/** `compose()` with short timers and quiet logs. */
export function composeConsole(opts: { dataDir: string; platformUrl?: string; secretStore?: SecretStore } & Partial<ComposeOptions>): Promise<ComposedConsole> {
  return compose({
    syncIntervalMs: 0,
    probeIntervalMs: 150,
    requestTimeoutMs: 3_000,
    retryBackoffMs: 20,
    logError: () => undefined,
    ...opts,
    secretStore: opts.secretStore ?? new MemorySecretStore(),
  });
}

/** A failed operation, as a throwable with the contract's error. */
export class OperationFailed extends Error {
  constructor(readonly error: ApiError) {
    super(`${error.code}: ${error.message}`);
  }
}

/** Calls an operation through the router; resolves with its value or throws `OperationFailed`. */
export async function call<N extends OperationName>(c: ComposedConsole, name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
  const result = await c.router.handle(TRUSTED_SENDER, name, input);
  if (!result.ok) throw new OperationFailed(result.error);
  return result.value as OperationOutput<N>;
}

/** The error code an operation fails with (or 'ok'). */
export async function codeOf<N extends OperationName>(c: ComposedConsole, name: N, input: OperationInput<N>): Promise<string> {
  const result = await c.router.handle(TRUSTED_SENDER, name, input);
  return result.ok ? 'ok' : result.error.code;
}

/** Records every payload of one event. */
export function record<E extends EventName>(c: ComposedConsole, name: E): Array<EventPayload<E>> {
  const seen: Array<EventPayload<E>> = [];
  c.events.on(name, (p) => seen.push(p));
  return seen;
}

/** Polls until `check` returns a truthy value. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A proxy in front of the platform. */
export interface CuttingProxy {
  url: string;
  /** Requests that reached the platform through the proxy (method and path). */
  forwarded: string[];
  /** Requests whose response the proxy cut after the platform answered. */
  cut: string[];
  /** Forwards from now on to another platform at `url` (another instance behind the same address). */
  switchTo(url: string): void;
  close(): Promise<void>;
}

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1): a proxy never forwards them. */
export function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const rest = { ...headers };
  for (const name of ['connection', 'keep-alive', 'transfer-encoding']) delete rest[name];
  return rest;
}

/**
 * The test proxies' one way to pass a request on: to `upstream`, and the answer back, without
 * either side's connection headers. Like any proxy: passing on the platform's `Keep-Alive:
 * timeout=72` made the console keep an idle socket the proxy closes after 5 s, so a request sent on
 * it as it closed failed (ECONNRESET) and the console went offline (seen under load). `onAnswer`
 * may take the answer over (return true) instead of relaying it.
 */
export function forwardTo(upstream: URL, req: IncomingMessage, res: ServerResponse, onAnswer?: (answer: IncomingMessage) => boolean): void {
  const proxied = httpRequest(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...withoutHopByHop(req.headers), host: upstream.host } },
    (answer) => {
      if (onAnswer?.(answer)) return;
      res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
      answer.pipe(res);
    },
  );
  proxied.on('error', () => res.destroy());
  req.pipe(proxied);
}

/**
 * Forwards HTTP to `target` (until `switchTo`); for the first `times` requests matching `shouldCut`,
 * lets the platform handle the request, then destroys the client connection instead of relaying the
 * answer (a connection lost mid-flight, after the change happened).
 */
export async function startCuttingProxy(target: string, shouldCut: (req: IncomingMessage) => boolean, times = 1): Promise<CuttingProxy> {
  const forwarded: string[] = [];
  const cut: string[] = [];
  let remaining = times;
  let upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const label = `${req.method} ${req.url}`;
    forwarded.push(label);
    const cutThis = remaining > 0 && shouldCut(req);
    if (cutThis) remaining--;
    forwardTo(upstream, req, res, (answer) => {
      if (!cutThis) return false;
      answer.resume();
      answer.on('end', () => {
        cut.push(label);
        req.socket.destroy();
      });
      return true;
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwarded,
    cut,
    switchTo(url) {
      upstream = new URL(url);
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** A proxy that holds matching requests until released. */
export interface HoldingProxy {
  url: string;
  /** Requests held so far (method and path). */
  held: string[];
  /** Lets every held (and later) request through. */
  release(): void;
  close(): Promise<void>;
}

/**
 * Forwards HTTP to `target`, holding requests matching `shouldHold` until `release()`: a platform
 * that is slow on one route, so a test can look at the console while that request is pending.
 */
export async function startHoldingProxy(target: string, shouldHold: (req: IncomingMessage) => boolean): Promise<HoldingProxy> {
  const held: string[] = [];
  let released = false;
  const waiting: Array<() => void> = [];
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const forward = () => forwardTo(upstream, req, res);
    if (!released && shouldHold(req)) {
      held.push(`${req.method} ${req.url}`);
      waiting.push(forward);
    } else forward();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    release() {
      released = true;
      for (const go of waiting.splice(0)) go();
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
