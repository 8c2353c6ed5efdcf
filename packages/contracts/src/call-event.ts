import { z } from 'zod';
import { callDirectionSchema } from './call.ts';
import { timestampSchema } from './common.ts';

/** A call as the live panel shows it while it lasts. */
export const activeCallSchema = z.object({
  callId: z.string().describe("The caller's SIP Call-ID: one call, from start to end"),
  direction: callDirectionSchema,
  caller: z.string(),
  callee: z.string().describe('The extension or number dialled'),
  startedAt: timestampSchema,
  answeredAt: timestampSchema.nullable(),
  answeredBy: z.string().nullable().describe('The extension or number that took the call'),
});
export type ActiveCall = z.infer<typeof activeCallSchema>;

/**
 * What `/api/v1/events` (WebSocket) sends, one JSON text message each: first a snapshot
 * of the calls in progress, then every change. Tenant-scoped.
 */
export const callEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), calls: z.array(activeCallSchema) }),
  z.object({ type: z.literal('call.started'), call: activeCallSchema }),
  z.object({ type: z.literal('call.answered'), call: activeCallSchema }),
  z.object({
    type: z.literal('call.ended'),
    call: activeCallSchema,
    endedAt: timestampSchema,
    reason: z.string().describe('How it ended, as the call log’s hang-up cause'),
  }),
]);
export type CallEvent = z.infer<typeof callEventSchema>;
