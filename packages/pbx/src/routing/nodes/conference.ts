import { hungUp, type NodeHandler } from '../node-handler.ts';

/** docs/routing-schemes.md, conference: a room, optionally behind a PIN; ends the scheme. */
export const conferenceHandler: NodeHandler<'conference'> = {
  needs: () => 'answered',
  async run(node, ctx) {
    const outcome = await ctx.actions.joinConference({
      room: node.room,
      pin: node.pin,
      maxParticipants: node.maxParticipants,
    });
    switch (outcome.kind) {
      case 'joined':
        return {
          outcome: 'joined',
          note: `joined room ${node.room}`,
          end: { kind: 'conference', room: node.room },
        };
      case 'wrong_pin':
        return { outcome: 'wrong_pin', note: 'the PIN was wrong', end: hungUp('normal') };
      case 'full':
        return {
          outcome: 'full',
          note: `room ${node.room} has ${node.maxParticipants} participants already`,
          end: hungUp('busy'),
        };
    }
  },
};
