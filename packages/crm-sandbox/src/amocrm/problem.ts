import type { FastifyReply } from 'fastify';
import { compact, type Json, type JsonObject } from './json.ts';

/**
 * amoCRM API v4 errors are RFC 7807 `application/problem+json` documents with `title`,
 * `type` (an httpstatus.es link), `status` and `detail`; a 400 from validation adds
 * `validation-errors`: one entry per request item (`request_id`) listing `code`, `path`
 * and `detail` per field. Shape from amoCRM's "Справочник ошибок и ответов API"
 * ("Ошибки при валидации данных", the NotSupportedChoice example) and
 * https://kommo.com/developers/content/api_v4/errors (204 when there is nothing to return).
 */
export interface FieldError {
  readonly code: string;
  readonly path: string;
  readonly detail: string;
}

export interface ItemErrors {
  readonly request_id: string;
  readonly errors: readonly FieldError[];
}

export class AmoProblem extends Error {
  override readonly name = 'AmoProblem';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: JsonObject = {},
  ) {
    super(detail);
  }

  body(): JsonObject {
    return {
      ...this.extra,
      title: this.title,
      type: `https://httpstatus.es/${this.status}`,
      status: this.status,
      detail: this.detail,
    };
  }
}

export function validationProblem(items: readonly ItemErrors[]): AmoProblem {
  const list: Json[] = items.map((item) => ({
    request_id: item.request_id,
    errors: item.errors.map((error) => compact({ ...error })),
  }));
  return new AmoProblem(400, 'Bad Request', 'Request validation failed', {
    'validation-errors': list,
  });
}

/** PATCH of `/{entity}/{id}` naming no entity: a validation error on `id` (the sandbox's wording, see docs/crm-sandbox.md). */
export function idNotFound(): AmoProblem {
  return validationProblem([
    {
      request_id: '0',
      errors: [{ code: 'NotFound', path: 'id', detail: 'An entity with this id was not found.' }],
    },
  ]);
}

export function unauthorized(): AmoProblem {
  return new AmoProblem(401, 'Unauthorized', 'Unauthorized');
}

export function sendProblem(reply: FastifyReply, problem: AmoProblem): FastifyReply {
  return reply
    .code(problem.status)
    .type('application/problem+json; charset=utf-8')
    .send(problem.body());
}

/** Successful amoCRM answers are HAL documents. */
export function sendHal(reply: FastifyReply, body: JsonObject, status = 200): FastifyReply {
  return reply.code(status).type('application/hal+json; charset=utf-8').send(body);
}

/** An empty list or a missing entity is 204 with no body, not 404 (CRM-FACTS §3). */
export function sendNoContent(reply: FastifyReply): FastifyReply {
  return reply.code(204).send();
}

/** A page of a list (or an entity) when there is one, else 204 — amoCRM's "nothing found". */
export function sendHalOrNoContent(
  reply: FastifyReply,
  body: JsonObject | undefined,
): FastifyReply {
  return body === undefined ? sendNoContent(reply) : sendHal(reply, body);
}
