import { isProvodError, type ErrorCode, type ErrorDetail } from '@provod/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from 'fastify-type-provider-zod';
import { ZodError } from 'zod';

interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
}

function body(code: ErrorCode, message: string, details?: ErrorDetail[]): ErrorBody {
  return { error: { code, message, ...(details && details.length > 0 && { details }) } };
}

/** Fastify's own client errors, by the status it gives them. */
const codeForStatus: Partial<Record<number, ErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * The one place errors become HTTP: `{ error: { code, message, details? } }` with the
 * status from the error catalogue. 5xx details stay in the log, not in the response.
 */
export function handleError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (isProvodError(error)) {
    return reply.status(error.status).send(body(error.code, error.message, error.details));
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = error.validationContext ?? 'request';
    const details = error.validation.flatMap((issue) => {
      const where = [context, ...issue.instancePath.split('/').filter(Boolean)].join('.');
      const unknownKeys = (issue.params as { keys?: unknown }).keys;
      return issue.keyword === 'unrecognized_keys' && Array.isArray(unknownKeys)
        ? unknownKeys.map((key) => ({ path: `${where}.${String(key)}`, message: 'unknown field' }))
        : [{ path: where, message: issue.message ?? 'invalid' }];
    });
    const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ');
    return reply.status(400).send(body('validation_failed', summary, details));
  }
  if (error instanceof ZodError) {
    const details = error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    return reply
      .status(400)
      .send(
        body(
          'validation_failed',
          details.map((d) => `${d.path}: ${d.message}`).join('; '),
          details,
        ),
      );
  }
  if (isResponseSerializationError(error)) {
    request.log.error(
      { err: error, issues: error.cause.issues },
      'response does not match its schema',
    );
    return reply.status(500).send(body('internal', 'internal error'));
  }
  const status =
    'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  const code = codeForStatus[status];
  if (status < 500 && code !== undefined) {
    return reply.status(status).send(body(code, error.message));
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send(body('internal', 'internal error'));
}
