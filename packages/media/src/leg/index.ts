// One call leg's media (an RTP session facing one phone, generated or relayed audio out,
// one receiver of what comes in) and the relay joining two legs.
export { type LegFormat } from './leg-format.ts';
export {
  MediaLeg,
  type LegReceiver,
  type LegSendResult,
  type LegSource,
  type MediaLegOptions,
} from './media-leg.ts';
export { joinLegs, type LegRelay } from './leg-relay.ts';
