/**
 * batch: up to 50 commands `cmd[name]=method?query`, run in order; errors per command in
 * `result_error`; `halt=1` stops at the first error; `$result[name][field]` in a later
 * command's parameters is replaced with an earlier command's result; nested batch is
 * refused with ERROR_BATCH_METHOD_NOT_ALLOWED; commands beyond 50 end with
 * ERROR_BATCH_LENGTH_EXCEEDED. settings/how-to-call-rest-api/batch.md (bitrix24/b24restdocs).
 * Empty maps are `[]`, as PHP serialises an empty array (the page's example).
 */
import type { SandboxClock } from '../common/clock.ts';
import { B24Error, systemErrors } from './errors.ts';
import { methodKey, type MethodCaller } from './dispatch.ts';
import type { MethodDefinition } from './method-registry.ts';
import {
  isJsonObject,
  param,
  paramFlag,
  parsePhpQuery,
  type Json,
  type JsonObject,
} from './params.ts';
import { timeInfo } from './time-info.ts';

export const maxBatchCommands = 50;

export function createBatchMethod(call: MethodCaller, clock: SandboxClock): MethodDefinition {
  return {
    name: 'batch',
    scope: 'basic',
    appOnly: false,
    run({ params, auth }) {
      const cmd = param(params, 'cmd');
      const commands: [string, Json][] = Array.isArray(cmd)
        ? cmd.map((value, index) => [String(index), value])
        : isJsonObject(cmd)
          ? Object.entries(cmd)
          : [];
      const halt = paramFlag(params, 'halt', false);
      const results: JsonObject = {};
      const errors: JsonObject = {};
      const totals: JsonObject = {};
      const nexts: JsonObject = {};
      const times: JsonObject = {};
      for (const [index, [name, command]] of commands.entries()) {
        const startMs = clock.nowMs();
        try {
          if (index >= maxBatchCommands) throw systemErrors.batchLengthExceeded();
          const text = typeof command === 'string' ? command : '';
          const question = text.indexOf('?');
          const method = question === -1 ? text : text.slice(0, question);
          if (methodKey(method) === 'batch') throw systemErrors.batchMethodNotAllowed();
          const query = question === -1 ? {} : parsePhpQuery(text.slice(question + 1));
          const outcome = call(method, substitute(query, results) as JsonObject, auth);
          results[name] = outcome.result;
          if (outcome.total !== undefined) totals[name] = outcome.total;
          if (outcome.next !== undefined) nexts[name] = outcome.next;
          times[name] = timeInfo(startMs, clock.nowMs());
        } catch (error) {
          if (!(error instanceof B24Error)) throw error;
          errors[name] = error.toBody();
          if (halt) break;
        }
      }
      const asPhp = (map: JsonObject): Json => (Object.keys(map).length === 0 ? [] : map);
      return {
        result: {
          result: asPhp(results),
          result_error: asPhp(errors),
          result_total: asPhp(totals),
          result_next: asPhp(nexts),
          result_time: asPhp(times),
        },
      };
    },
  };
}

const referencePattern = /\$result\[([^\]]+)\]((?:\[[^\]]*\])*)/g;

/** Replaces `$result[name][field]…` with the earlier result's scalar; unknown stays as is. */
function substitute(value: Json, results: JsonObject): Json {
  if (typeof value === 'string') {
    return value.replace(referencePattern, (whole, name: string, rest: string) => {
      let node: Json | undefined = results[name];
      for (const match of rest.matchAll(/\[([^\]]*)\]/g)) {
        const key = match[1] ?? '';
        if (Array.isArray(node)) node = node[Number(key)];
        else if (isJsonObject(node)) node = node[key];
        else node = undefined;
      }
      return typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean'
        ? String(node)
        : whole;
    });
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, results));
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [key, inner] of Object.entries(value)) out[key] = substitute(inner, results);
    return out;
  }
  return value;
}
