/**
 * The HTTP server: fastify with one plugin per resource, TypeBox schemas on every route (they
 * validate requests, serialise answers and feed /openapi.json), API-key auth and JSON errors.
 */
import { readFileSync } from 'node:fs';
import AjvCompiler from '@fastify/ajv-compiler';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { installAuth } from './auth/hook.ts';
import type { Context } from './context.ts';
import { appRoutes } from './routes/apps.ts';
import { deploymentRoutes } from './routes/deployments.ts';
import { answerRouterError, installErrorHandlers, MAX_PATH_SEGMENT } from './routes/errors.ts';
import { healthRoutes } from './routes/health.ts';
import { pinRoutes } from './routes/pins.ts';
import { policyRoutes } from './routes/policies.ts';
import { uploadRoutes } from './routes/uploads.ts';
import { versionRoutes } from './routes/versions.ts';

export const SMITHD_VERSION = '0.1.0';

export interface ServerOptions {
  /** false: no logging (tests using inject); default: JSON lines at the configured level. */
  logger?: boolean;
}

export async function buildServer(context: Context, options: ServerOptions = {}): Promise<FastifyInstance> {
  const { config } = context;
  const serverOptions: FastifyServerOptions & { https?: { cert: Buffer; key: Buffer } } = {
    logger: options.logger === false ? false : loggerOptions(config.logLevel),
    bodyLimit: config.limits.requestBytes,
    // Unknown properties are refused, not silently dropped: a typo must not pass as a default.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    schemaController: { compilersFactory: { buildValidator: strictBodies } },
    return503OnClosing: true,
    // The router's default (100) refused valid version ids of up to 128 characters before their schema
    // saw them; past this, a path segment is refused by `frameworkErrors` in smithd's own error shape.
    routerOptions: { maxParamLength: MAX_PATH_SEGMENT },
    frameworkErrors: answerRouterError,
  };
  if (config.tls)
    serverOptions.https = { cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) };
  const app = Fastify(serverOptions) as unknown as FastifyInstance;

  // Answers are built field by field from the schema types, so JSON.stringify is exact; fast-json-
  // stringify would check every nullable field against each branch of its anyOf, a third of a list's cost.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  installErrorHandlers(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'smithd',
        version: SMITHD_VERSION,
        description: 'The DeploySmith control plane: apps, versions, deployments and auto-deploy policies.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A dsk_… API key' } },
      },
    },
  });
  installAuth(app, context.database);

  await app.register(healthRoutes, { context });
  await app.register(appRoutes, { context });
  await app.register(versionRoutes, { context });
  await app.register(deploymentRoutes, { context });
  await app.register(pinRoutes, { context });
  await app.register(policyRoutes, { context });
  const receiver = context.storage.uploads;
  if (receiver) await app.register(uploadRoutes, { receiver });
  return app;
}

const ajvCompilers = AjvCompiler();

/**
 * Query strings and path parameters are text, so their numbers and booleans are coerced; a JSON
 * body has types of its own and is taken as sent: `"name": 123`, `"environments": "staging"` or
 * `"dryRun": "false"` are refused, never read as something the client did not write.
 */
const strictBodies: typeof ajvCompilers = (externalSchemas, options) => {
  const coercing = ajvCompilers(externalSchemas, options);
  const customOptions = { ...(options?.customOptions as object | undefined), coerceTypes: false as const };
  const strict = ajvCompilers(externalSchemas, { ...options, customOptions } as typeof options);
  return (route) => compiledOnFirstUse(() => (route.httpPart === 'body' ? strict(route) : coercing(route)));
};

type Validator = ReturnType<ReturnType<typeof ajvCompilers>>;

/**
 * A route's validator is compiled when the route is first called: compiling them all took a third
 * of smithd's start-up, and a restarted smithd must serve again within 2 seconds.
 */
function compiledOnFirstUse(compile: () => Validator): Validator {
  let validate: Validator | undefined;
  const lazy = Object.assign(
    (data: unknown, context?: unknown) => {
      validate ??= compile();
      const result = (validate as (data: unknown, context?: unknown) => unknown)(data, context);
      lazy.errors = (validate as { errors?: unknown }).errors;
      return result;
    },
    // fastify hands ajv's context (which lets it coerce a whole query or params object) only to
    // functions that carry ajv's `schemaEnv`.
    { errors: undefined as unknown, schemaEnv: {} },
  );
  return lazy as unknown as Validator;
}

/** API keys and upload signatures never reach the log. */
function loggerOptions(level: string) {
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    serializers: {
      req(request: { method: string; url: string; ip?: string; id?: string }) {
        return { method: request.method, url: redactSignature(request.url), remoteAddress: request.ip };
      },
    },
  };
}

export function redactSignature(url: string): string {
  return url.replace(/([?&]signature=)[^&]*/g, '$1[redacted]');
}
