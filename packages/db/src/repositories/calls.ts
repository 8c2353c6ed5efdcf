import {
  callDirectionSchema,
  callLegRoleSchema,
  callLegStatusSchema,
  callRecordInputSchema,
  callStatusSchema,
  mediaStatsSchema,
  schemePathStepSchema,
  type Call,
  type CallLeg,
  type CallQuery,
  type CallRecordInput,
  type CallWithLegs,
  type Page,
} from '@provod/contracts';
import { sql, type Expression, type Selectable } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { newId } from '../ids.ts';
import { readJson, writeJson } from '../json-column.ts';
import type { CallLegTable, CallTable } from '../schema.ts';
import type { TenantScope } from '../tenant-scope.ts';

const schemePathSchema = z.array(schemePathStepSchema);

/**
 * Call records (CDRs). The PBX writes them with `recordCall`; the API reads them newest
 * first with keyset pagination on (started_at desc, id desc), the order of the
 * calls(tenant_id, started_at, id) index, so a page costs the same at any depth.
 */
export function callRepository(scope: TenantScope, clock: Clock) {
  return {
    /**
     * Saves the call's current state with all its legs in one transaction. Writing an
     * existing id replaces the call and its legs, so the PBX may write a call when it
     * starts (`in_progress`) and again when it ends.
     */
    async recordCall(input: CallRecordInput): Promise<CallWithLegs> {
      const call = callRecordInputSchema.parse(input);
      const id = call.id ?? newId(clock().getTime());
      const columns = {
        direction: call.direction,
        status: call.status,
        caller: call.caller,
        callee: call.callee,
        phoneNumber: call.phoneNumber,
        extensionNumber: call.extensionNumber,
        sipCallId: call.sipCallId,
        startedAt: canonicalTime(call.startedAt),
        answeredAt: canonicalTimeOrNull(call.answeredAt),
        endedAt: canonicalTimeOrNull(call.endedAt),
        durationSeconds: call.durationSeconds,
        talkSeconds: call.talkSeconds,
        hangupCause: call.hangupCause,
        schemePath: writeJson(call.schemePath),
      };
      const legs = call.legs.map((leg) => ({
        id: newId(clock().getTime()),
        ...leg,
        startedAt: canonicalTime(leg.startedAt),
        answeredAt: canonicalTimeOrNull(leg.answeredAt),
        endedAt: canonicalTimeOrNull(leg.endedAt),
      }));

      const write = async (tx: TenantScope) => {
        const existing = await tx
          .selectFrom('calls')
          .select('id')
          .where('id', '=', id)
          .executeTakeFirst();
        if (existing) {
          await tx.updateTable('calls', columns).where('id', '=', id).execute();
          await tx.deleteFrom('callLegs').where('callId', '=', id).execute();
        } else {
          await tx.insertInto('calls', { id, ...columns }).execute();
        }
        for (const leg of legs) {
          await tx
            .insertInto('callLegs', {
              ...leg,
              callId: id,
              mediaStats: leg.mediaStats === null ? null : writeJson(leg.mediaStats),
            })
            .execute();
        }
        return (await recordingIdsOf(tx, [id])).get(id) ?? [];
      };
      const recordingIds = scope.executor.isTransaction
        ? await write(scope)
        : await scope.executor.transaction().execute((trx) => write(scope.within(trx)));

      return {
        id,
        ...columns,
        schemePath: call.schemePath,
        recordingIds,
        legs,
      };
    },

    async list(query: CallQuery): Promise<Page<Call>> {
      let select = scope
        .selectFrom('calls')
        .selectAll()
        .orderBy('startedAt', 'desc')
        .orderBy('id', 'desc')
        .limit(query.limit + 1);
      if (query.from !== undefined)
        select = select.where('startedAt', '>=', canonicalTime(query.from));
      if (query.to !== undefined) select = select.where('startedAt', '<', canonicalTime(query.to));
      if (query.direction !== undefined) select = select.where('direction', '=', query.direction);
      if (query.status !== undefined) select = select.where('status', '=', query.status);
      if (query.extension !== undefined)
        select = select.where('extensionNumber', '=', query.extension);
      if (query.number !== undefined) {
        const pattern = `%${query.number.replace(/\D/g, '')}%`;
        select = select.where((eb) =>
          eb.or([
            eb(digitsOf(sql.ref('calls.caller')), 'like', pattern),
            eb(digitsOf(sql.ref('calls.callee')), 'like', pattern),
            eb(digitsOf(sql.ref('calls.phoneNumber')), 'like', pattern),
          ]),
        );
      }
      if (query.cursor !== undefined) {
        const [startedAt = '', id = ''] = decodeCursor(query.cursor, 2);
        select = select.where((eb) =>
          eb(eb.refTuple('startedAt', 'id'), '<', eb.tuple(startedAt, id)),
        );
      }
      const rows = await select.execute();
      const page = rows.slice(0, query.limit);
      const recordings = await recordingIdsOf(
        scope,
        page.map((row) => row.id),
      );
      const items = page.map((row) => toCall(row, recordings.get(row.id) ?? []));
      const last = items.at(-1);
      return {
        items,
        nextCursor:
          rows.length > query.limit && last ? encodeCursor([last.startedAt, last.id]) : null,
      };
    },

    async get(id: string): Promise<CallWithLegs | undefined> {
      const row = await scope
        .selectFrom('calls')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return undefined;
      const legs = await scope
        .selectFrom('callLegs')
        .selectAll()
        .where('callId', '=', id)
        .orderBy('startedAt')
        .orderBy('id')
        .execute();
      const recordings = await recordingIdsOf(scope, [id]);
      return { ...toCall(row, recordings.get(id) ?? []), legs: legs.map(toLeg) };
    },
  };
}

