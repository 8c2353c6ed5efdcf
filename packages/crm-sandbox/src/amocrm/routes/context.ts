import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isJsonObject, type Json } from '../json.ts';
import type { Pipeline } from '../model.ts';
import { Presenter } from '../present.ts';
import { origin } from '../paging.ts';
import type { AmoStore } from '../store.ts';
import type { ItemReader } from '../validate.ts';

/** What every route file receives from the sandbox factory. */
export interface RouteContext {
  readonly app: FastifyInstance;
  readonly store: AmoStore;
  /** amoCRM's handling of unexpected fields is not documented; see docs/crm-sandbox.md. */
  readonly unknownFields: 'ignore' | 'reject';
}

export function presenterFor(ctx: RouteContext, request: FastifyRequest): Presenter {
  return new Presenter(ctx.store, origin(request));
}

export function checkExtraFields(
  ctx: RouteContext,
  reader: ItemReader,
  known: readonly string[],
): void {
  if (ctx.unknownFields === 'reject') reader.rejectExtra(known);
}

/** A user id that must name one of the account's users. */
export function readUserId(
  ctx: RouteContext,
  reader: ItemReader,
  name: string,
): number | undefined {
  const id = reader.int(name, false, 1);
  if (id !== undefined && !ctx.store.users.has(id)) {
    reader.notSupported(name);
    return undefined;
  }
  return id;
}

/** `_embedded.tags: [{ name }]` → tag names. */
export function readTagNames(reader: ItemReader): string[] {
  const embedded = reader.nested('_embedded');
  const tags = embedded?.array('tags') ?? [];
  return tags.flatMap((tag: Json) =>
    isJsonObject(tag) && typeof tag.name === 'string' ? [tag.name] : [],
  );
}

/** `_embedded.<name>: [{ id }]` → ids, each checked to exist. */
export function readEmbeddedIds(
  reader: ItemReader,
  name: string,
  exists: (id: number) => boolean,
): { id: number; raw: Record<string, Json> }[] {
  const embedded = reader.object('_embedded');
  const list = embedded?.[name];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    reader.fail(`_embedded.${name}`, 'InvalidType', 'This value should be of type array.');
    return [];
  }
  const out: { id: number; raw: Record<string, Json> }[] = [];
  list.forEach((entry: Json, index) => {
    const path = `_embedded.${name}.${index}.id`;
    if (!isJsonObject(entry) || typeof entry.id !== 'number') {
      reader.fail(path, 'FieldMissing', 'This field is missing.');
      return;
    }
    if (!exists(entry.id)) {
      reader.fail(path, 'NotFound', 'An entity with this id was not found.');
      return;
    }
    out.push({ id: entry.id, raw: entry });
  });
  return out;
}

/**
 * `pipeline_id` when given (it must exist), else the account's main pipeline — the
 * documented default for leads and unsorted entries alike.
 */
export function readPipeline(ctx: RouteContext, reader: ItemReader): Pipeline | undefined {
  const pipelineId = reader.int('pipeline_id', false, 1);
  const pipeline =
    pipelineId === undefined
      ? ctx.store.mainPipeline()
      : ctx.store.pipelines.find((item) => item.id === pipelineId);
  if (pipeline === undefined) reader.notSupported('pipeline_id');
  return pipeline;
}
