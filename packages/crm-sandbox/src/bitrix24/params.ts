/**
 * Method parameters the way Bitrix24 (PHP) receives them: a JSON body, or
 * `application/x-www-form-urlencoded` / query strings with PHP bracket keys
 * (`FIELDS[PHONE][0][VALUE]=…`, `VALUES[]=…`), which PHP turns into nested arrays.
 * settings/how-to-call-rest-api/index.md and data-encoding.md (bitrix24/b24restdocs).
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Parses `a[b][]=1&c=2` into nested objects; objects keyed 0..n-1 become arrays. */
export function parsePhpQuery(text: string): JsonObject {
  const root: JsonObject = {};
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const path = splitPhpKey(decodeFormComponent(rawKey));
    if (path === undefined) continue;
    assignPath(root, path, decodeFormComponent(rawValue));
  }
  return listify(root) as JsonObject;
}

function decodeFormComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch (error) {
    // PHP keeps a malformed %-sequence as it is instead of rejecting the request.
    if (error instanceof URIError) return spaced;
    throw error;
  }
}

/** `FIELDS[PHONE][0][VALUE]` → ['FIELDS','PHONE','0','VALUE']; `x[]` → ['x','']. */
export function splitPhpKey(key: string): string[] | undefined {
  const open = key.indexOf('[');
  if (open <= 0) return key === '' ? undefined : [key];
  const head = key.slice(0, open);
  const path = [head];
  let rest = key.slice(open);
  while (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    // PHP: an unclosed bracket makes the rest of the name part of the plain key.
    if (close === -1) return path.length === 1 ? [key] : path;
    path.push(rest.slice(1, close));
    rest = rest.slice(close + 1);
  }
  return path;
}

function assignPath(target: JsonObject, path: readonly string[], value: string): void {
  let node = target;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] ?? '';
    const key = segment === '' ? String(nextIndex(node)) : segment;
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const existing = node[key];
    if (isJsonObject(existing)) {
      node = existing;
    } else {
      const child: JsonObject = {};
      node[key] = child;
      node = child;
    }
  }
}

function nextIndex(node: JsonObject): number {
  let next = 0;
  for (const key of Object.keys(node)) {
    if (/^\d+$/.test(key)) next = Math.max(next, Number(key) + 1);
  }
  return next;
}

function listify(value: Json): Json {
  if (Array.isArray(value)) return value.map(listify);
  if (!isJsonObject(value)) return value;
  const keys = Object.keys(value);
  const isList = keys.length > 0 && keys.every((key, index) => key === String(index));
  if (isList) return keys.map((key) => listify(value[key] ?? null));
  const out: JsonObject = {};
  for (const key of keys) out[key] = listify(value[key] ?? null);
  return out;
}

export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Converts anything JSON.parse produced into Json, dropping what JSON cannot hold. */
export function toJson(value: unknown): Json {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const [key, inner] of Object.entries(value)) out[key] = toJson(inner);
    return out;
  }
  return null;
}

/**
 * PHP merges the query string and the POST body into one request; the body wins
 * (request_order "GP").
 */
export function mergeRequestParams(query: JsonObject, body: JsonObject): JsonObject {
  return { ...query, ...body };
}

/** Case-insensitive lookup: Bitrix24 upper-cases parameter keys (`fields` = `FIELDS`). */
export function param(params: JsonObject, name: string): Json | undefined {
  if (name in params) return params[name];
  const wanted = name.toUpperCase();
  for (const [key, value] of Object.entries(params)) {
    if (key.toUpperCase() === wanted) return value;
  }
  return undefined;
}

export function paramString(params: JsonObject, name: string): string | undefined {
  const value = param(params, name);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** An integer given as a JSON number or a decimal string; undefined when absent or not one. */
export function paramInt(params: JsonObject, name: string): number | undefined {
  return asInt(param(params, name));
}

export function asInt(value: Json | undefined): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** Y/N, 1/0, true/false as PHP-side code reads flags. */
export function paramFlag(params: JsonObject, name: string, fallback: boolean): boolean {
  const value = param(params, name);
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  const text = scalarText(value).toUpperCase();
  return !(text === '0' || text === 'N' || text === 'FALSE');
}

export function paramObject(params: JsonObject, name: string): JsonObject | undefined {
  const value = param(params, name);
  return isJsonObject(value) ? value : undefined;
}

/** A value as PHP would compare it with a string; arrays and objects as JSON text. */
export function scalarText(value: Json): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
