/**
 * Every error answer is `{ error: { code, message, hint?, details? } }`: DeploySmithErrors as they
 * are, fastify's validation errors as `invalid_input` naming the field, anything else as a bare
 * `internal` 500 that leaks nothing (the log has the stack).
 */
import { DeploySmithError, type ErrorDetail } from '@deploysmith/core';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchemaValidationError,
} from 'fastify';
import { failureCause } from './failure-causes.ts';

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | DeploySmithError, request, reply) => {
    const known = toDeploySmithError(error);
    if (known === undefined) {
      request.log.error({ err: error }, 'unexpected error');
      const body = new DeploySmithError(
        'internal',
        `smithd hit an unexpected error (request ${request.id}).`,
        {
          hint: 'The smithd log has the details; please report it if it happens again.',
        },
      );
      return reply.status(500).send(body.toJSON());
    }
    if (known.status >= 500) request.log.warn({ code: known.code }, known.message);
    return reply.status(known.status).send(known.toJSON());
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new DeploySmithError(
      'not_found',
      `No route ${request.method} ${request.url.split('?')[0]}.`,
      {
        hint: 'See /openapi.json for the routes of this smithd.',
      },
    );
    return reply.status(404).send(error.toJSON());
  });
}

/** Longest path segment the router hands to a route: twice the longest name or id smithd takes (128). */
export const MAX_PATH_SEGMENT = 256;

/** The router's own refusals (a path segment over MAX_PATH_SEGMENT, bad percent-encoding), before any route. */
export function answerRouterError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? `A path segment is longer than ${MAX_PATH_SEGMENT} characters.`
      : error.code === 'FST_ERR_BAD_URL'
        ? 'The request path is not valid percent-encoding.'
        : `The request path cannot be routed: ${error.message}`;
  const refusal = new DeploySmithError('invalid_input', message, {
    hint: 'Names are at most 63 characters and version ids at most 128; encode each path segment once.',
  });
  void reply.status(refusal.status).send(refusal.toJSON());
}

function toDeploySmithError(error: FastifyError | DeploySmithError): DeploySmithError | undefined {
  // A full disk is named as such, even when it surfaced as, say, a git fetch that failed.
  const cause = failureCause(error);
  if (cause !== undefined && (cause.code === 'insufficient_storage' || !(error instanceof DeploySmithError)))
    return cause;
  if (error instanceof DeploySmithError) return error;
  if (error.validation) return validationError(error.validation, error.validationContext);
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new DeploySmithError('payload_too_large', 'The request body is larger than this smithd accepts.', {
      hint: 'Bundles are uploaded to the upload URL, never in a JSON body; keep JSON requests small.',
    });
  }
  const status = error.statusCode ?? 500;
  if (status === 404) return new DeploySmithError('not_found', error.message);
  if (status >= 400 && status < 500) return new DeploySmithError('invalid_input', error.message);
  return undefined;
}

function validationError(
  problems: FastifySchemaValidationError[],
  part: string | undefined,
): DeploySmithError {
  const where = part === 'querystring' ? 'query' : (part ?? 'body');
  const details: ErrorDetail[] = problems.slice(0, 20).map((problem) => {
    const field = fieldOf(problem);
    return { field: field === '' ? where : `${where}.${field}`, message: problem.message ?? 'is invalid' };
  });
  const first = details[0];
  return new DeploySmithError(
    'invalid_input',
    `Invalid ${first?.field ?? where}: ${first?.message ?? 'is invalid'}.`,
    {
      details,
    },
  );
}

function fieldOf(problem: FastifySchemaValidationError): string {
  const parts = problem.instancePath.split('/').filter(Boolean);
  const params = problem.params as {
    missingProperty?: string;
    additionalProperty?: string;
    additionalProperties?: string[];
  };
  const extra = params.missingProperty ?? params.additionalProperty ?? params.additionalProperties?.[0];
  if (extra !== undefined) parts.push(extra);
  return parts.join('.');
}
