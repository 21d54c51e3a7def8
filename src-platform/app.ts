/**
 * Builds the Fastify app: zod validation, OpenAPI, body limit, errors as `{ error }` bodies with
 * shared codes (never a 5xx for malformed input), and the route modules of routes/index.ts.
 */
import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import Fastify from 'fastify';
import { hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { FieldErrors } from '../src-shared/errors';
import { ILL_FORMED_TEXT, INVISIBLE_CHARACTER } from '../src-shared/text';
import { DomainError } from './domain/errors';
import { loggerOptions, type PlatformLogOptions } from './logging';
import { registerOperations, type PlatformMetrics } from './operations';
import { installGuards } from './routes/guards';
import { errorBody, sendDomainError, type PlatformApp, type RouteDeps } from './routes/http';
import { routeModules } from './routes/index';
import { OPENAPI_INFO, openApiTransform } from './routes/openapi';

/** Largest accepted request body. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** How the app logs and what it exposes for operations (see operations.ts). */
export interface AppOptions {
  /** false: no log; true or options: JSON lines (logging.ts). */
  logger?: boolean | PlatformLogOptions;
  /** Prometheus metrics at /metrics (off by default). */
  metrics?: PlatformMetrics | null;
  /** Set when the platform starts shutting down: /readyz answers 503. */
  state?: { closing: boolean };
}

/** Creates the app with every route module registered (not listening yet). */
export async function buildApp(deps: RouteDeps, options: AppOptions = {}): Promise<PlatformApp> {
  const logger = options.logger === true ? loggerOptions({}) : options.logger ? loggerOptions(options.logger) : false;
  const app = Fastify({
    logger,
    // Every request gets an id of its own (never the client's), logged as requestId and sent back.
    genReqId: () => randomUUID(),
    requestIdLogLabel: 'requestId',
    bodyLimit: BODY_LIMIT_BYTES,
    // Reset links come from the configured public URL, so the Host header is never trusted.
    trustProxy: false,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>();
  // Issue 9 classes 4 and 9: Host names, JSON-only API, same-origin form posts.
  installGuards(app, () => deps.ctx.publicUrl, deps.allowedHosts ?? []);
  app.setValidatorCompiler(validatorCompiler);
  // Responses are encoded through their src-shared schemas: the server cannot drift from the contract.
  app.setSerializerCompiler(serializerCompiler);

  // HTML forms (the reset page) post urlencoded bodies.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof DomainError) return sendDomainError(request, reply, error);
    if (hasZodFastifySchemaValidationErrors(error)) {
      // A Map, not an object literal: field names come from the request ("toString", "__proto__").
      const fields = new Map<string, string[]>();
      const add = (field: string, code: string) => fields.set(field, [...(fields.get(field) ?? []), code]);
      for (const issue of error.validation) {
        const params = issue.params as { keys?: unknown };
        if (issue.keyword === 'unrecognized_keys' && Array.isArray(params.keys)) {
          for (const key of params.keys) add(String(key), 'unrecognized_key');
          continue;
        }
        // Text refusals shared with the console name themselves (issue 17.2, issue 9 class 10).
        const message = issue.message ?? '';
        const named = message === ILL_FORMED_TEXT || message === INVISIBLE_CHARACTER;
        add(issue.instancePath.replace(/^\//, '').replace(/\//g, '.') || '_', named ? message : issue.keyword);
      }
      const fieldErrors: FieldErrors = Object.fromEntries(fields);
      return reply.code(400).send(errorBody(request, 'validation_failed', { fieldErrors, details: { in: error.validationContext } }));
    }
    const status = typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500;
    if (status === 413) return reply.code(413).send(errorBody(request, 'payload_too_large'));
    if (status === 415) return reply.code(415).send(errorBody(request, 'unsupported_media_type'));
    if (status === 429) return reply.code(429).send(errorBody(request, 'rate_limited'));
    if (status >= 400 && status < 500) return reply.code(status).send(errorBody(request, 'malformed_request'));
    request.log.error(error);
    return reply.code(500).send({ error: { code: 'internal_error', message: 'Internal error' } });
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    // Shutting down: the answer in flight closes its connection, so no keep-alive holds the exit.
    if (options.state?.closing) reply.header('connection', 'close');
    // API answers are per user and never cached; browsers must not sniff them into HTML.
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
    return payload;
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send(errorBody(request, 'not_found')));

  // The OpenAPI document: zod schemas plus each route's id, description, errors and headers (routes/openapi.ts).
  await app.register(fastifySwagger, { openapi: structuredClone(OPENAPI_INFO) as never, transform: openApiTransform });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerOperations(app, deps.ctx.db, options.state ?? { closing: false }, options.metrics ?? null);
  for (const register of routeModules) register(app, deps);
  return app;
}