export type CallRepository = ReturnType<typeof callRepository>;

async function recordingIdsOf(
  scope: TenantScope,
  callIds: string[],
): Promise<Map<string, string[]>> {
  const byCall = new Map<string, string[]>();
  if (callIds.length === 0) return byCall;
  const rows = await scope
    .selectFrom('recordings')
    .select(['id', 'callId'])
    .where('callId', 'in', callIds)
    .orderBy('id')
    .execute();
  for (const row of rows) {
    if (row.callId === null) continue;
    byCall.set(row.callId, [...(byCall.get(row.callId) ?? []), row.id]);
  }
  return byCall;
}

/**
 * Timestamps are compared as text on both databases, which orders correctly only when
 * every value has one shape; `toISOString` gives exactly one (milliseconds, `Z`).
 */
function canonicalTime(iso: string): string {
  return new Date(iso).toISOString();
}

function canonicalTimeOrNull(iso: string | null): string | null {
  return iso === null ? null : canonicalTime(iso);
}

/**
 * A number's digits in SQL, so "+7 (495) 123-45-67" and "74951234567" compare equal.
 * Nested `replace` runs unchanged on SQLite and PostgreSQL (neither shares a regexp
 * replace function with the other).
 */
function digitsOf(column: Expression<string | null>): Expression<string> {
  let expression = sql<string>`coalesce(${column}, '')`;
  for (const separator of ['+', ' ', '-', '(', ')', '.']) {
    expression = sql<string>`replace(${expression}, ${sql.lit(separator)}, '')`;
  }
  return expression;
}

function toCall(row: Selectable<CallTable>, recordingIds: string[]): Call {
  return {
    id: row.id,
    direction: callDirectionSchema.parse(row.direction),
    status: callStatusSchema.parse(row.status),
    caller: row.caller,
    callee: row.callee,
    phoneNumber: row.phoneNumber,
    extensionNumber: row.extensionNumber,
    sipCallId: row.sipCallId,
    startedAt: row.startedAt,
    answeredAt: row.answeredAt,
    endedAt: row.endedAt,
    durationSeconds: row.durationSeconds,
    talkSeconds: row.talkSeconds,
    hangupCause: row.hangupCause,
    schemePath: readJson(schemePathSchema, row.schemePath),
    recordingIds,
  };
}

function toLeg(row: Selectable<CallLegTable>): CallLeg {
  return {
    id: row.id,
    role: callLegRoleSchema.parse(row.role),
    party: row.party,
    sipCallId: row.sipCallId,
    status: callLegStatusSchema.parse(row.status),
    startedAt: row.startedAt,
    answeredAt: row.answeredAt,
    endedAt: row.endedAt,
    mediaStats: row.mediaStats === null ? null : readJson(mediaStatsSchema, row.mediaStats),
  };
}
