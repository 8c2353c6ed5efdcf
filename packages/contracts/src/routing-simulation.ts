import { z } from 'zod';
import { e164Schema, extensionNumberSchema, timestampSchema } from './common.ts';
import { routingNodeIdSchema } from './routing-scheme.ts';

/**
 * The routing-scheme simulator: walks a scheme for a made-up call, with the call's events
 * (who answers, which keys the caller presses) taken from a script instead of phones, so
 * a scheme can be tried before a phone number points at it.
 */

/** What a phone or an external number does when the simulated call rings it. */
export const simulatedRingAnswerSchema = z.enum(['answer', 'no_answer', 'busy', 'unreachable']);
export type SimulatedRingAnswer = z.infer<typeof simulatedRingAnswerSchema>;

/** Keys pressed at one menu prompt: up to 12 of 0-9, * and #; empty waits for the timeout. */
const keyedDigits = z
  .string()
  .regex(/^[0-9*#]{0,12}$/, 'expected up to 12 keys 0-9, * or #; empty for no key');

export const routingSimulationScriptSchema = z.strictObject({
  ring: z
    .record(z.union([extensionNumberSchema, e164Schema]), simulatedRingAnswerSchema)
    .default({})
    .describe(
      'What each extension or E.164 number does when rung. Unlisted: an extension answers ' +
        'when it is registered (else unreachable), an external number answers',
    ),
  digits: z
    .array(keyedDigits)
    .max(50)
    .default([])
    .describe(
      'What the caller keys at each menu prompt, in order; "" or a used-up list: no key (timeout)',
    ),
  conferencePin: z
    .string()
    .regex(/^\d{0,12}$/, 'expected up to 12 digits')
    .nullable()
    .default(null)
    .describe('The PIN the caller keys at a conference room; null: none'),
  queueWaiting: z
    .record(routingNodeIdSchema, z.number().int().min(0).max(1000))
    .default({})
    .describe('Callers already waiting in a queue node, by node id (for its maxLength); default 0'),
  leaveMessage: z
    .boolean()
    .default(true)
    .describe('Whether the caller speaks after the voicemail greeting'),
});
export type RoutingSimulationScript = z.infer<typeof routingSimulationScriptSchema>;
export type RoutingSimulationScriptInput = z.input<typeof routingSimulationScriptSchema>;

export const routingSimulationRequestSchema = z.strictObject({
  caller: z
    .string()
    .regex(/^\+?\d{2,16}$/, 'expected a number: digits with an optional +')
    .describe('The calling number as the trunk presents it'),
  dialled: z
    .string()
    .regex(/^\+?\d{2,16}$/, 'expected a number: digits with an optional +')
    .describe('The number the caller dialled'),
  at: timestampSchema.optional().describe('When the call comes in; default now'),
  version: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Version of the scheme to walk; default the current one'),
  script: routingSimulationScriptSchema.default({
    ring: {},
    digits: [],
    conferencePin: null,
    queueWaiting: {},
    leaveMessage: true,
  }),
});
export type RoutingSimulationRequest = z.input<typeof routingSimulationRequestSchema>;

export const routingSimulationStepSchema = z.object({
  nodeId: z.string(),
  kind: z.string().describe('The node kind'),
  outcome: z.string().describe('Which exit the node took, e.g. closed, digit 2, timeout'),
  note: z.string().describe('What happened there, for people'),
  enteredAt: timestampSchema.describe('Simulated time: ringing and waiting move it on'),
  leftAt: timestampSchema,
});
export type RoutingSimulationStep = z.infer<typeof routingSimulationStepSchema>;

export const routingSimulationResultSchema = z.object({
  schemeId: z.string(),
  version: z.number().int(),
  path: z.array(routingSimulationStepSchema),
  result: z.string().describe("How the call ends: 'answered by 101', 'voicemail 100', 'hung up'…"),
  end: z
    .object({ kind: z.string(), party: z.string().nullable() })
    .describe('The same as `result`, for programs: kind and the extension/number/room involved'),
});
export type RoutingSimulationResult = z.infer<typeof routingSimulationResultSchema>;
