import type { FastifyRequest } from 'fastify';
import type { Json, JsonObject } from './json.ts';

/**
 * List parameters shared by amoCRM v4 list methods: `page` (from 1), `limit` (at most 250,
 * events at most 100), `with=a,b`, `filter[x]` / `filter[x][]` (contacts-api, leads-api,
 * tasks-api, events-and-notes pages). The answer carries `_page`, `_links.self` and, when
 * another page exists, `_links.next`, with the items under `_embedded.<name>`.
 */
export type Query = Record<string, string | string[] | undefined>;

export function queryOf(request: FastifyRequest): Query {
  return request.query as Query;
}

export interface PageRequest {
  readonly page: number;
  readonly limit: number;
}

function positiveInt(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const number = Number(text);
  return number > 0 ? number : undefined;
}

/** A limit above the maximum is lowered to it (the docs state the maximum, not the error). */
export function readPage(query: Query, maxLimit = 250, defaultLimit = 50): PageRequest {
  return {
    page: positiveInt(query.page) ?? 1,
    limit: Math.min(positiveInt(query.limit) ?? defaultLimit, maxLimit),
  };
}

/** Values of `name`, `name[]` and `name[N]`, comma lists split. */
export function queryList(query: Query, name: string): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (key !== name && key !== `${name}[]` && !new RegExp(`^${escape(name)}\\[\\d+\\]$`).test(key))
      continue;
    for (const item of Array.isArray(value) ? value : [value])
      out.push(...item.split(',').filter((part) => part !== ''));
  }
  return out;
}

function escape(text: string): string {
  return text.replace(/[[\]\\.*+?^$(){}|]/g, '\\$&');
}

export function queryInts(query: Query, name: string): number[] {
  return queryList(query, name)
    .filter((value) => /^\d+$/.test(value))
    .map(Number);
}

export function withOf(query: Query): Set<string> {
  return new Set(queryList(query, 'with'));
}

export function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host ?? 'localhost'}`;
}

export function selfLink(href: string): JsonObject {
  return { self: { href } };
}

/** One page of `items` as a HAL collection, or undefined when the page is empty (→ 204). */
export function pageCollection(
  request: FastifyRequest,
  name: string,
  items: readonly JsonObject[],
  page: PageRequest,
): JsonObject | undefined {
  const start = (page.page - 1) * page.limit;
  const slice = items.slice(start, start + page.limit);
  if (slice.length === 0) return undefined;
  const base = `${origin(request)}${request.url.split('?')[0] ?? ''}`;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(queryOf(request))) {
    if (key === 'page' || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, item);
  }
  const link = (pageNumber: number): Json => {
    const params = new URLSearchParams(search);
    params.set('page', String(pageNumber));
    params.set('limit', String(page.limit));
    return { href: `${base}?${params.toString()}` };
  };
  const links: JsonObject = { self: link(page.page) };
  if (start + page.limit < items.length) links.next = link(page.page + 1);
  if (page.page > 1) links.prev = link(page.page - 1);
  return { _page: page.page, _links: links, _embedded: { [name]: [...slice] } };
}

/** Path parameter `id` as a positive integer, or undefined (→ 204 like a missing entity). */
export function idParam(request: FastifyRequest, name = 'id'): number | undefined {
  const params = request.params as Record<string, string | undefined>;
  const value = params[name];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The entity the `:id` path parameter names, if the parameter is a number and it exists. */
export function entityAtIdParam<T>(
  request: FastifyRequest,
  entities: ReadonlyMap<number, T>,
): T | undefined {
  const id = idParam(request);
  return id === undefined ? undefined : entities.get(id);
}
